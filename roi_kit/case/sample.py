"""The sample case: a fictional company whose true CRM effects are known.

"Northwind Supplies" is a fictional mid-size B2B distributor (currency EUR). Its North
region went live with a CRM in January 2024; its South region did not and serves as the
control group. Both regions share a growth trend and seasonality (a Q4 peak, a summer dip in
July/August), so a naive before/after comparison credits the CRM with growth it did not cause.

The CRM effects are injected into North's after-period KPIs, scaled each month by the share
of licensed users who were active (``adoption.csv``), on top of seeded noise. Because the same
noise draws are used with and without the effects, the effect actually present in the files
is known exactly; ``true_effects.yml`` records it, so estimators (naive, counterfactual,
difference-in-differences) can be tested against the truth.

Regenerate the committed copy with ``python -m roi_kit.case.sample`` (or pass an output folder).
The output is byte-identical for the same seed: fixed float formatting, ``"\\n"`` line
endings, sorted keys, no timestamps.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import yaml

from roi_kit.case.kpis import CATALOGUE
from roi_kit.errors import CaseError
from roi_kit.io import atomic_write_text

__all__ = [
    "DEFAULT_SEED",
    "TrueEffect",
    "TRUE_EFFECTS",
    "DERIVED_KPIS",
    "ZERO_EFFECT_KPIS",
    "SAMPLE_FILES",
    "default_sample_dir",
    "true_average_effects",
    "generate_sample_case",
    "main",
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

SAMPLE_FILES: tuple[str, ...] = (
    "README.md",
    "adoption.csv",
    "case.yml",
    "costs.csv",
    "kpis.csv",
    "true_effects.yml",
)
"""The files :func:`generate_sample_case` writes."""

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


def default_sample_dir() -> Path:
    """The committed sample case folder: ``<repository>/data/sample_case``.

    Returns
    -------
    pathlib.Path
        Resolved relative to this file, so it works from any working directory.
    """
    return Path(__file__).resolve().parents[2] / "data" / "sample_case"


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


def _world(seed: int, effect_scale: float) -> _World:
    noise, adoption_noise = _draw_noise(seed)
    adoption_rows, shares = _adoption(adoption_noise)
    volume, price, opgrowth = (
        _cumulative(_VOLUME_GROWTH),
        _cumulative(_PRICE_GROWTH),
        _cumulative(_OPCOST_GROWTH),
    )
    eff = {kpi: e.full_adoption * effect_scale for kpi, e in TRUE_EFFECTS.items()}

    rows: list[dict[str, str]] = []
    for g, region in enumerate(_REGIONS):
        customers = _BASE_CUSTOMERS[g]
        for t in range(_N_MONTHS):
            z = {name: float(noise[name][g, t]) for name in _NOISE_NAMES}
            m = _CAL_MONTH[t]
            treated_after = g == _TREATED and t >= _GO_LIVE_INDEX
            share = shares[t - _GO_LIVE_INDEX] if treated_after else 0.0

            opps = max(
                1,
                round(_BASE_OPPS[g] * volume[t] * _SEASON_VOLUME[m] * (1 + _SD_OPPS * z["opps"])),
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
                * price[t]
                * (1 + _SD_DEAL * z["deal"])
                * (1 + eff["avg_deal_size"] * share)
            )
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
            churn_rate = (
                _BASE_CHURN[g]
                * max(0.0, 1 + _SD_CHURN * z["churn"])
                * (1 + eff["churned_customers"] * share)
            )
            churned = round(customers * churn_rate)
            new = max(1, round(deals * _NEW_CUSTOMER_SHARE * (1 + _SD_NEW_SHARE * z["new_share"])))
            customers = customers + new - churned
            csat = _BASE_CSAT[g] + _CSAT_DRIFT * t + _SD_CSAT * z["csat"] + eff["csat"] * share
            opcost_cents = _money(
                _BASE_OPCOST[g]
                * opgrowth[t]
                * _SEASON_OPCOST.get(m, 1.0)
                * (1 + _SD_OPCOST * z["opcost"])
            )
            acq_cents = _money(_ACQUISITION_SHARE * opcost_cents / 100.0 / new)

            rows.append(
                {
                    "month": _MONTHS[t],
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
            )
    return _World(tuple(rows), tuple(adoption_rows), tuple(shares))


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


# --- rendering -----------------------------------------------------------------------------


def _csv_text(header: Sequence[str], rows: Sequence[Mapping[str, str]]) -> str:
    # Written by hand, not with the csv module: none of the cells needs quoting except the
    # ledger's item names, and a fixed "\n" terminator keeps the bytes platform-independent.
    def cell(value: str) -> str:
        return f'"{value}"' if ("," in value or '"' in value) else value

    lines = [",".join(header)]
    lines += [",".join(cell(r[h]) for h in header) for r in rows]
    return "\n".join(lines) + "\n"


# item, category, type, amount, frequency, start, end, hours, hourly_rate
_COSTS: tuple[tuple[str, ...], ...] = (
    ("CRM licences (60 seats x EUR 70 per user-month)", "software", "recurring",
     "4200.00", "monthly", "2024-01", "", "", ""),
    ("Implementation partner (configuration and project management)", "implementation",
     "one_time", "48000.00", "once", "2023-10", "", "", ""),
    ("Data migration from legacy contact database", "data_migration", "one_time",
     "14500.00", "once", "2023-11", "", "", ""),
    ("ERP and e-mail integration", "integration", "one_time",
     "18000.00", "once", "2023-12", "", "", ""),
    ("User training (initial, 60 users)", "training", "one_time",
     "9600.00", "once", "2023-12", "", "", ""),
    ("Refresher training", "training", "recurring", "3200.00", "annual", "2024-12", "", "", ""),
    ("Internal project team (sales ops and IT)", "internal_staff", "one_time",
     "", "once", "2023-10", "", "960", "65.00"),
    ("CRM administrator (internal, part-time)", "internal_staff", "recurring",
     "", "monthly", "2024-01", "", "40", "65.00"),
    ("Support and maintenance contract", "support", "recurring",
     "6000.00", "annual", "2024-01", "", "", ""),
    ("Tablets for field sales (12 units)", "hardware", "one_time",
     "7200.00", "once", "2023-12", "", "", ""),
    ("Data enrichment credits", "subscription", "recurring",
     "1500.00", "quarterly", "2024-01", "", "", ""),
    ("Sales intelligence add-on (annual plan, cancelled early)", "subscription", "recurring",
     "9000.00", "annual", "2024-07", "2025-12", "", ""),
)  # fmt: skip
_COST_HEADER = (
    "item", "category", "type", "amount", "frequency", "start", "end", "hours", "hourly_rate",
)  # fmt: skip

_CASE_YML = """\
# Northwind Supplies: the kit's sample case (fictional). Generated by roi_kit.case.sample;
# regenerate with `python -m roi_kit.case.sample` rather than editing by hand.
# The true CRM effects injected into the data are in true_effects.yml.
name: Northwind Supplies - CRM review
kind: review
currency: EUR
go_live: 2024-01
baseline: {start: 2022-01, end: 2023-12}
after: {start: 2024-01, end: 2025-06}
horizon_years: 3
discount_rate: 0.10
decimal: "."
date_order: auto
files:
  kpis: kpis.csv
  costs: costs.csv
  adoption: adoption.csv
groups:
  column: region
  treated: North
  control: South
goals:
  - {kpi: win_rate, target: 0.05, target_kind: absolute}
  - {kpi: sales_cycle_days, target: -0.20, target_kind: relative}
  - {kpi: csat, target: 0.3, target_kind: absolute}
  - {kpi: churned_customers, target: -0.10, target_kind: relative}
custom_kpis:
  - {name: opportunities_closed, label: Closed opportunities, unit: count, direction: higher}
assumptions:
  gross_margin: {low: 0.28, likely: 0.32, high: 0.36}
  attribution_share: {low: 0.5, likely: 0.7, high: 0.9}
  recapture_factor: 0.5
  loaded_hourly_rate: 65
  hours_saved_per_user_week: {low: 0.5, likely: 1.5, high: 2.5}
  ramp_up_months: 3
risk: {benefits: 0.10, costs: 0.10}
scenarios:
  conservative:
    description: Low attribution and margin, costs 15% over plan
    assumptions: {attribution_share: 0.5, gross_margin: 0.28, hours_saved_per_user_week: 0.5}
    costs: {all: 1.15}
  optimistic:
    description: High attribution, more time recaptured, costs on plan
    assumptions: {attribution_share: 0.9, recapture_factor: 0.7, hours_saved_per_user_week: 2.5}
    risk: {benefits: 0.05, costs: 0.05}
intangibles:
  - {name: Customer experience, score: 4, weight: 1.0, evidence: "CSAT comments mention faster, better-informed answers"}
  - {name: Data insight, score: 4, weight: 1.0, evidence: "Weekly pipeline dashboard replaced three spreadsheets"}
  - {name: Stronger sales team, score: 3, weight: 0.8, evidence: "New hires onboard on shared account history"}
  - {name: Team efficiency, score: 3, weight: 0.8, evidence: "Sales and service share one customer record"}
  - {name: Long-term relationship value, score: 4, weight: 1.0, evidence: "Key-account plans tracked for top 50 customers"}
"""  # noqa: E501 - the intangibles read better one to a line


def _true_effects_yml(truth: Mapping[str, dict], seed: int, world: _World) -> str:
    shares = world.active_share
    doc = {
        "seed": seed,
        "treated": _REGIONS[_TREATED],
        "control": _REGIONS[1 - _TREATED],
        "after": {"start": _MONTHS[_GO_LIVE_INDEX], "end": _MONTHS[-1]},
        "mean_active_share": round(sum(shares) / len(shares), 6),
        "control_effect": 0.0,
        "effects": dict(truth),
        "zero_effect_kpis": list(ZERO_EFFECT_KPIS),
        "derived_kpis": list(DERIVED_KPIS),
    }
    header = (
        "# True CRM effects in the Northwind Supplies sample case\n"
        "# (generated by roi_kit.case.sample).\n"
        "# average_effect: mean over the after months (2024-01..2025-06) of North's KPI with\n"
        "#   the CRM minus the same KPI, same noise, without it; in the KPI's units. This is\n"
        "#   what a counterfactual or difference-in-differences estimator estimates.\n"
        "# average_relative_effect: sum(with) / sum(without) - 1 over the same months.\n"
        "# full_adoption_effect: the injected effect with every licensed user active (KPI units\n"
        "#   when injected is absolute, a fraction when relative); each month gets it times\n"
        "#   active_users / licensed_users. South (the control) has no injected effect.\n"
    )
    body = yaml.safe_dump(doc, sort_keys=True, default_flow_style=False, allow_unicode=True)
    return header + body


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


def _readme(truth: Mapping[str, dict], world: _World) -> str:
    def north(column: str, after: bool) -> list[float]:
        return [
            float(r[column])
            for r in world.kpi_rows
            if r["region"] == "North" and (r["month"] >= _MONTHS[_GO_LIVE_INDEX]) == after
        ]

    decimals = {"EUR": 2, "fraction": 4, "days": 2, "score 1-5": 3}
    lines = []
    for kpi in _KPI_COLUMNS:
        t = truth[kpi]
        d = decimals.get(t["unit"], 2)
        full = t["full_adoption_effect"]
        if t["injected"] == "relative":
            full_text = f"{full:+.0%} (relative)"
        elif t["injected"] == "absolute":
            full_text = f"{full:+.{d}f}"
        elif t["injected"] == "derived":
            full_text = "derived"
        else:
            full_text = "none"
        naive = _mean(north(kpi, True)) - _mean(north(kpi, False))
        lines.append(
            f"| `{kpi}` | {t['unit']} | {full_text} | {t['average_effect']:+.{d}f} "
            f"| {t['average_relative_effect']:+.1%} | {naive:+.{d}f} |"
        )
    share = _mean(world.active_share)
    naive_revenue = _mean(north("revenue", True)) - _mean(north("revenue", False))
    true_revenue = truth["revenue"]["average_effect"]
    # The ratio is only meaningful with a positive true effect (not in a null world).
    if true_revenue > 0:
        naive_sentence = (
            f"for revenue it is {naive_revenue / true_revenue:.1f} times the true average effect."
        )
    else:
        naive_sentence = f"for revenue it shows {naive_revenue:+.2f} EUR a month."
    table = "\n".join(lines)
    header = (
        "| KPI | unit | full-adoption effect | true average effect (after period) | relative "
        "| naive North after - before |\n|---|---|---|---|---|---|"
    )
    return f"""\
# Sample case: Northwind Supplies (fictional)

*Generated by `roi_kit.case.sample` (`python -m roi_kit.case.sample`); do not edit by hand.*

Northwind Supplies is a fictional mid-size B2B distributor of office and warehouse supplies,
reporting in EUR. Its sales and service teams work in two regions. In January 2024 the North
region went live with a CRM: an implementation partner configured it in autumn 2023, the
legacy contact database was migrated and the ERP integrated, and the 60 North sales and
service staff were trained. The South region kept working from spreadsheets and e-mail, so
it serves as the control group.

The files hold 24 baseline months (2022-01..2023-12) and 18 after months (2024-01..2025-06)
for each region (`kpis.csv`), the monthly adoption of the 60 licensed seats (`adoption.csv`:
active users ramp from 20% in the go-live month to about 85% by the ninth month, mean
{share:.1%} over the after period), the full cost ledger (`costs.csv`) and the study's
assumptions, goals and intangibles (`case.yml`).

## The true effects

Because the data are generated, the CRM's effect is known. Each after month, North's KPIs
receive the full-adoption effect times that month's share of active users; the same random
noise is drawn with and without the CRM, so the difference is exactly the effect in the
files. South receives no effect. `true_effects.yml` holds these numbers; this table is
generated from the same values.

{header}
{table}

*Derived* KPIs move only because injected ones feed them: revenue = deals won x average deal
size (exact to the cent in every row), deals won = win rate x closed opportunities, customers
evolve with new customers (half the won deals) and churn, acquisition cost = 30% of operating
cost / new customers. `operating_cost` and `opportunities_closed` have a true effect of
exactly zero: placebo checks for any estimator.

## Why a naive before/after is biased here

Both regions' revenue grows about 14% a year (closed opportunities +0.9% and prices +0.2%
a month), their win rate drifts up 0.6 points a year, and their sales cycles shorten by about
a day a year, with or without a CRM. Seasonality adds a Q4 peak and a July/August dip, and
the after period holds two first halves but only one second half of a year, so even its
seasonal mix differs from the baseline's. A naive comparison of North's after and baseline
means (last column) credits all of that to the CRM:
{naive_sentence}
South shares the trend and the seasons but not the CRM, so a difference-in-differences
(North minus South, after minus baseline) or a counterfactual fitted on the baseline trend
and seasons recovers the true average effect, up to the noise.

Two cautions the data are built to show. Money and count KPIs grow in proportion to each
region's size, so North, the larger region, gains more in EUR than South even without the
CRM: a difference-in-differences of levels overstates them, one of ratios is not biased so.
And `customers` is a stock that accumulates each month's new customers and churn and grows
faster than linearly: a linear counterfactual and a DiD of levels both overstate its effect,
and their placebo checks show it. Judge retention on `churned_customers`, a monthly flow.
"""


def _render(seed: int, effect_scale: float) -> dict[str, str]:
    world = _world(seed, effect_scale)
    null_world = _world(seed, 0.0)
    truth = _truth(world, null_world, effect_scale)
    kpi_header = ("month", "region", *_KPI_COLUMNS)
    adoption_header = ("month", "licensed_users", "active_users", "trained_users")
    cost_rows = [dict(zip(_COST_HEADER, row, strict=True)) for row in _COSTS]
    return {
        "README.md": _readme(truth, world),
        "adoption.csv": _csv_text(adoption_header, world.adoption_rows),
        "case.yml": _CASE_YML,
        "costs.csv": _csv_text(_COST_HEADER, cost_rows),
        "kpis.csv": _csv_text(kpi_header, world.kpi_rows),
        "true_effects.yml": _true_effects_yml(truth, seed, world),
    }


def generate_sample_case(
    out_dir: str | Path, *, seed: int = DEFAULT_SEED, effect_scale: float = 1.0
) -> Path:
    """Write the Northwind Supplies sample case folder.

    Writes ``case.yml``, ``kpis.csv``, ``costs.csv``, ``adoption.csv``,
    ``true_effects.yml`` and ``README.md`` (see :data:`SAMPLE_FILES`), each atomically.
    Other files in ``out_dir`` are left alone. The same arguments always give the same
    bytes.

    Parameters
    ----------
    out_dir : str or Path
        The folder to write; created if missing.
    seed : int, default 20240101
        Seed of the noise (numpy ``default_rng``); a different seed gives different data.
    effect_scale : float, default 1.0
        Multiplier of every injected effect in :data:`TRUE_EFFECTS`; 0 writes a world in
        which the CRM changed nothing (with the same noise), for null tests of estimators.

    Returns
    -------
    pathlib.Path
        ``out_dir``.

    Raises
    ------
    CaseError
        If ``seed`` is not a non-negative integer or ``effect_scale`` not a finite
        number >= 0.

    Examples
    --------
    >>> import tempfile
    >>> folder = generate_sample_case(Path(tempfile.mkdtemp()) / "northwind")
    >>> sorted(p.name for p in folder.iterdir()) == sorted(SAMPLE_FILES)
    True
    """
    seed, scale = _check_args(seed, effect_scale)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in _render(seed, scale).items():
        atomic_write_text(out / name, text)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m roi_kit.case.sample [OUT] [--seed N]``.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit code: 0 on success, 2 on a bad argument.
    """
    parser = argparse.ArgumentParser(
        prog="python -m roi_kit.case.sample",
        description="Regenerate the Northwind Supplies sample case (known true CRM effects).",
    )
    parser.add_argument(
        "out",
        nargs="?",
        type=Path,
        default=None,
        help=f"output folder (default: {default_sample_dir()})",
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="noise seed")
    args = parser.parse_args(argv)
    out = args.out if args.out is not None else default_sample_dir()
    try:
        written = generate_sample_case(out, seed=args.seed)
    except CaseError as exc:
        print(f"error: {exc}")
        return 2
    print(f"wrote the sample case to {written}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
