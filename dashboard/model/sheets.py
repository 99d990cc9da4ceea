"""The coordinator's workbook as words: its sheets, columns, headers and notes in each
language, goal lists as the action plan writes them ("1,4", "samtliga"), and the
contract's rows turned into sheet rows (names for ids, words for codes).

The import reads a workbook by these definitions (`dashboard.imports.workbook`), the
outputs write one by them (`dashboard.outputs.workbook`), and the browser's forms are
built from them (`dashboard.app.editform`), so a column added here is read, written and
edited alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dashboard.i18n import t
from dashboard.model import codes

FORMAT = "malbild-coordinator-1"
META_SHEET = "_malbild"
LISTS_SHEET = "_lists"
ID = "id"
ALL_WORDS = ("samtliga", "samtliga mål", "alla", "alla mål", "alle", "alle mål", "all", "all goals")


@dataclass(frozen=True)
class Col:
    """One column of a coordinator sheet: its key, the contract column it fills, and how."""

    key: str
    target: str | None  # contract column; None: resolved (a name or goal numbers)
    domain: str | None = None  # coded column: a drop-down of words
    width: int = 14


@dataclass(frozen=True)
class Sheet:
    """One coordinator sheet and the contract table it becomes."""

    key: str
    table: str
    cols: tuple[Col, ...]


SHEETS: tuple[Sheet, ...] = (
    Sheet(
        "organisation",
        "organisations",
        (
            Col("name", "name", width=34),
            Col("org_kind", "kind", "org_kind"),
            Col("country", "country"),
            Col("lat", "lat", width=10),
            Col("lon", "lon", width=10),
            Col("source", "source", width=30),
        ),
    ),
    Sheet(
        "strategies",
        "strategies",
        (
            Col("organisation", None, width=24),
            Col("strategy_title", "title", width=50),
            Col("adopted_on", "adopted_on", width=12),
            Col("valid_from", "valid_from", width=12),
            Col("valid_to", "valid_to", width=12),
            Col("decided_by", "decided_by", width=24),
            Col("source", "source", width=30),
        ),
    ),
    Sheet(
        "goals",
        "goals",
        (
            Col("organisation", None, width=24),
            Col("strategy", None, width=30),
            Col("number", "code", width=8),
            Col("wording", "title", width=60),
            Col("goal_kind", "kind", "goal_kind"),
            Col("parent", None, width=8),
        ),
    ),
    Sheet(
        "activities",
        "activities",
        (
            Col("organisation", None, width=24),
            Col("year", "year", width=8),
            Col("activity_title", "title", width=50),
            Col("department", "department", width=20),
            Col("activity_type", "activity_type", "activity_type", width=16),
            Col("network", None, width=24),
            Col("project", None, width=24),
            Col("activity_status", "status", "activity_status"),
            Col("cost", "cost", width=12),
            Col("currency", "currency", width=8),
            Col("goals", None, width=12),
            Col("strategy", None, width=24),
            Col("source", "source", width=30),
            Col("goals_source", None, width=24),
        ),
    ),
    Sheet(
        "networks",
        "networks",
        (
            Col("name", "name", width=40),
            Col("acronym", "acronym", width=10),
            Col("network_kind", "kind", "network_kind"),
            Col("part_of", None, width=24),
            Col("country", "country", width=8),
            Col("lat", "lat", width=10),
            Col("lon", "lon", width=10),
            Col("source", "source", width=30),
        ),
    ),
    Sheet(
        "memberships",
        "memberships",
        (
            Col("organisation", None, width=24),
            Col("network", None, width=30),
            Col("since_year", "since_year", width=8),
            Col("until_year", "until_year", width=8),
            Col("membership_role", "role", "membership_role"),
            Col("annual_fee", "annual_fee", width=12),
            Col("currency", "currency", width=8),
            Col("source", "source", width=30),
        ),
    ),
    Sheet(
        "projects",
        "projects",
        (
            Col("organisation", None, width=24),
            Col("project_title", "title", width=44),
            Col("acronym", "acronym", width=12),
            Col("programme", "programme", width=16),
            Col("project_role", "role", "project_role"),
            Col("project_status", "status", "project_status"),
            Col("start_date", "start_date", width=12),
            Col("end_date", "end_date", width=12),
            Col("total_budget", "total_budget", width=12),
            Col("eu_funding", "eu_funding", width=12),
            Col("own_funding", "own_funding", width=12),
            Col("currency", "currency", width=8),
            Col("goals", None, width=12),
            Col("strategy", None, width=24),
            Col("source", "source", width=30),
            Col("goals_source", None, width=24),
        ),
    ),
    Sheet(
        "indicators",
        "indicators",
        (
            Col("organisation", None, width=24),
            Col("indicator_name", "name", width=40),
            Col("goal", None, width=8),
            Col("strategy", None, width=24),
            Col("unit", "unit", "unit", width=10),
            Col("direction", "direction", "direction"),
            Col("baseline_year", "baseline_year", width=8),
            Col("baseline", "baseline", width=10),
            Col("definition", "definition", width=50),
            Col("source", "source", width=30),
        ),
    ),
    Sheet(
        "indicator_values",
        "indicator_values",
        (
            Col("organisation", None, width=24),
            Col("indicator", None, width=40),
            Col("year", "year", width=8),
            Col("target", "target", width=10),
            Col("actual", "actual", width=10),
            Col("source", "source", width=30),
        ),
    ),
    Sheet(
        "assessments",
        "goal_assessments",
        (
            Col("organisation", None, width=24),
            Col("goal", None, width=8),
            Col("strategy", None, width=24),
            Col("year", "year", width=8),
            Col("assessment_status", "status", "assessment_status"),
            Col("comment", "comment", width=60),
            Col("assessed_by", "assessed_by", width=24),
            Col("source", "source", width=30),
        ),
    ),
)
SHEET_BY_KEY = {s.key: s for s in SHEETS}
README_KEY = "readme"


def sheet_title(key: str, lang: str) -> str:
    """A sheet's name in *lang* (at most 31 characters, as Excel allows)."""
    return t(f"wb.sheet.{key}", lang)[:31]


def header(key: str, lang: str) -> str:
    """A column's header in *lang*."""
    return t(f"wb.col.{key}", lang)


def note(key: str, lang: str) -> str:
    """A column's note in *lang* (the header cell's comment)."""
    return t(f"wb.note.{key}", lang)


def norm(text: object) -> str:
    """A name as it is matched: NFC, trimmed, lower case, one space between words."""
    return _norm(text) if isinstance(text, str) else _norm(str(text))


@functools.lru_cache(maxsize=1 << 17)
def _norm(text: str) -> str:
    # kept: a save resolves a workbook's names against every live name of the small
    # tables (at 10 million activities 33,000 projects, 110,000 calls, 0.2 s a save)
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text).strip().lower())


_SPACES = re.compile(r"\s+")


def slug(text: object, limit: int = 40) -> str:
    """A readable id part: lower case, å ä ö æ ø as a a o ae o, other signs as '-'."""
    s = unicodedata.normalize("NFC", str(text)).lower()
    for a, b in (("æ", "ae"), ("ø", "o"), ("ß", "ss"), ("œ", "oe")):
        s = s.replace(a, b)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s[:limit].strip("-") or "x"


# ---------------------------------------------------------------- writing a workbook

TEXT_COLUMNS = {"number", "goals", "goal", "parent"}  # stored as text: Excel would make dates
DATE_COLUMNS = {"adopted_on", "valid_from", "valid_to", "start_date", "end_date"}


def layout(sheet: Sheet) -> list[Col]:
    """The columns of *sheet* as a workbook lays them out: a hidden id column first, except
    on the sheets whose rows are named by what they are about (a membership, a value, an
    assessment)."""
    if sheet.key in ("memberships", "indicator_values", "assessments"):
        return list(sheet.cols)
    return [Col(ID, None, width=10), *sheet.cols]


def column_title(col: Col, lang: str) -> str:
    """The header a workbook writes over *col*: the id column's is the same in every
    language (so a workbook in any language finds it)."""
    return ID if col.key == ID else header(col.key, lang)


def cell_value(col: Col, row: Mapping[str, object], ids: bool = True) -> object:
    """What a workbook's cell of *col* holds for sheet row *row*: the column's key (or its
    contract column), text in a text column (goal numbers Excel would make dates), no id
    when *ids* is False (the template)."""
    if col.key == ID:
        v = row.get(ID) if ids else None
    else:
        v = row.get(col.key, row.get(col.target) if col.target else None)
    if v is not None and (col.key in TEXT_COLUMNS or col.key == ID):
        return str(v)
    return v


_PLAIN_CODE = re.compile(r"[^\s,;\"“”()]+")


def quote_goal(code: str) -> str:
    """A goal code as a goal list writes it: as it is, or in double quotes when it holds
    what separates a list ("4,1", "Mål 1") or reads as a range of others ("1-3"), so that
    every code the contract accepts comes back from the workbook unchanged."""
    plain = _PLAIN_CODE.fullmatch(code) and not re.fullmatch(r"\d+\s*[-–]\s*\d+", code)
    if plain and norm(code) not in ALL_WORDS and code.lower() not in ("och", "og", "and"):
        return code
    return '"' + code.replace('"', "") + '"'


def goal_tokens(text: str, is_code: Callable[[str], bool] = lambda _: False) -> list[str]:
    """The goals a goal list names, in order: codes in double quotes as they are; the rest
    split at commas and semicolons, and a part that is no code (*is_code*) further at
    spaces and the words och/og/and ("1, 4", "(1,4)", "1 och 4", "Mål 1, Mål 2", "2-5").
    `quote_goal` writes what this reads back unchanged."""
    out: list[str] = []
    for quoted, plain in re.findall(r"[\"“”]([^\"“”]*)[\"“”]|([^\"“”]+)", text):
        if quoted:
            out.append(quoted.strip())
            continue
        for part in re.split(r"[,;]", plain):
            part = part.strip().strip("()").strip()
            if not part:
                continue
            if is_code(part):
                out.append(part)
                continue
            for token in re.split(r"\s+|\b(?:och|og|and)\b", part):
                token = token.strip().strip("().")
                if token:
                    out.append(token)
    return out


def listed(codes: Sequence[str], most: int = 30) -> str:
    """A strategy's goal codes for a message: every one, up to *most*."""
    shown = ", ".join(codes[:most])
    return shown + (", …" if len(codes) > most else "")


def goal_text(ids: Sequence[str], code_of: Mapping[str, str], order: Mapping[str, int]) -> str:
    ordered = sorted(ids, key=lambda g: order.get(g, 0))
    return ", ".join(quote_goal(code_of[g]) for g in ordered if g in code_of)


def sheet_rows(
    tables: Mapping[str, Sequence[Mapping[str, Any]]], lang: str
) -> dict[str, list[dict[str, object]]]:
    """The contract's rows as the coordinator's sheets: names for ids, words for codes."""

    def get(name: str) -> list[Mapping[str, Any]]:
        return list(tables.get(name, []))

    org_name = {r["org_id"]: r["name"] for r in get("organisations")}
    strategies = get("strategies")
    strat_title = {r["strategy_id"]: r["title"] for r in strategies}
    per_org: dict[object, int] = {}
    for r in strategies:
        per_org[r["org_id"]] = per_org.get(r["org_id"], 0) + 1
    goals = get("goals")
    code_of = {r["goal_id"]: str(r["code"]) for r in goals}
    goal_strategy = {r["goal_id"]: r["strategy_id"] for r in goals}
    order = {r["goal_id"]: i for i, r in enumerate(goals)}
    net_name = {r["network_id"]: r["name"] for r in get("networks")}
    proj_title = {r["project_id"]: r["title"] for r in get("projects")}
    ind_name = {r["indicator_id"]: r["name"] for r in get("indicators")}
    ind_org = {r["indicator_id"]: r["org_id"] for r in get("indicators")}

    def word(domain: str, code: object) -> object:
        return codes.label(domain, str(code), lang) if code else None

    def strategy_of(org: object, goal_ids: Sequence[str]) -> object:
        if per_org.get(org, 0) <= 1 or not goal_ids:
            return None
        return strat_title.get(goal_strategy.get(goal_ids[0]))

    links: dict[str, list[tuple[str, object]]] = {}
    for r in get("activity_goals"):
        links.setdefault(r["activity_id"], []).append((r["goal_id"], r.get("source")))
    plinks: dict[str, list[tuple[str, object]]] = {}
    for r in get("project_goals"):
        plinks.setdefault(r["project_id"], []).append((r["goal_id"], r.get("source")))

    def link_source(found: list[tuple[str, object]], own: object) -> object:
        sources = {s for _, s in found if s is not None and s != own}
        return next(iter(sorted(map(str, sources)))) if sources else None

    out: dict[str, list[dict[str, object]]] = {s.key: [] for s in SHEETS}
    for r in get("organisations"):
        out["organisation"].append({ID: r["org_id"], **r, "org_kind": word("org_kind", r["kind"])})
    for r in strategies:
        out["strategies"].append(
            {
                ID: r["strategy_id"],
                **r,
                "organisation": org_name.get(r["org_id"]),
                "strategy_title": r["title"],
            }
        )
    for r in goals:
        org = r.get("org_id")
        parent = r.get("parent_goal_id")
        out["goals"].append(
            {
                ID: r["goal_id"],
                "organisation": org_name.get(org),
                "strategy": strat_title.get(r["strategy_id"]) if per_org.get(org, 0) > 1 else None,
                "number": str(r["code"]),
                "wording": r["title"],
                "goal_kind": word("goal_kind", r["kind"]),
                "parent": code_of.get(parent) if parent else None,
            }
        )
    for r in get("activities"):
        found = links.get(r["activity_id"], [])
        ids = [g for g, _ in found]
        out["activities"].append(
            {
                ID: r["activity_id"],
                **r,
                "organisation": org_name.get(r["org_id"]),
                "activity_title": r["title"],
                "network": net_name.get(r.get("network_id")),
                "project": proj_title.get(r.get("project_id")),
                "activity_status": word("activity_status", r.get("status")),
                "activity_type": word("activity_type", r.get("activity_type")),
                "goals": goal_text(ids, code_of, order) or None,
                "strategy": strategy_of(r["org_id"], ids),
                "goals_source": link_source(found, r.get("source")),
            }
        )
    for r in get("networks"):
        out["networks"].append(
            {
                ID: r["network_id"],
                **r,
                "network_kind": word("network_kind", r["kind"]),
                "part_of": net_name.get(r.get("parent_network_id")),
            }
        )
    for r in get("memberships"):
        out["memberships"].append(
            {
                **r,
                "organisation": org_name.get(r["org_id"]),
                "network": net_name.get(r["network_id"]),
                "membership_role": word("membership_role", r.get("role")),
            }
        )
    for r in get("projects"):
        found = plinks.get(r["project_id"], [])
        ids = [g for g, _ in found]
        out["projects"].append(
            {
                ID: r["project_id"],
                **r,
                "organisation": org_name.get(r["org_id"]),
                "project_title": r["title"],
                "project_role": word("project_role", r.get("role")),
                "project_status": word("project_status", r.get("status")),
                "goals": goal_text(ids, code_of, order) or None,
                "strategy": strategy_of(r["org_id"], ids),
                "goals_source": link_source(found, r.get("source")),
            }
        )
    for r in get("indicators"):
        gid = r.get("goal_id")
        out["indicators"].append(
            {
                ID: r["indicator_id"],
                **r,
                "organisation": org_name.get(r["org_id"]),
                "indicator_name": r["name"],
                "goal": code_of.get(gid) if gid else None,
                "strategy": strategy_of(r["org_id"], [gid] if gid else []),
                "direction": word("direction", r.get("direction")),
                "unit": word("unit", r.get("unit")),
            }
        )
    for r in get("indicator_values"):
        out["indicator_values"].append(
            {
                **r,
                "organisation": org_name.get(ind_org.get(r["indicator_id"])),
                "indicator": ind_name.get(r["indicator_id"]),
            }
        )
    for r in get("goal_assessments"):
        gid = r["goal_id"]
        out["assessments"].append(
            {
                **r,
                "organisation": org_name.get(r["org_id"]),
                "goal": code_of.get(gid),
                "strategy": strategy_of(r["org_id"], [gid]),
                "assessment_status": word("assessment_status", r.get("status")),
            }
        )
    return out


def only_orgs(tables: Mapping[str, list[dict]], orgs: Sequence[str]) -> dict[str, list[dict]]:
    """The rows of the chosen organisations (and the networks they use)."""
    keep = set(orgs)
    projects = {r["project_id"] for r in tables.get("projects", []) if r["org_id"] in keep}
    indicators = {r["indicator_id"] for r in tables.get("indicators", []) if r["org_id"] in keep}
    acts = [r for r in tables.get("activities", []) if r["org_id"] in keep]
    nets = {r["network_id"] for r in tables.get("memberships", []) if r["org_id"] in keep}
    nets |= {r["network_id"] for r in acts if r.get("network_id")}
    parents = {r["network_id"]: r.get("parent_network_id") for r in tables.get("networks", [])}
    for n in list(nets):
        while parents.get(n):
            n = parents[n]
            nets.add(n)
    out = {}
    for name, rows in tables.items():
        if name == "networks":
            out[name] = [r for r in rows if r["network_id"] in nets]
        elif name == "project_goals":
            out[name] = [r for r in rows if r["project_id"] in projects]
        elif name == "indicator_values":
            out[name] = [r for r in rows if r["indicator_id"] in indicators]
        elif name == "activity_goals":
            out[name] = [r for r in rows if r["org_id"] in keep]
        else:
            out[name] = [r for r in rows if r.get("org_id") in keep]
    return out
