"""The case: one folder with ``case.yml`` (the assumptions) and the KPI, cost and adoption tables.

:func:`load_case` is the only way the kit reads a case. It checks every key and value of
``case.yml`` (unknown keys are refused with the nearest valid one, so a typo never silently
falls back to a default), reads the tables through :mod:`roi_kit.io.tables`, checks the periods
against the data and returns a frozen :class:`Case`. :func:`save_case_config` writes an
edited ``case.yml`` to a *new* file the user names; input files are never modified.
:func:`scaffold_case` starts a new case from the template (``roi-kit new``) and
:func:`validate_command` backs ``roi-kit validate``.

The format is documented in ``data/README.md`` (the data contract).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import difflib
import json
import math
import re
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd
import yaml

from roi_kit.case import types as _costs
from roi_kit.case.kpis import CATALOGUE, DIRECTIONS, KINDS, Kpi, get_kpi
from roi_kit.case.types import IntangibleItem
from roi_kit.errors import CaseError, DataFileError, RoiKitError
from roi_kit.io import tables as kit_io

__all__ = [
    "ASSUMPTIONS",
    "AssumptionSpec",
    "Assumption",
    "Goal",
    "GroupSpec",
    "Intangible",
    "Case",
    "COST_CATEGORIES",
    "load_case",
    "scaffold_case",
    "save_case_config",
    "validate_command",
    "kpi_columns",
    "kpi_direction",
    "assumption_value",
    "crm_mapping",
]

# --------------------------------------------------------------------------------------
# The tables of valid names
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssumptionSpec:
    """What one named assumption means and which values it may take.

    Parameters
    ----------
    name : str
        Key under ``assumptions:`` in ``case.yml``.
    unit : str
        Unit of the value, e.g. ``"fraction"`` or ``"currency/hour"``.
    minimum, maximum : float
        Valid range, inclusive (``maximum`` is exclusive when ``maximum_open``).
    default : float or None
        Value used when the case does not set it. ``None``: no fixed default (see
        ``description`` for how the kit fills it).
    description : str
        What it is and where the default comes from.
    maximum_open : bool
        Whether ``maximum`` itself is excluded (a rate of 100% is not a rate).
    """

    name: str
    unit: str
    minimum: float
    maximum: float
    default: float | None
    description: str
    maximum_open: bool = False

    def contains(self, value: float) -> bool:
        """Whether ``value`` is inside the valid range."""
        if value < self.minimum:
            return False
        return value < self.maximum if self.maximum_open else value <= self.maximum

    def range_text(self) -> str:
        """The valid range in words, e.g. ``"0 to 1"``."""
        high = "no upper limit" if math.isinf(self.maximum) else f"{self.maximum:g}"
        if self.maximum_open and not math.isinf(self.maximum):
            return f"at least {self.minimum:g} and below {high}"
        return f"{self.minimum:g} to {high}"


_INF = math.inf

#: Every assumption a case may set, with unit, valid range and default.
ASSUMPTIONS: Mapping[str, AssumptionSpec] = MappingProxyType(
    {
        s.name: s
        for s in (
            AssumptionSpec(
                "gross_margin",
                "fraction",
                0.0,
                1.0,
                0.30,
                "Gross margin on extra revenue: revenue is not profit.",
            ),
            AssumptionSpec(
                "attribution_share",
                "fraction",
                0.0,
                1.0,
                0.5,
                "Share of a measured KPI change credited to the CRM rather than to other causes.",
            ),
            AssumptionSpec(
                "recapture_factor",
                "fraction",
                0.0,
                1.0,
                0.5,
                "Share of time saved that turns into productive work (Nucleus Research: "
                "time saved is not time worked).",
            ),
            AssumptionSpec(
                "loaded_hourly_rate",
                "currency/hour",
                0.0,
                _INF,
                60.0,
                "Fully loaded cost of one staff hour (salary, taxes, overhead).",
            ),
            AssumptionSpec(
                "hours_saved_per_user_week",
                "hours/user/week",
                0.0,
                40.0,
                1.0,
                "Hours each active CRM user saves per week.",
            ),
            AssumptionSpec(
                "customer_annual_margin",
                "currency/customer/year",
                0.0,
                _INF,
                None,
                "Margin one retained customer brings per year. When absent it is derived "
                "from the baseline: revenue per customer per year x gross_margin.",
            ),
            AssumptionSpec(
                "ramp_up_months",
                "months",
                0.0,
                60.0,
                3.0,
                "Months after go-live until benefits reach their full level.",
            ),
            AssumptionSpec(
                "cost_of_capital",
                "fraction/year",
                0.0,
                1.0,
                None,
                "Annual cost of capital (for MIRR); defaults to discount_rate.",
                maximum_open=True,
            ),
            # An overrun is a share of the planned cost but can exceed 100% (IT projects do),
            # so the upper limit is 5 (a cost six times the plan), not 1.
            AssumptionSpec(
                "cost_overrun",
                "fraction of cost",
                0.0,
                5.0,
                0.0,
                "Expected overrun on planned costs (0.2 = 20% more than the ledger).",
            ),
        )
    }
)

#: Cost categories allowed in the ``category`` column of ``costs.csv``.
# One vocabulary for the cost ledger: the one the cost schedule understands.
COST_CATEGORIES = _costs.CATEGORIES
_COST_TYPES = _costs.TYPES
_COST_FREQUENCIES = _costs.FREQUENCIES
_DISTRIBUTIONS = ("triangular", "pert", "uniform", "normal", "fixed")
_SOURCES = ("measured", "assumed", "benchmark")
_DATE_ORDERS = ("auto", "YMD", "MDY", "DMY")

_TOP_KEYS = (
    "name",
    "kind",
    "currency",
    "go_live",
    "baseline",
    "after",
    "horizon_years",
    "discount_rate",
    "decimal",
    "date_order",
    "files",
    "groups",
    "goals",
    "custom_kpis",
    "assumptions",
    "expected_changes",
    "risk",
    "scenarios",
    "intangibles",
    "crm_export",
)
_REQUIRED_TOP = ("kind", "currency", "go_live", "baseline")
_PERIOD_KEYS = ("start", "end")
_FILE_KEYS = ("kpis", "costs", "adoption")
_FILE_SPEC_KEYS = ("path", "sheet")
_GROUP_KEYS = ("column", "treated", "control")
_GOAL_KEYS = ("kpi", "target", "target_kind", "direction")
_CUSTOM_KPI_KEYS = ("name", "label", "unit", "direction", "kind", "description")
_ASSUMPTION_KEYS = ("low", "likely", "high", "distribution", "source", "note")
_RISK_KEYS = ("benefits", "costs")
_SCENARIO_KEYS = ("description", "assumptions", "expected_changes", "risk", "costs")
_INTANGIBLE_KEYS = ("name", "score", "weight", "evidence")
_CRM_EXPORT_KEYS = ("name", "columns", "stages", "date_order")
_CRM_OUTCOMES = ("won", "lost", "open")

_ADOPTION_SPEC = {
    "month": "month",
    "licensed_users": "count",
    "active_users": "count",
    "trained_users": "count",
}
_COSTS_SPEC = {
    "item": "text",
    "category": "choice:" + "|".join(COST_CATEGORIES),
    "type": "choice:" + "|".join(_COST_TYPES),
    "amount": "money",
    "frequency": "choice:" + "|".join(_COST_FREQUENCIES),
    "start": "month",
    "end": "month",
    "hours": "nonneg",
    "hourly_rate": "nonneg",
}

# --------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """A target the CRM should reach on one KPI.

    Parameters
    ----------
    kpi : str
        KPI column name.
    target : float
        Target change from the baseline: in the KPI's unit when ``target_kind`` is
        ``"absolute"`` (win rate +0.05 = five points), a fraction when ``"relative"``
        (-0.20 = 20% lower).
    target_kind : {"absolute", "relative"}
    direction : {"higher", "lower"}
        Which way is better (the KPI's direction unless the case overrides it).
    """

    kpi: str
    target: float
    target_kind: str
    direction: str


@dataclass(frozen=True)
class Assumption:
    """One uncertain input with its range and where it comes from.

    Parameters
    ----------
    name : str
        Assumption name (a key of :data:`ASSUMPTIONS`, or a KPI name for expected changes).
    likely : float
        Most likely value, in ``unit``. Point estimates use it.
    low, high : float
        Plausible range, ``low <= likely <= high``. For ``normal`` they are read as the
        5% and 95% quantiles; for ``fixed`` they equal ``likely``.
    distribution : {"triangular", "pert", "uniform", "normal", "fixed"}
        Shape for Monte Carlo draws.
    unit : str
        Unit of the values.
    source : {"measured", "assumed", "benchmark"}
        Where the number comes from; reports print it beside the value.
    note : str
        Free text: the reference, who said so, how it was derived.
    """

    name: str
    likely: float
    low: float
    high: float
    distribution: str
    unit: str
    source: str
    note: str = ""


@dataclass(frozen=True)
class GroupSpec:
    """Treated and control groups inside ``kpis.csv``.

    Parameters
    ----------
    column : str
        Column naming the group of each row (e.g. ``"region"``).
    treated : str
        Group value that adopted the CRM.
    control : str
        Group value that did not (the comparison for difference-in-differences).
    """

    column: str
    treated: str
    control: str


@dataclass(frozen=True)
class Intangible:
    """A benefit that resists a number, scored and never added to money.

    Parameters
    ----------
    name : str
        What it is ("Customer experience").
    score : float
        Score on a 1-5 scale (5 = strong benefit).
    weight : float
        Relative weight in the scorecard, >= 0.
    evidence : str
        What the score rests on.
    """

    name: str
    score: float
    weight: float = 1.0
    evidence: str = ""


@dataclass(frozen=True, eq=False)
class Case:
    """A loaded, validated case. Build it with :func:`load_case`, not by hand.

    Parameters
    ----------
    path : Path
        The case folder.
    name : str
        Shown on every report page.
    kind : {"review", "projection"}
        Review: after-period data measured. Projection: expected changes assumed.
    currency : str
        ISO 4217 code of every amount.
    go_live : pandas.Period
        First month the CRM was (or will be) live, monthly.
    baseline : tuple of pandas.Period
        (start, end) months of the baseline, inclusive, both before ``go_live``.
    after : tuple of pandas.Period or None
        (start, end) months measured after go-live (review only).
    horizon_years : int
        Years over which ROI is computed, from go-live.
    discount_rate : float
        Annual discount rate, fraction [0, 1).
    decimal : {".", ","}
        Decimal mark in the tables.
    date_order : {"auto", "YMD", "MDY", "DMY"}
        How ambiguous dates in the tables are read.
    groups : GroupSpec or None
        Treated/control groups in ``kpis``.
    goals : tuple of Goal
    custom_kpis : tuple of Kpi
    assumptions : Mapping[str, Assumption]
        Every name in :data:`ASSUMPTIONS`, defaults filled in (``customer_annual_margin``
        only when set or derivable from the data).
    expected_changes : Mapping[str, Assumption]
        Projection only: relative change per KPI (fraction, 0.05 = +5%).
    risk_benefits, risk_costs : float
        TEI risk adjustment fractions: benefits are reduced, costs raised by these.
    scenarios : Mapping[str, Mapping]
        Named overrides; each may hold ``description``, ``assumptions`` and
        ``expected_changes`` (mappings of :class:`Assumption`), ``risk``
        (``{"benefits", "costs"}``) and ``costs`` (category or ``"all"`` -> multiplier).
    intangibles : tuple of Intangible
    kpis : pandas.DataFrame
        Monthly KPIs: ``month`` (Period[M]), the group column if any, KPI columns.
    costs : pandas.DataFrame
        The cost ledger (see ``data/README.md``).
    adoption : pandas.DataFrame or None
        Monthly licensed/active/trained users.
    config : Mapping
        The ``case.yml`` content as read, frozen (mappings read-only, lists as tuples).
    files : Mapping[str, Path]
        The table files read, by role (``"kpis"``, ``"costs"``, ``"adoption"``).
    """

    path: Path
    name: str
    kind: str
    currency: str
    go_live: pd.Period
    baseline: tuple[pd.Period, pd.Period]
    after: tuple[pd.Period, pd.Period] | None
    horizon_years: int
    discount_rate: float
    decimal: str
    date_order: str
    groups: GroupSpec | None
    goals: tuple[Goal, ...]
    custom_kpis: tuple[Kpi, ...]
    assumptions: Mapping[str, Assumption]
    expected_changes: Mapping[str, Assumption]
    risk_benefits: float
    risk_costs: float
    scenarios: Mapping[str, Mapping]
    intangibles: tuple[Intangible, ...]
    kpis: pd.DataFrame
    costs: pd.DataFrame
    adoption: pd.DataFrame | None
    config: Mapping[str, Any]
    files: Mapping[str, Path]
    crm_export: Mapping[str, Any] | None = None


# --------------------------------------------------------------------------------------
# Small parsing helpers (each raises CaseError naming where in case.yml)
# --------------------------------------------------------------------------------------


def _join(where: str, key: object) -> str:
    return f"{where}.{key}" if where else str(key)


def _check_keys(mapping: Mapping, valid: Iterable[str], where: str) -> None:
    valid = tuple(valid)
    for key in mapping:
        if key in valid:
            continue
        near = difflib.get_close_matches(str(key), valid, n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise CaseError(
            f"unknown key {key!r} at {_join(where, key)}{hint} Valid keys here: {', '.join(valid)}"
        )


def _mapping(value: object, where: str) -> Mapping:
    if not isinstance(value, Mapping):
        raise CaseError(f"{where} must be a mapping of key: value lines (found {value!r})")
    return value


def _list(value: object, where: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise CaseError(f"{where} must be a list of '- ...' items (found {value!r})")
    return value


def _text(value: object, where: str) -> str:
    if isinstance(value, bool):
        # YAML 1.1 reads bare yes/no/on/off (and the country code NO) as booleans.
        raise CaseError(f"{where}: {value!r} was read as a yes/no value; put the text in quotes")
    if isinstance(value, (int, float)):
        return str(value)
    if not isinstance(value, str) or not value.strip():
        raise CaseError(f"{where} must be non-empty text (found {value!r})")
    return value.strip()


def _number(value: object, where: str) -> float:
    """A finite number; numeric text such as ``"1e-3"`` or ``"12%"`` is accepted."""
    if isinstance(value, bool):
        raise CaseError(f"{where} must be a number (found {value!r})")
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        text = value.strip().replace("_", "")
        scale = 1.0
        if text.endswith("%"):
            text, scale = text[:-1].strip(), 0.01
        try:
            number = float(text) * scale
        except ValueError:
            raise CaseError(f"{where} must be a number (found {value!r})") from None
    else:
        raise CaseError(f"{where} must be a number (found {value!r})")
    if not math.isfinite(number):
        raise CaseError(f"{where} must be a finite number (found {value!r})")
    return number


def _fraction(value: object, where: str, *, open_top: bool = False) -> float:
    number = _number(value, where)
    top_ok = number < 1 if open_top else number <= 1
    if number < 0 or not top_ok:
        limit = "below 1" if open_top else "at most 1"
        raise CaseError(
            f"{where} must be a fraction at least 0 and {limit} (found {value!r}); "
            "write 0.10 for 10%"
        )
    return number


def _choice(value: object, options: Iterable[str], where: str) -> str:
    options = tuple(options)
    if value not in options:
        near = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise CaseError(f"{where} must be one of {', '.join(options)} (found {value!r}){hint}")
    return value  # type: ignore[return-value]


def _month(value: object, where: str, date_order: str) -> pd.Period:
    if isinstance(value, (dt.date, dt.datetime)):
        return pd.Period(value, freq="M")
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    if not isinstance(value, str):
        raise CaseError(f"{where} must be a month written YYYY-MM (found {value!r})")
    try:
        return kit_io.parse_month(value, date_order=date_order)
    except (RoiKitError, ValueError) as exc:
        raise CaseError(
            f"{where} must be a month written YYYY-MM (found {value!r}): {exc}"
        ) from None


def _period(value: object, where: str, date_order: str) -> tuple[pd.Period, pd.Period]:
    mapping = _mapping(value, where)
    _check_keys(mapping, _PERIOD_KEYS, where)
    for key in _PERIOD_KEYS:
        if key not in mapping:
            raise CaseError(
                f"{where} needs '{key}' (write {where}: {{start: YYYY-MM, end: YYYY-MM}})"
            )
    start = _month(mapping["start"], _join(where, "start"), date_order)
    end = _month(mapping["end"], _join(where, "end"), date_order)
    if end < start:
        raise CaseError(f"{where}: end {end} is before start {start}")
    return start, end


def _assumption(
    name: str, value: object, where: str, *, unit: str, check: AssumptionSpec | None
) -> Assumption:
    """Parse a scalar or a ``{low, likely, high, ...}`` mapping into an :class:`Assumption`."""
    if not isinstance(value, Mapping):
        likely = _number(value, where)
        result = Assumption(name, likely, likely, likely, "fixed", unit, "assumed", "")
    else:
        _check_keys(value, _ASSUMPTION_KEYS, where)
        distribution = _choice(
            value.get("distribution", "pert"), _DISTRIBUTIONS, _join(where, "distribution")
        )
        source = _choice(value.get("source", "assumed"), _SOURCES, _join(where, "source"))
        note = "" if value.get("note") is None else str(value["note"])
        has_low, has_high = "low" in value, "high" in value
        if has_low != has_high:
            raise CaseError(f"{where}: give both low and high, or neither")
        low = _number(value["low"], _join(where, "low")) if has_low else None
        high = _number(value["high"], _join(where, "high")) if has_high else None
        if "likely" in value:
            likely = _number(value["likely"], _join(where, "likely"))
        elif distribution == "uniform" and low is not None:
            likely = (low + high) / 2  # type: ignore[operator]
        else:
            raise CaseError(f"{where} needs 'likely' (the most likely value)")
        if low is None:
            low = high = likely
            if "distribution" not in value:
                distribution = "fixed"
        if distribution == "fixed":
            if not (low == likely == high):
                raise CaseError(
                    f"{where}: distribution 'fixed' takes one value, but low/likely/high "
                    f"differ ({low}, {likely}, {high}); drop low and high or pick a distribution"
                )
        elif not low <= likely <= high:  # type: ignore[operator]
            raise CaseError(
                f"{where}: values must satisfy low <= likely <= high "
                f"(found low={low}, likely={likely}, high={high})"
            )
        result = Assumption(name, likely, low, high, distribution, unit, source, note)  # type: ignore[arg-type]
    if check is not None:
        for label, number in (
            ("low", result.low),
            ("likely", result.likely),
            ("high", result.high),
        ):
            if not check.contains(number):
                raise CaseError(
                    f"{where}: {label} value {number:g} is outside the valid range "
                    f"{check.range_text()} ({check.unit})"
                )
    return result


def _relative_change(kpi: str, value: object, where: str) -> Assumption:
    change = _assumption(kpi, value, where, unit="relative change", check=None)
    for number in (change.low, change.likely, change.high):
        if number <= -1:
            raise CaseError(
                f"{where}: a relative change of {number:g} would make {kpi} zero or negative; "
                "write changes as fractions (-0.2 = 20% lower)"
            )
    return change


def _risk(value: object, where: str) -> dict[str, float]:
    mapping = _mapping(value, where)
    _check_keys(mapping, _RISK_KEYS, where)
    return {k: _fraction(mapping[k], _join(where, k), open_top=True) for k in mapping}


# --------------------------------------------------------------------------------------
# case.yml -> plain parsed values
# --------------------------------------------------------------------------------------


def _parse_config(raw: object, default_name: str) -> dict[str, Any]:
    """Validate a ``case.yml`` mapping on its own (no tables) and return the parsed values."""
    if raw is None:
        raise CaseError("case.yml is empty; start from the template with `roi-kit new FOLDER`")
    config = _mapping(raw, "case.yml")
    _check_keys(config, _TOP_KEYS, "")
    missing = [k for k in _REQUIRED_TOP if k not in config]
    if missing:
        raise CaseError(f"case.yml is missing required key(s): {', '.join(missing)}")
    out: dict[str, Any] = {}
    out["name"] = _text(config.get("name", default_name), "name")
    out["kind"] = _choice(config["kind"], ("review", "projection"), "kind")
    currency = _text(config["currency"], "currency").upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise CaseError(f"currency must be a 3-letter ISO 4217 code like EUR (found {currency!r})")
    out["currency"] = currency
    out["decimal"] = _choice(config.get("decimal", "."), (".", ","), "decimal")
    date_order = config.get("date_order", "auto")
    if isinstance(date_order, str) and date_order.lower() == "auto":
        date_order = "auto"
    elif isinstance(date_order, str):
        date_order = date_order.upper()
    out["date_order"] = _choice(date_order, _DATE_ORDERS, "date_order")
    order = out["date_order"]

    out["go_live"] = go_live = _month(config["go_live"], "go_live", order)
    out["baseline"] = baseline = _period(config["baseline"], "baseline", order)
    if baseline[1] >= go_live:
        raise CaseError(
            f"baseline must end before go_live: baseline ends {baseline[1]}, go_live is "
            f"{go_live}; set baseline.end to {go_live - 1} or earlier"
        )
    after = None
    if config.get("after") is not None:
        after = _period(config["after"], "after", order)
        if after[0] < go_live:
            raise CaseError(
                f"after must start at or after go_live: after starts {after[0]}, go_live is "
                f"{go_live}"
            )
    out["after"] = after

    horizon = _number(config.get("horizon_years", 3), "horizon_years")
    if horizon != int(horizon) or not 1 <= horizon <= 30:
        raise CaseError(
            f"horizon_years must be a whole number of years from 1 to 30 (found {horizon:g})"
        )
    out["horizon_years"] = int(horizon)
    out["discount_rate"] = _fraction(
        config.get("discount_rate", 0.10), "discount_rate", open_top=True
    )

    out["files"] = _parse_files(config.get("files", {}))
    out["groups"] = _parse_groups(config.get("groups"))
    out["custom_kpis"] = custom = _parse_custom_kpis(config.get("custom_kpis"), out["groups"])
    out["goals"] = _parse_goals(config.get("goals"), custom)

    assumptions_raw = _mapping(config.get("assumptions") or {}, "assumptions")
    _check_keys(assumptions_raw, ASSUMPTIONS, "assumptions")
    out["assumptions"] = {
        name: _assumption(
            name, value, f"assumptions.{name}", unit=ASSUMPTIONS[name].unit, check=ASSUMPTIONS[name]
        )
        for name, value in assumptions_raw.items()
    }
    changes_raw = _mapping(config.get("expected_changes") or {}, "expected_changes")
    out["expected_changes"] = _parse_changes(changes_raw, "expected_changes", custom)

    risk = _risk(config.get("risk") or {}, "risk")
    out["risk_benefits"] = risk.get("benefits", 0.0)
    out["risk_costs"] = risk.get("costs", 0.0)
    out["scenarios"] = _parse_scenarios(config.get("scenarios"), custom)
    out["intangibles"] = _parse_intangibles(config.get("intangibles"))
    out["crm_export"] = _parse_crm_export(config.get("crm_export"))

    if out["kind"] == "review":
        if after is None:
            raise CaseError(
                "a review needs 'after': {start: YYYY-MM, end: YYYY-MM}, the months measured "
                "after go-live (or set kind: projection)"
            )
        if out["expected_changes"]:
            raise CaseError(
                "expected_changes is for projections; a review measures the changes from "
                "kpis.csv. Remove expected_changes or set kind: projection"
            )
    else:
        if after is not None:
            raise CaseError(
                "a projection has no after-period: remove 'after' (or set kind: review)"
            )
        if not out["expected_changes"]:
            raise CaseError(
                "a projection needs expected_changes: the relative change you expect per KPI, "
                "e.g. expected_changes: {revenue: {low: 0.02, likely: 0.05, high: 0.10}}"
            )
    return out


def _parse_files(value: object) -> dict[str, tuple[str, str | None]]:
    mapping = _mapping(value or {}, "files")
    _check_keys(mapping, _FILE_KEYS, "files")
    files: dict[str, tuple[str, str | None]] = {
        "kpis": ("kpis.csv", None),
        "costs": ("costs.csv", None),
    }
    for role, spec in mapping.items():
        where = f"files.{role}"
        if isinstance(spec, Mapping):
            _check_keys(spec, _FILE_SPEC_KEYS, where)
            if "path" not in spec:
                raise CaseError(f"{where} needs 'path'")
            path = _text(spec["path"], _join(where, "path"))
            sheet = (
                None if spec.get("sheet") is None else _text(spec["sheet"], _join(where, "sheet"))
            )
        else:
            path, sheet = _text(spec, where), None
        files[role] = (path, sheet)
    return files


def _parse_groups(value: object) -> GroupSpec | None:
    if value is None:
        return None
    mapping = _mapping(value, "groups")
    _check_keys(mapping, _GROUP_KEYS, "groups")
    for key in _GROUP_KEYS:
        if key not in mapping:
            raise CaseError(f"groups needs '{key}' (column, treated and control)")
    spec = GroupSpec(*(_text(mapping[k], f"groups.{k}") for k in _GROUP_KEYS))
    if spec.treated == spec.control:
        raise CaseError(f"groups: treated and control are both {spec.treated!r}; they must differ")
    if spec.column == "month" or spec.column in CATALOGUE:
        raise CaseError(
            f"groups.column {spec.column!r} is a KPI or the month; name the group column"
        )
    return spec


def _parse_custom_kpis(value: object, groups: GroupSpec | None) -> tuple[Kpi, ...]:
    kpis: list[Kpi] = []
    for i, item in enumerate(_list(value, "custom_kpis"), start=1):
        where = f"custom_kpis[{i}]"
        mapping = _mapping(item, where)
        _check_keys(mapping, _CUSTOM_KPI_KEYS, where)
        for key in ("name", "direction"):
            if key not in mapping:
                raise CaseError(f"{where} needs '{key}'")
        name = _text(mapping["name"], _join(where, "name"))
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise CaseError(f"{where}.name {name!r} must be a column name of letters, digits and _")
        if name in CATALOGUE:
            raise CaseError(f"{where}.name {name!r} is a standard KPI already; remove it here")
        if name == "month" or (groups is not None and name == groups.column):
            raise CaseError(f"{where}.name {name!r} is not a KPI column")
        if any(k.name == name for k in kpis):
            raise CaseError(f"{where}.name {name!r} is declared twice")
        kpis.append(
            Kpi(
                name=name,
                label=_text(mapping.get("label", name), _join(where, "label")),
                unit=str(mapping.get("unit", "")),
                direction=_choice(mapping["direction"], DIRECTIONS, _join(where, "direction")),
                kind=_choice(mapping.get("kind", "number"), KINDS, _join(where, "kind")),
                description=str(mapping.get("description", "")),
            )
        )
    return tuple(kpis)


def _known_kpi(name: object, where: str, custom: tuple[Kpi, ...]) -> Kpi:
    try:
        return get_kpi(str(name), custom)
    except CaseError as exc:
        raise CaseError(f"{where}: {exc}") from None


def _parse_goals(value: object, custom: tuple[Kpi, ...]) -> tuple[Goal, ...]:
    goals: list[Goal] = []
    for i, item in enumerate(_list(value, "goals"), start=1):
        where = f"goals[{i}]"
        mapping = _mapping(item, where)
        _check_keys(mapping, _GOAL_KEYS, where)
        for key in ("kpi", "target", "target_kind"):
            if key not in mapping:
                raise CaseError(f"{where} needs '{key}'")
        kpi = _known_kpi(mapping["kpi"], f"{where}.kpi", custom)
        target = _number(mapping["target"], f"{where}.target")
        kind = _choice(mapping["target_kind"], ("absolute", "relative"), f"{where}.target_kind")
        direction = _choice(
            mapping.get("direction", kpi.direction), DIRECTIONS, f"{where}.direction"
        )
        # A target against the KPI's better direction is almost always a sign slip
        # ("20% shorter cycle" written as +0.20); refuse it instead of planning for worse.
        if (direction == "higher" and target < 0) or (direction == "lower" and target > 0):
            raise CaseError(
                f"{where}: target {target:g} for {kpi.name} goes the wrong way ({direction} is "
                f"better); write {-target:g}"
            )
        if kind == "relative" and target <= -1:
            raise CaseError(f"{where}: a relative target must be above -1 (found {target:g})")
        goals.append(Goal(kpi.name, target, kind, direction))
    return tuple(goals)


def _parse_changes(mapping: Mapping, where: str, custom: tuple[Kpi, ...]) -> dict[str, Assumption]:
    out = {}
    for name, value in mapping.items():
        kpi = _known_kpi(name, f"{where}.{name}", custom)
        out[kpi.name] = _relative_change(kpi.name, value, f"{where}.{name}")
    return out


def _parse_scenarios(value: object, custom: tuple[Kpi, ...]) -> dict[str, dict[str, Any]]:
    scenarios: dict[str, dict[str, Any]] = {}
    for name, body in _mapping(value or {}, "scenarios").items():
        where = f"scenarios.{name}"
        body = _mapping(body or {}, where)
        _check_keys(body, _SCENARIO_KEYS, where)
        parsed: dict[str, Any] = {}
        if "description" in body:
            parsed["description"] = str(body["description"])
        if "assumptions" in body:
            sub = _mapping(body["assumptions"], f"{where}.assumptions")
            _check_keys(sub, ASSUMPTIONS, f"{where}.assumptions")
            parsed["assumptions"] = MappingProxyType(
                {
                    k: _assumption(
                        k,
                        v,
                        f"{where}.assumptions.{k}",
                        unit=ASSUMPTIONS[k].unit,
                        check=ASSUMPTIONS[k],
                    )
                    for k, v in sub.items()
                }
            )
        if "expected_changes" in body:
            sub = _mapping(body["expected_changes"], f"{where}.expected_changes")
            parsed["expected_changes"] = MappingProxyType(
                _parse_changes(sub, f"{where}.expected_changes", custom)
            )
        if "risk" in body:
            parsed["risk"] = MappingProxyType(_risk(body["risk"], f"{where}.risk"))
        if "costs" in body:
            sub = _mapping(body["costs"], f"{where}.costs")
            _check_keys(sub, ("all", *COST_CATEGORIES), f"{where}.costs")
            factors = {}
            for key, factor in sub.items():
                number = _number(factor, f"{where}.costs.{key}")
                if number < 0:
                    raise CaseError(f"{where}.costs.{key}: a cost multiplier cannot be negative")
                factors[key] = number
            parsed["costs"] = MappingProxyType(factors)
        scenarios[str(name)] = parsed
    return scenarios


def _parse_crm_export(value: object) -> dict[str, Any] | None:
    """The custom column and stage mapping for ``roi-kit import-crm`` (optional)."""
    if value is None:
        return None
    where = "crm_export"
    mapping = _mapping(value, where)
    _check_keys(mapping, _CRM_EXPORT_KEYS, where)
    out: dict[str, Any] = {}
    if "name" in mapping:
        out["name"] = str(mapping["name"])
    if "columns" in mapping:
        columns = _mapping(mapping["columns"], f"{where}.columns")
        out["columns"] = {str(k): str(v) for k, v in columns.items()}
    if "stages" in mapping:
        stages = _mapping(mapping["stages"], f"{where}.stages")
        for stage, outcome in stages.items():
            if str(outcome).lower() not in _CRM_OUTCOMES:
                raise CaseError(
                    f"{where}.stages.{stage}: map each stage to won, lost or open "
                    f"(found {outcome!r})"
                )
        out["stages"] = {str(k): str(v).lower() for k, v in stages.items()}
    if "date_order" in mapping:
        out["date_order"] = _choice(
            mapping["date_order"], ("auto", "MDY", "DMY"), f"{where}.date_order"
        )
    return out


def crm_mapping(path: str | Path) -> dict[str, Any] | None:
    """The ``crm_export`` mapping of a case (folder or case.yml), without loading tables.

    ``roi-kit import-crm --case CASE`` uses it before the case's kpis.csv exists.

    Parameters
    ----------
    path : str or Path
        A case folder or its ``case.yml``.

    Returns
    -------
    dict or None
        ``{"columns": {...}, "stages": {...}, "date_order": ..., "name": ...}``, or None
        when the case declares no custom mapping.
    """
    yml = Path(path)
    if yml.is_dir():
        yml = yml / "case.yml"
    if not yml.is_file():
        raise CaseError(f"{yml}: no case.yml there; give a case folder or its case.yml")
    raw = _read_yaml(yml)
    try:
        return _parse_crm_export(_mapping(raw, "case.yml").get("crm_export"))
    except CaseError as exc:
        raise CaseError(f"{yml}: {exc}") from None


def _parse_intangibles(value: object) -> tuple[Intangible, ...]:
    items = []
    for i, item in enumerate(_list(value, "intangibles"), start=1):
        where = f"intangibles[{i}]"
        mapping = _mapping(item, where)
        _check_keys(mapping, _INTANGIBLE_KEYS, where)
        for key in ("name", "score"):
            if key not in mapping:
                raise CaseError(f"{where} needs '{key}'")
        score = _number(mapping["score"], f"{where}.score")
        if not 1 <= score <= 5:
            raise CaseError(f"{where}.score must be from 1 to 5 (found {score:g})")
        weight = _number(mapping.get("weight", 1), f"{where}.weight")
        if weight < 0:
            raise CaseError(f"{where}.weight cannot be negative (found {weight:g})")
        evidence = "" if mapping.get("evidence") is None else str(mapping["evidence"])
        name = _text(mapping["name"], f"{where}.name")
        # One rule for scores: the scorecard's (whole 1-5 score, weight > 0).
        IntangibleItem(name, int(score) if float(score).is_integer() else score, weight, evidence)
        items.append(Intangible(name, score, weight, evidence))
    return tuple(items)


# --------------------------------------------------------------------------------------
# YAML reading
# --------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key written twice (PyYAML silently keeps the last)."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
            seen.add(key)
        except TypeError:
            continue
        if duplicate:
            raise CaseError(
                f"line {key_node.start_mark.line + 1}: key {key!r} is written twice in the "
                "same block; keep one"
            )
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping
)


def _read_yaml(path: Path) -> object:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CaseError(f"{path}: not UTF-8 text; save case.yml as UTF-8") from None
    except OSError as exc:
        raise CaseError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: no arbitrary objects
    except CaseError as exc:
        raise CaseError(f"{path}, {exc}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CaseError(
            f"{path}: not valid YAML{where}: {problem}. Fix: check the indentation there and put "
            "text containing ':' or '#' in quotes"
        ) from None


def _freeze(value: object) -> object:
    """Deep read-only copy: mappings -> MappingProxyType, lists -> tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return copy.deepcopy(value)


def _plain(value: object) -> object:
    """Turn a config (frozen, or holding kit objects) into YAML-safe plain Python."""
    if isinstance(value, Assumption):
        if value.distribution == "fixed" and not value.note and value.source == "assumed":
            return value.likely
        out: dict[str, Any] = {"low": value.low, "likely": value.likely, "high": value.high}
        out["distribution"] = value.distribution
        out["source"] = value.source
        if value.note:
            out["note"] = value.note
        return out
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(value).items()}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, pd.Period):
        return str(value.asfreq("M"))
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    return value


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


def _case_paths(path: str | Path) -> tuple[Path, Path]:
    target = Path(path)
    if target.is_dir():
        return target, target / "case.yml"
    if target.suffix.lower() in (".yml", ".yaml"):
        return target.parent, target
    if not target.exists():
        raise CaseError(f"{target}: no such case folder; create one with `roi-kit new {target}`")
    raise CaseError(f"{target}: give a case folder or its case.yml file")


def _table_path(folder: Path, relative: str, role: str) -> Path:
    if Path(relative).is_absolute():
        raise CaseError(
            f"files.{role}: {relative!r} is an absolute path; give a file name inside the "
            "case folder"
        )
    root = folder.resolve()
    resolved = (root / relative).resolve()
    if not resolved.is_relative_to(root):
        raise CaseError(
            f"files.{role}: {relative!r} points outside the case folder {folder}; copy the file "
            "into the folder and name it relative to it"
        )
    return resolved


def _read(path: Path, spec: Mapping[str, str], parsed: Mapping, sheet: str | None, **kw):
    if not path.exists():
        raise CaseError(f"{path}: file not found (named in case.yml files:)")
    return kit_io.read_table(
        path,
        spec=spec,
        decimal=parsed["decimal"],
        date_order=parsed["date_order"],
        sheet=sheet,
        **kw,
    )


def _load_kpis(path: Path, sheet: str | None, parsed: Mapping) -> pd.DataFrame:
    groups: GroupSpec | None = parsed["groups"]
    custom: tuple[Kpi, ...] = parsed["custom_kpis"]
    spec: dict[str, str] = {"month": "month"}
    key = ["month"]
    if groups is not None:
        spec[groups.column] = "text"
        key.append(groups.column)
    spec.update({k.name: k.kind for k in CATALOGUE.values()})
    spec.update({k.name: k.kind for k in custom})
    df = _read(path, spec, parsed, sheet, required=tuple(key), key=tuple(key))
    extra = [c for c in df.columns if c not in spec]
    if extra:
        near = difflib.get_close_matches(str(extra[0]), list(spec), n=1, cutoff=0.6)
        hint = f" Did you mean {near[0]!r}?" if near else ""
        raise DataFileError(
            f"column {extra[0]!r} is not a standard KPI.{hint}",
            file=path,
            column=str(extra[0]),
            fix="rename it to a standard KPI column (data/README.md) or declare it under "
            "custom_kpis in case.yml with its direction",
        )
    kpi_cols = [c for c in df.columns if c not in key]
    if not kpi_cols:
        raise DataFileError(
            "no KPI column: the file needs month and at least one KPI",
            file=path,
            fix="add a column such as revenue or win_rate (see data/README.md)",
        )
    for kpi in custom:
        if kpi.name not in df.columns:
            raise CaseError(f"custom_kpis declares {kpi.name!r} but {path.name} has no such column")
    if groups is not None:
        present = set(df[groups.column].dropna().astype(str))
        for role in ("treated", "control"):
            value = getattr(groups, role)
            if value not in present:
                raise CaseError(
                    f"groups.{role} is {value!r} but column {groups.column!r} of {path.name} "
                    f"holds only {', '.join(sorted(present)) or 'blanks'}"
                )
    # Keep the index: it holds the spreadsheet row numbers that quality findings cite.
    return df.sort_values(key)


def _check_periods(df: pd.DataFrame, parsed: Mapping, path: Path) -> None:
    groups: GroupSpec | None = parsed["groups"]
    rows = df if groups is None else df[df[groups.column].astype(str) == groups.treated]
    first, last = rows["month"].min(), rows["month"].max()
    who = "" if groups is None else f" for {groups.treated}"
    start, end = parsed["baseline"]
    if start < first or end > last:
        raise CaseError(
            f"baseline {start}..{end} is not covered by {path.name}, which has data{who} from "
            f"{first} to {last}; narrow the baseline or add the months"
        )
    go_live = parsed["go_live"]
    if parsed["kind"] == "review":
        if not first < go_live <= last:
            raise CaseError(
                f"go_live {go_live} must lie inside the data{who} ({first}..{last}) for a review"
            )
        a_start, a_end = parsed["after"]
        if a_end > last:
            raise CaseError(
                f"after {a_start}..{a_end} goes beyond the data{who}, which ends {last}; "
                f"set after.end to {last} or earlier"
            )
    else:
        late = df[df["month"] >= go_live]
        if len(late):
            raise CaseError(
                f"a projection must not have after-period data, but {path.name} has "
                f"{len(late)} row(s) from {late['month'].min()} on (go_live {go_live}); "
                "remove them or set kind: review"
            )


def _check_costs(df: pd.DataFrame, path: Path) -> pd.DataFrame:
    for line, row in df.iterrows():  # the index holds spreadsheet row numbers
        has_amount = not pd.isna(row.get("amount"))
        has_hours = not pd.isna(row.get("hours")) and not pd.isna(row.get("hourly_rate"))
        if not has_amount and not has_hours:
            raise DataFileError(
                "a cost needs an amount, or hours and hourly_rate",
                file=path,
                row=line,
                column="amount",
                fix="fill in amount (or hours and hourly_rate for internal staff)",
            )
        if row["type"] == "one_time" and row["frequency"] != "once":
            raise DataFileError(
                "a one_time cost must have frequency once",
                file=path,
                row=line,
                column="frequency",
                found=row["frequency"],
                fix="set frequency to once, or type to recurring",
            )
        if row["type"] == "recurring" and row["frequency"] == "once":
            raise DataFileError(
                "a recurring cost needs frequency monthly, quarterly or annual",
                file=path,
                row=line,
                column="frequency",
                found="once",
                fix="set frequency, or type to one_time",
            )
        end = row.get("end")
        if end is not None and not pd.isna(end) and end < row["start"]:
            raise DataFileError(
                f"end {end} is before start {row['start']}",
                file=path,
                row=line,
                column="end",
                found=str(end),
                fix="swap start and end, or leave end blank",
            )
    return df


def _derived_customer_margin(
    kpis: pd.DataFrame, parsed: Mapping, gross: Assumption
) -> Assumption | None:
    """Annual margin per customer from the baseline: revenue/customer/year x gross margin."""
    if "revenue" not in kpis.columns or "customers" not in kpis.columns:
        return None
    groups: GroupSpec | None = parsed["groups"]
    rows = kpis if groups is None else kpis[kpis[groups.column].astype(str) == groups.treated]
    start, end = parsed["baseline"]
    rows = rows[(rows["month"] >= start) & (rows["month"] <= end)]
    revenue = rows["revenue"].astype(float).mean()
    customers = rows["customers"].astype(float).mean()
    if not (np.isfinite(revenue) and np.isfinite(customers)) or customers <= 0 or revenue < 0:
        return None
    per_customer_year = revenue * 12.0 / customers
    per_customer_year = float(per_customer_year)
    return Assumption(
        "customer_annual_margin",
        per_customer_year * gross.likely,
        per_customer_year * gross.low,
        per_customer_year * gross.high,
        gross.distribution,
        ASSUMPTIONS["customer_annual_margin"].unit,
        "measured",
        f"derived: baseline revenue per customer per year ({per_customer_year:,.2f}) "
        "x gross_margin",
    )


def _complete_assumptions(
    given: Mapping[str, Assumption], parsed: Mapping, kpis: pd.DataFrame | None
) -> dict[str, Assumption]:
    out: dict[str, Assumption] = {}
    for name, spec in ASSUMPTIONS.items():
        if name in given:
            out[name] = given[name]
            continue
        default = spec.default
        note = f"kit default: {spec.description}"
        if name == "cost_of_capital":
            default, note = parsed["discount_rate"], "kit default: equal to discount_rate"
        if default is not None:
            out[name] = Assumption(
                name, default, default, default, "fixed", spec.unit, "assumed", note
            )
    if "customer_annual_margin" not in out and kpis is not None:
        derived = _derived_customer_margin(kpis, parsed, out["gross_margin"])
        if derived is not None:
            out["customer_annual_margin"] = derived
    return out


def load_case(path: str | Path) -> Case:
    """Load and validate a case folder.

    Parameters
    ----------
    path : str or Path
        The case folder (holding ``case.yml``), or a ``.yml`` file inside a case folder
        (so an edited copy such as ``case_v2.yml`` loads with the same tables).

    Returns
    -------
    Case
        The validated case; its tables are typed (``month`` as ``Period[M]``).

    Raises
    ------
    CaseError
        ``case.yml`` is missing, not valid YAML, has an unknown key (the message names it,
        where it is, and the nearest valid key) or a value out of range, or the periods do
        not fit the data.
    DataFileError
        A table cannot be read (the message names file, row and column).
    """
    folder, yml = _case_paths(path)
    if not yml.exists():
        raise CaseError(
            f"{yml}: no case.yml in this folder; create a case with `roi-kit new {folder}`"
        )
    raw = _read_yaml(yml)
    try:
        parsed = _parse_config(raw, default_name=folder.resolve().name)
        paths = {
            role: (_table_path(folder, rel, role), sheet)
            for role, (rel, sheet) in parsed["files"].items()
        }
    except CaseError as exc:
        raise CaseError(f"{yml}: {exc}") from None

    kpis_path, kpis_sheet = paths["kpis"]
    kpis = _load_kpis(kpis_path, kpis_sheet, parsed)
    try:
        _check_periods(kpis, parsed, kpis_path)
        missing = [name for name in parsed["expected_changes"] if name not in kpis.columns]
        if missing:
            raise CaseError(
                f"expected_changes names {', '.join(missing)}, which {kpis_path.name} does not "
                "have: a projected change needs the KPI's baseline level"
            )
    except CaseError as exc:
        raise CaseError(f"{yml}: {exc}") from None

    costs_path, costs_sheet = paths["costs"]
    costs = _read(
        costs_path,
        _COSTS_SPEC,
        parsed,
        costs_sheet,
        required=("item", "category", "type", "frequency", "start"),
        check_gaps=False,
    )
    costs = _check_costs(costs, costs_path)

    adoption = None
    files = {"kpis": kpis_path, "costs": costs_path}
    if "adoption" in paths:
        adoption_path, adoption_sheet = paths["adoption"]
    else:
        # adoption.csv is optional: read it when it is there under its default name.
        adoption_path, adoption_sheet = folder.resolve() / "adoption.csv", None
        if not adoption_path.exists():
            adoption_path = None  # type: ignore[assignment]
    if adoption_path is not None:
        adoption = _read(
            adoption_path,
            _ADOPTION_SPEC,
            parsed,
            adoption_sheet,
            required=("month", "licensed_users", "active_users"),
            key=("month",),
        )
        adoption = adoption.sort_values("month")
        files["adoption"] = adoption_path

    assumptions = _complete_assumptions(parsed["assumptions"], parsed, kpis)
    return Case(
        path=folder,
        name=parsed["name"],
        kind=parsed["kind"],
        currency=parsed["currency"],
        go_live=parsed["go_live"],
        baseline=parsed["baseline"],
        after=parsed["after"],
        horizon_years=parsed["horizon_years"],
        discount_rate=parsed["discount_rate"],
        decimal=parsed["decimal"],
        date_order=parsed["date_order"],
        groups=parsed["groups"],
        goals=parsed["goals"],
        custom_kpis=parsed["custom_kpis"],
        assumptions=MappingProxyType(assumptions),
        expected_changes=MappingProxyType(parsed["expected_changes"]),
        risk_benefits=parsed["risk_benefits"],
        risk_costs=parsed["risk_costs"],
        scenarios=MappingProxyType(
            {k: MappingProxyType(v) for k, v in parsed["scenarios"].items()}
        ),
        intangibles=parsed["intangibles"],
        kpis=kpis,
        costs=costs,
        adoption=adoption,
        config=_freeze(raw),  # type: ignore[arg-type]
        files=MappingProxyType(files),
        crm_export=parsed["crm_export"],
    )


# --------------------------------------------------------------------------------------
# Helpers on a loaded case
# --------------------------------------------------------------------------------------


def kpi_columns(case: Case) -> list[str]:
    """The KPI columns of ``case.kpis``: standard ones in catalogue order, then custom ones.

    Parameters
    ----------
    case : Case

    Returns
    -------
    list of str
    """
    present = set(case.kpis.columns)
    names = [n for n in CATALOGUE if n in present]
    names += [k.name for k in case.custom_kpis if k.name in present]
    return names


def kpi_direction(case: Case, name: str) -> str:
    """Which way KPI ``name`` is better in this case (``"higher"`` or ``"lower"``).

    Raises
    ------
    CaseError
        If the KPI is unknown (the message names the nearest one).
    """
    return get_kpi(name, case.custom_kpis).direction


def assumption_value(case: Case, name: str, which: str = "likely") -> float:
    """One value of a named assumption.

    Parameters
    ----------
    case : Case
    name : str
        A key of :data:`ASSUMPTIONS`.
    which : {"likely", "low", "high"}
        Which of the three values.

    Returns
    -------
    float
        The value in the assumption's unit (see :data:`ASSUMPTIONS`).

    Raises
    ------
    CaseError
        Unknown name (with the nearest), unknown ``which``, or an assumption with no
        default that the case neither sets nor lets the kit derive.
    """
    which = _choice(which, ("likely", "low", "high"), "which")
    if name not in ASSUMPTIONS:
        near = difflib.get_close_matches(str(name), list(ASSUMPTIONS), n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise CaseError(f"unknown assumption {name!r}{hint}")
    if name not in case.assumptions:
        raise CaseError(
            f"assumption {name!r} is not set and cannot be derived from the data; "
            f"set assumptions.{name} in case.yml ({ASSUMPTIONS[name].description})"
        )
    return float(getattr(case.assumptions[name], which))


# --------------------------------------------------------------------------------------
# Writing: new case from the template, edited case.yml to a new file
# --------------------------------------------------------------------------------------


def _template_dir() -> Path:
    return Path(str(resources.files("roi_kit") / "templates" / "case"))


def _sample_dir() -> Path:
    return (Path(__file__).resolve().parents[2] / "data" / "sample_case").resolve()


def scaffold_case(path: str | Path) -> Path:
    """Create a new case folder from the template (``roi-kit new PATH``).

    The template holds a commented ``case.yml`` and small valid ``kpis.csv``,
    ``costs.csv`` and ``adoption.csv`` to replace with your own data. ``name`` in
    ``case.yml`` is set from the folder name.

    Parameters
    ----------
    path : str or Path
        The new folder. It may exist only if it is empty.

    Returns
    -------
    Path
        The case folder.

    Raises
    ------
    CaseError
        If ``path`` is a file or a folder that is not empty.
    """
    target = Path(path)
    if target.exists() and not target.is_dir():
        raise CaseError(f"{target} is a file; give a new folder name for the case")
    if target.is_dir() and any(target.iterdir()):
        raise CaseError(
            f"{target} already exists and is not empty; the kit never writes into an existing "
            "case. Give a new folder name"
        )
    template = _template_dir()
    target.mkdir(parents=True, exist_ok=True)
    for source in sorted(template.iterdir()):
        if source.is_file() and not source.name.startswith("."):
            if source.name == "case.yml":
                continue
            shutil.copyfile(source, target / source.name)
    text = (template / "case.yml").read_text(encoding="utf-8")
    # json.dumps gives a double-quoted string that is also valid YAML, whatever the name holds.
    name = json.dumps(target.resolve().name, ensure_ascii=False)
    text, count = re.subn(r"(?m)^name:.*$", f"name: {name}", text, count=1)
    if count != 1:  # pragma: no cover - guards the template itself
        raise CaseError("the case template has no 'name:' line")
    kit_io.atomic_write_text(target / "case.yml", text)
    return target


def _merge(base: Mapping, updates: Mapping) -> dict:
    """Merge ``updates`` into ``base``: mappings merge, anything else replaces, None deletes."""
    out = dict(base)
    for key, value in updates.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def save_case_config(
    case_or_config: Case | Mapping[str, Any],
    new_path: str | Path,
    *,
    updates: Mapping[str, Any] | None = None,
) -> Path:
    """Write a case's ``case.yml``, with changes, to a new file.

    Parameters
    ----------
    case_or_config : Case or Mapping
        A loaded case (its ``config`` is used) or a ``case.yml`` mapping.
    new_path : str or Path
        The new ``.yml`` file. It must not exist and must not be inside the kit's sample
        case (``data/sample_case``), which stays pristine.
    updates : Mapping, optional
        Changes to apply: nested mappings are merged key by key
        (``{"assumptions": {"gross_margin": 0.4}}`` changes just that one), other values
        replace (``{"goals": [...]}`` replaces the goal list), ``None`` removes a key.
        Values may be kit objects (:class:`Goal`, :class:`Intangible`, :class:`Assumption`,
        ``pandas.Period``).

    Returns
    -------
    Path
        The written file. Placed in a folder with the case's tables, it loads with
        :func:`load_case`.

    Raises
    ------
    CaseError
        The file exists, is in the sample case, is not ``.yml``/``.yaml``, or the result
        would not be a valid ``case.yml`` (nothing is written then).
    """
    target = Path(new_path)
    if target.suffix.lower() not in (".yml", ".yaml"):
        raise CaseError(f"{target}: a case file must end in .yml or .yaml")
    if target.exists():
        raise CaseError(
            f"{target} already exists; the kit never overwrites a file. Choose a new name, "
            "e.g. case_v2.yml"
        )
    resolved = target.resolve()
    if resolved.is_relative_to(_sample_dir()) or (
        resolved.parent.name == "sample_case" and resolved.parent.parent.name == "data"
    ):
        raise CaseError(
            f"{target} is inside the sample case, which stays as shipped; copy the sample "
            "case to a folder of your own and save there"
        )
    config = case_or_config.config if isinstance(case_or_config, Case) else case_or_config
    merged = _plain(_merge(_plain(config), _plain(updates or {})))  # type: ignore[arg-type]
    # Validate before writing so a bad update never leaves an unloadable file behind.
    try:
        _parse_config(merged, default_name=resolved.parent.name)
    except CaseError as exc:
        raise CaseError(f"not saved, the result would be invalid: {exc}") from None
    header = "# Written by roi_kit.case.config.save_case_config; format: data/README.md\n"
    body = yaml.safe_dump(merged, sort_keys=False, allow_unicode=True, default_flow_style=None)
    return kit_io.atomic_write_text(target, header + body)


def validate_command(path: str | Path) -> int:
    """``roi-kit validate PATH``: load a case, print its quality report.

    Parameters
    ----------
    path : str or Path
        Case folder or ``case.yml``.

    Returns
    -------
    int
        Exit code: 1 if the case does not load or the report has an error finding, else 0.
    """
    from roi_kit.case.quality import check_case, format_report

    try:
        case = load_case(path)
    except RoiKitError as exc:
        print(f"The case could not be loaded.\n{exc}")
        return 1
    report = check_case(case)
    print(f"Case: {case.name} ({case.kind}), {case.path}")
    print(format_report(report))
    return 1 if any(f.severity == "error" for f in report.findings) else 0
