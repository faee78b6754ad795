"""The parts the reference model (:mod:`simkit.model.reference`) is built from.

Clients, staff pools with their diaries, services' places, the Kela line, and the numbers
drawn up front, from the same streams, seed and replication as the fast engine. Read
:mod:`simkit.model.reference` first: this module is its plumbing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict, deque
from dataclasses import dataclass, field

import numpy as np
import simpy

from simkit.model.calendar import (
    WORKING_DAYS_PER_WEEK,
    Calendar,
    WeeklyHours,
)
from simkit.model.clients import (
    draw_client_events,
    draw_kela_questions,
    draw_population,
)
from simkit.model.meetings import meeting_rules, owes_first_meeting
from simkit.model.services import monthly_hazard
from simkit.model.streams import component_streams, stream_seed
from simkit.scenario.schema import Scenario, Service
from simkit.scenario.timeline import timeline

NOT_BOOKED = -1
NOT_OWED = -1  # no meeting owed
ROOM = 1e-9  # minutes: a day with more than this left has room
DIARY_MARGIN_DAYS = 400  # diaries reach past the horizon, so that late meetings can be booked
REGISTERED, WAITING, WITH_STAFF, EXITED = "registered", "waiting", "with staff", "exited"


@dataclass
class Client:
    number: int  # index into the population
    registration: float  # days (before 0 for the clients already registered on day 0)
    exit: float  # days
    initial: bool  # registered before day 0
    municipal: bool  # served by coaches (True) or by TE experts
    team: int  # the coach team that serves the client while municipal
    first_deadline: int  # working days for the first meeting, by the rules in force at registration
    first_done: bool  # had the first meeting, or owes none
    new_job_search: bool = True  # owes the intensive period (not a return within 6 months)
    supplementary_need: float = 0.0  # need draw: owed supplementary conversations below the share in force
    status_path: list[tuple[float, int]] = field(default_factory=list)  # (time, status) changes, in time order
    status: int = 0  # JobSeekerStatus now (unemployed at registration)
    state: str = REGISTERED
    person: int = -1  # who in the pool holds the client (-1: nobody)
    stay: dict | None = None  # the current stay: client, pool, municipal, start, assigned, person, end
    booked_day: int = NOT_BOOKED
    owed_day: int = NOT_OWED  # the day the meeting owed now fell due
    service_until: float = 0.0  # days
    service_factor: float = 1.0  # meetings this many times further apart while in a service
    queued: int = 0  # services the client is queued for
    called: simpy.Event | None = None  # succeeds when the office calls the client in for a meeting


@dataclass
class Pool:
    """A coach team or the TE experts: caseloads below a cap, a waiting list, a diary per person."""

    name: str
    on_duty: int
    caseload_cap: int
    free_minutes: list[list[float]]  # per person and day: client minutes open to any booking
    kept_minutes: list[list[float]]  # per person and day: client minutes kept for first meetings
    held: np.ndarray  # meetings held each day
    late: np.ndarray  # of which after the due date (first meetings: after the deadline)
    no_shows: np.ndarray  # meetings the client did not come to
    due: dict  # owed, held, missed, pending: meetings by the day they fell due
    caseload: list[int] = field(default_factory=list)
    waiting: deque = field(default_factory=deque)
    booked_on: defaultdict = field(default_factory=lambda: defaultdict(list))  # day -> clients, in booking order
    turn: int = -1  # who wrote the last statement not tied to a caseload
    first_meetings: list = field(default_factory=list)  # (day, working days after registration, on time, client)
    released: int = 0  # days before this one keep no minutes for first meetings
    day_minutes: np.ndarray = field(default_factory=lambda: np.zeros(0))  # each person's client minutes per day
    own: defaultdict = field(default_factory=lambda: defaultdict(float))  # (person, day) -> minutes its bookings took from the day
    carried: defaultdict = field(default_factory=lambda: defaultdict(list))  # (person, day) -> [later day, minutes] its bookings took

    def least_loaded(self) -> int:
        """The person on duty with the fewest clients (the lowest number on a tie) if below the cap; else -1."""
        people = sorted(range(self.on_duty), key=lambda person: (self.caseload[person], person))
        return people[0] if people and self.caseload[people[0]] < self.caseload_cap else -1

    def count(self, what: str, day: int, add: int = 1) -> None:
        """A meeting owed, held, missed or pending, by the day it fell due (within the diary)."""
        if day < len(self.held):
            self.due[what][day] += add

    def take(self, person: int, earliest: int, minutes: float, first: bool = False, in_place: bool = False) -> int:
        """Take ``minutes`` from the person's first day >= ``earliest`` with time left (a first meeting:
        also the minutes kept for it) and, for what that day lacks, from the following days; the first
        day, or NOT_BOOKED past the diary. ``in_place``: from ``earliest`` itself, full or not (the work takes the
        place of a meeting that gave way)."""
        free, kept = self.free_minutes[person], self.kept_minutes[person]
        day = earliest if in_place else self.open_day(person, earliest, first)
        rest, on = minutes, day
        while rest > 0.0 and on < len(free):
            taken = 0.0
            for row in ([kept, free] if first else [free]):
                use = min(row[on], rest) if row[on] > 0.0 else 0.0
                row[on], rest, taken = row[on] - use, rest - use, taken + use
            if on == day:
                self.own[person, day] += taken
            elif taken > 0.0:
                self.carried[person, day].append([on, taken])
            on += 1
        if rest > 0.0 and day < len(free):  # minutes from past the end of the diary
            self.carried[person, day].append([on, rest])
        return day if day < len(free) else NOT_BOOKED

    def give_back(self, person: int, day: int, minutes: float) -> None:
        """A booking on ``day`` will not take place: its minutes go back to the days they were taken from. Those
        the day's bookings took from the day itself go back first, then the latest they carried into later days
        (the overrun shrinks); none to days past the end of the diary."""
        carried, free = self.carried[person, day], self.free_minutes[person]
        back = min(self.own[person, day], minutes)
        if back > 0.0:
            self.own[person, day] -= back
            free[day] += back
            minutes -= back
        while carried and minutes > 0.0:
            later, taken = carried[-1]
            if taken > minutes:
                carried[-1][1], taken = taken - minutes, minutes
            else:
                carried.pop()
            if later < len(free):
                free[later] += taken
            minutes -= taken

    def open_day(self, person: int, earliest: int, first: bool) -> int:
        """The first day >= ``earliest`` with time left (a first meeting: also the kept minutes); past the diary: its length."""
        free, kept = self.free_minutes[person], self.kept_minutes[person]
        return next((day for day in range(earliest, len(free)) if free[day] + (kept[day] if first else 0.0) > ROOM),
                    len(free))

    def release(self, through_day: int) -> None:
        """The minutes kept for first meetings up to ``through_day`` open to any booking."""
        for day in range(self.released, min(through_day, len(self.held) - 1) + 1):
            for free, kept in zip(self.free_minutes, self.kept_minutes):
                free[day], kept[day] = free[day] + kept[day], 0.0
        self.released = max(self.released, min(through_day, len(self.held) - 1) + 1)

    def next_in_turn(self) -> int:
        """People on duty in turn (work not tied to a caseload); -1 if nobody is on duty."""
        if not self.on_duty:
            return -1
        self.turn = (self.turn + 1) % self.on_duty
        return self.turn


@dataclass
class Places:
    """A service's places: when each client in it leaves (days), and a first-come-first-served queue."""

    service: Service
    queue: deque = field(default_factory=deque)
    ends: list = field(default_factory=list)


@dataclass(frozen=True)
class ReferenceRecords:
    """What the reference model observed, in the engine's terms (times in days)."""

    stays: dict[str, np.ndarray]  # client, pool, municipal, start, assigned, person, end: a row per stay
    meetings: dict[str, dict[str, np.ndarray]]  # pool -> held, late, no_shows on each day; due_owed, due_held,
    # due_missed, due_pending by the day due
    first_meetings: dict[str, np.ndarray]  # pool -> rows of (day, working days, on time, client)
    statements: dict[str, np.ndarray]  # pool (-1: referred or nobody on duty), written_day (NOT_BOOKED: never), referred
    kela_answered: np.ndarray  # when each question was answered (days; nan: not by the end)


@dataclass(frozen=True)
class Draws:
    """Everything drawn up front, as the engine draws it."""

    calendar: Calendar  # reaches DIARY_MARGIN_DAYS past the horizon
    timeline: object
    population: object
    questions: object  # KelaQuestions
    statements: tuple[np.ndarray, np.ndarray]  # (raised, client), in time order
    statement_writer: np.ndarray  # a uniform per statement: written by the coach if below coach_share
    statement_referral: np.ndarray  # a uniform per statement: referred to the central unit if below expert_share
    referrals: list[tuple[np.ndarray, np.ndarray]]  # per service: (times, clients), in time order
    no_shows: np.random.Generator


def draw(scenario: Scenario, seed: int, replication: int) -> Draws:
    info = scenario.scenario
    horizon = info.warmup_days + info.days
    first_date = info.start_date - dt.timedelta(days=info.warmup_days)
    holidays = scenario.calendar.public_holidays
    calendar = Calendar(first_date, horizon + DIARY_MARGIN_DAYS, holidays)
    periods = timeline(scenario, first_date)
    streams = component_streams(seed, replication)
    population = draw_population(periods, Calendar(first_date, horizon, holidays), streams)
    kela = periods.periods[0].kela  # in force on day 0 (with any event dated before it)

    def calling_hours(weights):
        return WeeklyHours(kela.call_hours, kela.call_weekdays, calendar, weights)

    statements = draw_client_events(periods, population, horizon, calling_hours,
                                    lambda s: s.statements.per_client_month, streams["statements"])
    referrals = [draw_client_events(
        periods, population, horizon, calling_hours, lambda s: 1.0,
        np.random.default_rng(stream_seed(seed, replication, f"service.{service.name}")),
        client_factor=monthly_hazard(service, population.attributes)) for service in scenario.services]
    return Draws(calendar, periods, population,
                 draw_kela_questions(periods, population, horizon, calling_hours, streams), statements,
                 streams["statement_writers"].random(len(statements[0])),
                 streams["statement_referrals"].random(len(statements[0])), referrals, streams["no_shows"])


def pool_settings(scenario: Scenario) -> dict:
    """Pools by name: "coach" (or "coach.<team>" for each coach team), then "te"."""
    teams = scenario.coaches.resolved_teams()
    names = ["coach"] if not scenario.coaches.teams else [f"coach.{team.name}" for team in teams]
    return {**dict(zip(names, teams)), "te": scenario.te}


def new_pools(draws: Draws) -> list[Pool]:
    """Each pool with a diary per person: client minutes on each day (weekly hours x client-time share
    over Mon–Fri, none on days off, less summer holidays and sick leave), the reserve share of them
    kept for first meetings."""
    n, per_day, calendar = draws.calendar.n_days, draws.timeline.per_day, draws.calendar
    in_summer = per_day(n, lambda s: np.isin(np.arange(1, 13), s.calendar.summer_months))[np.arange(n), calendar.month]
    away = np.where(in_summer, per_day(n, lambda s: s.calendar.summer_holiday_share), 0.0)
    sick = per_day(n, lambda s: s.calendar.sick_leave_share)
    pools = []
    for name in pool_settings(draws.timeline.periods[0]):
        settings = [pool_settings(period)[name] for period in draws.timeline.periods]

        def factor(scenario: Scenario, name=name) -> float:
            pool = pool_settings(scenario)[name]
            return pool.hours_per_week * pool.client_time_share * 60.0 / WORKING_DAYS_PER_WEEK

        minutes = per_day(n, factor) * calendar.is_working_day * (1.0 - away) * (1.0 - sick)
        kept = minutes * per_day(n, lambda s: s.meeting.first_meeting_reserve_share
                                 if s.meeting.first_meeting_policy == "reserve" else 0.0)
        people = max(s.staff for s in settings)
        pools.append(Pool(name, settings[0].staff, settings[0].caseload_cap,
                          [(minutes - kept).tolist() for _ in range(people)], [kept.tolist() for _ in range(people)],
                          np.zeros(n, int), np.zeros(n, int), np.zeros(n, int),
                          {what: np.zeros(n, int) for what in ("owed", "held", "missed", "pending")},
                          caseload=[0] * people, day_minutes=minutes))
    return pools


def first_meeting_due(calendar: Calendar, client: Client) -> int:
    """The last working day of the client's first-meeting deadline (working days after registering)."""
    registered = math.floor(client.registration)
    day = max(registered, 0)
    while calendar.working_days_between(registered, day) < client.first_deadline:
        day += 1
    return day


def new_clients(scenario: Scenario, draws: Draws) -> list[Client]:
    """Every client drawn, with the coach team that serves them (the first listed that does, or the one a
    caseload CSV names) and the first-meeting deadline in force when they register."""
    population, teams = draws.population, scenario.coaches.resolved_teams()
    deadlines = [meeting_rules(s.rules.meetings).first_meeting_working_days for s in draws.timeline.periods]
    owes_first = owes_first_meeting(draws.timeline, population)
    changes = population.status_changes
    paths: dict[int, list[tuple[float, int]]] = {}
    for number, time, status in zip(changes.client.tolist(), changes.time.tolist(), changes.status.tolist()):
        paths.setdefault(number, []).append((time, status))
    period = draws.timeline.period_of_days(np.floor(np.maximum(population.registration, 0.0)).astype(int))
    by_name = {team.name: index for index, team in enumerate(teams)} | {"coach": len(teams) - 1}
    clients = []
    for number in range(len(population)):
        team = next(index for index, t in enumerate(teams) if t.serves == "everyone" or population.attributes[t.serves][number])
        if number < len(population.initial_team):
            team = by_name.get(population.initial_team[number], team)
        initial = bool(population.initial[number])
        path = paths.get(number, [])
        clients.append(Client(number, float(population.registration[number]), float(population.exit[number]), initial,
                              bool(population.municipal[number]), team, deadlines[period[number]],
                              first_done=not owes_first[number],
                              new_job_search=bool(population.new_job_search[number]),
                              supplementary_need=float(population.supplementary_need[number]), status_path=path,
                              status=next((status for time, status in reversed(path) if time <= 0.0), 0)))
    return clients
