"""Euros per person-year by role, and the staff without a caseload counted in the costs."""

from __future__ import annotations

from pydantic import Field, field_validator

from simkit.scenario.sections.base import Section, field, names_differ

__all__ = ["MOST_EUROS", "STAFF_POOLS", "Costs", "Overhead"]


STAFF_POOLS = ("coach", "te", "kela")  # staff.<pool>.person_years of the staff the model simulates
MOST_EUROS = 10_000_000.0  # euros per person-year: a bound well above any salary with overheads


class Overhead(Section):
    """Staff without a caseload (employer services, statement work outside the diary, management)."""

    name: str = field(..., "Role name used in metric names, e.g. employer_services.", pattern=r"^[a-z][a-z0-9_]*$",
                       max_length=60)
    share: float = field(0.0, "Person-years per person-year of caseload staff (coaches and TE experts).",
                          "person-years per person-year", ge=0.0, le=10.0)
    persons: float = field(0.0, "Persons on top of the share, all through the window.", "persons",
                            ge=0.0, le=100_000.0)
    eur_per_person_year: float | None = field(None, "Cost of one person-year (default: costs.eur_per_person_year).",
                                               "euros per person-year", ge=0.0, le=MOST_EUROS)


class Costs(Section):
    """Euros per person-year by role; staff.<pool>.cost_eur = person-years x these."""

    eur_per_person_year: float = field(
        60_000.0, "Cost of one person-year of any role not set below (≈€60k: 572 person-years ≈ €34.3 M, "
        "TyVM 9/2025).", "euros per person-year", ge=0.0, le=MOST_EUROS)
    coach: float | None = field(None, "Cost of a coach's person-year (default: eur_per_person_year).",
                                 "euros per person-year", ge=0.0, le=MOST_EUROS)
    te_expert: float | None = field(None, "Cost of a TE expert's person-year (default: eur_per_person_year).",
                                     "euros per person-year", ge=0.0, le=MOST_EUROS)
    kela_contact_person: float | None = field(
        None, "Cost of a Kela contact person's person-year (default: eur_per_person_year).", "euros per person-year",
        ge=0.0, le=MOST_EUROS)
    overheads: list[Overhead] = Field(
        default_factory=list, max_length=50, description="Optional [[costs.overheads]]: roles without a caseload, as a share of "
        "caseload person-years or a head count.")

    @field_validator("overheads")
    @classmethod
    def _overhead_names_differ(cls, overheads: list[Overhead]) -> list[Overhead]:
        names_differ("overhead", overheads)
        taken = [overhead.name for overhead in overheads if overhead.name in STAFF_POOLS]
        if taken:
            raise ValueError(f"overhead names {taken} are taken by the staff pools {list(STAFF_POOLS)}")
        return overheads
