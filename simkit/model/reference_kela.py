"""The reference model's Kela contact line, written to be read: coaches phone questions in while the
line is open; each contact person on duty answers a callback first, else the longest on hold
(the engine's is :mod:`simkit.model.kela`)."""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import simpy

from simkit.model.calendar import MINUTES_PER_DAY, WeeklyHours
from simkit.model.reference_parts import Draws
from simkit.scenario.schema import Scenario


class KelaLine:
    """The Kela contact line: coaches phone questions in while it is open; each contact person on duty,
    when on the line (open, not in the day's staggered off-line block), answers a callback first (a coach
    on hold longer than the patience left one), else the longest on hold."""

    def __init__(self, env: simpy.Environment, scenario: Scenario, draws: Draws):
        kela, n_days, self.env = draws.timeline.periods[0].kela, draws.calendar.n_days, env  # in force on day 0
        self.hours = hours = WeeklyHours(kela.open_hours, kela.open_weekdays, draws.calendar)
        on_duty = draws.timeline.per_day(n_days, lambda s: s.kela.contact_persons)
        offline = draws.timeline.per_day(n_days, lambda s: s.kela.offline_hours_per_week / s.kela.open_weekdays / 24.0)
        self.offline = (np.minimum(offline, hours.length) * hours.open_day).tolist()  # days off the line each day
        self.people, self.on_duty = max(1, int(on_duty.max())), kela.contact_persons
        self.patience = kela.patience_minutes / MINUTES_PER_DAY
        raised, self.handle = draws.questions.raised, draws.questions.handle.tolist()
        self.placed = (hours.next_open(raised) if len(raised) else raised.copy()).tolist()
        self.answered = np.full(len(raised), np.nan)
        self.on_hold, self.callbacks, self.idle, self.off_duty = deque(), deque(), deque(), []
        env.process(self.coaches_calling())
        for person in range(int(on_duty.max())):
            env.process(self.contact_person(person))

    def coaches_calling(self):
        for question, time in enumerate(self.placed):
            if time > self.env.now:
                yield self.env.timeout(time - self.env.now)
            self.on_hold.append(question)
            self.wake_one()

    def contact_person(self, person: int):
        env, hours = self.env, self.hours
        while True:
            if person >= self.on_duty:
                yield self.sleep(self.off_duty, person)
                continue
            closed_for = 0.0 if hours.always else hours.wait_until_open(env.now)
            offline_for = self.offline_for(person, env.now) if closed_for <= 0.0 else 0.0
            if closed_for > 0.0 or offline_for > 0.0:
                if offline_for > 0.0 and (self.on_hold or self.callbacks):
                    self.wake_one()  # someone else takes the waiting calls
                yield env.timeout(closed_for if closed_for > 0.0 else offline_for)
                continue
            question = self.next_question(env.now)
            if question < 0:
                yield self.sleep(self.idle, person)
                continue
            self.answered[question] = env.now
            yield env.timeout(self.handle[question])

    def set_on_duty(self, count: int) -> None:
        """From now on ``count`` contact persons answer (one on a call leaves after it)."""
        self.on_duty = count
        back = [sleeper for sleeper in self.off_duty if sleeper[0] < count]
        self.off_duty = [sleeper for sleeper in self.off_duty if sleeper[0] >= count]
        for _, wake in back:
            wake.succeed()

    def sleep(self, where: deque | list, person: int) -> simpy.Event:
        wake = self.env.event()
        where.append((person, wake))
        return wake

    def wake_one(self) -> None:
        """Wake an idle contact person on duty for the calls waiting."""
        while self.idle:
            person, wake = self.idle.popleft()
            if person < self.on_duty:
                wake.succeed()
                return
            self.off_duty.append((person, wake))

    def offline_for(self, person: int, time: float) -> float:
        """Days until the person's off-line block of the day ends (0.0 outside it)."""
        day = int(time)
        block = self.offline[day]
        if not block:
            return 0.0
        begins = day + self.hours.first + person / self.people * (self.hours.length - block)
        return begins + block - time if begins <= time < begins + block else 0.0

    def next_question(self, now: float) -> int:
        while not math.isinf(self.patience) and self.on_hold and self.placed[self.on_hold[0]] + self.patience < now:
            self.callbacks.append(self.on_hold.popleft())  # the coach left a callback request
        if self.callbacks:
            return self.callbacks.popleft()
        return self.on_hold.popleft() if self.on_hold else -1
