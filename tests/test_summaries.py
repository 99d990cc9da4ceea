"""The summary tables the import writes: they must say exactly what the big tables say.

Pages answer "everything" questions from the summaries and goal-filtered ones from the
activities themselves, so the two must agree; these tests recount both ways.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.model.contract import SUMMARIES
from dashboard.model.filters import Filters
from dashboard.sql.queries import SUMMARY_DIR, parse_query
from dashboard.storage import synth
from dashboard.storage.engine import Database, DatasetError
from tests.helpers import drop_lake_table, run

RAW_ACTIVITIES = """
    select a.org_id, a.year, a.network_id, a.currency, a.source,
           count(*) as activities, sum(a.cost) as cost,
           count(*) filter (where a.activity_id not in (select activity_id from activity_goals))
             as without_goal
    from activities a group by all
"""
RAW_LINKS = """
    select ag.org_id, ag.year, ag.goal_id, a.network_id, coalesce(ag.source, a.source) as source,
           count(*) as activities
    from activity_goals ag join activities a on a.activity_id = ag.activity_id
    group by all
"""
COLS = {
    "summary_activities": "org_id, year, network_id, currency, source, activities, "
    "round(cost, 6), without_goal",
    "summary_goal_links": "org_id, year, goal_id, network_id, source, activities",
}


def _rows(db: Database, sql: str, cols: str) -> list[tuple]:
    with db.cursor() as cur:
        return cur.sql(f"select {cols} from ({sql}) order by all").fetchall()


def _assert_summaries_match(db: Database) -> None:
    for name, raw in (("summary_activities", RAW_ACTIVITIES), ("summary_goal_links", RAW_LINKS)):
        stored = _rows(db, f"select * from {name}", COLS[name])
        assert stored, name
        assert stored == _rows(db, raw, COLS[name]), name


def test_summaries_of_the_sample_match_its_tables(sample_db: Database) -> None:
    _assert_summaries_match(sample_db)


def test_summaries_of_the_mini_fixture_count_the_activity_without_goal(mini_db: Database) -> None:
    _assert_summaries_match(mini_db)
    with mini_db.cursor() as cur:
        rows = cur.sql(
            "select org_id, year, sum(activities), sum(without_goal) from summary_activities "
            "group by all order by all"
        ).fetchall()
    # a-04 (org a, 2020) has no activity_goals row
    assert rows == [("a", 2019, 2, 0), ("a", 2020, 2, 1), ("b", 2020, 1, 0)]


def test_summaries_of_a_generated_dataset_match_its_tables(tmp_path: Path) -> None:
    out = tmp_path / "synth"
    synth.generate(3000, out, seed=7)
    db = Database(out)
    try:
        _assert_summaries_match(db)
    finally:
        db.close()


def test_summary_files_declare_the_contract_columns() -> None:
    for t in SUMMARIES:
        q = parse_query(t.name, (SUMMARY_DIR / f"{t.name}.sql").read_text(encoding="utf-8"))
        assert q.columns == tuple(c.name for c in t.columns), t.name
        assert q.params == ()


@pytest.mark.parametrize("db_name", ["sample_db", "mini_db"])
def test_goal_filtered_branch_agrees_with_summary_branch(
    db_name: str, request: pytest.FixtureRequest
) -> None:
    sample_db: Database = request.getfixturevalue(db_name)
    # choosing every goal of an organisation keeps exactly its activities that serve a goal:
    # the activities branch must then count what the summary branch counts minus those
    # without a goal
    with sample_db.cursor() as cur:
        orgs = [r[0] for r in cur.sql("select org_id from organisations order by 1").fetchall()]
        for org in orgs:
            goals = tuple(
                r[0]
                for r in cur.sql(
                    "select goal_id from goals where org_id = $o order by 1", params={"o": org}
                ).fetchall()
            )
            by_summary = run(sample_db, "activities_per_year", Filters((org,)))
            by_rows = run(sample_db, "activities_per_year", Filters((org,), goals=goals))
            without = {
                y: n
                for y, n in cur.sql(
                    "select year, sum(without_goal) from summary_activities where org_id = $o "
                    "group by year",
                    params={"o": org},
                ).fetchall()
            }
            expected = {r["year"]: r["activities"] - without.get(r["year"], 0) for r in by_summary}
            got = {r["year"]: r["activities"] for r in by_rows}
            assert got == {y: n for y, n in expected.items() if n}, org


def test_dataset_without_summaries_asks_for_a_reimport(sample_dir: Path, tmp_path: Path) -> None:
    old = tmp_path / "old"
    shutil.copytree(sample_dir, old)
    drop_lake_table(old, "summary_goal_links")
    with pytest.raises(DatasetError, match=r"summary_goal_links.*re-import"):
        Database(old)


def test_summaries_match_their_tables_after_each_kind_of_save(tmp_path: Path, fresh_sample) -> None:
    """A save changing only columns no summary reads (a title, a department) leaves the
    summaries as they were (`engine.summary_reads`); one changing a cost, a currency or a
    goal link rebuilds them. After each, the summaries are what their tables say."""
    from dashboard.imports import editing
    from dashboard.model.access import Grant, Person
    from dashboard.storage.engine import summary_reads

    reads = summary_reads()
    assert reads is not None and {"cost", "goal_id", "year", "org_id"} <= reads
    assert not {"title", "department", "status"} & reads
    out = fresh_sample(tmp_path / "data")
    admin = Person("t", "t@example.org", (Grant("*", "admin"),), True)

    def save(change) -> None:
        base = editing.load(out, "gotland", 2010, "sv")
        edited = [dict(r) for r in base]
        change(next(r for r in edited if r["cost"]))
        editing.save(out, "gotland", 2010, "sv", base, edited, admin)
        db = Database(out)
        try:
            _assert_summaries_match(db)
        finally:
            db.close()

    save(lambda r: r.update(activity_title=r["activity_title"] + " (rättad)", department="IT"))
    save(lambda r: r.update(cost=r["cost"] * 2))
    save(lambda r: r.update(currency="EUR" if r["currency"] != "EUR" else "SEK"))
    save(lambda r: r.update(goals=None))  # serves no goal now: counted without one
