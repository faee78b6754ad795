"""The staff who hold caseloads (coaches in teams, TE experts), the meetings they hold and the
labour-policy statements they write."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from simkit.scenario.sections.base import (
    Section,
    Share,
    field,
    names_differ,
    with_defaults,
)

__all__ = ["SUPPLEMENTARY_NEED_SHARE", "Channel", "Channels", "CoachTeam", "Coaches", "Meeting", "StaffSettings",
           "Statements", "TeExperts"]

SUPPLEMENTARY_NEED_SHARE = 0.5  # ASSUMPTION (not found): half of the clients need the supplementary conversations


class StaffSettings(Section):
    """Fields shared by coaches and TE experts (the count key differs)."""

    hours_per_week: float = field(37.5, "Working hours of one staff member.", "hours per week", gt=0.0, le=80.0)
    client_time_share: Share = field(0.6, "Share of working hours available for client meetings.", "share")
    caseload_cap: int = field(
        150, "Most clients one staff member holds; new clients wait while all are at the cap (1 to 100,000).",
        "clients", ge=1, le=100_000,
    )

    @property
    def staff(self) -> int:
        raise NotImplementedError


class CoachTeam(Section):
    """A team of coaches serving one segment; unset fields take the [coaches] values."""

    name: str = field(..., "Team name used in metric names, e.g. youth.", pattern=r"^[a-z][a-z0-9_]*$")
    serves: Literal["under_30", "foreign_language", "everyone"] = field(
        "everyone", "Clients the team serves: a client goes to the first listed team that serves them."
    )
    count: int = field(..., "Coaches in the team.", "persons", ge=0, le=100_000)
    caseload_cap: int | None = field(None, "Most clients per coach, 1 to 100,000 (default: coaches.caseload_cap).",
                                      "clients", ge=1, le=100_000)
    hours_per_week: float | None = field(None, "Working hours (default: coaches.hours_per_week).", "hours per week",
                                          gt=0.0, le=80.0)
    client_time_share: Share | None = field(None, "Share of hours for meetings (default: coaches.client_time_share).",
                                             "share")

    @property
    def staff(self) -> int:
        return self.count


class Coaches(StaffSettings):
    count: int = field(20, "Municipal personal coaches (omavalmentajat).", "persons", ge=0, le=100_000)
    teams: list[CoachTeam] = Field(
        default_factory=list, max_length=100,
        description="Optional [[coaches.teams]] serving segments (e.g. youth, adults); counts add up to count "
        "(at most 100 teams).",
    )

    @model_validator(mode="after")
    def _teams_add_up(self) -> Coaches:
        if not self.teams:
            return self
        names_differ("team", self.teams)
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
        return with_defaults(teams, self, ("caseload_cap", "hours_per_week", "client_time_share"))


class TeExperts(StaffSettings):
    experts: int = field(6, "TE office experts serving clients outside the pilot.", "persons", ge=0, le=100_000)
    caseload_cap: int = field(
        250, "Most clients one TE expert holds; new clients wait while all are at the cap (1 to 100,000).",
        "clients", ge=1, le=100_000,
    )

    @property
    def staff(self) -> int:
        return self.experts


class Channel(Section):
    """One way of meeting a client: its share of meetings and its length."""

    share: Share = field(..., "Share of meetings held this way.", "share")
    minutes: float | None = field(None, "Length of a meeting held this way (default: meeting.minutes).", "minutes",
                                   gt=0.0, le=480.0)


class Channels(Section):
    """Meetings face to face, by phone or by video ([meeting.channels]); the shares add up to 1."""

    face_to_face: Channel = field(Channel(share=1.0), "Meetings in person (default: all of them).")
    phone: Channel = field(Channel(share=0.0), "Meetings by phone.")
    video: Channel = field(Channel(share=0.0), "Meetings by video.")

    @model_validator(mode="after")
    def _shares_add_up(self) -> Channels:
        total = self.face_to_face.share + self.phone.share + self.video.share
        if abs(total - 1.0) > 1e-9:
            raise ValueError(f"the shares of face_to_face, phone and video add up to {total:g}, not 1")
        return self


class Meeting(Section):
    minutes: float = field(45.0, "Length of one client meeting (with channels: of a channel that gives none).",
                            "minutes", gt=0.0, le=480.0)
    channels: Channels = field(
        Channels(), "[meeting.channels]: face_to_face, phone and video, each with a share and minutes (default: "
        "all face to face, meeting.minutes); a meeting takes the mix's mean minutes, so capacity follows the mix.",
    )
    early_days: int = field(
        7, "How many days before its due date a periodic meeting may be held.", "days", ge=0, le=60
    )
    no_show_share: Share = field(
        0.0, "Share of meetings the client does not come to; the slot is lost and a new one booked.", "share"
    )
    rebook_days: int = field(5, "Days after a no-show before the new meeting may be held.", "days", ge=1, le=60)
    first_meeting_policy: Literal["bump", "reserve", "none"] = field(
        "bump", "How first meetings (initial interviews, a statutory deadline) go before routine ones: "
        "bump = a first meeting that would be late takes the place of the last routine meeting booked on "
        "the first working day that has one, which is booked again on the first day with time after it; "
        "reserve = first_meeting_reserve_share of each day is kept for first meetings until the day before; "
        "none = first meetings queue behind routine ones."
    )
    first_meeting_reserve_share: Share = field(
        0.2, "Under first_meeting_policy = \"reserve\": share of each working day's client minutes kept for "
        "first meetings until the day before, when the rest opens to other meetings and statements.", "share",
    )
    supplementary_need_share: Share = field(
        SUPPLEMENTARY_NEED_SHARE, "Under rules.meetings = \"he108-2026\": share of clients whose need, as the "
        "coach judges it, calls for the supplementary conversations (each half year of the job search a "
        "one-month period with 2 conversations, the Nordic rhythm); the others have none (HE 108/2025 makes "
        "them need-based). Assumption 0.5: the share was not found. Who is in need is drawn once per client "
        "from a stream of its own; other rules ignore this key.", "share",
    )

    @property
    def mean_minutes(self) -> float:
        """Minutes of client time a meeting takes: ``minutes``, or the channel mix's mean."""
        ways = (self.channels.face_to_face, self.channels.phone, self.channels.video)
        return sum(way.share * (self.minutes if way.minutes is None else way.minutes) for way in ways)


class Statements(Section):
    """Labour-policy statements (työvoimapoliittinen lausunto) that Kela needs before paying."""

    per_client_month: float = field(
        0.0, "Statements raised per active client (0 = not modelled).", "per client per month", ge=0.0, le=10.0
    )
    minutes: float = field(20.0, "Staff time to write one statement.", "minutes", gt=0.0, le=480.0)
    due_days: int = field(14, "Days within which a statement is due; later ones delay Kela's payment.", "days",
                           ge=1, le=90)
    coach_share: Share = field(
        0.0, "Share of pilot clients' statements written by their coaches; the rest, and all TE clients', "
        "by TE experts.", "share",
    )
    expert_share: Share = field(
        0.0, "Share of statements referred to a central unit for an expert statement (Uusimaa TE office from "
        "10/2021, KEHA from 2025); they take no local diary time.", "share",
    )
    expert_days: float = field(
        24.0, "Calendar days from raising a referred statement to the central unit's statement (average 24 on "
        "12.4.2024).", "days", ge=0.0, le=365.0,
    )
    priority: Literal["before_routine_meetings", "diary_order"] = field(
        "before_routine_meetings", "When a writer's diary is full: before_routine_meetings = the statement is written "
        "on the first day (from the day raised and the writer's previous statement) with time or with a routine "
        "meeting; that meeting gives way: the statement takes its minutes and the meeting is booked again from its "
        "day, running over into the next days with time (first meetings keep their place); diary_order = the "
        "statement waits for the first day with time, behind the meetings already booked.",
    )
