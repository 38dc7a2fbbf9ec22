"""The `roi-kit` command as a user runs it (installed console script)."""

from __future__ import annotations

import os
import subprocess

import pytest

from roi_kit import cli
from tests.paths import ROI_KIT  # also imported from here by tests.study.test_summary

__all__ = ["ROI_KIT"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([ROI_KIT, *args], capture_output=True, text=True, timeout=120)


def test_quick_prints_the_articles_example():
    # gain 100,000, cost 20,000 -> (100,000 - 20,000) / 20,000 = 4.0 = 400%.
    res = run("quick", "100000", "20000")
    assert res.returncode == 0, res.stderr
    assert "Simple ROI: 4.00 (400.0%)" in res.stdout
    # 100,000 / 3 years / 20,000 = 1.6667 -> 166.7% a year.
    assert "Nucleus annual ROI: 166.7%" in res.stdout


def test_bad_input_is_one_clear_line_not_a_traceback():
    res = run("quick", "100", "0")
    assert res.returncode == 2
    assert "greater than zero" in res.stderr
    assert "Traceback" not in res.stderr


def test_help_lists_the_commands():
    res = run("--help")
    assert res.returncode == 0
    for command in ("quick", "report"):
        assert command in res.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [("years=5", ("years", 5)), ("currency=EUR", ("currency", "EUR")), ("r=0.1", ("r", 0.1))],
)
def test_param_parsing(text, expected):
    assert cli._parse_param(text) == expected


def test_param_without_equals_refused():
    with pytest.raises(SystemExit):
        cli.build_parser().parse_args(["report", "-p", "oops"])


def test_import_crm_with_the_case_mapping(tmp_path):
    # A generic export with its own column and stage names; the mapping comes from
    # case.yml's crm_export section. Expected by hand: 2024-01 has one won deal of 1,000
    # (cycle 2024-01-05 -> 2024-01-25 = 20 days) and one lost (01-02 -> 01-20 = 18 days);
    # win rate 1 / 2 = 0.5; median cycle of the closed deals (20 + 18) / 2 = 19 days.
    export = tmp_path / "deals.csv"
    export.write_text(
        "Ref,Phase,Opened,Closed,Value\n"
        "1,Signed,2024-01-05,2024-01-25,1000\n"
        "2,Dropped,2024-01-02,2024-01-20,0\n"
        "3,Talking,2024-01-10,,\n",
        encoding="utf-8",
    )
    case = tmp_path / "case"
    case.mkdir()
    (case / "case.yml").write_text(
        "crm_export:\n"
        "  columns: {id: Ref, stage: Phase, created_date: Opened, close_date: Closed,"
        " amount: Value}\n"
        "  stages: {Signed: won, Dropped: lost, Talking: open}\n",
        encoding="utf-8",
    )
    out = tmp_path / "kpis.csv"
    res = run("import-crm", str(export), "-o", str(out), "--case", str(case))
    assert res.returncode == 0, res.stdout + res.stderr
    import csv as _csv

    rows = list(_csv.DictReader(out.open(encoding="utf-8")))
    jan = next(r for r in rows if r["month"] == "2024-01")
    assert float(jan["deals_won"]) == 1
    assert float(jan["revenue"]) == 1000
    assert float(jan["win_rate"]) == 0.5
    assert float(jan["sales_cycle_days"]) == 19


# --- never overwrite: import-crm, new, sample ---------------------------------------------------

SALESFORCE_EXPORT = (
    "Opportunity ID,Opportunity Name,Stage,Amount,Created Date,Close Date,Opportunity Owner\n"
    "1,A,Closed Won,1000,2024-01-05,2024-02-01,Bob\n"
)


def test_import_crm_refuses_an_existing_output_and_force_keeps_a_backup(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(SALESFORCE_EXPORT, encoding="utf-8")
    out = tmp_path / "kpis.csv"
    out.write_text("my own table\n", encoding="utf-8")
    res = run("import-crm", str(export), "-o", str(out))
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert f"the output {out} already exists" in res.stderr and "--force" in res.stderr
    assert out.read_text(encoding="utf-8") == "my own table\n"
    res = run("import-crm", str(export), "-o", str(out), "--force")
    assert res.returncode == 0, res.stderr
    (backup,) = [p for p in tmp_path.iterdir() if p.name.startswith("kpis.csv.bak-")]
    assert f"kept the old {out} as {backup}" in res.stdout
    assert backup.read_text(encoding="utf-8") == "my own table\n"
    # One deal won in 2024-02 for 1,000: the new table holds it.
    assert "2024-02" in out.read_text(encoding="utf-8")


def test_import_crm_refuses_a_folder_as_output_and_a_pipe_as_export(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(SALESFORCE_EXPORT, encoding="utf-8")
    res = run("import-crm", str(export), "-o", str(tmp_path), "--force")
    assert res.returncode == 1 and "is a folder" in res.stderr
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    # Reading a FIFO without a writer would hang; it is refused before any read.
    res = run("import-crm", str(fifo), "-o", str(tmp_path / "k.csv"))
    assert res.returncode == 1 and "not a regular file" in res.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv", "pipe.csv"]


def test_import_crm_help_says_what_it_does():
    res = run("import-crm", "--help")
    text = " ".join(res.stdout.split())
    assert "(new file)" not in text
    assert "must not exist yet" in text and "--force" in text and ".bak-" in text
    assert "XLSX" in text and "sales_teams.csv" in text and "--teams-owner" in text
    assert "--unit" in text and "--go-live" in text and "custom_kpis" in text


@pytest.mark.parametrize("command", ["new", "sample"])
def test_new_and_sample_refuse_an_existing_folder(tmp_path, command):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "case.yml").write_text("name: Mine\n", encoding="utf-8")
    res = run(command, str(folder))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert f"{folder} already exists and is not empty" in res.stderr
    assert (folder / "case.yml").read_text(encoding="utf-8") == "name: Mine\n"
    res = run(command, str(folder), "--force")
    assert res.returncode == 0, res.stderr
    (backup,) = [p for p in tmp_path.iterdir() if p.name.startswith("mine.bak-")]
    assert f"kept a backup of the replaced files in {backup}" in res.stdout
    assert (backup / "case.yml").read_text(encoding="utf-8") == "name: Mine\n"


# --- report: a reviewer's edits to the kit's own files -----------------------------------------


def _edited_report(folder):
    """An earlier report of the kit whose model.xlsx a reviewer then edited and saved."""
    from roi_kit import report

    folder.mkdir()
    (folder / "index.html").write_bytes(b"old front page")
    (folder / "model.xlsx").write_bytes(b"kit model")
    report.write_marker(folder, ["index.html", "model.xlsx"])
    (folder / "model.xlsx").write_bytes(b"kit model, margin changed by the reviewer")
    return folder


def test_report_refuses_an_edited_model_at_once_in_one_line(tmp_path):
    import time

    from tests.paths import SAMPLE_CASE

    out = _edited_report(tmp_path / "report")
    start = time.perf_counter()
    res = run("report", str(SAMPLE_CASE), "-o", str(out))
    seconds = time.perf_counter() - start
    assert res.returncode == 2 and "Traceback" not in res.stderr
    (line,) = res.stderr.strip().splitlines()
    assert "model.xlsx was edited" in line and "move or rename model.xlsx" in line
    assert "add --force" in line and "model.xlsx.bak-" in line
    # Refused before any notebook ran: no progress line, and far from a report's 48 s on
    # 2 cores (measured 1.9 s for this refusal, most of it importing the kit).
    assert res.stdout == "" and seconds < 15, (res.stdout, seconds)
    assert (out / "model.xlsx").read_bytes() == b"kit model, margin changed by the reviewer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # nothing staged


def test_report_force_keeps_the_edited_model_and_says_where(tmp_path, monkeypatch, capsys):
    from roi_kit.report import build
    from tests.paths import SAMPLE_CASE
    from tests.report.test_destination import staged_compute

    out = _edited_report(tmp_path / "report")
    # The notebooks themselves are not what is tested here: a stand-in stages the report.
    monkeypatch.setattr(build, "_execute_all", staged_compute(b"new kit model"))
    assert cli.main(["report", str(SAMPLE_CASE), "-o", str(out), "--force"]) == 0
    stdout = capsys.readouterr().out
    (bak,) = [p for p in out.iterdir() if p.name.startswith("model.xlsx.bak-")]
    assert bak.read_bytes() == b"kit model, margin changed by the reviewer"
    assert (out / "model.xlsx").read_bytes() == b"new kit model"
    assert f"report written: {out / 'index.html'}" in stdout
    assert f"workbook written: {out / 'model.xlsx'}" in stdout
    assert f"kept the old model.xlsx as {bak}" in stdout
