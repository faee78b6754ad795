"""The progress bars trainees and planners see count the days simulated (one rule for every bar:
simkit.views.progress.Work), so a bar moves within a long replication; the numbers stay the same."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from tqdm import tqdm
from tqdm.notebook import tqdm as notebook_tqdm

import simkit
from simkit import ui
from simkit.runner import simulated_days
from simkit.views.progress import BAR_FORMAT, Work

pytestmark = pytest.mark.usefixtures("english_and_no_figures")


@pytest.fixture(scope="module")
def short(small):
    """Two weeks of warm-up and 40 days: 54 days a replication."""
    return simkit.with_overrides(small, {"scenario.warmup_days": 14, "scenario.days": 40})


def recording(base: type, bars: list, **shown) -> type:
    """A subclass of the tqdm class ``base`` that records each bar made and every update (``shown``:
    options that override the caller's, e.g. to show a bar that stderr under pytest would hide)."""

    class Recording(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **{**kwargs, **shown})
            self.updates: list[int] = []
            bars.append(self)

        def update(self, n=1):
            self.updates.append(n)
            return super().update(n)

    return Recording


@pytest.mark.parametrize(("language", "unit"), [("en", "days"), ("fi", "päivää"), ("sv", "dagar")])
def test_a_notebook_bar_counts_every_day_of_the_replications_to_run(short, monkeypatch, language, unit):
    bars: list = []
    monkeypatch.setattr("simkit.ui.runs.tqdm", recording(notebook_tqdm, bars))  # what tqdm.auto is in JupyterLab
    ui.set_language(language)
    runs = ui.run(short, replications=2, seed=5)
    [bar] = bars
    assert simulated_days(short) == 54
    assert (bar.total, bar.n, bar.updates) == (2 * 54, 2 * 54, [1] * (2 * 54))  # one step a day, both replications
    assert bar.unit == unit and bar.desc == ui.t("running", n=2)
    meter = tqdm.format_meter(27, 108, 3.0, unit=bar.unit, bar_format=BAR_FORMAT)
    assert f"27/108 {unit} [" in meter and "it/s" not in meter and "s/it" not in meter
    quiet = ui.run(short, replications=2, seed=5, progress=False)
    pd.testing.assert_frame_equal(runs.per_replication, quiet.per_replication)  # the bar changes no number


def test_lesson_sweeps_count_the_days_of_every_point(short, monkeypatch):
    bars: list = []
    monkeypatch.setattr("simkit.ui.runs.tqdm", recording(tqdm, bars))
    ui.sweep_table(short, "coaches.count", [3, 5], "coach.caseload_mean", replications=2, seed=1)
    [bar] = bars
    assert (bar.total, bar.n, bar.unit) == (2 * 2 * 54, 2 * 2 * 54, "days")


@pytest.mark.parametrize(("language", "label"), [("en", r"plan coaches\.count=\d \(2 replications\)"),
                                               ("fi", r"mitoitus coaches\.count=\d \(2 toistoa\)"),
                                               ("sv", r"dimensionering coaches\.count=\d \(2 upprepningar\)")])
def test_smallest_staff_bars_count_days_and_say_how_many_replications(short, monkeypatch, language, label):
    ui.set_language(language)
    bars: list = []
    monkeypatch.setattr("simkit.views.progress.auto_tqdm",
                        recording(tqdm, bars, disable=False, file=io.StringIO(), delay=0))
    search = ui.smallest_staff(short, targets=["coach.caseload_mean<=200"], low=3, high=5, replications=2,
                               max_replications=2, seed=3)
    assert bars and len(bars) == len(search.plan.trace)  # a bar per level evaluated
    for bar in bars:
        assert (bar.total, bar.n, bar.unit) == (2 * 54, 2 * 54, ui.t("progress_days"))
        assert re.fullmatch(label, bar.desc)


def test_a_dask_scheduler_reports_no_days_so_its_bars_count_replications(short):
    on_dask = Work.of([short] * 3, scheduler="tcp://127.0.0.1:9")  # only the address is read
    assert (on_dask.total, on_dask.unit, on_dask.description("sweep")) == (3, "replications", "sweep")
    bar = tqdm(total=3, file=io.StringIO())
    assert on_dask.on_day(bar) is None and on_dask.on_replication(bar) == bar.update
    here = Work.of([short] * 3)
    assert (here.total, here.unit, here.description("sweep")) == (3 * 54, "days", "sweep (3 replications)")
    assert here.on_day(bar) == bar.update and here.on_replication(bar) is None
    assert Work.of([short] * 3, shown=False).days is None  # no bar shown: no day reported to it
