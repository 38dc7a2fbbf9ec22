"""What the kit knows about CRM opportunity exports: fields, column and stage names per format.

Salesforce opportunity reports, HubSpot deal exports and the public CRM Sales Opportunities
dataset are recognised from their header (:func:`detect_mapping`); any other export is read
with a custom :class:`Mapping` (``crm_export:`` in ``case.yml``). The importer that uses this
knowledge is :mod:`roi_kit.io.crm_export`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roi_kit.errors import CaseError, DataFileError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FIELDS", "REQUIRED_FIELDS", "OUTCOMES", "DATE_ORDERS", "Mapping", "detect_mapping"]

#: Canonical fields an export can be mapped to.
FIELDS = (
    "id",
    "name",
    "stage",
    "created_date",
    "close_date",
    "amount",
    "owner",
    "account",
    "pipeline",
    "won_flag",
    "closed_flag",
)
#: Fields without which no monthly figure can be computed.
REQUIRED_FIELDS = ("stage", "created_date", "close_date", "amount")
#: What a stage can mean.
OUTCOMES = ("won", "lost", "open")

_WON, _LOST, _OPEN = 1, 2, 0
_OUTCOME_CODE = {"won": _WON, "lost": _LOST, "open": _OPEN}
#: How slash dates of an export may be read.
DATE_ORDERS = ("auto", "MDY", "DMY")
_DATE_ORDERS = DATE_ORDERS


@dataclass(frozen=True)
class Mapping:
    """How an export's columns and stage names map to the kit's fields.

    Parameters
    ----------
    name : str
        The format: ``"salesforce"``, ``"hubspot"``, ``"crm-sales-opportunities"`` or
        ``"custom"``.
    columns : dict of str to str
        Canonical field (one of :data:`FIELDS`) -> column header as written in the export.
    stages : dict of str to str
        Stage name -> ``"won"``, ``"lost"`` or ``"open"``. Matched ignoring case and repeated
        spaces, and a trailing ``" (Pipeline name)"`` as HubSpot adds it.
    date_order : str, default "auto"
        ``"auto"``, ``"MDY"`` or ``"DMY"``: how to read slash dates such as ``01/02/2024``.
    """

    name: str
    columns: dict[str, str]
    stages: dict[str, str] = field(default_factory=dict)
    date_order: str = "auto"


# --- built-in formats ------------------------------------------------------------------------

# Header names per field, tried in order; matched ignoring case and repeated spaces.
_SALESFORCE_COLUMNS = {
    "id": ("Opportunity ID", "Opportunity ID (18)", "Opportunity Id"),
    "name": ("Opportunity Name",),
    "stage": ("Stage",),
    "created_date": ("Created Date",),
    "close_date": ("Close Date",),
    "amount": ("Amount",),
    "owner": ("Opportunity Owner",),
    "account": ("Account Name",),
    "won_flag": ("Won",),
    "closed_flag": ("Closed",),
}
_SALESFORCE_STAGES = {
    "closed won": "won",
    "closed lost": "lost",
    # Salesforce's default open stages (Setup > Opportunity Stages).
    "prospecting": "open",
    "qualification": "open",
    "needs analysis": "open",
    "value proposition": "open",
    "id. decision makers": "open",
    "perception analysis": "open",
    "proposal/price quote": "open",
    "negotiation/review": "open",
}
_HUBSPOT_COLUMNS = {
    "id": ("Record ID", "Deal ID"),
    "name": ("Deal Name",),
    "stage": ("Deal Stage",),
    "created_date": ("Create Date", "Created Date"),
    "close_date": ("Close Date",),
    "amount": ("Amount",),
    "owner": ("Deal owner", "Deal Owner"),
    "account": ("Associated Company", "Company name"),
    "pipeline": ("Pipeline",),
}
_HUBSPOT_STAGES = {
    # Internal IDs (API / some exports) and the labels of HubSpot's default sales pipeline.
    "closedwon": "won",
    "closed won": "won",
    "closedlost": "lost",
    "closed lost": "lost",
    "appointmentscheduled": "open",
    "appointment scheduled": "open",
    "qualifiedtobuy": "open",
    "qualified to buy": "open",
    "presentationscheduled": "open",
    "presentation scheduled": "open",
    "decisionmakerboughtin": "open",
    "decision maker bought-in": "open",
    "contractsent": "open",
    "contract sent": "open",
}
_DATASET_COLUMNS = {
    "id": ("opportunity_id",),
    "stage": ("deal_stage",),
    "created_date": ("engage_date",),
    "close_date": ("close_date",),
    "amount": ("close_value",),
    "owner": ("sales_agent",),
    "account": ("account",),
}
_DATASET_STAGES = {"won": "won", "lost": "lost", "engaging": "open", "prospecting": "open"}

# name -> (columns, stages, header fields that identify the format: all of the first tuple
# and at least one of the second)
_FORMATS: dict[str, tuple[dict[str, tuple[str, ...]], dict[str, str], tuple, tuple]] = {
    "salesforce": (
        _SALESFORCE_COLUMNS,
        _SALESFORCE_STAGES,
        ("stage",),
        ("name", "id", "owner", "account"),
    ),
    "hubspot": (_HUBSPOT_COLUMNS, _HUBSPOT_STAGES, ("stage",), ("name", "id", "owner")),
    "crm-sales-opportunities": (_DATASET_COLUMNS, _DATASET_STAGES, ("stage", "created_date"), ()),
}


def _norm(text: str) -> str:
    """Header/stage key: case and repeated whitespace do not matter."""
    return " ".join(str(text).split()).casefold()


_PIPELINE_SUFFIX = re.compile(r"\s*\([^()]*\)$")


def _stage_outcome(stage: str, known: dict[str, str]) -> str | None:
    """Outcome of a stage name from ``known`` (normalised keys), or None."""
    key = _norm(stage)
    if key in known:
        return known[key]
    # HubSpot writes "Closed Won (Sales Pipeline)" when a portal has several pipelines.
    return known.get(_PIPELINE_SUFFIX.sub("", key))


def detect_mapping(columns: list[str] | tuple[str, ...] | pd.Index) -> Mapping:
    """Recognise an export's format from its header.

    Parameters
    ----------
    columns : sequence of str
        The header, as written in the file.

    Returns
    -------
    Mapping
        The built-in mapping of the recognised format, with the columns found in this header.

    Raises
    ------
    DataFileError
        The header matches no built-in format; the message lists the header and how to pass
        a custom mapping.

    Examples
    --------
    >>> detect_mapping(["opportunity_id", "sales_agent", "deal_stage", "engage_date",
    ...                 "close_date", "close_value"]).name
    'crm-sales-opportunities'
    """
    header = [str(c) for c in columns]
    by_key = {_norm(c): c for c in header}
    for name, (candidates, stages, needs_all, needs_any) in _FORMATS.items():
        found: dict[str, str] = {}
        for fld, names in candidates.items():
            for cand in names:
                if _norm(cand) in by_key:
                    found[fld] = by_key[_norm(cand)]
                    break
        if all(f in found for f in needs_all) and (
            not needs_any or any(f in found for f in needs_any)
        ):
            return Mapping(name=name, columns=found, stages=dict(stages))
    raise DataFileError(
        "the header matches no export format the kit knows (Salesforce opportunity report, "
        "HubSpot deals export, CRM Sales Opportunities dataset)",
        found=header,
        fix="pass a mapping such as {'columns': {'stage': 'Status', 'created_date': 'Opened', "
        "'close_date': 'Closed', 'amount': 'Value'}, 'stages': {'Signed': 'won', "
        "'Dropped': 'lost', 'Talking': 'open'}}",
    )


def _custom_mapping(given: Mapping | dict[str, Any], header: list[str], path: Path) -> Mapping:
    """Merge a user's mapping with what the header shows."""
    if isinstance(given, Mapping):
        return given
    if not isinstance(given, dict):
        raise CaseError(f"mapping must be a dict or a Mapping, not {type(given).__name__}")
    allowed = {"columns", "stages", "date_order", "name"}
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise CaseError(
            f"unknown mapping key(s) {unknown}; allowed: {sorted(allowed)} "
            "(columns: field -> header, stages: stage -> won/lost/open)"
        )
    columns = dict(given.get("columns") or {})
    bad_fields = sorted(set(columns) - set(FIELDS))
    if bad_fields:
        raise CaseError(f"unknown field(s) {bad_fields} in mapping columns; fields: {FIELDS}")
    stages = dict(given.get("stages") or {})
    bad = {s: o for s, o in stages.items() if o not in OUTCOMES}
    if bad:
        raise CaseError(f"stage outcomes must be one of {OUTCOMES}; found {bad}")
    if columns:
        base = Mapping(name=str(given.get("name", "custom")), columns=columns, stages={})
    else:
        # Only stages (or a date order) given: extend the detected format.
        try:
            base = detect_mapping(header)
        except DataFileError as exc:
            raise DataFileError(exc.problem, file=path, found=exc.found, fix=exc.fix) from None
    merged_stages = {**base.stages, **stages}
    date_order = str(given.get("date_order", base.date_order))
    if date_order not in _DATE_ORDERS:
        raise CaseError(f"date_order must be one of {_DATE_ORDERS}, not {date_order!r}")
    return Mapping(
        name=base.name, columns=base.columns, stages=merged_stages, date_order=date_order
    )
