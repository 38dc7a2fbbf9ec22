"""Sentences about the case at hand, as Markdown, for the notebooks' prose.

A notebook's Markdown cells explain the method; every statement of a fact of the case
(months, groups, goals, margins, counts, scores, amounts) is built here from the loaded case
and its results, so a user's report never repeats the sample case's numbers as theirs.
The notebooks display these strings with IPython's ``Markdown``.

Case text (group names, KPI labels, cost items, intangible names) is user text: it is
escaped with :func:`md_escape` so it is shown literally, never read as Markdown or HTML.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from roi_kit.case import Case
from roi_kit.case.goals import format_target
from roi_kit.case.kpis import get_kpi
from roi_kit.formatting import money, percent
from roi_kit.measure.base import MIN_SEASONAL_MONTHS
from roi_kit.measure.baseline import BaselineFacts
from roi_kit.measure.projection import MIN_VALID_SEASONAL_MONTHS
from roi_kit.study.inputs import Inputs
from roi_kit.views.benefits import BenefitView
from roi_kit.views.costs import CostView

__all__ = [
    "md_escape",
    "plain_number",
    "goals_markdown",
    "baseline_markdown",
    "margin_markdown",
    "productivity_markdown",
    "counted_lines_markdown",
    "tco_sum_markdown",
    "cost_split_markdown",
    "internal_staff_markdown",
    "intangibles_markdown",
    "measurement_markdown",
]

#: Months needed to see each calendar month once.
YEAR_MONTHS = 12

# Every ASCII punctuation mark may be backslash-escaped in CommonMark; these are the ones
# that can start emphasis, code, links, tables or math (Jupyter renders $...$ as LaTeX)
# in the middle of a line. "+", "-" and "." only matter at a line's start, where user text
# never goes. "&", "<", ">" become HTML entities.
_MD_SPECIAL = set("\\`*_{}[]#|~$")


def md_escape(text: object) -> str:
    """User text made literal in Markdown: punctuation escaped, HTML made entities.

    Parameters
    ----------
    text : object
        Converted with ``str``; line breaks become spaces (one line of prose).

    Returns
    -------
    str

    Examples
    --------
    >>> print(md_escape("North_1 *<b>* [x](y) $5"))
    North\\_1 \\*&lt;b&gt;\\* \\[x\\](y) \\$5
    >>> md_escape("A & B")
    'A &amp; B'
    """
    out = []
    for ch in " ".join(str(text).splitlines()):
        if ch in _MD_SPECIAL:
            out.append("\\" + ch)
        elif ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        else:
            out.append(ch)
    return "".join(out)


def plain_number(value: float, decimals: int = 2) -> str:
    """A number with thousands separators and no trailing zeros, for worked arithmetic.

    Examples
    --------
    >>> plain_number(743.0), plain_number(0.8), plain_number(2971.9999), plain_number(16.8)
    ('743', '0.8', '2,972', '16.8')
    """
    text = f"{round(float(value), decimals):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _scalar(value: object) -> float:
    """The mean of a value that may be an array (Monte Carlo draws) or a scalar."""
    return float(np.mean(value))


def goals_markdown(case: Case) -> str:
    """The case's goals in one sentence.

    Parameters
    ----------
    case : Case

    Returns
    -------
    str
        Markdown: how many goals and each KPI's target (absolute or relative).
    """
    if not case.goals:
        return (
            "This case sets **no goals** yet: choose the KPIs the CRM should improve below "
            "and save them to a new case file."
        )
    parts = []
    for goal in case.goals:
        kpi = get_kpi(goal.kpi, case.custom_kpis)
        target = format_target(goal, kpi, case.currency)
        parts.append(f"{md_escape(kpi.label)} {target} ({goal.target_kind})")
    count = len(case.goals)
    noun = "goal" if count == 1 else "goals"
    return f"This case (`case.yml`) sets **{count} {noun}**: " + "; ".join(parts) + "."


def _group_words(case: Case) -> tuple[str, str]:
    """(who the baseline months are counted for, the sentence on the control group)."""
    if case.groups is None:
        return "the case", "There is no control group."
    spec = case.groups
    treated_names = spec.treated_groups or (spec.treated,)
    controls = spec.control_groups or ((spec.control,) if spec.control else ())
    listed = ", ".join(f"*{md_escape(g)}*" for g in treated_names)
    treated = f"the CRM group {listed}" if len(treated_names) == 1 else f"the CRM groups {listed}"
    if not controls:
        return treated, "There is no control group."
    names = ", ".join(f"*{md_escape(g)}*" for g in controls)
    if len(controls) == 1:
        return treated, f"{names} is the control group."
    return treated, f"{names} are the control groups (pooled)."


def baseline_markdown(case: Case, facts: BaselineFacts) -> str:
    """The baseline's length, quality score and control group, as a short paragraph.

    Parameters
    ----------
    case : Case
    facts : BaselineFacts
        From :func:`roi_kit.measure.baseline.baseline_facts`.

    Returns
    -------
    str
        Markdown.
    """
    who, control = _group_words(case)
    name = md_escape(case.files["kpis"].name) if "kpis" in case.files else "the KPI table"
    year = "at least" if facts.months >= YEAR_MONTHS else "fewer than"
    seasonal = "reaches" if facts.seasonal else "falls short of"
    counts = (
        "which this baseline reaches"
        if facts.seasonal and facts.months >= MIN_VALID_SEASONAL_MONTHS
        else "which this baseline does not reach"
    )
    return (
        f"`{name}` holds the baseline months {facts.start} to {facts.end} before the "
        f"{case.go_live} go-live: **{facts.months} months** for {who}. That is {year} the "
        f"{YEAR_MONTHS} needed to see a year of seasons, and {seasonal} the "
        f"{MIN_SEASONAL_MONTHS} the seasonal counterfactual needs (1 level + 1 trend + 11 "
        "month effects + 4 degrees of freedom for the noise); its estimate counts as evidence "
        f"only with {MIN_VALID_SEASONAL_MONTHS} or more baseline months (measured: with fewer "
        f"its interval cannot be trusted), {counts}. The data-quality score is "
        f"**{facts.quality_score}/100** ({facts.errors} error(s), {facts.warnings} "
        f"warning(s)). {control}"
    )


def margin_markdown(view: BenefitView) -> str:
    """How much rosier the revenue view is than the margin view, at the case's margin.

    Parameters
    ----------
    view : BenefitView

    Returns
    -------
    str
        Markdown; the ratio is 1 / gross margin, since both views share the attribution.
    """
    margin = _scalar(view.params["gross_margin"])
    if margin <= 0:
        return "The case's gross margin is 0%: no revenue change becomes profit."
    ratio = 1.0 / margin
    return (
        f"At this case's gross margin of {percent(margin, decimals=0)} (likely value), the "
        f"revenue view is 1 / {plain_number(margin)} = **{plain_number(ratio, 1)} times** the "
        f"margin view: an ROI built on it would be {plain_number(ratio, 1)} times too rosy "
        "on this line."
    )


def _user_months(case: Case) -> tuple[float, int, str]:
    """(active user-months, months, where) behind the productivity line's user count.

    The same rule as :func:`roi_kit.study.inputs.model_inputs`: a review's after period, a
    projection's last three planned months.
    """
    table = case.adoption
    if case.after is None:
        rows = table.tail(3)
        where = "the last three planned months"
    else:
        start, end = case.after
        rows = table[(table["month"] >= start) & (table["month"] <= end)]
        where = f"the after period ({start} to {end}, the window of the measured changes)"
    return float(rows["active_users"].sum()), len(rows), where


def _users_bullet(case: Case, users: float) -> tuple[str, str]:
    """(the bullet saying where the active users come from, users as worked arithmetic)."""
    if case.adoption is None or not len(case.adoption):
        return (
            f"- **Active users**: no adoption table; {plain_number(users, 1)} users from "
            "`case.yml`.",
            plain_number(users, 1),
        )
    total, n, where = _user_months(case)
    return (
        f"- **Active users**: the mean over {where} in `adoption.csv`: "
        f"{plain_number(total)} user-months / {n} = **{plain_number(total / n, 1)} users**.",
        f"{plain_number(total)}/{n}",
    )


def productivity_markdown(case: Case, view: BenefitView) -> str:
    """The productivity line worked by hand from the case's files, as a bullet list.

    Parameters
    ----------
    case : Case
    view : BenefitView

    Returns
    -------
    str
        Markdown: active users, the assumptions, hours, value and the recaptured share.
    """
    line = next((ln for ln in view.lines if ln.kind == "productivity"), None)
    got = {} if line is None else {i.name: _scalar(i.value) for i in line.inputs}
    users = got.get("users", 0.0)
    if line is None or not users > 0:
        return (
            "This case gives **no active users** (no adoption table, no `active_users` in "
            "`case.yml`): time saved cannot be valued, and the productivity line is not counted."
        )
    users_line, users_text = _users_bullet(case, users)
    hours, weeks = got["hours_saved_per_user_week"], got["weeks_per_year"]
    rate, share = got["loaded_hourly_rate"], got["recapture_factor"]
    per_year = hours * users * weeks
    cur = case.currency
    return "\n".join(
        [
            users_line,
            f"- From `case.yml`: hours saved per user-week {plain_number(hours)} (likely), "
            f"loaded hourly rate {money(rate, cur, decimals=2)}, recapture factor "
            f"{plain_number(share)}; the model's working weeks per year: {plain_number(weeks)}.",
            f"- Hours saved per year: {plain_number(hours)} × {users_text} × "
            f"{plain_number(weeks)} = {plain_number(per_year, 0)} hours; at "
            f"{money(rate, cur, decimals=2)}: {money(per_year * rate, cur)}; recaptured "
            f"share {percent(share, decimals=0)}: **{money(per_year * rate * share, cur)} "
            "a year**.",
        ]
    )


def counted_lines_markdown(view: BenefitView) -> str:
    """Which benefit lines are built and which count, each left-out line with its reason.

    Parameters
    ----------
    view : BenefitView

    Returns
    -------
    str
        Markdown paragraph then one bullet per line that is not counted.
    """
    names = [md_escape(ln.name) for ln in view.lines]
    counted = [md_escape(ln.name) for ln in view.lines if ln.counted]
    head = (
        f"**Counted lines**: {len(names)} lines are built ({', '.join(names)}); "
        f"**{len(counted)} of {len(names)}** count: {', '.join(counted) or 'none'}."
    )
    left = [f"- {md_escape(ln.name)}: {md_escape(ln.note)}" for ln in view.lines if not ln.counted]
    return "\n\n".join([head, "\n".join(left)]) if left else head


def tco_sum_markdown(view: CostView) -> str:
    """The TCO as the sum of its periods, and its one-time / recurring split.

    Parameters
    ----------
    view : CostView

    Returns
    -------
    str
        Markdown, amounts in whole currency units.
    """
    s, cur = view.schedule, view.currency
    periods = ["Initial", *s.year_labels]
    terms = " + ".join(f"{p} {money(s.yearly.loc['Total', p], cur)}" for p in periods)
    return (
        f"From the ledger: {terms} = **TCO {money(s.tco, cur)}**; one-time "
        f"{money(s.one_time_total, cur)}, recurring {money(s.recurring_total, cur)}. "
        f"Risk-adjusted (cost risk {percent(view.risk_costs, decimals=0)} on the costs not "
        f"yet paid when the data ends): **{money(view.risk_adjusted_tco, cur)}**."
    )


def cost_split_markdown(view: CostView) -> str:
    """The recurring share of the TCO in one sentence.

    Parameters
    ----------
    view : CostView

    Returns
    -------
    str
        Markdown.
    """
    s = view.schedule
    if s.tco <= 0:
        return "The ledger has no cost inside the horizon."
    share = s.recurring_total / s.tco
    return (
        f"Over the {s.horizon_years} years of this case's horizon the recurring costs are "
        f"**{percent(share, decimals=0)}** of the TCO ({money(s.recurring_total, view.currency)}"
        f" of {money(s.tco, view.currency)}), the one-time costs "
        f"{percent(1.0 - share, decimals=0)}."
    )


def _staff_rows(case: Case, view: CostView) -> list[tuple[str, float, float, float]]:
    """(item, hours, hourly rate, total in the horizon) of each internal staff line."""
    ledger = case.costs.reset_index(drop=True)
    lines = view.schedule.lines.reset_index(drop=True)
    rows = []
    for position in range(len(lines)):
        if lines.loc[position, "category"] != "internal_staff":
            continue
        hours = ledger.loc[position].get("hours")
        rate = ledger.loc[position].get("hourly_rate")
        rows.append(
            (
                str(lines.loc[position, "item"]),
                float("nan") if hours is None or pd.isna(hours) else float(hours),
                float("nan") if rate is None or pd.isna(rate) else float(rate),
                float(lines.loc[position, "total"]),
            )
        )
    return rows


def internal_staff_markdown(case: Case, view: CostView) -> str:
    """The internal staff lines, their share of the TCO and the rate against time saved.

    Parameters
    ----------
    case : Case
    view : CostView

    Returns
    -------
    str
        Markdown.
    """
    rows = _staff_rows(case, view)
    if not rows:
        return (
            "This ledger has **no internal staff line**: if people inside the company worked "
            "on the project or run the CRM, their hours are missing from the TCO."
        )
    cur = case.currency
    parts = []
    for item, hours, rate, _ in rows:
        basis = "" if math.isnan(hours) else f": {plain_number(hours)} h per occurrence"
        basis += "" if math.isnan(rate) else f" at {money(rate, cur, decimals=2)}"
        parts.append(f"{md_escape(item)}{basis}")
    total = math.fsum(r[3] for r in rows)
    share = total / view.schedule.tco if view.schedule.tco > 0 else 0.0
    saved = _scalar(case.assumptions["loaded_hourly_rate"].likely)
    return (
        "In this ledger: " + "; ".join(parts) + f". Together {money(total, cur)}, "
        f"**{percent(share, decimals=0)} of the TCO**. The loaded rate `case.yml` uses for "
        f"time saved is {money(saved, cur, decimals=2)}."
    )


def intangibles_markdown(case: Case) -> str:
    """The weighted intangibles score worked by hand from ``case.yml``.

    Parameters
    ----------
    case : Case

    Returns
    -------
    str
        Markdown: Σ score × weight / Σ weight on the 1-5 scale.
    """
    items: Sequence = case.intangibles
    if not items:
        return "This case scores **no intangibles** (`intangibles` in `case.yml`)."
    top = " + ".join(f"{plain_number(i.score)}×{plain_number(i.weight)}" for i in items)
    bottom = " + ".join(plain_number(i.weight) for i in items)
    num = math.fsum(i.score * i.weight for i in items)
    den = math.fsum(i.weight for i in items)
    return (
        f"By hand from this case's `case.yml` ({len(items)} item{'s' if len(items) > 1 else ''}): "
        f"({top}) / ({bottom}) = "
        f"{plain_number(num)} / {plain_number(den)} = **{num / den:.2f}** on the 1-5 scale."
    )


def measurement_markdown(case: Case, inputs: Inputs) -> str:
    """Which method's estimate becomes money for each KPI the model values, and why.

    Parameters
    ----------
    case : Case
    inputs : Inputs
        From :func:`roi_kit.study.inputs.model_inputs` (the rule is in ``method_rule``).

    Returns
    -------
    str
        Markdown: the rule and where it was set, then one bullet per KPI.
    """
    if inputs.projected:
        return (
            "A **projection**: nothing is measured yet; the changes are the expected "
            "changes in `case.yml` (low / likely / high)."
        )
    head = (
        f"**Method for money**: `{md_escape(inputs.method_rule)}`, set by "
        f"{md_escape(inputs.method_source)} (`measurement.method` in `case.yml`; "
        "`auto` picks per KPI: difference-in-differences when a control group exists and it "
        "is valid, else the counterfactual, else the state-space model, else nothing)."
    )
    bullets = []
    for kpi, change in inputs.changes.items():
        label = get_kpi(kpi, case.custom_kpis).label
        counted = "counted" if inputs.counted.get(kpi) else "not counted"
        bullets.append(f"- {md_escape(label)} ({counted}): {md_escape(change.reason)}")
    return "\n".join([head, "", *bullets]) if bullets else head
