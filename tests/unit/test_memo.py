"""A process's memo: the values kept by key, the one used longest ago dropped first."""

from __future__ import annotations

from hqd.memo import Memo


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
