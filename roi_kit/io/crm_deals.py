"""A CRM export's columns -> checked deal arrays: outcomes, amounts, repeated IDs.

Dates are parsed and checked by :mod:`roi_kit.io.crm_dates`.

Each check refuses what cannot be counted with the spreadsheet row (header = row 1); what is
counted in a particular way becomes a warning (:func:`_deal_warnings`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from roi_kit.errors import BadValueError, DuplicateRowError
from roi_kit.io.crm_dates import _check_years, _first, _parse_dates
from roi_kit.io.crm_formats import _LOST, _OPEN, _OUTCOME_CODE, _WON, Mapping, _norm, _stage_outcome

__all__: list[str] = []

_MAX_LISTED = 5


def _rows(mask: np.ndarray, kept: np.ndarray | None = None) -> list[int]:
    """Spreadsheet row numbers (header = row 1) of the first flagged records.

    ``kept`` maps positions in ``mask`` to positions in the file when some records were
    left out (:attr:`_Deals.kept`).
    """
    positions = np.flatnonzero(mask)[:_MAX_LISTED]
    if kept is not None:
        positions = kept[positions]
    return [int(i) + 2 for i in positions]


_PLAIN_NUMBER = r"^-?(\d+|\d{1,3}(,\d{3})+)?(\.\d*)?([eE][-+]?\d+)?$"


def _parse_amount(table: pa.Table, name: str, path: Path) -> np.ndarray:
    """Amounts as float64 (NaN where blank); currency signs and thousands commas allowed."""
    col = table.column(name)
    try:
        return pc.fill_null(pc.cast(col, pa.float64()), np.nan).to_numpy()
    except pa.ArrowInvalid:
        pass  # not plain numbers: the slower path below finds out why
    # "$1,234.50", "USD 1,234.50", "1 234.50": drop the currency and spaces; keep commas
    # only where they group thousands (a decimal comma must not turn 1,5 into 15).
    clean = pc.replace_substring_regex(
        pc.utf8_trim_whitespace(col), "^[A-Z]{3}\\s*|[$€£¥\\s\u00a0]", ""
    )
    # A value is bad when the file has one that is not a number once cleaned ("-" alone
    # or a bare "$" clean to nothing or a sign: refused too).
    ok = pc.and_(
        pc.match_substring_regex(clean, _PLAIN_NUMBER),
        pc.match_substring_regex(clean, r"\d"),
    )
    bad = pc.fill_null(pc.and_(pc.is_valid(col), pc.invert(ok)), False).to_numpy(
        zero_copy_only=False
    )
    if bad.any():
        i = _first(bad)
        raise BadValueError(
            f"{int(bad.sum())} value(s) are not an amount",
            file=path,
            row=i + 2,
            column=name,
            found=col[i].as_py(),
            fix="write amounts as plain numbers with a dot for decimals, e.g. 1234.50",
        )
    values = pc.cast(pc.replace_substring(clean, ",", ""), pa.float64())
    return pc.fill_null(values, np.nan).to_numpy()


_TRUE = {"1", "true", "yes", "y", "x", "wahr", "vrai"}
_FALSE = {"0", "false", "no", "n", "", "falsch", "faux"}


def _flag(table: pa.Table, name: str, path: Path) -> np.ndarray:
    col = pc.utf8_lower(pc.utf8_trim_whitespace(pc.fill_null(table.column(name), "")))
    uniq = pc.unique(col).to_pylist()
    unknown = [u for u in uniq if u not in _TRUE | _FALSE]
    if unknown:
        i = _first(pc.equal(col, unknown[0]).to_numpy(zero_copy_only=False))
        raise BadValueError(
            "not a yes/no flag",
            file=path,
            row=i + 2,
            column=name,
            found=table.column(name)[i].as_py(),
            fix="use 1/0 or true/false",
        )
    return pc.is_in(col, pa.array(sorted(_TRUE))).to_numpy(zero_copy_only=False)


def _outcomes(
    table: pa.Table, mapping: Mapping, path: Path
) -> tuple[np.ndarray, dict[str, str], list[str]]:
    """Outcome code per row (0 open, 1 won, 2 lost) and the stage mapping as applied."""
    stage_col = mapping.columns["stage"]
    col = pc.fill_null(table.column(stage_col), "")
    uniq = pc.unique(col)
    names = uniq.to_pylist()
    idx = pc.index_in(col, uniq).to_numpy(zero_copy_only=False)
    warnings: list[str] = []
    flags = {"won_flag", "closed_flag"} <= set(mapping.columns)
    if flags:
        won = _flag(table, mapping.columns["won_flag"], path)
        closed = _flag(table, mapping.columns["closed_flag"], path)
        codes = np.where(closed, np.where(won, _WON, _LOST), _OPEN).astype(np.int8)
        applied: dict[str, str] = {}
        code_name = {v: k for k, v in _OUTCOME_CODE.items()}
        for k, name in enumerate(names):
            seen = np.unique(codes[idx == k])
            applied[name or "(blank)"] = "/".join(code_name[int(c)] for c in seen)
            if len(seen) > 1:
                warnings.append(
                    f"stage {name!r} is {applied[name or '(blank)']} by the Won/Closed flags"
                )
        return codes, applied, warnings
    known = {_norm(s): o for s, o in mapping.stages.items()}
    lookup = np.empty(len(names), dtype=np.int8)
    applied = {}
    unknown = []
    for k, name in enumerate(names):
        outcome = _stage_outcome(name, known)
        if outcome is None:
            unknown.append(name)
            continue
        lookup[k] = _OUTCOME_CODE[outcome]
        applied[name] = outcome
    if unknown:
        shown = ", ".join(repr(u) if u else "(blank)" for u in unknown)
        example = ", ".join(f"{u!r}: 'won|lost|open'" for u in unknown[:3])
        i = _first(np.isin(idx, [names.index(u) for u in unknown]))
        raise BadValueError(
            f"unknown stage name(s) {shown}: the kit cannot tell whether they are won, lost "
            f"or open (stage mapping in use: {applied})",
            file=path,
            row=i + 2,
            column=stage_col,
            found=unknown[0],
            fix=f"map them, e.g. mapping={{'stages': {{{example}}}}} (or stages: in case.yml)",
        )
    return lookup[idx], applied, warnings


@dataclass(frozen=True)
class _Deals:
    """One export's deals as arrays (one element per row)."""

    won: np.ndarray  # bool
    lost: np.ndarray  # bool
    closed: np.ndarray  # bool: won or lost
    created: np.ndarray  # int64 days since 1970-01-01 (0 where missing)
    has_created: np.ndarray  # bool
    close: np.ndarray  # int64 days since 1970-01-01 (0 where missing)
    has_close: np.ndarray  # bool
    amount: np.ndarray  # float64, NaN where blank
    backwards: np.ndarray  # bool: closed before created
    stage_mapping: dict[str, str]
    # Positions (0-based records of the file) of the deals kept, when some were left out
    # (dated far in the future); None when every record is a deal here.
    kept: np.ndarray | None = None

    def subset(self, keep: np.ndarray) -> _Deals:
        """The deals where ``keep`` is True, remembering their positions in the file."""
        positions = np.flatnonzero(keep) if self.kept is None else self.kept[keep]
        arrays = {
            name: getattr(self, name)[keep]
            for name in (
                "won",
                "lost",
                "closed",
                "created",
                "has_created",
                "close",
                "has_close",
                "amount",
                "backwards",
            )
        }
        return _Deals(**arrays, stage_mapping=self.stage_mapping, kept=positions)


#: Dates more than this many days after the export was saved (or today, if later) cannot be
#: real: a won deal closes by the day of the export. A year of slack allows for clocks and
#: copies; beyond it the date is a typo (2099 for 2019) that would add empty months.
FUTURE_SLACK_DAYS = 365


def _future_cutoff(path: Path) -> int:
    """The last plausible day (days since 1970-01-01): a year after the file time or today."""
    day = 86_400
    try:
        saved = int(path.stat().st_mtime // day)
    except OSError:
        saved = 0
    return max(saved, int(time.time() // day)) + FUTURE_SLACK_DAYS


def _drop_future(deals: _Deals, used: Mapping, path: Path) -> tuple[_Deals, list[str]]:
    """Leave out deals created, or closed, more than a year after the export was saved.

    They are dropped with a warning rather than refused: one typo in a large export should
    not block the import, and counting them would add empty months out to the typo's year.
    """
    cutoff = _future_cutoff(path)
    future = (deals.has_created & (deals.created > cutoff)) | (
        deals.closed & (deals.close > cutoff)
    )
    if not future.any():
        return deals, []
    limit = str(np.datetime64(cutoff, "D"))
    created_col, close_col = used.columns["created_date"], used.columns["close_date"]
    warning = (
        f"{int(future.sum())} deal(s) have a {created_col} or {close_col} after {limit}, more "
        f"than a year after the export was saved (rows {_rows(future, deals.kept)}): left out "
        "of every monthly figure and count (a typo in the year?); correct the dates and "
        "import again"
    )
    return deals.subset(~future), [warning]


def _parse_deals(table: pa.Table, used: Mapping, path: Path) -> tuple[_Deals, list[str]]:
    """Convert and check the columns; refuse what cannot be counted."""
    outcome, stage_mapping, warnings = _outcomes(table, used, path)
    created_col, close_col = used.columns["created_date"], used.columns["close_date"]
    dates, more = _parse_dates(table, [created_col, close_col], used.date_order, path)
    warnings += more
    created, has_created = dates[created_col]
    close, has_close = dates[close_col]
    _check_years(created, has_created, created_col, table, path)
    _check_years(close, has_close, close_col, table, path)
    amount = _parse_amount(table, used.columns["amount"], path)

    won, lost = outcome == _WON, outcome == _LOST
    closed = won | lost
    no_close = closed & ~has_close
    if no_close.any():
        raise BadValueError(
            f"{int(no_close.sum())} won/lost deal(s) have no close date (rows {_rows(no_close)})",
            file=path,
            row=_first(no_close) + 2,
            column=close_col,
            fix="fill in the close date, or correct the stage if the deal is still open",
        )
    no_value = won & np.isnan(amount)
    if no_value.any():
        raise BadValueError(
            f"{int(no_value.sum())} won deal(s) have no amount (rows {_rows(no_value)}); "
            "revenue would be understated",
            file=path,
            row=_first(no_value) + 2,
            column=used.columns["amount"],
            fix="fill in the amount (0 if the deal really had no value)",
        )
    negative = amount < 0
    if negative.any():
        i = _first(negative)
        raise BadValueError(
            "negative amount",
            file=path,
            row=i + 2,
            column=used.columns["amount"],
            found=float(amount[i]),
            fix="enter the deal's value as a positive number",
        )
    deals = _Deals(
        won=won,
        lost=lost,
        closed=closed,
        created=created,
        has_created=has_created,
        close=close,
        has_close=has_close,
        amount=amount,
        backwards=closed & has_created & (close < created),
        stage_mapping=stage_mapping,
    )
    deals, more = _drop_future(deals, used, path)
    return deals, warnings + more


def _deal_warnings(deals: _Deals, used: Mapping) -> list[str]:
    """What the user should know about deals that were counted in a particular way."""
    warnings = []
    created_col, close_col = used.columns["created_date"], used.columns["close_date"]
    if deals.backwards.any():
        warnings.append(
            f"{int(deals.backwards.sum())} closed deal(s) close before they were created (rows "
            f"{_rows(deals.backwards, deals.kept)}): counted in their close month, left out of "
            "sales_cycle_days and open_pipeline"
        )
    undated = ~deals.has_created
    if undated.any():
        warnings.append(
            f"{int(undated.sum())} deal(s) have no {created_col} "
            f"(rows {_rows(undated, deals.kept)}; "
            f"{int((undated & ~deals.closed).sum())} open): not counted in new_opportunities or "
            "open_pipeline"
            + (", nor in sales_cycle_days" if (undated & deals.closed).any() else "")
        )
    expected = ~deals.closed & deals.has_close
    if expected.any():
        warnings.append(
            f"{int(expected.sum())} open deal(s) have a {close_col}: for an open deal it is "
            "the expected close, so it is ignored"
        )
    return warnings


def _repeated_ids(ids: pa.ChunkedArray) -> bool:
    """True if some ID (blanks aside) appears twice."""
    arr = ids.combine_chunks()
    if arr.null_count:
        arr = arr.drop_null()
    if len(arr) < 2:
        return False
    keys = _fixed_width_keys(arr)
    if keys is not None:
        keys.sort()
        if not (keys[1:] == keys[:-1]).any():
            return False
        # Equal keys: certain for IDs of up to 8 bytes, a (rare) hash collision otherwise;
        # the exact check below settles it.
    return len(pc.unique(arr)) < len(arr)


_MIX = np.uint64(0x9E3779B97F4A7C15)


def _fixed_width_keys(arr: pa.StringArray) -> np.ndarray | None:
    """One uint64 per ID when all IDs have the same length, else None.

    Exports use fixed-width IDs (Salesforce 15/18 characters, the dataset 8): their bytes
    viewed as integers sort ~10x faster than hashing a million strings.
    """
    offsets = np.frombuffer(
        arr.buffers()[1], dtype=np.int32, count=len(arr) + 1, offset=arr.offset * 4
    )
    width = int(offsets[1] - offsets[0])
    if width == 0 or width > 64 or int(offsets[-1] - offsets[0]) != width * len(arr):
        return None
    if not (np.diff(offsets) == width).all():
        return None
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
    words = -(-width // 8)
    padded = np.zeros((len(arr), words * 8), dtype=np.uint8)
    padded[:, :width] = data.reshape(len(arr), width)
    parts = padded.view(np.uint64)
    keys = parts[:, 0].copy()
    for k in range(1, words):
        # Mix the next 8 bytes in (wrapping uint64 arithmetic, as a hash does).
        keys = (keys ^ (keys >> np.uint64(29))) * _MIX + parts[:, k]
    return keys


def _raise_duplicate(ids: pa.ChunkedArray, column: str, path: Path) -> None:
    values = ids.to_pandas()
    dup = values.duplicated(keep=False).to_numpy() & values.notna().to_numpy()
    if not dup.any():
        # Only blanks repeat: an ID column with gaps is not a duplicate.
        return
    first = values[dup].iloc[0]
    rows = [int(i) + 2 for i in np.flatnonzero((values == first).to_numpy())[:_MAX_LISTED]]
    raise DuplicateRowError(
        f"{int(dup.sum())} rows share an opportunity ID; {first!r} is in rows {rows}",
        file=path,
        row=rows[0],
        column=column,
        found=first,
        fix="remove the repeated rows (a report grouped by product repeats opportunities)",
    )
