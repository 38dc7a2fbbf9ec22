"""The `roi-kit` command as a user runs it (installed console script)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from roi_kit import cli

ROI_KIT = shutil.which("roi-kit") or str(Path(sys.executable).with_name("roi-kit"))


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
