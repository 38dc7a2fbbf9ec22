"""Provenance and sign-off of a study: what it was built from, by which kit, and who signed.

A finance reviewer must be able to tell two printouts apart and trace each to its inputs:
every report page, the PDF and the workbook carry the kit version, a SHA-256 hash of the
case's input files (``case.yml`` and every table it names), the month the data runs
through, the build date and the sign-off of ``case.yml``'s ``review:`` section (prepared
by, reviewed by, approved by, draft or final, date). Any change to any input byte changes
the hash.

:func:`provenance` computes it; :func:`provenance_html` renders it (escaped) for a page,
:func:`provenance_rows` as label/value rows (a workbook's Provenance sheet) and
:func:`header_fields` as the PDF's running header.
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from roi_kit.case import Case, load_case
from roi_kit.case.types import Review

__all__ = [
    "Provenance",
    "input_files",
    "input_hash",
    "provenance",
    "provenance_rows",
    "provenance_html",
    "header_fields",
]

#: Characters of the hash shown on a page (the full hash is in the hover text and rows).
SHORT_HASH = 12


@dataclass(frozen=True)
class Provenance:
    """Where a study's numbers come from and who signed it off.

    Attributes
    ----------
    case_name : str
    kit_version : str
        crm-roi-kit's version.
    input_hash : str
        SHA-256 (hex) over every input file's name and SHA-256, see :func:`input_hash`.
    files : tuple of (str, str, str)
        (role, file name, SHA-256 hex) of each input file, ``case.yml`` first.
    data_through : str
        Last month of the KPI data, ``YYYY-MM``.
    built : str
        Build date, ISO ``YYYY-MM-DD``.
    review : Review
        The sign-off from ``case.yml`` (a draft with no names when absent).
    """

    case_name: str
    kit_version: str
    input_hash: str
    files: tuple[tuple[str, str, str], ...]
    data_through: str
    built: str
    review: Review

    @property
    def status(self) -> str:
        """``"DRAFT"`` or ``"FINAL"``, as every page and the PDF print it."""
        return self.review.status.upper()

    @property
    def short_hash(self) -> str:
        return self.input_hash[:SHORT_HASH]


def _config_file(case_path: str | Path, case: Case) -> Path:
    given = Path(case_path)
    return given if given.is_file() else case.path / "case.yml"


def input_files(case_path: str | Path, case: Case) -> list[tuple[str, Path]]:
    """(role, path) of each input file: the case's YAML file, then its tables by role."""
    tables = sorted((str(role), Path(p)) for role, p in case.files.items() if p is not None)
    return [("case.yml", _config_file(case_path, case)), *tables]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def input_hash(files: list[tuple[str, str, str]] | tuple[tuple[str, str, str], ...]) -> str:
    """SHA-256 over one ``role<TAB>name<TAB>sha256`` line per file, in the given order.

    A renamed, added, removed or edited file changes it; the folder's location does not
    (the same inputs copied elsewhere give the same hash).
    """
    lines = "".join(f"{role}\t{name}\t{digest}\n" for role, name, digest in files)
    return hashlib.sha256(lines.encode("utf-8")).hexdigest()


def provenance(
    case_path: str | Path, *, case: Case | None = None, built: str | date | None = None
) -> Provenance:
    """The provenance of the case at ``case_path`` (a case folder or its .yml file).

    Parameters
    ----------
    case_path : str or Path
    case : Case, optional
        The case already loaded from ``case_path`` (loaded here otherwise).
    built : str or date, optional
        The build date (default today).

    Returns
    -------
    Provenance

    Examples
    --------
    >>> from roi_kit.case.sample import default_sample_dir
    >>> p = provenance(default_sample_dir(), built="2026-01-31")
    >>> p.status, p.built, len(p.input_hash)
    ('DRAFT', '2026-01-31', 64)
    """
    from roi_kit import __version__

    case = case if case is not None else load_case(case_path)
    files = tuple((role, path.name, _sha256(path)) for role, path in input_files(case_path, case))
    months = case.kpis["month"]
    day = built if built is not None else date.today()
    return Provenance(
        case_name=case.name,
        kit_version=__version__,
        input_hash=input_hash(files),
        files=files,
        data_through=str(months.max()) if len(months) else "",
        built=day.isoformat() if isinstance(day, date) else str(day),
        review=case.review,
    )


def provenance_rows(prov: Provenance) -> list[tuple[str, str]]:
    """(label, value) rows: the whole provenance, for a table or a workbook sheet."""
    r = prov.review
    rows = [
        ("Case", prov.case_name),
        ("Kit version", f"crm-roi-kit {prov.kit_version}"),
        ("Input hash (SHA-256)", prov.input_hash),
        ("Data through", prov.data_through),
        ("Built", prov.built),
        ("Status", prov.status),
        ("Prepared by", r.prepared_by or "not given"),
        ("Reviewed by", r.reviewed_by or "not given"),
        ("Approved by", r.approved_by or "not given"),
        ("Sign-off date", r.date or "not given"),
    ]
    rows += [
        (f"Input file ({role})", f"{name} sha256 {digest}") for role, name, digest in prov.files
    ]
    return rows


def header_fields(prov: Provenance) -> dict[str, str]:
    """The PDF's running header: case, kit version, data-through month, DRAFT or FINAL."""
    return {
        "case": prov.case_name,
        "kit": prov.kit_version,
        "data_through": prov.data_through,
        "status": prov.status,
        "built": prov.built,
    }


def provenance_html(prov: Provenance, *, compact: bool = False) -> str:
    """The provenance and sign-off as escaped HTML (``class="roi-provenance"``).

    ``compact`` is the one-block banner of every page; otherwise a table for the front page.
    """
    e = html.escape
    r = prov.review
    status = f'<b class="roi-status-{e(r.status)}">{e(prov.status)}</b>'
    if compact:
        signed = " / ".join(
            f"{label} {e(name)}"
            for label, name in (
                ("prepared by", r.prepared_by),
                ("reviewed by", r.reviewed_by),
                ("approved by", r.approved_by),
            )
            if name
        )
        parts = [
            status,
            e(prov.case_name),
            f"crm-roi-kit {e(prov.kit_version)}",
            f'inputs <code title="SHA-256 {e(prov.input_hash)}">{e(prov.short_hash)}</code>',
            f"data through {e(prov.data_through or 'n/a')}",
            f"built {e(prov.built)}",
            f"sign-off: {signed or 'no names given'}" + (f" ({e(r.date)})" if r.date else ""),
        ]
        spans = "".join(f"<span>{p}</span>" for p in parts)
        return f'<div class="roi-provenance">{spans}</div>'
    body = "".join(
        f"<tr><th>{e(label)}</th><td>{status if label == 'Status' else e(value)}</td></tr>"
        for label, value in provenance_rows(prov)
    )
    return (
        '<div class="roi-provenance"><h2>Provenance and sign-off</h2>'
        f'<table style="text-align: left">{body}</table></div>'
    )
