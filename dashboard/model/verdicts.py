"""The status and verdict rules of the Annual evaluation, in words and symbols.

The computed rules themselves are SQL (`queries/macros/` and the evaluation queries); here
is how their codes read (a symbol with every word, never colour alone), which year is
evaluated, and how goals are named in the page's sentences. The page, the workbook and the
command line share them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.i18n import t
from dashboard.model.filters import Filters

STATUS_SYMBOL = {
    "reached": "✔",
    "achieved": "✔",
    "on_track": "●",
    "at_risk": "▲",
    "off_track": "✖",
    "not_assessable": "○",
    "not_assessed": "○",
    "uncovered": "⊘",
}


def status_label(code: object, lang: str, symbol: bool = True) -> str:
    """A status or verdict code as text, with its symbol (never colour alone): '▲ Risk'."""
    if code is None or (isinstance(code, float) and math.isnan(code)) or code is pd.NA:
        return ""
    text = t(f"evaluation.status.{code}", lang)
    if text.startswith("evaluation.status."):
        return str(code)
    return f"{STATUS_SYMBOL.get(str(code), '')} {text}".strip() if symbol else text


def readable(
    df: pd.DataFrame, columns: Iterable[str], lang: str, symbol: bool = True
) -> pd.DataFrame:
    """A copy of *df* whose status/verdict *columns* hold labels instead of codes (the
    other stored codes, the direction among them, are `codes.labelled`'s)."""
    out = df.copy()
    for col in columns:
        if col in out:
            out[col] = [status_label(v, lang, symbol) for v in out[col]]
    return out


def evaluation_year(filters: Filters, last_year: object) -> int | None:
    """The year evaluated: the selection's last year, else *last_year* (of the data)."""
    if filters.year_to is not None:
        return int(filters.year_to)
    if last_year is None or pd.isna(last_year):
        return None
    return int(last_year)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Plan:
    """Which year each organisation of the selection is evaluated in, and the filters to
    query them with: one per year (a chosen year: one for all). With no year chosen every
    organisation is evaluated in its own last year with something to assess, never in
    another's: Älvsbyn's 2022 is no year of Gotland's."""

    years: tuple[tuple[str, int], ...]  # (organisation, year evaluated)
    groups: tuple[Filters, ...]  # one per year evaluated, each narrowed to that year
    chosen: bool  # the selection chose the year
    selection: Filters  # what was chosen

    @property
    def year(self) -> int | None:
        """The one year evaluated, or None when organisations differ."""
        return self.groups[0].year_to if len(self.groups) == 1 else None

    def year_of(self, org: str) -> int | None:
        """The year *org* is evaluated in."""
        return dict(self.years).get(org, self.year)

    def label(self, lang: str) -> str:
        """The year evaluated as the page's headings say it: '2013', or 'each organisation's
        latest year' when they differ (which is which is said once, by `years_text`)."""
        return str(self.year) if self.year is not None else t("evaluation.each_latest", lang)

    def years_text(self, names: Mapping[str, str]) -> str:
        """Which organisation is evaluated in which year: 'Gävle 2015; Gotland 2013'."""
        return "; ".join(f"{names.get(o, o)} {y}" for o, y in self.years)

    def by_indicator(self, indicators: pd.DataFrame) -> dict[str, int]:
        """The year each indicator (org_id, indicator_id rows) is evaluated in."""
        out = {}
        for org, ind in zip(indicators["org_id"], indicators["indicator_id"], strict=True):
            y = self.year_of(str(org))
            if y is not None:
                out[str(ind)] = y
        return out


def evaluation_plan(filters: Filters, last: pd.DataFrame) -> Plan | None:
    """The evaluation's plan for *filters*, given *last* (org_id, year: the
    `evaluation_last_year` query); None when there is nothing to evaluate."""
    if filters.year_to is not None:
        y = int(filters.year_to)
        years = tuple((str(o), y) for o in last["org_id"]) if len(last) else ()
        return Plan(years, (year_filters(filters, y),), True, filters)
    if last.empty:
        return None
    years = tuple((str(o), int(y)) for o, y in zip(last["org_id"], last["year"], strict=True))
    distinct = sorted({y for _, y in years}, reverse=True)
    if len(distinct) == 1:
        return Plan(years, (year_filters(filters, distinct[0]),), False, filters)
    groups = tuple(
        Filters(tuple(o for o, oy in years if oy == y), y, y, filters.goals) for y in distinct
    )
    return Plan(years, groups, False, filters)


def year_filters(filters: Filters, year: int) -> Filters:
    """The filters narrowed to the one year evaluated."""
    return Filters(filters.orgs, year, year, filters.goals)


def _goal_ref(row: object, many: bool, names: Mapping[str, str] | None) -> str:
    from dashboard.model.tables import goal_ref

    org = str(row.org_id)  # type: ignore[attr-defined]
    return goal_ref(row.goal_code, row.goal_title, (names or {}).get(org, org) if many else None)  # type: ignore[attr-defined]


def uncovered(rollup: pd.DataFrame, names: Mapping[str, str] | None = None) -> list[str]:
    """Goals with no activity and no indicator in the year, by number and wording (after
    the organisation's name when the roll-up spans several)."""
    many = rollup["org_id"].nunique() > 1
    return [_goal_ref(r, many, names) for r in rollup.itertuples() if r.verdict == "uncovered"]


def disagreements(rollup: pd.DataFrame, names: Mapping[str, str] | None = None) -> list[str]:
    """Goals whose managers' verdict differs from the computed one, where both judge
    (the managers' 'achieved' is the computed 'reached')."""
    same = {"achieved": "reached"}
    many = rollup["org_id"].nunique() > 1
    out = []
    for r in rollup.itertuples():
        mine = r.assessment_status
        if not isinstance(mine, str) or mine == "not_assessed":
            continue
        if r.verdict in ("not_assessable", "uncovered"):
            continue
        if same.get(mine, mine) != r.verdict:
            out.append(_goal_ref(r, many, names))
    return out


GOOD = ("reached", "on_track")
BAD = ("at_risk", "off_track")


def card_counts(rollup: pd.DataFrame, indicators: pd.DataFrame) -> dict[str, int]:
    """The Annual evaluation's cards: goals covered of all, indicators, reached or on
    track, at risk or off track, cannot be assessed. Counted from the same rows the tables
    show (the indicators are `indicator_evaluation`'s, the roll-up counts them), so a card
    and a table cannot disagree."""
    status = indicators["status"]
    return {
        "covered": int((rollup["verdict"] != "uncovered").sum()),
        "goals": len(rollup),
        "indicators": len(indicators),
        "good": int(status.isin(GOOD).sum()),
        "bad": int(status.isin(BAD).sum()),
        "na": int((status == "not_assessable").sum()),
    }
