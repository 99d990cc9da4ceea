"""Charts: pure figure builders, a DataFrame and translated labels in, a Plotly figure out.

Layer rule: imports only `dashboard.model`, `dashboard.i18n` and `dashboard.settings`.
"""
