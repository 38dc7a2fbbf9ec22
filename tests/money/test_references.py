"""Tests of the reference points file and the comparison with a user's ROI.

Expected values come from the committed CSV read with the csv module, from the cited
figures themselves ($8.71 and $5.60 per dollar), and from hand conversions in comments.
"""

from __future__ import annotations

import csv
import doctest
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roi_kit.errors import BadValueError, DataFileError, FinanceInputError, MissingColumnError
from roi_kit.money import references as refs_mod
from roi_kit.money.references import (
    REFERENCE_COLUMNS,
    compare_to_references,
    default_reference_path,
    from_benefit_cost_ratio,
    load_reference_points,
    to_benefit_cost_ratio,
)

HEADER = ",".join(REFERENCE_COLUMNS)


def _write(tmp_path, *rows: str):
    path = tmp_path / "refs.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


GOOD = "Nucleus Research,2014,CRM pays back,8.71,USD per USD spent,benefit_cost_ratio,cite,note"


def test_doctests():
    assert doctest.testmod(refs_mod).failed == 0


def test_committed_file_loads_and_matches_raw_csv():
    df = load_reference_points()
    with open(default_reference_path(), newline="", encoding="utf-8") as fh:
        raw = list(csv.DictReader(fh))
    assert list(df.columns) == list(REFERENCE_COLUMNS)
    assert len(df) == len(raw)
    assert list(df["source"]) == [r["source"] for r in raw]
    assert list(df["value"]) == [float(r["value"]) for r in raw]
    # Every row has a source, a definition and a citation.
    for r in raw:
        assert r["source"].strip() and r["roi_definition"].strip() and r["url_or_citation"]


def test_committed_file_holds_the_cited_figures():
    df = load_reference_points()
    nucleus = df[df["source"] == "Nucleus Research"].set_index("year")
    assert nucleus.loc[2014, "value"] == 8.71
    assert nucleus.loc[2011, "value"] == 5.60
    assert set(nucleus["roi_definition"]) == {"benefit_cost_ratio"}
    articles = df[df["source"].str.startswith("Source article")]
    # The articles' own numbers: 400%, 100%, about 250%, labelled as illustrations.
    assert list(articles["value"]) == [400.0, 100.0, 250.0]
    assert all("illustrative" in s for s in articles["source"])


def test_default_path_is_the_repository_data_folder():
    path = default_reference_path()
    assert path.name == "reference_points.csv" and path.parent.name == "data"
    assert path.exists()


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "refs.csv"
    path.write_text("source,year\nx,2014\n", encoding="utf-8")
    with pytest.raises(MissingColumnError, match="figure"):
        load_reference_points(path)


def test_row_without_source_is_named(tmp_path):
    path = _write(tmp_path, GOOD, ",2014,f,1.0,ratio,simple,cite,note")
    with pytest.raises(DataFileError) as info:
        load_reference_points(path)
    assert info.value.row == 3 and info.value.column == "source"
    assert "row 3" in str(info.value)


def test_row_without_definition_is_named(tmp_path):
    path = _write(tmp_path, "X,2014,f,1.0,ratio,,cite,note")
    with pytest.raises(DataFileError) as info:
        load_reference_points(path)
    assert info.value.row == 2 and info.value.column == "roi_definition"


def test_unknown_definition_and_unit(tmp_path):
    with pytest.raises(BadValueError, match="unknown ROI definition"):
        load_reference_points(_write(tmp_path, "X,2014,f,1.0,ratio,magic,cite,note"))
    with pytest.raises(BadValueError, match="unknown unit"):
        load_reference_points(_write(tmp_path, "X,2014,f,1.0,bananas,simple,cite,note"))


def test_missing_value(tmp_path):
    with pytest.raises(BadValueError, match="numeric value"):
        load_reference_points(_write(tmp_path, "X,2014,f,,ratio,simple,cite,note"))


def test_conversions_by_hand():
    # simple 4.0 -> 5.00 back per 1 spent; 400% -> the same; $8.71 per $1 -> 7.71 simple.
    assert to_benefit_cost_ratio(4.0, "simple") == 5.0
    assert to_benefit_cost_ratio(400.0, "percent") == 5.0
    assert to_benefit_cost_ratio(5.0, "incremental") == 5.0
    assert from_benefit_cost_ratio(8.71, "simple") == pytest.approx(7.71)
    assert from_benefit_cost_ratio(8.71, "percent") == pytest.approx(771.0)
    assert math.isnan(to_benefit_cost_ratio(2.0, "nucleus"))
    with pytest.raises(FinanceInputError):
        to_benefit_cost_ratio(1.0, "magic")


@given(
    value=st.floats(-0.99, 100.0),
    code=st.sampled_from(["simple", "percent", "incremental", "benefit_cost_ratio", "tei"]),
)
def test_conversion_round_trip(value, code):
    assert from_benefit_cost_ratio(to_benefit_cost_ratio(value, code), code) == pytest.approx(
        value, abs=1e-9
    )


def test_compare_simple_roi():
    table = compare_to_references(4.0, "simple", load_reference_points())
    rows = table.set_index("Figure")
    nucleus = rows.loc["CRM pays back $8.71 for every dollar spent"]
    assert nucleus["Stated as"] == "$8.71 per $1 spent"
    assert nucleus["Your figure on that basis"] == "5.00 per 1 spent"  # 4.0 + 1
    assert nucleus["Reference on your basis"] == "7.71 (771%)"  # 8.71 - 1
    assert nucleus["Comparable?"].startswith("converted")
    article1 = table[table["Reference"].str.startswith("Source article 1")].iloc[0]
    assert article1["Your figure on that basis"] == "4.00 (400%)"
    assert article1["Reference on your basis"] == "4.00 (400%)"
    assert article1["Comparable?"].startswith("same definition")
    article2 = table[table["Reference"].str.startswith("Source article 2")].iloc[0]
    assert article2["Your figure on that basis"] == "n/a"
    assert article2["Comparable?"].startswith("no")


def test_compare_percent_and_incremental():
    refs = load_reference_points()
    # 300% -> 4.00 back per 1 spent
    pct = compare_to_references(300.0, "percent", refs)
    assert pct.loc[0, "Your figure on that basis"] == "4.00 per 1 spent"
    assert pct.loc[0, "Reference on your basis"] == "771%"
    inc = compare_to_references(4.0, "incremental", refs)
    assert inc.loc[0, "Your figure on that basis"] == "4.00 per 1 spent"


def test_compare_tei_and_nucleus_are_labelled():
    refs = load_reference_points()
    tei = compare_to_references(2.5, "tei", refs)
    assert tei.loc[0, "Comparable?"].startswith("form only")
    nucleus = compare_to_references(2.5, "nucleus", refs)
    assert (nucleus["Your figure on that basis"] == "n/a").all()
    assert nucleus.loc[0, "Comparable?"].startswith("no: one figure is per year")


def test_compare_refuses_non_returns():
    refs = load_reference_points()
    with pytest.raises(FinanceInputError, match="not a return"):
        compare_to_references(1.0, "articles_literal", refs)
    with pytest.raises(FinanceInputError):
        compare_to_references(float("nan"), "simple", refs)
    with pytest.raises(FinanceInputError):
        compare_to_references(1.0, "roi", refs)
