"""The simulation engine of one employment area. Reading order:

1. :mod:`~simkit.model.engine` – the area model: what it builds, and the day loop with the day's
   phases named (dated events, meetings, statements, services, client events), which run as
   compiled code (:mod:`~simkit.model.day`, :mod:`~simkit.model.compiled`);
2. :mod:`~simkit.model.client_table` and :mod:`~simkit.model.journey` – the client table and a
   client's journey: register, get a person or wait, leave, be admitted from the waiting list;
3. :mod:`~simkit.model.rules`, :mod:`~simkit.model.meetings` and :mod:`~simkit.model.office` – the
   meeting rules, the booking and holding of meetings, and the state the compiled code takes;
4. :mod:`~simkit.model.staff`, :mod:`~simkit.model.diary`, :mod:`~simkit.model.pool_state` – a
   staff pool: caseloads with a cap, the waiting list, the diary, and its arrays;
5. :mod:`~simkit.model.statements`, :mod:`~simkit.model.services`, :mod:`~simkit.model.kela` –
   labour-policy statements, services with limited places, the Kela contact line;
6. :mod:`~simkit.model.clients` – everything drawn up front: the population, the pilot rule,
   Kela questions and other client events; :mod:`~simkit.model.spells` (how long a job search
   lasts) and :mod:`~simkit.model.status` (each client's status path: unemployed, in a service,
   in education, employed); :mod:`~simkit.model.calendar` (working days, opening hours) and
   :mod:`~simkit.model.streams` (the named random streams).

A run ends in :class:`simkit.observations.Observations` (plain arrays), which
:mod:`simkit.metrics` turns into metrics. See ``docs/architecture.md``.
"""
