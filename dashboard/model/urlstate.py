"""Filters and language to and from the URL's query parameters, with fallbacks.

Pure functions (no Streamlit), so every odd link can be tested: an unknown
organisation, a goal of another organisation, a year outside the data or an unknown
language each give a notice and fall back, never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from dashboard.i18n import LANGS
from dashboard.model.filters import Filters


@dataclass(frozen=True)
class Notice:
    """A short message about a URL value that was ignored."""

    key: str  # i18n key
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class UrlState:
    """What a link asks for, after checking it against the data."""

    lang: str | None
    filters: Filters
    notices: tuple[Notice, ...]


FILTER_KEYS = ("lang", "org", "year", "from", "to", "goal")  # the sidebar's; pages add their own


def _int(text: str) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def parse(
    params: Mapping[str, Sequence[str]],
    known_orgs: Sequence[str],
    goal_org: Mapping[str, str],
    years: tuple[int, int] | None,
    goal_names: Mapping[str, str] | None = None,
) -> UrlState:
    """Read `lang`, `org`, `year` or `from`/`to`, and `goal` from query parameters.

    *params* maps each key to all its values (repeated keys or comma lists both work);
    *goal_org* maps every goal id to its organisation; *years* is the data's year span;
    *goal_names* how a notice names a goal the reader knows (by number and wording, never
    its id). Years given the wrong way round (2013-2010) are read the right way, and said.
    """

    def values(key: str) -> list[str]:
        out: list[str] = []
        for v in params.get(key, ()):
            out += [x.strip() for x in str(v).split(",") if x.strip()]
        return out

    notices: list[Notice] = []
    lang = None
    for v in values("lang")[:1]:
        if v in LANGS:
            lang = v
        else:
            notices.append(Notice("notice.bad_lang", {"value": v}))

    orgs: list[str] = []
    for v in values("org"):
        if v in known_orgs:
            if v not in orgs:
                orgs.append(v)
        else:
            notices.append(Notice("notice.unknown_org", {"value": v}))

    goals: list[str] = []
    for v in values("goal"):
        org = goal_org.get(v)
        if org is None:
            notices.append(Notice("notice.unknown_goal", {"value": v}))
        elif orgs and org not in orgs:
            name = (goal_names or {}).get(v, v)
            notices.append(Notice("notice.goal_other_org", {"value": name}))
        elif v not in goals:
            goals.append(v)

    year_from, year_to, year_notices = read_years(
        values("year"), values("from"), values("to"), years
    )
    notices += year_notices
    return UrlState(lang, Filters(tuple(orgs), year_from, year_to, tuple(goals)), tuple(notices))


def read_years(
    single: Sequence[str],
    froms: Sequence[str],
    tos: Sequence[str],
    years: tuple[int, int] | None,
) -> tuple[int | None, int | None, list[Notice]]:
    """The years a link asks for, fitted to the data's span *years*: the one rule for
    `year`, `from` and `to`.

    - `year=Y` is one year; it must be in the data.
    - `from` alone runs to the data's last year, `to` alone from its first.
    - Years the wrong way round are read the right way, and said.
    - A range partly outside the data is cut to the years the data has, and said (a link
      to a strategy period 2021–2030 shows 2021 to the data's last year, not every year).
    - Anything else (not a number, no year of the range in the data) shows every year, and
      is said.

    Returns (from, to, notices); (None, None) means every year.
    """
    asked = [single[0], single[0]] if single else [*froms[:1], *tos[:1]]
    if not asked:
        return None, None, []
    shown = "–".join(asked)
    lo, hi = years if years else (None, None)
    parsed = [_int(a) for a in asked]
    if single:
        first = last = parsed[0]
    else:
        first = parsed[0] if froms else lo
        last = parsed[-1] if tos else hi
    bad = [Notice("notice.bad_year", {"value": shown, "lo": lo, "hi": hi})]
    if first is None or last is None or lo is None or hi is None or None in parsed:
        return None, None, bad
    notices: list[Notice] = []
    if first > last and (single or (froms and tos)):  # both ends asked, the wrong way round
        first, last = last, first
        notices.append(Notice("notice.years_reversed", {"value": shown, "lo": first, "hi": last}))
    fitted = fit_span(first, last, (lo, hi))
    if fitted is None:
        return None, None, bad
    if fitted != (first, last):
        first, last = fitted
        notices.append(
            Notice(
                "notice.years_clamped",
                {"value": shown, "lo": lo, "hi": hi, "shown": f"{first}–{last}"},
            )
        )
    return first, last, notices


def fit_span(first: int, last: int, span: tuple[int, int]) -> tuple[int, int] | None:
    """The years *first*–*last* that the data's *span* has, or None when it has none of
    them (then every year is shown): the one rule for a link's years and for a selection
    the dataset's new span no longer holds (`sidebar.fit_state`)."""
    lo, hi = span
    if last < lo or first > hi:
        return None
    return max(first, lo), min(last, hi)


def to_params(filters: Filters, lang: str) -> dict[str, str | list[str]]:
    """Query parameters that reproduce *filters* and *lang*."""
    out: dict[str, str | list[str]] = {"lang": lang}
    if filters.orgs:
        out["org"] = list(filters.orgs)
    if filters.single_year is not None:
        out["year"] = str(filters.single_year)
    else:
        if filters.year_from is not None:
            out["from"] = str(filters.year_from)
        if filters.year_to is not None:
            out["to"] = str(filters.year_to)
    if filters.goals:
        out["goal"] = list(filters.goals)
    return out
