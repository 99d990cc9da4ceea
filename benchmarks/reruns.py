"""Server time of a page rerun after a filter change, page by page (issue 13's targets:
median at most 80 ms on the sample, at most 120 ms at 1 million activities).

    .venv/bin/python benchmarks/reruns.py [--data data] [--orgs 4] [--repeat 3]

It starts the dashboard (`streamlit run`, as deploy/local.py does) over --data and, for
every page, opens one session over Streamlit's websocket (as benchmarks/load.py does, no
browser) and asks for the page with one organisation after another in the link: each is
one rerun of the script with another organisation, as a click on the sidebar's choice or
the browser's Back button is. A rerun's time is from sending it to the server's
`script_finished`, on the loopback: the server's time, plus the little the websocket adds.

The first round meets organisations nothing is cached for yet ("new": queries, figures and
tables are built); the later rounds meet them again ("seen": what most clicks are once
many managers use the dashboard in the same weeks, since caches are shared by sessions).
Each page starts from a fresh server, so pages do not warm each other. Reports the median
and maximum of each; run it alone (the machine's two cores are shared).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.load import _rerun, _run_to_end
from dashboard.app.pages import PAGES as REGISTERED
from deploy.local import replica

# URL paths of every registered page but the statement (the overview is the root)
PAGES = tuple("" if p.default else p.name for p in REGISTERED if p.name != "accessibility")


def _orgs(folder: Path, n: int) -> list[str]:
    from dashboard.model.contract import TABLE_BY_NAME
    from dashboard.storage.dataset import read_table

    orgs = read_table(folder, TABLE_BY_NAME["organisations"], columns=["org_id"])["org_id"]
    return sorted(orgs.to_pylist())[:n]


async def _session(url: str, page: str, orgs: list[str], repeat: int) -> dict[str, list[float]]:
    import websockets

    times: dict[str, list[float]] = {"new": [], "seen": []}
    async with websockets.connect(
        url.replace("http://", "ws://") + "/_stcore/stream",
        subprotocols=["streamlit"],
        max_size=None,
        open_timeout=60,
    ) as ws:
        await ws.send(_rerun(page, "lang=sv"))
        if error := await _run_to_end(ws, time.monotonic() + 300):
            raise RuntimeError(f"{page or 'overview'}: {error}")
        for round_ in range(repeat):
            for org in orgs:
                t = time.monotonic()
                await ws.send(_rerun(page, f"lang=sv&org={org}"))
                if error := await _run_to_end(ws, t + 300):
                    raise RuntimeError(f"{page or 'overview'}, {org}: {error}")
                times["new" if round_ == 0 else "seen"].append((time.monotonic() - t) * 1000)
    return times


def page_reruns(data: Path, page: str, orgs: list[str], repeat: int) -> dict[str, list[float]]:
    """Rerun times (ms) of *page* on a fresh server as *orgs* are chosen in turn."""
    with (
        tempfile.TemporaryDirectory(prefix="malbild-reruns-") as tmp,
        replica(data, Path(tmp) / "app.log") as app,
    ):
        return asyncio.run(_session(app.url, page, orgs, repeat))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--orgs", type=int, default=4, help="organisations chosen in turn")
    ap.add_argument("--repeat", type=int, default=3, help="rounds (the first is 'new')")
    ap.add_argument("--pages", default=",".join(p or "overview" for p in PAGES))
    args = ap.parse_args(argv)
    if args.orgs > 50 or args.repeat > 20:
        ap.error("bounded: at most 50 organisations and 20 rounds")
    folder = args.data.resolve()
    orgs = _orgs(folder, args.orgs)
    print(f"{folder}: {len(orgs)} organisations in turn, {args.repeat} rounds")
    print("| page | new selection: median / max ms | seen selection: median / max ms |")
    print("|---|---:|---:|")
    for name in args.pages.split(","):
        r = page_reruns(folder, "" if name == "overview" else name, orgs, args.repeat)
        cells = [f"{statistics.median(v):.0f} / {max(v):.0f}" if v else "–" for v in r.values()]
        print(f"| {name} | {cells[0]} | {cells[1]} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
