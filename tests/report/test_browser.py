"""Real-browser tests: what a manager and an analyst actually see in Chromium.

1. The exported HTML report opens from disk, offline, with the headline and the chart.
2. In JupyterLab, after "Run All Cells", typing a cost into the slider's readout updates
   the ROI the panel shows.
3. In Voila, the same slider panel recomputes the NPV.

Expected values are worked out by hand in the comments, never taken from ``roi_kit``.
Servers run from the venv, bound to 127.0.0.1, on a free port, with every Jupyter
directory in the test's tmp folder (nothing under ~/.jupyter or the repo is touched),
and are always stopped at teardown.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
VENV_BIN = Path(sys.executable).parent
#: Seconds a server may take to answer, and a kernel to run the notebook.
SERVER_START_TIMEOUT = 90
# Generous: the ROI app runs the whole study (comparisons, 100,000-draw Monte Carlo)
# before its first paint, and a 2-core machine may be busy with other work.
RUN_TIMEOUT_MS = 180_000
#: Jupyter server extensions the JupyterLab test does not need (not loaded: faster start).
UNUSED_EXTENSIONS = ("voila.server_extension", "jupyter_server_terminals")


# --------------------------------------------------------------------------- helpers


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _copy_workspace(dest: Path) -> Path:
    """Copy notebooks/ and data/ (so ``../data`` paths still work); return the copy."""
    shutil.copytree(NOTEBOOKS, dest / "notebooks")
    if (ROOT / "data").is_dir():
        shutil.copytree(ROOT / "data", dest / "data")
    return dest / "notebooks"


def _isolated_env(home: Path) -> dict[str, str]:
    """Environment with every Jupyter/IPython directory under ``home`` (a tmp folder)."""
    env = dict(os.environ)
    for var, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("IPYTHONDIR", "ipython"),
    ]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(home / sub)
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_TOKEN", None)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    return env


@contextmanager
def _server(cmd: list[str], env: dict[str, str], ready_url: str, log: Path) -> Iterator[None]:
    """Run ``cmd`` until ``ready_url`` answers 200; stop it (and its kernels) at exit."""
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"{cmd[0]} exited with {proc.returncode}:\n{_tail(log)}")
            try:
                with urllib.request.urlopen(ready_url, timeout=5) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{cmd[0]} did not answer in {SERVER_START_TIMEOUT} s:\n{_tail(log)}")
            time.sleep(0.5)
        yield
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM the server (it shuts its kernels down), then kill what is left of its group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    try:  # kernels are in the server's own session: reap any it left behind
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _slider(page: Page, description: str) -> Locator:
    """The ipywidgets slider whose description label is exactly ``description``."""
    label = page.locator(".widget-label").get_by_text(description, exact=True)
    return page.locator(".widget-slider").filter(has=label).first


def _type_into_readout(page: Page, description: str, text: str) -> None:
    """Set a slider the way a user types a number: its readout is contenteditable."""
    readout = _slider(page, description).locator(".widget-readout")
    readout.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def _value_cell(scope: Locator, measure: str) -> Locator:
    """The Value cell (last column) of the results-table row named exactly ``measure``."""
    cell = scope.page.get_by_role("cell", name=measure, exact=True)  # relative to each row
    row = scope.locator("tr").filter(has=cell)
    return row.locator("td").last


def _chart(page: Page) -> Locator:
    """The slider panel's figure: a PNG in an ipywidgets Output widget."""
    return page.locator(".widget-output img")


def _set_and_check(page: Page, slider: str, typed: str, value: Locator, expected: str) -> None:
    """Type into a slider's readout; the value must become ``expected``, the chart redrawn."""
    chart = _chart(page)
    expect(chart).to_be_visible()
    before = chart.get_attribute("src")
    _type_into_readout(page, slider, typed)
    expect(value).to_have_text(expected, timeout=30_000)
    # update() sets the table, then redraws the figure: wait for the new picture.
    expect(chart).not_to_have_attribute("src", before or "", timeout=30_000)
    natural = chart.evaluate("el => el.complete ? el.naturalWidth : 0")
    assert natural > 0, "the redrawn chart did not render"


def _panel(page: Page) -> Locator:
    """The live results table of the slider panel (an ipywidgets HTML widget)."""
    return page.locator(".widget-html-content")


@pytest.fixture
def stopwatch(request, capsys):
    """Print how long the test took (list it first to include its server's start-up).

    Yields a ``note(text)`` callable for extra timings printed on the same line.
    """
    start = time.perf_counter()
    notes: list[str] = []
    yield notes.append
    extra = "".join(f"; {n}" for n in notes)
    with capsys.disabled():
        print(f"\n[time] {request.node.name}: {time.perf_counter() - start:.1f} s{extra}")


# --------------------------------------------------------------------------- 1. report


def test_report_opens_offline_with_headline_and_chart(stopwatch, page, quick_report, screenshot):
    result, build_seconds = quick_report
    stopwatch(f"report build {build_seconds:.1f} s")
    page.goto(result.index.as_uri())
    link = page.locator('a[href="00_quick_roi.html"]')
    expect(link).to_contain_text("Quick ROI")
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/00_quick_roi.html")

    # gain 100,000, cost 20,000: (100,000 - 20,000) / 20,000 = 4.0 -> 400.0% (the articles).
    expect(page.get_by_text("400.0%", exact=True).first).to_be_visible()
    expect(_value_cell(page.locator("body"), "Simple ROI")).to_have_text("4.00 (400.0%)")
    expect(_value_cell(page.locator("body"), "ROI %")).to_have_text("400.0%")

    images = page.locator("img")
    assert images.count() >= 1, "the cumulative cash-flow chart is missing"
    for i in range(images.count()):
        img = images.nth(i)
        img.scroll_into_view_if_needed()
        expect(img).to_be_visible()
        natural = img.evaluate("el => el.complete ? [el.naturalWidth, el.naturalHeight] : null")
        assert natural and natural[0] > 0 and natural[1] > 0, f"image {i} did not render"
        assert (img.get_attribute("src") or "").startswith("data:image/png;base64,")

    body = page.locator("body").inner_text()
    assert "Error displaying widget" not in body
    assert "Traceback" not in body
    screenshot(page, "report-quick-roi")

    assert page.log.console_errors == []
    assert page.log.page_errors == []
    # Opened from disk: every request is the disk itself or inline data, nothing else.
    outside = [u for u in page.log.requests if not u.startswith(("file://", "data:"))]
    assert outside == [], f"the report reached beyond the disk: {outside}"


# --------------------------------------------------------------------------- 2. JupyterLab


@pytest.fixture
def lab_server(tmp_path) -> Iterator[str]:
    """JupyterLab from the venv on a tmp copy of the notebooks; yields its base URL."""
    root = _copy_workspace(tmp_path / "work")
    env = _isolated_env(tmp_path / "jupyter")
    port, token = _free_port(), secrets.token_hex(16)
    # Only what the test uses: no Voila or terminal server extensions (faster start).
    (tmp_path / "jupyter" / "config" / "jupyter_server_config.json").write_text(
        json.dumps({"ServerApp": {"jpserver_extensions": dict.fromkeys(UNUSED_EXTENSIONS, False)}})
    )
    # The "official Jupyter news?" toast would cover the results; say no in advance.
    settings = tmp_path / "jupyter" / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
    # Every cell in the DOM: JupyterLab 4.2 defaults to "full" windowing (off-screen
    # cells detached), which would hide cells from the count and the locators below.
    tracker = tmp_path / "jupyter" / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    cmd = [
        str(VENV_BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",  # jupyter_server 2
        f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={tmp_path / 'jupyter' / 'workspaces'}",
        f"--LabApp.user_settings_dir={tmp_path / 'jupyter' / 'settings'}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",  # no PyPI look-ups
    ]
    if os.geteuid() == 0:  # containers and CI runners often run as root
        cmd.append("--allow-root")
    base = f"http://127.0.0.1:{port}"
    with _server(cmd, env, f"{base}/api/status?token={token}", tmp_path / "lab.log"):
        yield f"{base}/lab/tree/00_quick_roi.ipynb?token={token}"


def test_jupyterlab_slider_readout_updates_roi(stopwatch, lab_server, page, screenshot):
    page.goto(lab_server)
    # Wait until the whole notebook is loaded and its kernel is idle: before that the
    # notebook panel shows one empty cell and "No Kernel", and "Run All" would run nothing.
    n_cells = len(nbformat.read(NOTEBOOKS / "00_quick_roi.ipynb", as_version=4).cells)
    expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(n_cells, timeout=60_000)
    expect(page.locator("#jp-main-statusbar")).to_contain_text(
        re.compile(r"Python 3 \(ipykernel\)\s*\|\s*Idle"), timeout=60_000
    )
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-item:visible", has_text="Run All Cells").first.click()

    cost = _slider(page, "Cost (up front)")
    expect(cost).to_be_visible(timeout=RUN_TIMEOUT_MS)
    simple = _value_cell(_panel(page), "Simple ROI")
    # The starting parameters: (100,000 - 20,000) / 20,000 = 4.00.
    expect(simple).to_have_text("4.00 (400.0%)", timeout=RUN_TIMEOUT_MS)

    # (100,000 - 25,000) / 25,000 = 3.00
    _set_and_check(page, "Cost (up front)", "25000", simple, "3.00 (300.0%)")
    expect(cost.locator(".widget-readout")).to_have_text("25,000")
    # Once more, so a value left over from before cannot pass: (100,000 - 50,000) / 50,000
    _set_and_check(page, "Cost (up front)", "50000", simple, "1.00 (100.0%)")
    expect(page.locator("#jp-main-statusbar")).to_contain_text(re.compile(r"\|\s*Idle"))
    # A taller window so the shot holds the sliders, the table and the chart.
    page.set_viewport_size({"width": 1280, "height": 1500})
    cost.scroll_into_view_if_needed()
    screenshot(page, "jupyterlab-quick-roi", grow=False)

    assert "Error displaying widget" not in page.locator("body").inner_text()
    assert page.log.console_errors == []
    assert page.log.page_errors == []
    assert page.log.external == [], "JupyterLab reached beyond this machine"


# --------------------------------------------------------------------------- 3. Voila

#: Voila's own "lab" template links Font Awesome from a CDN (voila 0.5,
#: share/jupyter/voila/templates/lab/index.html.j2); nothing else may leave the machine.
VOILA_TEMPLATE_CDN = ("https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@",)

#: (notebook, table row whose value is checked, its value at the notebook's defaults,
#:  steps: (slider description, text typed into its readout, expected value after)).
#: Each step must also redraw the panel's chart (a PNG in an ipywidgets Output).
VOILA_CASES = [
    pytest.param(
        "00_quick_roi.ipynb",
        "NPV at 10%",
        # gain 100,000 over 3 years, cost 20,000, 10%: 33,333.33 x 2.486852 - 20,000
        "62,895",
        (
            # cost 25,000: 100,000 / 3 x (1/1.1 + 1/1.21 + 1/1.331) - 25,000
            # = 33,333.33 x 2.486852 - 25,000 = 57,895.06
            ("Cost (up front)", "25000", "57,895"),
            # and 5 years: 100,000 / 5 x (1 - 1.1**-5) / 0.1 - 25,000
            # = 20,000 x 3.790787 - 25,000 = 50,815.74
            ("Years", "5", "50,816"),
        ),
        id="00_quick_roi",
    ),
]


@pytest.fixture
def voila_server(notebook, tmp_path) -> Iterator[str]:
    """Voila from the venv serving a tmp copy of ``notebook``; yields its URL."""
    nb_path = _copy_workspace(tmp_path / "work") / notebook
    env = _isolated_env(tmp_path / "jupyter")
    port = _free_port()
    cmd = [
        str(VENV_BIN / "voila"),
        str(nb_path),
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--show_tracebacks=True",
        f"--Voila.connection_dir_root={tmp_path / 'jupyter' / 'runtime'}",
    ]
    base = f"http://127.0.0.1:{port}/"
    # GET / executes the notebook, so readiness is checked on a static file instead.
    with _server(cmd, env, f"{base}voila/static/voila.js", tmp_path / "voila.log"):
        yield base


@pytest.mark.parametrize(("notebook", "measure", "start_value", "steps"), VOILA_CASES)
def test_voila_slider_readout_updates_npv(
    stopwatch, notebook, voila_server, page, screenshot, measure, start_value, steps
):
    page.goto(voila_server, timeout=RUN_TIMEOUT_MS)
    value = _value_cell(_panel(page), measure)
    expect(value).to_have_text(start_value, timeout=RUN_TIMEOUT_MS)
    for slider, typed, expected in steps:
        assert expected != value.inner_text(), "each step must change the value"
        _set_and_check(page, slider, typed, value, expected)
    screenshot(page, f"voila-{Path(notebook).stem}")

    body = page.locator("body").inner_text()
    assert "Error displaying widget" not in body
    assert "Traceback" not in body
    assert page.log.console_errors == []
    assert page.log.page_errors == []
    unexpected = [u for u in page.log.external if not u.startswith(VOILA_TEMPLATE_CDN)]
    assert unexpected == [], "Voila reached beyond this machine"


@pytest.mark.parametrize("notebook", ["07_roi.ipynb"])
def test_voila_roi_app_npv_follows_the_margin_slider(
    stopwatch, notebook, voila_server, page, screenshot
):
    # What the app must show is what the package computes for the same case and margin;
    # the package's numbers are checked against numpy-financial in test_model.py.
    from roi_kit import formatting
    from roi_kit.case import load_case
    from roi_kit.study import model

    case = load_case(ROOT / "data" / "sample_case")
    inputs = model.model_inputs(case)
    start = formatting.money(model.evaluate_case(case, inputs=inputs).evaluation.npv, "EUR")
    moved = formatting.money(
        model.evaluate_case(case, {"gross_margin": 0.40}, inputs=inputs).evaluation.npv, "EUR"
    )
    assert start != moved

    page.goto(voila_server, timeout=RUN_TIMEOUT_MS)
    value = _value_cell(_panel(page), "NPV")
    expect(value).to_have_text(start, timeout=RUN_TIMEOUT_MS)
    _set_and_check(page, "Gross margin", "0.40", value, moved)
    expect(page.locator(".roi-npv")).to_have_text(f"NPV: {moved}")
    screenshot(page, "voila-07_roi")

    body = page.locator("body").inner_text()
    assert "Error displaying widget" not in body
    assert "Traceback" not in body
    assert page.log.page_errors == []
    unexpected = [u for u in page.log.external if not u.startswith(VOILA_TEMPLATE_CDN)]
    assert unexpected == [], "Voila reached beyond this machine"
