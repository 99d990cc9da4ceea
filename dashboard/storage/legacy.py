"""Moving a dataset of the folder layout Målbild wrote before DuckLake into a lake.

Until version 0.1 a dataset was a folder of Parquet files (one per table; the tables that
grow with the activities as `base.parquet` + `delta.parquet` + `moved.parquet`) with a
manifest `_dataset.json`, and its history a folder beside it (`data.history/`: `log.jsonl`,
one line per change, and `versions/000007/`, every kept version as a whole folder).

`migrate(old, out)` publishes every kept version of *old* into the lake at *out*, oldest
first, each as one snapshot with its author, action and comment (its original time and
version number in the record); the record of a version whose files were pruned goes into
the lake's `record` table. Read only: *old* is left as it was, so the move can be made
again or undone by removing *out*.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dashboard.model.contract import TABLES, Table
from dashboard.model.migrations import conform, stored_names

MANIFEST = "_dataset.json"


def is_legacy(folder: Path) -> bool:
    """Whether *folder* holds a dataset of the folder layout."""
    return (folder / MANIFEST).is_file() or any(
        (folder / f"{t.name}.parquet").is_file() or (folder / t.name / "base.parquet").is_file()
        for t in TABLES
    )


def manifest(folder: Path) -> dict[str, Any]:
    try:
        found = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def read_legacy(folder: Path, table: Table) -> pa.Table | None:
    """One table of a folder-layout dataset in today's contract (None: absent)."""
    contract = int(manifest(folder).get("contract") or 1)
    schema = pa.schema(
        [pa.field(c.name, {"str": pa.string(), "int": pa.int64(), "float": pa.float64(),
                           "date": pa.date32()}[c.type]) for c in table.columns]
    )  # fmt: skip

    def read(path: Path) -> pa.Table:
        data = pq.read_table(path)
        names = [c for c in stored_names(table.name, contract, data.column_names)]
        return conform(table.name, data.select(names), contract, schema, None)

    single, part = folder / f"{table.name}.parquet", folder / table.name
    if single.is_file():
        return read(single).select(schema.names).cast(schema)
    if not (part / "base.parquet").is_file():
        return None
    base = read(part / "base.parquet")
    moved_path = part / "moved.parquet"
    moved = pq.read_table(moved_path).column("org_id") if moved_path.is_file() else None
    if moved is not None and len(moved):
        base = base.filter(pc.invert(pc.is_in(base.column("org_id"), value_set=moved)))
    delta_path = part / "delta.parquet"
    if delta_path.is_file():
        base = pa.concat_tables([base.select(schema.names).cast(schema),
                                 read(delta_path).select(schema.names).cast(schema)])  # fmt: skip
    return base.select(schema.names).cast(schema)


@dataclass(frozen=True)
class Version:
    """One version of the folder layout: its number, record line and folder (None: pruned)."""

    number: int
    line: dict[str, Any]
    folder: Path | None


def versions(old: Path) -> list[Version]:
    """Every recorded version of *old*, oldest first; the live folder alone when it has no
    history (a dataset of before the history, or one copied without it)."""
    hist = old.parent / f"{old.name}.history"
    lines: dict[int, dict[str, Any]] = {}
    log = hist / "log.jsonl"
    if log.is_file():
        for text in log.read_text(encoding="utf-8").splitlines():
            try:
                line = json.loads(text)
                lines[int(line["version"])] = line
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line: the live manifest holds that change
    live = manifest(old).get("change")
    if isinstance(live, dict) and "version" in live:
        lines.setdefault(int(live["version"]), live)
    if not lines:
        info = manifest(old)
        return [Version(1, {"who": "unknown (before the history)", "action": "baseline",
                            "time": info.get("imported_at"), "comment": info.get("source", "")},
                        old)]  # fmt: skip
    out = []
    newest = max(lines)
    for n in sorted(lines):
        folder = hist / "versions" / f"{n:06d}"
        if n == newest and not folder.is_dir():
            folder = old  # the live version (its kept folder lost)
        out.append(Version(n, lines[n], folder if folder.is_dir() else None))
    return out
