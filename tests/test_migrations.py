"""How the contract grows: a table read from a dataset of an older contract comes out in
today's shape, step by step (the checklist test adds a real column end to end)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dashboard.model import migrations
from dashboard.model.migrations import AddColumn, DropColumn, Migration, RenameColumn

TODAY = pa.schema([("id", pa.string()), ("name", pa.string()), ("score", pa.float64())])


@pytest.fixture
def history(monkeypatch: pytest.MonkeyPatch) -> None:
    """Version 2 renamed `title` to `name` and dropped `old`; version 3 added `score` (0.5)."""
    steps = (
        Migration(1, "first"),
        Migration(2, "renamed", (RenameColumn("t", "title", "name"), DropColumn("t", "old"))),
        Migration(3, "added", (AddColumn("t", "score", 0.5),)),
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", steps)
    monkeypatch.setattr(migrations, "CONTRACT_VERSION", 3)


def test_a_table_of_version_1_reads_in_todays_shape(history: None) -> None:
    old = pa.table({"id": ["a", "b"], "title": ["A", "B"], "old": [1, 2]})
    got = migrations.conform("t", old, 1, TODAY, None)
    assert got.schema == TODAY
    assert got.to_pylist() == [
        {"id": "a", "name": "A", "score": 0.5},
        {"id": "b", "name": "B", "score": 0.5},
    ]


def test_a_table_of_version_2_only_gets_what_came_later(history: None) -> None:
    mid = pa.table({"id": ["a"], "name": ["A"]})
    assert migrations.conform("t", mid, 2, TODAY, ["name", "score"]).to_pylist() == [
        {"name": "A", "score": 0.5}
    ]
    assert migrations.stored_names("t", 1, ["id", "name"]) == ["id", "title"]
    assert migrations.stored_names("t", 2, ["id", "name"]) == ["id", "name"]


def test_the_upgrade_says_what_changed(history: None) -> None:
    assert [m.version for m in migrations.pending(1)] == [2, 3]
    assert migrations.summary(1) == "contract 1 → 3 (2: renamed; 3: added)"
    assert migrations.pending(3) == []


def test_todays_tables_pass_unchanged() -> None:
    now = pa.table({"id": ["a"], "name": ["A"], "score": [1.0]})
    assert migrations.conform("t", now, migrations.CONTRACT_VERSION, TODAY, None) == now
