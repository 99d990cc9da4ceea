"""The shipped sample: its counts match the five documents, and data/ is the import of sample/."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.model.contract import TABLES
from dashboard.model.filters import Filters
from dashboard.sql.queries import params_for
from dashboard.storage.dataset import read_table
from dashboard.storage.engine import Database
from tests.conftest import ROOT

DOCS = {
    "Gotlands kommun: Handlingsplan för kommunövergripande internationellt samarbete 2009",
    "Gävle kommun: Internationell strategi",
    "VKL: Internationell strategi för Västmanlands Kommuner och Landsting",
    "Älvsbyns kommun: Riktlinje Det internationella arbetet 2019 (KS § 130)",
    "Kommunen.dk 12 mar 2012: Dansk-svensk-polsk udviklingsnetværk (Slagelse Kommune)",
}

# Gotland's action plan 2009, the parentheses after each bullet ("samtliga mål" = all seven).
GOTLAND_2009 = [
    ("Almedalsveckans invigning", {1, 4}),
    ("B7: Brysselbesök, status och 20-årsjubileum", {4}),
    ("B7-projekt – energiplaner, ungdomsutbyte, turism", {2, 3, 6, 7}),
    ("BSC-sekretariatet, årsmöte", {1, 4, 6}),
    ("Energi – TRANSPLAN-projektet, ISLENET", {6}),
    ("EU:s Östersjöstrategi", {2, 4, 6}),
    ("Hansedagar i Novgorod", {3, 7}),
    ("Internationella dagen", {1, 2, 3, 4, 5, 6, 7}),
    ("Kommunala partnerskap: Kibaha, ansökan Jhansi", {3, 5}),
    ("Kommunalt nätverk", {5}),
    ("Näringslivskontakter", {1, 2}),
    ("Regionalt nätverk", {1, 2, 3, 6}),
    ("SEU, introduktion och rutiner", {4}),
    (
        "Sedvanliga vänortskontakter och deltagande i prioriterade organisationer och nätverk, "
        "20-årsjubileum av vänortskontakterna med Ösel",
        {3, 4, 6, 7},
    ),
    ("Stora och mindre möten med helt eller delvis internationell målgrupp", {1, 3}),
    ("Utvärderingsinstrument för den interregionala strategin", {5}),
]


def goal_counts(db: Database) -> dict[tuple[str, str], int]:
    with db.cursor() as cur:
        rows = cur.execute("select org_id, kind, count(*) from goals group by all").fetchall()
    return {(org, kind): n for org, kind, n in rows}


def test_every_goal_the_documents_list(sample_db: Database) -> None:
    counts = goal_counts(sample_db)
    assert counts[("gotland", "goal")] == 7
    assert counts[("gavle", "priority_area")] == 3
    assert counts[("gavle", "vision")] == 5
    assert counts[("vkl", "purpose")] == 2
    assert counts[("vkl", "goal")] == 8
    assert counts[("alvsbyn", "purpose")] == 7
    assert counts[("slagelse", "focus_area")] == 3
    assert counts[("slagelse", "target")] == 3


def test_gotland_2009_activities_match_the_parentheses(sample_db: Database) -> None:
    f = Filters(("gotland",), 2009, 2009)
    df = sample_db.df("activity_goals", params_for("activity_goals", f, limit=None))
    got: dict[str, set[int]] = {}
    for row in df.itertuples():
        got.setdefault(row.activity_title, set()).add(int(row.goal_code))
    assert list(got.items()) == GOTLAND_2009
    assert set(df["source"]) == {
        "Gotlands kommun: Handlingsplan för kommunövergripande internationellt samarbete 2009"
    }


def test_slagelse_projects_and_interloc(sample_db: Database) -> None:
    df = sample_db.df("project_portfolio", params_for("project_portfolio", Filters(("slagelse",))))
    from_article = df[
        df["source"]
        == "Kommunen.dk 12 mar 2012: Dansk-svensk-polsk udviklingsnetværk (Slagelse Kommune)"
    ]
    assert len(from_article) == 8
    interloc = df[df["acronym"] == "InterLoc"].iloc[0]
    assert (interloc.total_budget, interloc.eu_funding, interloc.currency) == (
        527044.0,
        403770.0,
        "EUR",
    )
    assert interloc.eu_rate == pytest.approx(0.766, abs=0.001)  # "svarende til 76 pct."
    assert str(interloc.end_date)[:10] == "2013-12-31"
    applied = from_article[from_article["status"] == "applied"]
    assert list(applied["acronym"]) == ["GreenPro + MOK-UP"]


def test_networks_structure(sample_db: Database) -> None:
    with sample_db.cursor() as cur:
        parents = dict(
            cur.execute(
                "select n.acronym, p.acronym from networks n join networks p "
                "on p.network_id = n.parent_network_id"
            ).fetchall()
        )
        names = {r[0] for r in cur.execute("select name from networks").fetchall()}
    assert parents.get("BSC") == "CPMR" or "Baltic Sea Commission" in names
    with sample_db.cursor() as cur:
        cpmr_children = {
            r[0]
            for r in cur.execute(
                "select n.name from networks n join networks p on p.network_id = "
                "n.parent_network_id where p.acronym = 'CPMR'"
            ).fetchall()
        }
    assert {"Islands Commission", "Baltic Sea Commission"} <= cpmr_children
    for town in ("Kibaha", "Jhansi", "Novgorod"):
        assert any(town in n for n in names), town
    assert any("Ösel" in n for n in names)


def test_every_row_says_where_it_comes_from(sample_db: Database) -> None:
    with sample_db.cursor() as cur:
        for t in TABLES:
            if "source" not in {c.name for c in t.columns}:
                continue
            sources = {
                r[0] for r in cur.execute(f"select distinct source from {t.name}").fetchall()
            }
            if t.name in ("activity_goals", "project_goals"):
                sources.discard(None)  # empty: as the activity or project
            assert sources <= DOCS | {"illustrative"}, (t.name, sources - DOCS)


def test_shipped_data_is_the_import_of_sample(sample_dir: Path) -> None:
    for t in TABLES:
        shipped = read_table(ROOT / "data", t)
        fresh = read_table(sample_dir, t)
        assert shipped is not None and shipped.equals(fresh), (
            f"data/{t.name} is stale: run `make data`"
        )
