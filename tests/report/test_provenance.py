"""Provenance and sign-off (issue 15, item 4): the input hash, the data-through month, review:.

Expected values come from the files themselves: hashes from :mod:`hashlib` over the bytes
read here, the last data month from ``kpis.csv`` read with the csv module.
"""

from __future__ import annotations

import csv
import hashlib
import shutil

import pytest
import yaml

from roi_kit.case import load_case
from roi_kit.errors import CaseError
from roi_kit.study import provenance as prov
from tests.paths import SAMPLE_CASE

__all__: list[str] = []


@pytest.fixture
def case_copy(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE_CASE, folder)
    return folder


def _set_review(folder, review):
    cfg = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    cfg["review"] = review
    (folder / "case.yml").write_text(yaml.safe_dump(cfg, sort_keys=False), encoding="utf-8")


def test_hash_is_sha256_over_each_named_file_in_order(case_copy):
    p = prov.provenance(case_copy, built="2026-01-31")
    names = [name for _, name, _ in p.files]
    # case.yml first, then the tables by role (adoption, costs, kpis): what case.yml names.
    assert names == ["case.yml", "adoption.csv", "costs.csv", "kpis.csv"]
    roles = ["case.yml", "adoption", "costs", "kpis"]
    lines = "".join(
        f"{role}\t{name}\t{hashlib.sha256((case_copy / name).read_bytes()).hexdigest()}\n"
        for role, name in zip(roles, names, strict=True)
    )
    assert p.input_hash == hashlib.sha256(lines.encode()).hexdigest()
    assert p.built == "2026-01-31"


def test_one_changed_byte_changes_the_hash_and_other_files_do_not(case_copy, tmp_path):
    before = prov.provenance(case_copy).input_hash
    # A file the case does not name (notes, the sample's README) is not an input.
    (case_copy / "notes.txt").write_text("mine", encoding="utf-8")
    assert prov.provenance(case_copy).input_hash == before
    # The same inputs elsewhere: the same hash (the folder's location is not an input).
    elsewhere = tmp_path / "moved"
    shutil.copytree(case_copy, elsewhere)
    assert prov.provenance(elsewhere).input_hash == before
    # One digit of one cost: another hash.
    costs = (case_copy / "costs.csv").read_text(encoding="utf-8")
    first_digit = next(i for i, ch in enumerate(costs) if ch.isdigit() and ch != "9")
    changed = costs[:first_digit] + "9" + costs[first_digit + 1 :]
    (case_copy / "costs.csv").write_text(changed, encoding="utf-8")
    assert prov.provenance(case_copy).input_hash != before


def test_data_through_is_the_last_kpi_month(case_copy):
    with (case_copy / "kpis.csv").open(encoding="utf-8", newline="") as handle:
        last = max(row["month"][:7] for row in csv.DictReader(handle))
    assert prov.provenance(case_copy).data_through == last == "2025-06"


def test_without_review_the_study_is_a_draft_with_no_names(case_copy):
    p = prov.provenance(case_copy)
    assert p.status == "DRAFT"
    rows = dict(prov.provenance_rows(p))
    assert rows["Prepared by"] == rows["Approved by"] == "not given"
    assert "no names given" in prov.provenance_html(p, compact=True)


def test_review_section_is_read_and_shown(case_copy):
    _set_review(
        case_copy,
        {
            "prepared_by": "A. Analyst",
            "reviewed_by": "R. Controller",
            "approved_by": "C. F. Officer",
            "status": "final",
            "date": "2026-01-15",
        },
    )
    case = load_case(case_copy)
    assert case.review.status == "final" and case.review.date == "2026-01-15"
    p = prov.provenance(case_copy, case=case)
    assert p.status == "FINAL"
    banner = prov.provenance_html(p, compact=True)
    for text in ("FINAL", "prepared by A. Analyst", "approved by C. F. Officer", "2026-01-15"):
        assert text in banner
    assert prov.header_fields(p)["status"] == "FINAL"


def test_names_are_escaped(case_copy):
    _set_review(case_copy, {"prepared_by": "<script>alert(1)</script>"})
    page = prov.provenance_html(prov.provenance(case_copy))
    assert "<script>" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("review", "message"),
    [
        ({"status": "final", "approved_by": "C"}, r"final but review.approved_by or review.date"),
        ({"status": "final", "date": "2026-01-02"}, r"final but review.approved_by"),
        ({"status": "signed"}, r"review.status"),
        ({"aproved_by": "C"}, r"review.aproved_by"),
        ({"date": "15/01/2026"}, r"review.date must be a date YYYY-MM-DD"),
        ({"date": "2999-01-01"}, r"review.date 2999-01-01 is in the future"),
        ({"prepared_by": "yes"}, None),  # quoted text is fine (YAML would read bare yes)
    ],
)
def test_bad_review_is_refused_with_the_key(case_copy, review, message):
    _set_review(case_copy, review)
    if message is None:
        assert load_case(case_copy).review.prepared_by == "yes"
        return
    with pytest.raises(CaseError, match=message):
        load_case(case_copy)


def test_the_report_and_the_study_name_the_same_cache_variable():
    from roi_kit import report
    from roi_kit.study import run

    assert report.STUDY_CACHE_ENV == run.CACHE_ENV
