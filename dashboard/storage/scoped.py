"""Writing for a few organisations: a change that speaks for the set S rewrites S's rows only.

The tables a change does not hold are hard links to the live files; a partitioned table
gets a new delta holding S's rows and shares its base (`dataset.write_scoped`); a small
table is the others' rows as stored plus S's new ones; the summaries are rebuilt for S
alone (`engine.build_summaries(orgs=...)`). `others_having` answers the checks'
question "which of these ids do other organisations' rows have" without reading them all.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads

from dashboard.model.contract import SUMMARIES, TABLES, Table
from dashboard.storage.dataset import (
    BASE,
    DELTA,
    PARTITION_COLUMN,
    arrow_schema,
    link_table,
    moved_orgs,
    row_count,
    table_path,
    write_scoped,
    write_table,
)
from dashboard.storage.engine import build_summaries


def others_having(out: Path, table: Table, orgs: frozenset[str], column: str, wanted: set) -> set:
    """Which of *wanted* other organisations' rows of a partitioned table have in *column*
    (base without the moved organisations, and delta, both without S)."""
    if not wanted:
        return set()
    part = table_path(out, table)
    found: set = set()
    for name, skip in ((BASE, moved_orgs(out, table) | set(orgs)), (DELTA, set(orgs))):
        ds = pads.dataset(str(part / name), format="parquet")
        flt = pc.field(column).isin(pa.array(sorted(wanted)))
        if skip:
            flt = flt & ~pc.field(PARTITION_COLUMN).isin(pa.array(sorted(skip), pa.string()))
        found |= set(ds.to_table(columns=[column], filter=flt).column(column).to_pylist())
    return found


def write_for(
    out: Path,
    staged: Path,
    orgs: frozenset[str],
    given: Sequence[str],
    tables: Mapping[str, pa.Table],
    others: Mapping[str, list[dict]],
    shared: Sequence[str],
) -> dict[str, int]:
    """Write the dataset with the rows of *orgs* replaced into *staged*: links for what the
    import does not change, new files for *orgs*. *tables* are the checked rows (theirs, and
    every row of a *shared* table), in the contract's schema; *others* the other
    organisations' rows of each small table, as stored. Returns the rows per table."""
    counts: dict[str, int] = {}
    for table in TABLES:
        if table.name not in given:
            link_table(out, staged, table)
        elif table.partitioned:
            write_scoped(out, staged, table, tables[table.name], sorted(orgs))
        elif table.name in shared:
            write_table(staged, table, tables[table.name])
        else:
            kept = _as_table(table, others.get(table.name, []))
            write_table(staged, table, pa.concat_tables([kept, tables[table.name]]))
        counts[table.name] = row_count(staged, table) or 0
    if {"activities", "activity_goals"} & set(given):
        build_summaries(staged, orgs=tuple(sorted(orgs)), live=out)
    else:
        for t in SUMMARIES:
            link_table(out, staged, t)
    return counts


def _as_table(table: Table, rows: list[dict]) -> pa.Table:
    """Rows of a small table, as stored, in the contract's schema."""
    schema = arrow_schema(table)
    return pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
