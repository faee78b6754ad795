"""The office's work beside meetings in the reference model, written to be read: labour-policy
statements (written in a diary, or by the central unit) and services (queues for places).
A mix-in of :class:`simkit.model.reference.ReferenceArea`; the engine's are
:mod:`simkit.model.statements` and :mod:`simkit.model.services`."""

from __future__ import annotations

import math

import numpy as np

from simkit.model.reference_parts import NOT_BOOKED, WITH_STAFF


class OfficeWork:
    """Statements and services (a mix-in of ReferenceArea)."""

    def write_statements(self, day: int) -> None:
        """The statements waiting for a writer first; then each statement raised
        today: the rules' expert share goes to the central unit (its statement ``expert_days`` later),
        the others are written in a diary."""
        (raised, _), rules = self.draws.statements, self.statement_rules
        waiting, self.statements_waiting = self.statements_waiting, []
        for statement in waiting:  # tried every day: the staff on duty change only with a dated event
            self.write_statement(statement, day)
        for statement in np.flatnonzero((raised >= day) & (raised < day + 1)):
            if self.draws.statement_referral[statement] < rules.expert_share:
                self.statement_referred[statement] = True
                self.statement_written[statement] = day + math.ceil(rules.expert_days)
            else:
                self.write_statement(statement, day)

    def write_statement(self, statement: int, day: int) -> None:
        """The client's coach writes it (the rules' share of pilot clients'), else the next TE expert on duty
        in turn; a pool with nobody on duty hands it to the other; with nobody in either it waits.

        The writer works through statements in the order raised: from today or the day of their previous
        statement, whichever is later. The statement is written on the first day the diary has time. When
        statements go before routine meetings (``statements.priority``, the default) and the diary is full
        until then, the first day with a routine meeting is taken instead: that meeting gives way (``give_way``),
        the statement takes its minutes from the day, and the meeting is booked again from its day as any
        meeting is (``book_again``): on what is left of the day, running over into the next days with time.
        Kela decides the client's benefit
        on the statement, so the client's money does not wait behind routine meetings. Today's meetings are
        already held, so the first meeting that can give way is tomorrow's."""
        client = self.clients[self.draws.statements[1][statement]]
        te = len(self.pools) - 1
        by_coach = client.municipal and self.draws.statement_writer[statement] < self.statement_rules.coach_share
        staffed = [index for index in ((client.team, te) if by_coach else (te, client.team)) if self.pools[index].on_duty]
        if not staffed:
            return self.statements_waiting.append(statement)
        index, pool = staffed[0], self.pools[staffed[0]]
        person = client.person if client.state == WITH_STAFF and self.pool_index(client) == index else pool.next_in_turn()
        earliest = max(day, self.writer_last_day.get((index, person), 0))
        gave_way = self.give_way(pool, person, earliest, pool.open_day(person, earliest, first=False)) \
            if self.statements_first else None
        self.statement_pool[statement] = index
        self.statement_written[statement] = written = pool.take(person, earliest, self.statement_rules.minutes) \
            if gave_way is None else pool.take(person, gave_way.booked_day, self.statement_rules.minutes, in_place=True)
        self.book_again(pool, gave_way, self.statement_rules.minutes)
        if written != NOT_BOOKED:
            self.writer_last_day[index, person] = written

    def run_services(self, day: int) -> None:
        """Yesterday's referrals of pilot clients with a coach join the queues; free places are filled."""
        for places, (times, referred) in zip(self.places, self.draws.referrals):
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
                if client.first_done and client.booked_day > day and client.owed_day > day:  # the next moves out
                    pool = self.pool_of(client)
                    pool.give_back(client.person, client.booked_day, self.meeting_minutes)
                    pool.count("owed", client.owed_day, -1)
                    self.book_next_meeting(client, pool, day + 1)
