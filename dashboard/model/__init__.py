"""The model: the data contract, its vocabulary, the filters, who may do what, and how results read.

Layer rule: imports only `dashboard.i18n` and `dashboard.settings` (and the standard library,
pandas, pyarrow).
"""
