"""Where the tests find things: the repository, the sample case, the public dataset, Chromium.

One place for every path a test needs (pvlib's ``tests/conftest.py`` idea), so no test file
spells out ``Path(__file__).parents[...]``.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
DATA = ROOT / "data"
SAMPLE_CASE = DATA / "sample_case"
TEMPLATES = ROOT / "roi_kit" / "templates"
BENCHMARKS = ROOT / "benchmarks"
#: The public CRM export (../shared beside the repository); absent on a fresh clone.
DATASET = ROOT.parent / "shared" / "data" / "crm-sales-opportunities"
#: Debian's Chromium (never a downloaded one); ROI_KIT_CHROMIUM overrides the path.
CHROMIUM = Path(os.environ.get("ROI_KIT_CHROMIUM", "/usr/bin/chromium"))
#: The roi-kit command: the one beside this interpreter (the venv), else the one on PATH.
_BESIDE = Path(sys.executable).with_name("roi-kit")
ROI_KIT = str(_BESIDE) if _BESIDE.exists() else (shutil.which("roi-kit") or "roi-kit")
