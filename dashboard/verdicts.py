"""The status and verdict rules of the Annual evaluation, in words and symbols.

The computed rules themselves are SQL (`queries/macros/` and the evaluation queries); here
is how their codes read (a symbol with every word, never colour alone), which year is
evaluated, and how goals are named in the page's sentences. The page, the workbook and the
command line share them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from dashboard.filters import Filters
from dashboard.i18n import t

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


def year_filters(filters: Filters, year: int) -> Filters:
    """The filters narrowed to the one year evaluated."""
    return Filters(filters.orgs, year, year, filters.goals)


def _goal_ref(row: object, many: bool, names: Mapping[str, str] | None) -> str:
    from dashboard.tables import goal_ref

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
