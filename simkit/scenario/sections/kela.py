"""The Kela contact persons' line that coaches call with questions, and the kinds of question."""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from simkit.scenario.sections.base import (
    HourRange,
    Section,
    Share,
    field,
    names_differ,
    with_defaults,
)

__all__ = ["Kela", "QuestionType"]


class QuestionType(Section):
    """A kind of question coaches ask Kela; unset handle fields take the [kela] values."""

    name: str = field(..., "Type name used in metric names, e.g. sick_leave.", pattern=r"^[a-z][a-z0-9_]*$")
    share: Share = field(..., "Share of all questions that are of this type.", "share")
    handle_minutes: float | None = field(None, "Mean handle time (default: kela.handle_minutes).", "minutes",
                                          gt=0.0, le=480.0)
    handle_distribution: Literal["exponential", "lognormal", "fixed"] | None = field(
        None, "Handle time distribution (default: kela.handle_distribution)."
    )
    handle_cv: float | None = field(None, "Coefficient of variation, lognormal (default: kela.handle_cv).", "",
                                     gt=0.0, le=20.0)


class Kela(Section):
    contact_persons: int = field(1, "Kela contact persons answering the coaches' line.", "persons", ge=1, le=10_000)
    questions_per_client_month: float = field(
        0.05, "Kela questions raised per active pilot client.", "per client per month", ge=0.0, le=100.0
    )
    handle_minutes: float = field(12.0, "Mean time to answer one question.", "minutes", gt=0.0, le=480.0)
    handle_distribution: Literal["exponential", "lognormal", "fixed"] = field(
        "exponential", "Distribution of the handle time."
    )
    handle_cv: float = field(1.0, "Coefficient of variation of the handle time (lognormal only).", "", gt=0.0, le=20.0)
    open_hours: HourRange = field(
        (8.0, 16.0), "Opening and closing hour of the line; [0.0, 24.0] is around the clock.", "hours"
    )
    open_weekdays: int = field(5, "Days a week the line is open: 5 = Mon–Fri, 7 = every day.", "days", ge=1, le=7)
    call_hours: HourRange = field(
        (8.0, 16.0), "Hours in which coaches raise questions (their working day).", "hours"
    )
    call_weekdays: int = field(5, "Days a week coaches raise questions: 5 = Mon–Fri, 7 = every day.", "days", ge=1, le=7)
    patience_minutes: float = field(
        5.0, "A coach waiting longer leaves a callback request; inf = never (the one number that may be inf).",
        "minutes", gt=0.0, allow_inf_nan=True,
    )
    offline_hours_per_week: float = field(
        0.0, "Hours each contact person spends off the line (client meetings, network work).", "hours per week",
        ge=0.0, le=80.0,
    )
    question_types: list[QuestionType] = Field(
        default_factory=list, max_length=100,
        description="Optional [[kela.question_types]] with their shares (adding up to 1) and handle times (at most "
        "100 types).",
    )

    @model_validator(mode="after")
    def _types_add_up(self) -> Kela:
        if not self.question_types:
            return self
        names_differ("question type", self.question_types)
        total = sum(kind.share for kind in self.question_types)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"the question type shares add up to {total:.4g}, not 1")
        return self

    def resolved_question_types(self) -> list[QuestionType]:
        """The question types with every field set; one type "all" when none are given."""
        kinds = self.question_types or [QuestionType(name="all", share=1.0)]
        return with_defaults(kinds, self, ("handle_minutes", "handle_distribution", "handle_cv"))

    @field_validator("patience_minutes", mode="before")
    @classmethod
    def _patience_is_a_number(cls, value: Any) -> Any:
        if isinstance(value, float) and math.isnan(value):
            raise ValueError("input should be a number of minutes over 0, or inf")
        return value

    @field_validator("open_hours", "call_hours")
    @classmethod
    def _opening_before_closing(cls, value: tuple[float, float]) -> tuple[float, float]:
        if value[0] >= value[1]:
            raise ValueError("the first hour must be before the second, e.g. [8.0, 16.0]")
        return value
