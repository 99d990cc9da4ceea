"""Plain helpers the query tests share."""

from __future__ import annotations

import math

from dashboard.app.pages import PAGES
from dashboard.model.filters import Filters
from dashboard.sql.queries import params_for
from dashboard.storage.engine import Database

ALL = Filters()

# Every page, as the app's own registry lists them (the navigation reads the same list).
ALL_PAGES = tuple(p.name for p in PAGES)


def run(db: Database, name: str, f: Filters = ALL, **extra) -> list[dict]:
    """A query's rows for *f*; paging and search default to "everything"."""
    extra = {"search": None, "limit": None, "offset": 0, **extra}
    return db.df(name, params_for(name, f, **extra)).to_dict("records")


def clean(rows: list[dict], *cols: str) -> list[tuple]:
    """Project rows on *cols*, with NaN/None/NA all shown as None."""

    def norm(v):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            return None
        try:
            if v != v:  # pandas.NA and NaT
                return None
        except TypeError:
            return None
        return v

    return [tuple(norm(r[c]) for c in cols) for r in rows]


def read_rows(folder, name: str) -> list[dict]:
    """Every row of one table of a dataset folder (of every file of a partitioned table)."""
    from dashboard.model.contract import SUMMARIES, TABLES
    from dashboard.storage.dataset import read_table

    table = next(t for t in (*TABLES, *SUMMARIES) if t.name == name)
    data = read_table(folder, table)
    return [] if data is None else data.to_pylist()


def table_file(folder, name: str):
    """A file of one table (of a partitioned table: its first organisation's file)."""
    from dashboard.model.contract import SUMMARIES, TABLES
    from dashboard.storage.dataset import table_files

    table = next(t for t in (*TABLES, *SUMMARIES) if t.name == name)
    return table_files(folder, table)[0]


def snapshot(folder) -> dict[str, bytes]:
    """Every file under a dataset folder, by its path inside it, with its bytes."""
    from pathlib import Path

    root = Path(folder)
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def open_table_tabs(at, lang: str) -> None:
    """Open every chart's table tab (they are drawn only when open) and rerun: what a
    reader does who clicks "Tabell" under each chart."""
    from dashboard.i18n import t

    keys = [k for k in at.session_state if str(k).startswith("tabs-")]
    for k in keys:
        at.session_state[k] = t("tab.table", lang)
    if keys:
        at.run()
