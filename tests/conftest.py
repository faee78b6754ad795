"""Shared fixtures: the bundled scenario and small, quick variants of it."""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

# The CLI's run store ($SIMKIT_STORE) goes to a folder of the test session's own, never the checkout.
os.environ["SIMKIT_STORE"] = os.path.join(tempfile.mkdtemp(prefix="simkit-test-store-"), "runs.sqlite")
# nbval checks the notebooks' stored (English) outputs, and the kernels it starts inherit this environment
# (each notebook's first cell reads SIMKIT_LANG): a trainer's language must not change them. (One conftest
# only: a second one named conftest.py under notebooks/ would shadow this module's ROOT and SEINAJOKI.)
os.environ.pop("SIMKIT_LANG", None)

import simkit
from simkit.model.draws import forget_draws

ROOT = Path(__file__).resolve().parents[1]
SEINAJOKI = ROOT / "scenarios" / "seinajoki-ilmajoki-2021.toml"


@pytest.fixture(scope="session", autouse=True)
def compiled_model() -> None:
    """The model's day loop compiled before the first test: on a machine that has never run simkit the
    first run compiles it for about a minute (later processes, the notebooks' kernels among them, load
    it from numba's cache), which must not fall inside a test that times a kernel or a browser."""
    simkit.simulate(simkit.load_scenario(SEINAJOKI, {"scenario.days": 250}), 1, 0)  # past the first dated event


@pytest.fixture(autouse=True)
def fresh_draws() -> None:
    """Each test draws its clients afresh: no draws kept from another test (simkit.model.draws)."""
    forget_draws()


@pytest.fixture(scope="session")
def seinajoki() -> simkit.Scenario:
    return simkit.load_scenario(SEINAJOKI)


@pytest.fixture(scope="session")
def small() -> simkit.Scenario:
    return small_scenario()


def small_scenario() -> simkit.Scenario:
    """A quick area: ~600 active clients, 4 coaches, 2 TE experts, 180 days from 1 March 2021,
    no dated events, no summer holidays or sick leave (public holidays stay), one kind of Kela
    question, contact persons always on the line, no statements, no services. Its clients are
    unemployed while on the books (no job-seeker status, no returning job seekers) for a 200-day
    spell, so that 21 registrations a week keep the 600 in steady state with many first meetings."""
    return simkit.with_overrides(simkit.load_scenario(SEINAJOKI), {
        "scenario.days": 180, "inflow.per_week": 21.0, "inflow.initial_clients": 600,
        "spell.mean_days": 200.0, "inflow.returning_share": 0.0,
        "status.education_per_month": 0.0, "status.employed_per_month": 0.0,
        "coaches.count": 4, "te.experts": 2, "coaches.client_time_share": 0.6, "events": [],
        "calendar.summer_holiday_share": 0.0, "calendar.sick_leave_share": 0.0,
        "kela.question_types": [], "kela.offline_hours_per_week": 0.0,
        "statements.per_client_month": 0.0, "statements.coach_share": 0.0, "services": [],
    })


class TerminalStream(io.StringIO):
    """A text stream that says it is a terminal (progress bars show only on one)."""

    def isatty(self) -> bool:
        return True


def load_docs_generator() -> ModuleType:
    """docs/generate.py as a module (it is a script, not part of the package)."""
    spec = importlib.util.spec_from_file_location("docs_generate", ROOT / "docs" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("docs_generate", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def english_and_no_figures():
    """Lessons and figures in English, and no figure left open after a test."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from simkit import ui

    ui.set_language("en")
    yield
    ui.set_language("en")
    plt.close("all")


@pytest.fixture
def interpreted(monkeypatch) -> None:
    """The compiled model (:mod:`simkit.model.compiled`) run as plain Python: every compiled function of
    the model modules is replaced by its Python source function, so that a test can watch (or patch) a
    function that compiled code would call directly. The same code, so the same numbers, only slower."""
    import importlib
    import pkgutil

    from numba.core.registry import CPUDispatcher

    import simkit.model

    for info in pkgutil.iter_modules(simkit.model.__path__):
        module = importlib.import_module(f"simkit.model.{info.name}")
        for name, value in list(vars(module).items()):
            if isinstance(value, CPUDispatcher):
                monkeypatch.setattr(module, name, value.py_func)
