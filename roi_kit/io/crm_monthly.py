"""Checked deals -> the monthly KPI table, per group: grouping and aggregation.

Every figure is one :func:`numpy.bincount` over an integer key per (group, month) cell;
see the module docstring of :mod:`roi_kit.io.crm_export` for what each column counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.errors import EmptyFileError, MissingColumnError
from roi_kit.io.crm_deals import _Deals
from roi_kit.io.crm_formats import Mapping, _norm
from roi_kit.io.crm_teams import NO_TEAM, TEAMS_FILE, Teams, _unmatched_warning

__all__: list[str] = []


def _resolve_key(
    key: str, mapping: Mapping, header: list[str], teams: Teams | None, path: Path
) -> tuple[str, str]:
    """Return (kind, column): kind "column" (of the export) or "teams" (of the teams file)."""
    if key in header:
        return "column", key
    if key in mapping.columns:
        return "column", mapping.columns[key]
    by_key = {_norm(h): h for h in header}
    if _norm(key) in by_key:
        return "column", by_key[_norm(key)]
    if teams is not None and mapping.columns.get("owner") and teams.column(key):
        return "teams", str(teams.column(key))
    where = f" nor of the teams file {teams.path.name}" if teams is not None else ""
    raise MissingColumnError(
        f"cannot group by {key!r}: it is not a column of the export{where}",
        file=path,
        column=key,
        found=header + (list(teams.columns) if teams is not None else []),
        fix="use one of the export's columns, a field name such as 'owner', or a column of a "
        f"teams file named with --teams FILE (or a {TEAMS_FILE} beside the export)",
    )


def _group_codes(
    table: pa.Table, kind: str, column: str, mapping: Mapping, teams: Teams | None
) -> tuple[np.ndarray, list[str]]:
    """Code per row (index into the returned values) of one grouping key."""
    source = column if kind == "column" else mapping.columns["owner"]
    enc = table.column(source).combine_chunks().dictionary_encode()
    values = [v if v is not None and v.strip() else "(blank)" for v in enc.dictionary.to_pylist()]
    codes = pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    if kind == "teams" and teams is not None:
        values = [teams.value(v, column) for v in values]
    if (codes < 0).any():
        values = [*values, NO_TEAM if kind == "teams" else "(blank)"]
        codes = np.where(codes < 0, len(values) - 1, codes)
    return codes, values


def _groups(
    table: pa.Table,
    keys: list[tuple[str, str]],
    mapping: Mapping,
    teams: Teams | None,
) -> tuple[np.ndarray, list[tuple[str, ...]], list[str]]:
    """Combined group code per row and the sorted label tuples (one part per key)."""
    warnings: list[str] = []
    if any(kind == "teams" for kind, _ in keys) and teams is not None:
        owners = pc.unique(table.column(mapping.columns["owner"])).to_pylist()
        warnings += _unmatched_warning(teams, owners)
    combined = np.zeros(table.num_rows, dtype=np.int64)
    names: list[list[str]] = []
    for kind, column in keys:
        codes, values = _group_codes(table, kind, column, mapping, teams)
        distinct = sorted(set(values))
        remap = np.array([distinct.index(v) for v in values], dtype=np.int64)
        combined = combined * len(distinct) + remap[codes]
        names.append(distinct)
    # Only the combinations that occur (an agent sits in one region, not in all of them),
    # in the order of their labels: mixed-radix codes sort as the label tuples do.
    present, inverse = np.unique(combined, return_inverse=True)
    labels = []
    for code in present.tolist():
        parts = []
        for distinct in reversed(names):
            code, k = divmod(code, len(distinct))
            parts.append(distinct[k])
        labels.append(tuple(reversed(parts)))
    return inverse.astype(np.int64).ravel(), labels, warnings


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


@dataclass(frozen=True)
class _Span:
    """What the monthly table covers: its months, and what was trimmed or looks partial."""

    trimmed: tuple[str, str] | None  # first and last month left out before the first close
    blanked: int  # group cells before their own first close, written blank
    partial: str | None  # the last month, when the export seems to end inside it
    last_day: str  # the latest date in the export (YYYY-MM-DD)


def _figures(
    d: _Deals, group: np.ndarray, n_groups: int, m0: int, n_months: int
) -> tuple[dict[str, np.ndarray], list[str]]:
    """Every KPI as one array over the (group, month) cells, group major."""
    created_m = _month_of(d.created, d.has_created)
    close_m = _month_of(d.close, d.has_close)
    size = n_months * n_groups
    # One integer key per (group, month) cell, so that every figure is one bincount.
    key_created = group * n_months + (created_m - m0)
    key_close = group * n_months + (close_m - m0)

    def count(mask: np.ndarray, keys: np.ndarray, weights: np.ndarray | None = None):
        w = None if weights is None else weights[mask]
        return np.bincount(keys[mask], weights=w, minlength=size)

    n_won = count(d.won, key_close)
    n_lost = count(d.lost, key_close)
    revenue = count(d.won, key_close, d.amount)
    cyc = d.closed & d.has_created & ~d.backwards
    # Open at the end of month m: created in month <= m and (open now, or closed in a month
    # > m). So +1 in the created month and -1 in the close month, summed over the months.
    in_pipe = d.has_created & ~d.backwards
    ends = in_pipe & d.closed
    delta = count(in_pipe, key_created) - count(ends, key_close)
    out = {
        "new_opportunities": count(d.has_created, key_created),
        "deals_won": n_won,
        "deals_lost": n_lost,
        "revenue": revenue,
        "win_rate": _ratio(n_won, n_won + n_lost),
        "avg_deal_size": _ratio(revenue, n_won),
        "sales_cycle_days": _segment_median(key_close[cyc], (d.close - d.created)[cyc], size),
        "open_pipeline": np.cumsum(delta.reshape(n_groups, n_months), axis=1).ravel(),
    }
    warnings: list[str] = []
    if (~d.closed & ~np.isnan(d.amount)).any():
        # Only when open deals carry amounts: a pipeline valued by the deals that later
        # closed alone (the dataset) would be biased.
        value = np.where(np.isnan(d.amount), 0.0, d.amount)
        pipe_value = count(in_pipe, key_created, value) - count(ends, key_close, value)
        out["open_pipeline_value"] = np.cumsum(
            pipe_value.reshape(n_groups, n_months), axis=1
        ).ravel()
        open_no_amount = ~d.closed & np.isnan(d.amount)
        if open_no_amount.any():
            warnings.append(
                f"{int(open_no_amount.sum())} open deal(s) have no amount: "
                "open_pipeline_value counts them as 0"
            )
    return out, warnings


#: Columns whose figure only exists once deals close: blank (unknown) before a group's first
#: close, not zero.
_OUTCOME_COLUMNS = ("deals_won", "deals_lost", "revenue")
_COUNT_COLUMNS = ("new_opportunities", "deals_won", "deals_lost", "open_pipeline")
_MONEY_COLUMNS = ("revenue", "avg_deal_size", "open_pipeline_value")
#: A last month whose latest date is this many days or more before its end looks partial.
_PARTIAL_DAYS = 7


def _aggregate(
    deals: _Deals, group: np.ndarray, labels: list[tuple[str, ...]], names: list[str], path: Path
) -> tuple[pd.DataFrame, _Span, list[str]]:
    """The monthly table: one row per (group, month) from the first close, without gaps.

    Months before the first close of any deal are left out (the export holds no outcome
    there: zero revenue would be a fiction); inside the table, a group's months before its
    own first close have blank won/lost/revenue. Money is rounded to cents.
    """
    d = deals
    if d.kept is not None:
        # Some records were left out (far-future dates): group codes are per file record.
        group = group[d.kept]
    created_m = _month_of(d.created, d.has_created)
    close_m = _month_of(d.close, d.has_close)
    months_seen = np.concatenate([created_m[d.has_created], close_m[d.closed]])
    if months_seen.size == 0:
        raise EmptyFileError("no deal has a created or close date", file=path)
    if not d.closed.any():
        raise EmptyFileError(
            "no deal is won or lost: there is no month with an outcome to count",
            file=path,
            fix="export closed deals too (stages won and lost), not only the open pipeline",
        )
    m0, m1 = int(months_seen.min()), int(months_seen.max())
    n_months, n_groups = m1 - m0 + 1, len(labels)
    figures, warnings = _figures(d, group, n_groups, m0, n_months)
    first = int(close_m[d.closed].min()) - m0
    keep = np.arange(first, n_months)
    closes = (figures["deals_won"] + figures["deals_lost"]).reshape(n_groups, n_months)
    # Per group: months before its first close (a rep hired later, a region opened later).
    seen = np.cumsum(closes, axis=1) > 0
    before = ~seen[:, keep]
    data: dict[str, Any] = {"month": np.tile([_label(m0 + m) for m in keep], n_groups)}
    for j, name in enumerate(names):
        data[name] = np.repeat([lab[j] for lab in labels], len(keep))
    for column, values in figures.items():
        cells = values.reshape(n_groups, n_months)[:, keep].astype(np.float64)
        if column in _OUTCOME_COLUMNS:
            cells = np.where(before, np.nan, cells)
        if column in _MONEY_COLUMNS:
            cells = np.round(cells, 2)  # cents: sums of amounts carry float noise
        series = pd.Series(cells.ravel())
        data[column] = series.astype("Int64") if column in _COUNT_COLUMNS else series
    span = _span(d, m0, first, int(before.sum()), m1)
    return pd.DataFrame(data), span, warnings


def _span(d: _Deals, m0: int, first: int, blanked: int, m1: int) -> _Span:
    """What was trimmed, and whether the export seems to end inside its last month."""
    latest = int(max(d.created[d.has_created].max(initial=-(10**6)), d.close[d.closed].max()))
    next_month = np.datetime64(_label(m1 + 1), "D").astype(np.int64)
    partial = _label(m1) if next_month - latest > _PARTIAL_DAYS else None
    trimmed = (_label(m0), _label(m0 + first - 1)) if first > 0 else None
    return _Span(trimmed, blanked, partial, str(np.datetime64(latest, "D")))


def _span_notes(span: _Span) -> list[str]:
    """The import summary's notes on the months."""
    notes = []
    if span.trimmed:
        lo, hi = span.trimmed
        notes.append(
            f"left out {lo} .. {hi}: no deal closed before {_label(_month_num(hi) + 1)}, so "
            "those months have no won or lost figures (not zero revenue); deals created then "
            "still count in open_pipeline"
        )
    if span.blanked:
        notes.append(
            f"{span.blanked} group-month(s) before their group's first close have blank "
            "deals_won, deals_lost and revenue (unknown, not zero)"
        )
    if span.partial:
        notes.append(
            f"the last month {span.partial} looks partial (latest date in the export: "
            f"{span.last_day}); leave it out of the after period, or export again after the "
            "month has ended"
        )
    return notes


def _month_num(label: str) -> int:
    return (int(label[:4]) - 1970) * 12 + int(label[5:7]) - 1


def _label(month: int) -> str:
    return f"{1970 + month // 12:04d}-{month % 12 + 1:02d}"
