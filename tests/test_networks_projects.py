"""The Networks and Projects pages: their queries against the hand-checked mini fixture and
the sample, their figure builders, and both pages through AppTest on the sample.

Mini fixture, as used below (tests/fixtures/mini):
  memberships  a-n1 2019-2020 1000 SEK/yr; a-t1 2019- (open: up to 2020, the last activity
               year); b-n1x 2020-2021 500 EUR/yr. n1x is part of n1; n1x has no coordinates.
  activities   a-01 2019 via n1 cost 100 SEK goals a1,a2; a-03 2020 via n1 cost 250.5 SEK
               goal a2; b-01 2020 via n1x no cost goal b1; a-02, a-04 via no network.
  projects     pa1 a lead_partner running 2019-01-01..2020-12-31 1000/600/400 EUR;
               pb1 b partner applied, no dates, no amounts.
  indicators   ia (a, unit projects, "Projects running": no role named) targets 2 in 2019, 4
               in 2020; ib (unit tonnes) is no project target.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app.pages import PAGES_DIR
from dashboard.app.sidebar import SEVERAL_ORGS
from dashboard.charts import network_figures, project_figures
from dashboard.i18n import fmt_pct, t
from dashboard.model.filters import Filters
from dashboard.outputs.export import frame_to_csv
from dashboard.sql.queries import params_for
from dashboard.storage.engine import Database
from tests.conftest import ROOT
from tests.helpers import ALL, clean, open_table_tabs, run

APP = ROOT / "streamlit_app.py"
INTERLOC_RATE = 403770 / 527044  # "svarende til 76 pct."


# ------------------------------------------------------------------ network queries, mini


def test_membership_years_expand_each_membership(mini_db: Database) -> None:
    rows = run(mini_db, "network_membership_years")
    assert clean(rows, "org_id", "network_id", "year", "annual_fee", "currency", "activities") == [
        ("a", "n1", 2019, 1000.0, "SEK", 1),  # a-01
        ("a", "n1", 2020, 1000.0, "SEK", 1),  # a-03
        ("a", "t1", 2019, None, None, 0),
        ("a", "t1", 2020, None, None, 0),  # open-ended: up to the last activity year, 2020
        ("b", "n1x", 2020, 500.0, "EUR", 1),  # b-01
        ("b", "n1x", 2021, 500.0, "EUR", 0),
    ]


def test_membership_years_follow_years_and_goal(mini_db: Database) -> None:
    rows = run(mini_db, "network_membership_years", Filters(year_from=2021, year_to=2021))
    # t1 is open-ended, so it runs into 2021 once 2021 is chosen; n1 ended in 2020
    assert clean(rows, "org_id", "network_id", "year") == [("a", "t1", 2021), ("b", "n1x", 2021)]
    rows = run(mini_db, "network_membership_years", Filters(goals=("a2",)))
    # only a's n1 membership has an activity serving a2 (a-01 and a-03)
    assert clean(rows, "network_id", "year", "activities") == [("n1", 2019, 1), ("n1", 2020, 1)]


def test_network_costs_per_year_and_currency(mini_db: Database) -> None:
    rows = run(mini_db, "network_costs")
    assert clean(
        rows,
        "network_id",
        "year",
        "fees",
        "other_costs",
        "currency",
        "activities",
        "goals_served",
        "goal_codes",
    ) == [
        ("n1", 2019, 1000.0, 100.0, "SEK", 1, 2, "1, 2"),  # a-01 serves a1 and a2
        ("n1", 2020, 1000.0, 250.5, "SEK", 1, 1, "2"),  # a-03 serves a2
        ("n1x", 2020, 500.0, None, "EUR", 1, 1, "1"),  # b-01 has no cost
        ("n1x", 2021, 500.0, None, "EUR", 0, 0, None),
        ("t1", 2019, None, None, None, 0, 0, None),  # no fee recorded: one row, no currency
        ("t1", 2020, None, None, None, 0, 0, None),
    ]
    assert {r["members"] for r in rows if r["network_id"] == "n1"} == {"a"}


def test_network_value_never_adds_currencies(mini_db: Database) -> None:
    rows = run(mini_db, "network_value")
    assert clean(
        rows, "network_id", "member_years", "fees", "other_costs", "currency", "activities"
    ) == [
        ("n1", 2, 2000.0, 350.5, "SEK", 2),  # 2 x 1000; 100 + 250.5
        ("n1x", 2, 1000.0, None, "EUR", 1),  # 2 x 500 EUR, apart from the SEK
        ("t1", 2, None, None, None, 0),
    ]
    totals = run(mini_db, "network_totals")
    assert clean(totals, "currency", "fees", "other_costs", "networks_with_costs") == [
        ("EUR", 1000.0, None, 1),
        ("SEK", 2000.0, 350.5, 1),
    ]


def test_network_hierarchy_includes_the_parents(mini_db: Database) -> None:
    rows = run(mini_db, "network_hierarchy")
    assert clean(rows, "network_id", "parent_network_id", "level", "members", "activities") == [
        ("n1", None, 0, "a", 2),
        ("n1x", "n1", 1, "b", 1),
        ("t1", None, 0, "a", 0),
    ]
    assert rows[1]["path"] == "Network One › Network One Islands"
    # b alone is a member of n1x only; n1 is still drawn as its parent, with no member
    rows = run(mini_db, "network_hierarchy", Filters(orgs=("b",)))
    assert clean(rows, "network_id", "level", "members") == [("n1", 0, None), ("n1x", 1, "b")]


def test_network_map_points(mini_db: Database) -> None:
    rows = run(mini_db, "network_map", Filters(orgs=("b",)))
    assert clean(rows, "item", "id", "lat", "members", "activities") == [
        ("organisation", "b", 55.0, None, 1),
        ("network", "n1x", None, "b", 1),  # no coordinates: listed below the map
    ]
    assert len(run(mini_db, "network_map")) == 5  # a, b; n1, n1x, t1


# ------------------------------------------------------------------ project queries, mini


def test_project_funding_and_totals(mini_db: Database) -> None:
    rows = run(mini_db, "project_funding")
    assert clean(
        rows, "currency", "programme", "status", "projects", "total_budget", "eu_funding"
    ) == [
        ("EUR", "Interreg", "running", 1, 1000.0, 600.0),
        (None, None, "applied", 1, None, None),  # pb1: no amounts, no currency
    ]
    totals = run(mini_db, "project_totals")
    # secured only: pb1 is merely applied for
    assert clean(totals, "currency", "projects", "eu_rate") == [("EUR", 1, 0.6)]
    assert run(mini_db, "project_totals", Filters(year_from=2021, year_to=2021)) == []


def test_project_targets_measure_the_reported_actual_beside_the_projects_count(
    mini_db: Database,
) -> None:
    rows = run(mini_db, "project_targets")
    cols = ("indicator_id", "role", "target", "deadline", "as_of_year", "actual", "actual_year")
    assert clean(rows, *cols) == [
        # ia reports 2 for 2019 and 3 for 2020 (indicator_values.csv)
        ("ia", None, 2.0, 2019, 2019, 2.0, 2019),
        ("ia", None, 4.0, 2020, 2020, 3.0, 2020),
    ]
    # progress from the baseline 0, as the Evaluation computes it: 2/2 and 3/4
    assert [r["progress"] for r in rows] == [1.0, 0.75]
    # "Projects running" names no role: every role counts; the projects table holds pa1
    # (started 2019) as its one secured project
    assert clean(rows, "counted", "without_role", "undated") == [(1, None, 0), (1, None, 0)]
    # the state at the end of 2018, before anything was reported or pa1 started; targets
    # due before 2018 would drop
    rows = run(mini_db, "project_targets", Filters(year_from=2018, year_to=2018))
    assert clean(rows, "deadline", "as_of_year", "actual", "progress", "counted") == [
        (2019, 2018, None, None, 0),
        (2020, 2018, None, None, 0),
    ]
    rows = run(mini_db, "project_targets", Filters(year_from=2020, year_to=2020))
    assert clean(rows, "deadline", "actual", "counted") == [(2020, 3.0, 1)]
    assert run(mini_db, "project_targets", Filters(goals=("a2",))) == []  # ia follows a1


# ------------------------------------------------------------------ the sample


def test_slagelse_targets_say_the_roles_are_missing(sample_db: Database) -> None:
    rows = run(sample_db, "project_targets", Filters(("slagelse",)))
    cols = ("indicator_id", "role", "target", "deadline", "actual", "actual_year")
    assert clean(rows, *cols) == [
        # the article: lead partner in three projects by 2014, measured against the last
        # value reported (2 in 2013), as the Evaluation measures it ...
        ("slagelse-lead-partner-projects", "lead_partner", 3.0, 2014, 2.0, 2013),
        # ... and partner in four more by 2013 (3 reported for 2012)
        ("slagelse-partner-projects", "partner", 4.0, 2013, 3.0, 2012),
    ]
    # The sample records no role for Slagelse's projects, so the projects table's own count
    # is 0, with 7 running projects lacking a role (GreenPro + MOK-UP is only applied for).
    assert clean(rows, "counted", "without_role") == [(0, 7), (0, 7)]
    gavle = run(sample_db, "project_targets", Filters(("gavle",), 2012, 2012))
    # every target due from 2012 on, as it stood at the end of 2012: 5 projects reported for
    # 2012; the projects table counts 2 (logistics, running, and school exchange, closed,
    # both started in 2012; no role named, so every role counts)
    assert clean(gavle, "role", "deadline", "as_of_year", "target", "actual", "counted") == [
        (None, 2012, 2012, 5.0, 5.0, 2),
        (None, 2013, 2012, 7.0, 5.0, 2),
        (None, 2014, 2012, 8.0, 5.0, 2),
        (None, 2015, 2012, 10.0, 5.0, 2),
    ]


def test_cpmr_holds_the_two_commissions(sample_db: Database) -> None:
    rows = run(sample_db, "network_hierarchy", Filters(("gotland",), 2009, 2009))
    parent = {r["network_id"]: r["parent_network_id"] for r in rows}
    assert parent["islands-commission"] == "cpmr"
    assert parent["baltic-sea-commission"] == "cpmr"
    assert parent["islenet"] == "islands-commission"
    islenet = next(r for r in rows if r["network_id"] == "islenet")
    assert islenet["level"] == 2
    assert islenet["path"].startswith("Conference of Peripheral Maritime Regions › Islands")


def test_map_reaches_beyond_europe_and_lists_the_unplaced(sample_db: Database) -> None:
    rows = run(sample_db, "network_map", Filters(("gotland",), 2010, 2010))
    placed = {r["id"] for r in rows if not pd.isna(r["lat"])}
    unplaced = {r["id"] for r in rows if pd.isna(r["lat"])}
    assert {"gotland", "kibaha", "jhansi", "osel", "cpmr"} <= placed
    assert {"islands-commission", "baltic-sea-commission", "b7"} <= unplaced


def test_interloc_rate_in_the_totals(sample_db: Database) -> None:
    rows = run(sample_db, "project_totals", Filters(("slagelse",)))
    eur = next(r for r in rows if r["currency"] == "EUR")
    assert (eur["total_budget"], eur["eu_funding"]) == (527044.0, 403770.0)
    assert eur["eu_rate"] == pytest.approx(INTERLOC_RATE)
    dkk = next(r for r in rows if r["currency"] == "DKK")
    assert dkk["total_budget"] == 56_000_000.0 and pd.isna(dkk["eu_rate"])  # no EU share given


# ------------------------------------------------------------------ figure builders


def test_cost_contribution_panels_per_currency_and_no_fee(sample_db: Database) -> None:
    value = sample_db.df("network_value", params_for("network_value", ALL))
    labels = dict.fromkeys(
        ("title", "x", "y", "fees", "other_costs", "goals", "members", "no_fee", "log"), "t"
    )
    labels["no_fee"] = "NO FEE"
    fig = network_figures.cost_contribution(value, labels, ", ", {})
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["t (DKK)", "t (SEK)", "NO FEE"]
    free = [tr for tr in fig.data if str(tr.marker.symbol).endswith("-open")]
    drawn_free = {str(x) for tr in free for x in tr.x}
    assert "B7" in drawn_free and "Kibaha" in drawn_free  # no fee recorded; fee 0 SEK
    paid = [tr for tr in fig.data if not str(tr.marker.symbol).endswith("-open")]
    assert all(tr.xaxis in ("x", "x2") for tr in paid)  # the DKK and SEK panels only


def test_map_and_timeline_draw_only_what_has_coordinates_or_dates(sample_db: Database) -> None:
    points = sample_db.df("network_map", params_for("network_map", Filters(("gotland",))))
    labels = dict.fromkeys(
        ("title", "selected", "members", "activities", "also_here", "links"), "t"
    )
    fig = network_figures.network_map(points, labels, ", ", {})
    stars = [tr for tr in fig.data if tr.marker and tr.marker.symbol == "star"]
    assert len(stars) == 1 and len(stars[0].lat) == 1  # Gotland, marked apart
    drawn = sum(len(tr.lat) for tr in fig.data if tr.mode != "lines")
    assert drawn == int(points["lat"].notna().sum())
    assert fig.layout.geo.fitbounds == "locations"

    projects = sample_db.df("project_portfolio", params_for("project_portfolio", ALL))
    fig = project_figures.project_timeline(
        projects, dict.fromkeys(("title", "x", "programme", "role"), "t"), ", ", {}
    )
    bars = sum(len(tr.y) for tr in fig.data)
    assert bars == int((projects["start_date"].notna() & projects["end_date"].notna()).sum())
    assert bars == 7  # the illustrative projects; no document project has both dates


# ------------------------------------------------------------------ the pages (AppTest)


@pytest.fixture
def app(sample_dir: Path, monkeypatch: pytest.MonkeyPatch):
    """Open a page of the app over the sample, with URL parameters.

    The page is chosen before the first run, so the first run reads the link.
    """
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))

    def make(page: str, **params: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        at.switch_page(str(PAGES_DIR / f"{page}.py"))
        return at.run()

    return make


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> dict[str, pd.DataFrame]:
    """Every CSV download a page offers, by key, as the frame the button would write."""
    got: dict[str, pd.DataFrame] = {}

    def capture(view, what, frame, key, slug=None) -> None:
        got[key] = frame()

    monkeypatch.setattr("dashboard.app.downloads.download", capture)
    return got


def shown(at: AppTest, column: str, lang: str) -> list[pd.DataFrame]:
    """The tables on the page with *column* (under its translated header), as shown."""
    open_table_tabs(at, lang)
    header = t(f"col.{column}", lang)
    return [d.value for d in at.dataframe if header in d.value.columns]


def display(at: AppTest, column: str, lang: str) -> list[str]:
    """What a table cell shows (grids.show_table formats cells as text), for every table."""
    out: list[str] = []
    open_table_tabs(at, lang)
    column = t(f"col.{column}", lang)
    for d in at.dataframe:
        if column in d.value.columns:
            out += [str(v) for v in d.value[column]]
    return out


def test_both_pages_render_in_sv_and_en(sample_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
    titles = {
        ("sv", "networks"): "Nätverk och partnerskap",
        ("en", "networks"): "Networks and partnerships",
        ("sv", "projects"): "Projekt",
        ("en", "projects"): "Projects",
    }
    for lang in ("sv", "en"):
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        for page in ("networks", "projects"):
            at.switch_page(str(PAGES_DIR / f"{page}.py")).run()
            assert not at.exception, (lang, page)
            assert not at.error, (lang, page, [e.value for e in at.error])
            assert at.title[0].value == titles[(lang, page)]
            assert len(at.dataframe) >= 3, (lang, page)


def test_networks_all_sections_and_illustrative_marks(app) -> None:
    at = app("networks", lang="sv")
    assert not at.exception and not at.error
    subheaders = [s.value for s in at.main.header]
    assert subheaders == [
        "Medlemskap per år",
        "Nätverkens struktur",
        "Kostnad mot bidrag",
        "Kostnader och aktiviteter per nätverk och år",
        "Karta",
    ]
    assert len(at.get("plotly_chart")) == 4
    captions = " ".join(c.value for c in at.caption)
    assert "Illustrativa rader (◇): " in captions
    # money per currency, never summed: DKK (Slagelse) and SEK side by side
    fees = next(m.value for m in at.metric if m.label == "Medlemsavgifter i urvalet")
    # Swedish writes its own krona as kr, another krona by its code
    assert fees.split(" · ")[0].endswith("\u00a0DKK") and fees.split(" · ")[1].endswith(" kr")
    unplaced = [m.value for m in at.markdown if "Saknar koordinater" in m.value]
    assert unplaced and unplaced[0].endswith(": 8**")


def test_networks_follow_the_organisation_filter(app, downloads) -> None:
    at = app("networks", lang="en", org="gotland", year="2009")
    en = lambda c: t(f"col.{c}", "en")  # noqa: E731 - the download's headers are the table's
    years = downloads["network_years"]
    assert set(years[en("org_id")]) == {"Gotlands kommun"} and set(years[en("year")]) == {2009}
    # 11 memberships of Gotland run in 2009 (Jhansi starts in 2010)
    assert len(years) == 11 and "Jhansi" not in set(years[en("network")])
    structure = downloads["network_tree"]
    cpmr_parts = set(structure.loc[structure[en("path")].str.contains("›"), en("network")])
    assert {"Islands Commission", "Baltic Sea Commission"} <= cpmr_parts
    assert structure[en("source")].notna().all()

    at.selectbox(key="f_org").set_value(SEVERAL_ORGS).run()
    at.multiselect(key="f_orgs").set_value(["gotland", "vkl"]).run()
    assert not at.exception
    years = downloads["network_years"]
    both = {"Gotlands kommun", "Västmanlands Kommuner och Landsting"}
    assert set(years[en("org_id")]) == both
    assert len(years) == 11 + 4  # VKL in 2009: SEU, SKL, VIN, Mälardalsrådet
    org = en("org_id")
    assert any(set(df[org]) == both for df in shown(at, "year", "en") if org in df)


def test_networks_download_rows_and_csv(app, downloads) -> None:
    at = app("networks", lang="sv", org="gotland", year="2010")
    assert not at.exception
    sv = lambda c: t(f"col.{c}", "sv")  # noqa: E731 - the download's headers are the table's
    value = downloads["network_value"].set_index(sv("network"))
    # Kibaha: a partner at no fee; its 2010 has no activity through it
    assert value.loc["Kibaha", sv("fees")] == 0.0
    assert value.loc["Islands Commission", sv("fees")] == 40000.0
    assert value.loc["Islands Commission", sv("other_costs")] == 28000.0  # the general assembly
    unplaced = downloads["network_unplaced"]
    assert {"Islands Commission", "Baltic Islands Network"} <= set(unplaced[sv("name")])
    csv = frame_to_csv(downloads["network_costs"], "sv").decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("Nätverk;Slag;År;Medlemmar;Avgifter;Övriga kostnader;Valuta;")
    assert all(";2010;" in line for line in lines[1:])
    assert any(
        line.startswith("Islands Commission;Nätverk;2010;Gotlands kommun;40000;28000;SEK;")
        for line in lines
    )


def test_projects_interloc_rate_in_swedish_and_english(app) -> None:
    at = app("projects", lang="sv", org="slagelse")
    assert not at.exception and not at.error
    rates = {m.label: m.value for m in at.metric}
    assert rates["EU-medfinansieringsgrad (EUR)"] == "76,6 %"
    assert "76,6 %" in display(at, "eu_rate", "sv")  # the portfolio row of InterLoc

    at = app("projects", lang="en", org="slagelse")
    rates = {m.label: m.value for m in at.metric}
    assert rates["EU co-financing rate (EUR)"] == fmt_pct(INTERLOC_RATE, "en") == "76.6 %"
    assert fmt_pct(INTERLOC_RATE, "en") in display(at, "eu_rate", "en")


def test_projects_targets_and_undated_list(app, downloads) -> None:
    at = app("projects", lang="en", org="slagelse")
    targets = downloads["project_targets"]
    assert list(targets[t("col.role", "en")]) == ["Lead partner", "Partner"]
    assert list(targets[t("col.actual", "en")]) == [2, 3]
    assert list(targets[t("col.counted", "en")]) == [0, 0]
    captions = " ".join(c.value for c in at.caption)
    assert "7 projects without a recorded role cannot be counted." in captions
    assert "The actual was reported for 2013." in captions
    assert "The projects table counts 0 projects." in captions
    # the same target on the Evaluation: 2 of 3 for 2014, measured alike
    bars = [b.proto.text for b in at.get("progress")]
    assert bars[0] == "2 of 3 projects by 2014 (66.7 %)"
    bars = at.get("progress")
    assert len(bars) == 2
    # all eight Slagelse projects lack a start date: listed, none drawn
    assert len(downloads["project_undated"]) == 8
    assert "project_timeline" not in downloads
    assert any("No project in the selection has both" in i.value for i in at.info)


def test_projects_follow_the_organisation_filter(app, downloads) -> None:
    at = app("projects", lang="sv", org="gavle", year="2013")
    sv = lambda c: t(f"col.{c}", "sv")  # noqa: E731 - the download's headers are the table's
    portfolio = downloads["portfolio"]
    assert list(portfolio[sv("title")]) == [
        "Logistiknoder i Östersjöregionen",
        "Språk och entreprenörskap i gymnasieskolan",
    ]
    assert len(downloads["project_timeline"]) == 2
    assert set(downloads["project_funding"][sv("currency")]) == {"SEK"}
    assert not at.exception

    at = app("projects", lang="sv", org="vkl", year="2009")
    # projektmobilisering runs 2009-2011; kompetens starts in 2010
    assert list(downloads["portfolio"][sv("title")]) == ["Projektmobilisering i Västmanland"]
    at.selectbox(key="f_org").set_value(SEVERAL_ORGS).run()
    at.multiselect(key="f_orgs").set_value(["vkl", "slagelse"]).run()
    assert not at.exception
    portfolio = downloads["portfolio"]
    # Slagelse's projects have no start date, so they are in every year's portfolio
    assert list(portfolio[sv("org_id")]).count("Slagelse Kommune") == 8
    assert list(portfolio[sv("org_id")]).count("Västmanlands Kommuner och Landsting") == 1
    title = t("col.title", "sv")
    assert [len(df) for df in shown(at, "eu_rate", "sv") if title in df] == [9]  # portfolio


def test_a_chart_with_nothing_to_draw_says_so(app) -> None:
    # Gotland's four projects have no amounts: no empty funding chart with axes -1..6
    at = app("projects", lang="en", org="gotland")
    assert not at.exception
    assert "**Funding by programme and status**" in [m.value for m in at.markdown]
    assert any(i.value == "Nothing to show for this selection." for i in at.info)


@pytest.fixture(scope="module")
def small_synth(tmp_path_factory: pytest.TempPathFactory) -> Database:
    from dashboard.storage import synth

    out = tmp_path_factory.mktemp("synth-networks") / "data"
    synth.generate(5_000, out, seed=7)
    return Database(out)


def test_overview_and_networks_count_the_same_networks(sample_db, small_synth) -> None:
    """One answer: the Overview's network card and the Networks page's list agree, with and
    without a goal filter, on the sample and on a generated dataset."""
    for db in (sample_db, small_synth):
        goals = db.df("goal_options", params_for("goal_options", ALL))
        orgs = list(dict.fromkeys(goals["org_id"]))[:3]
        some = [Filters(), Filters((orgs[0],)), Filters(tuple(orgs), 2010, 2013)]
        for org in orgs:
            mine = goals[goals["org_id"] == org]["goal_id"].tolist()
            some += [
                Filters((org,), None, None, (mine[0],)),
                Filters((org,), 2009, 2012, tuple(mine[:2])),
            ]
        for f in some:
            cards = db.df("overview_metrics", params_for("overview_metrics", f))
            card = int(cards[cards["period"] == "current"]["networks"].iloc[0])
            listed = db.df("network_summary", params_for("network_summary", f))[
                "network_id"
            ].nunique()
            assert card == listed, f


def test_projects_and_evaluation_measure_a_count_target_alike(sample_db, small_synth) -> None:
    """One answer: a target counted in projects reads the same on the Projects page, in the
    Evaluation of its deadline year and in the Evaluation's trend (actual, year of the
    actual, progress, status), on the sample and on a generated dataset."""
    compared = 0
    for db in (sample_db, small_synth):
        targets = db.df("project_targets", params_for("project_targets", ALL))
        assert len(targets), "no count target to compare"
        trend = db.df("indicator_status", params_for("indicator_status", ALL))
        trend = trend.set_index(["indicator_id", "year"])
        groups = list(targets.groupby(["org_id", "deadline"]))
        for (org, deadline), rows in groups[:: max(len(groups) // 15, 1)]:  # about 15 each
            f = Filters((org,), int(deadline), int(deadline))
            ev = db.df("evaluation_indicators", params_for("evaluation_indicators", f))
            ev = ev.set_index("indicator_id")
            for _, r in rows.iterrows():
                e = ev.loc[r["indicator_id"]]
                same = [(r["actual"], e["actual"]), (r["actual_year"], e["actual_year"])]
                same += [(r["progress"], e["progress"])]
                same += [(r["progress"], trend.loc[(r["indicator_id"], deadline), "progress"])]
                for a, b in same:
                    assert (pd.isna(a) and pd.isna(b)) or a == pytest.approx(b), (r, e)
                assert e["status"] == trend.loc[(r["indicator_id"], deadline), "status"]
                compared += 1
    assert compared > 10
