"""Recompute a workbook with an independent formula engine (the ``formulas`` package).

:func:`recalculate` loads the .xlsx, evaluates every formula (optionally with some input
cells changed) and returns a reader of cells by sheet and A1 address or by defined name.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from xml.etree import ElementTree

import formulas
import numpy as np

__all__ = ["Recalc", "defined_names", "load_model", "recalculate"]

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def defined_names(path: Path) -> dict[str, tuple[str, str]]:
    """Defined name -> (sheet, A1 address), read from the file's workbook.xml."""
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("xl/workbook.xml"))
    out = {}
    for node in root.iterfind("m:definedNames/m:definedName", _NS):
        m = re.fullmatch(r"'?(.+?)'?!\$?([A-Z]+)\$?(\d+)", node.text or "")
        if m:
            out[node.get("name")] = (m.group(1), f"{m.group(2)}{m.group(3)}")
    return out


class Recalc:
    """Values of a recomputed workbook, by (sheet, A1) or by defined name."""

    def __init__(self, path: Path, solution: Mapping) -> None:
        self.book = path.name.upper()
        self.names = defined_names(path)
        self.values = {}
        for key, value in solution.items():
            v = getattr(value, "value", value)
            arr = np.asarray(v, dtype=object)
            if arr.shape == (1, 1):
                self.values[key.upper()] = arr[0, 0]

    def key(self, sheet: str, cell: str) -> str:
        return f"'[{self.book}]{sheet.upper()}'!{cell.upper()}"

    def cell(self, sheet: str, cell: str):
        """The computed value (a float, or text such as "none")."""
        v = self.values[self.key(sheet, cell)]
        return v if isinstance(v, str) else float(v)

    def name(self, name: str):
        return self.cell(*self.names[name])

    def rows(self, sheet: str, column: str = "A") -> dict[str, int]:
        """Text in ``column`` -> its row number (1-based), for finding labelled rows."""
        prefix = f"'[{self.book}]{sheet.upper()}'!{column}"
        out = {}
        for key, v in self.values.items():
            rest = key[len(prefix) :] if key.startswith(prefix) else ""
            if rest.isdigit() and isinstance(v, str):
                out.setdefault(v, int(rest))
        return out


def load_model(path: Path) -> formulas.ExcelModel:
    """The workbook parsed into a formula model (the slow step: do it once per file)."""
    return formulas.ExcelModel().loads(str(path)).finish()


def recalculate(
    path: Path, changes: Mapping[str, float] | None = None, model: formulas.ExcelModel = None
) -> Recalc:
    """Evaluate every formula of ``path``; ``changes`` sets defined-name inputs first."""
    model = model if model is not None else load_model(path)
    names = defined_names(path)
    inputs = {}
    for name, value in (changes or {}).items():
        sheet, cell = names[name]
        # The engine keys cells by the file name as written and the sheet upper-cased.
        inputs[f"'[{path.name}]{sheet.upper()}'!{cell}"] = value
    solution = model.calculate(inputs=inputs) if inputs else model.calculate()
    return Recalc(path, solution)
