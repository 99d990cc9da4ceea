"""Målbild's entry point: it only routes. Pages live in dashboard/app/pages/ (the list: PAGES)."""

import streamlit as st

from dashboard.app import shell
from dashboard.app.pages import PAGES

view = shell.start()
st.navigation([shell.page(p, view) for p in PAGES]).run()
