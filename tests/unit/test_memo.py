"""A process's memo: the values kept by key, the one used longest ago dropped first; how values made differ."""

from __future__ import annotations

import gc

from hqd.memo import Changes, Memo


def test_a_value_is_made_once_and_kept():
    memo, made = Memo(2), []
    assert memo.get_or_make("a", lambda: made.append("a") or 1) == 1
    assert memo.get_or_make("a", lambda: made.append("a") or 2) == 1
    assert made == ["a"]


def test_the_value_used_longest_ago_goes_first():
    memo = Memo(2)
    memo.put("a", 1)
    memo.put("b", 2)
    assert memo.get("a") == 1  # used again: "b" is now the oldest
    memo.put("c", 3)
    assert (memo.get("a"), memo.get("b"), memo.get("c")) == (1, None, 3)


class Value:
    """A value that a weak reference may name (a dict or int may not)."""


def test_a_change_is_known_from_one_value_through_the_values_made_between():
    changes, first, second, third = Changes(), Value(), Value(), Value()
    changes.note(changes.name(first), second, ["A1"])
    changes.note(changes.name(second), third, ["B2", "A1"])
    assert changes.since(changes.name(first), first) == frozenset()
    assert changes.since(changes.name(second), third) == {"A1", "B2"}
    assert changes.since(changes.name(first), third) == {"A1", "B2"}
    # Backwards, or from a value never noted, nothing is known.
    assert changes.since(changes.name(third), first) is None
    assert changes.since(changes.name(Value()), third) is None


def test_a_change_is_known_after_the_values_between_are_gone():
    changes, first, second, third = Changes(), Value(), Value(), Value()
    named = changes.name(first)
    changes.note(changes.name(first), second, ["A1"])
    changes.note(changes.name(second), third, ["B2"])
    del first, second
    gc.collect()
    assert changes.since(named, third) == {"A1", "B2"}


def test_a_value_is_never_named_as_another_was():
    changes = Changes(size=1)
    names = set()
    for _ in range(20):
        value = Value()  # often at the address of the one before, gone
        names.add(changes.name(value))
        del value
    assert len(names) == 20


def test_only_the_latest_changes_are_kept():
    changes = Changes(size=2)
    values = [Value() for _ in range(4)]
    for before, after in zip(values, values[1:], strict=False):
        changes.note(changes.name(before), after, [str(id(after))])
    assert changes.since(changes.name(values[1]), values[3]) is not None
    assert changes.since(changes.name(values[0]), values[3]) is None
