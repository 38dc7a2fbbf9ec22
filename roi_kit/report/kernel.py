"""Execute notebooks headless in one long-lived kernel per worker process.

Starting a kernel and importing pandas, scipy, statsmodels and matplotlib into it costs
far more than most notebooks' own cells (about 10 s of a trivial notebook under papermill
on a loaded 2-core machine), so each worker process of the report keeps one kernel and
runs every notebook it is handed there, in turn. Each notebook still gets a namespace of
its own: a first hidden cell resets the IPython user namespace (``InteractiveShell.reset``,
which keeps imported modules loaded) and changes to the notebook's folder, so a notebook
sees nothing another one defined, exactly as when it runs alone in JupyterLab.

Parameters are injected as papermill does (:func:`papermill.parameterize.parameterize_notebook`,
a cell tagged ``injected-parameters`` after the ``parameters`` cell); execution is
nbclient's :class:`~nbclient.NotebookClient` with the worker's kernel manager.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

from roi_kit.errors import ReportError
from roi_kit.report.timing import CellTime

__all__ = ["CELL_TIMEOUT", "Executed", "parameterized", "execute", "stop_kernel"]

#: Seconds one cell may run before the report gives up on it.
CELL_TIMEOUT = 300
#: Tag of the hidden first cell that gives each notebook a fresh namespace.
_RESET_TAG = "roi-kit-reset"
_RESET = (
    "get_ipython().reset(new_session=False)\n"
    "import os as _roi_kit_os\n"
    "_roi_kit_os.chdir({cwd!r})\n"
    "del _roi_kit_os\n"
)

#: The kernel of this worker process (None until the first notebook, or after a failure).
_km: Any = None
#: Seconds its start took (reported with the first notebook run on it, then 0).
_start_seconds = 0.0


@dataclass(frozen=True)
class Executed:
    """One executed notebook and where its time went (seconds).

    Attributes
    ----------
    nb : NotebookNode
        The executed notebook, hidden reset cell removed.
    kernel_start : float
        Starting this worker's kernel until it answers (its own start-up included), when
        this notebook was the first on it; else 0.
    warm_up : float
        The warm-up imports run on a new kernel before this notebook; else 0.
    cells : tuple of CellTime
        Every code cell of the notebook (the injected parameters included).
    """

    nb: nbformat.NotebookNode
    kernel_start: float
    warm_up: float
    cells: tuple[CellTime, ...]


def parameterized(path: Path, params: Mapping[str, Any]) -> nbformat.NotebookNode:
    """The notebook at ``path`` with papermill's injected-parameters cell.

    Only the parameters the notebook declares are injected (papermill warns on others).
    """
    import papermill
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    declared = papermill.inspect_notebook(str(path))
    wanted = {k: v for k, v in params.items() if k in declared}
    nb = load_notebook_node(str(path))  # papermill's reader: every cell gets its tags list
    return parameterize_notebook(nb, wanted, kernel_name="python3", language="python")


def _kernel(arguments: Sequence[str], cwd: str) -> Any:
    """This worker's kernel, started on first use."""
    global _km, _start_seconds
    if _km is not None and run_sync(_km.is_alive)():
        return _km
    from jupyter_client.manager import AsyncKernelManager

    t0 = time.perf_counter()
    km = AsyncKernelManager(kernel_name="python3")
    run_sync(km.start_kernel)(extra_arguments=list(arguments), cwd=cwd)
    # Until it answers: the kernel's own start-up (ipykernel's imports, about a second)
    # then counts as kernel start, not as the warm-up imports that follow.
    try:
        run_sync(_wait_ready)(km)
    except RuntimeError as exc:  # jupyter_client's words for "died" or "timed out"
        run_sync(km.shutdown_kernel)(now=True)
        raise ReportError(f"the notebook kernel did not start ({exc})") from None
    _km, _start_seconds = km, time.perf_counter() - t0
    return km


async def _wait_ready(km: Any, timeout: float = 60.0) -> None:
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=timeout)
    finally:
        kc.stop_channels()


def stop_kernel() -> None:
    """Shut this worker's kernel down (at worker exit, and after a failed notebook)."""
    global _km
    km, _km = _km, None
    if km is not None:
        try:
            run_sync(km.shutdown_kernel)(now=True)
        except Exception:  # a kernel that is already gone needs no shutdown
            pass


def _run_cells(nb: nbformat.NotebookNode, km: Any, timeout: int) -> None:
    client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3")
    try:
        client.execute()
    finally:
        if client.kc is not None:
            client.kc.stop_channels()


def _seconds(cell: nbformat.NotebookNode) -> float:
    timing = cell.get("metadata", {}).get("execution", {})
    try:
        start = dt.datetime.fromisoformat(timing["iopub.execute_input"].rstrip("Z"))
        end = dt.datetime.fromisoformat(timing["shell.execute_reply"].rstrip("Z"))
    except (KeyError, ValueError, AttributeError):
        return 0.0
    return max(0.0, (end - start).total_seconds())


def _failed_cell(nb: nbformat.NotebookNode) -> tuple[int, str, str]:
    """(number among the notebook's own code cells, counted from 1; ename; evalue)."""
    number = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        if _RESET_TAG not in tags and "injected-parameters" not in tags:
            number += 1
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return number, out.get("ename", "Error"), out.get("evalue", "")
    return number, "Error", "the cell did not finish"


def execute(
    nb: nbformat.NotebookNode,
    *,
    name: str,
    cwd: str,
    arguments: Sequence[str] = (),
    warm_up: str = "",
    timeout: int = CELL_TIMEOUT,
) -> Executed:
    """Run every cell of ``nb`` in this worker's kernel, in a fresh namespace.

    Parameters
    ----------
    nb : NotebookNode
        Parameterised already (:func:`parameterized`); changed in place and returned.
    name : str
        The notebook's file name, for messages.
    cwd : str
        The folder the notebook runs in (its own, as JupyterLab does).
    arguments : sequence of str
        Extra command-line arguments of a new kernel.
    warm_up : str
        Code run once on a new kernel before the first notebook (the imports every page
        shares, so that their time shows as its own phase).
    timeout : int
        Seconds one cell may run.

    Raises
    ------
    ReportError
        A cell raised (the message names the notebook, the cell and the error), a cell ran
        longer than ``timeout``, or the kernel died. The kernel is then restarted for the
        next notebook, so no failure leaks into another page.
    """
    global _start_seconds
    fresh = _km is None
    km = _kernel(arguments, cwd)
    started, _start_seconds = _start_seconds, 0.0
    warm = 0.0
    if fresh and warm_up:
        t0 = time.perf_counter()
        imports = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(warm_up)])
        _run_cells(imports, km, timeout)
        warm = time.perf_counter() - t0
    reset = nbformat.v4.new_code_cell(_RESET.format(cwd=cwd))
    reset.metadata["tags"] = [_RESET_TAG]
    nb.cells.insert(0, reset)
    try:
        _run_cells(nb, km, timeout)
    except CellExecutionError:
        stop_kernel()
        number, ename, evalue = _failed_cell(nb)
        raise ReportError(
            f"notebook {name} failed in cell {number} ({ename}: {evalue}); "
            "the previous report was left intact"
        ) from None
    except (CellTimeoutError, DeadKernelError) as exc:
        stop_kernel()
        timed_out = isinstance(exc, CellTimeoutError)
        reason = f"a cell ran longer than {timeout} s" if timed_out else "the kernel died"
        raise ReportError(
            f"notebook {name} did not finish ({reason}); the previous report was left intact"
        ) from None
    finally:
        if nb.cells and _RESET_TAG in nb.cells[0].get("metadata", {}).get("tags", []):
            nb.cells.pop(0)
    cells = tuple(CellTime(c.source, _seconds(c)) for c in nb.cells if c.cell_type == "code")
    return Executed(nb=nb, kernel_start=started, warm_up=warm, cells=cells)
