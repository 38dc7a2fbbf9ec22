"""The assumptions register as a report page: the table, the call-outs and their sentences.

Takes the frame of :func:`roi_kit.study.register.register_frame` (numbers) and writes it for
people: formatted cells through :func:`roi_kit.views.tables.table_html` (user text escaped),
one warning box per high-impact, low-quality assumption, and the sentences about the case
(:func:`register_markdown`), so no fact of a case is typed into a notebook.
"""

from __future__ import annotations

import html

import pandas as pd

from roi_kit import formatting as fmt
from roi_kit.study.register import QUALITY_RULE
from roi_kit.views.narrative import md_escape
from roi_kit.views.tables import NOTE_STYLE, note_html, table_html

__all__ = [
    "register_table",
    "call_outs_html",
    "quality_rule_html",
    "register_markdown",
    "register_html",
]


def _range(row: pd.Series) -> str:
    unit = str(row["unit"])
    if row["low"] == row["high"]:
        return f"{fmt.quantity(row['likely'], unit)} (single value)"
    # A fraction is shown as a percentage each time; any other unit is written once, last.
    each = unit if unit == "fraction" else ""
    low, likely, high = (fmt.quantity(row[k], each) for k in ("low", "likely", "high"))
    return f"{low} / {likely} / {high}" + ("" if each or not unit else f" {unit}")


def _source(row: pd.Series) -> str:
    citation = str(row["citation"])
    return f"{row['source']}: {citation}" if citation else str(row["source"])


def register_table(frame: pd.DataFrame, currency: str) -> pd.DataFrame:
    """The register formatted for reading, in its order (largest impact first).

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`roi_kit.study.register.register_frame`.
    currency : str
        The case's currency (impact is NPV in it).

    Returns
    -------
    pandas.DataFrame
        Columns Rank, Assumption, Low / likely / high, Source, Owner, As of, Quality, Why,
        Impact on NPV, Note; cells are text.
    """
    rows = [
        {
            "Rank": "" if pd.isna(r["rank"]) else str(int(r["rank"])),
            "Assumption": r["label"],
            "Low / likely / high": _range(r),
            "Source": _source(r),
            "Owner": r["owner"] or "none",
            "As of": r["as_of"] or "none",
            "Quality": r["quality"],
            "Why": r["quality_reasons"],
            # An input not varied shows 0 here; its Note says why (a number column stays
            # numeric, so it is right-aligned).
            "Impact on NPV": fmt.money(r["impact"], currency),
            "Note": r["impact_note"] or r["note"],
        }
        for _, r in frame.iterrows()
    ]
    columns = ["Rank", "Assumption", "Low / likely / high", "Source", "Owner", "As of"]
    columns += ["Quality", "Why", "Impact on NPV", "Note"]
    return pd.DataFrame(rows, columns=columns)


def call_outs_html(frame: pd.DataFrame) -> str:
    """One warning box per call-out, or a note saying there is none (escaped HTML)."""
    texts = [str(t) for t in frame["call_out"] if t]
    if not texts:
        return NOTE_STYLE + note_html(
            "No assumption with a high impact on the NPV is rated low quality "
            f"({len(frame)} assumption{'s' if len(frame) != 1 else ''} in the register)."
        )
    return NOTE_STYLE + "".join(note_html(html.escape(t), warn=True) for t in texts)


def register_markdown(frame: pd.DataFrame, currency: str) -> str:
    """What the register says about this case, in sentences (Markdown, user text escaped).

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`roi_kit.study.register.register_frame`.
    currency : str

    Returns
    -------
    str
        How many assumptions, how many the tornado varies and the largest, how many are
        single values (whose impact is unknown), and the call-outs by name.
    """
    n = len(frame)
    if n == 0:
        return "This case has **no assumptions** to register."
    varied = frame[frame["rank"].notna()]
    single = frame[(frame["low"] == frame["high"]) & frame["rank"].isna()]
    parts = [f"The register lists **{n}** input{'s' if n != 1 else ''} of this case;"]
    if len(varied):
        top = varied.iloc[0]
        swing = md_escape(fmt.money(top["impact"], currency))
        parts.append(
            f"the tornado varies {len(varied)}, and the NPV depends most on "
            f"**{md_escape(top['label'])}** (a swing of {swing})."
        )
    else:
        parts.append("the tornado varies none of them (no input has a low-high range).")
    if len(single):
        names = ", ".join(md_escape(v) for v in single["label"])
        parts.append(
            f"{len(single)} {'is a single value' if len(single) == 1 else 'are single values'}"
            f" ({names}): the tornado cannot show how much the NPV depends on "
            f"{'it' if len(single) == 1 else 'them'}."
        )
    flagged = frame[frame["call_out"] != ""]
    if len(flagged):
        names = ", ".join(f"**{md_escape(v)}**" for v in flagged["label"])
        parts.append(f"High impact and low quality, to firm up before the decision: {names}.")
    else:
        parts.append("No high-impact assumption is rated low quality.")
    return " ".join(parts)


def quality_rule_html() -> str:
    """The quality rule (:data:`roi_kit.study.register.QUALITY_RULE`) in a note box."""
    return NOTE_STYLE + note_html("<b>Quality rule.</b> " + html.escape(QUALITY_RULE))


def register_html(frame: pd.DataFrame, currency: str) -> str:
    """The register page section: call-outs, the rule and the table (escaped HTML)."""
    return call_outs_html(frame) + quality_rule_html() + table_html(register_table(frame, currency))
