"""Where a dataset lives: a DuckLake catalog and its data path.

A dataset is named in the code by its folder (`out`, `data_dir()`), as before. What the
folder stands for:

- embedded (the default, `make run`, one machine): the catalog is a SQLite file in the
  folder, `catalog.sqlite`, and the Parquet files are under `files/` beside it. Several
  processes of one machine share it; their writes take turns on a lock file in the folder
  (SQLite lets one writer at a time commit).
- shared (several machines): `DASHBOARD_CATALOG=postgres:dbname=… host=…` names a
  PostgreSQL catalog and `DASHBOARD_DATA_DIR=s3://bucket/prefix` (or a shared folder) the
  data path; the folder `data_dir()` is then this machine's own (for the lock of its
  processes and for staging an import), and DuckLake arbitrates between machines.

No DuckDB here: `storage.engine` attaches what this names.
"""

from __future__ import annotations

import fcntl
import functools
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from dashboard import PROJECT_ROOT

DEFAULT_DATA_DIR = PROJECT_ROOT / "data"
CATALOG_FILE = "catalog.sqlite"
FILES = "files"
CATALOG_ENV = "DASHBOARD_CATALOG"
S3_PREFIX = "s3://"


@dataclass(frozen=True)
class Lake:
    """A DuckLake dataset: its catalog (`sqlite:PATH`, `postgres:CONNINFO`) and data path
    (a folder ending in "/" or s3://bucket/prefix/), and the local folder that names it."""

    catalog: str
    data_path: str
    folder: Path

    @property
    def embedded(self) -> bool:
        """A SQLite catalog in the folder (one machine)."""
        return self.catalog.startswith("sqlite:")

    @property
    def remote_data(self) -> bool:
        return self.data_path.startswith(S3_PREFIX)

    @property
    def catalog_file(self) -> Path | None:
        """The SQLite catalog's file (None for a PostgreSQL catalog)."""
        return Path(self.catalog.removeprefix("sqlite:")) if self.embedded else None

    def allowed(self) -> list[str]:
        """What DuckDB's allowed_directories gets: the folder and the data path."""
        dirs = [str(self.folder) + os.sep]
        if self.data_path not in dirs:
            dirs.append(self.data_path)
        return dirs

    def describe(self) -> str:
        """For messages: where the dataset is, without a password."""
        if self.embedded:
            return str(self.folder)
        conninfo = " ".join(
            p for p in self.catalog.removeprefix("postgres:").split() if "password" not in p
        )
        return f"postgres:{conninfo} + {self.data_path}"


def lake_at(out: Path) -> Lake:
    """The lake the dataset folder *out* names: the configured shared catalog when *out*
    is the configured dataset folder and `DASHBOARD_CATALOG` is set, else embedded."""
    out = Path(out).absolute()
    shared = os.environ.get(CATALOG_ENV, "").strip()
    if shared and out == configured_folder():
        data = os.environ.get("DASHBOARD_DATA_DIR", "")
        data_path = data if data.startswith(S3_PREFIX) else str(out / FILES)
        return Lake(shared, data_path.rstrip("/") + "/", out)
    return Lake(f"sqlite:{out / CATALOG_FILE}", str(out / FILES) + os.sep, out)


def configured_folder() -> Path:
    """The local folder of the configured dataset (`data_dir`)."""
    return data_dir().absolute()


def data_location() -> str:
    """Where the dataset's data is, as set: `DASHBOARD_DATA_DIR` (a folder, or with a
    shared catalog an object store's s3://bucket/prefix), else the shipped `data/`."""
    return os.environ.get("DASHBOARD_DATA_DIR") or str(DEFAULT_DATA_DIR)


def data_dir() -> Path:
    """The dataset folder: `DASHBOARD_DATA_DIR` if it is a folder, else the shipped `data/`
    (with the data in an object store, `DASHBOARD_LOCAL_DIR` or a folder under the
    temporary directory: this machine's lock and staging, `storage.location`)."""
    env = os.environ.get("DASHBOARD_DATA_DIR")
    if env and "://" in env:
        local = os.environ.get("DASHBOARD_LOCAL_DIR")
        return _resolved(local or str(Path(tempfile.gettempdir()) / "malbild-dataset"))
    return _resolved(env) if env else DEFAULT_DATA_DIR


@functools.lru_cache(maxsize=16)
def _resolved(path: str) -> Path:
    """*path* made absolute and free of symbolic links, once per setting: every query asks
    for the folder, and resolving it reads every parent folder (3 ms a click)."""
    return Path(path).resolve()


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold the dataset's lock file (`.lock` in its folder) for the block: the processes
    of this machine write in turn."""
    out.mkdir(parents=True, exist_ok=True)
    with open(out / ".lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
