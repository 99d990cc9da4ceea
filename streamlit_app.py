"""Målbild's entry point: it only routes. Pages live in dashboard/pages/ (the list: PAGES)."""

import streamlit as st

from dashboard import shell
from dashboard.pages import PAGES

view = shell.start()
st.navigation([shell.page(p, view) for p in PAGES]).run()
