"""Målbild's entry point: it only routes. Pages live in dashboard/pages/, one module each."""

import streamlit as st

from dashboard import shell

view = shell.start()
pages = [
    shell.page("overview", view, "page.overview", ":material/dashboard:", default=True),
    shell.page("goals", view, "page.goals", ":material/flag:"),
    shell.page("activities", view, "page.activities", ":material/list:"),
    shell.page("networks", view, "page.networks", ":material/hub:"),
    shell.page("projects", view, "page.projects", ":material/euro:"),
    shell.page("evaluation", view, "page.evaluation", ":material/fact_check:"),
    shell.page("data", view, "page.data", ":material/database:"),
    shell.page("history", view, "page.history", ":material/history:"),
    shell.page("accessibility", view, "page.accessibility", ":material/accessibility:"),
]
st.navigation(pages).run()
