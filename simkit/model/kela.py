"""The Kela contact line (yhdyshenkilö) that coaches phone about their clients' benefits.

``contact_persons`` servers answer calls in one FIFO queue while the line is open. A coach
who has waited ``patience_minutes`` leaves a callback request; a contact person handles
callbacks before new calls. Questions raised while the line is closed are phoned in when it
opens. Each contact person spends a block of each open day off the line (client meetings,
network work: ``offline_hours_per_week``), the blocks staggered so that the line stays staffed.
Abandonment is settled when a contact person next looks at the queue, which gives the same
order of service as settling it at the moment the coach gives up.
"""

from __future__ import annotations

import math
from collections import deque

import numpy as np
import simpy

from simkit.model.calendar import MINUTES_PER_DAY, WeeklyHours
from simkit.model.clients import KelaQuestions
from simkit.observations import KelaRecord
from simkit.scenario.schema import Kela


class KelaContactLine:
    """SimPy processes of the contact line; results are kept per question in numpy arrays."""

    def __init__(self, env: simpy.Environment, kela: Kela, hours: WeeklyHours, raised: np.ndarray,
                 handle: np.ndarray, on_duty_per_day: np.ndarray, offline_per_day: np.ndarray):
        self.env = env
        self.hours = hours
        self.offline_per_day = np.minimum(offline_per_day, hours.length) * hours.open_day  # days
        self._offline = self.offline_per_day.tolist()
        self._people = max(1, int(on_duty_per_day.max()))
        self.on_duty = kela.contact_persons
        self.patience = kela.patience_minutes / MINUTES_PER_DAY
        self.raised = raised
        self.handle = handle
        self.placed = hours.next_open(raised) if len(raised) else raised.copy()
        self.answered_at = np.full(len(raised), np.nan)
        self.called_back = np.zeros(len(raised), dtype=bool)
        self._placed = self.placed.tolist()
        self._handle = handle.tolist()
        self._on_hold: deque[int] = deque()
        self._callbacks: deque[int] = deque()
        self._idle: deque[tuple[int, simpy.Event]] = deque()
        self._off_duty: list[tuple[int, simpy.Event]] = []
        env.process(self._coaches_calling())
        for person in range(int(on_duty_per_day.max())):
            env.process(self._contact_person(person))

    def record(self, questions: KelaQuestions, horizon: int, on_duty_per_day: np.ndarray) -> KelaRecord:
        """The questions' calls and the line's days ``[0, horizon)`` as plain arrays."""
        open_time = self.hours.open_days_per_day(horizon) - self.offline_per_day[:horizon]
        return KelaRecord(
            raised=self.raised, placed=self.placed, answered_at=self.answered_at, called_back=self.called_back,
            handle=self.handle, client=questions.client, kind=questions.kind, patience=self.patience,
            on_duty=on_duty_per_day[:horizon], line_days=open_time * on_duty_per_day[:horizon],
        )

    def _offline_for(self, person: int, time: float) -> float:
        """Days until ``person``'s off-line block of the day ends (0.0 outside it)."""
        day = int(time)
        block = self._offline[day]
        if not block:
            return 0.0
        begins = day + self.hours.first + person / self._people * (self.hours.length - block)
        return begins + block - time if begins <= time < begins + block else 0.0

    def _wake_one(self) -> None:
        """Wake an idle contact person on duty for the calls waiting."""
        while self._idle:
            person, wake = self._idle.popleft()
            if person < self.on_duty:
                wake.succeed()
                return
            self._off_duty.append((person, wake))

    def set_contact_persons(self, count: int) -> None:
        """From now on ``count`` contact persons answer (one finishing a call leaves after it)."""
        self.on_duty = count
        back, self._off_duty = [w for w in self._off_duty if w[0] < count], [w for w in self._off_duty if w[0] >= count]
        for _, wake in back:
            wake.succeed()

    def _coaches_calling(self):
        env = self.env
        for question, time in enumerate(self._placed):
            if time > env.now:
                yield env.timeout(time - env.now)
            self._on_hold.append(question)
            self._wake_one()

    def _contact_person(self, person: int):
        env = self.env
        while True:
            if person >= self.on_duty:
                wake = env.event()
                self._off_duty.append((person, wake))
                yield wake
                continue
            if not self.hours.always:
                closed_for = self.hours.wait_until_open(env.now)
                if closed_for > 0.0:
                    yield env.timeout(closed_for)
                    continue
            offline_for = self._offline_for(person, env.now)
            if offline_for > 0.0:
                if self._on_hold or self._callbacks:
                    self._wake_one()  # someone else takes the waiting calls
                yield env.timeout(offline_for)
                continue
            question = self._next_job(env.now)
            if question < 0:
                wake = env.event()
                self._idle.append((person, wake))
                yield wake
                continue
            self.answered_at[question] = env.now
            yield env.timeout(self._handle[question])

    def _next_job(self, now: float) -> int:
        """A callback first, else the longest-waiting caller still on hold; -1 if none."""
        on_hold, patience = self._on_hold, self.patience
        if not math.isinf(patience):
            placed = self._placed
            while on_hold and placed[on_hold[0]] + patience < now:
                question = on_hold.popleft()
                self.called_back[question] = True
                self._callbacks.append(question)
        if self._callbacks:
            return self._callbacks.popleft()
        if on_hold:
            return on_hold.popleft()
        return -1
