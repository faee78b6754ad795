"""The job seekers: registrations and the day-0 stock, who they are, their status while on the books, the
length of their spells and the services with limited places they are referred to."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from simkit.scenario.sections.base import Section, Share, field
from simkit.units import DAYS_PER_MONTH

__all__ = ["ActiveClient", "Clients", "Inflow", "Referral", "Service", "Spell", "Status"]


class ActiveClient(Section):
    """One client active on day 0, as a planner's caseload CSV gives it; blanks are drawn."""

    days_since_registration: float = field(..., "Days the client has been registered on day 0 (0 to 36,500).",
                                            "days", ge=0.0, le=36_500.0)
    remaining_days: float | None = field(
        None, "Days until the client's exit (blank: drawn from the spell given its age; at most 36,500).", "days",
        gt=0.0, le=36_500.0,
    )
    team: str | None = field(None, 'Who serves the client now: a coach team name, "coach" or "te" '
                                     "(blank: by the pilot rule).")
    resides_in_pilot_area: bool | None = None
    kela_benefit: bool | None = None
    no_benefit: bool | None = None
    under_30: bool | None = None
    foreign_language: bool | None = None
    foreign_citizen: bool | None = None


class Inflow(Section):
    per_week: float = field(
        120.0, "New job searches (registrations) in the area, 0 to 50,000 (all of Finland: about 14,000 new job "
        "searches a month, about 3,600 a week); an unemployment spell of someone already on the books is a status "
        "change ([status]), not a registration.", "per week", ge=0.0, le=50_000.0,
    )
    returning_share: Share = field(
        0.0, "Share of new job searches that start within 6 months of the person's previous job search ending: "
        "they owe no initial interview and no intensive period (Nordic model).", "share",
    )
    seasonality: Annotated[list[Annotated[float, Field(ge=0.0, le=10.0)]], Field(min_length=12, max_length=12)] = field(
        [1.15, 0.95, 0.95, 0.95, 1.05, 1.35, 1.15, 1.0, 0.9, 0.9, 0.9, 1.1],
        "Inflow multiplier for each month, January to December (12 numbers, each 0 to 10).",
        "factor",
    )
    seasonality_under_30: Annotated[list[Annotated[float, Field(ge=0.0, le=10.0)]], Field(min_length=12, max_length=12)] | None = (
        field(None, "Inflow multipliers for under-30s alone, January to December, each 0 to 10 (default: "
               "seasonality); the June youth surge.", "factor")
    )
    initial_clients: int = field(3400, "Clients already registered on day 0 of the run (0 to 2,000,000: all of "
                                  "Finland has about 300,000 job seekers).", "clients", ge=0, le=2_000_000)
    initial_clients_csv: str | None = field(
        None, "A CSV of the clients active on day 0 (relative to the scenario file); replaces the drawn stock "
        "and sets initial_clients to its row count. A regular file of at most SIMKIT_MAX_FILE_MB (default 256) MB.",
        min_length=1, max_length=4096,
    )
    initial_stock: list[ActiveClient] | None = Field(
        None, description="The clients of initial_clients_csv, read on load (or given from Python); at most "
        "2,000,000.", repr=False, max_length=2_000_000,
    )

    @model_validator(mode="after")
    def _stock_sets_the_count(self) -> Inflow:
        if self.initial_stock is not None and self.initial_clients != len(self.initial_stock):
            object.__setattr__(self, "initial_clients", len(self.initial_stock))
        return self


class Clients(Section):
    resides_in_pilot_area: Share = field(1.0, "Share of registrations living in a pilot municipality.", "share")
    kela_benefit: Share = field(
        0.6, "Share on Kela labour market subsidy or basic daily allowance.", "share"
    )
    no_benefit: Share = field(
        0.1, "Share on no unemployment benefit (e.g. social assistance only); with kela_benefit, the people "
        "with no right to earnings-related allowance. kela_benefit + no_benefit is at most 1.", "share"
    )
    under_30: Share = field(0.2, "Share under 30 years of age.", "share")
    foreign_language: Share = field(
        0.08, "Share whose native language is not Finnish, Swedish or Sámi.", "share"
    )
    foreign_citizen: Share = field(0.06, "Share who are not Finnish citizens.", "share")
    foreign_language_and_citizen: Share | None = field(
        None, "Share who are both (language and citizenship are drawn jointly); default: the smaller of the two "
        "(every foreign citizen in the smaller group also speaks a foreign language).", "share"
    )

    @model_validator(mode="after")
    def _shares_fit(self) -> Clients:
        if self.kela_benefit + self.no_benefit > 1.0 + 1e-9:
            raise ValueError(f"kela_benefit + no_benefit = {self.kela_benefit + self.no_benefit:.4g}, at most 1")
        both = self.foreign_both
        if both > min(self.foreign_language, self.foreign_citizen) + 1e-9:
            raise ValueError(f"foreign_language_and_citizen = {both} is more than foreign_language or foreign_citizen")
        if self.foreign_language + self.foreign_citizen - both > 1.0 + 1e-9:
            raise ValueError("foreign_language + foreign_citizen - foreign_language_and_citizen is more than 1")
        return self

    @property
    def foreign_both(self) -> float:
        """The share both foreign-language and a foreign citizen (the default resolved)."""
        if self.foreign_language_and_citizen is None:
            return min(self.foreign_language, self.foreign_citizen)
        return self.foreign_language_and_citizen


class Status(Section):
    """A job seeker's status while on the books: unemployed, in a service, in education or employed.

    Every new job search starts unemployed. An unemployed client moves to each other status at its
    rate; a client in another status goes back to unemployed (a new unemployment spell, not a new
    job search) after a stay of exponential length with the given mean. All rates 0 (the default):
    everyone is unemployed while on the books. Where the scenario has [[services]] with places,
    those places are the "in a service" state (limited places, queues, meetings further apart)
    and service_per_month must stay 0: a client in a place keeps the chain's status (unemployed),
    is counted in ``services.<name>.places_used_mean`` and not in the daily ``in_service_pilot``.
    Under the Nordic rules the unemployed owe the job-search conversations and the others a
    lighter contact every ``contact_days``; under the 2021 rules everyone owes the same.
    """

    service_per_month: float = field(0.0, "Chance per month that an unemployed client starts a service.",
                                      "per month", ge=0.0, le=10.0)
    education_per_month: float = field(0.0, "Chance per month that an unemployed client starts education.",
                                        "per month", ge=0.0, le=10.0)
    employed_per_month: float = field(0.0, "Chance per month that an unemployed client starts work "
                                       "(open market or subsidised) and stays on the books.", "per month",
                                       ge=0.0, le=10.0)
    service_months: float = field(4.0, "Mean stay in a service before unemployed again.", "months", gt=0.0, le=120.0)
    education_months: float = field(9.0, "Mean stay in education before unemployed again.", "months", gt=0.0,
                                     le=120.0)
    employed_months: float = field(6.0, "Mean stay employed before unemployed again.", "months", gt=0.0, le=120.0)
    contact_days: int = field(
        182, "Under the Nordic model, days between the lighter contacts of a client in a service, in "
        "education or employed (the unemployed owe job-search conversations).", "days", ge=7, le=3650,
    )

    def rates_per_day(self) -> tuple[float, float, float]:
        """Unemployed -> (service, education, employed), per day."""
        return tuple(rate / DAYS_PER_MONTH for rate in
                     (self.service_per_month, self.education_per_month, self.employed_per_month))

    def return_rates_per_day(self) -> tuple[float, float, float]:
        """(service, education, employed) -> unemployed, per day."""
        return tuple(1.0 / (months * DAYS_PER_MONTH) for months in
                     (self.service_months, self.education_months, self.employed_months))


class Spell(Section):
    distribution: Literal["exponential", "lognormal"] = field(
        "lognormal", "Distribution of days from registration to exit."
    )
    mean_days: float = field(200.0, "Mean spell length (over 0, at most 36,500).", "days", gt=0.0, le=36_500.0)
    cv: float = field(1.9, "Coefficient of variation of the spell (lognormal only).", "", gt=0.0, le=20.0)
    monthly_exit_factor: Annotated[list[Annotated[float, Field(gt=0.0, le=10.0)]], Field(min_length=12, max_length=12)] = (
        field([1.0] * 12, "Exit rate multiplier for each month, January to December (e.g. 0.7 in July: the summer "
               "slows exits); spells are drawn in time that runs at this speed.", "factor")
    )


class Referral(Section):
    """Chance per month of a client's spell of being referred, by segment (first that fits)."""

    under_30: Share = field(0.0, "Under-30 clients.", "per month")
    foreign_language: Share = field(0.0, "Other clients with a foreign native language.", "per month")
    other: Share = field(0.0, "Everyone else.", "per month")


class Service(Section):
    """A service with limited places that coaches refer pilot clients to."""

    name: str = field(..., "Service name used in metric names, e.g. work_trial.", pattern=r"^[a-z][a-z0-9_]*$")
    places: int = field(..., "Places in use at a time.", "places", ge=0, le=1_000_000)
    duration_days: float = field(..., "Days a client spends in the service (less if the spell ends).", "days",
                                  gt=0.0, le=3650.0)
    referral_per_month: Referral = field(Referral(), "Chance per month of spell of a referral, by segment.")
    meeting_interval_factor: float = field(
        2.0, "Meetings with the coach are this many times further apart while in the service.", "factor",
        ge=1.0, le=10.0,
    )
