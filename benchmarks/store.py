"""One-organisation queries and page reruns over the object store against local disk, side
by side in one run, on a generated dataset.

    .venv/bin/python benchmarks/store.py --activities 1000000

The store is moto's S3 server on the loopback (what the tests use): it measures what
reading through fsspec costs, not a real network; against a cloud store add its latency
per request. Figures go to benchmarks/RESULTS.md by hand, with the command.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.model.contract import TABLE_BY_NAME
from dashboard.model.filters import Filters
from dashboard.sql.queries import params_for
from dashboard.storage import (
    store,
    synth,
)
from dashboard.storage.dataset import read_table
from dashboard.storage.engine import Database
from deploy.local import free_port

QUERIES = ("activities", "activities_count", "goal_coverage", "overview_metrics", "network_summary")
PAGES = ("overview", "activities", "networks")


def _median(run, n: int = 15) -> float:
    run()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def _rerun_ms(location: str, page: str, orgs: list[str], mode: str = "mirror") -> float:
    from streamlit.testing.v1 import AppTest

    os.environ["DASHBOARD_DATA_DIR"] = location
    os.environ[store.READ_SETTING] = mode
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
    at.query_params["lang"] = "sv"
    at.run()
    if page != "overview":
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
    times = []
    for o in orgs * 2:
        at.query_params["org"] = o
        t = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t) * 1000)
    assert not at.exception, at.exception
    return statistics.median(times[: len(orgs)])  # each organisation's first: nothing cached


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--activities", type=int, default=1_000_000)
    args = ap.parse_args()
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1",
        DASHBOARD_S3_ENDPOINT=f"http://127.0.0.1:{port}",
    )  # fmt: skip
    try:
        with tempfile.TemporaryDirectory() as tmp:
            local = Path(tmp) / "data"
            synth.generate(args.activities, local, seed=1)
            store.filesystem().mkdir("bench")
            loc = store.Location.parse("s3://bench/region")
            t = time.perf_counter()
            store.publish(loc, local, {"who": "bench", "action": "import"})
            print(f"published {args.activities:,} activities in {time.perf_counter() - t:.1f} s")
            acts = read_table(local, TABLE_BY_NAME["activities"], columns=["org_id", "year"])
            org, year = acts["org_id"][acts.num_rows // 2].as_py(), acts["year"][0].as_py()
            f = Filters((org,), year, year)
            t = time.perf_counter()
            copy = store.mirror(loc, 1, Path(tmp) / "cache")
            print(f"a replica's copy of the version downloaded in {time.perf_counter() - t:.1f} s")
            dbs = {
                "local": Database(local),
                "mirror": Database(copy),
                "direct": Database(store=(loc, 1)),
            }
            print(f"one organisation ({org}), one year ({year}), median of 15 warm runs:")
            print("| query | local disk ms | store, mirrored ms | store, direct ms |")
            print("|---|---:|---:|---:|")
            for q in QUERIES:
                params = params_for(q, f, search=None, limit=200, offset=0)
                row = [_median(lambda db=db, q=q, p=params: db.df(q, p)) for db in dbs.values()]
                print(f"| {q} | {row[0]:.1f} | {row[1]:.1f} | {row[2]:.1f} |")
            orgs = sorted(set(acts["org_id"].to_pylist()))[:4]
            print(
                "\n| page rerun, another organisation (its first) | local disk ms"
                " | store, mirrored ms |\n|---|---:|---:|"
            )
            for page in PAGES:
                a = _rerun_ms(str(local), page, orgs)
                b = _rerun_ms(loc.url, page, orgs, "mirror")
                print(f"| {page} | {a:.0f} | {b:.0f} |")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
