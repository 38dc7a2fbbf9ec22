"""Tests for roi_kit.study.register: the quality rule, the ordering, the new case.yml keys.

Expected ratings, ranks and midpoints are worked out by hand in the comments from the
documented rule (roi_kit.study.register.QUALITY_RULE); the sample case's order comes from
its tornado frame, sorted in the test, never from the register code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pandas as pd
import pytest

from roi_kit.case import load_case
from roi_kit.case.types import Assumption
from roi_kit.case.write import save_case_config
from roi_kit.errors import CaseError
from roi_kit.study import register as reg
from tests.case.test_case import BASE_CONFIG, write_case

REF = pd.Period("2025-06", "M")


def _a(name="x", likely=1.0, low=0.9, high=1.1, source="measured", **kw) -> Assumption:
    dist = "fixed" if low == high else "pert"
    return Assumption(name, likely, low, high, dist, "fraction", source, kw.pop("note", ""), **kw)


# ---------------------------------------------------------------- the quality rule

DATED = {"owner": "CFO", "as_of": pd.Period("2024-06", "M")}


@pytest.mark.parametrize(
    ("assumption", "grade", "n_reasons"),
    [
        # measured, owned, 12 months old (not over 12), width 0.2/1.0 = 0.2: no weakness.
        (_a(**DATED), "high", 0),
        # 2024-05 -> 2025-06 is 13 months: stale, the only weakness.
        (_a(owner="CFO", as_of=pd.Period("2024-05", "M")), "medium", 1),
        # a dated day counts by its month: 2024-06-30 is 12 months before 2025-06.
        (_a(owner="CFO", as_of=pd.Period("2024-06-30", "D")), "high", 0),
        # an as-of after the data end is age 0, not negative.
        (_a(owner="CFO", as_of=pd.Period("2025-09", "M")), "high", 0),
        # a cited benchmark passes the source check; no owner is one weakness.
        (_a(source="benchmark", citation="Nucleus 2014", as_of=DATED["as_of"]), "medium", 1),
        # assumed + no owner: two weaknesses.
        (_a(source="assumed", as_of=DATED["as_of"]), "low", 2),
        # assumed, single value, no owner, no date: four.
        (_a(source="assumed", low=1.0, high=1.0), "low", 4),
        # a measured single value states its uncertainty elsewhere: not a weakness.
        (_a(low=1.0, high=1.0, **DATED), "high", 0),
        # width (1.5 - 0.5) / 1.0 = 1.0 is not over 1: not wide.
        (_a(low=0.5, high=1.5, **DATED), "high", 0),
        # width (1.4 - 0.2) / 1.0 = 1.2 > 1: wide.
        (_a(low=0.2, high=1.4, **DATED), "medium", 1),
        # likely 0 with a range: the relative width is infinite.
        (_a(likely=0.0, low=-0.1, high=0.1, **DATED), "medium", 1),
    ],
)
def test_quality_rule_by_hand(assumption, grade, n_reasons):
    got, reasons = reg.quality_rating(assumption, REF)
    assert (got, len(reasons)) == (grade, n_reasons), reasons


def test_quality_reasons_say_what_is_weak():
    kit = _a(source="assumed", low=0.5, likely=0.5, high=0.5, note="kit default: x")
    _, reasons = reg.quality_rating(kit, REF)
    assert reasons == (
        "kit default, not the case's own number",
        "no owner",
        "no as-of date",
        "single value: its uncertainty is not stated",
    )
    _, reasons = reg.quality_rating(_a(owner="CFO", as_of=pd.Period("2023-06", "M")), REF)
    assert reasons == ("stale: as of 2023-06, 24 months before the data end",)


# ---------------------------------------------------------------- order, rank, call-outs


def _tornado(rows, base):
    """A tornado frame as roi_kit.study.sensitivity.tornado returns it (sorted by swing)."""
    frame = pd.DataFrame(
        rows,
        columns=["assumption", "low_value", "high_value", "output_at_low", "output_at_high"],
    )
    frame["swing"] = (frame["output_at_high"] - frame["output_at_low"]).abs()
    frame["base"] = float(base)
    return frame


@pytest.fixture(scope="module")
def hand_case(tmp_path_factory):
    # kpis.csv runs 2022-01 .. 2023-12 (24 months), so the data end is 2023-12.
    return load_case(write_case(tmp_path_factory.mktemp("c") / "case"))


def test_data_end_is_the_last_kpi_month(hand_case):
    assert reg.data_through(hand_case) == pd.Period("2023-12", "M")


def test_register_order_rank_and_call_outs_by_hand(hand_case):
    assumptions = {
        # assumed, no owner, no date: low quality.
        "attribution_share": _a("attribution_share", 0.6, 0.4, 0.8, source="assumed"),
        # measured, owned, dated 2023-06 (6 months before 2023-12): high quality.
        "gross_margin": _a(
            "gross_margin", 0.3, 0.25, 0.35, owner="CFO", as_of=pd.Period("2023-06", "M")
        ),
        # measured, owned, dated, width 1/1.5: high quality.
        "hours_saved_per_user_week": _a(
            "hours_saved_per_user_week", 1.5, 1.0, 2.0, owner="Ops", as_of=pd.Period("2023-09", "M")
        ),
        # a single value: not varied.
        "recapture_factor": _a("recapture_factor", 0.5, 0.5, 0.5, source="assumed"),
    }
    case = dataclasses.replace(hand_case, assumptions=assumptions)
    tornado = _tornado(
        [
            # swing 100 >= 10% of base 1000: high impact.
            ("attribution_share", 0.4, 0.8, 950.0, 1050.0),
            # a measured change, not a case.yml assumption: swing 70 < 100, not high.
            ("revenue_change", 10.0, 30.0, 965.0, 1035.0),
            # swing 50 < 100, but the NPV changes sign across the range: high impact.
            ("gross_margin", 0.25, 0.35, -10.0, 40.0),
            # swing 50 (a tie with gross_margin: keeps the tornado's order), none of the above.
            ("hours_saved_per_user_week", 1.0, 2.0, 975.0, 1025.0),
        ],
        base=1000.0,
    )
    frame = reg.register_frame(case, tornado)
    assert list(frame.columns) == list(reg.REGISTER_COLUMNS)
    assert list(frame["assumption"]) == [
        "attribution_share",
        "revenue_change",
        "gross_margin",
        "hours_saved_per_user_week",
        "recapture_factor",
    ]
    assert list(frame["impact"]) == [100.0, 70.0, 50.0, 50.0, 0.0]
    assert frame["rank"].tolist()[:4] == [1, 2, 3, 4] and pd.isna(frame["rank"].iloc[4])
    assert list(frame["high_impact"]) == [True, False, True, False, False]
    assert list(frame["quality"]) == ["low", "medium", "high", "high", "low"]
    # The measured change: midpoint of 10 and 30 is 20; dated at the data end; no owner.
    measured = frame.iloc[1]
    assert (measured["kind"], measured["source"], measured["likely"]) == (
        "measured change",
        "measured",
        20.0,
    )
    assert (measured["as_of"], measured["quality_reasons"]) == ("2023-12", "no owner")
    # Only the high-impact, low-quality row is called out, with what to do about it.
    calls = list(frame["call_out"])
    assert calls[1:] == ["", "", "", ""]
    assert "Attribution to the CRM" in calls[0] and "EUR 100" in calls[0]
    assert "rank 1 of 4" in calls[0]
    assert "measure it or cite a benchmark, name an owner, date it" in calls[0]
    assert frame["impact_note"].iloc[4].startswith("not varied: a single value")
    assert math.isnan(frame["npv_at_low"].iloc[4])


def test_a_measured_change_is_owned_by_who_prepared_the_study(hand_case):
    if not hasattr(hand_case, "review"):
        pytest.skip("this tree's Case has no review section yet (issue 15 item 4)")
    review = dataclasses.replace(hand_case.review, prepared_by="A. Analyst")
    case = dataclasses.replace(hand_case, assumptions={}, review=review)
    frame = reg.register_frame(case, _tornado([("revenue_change", 10.0, 30.0, 0.0, 50.0)], 25))
    # Measured, owned, dated at the data end, width 20/20 = 1 (not over 1): high quality.
    assert (frame["owner"].iloc[0], frame["quality"].iloc[0]) == ("A. Analyst", "high")


def test_a_range_the_tornado_does_not_vary_says_so(hand_case):
    case = dataclasses.replace(
        hand_case, assumptions={"ramp_up_months": _a("ramp_up_months", 3.0, 2.0, 6.0)}
    )
    frame = reg.register_frame(case, _tornado([], base=0.0))
    assert frame["impact"].tolist() == [0.0]
    assert frame["impact_note"].iloc[0].startswith("not varied: the tornado leaves it")
    assert frame["call_out"].tolist() == [""]


def test_a_stale_high_impact_input_is_called_out_with_its_date(hand_case):
    stale = _a("gross_margin", 0.3, 0.25, 0.35, owner="CFO", as_of=pd.Period("2021-01", "M"))
    case = dataclasses.replace(hand_case, assumptions={"gross_margin": stale})
    # 2021-01 -> 2023-12 is 35 months: stale is its one weakness (measured, owned), so
    # medium and no call-out; without the owner it has two, is low and is called out.
    frame = reg.register_frame(case, _tornado([("gross_margin", 0.25, 0.35, 0, 500)], 250))
    assert (frame["quality"].iloc[0], frame["call_out"].iloc[0]) == ("medium", "")
    case = dataclasses.replace(
        hand_case, assumptions={"gross_margin": dataclasses.replace(stale, owner="")}
    )
    frame = reg.register_frame(case, _tornado([("gross_margin", 0.25, 0.35, 0, 500)], 250))
    assert "35 months before the data end" in frame["call_out"].iloc[0]
    assert "re-check it" in frame["call_out"].iloc[0]


# ---------------------------------------------------------------- the sample case


@pytest.mark.slow
def test_sample_register_follows_the_tornado(sample_case):
    from roi_kit.study import run_study

    tornado = run_study(sample_case, n=200, seed=0).tornado
    frame = reg.register_frame(sample_case)  # computes the study's tornado itself
    # The expected order: the tornado's rows sorted by swing here, largest first.
    expected = sorted(zip(tornado["assumption"], tornado["swing"]), key=lambda p: -p[1])
    varied = frame[frame["rank"].notna()]
    assert list(varied["assumption"]) == [name for name, _ in expected]
    assert varied["impact"].tolist() == [s for _, s in expected]
    assert varied["rank"].tolist() == list(range(1, len(expected) + 1))
    # Every assumption of the case has a row; the ones not varied have impact 0 and say why.
    assert set(sample_case.assumptions) <= set(frame["assumption"])
    rest = frame[frame["rank"].isna()]
    assert (rest["impact"] == 0).all() and rest["impact_note"].str.startswith("not varied").all()
    assert len(frame) == len(varied) + len(rest) >= len(sample_case.assumptions)


# ---------------------------------------------------------------- case.yml keys


def _config(gross_margin):
    cfg = dict(BASE_CONFIG)
    cfg["assumptions"] = {"gross_margin": gross_margin}
    return cfg


def test_new_keys_load(tmp_path):
    gm = {"low": 0.25, "likely": 0.3, "high": 0.35, "source": "benchmark"}
    gm |= {"citation": "Industry survey 2023", "owner": "Finance", "as_of": "2023-06"}
    case = load_case(write_case(tmp_path / "c", config=_config(gm)))
    a = case.assumptions["gross_margin"]
    assert (a.owner, a.as_of, a.citation) == (
        "Finance",
        pd.Period("2023-06", "M"),
        "Industry survey 2023",
    )
    # A YAML date gives a daily period; the note stands in for a missing citation.
    gm = {"likely": 0.3, "source": "benchmark", "note": "Gartner", "as_of": dt.date(2023, 6, 15)}
    a = load_case(write_case(tmp_path / "d", config=_config(gm))).assumptions["gross_margin"]
    assert (a.as_of, a.citation) == (pd.Period("2023-06-15", "D"), "Gartner")


@pytest.mark.parametrize(
    ("gross_margin", "expected"),
    [
        ({"likely": 0.3, "source": "benchmark"}, "source 'benchmark' needs a citation"),
        ({"likely": 0.3, "as_of": "June 2023"}, "assumptions.gross_margin.as_of must be a month"),
        ({"likely": 0.3, "as_of": "2023-13"}, "must be a month YYYY-MM or a date YYYY-MM-DD"),
        ({"likely": 0.3, "as_of": 2023}, "assumptions.gross_margin.as_of must be a month"),
        ({"likely": 0.3, "as_of": "2999-01"}, "is in the future"),
        ({"likely": 0.3, "owner": ""}, "assumptions.gross_margin.owner must be non-empty text"),
        ({"likely": 0.3, "owner": True}, "put the text in quotes"),
        ({"likely": 0.3, "citaton": "x"}, "did you mean 'citation'"),
        ({"likely": 0.3, "ownr": "x"}, "did you mean 'owner'"),
    ],
)
def test_bad_new_keys_are_refused_in_words(tmp_path, gross_margin, expected):
    folder = write_case(tmp_path / "c", config=_config(gross_margin))
    with pytest.raises(CaseError) as info:
        load_case(folder)
    assert expected in str(info.value)
    assert "case.yml" in str(info.value)


def test_saved_case_keeps_owner_date_and_citation(tmp_path):
    folder = write_case(tmp_path / "c")
    case = load_case(folder)
    gm = Assumption(
        "gross_margin",
        0.3,
        0.3,
        0.3,
        "fixed",
        "fraction",
        "benchmark",
        "",
        owner="CFO",
        as_of=pd.Period("2023-06", "M"),
        citation="Survey 2023",
    )
    saved = save_case_config(
        case, folder / "edited.yml", updates={"assumptions": {"gross_margin": gm}}
    )
    text = saved.read_text(encoding="utf-8")
    (folder / "case.yml").rename(folder / "old.yml")
    saved.rename(folder / "case.yml")
    a = load_case(folder).assumptions["gross_margin"]
    assert (a.owner, a.as_of, a.citation) == ("CFO", pd.Period("2023-06", "M"), "Survey 2023"), text


def test_a_projections_expected_change_takes_its_tornado_row(hand_case):
    change = Assumption("revenue", 0.05, 0.02, 0.10, "pert", "relative change", "assumed")
    case = dataclasses.replace(hand_case, assumptions={}, expected_changes={"revenue": change})
    # The tornado varies the change as the model's revenue_change (per month, absolute).
    frame = reg.register_frame(case, _tornado([("revenue_change", 2e3, 1e4, 100.0, 900.0)], 500))
    row = frame.iloc[0]
    assert len(frame) == 1  # one row: the expected change is not listed again as measured
    assert (row["kind"], row["label"], row["impact"]) == (
        "expected change",
        "Expected change in revenue",
        800.0,
    )
    # The row keeps the case.yml values (relative), not the tornado's absolute ones.
    assert (row["low"], row["likely"], row["high"]) == (0.02, 0.05, 0.10)
