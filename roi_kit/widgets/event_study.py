"""Groups, units and the event study in notebooks 03 and 04, shown only when the case has them.

:func:`groups_panel` (notebook 03) shows the case's groups, their role, go-live and units;
:func:`event_study_panel` (notebook 04) the panel comparison rows and the event-study figure
of a KPI (a KPI selector when interactive; the report KPIs when headless). A case without
groups, or with one treated and one control group and no units, shows nothing: the notebooks
then look exactly as before.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as w

from roi_kit.case import get_kpi, kpi_columns
from roi_kit.measure.panel_table import case_event_study, has_panel, panel_rows
from roi_kit.views import event_study as view
from roi_kit.views.tables import table_html
from roi_kit.widgets.display import Part, as_widget, show

if TYPE_CHECKING:
    from roi_kit.case import Case

__all__ = ["groups_panel", "event_study_parts", "event_study_panel"]

# Shown above the panel results only (a case without a panel shows nothing at all).
_INTRO = (
    "<h3>Units and groups: the panel comparison and the event study</h3>"
    "<p>The KPIs are compared unit by unit: each unit of a CRM group against the units of "
    "the control groups in the same months, with a level per unit and an effect per month "
    "shared by all units (two-way fixed effects), intervals clustered by unit (a wild "
    "cluster bootstrap below 40 units). With staggered go-lives the two-stage DiD of "
    "Gardner is used instead, which does not compare late adopters with early ones. The "
    "event study shows the effect by month since go-live: the months before go-live should "
    "scatter around zero if the groups moved in parallel before the CRM.</p>"
)


def groups_panel(case: Case, *, report_mode: bool = False) -> None:
    """Show the groups table and sentence (nothing when the case has no groups)."""
    if case.groups is None:
        return
    parts: list[Part] = [
        f"<p>{html.escape(view.groups_sentence(case))}</p>",
        table_html(view.groups_table(case)),
    ]
    show(parts, report_mode=report_mode)


def event_study_parts(case: Case, kpi: str) -> list[Part]:
    """One KPI's panel row (in words) and event-study figure, with the pre-trend sentence."""
    label = get_kpi(kpi, case.custom_kpis).label
    rows = panel_rows(case, kpis=[kpi])
    parts: list[Part] = [f"<h4>{html.escape(label)}</h4>"]
    for _, row in rows.iterrows():
        text = row["reading"] + ("" if row["valid"] else f" (not valid: {row['validity']})")
        parts.append(f"<p>{html.escape(text)}</p>")
    study = case_event_study(case, kpi)
    if study is not None:
        parts.append(view.event_study_figure(study, label=label))
        parts.append(f"<p>{html.escape(view.event_study_sentence(study))}</p>")
    return parts


def _report_kpis(case: Case) -> list[str]:
    """The goal KPIs plus revenue, or every KPI without goals (as notebook 04's report)."""
    names = kpi_columns(case)
    wanted = [g.kpi for g in case.goals if g.kpi in names]
    if wanted and "revenue" in names and "revenue" not in wanted:
        wanted.insert(0, "revenue")
    return wanted or names


def event_study_panel(case: Case, *, report_mode: bool = False) -> None:
    """Show the panel comparison and event study per KPI (nothing without a panel)."""
    if not has_panel(case):
        return
    if report_mode:
        parts: list[Part] = [_INTRO]
        for kpi in _report_kpis(case):
            parts += event_study_parts(case, kpi)
        show(parts, report_mode=True)
        return
    names = kpi_columns(case)
    choose = w.Dropdown(options=names, value=names[0], description="KPI")
    out = w.Output()

    def redraw(_change=None) -> None:
        out.clear_output(wait=True)
        with out:
            from IPython.display import display

            display(as_widget(event_study_parts(case, choose.value)))

    choose.observe(redraw, names="value")
    redraw()
    show((), report_mode=False, widget=w.VBox([w.HTML(_INTRO), choose, out]))
