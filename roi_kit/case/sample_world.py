"""The simulated world behind the sample case: calendar, company, noise and true effects.

Two regions of the fictional Northwind Supplies share a growth trend and seasons; North
(treated) gets the CRM effects of :data:`TRUE_EFFECTS` from go-live, scaled each month by the
share of licensed users who are active. Every number is drawn up front from one seeded
generator, so the world with the CRM and the world without it (``effect_scale=0``) share
every random draw and their difference is exactly the effect in the files (:func:`_truth`).

The cells are produced as text with fixed formatting (:func:`_fixed`, :func:`_cents_text`)
so that :mod:`roi_kit.case.sample_files` writes byte-identical files on every platform.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from roi_kit.case.kpis import CATALOGUE
from roi_kit.errors import CaseError

__all__ = [
    "DEFAULT_SEED",
    "TrueEffect",
    "TRUE_EFFECTS",
    "DERIVED_KPIS",
    "ZERO_EFFECT_KPIS",
    "true_average_effects",
]

DEFAULT_SEED = 20240101

# --- calendar ------------------------------------------------------------------------------

_FIRST_YEAR = 2022
_N_MONTHS = 42  # 2022-01 .. 2025-06
_GO_LIVE_INDEX = 24  # 2024-01: 24 baseline months before it, 18 after months from it
_MONTHS = tuple(f"{_FIRST_YEAR + i // 12}-{i % 12 + 1:02d}" for i in range(_N_MONTHS))
_CAL_MONTH = tuple(i % 12 + 1 for i in range(_N_MONTHS))

_REGIONS = ("North", "South")  # North adopts the CRM (treated); South is the control
_TREATED = 0

# --- the true effects ----------------------------------------------------------------------


@dataclass(frozen=True)
class TrueEffect:
    """One KPI effect injected into the treated region at full adoption.

    Parameters
    ----------
    kpi : str
        The kpis.csv column.
    kind : {"absolute", "relative"}
        ``absolute``: ``full_adoption`` is added, in the KPI's units. ``relative``: the KPI
        (or, for ``churned_customers``, the monthly churn rate behind it) is multiplied by
        ``1 + full_adoption``.
    full_adoption : float
        The effect with 100% of licensed users active; KPI units when absolute, a fraction
        when relative. Each after month receives ``full_adoption x active_users /
        licensed_users``.
    unit : str
        The KPI's unit, for reports.
    mechanism : str
        What the CRM does to produce the effect, in words.
    """

    kpi: str
    kind: str
    full_adoption: float
    unit: str
    mechanism: str


# Coherent with the story: better qualification and follow-up raise the win rate and lead
# conversion; pipeline visibility shortens the cycle; cross-selling from a shared customer view
# raises deal size; proactive account care lowers churn and lifts satisfaction.
TRUE_EFFECTS: Mapping[str, TrueEffect] = MappingProxyType(
    {
        "win_rate": TrueEffect(
            "win_rate", "absolute", 0.04, "fraction", "pipeline discipline: +4 points"
        ),
        "lead_conversion": TrueEffect(
            "lead_conversion", "absolute", 0.015, "fraction", "faster lead follow-up"
        ),
        "avg_deal_size": TrueEffect(
            "avg_deal_size", "relative", 0.03, "EUR", "cross-sell from a shared customer view"
        ),
        "sales_cycle_days": TrueEffect(
            "sales_cycle_days", "absolute", -8.0, "days", "reminders and pipeline visibility"
        ),
        "churned_customers": TrueEffect(
            "churned_customers", "relative", -0.15, "customers", "churn rate down 15%"
        ),
        "csat": TrueEffect("csat", "absolute", 0.3, "score 1-5", "faster, informed service"),
    }
)
"""The injected effects at full adoption (100% of licensed users active), by KPI."""

DERIVED_KPIS: tuple[str, ...] = ("revenue", "deals_won", "customers", "acquisition_cost")
"""KPIs with no effect of their own that move because injected KPIs feed them."""

ZERO_EFFECT_KPIS: tuple[str, ...] = ("operating_cost", "opportunities_closed")
"""KPIs the CRM does not change: placebo checks for estimators (true effect exactly 0)."""
# Every standard KPI in the catalogue's order, plus the sample's one custom KPI.
_KPI_COLUMNS = (*CATALOGUE, "opportunities_closed")
_UNITS = {
    "revenue": "EUR",
    "deals_won": "deals",
    "avg_deal_size": "EUR",
    "win_rate": "fraction",
    "lead_conversion": "fraction",
    "sales_cycle_days": "days",
    "customers": "customers",
    "churned_customers": "customers",
    "csat": "score 1-5",
    "operating_cost": "EUR",
    "acquisition_cost": "EUR",
    "opportunities_closed": "opportunities",
}

# --- the company's parameters (North, South) -----------------------------------------------

_LICENSED_USERS = 60
_BASE_OPPS = (120.0, 95.0)  # closed opportunities a month at t = 0
_BASE_WIN_RATE = (0.24, 0.22)
_BASE_DEAL = (8500.0, 7900.0)  # EUR
_BASE_LEAD_CONV = (0.18, 0.16)
_BASE_CYCLE = (62.0, 66.0)  # days
_BASE_CUSTOMERS = (820, 640)  # at the end of 2021-12
_BASE_CHURN = (0.016, 0.015)  # monthly churn rate
_BASE_CSAT = (3.90, 3.80)
_BASE_OPCOST = (210000.0, 170000.0)  # EUR a month
_NEW_CUSTOMER_SHARE = 0.5  # share of won deals that come from new customers
_ACQUISITION_SHARE = 0.30  # share of operating cost spent on acquiring customers

# Shared monthly growth (multiplicative) and drift (additive): the trend a naive before/after
# comparison wrongly credits to the CRM. Identical in both regions, so parallel trends hold.
_VOLUME_GROWTH = 1.009
_PRICE_GROWTH = 1.002
_OPCOST_GROWTH = 1.004
_WIN_RATE_DRIFT = 0.0005  # per month
_LEAD_CONV_DRIFT = 0.0003
_CYCLE_DRIFT = -0.08  # days per month
_CSAT_DRIFT = 0.002

# Seasonality shared by both regions: Q4 peak, summer dip in July/August.
_SEASON_VOLUME = {1: 0.94, 2: 0.97, 3: 1.03, 4: 1.00, 5: 1.02, 6: 1.01,
                  7: 0.88, 8: 0.84, 9: 1.03, 10: 1.07, 11: 1.12, 12: 1.09}  # fmt: skip
_SEASON_WIN_RATE = {7: -0.008, 8: -0.010, 10: 0.006, 11: 0.010, 12: 0.012}
_SEASON_CYCLE = {7: 2.5, 8: 3.0, 11: -1.0, 12: -2.0}
_SEASON_OPCOST = {10: 1.03, 11: 1.03, 12: 1.03}

# Noise scales (standard deviations): modest, so a difference-in-differences on 24 + 18
# months can recover the effects; relative ones are fractions of the level.
_SD_OPPS = 0.05
_SD_WIN_RATE = 0.006
_SD_DEAL = 0.025
_SD_LEAD_CONV = 0.006
_SD_CYCLE = 1.5
_SD_CHURN = 0.12
_SD_NEW_SHARE = 0.08
_SD_CSAT = 0.05
_SD_OPCOST = 0.015
_SD_ADOPTION = 0.02

_NOISE_NAMES = (
    "opps",
    "win_rate",
    "deal",
    "lead_conv",
    "cycle",
    "churn",
    "new_share",
    "csat",
    "opcost",
)


# --- generation ----------------------------------------------------------------------------


def _check_args(seed: object, effect_scale: object) -> tuple[int, float]:
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise CaseError(f"seed must be a non-negative integer, got {seed!r}")
    if isinstance(effect_scale, bool) or not isinstance(effect_scale, int | float):
        raise CaseError(f"effect_scale must be a number, got {effect_scale!r}")
    scale = float(effect_scale)
    if not math.isfinite(scale) or scale < 0:
        raise CaseError(f"effect_scale must be finite and >= 0, got {effect_scale!r}")
    return int(seed), scale


def _cumulative(rate: float) -> list[float]:
    # Repeated multiplication rather than pow(): IEEE products round identically on every
    # platform, which keeps the files byte-identical.
    out, level = [], 1.0
    for _ in range(_N_MONTHS):
        out.append(level)
        level *= rate
    return out


def _money(x: float) -> int:
    """Round an amount to whole cents (an int), half away from zero."""
    return int(math.floor(x * 100.0 + 0.5))


def _cents_text(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def _fixed(x: float, decimals: int) -> str:
    text = f"{x:.{decimals}f}"
    # "-0.00" would differ from "0.00" by a sign bit only; normalise it.
    return text[1:] if text.startswith("-") and float(text) == 0.0 else text


@dataclass(frozen=True)
class _World:
    """All tables of one generated world, as text cells, plus the adoption share."""

    kpi_rows: tuple[dict[str, str], ...]  # keys: month, region, KPI columns
    adoption_rows: tuple[dict[str, str], ...]
    active_share: tuple[float, ...]  # by after month


def _draw_noise(seed: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    # All draws happen up front in a fixed order, independent of the effects, so the worlds
    # with and without the CRM share every random number (common random numbers).
    rng = np.random.default_rng(seed)
    noise = {name: rng.standard_normal((len(_REGIONS), _N_MONTHS)) for name in _NOISE_NAMES}
    adoption_noise = rng.standard_normal(_N_MONTHS - _GO_LIVE_INDEX)
    return noise, adoption_noise


def _adoption(adoption_noise: np.ndarray) -> tuple[list[dict[str, str]], list[float]]:
    rows, shares = [], []
    n_after = _N_MONTHS - _GO_LIVE_INDEX
    for k in range(n_after):
        if k <= 8:
            # Ramp from 20% active in the go-live month to 85% by the ninth month.
            target = 0.20 + 0.65 * k / 8
        else:
            target = min(0.92, 0.85 + _SD_ADOPTION * float(adoption_noise[k]))
        active = min(_LICENSED_USERS, round(_LICENSED_USERS * target))
        # Power users trained before go-live, then six more a month until everyone is.
        trained = max(active, min(_LICENSED_USERS, 24 + 6 * k))
        rows.append(
            {
                "month": _MONTHS[_GO_LIVE_INDEX + k],
                "licensed_users": str(_LICENSED_USERS),
                "active_users": str(active),
                "trained_users": str(trained),
            }
        )
        shares.append(active / _LICENSED_USERS)
    return rows, shares


@dataclass(frozen=True)
class _Month:
    """One region-month being generated: which region, which month, its noise, its exposure."""

    g: int  # region index into _REGIONS
    t: int  # month index from 2022-01
    z: Mapping[str, float]  # this region-month's standard-normal draw, by _NOISE_NAMES
    share: float  # active share of licensed users the effects scale with; 0 if untreated

    @property
    def m(self) -> int:
        """Calendar month, 1-12 (the seasons' key)."""
        return _CAL_MONTH[self.t]


@dataclass(frozen=True)
class _Trends:
    """The shared cumulative growth factors by month index (1.0 at 2022-01)."""

    volume: list[float]
    price: list[float]
    opcost: list[float]


def _world(seed: int, effect_scale: float) -> _World:
    """Generate both regions' 42 months of KPIs and North's adoption, as text cells.

    Parameters
    ----------
    seed : int
        Seed of the noise.
    effect_scale : float
        Multiplier of every effect in :data:`TRUE_EFFECTS` (0: the world without the CRM).
    """
    noise, adoption_noise = _draw_noise(seed)
    adoption_rows, shares = _adoption(adoption_noise)
    trends = _Trends(
        _cumulative(_VOLUME_GROWTH), _cumulative(_PRICE_GROWTH), _cumulative(_OPCOST_GROWTH)
    )
    eff = {kpi: e.full_adoption * effect_scale for kpi, e in TRUE_EFFECTS.items()}

    rows: list[dict[str, str]] = []
    for g, region in enumerate(_REGIONS):
        # customers is a stock: each month starts from the previous month's count.
        customers = _BASE_CUSTOMERS[g]
        for t in range(_N_MONTHS):
            treated_after = g == _TREATED and t >= _GO_LIVE_INDEX
            month = _Month(
                g,
                t,
                {name: float(noise[name][g, t]) for name in _NOISE_NAMES},
                shares[t - _GO_LIVE_INDEX] if treated_after else 0.0,
            )
            row, customers = _kpi_row(month, region, eff, trends, customers)
            rows.append(row)
    return _World(tuple(rows), tuple(adoption_rows), tuple(shares))


def _kpi_row(
    month: _Month,
    region: str,
    eff: Mapping[str, float],
    trends: _Trends,
    customers: int,
) -> tuple[dict[str, str], int]:
    """One kpis.csv row as text cells, and the customer count at the month's end."""
    opps, deals, deal_cents = _sales(month, eff, trends)
    lead_conv, cycle, csat = _service(month, eff)
    churned, new = _customer_flow(month, eff, customers, deals)
    customers = customers + new - churned
    opcost_cents, acq_cents = _operating_cost(month, trends, new)
    row = {
        "month": _MONTHS[month.t],
        "region": region,
        # revenue is computed in whole cents from the published deal size, so
        # revenue == deals_won x avg_deal_size holds exactly in the file.
        "revenue": _cents_text(deals * deal_cents),
        "deals_won": str(deals),
        "avg_deal_size": _cents_text(deal_cents),
        "win_rate": _fixed(deals / opps, 4),
        "lead_conversion": _fixed(lead_conv, 4),
        "sales_cycle_days": _fixed(cycle, 1),
        "customers": str(customers),
        "churned_customers": str(churned),
        "csat": _fixed(csat, 2),
        "operating_cost": _cents_text(opcost_cents),
        "acquisition_cost": _cents_text(acq_cents),
        "opportunities_closed": str(opps),
    }
    return row, customers


# The formulas below keep their terms in the original order: floating-point sums are not
# associative, and a reordered term could change a last digit and so the committed bytes.


def _sales(month: _Month, eff: Mapping[str, float], trends: _Trends) -> tuple[int, int, int]:
    """Closed opportunities, deals won, and the average deal size in whole cents."""
    g, t, m, z, share = month.g, month.t, month.m, month.z, month.share
    opps = max(
        1,
        round(_BASE_OPPS[g] * trends.volume[t] * _SEASON_VOLUME[m] * (1 + _SD_OPPS * z["opps"])),
    )
    p_win = (
        _BASE_WIN_RATE[g]
        + _WIN_RATE_DRIFT * t
        + _SEASON_WIN_RATE.get(m, 0.0)
        + _SD_WIN_RATE * z["win_rate"]
        + eff["win_rate"] * share
    )
    deals = min(opps, max(0, round(p_win * opps)))
    deal_cents = _money(
        _BASE_DEAL[g]
        * trends.price[t]
        * (1 + _SD_DEAL * z["deal"])
        * (1 + eff["avg_deal_size"] * share)
    )
    return opps, deals, deal_cents


def _service(month: _Month, eff: Mapping[str, float]) -> tuple[float, float, float]:
    """Lead conversion (fraction), sales cycle (days) and CSAT (score 1-5)."""
    g, t, m, z, share = month.g, month.t, month.m, month.z, month.share
    lead_conv = (
        _BASE_LEAD_CONV[g]
        + _LEAD_CONV_DRIFT * t
        + _SD_LEAD_CONV * z["lead_conv"]
        + eff["lead_conversion"] * share
    )
    cycle = (
        _BASE_CYCLE[g]
        + _CYCLE_DRIFT * t
        + _SEASON_CYCLE.get(m, 0.0)
        + _SD_CYCLE * z["cycle"]
        + eff["sales_cycle_days"] * share
    )
    csat = _BASE_CSAT[g] + _CSAT_DRIFT * t + _SD_CSAT * z["csat"] + eff["csat"] * share
    return lead_conv, cycle, csat


def _customer_flow(
    month: _Month, eff: Mapping[str, float], customers: int, deals: int
) -> tuple[int, int]:
    """Customers churned (of last month's ``customers``) and new customers (of ``deals``)."""
    g, z, share = month.g, month.z, month.share
    churn_rate = (
        _BASE_CHURN[g]
        * max(0.0, 1 + _SD_CHURN * z["churn"])
        * (1 + eff["churned_customers"] * share)
    )
    churned = round(customers * churn_rate)
    new = max(1, round(deals * _NEW_CUSTOMER_SHARE * (1 + _SD_NEW_SHARE * z["new_share"])))
    return churned, new


def _operating_cost(month: _Month, trends: _Trends, new: int) -> tuple[int, int]:
    """Operating cost and acquisition cost per new customer, both in whole cents (EUR)."""
    g, t, m, z = month.g, month.t, month.m, month.z
    opcost_cents = _money(
        _BASE_OPCOST[g]
        * trends.opcost[t]
        * _SEASON_OPCOST.get(m, 1.0)
        * (1 + _SD_OPCOST * z["opcost"])
    )
    acq_cents = _money(_ACQUISITION_SHARE * opcost_cents / 100.0 / new)
    return opcost_cents, acq_cents


def _treated_after(rows: Sequence[dict[str, str]], column: str) -> list[float]:
    return [
        float(r[column])
        for r in rows
        if r["region"] == _REGIONS[_TREATED] and r["month"] >= _MONTHS[_GO_LIVE_INDEX]
    ]


def _truth(world: _World, null_world: _World, effect_scale: float) -> dict[str, dict]:
    """The effect present in the files: treated after-months, with minus without the CRM."""
    out: dict[str, dict] = {}
    for kpi in _KPI_COLUMNS:
        with_crm = _treated_after(world.kpi_rows, kpi)
        without = _treated_after(null_world.kpi_rows, kpi)
        diffs = [a - b for a, b in zip(with_crm, without, strict=True)]
        average = sum(diffs) / len(diffs)
        relative = sum(with_crm) / sum(without) - 1.0
        entry: dict[str, object] = {
            "unit": _UNITS[kpi],
            "average_effect": round(average, 6) + 0.0,  # + 0.0 turns -0.0 into 0.0
            "average_relative_effect": round(relative, 6) + 0.0,
        }
        if kpi in TRUE_EFFECTS:
            e = TRUE_EFFECTS[kpi]
            entry.update(
                injected=e.kind,
                full_adoption_effect=round(e.full_adoption * effect_scale, 6) + 0.0,
                mechanism=e.mechanism,
            )
        elif kpi in DERIVED_KPIS:
            entry.update(injected="derived", full_adoption_effect=None)
        else:
            entry.update(injected="none", full_adoption_effect=0.0)
        out[kpi] = entry
    return out


def true_average_effects(
    *, seed: int = DEFAULT_SEED, effect_scale: float = 1.0
) -> dict[str, float]:
    """The true average effect per KPI over the after period, in the KPI's units.

    This is the mean over the treated region's after months of (KPI with the CRM - the same
    KPI with the same noise but without the CRM): what a counterfactual or
    difference-in-differences estimator estimates. Zero-effect KPIs give exactly 0.0.

    Parameters
    ----------
    seed : int, default 20240101
        Seed of the noise (numpy ``default_rng``).
    effect_scale : float, default 1.0
        Multiplier of every effect in :data:`TRUE_EFFECTS` (0 gives a world without effects).

    Returns
    -------
    dict of str to float
        KPI name -> average effect (KPI units; counts and money as published, rounded).
    """
    seed, scale = _check_args(seed, effect_scale)
    world, null_world = _world(seed, scale), _world(seed, 0.0)
    return {k: v["average_effect"] for k, v in _truth(world, null_world, scale).items()}
