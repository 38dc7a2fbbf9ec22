"""Shared fixtures and markers.

Markers (registered in ``pyproject.toml``):

- ``dataset``: needs the public CRM export in ``../shared/data/crm-sales-opportunities``.
- ``browser``: needs Debian's Chromium (``apt-get install chromium``) and Playwright.
- ``slow``: takes more than a few seconds (still run by ``make test``; ``-m "not slow"`` skips).

Outside CI a test whose resource is missing is *skipped*, with the reason in the summary,
so ``make test`` passes on a fresh clone with nothing beside it. With ``CI=true`` the same
test *fails*: CI has both, and a silent skip there would hide a broken setup.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.paths import CHROMIUM, DATASET, SAMPLE_CASE

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _missing(item: pytest.Item) -> str | None:
    """Why ``item`` cannot run here, or None."""
    if item.get_closest_marker("dataset") and not (DATASET / "sales_pipeline.csv").is_file():
        return (
            f"needs the public CRM export at {DATASET} "
            "(../shared/data/crm-sales-opportunities beside the repository)"
        )
    if item.get_closest_marker("browser"):
        if not CHROMIUM.exists():
            return (
                f"needs Chromium at {CHROMIUM}: 'apt-get install chromium' "
                "(or set ROI_KIT_CHROMIUM)"
            )
        try:
            import playwright  # noqa: F401
        except ImportError:
            return "needs playwright: pip install -e '.[dev]'"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    reason = _missing(item)
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true and this test {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def sample_case_path() -> Path:
    """The committed sample case folder (read only: copy it before changing anything)."""
    return SAMPLE_CASE


@pytest.fixture(scope="session")
def sample_case():
    """The sample case, loaded once per test run (a frozen Case: safe to share)."""
    from roi_kit.case import load_case

    return load_case(SAMPLE_CASE)


@pytest.fixture
def case_copy(tmp_path) -> Path:
    """A private copy of the sample case folder that a test may edit."""
    folder = tmp_path / "case"
    shutil.copytree(SAMPLE_CASE, folder)
    return folder


@pytest.fixture(scope="session")
def dataset_dir() -> Path:
    """The public CRM export folder; a test that uses it is skipped (CI: failed) without it."""
    if not (DATASET / "sales_pipeline.csv").is_file():
        reason = (
            f"needs the public CRM export at {DATASET} "
            "(../shared/data/crm-sales-opportunities beside the repository)"
        )
        if IN_CI:
            pytest.fail(f"CI=true and this test {reason}", pytrace=False)
        pytest.skip(reason)
    return DATASET
