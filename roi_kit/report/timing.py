"""Where a report's time went: per task, per cell (``benchmarks/bench_report.py`` prints it).

Kept apart from :mod:`roi_kit.report.kernel` so that the process that builds the report
can receive its workers' timings without importing the execution stack (nbclient,
nbformat and jsonschema cost seconds to import).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CellTime", "PageTiming"]


@dataclass(frozen=True)
class CellTime:
    """How long one code cell of a notebook ran (seconds, from the kernel's timestamps)."""

    source: str
    seconds: float


@dataclass(frozen=True)
class PageTiming:
    """Where one page's time went, in seconds (see ``benchmarks/bench_report.py``).

    Attributes
    ----------
    name : str
        The notebook's file name (or ``"facts"`` for the front page's figures).
    worker : int
        Process id of the worker that ran it.
    kernel_start, warm_up : float
        Starting the worker's kernel until it answers, and then its shared imports (0
        unless it was the first).
    cells : tuple of CellTime
        Each code cell.
    export : float
        nbconvert's HTML export.
    total : float
        The whole task in the worker.
    started : float
        When the task began (``time.time()``, seconds since the epoch).
    """

    name: str
    worker: int
    kernel_start: float
    warm_up: float
    cells: tuple[CellTime, ...]
    export: float
    total: float
    started: float = 0.0
