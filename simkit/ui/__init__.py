"""Notebook widgets and the functions behind them, for simkit's training and planning notebooks.

Every widget here is built by a function a cell calls, and every widget callback calls a public
function that a test (or a checked notebook cell) can call with fixed inputs::

    from simkit import ui
    ui.set_language("fi")            # Finnish labels, figures and lesson texts
    ui.client_builder()              # notebook 01
    ui.workbench()                   # notebook 04
    ui.scenario_form(ui.scenario_path())  # notebook 05
"""

from simkit.i18n import get_language, metric_label, set_language, t
from simkit.ui.editor import (
    FieldSpec,
    ScenarioForm,
    changed_values,
    save_scenario_as,
    scenario_form,
    scenario_text_with,
    schema_fields,
    validate,
)
from simkit.ui.lessons import (
    ALWAYS_OPEN,
    COACH_METRICS,
    KELA_METRICS,
    ClientVerdict,
    classify_client,
    client_builder,
    contact_persons_needed,
    erlang_c_wait_minutes,
    erlang_figure,
    first_meetings_by_coaches,
    first_meetings_explorer,
    first_meetings_figure,
    kela_explorer,
    kela_line_by_rate,
    kela_point,
    kela_rate_figure,
    kela_line_vs_erlang,
    lesson,
    pilot_share_table,
    selected_point,
    sweep_table,
)
from simkit.ui.planning import (
    DEFAULT_TARGETS,
    PLAN_METRICS,
    STAFF_LEVERS,
    Comparison,
    StaffSearch,
    Workbench,
    compare_with_base,
    comparison_figure,
    export_comparison,
    lever_overrides,
    search_figure,
    smallest_staff,
    staff_overrides,
    workbench,
)
from simkit.ui.runs import (
    BUNDLED,
    FIRST_YEAR,
    SCENARIOS_DIR,
    bundled_scenarios,
    format_value,
    key_results,
    load,
    run,
    scenario_path,
    summary_frame,
)

__all__ = [name for name in dir() if not name.startswith("_")]
