"""Storage: where the dataset lives and every way it is read and written.

Layer rule: imports `dashboard.sql`, `dashboard.model`, `dashboard.i18n`. Everything
outside this package reaches the dataset through the names below (the façade), never a
module inside it, so a change of storage engine is a change behind this list.

- read: `Database` (the one DuckDB connection), `read_table`, `row_count`, `has_dataset`,
  `read_manifest`, `data_dir`/`data_location` (where the dataset is);
- write: `publish` (a new version, under the lock, with its `Change` record), `upgrade`
  (a dataset of an older contract in today's, `model.migrations`), `check_out`,
  `locked`, `write_table`, `write_for` (the rows of a few organisations), `build_summaries`;
- versions: `entries`, `seen`, `last_version`, `previous_version`, `version_dir`,
  `version_rows`, `changed_rows`, `Owners`, `key_of`, `restore`, `prune`, `iter_csv_rows`;
- a synthetic dataset for benchmarks and demos: `generate`;
- object storage: `Location`, `is_remote`, `remote_version`, `remote_fetch`,
  `remote_publish`, `mirror`, `read_mode`.
"""

from dashboard.storage.dataset import (
    MANIFEST,
    arrow_schema,
    data_dir,
    data_location,
    has_dataset,
    read_manifest,
    read_table,
    row_count,
    write_table,
)
from dashboard.storage.engine import Database, DatasetError, build_summaries
from dashboard.storage.history import (
    Entry,
    Owners,
    Pair,
    changed_rows,
    entries,
    iter_csv_rows,
    key_of,
    last_version,
    previous_version,
    prune,
    seen,
    version_dir,
    version_rows,
)
from dashboard.storage.publishing import (
    Change,
    check_out,
    default_who,
    locked,
    publish,
    restore,
    upgrade,
)
from dashboard.storage.scoped import others_having, write_for
from dashboard.storage.store import (
    Location,
    is_remote,
    mirror,
    read_mode,
)
from dashboard.storage.store import (
    current_version as remote_version,
)
from dashboard.storage.store import (
    fetch as remote_fetch,
)
from dashboard.storage.store import (
    publish as remote_publish,
)
from dashboard.storage.synth import generate

__all__ = [
    "MANIFEST",
    "Change",
    "Database",
    "DatasetError",
    "Entry",
    "Location",
    "Owners",
    "Pair",
    "arrow_schema",
    "build_summaries",
    "changed_rows",
    "check_out",
    "data_dir",
    "data_location",
    "default_who",
    "entries",
    "generate",
    "has_dataset",
    "is_remote",
    "iter_csv_rows",
    "key_of",
    "last_version",
    "locked",
    "mirror",
    "others_having",
    "previous_version",
    "prune",
    "publish",
    "read_manifest",
    "read_mode",
    "read_table",
    "remote_fetch",
    "remote_publish",
    "remote_version",
    "restore",
    "row_count",
    "seen",
    "upgrade",
    "version_dir",
    "version_rows",
    "write_for",
    "write_table",
]
