"""Notebooks -> a shareable HTML report that opens with no Python.

Every step notebook is executed headless with papermill (parameters injected,
``report_mode = True``), exported to HTML with nbconvert (code hidden unless asked),
and linked from an ``index.html``. The whole report is written into a temporary
folder beside the destination and moved into place only when every notebook has
succeeded, so a failure leaves the previous report intact.

Never destroy a user's file: the destination must be new, empty, or an earlier report of
the kit (recognised by its marker file :data:`MARKER`, which lists the files the kit
wrote). It may not be, contain or lie inside a case folder. Replacing an earlier report
replaces only the files the kit wrote there; anything else in the folder is kept.
"""

from __future__ import annotations

import html
import json
import logging
import multiprocessing
import os
import shutil
import signal
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
    "MARKER",
    "NOTEBOOKS_DIR",
    "check_destination",
    "ReportResult",
    "step_notebooks",
    "notebook_title",
    "build_report",
]

#: The notebooks folder of a source checkout (the kit is installed editable from it).
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"

#: The file that marks a folder as a crm-roi-kit report and lists what the kit wrote there.
MARKER = ".roi-kit-report.json"
#: The file that makes a folder a case folder.
_CASE_FILE = "case.yml"
#: How many names a refusal lists before "...".
_LISTED = 5

#: Seconds one cell may run before the report gives up on it.
CELL_TIMEOUT = 300

#: Passed to each kernel: its own log lines are not for the person reading the report's
#: progress: IPKernelApp's "Kernel is running over TCP without encryption" warning on every
#: start (the default local TCP transport), and "KeyboardInterrupt caught in kernel." logged
#: as an error when jupyter_client interrupts the kernel before shutting it down. A failing
#: cell still reaches the report as an error message, and a dead kernel as an exception.
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
#: Loggers of the execution stack that talk on stderr in the workers (kernel restarts,
#: shutdown notes). Their errors stay visible; real notebook failures arrive as ReportError.
_QUIET_LOGGERS = ("papermill", "nbclient", "jupyter_client", "traitlets", "asyncio")

# Worker state for Ctrl-C: the terminal sends SIGINT to the whole process group, workers
# included. A busy worker stops its notebook at once; an idle one remembers it and skips
# what it is handed next, so the pool drains in seconds and no worker prints a traceback.
_busy = False
_interrupted = False


def _on_interrupt(signum: int, frame: object) -> None:
    global _interrupted
    _interrupted = True
    if _busy:
        raise KeyboardInterrupt


def _quiet_worker() -> None:
    """Initializer of each worker process: quiet loggers, Ctrl-C handled as above."""
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    signal.signal(signal.SIGINT, _on_interrupt)


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
        Report folder: new, empty, or an earlier crm-roi-kit report (see
        :func:`check_destination`); written only when every notebook succeeded.
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
        The destination is refused (:func:`check_destination`), or a notebook failed (the
        message names it and the failing cell); the previous report is left as it was.
    """
    params = dict(parameters or {})
    out_dir = check_destination(out_dir, params.get("case_path"))
    nbs = list(notebooks) if notebooks is not None else step_notebooks()
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
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_quiet_worker
        ) as pool:
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
        _write_marker(staging, [p.name for p in staging.iterdir()])
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
    global _busy
    if _interrupted:  # Ctrl-C came while this worker was idle: do not start another kernel
        raise KeyboardInterrupt
    t0 = time.perf_counter()
    executed = work / nb_path.name
    _busy = True
    try:
        papermill.execute_notebook(
            str(nb_path),
            str(executed),
            parameters=_parameters_for(nb_path, params),
            kernel_name="python3",
            cwd=str(nb_path.parent),
            progress_bar=False,
            execution_timeout=CELL_TIMEOUT,
            extra_arguments=_KERNEL_ARGUMENTS,
        )
    except papermill.PapermillExecutionError as exc:
        raise ReportError(
            f"notebook {nb_path.name} failed in cell {exc.exec_count} "
            f"({exc.ename}: {exc.evalue}); the previous report was left intact"
        ) from None
    finally:
        _busy = False
    body = _export_html(executed, with_code=with_code)
    return notebook_title(nb_path), body, time.perf_counter() - t0


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


def _write_marker(folder: Path, files: Sequence[str]) -> None:
    from roi_kit import __version__

    text = json.dumps({"kit": "crm-roi-kit", "version": __version__, "files": sorted(files)})
    (folder / MARKER).write_text(text + "\n", encoding="utf-8")


def _swap_into_place(staging: Path, out_dir: Path) -> None:
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
