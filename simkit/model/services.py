"""Services with limited places (work trials, training, language courses, workshops).

Coaches refer pilot clients at a chance per month of spell that depends on the client's
segment. A referred client queues (first come, first served) for a place, spends
``duration_days`` in the service (less if the spell ends first) and meanwhile meets the coach
``meeting_interval_factor`` times less often. Handled once a day, at the start of the day, by
compiled code (:func:`run_services`; :mod:`simkit.model.compiled`) over the arrays of
:class:`ServicesState`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from simkit.model.calendar import WeeklyHours, day_ends
from simkit.model.client_table import WITH_STAFF
from simkit.model.clients import draw_client_events
from simkit.model.compiled import compiled
from simkit.model.meetings import move_out_for_service
from simkit.model.office import Office
from simkit.model.streams import stream_seed
from simkit.observations import Population, ServiceRecord
from simkit.scenario.schema import Scenario, Service
from simkit.scenario.timeline import Timeline

# Rows: a service s owns the referral rows [first_row[s], first_row[s + 1]) of the arrays below; the
# first referrals[s] of them are its log (in the order referred), and the queue is [head[s], tail[s]).


def monthly_hazard(service: Service, attributes: dict[str, np.ndarray]) -> np.ndarray:
    """Each client's referral rate per month: -ln(1 - p) for the first segment that fits."""
    under_30, language = attributes["under_30"], attributes["foreign_language"]
    chance = np.where(under_30, service.referral_per_month.under_30,
                      np.where(language, service.referral_per_month.foreign_language,
                               service.referral_per_month.other))
    return -np.log1p(-np.minimum(chance, 1.0 - 1e-12))


class ServicesState(NamedTuple):
    """Every service's referrals (drawn up front), queue, places taken and log, as arrays."""

    places: np.ndarray  # int [services]
    duration_days: np.ndarray  # float [services]
    meeting_interval_factor: np.ndarray  # float [services]
    first_row: np.ndarray  # int [services + 1]
    times: np.ndarray  # float [rows]: the drawn referrals' times ...
    who: np.ndarray  # int [rows]: ... and clients, in time order per service
    day_ends: np.ndarray  # int [services, horizon]: per service, the row just past each day's last referral
    client: np.ndarray  # int [rows]: the log: who was referred, ...
    referred: np.ndarray  # float [rows]: ... when, ...
    started: np.ndarray  # float [rows]: ... when the client got a place (nan: never) ...
    ended: np.ndarray  # float [rows]: ... and left it (or the queue)
    queue: np.ndarray  # int [rows]: log rows waiting for a place, first come first served
    in_service: np.ndarray  # float [rows]: when each place taken frees, [first_row[s], first_row[s] + taking[s])
    exits: np.ndarray  # float [clients]: when each client's spell ends
    ints: np.ndarray  # int [4, services]: REFERRALS, HEAD, TAIL, TAKING


REFERRALS, HEAD, TAIL, TAKING = range(4)


@compiled
def run_services(o: Office, sv: ServicesState, day: int) -> None:
    """Yesterday's referrals of pilot clients with a coach (not in a service nor queued for one) join
    the queues; the places freed by today go to those queued; a client who starts a service has the
    next meeting moved out."""
    c = o.clients
    for service in range(len(sv.places)):
        ends = sv.day_ends[service]
        first = ends[day - 2] if day >= 2 else sv.first_row[service]
        last = ends[day - 1] if day >= 1 else sv.first_row[service]
        for referral in range(first, last):
            client = sv.who[referral]
            if (c.state[client] == WITH_STAFF and c.municipal[client] and c.service_until[client] <= day
                    and not c.queued_for[client]):
                c.queued_for[client] += 1
                refer(sv, service, client, sv.times[referral])
        admit(o, sv, service, day)


@compiled
def refer(sv: ServicesState, service: int, client: int, time: float) -> None:
    """The client joins the service's queue (a row of its log)."""
    ints, row = sv.ints, sv.first_row[service] + sv.ints[REFERRALS, service]
    ints[REFERRALS, service] += 1
    sv.client[row], sv.referred[row], sv.started[row], sv.ended[row] = client, time, np.nan, np.nan
    sv.queue[sv.first_row[service] + ints[TAIL, service]] = row
    ints[TAIL, service] += 1


@compiled
def admit(o: Office, sv: ServicesState, service: int, day: int) -> None:
    """Free the places of those who finished by ``day``, then give places to the queue; a queued
    client who is no longer a pilot client with a coach (left, or moved to the TE office) is dropped."""
    c, ints, base = o.clients, sv.ints, sv.first_row[service]
    place = 0
    while place < ints[TAKING, service]:
        if sv.in_service[base + place] <= day:  # (which place frees first does not matter)
            ints[TAKING, service] -= 1
            sv.in_service[base + place] = sv.in_service[base + ints[TAKING, service]]
        else:
            place += 1
    while ints[HEAD, service] < ints[TAIL, service] and ints[TAKING, service] < sv.places[service]:
        row = sv.queue[base + ints[HEAD, service]]
        ints[HEAD, service] += 1
        client = sv.client[row]
        c.queued_for[client] -= 1
        if not (c.state[client] == WITH_STAFF and c.municipal[client]):
            sv.ended[row] = min(day, sv.exits[client])
            continue
        ends = min(day + sv.duration_days[service], sv.exits[client])
        sv.started[row], sv.ended[row] = float(day), ends
        sv.in_service[base + ints[TAKING, service]] = ends
        ints[TAKING, service] += 1
        c.service_until[client] = ends
        c.service_factor[client] = sv.meeting_interval_factor[service]
        move_out_for_service(o, client, day)


class Services:
    """Every service of the scenario: referrals (drawn up front, a stream per service), queues and places."""

    def __init__(self, scenario: Scenario, seed: int, replication: int, timeline: Timeline,
                 population: Population, horizon: int, working_hours: Callable[[np.ndarray | None], WeeklyHours]):
        times, who, ends, rows = [], [], [], [0]
        for service in scenario.services:
            rng = np.random.default_rng(stream_seed(seed, replication, f"service.{service.name}"))
            drawn, referred = draw_client_events(
                timeline, population, horizon, working_hours, lambda s: 1.0, rng,
                client_factor=monthly_hazard(service, population.attributes),
            )
            times.append(drawn)
            who.append(referred)
            ends.append(rows[-1] + np.asarray(day_ends(drawn, horizon), dtype=np.int64))
            rows.append(rows[-1] + len(drawn))
        services, count = len(scenario.services), rows[-1]
        self.names = [service.name for service in scenario.services]
        self.state = ServicesState(
            places=np.array([service.places for service in scenario.services], dtype=np.int64),
            duration_days=np.array([service.duration_days for service in scenario.services], dtype=float),
            meeting_interval_factor=np.array([s.meeting_interval_factor for s in scenario.services], dtype=float),
            first_row=np.asarray(rows, dtype=np.int64),
            times=np.concatenate(times) if times else np.zeros(0),
            who=np.concatenate(who).astype(np.int64) if who else np.zeros(0, np.int64),
            day_ends=np.asarray(ends, dtype=np.int64).reshape(services, horizon),
            client=np.zeros(count, np.int64), referred=np.zeros(count), started=np.zeros(count),
            ended=np.zeros(count), queue=np.zeros(count, np.int64), in_service=np.zeros(count),
            exits=population.exit.astype(float), ints=np.zeros((4, services), dtype=np.int64),
        )

    @property
    def referrals(self) -> int:
        """Referrals that joined a queue so far."""
        return int(self.state.ints[REFERRALS].sum())

    def close(self, horizon: int) -> dict[str, ServiceRecord]:
        """Each service's log; those still queued at the end of the run wait until they leave or the run ends."""
        sv, records = self.state, {}
        for service, name in enumerate(self.names):
            base, ints = int(sv.first_row[service]), sv.ints[:, service]
            for row in sv.queue[base + ints[HEAD]:base + ints[TAIL]]:
                sv.ended[row] = min(horizon, sv.exits[sv.client[row]])
            log = slice(base, base + int(ints[REFERRALS]))
            records[name] = ServiceRecord(client=sv.client[log].astype(int), referred=sv.referred[log].copy(),
                                          started=sv.started[log].copy(), ended=sv.ended[log].copy())
        return records
