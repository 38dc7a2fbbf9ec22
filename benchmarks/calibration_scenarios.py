"""Simulated KPI series for the calibration benchmark (issue 12): one treated and one control
group, a known CRM effect, and the noise patterns real monthly KPIs show.

The shape follows the issue's study. Month ``t = 0, 1, ...`` starts in January 2021. The
no-CRM expected level of the treated group is

``mu_t = LEVEL + TREND * t + SEASON[month of year] (+ drift * t in the drift scenario)``

in KPI units (think thousands of currency a month); the control group has the same trend and
season around ``CONTROL_LEVEL``. From go-live on, the treated group gets the CRM effect
``EFFECT_SHARE * mu_t`` (+10% of its no-CRM expected level) in the "effect" arm and nothing in
the "no effect" arm. Each group has its own noise of marginal standard deviation ``SIGMA``;
the scenarios change the noise, add a shock shared by both groups, let the treated group
drift away from the control, let the level wander as a random walk, or shorten the baseline.

Why ``SIGMA = 5`` (5% of the level): the true effect is about 11.8 KPI units, 2.4 noise
standard deviations per month; with 24 baseline and 18 after months and independent noise the
counterfactual's 95% interval is then about 1.65 effects wide and finds the effect in about
three runs of four ("detectable but not trivial"). DiD's interval is about 0.8 effects wide
(the control removes the uncertainty of the fitted trend and season), so DiD finds it almost
always. Smaller noise makes every method trivially powered; larger noise leaves the
counterfactual, the method used without a control group, with little power.

Every draw comes from a :class:`numpy.random.Generator` that the caller passes, so the
benchmark's seeding (one child generator per scenario, arm and replication) decides the
numbers; this module holds no random state.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "CONTROL_LEVEL",
    "EFFECT_SHARE",
    "FIRST_MONTH",
    "LEVEL",
    "N_AFTER",
    "N_BASELINE",
    "SCENARIOS",
    "SEASON",
    "SIGMA",
    "TREND",
    "Draw",
    "Scenario",
    "expected_level",
    "simulate",
]

#: First simulated month (a January, so a 12-month baseline covers each calendar month once).
FIRST_MONTH = pd.Period("2021-01", freq="M")
#: Baseline and after months of the issue's study.
N_BASELINE = 24
N_AFTER = 18
#: Treated group's expected level at month 0, KPI units.
LEVEL = 100.0
#: Control group's expected level at month 0, KPI units (a smaller region).
CONTROL_LEVEL = 80.0
#: Trend, KPI units per month (6 a year: the kind of growth a naive before/after credits to
#: the CRM).
TREND = 0.5
#: Month-of-year effects, KPI units, January first: 10 x sin(2 pi (m - 1) / 12), summing to 0
#: over a year (a peak of +10 in April, a trough of -10 in October).
SEASON = 10.0 * np.sin(2.0 * np.pi * np.arange(12) / 12.0)
#: Marginal standard deviation of each group's noise, KPI units (see the module docstring).
SIGMA = 5.0
#: The CRM effect, a fraction of the treated group's no-CRM expected level.
EFFECT_SHARE = 0.10


@dataclass(frozen=True)
class Scenario:
    """One data-generating process of the benchmark.

    Attributes
    ----------
    key : str
        Short stable name; it also seeds the scenario's generators, so adding, removing or
        reordering scenarios never changes another scenario's numbers.
    label : str
        Words for the table.
    n_baseline : int, months
        Baseline months before go-live (the after period is always ``N_AFTER`` months).
    seasonal : bool
        Whether the series has month-of-year effects (``SEASON``) at all.
    rho : float
        Lag-1 autocorrelation of each group's AR(1) noise (0: independent months).
    shock_sd : float, KPI units
        Standard deviation of a permanent level step shared by both groups, starting in a
        month drawn uniformly from the whole series (0: no shock).
    drift : float, KPI units per month
        Extra trend of the treated group only (its gap to the control grows by this much).
    walk_sd : float, KPI units
        Standard deviation of each group's monthly random-walk level step, on top of the
        independent noise (0: a fixed level).
    """

    key: str
    label: str
    n_baseline: int = N_BASELINE
    seasonal: bool = True
    rho: float = 0.0
    shock_sd: float = 0.0
    drift: float = 0.0
    walk_sd: float = 0.0


#: The scenarios of issue 12, item 1, in table order.
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("iid", "independent noise"),
    Scenario("ar05", "AR(1) noise, rho 0.5", rho=0.5),
    Scenario("ar08", "AR(1) noise, rho 0.8", rho=0.8),
    # A step of sd 2 x SIGMA = 10: a market event of the size of the CRM effect.
    Scenario("shock", "shock shared by treated and control", shock_sd=2.0 * SIGMA),
    Scenario("drift", "treated drifts from control by 0.2 a month", drift=0.2),
    # Level steps of sd SIGMA / 2: over 42 months the level wanders by about 3 x SIGMA.
    Scenario("walk", "random-walk level", walk_sd=0.5 * SIGMA),
    Scenario("b12s", "12-month baseline, seasonal", n_baseline=12),
    Scenario("b12", "12-month baseline, no season", n_baseline=12, seasonal=False),
    Scenario("b6s", "6-month baseline, seasonal", n_baseline=6),
    Scenario("b6", "6-month baseline, no season", n_baseline=6, seasonal=False),
)


@dataclass(frozen=True)
class Draw:
    """One simulated study: both groups' KPI and what the methods should find.

    Attributes
    ----------
    treated, control : pandas.Series
        Monthly KPI (``PeriodIndex``, freq ``"M"``), KPI units.
    go_live : pandas.Period
        First after month.
    true_effect : float, KPI units
        Mean CRM effect over the after months (0 in the no-effect arm): what the
        counterfactual and DiD estimate.
    naive_target : float, KPI units
        Expected after mean minus expected baseline mean of the treated group (trend and
        season included): what the naive before/after estimates.
    """

    treated: pd.Series
    control: pd.Series
    go_live: pd.Period
    true_effect: float
    naive_target: float


def expected_level(scenario: Scenario, start: float = LEVEL, drift: float = 0.0) -> np.ndarray:
    """No-CRM expected level of a group for each month, KPI units.

    Parameters
    ----------
    scenario : Scenario
        Gives the number of months and whether there is a season.
    start : float, KPI units
        Level at month 0 (``LEVEL`` for the treated group, ``CONTROL_LEVEL`` for the control).
    drift : float, KPI units per month
        Extra trend of this group.

    Returns
    -------
    numpy.ndarray
        ``n_baseline + N_AFTER`` values.

    Examples
    --------
    >>> mu = expected_level(Scenario("x", "x", n_baseline=6, seasonal=False))
    >>> len(mu), float(mu[0]), float(mu[-1])  # 100 + 0.5 x 23 = 111.5
    (24, 100.0, 111.5)
    """
    t = np.arange(scenario.n_baseline + N_AFTER, dtype=float)
    season = SEASON[t.astype(int) % 12] if scenario.seasonal else 0.0
    return start + (TREND + drift) * t + season


def simulate(scenario: Scenario, rng: np.random.Generator, *, effect: bool) -> Draw:
    """Draw one study of ``scenario``.

    Parameters
    ----------
    scenario : Scenario
        The data-generating process.
    rng : numpy.random.Generator
        Source of every random number of this draw.
    effect : bool
        Give the treated group the CRM effect (+``EFFECT_SHARE`` of its no-CRM expected level
        in every after month) or not.

    Returns
    -------
    Draw
        The two series, the go-live month and the targets.
    """
    n_b = scenario.n_baseline
    n = n_b + N_AFTER
    mu_t = expected_level(scenario, LEVEL, scenario.drift)
    mu_c = expected_level(scenario, CONTROL_LEVEL)
    lift = np.where(np.arange(n) >= n_b, EFFECT_SHARE * mu_t, 0.0) if effect else np.zeros(n)
    shared = _shock(scenario, rng, n)
    treated = mu_t + lift + shared + _noise(scenario, rng, n)
    control = mu_c + shared + _noise(scenario, rng, n)
    index = pd.period_range(FIRST_MONTH, periods=n, freq="M")
    expected = mu_t + lift
    return Draw(
        treated=pd.Series(treated, index=index),
        control=pd.Series(control, index=index),
        go_live=FIRST_MONTH + n_b,
        true_effect=float(lift[n_b:].mean()),
        naive_target=float(expected[n_b:].mean() - expected[:n_b].mean()),
    )


def _noise(scenario: Scenario, rng: np.random.Generator, n: int) -> np.ndarray:
    """One group's noise: AR(1) of marginal sd ``SIGMA`` (independent when rho is 0), plus a
    random-walk level when ``walk_sd`` is set."""
    rho = scenario.rho
    z = rng.standard_normal(n)
    noise = np.empty(n)
    # Start in the stationary distribution so every month has the same variance SIGMA^2.
    noise[0] = SIGMA * z[0]
    innovation = SIGMA * np.sqrt(1.0 - rho**2)
    for i in range(1, n):
        noise[i] = rho * noise[i - 1] + innovation * z[i]
    if scenario.walk_sd:
        noise += np.cumsum(scenario.walk_sd * rng.standard_normal(n))
    return noise


def _shock(scenario: Scenario, rng: np.random.Generator, n: int) -> np.ndarray:
    """The shock both groups share: a permanent step from a random month (zeros without)."""
    if not scenario.shock_sd:
        return np.zeros(n)
    start = int(rng.integers(0, n))
    size = scenario.shock_sd * float(rng.standard_normal())
    return np.where(np.arange(n) >= start, size, 0.0)
