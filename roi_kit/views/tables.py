"""The one HTML table renderer: escaped user text, numbers right-aligned, text left-aligned.

Every table a notebook or report page shows goes through :func:`table_html`, so user text
(cost items, KPI labels, case names) is always escaped and every table reads the same.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

__all__ = ["table_html", "NOTE_STYLE", "note_html"]

_NUMBER = re.compile(r"^[+\-−]?(?:[A-Z]{3} )?[0-9][0-9,]*(?:\.[0-9]+)?%?$")

#: Styles for the kit's note and warning boxes and its left-aligned tables.
NOTE_STYLE = (
    "<style>.roi-table td, .roi-table th {text-align: left !important; "
    "vertical-align: top !important; padding: 2px 8px !important;}"
    " .roi-table {border-collapse: collapse; margin-bottom: 0.8em;}"
    " .roi-note {padding: 6px 10px; border-left: 4px solid #1f4e79; background: #f3f6fa;"
    " margin: 6px 0;} .roi-warn {padding: 6px 10px; border-left: 4px solid #c62828;"
    " background: #fdf0f0; margin: 6px 0;}</style>"
)


def note_html(text: str, *, warn: bool = False) -> str:
    """A note (or a warning) box around already-escaped HTML ``text``."""
    return f'<div class="{"roi-warn" if warn else "roi-note"}">{text}</div>'


def table_html(table: pd.DataFrame, *, index: bool = False) -> str:
    """The table as HTML: text columns left-aligned, number columns right-aligned.

    Notebook and report styles right-align every cell, which makes long text hard to
    read; a small style block scoped to this table's own class fixes that.

    Parameters
    ----------
    table : pandas.DataFrame
        Cells already formatted as text (see :mod:`roi_kit.formatting`) or numbers.
    index : bool
        Show the index (for tables whose index carries the row labels).

    Returns
    -------
    str
        A ``<style>`` block and the escaped ``<table>``.
    """
    numeric = [
        k
        for k, col in enumerate(table.columns)
        if any(str(v) for v in table[col])
        and all(_NUMBER.match(str(v)) for v in table[col] if str(v) != "")
    ]
    key = "|".join(map(str, table.columns)) + f"|{index}"
    cls = "mv-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
    first = 2 if index else 1  # nth-child is 1-based; the index is a leading <th>
    # "table.dataframe.<cls>" outranks JupyterLab's
    # ":not(.jp-RenderedMarkdown).jp-RenderedHTMLCommon td" (right-aligns every cell).
    sel = f"table.dataframe.{cls}"
    rules = [
        f"{sel} td, {sel} th {{text-align: left; vertical-align: top;}}",
        *(
            f"{sel} td:nth-child({k + first}) {{text-align: right; white-space: nowrap;}} "
            f"{sel} thead th:nth-child({k + first}) {{text-align: right;}}"
            for k in numeric
        ),
    ]
    # escape=True: cost items and case names are user text and must not become markup.
    body = table.to_html(index=index, escape=True, border=0, na_rep="", classes=cls)
    return "<style>" + " ".join(rules) + "</style>\n" + body
