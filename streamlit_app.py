"""Målbild's entry point: it only routes. Pages live in dashboard/pages/, one module each."""

import streamlit as st

from dashboard import shell
from dashboard.pages import activities, goals, overview

view = shell.start()
pages = [
    shell.page(
        overview.render, view, "page.overview", ":material/dashboard:", "overview", default=True
    ),
    shell.page(goals.render, view, "page.goals", ":material/flag:", "goals"),
    shell.page(activities.render, view, "page.activities", ":material/list:", "activities"),
]
st.navigation(pages).run()
