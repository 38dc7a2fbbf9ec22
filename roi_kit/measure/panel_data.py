"""The long panel a panel comparison runs on: one row per unit and month, from a case.

A case with ``groups`` (and, optionally, ``groups.unit``) holds its KPIs per month x group
(x unit). The panel methods (:mod:`roi_kit.measure.panel`, :mod:`roi_kit.measure.staggered`)
take them as one tidy frame with the columns of :data:`PANEL_COLUMNS`:

- ``unit`` - the cluster: a sales rep, team or store (``groups.unit``), else the group;
- ``group`` - the unit's group; ``treated`` - whether that group adopted the CRM;
- ``month`` - a monthly :class:`pandas.Period`; ``t`` - its ordinal (an integer);
- ``go_live`` - ordinal of the group's go-live month (0 for a control group);
- ``d`` - 1 in the months a treated unit used the CRM, else 0;
- ``y`` - the KPI; ``w`` - its weight: the denominator of a ratio KPI (deals won for the
  average deal size, closed deals for the win rate; :func:`roi_kit.case.kpis.unit_weights`),
  1 otherwise, so that a regression on units estimates the effect on the group ratio, not
  on the mean of unit ratios.

Only the baseline and the after months are kept (the months between them are neither);
groups that are neither treated nor control are left out, as in the single-series methods.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from roi_kit.measure.base import CompareInputError

__all__ = ["PANEL_COLUMNS", "case_panel", "check_panel"]

#: Columns of a panel frame, in order.
PANEL_COLUMNS = ["unit", "group", "treated", "month", "t", "go_live", "d", "y", "w"]


def case_panel(case: Any, kpi: str) -> pd.DataFrame:
    """The panel of one KPI of a case with groups: units (or groups) by month.

    Parameters
    ----------
    case : roi_kit.case.Case
        A review case with ``groups`` (its ``unit_kpis`` when ``groups.unit`` is set).
    kpi : str
        A KPI column.

    Returns
    -------
    pandas.DataFrame
        The :data:`PANEL_COLUMNS`; rows with a missing value or a zero weight dropped.

    Raises
    ------
    CompareInputError
        The case has no groups or no after period, or ``kpi`` is not one of its columns.
    """
    # Imported here, as in compare.compare_all: this module is usable on plain frames.
    from roi_kit.case import get_kpi
    from roi_kit.case.kpis import unit_weights

    spec = case.groups
    if spec is None or case.after is None:
        raise CompareInputError(
            f"case {case.name!r}: a panel comparison needs groups (treated and control) and "
            "an after period (a review)"
        )
    rows = case.unit_kpis if spec.unit is not None else case.kpis
    if kpi not in rows.columns:
        raise CompareInputError(f"KPI column {kpi!r} is not in the case's KPI table")
    groups = rows[spec.column].astype(str)
    rows = rows[groups.isin(spec.treated_groups + spec.control_groups)]
    months = pd.PeriodIndex(rows["month"], freq="M")
    inside = ((months >= case.baseline[0]) & (months <= case.baseline[1])) | (
        (months >= case.go_live) & (months <= case.after[1])
    )
    rows, months = rows[inside], months[inside]
    group = rows[spec.column].astype(str).to_numpy()
    treated = np.isin(group, spec.treated_groups)
    go = {g: spec.go_lives.get(g, case.go_live).ordinal for g in spec.treated_groups}
    go_live = np.array([go.get(g, 0) for g in group], dtype=np.int64)
    t = months.asi8
    unit = rows[spec.unit].astype(str).to_numpy() if spec.unit is not None else group
    frame = pd.DataFrame(
        {
            "unit": unit,
            "group": group,
            "treated": treated,
            "month": months,
            "t": t,
            "go_live": go_live,
            "d": (treated & (t >= go_live)).astype(float),
            "y": pd.to_numeric(rows[kpi], errors="coerce").astype(float).to_numpy(),
            "w": unit_weights(rows, get_kpi(kpi, case.custom_kpis)).to_numpy(dtype=float),
        }
    )
    keep = np.isfinite(frame["y"]) & np.isfinite(frame["w"]) & (frame["w"] > 0)
    return frame[keep].reset_index(drop=True)


def check_panel(panel: pd.DataFrame) -> pd.DataFrame:
    """``panel`` checked: the columns of :data:`PANEL_COLUMNS`, treated and control units.

    Raises
    ------
    CompareInputError
        A column is missing, a value is not finite, or there are no treated or no control
        units, or no treated unit-month before or after its go-live.
    """
    if not isinstance(panel, pd.DataFrame):
        raise CompareInputError(f"a panel must be a DataFrame (found {type(panel).__name__})")
    missing = [c for c in PANEL_COLUMNS if c not in panel.columns]
    if missing:
        raise CompareInputError(
            f"the panel lacks column(s) {', '.join(missing)}; build it with case_panel()"
        )
    values = panel[["t", "go_live", "d", "y", "w"]].to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise CompareInputError("the panel has missing or infinite values; drop those rows")
    treated = panel["treated"].astype(bool)
    if not treated.any() or treated.all():
        raise CompareInputError(
            "the panel needs both treated and control units (found "
            f"{panel.loc[treated, 'unit'].nunique()} treated, "
            f"{panel.loc[~treated, 'unit'].nunique()} control)"
        )
    pre = treated & (panel["d"] == 0)
    post = panel["d"] == 1
    if not pre.any() or not post.any():
        raise CompareInputError("the treated units need months both before and after their go-live")
    return panel
