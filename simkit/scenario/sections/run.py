"""The run's settings: name, horizon and seed, the rules in force, the calendar, dated changes and the
story's claims."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from simkit.scenario.sections.base import Section, Share, field
from simkit.scenario.strictness import (
    FIRST_DATE,
    LARGEST_SEED,
    LAST_DATE,
    NAME_LENGTH,
    date_in_range,
    plain_name,
)

__all__ = ["CalendarSettings", "Event", "Expectation", "Rules", "ScenarioInfo"]


class ScenarioInfo(Section):
    name: str = field("Unnamed scenario", f"A name shown in tables and plots (at most {NAME_LENGTH} characters, "
                       "no control characters).", max_length=NAME_LENGTH)
    description: str = field("", "A short story of what the scenario shows (at most 20,000 characters).",
                              max_length=20_000)
    start_date: dt.date = field(
        dt.date(2021, 3, 1), f"First day of the statistics window (warm-up runs before it); {FIRST_DATE} to "
        f"{LAST_DATE}.", "date"
    )
    days: int = field(365, "Simulated horizon after warm-up.", "days", ge=1, le=3650)
    warmup_days: int = field(0, "Days simulated before statistics are collected.", "days", ge=0, le=3650)
    replications: int = field(20, "Independent replications for confidence intervals.", "runs", ge=1, le=10000)
    seed: int = field(2021, f"Master seed; same scenario and seed give identical results (0 to 2**63 - 1 = "
                       f"{LARGEST_SEED}).", "", ge=0, le=LARGEST_SEED)

    @field_validator("name")
    @classmethod
    def _name_is_plain(cls, value: str) -> str:
        return plain_name(value)

    @field_validator("description")
    @classmethod
    def _description_is_plain(cls, value: str) -> str:
        return plain_name(value, allow_lines=True)

    @field_validator("start_date")
    @classmethod
    def _start_in_range(cls, value: dt.date) -> dt.date:
        return date_in_range(value)


class Rules(Section):
    pilot: Literal["te-only", "pilot-2021", "te24"] = field(
        "pilot-2021",
        "Who is a municipal client: nobody (te-only), the pilot target group (pilot-2021) or everyone (te24).",
    )
    meetings: Literal["2021", "nordic-2022", "he108-2026"] = field(
        "2021", "Meeting rhythm: 2021 rules, the Nordic labour service model of 2 May 2022, or the rules of "
        "HE 108/2025 from 1 January 2026 (he108-2026)."
    )


class CalendarSettings(Section):
    public_holidays: bool = field(
        True, "Finnish public holidays are days off (no meetings; the Kela line is closed unless open 7 days)."
    )
    summer_holiday_share: Share = field(
        0.0, "Share of staff on summer holiday on each working day of the summer months.", "share"
    )
    summer_months: list[Annotated[int, Field(ge=1, le=12)]] = field(
        [7], "Months (1 = January) in which summer_holiday_share of staff is away (at most 12).", "months",
        max_length=12,
    )
    sick_leave_share: Share = field(0.0, "Share of working time lost to sick leave.", "share")


class Event(Section):
    """A dated change: from ``date`` on, the dotted keys in ``set`` take new values."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True)

    date: dt.date = field(..., f"The first day the change is in force ({FIRST_DATE} to {LAST_DATE}).", "date")
    name: str = field("", "What happens, e.g. \"Nordic labour service model\" (at most 200 characters, no control "
                       "characters).", max_length=NAME_LENGTH)
    area: str | None = field(None, "The [[areas]] entry the change applies to (default: every area).")
    changes: dict[str, Any] = Field(
        alias="set", description="Dotted scenario keys and their new values, e.g. {\"coaches.count\" = 24}."
    )

    @field_validator("date")
    @classmethod
    def _date_in_range(cls, value: dt.date) -> dt.date:
        return date_in_range(value)

    @field_validator("name")
    @classmethod
    def _name_is_plain(cls, value: str) -> str:
        return plain_name(value)


class Expectation(Section):
    """A claim the scenario's story makes about a run, as numbers a test can check
    (``tests/model/test_stories.py`` runs every bundled file and checks its ``[[expect]]``)."""

    claim: str = field(..., "The claim as the story tells it, e.g. \"none meets the two-week deadline\".")
    metric: str = field(..., "The metric, e.g. coach.first_meeting_on_time_share.")
    above: float | None = field(None, "The mean over replications is above this.")
    below: float | None = field(None, "The mean over replications is below this.")
    first_date: dt.date | None = field(None, "The claim is about the days from this date (default: the window's first).",
                                        "date")
    last_date: dt.date | None = field(None, "... to this date (default: the window's last).", "date")

    @model_validator(mode="after")
    def _a_bound(self) -> Expectation:
        if self.above is None and self.below is None:
            raise ValueError("a claim needs above, below or both")
        if self.above is not None and self.below is not None and self.above >= self.below:
            raise ValueError(f"above = {self.above} must be less than below = {self.below}")
        return self
