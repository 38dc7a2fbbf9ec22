"""Notebooks -> a shareable HTML report and a PDF board pack that open with no Python.

Modules by topic:

- :mod:`~roi_kit.report.build`: :func:`build_report`, the process pool and the front page's
  facts;
- :mod:`~roi_kit.report.kernel`: one kernel per worker running many notebooks, each in a
  fresh namespace;
- :mod:`~roi_kit.report.pages`: which notebooks, their titles, the HTML export, the front page;
- :mod:`~roi_kit.report.pdf`: the A4 board pack through headless Chromium;
- :mod:`~roi_kit.report.timing`: where a report's time went;
- :mod:`~roi_kit.report.destination`: where a report may be written, and the atomic swap
  into place that never removes a file the kit did not write.
"""

from __future__ import annotations

from roi_kit.errors import ReportError
from roi_kit.report.build import STUDY_CACHE_ENV, ReportResult, build_report
from roi_kit.report.destination import MARKER, check_destination, swap_into_place, write_marker
from roi_kit.report.pages import (
    NOTEBOOKS_DIR,
    TEMPLATE_DIR,
    index_html,
    notebook_title,
    step_notebooks,
)
from roi_kit.report.pdf import PDF_NAME
from roi_kit.report.timing import PageTiming

__all__ = [
    "MARKER",
    "NOTEBOOKS_DIR",
    "TEMPLATE_DIR",
    "PDF_NAME",
    "STUDY_CACHE_ENV",
    "ReportError",
    "ReportResult",
    "PageTiming",
    "check_destination",
    "write_marker",
    "swap_into_place",
    "step_notebooks",
    "notebook_title",
    "index_html",
    "build_report",
]
