"""The values notebook 04's lessons read from its runs and scenarios, so the prose quotes them
rather than numbers typed into the text: what a staff search searched (``searched_period``), the
two answers to one staffing question (``two_answers``) and the national section's findings
(``national_findings``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pandas as pd

from simkit.i18n import number, percent
from simkit.model.meetings import meeting_rules
from simkit.planning.areas import CostPlan
from simkit.scenario import Scenario

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
    areas = kela[kela["area"] != "all"].sort_values("kela.answered_share mean")
    worst, best = areas.iloc[0], areas.iloc[-1]
    whole = kela[kela["area"] == "all"].iloc[0]
    coaches = [area.levers.get("coaches.count") for area in cheapest.areas]
    return {"planned": len(cheapest.areas), "coaches": sum(coaches) if None not in coaches else "–",
            "person_years": cheapest.person_years, "cost": cheapest.cost_eur / 1e6,
            "lines": len(areas), "worst": worst["title"], "worst_answered": percent(worst["kela.answered_share mean"]),
            "worst_wait": number(worst["kela.wait_minutes_mean mean"]), "best": best["title"],
            "best_answered": percent(best["kela.answered_share mean"]),
            "all_answered": percent(whole["kela.answered_share mean"])}


def _answer(search: StaffSearch) -> int | str:
    return "–" if search.smallest is None else search.smallest
