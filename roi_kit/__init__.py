"""crm-roi-kit: was our CRM worth it?

One import serves a whole study::

    import roi_kit as rk

    case = rk.load_case("data/sample_case")
    table = rk.compare_all(case)            # every KPI, every method, with intervals
    study = rk.run_study(case, n=10_000)    # the model, scenarios, tornado, Monte Carlo
    rk.finance.npv(0.10, [-100, 60, 60])

The layers are sub-packages, each importing only those below it (``pyproject.toml`` holds
the import-linter contracts)::

    io -> case -> measure | money -> study -> views -> widgets -> report, cli

Names are loaded on first use (PEP 562), so ``import roi_kit`` stays fast: it imports no
pandas, statsmodels, scipy or matplotlib until a name that needs them is touched.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from roi_kit.errors import RoiKitError

__version__ = "0.1.0"

#: Public name -> the sub-package that provides it.
_NAMES = {
    "load_case": "roi_kit.case",
    "Case": "roi_kit.case",
    "check_case": "roi_kit.case",
    "compare_all": "roi_kit.measure",
    "compare_frame": "roi_kit.measure",
    "run_study": "roi_kit.study",
    "case_summary": "roi_kit.study",
    "build_report": "roi_kit.report",
}
#: Sub-packages and topic modules reachable as attributes: ``rk.finance.npv(...)``.
_MODULES = {
    "io": "roi_kit.io",
    "case": "roi_kit.case",
    "measure": "roi_kit.measure",
    "money": "roi_kit.money",
    "study": "roi_kit.study",
    "views": "roi_kit.views",
    "widgets": "roi_kit.widgets",
    "report": "roi_kit.report",
    "finance": "roi_kit.money.finance",
    "benefits": "roi_kit.money.benefits",
    "costs": "roi_kit.money.costs",
    "model": "roi_kit.study.model",
    "summary": "roi_kit.study.summary",
    "formatting": "roi_kit.formatting",
}

__all__ = [
    "RoiKitError",
    "__version__",
    # functions and types
    "load_case",
    "Case",
    "check_case",
    "compare_all",
    "compare_frame",
    "run_study",
    "case_summary",
    "build_report",
    # sub-packages and topic modules
    "io",
    "case",
    "measure",
    "money",
    "study",
    "views",
    "widgets",
    "report",
    "finance",
    "benefits",
    "costs",
    "model",
    "summary",
    "formatting",
]
assert set(__all__) == {"RoiKitError", "__version__", *_NAMES, *_MODULES}


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        module = importlib.import_module(_MODULES[name])
    elif name in _NAMES:
        module = getattr(importlib.import_module(_NAMES[name]), name)
    else:
        raise AttributeError(f"module 'roi_kit' has no attribute {name!r}")
    globals()[name] = module  # cache: the next access is a plain attribute
    return module


def __dir__() -> list[str]:
    return sorted(__all__)


if TYPE_CHECKING:  # static tools and IDEs see the real names
    from roi_kit import case, formatting, io, measure, money, report, study, views, widgets
    from roi_kit.case import Case, check_case, load_case
    from roi_kit.measure import compare_all, compare_frame
    from roi_kit.money import benefits, costs, finance
    from roi_kit.report import build_report
    from roi_kit.study import case_summary, model, run_study, summary
