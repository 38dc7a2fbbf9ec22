"""The `roi-kit` command never shows a traceback: closed pipes, unwritable destinations,
unreadable cases, deep YAML, Ctrl-C and unexpected errors each give one line and an exit
status; `--debug` shows the traceback."""

from __future__ import annotations

import errno
import io
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from roi_kit import cli
from tests.paths import ROI_KIT, SAMPLE_CASE

SALESFORCE_EXPORT = (
    "Opportunity ID,Opportunity Name,Stage,Amount,Created Date,Close Date,Opportunity Owner\n"
    "1,A,Closed Won,1000,2024-01-05,2024-02-01,Bob\n"
)


def _one_line_no_traceback(err: str) -> str:
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


# --- a closed pipe ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("summary", str(SAMPLE_CASE), "--json", "--draws", "2000"), ("validate", str(SAMPLE_CASE))],
    ids=["summary", "validate"],
)
def test_a_closed_pipe_ends_quietly_with_the_pipe_status(args):
    # The reader goes away before the command writes (as `| head` does once it has its
    # lines): the write fails with EPIPE. Expected: nothing on stderr, exit 128 + SIGPIPE.
    proc = subprocess.Popen([ROI_KIT, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 128 + signal.SIGPIPE == 141
    assert err == ""


def test_summary_json_into_head_prints_its_50_bytes_and_no_error():
    res = subprocess.run(
        f"'{ROI_KIT}' summary '{SAMPLE_CASE}' --json --draws 2000 | head -c 50",
        shell=True,
        capture_output=True,
        timeout=120,
    )
    assert len(res.stdout) == 50 and res.stdout.startswith(b"{")
    assert res.stderr == b""


# --- destinations that cannot be written ----------------------------------------------------


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "export.csv"
    path.write_text(SALESFORCE_EXPORT, encoding="utf-8")
    return path


def _destinations(tmp_path: Path) -> dict[str, str]:
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    # /proc refuses new entries even to root; a path under a regular file cannot exist.
    return {"proc": "/proc/roi_kit_test", "under_a_file": str(blocker / "sub")}


@pytest.mark.parametrize("where", ["proc", "under_a_file"])
@pytest.mark.parametrize("command", ["report", "new", "sample", "import-crm"])
def test_an_unwritable_destination_is_one_line_naming_it(tmp_path, capsys, export, where, command):
    dest = _destinations(tmp_path)[where]
    args = {
        "report": ["report", str(SAMPLE_CASE), "-o", dest],
        "new": ["new", dest],
        "sample": ["sample", dest],
        "import-crm": ["import-crm", str(export), "-o", dest + ".csv"],
    }[command]
    before = sorted(p.name for p in tmp_path.iterdir())
    code = cli.main(args)
    out, err = capsys.readouterr()
    line = _one_line_no_traceback(err)
    assert code in (1, 2)
    assert dest in line, line  # the path given, not a hidden temporary name
    assert ".tmp" not in line and f"/.{Path(dest).name}" not in line, line
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no litter left


# --- a case that cannot be read -------------------------------------------------------------


def _deny(case: Path, monkeypatch, what: str) -> None:
    """Make every stat or open of a path inside ``case`` fail as for a user without rights
    (tests run as root, which file modes do not stop)."""
    inside = str(case)

    def denied(path) -> bool:
        return isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(inside)

    if what == "stat":
        real = os.stat

        def stat(path, *a, **k):
            if denied(path):
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            return real(path, *a, **k)

        monkeypatch.setattr(os, "stat", stat)
    else:
        real_open = io.open

        def opener(path, *a, **k):
            if denied(path):
                raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
            return real_open(path, *a, **k)

        monkeypatch.setattr(io, "open", opener)


@pytest.mark.parametrize("what", ["stat", "open"])
@pytest.mark.parametrize("command", ["validate", "summary"])
def test_an_unreadable_case_is_one_line(case_copy, monkeypatch, capsys, what, command):
    _deny(case_copy, monkeypatch, what)
    args = [command, str(case_copy)] + (["--draws", "200"] if command == "summary" else [])
    code = cli.main(args)
    out, err = capsys.readouterr()
    assert code in (1, 2)
    text = (err or out).strip()
    assert "Traceback" not in out + err
    assert "Permission denied" in text and str(case_copy) in text, text
    assert len(text.splitlines()) <= 2, text


# --- deep YAML, long values ---------------------------------------------------------------------


def test_yaml_nested_3000_levels_is_refused_quickly(case_copy, capsys):
    (case_copy / "case.yml").write_text("a: " + "[" * 3000 + "]" * 3000 + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    code = cli.main(["validate", str(case_copy)])
    # Not a speed test (the machine may be loaded): a ceiling far above the refusal (about
    # 0.1 s idle) and far below what an unbounded parse costs (a RecursionError or minutes).
    assert time.perf_counter() - t0 < 30.0
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err
    assert "nested more than 100 levels" in out and "case.yml" in out


def test_a_huge_value_is_quoted_short(case_copy, capsys):
    # Row 4 of kpis.csv gets a 100,000-character revenue cell: the message quotes at most
    # QUOTE_LIMIT characters of it (77 kept + "...").
    path = case_copy / "kpis.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[3].split(",")
    cells[2] = "9x" * 50_000
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    assert cli.main(["validate", str(case_copy)]) == 1
    out = capsys.readouterr().out
    assert len(out) < 600, len(out)
    assert "row 4" in out and "'revenue'" in out and "'" + "9x" * 38 + "9...'" in out


def test_clip_message_leaves_short_values_and_apostrophes_alone():
    text = "file kpis.csv, column 'revenue': the case's value (found 'n/a')"
    assert cli.clip_message(text) == text
    assert cli.clip_message("x" * 5_000) == "x" * 1_000 + " ... " + "x" * 1_000


# --- Ctrl-C and the unexpected ----------------------------------------------------------------


def test_ctrl_c_anywhere_is_one_line_and_exit_130(monkeypatch, capsys):
    from roi_kit import report

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(report, "build_report", interrupted)
    assert cli.main(["report", str(SAMPLE_CASE), "-o", "/nonexistent/never"]) == 130
    out, err = capsys.readouterr()
    assert err == "roi-kit: interrupted\n" and out == ""


def test_an_unexpected_error_is_one_line_and_debug_shows_the_traceback(monkeypatch, capsys):
    def broken(args):
        raise ZeroDivisionError("float division\nby zero")

    monkeypatch.setattr(cli, "_cmd_quick", broken)
    assert cli.main(["quick", "1", "1"]) == 1
    line = _one_line_no_traceback(capsys.readouterr().err)
    assert line == (
        "roi-kit: internal error: ZeroDivisionError: float division by zero "
        "(run with --debug for the traceback)"
    )
    for args in (["--debug", "quick", "1", "1"], ["quick", "1", "1", "--debug"]):
        assert cli.main(args) == 1
        err = capsys.readouterr().err
        assert "Traceback (most recent call last)" in err and "ZeroDivisionError" in err


@pytest.mark.slow
def test_ctrl_c_during_a_report_keeps_the_old_one_and_prints_one_line(tmp_path):
    # A real SIGINT to the whole process group, as a terminal sends it, once the first
    # notebook is done. The destination held an earlier report: it must be unchanged.
    dest = tmp_path / "reports"
    dest.mkdir()
    old = '<li><a href="x.html">x</a></li> by crm-roi-kit. Each page opens offline.'
    (dest / "index.html").write_text(old, encoding="utf-8")
    proc = subprocess.Popen(
        [ROI_KIT, "report", str(SAMPLE_CASE), "-o", str(dest)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # A background job may inherit SIGINT ignored; a terminal's foreground job does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    first = proc.stdout.readline()
    assert first.startswith("[1/"), first
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert err == "roi-kit: interrupted\n", err  # no worker or kernel traceback, no warning
    assert "report written" not in out
    assert sorted(p.name for p in dest.iterdir()) == ["index.html"]
    assert (dest / "index.html").read_text(encoding="utf-8") == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]  # staging removed
