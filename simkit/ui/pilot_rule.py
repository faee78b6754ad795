"""Notebook 01, who is a pilot client: the pilot rule applied to one person, five example people,
the scenario's shares, and the checkboxes that call :func:`classify_client`."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import pandas as pd

from simkit.i18n import t
from simkit.model.clients import ATTRIBUTES, draw_attributes, eligible_for_pilot
from simkit.scenario import Scenario
from simkit.ui.runs import Panel


@dataclass(frozen=True)
class ClientVerdict:
    """Whether a person is a pilot client, and the attributes that make them one."""

    pilot: bool
    reasons: tuple[str, ...]  # attribute names that make the person a pilot client
    resides_in_pilot_area: bool = True

    def text(self) -> str:
        verdict = t("verdict.pilot" if self.pilot else "verdict.te")
        if self.pilot:
            why = t("reason.because", reasons="; ".join(_lower_first(t(f"attr.{name}")) for name in self.reasons))
        elif not self.resides_in_pilot_area:
            why = t("reason.outside")
        else:
            why = t("reason.none")
        return f"{verdict} ({why})"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def classify_client(resides_in_pilot_area: bool = True, kela_benefit: bool = False, no_benefit: bool = False,
                    under_30: bool = False, foreign_language: bool = False,
                    foreign_citizen: bool = False) -> ClientVerdict:
    """Apply the pilot rule (:func:`simkit.eligible_for_pilot`) to one person and say why."""
    values = {"resides_in_pilot_area": bool(resides_in_pilot_area), "kela_benefit": bool(kela_benefit),
              "no_benefit": bool(no_benefit), "under_30": bool(under_30), "foreign_language": bool(foreign_language),
              "foreign_citizen": bool(foreign_citizen)}
    pilot = bool(eligible_for_pilot(**values))
    reasons = tuple(name for name in ATTRIBUTES[1:] if values[name]) if resides_in_pilot_area else ()
    return ClientVerdict(pilot=pilot, reasons=reasons, resides_in_pilot_area=values["resides_in_pilot_area"])


def client_builder() -> Panel:
    """Checkboxes for the six attributes; the verdict updates as they change."""
    boxes = {name: widgets.Checkbox(value=(name == "resides_in_pilot_area"), description=t(f"attr.{name}"),
                                    indent=False, layout=widgets.Layout(width="auto")) for name in ATTRIBUTES}
    verdict = widgets.HTML()

    def update(_=None):
        result = classify_client(**{name: box.value for name, box in boxes.items()})
        colour = "#1f5fa8" if result.pilot else "#d9730d"
        verdict.value = f"<b style='color:{colour}'>{result.text()}</b>"

    for box in boxes.values():
        box.observe(update, names="value")
    update()
    return Panel([*boxes.values(), verdict], name=t("panel.client_builder"))


# Five people for lesson 01: the catalog's ``people.<name>`` describes each, these are their attributes.
EXAMPLE_PEOPLE = {
    "aino": {"under_30": True},
    "mikko": {"kela_benefit": True},
    "olga": {"foreign_language": True},
    "jari": {},
    "sara": {"resides_in_pilot_area": False, "under_30": True},
}


def example_people() -> list[str]:
    """Lesson 01's five people, each with the verdict of the pilot rule, as lines to print."""
    return [f"{t(f'people.{name}')}: {classify_client(**facts).text()}" for name, facts in EXAMPLE_PEOPLE.items()]


def pilot_share_table(scenario: Scenario, sample: int = 100_000, seed: int = 1) -> pd.DataFrame:
    """How the scenario's client shares split into the rule's branches (a quick sample, no SimPy).

    Rows: the share of a new registration that meets each condition and is a pilot client.
    """
    import numpy as np

    draws = draw_attributes([scenario.clients], np.zeros(sample, dtype=int), np.random.default_rng(seed))
    pilot = eligible_for_pilot(*(draws[name] for name in ATTRIBUTES))
    rows = {t(f"attr.{name}"): float(draws[name].mean()) for name in ATTRIBUTES}
    rows[t("verdict.pilot")] = float(pilot.mean())
    return pd.DataFrame({t("share_percent"): [round(100 * v, 1) for v in rows.values()]}, index=list(rows))
