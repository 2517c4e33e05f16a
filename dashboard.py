"""HQD entry point: page config, navigation, and the sidebar shared by every page."""

import streamlit as st

from hqd.i18n import translate
from hqd.ui import shell
from hqd.ui.data import Snapshot

st.set_page_config(page_title="六大工程指标看板 · HQD", page_icon=":material/monitoring:", layout="wide")

data = Snapshot()
lang = shell.language_switch()
page = shell.navigation(data.catalog, lang)
shell.year_select(data)
shell.banners(data, lang)
page.run()
st.sidebar.caption(translate("app.title", lang) + " · HQD")
