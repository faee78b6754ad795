"""Notebook widgets and the functions behind them, for simkit's training and planning notebooks.

Every widget here is built by a function a cell calls, and every widget callback calls a public
function that a test (or a checked notebook cell) can call with fixed inputs::

    from simkit import ui
    ui.set_language("fi")            # every text in Finnish ("sv" Swedish, "en" English)
    ui.set_language()                # the language of SIMKIT_LANG (English when it is not set)
    ui.lesson("01.question")         # a lesson text from the catalog, as Markdown
    ui.client_builder()              # notebook 01
    ui.workbench()                   # notebook 04
    ui.scenario_form(ui.scenario_path())  # notebook 05
"""

from simkit.i18n import (
    get_language,
    metric_label,
    number,
    percent,
    set_language,
    t,
    t_count,
)
from simkit.ui.comparison import (
    PLAN_METRICS,
    STAFF_LEVERS,
    Comparison,
    compare_with_base,
    comparison_figure,
    export_comparison,
    lever_overrides,
    staff_overrides,
)
from simkit.ui.editor import (
    ScenarioForm,
    scenario_form,
)
from simkit.ui.fields import (
    FieldSpec,
    schema_fields,
)
from simkit.ui.kela_line import (
    ALWAYS_OPEN,
    KELA_METRICS,
    contact_persons_needed,
    erlang_c_wait_minutes,
    erlang_figure,
    kela_explorer,
    kela_line_by_rate,
    kela_line_vs_erlang,
    kela_point,
    kela_rate_figure,
)
from simkit.ui.lessons import (
    COACH_METRICS,
    describe_scenario,
    first_meetings_by_coaches,
    first_meetings_explorer,
    first_meetings_figure,
    lesson,
    meeting_capacity,
    selected_point,
    solution,
    solution_markdown,
    sweep_table,
    weekly,
)
from simkit.ui.pilot_rule import (
    EXAMPLE_PEOPLE,
    ClientVerdict,
    classify_client,
    client_builder,
    example_people,
    pilot_share_table,
)
from simkit.ui.planning import (
    Workbench,
    workbench,
)
from simkit.ui.runs import (
    BUNDLED,
    FIRST_YEAR,
    SCENARIOS_DIR,
    bundled_scenarios,
    estimates,
    format_value,
    key_results,
    load,
    run,
    scenario_path,
    summary_frame,
)
from simkit.ui.saving import (
    changed_values,
    save_scenario_as,
    scenario_text_with,
    validate,
)
from simkit.ui.staff_search import (
    DEFAULT_TARGETS,
    StaffSearch,
    search_figure,
    smallest_staff,
)

__all__ = [
    "ALWAYS_OPEN",
    "BUNDLED",
    "COACH_METRICS",
    "DEFAULT_TARGETS",
    "EXAMPLE_PEOPLE",
    "FIRST_YEAR",
    "KELA_METRICS",
    "PLAN_METRICS",
    "SCENARIOS_DIR",
    "STAFF_LEVERS",
    "ClientVerdict",
    "Comparison",
    "FieldSpec",
    "ScenarioForm",
    "StaffSearch",
    "Workbench",
    "bundled_scenarios",
    "changed_values",
    "classify_client",
    "client_builder",
    "compare_with_base",
    "comparison_figure",
    "contact_persons_needed",
    "describe_scenario",
    "erlang_c_wait_minutes",
    "erlang_figure",
    "estimates",
    "example_people",
    "export_comparison",
    "first_meetings_by_coaches",
    "first_meetings_explorer",
    "first_meetings_figure",
    "format_value",
    "get_language",
    "kela_explorer",
    "kela_line_by_rate",
    "kela_line_vs_erlang",
    "kela_point",
    "kela_rate_figure",
    "key_results",
    "lesson",
    "lever_overrides",
    "load",
    "meeting_capacity",
    "metric_label",
    "number",
    "percent",
    "pilot_share_table",
    "run",
    "save_scenario_as",
    "scenario_form",
    "scenario_path",
    "scenario_text_with",
    "schema_fields",
    "search_figure",
    "selected_point",
    "set_language",
    "smallest_staff",
    "solution",
    "solution_markdown",
    "staff_overrides",
    "summary_frame",
    "sweep_table",
    "t",
    "t_count",
    "validate",
    "weekly",
    "workbench",
]
