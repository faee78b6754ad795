"""Multi-area scenarios: one single-area :class:`Scenario` per ``[[areas]]`` entry.

An area is the shared scenario with the area's own keys merged in (a nested table in the same
dotted structure, e.g. ``coaches.count = 300``; a list such as ``coaches.teams`` is replaced
whole) and the dated events that name it or no area. The result has no ``[[areas]]`` and is
what the single-area engine runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simkit.memo import once_per
from simkit.scenario.schema import Area, Scenario

AREA_KEY_PREFIX = "areas."


def merged(base: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``base`` with ``overrides`` merged in, table by table (lists are replaced)."""
    result = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = value
    return result


def area_raw(shared: Mapping[str, Any], area: Mapping[str, Any]) -> dict[str, Any]:
    """The raw (unvalidated) single-area scenario of one raw ``[[areas]]`` entry of ``shared``."""
    name = area.get("name")
    overrides = {key: value for key, value in area.items() if key not in Area.model_fields}
    events = [{key: value for key, value in event.items() if key != "area"}
              for event in shared.get("events", []) if event.get("area") in (None, name)]
    base = {key: value for key, value in shared.items() if key not in ("areas", "events")}
    info = dict(base.get("scenario", {}))
    info["name"] = f"{info.get('name', Scenario().name)}: {name}"
    return merged({**base, "scenario": info, "events": events}, overrides)


def area_scenarios(scenario: Scenario) -> dict[str, Scenario]:
    """Each area's own single-area scenario, by area name (empty for a single-area scenario); validated
    once per scenario (it is frozen), as every replication of it runs them."""
    def validated() -> dict[str, Scenario]:
        shared = scenario.model_dump(mode="python", by_alias=True)
        return {area.name: Scenario.model_validate(area_raw(shared, _area_dict(area))) for area in scenario.areas}

    return dict(once_per("areas", validated, scenario))


def area_alone(scenario: Scenario, name: str) -> Scenario:
    """A one-area scenario holding only area ``name``, its keys merged into the shared ones.

    It runs exactly as that area does inside ``scenario`` (the same seeds, :mod:`simkit.areas`),
    and its shared keys (``coaches.count``) are the area's own: plan or sweep them directly.
    """
    (area,) = [area for area in scenario.areas if area.name == name] or [None]
    if area is None:
        raise KeyError(f"no area {name!r}; areas: {', '.join(a.name for a in scenario.areas)}")
    alone = area_scenarios(scenario)[name].model_dump(mode="python", by_alias=True)
    alone["scenario"]["name"] = scenario.name
    return Scenario.model_validate({**alone, "areas": [{"name": name, "title": area.title}]})


def split_area_key(key: str) -> tuple[str, str] | None:
    """``"areas.helsinki.coaches.count"`` -> ``("helsinki", "coaches.count")``; None for a shared key."""
    if not key.startswith(AREA_KEY_PREFIX):
        return None
    name, _, rest = key.removeprefix(AREA_KEY_PREFIX).partition(".")
    return name, rest


def _area_dict(area: Area) -> dict[str, Any]:
    return area.model_dump(mode="python")
