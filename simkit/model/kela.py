"""The Kela contact line (yhdyshenkilö) that coaches phone about their clients' benefits.

``contact_persons`` servers answer calls in one FIFO queue while the line is open. A coach
who has waited ``patience_minutes`` leaves a callback request; a contact person handles
callbacks before new calls. Questions raised while the line is closed are phoned in when it
opens. Each contact person spends a block of each open day off the line (client meetings,
network work: ``offline_hours_per_week``), the blocks staggered so that the line stays staffed.
Abandonment is settled when a contact person next looks at the queue, which gives the same
order of service as settling it at the moment the coach gives up.

The line reads nothing of the clients' model: the questions (when raised, how long each takes),
the opening hours, the off-line blocks and the dated changes of ``contact_persons`` are known
before it runs. So it is simulated on its own, in one compiled call (:mod:`simkit.model.compiled`)
when the run is recorded: a small discrete-event loop over numpy arrays whose processes are the
coaches calling, each contact person, and the engine's day loop (whose only part in the line is
to change the count on duty at the start of a dated event's day). It keeps SimPy's order of
events (:class:`simpy.Environment`): the earliest time first, at equal times the event scheduled
first; a process resumes when its event comes up, and waking a process schedules its event at
the current time; the run stops before the horizon. The reference model's line
(:mod:`simkit.model.reference_kela`) is the same rules as SimPy processes, to read.

A contact person, when resumed, does one of these and waits: off duty (``person >=`` the count
on duty) until the count rises; until the line opens; until the off-line block ends (first
waking an idle colleague if calls are waiting); idle until a call comes or a colleague goes off
the line; or on a call (a callback first, else the longest on hold) for its handle time.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from simkit.model.calendar import MINUTES_PER_DAY, WeeklyHours, until_open
from simkit.model.clients import KelaQuestions
from simkit.model.compiled import compiled
from simkit.observations import KelaRecord
from simkit.scenario.schema import Kela

# LineState.ints: the line's scalars. The questions [0, PLACED) have been phoned in: [CALLBACKS,
# ON_HOLD) are callback requests and [ON_HOLD, PLACED) are on hold, both in the order placed
# (a callback is always older than a call on hold, and a call on hold is taken only when there
# are no callbacks). IDLE_HEAD, IDLE_COUNT: the idle contact persons, a ring in ``idle``;
# OFF_DUTY_COUNT: the off-duty ones waiting in ``off_duty``; EVENTS and EVENT_ID: the event heap.
ON_DUTY, PLACED, CALLBACKS, ON_HOLD, IDLE_HEAD, IDLE_COUNT, OFF_DUTY_COUNT, EVENTS, EVENT_ID, CHANGE = range(10)


class LineState(NamedTuple):
    """The contact line as arrays: ``people`` contact persons, the coaches (process ``people``)
    and the day loop (process ``people + 1``), each waiting for one event at a time."""

    placed: np.ndarray  # float [questions]: when the call is placed (days)
    handle: np.ndarray  # float [questions]: handling time (days)
    answered_at: np.ndarray  # float [questions]: when a contact person took it (nan: not yet)
    called_back: np.ndarray  # bool [questions]: the coach left a callback request
    open_day: np.ndarray  # bool [days]: the line opens on the day
    next_open_day: np.ndarray  # int [days]: the next day after it that the line opens
    first: float  # days: the opening time within a day
    length: float  # days: the open time of an open day
    always: bool  # open around the clock every day
    offline: np.ndarray  # float [days]: each contact person's off-line block on the day (days)
    patience: float  # days on hold before a callback request (inf: never)
    change_day: np.ndarray  # int [changes]: the days on which the count on duty is set ...
    change_count: np.ndarray  # int [changes]: ... to this
    idle: np.ndarray  # int [people]: the idle contact persons, longest idle first (a ring)
    off_duty: np.ndarray  # int [people]: the off-duty contact persons waiting for the count to rise
    event_time: np.ndarray  # float [people + 2]: the event heap: when ...
    event_id: np.ndarray  # int [people + 2]: ... in the order scheduled ...
    event_process: np.ndarray  # int [people + 2]: ... which process resumes
    ints: np.ndarray  # int: ON_DUTY ... CHANGE


class KelaContactLine:
    """The contact line of one replication; :meth:`run` answers the calls, kept per question in numpy arrays."""

    def __init__(self, kela: Kela, hours: WeeklyHours, raised: np.ndarray, handle: np.ndarray,
                 on_duty_per_day: np.ndarray, offline_per_day: np.ndarray):
        self.hours = hours
        self.offline_per_day = np.minimum(offline_per_day, hours.length) * hours.open_day  # days
        self._people = int(on_duty_per_day.max())
        self._on_duty = kela.contact_persons
        self._changes: list[tuple[int, int]] = []
        self.patience = kela.patience_minutes / MINUTES_PER_DAY
        self.raised = raised
        self.handle = handle
        self.placed = hours.next_open(raised) if len(raised) else raised.copy()
        self.answered_at = np.full(len(raised), np.nan)
        self.called_back = np.zeros(len(raised), dtype=bool)

    def set_contact_persons(self, day: int, count: int) -> None:
        """From the start of ``day`` ``count`` contact persons answer (one finishing a call leaves after it)."""
        self._changes.append((day, count))

    def run(self, horizon: int) -> None:
        """Answer the calls in days ``[0, horizon)``: fills ``answered_at`` and ``called_back``."""
        self.answered_at[:] = np.nan
        self.called_back[:] = False
        people, changes = self._people, np.array(self._changes, dtype=np.int64).reshape(-1, 2)
        ints = np.zeros(CHANGE + 1, dtype=np.int64)
        ints[ON_DUTY] = self._on_duty
        state = LineState(
            placed=self.placed, handle=self.handle, answered_at=self.answered_at, called_back=self.called_back,
            open_day=self.hours.open_day, next_open_day=self.hours.next_open_day, first=self.hours.first,
            length=self.hours.length, always=self.hours.always, offline=self.offline_per_day,
            patience=self.patience, change_day=changes[:, 0].copy(), change_count=changes[:, 1].copy(),
            idle=np.zeros(people, dtype=np.int64), off_duty=np.zeros(people, dtype=np.int64),
            event_time=np.zeros(people + 2), event_id=np.zeros(people + 2, dtype=np.int64),
            event_process=np.zeros(people + 2, dtype=np.int64), ints=ints,
        )
        run_line(state, people, float(horizon))

    def record(self, questions: KelaQuestions, horizon: int, on_duty_per_day: np.ndarray) -> KelaRecord:
        """The questions' calls answered in days ``[0, horizon)`` and the line's days, as plain arrays."""
        self.run(horizon)
        open_time = self.hours.open_days_per_day(horizon) - self.offline_per_day[:horizon]
        return KelaRecord(
            raised=self.raised, placed=self.placed, answered_at=self.answered_at, called_back=self.called_back,
            handle=self.handle, client=questions.client, kind=questions.kind, patience=self.patience,
            on_duty=on_duty_per_day[:horizon], line_days=open_time * on_duty_per_day[:horizon],
        )


# -- the event loop --------------------------------------------------------------------------
@compiled
def run_line(line: LineState, people: int, horizon: float) -> None:
    """Run the line's processes from time 0 until ``horizon`` (days; events at it do not happen).

    At time 0 the processes start in the order SimPy creates them: the coaches, the contact
    persons, then the day loop, which resumes at the start of each day up to the last change."""
    coaches, days = people, people + 1
    _coaches_calling(line, people, 0.0, False)
    for person in range(people):
        _contact_person(line, people, person, 0.0)
    if len(line.change_day):
        _schedule(line, 1.0, days)
    while line.ints[EVENTS] and line.event_time[0] < horizon:
        now, process = _next_event(line)
        if process == coaches:
            _coaches_calling(line, people, now, True)
        elif process == days:
            _day_starts(line, people, now)
        else:
            _contact_person(line, people, process, now)


@compiled
def _day_starts(line: LineState, people: int, now: float) -> None:
    """The day loop at the start of day ``now``: the day's change of the count, then wait for the next day."""
    change = line.ints[CHANGE]
    if change < len(line.change_day) and line.change_day[change] == now:
        _set_on_duty(line, line.change_count[change], now)
        line.ints[CHANGE] = change + 1
    if line.ints[CHANGE] < len(line.change_day):
        _schedule(line, now + 1.0, people + 1)


@compiled
def _coaches_calling(line: LineState, people: int, now: float, waited: bool) -> None:
    """Put each call on hold at its time (``waited``: the next call's time has come) and wake a contact person."""
    question = line.ints[PLACED]
    if waited:
        question = _place(line, question, now)
    while question < len(line.placed):
        time = line.placed[question]
        if time > now:
            _schedule(line, now + (time - now), people)
            return
        question = _place(line, question, now)


@compiled
def _place(line: LineState, question: int, now: float) -> int:
    line.ints[PLACED] = question + 1
    _wake_one(line, now)
    return question + 1


@compiled
def _contact_person(line: LineState, people: int, person: int, now: float) -> None:
    """What ``person`` does on resuming at ``now``, up to the event it waits for next."""
    if person >= line.ints[ON_DUTY]:
        line.off_duty[line.ints[OFF_DUTY_COUNT]] = person
        line.ints[OFF_DUTY_COUNT] += 1
        return
    if not line.always:
        closed_for = until_open(line.open_day, line.next_open_day, line.first, line.length, now)
        if closed_for > 0.0:
            _schedule(line, now + closed_for, person)
            return
    offline_for = _offline_for(line, people, person, now)
    if offline_for > 0.0:
        if line.ints[CALLBACKS] < line.ints[PLACED]:
            _wake_one(line, now)  # someone else takes the waiting calls
        _schedule(line, now + offline_for, person)
        return
    question = _next_job(line, now)
    if question < 0:
        line.idle[(line.ints[IDLE_HEAD] + line.ints[IDLE_COUNT]) % len(line.idle)] = person
        line.ints[IDLE_COUNT] += 1
        return
    line.answered_at[question] = now
    _schedule(line, now + line.handle[question], person)


@compiled
def _next_job(line: LineState, now: float) -> int:
    """A callback first, else the longest-waiting caller still on hold; -1 if none."""
    on_hold = line.ints[ON_HOLD]
    if not np.isinf(line.patience):
        while on_hold < line.ints[PLACED] and line.placed[on_hold] + line.patience < now:
            line.called_back[on_hold] = True
            on_hold += 1
        line.ints[ON_HOLD] = on_hold
    if line.ints[CALLBACKS] < on_hold:
        line.ints[CALLBACKS] += 1
        return line.ints[CALLBACKS] - 1
    if on_hold < line.ints[PLACED]:
        line.ints[CALLBACKS] = line.ints[ON_HOLD] = on_hold + 1
        return on_hold
    return -1


@compiled
def _wake_one(line: LineState, now: float) -> None:
    """Wake an idle contact person on duty for the calls waiting (the idle off duty go off duty)."""
    while line.ints[IDLE_COUNT]:
        person = line.idle[line.ints[IDLE_HEAD]]
        line.ints[IDLE_HEAD] = (line.ints[IDLE_HEAD] + 1) % len(line.idle)
        line.ints[IDLE_COUNT] -= 1
        if person < line.ints[ON_DUTY]:
            _schedule(line, now, person)
            return
        line.off_duty[line.ints[OFF_DUTY_COUNT]] = person
        line.ints[OFF_DUTY_COUNT] += 1


@compiled
def _set_on_duty(line: LineState, count: int, now: float) -> None:
    """From now on ``count`` contact persons answer: wake the off-duty ones among them, in the order they left."""
    line.ints[ON_DUTY] = count
    kept = 0
    for index in range(line.ints[OFF_DUTY_COUNT]):
        person = line.off_duty[index]
        if person < count:
            _schedule(line, now, person)
        else:
            line.off_duty[kept] = person
            kept += 1
    line.ints[OFF_DUTY_COUNT] = kept


@compiled
def _offline_for(line: LineState, people: int, person: int, time: float) -> float:
    """Days until ``person``'s off-line block of the day ends (0.0 outside it)."""
    day = int(time)
    block = line.offline[day]
    if block == 0.0:
        return 0.0
    begins = day + line.first + person / people * (line.length - block)
    return begins + block - time if begins <= time < begins + block else 0.0


# -- the event heap: the earliest time first, at equal times the first scheduled ---------------
@compiled
def _schedule(line: LineState, time: float, process: int) -> None:
    """``process`` resumes at ``time``."""
    event = line.ints[EVENT_ID]
    line.ints[EVENT_ID] = event + 1
    index = line.ints[EVENTS]
    line.ints[EVENTS] = index + 1
    while index > 0:
        parent = (index - 1) >> 1
        if line.event_time[parent] < time or (line.event_time[parent] == time and line.event_id[parent] < event):
            break
        _move(line, parent, index)
        index = parent
    line.event_time[index], line.event_id[index], line.event_process[index] = time, event, process


@compiled
def _next_event(line: LineState) -> tuple[float, int]:
    """Take the next event off the heap: its time and process."""
    time, process = line.event_time[0], line.event_process[0]
    size = line.ints[EVENTS] - 1
    line.ints[EVENTS] = size
    last_time, last_id = line.event_time[size], line.event_id[size]
    index = 0
    while True:
        child = 2 * index + 1
        if child >= size:
            break
        if child + 1 < size and _before(line, child + 1, child):
            child += 1
        if last_time < line.event_time[child] or (
                last_time == line.event_time[child] and last_id < line.event_id[child]):
            break
        _move(line, child, index)
        index = child
    _move(line, size, index)
    return time, process


@compiled
def _before(line: LineState, a: int, b: int) -> bool:
    return line.event_time[a] < line.event_time[b] or (
        line.event_time[a] == line.event_time[b] and line.event_id[a] < line.event_id[b])


@compiled
def _move(line: LineState, source: int, target: int) -> None:
    line.event_time[target], line.event_id[target], line.event_process[target] = (
        line.event_time[source], line.event_id[source], line.event_process[source])
