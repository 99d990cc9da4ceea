"""Data access for the pages: the cached connection and cached, filter-keyed query results.

Pages never see DuckDB: they call `query(name, filters, ...)`, whose cache key is the
query name, the frozen `Filters` value, the small extra parameters and the dataset's
stamp (so an import invalidates every cached result).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import streamlit as st

from dashboard.app.kept import Kept
from dashboard.i18n import t
from dashboard.model.access import Person, Scope, ScopeMissing
from dashboard.model.filters import Filters
from dashboard.model.tables import stacked
from dashboard.outputs.export import csv_chunks
from dashboard.sql.queries import load_query, params_for
from dashboard.storage import (
    NAMED_BY,
    STORE_FAILURES,
    Database,
    DatasetError,
    Entry,
    data_dir,
    entries,
    forget,
    history_key,
    kept,
    lake_at,
    read_manifest,
    seen,
)
from dashboard.storage import last_version as _last_version
from dashboard.storage import previous_version as _previous_version
from dashboard.storage import stamp as newest_snapshot
from dashboard.storage import version_rows as _stored_rows

ALL = Filters()


@st.cache_resource(show_spinner=False, max_entries=8)
def _database(folder: str, history: int, stamp: float = 0.0) -> Database:
    """A connection per dataset folder, catalog history and snapshot (a snapshot never
    changes, so its connection never goes stale; a small dataset is held in memory)."""
    return Database(Path(folder), snapshot=int(stamp))


def remote() -> bool:
    """Whether the dashboard only reads the dataset: never, since every dataset is a lake
    that every app server writes (kept for the pages that ask)."""
    return False


def source_key() -> str:
    """What this session reads, as the caches key it: the dataset's folder."""
    return str(data_dir())


Entry = Entry  # a change of the record, as pages type it


def manifest(folder: Path) -> dict:
    """What the dataset at *folder* says of itself (imported when, from what)."""
    return read_manifest(folder)


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
    """The dataset folder this session reads (an earlier version is a snapshot of it)."""
    return data_dir()


def database() -> Database:
    """The process-wide connection over the snapshot this session reads."""
    return _database(*reading())


def reading() -> tuple[str, int, float]:
    """What this session reads, as every cache of it keys it: the dataset's folder, which
    history of its catalog (`storage.history_key`: a backup put back while the app runs gives
    snapshot ids anew, so an id alone could name another history's snapshot) and the
    snapshot."""
    snapshot = stamp()  # first: reading the newest snapshot is what notices a history
    return source_key(), history_key(data_dir()), snapshot


def stamp() -> float:
    """The snapshot this session reads: the earlier version it looks at, else the newest
    (a save anywhere makes a new one, so every cached result is keyed by it)."""
    version = as_of()
    if version is not None:
        if kept(data_dir(), version):
            return float(version)
        show_version(None)  # pruned meanwhile: back to the live dataset
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    in_run = get_script_run_ctx(suppress_warning=True) is not None
    if in_run and K_STAMP in st.session_state:  # asked once a rerun (~8 ms a time)
        return float(st.session_state[K_STAMP])
    try:
        newest = newest_snapshot(data_dir())
    except DatasetError as exc:
        # a shared catalog that does not answer: the snapshot read last still serves what
        # this process holds of it (the pages say the store is down), until it is back
        last = _last_good.get(str(data_dir()))
        if exc.key not in STORE_FAILURES or last is None:
            raise
        st.session_state[K_STORE_DOWN] = exc.key
        return float(last)
    _last_good[str(data_dir())] = newest
    if in_run:
        st.session_state[K_STAMP] = newest
    return float(newest)


def new_run() -> None:
    """Forget what the last rerun read of the lake (the shell calls it as a rerun starts)."""
    st.session_state.pop(K_STORE_DOWN, None)
    st.session_state.pop(K_STAMP, None)


K_STAMP = "_stamp"  # the newest snapshot, as this rerun read it


K_STORE_DOWN = "_store_down"  # this run served the last snapshot: the store's failure (its key)
_last_good: dict[str, int] = {}  # dataset folder -> the newest snapshot read last


_results: Kept[pd.DataFrame] = Kept(1024)  # query results of this process


def _query(
    name: str,
    filters: Filters,
    folder: str,
    history: int,
    stamp: float,
    extra: tuple[tuple[str, Any], ...],
) -> pd.DataFrame:
    """A query's result, computed once per (name, filters, dataset, stamp, extra) and shared
    by every session of the process (`dashboard.app.kept`). Each caller gets a shallow copy:
    with pandas' copy-on-write (the default since pandas 3) nothing a caller does to its
    copy, adding a column or changing a cell, reaches the kept result."""
    df = _results.get_or_make(
        (name, filters, folder, history, stamp, extra),
        lambda: _database(folder, history, stamp).df(
            name, params_for(name, filters, **dict(extra))
        ),
    )
    return df.copy(deep=False)


# -------------------------------------------------------------- who may read what
#
# The one gate. Every read of the dataset takes the reader's `Scope`; there is no default.
# A page's reads take the session's scope, which the shell sets on every run before any
# page draws (`set_scope`); a run that did not set it, and code outside a script run (a
# download button's callable runs on its own thread), fails with ScopeMissing unless it is
# handed the scope captured in the run (`View.scope`). A query can be narrowed only if it
# takes the organisation (`$org`) or returns `org_id`; one that does neither is refused for
# a limited reader (`narrowable`), so a new query cannot read past the scope either.

K_SCOPE = "_read_scope"  # the Scope of this session's reader


def set_scope(scope: Scope) -> None:
    """Set what this session may read. Called by the shell on every run, before any page
    reads (nothing is read before it)."""
    if not isinstance(scope, Scope):
        raise TypeError(f"a Scope, not {scope!r}")
    st.session_state[K_SCOPE] = scope


def scope() -> Scope:
    """What this session may read. ScopeMissing outside a script run or before the shell
    set it: pass the scope captured in the run instead."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is None:
        raise ScopeMissing("outside a script run: pass the scope captured in the run")
    found = st.session_state.get(K_SCOPE)
    if not isinstance(found, Scope):
        raise ScopeMissing("the shell has not set this session's scope")
    return found


def scoped(filters: Filters, allowed: Scope) -> Filters:
    """*filters* narrowed to what *allowed* may read: no selection means every readable
    organisation, and an organisation outside the scope (a crafted link) reads nothing."""
    if not isinstance(allowed, Scope):
        raise ScopeMissing(f"a read needs the reader's Scope, not {allowed!r}")
    return allowed.covering(filters)


def narrowable(name: str) -> bool:
    """Whether query *name* can be limited to a reader's organisations: it takes `$org`,
    or each row it returns names its `org_id`."""
    q = load_query(name)
    return "org" in q.params or "org_id" in q.columns


def _check_narrowable(name: str, allowed: Scope) -> None:
    if allowed.limited and not narrowable(name):
        raise ScopeMissing(f"query {name!r} cannot be narrowed to a reader's organisations")


def _only_readable(df: pd.DataFrame, allowed: Scope) -> pd.DataFrame:
    """Rows of other organisations dropped from a result that names its organisations."""
    if not allowed.limited or "org_id" not in df:
        return df
    assert allowed.orgs is not None
    # .isin gives a boolean mask also for no rows (an empty .map result would be taken
    # for a list of columns, and the frame would lose every column)
    return df.loc[df["org_id"].isin(sorted(allowed.orgs))].reset_index(drop=True)


def query(
    name: str, filters: Filters = ALL, allowed: Scope | None = None, **extra: Any
) -> pd.DataFrame:
    """A query's result for the filters, narrowed to what the reader may read (*allowed*;
    by default this session's scope); cached on (name, filters, extra, dataset stamp)."""
    allowed = scope() if allowed is None else allowed
    _check_narrowable(name, allowed)
    f = scoped(filters, allowed)
    df = _query(name, f, *reading(), tuple(sorted(extra.items())))
    return _only_readable(df, allowed)


def query_each(
    name: str, each: Iterable[Filters], allowed: Scope | None = None, **extra: Any
) -> pd.DataFrame:
    """One query for each of several filters (an evaluation's years: `verdicts.Plan`), one
    frame after the other; each is `query`'s, so each is cached and narrowed alike."""
    return stacked([query(name, f, allowed, **extra) for f in each])


def every_organisation() -> pd.DataFrame:
    """Every organisation of the dataset, whatever this session may read: only for the
    shell, to work out what the signed-in person may read (the scope itself)."""
    return _query("organisations", ALL, *reading(), ())


def batches(name: str, filters: Filters, allowed: Scope, **extra: Any) -> Iterator[pa.RecordBatch]:
    """Stream a query's result (large downloads), uncached, narrowed like `query`."""
    _check_narrowable(name, allowed)
    f = scoped(filters, allowed)
    found = database().batches(name, params_for(name, f, **extra))
    if not allowed.limited:
        return found
    import pyarrow.compute as pc

    assert allowed.orgs is not None
    keep = pa.array(sorted(allowed.orgs), pa.string())
    return (
        b.filter(pc.is_in(b.column("org_id"), value_set=keep)) if "org_id" in b.schema.names else b
        for b in found
    )


def csv_bytes(
    name: str,
    filters: Filters,
    lang: str,
    allowed: Scope,
    shape: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
    **extra: Any,
) -> bytes:
    """A query's whole result as a CSV file, streamed from DuckDB batch by batch.

    *shape* turns each batch into what the table shows (`for_download`: its headers,
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
    forget(lake_at(data_dir()))  # the instances too, as a restart would
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    if get_script_run_ctx(suppress_warning=True) is not None:
        st.session_state.pop(K_STAMP, None)


# -------------------------------------------------------------- the record, through the gate


def changes() -> list[Entry]:
    """The record of changes as this session's reader may read it: only the changes that
    touched their organisations' rows, and of each only their part."""
    return seen(data_dir(), scope())


_version_rows: Kept[pd.DataFrame] = Kept(256)  # a version never changes once published


def version_rows(
    version: int,
    table: str,
    keys: tuple[str, ...],
    orgs: tuple[str, ...],
    only: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Rows of a kept version (*keys* of *table*, as a change the reader sees lists them),
    of the organisations this session may read only, and of those in *only* when given
    (the organisations the reader chose, of a change that concerned more)."""
    allowed = scope()
    live = data_dir()
    df = _version_rows.get_or_make(
        (*reading()[:2], version, table, keys, orgs),  # folder and history, as every cache
        lambda: _stored_rows(live, version, table, keys, orgs),
    )
    if allowed.limited and "org_id" in df:
        assert allowed.orgs is not None
        df = df.loc[df["org_id"].isin(sorted(allowed.orgs))]
    if only and "org_id" in df:
        df = df.loc[df["org_id"].isin(list(only))]
    return df.copy(deep=False)


def version_labels(lang: str) -> dict[str, str]:
    """Headers for the id columns `version_rows` gives by name ("Aktivitet", not
    "Aktivitets-id" over a title): one per column `storage.NAMED_BY` names."""
    return {col: t(f"named.{col}", lang) for col in NAMED_BY}


def previous_version(version: int) -> int | None:
    """The version live before *version* (its 'before')."""
    return _previous_version(data_dir(), version)


def version_kept(version: int) -> bool:
    """Whether the files of *version* are still kept (not pruned)."""
    return kept(data_dir(), version)


def live_version() -> int:
    """The newest recorded version (what a restore compares with under the lock)."""
    return _last_version(data_dir())


def may_undo(person: Person, version: int) -> bool:
    """Whether *person* may undo the change of *version*: decided on the whole change
    (every organisation whose rows it touched), not on the part this reader sees."""
    from dashboard.imports import undo

    entry = next((e for e in entries(data_dir()) if e.version == version), None)
    return entry is not None and undo.may_undo(person, entry)


def conflict_frames(
    rows: list[tuple[str, str, dict[str, object] | None]], deleted: str
) -> list[tuple[str, pd.DataFrame]]:
    """The rows a refused undo names, per table, as they are now, with names for ids as the
    History page shows a version's rows (`version_rows`, read through this session's scope);
    a row a later change deleted: its key and *deleted*."""
    now = live_version()
    out: list[tuple[str, pd.DataFrame]] = []
    for table in dict.fromkeys(name for name, _, _ in rows):
        there = tuple(k for name, k, row in rows if name == table and row is not None)
        gone = [k for name, k, row in rows if name == table and row is None]
        frames = [version_rows(now, table, there, ())] if there else []
        if gone:
            frames.append(pd.DataFrame({"row_name": [f"{k}: {deleted}" for k in gone]}))
        frames = [f for f in frames if len(f)]
        if frames:
            out.append((table, pd.concat(frames, ignore_index=True)))
    return out


# -------------------------------------------------------------- the board's document


def board_report(org: str, year: int, lang: str, fmt: str, allowed: Scope) -> bytes:
    """The annual report of *org* for *year* (`outputs.board`), PDF or Word, for a reader
    of *allowed* (captured in the run: the button's callable runs on a thread of its own).
    A closed year's report is read from the snapshot it was closed on."""
    from dashboard.outputs import board

    if not isinstance(allowed, Scope):
        raise ScopeMissing(f"a read needs the reader's Scope, not {allowed!r}")
    if not allowed.allows(org):
        raise ScopeMissing(f"{org!r} is outside the reader's scope")
    return board.for_year(data_dir(), org, year, lang, fmt)
