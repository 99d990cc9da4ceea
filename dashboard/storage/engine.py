"""The one module that talks to DuckDB.

A single locked-down connection per process reads the Parquet files in place through
views; each query runs on its own cursor so concurrent Streamlit sessions never share
a statement. Queries are SQL files in `queries/`, loaded by name, whose declared
parameters are checked against the ones they use and the ones they are given.
"""

from __future__ import annotations

import importlib.util
import os
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard.model.contract import SUMMARIES, TABLES, Table
from dashboard.sql.queries import MACRO_DIR, SUMMARY_DIR, QueryError, bind, load_query, parse_query
from dashboard.storage.dataset import (
    data_dir,
    table_exists,
    table_rels,
    view_sql,
    write_scoped,
    write_table,
)
from dashboard.storage.store import Location, filesystem, version_files


class DatasetError(Exception):
    """The dataset folder is missing, incomplete or damaged; the message says what to do.

    The message (with the folder and the command that fixes it) is for the server's log
    and the command line; *key* and *values* say the same without paths or commands, for
    the app (`dataset.KEY` in the catalogue).
    """

    def __init__(self, message: str, key: str = "unreadable", **values: object) -> None:
        super().__init__(message)
        self.key = key
        self.values = values


EXTENSIONS = ("ducklake", "httpfs", "sqlite_scanner", "postgres_scanner")


def extension_file(name: str) -> Path:
    """The binary of DuckDB extension *name* in its installed package.

    DuckDB 1.5.5's extensions come as wheels (`duckdb-extension-NAME`, see pyproject.toml)
    carrying the signed binary for that exact DuckDB version, so nothing is downloaded at
    `INSTALL` (these servers may not reach the internet). The file name is the name DuckDB
    registers it under: the SQLite and PostgreSQL catalogs must load as `sqlite_scanner` and
    `postgres_scanner`, which is what DuckLake looks for.
    """
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise DatasetError(
            f"the DuckDB extension {name} is not installed: pip install "
            f"duckdb-extension-{name.replace('_', '-')}=={duckdb.__version__}",
            "unreadable",
            tables="?",
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    return folder / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"


def load_extensions(con: duckdb.DuckDBPyConnection, *names: str) -> None:
    """Load extensions from their packages, before the connection is locked down."""
    for name in names:
        con.execute(f"load '{extension_file(name)}'")


MEMORY_ROWS = 250_000  # DASHBOARD_MEMORY_ROWS: datasets this small are read into memory


def memory_rows() -> int:
    """Up to how many rows (all tables together) a dataset is held in memory."""
    return int(os.environ.get("DASHBOARD_MEMORY_ROWS", MEMORY_ROWS))


def _load_if_small(con: duckdb.DuckDBPyConnection, limit: int) -> bool:
    """Replace the views by in-memory tables when the whole dataset has at most *limit* rows.

    A query over Parquet files opens and decodes every file it names, whatever their size:
    on the sample (474 activities) 10-30 ms a page query, of which a third is reading the
    files; in memory the same queries take 7-20 ms (benchmarks/RESULTS.md). A municipality's
    dataset (hundreds or thousands of activities) is this small; a large one (a region's
    generated million) stays on Parquet, where DuckDB reads only the row groups a query
    needs. The copy is of the version this connection was opened on, like the views: a new
    version opens a new connection. A file damaged after the copy is noticed by the next
    connection (a restart, a new version), not by the open one, which keeps serving.
    """
    names = [t.name for t in TABLES + SUMMARIES]
    total = con.execute(
        "select " + " + ".join(f"(select count(*) from {n})" for n in names)
    ).fetchone()
    if total is None or total[0] > limit:
        return False
    for n in names:
        con.execute(f"create table _mem_{n} as select * from {n}")
        con.execute(f"drop view {n}")
        con.execute(f"alter table _mem_{n} rename to {n}")
    return True


def _create_views(
    con: duckdb.DuckDBPyConnection,
    folder: Path | None,
    tables: tuple[Table, ...],
    orgs: tuple[str, ...] | None = None,
    locate: Callable[[str], str] | None = None,
) -> None:
    for t in tables:
        only = orgs if orgs is not None and t.partitioned else None
        con.execute(f"create view {t.name} as {view_sql(folder, t, only, locate)}")


def build_summaries(
    folder: Path, orgs: tuple[str, ...] | None = None, live: Path | None = None
) -> dict[str, int]:
    """Write the summary tables of a freshly written dataset folder; returns their row counts.

    The import and the generator call this before the folder is swapped in, so the
    summaries always match the tables they are built from. It runs on its own short-lived
    connection: the dashboard's connection is read-only and locked down. With *orgs* (a
    save of those organisations' rows) only their rows of the summaries are built, from
    their rows of the tables (every summary is per organisation), and written beside the
    live summaries' other rows (`dataset.write_scoped`) of the dataset at *live*.
    """
    with tempfile.TemporaryDirectory(prefix="malbild-summaries-") as spill:
        # 1 GB and a spill folder: the join of 20M goal links to 10M activities takes ~9 s
        # and 1.2 GB here, rather than ~5 s and 2.2 GB unbounded
        con = duckdb.connect(
            config={"threads": os.cpu_count() or 2, "memory_limit": "1GB", "temp_directory": spill}
        )
        try:
            _create_views(con, folder, TABLES, orgs)
            counts = {}
            for t in SUMMARIES:
                sql = (SUMMARY_DIR / f"{t.name}.sql").read_text("utf-8")
                query = parse_query(t.name, sql)
                data = con.sql(query.sql).to_arrow_table()
                if orgs is None:
                    counts[t.name] = write_table(folder, t, data)
                else:
                    assert live is not None
                    counts[t.name] = write_scoped(live, folder, t, data, orgs)
            return counts
        finally:
            con.close()


# what DuckDB raises for a Parquet file that is cut off, removed or not Parquet at all
_DAMAGED = (duckdb.IOException, duckdb.InvalidInputException)


def _unreadable(folder: Path, exc: BaseException) -> DatasetError:
    first = str(exc).splitlines()[0] if str(exc) else ""
    # a table's file (activities.parquet) or one of its folder's (activities/x-1f.parquet)
    files = sorted(set(re.findall(r"(\w+)(?:\.parquet|/[^/\s'\"]+\.parquet)", first)))
    return DatasetError(
        f"the dataset in {folder} cannot be read ({exc.__class__.__name__}: {first}); "
        "re-import it with `python -m dashboard ingest`",
        "unreadable",
        tables=", ".join(files) or "?",
    )


class Database:
    """A read-only, locked-down DuckDB connection over one dataset folder."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        threads: int | None = None,
        memory_limit: str | None = None,
        store: tuple[Location, int] | None = None,
    ) -> None:
        """Over a dataset folder, or (*store*) over one version of a dataset in an object
        store, read through its fsspec filesystem with access to that prefix only."""
        locate = None
        if store is not None:
            loc, version = store
            files = version_files(loc, version)
            self.folder = Path(loc.url)  # for messages; never opened as a folder
            missing = [t.name for t in TABLES + SUMMARIES
                       if any(r not in files for r in table_rels(t))]  # fmt: skip
            if missing:
                raise DatasetError(
                    f"version {version} in {loc.url} lacks {', '.join(missing)}; "
                    "re-import it with `python -m dashboard ingest`",
                    "lacks_files",
                    tables=", ".join(missing),
                )
            allowed = [loc.allowed]
            locate = lambda rel: loc.full(files[rel]["object"])  # noqa: E731
        else:
            self.folder = (folder or data_dir()).resolve()
            self._check_files()
            allowed = [str(self.folder) + os.sep]
        threads = threads or int(os.environ.get("DASHBOARD_DUCKDB_THREADS", "2"))
        memory_limit = memory_limit or os.environ.get("DASHBOARD_DUCKDB_MEMORY", "1GB")
        con = duckdb.connect(
            config={
                "threads": threads,
                "memory_limit": memory_limit,
                "allow_community_extensions": False,
                "autoinstall_known_extensions": False,
                "autoload_known_extensions": False,
            }
        )
        if store is not None:  # fsspec's S3 filesystem, registered before the lock-down
            con.register_filesystem(filesystem())
        con.execute("set allowed_directories = $dirs", {"dirs": allowed})
        # keep Parquet footers in memory for every cursor (`global`: a plain `set` reaches only
        # this connection, and each query runs on its own cursor); without it ~8 ms a query
        con.execute("set global parquet_metadata_cache = true")
        con.execute("set enable_external_access = false")
        con.execute("set lock_configuration = true")
        try:
            _create_views(con, self.folder, TABLES + SUMMARIES, locate=locate)
            for t in TABLES + SUMMARIES:
                have = {r[0] for r in con.execute(f"describe {t.name}").fetchall()}
                lacking = [c.name for c in t.columns if c.name not in have]
                if lacking:
                    raise DatasetError(
                        f"{t.name}.parquet in {self.folder} lacks column(s) {', '.join(lacking)}; "
                        "re-import the dataset with `python -m dashboard ingest`",
                        "lacks_columns",
                        table=t.name,
                    )
            self.in_memory = _load_if_small(con, memory_rows())
            for macros in sorted(MACRO_DIR.glob("*.sql")):
                con.execute(macros.read_text(encoding="utf-8"))
        except duckdb.Error as exc:
            con.close()
            raise _unreadable(self.folder, exc) from exc
        self._con = con
        self._lock = threading.Lock()

    def _check_files(self) -> None:
        if not self.folder.is_dir():
            raise DatasetError(
                f"no dataset folder at {self.folder}; build the sample with `make data` or import "
                "one with `python -m dashboard ingest SOURCE --out DIR`",
                "missing",
            )
        missing = [t.name for t in TABLES + SUMMARIES if not table_exists(self.folder, t)]
        if missing:
            raise DatasetError(
                f"the dataset in {self.folder} lacks {', '.join(m + '.parquet' for m in missing)}; "
                "re-import it with `python -m dashboard ingest`",
                "lacks_files",
                tables=", ".join(missing),
            )

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor: DuckDB connections are not safe to share across threads."""
        with self._lock:
            return self._con.cursor()

    def _relation(
        self, cur: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any]
    ) -> duckdb.DuckDBPyRelation:
        query = load_query(name)
        rel = cur.sql(query.sql, params=bind(query, params))
        if rel is None:  # pragma: no cover - every query file is a select
            raise QueryError(f"query {name!r} returns no rows")
        return rel

    def df(self, name: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        """Run a query with bound parameters and return its result as a DataFrame.

        A table file truncated or removed after the connection was made raises
        DatasetError, so the app says the dataset is damaged instead of failing a page.
        """
        query = load_query(name)
        with self.cursor() as cur:
            try:
                # execute, not a relation (cur.sql): a relation is planned when it is made
                # and again when it is read, 30 % of a small query's time
                return cur.execute(query.sql, bind(query, params or {})).df()
            except _DAMAGED as exc:
                raise _unreadable(self.folder, exc) from exc

    def batches(
        self, name: str, params: Mapping[str, Any] | None = None, rows: int = 50_000
    ) -> Iterator[pa.RecordBatch]:
        """Stream a query's result in record batches, for large downloads."""
        with self.cursor() as cur:
            try:
                yield from self._relation(cur, name, params or {}).to_arrow_reader(rows)
            except _DAMAGED as exc:
                raise _unreadable(self.folder, exc) from exc

    def close(self) -> None:
        """Close the connection."""
        self._con.close()
