"""The CRM ROI model: a case -> measured changes -> benefit lines -> cash flows -> ROI.

One model serves every view. :func:`evaluate_case` gives the full, explained result for
one set of assumptions (a slider position); :func:`case_model` returns a vectorised
function of the same model for sensitivity and Monte Carlo (100,000 draws at once).
Both go through the same benefit functions (:mod:`roi_kit.money.benefits`), the same cost
schedule (:mod:`roi_kit.money.costs`) and the same discounting (:mod:`roi_kit.money.finance`).

How the benefit is built (a review case)
----------------------------------------
1. Each KPI's change is measured on the CRM group by the chosen comparison method
   (counterfactual by default; :mod:`roi_kit.measure.compare`), in KPI units per month.
2. Only changes that are improvements *with an interval excluding zero* are counted;
   the others are shown with the reason. Counting a change the data cannot tell from
   noise would call it a gain.
3. Money: extra revenue x gross margin; a shorter sales cycle at the cost of capital;
   lower operating cost; hours saved x rate x recapture (Nucleus Research). Retention is
   shown but not counted by default, since the revenue change already contains what kept
   customers bought; the articles' revenue-as-gain view is shown, not counted.
4. An attribution share (the part of the measured change credited to the CRM) scales the
   measured lines; the TEI risk adjustments lower benefits and raise costs.
5. The annualised benefit repeats in each year of the horizon (a review measures the
   after period as it was, adoption ramp included, and does not extrapolate further
   adoption); a projection loses half its ramp-up months in year 1.

A projection case takes the changes from ``expected_changes`` (relative to the baseline
level) and labels every line "projected".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.case import Case
from roi_kit.errors import CaseError
from roi_kit.money import benefits as bn
from roi_kit.money import costs as cs
from roi_kit.money import finance
from roi_kit.study.uncertainty import Distribution, spec_from_assumption

__all__ = [
    "MEASURED_KPIS",
    "PARAM_LABELS",
    "MeasuredChange",
    "measured_changes",
    "Inputs",
    "model_inputs",
    "base_params",
    "benefit_lines",
    "CaseResult",
    "evaluate_case",
    "case_model",
    "uncertain_specs",
    "scenario_inputs",
    "evaluate_scenarios",
    "roi_to_date",
    "definitions_table",
    "cost_future_share",
]

#: The KPIs the money model reads, and the parameter name of each measured change.
MEASURED_KPIS: Mapping[str, str] = {
    "revenue": "revenue_change",
    "sales_cycle_days": "cycle_days_change",
    "churned_customers": "churn_change",
    "operating_cost": "opex_change",
}

#: Readable names of the model parameters (for sliders, tornado and tables).
PARAM_LABELS: Mapping[str, str] = {
    "gross_margin": "Gross margin",
    "attribution_share": "Attribution to the CRM",
    "recapture_factor": "Time recapture factor",
    "loaded_hourly_rate": "Loaded hourly rate",
    "hours_saved_per_user_week": "Hours saved per user-week",
    "cost_of_capital": "Cost of capital",
    "cost_overrun": "Cost overrun",
    "customer_annual_margin": "Annual margin per customer",
    "discount_rate": "Discount rate",
    "risk_benefits": "Benefit risk adjustment",
    "risk_costs": "Cost risk adjustment",
    "revenue_change": "Revenue change (per month)",
    "cycle_days_change": "Sales-cycle change (days)",
    "churn_change": "Churned customers change (per month)",
    "opex_change": "Operating cost change (per month)",
}

#: Assumptions the model reads (likely values from case.yml, ranges for Monte Carlo).
_MODEL_ASSUMPTIONS = (
    "gross_margin",
    "attribution_share",
    "recapture_factor",
    "loaded_hourly_rate",
    "hours_saved_per_user_week",
    "cost_of_capital",
    "cost_overrun",
    "customer_annual_margin",
)

# A 95% two-sided interval spans 2 x 1.959964 standard errors; a normal Distribution's
# low/high are its 5th/95th percentiles (2 x 1.644854 standard errors).
_Z95 = 1.959963984540054
_Z90 = 1.6448536269514722


@dataclass(frozen=True)
class MeasuredChange:
    """One KPI's change credited to the period after go-live, per month.

    Attributes
    ----------
    kpi : str
    change : float, KPI units per month
        After minus before (or minus the counterfactual), the point estimate.
    low, high : float, KPI units per month
        Interval of ``change`` (95% unless the comparison used another level).
    method : str
        Comparison method, or "projected".
    improvement : bool
        In the better direction with an interval excluding zero: only these count.
    source : {"measured", "projected"}
    reading : str
        The plain-language sentence from the comparison.
    baseline : float
        Baseline level (KPI units per month).
    """

    kpi: str
    change: float
    low: float
    high: float
    method: str
    improvement: bool
    source: str
    reading: str
    baseline: float


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


def measured_changes(
    case: Case, *, method: str = "counterfactual", comparison: pd.DataFrame | None = None
) -> dict[str, MeasuredChange]:
    """The changes of the KPIs the money model uses.

    Parameters
    ----------
    case : Case
    method : {"counterfactual", "did", "naive"}
        Comparison whose estimate is turned into money (review cases).
    comparison : DataFrame, optional
        A table from :func:`roi_kit.measure.compare.compare_all`, to avoid computing it twice.

    Returns
    -------
    dict of str to MeasuredChange
        For each KPI of :data:`MEASURED_KPIS` present in the case.
    """
    present = [k for k in MEASURED_KPIS if k in case.kpis.columns]
    out: dict[str, MeasuredChange] = {}
    if case.kind == "projection":
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
                reading=f"{kpi}: projected change {spec.likely:+.1%} of the baseline",
                baseline=base,
            )
        return out
    if comparison is None:
        from roi_kit.measure import compare_all

        comparison = compare_all(case)
    rows = comparison[comparison["method"] == method]
    if rows.empty:
        raise CaseError(
            f"no {method!r} comparison for this case; choose one of "
            f"{sorted(set(comparison['method']))}"
        )
    for kpi in present:
        row = rows[rows["kpi"] == kpi]
        if row.empty:
            continue
        r = row.iloc[0]
        out[kpi] = MeasuredChange(
            kpi=kpi,
            change=float(r["change"]),
            low=float(r["low"]),
            high=float(r["high"]),
            method=method,
            improvement=bool(r["improvement"]),
            source="measured",
            reading=str(r["reading"]),
            baseline=float(r["baseline"]),
        )
    return out


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
        Active users at the end of the data (the mean of the last three months).
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


def model_inputs(
    case: Case, *, method: str = "counterfactual", comparison: pd.DataFrame | None = None
) -> Inputs:
    """Gather the fixed inputs of the model from a case (measurements, costs, users).

    Parameters
    ----------
    case : Case
    method : str
        Comparison method for review cases.
    comparison : DataFrame, optional
        Precomputed :func:`roi_kit.measure.compare.compare_all` table.
    """
    changes = measured_changes(case, method=method, comparison=comparison)
    counted = {k: c.improvement for k, c in changes.items()}
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
    )


def _active_users(case: Case) -> float:
    """Active users behind the productivity line.

    A review uses the mean over the measured after period (ramp included, like the
    measured KPI changes); a projection the mean of the last three planned months.
    """
    table = case.adoption
    if table is None or not len(table):
        return 0.0
    if case.after is not None:
        start, end = case.after
        rows = table[(table["month"] >= start) & (table["month"] <= end)]
        if len(rows):
            return float(rows["active_users"].mean())
    return float(table["active_users"].tail(3).mean())


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


def base_params(case: Case, inputs: Inputs) -> dict[str, float]:
    """The likely value of every model parameter (the slider start positions).

    Parameters
    ----------
    case : Case
    inputs : Inputs

    Returns
    -------
    dict of str to float
        Assumptions (gross_margin, attribution_share, ...), ``discount_rate``,
        ``risk_benefits``, ``risk_costs``, and the measured changes per month
        (``revenue_change``, ``cycle_days_change``, ``churn_change``, ``opex_change``).
    """
    params: dict[str, float] = {}
    for name in _MODEL_ASSUMPTIONS:
        if name in case.assumptions:
            params[name] = float(case.assumptions[name].likely)
    params.setdefault("customer_annual_margin", 0.0)
    params["discount_rate"] = float(case.discount_rate)
    params["risk_benefits"] = float(case.risk_benefits)
    params["risk_costs"] = float(case.risk_costs)
    for kpi, name in MEASURED_KPIS.items():
        params[name] = inputs.changes[kpi].change if kpi in inputs.changes else 0.0
    return params


def _p(params: Mapping[str, Any], name: str) -> np.ndarray | float:
    value = params[name]
    return value if np.ndim(value) == 0 else np.asarray(value, dtype=float)


def benefit_lines(inputs: Inputs, params: Mapping[str, Any]) -> list[bn.BenefitLine]:
    """The benefit lines for one set of parameters (scalars or arrays).

    Parameters
    ----------
    inputs : Inputs
    params : mapping
        As :func:`base_params`; values may be arrays of draws.

    Returns
    -------
    list of BenefitLine
        Annual values in currency per year, realised (attribution applied to measured
        lines); risk is applied later, on the cash flows, as TEI does.
    """
    src = "projected" if inputs.projected else "measured"
    margin = _p(params, "gross_margin")
    attribution = _p(params, "attribution_share")
    lines: list[bn.BenefitLine] = []

    def note_for(kpi: str) -> str:
        change = inputs.changes[kpi]
        if inputs.counted.get(kpi, False):
            return change.reading
        return f"not counted: {change.reading}"

    if "revenue" in inputs.changes:
        delta = _p(params, "revenue_change") * 12.0
        counted = inputs.counted["revenue"]
        line = bn.revenue_uplift(
            delta, margin, counted=counted, sources={"delta_revenue_annual": src}
        )
        lines.append(
            _with_note(bn.realise_line(line, attribution=attribution), note_for("revenue"))
        )
        view = bn.revenue_as_gain(delta, counted=False, sources={"delta_revenue_annual": src})
        lines.append(bn.realise_line(view, attribution=attribution))
    if "churned_customers" in inputs.changes:
        avoided = -_p(params, "churn_change") * 12.0
        line = bn.retention_benefit(
            avoided,
            _p(params, "customer_annual_margin"),
            counted=False,
            sources={"churned_avoided_per_year": src},
        )
        lines.append(
            _with_note(
                bn.realise_line(line, attribution=attribution),
                "shown, not counted: the revenue change already contains what kept customers "
                "bought (counting both would double count)",
            )
        )
    if "sales_cycle_days" in inputs.changes:
        saved = -_p(params, "cycle_days_change")
        line = bn.cycle_time_benefit(
            inputs.annual_revenue,
            margin,
            saved,
            _p(params, "cost_of_capital"),
            counted=inputs.counted["sales_cycle_days"],
            sources={"cycle_days_saved": src},
        )
        lines.append(
            _with_note(bn.realise_line(line, attribution=attribution), note_for("sales_cycle_days"))
        )
    if "operating_cost" in inputs.changes:
        line = bn.cost_saving(
            _p(params, "opex_change") * 12.0,
            counted=inputs.counted["operating_cost"],
            sources={"delta_cost_annual": src},
        )
        lines.append(
            _with_note(bn.realise_line(line, attribution=attribution), note_for("operating_cost"))
        )
    if inputs.active_users > 0 and "hours_saved_per_user_week" in params:
        line = bn.productivity_benefit(
            _p(params, "hours_saved_per_user_week"),
            inputs.active_users,
            _p(params, "loaded_hourly_rate"),
            _p(params, "recapture_factor"),
            sources={"users": "measured"},
        )
        lines.append(
            _with_note(
                line,
                "time saved is not time worked (Nucleus Research): only the recaptured share "
                "counts, and it is assumed to go to work other than the selling already "
                "measured in revenue; if it went into selling, set recapture_factor to 0 "
                "so it is not counted twice",
            )
        )
    lines = [_label_sources(ln, inputs.assumption_sources) for ln in lines]
    if inputs.projected:
        # Before purchase nothing is measured: every input of every line is a projection,
        # and every line says so.
        lines = [_as_projected(ln) for ln in lines]
    return lines


#: Benefit-function input name -> the case.yml assumption it comes from.
_INPUT_ASSUMPTION = {
    "gross_margin": "gross_margin",
    "attribution": "attribution_share",
    "recapture_factor": "recapture_factor",
    "loaded_hourly_rate": "loaded_hourly_rate",
    "hours_saved_per_user_week": "hours_saved_per_user_week",
    "cost_of_capital": "cost_of_capital",
    "annual_margin_per_customer": "customer_annual_margin",
}


def _label_sources(line: bn.BenefitLine, sources: Mapping[str, str]) -> bn.BenefitLine:
    """Tag each assumption input with the source case.yml gives it (assumed, benchmark...)."""
    inputs = tuple(
        replace(i, source=sources[_INPUT_ASSUMPTION[i.name]])
        if i.name in _INPUT_ASSUMPTION and _INPUT_ASSUMPTION[i.name] in sources
        else i
        for i in line.inputs
    )
    return replace(line, inputs=inputs)


def _as_projected(line: bn.BenefitLine) -> bn.BenefitLine:
    inputs = tuple(replace(i, source="projected") for i in line.inputs)
    note = line.note if line.note.startswith("projected") else f"projected: {line.note}"
    return replace(line, inputs=inputs, note=note)


def _with_note(line: bn.BenefitLine, note: str) -> bn.BenefitLine:
    return replace(line, note=note)


def _counted_total(lines: list[bn.BenefitLine]) -> np.ndarray | float:
    return bn.total_benefits(lines)


def _future(inputs: Inputs) -> np.ndarray:
    if inputs.cost_future_share is None:
        return np.ones(inputs.years + 1)
    return inputs.cost_future_share


def _flows(inputs: Inputs, params: Mapping[str, Any], annual: np.ndarray | float):
    """Yearly benefit and cost flows [Initial, Year 1..N] (broadcast over draws)."""
    shape = np.r_[0.0, inputs.ramp_year1, np.ones(inputs.years - 1)]
    annual = np.asarray(annual, dtype=float)
    benefits = annual[..., np.newaxis] * shape
    overrun = np.asarray(_p(params, "cost_overrun") if "cost_overrun" in params else 0.0)
    costs = inputs.cost_years * (1.0 + overrun[..., np.newaxis])
    return benefits, costs


@dataclass(frozen=True)
class CaseResult:
    """The full, explained result of the model for one set of parameters.

    Attributes
    ----------
    inputs : Inputs
    params : dict
    lines : list of BenefitLine
    annual_benefit : float, currency/year
        Counted benefits per year, before risk adjustment.
    evaluation : finance.Evaluation
        TEI view: PV, NPV, ROI, IRR, payback, cash-flow table (risk-adjusted).
    definitions : DataFrame
        Every ROI definition with its formula and value (see :func:`_definitions`).
    """

    inputs: Inputs
    params: dict[str, float]
    lines: list[bn.BenefitLine]
    annual_benefit: float
    evaluation: finance.Evaluation
    definitions: pd.DataFrame


def evaluate_case(
    case: Case,
    params: Mapping[str, float] | None = None,
    *,
    inputs: Inputs | None = None,
    method: str = "counterfactual",
) -> CaseResult:
    """Run the model once: benefit lines, cash flows, every ROI definition.

    Parameters
    ----------
    case : Case
    params : mapping, optional
        Overrides of :func:`base_params` (for example a slider's value).
    inputs : Inputs, optional
        Precomputed :func:`model_inputs` (saves re-measuring on every slider move).
    method : str
        Comparison method for review cases.

    Returns
    -------
    CaseResult
    """
    inputs = inputs if inputs is not None else model_inputs(case, method=method)
    p = base_params(case, inputs)
    if params:
        unknown = set(params) - set(p)
        if unknown:
            raise CaseError(f"unknown model parameter(s): {sorted(unknown)}; known: {sorted(p)}")
        p.update({k: float(v) for k, v in params.items()})
    lines = benefit_lines(inputs, p)
    annual = float(_counted_total(lines))
    b, c = _flows(inputs, p, annual)
    ev = finance.evaluate(
        b,
        c,
        discount_rate=p["discount_rate"],
        risk_benefits=p["risk_benefits"],
        risk_costs=p["risk_costs"] * _future(inputs),
    )
    revenue_view = next((ln for ln in lines if ln.kind == "revenue_as_gain"), None)
    return CaseResult(
        inputs=inputs,
        params=p,
        lines=lines,
        annual_benefit=annual,
        evaluation=ev,
        definitions=_definitions(ev, inputs, annual, revenue_view),
    )


def _definitions(
    ev: finance.Evaluation,
    inputs: Inputs,
    annual: float,
    revenue_view: bn.BenefitLine | None,
) -> pd.DataFrame:
    """Every ROI definition for the same case, named, with its formula and value."""
    total_b = float(ev.benefits.sum())
    total_c = float(ev.costs.sum())
    initial = float(ev.costs[0])
    rows = [
        (
            "Simple ROI (articles)",
            "(total benefit - total cost) / total cost",
            finance.roi(total_b, total_c),
            "ratio",
        ),
        ("ROI % (articles)", "simple ROI x 100%", finance.roi_percent(total_b, total_c), "percent"),
        (
            "Incremental ROI (articles)",
            "(benefit after - benefit before) / CRM cost",
            finance.incremental_roi(total_b, 0.0, total_c),
            "ratio",
        ),
        (
            "TEI ROI (Forrester)",
            "(PV benefits - PV costs) / PV costs, risk-adjusted",
            ev.roi,
            "fraction",
        ),
        ("NPV", "PV benefits - PV costs", ev.npv, "money"),
        ("Benefit-cost ratio", "PV benefits / PV costs", ev.bcr, "ratio"),
        ("IRR", "rate at which NPV = 0", ev.irr, "fraction"),
        (
            "Payback",
            "months until cumulative net flow covers the investment",
            ev.payback_months,
            "months",
        ),
    ]
    if initial > 0:
        rows.append(
            (
                "Nucleus annual ROI",
                "average annual benefit / initial cost",
                finance.nucleus_roi(total_b, initial, inputs.years),
                "fraction",
            )
        )
    if revenue_view is not None:
        # On the same basis as the counted benefits: year-1 ramp and risk adjustment.
        shape = ev.benefits.sum() / annual if annual else (len(ev.benefits) - 1)
        revenue_total = float(np.mean(revenue_view.annual_value)) * shape
        rows.append(
            (
                "Simple ROI, revenue counted as gain",
                "(revenue increase - cost) / cost; "
                "the articles' view, overstates: revenue is not profit",
                finance.roi(revenue_total, total_c),
                "ratio",
            )
        )
    return pd.DataFrame(rows, columns=["definition", "formula", "value", "unit"])


def case_model(
    case: Case,
    *,
    inputs: Inputs | None = None,
    method: str = "counterfactual",
    risk_adjusted: bool = True,
) -> Callable[[Mapping[str, Any]], dict[str, np.ndarray]]:
    """A vectorised function of the case's model, for tornado and Monte Carlo.

    Parameters
    ----------
    case : Case
    inputs : Inputs, optional
    method : str
    risk_adjusted : bool
        Apply the TEI risk adjustments (True, for the tornado and break-even, so their
        base is the headline NPV). Monte Carlo passes False: it draws the uncertain
        inputs themselves, and a fixed haircut on top would count the risk twice.

    Returns
    -------
    callable
        ``model(params) -> {"npv", "roi", "payback_months"}``; any parameter of
        :func:`base_params` may be an array of draws (others take their likely value).
        Its scalar results equal :func:`evaluate_case`'s.
    """
    inputs = inputs if inputs is not None else model_inputs(case, method=method)
    base = base_params(case, inputs)
    future = _future(inputs)

    def model(params: Mapping[str, Any]) -> dict[str, np.ndarray]:
        p: dict[str, Any] = dict(base)
        p.update(params)
        lines = benefit_lines(inputs, p)
        annual = np.asarray(_counted_total(lines), dtype=float)
        b, c = _flows(inputs, p, annual)
        if risk_adjusted:
            b = b * (1.0 - np.asarray(p["risk_benefits"])[..., np.newaxis])
            c = c * (1.0 + np.asarray(p["risk_costs"])[..., np.newaxis] * future)
        b, c = np.broadcast_arrays(b, c)
        rate = np.asarray(p["discount_rate"], dtype=float)
        pv_b = np.asarray(finance.npv(rate, b))
        pv_c = np.asarray(finance.npv(rate, c))
        net = b - c
        payback = np.asarray(finance.payback_period(net), dtype=float) * 12.0
        npv = pv_b - pv_c
        return {"npv": npv, "roi": npv / pv_c, "payback_months": payback}

    return model


def uncertain_specs(case: Case, inputs: Inputs) -> dict[str, Distribution]:
    """Distributions for every uncertain parameter of the model.

    Assumptions with a range in ``case.yml`` keep their distribution (PERT by default).
    Each measured change becomes a normal distribution matching its comparison
    interval (the 95% interval converted to the 5th/95th percentiles), so the Monte
    Carlo carries the measurement's own uncertainty into the ROI.

    Parameters
    ----------
    case : Case
    inputs : Inputs

    Returns
    -------
    dict of str to Distribution
    """
    specs: dict[str, Distribution] = {}
    for name in _MODEL_ASSUMPTIONS:
        if name == "customer_annual_margin":
            continue  # feeds only the retention line, shown but never counted
        a = case.assumptions.get(name)
        if a is not None and a.high > a.low:
            specs[name] = spec_from_assumption(a)
    for kpi, name in MEASURED_KPIS.items():
        change = inputs.changes.get(kpi)
        if change is None or not inputs.counted.get(kpi, False):
            continue
        if change.source == "projected":
            specs[name] = Distribution(
                name,
                "pert",
                min(change.low, change.change),
                change.change,
                max(change.high, change.change),
            )
            continue
        half = (change.high - change.low) / 2.0 * _Z90 / _Z95
        specs[name] = Distribution(
            name, "normal", change.change - half, change.change, change.change + half
        )
    return specs


def scenario_inputs(case: Case, inputs: Inputs, name: str) -> tuple[Inputs, dict[str, float]]:
    """The inputs and parameter overrides of one named scenario of ``case.yml``.

    A scenario overrides assumptions (their likely values), the risk adjustments,
    the expected changes (projection cases) and multiplies costs per category
    (``all`` applies to every category; a category's own factor wins).

    Parameters
    ----------
    case : Case
    inputs : Inputs
        The base case's inputs.
    name : str
        A key of ``case.scenarios``.

    Returns
    -------
    (Inputs, dict)
        Inputs with the scenario's costs and changes, and the parameter overrides.
    """
    if name not in case.scenarios:
        raise CaseError(f"no scenario {name!r} in the case; scenarios: {sorted(case.scenarios)}")
    body = case.scenarios[name]
    overrides: dict[str, float] = {}
    for key, assumption in body.get("assumptions", {}).items():
        overrides[key] = float(assumption.likely)
    risk = body.get("risk", {})
    if "benefits" in risk:
        overrides["risk_benefits"] = float(risk["benefits"])
    if "costs" in risk:
        overrides["risk_costs"] = float(risk["costs"])
    new = inputs
    factors = body.get("costs")
    if factors:
        yearly = inputs.schedule.yearly.drop(index="Total", errors="ignore")
        yearly = yearly.drop(columns="Total", errors="ignore")
        mult = np.array(
            [factors.get(str(cat), factors.get("all", 1.0)) for cat in yearly.index], dtype=float
        )
        new = replace(new, cost_years=(yearly.to_numpy(dtype=float) * mult[:, None]).sum(axis=0))
    changes = body.get("expected_changes")
    if changes and case.kind == "projection":
        updated = dict(new.changes)
        for kpi, spec in changes.items():
            if kpi in updated:
                base = updated[kpi].baseline
                updated[kpi] = replace(
                    updated[kpi],
                    change=spec.likely * base,
                    low=spec.low * base,
                    high=spec.high * base,
                )
        new = replace(new, changes=updated)
        for kpi, pname in MEASURED_KPIS.items():
            if kpi in updated:
                overrides[pname] = updated[kpi].change
    return new, overrides


def evaluate_scenarios(case: Case, inputs: Inputs | None = None) -> pd.DataFrame:
    """The base case and every named scenario side by side.

    Parameters
    ----------
    case : Case
    inputs : Inputs, optional

    Returns
    -------
    DataFrame
        One row per scenario ("base" first): description, annual benefit, PV
        benefits, PV costs, NPV, TEI ROI, IRR, payback months (currency, fractions,
        months).
    """
    inputs = inputs if inputs is not None else model_inputs(case)
    rows = []
    runs = [("base", "The case as written in case.yml", inputs, {})]
    for name, body in case.scenarios.items():
        sc_inputs, overrides = scenario_inputs(case, inputs, name)
        runs.append((name, body.get("description", ""), sc_inputs, overrides))
    for name, description, sc_inputs, overrides in runs:
        res = evaluate_case(case, overrides, inputs=sc_inputs)
        ev = res.evaluation
        rows.append(
            {
                "scenario": name,
                "description": description,
                "annual_benefit": res.annual_benefit,
                "pv_benefits": ev.pv_benefits,
                "pv_costs": ev.pv_costs,
                "npv": ev.npv,
                "roi": ev.roi,
                "irr": ev.irr,
                "payback_months": ev.payback_months,
            }
        )
    return pd.DataFrame(rows)


def roi_to_date(case: Case, result: CaseResult) -> pd.DataFrame:
    """ROI to date at the end of each quarter since go-live, over the after period.

    The source articles call ROI a continuous process: this is the running answer.
    Benefits accrue monthly at the counted annual rate (risk-adjusted), with the
    projection's ramp-up; costs are the cost schedule's months, everything before
    go-live included, with the overrun of ``result`` (and the cost risk only for a
    projection: a review's costs to date are actuals).

    Parameters
    ----------
    case : Case
    result : CaseResult

    Returns
    -------
    DataFrame
        quarter (e.g. "2024Q1"), months since go-live, cumulative benefit, cumulative
        cost (currency), ROI to date (fraction; NaN with no cost yet).
    """
    end = case.after[1] if case.after is not None else case.go_live + 12 * case.horizon_years - 1
    p = result.params
    overrun = 1.0 + p.get("cost_overrun", 0.0)
    monthly = result.inputs.schedule.monthly.sum(axis=1) * overrun
    if case.after is None:
        # Projected costs carry the TEI cost risk; a review's costs to date are actuals.
        monthly = monthly * (1.0 + p["risk_costs"])
    before = float(monthly[monthly.index < case.go_live].sum())
    horizon = (end - case.go_live).n + 1
    # Benefits accrue monthly with the same ramp-up as the yearly flows.
    accrued = np.cumsum(
        bn.monthly_profile(
            result.annual_benefit * (1.0 - p["risk_benefits"]),
            horizon,
            ramp_up_months=result.inputs.ramp_months,
        )
    )
    rows = []
    quarter_ends = pd.period_range(case.go_live, end, freq="M")
    quarter_ends = [m for m in quarter_ends if m.month % 3 == 0 or m == end]
    for m in quarter_ends:
        n = (m - case.go_live).n + 1
        cost = before + float(monthly[(monthly.index >= case.go_live) & (monthly.index <= m)].sum())
        benefit = float(accrued[n - 1])
        rows.append(
            {
                "quarter": str(m.asfreq("Q")),
                "months": n,
                "cumulative_benefit": benefit,
                "cumulative_cost": cost,
                "roi_to_date": (benefit - cost) / cost if cost > 0 else float("nan"),
            }
        )
    return pd.DataFrame(rows)


def definitions_table(result: CaseResult, currency: str = "") -> pd.DataFrame:
    """Every ROI definition as display text: definition, formula, value.

    Parameters
    ----------
    result : CaseResult
    currency : str
    """
    from roi_kit import formatting as fmt

    def show(value: float | None, unit: str) -> str:
        if unit == "money":
            return fmt.money(value, currency)
        if unit == "months":
            return fmt.months(value)
        if unit == "ratio":
            return fmt.ratio(value)
        if unit == "percent":
            return "n/a" if value is None else f"{value:,.1f}%"
        if value is None:
            return "none"
        return fmt.percent(value)

    d = result.definitions
    return pd.DataFrame(
        {
            "Definition": d["definition"],
            "Formula": d["formula"],
            "Value": [show(v, u) for v, u in zip(d["value"], d["unit"], strict=True)],
        }
    )
