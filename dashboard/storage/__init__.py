"""Storage: the dataset on DuckLake, and every way it is read and written.

Layer rule: imports `dashboard.sql`, `dashboard.model`, `dashboard.i18n`, `dashboard.settings`.
Everything outside this package reaches the dataset through the names below (the façade),
never a module inside it, so a change of storage engine is a change behind this list.

- where: `Lake`, `lake_at` (a folder's catalog and data path), `data_dir`/`data_location`;
- read: `Database` (one snapshot, for the pages' queries), `read_table` (a table, at a
  snapshot where given), `row_count`, `has_dataset`, `read_manifest`, `stamp` (the newest
  snapshot), `history_key` (which history of the catalog it is in: a backup put back is another);
- write: `publish` (one transaction, with its `Change` record), `upgrade` (a dataset of
  an older contract in today's, `model.migrations`), `check_out`, `locked`, `write_table`
  (staging a table), `write_for` (the rows of a few organisations);
- versions (snapshots): `entries`, `seen`, `last_version`, `previous_version`, `kept`,
  `version_rows` (ids given by name: `NAMED_BY`), `changed_rows`, `Owners`, `key_of`,
  `restore`, `prune`, `iter_csv_rows`;
- the folder layout before DuckLake moved into a lake: `migrate`;
- a synthetic dataset for benchmarks and demos: `generate`;
- rows as dicts, turned into dicts once for a table read again: `as_rows`.
"""

from dashboard.storage.dataset import (
    ACTIVITY_COLUMN,
    PARTITION_COLUMN,
    YEAR_COLUMN,
    arrow_schema,
    as_rows,
    data_dir,
    data_location,
    has_dataset,
    history_key,
    read_manifest,
    read_table,
    read_tables,
    row_count,
    row_counts,
    stamp,
    stamp_or_none,
    write_table,
)
from dashboard.storage.engine import (
    OUT_OF_MEMORY,
    STORE_FAILURES,
    CommitConflict,
    Database,
    DatasetError,
    LakeMoved,
    forget,
)
from dashboard.storage.history import (
    NAMED_BY,
    Entry,
    Owners,
    Pair,
    changed_rows,
    entries,
    iter_csv_rows,
    kept,
    key_of,
    last_version,
    previous_version,
    prune,
    seen,
    version_rows,
)
from dashboard.storage.location import CATALOG_ENV, Lake, lake_at
from dashboard.storage.publishing import (
    Change,
    check_out,
    default_who,
    locked,
    migrate,
    publish,
    ready_to_write,
    restore,
    upgrade,
)
from dashboard.storage.scoped import other_years_having, others_having, write_for
from dashboard.storage.synth import generate

__all__ = [
    "ACTIVITY_COLUMN",
    "CATALOG_ENV",
    "NAMED_BY",
    "OUT_OF_MEMORY",
    "PARTITION_COLUMN",
    "STORE_FAILURES",
    "YEAR_COLUMN",
    "Change",
    "CommitConflict",
    "Database",
    "DatasetError",
    "Entry",
    "Lake",
    "LakeMoved",
    "Owners",
    "Pair",
    "arrow_schema",
    "as_rows",
    "changed_rows",
    "check_out",
    "data_dir",
    "data_location",
    "default_who",
    "entries",
    "forget",
    "generate",
    "has_dataset",
    "history_key",
    "iter_csv_rows",
    "kept",
    "key_of",
    "lake_at",
    "last_version",
    "locked",
    "migrate",
    "other_years_having",
    "others_having",
    "previous_version",
    "prune",
    "publish",
    "read_manifest",
    "read_table",
    "read_tables",
    "ready_to_write",
    "restore",
    "row_count",
    "row_counts",
    "seen",
    "stamp",
    "stamp_or_none",
    "upgrade",
    "version_rows",
    "write_for",
    "write_table",
]
