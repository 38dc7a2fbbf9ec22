"""Break-even: the value of one assumption at which the model's output reaches a target.

See :mod:`roi_kit.study.vectorised` for the model it evaluates: the search is one
vectorised call on a grid, then :func:`scipy.optimize.brentq` refines the crossing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import optimize

from roi_kit import formatting as fmt
from roi_kit.errors import CaseError, FinanceInputError
from roi_kit.study.distributions import Distribution, _is_number, check_specs
from roi_kit.study.vectorised import VectorisedModel, model_output

__all__ = ["BreakEven", "break_even"]


@dataclass(frozen=True)
class BreakEven:
    """Where one assumption makes the output reach its target.

    Attributes
    ----------
    assumption : str
        The assumption varied.
    value : float or None
        The break-even value in the assumption's unit; None when the output does not cross
        the target anywhere in the searched range.
    inside_range : bool
        Whether ``value`` lies within the assumption's own [low, high] range (False when
        ``value`` is None).
    message : str
        The result in words, e.g. "the CRM pays for itself if attribution_share stays above
        31%".
    direction : {"above", "below"} or None
        "above" when the output rises with the assumption (the assumption must stay above
        ``value``), "below" when it falls.
    searched : tuple of float
        The interval searched, in the assumption's unit.
    """

    assumption: str
    value: float | None
    inside_range: bool
    message: str
    direction: str | None
    searched: tuple[float, float]


def _default_bracket(dist: Distribution) -> tuple[float, float]:
    # Widen the assumption's own range by four times its width on each side, but never past
    # its natural bounds: a break-even just outside the range is worth knowing ("it would
    # take attribution below 12%"), one at a meaningless value (a negative cost) is not.
    lower, upper = dist.natural_bounds
    if dist.bounds is None and dist.unit != "fraction" and dist.low >= 0:
        # Most CRM quantities (costs, counts, hours, deal sizes) cannot go negative: when the
        # whole range is non-negative and no bounds are given, do not search below zero.
        lower = 0.0
    span = dist.high - dist.low
    if span == 0:
        span = abs(dist.likely) if dist.likely != 0 else 1.0
    return (max(lower, dist.low - 4 * span), min(upper, dist.high + 4 * span))


# Grid points of the break-even search: fine enough to see every crossing of a CRM model
# (smooth in each assumption), one vectorised model call.
_GRID_N = 401


def _search_interval(
    dist: Distribution, bracket: tuple[float, float] | None
) -> tuple[float, float]:
    """The interval :func:`break_even` searches: ``bracket`` checked, or the default."""
    if bracket is None:
        return _default_bracket(dist)
    if (
        not isinstance(bracket, list | tuple)
        or len(bracket) != 2
        or not all(_is_number(b) and math.isfinite(b) for b in bracket)
        or not bracket[0] < bracket[1]
    ):
        raise CaseError(
            f"bracket must be two finite numbers (lower, upper) with lower < upper "
            f"(found {bracket!r})"
        )
    return float(bracket[0]), float(bracket[1])


def _gap_on_grid(
    model: VectorisedModel,
    specs: Mapping[str, Distribution],
    name: str,
    grid: np.ndarray,
    output: str,
    target: float,
) -> np.ndarray:
    """``output - target`` at each grid value of ``name``, the others at their likely value."""
    params: dict[str, Any] = {
        key: np.full(grid.size, d.likely, dtype=float) for key, d in specs.items()
    }
    params[name] = grid
    # The search deliberately probes the edges of the range (a cost of exactly zero, say),
    # where a model's other outputs may divide by zero; those outputs are not the one asked
    # for, and a non-finite value of the one asked for is handled by the caller, so stay quiet.
    with np.errstate(all="ignore"):
        return model_output(model(params), output, grid.size, allow_nan=True) - target


def _crossings(
    grid: np.ndarray, gap: np.ndarray, f: Callable[[float], float]
) -> list[tuple[float, str]]:
    """Every crossing of zero by ``gap`` (value, "above" | "below"), refined with brentq."""
    finite = np.isfinite(gap)
    # Candidate crossings: grid points exactly on target, and cells whose ends differ in sign.
    candidates: list[tuple[float, str]] = []
    for i in np.flatnonzero(finite & (gap == 0)):
        left, right = gap[max(i - 1, 0)], gap[min(i + 1, grid.size - 1)]
        if np.isfinite(left) and np.isfinite(right) and left != right:
            candidates.append((float(grid[i]), "above" if right > left else "below"))
    # Signs with non-finite points set to 0, so no inf * 0 and no NaN reach the product.
    sign = np.sign(np.where(finite, gap, 0.0))
    for i in np.flatnonzero(sign[:-1] * sign[1:] < 0):
        root = optimize.brentq(f, grid[i], grid[i + 1], xtol=1e-12 * max(1.0, abs(grid[i])))
        candidates.append((float(root), "above" if gap[i + 1] > gap[i] else "below"))
    return candidates


def _no_crossing_words(
    values: np.ndarray, name: str, output: str, target: float, pays: bool
) -> tuple[str, str]:
    """Head of the message and the output's state when it never reaches the target."""
    if np.all(values > 0):
        state = "positive" if target == 0 else "above target"
        head = (
            f"the CRM pays for itself for every {name}"
            if pays
            else f"{output} stays above {fmt.trimmed(target, as_percent=False)} for every {name}"
        )
    elif np.all(values < 0):
        state = "negative" if target == 0 else "below target"
        head = (
            f"the CRM does not pay for itself for any {name}"
            if pays
            else f"{output} stays below {fmt.trimmed(target, as_percent=False)} for every {name}"
        )
    else:
        state = "equal to the target"
        head = f"{output} does not cross the target for any {name}"
    return head, state


def break_even(
    model: VectorisedModel,
    specs: Mapping[str, Distribution],
    name: str,
    *,
    output: str = "npv",
    target: float = 0.0,
    bracket: tuple[float, float] | None = None,
    fraction_names: Collection[str] = (),
) -> BreakEven:
    """The value of one assumption at which the output equals ``target``.

    All other assumptions stay at their ``likely`` value. The search evaluates the model on a
    grid over the bracket (one vectorised call), takes the crossing nearest the likely value,
    and refines it with :func:`scipy.optimize.brentq`.

    Parameters
    ----------
    model : callable
        The vectorised model (see :mod:`roi_kit.study.vectorised`).
    specs : mapping of str to Distribution
        The assumptions, keyed by name.
    name : str
        The assumption to solve for.
    output : str, default "npv"
        The model output to bring to ``target``.
    target : float, default 0.0
        The output value to reach, in the output's unit (0 = the CRM pays for itself when the
        output is NPV or ROI).
    bracket : (float, float), optional
        The interval to search. Default: the assumption's [low, high] widened by four times
        its width on each side, clipped to its natural bounds ([0, 1] for a fraction; not
        below zero for a non-negative quantity without explicit bounds).
    fraction_names : collection of str, optional
        Assumptions to print as percentages, in addition to those with ``unit="fraction"``.

    Returns
    -------
    BreakEven

    Raises
    ------
    CaseError
        Unknown assumption, bad bracket, or the model lacks ``output``.
    FinanceInputError
        The model returned no finite value over the whole bracket.

    Examples
    --------
    >>> from roi_kit.study import Distribution, break_even
    >>> specs = {"a": Distribution("a", "pert", 0.2, 0.4, 0.6, unit="fraction")}
    >>> be = break_even(lambda p: {"npv": 1000 * p["a"] - 300}, specs, "a")
    >>> round(be.value, 6), be.message
    (0.3, 'the CRM pays for itself if a stays above 30% (assumed range 20% to 60%, likely 40%)')
    """
    check_specs(specs)
    if name not in specs:
        raise CaseError(
            f"no assumption named {name!r}. Fix: choose one of {', '.join(map(str, specs))}"
        )
    if not _is_number(target) or not math.isfinite(target):
        raise FinanceInputError(f"target must be a finite number (found {target!r})")
    dist = specs[name]
    lo, hi = _search_interval(dist, bracket)
    as_percent = dist.is_fraction or name in fraction_names

    def show(v: float) -> str:
        return fmt.trimmed(v, as_percent=as_percent)

    pays = output in ("npv", "roi") and target == 0.0

    grid = np.linspace(lo, hi, _GRID_N)
    gap = _gap_on_grid(model, specs, name, grid, output, target)
    finite = np.isfinite(gap)
    if not finite.any():
        raise FinanceInputError(
            f"the model's {output!r} is not finite anywhere for {name} in {show(lo)}..{show(hi)}"
        )

    def f(x: float) -> float:
        scalar = {key: d.likely for key, d in specs.items()}
        scalar[name] = x
        with np.errstate(all="ignore"):
            result = model(scalar)
        return float(model_output(result, output, 1, allow_nan=True)[0]) - target

    candidates = _crossings(grid, gap, f)
    range_text = f"assumed range {show(dist.low)} to {show(dist.high)}, likely {show(dist.likely)}"
    if not candidates:
        head, state = _no_crossing_words(gap[finite], name, output, target, pays)
        message = (
            f"{head} from {show(lo)} to {show(hi)}: {output} stays {state} over the whole "
            f"range searched ({range_text})"
        )
        return BreakEven(name, None, False, message, None, (lo, hi))

    value, direction = min(candidates, key=lambda c: abs(c[0] - dist.likely))
    inside = dist.low <= value <= dist.high
    goal = (
        "the CRM pays for itself"
        if pays
        else f"{output} stays above {fmt.trimmed(target, as_percent=False)}"
    )
    message = f"{goal} if {name} stays {direction} {show(value)} ({range_text})"
    if not inside:
        # Outside the range, the whole assumed range is on one side of the break-even.
        side = f(dist.likely)
        state = "positive" if side > 0 else "negative"
        if target != 0:
            state = "above target" if side > 0 else "below target"
        message += f"; this is outside the assumed range, so within it {output} stays {state}"
    return BreakEven(name, value, inside, message, direction, (lo, hi))
