"""Streamlit glue shared by the pages: cached engine and data, session keys, widgets."""
