"""The reference model: one SimPy process per client, written to be read.

A client's journey is one generator (:meth:`ReferenceArea.journey`): register with the coaches
(a pilot client) or the TE experts by the rule in force, wait for a place on a caseload, be
called in on each meeting day the diary holds for them, and leave when the spell ends. The
office (:meth:`ReferenceArea.office`) works through each day in a fixed order:

1. dated events take effect (rules, staff, caseload caps, the Kela staff);
2. each pool (coach teams, then the TE experts) calls in the clients booked for today, in the
   order they were booked; each client is met (or does not come) and books the next meeting;
3. statements raised today are written; 4. services admit those referred yesterday;
5. the rest of the day: registrations and exits, each at its own time.

The Kela line is two kinds of process: the coaches' calls and the contact persons.

It draws the same numbers up front as the fast engine (:mod:`simkit.model.pilot`), so the two
must give identical records: ``tests/model/test_reference_equivalence.py`` checks that. It is
slow on purpose: every search is a plain loop. See ``docs/reference-model.md``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict, deque
from dataclasses import dataclass, field

import numpy as np
import simpy

from simkit.model.calendar import MINUTES_PER_DAY, WORKING_DAYS_PER_WEEK, Calendar, WeeklyHours
from simkit.model.clients import draw_client_events, draw_kela_questions, draw_population, municipal_client
from simkit.model.meetings import meeting_rules
from simkit.model.services import monthly_hazard
from simkit.model.streams import component_streams, stream_seed
from simkit.scenario.schema import Scenario, Service
from simkit.scenario.timeline import timeline

NOT_BOOKED = -1
DIARY_MARGIN_DAYS = 400  # diaries reach past the horizon, so that late meetings can be booked
NO_SHOW_BLOCK = 4096  # the no-show stream is drawn in blocks, each used from its last number
REGISTERED, WAITING, WITH_STAFF, EXITED = "registered", "waiting", "with staff", "exited"


@dataclass
class Client:
    number: int
    registration: float  # days (before 0 for the clients already registered on day 0)
    exit: float  # days
    municipal: bool  # served by coaches (True) or by TE experts
    team: int  # the coach team that serves the client when municipal
    first_deadline: int  # working days for the first meeting, by the rules in force at registration
    first_done: bool
    initial: bool  # registered before day 0 (registered on day 0, oldest first)
    state: str = REGISTERED
    person: int = -1
    stay: dict | None = None  # the current stay: client, pool, municipal, start, assigned, person, end
    booked_day: int = NOT_BOOKED
    due_day: int = 0  # the booked meeting is late if held after this day
    service_until: float = 0.0
    service_factor: float = 1.0
    queued: int = 0  # services the client is queued for
    called: simpy.Event | None = None


@dataclass
class Pool:
    """A coach team or the TE experts: caseloads below a cap, a waiting list, a diary per person."""

    name: str
    on_duty: int
    caseload_cap: int
    free_minutes: list[list[float]]  # per person and day: minutes not yet booked
    caseload: list[int]
    waiting: deque = field(default_factory=deque)
    booked_on: defaultdict = field(default_factory=lambda: defaultdict(list))  # day -> clients, in booking order
    turn: int = -1
    held: defaultdict = field(default_factory=lambda: defaultdict(int))
    late: defaultdict = field(default_factory=lambda: defaultdict(int))
    no_shows: defaultdict = field(default_factory=lambda: defaultdict(int))
    first_meetings: list = field(default_factory=list)  # (day, working days after registration, on time)

    def least_loaded(self) -> int:
        """The person on duty with the fewest clients (the lowest number on a tie), if below the cap; else -1."""
        people = sorted(range(self.on_duty), key=lambda person: (self.caseload[person], person))
        return people[0] if people and self.caseload[people[0]] < self.caseload_cap else -1

    def take(self, person: int, earliest: int, minutes: float) -> int:
        """Take ``minutes`` on the person's first day >= ``earliest`` with room; NOT_BOOKED past the diary."""
        row = self.free_minutes[person]
        for day in range(earliest, len(row)):
            if row[day] >= minutes:
                row[day] -= minutes
                return day
        return NOT_BOOKED


@dataclass
class Places:
    """A service's places: those in it (when each leaves, days) and a first-come-first-served queue."""

    service: Service
    queue: deque = field(default_factory=deque)
    ends: list = field(default_factory=list)


@dataclass(frozen=True)
class ReferenceRecords:
    """What the reference model observed, in the engine's terms (times in days)."""

    stays: dict[str, np.ndarray]  # client, pool, start, assigned, person, end: one row per stay
    meetings: dict[str, dict[str, np.ndarray]]  # pool -> held, late, no_shows per day
    first_meetings: dict[str, np.ndarray]  # pool -> rows of (day, working days, on time)
    statements: dict[str, np.ndarray]  # pool (-1: nobody on duty), written_day (NOT_BOOKED: never)
    kela_answered: np.ndarray  # answer time of each question (nan: not answered)


class ReferenceArea:
    def __init__(self, scenario: Scenario, seed: int, replication: int = 0):
        info = scenario.scenario
        self.horizon = horizon = info.warmup_days + info.days
        first_date = info.start_date - dt.timedelta(days=info.warmup_days)
        holidays = scenario.calendar.public_holidays
        self.calendar = Calendar(first_date, horizon + DIARY_MARGIN_DAYS, holidays)
        self.timeline = timeline(scenario, first_date)
        streams = component_streams(seed, replication)
        self.population = population = draw_population(self.timeline, Calendar(first_date, horizon, holidays), streams)
        kela = scenario.kela

        def hours(weights):
            return WeeklyHours(kela.call_hours, kela.call_weekdays, self.calendar, weights)

        self.questions = draw_kela_questions(self.timeline, population, horizon, hours, streams)
        self.statements = draw_client_events(self.timeline, population, horizon, hours,
                                             lambda s: s.statements.per_client_month, streams["statements"])
        self.writer_draw = streams["statement_writers"].random(len(self.statements[0]))
        self.statement_pool = np.full(len(self.writer_draw), -1)
        self.statement_written = np.full(len(self.writer_draw), NOT_BOOKED)
        self.referrals = [draw_client_events(
            self.timeline, population, horizon, hours, lambda s: 1.0,
            np.random.default_rng(stream_seed(seed, replication, f"service.{service.name}")),
            client_factor=monthly_hazard(service, population.attributes)) for service in scenario.services]
        self.places = [Places(service) for service in scenario.services]
        self.no_show_rng, self.no_show_draws = streams["no_shows"], []
        self.env = simpy.Environment()
        self.meeting_minutes = scenario.meeting.minutes
        self.pools = [self.new_pool(name) for name in self.pool_settings(scenario)]
        self.clients = self.new_clients(scenario)
        self.stays: list[dict] = []
        self.put_in_force(0, now=0.0)
        self.kela_line(scenario)
        initial = [c for c in self.clients if population.initial[c.number]]
        for client in sorted(initial, key=lambda c: c.registration) + self.clients[len(initial):]:
            self.env.process(self.journey(client))
        self.env.process(self.office())

    # -- the client's journey --------------------------------------------------------------------
    def journey(self, client: Client):
        """Register, wait for a coach, be met by the rules, leave: one client's way through the office."""
        env = self.env
        if not client.initial:
            yield env.timeout(client.registration - env.now)
        self.register(client, now=0.0 if client.initial else client.registration)
        if client.exit < self.horizon:
            spell = env.timeout(client.exit - env.now)
            spell.callbacks.append(lambda _, me=env.active_process: me.interrupt("spell ends"))
        try:
            while True:  # waiting for a place, or with a coach: the office calls the client in on a meeting day
                client.called = env.event()
                pool, day = yield client.called
                self.be_met(client, pool, day)
        except simpy.Interrupt:
            self.leave(client, now=client.exit)

    def register(self, client: Client, now: float) -> None:
        """Join the pool of the rule in force: the least-loaded person below the cap, or the waiting list."""
        pool = self.pool_of(client)
        self.open_stay(client, now)
        person = pool.least_loaded()
        if person < 0:
            client.state = WAITING
            pool.waiting.append(client)
        else:
            self.start_with(client, pool, person, now)

    def start_with(self, client: Client, pool: Pool, person: int, now: float) -> None:
        """A person takes the client and books the first meeting, or the next one the rules require."""
        client.state, client.person = WITH_STAFF, person
        pool.caseload[person] += 1
        client.stay.update(assigned=now, person=person)
        if client.first_done:
            self.book_next_meeting(client, pool, math.ceil(now))
        else:
            client.booked_day = self.book(client, pool, math.ceil(now))

    def leave(self, client: Client, now: float) -> None:
        pool = self.leave_pool(client, now)
        client.state = EXITED
        self.admit_from_waiting_list(pool, now)

    def leave_pool(self, client: Client, now: float) -> Pool:
        """End the stay (an exit, or a move); a meeting still ahead is cancelled."""
        pool = self.pool_of(client)
        client.stay["end"] = now
        if client.state == WITH_STAFF:
            if client.booked_day != NOT_BOOKED and client.booked_day > now:
                pool.free_minutes[client.person][client.booked_day] += self.meeting_minutes
            pool.caseload[client.person] -= 1
            client.booked_day, client.person = NOT_BOOKED, -1
        client.state = EXITED  # until the move registers the client again
        return pool

    def admit_from_waiting_list(self, pool: Pool, now: float) -> None:
        """Places that are free go to those waiting, first come first served (those gone are skipped)."""
        while pool.waiting:
            client = pool.waiting[0]
            if client.state != WAITING or self.pool_of(client) is not pool:
                pool.waiting.popleft()
                continue
            person = pool.least_loaded()
            if person < 0:
                return
            self.start_with(pool.waiting.popleft(), pool, person, now)

    # -- meetings, by the rules in force -----------------------------------------------------------
    def be_met(self, client: Client, pool: Pool, day: int) -> None:
        """The client comes (or not: a new meeting after ``rebook_days``, the same due date); the next is booked."""
        if self.no_show_share and self.no_show_uniform() < self.no_show_share:
            pool.no_shows[day] += 1
            client.booked_day = self.book(client, pool, day + self.rebook_days)
            return
        pool.held[day] += 1
        if client.first_done:
            pool.late[day] += day > client.due_day
        else:
            client.first_done = True
            working_days = self.calendar.working_days_between(math.floor(client.registration), day)
            pool.first_meetings.append((day, working_days, working_days <= client.first_deadline))
            pool.late[day] += working_days > client.first_deadline
        self.book_next_meeting(client, pool, day + 1)

    def book_next_meeting(self, client: Client, pool: Pool, from_day: int) -> None:
        """The first due date of the plan whose early window opens on or after ``from_day`` (a late
        meeting stands in for the dates it delayed); further out while in a service."""
        due = [d for d in self.plan if d >= from_day + self.early_days - client.registration]
        if not due:
            client.booked_day = NOT_BOOKED
            return
        due_day = math.floor(client.registration + due[0])
        if client.service_until > from_day:  # in a service: meetings further apart
            held = from_day - 1
            due_day = held + math.ceil((due_day - held) * client.service_factor)
        diary_days = self.calendar.n_days
        client.due_day = int(self.calendar.working_day_from[due_day]) if due_day < diary_days else due_day
        client.booked_day = self.book(client, pool, max(due_day - self.early_days, from_day))

    def book(self, client: Client, pool: Pool, earliest: int) -> int:
        day = pool.take(client.person, earliest, self.meeting_minutes)
        if day != NOT_BOOKED:
            pool.booked_on[day].append(client)
        return day

    def no_show_uniform(self) -> float:
        if not self.no_show_draws:
            self.no_show_draws = self.no_show_rng.random(NO_SHOW_BLOCK).tolist()
        return self.no_show_draws.pop()

    # -- the office's day -------------------------------------------------------------------------
    def office(self):
        env, working = self.env, self.calendar.is_working_day
        starts = {start: index for index, start in enumerate(self.timeline.starts) if start > 0}
        for day in range(self.horizon):
            if day > env.now:
                yield env.timeout(day - env.now)
            if day in starts:
                self.put_in_force(starts[day], now=float(day))
            for pool in self.pools if working[day] else []:
                called = [c for c in pool.booked_on.pop(day, []) if c.booked_day == day and c.state == WITH_STAFF]
                for client in called:
                    if not client.called.triggered:  # a client booked twice today is met once
                        client.called.succeed((pool, day))
                if called:
                    yield env.timeout(0)  # the clients called in are met, in the order they were booked
            self.write_statements(day)
            self.run_services(day)

    def put_in_force(self, period: int, now: float) -> None:
        """A dated event: the rules, caps and staff of ``period``; those whose side changed move."""
        scenario = self.timeline.periods[period]
        self.plan = meeting_rules(scenario.rules.meetings).later_meetings_due
        self.early_days, self.rebook_days = scenario.meeting.early_days, scenario.meeting.rebook_days
        self.no_show_share, self.statement_rules = scenario.meeting.no_show_share, scenario.statements
        if period == 0:
            return
        for pool, settings in zip(self.pools, self.pool_settings(scenario).values()):
            pool.caseload_cap = settings.caseload_cap
            self.set_on_duty(pool, settings.staff, now)
        self.kela_on_duty = scenario.kela.contact_persons
        woken, self.kela_off_duty = self.split(self.kela_off_duty, lambda w: w[0] < self.kela_on_duty)
        for _, wake in woken:
            wake.succeed()
        active = [c for c in self.clients if c.state in (WAITING, WITH_STAFF)]
        attributes = {name: values[[c.number for c in active]] for name, values in self.population.attributes.items()}
        for client, municipal in zip(active, municipal_client(scenario.rules.pilot, attributes).tolist()):
            if municipal != client.municipal:
                self.leave_pool(client, now)
                client.municipal, client.first_done = municipal, True  # the next periodic meeting is due
                self.register(client, now)
        for pool in self.pools:
            self.admit_from_waiting_list(pool, now)

    def set_on_duty(self, pool: Pool, count: int, now: float) -> None:
        """People beyond ``count`` leave: their clients go to the front of the waiting list."""
        orphans = [c for c in self.clients if c.state == WITH_STAFF and c.person >= count and self.pool_of(c) is pool]
        pool.on_duty = count
        for client in reversed(orphans):
            self.leave_pool(client, now)
            self.open_stay(client, now)
            client.state = WAITING
            pool.waiting.appendleft(client)

    def write_statements(self, day: int) -> None:
        """Each statement raised today: the client's coach writes it (the rules' share of pilot clients'),
        else the next person on duty in turn, on their first day with room."""
        raised, clients = self.statements
        rules = self.statement_rules
        for statement in np.flatnonzero((raised >= day) & (raised < day + 1)):
            client = self.clients[clients[statement]]
            by_coach = client.municipal and self.writer_draw[statement] < rules.coach_share
            index = client.team if by_coach else len(self.pools) - 1
            pool = self.pools[index]
            if client.state == WITH_STAFF and self.pool_index(client) == index:
                person = client.person
            elif pool.on_duty:
                pool.turn = person = (pool.turn + 1) % pool.on_duty
            else:
                continue
            self.statement_pool[statement] = index
            self.statement_written[statement] = pool.take(person, day, rules.minutes)

    def run_services(self, day: int) -> None:
        """Yesterday's referrals of pilot clients with a coach join the queues; free places are filled."""
        for places, (times, referred) in zip(self.places, self.referrals):
            for client in [self.clients[c] for c in referred[(times >= day - 1) & (times < day)]] if day else []:
                if client.state == WITH_STAFF and client.municipal and client.service_until <= day and not client.queued:
                    client.queued += 1
                    places.queue.append(client)
            places.ends = [ends for ends in places.ends if ends > day]
            while places.queue and len(places.ends) < places.service.places:
                client = places.queue.popleft()
                client.queued -= 1
                if client.state != WITH_STAFF or not client.municipal:
                    continue  # left, or moved to the TE office, while queued
                client.service_until = min(day + places.service.duration_days, client.exit)
                client.service_factor = places.service.meeting_interval_factor
                places.ends.append(client.service_until)
                if client.first_done and client.booked_day > day:  # the next meeting moves further out
                    pool = self.pool_of(client)
                    pool.free_minutes[client.person][client.booked_day] += self.meeting_minutes
                    self.book_next_meeting(client, pool, day + 1)

    # -- the Kela line ----------------------------------------------------------------------------
    def kela_line(self, scenario: Scenario) -> None:
        """Coaches phone their questions in (when the line is open); contact persons answer, callbacks first."""
        kela, n_days = scenario.kela, self.calendar.n_days
        self.line_hours = hours = WeeklyHours(kela.open_hours, kela.open_weekdays, self.calendar)
        on_duty = self.timeline.per_day(n_days, lambda s: s.kela.contact_persons)
        offline = self.timeline.per_day(n_days, lambda s: s.kela.offline_hours_per_week / s.kela.open_weekdays / 24.0)
        self.offline = (np.minimum(offline, hours.length) * hours.open_day).tolist()  # days off the line, each day
        self.kela_people, self.kela_on_duty = max(1, int(on_duty.max())), kela.contact_persons
        self.patience = kela.patience_minutes / MINUTES_PER_DAY
        raised = self.questions.raised
        self.placed = (hours.next_open(raised) if len(raised) else raised.copy()).tolist()
        self.kela_answered = np.full(len(raised), np.nan)
        self.on_hold, self.callbacks, self.idle, self.kela_off_duty = deque(), deque(), deque(), []
        self.env.process(self.coaches_calling())
        for person in range(int(on_duty.max())):
            self.env.process(self.contact_person(person))

    def coaches_calling(self):
        for question, time in enumerate(self.placed):
            if time > self.env.now:
                yield self.env.timeout(time - self.env.now)
            self.on_hold.append(question)
            self.wake_a_contact_person()

    def contact_person(self, person: int):
        """On duty and on the line (open, not in the day's off-line block): answer the next question."""
        env, hours, handle = self.env, self.line_hours, self.questions.handle.tolist()
        while True:
            if person >= self.kela_on_duty:
                yield self.sleep(self.kela_off_duty, person)
                continue
            closed_for = 0.0 if hours.always else hours.wait_until_open(env.now)
            offline_for = self.offline_for(person, env.now) if closed_for <= 0.0 else 0.0
            if closed_for > 0.0 or offline_for > 0.0:
                if offline_for > 0.0 and (self.on_hold or self.callbacks):
                    self.wake_a_contact_person()  # someone else takes the waiting calls
                yield env.timeout(closed_for if closed_for > 0.0 else offline_for)
                continue
            question = self.next_question(env.now)
            if question < 0:
                yield self.sleep(self.idle, person)
                continue
            self.kela_answered[question] = env.now
            yield env.timeout(handle[question])

    def sleep(self, where: deque | list, person: int) -> simpy.Event:
        wake = self.env.event()
        where.append((person, wake))
        return wake

    def wake_a_contact_person(self) -> None:
        while self.idle:
            person, wake = self.idle.popleft()
            if person < self.kela_on_duty:
                wake.succeed()
                return
            self.kela_off_duty.append((person, wake))

    def offline_for(self, person: int, time: float) -> float:
        """Days until the person's off-line block of the day ends (0.0 outside it); the blocks are staggered."""
        day = int(time)
        block = self.offline[day]
        if not block:
            return 0.0
        hours = self.line_hours
        begins = day + hours.first + person / self.kela_people * (hours.length - block)
        return begins + block - time if begins <= time < begins + block else 0.0

    def next_question(self, now: float) -> int:
        """A callback first (a coach on hold longer than the patience left one), else the longest on hold."""
        while not math.isinf(self.patience) and self.on_hold and self.placed[self.on_hold[0]] + self.patience < now:
            self.callbacks.append(self.on_hold.popleft())
        if self.callbacks:
            return self.callbacks.popleft()
        return self.on_hold.popleft() if self.on_hold else -1

    @staticmethod
    def split(items: list, keep) -> tuple[list, list]:
        return [item for item in items if keep(item)], [item for item in items if not keep(item)]

    # -- set-up and records -----------------------------------------------------------------------
    @staticmethod
    def pool_settings(scenario: Scenario) -> dict:
        """Pools by name: "coach" (or "coach.<team>" per coach team), then "te"."""
        teams = scenario.coaches.resolved_teams()
        names = ["coach"] if not scenario.coaches.teams else [f"coach.{team.name}" for team in teams]
        return {**dict(zip(names, teams)), "te": scenario.te}

    def new_pool(self, name: str) -> Pool:
        """Each person's diary: meeting minutes per day (weekly hours x client-time share over Mon–Fri,
        none on days off, less summer holidays and sick leave)."""
        periods = [self.pool_settings(period)[name] for period in self.timeline.periods]
        n, per_day, month = self.calendar.n_days, self.timeline.per_day, self.calendar.month

        def factor(scenario: Scenario) -> float:
            settings = self.pool_settings(scenario)[name]
            return settings.hours_per_week * settings.client_time_share * 60.0 / WORKING_DAYS_PER_WEEK

        in_summer = per_day(n, lambda s: np.isin(np.arange(1, 13), s.calendar.summer_months))[np.arange(n), month]
        away = np.where(in_summer, per_day(n, lambda s: s.calendar.summer_holiday_share), 0.0)
        sick = per_day(n, lambda s: s.calendar.sick_leave_share)
        minutes = (per_day(n, factor) * self.calendar.is_working_day * (1.0 - away) * (1.0 - sick)).tolist()
        people = max(settings.staff for settings in periods)
        return Pool(name, periods[0].staff, periods[0].caseload_cap, [list(minutes) for _ in range(people)],
                    [0] * people)

    def new_clients(self, scenario: Scenario) -> list[Client]:
        """Every client drawn, with the coach team that would serve them and their first-meeting deadline."""
        population, teams = self.population, scenario.coaches.resolved_teams()
        deadlines = [meeting_rules(s.rules.meetings).first_meeting_working_days for s in self.timeline.periods]
        period = self.timeline.period_of_days(np.floor(np.maximum(population.registration, 0.0)).astype(int))
        by_name = {team.name: index for index, team in enumerate(teams)} | {"coach": len(teams) - 1}
        clients = []
        for number in range(len(population)):
            team = next(index for index, t in enumerate(teams)
                        if t.serves == "everyone" or population.attributes[t.serves][number])
            if number < len(population.initial_team):  # a caseload CSV may name the team
                team = by_name.get(population.initial_team[number], team)
            clients.append(Client(
                number, float(population.registration[number]), float(population.exit[number]),
                bool(population.municipal[number]), team, deadlines[period[number]],
                first_done=bool(population.initial[number]), initial=bool(population.initial[number])))
        return clients

    def pool_index(self, client: Client) -> int:
        return client.team if client.municipal else len(self.pools) - 1

    def pool_of(self, client: Client) -> Pool:
        return self.pools[self.pool_index(client)]

    def open_stay(self, client: Client, now: float) -> None:
        client.stay = {"client": client.number, "pool": self.pool_index(client), "municipal": client.municipal,
                       "start": now, "assigned": math.inf, "person": -1, "end": math.nan}
        self.stays.append(client.stay)

    def records(self) -> ReferenceRecords:
        stays = {key: np.array([stay[key] for stay in self.stays]) for key in
                 ("client", "pool", "municipal", "start", "assigned", "person", "end")}
        still_there = np.isnan(stays["end"])
        stays["end"][still_there] = self.population.exit[stays["client"][still_there]]
        days = self.calendar.n_days

        def per_day(counts: dict) -> np.ndarray:
            series = np.zeros(days, dtype=int)
            for day, count in counts.items():
                series[day] = count
            return series

        return ReferenceRecords(
            stays=stays,
            meetings={p.name: {"held": per_day(p.held), "late": per_day(p.late), "no_shows": per_day(p.no_shows)}
                      for p in self.pools},
            first_meetings={p.name: np.array(p.first_meetings, dtype=int).reshape(-1, 3) for p in self.pools},
            statements={"pool": self.statement_pool, "written_day": self.statement_written},
            kela_answered=self.kela_answered,
        )


def simulate_reference(scenario: Scenario, seed: int, replication: int = 0) -> ReferenceRecords:
    """Run one replication of ``scenario`` through the reference model (slow; for small scenarios)."""
    area = ReferenceArea(scenario, seed, replication)
    area.env.run(until=area.horizon)
    return area.records()
