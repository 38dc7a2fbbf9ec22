"""How honest the kit's intervals are, measured on simulated KPIs (issue 12, item 1).

Coverage, false positives, power, bias and width of each comparison method on simulated KPI
series with a known CRM effect.

Each scenario of :mod:`calibration_scenarios` is simulated ``--reps`` times in two arms, with
no CRM effect and with +10% of the no-CRM level, and every method of the kit's comparison
table is run on each draw through the public API (``roi_kit.measure``: ``naive``,
``counterfactual``, ``state_space`` (with the control as a regressor, as ``compare_all``
runs it), ``did``, ``did(..., trend=True)`` when the kit's ``did`` has that option,
``placebo``) with the options ``compare_all`` uses. Printed, as Markdown:

- per scenario and method: coverage of the true effect with no effect and with an effect
  (± its Monte Carlo error ``sqrt(p (1 - p) / N)``), counted over the runs where the method
  says its result is valid (``valid``; for ``naive``, never valid, over all runs),
  false-positive rate (valid no-effect runs whose interval excludes zero), power (valid
  effect runs whose interval lies above zero), bias and mean width relative to the effect,
  the rate at which the kit flags the result as not valid, the mean minimum detectable
  effect relative to the effect, and how often the kit's own warnings fire (the ``note``
  mentions a possible random walk, a trend-only fit, or differing pre-trends);
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
from roi_kit.measure import counterfactual, did, naive, placebo, state_space

__all__ = [
    "ARMS",
    "ASSUMPTION_WRONG",
    "CANNOT_BE_VALID",
    "check_calibration",
    "METHODS",
    "PLACEBOS",
    "WARNINGS",
    "Outcome",
    "ScenarioResult",
    "main",
    "mc_error",
    "run_scenario",
]

#: The interval methods, in table order (each as ``compare_all`` runs it). ``did-assumed``
#: is plain DiD with ``measurement.parallel_trends`` stated in case.yml (the analyst vouches
#: for parallel trends): valid wherever its own checks pass.
METHODS = ("naive", "counterfactual", "state-space", "did", "did-assumed", "did-trend")
#: Per method, the scenarios where it cannot be valid: there the kit must say so (``valid``
#: False) in at least 80% of the runs. A fixed trend + season model cannot separate the
#: season from the trend on 6 or 12 seasonal months; plain DiD without stated parallel trends
#: cannot be valid when the groups drift apart or their gap wanders (it refuses everywhere
#: on these baselines: none bounds an unseen drift); DiD with group trends cannot
#: extrapolate a trend from 6 months (``MIN_TREND_BASELINE``).
CANNOT_BE_VALID = {
    "counterfactual": frozenset({"b12s", "b6s"}),
    "state-space": frozenset({"b12s", "b6s"}),
    "did": frozenset({"drift", "walk"}),
    "did-assumed": frozenset(),
    "did-trend": frozenset({"b6s", "b6"}),
}
#: Per method, the scenarios where the analyst's stated assumption is false: the groups
#: drift apart, or their gap wanders like a random walk (the control does not track the
#: CRM group). What an assumption costs when it is wrong is printed, not held to the
#: targets: no check on the data can see it (that is why plain DiD without it is not valid).
ASSUMPTION_WRONG = {"did-assumed": frozenset({"drift", "walk"})}
#: The least share of runs in which a method that cannot be valid must say so.
MIN_DETECTION = 0.80
#: The coverage every result presented as valid must reach, within its Monte Carlo error.
COVERAGE_BOUNDS = (0.90, 0.98)
#: The placebo rows ``compare_all`` adds: a fake go-live inside the baseline.
PLACEBOS = ("placebo-counterfactual", "placebo-did")
#: The two arms of every scenario.
ARMS = ("none", "effect")
#: The kit's warnings, as words its ``note`` contains.
WARNINGS = {
    "random walk": "random walk",
    "trend-only": "trend-only",
    "pre-trend": "pre-trends differ",
    "trends unshown": "parallel trends not shown",
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
    valid: bool = True
    mde: float = float("nan")

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
    except (RoiKitError, TypeError) as exc:  # TypeError: a did() without trend=
        nan = float("nan")
        return Outcome(nan, nan, nan, target, str(exc), refused=True, valid=False)
    return Outcome(
        float(r.change),
        float(r.low),
        float(r.high),
        target,
        r.note,
        valid=bool(r.valid),
        mde=float(r.mde),
    )


def _run_methods(
    draw: Draw, boot_seed: int, methods: Sequence[str] | None = None
) -> dict[str, Outcome]:
    """The methods of the comparison table on one draw, with the kit's default options.

    ``methods`` limits the run to some of ``METHODS`` and ``PLACEBOS`` (default: all).
    """
    t, c, g = draw.treated, draw.control, draw.go_live
    runs = {
        "naive": lambda: naive(t, g, seed=boot_seed),
        "counterfactual": lambda: counterfactual(t, g),
        "state-space": lambda: state_space(t, g, control=c),
        "did": lambda: did(t, c, g),
        "did-assumed": lambda: did(t, c, g, parallel_trends="stated by the analyst"),
        "did-trend": lambda: did(t, c, g, trend=True),
        # The placebo uses baseline months only, where nothing happened: its target is 0.
        "placebo-counterfactual": lambda: placebo(t, g),
        "placebo-did": lambda: placebo(t, g, method="did", control=c),
    }
    wanted = set(methods) if methods is not None else set(runs)
    out = {
        name: _outcome(run, 0.0 if name.startswith("placebo") else draw.true_effect)
        for name, run in runs.items()
        if name in wanted
    }
    if "naive" in out:
        n = out["naive"]
        out["naive*"] = Outcome(
            n.change, n.low, n.high, draw.naive_target, n.note, n.refused, n.valid, n.mde
        )
    return out


def run_scenario(
    scenario: Scenario, reps: int, seed: int, methods: Sequence[str] | None = None
) -> ScenarioResult:
    """Simulate ``scenario`` ``reps`` times in each arm and run the methods on each draw."""
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
            for method, outcome in _run_methods(draw, boot_seed, methods).items():
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


def _counted(runs: list[Outcome], method: str) -> list[Outcome]:
    """The runs a method's coverage is judged on: computed and presented as valid (all
    computed runs for the naive rows, which are never valid)."""
    ok = _computed(runs)
    return ok if method.startswith("naive") else [o for o in ok if o.valid]


def _coverage_cell(runs: list[Outcome], method: str) -> str:
    ok = _counted(runs, method)
    p = _rate(o.covers for o in ok)
    return "-" if not ok else f"{p:.3f} ±{mc_error(p, len(ok)):.3f}"


def _warning_cells(runs: list[Outcome]) -> list[str]:
    ok = _computed(runs)
    return [_fmt(_rate(words in o.note for o in ok)) for words in WARNINGS.values()]


def _method_row(res: ScenarioResult, method: str) -> list[str]:
    """One row of the main table: ``res.scenario`` by ``method``."""
    none, eff = res.outcomes["none"][method], res.outcomes["effect"][method]
    ok_none, ok_eff = _counted(none, method), _counted(eff, method)
    own = method == "naive*"
    fpr = "-" if own else _fmt(_rate(o.flags for o in ok_none), 3)
    power = "-" if own else _fmt(_rate(o.low > 0 for o in ok_eff), 3)
    bias = [_fmt(_mean(o.change - o.target for o in k) / res.effect) for k in (ok_none, ok_eff)]
    width = _fmt(_mean(o.high - o.low for o in ok_none + ok_eff) / res.effect)
    computed = _computed(none + eff)
    invalid = _fmt(_rate(not o.valid for o in computed))
    mde = _fmt(_mean(o.mde for o in computed if math.isfinite(o.mde)) / res.effect)
    refused = len(none) + len(eff) - len(computed)
    return [
        res.scenario.label,
        method,
        _coverage_cell(none, method),
        _coverage_cell(eff, method),
        fpr,
        power,
        *bias,
        width,
        invalid,
        mde,
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
    "flagged invalid",
    "MDE/effect",
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
    shown = [m for m in (*METHODS, "naive*") if results and m in results[0].outcomes["none"]]
    main_rows = [_method_row(r, m) for r in results for m in shown]
    placebo_rows = [
        _placebo_row(r, p)
        for r in results
        for p in PLACEBOS
        if p in r.outcomes["none"] and p.removeprefix("placebo-") in r.outcomes["none"]
    ]
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
            "relative to the effect; coverage, false + and power count the runs the method "
            "presents as valid (naive: all runs, it is never valid); flagged invalid, MDE and "
            "warning rates are over both arms; `naive*` is the naive interval against its own "
            "estimand (expected after - baseline mean).",
            "",
            check_summary(results),
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


def check_calibration(
    results: Sequence[ScenarioResult], methods: Sequence[str] = METHODS, errors: float = 1.0
) -> list[str]:
    """Where the kit's honesty targets fail (issue 12, item 1), one line per failure.

    For each scenario and method: in a scenario where the method cannot be valid
    (:data:`CANNOT_BE_VALID`), it must say so in at least :data:`MIN_DETECTION` of its
    computed runs; elsewhere the coverage of the runs it presents as valid, in each arm,
    must lie within :data:`COVERAGE_BOUNDS` give or take ``errors`` Monte Carlo errors at
    the nominal 0.95 (``sqrt(0.95 x 0.05 / N)``, N the valid runs). Methods not run are
    skipped, and so are the scenarios of :data:`ASSUMPTION_WRONG` (printed, not checked).
    """
    failures = []
    lo_bound, hi_bound = COVERAGE_BOUNDS
    for res in results:
        key = res.scenario.key
        for method in methods:
            if method not in res.outcomes["none"]:
                continue
            runs = _computed(res.outcomes["none"][method] + res.outcomes["effect"][method])
            if key in ASSUMPTION_WRONG.get(method, ()):
                continue
            if key in CANNOT_BE_VALID.get(method, ()):
                rate = _rate(not o.valid for o in runs)
                if runs and rate < MIN_DETECTION:
                    failures.append(f"{key} {method}: flagged invalid in {rate:.2f} of runs")
                continue
            for arm in ARMS:
                ok = _counted(res.outcomes[arm][method], method)
                if not ok:
                    continue
                p = _rate(o.covers for o in ok)
                tol = errors * mc_error(0.95, len(ok))
                if not lo_bound - tol <= p <= hi_bound + tol:
                    failures.append(
                        f"{key} {method} ({arm}): coverage {p:.3f} of {len(ok)} valid runs "
                        f"outside {lo_bound}-{hi_bound} +- {tol:.3f}"
                    )
    return failures


def check_summary(results: Sequence[ScenarioResult]) -> str:
    """The check of :func:`check_calibration` for the kit's own methods, in words."""
    failures = check_calibration(
        results, [m for m in METHODS if m != "naive"]
    )  # naive is never valid: its own estimand is the naive* row
    if not failures:
        return (
            "Check: every result presented as valid covers 0.90-0.98 (within its Monte Carlo "
            "error), and where a method cannot be valid it says so in >= 80% of runs."
        )
    return "Check failed:\n" + "\n".join(f"- {f}" for f in failures)


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
