"""How honest the kit's intervals are, measured on simulated KPIs (issue 12, item 1).

Coverage, false positives, power, bias and width of each comparison method on simulated KPI
series with a known CRM effect.

Each scenario of :mod:`calibration_scenarios` is simulated ``--reps`` times in two arms, with
no CRM effect and with +10% of the no-CRM level, and every method of the kit's comparison
table is run on each draw through the public API (``roi_kit.measure``: ``naive``,
``counterfactual``, ``did``, ``placebo``) with the options ``compare_all`` uses (the naive
bootstrap seeded per run rather than with 0). Printed, as Markdown:

- per scenario and method: coverage of the true effect with no effect and with an effect
  (± its Monte Carlo error ``sqrt(p (1 - p) / N)``), false-positive rate (no-effect runs whose
  interval excludes zero), power (effect runs whose interval lies above zero), bias and mean
  width relative to the effect, and how often the kit's own warnings fire (the ``note``
  mentions strong autocorrelation, a trend-only fit, or differing pre-trends);
- ``naive*``: the naive interval against its own estimand (expected after mean minus
  expected baseline mean, trend and season included), to judge its bootstrap apart from its
  bias;
- per scenario, each placebo's flag rate (nominal 0.05) and how often it flags when the real
  interval misses the truth.

Seeding: one :class:`numpy.random.SeedSequence` per scenario, arm and replication, keyed by
the scenario's name, so a scenario's numbers do not depend on which other scenarios run or
in what order, and the first N replications are the same for any ``--reps`` >= N.

Usage: ``python benchmarks/bench_calibration.py [--reps N | --quick] [--seed S]
[--scenario KEY ...] [--jobs J]``; the default 400 replications is the issue's study
(8-9 minutes on one idle core: the kit's methods take about 13 ms a call, mostly pandas;
``--jobs 2`` runs scenarios in parallel with the same numbers).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from calibration_scenarios import (
    EFFECT_SHARE,
    N_AFTER,
    SCENARIOS,
    SIGMA,
    Draw,
    Scenario,
    simulate,
)

from roi_kit.errors import RoiKitError
from roi_kit.measure import counterfactual, did, naive, placebo

__all__ = [
    "ARMS",
    "METHODS",
    "PLACEBOS",
    "WARNINGS",
    "Outcome",
    "ScenarioResult",
    "main",
    "mc_error",
    "run_scenario",
]

#: The interval methods, in table order (each as ``compare_all`` runs it).
METHODS = ("naive", "counterfactual", "did")
#: The placebo rows ``compare_all`` adds: a fake go-live inside the baseline.
PLACEBOS = ("placebo-counterfactual", "placebo-did")
#: The two arms of every scenario.
ARMS = ("none", "effect")
#: The kit's warnings, as words its ``note`` contains.
WARNINGS = {
    "autocorr": "strongly autocorrelated",
    "trend-only": "trend-only",
    "pre-trend": "pre-trends differ",
}
QUICK_REPS = 50
DEFAULT_REPS = 400
DEFAULT_SEED = 12


@dataclass(frozen=True)
class Outcome:
    """One method's result on one draw (``refused`` when the kit declined the data).

    ``change``, ``low``, ``high`` and ``target`` are in KPI units; ``target`` is what the
    method should find (the true effect; for ``naive*`` the naive estimand).
    """

    change: float
    low: float
    high: float
    target: float
    note: str
    refused: bool = False

    @property
    def covers(self) -> bool:
        """The interval contains the target."""
        return self.low <= self.target <= self.high

    @property
    def flags(self) -> bool:
        """The interval excludes zero (an 'effect' found)."""
        return self.low > 0 or self.high < 0


@dataclass(frozen=True)
class ScenarioResult:
    """Every outcome of one scenario: ``outcomes[arm][method]`` lists one per replication."""

    scenario: Scenario
    reps: int
    effect: float
    outcomes: dict[str, dict[str, list[Outcome]]]
    seconds: float


def mc_error(p: float, n: int) -> float:
    """Monte Carlo standard error of a rate ``p`` estimated from ``n`` runs.

    >>> round(mc_error(0.95, 400), 4)  # sqrt(0.95 x 0.05 / 400) = 0.0109
    0.0109
    """
    return math.sqrt(p * (1.0 - p) / n) if n else float("nan")


def _seed_for(seed: int, scenario: Scenario, arm: str, rep: int) -> np.random.Generator:
    """The generator of one replication, keyed by the scenario's name (crc32), not its place."""
    key = (zlib.crc32(scenario.key.encode()), ARMS.index(arm), rep)
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def _outcome(run, target: float) -> Outcome:
    """Run one method (a no-argument callable); a refusal by the kit becomes a refused row."""
    try:
        r = run()
    except RoiKitError as exc:
        nan = float("nan")
        return Outcome(nan, nan, nan, target, str(exc), refused=True)
    return Outcome(float(r.change), float(r.low), float(r.high), target, r.note)


def _run_methods(draw: Draw, boot_seed: int) -> dict[str, Outcome]:
    """Every method of the comparison table on one draw, with the kit's default options."""
    t, c, g = draw.treated, draw.control, draw.go_live
    out = {
        "naive": _outcome(lambda: naive(t, g, seed=boot_seed), draw.true_effect),
        "counterfactual": _outcome(lambda: counterfactual(t, g), draw.true_effect),
        "did": _outcome(lambda: did(t, c, g), draw.true_effect),
        # The placebo uses baseline months only, where nothing happened: its target is 0.
        "placebo-counterfactual": _outcome(lambda: placebo(t, g), 0.0),
        "placebo-did": _outcome(lambda: placebo(t, g, method="did", control=c), 0.0),
    }
    n = out["naive"]
    out["naive*"] = Outcome(n.change, n.low, n.high, draw.naive_target, n.note, n.refused)
    return out


def run_scenario(scenario: Scenario, reps: int, seed: int) -> ScenarioResult:
    """Simulate ``scenario`` ``reps`` times in each arm and run every method on each draw."""
    t0 = time.perf_counter()
    outcomes: dict[str, dict[str, list[Outcome]]] = {arm: {} for arm in ARMS}
    effect = float("nan")
    for arm in ARMS:
        for rep in range(reps):
            rng = _seed_for(seed, scenario, arm, rep)
            draw = simulate(scenario, rng, effect=arm == "effect")
            if arm == "effect":
                effect = draw.true_effect  # the same every run: the effect is deterministic
            boot_seed = int(rng.integers(2**31))
            for method, outcome in _run_methods(draw, boot_seed).items():
                outcomes[arm].setdefault(method, []).append(outcome)
    return ScenarioResult(scenario, reps, effect, outcomes, time.perf_counter() - t0)


# --------------------------------------------------------------------------------------------
# the tables


def _rate(values: Iterable[bool]) -> float:
    """Share of True among ``values`` (NaN when empty)."""
    values = list(values)
    return sum(values) / len(values) if values else float("nan")


def _mean(values: Iterable[float]) -> float:
    """Mean of ``values`` (NaN when empty, without numpy's empty-slice warning)."""
    values = list(values)
    return float(np.mean(values)) if values else float("nan")


def _computed(runs: list[Outcome]) -> list[Outcome]:
    return [o for o in runs if not o.refused]


def _fmt(x: float, digits: int = 2) -> str:
    """A rate or ratio for the table (``-`` for NaN); ASCII minus as the kit's formatter."""
    return "-" if math.isnan(x) else f"{x:+.{digits}f}" if x < 0 else f"{x:.{digits}f}"


def _coverage_cell(runs: list[Outcome]) -> str:
    ok = _computed(runs)
    p = _rate(o.covers for o in ok)
    return "-" if not ok else f"{p:.3f} ±{mc_error(p, len(ok)):.3f}"


def _warning_cells(runs: list[Outcome]) -> list[str]:
    ok = _computed(runs)
    return [_fmt(_rate(words in o.note for o in ok)) for words in WARNINGS.values()]


def _method_row(res: ScenarioResult, method: str) -> list[str]:
    """One row of the main table: ``res.scenario`` by ``method``."""
    none, eff = res.outcomes["none"][method], res.outcomes["effect"][method]
    ok_none, ok_eff = _computed(none), _computed(eff)
    own = method == "naive*"
    fpr = "-" if own else _fmt(_rate(o.flags for o in ok_none), 3)
    power = "-" if own else _fmt(_rate(o.low > 0 for o in ok_eff), 3)
    bias = [_fmt(_mean(o.change - o.target for o in k) / res.effect) for k in (ok_none, ok_eff)]
    width = _fmt(_mean(o.high - o.low for o in ok_none + ok_eff) / res.effect)
    refused = len(none) + len(eff) - len(ok_none) - len(ok_eff)
    return [
        res.scenario.label,
        method,
        _coverage_cell(none),
        _coverage_cell(eff),
        fpr,
        power,
        *bias,
        width,
        *_warning_cells(none + eff),
        str(refused),
    ]


def _placebo_row(res: ScenarioResult, name: str) -> list[str]:
    """One row of the placebo table: its flag rate and whether it flags the real misses."""
    real = name.removeprefix("placebo-")
    pairs = [
        (p, r)
        for arm in ARMS
        for p, r in zip(res.outcomes[arm][name], res.outcomes[arm][real])
        if not p.refused and not r.refused
    ]
    misses = [p.flags for p, r in pairs if not r.covers]
    hits = [p.flags for p, r in pairs if r.covers]
    refused = 2 * res.reps - sum(not p.refused for arm in ARMS for p in res.outcomes[arm][name])
    return [
        res.scenario.label,
        name,
        _fmt(_rate(p.flags for p, _ in pairs), 3),
        f"{_fmt(_rate(misses), 3)} ({len(misses)})",
        f"{_fmt(_rate(hits), 3)} ({len(hits)})",
        *_warning_cells([p for p, _ in pairs]),
        str(refused),
    ]


def _markdown(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table (numbers right-aligned after the first two columns)."""
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


_WARN_HEADER = [f"warns {name}" for name in WARNINGS]
MAIN_HEADER = [
    "scenario",
    "method",
    "coverage, no effect",
    "coverage, effect",
    "false +",
    "power",
    "bias/effect, no effect",
    "bias/effect, effect",
    "width/effect",
    *_WARN_HEADER,
    "refused",
]
PLACEBO_HEADER = [
    "scenario",
    "placebo",
    "flag rate",
    "flags when the real interval misses (runs)",
    "flags when it covers (runs)",
    *_WARN_HEADER,
    "refused",
]


def report(results: Sequence[ScenarioResult], seed: int, seconds: float) -> str:
    """The printed report: settings, the method table, the placebo table, the run time."""
    reps = results[0].reps if results else 0
    effects = ", ".join(f"{r.scenario.key} {r.effect:.2f}" for r in results)
    main_rows = [_method_row(r, m) for r in results for m in (*METHODS, "naive*")]
    placebo_rows = [_placebo_row(r, p) for r in results for p in PLACEBOS]
    times = ", ".join(f"{r.scenario.key} {r.seconds:.1f} s" for r in results)
    return "\n".join(
        [
            f"## Calibration of the kit's 95% intervals (seed {seed}, {reps} replications per "
            "scenario and arm)",
            "",
            f"Treated and control groups, trend + month-of-year season, {N_AFTER} after months; "
            f"noise sd {SIGMA:g} per group (5% of the level); effect +{EFFECT_SHARE:.0%} of the "
            f"no-CRM level, in KPI units: {effects}. Monte Carlo error of a coverage near 0.95: "
            f"±{mc_error(0.95, reps):.3f} (sqrt(p(1-p)/N), N = {reps}). Bias and width are "
            "relative to the effect; warning rates are over both arms; `naive*` is the naive "
            "interval against its own estimand (expected after - baseline mean).",
            "",
            _markdown(MAIN_HEADER, main_rows),
            "",
            "Placebo (one fake go-live inside the baseline; nominal flag rate 0.05):",
            "",
            _markdown(PLACEBO_HEADER, placebo_rows),
            "",
            f"Run time: {seconds:.1f} s ({times}).",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its Markdown report; 0 on success, 2 on a bad option."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=DEFAULT_REPS, help="replications per arm")
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_REPS} replications")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    keys = [s.key for s in SCENARIOS]
    parser.add_argument("--scenario", action="append", choices=keys, help="only these (repeat)")
    parser.add_argument("--jobs", type=int, default=1, help="scenarios run in parallel")
    args = parser.parse_args(argv)
    reps = QUICK_REPS if args.quick else args.reps
    if reps < 1 or args.jobs < 1:
        parser.error(f"--reps and --jobs must be at least 1 (found {reps} and {args.jobs})")
    chosen = [s for s in SCENARIOS if args.scenario is None or s.key in args.scenario]
    t0 = time.perf_counter()
    if args.jobs == 1:
        results = [run_scenario(s, reps, args.seed) for s in chosen]
    else:
        # Each scenario seeds itself from its name, so the numbers do not depend on --jobs.
        with ProcessPoolExecutor(max_workers=args.jobs) as pool:
            runs = [pool.submit(run_scenario, s, reps, args.seed) for s in chosen]
            results = [run.result() for run in runs]
    print(report(results, args.seed, time.perf_counter() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
