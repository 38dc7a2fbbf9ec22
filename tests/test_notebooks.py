"""The notebooks narrate, call and show: rules every notebook must keep.

nbval (run by `make test`) executes each notebook and compares the cells marked
NBVAL_CHECK_OUTPUT with their stored output; these tests check the rules nbval
cannot: literal parameters, no logic defined in cells, outputs stripped.
"""

from __future__ import annotations

import ast

import nbformat
import pytest

from tests.paths import NOTEBOOKS as FOLDER

NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))


def _code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_there_are_notebooks():
    assert any(p.name == "00_quick_roi.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_parameters_cell_is_literal_and_has_report_mode(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in _code_cells(nb) if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    tree = ast.parse(tagged[0].source)
    names = set()
    for node in tree.body:
        assert isinstance(node, ast.Assign), f"only assignments in the parameters cell: {node}"
        # Literals only (numbers, strings, lists/dicts of them, negative numbers), so
        # papermill can override them and a reader sees the value.
        ast.literal_eval(node.value)
        names.update(t.id for t in node.targets)
    assert "report_mode" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_logic_defined_in_cells(path):
    nb = nbformat.read(path, as_version=4)
    for cell in _code_cells(nb):
        assert "sys.path" not in cell.source, "notebooks import the installed package"
        assert "pip install" not in cell.source
        tree = ast.parse(cell.source)
        for node in ast.walk(tree):
            assert not isinstance(
                node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda
            ), f"logic belongs in roi_kit, not in a cell: {cell.source[:60]!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_stripped_except_checked_cells(path):
    nb = nbformat.read(path, as_version=4)
    checked = 0
    for cell in _code_cells(nb):
        if "NBVAL_CHECK_OUTPUT" in cell.source:
            checked += 1
            assert cell.outputs, "a checked cell keeps its expected output"
        else:
            assert not cell.outputs, f"strip outputs: {cell.source[:60]!r}"
    assert checked >= 1, "each notebook checks at least one headline result"
