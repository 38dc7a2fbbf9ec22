"""Notebook 03's panel: adoption over time, the adoption warning, KPI gap against adoption.

Interactive: sliders for the warning level and the target rate, selectors for the KPI and
the gap method (a :func:`roi_kit.widgets.panel.slider_panel`). Report mode: the defaults
(warning 60%, target 80%, counterfactual gap) for every goal KPI (win rate when the case
has no goals), shown through :func:`roi_kit.widgets.display.show`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ipywidgets as w

from roi_kit.case import get_kpi, kpi_columns
from roi_kit.errors import RoiKitError
from roi_kit.measure import adoption as adopt
from roi_kit.views import rollout as rollout_view
from roi_kit.widgets.display import Part, show
from roi_kit.widgets.panel import slider, slider_panel

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = ["Rollout", "rollout", "rollout_widget", "rollout_panel"]


@dataclass(frozen=True)
class Rollout:
    """What the rollout step computed for one setting of its controls.

    Attributes
    ----------
    summary : AdoptionSummary
        At the target rate.
    warning : str or None
        The adoption warning at the warning level (None: no warning).
    uplifts : dict of str to AdoptionUplift or RoiKitError
        KPI -> its gap-against-adoption fit, or the error that refused it.
    warning_threshold, target : float, fraction
        The levels used.
    """

    summary: adopt.AdoptionSummary
    warning: str | None
    uplifts: dict[str, adopt.AdoptionUplift | RoiKitError]
    warning_threshold: float
    target: float


def rollout(
    case: Case,
    *,
    warning_threshold: float = adopt.DEFAULT_WARNING_THRESHOLD,
    target: float = adopt.DEFAULT_TARGET_RATE,
    kpis: Sequence[str] = ("win_rate",),
    method: str = "counterfactual",
) -> Rollout:
    """Compute the rollout step: adoption summary, warning and each KPI's gap fit."""
    summary = adopt.adoption_summary(case, threshold=target)
    uplifts: dict[str, adopt.AdoptionUplift | RoiKitError] = {}
    for name in kpis:
        try:
            uplifts[name] = adopt.uplift_vs_adoption(case, name, method=method)
        except RoiKitError as exc:
            # Shown as a warning note in place of the chart: one KPI's refusal is an answer.
            uplifts[name] = exc
    warning = adopt.adoption_warning(summary, threshold=warning_threshold)
    return Rollout(summary, warning, uplifts, warning_threshold, target)


def _parts(case: Case, result: Rollout) -> list[Part]:
    return rollout_view.rollout_parts(
        case,
        result.summary,
        result.warning,
        result.uplifts,
        warning_threshold=result.warning_threshold,
        target=result.target,
    )


def _goal_kpis(case: Case) -> list[str]:
    return [g.kpi for g in case.goals] or ["win_rate"]


def rollout_widget(case: Case) -> w.VBox:
    """Sliders and selectors over the adoption charts and the gap-against-adoption chart.

    Returns
    -------
    ipywidgets.VBox
        ``panel.children[0]`` holds the controls (warning level, target rate, KPI, gap
        method); ``panel.result`` is the latest :class:`Rollout`.
    """
    names = kpi_columns(case)
    first = _goal_kpis(case)[0]
    methods = [("against the counterfactual", "counterfactual")]
    if case.groups is not None:
        methods.append(("against the control group (DiD)", "did"))
    controls = {
        "warning_threshold": slider(
            adopt.DEFAULT_WARNING_THRESHOLD, 0.2, 0.95, 0.05, "warning below", ".0%"
        ),
        "target": slider(adopt.DEFAULT_TARGET_RATE, 0.3, 1.0, 0.05, "target adoption rate", ".0%"),
        "kpi": w.Dropdown(
            options=[(get_kpi(n, case.custom_kpis).label, n) for n in names],
            value=first if first in names else names[0],
            description="KPI",
            style={"description_width": "14em"},
        ),
        "method": w.Dropdown(
            options=methods,
            value="counterfactual",
            description="gap",
            style={"description_width": "14em"},
        ),
    }

    def render(warning_threshold: float, target: float, kpi: str, method: str):
        result = rollout(
            case, warning_threshold=warning_threshold, target=target, kpis=[kpi], method=method
        )
        return result, _parts(case, result)

    return slider_panel(controls, render)


def rollout_panel(case: Case, *, report_mode: bool = False) -> None:
    """Show notebook 03's rollout step: the live panel, or (report mode) the defaults.

    Parameters
    ----------
    case : roi_kit.case.Case
    report_mode : bool
        True: the default levels and the counterfactual gap for every goal KPI, static.
        Without an adoption table, either mode shows what is missing and what it would add.
    """
    if not rollout_view.has_adoption(case):
        # Nothing to slide without the table: say what is missing in either mode.
        show([rollout_view.no_adoption_html(case)], report_mode=True)
    elif report_mode:
        show(_parts(case, rollout(case, kpis=_goal_kpis(case))), report_mode=True)
    else:
        show((), report_mode=False, widget=rollout_widget(case))
