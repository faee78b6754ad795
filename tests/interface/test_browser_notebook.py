"""The planner's workbench in a real browser: JupyterLab headless, Chromium through Playwright.

A fixture starts JupyterLab on 127.0.0.1 with a random token, serving a temporary folder that
holds a copy of ``notebooks/04-capacity-planning.ipynb`` (so the browser session can never
autosave over the committed notebook), and stops it by its process id at the end. The test runs
all cells, moves the workbench's coaches slider and checks that the figure and the result table
change. Screenshots go to the test's tmp folder (the path is printed, and kept on failure).

Needs Debian's ``chromium`` (``/usr/bin/chromium``) and Playwright for Python; the browser is
never downloaded (no ``playwright install``).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright import sync_api as playwright_sync

CHROMIUM = "/usr/bin/chromium"
NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "04-capacity-planning.ipynb"
STARTUP_SECONDS = 120
RUN_ALL_SECONDS = 420
UPDATE_SECONDS = 180
LAB_SETTINGS = {
    # Render every cell (no virtual scrolling), so the whole notebook is in the page to be checked.
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    # No "get notified about Jupyter news" toast and no update checks (no network here).
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server on loopback serving a copy of the notebook; yields (base url, token, folder)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (as .ci/run does)")
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    shutil.copy(NOTEBOOK, root / "notebooks" / NOTEBOOK.name)
    port, token = _free_port(), secrets.token_hex(16)
    # Own config, runtime, settings and workspace folders: nothing of the user's is read or left behind.
    settings = root / ".lab-settings"
    for plugin, values in LAB_SETTINGS.items():
        package, name = plugin.rsplit(":", 1)
        path = settings / package / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(root / ".jupyter"), "JUPYTER_RUNTIME_DIR": str(root / ".runtime")}
    log = (root / "jupyterlab.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.token={token}", "--ServerApp.port_retries=0", f"--ServerApp.root_dir={root}",
         f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={root / '.lab-workspaces'}",
         "--allow-root"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"JupyterLab did not start; log:\n{(root / 'jupyterlab.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield base, token, root
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # the server's own process group: the server and its kernels
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def _workbench_state(page):
    """The src of the workbench's figure and the text of its result table."""
    image = page.locator(".widget-output img").first
    table = page.locator(".widget-output table").first
    return image.get_attribute("src"), table.inner_text()


def _cell_counts(path: Path) -> tuple[int, int]:
    """(cells, code cells) of a notebook file."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return len(cells), sum(cell["cell_type"] == "code" for cell in cells)


def _menu(page, menu: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=menu).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def _caseload_row(table_text: str) -> tuple[float, float]:
    """(base, variant) of the caseload row of the workbench's table."""
    row = next(line for line in table_text.splitlines() if line.startswith("Coaches: clients per coach (mean)"))
    base, variant = row.split("\t")[1:3]
    return float(base), float(variant)


def test_workbench_runs_and_responds_to_a_slider(jupyterlab, tmp_path):
    base, token, _ = jupyterlab
    screenshot = tmp_path / "workbench.png"
    with playwright_sync.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        console: list[str] = []
        page.on("console", lambda message: console.append(f"{message.type}: {message.text[:300]}"))
        try:
            page.goto(f"{base}/lab/tree/notebooks/{NOTEBOOK.name}?token={token}")
            # Loaded: every cell and the stored outputs are on the page, and the kernel is idle.
            cells, code_cells = _cell_counts(NOTEBOOK)
            page.wait_for_function(
                "([n]) => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n && "
                "document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length > 0",
                arg=[cells], timeout=STARTUP_SECONDS * 1000)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']",
                                   timeout=STARTUP_SECONDS * 1000)

            # Clear the stored outputs first, so that everything checked below comes from this run.
            _menu(page, "Edit", "Clear Outputs of All Cells")
            page.wait_for_function(
                "() => document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length === 0 && "
                "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].every(p => !/\\d/.test(p.textContent))",
                timeout=UPDATE_SECONDS * 1000)
            _menu(page, "Run", "Run All Cells")

            # Every code cell shows an execution count when all have run (cleared cells show "[ ]").
            page.wait_for_function(
                "() => [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
                ".every(p => /\\[\\d+\\]/.test(p.textContent))", timeout=RUN_ALL_SECONDS * 1000)
            assert page.locator(".jp-CodeCell").count() == code_cells
            assert page.locator(".jp-OutputArea-output", has_text="Traceback").count() == 0
            page.wait_for_selector(".widget-output img", timeout=UPDATE_SECONDS * 1000)
            page.wait_for_selector(".widget-output table", timeout=UPDATE_SECONDS * 1000)
            before_image, before_table = _workbench_state(page)
            assert before_image.startswith("data:image/png")
            assert "Coaches: clients per coach (mean)" in before_table
            assert _caseload_row(before_table)[0] == _caseload_row(before_table)[1]  # the variant is the base

            coaches = page.locator(".widget-slider", has=page.locator(".widget-label", has_text="Coaches")).first
            coaches.scroll_into_view_if_needed()
            readout = coaches.locator(".widget-readout")
            assert readout.inner_text().strip() == "20"
            readout.click()
            page.keyboard.press("Control+A")
            page.keyboard.type("16")
            page.keyboard.press("Enter")
            page.wait_for_function(
                """([img, table]) => {
                    const i = document.querySelector('.widget-output img');
                    const t = document.querySelector('.widget-output table');
                    return i && t && i.getAttribute('src') !== img && t.innerText !== table; }""",
                arg=[before_image, before_table], timeout=UPDATE_SECONDS * 1000)
            after_image, after_table = _workbench_state(page)
            assert after_image != before_image and after_image.startswith("data:image/png")
            assert after_table != before_table
            base_value, variant_value = _caseload_row(after_table)  # 16 coaches instead of 20: more clients each
            assert variant_value > base_value
            assert readout.inner_text().strip() == "16"
            coaches.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot), full_page=False)
        except Exception:
            page.screenshot(path=str(screenshot), full_page=False)
            print(f"screenshot of the failure: {screenshot}")
            print("browser console (last 30 lines):", *console[-30:], sep="\n  ")
            raise
        finally:
            browser.close()
    print(f"screenshot: {screenshot}")
    assert screenshot.stat().st_size > 10_000
