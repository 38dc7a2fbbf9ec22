"""Tests for roi_kit.views.register: the register table, its call-outs and its sentences.

The frames are built by hand here (the columns of roi_kit.study.register.REGISTER_COLUMNS),
so the expected cells and sentences follow from the rows below, not from the study code.
"""

from __future__ import annotations

import math

import pandas as pd

from roi_kit.study.register import QUALITY_RULE, REGISTER_COLUMNS
from roi_kit.views import register as rv


def _row(**kw):
    row = {
        "assumption": "x",
        "label": "X",
        "kind": "assumption",
        "low": 0.4,
        "likely": 0.6,
        "high": 0.8,
        "unit": "fraction",
        "distribution": "pert",
        "source": "assumed",
        "citation": "",
        "owner": "",
        "as_of": "",
        "age_months": math.nan,
        "note": "",
        "quality": "low",
        "quality_reasons": "assumed: neither measured nor a cited benchmark; no owner",
        "impact": 0.0,
        "npv_at_low": math.nan,
        "npv_at_high": math.nan,
        "impact_note": "",
        "high_impact": False,
        "rank": None,
        "call_out": "",
    }
    row.update(kw)
    return row


def _frame(*rows):
    frame = pd.DataFrame(list(rows), columns=list(REGISTER_COLUMNS))
    frame["rank"] = frame["rank"].astype("Int64")
    return frame


FRAME = _frame(
    _row(
        assumption="attribution_share",
        label="Attribution <to> the CRM",
        impact=187820.4,
        rank=1,
        high_impact=True,
        call_out="Attribution moves the NPV by <lots>.",
    ),
    _row(
        assumption="gross_margin",
        label="Gross margin",
        low=0.28,
        likely=0.32,
        high=0.36,
        source="benchmark",
        citation="Survey & co 2023",
        owner="CFO <b>",
        as_of="2024-03",
        age_months=15.0,
        quality="medium",
        quality_reasons="no owner",
        impact=82171.0,
        rank=2,
    ),
    _row(
        assumption="loaded_hourly_rate",
        label="Loaded *hourly* rate",
        low=65.0,
        likely=65.0,
        high=65.0,
        unit="EUR/hour",
        impact_note="not varied: a single value",
    ),
)


def test_a_range_writes_its_unit_once():
    frame = _frame(_row(low=0.5, likely=1.5, high=2.5, unit="hours/user/week"))
    assert rv.register_table(frame, "EUR")["Low / likely / high"].iloc[0] == (
        "0.5 / 1.5 / 2.5 hours/user/week"
    )


def test_register_table_cells():
    t = rv.register_table(FRAME, "EUR")
    assert list(t["Rank"]) == ["1", "2", ""]
    # 0.4 / 0.6 / 0.8 as fractions are 40% / 60% / 80%; 65 EUR/hour has no range.
    assert list(t["Low / likely / high"]) == [
        "40% / 60% / 80%",
        "28% / 32% / 36%",
        "65 EUR/hour (single value)",
    ]
    assert list(t["Source"]) == ["assumed", "benchmark: Survey & co 2023", "assumed"]
    assert list(t["Owner"]) == ["none", "CFO <b>", "none"]
    assert list(t["As of"]) == ["none", "2024-03", "none"]
    # 187,820.4 rounds to EUR 187,820; an input not varied has 0 and its note says why.
    assert list(t["Impact on NPV"]) == ["EUR 187,820", "EUR 82,171", "EUR 0"]
    assert t["Note"].iloc[2] == "not varied: a single value"


def test_register_html_escapes_user_text_and_shows_the_rule():
    page = rv.register_html(FRAME, "EUR")
    assert "CFO &lt;b&gt;" in page and "CFO <b>" not in page
    assert "Attribution &lt;to&gt; the CRM" in page
    assert "Survey &amp; co 2023" in page
    assert 'class="roi-warn"' in page and "by &lt;lots&gt;." in page
    assert page.count('class="roi-warn"') == 1  # one call-out, one box
    assert QUALITY_RULE.split(":")[0] in page


def test_no_call_out_says_so():
    quiet = FRAME.assign(call_out="")
    page = rv.call_outs_html(quiet)
    assert 'class="roi-warn"' not in page
    assert "No assumption with a high impact on the NPV is rated low quality" in page
    assert "(3 assumptions in the register)" in page


def test_register_sentences_count_and_name():
    text = rv.register_markdown(FRAME, "EUR")
    # 3 rows; 2 have a rank; 1 single value not varied; 1 call-out. Labels are escaped.
    assert text.startswith("The register lists **3** inputs of this case;")
    assert (
        "the tornado varies 2, and the NPV depends most on **Attribution &lt;to&gt; the CRM**"
        in text
    )
    assert "(a swing of EUR 187,820)" in text
    assert "1 is a single value (Loaded \\*hourly\\* rate)" in text
    assert text.endswith("to firm up before the decision: **Attribution &lt;to&gt; the CRM**.")


def test_register_sentences_without_a_varied_input_or_call_out():
    frame = _frame(_row(label="Only", low=1.0, likely=1.0, high=1.0, impact_note="not varied"))
    text = rv.register_markdown(frame, "EUR")
    assert text == (
        "The register lists **1** input of this case; the tornado varies none of them (no "
        "input has a low-high range). 1 is a single value (Only): the tornado cannot show how "
        "much the NPV depends on it. No high-impact assumption is rated low quality."
    )
    assert rv.register_markdown(_frame(), "EUR") == "This case has **no assumptions** to register."
