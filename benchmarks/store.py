"""One-organisation page queries on a lake on local disk against the same lake shared
through a PostgreSQL catalog and an object store read by DuckDB's httpfs, side by side in
one run, on a generated dataset.

    .venv/bin/python benchmarks/store.py --activities 1000000

The store is moto's S3 server and the catalog Debian's PostgreSQL, both on the loopback
(what the tests use): it measures what reading through httpfs and a catalog server costs,
not a real network; against a cloud store add its latency per request. Figures go to
benchmarks/RESULTS.md by hand, with the command.
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
from dashboard.storage import Database, data_dir, read_table, synth
from deploy.local import free_port
from deploy.postgres import PostgresServer

QUERIES = ("activities", "activities_count", "goal_coverage", "overview_metrics", "network_summary")
BUCKET = "malbild-bench"


def _median(run, n: int = 15) -> float:
    run()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        run()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--activities", type=int, default=1_000_000)
    args = ap.parse_args()
    import logging

    import boto3
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # not a line per request
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_REGION="us-east-1",
        AWS_ENDPOINT_URL=endpoint, DASHBOARD_MEMORY_ROWS="0",
    )  # fmt: skip
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
    try:
        with tempfile.TemporaryDirectory() as tmp, PostgresServer() as pg:
            local = Path(tmp) / "local"
            t = time.perf_counter()
            synth.generate(args.activities, local, seed=1)
            print(f"local lake: {args.activities:,} activities in {time.perf_counter() - t:.1f} s")
            os.environ.update(
                DASHBOARD_CATALOG=f"postgres:{pg.conninfo}",
                DASHBOARD_DATA_DIR=f"s3://{BUCKET}/region",
                DASHBOARD_LOCAL_DIR=str(Path(tmp) / "machine"),
            )
            shared = data_dir()
            t = time.perf_counter()
            synth.generate(args.activities, shared, seed=1)
            print(f"shared lake: the same in {time.perf_counter() - t:.1f} s")
            acts = read_table(local, TABLE_BY_NAME["activities"], columns=["org_id", "year"])
            assert acts is not None
            org, year = acts["org_id"][acts.num_rows // 2].as_py(), acts["year"][0].as_py()
            f = Filters((org,), year, year)
            t = time.perf_counter()
            dbs = {"local": Database(local), "shared": Database(shared)}
            print(f"both opened in {time.perf_counter() - t:.1f} s")
            print(f"one organisation ({org}), one year ({year}), median of 15 warm runs:")
            print("| query | local lake ms | PostgreSQL + S3 (httpfs) ms |")
            print("|---|---:|---:|")
            for q in QUERIES:
                params = params_for(q, f, search=None, limit=200, offset=0)
                row = [_median(lambda db=db, q=q, p=params: db.df(q, p)) for db in dbs.values()]
                print(f"| {q} | {row[0]:.1f} | {row[1]:.1f} |")
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
