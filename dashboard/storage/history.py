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
what survives the files, and never the live version's folder.

Each table's part of a line also says whose rows they were (`by_org`: organisation ->
keys added, removed and changed). Tables without an `org_id` column are attributed through
what they belong to (an indicator value through its indicator, a project's goals through
their project), a network through the organisations that use it (memberships, activities),
an organisation's own row to itself; what belongs to nobody is under "". A reader sees
only their organisations' parts of a change (`Entry.seen_by`).

A change and its line are published together: the line is written into the new version's
manifest before the swap, and appended to log.jsonl after it. A process killed between the
two leaves the line in the live manifest, where `entries` finds it and the next publish
appends it (`repair`): the live dataset never holds a change the record does not show.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.model.access import Scope, ScopeMissing
from dashboard.model.contract import SUMMARIES as SUMMARY_TABLES
from dashboard.model.contract import TABLE_BY_NAME, TABLES, Table
from dashboard.storage.dataset import (
    file_digest,
    link_or_copy,
    moved_orgs,
    read_manifest,
    read_table,
    table_files,
)
from dashboard.storage.dataset import row_count as dataset_row_count

LOG = "log.jsonl"
VERSIONS = "versions"
KEYS_LISTED = 200  # keys named per table and kind in one log line (and per organisation)
KINDS = ("added", "removed", "changed")
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
    # whose rows: organisation ("" nobody's) -> {"added": keys, ..., "counts": {...}}
    by_org: Mapping[str, Mapping[str, object]] = field(default_factory=dict)

    def as_json(self) -> dict:
        return {
            "before": self.before,
            "after": self.after,
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": list(self.changed),
            "counts": dict(self.counts),
            "by_org": {o: dict(p) for o, p in self.by_org.items()},
        }


@dataclass(frozen=True)
class Entry:
    """One line of the record."""

    version: int
    time: str
    who: str
    action: str  # import | save | restore
    orgs: tuple[str, ...]
    tables: Mapping[str, Mapping[str, Any]]
    comment: str = ""
    restored_from: int | None = None
    undoes: int | None = None  # an undo: the version whose change it took back

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
            "undoes": self.undoes,
        }

    @classmethod
    def from_json(cls, d: Mapping[str, object]) -> Entry:
        return cls(
            int(d["version"]),  # type: ignore[call-overload]
            str(d["time"]),
            str(d["who"]),
            str(d["action"]),
            tuple(d.get("orgs") or ()),  # type: ignore[arg-type]
            d.get("tables") or {},  # type: ignore[arg-type]
            str(d.get("comment") or ""),
            d.get("restored_from"),  # type: ignore[arg-type]
            d.get("undoes"),  # type: ignore[arg-type]
        )

    def owners(self) -> set[str]:
        """Every organisation whose rows this change touched ("" for rows of nobody's,
        and for a line written before changes were attributed, in a table that has no
        organisation column)."""
        found: set[str] = set()
        for name, v in self.tables.items():
            by = v.get("by_org")
            if isinstance(by, Mapping):
                found |= set(by)
            else:  # a line from before attribution
                found |= set(self.orgs)
                if not _has_org_column(name):
                    found.add("")
        return found

    def seen_by(self, reader: Scope) -> Entry | None:
        """This change as *reader* may see it: only their organisations' parts of each
        table (keys and counts), or None when it touched none of their rows."""
        if not isinstance(reader, Scope):
            raise ScopeMissing(f"the record is read with the reader's Scope, not {reader!r}")
        if not reader.limited:
            return self
        tables: dict[str, Mapping[str, Any]] = {}
        for name, v in self.tables.items():
            part = _part_seen(name, v, self.orgs, reader)
            if part is not None:
                tables[name] = part
        if not tables:
            return None
        orgs = tuple(o for o in self.orgs if reader.allows(o))
        return replace(self, orgs=orgs, tables=tables)


def _has_org_column(table: str) -> bool:
    spec = TABLE_BY_NAME.get(table)
    return spec is not None and any(c.name == "org_id" for c in spec.columns)


def _part_seen(
    name: str, v: Mapping[str, object], orgs: tuple[str, ...], reader: Scope
) -> dict[str, object] | None:
    """One table's part of a change that *reader* may see (None: nothing of theirs)."""
    by = v.get("by_org")
    if not isinstance(by, Mapping):
        # a line from before attribution: shown only where every organisation it names is
        # the reader's and the table's rows carry their organisation
        if not orgs or not all(reader.allows(o) for o in orgs) or not _has_org_column(name):
            return None
        return {k: v[k] for k in ("added", "removed", "changed", "counts") if k in v}
    parts = [p for o, p in by.items() if o and reader.allows(o)]
    if not parts:
        return None
    out: dict[str, object] = {}
    counts: dict[str, int] = {}
    for kind in KINDS:
        keys = sorted({k for p in parts for k in (p.get(kind) or [])})
        total = sum(int((p.get("counts") or {}).get(kind, 0)) for p in parts)
        out[kind] = keys[:KEYS_LISTED]
        # a key two of the reader's organisations share (a network) is one row
        counts[kind] = len(keys) if len(keys) < KEYS_LISTED else total
    out["counts"] = counts
    return out


def _joined(values: Iterable[object]) -> str:
    return "/".join("" if v is None else str(v) for v in values)


def key_of(table: Table, row: Mapping[str, object]) -> str:
    """A row's key as the record writes it: its key columns joined with "/"."""
    return _joined(row.get(c) for c in table.key)


def _keys(data: pa.Table, table: Table) -> list[str]:
    cols = [data.column(k).to_pylist() for k in table.key]
    return [_joined(row) for row in zip(*cols, strict=True)]


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


class Owners:
    """Whose a row is, for tables whose rows do not say it themselves: read once per diff
    from both dataset folders (before and after), small tables and summaries only."""

    def __init__(self, old: Path, new: Path) -> None:
        self.folders = (old, new)
        self._maps: dict[str, dict[str, set[str]]] = {}

    def _map(self, table: str, key: str) -> dict[str, set[str]]:
        """id -> organisations, from *table*'s `org_id` in either folder."""
        if table not in self._maps:
            found: dict[str, set[str]] = {}
            spec = TABLE_BY_NAME.get(table) or next(t for t in SUMMARY_TABLES if t.name == table)
            for folder in self.folders:
                data = read_table(folder, spec, columns=[key, "org_id"])
                if data is None:
                    continue
                for k, o in zip(data[key].to_pylist(), data["org_id"].to_pylist(), strict=True):
                    if k is not None and o is not None:
                        found.setdefault(str(k), set()).add(str(o))
            self._maps[table] = found
        return self._maps[table]

    def network_users(self) -> dict[str, set[str]]:
        """network id -> the organisations that are members of it or whose activities
        name it, before or after."""
        if "_networks" not in self._maps:
            users: dict[str, set[str]] = {}
            for table in ("memberships", "summary_activities"):
                for k, orgs in self._map(table, "network_id").items():
                    users.setdefault(k, set()).update(orgs)
            self._maps["_networks"] = users
        return self._maps["_networks"]

    def of(self, table: Table, key: str, rows: list[tuple | None]) -> set[str]:
        """The organisations row *key* of *table* belongs to (its versions *rows*)."""
        at = _org_at(table)
        if at is not None:
            return {str(r[at]) for r in rows if r is not None and r[at] is not None}
        if table.name == "organisations":
            return {key}
        first = _first_key_value(table, rows)
        if table.name == "project_goals":
            return set(self._map("projects", "project_id").get(first, set()))
        if table.name == "indicator_values":
            return set(self._map("indicators", "indicator_id").get(first, set()))
        if table.name == "networks":
            return set(self.network_users().get(first, set()))
        return set()


def _org_at(table: Table) -> int | None:
    return next((i for i, c in enumerate(table.columns) if c.name == "org_id"), None)


def _first_key_value(table: Table, rows: list[tuple | None]) -> str:
    """The value of the key's first column (the id a row belongs through)."""
    at = next(i for i, c in enumerate(table.columns) if c.name == table.key[0])
    return next((str(r[at]) for r in rows if r is not None), "")


Pair = tuple[tuple | None, tuple | None]  # a row before and after a change (None: absent)


def changed_rows(old: Path, new: Path, table: Table) -> dict[str, Pair] | None:
    """key -> (row before, row after) of every row of *table* added, removed or changed
    between two dataset folders, nothing left out ({}: none; None: the table is too large
    to itemise). Of a partitioned table whose base the two share, only the moved
    organisations' rows are read (base is not)."""
    a_files, b_files = table_files(old, table), table_files(new, table)
    if [f.name for f in a_files] == [f.name for f in b_files] and all(
        _same_file(x, y) for x, y in zip(a_files, b_files, strict=True)
    ):
        return {}
    orgs = None
    if table.partitioned and a_files and b_files and _same_file(a_files[0], b_files[0]):
        orgs = sorted(moved_orgs(old, table) | moved_orgs(new, table))
    before, after = _rows(old, table, orgs), _rows(new, table, orgs)
    if before is None or after is None:
        return None
    return {
        k: (before.get(k), after.get(k))
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def diff_table(
    old: Path, new: Path, table: Table, owners: Owners | None = None
) -> TableChange | None:
    """What changed in *table* between two dataset folders (None: nothing), and whose
    rows they were."""
    rows = changed_rows(old, new, table)
    if rows is None:
        return TableChange(row_count_of(old, table), row_count_of(new, table))
    if not rows:
        return None  # the same files, or rewritten with the same rows
    added = [k for k, (b, _) in rows.items() if b is None]
    removed = [k for k, (_, a) in rows.items() if a is None]
    changed = [k for k, (b, a) in rows.items() if b is not None and a is not None]
    counts = {"added": len(added), "removed": len(removed), "changed": len(changed)}
    cut = KEYS_LISTED
    owners = owners or Owners(old, new)
    by_org: dict[str, dict[str, list[str]]] = {}
    for kind, keys in (("added", added), ("removed", removed), ("changed", changed)):
        for k in keys:
            for o in owners.of(table, k, list(rows[k])) or {""}:
                by_org.setdefault(o, {}).setdefault(kind, []).append(k)
    parts = {
        o: {
            **{kind: keys[:cut] for kind, keys in p.items()},
            "counts": {kind: len(p.get(kind, [])) for kind in KINDS},
        }
        for o, p in sorted(by_org.items())
    }
    return TableChange(
        row_count_of(old, table), row_count_of(new, table),
        tuple(added[:cut]), tuple(removed[:cut]), tuple(changed[:cut]),
        counts, tuple(sorted(o for o in by_org if o)), parts,
    )  # fmt: skip


def row_count_of(folder: Path, table: Table) -> int:
    """Rows of a table in a dataset folder (0 when absent)."""
    return dataset_row_count(folder, table) or 0


def diff(old: Path, new: Path) -> dict[str, TableChange]:
    """Every contract table that differs between two dataset folders."""
    out = {}
    owners = Owners(old, new)
    for table in TABLES:
        change = diff_table(old, new, table, owners)
        if change is not None:
            out[table.name] = change
    return out


def logged(out: Path) -> list[Entry]:
    """The lines of log.jsonl, oldest first (a torn last line, from a process killed while
    appending it, is passed over: the live manifest still holds that change)."""
    path = history_dir(out) / LOG
    try:
        st = path.stat()
    except OSError:
        return []
    return list(_parsed_log(str(path), st.st_mtime_ns, st.st_size))


@lru_cache(maxsize=8)
def _parsed_log(path: str, mtime_ns: int, size: int) -> tuple[Entry, ...]:
    """The log's lines, parsed once per state of the file (the History page, its undo
    and its 'before' each ask for the record on every rerun)."""
    found = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        try:
            found.append(Entry.from_json(json.loads(line)))
        except (ValueError, KeyError, TypeError):
            continue
    return tuple(found)


def live_change(out: Path) -> Entry | None:
    """The change the live dataset was published with (from its manifest), if any."""
    change = read_manifest(out).get("change")
    return Entry.from_json(change) if isinstance(change, dict) else None


def live_version(out: Path) -> int | None:
    """The version the live dataset is (None: published before versions were named)."""
    change = live_change(out)
    return change.version if change is not None else None


def entries(out: Path) -> list[Entry]:
    """The record of the dataset at *out*, oldest first: every line of the log, and the
    live dataset's own change should the process that published it have been killed
    before appending its line. The whole record, for the server: a reader sees it
    through `seen(out, reader)`."""
    found = logged(out)
    live = live_change(out)
    if live is not None and live.version not in {e.version for e in found}:
        found.append(live)
        found.sort(key=lambda e: e.version)
    return found


def seen(out: Path, reader: Scope) -> list[Entry]:
    """The record as *reader* may read it: only the changes that touched their
    organisations' rows, and of each only their part (`Entry.seen_by`)."""
    shown = (e.seen_by(reader) for e in entries(out))
    return [e for e in shown if e is not None]


def repair(out: Path) -> bool:
    """Append the live change's line if the log lacks it (under the dataset's lock)."""
    live = live_change(out)
    if live is None or live.version in {e.version for e in logged(out)}:
        return False
    record(out, live)
    return True


def previous_version(out: Path, version: int) -> int | None:
    """The version that was live before *version* was published (None: it was first)."""
    earlier = [e.version for e in entries(out) if e.version < version]
    return max(earlier) if earlier else None


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
            + "".join(f" {kind} {n}" for kind, n in (v.get("counts") or {}).items() if n)
            for name, v in e.tables.items()
        )
        comment = e.comment + (f" (restores {e.restored_from})" if e.restored_from else "")
        yield [e.version, e.time, e.who, e.action, ", ".join(e.orgs), what, comment]
        shown += 1
        if limit is not None and shown >= limit:
            break


def prune(out: Path, keep: int) -> list[int]:
    """Remove the files of all but the newest *keep* recorded versions, never the live
    version's and never a line of the record; the folders of versions that were never
    published (a publish killed before its swap) go too. Returns the versions removed."""
    import shutil

    root = history_dir(out) / VERSIONS
    if not root.exists():
        return []
    folders = sorted(int(p.name) for p in root.iterdir() if p.name.isdigit())
    recorded = sorted(e.version for e in entries(out))
    live = live_version(out)
    if live is None and recorded:
        live = recorded[-1]  # a dataset from before versions were named: the last one
    kept = set(recorded[-max(keep, 1) :]) | ({live} if live is not None else set())
    gone = [v for v in folders if v not in kept]
    for v in gone:
        shutil.rmtree(version_dir(out, v), ignore_errors=True)
    return gone


# Where an id column's rows are named: the table and its name column (goals by number).
NAMED_BY = {
    "activity_id": ("activities", "title"),
    "goal_id": ("goals", "code"),
    "parent_goal_id": ("goals", "code"),
    "project_id": ("projects", "title"),
    "network_id": ("networks", "name"),
    "parent_network_id": ("networks", "name"),
    "strategy_id": ("strategies", "title"),
    "indicator_id": ("indicators", "name"),
}


def matching(found: pa.Table, key: tuple[str, ...], keys: tuple[str, ...]) -> pd.DataFrame:
    """The rows of *found* whose key columns, joined with "/", are one of *keys*. Narrowed
    in Arrow first, on the key's first column (a change lists at most a few hundred keys;
    the table may hold millions of rows), then matched exactly. An id may itself hold a
    "/", so every prefix of a key up to a "/" is a candidate for the first column."""
    first = key[0]
    heads = set(keys)
    if len(key) > 1:
        heads = {k[:i] for k in keys for i, ch in enumerate(k) if ch == "/"}
    found = found.filter(pc.is_in(found[first].cast(pa.string()), pa.array(sorted(heads))))
    df = found.to_pandas()
    joined = df[list(key)].astype(str).agg("/".join, axis=1) if len(df) else df[first]
    return df[joined.isin(set(keys))].copy()


def version_rows(
    out: Path, version: int, table: str, keys: tuple[str, ...], orgs: tuple[str, ...]
) -> pd.DataFrame:
    """The rows of *table* with *keys* as version *version* holds them, every id replaced
    by the name it stands for in that version (a manager reads names). Of a table kept
    per organisation only the files of *orgs* (the change's) are read. The keys come from
    a change as its reader may see it (`Entry.seen_by`): read through `data.version_rows`."""
    folder = version_dir(out, version)
    spec = TABLE_BY_NAME[table]
    found = read_table(folder, spec, orgs=list(orgs) if orgs and spec.partitioned else None)
    if found is None or not keys:
        return pd.DataFrame()
    df = matching(found, spec.key, keys)
    for col, (other, name) in NAMED_BY.items():
        if col not in df:
            continue
        (idcol,) = TABLE_BY_NAME[other].key  # every named table has a one-column key
        # only the id and its name are read, not the whole referred table
        ref_table = read_table(folder, TABLE_BY_NAME[other], columns=[idcol, name])
        if ref_table is not None:
            wanted = pa.array(sorted({str(v) for v in df[col].dropna()}), pa.string())
            ref = ref_table.filter(pc.is_in(ref_table[idcol].cast(pa.string()), wanted))
            ref = ref.to_pandas()
            names = dict(zip(ref[idcol], ref[name], strict=True))
            df[col] = [names.get(v, v) for v in df[col]]
    return df
