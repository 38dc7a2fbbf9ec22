"""The owner -> team -> region join: a teams file that names each deal owner's groups.

A CRM export names the owner of each deal (``sales_agent``, ``Opportunity Owner``,
``Deal owner``), rarely the owner's team or region. A *teams file* (CSV or XLSX, one row per
owner) supplies them: the public dataset's ``sales_teams.csv`` (``sales_agent``, ``manager``,
``regional_office``), a Salesforce user report (``Full Name``, ``Role``, ``Region``), a HubSpot
users/teams export (``Deal owner`` or ``Name``, ``Team``). :func:`read_teams` reads it and
finds the owner column: the one named with ``owner_column``, else the column that holds the
most of the export's owner names (ties: the column named like the export's owner column).
Owner names match ignoring case and repeated spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from roi_kit.errors import BadValueError, DataFileError, MissingColumnError
from roi_kit.io.crm_formats import _norm
from roi_kit.io.tables import read_raw

__all__ = ["TEAMS_FILE", "Teams", "read_teams", "teams_beside"]

#: The teams file read when it lies beside the export and no other is named.
TEAMS_FILE = "sales_teams.csv"
#: What an unmatched owner's group is called.
NO_TEAM = "(no team)"
_MAX_LISTED = 5


@dataclass(frozen=True)
class Teams:
    """One teams file: each owner's values of the other columns.

    Attributes
    ----------
    path : pathlib.Path
        The file read.
    owner : str
        Its owner column, as written in its header.
    columns : tuple of str
        Its header.
    rows : dict
        Normalised owner name -> {column: value as text; ``"(blank)"`` where empty}.
    """

    path: Path
    owner: str
    columns: tuple[str, ...]
    rows: dict[str, dict[str, str]]

    def column(self, name: str) -> str | None:
        """The header name matching ``name``, or None.

        Matched as case tables match headers: ignoring case, spaces, ``_`` and ``-``
        (``"Regional Office"`` finds ``regional_office``).
        """
        by_key = {_header_key(c): c for c in self.columns}
        return by_key.get(_header_key(name))

    def value(self, owner: str | None, column: str) -> str:
        """``column``'s value for ``owner``, or ``"(no team)"`` when the owner is not listed."""
        row = self.rows.get(_norm(owner or ""))
        return NO_TEAM if row is None else row[column]


def _header_key(name: str) -> str:
    return re.sub(r"[\s_-]+", "", str(name)).casefold()


def teams_beside(export: Path) -> Path | None:
    """``sales_teams.csv`` in the export's folder, if there is one."""
    path = export.parent / TEAMS_FILE
    return path if path.is_file() else None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _owner_column(
    header: list[str], cells: dict[str, list[str]], owners: set[str], hint: str | None, path: Path
) -> str:
    """The column holding the most export owners; a tie goes to the one named like ``hint``."""
    best = max(
        header,
        key=lambda c: (
            len({_norm(v) for v in cells[c]} & owners),
            hint is not None and _norm(c) == _norm(hint),
        ),
    )
    if not {_norm(v) for v in cells[best]} & owners:
        shown = ", ".join(repr(o) for o in sorted(owners)[:3])
        raise MissingColumnError(
            f"no column of the teams file holds the export's owner names (such as {shown})",
            file=path,
            found=header,
            fix="name the teams file's owner column with --teams-owner COLUMN, and check that "
            "it spells the owners as the export does",
        )
    return best


def read_teams(
    path: str | Path,
    owners: Iterable[str | None],
    *,
    owner_column: str | None = None,
    export_owner: str | None = None,
) -> Teams:
    """Read a teams file (CSV or XLSX) and find its owner column.

    Parameters
    ----------
    path : str or Path
        The teams file, one row per owner; only read.
    owners : iterable of str
        The owner names of the export (to detect the owner column by its values).
    owner_column : str, optional
        The teams file's owner column (``--teams-owner``); default: detected.
    export_owner : str, optional
        The export's owner header (``sales_agent``): breaks a tie in the detection.

    Returns
    -------
    Teams

    Raises
    ------
    DataFileError
        The file cannot be read as a table (:func:`roi_kit.io.read_table`'s errors), names no
        such owner column (:class:`MissingColumnError`), or lists one owner twice with
        different values (:class:`BadValueError`, naming both rows).
    """
    file = Path(path)
    frame = read_raw(file)
    header = [str(c) for c in frame.columns]
    cells = {c: [_text(v) for v in frame[c]] for c in header}
    wanted = {_norm(o) for o in owners if o}
    if owner_column is not None:
        owner = {_norm(c): c for c in header}.get(_norm(owner_column))
        if owner is None:
            raise MissingColumnError(
                f"the teams file has no column {owner_column!r}",
                file=file,
                column=owner_column,
                found=header,
                fix=f"name one of its columns with --teams-owner: {', '.join(header)}",
            )
    else:
        owner = _owner_column(header, cells, wanted, export_owner, file)
    rows: dict[str, dict[str, str]] = {}
    first_row: dict[str, int] = {}
    for i, row_number in enumerate(frame.index):
        key = _norm(cells[owner][i])
        if not key:
            continue
        values = {c: (cells[c][i] or "(blank)") for c in header}
        if key in rows and rows[key] != values:
            raise BadValueError(
                f"owner {cells[owner][i]!r} is listed twice with different teams (rows "
                f"{first_row[key]} and {row_number})",
                file=file,
                row=int(row_number),
                column=owner,
                found=cells[owner][i],
                fix="keep one row per owner in the teams file",
            )
        rows[key], first_row[key] = values, int(row_number)
    if not rows:
        raise DataFileError("the teams file lists no owner", file=file, fix="fill in the owners")
    return Teams(path=file, owner=owner, columns=tuple(header), rows=rows)


def _unmatched_warning(teams: Teams, owners: Iterable[str | None]) -> list[str]:
    """A warning naming the export's owners the teams file does not list."""
    missing = sorted({o for o in owners if o and _norm(o) not in teams.rows})
    if not missing:
        return []
    return [
        f"{len(missing)} owner(s) not in {teams.path.name} (column {teams.owner!r}), grouped "
        f"as '{NO_TEAM}': " + ", ".join(missing[:_MAX_LISTED])
    ]
