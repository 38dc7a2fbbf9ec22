"""Notebooks -> a shareable HTML report that opens with no Python.

Every step notebook is executed headless with papermill (parameters injected,
``report_mode = True``), exported to HTML with nbconvert (code hidden unless asked),
and linked from an ``index.html``. The whole report is written into a temporary
folder beside the destination and moved into place only when every notebook has
succeeded, so a failure leaves the previous report intact.
"""

from __future__ import annotations

import html
import multiprocessing
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import nbformat
import papermill
from nbconvert import HTMLExporter

from roi_kit.errors import ReportError

__all__ = [
    "NOTEBOOKS_DIR",
    "ReportResult",
    "step_notebooks",
    "notebook_title",
    "build_report",
]

#: The notebooks folder of a source checkout (the kit is installed editable from it).
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"

#: Seconds one cell may run before the report gives up on it.
CELL_TIMEOUT = 300


@dataclass(frozen=True)
class ReportResult:
    """What :func:`build_report` wrote.

    Attributes
    ----------
    out_dir : Path
        The report folder.
    index : Path
        ``index.html`` inside it.
    pages : tuple of (str, Path)
        Title and HTML file of each executed notebook, in order.
    """

    out_dir: Path
    index: Path
    pages: tuple[tuple[str, Path], ...]


def step_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The notebooks a report runs: ``NN_name.ipynb``, in order of their number."""
    found = sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise ReportError(f"no step notebooks (NN_name.ipynb) found in {notebooks_dir}")
    return found


def notebook_title(path: Path) -> str:
    """The first Markdown heading of a notebook, or its file name."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def _parameters_for(path: Path, wanted: Mapping[str, Any]) -> dict[str, Any]:
    """Keep only the parameters the notebook declares (papermill warns on others)."""
    declared = papermill.inspect_notebook(str(path))
    return {k: v for k, v in wanted.items() if k in declared}


#: The kit's own nbconvert template: JupyterLab's look without any network script.
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "report"


def _export_html(nb_path: Path, *, with_code: bool) -> str:
    exporter = HTMLExporter(
        template_name="lab",
        extra_template_paths=[str(TEMPLATE_DIR)],
        template_file="roi_report.html.j2",
    )
    exporter.exclude_input = not with_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nbformat.read(nb_path, as_version=4))
    return body


def _index_html(title: str, pages: Sequence[tuple[str, str]], headline: str = "") -> str:
    """The report's front page. ``headline`` is trusted HTML built with escaped values."""
    items = "\n".join(
        f'    <li><a href="{html.escape(href)}">{html.escape(name)}</a></li>'
        for name, href in pages
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>
 body {{ font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto; color: #222; }}
 h1 {{ color: #1f4e79; }}
 li {{ margin: 0.4em 0; }}
 h2 {{ color: #1f4e79; font-size: 1.2em; margin-top: 1.5em; }}
</style>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p>Report built on {date.today().isoformat()} by crm-roi-kit. Each page opens offline.</p>
{headline}
<h2>The study, step by step</h2>
<ol>
{items}
</ol>
</body>
</html>
"""


def build_report(
    out_dir: str | Path,
    *,
    parameters: Mapping[str, Any] | None = None,
    notebooks: Sequence[Path] | None = None,
    title: str = "CRM ROI study",
    with_code: bool = False,
    progress: Callable[[str], None] | None = print,
    jobs: int | None = None,
) -> ReportResult:
    """Execute the step notebooks headless and write the HTML report.

    Parameters
    ----------
    out_dir : str or Path
        Report folder; replaced as a whole only when every notebook succeeded.
    parameters : mapping, optional
        Values injected into each notebook's ``parameters`` cell (only those it
        declares); ``report_mode`` is always True.
    notebooks : sequence of Path, optional
        Defaults to :func:`step_notebooks`.
    title : str
        Heading of ``index.html``.
    with_code : bool
        Show the code cells in the pages.
    progress : callable, optional
        Receives one line per notebook (``print`` by default; None for silence).
    jobs : int, optional
        Notebooks executed at once (default: the number of CPU cores + 1).

    Returns
    -------
    ReportResult

    Raises
    ------
    ReportError
        A notebook failed (the message names it and the failing cell); the previous
        report is left as it was.
    """
    out_dir = Path(out_dir).resolve()
    nbs = list(notebooks) if notebooks is not None else step_notebooks()
    params = dict(parameters or {})
    params["report_mode"] = True
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a report is for sharing
    work = Path(tempfile.mkdtemp(prefix="roi-kit-run-"))
    pages: list[tuple[str, str]] = []
    try:
        # Notebooks are independent (each loads the case itself), so they run side by
        # side, one kernel per worker process; pages keep the notebooks' order.
        # One more worker than cores: a kernel spends part of its life starting up and
        # waiting on messages (measured on 2 cores: 43 s with 3 workers, 52-58 s with 2).
        workers = max(1, min(jobs or (os.cpu_count() or 1) + 1, len(nbs)))
        # "spawn", not fork: the caller may hold threads (a browser driver, a kernel
        # client) that a forked child would inherit in an unknown state.
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            futures = {
                pool.submit(_run_one, nb_path, work, params, with_code): nb_path for nb_path in nbs
            }
            if "case_path" in params:
                head_future = pool.submit(_headline, params)
            done = 0
            for future in as_completed(futures):
                nb_path = futures[future]
                name, body, seconds = future.result()  # re-raises a notebook's ReportError
                done += 1
                if progress:
                    progress(f"[{done}/{len(nbs)}] {nb_path.name}: {name} ({seconds:.1f} s)")
                (staging / nb_path.with_suffix(".html").name).write_text(body, encoding="utf-8")
            for nb_path in nbs:
                pages.append((notebook_title(nb_path), nb_path.with_suffix(".html").name))
            headline = head_future.result() if "case_path" in params else ""
        if headline and title == "CRM ROI study":
            title = _case_name(params["case_path"])
        (staging / "index.html").write_text(_index_html(title, pages, headline), encoding="utf-8")
        _swap_into_place(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ReportResult(
        out_dir=out_dir,
        index=out_dir / "index.html",
        pages=tuple((name, out_dir / href) for name, href in pages),
    )


def _case_name(case_path: str) -> str:
    from roi_kit.case import load_case

    return load_case(case_path).name


def _headline(params: Mapping[str, Any]) -> str:
    """The headline figures of the case for the front page, computed the way the summary
    notebook computes them (same method, draws and seed, so the numbers agree)."""
    from roi_kit.case import load_case
    from roi_kit.study import summary

    study = summary.run_study(
        load_case(params["case_path"]),
        n=int(params.get("n_draws", 100_000)),
        seed=int(params.get("seed", 0)),
        method=str(params.get("method", "counterfactual")),
    )
    return summary.headline_html(study)


def _run_one(
    nb_path: Path, work: Path, params: Mapping[str, Any], with_code: bool
) -> tuple[str, str, float]:
    """Execute one notebook headless and export it; (title, HTML, seconds)."""
    t0 = time.perf_counter()
    executed = work / nb_path.name
    try:
        papermill.execute_notebook(
            str(nb_path),
            str(executed),
            parameters=_parameters_for(nb_path, params),
            kernel_name="python3",
            cwd=str(nb_path.parent),
            progress_bar=False,
            execution_timeout=CELL_TIMEOUT,
        )
    except papermill.PapermillExecutionError as exc:
        raise ReportError(
            f"notebook {nb_path.name} failed in cell {exc.exec_count} "
            f"({exc.ename}: {exc.evalue}); the previous report was left intact"
        ) from None
    body = _export_html(executed, with_code=with_code)
    return notebook_title(nb_path), body, time.perf_counter() - t0


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with renames on the same file system."""
    old = None
    if out_dir.exists():
        old = out_dir.with_name(f".{out_dir.name}-old-{os.getpid()}")
        out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except OSError:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
