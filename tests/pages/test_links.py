"""AppTest of links: the explorer's filters and the language kept as codes, so a link opens the same view in
either language; links made before (holding names) still open."""

from __future__ import annotations

import pandas as pd
import pytest
from factories import make_observations
from support import infos, plain, table_with, texts

from hqd import store
from hqd.i18n import translate

ALL = ["A1", "A2", "A3", "B1", "B2", "B3"]


def listed(at, lang: str = "zh") -> list[str]:
    """Return the codes of the indicators the explorer lists (its table of each indicator's pace)."""
    return list(table_with(at, translate("col.pace", lang))[translate("col.code", lang)])


def as_list(value) -> list[str]:
    return value if isinstance(value, list) else [value]


# Every filter the explorer keeps in a link, alone and together, as the link holds it (codes).
LINKS = [
    {"programme": "B"},
    {"programme": ["A", "B"], "task": ["A-2", "B-1"]},
    {"task": "A-1"},
    {"department": "科技创新局", "programme": "A"},
    {"status": "no_data"},
    {"status": ["no_data", "on_track"], "programme": "A"},
    {"q": "指标a", "years": ["2021", "2022"]},
]


@pytest.mark.parametrize("link", LINKS, ids=lambda link: "&".join(link))
def test_a_link_opens_the_same_rows_in_both_languages(app, link):
    at = app.open("explorer", **link)
    assert not at.exception
    rows = listed(at)
    assert rows
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    assert listed(at, "en") == rows
    english = dict(at.query_params)
    assert english.pop("lang") == "en"
    assert {k: as_list(v) for k, v in english.items()} == {k: as_list(v) for k, v in link.items()}
    # The link copied in English (its filters as codes) opens the same rows in Chinese.
    assert listed(app.open("explorer", **english)) == rows


def test_filters_chosen_in_the_page_land_in_the_link_as_codes(app):
    at = app.open("explorer", lang="en")
    at.multiselect(key="programme").set_value(["B"]).run()
    at.multiselect(key="status").set_value(["no_data"]).run()
    assert at.query_params["programme"] == "B"
    assert at.query_params["status"] == "no_data"
    rows = listed(at, "en")
    at.segmented_control(key="lang").set_value("zh").run()
    assert listed(at) == rows
    assert "lang" not in at.query_params
    at.multiselect(key="programme").set_value([]).run()
    assert "programme" not in at.query_params


def no_data_in_2022(app) -> list[str]:
    return list(app.report.indicators.query("year == 2022 and status == 'no_data'")["code"])


# Links made before filters were codes held the names shown, in the language of the one who copied them.
OLD_LINKS = [
    ({"programme": "工程B"}, {"programme": "B"}),
    ({"programme": "Programme B", "lang": "English"}, {"programme": "B"}),
    ({"programme": "工程B", "lang": "English"}, {"programme": "B"}),
    ({"task": "任务A-1"}, {"task": "A-1"}),
    ({"task": ["Task A-1", "任务A-2"]}, {"task": ["A-1", "A-2"]}),
    ({"status": "无数据"}, {"status": "no_data"}),
    ({"status": "No data", "lang": "English"}, {"status": "no_data"}),
]


@pytest.mark.parametrize(("old", "new"), OLD_LINKS)
def test_a_link_holding_names_still_opens_and_is_rewritten_with_codes(app, old, new):
    at = app.open("explorer", **old)
    assert not at.exception
    lang = "en" if old.get("lang") else "zh"
    codes = app.open("explorer", **new)
    assert listed(at, lang) == listed(codes)
    assert listed(codes) != ALL
    assert {k: as_list(v) for k, v in at.query_params.items() if k != "lang"} == {k: as_list(v) for k, v in new.items()}
    assert at.query_params.get("lang") == ("en" if lang == "en" else None)


def test_an_old_status_name_opens_the_statuses_it_named(app):
    at = app.open("explorer", status="无数据", years=["2021", "2022"])
    assert listed(at) == no_data_in_2022(app)


@pytest.mark.parametrize(
    ("param", "lang"), [("en", "en"), ("English", "en"), ("zh", "zh"), ("中文", "zh"), ("xx", "zh")]
)
def test_the_language_of_a_link(app, param, lang):
    at = app.open("overview", lang=param)
    assert not at.exception
    assert at.segmented_control(key="lang").value == lang
    assert translate("app.title", lang) + " · HQD" in [c.value for c in at.sidebar.caption]
    # From now on the link holds the code; Chinese, the default, is left out.
    assert at.query_params.get("lang") == ("en" if lang == "en" else None)


def test_the_indicator_picker_is_sent_its_names_again_when_the_language_changes(app):
    at = app.open("explorer", indicator="A1")
    picker = at.selectbox(key="indicator")
    assert picker.value == "A1"
    at.segmented_control(key="lang").set_value("en").run()
    picker = at.selectbox(key="indicator")
    assert picker.value == "A1"
    assert "A1 Indicator A1" in picker.options
    # The browser keeps the label it was last sent unless told the value again: it must be, in English.
    assert picker.proto.set_value
    assert picker.proto.raw_value == "A1 Indicator A1"


def test_explorer_filters_are_sent_their_names_again_when_the_language_changes(app):
    at = app.open("explorer", programme="B", status="no_data")
    at.segmented_control(key="lang").set_value("en").run()
    programmes = at.multiselect(key="programme")
    assert programmes.value == ["B"]
    assert programmes.proto.set_value
    assert list(programmes.proto.raw_values) == ["Programme B"]
    assert list(at.multiselect(key="status").proto.raw_values) == ["No data"]


def add_third_upload(app) -> None:
    """Add a third upload (A1 2022 corrected), so that there is a moment before it with data."""
    store.commit_upload(app.engine, "更正.xlsx", b"fix", "王五", frame=make_observations([("A1", 2022, 170.0)]))


@pytest.fixture
def three_uploads(app, built):
    """The app with a third upload (add_third_upload, made once and copied)."""
    return app.start_from(built(add_third_upload))


def before_third(app) -> pd.Timestamp:
    """Return the last moment before upload 3 (stored times are naive UTC)."""
    return pd.Timestamp(store.read_uploads(app.engine).set_index("id").at[3, "created_at"]) - pd.Timedelta(
        microseconds=1
    )


@pytest.mark.parametrize("zone", [None, "Europe/London", "America/New_York"])
def test_the_as_of_link_holds_local_time(three_uploads, monkeypatch, zone):
    if zone:
        monkeypatch.setenv("HQD_TIMEZONE", zone)
    moment = before_third(three_uploads)
    local = moment.tz_localize("UTC").tz_convert(zone or "Asia/Shanghai").tz_localize(None)
    at = three_uploads.open("history")
    at.button(key="view_before").click().run()
    assert not at.exception
    link = at.query_params["as_of"]
    assert link == local.isoformat(timespec="microseconds")
    assert f"{local:%Y-%m-%d %H:%M}" in infos(at)
    # The link opens the same moment.
    again = three_uploads.open("overview", as_of=link)
    assert "第3号上传之前" in infos(again)
    assert f"{local:%Y-%m-%d %H:%M}" in infos(again)
    assert again.query_params["as_of"] == link


@pytest.mark.parametrize("suffix", ["Z", "+00:00"])
def test_an_old_utc_as_of_link_still_opens_the_same_moment(three_uploads, suffix):
    moment = before_third(three_uploads)
    at = three_uploads.open("overview", as_of=moment.isoformat() + suffix)
    assert not at.exception
    assert "第3号上传之前" in infos(at)
    local = moment.tz_localize("UTC").tz_convert("Asia/Shanghai").tz_localize(None)
    assert at.query_params["as_of"] == local.isoformat(timespec="microseconds")


def test_a_bad_time_zone_setting_stops_the_app_saying_what_to_set(app, monkeypatch):
    monkeypatch.setenv("HQD_TIMEZONE", "Mars/Olympus")
    at = app.open("overview")
    assert not at.exception
    assert "HQD_TIMEZONE" in plain(texts(at.error)) and "Mars/Olympus" in plain(texts(at.error))
