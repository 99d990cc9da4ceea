"""The dataset's history: a snapshot of the lake per change, and a record of every change.

Every write is one DuckLake transaction (`publishing.publish`): its snapshot holds the
new rows, and its commit the record, with the person as author, the comment as message
and, as extra info, what the change was (import, save, undo, restore, upgrade), which
organisations and which rows of which tables (keys added, removed and changed, at most
KEYS_LISTED per kind and table; the counts are always complete). Data and record are one
commit: a kill leaves both or neither. "Version N" is snapshot N: the dashboard as it
was is a time-travel read of it, the rows a change touched its `table_changes`.

Pruning (`prune`) expires old snapshots (their files go at the next clean-up), but first
copies their record into the lake's `record` table, so who changed what survives the files.

Each table's part of a change also says whose rows they were (`by_org`: organisation ->
keys added, removed and changed). Tables without an `org_id` column are attributed through
what they belong to (an indicator value through its indicator, a project's goals through
their project), a network through the organisations that use it (memberships, activities),
an organisation's own row to itself; what belongs to nobody is under "". A reader sees
only their organisations' parts of a change (`Entry.seen_by`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dashboard.model.access import Scope, ScopeMissing
from dashboard.model.contract import ROUND_TABLE_BY_NAME, TABLE_BY_NAME, TABLES, Table
from dashboard.model.contract import SUMMARIES as SUMMARY_TABLES
from dashboard.storage.dataset import read_table, record_extras
from dashboard.storage.engine import absent_or_raise, writer_for
from dashboard.storage.location import lake_at, locked

RECORD = "record"  # the lake's table of the record of expired snapshots
KEYS_LISTED = 200  # keys named per table and kind in one log line (and per organisation)
KINDS = ("added", "removed", "changed")
DIFF_ROWS_LIMIT = 2_000_000  # larger tables are compared by file and counted, not itemised


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
            _in_order(d.get("tables") or {}),  # type: ignore[arg-type]
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


def _in_order(tables: Mapping[str, Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """A change's tables in the contract's order, each one's counts in the order the record
    has always listed them (added, changed, removed: its JSON's sorted keys), whatever
    order the catalog keeps them in."""
    order = {t.name: i for i, t in enumerate(TABLES)}
    out: dict[str, Mapping[str, Any]] = {}
    for name in sorted(tables, key=lambda n: (order.get(n, len(order)), n)):
        part = dict(tables[name])
        counts = part.get("counts")
        if isinstance(counts, Mapping):
            part["counts"] = {k: counts[k] for k in sorted(counts)}
        out[name] = part
    return out


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


Reader = Callable[
    [Table, list[str]], "pa.Table | None"
]  # a table's columns, as some version holds them


class Owners:
    """Whose a row is, for tables whose rows do not say it themselves: read once per diff
    from both sides of a change (before and after), small tables and summaries only."""

    def __init__(self, readers: Sequence[Reader]) -> None:
        self.readers = tuple(readers)
        self._maps: dict[str, dict[str, set[str]]] = {}

    @classmethod
    def of_versions(cls, out: Path, *versions: int | None) -> Owners:
        """Owners read from snapshots of the lake at *out* (None: the newest)."""

        def reader(v: int | None) -> Reader:
            return lambda spec, cols: read_table(out, spec, columns=cols, version=v)

        return cls([reader(v) for v in versions])

    def _map(self, table: str, key: str) -> dict[str, set[str]]:
        """id -> organisations, from *table*'s `org_id` on either side."""
        if table not in self._maps:
            found: dict[str, set[str]] = {}
            spec = TABLE_BY_NAME.get(table) or next(t for t in SUMMARY_TABLES if t.name == table)
            for read in self.readers:
                data = read(spec, [key, "org_id"])
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


def table_change(
    table: Table, rows: Mapping[str, Pair], before: int, after: int, owners: Owners
) -> TableChange | None:
    """What a change did to *table*, given every row it added, removed or changed (key ->
    (row before, row after)), and whose rows they were (None: nothing)."""
    if not rows:
        return None
    added = [k for k, (b, _) in rows.items() if b is None]
    removed = [k for k, (_, a) in rows.items() if a is None]
    changed = [k for k, (b, a) in rows.items() if b is not None and a is not None]
    counts = {"added": len(added), "removed": len(removed), "changed": len(changed)}
    cut = KEYS_LISTED
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
        before, after,
        tuple(added[:cut]), tuple(removed[:cut]), tuple(changed[:cut]),
        counts, tuple(sorted(o for o in by_org if o)), parts,
    )  # fmt: skip


def pairs(table: Table, gone: pa.Table, came: pa.Table) -> dict[str, Pair]:
    """key -> (row before, row after) from the rows a change removed (*gone*: removed or
    changed) and added (*came*: added or changed)."""
    names = [c.name for c in table.columns]
    out: dict[str, list[tuple | None]] = {}
    for data, at in ((gone, 0), (came, 1)):
        values = [data.column(n).to_pylist() for n in names]
        for row in zip(*values, strict=True) if values else []:
            k = _joined(row[names.index(c)] for c in table.key)
            out.setdefault(k, [None, None])[at] = tuple(row)
    return {k: (b, a) for k, (b, a) in sorted(out.items()) if b != a}


def changed_rows(out: Path, version: int, table: Table) -> dict[str, Pair] | None:
    """key -> (row before, row after) of every row of *table* that the change of snapshot
    *version* added, removed or changed ({}: none): its `table_changes`."""
    from dashboard.storage.dataset import _engine, stored_columns

    if table.name not in _touched(out, version):
        return {}
    names = [c.name for c in table.columns]
    have = set(stored_columns(out, table, version))
    cols = ", ".join(f'"{n}"' if n in have else f'null as "{n}"' for n in names)
    eng = _engine(out)
    sql = (
        f"select change_type, {cols} from lake.table_changes('{table.name}', $v, $v) order by rowid"
    )
    found = eng.arrow(sql, {"v": int(version)})
    kinds = found.column("change_type").to_pylist()
    gone_idx = [i for i, k in enumerate(kinds) if k in ("delete", "update_preimage")]
    came_idx = [i for i, k in enumerate(kinds) if k in ("insert", "update_postimage")]
    data = found.drop_columns(["change_type"])
    return pairs(
        table, data.take(pa.array(gone_idx, pa.int64())), data.take(pa.array(came_idx, pa.int64()))
    )


def _touched(out: Path, version: int) -> set[str]:
    """The tables of the lake then whose rows the commit of snapshot *version* may have
    changed, as the lake's record of changes says (`engine.changed_in`, the one reading
    of that record). Every other table's `table_changes` is empty; asking costs ~0.25 s a
    table, and a save touches one or two of seventeen. Kept per snapshot."""
    from dashboard.storage.dataset import _engine
    from dashboard.storage.engine import META, _identity, changed_in, live_at

    lake = lake_at(out)
    key = (lake, _identity(lake), int(version))
    found = _TOUCHED.get(key)
    if found is None:
        live = {
            str(r[0])
            for r in _engine(out).rows(
                f"select table_name from {META}.ducklake_table where {live_at()}",
                {"v": int(version)},
            )
        }
        said = changed_in(lake, int(version))
        found = live if said is None else live & said
        _TOUCHED[key] = found
    return found


_TOUCHED: dict[tuple[Any, int, int], set[str]] = {}


def entries(out: Path) -> list[Entry]:
    """The record of the dataset at *out*, oldest first: every change kept in the record
    table (of expired snapshots) and every snapshot's commit. The whole record, for the
    server: a reader sees it through `seen(out, reader)`. No dataset yet: no record. A
    catalog that does not answer or cannot be read raises (`DatasetError`): an empty
    record would tell an auditor that nothing was ever changed."""
    try:
        extras = record_extras(out)
    except Exception as exc:
        absent_or_raise(lake_at(Path(out)), exc)
        return []
    found: dict[int, Entry] = {e.version: e for e in _recorded(out)}
    for sid, when, author, message, info in extras:
        if not info.get("action"):
            continue  # the lake's own snapshots (tables created)
        found[sid] = Entry.from_json(
            {**info, "version": sid, "time": info.get("time") or when, "who": author or "",
             "comment": message or ""}
        )  # fmt: skip
    return [found[v] for v in sorted(found)]


def _recorded(out: Path) -> list[Entry]:
    from dashboard.storage.dataset import _engine, lake_tables

    if RECORD not in lake_tables(lake_at(out)):
        return []
    rows = _engine(out).rows(f"select entry from lake.{RECORD} order by version")
    return [Entry.from_json(json.loads(r[0])) for r in rows]


def seen(out: Path, reader: Scope) -> list[Entry]:
    """The record as *reader* may read it: only the changes that touched their
    organisations' rows, and of each only their part (`Entry.seen_by`)."""
    shown = (e.seen_by(reader) for e in entries(out))
    return [e for e in shown if e is not None]


def previous_version(out: Path, version: int) -> int | None:
    """The version that was live before *version* was published (None: it was first)."""
    earlier = [e.version for e in entries(out) if e.version < version]
    return max(earlier) if earlier else None


def last_version(out: Path) -> int:
    return max((e.version for e in entries(out)), default=0)


def kept(out: Path, version: int) -> bool:
    """Whether snapshot *version* can still be read (not expired by a prune). A catalog
    that cannot be asked raises (`DatasetError`), rather than have a restore say the
    version was pruned."""
    from dashboard.storage.dataset import _engine

    try:
        rows = _engine(out).rows(
            "select count(*) from lake.snapshots() where snapshot_id = $v", {"v": int(version)}
        )
    except Exception as exc:
        absent_or_raise(lake_at(Path(out)), exc)
        return False
    return bool(rows[0][0])


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


def keep_record(out: Path, kept_entries: Sequence[Entry]) -> None:
    """Add *kept_entries* to the lake's record table (one commit), those already there
    left as they are: the record of snapshots about to expire, or of versions moved from
    the folder layout whose files were pruned before."""
    w = writer_for(lake_at(out))
    with w.lock:
        w.execute(f"create table if not exists lake.{RECORD} (version bigint, entry varchar)")
        w.begin()
        try:
            have = {r[0] for r in w.rows(f"select version from lake.{RECORD}")}
            for e in kept_entries:
                if e.version not in have:
                    w.execute(
                        f"insert into lake.{RECORD} values ($v, $e)",
                        {"v": e.version, "e": json.dumps(e.as_json(), ensure_ascii=False)},
                    )
            w.commit("Målbild", f"the record of {len(kept_entries)} changes kept", {})
        except BaseException:
            w.rollback()
            raise


def prune(out: Path, keep: int) -> list[int]:
    """Expire all but the newest *keep* recorded snapshots, never the newest; their record
    is first copied into the lake's `record` table (one transaction), so no line of the
    record is lost, and their files go with DuckLake's clean-up. Returns the versions
    expired."""
    with locked(out):
        recorded = entries(out)
        live = [e.version for e in recorded if kept(out, e.version)]
        keep_set = set(live[-max(keep, 1) :])
        gone = [v for v in live if v not in keep_set]
        if not gone:
            return []
        keep_record(out, [e for e in recorded if e.version in gone])
        w = writer_for(lake_at(out))
        with w.lock:
            w.execute("call ducklake_expire_snapshots('lake', versions => $v)", {"v": gone})
            w.execute("call ducklake_cleanup_old_files('lake', cleanup_all => true)")
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
    """The rows of *table* with *keys* as snapshot *version* holds them, every id replaced
    by the name it stands for in that snapshot (a manager reads names). Only the rows of
    *orgs* (the change's) are read of a table kept per organisation. The keys come from a
    change as its reader may see it (`Entry.seen_by`): read through `data.version_rows`."""
    spec = TABLE_BY_NAME.get(table) or ROUND_TABLE_BY_NAME[table]  # a round's step too
    found = read_table(
        out, spec, orgs=list(orgs) if orgs and spec.partitioned else None, version=version
    )
    if found is None or not keys:
        return pd.DataFrame()
    df = matching(found, spec.key, keys)
    for col, (other, name) in NAMED_BY.items():
        if col not in df:
            continue
        (idcol,) = TABLE_BY_NAME[other].key  # every named table has a one-column key
        # only the id and its name are read, not the whole referred table
        ref_table = read_table(out, TABLE_BY_NAME[other], columns=[idcol, name], version=version)
        if ref_table is not None:
            wanted = pa.array(sorted({str(v) for v in df[col].dropna()}), pa.string())
            ref = ref_table.filter(pc.is_in(ref_table[idcol].cast(pa.string()), wanted))
            ref = ref.to_pandas()
            names = dict(zip(ref[idcol], ref[name], strict=True))
            df[col] = [names.get(v, v) for v in df[col]]
    return df
