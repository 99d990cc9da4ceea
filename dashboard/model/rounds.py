"""The yearly round's rules: its parts, their states, who may move them, and what is missing.

A coordinator opens a year for their organisation with a deadline. The round asks one part
of each department (its activities of the year, each with the goals it serves and a
currency for any cost) and one of the indicators (each indicator's actual value for the
year); the goals' assessments are the coordinator's own. A part moves

    open ──ready──▶ ready ──approved──▶ approved
      ▲               │                    │
      └──returned─────┴────returned────────┘

A reporter marks their part ready (then it is read-only for them until it is returned);
the coordinator approves it or returns it with a comment. The coordinator may also
approve a part nobody marked ready (one they completed themselves, such as the indicators
of an organisation without a reporter for them). When every part is approved and
every goal of the year assessed, the coordinator closes the year: nothing of that
organisation and year changes any more (the lake refuses it, `dashboard.storage.publishing`)
until a coordinator reopens it with a reason. Pure: no Streamlit, no DuckDB.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from dashboard.model.access import Person, Policy

INDICATORS = ":indicators"  # the indicators' part (a department's part is its name)
# what a part's state reads as on the follow view: a stored "open" part is "not started"
# until something of it is filled in, then "in progress"
SHOWN_STATES = ("not_started", "in_progress", "ready", "returned", "approved")
# a part's state -> the states it may move to, and who moves it there
MOVES: dict[str, tuple[tuple[str, ...], str]] = {
    "ready": (("open", "returned"), "reporter"),
    "approved": (("open", "ready", "returned"), "coordinator"),
    "returned": (("ready", "approved"), "coordinator"),
}


class RoundRefused(ValueError):
    """A step of the round that may not be taken now; *key* names why (a text key of the
    catalogues, `round.refused.KEY`), *values* fill it in."""

    def __init__(self, key: str, **values: object) -> None:
        super().__init__(key)
        self.key = key
        self.values = values


def may_run(person: Person | None, org: str) -> bool:
    """Whether *person* runs the round of *org*: opens, approves, returns, closes, reopens
    (a coordinator of the organisation; an administrator of every one)."""
    return person is not None and person.may("edit_organisation", org)


def may_report(person: Person | None, org: str, part: str) -> bool:
    """Whether *person* reports *part* of *org*'s round: a department's part, a reporter of
    that department (or of the whole organisation); the indicators, a reporter of the
    whole organisation (a department's reporter does not enter indicator values)."""
    if person is None:
        return False
    if part == INDICATORS:
        return person.may("edit_values", org)
    return person.may("edit_activities", org, part)


def parts_of(person: Person | None, org: str, parts: Iterable[str]) -> list[str]:
    """The parts of *parts* that *person* sees: all of them for whoever runs the round,
    else those they report."""
    parts = list(parts)
    if may_run(person, org):
        return parts
    return [p for p in parts if may_report(person, org, p)]


def departments(policy: Policy, org: str, found: Iterable[object]) -> list[str]:
    """The departments asked in *org*'s round: those of its reporters in the access file,
    and those its activities name (*found*), sorted; empty names left out."""
    named = {
        g.department
        for g in policy.grants
        if g.department and g.org == org and g.role == "reporter"
    }
    named |= {str(d).strip() for d in found if d is not None and str(d).strip()}
    return sorted(n for n in named if n)


def move(state: str, to: str) -> str:
    """The state a part moves to from *state*; RoundRefused when that move is not allowed."""
    allowed, _ = MOVES[to]
    if state not in allowed:
        raise RoundRefused("move", to=to, state=state)
    return to


def shown_state(state: str, filled: int, entered: int) -> str:
    """How a part's stored *state* reads on the follow view: an open part with nothing
    entered yet (*entered*: rows of the part, *filled*: complete ones) is not started."""
    if state == "open":
        return "in_progress" if entered or filled else "not_started"
    return state


def on_time(due: date, ready_at: datetime | None, today: date) -> bool | None:
    """Whether a part is on time: marked ready by the deadline (its day included); a part
    not ready is late once the deadline has passed, and not yet judged before (None)."""
    if ready_at is not None:
        return ready_at.date() <= due
    return False if today > due else None


# what a part can lack, each with its text key `round.missing.KIND`
MISSING = ("without_goal", "cost_without_currency", "without_actual", "no_activities")


# refusals about what the person wrote in the step's form (said beside it, the text kept);
# every other refusal is about the round as stored, which may have moved on under the page
ABOUT_INPUT = frozenset({"comment_needed", "reason_needed"})


def can_close(states: Mapping[str, str], goals: int, assessed: int) -> str | None:
    """Why the round cannot be closed yet (a `round.refused.*` key), or None: every part
    approved and every goal of the year assessed."""
    if any(s != "approved" for s in states.values()):
        return "parts_not_approved"
    if assessed < goals:
        return "goals_not_assessed"
    return None
