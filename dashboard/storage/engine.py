"""The one module that talks to DuckDB, and through it to the DuckLake dataset.

Per process and lake there are two DuckDB instances, each loading the extensions once
(their signature check costs ~250 ms an instance):

- the reader (`Engine`): the lake attached read-only and locked down (external access
  limited to the dataset's folder and data path, configuration locked). A `Database` is
  one snapshot of the lake in a schema of its own in this instance (`v12`): the tables
  copied into memory when the dataset is small, else views reading the lake at that
  snapshot, and the shared macros; each query runs on its own cursor set to that schema,
  so concurrent Streamlit sessions never share a statement. Storage's own reads (a
  table, the record, a snapshot's rows) run on cursors of the same instance.
- the writer (`Writer`): the lake attached for writing, used by one publish at a time
  (`publishing`), one transaction per change.

Queries are SQL files in `queries/`, loaded by name, whose declared parameters are checked
against the ones they use and the ones they are given.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import importlib.util
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import settings
from dashboard.model.contract import ROUND_TABLES, SUMMARIES, TABLE_BY_NAME, TABLES, Table
from dashboard.model.migrations import CONTRACT_VERSION, defaults, stored_names
from dashboard.sql.queries import MACRO_DIR, SUMMARY_DIR, QueryError, bind, load_query, parse_query
from dashboard.storage.location import Lake, data_dir, lake_at


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


# What DuckDB and Arrow raise when a process runs out of the memory it may take (Arrow's is
# a MemoryError, DuckDB's is not): the upload's child says the file needed more memory.
OUT_OF_MEMORY = (MemoryError, duckdb.OutOfMemoryException)

# The keys of a failure of the shared store itself, not of the data in it: the store or
# its catalog does not answer ("store_down"), or refuses this server's credentials
# ("store_denied": a key rotated, a password changed). Neither is "no dataset yet" nor
# "damaged, re-import it"; the app keeps serving what it read last and says which.
STORE_FAILURES = frozenset({"store_down", "store_denied"})
# what S3 (and S3-compatible stores) and PostgreSQL answer to credentials they refuse
_DENIED = re.compile(
    r"HTTP 403|AccessDenied|InvalidAccessKeyId|SignatureDoesNotMatch|InvalidToken|"
    r"ExpiredToken|password authentication failed|no pg_hba\.conf entry|permission denied for|"
    r'role "[^"]*" does not exist'
)

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


# Extension files whose signature DuckDB checked in this process, with the state of the file
# then (inode, size, modification time). Checking a signature costs ~100 ms a file, and a
# new DuckDB instance is made per lake, snapshot reader and writer (in the tests, hundreds);
# a file DuckDB has verified once is loaded by later instances of the process without the
# check, as long as it is the same unchanged file (`_connect`).
_VERIFIED: dict[Path, tuple[int, int, int]] = {}
_VERIFIED_LOCK = threading.Lock()
# ... and across processes: the state a verified file had is written beside it
# (`NAME.duckdb_extension.verified`), so that a command, an upload's child or another server
# loads the same unchanged file without checking it again (0.18 CPU s a process for DuckLake
# and SQLite, ~0.3 s with the object store's or PostgreSQL's; a command takes ~1 s). Only a
# record nobody else could have written counts (`_trusted`).
VERIFIED_SUFFIX = ".verified"


def _file_state(path: Path) -> tuple[int, int, int]:
    st = path.stat()
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _trusted(path: Path) -> bool:
    """Whether *path* can only have been written by this process's user or root: owned by
    one of them and writable by no group or other user. An extension file and its record
    must both be: one that anybody else could replace (and record) is checked again."""
    try:
        st = path.stat()
    except OSError:
        return False
    return st.st_uid in (0, os.getuid()) and not st.st_mode & 0o022


def _recorded(path: Path) -> tuple[int, int, int] | None:
    """The state extension file *path* had when a process verified it (its record beside
    it), or None: no record, one that cannot be trusted, or one that cannot be read."""
    record = path.with_name(path.name + VERIFIED_SUFFIX)
    if not (_trusted(path) and _trusted(record)):
        return None
    try:
        ino, size, mtime = (int(v) for v in record.read_text(encoding="ascii").split())
    except (OSError, ValueError):
        return None
    return (ino, size, mtime)


def _extension_rules(unsigned: bool) -> dict[str, Any]:
    """What a new DuckDB instance of ours may load: nothing from the community repository,
    nothing installed or loaded on its own, and unsigned files only where *unsigned* (every
    file verified before and unchanged since, `_connect`)."""
    return {
        "allow_community_extensions": False,
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "allow_unsigned_extensions": unsigned,
    }


def record_verified(
    names: Sequence[str] = ("ducklake", "sqlite_scanner", "postgres_scanner", "httpfs"),
) -> list[Path]:
    """Have DuckDB check the installed extensions *names* now and record each one verified
    (`_record`); the files recorded. For an image built as root whose server runs as another
    user, who may not write the records beside root's files (deploy/Dockerfile)."""
    files = [extension_file(n) for n in names]
    states = {f: _file_state(f) for f in files}
    con = duckdb.connect(config=_extension_rules(unsigned=False))
    try:
        load_extensions(con, *names)  # a file that fails its check raises: nothing recorded
    finally:
        con.close()
    for f, state in states.items():
        _record(f, state)
    return [f for f in files if _recorded(f) == states[f]]


def _record(path: Path, state: tuple[int, int, int]) -> None:
    """Write beside extension file *path* the *state* DuckDB verified it in (whole or not at
    all: written aside, then renamed). A folder this user may not write to keeps no record:
    each process checks the file itself, as before."""
    if not _trusted(path) or _recorded(path) == state:
        return
    record = path.with_name(path.name + VERIFIED_SUFFIX)
    aside = record.with_name(f"{record.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        aside.write_text(" ".join(str(v) for v in state), encoding="ascii")
        aside.chmod(0o644)
        os.replace(aside, record)
    except OSError:
        with contextlib.suppress(OSError):
            aside.unlink()


STORE_TIMEOUT_S = 2  # an object store or catalog server that does not answer in time is down
MEMORY_ROWS = 250_000  # DASHBOARD_MEMORY_ROWS: datasets this small are read into memory
SNAPSHOTS_KEPT = 8  # snapshots prepared in one process's reader at a time (oldest dropped)
# what DuckDB raises for a Parquet file that is cut off, removed or not Parquet at all, or
# for a store or catalog server that does not answer
_DAMAGED = (duckdb.IOException, duckdb.InvalidInputException, duckdb.HTTPException)


def memory_rows() -> int:
    """Up to how many rows (all tables together) a dataset is held in memory."""
    return settings.whole("DASHBOARD_MEMORY_ROWS", MEMORY_ROWS, least=0)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _connect(lake: Lake, threads: int, memory_limit: str) -> duckdb.DuckDBPyConnection:
    """A new DuckDB instance with the lake's extensions loaded from their packages and
    nothing loaded or installed from the internet."""
    names = ["ducklake", "sqlite_scanner" if lake.embedded else "postgres_scanner"]
    if lake.remote_data:
        names.append("httpfs")
    files = [extension_file(n) for n in names]
    states = {f: _file_state(f) for f in files if f.is_file()}
    with _VERIFIED_LOCK:
        # every file verified by DuckDB before in this process, or in another whose record
        # beside it can be trusted, and unchanged since: loaded without a second check; else
        # DuckDB checks each signature now (and a file that fails it is refused, as always).
        # Either way the instance is then locked down: it loads nothing more (`_lock_down`;
        # a writer runs only this module's SQL)
        for f in files:
            if f in states and _VERIFIED.get(f) != states[f] and _recorded(f) == states[f]:
                _VERIFIED[f] = states[f]
        known = all(f in states and _VERIFIED.get(f) == states[f] for f in files)
    con = duckdb.connect(
        config={"threads": threads, "memory_limit": memory_limit, **_extension_rules(known)}
    )
    load_extensions(con, *names)
    if not known:
        with _VERIFIED_LOCK:
            _VERIFIED.update(states)
        for f, state in states.items():
            _record(f, state)
    if lake.remote_data:
        _s3_secret(con)
        # a store that does not answer is said within seconds, not after 30 s and retries
        con.execute(f"set http_timeout = {STORE_TIMEOUT_S}")
        con.execute("set http_retries = 1")
    return con


def _s3_secret(con: duckdb.DuckDBPyConnection) -> None:
    """The object store's credentials and endpoint, from the usual AWS variables
    (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT_URL)."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or ""
    parts = ["TYPE s3"]
    for key, env in (("KEY_ID", "AWS_ACCESS_KEY_ID"), ("SECRET", "AWS_SECRET_ACCESS_KEY"),
                     ("REGION", "AWS_REGION")):  # fmt: skip
        if os.environ.get(env):
            parts.append(f"{key} {_sql_string(os.environ[env])}")
    if endpoint:
        host = endpoint.split("://", 1)[-1].rstrip("/")
        parts += [f"ENDPOINT {_sql_string(host)}", "URL_STYLE 'path'"]
        parts.append(f"USE_SSL {'true' if endpoint.startswith('https') else 'false'}")
    con.execute(f"create secret malbild_store ({', '.join(parts)})")


def _catalog(lake: Lake) -> str:
    """The catalog as DuckLake attaches it; a PostgreSQL catalog with a connect timeout."""
    if lake.embedded or "connect_timeout" in lake.catalog:
        return lake.catalog
    return f"{lake.catalog} connect_timeout={STORE_TIMEOUT_S}"


def _attach(con: duckdb.DuckDBPyConnection, lake: Lake, read_only: bool) -> None:
    # the data path is the lake's wherever its folder is now (a folder copied, moved or
    # cloned with the repository): the catalog names its files relative to it
    options = [f"DATA_PATH {_sql_string(lake.data_path)}", "OVERRIDE_DATA_PATH true"]
    if lake.embedded:  # several processes of one machine: WAL, and wait for a busy catalog
        options += ["META_JOURNAL_MODE 'WAL'", "META_BUSY_TIMEOUT 5000"]
    if read_only:
        options.append("READ_ONLY")
    con.execute(f"attach {_sql_string('ducklake:' + lake.catalog)} as lake ({', '.join(options)})")


def _lock_down(con: duckdb.DuckDBPyConnection, lake: Lake) -> None:
    con.execute("set allowed_directories = $dirs", {"dirs": lake.allowed()})
    # keep Parquet footers in memory for every cursor (`global`: a plain `set` reaches only
    # this connection, and each query runs on its own cursor); without it ~8 ms a query
    con.execute("set global parquet_metadata_cache = true")
    con.execute("set enable_external_access = false")
    con.execute("set lock_configuration = true")


def _missing(lake: Lake) -> DatasetError:
    return DatasetError(
        f"no dataset at {lake.describe()}; build the sample with `make data` or import "
        "one with `python -m dashboard ingest SOURCE --out DIR`",
        "missing",
    )


def _unreadable(where: str, exc: BaseException, shared: bool = False) -> DatasetError:
    """What a failed read says: a data file damaged or removed ("unreadable", naming its
    table), or, of a shared lake, a store or catalog server that does not answer."""
    first = _first_line(exc)
    # a disk that is full or read-only: even a read fails (SQLite opens its catalog's
    # write-ahead log), and "re-import it" would fail the same way
    if re.search(
        r"disk I/O error|No space left|disk is full|[Rr]ead-only file system|readonly database",
        str(exc),
    ):
        return DatasetError(
            f"the dataset in {where} cannot be opened or written: its disk is full or "
            f"read-only ({exc.__class__.__name__}: {first}); free space or allow writing, "
            "then try again",
            "disk",
        )
    # an object the store answers it does not have is a data file gone, like a local one
    # (mended by an import or a restore), not a store that does not answer
    gone = re.search(r"HTTP 404|NoSuchKey|Not Found", str(exc))
    if shared and (
        _DENIED.search(str(exc))
        or (not gone and re.search(r"HTTP|[Cc]onnect|timed out|timeout|could not|refused", first))
    ):
        return store_failure(where, exc)
    files = sorted(set(re.findall(r"main/(\w+)/", first)))  # files/main/TABLE/ducklake-….parquet
    return DatasetError(
        f"the dataset in {where} cannot be read ({exc.__class__.__name__}: {first}); "
        "re-import it with `python -m dashboard ingest`",
        "unreadable",
        tables=", ".join(files) or "?",
    )


def _first_line(exc: BaseException) -> str:
    """The first line of *exc*'s message (DuckDB's run to several, with hints)."""
    return str(exc).splitlines()[0] if str(exc) else ""


def store_failure(where: str, exc: BaseException) -> DatasetError:
    """What a shared store or catalog that fails says (`STORE_FAILURES`): its credentials
    refused, or no answer."""
    first = _first_line(exc)
    if _DENIED.search(str(exc)):
        return DatasetError(
            f"the dataset at {where} refused this server's credentials "
            f"({exc.__class__.__name__}: {first}); check the store's access key and the "
            "catalog's password",
            "store_denied",
        )
    return DatasetError(
        f"the dataset at {where} does not answer ({exc.__class__.__name__}: {first})",
        "store_down",
    )


def absent_or_raise(lake: Lake, exc: BaseException) -> None:
    """What a failed read of *lake* means, the one rule for every storage read that may
    answer "nothing": it returns (the caller answers nothing) when there is nothing to
    read (no dataset yet, or a snapshot without that table: DuckDB's catalog error, a
    table added to the contract later), and otherwise raises the `DatasetError` that says
    what failed (a file, the store, the catalog, the disk). Called in an `except` block.
    Never "nothing" for a failure: an empty answer is taken for the truth (a restore that
    restored nothing, an empty record of changes)."""
    if isinstance(exc, duckdb.CatalogException):
        return
    if isinstance(exc, DatasetError):
        if exc.key == "missing":
            return
        raise exc
    raise _unreadable(lake.describe(), exc, not lake.embedded or lake.remote_data) from exc


SQL_TYPES = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "date": "DATE"}


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool | int | float):
        return repr(value)
    return _sql_string(str(value))


def _record_at(cur: duckdb.DuckDBPyConnection, snapshot: int) -> tuple[int, dict[str, int] | None]:
    """What the record says of a snapshot, from the catalog's own table (`META`): the
    contract it was written under (the last recorded change's at or before it; 1 where
    none names one) and the rows of each contract table its own commit counted (None
    where it did not)."""
    rows = cur.execute(
        f"select snapshot_id, commit_extra_info from {META}.ducklake_snapshot_changes "
        "where snapshot_id <= $s and commit_extra_info is not null order by snapshot_id desc",
        {"s": int(snapshot)},
    ).fetchall()
    counted: dict[str, int] | None = None
    for sid, extra in rows:
        try:
            info = json.loads(extra)
        except ValueError:
            continue
        if not isinstance(info, dict):
            continue
        if int(sid) == int(snapshot):
            counted = counted_rows(info)
        if "contract" in info:
            return int(info["contract"]), counted
    return 1, counted


def counted_rows(info: Mapping[str, Any]) -> dict[str, int] | None:
    """The rows of every contract table a commit's extra info holds ("rows", counted in
    its own transaction by `publishing._apply`); None where it does not name them all."""
    rows = info.get("rows")
    if not isinstance(rows, dict) or not all(isinstance(rows.get(t.name), int) for t in TABLES):
        return None
    return {t.name: int(rows[t.name]) for t in TABLES}


def columns_at(cur: duckdb.DuckDBPyConnection, snapshot: int) -> dict[str, list[str]]:
    """Every table's columns at *snapshot*, in order, in one read of the catalog's column
    list (`META`) rather than a DuckLake transaction a table."""
    rows = cur.execute(
        f"select t.table_name, c.column_name from {META}.ducklake_column c "
        f"join {META}.ducklake_table t using (table_id) where c.parent_column is null "
        f"and {live_at('c')} and {live_at('t')} order by t.table_name, c.column_order",
        {"v": int(snapshot)},
    ).fetchall()
    every: dict[str, list[str]] = {}
    for name, column in rows:
        every.setdefault(str(name), []).append(str(column))
    return every


def _projection(table: Table, stored: set[str], contract: int) -> str:
    """Today's columns of *table* from what a snapshot holds: a column renamed since under
    its new name, one added since as its default (`model.migrations`), as `read_table`
    conforms them. A column of today's contract the lake lacks otherwise is an error."""
    filled = defaults(table.name, contract)
    out = []
    for col in table.columns:
        (name,) = stored_names(table.name, contract, [col.name])
        if name in stored:
            out.append(f'"{name}" as "{col.name}"')
        elif col.name in filled or contract < CONTRACT_VERSION:
            value = _sql_literal(filled.get(col.name))
            out.append(f'cast({value} as {SQL_TYPES[col.type]}) as "{col.name}"')
        else:
            raise DatasetError(
                f"{table.name} in the lake lacks column {col.name}; "
                "re-import the dataset with `python -m dashboard ingest`",
                "lacks_columns",
                table=table.name,
            )
    return ", ".join(out)


# DuckLake's own catalog tables, as its specification names them (ducklake_snapshot,
# ducklake_table: https://ducklake.select/docs/stable/specification/tables/overview), in the
# database DuckLake attaches for the catalog "lake". Read directly, a question such as "the
# newest snapshot" or "the tables at snapshot n" is one catalog query (~4 ms measured on the
# sample's SQLite catalog) instead of a DuckLake transaction, which loads the catalog's
# state first (`lake.current_snapshot()` ~9 ms, `duckdb_tables()` ~24 ms, one probe of a
# table at a snapshot ~7 ms; a save asked "the newest snapshot" 73 times).
META = "__ducklake_metadata_lake"


def live_at(alias: str = "") -> str:
    """The condition on a catalog row (a table's, a column's) that it is part of snapshot
    `$v`: begun at or before it and not ended by then."""
    p = f"{alias}." if alias else ""
    return f"{p}begin_snapshot <= $v and ({p}end_snapshot is null or {p}end_snapshot > $v)"


INLINED = "ducklake_inlined_data"  # what `filename` says of a row kept in the catalog


def _sql_list(files: list[str]) -> str:
    """*files* as an SQL list of string literals (what `read_parquet` takes)."""
    return "[" + ", ".join(_sql_string(f) for f in files) + "]"


def _schemas_differ(cur: duckdb.DuckDBPyConnection, files: list[str]) -> bool:
    """Whether the Parquet *files* differ in their columns' names or types (a file written
    before the table was remade in another shape): only then must a read match their
    columns by name. DuckDB's `union_by_name` reads every file's schema each time a query
    binds the view: on the 1M benchmark's lake goal_coverage for one organisation and year
    took 10.6-12.4 ms with it and 8.9-9.1 ms without (2026-12-06)."""
    if len(files) < 2:
        return False
    listed = _sql_list(files)
    found = cur.execute(
        "select count(distinct cols) from (select file_name, "
        "list(name || ' ' || coalesce(type, '') order by name) as cols "
        f"from parquet_schema({listed}) group by file_name)"
    ).fetchone()
    return found is None or int(found[0]) > 1


def _resolved(cur: duckdb.DuckDBPyConnection, schema: str, table: Table, at: str) -> str:
    """What a large table's view reads at one snapshot: its Parquet files directly, not
    through DuckLake. Through DuckLake every query looks the snapshot's files up in the
    catalog again, ~13 ms a table (3-5 times the query at a million activities); a snapshot
    never changes, so its files are looked up once, here. The rows kept in the catalog
    (data inlining) are copied into memory, and the rows deleted from a file since it was
    written (a delete file, or a delete kept in the catalog) are left out by their position."""
    name = table.name
    visible = cur.execute(
        f"select filename, count(*) from lake.{name} {at} group by filename"
    ).fetchall()
    files = sorted(str(f) for f, _ in visible if not str(f).startswith(INLINED))
    if any(str(f).startswith(INLINED) for f, _ in visible):
        cur.execute(
            f"create or replace table memory.{schema}._inlined_{name} as "
            f"select * exclude (filename) from "
            f"(select *, filename from lake.{name} {at}) where filename like '{INLINED}%'"
        )
        inlined = f"memory.{schema}._inlined_{name}"
    else:
        inlined = None
    parts = []
    if files:
        listed = _sql_list(files)
        written = dict(
            cur.execute(
                f"select file_name, num_rows from parquet_file_metadata({listed})"
            ).fetchall()
        )
        seen = {str(f): int(n) for f, n in visible}
        short = [f for f in files if seen.get(f, 0) < int(written.get(f, 0))]
        whole = [f for f in files if f not in short]
        if len(whole) == 1:
            # one file named as a string, not a list of one: a list is bound as a function
            # call on every query (network_summary for one organisation and year at 1M,
            # 16.3-18.4 ms with a list of one against 14.5-15.0 ms, 2026-12-06)
            parts.append(f"read_parquet({_sql_string(whole[0])})")
        elif whole:
            one = _sql_list(whole)
            by_name = ", union_by_name = true" if _schemas_differ(cur, whole) else ""
            parts.append(f"read_parquet({one}{by_name})")
        if short:
            # only the files a row was deleted from since: the positions they no longer show
            some = _sql_list(short)
            cur.execute(
                f"create or replace table memory.{schema}._gone_{name} as "
                f"select filename, file_row_number from read_parquet({some}, filename = true, "
                f"file_row_number = true, union_by_name = true) "
                f"anti join (select filename, file_row_number from lake.{name} {at} "
                f"where filename in (select unnest({some}))) using (filename, file_row_number)"
            )
            parts.append(
                f"(select * exclude (filename, file_row_number) from read_parquet({some}, "
                f"filename = true, file_row_number = true, union_by_name = true) anti join "
                f"memory.{schema}._gone_{name} using (filename, file_row_number))"
            )
    if inlined is not None:
        parts.append(inlined)
    if not parts:
        return f"lake.{name} {at}"  # no row: the lake says what columns it has
    if len(parts) == 1:
        return parts[0]
    return "(" + " union all by name ".join(f"(select * from {p})" for p in parts) + ")"


class Engine:
    """The process's read-only, locked-down DuckDB instance over one lake."""

    def __init__(self, lake: Lake, threads: int, memory_limit: str) -> None:
        self.lake = lake
        catalog = lake.catalog_file
        if catalog is not None and not catalog.is_file():
            raise _missing(lake)
        con = _connect(lake, threads, memory_limit)
        try:
            _attach(con, lake, read_only=True)
            _lock_down(con, lake)
        except duckdb.Error as exc:
            con.close()
            raise _unreadable(lake.describe(), exc, not lake.embedded) from exc
        self._con = con
        self._lock = threading.Lock()
        self._prepared: OrderedDict[int, tuple[str, bool]] = OrderedDict()
        self._users: dict[int, int] = {}
        self._held: dict[int, frozenset[str]] = {}  # the lake's tables of a prepared snapshot
        self._contracts: dict[int, int] = {}  # the contract a prepared snapshot is read in
        self._making: dict[int, threading.Lock] = {}  # held while a snapshot's schema is made
        # set when a data file read as damaged: DuckDB keeps the bytes of the lake's files
        # (they never change), so the damage would stay after a repair; the next
        # `engine_for` makes a new instance, which reads the files again
        self.broken = False

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor: DuckDB connections are not safe to share across threads."""
        with self._lock:
            return self._con.cursor()

    def rows(self, sql: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> list:
        with self.cursor() as cur:
            return cur.execute(sql, params or {}).fetchall()

    def arrow(self, sql: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> pa.Table:
        with self.cursor() as cur:
            return cur.execute(sql, params or {}).to_arrow_table()

    @contextlib.contextmanager
    def reads(self) -> Iterator[Callable[[str, Mapping[str, Any]], pa.Table]]:
        """A reader whose queries share one transaction (each DuckLake transaction starts
        by loading the catalog's state); it only reads, and is rolled back at the end."""
        with self.cursor() as cur:
            cur.execute("begin transaction")
            try:
                yield lambda sql, params: cur.execute(sql, params or {}).to_arrow_table()
            finally:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("rollback")

    def current(self) -> int:
        """The lake's newest snapshot (a commit of another process is seen at once). A
        catalog that does not answer breaks this instance: the next use makes a new one,
        whose new connection finds the catalog once it is back.

        The newest snapshot seen before is asked for again in the same query: when it is
        gone or has another time, the catalog was put back from a backup (copied over the
        file in place, or a database restored) and its snapshot ids are being given anew,
        so this process's reads kept by snapshot id are of another history
        (`_history_went_back`)."""
        lake = self.lake
        seen = _NEWEST_SEEN.get(lake)
        try:
            found = self.rows(
                f"select snapshot_id, cast(snapshot_time as varchar) from {META}.ducklake_snapshot "
                f"where snapshot_id = (select max(snapshot_id) from {META}.ducklake_snapshot) "
                "or snapshot_id = $seen order by snapshot_id desc",
                {"seen": -1 if seen is None else seen[0]},
            )
        except duckdb.Error:
            self.broken = True
            raise
        newest = (int(found[0][0]), str(found[0][1]))
        if seen is not None and (seen[0], seen[1]) not in {(int(i), str(t)) for i, t in found}:
            _history_went_back(lake)
        _NEWEST_SEEN[lake] = newest
        return newest[0]

    def prepare(self, snapshot: int) -> tuple[str, bool]:
        """The schema holding *snapshot* (made on first use): its schema name and whether
        its tables are in memory. The oldest unused snapshot is dropped past SNAPSHOTS_KEPT.

        One thread makes a snapshot's schema; one that asks meanwhile waits for it and uses
        it. Two making the same schema at once collided in DuckDB's catalog, and the loser's
        clean-up dropped the schema the winner had just made and was reading (found by a
        process's first page and its get-ready thread reading at once, 2026-12-07)."""
        found = self._use_prepared(snapshot)
        if found is not None:
            return found
        with self._lock:
            making = self._making.setdefault(snapshot, threading.Lock())
        with making:
            found = self._use_prepared(snapshot)  # made while this thread waited
            if found is not None:
                return found
            try:
                return self._prepare(snapshot)
            finally:
                with self._lock:
                    self._making.pop(snapshot, None)

    def _use_prepared(self, snapshot: int) -> tuple[str, bool] | None:
        """*snapshot*'s schema, counted as used, if it is made."""
        with self._lock:
            found = self._prepared.get(snapshot)
            if found is not None:
                self._prepared.move_to_end(snapshot)
                self._users[snapshot] = self._users.get(snapshot, 0) + 1
            return found

    def _prepare(self, snapshot: int) -> tuple[str, bool]:
        schema = f"v{int(snapshot)}"
        with self.cursor() as cur:
            try:
                # one transaction: DuckLake loads the catalog's state once, not once a
                # table (measured on the sample: ~0.55 s -> ~0.4 s a snapshot)
                cur.execute("begin transaction")
                in_memory, held = self._fill(cur, schema, snapshot)
                cur.execute("commit")
            except duckdb.Error:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("rollback")
                cur.execute(f"drop schema if exists memory.{schema} cascade")
                raise
        with self._lock:
            self._prepared[snapshot] = (schema, in_memory)
            self._held[snapshot] = held
            self._users[snapshot] = self._users.get(snapshot, 0) + 1
            while len(self._prepared) > SNAPSHOTS_KEPT:
                old = next((s for s in self._prepared if not self._users.get(s)), None)
                if old is None:
                    break
                del self._prepared[old]
                self._held.pop(old, None)
                self._contracts.pop(old, None)
                self._con.execute(f"drop schema if exists memory.v{old} cascade")
        return schema, in_memory

    @contextlib.contextmanager
    def in_memory(self, snapshot: int, table: str) -> Iterator[str | None]:
        """The in-memory schema of *snapshot* while the block runs, if this process has
        one already (a small dataset a page read) and *table* is in the lake at that
        snapshot: its tables are in today's columns, as `read_table` conforms them. A read
        there costs well under a millisecond, against ~15-60 ms a table through DuckLake;
        a snapshot never changes, so the two hold the same rows. None: not prepared, not
        in memory, or a round table the lake lacks (nothing is prepared for the asking:
        that costs a whole snapshot's read)."""
        with self._lock:
            found = self._prepared.get(int(snapshot))
            if found is None or not found[1] or table not in self._held.get(int(snapshot), ()):
                found = None
            else:
                self._users[int(snapshot)] = self._users.get(int(snapshot), 0) + 1
        try:
            yield None if found is None else found[0]
        finally:
            if found is not None:
                self.release(int(snapshot))

    def release(self, snapshot: int) -> None:
        with self._lock:
            self._users[snapshot] = max(0, self._users.get(snapshot, 0) - 1)

    @contextlib.contextmanager
    def _reusable(self, snapshot: int, contract: int | None) -> Iterator[_Kept | None]:
        """The newest snapshot this process holds in memory in *contract* (None: the new
        one will not be held in memory), kept from being dropped while the block copies
        from it: a table its snapshot and *snapshot* both hold since the same commit
        (`held_since`) is the same table, copied in memory (well under a millisecond)
        instead of read through DuckLake again (~15 ms a table; a save changes two or
        three of the twenty-one, so the first page after it read them all)."""
        found = None
        if contract is not None:
            with self._lock:
                held = [
                    s
                    for s, (_, mem) in self._prepared.items()
                    if mem and s != snapshot and self._contracts.get(s) == contract
                ]
                if held:
                    found = max(held)
                    self._users[found] = self._users.get(found, 0) + 1
        if found is None:
            yield None
            return
        try:
            yield _Kept(self.lake, found, int(snapshot), self._held.get(found, frozenset()))
        finally:
            self.release(found)

    def _fill(
        self, cur: duckdb.DuckDBPyConnection, schema: str, snapshot: int
    ) -> tuple[bool, frozenset[str]]:
        """Make *schema* hold *snapshot*: whether in memory, and which of its tables the
        lake has (a yearly round's table it lacks is made empty)."""
        at = f"at (version => {int(snapshot)})"
        cur.execute(f"create schema if not exists memory.{schema}")
        names = [t.name for t in TABLES + SUMMARIES]
        have = {r[0] for r in cur.execute(
            f"select table_name from {META}.ducklake_table where {live_at()}", {"v": snapshot}
        ).fetchall()}  # fmt: skip
        lacking = [n for n in names if n not in have]
        if lacking:
            raise DatasetError(
                f"the dataset in {self.lake.describe()} lacks {', '.join(lacking)}; "
                "re-import it with `python -m dashboard ingest`",
                "lacks_files",
                tables=", ".join(lacking),
            )
        contract, counted = _record_at(cur, snapshot)
        known = {  # the contract tables' rows as the snapshot's commit counted them
            n: int(v) for n, v in (counted or {}).items() if n in names and isinstance(v, int)
        }
        rest = [n for n in names if n not in known]
        small = small_enough(known, rest)
        if small is None:  # the summaries' rows counted through DuckLake (~45 ms, sample)
            found = cur.execute(
                "select " + " + ".join(f"(select count(*) from lake.{n} {at})" for n in rest)
            ).fetchone()
            small = sum(known.values()) + int(found[0] if found else 0) <= memory_rows()
        columns = columns_at(cur, snapshot)
        with self._reusable(snapshot, contract if small else None) as kept:
            for t in TABLES + SUMMARIES:
                stored = set(columns.get(t.name, ()))
                cols = _projection(t, stored, contract)
                if small and kept is not None and kept.same(t.name):
                    cur.execute(
                        f"create or replace table memory.{schema}.{t.name} as "
                        f"from memory.{kept.schema}.{t.name}"
                    )
                elif small:
                    cur.execute(
                        f"create or replace table memory.{schema}.{t.name} as "
                        f"select {cols} from lake.{t.name} {at}"
                    )
                else:
                    source = _resolved(cur, schema, t, at)
                    view = f"memory.{schema}.{t.name}"
                    cur.execute(f"create or replace view {view} as select {cols} from {source}")
            for t in ROUND_TABLES:  # the yearly round's: a lake no round was opened in lacks them
                if t.name in have and kept is not None and kept.same(t.name):
                    source = f"memory.{kept.schema}.{t.name}"
                elif t.name in have:
                    source = f"(select {_cols(t)} from lake.{t.name} {at})"
                else:
                    source = (
                        "(select "
                        + ", ".join(f'null::{SQL_TYPES[c.type]} as "{c.name}"' for c in t.columns)
                        + " limit 0)"
                    )
                cur.execute(f"create or replace table memory.{schema}.{t.name} as from {source}")
        if small:
            with self._lock:
                self._contracts[snapshot] = contract
        cur.execute(f"use memory.{schema}")
        for macros in sorted(MACRO_DIR.glob("*.sql")):
            cur.execute(macros.read_text(encoding="utf-8"))
        return small, frozenset(have)

    def close(self) -> None:
        self._con.close()


@dataclass(frozen=True)
class _Kept:
    """A snapshot held in memory that a new one may copy its unchanged tables from."""

    lake: Lake
    snapshot: int
    new: int
    tables: frozenset[str]  # the lake's tables at *snapshot*

    @property
    def schema(self) -> str:
        return f"v{self.snapshot}"

    def same(self, table: str) -> bool:
        """Whether *table* holds the same rows at both snapshots (no commit in between
        changed it, as the lake's record of changes says)."""
        if table not in self.tables and table not in {t.name for t in TABLES + SUMMARIES}:
            return False  # a round table the older snapshot lacked: made empty there
        return held_since(self.lake, table, self.snapshot) == held_since(self.lake, table, self.new)


def _cols(table: Table) -> str:
    return ", ".join(f'"{c.name}"' for c in table.columns)


_ENGINES: dict[tuple[Lake, int], Engine] = {}
_ENGINES_LOCK = threading.Lock()


# per lake: the newest snapshot this process has seen (its id and time), and how often it
# found the catalog's history gone back (`Engine.current`)
_NEWEST_SEEN: dict[Lake, tuple[int, str]] = {}
_HISTORIES: dict[Lake, int] = {}


def _history_went_back(lake: Lake) -> None:
    """The catalog holds another history than the one this process read (a backup put
    back while it ran): every read kept under the old identity is let go, the reader and
    the writer are made anew."""
    _HISTORIES[lake] = _HISTORIES.get(lake, 0) + 1
    with _WRITERS_LOCK:
        _WRITERS.pop(lake, None)  # its connection is closed when no write holds it


def _identity(lake: Lake) -> int:
    """Which catalog the lake is now, as the keys of what this process keeps of it say:
    its file (a folder removed and imported again is a new catalog: its inode), and how
    often its history was seen to go back (`_history_went_back`: a backup copied over the
    file keeps the inode), so nothing is ever read from a catalog or history that is gone."""
    went_back = _HISTORIES.get(lake, 0)
    catalog = lake.catalog_file
    if catalog is None:
        return went_back
    try:
        return catalog.stat().st_ino * 1_000 + went_back % 1_000
    except OSError:
        return -1


def held_since(lake: Lake, table: str, version: int) -> int:
    """The snapshot since which *table* has held what it holds at snapshot *version*: the
    last one at or before it whose commit changed the table (a key its reads are kept
    under, so a save of the activities does not make every small table be read again:
    ~80 ms a save at a million activities, 0.2 s at ten). Where the lake's record of
    changes cannot be read, *version* itself (a read of every snapshot, as before)."""
    try:
        return _changes(lake, version).since(table, version)
    except Exception:
        return version


@dataclass
class _Changed:
    """Which snapshots changed which table, from the catalog's record of changes
    (`ducklake_snapshot_changes`), read once and then only for snapshots not seen yet: a
    snapshot's record never changes, and a new snapshot always has a higher id. A change
    the record names by a table id this process knows, or a table created in the main
    schema, changes that table; anything else (a schema, a view, an id not known) counts
    as a change of every table (`_note`)."""

    seen: int = -1  # the newest snapshot read
    seen_time: str = ""  # its time: a catalog made anew under the same name is noticed
    first: int = 0  # the oldest snapshot the record still holds
    by_table: dict[str, list[int]] = field(default_factory=dict)
    every: list[int] = field(default_factory=list)

    def since(self, table: str, version: int) -> int:
        found = self.first
        for ids in (self.by_table.get(table, ()), self.every):
            i = bisect.bisect_right(ids, version)
            if i:
                found = max(found, ids[i - 1])
        return found

    def changed_in(self, version: int) -> frozenset[str] | None:
        """The tables the commit of snapshot *version* changed; None: every table."""
        i = bisect.bisect_left(self.every, version)
        if i < len(self.every) and self.every[i] == version:
            return None
        return frozenset(
            name
            for name, ids in self.by_table.items()
            if (j := bisect.bisect_left(ids, version)) < len(ids) and ids[j] == version
        )


_CHANGED: dict[tuple[Lake, int], _Changed] = {}
_CHANGED_LOCK = threading.Lock()


def changed_in(lake: Lake, version: int) -> frozenset[str] | None:
    """The tables the commit of snapshot *version* changed, as the lake's record of changes
    says (`_note`); None: every table (a change the record does not attribute)."""
    return _changes(lake, version).changed_in(version)


def _changes(lake: Lake, version: int) -> _Changed:
    """The lake's `_Changed`, read up to snapshot *version* at least (the catalog is asked
    only for a snapshot newer than the newest seen)."""
    key = (lake, _identity(lake))
    with _CHANGED_LOCK:
        known = _CHANGED.get(key)
        if known is not None and version <= known.seen:
            return known
        eng = engine_for(lake)
        rows: list = []
        if known is not None:
            rows = _changes_from(eng, known.seen)
            if not rows or (int(rows[0][0]), str(rows[0][1])) != (known.seen, known.seen_time):
                known = None  # not the catalog read before (made anew): from its start
        if known is None:
            known = _Changed()
            rows = _changes_from(eng, 0)
            known.first = int(rows[0][0]) if rows else 0
        tables: dict[int, str] | None = None
        for sid, when, said in rows:
            if int(sid) <= known.seen:
                continue
            if tables is None:
                tables = {
                    int(i): str(n)
                    for i, n in eng.rows(f"select table_id, table_name from {META}.ducklake_table")
                }
            _note(known, int(sid), str(said or ""), tables)
            known.seen, known.seen_time = int(sid), str(when)
        _CHANGED[key] = known
        return known


def _changes_from(eng: Engine, first: int) -> list:
    return eng.rows(
        f"select s.snapshot_id, cast(s.snapshot_time as varchar), c.changes_made "
        f"from {META}.ducklake_snapshot s left join {META}.ducklake_snapshot_changes c "
        f"using (snapshot_id) where s.snapshot_id >= $k order by 1",
        {"k": first},
    )


_CREATED = re.compile(r'"main"\."(\w+)"')


def _note(known: _Changed, sid: int, said: str, tables: Mapping[int, str]) -> None:
    """Add snapshot *sid*'s record of changes ("inserted_into_table:11,inlined_delete:11",
    'created_table:"main"."rounds"'): a table named by its id or created in the main
    schema changed; anything else (a schema, a view, an id not known) changes every table."""
    hit = set()
    for token in said.split(","):
        kind, _, value = token.partition(":")
        made = _CREATED.fullmatch(value) if kind == "created_table" else None
        if made is not None:
            hit.add(made.group(1))
        elif value.isdigit() and int(value) in tables:
            hit.add(tables[int(value)])
        else:
            known.every.append(sid)
            return
    for name in hit:
        known.by_table.setdefault(name, []).append(sid)


def engine_for(lake: Lake, threads: int | None = None, memory_limit: str | None = None) -> Engine:
    """The process's reader of *lake* (made on first use).

    One thread makes it; the others wait for it (`_MAKING_LOCK`). Two made at once (a
    process's first page and its get-ready thread, or two first visitors) each replaced
    the other's and closed its connection under a query still running on it: "Connection
    already closed" on a page (2026-12-07)."""
    found = _engine_known(lake)
    if found is not None:
        return found
    with _MAKING_LOCK:
        found = _engine_known(lake)  # made while this thread waited
        if found is not None:
            return found
        threads = threads or settings.whole("DASHBOARD_DUCKDB_THREADS", 2)
        memory_limit = memory_limit or settings.size("DASHBOARD_DUCKDB_MEMORY", "1GB")
        made = Engine(lake, threads, memory_limit)
        with _ENGINES_LOCK:
            # the reader of a catalog gone (put back from a backup: `_identity`) or broken is
            # let go, not closed: another thread may be reading through it this moment, and
            # it closes when the last reader of it is dropped (a cached page connection)
            for old in [k for k in _ENGINES if k[0] == lake]:
                _ENGINES.pop(old)
            _ENGINES[(lake, _identity(lake))] = made
        return made


def _engine_known(lake: Lake) -> Engine | None:
    """The process's working reader of *lake* as it is now (`_identity`), if it has one."""
    with _ENGINES_LOCK:
        found = _ENGINES.get((lake, _identity(lake)))
    return found if found is not None and not found.broken else None


_MAKING_LOCK = threading.Lock()  # held while a reader is made: one at a time


def forget(lake: Lake) -> None:
    """Close the process's instances of *lake* (tests that remove a dataset folder)."""
    with _ENGINES_LOCK:
        for old in [k for k in _ENGINES if k[0] == lake]:
            _ENGINES.pop(old).close()
    with _WRITERS_LOCK:
        w = _WRITERS.pop(lake, None)
    if w is not None:
        w.close()


class Database:
    """One snapshot of the dataset, read-only, for the pages' queries."""

    def __init__(
        self,
        folder: Path | None = None,
        *,
        snapshot: int | None = None,
        threads: int | None = None,
        memory_limit: str | None = None,
        lake: Lake | None = None,
    ) -> None:
        self.folder = Path(folder or data_dir()).resolve()
        self.lake = lake or lake_at(self.folder)
        self._engine = engine_for(self.lake, threads, memory_limit)
        try:
            self.snapshot = snapshot if snapshot is not None else self._engine.current()
            self.schema, self.in_memory = self._engine.prepare(self.snapshot)
        except duckdb.Error as exc:
            self._engine.broken = isinstance(exc, _DAMAGED)
            raise _unreadable(self.lake.describe(), exc, self._shared) from exc
        self._closed = False

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """A new cursor on this snapshot's schema (on a new instance after damage)."""
        if self._engine.broken:
            try:
                engine = engine_for(self.lake)
                self.schema, self.in_memory = engine.prepare(self.snapshot)
                self._engine = engine
            except (DatasetError, duckdb.Error):
                if not self.in_memory:
                    raise
                # the store is down: this snapshot's copy in memory still serves
        cur = self._engine.cursor()
        cur.execute(f"use memory.{self.schema}")
        return cur

    @property
    def _shared(self) -> bool:
        return not self.lake.embedded or self.lake.remote_data

    def _damaged(self, exc: BaseException) -> DatasetError:
        self._engine.broken = True
        return _unreadable(self.lake.describe(), exc, self._shared)

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

        A data file removed or damaged under the snapshot raises DatasetError, so the app
        says the dataset is damaged instead of failing a page.
        """
        query = load_query(name)
        with self.cursor() as cur:
            try:
                # execute, not a relation (cur.sql): a relation is planned when it is made
                # and again when it is read, 30 % of a small query's time
                return cur.execute(query.sql, bind(query, params or {})).df()
            except _DAMAGED as exc:
                raise self._damaged(exc) from exc

    def batches(
        self, name: str, params: Mapping[str, Any] | None = None, rows: int = 50_000
    ) -> Iterator[pa.RecordBatch]:
        """Stream a query's result in record batches, for large downloads."""
        with self.cursor() as cur:
            try:
                yield from self._relation(cur, name, params or {}).to_arrow_reader(rows)
            except _DAMAGED as exc:
                raise self._damaged(exc) from exc

    def close(self) -> None:
        """Let the snapshot's schema go (the instance stays for the process)."""
        if not self._closed:
            self._closed = True
            self._engine.release(self.snapshot)


# what a commit that another one beat says: DuckLake's conflict, SQLite's busy catalog,
# PostgreSQL's "duplicate key ... ducklake_snapshot_pkey" (the snapshot id already taken)
_RACE = re.compile(r"conflict|database is locked|ducklake_snapshot_pkey|duplicate key", re.I)


class Damaged(DatasetError):
    """A write read a data file of the lake that is missing or damaged: a whole import or
    a restore then replaces the table (`publishing`), which repairs it."""


class CommitConflict(Exception):
    """Another process committed to the lake while this write was being made: the write
    is made again against the lake as it is now (`publishing.publish`)."""


class LakeMoved(CommitConflict):
    """The lake has a newer snapshot than the one a write's rows were read and checked at
    (`publishing.publish(expect=...)`): writing them would undo what came in between, so
    the write is read and checked again on the lake as it is now by its caller."""


def write_threads() -> int:
    """The threads a write's DuckDB uses: `DASHBOARD_DUCKDB_WRITE_THREADS`, else every core
    (a write rebuilds the summaries, which at 10 million activities gain from them). A
    server sharing its cores with others (a container given fewer CPUs than the machine
    has, the test suite's two workers) sets fewer: a DuckDB of more threads than it gets
    cores spends CPU on them for nothing on the few hundred rows of a save (the editing and
    partial-import test files: 36 -> 31 CPU s with one thread against two, 2026-12-07)."""
    return settings.whole("DASHBOARD_DUCKDB_WRITE_THREADS", os.cpu_count() or 2)


class Writer:
    """The process's writing DuckDB instance over one lake: one transaction at a time."""

    def __init__(self, lake: Lake) -> None:
        self.lake = lake
        lake.folder.mkdir(parents=True, exist_ok=True)
        if not lake.remote_data:
            Path(lake.data_path).mkdir(parents=True, exist_ok=True)
        # 1 GB and a spill folder inside the dataset folder: the summaries of 10M activities
        spill = lake.folder / ".spill"
        con = _connect(lake, write_threads(), "1GB")
        try:
            con.execute("set temp_directory = $d", {"d": str(spill)})
            _attach(con, lake, read_only=False)
            # a commit that finds another one made meanwhile fails rather than being
            # retried by DuckLake: the write is made again on what the other one left
            # (its checks and guard see the other change)
            con.execute("set ducklake_max_retry_count = 0")
            _lock_down(con, lake)
        except duckdb.Error as exc:
            con.close()
            raise _unreadable(lake.describe(), exc) from exc
        self._con = con
        self.lock = threading.Lock()  # one publish of this process at a time

    def _run(
        self, sql: str, params: Mapping[str, Any] | Sequence[Any] | None
    ) -> duckdb.DuckDBPyConnection:
        try:
            return self._con.execute(sql, params or {})
        except _DAMAGED as exc:
            shared = not self.lake.embedded or self.lake.remote_data
            found = _unreadable(self.lake.describe(), exc, shared)
            raise (Damaged if found.key == "unreadable" else DatasetError)(
                str(found), found.key, **found.values
            ) from exc

    def execute(self, sql: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> None:
        self._run(sql, params)

    def rows(self, sql: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> list:
        return self._run(sql, params).fetchall()

    def arrow(self, sql: str, params: Mapping[str, Any] | Sequence[Any] | None = None) -> pa.Table:
        return self._run(sql, params).to_arrow_table()

    def temp_table(self, name: str, data: pa.Table) -> None:
        """A temporary table *name* of the rows *data* (read elsewhere, as a snapshot the
        transaction began at)."""
        self._con.register("_arrow_rows", data)
        try:
            self._run(f"create or replace temp table {name} as from _arrow_rows", None)
        finally:
            self._con.unregister("_arrow_rows")

    def begin(self) -> None:
        self._con.execute("begin transaction")

    def rollback(self) -> None:
        with contextlib.suppress(duckdb.Error):  # no transaction open (it failed at commit)
            self._con.execute("rollback")

    def commit(self, author: str, message: str, extra: Mapping[str, Any]) -> int:
        """Commit with the person as author and the comment as message; the snapshot made.
        CommitConflict when another commit came first."""
        self._con.execute(
            "call lake.set_commit_message($a, $m, extra_info => $e)",
            {"a": author, "m": message, "e": json.dumps(extra, ensure_ascii=False)},
        )
        try:
            self._con.execute("commit")
        except duckdb.Error as exc:
            self.rollback()
            if _RACE.search(str(exc)):
                raise CommitConflict(_first_line(exc)) from exc
            raise
        return int(self._con.execute("select id from lake.current_snapshot()").fetchall()[0][0])

    def close(self) -> None:
        self._con.close()


_WRITERS: dict[Lake, Writer] = {}
_WRITERS_LOCK = threading.Lock()


def writer_for(lake: Lake) -> Writer:
    """The process's writer of *lake* (made on first use)."""
    with _WRITERS_LOCK:
        found = _WRITERS.get(lake)
        if found is None:
            found = _WRITERS[lake] = Writer(lake)
        return found


def summary_sql(table: Table) -> str:
    """The select that builds a summary table from the contract's tables."""
    return parse_query(table.name, (SUMMARY_DIR / f"{table.name}.sql").read_text("utf-8")).sql


@functools.cache
def _summary_inputs() -> tuple[tuple[str, ...], frozenset[str] | None]:
    """What the summary queries (`queries/summaries/`) read, as DuckDB's parser finds it
    (`json_serialize_sql`): the tables they name, and the names of the columns they refer
    to, whichever table those are of (None when one reads every column: a star)."""
    tables: set[str] = set()
    names: set[str] = set()
    star = False

    def walk(node: object) -> None:
        nonlocal star
        if isinstance(node, dict):
            if node.get("class") == "COLUMN_REF":
                names.add(str(node["column_names"][-1]))
            elif node.get("type") == "BASE_TABLE":
                tables.add(str(node["table_name"]))
            elif node.get("class") == "STAR" or node.get("type") == "STAR":
                star = True
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for tree in _summary_trees().values():
        walk(tree)
    return tuple(sorted(tables)), None if star else frozenset(names)


@functools.cache
def _summary_trees() -> dict[str, dict[str, Any]]:
    """Each summary query as DuckDB's parser reads it (`json_serialize_sql`), parsed once
    for what the summaries read (`_summary_inputs`) and how many rows they can hold
    (`summary_bounds`)."""
    con = duckdb.connect(":memory:")
    try:
        trees = {}
        for t in SUMMARIES:
            found = con.execute("select json_serialize_sql($s)", {"s": summary_sql(t)})
            tree = json.loads(found.fetchall()[0][0])
            if tree.get("error"):
                raise QueryError(f"{t.name}: {tree.get('error_message')}")
            trees[t.name] = tree
        return trees
    finally:
        con.close()


@functools.cache
def summary_bounds() -> dict[str, str]:
    """For each summary whose rows cannot outnumber one contract table's, that table: the
    summary groups its rows (`group by`), alone or joined to another table on all of that
    table's key, so each row of it meets at most one. Read from DuckDB's parse of the
    summary's own SQL, so a summary written otherwise has no bound and is counted."""
    bounds = {name: _grouped_from(tree) for name, tree in _summary_trees().items()}
    return {name: bound for name, bound in bounds.items() if bound is not None}


def _grouped_from(tree: Mapping[str, Any]) -> str | None:
    """The table a parsed query's rows are at most as many as (see `summary_bounds`)."""
    statements = tree.get("statements") or []
    if tree.get("error") or len(statements) != 1:
        return None
    node = statements[0].get("node") or {}
    grouped = node.get("aggregate_handling") == "FORCE_AGGREGATES" or node.get("group_expressions")
    if node.get("type") != "SELECT_NODE" or not grouped or node.get("cte_map", {}).get("map"):
        return None
    source = node.get("from_table") or {}
    if source.get("type") == "BASE_TABLE":
        return str(source["table_name"])
    left, right = source.get("left") or {}, source.get("right") or {}
    if (
        source.get("type") != "JOIN"
        or source.get("join_type") not in ("INNER", "LEFT")
        or source.get("ref_type") != "REGULAR"
        or left.get("type") != "BASE_TABLE"
        or right.get("type") != "BASE_TABLE"
        or str(right.get("table_name")) not in TABLE_BY_NAME
    ):
        return None
    # every key column of the right table equal to a column of the left, in an AND of
    # equalities: each left row meets at most one right row
    alias = str(right.get("alias") or right["table_name"])
    cond = source.get("condition") or {}
    terms = cond.get("children", []) if cond.get("type") == "CONJUNCTION_AND" else [cond]
    pinned = set()
    for term in terms:
        if term.get("type") != "COMPARE_EQUAL":
            continue
        sides = [term.get("left") or {}, term.get("right") or {}]
        refs: list[list[str]] = [
            list(x.get("column_names") or []) for x in sides if x.get("class") == "COLUMN_REF"
        ]
        if len(refs) == 2 and all(len(r) == 2 for r in refs):
            mine = [r for r in refs if r[0] == alias]
            if len(mine) == 1:
                pinned.add(str(mine[0][1]))
    if not set(TABLE_BY_NAME[str(right["table_name"])].key) <= pinned:
        return None
    return str(left["table_name"])


def small_enough(known: Mapping[str, int], rest: Sequence[str]) -> bool | None:
    """Whether a snapshot whose contract tables hold *known* rows (as its commit counted
    them) is held in memory, without counting the tables in *rest* (the summaries): yes
    when even every summary at its bound fits, no when the counted tables alone do not;
    None when only a count can say."""
    bounds = summary_bounds()
    if not all(n in bounds and bounds[n] in known for n in rest):
        return None
    least = sum(known.values())
    most = least + sum(known[bounds[n]] for n in rest)
    if most <= memory_rows():
        return True
    if least > memory_rows():
        return False
    return None


def summary_sources() -> tuple[str, ...]:
    """The contract's tables the summaries are built from: a write changing one of them
    may change a summary (`publishing._summaries`)."""
    return _summary_inputs()[0]


def summary_reads() -> frozenset[str] | None:
    """The names of the columns the summary queries read (None: every column). A write
    that changes only other columns (an activity's title) leaves every summary as it was,
    and does not rebuild them (`publishing`)."""
    return _summary_inputs()[1]


def wait_s(attempt: int) -> float:
    """How long a write waits before it is made again after a conflict."""
    return min(2.0, 0.05 * (2**attempt))
