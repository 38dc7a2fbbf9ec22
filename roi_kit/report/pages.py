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
from collections.abc import Sequence
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
    "FRONT_CSS",
]

#: The notebooks folder of a source checkout (the kit is installed editable from it).
NOTEBOOKS_DIR = Path(__file__).resolve().parents[2] / "notebooks"
#: The kit's own nbconvert template: JupyterLab's look without any network script.
TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "templates" / "report"
#: Written by the template where the provenance banner goes (an HTML comment, so a page
#: whose slot is never filled still shows nothing wrong).
PROVENANCE_SLOT = "<!-- roi-kit:provenance -->"


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
    return body


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


def index_html(
    title: str,
    pages: Sequence[tuple[str, str]],
    headline: str = "",
    *,
    built: str,
    provenance: str = "",
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
<h2>The study, step by step</h2>
<ol>
{items}
</ol>
</div>
</body>
</html>
"""
