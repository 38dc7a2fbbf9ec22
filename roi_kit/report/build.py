"""Notebooks -> a shareable HTML report (and a PDF board pack) that opens with no Python.

Every step notebook is executed headless (parameters injected as papermill does,
``report_mode = True``), exported to HTML with nbconvert (code hidden unless asked), and
linked from an ``index.html``. The whole report is written into a temporary folder beside
the destination and moved into place only when every notebook has succeeded, so a
failure leaves the previous report intact (:mod:`roi_kit.report.destination`).

Speed: a few worker processes each keep one kernel and run many notebooks on it, each in
a fresh namespace (:mod:`roi_kit.report.kernel`), so the libraries are imported once per
worker instead of once per notebook; and the study (measure, value, Monte Carlo) is
computed once per report: the kernels share a cache of :func:`roi_kit.study.run_study`
and :func:`roi_kit.measure.compare_all` results (the comparison table, otherwise computed
by the tracking page, the benefits page and the study alike) in the report's private work
folder (``ROI_KIT_STUDY_CACHE``, :mod:`roi_kit.case.memo`), keyed by the case's content
and the call's arguments. ``python benchmarks/bench_report.py`` measures
it against a trivial notebook under papermill.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import multiprocessing.util
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from roi_kit.report.destination import check_destination, swap_into_place, write_marker
from roi_kit.report.pages import (
    WORKBOOK_NAME,
    export_html,
    fill_provenance,
    index_html,
    notebook_title,
    step_notebooks,
)
from roi_kit.report.timing import PageTiming

__all__ = ["STUDY_CACHE_ENV", "PageTiming", "ReportResult", "study_arguments", "build_report"]

#: The environment variable naming the study cache folder of a report's kernels.
STUDY_CACHE_ENV = "ROI_KIT_STUDY_CACHE"

#: Passed to each kernel: its own log lines are not for the person reading the report's
#: progress: IPKernelApp's "Kernel is running over TCP without encryption" warning on every
#: start (the default local TCP transport), and "KeyboardInterrupt caught in kernel." logged
#: as an error when jupyter_client interrupts the kernel before shutting it down. A failing
#: cell still reaches the report as an error message, and a dead kernel as an exception.
_KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
#: Loggers of the execution stack that talk on stderr in the workers (kernel restarts,
#: shutdown notes). Their errors stay visible; real notebook failures arrive as ReportError.
_QUIET_LOGGERS = ("papermill", "nbclient", "jupyter_client", "traitlets")
#: asyncio's only words in a worker are about nbclient's background kernel poll, which
#: Ctrl-C leaves unfinished ("Task exception was never retrieved"): never for the reader.
_SILENT_LOGGERS = ("asyncio",)
#: Imported once on each new kernel of a case report: what every page needs (pandas,
#: matplotlib, the kit's views and widgets) and the study's libraries (scipy, statsmodels).
_WARM_UP = "import roi_kit.widgets.display, roi_kit.views, roi_kit.study, roi_kit.measure"
#: The front page's facts, computed in a kernel (which has the libraries loaded already):
#: the headline figures, computed the way the summary notebook computes them (same method,
#: draws and seed, so the numbers agree and the study cache serves both), and provenance.
#: The Excel model of that same study is written into the staging folder here (so it moves
#: into place with the pages); a case the workbook cannot write as formulas still gets its
#: report, and the front page says why there is no workbook.
_FACTS = """\
import json as _json
from roi_kit.case import load_case as _load_case
from roi_kit.errors import RoiKitError as _RoiKitError
from roi_kit.io.atomic import atomic_write_bytes as _write_bytes
from roi_kit.study import provenance as _provenance, summary as _summary
from roi_kit.workbook import workbook_bytes as _workbook_bytes
_case = _load_case({case_path!r})
_prov = _provenance.provenance({case_path!r}, case=_case, built={built!r})
_study = _summary.run_study(_case, n={n!r}, seed={seed!r}, method={method!r})
try:
    _write_bytes({workbook!r}, _workbook_bytes(_study, built={built!r}))
    _refused = ""
except _RoiKitError as _error:
    _refused = str(_error)
print(_json.dumps({{
    "name": _case.name,
    "headline": _summary.headline_html(_study),
    "banner": _provenance.provenance_html(_prov, compact=True),
    "block": _provenance.provenance_html(_prov),
    "header": _provenance.header_fields(_prov),
    "workbook": {{
        "href": {workbook_name!r}, "kit": _prov.kit_version, "inputs": _prov.short_hash,
        "refused": _refused,
    }},
}}))
"""

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


def _init_worker(cache_dir: str) -> None:
    """Initializer of each worker process: quiet loggers, Ctrl-C as above, the cache."""
    # nbformat imports jsonschema, whose optional IRI format checker imports rfc3987_syntax,
    # which compiles a Lark grammar at import: 3.7 s of CPU per process (measured with
    # python -X importtime), for a check no notebook schema uses. Marked absent here, in
    # the kit's own worker processes only, jsonschema skips it (its import is optional).
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    from roi_kit.report import kernel

    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
    for name in _SILENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    signal.signal(signal.SIGINT, _on_interrupt)
    os.environ[STUDY_CACHE_ENV] = cache_dir  # inherited by this worker's kernel
    # The worker's kernel goes down with the worker (multiprocessing runs finalizers at a
    # worker's normal exit; atexit handlers do not run there).
    multiprocessing.util.Finalize(None, kernel.stop_kernel, exitpriority=10)


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
    timings : tuple of PageTiming
        Where the time went, per task, in the order they finished.
    pdf : Path or None
        The PDF board pack, when one was asked for and written.
    pdf_refused : str
        Why the PDF asked for was not written (no Chromium), else "". The HTML is written.
    workbook : Path or None
        The Excel model (``model.xlsx``), or None when the report has none (no case, or a
        case the workbook cannot write; the front page says why).
    backups : tuple of Path
        Copies kept of replaced files: each edited file replaced with ``force``, or the
        files of an earlier kit version's report (:func:`~roi_kit.report.swap_into_place`).
    """

    out_dir: Path
    index: Path
    pages: tuple[tuple[str, Path], ...]
    timings: tuple[PageTiming, ...] = field(default=(), compare=False)
    pdf: Path | None = None
    pdf_refused: str = ""
    workbook: Path | None = None
    backups: tuple[Path, ...] = ()


def _run_page(
    nb_path: Path, params: Mapping[str, Any], with_code: bool, warm_up: str
) -> tuple[str, str, PageTiming]:
    """Execute one notebook headless and export it; (title, HTML, timing)."""
    from roi_kit.report import kernel

    global _busy
    if _interrupted:  # Ctrl-C came while this worker was idle: do not start another kernel
        raise KeyboardInterrupt
    t0, started = time.perf_counter(), time.time()
    _busy = True
    try:
        done = kernel.execute(
            kernel.parameterized(nb_path, params),
            name=nb_path.name,
            cwd=str(nb_path.parent),
            arguments=_KERNEL_ARGUMENTS,
            warm_up=warm_up,
        )
    finally:
        _busy = False
        # nbclient's loop takes SIGINT while a notebook runs and leaves Python's default
        # handler behind: put ours back, so an idle worker only remembers a Ctrl-C.
        signal.signal(signal.SIGINT, _on_interrupt)
    t1 = time.perf_counter()
    body = export_html(done.nb, with_code=with_code)
    t2 = time.perf_counter()
    timing = PageTiming(
        nb_path.name,
        os.getpid(),
        done.kernel_start,
        done.warm_up,
        done.cells,
        export=t2 - t1,
        total=t2 - t0,
        started=started,
    )
    return notebook_title(nb_path), body, timing


def study_arguments(nbs: Sequence[Path], params: Mapping[str, Any]) -> dict[str, Any]:
    """``n``, ``seed`` and ``method`` of the summary notebook's study for these parameters.

    The parameters given win; otherwise the summary notebook's own defaults (its
    ``parameters`` cell), so the front page's headline is the summary page's to the digit
    and both are served by one cached study.
    """
    import ast

    import papermill

    defaults: dict[str, Any] = {"n_draws": 100_000, "seed": 0, "method": None}
    for path in [p for p in nbs if "summary" in p.stem][-1:]:
        for name, info in papermill.inspect_notebook(str(path)).items():
            if name in defaults:
                try:
                    defaults[name] = ast.literal_eval(str(info["default"]))
                except (ValueError, SyntaxError):
                    pass  # not a literal: keep the kit's default
    chosen = {**defaults, **{k: params[k] for k in defaults if k in params}}
    return {"n": int(chosen["n_draws"]), "seed": int(chosen["seed"]), "method": chosen["method"]}


def _run_facts(
    params: Mapping[str, Any], nbs: Sequence[Path], built: str, warm_up: str, staging: Path
) -> tuple[dict, PageTiming]:
    """The front page's headline and provenance, computed in this worker's kernel, which
    also writes the Excel model of the same study to ``staging`` (:data:`WORKBOOK_NAME`)."""
    import nbformat

    from roi_kit.report import kernel

    global _busy
    if _interrupted:
        raise KeyboardInterrupt
    t0, started = time.perf_counter(), time.time()
    study = study_arguments(nbs, params)
    code = _FACTS.format(
        case_path=str(params["case_path"]),
        built=built,
        workbook=str(staging / WORKBOOK_NAME),
        workbook_name=WORKBOOK_NAME,
        **study,
    )
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    _busy = True
    try:
        done = kernel.execute(
            nb, name="the front page", cwd=os.getcwd(), arguments=_KERNEL_ARGUMENTS, warm_up=warm_up
        )
    finally:
        _busy = False
        signal.signal(signal.SIGINT, _on_interrupt)
    text = "".join(o.get("text", "") for o in done.nb.cells[0].outputs if o.get("name") == "stdout")
    seconds = time.perf_counter() - t0
    timing = PageTiming(
        "facts", os.getpid(), done.kernel_start, done.warm_up, done.cells, 0.0, seconds, started
    )
    return json.loads(text), timing


def _plain_facts(built: str) -> dict:
    """Provenance of a report without a case (the calculator alone): kit and date."""
    import html

    from roi_kit import __version__

    line = f"crm-roi-kit {__version__} &middot; built {html.escape(built)} &middot; no case"
    banner = f'<div class="roi-provenance"><span>{line}</span></div>'
    header = {"case": "", "kit": __version__, "data_through": "", "status": "", "built": built}
    return {"name": "", "headline": "", "banner": banner, "block": banner, "header": header}


def _workers(jobs: int | None, tasks: int) -> int:
    # One kernel per worker, reused: two workers keep both cores busy while each kernel
    # imports once (measured by benchmarks/bench_report.py on 2 cores).
    return max(1, min(jobs or (os.cpu_count() or 1), tasks))


def _execute_all(
    nbs: Sequence[Path],
    params: Mapping[str, Any],
    *,
    with_code: bool,
    staging: Path,
    work: Path,
    jobs: int | None,
    built: str,
    progress: Callable[[str], None] | None,
) -> tuple[dict, list[PageTiming]]:
    """Run the facts and every notebook in the pool; pages written into ``staging``."""
    case_report = "case_path" in params
    warm_up = _WARM_UP if case_report else ""
    cache = work / "study-cache"
    cache.mkdir()
    timings: list[PageTiming] = []
    # "spawn", not fork: the caller may hold threads (a browser driver, a kernel
    # client) that a forked child would inherit in an unknown state.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=_workers(jobs, len(nbs)),
        mp_context=context,
        initializer=_init_worker,
        initargs=(str(cache),),
    ) as pool:
        # The facts go first: they compute the study that 07 and 10 then read from the cache.
        facts: Future | None = None
        if case_report:
            facts = pool.submit(_run_facts, params, nbs, built, warm_up, staging)
        futures = {pool.submit(_run_page, p, params, with_code, warm_up): p for p in nbs}
        for done, future in enumerate(as_completed(futures), start=1):
            nb_path = futures[future]
            name, body, timing = future.result()  # re-raises a notebook's ReportError
            timings.append(timing)
            if progress:
                progress(f"[{done}/{len(nbs)}] {nb_path.name}: {name} ({timing.total:.1f} s)")
            (staging / nb_path.with_suffix(".html").name).write_text(body, encoding="utf-8")
        if facts is None:
            return _plain_facts(built), timings
        found, timing = facts.result()
        timings.append(timing)
        return found, timings


def build_report(
    out_dir: str | Path,
    *,
    parameters: Mapping[str, Any] | None = None,
    notebooks: Sequence[Path] | None = None,
    title: str = "CRM ROI study",
    with_code: bool = False,
    progress: Callable[[str], None] | None = print,
    jobs: int | None = None,
    pdf: str | None = None,
    force: bool = False,
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
        Heading of ``index.html`` (a case report is headed by the case's name).
    with_code : bool
        Show the code cells in the pages.
    progress : callable, optional
        Receives one line per notebook (``print`` by default; None for silence).
    jobs : int, optional
        Worker processes, one kernel each (default: the number of CPU cores).
    pdf : {None, "summary", "all"}
        Also write ``report.pdf`` (A4, through headless Chromium): the front page and the
        summary page, or every page (:mod:`roi_kit.report.pdf`). Without Chromium the HTML
        report is written all the same and ``pdf_refused`` says how to install it.
    force : bool, default False
        Replace files of the earlier report that were edited since the kit wrote them (a
        reviewer's saved ``model.xlsx``), each first kept as ``NAME.bak-YYYYmmdd-HHMMSS``;
        without it such a report is refused before any notebook runs.

    Returns
    -------
    ReportResult

    Raises
    ------
    ReportError
        The destination is refused (:func:`check_destination`: also a file of the earlier
        report edited since, unless ``force``), or a notebook failed (the
        message names it and the failing cell); the previous report is left as it was.
    """
    from roi_kit.report import pdf as pdf_pack

    params = dict(parameters or {})
    out_dir = check_destination(out_dir, params.get("case_path"), force=force)
    nbs = list(notebooks) if notebooks is not None else step_notebooks()
    params["report_mode"] = True
    refused = pdf_pack.refusal() if pdf else ""
    built = date.today().isoformat()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}-", dir=out_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; a report is for sharing
    work = Path(tempfile.mkdtemp(prefix="roi-kit-run-"))  # private: holds the study cache
    pages = [(notebook_title(p), p.with_suffix(".html").name) for p in nbs]
    try:
        facts, timings = _execute_all(
            nbs, params, with_code=with_code, staging=staging, work=work, jobs=jobs,
            built=built, progress=progress,
        )  # fmt: skip
        for _, href in pages:
            page = staging / href
            page.write_text(fill_provenance(page.read_text("utf-8"), facts["banner"]), "utf-8")
        if facts["name"] and title == "CRM ROI study":
            title = facts["name"]
        front = index_html(
            title, pages, facts["headline"], built=built, provenance=facts["block"],
            workbook=facts.get("workbook"),
        )  # fmt: skip
        (staging / "index.html").write_text(front, encoding="utf-8")
        if pdf and not refused:
            pdf_pack.write_pdf(staging, pages if pdf == "all" else _summary_pages(pages), facts)
        written = [p.name for p in staging.iterdir()]
        write_marker(staging, written)
        backups = swap_into_place(staging, out_dir, force=force)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return ReportResult(
        out_dir=out_dir,
        index=out_dir / "index.html",
        pages=tuple((name, out_dir / href) for name, href in pages),
        timings=tuple(timings),
        pdf=out_dir / pdf_pack.PDF_NAME if pdf and not refused else None,
        pdf_refused=refused,
        workbook=out_dir / WORKBOOK_NAME if WORKBOOK_NAME in written else None,
        backups=backups,
    )


def _summary_pages(pages: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The executive summary's pages: the summary notebook's (``10_summary``), if any."""
    return [(name, href) for name, href in pages if "summary" in href][-1:]
