"""How fast the ROI model answers a slider and a 100,000-draw Monte Carlo.

Measured in one process on the sample case, each against a baseline run in the same
process so the ratio, not the machine, is the result:

1. One slider change: the model recompute (measurements cached, as the panel does),
   against re-measuring the case from scratch (what a naive notebook cell would do).
2. The same slider change with the figure redrawn (tables + cash-flow chart as PNG).
3. Monte Carlo, 100,000 draws through the vectorised model, against a per-draw Python
   loop over the scalar model (timed on a slice of draws and scaled up: a full loop
   would take minutes).

Targets (issue 6): recompute <= 50 ms, with redraw <= 250 ms, Monte Carlo <= 0.1 s.
Usage: ``python benchmarks/bench_model.py [--draws N] [--loop-draws N] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from roi_kit.case import load_case
from roi_kit.study import model, uncertainty
from roi_kit.views.roi import cumulative_cash_flow, roi_headline_html, roi_tables_html
from roi_kit.views.style import to_png

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample_case"


def best_of(fn, repeat: int) -> float:
    """Best wall time of ``repeat`` runs, seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=100_000)
    parser.add_argument("--loop-draws", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    case = load_case(SAMPLE)
    inputs = model.model_inputs(case)
    margin = iter(np.linspace(0.20, 0.40, 10_000))

    def slider() -> None:
        model.evaluate_case(case, {"gross_margin": next(margin)}, inputs=inputs)

    def slider_redraw() -> None:
        result = model.evaluate_case(case, {"gross_margin": next(margin)}, inputs=inputs)
        # What the ROI panel redraws on a slider move: headline, tables, the chart as PNG.
        roi_headline_html(result, case.currency)
        roi_tables_html(result, case.currency)
        to_png(cumulative_cash_flow(result.evaluation, currency=case.currency))

    def remeasure() -> None:
        model.evaluate_case(case, {"gross_margin": next(margin)})

    t_slider = best_of(slider, args.repeat)
    t_redraw = best_of(slider_redraw, args.repeat)
    t_remeasure = best_of(remeasure, max(1, args.repeat // 2))

    specs = model.uncertain_specs(case, inputs)
    fn = model.case_model(case, inputs=inputs)
    t_mc = best_of(lambda: uncertainty.monte_carlo(fn, specs, n=args.draws, seed=0), args.repeat)

    # The per-draw loop: the same draws, one scalar model run each.
    rng = np.random.default_rng(0)
    draws = {n: uncertainty.draw(d, args.loop_draws, rng) for n, d in specs.items()}
    t0 = time.perf_counter()
    for i in range(args.loop_draws):
        model.evaluate_case(case, {n: float(v[i]) for n, v in draws.items()}, inputs=inputs)
    t_loop = (time.perf_counter() - t0) / args.loop_draws * args.draws

    print(f"sample case, {len(specs)} uncertain parameters, best of {args.repeat}")
    print(f"slider recompute (cached measurements): {t_slider * 1000:8.1f} ms   target <= 50 ms")
    print(
        f"  baseline, re-measuring the case:       {t_remeasure * 1000:8.1f} ms   "
        f"ratio {t_remeasure / t_slider:6.1f}x"
    )
    print(f"slider recompute + redraw (PNG):        {t_redraw * 1000:8.1f} ms   target <= 250 ms")
    print(f"Monte Carlo, {args.draws:,} draws:            {t_mc:8.3f} s    target <= 0.1 s")
    print(
        f"  baseline, per-draw loop (scaled from {args.loop_draws:,}): {t_loop:8.1f} s    "
        f"ratio {t_loop / t_mc:8.0f}x"
    )
    ok = t_slider <= 0.050 and t_redraw <= 0.250 and t_mc <= 0.1
    print("targets met" if ok else "targets NOT met on this run")
    return 0


if __name__ == "__main__":
    sys.exit(main())
