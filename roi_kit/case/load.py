"""Loading a case folder: ``case.yml`` parsed, the tables read and checked against it.

:func:`load_case` is the only way the kit reads a case: it reads ``case.yml`` through
:func:`roi_kit.io.read_yaml`, parses it (:mod:`roi_kit.case.parse`), reads the tables through
:func:`roi_kit.io.read_table`, checks the periods against the data and returns a frozen
:class:`~roi_kit.case.types.Case`. Helpers on a loaded case: :func:`kpi_columns`,
:func:`kpi_direction`, :func:`assumption_value`.

The format is documented in ``data/README.md`` (the data contract).
"""

from __future__ import annotations

import copy
import difflib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import numpy as np
import pandas as pd

from roi_kit.case.checks import _choice, _mapping
from roi_kit.case.kpis import CATALOGUE, Kpi, aggregate_units, get_kpi
from roi_kit.case.parse import (
    _ADOPTION_SPEC,
    _COSTS_SPEC,
    _parse_config,
    _parse_crm_export,
)
from roi_kit.case.types import ASSUMPTIONS, Assumption, Case, GroupSpec
from roi_kit.errors import CaseError, DataFileError, RoiKitError
from roi_kit.io import parse_number, read_table, read_yaml

__all__ = [
    "load_case",
    "kpi_columns",
    "kpi_direction",
    "assumption_value",
    "crm_mapping",
]


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
    raw = read_yaml(yml)
    try:
        return _parse_crm_export(_mapping(raw, "case.yml").get("crm_export"))
    except CaseError as exc:
        raise CaseError(f"{yml}: {exc}") from None


def _freeze(value: object) -> object:
    """Deep read-only copy: mappings -> MappingProxyType, lists -> tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(v) for v in value)
    return copy.deepcopy(value)


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
    return read_table(
        path,
        spec=spec,
        decimal=parsed["decimal"],
        date_order=parsed["date_order"],
        sheet=sheet,
        **kw,
    )


def _load_kpis(path: Path, sheet: str | None, parsed: Mapping, yml: Path) -> pd.DataFrame:
    """The KPI table, read and checked against ``case.yml`` (columns, custom KPIs, groups).

    Refusals about what ``case.yml`` declares name both files: ``yml`` and ``path``.
    """
    groups: GroupSpec | None = parsed["groups"]
    custom: tuple[Kpi, ...] = parsed["custom_kpis"]
    spec: dict[str, str] = {"month": "month"}
    key = ["month"]
    if groups is not None:
        spec[groups.column] = "text"
        key.append(groups.column)
        if groups.unit is not None:
            spec[groups.unit] = "text"
            key.append(groups.unit)
    spec.update({k.name: k.kind for k in CATALOGUE.values()})
    spec.update({k.name: k.kind for k in custom})
    # Columns not in the spec are read as text first: a notes column is kept aside (with an
    # info finding), a numeric one is an undeclared KPI and refused below.
    df = _read(path, spec, parsed, sheet, required=tuple(key), key=tuple(key), extra="keep")
    df = _set_text_columns_aside(df, [c for c in df.columns if c not in spec], parsed)
    extra = [c for c in df.columns if c not in spec]
    if extra:
        near = difflib.get_close_matches(str(extra[0]), list(spec), n=1, cutoff=0.6)
        # No full stop or question mark at the end: DataFileError adds ". Fix: ...".
        hint = f"; the nearest standard name is {near[0]!r}" if near else ""
        rename = f"rename it to {near[0]!r}" if near else "rename it to a standard KPI column"
        raise DataFileError(
            f"column {extra[0]!r} is not a standard KPI{hint}",
            file=path,
            column=str(extra[0]),
            fix=f"{rename} (data/README.md) or declare it under custom_kpis in case.yml with "
            "its direction",
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
            raise CaseError(
                f"{yml}: custom_kpis declares {kpi.name!r} but {path.name} has no such column; "
                f"add the column to {path.name} or remove {kpi.name!r} from custom_kpis"
            )
    # Keep the index: it holds the spreadsheet row numbers that quality findings cite.
    return df.sort_values(key)


def _resolve_groups(
    df: pd.DataFrame, groups: GroupSpec | None, yml: Path, path: Path
) -> GroupSpec | None:
    """``groups`` checked against the group column, the default control groups filled in.

    Every treated and control group must occur in the column; without ``control`` the
    controls are every other group of the column (refused when there is none).
    """
    if groups is None:
        return None
    present = set(df[groups.column].dropna().astype(str))
    held = ", ".join(sorted(present)) or "blanks"
    for role, names in (("treated", groups.treated_groups), ("control", groups.control_groups)):
        for value in names:
            if value not in present:
                fix = (
                    f"set groups.{role} to one of those values"
                    if present
                    else "fill in each row's group"
                )
                raise CaseError(
                    f"{yml}: groups.{role} is {value!r} but column {groups.column!r} of "
                    f"{path.name} holds only {held}; {fix}"
                )
    if groups.control_groups:
        return groups
    others = tuple(sorted(present - set(groups.treated_groups)))
    if not others:
        raise CaseError(
            f"{yml}: groups has no control group: column {groups.column!r} of {path.name} "
            f"holds only the treated group(s) {held}; add rows of a group without the CRM, "
            "or remove groups"
        )
    return replace(groups, control=others[0], control_groups=others)


def _group_totals(
    df: pd.DataFrame, parsed: Mapping, yml: Path, path: Path
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """With ``groups.unit``: (group totals per month, the unit rows); else (``df``, None)."""
    groups: GroupSpec | None = parsed["groups"]
    if groups is None or groups.unit is None:
        return df, None
    keys = ["month", groups.column]
    kpis = [get_kpi(c, parsed["custom_kpis"]) for c in df.columns if c not in (*keys, groups.unit)]
    try:
        totals = aggregate_units(df, keys, kpis)
    except CaseError as exc:
        raise CaseError(f"{yml}: {path.name}: {exc}") from None
    totals.attrs = dict(df.attrs)
    return totals, df


def _is_number(cell: object, decimal: str) -> bool:
    try:
        parse_number(cell, decimal=decimal)
    except (RoiKitError, ValueError):
        return False
    return True


def _set_text_columns_aside(df: pd.DataFrame, extra: list[str], parsed: Mapping) -> pd.DataFrame:
    """Drop the extra columns that hold text (notes, comments), recording them in attrs.

    A column counts as text when fewer than half of its filled cells read as numbers: a
    notes column ("备注", "comment") is not a KPI and must not block the case. A column of
    numbers (a few typos included) stays, so that an undeclared KPI is still refused.
    ``attrs["set_aside"]`` maps each dropped column's header to its first text cell; the
    quality report turns each into an ``info`` finding.
    """
    headers = df.attrs.get("columns", {})
    aside: dict[str, str] = {}
    for column in extra:
        cells = [c for c in df[column].tolist() if isinstance(c, str) and c.strip()]
        numbers = sum(_is_number(c, parsed["decimal"]) for c in cells)
        if cells and numbers * 2 < len(cells):
            example = next(c for c in cells if not _is_number(c, parsed["decimal"]))
            aside[str(headers.get(column, column))] = example
    if not aside:
        return df
    keep = [c for c in df.columns if str(headers.get(c, c)) not in aside]
    out = df[keep].copy()
    out.attrs = {**df.attrs, "set_aside": aside}
    return out


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


def _load_costs(path: Path, sheet: str | None, parsed: Mapping) -> pd.DataFrame:
    """The cost ledger, read and checked row by row."""
    costs = _read(
        path,
        _COSTS_SPEC,
        parsed,
        sheet,
        required=("item", "category", "type", "frequency", "start"),
        check_gaps=False,
    )
    return _check_costs(costs, path)


def _load_adoption(
    folder: Path, paths: Mapping[str, tuple[Path, str | None]], parsed: Mapping
) -> tuple[pd.DataFrame | None, Path | None]:
    """The adoption table and its path, or (None, None) when the case has none."""
    if "adoption" in paths:
        adoption_path, adoption_sheet = paths["adoption"]
    else:
        # adoption.csv is optional: read it when it is there under its default name.
        adoption_path, adoption_sheet = folder.resolve() / "adoption.csv", None
        if not adoption_path.exists():
            return None, None
    adoption = _read(
        adoption_path,
        _ADOPTION_SPEC,
        parsed,
        adoption_sheet,
        required=("month", "licensed_users", "active_users"),
        key=("month",),
    )
    return adoption.sort_values("month"), adoption_path


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
    raw = read_yaml(yml)
    try:
        parsed = _parse_config(raw, default_name=folder.resolve().name)
        paths = {
            role: (_table_path(folder, rel, role), sheet)
            for role, (rel, sheet) in parsed["files"].items()
        }
    except CaseError as exc:
        raise CaseError(f"{yml}: {exc}") from None

    kpis_path, kpis_sheet = paths["kpis"]
    kpis = _load_kpis(kpis_path, kpis_sheet, parsed, yml)
    parsed["groups"] = _resolve_groups(kpis, parsed["groups"], yml, kpis_path)
    kpis, unit_kpis = _group_totals(kpis, parsed, yml, kpis_path)
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
    costs = _load_costs(costs_path, costs_sheet, parsed)
    files = {"kpis": kpis_path, "costs": costs_path}
    adoption, adoption_path = _load_adoption(folder, paths, parsed)
    if adoption_path is not None:
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
        unit_kpis=unit_kpis,
        measurement=parsed["measurement"],
        review=parsed["review"],
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
