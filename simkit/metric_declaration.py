"""How a reported number is declared: ``Metric`` (name, unit, meaning, labels in English, Finnish and
Swedish) and the units' names in each language (:data:`UNITS`). A leaf module (it imports nothing of
simkit); the declared metrics themselves are in :mod:`simkit.registry`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

LANGUAGES = ("en", "fi", "sv")
SHARE = "share"  # the unit of every share (a number in [0, 1]); views show it in percent


@dataclass(frozen=True)
class Metric:
    """One reported number: ``name`` (dotted), ``unit`` (English), ``description`` (its definition)
    and ``labels``, a short label per language (``{"en": ..., "fi": ..., "sv": ...}``)."""

    name: str
    unit: str
    description: str
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_share(self) -> bool:
        return self.unit == SHARE

    @property
    def bounds(self) -> tuple[float, float]:
        """The range a value can take: [0, 1] for a share, [0, inf) for every other metric."""
        return (0.0, 1.0) if self.is_share else (0.0, math.inf)

    @property
    def label_fi(self) -> str:
        return self.labels["fi"]

    def label(self, language: str = "en") -> str:
        return self.labels.get(language) or self.labels["en"]


def labels(en: str, fi: str, sv: str) -> Mapping[str, str]:
    """A label in each language: English, Finnish and Swedish."""
    return MappingProxyType({"en": en, "fi": fi, "sv": sv})


# -- units ------------------------------------------------------------------------------------
# Units are declared in English (in the registry and in the scenario schema's fields); their
# names in Finnish and Swedish.
UNITS: Mapping[str, Mapping[str, str]] = MappingProxyType({
    "clients": labels("clients", "asiakasta", "kunder"),
    "clients per day": labels("clients per day", "asiakasta / päivä", "kunder per dag"),
    "clients per month": labels("clients per month", "asiakasta / kk", "kunder per månad"),
    "clients per person": labels("clients per person", "asiakasta / henkilö", "kunder per person"),
    "clients per coach": labels("clients per coach", "asiakasta / omavalmentaja", "kunder per personlig coach"),
    "clients per TE expert": labels("clients per TE expert", "asiakasta / TE-asiantuntija",
                                     "kunder per sakkunnig vid TE-byrån"),
    SHARE: labels("share", "osuus", "andel"),
    "days": labels("days", "päivää", "dagar"),
    "working days": labels("working days", "työpäivää", "arbetsdagar"),
    "hours": labels("hours", "tuntia", "timmar"),
    "minutes": labels("minutes", "min", "min"),
    "persons": labels("persons", "henkilöä", "personer"),
    "per week": labels("per week", "viikossa", "per vecka"),
    "per client per month": labels("per client per month", "asiakasta kohden kuukaudessa", "per kund och månad"),
    "hours per client per month": labels("hours per client per month", "tuntia / asiakas / kk",
                                          "timmar per kund och månad"),
    "hours per week": labels("hours per week", "tuntia viikossa", "timmar per vecka"),
    "meetings per client per year": labels("meetings per client per year", "tapaamista / asiakas / vuosi",
                                            "möten per kund och år"),
    "questions per day": labels("questions per day", "kysymystä / päivä", "frågor per dag"),
    "callbacks per day": labels("callbacks per day", "takaisinsoittoa / päivä", "återuppringningar per dag"),
    "statements per month": labels("statements per month", "lausuntoa / kk", "utlåtanden per månad"),
    "referrals per month": labels("referrals per month", "ohjausta / kk", "hänvisningar per månad"),
    "places": labels("places", "paikkaa", "platser"),
    "meetings": labels("meetings", "tapaamista", "möten"),
    "questions": labels("questions", "kysymystä", "frågor"),
    "callbacks": labels("callbacks", "takaisinsoittoa", "återuppringningar"),
    "runs": labels("runs", "toistoa", "körningar"),
    "factor": labels("factor", "kerroin", "faktor"),
    "date": labels("date", "päivämäärä", "datum"),
    "months": labels("months", "kuukaudet", "månader"),
    "person-years": labels("person-years", "henkilötyövuotta", "årsverken"),
    "euros": labels("euros", "euroa", "euro"),
})


def unit_name(unit: str, language: str = "en") -> str:
    """A unit in ``language`` (the English unit itself when it has no entry)."""
    names = UNITS.get(unit)
    return (names.get(language) or unit) if names else unit
