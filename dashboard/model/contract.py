"""The data contract: every table, column, type, allowed value and reference.

This module is the single source of truth for what a dataset holds. The import
validates against it, the template is generated from it, the README table of the
contract is generated from it, and the Parquet layout (sort order) is declared here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColType = Literal["str", "int", "float", "date"]
# The kinds of column, each written one way on screen, in CSV, the workbook and the report:
# a coded column in words, money with its currency, a share as a percentage, a year as a
# label without digit grouping, a date as the language writes dates, a count grouped.
Kind = Literal["text", "number", "count", "money", "share", "year", "date", "coded"]

ORG_KINDS = ("municipality", "region", "association")
GOAL_KINDS = ("vision", "purpose", "goal", "priority_area", "focus_area", "target")
NETWORK_KINDS = ("network", "organisation", "twin_town", "partner", "office")
PROJECT_ROLES = ("lead_partner", "partner")
PROJECT_STATUSES = ("idea", "applied", "granted", "running", "closed", "rejected")
ACTIVITY_STATUSES = ("planned", "ongoing", "done", "cancelled")
MEMBERSHIP_ROLES = ("member", "board", "chair", "secretariat", "partner", "service_partner")
DIRECTIONS = ("higher", "lower")
ASSESSMENT_STATUSES = ("achieved", "on_track", "at_risk", "off_track", "not_assessed")
# What an activity is; each has its word in every language (code.activity_type.*).
ACTIVITY_TYPES = (
    "meeting", "visit", "conference", "seminar", "workshop", "event", "training", "exchange",
    "project", "application", "network", "partnership", "business", "policy", "planning",
    "action", "evaluation", "follow_up", "monitoring", "support", "other",
)  # fmt: skip
# What an indicator counts or measures. A currency or a million of one is money; projects is
# what the Projects page's count targets read.
CURRENCY_UNITS = ("SEK", "DKK", "EUR", "NOK", "ISK", "MSEK", "MDKK", "MEUR")
UNITS = (
    "projects", "activities", "meetings", "visits", "contacts", "participants", "persons",
    "networks", "days", "tonnes_co2", "percent", *CURRENCY_UNITS,
)  # fmt: skip
COUNTRIES = (
    "SE",
    "DK",
    "NO",
    "FI",
    "IS",
    "EE",
    "LV",
    "LT",
    "PL",
    "DE",
    "RU",
    "BE",
    "FR",
    "ES",
    "IT",
    "NL",
    "GB",
    "IE",
    "TZ",
    "IN",
    "EU",
    "INT",
)

MIN_YEAR = 1950
MAX_YEAR = 2100
LATITUDE, LONGITUDE = (-90.0, 90.0), (-180.0, 180.0)  # degrees, WGS84
ILLUSTRATIVE = "illustrative"


@dataclass(frozen=True)
class Column:
    """One column: its type, whether it must be filled, and what it may hold."""

    name: str
    type: ColType
    doc: str
    required: bool = False
    allowed: tuple[str, ...] | None = None
    ref: tuple[str, str] | None = None  # (table, column) this value must exist in
    money: bool = False  # non-negative, needs the row's currency
    year: bool = False  # between MIN_YEAR and MAX_YEAR
    derived: bool = False  # written by the import, not filled in by users
    domain: str | None = None  # a coded column: the domain of its words (`codes.DOMAINS`)
    # the least and greatest value the column may hold (a latitude lies within -90..90): a
    # number read in the wrong language ("-71.208" as -71208) is refused, not drawn off the map
    bounds: tuple[float, float] | None = None

    @property
    def kind(self) -> Kind:
        """How the column is read and written everywhere (screen, CSV, workbook, report)."""
        if self.domain:
            return "coded"
        if self.money:
            return "money"
        if self.year:
            return "year"
        if self.type == "date":
            return "date"
        return "number" if self.type in ("int", "float") else "text"


@dataclass(frozen=True)
class Table:
    """One table of the contract and how it is laid out on disk."""

    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    sort_by: tuple[str, ...] = field(default=())
    # stored as one file per organisation (a folder of Parquet files) where the table grows
    # with the activities: a save of one organisation then rewrites only that file
    partitioned: bool = False

    @property
    def input_columns(self) -> tuple[Column, ...]:
        """Columns a user fills in (the template's columns)."""
        return tuple(c for c in self.columns if not c.derived)

    def column(self, name: str) -> Column:
        """The column called *name*."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name}")


def _source() -> Column:
    return Column(
        "source",
        "str",
        "Where the row comes from: the document (file and section) or 'illustrative'.",
        required=True,
    )


def _currency() -> Column:
    return Column("currency", "str", "ISO 4217 code of every amount in the row (EUR, SEK, DKK).")


TABLES: tuple[Table, ...] = (
    Table(
        "organisations",
        "Municipalities, regions and associations whose strategies are followed up.",
        (
            Column("org_id", "str", "Short stable id, lower case (gotland).", required=True),
            Column("name", "str", "Name as the organisation writes it.", required=True),
            Column(
                "kind",
                "str",
                "What kind of body it is.",
                required=True,
                allowed=ORG_KINDS,
                domain="org_kind",
            ),
            Column("country", "str", "ISO 3166 country code.", required=True, allowed=COUNTRIES),
            Column("lat", "float", "Latitude of the seat, WGS84.", bounds=LATITUDE),
            Column("lon", "float", "Longitude of the seat, WGS84.", bounds=LONGITUDE),
            _source(),
        ),
        key=("org_id",),
        sort_by=("org_id",),
    ),
    Table(
        "strategies",
        "Adopted strategies, action plans and guidelines that set the goals.",
        (
            Column("strategy_id", "str", "Stable id (gotland-2009).", required=True),
            Column(
                "org_id",
                "str",
                "Organisation that adopted it.",
                required=True,
                ref=("organisations", "org_id"),
            ),
            Column("title", "str", "Title as in the document.", required=True),
            Column("adopted_on", "date", "Date of the decision, if the document gives it."),
            Column("valid_from", "date", "First day it applies."),
            Column("valid_to", "date", "Last day it applies (empty: until replaced)."),
            Column("decided_by", "str", "Body and paragraph that decided it (KS § 130)."),
            _source(),
        ),
        key=("strategy_id",),
        sort_by=("org_id", "strategy_id"),
    ),
    Table(
        "goals",
        "Every goal, purpose, priority area, focus area and target of a strategy.",
        (
            Column("goal_id", "str", "Stable id (gotland-2009-g1).", required=True),
            Column(
                "strategy_id",
                "str",
                "Strategy that sets it.",
                required=True,
                ref=("strategies", "strategy_id"),
            ),
            Column(
                "code", "str", "Number or code as the document gives it (1, 2, S1).", required=True
            ),
            Column("title", "str", "Wording as in the document.", required=True),
            Column(
                "kind",
                "str",
                "What the document calls it.",
                required=True,
                allowed=GOAL_KINDS,
                domain="goal_kind",
            ),
            Column(
                "parent_goal_id",
                "str",
                "Goal this one belongs under, if any.",
                ref=("goals", "goal_id"),
            ),
            Column(
                "org_id",
                "str",
                "Organisation of the strategy (filled in by the import).",
                derived=True,
            ),
        ),
        key=("goal_id",),
        sort_by=("org_id", "strategy_id", "goal_id"),
    ),
    Table(
        "networks",
        "Networks, organisations, offices, twin towns and partner municipalities.",
        (
            Column("network_id", "str", "Stable id (cpmr).", required=True),
            Column("name", "str", "Full name.", required=True),
            Column("acronym", "str", "Short name (CPMR)."),
            Column(
                "kind",
                "str",
                "What it is.",
                required=True,
                allowed=NETWORK_KINDS,
                domain="network_kind",
            ),
            Column(
                "parent_network_id",
                "str",
                "Network this one is part of (Islands Commission is part of CPMR).",
                ref=("networks", "network_id"),
            ),
            Column(
                "country",
                "str",
                "ISO 3166 country code, EU or INT for international.",
                allowed=COUNTRIES,
            ),
            Column("lat", "float", "Latitude of the seat or town, WGS84.", bounds=LATITUDE),
            Column("lon", "float", "Longitude of the seat or town, WGS84.", bounds=LONGITUDE),
            _source(),
        ),
        key=("network_id",),
        sort_by=("network_id",),
    ),
    Table(
        "memberships",
        "Which organisation takes part in which network, when, and at what fee.",
        (
            Column(
                "org_id",
                "str",
                "Member organisation.",
                required=True,
                ref=("organisations", "org_id"),
            ),
            Column("network_id", "str", "Network.", required=True, ref=("networks", "network_id")),
            Column("since_year", "int", "First year of membership.", required=True, year=True),
            Column("until_year", "int", "Last year (empty: still a member).", year=True),
            Column(
                "role",
                "str",
                "Role in the network.",
                allowed=MEMBERSHIP_ROLES,
                domain="membership_role",
            ),
            Column("annual_fee", "float", "Yearly fee.", money=True),
            _currency(),
            _source(),
        ),
        key=("org_id", "network_id", "since_year"),
        sort_by=("org_id", "network_id", "since_year"),
    ),
    Table(
        "projects",
        "International and EU projects with their funding.",
        (
            Column("project_id", "str", "Stable id (slagelse-interloc).", required=True),
            Column(
                "org_id",
                "str",
                "Organisation taking part.",
                required=True,
                ref=("organisations", "org_id"),
            ),
            Column("title", "str", "Title as in the document.", required=True),
            Column("acronym", "str", "Short name (InterLoc)."),
            Column("programme", "str", "Funding programme (Interreg, ICLD, ...)."),
            Column(
                "role",
                "str",
                "Lead partner or partner.",
                allowed=PROJECT_ROLES,
                domain="project_role",
            ),
            Column(
                "status",
                "str",
                "Where the project stands.",
                required=True,
                allowed=PROJECT_STATUSES,
                domain="project_status",
            ),
            Column("start_date", "date", "First day."),
            Column("end_date", "date", "Last day."),
            Column("total_budget", "float", "Whole budget of the project.", money=True),
            Column("eu_funding", "float", "EU co-financing, at most the total budget.", money=True),
            Column("own_funding", "float", "The organisation's own financing.", money=True),
            _currency(),
            _source(),
        ),
        key=("project_id",),
        sort_by=("org_id", "project_id"),
    ),
    Table(
        "activities",
        "What the organisation did (or planned) in a year.",
        (
            Column("activity_id", "str", "Stable id (gotland-2009-01).", required=True),
            Column(
                "org_id",
                "str",
                "Organisation that carries it out.",
                required=True,
                ref=("organisations", "org_id"),
            ),
            Column("year", "int", "Year it belongs to.", required=True, year=True),
            Column("title", "str", "Title as in the document.", required=True),
            Column("department", "str", "Department or office responsible."),
            Column(
                "activity_type",
                "str",
                "Kind of activity (meeting, visit, project, network, ...).",
                allowed=ACTIVITY_TYPES,
                domain="activity_type",
            ),
            Column(
                "network_id",
                "str",
                "Network it is carried out through.",
                ref=("networks", "network_id"),
            ),
            Column("project_id", "str", "Project it belongs to.", ref=("projects", "project_id")),
            Column(
                "status",
                "str",
                "Where it stands.",
                allowed=ACTIVITY_STATUSES,
                domain="activity_status",
            ),
            Column("cost", "float", "Cost borne by the organisation.", money=True),
            _currency(),
            _source(),
        ),
        key=("activity_id",),
        sort_by=("org_id", "year", "activity_id"),
        partitioned=True,
    ),
    Table(
        "activity_goals",
        "Which goals each activity serves: one row per activity and goal.",
        (
            Column(
                "activity_id", "str", "Activity.", required=True, ref=("activities", "activity_id")
            ),
            Column("goal_id", "str", "Goal it serves.", required=True, ref=("goals", "goal_id")),
            Column(
                "org_id",
                "str",
                "Organisation of the activity (filled in by the import).",
                derived=True,
            ),
            Column(
                "year",
                "int",
                "Year of the activity (filled in by the import).",
                derived=True,
                year=True,
            ),
            Column("source", "str", "Where the link comes from (empty: as the activity)."),
        ),
        key=("activity_id", "goal_id"),
        sort_by=("org_id", "year", "goal_id", "activity_id"),
        partitioned=True,
    ),
    Table(
        "project_goals",
        "Which goals each project serves.",
        (
            Column("project_id", "str", "Project.", required=True, ref=("projects", "project_id")),
            Column("goal_id", "str", "Goal it serves.", required=True, ref=("goals", "goal_id")),
            Column("source", "str", "Where the link comes from (empty: as the project)."),
        ),
        key=("project_id", "goal_id"),
        sort_by=("project_id", "goal_id"),
    ),
    Table(
        "indicators",
        "Measurable indicators, each following up one goal.",
        (
            Column("indicator_id", "str", "Stable id.", required=True),
            Column(
                "org_id", "str", "Organisation.", required=True, ref=("organisations", "org_id")
            ),
            Column("goal_id", "str", "Goal it measures.", ref=("goals", "goal_id")),
            Column("name", "str", "Name of the indicator.", required=True),
            Column(
                "unit",
                "str",
                "Unit of the values (projects, percent, EUR, ...).",
                required=True,
                allowed=UNITS,
                domain="unit",
            ),
            Column(
                "direction",
                "str",
                "Whether higher or lower values are better.",
                required=True,
                allowed=DIRECTIONS,
                domain="direction",
            ),
            Column("baseline_year", "int", "Year of the baseline value.", year=True),
            Column("baseline", "float", "Value before the strategy started."),
            Column("definition", "str", "How it is measured."),
            _source(),
        ),
        key=("indicator_id",),
        sort_by=("org_id", "indicator_id"),
    ),
    Table(
        "indicator_values",
        "Target and actual value of an indicator per year.",
        (
            Column(
                "indicator_id",
                "str",
                "Indicator.",
                required=True,
                ref=("indicators", "indicator_id"),
            ),
            Column("year", "int", "Year.", required=True, year=True),
            Column("target", "float", "Value aimed at for the year."),
            Column("actual", "float", "Value reached in the year."),
            _source(),
        ),
        key=("indicator_id", "year"),
        sort_by=("indicator_id", "year"),
    ),
    Table(
        "goal_assessments",
        "The managers' own verdict per goal and year, with the written analysis.",
        (
            Column(
                "org_id", "str", "Organisation.", required=True, ref=("organisations", "org_id")
            ),
            Column("goal_id", "str", "Goal assessed.", required=True, ref=("goals", "goal_id")),
            Column("year", "int", "Year assessed.", required=True, year=True),
            Column(
                "status",
                "str",
                "The verdict.",
                required=True,
                allowed=ASSESSMENT_STATUSES,
                domain="assessment_status",
            ),
            Column("comment", "str", "Written analysis."),
            Column("assessed_by", "str", "Who made the assessment."),
            _source(),
        ),
        key=("org_id", "goal_id", "year"),
        sort_by=("org_id", "year", "goal_id"),
    ),
)

TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
# the tables that grow with the activities (read and written by organisation and year) and
# the small ones that grow with the organisations: what a save reads whole, and what every
# form but the Activities is made of
PARTITIONED: tuple[Table, ...] = tuple(t for t in TABLES if t.partitioned)
SMALL: tuple[Table, ...] = tuple(t for t in TABLES if not t.partitioned)


def _summary_col(name: str, type_: ColType, doc: str) -> Column:
    return Column(name, type_, doc, derived=True)


# Summary tables: written by the import and the generator from the tables above (the SQL is
# in queries/summaries/), never filled in by users. They hold the big tables pre-aggregated
# per organisation and year, so a page asking about everything reads a few thousand rows
# instead of ten million.
SUMMARIES: tuple[Table, ...] = (
    Table(
        "summary_activities",
        "Activities counted per organisation, year, network, currency and source.",
        (
            _summary_col("org_id", "str", "Organisation."),
            _summary_col("year", "int", "Year."),
            _summary_col("network_id", "str", "Network (empty: none)."),
            _summary_col("currency", "str", "Currency of the cost (empty: none)."),
            _summary_col("source", "str", "Source of the activities."),
            _summary_col("activities", "int", "How many activities."),
            _summary_col("cost", "float", "Sum of their cost (empty: none has a cost)."),
            _summary_col("without_goal", "int", "How many of them serve no goal."),
        ),
        key=("org_id", "year", "network_id", "currency", "source"),
        sort_by=("org_id", "year", "network_id", "currency", "source"),
        partitioned=True,
    ),
    Table(
        "summary_goal_links",
        "Activities serving each goal, per organisation, year, network and link source.",
        (
            _summary_col("org_id", "str", "Organisation."),
            _summary_col("year", "int", "Year."),
            _summary_col("goal_id", "str", "Goal served."),
            _summary_col("network_id", "str", "Network of the activities (empty: none)."),
            _summary_col("source", "str", "Source of the link (the activity's if empty)."),
            _summary_col("activities", "int", "How many activities serve the goal."),
        ),
        key=("org_id", "year", "goal_id", "network_id", "source"),
        sort_by=("org_id", "year", "goal_id", "network_id", "source"),
        partitioned=True,
    ),
)


# The yearly round: written only by the round's own commands (`dashboard.imports.rounds`),
# never imported, exported or undone. Each of its changes is a commit of the lake like any
# other, so who opened, approved, returned, closed or reopened what, and when, is in the
# record; `round_events` keeps every step for the page, the parts their state now.
ROUND_STATES = ("open", "closed")
PART_STATES = ("open", "ready", "returned", "approved")
ROUND_EVENTS = ("opened", "ready", "returned", "approved", "closed", "reopened", "deadline")


def _round_col(name: str, type_: ColType, doc: str, required: bool = False) -> Column:
    return Column(name, type_, doc, required=required, derived=True)


ROUND_TABLES: tuple[Table, ...] = (
    Table(
        "rounds",
        "A year opened for reporting by an organisation: its deadline and whether it is closed.",
        (
            _round_col("org_id", "str", "Organisation.", required=True),
            _round_col("year", "int", "Year reported.", required=True),
            _round_col("due", "date", "The deadline: when the parts are due.", required=True),
            _round_col("state", "str", "open or closed.", required=True),
            _round_col("closed_snapshot", "int", "The snapshot the year was closed on."),
            _round_col("changed_by", "str", "Who changed it last."),
            _round_col("changed_at", "str", "When (UTC, ISO 8601)."),
        ),
        key=("org_id", "year"),
        sort_by=("org_id", "year"),
    ),
    Table(
        "round_parts",
        "What is asked of one department (or the indicators) in a round, and its state.",
        (
            _round_col("org_id", "str", "Organisation.", required=True),
            _round_col("year", "int", "Year reported.", required=True),
            _round_col("part", "str", "A department's name, or the indicators part.", True),
            _round_col("state", "str", "open, ready, returned or approved.", required=True),
            _round_col("comment", "str", "The coordinator's comment when returned."),
            _round_col("changed_by", "str", "Who changed it last."),
            _round_col("changed_at", "str", "When (UTC, ISO 8601)."),
        ),
        key=("org_id", "year", "part"),
        sort_by=("org_id", "year", "part"),
    ),
    Table(
        "round_events",
        "Every step of a round: who did what to which part, when, and why.",
        (
            _round_col("org_id", "str", "Organisation.", required=True),
            _round_col("year", "int", "Year reported.", required=True),
            _round_col("seq", "int", "The step's number in its round (1, 2, ...).", True),
            _round_col("part", "str", "The part (empty: the whole round)."),
            _round_col("event", "str", "What happened.", required=True),
            _round_col("who", "str", "Who did it.", required=True),
            _round_col("time", "str", "When (UTC, ISO 8601).", required=True),
            _round_col("comment", "str", "The comment or reason given."),
        ),
        key=("org_id", "year", "seq"),
        sort_by=("org_id", "year", "seq"),
    ),
)
ROUND_TABLE_BY_NAME: dict[str, Table] = {t.name: t for t in ROUND_TABLES}


# The kinds of the columns queries compute beyond the contract's own (a contract column
# keeps its kind in every result: `Column.kind`). A new query's computed column joins its
# kind here once, and is then written as that kind on screen and in every file.
RESULT_KINDS: dict[str, Kind] = {
    "fees": "money",
    "other_costs": "money",
    "eu_rate": "share",
    "progress": "share",
    "actual_year": "year",
    "year_from": "year",
    "year_to": "year",
    "min_year": "year",
    "max_year": "year",
    "deadline": "year",
    "as_of_year": "year",
    "activities": "count",
    "projects": "count",
    "member_years": "count",
    "goals_served": "count",
    "goals_total": "count",
    "networks": "count",
    "networks_with_costs": "count",
    "indicators": "count",
    "illustrative": "count",
    "projects_running": "count",
    "items": "count",
    "row_count": "count",
    "document_rows": "count",
    "illustrative_rows": "count",
    "reached": "count",
    "on_track": "count",
    "at_risk": "count",
    "off_track": "count",
    "not_assessable": "count",
    "counted": "count",
    "without_role": "count",
    "undated": "count",
    "document_pct": "number",  # a percentage already (100.0), not a share
    "illustrative_pct": "number",
    "level": "number",
    # the yearly round's
    "due": "date",
    "ready_at": "date",
    "expected": "count",
    "filled": "count",
    "entered": "count",
    "without_goal": "count",
    "cost_without_currency": "count",
    "without_actual": "count",
    "goals": "count",
    "assessed": "count",
    "closed_snapshot": "number",
}


def _contract_kinds() -> dict[str, Kind]:
    """Each contract column's kind by its name (a name has one kind in every table; the
    summaries' counts are computed columns, their kind is `RESULT_KINDS`')."""
    kinds: dict[str, Kind] = {}
    for table in TABLES:
        for col in table.columns:
            kinds.setdefault(col.name, col.kind)
    return kinds


COLUMN_KINDS: dict[str, Kind] = {**_contract_kinds(), **RESULT_KINDS}


def kind_of(name: str) -> Kind | None:
    """The kind of a result column called *name*; None for one the registry does not know."""
    return COLUMN_KINDS.get(name)


def columns_of(kind: Kind) -> tuple[str, ...]:
    """Every column name of *kind*, in the contract's and then the results' order."""
    return tuple(n for n, k in COLUMN_KINDS.items() if k == kind)
