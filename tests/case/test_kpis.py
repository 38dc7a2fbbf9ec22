"""Tests of the KPI catalogue (roi_kit.case.kpis)."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from roi_kit.case.kpis import CATALOGUE, Kpi, format_value, get_kpi, is_improvement
from roi_kit.errors import CaseError
from tests.paths import DATA

README = DATA / "README.md"


def test_catalogue_matches_the_data_contract_table():
    # Read the kpis.csv table of data/README.md independently: rows look like
    # "| `revenue` | currency | higher | ... |"; month and the group column have "-".
    text = README.read_text(encoding="utf-8")
    section = text.split("## `kpis.csv`", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| [^|]* \| (higher|lower) \|", section, flags=re.M)
    assert dict(rows) == {name: kpi.direction for name, kpi in CATALOGUE.items()}
    assert list(CATALOGUE) == [name for name, _ in rows]


def test_catalogue_has_the_standard_names_and_directions():
    expected = {
        "revenue": "higher",
        "deals_won": "higher",
        "avg_deal_size": "higher",
        "win_rate": "higher",
        "lead_conversion": "higher",
        "sales_cycle_days": "lower",
        "customers": "higher",
        "churned_customers": "lower",
        "csat": "higher",
        "operating_cost": "lower",
        "acquisition_cost": "lower",
    }
    assert {n: k.direction for n, k in CATALOGUE.items()} == expected
    assert CATALOGUE["win_rate"].kind == "fraction"
    assert CATALOGUE["deals_won"].kind == "count"
    assert CATALOGUE["revenue"].unit == "currency"


def test_catalogue_is_read_only_and_kpis_frozen():
    with pytest.raises(TypeError):
        CATALOGUE["x"] = CATALOGUE["revenue"]  # type: ignore[index]
    with pytest.raises(dataclasses.FrozenInstanceError):
        CATALOGUE["revenue"].direction = "lower"  # type: ignore[misc]


def test_get_kpi_standard_custom_and_unknown():
    nps = Kpi("nps", "Net promoter score", "points", "higher")
    assert get_kpi("win_rate").label == "Win rate"
    assert get_kpi("nps", [nps]) is nps
    with pytest.raises(CaseError, match="did you mean 'win_rate'"):
        get_kpi("win_rat")
    with pytest.raises(CaseError, match="unknown KPI 'nps'"):
        get_kpi("nps")


def test_kpi_refuses_bad_direction_and_kind():
    with pytest.raises(CaseError, match="direction"):
        Kpi("x", "X", "points", "up")
    with pytest.raises(CaseError, match="kind"):
        Kpi("x", "X", "points", "higher", kind="percent")


def test_is_improvement_vectorised_and_scalar():
    changes = np.array([-1.5, 0.0, 2.0, np.nan])
    assert is_improvement(changes, "higher").tolist() == [False, False, True, False]
    assert is_improvement(changes, "lower").tolist() == [True, False, False, False]
    assert is_improvement(-3, "lower") is True
    assert is_improvement(0.1, "lower") is False
    with pytest.raises(CaseError):
        is_improvement(1.0, "sideways")


@given(st.lists(st.floats(-1e9, 1e9, allow_nan=False), min_size=1, max_size=30))
def test_is_improvement_higher_of_x_is_lower_of_minus_x(values):
    x = np.array(values)
    assert np.array_equal(is_improvement(x, "higher"), is_improvement(-x, "lower"))
    # A change cannot improve both ways at once.
    assert not np.any(is_improvement(x, "higher") & is_improvement(x, "lower"))


def test_format_value_by_unit():
    assert format_value(1234.4, get_kpi("revenue"), "EUR") == "EUR 1,234"
    assert format_value(0.31, get_kpi("win_rate"), "EUR") == "31.0%"
    assert format_value(42.5, get_kpi("sales_cycle_days")) == "42.5 days"
    assert format_value(1500, get_kpi("customers")) == "1,500"
    assert format_value(4.2, get_kpi("csat")) == "4.20"
    assert format_value(12, Kpi("nps", "NPS", "points", "higher")) == "12.0 points"
    assert format_value(float("nan"), get_kpi("revenue"), "EUR") == "n/a"
    assert format_value(None, get_kpi("revenue"), "EUR") == "n/a"


def test_negative_money_puts_the_sign_before_the_currency():
    from roi_kit.case.kpis import format_value, get_kpi

    assert format_value(-54.3, get_kpi("avg_deal_size"), "EUR") == "-EUR 54"
    assert format_value(1234.5, get_kpi("revenue"), "EUR") == "EUR 1,234"
    assert format_value(-0.2, get_kpi("revenue"), "EUR") == "EUR 0"
