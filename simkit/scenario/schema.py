"""The scenario schema: every key a scenario file may hold, its type, unit and allowed range.

This module defines ``Scenario`` (and ``Area``) and re-exports the section models it is made of, which
live by concept in :mod:`simkit.scenario.sections`.

A scenario is immutable (``frozen``): a run builds its own state from it, so one
``Scenario`` can be shared by parallel runs. Units are given in each field's description and
in ``json_schema_extra["unit"]`` so that documentation and widgets can show them.

Every number is finite (``inf`` only where a field says so) and within a range a real area can
have; each limit is in the field's description. Types are strict where TOML allows a mistake:
a count or a number is never ``true``/``false`` or a quoted text (``"0.3"``), and a yes/no
setting is only ``true`` or ``false``. Names hold no control characters (they reach terminals
and spreadsheets).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from simkit.scenario.sections.base import Section, field, names_differ
from simkit.scenario.sections.clients import (
    ActiveClient,
    Clients,
    Inflow,
    Referral,
    Service,
    Spell,
    Status,
)
from simkit.scenario.sections.costs import MOST_EUROS, STAFF_POOLS, Costs, Overhead
from simkit.scenario.sections.kela import Kela, QuestionType
from simkit.scenario.sections.run import (
    CalendarSettings,
    Event,
    Expectation,
    Rules,
    ScenarioInfo,
)
from simkit.scenario.sections.staff import (
    Channel,
    Channels,
    Coaches,
    CoachTeam,
    Meeting,
    StaffSettings,
    Statements,
    TeExperts,
)
from simkit.scenario.strictness import FIRST_DATE, LARGEST_SEED, LAST_DATE, NAME_LENGTH

__all__ = [
    "AREA_NAME",
    "AREA_SHARED",
    "FIRST_DATE",
    "LARGEST_SEED",
    "LAST_DATE",
    "MOST_EUROS",
    "NAME_LENGTH",
    "STAFF_POOLS",
    "ActiveClient",
    "Area",
    "CalendarSettings",
    "Channel",
    "Channels",
    "Clients",
    "CoachTeam",
    "Coaches",
    "Costs",
    "Event",
    "Expectation",
    "Inflow",
    "Kela",
    "Meeting",
    "Overhead",
    "QuestionType",
    "Referral",
    "Rules",
    "Scenario",
    "ScenarioInfo",
    "Service",
    "Spell",
    "StaffSettings",
    "Statements",
    "Status",
    "TeExperts",
]


AREA_NAME = r"^[a-z][a-z0-9_]*$"
AREA_SHARED = ("scenario", "events", "areas")  # sections every area shares: one horizon, seed and set of events


class Area(BaseModel):
    """One area of a multi-area scenario: a name and the keys that differ from the shared scenario,
    as a nested table (``coaches.count = 300``); validated against the schema when loaded."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str = field(..., "Area name used in metric names (area.<name>.<metric>), e.g. helsinki (at most 60 "
                       "characters).", pattern=AREA_NAME, max_length=60)
    title: str = field("", f"The area's name as people write it, e.g. \"Vantaa–Kerava\" (tables and plots; at most "
                        f"{NAME_LENGTH} characters).", max_length=NAME_LENGTH)

    @property
    def overrides(self) -> dict[str, Any]:
        """The area's own keys (everything but ``name``), as nested dictionaries."""
        return dict(self.model_extra or {})


class Scenario(Section):
    """A complete, validated scenario. Build one with :func:`simkit.load_scenario`."""

    scenario: ScenarioInfo = ScenarioInfo()
    rules: Rules = Rules()
    inflow: Inflow = Inflow()
    clients: Clients = Clients()
    status: Status = Status()
    spell: Spell = Spell()
    coaches: Coaches = Coaches()
    te: TeExperts = TeExperts()
    meeting: Meeting = Meeting()
    kela: Kela = Kela()
    calendar: CalendarSettings = CalendarSettings()
    statements: Statements = Statements()
    services: list[Service] = Field(
        default_factory=list, max_length=100,
        description="Optional [[services]]: work trials, training, language courses, workshops (at most 100).",
    )
    events: list[Event] = Field(default_factory=list, max_length=1000,
                                description="Dated changes, in date order (at most 1,000).")
    costs: Costs = Costs()
    areas: list[Area] = Field(
        default_factory=list, max_length=500,
        description="Optional [[areas]] (at most 500): each simulated as its own system with the keys it sets "
        "(see docs/national-planning.md); without them the scenario is one area.")
    expect: list[Expectation] = Field(
        default_factory=list, max_length=100,
        description="Optional [[expect]]: the story's claims about a run, checked by the tests (at most 100).",
    )

    @field_validator("events")
    @classmethod
    def _events_in_date_order(cls, events: list[Event]) -> list[Event]:
        dates = [event.date for event in events]
        if dates != sorted(dates):
            raise ValueError("events must be listed in date order")
        return events

    @field_validator("areas")
    @classmethod
    def _areas_are_distinct(cls, areas: list[Area]) -> list[Area]:
        names_differ("area", areas)
        for area in areas:
            shared = sorted(set(area.overrides) & set(AREA_SHARED))
            if shared:
                raise ValueError(f"area {area.name}: {', '.join(shared)} is shared by all areas and cannot be set "
                                 "per area")
        return areas

    @model_validator(mode="after")
    def _event_areas_exist(self) -> Scenario:
        names = [area.name for area in self.areas]
        for index, event in enumerate(self.events):
            if event.area is not None and event.area not in names:
                allowed = f"one of {names}" if names else "none: the scenario has no [[areas]]"
                raise ValueError(f"events[{index}].area = {event.area!r}: no such area ({allowed})")
        return self

    @field_validator("services")
    @classmethod
    def _service_names_differ(cls, services: list[Service]) -> list[Service]:
        names_differ("service", services)
        return services

    @model_validator(mode="after")
    def _services_are_the_service_status(self) -> Scenario:
        if self.services and self.status.service_per_month > 0:
            raise ValueError("status.service_per_month must be 0 when the scenario has [[services]]: "
                             "their places are the \"in a service\" state")
        return self

    @model_validator(mode="after")
    def _stock_teams_exist(self) -> Scenario:
        stock = self.inflow.initial_stock or []
        teams = {team.name for team in self.coaches.resolved_teams()} | {"coach", "te"}
        for row, client in enumerate(stock):
            if client.team is not None and client.team not in teams:
                raise ValueError(f"initial client {row + 1}: team {client.team!r} is none of {sorted(teams)}")
        return self

    @property
    def name(self) -> str:
        return self.scenario.name

    def value(self, key: str) -> Any:
        """The value at a dotted key, e.g. ``scenario.value("coaches.count")``; ``areas.<name>.<key>``
        is an area's own value, else the shared one."""
        if key.startswith("areas."):
            _, name, rest = key.split(".", 2)
            area = next((area for area in self.areas if area.name == name), None)
            if area is None:
                raise KeyError(f"{key}: no area {name!r}")
            node: Any = area.overrides
            for part in rest.split("."):
                if not isinstance(node, dict) or part not in node:
                    return self.value(rest)
                node = node[part]
            return node
        node = self
        for part in key.split("."):
            node = getattr(node, part)
        return node

    def content_hash(self) -> str:
        """A SHA-256 of the resolved scenario, stable across processes and key order."""
        return content_digest(self.model_dump(mode="json"))

    def canonical_json(self) -> str:
        return canonical_json(self.model_dump(mode="json"))


def canonical_json(content: Any) -> str:
    """``content`` (a scenario's JSON dump, or part of one) as JSON with sorted keys and no spaces."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"))


def content_digest(content: Any) -> str:
    """A SHA-256 of :func:`canonical_json` of ``content``: stable across processes and key order."""
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()
