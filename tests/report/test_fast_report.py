"""The fast report (issue 15, item 5): one kernel runs many notebooks, each in a fresh
namespace; the study is computed once per report; every page shows the inputs' hash.
"""

from __future__ import annotations

import dataclasses
import re
import shutil

import nbformat
import pytest

from roi_kit import report
from roi_kit.case import load_case
from roi_kit.study import provenance, run
from tests.paths import NOTEBOOKS, SAMPLE_CASE

__all__: list[str] = []


def _notebook(path, *sources):
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(f"# {path.stem}")]
        + [nbformat.v4.new_code_cell(s) for s in sources]
    )
    spec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["kernelspec"] = spec
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
def test_one_kernel_runs_notebooks_in_separate_namespaces(tmp_path):
    first = _notebook(tmp_path / "01_first.ipynb", "leak = 'defined by the first notebook'")
    sub = tmp_path / "sub"
    sub.mkdir()
    second = _notebook(
        sub / "02_second.ipynb",
        "import os\nprint('leak seen:', 'leak' in globals())\nprint('cwd:', os.getcwd())",
    )
    result = report.build_report(tmp_path / "out", notebooks=[first, second], jobs=1, progress=None)
    page = (tmp_path / "out" / "02_second.html").read_text(encoding="utf-8")
    assert "leak seen: False" in page
    assert f"cwd: {sub}" in page  # each notebook runs in its own folder, as in JupyterLab
    # Both ran on the one worker's kernel: started once, for the first notebook only.
    by_name = {t.name: t for t in result.timings}
    assert by_name["01_first.ipynb"].worker == by_name["02_second.ipynb"].worker
    assert by_name["01_first.ipynb"].kernel_start > 0
    assert by_name["02_second.ipynb"].kernel_start == 0


@pytest.mark.slow
def test_a_failing_cell_is_named_by_its_place_in_the_notebook(tmp_path):
    broken = _notebook(tmp_path / "01_broken.ipynb", "x = 1", "y = 2", "raise KeyError('planted')")
    with pytest.raises(report.ReportError, match=r"01_broken.ipynb failed in cell 3 \(KeyError"):
        report.build_report(tmp_path / "out", notebooks=[broken], jobs=1, progress=None)
    assert not (tmp_path / "out").exists()


def _shown_hash(text):
    return set(re.findall(r'title="SHA-256 ([0-9a-f]{64})"', text))


@pytest.mark.slow
def test_changed_inputs_show_another_hash_on_every_page(tmp_path):
    case = tmp_path / "case"
    shutil.copytree(SAMPLE_CASE, case)
    params = {"case_path": str(case), "n_draws": 500}
    nbs = [NOTEBOOKS / "01_goals.ipynb"]
    first = report.build_report(tmp_path / "r1", parameters=params, notebooks=nbs, progress=None)
    costs = case / "costs.csv"
    costs.write_text(costs.read_text(encoding="utf-8").replace("0", "1", 1), encoding="utf-8")
    second = report.build_report(tmp_path / "r2", parameters=params, notebooks=nbs, progress=None)
    hashes = []
    for result in (first, second):
        shown = _shown_hash(result.pages[0][1].read_text(encoding="utf-8"))
        index = result.index.read_text(encoding="utf-8")
        assert len(shown) == 1 and next(iter(shown)) in index  # full hash on the front page
        assert "DRAFT" in index and "data through 2025-06" in result.pages[0][1].read_text("utf-8")
        hashes.append(next(iter(shown)))
    assert hashes[0] != hashes[1]
    assert hashes[1] == provenance.provenance(case).input_hash


def test_the_study_cache_serves_the_same_study_and_never_another_cases(tmp_path, monkeypatch):
    case = load_case(SAMPLE_CASE)
    fresh = run.run_study(case, n=300, seed=1)
    monkeypatch.setenv(run.CACHE_ENV, str(tmp_path))
    stored = run.run_study(case, n=300, seed=1)
    again = run.run_study(load_case(SAMPLE_CASE), n=300, seed=1)  # another load, same inputs
    assert len(list(tmp_path.glob("study-*.pickle"))) == 1
    for study in (stored, again):
        assert study.result.evaluation.npv == fresh.result.evaluation.npv
        assert (study.monte_carlo.npv == fresh.monte_carlo.npv).all()
    # A case changed in memory is another case: computed anew, stored apart.
    dearer = dataclasses.replace(case, discount_rate=0.25)
    other = run.run_study(dearer, n=300, seed=1)
    assert len(list(tmp_path.glob("study-*.pickle"))) == 2
    assert other.result.evaluation.npv != fresh.result.evaluation.npv
    # Other draws or another seed: other keys too.
    assert run.case_fingerprint(case, 300, 1, None) != run.case_fingerprint(case, 300, 2, None)
