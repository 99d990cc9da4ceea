"""The dataset's history: every published version kept, and a record of every change.

Beside a dataset folder `data/` lies `data.history/`:

    data.history/log.jsonl            one line per change, appended, never rewritten
    data.history/versions/000007/     the files of version 7, as published

A version folder holds the dataset's Parquet files and manifest as they were published.
Its files are hard links: to the live dataset's files while it is the current version, and
to the previous version's file where a table did not change, so a version costs the disk
of the tables it changed, not of the whole dataset. DuckDB keeps reading the live folder in
place, as before; a version folder is a complete dataset folder too, which `restore`
publishes again (as a new version: history only grows).

A log line names the version, the time (UTC), who made the change, what it was (import,
save, restore), which organisations and which rows of which tables (keys added, removed
and changed, at most KEYS_LISTED per kind and table; the counts are always complete), and
an optional comment. Before and after of any row are the two versions' files. Pruning
(`prune`) removes old version folders but never a log line, so the record of who changed
what survives the files.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.contract import TABLES, Table
from dashboard.dataset import file_digest, link_or_copy, moved_orgs, read_table, table_files
from dashboard.dataset import row_count as dataset_row_count

LOG = "log.jsonl"
VERSIONS = "versions"
KEYS_LISTED = 200  # keys named per table and kind in one log line
DIFF_ROWS_LIMIT = 2_000_000  # larger tables are compared by file and counted, not itemised


def history_dir(out: Path) -> Path:
    """Where the history of the dataset folder *out* is kept (`data` -> `data.history`)."""
    return out.parent / f"{out.name}.history"


@dataclass(frozen=True)
class TableChange:
    """What one change did to one table."""

    before: int
    after: int
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)  # added/removed/changed, all
    orgs: tuple[str, ...] = ()  # organisations of the rows added, removed or changed

    def as_json(self) -> dict:
        return {
            "before": self.before,
            "after": self.after,
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": list(self.changed),
            "counts": dict(self.counts),
        }


@dataclass(frozen=True)
class Entry:
    """One line of the record."""

    version: int
    time: str
    who: str
    action: str  # import | save | restore
    orgs: tuple[str, ...]
    tables: Mapping[str, Mapping[str, object]]
    comment: str = ""
    restored_from: int | None = None

    def as_json(self) -> dict:
        return {
            "version": self.version,
            "time": self.time,
            "who": self.who,
            "action": self.action,
            "orgs": list(self.orgs),
            "tables": {k: dict(v) for k, v in self.tables.items()},
            "comment": self.comment,
            "restored_from": self.restored_from,
        }


def _keys(data: pa.Table, table: Table) -> list[str]:
    cols = [data.column(k).to_pylist() for k in table.key]
    return ["/".join("" if v is None else str(v) for v in row) for row in zip(*cols, strict=True)]


def _rows(folder: Path, table: Table, orgs: list[str] | None = None) -> dict[str, tuple] | None:
    """Key -> row of a table (of *orgs* only, where given; None: too large to itemise)."""
    if orgs is None and row_count_of(folder, table) > DIFF_ROWS_LIMIT:
        return None
    data = read_table(folder, table, orgs=orgs)
    if data is None:
        return {}
    values = [data.column(c.name).to_pylist() for c in table.columns]
    rows = list(zip(*values, strict=True)) if values else []
    return dict(zip(_keys(data, table), rows, strict=True))


def row_count(path: Path) -> int:
    """Rows of a Parquet file, from its footer (0 when there is no file)."""
    return pq.ParquetFile(path).metadata.num_rows if path.exists() else 0


def _same_file(a: Path, b: Path) -> bool:
    """The same bytes: one file linked twice (checked first: cheap), or equal digests."""
    try:
        sa, sb = a.stat(), b.stat()
    except OSError:
        return False
    if (sa.st_ino, sa.st_dev) == (sb.st_ino, sb.st_dev):
        return True
    return sa.st_size == sb.st_size and file_digest(a) == file_digest(b)


def diff_table(old: Path, new: Path, table: Table) -> TableChange | None:
    """What changed in *table* between two dataset folders (None: nothing). Of a
    partitioned table whose base the two share, only the moved organisations' rows are
    read (base is not)."""
    a_files, b_files = table_files(old, table), table_files(new, table)
    if [f.name for f in a_files] == [f.name for f in b_files] and all(
        _same_file(x, y) for x, y in zip(a_files, b_files, strict=True)
    ):
        return None
    orgs = None
    if table.partitioned and a_files and b_files and _same_file(a_files[0], b_files[0]):
        orgs = sorted(moved_orgs(old, table) | moved_orgs(new, table))
    before, after = _rows(old, table, orgs), _rows(new, table, orgs)
    total_a, total_b = row_count_of(old, table), row_count_of(new, table)
    if before is None or after is None:
        return TableChange(total_a, total_b)
    added = sorted(k for k in after if k not in before)
    removed = sorted(k for k in before if k not in after)
    changed = sorted(k for k in after if k in before and after[k] != before[k])
    if not (added or removed or changed):
        return None  # rewritten, same rows
    counts = {"added": len(added), "removed": len(removed), "changed": len(changed)}
    cut = KEYS_LISTED
    at = next((i for i, c in enumerate(table.columns) if c.name == "org_id"), None)
    orgs: set[str] = set()
    if at is not None:
        orgs |= {str(after[k][at]) for k in (*added, *changed) if after[k][at] is not None}
        orgs |= {str(before[k][at]) for k in removed if before[k][at] is not None}
    if table.name == "organisations":
        orgs |= {*added, *removed, *changed}
    return TableChange(
        total_a, total_b, tuple(added[:cut]), tuple(removed[:cut]), tuple(changed[:cut]),
        counts, tuple(sorted(orgs)),
    )  # fmt: skip


def row_count_of(folder: Path, table: Table) -> int:
    """Rows of a table in a dataset folder (0 when absent)."""
    return dataset_row_count(folder, table) or 0


def diff(old: Path, new: Path) -> dict[str, TableChange]:
    """Every contract table that differs between two dataset folders."""
    out = {}
    for table in TABLES:
        change = diff_table(old, new, table)
        if change is not None:
            out[table.name] = change
    return out


def entries(out: Path) -> list[Entry]:
    """The record of the dataset at *out*, oldest first."""
    path = history_dir(out) / LOG
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        d = json.loads(line)
        found.append(
            Entry(
                int(d["version"]),
                d["time"],
                d["who"],
                d["action"],
                tuple(d.get("orgs", ())),
                d.get("tables", {}),
                d.get("comment", ""),
                d.get("restored_from"),
            )
        )
    return found


def last_version(out: Path) -> int:
    return max((e.version for e in entries(out)), default=0)


def version_dir(out: Path, version: int) -> Path:
    return history_dir(out) / VERSIONS / f"{version:06d}"


def keep_version(out: Path, staged: Path, version: int) -> Path:
    """Keep the files of *staged* (about to become *out*) as version *version*: each file a
    hard link to the previous version's file where its bytes are the same, else to the
    staged file itself (which the live dataset will be). A save links the files it did
    not change from the live dataset, which are the previous version's: nothing to read."""
    folder = version_dir(out, version)
    tmp = folder.with_name(folder.name + ".tmp")
    if tmp.exists():  # left by a publish that was killed
        import shutil

        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    prev = version_dir(out, version - 1) if version > 1 else None
    for f in sorted(staged.rglob("*")):
        if not f.is_file():
            continue
        rel = f.relative_to(staged)
        old = prev / rel if prev is not None else None
        same = old is not None and _same_file(old, f)
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(old if same and old is not None else f, tmp / rel)
    os.replace(tmp, folder)
    return folder


def record(out: Path, entry: Entry) -> None:
    """Append *entry* to the record (one line, flushed and synced before returning)."""
    path = history_dir(out) / LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(entry.as_json(), ensure_ascii=False, sort_keys=True) + "\n"
    with path.open("a", encoding="utf-8") as f:
        f.write(line)
        f.flush()
        os.fsync(f.fileno())


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def orgs_touched(changes: Mapping[str, TableChange]) -> tuple[str, ...]:
    """The organisations whose rows a change touched (added, removed or changed rows, of
    every table with an organisation column)."""
    return tuple(sorted({o for ch in changes.values() for o in ch.orgs}))


def iter_csv_rows(out: Path, org: str | None = None, limit: int | None = None) -> Iterator[list]:
    """The record as rows for `python -m dashboard history`: newest first."""
    yield ["version", "time", "who", "action", "organisations", "tables", "comment"]
    shown = 0
    for e in reversed(entries(out)):
        if org and org not in e.orgs:
            continue
        what = "; ".join(
            f"{name} {v.get('before')}→{v.get('after')}"
            + "".join(
                f" {kind} {n}"
                for kind, n in (v.get("counts") or {}).items()
                if n  # type: ignore[union-attr]
            )
            for name, v in e.tables.items()
        )
        comment = e.comment + (f" (restores {e.restored_from})" if e.restored_from else "")
        yield [e.version, e.time, e.who, e.action, ", ".join(e.orgs), what, comment]
        shown += 1
        if limit is not None and shown >= limit:
            break


def prune(out: Path, keep: int) -> list[int]:
    """Remove all but the newest *keep* version folders (never the current one, never a
    log line); returns the versions removed."""
    import shutil

    root = history_dir(out) / VERSIONS
    if not root.exists():
        return []
    versions = sorted(int(p.name) for p in root.iterdir() if p.name.isdigit())
    gone = versions[: max(len(versions) - max(keep, 1), 0)]
    for v in gone:
        shutil.rmtree(version_dir(out, v), ignore_errors=True)
    return gone
