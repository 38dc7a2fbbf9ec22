"""``case.yml`` -> checked plain values: every key and value of the YAML object, no tables.

:func:`_parse_config` validates a ``case.yml`` mapping on its own (unknown keys are refused
with the nearest valid one, so a typo never silently falls back to a default);
:mod:`roi_kit.case.load` checks the result against the tables.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pandas as pd

from roi_kit.case.checks import (
    _check_keys,
    _choice,
    _fraction,
    _join,
    _list,
    _mapping,
    _number,
    _text,
)
from roi_kit.case.kpis import CATALOGUE, DIRECTIONS, KINDS, Kpi, get_kpi
from roi_kit.case.quality_checks import MAX_MAGNITUDE
from roi_kit.case.types import (
    ASSUMPTIONS,
    COST_CATEGORIES,
    FREQUENCIES,
    MEASUREMENT_METHODS,
    REVIEW_STATUSES,
    TYPES,
    Assumption,
    AssumptionSpec,
    Goal,
    GroupSpec,
    Intangible,
    IntangibleItem,
    Measurement,
    Review,
)
from roi_kit.errors import CaseError, RoiKitError
from roi_kit.io import parse_month
from roi_kit.io.crm_formats import FIELDS as CRM_FIELDS

__all__: list[str] = []

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
    "measurement",
    "review",
)
_REQUIRED_TOP = ("kind", "currency", "go_live", "baseline")
_PERIOD_KEYS = ("start", "end")
_FILE_KEYS = ("kpis", "costs", "adoption")
_FILE_SPEC_KEYS = ("path", "sheet")
_GROUP_KEYS = ("column", "unit", "treated", "control")
_GOAL_KEYS = ("kpi", "target", "target_kind", "direction")
_CUSTOM_KPI_KEYS = ("name", "label", "unit", "direction", "kind", "description")
_ASSUMPTION_KEYS = (
    "low",
    "likely",
    "high",
    "distribution",
    "source",
    "note",
    "owner",
    "as_of",
    "citation",
)
_RISK_KEYS = ("benefits", "costs")
_SCENARIO_KEYS = ("description", "assumptions", "expected_changes", "risk", "costs")
_INTANGIBLE_KEYS = ("name", "score", "weight", "evidence")
_CRM_EXPORT_KEYS = ("name", "columns", "stages", "date_order")
_CRM_OUTCOMES = ("won", "lost", "open")

# Upper bounds for values whose documented range is open-ended, so that no input can
# overflow the model (products of these stay far below the float limit, about 1.8e308):
# a relative change of +100 is +10,000%; a scenario cost multiplier of 100 is a hundred
# times the plan. Money amounts and rates are bounded by MAX_MAGNITUDE (1e12).
_MAX_CHANGE = 100.0
_MAX_COST_FACTOR = 100.0

_ADOPTION_SPEC = {
    "month": "month",
    "licensed_users": "count",
    "active_users": "count",
    "trained_users": "count",
}
_COSTS_SPEC = {
    "item": "text",
    "category": "choice:" + "|".join(COST_CATEGORIES),
    "type": "choice:" + "|".join(TYPES),
    "amount": "money",
    "frequency": "choice:" + "|".join(FREQUENCIES),
    "start": "month",
    "end": "month",
    "hours": "nonneg",
    "hourly_rate": "nonneg",
}


def _month(value: object, where: str, date_order: str) -> pd.Period:
    if isinstance(value, (dt.date, dt.datetime)):
        return pd.Period(value, freq="M")
    if isinstance(value, pd.Period):
        return value.asfreq("M")
    if not isinstance(value, str):
        raise CaseError(f"{where} must be a month written YYYY-MM (found {value!r})")
    try:
        return parse_month(value, date_order=date_order)
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
        extra = _provenance(value, where, source, note)
        result = Assumption(name, likely, low, high, distribution, unit, source, note, **extra)  # type: ignore[arg-type]
    if check is not None:
        for label, number in (
            ("low", result.low),
            ("likely", result.likely),
            ("high", result.high),
        ):
            # A plain number is "the value"; of a range, the low, likely or high one.
            which = "the" if result.low == result.high else f"the {label}"
            if number > MAX_MAGNITUDE and check.maximum >= MAX_MAGNITUDE:
                # A money amount (a rate per hour, a margin per customer) is bounded so that
                # the model's sums stay finite; the likeliest slip is cents for units.
                raise CaseError(
                    f"{where}: {which} value {number:g} is above {MAX_MAGNITUDE:g}, the "
                    f"largest amount the kit computes with; write it in {check.unit} "
                    "(currency units, not cents)"
                )
            if not check.contains(number):
                raise CaseError(
                    f"{where}: {which} value {number:g} is outside the valid range "
                    f"{check.range_text()} ({check.unit})"
                )
    return result


_AS_OF_MONTH = re.compile(r"^\d{4}-\d{2}$")
_AS_OF_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _as_of(value: object, where: str) -> pd.Period:
    """``as_of``: a month ``YYYY-MM`` (monthly Period) or a date ``YYYY-MM-DD`` (daily)."""
    fix = "Fix: write when the value was last checked, e.g. as_of: 2024-03 or 2024-03-15"
    period = None
    if isinstance(value, (dt.date, dt.datetime)):
        period = pd.Period(value, freq="D")
    elif isinstance(value, str) and _AS_OF_MONTH.match(value.strip()):
        with contextlib.suppress(ValueError):
            period = pd.Period(value.strip(), freq="M")
    elif isinstance(value, str) and _AS_OF_DAY.match(value.strip()):
        with contextlib.suppress(ValueError):
            period = pd.Period(dt.date.fromisoformat(value.strip()), freq="D")
    if period is None:
        raise CaseError(
            f"{where} must be a month YYYY-MM or a date YYYY-MM-DD (found {value!r}). {fix}"
        )
    if period.start_time.date() > dt.date.today():
        raise CaseError(
            f"{where}: {period} is in the future (today is {dt.date.today()}); an as-of date "
            f"says when the value was last checked. {fix}"
        )
    return period


def _provenance(value: Mapping, where: str, source: str, note: str) -> dict[str, Any]:
    """``owner``, ``as_of`` and ``citation`` of one assumption (:mod:`roi_kit.study.register`)."""
    out: dict[str, Any] = {}
    if value.get("owner") is not None:
        out["owner"] = _text(value["owner"], _join(where, "owner"))
    if value.get("as_of") is not None:
        out["as_of"] = _as_of(value["as_of"], _join(where, "as_of"))
    if value.get("citation") is not None:
        out["citation"] = _text(value["citation"], _join(where, "citation"))
    elif source == "benchmark" and note.strip():
        out["citation"] = note.strip()  # older cases cite their benchmark in the note
    if source == "benchmark" and not out.get("citation"):
        raise CaseError(
            f"{where}: source 'benchmark' needs a citation (who published the figure, the "
            f'year, a title or URL). Fix: add citation: "..." to {where}, or set source: assumed'
        )
    return out


def _relative_change(kpi: str, value: object, where: str) -> Assumption:
    change = _assumption(kpi, value, where, unit="relative change", check=None)
    for number in (change.low, change.likely, change.high):
        if number <= -1:
            raise CaseError(
                f"{where}: a relative change of {number:g} would make {kpi} zero or negative; "
                "write changes as fractions (-0.2 = 20% lower)"
            )
        if number > _MAX_CHANGE:
            raise CaseError(
                f"{where}: a relative change of {number:g} is above {_MAX_CHANGE:g} "
                f"(+{_MAX_CHANGE:.0%}); write changes as fractions (0.05 = 5% higher)"
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
    out: dict[str, Any] = _parse_basics(config, default_name)
    out.update(_parse_periods(config, out["date_order"]))
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
    out["groups"] = _parse_groups(config.get("groups"), out)
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
    out["measurement"] = _parse_measurement(config.get("measurement"))
    out["review"] = _parse_review(config.get("review"))

    _check_kind(out)
    return out


def _parse_basics(config: Mapping, default_name: str) -> dict[str, Any]:
    """``name``, ``kind``, ``currency``, ``decimal`` and ``date_order``."""
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
    return out


def _parse_periods(config: Mapping, order: str) -> dict[str, Any]:
    """``go_live``, ``baseline`` and ``after``, checked against each other."""
    go_live = _month(config["go_live"], "go_live", order)
    baseline = _period(config["baseline"], "baseline", order)
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
    return {"go_live": go_live, "baseline": baseline, "after": after}


def _check_kind(out: Mapping[str, Any]) -> None:
    """A review has an after-period and no expected changes; a projection the reverse."""
    after = out["after"]
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


def _parse_groups(value: object, periods: Mapping[str, Any]) -> GroupSpec | None:
    """``groups:``: the group column, optional unit column, treated and control groups.

    ``periods`` holds the parsed ``go_live``, ``after`` and ``date_order``: a staggered
    ``treated`` mapping gives each group its own go-live, checked against them. A control
    left out is filled in by :mod:`roi_kit.case.load` (every other group of the column).
    """
    if value is None:
        return None
    mapping = _mapping(value, "groups")
    _check_keys(mapping, _GROUP_KEYS, "groups")
    for key in ("column", "treated"):
        if key not in mapping:
            raise CaseError(
                f"groups needs '{key}' (column, treated; control and unit are optional)"
            )
    column = _text(mapping["column"], "groups.column")
    unit = None if mapping.get("unit") is None else _text(mapping["unit"], "groups.unit")
    for key, name in (("column", column), ("unit", unit)):
        if name is not None and (name == "month" or name in CATALOGUE):
            raise CaseError(f"groups.{key} {name!r} is a KPI or the month; name the {key} column")
    if unit == column:
        raise CaseError(f"groups.unit and groups.column are both {column!r}; they must differ")
    treated, go_lives = _group_treated(mapping["treated"], periods)
    control = _group_names(mapping.get("control", ()), "groups.control", allow_empty=True)
    both = sorted(set(treated) & set(control))
    if both:
        raise CaseError(
            f"groups: {', '.join(map(repr, both))} is both treated and control; they must "
            "differ (a group either uses the CRM or is a control)"
        )
    return GroupSpec(
        column=column,
        treated=treated[0],
        control=control[0] if control else "",
        unit=unit,
        treated_groups=treated,
        control_groups=control,
        go_lives=MappingProxyType(go_lives),
    )


def _group_names(value: object, where: str, *, allow_empty: bool = False) -> tuple[str, ...]:
    """One group name or a list of them, as a tuple of unique names."""
    items = list(value) if isinstance(value, list | tuple) else [value]
    if not items and not allow_empty:
        raise CaseError(f"{where} is an empty list; name at least one group")
    names = tuple(
        _text(v, f"{where}[{i}]" if len(items) > 1 else where) for i, v in enumerate(items, start=1)
    )
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise CaseError(f"{where} names {', '.join(map(repr, twice))} twice; name each group once")
    return names


def _group_treated(
    value: object, periods: Mapping[str, Any]
) -> tuple[tuple[str, ...], dict[str, pd.Period]]:
    """``groups.treated``: names, and each group's go-live when given as a mapping."""
    if not isinstance(value, Mapping):
        return _group_names(value, "groups.treated"), {}
    if not value:
        raise CaseError("groups.treated is empty; name at least one group")
    go_live, after = periods["go_live"], periods.get("after")
    go_lives: dict[str, pd.Period] = {}
    for group, month in value.items():
        where = f"groups.treated.{group}"
        name = _text(group, "groups.treated")
        go_lives[name] = when = _month(month, where, periods["date_order"])
        if when < go_live:
            raise CaseError(
                f"{where}: go-live {when} is before the case's go_live {go_live}; go_live is "
                "the first month any group used the CRM, so set it to the earliest go-live"
            )
        if after is not None and when > after[1]:
            raise CaseError(
                f"{where}: go-live {when} is after the after period ends ({after[1]}); "
                "measure that group later, or make it a control"
            )
    if min(go_lives.values()) != go_live:
        raise CaseError(
            f"groups.treated: the earliest go-live is {min(go_lives.values())} but go_live is "
            f"{go_live}; set go_live to the first month any group used the CRM"
        )
    return tuple(go_lives), go_lives


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
        if name == "month" or (groups is not None and name in (groups.column, groups.unit)):
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
                if number > _MAX_COST_FACTOR:
                    raise CaseError(
                        f"{where}.costs.{key}: a cost multiplier of {number:g} is above "
                        f"{_MAX_COST_FACTOR:g}; write 1.2 for 20% more than the plan"
                    )
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
        _check_keys(columns, CRM_FIELDS, f"{where}.columns")
        for fld, header in columns.items():
            # A header is text: YAML reads a bare 5 or yes as a number or a flag, and a
            # number here is a slip (a column position?) that would match no header.
            if not isinstance(header, str) or not header.strip():
                raise CaseError(
                    f"{where}.columns.{fld} must be the column name as written in the "
                    f"export's header (found {header!r}); put a name that looks like a number "
                    "in quotes"
                )
        out["columns"] = {str(k): v for k, v in columns.items()}
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


def _parse_measurement(value: object) -> Measurement:
    """``measurement: {method: ...}``: which comparison's estimates become money."""
    if value is None:
        return Measurement()
    mapping = _mapping(value, "measurement")
    _check_keys(mapping, ("method", "parallel_trends"), "measurement")
    reason = _parallel_trends(mapping.get("parallel_trends"))
    if "method" not in mapping:
        return Measurement(parallel_trends=reason)
    method = _choice(str(mapping["method"]).lower(), MEASUREMENT_METHODS, "measurement.method")
    return Measurement(method=method, set_in_case=True, parallel_trends=reason)


def _parallel_trends(value: object) -> str:
    """``measurement.parallel_trends``: why the groups would move in parallel, in words."""
    if value is None:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise CaseError(
            "measurement.parallel_trends must say in words why the control group would have "
            f"moved like the CRM group without the CRM (got {value!r}), e.g. "
            'parallel_trends: "same products, prices and sales director in both regions"; '
            "or leave the key out"
        )
    return value.strip()


_REVIEW_KEYS = ("prepared_by", "reviewed_by", "approved_by", "status", "date")


def _review_date(value: object) -> str:
    """``review.date``: an ISO date ``YYYY-MM-DD`` (a YAML date or text), not in the future."""
    day = value if isinstance(value, dt.date) and not isinstance(value, dt.datetime) else None
    if isinstance(value, dt.datetime):
        day = value.date()
    if isinstance(value, str):
        with contextlib.suppress(ValueError):
            day = dt.date.fromisoformat(value.strip())
    if day is None:
        raise CaseError(f"review.date must be a date YYYY-MM-DD (found {value!r})")
    if day > dt.date.today():
        raise CaseError(f"review.date {day} is in the future (today is {dt.date.today()})")
    return day.isoformat()


def _parse_review(value: object) -> Review:
    """``review:``: who prepared, reviewed and approved the study; draft or final."""
    if value is None:
        return Review()
    mapping = _mapping(value, "review")
    _check_keys(mapping, _REVIEW_KEYS, "review")
    names = {
        k: _text(mapping[k], f"review.{k}")
        for k in ("prepared_by", "reviewed_by", "approved_by")
        if mapping.get(k) is not None
    }
    status = _choice(str(mapping.get("status", "draft")).lower(), REVIEW_STATUSES, "review.status")
    day = _review_date(mapping["date"]) if mapping.get("date") is not None else ""
    if status == "final" and not (names.get("approved_by") and day):
        # FINAL on every page tells the board it was signed off: say by whom and when.
        raise CaseError(
            "review.status is final but review.approved_by or review.date is missing; "
            "Fix: give who approved the study and the date (date: YYYY-MM-DD), or set "
            "status: draft"
        )
    return Review(**names, status=status, date=day)


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
        if weight > MAX_MAGNITUDE:
            raise CaseError(
                f"{where}.weight {weight:g} is above {MAX_MAGNITUDE:g}; weights are relative "
                "(1 for every item weighs them equally)"
            )
        evidence = "" if mapping.get("evidence") is None else str(mapping["evidence"])
        name = _text(mapping["name"], f"{where}.name")
        # One rule for scores: the scorecard's (whole 1-5 score, weight > 0).
        IntangibleItem(name, int(score) if float(score).is_integer() else score, weight, evidence)
        items.append(Intangible(name, score, weight, evidence))
    return tuple(items)
