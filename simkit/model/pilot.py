"""The SimPy model of one employment area: clients, coaches, TE experts and the Kela line.

Processes in one ``simpy.Environment`` (time in days):

- ``days``: at the start of each day, on working days, every pool (coaches, TE experts) holds
  the meetings booked for that day and books each client's next meeting by the meeting rules.
  Then the day's registrations and exits are handled in time order, each at its own exact time:
  a registering client joins the coaches (a pilot client) or the TE experts, or their waiting
  list; an exit frees a caseload place, which goes to the first client on the waiting list.
  Nothing else in the model acts between two client events of the same day, so handling them in
  one step per day gives exactly the result of one SimPy event each, at a fraction of the cost.
- the Kela contact line (:mod:`simkit.model.kela`): coaches' calls and the contact persons.

Random draws all happen up front (:mod:`simkit.model.clients`), so the processes only decide
who waits for whom.
"""

from __future__ import annotations

import bisect
import datetime as dt
import gc
import math
from dataclasses import dataclass

import numpy as np
import simpy

from simkit.model.calendar import Calendar, WeeklyHours
from simkit.model.clients import KelaQuestions, Population, draw_kela_questions, draw_population
from simkit.model.kela import KelaContactLine
from simkit.model.meetings import MeetingRules, meeting_rules
from simkit.model.staff import NOT_BOOKED, StaffPool
from simkit.model.streams import component_streams
from simkit.scenario.schema import Scenario

DIARY_MARGIN_DAYS = 400  # the diary reaches past the horizon so that late meetings can be booked
POOLS = ("coach", "te")

# client states
REGISTERED, WAITING, WITH_STAFF, EXITED = 0, 1, 2, 3


@dataclass(frozen=True)
class Observations:
    """Everything one run observed, as plain arrays; :mod:`simkit.metrics` turns it into metrics."""

    scenario: Scenario
    seed: int
    replication: int
    calendar: Calendar
    window: tuple[int, int]  # statistics window [start, end) in days
    population: Population
    assigned_at: np.ndarray  # day a client got a coach / TE expert (inf if never)
    staff_index: np.ndarray  # who in the pool served the client (-1 if nobody)
    pools: dict[str, StaffPool]
    rules: MeetingRules
    kela: KelaContactLine
    questions: KelaQuestions
    final_state: np.ndarray  # client states at the end of the run
    simpy_events: int  # events the SimPy environment scheduled


class PilotModel:
    """One replication of a scenario. ``run()`` returns :class:`Observations`."""

    def __init__(self, scenario: Scenario, seed: int, replication: int = 0):
        self.scenario = scenario
        self.seed = seed
        self.replication = replication
        info = scenario.scenario
        self.horizon = info.warmup_days + info.days
        first_date = info.start_date - dt.timedelta(days=info.warmup_days)
        self.calendar = Calendar(first_date, self.horizon + DIARY_MARGIN_DAYS)
        streams = component_streams(seed, replication)
        self.population = draw_population(scenario, Calendar(first_date, self.horizon), streams)
        kela = scenario.kela
        call_hours = WeeklyHours(kela.call_hours, kela.call_weekdays, self.calendar)
        self.questions = draw_kela_questions(scenario, self.population, self.horizon, call_hours, streams)
        self.rules = meeting_rules(scenario.rules.meetings)
        self._plan = self.rules.later_meetings_due
        self._early_days = scenario.meeting.early_days
        self.env = simpy.Environment()
        self.pools = {
            "coach": self._pool("coach", scenario.coaches.count, scenario.coaches),
            "te": self._pool("te", scenario.te.experts, scenario.te),
        }
        n = len(self.population)
        self._registration = self.population.registration.tolist()
        self._exit = self.population.exit.tolist()
        self._pool_of = [self.pools["coach" if m else "te"] for m in self.population.municipal.tolist()]
        self._state = [REGISTERED] * n
        self._staff = [-1] * n
        self._assigned_at = [math.inf] * n
        self._booked_day = [NOT_BOOKED] * n
        self._booked_due = [0] * n
        self._first_done = self.population.initial.tolist()
        self._now = 0.0  # time of the client event being handled (days)
        self.client_events = 0
        self.kela = KelaContactLine(
            self.env, kela, WeeklyHours(kela.open_hours, kela.open_weekdays, self.calendar),
            self.questions.raised, self.questions.handle,
        )

    def _pool(self, name: str, staff: int, settings) -> StaffPool:
        return StaffPool(
            name, staff, settings.caseload_cap, settings.hours_per_week, settings.client_time_share,
            self.scenario.meeting.minutes, self.calendar,
        )

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
            window=(info.warmup_days, self.horizon),
            population=self.population,
            assigned_at=np.asarray(self._assigned_at),
            staff_index=np.asarray(self._staff),
            pools=self.pools,
            rules=self.rules,
            kela=self.kela,
            questions=self.questions,
            final_state=np.asarray(self._state),
            simpy_events=next(self.env._eid),  # SimPy numbers every scheduled event
        )

    def _initial_clients_oldest_first(self) -> list[int]:
        initial = np.flatnonzero(self.population.initial)
        return initial[np.argsort(self.population.registration[initial], kind="stable")].tolist()

    # -- processes -------------------------------------------------------------------------
    def _days(self):
        """Each day: hold the day's meetings (working days), then the day's client events."""
        env, working, pools = self.env, self.calendar.is_working_day.tolist(), list(self.pools.values())
        times, clients, leaving, day_ends = self._client_events()
        first = 0
        for day in range(self.horizon):
            if day > env.now:
                yield env.timeout(day - env.now)
            if working[day]:
                for pool in pools:
                    self._hold_meetings(pool, day)
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
        day_ends = np.searchsorted(times, np.arange(1, self.horizon + 1), side="left")
        self.client_events = len(times)
        return times.tolist(), clients.tolist(), leaving.tolist(), day_ends.tolist()

    # -- client events ---------------------------------------------------------------------
    def _register(self, client: int) -> None:
        pool = self._pool_of[client]
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
        self._assigned_at[client] = now
        from_day = math.ceil(now)
        if self._first_done[client]:
            self._book_next_meeting(client, pool, person, from_day)
        else:
            self._booked_day[client] = pool.book(person, from_day, client)

    def _leave(self, client: int) -> None:
        state = self._state[client]
        self._state[client] = EXITED
        pool = self._pool_of[client]
        if state == WAITING:
            pool.waiting_count -= 1  # stays in the deque; skipped when its turn comes
            return
        person = self._staff[client]
        booked = self._booked_day[client]
        if booked != NOT_BOOKED and booked > self._now:
            pool.cancel(person, booked)
        self._booked_day[client] = NOT_BOOKED
        pool.release_client(person)
        self._admit_from_waiting_list(pool)

    def _admit_from_waiting_list(self, pool: StaffPool) -> None:
        state, waiting = self._state, pool.waiting
        while waiting and state[waiting[0]] == EXITED:
            waiting.popleft()
        if not waiting:
            return
        person = pool.take_client()
        if person >= 0:
            pool.waiting_count -= 1
            self._start_with(waiting.popleft(), pool, person)

    # -- meetings --------------------------------------------------------------------------
    def _hold_meetings(self, pool: StaffPool, day: int) -> None:
        """Hold the meetings booked for ``day`` and book each client's next one.

        The hot loop of the model (one pass per meeting), so it keeps its lookups local.
        """
        todays, pool.meetings_on[day] = pool.meetings_on[day], []
        booked, booked_due, state = self._booked_day, self._booked_due, self._state
        first_done, staff = self._first_done, self._staff
        from_day = day + 1
        held = late = 0
        for client in todays:
            if booked[client] != day or state[client] != WITH_STAFF:
                continue  # cancelled: the client left before the day
            held += 1
            if first_done[client]:
                late += day > booked_due[client]
            else:
                late += self._hold_first_meeting(pool, client, day)
            self._book_next_meeting(client, pool, staff[client], from_day)
        pool.log.held[day] += held
        pool.log.late[day] += late

    def _hold_first_meeting(self, pool: StaffPool, client: int, day: int) -> bool:
        """Record a first meeting; True if it came later than the rules' deadline."""
        self._first_done[client] = True
        working_days = self.calendar.working_days_between(math.floor(self._registration[client]), day)
        pool.log.first_day.append(day)
        pool.log.first_working_days.append(working_days)
        return working_days > self.rules.first_meeting_working_days

    def _book_next_meeting(self, client: int, pool: StaffPool, person: int, from_day: int) -> None:
        """Book the next meeting the rules require, no earlier than ``early_days`` before it is due.

        Due dates whose early window opened before ``from_day`` count as met by the meeting just
        held (a late meeting stands in for the ones it delayed).
        """
        registered, early, plan = self._registration[client], self._early_days, self._plan
        index = bisect.bisect_right(plan, from_day - 1 - registered + early)
        if index == len(plan):
            self._booked_day[client] = NOT_BOOKED
            return
        due_day = math.floor(registered + plan[index])
        earliest = due_day - early
        self._booked_due[client] = due_day
        self._booked_day[client] = pool.book(person, earliest if earliest > from_day else from_day, client)
