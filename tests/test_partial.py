"""A coordinator's workbook (every edit in the browser) is checked and written for its own
organisations alone (`dashboard.imports.partial`). It must give exactly the dataset the
whole-dataset import gives: compared table by table, summaries included, on the sample and
on a generated dataset, for every editable part; and the rules that reach across
organisations are still enforced."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow.csv as pacsv
import pytest

from dashboard.imports import editing, partial
from dashboard.imports.ingest import Outcome, ingest
from dashboard.model.access import Grant, Person
from dashboard.model.contract import SUMMARIES, TABLE_BY_NAME, TABLES
from dashboard.model.problems import ImportFailed
from dashboard.storage import synth
from dashboard.storage.dataset import read_table
from tests.conftest import SAMPLE_SOURCE

ADMIN = Person("Ada", "ada@x.se", (Grant("*", "admin"),), True)


def rows_of(folder: Path) -> dict[str, list[tuple]]:
    found = {}
    for t in (*TABLES, *SUMMARIES):
        data = read_table(folder, t)
        assert data is not None, t.name
        found[t.name] = sorted(
            (tuple(str(v) for v in r.values()) for r in data.to_pylist()), key=str
        )
    return found


Edit = Callable[[Path], Outcome]


def edit_activity(org: str, year: int) -> Edit:
    def run(out: Path) -> Outcome:
        base = editing.load(out, org, year, "sv")
        edited = [dict(r) for r in base]
        edited[0]["activity_title"] = f"{edited[0]['activity_title']} (rättad)"
        edited[0]["goals"] = None  # serves no goal now: the summaries count it
        edited = edited[:-1] if len(edited) > 2 else edited  # one deleted
        edited.append({"activity_title": "Ny aktivitet", "goals": "1", "source": "test"})
        return editing.save(out, org, year, "sv", base, edited, ADMIN)

    return run


def edit_part(org: str, part: str, change: Callable[[list[dict]], list[dict]]) -> Edit:
    """An edit of a part that covers every year (projects, memberships, goals, ...)."""

    def run(out: Path) -> Outcome:
        base = editing.load(out, org, 0, "sv", part)
        edited = change([dict(r) for r in base])
        return editing.save(out, org, 0, "sv", base, edited, ADMIN, part=part)

    return run


def same_both_ways(folder: Path, tmp: Path, edit: Edit, monkeypatch) -> None:
    fast, whole = tmp / "fast" / "data", tmp / "whole" / "data"
    for d in (fast, whole):
        shutil.copytree(folder, d)
    said = edit(fast)
    monkeypatch.setattr(partial, "ENABLED", False)
    said_whole = edit(whole)
    monkeypatch.setattr(partial, "ENABLED", True)
    a, b = rows_of(fast), rows_of(whole)
    assert a != rows_of(folder)  # the edit changed something
    for name in a:
        assert a[name] == b[name], name
    # the rows the save says the dataset holds are the lake's, and the same both ways
    held = {t.name: len(a[t.name]) for t in TABLES}
    assert {t.name: said.counts[t.name] for t in TABLES} == held
    assert {t.name: said_whole.counts[t.name] for t in TABLES} == held


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("partial") / "data"
    ingest(SAMPLE_SOURCE, out)
    return out


SAMPLE_EDITS = {
    "activities": edit_activity("gotland", 2009),
    "projects": edit_part(
        "slagelse", "projects", lambda rs: [dict(r, project_role="Lead partner") for r in rs]
    ),
    "memberships": edit_part(
        "gotland", "memberships", lambda rs: [dict(rs[0], annual_fee=1200, currency="SEK"), *rs[2:]]
    ),
    "goals": edit_part(
        "gavle", "goals", lambda rs: [*rs, {"number": "99", "wording": "Nytt", "goal_kind": "Mål"}]
    ),
    "strategies": edit_part(
        "vkl", "strategies", lambda rs: [dict(r, decided_by="Förbundsstyrelsen") for r in rs]
    ),
    "networks": edit_part(
        "gotland", "networks", lambda rs: [{"name": "Nytt nätverk", "network_kind": "Nätverk",
                                            "country": "SE", "source": "test"}]
    ),
}  # fmt: skip


@pytest.mark.parametrize("part", list(SAMPLE_EDITS))
def test_an_edit_gives_the_dataset_the_whole_import_gives(
    part: str, sample: Path, tmp_path: Path, monkeypatch
) -> None:
    same_both_ways(sample, tmp_path, SAMPLE_EDITS[part], monkeypatch)


def test_values_and_assessments_the_same_both_ways(
    sample: Path, tmp_path: Path, monkeypatch
) -> None:
    def run(out: Path) -> Outcome:
        for part in ("indicator_values", "assessments"):
            table = "goal_assessments" if part == "assessments" else part
            year = max(r["year"] for r in read_table(out, TABLE_BY_NAME[table]).to_pylist())
            base = editing.load(out, "slagelse", year, "sv", part)
            field = "actual" if part == "indicator_values" else "comment"
            edited = [dict(r, **{field: 7 if field == "actual" else "Ny analys"}) for r in base]
            said = editing.save(out, "slagelse", year, "sv", base, edited, ADMIN, part=part)
        return said

    same_both_ways(sample, tmp_path, run, monkeypatch)


def test_an_edit_on_a_generated_dataset_the_same_both_ways(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "gen" / "data"
    synth.generate(20_000, out, seed=3)
    acts = read_table(out, TABLE_BY_NAME["activities"], columns=["org_id", "year"]).to_pylist()
    org, year = acts[len(acts) // 2]["org_id"], acts[len(acts) // 2]["year"]
    same_both_ways(out, tmp_path, edit_activity(org, year), monkeypatch)
    # the save rewrote nothing: every data file of the lake is still there as it was, and
    # the change feed of its snapshot holds that organisation's rows alone
    fast = tmp_path / "fast" / "data"
    for name in ("activities", "activity_goals", "summary_activities", "summary_goal_links"):
        for f in (out / "files" / "main" / name).glob("*.parquet"):
            assert (fast / f.relative_to(out)).read_bytes() == f.read_bytes(), name
    from dashboard.storage import history

    last = history.entries(fast)[-1]
    assert last.orgs == (org,)
    for name in ("activities", "activity_goals"):
        rows = history.changed_rows(fast, last.version, TABLE_BY_NAME[name])
        assert rows, name
        at = [c.name for c in TABLE_BY_NAME[name].columns].index("org_id")
        orgs = {r[at] for pair in rows.values() for r in pair if r is not None}
        assert orgs == {org}, name
    # and its summaries were rebuilt for that organisation-year alone (each summary row
    # counts one organisation-year's rows), not for the organisation's every year
    # (DuckLake's change feed as written: a row deleted and inserted again unchanged is in it)
    from dashboard.model.contract import SUMMARIES
    from dashboard.storage.dataset import _engine

    for table in SUMMARIES:
        seen = _engine(fast).rows(
            f"select distinct org_id, year from lake.table_changes('{table.name}', $v, $v)",
            {"v": last.version},
        )
        assert {(o, int(y)) for o, y in seen} == {(org, year)}, (table.name, seen)


def test_an_id_another_organisation_has_is_refused(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "data"
    shutil.copytree(sample, out)
    gavle = read_table(out, TABLE_BY_NAME["activities"], orgs=["gavle"])
    theirs = gavle["activity_id"][0].as_py()  # a Gävle activity's id
    base = editing.load(out, "gotland", 2009, "sv")
    edited = [*base, {editing.ID: theirs, "activity_title": "Kopierad rad", "source": "x"}]
    with pytest.raises(ImportFailed) as refused:
        editing.save(out, "gotland", 2009, "sv", base, edited, ADMIN)
    assert [p.key for p in refused.value.problems] == ["id_taken"]
    assert "används redan av en annan organisations rad" in refused.value.problems[0].text("sv")


def test_a_project_another_organisations_activity_belongs_to_stays(
    sample: Path, tmp_path: Path
) -> None:
    """A contract import may let Gävle's activity belong to Gotland's project; Gotland's
    coordinator then cannot remove that project (the whole import would refuse it too)."""
    out = tmp_path / "data"
    shutil.copytree(sample, out)
    acts = read_table(out, TABLE_BY_NAME["activities"])
    rows = acts.to_pylist()
    gavle = next(i for i, r in enumerate(rows) if r["org_id"] == "gavle")
    rows[gavle]["project_id"] = "gotland-b7-turism"
    src = tmp_path / "src"
    src.mkdir()
    t = acts.from_pylist(rows, schema=acts.schema)
    pacsv.write_csv(t.drop_columns([]), src / "activities.csv")
    ingest(src, out)
    projects = editing.load(out, "gotland", 0, "sv", "projects")
    kept = [r for r in projects if r[editing.ID] != "gotland-b7-turism"]
    with pytest.raises(ImportFailed) as refused:
        editing.save(out, "gotland", 0, "sv", projects, kept, ADMIN, part="projects")
    assert [p.key for p in refused.value.problems] == ["project_still_used"]
    assert "B7-projekt – turism" in refused.value.problems[0].text("sv")


def test_a_dataset_moved_from_the_folder_layout_records_one_saved_row_as_one(
    tmp_path: Path,
) -> None:
    """A dataset moved from the folder layout (`migrate`) is read as it was, and a save
    then records only the changed row, not every row as added."""
    from dashboard.cli import main
    from dashboard.storage import history
    from tests.conftest import FIXTURES

    out = tmp_path / "lake"
    old = FIXTURES / "legacy" / "data"
    assert main(["migrate", str(old), "--out", str(out)]) == 0
    base = editing.load(out, "a", 2019, "sv")
    assert base
    edited = [dict(r) for r in base]
    edited[0]["activity_title"] = "Rättad titel"
    editing.save(out, "a", 2019, "sv", base, edited, ADMIN)
    counts = history.entries(out)[-1].tables["activities"]["counts"]
    assert counts == {"added": 0, "changed": 1, "removed": 0}
    titles = {r[editing.ID]: r["activity_title"] for r in editing.load(out, "a", 2019, "sv")}
    assert titles[edited[0][editing.ID]] == "Rättad titel" and len(titles) == len(base)


def test_an_id_the_organisation_has_in_another_year_is_refused_as_such(
    sample: Path, tmp_path: Path
) -> None:
    """A save of one year is read, checked and written for that year's rows alone
    (`partial.Scope.years`); an id of the organisation's own row of another year is still
    refused, named as that (the whole-organisation check had said "duplicate, first on row
    18", a row of no sheet the person saw)."""
    out = tmp_path / "data"
    shutil.copytree(sample, out)
    acts = read_table(out, TABLE_BY_NAME["activities"], orgs=["gotland"]).to_pylist()
    other = next(r["activity_id"] for r in acts if r["year"] == 2010)
    base = editing.load(out, "gotland", 2009, "sv")
    edited = [*base, {editing.ID: other, "activity_title": "Kopierad rad", "source": "x"}]
    with pytest.raises(ImportFailed) as refused:
        editing.save(out, "gotland", 2009, "sv", base, edited, ADMIN)
    assert [p.key for p in refused.value.problems] == ["id_taken_other_year"]
    said = refused.value.problems[0].text("sv")
    assert said == f"id:t {other} används redan av organisationens rad från ett annat år"


def test_a_workbook_of_some_years_activities_replaces_those_years_only(
    sample: Path, tmp_path: Path, monkeypatch
) -> None:
    """A workbook that holds activities only speaks for the years its rows name: Gävle's
    2012 and 2013 (one row changed, one dropped, one added in each), not 2014; the same
    dataset as the whole-dataset import gives, and its scope read those years alone."""
    from dashboard.imports.ingest import check
    from dashboard.imports.workbook import dataset_rows
    from dashboard.model.access import Scope
    from dashboard.outputs.workbook import sheets_bytes

    def run(out: Path) -> Outcome:
        rows = []
        for year in (2012, 2013):
            year_rows = editing.load(out, "gavle", year, "sv")
            year_rows[0] = dict(year_rows[0], activity_title="Rättad titel")
            new = {"organisation": "Gävle kommun", "year": year, "source": "test"}
            rows += [*year_rows[:-1], {**new, "activity_title": f"Ny {year}"}]
        data = sheets_bytes({"activities": rows}, "sv", room=0, for_people=False)
        book = [("gavle.xlsx", data)]
        if partial.ENABLED:  # (the whole-dataset import it is compared with has no scope)
            scope = check(book, out).scope
            assert scope is not None and scope.years == {2012, 2013}
            assert {r["year"] for r in scope.rows["activities"]} == {2012, 2013}
        return ingest(book, out, orgs=("gavle",))

    before = dataset_rows(sample, Scope.only(["gavle"]), ["gavle"])["activities"]
    same_both_ways(sample, tmp_path, run, monkeypatch)
    after = read_table(tmp_path / "fast" / "data", TABLE_BY_NAME["activities"], orgs=["gavle"])
    titles = {(r["year"], r["title"]) for r in after.to_pylist()}
    assert {(2012, "Ny 2012"), (2013, "Ny 2013"), (2012, "Rättad titel")} <= titles
    assert sorted(r for r in titles if r[0] == 2014) == sorted(
        (r["year"], r["title"]) for r in before if r["year"] == 2014
    )
