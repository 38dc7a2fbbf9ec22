"""One exception family for everything the kit refuses.

Every error a user can cause is a :class:`RoiKitError`. Errors about a data file carry
where the problem is (file, row, column), what was found, and how to fix it, so a
business analyst can mend the file without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "RoiKitError",
    "FinanceInputError",
    "CaseError",
    "DataFileError",
    "EmptyFileError",
    "FileEncodingError",
    "MissingColumnError",
    "BadValueError",
    "DuplicateRowError",
    "GapError",
    "AmbiguousFormatError",
    "ReportError",
]


class RoiKitError(Exception):
    """Base class of every error the kit raises on purpose."""


class FinanceInputError(RoiKitError, ValueError):
    """A finance function got input it cannot give a meaningful answer for.

    Examples: a zero or negative cost in a ratio, NaN, cash-flow arrays of
    different lengths.
    """


class CaseError(RoiKitError, ValueError):
    """A case folder or its ``case.yml`` is wrong (unknown key, bad value, missing file)."""


class ReportError(RoiKitError):
    """Building a report failed (a notebook or cell raised, output could not be written)."""


class DataFileError(RoiKitError, ValueError):
    """A table file (CSV/XLSX) cannot be read as the kit needs it.

    Parameters
    ----------
    problem : str
        What is wrong, in one sentence.
    file : str or Path, optional
        The file the problem is in.
    row : int, optional
        The 1-based line number in the file as a spreadsheet shows it (the header is
        row 1, the first data row is row 2).
    column : str, optional
        The column name as written in the file's header.
    found : object, optional
        The offending value as found in the file.
    fix : str, optional
        How to fix it, in words a spreadsheet user can follow.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        found: object = None,
        fix: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = None if file is None else str(file)
        self.row = row
        self.column = column
        self.found = found
        self.fix = fix
        super().__init__(self._message())

    def _message(self) -> str:
        where = []
        if self.file is not None:
            where.append(f"file {self.file}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {_clip(repr(self.column))}")
        text = (", ".join(where) + ": " if where else "") + self.problem
        if self.found is not None:
            # A cell can be megabytes (a one-line export); the message quotes its start.
            text += f" (found {_clip(repr(self.found))})"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


#: How many characters of a value an error message quotes.
_QUOTED = 80


def _clip(text: str) -> str:
    """A quoted ``repr`` whose inside is cut to :data:`_QUOTED` characters, ending in ``...``.

    The quotes stay, so the message still reads as one quoted value (as the CLI clips).

    Examples
    --------
    >>> _clip(repr("9" * 200)) == "'" + "9" * 77 + "...'"
    True
    >>> _clip("'short'")
    "'short'"
    """
    quoted = len(text) >= 2 and text[0] == text[-1] and text[0] in "'\""
    inside = text[1:-1] if quoted else text
    if len(inside) <= _QUOTED:
        return text
    cut = inside[: _QUOTED - 3] + "..."
    return text[0] + cut + text[-1] if quoted else cut


class EmptyFileError(DataFileError):
    """The file has no data rows (or no bytes at all)."""


class FileEncodingError(DataFileError):
    """The file's bytes are not text in any encoding the kit accepts."""


class MissingColumnError(DataFileError):
    """A required column is not in the header."""


class BadValueError(DataFileError):
    """A cell holds a value of the wrong kind (text in a number column, a negative count...)."""


class DuplicateRowError(DataFileError):
    """The same key (for example a month, or month and group) appears twice."""


class GapError(DataFileError):
    """A time series is missing one or more months."""


class AmbiguousFormatError(DataFileError):
    """A value could be read two ways (for example 01/02/2024); the case must declare which."""
