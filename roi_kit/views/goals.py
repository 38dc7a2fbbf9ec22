"""Notebook 01's views: the goals as an HTML table, or a note when there are none.

The goals table itself (targets, baseline levels, what meeting a goal means) is computed by
:func:`roi_kit.measure.progress.goals_table`; this module only renders it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TYPE_CHECKING

from roi_kit.measure import progress
from roi_kit.views.tables import note_html, table_html

if TYPE_CHECKING:
    from roi_kit.case import Case, Goal

__all__ = ["NO_GOALS", "NO_KPI_TICKED", "goals_html", "goals_parts"]

#: The note shown in a report when the case sets no goals.
NO_GOALS = (
    "This case sets no goals yet (goals: in case.yml). Goals would add a target change "
    "per KPI: the rollout, tracking and summary steps would then say, KPI by KPI, whether "
    "the CRM reached what it was bought for."
)
#: The note shown in the goal editor's preview when no KPI is ticked.
NO_KPI_TICKED = "No KPI ticked."


def goals_html(case: Case, goals: Sequence[Goal] | None = None, *, empty: str = NO_GOALS) -> str:
    """The goals table as escaped HTML, or a note box saying there is none.

    Parameters
    ----------
    case : roi_kit.case.Case
    goals : sequence of Goal, optional
        Default: the case's goals.
    empty : str
        The note (plain text) shown when there are no goals.

    Returns
    -------
    str
    """
    table = progress.goals_table(case, goals)
    if table.empty:
        return note_html(html.escape(empty))
    return table_html(table)


def goals_parts(case: Case) -> list[str]:
    """Notebook 01's static goals section (report mode): the case's goals table."""
    return [goals_html(case)]
