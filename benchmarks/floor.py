"""Each page in Chromium against its floor, in the same run (issue 13: within 1.5x).

    .venv/bin/python benchmarks/floor.py [--data data] [--org gotland] [--runs 3]

It starts the dashboard over --data (`streamlit run`, as deploy/local.py does) and, in
Debian's Chromium driven by Playwright, opens each page in Swedish with one organisation
chosen, reached from the sidebar (a click on the page's link, from the Accessibility
page), and times it from the click until the page has settled: the script has finished,
the page's heading is there, every visible Plotly chart has drawn its SVG and every table
its canvas. From what Chromium then finds on the page (each chart's traces and their
points, each table's rows and columns, the metrics) it writes a spec for
benchmarks/floor_app.py, a bare Streamlit app that draws the same from constants, and
times that the same way, page by page, alternating the two, --runs times each. Reports
medians and the ratio. The floor runs with the dashboard's own .streamlit/config.toml.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.local import _started, free_port, replica

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"]
# the dashboard's pages as the Swedish sidebar names them, with their h1
PAGES = {
    "overview": ("Översikt", "Översikt"),
    "goals": ("Mål", "Mål och aktiviteter"),
    "activities": ("Aktiviteter", "Aktiviteter"),
    "networks": ("Nätverk", "Nätverk och partnerskap"),
    "projects": ("Projekt", "Projekt"),
    "evaluation": ("Årlig utvärdering", "Årlig utvärdering"),
    "data": ("Data", "Data"),
}
START = "Tillgänglighet"  # the page each visit starts from (its h1 starts so too)

SETTLED = """(h1) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const title = document.querySelector('[data-testid="stMain"] h1');
  if (!title || !title.textContent.startsWith(h1)) return false;
  if (document.querySelector('[data-testid="stSkeleton"], [data-testid="stSkeletonElement"]'))
    return false;
  const shown = (el) => el.offsetParent !== null;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].filter(shown);
  const grids = [...document.querySelectorAll('[data-testid="stDataFrame"]')].filter(shown);
  // a grid draws its canvas once it is scrolled into view (the floor's grids alike)
  const below = (el) => el.getBoundingClientRect().top > window.innerHeight;
  return charts.every((el) => el.querySelector('.main-svg'))
      && grids.every((el) => el.querySelector('canvas') || below(el));
}"""

CONTENT = """() => {
  const shown = (el) => el.offsetParent !== null;
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .filter(shown).map((el) => {
      const div = el.querySelector('.js-plotly-plot');
      return (div && div.data ? div.data : []).map((t) => {
        // an array sent as base64 ({dtype: 'f8', bdata}) counts its decoded items
        const len = (v) => !v ? 0 : v.bdata
          ? atob(v.bdata).length / Number((v.dtype || 'f8').slice(1)) : (v.length || 0);
        const n = Math.max(...['x', 'y', 'labels', 'values', 'lat', 'lon', 'locations', 'z']
          .map((k) => len(t[k])));
        return [t.type || 'scatter', n];
      });
    });
  const metrics = [...document.querySelectorAll('[data-testid="stMetric"]')]
    .filter(shown).length;
  return {charts, metrics};
}"""


GRID_SIZE = """(el) => {
  const grid = el.querySelector('[aria-rowcount]');
  return grid ? [Number(grid.getAttribute('aria-rowcount')) - 1,
                 Number(grid.getAttribute('aria-colcount') || 1)] : null;
}"""


def _content(page) -> dict:
    """The page's visible charts (traces and points), tables (rows, columns) and metrics."""
    found = page.evaluate(CONTENT)
    found["tables"] = []
    for grid in page.get_by_test_id("stDataFrame").all():
        if not grid.is_visible():
            continue
        grid.scroll_into_view_if_needed()
        grid.locator("[aria-rowcount]").first.wait_for(state="attached", timeout=30_000)
        found["tables"].append(grid.evaluate(GRID_SIZE))
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    return found


def _visit(page, base: str, start: str, link: str, h1: str) -> float:
    """Open *start*, then click *link* in the sidebar: ms until the page has settled."""
    from playwright.sync_api import TimeoutError as Timeout

    try:
        page.goto(base, timeout=120_000)
        page.wait_for_function(SETTLED, arg=start, timeout=120_000)
        nav = page.get_by_test_id("stSidebarNav").get_by_role("link", name=link, exact=True)
        t = time.perf_counter()
        nav.click()
        page.wait_for_function(SETTLED, arg=h1, timeout=120_000, polling="raf")
    except Timeout as exc:
        raise RuntimeError(f"{base} -> {link}: not settled ({exc.message[:2000]})") from None
    return (time.perf_counter() - t) * 1000


@contextlib.contextmanager
def _floor_server(spec: dict, tmp: Path):
    """benchmarks/floor_app.py served from a folder with the dashboard's config and static/."""
    app_dir = tmp / "floor"
    (app_dir / ".streamlit").mkdir(parents=True)
    shutil.copy(ROOT / "benchmarks" / "floor_app.py", app_dir / "floor_app.py")
    shutil.copy(ROOT / ".streamlit" / "config.toml", app_dir / ".streamlit" / "config.toml")
    (app_dir / "static").symlink_to(ROOT / "static")
    (app_dir / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", "floor_app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--server.fileWatcherType", "none",
    ]  # fmt: skip
    env = {**os.environ, "MALBILD_FLOOR_SPEC": str(app_dir / "spec.json")}
    with _started(cmd, env, tmp / "floor.log", port, "/_stcore/health", "floor", app_dir) as proc:
        yield proc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--org", default="gotland")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pages", default=",".join(PAGES), help="comma-separated page names")
    args = ap.parse_args(argv)
    if args.runs > 10:
        ap.error("bounded: at most 10 runs")
    from playwright.sync_api import sync_playwright

    pages = {n: PAGES[n] for n in args.pages.split(",")}
    query = f"lang=sv&org={args.org}"
    with tempfile.TemporaryDirectory(prefix="malbild-floor-") as tmp_s, sync_playwright() as p:
        tmp = Path(tmp_s)
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="sv-SE")
        with replica(args.data.resolve(), tmp / "app.log") as app:
            base = f"{app.url}/accessibility?{query}"
            spec, real = {}, {}
            for name, (link, h1) in pages.items():
                _visit(page, base, START, link, h1)  # warm: the first visit builds caches
                spec[name] = _content(page)
                real[name] = [_visit(page, base, START, link, h1) for _ in range(args.runs)]
        with _floor_server(spec, tmp) as floor:
            bare = {
                name: [
                    _visit(page, f"{floor.url}/", "Start", f"floor {name}", "Floor")
                    for _ in range(args.runs + 1)
                ][1:]
                for name in pages
            }
        browser.close()
    print(f"{args.data}: {args.org}, Swedish, reached from the sidebar, median of {args.runs}")
    print("| page | charts (points) | tables (rows) | metrics | page ms | floor ms | ratio |")
    print("|---|---|---|---:|---:|---:|---:|")
    for name in pages:
        s = spec[name]
        charts = f"{len(s['charts'])} ({sum(n for c in s['charts'] for _, n in c)})"
        tables = f"{len(s['tables'])} ({sum(r for r, _ in s['tables'])})"
        a, b = statistics.median(real[name]), statistics.median(bare[name])
        row = [name, charts, tables, s["metrics"], f"{a:.0f}", f"{b:.0f}", f"{a / b:.2f}"]
        print("| " + " | ".join(str(c) for c in row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
