"""Charts as a manager reads them: colours that keep their meaning, texts large enough, numbers
written out, legends clear of the axes; and counts that are the same number on every page."""

from __future__ import annotations

import pandas as pd

from dashboard.charts import evaluation_figures, goal_figures, network_figures, style
from dashboard.model.filters import Filters
from dashboard.sql.queries import params_for
from dashboard.storage.engine import Database

LABELS = {s: s for s in evaluation_figures.STATUS_ORDER} | {
    "title": "T",
    "x": "X",
    "y": "Y",
    "gap": "G",
}


def rollup() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "org_id": ["a", "a"],
            "goal_code": ["1", "2"],
            "goal_title": ["Ett", "Två"],
            "reached": [1, 0],
            "on_track": [1, 2],
            "at_risk": [1, 0],
            "off_track": [0, 1],
            "not_assessable": [2, 0],
            "verdict": ["at_risk", "off_track"],
        }
    )


def test_status_bars_keep_their_colour_under_the_pattern() -> None:
    """The pattern is drawn over the status colour; drawn instead of it ('replace', the
    default), every patterned status was a white bar."""
    fig = evaluation_figures.indicator_status_bar(rollup(), LABELS, ", ")
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert len(bars) == len(evaluation_figures.STATUS_ORDER)
    for tr in bars:
        assert tr.marker.color == evaluation_figures.STATUS_COLOR[tr.name]
        if tr.marker.pattern.shape:
            assert tr.marker.pattern.fillmode == "overlay", tr.name


def test_every_chart_writes_numbers_out_and_keeps_its_legend_off_the_axes() -> None:
    fig = evaluation_figures.indicator_status_bar(rollup(), LABELS, ", ")
    layout = fig.layout
    assert layout.legend.y >= 1 and layout.legend.yanchor == "bottom"  # above the plot
    assert layout.uniformtext.minsize >= 11 and layout.uniformtext.mode == "hide"
    assert layout.xaxis.exponentformat == "none" and layout.xaxis.separatethousands
    per_year = pd.DataFrame({"org_id": ["a"], "year": [2020], "activities": [5_000_000]})
    fig = goal_figures.per_year_bar(per_year, {"title": "", "x": "", "y": ""}, ", ", {"a": "A"})
    assert fig.layout.yaxis.exponentformat == "none"  # 5 000 000, never 5M


def test_an_organisation_keeps_its_colour_whatever_is_selected() -> None:
    names = {"alvsbyn": "Ä", "gavle": "G", "gotland": "Go", "slagelse": "S", "vkl": "V"}
    alone = pd.DataFrame({"org_id": ["slagelse"], "year": [2012], "activities": [3]})
    both = pd.DataFrame(
        {"org_id": ["gavle", "slagelse"], "year": [2012, 2012], "activities": [2, 3]}
    )
    labels = {"title": "", "x": "", "y": ""}
    one = goal_figures.per_year_bar(alone, labels, ", ", names)
    two = goal_figures.per_year_bar(both, labels, ", ", names)
    colour = {tr.name: tr.marker.color for tr in two.data}
    assert one.data[0].marker.color == colour["S"] == style.org_colour("slagelse", names)
    assert colour["G"] != colour["S"]


def test_places_shared_by_several_markers_are_set_apart() -> None:
    points = pd.DataFrame(
        {
            "lat": [59.33, 59.33, 59.33, 50.0],
            "lon": [18.07, 18.07, 18.07, 4.0],
            "name": list("abcd"),
        }
    )
    out = network_figures.spread(points)
    assert (
        len({(round(a, 4), round(b, 4)) for a, b in zip(out["lat"], out["lon"], strict=True)}) == 4
    )
    assert out["lat0"].tolist() == points["lat"].tolist()  # the true place is kept
    assert (out.loc[3, "lat"], out.loc[3, "lon"]) == (50.0, 4.0)  # alone: not moved


def test_the_same_count_is_the_same_number_on_every_page(sample_db: Database) -> None:
    """The Overview's cards against the pages that list what they count."""
    db = sample_db
    for f in (
        Filters(),
        Filters(("gotland",)),
        Filters((), 2012, 2012),
        Filters(("slagelse",), 2011, 2013),
    ):
        cards = db.df("overview_metrics", params_for("overview_metrics", f)).set_index("period")
        now = cards.loc["current"]
        portfolio = db.df("project_portfolio", params_for("project_portfolio", f))
        secured = portfolio[portfolio["status"].isin(["granted", "running", "closed"])]
        assert now["projects_running"] == len(secured), f
        goals = db.df("goals_in_period", params_for("goals_in_period", f))
        assert now["goals_total"] == len(goals), f
        count = db.df("activities_count", params_for("activities_count", f, search=None))
        assert now["activities"] == int(count.iloc[0]["activities"]), f
        networks = db.df("network_summary", params_for("network_summary", f))
        assert now["networks"] == networks["network_id"].nunique(), f
