"""Outputs: what leaves the dashboard as a file (CSV, the annual workbook and report, the
template) and how text is made inert, with no Streamlit.

Layer rule: imports `dashboard.charts`, `dashboard.storage`, `dashboard.sql`, `dashboard.model`,
`dashboard.i18n`, `dashboard.settings`; never `streamlit`.
"""
