"""The frame around every page: language, year, navigation, account box and banners."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pandas as pd
import streamlit as st

from hqd import store
from hqd.accounts import Identity
from hqd.catalog import Catalog
from hqd.formatting import escape_markdown, format_time
from hqd.i18n import LANGUAGES, name_column, role_name, translate
from hqd.policy import PAGE_ACTIONS, authorize
from hqd.settings import TimezoneSettingError, timezone
from hqd.ui import state
from hqd.ui.auth import sign_out
from hqd.ui.data import Snapshot, get_engine, view_as_of

DEFAULT_ICON = ":material/flag:"


# Widgets that show codes by their names in the language: told their value again when it changes.
NAMED_WIDGETS = (state.INDICATOR, state.FILTER_PROGRAMME, state.FILTER_TASK, state.FILTER_STATUS)


# Streamlit's grey placeholders, shown while an element's script loads, shimmer: each frame repaints them all, and a
# new visitor's browser spent more time painting them than the dashboard gained from the motion (0.4–0.9 s of CPU on
# the overview, which waits for several at once). Still grey, still there, they just do not move.
QUIET_PLACEHOLDERS = "<style>[data-testid='stSkeleton']{animation:none !important}</style>"


def quiet_placeholders() -> None:
    """Still Streamlit's loading placeholders for the session (a style, no element on the page)."""
    st.html(QUIET_PLACEHOLDERS)


def language() -> str:
    """Return the language chosen in the sidebar (zh until one is chosen)."""
    return st.session_state.get(state.LANG) or "zh"


def read_language(value: str | None) -> str | None:
    """Return the language a link's ?lang= names: a code (en, zh) or, in links made before, its name (English, 中文)."""
    words = {code.casefold(): code for code in LANGUAGES} | {name.casefold(): code for code, name in LANGUAGES.items()}
    return words.get(str(value).strip().casefold()) if value else None


def language_switch() -> str:
    """Render the language switch; it is kept in the URL as a code (?lang=en), Chinese being the default."""
    # Bound by hand: a bound widget keeps the shown text in the URL (lang=English), not the code.
    if state.LANG not in st.session_state:
        st.session_state[state.LANG] = read_language(st.query_params.get(state.LANG)) or "zh"
    # A bilingual label, so that someone who cannot read the current language still finds it.
    st.sidebar.segmented_control(
        "语言 / Language", list(LANGUAGES), format_func=LANGUAGES.get, required=True, key=state.LANG
    )
    lang = language()
    keep_in_url(state.LANG, [lang] if lang != "zh" else [])
    shown = st.session_state.get(state.SHOWN_LANG)
    if shown is not None and shown != lang:
        # A widget whose value did not change keeps the label it was last sent, in the old
        # language; a value set again is sent again, with its label in the new one.
        for key in NAMED_WIDGETS:
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
    st.session_state[state.SHOWN_LANG] = lang
    return lang


def refuse_bad_timezone(lang: str) -> None:
    """Stop every page, saying what to set, when HQD_TIMEZONE names no time zone: no time could be shown."""
    try:
        timezone()
    except TimezoneSettingError as error:
        st.error(translate("settings.bad_timezone", lang, name=escape_markdown(error.name)), icon=":material/schedule:")
        st.stop()


def seed_from_url(key: str, read: Callable[[list[str]], list[str]]) -> None:
    """Give a widget kept in the URL by hand its value from the link on its first run; read maps the link's values."""
    if key not in st.session_state and key in st.query_params:
        values = read(st.query_params.get_all(key))
        if values:
            st.session_state[key] = values


def keep_in_url(key: str, values: Iterable[str]) -> None:
    """Keep a widget's codes in the URL (?key=a&key=b), none when nothing is chosen."""
    values = [str(v) for v in values]
    if values:
        if st.query_params.get_all(key) != values:
            st.query_params[key] = values
    elif key in st.query_params:
        del st.query_params[key]


def period_select(data: Snapshot) -> None:
    """Render the plan-period picker when the catalog has more than one, kept in the URL (?period=P15)."""
    periods = data.catalog.periods.set_index("code")
    if len(periods) < 2:
        return
    lang = language()
    codes = list(periods.index)

    def label(code: str) -> str:
        row = periods.loc[code]
        name = row["name_zh"] if lang == "zh" else row["name_en"] or row["name_zh"]
        return translate("app.period_label", lang, name=name, first=row["base_year"], last=row["target_year"])

    st.sidebar.selectbox(
        translate("app.period", lang),
        codes,
        index=codes.index(data.period),
        format_func=label,
        key=state.PERIOD,
        bind="query-params",
        # Another period has other years: its own default year is shown, not the one picked before.
        on_change=_forget_year,
    )


def _forget_year() -> None:
    st.session_state.pop(state.YEAR, None)
    if state.YEAR in st.query_params:
        del st.query_params[state.YEAR]


def year_select(data: Snapshot) -> int:
    """Render the year picker of the period (default: its latest year with data), kept in the URL (?year=2023)."""
    years = data.catalog.years(data.period)
    if st.session_state.get(state.YEAR) not in (None, *years):
        _forget_year()
    default = data.default_year if data.default_year in years else years[-1]
    st.sidebar.selectbox(
        translate("app.year", language()),
        years,
        index=years.index(default),
        key=state.YEAR,
        bind="query-params",
        help=translate("app.year_help", language()),
    )
    return selected_year(data)


def selected_year(data: Snapshot) -> int:
    """Return the year chosen in the sidebar."""
    return int(st.session_state.get(state.YEAR) or data.default_year)


# The pages every catalog has: script, title key, icon and URL path.
PAGES = {
    "overview": ("app_pages/overview.py", "nav.overview", ":material/dashboard:"),
    "assessment": ("app_pages/assessment.py", "nav.assessment", ":material/task_alt:"),
    "explorer": ("app_pages/explorer.py", "nav.explorer", ":material/query_stats:"),
    "quality": ("app_pages/quality.py", "nav.quality", ":material/fact_check:"),
    "upload": ("app_pages/upload.py", "nav.upload", ":material/upload_file:"),
    "history": ("app_pages/history.py", "nav.history", ":material/history:"),
    "accounts": ("app_pages/accounts.py", "nav.accounts", ":material/manage_accounts:"),
    "audit": ("app_pages/audit.py", "nav.audit", ":material/policy:"),
    "supervision": ("app_pages/supervision.py", "nav.supervision", ":material/assignment_late:"),
    "departments": ("app_pages/departments.py", "nav.departments", ":material/leaderboard:"),
    "signin": ("app_pages/signin.py", "nav.signin", ":material/login:"),
}
# Navigation sections and their pages, in order; each page shows only to those policy.PAGE_ACTIONS allows.
# Shown under the overview, in order.
OVERVIEW_PAGES = ["assessment"]
SECTIONS = {
    "nav.supervise": ["supervision", "departments"],
    "nav.analysis": ["explorer", "quality"],
    "nav.data": ["upload", "history"],
    "nav.admin": ["accounts", "audit"],
}


def page(name: str, lang: str, default: bool | None = None) -> st.Page:
    """Return one of the fixed pages (the overview is the default page)."""
    script, title, icon = PAGES[name]
    default = name == "overview" if default is None else default
    return st.Page(script, title=translate(title, lang), icon=icon, url_path=name, default=default)


def programme_page(programme, lang: str) -> st.Page:
    """Return the page of one programme (a catalog row); every programme shares one script."""
    return st.Page(
        "app_pages/programme.py",
        title=programme[name_column(lang)],
        icon=programme["icon"] or DEFAULT_ICON,
        url_path=programme["slug"],
    )


def navigation(catalog: Catalog, lang: str, identity: Identity | None, mode: str) -> st.Page:
    """Render the pages this identity may open and return the page chosen.

    A page left out cannot be reached by its URL either: Streamlit answers it with the default page.
    """
    st.session_state[state.CURRENT_IDENTITY] = identity
    if identity is None:
        chosen = st.navigation([page("signin", lang, default=True)])
        st.session_state[state.PROGRAMME] = None
        return chosen
    # The overview is every reader's way in (the default page), its final assessment beside it.
    overview = [page("overview", lang)] + [
        page(name, lang) for name in OVERVIEW_PAGES if authorize(identity, PAGE_ACTIONS[name])
    ]
    sections = {translate("nav.overview", lang): overview}
    sections[translate("nav.programmes", lang)] = [
        programme_page(row, lang) for _, row in catalog.programmes.iterrows()
    ]
    for title, names in SECTIONS.items():
        allowed = [page(name, lang) for name in names if authorize(identity, PAGE_ACTIONS[name])]
        if allowed:
            sections[translate(title, lang)] = allowed
    if identity.method == "anonymous" and mode in ("password", "sso"):
        sections[translate("nav.account", lang)] = [page("signin", lang)]
    chosen = st.navigation(sections, expanded=True)
    by_slug = catalog.programmes.set_index("slug")["code"]
    st.session_state[state.PROGRAMME] = by_slug.get(chosen.url_path)
    return chosen


def identity() -> Identity | None:
    """Return who is using this session (set by the entry script on every run)."""
    return st.session_state.get(state.CURRENT_IDENTITY)


def account_box(current: Identity | None, mode: str, lang: str) -> None:
    """Show in the sidebar who is signed in, with a way out (or in)."""
    if current is None or current.method in ("single-user", "anonymous"):
        return
    shown = translate("auth.signed_in", lang, name=current.name, role=role_name(current.role, lang))
    st.sidebar.caption(escape_markdown(shown))
    if current.method == "password" and st.sidebar.button(translate("auth.sign_out", lang), key="sign_out"):
        sign_out()
        store.append_audit(get_engine(), current.username, current.role, "sign_out")
        st.rerun()
    elif current.method == "sso" and st.sidebar.button(translate("auth.sign_out", lang), key="sign_out"):
        st.logout()


def current_programme() -> str | None:
    """Return the code of the programme whose page is open."""
    return st.session_state.get(state.PROGRAMME)


def banners(data: Snapshot, lang: str, mode: str) -> None:
    """Say plainly, on every page, when the figures are sample data or a past state, or nobody signs in."""
    # Short, so that the programmes' standing still shows on a 1280×800 screen without scrolling; who may
    # do what is said beside the account box.
    if mode == "single-user":
        st.sidebar.caption(translate("auth.single_user_line", lang), help=translate("auth.single_user", lang))
    if data.has_sample:
        st.warning(translate("app.sample_line", lang), icon=":material/science:")
    if st.session_state.pop(state.AS_OF_REFUSED, False):
        st.warning(translate("asof.refused", lang), icon=":material/history:")
    if data.as_of is not None:
        uploads = store.read_uploads(get_engine())
        later = uploads[uploads["created_at"] > data.as_of]
        first_after = int(later["id"].min()) if len(later) else "—"
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.info(
            translate("asof.banner", lang, time=format_time(data.as_of), id=first_after), icon=":material/history:"
        )
        if right.button(translate("asof.back", lang), icon=":material/update:"):
            view_as_of(None)
            st.rerun()


def user_name(lang: str) -> str:
    """Return the name recorded for changes: the signed-in user, or in single-user mode a name asked for."""
    current = identity()
    if current is not None and current.method != "single-user":
        st.caption(escape_markdown(translate("upload.user_signed_in", lang, name=current.name)))
        return current.username or current.name
    return st.text_input(
        translate("upload.user", lang), key=state.USER_NAME, help=translate("upload.user_help", lang), max_chars=40
    ).strip()


def month_picker(year: int, latest: int, lang: str) -> int:
    """Render a picker of the months of a year under way, latest first, kept in the URL as ?month=10.

    Shown as plain numbers: a bound selectbox keeps the text it shows in the URL, and a link must
    open the same month in either language.
    """
    return st.selectbox(
        translate("explorer.month", lang, year=year),
        list(range(latest, 0, -1)),
        key=state.FILTER_MONTH,
        bind="query-params",
    )


def indicator_picker(label: str, names: pd.Series, lang: str, **options) -> str | None:
    """Render a picker of indicators (codes to names), kept in the URL as ?indicator=CODE.

    Bound by hand: a bound selectbox keeps the shown text in the URL, here a Chinese name.
    """
    wanted = st.query_params.get(state.INDICATOR)
    if state.INDICATOR not in st.session_state and wanted in names.index:
        st.session_state[state.INDICATOR] = wanted
    # Labels made at once, not formatted one by one: the explorer may offer 50,000 indicators. Made Python lists by
    # tolist: iterating an Arrow-backed index or column converts its values one by one (0.3 s for 50,000).
    codes = names.index.tolist()
    labels = dict(zip(codes, (names.index.astype(str) + " " + names.astype(str).to_numpy()).tolist(), strict=True))
    chosen = st.selectbox(label, codes, index=None, format_func=labels.__getitem__, key=state.INDICATOR, **options)
    if chosen:
        st.query_params[state.INDICATOR] = chosen
    elif state.INDICATOR in st.query_params:
        del st.query_params[state.INDICATOR]
    return chosen
