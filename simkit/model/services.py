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
def run_services(office: Office, services: ServicesState, day: int) -> None:
    """Yesterday's referrals of pilot clients with a coach (not in a service nor queued for one) join
    the queues; the places freed by today go to those queued; a client who starts a service has the
    next meeting moved out."""
    clients = office.clients
    for service in range(len(services.places)):
        ends = services.day_ends[service]
        first = ends[day - 2] if day >= 2 else services.first_row[service]
        last = ends[day - 1] if day >= 1 else services.first_row[service]
        for referral in range(first, last):
            client = services.who[referral]
            if (clients.state[client] == WITH_STAFF and clients.municipal[client]
                    and clients.service_until[client] <= day and not clients.queued_for[client]):
                clients.queued_for[client] += 1
                refer(services, service, client, services.times[referral])
        admit(office, services, service, day)


@compiled
def refer(services: ServicesState, service: int, client: int, time: float) -> None:
    """The client joins the service's queue (a row of its log)."""
    ints, row = services.ints, services.first_row[service] + services.ints[REFERRALS, service]
    ints[REFERRALS, service] += 1
    services.client[row], services.referred[row] = client, time
    services.started[row], services.ended[row] = np.nan, np.nan
    services.queue[services.first_row[service] + ints[TAIL, service]] = row
    ints[TAIL, service] += 1


@compiled
def admit(office: Office, services: ServicesState, service: int, day: int) -> None:
    """Free the places of those who finished by ``day``, then give places to the queue; a queued
    client who is no longer a pilot client with a coach (left, or moved to the TE office) is dropped."""
    clients, ints, base = office.clients, services.ints, services.first_row[service]
    place = 0
    while place < ints[TAKING, service]:
        if services.in_service[base + place] <= day:  # (which place frees first does not matter)
            ints[TAKING, service] -= 1
            services.in_service[base + place] = services.in_service[base + ints[TAKING, service]]
        else:
            place += 1
    while ints[HEAD, service] < ints[TAIL, service] and ints[TAKING, service] < services.places[service]:
        row = services.queue[base + ints[HEAD, service]]
        ints[HEAD, service] += 1
        client = services.client[row]
        clients.queued_for[client] -= 1
        if not (clients.state[client] == WITH_STAFF and clients.municipal[client]):
            services.ended[row] = min(day, services.exits[client])
            continue
        ends = min(day + services.duration_days[service], services.exits[client])
        services.started[row], services.ended[row] = float(day), ends
        services.in_service[base + ints[TAKING, service]] = ends
        ints[TAKING, service] += 1
        clients.service_until[client] = ends
        clients.service_factor[client] = services.meeting_interval_factor[service]
        move_out_for_service(office, client, day)


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
        services, records = self.state, {}
        for service, name in enumerate(self.names):
            base, ints = int(services.first_row[service]), services.ints[:, service]
            for row in services.queue[base + ints[HEAD]:base + ints[TAIL]]:
                services.ended[row] = min(horizon, services.exits[services.client[row]])
            log = slice(base, base + int(ints[REFERRALS]))
            records[name] = ServiceRecord(client=services.client[log].astype(int),
                                          referred=services.referred[log].copy(),
                                          started=services.started[log].copy(), ended=services.ended[log].copy())
        return records
