"""Every query against the mini fixture, with answers worked out by hand from its CSV files."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.model.filters import Filters
from dashboard.sql.queries import load_query, params_for, query_names
from dashboard.storage.engine import Database
from tests.helpers import ALL, clean, run


def test_every_query_declares_columns_it_returns(mini_db: Database) -> None:
    for name in query_names():
        q = load_query(name)
        extra = {"search": None, "limit": None, "offset": 0, "year": 2019}
        df = mini_db.df(name, params_for(name, ALL, **extra))
        assert tuple(df.columns) == q.columns, name


def test_goal_coverage_all_years(mini_db: Database) -> None:
    rows = run(mini_db, "goal_coverage", Filters(orgs=("a",)))
    assert clean(rows, "goal_id", "goal_code", "activities", "projects") == [
        ("a1", "1", 2, 1),  # a-01, a-02; pa1
        ("a2", "2", 2, 1),  # a-01, a-03; pa1
        ("a3", "3", 0, 0),  # the gap: nothing serves it
    ]


def test_goal_coverage_one_year_keeps_gaps(mini_db: Database) -> None:
    rows = run(mini_db, "goal_coverage", Filters(orgs=("a",), year_from=2020, year_to=2020))
    assert clean(rows, "goal_id", "activities", "projects") == [
        ("a1", 0, 1),  # pa1 runs 2019-2020 so it counts, no 2020 activity serves a1
        ("a2", 1, 1),  # a-03
        ("a3", 0, 0),
    ]


def test_goal_coverage_goal_filter_and_all_orgs(mini_db: Database) -> None:
    assert len(run(mini_db, "goal_coverage")) == 4
    rows = run(mini_db, "goal_coverage", Filters(goals=("b1",)))
    assert clean(rows, "org_id", "goal_id", "activities", "projects") == [("b", "b1", 1, 1)]


def test_activity_goals_long_form(mini_db: Database) -> None:
    rows = run(mini_db, "activity_goals", Filters(orgs=("a",), year_from=2019, year_to=2019))
    assert clean(rows, "activity_id", "goal_code") == [
        ("a-01", "1"),
        ("a-01", "2"),
        ("a-02", "1"),
    ]
    # an activity serving no goal still shows, once, with no goal
    rows = run(mini_db, "activity_goals", Filters(orgs=("a",), year_from=2020, year_to=2020))
    assert clean(rows, "activity_id", "goal_id") == [("a-03", "a2"), ("a-04", None)]


def test_activity_goals_goal_filter_keeps_all_goals_of_matching_activities(
    mini_db: Database,
) -> None:
    rows = run(mini_db, "activity_goals", Filters(goals=("a2",)))
    assert clean(rows, "activity_id", "goal_id") == [
        ("a-01", "a1"),
        ("a-01", "a2"),
        ("a-03", "a2"),
    ]


def test_activities_joins_names_and_goal_codes(mini_db: Database) -> None:
    rows = run(mini_db, "activities", Filters(orgs=("a",)), search=None, limit=None, offset=0)
    assert clean(rows, "activity_id", "network", "project", "goal_codes", "cost") == [
        ("a-01", "Network One", None, "1, 2", 100.0),
        ("a-02", None, None, "1", None),
        ("a-03", "Network One", "Alfa project", "2", 250.5),
        ("a-04", None, None, None, None),
    ]


def test_activities_search_and_paging(mini_db: Database) -> None:
    rows = run(mini_db, "activities", ALL, search="VISIT", limit=None, offset=0)
    assert [r["activity_id"] for r in rows] == ["a-03"]
    page = run(mini_db, "activities", ALL, search=None, limit=2, offset=2)
    assert [r["activity_id"] for r in page] == ["a-03", "a-04"]


def test_network_summary_fees_per_currency(mini_db: Database) -> None:
    rows = run(mini_db, "network_summary")
    assert clean(
        rows,
        "org_id",
        "network_id",
        "member_years",
        "fees",
        "currency",
        "activities",
        "goals_served",
        "parent_network",
    ) == [
        ("a", "n1", 2, 2000.0, "SEK", 2, 2, None),
        # open-ended: counted up to the last activity year of the dataset (2020)
        ("a", "t1", 2, None, None, 0, 0, None),
        ("b", "n1x", 2, 1000.0, "EUR", 1, 1, "Network One"),
    ]


def test_network_summary_year_and_goal(mini_db: Database) -> None:
    rows = run(mini_db, "network_summary", Filters(year_from=2021, year_to=2021))
    assert clean(rows, "network_id", "member_years", "fees") == [
        ("t1", 1, None),
        ("n1x", 1, 500.0),
    ]
    rows = run(mini_db, "network_summary", Filters(goals=("a2",)))
    assert clean(rows, "network_id", "activities") == [("n1", 2)]


def test_project_portfolio_rate_and_overlap(mini_db: Database) -> None:
    rows = run(mini_db, "project_portfolio")
    assert clean(rows, "project_id", "eu_rate", "goal_codes") == [
        ("pa1", 0.6, "1, 2"),
        ("pb1", None, "1"),
    ]
    rows = run(mini_db, "project_portfolio", Filters(year_from=2021, year_to=2022))
    # pa1 ended in 2020; pb1 has no dates and is always included
    assert [r["project_id"] for r in rows] == ["pb1"]


def test_indicator_status_rule(mini_db: Database) -> None:
    rows = run(mini_db, "indicator_status")
    assert clean(rows, "indicator_id", "year", "status") == [
        ("ia", 2019, "reached"),
        ("ia", 2020, "on_track"),  # (3-0)/(4-0) = 0.75
        ("ib", 2019, "at_risk"),  # lower is better: (80-100)/(50-100) = 0.40
        ("ib", 2020, "off_track"),  # no actual for 2020: 2019's 80 against the target 40
    ]
    assert [r["actual_year"] for r in rows] == [2019, 2020, 2019, 2019]
    assert pd.isna(rows[3]["actual"])  # the value reported for the year stays as it was
    assert rows[2]["progress"] == pytest.approx(0.4)


def test_file_slug_names_the_selection_in_the_language() -> None:
    from dashboard.model.access import Scope
    from dashboard.outputs.export import file_slug

    every = Scope.everything()
    assert file_slug(Filters(("gotland",), 2009, 2009), "sv", every) == "gotland_2009"
    assert file_slug(Filters(), "sv", every) == "alla_alla-ar"
    assert file_slug(Filters(), "da", every) == "alle_alle-aar"
    assert file_slug(Filters(), "en", every) == "all_all-years"
    # goals by how many (an id such as gavle-p1 is no name a reader knows)
    two = Filters(("a", "b"), 2019, 2020, ("a1",))
    assert file_slug(two, "sv", every) == "a-b_2019-2020_mal-1"
    four = Filters(("a", "b", "c", "d"), 2019, 2019)
    assert file_slug(four, "da", every) == "4-organisationer_2019"
    assert file_slug(Filters(("a",)), "sv", every, latest=True) == "a_senaste-aret"


def test_a_file_is_named_by_the_organisations_its_reader_may_read() -> None:
    """An "all" is every organisation only for a reader of every one: a Gävle reporter's file
    of "all organisations" holds Gävle's rows and is named so (a manager reading
    aktiviteter_alla_... would take it for every municipality's)."""
    from dashboard.model.access import Scope
    from dashboard.outputs.export import file_slug

    gavle = Scope.only(["gavle"])
    assert file_slug(Filters(), "sv", gavle) == "gavle_alla-ar"
    assert file_slug(Filters((), 2012, 2012), "en", Scope.only(["b", "a"])) == "a-b_2012"
    many = Scope.only(["a", "b", "c", "d", "e"])
    assert file_slug(Filters(), "sv", many) == "5-organisationer_alla-ar"
    # a crafted link to another organisation reads nothing, and says so
    assert file_slug(Filters(("gotland",)), "sv", gavle) == "0-organisationer_alla-ar"
    assert file_slug(Filters(), "sv", Scope.only([])) == "0-organisationer_alla-ar"
