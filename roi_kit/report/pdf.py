"""The PDF board pack: report pages printed to A4 by headless Chromium.

The system Chromium (Debian's ``/usr/bin/chromium``, or ``ROI_KIT_CHROMIUM``) is driven
through Playwright's ``executable_path``; the kit never downloads a browser. The front
page and the chosen notebook pages are joined into one print document (so page numbers
run through the pack), printed with a running header (case name, kit version,
data-through month, DRAFT or FINAL) and a "page n of m" footer. The print rules of the
report template keep figures and table rows whole and fit wide tables to the sheet by a
smaller font (7 pt from 8 columns, 6 pt from 12), never by splitting a word or a date
across lines (the cost ledger once printed "Softwa" over "re").
"""

from __future__ import annotations

import html
import os
import re
import shutil
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from roi_kit.errors import ReportError
from roi_kit.report.pages import FRONT_CSS

__all__ = ["PDF_NAME", "chromium_path", "refusal", "print_document", "write_pdf"]

#: The board pack's file name inside the report folder.
PDF_NAME = "report.pdf"
#: Where Debian puts Chromium; ``ROI_KIT_CHROMIUM`` overrides it.
DEFAULT_CHROMIUM = "/usr/bin/chromium"
#: No sandbox (it needs a setuid helper, absent when run as root in a container), and none
#: of the background services that would try to reach the network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_HEAD = re.compile(r"<head>(.*?)</head>", re.S)
_MAIN = re.compile(r"<main>(.*?)</main>", re.S)
_FRONT = re.compile(r'<div class="roi-front">.*</div>', re.S)


def chromium_path() -> Path | None:
    """The Chromium to print with, or None: ``ROI_KIT_CHROMIUM``, else the system one."""
    named = os.environ.get("ROI_KIT_CHROMIUM")
    if named:
        return Path(named) if Path(named).is_file() else None
    for candidate in (DEFAULT_CHROMIUM, shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def refusal() -> str:
    """Why a PDF cannot be printed here, in one line with the fix; "" when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "no PDF written: Playwright is not installed. "
            "Fix: pip install 'crm-roi-kit[pdf]' (or pip install playwright)"
        )
    if chromium_path() is None:
        where = os.environ.get("ROI_KIT_CHROMIUM") or DEFAULT_CHROMIUM
        return (
            f"no PDF written: Chromium not found at {where}. Fix: install it "
            "(Debian/Ubuntu: sudo apt-get install chromium) or set ROI_KIT_CHROMIUM to its path"
        )
    return ""


def print_document(folder: Path, pages: Sequence[tuple[str, str]]) -> str:
    """One HTML document: the front page, then each page in ``pages`` on a new sheet."""
    first = (folder / pages[0][1]).read_text(encoding="utf-8") if pages else ""
    head = _HEAD.search(first)
    front = _FRONT.search((folder / "index.html").read_text(encoding="utf-8"))
    parts = [front.group(0) if front else ""]
    for _, href in pages:
        main = _MAIN.search((folder / href).read_text(encoding="utf-8"))
        parts.append(f'<div class="roi-page-break"></div>\n{main.group(1) if main else ""}')
    body = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>{head.group(1) if head else '<meta charset="utf-8">'}
<style>{FRONT_CSS}</style>
</head>
<body class="jp-Notebook" data-jp-theme-light="true" data-jp-theme-name="JupyterLab Light">
<main>
{body}
</main>
</body>
</html>
"""


def _header(fields: Mapping[str, str]) -> str:
    status = fields.get("status", "")
    colour = "#a33" if status == "DRAFT" else "#275"
    parts = [
        html.escape(fields.get("case", "")),
        f"crm-roi-kit {html.escape(fields.get('kit', ''))}",
    ]
    if fields.get("data_through"):
        parts.append(f"data through {html.escape(fields['data_through'])}")
    middle = " &middot; ".join(parts)
    return (
        '<div style="font: 8px sans-serif; width: 100%; margin: 0 12mm; display: flex; '
        f'justify-content: space-between; color: #444"><span>{middle}</span>'
        f'<span style="color: {colour}; font-weight: bold">{html.escape(status)}</span></div>'
    )


_FOOTER = (
    '<div style="font: 8px sans-serif; width: 100%; text-align: center; color: #444">'
    'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)


def write_pdf(folder: Path, pages: Sequence[tuple[str, str]], facts: Mapping) -> Path:
    """Print the front page and ``pages`` (title, file in ``folder``) to ``folder/report.pdf``.

    Parameters
    ----------
    folder : Path
        The staged report (``index.html`` and the pages).
    pages : sequence of (str, str)
        The notebook pages to print after the front page, in order.
    facts : mapping
        ``facts["header"]``: ``case``, ``kit``, ``data_through`` and ``status`` (DRAFT or
        FINAL) for the running header.

    Raises
    ------
    ReportError
        Chromium is missing or could not print (the message says how to proceed).
    """
    why = refusal()
    if why:
        raise ReportError(why)
    out = folder / PDF_NAME
    document = print_document(folder, pages)
    # Playwright's sync API refuses to run in a thread with a running asyncio loop (a
    # Jupyter kernel, or a caller that drives a browser itself), so it gets its own thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_print, out, document, _header(facts.get("header", {}))).result()
    return out


def _print(out: Path, document: str, header: str) -> None:
    """Print ``document`` (HTML) to ``out`` as A4 with ``header`` and page numbers."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=str(chromium_path()), args=CHROMIUM_ARGS, headless=True
            )
            try:
                page = browser.new_page()
                page.set_content(document, wait_until="load")
                page.emulate_media(media="print")
                page.pdf(
                    path=str(out),
                    format="A4",
                    print_background=True,
                    display_header_footer=True,
                    header_template=header,
                    footer_template=_FOOTER,
                    margin={"top": "18mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ReportError(f"the PDF could not be printed by Chromium ({first})") from None
