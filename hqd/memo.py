"""What a process works out once and keeps for the next time it is asked: a few values by key, and how values it
made differ from those they were made from."""

from __future__ import annotations

import itertools
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

Value = TypeVar("Value")


class Memo(Generic[Value]):
    """At most `size` values by key, the one used longest ago dropped first; safe to share between threads (the
    sessions of one app process)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: OrderedDict[Hashable, Value] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Value | None:
        """Return the value kept for `key`, or None."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
            return self._values.get(key)

    def put(self, key: Hashable, value: Value) -> Value:
        """Keep `value` for `key` and return it."""
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self._size:
                self._values.popitem(last=False)
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], Value]) -> Value:
        """Return the value kept for `key`, made (outside the lock: two threads may both make it) when there is none."""
        found = self.get(key)
        return self.put(key, make()) if found is None else found


class Changes:
    """What a process knows of how values it made differ from the ones they were made from: the parts (e.g. the
    indicators whose figures an upload laid over) in which each differs from the one before. Safe to share between
    threads.

    Each value is known by a number of its own (`name`), never given to another value, so that what was made of a
    value can be told from what was made of another even after the value is gone: neither is kept alive here.
    """

    def __init__(self, size: int = 64) -> None:
        self._size = size
        # id(value) -> (the value, weakly, its name): an id names another value once its own is gone.
        self._names: dict[int, tuple[weakref.ref, int]] = {}
        self._numbers = itertools.count(1)
        # name(after) -> (name(before), parts)
        self._changes: Memo[tuple[int, frozenset]] = Memo(size)
        self._lock = threading.Lock()

    def name(self, value: object) -> int:
        """Return the number that names a value (the same one as long as the value lives)."""
        with self._lock:
            found = self._names.get(id(value))
            if found is not None and found[0]() is value:
                return found[1]
            if len(self._names) >= 4 * self._size:
                self._names = {key: kept for key, kept in self._names.items() if kept[0]() is not None}
            number = next(self._numbers)
            self._names[id(value)] = (weakref.ref(value), number)
            return number

    def note(self, before: int, after: object, parts: Iterable[Hashable]) -> None:
        """Note that `after` was made from the value named `before` and differs from it in `parts` only."""
        now = self.name(after)
        if now != before:
            self._changes.put(now, (before, frozenset(parts)))

    def since(self, before: int, after: object) -> frozenset | None:
        """Return the parts in which `after` differs from the value named `before` (none when it is that value),
        through every change noted between them; None when no such chain of changes is known."""
        parts: set = set()
        now = self.name(after)
        # Back from `after`: each value is made from one other, and a chain is at most as long as the changes kept.
        for _ in range(self._size + 1):
            if now == before:
                return frozenset(parts)
            found = self._changes.get(now)
            if found is None:
                return None
            now, made = found
            parts |= made
        return None


# The changes of the figures read (hqd/store/figures.py) and of what is made of them (hqd/increments.py).
CHANGES = Changes()
