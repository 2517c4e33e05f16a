"""What a link's values name: explorer filters and the language, as codes or as the names links held before."""

from __future__ import annotations

import pytest
from factories import make_catalog

from hqd.ui.shell import read_language
from hqd.views.explorer import list_filter_choices, read_filter_link

CATALOG = make_catalog(
    [
        {"code": "INN", "programme": "P1", "task": "P1-1", "department": "科技局"},
        {"code": "TAL", "programme": "P2", "task": "P2-1", "department": "人社局"},
    ]
)
CHOICES = list_filter_choices(CATALOG, 2022, "zh")


@pytest.mark.parametrize(
    ("name", "values", "codes"),
    [
        # Codes stay as they are.
        ("programmes", ["P1"], ["P1"]),
        ("programmes", ["P2", "P1"], ["P2", "P1"]),
        ("tasks", ["P1-1"], ["P1-1"]),
        ("statuses", ["on_track", "no_data"], ["on_track", "no_data"]),
        ("departments", ["科技局"], ["科技局"]),
        # Names of either language, as links held them before.
        ("programmes", ["工程P1"], ["P1"]),
        ("programmes", ["Programme P2"], ["P2"]),
        ("programmes", ["工程P1", "Programme P2"], ["P1", "P2"]),
        ("tasks", ["任务P2-1"], ["P2-1"]),
        ("tasks", ["Task P1-1"], ["P1-1"]),
        ("statuses", ["正常"], ["on_track"]),
        ("statuses", ["需加快", "滞后", "倒退"], ["at_risk", "lagging", "regressing"]),
        ("statuses", ["已完成", "无数据"], ["achieved", "no_data"]),
        ("statuses", ["On track", "At risk", "Lagging"], ["on_track", "at_risk", "lagging"]),
        ("statuses", ["Regressing", "Achieved", "No data"], ["regressing", "achieved", "no_data"]),
        # Typed by hand: case and surrounding space do not matter.
        ("programmes", ["p1"], ["P1"]),
        ("statuses", [" ON_TRACK "], ["on_track"]),
        ("statuses", ["on track"], ["on_track"]),
        # A code and its name are one choice; a value naming nothing is dropped.
        ("programmes", ["P1", "工程P1"], ["P1"]),
        ("programmes", ["工程X", "P2"], ["P2"]),
        ("departments", ["财政局"], []),
        ("statuses", ["insufficient_data"], []),
        ("statuses", [""], []),
        ("tasks", [], []),
        # Each filter maps its own words only.
        ("tasks", ["P1"], []),
        ("programmes", ["on_track"], []),
    ],
)
def test_read_filter_link(name, values, codes):
    assert read_filter_link(CHOICES, name, values) == codes


def test_read_filter_link_is_the_same_whatever_the_language_of_the_page():
    english = list_filter_choices(CATALOG, 2022, "en")
    for name, values in [("programmes", ["工程P1", "Programme P2"]), ("statuses", ["正常", "Lagging"])]:
        assert read_filter_link(english, name, values) == read_filter_link(CHOICES, name, values)


@pytest.mark.parametrize(
    ("value", "lang"),
    [
        ("en", "en"),
        ("zh", "zh"),
        ("EN", "en"),
        ("English", "en"),
        ("english", "en"),
        ("中文", "zh"),
        (" en ", "en"),
        ("fr", None),
        ("", None),
        (None, None),
    ],
)
def test_read_language(value, lang):
    assert read_language(value) == lang
