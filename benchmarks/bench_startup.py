"""How long importing the kit takes, against starting a bare interpreter.

Each import runs in a fresh interpreter (imports are cached within a process), timed as the
best of ``--repeat`` runs and printed beside the bare interpreter start measured in the same
run, so the ratio, not the machine, is the result. ``import roi_kit`` is lazy (PEP 562):
it should cost little more than the interpreter; the layers pay for their own libraries
when first used.

Usage: ``python benchmarks/bench_startup.py [--repeat R]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

STATEMENTS = {
    "bare interpreter (baseline)": "pass",
    "import roi_kit": "import roi_kit",
    "import roi_kit.money (finance, benefits, costs)": "import roi_kit.money",
    "import roi_kit.case (pandas, yaml, pyarrow)": "import roi_kit.case",
    "import roi_kit.measure (statsmodels, scipy)": "import roi_kit.measure",
    "import roi_kit.study": "import roi_kit.study",
    "import roi_kit.cli": "import roi_kit.cli",
}


def best_start(statement: str, repeat: int) -> float:
    """Best wall time (s) of a fresh interpreter running ``statement``."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True)
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    base = best_start("pass", args.repeat)
    print(f"{'what':50s} {'seconds':>8s} {'x baseline':>11s}")
    for label, statement in STATEMENTS.items():
        t = base if statement == "pass" else best_start(statement, args.repeat)
        print(f"{label:50s} {t:8.3f} {t / base:11.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
