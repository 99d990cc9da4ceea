"""The yearly round (issue #25): its steps decided under the lock, the locks the lake keeps
(a closed year, a part marked ready) on every path that writes (a form, an import, an
undo, a restore), and the Round page as a coordinator and a reporter meet it (AppTest)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import t
from dashboard.imports import editing, rounds, undo
from dashboard.imports.uploads import coordinator_workbook, import_upload
from dashboard.model.access import Grant, Person, Policy, Scope
from dashboard.model.problems import ImportFailed
from dashboard.model.rounds import INDICATORS, RoundRefused
from dashboard.storage import history
from tests.conftest import ROOT
from tests.helpers import AUTH, as_read, read_rows

ORG, YEAR = "gotland", 2010
KULTUR = "Kultur- och fritidsförvaltningen"
TEKNIK = "Tekniska förvaltningen"
ACCESS = f"""
read = "own"

[[grant]]
email = "ka@gotland.se"
org = "gotland"
role = "coordinator"

[[grant]]
email = "kurt@gotland.se"
org = "gotland"
role = "reporter"
department = "{KULTUR}"

[[grant]]
email = "tea@gotland.se"
org = "gotland"
role = "reporter"
department = "{TEKNIK}"

[[grant]]
email = "ivar@gotland.se"
org = "gotland"
role = "reporter"

[[grant]]
email = "kim@slagelse.dk"
org = "slagelse"
role = "coordinator"
"""


def person(email: str) -> Person:

    return Person(email.split("@")[0], email, _grants(email, load_policy()), False)


def _grants(email: str, policy: Policy) -> tuple[Grant, ...]:
    return tuple(g for g in policy.grants if g.email == email)


def load_policy() -> Policy:
    import tomllib

    data = tomllib.loads(ACCESS)
    return Policy(
        "own",
        tuple(
            Grant(g["org"], g["role"], g.get("department"), email=g["email"]) for g in data["grant"]
        ),
    )


COORD, KURT, TEA, IVAR, KIM = (
    person(e)
    for e in (
        "ka@gotland.se",
        "kurt@gotland.se",
        "tea@gotland.se",
        "ivar@gotland.se",
        "kim@slagelse.dk",
    )
)


@pytest.fixture
def out(tmp_path: Path, fresh_sample) -> Path:
    return fresh_sample(tmp_path / "data")


def opened(out: Path) -> Path:
    rounds.open_year(out, ORG, YEAR, date(2011, 2, 15), COORD, load_policy())
    return out


def parts(out: Path) -> dict[str, str]:
    return {
        r["part"]: r["state"]
        for r in read_rows(out, "round_parts")
        if r["org_id"] == ORG and r["year"] == YEAR
    }


def activity_rows(out: Path, dept: str) -> list[dict]:
    return [r for r in editing.load(out, ORG, YEAR, "sv") if r.get("department") == dept]


def retitle(out: Path, who: Person, dept: str, title: str) -> None:
    base = editing.load(out, ORG, YEAR, "sv")
    edited = [dict(r) for r in base]
    first = next(r for r in edited if r.get("department") == dept)
    first["activity_title"] = title
    editing.save(out, ORG, YEAR, "sv", base, edited, who, "rättning")


# ------------------------------------------------------------------ the steps


def test_opening_asks_every_department_of_the_access_file_and_the_activities(out: Path) -> None:
    opened(out)
    found = parts(out)
    assert set(found) >= {KULTUR, TEKNIK, INDICATORS}
    assert set(found.values()) == {"open"}
    last = history.entries(out)[-1]
    assert (last.action, last.who) == ("round", "ka <ka@gotland.se>")
    assert "2010 opened" in last.comment
    with pytest.raises(RoundRefused) as again:
        opened(out)
    assert again.value.key == "already_open"


def test_only_a_coordinator_opens_approves_returns_and_closes(out: Path) -> None:
    with pytest.raises(PermissionError):
        rounds.open_year(out, ORG, YEAR, date(2011, 2, 15), KURT, load_policy())
    with pytest.raises(PermissionError):  # a coordinator of another organisation
        rounds.open_year(out, ORG, YEAR, date(2011, 2, 15), KIM, load_policy())
    opened(out)
    rounds.mark_ready(out, ORG, YEAR, KULTUR, KURT)
    for step in (rounds.approve, rounds.close_year):
        with pytest.raises(PermissionError):
            if step is rounds.close_year:
                step(out, ORG, YEAR, KURT)
            else:
                step(out, ORG, YEAR, KULTUR, KURT)
    with pytest.raises(PermissionError):  # another department's reporter
        rounds.mark_ready(out, ORG, YEAR, KULTUR, TEA)
    with pytest.raises(PermissionError):  # a department's reporter does not report indicators
        rounds.mark_ready(out, ORG, YEAR, INDICATORS, TEA)
    rounds.mark_ready(out, ORG, YEAR, INDICATORS, IVAR)
    assert parts(out)[INDICATORS] == "ready"


def test_a_part_moves_ready_returned_ready_approved_and_each_step_is_recorded(out: Path) -> None:
    opened(out)
    rounds.mark_ready(out, ORG, YEAR, KULTUR, KURT)
    with pytest.raises(RoundRefused) as twice:  # already ready
        rounds.mark_ready(out, ORG, YEAR, KULTUR, KURT)
    assert twice.value.key == "move"
    with pytest.raises(RoundRefused) as silent:
        rounds.give_back(out, ORG, YEAR, KULTUR, COORD, "  ")
    assert silent.value.key == "comment_needed"
    rounds.give_back(out, ORG, YEAR, KULTUR, COORD, "Mål saknas för två aktiviteter")
    row = next(r for r in read_rows(out, "round_parts") if r["part"] == KULTUR)
    assert (row["state"], row["comment"]) == ("returned", "Mål saknas för två aktiviteter")
    rounds.mark_ready(out, ORG, YEAR, KULTUR, KURT)
    rounds.approve(out, ORG, YEAR, KULTUR, COORD)
    events = [
        (e["event"], e["who"], e["comment"])
        for e in read_rows(out, "round_events")
        if e["part"] == KULTUR
    ]
    assert [e[0] for e in events] == ["ready", "returned", "ready", "approved"]
    assert events[1] == ("returned", "ka <ka@gotland.se>", "Mål saknas för två aktiviteter")
    assert [e.action for e in history.entries(out)[-5:]] == ["round"] * 5
    # the coordinator approves a part nobody marked ready (indicators they entered)
    rounds.approve(out, ORG, YEAR, INDICATORS, COORD)
    with pytest.raises(RoundRefused):
        rounds.approve(out, ORG, YEAR, INDICATORS, COORD)


def test_a_step_of_the_round_is_not_undone(out: Path) -> None:
    opened(out)
    version = history.last_version(out)
    entry = history.entries(out)[-1]
    assert not undo.may_undo(COORD, entry)
    with pytest.raises(LookupError):
        undo.undo(out, version, COORD)


# ------------------------------------------------------------------ the locks


def test_a_ready_part_is_read_only_for_its_reporter_until_returned(out: Path) -> None:
    opened(out)
    rounds.mark_ready(out, ORG, YEAR, KULTUR, KURT)
    with pytest.raises(ImportFailed) as refused:
        retitle(out, KURT, KULTUR, "Ändrad efter klarmarkering")
    assert [p.key for p in refused.value.problems] == ["part_ready"]
    assert KULTUR in refused.value.problems[0].text("sv")
    retitle(out, TEA, TEKNIK, "Teknik rättar sin egen del")  # another part is open
    retitle(out, COORD, KULTUR, "Samordnaren rättar")  # whoever runs the round may
    rounds.give_back(out, ORG, YEAR, KULTUR, COORD, "Rätta titeln")
    retitle(out, KURT, KULTUR, "Rättad efter återsändning")
    titles = {r["title"] for r in read_rows(out, "activities") if r["year"] == YEAR}
    assert "Rättad efter återsändning" in titles


def assess(out: Path) -> None:
    """The coordinator assesses every goal of the year not yet assessed (the Evaluation
    page's form)."""
    goals, assessed, missing = rounds.goals_state(out, ORG, YEAR)
    assert goals > assessed
    base = editing.load(out, ORG, YEAR, "sv", "assessments")
    edited = [dict(r) for r in base] + [
        {"goal": code, "assessment_status": "Uppnått", "comment": "ok", "source": "test"}
        for code in missing.split(", ")
    ]
    editing.save(out, ORG, YEAR, "sv", base, edited, COORD, "bedömning", "assessments")
    assert rounds.goals_state(out, ORG, YEAR)[1] == goals


def _close(out: Path) -> None:
    """Every part approved and every goal assessed by the coordinator, then closed."""
    for part, state in parts(out).items():
        if state in ("open", "returned"):
            rounds.mark_ready(out, ORG, YEAR, part, COORD)
        rounds.approve(out, ORG, YEAR, part, COORD)
    assess(out)
    rounds.close_year(out, ORG, YEAR, COORD)


def test_closing_needs_every_part_approved_and_every_goal_assessed(out: Path) -> None:
    opened(out)
    with pytest.raises(RoundRefused) as refused:
        rounds.close_year(out, ORG, YEAR, COORD)
    assert refused.value.key == "parts_not_approved"
    for part in parts(out):
        rounds.mark_ready(out, ORG, YEAR, part, COORD)
        rounds.approve(out, ORG, YEAR, part, COORD)
    goals, assessed, missing = rounds.goals_state(out, ORG, YEAR)
    assert assessed < goals and missing  # the sample leaves goals of 2010 unassessed
    with pytest.raises(RoundRefused) as unassessed:
        rounds.close_year(out, ORG, YEAR, COORD)
    assert unassessed.value.key == "goals_not_assessed"
    assess(out)
    rounds.close_year(out, ORG, YEAR, COORD)


def test_a_closed_year_refuses_every_write_and_reopens_with_a_reason(out: Path) -> None:
    opened(out)
    _close(out)
    state = next(r for r in read_rows(out, "rounds") if r["year"] == YEAR)
    assert state["state"] == "closed" and state["closed_snapshot"] is not None
    before = read_rows(out, "activities")
    # the browser's form, by the coordinator
    with pytest.raises(ImportFailed) as form:
        retitle(out, COORD, KULTUR, "Efter stängning")
    assert {p.key for p in form.value.problems} == {"year_closed"}
    assert "2010" in form.value.problems[0].text("sv")
    # an import of the coordinator's workbook with a change of that year
    book = coordinator_workbook(out, Scope.only([ORG]), (ORG,), "sv")
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(book))
    ws = wb[next(n for n in wb.sheetnames if n.lower().startswith("aktivitet"))]
    head = [c.value for c in ws[1]]
    year_col, title_col = head.index("År") + 1, head.index("Aktivitet") + 1
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, year_col).value == YEAR:
            ws.cell(row, title_col).value = "Ändrad i Excel efter stängning"
            break
    changed = io.BytesIO()
    wb.save(changed)
    with pytest.raises(ImportFailed) as imported:
        import_upload("gotland.xlsx", changed.getvalue(), out, who="ka", orgs=(ORG,), person=COORD)
    assert "year_closed" in {p.key for p in imported.value.problems}
    # an undo of a change made before the closing, to rows of that year
    save = next(e for e in reversed(history.entries(out)) if e.action == "save")
    with pytest.raises(ImportFailed):
        undo.undo(out, save.version, COORD)
    assert read_rows(out, "activities") == before
    # another year of the same organisation stays open
    base = editing.load(out, ORG, 2012, "sv")
    edited = [dict(r) for r in base]
    edited[0]["activity_title"] = "2012 är öppet"
    editing.save(out, ORG, 2012, "sv", base, edited, COORD, "")
    # reopening needs a reason; then the year changes again
    with pytest.raises(RoundRefused):
        rounds.reopen_year(out, ORG, YEAR, COORD, "")
    with pytest.raises(PermissionError):
        rounds.reopen_year(out, ORG, YEAR, KURT, "vill ändra")
    rounds.reopen_year(out, ORG, YEAR, COORD, "Revisionen hittade ett fel")
    retitle(out, COORD, KULTUR, "Efter återöppning")
    reasons = [e["comment"] for e in read_rows(out, "round_events") if e["event"] == "reopened"]
    assert reasons == ["Revisionen hittade ett fel"]


# ------------------------------------------------------------------ the page


@pytest.fixture
def live(out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    access = tmp_path / "access.toml"
    access.write_text(ACCESS, encoding="utf-8")
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(out))
    monkeypatch.setenv("DASHBOARD_ACCESS_FILE", str(access))
    return out


def session(email: str, name: str = "") -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "email_verified": True, "name": name or email}
    at.query_params["lang"] = "sv"
    at.run()
    at.switch_page("dashboard/app/pages/round.py").run()
    assert not at.exception, at.exception
    return at


def open_on_page(at: AppTest) -> None:
    """The coordinator opens 2010 with the page's form, deadline 15 February 2011."""
    exp = next(e for e in at.expander if e.label == "Öppna ett år för rapportering")
    next(n for n in exp.number_input if n.label == "Rapportår").set_value(YEAR)
    next(d for d in exp.date_input if d.label == "Sista dag").set_value(date(2011, 2, 15))
    exp.button[0].click().run()


def texts(at: AppTest) -> str:
    return as_read(
        "\n".join(
            str(e.value)
            for kind in ("markdown", "caption", "info", "warning", "error", "success")
            for e in getattr(at, kind)
        )
    )


def test_the_page_opens_a_year_and_the_reporter_marks_ready_in_swedish(live: Path) -> None:
    at = session("ka@gotland.se")
    open_on_page(at)
    assert not at.exception, at.exception
    assert "2010 är öppnat för rapportering." in texts(at)
    assert any(h.value == "Läget för 2010" for h in at.header)
    # the reporter of one department sees their part only, and what it lacks
    rep = session("kurt@gotland.se")
    assert any(h.value == "Det här efterfrågas av dig för 2010" for h in rep.header)
    shown = texts(rep)
    assert KULTUR in as_read("\n".join(s.value for s in rep.subheader))
    assert TEKNIK not in as_read("\n".join(s.value for s in rep.subheader)) + shown
    assert not any(h.value == "Läget för 2010" for h in rep.header)  # no follow view
    where = "Rätta aktiviteterna på sidan Aktiviteter"
    assert where in texts(rep)  # while the part can be changed, where to change it
    next(b for b in rep.button if b.label == "Klarmarkera").click().run()
    assert not rep.exception, rep.exception
    assert "Klarmarkerad." in texts(rep)
    assert where not in texts(rep)  # and not once it is marked ready
    assert parts(live)[KULTUR] == "ready"
    # the coordinator returns it with a comment the reporter then reads
    at = session("ka@gotland.se")
    form = next(f for f in at.get("form") if any(b.label == "Godkänn" for b in f.button))
    form.text_area[0].input("Två aktiviteter saknar mål")
    next(b for b in form.button if b.label == "Skicka tillbaka med kommentar").click().run()
    assert not at.exception, at.exception
    rep = session("kurt@gotland.se")
    assert "Tillbakaskickad av samordnaren: Två aktiviteter saknar mål" in texts(rep)


def test_the_coordinator_s_round_page_names_every_part_and_state_in_words(live: Path) -> None:
    """The Round page as the coordinator reads it while parts are open, ready, returned and
    approved carries no catalogue key, id or stored code (the readable check of every page
    reads the sample, where no round is open): the approve-or-return choice once read
    "Tekniska förvaltningen (code.round_state.open)". It names a part's state as the follow
    view does, and returning a part not marked ready is refused in words."""
    from tests.test_readable_everywhere import dataset_ids, offences, stored_codes

    ids, stored = dataset_ids(live), stored_codes()

    def offending(at: AppTest) -> list:  # the sign-in line's e-mail holds "gotland"
        return [o for o in offences(at, ids, stored) if not o[2].startswith("Inloggad:")]

    def decide(at: AppTest):  # the approve-or-return form
        return next(f for f in at.get("form") if any(b.label == "Godkänn" for b in f.button))

    at = session("ka@gotland.se")
    open_on_page(at)
    assert not at.exception, at.exception
    assert offending(at) == []
    box = decide(at).selectbox[0]
    assert f"{TEKNIK} (Pågår)" in box.options, box.options  # its activities are entered
    box.set_value(TEKNIK)
    decide(at).text_area[0].input("Rätta målen")
    next(b for b in decide(at).button if b.label == "Skicka tillbaka med kommentar").click().run()
    assert not at.exception, at.exception
    assert "Det steget kan inte tas nu: delen är Inte klarmarkerad." in texts(at), texts(at)
    rounds.mark_ready(live, ORG, YEAR, KULTUR, KURT)
    rounds.mark_ready(live, ORG, YEAR, TEKNIK, TEA)
    rounds.give_back(live, ORG, YEAR, TEKNIK, COORD, "Rätta målen")
    rounds.approve(live, ORG, YEAR, INDICATORS, COORD)
    at = session("ka@gotland.se")
    assert offending(at) == []
    assert set(decide(at).selectbox[0].options) >= {
        f"{KULTUR} (Klarmarkerad)",
        f"{TEKNIK} (Tillbakaskickad)",
    }, decide(at).selectbox[0].options


def test_a_step_of_the_round_reads_on_the_history_page_in_words(live: Path) -> None:
    """The History page after a round's step: the change lists the round's tables by their
    names and shows its rows (it failed with KeyError 'round_events', the round's tables
    missing from the read of a version's rows, and named them 'round_parts')."""
    at = session("ka@gotland.se")
    open_on_page(at)
    at.switch_page("dashboard/app/pages/history.py").run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    newest = at.dataframe[0].value.iloc[0]
    assert "Uppföljningens delar" in newest["Tabeller"], newest["Tabeller"]
    assert "round_" not in newest["Tabeller"], newest["Tabeller"]
    shown = [str(e.value) for kind in ("markdown", "subheader", "header") for e in at.get(kind)]
    assert any("Uppföljningens steg" in s for s in shown), shown  # the rows' heading
    assert not any("round_events" in s for s in shown), shown


def test_the_round_and_history_pages_name_who_took_each_step(live: Path) -> None:
    """Names, not addresses: the record keeps "Karin Samordnare <ka@gotland.se>" (the
    address identifies her), the Round page's steps and rounds, the History page's changes
    and its choice of person show "Karin Samordnare" and no address."""
    at = session("ka@gotland.se", "Karin Samordnare")
    open_on_page(at)
    rounds.mark_ready(live, ORG, YEAR, KULTUR, KURT)
    assert history.entries(live)[-2].who == "Karin Samordnare <ka@gotland.se>"
    at = session("ka@gotland.se", "Karin Samordnare")
    cells = [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel()]
    assert "Karin Samordnare" in cells and "kurt" in cells, cells
    assert not [c for c in cells if "@" in c], cells
    at.switch_page("dashboard/app/pages/history.py").run()
    assert not at.exception, at.exception
    changes = at.dataframe[0].value
    assert list(changes["Vem"][:2]) == ["kurt", "Karin Samordnare"], changes
    assert not [c for c in changes["Vem"] if "@" in str(c)], changes
    who = next(s for s in at.selectbox if s.label == "Vem")
    assert "Karin Samordnare" in who.options and not [o for o in who.options if "@" in o]
    who.set_value("Karin Samordnare").run()
    assert set(at.dataframe[0].value["Vem"]) == {"Karin Samordnare"}


def test_a_step_another_session_took_first_is_refused_in_the_reader_s_words(
    live: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kurt presses Klarmarkera while, on another machine, the part is marked ready and
    approved between his page's read and his step (the race the step's check is for): the
    press is refused, naming the part's state as the reader says it, never its code."""
    from dashboard.app import changes

    opened(live)
    stale = session("kurt@gotland.se")
    real = changes.round_step

    def after_the_others(*args: object, **more: object) -> None:
        rounds.mark_ready(live, ORG, YEAR, KULTUR, KURT)
        rounds.approve(live, ORG, YEAR, KULTUR, COORD)
        real(*args, **more)  # type: ignore[arg-type]

    monkeypatch.setattr(changes, "round_step", after_the_others)
    next(b for b in stale.button if b.label == "Klarmarkera").click().run()
    assert not stale.exception, stale.exception
    shown = texts(stale)
    assert "Det steget kan inte tas nu: delen är Godkänd." in shown, shown
    assert "approved" not in shown and "ready" not in shown
    assert parts(live)[KULTUR] == "approved"
    # the page is drawn again from what is stored now: the part's state, no Klarmarkera
    assert "Läge: **Godkänd**" in shown, shown
    assert not any(b.label == "Klarmarkera" for b in stale.button)


def test_the_part_chosen_to_approve_stays_chosen_when_another_becomes_ready_meanwhile(
    live: Path,
) -> None:
    """The coordinator chooses a part in the approve-or-return form; before they press
    Godkänn, a reporter elsewhere marks another part ready, which moves it to the top of the
    list. The part they chose is the one approved: the choice is kept by the form's key,
    not by the list as it was drawn (it once fell back to the list's first part)."""
    opened(live)
    at = session("ka@gotland.se")
    form = next(f for f in at.get("form") if any(b.label == "Godkänn" for b in f.button))
    box = form.selectbox[0]
    listed = list(box.options)
    assert len(listed) >= 3, listed
    drafts = [p for p in parts(live) if parts(live)[p] != "ready"]
    assert len(drafts) >= 3, drafts
    chosen, other = drafts[1], drafts[-1]
    box.set_value(chosen)
    who = TEA if other == TEKNIK else KURT if other == KULTUR else COORD
    rounds.mark_ready(live, ORG, YEAR, other, who)  # on another machine, meanwhile
    next(b for b in form.button if b.label == "Godkänn").click().run()
    assert not at.exception, at.exception
    now = parts(live)
    assert now[chosen] == "approved", (chosen, now)
    assert now[other] == "ready", now


def test_a_year_another_machine_opened_first_is_refused_above_the_page_drawn_again(
    live: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same for a refusal about the round itself (not a part's state): the coordinator
    opens 2010 while another machine has just opened it; the page says so and is drawn
    from what is stored, the year now followed."""
    from dashboard.app import changes

    at = session("ka@gotland.se")
    real = changes.round_step

    def after_the_other(*args: object, **more: object) -> None:
        opened(live)
        real(*args, **more)  # type: ignore[arg-type]

    monkeypatch.setattr(changes, "round_step", after_the_other)
    open_on_page(at)
    assert not at.exception, at.exception
    assert "2010 är redan öppnat för den här organisationen." in texts(at)
    assert any(h.value == "Läget för 2010" for h in at.header)


def test_another_organisations_coordinator_sees_no_round_of_gotland(live: Path) -> None:
    opened(live)
    at = session("kim@slagelse.dk")
    assert "Inget år har öppnats för rapportering ännu." in texts(at)
    assert "Gotland" not in texts(at)


# ------------------------------------------------------------------ the reminders


class Inbox:
    """What a real SMTP server (aiosmtpd, on a free local port) received."""

    def __init__(self) -> None:
        self.mails: list = []

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd calls it so
        from email import message_from_bytes
        from email.policy import default

        self.mails.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch):
    from aiosmtpd.controller import Controller

    from deploy.local import free_port

    inbox = Inbox()
    port = free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    monkeypatch.setenv("DASHBOARD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DASHBOARD_SMTP_PORT", str(port))
    monkeypatch.setenv("DASHBOARD_MAIL_FROM", "malbild@gotland.se")
    try:
        yield inbox
    finally:
        server.stop()


def remind(live: Path, today: str) -> int:
    from dashboard.cli.commands import main

    return main(["remind", "--data", str(live), "--today", today, "--url", "https://m.example"])


def by_to(inbox: Inbox) -> dict[str, object]:
    return {str(m["To"]): m for m in inbox.mails}


def test_the_weekly_reminders_reach_each_reporter_and_the_coordinator(
    live: Path, smtp: Inbox
) -> None:
    opened(live)
    rounds.mark_ready(live, ORG, YEAR, INDICATORS, IVAR)
    rounds.give_back(live, ORG, YEAR, INDICATORS, COORD, "Utfallet för 2010 saknas")
    rounds.mark_ready(live, ORG, YEAR, TEKNIK, TEA)
    assert remind(live, "2011-02-01") == 0
    mails = by_to(smtp)
    # Tea's part is ready: nothing asked of her; Kim runs another organisation's round
    assert set(mails) == {"ka@gotland.se", "kurt@gotland.se", "ivar@gotland.se"}
    kurt = mails["kurt@gotland.se"]
    body = kurt.get_content()
    assert kurt["Subject"] == (
        "Målbild: årsuppföljningen 2010 för Gotlands kommun, sista dag 15 feb. 2011"
    )
    assert kurt["From"] == "malbild@gotland.se"
    assert KULTUR in body and TEKNIK not in body
    assert "https://m.example/round?org=gotland&round=2010&lang=sv" in body
    assert "har passerat" not in body  # before the deadline
    ivar = mails["ivar@gotland.se"].get_content()
    assert "Tillbakaskickad av samordnaren: Utfallet för 2010 saknas" in ivar
    coordinator = mails["ka@gotland.se"]
    assert coordinator["Subject"] == "Målbild: läget i årsuppföljningen 2010 för Gotlands kommun"
    text = coordinator.get_content()
    assert f"{TEKNIK}: Klarmarkerad" in text
    assert "Delar som väntar på ditt godkännande: 1" in text
    # after the deadline, a reporter is told so; a closed round reminds nobody
    smtp.mails.clear()
    assert remind(live, "2011-03-01") == 0
    assert "Sista dagen 15 feb. 2011 har passerat." in by_to(smtp)["kurt@gotland.se"].get_content()
    assert "Försenade:" in by_to(smtp)["ka@gotland.se"].get_content()
    smtp.mails.clear()
    _close(live)
    assert remind(live, "2011-03-08") == 0
    assert smtp.mails == []


def test_reminders_without_an_smtp_server_say_so(live: Path, capsys) -> None:
    opened(live)
    assert remind(live, "2011-02-01") == 2
    assert "DASHBOARD_SMTP_HOST" in capsys.readouterr().err


class RefusesSecond(Inbox):
    """A real SMTP server that takes one mail, then refuses the rest (a full mailbox)."""

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.mails:
            return "552 Requested mail action aborted: exceeded storage allocation"
        return await super().handle_DATA(server, session, envelope)


def test_a_mail_server_that_is_down_or_refuses_is_said_with_what_was_sent(
    live: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No traceback: the server and its answer, and how many of the reminders went before
    it; with nothing due the server is not called at all; a day that is none is refused."""
    from aiosmtpd.controller import Controller

    from dashboard.cli.commands import main
    from deploy.local import free_port

    closed = free_port()  # nothing listens there
    monkeypatch.setenv("DASHBOARD_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("DASHBOARD_SMTP_PORT", str(closed))
    assert remind(live, "2011-02-01") == 0  # no year is open: nothing due, no connection
    assert "0 reminder(s): nothing is due" in capsys.readouterr().out
    opened(live)
    assert remind(live, "2011-02-01") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: the mail server 127.0.0.1:{closed} did not take the reminders")
    assert err.rstrip().endswith("0 of 4 were sent before it") and "Traceback" not in err
    inbox, port = RefusesSecond(), free_port()
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        monkeypatch.setenv("DASHBOARD_SMTP_PORT", str(port))
        assert remind(live, "2011-02-01") == 2
    finally:
        server.stop()
    err = capsys.readouterr().err
    assert "exceeded storage allocation" in err and "1 of 4 were sent before it" in err
    assert len(inbox.mails) == 1
    with pytest.raises(SystemExit) as usage:
        main(["remind", "--data", str(live), "--today", "1 feb 2011"])
    assert usage.value.code == 2
    assert "'1 feb 2011' is no day written YYYY-MM-DD" in capsys.readouterr().err


def test_the_page_shows_the_dashboard_as_it_was_at_closing(live: Path) -> None:
    opened(live)
    _close(live)
    closed = next(r for r in read_rows(live, "rounds") if r["year"] == YEAR)["closed_snapshot"]
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "kurt@gotland.se", "email_verified": True}
    at.query_params["lang"] = "sv"
    at.query_params["round"] = str(YEAR)
    at.run()
    at.switch_page("dashboard/app/pages/round.py").run()
    assert "Gotlands kommun har stängt 2010" in texts(at)
    assert not [b for b in at.button if b.label == "Klarmarkera"]  # nothing left to report
    next(
        b for b in at.button if b.label == "Visa instrumentpanelen som den var vid stängningen"
    ).click().run()
    assert not at.exception, at.exception
    assert at.session_state["_as_of_version"] == closed


def test_a_step_other_writes_keep_coming_before_is_said_busy_in_the_reader_s_words(
    live: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write of any page (here the Round page's Klarmarkera) that other machines' commits
    kept coming before at every attempt says so in Swedish ("Försök igen"), once, above
    the page drawn again, not as the page's general failure; nothing is written."""
    from dashboard.app import changes
    from dashboard.storage import CommitConflict

    opened(live)
    at = session("kurt@gotland.se")

    def busy(*args: object, **more: object) -> None:
        raise CommitConflict("snapshot 12 came after 11")

    monkeypatch.setattr(changes, "round_step", busy)
    next(b for b in at.button if b.label == "Klarmarkera").click().run()
    assert not at.exception, at.exception
    shown = texts(at)
    assert "Andra ändringar sparades i samma stund, så inget sparades. Försök igen." in shown, shown
    assert t("error.page", "sv") not in shown
    # above the page drawn again (not under the part the person acted on), and once
    said = [w.value for w in at.warning]
    assert said.count(t("edit.busy_step", "sv")) == 1, said
    tree = [v if isinstance(v := getattr(n, "value", None), str) else None for n in at.main]
    assert tree.index(t("edit.busy_step", "sv")) < tree.index(at.title[0].value), tree[:8]
    assert parts(live)[KULTUR] != "ready"


def test_a_comment_and_a_departments_name_are_shown_as_text_not_markup(live: Path) -> None:
    """The coordinator's comment on a returned part, and the part's and organisation's names,
    reach the reporter as the characters typed: a link, a picture or a colour in them is
    written out (`view.md`), never drawn (it once drew them: a picture from another host
    loaded in the reporter's browser)."""
    comment = "[Logga in](https://example.invalid/a) ![x](https://example.invalid/i.png) :red[x]"
    opened(live)
    rounds.mark_ready(live, ORG, YEAR, KULTUR, KURT)
    rounds.give_back(live, ORG, YEAR, KULTUR, COORD, comment)
    rep = session("kurt@gotland.se")
    said = [w.value for w in rep.warning if "Tillbakaskickad" in str(w.value)]
    assert len(said) == 1, [w.value for w in rep.warning]
    assert comment in as_read(said[0])
    assert "](https" not in said[0] and "![x]" not in said[0] and ":red[" not in said[0]
    assert all("\\-" in s.value for s in rep.subheader if "Kultur" in s.value)
