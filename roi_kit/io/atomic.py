"""Atomic writes: a crash never leaves a half-written output, and inputs are never touched.

Every ``atomic_write_*`` writes to a temporary file in the target folder, then renames it
over the target. A failure is an :class:`OSError` that names the target asked for, never
the hidden temporary file. Before a forced replacement, :func:`backup_file` and
:func:`backup_files` keep a dated copy of what would be replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "atomic_write_csv",
    "backup_file",
    "backup_files",
]

#: How many numbered alternatives a backup name tries when the dated one is taken.
_BACKUP_TRIES = 100


def _target_mode(target: Path) -> int:
    """The permission bits a plain ``open()`` would give ``target`` (kept if it exists)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically.

    The bytes go to a temporary file in the same folder (so the rename stays on one file
    system), which is flushed, synced, then renamed over ``path`` with :func:`os.replace`.
    On any failure the temporary file is removed and an existing ``path`` is left intact.

    Parameters
    ----------
    path : str or path-like
        Destination file. Missing parent folders are created.
    data : bytes
        The complete file content.

    Returns
    -------
    pathlib.Path
        The destination path.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        # Name the file asked for: the temporary name or a parent means nothing to the user.
        raise _renamed(exc, target) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file private (0600); give it the mode a plain open() would
        # (the existing file's mode, else 0666 less the umask), so outputs stay shareable.
        os.chmod(tmp_name, _target_mode(target))
        os.replace(tmp_name, target)
    except BaseException as exc:
        # Why BaseException: a KeyboardInterrupt mid-write must not leave litter either.
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):
            raise _renamed(exc, target) from None
        raise
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically (see :func:`atomic_write_bytes`).

    Parameters
    ----------
    path : str or path-like
        Destination file. Missing parent folders are created.
    text : str
        The complete file content.
    encoding : str, default "utf-8"
        Text encoding of the written file.

    Returns
    -------
    pathlib.Path
        The destination path.
    """
    return atomic_write_bytes(path, text.encode(encoding))


def atomic_write_csv(df: pd.DataFrame, path: str | os.PathLike[str], **to_csv_kwargs) -> Path:
    """Write a DataFrame as CSV atomically (see :func:`atomic_write_bytes`).

    Parameters
    ----------
    df : pandas.DataFrame
        The table to write.
    path : str or path-like
        Destination file. Missing parent folders are created.
    **to_csv_kwargs
        Passed to :meth:`pandas.DataFrame.to_csv` (``index=False`` unless given).
        ``encoding`` (default "utf-8") is used to encode the text.

    Returns
    -------
    pathlib.Path
        The destination path.
    """
    encoding = to_csv_kwargs.pop("encoding", "utf-8")
    to_csv_kwargs.setdefault("index", False)
    # Render in memory first: a failure while formatting then never touches the disk.
    text = df.to_csv(None, **to_csv_kwargs)
    return atomic_write_text(path, text, encoding=encoding)


def _stamp() -> str:
    """The local time as ``YYYYmmdd-HHMMSS``, for backup names."""
    return time.strftime("%Y%m%d-%H%M%S")


def _new_name(base: Path, make: Callable[[Path], object]) -> Path:
    """Create ``base``, else ``base-2``, ``base-3``... with ``make`` (which must refuse an
    existing path with FileExistsError), so a backup never replaces an earlier backup."""
    for n in range(1, _BACKUP_TRIES + 1):
        candidate = base if n == 1 else base.with_name(f"{base.name}-{n}")
        try:
            make(candidate)
        except FileExistsError:
            continue
        return candidate
    raise OSError(17, "too many backups with this name already exist", str(base))


def _renamed(exc: OSError, target: Path) -> OSError:
    """The same error about ``target`` (not the hidden temporary file), keeping its reason.

    An ``OSError`` raised with only a message (no errno) keeps that message as its reason.
    """
    if exc.errno is None:
        reason = str(exc.args[0]) if exc.args else type(exc).__name__
        return OSError(f"{target}: {reason}")
    return OSError(exc.errno, exc.strerror, str(target))


def backup_file(path: str | os.PathLike[str]) -> Path:
    """Copy a file beside itself as ``NAME.bak-YYYYmmdd-HHMMSS`` before it is replaced.

    Parameters
    ----------
    path : str or path-like
        An existing regular file.

    Returns
    -------
    pathlib.Path
        The backup (a new file; an earlier backup is never replaced).

    Examples
    --------
    >>> import tempfile
    >>> f = Path(tempfile.mkdtemp()) / "kpis.csv"
    >>> _ = f.write_text("month,revenue\\n")
    >>> b = backup_file(f)
    >>> b.name.startswith("kpis.csv.bak-"), b.read_text() == f.read_text()
    (True, True)
    """
    source = Path(path)
    base = source.with_name(f"{source.name}.bak-{_stamp()}")
    # O_EXCL: the backup name is claimed atomically, then filled with the copy.
    backup = _new_name(base, lambda p: os.close(os.open(p, os.O_CREAT | os.O_EXCL | os.O_WRONLY)))
    shutil.copy2(source, backup)
    return backup


def backup_files(folder: str | os.PathLike[str], names: Iterable[str]) -> Path | None:
    """Copy the named files of ``folder`` into a new folder beside it before they are replaced.

    Parameters
    ----------
    folder : str or path-like
        The folder whose files are about to be replaced.
    names : iterable of str
        File names inside ``folder``; those that do not exist are skipped.

    Returns
    -------
    pathlib.Path or None
        The backup folder ``FOLDER.bak-YYYYmmdd-HHMMSS`` beside ``folder`` (a new folder),
        or None when none of the files exists (nothing would be lost).

    Examples
    --------
    >>> import tempfile
    >>> case = Path(tempfile.mkdtemp()) / "my_case"
    >>> case.mkdir()
    >>> _ = (case / "case.yml").write_text("name: x\\n")
    >>> b = backup_files(case, ["case.yml", "kpis.csv"])
    >>> b.name.startswith("my_case.bak-"), sorted(p.name for p in b.iterdir())
    (True, ['case.yml'])
    """
    source = Path(folder)
    present = [n for n in dict.fromkeys(names) if (source / n).is_file()]
    if not present:
        return None
    base = source.resolve().with_name(f"{source.resolve().name}.bak-{_stamp()}")
    backup = _new_name(base, lambda p: p.mkdir())
    for name in present:
        shutil.copy2(source / name, backup / name)
    return backup
