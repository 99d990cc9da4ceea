"""Every page, as a manager reads it, in a real browser: in Swedish, Danish and English, at
1400 and 1024 px wide, and axe-core's WCAG 2.1 AA checks on the same page loads.

On each page the walk checks what a reader would stop at: a card whose label or value is cut,
a table wider or taller than its box with no scrollbar drawn (Streamlit draws them thin and
transparent until the pointer is over the grid), a request to any host but the app's own (a
municipal intranet may reach no other), and on the Swedish and Danish pages an English word
of a list of those that once leaked through (in the text and in the names screen readers
read). Chromium runs without its headless default of hiding scrollbars, so a scrollbar is
measured as a person's browser draws it. Screenshots land in test-output/screenshots/walk_*.

In Swedish and English the walk then runs axe-core (`test_accessibility.axe_violations`) on
each page as it opened, with every table tab and expander open, and on the Data page with a
workbook uploaded: one page load serves both (the axe checks had a walk of their own, 20
loads, 2026-12-06). Results per page land in test-output/axe-results.json.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from dashboard.app.grids import ROWS_SHOWN
from dashboard.app.pages import PAGES
from dashboard.i18n import t
from dashboard.i18n.languages import language
from tests.test_accessibility import BLOCKING, RESULTS, ROOT, axe_violations, open_everything
from tests.test_browser import (
    CHARTS_DRAWN,
    CHROMIUM,
    CHROMIUM_ARGS,
    SHOTS,
    STEP_MS,
    Server,
    open_app,
    wait_idle,
)

pytestmark = pytest.mark.browser

WIDTHS = (1400, 1024)
# one selection per language, so that between them the walk sees one organisation, two,
# all of them and ranges of years; filters set as a manager opens a link to their selection
SELECTIONS = {
    "sv": "org=gotland&from=2009&to=2012",
    "da": "",
    "en": "org=slagelse&org=vkl&from=2011&to=2014",
}
AXE_LANGS = ("sv", "en")  # the languages axe-core checks every page in
# English that once stood on a Swedish or Danish page or in its files, and Python's own words
# for a missing value; matched as whole words, case and all
ENGLISH = (
    r"\bLead partner\b",
    r"\bnetworks\b",
    r"\billustrative\b",
    r"\ballyears\b",
    r"\bCounts\b",
    r"\bsample\b",
    r"_contract",
    r"Drag and drop",
    r"Browse files",
    r"\bUpload\b",  # Streamlit's uploader button, and its "20MB per file"
    r"\bper file\b",
    # Streamlit's names of its controls, read by screen readers, and its placeholder
    r"Link to heading",
    r"Collapse sidebar",
    r"\bSidebar\b",
    r"\bApp pages\b",
    r"\bFullscreen\b",
    r"\bSearch\b",
    r"Show/hide columns",
    r"\bOpen\b",
    r"\bClear all\b",
    r"\bRemove\b",
    r"\bAdd files\b",
    r"\bNo results\b",
    r"\bfile upload\b",
    r"\bHelp for\b",
    r"Choose an option",
    r"\bUTC\b",
    r"\bNone\b",
    r"\bNaN\b",
    r"\bnan\b",
    r"— start",
    r"— end",
    r"\bINT\b",
    r"\bgoal-",
)

# the uploader's text and the names of everything in it (a file's, its remove button's)
UPLOADER = """el => el.innerText + '\\n' + [...el.querySelectorAll('[aria-label]')]
  .map(e => e.getAttribute('aria-label')).join('\\n')"""

CHECK = """() => {
  // a card's label, value or delta, or any element inside them that cuts its text (the value
  // "97 (66,0 %)" was drawn "97 (66,…" by an inner element while the card's own measured whole)
  const cut = [...document.querySelectorAll(
      '[data-testid=stMetricLabel], [data-testid=stMetricValue], [data-testid=stMetricDelta]')]
    .filter(e => e.offsetParent !== null && [e, ...e.querySelectorAll('*')].some(
      (x) => x.scrollWidth > x.clientWidth + 1))
    .map(e => e.innerText);
  // a chart's title wider than its chart (Plotly never wraps a title: it ran off the edge)
  for (const chart of document.querySelectorAll('.js-plotly-plot')) {
    if (chart.offsetParent === null) continue;
    const box = chart.getBoundingClientRect();
    for (const title of chart.querySelectorAll('.gtitle')) {
      const r = title.getBoundingClientRect();
      if (r.width && (r.right > box.right + 1 || r.left < box.left - 1))
        cut.push('chart title: ' + title.textContent);
    }
  }
  const hidden = [];
  for (const grid of document.querySelectorAll('[data-testid=stDataFrame]')) {
    const s = grid.querySelector('.dvn-scroller');
    if (!s || s.offsetParent === null) continue;
    const style = getComputedStyle(s);
    const drawn = style.scrollbarWidth !== 'none'
      && !/rgba\\(0, 0, 0, 0\\)/.test(style.scrollbarColor);
    const head = [...grid.querySelectorAll('[role=columnheader]')].map(h => h.innerText)
      .slice(0, 3).join(' | ');
    if (s.scrollWidth > s.clientWidth + 1 && !(drawn && s.offsetHeight > s.clientHeight))
      hidden.push('columns hidden to the right: ' + head);
    if (s.scrollHeight > s.clientHeight + 1 && !(drawn && s.offsetWidth > s.clientWidth))
      hidden.push('rows hidden below: ' + head);
    // a table of few rows shows every one: none under its horizontal scrollbar (the last row
    // of a table wider than its box was drawn under it, and a one-row table's only row)
    const rows = Number(grid.querySelector('[role=grid]')?.getAttribute('aria-rowcount'));
    if (rows && rows <= ROWS_SHOWN + 1 && s.scrollHeight > s.clientHeight + 1)
      hidden.push('a row under the scrollbar: ' + head);
  }
  const labels = [...document.querySelectorAll('[aria-label], [placeholder]')]
    .map(e => (e.getAttribute('aria-label') || '') + ' ' + (e.getAttribute('placeholder') || ''));
  const text = document.body.innerText + '\\n' + labels.join('\\n');
  return {cut, hidden, text};
}""".replace("ROWS_SHOWN", str(ROWS_SHOWN))


@pytest.fixture
def walk_server(sample_server: Server) -> Server:
    """The app over the sample, shared with the other browser files that only read it."""
    return sample_server


@pytest.fixture(scope="module")
def scrollbar_browser():
    """Debian's Chromium, drawing scrollbars as a desktop browser does (Playwright's headless
    default hides every scrollbar, which would make a table's look unmeasurable)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install Debian's chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            ignore_default_args=["--hide-scrollbars"],
        )
        try:
            yield b
        finally:
            b.close()


# words the list holds that are also the language's own ("illustrative oplysninger")
OWN_WORDS = {"da": {r"\billustrative\b"}}


def english_words(text: str, lang: str = "sv") -> list[str]:
    """The listed English words in *text* (none the language itself writes; none at all in
    English, whose words they are)."""
    if lang == "en":
        return []
    patterns = [p for p in ENGLISH if p not in OWN_WORDS.get(lang, set())]
    return sorted({m.group(0) for pattern in patterns for m in re.finditer(pattern, text)})


def test_english_word_list_finds_what_it_lists() -> None:
    assert english_words("Räknar: Lead partner; 0 networks; 2013 — start; None") == [
        "Lead partner",
        "None",
        "networks",
        "— start",
    ]
    assert english_words("Baltic Islands Network, Nätverk, Organisation") == []
    assert english_words("illustrative oplysninger", "da") == []
    assert english_words("illustrative", "sv") == ["illustrative"]


@pytest.mark.parametrize("lang", list(SELECTIONS))
def test_every_page_reads_whole_in_the_language(
    scrollbar_browser, walk_server: Server, lang: str, expect
) -> None:
    host = urlsplit(walk_server.url).netloc
    context = scrollbar_browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    elsewhere: list[str] = []
    page.on(
        "request",
        lambda r: (
            elsewhere.append(r.url)
            if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
            and urlsplit(r.url).netloc != host
            else None
        ),
    )
    found: list[str] = []
    axe_found: dict[str, dict[str, list[str]]] = {}
    blocking: list[str] = []
    try:
        for n, spec in enumerate(PAGES):
            path = "" if spec.default else spec.name
            query = "&".join(q for q in (f"lang={lang}", SELECTIONS[lang]) if q)
            open_app(page, f"{walk_server.url}/{path}?{query}")
            page.wait_for_function(CHARTS_DRAWN, timeout=STEP_MS)  # plotly draws after the run
            page.wait_for_timeout(300)  # and the grids size themselves to their boxes
            # each page opens at the width the page before ended at, and is read there
            # first: no page is re-laid out at a width only to be left (a chart's relayout
            # is Chromium's work)
            for width in WIDTHS if n % 2 == 0 else WIDTHS[::-1]:
                if page.viewport_size != {"width": width, "height": 900}:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.wait_for_timeout(300)  # plotly and the grids re-lay out at the width
                seen = page.evaluate(CHECK)
                where = f"{spec.name} ({lang}, {width} px)"
                found += [f"{where}: cut: {c!r}" for c in seen["cut"]]
                found += [f"{where}: {h}" for h in seen["hidden"]]
                if lang != "en":
                    found += [f"{where}: English {w!r}" for w in english_words(seen["text"], lang)]
                if width == min(WIDTHS):
                    SHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=str(SHOTS / f"walk_{spec.name}_{lang}_{width}.png"))
            if lang in AXE_LANGS:
                assert page.evaluate("document.documentElement.lang") == lang
                axe_page(page, f"{lang}/{spec.name}", spec.name == "data", axe_found, blocking)
                if spec.name == "data":  # the uploader with a file in it: its names and size
                    said = page.get_by_test_id("stFileUploader").evaluate(UPLOADER)
                    found += [f"uploader ({lang}): English {w!r}" for w in english_words(
                        said, lang)]  # fmt: skip
                    size = re.search(r"[0-9]+[.,][0-9]+ KB", said)
                    mark = language(lang).decimal
                    if size is None or mark not in size.group(0):
                        found.append(f"uploader ({lang}): size not as {lang} writes it: {said!r}")
        # a select list that finds nothing says so in the language (Streamlit: "No results")
        box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
        box.click()
        page.keyboard.type("zzqqxx")
        expect(page.get_by_role("listbox")).to_contain_text(t("filter.no_results", lang))
        found += [f"list ({lang}): English {w!r}" for w in english_words(
            page.get_by_role("listbox").inner_text(), lang)]  # fmt: skip
        page.keyboard.press("Escape")
    finally:
        context.close()
    if lang in AXE_LANGS:
        kept = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}
        kept = {k: v for k, v in kept.items() if not k.startswith(f"{lang}/")} | axe_found
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(kept, indent=1, ensure_ascii=False), encoding="utf-8")
    assert elsewhere == [], elsewhere
    assert found == [], "\n".join(found)
    assert blocking == [], "\n".join(blocking)


def axe_page(
    page, name: str, upload: bool, found: dict[str, dict[str, list[str]]], blocking: list[str]
) -> None:
    """Target of issue 14: no violation of impact serious or critical on the page *name*:
    as it opened (charts drawn), with every table tab and expander open, and, on the Data
    page (*upload*), with a workbook uploaded and checked. Every violation goes into
    *found*; the serious and critical ones into *blocking*."""
    states = [("as opened", axe_violations(page))]
    # a page with no table tab and no expander is as it opened: its second state is the
    # first (the same page, the same violations), not checked again (~0.3 s of Chromium)
    opened = open_everything(page)
    states.append(("tables and expanders open", axe_violations(page) if opened else states[0][1]))
    if upload:
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
            str(ROOT / "sample" / "malbild_sample_sv.xlsx")
        )
        page.get_by_test_id("stAlertContentSuccess").first.wait_for(timeout=STEP_MS)
        wait_idle(page)
        states.append(("workbook uploaded", axe_violations(page)))
    for state, violations in states:
        for v in violations:
            found.setdefault(name, {}).setdefault(f"{v['impact']}: {v['id']}", []).append(state)
            if v["impact"] in BLOCKING:
                nodes = [n["target"] for n in v["nodes"][:3]]
                blocking.append(f"{name} ({state}): {v['id']} {v['help']} {nodes}")
