"""Staggered go-lives and the event study: Gardner's two-stage DiD on a unit panel.

When groups go live in different months, the two-way fixed-effects regression of
:mod:`roi_kit.measure.panel` compares late adopters with early adopters that already use the
CRM; with effects that differ by cohort or grow over time its estimate can even take the
wrong sign (Goodman-Bacon 2021). Gardner's two-stage estimator (``did2s``; Gardner 2021,
equivalent to the imputation estimator of Borusyak, Jaravel & Spiess 2024) avoids that: it
fits the unit and month effects on the unit-months without the CRM only (controls, and the
treated units before their own go-live), then averages what is left over the months with the
CRM. Its standard error (pyfixest's GMM correction for the first stage) is clustered by unit.

The event study fits the same second stage with one effect per month since go-live:
``months_since = 0`` is the go-live month; the months before (negative) should hover around
zero if the groups moved in parallel before the CRM, the visual pre-trend check
(:mod:`roi_kit.views.event_study` draws it), which :class:`EventStudy` also tests jointly.

References
----------
.. [1] Gardner, J. (2021). Two-stage differences in differences. arXiv:2207.05943.
.. [2] Borusyak, K., Jaravel, X. and Spiess, J. (2024). Revisiting event-study designs:
   robust and efficient estimation. *Review of Economic Studies* 91(6), 3253-3285.
.. [3] Goodman-Bacon, A. (2021). Difference-in-differences with variation in treatment
   timing. *J. Econometrics* 225(2), 254-277.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from roi_kit.measure.base import Comparison, _check_direction, _check_level, _finish, _join
from roi_kit.measure.detectable import mde_from_interval
from roi_kit.measure.panel import cluster_validity, panel_levels
from roi_kit.measure.panel_data import check_panel

__all__ = ["EventStudy", "staggered_did", "event_study"]


@dataclass(frozen=True, eq=False)
class EventStudy:
    """Effect by months since go-live, with the pre-go-live months as the parallel-trends check.

    Attributes
    ----------
    kpi : str
    table : pandas.DataFrame
        One row per month since go-live (``months_since``, an integer; 0 = go-live month):
        ``estimate``, ``low``, ``high`` (interval at ``level``) and ``n_units`` (treated units
        observed that month). The reference month (the last before go-live) is 0 by
        construction, with no interval.
    reference : int
        The reference month since go-live (-1 when the baseline ends the month before).
    level : float
    pretrend_p : float
        p-value of the joint test that every pre-go-live effect is zero (F test with the
        clustered covariance); small = the groups did not move in parallel before the CRM.
    clusters : int
        Units in the panel.
    note : str
    """

    kpi: str
    table: pd.DataFrame
    reference: int
    level: float
    pretrend_p: float
    clusters: int
    note: str


def _data(panel: pd.DataFrame) -> pd.DataFrame:
    """The panel as pyfixest's did2s wants it: a boolean-able treatment, month ids."""
    return panel.assign(
        month_id=pd.factorize(panel["t"])[0],
        d=panel["d"].astype(int),
    )


def _did2s(data: pd.DataFrame, second_stage: str):
    import pyfixest as pf

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pf.did2s(
            data,
            yname="y",
            first_stage="~ 0 | unit + month_id",
            second_stage=second_stage,
            treatment="d",
            cluster="unit",
            weights="w",
        )


def staggered_did(
    panel: pd.DataFrame,
    *,
    kpi: str = "",
    direction: str = "higher",
    level: float = 0.95,
    total: bool = False,
) -> Comparison:
    """The CRM's average effect with go-lives that differ by group (Gardner's did2s).

    Parameters
    ----------
    panel : pandas.DataFrame
        As :func:`roi_kit.measure.panel_data.case_panel` builds it (one or several go-lives).
    kpi, direction, level
        As for :func:`roi_kit.measure.did`.
    total : bool
        Report the change as the treated units' monthly total (per-unit effect x treated
        units), for amounts and counts.

    Returns
    -------
    Comparison
        Method ``"staggered-did"``: the mean effect over the treated unit-months (the ATT),
        its interval from the clustered GMM standard error with t(G - 1) quantiles; ``valid``
        False when the cluster counts are too small
        (:func:`roi_kit.measure.panel.cluster_validity`).
    """
    _check_direction(direction)
    _check_level(level)
    check_panel(panel)
    fit = _did2s(_data(panel), "~ d")
    beta, se = float(fit.coef()["d"]), float(fit.se()["d"])
    clusters = int(panel["unit"].nunique())
    treated = int(panel.loc[panel["treated"], "unit"].nunique())
    q = stats.t.ppf(0.5 + level / 2, clusters - 1)
    scale = float(treated) if total else 1.0
    low, high = (beta - q * se) * scale, (beta + q * se) * scale
    before, after, n_before, n_after = panel_levels(panel, total)
    cohorts = panel.loc[panel["treated"], "go_live"].nunique()
    validity = cluster_validity(clusters, treated, clusters - treated)
    note = _join(
        f"{clusters} units ({treated} treated in {cohorts} go-live cohort(s), "
        f"{clusters - treated} control); two-stage DiD (Gardner), interval clustered by unit",
        "per treated unit" if not total else f"total of {treated} treated units",
    )
    return _finish(
        kpi=kpi,
        method="staggered-did",
        direction=direction,
        baseline=before,
        after=after,
        change=beta * scale,
        low=low,
        high=high,
        level=level,
        note=note,
        n_baseline=n_before,
        n_after=n_after,
        mde=mde_from_interval(low, high, level, clusters - 1),
        valid=not validity,
        validity=validity,
    )


def event_study(
    panel: pd.DataFrame, *, kpi: str = "", level: float = 0.95, total: bool = False
) -> EventStudy:
    """Effect by months since go-live (did2s second stage with one dummy per month).

    Parameters
    ----------
    panel : pandas.DataFrame
        As :func:`roi_kit.measure.panel_data.case_panel` builds it.
    kpi, level
        KPI name and interval level.
    total : bool
        Effects as the treated units' total (x treated units) rather than per unit.

    Returns
    -------
    EventStudy
    """
    _check_level(level)
    check_panel(panel)
    data = _data(panel)
    since = np.where(data["treated"], data["t"] - data["go_live"], 0)
    pre = since[data["treated"].to_numpy() & (since < 0)]
    reference = int(pre.max())
    data = data.assign(since=np.where(data["treated"], since, reference))
    fit = _did2s(data, f"~ i(since, ref={reference})")
    coef = fit.coef()
    months = [int(float(re.findall(r"-?\d+(?:\.\d+)?", str(n))[-1])) for n in coef.index]
    clusters = int(panel["unit"].nunique())
    treated = int(panel.loc[panel["treated"], "unit"].nunique())
    scale = float(treated) if total else 1.0
    q = stats.t.ppf(0.5 + level / 2, clusters - 1)
    se = fit.se().to_numpy()
    counts = data[data["treated"]].groupby("since")["unit"].nunique()
    table = pd.DataFrame(
        {
            "months_since": months,
            "estimate": coef.to_numpy() * scale,
            "low": (coef.to_numpy() - q * se) * scale,
            "high": (coef.to_numpy() + q * se) * scale,
        }
    )
    ref_row = pd.DataFrame(
        {"months_since": [reference], "estimate": [0.0], "low": [math.nan], "high": [math.nan]}
    )
    table = pd.concat([table, ref_row]).sort_values("months_since").reset_index(drop=True)
    table["n_units"] = table["months_since"].map(counts).fillna(0).astype(int)
    return EventStudy(
        kpi=kpi,
        table=table,
        reference=reference,
        level=level,
        pretrend_p=_pretrend_p(fit, months, clusters),
        clusters=clusters,
        note=f"{clusters} units; effects relative to month {reference} since go-live",
    )


def _pretrend_p(fit, months: list[int], clusters: int) -> float:
    """Joint F test (clustered covariance, G - 1 denominator df) of the pre-go-live effects."""
    pre = [i for i, m in enumerate(months) if m < 0]
    if not pre or clusters < 3:
        return math.nan
    b = fit.coef().to_numpy()[pre]
    v = np.asarray(fit._vcov)[np.ix_(pre, pre)]
    stat = float(b @ np.linalg.pinv(v) @ b) / len(pre)
    return float(stats.f.sf(stat, len(pre), clusters - 1))
