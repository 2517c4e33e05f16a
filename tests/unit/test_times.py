"""One time zone everywhere: times shown, times in links, refusals naming a time (HQD_TIMEZONE, Asia/Shanghai)."""

from __future__ import annotations

from datetime import datetime

import pytest

from hqd.formatting import format_link_time, format_time, parse_link_time
from hqd.i18n import describe_error
from hqd.settings import TimezoneSettingError, timezone
from hqd.store.engine import StoreError

# Stored times are naive UTC.
STORED = datetime(2024, 7, 1, 6, 3, 22, 123456)


@pytest.mark.parametrize(
    ("setting", "zone"),
    [(None, "Asia/Shanghai"), ("", "Asia/Shanghai"), ("Europe/London", "Europe/London"), (" UTC ", "UTC")],
)
def test_timezone_setting(monkeypatch, setting, zone):
    if setting is None:
        monkeypatch.delenv("HQD_TIMEZONE", raising=False)
    else:
        monkeypatch.setenv("HQD_TIMEZONE", setting)
    assert timezone() == zone


@pytest.mark.parametrize("setting", ["Mars/Olympus", "+08:00", "../etc/passwd"])
def test_an_unknown_timezone_is_refused_by_name(monkeypatch, setting):
    monkeypatch.setenv("HQD_TIMEZONE", setting)
    with pytest.raises(TimezoneSettingError) as refused:
        timezone()
    assert refused.value.name == setting


@pytest.mark.parametrize(
    ("zone", "shown", "link"),
    [
        (None, "2024-07-01 14:03", "2024-07-01T14:03:22.123456"),
        ("Europe/London", "2024-07-01 07:03", "2024-07-01T07:03:22.123456"),
        ("America/New_York", "2024-07-01 02:03", "2024-07-01T02:03:22.123456"),
        ("UTC", "2024-07-01 06:03", "2024-07-01T06:03:22.123456"),
    ],
)
def test_times_are_shown_and_linked_in_the_zone(monkeypatch, zone, shown, link):
    if zone:
        monkeypatch.setenv("HQD_TIMEZONE", zone)
    assert format_time(STORED) == shown
    assert format_link_time(STORED) == link
    assert parse_link_time(link) == STORED
    # A refusal naming a time (a rollback refused) shows it as the pages do.
    refusal = StoreError("store.already_rolled_back", upload_id=3, at=STORED)
    assert shown in describe_error(refusal, "zh") and shown in describe_error(refusal, "en")


@pytest.mark.parametrize(
    ("text", "stored"),
    [
        # Local time (Asia/Shanghai), as links hold it now.
        ("2024-07-01T14:03:22.123456", STORED),
        ("2024-07-01T14:03", datetime(2024, 7, 1, 6, 3)),
        ("2024-07-01", datetime(2024, 6, 30, 16, 0)),
        ("2024-07-01 14:03", datetime(2024, 7, 1, 6, 3)),
        # Links made before held UTC with its zone.
        ("2024-07-01T06:03:22.123456Z", STORED),
        ("2024-07-01T06:03:22.123456+00:00", STORED),
        # Any other zone is converted; a "+" typed into a link arrives as a space.
        ("2024-07-01T14:03:22.123456+08:00", STORED),
        ("2024-07-01T14:03:22.123456 08:00", STORED),
        ("2024-07-01T02:03:22.123456-04:00", STORED),
    ],
)
def test_parse_link_time(text, stored):
    assert parse_link_time(text) == stored


@pytest.mark.parametrize("text", ["not a time", "", "2024-13-01"])
def test_parse_link_time_refuses_what_is_no_time(text):
    with pytest.raises(ValueError):
        parse_link_time(text)
