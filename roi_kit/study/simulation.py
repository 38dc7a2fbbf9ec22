"""Monte Carlo: draw every uncertain assumption at once, run the model once, read the spread.

See :mod:`roi_kit.study.vectorised` for the model it evaluates (called once with arrays of
100,000 draws) and :mod:`roi_kit.study.distributions` for how each assumption is drawn.

References
----------
.. [1] Vose, D. (2008). *Risk Analysis: A Quantitative Guide*, 3rd ed., Wiley, ch. 7.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.errors import FinanceInputError
from roi_kit.study.distributions import Distribution, _is_number, check_specs, draw
from roi_kit.study.vectorised import VectorisedModel, model_output

__all__ = ["MonteCarloResult", "monte_carlo"]


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

    @property
    def varied(self) -> tuple[str, ...]:
        """The inputs whose draws actually vary (names of :attr:`draws`' columns)."""
        return tuple(
            str(name)
            for name in self.draws.columns
            if len(self.draws) and float(np.ptp(self.draws[name].to_numpy(dtype=float))) > 0
        )

    @property
    def has_spread(self) -> bool:
        """Whether the draws give different ROIs at all (False: nothing is uncertain)."""
        return bool(self.varied) and float(np.ptp(self.roi)) > 0

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

    def summary_text(self, labels: Mapping[str, str] | None = None) -> str:
        """One honest paragraph: which inputs vary, the 90% interval of ROI, whether it
        includes zero, and the chance of a positive ROI.

        When no input varies, it says so instead of presenting a zero-width interval as
        a finding.

        Parameters
        ----------
        labels : mapping of str to str, optional
            Readable names of the inputs (default: their names).
        """
        if not self.has_spread:
            return (
                f"Nothing is uncertain in this model: no input varies across the {self.n:,} "
                f"draws (no counted measured change, no assumption with a range that moves "
                f"the result), so every draw gives the same ROI, {_pct(self.roi_p50)}. This "
                "is not an interval: it says nothing about how sure the answer is. Give the "
                "assumptions low/high ranges in case.yml to see the spread."
            )
        names = labels or {}
        varied = ", ".join(names.get(n, n) for n in self.varied)
        includes_zero = self.roi_p5 <= 0.0 <= self.roi_p95
        text = (
            f"Varying {varied}: in {self.n:,} simulated scenarios, ROI lies between "
            f"{_pct(self.roi_p5)} and {_pct(self.roi_p95)} in 90% of them "
            f"(median {_pct(self.roi_p50)})"
        )
        if includes_zero:
            text += "; this interval includes zero, so a loss is plausible"
        text += f". The chance that ROI is positive is {_pct(self.prob_roi_positive)}."
        if self.prob_payback_within_horizon is not None:
            text += (
                f" The chance of payback within {self.horizon_months:g} months is "
                f"{_pct(self.prob_payback_within_horizon)}."
            )
        return text


def _pct(value: float) -> str:
    """A whole percentage for :meth:`MonteCarloResult.summary_text` ("42%")."""
    return fmt.percent(value, decimals=0)


def _seed_for(seed: int, name: str) -> list[int]:
    # One independent stream per assumption, keyed by its name: adding, removing or
    # reordering an assumption does not reshuffle the draws of the others, so two runs that
    # differ in one assumption are comparable draw by draw (common random numbers).
    return [seed, zlib.crc32(name.encode("utf-8"))]


def monte_carlo(
    model: VectorisedModel,
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
        The vectorised model (see :mod:`roi_kit.study.vectorised`); called exactly once,
        with arrays of shape ``(n,)``.
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
    check_specs(specs)
    n, seed = _checked_run(n, seed, horizon_months)
    params = {
        name: draw(dist, n, np.random.default_rng(_seed_for(seed, name)))
        for name, dist in specs.items()
    }
    result = model(params)
    npv = np.array(model_output(result, "npv", n, allow_nan=False))
    roi = np.array(model_output(result, "roi", n, allow_nan=False))
    payback = None
    if isinstance(result, Mapping) and "payback_months" in result:
        payback = np.array(model_output(result, "payback_months", n, allow_nan=True))
    prob_payback = _prob_payback(payback, horizon_months)
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


def _checked_run(n: object, seed: object, horizon_months: object) -> tuple[int, int]:
    """``n`` and ``seed`` as plain ints after checking them and ``horizon_months``."""
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
    return int(n), int(seed)


def _prob_payback(payback: np.ndarray | None, horizon_months: float | None) -> float | None:
    """Share of draws paid back within ``horizon_months``; None without a horizon."""
    if horizon_months is None:
        return None
    if payback is None:
        raise FinanceInputError(
            "horizon_months was given but the model returns no 'payback_months'. "
            "Fix: return payback_months from the model, or leave horizon_months out"
        )
    # NaN (never paid back) compares False, so it counts as not within the horizon.
    return float(np.mean(payback <= horizon_months))
