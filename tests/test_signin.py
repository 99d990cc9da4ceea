"""Sign-in and roles in a real browser against a real OpenID Connect provider.

`oidc-provider-mock` runs an OIDC provider in a thread on a free local port; each user's
claims are set over its HTTP API (PUT /users/SUB). Streamlit signs in through it with
`st.login` (Authlib), configured by a secrets file written for the test
(`--secrets.files`), and the access file gives the roles. Read is restricted to the users'
own organisations ("own"), so a user of Gävle must see nothing of Gotland, also through a
crafted link and the downloads; a coordinator of Gotland restores an earlier version on the
History page, and the history records it under their address.
"""

from __future__ import annotations

import contextlib
import json
import re
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dashboard.imports.ingest import ingest
from dashboard.storage import history
from dashboard.storage.publishing import Change
from tests.conftest import SAMPLE_SOURCE
from tests.helpers import stored
from tests.test_browser import (
    FIRST_LOAD_MS,
    STEP_MS,
    VIEWPORT,
    Server,
    _free_port,
    load,
    open_app,
    press,
    run_server,
    settle,
    type_in,
    wait_idle,
)
from tests.test_history import edited_sample

pytestmark = pytest.mark.browser

USERS = {
    "anna": {"email": "anna@gavle.se", "email_verified": True, "name": "Anna Gävle"},
    "gustav": {"email": "gustav@gotland.se", "name": "Gustav Gotland"},
    "nils": {"email": "nils@example.org", "email_verified": True, "name": "Nils Nobody"},
    "vera": {"email": "vera@gotland.se", "email_verified": True, "name": "Vera Viewer"},
    # someone who typed Anna's address into an account the provider has not verified
    "mallory": {"email": "anna@gavle.se", "email_verified": False, "name": "Mallory"},
}
ACCESS = """
read = "own"

[[grant]]
email = "anna@gavle.se"
org = "gavle"
role = "reporter"

[[grant]]
email = "vera@gotland.se"
org = "gotland"
role = "viewer"

[[grant]]
claim = "groups"
value = "gotland-international"
org = "gotland"
role = "coordinator"
"""


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=0) as srv:
        url = f"http://localhost:{srv.server_port}"
        for sub, claims in USERS.items():
            extra = {"groups": ["gotland-international"]} if sub == "gustav" else {}
            body = json.dumps({**claims, **extra}).encode()
            req = urllib.request.Request(
                f"{url}/users/{sub}", data=body, method="PUT",
                headers={"Content-Type": "application/json"},
            )  # fmt: skip
            with urllib.request.urlopen(req, timeout=5) as r:
                assert r.status == 204
        yield url


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample, then an edit of one Gotland activity: two versions in the history."""
    root = tmp_path_factory.mktemp("signin")
    out = root / "data"
    ingest(SAMPLE_SOURCE, out, change=Change("import", "import", person=None))
    ingest(edited_sample(root), out, change=Change("Bo", "import", "rättad titel", person=None))
    return out


@pytest.fixture(scope="module")
def app(provider: str, dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    root = tmp_path_factory.mktemp("signin-app")
    port = _free_port()
    secrets = root / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-long-random-secret-for-the-test-only"\n'
        'client_id = "malbild"\n'
        'client_secret = "malbild-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    access = root / "access.toml"
    access.write_text(ACCESS, encoding="utf-8")
    with run_server(
        dataset,
        root / "server.log",
        port=port,
        args=("--secrets.files", str(secrets)),
        DASHBOARD_ACCESS_FILE=str(access),
    ) as srv:
        yield srv


# each person's browser, signed in once and kept for the module's later tests (closed at
# the module's end: `conftest._close_signed_in`): the sign-in through the provider is
# tested at each person's first test, and a later test opens its page in the same browser
# (a new run of the app, the session's cookie)
SIGNED_IN: dict[str, Any] = {}


@contextlib.contextmanager
def signed_in(browser, app: Server, sub: str, expect, path: str = "") -> Iterator:
    """*sub*'s page at *path* in Swedish: signed in through the provider the first time,
    then the same browser opening the link again (checked to be still signed in)."""
    url = f"{app.url}/{path}{'&' if '?' in path else '?'}lang=sv"  # *path* may hold a query
    ctx = SIGNED_IN.get(sub)
    if ctx is not None:
        page = ctx.pages[0]
        load(page, url)
        expect(page.get_by_test_id("stSidebar")).to_contain_text("Inloggad:")
        yield page
        return
    # a Swedish browser: after the provider sends the user back, the app opens in Swedish
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True, locale="sv-SE")
    page = ctx.new_page()
    try:
        page.goto(url, timeout=FIRST_LOAD_MS)
        expect(page.get_by_role("heading", name="Logga in på Målbild")).to_be_visible(
            timeout=FIRST_LOAD_MS
        )
        page.get_by_role("button", name="Logga in").click()
        page.locator("input[name=sub]").fill(sub)  # the provider's own sign-in form
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(re.compile(re.escape(app.url)), timeout=STEP_MS)
        if path:
            # the provider sends the user back to the start page, whose response set the
            # session's cookie: the page wanted (*path*, with its query) is opened at once,
            # not after the start page's charts are drawn (Chromium's work for nothing)
            load(page, url)
        else:
            page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
                timeout=FIRST_LOAD_MS
            )
    except BaseException:
        ctx.close()
        raise
    SIGNED_IN[sub] = ctx
    yield page


def choose(page, box, typed: str, waits: tuple[int, ...] = (2_000, 4_000, 8_000, 15_000)) -> None:
    """Open a select box, type the choice's words and take it. A rerun may replace the box
    while it is clicked (Streamlit redraws after every change), so it is tried again on a
    fresh element, each time waiting longer (*waits*, ms): a list that opens opens within
    moments, and a click that missed is retried at once rather than after 10 s."""
    for attempt, wait in enumerate(waits):
        try:
            settle(page)
            box.click(timeout=wait)
            page.get_by_role("option").first.wait_for(timeout=wait)
            page.keyboard.type(typed)
            option = page.get_by_role("option", name=re.compile(re.escape(typed))).first
            option.click(timeout=wait)
            # taken only when the box shows it (a click on a list being redrawn may miss): a
            # select box as its input's value, a multiselect as a chip
            page.wait_for_function(
                """([el, typed]) => el.value.includes(typed) || (el.closest(
                    '[data-testid="stMultiSelect"]') || el).textContent.includes(typed)""",
                arg=[box.element_handle(timeout=wait), typed],
                timeout=wait,
            )
            # and the run the choice started has ended: until it has, the form drawn for the
            # previous choice stands beside the new one (seen once in CI: two "Titel" fields,
            # a strict-mode failure, right after picking an activity)
            page.wait_for_timeout(300)
            wait_idle(page)
            return
        except Exception:
            if attempt == len(waits) - 1:
                raise
            page.keyboard.press("Escape")


def main_text(page) -> str:
    return page.get_by_test_id("stMain").inner_text()


def test_nobody_reads_anything_before_signing_in(browser, app: Server, expect) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    try:
        page.goto(f"{app.url}/activities?lang=sv&org=gotland", timeout=FIRST_LOAD_MS)
        expect(page.get_by_role("button", name="Logga in")).to_be_visible(timeout=FIRST_LOAD_MS)
        text = page.locator("body").inner_text()
        assert "Gotlands kommun" not in text and "Hansedagar" not in text
    finally:
        page.close()


def test_a_gavle_reporter_sees_nothing_of_gotland(browser, app: Server, expect) -> None:
    with signed_in(browser, app, "anna", expect) as page:
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_contain_text("Inloggad: Anna Gävle · rapportör (Gävle kommun)")
        expect(page.get_by_test_id("stMain").get_by_role("heading", level=1)).to_have_text(
            "Översikt"
        )
        # the organisation filter offers Gävle only
        sidebar.get_by_role("combobox", name="Organisation", exact=True).click()
        options = [o.inner_text() for o in page.get_by_role("option").all()]
        page.keyboard.press("Escape")
        assert options == ["Alla organisationer", "Gävle kommun"]
        # every page, and a crafted link to Gotland
        for query in ("lang=sv", "lang=sv&org=gotland&year=2009"):
            for path in (
                "",
                "goals",
                "activities",
                "networks",
                "projects",
                "evaluation",
                "history",
            ):
                open_app(page, f"{app.url}/{path}?{query}")
                text = main_text(page)
                for other in ("Gotlands kommun", "Slagelse", "Hansedagar", "Västmanland"):
                    assert other not in text, (path, query, other)
        # the download of the whole selection
        open_app(page, f"{app.url}/activities?lang=sv&org=gotland")
        with page.expect_download(timeout=STEP_MS) as info:
            page.get_by_test_id("stDownloadButton").first.get_by_role("button").click()
        rows = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()
        assert len(rows) > 1 and all(r.startswith("Gävle kommun;") for r in rows[1:])
        # named by what it holds: Gävle's (not "alla", every organisation's, to a manager)
        assert info.value.suggested_filename.startswith("aktiviteter_gavle_")
        # a reporter restores nothing
        open_app(page, f"{app.url}/history?lang=sv")
        expect(page.get_by_role("button", name=re.compile("^Återställ"))).to_have_count(0)


def test_a_user_without_a_grant_reads_nothing(browser, app: Server, expect) -> None:
    with signed_in(browser, app, "nils", expect) as page:
        expect(page.get_by_text("ingen behörighet till någon organisation")).to_be_visible()
        assert "Gotlands kommun" not in page.locator("body").inner_text()


def test_an_unverified_address_gets_no_grant(browser, app: Server, expect) -> None:
    """Anna's address on an account whose provider says it is not verified reads nothing."""
    with signed_in(browser, app, "mallory", expect) as page:
        expect(page.get_by_text("ingen behörighet till någon organisation")).to_be_visible()
        assert "Gävle kommun" not in page.locator("body").inner_text()


def test_a_gotland_coordinator_undoes_a_change_and_cannot_restore_a_version(
    browser, app: Server, dataset: Path, expect
) -> None:
    with signed_in(browser, app, "gustav", expect, "history") as page:
        expect(page.get_by_test_id("stSidebar")).to_contain_text("samordnare (Gotlands kommun)")
        main = page.get_by_test_id("stMain")
        choose(page, main.get_by_role("combobox", name="Visa vad en version ändrade"), "2")
        wait_idle(page)
        expect(main.get_by_role("button", name=re.compile("^Återställ"))).to_have_count(0)
        type_in(page, main.get_by_label("Varför (syns i historiken)"), "ångrar rättelsen")
        press(page, main.get_by_role("button", name="Ångra ändringen i version 2"))
        expect(main.get_by_text("Ändringen i version 2 är ångrad som version 3.")).to_be_visible()
    last = history.entries(dataset)[-1]
    assert (last.version, last.action, last.who) == (
        3,
        "undo",
        "Gustav Gotland <gustav@gotland.se>",
    )
    assert (last.comment, last.undoes, last.orgs) == ("ångrar rättelsen", 2, ("gotland",))


def test_a_reporter_corrects_an_activitys_goals_and_sees_it_in_the_history(
    browser, app: Server, dataset: Path, expect
) -> None:
    """The action plan's "(1,4)" in the browser: Anna, reporter of Gävle, adds goal 3 to the
    pupil exchange of 2012 in the edit form; the save goes through the import's checks and
    shows on the pages and in the History, under her address."""
    from dashboard.imports import editing

    with signed_in(browser, app, "anna", expect, "activities?org=gavle&year=2012") as page:
        main = page.get_by_test_id("stMain")
        main.get_by_text("Lägg till, rätta eller ta bort aktiviteter").click()
        choose(page, main.get_by_role("combobox", name="Aktivitet", exact=True), "Elevutbyte")
        wait_idle(page)
        form = main.get_by_test_id("stForm")
        choose(page, form.get_by_role("combobox", name="Mål", exact=True), "Omvärldsbevakning")
        page.keyboard.press("Escape")
        expect(form.get_by_text("3. Omvärldsbevakning")).to_be_visible()
        type_in(page, form.get_by_label("Kommentar (syns i historiken)"), "mål 3 saknades")
        press(page, form.get_by_role("button", name="Spara"))
        expect(main.get_by_text("Sparat.")).to_be_visible()
        # the goal matrix now marks goal 3 for the exchange (its download: the table as shown)
        open_app(page, f"{app.url}/goals?lang=sv&org=gavle&year=2012")
        with page.expect_download(timeout=STEP_MS) as info:
            page.get_by_test_id("stMain").get_by_test_id("stDownloadButton").first.get_by_role(
                "button"
            ).click()
        lines = Path(info.value.path()).read_text(encoding="utf-8-sig").splitlines()
        header = lines[0].split(";")
        exchange = next((r.split(";") for r in lines[1:] if "Elevutbyte" in r), None)
        # which file came and what it held, should the row be missing (seen once under load)
        assert exchange is not None, (info.value.suggested_filename, lines[:4])
        served = {
            h.split(".")[0].strip() for h, v in zip(header, exchange, strict=False) if v == "1"
        }
        assert {"1", "3"} <= served, (header, exchange)
        open_app(page, f"{app.url}/history?lang=sv")
        expect(page.get_by_test_id("stMain")).to_contain_text("Version")
    row = next(r for r in editing.load(dataset, "gavle", 2012, "sv") if "Elevutbyte" in str(
        r["activity_title"]))  # fmt: skip
    assert row["goals"] == "1, 3"
    last = [e for e in history.entries(dataset) if e.action == "save"][-1]
    assert (last.who, last.comment, last.orgs) == (
        "Anna Gävle <anna@gavle.se>",
        "mål 3 saknades",
        ("gavle",),
    )


def test_a_coordinator_enters_an_actual_and_an_assessment(
    browser, app: Server, dataset: Path, expect
) -> None:
    """Gustav, coordinator of Gotland, enters 2013's actual of an indicator and writes the
    assessment of goal 1 on the Annual evaluation page; both are saved as his."""
    from dashboard.imports import editing

    with signed_in(browser, app, "gustav", expect, "evaluation?org=gotland&year=2013") as page:
        main = page.get_by_test_id("stMain")
        main.get_by_text("Rätta indikatorvärden och bedömningar för 2013").click()
        forms = main.get_by_test_id("stForm")
        actual = forms.nth(0).get_by_label(
            "Internationella möten och konferenser på Gotland: Utfall"
        )
        type_in(page, actual, "23")
        press(page, forms.nth(0).get_by_role("button", name="Spara"))
        expect(main.get_by_text("Sparat.")).to_be_visible()
        wait_idle(page)
        forms = main.get_by_test_id("stForm")
        choose(page, forms.nth(1).get_by_role("combobox", name="Mål 1", exact=True), "I fas")
        comment = forms.nth(1).get_by_label("Kommentar 1", exact=True)
        type_in(page, comment, "Fler möten än målet.")
        expect(comment).to_have_value("Fler möten än målet.")
        press(page, forms.nth(1).get_by_role("button", name="Spara"))
        wait_idle(page)
        expect(main.get_by_text("Sparat.")).to_be_visible()
        # the first save's "Sparat." may still be the one on screen: wait for the second
        # save itself, in the dataset, before reading it below
        deadline = time.monotonic() + STEP_MS / 1000
        while not editing.load(dataset, "gotland", 2013, "sv", "assessments"):
            assert time.monotonic() < deadline, main.inner_text()[:2000]
            page.wait_for_timeout(250)
        expect(main.get_by_text("Inget sparades")).to_have_count(0)
    values = editing.load(dataset, "gotland", 2013, "sv", "indicator_values")
    assert [v["actual"] for v in values] == [23]
    verdicts = editing.load(dataset, "gotland", 2013, "sv", "assessments")
    assert [(v["goal"], v["assessment_status"], v["comment"]) for v in verdicts] == [
        ("1", "I fas", "Fler möten än målet.")
    ]
    saves = [e for e in history.entries(dataset) if e.action == "save"][-2:]
    assert [e.who for e in saves] == ["Gustav Gotland <gustav@gotland.se>"] * 2


def test_a_coordinator_closes_a_project_in_the_projects_form(
    browser, app: Server, dataset: Path, expect
) -> None:

    with signed_in(browser, app, "gustav", expect, "projects") as page:
        main = page.get_by_test_id("stMain")
        main.get_by_text("Lägg till, rätta eller ta bort projekt").click()
        choose(page, main.get_by_role("combobox", name="Rad", exact=True), "TRANSPLAN")
        wait_idle(page)
        form = main.get_by_test_id("stForm")
        # the run after picking a row still reads Gotland only (a rerun once forgot the limit)
        text = main_text(page)
        for other in ("Slagelse", "Gävle", "Västmanland", "alvsbyn", "gavle", "vkl"):
            assert other not in text, other
        choose(page, form.get_by_role("combobox", name="Status", exact=True), "Avslutat")
        press(page, form.get_by_role("button", name="Spara"))
        wait_idle(page)
        expect(main.get_by_text("Sparat.")).to_be_visible()
    rows = stored(dataset, "projects").to_pylist()
    assert next(r for r in rows if r["acronym"] == "TRANSPLAN")["status"] == "closed"
    last = history.entries(dataset)[-1]
    assert (last.action, last.who, list(last.tables)) == (
        "save",
        "Gustav Gotland <gustav@gotland.se>",
        ["projects"],
    )


def test_a_viewer_finds_no_way_to_edit(browser, app: Server, expect) -> None:
    """Vera reads Gotland; no page offers her a form, a save or a restore."""
    with signed_in(browser, app, "vera", expect) as page:
        expect(page.get_by_test_id("stSidebar")).to_contain_text("läsare (Gotlands kommun)")
        for path in ("goals", "activities", "networks", "projects", "evaluation", "history"):
            open_app(page, f"{app.url}/{path}?lang=sv&org=gotland&year=2009")
            main = page.get_by_test_id("stMain")
            expect(main.get_by_test_id("stForm")).to_have_count(0)
            expect(main.get_by_text(re.compile("^(Lägg till|Rätta) "))).to_have_count(0)
            expect(main.get_by_role("button", name=re.compile("^(Spara|Återställ)"))).to_have_count(
                0
            )


def test_a_coordinator_imports_their_own_workbook_and_not_another_organisations(
    browser, app: Server, dataset: Path, expect, tmp_path: Path
) -> None:
    """Gustav, coordinator of Gotland, uploads Gotland's workbook on the Data page: he
    sees what it replaces, confirms, and the import is his change; a workbook with one row
    that names Gävle is refused before any button (the page's own rule, refusing rows of
    an organisation he does not coordinate, is tested in test_upload_scope.py)."""
    from dashboard.imports import workbook
    from dashboard.model import sheets
    from dashboard.model.access import Scope
    from dashboard.outputs.workbook import sheets_bytes

    rows = workbook.dataset_rows(dataset, Scope.everything(), ["gotland"])
    sheet = [r for r in sheets.sheet_rows(rows, "sv")["activities"] if r["year"] == 2009]
    sheet[1]["activity_title"] = "Hansedagar i Novgorod (Gustavs rättelse)"
    own = tmp_path / "gotland.xlsx"
    own.write_bytes(sheets_bytes({"activities": sheet}, "sv"))
    sheet[-1].update(organisation="Gävle kommun", goals=None, strategy=None)
    stray = tmp_path / "gotland_fel.xlsx"
    stray.write_bytes(sheets_bytes({"activities": sheet}, "sv"))
    with signed_in(browser, app, "gustav", expect, "data") as page:
        main = page.get_by_test_id("stMain")
        main.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(stray))
        # he reads Gotland only: Gävle is a name his workbook cannot use, so it is refused
        expect(main.get_by_text(re.compile("1 problem hittades"))).to_be_visible()
        expect(main.get_by_role("button", name="Importera arbetsboken")).to_have_count(0)
        main.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(own))
        expect(main.get_by_text("Vad importen ersätter")).to_be_visible()
        main.get_by_text("Jag vill ersätta de här raderna för Gotlands kommun").click()
        press(page, main.get_by_role("button", name="Importera arbetsboken"))
        expect(main.get_by_text(re.compile(r"^Importerat för Gotlands kommun: "))).to_be_visible()
    last = history.entries(dataset)[-1]
    assert (last.who, last.action, last.orgs) == (
        "Gustav Gotland <gustav@gotland.se>",
        "import",
        ("gotland",),
    )
