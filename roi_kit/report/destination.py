"""Where a report may go: never over a user's file, never into a case folder.

Never destroy a user's file: the destination must be new, empty, or an earlier report of
the kit (recognised by its marker file :data:`MARKER`, which lists the files the kit
wrote). It may not be, contain or lie inside a case folder. Replacing an earlier report
replaces only the files the kit wrote there; anything else in the folder is kept.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

from roi_kit.errors import ReportError

__all__ = ["MARKER", "check_destination", "write_marker", "swap_into_place"]

#: The file that marks a folder as a crm-roi-kit report and lists what the kit wrote there.
MARKER = ".roi-kit-report.json"
#: The file that makes a folder a case folder.
_CASE_FILE = "case.yml"
#: How many names a refusal lists before "...".
_LISTED = 5


def _case_folders(out_dir: Path, case_path: str | Path | None) -> list[Path]:
    """Case folders that ``out_dir`` is, lies inside, or contains (nearest first)."""
    found = [p for p in (out_dir, *out_dir.parents) if (p / _CASE_FILE).is_file()]
    if case_path is not None:
        case_dir = Path(case_path).resolve()
        case_dir = case_dir.parent if case_dir.is_file() else case_dir
        if case_dir == out_dir or out_dir in case_dir.parents:
            found.append(case_dir)
    if out_dir.is_dir():
        # A case anywhere below (two levels is where people keep them: ./case, ./cases/x).
        found += [p.parent for p in (*out_dir.glob("*/case.yml"), *out_dir.glob("*/*/case.yml"))]
    return found


def _listed(names: Sequence[str]) -> str:
    shown = ", ".join(sorted(names)[:_LISTED])
    return shown + (f" and {len(names) - _LISTED} more" if len(names) > _LISTED else "")


def _written_before(out_dir: Path) -> set[str] | None:
    """The files an earlier kit report wrote in ``out_dir``, or None if it is not one."""
    marker = out_dir / MARKER
    if not marker.exists():
        return _legacy_report(out_dir)
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    # Only plain names directly in the folder: a marker cannot send the kit elsewhere.
    return {f for f in files if f and Path(f).name == f and f not in {".", ".."}}


def _legacy_report(out_dir: Path) -> set[str] | None:
    """The pages of a report written before the marker existed (kit 0.1.0), or None.

    Such a report is recognised by its front page's "by crm-roi-kit" line; its kit-written
    files are ``index.html`` and the ``NN_name.html`` pages.
    """
    try:
        index = (out_dir / "index.html").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    if "</a></li>" not in index or " by crm-roi-kit. Each page opens offline." not in index:
        return None
    return {"index.html", *(p.name for p in out_dir.glob("[0-9][0-9]_*.html"))}


def check_destination(out_dir: str | Path, case_path: str | Path | None = None) -> Path:
    """Check that a report may be written to ``out_dir``; return it resolved.

    Parameters
    ----------
    out_dir : str or Path
        The report folder asked for.
    case_path : str or Path, optional
        The case being reported (the report may not go into or around it).

    Returns
    -------
    Path
        ``out_dir``, resolved.

    Raises
    ------
    ReportError
        ``out_dir`` is a file; is, contains or lies inside a case folder; or is a non-empty
        folder that is not an earlier crm-roi-kit report. The message says what is there
        and how to proceed. Nothing is written or removed.
    """
    out = Path(out_dir).expanduser().resolve()
    if out.exists() and not out.is_dir():
        raise ReportError(
            f"report destination {out} is a file, not a folder. "
            "Fix: give a folder for the report, e.g. -o reports/my_case"
        )
    cases = _case_folders(out, case_path)
    if cases:
        raise ReportError(
            f"report destination {out} is, contains or lies inside the case folder "
            f"{cases[0]}; a report there could mix with or replace the case's files. "
            "Fix: write the report beside the case, e.g. -o reports/my_case"
        )
    if out.is_dir():
        present = [p.name for p in out.iterdir()]
        if present and _written_before(out) is None:
            raise ReportError(
                f"report destination {out} is not empty and is not a crm-roi-kit report "
                f"(it holds {_listed(present)}); nothing was changed. "
                "Fix: choose a new or empty folder, e.g. -o reports/my_case"
            )
    return out


def write_marker(folder: Path, files: Sequence[str]) -> None:
    from roi_kit import __version__

    text = json.dumps({"kit": "crm-roi-kit", "version": __version__, "files": sorted(files)})
    (folder / MARKER).write_text(text + "\n", encoding="utf-8")


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Move the staged report into ``out_dir``, touching only what the kit wrote.

    A new destination is one rename of the whole staging folder. Into an earlier report,
    each new file replaces its namesake atomically (``os.replace``); files the earlier
    report wrote and this one does not are removed; every other file stays. The marker
    goes last, so it never lists a file that is not there.
    """
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    before = _written_before(out_dir) or set()
    new = [p.name for p in staging.iterdir() if p.name != MARKER]
    for name in new:
        os.replace(staging / name, out_dir / name)
    for name in before - set(new) - {MARKER}:
        stale = out_dir / name
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
    os.replace(staging / MARKER, out_dir / MARKER)
    staging.rmdir()
