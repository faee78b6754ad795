"""The area model: one replication of a scenario, simulated day by day (a SimPy process steps the days).

Time is in days. At the start of each day the engine runs the day's phases in this order:

1. **dated events** (:meth:`AreaModel._apply_dated_events`): rules, staff and caps change;
2. **meetings** (working days): each pool holds the meetings booked for the day and books each
   client's next one (:mod:`simkit.model.meetings`);
3. **statements** raised that day get a writer and a day in a diary (:mod:`simkit.model.statements`);
4. **services**: referrals join the queues, freed places are given (:mod:`simkit.model.services`);
5. **client events**: the day's registrations and exits, each at its own time, in time order
   (:mod:`simkit.model.journey`).

Before them, the minutes each diary keeps for first meetings on the next day open to any booking
(:func:`simkit.model.diary.release_reserve`). Phases 2–5 and that opening run as compiled code
(:func:`simkit.model.day.run_days`), every day between two dated events in one call; the dated
events run in Python.

The Kela contact line (:mod:`simkit.model.kela`) reads nothing of the clients' side: the dated
events only tell it the count of contact persons, and it answers the calls of the whole run in
one compiled call when the run is recorded.
Random draws happen up front (:mod:`simkit.model.clients`), except whether a client comes to a
meeting (its own stream), so the phases mostly decide who waits for whom. ``run()`` returns the
:class:`simkit.observations.Observations`.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable

import numpy as np
import simpy

from simkit.model.calendar import Calendar, WeeklyHours
from simkit.model.client_events import client_events
from simkit.model.client_table import ClientTable, coach_team_of_clients
from simkit.model.clients import draw_kela_questions, draw_population
from simkit.model.day import ALL, CLIENTS, MEETINGS, RELEASE, run_days
from simkit.model.draws import Draws, drawn
from simkit.model.journey import Journeys
from simkit.model.kela import KelaContactLine
from simkit.model.meetings import first_meeting_deadlines, owes_first_meeting
from simkit.model.office import Meetings, first_meeting_record
from simkit.model.services import Services
from simkit.model.staff import StaffPool, meeting_minutes_per_day, pool_settings
from simkit.model.statements import Statements, draw_statements
from simkit.model.streams import component_streams
from simkit.observations import EventCounts, Observations
from simkit.scenario.schema import Scenario
from simkit.scenario.timeline import timeline

CHUNK_DAYS = 30  # days run in one compiled call at most (a progress bar moves in steps of as many)
DIARY_MARGIN_DAYS = 400  # the diary reaches past the horizon so that late meetings can be booked
Progress = Callable[[int], None]  # called with how many more things are done (days simulated: 1 a day)


class AreaModel:
    """One replication of a scenario: an employment area's clients, staff pools and Kela line."""

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
        kela = self.timeline.periods[0].kela  # in force on day 0 (with any event dated before it)

        def working_hours(weights: np.ndarray | None) -> WeeklyHours:
            return WeeklyHours(kela.call_hours, kela.call_weekdays, self.calendar, weights)

        def draw() -> Draws:
            population = draw_population(self.timeline, Calendar(first_date, self.horizon, holidays), streams)
            return Draws(population=population,
                         questions=draw_kela_questions(self.timeline, population, self.horizon, working_hours, streams),
                         statements=draw_statements(self.timeline, population, self.horizon, working_hours, streams),
                         client_events=client_events(population, self.horizon))

        self.draws = draws = drawn(scenario, seed, replication, draw)  # read only (simkit.model.draws)
        self.population, self.questions = draws.population, draws.questions
        self.env = simpy.Environment()
        names = list(pool_settings(scenario))
        self.on_duty = {pool: self._per_day(lambda s, p=pool: pool_settings(s)[p].staff) for pool in names}
        self.on_duty["kela"] = self._per_day(lambda s: s.kela.contact_persons)
        self.pools = {pool: self._pool(pool) for pool in names}
        self._working = self.calendar.is_working_day.astype(bool)
        pool_list = list(self.pools.values())
        self.clients = ClientTable.of(self.population, coach_team_of_clients(scenario, self.population),
                                   te_pool=len(pool_list) - 1,
                                   first_deadline=first_meeting_deadlines(self.timeline, self.population),
                                   owes_first_meeting=owes_first_meeting(self.timeline, self.population))
        self.meetings = Meetings(self.clients, pool_list, self.calendar, streams["no_shows"])
        self.journeys = Journeys(self.clients, pool_list, self.meetings, draws.client_events)
        self.statements = Statements(draws.statements, self.horizon, pool_list)
        self.services = Services(scenario, seed, replication, self.timeline, self.population, self.horizon,
                                 working_hours)
        self._put_in_force(0)
        offline_days = self._per_day(lambda s: s.kela.offline_hours_per_week / s.kela.open_weekdays / 24.0)
        self.kela = KelaContactLine(
            kela, WeeklyHours(kela.open_hours, kela.open_weekdays, self.calendar),
            self.questions.raised, self.questions.handle, self.on_duty["kela"], offline_days,
        )

    def _per_day(self, value: Callable[[Scenario], float]) -> np.ndarray:
        """A scenario value in force on each day of the calendar."""
        return self.timeline.per_day(self.calendar.n_days, value)

    def _pool(self, pool: str) -> StaffPool:
        settings = [pool_settings(period)[pool] for period in self.timeline.periods]
        return StaffPool(
            pool, on_duty=settings[0].staff, max_staff=max(s.staff for s in settings),
            caseload_cap=settings[0].caseload_cap, meeting_minutes=self.scenario.meeting.mean_minutes,
            day_minutes=meeting_minutes_per_day(self.timeline, self.calendar, pool),
            reserve_share=self._per_day(lambda s: s.meeting.first_meeting_reserve_share
                                        if s.meeting.first_meeting_policy == "reserve" else 0.0),
        )

    # -- run -------------------------------------------------------------------------------
    def run(self, on_day: Progress | None = None) -> Observations:
        """Simulate the horizon (warm-up plus statistics window) and return what was observed.

        ``on_day`` (e.g. a progress bar's ``update``) is called with 1 after each simulated day,
        ``horizon`` times in all; it sees nothing of the model, so it cannot change a number."""
        collecting = gc.isenabled()
        gc.disable()  # hundreds of thousands of live objects and no cycles: the collector only costs time
        try:
            self.journeys.register_initial_clients(self.population)
            self.env.process(self._days(on_day))
            self.env.run(until=self.horizon)
        finally:
            if collecting:
                gc.enable()
        return self._observations()

    def _days(self, on_day: Progress | None):
        """The days in order, each with its phases (see the module docstring); ``on_day(1)`` after each.
        The phases run as compiled code (:func:`simkit.model.day.run_days`), many days in one call; on
        the day of a dated event, the event runs in Python after the first phase."""
        env, day = self.env, 0
        starts = [start for start in sorted(self._period_starts) if start < self.horizon] + [self.horizon]
        while day < self.horizon:
            if day > env.now:
                yield env.timeout(day - env.now)
            phases = ALL
            if day in self._period_starts:
                self._run(day, day + 1, RELEASE, None)
                self._apply_dated_events(day)
                phases = MEETINGS | CLIENTS
            end = min(next(start for start in starts if start > day), day + CHUNK_DAYS)
            self._run(day, end, phases, on_day)
            day = end

    def _run(self, day: int, end: int, phases: int, on_day: Progress | None) -> None:
        """Run the days ``[day, end)`` (``phases`` on the first), making room in the arrays and drawing
        no-shows ahead whenever the compiled days stop for it."""
        while day < end:
            reached = run_days(self.meetings.office, self.journeys.state, self.statements.state, self.statements.rules,
                               self.services.state, self._working, day, end, phases)
            for _ in range(reached - day) if on_day is not None else ():
                on_day(1)
            if reached < end:
                events = self.journeys.events_on(reached)
                for pool in self.pools.values():
                    pool.make_room(events + self.statements.raised_on(reached))
                self.journeys.make_room(events + 1024)
                self.meetings.draw_no_shows(sum(int(pool.state.entries_on[reached]) for pool in self.pools.values()))
                phases = phases if reached == day else ALL
            day = reached

    # -- dated events ----------------------------------------------------------------------
    def _apply_dated_events(self, day: int) -> None:
        """Put the next period's scenario in force: rules, caps, staff on duty, clients' side."""
        self.journeys.now = float(day)
        index = self._period_starts[day]
        self._put_in_force(index)
        scenario = self.timeline.periods[index]
        for name, settings in pool_settings(scenario).items():
            pool = self.pools[name]
            pool.caseload_cap = settings.caseload_cap
            self.journeys.set_on_duty(pool, settings.staff)
        self.kela.set_contact_persons(day, scenario.kela.contact_persons)
        self.journeys.move_to_their_side(scenario.rules.pilot, self.population.attributes)
        for pool in self.pools.values():
            self.journeys.admit_from_waiting_list(pool)

    def _put_in_force(self, index: int) -> None:
        """The rules of period ``index`` that the meetings and statements read."""
        scenario = self.timeline.periods[index]
        self.meetings.set_rules(scenario)
        self.statements.set_rules(scenario)

    # -- observations ----------------------------------------------------------------------
    def _observations(self) -> Observations:
        horizon, pools = self.horizon, self.pools
        self.meetings.close(horizon)
        records = {name: pool.record(horizon, self.on_duty[name], self.meetings.first_meetings_of(index))
                   for index, (name, pool) in enumerate(pools.items())}
        kela = self.kela.record(self.questions, horizon, self.on_duty["kela"])
        services = self.services.close(horizon)
        return Observations(
            scenario=self.scenario,
            seed=self.seed,
            replication=self.replication,
            window=(self.scenario.scenario.warmup_days, horizon),
            dates=self.calendar.dates()[:horizon],
            population=self.population,
            final_state=np.asarray(self.clients.state),
            stays=self.journeys.stay_table(self.population.exit),
            first_meetings=first_meeting_record(self.clients, self.meetings.first_meetings_of(), self.calendar,
                                                self.population),
            pools=records,
            kela=kela,
            statements=self.statements.record(),
            services=services,
            events=EventCounts(
                client_events=self.journeys.events_handled,
                meetings=int(sum(record.held.sum() + record.no_shows.sum() for record in records.values())),
                statements=self.statements.handled,
                referrals=self.services.referrals,
                calls=int(np.count_nonzero(~np.isnan(kela.answered_at))),
            ),
        )
