"""The frame around every page: language, year, navigation, sample banner, session keys."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from hqd.catalog import Catalog
from hqd.formatting import format_time
from hqd.i18n import LANGUAGES, name_column, translate
from hqd.ui.data import Snapshot, view_as_of

LANG_KEY, YEAR_KEY, INDICATOR_KEY = "lang", "year", "indicator"
PROGRAMME_KEY = "_programme"
USER_KEY = "user_name"
DEFAULT_ICON = ":material/flag:"


def language() -> str:
    """Return the language chosen in the sidebar (zh until one is chosen)."""
    return st.session_state.get(LANG_KEY) or "zh"


def language_switch() -> str:
    """Render the language switch; it is kept in the URL (?lang=en)."""
    # A bilingual label, so that someone who cannot read the current language still finds it.
    st.sidebar.segmented_control(
        "语言 / Language",
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        default="zh",
        required=True,
        key=LANG_KEY,
        bind="query-params",
    )
    return language()


def year_select(data: Snapshot) -> int:
    """Render the year picker (default: the latest year with data), kept in the URL (?year=2023)."""
    years = data.catalog.years()
    default = data.default_year if data.default_year in years else years[-1]
    st.sidebar.selectbox(
        translate("app.year", language()),
        years,
        index=years.index(default),
        key=YEAR_KEY,
        bind="query-params",
        help=translate("app.year_help", language()),
    )
    return selected_year(data)


def selected_year(data: Snapshot) -> int:
    """Return the year chosen in the sidebar."""
    return int(st.session_state.get(YEAR_KEY) or data.default_year)


# The pages every catalog has: script, title key, icon and URL path.
PAGES = {
    "overview": ("app_pages/overview.py", "nav.overview", ":material/dashboard:"),
    "explorer": ("app_pages/explorer.py", "nav.explorer", ":material/query_stats:"),
    "quality": ("app_pages/quality.py", "nav.quality", ":material/fact_check:"),
    "upload": ("app_pages/upload.py", "nav.upload", ":material/upload_file:"),
    "history": ("app_pages/history.py", "nav.history", ":material/history:"),
}


def page(name: str, lang: str) -> st.Page:
    """Return one of the fixed pages (the overview is the default page)."""
    script, title, icon = PAGES[name]
    return st.Page(script, title=translate(title, lang), icon=icon, url_path=name, default=name == "overview")


def programme_page(programme, lang: str) -> st.Page:
    """Return the page of one programme (a catalog row); every programme shares one script."""
    return st.Page(
        "app_pages/programme.py",
        title=programme[name_column(lang)],
        icon=programme["icon"] or DEFAULT_ICON,
        url_path=programme["slug"],
    )


def navigation(catalog: Catalog, lang: str) -> st.Page:
    """Render the navigation and return the page chosen; remember which programme it shows."""
    pages = {row["slug"]: programme_page(row, lang) for _, row in catalog.programmes.iterrows()}
    chosen = st.navigation(
        {
            translate("nav.overview", lang): [page("overview", lang)],
            translate("nav.programmes", lang): list(pages.values()),
            translate("nav.analysis", lang): [page("explorer", lang), page("quality", lang)],
            translate("nav.data", lang): [page("upload", lang), page("history", lang)],
        }
    )
    by_slug = catalog.programmes.set_index("slug")["code"]
    st.session_state[PROGRAMME_KEY] = by_slug.get(chosen.url_path)
    return chosen


def current_programme() -> str | None:
    """Return the code of the programme whose page is open."""
    return st.session_state.get(PROGRAMME_KEY)


def banners(data: Snapshot, lang: str) -> None:
    """Say plainly, on every page, when the figures are sample data or a past state."""
    if data.has_sample:
        st.warning(translate("app.sample", lang), icon=":material/science:")
    if data.as_of is not None:
        later = data.uploads[data.uploads["created_at"] > data.as_of]
        first_after = int(later["id"].min()) if len(later) else "—"
        left, right = st.columns([5, 1], vertical_alignment="center")
        left.info(
            translate("asof.banner", lang, time=format_time(data.as_of), id=first_after), icon=":material/history:"
        )
        if right.button(translate("asof.back", lang), icon=":material/update:"):
            view_as_of(None)
            st.rerun()


def user_name(lang: str) -> str:
    """Return who is working, asked once per session (until sign-in exists)."""
    return st.text_input(
        translate("upload.user", lang), key=USER_KEY, help=translate("upload.user_help", lang), max_chars=40
    ).strip()


def indicator_picker(label: str, names: pd.Series, lang: str, **options) -> str | None:
    """Render a picker of indicators (codes to names), kept in the URL as ?indicator=CODE.

    Bound by hand: a bound selectbox keeps the shown text in the URL, here a Chinese name.
    """
    wanted = st.query_params.get(INDICATOR_KEY)
    if INDICATOR_KEY not in st.session_state and wanted in names.index:
        st.session_state[INDICATOR_KEY] = wanted
    chosen = st.selectbox(
        label, list(names.index), index=None, format_func=lambda c: f"{c} {names[c]}", key=INDICATOR_KEY, **options
    )
    if chosen:
        st.query_params[INDICATOR_KEY] = chosen
    elif INDICATOR_KEY in st.query_params:
        del st.query_params[INDICATOR_KEY]
    return chosen
