"""Benchmark: importing a large opportunity export into monthly KPIs.

Generates a seeded export in the format of the public "CRM Sales Opportunities" dataset
(default 1,000,000 rows) in a temporary folder, then times, in this process, best of
``--repeat`` runs each:

(a) ``roi_kit.io.crm_export.import_opportunities`` (reading, validation and all monthly figures),
(b) bare pandas: ``read_csv`` + ``groupby`` computing the same monthly figures,
(c) DuckDB SQL computing the same monthly figures straight from the CSV.

Peak memory of (a) and (c) is measured in a fresh subprocess each: peak RSS (``ru_maxrss``,
the honest number: it includes Arrow's buffers) and, for (a), the ``tracemalloc`` peak of
Python-level allocations. The three results are compared so the timings are of equal work.

Targets: (a) within 1.5x of DuckDB's time, peak RSS under 1 GiB.

Usage::

    python benchmarks/bench_import.py            # 1,000,000 rows
    python benchmarks/bench_import.py --rows 50000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pcsv

from roi_kit.io.crm_export import import_opportunities

KPI_COLUMNS = [
    "new_opportunities",
    "deals_won",
    "deals_lost",
    "revenue",
    "win_rate",
    "avg_deal_size",
    "sales_cycle_days",
    "open_pipeline",
]


def generate(path: Path, rows: int, seed: int = 20240601) -> None:
    """Write a seeded export shaped like ``sales_pipeline.csv`` (same columns and quirks)."""
    rng = np.random.default_rng(seed)
    agents = np.array([f"Agent {i:02d}" for i in range(35)])
    products = np.array(
        ["GTX Basic", "GTXPro", "MG Special", "MG Advanced", "GTX Plus Pro", "GTX Plus Basic"]
    )
    accounts = np.array([f"Account {i:02d}" for i in range(85)])
    # Unique 8-character IDs, like the dataset's.
    ids = np.char.mod("%08X", rng.permutation(rows).astype(np.int64) * 7 + 12345)
    stage = rng.choice(
        np.array(["Won", "Lost", "Engaging", "Prospecting"]), size=rows, p=[0.48, 0.28, 0.18, 0.06]
    )
    engaged = np.datetime64("2016-10-01") + rng.integers(0, 450, rows).astype("timedelta64[D]")
    cycle = rng.gamma(2.0, 25.0, rows).astype(np.int64)
    closed = (stage == "Won") | (stage == "Lost")
    value = np.where(stage == "Won", rng.integers(40, 30000, rows), 0)
    table = pa.table(
        {
            "opportunity_id": ids,
            "sales_agent": agents[rng.integers(0, len(agents), rows)],
            "product": products[rng.integers(0, len(products), rows)],
            # Quirks as in the dataset: open deals often lack an account, prospects an engage
            # date, open deals a close date and a value; lost deals are worth 0.
            "account": np.where(
                ~closed & (rng.random(rows) < 0.6), "", accounts[rng.integers(0, 85, rows)]
            ),
            "deal_stage": stage,
            "engage_date": np.where(stage == "Prospecting", "", engaged.astype(str)),
            "close_date": np.where(closed, (engaged + cycle).astype(str), ""),
            "close_value": np.where(closed, value.astype(str), ""),
        }
    )
    pcsv.write_csv(table, path, pcsv.WriteOptions(quoting_style="none"))


def run_import(path: Path) -> pd.DataFrame:
    """(a) The kit's importer."""
    return import_opportunities(path).monthly


def run_pandas(path: Path) -> pd.DataFrame:
    """(b) Bare pandas, no validation."""
    df = pd.read_csv(
        path,
        usecols=["deal_stage", "engage_date", "close_date", "close_value"],
        parse_dates=["engage_date", "close_date"],
    )
    created = df["engage_date"].dt.to_period("M")
    close = df["close_date"].dt.to_period("M")
    is_won, is_lost = df["deal_stage"].eq("Won"), df["deal_stage"].eq("Lost")
    closed = df[is_won | is_lost].assign(month=close[is_won | is_lost])
    closed["cycle"] = (closed["close_date"] - closed["engage_date"]).dt.days
    closed["won"] = closed["deal_stage"].eq("Won")
    closed["lost"] = ~closed["won"]
    closed["won_value"] = closed["close_value"].where(closed["won"], 0.0)
    agg = closed.groupby("month").agg(
        deals_won=("won", "sum"),
        deals_lost=("lost", "sum"),
        revenue=("won_value", "sum"),
        sales_cycle_days=("cycle", "median"),
        ends=("engage_date", "count"),
    )
    new = created.value_counts().rename("new_opportunities")
    months = pd.period_range(
        min(new.index.min(), agg.index.min()), max(new.index.max(), agg.index.max()), freq="M"
    )
    out = (
        pd.DataFrame(index=months)
        .join(new)
        .join(agg)
        .fillna(
            {"new_opportunities": 0, "deals_won": 0, "deals_lost": 0, "revenue": 0.0, "ends": 0}
        )
    )
    out["win_rate"] = out["deals_won"] / (out["deals_won"] + out["deals_lost"])
    out["avg_deal_size"] = out["revenue"] / out["deals_won"]
    out["open_pipeline"] = (out["new_opportunities"] - out["ends"]).cumsum()
    out.insert(0, "month", out.index.astype(str))
    return out.reset_index(drop=True)[["month", *KPI_COLUMNS]]


def run_duckdb(path: Path) -> pd.DataFrame:
    """(c) DuckDB SQL straight from the CSV, no validation."""
    import duckdb

    sql = f"""
    WITH d AS MATERIALIZED (
        SELECT deal_stage AS s, engage_date AS e, close_date AS c, close_value AS v
        FROM read_csv('{path}', header = true, columns = {{
            'opportunity_id': 'VARCHAR', 'sales_agent': 'VARCHAR', 'product': 'VARCHAR',
            'account': 'VARCHAR', 'deal_stage': 'VARCHAR', 'engage_date': 'DATE',
            'close_date': 'DATE', 'close_value': 'DOUBLE'}})
    ),
    created AS (
        SELECT date_trunc('month', e) AS m, count(*) AS n FROM d WHERE e IS NOT NULL GROUP BY 1
    ),
    closed AS (
        SELECT date_trunc('month', c) AS m,
               count(*) FILTER (WHERE s = 'Won') AS won,
               count(*) FILTER (WHERE s = 'Lost') AS lost,
               coalesce(sum(v) FILTER (WHERE s = 'Won'), 0) AS rev,
               median(c - e) FILTER (WHERE e IS NOT NULL AND c >= e) AS cyc,
               count(*) FILTER (WHERE e IS NOT NULL) AS ends
        FROM d WHERE s IN ('Won', 'Lost') GROUP BY 1
    ),
    bounds AS (
        SELECT min(m) AS lo, max(m) AS hi
        FROM (SELECT m FROM created UNION ALL SELECT m FROM closed)
    ),
    months AS (SELECT unnest(generate_series(lo, hi, INTERVAL 1 MONTH)) AS m FROM bounds)
    SELECT strftime(months.m, '%Y-%m') AS month,
           coalesce(n, 0) AS new_opportunities,
           coalesce(won, 0) AS deals_won,
           coalesce(lost, 0) AS deals_lost,
           coalesce(rev, 0) AS revenue,
           won / nullif(won + lost, 0) AS win_rate,
           rev / nullif(won, 0) AS avg_deal_size,
           cyc AS sales_cycle_days,
           sum(coalesce(n, 0) - coalesce(ends, 0)) OVER (ORDER BY months.m) AS open_pipeline
    FROM months LEFT JOIN created USING (m) LEFT JOIN closed USING (m)
    ORDER BY 1
    """
    return duckdb.sql(sql).df()


RUNNERS = {"import": run_import, "pandas": run_pandas, "duckdb": run_duckdb}


def best_of(func, path: Path, repeat: int) -> tuple[float, pd.DataFrame]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(path)
        times.append(time.perf_counter() - start)
    return min(times), result


def same_figures(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """True when two monthly tables agree (months, counts exactly, ratios to 1e-9, money to
    half a cent: the kit writes money rounded to cents)."""
    if list(a["month"]) != list(b["month"]):
        return False
    for col in KPI_COLUMNS:
        x = a[col].to_numpy(dtype=float)
        y = b[col].to_numpy(dtype=float)
        atol = 0.005 if col in ("revenue", "avg_deal_size") else 1e-9
        if not np.allclose(x, y, rtol=1e-9, atol=atol, equal_nan=True):
            return False
    return True


def _status_kib(field: str) -> int | None:
    """A memory figure of this process from /proc (Linux), in KiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def child(kind: str, path: Path) -> None:
    """Run one method once in a fresh process; print its peak memory as JSON."""
    import tracemalloc

    # VmHWM (peak RSS) starts afresh with this process's own memory map; ru_maxrss would
    # not do: Linux carries the parent's peak over into a forked-and-exec'd child.
    before = _status_kib("VmRSS") or 0
    tracemalloc.start()
    RUNNERS[kind](path)
    _, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak = _status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rss_kib": peak, "rss_before_kib": before, "traced_bytes": traced}))


def peak_memory(kind: str, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows to generate")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per method (best)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0

    with tempfile.TemporaryDirectory(prefix="bench_import_") as tmp:
        path = Path(tmp) / "sales_pipeline.csv"
        start = time.perf_counter()
        generate(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(
            f"generated {args.rows:,} rows ({size_mb:.1f} MB) in "
            f"{time.perf_counter() - start:.1f} s"
        )
        # Warm the page cache and the imports so no method pays for them alone.
        path.read_bytes()
        run_import(path)
        run_duckdb(path)

        times, results = {}, {}
        for kind in ("import", "pandas", "duckdb"):
            times[kind], results[kind] = best_of(RUNNERS[kind], path, args.repeat)
        agree = same_figures(results["import"], results["duckdb"]) and same_figures(
            results["import"], results["pandas"]
        )
        mem = {kind: peak_memory(kind, path) for kind in ("import", "duckdb")}

    labels = {
        "import": "(a) roi_kit import_opportunities (validated)",
        "pandas": "(b) pandas read_csv + groupby",
        "duckdb": "(c) DuckDB SQL",
    }
    print(f"best of {args.repeat}:")
    for kind, label in labels.items():
        print(f"  {label:<46} {times[kind]:7.3f} s")
    ratio_duck = times["import"] / times["duckdb"]
    ratio_pandas = times["import"] / times["pandas"]
    print(f"  import / DuckDB: {ratio_duck:.2f}x (target <= 1.5x)")
    print(f"  import / pandas: {ratio_pandas:.2f}x")
    print(f"  monthly figures identical across the three: {'yes' if agree else 'NO'}")
    for kind in ("import", "duckdb"):
        m = mem[kind]
        line = (
            f"  peak RSS {labels[kind][:3]} {kind:<6}: {m['rss_kib'] / 1024:7.1f} MiB "
            f"(RSS before the run, after imports: {m['rss_before_kib'] / 1024:.1f} MiB)"
        )
        if kind == "import":
            line += f", tracemalloc peak {m['traced_bytes'] / 2**20:.1f} MiB"
        print(line)
    print(
        f"  peak RSS of import under 1 GiB: {'yes' if mem['import']['rss_kib'] < 2**20 else 'NO'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
