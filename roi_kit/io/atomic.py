"""Atomic writes: a crash never leaves a half-written output, and inputs are never touched.

Every ``atomic_write_*`` writes to a temporary file in the target folder, then renames it
over the target.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["atomic_write_bytes", "atomic_write_text", "atomic_write_csv"]


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
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp creates the file private (0600); give it the mode a plain open() would
        # (the existing file's mode, else 0666 less the umask), so outputs stay shareable.
        os.chmod(tmp_name, _target_mode(target))
        os.replace(tmp_name, target)
    except BaseException:
        # Why BaseException: a KeyboardInterrupt mid-write must not leave litter either.
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
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
