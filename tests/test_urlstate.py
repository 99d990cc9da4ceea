"""Links to and from filters, with every kind of bad value falling back."""

from __future__ import annotations

from pathlib import Path

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
    for params in (
        {"year": ["twenty"]},
        {"from": ["2010"], "to": ["soon"]},
        {"year": ["2030"]},  # one year, not in the data
        {"year": ["2008"]},
        {"from": ["2020"], "to": ["2030"]},  # no year of the range in the data
        {"from": ["2001"], "to": ["2008"]},
        {"to": ["2008"]},
        {"from": ["2015"]},
    ):
        state = parse(params, ORGS, GOAL_ORG, YEARS)
        assert (state.filters.year_from, state.filters.year_to) == (None, None), params
        assert [n.key for n in state.notices] == ["notice.bad_year"], params


def test_a_range_partly_outside_the_data_is_cut_to_the_data() -> None:
    """A link to a strategy period (2013–2030) shows the years of it the data has, and
    says so; it does not fall back to every year."""
    cases = {
        ("2013", "2030"): (2013, 2014, "2013–2030"),
        ("2008", "2010"): (2009, 2010, "2008–2010"),
        ("2000", "2030"): (2009, 2014, "2000–2030"),
    }
    for (frm, to), (lo, hi, value) in cases.items():
        state = parse({"from": [frm], "to": [to]}, ORGS, GOAL_ORG, YEARS)
        assert (state.filters.year_from, state.filters.year_to) == (lo, hi)
        assert [(n.key, dict(n.values)) for n in state.notices] == [
            (
                "notice.years_clamped",
                {"value": value, "lo": 2009, "hi": 2014, "shown": f"{lo}–{hi}"},
            )
        ]
        # the link the app writes back is the range shown, and reads back without a notice
        again = parse(
            {
                k: v if isinstance(v, list) else [v]
                for k, v in to_params(state.filters, "sv").items()
            },
            ORGS,
            GOAL_ORG,
            YEARS,
        )
        assert again.filters == state.filters and again.notices == ()
    # backwards and partly outside: both said, in that order
    state = parse({"from": ["2030"], "to": ["2012"]}, ORGS, GOAL_ORG, YEARS)
    assert (state.filters.year_from, state.filters.year_to) == (2012, 2014)
    assert [n.key for n in state.notices] == ["notice.years_reversed", "notice.years_clamped"]


def test_one_end_of_the_range_runs_to_the_data_s_edge() -> None:
    state = parse({"from": ["2011"]}, ORGS, GOAL_ORG, YEARS)
    assert (state.filters.year_from, state.filters.year_to, state.notices) == (2011, 2014, ())
    state = parse({"to": ["2011"]}, ORGS, GOAL_ORG, YEARS)
    assert (state.filters.year_from, state.filters.year_to, state.notices) == (2009, 2011, ())
    state = parse({"to": ["2030"]}, ORGS, GOAL_ORG, YEARS)  # every year, and said
    assert (state.filters.year_from, state.filters.year_to) == (2009, 2014)
    assert [n.key for n in state.notices] == ["notice.years_clamped"]


def test_every_year_notice_reads_in_every_language() -> None:
    """The notices name the asked years, the data's span and what is shown, in words that
    fit a single year as well as a range (no "Året 2008–2010")."""
    from dashboard.i18n import LANGS, t

    for lang in LANGS:
        for params in ({"year": ["2030"]}, {"from": ["2008"], "to": ["2010"]}):
            for n in parse(params, ORGS, GOAL_ORG, YEARS).notices:
                text = t(n.key, lang, **n.values)
                assert "{" not in text and "2009–2014" in text, (lang, text)
                assert "2030" in text or "2008–2010" in text, (lang, text)


def test_filters_is_a_pure_value() -> None:
    """The cache key of every query imports no database code (db.params_for reads it)."""
    from dashboard import PROJECT_ROOT

    source = (PROJECT_ROOT / "dashboard" / "model" / "filters.py").read_text()
    assert "from dashboard" not in source and "import duckdb" not in source
    assert hash(Filters(("a",), 2019, 2019, ("g",))) == hash(Filters(("a",), 2019, 2019, ("g",)))


def test_one_rule_fits_a_link_s_years_and_a_kept_selection_to_the_data() -> None:
    """`fit_span` is what both a link (`read_years`) and a session whose dataset was
    replaced (`sidebar.fit_state`) use: cut to the years the data has, none left -> None."""
    from dashboard.model.urlstate import fit_span

    assert fit_span(2008, 2010, YEARS) == (2009, 2010)
    assert fit_span(2013, 2030, YEARS) == (2013, 2014)
    assert fit_span(2010, 2012, YEARS) == (2010, 2012)
    assert fit_span(2015, 2020, YEARS) is None and fit_span(2001, 2008, YEARS) is None
    source = (Path(__file__).parent.parent / "dashboard" / "app" / "sidebar.py").read_text()
    assert "fit_span(" in source and "min(max(" not in source
