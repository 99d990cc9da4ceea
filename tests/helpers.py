"""Plain helpers the query tests share."""

from __future__ import annotations

import math

from dashboard.db import Database, params_for
from dashboard.filters import Filters

ALL = Filters()

# Every page module in dashboard/pages/, as the navigation lists them.
ALL_PAGES = (
    "overview", "goals", "activities", "networks", "projects", "evaluation", "data",
    "history", "accessibility",
)  # fmt: skip


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
