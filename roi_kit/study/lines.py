"""The benefit lines of the model: each measured change (or projection) turned into money.

:func:`benefit_lines` applies the benefit functions of :mod:`roi_kit.money.benefits` to one
set of parameters (scalars, or arrays of draws), labels every input with its source and says
why a line is or is not counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from roi_kit.money import benefits as bn
from roi_kit.study.inputs import HOURS_NOT_SET, NO_USERS, Inputs
from roi_kit.study.params import _p

__all__ = ["benefit_lines"]


def benefit_lines(inputs: Inputs, params: Mapping[str, Any]) -> list[bn.BenefitLine]:
    """The benefit lines for one set of parameters (scalars or arrays).

    Parameters
    ----------
    inputs : Inputs
    params : mapping
        As :func:`~roi_kit.study.params.base_params`; values may be arrays of draws.

    Returns
    -------
    list of BenefitLine
        Annual values in currency per year, realised (attribution applied to measured
        lines); risk is applied later, on the cash flows, as TEI does.
    """
    src = "projected" if inputs.projected else "measured"
    # Read up front so a missing margin or attribution fails the same way whichever lines
    # the case has.
    margin = _p(params, "gross_margin")
    attribution = _p(params, "attribution_share")
    lines: list[bn.BenefitLine] = []
    if "revenue" in inputs.changes:
        lines.extend(_revenue_lines(inputs, params, src, margin, attribution))
    if "churned_customers" in inputs.changes:
        lines.append(_retention_line(params, src, attribution))
    if "sales_cycle_days" in inputs.changes:
        lines.append(_cycle_line(inputs, params, src, margin, attribution))
    if "operating_cost" in inputs.changes:
        lines.append(_opex_line(inputs, params, src, attribution))
    if "hours_saved_per_user_week" in params:
        # Always listed: a line left out would hide that productivity was considered and why
        # it is not in the total.
        lines.append(_productivity_line(inputs, params))
    lines = [_label_sources(ln, inputs.assumption_sources) for ln in lines]
    if inputs.projected:
        # Before purchase nothing is measured: every input of every line is a projection,
        # and every line says so.
        lines = [_as_projected(ln) for ln in lines]
    return lines


def _note_for(inputs: Inputs, kpi: str) -> str:
    """The comparison's reading of ``kpi``, marked "not counted" without evidence."""
    change = inputs.changes[kpi]
    if inputs.counted.get(kpi, False):
        return change.reading
    return f"not counted: {change.reading}"


def _revenue_lines(
    inputs: Inputs, params: Mapping[str, Any], src: str, margin: Any, attribution: Any
) -> list[bn.BenefitLine]:
    """The margin on the extra revenue (counted), then the articles' revenue view (shown)."""
    delta = _p(params, "revenue_change") * 12.0
    line = bn.revenue_uplift(
        delta,
        margin,
        counted=inputs.counted["revenue"],
        sources={"delta_revenue_annual": src},
    )
    view = bn.revenue_as_gain(delta, counted=False, sources={"delta_revenue_annual": src})
    return [
        _with_note(bn.realise_line(line, attribution=attribution), _note_for(inputs, "revenue")),
        bn.realise_line(view, attribution=attribution),
    ]


def _retention_line(params: Mapping[str, Any], src: str, attribution: Any) -> bn.BenefitLine:
    """The margin of customers kept: shown beside revenue, never counted."""
    avoided = -_p(params, "churn_change") * 12.0
    line = bn.retention_benefit(
        avoided,
        _p(params, "customer_annual_margin"),
        counted=False,
        sources={"churned_avoided_per_year": src},
    )
    return _with_note(
        bn.realise_line(line, attribution=attribution),
        "shown, not counted: the revenue change already contains what kept customers "
        "bought (counting both would double count)",
    )


def _cycle_line(
    inputs: Inputs, params: Mapping[str, Any], src: str, margin: Any, attribution: Any
) -> bn.BenefitLine:
    """The cost of capital saved by a shorter sales cycle."""
    line = bn.cycle_time_benefit(
        inputs.annual_revenue,
        margin,
        -_p(params, "cycle_days_change"),
        _p(params, "cost_of_capital"),
        counted=inputs.counted["sales_cycle_days"],
        sources={"cycle_days_saved": src},
    )
    return _with_note(
        bn.realise_line(line, attribution=attribution), _note_for(inputs, "sales_cycle_days")
    )


def _opex_line(
    inputs: Inputs, params: Mapping[str, Any], src: str, attribution: Any
) -> bn.BenefitLine:
    """Lower operating cost (the change is per month; the line per year)."""
    line = bn.cost_saving(
        _p(params, "opex_change") * 12.0,
        counted=inputs.counted["operating_cost"],
        sources={"delta_cost_annual": src},
    )
    return _with_note(
        bn.realise_line(line, attribution=attribution), _note_for(inputs, "operating_cost")
    )


#: What the user can do about each reason the productivity line is not counted.
_PRODUCTIVITY_FIX = {
    NO_USERS: "add adoption.csv (month, licensed_users, active_users) to the case folder, "
    "or set assumptions.active_users in case.yml",
    HOURS_NOT_SET: "set assumptions.hours_saved_per_user_week in case.yml to a number "
    "you can support (a time study, a survey of users)",
}


def _productivity_line(inputs: Inputs, params: Mapping[str, Any]) -> bn.BenefitLine:
    """Hours saved x rate x recapture; not scaled by attribution (an assumption, not a
    measured change)."""
    reason = inputs.productivity_reason
    line = bn.productivity_benefit(
        _p(params, "hours_saved_per_user_week"),
        inputs.active_users,
        _p(params, "loaded_hourly_rate"),
        _p(params, "recapture_factor"),
        counted=not reason,
        sources={"users": inputs.users_source},
    )
    if reason:
        return _with_note(line, f"not counted: {reason}. Fix: {_PRODUCTIVITY_FIX[reason]}")
    return _with_note(
        line,
        "time saved is not time worked (Nucleus Research): only the recaptured share "
        "counts, and it is assumed to go to work other than the selling already "
        "measured in revenue; if it went into selling, set recapture_factor to 0 "
        "so it is not counted twice",
    )


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
