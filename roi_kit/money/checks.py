"""The money layer's one input-check idiom (also used by the worked examples in ``study``).

Every money function checks its arguments with these helpers, so a bad input always raises
:class:`~roi_kit.errors.FinanceInputError` with a message that names the argument, says
what was found and what is expected. Ledger and file cells raise the data-file errors
instead (they carry a row and a column); those helpers live beside their readers.
Never ``assert`` for input validation: asserts vanish under ``python -O``.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np

from roi_kit.errors import FinanceInputError

__all__ = ["numbers", "broadcastable", "plain", "whole_number", "one_of"]


def numbers(
    value: object,
    name: str,
    *,
    lo: float | None = None,
    hi: float | None = None,
    lo_open: bool = False,
    hi_open: bool = False,
) -> np.ndarray:
    """``value`` as a float array, refusing non-numbers, NaN, infinity and out-of-range.

    Parameters
    ----------
    value : float or array-like
    name : str
        The argument name, quoted in the message.
    lo, hi : float, optional
        Bounds; ``lo_open`` / ``hi_open`` make them strict.

    Returns
    -------
    ndarray
        ``value`` as floats (0-d for a scalar).

    Raises
    ------
    FinanceInputError

    Examples
    --------
    >>> numbers([0.1, 0.2], "share", lo=0.0, hi=1.0)
    array([0.1, 0.2])
    >>> numbers(1.5, "share", hi=1.0)
    Traceback (most recent call last):
    ...
    roi_kit.errors.FinanceInputError: share must be <= 1.0; found np.float64(1.5)
    """
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise FinanceInputError(
            f"{name} must be a number or an array of numbers; found {value!r}"
        ) from exc
    if np.isnan(arr).any():
        raise FinanceInputError(
            f"{name} contains NaN (it must be finite numbers); fill or drop the missing "
            "value before computing ROI"
        )
    if np.isinf(arr).any():
        raise FinanceInputError(f"{name} contains an infinite value (it must be finite numbers)")
    if lo is not None:
        bad = arr <= lo if lo_open else arr < lo
        if np.any(bad):
            op = ">" if lo_open else ">="
            raise FinanceInputError(f"{name} must be {op} {lo}; found {np.min(arr)!r}")
    if hi is not None:
        bad = arr >= hi if hi_open else arr > hi
        if np.any(bad):
            op = "<" if hi_open else "<="
            raise FinanceInputError(f"{name} must be {op} {hi}; found {np.max(arr)!r}")
    return arr


def broadcastable(*arrays: np.ndarray, names: Sequence[str]) -> None:
    """Refuse arrays whose shapes do not broadcast together (naming each shape)."""
    try:
        np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError as exc:
        shapes = ", ".join(f"{n} {a.shape}" for n, a in zip(names, arrays))
        raise FinanceInputError(
            f"inputs have shapes that do not broadcast together: {shapes}; pass scalars or "
            "arrays of the same length"
        ) from exc


def plain(arr: np.ndarray) -> float | np.ndarray:
    """A 0-d result as a Python float, an n-d one as the array (scalar in, scalar out)."""
    return float(arr) if np.ndim(arr) == 0 else arr


def whole_number(value: object, name: str, *, minimum: int, fix: str = "") -> int:
    """``value`` as an ``int`` >= ``minimum``; bools and floats are refused.

    Examples
    --------
    >>> whole_number(3, "horizon_years", minimum=1)
    3
    >>> whole_number(2.5, "months", minimum=1)
    Traceback (most recent call last):
    ...
    roi_kit.errors.FinanceInputError: months must be a whole number >= 1; found 2.5
    """
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise FinanceInputError(f"{name} must be a whole number >= {minimum}; found {value!r}{fix}")
    return int(value)


def one_of(value: object, name: str, allowed: Collection[str]) -> str:
    """``value`` if it is one of ``allowed``, else a FinanceInputError listing them.

    Examples
    --------
    >>> one_of("low", "which", ("low", "likely", "high"))
    'low'
    """
    if value not in allowed:
        choices = ", ".join(repr(a) for a in allowed)
        raise FinanceInputError(f"{name} must be one of {choices}; found {value!r}")
    return value  # type: ignore[return-value]
