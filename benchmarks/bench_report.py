"""How long the HTML report takes, against one trivial notebook under papermill (issue 15.5).

The machine is shared, so absolute seconds say little: the same run first times a trivial
notebook (one cell, ``1 + 1``) executed with papermill in its own kernel, the unit every
old report paid eleven times, then builds the report of the sample case and of a user-like
generated case (another currency, no adoption table, no control group, a short baseline,
no scenarios, no intangibles, no goals; issue 14 item 7), and prints each time, its ratio
to the trivial notebook, and where the time went:

- kernel start: starting the workers' kernels;
- imports: the libraries every page needs, imported once per kernel;
- study: cells that load the case, measure and run the study (cached per report);
- figures and tables: every other cell (drawing, tables, text);
- HTML export: nbconvert, per page;
- pool start and after the last task: wall time outside the workers' tasks.

Phases are summed over the worker processes (they run side by side, so their sum exceeds
the wall time). Because the machine is shared, each report also prints the CPU seconds
spent by all its processes (workers and their kernels, user + system; they do not grow
with the load as wall seconds do) and the load average before and after it. Run from the
repository root::

    .venv/bin/python benchmarks/bench_report.py [--jobs N] [--draws N] [--only sample|user]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

# Nothing heavy at module level: the report's worker processes are spawned, and a spawned
# child imports the parent's main module (this file) before it starts its task.

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "sample_case"

__all__ = ["trivial_notebook_seconds", "user_like_case", "phases", "main"]

#: Cells whose time counts as "study": they load the case, measure it or run the study.
_STUDY_WORDS = ("load_case", "run_study", "compare_all", "model_inputs", "load_case(")


def trivial_notebook_seconds(work: Path) -> float:
    """Seconds to execute a one-cell notebook with papermill (kernel start included)."""
    import nbformat
    import papermill

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1")])
    spec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["kernelspec"] = spec
    src, out = work / "trivial.ipynb", work / "trivial-out.ipynb"
    nbformat.write(nb, src)
    start = time.perf_counter()
    # The old report's call, kernel log quietened the same way.
    papermill.execute_notebook(
        str(src),
        str(out),
        kernel_name="python3",
        progress_bar=False,
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
    )
    return time.perf_counter() - start


def user_like_case(folder: Path) -> Path:
    """A case unlike the sample: EUR, no adoption, no control group, a 9-month baseline,
    no scenarios, no intangibles, no goals, treated rows only."""
    import pandas as pd
    import yaml

    folder.mkdir(parents=True)
    cfg = yaml.safe_load((SAMPLE / "case.yml").read_text(encoding="utf-8"))
    kpis = pd.read_csv(SAMPLE / "kpis.csv", dtype=str)
    kpis = kpis[kpis["region"] == "North"].drop(columns="region")
    go_live = pd.Period(str(cfg["go_live"]), freq="M")
    start = go_live - 9
    kpis = kpis[pd.PeriodIndex(kpis["month"], freq="M") >= start]
    kpis.to_csv(folder / "kpis.csv", index=False)
    shutil.copy(SAMPLE / "costs.csv", folder / "costs.csv")
    for key in ("groups", "scenarios", "intangibles", "goals", "custom_kpis"):
        cfg.pop(key, None)
    cfg["files"].pop("adoption", None)
    cfg["name"] = "Rhein Tools GmbH - CRM review"
    cfg["currency"] = "EUR"
    cfg["baseline"] = {"start": str(start), "end": str(go_live - 1)}
    cfg["assumptions"]["active_users"] = 12
    extra = [c for c in kpis.columns if c not in ("month",)]
    custom = {c for c in extra if c not in _standard_kpis()}
    if custom:
        kpis.drop(columns=sorted(custom)).to_csv(folder / "kpis.csv", index=False)
    (folder / "case.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")
    return folder


def _standard_kpis() -> set[str]:
    from roi_kit.case.kpis import CATALOGUE

    return set(CATALOGUE)


def phases(result) -> dict[str, float]:
    """Seconds per phase, summed over the report's tasks (see the module docstring)."""
    out: dict[str, float] = defaultdict(float)
    for t in result.timings:
        out["kernel start"] += t.kernel_start
        out["imports"] += t.warm_up
        for cell in t.cells:
            study = any(word in cell.source for word in _STUDY_WORDS)
            out["study" if study else "figures and tables"] += cell.seconds
        out["HTML export"] += t.export
    return dict(out)


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process and its waited-for
    descendants: the report's workers and their kernels, once the pool has shut down."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _report(
    case: Path, out: Path, jobs: int | None, draws: int | None
) -> tuple[float, dict, float, tuple[float, float]]:
    """(wall seconds, seconds per phase, CPU seconds, load average before and after)."""
    from roi_kit import report

    params: dict = {"case_path": str(case)}
    if draws:
        params["n_draws"] = draws
    load = os.getloadavg()[0]
    cpu, start, begun = _children_cpu(), time.perf_counter(), time.time()
    result = report.build_report(out, parameters=params, progress=None, jobs=jobs)
    wall, ended = time.perf_counter() - start, time.time()
    cpu = _children_cpu() - cpu
    split = phases(result)
    # Wall time outside the workers' tasks: spawning the workers (and their imports)
    # before the first task, and after the last one the pages, front page and swap.
    split["pool start (wall)"] = min(t.started for t in result.timings) - begun
    split["after the last task (wall)"] = ended - max(t.started + t.total for t in result.timings)
    return wall, split, cpu, (load, os.getloadavg()[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=None, help="report workers (kernels)")
    parser.add_argument("--draws", type=int, default=None, help="Monte Carlo draws")
    parser.add_argument("--only", choices=("sample", "user"), default=None)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="bench-report-"))
    try:
        trivial = trivial_notebook_seconds(work)
        print(f"trivial notebook under papermill: {trivial:6.1f} s")
        cases = {"sample": SAMPLE, "user-like": user_like_case(work / "user_case")}
        for label, case in cases.items():
            if args.only and not label.startswith(args.only):
                continue
            wall, split, cpu, load = _report(case, work / f"report-{label}", args.jobs, args.draws)
            print(f"{label} report: {wall:6.1f} s wall = {wall / trivial:4.2f} x trivial")
            print(f"    CPU of its processes {cpu:6.1f} s (workers and kernels, user + system)")
            print(f"    load average (1 min) {load[0]:.2f} before, {load[1]:.2f} after")
            for phase, seconds in split.items():
                where = "" if phase.endswith("(wall)") else " (summed over workers)"
                print(f"    {phase:<26} {seconds:6.1f} s{where}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
