"""Comparison tables built by hand (the columns of ``roi_kit.measure.compare_all``).

Tests of the money model and its views use them so that their expected values rest on a
fixed, written measurement, not on whatever the comparison methods estimate today; the rule
that picks a method and the verdict are tested on them too (tests/study/test_verdict.py).
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["COLUMNS", "row", "table", "sample_measurement"]

COLUMNS = [
    "kpi",
    "method",
    "baseline",
    "after",
    "change",
    "pct_change",
    "low",
    "high",
    "excludes_zero",
    "improvement",
    "reading",
    "note",
    "mde",
    "mde_pct",
    "valid",
    "validity",
]
_LOWER_BETTER = {"sales_cycle_days", "churned_customers", "operating_cost", "acquisition_cost"}


def row(kpi, method, *, base, change, half=None, low=None, high=None, valid=True, validity="",
        note="", mde=math.nan):  # fmt: skip
    """One comparison row: ``change`` with interval ``change +- half`` (or ``low, high``)."""
    low = change - half if low is None else low
    high = change + half if high is None else high
    excludes = low > 0 or high < 0
    better = change < 0 if kpi in _LOWER_BETTER else change > 0
    return {
        "kpi": kpi,
        "method": method,
        "baseline": base,
        "after": base + change,
        "change": change,
        "pct_change": change / base,
        "low": low,
        "high": high,
        "excludes_zero": excludes,
        "improvement": excludes and better,
        "reading": f"{kpi} by {method}",
        "note": note,
        "mde": mde,
        "mde_pct": abs(mde / base),
        "valid": valid,
        "validity": validity,
    }


def table(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


def sample_measurement() -> pd.DataFrame:
    """The sample's money KPIs by the counterfactual, as the kit measured them before the
    interval work of issue 12 (revenue and sales cycle exclude zero; churn and operating
    cost do not). Baselines are North's 2022-01..2023-12 means."""
    return table(
        row("revenue", "counterfactual", base=475_637.0, change=54_128.345139,
            low=4_866.028003, high=103_390.662275),
        row("sales_cycle_days", "counterfactual", base=63.6, change=-6.35,
            low=-8.527877, high=-4.172123),
        row("churned_customers", "counterfactual", base=13.0, change=-1.277778,
            low=-4.294668, high=1.739112),
        row("operating_cost", "counterfactual", base=210_000.0, change=4_064.604722,
            low=-1_262.500342, high=9_391.709786),
    )  # fmt: skip
