"""Every KPI by every method, side by side: the comparison table of a case.

A plain before/after difference credits the CRM with every trend and season that happens to
fall across go-live. The table therefore sets, for each KPI, each method beside its check:

- ``naive`` (:func:`~roi_kit.measure.naive`, module :mod:`~roi_kit.measure.before_after`) -
  baseline mean vs after mean, shown because everyone computes it, labelled for what it is;
- ``counterfactual`` (:func:`~roi_kit.measure.counterfactual`, module
  :mod:`~roi_kit.measure.projection`) - actual minus a trend-and-season projection of the
  baseline;
- ``state-space`` (:func:`~roi_kit.measure.state_space`, module
  :mod:`~roi_kit.measure.local_level`) - actual minus a local-level + trend + season
  forecast whose level may wander like a random walk (the control group's KPI as a
  regressor when there is one);
- ``did`` (:func:`~roi_kit.measure.did`, module :mod:`~roi_kit.measure.diff_in_diff`) -
  difference-in-differences against a group without the CRM, with a pre-trend check
  (``did-trend``: with a group-specific linear trend, on request);
- ``placebo-<method>`` (:func:`~roi_kit.measure.placebo`, module
  :mod:`~roi_kit.measure.placebo_check`) - the method with a fake go-live inside the
  baseline, where a sound method finds nothing;

each read in one sentence by :func:`~roi_kit.measure.reading` (module
:mod:`~roi_kit.measure.words`). :func:`compare_frame` works on any KPI table;
:func:`compare_all` takes directions, labels, targets and the control group from a case.

The method names, :class:`~roi_kit.measure.Comparison` and the ``MIN_*_MONTHS`` constants
stay importable from here (``from roi_kit.measure import compare`` then
``compare.counterfactual``), as code written before the split into modules uses them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.errors import RoiKitError
from roi_kit.measure.base import (
    MIN_AFTER_MONTHS,  # noqa: F401 - re-exported: the old module path roi_kit.measure.compare
    MIN_BASELINE_MONTHS,  # noqa: F401 - re-exported, as above
    MIN_SEASONAL_MONTHS,  # noqa: F401 - re-exported, as above (roi_kit.measure.progress)
    CompareInputError,
    Comparison,
    _as_period,
    _check_direction,
    _join,
)
from roi_kit.measure.before_after import naive
from roi_kit.measure.diff_in_diff import did
from roi_kit.measure.local_level import state_space
from roi_kit.measure.placebo_check import placebo
from roi_kit.measure.projection import counterfactual
from roi_kit.measure.words import percentage_points, reading

__all__ = ["compare_frame", "compare_all", "METHODS", "DEFAULT_METHODS"]

# Rows compare_all adds from the unit panel (measure.panel_table), not compare_frame.
_PANEL_METHODS = ("panel-did", "staggered-did")

# KPIs that are fractions in the data contract (data/README.md); they speak in percentage
# points unless the caller passes its own formatter.
_FRACTION_KPIS = frozenset({"win_rate", "lead_conversion"})

#: The methods a comparison table can hold (placebo rows are added, not asked for).
METHODS = ("naive", "counterfactual", "state-space", "did", "did-trend")
#: The default rows: every method that needs no option (DiD only with a control group).
DEFAULT_METHODS = ("naive", "counterfactual", "state-space", "did", "did-trend")

_FRAME_COLUMNS = [
    "kpi",
    "method",
    "baseline",
    "after",
    "change",
    "pct_change",
    "low",
    "high",
    "excludes_zero",
    "improvement",
    "reading",
    "note",
    "mde",
    "mde_pct",
    "valid",
    "validity",
]


def compare_frame(
    kpis: pd.DataFrame,
    *,
    go_live: pd.Period,
    baseline: tuple[pd.Period, pd.Period],
    after: tuple[pd.Period, pd.Period],
    directions: Mapping[str, str],
    labels: Mapping[str, str] | None = None,
    group_column: str | None = None,
    treated: str | None = None,
    control: str | None = None,
    targets: Mapping[str, tuple[float, str]] | None = None,
    methods: Sequence[str] = DEFAULT_METHODS,
    level: float = 0.95,
    seed: int = 0,
    formatters: Mapping[str, Callable[[float], str]] | None = None,
    parallel_trends: str = "",
) -> pd.DataFrame:
    """Compare every KPI by every method; one tidy row per KPI and method.

    Parameters
    ----------
    kpis : pandas.DataFrame
        A ``month`` column (Period[M]) and one column per KPI; plus ``group_column`` when a
        control group exists (the treated group's rows are the ones measured).
    go_live : pandas.Period
        First month the CRM was live.
    baseline, after : tuple of two pandas.Period
        Inclusive windows.
    directions : mapping of str to {"higher", "lower"}
        The KPIs to compare (its keys, in order) and which way is better for each.
    labels : mapping of str to str, optional
        Words for each KPI in the readings (default: the column name).
    group_column, treated, control : str, optional
        The column naming the group, and its values for the CRM group and the control group.
        Without a control, DiD rows are left out.
    targets : mapping of str to (float, str), optional
        Per KPI ``(target, target_kind)`` as in :func:`reading`.
    methods : sequence of str
        Any of :data:`METHODS` (``"naive"``, ``"counterfactual"``, ``"state-space"``,
        ``"did"``, ``"did-trend"``); default :data:`DEFAULT_METHODS`. A placebo row is added
        for the counterfactual and for DiD; the DiD rows need a control group.
    level : float, fraction
        Interval level.
    seed : int
        Seed of the naive bootstrap.
    formatters : mapping of str to callable, optional
        Per KPI unit formatter for the readings. Default: :func:`percentage_points` for the
        fraction KPIs of the data contract (``win_rate``, ``lead_conversion``), plain numbers
        otherwise.
    parallel_trends : str
        The analyst's reason to assume parallel trends, for the plain DiD rows
        (:func:`~roi_kit.measure.did`); empty: plain DiD is valid only where the baseline
        bounds the bias of a drift it cannot see.

    Returns
    -------
    pandas.DataFrame
        Columns ``kpi, method, baseline, after, change, pct_change, low, high, excludes_zero,
        improvement, reading, note, mde, mde_pct, valid, validity``: ``mde`` is the minimum
        detectable effect in KPI units (80% power, 5% two-sided), ``mde_pct`` the same as a
        fraction of the baseline mean, ``valid`` False when a check found the method's
        assumptions broken on these data (``validity`` says why; never counted as money).
        A KPI with missing values in the windows has those
        months dropped (named in ``note``); one left with too few months gets a row of NaN
        whose ``note`` says why.
    """
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise CompareInputError(
            f"unknown method(s) {unknown}; choose from " + ", ".join(repr(m) for m in METHODS)
        )
    if "month" not in kpis.columns:
        raise CompareInputError("the KPI table needs a 'month' column")
    go_live = _as_period(go_live, "go_live")
    b0, b1 = (_as_period(p, "baseline bound") for p in baseline)
    a0, a1 = (_as_period(p, "after bound") for p in after)
    labels = labels or {}
    targets = targets or {}
    formatters = formatters or {}
    missing_cols = [k for k in directions if k not in kpis.columns]
    if missing_cols:
        raise CompareInputError(f"KPI column(s) not in the table: {', '.join(missing_cols)}")

    treated_rows, control_rows = _groups(kpis, group_column, treated, control)
    windows = ((b0, b1), (a0, a1))
    rows: list[dict[str, object]] = []
    for kpi, direction in directions.items():
        _check_direction(direction)
        rows += _kpi_rows(
            treated_rows,
            control_rows,
            kpi,
            go_live=go_live,
            windows=windows,
            methods=methods,
            common={"direction": direction, "level": level, "kpi": kpi},
            seed=seed,
            parallel_trends=parallel_trends,
            label=labels.get(kpi, kpi),
            fmt=formatters.get(kpi, percentage_points if kpi in _FRACTION_KPIS else None),
            target=targets.get(kpi),
        )
    return pd.DataFrame(rows, columns=_FRAME_COLUMNS)


def _kpi_rows(
    treated_rows: pd.DataFrame,
    control_rows: pd.DataFrame | None,
    kpi: str,
    *,
    go_live: pd.Period,
    windows: tuple[tuple[pd.Period, pd.Period], tuple[pd.Period, pd.Period]],
    methods: Sequence[str],
    common: dict[str, Any],
    seed: int,
    parallel_trends: str,
    label: str,
    fmt: Callable[[float], str] | None,
    target: tuple[float, str] | None,
) -> list[dict[str, object]]:
    """One KPI's rows: each method (and its placebo) run and read in words, or why not.

    ``common`` holds the keyword arguments every method takes (``direction``, ``level``,
    ``kpi``); a method that refuses the data gives a NaN row whose note says why.
    """
    baseline, after = windows
    t_series, t_note = _window_series(treated_rows, kpi, baseline, after, "")
    has_control = control_rows is not None
    c_note = pair_note = ""
    pair = None
    if has_control:
        c_series, c_note = _window_series(control_rows, kpi, baseline, after, "control ")
        pair, pair_note = _paired(t_series, c_series)
    tgt, kind = target if target is not None else (None, "absolute")
    rows: list[dict[str, object]] = []
    for name in _row_methods(methods, has_control):
        paired = "did" in name or name == "state-space"
        note = _join(t_note, c_note, pair_note) if paired else t_note
        try:
            result = _run_method(
                name, t_series, pair, go_live, windows, seed, common, parallel_trends
            )
        except RoiKitError as exc:
            rows.append(_failed_row(kpi, name, _join(note, f"not computed: {exc}"), label))
            continue
        result = _noted(result, note)
        text = reading(
            result,
            label=label,
            unit_formatter=fmt,
            target=None if name.startswith("placebo") else tgt,
            target_kind=kind,
        )
        rows.append(_row(result, text))
    return rows


def _paired(t_series: pd.Series, c_series: pd.Series) -> tuple[tuple[pd.Series, pd.Series], str]:
    """Treated and control on the months both have, and a note naming the months dropped.

    DiD needs both groups each month: months the control lacks are dropped here (named in
    the note), whereas :func:`~roi_kit.measure.did` itself refuses such a control outright.
    """
    note = ""
    no_ctl = t_series.index.difference(c_series.index)
    if len(no_ctl):
        note = f"dropped {len(no_ctl)} month(s) without control data: " + ", ".join(
            str(p) for p in no_ctl
        )
    both = t_series.index.intersection(c_series.index)
    return (t_series.reindex(both), c_series.reindex(both)), note


def _run_method(
    name: str,
    series: pd.Series,
    pair: tuple[pd.Series, pd.Series] | None,
    go_live: pd.Period,
    windows: tuple[tuple[pd.Period, pd.Period], tuple[pd.Period, pd.Period]],
    seed: int,
    common: dict[str, Any],
    parallel_trends: str = "",
) -> Comparison:
    """Run one row's method: ``series`` is the treated KPI, ``pair`` (treated, control) for DiD."""
    baseline, after = windows
    if name == "naive":
        return naive(series, go_live, baseline=baseline, after=after, seed=seed, **common)
    if name == "counterfactual":
        return counterfactual(series, go_live, baseline=baseline, after=after, **common)
    if name == "placebo-counterfactual":
        return placebo(series, go_live, baseline=baseline, **common)
    if name == "state-space":
        # With a control group, its KPI is a regressor (on the months both groups have).
        t_series, control = pair if pair is not None else (series, None)
        return state_space(
            t_series, go_live, control=control, baseline=baseline, after=after, **common
        )
    if pair is None:  # not reached: _row_methods lists DiD rows only when there is a control
        raise CompareInputError(f"{name} needs a control group: set group_column and control")
    if name == "did":
        assumed = {"parallel_trends": parallel_trends}
        return did(*pair, go_live, baseline=baseline, after=after, **assumed, **common)
    if name == "did-trend":
        return _did_trend(pair, go_live, baseline, after, common)
    return placebo(pair[0], go_live, method="did", control=pair[1], baseline=baseline, **common)


def _did_trend(
    pair: tuple[pd.Series, pd.Series],
    go_live: pd.Period,
    baseline: tuple[pd.Period, pd.Period],
    after: tuple[pd.Period, pd.Period],
    common: dict[str, Any],
) -> Comparison:
    """DiD with a group-specific linear trend (``did(..., trend=True)``)."""
    try:
        return did(*pair, go_live, baseline=baseline, after=after, trend=True, **common)
    except TypeError as exc:  # a did() without the trend option
        raise CompareInputError("this version of did() has no trend option") from exc


def _row_methods(methods: Sequence[str], has_control: bool) -> list[str]:
    """Row methods in display order: each method, then its placebo; DiD only with a control."""
    names: list[str] = []
    for method in methods:
        if method in ("did", "did-trend") and not has_control:
            continue
        names.append(method)
        if method in ("counterfactual", "did"):
            names.append(f"placebo-{method}")
    return names


def _groups(
    kpis: pd.DataFrame, group_column: str | None, treated: str | None, control: str | None
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The treated group's rows and the control group's (None without a control)."""
    if group_column is None:
        if treated is not None or control is not None:
            raise CompareInputError("treated/control need group_column (the column naming them)")
        return kpis, None
    if group_column not in kpis.columns:
        raise CompareInputError(f"group column {group_column!r} is not in the KPI table")
    if treated is None:
        raise CompareInputError(
            f"group_column {group_column!r} is set: name the CRM group with treated=..."
        )
    groups = set(kpis[group_column].dropna().astype(str))
    for name in (treated, control):
        if name is not None and name not in groups:
            raise CompareInputError(
                f"group {name!r} is not in column {group_column!r} (found {sorted(groups)})"
            )
    t_rows = kpis[kpis[group_column].astype(str) == treated]
    c_rows = None if control is None else kpis[kpis[group_column].astype(str) == control]
    return t_rows, c_rows


def _window_series(
    rows: pd.DataFrame,
    kpi: str,
    baseline: tuple[pd.Period, pd.Period],
    after: tuple[pd.Period, pd.Period],
    who: str,
) -> tuple[pd.Series, str]:
    """The KPI over the two windows as a monthly Series, NaN months dropped and named."""
    try:
        index = pd.PeriodIndex(rows["month"], freq="M")
    except (ValueError, TypeError) as exc:
        raise CompareInputError(f"the 'month' column must hold months ({exc})") from exc
    values = pd.to_numeric(rows[kpi], errors="coerce").astype(float)
    series = pd.Series(values.to_numpy(), index=index, name=kpi)
    inside = ((index >= baseline[0]) & (index <= baseline[1])) | (
        (index >= after[0]) & (index <= after[1])
    )
    series = series[inside]
    bad = ~np.isfinite(series.to_numpy())
    note = ""
    if bad.any():
        months = ", ".join(str(p) for p in series.index[bad])
        note = f"dropped {int(bad.sum())} {who}month(s) with missing values: {months}"
        series = series[~bad]
    return series, note


def _noted(result: Comparison, note: str) -> Comparison:
    """``result`` with ``note`` added to its own note."""
    return replace(result, note=_join(result.note, note)) if note else result


def _row(c: Comparison, text: str) -> dict[str, object]:
    """The table row of a computed comparison and its reading ``text``."""
    return {
        "kpi": c.kpi,
        "method": c.method,
        "baseline": c.baseline,
        "after": c.after,
        "change": c.change,
        "pct_change": c.pct_change,
        "low": c.low,
        "high": c.high,
        "excludes_zero": c.excludes_zero,
        "improvement": c.improvement,
        "reading": text,
        "note": c.note,
        "mde": c.mde,
        "mde_pct": abs(c.mde / c.baseline) if c.baseline else math.nan,
        "valid": c.valid,
        "validity": c.validity,
    }


def _failed_row(kpi: str, method: str, note: str, label: str) -> dict[str, object]:
    """The table row of a comparison that could not be computed: NaN numbers, ``note`` why."""
    nan = math.nan
    return {
        "kpi": kpi,
        "method": method,
        "baseline": nan,
        "after": nan,
        "change": nan,
        "pct_change": nan,
        "low": nan,
        "high": nan,
        "excludes_zero": False,
        "improvement": False,
        "reading": f"{label}: not measured ({note})",
        "note": note,
        "mde": nan,
        "mde_pct": nan,
        "valid": False,
        "validity": note,
    }


def compare_all(
    case: Any,
    *,
    methods: Sequence[str] = DEFAULT_METHODS,
    level: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Compare every KPI of a case by every method (the case-level entry point).

    Directions and labels come from the KPI catalogue (and the case's custom KPIs),
    targets from the case's goals, the control group from ``case.groups``. Fractions
    (win rate) speak in percentage points; other KPIs in their own unit.

    Parameters
    ----------
    case : roi_kit.case.Case
        A review case (a projection has no after period to measure).
    methods : sequence of str
        Any of :data:`METHODS` (the DiD rows need a control group). With ``"did"`` (or
        ``"panel-did"``) a case with units, several control groups or staggered go-lives
        also gets its panel rows (``panel-did`` / ``staggered-did``,
        :func:`roi_kit.measure.panel_table.panel_rows`).
    level : float, fraction
        Interval level.
    seed : int
        Seed of the naive bootstrap.

    Returns
    -------
    pandas.DataFrame
        As :func:`compare_frame`: one row per KPI and method, placebo rows included.

    Notes
    -----
    Inside a report (``ROI_KIT_STUDY_CACHE`` set) the table is computed once for all its
    pages and the study, keyed by the case's content and these arguments
    (:func:`roi_kit.case.memo.memoised`); elsewhere every call computes it.
    """
    # Imported here, as below: roi_kit.case imports the loaders.
    from roi_kit.case.memo import memoised

    return memoised(
        "compare",
        case,
        (tuple(methods), float(level), int(seed)),
        lambda: _compare_case(case, methods=methods, level=level, seed=seed),
    )


def _compare_case(case: Any, *, methods: Sequence[str], level: float, seed: int) -> pd.DataFrame:
    """:func:`compare_all` computed (never cached)."""
    # Imported here: roi_kit.case imports the loaders, which need not load for pure
    # DataFrame use of this module.
    from roi_kit.case import format_value, get_kpi, kpi_columns

    if case.after is None:
        raise CompareInputError(
            f"case {case.name!r} is a projection: there is no after period to measure; "
            "its changes are the expected_changes in case.yml"
        )
    directions: dict[str, str] = {}
    labels: dict[str, str] = {}
    formatters: dict[str, Callable[[float], str]] = {}
    for name in kpi_columns(case):
        kpi = get_kpi(name, case.custom_kpis)
        directions[name] = kpi.direction
        labels[name] = kpi.label
        if name not in _FRACTION_KPIS:
            formatters[name] = partial(format_value, kpi=kpi, currency=case.currency)
    targets = {g.kpi: (g.target, g.target_kind) for g in case.goals}
    group = case.groups
    wanted = [
        m
        for m in methods
        if m not in _PANEL_METHODS and (not m.startswith("did") or group is not None)
    ]
    frame = compare_frame(
        case.kpis,
        go_live=case.go_live,
        baseline=case.baseline,
        after=case.after,
        directions=directions,
        labels=labels,
        group_column=None if group is None else group.column,
        treated=None if group is None else group.treated,
        control=None if group is None else group.control,
        targets=targets,
        methods=wanted,
        level=level,
        seed=seed,
        formatters=formatters,
        parallel_trends=case.measurement.parallel_trends,
    )
    # Units, several control groups or staggered go-lives add the panel rows
    # (measure.panel_table); a case with one treated and one control series has none.
    from roi_kit.measure.panel_table import panel_rows

    if not any(m in methods for m in ("did", *_PANEL_METHODS)):
        return frame
    panel = panel_rows(case, level=level, seed=seed)
    return pd.concat([frame, panel], ignore_index=True) if len(panel) else frame
