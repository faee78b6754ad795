"""The metric registry: every number simkit reports, declared once.

It imports only the leaf :mod:`simkit.metric_declaration` (``Metric``, the units' names): the JSON
output, the CSV headers, the CLI tables, the plots and :func:`simkit.i18n.metric_label` all read the
name, unit, meaning and the labels in English, Finnish and Swedish from here. Summary metrics are in :data:`METRICS` (per service in
:data:`SERVICE_METRICS`), daily series columns in :data:`DAILY_COLUMNS`, and the units' names in
:data:`UNITS`.

Derived names resolve to their declaration with a qualifier (:func:`lookup`): a coach team's
metric ``coach.youth.caseload_mean`` is ``coach.caseload_mean`` for the team "youth", a Kela
question type's ``kela.benefits.wait_minutes_mean`` is ``kela.wait_minutes_mean`` for that type,
``services.coaching.queue_mean`` is ``queue_mean`` of the service "coaching", and the daily column
``coach_youth_caseload_mean`` is ``coach_caseload_mean`` of the team.

Terms follow the services' own usage: Finnish *omavalmentaja*, *TE-toimisto*, *TE-asiantuntija*,
*Kelan yhdyshenkilö*, *työvoimapoliittinen lausunto*; Swedish *personlig coach*, *TE-byrå*,
*sakkunnig*, *FPA:s kontaktperson*, *arbetssökande*, *arbetskraftspolitiskt utlåtande*, *kund*
(sources: the Swedish text of the act on municipal employment pilots, lag om kommunförsök för
främjande av sysselsättningen 1269/2020 (Finlex); TE-tjänster's and FPA's Swedish pages on the
pilots (te-palvelut.fi/sv, kela.fi/sv); Kela's own Swedish name is FPA, Folkpensionsanstalten).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from simkit.metric_declaration import LANGUAGES, SHARE, UNITS, Metric, labels, unit_name

__all__ = [  # the declaration's names are re-exported from here
    "DAILY_COLUMNS",
    "DAILY_COLUMN_BY_NAME",
    "LANGUAGES",
    "METRICS",
    "METRIC_BY_NAME",
    "SERVICE_METRICS",
    "SERVICE_METRIC_BY_NAME",
    "SHARE",
    "UNITS",
    "Metric",
    "Resolved",
    "is_share",
    "lookup",
    "metric_unit",
    "unit_name",
]


# -- summary metrics ----------------------------------------------------------------------------
# A staff pool's metrics, with the pool's name in each language: (en, fi, sv) and the person.
_POOLS = {
    "coach": ("coach", ("Coaches", "Omavalmentajat", "Personliga coacher")),
    "te": ("TE expert", ("TE experts", "TE-asiantuntijat", "Sakkunniga vid TE-byrån")),
}


def _pool_metrics(pool: str) -> list[Metric]:
    staff, (en, fi, sv) = _POOLS[pool]
    person_en = "expert" if pool == "te" else "coach"
    person_fi = "asiantuntija" if pool == "te" else "omavalmentaja"
    person_sv = "sakkunnig" if pool == "te" else "coach"

    def metric(key: str, unit: str, description: str, label_en: str, label_fi: str, label_sv: str) -> Metric:
        return Metric(f"{pool}.{key}", unit, description,
                      labels(f"{en}: {label_en}", f"{fi}: {label_fi}", f"{sv}: {label_sv}"))

    return [
        metric("caseload_mean", "clients per person", f"Time-weighted mean caseload of one {staff}.",
               f"clients per {person_en} (mean)", f"asiakkaita / {person_fi} (keskiarvo)",
               f"kunder per {person_sv} (medelvärde)"),
        metric("caseload_p95", "clients per person", f"95th percentile of end-of-day caseloads over {staff}s and days.",
               f"clients per {person_en} (95th pct)", f"asiakkaita / {person_fi} (95. persentiili)",
               f"kunder per {person_sv} (95:e percentilen)"),
        metric("utilisation", SHARE,
               f"Client time taken from the diaries of the window's days (meetings held or not attended, statements; "
               f"a meeting that ran over counts on the days it took) / client time available to {staff}s.",
               "client time used", "asiakasajan käyttöaste", "använd kundtid"),
        metric("hours_per_client_month", "hours per client per month", f"Meeting hours a client of a {staff} gets in a month.",
               "hours per client per month", "tapaamistunteja / asiakas / kk", "mötestimmar per kund och månad"),
        metric("first_meeting_working_days", "working days",
               "Mean working days from registration to the first meeting, of the clients counted in "
               "first_meeting_on_time_share who were met by the end; those never met are censored and reported as "
               "first_meeting_unmet_share.",
               "working days to first meeting", "työpäiviä ensitapaamiseen", "arbetsdagar till första mötet"),
        metric("first_meeting_on_time_share", SHARE,
               "Of the clients whose first-meeting deadline fell in the window (met on time, met late, still waiting "
               "at the end, or gone unmet after the deadline; not those who left unmet before it), the share met "
               f"within the deadline. A client counts for the {staff}s they were with when met on time, else at the "
               "deadline.",
               "first meetings on time", "ensitapaamiset ajallaan", "första möten i tid"),
        metric("first_meeting_unmet_share", SHARE,
               "Of the clients counted in first_meeting_on_time_share, the share never met: still waiting at the end, "
               "or gone after the deadline without a first meeting.",
               "first meetings not held", "ensitapaaminen pitämättä", "första möten som inte hållits"),
        metric("meetings_per_client_year", "meetings per client per year", f"Meetings held per client-year with a {staff}.",
               "meetings per client per year", "tapaamisia / asiakas / vuosi", "möten per kund och år"),
        metric("late_meeting_share", SHARE,
               "Share of meetings held after their due date (first meetings: after the deadline).",
               "late meetings", "myöhässä pidetyt tapaamiset", "försenade möten"),
        metric("meetings_owed_per_client_year", "meetings per client per year",
               f"Meetings the rules require while the client is with a {staff} (the first meeting and each due "
               f"date of the plan after it), counted by the day due, per client-year with a {staff}.",
               "meetings owed per client per year", "velvoitetut tapaamiset / asiakas / vuosi",
               "möten som krävs per kund och år"),
        metric("meetings_held_share", SHARE,
               "Meetings owed that were held, on time or late (by the day due; those still pending at the end "
               "count as not held).", "meetings owed that were held", "pidetyt velvoitetuista tapaamisista",
               "hållna av de möten som krävs"),
        metric("meetings_missed_per_client_year", "meetings per client per year",
               "Meetings owed and missed: not held before the next one fell due or before the client left, by "
               f"the day due, per client-year with a {staff}.", "meetings missed per client per year",
               "väliin jääneet tapaamiset / asiakas / vuosi", "uteblivna möten per kund och år"),
        metric("caseload_unemployed_mean", "clients per person",
               f"Time-weighted mean of unemployed clients (not in a service, education or work) in one {staff}'s "
               "caseload.", f"unemployed clients per {person_en} (mean)", f"työttömiä asiakkaita / {person_fi}",
               f"arbetslösa kunder per {person_sv}"),
    ]


METRICS: tuple[Metric, ...] = (
    Metric("clients.arrivals_per_day", "clients per day", "New registrations per calendar day.",
           labels("New clients per day", "Uusia asiakkaita / päivä", "Nya kunder per dag")),
    Metric("clients.share_pilot", SHARE, "Share of new registrations who are municipal (pilot) clients.",
           labels("Share of new clients in the pilot", "Kuntakokeilun asiakkaiden osuus uusista",
                   "Andel nya kunder i kommunförsöket")),
    Metric("clients.active_pilot", "clients", "Time-weighted mean of active municipal clients (with a coach or waiting).",
           labels("Active pilot clients", "Kuntakokeilun aktiiviset asiakkaat", "Aktiva kunder i kommunförsöket")),
    Metric("clients.active_te", "clients", "Time-weighted mean of active TE office clients.",
           labels("Active TE office clients", "TE-toimiston aktiiviset asiakkaat", "Aktiva kunder vid TE-byrån")),
    Metric("clients.waiting_for_coach", "clients", "Time-weighted mean of municipal clients waiting for a coach.",
           labels("Clients waiting for a coach", "Omavalmentajaa odottavat asiakkaat",
                   "Kunder som väntar på en personlig coach")),
    Metric("clients.waiting_for_te", "clients", "Time-weighted mean of TE clients waiting for an expert.",
           labels("Clients waiting for a TE expert", "TE-asiantuntijaa odottavat asiakkaat",
                   "Kunder som väntar på en sakkunnig vid TE-byrån")),
    Metric("clients.mean_days_in_service", "days", "Mean days from registration to exit, of clients who exited.",
           labels("Days as a client", "Asiakkuuden kesto", "Tid som kund")),
    Metric("clients.unemployed_pilot", "clients",
           "Time-weighted mean of active municipal clients who are unemployed (not in a service, education or work).",
           labels("Unemployed pilot clients", "Kuntakokeilun työttömät asiakkaat",
                   "Arbetslösa kunder i kommunförsöket")),
    Metric("clients.unemployed_te", "clients", "Time-weighted mean of active TE office clients who are unemployed.",
           labels("Unemployed TE office clients", "TE-toimiston työttömät asiakkaat", "Arbetslösa kunder vid TE-byrån")),
    Metric("clients.new_job_searches_per_month_pilot", "clients per month",
           "New job searches (registrations) of municipal clients per month.",
           labels("New job searches in the pilot per month", "Kuntakokeilun uudet työnhaut / kk",
                   "Nya arbetssökningar i kommunförsöket per månad")),
    Metric("clients.unemployment_spells_per_month_pilot", "clients per month",
           "Unemployment spells starting among municipal clients per month: new job searches and returns to "
           "unemployment of clients already on the books.",
           labels("Unemployment spells starting in the pilot per month", "Kuntakokeilun alkaneet työttömyysjaksot / kk",
                   "Arbetslöshetsperioder som börjar i kommunförsöket per månad")),
    *_pool_metrics("coach"),
    *_pool_metrics("te"),
    Metric("kela.questions_per_day", "questions per day", "Kela questions raised per calendar day.",
           labels("Kela questions per day", "Kela-kysymyksiä / päivä", "Frågor till FPA per dag")),
    Metric("kela.wait_minutes_mean", "minutes",
           "Mean time a coach waits on the line (answered: until answered; gave up: the patience).",
           labels("Kela line: mean wait", "Kelan linja: keskimääräinen jonotusaika", "FPA:s linje: medelväntetid")),
    Metric("kela.answered_share", SHARE, "Share of calls answered without a callback.",
           labels("Kela line: answered during the call", "Kelan linja: vastattu heti",
                   "FPA:s linje: besvarade under samtalet")),
    Metric("kela.utilisation", SHARE, "Handle time of contact persons / their open-line time.",
           labels("Kela line: contact persons' load", "Kelan linja: yhdyshenkilöiden käyttöaste",
                   "FPA:s linje: kontaktpersonernas belastning")),
    Metric("kela.callbacks_per_day", "callbacks per day", "Callback requests left per calendar day.",
           labels("Kela line: callbacks per day", "Kelan linja: takaisinsoittopyyntöjä / päivä",
                   "FPA:s linje: begäranden om återuppringning per dag")),
    Metric("kela.answer_hours_mean", "hours",
           "Mean hours from raising a question to its answer, callbacks and closed hours included.",
           labels("Kela line: time to answer", "Kelan linja: vastausaika", "FPA:s linje: tid till svar")),
    Metric("exits.per_month", "clients per month", "Clients leaving (end of spell) per month.",
           labels("Clients leaving per month", "Poistuvia asiakkaita / kk", "Kunder som avslutas per månad")),
    Metric("statements.per_month", "statements per month", "Labour-policy statements raised per month.",
           labels("Statements: labour-policy statements per month", "Lausunnot: työvoimapoliittisia lausuntoja / kk",
                   "Utlåtanden: arbetskraftspolitiska utlåtanden per månad")),
    Metric("statements.on_time_share", SHARE,
           "Share of statements written within statements.due_days of raising (by staff in their diaries or by the "
           "central unit); one not written by the end counts as late.",
           labels("Statements: written on time", "Lausunnot: kirjoitettu ajallaan", "Utlåtanden: skrivna i tid")),
    Metric("statements.days_mean", "days",
           "Mean days from raising a statement to its writing (a diary day, or the central unit's statement), of "
           "those written.",
           labels("Statements: days to write", "Lausunnot: kirjoittamisen kesto", "Utlåtanden: dagar till utlåtande")),
    Metric("statements.referred_share", SHARE,
           "Share of statements referred to the central unit (Uusimaa TE office from 10/2021, KEHA from 2025) for an "
           "expert statement.",
           labels("Statements: referred for an expert statement", "Lausunnot: asiantuntijalausunnoksi siirretyt",
                   "Utlåtanden: hänvisade för sakkunnigutlåtande")),
    Metric("kela.payment_delay_days_mean", "days",
           "Mean days a statement later than statements.due_days delays Kela's payment (0 for statements on time; "
           "expert statements included; one not written by the end counts until then).",
           labels("Kela line: payment delay from late statements", "Kelan linja: maksun viive myöhästyneistä lausunnoista",
                   "FPA:s linje: fördröjd utbetalning på grund av sena utlåtanden")),
    Metric("staff.person_years", "person-years",
           "Person-years in the statistics window: coaches, TE experts, Kela contact persons and [[costs.overheads]] "
           "(each also as staff.<role>.person_years); one person-year is one person on the staff for 365 calendar "
           "days, holidays and sick leave included.",
           labels("Staff: person-years", "Henkilöstö: henkilötyövuodet", "Personal: årsverken")),
    Metric("staff.cost_eur", "euros",
           "Staff cost in the statistics window: person-years x [costs] euros per person-year, summed over roles "
           "(each also as staff.<role>.cost_eur).",
           labels("Staff: cost", "Henkilöstö: kustannukset", "Personal: kostnader")),
)
METRIC_BY_NAME: Mapping[str, Metric] = MappingProxyType({metric.name: metric for metric in METRICS})

# Reported for each [[services]] entry as services.<name>.<metric>.
SERVICE_METRICS: tuple[Metric, ...] = (
    Metric("referrals_per_month", "referrals per month", "Clients referred to the service per month.",
           labels("Service: referrals per month", "Palvelu: ohjauksia / kk", "Tjänst: hänvisningar per månad")),
    Metric("places_used_mean", "places", "Time-weighted places in use.",
           labels("Service: places in use", "Palvelu: käytössä olevat paikat", "Tjänst: platser i bruk")),
    Metric("queue_mean", "clients", "Time-weighted clients queueing for a place.",
           labels("Service: clients queueing for a place", "Palvelu: paikkaa jonottavat",
                   "Tjänst: kunder i kö till en plats")),
    Metric("wait_days_mean", "days", "Mean days from referral to a place, of those who got one.",
           labels("Service: wait for a place", "Palvelu: odotus paikkaan", "Tjänst: väntetid till en plats")),
)
SERVICE_METRIC_BY_NAME: Mapping[str, Metric] = MappingProxyType({metric.name: metric for metric in SERVICE_METRICS})


# -- daily series columns -----------------------------------------------------------------------
DAILY_COLUMNS: tuple[Metric, ...] = (
    Metric("arrivals", "clients", "New registrations during the day.",
           labels("New clients", "Uudet asiakkaat", "Nya kunder")),
    Metric("exits", "clients", "Clients leaving during the day.",
           labels("Clients leaving", "Poistuvat asiakkaat", "Kunder som avslutas")),
    Metric("active_pilot", "clients", "Active municipal clients (with a coach or waiting) at the end of the day.",
           labels("Active pilot clients", "Kuntakokeilun aktiiviset asiakkaat", "Aktiva kunder i kommunförsöket")),
    Metric("active_te", "clients", "Active TE office clients at the end of the day.",
           labels("Active TE office clients", "TE-toimiston aktiiviset asiakkaat", "Aktiva kunder vid TE-byrån")),
    Metric("waiting_for_coach", "clients", "Municipal clients waiting for a coach at the end of the day.",
           labels("Waiting for a coach", "Omavalmentajaa odottavat", "Väntar på en personlig coach")),
    Metric("waiting_for_te", "clients", "TE clients waiting for an expert at the end of the day.",
           labels("Waiting for a TE expert", "TE-asiantuntijaa odottavat", "Väntar på en sakkunnig vid TE-byrån")),
    Metric("coach_clients", "clients", "Clients with a coach at the end of the day.",
           labels("Clients with a coach", "Omavalmentajan asiakkaat", "Kunder med en personlig coach")),
    Metric("coach_on_duty", "persons", "Coaches on duty that day (not on leave).",
           labels("Coaches on duty", "Työssä olevat omavalmentajat", "Personliga coacher i tjänst")),
    Metric("te_clients", "clients", "Clients with a TE expert at the end of the day.",
           labels("Clients with a TE expert", "TE-asiantuntijan asiakkaat", "Kunder med en sakkunnig vid TE-byrån")),
    Metric("te_on_duty", "persons", "TE experts on duty that day (not on leave).",
           labels("TE experts on duty", "Työssä olevat TE-asiantuntijat", "Sakkunniga vid TE-byrån i tjänst")),
    Metric("coach_caseload_mean", "clients per coach",
           "Clients with a coach at the end of the day / coaches on duty that day.",
           labels("Clients per coach", "Asiakkaita / omavalmentaja", "Kunder per personlig coach")),
    Metric("te_caseload_mean", "clients per TE expert",
           "Clients with a TE expert at the end of the day / TE experts on duty that day.",
           labels("Clients per TE expert", "Asiakkaita / TE-asiantuntija", "Kunder per sakkunnig vid TE-byrån")),
    Metric("coach_meetings", "meetings", "Meetings coaches held during the day.",
           labels("Coach meetings", "Omavalmentajien tapaamiset", "De personliga coachernas möten")),
    Metric("te_meetings", "meetings", "Meetings TE experts held during the day.",
           labels("TE expert meetings", "TE-asiantuntijoiden tapaamiset", "TE-byråns sakkunnigas möten")),
    Metric("coach_missed", "meetings", "Coach meetings missed, counted on the day they fell due.",
           labels("Coach meetings missed", "Omavalmentajien väliin jääneet tapaamiset",
                   "De personliga coachernas uteblivna möten")),
    Metric("te_missed", "meetings", "TE expert meetings missed, counted on the day they fell due.",
           labels("TE expert meetings missed", "TE-asiantuntijoiden väliin jääneet tapaamiset",
                   "TE-byråns sakkunnigas uteblivna möten")),
    Metric("unemployed_pilot", "clients", "Active municipal clients who are unemployed at the end of the day.",
           labels("Unemployed pilot clients", "Kuntakokeilun työttömät asiakkaat", "Arbetslösa kunder i kommunförsöket")),
    Metric("unemployed_te", "clients", "Active TE office clients who are unemployed at the end of the day.",
           labels("Unemployed TE office clients", "TE-toimiston työttömät asiakkaat", "Arbetslösa kunder vid TE-byrån")),
    Metric("in_service_pilot", "clients", "Active municipal clients in an employment-promoting service at the end "
           "of the day ([status]).",
           labels("Pilot clients in services", "Kuntakokeilun asiakkaat palveluissa", "Kunder i kommunförsöket i tjänster")),
    Metric("in_education_pilot", "clients", "Active municipal clients in education at the end of the day.",
           labels("Pilot clients in education", "Kuntakokeilun asiakkaat koulutuksessa",
                   "Kunder i kommunförsöket i utbildning")),
    Metric("employed_pilot", "clients", "Active municipal clients employed (open market or subsidised) at the end "
           "of the day.",
           labels("Employed pilot clients", "Kuntakokeilun työlliset asiakkaat", "Sysselsatta kunder i kommunförsöket")),
    Metric("new_job_searches_pilot", "clients", "New job searches (registrations) of municipal clients during the day.",
           labels("New job searches in the pilot", "Kuntakokeilun uudet työnhaut", "Nya arbetssökningar i kommunförsöket")),
    Metric("unemployment_spells_pilot", "clients", "Unemployment spells starting among municipal clients during the "
           "day (new job searches and returns to unemployment).",
           labels("Unemployment spells starting in the pilot", "Kuntakokeilun alkaneet työttömyysjaksot",
                   "Arbetslöshetsperioder som börjar i kommunförsöket")),
    Metric("kela_questions", "questions", "Kela questions raised during the day.",
           labels("Kela questions", "Kela-kysymykset", "Frågor till FPA")),
    Metric("kela_callbacks", "callbacks", "Callback requests left during the day.",
           labels("Callback requests", "Takaisinsoittopyynnöt", "Begäranden om återuppringning")),
    Metric("kela_wait_minutes_mean", "minutes", "Mean wait of the calls answered that day (nan: none).",
           labels("Mean wait on the Kela line", "Keskimääräinen jonotusaika Kelan linjalla",
                   "Medelväntetid på FPA:s linje")),
)
DAILY_COLUMN_BY_NAME: Mapping[str, Metric] = MappingProxyType({column.name: column for column in DAILY_COLUMNS})


# -- lookup -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Resolved:
    """A reported name resolved to its declaration, with the team, question type or service it is of."""

    metric: Metric
    qualifier: str = ""

    def label(self, language: str = "en") -> str:
        """The declaration's label with the qualifier after the group: "Coaches (youth): clients per coach"."""
        label = self.metric.label(language)
        if not self.qualifier:
            return label
        head, colon, tail = label.partition(": ")
        return f"{head} ({self.qualifier}): {tail}" if colon else f"{label} ({self.qualifier})"


def lookup(name: str) -> Resolved | None:
    """The declaration of a summary metric or a daily column, also of a team's, a question type's,
    a service's or an area's (``coach.youth.caseload_mean``, ``services.coaching.queue_mean``,
    ``coach_youth_caseload_mean``, ``area.helsinki.coach.caseload_mean``); None for a name simkit
    does not report."""
    if name in METRIC_BY_NAME:
        return Resolved(METRIC_BY_NAME[name])
    if name in DAILY_COLUMN_BY_NAME:
        return Resolved(DAILY_COLUMN_BY_NAME[name])
    group, _, rest = name.partition(".")
    if group == "area" and "." in rest:  # one area's metric of a multi-area run: area.<name>.<metric>
        area, _, inner = rest.partition(".")
        found = lookup(inner)
        return found and Resolved(found.metric, ", ".join(filter(None, (area, found.qualifier))))
    qualifier, _, key = rest.rpartition(".")
    if group == "services" and key in SERVICE_METRIC_BY_NAME and qualifier:
        return Resolved(SERVICE_METRIC_BY_NAME[key], qualifier)
    if qualifier and f"{group}.{key}" in METRIC_BY_NAME:
        return Resolved(METRIC_BY_NAME[f"{group}.{key}"], qualifier)
    for pool in _POOLS:  # a coach team's daily column: coach_<team>_caseload_mean, coach_<team>_meetings, ...
        for suffix in ("clients", "on_duty", "caseload_mean", "meetings", "missed"):
            if name.startswith(f"{pool}_") and name.endswith(f"_{suffix}") and len(name) > len(pool) + len(suffix) + 2:
                return Resolved(DAILY_COLUMN_BY_NAME[f"{pool}_{suffix}"], name[len(pool) + 1:-len(suffix) - 1])
    return None


def metric_unit(name: str) -> str:
    """The unit of a reported name, also of a team's metric ("coach.youth.caseload_mean") or an
    area's ("area.helsinki.coach.caseload_mean")."""
    resolved = lookup(name)
    if resolved is None:
        raise KeyError(f"simkit reports no metric {name!r}")
    return resolved.metric.unit


def is_share(name: str) -> bool:
    """Whether a reported name is a share (a number in [0, 1]); False for a name not in the registry."""
    resolved = lookup(name)
    return resolved is not None and resolved.metric.is_share
