"""One evaluation rule: every way the Annual evaluation counts a selection gives one answer.

The cards, the indicator table, the goal roll-up, its chart, the annual workbook and the
command line's report are computed here for every year of every organisation, on the
sample and on a generated dataset, and compared. Once, the roll-up judged an indicator on
the year's own actual while the table judged it on the latest actual up to the year:
Slagelse 2013 said "at risk" in one place and "cannot be assessed" in another.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
import pytest

from dashboard.charts import evaluation_figures
from dashboard.model import verdicts
from dashboard.model.access import Scope
from dashboard.model.filters import Filters
from dashboard.outputs import report
from dashboard.sql.queries import params_for
from dashboard.storage import synth
from dashboard.storage.engine import Database

STATUSES = ("reached", "on_track", "at_risk", "off_track", "not_assessable")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Database:
    out = tmp_path_factory.mktemp("synth-eval") / "data"
    synth.generate(3_000, out, seed=11)
    return Database(out)


def q(db: Database, name: str, f: Filters) -> pd.DataFrame:
    return db.df(name, params_for(name, f))


def verdict(r: pd.Series) -> str:
    """The verdict rule as the page writes it, restated."""
    if r["activities"] == 0 and r["indicators"] == 0:
        return "uncovered"
    if r["off_track"]:
        return "off_track"
    if r["at_risk"]:
        return "at_risk"
    if r["on_track"] == 0 and r["reached"]:
        return "reached"
    if r["on_track"]:
        return "on_track"
    return "not_assessable"


def agree(db: Database, f: Filters) -> int:
    """Check every way of counting *f*'s evaluation against the others; the goals checked."""
    rollup = q(db, "evaluation_rollup", f)
    ind = q(db, "evaluation_indicators", f)
    # the roll-up counts the indicator table's rows, goal by goal
    counted = Counter(zip(ind["goal_id"], ind["status"], strict=True))
    for r in rollup.itertuples():
        for s in STATUSES:
            assert getattr(r, s) == counted[(r.goal_id, s)], (f, r.goal_code, s)
        assert r.indicators == sum(counted[(r.goal_id, s)] for s in STATUSES)
    assert set(ind["goal_id"]) <= set(rollup["goal_id"]), f  # no indicator outside the goals
    for _, r in rollup.iterrows():
        assert r["verdict"] == verdict(r), (f, r["goal_code"])
    # the cards say what the tables hold
    cards = verdicts.card_counts(rollup, ind)
    assert cards["indicators"] == int(rollup["indicators"].sum())
    assert cards["good"] == int(rollup["reached"].sum() + rollup["on_track"].sum())
    assert cards["bad"] == int(rollup["at_risk"].sum() + rollup["off_track"].sum())
    assert cards["na"] == int(rollup["not_assessable"].sum())
    # the chart draws the roll-up's counts, status by status
    if 0 < len(rollup) <= 300:  # the page draws at most a few hundred goals
        labels = {s: s for s in evaluation_figures.STATUS_ORDER} | {
            "title": "",
            "x": "",
            "y": "",
            "gap": "",
        }
        fig = evaluation_figures.indicator_status_bar(rollup, labels, ".,")
        bars = {tr.name: list(tr.x) for tr in fig.data if tr.type == "bar"}
        for s in evaluation_figures.STATUS_ORDER:
            assert bars[s] == rollup[s].tolist(), (f, s)
    # the trend's status for the year is the table's, indicator by indicator
    trend = q(db, "indicator_status", Filters(f.orgs, f.year_to, f.year_to))
    judged = dict(zip(ind["indicator_id"], ind["status"], strict=True))
    for r in trend.itertuples():
        if r.indicator_id in judged and pd.notna(r.target):
            assert r.status == judged[r.indicator_id], (f, r.indicator_id)
    # the workbook and the command line's report read the same parts
    plan = report.plan_for(db, f)
    assert plan is not None and plan.year == f.year_to
    parts = report.parts(db, plan)
    pd.testing.assert_frame_equal(parts["goals"], rollup)
    pd.testing.assert_frame_equal(parts["indicators"], ind)
    return len(rollup)


def every_year_of_every_org(db: Database) -> list[Filters]:
    spans = db.cursor().sql(
        "select org_id, min(year), max(year) from ("
        " select org_id, year from summary_activities union all"
        " select i.org_id, v.year from indicator_values v join indicators i using (indicator_id)"
        " union all select org_id, year from goal_assessments) group by org_id order by org_id"
    )
    return [
        Filters((org,), y, y)
        for org, lo, hi in spans.fetchall()
        for y in range(int(lo) - 1, int(hi) + 2)  # and a year either side of the data
    ]


def test_sample_every_year_of_every_organisation_agrees(sample_db: Database) -> None:
    checked = sum(agree(sample_db, f) for f in every_year_of_every_org(sample_db))
    assert checked > 100


def test_all_organisations_in_one_year_agree(sample_db: Database) -> None:
    for y in (2009, 2012, 2013, 2022):
        agree(sample_db, Filters((), y, y))


def test_generated_dataset_every_year_of_every_organisation_agrees(generated: Database) -> None:
    """All 300 organisations at once, year by year (one query a year evaluates them all)."""
    years = sorted({f.year_to for f in every_year_of_every_org(generated)})
    checked = sum(agree(generated, Filters((), y, y)) for y in years)
    assert checked > 1000


def test_slagelse_2013_says_one_thing_everywhere(sample_db: Database) -> None:
    """The case the issue found: T2's indicators are at risk and on track, so T2 is at risk
    in the table, the roll-up, its chart and the cards alike."""
    f = Filters(("slagelse",), 2013, 2013)
    rollup = q(sample_db, "evaluation_rollup", f).set_index("goal_code")
    assert rollup.loc["T2", ["at_risk", "on_track", "not_assessable"]].tolist() == [1, 1, 0]
    assert rollup.loc["T2", "verdict"] == "at_risk"
    assert rollup.loc["T3", "verdict"] == "at_risk"
    ind = q(sample_db, "evaluation_indicators", f)
    cards = verdicts.card_counts(rollup.reset_index(), ind)
    assert (cards["good"], cards["bad"], cards["na"]) == (1, 2, 1)


def test_a_goal_belongs_to_the_years_its_strategy_applies(sample_db: Database) -> None:
    """Älvsbyn's guideline applies 2019-09-30 to 2022-12-31: none of its goals is a gap, or
    evaluated, in 2012; Gävle's strategy (no dates) applies every year."""
    goals = q(sample_db, "goals_in_period", Filters((), 2012, 2012))
    assert "alvsbyn" not in set(goals["org_id"]) and "gavle" in set(goals["org_id"])
    rollup = q(sample_db, "evaluation_rollup", Filters((), 2012, 2012))
    assert "alvsbyn" not in set(rollup["org_id"])
    assert set(q(sample_db, "goals_in_period", Filters(("alvsbyn",), 2019, 2019))["org_id"]) == {
        "alvsbyn"
    }
    cov = q(sample_db, "goal_coverage", Filters((), 2012, 2012))
    assert "alvsbyn" not in set(cov["org_id"])
    metrics = q(sample_db, "overview_metrics", Filters((), 2012, 2012)).set_index("period")
    assert metrics.loc["current", "goals_total"] == len(goals)


def test_without_a_year_each_organisation_is_evaluated_in_its_own_latest(
    sample_db: Database,
) -> None:
    plan = report.plan_for(sample_db, Filters())
    assert plan is not None and plan.year is None  # they differ: no one year for all
    years = dict(plan.years)
    assert years["alvsbyn"] == 2022 and years["gotland"] == 2013 and years["slagelse"] == 2014
    comp = report.compile_year(sample_db, Filters(), "sv")
    assert comp is not None
    goals = comp.frames["goals"]
    # every organisation in its own year, never Älvsbyn's 2022 for all
    assert dict(goals.groupby("org_id")["year"].first()) == years
    assert "senaste året per organisation" in comp.year_text("sv")
    assert "Gotland" in comp.year_text("sv")
    one = report.plan_for(sample_db, Filters(("gavle",)))
    assert one is not None and one.year == 2015


def test_file_names_say_the_year_evaluated(sample_db: Database) -> None:
    plan = report.plan_for(sample_db, Filters(("slagelse",), 2011, 2013))
    assert plan is not None
    # a range evaluates its last year: the workbook and the page's files say 2013 alike
    anyone = Scope.everything()
    assert report.file_stem(plan, "sv", anyone) == "arssammanstallning_slagelse_2013"
    assert report.plan_slug(plan, "sv", anyone) == "slagelse_2013"
    every = report.plan_for(sample_db, Filters())
    assert every is not None
    assert report.plan_slug(every, "da", anyone) == "alle_seneste-aar"
    assert report.plan_slug(every, "da", Scope.only(["vkl"])) == "vkl_seneste-aar"
