"""Where a report may go: never over a user's file, never into a case folder.

Never destroy a user's file: the destination must be new, empty, or an earlier report of
the kit (recognised by its marker file :data:`MARKER`, which lists the files the kit
wrote). It may not be, contain or lie inside a case folder. Replacing an earlier report
replaces only the files the kit wrote there; anything else in the folder is kept.

A file the kit wrote stops being the kit's alone once a person edits it (a reviewer
changes the margin in ``model.xlsx`` and saves). The marker therefore records each file's
size and SHA-256; a rebuild compares every recorded file still there with that record
before anything is computed (:func:`check_destination`) and again just before the swap
(:func:`swap_into_place`: the file may be saved during a build), and an edited file is
refused, by name, unless ``force``, which first keeps the edited file beside itself as
``NAME.bak-YYYYmmdd-HHMMSS`` (as ``roi-kit workbook --force`` does).

Markers of earlier kit versions (a list of names, no content record) and reports from
before the marker (kit 0.1.0) cannot tell an edited file from an unedited one. Their files
are not refused (every rebuild after an upgrade would then need ``--force``, which keeps the
same copies): the swap first copies them into one ``DIR.bak-YYYYmmdd-HHMMSS`` folder beside
the report (as ``roi-kit new --force`` does), so nothing is lost, the report folder itself
stays as the kit writes it, and the new marker makes the next rebuild verifiable.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from roi_kit.errors import ReportError

__all__ = ["MARKER", "check_destination", "write_marker", "swap_into_place"]

#: The file that marks a folder as a crm-roi-kit report and lists what the kit wrote there.
MARKER = ".roi-kit-report.json"
#: The file that makes a folder a case folder.
_CASE_FILE = "case.yml"
#: How many names a refusal lists before "...".
_LISTED = 5

#: What the kit recorded of one file: (size in bytes, SHA-256 hex digest).
_Fingerprint = tuple[int, str]


@dataclass(frozen=True)
class _Earlier:
    """An earlier report of the kit in a folder.

    Attributes
    ----------
    files : frozenset of str
        The names the kit wrote there (plain names directly in the folder).
    content : mapping of str to frozenset of _Fingerprint
        The contents the kit recorded per name; a name without any is unverifiable (an
        earlier kit version's marker). Several only while a swap is under way (old and new).
    """

    files: frozenset[str]
    content: Mapping[str, frozenset[_Fingerprint]] = field(default_factory=dict)


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


def _plain(name: object) -> bool:
    """Only plain names directly in the folder: a marker cannot send the kit elsewhere."""
    return isinstance(name, str) and bool(name) and Path(name).name == name and name != ".."


def _fingerprint(path: Path) -> _Fingerprint:
    """(size in bytes, SHA-256 hex digest) of a file's content."""
    with path.open("rb") as handle:
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
    return path.stat().st_size, digest


def _recorded(entries: object) -> dict[str, frozenset[_Fingerprint]]:
    """``{"NAME": {"size": N, "sha256": HEX}}`` of a marker as fingerprints; entries that
    are not well formed are left out (their files count as unverifiable, never as kept)."""
    if not isinstance(entries, dict):
        return {}
    found: dict[str, frozenset[_Fingerprint]] = {}
    for name, entry in entries.items():
        if not (_plain(name) and isinstance(entry, dict)):
            continue
        size, digest = entry.get("size"), entry.get("sha256")
        if isinstance(size, int) and isinstance(digest, str) and len(digest) == 64:
            found[name] = frozenset({(size, digest.lower())})
    return found


def _earlier_report(out_dir: Path) -> _Earlier | None:
    """The earlier kit report in ``out_dir`` and what it recorded, or None if it is not one."""
    marker = out_dir / MARKER
    if not marker.exists():
        legacy = _legacy_report(out_dir)
        return None if legacy is None else _Earlier(frozenset(legacy))
    try:
        data = json.loads(marker.read_text(encoding="utf-8"))
        files = data["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    content = _recorded(data.get("content"))
    # A swap under way (interrupted, say) accepts the old content of each file as well.
    for name, old in _recorded(data.get("previous")).items():
        content[name] = content.get(name, frozenset()) | old
    return _Earlier(frozenset(f for f in files if _plain(f)), content)


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


def _changed(out_dir: Path, earlier: _Earlier) -> tuple[list[str], list[str]]:
    """(edited, unverifiable): the kit's files in ``out_dir`` that no longer match their
    record, and those without one. A name the kit wrote that is now a link or a folder
    counts as edited: a person put it there."""
    edited, unverifiable = [], []
    for name in sorted(earlier.files - {MARKER}):
        path = out_dir / name
        if not os.path.lexists(path):
            continue  # removed since: nothing there to lose
        accepted = earlier.content.get(name)
        if path.is_symlink() or not path.is_file():
            edited.append(name)
        elif not accepted:
            unverifiable.append(name)
        # The size first: an edited workbook is refused without reading it.
        elif path.stat().st_size not in {size for size, _ in accepted}:
            edited.append(name)
        elif _fingerprint(path) not in accepted:
            edited.append(name)
    return edited, unverifiable


def _refuse_edited(out_dir: Path, edited: Sequence[str], force: bool) -> None:
    """Raise the refusal for ``edited`` kit files (folders even with ``force``)."""
    folders = [n for n in edited if (out_dir / n).is_dir() and not (out_dir / n).is_symlink()]
    if folders:
        raise ReportError(
            f"report destination {out_dir} holds the folder(s) {_listed(folders)}, where the "
            "kit wrote a file; nothing was changed. Fix: move or rename them, or choose "
            "another folder, e.g. -o reports/my_case_2"
        )
    if not edited or force:
        return
    if len(edited) == 1:
        name = edited[0]
        what, move, it = f"{name} was edited", name, "it"
        kept = f"the old file is kept as {name}.bak-YYYYmmdd-HHMMSS"
    else:
        what, move, it = f"{_listed(edited)} were edited", "them", "them"
        kept = "each old file is kept as NAME.bak-YYYYmmdd-HHMMSS beside it"
    raise ReportError(
        f"report destination {out_dir}: {what} after the kit wrote {it} (the content no "
        f"longer matches the report's record); nothing was changed. Fix: move or rename "
        f"{move} to keep your edits, or add --force to replace {it} ({kept})"
    )


def check_destination(
    out_dir: str | Path, case_path: str | Path | None = None, *, force: bool = False
) -> Path:
    """Check that a report may be written to ``out_dir``; return it resolved.

    Called before any notebook runs, so a refusal comes at once.

    Parameters
    ----------
    out_dir : str or Path
        The report folder asked for.
    case_path : str or Path, optional
        The case being reported (the report may not go into or around it).
    force : bool, default False
        Accept an earlier report whose files were edited since the kit wrote them (the swap
        keeps each edited file as ``NAME.bak-YYYYmmdd-HHMMSS``).

    Returns
    -------
    Path
        ``out_dir``, resolved.

    Raises
    ------
    ReportError
        ``out_dir`` is a file; is, contains or lies inside a case folder; is a non-empty
        folder that is not an earlier crm-roi-kit report; or (unless ``force``) holds a
        file of the earlier report that was edited since. The message says what is there
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
        earlier = _earlier_report(out) if present else None
        if present and earlier is None:
            raise ReportError(
                f"report destination {out} is not empty and is not a crm-roi-kit report "
                f"(it holds {_listed(present)}); nothing was changed. "
                "Fix: choose a new or empty folder, e.g. -o reports/my_case"
            )
        if earlier is not None:
            _refuse_edited(out, _changed(out, earlier)[0], force)
    return out


def _entries(folder: Path, names: Iterable[str]) -> dict[str, dict[str, int | str]]:
    """The marker's content record of the named regular files of ``folder``."""
    entries: dict[str, dict[str, int | str]] = {}
    for name in sorted(names):
        path = folder / name
        if path.is_file() and not path.is_symlink():
            size, digest = _fingerprint(path)
            entries[name] = {"size": size, "sha256": digest}
    return entries


def _marker_text(files: Iterable[str], content: Mapping, previous: Mapping | None = None) -> str:
    from roi_kit import __version__

    data = {"kit": "crm-roi-kit", "version": __version__, "files": sorted(files)}
    data["content"] = dict(content)
    if previous:
        data["previous"] = dict(previous)
    return json.dumps(data, indent=1) + "\n"


def write_marker(folder: Path, files: Sequence[str]) -> None:
    """Write the marker of ``folder``: the names ``files`` and each one's size and SHA-256.

    Parameters
    ----------
    folder : Path
        The (staged) report folder.
    files : sequence of str
        The names the kit wrote there; each existing regular file is fingerprinted now, so
        write the marker after the last of them.
    """
    text = _marker_text(files, _entries(folder, files))
    (folder / MARKER).write_text(text, encoding="utf-8")


def swap_into_place(staging: Path, out_dir: Path, *, force: bool = False) -> tuple[Path, ...]:
    """Move the staged report into ``out_dir``, touching only what the kit wrote.

    A new destination is one rename of the whole staging folder. Into an earlier report,
    each of the kit's files there is checked against the marker's record once more (it may
    have been saved during the build); then each new file replaces its namesake atomically
    (``os.replace``); files the earlier report wrote and this one does not are removed;
    every other file stays. Before the first replacement the marker is rewritten to accept
    both the old and the new content, and the new marker goes last, so an interrupted swap
    never makes the kit's own files look edited and never lists a file that is not there.

    Parameters
    ----------
    staging : Path
        The complete report, its marker written (:func:`write_marker`).
    out_dir : Path
        The destination (checked by :func:`check_destination`).
    force : bool, default False
        Replace kit files edited since, each first copied to ``NAME.bak-YYYYmmdd-HHMMSS``.

    Returns
    -------
    tuple of Path
        The backups made: one per edited file replaced with ``force``, and one folder
        ``DIR.bak-YYYYmmdd-HHMMSS`` beside the report with the files of an earlier kit
        version's report (which recorded no content, so an edit cannot be ruled out).

    Raises
    ------
    ReportError
        A file this report would write is there but the earlier report did not write it
        (a person's own ``model.xlsx`` saved in a report folder, say), or (unless
        ``force``) a file the earlier report wrote was edited since; nothing is moved.
    """
    # Imported here: roi_kit.io loads pandas, which the report's parent process and its
    # workers do not otherwise need before the first notebook (0.8 s each, measured).
    from roi_kit.io.atomic import atomic_write_text, backup_file, backup_files

    if not out_dir.exists():
        staging.rename(out_dir)
        return ()
    earlier = _earlier_report(out_dir) or _Earlier(frozenset())
    before = set(earlier.files)
    new = [p.name for p in staging.iterdir() if p.name != MARKER]
    theirs = [name for name in new if name not in before and os.path.lexists(out_dir / name)]
    if theirs:
        raise ReportError(
            f"report destination {out_dir} holds {_listed(theirs)}, which this report would "
            "write but no earlier report of the kit wrote there; nothing was changed. "
            "Fix: move or rename it, or choose another folder, e.g. -o reports/my_case_2"
        )
    edited, unverifiable = _changed(out_dir, earlier)
    _refuse_edited(out_dir, edited, force)
    backups = [backup_file(out_dir / n) for n in edited if (out_dir / n).is_file()]
    if unverifiable:
        backups.append(backup_files(out_dir, unverifiable))
    staged = json.loads((staging / MARKER).read_text(encoding="utf-8")).get("content", {})
    current = _entries(out_dir, before - {MARKER})
    atomic_write_text(out_dir / MARKER, _marker_text(before | set(new), staged, current))
    for name in new:
        os.replace(staging / name, out_dir / name)
    for name in before - set(new) - {MARKER}:
        stale = out_dir / name
        if stale.is_file() and not stale.is_symlink():
            stale.unlink()
    os.replace(staging / MARKER, out_dir / MARKER)
    staging.rmdir()
    return tuple(b for b in backups if b is not None)
