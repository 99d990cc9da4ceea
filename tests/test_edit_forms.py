"""The editing forms as a signed-in person meets them (AppTest, with `AppTest.user` as the
identity provider's claims and an access file giving the roles): strategies and goals on
the Goals page, networks on the Networks page, their error messages in Swedish, and two
sessions saving the same rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.imports import editing
from dashboard.model.access import Grant, Person
from dashboard.storage import history
from tests.conftest import ROOT
from tests.helpers import AUTH, as_read, read_rows, stored, writer_open

ACCESS = """
read = "all"

[[grant]]
email = "kim@slagelse.dk"
org = "slagelse"
role = "coordinator"

[[grant]]
email = "rut@slagelse.dk"
org = "slagelse"
role = "reporter"
"""
SAVED = "Sparat. Ändringen syns på alla sidor och i historiken."


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_sample) -> Path:
    folder = fresh_sample(tmp_path / "data")
    access = tmp_path / "access.toml"
    access.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    monkeypatch.setenv("DASHBOARD_ACCESS_FILE", str(access))
    return folder


def session(email: str, page: str) -> AppTest:
    """A signed-in session on *page*, in Swedish, Slagelse chosen."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {
        "is_logged_in": True,
        "email": email,
        "email_verified": True,  # the provider vouches for the address (else no grant)
        "name": email.split("@")[0],
    }
    at.query_params["lang"] = "sv"
    at.query_params["org"] = "slagelse"
    at.run()
    at.switch_page(f"dashboard/app/pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def form_of(at: AppTest, title: str):
    """The expander of the edit form called *title*."""
    found = [e for e in at.expander if e.label == title]
    assert found, [e.label for e in at.expander]
    return found[0]


def pick(at: AppTest, exp, label: str, option: str) -> None:
    box = next(s for s in exp.selectbox if s.label == label)
    box.set_value(option).run()
    assert not at.exception, at.exception


def field(exp, label: str, kind: str = "text_input"):
    return next(w for w in getattr(exp, kind) if w.label == label)


def submit(at: AppTest, exp) -> None:
    exp.button[0].click().run()
    assert not at.exception, at.exception


def goals_of(folder: Path, org: str) -> dict[str, str]:
    rows = stored(folder, "goals").to_pylist()
    return {str(r["code"]): r["title"] for r in rows if r["org_id"] == org}


def test_a_coordinator_adds_a_goal_in_the_goals_form(out: Path) -> None:
    before = goals_of(out, "slagelse")
    at = session("kim@slagelse.dk", "goals")
    exp = form_of(at, "Lägg till, rätta eller ta bort mål")
    pick(at, exp, "Rad", "__new__")
    exp = form_of(at, "Lägg till, rätta eller ta bort mål")
    strategy = next(s for s in exp.selectbox if s.label == "Strategi")
    strategy.set_value(strategy.options[1])
    field(exp, "Nummer").input("9")
    field(exp, "Lydelse").input("Fler unga deltar i internationella utbyten")
    next(s for s in exp.selectbox if s.label == "Slag").set_value("Mål")
    submit(at, exp)
    assert SAVED in [s.value for s in at.success]
    now = goals_of(out, "slagelse")
    assert now["9"] == "Fler unga deltar i internationella utbyten"
    assert {k: v for k, v in now.items() if k != "9"} == before
    last = history.entries(out)[-1]
    assert (last.who, last.action, last.orgs) == ("kim <kim@slagelse.dk>", "save", ("slagelse",))


def test_a_goal_without_wording_is_refused_at_its_row_and_column(out: Path) -> None:
    before = goals_of(out, "slagelse")
    at = session("kim@slagelse.dk", "goals")
    exp = form_of(at, "Lägg till, rätta eller ta bort mål")
    pick(at, exp, "Rad", "__new__")
    exp = form_of(at, "Lägg till, rätta eller ta bort mål")
    field(exp, "Nummer").input("9")
    submit(at, exp)
    assert at.error and at.error[0].value.startswith("Inget sparades")
    problems = at.dataframe[-1].value
    cells = set(problems.astype(str).stack())
    assert "Lydelse" in cells  # the form's field, in Swedish
    assert "9. " in cells  # the row as the form names it
    assert not any(".xlsx" in c for c in cells)  # no file the person never saw
    assert goals_of(out, "slagelse") == before
    assert [e.action for e in history.entries(out)] == ["import"]


def test_a_reporter_gets_no_strategy_goal_or_network_form(out: Path) -> None:
    at = session("rut@slagelse.dk", "goals")
    assert not [e for e in at.expander if e.label.startswith("Lägg till")]
    at.switch_page("dashboard/app/pages/networks.py").run()
    assert "Lägg till eller rätta nätverk" not in [e.label for e in at.expander]


def test_a_coordinator_corrects_a_strategy_and_adds_a_network(out: Path) -> None:
    at = session("kim@slagelse.dk", "goals")
    exp = form_of(at, "Lägg till eller rätta strategier")
    box = next(s for s in exp.selectbox if s.label == "Rad")
    pick(at, exp, "Rad", box.options[1])
    exp = form_of(at, "Lägg till eller rätta strategier")
    field(exp, "Beslutad av").input("Byrådet 2023-06-22 § 12")
    submit(at, exp)
    assert SAVED in [s.value for s in at.success], [e.value for e in at.error]
    strategies = stored(out, "strategies").to_pylist()
    assert "Byrådet 2023-06-22 § 12" in {s["decided_by"] for s in strategies}

    at.switch_page("dashboard/app/pages/networks.py").run()
    exp = form_of(at, "Lägg till eller rätta nätverk")
    pick(at, exp, "Rad", "__new__")
    exp = form_of(at, "Lägg till eller rätta nätverk")
    field(exp, "Namn").input("Energy Cities")
    next(s for s in exp.selectbox if s.label == "Slag").set_value("Nätverk")
    field(exp, "Land").input("INT")
    field(exp, "Källa").input("medlemsbrev 2026")
    submit(at, exp)
    assert SAVED in [s.value for s in at.success], [e.value for e in at.error]
    names = {r["name"] for r in stored(out, "networks").to_pylist()}
    assert "Energy Cities" in names and len(names) > 1  # added, none removed


def test_two_sessions_saving_the_same_strategy_the_later_is_refused(out: Path) -> None:
    """Both open the form on the same strategy; the first saves; the second's save is
    refused with the first one's row shown, and the first one's change stays."""
    first = session("kim@slagelse.dk", "goals")
    second = session("kim@slagelse.dk", "goals")
    for at in (first, second):
        exp = form_of(at, "Lägg till eller rätta strategier")
        box = next(s for s in exp.selectbox if s.label == "Rad")
        pick(at, exp, "Rad", box.options[1])
    exp = form_of(first, "Lägg till eller rätta strategier")
    field(exp, "Beslutad av").input("Byrådet § 1")
    submit(first, exp)
    assert SAVED in [s.value for s in first.success]
    exp = form_of(second, "Lägg till eller rätta strategier")
    field(exp, "Beslutad av").input("Byrådet § 2")
    submit(second, exp)
    assert SAVED not in [s.value for s in second.success]
    assert second.warning and "någon annan" in second.warning[0].value.lower()
    theirs = second.dataframe[-1].value
    assert "Byrådet § 1" in set(theirs.astype(str).stack())
    decided = {s["decided_by"] for s in stored(out, "strategies").to_pylist()}
    assert "Byrådet § 1" in decided and "Byrådet § 2" not in decided


def test_a_used_goal_cannot_be_deleted_and_a_shared_network_is_an_admins(out: Path) -> None:
    kim = Person("Kim", "kim@slagelse.dk", (Grant("slagelse", "coordinator"),), False)
    goals = editing.load(out, "slagelse", 0, "sv", "goals")
    from dashboard.model.problems import ImportFailed

    with pytest.raises(ImportFailed) as refused:
        editing.save(out, "slagelse", 0, "sv", goals, goals[1:], kim, part="goals")
    assert {p.key for p in refused.value.problems} == {"unknown_ref"}
    gus = Person("Gus", "gus@gotland.se", (Grant("gotland", "coordinator"),), False)
    nets = editing.load(out, "gotland", 0, "sv", "networks")
    users = editing.network_users(out)
    shared = next(r for r in nets if len(users.get(str(r["id"]), ())) > 1)
    edited = [dict(r, acronym="X") if r["id"] == shared["id"] else dict(r) for r in nets]
    with pytest.raises(editing.NotAllowed):
        editing.save(out, "gotland", 0, "sv", nets, edited, gus, part="networks")
    admin = Person("Ada", "ada@x.se", (Grant("*", "admin"),), True)
    editing.save(out, "gotland", 0, "sv", nets, edited, admin, part="networks")
    rows = {r["network_id"]: r for r in stored(out, "networks").to_pylist()}
    assert rows[shared["id"]]["acronym"] == "X" and len(rows) == len(nets)


ACTIVITY_FORM = "Lägg till, rätta eller ta bort aktiviteter"


def new_activity_form(year: int) -> tuple[AppTest, object]:
    """Kim's session on the Activities page, its form opened on a new activity of *year*."""
    at = session("kim@slagelse.dk", "activities")
    exp = form_of(at, ACTIVITY_FORM)
    next(w for w in exp.number_input if w.label == "År").set_value(year).run()
    pick(at, form_of(at, ACTIVITY_FORM), "Aktivitet", "__new__")
    return at, form_of(at, ACTIVITY_FORM)


def test_a_second_click_on_save_never_adds_the_new_activity_twice(out: Path) -> None:
    """After "Sparat." the new-activity form is a new, empty one: clicking Spara again adds
    nothing (the filled-in form it came from is gone)."""

    def count() -> int:
        acts = read_rows(out, "activities")
        return sum(1 for r in acts if (r["org_id"], r["year"]) == ("slagelse", 2012))

    before = count()
    at, exp = new_activity_form(2012)
    field(exp, "Titel").input("Studiebesök i Gdańsk")
    field(exp, "Källa").input("Kims anteckningar")
    submit(at, exp)
    assert SAVED in [s.value for s in at.success]
    assert count() == before + 1
    exp = form_of(at, "Lägg till, rätta eller ta bort aktiviteter")
    assert field(exp, "Titel").value == ""  # a new form, not the one just saved
    saves = len(history.entries(out))
    submit(at, exp)  # the same button again
    assert count() == before + 1 and len(history.entries(out)) == saves


def test_a_possible_duplicate_activity_is_saved_only_once_confirmed(out: Path) -> None:
    """A new activity with the title of another of the same organisation and year: a
    warning first; saved once the person confirms; the data-quality check then counts it."""
    from dashboard.model.filters import Filters
    from dashboard.sql.queries import params_for
    from dashboard.storage.engine import Database

    existing = editing.load(out, "slagelse", 2012, "sv")[0]["activity_title"]
    at, exp = new_activity_form(2012)
    field(exp, "Titel").input(existing)
    field(exp, "Källa").input("Kims anteckningar")
    saves = len(history.entries(out))
    submit(at, exp)
    assert any("kan vara en dubblett" in w.value for w in at.warning)
    assert len(history.entries(out)) == saves
    exp = form_of(at, "Lägg till, rätta eller ta bort aktiviteter")
    next(c for c in exp.checkbox if c.label.startswith("Jag har läst varningen")).check().run()
    exp = form_of(at, "Lägg till, rätta eller ta bort aktiviteter")
    submit(at, exp)
    assert SAVED in [s.value for s in at.success]
    assert len(history.entries(out)) == saves + 1
    found = Database(out).df(
        "data_duplicate_activities", params_for("data_duplicate_activities", Filters(("slagelse",)))
    )
    assert int(found.iloc[0]["items"]) == 1 and existing in str(found.iloc[0]["examples"])


def test_a_warning_quotes_a_title_from_the_data_as_text(out: Path) -> None:
    """The possible-duplicate warning quotes the other activity's title: a link or a
    picture in it is written as text, not drawn (the warning waits for its confirmation,
    kept as `safe.Markdown`, which only `View.md` makes)."""
    title = "[Körutbyte](https://example.org) ![x](https://example.org/x.png)"
    for attempt in range(2):
        at, exp = new_activity_form(2012)
        field(exp, "Titel").input(title)
        field(exp, "Källa").input("Kims anteckningar")
        submit(at, exp)
        if attempt == 0:
            assert SAVED in [s.value for s in at.success]
    warned = [w.value for w in at.warning if "kan vara en dubblett" in w.value]
    assert warned and title in as_read(warned[0]), [w.value for w in at.warning]
    assert "](" not in warned[0] and "https://" not in warned[0]


def test_an_activitys_network_and_project_are_chosen_in_the_form(out: Path) -> None:
    at = session("kim@slagelse.dk", "activities")
    exp = form_of(at, "Lägg till, rätta eller ta bort aktiviteter")
    next(w for w in exp.number_input if w.label == "År").set_value(2012).run()
    exp = form_of(at, "Lägg till, rätta eller ta bort aktiviteter")
    first = editing.load(out, "slagelse", 2012, "sv")[0]
    pick(at, exp, "Aktivitet", str(first[editing.ID]))
    exp = form_of(at, "Lägg till, rätta eller ta bort aktiviteter")
    project = next(s for s in exp.selectbox if s.label == "Projekt")
    chosen = next(o for o in project.options if o)
    project.set_value(chosen)
    submit(at, exp)
    assert SAVED in [s.value for s in at.success]
    now = next(
        r for r in editing.load(out, "slagelse", 2012, "sv") if r[editing.ID] == first[editing.ID]
    )
    assert now["project"] == chosen and now["network"] == first["network"]


def test_what_a_person_chose_in_a_form_is_saved_when_its_lists_changed_meanwhile(
    out: Path,
) -> None:
    """Kim chooses a project and a type for an activity; before Spara, someone else adds a
    project, so the form's list of projects is another when the button is pressed. What
    Kim chose is saved, every field of it: a field's choice is kept by the form's key, not
    by the list as it was drawn (unkeyed, the changed list made a new box holding the
    stored value, and Kim's choice was silently not saved)."""
    at = session("kim@slagelse.dk", "activities")
    exp = form_of(at, ACTIVITY_FORM)
    next(w for w in exp.number_input if w.label == "År").set_value(2012).run()
    first = editing.load(out, "slagelse", 2012, "sv")[0]
    pick(at, form_of(at, ACTIVITY_FORM), "Aktivitet", str(first[editing.ID]))
    exp = form_of(at, ACTIVITY_FORM)
    project = next(s for s in exp.selectbox if s.label == "Projekt")
    chosen = next(o for o in project.options if o and o != first["project"])
    project.set_value(chosen)
    kind = next(s for s in exp.selectbox if s.label == "Typ")
    kind_chosen = next(o for o in kind.options if o and o != first["activity_type"])
    kind.set_value(kind_chosen)
    field(exp, "Titel").input("Rättad av Kim")
    # meanwhile, another coordinator of Slagelse adds a project
    other = Person("Ola", "ola@slagelse.dk", (Grant("slagelse", "coordinator"),), False)
    base = editing.load(out, "slagelse", 0, "sv", "projects")
    added = {**base[0], "project_title": "Aaa nytt projekt", "acronym": None}
    added.pop(editing.ID, None)
    editing.save(out, "slagelse", 0, "sv", base, [*base, added], other, part="projects")
    submit(at, exp)
    assert SAVED in [s.value for s in at.success], [e.value for e in at.error]
    now = next(
        r for r in editing.load(out, "slagelse", 2012, "sv") if r[editing.ID] == first[editing.ID]
    )
    assert (now["activity_title"], now["project"], now["activity_type"]) == (
        "Rättad av Kim",
        chosen,
        kind_chosen,
    )


def test_a_drawn_form_gets_the_process_ready_to_save_and_no_form_does_not(out: Path) -> None:
    """A person who may edit sees a form, and the process opens its writer in the background
    (`editform.get_ready`), so their first save does not wait for it; a page with no form
    for the person opens none (a reader's process holds no writer)."""
    import time

    session("rut@slagelse.dk", "goals")  # a reporter: no strategy, goal or network form
    time.sleep(1.0)  # what a background start would have had, had there been one
    assert not writer_open(out)
    session("kim@slagelse.dk", "goals")
    deadline = time.monotonic() + 30
    while not writer_open(out) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert writer_open(out)
