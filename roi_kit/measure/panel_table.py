"""The panel rows of a case's comparison table: ``panel-did`` or ``staggered-did`` per KPI.

:func:`panel_rows` gives, for a case with units inside its groups (``groups.unit``) or with
more than one treated or control group, one row per KPI in the columns of
:func:`roi_kit.measure.compare_frame` (``mde``, ``valid`` and ``validity`` filled):

- ``panel-did`` (:func:`roi_kit.measure.panel.panel_did`) when every treated group went live
  at ``go_live``;
- ``staggered-did`` (:func:`roi_kit.measure.staggered.staggered_did`) when the go-lives
  differ (a two-way fixed-effects DiD would be biased there).

Amounts and counts are reported as the treated units' monthly total, as the single-series
rows report the treated group's; ratio KPIs as the treated groups' ratio (weighted by their
denominators). A case with one treated and one control group and no units has no panel rows:
two clusters carry no cluster-robust interval, and its single-series DiD row is the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

import pandas as pd

from roi_kit.errors import RoiKitError
from roi_kit.measure.compare import _FRACTION_KPIS, _FRAME_COLUMNS, _failed_row, _row
from roi_kit.measure.panel import panel_did
from roi_kit.measure.panel_data import case_panel
from roi_kit.measure.staggered import EventStudy, event_study, staggered_did
from roi_kit.measure.words import percentage_points, reading

__all__ = ["has_panel", "panel_rows", "case_event_study"]


def has_panel(case: Any) -> bool:
    """Whether the case has a panel to compare: units, or more than two groups."""
    spec = getattr(case, "groups", None)
    if spec is None or case.after is None:
        return False
    return spec.unit is not None or len(spec.treated_groups) + len(spec.control_groups) > 2


def _total(case: Any, name: str) -> bool:
    from roi_kit.case import get_kpi
    from roi_kit.case.kpis import unit_rule

    return unit_rule(get_kpi(name, case.custom_kpis)) == "sum"


def panel_rows(
    case: Any, *, kpis: Sequence[str] | None = None, level: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """One panel row per KPI of ``case`` (none when :func:`has_panel` is False).

    Parameters
    ----------
    case : roi_kit.case.Case
    kpis : sequence of str, optional
        The KPI columns (default: every KPI of the case).
    level : float, fraction
        Interval level.
    seed : int
        Seed of the wild cluster bootstrap.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`roi_kit.measure.compare_frame`; a KPI the method cannot measure
        gets a row of NaN whose ``note`` says why.
    """
    from roi_kit.case import format_value, get_kpi, kpi_columns

    if not has_panel(case):
        return pd.DataFrame([], columns=_FRAME_COLUMNS)
    spec = case.groups
    method = "staggered-did" if spec.staggered else "panel-did"
    targets = {g.kpi: (g.target, g.target_kind) for g in case.goals}
    rows = []
    for name in kpis if kpis is not None else kpi_columns(case):
        kpi = get_kpi(name, case.custom_kpis)
        try:
            panel = case_panel(case, name)
            options = {"kpi": name, "direction": kpi.direction, "level": level}
            total = _total(case, name)
            result = (
                staggered_did(panel, total=total, **options)
                if spec.staggered
                else panel_did(panel, total=total, seed=seed, **options)
            )
        except RoiKitError as exc:
            rows.append(_failed_row(name, method, f"not computed: {exc}", kpi.label))
            continue
        fmt = (
            percentage_points
            if name in _FRACTION_KPIS
            else partial(format_value, kpi=kpi, currency=case.currency)
        )
        target, kind = targets.get(name, (None, "absolute"))
        text = reading(result, label=kpi.label, unit_formatter=fmt, target=target, target_kind=kind)
        rows.append(_row(result, text))
    return pd.DataFrame(rows, columns=_FRAME_COLUMNS)


def case_event_study(case: Any, kpi: str, *, level: float = 0.95) -> EventStudy | None:
    """The event study of one KPI of a case with a panel (None without one)."""
    if not has_panel(case):
        return None
    return event_study(case_panel(case, kpi), kpi=kpi, level=level, total=_total(case, kpi))
