"""WCAG 2.1 AA in a real browser: the page's language, the keyboard, and reflow at 320 CSS
pixels and at 200 % zoom; and the axe-core helpers that the page walk
(`test_browser_walk`, every page in Swedish and English) and the round's browser flow run.

The app runs on a fresh import of the sample (`streamlit run` on a free port, stopped at the
end); Debian's Chromium is driven by Playwright. axe-core is the copy that the
`axe-playwright-python` package ships (4.12); the walk writes its results per page and
impact to test-output/axe-results.json. Screenshots: test-output/screenshots/a11y_*.png.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_browser import (
    CHARTS_DRAWN,
    SHOTS,
    STEP_MS,
    VIEWPORT,
    Server,
    click_tabs,
    open_app,
    wait_idle,
)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "test-output" / "axe-results.json"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")


@pytest.fixture
def server(sample_server: Server) -> Server:
    """The app over the sample, shared with the other browser files that only read it."""
    return sample_server


def main_h1(page):
    return page.get_by_test_id("stMain").get_by_role("heading", level=1)


def open_page(page, url: str) -> None:
    """*url*'s page with its charts drawn (by its sidebar link when the query stays)."""
    open_app(page, url)
    page.wait_for_function(CHARTS_DRAWN, timeout=STEP_MS)


def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def open_everything(page) -> int:
    """Every 'Table' tab and every expander open, so axe sees what they hide; how many were
    opened (none: the page is as it was)."""
    opened = click_tabs(page, re.compile("^(Tabell|Table)$"))
    for summary in page.locator('[data-testid="stExpander"] details:not([open]) > summary').all():
        summary.click()
        opened += 1
    wait_idle(page)
    return opened


def test_the_page_language_follows_the_interface(server: Server, browser, expect) -> None:
    """`<html lang>` is the interface's language (Streamlit alone says "en" on every page),
    from the link and after choosing another language in the sidebar."""
    page = browser.new_page(viewport=VIEWPORT)
    try:
        for lang in ("sv", "da", "en"):
            open_page(page, f"{server.url}/goals?lang={lang}")
            assert page.evaluate("document.documentElement.lang") == lang
        page.get_by_role("combobox", name="Språk · Language · Sprog").click()
        page.get_by_role("option", name="Svenska").click()
        expect(main_h1(page)).to_have_text("Mål och aktiviteter")
        page.wait_for_function("document.documentElement.lang === 'sv'", timeout=STEP_MS)
    finally:
        page.close()


FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    const widget = el.closest('[data-testid]');
    return {
        tag: el.tagName.toLowerCase(),
        role: el.getAttribute('role') || '',
        name: (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().slice(0, 60),
        testid: widget ? widget.getAttribute('data-testid') : '',
        sidebar: !!el.closest('[data-testid="stSidebar"]'),
        visible: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2)
                 || style.boxShadow !== 'none',
    };
}"""


def start(page) -> None:
    """Put the keyboard at the top of the page, as a fresh visit has it."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.mouse.click(2, 2)


def tab_to(page, stop: dict, presses: int = 120) -> None:
    """Press Tab until the focus is on *stop* (as `FOCUSED` describes it)."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED) == stop:
            return
    raise AssertionError(f"Tab never reached {stop}")


def tab_through(page, presses: int) -> list[dict]:
    """The focus after each Tab, once round the page (stops when it comes back)."""
    stops: list[dict] = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        here = page.evaluate(FOCUSED)
        if stops and here == stops[0]:
            break
        stops.append(here)
    return stops


def test_keyboard_alone_reaches_every_control_in_order_with_a_visible_focus(
    server: Server, browser, expect
) -> None:
    """Tab goes through the navigation, the language, every filter, the tabs and the
    downloads, in reading order, each with a visible focus; Shift+Tab goes back; Space
    opens a table tab; Enter on a download button downloads; the language is chosen with
    Enter and the arrow keys."""
    page = browser.new_page(viewport=VIEWPORT, accept_downloads=True)
    try:
        open_page(page, f"{server.url}/?lang=sv&org=gotland&from=2009&to=2012")
        start(page)
        stops = tab_through(page, 120)

        def first(pred) -> int:
            hits = [i for i, s in enumerate(stops) if pred(s)]
            assert hits, f"never reached; stops: {[(s['testid'], s['name']) for s in stops]}"
            return hits[0]

        nav = first(
            lambda s: s["testid"] == "stSidebarNavLink" or (s["tag"] == "a" and s["sidebar"])
        )
        lang = first(lambda s: "Language" in s["name"] or s["testid"] == "stSelectbox")
        org = first(lambda s: s["testid"].startswith("stSelectbox") and s["name"] == "Organisation")
        years = [i for i, s in enumerate(stops) if s["testid"] == "stSlider"]
        goal = first(lambda s: s["testid"].startswith("stMultiSelect") and s["name"] == "Mål")
        tab = first(lambda s: s["role"] == "tab")
        download = first(lambda s: s["name"].endswith("Ladda ner CSV"))
        assert len(years) == 2, "both ends of the year range"
        assert nav < lang < org < years[0] < years[1] < goal < download < tab
        unseen = [s for s in stops if not s["visible"] and s["tag"] != "body"]
        assert unseen == [], "focus without a visible indicator"

        # Shift+Tab steps back to the stop before
        tab_to(page, stops[org + 1])
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(FOCUSED) == stops[org]

        # Space on the first chart's Table tab opens the table
        tab_to(page, stops[tab])
        page.keyboard.press("ArrowRight")  # tabs move by arrow keys, as WAI-ARIA says
        page.keyboard.press("Space")
        expect(page.get_by_role("tab", name="Tabell").first).to_have_attribute(
            "aria-selected", "true"
        )
        wait_idle(page)  # the open tab's table is drawn by a rerun
        expect(page.get_by_test_id("stMain").get_by_test_id("stDataFrame").first).to_be_visible()

        # Enter on the first download button downloads
        tab_to(page, stops[download])
        with page.expect_download(timeout=STEP_MS) as info:
            page.keyboard.press("Enter")
        assert info.value.suggested_filename.endswith(".csv")

        # the language: Enter opens it, arrows choose, Enter confirms
        tab_to(page, stops[lang])
        page.keyboard.press("Enter")
        page.keyboard.type("English")
        page.keyboard.press("Enter")
        expect(main_h1(page)).to_have_text("Overview")
        page.wait_for_function("document.documentElement.lang === 'en'", timeout=STEP_MS)
    finally:
        page.close()


@pytest.mark.parametrize(("width", "scale", "name"), [(320, 1, "320px"), (640, 2, "zoom200")])
def test_pages_reflow_without_sideways_scrolling(
    server: Server, browser, width: int, scale: int, name: str
) -> None:
    """WCAG 1.4.10 and 1.4.4: at 320 CSS pixels wide, and at 200 % zoom of a 1280-pixel
    window (640 CSS pixels), no page scrolls sideways (tables scroll inside their own
    frame, which the criterion allows for data tables). Screenshots are kept."""
    ctx = browser.new_context(viewport={"width": width, "height": 800}, device_scale_factor=scale)
    page = ctx.new_page()
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for path in ("", "networks", "evaluation", "accessibility"):
            open_page(page, f"{server.url}/{path}?lang=sv&org=gotland")
            wide = page.evaluate(
                "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
            )
            page.screenshot(path=str(SHOTS / f"a11y_{name}_{path or 'overview'}.png"))
            assert wide <= width + 1, (path, wide)
    finally:
        ctx.close()
