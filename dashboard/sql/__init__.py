"""Queries: the SQL files in `queries/`, loaded by name, their parameters declared and bound.

Layer rule: imports only `dashboard.model`, `dashboard.i18n` and `dashboard.settings`.
"""
