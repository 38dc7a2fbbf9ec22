"""Fuzzing ``case.yml``: random text, random bytes and mutated real configs.

Whatever ``case.yml`` holds, :func:`roi_kit.io.read_yaml` and :func:`roi_kit.case.load_case`
return a value / a Case or raise the kit's own :class:`RoiKitError` (never a ``KeyError``,
``TypeError`` or a YAML traceback), and they never write into the case folder.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roi_kit.case import Case, load_case
from roi_kit.errors import RoiKitError
from roi_kit.io import read_yaml
from tests.paths import SAMPLE_CASE

__all__: list[str] = []

pytestmark = pytest.mark.slow

# Small enough for a few seconds per test; ROI_KIT_FUZZ_EXAMPLES=2000 for a long hunt.
EXAMPLES = int(os.environ.get("ROI_KIT_FUZZ_EXAMPLES", "60"))
FAST = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
SAMPLE_CONFIG = yaml.safe_load((SAMPLE_CASE / "case.yml").read_text(encoding="utf-8"))
YAML_PIECES = [
    "name: x\n",
    "kind: review\n",
    "kind: projection\n",
    "currency: EUR\n",
    "go_live: 2024-01\n",
    "baseline: {start: 2022-01, end: 2023-12}\n",
    "after: {start: 2024-01, end: 2025-06}\n",
    "files:\n",
    "  kpis: kpis.csv\n",
    "  - a\n",
    "\t",
    ": ",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "&a ",
    "*a",
    "!!binary ",
    "!!python/object:os.system ",
    "? ",
    "%YAML 1.2\n",
    "---\n",
    "...\n",
    "#",
    "\n",
    "  ",
    "yes",
    "NO",
    "~",
    "1e3",
    "10%",
    ".inf",
    "2024-02-30",
    "键: 值\n",
]


def _tables() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in SAMPLE_CASE.iterdir() if p.suffix == ".csv"}


@pytest.fixture(scope="module")
def case_folder() -> Iterator[Path]:
    """One copy of the sample's tables; each example only rewrites its case.yml."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "case"
        shutil.copytree(SAMPLE_CASE, target)
        yield target


def _load_with(folder: Path, data: bytes) -> Case | None:
    """``load_case`` on the sample tables with ``data`` as case.yml; None when refused."""
    (folder / "case.yml").write_bytes(data)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    try:
        case = load_case(folder)
    except RoiKitError as exc:
        assert "case.yml" in str(exc) or ".csv" in str(exc), str(exc)  # it says which file
        case = None
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert after == before
    return case


@FAST
@given(st.text(max_size=300))
def test_random_text_as_case_yml(case_folder, text):
    _load_with(case_folder, text.encode("utf-8"))


@FAST
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=25))
def test_yaml_looking_text_as_case_yml(case_folder, pieces):
    _load_with(case_folder, "".join(pieces).encode("utf-8"))


@FAST
@given(st.binary(max_size=300))
def test_random_bytes_as_case_yml(case_folder, data):
    _load_with(case_folder, data)


yaml_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**6), 10**6)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.dates(datetime.date(1900, 1, 1), datetime.date(2200, 12, 31))
    | st.sampled_from(["2024-01", "2022-01", "review", "projection", "EUR", "10%", "North"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def mutated_configs(draw) -> dict:
    """The sample's case.yml with a few keys removed, replaced or added (at any depth)."""
    config = yaml.safe_load(yaml.safe_dump(SAMPLE_CONFIG))  # a deep copy
    for _ in range(draw(st.integers(1, 3))):
        node = config
        # Walk down a random path of mappings, then change one key there.
        while isinstance(node, dict) and node and draw(st.booleans()):
            child = node[draw(st.sampled_from(sorted(node, key=str)))]
            if not isinstance(child, dict):
                break
            node = child
        if not isinstance(node, dict):
            continue
        keys = sorted(node, key=str) + ["extra_key"]
        key = draw(st.sampled_from(keys))
        if draw(st.booleans()) and key in node:
            del node[key]
        else:
            node[key] = draw(yaml_values)
    return config


@FAST
@given(mutated_configs())
def test_mutated_sample_config(case_folder, config):
    text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    case = _load_with(case_folder, text.encode("utf-8"))
    if case is not None:
        assert case.kind in ("review", "projection")
        assert 0 <= case.discount_rate < 1
        assert 1 <= case.horizon_years <= 30


@FAST
@given(st.one_of(st.text(max_size=200).map(str.encode), st.binary(max_size=200)))
def test_read_yaml_random_input(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.yml"
        path.write_bytes(data)
        try:
            read_yaml(path)
        except RoiKitError as exc:
            assert "x.yml" in str(exc)
        assert path.read_bytes() == data
