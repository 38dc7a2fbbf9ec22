"""From a steady-state benefit to what the CRM is credited with, month by month.

:func:`realise` scales an annual value by adoption, attribution (the share credited to the
CRM) and the TEI risk adjustment (benefits are risk-adjusted downwards, line by line);
:func:`monthly_profile` spreads it over the horizon with a ramp-up and an optional adoption
curve.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from roi_kit.errors import FinanceInputError
from roi_kit.money.benefit_lines import (
    BenefitLine,
    Input,
    Number,
    Projected,
    _check_sources,
    _unwrap,
)
from roi_kit.money.checks import broadcastable, numbers, plain, whole_number

__all__ = ["realise", "realise_line", "monthly_profile", "with_monthly"]


def realise(
    annual_value: Number,
    *,
    adoption: Number = 1.0,
    attribution: Number = 1.0,
    risk: Number = 0.0,
) -> Number:
    """The share of a benefit that is realised and due to the CRM.

    ``value × adoption × attribution × (1 − risk)``.

    Parameters
    ----------
    annual_value : float or ndarray, currency/year
    adoption : float or ndarray, fraction [0-1], default 1
        Share of the potential users actually using the CRM (active / licensed).
    attribution : float or ndarray, fraction [0-1], default 1
        Share of the change due to the CRM rather than other causes.
    risk : float or ndarray, fraction [0-1), default 0
        Forrester TEI risk adjustment: benefits are lowered by this share to reflect the
        chance they are overestimated. (Costs are raised by theirs in
        :func:`roi_kit.money.costs.cost_schedule`.)

    Returns
    -------
    float or ndarray

    References
    ----------
    .. [1] Forrester Research, Total Economic Impact methodology (risk adjustment).

    Examples
    --------
    >>> realise(100_000, adoption=0.8, attribution=0.5, risk=0.1)
    36000.0
    """
    v = numbers(annual_value, "annual_value")
    a = numbers(adoption, "adoption", lo=0.0, hi=1.0)
    at = numbers(attribution, "attribution", lo=0.0, hi=1.0)
    r = numbers(risk, "risk", lo=0.0, hi=1.0, hi_open=True)
    broadcastable(v, a, at, r, names=("annual_value", "adoption", "attribution", "risk"))
    return plain(v * a * at * (1.0 - r))


def realise_line(
    line: BenefitLine,
    *,
    adoption: Number | Projected = 1.0,
    attribution: Number | Projected = 1.0,
    risk: Number | Projected = 0.0,
    sources: Mapping[str, str] | None = None,
) -> BenefitLine:
    """A benefit line realised (:func:`realise`), with the factors added to its inputs.

    Parameters
    ----------
    line : BenefitLine
    adoption, attribution : float or ndarray or Projected, fraction [0-1]
        Default sources "measured" and "assumed".
    risk : float or ndarray or Projected, fraction [0-1)
        Default source "assumed".
    sources : mapping, optional

    Returns
    -------
    BenefitLine
        Same line with ``annual_value`` (and ``monthly``, if present) scaled; the formula
        gains ``× a × α × (1 − ρ_risk)``.
    """
    (a, p1), (at, p2), (r, p3) = _unwrap(adoption), _unwrap(attribution), _unwrap(risk)
    a = numbers(a, "adoption", lo=0.0, hi=1.0)
    at = numbers(at, "attribution", lo=0.0, hi=1.0)
    r = numbers(r, "risk", lo=0.0, hi=1.0, hi_open=True)
    factor = np.asarray(realise(1.0, adoption=a, attribution=at, risk=r))
    value = np.asarray(line.annual_value) * factor
    chosen = _check_sources(sources, ("adoption", "attribution", "risk"))
    proj = p1 or p2 or p3 or line.is_projected
    extra = [
        Input(
            "adoption",
            plain(a),
            "fraction",
            "projected" if proj else chosen.get("adoption", "measured"),
            "a",
        ),
        Input(
            "attribution",
            plain(at),
            "fraction",
            "projected" if proj else chosen.get("attribution", "assumed"),
            "α",
        ),
        Input(
            "risk",
            plain(r),
            "fraction",
            "projected" if proj else chosen.get("risk", "assumed"),
            "ρ_risk",
        ),
    ]
    inputs = line.inputs
    if proj:
        inputs = tuple(dataclasses.replace(i, source="projected") for i in inputs)
    monthly = None
    if line.monthly is not None:
        monthly = np.asarray(line.monthly) * factor[..., np.newaxis]
    note = line.note
    if proj and not note.startswith("projected"):
        note = "projected: no after-period data; " + note if note else "projected"
    return dataclasses.replace(
        line,
        formula_words=f"({line.formula_words}) times adoption, attribution and (1 - risk)",
        formula_symbols=f"({line.formula_symbols}) × a × α × (1 − ρ_risk)",
        inputs=inputs + tuple(extra),
        annual_value=plain(value),
        monthly=monthly,
        note=note,
    )


def monthly_profile(
    annual_value: Number,
    months: int,
    *,
    ramp_up_months: int = 3,
    adoption_curve: np.ndarray | None = None,
) -> np.ndarray:
    """Spread a steady-state annual benefit over months, with a ramp-up.

    Month ``i`` (1-based) gets ``annual / 12 × min(i / ramp_up_months, 1) × adoption[i]``:
    benefits grow linearly to full strength at month ``ramp_up_months``, as users learn the
    system, instead of arriving in full on go-live day.

    Parameters
    ----------
    annual_value : float or ndarray, currency/year
        Steady-state annual benefit; an array of shape ``S`` gives shape ``S + (months,)``.
    months : int, > 0
        Months from go-live (e.g. ``12 × horizon_years``).
    ramp_up_months : int, >= 0, default 3
        Months to reach full benefit; 0 means full from the first month. Set 0 when the
        adoption curve already describes the ramp-up.
    adoption_curve : ndarray, optional, fraction [0-1]
        Share of the benefit realised in each month, shape ``(months,)`` or anything
        broadcasting to ``(..., months)`` (e.g. active / licensed users by month). Do not
        also pass ``adoption`` to :func:`realise` for the same line.

    Returns
    -------
    ndarray
        Shape ``(..., months)``, currency per month.

    Examples
    --------
    >>> monthly_profile(12_000, 4, ramp_up_months=2)
    array([ 500., 1000., 1000., 1000.])
    """
    months = whole_number(months, "months", minimum=1)
    ramp_up_months = whole_number(ramp_up_months, "ramp_up_months", minimum=0)
    v = numbers(annual_value, "annual_value")
    i = np.arange(1, months + 1, dtype=float)
    ramp = np.ones(months) if ramp_up_months == 0 else np.minimum(i / ramp_up_months, 1.0)
    weights = ramp
    if adoption_curve is not None:
        curve = numbers(adoption_curve, "adoption_curve", lo=0.0, hi=1.0)
        if curve.ndim == 0 or curve.shape[-1] != months:
            raise FinanceInputError(
                f"adoption_curve must have {months} values in its last axis (one a month); "
                f"found shape {curve.shape}"
            )
        weights = ramp * curve
    broadcastable(v[..., np.newaxis], weights, names=("annual_value", "adoption_curve"))
    return v[..., np.newaxis] / 12.0 * weights


def with_monthly(
    line: BenefitLine,
    months: int,
    *,
    ramp_up_months: int = 3,
    adoption_curve: np.ndarray | None = None,
) -> BenefitLine:
    """The line with its month-by-month values filled in (:func:`monthly_profile`).

    Parameters
    ----------
    line : BenefitLine
    months : int
    ramp_up_months : int, default 3
    adoption_curve : ndarray, optional

    Returns
    -------
    BenefitLine
    """
    if adoption_curve is not None:
        for inp in line.inputs:
            if inp.name == "adoption" and np.any(np.asarray(inp.value) != 1.0):
                raise FinanceInputError(
                    f"line {line.name!r} is already scaled by adoption "
                    "(realise_line); passing an adoption curve too would count adoption "
                    "twice. Use one or the other."
                )
    monthly = monthly_profile(
        line.annual_value, months, ramp_up_months=ramp_up_months, adoption_curve=adoption_curve
    )
    return dataclasses.replace(line, monthly=monthly)
