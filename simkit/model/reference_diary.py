"""The reference model's diary rules: what a client is owed, and first meetings first.

A part of :class:`simkit.model.reference.ReferenceArea` (read that first), kept apart to keep each
module short. Every meeting the rules require while the client is with a person is owed; it is
held on time, late, or missed (not held before the next one falls due, or before the client
leaves). See :mod:`simkit.model.meetings` for the same rules in the fast engine.
"""

from __future__ import annotations

import math

from simkit.model.reference_parts import NOT_OWED, WITH_STAFF, Client, Pool


class OwedMeetings:
    """Due dates, the meetings owed, and the booking of first meetings (a mix-in of ReferenceArea)."""

    def next_due(self, client: Client, from_day: int) -> float:
        """The first day on or after ``from_day`` on which a meeting is due by the rules for the client's
        status (inf: none)."""
        due = self.rules.next_due(client.status, client.registration, from_day, 0, client.new_job_search,
                                  client.supplementary_need)
        return due if due == math.inf else max(from_day, math.floor(due))

    def dues_fallen(self, client: Client, pool: Pool, due_day: int, before: float) -> list[int]:
        """The plan's dues after ``due_day`` that fell before ``before``, owed too (none before the first meeting)."""
        fallen = []
        due = self.next_due(client, due_day + 1) if client.first_done else math.inf
        while due < before:
            fallen.append(int(due))
            self.owe(client, pool, int(due))
            due = self.next_due(client, int(due) + 1)
        return fallen

    def owe(self, client: Client, pool: Pool, due_day: int) -> None:
        client.owed_day = due_day
        pool.count("owed", due_day)

    def book_first(self, client: Client, pool: Pool, earliest: int) -> int:
        """The first meeting, on the first day with time for it; under the "bump" policy, one that would be
        late takes the place of a routine meeting (``give_way``)."""
        open_day = pool.open_day(client.person, earliest, first=True)
        late = self.bump and open_day > client.owed_day
        gave_way = self.give_way(pool, client.person, earliest, open_day) if late else None
        day = self.book(client, pool, earliest, first=True) if gave_way is None \
            else self.book(client, pool, gave_way.booked_day, first=True, in_place=True)
        self.book_again(pool, gave_way, self.meeting_minutes)
        return day

    def give_way(self, pool: Pool, person: int, earliest: int, before: int) -> Client | None:
        """Work that goes first (a late first meeting, a statement) needs time before ``before``, the day
        the person's diary has time again. On the first day from ``earliest`` with a routine meeting (a
        client who has had the first meeting), the last one booked that day gives way: its minutes are
        freed for the work. First meetings never give way. The client who gave way, or None."""
        for day in range(earliest, before):
            routine = [c for c in pool.booked_on.get(day, []) if c.booked_day == day and c.person == person
                       and c.first_done and c.state == WITH_STAFF and self.pool_of(c) is pool]
            if routine:
                pool.give_back(person, day, self.meeting_minutes)
                return routine[-1]
        return None

    def book_again(self, pool: Pool, client: Client | None, work_minutes: float) -> None:
        """Once the work (``work_minutes``) has its minutes, the meeting that gave way is booked again: work
        shorter than the meeting leaves it on its own day (on what the work left of the minutes it gave
        back, running over into the next days with time); work that took them all sends it to the next day
        with time, as any meeting is booked from its day."""
        if client is not None:
            client.booked_day = self.book(client, pool, client.booked_day,
                                          in_place=work_minutes < self.meeting_minutes)

    def count_pending(self) -> None:
        """At the end: meetings owed that fell due before the horizon, neither held nor missed, are pending."""
        for client in self.clients:
            if client.state == WITH_STAFF and client.owed_day != NOT_OWED and client.owed_day < self.horizon:
                pool = self.pool_of(client)
                for due_day in [client.owed_day, *self.dues_fallen(client, pool, client.owed_day, self.horizon)]:
                    pool.count("pending", due_day)
