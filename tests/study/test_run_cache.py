"""The report's cache (roi_kit.case.memo): the comparison table and the study computed once
per report, equal to the uncached ones, never another case's, never read half-written.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import shutil
import time

import numpy as np
import pandas as pd
import pytest

from roi_kit.case import load_case, memo
from roi_kit.measure import compare, compare_all
from roi_kit.study import run
from tests.paths import SAMPLE_CASE

__all__: list[str] = []

# The naive rows only: about a second per table, and the cache does not care which rows.
_FAST = ("naive",)


@pytest.fixture(scope="module")
def sample():
    return load_case(SAMPLE_CASE)


@pytest.fixture
def computed(monkeypatch):
    """Counts the real computations of compare_all (cached reads do not call it)."""
    calls: list[int] = []
    real = compare._compare_case

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compare, "_compare_case", counting)
    return calls


def test_the_cached_table_is_the_uncached_one(sample, tmp_path, monkeypatch, computed):
    monkeypatch.delenv(memo.CACHE_ENV, raising=False)
    uncached = compare_all(sample)
    monkeypatch.setenv(memo.CACHE_ENV, str(tmp_path))
    stored = compare_all(sample)  # computed and stored
    assert len(computed) == 2
    assert len(list(tmp_path.glob("compare-*.pickle"))) == 1
    # Other arguments are another table: computed, stored apart.
    compare_all(sample, methods=_FAST, seed=3)
    assert len(computed) == 3
    assert len(list(tmp_path.glob("compare-*.pickle"))) == 2

    def refuse(*args, **kwargs):
        raise AssertionError("a cached table was computed again")

    monkeypatch.setattr(compare, "_compare_case", refuse)
    read = compare_all(load_case(SAMPLE_CASE))  # another load of the same inputs: a read
    pd.testing.assert_frame_equal(stored, uncached)
    pd.testing.assert_frame_equal(read, uncached)
    assert read is not stored  # a new object per read: no page changes another's table


def test_outside_a_report_nothing_is_cached(sample, tmp_path, monkeypatch, computed):
    monkeypatch.delenv(memo.CACHE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    compare_all(sample, methods=_FAST)
    compare_all(sample, methods=_FAST)
    assert len(computed) == 2
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setenv(memo.CACHE_ENV, "")  # set but empty: the same
    compare_all(sample, methods=_FAST)
    assert len(computed) == 3


def test_a_changed_csv_is_another_key_and_computed_again(tmp_path, monkeypatch, computed):
    case_dir = tmp_path / "case"
    shutil.copytree(SAMPLE_CASE, case_dir)
    cache = tmp_path / "cache"
    cache.mkdir()
    monkeypatch.setenv(memo.CACHE_ENV, str(cache))
    before = load_case(case_dir)
    first = compare_all(before, methods=_FAST)
    # North's 2022-01 revenue (a baseline month of the treated group) up by 2,400.
    kpis = case_dir / "kpis.csv"
    text = kpis.read_text(encoding="utf-8")
    assert "2022-01,North,253638.30," in text
    kpis.write_text(text.replace("2022-01,North,253638.30,", "2022-01,North,256038.30,"), "utf-8")
    after = load_case(case_dir)
    assert memo.case_fingerprint(before, _FAST) != memo.case_fingerprint(after, _FAST)
    second = compare_all(after, methods=_FAST)
    assert len(computed) == 2
    assert len(list(cache.glob("compare-*.pickle"))) == 2

    def revenue_baseline(table):
        row = table[(table["kpi"] == "revenue") & (table["method"] == "naive")]
        return float(row["baseline"].iloc[0])

    # Hand: the baseline mean of 24 months moves by 2,400 / 24 = 100.
    assert revenue_baseline(second) - revenue_baseline(first) == pytest.approx(100.0, abs=1e-6)


def test_the_study_reuses_the_cached_table(sample, tmp_path, monkeypatch, computed):
    monkeypatch.setenv(memo.CACHE_ENV, str(tmp_path))
    study = run.run_study(sample, n=200, seed=0)
    assert len(computed) == 1
    table = compare_all(sample)  # the tracking page's call: the study's table, read
    assert len(computed) == 1
    pd.testing.assert_frame_equal(table, study.comparison)
    assert {p.name.split("-")[0] for p in tmp_path.glob("*.pickle")} == {"study", "compare"}


def test_a_result_that_cannot_be_stored_leaves_no_file(tmp_path, monkeypatch, sample):
    monkeypatch.setenv(memo.CACHE_ENV, str(tmp_path))
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        memo.memoised("odd", sample, (), lambda: lambda: None)  # a lambda does not pickle
    assert list(tmp_path.glob("*.pickle")) == []
    assert [p for p in tmp_path.iterdir() if p.suffix != ".lock"] == []
    assert memo.memoised("odd", sample, (), lambda: [1, 2]) == [1, 2]  # the lock was freed


# -- several processes at once (the report's workers), spawned like the report's -------------

_PAYLOAD = 3_000_000  # float64s: 24 MB, so a non-atomic write would be seen half-done


def _slow_array(marks: str) -> np.ndarray:
    with open(f"{marks}/{multiprocessing.current_process().pid}-{time.time_ns()}", "w"):
        pass
    time.sleep(0.3)
    return np.arange(_PAYLOAD, dtype=float)


def _worker(cache: str, marks: str, case_dir: str, lock: bool) -> tuple[int, float, float]:
    import os

    os.environ[memo.CACHE_ENV] = cache
    if not lock:  # as on Windows: no file lock, only the atomic write protects readers
        memo._locked = lambda path: contextlib.nullcontext()
    case = load_case(case_dir)
    out = memo.memoised("array", case, (), lambda: _slow_array(marks))
    return len(out), float(out[0]), float(out[-1])


@pytest.mark.parametrize("lock", [True, False], ids=["locked", "no-lock"])
def test_concurrent_workers_read_whole_results(tmp_path, lock):
    cache, marks = tmp_path / "cache", tmp_path / "marks"
    cache.mkdir()
    marks.mkdir()
    context = multiprocessing.get_context("spawn")
    args = (str(cache), str(marks), str(SAMPLE_CASE), lock)
    with context.Pool(4) as pool:
        results = pool.starmap(_worker, [args] * 8)
    assert results == [(_PAYLOAD, 0.0, _PAYLOAD - 1.0)] * 8  # every read whole
    assert len(list(cache.glob("array-*.pickle"))) == 1
    assert not [p for p in cache.iterdir() if p.suffix not in (".pickle", ".lock")]
    if lock:  # the others waited for the first: computed once
        assert len(list(marks.iterdir())) == 1
