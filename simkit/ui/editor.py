"""The scenario editor (notebook 05): a form generated from the scenario schema.

Each field of :class:`simkit.Scenario` becomes a widget labelled with its unit and allowed
range; the description is its tooltip. Validation goes through :func:`simkit.load_scenario`,
so the messages are the same one-line messages the CLI gives. Saving edits the original file
with tomlkit (comments, order and layout kept; only changed values differ), writes atomically,
and never replaces an existing file unless asked to.

Where a save may go: a relative target (what the form's text box holds) must lie inside the save
folder (``SAVE_FOLDER``, ``my-scenarios/`` below the working folder, or the form's ``folder``), so
``../../x.toml`` is refused; an absolute target is the caller's explicit choice of folder. No save
replaces or lands among the bundled scenarios. Relative paths in the saved file (``extends``,
``inflow.initial_clients_csv``) are rebased to the new file's folder, and the saved file is loaded
back before it replaces anything: it must give the same scenario as the form (an optional key
left empty in a file that ``extends`` another would silently take the parent's value: refused).
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import tempfile
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import annotated_types
import ipywidgets as widgets
import tomlkit
from pydantic import BaseModel

from simkit.i18n import t, unit_label
from simkit.io import atomic_write_text
from simkit.scenario import SCENARIOS_DIR, Scenario, ScenarioError, load_scenario, parse_value
from simkit.scenario.loading import EXTENDS_KEY
from simkit.ui.runs import Panel

SAVE_FOLDER = Path("my-scenarios")  # relative targets are saved inside it (below the working folder)
RELATIVE_PATH_KEYS = ("inflow.initial_clients_csv",)  # file names read relative to the scenario file


@dataclass(frozen=True)
class FieldSpec:
    """One editable scenario key, from the schema."""

    key: str  # dotted, e.g. "coaches.count"
    kind: str  # "int", "float", "bool", "str", "text", "choice", "date", "list"
    default: Any
    unit: str
    description: str
    ge: float | None = None
    gt: float | None = None
    le: float | None = None
    lt: float | None = None
    choices: tuple = ()
    optional: bool = False  # may be left empty (None)

    def range_text(self) -> str:
        """The allowed values, e.g. ``0–1``, ``> 0``, ``1–3650``, ``2021 | nordic-2022``, ``each 0–24``."""
        if self.kind == "choice":
            return " | ".join(str(c) for c in self.choices)
        if self.kind == "bool":
            return "true | false"
        if self.ge is not None and self.le is not None:
            text = f"{_num(self.ge)}–{_num(self.le)}"
        else:
            lower = f"≥ {_num(self.ge)}" if self.ge is not None else (f"> {_num(self.gt)}" if self.gt is not None else "")
            upper = f"≤ {_num(self.le)}" if self.le is not None else (f"< {_num(self.lt)}" if self.lt is not None else "")
            text = ", ".join(part for part in (lower, upper) if part)
        if self.kind == "list":
            return f"[{t('each')} {text}]" if text else "[…]"
        return text

    def label(self) -> str:
        unit = unit_label(self.unit) if self.unit else ""
        allowed = self.range_text()
        details = ", ".join(part for part in (unit, t("range", range=allowed) if allowed else "") if part)
        return f"{self.key}" + (f" ({details})" if details else "")


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bounds(metadata) -> dict:
    bounds = {}
    for constraint in metadata:
        for attr in ("ge", "gt", "le", "lt"):
            if isinstance(constraint, getattr(annotated_types, attr.capitalize())):
                bounds[attr] = getattr(constraint, attr)
        for inner in getattr(constraint, "metadata", ()) or ():  # a FieldInfo inside Annotated
            bounds.update(_bounds([inner]))
    return bounds


def _item_bounds(annotation) -> dict:
    """Bounds of the items of ``list[Annotated[float, Field(ge=..)]]`` or a tuple of them."""
    args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
    if not args:
        return {}
    return _bounds(typing.get_args(args[0])[1:]) if typing.get_origin(args[0]) is typing.Annotated else {}


def _unwrap_optional(annotation):
    """(``X``, True) for ``X | None`` (also ``Annotated[X, ...] | None``); (annotation, False) otherwise."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            inner = args[0]
            return (typing.get_args(inner)[0] if typing.get_origin(inner) is typing.Annotated else inner), True
    return annotation, False


def _holds_tables(annotation) -> bool:
    """True for ``list[SomeModel]`` (an array of tables such as ``[[kela.question_types]]``), optional or not."""
    annotation, _ = _unwrap_optional(annotation)
    return any(_is_section(arg) or _is_section(typing.get_args(arg)[0] if typing.get_origin(arg) is typing.Annotated
                                                 else None) for arg in typing.get_args(annotation))


def _is_section(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def schema_fields(model: type[BaseModel] = Scenario) -> list[FieldSpec]:
    """Every leaf key of the scenario's tables, in schema order, with unit, range and choices.

    Only single values are covered, also in a table inside a section (``meeting.channels.phone.share``);
    arrays of tables (``[[events]]``, ``[[kela.question_types]]``, ``[[coaches.teams]]``) are not form
    fields and are kept in the file as they are.
    """
    specs = []
    for section, section_field in model.model_fields.items():
        if _is_section(section_field.annotation):
            specs.extend(_section_fields(section_field.annotation, f"{section}."))
    return specs


def _section_fields(section_model: type[BaseModel], prefix: str) -> list[FieldSpec]:
    """The form fields of one table (``prefix`` is its dotted key and a dot), tables inside it included."""
    specs = []
    for name, info in section_model.model_fields.items():
        if _is_section(info.annotation):
            specs.extend(_section_fields(info.annotation, f"{prefix}{name}."))
            continue
        annotation, optional = _unwrap_optional(info.annotation)
        bounds = _bounds(info.metadata)
        choices: tuple = ()
        if typing.get_origin(annotation) is Literal:
            kind, choices = "choice", typing.get_args(annotation)
        elif annotation is bool:
            kind = "bool"
        elif annotation is int:
            kind = "int"
        elif annotation is float:
            kind = "float"
        elif annotation is dt.date:
            kind = "date"
        elif annotation is str:
            kind = "text" if name == "description" else "str"
        elif typing.get_origin(annotation) in (list, tuple) and not _holds_tables(annotation):
            kind = "list"
            bounds = _item_bounds(annotation)
        else:
            continue  # nothing a simple form field can edit
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        specs.append(FieldSpec(
            key=f"{prefix}{name}", kind=kind, default=default, unit=extra.get("unit", ""),
            description=info.description or "", choices=choices, optional=optional, **bounds,
        ))
    return specs


def _value_of(scenario: Scenario, key: str):
    value = scenario.value(key)
    return list(value) if isinstance(value, tuple | list) else value


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b


def changed_values(scenario: Scenario, values: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``values`` (dotted keys) that differ from ``scenario``."""
    return {key: value for key, value in values.items() if not _same(value, _value_of(scenario, key))}


def validate(source: str | Path, changes: dict[str, Any]) -> tuple[Scenario | None, list[str]]:
    """Load ``source`` with ``changes`` applied: (scenario, []) if valid, else (None, problems)."""
    try:
        return load_scenario(source, changes), []
    except ScenarioError as error:
        return None, [_without_override_label(problem) for problem in error.problems]


def _without_override_label(problem: str) -> str:
    """``override k=v: k = v: message`` -> ``k = v: message`` (the form has no --set to name)."""
    if problem.startswith("override "):
        return problem.split(": ", 1)[1] if ": " in problem else problem
    return problem


def _toml_value(value):
    if isinstance(value, tuple):
        return [_toml_value(v) for v in value]
    if isinstance(value, list):
        return [_toml_value(v) for v in value]
    return value


def scenario_text_with(source: str | Path, changes: dict[str, Any], target: str | Path | None = None) -> str:
    """The text of ``source`` with ``changes`` written in, comments and layout kept (tomlkit).

    A key the file does not set yet is added to its table (the table is added if missing). If
    ``target`` is in another folder, relative paths (``extends``, ``inflow.initial_clients_csv``)
    are rebased to it.
    """
    source = Path(source)
    document = tomlkit.parse(source.read_text(encoding="utf-8"))
    for key, value in changes.items():
        *tables, leaf = key.split(".")
        node = document
        for part in tables:
            if part not in node:
                node[part] = tomlkit.table()
            node = node[part]
        if value is None:  # an optional value left empty: the key goes
            if leaf in node:
                del node[leaf]
            continue
        node[leaf] = _toml_value(value)
    if target is not None:
        _rebase(document, [EXTENDS_KEY], source, Path(target))
        for key in RELATIVE_PATH_KEYS:
            _rebase(document, key.split("."), source, Path(target))
    return tomlkit.dumps(document)


def _rebase(document, keys: list[str], source: Path, target: Path) -> None:
    """Rewrite the relative path at ``keys`` (read relative to ``source``) to be relative to ``target``."""
    *tables, leaf = keys
    node = document
    for part in tables:
        if part not in node or not hasattr(node[part], "get"):
            return
        node = node[part]
    value = node.get(leaf)
    if not isinstance(value, str) or Path(value).is_absolute():
        return
    relative = Path(os.path.relpath((source.parent / value).resolve(), target.resolve().parent)).as_posix()
    if relative != value:
        node[leaf] = relative


def save_scenario_as(source: str | Path, target: str | Path, changes: dict[str, Any],
                     overwrite: bool = False, folder: str | Path = SAVE_FOLDER) -> Scenario:
    """Validate ``source`` + ``changes`` and write them to ``target`` as a new scenario file.

    Raises :class:`simkit.ScenarioError` if invalid, if ``target`` is not a place a scenario may
    be saved (see the module docstring: a relative ``target`` inside ``folder``, never among the
    bundled scenarios) or if the saved file would not load to the same scenario; and
    ``FileExistsError`` if ``target`` exists and ``overwrite`` is false. Nothing is written then.
    The write is atomic; the saved file loads to ``load_scenario(source, changes)``.
    """
    scenario = load_scenario(source, changes)
    target = _save_target(Path(target), Path(folder))
    if target.exists() and not overwrite:
        raise FileExistsError(t("exists", path=str(target)))
    _write_checked(target, scenario_text_with(source, changes, target), scenario, Path(source))
    return scenario


def _save_target(target: Path, folder: Path) -> Path:
    """``target`` if a scenario may be saved there, else a ScenarioError saying where it may go."""
    real = (Path.cwd() / target).resolve()
    if target.suffix != ".toml":
        raise ScenarioError([f"{target}: a scenario file name ends in .toml"])
    if not target.is_absolute() and not real.is_relative_to((Path.cwd() / folder).resolve()):
        raise ScenarioError([f"{target}: scenarios are saved inside {folder}/; choose a name there"])
    if real.is_relative_to(SCENARIOS_DIR.resolve()):
        raise ScenarioError([f"{target}: the bundled scenarios are never overwritten or added to; "
                             f"save inside {folder}/"])
    return target


def _write_checked(target: Path, text: str, expected: Scenario, source: Path) -> None:
    """Write ``text`` to ``target`` atomically if it loads (from there) to ``expected``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".toml")
    os.close(handle)
    temporary = Path(name)
    try:
        atomic_write_text(temporary, text)
        saved = load_scenario(temporary)
        if _comparable(saved) != _comparable(expected):
            raise ScenarioError([_difference(saved, expected, source)])
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def _comparable(scenario: Scenario) -> dict:
    """The scenario without its relative file names (rebased on save; the files' contents still count)."""
    return scenario.model_dump(exclude={"inflow": {"initial_clients_csv"}})


def _difference(saved: Scenario, expected: Scenario, source: Path) -> str:
    """Why the saved file would not give the form's scenario, naming the keys."""
    keys = [spec.key for spec in schema_fields() if not _same(_value_of(saved, spec.key), _value_of(expected, spec.key))]
    emptied = [key for key in keys if _value_of(expected, key) is None]
    if emptied:
        return (f"{emptied[0]}: cannot be left empty here: {source.name} extends another file, whose value "
                f"{_value_of(saved, emptied[0])!r} would apply; enter a value instead")
    return f"{', '.join(keys) or 'the scenario'}: the saved file would not load to the same scenario; not saved"


# -- the form widget ------------------------------------------------------------------------------
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
        return changed_values(self.scenario, self.values())

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
