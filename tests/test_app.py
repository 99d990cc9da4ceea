"""The app through Streamlit's own AppTest, on a fresh import of the sample."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app import chart_panel, data, grids
from dashboard.app.sidebar import ALL_ORGS, SEVERAL_ORGS
from dashboard.model.access import Scope, ScopeMissing
from dashboard.model.filters import Filters
from tests.conftest import ROOT
from tests.helpers import ALL_PAGES
from tests.test_sample import GOTLAND_2009

APP = str(ROOT / "streamlit_app.py")
PAGES = ("overview", "goals", "activities")


@pytest.fixture
def app(sample_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """A factory of AppTests over the sample, optionally opened with URL parameters."""
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))

    def make(**params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        return at.run()

    return make


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_every_page_renders_in_both_languages(app) -> None:
    for lang in ("sv", "en"):
        at = app(lang=lang)
        assert not at.exception
        for page in PAGES:
            at.switch_page(f"dashboard/app/pages/{page}.py").run()
            assert not at.exception, (lang, page)
            assert not at.error, (lang, page, [e.value for e in at.error])
            assert len(at.title) >= 1


def test_language_switches_every_label(app) -> None:
    at = app(lang="en")
    assert "Activities" in metrics(at) and "Goals served" in metrics(at)
    at.selectbox(key="f_lang").set_value("sv").run()
    assert "Aktiviteter" in metrics(at) and "Mål som tjänas" in metrics(at)
    assert at.query_params["lang"] == "sv"


def test_filters_change_the_overview_and_the_url(app) -> None:
    at = app(lang="en")
    assert metrics(at)["Activities"] == "98"
    at.select_slider(key="f_years").set_range(2010, 2012).run()
    assert at.select_slider(key="f_years").value == (2010, 2012)
    assert (at.query_params["from"], at.query_params["to"]) == ("2010", "2012")
    ranged = metrics(at)["Activities"]
    assert ranged != "98"
    at.selectbox(key="f_org").set_value("gotland").run()
    assert at.select_slider(key="f_years").value == (2010, 2012)  # survives other changes
    assert metrics(at)["Activities"] == "10"  # Gotland 2010-2012: 4 + 3 + 3
    at.select_slider(key="f_years").set_range(2009, 2009).run()
    shown = metrics(at)
    assert shown["Activities"] == "16"
    assert shown["Goals served"] == "7 of 7"
    assert at.query_params["org"] == "gotland"
    assert at.query_params["year"] == "2009"
    at.multiselect(key="f_goals").set_value(["gotland-2009-g5"]).run()
    assert metrics(at)["Activities"] == "4"  # bullets 08, 09, 10, 16 serve goal 5
    assert at.query_params["goal"] == "gotland-2009-g5"


def test_a_copied_link_reproduces_the_view(app) -> None:
    at = app(lang="en", org="gotland", year="2009")
    assert metrics(at)["Activities"] == "16"
    assert at.selectbox(key="f_org").value == "gotland"
    assert at.select_slider(key="f_years").value == (2009, 2009)
    at.switch_page("dashboard/app/pages/activities.py").run()
    assert at.selectbox(key="f_org").value == "gotland"  # filters survive pages


def test_goal_matrix_for_gotland_2009_equals_the_action_plan(app) -> None:
    at = app(lang="sv", org="gotland", year="2009")
    at.switch_page("dashboard/app/pages/goals.py").run()
    matrix = at.dataframe[0].value
    assert isinstance(matrix, pd.DataFrame)
    goal_cols = [str(i) for i in range(1, 8)]
    got = [
        (row["Aktivitet"], {int(c) for c in goal_cols if row[c] == "●"})
        for _, row in matrix.iterrows()
    ]
    assert got == GOTLAND_2009
    assert not [w.value for w in at.warning]  # every goal is served in 2009


def test_goal_gaps_are_flagged(app) -> None:
    at = app(lang="en", org="alvsbyn")
    at.switch_page("dashboard/app/pages/goals.py").run()
    warnings = [w.value for w in at.warning]
    gaps = [w.replace("\\", "") for w in warnings if w.startswith("No activity in the selection")]
    # a goal is named by number and wording, so "5" never reads as a count of goals
    assert len(gaps) == 1, warnings
    assert "– 1. skapa en gemensam plattform" in gaps[0]
    assert "; M2. öka kunskapsnivån och service i kommunen;" in gaps[0]


def test_activities_search_narrows_the_table(app) -> None:
    at = app(lang="en", org="gotland", year="2009")
    at.switch_page("dashboard/app/pages/activities.py").run()
    assert at.dataframe[0].value.shape[0] == 16
    at.text_input(key="act_search").set_value("b7").run()
    assert at.dataframe[0].value.shape[0] == 2
    assert any("2 activities" in m.value for m in at.markdown)
    # the search is in the address beside the filters, so a copied link keeps it
    assert qp(at, "q") == ["b7"]
    assert qp(at, "org") == ["gotland"] and qp(at, "year") == ["2009"]
    at.text_input(key="act_search").set_value("").run()
    assert "q" not in at.query_params
    assert at.dataframe[0].value.shape[0] == 16


def qp(at: AppTest, key: str) -> list[str]:
    """A query parameter of the app's address, as a list."""
    value = at.query_params.get(key)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def test_a_link_with_a_search_opens_the_activities_it_names(sample_dir, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
    at = AppTest.from_file(APP, default_timeout=60)
    for k, v in {"lang": "en", "org": "gotland", "year": "2009", "q": "b7"}.items():
        at.query_params[k] = v
    at.switch_page("dashboard/app/pages/activities.py").run()  # the link opens Activities
    assert at.text_input(key="act_search").value == "b7"
    assert at.dataframe[0].value.shape[0] == 2
    at.text_input(key="act_search").set_value("CPMR").run()  # the field wins after the link
    assert qp(at, "q") == ["CPMR"]


def test_the_app_asks_nothing_of_the_internet_and_watches_no_files() -> None:
    """The page icon is a file of the app (a Material icon is fetched from Google's font
    server); no file watcher in the settings the app is deployed with."""
    import tomllib

    from dashboard.app import shell

    assert shell.PAGE_ICON.is_file() and shell.PAGE_ICON.suffix == ".png"
    source = (ROOT / "dashboard" / "app" / "shell.py").read_text(encoding="utf-8")
    assert "page_icon=str(PAGE_ICON)" in source
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"


def test_a_server_writes_its_threads_stacks_to_its_log_on_sigusr1() -> None:
    """IT's (and a failing browser test's) way to see where a hung page waits: SIGUSR1
    makes the process write every thread's stack and go on running."""
    import subprocess
    import sys

    code = (
        "import os, signal, time\n"
        "from dashboard.app import shell\n"
        "shell.stacks_on_request()\n"
        "shell.stacks_on_request()  # once is enough, twice does no harm\n"
        "os.kill(os.getpid(), signal.SIGUSR1)\n"
        "time.sleep(0.2)\n"
        "print('still running')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "still running"
    assert "Current thread" in done.stderr and "in <module>" in done.stderr


def test_download_holds_the_rows_of_the_selection(sample_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
    f = Filters(("gotland",), 2009, 2009, ("gotland-2009-g5",))
    text = data.csv_bytes(
        "activities", f, "sv", Scope.everything(), search=None, limit=None, offset=0
    ).decode()
    lines = text.splitlines()
    assert lines[0].startswith("\ufefforg_id;year;activity_id;title;")
    assert [ln.split(";")[2] for ln in lines[1:]] == [
        "gotland-2009-08",
        "gotland-2009-09",
        "gotland-2009-10",
        "gotland-2009-16",
    ]


def test_download_file_names_say_what_and_which_selection() -> None:
    from dashboard.model.view import View
    from dashboard.outputs.readable import file_name

    every = Scope.everything()
    gotland_2009 = View("sv", Filters(("gotland",), 2009, 2009), scope=every)
    assert file_name(gotland_2009, "activities") == "aktiviteter_gotland_2009.csv"
    assert file_name(View("en", Filters(), scope=every), "coverage") == (
        "goal_coverage_all_all-years.csv"
    )
    assert file_name(View("sv", Filters(), scope=every), "coverage") == (
        "maltackning_alla_alla-ar.csv"
    )
    # a reader of Gävle only: "all organisations" is Gävle, and the name says so
    gavle = View("sv", Filters(), scope=Scope.only(["gavle"]))
    assert file_name(gavle, "activities") == "aktiviteter_gavle_alla-ar.csv"
    with pytest.raises(ScopeMissing):  # a view without its reader names no file
        file_name(View("sv", Filters()), "activities")


def test_a_bad_link_falls_back_with_notices(app) -> None:
    at = app(lang="xx", org="nowhere,gotland", goal="vkl-g1", year="1900")
    assert not at.exception
    notes = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")  # escaped Markdown
    assert "nowhere" in notes and "1900" in notes and "xx" in notes
    # another organisation's goal by its organisation, number and wording, never its id
    assert "Målet Västmanlands Kommuner och Landsting · 1." in notes and "vkl-g1" not in notes
    assert at.selectbox(key="f_org").value == "gotland"
    assert at.multiselect(key="f_goals").value == []
    assert metrics(at)["Aktiviteter"] == "26"  # Gotland, all years (Swedish by default)


def test_years_given_backwards_are_read_the_right_way_round(app) -> None:
    at = app(org="gavle", **{"from": "2013", "to": "2012"})
    notes = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")
    assert "Länken anger åren baklänges (2013–2012); de visas som 2012–2013." in notes
    assert "finns inte i data" not in notes


def test_a_range_partly_outside_the_data_shows_the_years_it_has(app) -> None:
    """A link to 2008–2010 (the sample starts in 2009) shows 2009–2010, says so, and the
    address becomes the range shown; it does not fall back to every year."""
    at = app(org="gotland", **{"from": "2008", "to": "2010"})
    notes = " ".join(w.value for w in at.sidebar.warning).replace("\\", "")
    assert "åren som länken anger (2008–2010) visas som 2009–2010" in notes, notes
    assert "alla år visas" not in notes and "Året" not in notes
    assert (at.query_params["from"], at.query_params["to"]) == ("2009", "2010")


def test_a_missing_dataset_shows_a_message_not_a_traceback(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(tmp_path / "nothing"))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "Datasetet kan inte läsas" in at.error[0].value
    assert "inget dataset ännu" in at.error[0].value
    assert "make data" not in at.error[0].value  # commands and paths go to the log


def test_a_failing_page_shows_a_short_message(app, monkeypatch) -> None:
    at = app(lang="en")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("dashboard.app.pages.goals.tables.goal_matrix", broken)
    chart_panel.clear_built()  # the matrix of an earlier test is kept: build it again, and fail
    at.switch_page("dashboard/app/pages/goals.py").run()
    assert not at.exception
    assert at.error[0].value.startswith("Something went wrong while showing this page.")
    assert "boom" not in at.error[0].value


@pytest.fixture(scope="module")
def synth_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset of 300 organisations: big enough that long tables are paged."""
    from dashboard.storage import synth

    out = tmp_path_factory.mktemp("synth") / "data"
    synth.generate(10_000, out, seed=3)
    return out


def test_long_tables_send_one_page_and_long_charts_are_capped(
    synth_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(synth_dir))
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "en"
    at.run().switch_page("dashboard/app/pages/networks.py").run()
    assert not at.exception
    assert all(len(df.value) <= grids.TABLE_PAGE for df in at.dataframe)
    pages = [n for n in at.number_input if n.label.startswith("Page (of ")]
    assert pages, "the membership-years table should be paged"
    assert any(c.value.startswith("The chart shows the first 60 of") for c in at.caption)
    first = pages[0]
    total = int(first.label.removeprefix("Page (of ").rstrip(")").replace(",", ""))
    assert total > 1
    first.set_value(2).run()
    assert any(c.value.startswith("Rows 501–1,000 of ") for c in at.caption)


def test_overview_says_so_when_the_years_hold_no_activity(app) -> None:
    # Gävle's documents have no activities in 2009-2011: no empty chart with a -1..6 axis
    at = app(lang="en", org="gavle", **{"from": "2009", "to": "2011"})
    assert not at.exception
    assert at.metric[0].value == "0"
    assert any(i.value == "Nothing to show for this selection." for i in at.info)
    assert "**Activities per year**" in [m.value for m in at.markdown]  # the one guard: ui


def page_texts(at: AppTest) -> list[str]:
    """Every text a manager reads on the page (not the tables' cells)."""
    out: list[str] = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
    ):
        out += [str(e.value) for e in getattr(at, kind)]
    out += [f"{m.label} {m.value}" for m in at.metric]
    return out


def test_no_server_path_or_command_line_on_any_page(app, sample_dir: Path) -> None:
    at = app(lang="sv")
    for page in ALL_PAGES:
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
        assert not at.exception, page
        for text in page_texts(at):
            assert str(sample_dir) not in text, (page, text)
            assert "python -m" not in text and "DASHBOARD_" not in text, (page, text)


def test_the_overview_cards_and_their_csv_say_the_same(sample_dir: Path, monkeypatch) -> None:
    """One answer: the comparison with the period before is one frame, which the cards show
    and the CSV holds; with no data that far back neither compares."""
    from dashboard.i18n import fmt_int, t

    got: dict[str, pd.DataFrame] = {}
    monkeypatch.setattr(
        "dashboard.app.downloads.download", lambda v, w, frame, key: got.update({key: frame()})
    )
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
    for years, compared in (({"from": "2012", "to": "2013"}, True), ({"year": "2009"}, False)):
        at = AppTest.from_file(APP, default_timeout=60)
        for k, v in {"lang": "sv", **years}.items():
            at.query_params[k] = v
        at.run()
        csv = got["metrics"].set_index(t("col.measure", "sv"))
        cards = {m.label: m for m in at.metric}
        for key in ("activities", "networks", "projects_running"):
            row = csv.loc[t(f"metric.{key}", "sv")]
            card = cards[t(f"metric.{key}", "sv")]
            assert card.value == fmt_int(row[t("col.current", "sv")], "sv")
            change = row[t("col.change", "sv")]
            if compared:
                assert int(card.proto.delta.replace("\u2212", "-")) == int(change)
            else:
                assert not card.proto.delta and pd.isna(change)
                assert pd.isna(row[t("col.previous", "sv")])


def test_switching_organisation_is_one_choice_and_several_can_be_compared(app) -> None:
    at = app(lang="en", org="gotland")
    assert metrics(at)["Activities"] == "26"
    at.selectbox(key="f_org").set_value("vkl").run()  # one change, one rerun
    assert at.query_params["org"] == "vkl"
    assert [m.key for m in at.sidebar.multiselect] == ["f_goals"]  # no comparison list
    vkl = metrics(at)["Activities"]
    assert vkl != "26"
    # "several" starts the comparison from the organisation chosen before
    at.selectbox(key="f_org").set_value(SEVERAL_ORGS).run()
    assert at.multiselect(key="f_orgs").value == ["vkl"]
    assert metrics(at)["Activities"] == vkl
    at.multiselect(key="f_orgs").set_value(["vkl", "gotland"]).run()
    assert sorted(at.query_params["org"]) == ["gotland", "vkl"]
    assert int(metrics(at)["Activities"]) == int(vkl) + 26
    # back to all: the comparison list is gone, no organisation in the link
    at.selectbox(key="f_org").set_value(ALL_ORGS).run()
    assert "org" not in at.query_params
    assert metrics(at)["Activities"] == "98"
    assert [m.key for m in at.sidebar.multiselect] == ["f_goals"]


def test_a_link_with_several_organisations_opens_the_comparison(app) -> None:
    at = app(lang="sv", org=["gotland", "slagelse"])
    assert at.selectbox(key="f_org").value == SEVERAL_ORGS
    assert at.multiselect(key="f_orgs").value == ["gotland", "slagelse"]
    names = at.selectbox(key="f_org").options
    assert names[0] == "Alla organisationer" and names[-1] == "Flera organisationer …"


def test_another_link_in_an_open_session_is_followed_and_a_click_is_not_undone(app) -> None:
    """Back and Forward rerun the page with an earlier link: the view follows that link
    (organisation, years), while a click on a filter keeps the link the app wrote."""
    at = app(lang="en", org="gotland", year="2009")
    assert metrics(at)["Activities"] == "16"
    at.query_params.clear()
    at.query_params.update({"lang": "en", "org": "vkl", "from": "2010", "to": "2011"})
    at.run()
    assert not at.exception and [w.value for w in at.warning] == []
    assert at.selectbox(key="f_org").value == "vkl"
    assert at.select_slider(key="f_years").value == (2010, 2011)
    assert at.query_params["org"] == "vkl" and at.query_params["from"] == "2010"
    at.selectbox(key="f_org").set_value("gotland").run()  # a click: the widget wins
    assert at.query_params["org"] == "gotland"
    assert at.select_slider(key="f_years").value == (2010, 2011)
    at.run()  # a rerun with the link the app wrote changes nothing
    assert at.selectbox(key="f_org").value == "gotland"


def test_apptest_still_fails_a_run_that_outlives_its_timeout() -> None:
    """AppTest waits for a run by joining its thread (`tests/streamlit_once.py`), not by
    waking every millisecond: a run that is done is seen at once, and one that outlives the
    timeout still fails with AppTest's message."""
    import time

    done = AppTest.from_string("import streamlit as st\nst.write('klar')")
    started = time.monotonic()
    done.run(timeout=5)
    assert done.markdown[0].value == "klar" and time.monotonic() - started < 2
    slow = AppTest.from_string(
        "import time\nimport streamlit as st\nfor _ in range(200):\n"
        "    time.sleep(0.02)\n    st.empty()\n"
    )
    with pytest.raises(RuntimeError, match="timed out after 0.3"):
        slow.run(timeout=0.3)
