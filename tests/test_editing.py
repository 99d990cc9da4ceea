"""Editing activities through the import's code path: checks, permissions, the history,
and two people saving the same rows."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import pytest

from dashboard.i18n import LANGS
from dashboard.imports import editing
from dashboard.imports.checks import CellError, parse_cell
from dashboard.imports.sources import read_form, read_xlsx_bytes
from dashboard.model import sheets
from dashboard.model.access import Grant, Person
from dashboard.model.contract import Column
from dashboard.model.problems import ImportFailed
from dashboard.outputs.workbook import sheets_bytes
from dashboard.storage import history
from tests.helpers import read_rows, stored, writer_open

GOTLAND = Person("Gustav", "gustav@gotland.se", (Grant("gotland", "coordinator"),), False)
GAVLE = Person("Anna", "anna@gavle.se", (Grant("gavle", "reporter", "Kulturförvaltningen"),), False)
VIEWER = Person("Vera", "vera@gotland.se", (Grant("gotland", "viewer"),), True)


@pytest.fixture
def out(tmp_path: Path, fresh_sample) -> Path:
    return fresh_sample(tmp_path / "data")


def goals_of(folder: Path, activity: str) -> list[str]:
    links = read_rows(folder, "activity_goals")
    return sorted(r["goal_id"] for r in links if r["activity_id"] == activity)


def test_correcting_an_activitys_goals_is_a_recorded_save(out: Path) -> None:
    base = editing.load(out, "gotland", 2009, "sv")
    first = next(r for r in base if r[editing.ID] == "gotland-2009-01")
    assert first["goals"] == "1, 4"  # as the action plan's "(1,4)"
    edited = [dict(r, goals="1, 2") if r is first else dict(r) for r in base]
    editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND, "mål rättade")
    assert goals_of(out, "gotland-2009-01") == ["gotland-2009-g1", "gotland-2009-g2"]
    last = history.entries(out)[-1]
    assert (last.action, last.who, last.comment, last.orgs) == (
        "save",
        "Gustav <gustav@gotland.se>",
        "mål rättade",
        ("gotland",),
    )
    assert set(last.tables) == {"activity_goals"}  # the activity row itself is unchanged


def test_a_bad_value_is_refused_at_its_row_and_column_and_nothing_is_written(out: Path) -> None:
    base = editing.load(out, "gotland", 2009, "sv")
    edited = [dict(r) for r in base]
    edited[2]["goals"] = "99"
    edited[3]["activity_status"] = "kanske"
    before = len(history.entries(out))
    with pytest.raises(ImportFailed) as info:
        editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND)
    texts = [p.text("sv") for p in info.value.problems]
    where = [(p.row, p.column) for p in info.value.problems]
    assert (4, "Mål") in where and (5, "Status") in where, (where, texts)
    assert any("99" in text for text in texts)
    assert len(history.entries(out)) == before


def test_the_later_of_two_saves_of_the_same_rows_is_refused(out: Path) -> None:
    """Conflicts are by row: Anna and Bo read the same year; Anna corrects a title; Bo's
    change of the same activity is refused, naming Anna's row as it is now."""
    anna_reads = editing.load(out, "gotland", 2009, "sv")
    bo_reads = editing.load(out, "gotland", 2009, "sv")
    mine = [dict(r) for r in anna_reads]
    mine[0]["activity_title"] = "Almedalsveckans invigning (Annas rättelse)"
    editing.save(out, "gotland", 2009, "sv", anna_reads, mine, GOTLAND)
    theirs = [dict(r) for r in bo_reads]
    theirs[0].update(cost=12000, currency="SEK")
    with pytest.raises(editing.Conflict) as info:
        editing.save(out, "gotland", 2009, "sv", bo_reads, theirs, GOTLAND)
    assert [r["activity_title"] for r in info.value.changed] == [
        "Almedalsveckans invigning (Annas rättelse)"
    ]
    saves = [e for e in history.entries(out) if e.action == "save"]
    assert len(saves) == 1  # Bo's save wrote nothing
    # after reading again, Bo's save goes through, on top of Anna's
    again = editing.load(out, "gotland", 2009, "sv")
    theirs = [dict(r) for r in again]
    theirs[0].update(cost=12000, currency="SEK")
    editing.save(out, "gotland", 2009, "sv", again, theirs, GOTLAND)
    now = editing.load(out, "gotland", 2009, "sv")
    assert now[0]["activity_title"].endswith("(Annas rättelse)") and now[0]["cost"] == 12000


def _commits_before_the_write(monkeypatch: pytest.MonkeyPatch, other_machine: list) -> None:
    """The next save's write runs *other_machine*'s save first (after the save's checks and
    guard, before its write), as another machine's commit lands: no lock is shared."""
    import contextlib

    from dashboard.storage import publishing

    monkeypatch.setattr(publishing, "locked", lambda _out: contextlib.nullcontext())
    write = publishing._publish_locked

    def other_commits_first(*args, **kwargs):
        while other_machine:
            other_machine.pop()()
        return write(*args, **kwargs)

    monkeypatch.setattr(publishing, "_publish_locked", other_commits_first)


def test_a_save_landing_between_anothers_check_and_write_is_not_written_over(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Machines of a shared catalog hold no common lock: Anna's save (on another machine)
    commits after Bo's save has checked the rows and before it writes. Bo's save is then
    refused with Anna's row, not written over it (seen once in test_store's two machines:
    both saves of one row were recorded and the first was lost)."""
    anna_reads = editing.load(out, "gotland", 2009, "sv")
    bo_reads = editing.load(out, "gotland", 2009, "sv")
    mine = [dict(r) for r in anna_reads]
    mine[0]["activity_title"] = "Almedalsveckans invigning (Annas rättelse)"
    theirs = [dict(r) for r in bo_reads]
    theirs[0].update(cost=12000, currency="SEK")
    other_machine = [lambda: editing.save(out, "gotland", 2009, "sv", anna_reads, mine, GOTLAND)]
    _commits_before_the_write(monkeypatch, other_machine)
    with pytest.raises(editing.Conflict) as info:
        editing.save(out, "gotland", 2009, "sv", bo_reads, theirs, GOTLAND)
    assert not other_machine  # Anna's save did run in between
    assert [r["activity_title"] for r in info.value.changed] == [mine[0]["activity_title"]]
    now = editing.load(out, "gotland", 2009, "sv")
    assert now[0]["activity_title"] == mine[0]["activity_title"]
    assert now[0]["cost"] == anna_reads[0]["cost"]
    assert [e.action for e in history.entries(out)].count("save") == 1


def test_two_people_saving_different_rows_of_one_year_both_succeed(out: Path) -> None:
    """Anna corrects one activity, Bo (who read before Anna saved) another, and a third
    person adds one: all three saves stand, none undoes another."""
    anna_reads = editing.load(out, "gotland", 2009, "sv")
    bo_reads = editing.load(out, "gotland", 2009, "sv")
    cia_reads = editing.load(out, "gotland", 2009, "sv")
    mine = [dict(r) for r in anna_reads]
    mine[0]["activity_title"] = "Almedalsveckans invigning (Annas rättelse)"
    editing.save(out, "gotland", 2009, "sv", anna_reads, mine, GOTLAND)
    theirs = [dict(r) for r in bo_reads]
    theirs[5].update(cost=12000, currency="SEK")
    editing.save(out, "gotland", 2009, "sv", bo_reads, theirs, GOTLAND)
    new = dict(cia_reads[1], **{editing.ID: None, "activity_title": "Ciás nya aktivitet"})
    editing.save(out, "gotland", 2009, "sv", cia_reads, [*map(dict, cia_reads), new], GOTLAND)
    now = editing.load(out, "gotland", 2009, "sv")
    titles = [r["activity_title"] for r in now]
    assert "Almedalsveckans invigning (Annas rättelse)" in titles and "Ciás nya aktivitet" in titles
    assert next(r for r in now if r[editing.ID] == bo_reads[5][editing.ID])["cost"] == 12000
    assert len(now) == len(anna_reads) + 1
    assert [e.action for e in history.entries(out)].count("save") == 3


def test_edits_of_other_organisations_do_not_conflict(out: Path) -> None:
    gotland = editing.load(out, "gotland", 2009, "sv")
    gavle = editing.load(out, "gavle", 2012, "sv")
    assert gavle, "Gävle has activities in 2012"
    admin = Person("Ada", "ada@x.se", (Grant("*", "admin"),), True)
    editing.save(
        out, "gavle", 2012, "sv", gavle, [dict(r, cost=1, currency="SEK") for r in gavle], admin
    )
    editing.save(out, "gotland", 2009, "sv", gotland, [dict(r) for r in gotland][1:], admin)
    assert len(editing.load(out, "gotland", 2009, "sv")) == len(gotland) - 1


def test_only_those_with_the_role_may_save(out: Path) -> None:
    base = editing.load(out, "gotland", 2009, "sv")
    edited = [dict(r) for r in base][1:]
    with pytest.raises(editing.NotAllowed):
        editing.save(out, "gotland", 2009, "sv", base, edited, VIEWER)
    with pytest.raises(editing.NotAllowed):
        editing.save(out, "gotland", 2009, "sv", base, edited, GAVLE)  # another organisation
    gavle = editing.load(out, "gavle", 2012, "sv")
    other = next(r for r in gavle if r.get("department") != "Kulturförvaltningen")
    changed = [dict(r, cost=5, currency="SEK") if r is other else dict(r) for r in gavle]
    with pytest.raises(editing.NotAllowed):  # a reporter of another department's row
        editing.save(out, "gavle", 2012, "sv", gavle, changed, GAVLE)
    assert [e.action for e in history.entries(out)] == ["import"]


def test_a_department_reporter_saves_their_own_rows_beside_others(out: Path) -> None:
    gavle = editing.load(out, "gavle", 2012, "sv")
    own = next(r for r in gavle if r.get("department") == "Utbildningsförvaltningen")
    school = Person(
        "Sara", "sara@gavle.se", (Grant("gavle", "reporter", "Utbildningsförvaltningen"),), False
    )
    changed = [dict(r, cost=900, currency="SEK") if r is own else dict(r) for r in gavle]
    editing.save(out, "gavle", 2012, "sv", gavle, changed, school)
    assert history.entries(out)[-1].tables["activities"]["changed"] == [own[editing.ID]]


def test_indicator_values_and_assessments_are_saved_by_their_roles(out: Path) -> None:
    values = editing.load(out, "slagelse", 2014, "sv", "indicator_values")
    lead = next(r for r in values if "lead partner" in str(r["indicator"]))
    assert (lead["target"], lead["actual"]) == (3.0, None)
    edited = [dict(r, actual=3) if r is lead else dict(r) for r in values]
    reporter = Person("Rut", "rut@slagelse.dk", (Grant("slagelse", "reporter"),), False)
    editing.save(out, "slagelse", 2014, "da", values, edited, reporter, part="indicator_values")
    now = editing.load(out, "slagelse", 2014, "sv", "indicator_values")
    assert next(r for r in now if "lead partner" in str(r["indicator"]))["actual"] == 3
    # the verdict and analysis of a goal are a coordinator's
    goals = editing.load(out, "slagelse", 2013, "sv", "assessments")
    assert goals
    verdict = [dict(goals[0], assessment_status="Uppnått", comment="Tre projekt beviljade.")]
    with pytest.raises(editing.NotAllowed):
        editing.save(out, "slagelse", 2013, "sv", goals, verdict, reporter, part="assessments")
    coordinator = Person("Kim", "kim@slagelse.dk", (Grant("slagelse", "coordinator"),), False)
    editing.save(out, "slagelse", 2013, "sv", goals, verdict, coordinator, part="assessments")
    saved = editing.load(out, "slagelse", 2013, "sv", "assessments")
    assert (saved[0]["assessment_status"], saved[0]["comment"]) == (
        "Uppnått",
        "Tre projekt beviljade.",
    )


def test_projects_and_memberships_are_a_coordinators(out: Path) -> None:
    """Slagelse's projects record no role; a coordinator gives InterLoc its role (the Projects
    page then counts it), and Gotland's coordinator records a membership fee."""
    kim = Person("Kim", "kim@slagelse.dk", (Grant("slagelse", "coordinator"),), False)
    base = editing.load(out, "slagelse", 0, "sv", "projects")
    assert len(base) == 8
    edited = [
        dict(r, project_role="Lead partner") if r["acronym"] == "InterLoc" else dict(r)
        for r in base
    ]
    editing.save(out, "slagelse", 0, "sv", base, edited, kim, "roll", part="projects")
    projects = stored(out, "projects").to_pylist()
    assert next(p for p in projects if p["acronym"] == "InterLoc")["role"] == "lead_partner"
    with pytest.raises(editing.NotAllowed):  # a reporter changes no project
        rut = Person("Rut", "rut@slagelse.dk", (Grant("slagelse", "reporter"),), False)
        editing.save(out, "slagelse", 0, "sv", base, edited, rut, part="projects")
    gus = Person("Gus", "gus@gotland.se", (Grant("gotland", "coordinator"),), False)
    members = editing.load(out, "gotland", 0, "sv", "memberships")
    b7 = [dict(r, annual_fee=55000, currency="SEK") if r["network"] == "Baltic Islands Network"
          else dict(r) for r in members]  # fmt: skip
    editing.save(out, "gotland", 0, "sv", members, b7, gus, part="memberships")
    rows = stored(out, "memberships").to_pylist()
    fee = next(r for r in rows if r["org_id"] == "gotland" and r["network_id"] == "b7")
    assert (fee["annual_fee"], fee["currency"]) == (55000.0, "SEK")


def test_deleting_the_last_activity_of_a_year_is_refused_not_falsely_saved(out: Path) -> None:
    """An edit speaks only for the years its rows name; with no row left it would replace
    nothing and still count as a save. It is refused, and nothing is recorded."""
    admin = Person("Ada", "ada@x.se", (Grant("*", "admin"),), True)
    base = editing.load(out, "alvsbyn", 2020, "sv")
    assert len(base) == 2
    with pytest.raises(editing.LastRowOfYear):
        editing.save(out, "alvsbyn", 2020, "sv", base, [], admin)
    assert len(editing.load(out, "alvsbyn", 2020, "sv")) == 2
    assert [e.action for e in history.entries(out)] == ["import"]
    editing.save(out, "alvsbyn", 2020, "sv", base, base[:1], admin)  # one of two: fine
    assert len(editing.load(out, "alvsbyn", 2020, "sv")) == 1


def test_deleting_an_organisations_last_membership_is_refused_too(out: Path) -> None:
    admin = Person("Ada", "ada@x.se", (Grant("*", "admin"),), True)
    base = editing.load(out, "alvsbyn", 0, "sv", "memberships")
    assert base
    with pytest.raises(editing.LastRowOfYear):
        editing.save(out, "alvsbyn", 0, "sv", base, [], admin, part="memberships")
    assert editing.load(out, "alvsbyn", 0, "sv", "memberships") == base


def test_a_one_year_part_reads_each_table_with_a_year_as_that_year_s_rows() -> None:
    """`editing.load` filters the tables with a `year` column to the year before making
    sheet rows (a save at ten million activities spent a quarter of its time on the other
    years' rows): the list is every such table of the contract, so a new one is not
    forgotten, and holds none without the column."""
    from dashboard.model.contract import TABLES

    with_year = {t.name for t in TABLES if any(c.name == "year" for c in t.columns)}
    assert set(editing.YEARLY) == with_year


def test_a_read_is_kept_until_its_table_changes_and_never_outlives_a_change(out: Path) -> None:
    """`read_table` keeps a read under the snapshot since which its table holds those rows
    (`held_since`): a save of activities leaves the projects' read standing (the next save
    does not read them again), a save of projects is read anew, and an earlier snapshot
    still reads as it was."""
    from dashboard.model.contract import TABLE_BY_NAME
    from dashboard.storage import lake_at, read_table, stamp
    from dashboard.storage.dataset import held_since

    projects, acts = TABLE_BY_NAME["projects"], TABLE_BY_NAME["activities"]
    lake = lake_at(out)
    v1 = stamp(out)
    before = read_table(out, projects)
    assert before is not None

    base = editing.load(out, "gotland", 2009, "sv")
    edited = [dict(r) for r in base]
    edited[0]["activity_title"] = "Rättad titel"
    editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND)
    v2 = stamp(out)
    assert v2 > v1
    assert held_since(lake, "activities", v2) == v2
    assert held_since(lake, "projects", v2) == held_since(lake, "projects", v1) < v2
    assert read_table(out, projects) is before  # kept: not read again
    titles = read_table(out, acts, ["title"], ["gotland"])
    assert titles is not None and "Rättad titel" in titles["title"].to_pylist()

    base = editing.load(out, "gotland", 2009, "sv", "projects")
    assert base, "the sample's Gotland has projects"
    edited = [dict(r) for r in base]
    edited[0]["project_title"] = "Omdöpt projekt"
    editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND, part="projects")
    v3 = stamp(out)
    assert held_since(lake, "projects", v3) == v3
    now = read_table(out, projects)
    assert now is not None and "Omdöpt projekt" in now["title"].to_pylist()
    assert "Omdöpt projekt" not in before["title"].to_pylist()
    was = read_table(out, projects, version=v2)
    assert was is not None and was["title"].to_pylist() == before["title"].to_pylist()


def test_rows_read_again_are_the_callers_own(out: Path) -> None:
    """`as_rows` turns a kept read into dicts once, but every caller gets dicts of its own:
    one that changes them (the import derives columns in place) changes nobody else's."""
    from dashboard.model.contract import TABLE_BY_NAME
    from dashboard.storage import as_rows, read_table

    data = read_table(out, TABLE_BY_NAME["organisations"])
    assert data is not None
    first = as_rows(data)
    first[0]["name"] = "Ändrad"
    again = as_rows(read_table(out, TABLE_BY_NAME["organisations"]))  # type: ignore[arg-type]
    assert again[0]["name"] != "Ändrad"
    assert again == data.to_pylist()


def test_a_new_snapshot_copies_the_tables_a_save_left_and_reads_the_ones_it_changed(
    out: Path, monkeypatch
) -> None:
    """The pages' snapshot held in memory after a save (`Engine._fill`): the tables the
    save did not change are copied from the snapshot held before, the ones it changed are
    read from the lake, and what the pages query is the lake's (the new title, the
    project as it was)."""
    from dashboard.model.filters import Filters
    from dashboard.sql.queries import params_for
    from dashboard.storage import engine
    from dashboard.storage.engine import Database

    asked: dict[str, bool] = {}
    same = engine._Kept.same

    def spy(self: engine._Kept, table: str) -> bool:
        asked[table] = same(self, table)
        return asked[table]

    monkeypatch.setattr(engine._Kept, "same", spy)
    f = Filters(("gotland",), 2009, 2009)
    projects_before = Database(out).df("project_portfolio", params_for("project_portfolio", f))
    assert not asked  # the first snapshot had nothing to copy from

    base = editing.load(out, "gotland", 2009, "sv")
    edited = [dict(r) for r in base]
    edited[0]["activity_title"] = "Rättad i minnet"
    editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND)
    db = Database(out)
    acts = db.df("activities", params_for("activities", f, search=None, limit=200, offset=0))
    assert "Rättad i minnet" in acts["title"].tolist()
    assert asked["activities"] is False
    # a title is in no summary: the save left them as they were (`engine.summary_reads`)
    assert asked["summary_activities"] and asked["summary_goal_links"]
    assert asked["organisations"] and asked["projects"] and asked["goals"]
    projects_after = db.df("project_portfolio", params_for("project_portfolio", f))
    assert projects_after.equals(projects_before)

    asked.clear()
    base = editing.load(out, "gotland", 2010, "sv")
    edited = [dict(r) for r in base]
    costed = next(r for r in edited if r["cost"])
    costed["cost"] += 1000
    editing.save(out, "gotland", 2010, "sv", base, edited, GOTLAND)
    Database(out).df("activities", params_for("activities", f, search=None, limit=200, offset=0))
    # a cost is summed in summary_activities: rebuilt, and read from the lake
    assert asked["activities"] is False and asked["summary_activities"] is False

    asked.clear()
    base = editing.load(out, "gotland", 2009, "sv", "projects")
    edited = [dict(r) for r in base]
    edited[0]["project_title"] = "Omdöpt i minnet"
    editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND, part="projects")
    db = Database(out)
    titles = db.df("project_portfolio", params_for("project_portfolio", f))["title"].tolist()
    assert "Omdöpt i minnet" in titles
    assert asked["projects"] is False and asked["activities"] is True


def test_getting_ready_to_save_opens_the_writer_and_makes_no_lake_where_there_is_none(
    out: Path, tmp_path: Path
) -> None:
    editing.ready(out)
    assert writer_open(out)
    empty = tmp_path / "nothing"
    empty.mkdir()
    editing.ready(empty)  # no dataset yet: nothing opened, nothing made
    assert not writer_open(empty) and list(empty.iterdir()) == []


def test_getting_ready_reads_what_every_save_checks_so_the_first_save_does_not(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The yearly round's states, which every write's locks read, are read while getting
    ready (45 ms at the first save before): the save then reads none of them from the lake."""
    from datetime import date

    from dashboard.imports import rounds as round_steps
    from dashboard.storage import dataset
    from tests.test_round import COORD, load_policy

    round_steps.open_year(out, "gotland", 2010, date(2011, 2, 15), COORD, load_policy())
    editing.ready(out)
    read: list[str] = []
    real = dataset._read_at

    def counted(o, table, *args, **kwargs):  # a read from the lake, not what is kept
        read.append(table.name)
        return real(o, table, *args, **kwargs)

    monkeypatch.setattr(dataset, "_read_at", counted)
    base = editing.load(out, "gotland", 2009, "sv")
    edited = [dict(r) for r in base]
    edited[0]["activity_title"] = "Ny titel"
    editing.save(out, "gotland", 2009, "sv", base, edited, COORD)
    assert read, "the save read nothing from the lake: the count would prove nothing"
    assert not {"rounds", "round_parts"} & set(read), read


# what a form's row or a row read from the dataset may hand a save, in any column
FORM_VALUES: list[object] = [
    None, "", " ", "  Studiebesök i Gdańsk ", '=HYPERLINK("http://x")', "'7", "+46 8 123",
    0, 7, -3, 1.5, 2.0, -0.0, 1e20, 2**40, True, False, Decimal("1.50"), Decimal("3"),
    date(2021, 3, 4), datetime(2021, 3, 4, 5, 6, 7), "2021-03-04", "1,5", "1 500,25", "1.5",
    "a\tb", "a\nb", "ä\xa0b", "x\u200by", "#N/A", "12 %", "samtliga", "1, 4",
]  # fmt: skip


def _as_checked(value: object) -> object:
    """A cell up to what the checks cannot tell apart (`checks.parse_cell` reads 2 and 2.0,
    a date and its midnight, alike)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, datetime) and value.time() == time():
        return value.date()
    return value


def _date_read(value: object) -> object:
    """What the checks make of a date column's cell: the date, or refused."""
    try:
        return parse_cell(value, Column("d", "date", ""), ",")[0]
    except CellError:
        return "refused"


def test_a_form_is_read_as_the_workbook_it_stands_for() -> None:
    """A save hands the import its rows as cells (`read_form`), not a workbook written and
    read back: every sheet in every language, every column holding each kind of value a
    form or the dataset gives, reads as the workbook gave it (headers, sheet rows,
    blank rows left out, the marker sheet). A date column's cell is compared as the checks
    read it: a workbook gives a number there as the date of that serial (0 as midnight),
    the form the number, which the checks read as that serial's date or refuse alike (a
    form's date field gives text, so no number reaches a date column from a form)."""
    for lang in LANGS:
        for sheet in sheets.SHEETS:
            cols = sheets.layout(sheet)
            dated = [i for i, c in enumerate(cols) if c.key in sheets.DATE_COLUMNS]
            rows = [{c.key: v for c in cols} for v in FORM_VALUES]
            name = f"{sheets.sheet_title(sheet.key, lang)}.xlsx"
            found: list = []
            book = sheets_bytes({sheet.key: rows}, lang, room=0, for_people=False)
            want = read_xlsx_bytes(book, name, found)
            got = read_form({sheet.key: rows}, lang, name).tables
            assert found == [] and list(got) == list(want), (lang, sheet.key)
            for title, table in want.items():
                mine = got[title]
                assert (mine.file, mine.header, mine.lines) == (
                    table.file,
                    table.header,
                    table.lines,
                ), (lang, title)
                width = max([len(table.header), *(len(r) for r in [*table.rows, *mine.rows])])
                for a, b in zip(table.rows, mine.rows, strict=True):
                    padded = [[*r, *[None] * (width - len(r))] for r in (a, b)]
                    for row in padded:
                        for i in dated if table.header else ():  # not the marker sheet
                            row[i] = _date_read(row[i])
                    assert [_as_checked(v) for v in padded[0]] == [
                        _as_checked(v) for v in padded[1]
                    ], (lang, title, a, b)


def test_text_no_workbook_may_hold_is_cleaned_in_a_save_not_a_crash(out: Path) -> None:
    """A vertical tab (Word's line break) or another control character pasted into a form
    is removed with a warning, as from any file; writing the save's workbook had raised
    openpyxl's IllegalCharacterError, and the page showed a crash."""
    base = editing.load(out, "gotland", 2009, "sv")
    edited = [dict(r) for r in base]
    edited[0]["activity_title"] = "Studiebesök\x0b i Gdańsk\x01"
    outcome = editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND)
    assert [(w.key, w.row, w.column) for w in outcome.warnings] == [
        ("control_removed", 2, "Aktivitet")
    ]
    titles = {r["activity_id"]: r["title"] for r in read_rows(out, "activities")}
    assert titles[str(base[0][editing.ID])] == "Studiebesök i Gdańsk"


ADMIN = Person("Ada", "ada@x.se", (Grant("*", "admin"),), True)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (
            ("gotland", 2010, "activities", "activity_title"),
            ("gotland", 2009, "activities", "activity_title"),
        ),
        (
            ("gotland", 2009, "activities", "activity_title"),
            ("gavle", 2012, "activities", "activity_title"),
        ),
        (("gotland", 0, "memberships", "source"), ("gavle", 0, "memberships", "source")),
        (("gotland", 0, "projects", "source"), ("slagelse", 0, "projects", "source")),
        (
            ("slagelse", 2012, "indicator_values", "source"),
            ("slagelse", 2013, "indicator_values", "source"),
        ),
        (
            ("slagelse", 2012, "assessments", "comment"),
            ("slagelse", 2013, "assessments", "comment"),
        ),
        (("gotland", 0, "goals", "wording"), ("gotland", 2009, "activities", "activity_title")),
    ],
)
def test_a_save_that_lands_between_anothers_check_and_write_is_not_undone(
    out: Path, monkeypatch: pytest.MonkeyPatch, first: tuple, second: tuple
) -> None:
    """Machines of a shared catalog hold no common lock (and on one machine a save's checks
    run before it takes the lock): A's save of other rows commits after B's save has read
    and checked its rows and before B writes. B's save had staged what it read: every
    organisation's rows of a small table (memberships, projects, indicator values,
    assessments) and the organisation's other years of activities, and so undid A's save
    without a word. Now B's save is read and checked again on the lake as A left it
    (`publish(expect=...)`, LakeMoved), and both saves stand."""
    (org_a, year_a, part_a, field_a), (org_b, year_b, part_b, field_b) = first, second
    a_reads = editing.load(out, org_a, year_a, "sv", part_a)
    b_reads = editing.load(out, org_b, year_b, "sv", part_b)
    mine = [dict(a_reads[0], **{field_a: "A:s ändring"}), *map(dict, a_reads[1:])]
    theirs = [dict(b_reads[0], **{field_b: "B:s ändring"}), *map(dict, b_reads[1:])]
    other_machine = [
        lambda: editing.save(out, org_a, year_a, "sv", a_reads, mine, ADMIN, part=part_a)
    ]
    _commits_before_the_write(monkeypatch, other_machine)
    editing.save(out, org_b, year_b, "sv", b_reads, theirs, ADMIN, part=part_b)
    assert not other_machine  # A's save did run in between
    assert editing.load(out, org_a, year_a, "sv", part_a)[0][field_a] == "A:s ändring"
    assert editing.load(out, org_b, year_b, "sv", part_b)[0][field_b] == "B:s ändring"
    assert [e.action for e in history.entries(out)].count("save") == 2


def test_a_save_that_other_saves_keep_coming_before_is_said_busy_and_writes_nothing(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When another save lands before this one's write at every attempt, the save gives
    up with `editing.Busy` (the form says so and keeps what was typed), never a traceback
    and never a write of rows checked on an older snapshot."""
    from dashboard.storage import LakeMoved, publishing

    tries = []

    def always_moved(*args, **kwargs):
        tries.append(1)
        raise LakeMoved("snapshot 9 came after 8")

    monkeypatch.setattr(publishing, "_publish_locked", always_moved)
    base = editing.load(out, "gotland", 2009, "sv")
    edited = [dict(base[0], activity_title="Ny titel"), *map(dict, base[1:])]
    before = len(history.entries(out))
    with pytest.raises(editing.Busy):
        editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND)
    assert len(tries) == editing.SAVE_ATTEMPTS
    assert len(history.entries(out)) == before


def test_an_import_another_save_lands_before_is_checked_again_and_undoes_nothing(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Data page's import (no form, no guard): Gävle's workbook of its memberships
    is checked, then Gotland's membership save commits before its write. The import is
    read and checked again on the lake as that save left it (`ingest`, READ_AGAIN) and
    written: both stand (the import stages the memberships table whole, every other
    organisation's rows as it read them), each recorded once."""
    from dashboard.imports.ingest import ingest
    from dashboard.outputs.workbook import sheets_bytes

    a_reads = editing.load(out, "gotland", 0, "sv", "memberships")
    mine = [dict(a_reads[0], source="A:s ändring"), *map(dict, a_reads[1:])]
    other_machine = [
        lambda: editing.save(out, "gotland", 0, "sv", a_reads, mine, ADMIN, part="memberships")
    ]
    _commits_before_the_write(monkeypatch, other_machine)
    rows = editing.load(out, "gavle", 0, "sv", "memberships")
    rows[0] = dict(rows[0], source="Importerad rättelse")
    data = sheets_bytes({"memberships": rows}, "sv", room=0, for_people=False)
    ingest([("gavle.xlsx", data)], out, orgs=("gavle",))
    assert not other_machine  # the save did land in between
    assert editing.load(out, "gotland", 0, "sv", "memberships")[0]["source"] == "A:s ändring"
    assert editing.load(out, "gavle", 0, "sv", "memberships")[0]["source"] == (
        "Importerad rättelse"
    )
    actions = [e.action for e in history.entries(out)]
    assert actions.count("save") == 1 and actions[-1] == "import", actions


def test_a_part_s_form_is_read_from_the_tables_its_sheet_is_made_of(sample_dir: Path) -> None:
    """Only the Activities form reads the partitioned tables (an organisation's activities
    and their goal links, 121,406 rows at 10 million); every other part's form holds the
    same rows as its sheet made from every table, for every organisation of the sample in
    years of its values and assessments (in Swedish; the first one's in every language)."""
    from dashboard.imports import workbook
    from dashboard.model.access import Scope

    orgs = sorted({r["org_id"] for r in read_rows(sample_dir, "organisations")})
    years = [2009, 2012, 2013, 2022]  # the sample's years of values and of assessments
    compared = 0
    for org in orgs:
        every = workbook.dataset_rows(sample_dir, Scope.only([org]), [org])
        for year in years:
            of_year = workbook.dataset_rows(sample_dir, Scope.only([org]), [org], [year])
            for part, spec in editing.PARTS.items():
                if part in (*editing.SHARED, "activities") or (not spec.per_year and year != 2009):
                    continue
                for lang in LANGS if org == orgs[0] else ("sv",):
                    expected = sheets.sheet_rows(of_year if spec.per_year else every, lang)
                    found = editing.load(sample_dir, org, year, lang, part)
                    assert found == expected[spec.sheet], (org, year, part, lang)
                    compared += bool(found)
    assert compared > 25, compared  # forms with rows were compared, not only empty ones


def test_a_project_form_checks_its_rows_and_what_the_kept_activities_name(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save of the Projects form checks the projects' cells and keys, not again those of
    the organisation's activities it leaves as stored (checked when written; 121,406 at
    10M); what those activities name is still checked: a project they name cannot go."""
    from dashboard.imports import checks
    from dashboard.storage import stamp

    checked: list[str] = []
    real = checks._check_rows

    def spy(p: checks.ParsedTable, countries: object, problems: list) -> None:
        checked.append(p.table.name)
        real(p, countries, problems)  # type: ignore[arg-type]

    monkeypatch.setattr(checks, "_check_rows", spy)
    base = editing.load(out, "gotland", 2009, "sv", "projects")
    edited = [dict(r) for r in base]
    edited[0]["project_title"] = "Omdöpt projekt"
    editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND, part="projects")
    assert "projects" in checked and "activities" not in checked, checked
    assert "activity_goals" not in checked, checked
    # a project an activity names, removed from the form: refused, nothing written
    named = {r["project_id"] for r in read_rows(out, "activities") if r["org_id"] == "gotland"}
    base = editing.load(out, "gotland", 2009, "sv", "projects")
    kept = [dict(r) for r in base if r[editing.ID] not in named]
    assert len(kept) < len(base), "the sample's Gotland has an activity naming a project"
    before = stamp(out)
    with pytest.raises(ImportFailed) as refused:
        editing.save(out, "gotland", 2009, "sv", base, kept, GOTLAND, part="projects")
    assert stamp(out) == before
    assert any(p.key == "unknown_ref" for p in refused.value.problems), refused.value.problems


def scopes_seen(monkeypatch: pytest.MonkeyPatch) -> list:
    """Every `partial.Scope` the saves made from here on build, in order."""
    from dashboard.imports import partial

    scopes: list[partial.Scope] = []
    real = partial.scope

    def spy(*args: object, **kwargs: object) -> partial.Scope:
        s = real(*args, **kwargs)  # type: ignore[arg-type]
        scopes.append(s)
        return s

    monkeypatch.setattr(partial, "scope", spy)
    return scopes


def test_a_form_reads_the_kept_activities_as_what_they_name(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save of a form other than the Activities reads the organisation's activities and
    goal links as what they name, each combination once (a Projects save at 10M read
    121,406 activities whole), and still refuses removing what they name: a goal an
    activity serves cannot leave the Goals form; nothing is written."""
    from dashboard.storage import stamp

    scopes = scopes_seen(monkeypatch)
    base = editing.load(out, "gotland", 2009, "sv", "goals")
    edited = [dict(r) for r in base]
    editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND, part="goals")
    acts, links = scopes[-1].rows["activities"], scopes[-1].rows["activity_goals"]
    stored_acts = [r for r in read_rows(out, "activities") if r["org_id"] == "gotland"]
    stored_links = [r for r in read_rows(out, "activity_goals") if r["org_id"] == "gotland"]
    assert acts and all("activity_id" not in r and "title" not in r for r in acts), acts[:3]
    assert {r["project_id"] for r in acts} == {r["project_id"] for r in stored_acts}
    assert len(acts) < len(stored_acts), (len(acts), len(stored_acts))
    assert {(r["goal_id"], r["org_id"]) for r in links} == {
        (r["goal_id"], r["org_id"]) for r in stored_links
    }
    assert len(links) < len(stored_links) and all("activity_id" not in r for r in links)
    # a goal a stored activity serves, removed from the form: refused, nothing written
    served = {r["goal_id"] for r in stored_links}
    base = editing.load(out, "gotland", 2009, "sv", "goals")
    gone = next(r[editing.ID] for r in base if r[editing.ID] in served)
    kept = [dict(r) for r in base if r[editing.ID] != gone]
    before = stamp(out)
    with pytest.raises(ImportFailed) as refused:
        editing.save(out, "gotland", 2009, "sv", base, kept, GOTLAND, part="goals")
    assert stamp(out) == before
    assert any(p.key == "unknown_ref" for p in refused.value.problems), refused.value.problems


def test_an_activities_save_reads_checks_and_writes_the_rows_it_changed(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save of the Activities form speaks for the activities it changes, adds and
    removes, not for the year (the largest organisation-year at 10M holds 6,843 and every
    one was read, converted and checked again to correct one title): the scope holds the
    corrected row alone; a new row gets the id the whole year's import would give it, so a
    second "Studiebesök" beside a kept one is added, not refused; the rest of the year is
    left as stored. A sheet that names a kept activity it does not speak for is refused,
    and a scope of some activities is refused for anything but a year's activities."""
    from dashboard.imports.ingest import ingest

    scopes = scopes_seen(monkeypatch)
    year_rows = lambda: [r for r in read_rows(out, "activities") if r["year"] == 2009]  # noqa: E731
    stored_before = {r["activity_id"]: r for r in year_rows() if r["org_id"] == "gotland"}
    base = editing.load(out, "gotland", 2009, "sv")
    fixed = base[3][editing.ID]
    edited = [
        dict(r, activity_title="Rättad titel") if i == 3 else dict(r) for i, r in enumerate(base)
    ]
    editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND)
    assert scopes[-1].ids == {fixed}
    assert [r["activity_id"] for r in scopes[-1].rows["activities"]] == [fixed]
    # two new rows of one title, in two saves, and a row removed beside them
    new = {k: None for k in base[0]} | {"activity_title": "Studiebesök i Gdańsk", "source": "test"}
    for n in (1, 2):
        base = editing.load(out, "gotland", 2009, "sv")
        gone = base[5][editing.ID] if n == 2 else None
        edited = [dict(r) for r in base if r[editing.ID] != gone] + [dict(new)]
        editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND)
    now = {r["activity_id"]: r for r in year_rows() if r["org_id"] == "gotland"}
    assert len(now) == len([r for r in year_rows() if r["org_id"] == "gotland"])  # no twin id
    added = sorted(k for k in now if k not in stored_before)
    assert added == ["gotland-2009-studiebesok-i-gdansk", "gotland-2009-studiebesok-i-gdansk-2"]
    assert gone not in now and now[fixed]["title"] == "Rättad titel"
    untouched = set(stored_before) - {fixed, gone}
    assert {k: now[k] for k in untouched} == {k: stored_before[k] for k in untouched}
    # a save that only removes a row: that row alone goes, as the year's other rows stay
    base = editing.load(out, "gotland", 2009, "sv")
    dropped = base[-1][editing.ID]
    editing.save(out, "gotland", 2009, "sv", base, [dict(r) for r in base[:-1]], GOTLAND)
    assert len(scopes[-1].rows["activities"]) == 2  # the removed row and one kept as anchor
    after = {r["activity_id"]: r for r in year_rows() if r["org_id"] == "gotland"}
    assert set(after) == set(now) - {dropped}
    assert {k: after[k] for k in after} == {k: now[k] for k in after}
    counts = history.entries(out)[-1].tables["activities"]["counts"]
    assert (counts["added"], counts["changed"], counts["removed"]) == (0, 0, 1), counts
    # a sheet that names a kept activity outside the ids it speaks for: refused
    kept = next(iter(sorted(untouched - {dropped})))
    row = {**next(r for r in editing.load(out, "gotland", 2009, "sv") if r[editing.ID] == kept)}
    row |= {"organisation": "Gotlands kommun", "year": 2009, "activity_title": "Tvilling"}
    form = read_form({"activities": [row]}, "sv", "Aktiviteter.xlsx")
    before = read_rows(out, "activities")
    with pytest.raises(ImportFailed) as refused:
        ingest(form, out, activity_ids={"gotland-2009-ny"})
    assert [p.key for p in refused.value.problems] == ["id_taken"], refused.value.problems
    with pytest.raises(ValueError):  # a scope of some activities is of activities alone
        goals = editing.load(out, "gotland", 2009, "sv", "goals")
        rows = [{**r, "organisation": "Gotlands kommun"} for r in goals]
        ingest(read_form({"goals": rows}, "sv", "Mål.xlsx"), out, activity_ids={kept})
    assert read_rows(out, "activities") == before


def test_a_form_is_loaded_once_per_snapshot_and_handed_out_as_copies(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save loads the form's rows twice after the form did (its rebase, and its guard
    under the lock): at one snapshot they are made once, each caller gets its own copy,
    and a save in between (a new snapshot) is seen at the next load."""
    made: list[int] = []
    real = sheets.sheet_rows

    def counted(*args: object, **kwargs: object) -> dict:
        made.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sheets, "sheet_rows", counted)
    first = editing.load(out, "gotland", 2009, "sv")
    first[0]["activity_title"] = "Ändrad i en kopia"
    again = editing.load(out, "gotland", 2009, "sv")
    assert len(made) == 1 and again[0]["activity_title"] != "Ändrad i en kopia"
    edited = [dict(r, activity_title="Ny titel") if i == 0 else r for i, r in enumerate(again)]
    editing.save(out, "gotland", 2009, "sv", again, edited, GOTLAND)
    assert editing.load(out, "gotland", 2009, "sv")[0]["activity_title"] == "Ny titel"
    sv, en = (editing.load(out, "gotland", 2009, lang)[0] for lang in ("sv", "en"))
    assert (sv["activity_status"], en["activity_status"]) == ("Planerad", "Planned")


@pytest.mark.parametrize("part", ["activities", "projects", "goals"])
def test_a_form_resolves_its_names_among_its_own_organisations_rows(
    out: Path, monkeypatch: pytest.MonkeyPatch, part: str
) -> None:
    """A form speaks for one organisation, and every name its sheet holds is looked up by
    that organisation: its names are indexed among that organisation's rows and the shared
    networks only, not every organisation's (243,457 rows at 10M, 0.2 s of a Projects
    save); the save still lands."""
    from dashboard.imports import workbook

    seen: list[dict] = []
    real = workbook.to_contract

    def spy(raw, problems, live=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(dict(live or {}))
        return real(raw, problems, live, *args, **kwargs)

    monkeypatch.setattr(workbook, "to_contract", spy)
    base = editing.load(out, "gotland", 2009, "sv", part)
    edited = [dict(base[0], comment="Rättad")] + [dict(r) for r in base[1:]]
    if part == "activities":
        edited[0] = dict(base[0], activity_title="Rättad")
    elif part == "projects":
        edited[0] = dict(base[0], project_title="Rättat projekt")
    else:
        edited[0] = dict(base[0], wording="Rättad lydelse")
    editing.save(out, "gotland", 2009, "sv", base, edited, GOTLAND, part=part)
    names = seen[-1]
    for table in ("organisations", "strategies", "goals", "projects", "indicators"):
        assert {r["org_id"] for r in names.get(table, [])} <= {"gotland"}, table
    assert names["strategies"] and names["networks"]  # its own, and the shared networks
