"""Checked deals -> the monthly KPI table, per group: grouping and aggregation.

Every figure is one :func:`numpy.bincount` over an integer key per (group, month) cell;
see the module docstring of :mod:`roi_kit.io.crm_export` for what each column counts.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.errors import EmptyFileError, MissingColumnError
from roi_kit.io.crm_deals import _MAX_LISTED, _Deals
from roi_kit.io.crm_formats import Mapping, _norm

__all__: list[str] = []

_TEAMS_FILE = "sales_teams.csv"


def _resolve_by(by: str, mapping: Mapping, header: list[str], path: Path) -> tuple[str, str]:
    """Return (kind, column): kind "column" (in the export) or "teams" (in sales_teams.csv)."""
    if by in header:
        return "column", by
    if by in mapping.columns:
        return "column", mapping.columns[by]
    by_key = {_norm(h): h for h in header}
    if _norm(by) in by_key:
        return "column", by_key[_norm(by)]
    teams = path.parent / _TEAMS_FILE
    owner = mapping.columns.get("owner")
    if teams.is_file() and owner:
        with teams.open(newline="", encoding="utf-8-sig") as handle:
            team_header = next(csv.reader(handle), [])
        if by in team_header and owner in team_header:
            return "teams", by
    raise MissingColumnError(
        f"cannot group by {by!r}: it is not a column of the export"
        + (f" nor of {_TEAMS_FILE} beside it" if teams.is_file() else ""),
        file=path,
        column=by,
        found=header,
        fix="use one of the export's columns, a field name such as 'owner', or put a "
        f"{_TEAMS_FILE} (with the owner column and the group column) beside the export",
    )


def _groups(
    table: pa.Table, kind: str, column: str, mapping: Mapping, path: Path
) -> tuple[np.ndarray, list[str], list[str]]:
    """Group code per row and the group labels."""
    source = column if kind == "column" else mapping.columns["owner"]
    enc = table.column(source).combine_chunks().dictionary_encode()
    values = [v if v is not None and v.strip() else "(blank)" for v in enc.dictionary.to_pylist()]
    codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False)
    warnings: list[str] = []
    if kind == "teams":
        teams_path = path.parent / _TEAMS_FILE
        with teams_path.open(newline="", encoding="utf-8-sig") as handle:
            team_of = {r[source]: (r[column] or "(blank)") for r in csv.DictReader(handle)}
        missing = sorted({v for v in values if v not in team_of})
        if missing:
            warnings.append(
                f"{len(missing)} owner(s) not in {_TEAMS_FILE}, grouped as '(no team)': "
                + ", ".join(missing[:_MAX_LISTED])
            )
        values = [team_of.get(v, "(no team)") for v in values]
    if (codes < 0).any():
        values = [*values, "(blank)"]
        codes = np.where(codes < 0, len(values) - 1, codes)
    labels = sorted(set(values))
    remap = np.array([labels.index(v) for v in values], dtype=np.int64)
    return remap[codes], labels, warnings


# --- aggregation -----------------------------------------------------------------------------


def _month_of(days: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Months since 1970-01 (int64) of days since 1970-01-01 (0 where not ``valid``)."""
    if not valid.any():
        return np.zeros(days.shape, dtype=np.int64)
    # A lookup table over the few thousand days spanned is ~10x faster than converting a
    # million datetime64 values.
    lo, hi = int(days[valid].min()), int(days[valid].max())
    table = np.arange(lo, hi + 1).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return table[np.clip(days, lo, hi) - lo]


def _segment_median(keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Median of non-negative integer ``values`` per integer key in [0, size); NaN if none."""
    out = np.full(size, np.nan)
    if keys.size == 0:
        return out
    # One sort of a combined int64 (key major, value minor) is much faster than a lexsort.
    span = int(values.max()) + 1
    combined = np.sort(keys.astype(np.int64) * span + values)
    k, v = combined // span, combined % span
    starts = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    counts = np.diff(np.r_[starts, k.size])
    lo = v[starts + (counts - 1) // 2].astype(np.float64)
    hi = v[starts + counts // 2].astype(np.float64)
    out[k[starts]] = (lo + hi) / 2.0
    return out


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    out = np.full(num.shape, np.nan)
    np.divide(num, den, out=out, where=den > 0)
    return out


def _aggregate(
    deals: _Deals, group: np.ndarray, labels: list[str], by: str | None, path: Path
) -> tuple[pd.DataFrame, list[str]]:
    """The monthly table: one row per (group, month), months without gaps."""
    d = deals
    if d.kept is not None:
        # Some records were left out (far-future dates): group codes are per file record.
        group = group[d.kept]
    warnings: list[str] = []
    created_m = _month_of(d.created, d.has_created)
    close_m = _month_of(d.close, d.has_close)
    months_seen = np.concatenate([created_m[d.has_created], close_m[d.closed]])
    if months_seen.size == 0:
        raise EmptyFileError("no deal has a created or close date", file=path)
    m0, m1 = int(months_seen.min()), int(months_seen.max())
    n_months, n_groups = m1 - m0 + 1, len(labels)
    size = n_months * n_groups
    # One integer key per (group, month) cell, so that every figure is one bincount.
    key_created = group * n_months + (created_m - m0)
    key_close = group * n_months + (close_m - m0)

    def count(mask: np.ndarray, keys: np.ndarray, weights: np.ndarray | None = None):
        w = None if weights is None else weights[mask]
        return np.bincount(keys[mask], weights=w, minlength=size)

    new = count(d.has_created, key_created)
    n_won = count(d.won, key_close)
    n_lost = count(d.lost, key_close)
    revenue = count(d.won, key_close, d.amount)
    cyc = d.closed & d.has_created & ~d.backwards
    cycle = _segment_median(key_close[cyc], (d.close - d.created)[cyc], size)
    # Open at the end of month m: created in month <= m and (open now, or closed in a month
    # > m). So +1 in the created month and -1 in the close month, summed over the months.
    in_pipe = d.has_created & ~d.backwards
    ends = in_pipe & d.closed
    delta = count(in_pipe, key_created) - count(ends, key_close)
    pipeline = np.cumsum(delta.reshape(n_groups, n_months), axis=1).ravel()

    if d.closed.any() and d.has_created.any():
        first_close, first_created = (
            int(close_m[d.closed].min()),
            int(created_m[d.has_created].min()),
        )
        if first_close > first_created:
            warnings.append(
                f"the first close is in {_label(first_close)} but deals were created from "
                f"{_label(first_created)}: the months before {_label(first_close)} show no won "
                "or lost deals - check the export covers them before using them as a baseline"
            )

    month_labels = [_label(m) for m in range(m0, m1 + 1)]
    data: dict[str, Any] = {"month": np.tile(month_labels, n_groups)}
    if by is not None:
        data[by] = np.repeat(labels, n_months)
    data.update(
        new_opportunities=new.astype(np.int64),
        deals_won=n_won.astype(np.int64),
        deals_lost=n_lost.astype(np.int64),
        revenue=revenue,
        win_rate=_ratio(n_won, n_won + n_lost),
        avg_deal_size=_ratio(revenue, n_won),
        sales_cycle_days=cycle,
        open_pipeline=pipeline.astype(np.int64),
    )
    open_no_amount = ~d.closed & np.isnan(d.amount)
    if (~d.closed & ~np.isnan(d.amount)).any():
        # Only when open deals carry amounts: a pipeline valued by the deals that later
        # closed alone (the dataset) would be biased.
        value = np.where(np.isnan(d.amount), 0.0, d.amount)
        pipe_value = count(in_pipe, key_created, value) - count(ends, key_close, value)
        data["open_pipeline_value"] = np.cumsum(
            pipe_value.reshape(n_groups, n_months), axis=1
        ).ravel()
        if open_no_amount.any():
            warnings.append(
                f"{int(open_no_amount.sum())} open deal(s) have no amount: "
                "open_pipeline_value counts them as 0"
            )
    return pd.DataFrame(data), warnings


def _label(month: int) -> str:
    return f"{1970 + month // 12:04d}-{month % 12 + 1:02d}"
