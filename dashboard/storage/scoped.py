"""Writing for a few organisations: a change that speaks for the set S rewrites S's rows only.

A table the change does not hold is not staged (left as it is); a partitioned table's
staged rows are S's alone, marked as replacing only S's rows (`dataset.stage_scope`); a
small table is staged whole: the others' rows as stored plus S's new ones. The summaries
of S are rebuilt by the publish. `others_having` answers the checks' question "which of
these ids do other organisations' rows have" in the lake, without reading them all. A
change of one or a few years of S's activities stages, replaces and asks about S's rows
of those years alone; a save of the Activities form, of the activities it changed alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import pyarrow as pa

from dashboard.model.contract import TABLES, Table
from dashboard.storage.dataset import (
    YEAR_COLUMN,
    _engine,
    arrow_schema,
    part_filter,
    row_counts,
    stage_scope,
    write_table,
)


def others_having(
    out: Path,
    table: Table,
    orgs: frozenset[str],
    column: str,
    wanted: set,
    years: Sequence[int] | None = None,
    ids: Sequence[str] | None = None,
) -> set:
    """Which of *wanted* the rows of *table* outside the scope have in *column*: other
    organisations' rows, and (where *years* are given) *orgs*' rows of other years, and
    (where *ids* are given) their other activities of those years."""
    inside, params = part_filter(table, sorted(orgs) or [""], years, ids=ids)
    return _having(out, table, column, wanted, f"not ({inside})", params)


def other_years_having(
    out: Path, table: Table, orgs: frozenset[str], column: str, wanted: set, years: Sequence[int]
) -> set:
    """Which of *wanted* the rows of *orgs* of years other than *years* have in *column*
    (of `others_having`'s answer, those that are the organisation's own)."""
    mine, params = part_filter(table, sorted(orgs) or [""], None)
    other_years = f"{YEAR_COLUMN} not in (select unnest($years))"
    params["years"] = [int(y) for y in years]
    return _having(out, table, column, wanted, f"{mine} and {other_years}", params)


def _having(out: Path, table: Table, column: str, wanted: set, condition: str, params: dict) -> set:
    """The values of *wanted* that rows of *table* meeting *condition* have in *column*."""
    if not wanted:
        return set()
    rows = _engine(out).rows(
        f'select distinct "{column}" from lake.{table.name} where "{column}" in '
        f"(select unnest($wanted)) and {condition}",
        {"wanted": sorted(wanted), **params},
    )
    return {r[0] for r in rows}


def write_for(
    out: Path,
    staged: Path,
    orgs: frozenset[str],
    given: Sequence[str],
    tables: Mapping[str, pa.Table],
    others: Mapping[str, list[dict]],
    shared: Sequence[str],
    years: Sequence[int] | None = None,
    ids: Sequence[str] | None = None,
) -> dict[str, int]:
    """Stage the dataset with the rows of *orgs* (of *years*, of the activities *ids*,
    where given) replaced: *tables* are the checked rows
    (theirs, and every row of a *shared* table), in the contract's schema; *others* the
    other organisations' rows of each small table, as stored. Returns the rows per table
    staged (a partitioned table's: those of *orgs*); `publish` answers with the lake's own
    count of each table after the change."""
    counts: dict[str, int] = {}
    now = row_counts(out, TABLES)  # one query, not one DuckLake transaction a table
    for table in TABLES:
        if table.name not in given:
            counts[table.name] = now[table.name] or 0
        elif table.partitioned:
            counts[table.name] = write_table(staged, table, tables[table.name])
            stage_scope(staged, table, sorted(orgs), years, ids)
        elif table.name in shared:
            counts[table.name] = write_table(staged, table, tables[table.name])
        else:
            kept = _as_table(table, others.get(table.name, []))
            counts[table.name] = write_table(
                staged, table, pa.concat_tables([kept, tables[table.name]])
            )
    return counts


def _as_table(table: Table, rows: list[dict]) -> pa.Table:
    """Rows of a small table, as stored, in the contract's schema."""
    schema = arrow_schema(table)
    return pa.Table.from_pylist(rows, schema=schema) if rows else schema.empty_table()
