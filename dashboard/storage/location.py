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

import os
from dataclasses import dataclass
from pathlib import Path

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
    """The local folder of the configured dataset (see `dataset.data_dir`)."""
    from dashboard.storage.dataset import data_dir

    return data_dir().absolute()
