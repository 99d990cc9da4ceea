"""A region's dataset on several machines: one DuckLake lake with its catalog in a real
PostgreSQL and its files in a real S3-compatible store (moto's server mode), each started on a
free local port. Two "machines" are two processes with their own local folder: both read,
both save, a conflict is refused with the other's rows, each sees the other's changes and
undo; the reader is locked down to the lake; a store or catalog that is down is said in the
app's own words within seconds and the app recovers by itself."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from deploy.local import free_port
from deploy.postgres import PostgresServer
from tests.conftest import ROOT, SAMPLE_SOURCE
from tests.helpers import ALL_PAGES, commands_at_once

BUCKET = "malbild-region"
DATA = f"s3://{BUCKET}/region"


class Moto:
    """moto's S3 server on a port, which a test can stop and start again (its buckets are
    kept in this process meanwhile)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.server = None
        self.start()

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self) -> None:
        assert self.server is not None
        self.server.stop()

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A shared lake's servers and the settings every machine of the region gets."""
    import boto3

    moto = Moto()
    boto3.client(
        "s3", endpoint_url=moto.endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    ).create_bucket(Bucket=BUCKET)  # fmt: skip
    with PostgresServer() as pg:
        env = {
            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": moto.endpoint,
            "DASHBOARD_CATALOG": f"postgres:{pg.conninfo}", "DASHBOARD_DATA_DIR": DATA,
        }  # fmt: skip
        first = machine(env, tmp_path_factory.mktemp("m0"), "ingest", str(SAMPLE_SOURCE))
        assert first["version"] >= 1
        try:
            yield {"env": env, "moto": moto, "pg": pg}
        finally:
            moto.stop()


MACHINE = r"""
import json, sys
from pathlib import Path
from dashboard.imports import editing, undo
from dashboard.imports.ingest import ingest
from dashboard.model.access import Grant, Person
from dashboard.storage import Change, data_dir, entries, read_table
from dashboard.model.contract import TABLE_BY_NAME

out = data_dir()
who = Person("Ada", "ada@region.se", (Grant("*", "admin"),), True)
cmd, args = sys.argv[1], sys.argv[2:]
done = {}
if cmd == "ingest":
    made = Change("it@region.se", "import", "the region's import", person=None)
    ingest(Path(args[0]), out, change=made)
elif cmd in ("title", "title-late"):  # org, year, activity id, new title; waits for "go"
    org, year, aid, title = args[0], int(args[1]), args[2], args[3]
    if cmd == "title-late":  # and again once its write's transaction has looked at the lake
        from dashboard.storage import publishing
        first, looked = publishing._newest, []
        def late(w):
            now = first(w)
            if not looked:
                looked.append(now)
                sys.stdout.write("looked\n"); sys.stdout.flush(); sys.stdin.readline()
            return now
        publishing._newest = late
    base = editing.load(out, org, year, "sv")
    edited = [dict(r, activity_title=title) if r[editing.ID] == aid else dict(r) for r in base]
    sys.stdout.write("ready\n"); sys.stdout.flush(); sys.stdin.readline()
    try:
        editing.save(out, org, year, "sv", base, edited, who, f"{aid} on {args[4]}")
        done["saved"] = True
    except editing.Conflict as exc:
        done["refused"] = [*exc.changed, *exc.added, *exc.removed]
elif cmd == "undo":
    undo.undo(out, int(args[0]), who, "undone")
acts = read_table(out, TABLE_BY_NAME["activities"])
done["titles"] = dict(zip(acts["activity_id"].to_pylist(), acts["title"].to_pylist()))
done["record"] = [(e.version, e.who, e.action, e.comment) for e in entries(out)]
done["version"] = max((e.version for e in entries(out)), default=0)
# each change's time as the record gives it, beside the engine's own list of snapshots
from dashboard.storage.dataset import _engine
at = "strftime(snapshot_time at time zone 'UTC', '%Y-%m-%dT%H:%M:%S+00:00')"
snaps = dict(_engine(out).rows(f"select snapshot_id, {at} from lake.snapshots()"))
done["times"] = [(e.time, snaps.get(e.version)) for e in entries(out)]
print(json.dumps(done, default=str))
"""


def _env(env: dict, local: Path) -> dict:
    return {**os.environ, **env, "DASHBOARD_LOCAL_DIR": str(local), "PYTHONPATH": str(ROOT)}


def machine(env: dict, local: Path, *args: str) -> dict:
    """Run one command on a "machine": a process with the region's settings and a local
    folder of its own."""
    done = subprocess.run(
        [sys.executable, "-c", MACHINE, *args],
        env=_env(env, local), cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def together(env: dict, tmp: Path, *saves: tuple[str, ...]) -> list[dict]:
    """Start a save on each machine, let all load the rows, then let all save at once."""
    procs = []
    for i, args in enumerate(saves):
        local = tmp / f"machine-{i}"
        proc = subprocess.Popen(
            [sys.executable, "-c", MACHINE, "title", *args, f"machine {i}"],
            env=_env(env, local), cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        procs.append(proc)
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=180)
        assert proc.returncode == 0, stderr[-3000:]
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def test_two_machines_read_and_save_one_lake(region: dict, tmp_path: Path) -> None:
    env = region["env"]
    a, b = tmp_path / "a", tmp_path / "b"
    seen_b = machine(env, b, "read")
    assert seen_b["titles"]["gotland-2009-07"] == "Hansedagar i Novgorod"  # b reads a's import
    # two saves of different rows of one organisation, at once: both succeed
    first, second = together(
        env, tmp_path,
        ("gotland", "2009", "gotland-2009-01", "Första raden"),
        ("gotland", "2009", "gotland-2009-02", "Andra raden"),
    )  # fmt: skip
    assert first.get("saved") and second.get("saved"), (first, second)
    now = machine(env, a, "read")
    assert now["titles"]["gotland-2009-01"] == "Första raden"
    assert now["titles"]["gotland-2009-02"] == "Andra raden"
    comments = [r[3] for r in now["record"]]
    # the record's times are the snapshots' (read from the PostgreSQL catalog's own tables)
    assert now["times"] and all(mine and mine == theirs for mine, theirs in now["times"]), now[
        "times"
    ]
    assert "gotland-2009-01 on machine 0" in comments and "gotland-2009-02 on machine 1" in comments
    # two saves of the same row from the same view: the later is refused with the other's row
    one, other = together(
        env, tmp_path,
        ("gotland", "2009", "gotland-2009-03", "Den ena"),
        ("gotland", "2009", "gotland-2009-03", "Den andra"),
    )  # fmt: skip
    assert sorted(bool(x.get("saved")) for x in (one, other)) == [False, True], (one, other)
    refused = one if "refused" in one else other
    winner = "Den ena" if refused is other else "Den andra"
    assert winner in json.dumps(refused["refused"], ensure_ascii=False)
    # an undo on one machine is what the other reads next
    last = machine(env, a, "read")["version"]
    undone = machine(env, a, "undo", str(last))
    assert undone["titles"]["gotland-2009-03"] != winner
    assert (
        machine(env, b, "read")["titles"]["gotland-2009-03"] == undone["titles"]["gotland-2009-03"]
    )


def test_a_save_landing_after_anothers_first_look_at_the_lake_is_not_overwritten(
    region: dict, tmp_path: Path
) -> None:
    """Machine 1 saves a row after machine 0's save of it has checked that no commit came
    since its form was read and its transaction has looked at the lake: the transaction
    is fixed at that look, so DuckLake refuses machine 0's commit and its save, made
    again, meets machine 1's row. A look at the catalog's own list does not fix it, and
    machine 1's save was overwritten (both saved; 2026-12-06)."""
    env = region["env"]
    row = ("gotland", "2009", "gotland-2009-05")
    late = subprocess.Popen(
        [sys.executable, "-c", MACHINE, "title-late", *row, "Den sena", "machine 0"],
        env=_env(env, tmp_path / "late"), cwd=ROOT, text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert late.stdout is not None and late.stdin is not None
    assert late.stdout.readline().strip() == "ready"
    late.stdin.write("go\n")
    late.stdin.flush()
    assert late.stdout.readline().strip() == "looked"
    (first,) = together(env, tmp_path / "first", (*row, "Den första"))
    assert first.get("saved"), first
    late.stdin.write("go\n")
    late.stdin.flush()
    stdout, stderr = late.communicate(timeout=180)
    assert late.returncode == 0, stderr[-3000:]
    done = json.loads(stdout.strip().splitlines()[-1])
    refused = json.dumps(done.get("refused"), ensure_ascii=False)
    assert not done.get("saved") and "Den första" in refused, done
    assert done["titles"]["gotland-2009-05"] == "Den första"


def test_the_app_serves_the_shared_lake_and_sees_another_machines_change(
    region: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for k, v in region["env"].items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("DASHBOARD_LOCAL_DIR", str(tmp_path / "app"))
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.query_params["lang"] = "sv"
    at.query_params["org"] = "gotland"
    at.query_params["year"] = "2009"
    at.run()
    for page in ALL_PAGES:
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])

    def titles() -> set[str]:
        at.switch_page("dashboard/app/pages/activities.py").run()
        assert not at.exception
        return {t for d in at.dataframe if "Titel" in d.value for t in d.value["Titel"]}

    # another machine saves: the open session's next click shows it, and its History
    other = machine(region["env"], tmp_path / "other", "read")
    base = [t for t in titles() if t.startswith("Hansedagar")]
    assert base
    done = subprocess.run(
        [sys.executable, "-c", MACHINE, "title", "gotland", "2009", "gotland-2009-07",
         "Hansedagar i Veliky Novgorod", "the other machine"],
        env=_env(region["env"], tmp_path / "other"), cwd=ROOT, input="go\n",
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert other["version"] < json.loads(done.stdout.splitlines()[-1])["version"]
    assert "Hansedagar i Veliky Novgorod" in titles()
    at.switch_page("dashboard/app/pages/history.py").run()
    assert not at.exception
    assert "gotland-2009-07 on the other machine" in at.dataframe[0].value.to_string()


def test_the_reader_reads_the_lake_and_nothing_else(region: dict, tmp_path: Path) -> None:
    """Locked down: the reader's DuckDB reads the catalog and the lake's prefix only."""
    import boto3

    env = region["env"]
    s3 = boto3.client(
        "s3", endpoint_url=env["AWS_ENDPOINT_URL"], region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    s3.put_object(Bucket=BUCKET, Key="secret/goals.csv", Body=b"a,b\n1,2\n")
    probe = r"""
import duckdb, json, sys
from dashboard.storage import Database
db = Database()
found = {}
with db.cursor() as cur:
    found["organisations"] = cur.execute("select count(*) from organisations").fetchall()[0][0]
    for probe in sys.argv[1:]:
        try:
            cur.execute(f"select * from read_csv('{probe}')").fetchall()
            found[probe] = "read"
        except duckdb.Error as exc:
            found[probe] = type(exc).__name__
    try:
        cur.execute("set allowed_directories = ['/']")
        found["unlock"] = "changed"
    except duckdb.Error as exc:
        found["unlock"] = type(exc).__name__
print(json.dumps(found))
"""
    # (not "{DATA}/../secret/…": DuckDB 1.5 checks an s3:// path against the allowed prefix
    # as written, and moto's server resolves the "..", so it reads; real S3 keeps keys as
    # written (nothing found). DuckDB 2.0 refuses it; until then the store's credentials
    # are limited to the prefix, see the README's "Several machines")
    probes = [f"s3://{BUCKET}/secret/goals.csv", f"s3://{BUCKET}/regionX/goals.csv",
              "/etc/passwd", str(ROOT / "sample" / "organisations.csv")]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", probe, *probes],
        env=_env(env, tmp_path / "probe"), cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout.splitlines()[-1])
    assert found.pop("organisations") == 5
    assert found.pop("unlock") != "changed"
    assert all(v != "read" for v in found.values()), found


def activities_page(region: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The Activities page in Swedish for Gotland, served from the region's lake as an app
    server of the region would (every query read from the store), drawn without a fault."""
    for k, v in region["env"].items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("DASHBOARD_LOCAL_DIR", str(tmp_path / "app"))
    monkeypatch.setenv("DASHBOARD_MEMORY_ROWS", "0")  # read from the store on every query
    from dashboard.app import data

    data.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.query_params["lang"] = "sv"
    at.query_params["org"] = "gotland"
    at.run()
    at.switch_page("dashboard/app/pages/activities.py").run()
    assert not at.exception and not at.error
    return at


def test_a_store_or_catalog_that_is_down_is_said_quickly_and_the_app_recovers(
    region: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The object store down: a page that reads files says so in the app's words within
    2 s; the catalog down: the app serves the snapshot it holds and says the store is
    down; both back: the pages work again without a restart."""
    from dashboard.app import data

    at = activities_page(region, tmp_path, monkeypatch)
    moto, pg = region["moto"], region["pg"]
    moto.stop()
    try:
        data.clear()
        t = time.monotonic()
        at.run()
        took = time.monotonic() - t
        assert not at.exception
        shown = [e.value for e in at.error] + [w.value for w in at.sidebar.warning]
        assert any("lagringen" in s for s in shown), shown
        assert took < 2 + 3, took  # AppTest's own rerun adds about a second here
    finally:
        moto.start()
    at.run()
    assert not at.exception and not at.error
    pg.stop()
    try:
        t = time.monotonic()
        at.run()
        took = time.monotonic() - t
        assert not at.exception
        shown = [e.value for e in at.error] + [w.value for w in at.sidebar.warning]
        assert any("lagringen" in s for s in shown), shown
        assert took < 2 + 3, took
        # the History page says the store does not answer, never "no history yet" (the
        # record of changes is in the catalog: an empty one would tell an auditor that
        # nothing was ever changed)
        at.switch_page("dashboard/app/pages/history.py").run()
        assert not at.exception
        said = [i.value for i in at.info] + [e.value for e in at.error]
        said += [w.value for w in at.sidebar.warning]
        assert not any("ingen historik" in s for s in said), said
        assert any("lagringen" in s for s in said), said
        at.switch_page("dashboard/app/pages/activities.py")
    finally:
        pg.start()
    at.run()
    assert not at.exception and not at.error
    assert not at.sidebar.warning


def test_a_store_that_refuses_the_credentials_is_said_so_not_as_down_or_damaged(
    region: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The object store answers, but refuses this server's key (HTTP 403: a key rotated or
    expired; moto checking every request's credentials, which it knows none of): a page
    says the store refused this server's access, not "does not answer" (the IT department
    would look for a network fault) nor "damaged, re-import" (an import would fail the
    same way); the command line says it in one line with exit 2; once the store accepts
    the key again the page reads again."""
    import urllib.request

    from dashboard.app import data

    def checking(count: str) -> None:  # moto's own switch: check credentials after *count*
        req = urllib.request.Request(
            f"{region['moto'].endpoint}/moto-api/reset-auth", data=count.encode(),
            method="POST", headers={"Content-Type": "text/plain"},
        )  # fmt: skip
        with urllib.request.urlopen(req, timeout=5) as answer:
            assert answer.status == 200

    at = activities_page(region, tmp_path, monkeypatch)
    checking("0")
    try:
        data.clear()
        at.run()
        assert not at.exception
        shown = [e.value for e in at.error] + [w.value for w in at.sidebar.warning]
        assert any("nekade den här servern åtkomst" in s for s in shown), shown
        assert not any("svarar inte" in s or "importera" in s.lower() for s in shown), shown
        done = commands_at_once(
            {"query": ["query", "activities", "--org", "gotland"]}, dict(os.environ)
        )["query"]
        code, _, err, _ = done
        last = err.strip().splitlines()[-1] if err.strip() else ""
        assert code == 2 and last.startswith("error: "), (code, err[-2000:])
        assert "refused this server's credentials" in last, last
    finally:
        checking("inf")
    # the catalog's server refusing the user it is given (PostgreSQL: a role it does not
    # know; the test's cluster trusts the loopback, so no password can be wrong here)
    wrong = re.sub(r"user=\S+", "user=nobody_here", region["env"]["DASHBOARD_CATALOG"])
    for name, (code, _, err, _) in commands_at_once(
        {"query": ["query", "activities"], "history": ["history"], "has-dataset": ["has-dataset"]},
        {**os.environ, "DASHBOARD_CATALOG": wrong},
    ).items():
        last = err.strip().splitlines()[-1] if err.strip() else ""
        assert code == 2 and "refused this server's credentials" in last, (name, code, err)
    data.clear()
    at.run()
    assert not at.exception and not at.error


def test_the_command_line_says_what_failed_when_the_store_or_catalog_is_down(
    region: dict, tmp_path: Path
) -> None:
    """`query`, `export`, `history`, `has-dataset`, `restore` and `ingest` on the region's
    lake (each a process of its own, as typed), with the object store down and then the
    catalog down: each says what failed in one line on standard error (exit 2, no
    traceback; `has-dataset` never says "none yet"), in seconds, and writes nothing; what
    needs only the part still up answers (the record of changes and the table list are in
    the catalog: `history` and `has-dataset` answer while the store is down, and a restore
    the record's rows can make is made); with both back each reading command works
    again."""
    env = {**_env(region["env"], tmp_path / "cli"), "DASHBOARD_MEMORY_ROWS": "0"}

    def at_once(commands: dict[str, list[str]]) -> dict[str, tuple[int, str, str, float]]:
        return commands_at_once(commands, env)

    def versions() -> int:  # the record's rows, as `history` prints them (a header first)
        code, out, err, _ = at_once({"history": ["history"]})["history"]
        assert code == 0, err[-2000:]
        return len(list(csv.reader(io.StringIO(out)))) - 1

    before = versions()
    reading = {
        "query": ["query", "activities", "--org", "gotland", "--year", "2009"],
        "export": ["export", "--out", str(tmp_path / "export.xlsx"), "--org", "gotland"],
        "history": ["history", "--limit", "1"],
        # 1 would be "no dataset yet": a container's first start imports the sample then
        "has-dataset": ["has-dataset"],
    }
    writing = {
        "restore": ["restore", "1", "--who", "it@region.se"],
        "ingest": ["ingest", str(SAMPLE_SOURCE), "--out", DATA],
    }
    made = 0  # the versions a restore made while the store was down
    in_catalog = {"history", "has-dataset", "restore"}  # what the catalog alone may answer
    for down, answers in ((region["moto"], in_catalog), (region["pg"], set())):
        down.stop()
        try:
            for name, (code, out, err, took) in at_once({**reading, **writing}).items():
                err = err.strip()
                if name == "history" and name in answers:
                    assert code == 0 and out.startswith("version,"), err
                    continue
                if name == "has-dataset" and name in answers:
                    assert code == 0, err
                    continue
                if name == "restore" and name in answers and code == 0:
                    said = out.strip()  # "version 1 restored as version 7"
                    assert re.fullmatch(r"version 1 restored as version \d+", said), said
                    made += 1
                    continue
                assert code == 2, (name, code, err)
                last = err.splitlines()[-1] if err else ""
                assert last.startswith("error: ") and "Traceback" not in err, (name, err)
                assert "not kept" not in err, (name, err)  # not "pruned": not answering
                assert took < 20, (name, took)
        finally:
            down.start()
    for name, (code, _, err, _) in at_once(reading).items():  # both back
        assert code == 0, (name, err[-2000:])
    assert versions() == before + made  # nothing was written meanwhile but what was said


def test_an_object_missing_from_the_store_is_said_and_an_import_repairs_it(
    region: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The activities' data object removed from the bucket under the current snapshot: the
    page says in the app's words that the data cannot be read (not Streamlit's error
    page), within seconds; an import of the whole dataset makes the table anew and the
    page reads again. (Last of the region's tests: it replaces the region's data.)"""
    import boto3

    for k, v in region["env"].items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("DASHBOARD_LOCAL_DIR", str(tmp_path / "app"))
    monkeypatch.setenv("DASHBOARD_MEMORY_ROWS", "0")  # read from the store on every query
    s3 = boto3.client(
        "s3", endpoint_url=region["moto"].endpoint, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
    )  # fmt: skip
    listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="region/main/activities/")
    objects = [o["Key"] for o in listed.get("Contents", []) if o["Key"].endswith(".parquet")]
    assert objects, listed
    for key in objects:
        s3.delete_object(Bucket=BUCKET, Key=key)
    from dashboard.app import data

    data.clear()
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=90)
    at.query_params["lang"] = "sv"
    at.query_params["org"] = "gotland"
    t = time.monotonic()
    at.run()
    at.switch_page("dashboard/app/pages/activities.py").run()
    took = time.monotonic() - t
    assert not at.exception
    said = [e.value for e in at.error] + [w.value for w in at.sidebar.warning]
    assert any("skadad eller borttagen (activities)" in s for s in said), said
    assert took < 2 + 6, took  # two runs of AppTest's own
    assert machine(region["env"], tmp_path / "m", "ingest", str(SAMPLE_SOURCE))["version"]
    data.clear()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    cells = [str(c) for d in at.dataframe for c in d.value.to_numpy().ravel()]
    assert "Hansedagar i Novgorod" in cells, cells[:20]


def test_a_location_outside_the_configured_lake_is_refused(tmp_path: Path) -> None:
    from dashboard.cli import main

    with pytest.raises(SystemExit, match="DASHBOARD_CATALOG"):
        main(["ingest", str(SAMPLE_SOURCE), "--out", "s3://another/prefix"])


def test_duckdb_is_the_pinned_release_with_its_extension_packages() -> None:
    """DuckDB 1.5.5 and the four extensions this project loads from their packages."""
    from dashboard.storage.engine import EXTENSIONS, extension_file

    assert duckdb.__version__ == "1.5.5"
    for name in EXTENSIONS:
        assert extension_file(name).is_file(), name


def test_an_extension_file_is_verified_once_and_again_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DuckDB checks each extension's signature the first time a process loads it; later
    instances load the same unchanged file without the check (~100 ms a file). A file that
    changed since (another inode, size or time) is checked again: a tampered one is refused."""
    import shutil

    from dashboard.storage import engine
    from dashboard.storage.location import Lake

    real = engine.extension_file
    lake = Lake(f"sqlite:{tmp_path / 'catalog.sqlite'}", str(tmp_path / "files") + "/", tmp_path)
    monkeypatch.setattr(engine, "_VERIFIED", {})
    engine._connect(lake, 1, "500MB").close()
    first = dict(engine._VERIFIED)
    assert set(first) == {real("ducklake"), real("sqlite_scanner")}
    engine._connect(lake, 1, "500MB").close()
    assert first == engine._VERIFIED  # known and unchanged: not checked again
    tampered = tmp_path / "ducklake.duckdb_extension"
    shutil.copyfile(real("ducklake"), tampered)
    with tampered.open("r+b") as f:  # a byte of the code changed: its signature no longer holds
        f.seek(1_000_000)
        byte = f.read(1)
        f.seek(1_000_000)
        f.write(bytes([byte[0] ^ 0xFF]))
    monkeypatch.setattr(
        engine, "extension_file", lambda n: tampered if n == "ducklake" else real(n)
    )
    engine._VERIFIED[tampered] = first[real("ducklake")]  # recorded for another file's state
    with pytest.raises(duckdb.Error, match="(?i)signature"):
        engine._connect(lake, 1, "500MB")


def test_a_verified_extension_is_recorded_for_the_next_process_and_only_a_safe_record_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process that saw DuckDB verify an extension writes the file's state beside it, and
    the next process (a command, an upload's child, another server) loads the same unchanged
    file without the check. A record counts only when this user or root wrote it and nobody
    else could have: shown with a copy whose signature no longer holds, which loads on a
    record of its exact state written by this user, and is refused (checked, and failing)
    with the record writable by others, recorded for another state, or when the file itself
    is writable by others (then no record is written at all)."""
    import shutil

    from dashboard.storage import engine
    from dashboard.storage.location import Lake

    real = engine.extension_file
    lake = Lake(f"sqlite:{tmp_path / 'catalog.sqlite'}", str(tmp_path / "files") + "/", tmp_path)
    # another process loads the extensions: what it verified is recorded beside each file
    for name in ("ducklake", "sqlite_scanner"):
        real(name).with_name(real(name).name + engine.VERIFIED_SUFFIX).unlink(missing_ok=True)
    code = (
        "import sys; from pathlib import Path; from dashboard.storage import engine, location; "
        "engine._connect(location.Lake(sys.argv[1], sys.argv[2], Path(sys.argv[3])), 1, '500MB')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, lake.catalog, lake.data_path, str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    for name in ("ducklake", "sqlite_scanner"):
        record = real(name).with_name(real(name).name + engine.VERIFIED_SUFFIX)
        assert engine._recorded(real(name)) == engine._file_state(real(name)), record
    # this process, as a new one: the records stand for the check
    monkeypatch.setattr(engine, "_VERIFIED", {})
    engine._connect(lake, 1, "500MB").close()
    assert set(engine._VERIFIED) == {real("ducklake"), real("sqlite_scanner")}

    tampered = tmp_path / "ext" / "ducklake.duckdb_extension"
    tampered.parent.mkdir()
    shutil.copyfile(real("ducklake"), tampered)
    with tampered.open("r+b") as f:  # a byte of its signature (the file's last 256 bytes,
        f.seek(-1, os.SEEK_END)  # after the code) changed: the code loads, the check fails
        byte = f.read(1)
        f.seek(-1, os.SEEK_END)
        f.write(bytes([byte[0] ^ 0xFF]))
    tampered.chmod(0o644)
    monkeypatch.setattr(
        engine, "extension_file", lambda n: tampered if n == "ducklake" else real(n)
    )
    record = tampered.with_name(tampered.name + engine.VERIFIED_SUFFIX)

    def fresh_connect() -> None:  # as a new process would: nothing verified in it yet
        monkeypatch.setattr(engine, "_VERIFIED", {})
        engine._connect(lake, 1, "500MB").close()

    with pytest.raises(duckdb.Error, match="(?i)signature"):
        fresh_connect()  # no record: checked, and refused
    record.write_text(" ".join(map(str, engine._file_state(tampered))), encoding="ascii")
    record.chmod(0o644)
    fresh_connect()  # this user's record of its exact state: not checked
    record.chmod(0o666)  # a record anybody could have written
    with pytest.raises(duckdb.Error, match="(?i)signature"):
        fresh_connect()
    record.chmod(0o644)
    ino, size, mtime = engine._file_state(tampered)
    record.write_text(f"{ino} {size} {mtime - 1}", encoding="ascii")  # another state's
    with pytest.raises(duckdb.Error, match="(?i)signature"):
        fresh_connect()
    record.write_text(f"{ino} {size} {mtime}", encoding="ascii")
    tampered.chmod(0o666)  # the file anybody could have changed: its record does not count
    with pytest.raises(duckdb.Error, match="(?i)signature"):
        fresh_connect()
    record.unlink()
    engine._record(tampered, engine._file_state(tampered))
    assert not record.exists()  # nor is one written for it


def test_an_image_records_every_extension_at_build_time() -> None:
    """`record_verified` (run by deploy/Dockerfile as root): DuckDB checks each installed
    extension now and each is recorded in its exact state, for a server of another user."""
    from dashboard.storage import engine

    names = ("ducklake", "sqlite_scanner", "postgres_scanner", "httpfs")
    for name in names:
        engine.extension_file(name).with_name(
            engine.extension_file(name).name + engine.VERIFIED_SUFFIX
        ).unlink(missing_ok=True)
    recorded = engine.record_verified(names)
    assert recorded == [engine.extension_file(n) for n in names]
    for f in recorded:
        assert engine._recorded(f) == engine._file_state(f)
    assert "record_verified()" in (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
