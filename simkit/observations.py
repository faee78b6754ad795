"""What one run observed, as plain data: frozen records of numpy arrays.

The engine (:mod:`simkit.model.engine`) builds an :class:`Observations` at the end of a run and
:mod:`simkit.metrics` turns it into metrics. This module imports only numpy and the standard
library, so reading a run never pulls in the engine. Times are in days from the start of the run
(day 0 is the first day of the warm-up); a "per day" array has one entry for each simulated day
``0 .. horizon - 1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # the scenario's settings, for the metrics that read them (no engine module)
    from simkit.scenario.schema import Scenario


class ClientState(IntEnum):
    """Where a client is in the journey (``Observations.final_state``: at the end of the run)."""

    REGISTERED = 0  # not yet arrived
    WAITING = 1  # on a pool's waiting list
    WITH_STAFF = 2  # in a person's caseload
    EXITED = 3


class JobSeekerStatus(IntEnum):
    """A job seeker's status while on the books (TEM's groups of July 2022)."""

    UNEMPLOYED = 0  # unemployed or laid off
    IN_SERVICE = 1  # in an employment-promoting service
    IN_EDUCATION = 2
    EMPLOYED = 3  # open market or subsidised


@dataclass(frozen=True)
class StatusChanges:
    """Every change of a client's status, in time order (days). A job search starts unemployed,
    so a client with no row stays unemployed while on the books."""

    client: np.ndarray
    time: np.ndarray
    status: np.ndarray  # JobSeekerStatus after the change

    def status_at(self, clients: np.ndarray, time: float) -> np.ndarray:
        """Each client's status at ``time`` (the last change at or before it)."""
        status = np.zeros(len(clients), dtype=int)
        done = self.time <= time
        last = np.full(int(clients.max(initial=-1)) + 1 if len(clients) else 0, JobSeekerStatus.UNEMPLOYED)
        keep = done & (self.client < len(last))
        last[self.client[keep]] = self.status[keep]  # time order: the last write wins
        status[:] = last[clients] if len(clients) else status
        return status


@dataclass(frozen=True)
class Population:
    """Every client of one replication, initial stock first, then arrivals in time order.

    Times are in days from the start of the run; initial clients registered before day 0.
    ``municipal`` is the status at registration (initial clients: on day 0).
    """

    registration: np.ndarray
    exit: np.ndarray
    municipal: np.ndarray
    initial: np.ndarray
    attributes: dict[str, np.ndarray]
    initial_team: list[str | None]  # who serves each initial client, from a caseload CSV (None: by rule)
    new_job_search: np.ndarray  # owes an initial interview and an intensive period (not a return within 6 months)
    status_changes: StatusChanges
    supplementary_need: np.ndarray  # a uniform in [0, 1) per client: in need of the supplementary
    # conversations under need-based rules (he108-2026) while below meeting.supplementary_need_share

    def __len__(self) -> int:
        return len(self.registration)


@dataclass(frozen=True)
class Stays:
    """One row per stay of a client with one pool (a client moved by a rule change has two).

    Times in days; ``end`` is the exit (possibly after the horizon) or the move.
    """

    client: np.ndarray
    pool: np.ndarray  # index into Observations.pools (in its order)
    municipal: np.ndarray
    start: np.ndarray
    assigned: np.ndarray  # when a person took the client (inf if never)
    person: np.ndarray  # who (-1 if nobody)
    end: np.ndarray


@dataclass(frozen=True)
class PoolRecord:
    """One staff pool ("coach", "coach.<team>" or "te"): its days, meetings and first meetings."""

    name: str
    on_duty: np.ndarray  # people on duty, per day
    meeting_minutes_available: np.ndarray  # meeting minutes of the people on duty, per day
    held: np.ndarray  # meetings held, per day
    late: np.ndarray  # of which after their due date (first meetings: after the deadline), per day
    no_shows: np.ndarray  # booked meetings the client did not come to, per day
    due_owed: np.ndarray  # meetings the rules require while the client is with a person, by the day due
    due_held: np.ndarray  # of which held (on time or late), by the day due
    due_missed: np.ndarray  # of which missed (the next fell due, or the client left, first), by the day due
    due_pending: np.ndarray  # of which neither held nor missed at the end of the run, by the day due
    statement_minutes: np.ndarray  # minutes of statements written, per day
    minutes_used: np.ndarray  # client minutes taken from the diaries of the day (meetings held or not attended,
    # statements; a meeting or statement that ran over counts on the days whose minutes it took), per day
    first_day: np.ndarray  # one entry per first meeting held: its day
    first_working_days: np.ndarray  # working days from registration to it
    first_on_time: np.ndarray  # within the deadline in force at registration (bool)
    first_client: np.ndarray  # whose first meeting it was (index into the population)
    caseload_at_end: np.ndarray  # clients of each person (also those no longer on duty) at the end
    waiting_at_end: int  # clients on the pool's waiting list at the end


@dataclass(frozen=True)
class FirstMeetings:
    """Each client's first meeting (the initial interview): when it was due and when it was held.

    One entry per client, in the population's order. ``deadline_day``: the last working day
    within the first-meeting deadline in force at registration (-1: none owed, e.g. a client already
    active on day 0, or moved to the other side by a rule change before it); ``met_day``: the day it
    was held (-1: not by the horizon); ``met_working_days``: working days from registration to it
    (-1: not held).
    """

    deadline_day: np.ndarray
    met_day: np.ndarray
    met_working_days: np.ndarray


@dataclass(frozen=True)
class KelaRecord:
    """The Kela contact line: one entry per question (time order), and the line's days."""

    raised: np.ndarray  # when the coach's question arose (days)
    placed: np.ndarray  # when the call was placed (the next open time)
    answered_at: np.ndarray  # when a contact person took it (nan: not by the end of the run)
    called_back: np.ndarray  # the coach gave up and left a callback request (bool)
    handle: np.ndarray  # handling time (days)
    client: np.ndarray  # index into the population
    kind: np.ndarray  # index into the scenario's question types
    patience: float  # days a coach waits on hold before leaving a callback request
    on_duty: np.ndarray  # contact persons, per day
    line_days: np.ndarray  # days of contact-person time on the line (open time less off-line blocks), per day


@dataclass(frozen=True)
class StatementRecord:
    """Labour-policy statements: when raised (days), for whom, by which pool, written on which day.

    Each statement is written (``written_day`` >= 0, not referred), referred to the central unit
    (``written_day``: the day of its statement), or waiting (``written_day`` -1: nobody on duty
    to write it, or no room within the diary).
    """

    raised: np.ndarray
    client: np.ndarray
    pool: np.ndarray  # index into Observations.pools (-1: referred, or nobody on duty to write it)
    written_day: np.ndarray  # -1 if not written within the diary
    referred: np.ndarray  # referred to the central unit for an expert statement (bool)


@dataclass(frozen=True)
class ServiceRecord:
    """One row per referral to a service: when referred, given a place (nan: never) and left (days)."""

    client: np.ndarray
    referred: np.ndarray
    started: np.ndarray
    ended: np.ndarray


@dataclass(frozen=True)
class EventCounts:
    """Events the engine handled: the work a run did (the benchmarks' events per second)."""

    client_events: int  # registrations and exits
    meetings: int  # booked meetings that came due (held or missed)
    statements: int  # statements raised and handled
    referrals: int  # referrals to services
    calls: int  # Kela calls answered

    @property
    def total(self) -> int:
        return self.client_events + self.meetings + self.statements + self.referrals + self.calls


@dataclass(frozen=True)
class Observations:
    """Everything one run observed; :mod:`simkit.metrics` turns it into metrics."""

    scenario: Scenario
    seed: int
    replication: int
    window: tuple[int, int]  # statistics window [start, end) in days; end is the horizon
    dates: np.ndarray  # the date of each day (datetime64[D])
    population: Population
    final_state: np.ndarray  # ClientState of each client at the end
    stays: Stays
    first_meetings: FirstMeetings
    pools: dict[str, PoolRecord]  # coach pools first, then "te"
    kela: KelaRecord
    statements: StatementRecord
    services: dict[str, ServiceRecord]
    events: EventCounts
