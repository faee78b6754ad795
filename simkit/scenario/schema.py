"""The scenario schema: every key a scenario file may hold, its type, unit and allowed range.

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

import datetime as dt
import hashlib
import json
import math
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from simkit.scenario.strictness import (
    FIRST_DATE,
    LARGEST_SEED,
    LAST_DATE,
    NAME_LENGTH,
    check_strict,
    date_in_range,
    plain_name,
)

from simkit.units import DAYS_PER_MONTH


def _field(default, description: str, unit: str = "", **constraints):
    """A pydantic ``Field`` with a description and a unit shown in docs and widgets."""
    return Field(default, description=description, json_schema_extra={"unit": unit}, **constraints)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)

    @field_validator("*", mode="before")
    @classmethod
    def _strict_types(cls, value: Any, info: ValidationInfo) -> Any:
        """No ``true`` as a count, no ``"0.3"`` as a number, no ``1`` or ``"yes"`` as true/false (except
        where the input is text by nature: a CSV cell, validated with ``context={"text_cells": True}``)."""
        if not (info.context or {}).get("text_cells"):
            check_strict(value, cls.model_fields[info.field_name].annotation)
        return value


def _names_differ(what: str, items: list) -> None:
    names = [item.name for item in items]
    if len(set(names)) != len(names):
        raise ValueError(f"{what} names must differ, not {names}")


def _with_defaults(items: list, parent: BaseModel, keys: tuple[str, ...]) -> list:
    """Copies of ``items`` whose unset (None) ``keys`` take the parent section's values."""
    return [item.model_copy(update={key: getattr(parent, key) for key in keys if getattr(item, key) is None})
            for item in items]


Share = Annotated[float, Field(ge=0.0, le=1.0)]
Hour = Annotated[float, Field(ge=0.0, le=24.0)]
HourRange = tuple[Hour, Hour]


class ScenarioInfo(_Section):
    name: str = _field("Unnamed scenario", f"A name shown in tables and plots (at most {NAME_LENGTH} characters, "
                       "no control characters).", max_length=NAME_LENGTH)
    description: str = _field("", "A short story of what the scenario shows (at most 20,000 characters).",
                              max_length=20_000)
    start_date: dt.date = _field(
        dt.date(2021, 3, 1), f"First day of the statistics window (warm-up runs before it); {FIRST_DATE} to "
        f"{LAST_DATE}.", "date"
    )
    days: int = _field(365, "Simulated horizon after warm-up.", "days", ge=1, le=3650)
    warmup_days: int = _field(0, "Days simulated before statistics are collected.", "days", ge=0, le=3650)
    replications: int = _field(20, "Independent replications for confidence intervals.", "runs", ge=1, le=10000)
    seed: int = _field(2021, f"Master seed; same scenario and seed give identical results (0 to 2**63 - 1 = "
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


class Rules(_Section):
    pilot: Literal["te-only", "pilot-2021", "te24"] = _field(
        "pilot-2021",
        "Who is a municipal client: nobody (te-only), the pilot target group (pilot-2021) or everyone (te24).",
    )
    meetings: Literal["2021", "nordic-2022", "he108-2026"] = _field(
        "2021", "Meeting rhythm: 2021 rules, the Nordic labour service model of 2 May 2022, or the rules of "
        "HE 108/2025 from 1 January 2026 (he108-2026)."
    )


class ActiveClient(_Section):
    """One client active on day 0, as a planner's caseload CSV gives it; blanks are drawn."""

    days_since_registration: float = _field(..., "Days the client has been registered on day 0 (0 to 36,500).",
                                            "days", ge=0.0, le=36_500.0)
    remaining_days: float | None = _field(
        None, "Days until the client's exit (blank: drawn from the spell given its age; at most 36,500).", "days",
        gt=0.0, le=36_500.0,
    )
    team: str | None = _field(None, 'Who serves the client now: a coach team name, "coach" or "te" '
                                     "(blank: by the pilot rule).")
    resides_in_pilot_area: bool | None = None
    kela_benefit: bool | None = None
    no_benefit: bool | None = None
    under_30: bool | None = None
    foreign_language: bool | None = None
    foreign_citizen: bool | None = None


class Inflow(_Section):
    per_week: float = _field(
        120.0, "New job searches (registrations) in the area, 0 to 50,000 (all of Finland registers about "
        "12,000 a week); an unemployment spell of someone already on the books is a status change ([status]), "
        "not a registration.", "per week", ge=0.0, le=50_000.0,
    )
    returning_share: Share = _field(
        0.0, "Share of new job searches that start within 6 months of the person's previous job search ending: "
        "they owe no initial interview and no intensive period (Nordic model).", "share",
    )
    seasonality: Annotated[list[Annotated[float, Field(ge=0.0, le=10.0)]], Field(min_length=12, max_length=12)] = _field(
        [1.15, 0.95, 0.95, 0.95, 1.05, 1.35, 1.15, 1.0, 0.9, 0.9, 0.9, 1.1],
        "Inflow multiplier for each month, January to December (12 numbers, each 0 to 10).",
        "factor",
    )
    seasonality_under_30: Annotated[list[Annotated[float, Field(ge=0.0, le=10.0)]], Field(min_length=12, max_length=12)] | None = (
        _field(None, "Inflow multipliers for under-30s alone, January to December, each 0 to 10 (default: "
               "seasonality); the June youth surge.", "factor")
    )
    initial_clients: int = _field(3400, "Clients already registered on day 0 of the run (0 to 2,000,000: all of "
                                  "Finland has about 300,000 job seekers).", "clients", ge=0, le=2_000_000)
    initial_clients_csv: str | None = _field(
        None, "A CSV of the clients active on day 0 (relative to the scenario file); replaces the drawn stock "
        "and sets initial_clients to its row count. A regular file of at most SIMKIT_MAX_FILE_MB (default 256) MB.",
        min_length=1, max_length=4096,
    )
    initial_stock: list[ActiveClient] | None = Field(
        None, description="The clients of initial_clients_csv, read on load (or given from Python); at most "
        "2,000,000.", repr=False, max_length=2_000_000,
    )

    @model_validator(mode="after")
    def _stock_sets_the_count(self) -> "Inflow":
        if self.initial_stock is not None and self.initial_clients != len(self.initial_stock):
            object.__setattr__(self, "initial_clients", len(self.initial_stock))
        return self


class Clients(_Section):
    resides_in_pilot_area: Share = _field(1.0, "Share of registrations living in a pilot municipality.", "share")
    kela_benefit: Share = _field(
        0.6, "Share on Kela labour market subsidy or basic daily allowance.", "share"
    )
    no_benefit: Share = _field(
        0.1, "Share on no unemployment benefit (e.g. social assistance only); with kela_benefit, the people "
        "with no right to earnings-related allowance. kela_benefit + no_benefit is at most 1.", "share"
    )
    under_30: Share = _field(0.2, "Share under 30 years of age.", "share")
    foreign_language: Share = _field(
        0.08, "Share whose native language is not Finnish, Swedish or Sámi.", "share"
    )
    foreign_citizen: Share = _field(0.06, "Share who are not Finnish citizens.", "share")
    foreign_language_and_citizen: Share | None = _field(
        None, "Share who are both (language and citizenship are drawn jointly); default: the smaller of the two "
        "(every foreign citizen in the smaller group also speaks a foreign language).", "share"
    )

    @model_validator(mode="after")
    def _shares_fit(self) -> Clients:
        if self.kela_benefit + self.no_benefit > 1.0 + 1e-9:
            raise ValueError(f"kela_benefit + no_benefit = {self.kela_benefit + self.no_benefit:.4g}, at most 1")
        both = self.foreign_both
        if both > min(self.foreign_language, self.foreign_citizen) + 1e-9:
            raise ValueError(f"foreign_language_and_citizen = {both} is more than foreign_language or foreign_citizen")
        if self.foreign_language + self.foreign_citizen - both > 1.0 + 1e-9:
            raise ValueError("foreign_language + foreign_citizen - foreign_language_and_citizen is more than 1")
        return self

    @property
    def foreign_both(self) -> float:
        """The share both foreign-language and a foreign citizen (the default resolved)."""
        if self.foreign_language_and_citizen is None:
            return min(self.foreign_language, self.foreign_citizen)
        return self.foreign_language_and_citizen


class Status(_Section):
    """A job seeker's status while on the books: unemployed, in a service, in education or employed.

    Every new job search starts unemployed. An unemployed client moves to each other status at its
    rate; a client in another status goes back to unemployed (a new unemployment spell, not a new
    job search) after a stay of exponential length with the given mean. All rates 0 (the default):
    everyone is unemployed while on the books. Where the scenario has [[services]] with places,
    those places are the "in a service" state (limited places, queues, meetings further apart)
    and service_per_month must stay 0: a client in a place keeps the chain's status (unemployed),
    is counted in ``services.<name>.places_used_mean`` and not in the daily ``in_service_pilot``.
    Under the Nordic rules the unemployed owe the job-search conversations and the others a
    lighter contact every ``contact_days``; under the 2021 rules everyone owes the same.
    """

    service_per_month: float = _field(0.0, "Chance per month that an unemployed client starts a service.",
                                      "per month", ge=0.0, le=10.0)
    education_per_month: float = _field(0.0, "Chance per month that an unemployed client starts education.",
                                        "per month", ge=0.0, le=10.0)
    employed_per_month: float = _field(0.0, "Chance per month that an unemployed client starts work "
                                       "(open market or subsidised) and stays on the books.", "per month",
                                       ge=0.0, le=10.0)
    service_months: float = _field(4.0, "Mean stay in a service before unemployed again.", "months", gt=0.0, le=120.0)
    education_months: float = _field(9.0, "Mean stay in education before unemployed again.", "months", gt=0.0,
                                     le=120.0)
    employed_months: float = _field(6.0, "Mean stay employed before unemployed again.", "months", gt=0.0, le=120.0)
    contact_days: int = _field(
        182, "Under the Nordic model, days between the lighter contacts of a client in a service, in "
        "education or employed (the unemployed owe job-search conversations).", "days", ge=7, le=3650,
    )

    def rates_per_day(self) -> tuple[float, float, float]:
        """Unemployed -> (service, education, employed), per day."""
        return tuple(rate / DAYS_PER_MONTH for rate in
                     (self.service_per_month, self.education_per_month, self.employed_per_month))

    def return_rates_per_day(self) -> tuple[float, float, float]:
        """(service, education, employed) -> unemployed, per day."""
        return tuple(1.0 / (months * DAYS_PER_MONTH) for months in
                     (self.service_months, self.education_months, self.employed_months))


class Spell(_Section):
    distribution: Literal["exponential", "lognormal"] = _field(
        "lognormal", "Distribution of days from registration to exit."
    )
    mean_days: float = _field(200.0, "Mean spell length (over 0, at most 36,500).", "days", gt=0.0, le=36_500.0)
    cv: float = _field(1.9, "Coefficient of variation of the spell (lognormal only).", "", gt=0.0, le=20.0)
    monthly_exit_factor: Annotated[list[Annotated[float, Field(gt=0.0, le=10.0)]], Field(min_length=12, max_length=12)] = (
        _field([1.0] * 12, "Exit rate multiplier for each month, January to December (e.g. 0.7 in July: the summer "
               "slows exits); spells are drawn in time that runs at this speed.", "factor")
    )


class StaffSettings(_Section):
    """Fields shared by coaches and TE experts (the count key differs)."""

    hours_per_week: float = _field(37.5, "Working hours of one staff member.", "hours per week", gt=0.0, le=80.0)
    client_time_share: Share = _field(0.6, "Share of working hours available for client meetings.", "share")
    caseload_cap: int = _field(
        150, "Most clients one staff member holds; new clients wait while all are at the cap (1 to 100,000).",
        "clients", ge=1, le=100_000,
    )

    @property
    def staff(self) -> int:
        raise NotImplementedError


class CoachTeam(_Section):
    """A team of coaches serving one segment; unset fields take the [coaches] values."""

    name: str = _field(..., "Team name used in metric names, e.g. youth.", pattern=r"^[a-z][a-z0-9_]*$")
    serves: Literal["under_30", "foreign_language", "everyone"] = _field(
        "everyone", "Clients the team serves: a client goes to the first listed team that serves them."
    )
    count: int = _field(..., "Coaches in the team.", "persons", ge=0, le=100_000)
    caseload_cap: int | None = _field(None, "Most clients per coach, 1 to 100,000 (default: coaches.caseload_cap).",
                                      "clients", ge=1, le=100_000)
    hours_per_week: float | None = _field(None, "Working hours (default: coaches.hours_per_week).", "hours per week",
                                          gt=0.0, le=80.0)
    client_time_share: Share | None = _field(None, "Share of hours for meetings (default: coaches.client_time_share).",
                                             "share")

    @property
    def staff(self) -> int:
        return self.count


class Coaches(StaffSettings):
    count: int = _field(20, "Municipal personal coaches (omavalmentajat).", "persons", ge=0, le=100_000)
    teams: list[CoachTeam] = Field(
        default_factory=list, max_length=100,
        description="Optional [[coaches.teams]] serving segments (e.g. youth, adults); counts add up to count "
        "(at most 100 teams).",
    )

    @model_validator(mode="after")
    def _teams_add_up(self) -> "Coaches":
        if not self.teams:
            return self
        _names_differ("team", self.teams)
        if self.teams[-1].serves != "everyone":
            raise ValueError('the last team must serve "everyone", so that every client has a team')
        total = sum(team.count for team in self.teams)
        if total != self.count:
            raise ValueError(f"coaches.count = {self.count} but the teams add up to {total}")
        return self

    @property
    def staff(self) -> int:
        return self.count

    def resolved_teams(self) -> list[CoachTeam]:
        """The teams with every field set; one team "coach" serving everyone when none are given."""
        teams = self.teams or [CoachTeam(name="coach", serves="everyone", count=self.count)]
        return _with_defaults(teams, self, ("caseload_cap", "hours_per_week", "client_time_share"))


class TeExperts(StaffSettings):
    experts: int = _field(6, "TE office experts serving clients outside the pilot.", "persons", ge=0, le=100_000)
    caseload_cap: int = _field(
        250, "Most clients one TE expert holds; new clients wait while all are at the cap (1 to 100,000).",
        "clients", ge=1, le=100_000,
    )

    @property
    def staff(self) -> int:
        return self.experts


class Channel(_Section):
    """One way of meeting a client: its share of meetings and its length."""

    share: Share = _field(..., "Share of meetings held this way.", "share")
    minutes: float | None = _field(None, "Length of a meeting held this way (default: meeting.minutes).", "minutes",
                                   gt=0.0, le=480.0)


class Channels(_Section):
    """Meetings face to face, by phone or by video ([meeting.channels]); the shares add up to 1."""

    face_to_face: Channel = _field(Channel(share=1.0), "Meetings in person (default: all of them).")
    phone: Channel = _field(Channel(share=0.0), "Meetings by phone.")
    video: Channel = _field(Channel(share=0.0), "Meetings by video.")

    @model_validator(mode="after")
    def _shares_add_up(self) -> "Channels":
        total = self.face_to_face.share + self.phone.share + self.video.share
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"the shares of face_to_face, phone and video add up to {total:g}, not 1")
        return self


class Meeting(_Section):
    minutes: float = _field(45.0, "Length of one client meeting (with channels: of a channel that gives none).",
                            "minutes", gt=0.0, le=480.0)
    channels: Channels = _field(
        Channels(), "[meeting.channels]: face_to_face, phone and video, each with a share and minutes (default: "
        "all face to face, meeting.minutes); a meeting takes the mix's mean minutes, so capacity follows the mix.",
    )
    early_days: int = _field(
        7, "How many days before its due date a periodic meeting may be held.", "days", ge=0, le=60
    )
    no_show_share: Share = _field(
        0.0, "Share of meetings the client does not come to; the slot is lost and a new one booked.", "share"
    )
    rebook_days: int = _field(5, "Days after a no-show before the new meeting may be held.", "days", ge=1, le=60)
    first_meeting_policy: Literal["bump", "reserve", "none"] = _field(
        "bump", "How first meetings (initial interviews, a statutory deadline) go before routine ones: "
        "bump = a first meeting that would be late takes the place of the last routine meeting booked on "
        "the first working day that has one, which is booked again on the first day with time after it; "
        "reserve = first_meeting_reserve_share of each day is kept for first meetings until the day before; "
        "none = first meetings queue behind routine ones."
    )
    first_meeting_reserve_share: Share = _field(
        0.2, "Under first_meeting_policy = \"reserve\": share of each working day's client minutes kept for "
        "first meetings until the day before, when the rest opens to other meetings and statements.", "share",
    )

    @property
    def mean_minutes(self) -> float:
        """Minutes of client time a meeting takes: ``minutes``, or the channel mix's mean."""
        ways = (self.channels.face_to_face, self.channels.phone, self.channels.video)
        return sum(way.share * (self.minutes if way.minutes is None else way.minutes) for way in ways)


class Statements(_Section):
    """Labour-policy statements (työvoimapoliittinen lausunto) that Kela needs before paying."""

    per_client_month: float = _field(
        0.0, "Statements raised per active client (0 = not modelled).", "per client per month", ge=0.0, le=10.0
    )
    minutes: float = _field(20.0, "Staff time to write one statement.", "minutes", gt=0.0, le=480.0)
    due_days: int = _field(14, "Days within which a statement is due; later ones delay Kela's payment.", "days",
                           ge=1, le=90)
    coach_share: Share = _field(
        0.0, "Share of pilot clients' statements written by their coaches; the rest, and all TE clients', "
        "by TE experts.", "share",
    )
    expert_share: Share = _field(
        0.0, "Share of statements referred to a central unit for an expert statement (Uusimaa TE office from "
        "10/2021, KEHA from 2025); they take no local diary time.", "share",
    )
    expert_days: float = _field(
        24.0, "Calendar days from raising a referred statement to the central unit's statement (average 24 on "
        "12.4.2024).", "days", ge=0.0, le=365.0,
    )


class Referral(_Section):
    """Chance per month of a client's spell of being referred, by segment (first that fits)."""

    under_30: Share = _field(0.0, "Under-30 clients.", "per month")
    foreign_language: Share = _field(0.0, "Other clients with a foreign native language.", "per month")
    other: Share = _field(0.0, "Everyone else.", "per month")


class Service(_Section):
    """A service with limited places that coaches refer pilot clients to."""

    name: str = _field(..., "Service name used in metric names, e.g. work_trial.", pattern=r"^[a-z][a-z0-9_]*$")
    places: int = _field(..., "Places in use at a time.", "places", ge=0, le=1_000_000)
    duration_days: float = _field(..., "Days a client spends in the service (less if the spell ends).", "days",
                                  gt=0.0, le=3650.0)
    referral_per_month: Referral = _field(Referral(), "Chance per month of spell of a referral, by segment.")
    meeting_interval_factor: float = _field(
        2.0, "Meetings with the coach are this many times further apart while in the service.", "factor",
        ge=1.0, le=10.0,
    )


class CalendarSettings(_Section):
    public_holidays: bool = _field(
        True, "Finnish public holidays are days off (no meetings; the Kela line is closed unless open 7 days)."
    )
    summer_holiday_share: Share = _field(
        0.0, "Share of staff on summer holiday on each working day of the summer months.", "share"
    )
    summer_months: list[Annotated[int, Field(ge=1, le=12)]] = _field(
        [7], "Months (1 = January) in which summer_holiday_share of staff is away (at most 12).", "months",
        max_length=12,
    )
    sick_leave_share: Share = _field(0.0, "Share of working time lost to sick leave.", "share")


class Event(_Section):
    """A dated change: from ``date`` on, the dotted keys in ``set`` take new values."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, serialize_by_alias=True)

    date: dt.date = _field(..., f"The first day the change is in force ({FIRST_DATE} to {LAST_DATE}).", "date")
    name: str = _field("", "What happens, e.g. \"Nordic labour service model\" (at most 200 characters, no control "
                       "characters).", max_length=NAME_LENGTH)
    area: str | None = _field(None, "The [[areas]] entry the change applies to (default: every area).")
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


class Expectation(_Section):
    """A claim the scenario's story makes about a run, as numbers a test can check
    (``tests/model/test_stories.py`` runs every bundled file and checks its ``[[expect]]``)."""

    claim: str = _field(..., "The claim as the story tells it, e.g. \"none meets the two-week deadline\".")
    metric: str = _field(..., "The metric, e.g. coach.first_meeting_on_time_share.")
    above: float | None = _field(None, "The mean over replications is above this.")
    below: float | None = _field(None, "The mean over replications is below this.")
    first_date: dt.date | None = _field(None, "The claim is about the days from this date (default: the window's first).",
                                        "date")
    last_date: dt.date | None = _field(None, "... to this date (default: the window's last).", "date")

    @model_validator(mode="after")
    def _a_bound(self) -> Expectation:
        if self.above is None and self.below is None:
            raise ValueError("a claim needs above, below or both")
        if self.above is not None and self.below is not None and self.above >= self.below:
            raise ValueError(f"above = {self.above} must be less than below = {self.below}")
        return self


class QuestionType(_Section):
    """A kind of question coaches ask Kela; unset handle fields take the [kela] values."""

    name: str = _field(..., "Type name used in metric names, e.g. sick_leave.", pattern=r"^[a-z][a-z0-9_]*$")
    share: Share = _field(..., "Share of all questions that are of this type.", "share")
    handle_minutes: float | None = _field(None, "Mean handle time (default: kela.handle_minutes).", "minutes",
                                          gt=0.0, le=480.0)
    handle_distribution: Literal["exponential", "lognormal", "fixed"] | None = _field(
        None, "Handle time distribution (default: kela.handle_distribution)."
    )
    handle_cv: float | None = _field(None, "Coefficient of variation, lognormal (default: kela.handle_cv).", "",
                                     gt=0.0, le=20.0)


class Kela(_Section):
    contact_persons: int = _field(1, "Kela contact persons answering the coaches' line.", "persons", ge=1, le=10_000)
    questions_per_client_month: float = _field(
        0.05, "Kela questions raised per active pilot client.", "per client per month", ge=0.0, le=100.0
    )
    handle_minutes: float = _field(12.0, "Mean time to answer one question.", "minutes", gt=0.0, le=480.0)
    handle_distribution: Literal["exponential", "lognormal", "fixed"] = _field(
        "exponential", "Distribution of the handle time."
    )
    handle_cv: float = _field(1.0, "Coefficient of variation of the handle time (lognormal only).", "", gt=0.0, le=20.0)
    open_hours: HourRange = _field(
        (8.0, 16.0), "Opening and closing hour of the line; [0.0, 24.0] is around the clock.", "hours"
    )
    open_weekdays: int = _field(5, "Days a week the line is open: 5 = Mon–Fri, 7 = every day.", "days", ge=1, le=7)
    call_hours: HourRange = _field(
        (8.0, 16.0), "Hours in which coaches raise questions (their working day).", "hours"
    )
    call_weekdays: int = _field(5, "Days a week coaches raise questions: 5 = Mon–Fri, 7 = every day.", "days", ge=1, le=7)
    patience_minutes: float = _field(
        5.0, "A coach waiting longer leaves a callback request; inf = never (the one number that may be inf).",
        "minutes", gt=0.0, allow_inf_nan=True,
    )
    offline_hours_per_week: float = _field(
        0.0, "Hours each contact person spends off the line (client meetings, network work).", "hours per week",
        ge=0.0, le=80.0,
    )
    question_types: list[QuestionType] = Field(
        default_factory=list, max_length=100,
        description="Optional [[kela.question_types]] with their shares (adding up to 1) and handle times (at most "
        "100 types).",
    )

    @model_validator(mode="after")
    def _types_add_up(self) -> "Kela":
        if not self.question_types:
            return self
        _names_differ("question type", self.question_types)
        total = sum(kind.share for kind in self.question_types)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"the question type shares add up to {total:.4g}, not 1")
        return self

    def resolved_question_types(self) -> list[QuestionType]:
        """The question types with every field set; one type "all" when none are given."""
        kinds = self.question_types or [QuestionType(name="all", share=1.0)]
        return _with_defaults(kinds, self, ("handle_minutes", "handle_distribution", "handle_cv"))

    @field_validator("patience_minutes", mode="before")
    @classmethod
    def _patience_is_a_number(cls, value: Any) -> Any:
        if isinstance(value, float) and math.isnan(value):
            raise ValueError("input should be a number of minutes over 0, or inf")
        return value

    @field_validator("open_hours", "call_hours")
    @classmethod
    def _opening_before_closing(cls, value: tuple[float, float]) -> tuple[float, float]:
        if value[0] >= value[1]:
            raise ValueError("the first hour must be before the second, e.g. [8.0, 16.0]")
        return value


AREA_NAME = r"^[a-z][a-z0-9_]*$"
AREA_SHARED = ("scenario", "events", "areas")  # sections every area shares: one horizon, seed and set of events


class Area(BaseModel):
    """One area of a multi-area scenario: a name and the keys that differ from the shared scenario,
    as a nested table (``coaches.count = 300``); validated against the schema when loaded."""

    model_config = ConfigDict(extra="allow", frozen=True)

    name: str = _field(..., "Area name used in metric names (area.<name>.<metric>), e.g. helsinki (at most 60 "
                       "characters).", pattern=AREA_NAME, max_length=60)
    title: str = _field("", f"The area's name as people write it, e.g. \"Vantaa–Kerava\" (tables and plots; at most "
                        f"{NAME_LENGTH} characters).", max_length=NAME_LENGTH)

    @property
    def overrides(self) -> dict[str, Any]:
        """The area's own keys (everything but ``name``), as nested dictionaries."""
        return dict(self.model_extra or {})


STAFF_POOLS = ("coach", "te", "kela")  # staff.<pool>.person_years of the staff the model simulates
MOST_EUROS = 10_000_000.0  # euros per person-year: a bound well above any salary with overheads


class Overhead(_Section):
    """Staff without a caseload (employer services, statement work outside the diary, management)."""

    name: str = _field(..., "Role name used in metric names, e.g. employer_services.", pattern=r"^[a-z][a-z0-9_]*$",
                       max_length=60)
    share: float = _field(0.0, "Person-years per person-year of caseload staff (coaches and TE experts).",
                          "person-years per person-year", ge=0.0, le=10.0)
    persons: float = _field(0.0, "Persons on top of the share, all through the window.", "persons",
                            ge=0.0, le=100_000.0)
    eur_per_person_year: float | None = _field(None, "Cost of one person-year (default: costs.eur_per_person_year).",
                                               "euros per person-year", ge=0.0, le=MOST_EUROS)


class Costs(_Section):
    """Euros per person-year by role; staff.<pool>.cost_eur = person-years x these."""

    eur_per_person_year: float = _field(
        60_000.0, "Cost of one person-year of any role not set below (≈€60k: 572 person-years ≈ €34.3 M, "
        "TyVM 9/2025).", "euros per person-year", ge=0.0, le=MOST_EUROS)
    coach: float | None = _field(None, "Cost of a coach's person-year (default: eur_per_person_year).",
                                 "euros per person-year", ge=0.0, le=MOST_EUROS)
    te_expert: float | None = _field(None, "Cost of a TE expert's person-year (default: eur_per_person_year).",
                                     "euros per person-year", ge=0.0, le=MOST_EUROS)
    kela_contact_person: float | None = _field(
        None, "Cost of a Kela contact person's person-year (default: eur_per_person_year).", "euros per person-year",
        ge=0.0, le=MOST_EUROS)
    overheads: list[Overhead] = Field(
        default_factory=list, max_length=50, description="Optional [[costs.overheads]]: roles without a caseload, as a share of "
        "caseload person-years or a head count.")

    @field_validator("overheads")
    @classmethod
    def _overhead_names_differ(cls, overheads: list[Overhead]) -> list[Overhead]:
        _names_differ("overhead", overheads)
        taken = [overhead.name for overhead in overheads if overhead.name in STAFF_POOLS]
        if taken:
            raise ValueError(f"overhead names {taken} are taken by the staff pools {list(STAFF_POOLS)}")
        return overheads


class Scenario(_Section):
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
        _names_differ("area", areas)
        for area in areas:
            shared = sorted(set(area.overrides) & set(AREA_SHARED))
            if shared:
                raise ValueError(f"area {area.name}: {', '.join(shared)} is shared by all areas and cannot be set "
                                 "per area")
        return areas

    @model_validator(mode="after")
    def _event_areas_exist(self) -> "Scenario":
        names = [area.name for area in self.areas]
        for index, event in enumerate(self.events):
            if event.area is not None and event.area not in names:
                allowed = f"one of {names}" if names else "none: the scenario has no [[areas]]"
                raise ValueError(f"events[{index}].area = {event.area!r}: no such area ({allowed})")
        return self

    @field_validator("services")
    @classmethod
    def _service_names_differ(cls, services: list[Service]) -> list[Service]:
        _names_differ("service", services)
        return services

    @model_validator(mode="after")
    def _services_are_the_service_status(self) -> Scenario:
        if self.services and self.status.service_per_month > 0:
            raise ValueError("status.service_per_month must be 0 when the scenario has [[services]]: "
                             "their places are the \"in a service\" state")
        return self

    @model_validator(mode="after")
    def _stock_teams_exist(self) -> "Scenario":
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
        return hashlib.sha256(self.canonical_json().encode()).hexdigest()

    def canonical_json(self) -> str:
        return json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
