"""Imports and checks: every change people make (an import, an upload, a save in the
browser, an undo), read, checked against the contract and written through storage.

Layer rule: imports `dashboard.outputs` (an edit in the browser is a workbook the outputs'
writer writes and the import reads back), `dashboard.charts`, `dashboard.storage`,
`dashboard.sql`, `dashboard.model`, `dashboard.i18n`, `dashboard.settings`.
"""
