"""The plain-words reading of a comparison: one sentence a manager can act on.

Numbers are written by :mod:`roi_kit.formatting` (``number`` for KPI units by default,
``points`` for fractions, ``signed`` for the ``+``), the kit's one formatter.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from roi_kit.formatting import number, points, signed
from roi_kit.measure.base import CompareInputError, Comparison

__all__ = ["reading", "percentage_points"]

#: A change in a fraction (0.031) as percentage points ("3.1 points"): the public name this
#: package has always exported for :func:`roi_kit.formatting.points`.
percentage_points = points


def reading(
    comparison: Comparison,
    *,
    label: str,
    unit_formatter: Callable[[float], str] | None = None,
    target: float | None = None,
    target_kind: str = "absolute",
) -> str:
    """One plain-language line reading a comparison, aware of which direction is better.

    An interval that includes zero is said so in words and never called a gain.

    Parameters
    ----------
    comparison : Comparison
        The result to read.
    label : str
        The KPI's name in words ("Win rate").
    unit_formatter : callable, optional
        Formats a signed value in KPI units (e.g. :func:`percentage_points` for fractions,
        ``lambda v: f"{v:.1f} days"``). Default: :func:`roi_kit.formatting.number` (3
        significant digits, at least one decimal below 1,000).
    target : float, optional
        The goal for ``change``: in KPI units (``target_kind="absolute"``, e.g. 0.05 for +5
        points of win rate) or as a fraction of the baseline (``"relative"``, e.g. -0.20 for
        20% shorter). Its sign says which way the goal points.
    target_kind : {"absolute", "relative"}
        How to read ``target``.

    Returns
    -------
    str
        For example ``"Win rate rose 3.1 points (95% interval +1.2 to +5.0 points); the
        target was +5.0 points: not yet met"``.

    Examples
    --------
    >>> import pandas as pd
    >>> from roi_kit.measure import naive
    >>> s = pd.Series([10.0, 12, 11, 15, 17, 16],
    ...               index=pd.period_range("2024-01", periods=6, freq="M"))
    >>> print(reading(naive(s, pd.Period("2024-04", "M")), label="Deals won"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Deals won rose 5.00 (95% interval -7.71 to +17.7); the interval includes zero, so this
    is not yet evidence of a change (naive before/after: includes any trend and season)
    """
    if target_kind not in ("absolute", "relative"):
        raise CompareInputError(
            f"target_kind must be 'absolute' or 'relative' (found {target_kind!r})"
        )
    c = comparison
    fmt = unit_formatter or number
    if not np.isfinite(c.change):
        return f"{label}: not measured ({c.note})" if c.note else f"{label}: not measured"
    pct_level = f"{c.level * 100:g}%"
    interval = f"{pct_level} interval {_span(fmt, c.low, c.high)}"
    if c.method.startswith("placebo") and (c.placebo_runs or 0) > 1:
        return _rolling_placebo_words(c, label, fmt)
    if c.method.startswith("placebo"):
        found = "finds" if c.excludes_zero else "finds no effect"
        if c.excludes_zero:
            return (
                f"{label}, placebo check (fake go-live {c.fake_go_live}): the method {found} "
                f"{signed(fmt(c.change), c.change)} ({interval}) where nothing happened; "
                "treat the real result with caution"
            )
        return (
            f"{label}, placebo check (fake go-live {c.fake_go_live}): the method {found} "
            f"({signed(fmt(c.change), c.change)}, {interval}), as it should"
        )
    verb = "rose" if c.change > 0 else "fell" if c.change < 0 else "did not change"
    size = fmt(abs(c.change)) if c.change != 0 else ""
    head = f"{label} {verb}" + (f" {size}" if size else "")
    head += _METHOD_WORDS.get(c.method, "")
    text = f"{head} ({interval})"
    if not c.excludes_zero:
        text += "; the interval includes zero, so this is not yet evidence of a change"
    elif c.improvement:
        text += "; an improvement"
    else:
        text += "; a change for the worse"
    if target is not None and np.isfinite(target):
        text += "; " + _target_words(c, fmt, float(target), target_kind)
    if c.method == "naive":
        text += " (naive before/after: includes any trend and season)"
    return text


# How each method's estimate is relative to something, in the reading's first clause.
_METHOD_WORDS = {
    "counterfactual": " compared with its baseline trend",
    "state-space": " compared with its baseline trend",
    "did": " relative to the control group",
    "did-trend": " relative to the control group, allowing each group its own trend",
    "panel-did": " relative to the control units",
    "staggered-did": " relative to the units not yet live",
}


def _rolling_placebo_words(c: Comparison, label: str, fmt: Callable[[float], str]) -> str:
    """A rolling placebo in words: how many fake go-lives flagged, against 5% by chance.

    Its low/high are the range of the placebo estimates, not an interval.
    """
    runs, flags = int(c.placebo_runs or 0), int(c.placebo_flags or 0)
    head = (
        f"{label}, placebo check ({runs} fake go-lives inside the baseline): {flags} flagged "
        f"an effect ({flags / runs:.0%}, against about 5% by chance); estimates ranged "
        f"{_span(fmt, c.low, c.high)}"
    )
    if c.excludes_zero:
        return head + ": more often than chance allows, so treat the real result with caution"
    return head + ": no more often than chance, as it should"


def _target_words(c: Comparison, fmt: Callable[[float], str], target: float, kind: str) -> str:
    """Whether ``c`` meets ``target`` (``kind`` "absolute" in KPI units or "relative"), in words.

    "met" only when the whole interval is past the target; met by the point estimate alone
    is said with its caveat.
    """
    if kind == "relative":
        # Written with Python's "+" format, not formatting.percent: a zero target reads "+0%"
        # here, and that text reaches `roi-kit summary --json` (kept byte-identical).
        if not np.isfinite(c.pct_change):
            return f"the target was {target:+.0%}: cannot be judged (baseline mean is zero)"
        scale = c.baseline
        shown = f"{target * 100:+.0f}%"
        estimate, low, high = c.pct_change, c.low / scale, c.high / scale
        if scale < 0:
            low, high = high, low
    else:
        shown = signed(fmt(target), target)
        estimate, low, high = c.change, c.low, c.high
    if target >= 0:
        met_all, met_point = low >= target, estimate >= target
    else:
        met_all, met_point = high <= target, estimate <= target
    if met_all:
        verdict = "met"
    elif met_point:
        verdict = "met by the estimate, but the interval does not rule out falling short"
    else:
        verdict = "not yet met"
    return f"the target was {shown}: {verdict}"


def _span(fmt: Callable[[float], str], low: float, high: float) -> str:
    """``"+1.2 to +5.0 points"``: the unit once when both ends share it."""
    lo, hi = signed(fmt(low), low), signed(fmt(high), high)
    lo_num, _, lo_unit = lo.partition(" ")
    hi_num, _, hi_unit = hi.partition(" ")
    if lo_unit and lo_unit == hi_unit:
        return f"{lo_num} to {hi_num} {hi_unit}"
    return f"{lo} to {hi}"
