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

    year_from = year_to = None
    single = values("year")
    asked = [single[0], single[0]] if single else [*values("from")[:1], *values("to")[:1]]
    if asked:
        parsed = [_int(a) for a in asked]
        lo, hi = years if years else (None, None)
        if len(parsed) == 2 and None not in parsed and parsed[0] > parsed[1]:  # type: ignore[operator]
            parsed = [parsed[1], parsed[0]]
            notices.append(
                Notice(
                    "notice.years_reversed",
                    {"value": "–".join(asked), "lo": parsed[0], "hi": parsed[1]},
                )
            )
        ok = (
            len(parsed) == 2
            and None not in parsed
            and lo is not None
            and lo <= parsed[0] <= parsed[1] <= hi  # type: ignore[operator]
        )
        if ok:
            year_from, year_to = parsed
        else:
            notices.append(
                Notice("notice.bad_year", {"value": "–".join(asked), "lo": lo, "hi": hi})
            )
    return UrlState(lang, Filters(tuple(orgs), year_from, year_to, tuple(goals)), tuple(notices))


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
