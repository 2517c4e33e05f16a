"""HQD entry point: page config, who is signed in, role-aware navigation, the shared sidebar."""

import streamlit as st

from hqd.i18n import translate
from hqd.settings import PAGE_ICON
from hqd.ui import auth, context, shell
from hqd.ui.data import Snapshot, get_engine

# Also in .streamlit/config.toml, which Streamlit reads only from the folder it is started in: set
# here too, so no table hands out raw text (formulas included) however the server was started.
st.set_option("client.disableDataExport", True)
st.set_option("client.showErrorDetails", "none")
# A file, not ":material/…:": Streamlit fetches a material page icon from fonts.gstatic.com.
st.set_page_config(page_title="六大工程指标看板 · HQD", page_icon=str(PAGE_ICON), layout="wide")
shell.quiet_placeholders()

lang = shell.language_switch()
auth.refuse_unsafe_settings(lang)
shell.refuse_bad_timezone(lang)
data = Snapshot()  # the one read of the data this run; the page gets the same object
mode = auth.auth_mode(get_engine())
identity = auth.current_identity(get_engine(), mode)
page = shell.navigation(data.catalog, lang, identity, mode)
shell.account_box(identity, mode, lang)
if identity is not None:
    shell.period_select(data)
    shell.year_select(data)
shell.banners(data, lang, mode)
with context.run_with(data):
    page.run()
st.sidebar.caption(translate("app.title", lang) + " · HQD")
