"""Where the dataset lives and how its Parquet files are written.

The import and the synthetic generator both write through `publish.publish`, so a
dataset always has the same layout: one Parquet file per table, rows sorted by the
table's `sort_by` columns and cut into row groups small enough that DuckDB can skip
the ones a filter on organisation and year excludes.

The tables that grow with the activities (`Table.partitioned`: activities, their goal
links and the two summaries) are a folder of files instead, one per organisation
(`activities/<org>-<hash>.parquet`), so that a save of one organisation's rows writes one
small file and shares every other file, by hard link, with the previous version. DuckDB
reads the folder as one table (`table_source`); a table with no rows keeps one empty file
so its schema is always there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import hashlib
import itertools
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.contract import TABLES, Table

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MANIFEST = "_dataset.json"
ROW_GROUP_SIZE = 32_768
EMPTY_PART = "_empty.parquet"  # the one file of a partitioned table without rows
PARTITION_COLUMN = "org_id"

_ARROW_TYPES = {
    "str": pa.string(),
    "int": pa.int64(),
    "float": pa.float64(),
    "date": pa.date32(),
}


def data_dir() -> Path:
    """The dataset folder: `DASHBOARD_DATA_DIR` if set, else the shipped `data/`."""
    env = os.environ.get("DASHBOARD_DATA_DIR")
    return Path(env).resolve() if env else DEFAULT_DATA_DIR


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


def partition_name(org: object) -> str:
    """The file name of one organisation's part: its id made safe for a file name, and a
    hash of the exact id so that two ids never share a file."""
    text = str(org)
    safe = re.sub(r"[^a-z0-9_-]+", "_", text.lower())[:48].strip("_") or "org"
    return f"{safe}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:10]}.parquet"


def table_files(folder: Path, table: Table) -> list[Path]:
    """The Parquet files a table is stored in (none: the table is absent)."""
    path = table_path(folder, table)
    if table.partitioned:
        return sorted(path.glob("*.parquet")) if path.is_dir() else []
    return [path] if path.is_file() else []


def table_exists(folder: Path, table: Table) -> bool:
    """Whether a table is stored in *folder*."""
    return bool(table_files(folder, table))


def table_source(folder: Path, table: Table) -> str:
    """What DuckDB's read_parquet reads for a table: its file, or its folder's files."""
    path = table_path(folder, table)
    return str(path / "*.parquet") if table.partitioned else str(path)


def _write_file(path: Path, data: pa.Table) -> None:
    pq.write_table(
        data, path, row_group_size=ROW_GROUP_SIZE, compression="zstd", write_statistics=True
    )


def org_runs(data: pa.Table) -> Iterable[tuple[str, pa.Table]]:
    """The rows of each organisation of a table sorted by organisation, as slices."""
    if not data.num_rows:
        return
    col = data.column(PARTITION_COLUMN).combine_chunks()
    codes = pc.dictionary_encode(col).indices.to_numpy(zero_copy_only=False)
    starts = [0, *(np.flatnonzero(np.diff(codes)) + 1).tolist(), data.num_rows]
    for a, b in itertools.pairwise(starts):
        yield str(col[a].as_py()), data.slice(a, b - a)


def write_table(
    folder: Path, table: Table, data: pa.Table, orgs: Sequence[str] | None = None
) -> int:
    """Write one table sorted by its layout columns; returns the number of rows.

    A partitioned table is written one file per organisation; with *orgs*, only those
    organisations' files are written (the rest of the folder is the caller's: a save
    links the files it did not change)."""
    data = data.select([c.name for c in table.columns]).cast(arrow_schema(table))
    if table.sort_by and data.num_rows:
        data = data.sort_by([(c, "ascending") for c in table.sort_by])
    if not table.partitioned:
        _write_file(table_path(folder, table), data)
        return data.num_rows
    part = table_path(folder, table)
    part.mkdir(exist_ok=True)
    for org, rows in org_runs(data):
        _write_file(part / partition_name(org), rows)
    if orgs is None and not data.num_rows:
        _write_file(part / EMPTY_PART, data)
    return data.num_rows


def link_table(src: Path, dst: Path, table: Table, except_orgs: Iterable[str] = ()) -> list[Path]:
    """Hard-link a table's files from dataset folder *src* into *dst* (a copy across file
    systems), leaving out the files of *except_orgs* (a partitioned table's) and, when
    anything is left out, the empty marker; returns the files linked."""
    skip = {partition_name(o) for o in except_orgs}
    if skip:
        skip.add(EMPTY_PART)
    linked = []
    for f in table_files(src, table):
        if f.name in skip:
            continue
        target = dst / f.relative_to(src)
        target.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(f, target)
        linked.append(target)
    return linked


def link_or_copy(src: Path, dst: Path) -> None:
    """A hard link of *src* at *dst*, or a copy where the file system cannot link."""
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def ensure_marker(folder: Path, table: Table) -> None:
    """A partitioned table left with no file gets its empty one (its schema for DuckDB)."""
    if table.partitioned and not table_files(folder, table):
        part = table_path(folder, table)
        part.mkdir(exist_ok=True)
        _write_file(part / EMPTY_PART, arrow_schema(table).empty_table())


def write_manifest(folder: Path, counts: Mapping[str, int], source: str) -> None:
    """Record what was imported, from where and when, for the Data page."""
    manifest = {
        "imported_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "source": source,
        "rows": dict(counts),
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
    """How many rows a table holds, from its files' footers (None when absent or
    unreadable)."""
    files = table_files(folder, table)
    if not files:
        return None
    try:
        return sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    except (OSError, pa.ArrowException):
        return None


def read_table(
    folder: Path,
    table: Table,
    columns: list[str] | None = None,
    orgs: Sequence[str] | None = None,
) -> pa.Table | None:
    """One table of a dataset as stored (only *columns*, and only the rows of *orgs*,
    where given), or None when it is absent or unreadable. Of a partitioned table only
    the files of *orgs* are read."""
    files = table_files(folder, table)
    if not files:
        return None
    schema = arrow_schema(table)
    has_org = any(c.name == PARTITION_COLUMN for c in table.columns)
    if orgs is not None and table.partitioned:
        wanted = {partition_name(o) for o in orgs}
        files = [f for f in files if f.name in wanted]
    filters = [(PARTITION_COLUMN, "in", list(orgs))] if orgs is not None and has_org else None
    if orgs is not None and not orgs and has_org:
        files = []
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    try:
        parts = [pq.read_table(f, columns=columns, filters=filters).cast(schema) for f in files]
    except (OSError, pa.ArrowException):
        return None
    return pa.concat_tables(parts) if parts else schema.empty_table()
