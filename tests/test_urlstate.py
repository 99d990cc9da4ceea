"""Links to and from filters, with every kind of bad value falling back."""

from __future__ import annotations

from dashboard.model.filters import Filters
from dashboard.model.urlstate import parse, to_params

ORGS = ["gotland", "vkl"]
GOAL_ORG = {"g1": "gotland", "v1": "vkl"}
YEARS = (2009, 2014)


def test_round_trip_of_a_range_and_goals() -> None:
    f = Filters(("gotland", "vkl"), 2010, 2012, ("g1", "v1"))
    params = to_params(f, "en")
    assert params == {
        "lang": "en",
        "org": ["gotland", "vkl"],
        "from": "2010",
        "to": "2012",
        "goal": ["g1", "v1"],
    }
    state = parse(
        {k: v if isinstance(v, list) else [v] for k, v in params.items()}, ORGS, GOAL_ORG, YEARS
    )
    assert state.filters == f and state.lang == "en" and state.notices == ()


def test_comma_lists_and_single_year() -> None:
    state = parse({"org": ["gotland,vkl"], "year": ["2011"]}, ORGS, GOAL_ORG, YEARS)
    assert state.filters == Filters(("gotland", "vkl"), 2011, 2011)
    assert to_params(state.filters, "sv")["year"] == "2011"


def test_bad_values_fall_back_with_a_notice_each() -> None:
    state = parse(
        {
            "lang": ["fi"],
            "org": ["gotland", "malmo"],
            "goal": ["v1", "nope"],
            "from": ["2020"],
            "to": ["2021"],
        },
        ORGS,
        GOAL_ORG,
        YEARS,
    )
    assert state.lang is None
    assert state.filters == Filters(("gotland",))
    assert [n.key for n in state.notices] == [
        "notice.bad_lang",
        "notice.unknown_org",
        "notice.goal_other_org",  # vkl's goal while gotland is chosen
        "notice.unknown_goal",
        "notice.bad_year",
    ]
    # the goal another organisation has is named by number and wording, never by its id
    state = parse(
        {"org": ["gotland"], "goal": ["v1"]}, ORGS, GOAL_ORG, YEARS, {"v1": "VKL · 1. Mål"}
    )
    assert [dict(n.values) for n in state.notices] == [{"value": "VKL · 1. Mål"}]


def test_reversed_years_are_read_the_right_way_round() -> None:
    state = parse({"from": ["2012"], "to": ["2010"]}, ORGS, GOAL_ORG, YEARS)
    assert (state.filters.year_from, state.filters.year_to) == (2010, 2012)
    assert [(n.key, dict(n.values)) for n in state.notices] == [
        ("notice.years_reversed", {"value": "2012–2010", "lo": 2010, "hi": 2012})
    ]


def test_garbled_years_fall_back() -> None:
    for params in ({"year": ["twenty"]}, {"from": ["2010"]}, {"from": ["2013"], "to": ["2030"]}):
        state = parse(params, ORGS, GOAL_ORG, YEARS)
        assert (state.filters.year_from, state.filters.year_to) == (None, None)
        assert [n.key for n in state.notices] == ["notice.bad_year"]


def test_filters_is_a_pure_value() -> None:
    """The cache key of every query imports no database code (db.params_for reads it)."""
    from dashboard import PROJECT_ROOT

    source = (PROJECT_ROOT / "dashboard" / "model" / "filters.py").read_text()
    assert "from dashboard" not in source and "import duckdb" not in source
    assert hash(Filters(("a",), 2019, 2019, ("g",))) == hash(Filters(("a",), 2019, 2019, ("g",)))
