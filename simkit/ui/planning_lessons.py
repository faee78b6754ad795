"""The values notebook 04's lessons read from its runs and scenarios, so the prose quotes them
rather than numbers typed into the text: what a staff search searched (``searched_period``), the
two answers to one staffing question (``two_answers``), the national section's findings
(``national_findings``) and the 2025 and 2026 meeting rules in person-years (``rules_person_years``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simkit.areas import WHOLE_AREA
from simkit.costs import DAYS_PER_PERSON_YEAR
from simkit.i18n import number, percent
from simkit.model.meetings import meeting_rules
from simkit.observations import Observations
from simkit.planning.areas import CostPlan
from simkit.runner import simulate
from simkit.scenario import Scenario, with_overrides

if TYPE_CHECKING:
    from simkit.ui.staff_search import StaffSearch


def searched_period(scenario: Scenario) -> tuple[dt.date, dt.date, int]:
    """The first and last day a search of ``scenario`` runs over, and the dated changes it holds."""
    info = scenario.scenario
    return info.start_date, info.start_date + dt.timedelta(days=info.days - 1), len(scenario.events)


def two_answers(search: StaffSearch, whole_search: StaffSearch, whole: Scenario) -> dict[str, object]:
    """The values of lesson 04.two_answers: the period ``search`` ran over (the scripted search on
    ``ui.FIRST_YEAR``) and its answer, the period and dated changes of ``whole`` (the file as the
    workbench's button searches it) and the answer of ``whole_search`` (the same search on it), the
    date of its first meeting-rule change, and the meetings a new client needs in the first year
    (number of meetings) before and after that change. An answer is "–" when no level in the range
    met the targets."""
    first_from, first_to, _ = search.period or searched_period(whole)
    whole_from, whole_to, events = searched_period(whole)
    reform = next(event for event in whole.events if "rules.meetings" in event.changes)
    return {"first_days": (first_to - first_from).days + 1, "first_from": first_from, "first_to": first_to,
            "whole_from": whole_from, "whole_to": whole_to, "events": events, "reform_date": reform.date,
            "first_answer": _answer(search), "whole_answer": _answer(whole_search),
            "meetings_before": meeting_rules(whole.rules.meetings).meetings_in_first_year(),
            "meetings_after": meeting_rules(reform.changes["rules.meetings"]).meetings_in_first_year()}


def national_findings(cheapest: CostPlan, kela: pd.DataFrame) -> dict[str, object]:
    """The values of lesson 04.national_notice: the areas planned in ``cheapest``
    (:func:`simkit.plan_cost`), their coaches, person-years and cost (million euros) in the run's
    window, and from ``kela`` (:func:`simkit.areas.area_table` with ``kela.answered_share`` and
    ``kela.wait_minutes_mean``) the areas whose line answers the smallest and largest share of calls
    at once (without a callback), beside all areas together."""
    areas = kela[kela["area"] != WHOLE_AREA].sort_values("kela.answered_share mean")
    worst, best = areas.iloc[0], areas.iloc[-1]
    whole = kela[kela["area"] == WHOLE_AREA].iloc[0]
    coaches = [area.levers.get("coaches.count") for area in cheapest.areas]
    return {"planned": len(cheapest.areas), "coaches": sum(coaches) if None not in coaches else "–",
            "person_years": cheapest.person_years, "cost": cheapest.cost_eur / 1e6,
            "lines": len(areas), "worst": worst["title"], "worst_answered": percent(worst["kela.answered_share mean"]),
            "worst_wait": number(worst["kela.wait_minutes_mean mean"]), "best": best["title"],
            "best_answered": percent(best["kela.answered_share mean"]),
            "all_answered": percent(whole["kela.answered_share mean"])}


def _answer(search: StaffSearch) -> int | str:
    return "–" if search.smallest is None else search.smallest


def rules_person_years(scenario: Scenario, shares: tuple[float, ...] = (0.0, 0.5, 1.0), replications: int = 3,
                       seed: int | None = None) -> pd.DataFrame:
    """The meetings the 2025 rules ("nordic-2022") and the 2026 rules ("he108-2026", at each share of
    clients in need of supplementary conversations) owe the same clients in ``scenario``'s window, in
    coach person-years: the meetings owed times a meeting's minutes, over the client minutes one coach
    has in a person-year (their diary, less holidays and sick leave, in the run). The same seed for
    every row (common random numbers). One row per rule set: ``rules``, ``need_share`` (nan for the
    2025 rules), ``owed_per_client_year`` and ``person_years`` (means over ``replications``), and
    ``change`` (person-years against the 2025 rules)."""
    seed = scenario.scenario.seed if seed is None else seed
    variants = [("nordic-2022", np.nan)] + [("he108-2026", share) for share in shares]
    rows = []
    for rules, share in variants:
        changes = {"events": [], "rules.meetings": rules}
        if rules == "he108-2026":
            changes["meeting.supplementary_need_share"] = share
        runs = [simulate(with_overrides(scenario, changes), seed, replication, keep_observations=True)
                for replication in range(replications)]
        rows.append({"rules": rules, "need_share": share,
                     "owed_per_client_year": np.mean([run.metrics["coach.meetings_owed_per_client_year"] for run in runs]),
                     "person_years": np.mean([owed_coach_person_years(run.observations) for run in runs])})
    table = pd.DataFrame(rows)
    table["change"] = table["person_years"] - table["person_years"].iloc[0]
    return table


def rules_findings(table: pd.DataFrame) -> dict[str, object]:
    """The values of lesson 04.rules_2026_notice from :func:`rules_person_years`' table (its 2025 row
    first, then the 2026 rules by need share, the middle one the assumption): person-years and
    meetings owed per client-year under the 2025 rules and the 2026 rules at the middle share, the
    change and the changes at the lowest and highest share (person-years, a fall as a positive number)."""
    nordic, he108 = table.iloc[0], table.iloc[1:].sort_values("need_share")
    middle = he108.iloc[len(he108) // 2]
    return {"nordic_years": nordic["person_years"], "nordic_owed": nordic["owed_per_client_year"],
            "share": percent(middle["need_share"]), "he108_years": middle["person_years"],
            "he108_owed": middle["owed_per_client_year"], "fewer": -middle["change"],
            "fewer_percent": percent(-middle["change"] / nordic["person_years"]),
            "low_share": percent(he108.iloc[0]["need_share"]), "fewer_low": -he108.iloc[0]["change"],
            "high_share": percent(he108.iloc[-1]["need_share"]), "fewer_high": -he108.iloc[-1]["change"]}


def owed_coach_person_years(observations: Observations) -> float:
    """Coach person-years the meetings owed in the window take: meetings owed x a meeting's minutes,
    over the client minutes the coaches on duty had per person-year (365 days on duty)."""
    start, end = observations.window
    pools = [pool for name, pool in observations.pools.items() if name.startswith("coach")]
    owed = sum(int(pool.due_owed[start:end].sum()) for pool in pools)
    minutes = sum(float(pool.meeting_minutes_available[start:end].sum()) for pool in pools)
    person_years = sum(float(pool.on_duty[start:end].sum()) for pool in pools) / DAYS_PER_PERSON_YEAR
    return owed * observations.scenario.meeting.mean_minutes / (minutes / person_years)
