"""The worked examples' input checks, on the money layer's one check idiom.

The examples' assumptions are money inputs (revenue, margins, costs, rates), so they are
checked exactly as :mod:`roi_kit.money` checks its own: through
:mod:`roi_kit.money.checks`, raising :class:`~roi_kit.errors.FinanceInputError` with a
message that names the input, what was found and the rule. These wrappers only fix the
bounds each kind of example input has and return a plain ``float`` (the examples work on
scalars); never ``assert`` for input validation.
"""

from __future__ import annotations

from roi_kit.money import checks as _checks

__all__ = ["positive", "nonneg", "margin", "growth", "years", "rate"]


def positive(value: float, name: str) -> float:
    """``value`` as a float, refusing zero, negatives, NaN and infinity.

    Examples
    --------
    >>> positive(20_000, "cost")
    20000.0
    >>> positive(0, "cost")
    Traceback (most recent call last):
    ...
    roi_kit.errors.FinanceInputError: cost must be > 0.0; found np.float64(0.0)
    """
    return float(_checks.numbers(value, name, lo=0.0, lo_open=True))


def nonneg(value: float, name: str) -> float:
    """``value`` as a float of zero or more (finite)."""
    return float(_checks.numbers(value, name, lo=0.0))


def margin(value: float, name: str = "gross_margin", *, allow_zero: bool = False) -> float:
    """A gross margin as a fraction in (0, 1], or [0, 1] with ``allow_zero``.

    A zero margin is refused by default: the examples divide by, or solve for, a margin
    that earns something; the ROI-by-definition function takes a zero margin (ROI -100%).

    Examples
    --------
    >>> margin(0.35)
    0.35
    >>> margin(1.5)
    Traceback (most recent call last):
    ...
    roi_kit.errors.FinanceInputError: gross_margin must be <= 1.0; found np.float64(1.5)
    """
    return float(_checks.numbers(value, name, lo=0.0, lo_open=not allow_zero, hi=1.0))


def growth(value: float, name: str) -> float:
    """A relative change as a fraction above -100% (a fall of 100% or more is not a change)."""
    return float(_checks.numbers(value, name, lo=-1.0, lo_open=True))


def years(value: int) -> int:
    """A study horizon: a whole number of years, at least 1.

    Examples
    --------
    >>> years(3), years(3.0)
    (3, 3)
    >>> years(2.5)
    Traceback (most recent call last):
    ...
    roi_kit.errors.FinanceInputError: years must be a whole number >= 1; found 2.5
    """
    # The examples have always taken an integral float (3.0) as that many years, unlike
    # the money layer's horizons; keep taking it rather than refuse a notebook's value.
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _checks.whole_number(value, "years", minimum=1)


def rate(value: float) -> float:
    """A discount rate per year, as a fraction above -100% (``1 + r`` must be positive)."""
    return float(_checks.numbers(value, "discount_rate", lo=-1.0, lo_open=True))
