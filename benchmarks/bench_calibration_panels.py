"""How honest the panel intervals are, measured on simulated unit panels (issue 13, item 4).

Each design of :mod:`calibration_panels` (few, middling and many clusters; staggered cohorts
with different effects) is simulated ``--reps`` times with no CRM effect and with one, and
the kit's panel methods run on each draw through the public functions
(:func:`roi_kit.measure.panel.panel_did`, :func:`roi_kit.measure.staggered.staggered_did`);
on the staggered design the plain two-way fixed-effects fit (which ``panel_did`` refuses
there) is run too, to show its bias. Printed, as Markdown, per design and method:

- ``valid``: share of runs the kit presents as valid (the cluster-count rule);
- coverage of the true effect (both arms pooled, +- its Monte Carlo error);
- false-positive rate (no-effect runs whose interval excludes zero);
- power (effect runs whose interval lies above zero);
- bias and mean interval width, relative to the mean true effect.

Seeding: one :class:`numpy.random.SeedSequence` per design, arm and replication, keyed by the
design's name, so numbers do not depend on which other designs run.

Usage: ``python benchmarks/bench_calibration_panels.py [--reps N | --quick] [--seed S]
[--scenario KEY ...] [--jobs J]`` (default 200 replications per arm: about 8 minutes of
CPU in all, measured as 48 s of CPU for ``--quick``; ``--jobs 2`` runs designs in parallel
with the same numbers).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import zlib
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from calibration_panels import PANEL_SCENARIOS, PanelScenario, simulate_panel

from roi_kit.measure.panel import _fit, panel_did
from roi_kit.measure.staggered import staggered_did

__all__ = ["METHODS", "run_scenario", "summarise", "main"]

#: Methods run per design: panel-did where there is one go-live, staggered-did where there
#: are many units, twfe (biased, for comparison) on staggered designs.
METHODS = ("panel-did", "staggered-did", "twfe")


def _methods(scenario: PanelScenario) -> list[str]:
    if len(scenario.cohorts) > 1:
        return ["staggered-did", "twfe"]
    if scenario.clusters >= 30:
        return ["panel-did", "staggered-did"]
    return ["panel-did"]


def _estimate(method: str, panel, seed: int) -> tuple[float, float, float, bool]:
    """(estimate, low, high, valid) of ``method`` on ``panel``."""
    if method == "panel-did":
        c = panel_did(panel, seed=seed)
        return c.change, c.low, c.high, c.valid
    if method == "staggered-did":
        c = staggered_did(panel)
        return c.change, c.low, c.high, c.valid
    fit = _fit(panel, 0.95, seed)
    return fit.beta, fit.low, fit.high, True


def run_scenario(scenario: PanelScenario, reps: int, seed: int) -> list[dict]:
    """Every replication of one design: one record per arm, replication and method."""
    key = zlib.crc32(scenario.key.encode())
    records = []
    for arm, with_effect in (("none", False), ("effect", True)):
        for rep in range(reps):
            rng = np.random.default_rng(np.random.SeedSequence([seed, key, int(with_effect), rep]))
            panel, truth = simulate_panel(scenario, rng, with_effect=with_effect)
            for method in _methods(scenario):
                est, low, high, valid = _estimate(method, panel, rep)
                records.append(
                    {
                        "scenario": scenario.key,
                        "method": method,
                        "arm": arm,
                        "truth": truth,
                        "estimate": est,
                        "low": low,
                        "high": high,
                        "valid": valid,
                    }
                )
    return records


def _share(flags: Sequence[bool]) -> tuple[float, float]:
    n = len(flags)
    p = float(np.mean(flags)) if n else math.nan
    return p, math.sqrt(p * (1 - p) / n) if n else math.nan


def summarise(records: list[dict]) -> list[dict]:
    """One summary row per design and method (see the module docstring)."""
    rows = []
    keys = sorted({(r["scenario"], r["method"]) for r in records}, key=str)
    for scenario, method in keys:
        mine = [r for r in records if r["scenario"] == scenario and r["method"] == method]
        none = [r for r in mine if r["arm"] == "none"]
        eff = [r for r in mine if r["arm"] == "effect"]
        effect = float(np.mean([r["truth"] for r in eff]))
        cover = _share([r["low"] <= r["truth"] <= r["high"] for r in mine])
        rows.append(
            {
                "scenario": scenario,
                "method": method,
                "valid": _share([r["valid"] for r in mine])[0],
                "coverage": cover[0],
                "coverage_se": cover[1],
                "false_positive": _share([r["low"] > 0 or r["high"] < 0 for r in none])[0],
                "power": _share([r["low"] > 0 for r in eff])[0],
                "bias": float(np.mean([r["estimate"] - r["truth"] for r in eff])) / effect,
                "width": float(np.mean([r["high"] - r["low"] for r in mine])) / effect,
            }
        )
    return rows


def _table(rows: list[dict], reps: int) -> str:
    lines = [
        f"Panel calibration: {reps} replications per arm (no effect / effect), 95% intervals",
        "",
        "| design | method | valid | coverage | false pos. | power | bias/effect | width/effect |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['method']} | {r['valid']:.2f} | {r['coverage']:.3f} "
            f"+- {r['coverage_se']:.3f} | {r['false_positive']:.3f} | {r['power']:.3f} | "
            f"{r['bias']:+.3f} | {r['width']:.2f} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the designs and print the table; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="20 replications")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--scenario", action="append", help="design key (repeatable)")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args(argv)
    reps = 20 if args.quick else args.reps
    chosen = [s for s in PANEL_SCENARIOS if not args.scenario or s.key in args.scenario]
    if not chosen:
        known = ", ".join(s.key for s in PANEL_SCENARIOS)
        print(f"no such design; choose from {known}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            parts = list(
                pool.map(run_scenario, chosen, [reps] * len(chosen), [args.seed] * len(chosen))
            )
    else:
        parts = [run_scenario(s, reps, args.seed) for s in chosen]
    records = [r for part in parts for r in part]
    print(_table(summarise(records), reps))
    print(f"\n({time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
