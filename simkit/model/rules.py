"""The meeting rules: what a client is owed under each rule set, by job-seeker status.

A rule set gives the deadline of the first meeting in working days after registration and the
due dates of the later meetings as days since registration (a plan that follows the law's rhythm
whether or not earlier meetings were late); under the Nordic rules the plan depends on the
client's status and on whether the job search is new (calibration.md §4). The booking
(:class:`simkit.model.meetings.Meetings`) asks :meth:`MeetingRules.next_due`.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from simkit.model.compiled import compiled
from simkit.observations import JobSeekerStatus, Population
from simkit.scenario.schema import Scenario
from simkit.scenario.sections.staff import SUPPLEMENTARY_NEED_SHARE
from simkit.scenario.timeline import Timeline
from simkit.units import DAYS_PER_MONTH, YEAR

UNEMPLOYED = int(JobSeekerStatus.UNEMPLOYED)
THREE_MONTHS = 3 * DAYS_PER_MONTH
SIX_MONTHS = 6 * DAYS_PER_MONTH
PLAN_YEARS = 30  # plans reach further than any spell a scenario draws in practice


@dataclass(frozen=True)
class MeetingRules:
    """What a client is owed under a rule set: the first meeting's deadline and the later ones.

    ``later_meetings_due`` is the job-search plan of an unemployed client on a new job search, in
    days since registration; ``returning_meetings_due`` the plan of a job search that owes no
    intensive period (a return within 6 months of the previous job search). ``contact_days`` is
    the lighter rhythm of a client in a service, in education or employed; None: the rules do not
    tell statuses apart (everyone follows the plan). Under rules whose supplementary conversations
    go by need, the two plans are those of a client in need (with them), ``without_supplementary``
    the two plans of the others, and ``supplementary_need_share`` the share in need: a client
    whose need draw (a uniform in [0, 1)) is below it.
    """

    name: str
    first_meeting_working_days: int
    later_meetings_due: tuple[float, ...]  # days since registration, increasing
    returning_meetings_due: tuple[float, ...] = ()  # days since registration; () = later_meetings_due
    contact_days: float | None = None  # days between contacts of clients not unemployed (None: the plan)
    without_supplementary: tuple[tuple[float, ...], tuple[float, ...]] | None = None  # (new, returning) plans
    supplementary_need_share: float = 1.0  # share of clients owed the supplementary conversations

    def meetings_in_first_year(self, in_need: bool = True) -> int:
        """First meeting plus the later meetings due within a year of registration (unemployed, a new
        job search; ``in_need``: a client owed the supplementary conversations under need-based rules)."""
        plan = self.later_meetings_due if in_need or self.without_supplementary is None \
            else self.without_supplementary[0]
        return 1 + sum(1 for due in plan if due <= YEAR)

    @property
    def by_status(self) -> bool:
        """Do the rules owe different meetings by the client's status?"""
        return self.contact_days is not None

    def next_due(self, status: int, registered: float, from_day: int, early_days: int,
                 new_job_search: bool = True, need: float = 0.0) -> float:
        """When the client's next meeting is due (days from the run's start; ``math.inf``: none),
        for a meeting booked on or after ``from_day`` (the day after the last one held).

        An unemployed client (or anyone, under status-blind rules) follows the plan: the first due
        date whose early window (``early_days`` before it) opens on or after ``from_day``; earlier
        dates count as met by the meeting just held. Under need-based supplementary conversations a
        client whose ``need`` draw is not below the share follows the plan without them. A client
        in a service, in education or employed is owed a contact ``contact_days`` after the last one.
        """
        if self.contact_days is not None and status != UNEMPLOYED:
            return from_day - 1 + self.contact_days
        new, returning = self.later_meetings_due, self.returning_meetings_due
        if self.without_supplementary is not None and need >= self.supplementary_need_share:
            new, returning = self.without_supplementary
        plan = new if new_job_search or not returning else returning
        index = bisect.bisect_left(plan, from_day + early_days - registered)
        return registered + plan[index] if index < len(plan) else math.inf


def meeting_rules(name: str, contact_days: float = 182.0,
                  supplementary_need_share: float = SUPPLEMENTARY_NEED_SHARE) -> MeetingRules:
    """The meeting rules before May 2022 ("2021"), from 2 May 2022 ("nordic-2022") or from
    1 January 2026 ("he108-2026"); calibration.md §4.

    - "2021": first interview within 10 working days (about two weeks), then a periodic
      interview every 3 months, whatever the client's status: about 5 meetings in the first year.
    - "nordic-2022": initial interview within 5 working days; for the unemployed a job-search
      conversation every 2 weeks for the first 3 months of a new job search (the intensive
      period), then every 3 months; each half year a one-month period with 2 supplementary
      conversations: about 11 meetings in the first year. A job search begun within 6 months of
      the previous one owes no initial interview and no intensive period. Clients in a service,
      in education or employed owe a lighter contact every ``contact_days`` (``status.contact_days``).
    - "he108-2026": as the Nordic model, with the initial interview within 10 working days (the
      law lengthens the deadline; ≈2 weeks is an ASSUMPTION, the new value was not found) and the
      supplementary conversations by need: the ``supplementary_need_share`` of clients in need
      (``meeting.supplementary_need_share``, an ASSUMPTION) keep the Nordic half-yearly pair, the
      others have none.
    """
    quarters = THREE_MONTHS * np.arange(1, 4 * PLAN_YEARS + 1)
    if name == "2021":
        return MeetingRules(name, 10, tuple(quarters.tolist()))
    if name in ("nordic-2022", "he108-2026"):
        fortnightly = 14.0 * np.arange(1, 7)
        quarterly = quarters[quarters > THREE_MONTHS + 1]
        half_years = SIX_MONTHS * np.arange(1, 2 * PLAN_YEARS + 1)
        with_supplementary = _job_search_plans(fortnightly, quarterly, quarters,
                                               np.concatenate([half_years + 10.0, half_years + 20.0]))
        if name == "nordic-2022":
            return MeetingRules(name, 5, *with_supplementary, float(contact_days))
        return MeetingRules(name, 10, *with_supplementary, float(contact_days),
                            _job_search_plans(fortnightly, quarterly, quarters, np.empty(0)),
                            float(supplementary_need_share))
    raise ValueError(f"unknown meeting rules {name!r}")


def _job_search_plans(fortnightly: np.ndarray, quarterly: np.ndarray, quarters: np.ndarray,
                      supplementary: np.ndarray) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """(new job search, returning) plans in days since registration: the intensive period's
    fortnightly conversations then the quarterly ones, or (a return) the quarterly ones from the
    start; with the ``supplementary`` conversations in both."""
    plan = np.unique(np.concatenate([fortnightly, quarterly, supplementary]))
    routine = np.unique(np.concatenate([quarters, supplementary]))
    return tuple(plan.tolist()), tuple(routine.tolist())


def scenario_meeting_rules(scenario: Scenario) -> MeetingRules:
    """The meeting rules of a scenario (its ``rules.meetings``, ``status.contact_days`` and
    ``meeting.supplementary_need_share``)."""
    return meeting_rules(scenario.rules.meetings, scenario.status.contact_days,
                         scenario.meeting.supplementary_need_share)


def first_meeting_deadlines(timeline: Timeline, population: Population) -> list[int]:
    """The first-meeting deadline (working days) in force on each client's registration day."""
    deadlines = np.array([meeting_rules(s.rules.meetings).first_meeting_working_days for s in timeline.periods])
    return deadlines[_period_at_registration(timeline, population)].tolist()


def owes_first_meeting(timeline: Timeline, population: Population) -> np.ndarray:
    """Does each client owe a first meeting? Not a client already on the books on day 0, nor, under
    rules that tell returns apart (the Nordic model), a job search begun within 6 months of the
    previous one (calibration.md §4: a new initial interview only after 6 months)."""
    tells_returns = np.array([bool(meeting_rules(s.rules.meetings).returning_meetings_due) for s in timeline.periods])
    returning = ~population.new_job_search & tells_returns[_period_at_registration(timeline, population)]
    return ~population.initial & ~returning


def _period_at_registration(timeline: Timeline, population: Population) -> np.ndarray:
    return timeline.period_of_days(np.floor(np.maximum(population.registration, 0.0)).astype(int))


NEW, RETURNING, NEW_WITHOUT, RETURNING_WITHOUT = range(4)  # rows of RulesInForce.plans


# -- the rules in force, as arrays for the compiled day loop ----------------------------------
class RulesInForce(NamedTuple):
    """The meeting rules and settings of the period in force (:class:`MeetingRules` and ``[meeting]``)."""

    plans: np.ndarray  # float [4, longest]: days since registration of NEW ... RETURNING_WITHOUT, inf-padded
    plan_length: np.ndarray  # int [4]
    by_status: bool  # the unemployed follow the plan, the others a contact every contact_days
    contact_days: float
    need_based: bool  # supplementary conversations only for clients whose need draw is below need_share
    need_share: float
    early_days: int
    no_show_share: float
    rebook_days: int
    bump: bool  # "bump": a late first meeting takes the place of a routine one


def rules_in_force(scenario: Scenario) -> RulesInForce:
    """The meeting rules and settings of ``scenario`` as arrays."""
    rules = scenario_meeting_rules(scenario)
    without = rules.without_supplementary or ((), ())
    plans = (rules.later_meetings_due, rules.returning_meetings_due, *without)
    longest = max(len(plan) for plan in plans)
    table = np.full((4, longest + 1), math.inf)
    for row, plan in enumerate(plans):
        table[row, :len(plan)] = plan
    meeting = scenario.meeting
    return RulesInForce(
        plans=table, plan_length=np.array([len(plan) for plan in plans], dtype=np.int64),
        by_status=rules.by_status, contact_days=rules.contact_days if rules.by_status else 0.0,
        need_based=rules.without_supplementary is not None, need_share=float(rules.supplementary_need_share),
        early_days=int(meeting.early_days), no_show_share=float(meeting.no_show_share),
        rebook_days=int(meeting.rebook_days), bump=meeting.first_meeting_policy == "bump",
    )


@compiled
def plan_next_due(rules: RulesInForce, status: int, registered: float, from_day: int, early_days: int,
                  new_job_search: bool, need: float) -> float:
    """When the client's next meeting is due (days from the run's start; inf: none), for a meeting
    booked on or after ``from_day``: :meth:`simkit.model.rules.MeetingRules.next_due` on arrays."""
    if rules.by_status and status != UNEMPLOYED:
        return from_day - 1 + rules.contact_days
    plan = NEW_WITHOUT if rules.need_based and need >= rules.need_share else NEW
    if not new_job_search and rules.plan_length[plan + 1] > 0:
        plan += 1
    index = first_not_before(rules.plans[plan], rules.plan_length[plan], from_day + early_days - registered)
    return registered + rules.plans[plan, index] if index < rules.plan_length[plan] else math.inf


@compiled
def first_not_before(values: np.ndarray, length: int, value: float) -> int:
    """The first index of the increasing ``values[:length]`` whose value is >= ``value`` (``length``:
    none), as ``bisect.bisect_left``."""
    low, high = 0, length
    while low < high:
        middle = (low + high) // 2
        if values[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


