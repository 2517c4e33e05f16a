"""HQD entry point: page config, navigation and the sidebar shared by every page."""

import streamlit as st

st.set_page_config(page_title="六大工程指标看板", page_icon="📊", layout="wide")

overview = st.Page("pages/overview.py", title="总览", icon="📊", url_path="overview", default=True)
st.navigation({"总览": [overview]}).run()
