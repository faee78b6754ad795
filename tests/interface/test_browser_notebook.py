"""The notebooks in a real browser: JupyterLab headless, Chromium through Playwright.

A fixture starts JupyterLab on 127.0.0.1 with a random token, serving a temporary folder that
holds copies of ``notebooks/01-pilot-in-a-nutshell.ipynb`` and ``04-capacity-planning.ipynb``
(so the browser session can never autosave over the committed notebooks), and stops it by its
process id at the end. One test switches notebook 01 to Finnish and then Swedish in its first
cell and checks the headings and widget labels on the page; one runs the workbench, moves its
coaches slider and checks that the figure and the result table change, then leaves too few
coaches and checks that the waiting list shows. A test without the browser checks that the
workbench's figure and table agree in that understaffed case. Screenshots go to the test's tmp
folder (the path is printed, and kept on failure).

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
NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOK = NOTEBOOKS / "04-capacity-planning.ipynb"
LESSON = NOTEBOOKS / "01-pilot-in-a-nutshell.ipynb"
FEW_COACHES = 12  # 12 x the cap of 150 places: fewer than the area's pilot clients, so a waiting list forms
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
    """A JupyterLab server on loopback serving copies of the notebooks; yields (base url, token, folder)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium (as .ci/run does)")
    root = tmp_path_factory.mktemp("lab")
    (root / "notebooks").mkdir()
    for notebook in (NOTEBOOK, LESSON):
        shutil.copy(notebook, root / "notebooks" / notebook.name)
    port, token = _free_port(), secrets.token_hex(16)
    # Own config, runtime, settings and workspace folders: nothing of the user's is read or left behind.
    settings = root / ".lab-settings"
    for plugin, values in LAB_SETTINGS.items():
        package, name = plugin.rsplit(":", 1)
        path = settings / package / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env = {**{k: v for k, v in os.environ.items() if k != "SIMKIT_LANG"}, "JUPYTER_CONFIG_DIR": str(root / ".jupyter"), "JUPYTER_RUNTIME_DIR": str(root / ".runtime")}
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


def _row(table_text: str, label: str) -> tuple[float, float]:
    """(base, variant) of one row of the workbench's table."""
    row = next(line for line in table_text.splitlines() if line.startswith(label))
    base, variant = row.split("\t")[1:3]
    return float(base), float(variant)


def _caseload_row(table_text: str) -> tuple[float, float]:
    return _row(table_text, "Coaches: clients per coach (mean)")


def _set_slider(page, readout, value: int, image: str, table: str) -> tuple[str, str]:
    """Type a value into a slider's readout; wait until the workbench's figure and table have both changed."""
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")
    page.wait_for_function(
        """([img, table]) => {
            const i = document.querySelector('.widget-output img');
            const t = document.querySelector('.widget-output table');
            return i && t && i.getAttribute('src') !== img && t.innerText !== table; }""",
        arg=[image, table], timeout=UPDATE_SECONDS * 1000)
    return _workbench_state(page)


def _browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"])


def _open(page, base: str, token: str, notebook: Path) -> None:
    """Open a notebook and wait until every cell and the stored outputs are on the page and the kernel is idle.

    Each notebook opens in a fresh workspace of its own, so no notebook of an earlier test is open beside it.
    """
    page.goto(f"{base}/lab/workspaces/{notebook.stem}/tree/notebooks/{notebook.name}?reset&token={token}")
    cells, _ = _cell_counts(notebook)
    page.wait_for_function(
        "([n]) => document.querySelectorAll('.jp-Notebook .jp-Cell').length === n && "
        "document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length > 0",
        arg=[cells], timeout=STARTUP_SECONDS * 1000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=STARTUP_SECONDS * 1000)


# The input prompts on the page but those of the lesson texts, whose collapsed input shows an empty prompt.
VISIBLE_PROMPTS = "[...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].filter(p => p.textContent !== '')"


def _clear_and_run_all(page, notebook: Path) -> None:
    """Clear the stored outputs (so everything checked comes from this run), run all cells, wait for the last."""
    _menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function(
        "() => document.querySelectorAll('.jp-Notebook .jp-OutputArea-output').length === 0 && "
        f"{VISIBLE_PROMPTS}.every(p => !/\\d/.test(p.textContent))",
        timeout=UPDATE_SECONDS * 1000)
    _menu(page, "Run", "Run All Cells")
    # Every code cell whose input shows has an execution count when all have run (cleared cells show
    # "[ ]", queued ones "[*]"; a lesson cell's collapsed input shows no prompt, so a notebook may end
    # with one: the kernel going idle below then says that it has run too).
    page.wait_for_function(
        f"() => {VISIBLE_PROMPTS}.every(p => /\\[\\d+\\]/.test(p.textContent))",
        timeout=RUN_ALL_SECONDS * 1000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=UPDATE_SECONDS * 1000)
    assert page.locator(".jp-CodeCell").count() == _cell_counts(notebook)[1]
    assert page.locator(".jp-OutputArea-output", has_text="Traceback").count() == 0


def _set_first_cell(page, source: str) -> None:
    """Replace the source of the notebook's first code cell (the language switch)."""
    editor = page.locator(".jp-CodeCell").first.locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(source)  # inserted as is: no auto-closed brackets or indentation
    page.keyboard.press("Escape")


# What the page shows in each language after the switch: a lesson heading and a widget label.
SWITCHED = {
    "fi": ("Kuka on kokeilun asiakas?", "Asuu kokeilukunnassa"),
    "sv": ("Vem är försökets kund?", "Bor i en försökskommun"),
}
ENGLISH_HEADING = "h2:has-text('Who is a pilot client?')"


def test_the_language_switch_reaches_headings_and_widgets(jupyterlab, tmp_path):
    base, token, _ = jupyterlab
    screenshot = tmp_path / "language.png"
    with playwright_sync.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        try:
            _open(page, base, token, LESSON)
            page.wait_for_selector(ENGLISH_HEADING, timeout=STARTUP_SECONDS * 1000)  # the stored English output
            for language, (heading, label) in SWITCHED.items():
                _set_first_cell(page, f'from simkit import plots, ui\n\nui.set_language("{language}")\nSEED = 2021\n')
                _clear_and_run_all(page, LESSON)
                page.wait_for_selector(f"h2:has-text('{heading}')", timeout=UPDATE_SECONDS * 1000)
                assert page.locator(".widget-checkbox", has_text=label).count() == 1
                assert page.locator(ENGLISH_HEADING).count() == 0
                assert page.locator(".jp-RenderedMarkdown", has_text="Exercise.").count() == 0
                page.locator(f"h2:has-text('{heading}')").first.scroll_into_view_if_needed()
                page.screenshot(path=str(tmp_path / f"language-{language}.png"), full_page=False)
            page.screenshot(path=str(screenshot), full_page=False)
        except Exception:
            page.screenshot(path=str(screenshot), full_page=False)
            print(f"screenshot of the failure: {screenshot}")
            raise
        finally:
            browser.close()
    print(f"screenshots: {tmp_path}")


def test_workbench_runs_and_responds_to_a_slider(jupyterlab, tmp_path):
    base, token, _ = jupyterlab
    screenshot = tmp_path / "workbench.png"
    with playwright_sync.sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        console: list[str] = []
        page.on("console", lambda message: console.append(f"{message.type}: {message.text[:300]}"))
        try:
            _open(page, base, token, NOTEBOOK)
            _clear_and_run_all(page, NOTEBOOK)
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
            after_image, after_table = _set_slider(page, readout, 16, before_image, before_table)
            assert after_image != before_image and after_image.startswith("data:image/png")
            assert after_table != before_table
            base_value, variant_value = _caseload_row(after_table)  # 16 coaches instead of 20: more clients each
            assert variant_value > base_value
            assert readout.inner_text().strip() == "16"
            coaches.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot), full_page=False)

            # Too few coaches for the area: everyone is at the cap and the waiting list shows.
            _, short_table = _set_slider(page, readout, FEW_COACHES, after_image, after_table)
            assert _row(short_table, "Clients waiting for a coach")[0] == 0
            assert _row(short_table, "Clients waiting for a coach")[1] > 0
            assert _caseload_row(short_table)[1] <= CAP  # the caseload stops at the cap; the rest wait
            coaches.scroll_into_view_if_needed()
            page.screenshot(path=str(tmp_path / "workbench-understaffed.png"), full_page=False)
        except Exception:
            page.screenshot(path=str(screenshot), full_page=False)
            print(f"screenshot of the failure: {screenshot}")
            print("browser console (last 30 lines):", *console[-30:], sep="\n  ")
            raise
        finally:
            browser.close()
    print(f"screenshot: {screenshot}")
    assert screenshot.stat().st_size > 10_000


CAP = 150  # the bundled Seinäjoki–Ilmajoki file's coaches.caseload_cap


def test_understaffed_workbench_figure_agrees_with_its_table():
    """With too few coaches the workbench's figure and its table say the same: the plotted daily clients
    per coach and clients waiting for a coach average to the table's means, and no band goes below 0."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from simkit import ui
    from simkit.i18n import daily_label

    ui.set_language("en")
    bench = ui.Workbench("seinajoki-ilmajoki-2021", replications=5, seed=2021)
    assert bench.scenario.coaches.caseload_cap == CAP
    bench.coaches.value = FEW_COACHES  # the slider's callback runs the comparison
    comparison = bench.comparison
    table = comparison.table_for()
    assert float(table.loc["Coaches: clients per coach (mean)", "Variant"]) <= CAP
    assert float(table.loc["Clients waiting for a coach", "Variant"]) > 0
    fig = ui.comparison_figure(comparison)
    try:
        for title, row in ((ui.t("title.daily_compare"), "Coaches: clients per coach (mean)"),
                           (daily_label("waiting_for_coach"), "Clients waiting for a coach")):
            daily = next(ax for ax in fig.axes if ax.get_title() == title)
            line = next(line for line in daily.get_lines() if line.get_label() == "Variant: mean")
            plotted = line.get_ydata().astype(float)
            in_table = float(table.loc[row, "Variant"])
            assert abs(plotted.mean() - in_table) <= 0.02 * in_table, (title, plotted.mean(), in_table)
            assert plotted.min() >= 0
            bands = [c.get_paths()[0].vertices[:, 1] for c in daily.collections if c.get_paths()]
            assert all(band.min() >= 0 for band in bands), title
    finally:
        plt.close(fig)
