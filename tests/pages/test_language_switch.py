"""The language switch on every page, as each role that reaches it: in English no Chinese is left but data."""

from __future__ import annotations

import re

import pytest
from google.protobuf.message import Message
from support import add_accounts, plain

from hqd.i18n import role_name
from hqd.policy import PAGE_ACTIONS, ROLES, authorize
from hqd.ui import state

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")
# Data the fixture holds that has no English: the uploader and the accounts' names; and 指标目录, the name of the
# workbook's sheet a reader has to find.
DATA = ["张三", "名", "指标目录", "年度目标", "按规划轨迹"]
USERS = {"viewer": "boss", "analyst": "ana", "leader": "lead", "editor": "staff", "admin": "root"}


def strings(message: Message):
    """Yield every text a protobuf message holds (labels, bodies, options, help, a chart's spec), bytes left out."""
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                yield from strings(item)
            elif isinstance(item, str):
                yield item


def shown_texts(node):
    """Yield (element type, text) for every element and block of the page and the sidebar, tables' cells too."""
    proto = getattr(node, "proto", None)
    # The language switch names each language in itself, so that a reader finds their own.
    if isinstance(proto, Message) and getattr(node, "key", None) != "lang":
        for text in strings(proto):
            yield node.type, text
    if node.type in ("dataframe",):
        frame = node.value
        for text in [*map(str, frame.columns), *map(str, frame.to_numpy().ravel())]:
            yield node.type, text
    for child in getattr(node, "children", {}).values():
        yield from shown_texts(child)


def chinese_left(at) -> list[tuple[str, str]]:
    """Return the texts shown that still hold Chinese once the fixture's data values are taken out."""
    found = []
    for kind, text in [*shown_texts(at.main), *shown_texts(at.sidebar)]:
        bare = text
        for value in DATA:
            bare = bare.replace(value, "")
        if CJK.search(bare):
            found.append((kind, text[:200]))
    return found


def pages_of(role: str) -> list[str]:
    """Return the pages a role reaches."""
    return [page for page, action in PAGE_ACTIONS.items() if authorize(role, action)]


CASES = [(role, page) for role in ROLES for page in pages_of(role)]


def add_one_per_role(app) -> None:
    """Give the fixture one account per role."""
    add_accounts(app.engine, [(username, role, False) for role, username in USERS.items()])


@pytest.fixture
def accounts(app, built):
    """The app with one account per role (add_one_per_role, made once and copied)."""
    return app.start_from(built(add_one_per_role))


@pytest.mark.parametrize(("role", "page"), CASES, ids=[f"{role}-{page}" for role, page in CASES])
def test_english_leaves_no_chinese_but_data(accounts, role, page):
    at = accounts.open(page, signed_in=USERS[role])
    # Signed in with the role, on the page itself (not turned back to another).
    assert not at.exception and f"（{role_name(role)}）" in plain("".join(c.value for c in at.sidebar.caption))
    assert at.session_state[state.CURRENT_IDENTITY].role == role
    assert chinese_left(at), "the page in Chinese shows Chinese: the walk reads what is shown"
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    left = chinese_left(at)
    assert left == [], "\n".join(f"{kind}: {text}" for kind, text in left)
