"""The Streamlit app: the shell, shared page parts, the cached read gate and the pages.

Layer rule: may import every layer except `dashboard.cli`; the pages (`dashboard.app.pages`)
only lay out sections and import neither `dashboard.storage` nor `dashboard.imports` nor
`dashboard.sql`.
"""
