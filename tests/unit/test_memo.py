"""simkit.memo.once_per: one computation per live object, dropped with it."""

from __future__ import annotations

import gc

from simkit import memo


class Owner:
    """Something that lives a while (a weak reference can point at it)."""


def test_a_value_is_computed_once_per_owner_and_what():
    calls = []
    first, second = Owner(), Owner()

    def compute(name):
        return lambda: calls.append(name) or len(calls)

    assert memo.once_per("x", compute("a"), first) == 1
    assert memo.once_per("x", compute("b"), first) == 1  # kept: not computed again
    assert memo.once_per("y", compute("c"), first) == 2  # another value of the same owner
    assert memo.once_per("x", compute("d"), second) == 3  # another owner
    assert memo.once_per("x", compute("e"), first, second) == 4  # with another object beside it
    assert calls == ["a", "c", "d", "e"]


def test_the_values_go_with_their_owner():
    owner = Owner()
    memo.once_per("x", lambda: 1, owner)
    key = ("x", id(owner))
    assert key in memo._KEPT
    del owner
    gc.collect()
    assert key not in memo._KEPT
