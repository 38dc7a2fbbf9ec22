"""The report's pages: which notebooks, their titles, their HTML, the front page.

Each executed notebook becomes one HTML page through nbconvert and the kit's template
(``roi_kit/templates/report``: JupyterLab's look, no network script, print CSS for the
PDF). Every page carries the provenance banner; the pages are exported before the
provenance is known (they run side by side with it), so the template writes
:data:`PROVENANCE_SLOT` and :func:`fill_provenance` puts the banner there.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from roi_kit.errors import ReportError

__all__ = [
    "NOTEBOOKS_DIR",
    "TEMPLATE_DIR",
    "PROVENANCE_SLOT",
    "step_notebooks",
    "notebook_title",
    "export_html",
    "fill_provenance",
    "index_html",
    "workbook_html",
    "keep_dates_whole",
    "FRONT_CSS",
    "WORKBOOK_NAME",
]

#: The notebooks folder of a source checkout (the kit is installed editable from it).
NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
#: The kit's own nbconvert template: JupyterLab's look without any network script.
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates" / "report"
#: Written by the template where the provenance banner goes (an HTML comment, so a page
#: whose slot is never filled still shows nothing wrong).
PROVENANCE_SLOT = "<!-- roi-kit:provenance -->"
#: The Excel model's file name inside the report folder.
WORKBOOK_NAME = "model.xlsx"
#: A table cell's text (no markup inside), and an ISO month or date in it.
_CELL_TEXT = re.compile(r"(<t[dh](?:\s[^>]*)?>)([^<]*)(</t[dh]>)")
_ISO_DATE = re.compile(r"\b\d{4}-\d{2}(?:-\d{2})?\b")


def step_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The notebooks a report runs: ``NN_name.ipynb``, in order of their number."""
    found = sorted(p for p in Path(notebooks_dir).glob("[0-9][0-9]_*.ipynb"))
    if not found:
        raise ReportError(f"no step notebooks (NN_name.ipynb) found in {notebooks_dir}")
    return found


def notebook_title(path: Path) -> str:
    """The first Markdown heading of a notebook, or its file name.

    Read as plain JSON (a notebook file is JSON; nbformat's reader would import
    jsonschema, seconds of start-up, only to validate what the execution validates anyway).
    """
    nb = json.loads(Path(path).read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            text = "".join(source) if isinstance(source, list) else str(source)
            for line in text.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return Path(path).stem


@functools.cache
def _exporter(with_code: bool) -> Any:
    """One exporter per process and setting: building one loads and compiles the templates."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_template_paths=[str(TEMPLATE_DIR)],
        template_file="roi_report.html.j2",
    )
    exporter.exclude_input = not with_code
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    return exporter


def export_html(nb: Any, *, with_code: bool) -> str:
    """One executed notebook (a ``NotebookNode``) as a self-contained HTML page.

    Code cells are hidden unless ``with_code``.
    """
    body, _ = _exporter(with_code).from_notebook_node(nb)
    return keep_dates_whole(body)


def keep_dates_whole(page: str) -> str:
    """``page`` with every ISO month or date in a table cell kept on one line.

    A browser may break a line after a hyphen, so a narrow ledger column shows "2024-" over
    "01". Each date in a cell's plain text is wrapped in ``<span class="roi-nowrap">``
    (styled ``white-space: nowrap`` by the template); cells with markup inside are left
    as they are.

    Examples
    --------
    >>> keep_dates_whole("<td>from 2024-01</td><td>one-time</td>")
    '<td>from <span class="roi-nowrap">2024-01</span></td><td>one-time</td>'
    """

    def cell(m: re.Match[str]) -> str:
        text = _ISO_DATE.sub(r'<span class="roi-nowrap">\g<0></span>', m.group(2))
        return f"{m.group(1)}{text}{m.group(3)}"

    return _CELL_TEXT.sub(cell, page)


def fill_provenance(page: str, banner: str) -> str:
    """``page`` with its provenance slot replaced by ``banner`` (trusted, escaped HTML)."""
    return page.replace(PROVENANCE_SLOT, banner, 1)


#: The front page's look, scoped to ``.roi-front`` so that the PDF, which joins the front
#: page and the notebook pages in one document, keeps each page's own style.
FRONT_CSS = """
 .roi-front { font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto;
   color: #222; }
 .roi-front h1 { color: #1f4e79; }
 .roi-front li { margin: 0.4em 0; }
 .roi-front h2 { color: #1f4e79; font-size: 1.2em; margin-top: 1.5em; }
"""


def workbook_html(workbook: Mapping[str, str] | None) -> str:
    """The front page's paragraph on the Excel model beside the report ("" for none).

    Parameters
    ----------
    workbook : mapping or None
        ``href`` (the file name in the report folder), ``kit`` (version) and ``inputs``
        (short input hash) of the workbook written, or ``refused``: why none was written
        (a non-empty message). None: the report has no case, so no workbook.

    Returns
    -------
    str
        HTML with every value escaped.
    """
    if not workbook:
        return ""
    e = html.escape
    heading = "<h2>The Excel model</h2>"
    if workbook.get("refused"):
        return (
            f"{heading}\n<p>No Excel model was written with this report: "
            f"{e(workbook['refused'])}</p>"
        )
    href = e(workbook["href"])
    return f"""{heading}
<p><a href="{href}">{href}</a>, in this report's folder, is the study as an Excel workbook
with live formulas: every figure downstream of the Inputs and Measured sheets is a formula
over them, so changing an input (the gross margin, say) moves NPV on the Cash flow and ROI
sheets. It was built
from the same run of the study as these pages (same measurement, draws and seed), so before
any change its NPV is the NPV above; its Provenance sheet names the same kit version
(crm-roi-kit {e(workbook["kit"])}) and input hash ({e(workbook["inputs"])}) as the
provenance above. Edits are safe: a later build of this report refuses to replace an
edited {href} and says how to keep it (or, with --force, keeps a .bak copy first).</p>"""


def index_html(
    title: str,
    pages: Sequence[tuple[str, str]],
    headline: str = "",
    *,
    built: str,
    provenance: str = "",
    workbook: Mapping[str, str] | None = None,
) -> str:
    """The report's front page.

    Parameters
    ----------
    title : str
        The heading (the case name in a case report); escaped here.
    pages : sequence of (str, str)
        Title and file name of each page, in order; escaped here.
    headline : str
        Trusted HTML built with escaped values (the study's headline figures).
    built : str
        The build date, ISO ``YYYY-MM-DD``.
    provenance : str
        Trusted HTML: the provenance and sign-off block.
    workbook : mapping, optional
        The Excel model written beside the pages (see :func:`workbook_html`).
    """
    items = "\n".join(
        f'    <li><a href="{html.escape(href)}">{html.escape(name)}</a></li>'
        for name, href in pages
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>{FRONT_CSS}</style>
</head>
<body>
<div class="roi-front">
<h1>{html.escape(title)}</h1>
<p>Report built on {html.escape(built)} by crm-roi-kit. Each page opens offline.</p>
{provenance}
{headline}
{workbook_html(workbook)}
<h2>The study, step by step</h2>
<ol>
{items}
</ol>
</div>
</body>
</html>
"""
