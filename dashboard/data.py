"""Data access for the pages: the cached connection and cached, filter-keyed query results.

Pages never see DuckDB: they call `query(name, filters, ...)`, whose cache key is the
query name, the frozen `Filters` value, the small extra parameters and the dataset's
stamp (so an import invalidates every cached result).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard.dataset import MANIFEST, data_dir
from dashboard.db import Database, load_query, params_for
from dashboard.export import csv_chunks
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
    name: str, filters: Filters, folder: str, stamp: float, extra: tuple[tuple[str, Any], ...]
) -> pd.DataFrame:
    return _database(folder).df(name, params_for(name, filters, **dict(extra)))


def query(name: str, filters: Filters = ALL, **extra: Any) -> pd.DataFrame:
    """A query's result for the filters; cached on (name, filters, extra, dataset stamp)."""
    return _query(name, filters, str(data_dir()), stamp(), tuple(sorted(extra.items())))


def batches(name: str, filters: Filters = ALL, **extra: Any) -> Iterator[pa.RecordBatch]:
    """Stream a query's result (large downloads), uncached."""
    return database().batches(name, params_for(name, filters, **extra))


def csv_bytes(
    name: str,
    filters: Filters,
    lang: str,
    shape: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    **extra: Any,
) -> bytes:
    """A query's whole result as a CSV file, streamed from DuckDB batch by batch.

    *shape* turns each batch into what the table shows (`ui.for_download`: its headers,
    names and words); without it the file has the query's own columns. The same path as
    `python -m dashboard query` (`--readable` shapes it), so a download and the command line
    give the same bytes.
    """
    columns = list(load_query(name).columns)
    return b"".join(csv_chunks(batches(name, filters, **extra), columns, lang, shape))


def clear() -> None:
    """Forget cached results and the connection, after the dataset was replaced."""
    _query.clear()
    _database.clear()
