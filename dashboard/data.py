"""Data access for the pages: the cached connection and cached, filter-keyed query results.

Pages never see DuckDB: they call `query(name, filters, ...)`, whose cache key is the
query name, the frozen `Filters` value, the small extra parameters and the dataset's
stamp (so an import invalidates every cached result).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard.dataset import MANIFEST, data_dir
from dashboard.db import Database
from dashboard.filters import Filters

ALL = Filters()


@st.cache_resource(show_spinner=False)
def _database(folder: str) -> Database:
    return Database(Path(folder))


def database() -> Database:
    """The process-wide connection over the current dataset folder."""
    return _database(str(data_dir()))


def stamp() -> float:
    """Changes whenever the dataset is re-imported (the manifest's modification time)."""
    try:
        return (data_dir() / MANIFEST).stat().st_mtime
    except OSError:
        return 0.0


@st.cache_data(show_spinner=False, max_entries=1024)
def _query(
    name: str, filters: Filters, stamp: float, extra: tuple[tuple[str, Any], ...]
) -> pd.DataFrame:
    return database().df(name, filters.params_for(name, **dict(extra)))


def query(name: str, filters: Filters = ALL, **extra: Any) -> pd.DataFrame:
    """A query's result for the filters; cached on (name, filters, extra, dataset stamp)."""
    return _query(name, filters, stamp(), tuple(sorted(extra.items())))


def batches(name: str, filters: Filters = ALL, **extra: Any) -> Iterator[pa.RecordBatch]:
    """Stream a query's result (large downloads), uncached."""
    return database().batches(name, filters.params_for(name, **extra))


def clear() -> None:
    """Forget cached results and the connection, after the dataset was replaced."""
    _query.clear()
    _database.clear()
