"""Queries: the SQL files in `queries/`, loaded by name, their parameters declared and bound.

Layer rule: imports only `dashboard.model` and `dashboard.i18n`.
"""
