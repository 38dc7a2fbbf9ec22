"""Compute once per report: results kept in the report's cache folder, keyed by content.

A report runs a dozen notebooks in a few kernels, and several of them compute the same
thing from the same case: the comparison table (:func:`roi_kit.measure.compare_all`, on the
tracking page, the benefits page and inside the study) and the study
(:func:`roi_kit.study.run_study`, on the front page, the ROI page and the summary). The
report names a private work folder in ``ROI_KIT_STUDY_CACHE`` (:data:`CACHE_ENV`, set in
its worker processes and inherited by their kernels); :func:`memoised` then keeps each
result there under a fingerprint of the case's whole content and the call's arguments
(:func:`case_fingerprint`), so the first kernel that needs it computes it and the others
read it. Without the variable (JupyterLab, scripts, tests) :func:`memoised` simply calls
``compute``: nothing is cached and nothing is written.

Concurrency: one lock file per key (``fcntl.flock``), so a second kernel waits for the
first's result instead of computing it again; each result is written whole with
:func:`roi_kit.io.atomic.atomic_write_bytes` (a temporary file renamed over the target), so
no reader ever sees half a file. Locks nest in one order only (a study's lock, then the
comparison's inside it), so two kernels never wait on each other.

Lives in the case layer because it fingerprints a :class:`~roi_kit.case.Case` and must be
importable by both ``measure`` and ``study`` (the layers above it).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import pickle
from collections.abc import Callable, Iterator
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

import pandas as pd

from roi_kit.io.atomic import atomic_write_bytes

__all__ = ["CACHE_ENV", "case_fingerprint", "memoised"]

#: The environment variable naming the report's cache folder (set by the report only).
CACHE_ENV = "ROI_KIT_STUDY_CACHE"

T = TypeVar("T")


def case_fingerprint(case: Any, *args: object) -> str:
    """SHA-256 (hex) of a case's whole content (tables included), the kit version and ``args``.

    Parameters
    ----------
    case : Case
        Any frozen dataclass; its DataFrame fields are hashed cell by cell
        (:func:`pandas.util.hash_pandas_object`, index included), the others by ``repr``.
    *args : object
        The call's other arguments; their ``repr`` must identify them.

    Returns
    -------
    str
        64 hex digits. Two cases loaded from the same inputs give the same fingerprint in
        any process; any difference in a field or a table cell gives another (a case
        changed in memory with :func:`dataclasses.replace` included), so a cached result
        is never another case's.
    """
    from roi_kit import __version__

    digest = hashlib.sha256(repr((__version__, args)).encode("utf-8"))
    for f in dataclasses.fields(case):
        value = getattr(case, f.name)
        digest.update(f.name.encode("utf-8"))
        if isinstance(value, pd.DataFrame):
            digest.update(repr((list(value.columns), [str(t) for t in value.dtypes])).encode())
            digest.update(pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes())
        else:
            digest.update(repr(value).encode("utf-8"))
    return digest.hexdigest()


def memoised(kind: str, case: Any, args: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, or its result kept in the report's cache under the case and ``args``.

    Parameters
    ----------
    kind : str
        What is cached, a file-name prefix (``"study"``, ``"compare"``): results of two
        functions with the same arguments never share a file.
    case : Case
        The case ``compute`` works on.
    args : tuple
        Every other input of ``compute`` (their ``repr`` must identify them): with ``case``
        they make the key (:func:`case_fingerprint`).
    compute : callable
        Computes the result (picklable) when it is not cached yet.

    Returns
    -------
    object
        What ``compute`` returns: computed here when :data:`CACHE_ENV` is unset or empty
        (no key computed, nothing written), or when no file holds it yet (then stored);
        otherwise read from the file, a new object on every read (so no page sees another
        page's changes to it).
    """
    folder = os.environ.get(CACHE_ENV)
    if not folder or not dataclasses.is_dataclass(case):  # a stand-in case: no fingerprint
        return compute()
    return _cached(Path(folder), f"{kind}-{case_fingerprint(case, *args)}", compute)


def _mapping_proxy(items: dict) -> MappingProxyType:
    return MappingProxyType(items)


class _Pickler(pickle.Pickler):
    """Pickles the read-only mappings a Case holds (the standard pickler refuses them)."""

    def reducer_override(self, obj: object) -> object:
        if type(obj) is MappingProxyType:
            return _mapping_proxy, (dict(obj),)
        return NotImplemented


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path``: a second kernel waits for the first's result."""
    try:
        import fcntl
    except ImportError:  # Windows: no lock; two kernels may both compute (same result)
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _cached(folder: Path, name: str, compute: Callable[[], T]) -> T:
    """The result stored as ``name`` in ``folder``, computed and stored if absent.

    The folder is the report's own private work folder, written only by the kit's
    kernels, so unpickling its files is safe.
    """
    target = folder / f"{name}.pickle"
    with _locked(folder / f"{name}.lock"):
        if target.is_file():
            return pickle.loads(target.read_bytes())
        result = compute()
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(result)
        atomic_write_bytes(target, buffer.getvalue())  # whole or absent, never half-written
        return result
