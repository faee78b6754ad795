"""The scenario editor (notebook 05): a form generated from the scenario schema.

Each field of :class:`simkit.Scenario` becomes a widget labelled with its unit and allowed
range (:mod:`simkit.ui.fields`); the description is its tooltip. Validating and saving are
:func:`validate` and :func:`save_scenario_as` (:mod:`simkit.ui.saving`, which says where a save
may go); their names are importable from here too.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from simkit.i18n import t
from simkit.planning.campaign import level_overrides
from simkit.scenario import ScenarioError, load_scenario, parse_value
from simkit.ui.fields import (
    FieldSpec,
    _holds_tables,  # noqa: F401 (tests read it from here)
    _is_section,  # noqa: F401 (tests read it from here)
    schema_fields,
)
from simkit.ui.runs import Panel
from simkit.ui.saving import (
    RELATIVE_PATH_KEYS,
    SAVE_FOLDER,
    _value_of,
    _without_override_label,
    changed_values,
    save_scenario_as,
    scenario_text_with,
    validate,
)

__all__ = [  # defined here, and in simkit.ui.fields and simkit.ui.saving (importable from here)
    "RELATIVE_PATH_KEYS", "SAVE_FOLDER", "FieldSpec", "ScenarioForm", "changed_values", "save_scenario_as",
    "scenario_form", "scenario_text_with", "schema_fields", "validate",
]


def _widget_for(spec: FieldSpec, value) -> widgets.Widget:
    if value is None and spec.optional:  # an unset optional value: an empty text box
        return widgets.Text(value="", placeholder="(none)", layout=widgets.Layout(width="560px"))
    layout = widgets.Layout(width="560px")
    style = {"description_width": "0px"}
    if spec.kind == "int":
        return widgets.IntText(value=value, layout=layout, style=style)
    if spec.kind == "float" and not math.isfinite(value):
        return widgets.Text(value=str(value), layout=layout, style=style)  # JSON cannot carry inf to the browser
    if spec.kind == "float":
        return widgets.FloatText(value=value, layout=layout, style=style)
    if spec.kind == "bool":
        return widgets.Checkbox(value=bool(value), indent=False, layout=layout)
    if spec.kind == "choice":
        return widgets.Dropdown(options=list(spec.choices), value=value, layout=layout, style=style)
    if spec.kind == "date":
        return widgets.DatePicker(value=value, layout=layout, style=style)
    if spec.kind == "text":
        return widgets.Textarea(value=value, layout=layout, style=style)
    if spec.kind == "list":
        return widgets.Text(value=_list_text(value), layout=layout, style=style)
    return widgets.Text(value=str(value), layout=layout, style=style)


def _list_text(value) -> str:
    return "[" + ", ".join(str(v) for v in value) + "]"


class ScenarioForm:
    """A form for one scenario file: ``values()``, ``changes()``, ``validate()``, ``save_as()``.

    The buttons call the same methods, which tests call directly after setting widget values.
    """

    def __init__(self, source: str | Path, folder: str | Path = SAVE_FOLDER):
        self.source = Path(source)
        self.folder = Path(folder)
        self.scenario = load_scenario(self.source)
        self.specs = schema_fields()
        self.inputs: dict[str, widgets.Widget] = {
            spec.key: _widget_for(spec, _value_of(self.scenario, spec.key)) for spec in self.specs
        }
        self.messages = widgets.HTML()
        default_target = self.folder / f"{self.source.stem}-copy.toml"
        self.target = widgets.Text(value=str(default_target), description=t("new_file"),
                                   layout=widgets.Layout(width="560px"))
        self.overwrite = widgets.Checkbox(value=False, description=t("overwrite_confirm"), indent=False,
                                          layout=widgets.Layout(display="none", width="auto"))
        validate_button = widgets.Button(description=t("validate"), icon="check")
        save_button = widgets.Button(description=t("save_as"), icon="save", button_style="primary")
        validate_button.on_click(lambda _: self.validate())
        save_button.on_click(lambda _: self.save_as(self.target.value, self.overwrite.value))
        self.target.observe(lambda _: self._hide_overwrite(), names="value")
        sections: dict[str, list] = {}
        for spec in self.specs:
            label = widgets.HTML(f"<b>{_escape(spec.label())}</b><br><span style='color:#555'>"
                                 f"{_escape(spec.description)}</span>")
            sections.setdefault(spec.key.split(".")[0], []).extend([label, self.inputs[spec.key]])
        accordion = widgets.Accordion(children=[widgets.VBox(items) for items in sections.values()])
        for index, name in enumerate(sections):
            accordion.set_title(index, f"[{name}]")
        events = len(getattr(self.scenario, "events", []) or [])
        note = f"<br><i>{t('events_kept', n=events)}</i>" if events else ""
        self.widget = Panel([
            widgets.HTML(f"<b>{t('scenario')}:</b> {_escape(self.source.name)}{note}"), accordion,
            widgets.HBox([validate_button]), self.target, self.overwrite, save_button, self.messages,
        ], name=t("panel.editor"))

    def set(self, key: str, value) -> None:
        """Set a widget's value as a user would (lists as TOML text such as ``[8.0, 17.0]``)."""
        spec = next(s for s in self.specs if s.key == key)
        self.inputs[key].value = _list_text(value) if spec.kind == "list" and not isinstance(value, str) else value

    def values(self) -> dict[str, Any]:
        """Every key's current value (list fields parsed as TOML; unparsable text stays a string)."""
        result = {}
        for spec in self.specs:
            value = self.inputs[spec.key].value
            if spec.optional and value == "":
                value = None
            elif spec.kind in ("list", "float", "int") and isinstance(value, str):
                value = parse_value(value)
            result[spec.key] = value
        return result

    def changes(self) -> dict[str, Any]:
        """The keys the form changed; a numeric key that dated events also set shifts those events by
        the same amount (:func:`simkit.planning.level_overrides`), as the workbench's levers do."""
        return level_overrides(self.scenario, changed_values(self.scenario, self.values()))

    def validate(self) -> list[str]:
        """Validate the form; shows and returns the problems (empty when valid)."""
        _, problems = validate(self.source, self.changes())
        self._show(problems)
        return problems

    def save_as(self, target: str | Path, overwrite: bool = False) -> Path | None:
        """Save the form as ``target``; returns the path, or None (problems or an existing file shown)."""
        changes = self.changes()
        target = Path(target)
        try:
            save_scenario_as(self.source, target, changes, overwrite=overwrite, folder=self.folder)
        except ScenarioError as error:
            self._show([_without_override_label(p) for p in error.problems])
            return None
        except FileExistsError:
            self.overwrite.layout.display = ""
            self.messages.value = f"<span style='color:#b00'>{_escape(t('exists', path=str(target)))}</span>"
            return None
        except OSError as error:
            self.messages.value = f"<span style='color:#b00'>{_escape(f'{error.filename or target}: {error.strerror}')}</span>"
            return None
        self.overwrite.value = False
        self.overwrite.layout.display = "none"
        self.messages.value = f"<span style='color:#060'>{_escape(t('saved', path=str(target), n=len(changes)))}</span>"
        return target

    def _hide_overwrite(self) -> None:
        self.overwrite.value = False
        self.overwrite.layout.display = "none"

    def _show(self, problems: list[str]) -> None:
        if not problems:
            self.messages.value = f"<span style='color:#060'>{t('valid')}</span>"
            return
        items = "".join(f"<li>{_escape(p)}</li>" for p in problems)
        self.messages.value = f"<span style='color:#b00'>{t('invalid', n=len(problems))}</span><ul>{items}</ul>"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def scenario_form(source: str | Path) -> Panel:
    """The editor form for a scenario file (see :class:`ScenarioForm`)."""
    return ScenarioForm(source).widget
