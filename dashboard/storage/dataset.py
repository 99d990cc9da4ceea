"""Where the dataset lives and how its Parquet files are written.

The import and the synthetic generator both write through `publish.publish`, so a
dataset always has the same layout: one Parquet file per table, rows sorted by the
table's `sort_by` columns and cut into row groups small enough that DuckDB can skip
the ones a filter on organisation and year excludes.

The tables that grow with the activities (`Table.partitioned`: activities, their goal
links and the two summaries) are a folder of three files instead, so that a save of one
organisation's rows need not rewrite millions of others:

    activities/base.parquet    every organisation's rows as the last whole import wrote them
    activities/delta.parquet   the current rows of the organisations saved since then
    activities/moved.parquet   those organisations (org_id): their rows in base are stale

The table is base without the moved organisations' rows, plus delta (`view_sql`, and
`read_table` for Python). A save writes a new delta and moved (small) and shares base, by
hard link, with the previous version. When delta grows past `COMPACT_SHARE` of base, the
save writes one base again (`write_scoped`). Reading stays one scan of one large sorted
file plus a small one: one file per organisation was measured at 20 ms a scan for 300
files, against 2 ms for one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard import PROJECT_ROOT
from dashboard.model.contract import TABLES, Table
from dashboard.model.migrations import (
    CONTRACT_VERSION,
    conform,
    defaults,
    stored_names,
)

DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
MANIFEST = "_dataset.json"
CONTRACT_KEY = "contract"  # the manifest's contract version (`model.migrations`)
ROW_GROUP_SIZE = 32_768
PARTITION_COLUMN = "org_id"

_ARROW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "date": pa.date32(),
}


def data_location() -> str:
    """Where the dataset is, as set: `DASHBOARD_DATA_DIR` (a folder, or an object store's
    s3://bucket/prefix, see `dashboard.storage.store`), else the shipped `data/`."""
    return os.environ.get("DASHBOARD_DATA_DIR") or str(DEFAULT_DATA_DIR)


def data_dir() -> Path:
    """The dataset folder: `DASHBOARD_DATA_DIR` if set, else the shipped `data/`. With the
    dataset in an object store, a folder that does not exist: the features that write or
    read the history in place (editing, the History page) find nothing there."""
    env = os.environ.get("DASHBOARD_DATA_DIR")
    if env and "://" in env:
        return Path(tempfile.gettempdir()) / "malbild-object-store-has-no-local-folder"
    return _resolved(env) if env else DEFAULT_DATA_DIR


@functools.lru_cache(maxsize=16)
def _resolved(path: str) -> Path:
    """*path* made absolute and free of symbolic links, once per setting: every query asks
    for the folder, and resolving it reads every parent folder (3 ms a click)."""
    return Path(path).resolve()


def arrow_schema(table: Table) -> pa.Schema:
    """The Arrow schema a table is stored with (derived columns included)."""
    return pa.schema([pa.field(c.name, _ARROW_TYPES[c.type]) for c in table.columns])


def table_path(folder: Path, table: Table | str) -> Path:
    """Path of a table's Parquet file inside a dataset folder (of a partitioned table:
    its folder of files)."""
    if isinstance(table, Table) and table.partitioned:
        return folder / table.name
    name = table if isinstance(table, str) else table.name
    return folder / f"{name}.parquet"


BASE, DELTA, MOVED = "base.parquet", "delta.parquet", "moved.parquet"
COMPACT_SHARE = 0.1  # delta beyond this share of base's rows: the save writes one base
COMPACT_MIN_ROWS = 50_000  # ... and beyond this many rows (small datasets never compact)
_MOVED_SCHEMA = pa.schema([pa.field(PARTITION_COLUMN, pa.string())])


def table_files(folder: Path, table: Table) -> list[Path]:
    """The Parquet files a table is stored in (none: the table is absent)."""
    path = table_path(folder, table)
    if table.partitioned:
        files = [path / BASE, path / DELTA, path / MOVED]
        if all(f.is_file() for f in files):
            return files
        legacy = legacy_path(folder, table)
        return [legacy] if legacy.is_file() else []
    return [path] if path.is_file() else []


def legacy_path(folder: Path, table: Table) -> Path:
    """Where a dataset written before the base + delta layout keeps a partitioned table:
    one file, read as a base without delta (and turned into one by the next save)."""
    return folder / f"{table.name}.parquet"


def table_exists(folder: Path, table: Table) -> bool:
    """Whether a table is stored in *folder*."""
    return bool(table_files(folder, table))


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def table_rels(table: Table) -> list[str]:
    """A table's files, relative to the dataset folder."""
    if table.partitioned:
        return [f"{table.name}/{n}" for n in (BASE, DELTA, MOVED)]
    return [f"{table.name}.parquet"]


def view_sql(
    folder: Path | None,
    table: Table,
    orgs: Sequence[str] | None = None,
    locate: Callable[[str], str] | None = None,
) -> str:
    """The select DuckDB reads a table with: its file, or base without the moved
    organisations plus delta (each left out while it is empty). The files are read when the
    query runs; a save changes the dataset's stamp, and the app opens a new connection per
    stamp, so each connection's views match the files it was made for. With
    *orgs*, only those organisations' rows. *locate* turns a file's path relative to the
    dataset into what DuckDB reads (an object in a store); by default, *folder*'s file."""
    where = locate or (lambda rel: str(folder / rel))  # type: ignore[operator]
    rels = table_rels(table)
    if locate is None and folder is not None and table.partitioned:
        found = table_files(folder, table)
        if len(found) == 1:  # the layout before base + delta: one file
            rels = [found[0].name]
    files = [_sql_string(where(rel)) for rel in rels]
    cols = "*"
    if locate is None and folder is not None:
        cols = _projection(folder, table, rels[0])
    only = ""
    if orgs is not None:
        only = f" where {PARTITION_COLUMN} in ({', '.join(_sql_string(o) for o in orgs) or 'null'})"
    if len(files) == 1:
        return f"select {cols} from read_parquet({files[0]}){only}"
    base, delta, moved = files
    # an empty delta or moved (after a whole import, or before the first save) is left out:
    # each file a view names is planned and opened by every query that reads the table,
    # 10 ms of planning for the Activities page's query at 10M (benchmarks/RESULTS.md)
    empty = {rel for rel in rels[1:] if locate is None and _no_rows(folder, rel)}
    kept = f"select {cols} from read_parquet({base})"
    if rels[2] not in empty:
        kept += (
            f" where {PARTITION_COLUMN} not in "
            f"(select {PARTITION_COLUMN} from read_parquet({moved}))"
        )
    if rels[1] not in empty:
        kept += f" union all select {cols} from read_parquet({delta})"
    return f"select * from ({kept}){only}"


_SQL_TYPES = {"str": "VARCHAR", "int": "BIGINT", "float": "DOUBLE", "date": "DATE"}


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool | int | float):
        return repr(value)
    return _sql_string(str(value))


def _projection(folder: Path, table: Table, rel: str) -> str:
    """The columns a view selects: `*` for a dataset written under today's contract; for an
    older one (a kept version), today's columns from what the file holds (a renamed column
    under its new name, an added one as its default), as `read_table` conforms them."""
    version = contract_version(folder)
    if version >= CONTRACT_VERSION:
        return "*"
    try:
        names = set(pq.read_schema(folder / rel).names)
    except (OSError, pa.ArrowException):
        return "*"  # the query says what is wrong with the file
    filled = defaults(table.name, version)
    out = []
    for col in table.columns:
        (stored,) = stored_names(table.name, version, [col.name])
        if stored in names:
            out.append(f'"{stored}" as "{col.name}"' if stored != col.name else f'"{col.name}"')
        else:
            value = _sql_literal(filled.get(col.name))
            out.append(f'cast({value} as {_SQL_TYPES[col.type]}) as "{col.name}"')
    return ", ".join(out)


def _no_rows(folder: Path | None, rel: str) -> bool:
    """Whether the file *rel* of *folder* holds no row (its footer says so); a file that
    cannot be read counts as not empty, so the view names it and the query says why."""
    if folder is None:
        return False
    try:
        return pq.ParquetFile(folder / rel).metadata.num_rows == 0
    except (OSError, pa.ArrowException):
        return False


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
    """Write one table sorted by its layout columns; returns the number of rows. A
    partitioned table's rows all go to its base (its delta and moved are empty)."""
    data = _sorted(table, data)
    if not table.partitioned:
        _write_file(table_path(folder, table), data)
        return data.num_rows
    part = table_path(folder, table)
    part.mkdir(exist_ok=True)
    _write_file(part / BASE, data)
    write_empty_delta(folder, table)
    return data.num_rows


def write_empty_delta(folder: Path, table: Table) -> None:
    """A partitioned table's delta and moved, empty (after its base was written)."""
    part = table_path(folder, table)
    _write_file(part / DELTA, arrow_schema(table).empty_table())
    _write_file(part / MOVED, _MOVED_SCHEMA.empty_table())


def _read(path: Path, columns: list[str] | None = None, filters: object = None) -> pa.Table:
    return pq.read_table(path, columns=columns, filters=filters)


def moved_orgs(folder: Path, table: Table) -> set[str]:
    """The organisations whose rows of a partitioned table are in its delta."""
    path = table_path(folder, table) / MOVED
    return set(_read(path).column(PARTITION_COLUMN).to_pylist()) if path.is_file() else set()


def write_scoped(src: Path, staged: Path, table: Table, rows: pa.Table, orgs: Sequence[str]) -> int:
    """Write a partitioned table into *staged* as *src*'s with the rows of *orgs* replaced
    by *rows*: base shared by hard link, a new delta and moved; or, once delta has grown
    past its share, one new base. Returns the rows of the table."""
    part_src, part = table_path(src, table), table_path(staged, table)
    part.mkdir(exist_ok=True)
    schema = arrow_schema(table)
    scope = pa.array(sorted(set(orgs)), pa.string())
    src_files = table_files(src, table)
    src_base = src_files[0] if src_files else part_src / BASE  # a legacy file is the base
    has_delta = len(src_files) == 3
    old_delta = _read(part_src / DELTA).cast(schema) if has_delta else schema.empty_table()
    keep = pc.invert(pc.is_in(old_delta.column(PARTITION_COLUMN), value_set=scope))
    delta = _sorted(table, pa.concat_tables([old_delta.filter(keep), rows.cast(schema)]))
    moved = sorted(moved_orgs(src, table) | set(orgs))
    base_rows = pq.ParquetFile(src_base).metadata.num_rows
    if delta.num_rows > max(COMPACT_MIN_ROWS, COMPACT_SHARE * base_rows):
        base = _read(src_base).cast(schema)
        stale = pc.is_in(base.column(PARTITION_COLUMN), value_set=pa.array(moved, pa.string()))
        whole = pa.concat_tables([base.filter(pc.invert(stale)), delta])
        return write_table(staged, table, whole)
    link_or_copy(src_base, part / BASE)
    _write_file(part / DELTA, delta)
    _write_file(part / MOVED, pa.table({PARTITION_COLUMN: pa.array(moved, pa.string())}))
    return row_count(staged, table) or 0


def link_table(src: Path, dst: Path, table: Table) -> list[Path]:
    """Hard-link a table's files from dataset folder *src* into *dst* (a copy across file
    systems); returns the files linked."""
    linked = []
    for f in table_files(src, table):
        target = dst / f.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(f, target)
        linked.append(target)
    return linked


def file_digest(path: Path) -> str | None:
    """The sha256 of a file's bytes (None when there is no file): how the history and the
    object store tell an unchanged file from a changed one."""
    if not path.exists():
        return None
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def link_or_copy(src: Path, dst: Path) -> None:
    """A hard link of *src* at *dst*, or a copy where the file system cannot link."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def write_manifest(
    folder: Path, counts: Mapping[str, int], source: str, change: Mapping | None = None
) -> None:
    """Record what was imported, from where and when, for the Data page; and the change
    this publish is (its line of the history's record, published with the data)."""
    manifest = {
        CONTRACT_KEY: CONTRACT_VERSION,  # what `read_table` conforms older datasets from
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source,
        "rows": dict(counts),
        **({"change": dict(change)} if change is not None else {}),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def read_manifest(folder: Path) -> dict:
    """The manifest of a dataset, or an empty dict where there is none."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def staging_dir(out: Path) -> Path:
    """A fresh temporary folder beside *out*, on the same file system, for an atomic swap."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    staged.chmod(0o755)
    return staged


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where unsupported."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    res = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return res == 0


def swap_in(staged: Path, out: Path) -> None:
    """Make *staged* the dataset at *out*, atomically where the OS allows it.

    On Linux the two folders are exchanged in one step, so a reader sees either the
    old dataset or the new one, never a half-written one. Elsewhere the old folder is
    renamed aside first; a crash between the two renames leaves it beside *out*.
    """
    for f in staged.rglob("*"):
        if f.is_file():
            with open(f, "rb") as fh:
                os.fsync(fh.fileno())
        elif f.is_dir():
            _fsync_dir(f)
    _fsync_dir(staged)
    if not out.exists():
        os.rename(staged, out)
        old = None
    elif _exchange(staged, out):
        old = staged  # staged now holds the old dataset
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        old.rmdir()
        os.rename(out, old)
        os.rename(staged, out)
    _fsync_dir(out.parent)
    if old is not None:
        # the new dataset is in place: failing to remove the old one must not report a
        # failed import (the next import removes what is left, see publish.clean_stale)
        shutil.rmtree(old, ignore_errors=True)


def has_dataset(folder: Path) -> bool:
    """True when *folder* holds a dataset (its manifest or any table file)."""
    return folder.is_dir() and (
        (folder / MANIFEST).is_file() or any(table_exists(folder, t) for t in TABLES)
    )


def row_count(folder: Path, table: Table) -> int | None:
    """How many rows a table holds (None when absent or unreadable): from the file's
    footer; of a partitioned table, base's less its moved organisations' plus delta's."""
    files = table_files(folder, table)
    if not files:
        return None
    try:
        if len(files) == 1:
            return pq.ParquetFile(files[0]).metadata.num_rows
        base, delta, _ = files
        n = pq.ParquetFile(base).metadata.num_rows + pq.ParquetFile(delta).metadata.num_rows
        moved = moved_orgs(folder, table)
        if moved:
            flt = [(PARTITION_COLUMN, "in", sorted(moved))]
            n -= _read(base, columns=[PARTITION_COLUMN], filters=flt).num_rows
        return n
    except (OSError, pa.ArrowException):
        return None


def read_table(
    folder: Path,
    table: Table,
    columns: list[str] | None = None,
    orgs: Sequence[str] | None = None,
) -> pa.Table | None:
    """One table of a dataset as stored (only *columns*, and only the rows of *orgs*,
    where given), in today's contract (`migrations.conform`: a dataset or kept version
    written under an older contract reads as if written today), or None when it is absent
    or unreadable. A partitioned table is read as its base without the moved organisations
    plus its delta, in its sort order."""
    files = table_files(folder, table)
    if not files:
        return None
    version = contract_version(folder)
    schema = arrow_schema(table)
    has_org = any(c.name == PARTITION_COLUMN for c in table.columns)
    filters = [(PARTITION_COLUMN, "in", list(orgs))] if orgs is not None and has_org else None
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])

    def read(path: Path, want: list[str] | None) -> pa.Table:
        names = pq.read_schema(path).names
        stored = [c for c in stored_names(table.name, version, want or names) if c in names]
        data = _read(path, stored if want is not None else None, filters)
        full = arrow_schema(table)
        return conform(table.name, data, version, full, want)

    try:
        if orgs is not None and not orgs and has_org:
            return schema.empty_table()
        if len(files) == 1:
            return read(files[0], columns).cast(schema)
        base_file, delta_file, _ = files
        moved = moved_orgs(folder, table)
        want = None if columns is None else sorted({*columns, PARTITION_COLUMN})
        base = read(base_file, want)
        if moved:
            stale = pc.is_in(base.column(PARTITION_COLUMN), value_set=pa.array(sorted(moved)))
            base = base.filter(pc.invert(stale))
        delta = read(delta_file, want)
        if not delta.num_rows and not moved:
            return base.select(schema.names).cast(schema)
        both = pa.concat_tables([base, delta.cast(base.schema)])
        keys = [(c, "ascending") for c in table.sort_by if c in both.column_names]
        both = both.sort_by(keys) if keys else both  # in the order one file would hold
        return both.select(schema.names).cast(schema)
    except (OSError, pa.ArrowException):
        return None


def contract_version(folder: Path) -> int:
    """The contract version a dataset (or a kept version) was written under: its
    manifest's; 1 for one written before the contract had versions. Read once per manifest
    (a large dataset's manifest holds its last change and takes milliseconds to parse)."""
    try:
        stat = (folder / MANIFEST).stat()
    except OSError:
        return 1
    return _manifest_version(str(folder / MANIFEST), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _manifest_version(path: str, mtime_ns: int, size: int) -> int:
    """The manifest's contract version; the cache key holds its time and size, so a manifest
    replaced (a publish swaps in a new folder) is read again."""
    try:
        found = re.search(rb'"contract":\s*(\d+)', Path(path).read_bytes()[:4096])
    except OSError:
        return 1
    return int(found.group(1)) if found else 1
