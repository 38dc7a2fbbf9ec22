"""The costs step (notebook 06): the ledger, the TCO by year, one-time against recurring.

:func:`cost_view` schedules the case's ledger (:func:`roi_kit.money.costs.cost_schedule`) and
risk-adjusts it exactly as the ROI model does (:func:`roi_kit.money.finance.evaluate`); the
tables and figures arrange and draw the :class:`CostView` it returns. The sliders are in
:mod:`roi_kit.widgets.costs`.

References
----------
.. [1] Forrester Research, "The Total Economic Impact (TEI) methodology": Initial column,
   years 1..N, costs risk-adjusted up.
.. [2] The source articles (``shared/source-articles.zh.txt``): the cost list (software,
   hardware, implementation, training, support, subscriptions, internal staff; one-time
   and recurring).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from roi_kit.case import Case
from roi_kit.formatting import money, percent
from roi_kit.money import costs as cs
from roi_kit.money import finance
from roi_kit.study import model
from roi_kit.views.style import CATEGORY_COLORS, PALETTE, money_axis, new_figure, plain
from roi_kit.views.tables import note_html

__all__ = [
    "CostView",
    "cost_view",
    "ledger_table",
    "tco_display_table",
    "cost_split_table",
    "proration_table",
    "internal_staff_table",
    "costs_by_year_figure",
    "one_time_recurring_figure",
    "tco_check_text",
    "overrun_grid_table",
    "cost_headline_html",
    "after_horizon_html",
]


@dataclass(frozen=True)
class CostView:
    """The cost schedule for one overrun and cost risk, with its TEI totals.

    Attributes
    ----------
    schedule : CostSchedule
        With ``overrun`` applied to every line.
    overrun : float, fraction
        Expected overrun on the ledger (0.2 = 20% more).
    risk_costs : float, fraction
        TEI cost risk adjustment.
    discount_rate : float, fraction per year
    tco : float, currency
        Initial + Years 1..N, overrun included, before risk.
    risk_adjusted_years : ndarray, currency
        ``[Initial, Year 1..N]`` after the cost risk (from :func:`roi_kit.money.finance.evaluate`).
    risk_adjusted_tco : float, currency
    pv_costs : float, currency
        Present value of the risk-adjusted costs at ``discount_rate``.
    currency : str
    """

    schedule: cs.CostSchedule
    overrun: float
    risk_costs: float
    discount_rate: float
    tco: float
    risk_adjusted_years: np.ndarray
    risk_adjusted_tco: float
    pv_costs: float
    currency: str


def cost_view(
    case: Case,
    *,
    overrun: float | None = None,
    risk_costs: float | None = None,
    annual: Literal["prorated", "anniversary"] = "prorated",
) -> CostView:
    """Schedule the case's ledger and risk-adjust it as the ROI model does.

    Parameters
    ----------
    case : Case
    overrun : float, fraction > -1, optional
        Default: the case's ``cost_overrun`` assumption (likely value).
    risk_costs : float, fraction [0, 10), optional
        Default: ``case.risk_costs``.
    annual : {"prorated", "anniversary"}
        How annual lines are charged (see :mod:`roi_kit.money.costs`).

    Returns
    -------
    CostView
    """
    if overrun is None:
        spec = case.assumptions.get("cost_overrun")
        overrun = float(spec.likely) if spec is not None else 0.0
    risk = float(case.risk_costs if risk_costs is None else risk_costs)
    schedule = cs.cost_schedule(
        case.costs,
        go_live=case.go_live,
        horizon_years=case.horizon_years,
        overrun=float(overrun),
        annual=annual,
    )
    flows = cs.yearly_cash_flows(schedule)
    # finance.evaluate applies the TEI cost risk (x (1 + risk)) to the costs not yet paid
    # at the end of the data (a review's past costs are actuals) and discounts, exactly as
    # the ROI notebook does; benefits are zero here because only costs are shown.
    ev = finance.evaluate(
        np.zeros_like(flows),
        flows,
        discount_rate=case.discount_rate,
        risk_costs=risk * model.cost_future_share(case, schedule),
    )
    return CostView(
        schedule=schedule,
        overrun=float(overrun),
        risk_costs=risk,
        discount_rate=float(case.discount_rate),
        tco=float(schedule.tco),
        risk_adjusted_years=ev.costs,
        risk_adjusted_tco=float(ev.costs.sum()),
        pv_costs=float(ev.pv_costs),
        currency=case.currency,
    )


def _category_label(cat: str) -> str:
    return cat.replace("_", " ").capitalize()


def _month(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def ledger_table(case: Case, schedule: cs.CostSchedule | None = None) -> pd.DataFrame:
    """The cost ledger as loaded, with what each line costs over the horizon.

    Parameters
    ----------
    case : Case
    schedule : CostSchedule, optional
        Default: :func:`cost_view` of the case (no overrun).

    Returns
    -------
    DataFrame
        Display strings, one row per ledger line in file order: ``Row`` (as a spreadsheet
        shows it), ``Item``, ``Category``, ``Type``, ``Amount`` (as in the file),
        ``Hours × rate``, ``Frequency``, ``Start``, ``End``, ``In the horizon``.
    """
    schedule = schedule if schedule is not None else cost_view(case).schedule
    cur = case.currency
    ledger = case.costs.reset_index()
    rows = []
    for (_, r), (_, s) in zip(ledger.iterrows(), schedule.lines.iterrows()):
        hours, rate = r.get("hours"), r.get("hourly_rate")
        has_hours = hours is not None and not pd.isna(hours) and not pd.isna(rate)
        rows.append(
            {
                "Row": int(r["row"]) if "row" in r else "",
                "Item": str(r["item"]),
                "Category": _category_label(str(r["category"])),
                "Type": str(r["type"]).replace("_", "-"),
                "Amount": "" if pd.isna(r["amount"]) else money(r["amount"], cur, decimals=2),
                "Hours × rate": f"{hours:,.0f} h × {money(rate, cur, decimals=2)} = "
                f"{money(hours * rate, cur)}"
                if has_hours
                else "",
                "Frequency": str(r["frequency"]),
                "Start": _month(r["start"]),
                "End": "" if r["frequency"] == "once" else _month(r["end"]) or "(horizon end)",
                "In the horizon": money(s["total"], cur),
            }
        )
    return pd.DataFrame(rows)


def tco_display_table(view: CostView) -> pd.DataFrame:
    """The TCO by category and year (:func:`roi_kit.money.costs.tco_table`), formatted.

    Parameters
    ----------
    view : CostView

    Returns
    -------
    DataFrame
        Index: categories, ``Total``, ``of which one-time``, ``of which recurring``, then
        ``Risk-adjusted total``; columns ``Initial``, ``Year 1`` .. ``Total``; money text.
    """
    table = cs.tco_table(view.schedule, view.currency)
    risk_row = list(view.risk_adjusted_years) + [view.risk_adjusted_tco]
    label = f"Risk-adjusted total (+{percent(view.risk_costs, decimals=0)})"
    table.loc[label] = risk_row
    return table.map(lambda v: money(v, view.currency))


def cost_split_table(view: CostView) -> pd.DataFrame:
    """One-time against recurring, with each one's share of the TCO.

    Parameters
    ----------
    view : CostView

    Returns
    -------
    DataFrame
        Rows ``One-time``, ``Recurring``, ``TCO``; columns ``Cost``, ``Share``.
    """
    s = view.schedule
    tco = s.tco or 1.0
    rows = [
        ("One-time", s.one_time_total),
        ("Recurring", s.recurring_total),
        (f"TCO (Initial + {s.horizon_years} years)", s.tco),
    ]
    return pd.DataFrame(
        {
            "": [r[0] for r in rows],
            "Cost": [money(r[1], view.currency) for r in rows],
            "Share": [percent(r[1] / tco) for r in rows],
        }
    )


def proration_table(case: Case) -> pd.DataFrame:
    """Annual lines: what the kit charges (prorated) against the invoices (anniversary).

    Parameters
    ----------
    case : Case

    Returns
    -------
    DataFrame
        One row per ``annual`` ledger line: price per year, first and last month, months
        charged inside the horizon, prorated total, invoiced total, difference. Empty when
        the ledger has no annual line.
    """
    cur = case.currency
    pro = cost_view(case, overrun=0.0).schedule.lines
    inv = cost_view(case, overrun=0.0, annual="anniversary").schedule.lines
    rows = []
    for (_, p), (_, a) in zip(pro.iterrows(), inv.iterrows()):
        if p["frequency"] != "annual":
            continue
        per_month = p["amount"] / 12.0
        rows.append(
            {
                "Item": str(p["item"]),
                "Price per year": money(p["amount"], cur),
                "Runs": f"{_month(p['start'])} to {_month(p['end']) or '(horizon end)'}",
                "Months charged": f"{p['total'] / per_month:.0f}" if per_month else "0",
                "Prorated (kit)": money(p["total"], cur),
                "Invoiced (anniversary)": money(a["total"], cur),
                "Difference": money(p["total"] - a["total"], cur, signed=True),
            }
        )
    columns = [
        "Item",
        "Price per year",
        "Runs",
        "Months charged",
        "Prorated (kit)",
        "Invoiced (anniversary)",
        "Difference",
    ]
    return pd.DataFrame(rows, columns=columns)


def internal_staff_table(case: Case, view: CostView | None = None) -> pd.DataFrame:
    """Internal staff lines: hours × loaded rate, occurrences and share of the TCO.

    Parameters
    ----------
    case : Case
    view : CostView, optional
        Default: :func:`cost_view` of the case.

    Returns
    -------
    DataFrame
        One row per ``internal_staff`` line, then a total row.
    """
    view = view if view is not None else cost_view(case)
    cur = case.currency
    ledger = case.costs.reset_index(drop=True)
    lines = view.schedule.lines
    tco = view.tco or 1.0
    rows = []
    total = 0.0
    for (_, r), (_, s) in zip(ledger.iterrows(), lines.iterrows()):
        if s["category"] != "internal_staff":
            continue
        hours, rate = r.get("hours"), r.get("hourly_rate")
        basis = (
            f"{hours:,.0f} h × {money(rate, cur, decimals=2)}"
            if hours is not None and not pd.isna(hours) and not pd.isna(rate)
            else "amount given"
        )
        per = s["amount"] * (1.0 + s["overrun"])
        rows.append(
            {
                "Item": str(s["item"]),
                "Per occurrence": f"{basis} = {money(s['amount'], cur)}",
                "Frequency": str(s["frequency"]),
                "Occurrences in horizon": f"{s['total'] / per:.0f}" if per else "0",
                "In the horizon": money(s["total"], cur),
                "Share of TCO": percent(s["total"] / tco),
            }
        )
        total += float(s["total"])
    if rows:
        rows.append(
            {
                "Item": "Internal staff, total",
                "In the horizon": money(total, cur),
                "Share of TCO": percent(total / tco),
            }
        )
    return pd.DataFrame(rows).fillna("")


def costs_by_year_figure(view: CostView, *, ax=None) -> Figure:
    """Stacked bars: cost by category in Initial and each year, risk-adjusted total marked.

    Parameters
    ----------
    view : CostView
    ax : matplotlib.axes.Axes, optional
        Default: a new 9 x 4.2 in figure.

    Returns
    -------
    Figure
    """
    s = view.schedule
    columns = ["Initial", *s.year_labels]
    data = s.yearly.drop(index="Total")[columns]
    fig, ax = new_figure(ax, figsize=(9.0, 4.2))
    x = np.arange(len(columns))
    bottom = np.zeros(len(columns))
    for cat, row in data.iterrows():
        values = row.to_numpy(dtype=float)
        ax.bar(
            x,
            values,
            bottom=bottom,
            color=CATEGORY_COLORS.get(cat, PALETTE["muted"]),
            label=_category_label(cat),
            width=0.6,
        )
        bottom += values
    risk = view.risk_adjusted_years
    # The TEI cost risk as a hatched segment on top of each stack: visible, but plainly
    # not a cost category of the ledger.
    ax.bar(
        x,
        risk - bottom,
        bottom=bottom,
        width=0.6,
        color="white",
        edgecolor=PALETTE["text"],
        hatch="///",
        linewidth=0.6,
        label=f"Cost risk (+{percent(view.risk_costs, decimals=0)}, TEI)",
    )
    top = max(float(np.max(risk)), float(np.max(bottom)), 1.0)
    for xi, total, adjusted in zip(x, bottom, risk):
        text = money(total, view.currency)
        if adjusted != total:
            text += f"\nrisk-adj. {money(adjusted, view.currency)}"
        ax.text(xi, max(total, adjusted) + top * 0.02, plain(text), ha="center", fontsize=8.5)
    ax.set_ylim(0, top * 1.2)
    ax.set_xticks(x, [plain(c) for c in columns])
    money_axis(ax, view.currency)
    ax.set_ylabel(plain(f"Cost ({view.currency})") if view.currency else "Cost")
    over = f", overrun {percent(view.overrun, decimals=0)}" if view.overrun else ""
    ax.set_title(
        f"Cost by category and year (TEI layout{over})",
        fontsize=11,
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    ax.grid(axis="y", alpha=0.3)
    return fig


def one_time_recurring_figure(view: CostView, *, ax=None) -> Figure:
    """Two stacked horizontal bars: one-time and recurring TCO, by category.

    Parameters
    ----------
    view : CostView
    ax : matplotlib.axes.Axes, optional
        Default: a new 9 x 2.8 in figure.

    Returns
    -------
    Figure
        Category colours as in :func:`costs_by_year_figure`.
    """
    lines = view.schedule.lines
    by = lines.groupby(["type", "category"])["total"].sum()
    types = [("one_time", "One-time"), ("recurring", "Recurring")]
    cats = [c for c in cs.CATEGORIES if c in set(lines["category"])]
    fig, ax = new_figure(ax, figsize=(9.0, 2.8))
    left = np.zeros(len(types))
    for cat in cats:
        values = np.array([float(by.get((t, cat), 0.0)) for t, _ in types])
        if not values.any():
            continue
        ax.barh(
            range(len(types)),
            values,
            left=left,
            color=CATEGORY_COLORS.get(cat, PALETTE["muted"]),
            label=_category_label(cat),
            height=0.55,
        )
        left += values
    extent = max(float(left.max()), 1.0)
    for y, total in enumerate(left):
        text = plain(money(total, view.currency))
        ax.text(total + extent * 0.01, y, text, va="center", fontsize=9)
    ax.set_xlim(0, extent * 1.2)
    ax.set_yticks(range(len(types)), [label for _, label in types])
    ax.invert_yaxis()
    money_axis(ax, axis="x")  # the currency goes into the axis label: wide ticks overlap
    ax.set_xlabel(
        plain(f"{view.currency} over the horizon") if view.currency else "over the horizon"
    )
    ax.set_title(
        f"One-time against recurring, {view.schedule.horizon_years}-year TCO (before risk)",
        fontsize=11,
    )
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    ax.grid(axis="x", alpha=0.3)
    return fig


def tco_check_text(view: CostView) -> str:
    """The headline the notebook checks: TCO by period, split and risk-adjusted.

    Parameters
    ----------
    view : CostView

    Returns
    -------
    str
        Whole currency units.
    """
    s = view.schedule
    cur = view.currency
    total = s.yearly.loc["Total"]
    out = [f"Initial: {money(total['Initial'], cur)}"]
    out += [f"{y}: {money(total[y], cur)}" for y in s.year_labels]
    out += [
        f"TCO (Initial + {s.horizon_years} years): {money(s.tco, cur)}",
        f"One-time: {money(s.one_time_total, cur)}",
        f"Recurring: {money(s.recurring_total, cur)}",
        f"Risk-adjusted TCO (+{percent(view.risk_costs, decimals=0)} on costs not yet paid): "
        f"{money(view.risk_adjusted_tco, cur)}",
    ]
    return "\n".join(out)


def overrun_grid_table(
    case: Case,
    overruns: Sequence[float] = (0.0, 0.1, 0.25, 0.5),
    risks: Sequence[float] | None = None,
) -> pd.DataFrame:
    """Risk-adjusted TCO for a grid of overrun and cost risk (the sliders, for a report).

    Parameters
    ----------
    case : Case
    overruns : sequence of float, fractions
        The case's own ``cost_overrun`` is added when missing.
    risks : sequence of float, fractions, optional
        Default: 0, the case's ``risk_costs`` and 20%.

    Returns
    -------
    DataFrame
        Index: overrun; columns: cost risk; values: risk-adjusted TCO (money text).
    """
    base = cost_view(case)
    over = sorted({*map(float, overruns), base.overrun})
    risk = sorted({*map(float, risks)} if risks is not None else {0.0, base.risk_costs, 0.2})
    body = {
        f"cost risk {percent(r, decimals=0)}": [
            money(cost_view(case, overrun=o, risk_costs=r).risk_adjusted_tco, case.currency)
            for o in over
        ]
        for r in risk
    }
    table = pd.DataFrame(body, index=[f"overrun {percent(o, decimals=0)}" for o in over])
    table.index.name = "Risk-adjusted TCO"
    return table


def cost_headline_html(view: CostView) -> str:
    """TCO, risk-adjusted TCO and the present value of the costs, as one HTML line.

    Charges that fall after the horizon are left out of all three; when there are any, a
    warning below the line names the items and the amount (nothing is dropped silently).
    """
    cur = view.currency
    over = percent(view.overrun, decimals=0)
    head = (
        f"<p><b>TCO: {money(view.tco, cur)}</b> (overrun {over} included) &nbsp;·&nbsp; "
        f"<b>risk-adjusted TCO: {money(view.risk_adjusted_tco, cur)}</b> "
        f"(+{percent(view.risk_costs, decimals=0)}) &nbsp;·&nbsp; present value at "
        f"{percent(view.discount_rate, decimals=0)}: {money(view.pv_costs, cur)}</p>"
    )
    return head + after_horizon_html(view)


def after_horizon_html(view: CostView) -> str:
    """A warning naming the cost lines charged (partly) after the horizon, or "".

    Returns
    -------
    str
        Escaped HTML (item names are user text); empty when every charge is inside.
    """
    lines = view.schedule.lines
    late = lines[lines["after_horizon"] > 0]
    if late.empty:
        return ""
    items = ", ".join(
        f"{html.escape(str(r['item']))} ({money(r['after_horizon'], html.escape(view.currency))})"
        for _, r in late.iterrows()
    )
    total = money(view.schedule.excluded_after_horizon, html.escape(view.currency))
    return note_html(
        f"Left out of the TCO and the ROI: {total} charged after the horizon ends "
        f"(Initial + {view.schedule.horizon_years} years): {items}. Correct the start month, "
        "or raise horizon_years in case.yml to include them.",
        warn=True,
    )
