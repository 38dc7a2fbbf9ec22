"""The benefit line: one KPI change in money, with its formula and its sourced inputs.

Every benefit is a :class:`BenefitLine`: its name, its formula in words and in symbols, the
inputs it was computed from (each an :class:`Input` tagged measured / assumed / benchmark /
projected), its annual value and, when given a monthly profile, its month-by-month values.
A :class:`Projected` value (built by :func:`projected`) stands in for a number when there is
no after-period data. The topic modules (:mod:`~roi_kit.money.benefit_revenue`,
:mod:`~roi_kit.money.benefit_retention`, :mod:`~roi_kit.money.benefit_operations`) build the
lines; :mod:`~roi_kit.money.realisation` scales them; :mod:`~roi_kit.money.benefit_totals`
adds them. :mod:`roi_kit.money.benefits` gathers every name in one module.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from roi_kit import formatting as fmt
from roi_kit.errors import FinanceInputError
from roi_kit.money.checks import broadcastable, numbers, plain

__all__ = [
    "SOURCES",
    "Input",
    "BenefitLine",
    "Projected",
    "RevenueDecomposition",
    "projected",
]


#: Where an input's value comes from.
SOURCES = ("measured", "assumed", "benchmark", "projected")

#: A scalar (one slider position) or an array of Monte Carlo draws.
Number = float | np.ndarray


@dataclass(frozen=True)
class Input:
    """One input of a benefit line, with its unit and where it comes from.

    Parameters
    ----------
    name : str
        The argument name (``"gross_margin"``); stable, used as a key.
    value : float or ndarray
        The value used (an array for Monte Carlo draws).
    unit : str
        ``"fraction"`` (shown as a percent), ``"currency"``, ``"currency/year"``,
        ``"days"``, ``"hours/week"`` ... ``currency`` is replaced by the case currency
        when shown.
    source : str
        One of :data:`SOURCES`: ``"measured"``, ``"assumed"``, ``"benchmark"``,
        ``"projected"``.
    symbol : str, optional
        The symbol used in the line's formula (``"m"``); the name is shown when empty.
    """

    name: str
    value: Number
    unit: str
    source: str
    symbol: str = ""

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise FinanceInputError(
                f"input {self.name!r}: source must be one of {', '.join(SOURCES)}; "
                f"found {self.source!r}"
            )

    def text(self, currency: str | None = None) -> str:
        """The input as one line of text, e.g. ``"m = 32% (assumed)"``.

        Parameters
        ----------
        currency : str, optional
            ISO 4217 code replacing the word ``currency`` in the unit.

        Returns
        -------
        str
        """
        label = self.symbol or self.name
        return f"{label} = {_format_value(self.value, self.unit, currency)} ({self.source})"


@dataclass(frozen=True)
class BenefitLine:
    """A benefit in money, with everything needed to explain it.

    Parameters
    ----------
    name : str
        What the benefit is ("Revenue uplift (margin view)").
    formula_words : str
        The formula in words.
    formula_symbols : str
        The formula in symbols ("ΔR × m"); each symbol is an input's ``symbol``.
    inputs : tuple of Input
        The inputs, each with value, unit and source.
    annual_value : float or ndarray
        Steady-state benefit per year, in currency. An array when inputs are arrays.
    monthly : ndarray or None
        Month-by-month values over the horizon (shape ``(..., months)``), in currency,
        when built with :func:`with_monthly`; ``None`` otherwise.
    counted : bool
        Whether :func:`total_benefits` adds this line.
    note : str
        Caveats in words; starts with ``"projected"`` for a projection.
    kind : str
        What money the line measures (``"revenue_margin"``, ``"retention_annual"`` ...);
        :func:`total_benefits` uses it to refuse double counting. ``"custom"`` for a
        user-built line.
    """

    name: str
    formula_words: str
    formula_symbols: str
    inputs: tuple[Input, ...]
    annual_value: Number
    monthly: np.ndarray | None = None
    counted: bool = True
    note: str = ""
    kind: str = "custom"

    @property
    def is_projected(self) -> bool:
        """True when every input is a projection (no measured after-period data)."""
        return bool(self.inputs) and all(i.source == "projected" for i in self.inputs)


@dataclass(frozen=True)
class Projected:
    """A projected input: low / likely / high, tagged ``"projected"``.

    Built by :func:`projected`. Benefit functions accept it anywhere they accept a number;
    they use :attr:`value` (the ``likely`` value unless :meth:`at` chose another) and tag
    every input of the line ``"projected"``.
    """

    low: Number
    likely: Number
    high: Number
    use: Literal["low", "likely", "high"] = "likely"

    @property
    def value(self) -> Number:
        """The value the benefit functions use."""
        return getattr(self, self.use)

    def at(self, which: Literal["low", "likely", "high"]) -> Projected:
        """The same projection, using its ``which`` value.

        Parameters
        ----------
        which : {"low", "likely", "high"}

        Returns
        -------
        Projected
        """
        if which not in ("low", "likely", "high"):
            raise FinanceInputError(f"which must be 'low', 'likely' or 'high'; found {which!r}")
        return dataclasses.replace(self, use=which)


@dataclass(frozen=True)
class RevenueDecomposition:
    """A revenue change split into volume, deal-size and interaction effects.

    ``volume + size + interaction == total`` (exactly, up to float rounding).

    Attributes
    ----------
    volume : float or ndarray
        ``(D1 - D0) × S0``: more (or fewer) deals at the old deal size, currency/year.
    size : float or ndarray
        ``D0 × (S1 - S0)``: the old number of deals at the new size, currency/year.
    interaction : float or ndarray
        ``(D1 - D0) × (S1 - S0)``: the extra deals' extra size, currency/year.
    total : float or ndarray
        ``D1 × S1 - D0 × S0``, currency/year.
    deals_before, size_before, deals_after, size_after : float or ndarray
        The inputs (deals per year, currency per deal).
    is_projected : bool
        True when any input was a :class:`Projected` value.
    """

    volume: Number
    size: Number
    interaction: Number
    total: Number
    deals_before: Number
    size_before: Number
    deals_after: Number
    size_after: Number
    is_projected: bool = False


def _unwrap(value: object) -> tuple[object, bool]:
    if isinstance(value, Projected):
        return value.value, True
    return value, False


def _format_value(value: Number, unit: str, currency: str | None) -> str:
    arr = np.asarray(value, dtype=float)
    suffix = ""
    if arr.ndim > 0:
        # Monte Carlo draws: show their mean, say so.
        suffix = f" (mean of {arr.size})"
        v = float(np.mean(arr))
    else:
        v = float(arr)
    text = fmt.quantity(v, unit, currency or "")
    return text + suffix


def _check_sources(sources: Mapping[str, str] | None, allowed: Iterable[str]) -> dict[str, str]:
    sources = dict(sources or {})
    allowed = set(allowed)
    unknown = set(sources) - allowed
    if unknown:
        raise FinanceInputError(
            f"sources names unknown inputs {sorted(unknown)}; the inputs are {sorted(allowed)}"
        )
    return sources


def _line(
    *,
    name: str,
    kind: str,
    formula_words: str,
    formula_symbols: str,
    inputs: Sequence[tuple[str, str, np.ndarray, str, str]],
    annual_value: np.ndarray,
    counted: bool,
    note: str,
    sources: Mapping[str, str] | None,
    projected_any: bool,
) -> BenefitLine:
    """Build a line; ``inputs`` rows are (name, symbol, value, unit, default source)."""
    chosen = _check_sources(sources, (row[0] for row in inputs))
    built = []
    for arg, symbol, value, unit, default in inputs:
        # A projection has no measured after-period data: every input is then projected.
        source = "projected" if projected_any else chosen.get(arg, default)
        built.append(Input(arg, plain(value), unit, source, symbol))
    if projected_any:
        note = "projected: no after-period data; " + note if note else "projected"
    return BenefitLine(
        name=name,
        formula_words=formula_words,
        formula_symbols=formula_symbols,
        inputs=tuple(built),
        annual_value=plain(annual_value),
        monthly=None,
        counted=counted,
        note=note,
        kind=kind,
    )


def projected(low: Number, likely: Number, high: Number) -> Projected:
    """Tag a low / likely / high assumption as projected.

    Use for a projection case (before purchase), where the KPI changes are assumptions,
    not measurements. Any benefit built from a :class:`Projected` argument tags all of its
    inputs ``"projected"`` and its note says ``"projected"``.

    Parameters
    ----------
    low, likely, high : float or ndarray
        The three values, ``low <= likely <= high``, in the unit of the argument they
        will be passed as.

    Returns
    -------
    Projected

    Examples
    --------
    >>> from roi_kit.money.benefit_revenue import revenue_uplift
    >>> line = revenue_uplift(projected(50_000, 100_000, 150_000), 0.3)
    >>> line.annual_value, line.inputs[0].source
    (30000.0, 'projected')
    """
    lo = numbers(low, "low")
    li = numbers(likely, "likely")
    hi = numbers(high, "high")
    broadcastable(lo, li, hi, names=("low", "likely", "high"))
    if np.any(lo > li) or np.any(li > hi):
        raise FinanceInputError(
            f"projected values must satisfy low <= likely <= high; found low={low!r}, "
            f"likely={likely!r}, high={high!r}"
        )
    return Projected(plain(lo), plain(li), plain(hi))
