"""How sure is the ROI? Tornado sensitivity, Monte Carlo and break-even.

Every function here works on a *model*: a callable that takes the assumptions and returns the
money outputs,

.. code-block:: python

    model(params: Mapping[str, float | np.ndarray]) -> Mapping[str, np.ndarray | float]

returning at least ``"npv"`` and ``"roi"`` and optionally ``"payback_months"`` (NaN when the
investment is never paid back within the horizon). The model is vectorised: when the params are
arrays of shape ``(n,)`` the outputs have shape ``(n,)``. That is what lets one Monte Carlo run
of 100,000 draws, or a whole tornado, be a single call to the model instead of a Python loop.

Each uncertain assumption is described by a :class:`Distribution` (low / likely / high and a
shape), usually built from ``case.yml`` with :func:`spec_from_config`.

References
----------
.. [1] Malcolm, D. G., Roseboom, J. H., Clark, C. E., Fazar, W. (1959). "Application of a
   technique for research and development program evaluation". Operations Research 7(5),
   646-669. (The PERT three-point estimate.)
.. [2] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley. Ch. 9 (PERT as a
   scaled beta with lambda = 4), Ch. 5 (tornado charts and spider plots).
.. [3] Forrester Research, "Total Economic Impact (TEI) methodology": risk-adjusted benefits
   and costs, and sensitivity of ROI to the key assumptions.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from roi_kit.errors import CaseError, FinanceInputError

__all__ = [
    "KINDS",
    "Distribution",
    "spec_from_config",
    "spec_from_assumption",
    "draw",
    "tornado",
    "MonteCarloResult",
    "monte_carlo",
    "BreakEven",
    "break_even",
]

#: The distribution shapes an assumption can have.
KINDS = ("triangular", "pert", "uniform", "normal", "fixed")

# 95th percentile of the standard normal: a normal's 5th..95th percentile interval is
# mean +/- Z95 * sd, so sd = (high - low) / (2 * Z95).
_Z95 = float(stats.norm.ppf(0.95))

# PERT's classic weight on the most likely value (Malcolm et al. 1959): mean = (a + 4m + c) / 6.
_PERT_LAMBDA = 4.0

_CONFIG_KEYS = frozenset({"low", "likely", "high", "distribution", "unit", "bounds"})

Model = Callable[[Mapping[str, Any]], Mapping[str, Any]]


def _is_number(value: object) -> bool:
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
        and optionally ``unit`` - for example :class:`roi_kit.case.config.Assumption`. Read by
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


def _check_specs(specs: Mapping[str, Distribution]) -> None:
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


def _output(result: Mapping[str, Any], output: str, n: int, *, allow_nan: bool) -> np.ndarray:
    """Pull one output from a model's result as a float array of shape (n,), or refuse."""
    if not isinstance(result, Mapping):
        raise FinanceInputError(
            f"the model must return a mapping of outputs (found {type(result).__name__})"
        )
    if output not in result:
        raise CaseError(
            f"the model has no output {output!r}. Fix: choose one of {', '.join(map(str, result))}"
        )
    values = np.asarray(result[output], dtype=float)
    if values.shape not in ((), (1,), (n,)):
        raise FinanceInputError(
            f"the model's {output!r} has shape {values.shape}, expected ({n},): "
            "the model must be vectorised over its params"
        )
    values = np.broadcast_to(values, (n,))
    if not allow_nan:
        bad = int(np.count_nonzero(~np.isfinite(values)))
        if bad:
            raise FinanceInputError(
                f"the model returned {bad} non-finite {output!r} value(s) out of {n}. "
                "Fix: check the assumption ranges (a zero cost, for example)"
            )
    return values


def tornado(
    model: Model, specs: Mapping[str, Distribution], *, output: str = "npv"
) -> pd.DataFrame:
    """One-at-a-time sensitivity: how far each assumption alone moves the output.

    The base case sets every assumption to its ``likely`` value. Then each uncertain
    assumption in turn is set to its ``low`` and to its ``high`` value, all others staying at
    ``likely``. Fixed assumptions have no range and get no bar. The whole tornado is one
    vectorised call to the model.

    Parameters
    ----------
    model : callable
        The vectorised model (see the module docstring).
    specs : mapping of str to Distribution
        The assumptions, keyed by name.
    output : str, default "npv"
        Which model output to study (``"npv"`` in currency, ``"roi"`` as a fraction, ...).

    Returns
    -------
    pandas.DataFrame
        Columns ``assumption``, ``low_value``, ``high_value``, ``output_at_low``,
        ``output_at_high``, ``swing`` (``|output_at_high - output_at_low|``, in the output's
        unit) and ``base`` (the output with everything at ``likely``); one row per uncertain
        assumption, sorted by swing, largest first (ties keep the specs' order).

    References
    ----------
    .. [1] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley, sec. 5.3.
    """
    _check_specs(specs)
    varied = [name for name, d in specs.items() if d.kind != "fixed" and d.low != d.high]
    k = len(varied)
    rows = 1 + 2 * k
    params: dict[str, np.ndarray] = {}
    for name, dist in specs.items():
        column = np.full(rows, dist.likely, dtype=float)
        if name in varied:
            i = varied.index(name)
            column[1 + 2 * i] = dist.low
            column[2 + 2 * i] = dist.high
        params[name] = column
    values = _output(model(params), output, rows, allow_nan=False)
    base = float(values[0])
    at_low = values[1::2]
    at_high = values[2::2]
    frame = pd.DataFrame(
        {
            "assumption": pd.Series(varied, dtype="string"),
            "low_value": [specs[n].low for n in varied],
            "high_value": [specs[n].high for n in varied],
            "output_at_low": at_low.astype(float),
            "output_at_high": at_high.astype(float),
            "swing": np.abs(at_high - at_low).astype(float),
            "base": np.full(k, base, dtype=float),
        }
    )
    frame = frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    return frame


@dataclass(frozen=True, eq=False)
class MonteCarloResult:
    """The outcome of a Monte Carlo run.

    Attributes
    ----------
    n : int
        Number of draws.
    seed : int
        The seed; the same seed and specs give identical numbers.
    draws : pandas.DataFrame
        One column per assumption, one row per draw, in the assumptions' units.
    npv : numpy.ndarray
        NPV of each draw, currency.
    roi : numpy.ndarray
        ROI of each draw, fraction (0.25 = 25%).
    payback_months : numpy.ndarray or None
        Payback of each draw, months (NaN = not within the horizon); None when the model does
        not return it.
    npv_p5, npv_p50, npv_p95 : float
        5th, 50th, 95th percentiles of NPV, currency.
    roi_p5, roi_p50, roi_p95 : float
        5th, 50th, 95th percentiles of ROI, fraction.
    prob_roi_positive : float
        Share of draws with ROI > 0 (the CRM returns more than it costs).
    prob_npv_positive : float
        Share of draws with NPV > 0.
    horizon_months : float or None
        The horizon ``prob_payback_within_horizon`` refers to.
    prob_payback_within_horizon : float or None
        Share of draws paid back within ``horizon_months`` (NaN payback counts as not paid
        back); None when no horizon was given.
    """

    n: int
    seed: int
    draws: pd.DataFrame
    npv: np.ndarray
    roi: np.ndarray
    payback_months: np.ndarray | None
    npv_p5: float
    npv_p50: float
    npv_p95: float
    roi_p5: float
    roi_p50: float
    roi_p95: float
    prob_roi_positive: float
    prob_npv_positive: float
    horizon_months: float | None
    prob_payback_within_horizon: float | None

    def summary_frame(self) -> pd.DataFrame:
        """The headline numbers as a two-column table (``statistic``, ``value``).

        NPV rows are in currency, ROI rows are fractions, probabilities are in [0, 1].
        """
        rows: list[tuple[str, float]] = [
            ("NPV mean", float(np.mean(self.npv))),
            ("NPV P5", self.npv_p5),
            ("NPV P50", self.npv_p50),
            ("NPV P95", self.npv_p95),
            ("ROI mean", float(np.mean(self.roi))),
            ("ROI P5", self.roi_p5),
            ("ROI P50", self.roi_p50),
            ("ROI P95", self.roi_p95),
            ("P(NPV > 0)", self.prob_npv_positive),
            ("P(ROI > 0)", self.prob_roi_positive),
        ]
        if self.prob_payback_within_horizon is not None:
            rows.append(
                (
                    f"P(payback within {self.horizon_months:g} months)",
                    self.prob_payback_within_horizon,
                )
            )
        rows.append(("draws", float(self.n)))
        return pd.DataFrame(
            {
                "statistic": pd.Series([r[0] for r in rows], dtype="string"),
                "value": [r[1] for r in rows],
            }
        )

    def summary_text(self) -> str:
        """One honest paragraph: the 90% interval of ROI, whether it includes zero, and the
        chance of a positive ROI."""
        includes_zero = self.roi_p5 <= 0.0 <= self.roi_p95
        text = (
            f"In {self.n:,} simulated scenarios, ROI lies between {self.roi_p5:.0%} and "
            f"{self.roi_p95:.0%} in 90% of them (median {self.roi_p50:.0%})"
        )
        if includes_zero:
            text += "; this interval includes zero, so a loss is plausible"
        text += f". The chance that ROI is positive is {self.prob_roi_positive:.0%}."
        if self.prob_payback_within_horizon is not None:
            text += (
                f" The chance of payback within {self.horizon_months:g} months is "
                f"{self.prob_payback_within_horizon:.0%}."
            )
        return text


def _seed_for(seed: int, name: str) -> list[int]:
    # One independent stream per assumption, keyed by its name: adding, removing or
    # reordering an assumption does not reshuffle the draws of the others, so two runs that
    # differ in one assumption are comparable draw by draw (common random numbers).
    return [seed, zlib.crc32(name.encode("utf-8"))]


def monte_carlo(
    model: Model,
    specs: Mapping[str, Distribution],
    *,
    n: int = 100_000,
    seed: int = 0,
    horizon_months: float | None = None,
) -> MonteCarloResult:
    """Draw every assumption at once, run the model once, and summarise the spread.

    Parameters
    ----------
    model : callable
        The vectorised model (see the module docstring); called exactly once, with arrays of
        shape ``(n,)``.
    specs : mapping of str to Distribution
        The assumptions, keyed by name. Assumptions are drawn independently.
    n : int, default 100_000
        Number of draws. With n = 100,000 the Monte Carlo error of P(ROI > 0) is at most
        0.16 percentage points (one standard error).
    seed : int, default 0
        Seed (a non-negative integer). Each assumption gets its own stream derived from
        the seed and its name.
    horizon_months : float, optional
        When given, the model must return ``payback_months`` and the result reports the
        share of draws paid back within this many months.

    Returns
    -------
    MonteCarloResult

    Raises
    ------
    CaseError
        Bad specs, or the model lacks an output asked for.
    FinanceInputError
        Bad ``n``, ``seed`` or ``horizon_months``, or the model returned non-finite NPV/ROI.

    References
    ----------
    .. [1] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley, ch. 7.
    """
    _check_specs(specs)
    if not isinstance(n, int | np.integer) or isinstance(n, bool) or n < 2:
        raise FinanceInputError(f"n must be a whole number of draws >= 2 (found {n!r})")
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or seed < 0:
        raise FinanceInputError(f"seed must be a non-negative whole number (found {seed!r})")
    if horizon_months is not None and (
        not _is_number(horizon_months) or not math.isfinite(horizon_months) or horizon_months <= 0
    ):
        raise FinanceInputError(
            f"horizon_months must be a positive number of months (found {horizon_months!r})"
        )
    n, seed = int(n), int(seed)
    params = {
        name: draw(dist, n, np.random.default_rng(_seed_for(seed, name)))
        for name, dist in specs.items()
    }
    result = model(params)
    npv = np.array(_output(result, "npv", n, allow_nan=False))
    roi = np.array(_output(result, "roi", n, allow_nan=False))
    payback = None
    if isinstance(result, Mapping) and "payback_months" in result:
        payback = np.array(_output(result, "payback_months", n, allow_nan=True))
    prob_payback = None
    if horizon_months is not None:
        if payback is None:
            raise FinanceInputError(
                "horizon_months was given but the model returns no 'payback_months'. "
                "Fix: return payback_months from the model, or leave horizon_months out"
            )
        # NaN (never paid back) compares False, so it counts as not within the horizon.
        prob_payback = float(np.mean(payback <= horizon_months))
    npv_p = np.percentile(npv, [5, 50, 95])
    roi_p = np.percentile(roi, [5, 50, 95])
    return MonteCarloResult(
        n=n,
        seed=seed,
        draws=pd.DataFrame(params),
        npv=npv,
        roi=roi,
        payback_months=payback,
        npv_p5=float(npv_p[0]),
        npv_p50=float(npv_p[1]),
        npv_p95=float(npv_p[2]),
        roi_p5=float(roi_p[0]),
        roi_p50=float(roi_p[1]),
        roi_p95=float(roi_p[2]),
        prob_roi_positive=float(np.mean(roi > 0)),
        prob_npv_positive=float(np.mean(npv > 0)),
        horizon_months=None if horizon_months is None else float(horizon_months),
        prob_payback_within_horizon=prob_payback,
    )


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


def _format_value(value: float, as_percent: bool) -> str:
    if as_percent:
        text = f"{value * 100:.1f}".rstrip("0").rstrip(".")
        return f"{text}%"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:.3g}"


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


def break_even(
    model: Model,
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
        The vectorised model (see the module docstring).
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
    >>> from roi_kit.study.uncertainty import Distribution, break_even
    >>> specs = {"a": Distribution("a", "pert", 0.2, 0.4, 0.6, unit="fraction")}
    >>> be = break_even(lambda p: {"npv": 1000 * p["a"] - 300}, specs, "a")
    >>> round(be.value, 6), be.message
    (0.3, 'the CRM pays for itself if a stays above 30% (assumed range 20% to 60%, likely 40%)')
    """
    _check_specs(specs)
    if name not in specs:
        raise CaseError(
            f"no assumption named {name!r}. Fix: choose one of {', '.join(map(str, specs))}"
        )
    if not _is_number(target) or not math.isfinite(target):
        raise FinanceInputError(f"target must be a finite number (found {target!r})")
    dist = specs[name]
    if bracket is None:
        lo, hi = _default_bracket(dist)
    else:
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
        lo, hi = float(bracket[0]), float(bracket[1])
    as_percent = dist.is_fraction or name in fraction_names
    fmt = lambda v: _format_value(v, as_percent)  # noqa: E731
    pays = output in ("npv", "roi") and target == 0.0
    goal = (
        "the CRM pays for itself"
        if pays
        else f"{output} stays above {_format_value(target, False)}"
    )

    grid_n = 401
    grid = np.linspace(lo, hi, grid_n)
    params: dict[str, Any] = {
        key: np.full(grid_n, d.likely, dtype=float) for key, d in specs.items()
    }
    params[name] = grid
    # The search deliberately probes the edges of the range (a cost of exactly zero, say),
    # where a model's other outputs may divide by zero; those outputs are not the one asked
    # for, and a non-finite value of the one asked for is handled below, so stay quiet.
    with np.errstate(all="ignore"):
        gap = _output(model(params), output, grid_n, allow_nan=True) - target
    finite = np.isfinite(gap)
    if not finite.any():
        raise FinanceInputError(
            f"the model's {output!r} is not finite anywhere for {name} in {fmt(lo)}..{fmt(hi)}"
        )

    def f(x: float) -> float:
        scalar = {key: d.likely for key, d in specs.items()}
        scalar[name] = x
        with np.errstate(all="ignore"):
            result = model(scalar)
        return float(_output(result, output, 1, allow_nan=True)[0]) - target

    # Candidate crossings: grid points exactly on target, and cells whose ends differ in sign.
    candidates: list[tuple[float, str]] = []
    for i in np.flatnonzero(finite & (gap == 0)):
        left, right = gap[max(i - 1, 0)], gap[min(i + 1, grid_n - 1)]
        if np.isfinite(left) and np.isfinite(right) and left != right:
            candidates.append((float(grid[i]), "above" if right > left else "below"))
    # Signs with non-finite points set to 0, so no inf * 0 and no NaN reach the product.
    sign = np.sign(np.where(finite, gap, 0.0))
    for i in np.flatnonzero(sign[:-1] * sign[1:] < 0):
        root = optimize.brentq(f, grid[i], grid[i + 1], xtol=1e-12 * max(1.0, abs(grid[i])))
        candidates.append((float(root), "above" if gap[i + 1] > gap[i] else "below"))

    range_text = f"assumed range {fmt(dist.low)} to {fmt(dist.high)}, likely {fmt(dist.likely)}"
    if not candidates:
        values = gap[finite]
        if np.all(values > 0):
            state = "positive" if target == 0 else "above target"
            head = (
                f"the CRM pays for itself for every {name}"
                if pays
                else f"{output} stays above {_format_value(target, False)} for every {name}"
            )
        elif np.all(values < 0):
            state = "negative" if target == 0 else "below target"
            head = (
                f"the CRM does not pay for itself for any {name}"
                if pays
                else f"{output} stays below {_format_value(target, False)} for every {name}"
            )
        else:
            state = "equal to the target"
            head = f"{output} does not cross the target for any {name}"
        message = (
            f"{head} from {fmt(lo)} to {fmt(hi)}: {output} stays {state} over the whole "
            f"range searched ({range_text})"
        )
        return BreakEven(name, None, False, message, None, (lo, hi))

    value, direction = min(candidates, key=lambda c: abs(c[0] - dist.likely))
    inside = dist.low <= value <= dist.high
    message = f"{goal} if {name} stays {direction} {fmt(value)} ({range_text})"
    if not inside:
        # Outside the range, the whole assumed range is on one side of the break-even.
        side = f(dist.likely)
        state = "positive" if side > 0 else "negative"
        if target != 0:
            state = "above target" if side > 0 else "below target"
        message += f"; this is outside the assumed range, so within it {output} stays {state}"
    return BreakEven(name, value, inside, message, direction, (lo, hi))
