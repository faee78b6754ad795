"""The SimPy model of one employment area: clients, coaches, TE experts and the Kela line.

Processes in one ``simpy.Environment`` (time in days):

- ``days``: at the start of each day, dated events take effect (rules, staff, caps); then, on
  working days, every pool (coaches, TE experts) holds the meetings booked for that day and
  books each client's next meeting by the meeting rules. Then the day's registrations and exits
  are handled in time order, each at its own exact time: a registering client joins the coaches
  (a pilot client) or the TE experts, or their waiting list; an exit frees a caseload place,
  which goes to the first client on the waiting list. Nothing else in the model acts between
  two client events of the same day, so handling them in one step per day gives exactly the
  result of one SimPy event each, at a fraction of the cost.
- the Kela contact line (:mod:`simkit.model.kela`): coaches' calls and the contact persons.

Random draws happen up front (:mod:`simkit.model.clients`), except whether a client comes to a
meeting (its own stream), so the processes mostly decide who waits for whom.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import math
from dataclasses import dataclass

import numpy as np
import simpy

from simkit.model.calendar import WORKING_DAYS_PER_WEEK, Calendar, WeeklyHours
from simkit.model.clients import (
    KelaQuestions,
    Population,
    draw_client_events,
    draw_kela_questions,
    draw_population,
    municipal_client,
)
from simkit.model.kela import KelaContactLine
from simkit.model.meetings import meeting_rules
from simkit.model.staff import NOT_BOOKED, StaffPool
from simkit.model.services import ServiceLog, ServicePlaces, monthly_hazard
from simkit.model.streams import component_streams, stream_seed
from simkit.scenario.schema import CoachTeam, Scenario, StaffSettings
from simkit.scenario.timeline import Timeline, timeline

DIARY_MARGIN_DAYS = 400  # the diary reaches past the horizon so that late meetings can be booked
NO_SHOW_DRAWS = 4096  # uniforms drawn at a time for no-shows

# client states
REGISTERED, WAITING, WITH_STAFF, EXITED = 0, 1, 2, 3


@dataclass(frozen=True)
class Stays:
    """One row per stay of a client with one pool (a client moved by a rule change has two).

    Times in days; ``end`` is the exit (possibly after the horizon) or the move.
    """

    client: np.ndarray
    pool: np.ndarray  # index into Observations.pools
    municipal: np.ndarray
    start: np.ndarray
    assigned: np.ndarray  # when a person took the client (inf if never)
    person: np.ndarray  # who (-1 if nobody)
    end: np.ndarray


@dataclass(frozen=True)
class StatementLog:
    """Labour-policy statements: when raised (days), for whom, by which pool, written on which day."""

    raised: np.ndarray
    client: np.ndarray
    pool: np.ndarray  # index into Observations.pools (-1: nobody on duty to write it)
    written_day: np.ndarray  # NOT_BOOKED (-1) if not written within the diary


@dataclass(frozen=True)
class Observations:
    """Everything one run observed, as plain arrays; :mod:`simkit.metrics` turns it into metrics."""

    scenario: Scenario
    seed: int
    replication: int
    calendar: Calendar
    timeline: Timeline
    window: tuple[int, int]  # statistics window [start, end) in days
    population: Population
    stays: Stays
    pools: dict[str, StaffPool]
    on_duty: dict[str, np.ndarray]  # people on duty each day, per pool and "kela"
    kela: KelaContactLine
    questions: KelaQuestions
    statements: StatementLog
    services: dict[str, ServiceLog]
    final_state: np.ndarray  # client states at the end of the run
    simpy_events: int  # events the SimPy environment scheduled


def pool_settings(scenario: Scenario) -> dict[str, StaffSettings | CoachTeam]:
    """Staff pools by name: "coach" (or "coach.<team>" for each coach team), then "te"."""
    teams = scenario.coaches.resolved_teams()
    coach = {("coach" if not scenario.coaches.teams else f"coach.{team.name}"): team for team in teams}
    return {**coach, "te": scenario.te}


def _staff_count(scenario: Scenario, pool: str) -> int:
    return pool_settings(scenario)[pool].staff


class PilotModel:
    """One replication of a scenario. ``run()`` returns :class:`Observations`."""

    def __init__(self, scenario: Scenario, seed: int, replication: int = 0):
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        info = scenario.scenario
        self.horizon = info.warmup_days + info.days
        first_date = info.start_date - dt.timedelta(days=info.warmup_days)
        holidays = scenario.calendar.public_holidays
        self.calendar = Calendar(first_date, self.horizon + DIARY_MARGIN_DAYS, holidays)
        self.timeline = timeline(scenario, first_date)
        self._period_starts = {start: index for index, start in enumerate(self.timeline.starts) if start > 0}
        streams = component_streams(seed, replication)
        self._no_show_rng = streams["no_shows"]
        self._no_show_draws: list[float] = []
        self.population = draw_population(self.timeline, Calendar(first_date, self.horizon, holidays), streams)
        kela = scenario.kela

        def working_hours(weights: np.ndarray | None) -> WeeklyHours:
            return WeeklyHours(kela.call_hours, kela.call_weekdays, self.calendar, weights)

        self.questions = draw_kela_questions(self.timeline, self.population, self.horizon, working_hours, streams)
        self._draw_statements(working_hours, streams)
        self._draw_referrals(working_hours)
        self.env = simpy.Environment()
        names = list(pool_settings(scenario))
        self.on_duty = {
            pool: self.timeline.per_day(self.calendar.n_days, lambda s, p=pool: _staff_count(s, p)) for pool in names
        }
        self.on_duty["kela"] = self.timeline.per_day(self.calendar.n_days, lambda s: s.kela.contact_persons)
        self.pools = {pool: self._pool(pool) for pool in names}
        self._pool_list = list(self.pools.values())
        self._te_pool = len(self._pool_list) - 1
        self._coach_pool = self._coach_team_of_clients(scenario).tolist()
        n = len(self.population)
        self._registration = self.population.registration.tolist()
        self._municipal = self.population.municipal.tolist()
        self._state = [REGISTERED] * n
        self._staff = [-1] * n
        self._stay = [-1] * n
        self._booked_day = [NOT_BOOKED] * n
        self._booked_due = [0] * n
        self._first_done = self.population.initial.tolist()
        self._first_deadline = self._first_meeting_deadlines()
        self._stays: dict[str, list] = {
            key: [] for key in ("client", "pool", "municipal", "start", "assigned", "person", "end")
        }
        self._now = 0.0  # time of the client event being handled (days)
        self._apply_period(0)
        offline_days = self.timeline.per_day(
            self.calendar.n_days, lambda s: s.kela.offline_hours_per_week / s.kela.open_weekdays / 24.0
        )
        self.kela = KelaContactLine(
            self.env, kela, WeeklyHours(kela.open_hours, kela.open_weekdays, self.calendar),
            self.questions.raised, self.questions.handle, self.on_duty["kela"], offline_days,
        )

    def _draw_statements(self, working_hours, streams: dict[str, np.random.Generator]) -> None:
        """Statements each client needs, in time order, and a uniform each deciding who writes it."""
        raised, client = draw_client_events(
            self.timeline, self.population, self.horizon, working_hours,
            lambda s: s.statements.per_client_month, streams["statements"],
        )
        self._statement_raised, self._statement_client = raised, client
        self._statement_writer_draw = streams["statement_writers"].random(len(raised)).tolist()
        self._statement_day_ends = self._day_ends(raised)
        self._statement_pool = [-1] * len(raised)
        self._statement_written = [NOT_BOOKED] * len(raised)

    def _draw_referrals(self, working_hours) -> None:
        """Referral times to each service, from a stream of the service's own."""
        self._services, self._referrals = [], []
        exits = self.population.exit.tolist()
        for service in self.scenario.services:
            rng = np.random.default_rng(stream_seed(self.seed, self.replication, f"service.{service.name}"))
            times, clients = draw_client_events(
                self.timeline, self.population, self.horizon, working_hours, lambda s: 1.0, rng,
                client_factor=monthly_hazard(service, self.population.attributes),
            )
            day_ends = self._day_ends(times)
            self._services.append(ServicePlaces(service, exits))
            self._referrals.append((times.tolist(), clients.tolist(), day_ends))
        n = len(self.population)
        self._service_until = [0.0] * n
        self._service_factor = [1.0] * n
        self._queued_for = [0] * n  # services a client is queued for

    def _coach_team_of_clients(self, scenario: Scenario) -> np.ndarray:
        """Index of the coach team (pool) that serves each client if municipal: the first that serves them."""
        attributes = self.population.attributes
        team = np.full(len(self.population), -1)
        teams = scenario.coaches.resolved_teams()
        for index, settings in enumerate(teams):
            serves = np.ones(len(team), bool) if settings.serves == "everyone" else attributes[settings.serves]
            team[(team < 0) & serves] = index
        by_name = {settings.name: index for index, settings in enumerate(teams)} | {"coach": len(teams) - 1}
        for client, name in enumerate(self.population.initial_team):
            if name in by_name:  # a caseload CSV says which team serves the client now
                team[client] = by_name[name]
        return team

    def _pool(self, pool: str) -> StaffPool:
        settings = [pool_settings(period)[pool] for period in self.timeline.periods]
        return StaffPool(
            pool, on_duty=settings[0].staff, max_staff=max(s.staff for s in settings),
            caseload_cap=settings[0].caseload_cap, meeting_minutes=self.scenario.meeting.minutes,
            day_minutes=self._meeting_minutes_per_day(pool),
        )

    def _meeting_minutes_per_day(self, pool: str) -> np.ndarray:
        """Each person's meeting minutes on each day: weekly hours spread over Mon–Fri, none on
        holidays and weekends, less summer holidays and sick leave."""
        calendar, per_day = self.calendar, self.timeline.per_day

        def factor(scenario: Scenario) -> float:
            settings = pool_settings(scenario)[pool]
            return settings.hours_per_week * settings.client_time_share * 60.0 / WORKING_DAYS_PER_WEEK

        n = calendar.n_days
        summer_month = self.timeline.per_day(n, lambda s: np.isin(np.arange(1, 13), s.calendar.summer_months))
        in_summer = summer_month[np.arange(n), calendar.month]
        away = np.where(in_summer, per_day(n, lambda s: s.calendar.summer_holiday_share), 0.0)
        sick = per_day(n, lambda s: s.calendar.sick_leave_share)
        return per_day(n, factor) * calendar.is_working_day * (1.0 - away) * (1.0 - sick)

    def _first_meeting_deadlines(self) -> list[int]:
        """The first-meeting deadline (working days) in force on each client's registration day."""
        deadlines = np.array([meeting_rules(s.rules.meetings).first_meeting_working_days for s in self.timeline.periods])
        day = np.floor(np.maximum(self.population.registration, 0.0)).astype(int)
        return deadlines[self.timeline.period_of_days(day)].tolist()

    # -- run -------------------------------------------------------------------------------
    def run(self) -> Observations:
        """Simulate the horizon (warm-up plus statistics window) and return what was observed."""
        collecting = gc.isenabled()
        gc.disable()  # hundreds of thousands of live objects and no cycles: the collector only costs time
        try:
            for client in self._initial_clients_oldest_first():
                self._register(client)
            self.env.process(self._days())
            self.env.run(until=self.horizon)
        finally:
            if collecting:
                gc.enable()
        info = self.scenario.scenario
        return Observations(
            scenario=self.scenario,
            seed=self.seed,
            replication=self.replication,
            calendar=self.calendar,
            timeline=self.timeline,
            window=(info.warmup_days, self.horizon),
            population=self.population,
            stays=self._stay_table(),
            pools=self.pools,
            on_duty=self.on_duty,
            kela=self.kela,
            questions=self.questions,
            statements=StatementLog(
                raised=self._statement_raised, client=self._statement_client,
                pool=np.asarray(self._statement_pool, dtype=int),
                written_day=np.asarray(self._statement_written, dtype=int),
            ),
            services=self._close_services(),
            final_state=np.asarray(self._state),
            simpy_events=next(self.env._eid),  # SimPy numbers every scheduled event
        )

    def _initial_clients_oldest_first(self) -> list[int]:
        initial = np.flatnonzero(self.population.initial)
        return initial[np.argsort(self.population.registration[initial], kind="stable")].tolist()

    def _stay_table(self) -> Stays:
        columns = {key: np.asarray(values) for key, values in self._stays.items()}
        open_stays = np.isnan(columns["end"])
        columns["end"][open_stays] = self.population.exit[columns["client"][open_stays]]
        return Stays(**columns)

    # -- processes -------------------------------------------------------------------------
    def _days(self):
        """Each day: dated events, the day's meetings (working days), then the day's client events."""
        env, working, pools = self.env, self.calendar.is_working_day.tolist(), list(self.pools.values())
        times, clients, leaving, day_ends = self._client_events()
        first = first_statement = 0
        for day in range(self.horizon):
            if day > env.now:
                yield env.timeout(day - env.now)
            if day in self._period_starts:
                self._now = float(day)
                self._apply_period(self._period_starts[day])
            if working[day]:
                for pool in pools:
                    self._hold_meetings(pool, day)
            last_statement = self._statement_day_ends[day]
            for statement in range(first_statement, last_statement):
                self._write_statement(statement, day)
            first_statement = last_statement
            self._run_services(day)
            last = day_ends[day]
            for event in range(first, last):
                self._now = times[event]
                if leaving[event]:
                    self._leave(clients[event])
                else:
                    self._register(clients[event])
            first = last

    def _client_events(self) -> tuple[list[float], list[int], list[bool], list[int]]:
        """Registrations of arrivals and exits of everyone before the horizon, in time order,
        and for each day the index just past its last event."""
        population = self.population
        arrivals = np.flatnonzero(~population.initial)
        clients = np.concatenate([arrivals, np.arange(len(population))])
        times = np.concatenate([population.registration[arrivals], population.exit])
        leaving = np.concatenate([np.zeros(len(arrivals), bool), np.ones(len(population), bool)])
        keep = times < self.horizon
        order = np.argsort(times[keep], kind="stable")
        times, clients, leaving = times[keep][order], clients[keep][order], leaving[keep][order]
        return times.tolist(), clients.tolist(), leaving.tolist(), self._day_ends(times)

    def _day_ends(self, times: np.ndarray) -> list[int]:
        """For each day, the index just past the last of the sorted ``times`` before its end."""
        return np.searchsorted(times, np.arange(1, self.horizon + 1), side="left").tolist()

    # -- dated events ----------------------------------------------------------------------
    def _apply_period(self, index: int) -> None:
        """Put the scenario of period ``index`` in force: rules, caps, staff on duty, clients' side."""
        scenario = self.timeline.periods[index]
        rules = meeting_rules(scenario.rules.meetings)
        self._plan = rules.later_meetings_due
        self._working_day_from = self.calendar.working_day_from.tolist()
        self._diary_days = self.calendar.n_days
        self._early_days = scenario.meeting.early_days
        self._no_show_share = scenario.meeting.no_show_share
        self._rebook_days = scenario.meeting.rebook_days
        self._statement_rules = scenario.statements
        if index == 0:
            return
        for name, settings in pool_settings(scenario).items():
            pool = self.pools[name]
            pool.caseload_cap = settings.caseload_cap
            self._set_on_duty(pool, settings.staff)
        self.kela.set_contact_persons(scenario.kela.contact_persons)
        self._move_clients_to_their_side(scenario)
        for pool in self.pools.values():
            self._admit_from_waiting_list(pool)

    def _set_on_duty(self, pool: StaffPool, count: int) -> None:
        """People beyond ``count`` leave: their clients go to the front of the waiting list."""
        leaving = count < pool.on_duty
        pool.set_on_duty(count)
        if not leaving:
            return
        orphans = [c for c, person in enumerate(self._staff)
                   if person >= count and self._state[c] == WITH_STAFF and self._pool_of(c) is pool]
        for client in reversed(orphans):
            self._leave_pool(client)
            self._open_stay(client)
            self._state[client] = WAITING
            pool.waiting.appendleft(client)
            pool.waiting_count += 1

    def _move_clients_to_their_side(self, scenario: Scenario) -> None:
        """After a rule change, active clients whose side changed move to the other pool."""
        active = np.flatnonzero(np.isin(np.asarray(self._state), (WAITING, WITH_STAFF)))
        attributes = {name: values[active] for name, values in self.population.attributes.items()}
        now_municipal = municipal_client(scenario.rules.pilot, attributes)
        for client, municipal in zip(active.tolist(), now_municipal.tolist()):
            if municipal != self._municipal[client]:
                self._leave_pool(client)
                self._municipal[client] = municipal
                self._first_done[client] = True  # an existing client: the next periodic meeting
                self._register(client)

    # -- client events ---------------------------------------------------------------------
    def _pool_index(self, client: int) -> int:
        return self._coach_pool[client] if self._municipal[client] else self._te_pool

    def _pool_of(self, client: int) -> StaffPool:
        return self._pool_list[self._pool_index(client)]

    def _open_stay(self, client: int) -> None:
        stays = self._stays
        self._stay[client] = len(stays["client"])
        for key, value in (("client", client), ("pool", self._pool_index(client)),
                           ("municipal", self._municipal[client]), ("start", self._now),
                           ("assigned", math.inf), ("person", -1), ("end", math.nan)):
            stays[key].append(value)

    def _register(self, client: int) -> None:
        pool = self._pool_of(client)
        self._open_stay(client)
        person = pool.take_client()
        if person < 0:
            self._state[client] = WAITING
            pool.waiting.append(client)
            pool.waiting_count += 1
            return
        self._start_with(client, pool, person)

    def _start_with(self, client: int, pool: StaffPool, person: int) -> None:
        now = self._now
        self._state[client] = WITH_STAFF
        self._staff[client] = person
        stay = self._stay[client]
        self._stays["assigned"][stay] = now
        self._stays["person"][stay] = person
        from_day = math.ceil(now)
        if self._first_done[client]:
            self._book_next_meeting(client, pool, person, from_day)
        else:
            self._booked_day[client] = pool.book(person, from_day, client)

    def _leave(self, client: int) -> None:
        pool = self._leave_pool(client)
        self._state[client] = EXITED
        self._admit_from_waiting_list(pool)

    def _leave_pool(self, client: int) -> StaffPool:
        """End the client's stay with its pool (exit or move); returns the pool."""
        pool = self._pool_of(client)
        self._stays["end"][self._stay[client]] = self._now
        if self._state[client] == WAITING:
            self._state[client] = EXITED  # stays in the deque; skipped when its turn comes
            pool.waiting_count -= 1
            return pool
        self._end_stay_with_person(client, pool)
        return pool

    def _end_stay_with_person(self, client: int, pool: StaffPool) -> None:
        person = self._staff[client]
        booked = self._booked_day[client]
        if booked != NOT_BOOKED and booked > self._now:
            pool.cancel(person, booked)
        self._booked_day[client] = NOT_BOOKED
        self._staff[client] = -1
        pool.release_client(person)

    def _admit_from_waiting_list(self, pool: StaffPool) -> None:
        """Give waiting clients (first come, first served) the places that are free."""
        state, waiting = self._state, pool.waiting
        while True:
            while waiting and (state[waiting[0]] != WAITING or self._pool_of(waiting[0]) is not pool):
                waiting.popleft()  # left, or moved to the other side, while waiting
            if not waiting:
                return
            person = pool.take_client()
            if person < 0:
                return
            pool.waiting_count -= 1
            self._start_with(waiting.popleft(), pool, person)

    # -- services --------------------------------------------------------------------------
    def _run_services(self, day: int) -> None:
        """Yesterday's referrals join the queues; places freed by today go to those queued."""
        for places, (times, clients, day_ends) in zip(self._services, self._referrals):
            first = day_ends[day - 2] if day >= 2 else 0
            last = day_ends[day - 1] if day >= 1 else 0
            for referral in range(first, last):
                client = clients[referral]
                if self._may_be_referred(client, day):
                    self._queued_for[client] += 1
                    places.refer(client, times[referral])
            for client, ends in places.admit(day, self._still_eligible):
                self._queued_for[client] -= 1
                self._service_until[client] = ends
                self._service_factor[client] = places.service.meeting_interval_factor
                self._rebook_for_service(client, day)
            for client in places.dropped_since_last():
                self._queued_for[client] -= 1

    def _rebook_for_service(self, client: int, day: int) -> None:
        """A client starting a service has the next periodic meeting moved further out."""
        booked = self._booked_day[client]
        if not self._first_done[client] or booked == NOT_BOOKED or booked <= day:
            return
        pool, person = self._pool_of(client), self._staff[client]
        pool.cancel(person, booked)
        self._book_next_meeting(client, pool, person, day + 1)

    def _may_be_referred(self, client: int, day: int) -> bool:
        """A pilot client with a coach, not in a service nor queued for one."""
        return (self._state[client] == WITH_STAFF and self._municipal[client]
                and self._service_until[client] <= day and not self._queued_for[client])

    def _still_eligible(self, client: int) -> bool:
        return self._state[client] == WITH_STAFF and self._municipal[client]

    def _close_services(self) -> dict:
        for places in self._services:
            places.close(self.horizon)
        return {places.service.name: places.log for places in self._services}

    # -- statements ------------------------------------------------------------------------
    def _write_statement(self, statement: int, day: int) -> None:
        """The writer's first day with room on or after ``day``: the client's coach (for the
        rules' share of pilot clients' statements) or the TE experts, in turn."""
        rules, client = self._statement_rules, int(self._statement_client[statement])
        by_coach = self._municipal[client] and self._statement_writer_draw[statement] < rules.coach_share
        index = self._coach_pool[client] if by_coach else self._te_pool
        pool = self._pool_list[index]
        own = self._state[client] == WITH_STAFF and self._pool_index(client) == index
        person = self._staff[client] if own else pool.next_person_on_duty()
        if person < 0:
            return
        written = pool.reserve(person, day, rules.minutes)
        self._statement_pool[statement] = index
        self._statement_written[statement] = written
        if written != NOT_BOOKED:
            pool.log.statement_minutes[written] += rules.minutes

    # -- meetings --------------------------------------------------------------------------
    def _hold_meetings(self, pool: StaffPool, day: int) -> None:
        """Hold the meetings booked for ``day`` and book each client's next one.

        The hot loop of the model (one pass per meeting), so it keeps its lookups local.
        """
        todays, pool.meetings_on[day] = pool.meetings_on[day], []
        booked, booked_due, state = self._booked_day, self._booked_due, self._state
        first_done, staff = self._first_done, self._staff
        no_show_share = self._no_show_share
        from_day = day + 1
        held = late = no_shows = 0
        for client in todays:
            if booked[client] != day or state[client] != WITH_STAFF:
                continue  # cancelled: the client left before the day
            if no_show_share and self._no_show() < no_show_share:
                no_shows += 1
                booked[client] = pool.book(staff[client], day + self._rebook_days, client)
                continue
            held += 1
            if first_done[client]:
                late += day > booked_due[client]
            else:
                late += self._hold_first_meeting(pool, client, day)
            self._book_next_meeting(client, pool, staff[client], from_day)
        pool.log.held[day] += held
        pool.log.late[day] += late
        pool.log.no_shows[day] += no_shows

    def _no_show(self) -> float:
        """The next uniform of the no-show stream."""
        if not self._no_show_draws:
            self._no_show_draws = self._no_show_rng.random(NO_SHOW_DRAWS).tolist()
        return self._no_show_draws.pop()

    def _hold_first_meeting(self, pool: StaffPool, client: int, day: int) -> bool:
        """Record a first meeting; True if it came later than the rules' deadline."""
        self._first_done[client] = True
        working_days = self.calendar.working_days_between(math.floor(self._registration[client]), day)
        on_time = working_days <= self._first_deadline[client]
        pool.log.first_day.append(day)
        pool.log.first_working_days.append(working_days)
        pool.log.first_on_time.append(on_time)
        return not on_time

    def _book_next_meeting(self, client: int, pool: StaffPool, person: int, from_day: int) -> None:
        """Book the next meeting the rules require, no earlier than ``early_days`` before it is due.

        Due dates whose early window opened before ``from_day`` count as met by the meeting just
        held (a late meeting stands in for the ones it delayed, an early one for the date it was
        early for).
        """
        registered, early, plan = self._registration[client], self._early_days, self._plan
        # the first due date whose early window opens on or after from_day: registered + due >= from_day + early
        index = bisect.bisect_left(plan, from_day + early - registered)
        if index == len(plan):
            self._booked_day[client] = NOT_BOOKED
            return
        due_day = math.floor(registered + plan[index])
        if self._service_until[client] > from_day:  # in a service: meetings further apart
            held = from_day - 1
            due_day = held + math.ceil((due_day - held) * self._service_factor[client])
        earliest = due_day - early
        # a meeting is late if held after the due date, or after the first working day after it
        self._booked_due[client] = self._working_day_from[due_day] if due_day < self._diary_days else due_day
        self._booked_day[client] = pool.book(person, earliest if earliest > from_day else from_day, client)
