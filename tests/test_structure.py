"""The package's shape, checked: small functions, modules of one topic, a fast import.

The layer contracts themselves are import-linter's (``lint-imports`` in ``make lint``); these
tests hold the rest of the structure rules in place.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.paths import ROOT

PACKAGE = ROOT / "roi_kit"
#: Lines of code (no docstring, comments or blank lines) a function may have.
MAX_FUNCTION_LOC = 80
#: A longer function says why on its ``def`` line or the line above: ``# long: <reason>``.
LONG_MARK = "# long:"


def _code_lines(source: list[str], node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    body = node.body
    first = body[0]
    docstring = isinstance(first, ast.Expr) and isinstance(
        getattr(first, "value", None), ast.Constant
    )
    start = first.end_lineno + 1 if docstring else first.lineno
    lines = source[start - 1 : node.end_lineno]
    return sum(1 for line in lines if line.strip() and not line.strip().startswith("#"))


def _long_functions() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8").splitlines()
        for node in ast.walk(ast.parse("\n".join(source))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            n = _code_lines(source, node)
            marked = any(LONG_MARK in source[i] for i in (node.lineno - 2, node.lineno - 1))
            if n > MAX_FUNCTION_LOC and not marked:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({n} lines)")
    return found


def test_code_line_counter_counts_code_only():
    # 3 code lines; the docstring, the comment and the blank line do not count.
    src = (
        'def f():\n    """Doc.\n\n    More."""\n'
        "    a = 1\n\n    # why\n    b = 2\n    return a + b\n"
    )
    node = ast.parse(src).body[0]
    assert _code_lines(src.splitlines(), node) == 3


def test_no_function_over_80_lines_of_code_without_a_reason():
    assert _long_functions() == []


def test_every_module_declares_all():
    missing = [
        str(p.relative_to(ROOT))
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.name != "__main__.py" and "__all__" not in p.read_text(encoding="utf-8")
    ]
    assert missing == []


@pytest.mark.parametrize("package", ["io", "case", "measure", "money", "study", "views", "widgets"])
def test_no_exported_name_hides_a_module(package):
    # `from roi_kit.widgets import rollout` must give the module, not a function that the
    # package exports under the module's name.
    import importlib
    import pkgutil

    pkg = importlib.import_module(f"roi_kit.{package}")
    modules = {m.name for m in pkgutil.iter_modules(pkg.__path__)}
    assert [name for name in pkg.__all__ if name in modules] == []


def test_no_catch_all_utils_module():
    assert [p.name for p in PACKAGE.rglob("*.py") if p.stem in {"utils", "helpers", "misc"}] == []


@pytest.mark.slow
def test_import_roi_kit_loads_no_heavy_library():
    # A fresh interpreter: `import roi_kit` must not pull in the scientific stack (the
    # curated names load on first use); scripts and the CLI start fast.
    code = (
        "import sys, roi_kit; heavy = ('pandas', 'numpy', 'scipy', 'statsmodels', "
        "'matplotlib', 'ipywidgets', 'IPython', 'yaml', 'pyarrow'); "
        "print(','.join(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.slow
def test_curated_api_serves_a_study(sample_case_path):
    code = (
        f"import roi_kit as rk; c = rk.load_case(r'{sample_case_path}'); "
        "t = rk.compare_all(c); "
        "print(type(c).__name__, len(t) > 0, round(rk.finance.npv(0.1, [-100, 60, 60]), 6), "
        "sorted(rk.__all__) == sorted(dir(rk)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # npv(0.10, [-100, 60, 60]) = -100 + 60/1.1 + 60/1.21 = 4.132231 (by hand).
    assert out.stdout.split() == ["Case", "True", "4.132231", "True"]
