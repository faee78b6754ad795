"""Values computed once per object that lives a while (a frozen scenario, a run's observations) and
dropped with it. Keyed by the objects' identity, as frozen records of arrays do not hash; standard
library only."""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
_KEPT: dict[tuple, tuple[tuple[object, ...], object]] = {}


def once_per(what: str, compute: Callable[[], T], owner: object, *others: object) -> T:
    """``compute()`` the first time for ``what`` of ``owner`` (and ``others``), then the same value as
    long as ``owner`` lives. The value is computed from the objects, which must not change (frozen
    records); ``others`` are kept alive with it, so that no new object takes their identity."""
    key = (what, id(owner), *map(id, others))
    if key not in _KEPT:
        _KEPT[key] = (others, compute())
        weakref.finalize(owner, _KEPT.pop, key, None)
    return _KEPT[key][1]  # type: ignore[return-value]
