"""What each page shows, computed without Streamlit: one module per page, each returning data the page renders."""
