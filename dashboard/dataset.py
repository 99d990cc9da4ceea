"""Where the dataset lives and how its Parquet files are written.

The import and the synthetic generator both write through `publish.publish`, so a
dataset always has the same layout: one Parquet file per table, rows sorted by the
table's `sort_by` columns and cut into row groups small enough that DuckDB can skip
the ones a filter on organisation and year excludes.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.contract import TABLES, Table

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
MANIFEST = "_dataset.json"
ROW_GROUP_SIZE = 32_768

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
    """Path of a table's Parquet file inside a dataset folder."""
    name = table if isinstance(table, str) else table.name
    return folder / f"{name}.parquet"


def write_table(folder: Path, table: Table, data: pa.Table) -> int:
    """Write one table sorted by its layout columns; returns the number of rows."""
    data = data.select([c.name for c in table.columns]).cast(arrow_schema(table))
    if table.sort_by and data.num_rows:
        data = data.sort_by([(c, "ascending") for c in table.sort_by])
    pq.write_table(
        data,
        table_path(folder, table),
        row_group_size=ROW_GROUP_SIZE,
        compression="zstd",
        write_statistics=True,
    )
    return data.num_rows


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
    for f in staged.iterdir():
        with open(f, "rb") as fh:
            os.fsync(fh.fileno())
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
        (folder / MANIFEST).is_file() or any(table_path(folder, t).is_file() for t in TABLES)
    )


def row_count(folder: Path, table: Table) -> int | None:
    """How many rows a table file holds, from its footer (None when absent or unreadable)."""
    try:
        return pq.ParquetFile(table_path(folder, table)).metadata.num_rows
    except (OSError, pa.ArrowException):
        return None


def read_table(folder: Path, table: Table, columns: list[str] | None = None) -> pa.Table | None:
    """One table of a dataset as stored (only *columns*, where given), or None when its
    file is absent or unreadable."""
    path = table_path(folder, table)
    if not path.is_file():
        return None
    schema = arrow_schema(table)
    if columns is not None:
        schema = pa.schema([schema.field(c) for c in columns])
    try:
        return pq.read_table(path, columns=columns).cast(schema)
    except (OSError, pa.ArrowException):
        return None
