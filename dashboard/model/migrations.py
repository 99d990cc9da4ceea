"""How the data contract grows: one numbered migration per change, like any schema
migration tool, so a dataset written under an older contract is read and upgraded.

A dataset records the contract version it was written under (its manifest's `contract`;
none: version 1). Reading a table of an older dataset, a kept version of the history
included, applies the steps of every later migration to what was read (`conform`), so the
History page, the diff, undo and restore read old versions in today's shape. The first
write after an upgrade of the code first publishes the dataset in today's shape, recorded
in the history as an "upgrade" by Målbild with the migrations' summaries as its comment
(`dashboard.storage.upgrade`); `python -m dashboard upgrade` does the same at once.

Adding a column to the contract (README, "Adding a contract column"): add the `Column`
to its table in `contract.py`, then a `Migration` here with the next version and an
`AddColumn` step (its default fills the column in every older row).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class AddColumn:
    """A new column; older rows get *default* (None: empty)."""

    table: str
    column: str
    default: object = None


@dataclass(frozen=True)
class RenameColumn:
    """A column called *old* before, *new* from this version on."""

    table: str
    old: str
    new: str


@dataclass(frozen=True)
class DropColumn:
    """A column no longer in the contract; what older rows held in it is not carried over."""

    table: str
    column: str


Step = AddColumn | RenameColumn | DropColumn


@dataclass(frozen=True)
class Migration:
    """The contract's change to *version*: a summary for the history, and its steps."""

    version: int
    summary: str
    steps: tuple[Step, ...] = ()


MIGRATIONS: tuple[Migration, ...] = (
    # every change of the contract, oldest first; a dataset remembers the last it was written in
    Migration(1, "the 12-table contract of Målbild 0.1"),
)
CONTRACT_VERSION = MIGRATIONS[-1].version


def pending(version: int) -> list[Migration]:
    """The migrations a dataset written under contract *version* has not had."""
    return [m for m in MIGRATIONS if m.version > version]


def summary(version: int) -> str:
    """What upgrading from *version* changes, for the history's comment."""
    steps = "; ".join(f"{m.version}: {m.summary}" for m in pending(version))
    return f"contract {version} → {CONTRACT_VERSION} ({steps})"


def conform(
    table: str, data: pa.Table, version: int, schema: pa.Schema, columns: Sequence[str] | None
) -> pa.Table:
    """*data*, read from a dataset written under contract *version*, in today's *schema*
    (only *columns* of it, where given): renamed columns under their new names, dropped
    ones left out, added ones filled with their default."""
    for m in pending(version):
        for step in m.steps:
            if step.table != table:
                continue
            if isinstance(step, RenameColumn) and step.old in data.column_names:
                data = data.rename_columns(
                    [step.new if n == step.old else n for n in data.column_names]
                )
            elif isinstance(step, DropColumn) and step.column in data.column_names:
                data = data.drop_columns([step.column])
    filled = defaults(table, version)
    names = list(columns) if columns is not None else schema.names
    out = []
    for name in names:
        field = schema.field(name)
        if name in data.column_names:
            out.append(data.column(name).cast(field.type))
        else:  # added after this dataset was written (or never stored): its default
            value = filled.get(name)
            out.append(pa.array([value] * data.num_rows, field.type))
    return pa.Table.from_arrays(out, schema=pa.schema([schema.field(n) for n in names]))


def defaults(table: str, version: int) -> dict[str, object]:
    """What the columns *table* gained after contract *version* hold in its older rows."""
    return {
        s.column: s.default
        for m in pending(version)
        for s in m.steps
        if isinstance(s, AddColumn) and s.table == table
    }


def stored_names(table: str, version: int, names: Sequence[str]) -> list[str]:
    """The names today's columns *names* had in a dataset of contract *version* (a renamed
    column under its old name), for reading only those columns of an old file."""
    out = list(names)
    for m in reversed(pending(version)):
        for step in m.steps:
            if isinstance(step, RenameColumn) and step.table == table:
                out = [step.old if n == step.new else n for n in out]
    return out
