"""Fuzzing the table reader and the CRM importer: whatever the bytes, a table or a RoiKitError.

``tests/io/test_tables.py`` already fuzzes ``read_table`` with short random text; here the
inputs are random bytes for ``read_raw`` and the importer, and random *valid-looking* tables:
real header names, numbers written the ways spreadsheets write them, several separators and
encodings. Two properties: nothing but the kit's own :class:`RoiKitError` escapes, and a
table built only from well-formed cells reads back the numbers it was built from.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roi_kit.errors import RoiKitError
from roi_kit.io import import_opportunities, read_raw, read_table

__all__: list[str] = []

pytestmark = pytest.mark.slow

# Small enough for a few seconds per test; ROI_KIT_FUZZ_EXAMPLES=2000 for a long hunt.
EXAMPLES = int(os.environ.get("ROI_KIT_FUZZ_EXAMPLES", "60"))
FAST = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SPEC = {
    "month": "month",
    "region": "text",
    "revenue": "money",
    "deals_won": "count",
    "win_rate": "fraction",
    "sales_cycle_days": "nonneg",
}
HEADER_NAMES = ["month", "Month", "region", "revenue", "Revenue ", "deals_won", "win_rate", ""]
HEADER_NAMES += ["sales cycle days", "nps", "revenue", "区域"]
CELLS = [
    "2024-01",
    "2024-13",
    "Jan 2024",
    "01/02/2024",
    "31/01/2024",
    "2024-02-30",
    "45323",
    "1234.5",
    "1,234.50",
    "1.234,50",
    "1 234,50",
    "$1,234.50",
    "(1,000)",
    "-3",
    "12%",
    "150%",
    "0.25",
    "1e999",
    "nan",
    "#DIV/0!",
    "North",
    "Süd",
    "华北",
    "",
    " ",
    '"',
    "n/a",
    "2.5",
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "gb18030"]


def _in_temp(name: str, data: bytes, read):
    """Write ``data`` to a fresh file, call ``read(path)``; check the file is unchanged."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            result = read(path)
        except RoiKitError as exc:
            assert str(exc)  # a refusal always says something
            result = None
        assert path.read_bytes() == data  # never modified, not even when refused
        assert sorted(p.name for p in Path(folder).iterdir()) == [name]  # nothing written
        return result


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def messy_tables(draw) -> bytes:
    """A table whose header and cells come from real-looking pieces, in a random format."""
    sep = draw(st.sampled_from([",", ";", "\t"]))
    end = draw(st.sampled_from(["\n", "\r\n"]))
    header = draw(st.lists(st.sampled_from(HEADER_NAMES), min_size=1, max_size=6))
    n_rows = draw(st.integers(0, 6))
    rows = []
    for _ in range(n_rows):
        width = len(header) + draw(st.sampled_from([0, 0, 0, -1, 1]))
        cells = draw(st.lists(st.sampled_from(CELLS), min_size=width, max_size=width))
        rows.append(sep.join(f'"{c}"' if sep in c else c for c in cells))
    text = end.join([sep.join(header), *rows]) + draw(st.sampled_from(["", end]))
    return _encode(text, draw(st.sampled_from(ENCODINGS)))


@FAST
@given(st.binary(max_size=300), st.sampled_from(["t.csv", "t.tsv", "t.xlsx", "t.txt"]))
def test_random_bytes_read_raw(data, name):
    result = _in_temp(name, data, read_raw)
    if result is not None:
        assert isinstance(result, pd.DataFrame)
        assert result.index.name == "row"


@FAST
@given(messy_tables(), st.sampled_from([".", ","]), st.sampled_from(["auto", "MDY", "DMY"]))
def test_messy_tables_read_table(data, decimal, order):
    def read(path):
        return read_table(
            path,
            spec=SPEC,
            required=("month",),
            key=("month",),
            decimal=decimal,
            date_order=order,
            extra="keep",
        )

    result = _in_temp("t.csv", data, read)
    if result is not None:
        assert result["month"].is_unique
        assert result["month"].notna().all()
        if "deals_won" in result:
            counts = result["deals_won"].dropna()
            assert ((counts >= 0) & (counts == counts.round())).all()
        if "win_rate" in result:
            assert result["win_rate"].dropna().between(0, 1).all()


def _styled(cents: int, style: str) -> str:
    """``cents / 100`` written the way a spreadsheet might (decimal point)."""
    whole, frac = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    if style == "plain":
        return f"{sign}{whole}.{frac:02d}"
    if style == "grouped":
        return f'"{sign}{whole:,}.{frac:02d}"'
    if style == "currency":
        return f'"{sign}${whole:,}.{frac:02d}"'
    return f'"({whole:,}.{frac:02d})"' if cents < 0 else f'"{whole:,}.{frac:02d}"'  # brackets


@FAST
@given(
    st.lists(st.integers(-(10**11), 10**11), min_size=1, max_size=8),
    st.lists(st.sampled_from(["plain", "grouped", "currency", "brackets"]), min_size=8),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"]),
)
def test_well_formed_money_reads_back(cents, styles, encoding):
    # Each value is written from whole cents, so the number a reader must find is exactly
    # cents / 100 (1234567 -> "12,345.67" -> 12345.67; "(1,000.00)" is -1000).
    months = pd.period_range("2023-01", periods=len(cents), freq="M")
    lines = ["month,revenue"]
    lines += [f"{m},{_styled(c, s)}" for m, c, s in zip(months, cents, styles)]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    spec = {"month": "month", "revenue": "money"}
    result = _in_temp("t.csv", data, lambda p: read_table(p, spec=spec, key=("month",)))
    assert result is not None
    assert [str(m) for m in result["month"]] == [str(m) for m in months]
    assert result["revenue"].tolist() == [c / 100 for c in cents]


# --- the CRM importer ---------------------------------------------------------------------

SF_HEADER = "Opportunity ID,Opportunity Name,Stage,Amount,Created Date,Close Date"
STAGES = ["Closed Won", "Closed Lost", "Prospecting", "closed won", "Negotiation/Review", "Lost?"]
DATES = ["1/15/2024", "2/28/2024", "2024-03-01", "13/01/2024", "2/1/24", "", "soon", "12/31/2023"]
AMOUNTS = ["1000", "$1,000.00", "2500.5", "", "-5", "abc", "0", "1e3"]


@st.composite
def exports(draw) -> bytes:
    """A Salesforce-looking export with cells from valid and invalid pieces."""
    n = draw(st.integers(0, 8))
    lines = [SF_HEADER]
    for i in range(n):
        ident = draw(st.sampled_from([f"006{i}", "006X"]))
        cells = [
            ident,
            f"Deal {i}",
            draw(st.sampled_from(STAGES)),
            draw(st.sampled_from(AMOUNTS)),
            draw(st.sampled_from(DATES)),
            draw(st.sampled_from(DATES)),
        ]
        lines.append(",".join(f'"{c}"' if "," in c else c for c in cells))
    text = "\n".join(lines) + "\n"
    return _encode(text, draw(st.sampled_from(ENCODINGS)))


def _check_import(result) -> None:
    assert result.won_deals + result.lost_deals + result.open_deals == result.rows_read
    # Every won deal has a close date (or the export is refused), so the months hold them all.
    assert result.monthly["deals_won"].sum() == result.won_deals
    assert result.monthly["month"].is_unique


@FAST
@given(exports())
def test_valid_looking_exports_import_or_refuse(data):
    result = _in_temp("export.csv", data, import_opportunities)
    if result is not None:
        _check_import(result)


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_import_or_refuse(data):
    result = _in_temp("export.csv", data, import_opportunities)
    if result is not None:
        _check_import(result)


@FAST
@given(st.text(max_size=200))
def test_random_text_after_a_real_header(text):
    data = (SF_HEADER + "\n" + text).encode("utf-8", errors="replace")
    result = _in_temp("export.csv", data, import_opportunities)
    if result is not None:
        _check_import(result)
