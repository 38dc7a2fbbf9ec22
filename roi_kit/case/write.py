"""Writing a case: a new case folder from the template, an edited ``case.yml`` to a new file.

Input files are never modified: :func:`scaffold_case` writes only into a new (or empty)
folder (unless forced, and then only after keeping a backup of what it replaces) and
:func:`save_case_config` only to a file that does not exist yet.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from roi_kit.case.parse import _parse_config
from roi_kit.case.types import Assumption, Case
from roi_kit.errors import CaseError
from roi_kit.io import atomic_write_bytes, atomic_write_text
from roi_kit.io.atomic import backup_files

__all__ = ["scaffold_case", "save_case_config"]


def _plain(value: object) -> object:
    """Turn a config (frozen, or holding kit objects) into YAML-safe plain Python."""
    if isinstance(value, Assumption):
        # owner, as_of and citation (the register's keys) are written only when set.
        extra = {"owner": value.owner, "as_of": value.as_of, "citation": value.citation}
        extra = {k: str(v) for k, v in extra.items() if v is not None and v != ""}
        plain = value.distribution == "fixed" and not value.note and value.source == "assumed"
        if plain and not extra:
            return value.likely
        out: dict[str, Any] = {"low": value.low, "likely": value.likely, "high": value.high}
        out["distribution"] = value.distribution
        out["source"] = value.source
        if value.note:
            out["note"] = value.note
        return out | extra
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


def _template_dir() -> Path:
    return Path(str(resources.files("roi_kit") / "templates" / "case"))


def _sample_dir() -> Path:
    return (Path(__file__).resolve().parents[2] / "data" / "sample_case").resolve()


def _template_files(template: Path) -> list[str]:
    """The names ``scaffold_case`` writes: the template's visible files."""
    return sorted(p.name for p in template.iterdir() if p.is_file() and not p.name.startswith("."))


def _check_scaffold_target(target: Path, force: bool) -> bool:
    """Refuse a file or (unless forced) a non-empty folder; True if files may be replaced."""
    if target.exists() and not target.is_dir():
        raise CaseError(
            f"{target} already exists and is a file, not a folder. Fix: give a new folder "
            "name for the case"
        )
    if target.is_dir() and any(target.iterdir()):
        if not force:
            held = sorted(p.name for p in target.iterdir())
            shown = ", ".join(held[:5]) + (f" and {len(held) - 5} more" if len(held) > 5 else "")
            raise CaseError(
                f"{target} already exists and is not empty (it holds {shown}); nothing was "
                "changed. Fix: give a new folder name, or add --force to write the template "
                "there (the files it replaces are backed up first)"
            )
        return True
    return False


def scaffold_case(
    path: str | Path,
    *,
    force: bool = False,
    on_backup: Callable[[Path], None] | None = None,
) -> Path:
    """Create a new case folder from the template (``roi-kit new PATH [--force]``).

    The template holds a commented ``case.yml`` and small valid ``kpis.csv``,
    ``costs.csv`` and ``adoption.csv`` to replace with your own data. ``name`` in
    ``case.yml`` is set from the folder name.

    Parameters
    ----------
    path : str or Path
        The new folder. It may exist only if it is empty, unless ``force``.
    force : bool, default False
        Write the template into a non-empty folder. The files it would replace are first
        copied to a new folder beside it (``NAME.bak-YYYYmmdd-HHMMSS``); other files stay.
    on_backup : callable, optional
        Called with the backup folder when one was made (the CLI prints where it is).

    Returns
    -------
    Path
        The case folder.

    Raises
    ------
    CaseError
        If ``path`` is a file, or a folder that is not empty and ``force`` is not given.
    """
    target = Path(path)
    template = _template_dir()
    names = _template_files(template)
    if _check_scaffold_target(target, force):
        backup = backup_files(target, names)
        if backup is not None and on_backup is not None:
            on_backup(backup)
    target.mkdir(parents=True, exist_ok=True)
    for name in names:
        if name != "case.yml":
            # Atomic like case.yml: a forced write never leaves a half-copied table.
            atomic_write_bytes(target / name, (template / name).read_bytes())
    text = (template / "case.yml").read_text(encoding="utf-8")
    # json.dumps gives a double-quoted string that is also valid YAML, whatever the name holds.
    name = json.dumps(target.resolve().name, ensure_ascii=False)
    text, count = re.subn(r"(?m)^name:.*$", f"name: {name}", text, count=1)
    if count != 1:  # pragma: no cover - guards the template itself
        raise CaseError("the case template has no 'name:' line")
    atomic_write_text(target / "case.yml", text)
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
    header = "# Written by roi_kit.case.save_case_config; format: data/README.md\n"
    body = yaml.safe_dump(merged, sort_keys=False, allow_unicode=True, default_flow_style=None)
    return atomic_write_text(target, header + body)
