"""The model's fixed inputs: each KPI's measured change, the costs, the users, the ramp.

:func:`model_inputs` gathers from a case everything the model needs besides the uncertain
parameters (:mod:`roi_kit.study.params`): the measured changes (:func:`measured_changes`, from
the comparison of :mod:`roi_kit.measure`, or ``expected_changes`` for a projection), the
cost schedule (:mod:`roi_kit.money.costs`), the active users and the year-1 ramp.

Which method's estimate becomes money is decided in :mod:`roi_kit.study.selection`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from roi_kit.case import Case
from roi_kit.errors import CaseError
from roi_kit.money import benefits as bn
from roi_kit.money import costs as cs
from roi_kit.study.selection import MeasuredChange, resolve_method, selected_changes

__all__ = [
    "MEASURED_KPIS",
    "MeasuredChange",
    "measured_changes",
    "Inputs",
    "model_inputs",
    "cost_future_share",
    "NO_USERS",
    "HOURS_NOT_SET",
    "productivity_reason",
]

#: Why the productivity line is not counted when the case states no users.
NO_USERS = "no adoption table and no active_users set"
#: Why it is not counted when the hours saved are the kit's default, not the user's number.
HOURS_NOT_SET = "hours_saved_per_user_week not set in case.yml (the kit default is not evidence)"

#: The KPIs the money model reads, and the parameter name of each measured change.
MEASURED_KPIS: Mapping[str, str] = {
    "revenue": "revenue_change",
    "sales_cycle_days": "cycle_days_change",
    "churned_customers": "churn_change",
    "operating_cost": "opex_change",
}


def _treated_rows(case: Case) -> pd.DataFrame:
    kpis = case.kpis
    if case.groups is not None:
        kpis = kpis[kpis[case.groups.column] == case.groups.treated]
    return kpis


def _baseline_mean(case: Case, kpi: str) -> float:
    rows = _treated_rows(case)
    start, end = case.baseline
    mask = (rows["month"] >= start) & (rows["month"] <= end)
    return float(rows.loc[mask, kpi].mean())


def _projected_changes(case: Case, present: list[str]) -> dict[str, MeasuredChange]:
    out: dict[str, MeasuredChange] = {}
    for kpi in present:
        spec = case.expected_changes.get(kpi)
        if spec is None:
            continue
        base = _baseline_mean(case, kpi)
        out[kpi] = MeasuredChange(
            kpi=kpi,
            change=spec.likely * base,
            low=spec.low * base,
            high=spec.high * base,
            method="projected",
            improvement=True,
            source="projected",
            # Not fmt.percent(signed=True): this reading reaches the JSON summary, and
            # the two differ at exactly 0 ("+0.0%" here) and from 1,000% on (a comma).
            reading=f"{kpi}: projected change {spec.likely:+.1%} of the baseline",
            baseline=base,
            reason="projected: expected_changes in case.yml (nothing measured yet)",
            pct_change=spec.likely,
            pct_low=spec.low,
            pct_high=spec.high,
        )
    return out


def measured_changes(
    case: Case, *, method: str | None = None, comparison: pd.DataFrame | None = None
) -> dict[str, MeasuredChange]:
    """The changes of the KPIs the money model uses, each by the method the rule picks.

    Parameters
    ----------
    case : Case
    method : str, optional
        ``"auto"``, a method name (see the module docstring) or None: case.yml's
        ``measurement.method`` (default ``"auto"``). Review cases only.
    comparison : DataFrame, optional
        A table from :func:`roi_kit.measure.compare.compare_all`, to avoid computing it twice.

    Returns
    -------
    dict of str to MeasuredChange
        For each KPI of :data:`MEASURED_KPIS` present in the case.

    Raises
    ------
    CaseError
        A named method that the comparison table does not hold for any KPI.
    """
    present = [k for k in MEASURED_KPIS if k in case.kpis.columns]
    if case.kind == "projection":
        return _projected_changes(case, present)
    if comparison is None:
        from roi_kit.measure import compare_all

        comparison = compare_all(case)
    rule, source = resolve_method(case, method)
    if rule != "auto" and not (comparison["method"] == rule).any():
        raise CaseError(
            f"no {rule!r} comparison for this case ({source}); choose auto or one of "
            f"{sorted(m for m in set(comparison['method']) if not m.startswith('placebo'))}"
        )
    chosen = selected_changes(comparison, rule=rule, source=source)
    return {k: chosen[k] for k in present if k in chosen}


@dataclass(frozen=True)
class Inputs:
    """Everything the vectorised model needs besides the uncertain parameters.

    Attributes
    ----------
    changes : dict of str to MeasuredChange
    counted : dict of str to bool
        Whether each measured line counts (an improvement with evidence).
    annual_revenue : float, currency/year
        The CRM group's baseline revenue, annualised (for the cycle-time benefit).
    active_users : float, users
        Active users behind the productivity line: from the adoption table (a review: the
        mean over the after period; a projection: the mean of the last three rows), else
        the ``active_users`` assumption, else 0.
    cost_years : ndarray, currency
        Cost per year [Initial, Year 1..N] before overrun and risk.
    schedule : CostSchedule
    years : int
    ramp_year1 : float, fraction
        Share of a full year's benefit realised in year 1.
    ramp_months : int
        Months of linear ramp-up (projections; 0 for a review, whose measurement
        already contains the real ramp).
    cost_future_share : ndarray, fraction
        Per period [Initial, Year 1..N], the share of the cost not yet paid at the end
        of the data: the TEI cost risk applies to that share only (a review's costs up to
        the end of the after period are actuals, not estimates).
    projected : bool
    currency : str
    assumption_sources : dict of str to str
        Assumption name -> its source (assumed, measured, benchmark).
    productivity_reason : str
        Why the productivity line is not counted ("" when it is): no users stated
        (:data:`NO_USERS`) or hours saved left at the kit default (:data:`HOURS_NOT_SET`).
    users_source : str
        Source of ``active_users``: "measured" (the adoption table) or the source of the
        ``active_users`` assumption.
    users_from : str
        Where the active users come from, in words: "adoption table", "active_users in
        case.yml", or "" (no users stated).
    selection : dict of str to MeasuredChange
        Every compared KPI (goal KPIs too, not only those that become money) with the
        change the method rule picks; empty for a projection.
    method_rule, method_source : str
        The rule in force (``"auto"`` or a method name) and where it was set
        (:func:`resolve_method`); "projected" for a projection.
    """

    changes: dict[str, MeasuredChange]
    counted: dict[str, bool]
    annual_revenue: float
    active_users: float
    cost_years: np.ndarray
    schedule: cs.CostSchedule
    years: int
    ramp_year1: float
    projected: bool
    currency: str
    assumption_sources: dict[str, str] = field(default_factory=dict)
    ramp_months: int = 0
    cost_future_share: np.ndarray | None = None
    productivity_reason: str = ""
    users_source: str = "measured"
    users_from: str = "adoption table"
    selection: dict[str, MeasuredChange] = field(default_factory=dict)
    method_rule: str = "auto"
    method_source: str = ""


def model_inputs(
    case: Case, *, method: str | None = None, comparison: pd.DataFrame | None = None
) -> Inputs:
    """Gather the fixed inputs of the model from a case (measurements, costs, users).

    Parameters
    ----------
    case : Case
    method : str, optional
        Method rule for review cases (:func:`measured_changes`); None: case.yml's.
    comparison : DataFrame, optional
        Precomputed :func:`roi_kit.measure.compare.compare_all` table.
    """
    if case.kind != "projection" and comparison is None:
        from roi_kit.measure import compare_all

        comparison = compare_all(case)
    changes = measured_changes(case, method=method, comparison=comparison)
    counted = {k: c.counted for k, c in changes.items()}
    if case.kind == "projection":
        rule, source, selection = "projected", "expected_changes in case.yml", {}
    else:
        rule, source = resolve_method(case, method)
        selection = selected_changes(comparison, rule=rule, source=source)
    revenue = _baseline_mean(case, "revenue") * 12 if "revenue" in case.kpis.columns else 0.0
    projected = case.kind == "projection"
    active = _active_users(case)
    schedule = cs.cost_schedule(case.costs, go_live=case.go_live, horizon_years=case.horizon_years)
    ramp_spec = case.assumptions.get("ramp_up_months")
    ramp = int(round(ramp_spec.likely)) if (projected and ramp_spec is not None) else 0
    # The same ramp convention as benefits.monthly_profile (month i at i / r of full).
    ramp_year1 = float(bn.monthly_profile(12.0, 12, ramp_up_months=min(ramp, 12)).sum() / 12.0)
    future = cost_future_share(case, schedule)
    return Inputs(
        changes=changes,
        counted=counted,
        annual_revenue=revenue,
        active_users=active,
        cost_years=cs.yearly_cash_flows(schedule),
        schedule=schedule,
        years=case.horizon_years,
        ramp_year1=ramp_year1,
        projected=projected,
        currency=case.currency,
        assumption_sources={k: a.source for k, a in case.assumptions.items()},
        ramp_months=ramp,
        cost_future_share=future,
        productivity_reason=productivity_reason(case),
        users_source=_users_source(case),
        users_from=_users_from(case),
        selection=selection,
        method_rule=rule,
        method_source=source,
    )


def _users_from(case: Case) -> str:
    """Where the active users come from, in words ("" when nobody stated any)."""
    if case.adoption is not None and len(case.adoption):
        return "adoption table"
    return "active_users in case.yml" if "active_users" in case.assumptions else ""


def _users_source(case: Case) -> str:
    """Where the active users come from: the adoption table, else the assumption."""
    if case.adoption is not None and len(case.adoption):
        return "measured"
    stated = case.assumptions.get("active_users")
    return "measured" if stated is None else stated.source


def _active_users(case: Case) -> float:
    """Active users behind the productivity line, users.

    A review uses the mean over the measured after period (ramp included, like the
    measured KPI changes); a projection, whose adoption table holds planned months, the
    mean of its last three rows. Without an adoption table, the ``active_users``
    assumption when the user set it, else no users (0): a count nobody stated is not
    invented.

    Raises
    ------
    CaseError
        A review whose adoption table has no month in the after period: any number taken
        from other months would be a guess (``roi-kit validate`` reports it as the
        ``adoption_period`` error).
    """
    table = case.adoption
    if table is None or not len(table):
        stated = case.assumptions.get("active_users")
        return 0.0 if stated is None else float(stated.likely)
    if case.after is None:
        return float(table["active_users"].tail(3).mean())
    start, end = case.after
    rows = table[(table["month"] >= start) & (table["month"] <= end)]
    if not len(rows):
        path = case.files.get("adoption", "adoption.csv")
        raise CaseError(
            f"{path}: the adoption table has months {table['month'].min()} to "
            f"{table['month'].max()}, none of the after period {start} to {end}, so the "
            "productivity benefit has no active users to use. Fix: add the after-period "
            "months to the adoption table, or correct its months or the after period in "
            "case.yml"
        )
    return float(rows["active_users"].mean())


def _user_set(case: Case, name: str) -> bool:
    """Whether case.yml sets assumption ``name`` (not a value the kit filled in)."""
    assumptions = case.config.get("assumptions") or {}
    return name in assumptions


def productivity_reason(case: Case) -> str:
    """Why the productivity line cannot be counted for ``case``, or "" when it can.

    Productivity is hours saved x users x rate: both the hours and the users must be
    the user's own numbers. The users come from ``adoption.csv`` or the ``active_users``
    assumption; the hours from ``hours_saved_per_user_week`` in case.yml (the kit's
    default of 1 hour is a placeholder, never a finding).

    Parameters
    ----------
    case : Case

    Returns
    -------
    str
        :data:`NO_USERS`, :data:`HOURS_NOT_SET`, or "" (counted).
    """
    has_table = case.adoption is not None and len(case.adoption) > 0
    if not has_table and "active_users" not in case.assumptions:
        return NO_USERS
    if not _user_set(case, "hours_saved_per_user_week"):
        return HOURS_NOT_SET
    return ""


def cost_future_share(case: Case, schedule: cs.CostSchedule) -> np.ndarray:
    """Per period [Initial, Year 1..N]: the share of cost dated after the data ends.

    A review's costs up to the end of its after period are actuals: the TEI cost risk
    (a margin for what nobody can foresee) applies only to the rest. A projection's
    costs are all estimates (share 1).

    Parameters
    ----------
    case : Case
    schedule : CostSchedule

    Returns
    -------
    ndarray, fraction, shape (horizon_years + 1,)
    """
    n = case.horizon_years + 1
    if case.kind == "projection" or case.after is None:
        return np.ones(n)
    monthly = schedule.monthly.sum(axis=1)
    end = case.after[1]
    period = np.array(
        [0 if m < case.go_live else (m - case.go_live).n // 12 + 1 for m in monthly.index]
    )
    share = np.ones(n)
    for k in range(n):
        in_k = period == k
        total = float(monthly[in_k].sum())
        if total > 0:
            share[k] = float(monthly[in_k & (monthly.index > end)].sum()) / total
    return share
