"""A CRM import written into a case: ``roi-kit import-crm EXPORT --case DIR``.

:func:`write_import` creates the case (the template of :func:`roi_kit.case.scaffold_case`,
with the imported ``kpis.csv``, the periods from ``go_live``, the groups and the import's
custom KPIs declared) or updates an existing one (the same keys edited in the text of its
``case.yml``, comments and other keys kept, a backup made first). Either way the result is
loaded with :func:`roi_kit.case.load_case` in a staging folder before anything of the user's
is touched: an import that would leave a case that does not load changes nothing.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from roi_kit.case import yaml_edit
from roi_kit.case.kpis import CATALOGUE
from roi_kit.case.load import load_case
from roi_kit.case.write import scaffold_case
from roi_kit.errors import CaseError, RoiKitError
from roi_kit.io import atomic_write_bytes, atomic_write_text, read_yaml
from roi_kit.io.atomic import backup_file

__all__ = ["CRM_KPIS", "ImportedCase", "write_import"]

#: The import's columns that are not standard KPIs, as ``custom_kpis`` declares them.
CRM_KPIS: dict[str, dict[str, str]] = {
    "new_opportunities": {
        "name": "new_opportunities",
        "label": "New opportunities",
        "unit": "deals",
        "direction": "higher",
        "kind": "count",
    },
    "deals_lost": {
        "name": "deals_lost",
        "label": "Deals lost",
        "unit": "deals",
        "direction": "lower",
        "kind": "count",
    },
    "open_pipeline": {
        "name": "open_pipeline",
        "label": "Open pipeline (deals at month end)",
        "unit": "deals",
        "direction": "higher",
        "kind": "count",
    },
    "open_pipeline_value": {
        "name": "open_pipeline_value",
        "label": "Open pipeline value",
        "unit": "currency",
        "direction": "higher",
        "kind": "money",
    },
}
_TEMPLATE_GO_LIVE = "2024-01"  # the template's go_live: its example costs are dated from it


@dataclass(frozen=True)
class ImportedCase:
    """What :func:`write_import` did.

    Attributes
    ----------
    folder : Path
        The case folder.
    created : bool
        True for a new case, False for an update.
    kpis : Path
        The KPI table written.
    backups : tuple of Path
        Copies kept of the files replaced.
    lines : tuple of str
        What to tell the user (the keys set, the examples left to replace).
    """

    folder: Path
    created: bool
    kpis: Path
    backups: tuple[Path, ...]
    lines: tuple[str, ...]


def _month_add(month: str, n: int) -> str:
    return str(pd.Period(month, freq="M") + n)


def _periods(monthly: pd.DataFrame, go_live: str, partial: str | None) -> dict[str, Any]:
    """go_live, baseline and after from the table's months (a partial last month left out)."""
    try:
        live = str(pd.Period(go_live, freq="M"))
    except (ValueError, TypeError):
        raise CaseError(f"--go-live {go_live!r} is not a month; write it as YYYY-MM") from None
    first, last = str(monthly["month"].min()), str(monthly["month"].max())
    end = _month_add(last, -1) if partial == last else last
    if not first < live <= end:
        raise CaseError(
            f"--go-live {live} must lie after the first imported month {first} and by the last "
            f"complete one {end}; choose a go-live inside the data"
        )
    return {
        "go_live": live,
        "baseline": {"start": first, "end": _month_add(live, -1)},
        "after": {"start": live, "end": end},
    }


def _groups(
    current: dict | None,
    by: str | None,
    unit: str | None,
    treated: str | None,
    control: list[str] | None,
    values: list[str],
    where: Path,
) -> dict[str, Any] | None:
    """The ``groups`` children to set, or None (no grouping); ``where``: case.yml's path."""
    if by is None:
        if current:
            raise CaseError(
                f"{where}: it groups the KPIs by {current.get('column')!r}; import with --by "
                f"{current.get('column')} (or remove groups from case.yml)"
            )
        return None
    if unit is None and current and current.get("unit"):
        raise CaseError(
            f"{where}: it sets groups.unit {current['unit']!r}; import with --unit "
            f"{current['unit']} (or remove the unit from case.yml)"
        )
    updates: dict[str, Any] = {"column": by}
    if unit is not None:
        updates["unit"] = unit
    if treated is not None:
        updates["treated"] = treated
    elif not (current or {}).get("treated"):
        raise CaseError(
            f"grouped by {by}, the case needs the group that got the CRM: add --treated GROUP "
            f"(one of {', '.join(values)})"
        )
    if control:
        updates["control"] = control[0] if len(control) == 1 else list(control)
    for name in [updates.get("treated"), *(control or [])]:
        if name is not None and name not in values:
            raise CaseError(
                f"group {name!r} is not in the imported {by} column; use one of {', '.join(values)}"
            )
    return updates


def _declarations(monthly: pd.DataFrame, names: set[str], current: list) -> list[dict]:
    """The ``custom_kpis`` entries the table needs that case.yml does not declare yet."""
    declared = {str(k.get("name")) for k in current if isinstance(k, dict)}
    needed = [c for c in monthly.columns if c in CRM_KPIS and c not in CATALOGUE]
    return [dict(CRM_KPIS[c]) for c in needed if c not in declared and c not in names]


def _edit(text: str, path: Path, changes: dict[str, Any]) -> str:
    """case.yml's text with ``changes`` (top-level key -> value) made, comments kept."""
    raw = yaml.safe_load(text) or {}
    if not isinstance(raw, dict):
        raise CaseError(f"{path}: case.yml is not a mapping of keys; fix it first")
    out, expected = text, dict(raw)
    for key, value in changes.items():
        if key == "custom_kpis":
            current = list(raw.get("custom_kpis") or [])
            out = yaml_edit.append_items(out, key, value, current)
            expected[key] = [*current, *value]
        elif isinstance(value, dict):
            current = raw.get(key) if isinstance(raw.get(key), dict) else {}
            out = yaml_edit.set_child(out, key, value, current)
            expected[key] = {**current, **value}
        else:
            out = yaml_edit.set_top(out, key, yaml_edit.scalar(value))
            expected[key] = value
    # PyYAML reads an unquoted 2017-08 as text and 2017-08-01 as a date; compare as written.
    return yaml_edit.edited(text, out, expected, path)


def _shift_months(text: str, columns: tuple[str, ...], months: int) -> str:
    """A template table with its month columns moved by ``months`` (examples follow go-live)."""
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        return text
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        for col in columns:
            if row.get(col):
                row[col] = _month_add(row[col], months)
        writer.writerow(row)
    return buffer.getvalue()


def _stage(folder: Path, files: dict[str, bytes], config: dict) -> Path:
    """A staging copy of the case: ``files`` written, the other tables case.yml names copied.

    Copies, not links: the loader refuses a table whose real path lies outside the folder.
    """
    stage = Path(tempfile.mkdtemp(prefix=".roi-kit-import-", dir=folder.parent))
    named = config.get("files") if isinstance(config.get("files"), dict) else {}
    for role, default in (("costs", "costs.csv"), ("adoption", "adoption.csv")):
        spec = named.get(role, default)
        rel = spec.get("path") if isinstance(spec, dict) else spec
        source = folder / str(rel)
        if rel and source.is_file() and str(rel) not in files:
            (stage / str(rel)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, stage / str(rel))
    for rel, data in files.items():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        (stage / rel).write_bytes(data)
    return stage


def _check_loads(folder: Path, files: dict[str, bytes], config: dict) -> None:
    """Load the case as it would be, in a staging folder; refuse if it does not load."""
    stage = _stage(folder, files, config)
    try:
        load_case(stage)
    except RoiKitError as exc:
        raise CaseError(
            f"{folder}: the case would not load after this import, so nothing was changed: "
            f"{exc}".replace(str(stage), str(folder))
        ) from None
    finally:
        shutil.rmtree(stage)


def _kpis_target(config: dict, folder: Path) -> str:
    """Where case.yml points its KPI table (relative to the folder); a CSV file."""
    spec = (config.get("files") or {}).get("kpis", "kpis.csv")
    if isinstance(spec, dict):
        raise CaseError(
            f"{folder / 'case.yml'}: files.kpis points to a workbook sheet; import-crm writes "
            "CSV. Fix: point files.kpis to a .csv file, or import with -o FILE and copy the "
            "rows into the workbook"
        )
    if Path(str(spec)).suffix.lower() != ".csv":
        raise CaseError(
            f"{folder / 'case.yml'}: files.kpis is {spec!r}; import-crm writes CSV. Fix: point "
            "files.kpis to a .csv file, or import with -o FILE"
        )
    return str(spec)


def _csv_bytes(monthly: pd.DataFrame) -> bytes:
    return monthly.to_csv(index=False, lineterminator="\n").encode("utf-8")


def write_import(
    folder: str | Path,
    monthly: pd.DataFrame,
    *,
    by: str | None = None,
    unit: str | None = None,
    go_live: str | None = None,
    treated: str | None = None,
    control: list[str] | None = None,
    partial_month: str | None = None,
    currency: str | None = None,
    force: bool = False,
    on_backup: Callable[[Path], None] | None = None,
) -> ImportedCase:
    """Create or update the case ``folder`` with an imported monthly KPI table.

    Parameters
    ----------
    folder : str or Path
        The case folder: new (or empty), or holding a ``case.yml``.
    monthly : pandas.DataFrame
        :attr:`roi_kit.io.ImportResult.monthly`.
    by, unit : str, optional
        The group and unit columns of ``monthly``: set as ``groups.column``/``groups.unit``.
    go_live : str, optional
        ``YYYY-MM``: sets ``go_live``, ``baseline`` (first month .. the month before) and
        ``after`` (go-live .. the last complete month). Required for a new case.
    treated, control : optional
        ``groups.treated`` (required with ``by`` unless case.yml has it) and
        ``groups.control`` (default: every other group, as the case format says).
    partial_month : str, optional
        A last month the export only partly covers: left out of ``after``.
    currency : str, optional
        ISO 4217 code of the export's amounts: sets ``currency`` (a new case otherwise keeps
        the template's, which the user must check).
    force : bool, default False
        Replace an existing KPI table of the case (after a backup).
    on_backup : callable, optional
        Called with each backup made.

    Returns
    -------
    ImportedCase

    Raises
    ------
    CaseError
        A folder that is neither empty nor a case, a missing ``go_live`` or ``treated``, an
        existing KPI table without ``force``, or a result that would not load (the load error
        is given; nothing is changed).
    """
    target = Path(folder)
    exists = (target / "case.yml").is_file()
    if not exists and target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CaseError(
            f"{target} exists and is not a case folder (no case.yml); nothing was changed. "
            "Fix: give a new folder for a new case, or the folder of an existing case"
        )
    if unit is not None and by is None:
        raise CaseError(
            f"--unit {unit} names units inside groups; a case needs the groups too. Fix: add "
            "--by COLUMN (the region or team), or import the units with -o FILE"
        )
    values = sorted(set(monthly[by])) if by is not None else []
    extra = {"currency": currency.strip().upper()} if currency else {}
    if exists:
        return _update(target, monthly, by, unit, go_live, treated, control, partial_month,
                       force, on_backup, values, extra)  # fmt: skip
    if go_live is None:
        raise CaseError(
            f"a new case needs its go-live month: add --go-live YYYY-MM (the data runs "
            f"{monthly['month'].min()} .. {monthly['month'].max()})"
        )
    return _create(
        target, monthly, by, unit, go_live, treated, control, partial_month, values, extra
    )


def _changes(
    raw: dict, monthly: pd.DataFrame, by, unit, go_live, treated, control, partial, values,
    where: Path,
) -> dict[str, Any]:  # fmt: skip
    """The top-level keys to set in case.yml (``where``: its path, for messages)."""
    changes: dict[str, Any] = {}
    if go_live is not None:
        changes.update(_periods(monthly, go_live, partial))
    current = raw.get("groups") if isinstance(raw.get("groups"), dict) else None
    groups = _groups(current, by, unit, treated, control, values, where)
    if groups is not None:
        changes["groups"] = groups
    names = {n for n in (by, unit) if n}
    adds = _declarations(monthly, names, list(raw.get("custom_kpis") or []))
    if adds:
        changes["custom_kpis"] = adds
    return changes


def _create(target, monthly, by, unit, go_live, treated, control, partial, values, extra):
    """A new case: the template in a staging folder, edited, checked, then moved in place."""
    parent = target.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.roi-kit-new-", dir=parent))
    try:
        scaffold_case(stage)
        text = (stage / "case.yml").read_text(encoding="utf-8")
        raw = yaml.safe_load(text)
        changes = {"name": target.resolve().name, **extra}
        changes |= _changes(
            raw, monthly, by, unit, go_live, treated, control, partial, values, target / "case.yml"
        )
        (stage / "case.yml").write_text(_edit(text, target / "case.yml", changes), "utf-8")
        shift = (pd.Period(changes["go_live"], "M") - pd.Period(_TEMPLATE_GO_LIVE, "M")).n
        for name, cols in (("costs.csv", ("start", "end")), ("adoption.csv", ("month",))):
            file = stage / name
            file.write_text(_shift_months(file.read_text("utf-8"), cols, shift), "utf-8")
        kpis = _kpis_target(raw, target)
        (stage / kpis).write_bytes(_csv_bytes(monthly))
        try:
            load_case(stage)
        except RoiKitError as exc:
            raise CaseError(
                f"{target}: the new case would not load, so it was not written: {exc}".replace(
                    str(stage), str(target)
                )
            ) from None
        if target.exists():  # an empty folder: move the files in
            for entry in stage.iterdir():
                os.replace(entry, target / entry.name)
            stage.rmdir()
        else:
            os.replace(stage, target)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    lines = [
        f"set in case.yml: {', '.join(k for k in changes if k != 'name')}",
        f"costs.csv and adoption.csv are the template's examples, dated from go-live "
        f"{changes['go_live']}: replace them with your own",
    ]
    if not extra:
        lines.append(f"currency is the template's {raw.get('currency')}: set it (or --currency)")
    return ImportedCase(target, True, target / kpis, (), tuple(lines))


def _differing(raw: dict, changes: dict[str, Any]) -> dict[str, Any]:
    """Only the changes that change something: case.yml is not rewritten to say the same."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        current = raw.get(key)
        if isinstance(value, dict) and isinstance(current, dict):
            value = {k: v for k, v in value.items() if current.get(k) != v}
            if value:
                out[key] = value
        elif value != current and value != []:
            out[key] = value
    return out


def _update(target, monthly, by, unit, go_live, treated, control, partial, force, on_backup,
            values, extra):  # fmt: skip
    """An existing case: case.yml edited in its text, the KPI table replaced, both backed up."""
    yml = target / "case.yml"
    text = yml.read_text(encoding="utf-8")
    raw = read_yaml(yml) or {}  # the kit's strict reader: a broken file is refused by line
    if not isinstance(raw, dict):
        raise CaseError(f"{yml}: case.yml is not a mapping of keys; fix it first")
    kpis = _kpis_target(raw, target)
    if (target / kpis).exists() and not force:
        raise CaseError(
            f"{target / kpis} already exists; nothing was changed. Fix: add --force to replace "
            "it (the old file is kept as a .bak copy), or import with -o NEW_FILE"
        )
    changes = _differing(
        raw,
        extra | _changes(raw, monthly, by, unit, go_live, treated, control, partial, values, yml),
    )
    new_text = _edit(text, yml, changes) if changes else text
    data = _csv_bytes(monthly)
    new_raw = yaml.safe_load(new_text) or {}
    _check_loads(target, {"case.yml": new_text.encode("utf-8"), kpis: data}, new_raw)
    backups = []
    for file in (target / kpis, yml):
        if file.exists() and (file != yml or changes):
            backups.append(backup_file(file))
            if on_backup is not None:
                on_backup(backups[-1])
    atomic_write_bytes(target / kpis, data)
    if changes:
        atomic_write_text(yml, new_text)
    lines = [f"set in case.yml: {', '.join(changes)}" if changes else "case.yml unchanged"]
    return ImportedCase(target, False, target / kpis, tuple(backups), tuple(lines))
