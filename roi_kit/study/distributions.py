"""Uncertain assumptions: their shapes, how ``case.yml`` writes them, and how they are drawn.

Each uncertain assumption is a :class:`Distribution` (low / likely / high and a shape),
usually built from ``case.yml`` with :func:`spec_from_config` or from a loaded case's
assumption with :func:`spec_from_assumption`; :func:`draw` samples one. The tornado
(:mod:`roi_kit.study.sensitivity`), the Monte Carlo (:mod:`roi_kit.study.simulation`) and the
break-even search (:mod:`roi_kit.study.break_even_search`) all take a mapping of name ->
Distribution, checked by :func:`check_specs`.

References
----------
.. [1] Malcolm, D. G., Roseboom, J. H., Clark, C. E., Fazar, W. (1959). "Application of a
   technique for research and development program evaluation". Operations Research 7(5),
   646-669. (The PERT three-point estimate.)
.. [2] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley. Ch. 9 (PERT as a
   scaled beta with lambda = 4).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
from scipy import stats

from roi_kit.errors import CaseError, FinanceInputError

__all__ = [
    "KINDS",
    "Distribution",
    "spec_from_config",
    "spec_from_assumption",
    "draw",
    "check_specs",
]

#: The distribution shapes an assumption can have.
KINDS = ("triangular", "pert", "uniform", "normal", "fixed")

# 95th percentile of the standard normal: a normal's 5th..95th percentile interval is
# mean +/- Z95 * sd, so sd = (high - low) / (2 * Z95).
_Z95 = float(stats.norm.ppf(0.95))

# PERT's classic weight on the most likely value (Malcolm et al. 1959): mean = (a + 4m + c) / 6.
_PERT_LAMBDA = 4.0

_CONFIG_KEYS = frozenset({"low", "likely", "high", "distribution", "unit", "bounds"})


def _is_number(value: object) -> bool:
    """True for a real number that is not a bool (the study's one "is this a number" test)."""
    # bool is an int subclass, but `attribution_share: true` in YAML is a typo, not a number.
    return isinstance(value, Real) and not isinstance(value, bool)


@dataclass(frozen=True)
class Distribution:
    """One uncertain assumption: its name, shape and three-point range.

    Parameters
    ----------
    name : str
        The assumption's name, as the model's ``params`` key (for example
        ``"attribution_share"``).
    kind : {"triangular", "pert", "uniform", "normal", "fixed"}
        The shape. ``"pert"`` is a beta distribution on [low, high] peaked at ``likely``
        (lambda = 4); ``"triangular"`` puts more weight on the tails than PERT;
        ``"uniform"`` ignores ``likely`` for sampling (it is still the base value of a tornado
        and of break-even); ``"fixed"`` is not uncertain (low = likely = high).
    low, likely, high : float
        The three-point estimate, in the assumption's own unit. For ``"normal"``: ``likely`` is
        the mean and ``low`` / ``high`` are the 5th and 95th percentiles, i.e.
        ``high - low`` is the width of the central 90% interval and the standard deviation is
        ``(high - low) / (2 * 1.6449)``. A normal is symmetric, so a ``likely`` that is not
        the midpoint only moves the mean; the width still comes from ``high - low``.
    unit : str, optional
        A unit hint. ``"fraction"`` means a share in [0, 1]: it sets the natural bounds to
        [0, 1] and makes messages print the value as a percentage.
    bounds : tuple of float, optional
        The natural bounds the assumption can never leave (for example ``(0, None)`` style
        limits written as ``(0.0, inf)``). Used to clip normal draws and to limit the
        break-even search. Defaults to [0, 1] for ``unit="fraction"``, else unbounded.

    Raises
    ------
    CaseError
        If ``kind`` is unknown, a value is not a finite number, ``low <= likely <= high`` does
        not hold, a fixed assumption has a range, or the range leaves the bounds.
    """

    name: str
    kind: str
    low: float
    likely: float
    high: float
    unit: str | None = None
    bounds: tuple[float, float] | None = None

    def __post_init__(self) -> None:
        where = f"assumption {self.name!r}"
        if not isinstance(self.name, str) or not self.name.strip():
            raise CaseError(f"an assumption needs a non-empty name (found {self.name!r})")
        if self.kind not in KINDS:
            raise CaseError(
                f"{where}: unknown distribution {self.kind!r}. Fix: use one of {', '.join(KINDS)}"
            )
        for field in ("low", "likely", "high"):
            value = getattr(self, field)
            if not _is_number(value) or not math.isfinite(value):
                raise CaseError(
                    f"{where}: {field} must be a finite number (found {value!r}). "
                    "Fix: write a plain number such as 0.3"
                )
        if not self.low <= self.likely <= self.high:
            raise CaseError(
                f"{where}: need low <= likely <= high, found low={self.low}, "
                f"likely={self.likely}, high={self.high}. Fix: reorder the three values"
            )
        if self.kind == "fixed" and not self.low == self.likely == self.high:
            raise CaseError(
                f"{where}: a fixed assumption has one value, found low={self.low}, "
                f"likely={self.likely}, high={self.high}. Fix: give a single number, or "
                "choose a distribution such as pert"
            )
        if self.bounds is not None:
            if len(self.bounds) != 2 or not all(
                _is_number(b) and not math.isnan(b) for b in self.bounds
            ):
                raise CaseError(
                    f"{where}: bounds must be two numbers [lower, upper] (found {self.bounds!r})"
                )
            if self.bounds[0] >= self.bounds[1]:
                raise CaseError(f"{where}: bounds {self.bounds!r} must have lower < upper")
        lower, upper = self.natural_bounds
        if self.low < lower or self.high > upper:
            raise CaseError(
                f"{where}: the range {self.low}..{self.high} leaves the natural bounds "
                f"{lower}..{upper}. Fix: a fraction is written as 0.3 for 30%, not 30"
            )

    @property
    def natural_bounds(self) -> tuple[float, float]:
        """The bounds the assumption can never leave: ``bounds``, else [0, 1] for a fraction,
        else unbounded."""
        if self.bounds is not None:
            return (float(self.bounds[0]), float(self.bounds[1]))
        if self.unit == "fraction":
            return (0.0, 1.0)
        return (-math.inf, math.inf)

    @property
    def is_fraction(self) -> bool:
        """True when the unit hint says the value is a share in [0, 1]."""
        return self.unit == "fraction"


def spec_from_config(name: str, value: object) -> Distribution:
    """Build a :class:`Distribution` from a ``case.yml`` entry.

    Parameters
    ----------
    name : str
        The assumption's name.
    value : float or dict
        Either a plain number (a fixed assumption) or a mapping with keys ``low``, ``likely``,
        ``high`` and optionally ``distribution`` (default ``"pert"``), ``unit`` (for example
        ``"fraction"``) and ``bounds`` (``[lower, upper]``). A ``fixed`` mapping needs only
        ``likely``.

    Returns
    -------
    Distribution

    Raises
    ------
    CaseError
        Naming the assumption, when the entry is neither a number nor a valid mapping.

    Examples
    --------
    >>> spec_from_config("attribution_share", {"low": 0.2, "likely": 0.4, "high": 0.6})
    Distribution(name='attribution_share', kind='pert', low=0.2, likely=0.4, high=0.6, unit=None, bounds=None)
    >>> spec_from_config("discount_rate", 0.1).kind
    'fixed'
    """  # noqa: E501
    where = f"assumption {name!r}"
    if _is_number(value):
        v = float(value)  # type: ignore[arg-type]
        return Distribution(name, "fixed", v, v, v)
    if not isinstance(value, Mapping):
        raise CaseError(
            f"{where}: expected a number or a mapping with low, likely, high "
            f"(found {value!r}). Fix: write e.g. {{low: 0.2, likely: 0.4, high: 0.6}}"
        )
    unknown = sorted(str(k) for k in value if k not in _CONFIG_KEYS)
    if unknown:
        raise CaseError(
            f"{where}: unknown key(s) {', '.join(unknown)}. Fix: use only "
            f"{', '.join(sorted(_CONFIG_KEYS))}"
        )
    kind = value.get("distribution", "pert")
    if kind == "fixed" and "likely" in value:
        likely = value["likely"]
        low = value.get("low", likely)
        high = value.get("high", likely)
    else:
        missing = [k for k in ("low", "likely", "high") if k not in value]
        if missing:
            raise CaseError(
                f"{where}: missing {', '.join(missing)}. Fix: give low, likely and high"
            )
        low, likely, high = value["low"], value["likely"], value["high"]
    for field, v in (("low", low), ("likely", likely), ("high", high)):
        if not _is_number(v):
            raise CaseError(
                f"{where}: {field} must be a number (found {v!r}). "
                "Fix: write a plain number such as 0.3, without quotes or a % sign"
            )
    bounds = value.get("bounds")
    if bounds is not None:
        if not isinstance(bounds, list | tuple) or len(bounds) != 2:
            raise CaseError(f"{where}: bounds must be [lower, upper] (found {bounds!r})")
        bounds = tuple(
            (-math.inf if i == 0 else math.inf) if b is None else b for i, b in enumerate(bounds)
        )
    unit = value.get("unit")
    if unit is not None and not isinstance(unit, str):
        raise CaseError(f"{where}: unit must be text such as 'fraction' (found {unit!r})")
    return Distribution(
        name,
        str(kind),
        float(low),
        float(likely),
        float(high),
        unit=unit,
        bounds=bounds,  # type: ignore[arg-type]
    )


def spec_from_assumption(
    assumption: Any, *, bounds: tuple[float, float] | None = None
) -> Distribution:
    """Build a :class:`Distribution` from an already-validated case assumption.

    Parameters
    ----------
    assumption : object
        Anything with attributes ``name``, ``low``, ``likely``, ``high``, ``distribution``
        and optionally ``unit`` - for example :class:`roi_kit.case.Assumption`. Read by
        attribute so this module does not depend on the case loader.
    bounds : (float, float), optional
        Natural bounds, e.g. the valid range of the assumption's catalogue entry.

    Returns
    -------
    Distribution

    Raises
    ------
    CaseError
        When an attribute is missing or the values are invalid.
    """
    try:
        name = assumption.name
        values = (assumption.low, assumption.likely, assumption.high)
        kind = assumption.distribution
    except AttributeError as exc:
        raise CaseError(
            f"cannot read an assumption from {type(assumption).__name__}: {exc}. "
            "Fix: pass an object with name, low, likely, high and distribution"
        ) from None
    for v in values:
        if not _is_number(v):
            raise CaseError(f"assumption {name!r}: low, likely, high must be numbers ({values})")
    unit = getattr(assumption, "unit", None)
    return Distribution(
        name,
        kind,
        *(float(v) for v in values),
        unit=unit if isinstance(unit, str) and unit else None,
        bounds=bounds,
    )


def draw(dist: Distribution, n: int, rng: np.random.Generator | int) -> np.ndarray:
    """Draw ``n`` random values of one assumption.

    Parameters
    ----------
    dist : Distribution
        The assumption.
    n : int
        Number of draws, >= 1.
    rng : numpy.random.Generator or int
        The random generator, or a seed for :func:`numpy.random.default_rng`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n,)``, float64, in the assumption's unit. Triangular, PERT and uniform draws
        lie in [low, high]; normal draws are clipped to the natural bounds (prefer PERT for a
        bounded quantity: clipping piles probability on the bound).

    Notes
    -----
    PERT is a beta distribution scaled to [a, c] with
    ``alpha = 1 + 4 (m - a) / (c - a)`` and ``beta = 1 + 4 (c - m) / (c - a)``, so its mean is
    ``(a + 4 m + c) / 6`` [1]_.

    References
    ----------
    .. [1] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley, sec. 9.1.
    """
    if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 1:
        raise FinanceInputError(f"n must be a whole number of draws >= 1 (found {n!r})")
    n = int(n)
    if not isinstance(rng, np.random.Generator):
        rng = np.random.default_rng(rng)
    a, m, c = dist.low, dist.likely, dist.high
    # A zero-width range is a constant whatever the shape; the samplers below would divide
    # by zero (PERT) or refuse left == right (numpy's triangular).
    if dist.kind == "fixed" or a == c:
        return np.full(n, m, dtype=float)
    if dist.kind == "uniform":
        return rng.uniform(a, c, n)
    if dist.kind == "triangular":
        return rng.triangular(a, m, c, n)
    if dist.kind == "pert":
        alpha = 1.0 + _PERT_LAMBDA * (m - a) / (c - a)
        beta = 1.0 + _PERT_LAMBDA * (c - m) / (c - a)
        return a + (c - a) * rng.beta(alpha, beta, n)
    # normal
    sd = (c - a) / (2.0 * _Z95)
    lower, upper = dist.natural_bounds
    return np.clip(rng.normal(m, sd, n), lower, upper)


def check_specs(specs: Mapping[str, Distribution]) -> None:
    """Refuse a specs mapping that the tornado, Monte Carlo or break-even cannot use.

    Parameters
    ----------
    specs : mapping of str to Distribution
        The assumptions, keyed by name; each key must equal its Distribution's ``name``.

    Raises
    ------
    CaseError
        When ``specs`` is empty or not a mapping, a value is not a :class:`Distribution`, or a
        key differs from its Distribution's name; the message names the key and the fix.

    Examples
    --------
    >>> check_specs({"a": Distribution("a", "fixed", 1.0, 1.0, 1.0)})
    >>> check_specs({})
    Traceback (most recent call last):
    ...
    roi_kit.errors.CaseError: no assumptions given. Fix: pass a mapping of name -> Distribution
    """
    if not isinstance(specs, Mapping) or not specs:
        raise CaseError("no assumptions given. Fix: pass a mapping of name -> Distribution")
    for key, dist in specs.items():
        if not isinstance(dist, Distribution):
            raise CaseError(
                f"assumption {key!r}: expected a Distribution (found {type(dist).__name__}). "
                "Fix: build it with spec_from_config"
            )
        if dist.name != key:
            raise CaseError(
                f"assumption {key!r}: its Distribution is named {dist.name!r}. "
                "Fix: use the same name for the key and the Distribution"
            )
