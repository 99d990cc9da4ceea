"""Server time of a page rerun after a filter change, page by page (issue 13's targets:
median at most 80 ms on the sample, at most 120 ms at 1 million activities).

    .venv/bin/python benchmarks/reruns.py [--data data] [--orgs 4] [--repeat 3]

For every page it opens an AppTest session in Swedish, then chooses one organisation after
another in the sidebar (one rerun each, as a person's click) and times each rerun from the
change to the page drawn. The first visit of each organisation is "new": nothing of that
selection is cached yet (queries, figures and tables are built); the later rounds are
"seen": another session already asked the same (what most clicks are once a few hundred
managers use the dashboard in the same weeks). Reports the median and the maximum of each.
Streamlit's caches and the app's figure and table caches are emptied before each page, so
pages do not warm each other. Run it alone: the machine's two cores are shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = ("overview", "goals", "activities", "networks", "projects", "evaluation", "data", "history")


def _orgs(folder: Path, n: int) -> list[str]:
    from dashboard.contract import TABLE_BY_NAME
    from dashboard.dataset import read_table

    orgs = read_table(folder, TABLE_BY_NAME["organisations"], columns=["org_id"])["org_id"]
    return sorted(orgs.to_pylist())[:n]


def page_reruns(folder: Path, page: str, orgs: list[str], repeat: int) -> dict:
    """Rerun times (ms) of *page* as *orgs* are chosen one after another, *repeat* rounds."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard import ui

    os.environ["DASHBOARD_DATA_DIR"] = str(folder)
    st.cache_data.clear()
    ui.clear_built()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=600)
    at.query_params["lang"] = "sv"
    at.run()
    if page != "overview":
        at.switch_page(f"dashboard/pages/{page}.py").run()
    new, seen = [], []
    for round_ in range(repeat):
        for org in orgs:
            box = at.selectbox(key="f_org")
            t = time.perf_counter()
            box.set_value(org).run()
            (new if round_ == 0 else seen).append((time.perf_counter() - t) * 1000)
            if at.exception:
                raise RuntimeError(f"{page}: {at.exception[0].message}")
    return {"new": new, "seen": seen}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--orgs", type=int, default=4, help="organisations chosen in turn")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (the first is 'new')")
    ap.add_argument("--pages", default=",".join(PAGES))
    args = ap.parse_args(argv)
    folder = args.data.resolve()
    orgs = _orgs(folder, args.orgs)
    print(f"{folder}: {len(orgs)} organisations in turn, {args.repeat} rounds")
    print("| page | new selection: median / max ms | seen selection: median / max ms |")
    print("|---|---:|---:|")
    for page in args.pages.split(","):
        r = page_reruns(folder, page, orgs, args.repeat)
        cells = [f"{statistics.median(v):.0f} / {max(v):.0f}" if v else "–" for v in r.values()]
        print(f"| {page} | {cells[0]} | {cells[1]} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
