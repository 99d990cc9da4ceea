"""The dataset's tables: read from the lake, and staged as Parquet files for a write.

The dataset is a DuckLake lake (`storage.location`, `storage.engine`): one table per
contract table and summary, a snapshot per change. This module reads a table of it (at
the newest snapshot, or an earlier one: `version`), and writes the Parquet files a write
is staged in before `publishing.publish` applies them to the lake in one transaction:

    .staging-XXXX/activities.parquet   the rows a write gives for a table (all of them, or
                                       only its organisations' when `_scope.json` names it)
    .staging-XXXX/_scope.json          {"activities": ["gotland"], ...}: tables whose
                                       staged rows replace only those organisations' rows

A table not staged is left as it is. The staging folder lies inside the dataset folder,
the one place (with the data path) the locked-down DuckDB may read.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.model.contract import Table
from dashboard.model.migrations import CONTRACT_VERSION, conform, stored_names
from dashboard.storage.engine import (
    META,
    STORE_FAILURES,
    DatasetError,
    Engine,
    _identity,
    absent_or_raise,
    columns_at,
    counted_rows,
    engine_for,
    held_since,
    live_at,
    store_failure,
)
from dashboard.storage.location import Lake, data_dir, data_location, lake_at

__all__ = ["data_dir", "data_location"]  # where the dataset is: storage.location

SCOPE = "_scope.json"
ROW_GROUP_SIZE = 32_768
PARTITION_COLUMN = "org_id"

_ARROW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "date": pa.date32(),
}


def arrow_schema(table: Table) -> pa.Schema:
    """The Arrow schema a table is stored with (derived columns included)."""
    return pa.schema([pa.field(c.name, _ARROW_TYPES[c.type]) for c in table.columns])


def table_path(folder: Path, table: Table | str) -> Path:
    """The staged Parquet file of a table in a staging folder."""
    name = table if isinstance(table, str) else table.name
    return folder / f"{name}.parquet"


def _write_file(path: Path, data: pa.Table) -> None:
    pq.write_table(
        data, path, row_group_size=ROW_GROUP_SIZE, compression="zstd", write_statistics=True
    )


def _sorted(table: Table, data: pa.Table) -> pa.Table:
    data = data.select([c.name for c in table.columns]).cast(arrow_schema(table))
    if table.sort_by and data.num_rows:
        data = data.sort_by([(c, "ascending") for c in table.sort_by])
    return data


def write_table(folder: Path, table: Table, data: pa.Table) -> int:
    """Stage one table's rows (sorted by its layout columns); returns the number of rows."""
    data = _sorted(table, data)
    _write_file(table_path(folder, table), data)
    return data.num_rows


def stage_scope(
    folder: Path,
    table: Table,
    orgs: Sequence[str],
    years: Sequence[int] | None = None,
    ids: Sequence[str] | None = None,
) -> None:
    """Say that *table*'s staged rows replace only the rows of *orgs* (of *years* only,
    where given and the table has a year column; of the activities *ids* only, where
    given and the table has an activity id)."""
    path = folder / SCOPE
    scope = json.loads(path.read_text("utf-8")) if path.is_file() else {}
    names = {c.name for c in table.columns}
    scope[table.name] = {
        "orgs": sorted(set(orgs)),
        "years": sorted({int(y) for y in years})
        if years is not None and YEAR_COLUMN in names
        else None,
        "ids": sorted({str(i) for i in ids})
        if ids is not None and ACTIVITY_COLUMN in names
        else None,
    }
    path.write_text(json.dumps(scope), encoding="utf-8")


def staged_scope(folder: Path) -> dict[str, dict[str, Any]]:
    """Per staged table, the organisations (and years, or None) its rows replace."""
    path = folder / SCOPE
    return json.loads(path.read_text("utf-8")) if path.is_file() else {}


def staging_dir(out: Path) -> Path:
    """A fresh staging folder inside the dataset folder *out*."""
    out.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    staged.chmod(0o755)
    return staged


def clean_staging(out: Path) -> list[Path]:
    """Remove the staging folders a killed write left in *out*."""
    removed = []
    for stale in out.glob(".staging-*"):
        if stale.is_dir() and not stale.is_symlink():
            shutil.rmtree(stale, ignore_errors=True)
            removed.append(stale)
    return removed


# ---------------------------------------------------------------- reading the lake


def _engine(out: Path | Lake) -> Engine:
    lake = out if isinstance(out, Lake) else lake_at(Path(out))
    return engine_for(lake)


def has_dataset(out: Path) -> bool:
    """True when *out* names a lake that holds the contract's tables; False where there is
    none yet (no catalog file, an empty catalog database). A catalog server that does not
    answer, or a disk that takes no writes (SQLite's catalog cannot even be opened there),
    raises (`DatasetError`, `STORE_FAILURES` or "disk"): taken for "none yet", a container's
    first start would import the sample over the region's dataset once the server was
    back, and an upload would be checked as a whole new dataset ("organisations.csv is
    missing")."""
    lake = lake_at(Path(out))
    catalog = lake.catalog_file
    if catalog is not None and not catalog.is_file():
        return False
    try:
        return "activities" in lake_tables(lake)
    except DatasetError as exc:
        if exc.key in STORE_FAILURES or exc.key == "disk":
            raise
        return False


def lake_tables(lake: Lake, version: int | None = None) -> set[str]:
    """The tables of the lake (at snapshot *version*; the newest where None), from the
    catalog's table list in one query (`engine.META`)."""
    if version is None:
        where, params = "end_snapshot is null", {}
    else:
        where, params = live_at(), {"v": int(version)}
    rows = engine_for(lake).rows(
        f"select table_name from {META}.ducklake_table where {where}", params
    )
    return {str(r[0]) for r in rows}


def _at(version: int | None) -> str:
    return "" if version is None else f" at (version => {int(version)})"


def row_count(out: Path, table: Table, version: int | None = None) -> int | None:
    """How many rows a table holds (None when absent or unreadable)."""
    try:
        return int(_engine(out).rows(f"select count(*) from lake.{table.name}{_at(version)}")[0][0])
    except Exception:
        return None


def recorded_rows(out: Path, version: int) -> dict[str, int] | None:
    """The rows each contract table held at snapshot *version*, as the commit that made it
    counted them inside its own transaction (`publishing._apply`: "rows"); None where that
    snapshot was made otherwise (a first import's tables, an old lake's, a change made by
    hand). A snapshot never changes, so neither does its count: read from the record it
    costs nothing, counted again ~7 ms a table through DuckLake."""
    for sid, _, _, _, info in reversed(record_extras(out)):
        if sid == int(version):
            return counted_rows(info)
    return None


def row_counts(
    out: Path, tables: Sequence[Table], version: int | None = None
) -> dict[str, int | None]:
    """How many rows each of *tables* holds at snapshot *version* (None: now; a count is
    None where the table is absent or unreadable): from that snapshot's record where it
    counted them all, else in one query of one snapshot rather than a DuckLake
    transaction a table (~15 ms each)."""
    try:
        recorded = recorded_rows(out, stamp(out) if version is None else version)
        if recorded is not None and all(t.name in recorded for t in tables):
            return {t.name: recorded[t.name] for t in tables}
    except Exception:
        pass  # counted below, or None
    try:
        have = lake_tables(lake_at(Path(out)), version)
        present = [t.name for t in tables if t.name in have]
        found: dict[str, int | None] = {t.name: None for t in tables}
        if present:
            sql = "select " + ", ".join(
                f"(select count(*) from lake.{n}{_at(version)})" for n in present
            )
            for name, n in zip(present, _engine(out).rows(sql)[0], strict=True):
                found[name] = int(n)
        return found
    except Exception:
        return {t.name: row_count(out, t, version) for t in tables}


_COLUMNS: dict[tuple[Lake, int, str, int], list[str]] = {}  # a snapshot's never change


def stored_columns(out: Path, table: Table, version: int | None = None) -> list[str]:
    """The columns *table* has at snapshot *version* (the newest where None)."""
    lake = lake_at(Path(out))
    if version is None:
        version = stamp(out)
    ident = _identity(lake)
    key = (lake, ident, table.name, int(version))
    found = _COLUMNS.get(key)
    if found is None:
        # every table's columns at the snapshot in one read of the catalog's column list
        with _engine(lake).cursor() as cur:
            every = columns_at(cur, int(version))
        for name, columns in every.items():
            _COLUMNS[(lake, ident, name, int(version))] = columns
        found = _COLUMNS.get(key)
        if found is None:  # not in the lake at that snapshot: DuckDB says so, as before
            rows = _engine(lake).rows(f"describe select * from lake.{table.name}{_at(version)}")
            found = _COLUMNS[key] = [str(r[0]) for r in rows]
    return list(found)


def read_table(
    out: Path,
    table: Table,
    columns: list[str] | None = None,
    orgs: Sequence[str] | None = None,
    version: int | None = None,
    reader: Callable[[str, Mapping[str, Any]], pa.Table] | None = None,
    years: Sequence[int] | None = None,
    ids: Sequence[str] | None = None,
) -> pa.Table | None:
    """One table of the dataset (at *version*, a snapshot; else the newest), only
    *columns* and only the rows of *orgs* (and of *years*, in a table with a year, and
    of the activities *ids*, in a table with an activity id) where given (`part_filter`:
    the one rule of which rows), in today's contract
    (`migrations.conform`: a snapshot written under an older contract reads as if written
    today), in its sort order; None when there is no dataset or the snapshot has no such
    table. A table that is there but cannot be read (a data file removed or damaged, the
    object store or the catalog not answering) raises `DatasetError`: a write that took it
    for absent would publish without it (a restore that restored nothing and said it had,
    a closed year's lock not seen). *reader*: the reads of an open transaction
    (`read_tables`)."""
    schema = arrow_schema(table)
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    has_org = any(c.name == PARTITION_COLUMN for c in table.columns)
    if orgs is not None and not orgs and has_org:
        return schema.empty_table()
    try:
        if version is None:  # the newest snapshot, named: what it holds is then cached
            version = stamp(out)
        lake = lake_at(Path(out))
        cols = None if columns is None else tuple(columns)
        key = (
            lake,
            _identity(lake),
            held_since(lake, table.name, int(version)),
            contract_version(out, int(version)),
            table.name,
            cols,
            orgs if orgs is None else tuple(orgs),
            years if years is None else tuple(years),
            ids if ids is None else tuple(sorted(ids)),
        )
        with _READS_LOCK:
            kept = _READS.get(key)
            if kept is not None:
                _READS.move_to_end(key)
                return kept[0]
        found = _read_at(out, table, columns, orgs, version, schema, has_org, reader, years, ids)
        size = 0 if found is None else found.nbytes
        if found is not None and size <= READS_KEPT_BYTES // 8:
            _keep(key, found, size)
        return found
    except Exception as exc:
        absent_or_raise(lake_at(Path(out)), exc)
        return None  # no dataset, or the table is not in that snapshot


def as_rows(data: pa.Table) -> list[dict[str, Any]]:
    """*data*'s rows as dicts (`to_pylist`), each call its own dicts (a caller may change
    them). A table read again from what `read_table` keeps is turned into dicts once:
    at 10 million activities the small tables' 117,000 rows took 0.16 s a save, a copy
    of the dicts 0.025 s."""
    with _ROWS_LOCK:
        hit = _ROWS.get(id(data))
        if hit is not None and hit[0]() is data:
            _ROWS.move_to_end(id(data))
    if hit is not None and hit[0]() is data:
        rows = hit[1]
    else:
        rows = data.to_pylist()
        if len(rows) <= ROWS_KEPT:
            with _ROWS_LOCK:
                _ROWS[id(data)] = (weakref.ref(data), rows)
                # dicts take several times the bytes of the Arrow table: at most ROWS_KEPT
                while sum(len(r) for _, r in _ROWS.values()) > ROWS_KEPT:
                    _ROWS.popitem(last=False)
            weakref.finalize(data, _forget_rows, id(data))
    return [dict(r) for r in rows]


def _forget_rows(ident: int) -> None:
    with _ROWS_LOCK:
        found = _ROWS.get(ident)
        if found is not None and found[0]() is None:
            _ROWS.pop(ident, None)


ROWS_KEPT = 250_000  # rows kept as dicts in a process (the small tables at 10M: 117,000)
_ROWS: OrderedDict[int, tuple[weakref.ref, list[dict[str, Any]]]] = OrderedDict()
_ROWS_LOCK = threading.Lock()


def part_filter(
    table: Table,
    orgs: Sequence[str] | None,
    years: Sequence[int] | None,
    alias: str = "",
    ids: Sequence[str] | None = None,
) -> tuple[str, dict[str, Any]]:
    """The SQL condition (and its bound parameters) for the rows of *orgs* and, in a
    table with a year column, of *years*, and in a table with an activity id, of the
    activities *ids*; its columns named through *alias* where given; None: that part not
    applied; "" when none applies. The one rule of which rows a scoped read, check and
    write touch."""
    names = {c.name for c in table.columns}
    at = f"{alias}." if alias else ""
    terms: list[str] = []
    params: dict[str, Any] = {}
    if orgs is not None and PARTITION_COLUMN in names:
        terms.append(f"{at}{PARTITION_COLUMN} in (select unnest($orgs))")
        params["orgs"] = list(orgs)
    if years is not None and YEAR_COLUMN in names:
        terms.append(f"{at}{YEAR_COLUMN} in (select unnest($years))")
        params["years"] = [int(y) for y in years]
    if ids is not None and ACTIVITY_COLUMN in names:
        terms.append(f"{at}{ACTIVITY_COLUMN} in (select unnest($ids))")
        params["ids"] = [str(i) for i in ids] or [""]
    return " and ".join(terms), params


def where_sql(condition: str) -> str:
    """` where condition`, or nothing for no condition."""
    return f" where {condition}" if condition else ""


YEAR_COLUMN = "year"
ACTIVITY_COLUMN = "activity_id"  # a save of some of a year's activities: theirs alone


def read_tables(
    out: Path,
    tables: Sequence[Table],
    orgs: Sequence[str] | None = None,
    version: int | None = None,
    years: Sequence[int] | None = None,
    columns: Mapping[str, Sequence[str]] | None = None,
    ids: Mapping[str, Sequence[str]] | None = None,
) -> dict[str, pa.Table | None]:
    """`read_table` of each of *tables* at snapshot *version* (None: the newest, asked
    once, so every table is of one snapshot), in one DuckLake transaction (about half the
    time of a transaction a table: each begins by loading the catalog's state). A read that
    fails there is made again on its own, so each says what it says alone (None: absent or
    unreadable); so is every read when the catalog does not say which snapshot is newest.
    *columns*: of the tables named there, only those columns; *ids*: of the tables named
    there, only the rows of those activities."""
    wanted = columns or {}
    cols = {t.name: list(wanted[t.name]) if t.name in wanted else None for t in tables}
    only = ids or {}
    if version is None:
        try:
            version = stamp(out)
        except DatasetError:  # a catalog that does not answer: each read says so (None)
            return {
                t.name: read_table(
                    out, t, cols[t.name], orgs=orgs, years=years, ids=only.get(t.name)
                )
                for t in tables
            }
    found: dict[str, pa.Table | None] = {}
    with _engine(out).reads() as reader:
        for t in tables:
            found[t.name] = read_table(
                out,
                t,
                cols[t.name],
                orgs=orgs,
                version=version,
                reader=reader,
                years=years,
                ids=only.get(t.name),
            )
            if found[t.name] is None:
                break  # the transaction may be aborted: the rest are read on their own
    for t in tables:
        if found.get(t.name) is None:
            found[t.name] = read_table(
                out, t, cols[t.name], orgs=orgs, version=version, years=years, ids=only.get(t.name)
            )
    return found


# a snapshot never changes: what was read of it is kept (a save reads its organisation's
# rows several times: the form, the rebase, the guard twice); small results only, under
# the snapshot since which the table holds them (`held_since`)
READS_KEPT, READS_KEPT_BYTES = 64, 64 << 20  # at most 64 results, 64 MB (one: 8 MB)


# each kept result with its bytes, counted once when kept: summing `nbytes` over every
# kept result at each read took 4 % of a profile of the storage tests (pyarrow walks
# every buffer of every column)
_READS: OrderedDict[tuple, tuple[pa.Table, int]] = OrderedDict()
_READS_LOCK = threading.Lock()


def _keep(key: tuple, found: pa.Table, size: int) -> None:
    """Keep *found* (of *size* bytes) under *key*, the oldest dropped past the limits."""
    with _READS_LOCK:
        _READS[key] = (found, size)
        _READS.move_to_end(key)
        while len(_READS) > READS_KEPT or sum(n for _, n in _READS.values()) > READS_KEPT_BYTES:
            _READS.popitem(last=False)


def _read_at(
    out: Path,
    table: Table,
    columns: list[str] | None,
    orgs: Sequence[str] | None,
    version: int,
    schema: pa.Schema,
    has_org: bool,
    reader: Callable[[str, Mapping[str, Any]], pa.Table] | None = None,
    years: Sequence[int] | None = None,
    ids: Sequence[str] | None = None,
) -> pa.Table | None:
    """`read_table`'s read of one snapshot: from the snapshot's tables in memory where
    this process holds them (`Engine.in_memory`), else through DuckLake."""
    cond, params = part_filter(table, orgs if has_org else None, years, ids=ids)
    where = where_sql(cond)
    eng = _engine(out)
    with eng.in_memory(version, table.name) as held:
        if held is not None:
            by = f" order by {', '.join(table.sort_by)}" if table.sort_by else ""
            sql = (
                f"select {', '.join(chr(34) + c + chr(34) for c in schema.names)} "
                f"from memory.{held}.{table.name}{where}{by}"
            )
            return eng.arrow(sql, params).cast(schema)
    contract = contract_version(out, version)
    names = stored_columns(out, table, version)
    want = columns or [c.name for c in table.columns]
    stored = [c for c in stored_names(table.name, contract, want) if c in names]
    order = [c for c in table.sort_by if c in names]
    sql = (
        f"select {', '.join(chr(34) + c + chr(34) for c in stored) or '1 as _'} "
        f"from lake.{table.name}{_at(version)}{where}"
        + (f" order by {', '.join(order)}" if order else "")
    )
    data = (reader or _engine(out).arrow)(sql, params)
    if not stored:
        data = data.drop_columns(["_"])
    data = conform(table.name, data, contract, arrow_schema(table), columns)
    return data.select(schema.names).cast(schema)


# ---------------------------------------------------------------- what the record says


Extra = tuple[int, str, str | None, str | None, dict[str, Any]]
# lake (and its catalog's identity) -> snapshot id -> its record, parsed once: a snapshot's
# record never changes, and a whole import's record of a million rows takes a second to parse
_EXTRAS: dict[tuple[Lake, int], dict[int, Extra]] = {}
_EXTRAS_LOCK = threading.Lock()


def record_extras(out: Path) -> list[Extra]:
    """Every snapshot's (id, time, author, message, extra info), oldest first; the ones
    this process has not seen yet are read and parsed, the rest come from its cache (a
    snapshot expired by a prune is left out as the lake leaves it out)."""
    lake = lake_at(Path(out))
    eng = _engine(lake)
    key = (lake, _identity(lake))
    with _EXTRAS_LOCK:
        known = dict(_EXTRAS.get(key, {}))
    ids = [int(r[0]) for r in eng.rows(f"select snapshot_id from {META}.ducklake_snapshot")]
    new = [i for i in ids if i not in known]
    if new:
        # from the catalog's own two tables, not `lake.snapshots()`, which also gathers
        # every snapshot's changes (13-19 ms against 7 for the one a save just made); the
        # time is text in a SQLite catalog and a timestamp in PostgreSQL: read as text
        rows = eng.rows(
            "select s.snapshot_id, strftime(cast(cast(s.snapshot_time as varchar) as "
            "timestamptz) at time zone 'UTC', '%Y-%m-%dT%H:%M:%S+00:00'), c.author, "
            f"c.commit_message, c.commit_extra_info from {META}.ducklake_snapshot s "
            f"left join {META}.ducklake_snapshot_changes c using (snapshot_id) "
            "where s.snapshot_id in (select unnest($ids))",
            {"ids": new},
        )
        for sid, when, author, message, extra in rows:
            try:
                info = json.loads(extra) if extra else {}
            except ValueError:
                info = {}
            known[int(sid)] = (
                int(sid),
                str(when),
                author,
                message,
                info if isinstance(info, dict) else {},
            )
        with _EXTRAS_LOCK:
            _EXTRAS[key] = known
    return [known[i] for i in sorted(ids) if i in known]


def contract_version(out: Path, version: int | None = None) -> int:
    """The contract version the dataset (at snapshot *version*) was written under: the
    one its last recorded change names; 1 for one that names none; today's where there is
    no dataset to ask. A record that cannot be read raises (`engine.absent_or_raise`): this
    decides how the stored columns are read and whether a write upgrades first, so a
    guess of today's contract would read an older dataset's renamed columns as missing,
    keep that read under the snapshot, and write over it without its upgrade."""
    lake = lake_at(Path(out))
    key = (lake, _identity(lake), -1 if version is None else int(version))
    if version is not None and key in _CONTRACTS:
        return _CONTRACTS[key]
    try:
        extras = record_extras(out)
    except Exception as exc:
        absent_or_raise(lake, exc)
        return CONTRACT_VERSION
    found = 1
    for sid, _, _, _, info in extras:
        if version is not None and sid > version:
            break
        if "contract" in info:
            found = int(info["contract"])
    if version is not None:
        _CONTRACTS[key] = found
    return found


_CONTRACTS: dict[tuple[Lake, int, int], int] = {}  # a snapshot's contract never changes


def read_manifest(out: Path) -> dict:
    """What the dataset says of itself: when it was last changed and from what, its rows
    and contract (from the newest recorded change); {} where there is none."""
    try:
        extras = record_extras(out)
    except Exception:
        return {}
    recorded = [e for e in extras if e[4].get("action")]
    if not recorded:
        return {}
    sid, when, _, _, info = recorded[-1]
    return {
        "contract": info.get("contract", 1),
        "imported_at": when,
        "source": info.get("source", ""),
        "rows": dict(info.get("rows") or {}),
        "version": sid,
    }


def history_key(out: Path) -> int:
    """Which catalog, and which history of it, the lake at *out* is now (a number): it
    changes when the catalog file is made anew or a backup is put back while this process
    runs (`engine.Engine.current` notices ids given again), so a cache keyed by it and a
    snapshot id never serves a snapshot of another history. Ask it after `stamp`."""
    return _identity(lake_at(Path(out)))


def stamp_or_none(out: Path) -> int | None:
    """The newest snapshot a reader is about to read, or None before the first import or
    when the catalog cannot say which is newest (the reads that follow say why); a catalog
    server that does not answer at all raises at once (`has_dataset`)."""
    if not has_dataset(out):
        return None
    try:
        return stamp(out)
    except DatasetError:
        return None


def stamp(out: Path) -> int:
    """The newest snapshot of the lake at *out* (0: none). Read through DuckDB: the SQLite
    catalog file is not read directly (DuckDB's SQLite writes it in WAL mode with locks of
    its own, and a second SQLite library reading it meanwhile was seen to find it
    "malformed")."""
    lake = lake_at(Path(out))
    catalog = lake.catalog_file
    if catalog is not None and not catalog.is_file():
        return 0
    try:
        return engine_for(lake).current()
    except DatasetError:
        raise
    except Exception as exc:
        raise store_failure(lake.describe(), exc) from exc
