"""case.yml is read with limits: alias bombs, deep nesting, huge files and pipes are refused
quickly, with the file named and the fix, before any Python object is built."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
import yaml

from roi_kit.errors import CaseError
from roi_kit.io.yaml_file import MAX_ALIAS_NODES, MAX_BYTES, MAX_DEPTH, expanded_size, read_yaml


def _billion_laughs() -> str:
    """The classic "billion laughs": 9 levels, each alias list repeating the one before 10
    times, so the last expands to 10**9 strings (about 2.5 KB of text)."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]")
    return "\n".join(lines) + "\n"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "case.yml"
    path.write_text(text, encoding="utf-8")
    return path


def _refused_quickly(path: Path) -> str:
    t0 = time.perf_counter()
    with pytest.raises(CaseError) as info:
        read_yaml(path)
    elapsed = time.perf_counter() - t0
    # Not a speed test (the machine may be loaded): a ceiling far above the refusal (well
    # under 0.1 s idle) and far below the billion laughs without limits (past 90 s).
    assert elapsed < 30.0, elapsed
    message = str(info.value)
    assert str(path) in message and "Fix:" in message, message
    assert len(message.splitlines()) == 1, message
    return message


def test_billion_laughs_is_refused_in_well_under_a_second(tmp_path):
    text = _billion_laughs()
    assert len(text) < 3_000  # a small file (the was about 2.5 KB)
    message = _refused_quickly(_write(tmp_path, text))
    assert "aliases" in message and f"{MAX_ALIAS_NODES:,}" in message


@pytest.mark.parametrize(
    "text",
    [
        "a: " + "[" * 3000 + "]" * 3000 + "\n",  # flow lists, 3,000 levels
        # block mappings, 300 levels (3,000 would be 9 MB of indentation, refused for size)
        "".join("  " * i + f"k{i}:\n" for i in range(300)) + "  " * 300 + "v\n",
    ],
    ids=["flow", "block"],
)
def test_deep_nesting_is_refused_not_a_recursion_error(tmp_path, text):
    message = _refused_quickly(_write(tmp_path, text))
    assert f"more than {MAX_DEPTH} levels" in message


def test_nesting_at_the_limit_is_read_and_one_more_level_is_not(tmp_path):
    # Every node counts: the top mapping is level 1, then the lists, then the scalar 1.
    # With MAX_DEPTH - 2 lists the scalar sits at level MAX_DEPTH: the deepest allowed.
    depth = MAX_DEPTH - 2
    data = read_yaml(_write(tmp_path, "a: " + "[" * depth + "1" + "]" * depth + "\n"))
    inner = data["a"]
    for _ in range(depth - 1):
        inner = inner[0]
    assert inner == [1]
    deeper = depth + 1
    with pytest.raises(CaseError, match="nested more than"):
        read_yaml(_write(tmp_path, "a: " + "[" * deeper + "1" + "]" * deeper + "\n"))


def test_alias_nesting_through_anchors_is_bounded(tmp_path):
    # Each anchor nests the previous one 50 lists deeper: 5 anchors = 250+ levels expanded,
    # although no line of the file nests deeper than 52.
    lines = ["a0: &a0 1"]
    for i in range(1, 6):
        lines.append(f"a{i}: &a{i} " + "[" * 50 + f"*a{i - 1}" + "]" * 50)
    message = _refused_quickly(_write(tmp_path, "\n".join(lines) + "\n"))
    assert "through aliases" in message


def test_an_alias_inside_itself_is_refused(tmp_path):
    message = _refused_quickly(_write(tmp_path, "a: &a [1, *a]\n"))
    assert "refers to itself" in message


def test_a_few_aliases_are_read_as_before(tmp_path):
    text = "base: &b {gross_margin: 0.3}\nlow: *b\nhigh:\n  <<: *b\n  attribution_share: 0.6\n"
    data = read_yaml(_write(tmp_path, text))
    assert data == {
        "base": {"gross_margin": 0.3},
        "low": {"gross_margin": 0.3},
        "high": {"gross_margin": 0.3, "attribution_share": 0.6},
    }


def test_expanded_size_counts_each_alias_as_its_subtree():
    # By hand: mapping (1) + key a (1) + list (1) + its 3 items (3) = 6 distinct nodes;
    # key b (1) and key c (1) add 2 more -> 8 distinct. b and c each repeat the 4-node
    # list: expanded 8 + 2 * 4 = 16. Deepest: mapping -> list -> item = 3.
    node = yaml.compose("a: &x [1, 2, 3]\nb: *x\nc: *x\n")
    assert expanded_size(node) == (8, 16, 3)


def test_a_duplicate_key_still_names_its_line(tmp_path):
    with pytest.raises(CaseError, match=r"case\.yml, line 3: key 'name' is written twice"):
        read_yaml(_write(tmp_path, "name: A\ncurrency: EUR\nname: B\n"))


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path):
    path = tmp_path / "case.yml"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("name: " + "y" * (MAX_BYTES + 10) + "\n")
    message = _refused_quickly(path)
    assert "bytes, more than the 1,000,000" in message


def test_a_number_too_long_for_python_is_a_case_error(tmp_path):
    # Python refuses int() of more than 4,300 digits with a ValueError.
    with pytest.raises(CaseError, match="a value cannot be read"):
        read_yaml(_write(tmp_path, "horizon_years: " + "9" * 5000 + "\n"))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")
def test_a_pipe_in_place_of_case_yml_is_not_a_regular_file(tmp_path):
    path = tmp_path / "case.yml"
    os.mkfifo(path)
    # Reading a FIFO with no writer would block forever; the check comes first.
    message = _refused_quickly(path)
    assert "not a regular file" in message
