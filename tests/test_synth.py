"""The synthetic generator: valid for the import, deterministic, exact counts, sorted files."""

from __future__ import annotations

from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from dashboard.cli import main
from dashboard.imports.ingest import check_source
from dashboard.model.contract import TABLE_BY_NAME, TABLES
from dashboard.storage import Database, synth
from dashboard.storage.dataset import ROW_GROUP_SIZE, read_manifest, read_table, row_count

N = 5_000


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "data"
    synth.generate(N, out, seed=7)
    return out


def _sql(folder: Path, sql: str) -> list[tuple]:
    db = Database(folder)
    try:
        with db.cursor() as cur:
            return cur.execute(sql).fetchall()
    finally:
        db.close()


def _files(folder: Path, table: str) -> list[Path]:
    return sorted((folder / "files" / "main" / table).glob("*.parquet"))


def test_passes_the_import_validation(synth_dir: Path, tmp_path: Path) -> None:
    csv_dir = tmp_path / "csv"
    csv_dir.mkdir()
    for t in TABLES:
        data = read_table(synth_dir, t)
        assert data is not None
        pacsv.write_csv(data.select([c.name for c in t.input_columns]), csv_dir / f"{t.name}.csv")
    parsed, problems = check_source(csv_dir)
    assert [str(p) for p in problems[:10]] == []
    assert len(parsed["activities"].rows) == N


def test_same_seed_same_tables_other_seed_differs(synth_dir: Path, tmp_path: Path) -> None:
    again, other = tmp_path / "again", tmp_path / "other"
    synth.generate(N, again, seed=7)
    synth.generate(N, other, seed=8)
    for t in TABLES:
        first = read_table(synth_dir, t)
        assert first is not None and first.equals(read_table(again, t)), t.name
    differs = [t.name for t in TABLES if not read_table(synth_dir, t).equals(read_table(other, t))]
    assert "activities" in differs and "activity_goals" in differs and "goals" in differs


def test_counts_links_and_goals(synth_dir: Path) -> None:
    assert row_count(synth_dir, TABLE_BY_NAME["activities"]) == N
    ((orgs, countries, kinds),) = _sql(
        synth_dir,
        "select count(*), count(distinct country), count(distinct kind) from organisations",
    )
    assert 250 <= orgs <= 350 and countries == 2 and kinds == 3
    ((lo, hi, one_each),) = _sql(
        synth_dir,
        "select min(n), max(n), count(*) = (select count(*) from organisations) from ("
        " select s.org_id, count(*) n from goals g join strategies s using (strategy_id)"
        " group by s.org_id)",
    )
    assert (lo, hi, one_each) == (3, 12, True)
    # every activity has 1-4 links, all to goals of its own organisation's strategy
    ((lo, hi, n_acts, foreign),) = _sql(
        synth_dir,
        "select min(n), max(n), count(*), sum(foreign_links) from ("
        " select a.activity_id, count(ag.goal_id) n,"
        "  count(*) filter (where s.org_id is distinct from a.org_id) foreign_links"
        " from activities a"
        " left join activity_goals ag on ag.activity_id = a.activity_id"
        " left join goals g on g.goal_id = ag.goal_id"
        " left join strategies s on s.strategy_id = g.strategy_id"
        " group by a.activity_id)",
    )
    assert (lo, hi, n_acts, foreign) == (1, 4, N, 0)
    # derived columns are filled and agree with their sources
    ((bad_goals,),) = _sql(
        synth_dir,
        "select count(*) from goals g join strategies s using (strategy_id)"
        " where g.org_id is distinct from s.org_id",
    )
    ((bad_links,),) = _sql(
        synth_dir,
        "select count(*) from activity_goals ag left join activities a using (activity_id)"
        " where ag.org_id is distinct from a.org_id or ag.year is distinct from a.year",
    )
    assert bad_goals == 0 and bad_links == 0
    ((years_lo, years_hi, sources),) = _sql(
        synth_dir,
        "select min(year), max(year), (select list(distinct source) from ("
        " select source from organisations union select source from activities"
        " union select source from activity_goals union select source from projects))"
        " from activities",
    )
    assert years_lo >= synth.FIRST_YEAR and years_hi == synth.LAST_YEAR
    assert sources == [synth.SOURCE]
    counts = read_manifest(synth_dir)["rows"]
    assert counts["projects"] >= 20 and counts["networks"] >= 50
    for name in ("memberships", "project_goals", "indicators", "indicator_values"):
        assert counts[name] > 0, name


def test_the_lake_files_are_sorted_by_the_contract(synth_dir: Path) -> None:
    """The lake's Parquet files hold each table in its sort order, in row groups of
    ROW_GROUP_SIZE, so a filter on organisation and year skips most of them."""
    for t in TABLES:
        data = read_table(synth_dir, t)
        keys = [(c, "ascending") for c in t.sort_by]
        assert data is not None and data.num_rows > 0, t.name
        files = _files(synth_dir, t.name)
        assert files, t.name  # written as files (not inlined in the catalog)
        stored = pq.read_table(files[0], columns=[c.name for c in t.columns])
        assert stored.equals(stored.sort_by(keys)), t.name
        meta = pq.read_metadata(files[0])
        groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        assert all(g <= ROW_GROUP_SIZE for g in groups), t.name


def test_many_chunks_give_one_sorted_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth, "CHUNK_ROWS", 10_000)  # many chunks, none a row-group multiple
    small = tmp_path / "small"
    synth.generate(80_000, small, seed=1)
    meta = pq.read_metadata(_files(small, "activities")[0])
    groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
    assert sum(groups) == 80_000 and max(groups) <= ROW_GROUP_SIZE and len(groups) >= 3
    acts = read_table(small, TABLE_BY_NAME["activities"])
    assert acts is not None
    assert acts.equals(acts.sort_by([(c, "ascending") for c in ("org_id", "year", "activity_id")]))


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    assert main(["synth", "--activities", "300", "--out", str(out), "--seed", "3"]) == 0
    text = capsys.readouterr().out
    assert "activities 300" in text and " s:" in text
    assert read_manifest(out)["rows"]["activities"] == 300
