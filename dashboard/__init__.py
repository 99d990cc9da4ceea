"""Målbild: follow up a municipality's international strategy.

The layers are packages, lowest first (each may import only those before it; a test,
`tests/test_layers.py`, checks every import, also those inside functions):
`settings`, `i18n`, `model`, `sql`, `storage`, `charts`, `outputs`, `imports`, `app`, `cli`.
"""

from pathlib import Path

#: The project's folder: `queries/`, `sample/`, `static/` and the default `data/` lie here.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
