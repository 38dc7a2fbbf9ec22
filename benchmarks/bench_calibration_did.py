"""Calibration of DiD, DiD with a group trend and the rolling DiD placebo (issue 12).

Same scenarios and shape as benchmarks/bench_calibration.py (calibration_scenarios.simulate),
fixed seed, one SeedSequence per scenario/arm/replication keyed by the scenario name.

Usage: .venv/bin/python benchmarks/bench_calibration_did.py [--reps N] [--scenario KEY ...]
[--jobs J]; `make calibration` runs it after bench_calibration.py.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")
import argparse
import math
import sys
import time
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibration_scenarios import SCENARIOS, Scenario, simulate

from roi_kit.errors import RoiKitError
from roi_kit.measure.diff_in_diff import did
from roi_kit.measure.placebo_check import placebo

EXTRA = (
    Scenario("drift05", "treated drifts from control by 0.5 a month", drift=0.5),
    Scenario("drift05ar", "drift 0.5 a month, AR(1) 0.5 noise", drift=0.5, rho=0.5),
)
ALL = SCENARIOS + EXTRA
ARMS = ("none", "effect")
# did-assumed: plain DiD with parallel trends stated in case.yml (measurement.parallel_trends).
METHODS = ("did", "did-assumed", "did-trend", "placebo-did")


__all__ = ["run_scenario", "method_row", "placebo_row", "main"]


def _gen(seed: int, sc: Scenario, arm: str, rep: int) -> np.random.Generator:
    key = (zlib.crc32(sc.key.encode()), ARMS.index(arm), rep)
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def _run(fn):
    try:
        return fn()
    except RoiKitError as exc:
        return str(exc)


def run_scenario(sc: Scenario, reps: int, seed: int) -> dict:
    t0 = time.perf_counter()
    out = {arm: {m: [] for m in METHODS} for arm in ARMS}
    eff = math.nan
    for arm in ARMS:
        for rep in range(reps):
            d = simulate(sc, _gen(seed, sc, arm, rep), effect=arm == "effect")
            if arm == "effect":
                eff = d.true_effect
            t, c, g = d.treated, d.control, d.go_live
            res = {
                # the lambdas run at once, inside this iteration (B023 does not apply)
                "did": _run(lambda: did(t, c, g)),  # noqa: B023
                "did-assumed": _run(lambda: did(t, c, g, parallel_trends="stated")),  # noqa: B023
                "did-trend": _run(lambda: did(t, c, g, trend=True)),  # noqa: B023
                "placebo-did": _run(lambda: placebo(t, g, method="did", control=c)),  # noqa: B023
            }
            for m, r in res.items():
                if not isinstance(r, str):
                    r = replace(r, projected=None, band_low=None, band_high=None)
                out[arm][m].append((r, d.true_effect))
    return {"sc": sc, "eff": eff, "out": out, "sec": time.perf_counter() - t0}


def _rate(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else math.nan


def _f(x, d=3):
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{d}f}"


def _cov(r, truth):
    return r.low <= truth <= r.high


def method_row(res, m):
    sc, eff = res["sc"], res["eff"]
    ok = {a: [(r, tr) for r, tr in res["out"][a][m] if not isinstance(r, str)] for a in ARMS}
    refused = sum(isinstance(r, str) for a in ARMS for r, _ in res["out"][a][m])
    cov = {a: _rate(_cov(r, tr) for r, tr in ok[a]) for a in ARMS}
    val = {a: [(r, tr) for r, tr in ok[a] if r.valid] for a in ARMS}
    cov_v = {a: _rate(_cov(r, tr) for r, tr in val[a]) for a in ARMS}
    fpr = _rate(r.excludes_zero for r, _ in ok["none"])
    power = _rate(r.low > 0 for r, _ in ok["effect"])
    bias = {
        a: np.mean([r.change - tr for r, tr in ok[a]]) / eff if ok[a] else math.nan for a in ARMS
    }
    width = np.mean([r.high - r.low for a in ARMS for r, _ in ok[a]]) / eff
    mde = np.nanmean([r.mde for a in ARMS for r, _ in ok[a]]) / eff
    invalid = _rate(not r.valid for a in ARMS for r, _ in ok[a])
    ll = _rate("local-level" in r.note for a in ARMS for r, _ in ok[a])
    return [
        sc.key,
        m,
        _f(cov["none"]),
        _f(cov["effect"]),
        _f(cov_v["none"]),
        _f(cov_v["effect"]),
        _f(fpr),
        _f(power),
        _f(bias["none"], 2),
        _f(bias["effect"], 2),
        _f(width, 2),
        _f(mde, 2),
        _f(invalid),
        _f(ll, 2),
        str(refused),
    ]


def placebo_row(res):
    sc = res["sc"]
    rows = []
    for a in ARMS:
        for (p, _), (r, tr) in zip(res["out"][a]["placebo-did"], res["out"][a]["did"]):
            if isinstance(p, str) or isinstance(r, str):
                continue
            rows.append((p, r, tr))
    refused = sum(isinstance(p, str) for a in ARMS for p, _ in res["out"][a]["placebo-did"])
    flag = _rate(p.excludes_zero for p, _, _ in rows)
    miss = [p.excludes_zero for p, r, tr in rows if not _cov(r, tr)]
    hit = [p.excludes_zero for p, r, tr in rows if _cov(r, tr)]
    run_share = _rate(p.placebo_flags / p.placebo_runs for p, _, _ in rows if p.placebo_runs)
    runs = np.mean([p.placebo_runs for p, _, _ in rows]) if rows else math.nan
    shares = [p.placebo_flags / p.placebo_runs for p, _, _ in rows if p.placebo_runs]
    tail = " ".join(_f(_rate(x >= c for x in shares), 2) for c in (0.15, 0.2, 0.25, 0.3, 0.4, 0.5))
    return [
        sc.key,
        tail,
        _f(flag),
        f"{_f(_rate(miss))} ({len(miss)})",
        f"{_f(_rate(hit))} ({len(hit)})",
        _f(run_share),
        _f(runs, 1),
        str(refused),
    ]


def md(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=40)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--scenario", action="append")
    ap.add_argument("--jobs", type=int, default=1)
    a = ap.parse_args(argv)
    chosen = [s for s in ALL if a.scenario is None or s.key in a.scenario]
    t0 = time.perf_counter()
    if a.jobs == 1:
        results = [run_scenario(s, a.reps, a.seed) for s in chosen]
    else:
        with ProcessPoolExecutor(a.jobs) as pool:
            results = list(
                pool.map(run_scenario, chosen, [a.reps] * len(chosen), [a.seed] * len(chosen))
            )
    head = [
        "scenario",
        "method",
        "cov none",
        "cov effect",
        "cov none (valid)",
        "cov effect (valid)",
        "false +",
        "power",
        "bias/eff none",
        "bias/eff effect",
        "width/eff",
        "mde/eff",
        "invalid",
        "local-level",
        "refused",
    ]
    print(f"seed {a.seed}, {a.reps} reps per scenario and arm\n")
    print(
        md(head, [method_row(r, m) for r in results for m in ("did", "did-assumed", "did-trend")])
    )
    print()
    ph = [
        "scenario",
        "P(share>=.15 .2 .25 .3 .4 .5)",
        "placebo flag rate",
        "flags when did misses (n)",
        "flags when did covers (n)",
        "share of runs flagging",
        "runs",
        "refused",
    ]
    print(md(ph, [placebo_row(r) for r in results]))
    print(
        f"\nrun time {time.perf_counter() - t0:.1f} s: "
        + ", ".join(f"{r['sc'].key} {r['sec']:.1f}" for r in results)
    )


if __name__ == "__main__":
    main()
