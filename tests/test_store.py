"""The dataset on an object store, against a real S3-compatible server (moto's server mode)
on a free local port: import, serve, re-import while a session is open, and the lock-down."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.cli import main
from dashboard.model.filters import Filters
from dashboard.sql.queries import params_for
from dashboard.storage import store
from dashboard.storage.engine import Database
from deploy.local import free_port
from tests.conftest import ROOT, SAMPLE_SOURCE
from tests.helpers import ALL_PAGES

BUCKET = "malbild-test"


@pytest.fixture(scope="module")
def s3() -> Iterator[str]:
    """moto's S3 server on a free port, and the settings the dashboard reads it with."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    mp = pytest.MonkeyPatch()
    endpoint = f"http://127.0.0.1:{port}"
    for k, v in {
        "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
        "AWS_DEFAULT_REGION": "us-east-1", "DASHBOARD_S3_ENDPOINT": endpoint,
    }.items():  # fmt: skip
        mp.setenv(k, v)
    store.filesystem().mkdir(BUCKET)
    try:
        yield endpoint
    finally:
        mp.undo()
        server.stop()


def edited(tmp: Path) -> Path:
    """The sample with one Gotland activity renamed."""
    src = tmp / "edited"
    shutil.copytree(SAMPLE_SOURCE, src)
    acts = src / "activities.csv"
    text = acts.read_text(encoding="utf-8")
    assert "Hansedagar i Novgorod" in text
    acts.write_text(text.replace("Hansedagar i Novgorod", "Hansedagar i Veliky Novgorod", 1))
    return src


def test_import_serve_and_reimport_while_a_session_is_open(
    s3: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"s3://{BUCKET}/region"
    loc = store.Location.parse(url)
    assert main(["ingest", str(SAMPLE_SOURCE), "--out", url, "--who", "it@region.se"]) == 0
    assert store.current_version(loc, fresh=True) == 1
    files = store.version_files(loc, 1)
    assert "activities/base.parquet" in files and "organisations.parquet" in files

    monkeypatch.setenv("DASHBOARD_DATA_DIR", url)
    monkeypatch.setattr(store, "POINTER_TTL_S", 0.0)  # notice a new version at once
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

    assert "Hansedagar i Novgorod" in titles()
    # nobody edits a store's dataset in the browser: no form, whatever the role
    assert not [e for e in at.expander if e.label.startswith("Lägg till")]

    # a re-import while the session is open: a new version; unchanged files are shared
    assert main(["ingest", str(edited(tmp_path)), "--out", url, "--comment", "rättat"]) == 0
    assert store.current_version(loc, fresh=True) == 2
    new = store.version_files(loc, 2)
    assert new["goals.parquet"]["object"].startswith("versions/000001/")  # not uploaded again
    assert new["activities/base.parquet"]["object"].startswith("versions/000002/")
    assert "Hansedagar i Veliky Novgorod" in titles()  # the open session serves version 2
    mirrored = titles()
    # read directly through fsspec instead of from the replica's copy: the same rows
    monkeypatch.setenv("DASHBOARD_STORE_READ", "direct")
    assert titles() == mirrored
    log = store.log(loc)
    assert [e["version"] for e in log] == [1, 2] and log[1]["comment"] == "rättat"


def test_the_connection_reads_that_prefix_and_nothing_else(s3: str, tmp_path: Path) -> None:
    url = f"s3://{BUCKET}/locked"
    assert main(["ingest", str(SAMPLE_SOURCE), "--out", url]) == 0
    fs = store.filesystem()
    fs.put_file(str(ROOT / "data" / "goals.parquet"), f"{BUCKET}/secret/goals.parquet")
    loc = store.Location.parse(url)
    db = Database(store=(loc, store.current_version(loc, fresh=True)))
    try:
        got = db.df("organisations")
        assert "Gotlands kommun" in set(got["name"])
        f = Filters(("gotland",), 2009, 2009)
        rows = db.df("activities_count", params_for("activities_count", f, search=None))
        assert int(rows["activities"].iloc[0]) > 0
        for probe in (
            f"s3://{BUCKET}/secret/goals.parquet",
            f"s3://{BUCKET}/locked/../secret/goals.parquet",
            f"s3://{BUCKET}/lockedX/goals.parquet",
            str(ROOT / "data" / "goals.parquet"),
        ):
            # refused (PermissionException), or on DuckDB 1.5 for the ".." probe not found
            # (IOException: the store has no such object); never read
            refused = (duckdb.PermissionException, duckdb.IOException)
            with db.cursor() as cur, pytest.raises(refused):
                cur.execute(f"select count(*) from read_parquet('{probe}')").fetchall()
        with db.cursor() as cur, pytest.raises(duckdb.Error):
            cur.execute("set allowed_directories = ['/']")
    finally:
        db.close()


def test_a_location_is_normalised_and_azure_says_what_it_needs() -> None:
    assert store.Location.parse("s3://b//p/q/").url == "s3://b/p/q"
    for bad in ("s3://", "s3://b/../c", "file:///tmp/x"):
        with pytest.raises(ValueError):
            store.Location.parse(bad)
    with pytest.raises(ValueError, match="adlfs"):
        store.is_remote("az://container/prefix")
