"""Meeting rules: when a client's first and later meetings are due.

A rule set gives the deadline of the first meeting in working days after registration, and
the due dates of the later meetings as days since registration (a plan that follows the law's
rhythm whether or not earlier meetings were late).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simkit.model.calendar import DAYS_PER_MONTH

THREE_MONTHS = 3 * DAYS_PER_MONTH
SIX_MONTHS = 6 * DAYS_PER_MONTH
YEAR = 365.25
PLAN_YEARS = 30  # plans reach further than any spell a scenario draws in practice


@dataclass(frozen=True)
class MeetingRules:
    name: str
    first_meeting_working_days: int
    later_meetings_due: tuple[float, ...]  # days since registration, increasing


    def meetings_in_first_year(self) -> int:
        """First meeting plus the later meetings due within a year of registration."""
        return 1 + sum(1 for due in self.later_meetings_due if due <= YEAR)


def meeting_rules(name: str) -> MeetingRules:
    """The meeting rules in force before May 2022 ("2021") or from 2 May 2022 ("nordic-2022").

    - "2021": first interview within 10 working days (about two weeks), then a periodic
      interview every 3 months: about 5 meetings in the first year.
    - "nordic-2022": initial interview within 5 working days; a job-search conversation every
      2 weeks for the first 3 months, then every 3 months; each half year a one-month period with
      2 supplementary conversations: about 11 meetings in the first year.
    """
    quarters = THREE_MONTHS * np.arange(1, 4 * PLAN_YEARS + 1)
    if name == "2021":
        return MeetingRules(name, 10, tuple(quarters.tolist()))
    if name == "nordic-2022":
        fortnightly = 14.0 * np.arange(1, 7)
        quarterly = quarters[quarters > THREE_MONTHS + 1]
        half_years = SIX_MONTHS * np.arange(1, 2 * PLAN_YEARS + 1)
        supplementary = np.concatenate([half_years + 10.0, half_years + 20.0])
        plan = np.unique(np.concatenate([fortnightly, quarterly, supplementary]))
        return MeetingRules(name, 5, tuple(plan.tolist()))
    raise ValueError(f"unknown meeting rules {name!r}")
