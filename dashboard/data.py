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

from dashboard.dataset import MANIFEST, data_dir, data_location
from dashboard.db import Database, load_query, params_for
from dashboard.export import csv_chunks
from dashboard.filters import Filters
from dashboard.kept import Kept
from dashboard.store import Location, current_version, is_remote, mirror, read_mode

ALL = Filters()


@st.cache_resource(show_spinner=False, max_entries=8)
def _database(folder: str, stamp: float = 0.0) -> Database:
    """A connection per dataset folder and stamp (a small dataset is held in memory, so a
    new import needs a new connection), or per version of a dataset in an object store
    (`s3://bucket/prefix@7`: a version never changes, so its connection never goes stale)."""
    if is_remote(folder):
        url, version, mode = folder.rsplit("@", 2)
        loc = Location.parse(url)
        if mode == "mirror":
            return Database(mirror(loc, int(version)))
        return Database(store=(loc, int(version)))
    return Database(Path(folder))


def remote() -> bool:
    """Whether the dataset is in an object store (then the dashboard only reads it)."""
    return is_remote(data_location())


def source_key() -> str:
    """What this session reads, as the caches key it: a folder, or a store's version and
    how it is read (s3://bucket/prefix@7@mirror)."""
    if remote():
        loc = Location.parse(data_location())
        version = current_version(loc)
        if version is None:
            from dashboard.db import DatasetError

            raise DatasetError(f"nothing is published in {loc.url} yet", "missing")
        return f"{loc.url}@{version}@{read_mode()}"
    return str(folder())


K_AS_OF = "_as_of_version"  # the earlier version this session looks at (absent: the live one)


def as_of() -> int | None:
    """The earlier version this session shows, read-only (None: the live dataset)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        return None
    return st.session_state.get(K_AS_OF)


def show_version(version: int | None) -> None:
    """Show the dashboard as it was at *version* (None: back to the live dataset)."""
    if version is None:
        st.session_state.pop(K_AS_OF, None)
    else:
        st.session_state[K_AS_OF] = int(version)


def folder() -> Path:
    """The dataset folder this session reads: the live one, or a kept version's."""
    from dashboard import history

    version = as_of()
    if version is not None:
        kept = history.version_dir(data_dir(), version)
        if kept.is_dir():
            return kept
        show_version(None)  # pruned meanwhile: back to the live dataset
    return data_dir()


def database() -> Database:
    """The process-wide connection over the folder (or store version) this session reads."""
    return _database(source_key(), stamp())


def stamp() -> float:
    """Changes whenever the dataset is re-imported (the manifest's modification time; in
    an object store, the version the pointer names)."""
    if remote():
        return float(source_key().rsplit("@", 2)[1])
    try:
        return (folder() / MANIFEST).stat().st_mtime
    except OSError:
        return 0.0


_results: Kept[pd.DataFrame] = Kept(1024)  # query results of this process


def _query(
    name: str, filters: Filters, folder: str, stamp: float, extra: tuple[tuple[str, Any], ...]
) -> pd.DataFrame:
    """A query's result, computed once per (name, filters, dataset, stamp, extra) and shared
    by every session of the process (`dashboard.kept`). Each caller gets a shallow copy:
    with pandas' copy-on-write (the default since pandas 3) nothing a caller does to its
    copy, adding a column or changing a cell, reaches the kept result."""
    df = _results.get_or_make(
        (name, filters, folder, stamp, extra),
        lambda: _database(folder, stamp).df(name, params_for(name, filters, **dict(extra))),
    )
    return df.copy(deep=False)


# -------------------------------------------------------------- who may read what

K_SCOPE = "_read_scope"  # the organisations this session may read (absent: every one)
NOTHING = "\x00"  # an organisation id no dataset has: a scope that reads no row


def set_scope(orgs: tuple[str, ...] | None) -> None:
    """Limit every read of this session to *orgs* (None: no limit). Set by the shell from
    the signed-in user's grants, before any page reads."""
    if orgs is None:
        st.session_state.pop(K_SCOPE, None)
    else:
        st.session_state[K_SCOPE] = tuple(orgs)


_SESSION = object()  # "the scope of the session running this code"


def scope() -> tuple[str, ...] | None:
    """The organisations this session may read (None: every one). Code that runs outside a
    session's script run (a download button's callable runs on another thread) reads
    nothing when sign-in is configured: pass the scope captured in the run instead."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        from dashboard.shell import sign_in_configured

        return () if sign_in_configured() else None
    return st.session_state.get(K_SCOPE)


def scoped(filters: Filters, allowed: object = _SESSION) -> Filters:
    """*filters* narrowed to what may be read (*allowed*, by default this session's scope):
    no selection means every readable organisation, and an organisation outside the scope
    (a crafted link) reads nothing. Every query, download and the annual report go
    through here."""
    allowed = scope() if allowed is _SESSION else allowed
    if allowed is None:
        return filters
    assert isinstance(allowed, tuple)
    orgs = tuple(o for o in filters.orgs if o in allowed) if filters.orgs else allowed
    return Filters(orgs or (NOTHING,), filters.year_from, filters.year_to, filters.goals)


def _only_readable(df: pd.DataFrame) -> pd.DataFrame:
    """Rows of other organisations dropped from a result whose query takes no organisation
    (the list of organisations itself, say)."""
    allowed = scope()
    if allowed is None or "org_id" not in df:
        return df
    return df[df["org_id"].isin(allowed)].reset_index(drop=True)


def query(name: str, filters: Filters = ALL, **extra: Any) -> pd.DataFrame:
    """A query's result for the filters (narrowed to what this session may read); cached
    on (name, filters, extra, dataset stamp)."""
    f = scoped(filters)
    df = _query(name, f, source_key(), stamp(), tuple(sorted(extra.items())))
    return _only_readable(df)


def every_organisation() -> pd.DataFrame:
    """Every organisation of the dataset, whatever this session may read: only for the
    shell, to work out what the signed-in person may read (the scope itself)."""
    return _query("organisations", ALL, source_key(), stamp(), ())


def batches(
    name: str, filters: Filters = ALL, allowed: object = _SESSION, **extra: Any
) -> Iterator[pa.RecordBatch]:
    """Stream a query's result (large downloads), uncached, narrowed like `query` (to
    *allowed*, by default this session's scope)."""
    allowed = scope() if allowed is _SESSION else allowed
    f = scoped(filters, allowed)
    found = database().batches(name, params_for(name, f, **extra))
    if allowed is None:
        return found
    import pyarrow.compute as pc

    keep = pa.array(list(allowed))  # type: ignore[call-overload]
    return (
        b.filter(pc.is_in(b.column("org_id"), value_set=keep)) if "org_id" in b.schema.names else b
        for b in found
    )


def csv_bytes(
    name: str,
    filters: Filters,
    lang: str,
    shape: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    allowed: object = _SESSION,
    **extra: Any,
) -> bytes:
    """A query's whole result as a CSV file, streamed from DuckDB batch by batch.

    *shape* turns each batch into what the table shows (`ui.for_download`: its headers,
    names and words); without it the file has the query's own columns. The same path as
    `python -m dashboard query` (`--readable` shapes it), so a download and the command line
    give the same bytes.
    """
    columns = list(load_query(name).columns)
    found = batches(name, filters, allowed, **extra)
    return b"".join(csv_chunks(found, columns, lang, shape))


def clear() -> None:
    """Forget cached results and the connection, after the dataset was replaced."""
    _results.clear()
    _database.clear()
