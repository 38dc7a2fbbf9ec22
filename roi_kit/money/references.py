"""Published CRM ROI reference points, and how (not) to compare your figure with them.

A "CRM returns $8.71 for every dollar" headline and a "(gain - cost) / cost = 4.0" result
are different measures: the first is a benefit-cost ratio (money back per unit spent), the
second subtracts the cost first. A reference point is only useful beside your own figure
once both are on the same basis, and even then the firms, periods and cost scopes differ.
:func:`compare_to_references` converts your figure to each reference's definition where the
conversion is exact, and says in words when it is not possible.

The reference file ``data/reference_points.csv`` holds only figures with a public source
that can be cited precisely, plus the source articles' own worked examples, labelled as
illustrations (see ``data/reference_points.csv`` for the citations).

References
----------
.. [1] Nucleus Research (2014), "CRM pays back $8.71 for every dollar spent".
.. [2] The kit's three source articles (``shared/source-articles.zh.txt``).
.. [3] Forrester Research, "Total Economic Impact (TEI) methodology".
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.errors import BadValueError, DataFileError, FinanceInputError
from roi_kit.io import tables as io

__all__ = [
    "REFERENCE_COLUMNS",
    "Definition",
    "DEFINITIONS",
    "default_reference_path",
    "load_reference_points",
    "to_benefit_cost_ratio",
    "from_benefit_cost_ratio",
    "format_on_basis",
    "compare_to_references",
]

#: Columns of ``reference_points.csv``, in order.
REFERENCE_COLUMNS = (
    "source",
    "year",
    "figure",
    "value",
    "unit",
    "roi_definition",
    "url_or_citation",
    "note",
)


@dataclass(frozen=True)
class Definition:
    """One way of stating a CRM return.

    Attributes
    ----------
    code : str
        The name used in ``roi_definition`` and in :func:`compare_to_references`.
    label : str
        A short human name.
    formula : str
        What is divided by what.
    family : {"total", "discounted", "annual", "none"}
        ``total``: undiscounted totals over one period; these convert exactly into one
        another (simple = percent / 100 = benefit-cost ratio - 1). ``discounted``: the
        same form on present values (TEI). ``annual``: a per-year benefit on the initial
        cost (Nucleus). ``none``: not a return on the CRM's cost, or not stated.
    """

    code: str
    label: str
    formula: str
    family: str


DEFINITIONS: dict[str, Definition] = {
    d.code: d
    for d in (
        Definition("simple", "Simple ROI", "(gain - cost) / cost, a fraction", "total"),
        Definition("percent", "ROI %", "(gain - cost) / cost x 100%", "total"),
        Definition(
            "incremental",
            "Incremental ROI",
            "(benefit after - benefit before) / cost: a benefit-cost ratio",
            "total",
        ),
        Definition(
            "benefit_cost_ratio",
            "Benefit-cost ratio",
            "money back per unit spent: benefit / cost",
            "total",
        ),
        Definition("tei", "TEI ROI", "(PV benefits - PV costs) / PV costs", "discounted"),
        Definition(
            "nucleus", "Nucleus annual ROI", "average annual benefit / initial cost", "annual"
        ),
        Definition(
            "articles_literal",
            "Percentage arithmetic",
            "(% sales growth - % cost reduction) / % cost reduction: no CRM cost in it",
            "none",
        ),
        Definition("unstated", "Not stated", "the source does not say how it was computed", "none"),
    )
}

_UNIT_RE = re.compile(r"^(percent|ratio|[A-Za-z$€£¥]+ per [A-Za-z$€£¥]+ spent)$")


def default_reference_path() -> Path:
    """The committed reference file: ``<repository>/data/reference_points.csv``.

    Returns
    -------
    pathlib.Path
        Resolved relative to this file, so it works from any working directory.
    """
    return Path(__file__).resolve().parents[2] / "data" / "reference_points.csv"


def load_reference_points(path: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Read and check the reference points table.

    Parameters
    ----------
    path : str or path-like, optional
        A CSV (or XLSX) with the columns in :data:`REFERENCE_COLUMNS`; default
        :func:`default_reference_path`. The file is only read.

    Returns
    -------
    DataFrame
        One row per reference point, columns :data:`REFERENCE_COLUMNS` (``year`` and
        ``value`` as float, ``year`` NaN when not given); index ``row`` = the row number
        a spreadsheet shows.

    Raises
    ------
    DataFileError
        A missing column; a row without a source or a definition; an unknown definition
        or unit; a value that is not a number (each naming the file, row and column).
    """
    file = default_reference_path() if path is None else Path(path)
    spec = {name: "text" for name in REFERENCE_COLUMNS}
    spec["year"] = "count"
    spec["value"] = "number"
    df = io.read_table(file, spec=spec, required=REFERENCE_COLUMNS, extra="ignore")
    df = df.loc[:, list(REFERENCE_COLUMNS)]
    for row, rec in df.iterrows():
        for column in ("source", "roi_definition", "figure", "url_or_citation"):
            if not isinstance(rec[column], str) or not rec[column].strip():
                raise DataFileError(
                    f"every reference point needs a {column.replace('_', ' ')}",
                    file=file,
                    row=int(row),
                    column=column,
                    fix="fill it in, or delete the row if the figure cannot be cited",
                )
        if rec["roi_definition"] not in DEFINITIONS:
            raise BadValueError(
                "unknown ROI definition",
                file=file,
                row=int(row),
                column="roi_definition",
                found=rec["roi_definition"],
                fix="use one of " + ", ".join(DEFINITIONS),
            )
        if not isinstance(rec["value"], float) or math.isnan(rec["value"]):
            raise BadValueError(
                "every reference point needs a numeric value",
                file=file,
                row=int(row),
                column="value",
                fix="write the figure as a number, e.g. 8.71",
            )
        if not isinstance(rec["unit"], str) or not _UNIT_RE.match(rec["unit"].strip()):
            raise BadValueError(
                "unknown unit",
                file=file,
                row=int(row),
                column="unit",
                found=rec["unit"],
                fix='use "percent", "ratio" or "<currency> per <currency> spent"',
            )
    return df


def _check_definition(definition: str) -> Definition:
    if definition not in DEFINITIONS:
        raise FinanceInputError(
            f"unknown ROI definition {definition!r}; use one of " + ", ".join(DEFINITIONS)
        )
    return DEFINITIONS[definition]


def to_benefit_cost_ratio(value: float, definition: str) -> float:
    """Restate a figure of the ``total`` or ``discounted`` family as a benefit-cost ratio.

    Parameters
    ----------
    value : float
        The figure as a fraction for ``simple`` and ``tei`` (4.0 = 400%), in percent for
        ``percent`` (400), as a ratio for ``incremental`` and ``benefit_cost_ratio``.
    definition : str
        A key of :data:`DEFINITIONS`.

    Returns
    -------
    float, ratio
        Money back per unit spent; NaN when the definition does not convert
        (``nucleus``, ``articles_literal``, ``unstated``).

    Examples
    --------
    >>> to_benefit_cost_ratio(4.0, "simple"), to_benefit_cost_ratio(400, "percent")
    (5.0, 5.0)
    """
    d = _check_definition(definition)
    value = float(value)
    if d.code in ("simple", "tei"):
        return value + 1.0
    if d.code == "percent":
        return value / 100.0 + 1.0
    if d.code in ("incremental", "benefit_cost_ratio"):
        return value
    return math.nan


def from_benefit_cost_ratio(bcr: float, definition: str) -> float:
    """The inverse of :func:`to_benefit_cost_ratio`.

    Parameters
    ----------
    bcr : float, ratio
    definition : str

    Returns
    -------
    float
        In the definition's own unit (fraction, percent or ratio); NaN when it does not
        convert.

    Examples
    --------
    >>> from_benefit_cost_ratio(8.71, "simple")
    7.710000000000001
    """
    d = _check_definition(definition)
    bcr = float(bcr)
    if d.code in ("simple", "tei"):
        return bcr - 1.0
    if d.code == "percent":
        return (bcr - 1.0) * 100.0
    if d.code in ("incremental", "benefit_cost_ratio"):
        return bcr
    return math.nan


def format_on_basis(value: float, definition: str) -> str:
    """Write a figure the way its definition states it (``400%``, ``5.00 per 1 spent``).

    Parameters
    ----------
    value : float
        In the definition's own unit (see :func:`to_benefit_cost_ratio`).
    definition : str

    Returns
    -------
    str
    """
    d = _check_definition(definition)
    if math.isnan(value):
        return "n/a"
    if d.code in ("simple", "tei", "nucleus"):
        return f"{fmt.ratio(value)} ({fmt.percent(value, decimals=0)})"
    if d.code in ("percent", "articles_literal", "unstated"):
        return f"{value:,.0f}%"
    return f"{fmt.ratio(value)} per 1 spent"


def _stated(rec: pd.Series) -> str:
    unit = rec["unit"].strip()
    if unit == "percent":
        return f"{rec['value']:,.0f}%"
    if unit == "ratio":
        return fmt.ratio(rec["value"])
    money, _, _ = unit.partition(" per ")
    symbol = "$" if money == "USD" else f"{money} "
    return f"{symbol}{rec['value']:,.2f} per {symbol.strip()}1 spent"


def _ref_value(rec: pd.Series) -> float:
    """The reference value in its definition's own unit."""
    value = float(rec["value"])
    unit = rec["unit"].strip()
    code = rec["roi_definition"]
    if unit == "percent" and code not in ("percent", "articles_literal", "unstated"):
        return value / 100.0
    if unit != "percent" and code == "percent":
        return value * 100.0
    return value


def compare_to_references(user_roi: float, definition: str, refs: pd.DataFrame) -> pd.DataFrame:
    """Your ROI beside each reference point, converted where that is exact, with caveats.

    Parameters
    ----------
    user_roi : float
        Your figure, in the unit of ``definition``: a fraction for ``simple``, ``tei`` and
        ``nucleus`` (3.0 = 300%), percent for ``percent``, a ratio for ``incremental``
        and ``benefit_cost_ratio``.
    definition : str
        How your figure was computed, a key of :data:`DEFINITIONS` (not
        ``articles_literal`` or ``unstated``: those are not returns on a cost).
    refs : DataFrame
        From :func:`load_reference_points`.

    Returns
    -------
    DataFrame
        Columns ``Reference``, ``Figure``, ``Stated as``, ``Reference definition``,
        ``Your figure on that basis``, ``Comparable?``, ``Note``. Even a "convertible"
        row compares different firms, periods and cost scopes: a reference point is a
        context, never a target.

    Raises
    ------
    FinanceInputError
        An unknown definition, one that is not a return on a cost, or a non-finite
        figure.

    Examples
    --------
    A simple ROI of 4.0 (400%) is a benefit-cost ratio of 5.0, to set beside
    Nucleus Research's "$8.71 per dollar":

    >>> table = compare_to_references(4.0, "simple", load_reference_points())
    >>> table.loc[0, "Your figure on that basis"]
    '5.00 per 1 spent'
    """
    d = _check_definition(definition)
    if d.family == "none":
        raise FinanceInputError(
            f"{d.label!r} is not a return on the CRM's cost; compute your ROI by one of "
            "simple, percent, incremental, benefit_cost_ratio, tei or nucleus first"
        )
    value = float(user_roi)
    if not math.isfinite(value):
        raise FinanceInputError(f"your ROI must be a finite number (found {user_roi!r})")
    bcr = to_benefit_cost_ratio(value, d.code)
    rows = []
    for _, rec in refs.iterrows():
        r = DEFINITIONS[rec["roi_definition"]]
        ref_value = _ref_value(rec)
        theirs = from_benefit_cost_ratio(to_benefit_cost_ratio(ref_value, r.code), d.code)
        if r.code == d.code:
            yours, theirs = value, ref_value
            comparable = "same definition (different firms, periods, scopes)"
        elif r.family == "none":
            yours = theirs = math.nan
            comparable = (
                "no: the source does not say how it was computed"
                if r.code == "unstated"
                else "no: the reference is not a return on the CRM's cost"
            )
        elif "annual" in (r.family, d.family):
            yours = theirs = math.nan
            comparable = (
                "no: one figure is per year on the initial cost, the other over the "
                "whole period; converting needs the yearly benefits and the cost split"
            )
        elif r.family == d.family:
            yours = from_benefit_cost_ratio(bcr, r.code)
            comparable = "converted: the arithmetic is exact; firms, periods, cost scopes differ"
        else:
            yours = from_benefit_cost_ratio(bcr, r.code)
            comparable = (
                "form only: one figure is discounted and risk-adjusted (TEI), the other "
                "is not; expect the undiscounted one to be higher"
            )
        ref_year = "" if math.isnan(rec["year"]) else f" ({int(rec['year'])})"
        rows.append(
            {
                "Reference": f"{rec['source']}{ref_year}",
                "Figure": rec["figure"],
                "Stated as": _stated(rec),
                "Reference definition": f"{r.label}: {r.formula}",
                "Your figure on that basis": format_on_basis(yours, r.code),
                "Reference on your basis": format_on_basis(theirs, d.code),
                "Comparable?": comparable,
                "Note": rec["note"],
            }
        )
    return pd.DataFrame(rows)
