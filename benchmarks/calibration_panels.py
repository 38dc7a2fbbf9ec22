"""Simulated unit panels for the panel calibration (issue 13, item 4): a known CRM effect.

Month ``t = 0 .. N_MONTHS - 1``; go-live at ``N_BASELINE`` (or per cohort when staggered).
Unit ``u`` of the panel has the no-CRM KPI

``y[u, t] = LEVEL * s[u] + m[t] + e[u, t]``

- ``s[u]``: the unit's size, lognormal (sd 0.3 on the log scale): reps differ;
- ``m[t]``: a shock shared by every unit in month ``t`` (the market, the season), normal
  with sd ``SHOCK``, plus a trend of ``TREND`` a month: it is what a before/after would
  credit to the CRM, and what the month fixed effects remove;
- ``e[u, t]``: the unit's own noise, AR(1) with coefficient ``RHO`` and a marginal sd of
  ``SIGMA * s[u]`` (a large unit is noisier in absolute terms): the serial correlation that
  clustering by unit must allow for.

From its go-live on, a treated unit gets ``effect * LEVEL * s[u]`` (a share of its size), with
``effect`` the scenario's (per cohort when staggered: cohorts gain differently, the case where
a two-way fixed-effects regression is biased). The true effect reported is the mean of the
effects over the treated unit-months (the ATT the estimators target), so coverage is judged
against the exact truth of each draw's design.

Every draw comes from a :class:`numpy.random.Generator` the caller passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "LEVEL",
    "SIGMA",
    "SHOCK",
    "TREND",
    "RHO",
    "N_BASELINE",
    "N_AFTER",
    "PanelScenario",
    "PANEL_SCENARIOS",
    "simulate_panel",
]

#: Mean unit level, KPI units (think deals a month of one rep x 10).
LEVEL = 100.0
#: Marginal sd of a unit's own noise at size 1, KPI units.
SIGMA = 15.0
#: Sd of the monthly shock shared by every unit, KPI units.
SHOCK = 10.0
#: Trend shared by every unit, KPI units per month.
TREND = 1.0
#: Lag-1 autocorrelation of a unit's own noise.
RHO = 0.4
#: Baseline and after months.
N_BASELINE = 18
N_AFTER = 12
_FIRST = pd.Period("2021-01", freq="M")


@dataclass(frozen=True)
class PanelScenario:
    """One panel design.

    Attributes
    ----------
    key : str
    treated, control : int
        Treated and control units.
    effect : float
        The CRM effect as a share of a unit's size; a tuple gives one per cohort.
    cohorts : tuple of int
        Go-live month offsets from ``N_BASELINE`` of the treated cohorts (``(0,)``: one
        go-live); treated units are split between them evenly.
    """

    key: str
    treated: int
    control: int
    effect: tuple[float, ...] = (0.10,)
    cohorts: tuple[int, ...] = (0,)

    @property
    def clusters(self) -> int:
        """Units in all."""
        return self.treated + self.control


#: The designs: few clusters (region totals), a middling number, many (reps); staggered.
PANEL_SCENARIOS = (
    PanelScenario("few-3", treated=1, control=2),
    PanelScenario("few-6", treated=2, control=4),
    PanelScenario("mid-12", treated=4, control=8),
    PanelScenario("reps-35", treated=12, control=23),
    PanelScenario("many-60", treated=20, control=40),
    PanelScenario("stagger-36", treated=24, control=12, effect=(0.05, 0.15), cohorts=(0, 6)),
)


def simulate_panel(
    scenario: PanelScenario, rng: np.random.Generator, *, with_effect: bool
) -> tuple[pd.DataFrame, float]:
    """One panel of ``scenario`` (the :data:`roi_kit.measure.panel_data.PANEL_COLUMNS`).

    Returns
    -------
    (pandas.DataFrame, float)
        The panel, and the true mean effect per treated unit-month after go-live.
    """
    units = scenario.clusters
    months = N_BASELINE + N_AFTER
    size = np.exp(rng.normal(-0.045, 0.3, units))  # mean size ~1
    shared = TREND * np.arange(months) + rng.normal(0.0, SHOCK, months)
    innov = rng.normal(0.0, np.sqrt(1 - RHO**2), (units, months))
    noise = np.empty((units, months))
    noise[:, 0] = rng.normal(0.0, 1.0, units)
    for t in range(1, months):
        noise[:, t] = RHO * noise[:, t - 1] + innov[:, t]
    y = LEVEL * size[:, None] + shared[None, :] + SIGMA * size[:, None] * noise
    treated = np.arange(units) < scenario.treated
    cohort = np.arange(units) % len(scenario.cohorts)
    go = np.where(treated, N_BASELINE + np.asarray(scenario.cohorts)[cohort], 0)
    t = np.arange(months)
    d = treated[:, None] & (t[None, :] >= go[:, None])
    share = np.asarray(scenario.effect)[cohort] if with_effect else np.zeros(units)
    gain = LEVEL * size * share
    y = y + d * gain[:, None]
    truth = float((d * gain[:, None]).sum() / d.sum())
    first = _FIRST.ordinal
    frame = pd.DataFrame(
        {
            "unit": np.repeat([f"u{i:02d}" for i in range(units)], months),
            "group": np.repeat(np.where(treated, "T", "C"), months),
            "treated": np.repeat(treated, months),
            "month": pd.PeriodIndex.from_ordinals(np.tile(t + first, units), freq="M"),
            "t": np.tile(t + first, units),
            "go_live": np.repeat(np.where(treated, go + first, 0), months),
            "d": d.ravel().astype(float),
            "y": y.ravel(),
            "w": 1.0,
        }
    )
    return frame, truth
