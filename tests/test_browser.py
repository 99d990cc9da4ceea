"""End to end in a real browser: the app on the sample, driven like a user drives it.

A module-scoped Streamlit server runs `streamlit_app.py` on a free port over a fresh
import of sample/; headless Chromium (Debian's, never a downloaded one) changes the
filters through the sidebar widgets, follows the navigation, downloads CSV files,
reopens the copied link in a new browser context and switches language.
Expected numbers come from the sample CSV files, not from the app.

Screenshots of every page land in test-output/screenshots/ (FAILED_*.png on a failure).
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, quote, urlsplit

import pytest

from deploy.local import stop

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample"
SHOTS = ROOT / "test-output" / "screenshots"
# Debian's headless shell: the same Blink as its `chromium` (one source package, one
# version), without the desktop browser around it; a page costs ~25% less CPU (2.6 instead
# of 3.5 CPU-s to draw the overview, 2026-12-07), and the suite runs two at once on 2 cores.
CHROMIUM = Path("/usr/bin/chromium-headless-shell")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    # V8 optimises no further than Maglev: TurboFan's compiles in the renderer's worker
    # threads cost more than its faster code gave back on pages drawn a few times each
    # (Chromium 32.0-33.8 -> 29.3-31.5 CPU s over the Swedish walk and the filters test,
    # four runs each side by side, 2026-12-07; the JavaScript's meaning is the same)
    "--js-flags=--max-opt=2",
]
VIEWPORT = {"width": 1400, "height": 900}
START_TIMEOUT_S = 60
FIRST_LOAD_MS = 60_000  # the first run imports plotly, pandas and DuckDB
STEP_MS = 30_000  # one rerun after a widget change (headroom for a loaded 2-core CI machine)

ORG, ORG_NAME = "gotland", "Gotlands kommun"
YEAR = 2009
GOAL, GOAL_CODE = "gotland-2009-g5", "5"


# --------------------------------------------------------------------------- the server


@dataclass(frozen=True)
class Server:
    url: str
    log: Path
    pid: int = 0

    def log_tail(self, lines: int = 80) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n".join(text.splitlines()[-lines:])

    def stacks(self, lines: int = 200) -> str:
        """Every thread's stack of the server, as it writes them to its log on SIGUSR1
        (`shell.stacks_on_request`), with the log's last *lines*: where a run waits when a
        step's message never comes."""
        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGUSR1)
                time.sleep(1)
        return self.log_tail(lines)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200 and r.read().decode().strip() == "ok"
    except OSError:
        return False


@contextlib.contextmanager
def run_server(
    data_dir: Path,
    log: Path,
    port: int | None = None,
    args: tuple[str, ...] = (),
    **env_extra: str,
) -> Iterator[Server]:
    """`streamlit run streamlit_app.py` on a free port (or *port*) over *data_dir*, with
    extra Streamlit *args*; stopped at the end."""
    port = port or _free_port()
    env = {
        **os.environ,
        "DASHBOARD_DATA_DIR": str(data_dir),
        "PYTHONUNBUFFERED": "1",
        **env_extra,
    }
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "streamlit_app.py",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        # run the code as it was at start, even if files change during the test
        "--server.fileWatcherType",
        "none",
        *args,
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        srv = Server(f"http://127.0.0.1:{port}", log, proc.pid)
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            # poll() after the health check too: "ok" from another server on a reused port
            # must not count while ours is exiting with "Port ... is not available"
            while not _healthy(srv.url) or proc.poll() is not None:
                if proc.poll() is not None:
                    pytest.fail(
                        f"streamlit exited with {proc.returncode} before it was healthy:\n"
                        + srv.log_tail(),
                        pytrace=False,
                    )
                if time.monotonic() > deadline:
                    pytest.fail(
                        f"streamlit not healthy after {START_TIMEOUT_S} s:\n" + srv.log_tail(),
                        pytrace=False,
                    )
                time.sleep(0.25)
            yield srv
        finally:
            stop(proc)


@pytest.fixture
def server(sample_server: Server) -> Server:
    """The app over a fresh import of the sample, shared with the other browser files that
    only read it (`conftest.sample_server`)."""
    return sample_server


# --------------------------------------------------------------------------- expectations


def _read_sample(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Expected:
    """What the sample says about a selection: activity ids (in the app's order), goals."""

    ids: tuple[str, ...]
    goals_served: int
    goals_total: int


def expected(org: str, year_from: int | None, year_to: int | None, goals=()) -> Expected:
    acts = [
        a
        for a in _read_sample("activities.csv")
        if a["org_id"] == org
        and (year_from is None or int(a["year"]) >= year_from)
        and (year_to is None or int(a["year"]) <= year_to)
    ]
    links = [x for x in _read_sample("activity_goals.csv") if not goals or x["goal_id"] in goals]
    linked = {x["activity_id"] for x in links}
    if goals:
        acts = [a for a in acts if a["activity_id"] in linked]
    ids = tuple(a["activity_id"] for a in sorted(acts, key=lambda a: (a["year"], a["activity_id"])))
    served = {x["goal_id"] for x in links if x["activity_id"] in set(ids)}
    strategies = {s["strategy_id"] for s in _read_sample("strategies.csv") if s["org_id"] == org}
    total = [
        g
        for g in _read_sample("goals.csv")
        if g["strategy_id"] in strategies and (not goals or g["goal_id"] in goals)
    ]
    return Expected(ids, len(served), len(total))


def activities_headers(lang: str) -> list[str]:
    """The Activities table's own headers in *lang*: what its CSV download carries."""
    from dashboard.app.pages.activities import COLUMNS
    from dashboard.model.filters import Filters
    from dashboard.model.view import View
    from dashboard.outputs.readable import headers

    return [h.rstrip() for h in headers(View(lang, Filters()), COLUMNS)]


def titles_of(ids: tuple[str, ...]) -> tuple[str, ...]:
    title = {a["activity_id"]: a["title"] for a in _read_sample("activities.csv")}
    return tuple(title[i] for i in ids)


# --------------------------------------------------------------------------- page helpers


def wait_idle(page) -> None:
    """Wait until Streamlit has no run in flight (use after the visible change was seen)."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        timeout=STEP_MS
    )


def click_tabs(page, name: str | re.Pattern) -> int:
    """Open every tab called *name* (a chart's "Tabell"), one at a time; how many. Each
    click reruns the page, and a list of tabs taken before it points at elements the rerun
    replaced (on a loaded machine the clicks then time out on detached elements). The tabs
    are counted again before every click, once the page stands still: a count taken while
    the page before was still shown once pointed at a tab the new page did not have (a 40 s
    time-out in CI)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    settle(page)
    tabs = page.get_by_role("tab", name=name)
    i = 0
    while i < tabs.count():
        try:
            tabs.nth(i).click(timeout=STEP_MS // 3)
        except PlaywrightTimeout:  # on a loaded machine the tab bar may still be re-laying out
            settle(page)
            if i < tabs.count():
                tabs.nth(i).click(force=True, timeout=STEP_MS)
        settle(page)
        i += 1
    return i


def sidebar(page):
    return page.get_by_test_id("stSidebar")


def metric(page, label: str):
    """The value of the metric card labelled exactly *label*."""
    card = page.get_by_test_id("stMetric").filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return card.get_by_test_id("stMetricValue")


def metric_texts(page) -> list[str]:
    return [m.inner_text().strip() for m in page.get_by_test_id("stMetric").all()]


def multiselect(page, label: str):
    return (
        sidebar(page)
        .get_by_test_id("stMultiSelect")
        .filter(has=page.get_by_role("combobox", name=label, exact=True))
    )


def chip(page, label: str, text: str):
    """A selected value's tag in the sidebar multiselect *label*."""
    return multiselect(page, label).locator("[data-tag]").filter(has_text=text)


def combobox(page, label: str):
    """The sidebar's choice *label*; a selectbox shows its choice as the input's value."""
    return sidebar(page).get_by_role("combobox", name=label, exact=True)


def pick(page, label: str, option: str | re.Pattern, close: bool = True) -> None:
    """Open a sidebar multiselect (or selectbox, close=False) and click one option."""
    sidebar(page).get_by_role("combobox", name=label, exact=True).click()
    page.get_by_role("option", name=option).first.click()
    if close:  # a multiselect stays open for more picks
        page.keyboard.press("Escape")


def year_thumbs(page):
    return sidebar(page).get_by_test_id("stSlider").locator("input[type=range], [role=slider]")


def go_to(page, expect, link: str, heading: str | None) -> None:
    """Follow the sidebar navigation link *link* and wait for the page's title (*heading*;
    None: a title that names data, any h1)."""
    nav = sidebar(page).get_by_test_id("stSidebarNav")
    nav.get_by_role("link", name=link, exact=True).click()
    title = page.get_by_role("heading", name=heading, level=1) if heading else None
    expect(title or page.get_by_role("heading", level=1).first).to_be_visible()
    expect(nav.get_by_role("link", name=link, exact=True)).to_have_attribute("aria-current", "page")
    wait_idle(page)


NEW_TITLE = """([old, href]) => {
    const h1 = document.querySelector('[data-testid="stMain"] h1');
    const link = document.querySelector(
        `[data-testid="stSidebarNav"] a[href="${href}"][aria-current="page"]`);
    return !!link && !!h1 && h1.innerText.trim() !== '' && h1.innerText !== old;
}"""


IN_VIEW = """(el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.right > 0 && r.left < window.innerWidth;
}"""


def open_app(page, url: str, timeout: int = FIRST_LOAD_MS) -> None:
    """Show the app's page at *url* and wait until its run is over.

    When the browser already shows another page of the app under the same query (language
    and filters), the page is reached by its link in the sidebar, as a reader moves between
    pages; otherwise, and for the page already shown (a reload: a fresh run), *url* is
    loaded. A load costs Chromium more than twice a link's work (0.75 s of renderer CPU a
    page against 0.33 s, measured 2026-12-05): the walk, the axe checks and the sign-in
    tests took 31 s less together (summed over the suite's files, -n 2). The link keeps
    the query, and the address is checked afterwards, so the page read is the one *url*
    names: a query the app changed on the way (a filter a reader may not use) is loaded
    as a link instead."""
    here, there = urlsplit(page.url), urlsplit(url)
    same_app = (here.scheme, here.netloc) == (there.scheme, there.netloc)
    if (
        same_app
        and here.path != there.path
        and sorted(parse_qsl(here.query)) == sorted(parse_qsl(there.query))
    ):
        href = f"{there.scheme}://{there.netloc}{there.path or '/'}"
        link = page.locator(f'[data-testid="stSidebarNav"] a[href="{href}"]')
        # a sidebar folded away (a narrow window) is not clicked through: loaded instead
        if link.count() == 1 and link.evaluate(IN_VIEW):
            wait_idle(page)
            old = page.get_by_test_id("stMain").locator("h1").first.inner_text(timeout=STEP_MS)
            link.click(timeout=STEP_MS)
            page.wait_for_function(NEW_TITLE, arg=[old, href], timeout=timeout)
            wait_idle(page)
            now = urlsplit(page.url)
            if now.path == (there.path or "/") and sorted(parse_qsl(now.query)) == sorted(
                parse_qsl(there.query)
            ):
                return
    load(page, url, timeout)


def load(page, url: str, timeout: int = FIRST_LOAD_MS) -> None:
    """Load *url* (a fresh session and run, as a link opened or a reload) and wait until the
    run is over."""
    page.goto(url, timeout=timeout)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        timeout=timeout
    )
    page.get_by_test_id("stMain").get_by_role("heading", level=1).first.wait_for(timeout=timeout)
    wait_idle(page)


def params(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


CHARTS_DRAWN = """() =>
    !document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]')
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].every(
        (el) => el.offsetParent === null || el.querySelector('.main-svg'))"""


STANDS_STILL = """(el) => new Promise((done) => {
    let last = JSON.stringify(el.getBoundingClientRect());
    let still = 0;
    const look = () => {
        const now = JSON.stringify(el.getBoundingClientRect());
        still = now === last ? still + 1 : 0;
        last = now;
        if (still >= 5) done(true); else setTimeout(look, 50);
    };
    setTimeout(look, 50);
})"""


def settle(page) -> None:
    """No run in flight and every chart drawn: nothing on the page moves any more."""
    wait_idle(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=STEP_MS)


# Counts what the page sends to the server and how often its connection closed: every
# context the `browser` fixture makes runs it before the app's own code (`watch_socket`).
SOCKET_WATCH = """(() => {
    const seen = (window.__malbildSocket = {sent: 0, closed: 0});
    const Plain = window.WebSocket;
    window.WebSocket = class extends Plain {
        constructor(...args) {
            super(...args);
            this.addEventListener('close', () => { seen.closed += 1; });
        }
        send(data) { seen.sent += 1; return super.send(data); }
    };
})()"""


def watch_socket(ctx) -> None:
    """Let `press` see whether a click reached the server (`SOCKET_WATCH`)."""
    ctx.add_init_script(SOCKET_WATCH)


def socket_seen(page) -> dict[str, int] | None:
    """What the page has sent and how often its connection closed (None: not watched)."""
    return page.evaluate("() => window.__malbildSocket || null")


def press(page, target) -> None:
    """Click *target* (a form's Spara, a round's Klarmarkera) once the page stands still: no
    run in flight, every chart drawn and the button where it was for 250 ms. Playwright's
    own check (two animation frames) misses a chart above that draws a moment later and
    pushes the form down between the check and the click, which then lands beside the
    button and does nothing (seen twice in the round's flow on a busy machine: the year's
    actual never saved).

    A click that sends nothing to the server within 10 s did nothing at all (the app sends
    its rerun at once; 10 s gives a renderer busy with the rest of the suite time to, so a
    slow first click is not pressed twice). Once in CI the round's "Öppna året" may not have
    reached the server, and the flow waited two minutes for a message (the other suspect,
    a race in a new server's first reads, is fixed in `engine_for`). It is pressed again
    once, as a person presses a button that did not react; a second click that sends
    nothing fails here, naming the connection's state, not as a missing message later."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in (1, 2):
        settle(page)
        target.scroll_into_view_if_needed(timeout=STEP_MS)
        target.evaluate(STANDS_STILL)
        before = socket_seen(page)
        target.click()
        if before is None:
            return
        try:
            page.wait_for_function(
                "(n) => window.__malbildSocket.sent > n", arg=before["sent"], timeout=10_000
            )
            return
        except PlaywrightTimeout:
            now = socket_seen(page)
            print(f"press: click {attempt} on {target} sent nothing ({before} -> {now})")
    raise AssertionError(f"two clicks on {target} sent nothing to the server: {now}")


def type_in(page, field, text: str, tries: int = 3) -> None:
    """Fill *field* once the page stands still and see that the text stayed. A run started by
    the change before (a select box's choice that fills the form) may redraw the form after
    the fill and put the old value back; a Spara then saves nothing new (seen once in the
    round's flow: the title typed after picking an activity was gone when Spara was
    pressed, and the refusal it should have met never came)."""
    for _ in range(tries):
        settle(page)
        field.fill(text)
        # leave the field as a person does before clicking Spara: the form takes the value
        # when the field loses focus (once, in the round's flow, a save right after typing
        # reached the server without the typed actual and "Sparat." was shown all the same)
        field.press("Tab")
        page.wait_for_timeout(300)  # a run the previous change asked for has begun by now
        wait_idle(page)
        if field.input_value() == text:
            return
    raise AssertionError(f"{text!r} did not stay in the field after {tries} tries")


def shot(page, name: str) -> None:
    """A full-page screenshot: the window grows to the scrolling main area's height first."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    wait_idle(page)
    page.wait_for_function(CHARTS_DRAWN, timeout=STEP_MS)  # plotly loads lazily
    height = page.evaluate(
        """() => Math.max(
            window.innerHeight,
            ...['stMain', 'stSidebarContent'].map(
                (id) => document.querySelector(`[data-testid="${id}"]`)?.scrollHeight || 0))"""
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": min(int(height) + 40, 6000)})
    page.wait_for_timeout(400)  # let plotly re-lay out at the new size
    page.wait_for_function(CHARTS_DRAWN, timeout=STEP_MS)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(VIEWPORT)


def download_csv(page, expect, button: str) -> tuple[str, bytes]:
    """Click the page's one CSV download button; (suggested file name, bytes)."""
    btn = page.get_by_test_id("stDownloadButton").filter(has_text=button)
    expect(btn).to_have_count(1)
    with page.expect_download(timeout=STEP_MS) as info:
        btn.get_by_role("button").click()
    dl = info.value
    return dl.suggested_filename, Path(dl.path()).read_bytes()


def parse_download(raw: bytes, sep: str) -> tuple[list[str], list[list[str]]]:
    assert raw.startswith(b"\xef\xbb\xbf"), f"no UTF-8 BOM: {raw[:20]!r}"
    text = raw.decode("utf-8")[1:]
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    return rows[0], rows[1:]


class Steps:
    """Names the current step, so a failure says where it happened and leaves a screenshot."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.name = "start"
        self.pages: list = []

    def __call__(self, name: str) -> None:
        self.name = name

    @contextlib.contextmanager
    def guard(self) -> Iterator[None]:
        try:
            yield
        except BaseException:
            for i, page in enumerate(self.pages):
                with contextlib.suppress(Exception):
                    SHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SHOTS / f"FAILED_{self.name}_{i}.png"), full_page=True)
            print(f"failed in step {self.name!r}; server log:\n{self.server.log_tail()}")
            raise


# --------------------------------------------------------------------------- the scenario


def test_filters_links_downloads_and_language(browser, server: Server, expect) -> None:
    all_acts = len(_read_sample("activities.csv"))
    org_all = expected(ORG, None, None)
    org_year = expected(ORG, YEAR, YEAR)
    org_years2 = expected(ORG, YEAR, YEAR + 1)
    org_year_goal = expected(ORG, YEAR, YEAR, (GOAL,))
    # the numbers the brief states, so a changed sample is noticed here first
    assert len(org_year.ids) == 16 and (org_year.goals_served, org_year.goals_total) == (7, 7)
    assert len(org_year_goal.ids) == 4

    for old in SHOTS.glob("FAILED_*.png"):
        old.unlink()
    steps = Steps(server)
    ctx = browser.new_context(viewport=VIEWPORT, locale="en-GB", accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(STEP_MS)
    steps.pages.append(page)
    try:
        with steps.guard():
            # 1. the Overview, unfiltered
            steps("1-load")
            page.goto(f"{server.url}/?lang=en")
            activities = metric(page, "Activities")
            expect(activities).to_have_text(str(all_acts), timeout=FIRST_LOAD_MS)
            expect(page.get_by_role("heading", name="Overview", level=1)).to_be_visible()
            shot(page, "overview_all")

            steps("1-unfiltered-pages")
            go_to(page, expect, "Goals", "Goals and activities")
            assert params(page) == {"lang": ["en"]}, f"navigating changed the filters: {page.url}"
            shot(page, "goals_all")
            go_to(page, expect, "Activities", "Activities")
            expect(
                page.get_by_text(f"{all_acts} activities", exact=True),
                f"unfiltered Activities page shows all {all_acts} activities",
            ).to_be_visible()
            assert params(page) == {"lang": ["en"]}, f"navigating changed the filters: {page.url}"
            shot(page, "activities_all")
            go_to(page, expect, "Overview", "Overview")
            expect(activities, "back on the Overview, still unfiltered").to_have_text(str(all_acts))

            # 2. organisation, then years, through the sidebar widgets
            steps("2-org")
            # one choice switches from one organisation straight to another
            pick(page, "Organisation", "Slagelse Kommune", close=False)
            expect(page).to_have_url(re.compile(r"[?&]org=slagelse(&|$)"))
            expect(activities).to_have_text(str(len(expected("slagelse", None, None).ids)))
            pick(page, "Organisation", ORG_NAME, close=False)
            expect(combobox(page, "Organisation")).to_have_value(ORG_NAME)
            expect(activities).to_have_text(str(len(org_all.ids)))
            # the browser's Back button goes to the earlier link, and the view follows it
            page.go_back()
            expect(page).to_have_url(re.compile(r"[?&]org=slagelse(&|$)"))
            expect(combobox(page, "Organisation")).to_have_value("Slagelse Kommune")
            expect(activities).to_have_text(str(len(expected("slagelse", None, None).ids)))
            page.go_forward()
            expect(combobox(page, "Organisation")).to_have_value(ORG_NAME)
            expect(
                activities,
                f"{ORG_NAME}, all years: {len(org_all.ids)} activities "
                "(picking an organisation must not change the years)",
            ).to_have_text(str(len(org_all.ids)))
            expect(page).to_have_url(re.compile(rf"[?&]org={ORG}(&|$)"))
            assert "year" not in params(page) and "from" not in params(page), page.url
            thumbs = year_thumbs(page)
            expect(thumbs).to_have_count(2)
            expect(thumbs.nth(0)).to_have_attribute("aria-valuetext", "2009")

            steps("2-years")
            thumbs.nth(1).focus()
            page.keyboard.press("Home")  # the end handle down to the first year: 2009 only
            expect(thumbs.nth(1)).to_have_attribute("aria-valuetext", str(YEAR))
            expect(activities).to_have_text(str(len(org_year.ids)))
            expect(page).to_have_url(re.compile(rf"[?&]year={YEAR}(&|$)"))
            page.keyboard.press("ArrowRight")  # 2009–2010
            expect(activities).to_have_text(str(len(org_years2.ids)))
            expect(page).to_have_url(re.compile(rf"[?&]from={YEAR}&to={YEAR + 1}(&|$)"))
            page.keyboard.press("ArrowLeft")  # back to 2009 only
            expect(activities).to_have_text(str(len(org_year.ids)))
            expect(metric(page, "Goals served")).to_have_text(
                f"{org_year.goals_served} of {org_year.goals_total}"
            )
            expect(page).to_have_url(re.compile(rf"[?&]year={YEAR}(&|$)"))
            assert params(page) == {"lang": ["en"], "org": [ORG], "year": [str(YEAR)]}, page.url
            shot(page, "overview_gotland_2009")

            # 3. one goal
            steps("3-goal")
            pick(page, "Goal", re.compile(rf"^{GOAL_CODE}\. utveckling av de kommunala"))
            expect(chip(page, "Goal", f"{GOAL_CODE}. utveckling")).to_be_visible()
            expect(activities).to_have_text(str(len(org_year_goal.ids)))
            expect(metric(page, "Goals served")).to_have_text(
                f"{org_year_goal.goals_served} of {org_year_goal.goals_total}"
            )
            expect(page).to_have_url(re.compile(rf"[?&]goal={GOAL}(&|$)"))
            overview_url = page.url
            # the cards are redrawn one by one: the run must be over before they are read (a
            # card still showing the year's value before the goal's once failed the link step)
            wait_idle(page)
            overview_metrics = metric_texts(page)
            shot(page, "overview_gotland_2009_goal5")

            # 4. the filters survive navigation; the Activities download is the selection
            steps("4-goals-page")
            go_to(page, expect, "Goals", "Goals and activities")
            expect(combobox(page, "Organisation")).to_have_value(ORG_NAME)
            expect(chip(page, "Goal", f"{GOAL_CODE}. utveckling")).to_be_visible()
            expect(page.locator("p").filter(has_text="Activities serving the goal")).to_have_text(
                f"Activities serving the goal: {len(org_year_goal.ids)}"
            )
            assert params(page) == {
                "lang": ["en"],
                "org": [ORG],
                "year": [str(YEAR)],
                "goal": [GOAL],
            }, page.url
            shot(page, "goals_gotland_2009_goal5")

            steps("4-activities-page")
            go_to(page, expect, "Activities", "Activities")
            expect(combobox(page, "Organisation")).to_have_value(ORG_NAME)
            expect(
                page.get_by_text(f"{len(org_year_goal.ids)} activities", exact=True)
            ).to_be_visible()
            expect(page).to_have_url(re.compile(rf"/activities\?.*org={ORG}"))
            assert params(page)["goal"] == [GOAL] and params(page)["year"] == [str(YEAR)]
            shot(page, "activities_gotland_2009_goal5")

            steps("4-download-en")
            name, raw = download_csv(page, expect, "Download CSV")
            assert name == f"activities_{ORG}_{YEAR}_goals-1.csv", name  # goals by count, not id
            header, rows = parse_download(raw, ",")
            assert header == activities_headers("en")  # the table's own headers
            assert len(rows) == len(org_year_goal.ids)
            title_col = header.index("Title")
            assert tuple(r[title_col] for r in rows) == titles_of(org_year_goal.ids)
            assert all(len(r) == len(header) for r in rows)
            assert {r[header.index("Organisation")] for r in rows} == {ORG_NAME}
            activities_url = page.url

            # 5. the copied links reproduce the view in a fresh browser context
            steps("5-link")
            ctx2 = browser.new_context(viewport=VIEWPORT, locale="en-GB")
            try:
                page2 = ctx2.new_page()
                page2.set_default_timeout(STEP_MS)
                steps.pages.append(page2)
                page2.goto(overview_url)
                expect(metric(page2, "Activities")).to_have_text(
                    str(len(org_year_goal.ids)), timeout=FIRST_LOAD_MS
                )
                wait_idle(page2)
                # the cards come one by one: wait for all of them before reading them
                expect(page2.get_by_test_id("stMetric")).to_have_count(len(overview_metrics))
                wait_idle(page2)
                assert metric_texts(page2) == overview_metrics
                expect(combobox(page2, "Organisation")).to_have_value(ORG_NAME)
                expect(chip(page2, "Goal", f"{GOAL_CODE}. utveckling")).to_be_visible()
                thumbs2 = year_thumbs(page2)
                expect(thumbs2.nth(0)).to_have_attribute("aria-valuetext", str(YEAR))
                expect(thumbs2.nth(1)).to_have_attribute("aria-valuetext", str(YEAR))

                page2.goto(activities_url)
                expect(page2.get_by_role("heading", name="Activities", level=1)).to_be_visible(
                    timeout=FIRST_LOAD_MS
                )
                expect(
                    page2.get_by_text(f"{len(org_year_goal.ids)} activities", exact=True)
                ).to_be_visible()
                expect(combobox(page2, "Organisation")).to_have_value(ORG_NAME)
                expect(
                    sidebar(page2).get_by_role("link", name="Activities", exact=True)
                ).to_have_attribute("aria-current", "page")
                assert params(page2) == params(page), (page2.url, page.url)
                shot(page2, "activities_from_copied_link")
            finally:
                steps.pages.remove(page2)
                ctx2.close()

            # 6. Swedish: labels, numbers and a ';' separated download
            steps("6-svenska")
            go_to(page, expect, "Overview", "Overview")
            pick(page, "Språk · Language · Sprog", "Svenska", close=False)
            expect(page.get_by_role("heading", name="Översikt", level=1)).to_be_visible()
            expect(metric(page, "Aktiviteter")).to_have_text(str(len(org_year_goal.ids)))
            expect(metric(page, "Mål som tjänas")).to_have_text(
                f"{org_year_goal.goals_served} av {org_year_goal.goals_total}"
            )
            expect(page).to_have_url(re.compile(r"[?&]lang=sv(&|$)"))
            assert params(page)["org"] == [ORG] and params(page)["goal"] == [GOAL]
            expect(chip(page, "Mål", f"{GOAL_CODE}. utveckling")).to_be_visible()
            shot(page, "overview_gotland_2009_goal5_sv")

            steps("6-download-sv")
            go_to(page, expect, "Aktiviteter", "Aktiviteter")
            expect(
                page.get_by_text(f"{len(org_year_goal.ids)} aktiviteter", exact=True)
            ).to_be_visible()
            name, raw = download_csv(page, expect, "Ladda ner CSV")
            assert name == f"aktiviteter_{ORG}_{YEAR}_mal-1.csv", name
            header, rows = parse_download(raw, ";")
            assert header == activities_headers("sv")  # Swedish, as the table shows them
            assert header[:4] == ["Organisation", "År", "Titel", "Förvaltning"]
            assert tuple(r[header.index("Titel")] for r in rows) == titles_of(org_year_goal.ids)
            assert {r[header.index("Status")] for r in rows} <= {"Planerad", "Genomförd"}
            shot(page, "activities_gotland_2009_goal5_sv")

            steps("6-goals-sv")
            go_to(page, expect, "Mål", "Mål och aktiviteter")
            shot(page, "goals_gotland_2009_goal5_sv")
    finally:
        ctx.close()


def test_follow_up_pages_render_with_the_link_filters(server: Server, browser, expect) -> None:
    """Networks, Projects, Annual evaluation and Data in a real browser, with screenshots."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    page = ctx.new_page()
    page.set_default_timeout(STEP_MS)
    steps = Steps(server)
    steps.pages.append(page)
    try:
        with steps.guard():
            steps("follow-up-load")
            page.goto(f"{server.url}/networks?lang=en&org=slagelse&from=2011&to=2013")
            expect(
                page.get_by_role("heading", name="Networks and partnerships", level=1)
            ).to_be_visible(timeout=FIRST_LOAD_MS)
            shot(page, "networks_slagelse_2011-2013")
            steps("follow-up-projects")
            go_to(page, expect, "Projects", "Projects")
            # InterLoc: 403,770 of 527,044 EUR, shown in the selection's language
            expect(page.get_by_text("76.6 %").first).to_be_visible()
            assert params(page)["org"] == ["slagelse"], page.url
            shot(page, "projects_slagelse_2011-2013")
            steps("follow-up-evaluation")
            go_to(page, expect, "Annual evaluation", "Annual evaluation 2013")
            shot(page, "evaluation_slagelse_2013")
            steps("follow-up-data")
            go_to(page, expect, "Data", "Data")
            expect(page.get_by_text("An administrator imports any file here").first).to_be_visible()
            expect(page.get_by_role("button", name="Template to fill in (.xlsx)")).to_be_visible()
            shot(page, "data_slagelse")
    finally:
        ctx.close()


def test_a_coordinator_imports_a_workbook_in_swedish_and_sees_it(
    browser, tmp_path: Path, expect
) -> None:
    """A made-up municipality's workbook, filled in with names, goal numbers and Swedish
    words, uploaded on the Data page, imported, and then on the Goals page."""
    from dashboard.imports.ingest import ingest
    from tests.test_import_hardening import _coordinator

    data = tmp_path / "data"
    ingest(SAMPLE, data)
    book = _coordinator(
        tmp_path,
        [
            [2024, "Studiebesök i Visby", "B7", "genomförd", 1500, "kr", "1,3", "illustrative"],
            [
                2024,
                "Internationella dagen",
                None,
                "planerad",
                None,
                None,
                "samtliga",
                "illustrative",
            ],
        ],
    )
    with run_server(data, tmp_path / "server.log", DASHBOARD_ALLOW_IMPORT="1") as srv:
        ctx = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
        page = ctx.new_page()
        try:
            page.goto(f"{srv.url}/data?lang=sv", timeout=FIRST_LOAD_MS)
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(book))
            expect(
                page.get_by_text(re.compile(r"^Inga problem: \d+ rader i \d+ tabeller"))
            ).to_be_visible()
            # what the workbook replaces, per organisation, table and year, before anything
            expect(page.get_by_text("Vad importen ersätter")).to_be_visible()
            page.get_by_text("Jag vill ersätta de här raderna för Exempelby kommun").click()
            page.get_by_role("button", name="Importera arbetsboken").click()
            # what was done, and to whom: the workbook's rows of its organisation only
            done = r"^Importerat för Exempelby kommun: \d+ rader\. Andra organisationers rader"
            expect(page.get_by_text(re.compile(done))).to_be_visible()
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "data_import_sv.png"), full_page=True)
            page.goto(f"{srv.url}/goals?lang=sv&org=exempelby-kommun&year=2024", timeout=STEP_MS)
            matrix = page.get_by_test_id("stDataFrame").first
            expect(matrix).to_be_visible()
            wait_idle(page)
            expect(combobox(page, "Organisation")).to_have_value("Exempelby kommun")
            page.screenshot(path=str(SHOTS / "goals_exempelby_sv.png"), full_page=True)
        except Exception:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "FAILED_coordinator_import.png"), full_page=True)
            raise
        finally:
            ctx.close()


PAYLOAD_HOST = "example.invalid"
PAYLOAD = (
    f"[Logga in](https://{PAYLOAD_HOST}/a) ![x](https://{PAYLOAD_HOST}/i.png) :red[x] $x$ "
    f'# x <a href="https://{PAYLOAD_HOST}/h">a</a> <span style="color:red">s</span>'
)
LINKED = f"""() => [...document.querySelectorAll('*')].filter((el) => [...el.attributes].some(
    (a) => (a.name.endsWith('href') || a.name === 'src') && a.value.includes('{PAYLOAD_HOST}')
)).length"""


def test_markup_from_a_link_or_the_data_is_shown_as_text_on_every_page(
    browser, tmp_path: Path, expect
) -> None:
    """Markdown and HTML in an organisation's name, a goal code, an activity title and a
    network name, and in the link, render as the characters they are and fetch nothing."""
    import shutil

    from dashboard.app.pages import PAGES
    from dashboard.imports.ingest import ingest

    src = tmp_path / "src"
    shutil.copytree(SAMPLE, src)

    def put(table: str, old: str, new: str) -> None:
        path = src / f"{table}.csv"
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    quoted = '"' + PAYLOAD.replace('"', '""') + '"'
    put("organisations", "Gotlands kommun", quoted)
    # a goal code may hold no double quote (a goal list quotes codes with them); the same
    # markup with single-quoted attributes is markup all the same
    code = '"' + PAYLOAD.replace('"', "'") + '"'
    put("goals", "gotland-2009-g5,gotland-2009,5,", f"gotland-2009-g5,gotland-2009,{code},")
    put("activities", "Almedalsveckans invigning", quoted)
    put("networks", "Baltic Islands Network", quoted)
    data = tmp_path / "data"
    ingest(src, data)
    fetched: list[str] = []
    with run_server(data, tmp_path / "server.log") as srv:
        ctx = browser.new_context(viewport=VIEWPORT, locale="sv-SE")
        page = ctx.new_page()
        page.on(
            "request",
            lambda r: fetched.append(r.url) if urlsplit(r.url).hostname == PAYLOAD_HOST else None,
        )
        try:
            link = f"{srv.url}/?lang=sv&org=gotland&org={quote(PAYLOAD, safe='')}"
            page.goto(link, timeout=FIRST_LOAD_MS)
            wait_idle(page)
            notice = sidebar(page).get_by_test_id("stAlert").first
            expect(notice).to_be_visible()
            shown = notice.inner_text().replace("\u2060", "").replace("\n", " ")
            assert PAYLOAD in shown, shown  # every character, as text
            for name, heading in (
                ("Mål", "Mål och aktiviteter"),
                ("Aktiviteter", "Aktiviteter"),
                ("Nätverk", "Nätverk och partnerskap"),
                ("Projekt", None),
                ("Årlig utvärdering", None),
                ("Data", "Data"),
                ("Översikt", "Översikt"),
            ):
                go_to(page, expect, name, heading)  # None: the title names the payload
                settle(page)
                click_tabs(page, "Tabell")  # the tables beside the charts, with the data's texts
                assert page.evaluate(LINKED) == 0, name
                assert not page.locator("[data-testid='stSidebar'] img").count(), name
                grids = page.get_by_test_id("stDataFrame")
                if grids.count():
                    grids.first.hover()  # the grid's toolbar appears; its own CSV is hidden
                    expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
                    expect(page.get_by_role("button", name="Sök", exact=True).first).to_be_visible()
            shot(page, "overview_markup_payload")
            # and every page with all organisations and no year: the notes and the panels'
            # titles that list the organisations by name (the Evaluation page's note and its
            # indicators' panels once drew the name's link and picture, 2026-12-07)
            for spec in PAGES:
                open_app(page, f"{srv.url}/{'' if spec.default else spec.name}?lang=sv")
                page.wait_for_function(CHARTS_DRAWN, timeout=STEP_MS)
                assert page.evaluate(LINKED) == 0, spec.name
                if spec.name == "evaluation":  # the note names every organisation, as text
                    text = page.get_by_test_id("stMain").inner_text().replace("\u2060", "")
                    assert PAYLOAD in text.replace("\n", " "), text
        except Exception:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "FAILED_markup_payload.png"), full_page=True)
            raise
        finally:
            ctx.close()
    assert fetched == []
