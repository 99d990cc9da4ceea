"""The coordinator's workbook: the follow-up in a coordinator's own words, without ids.

One .xlsx with a sheet per thing a coordinator keeps (organisation, strategies, goals,
activities, networks, memberships, projects, indicators and their yearly values,
assessments), headers and code words in Swedish, Danish or English, references by name
and goals written as the action plan writes them ("1,4", "1, 2 3,6", "samtliga"). It is
turned into the contract's tables here (`to_contract`), so it goes through exactly the
checks of the 12-table import.

Ids are derived from what identifies a row (organisation, year and title for an
activity; strategy and number for a goal) and so are the same on every import of the
same file. An exported workbook (`export_bytes`) keeps every row's id in a hidden column:
correct a title in Excel, import it again, and the row keeps its id; an unchanged file
changes nothing. A name or goal number that matches nothing is reported with the closest
existing ones.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache, partial
from typing import Any

from dashboard import PROJECT_ROOT
from dashboard.i18n import LANGS
from dashboard.i18n.languages import language
from dashboard.imports.checks import EXCEL_EPOCH, CellError, parse_cell
from dashboard.imports.sources import RawTable
from dashboard.model.access import Scope, ScopeMissing
from dashboard.model.contract import TABLE_BY_NAME
from dashboard.model.problems import ERROR, Problem
from dashboard.model.sheets import (
    ALL_WORDS,
    ID,
    META_SHEET,
    README_KEY,
    SHEET_BY_KEY,
    SHEETS,
    Sheet,
    goal_tokens,
    header,
    listed,
    norm,
    only_orgs,
    sheet_rows,
    sheet_title,
    slug,
)

# ---------------------------------------------------------------- recognising a workbook


def _sheet_keys() -> dict[str, str]:
    out = {}
    for s in (*SHEETS, Sheet(README_KEY, "", ())):
        for lang in LANGS:
            out[norm(sheet_title(s.key, lang))] = s.key
    return out


def _col_keys(sheet: Sheet) -> dict[str, str]:
    out = {ID: ID}
    for c in sheet.cols:
        for lang in LANGS:
            out[norm(header(c.key, lang))] = c.key
    return out


def is_coordinator(raw: Mapping[str, RawTable]) -> bool:
    """True for a coordinator's workbook: its marker sheet, or its sheet names."""
    if META_SHEET in raw:  # the 12-table template says it is one (kind: contract)
        return _meta(raw, "kind") != "contract"
    if any(norm(k) in TABLE_BY_NAME for k in raw):
        return False
    if raw and all(t.file.lower().endswith(".csv") for t in raw.values()):
        return False  # CSV files are the contract's tables (the coordinator's is a workbook)
    keys = _sheet_keys()
    return any(norm(k) in keys for k in raw if not k.startswith("_"))


def _meta(raw: Mapping[str, RawTable], key: str) -> str | None:
    """A value of the marker sheet (kind, lang), if the workbook has one."""
    meta = raw.get(META_SHEET)
    for row in meta.rows if meta else []:
        if len(row) >= 2 and str(row[0]).strip() == key:
            return str(row[1]).strip()
    return None


def is_template(raw: Mapping[str, RawTable]) -> bool:
    """Whether the workbook is the template a coordinator downloaded (its marker sheet)."""
    meta = raw.get(META_SHEET)
    return any(
        len(row) >= 2 and str(row[0]).strip() == "kind" and str(row[1]).strip() == "template"
        for row in (meta.rows if meta else [])
    )


def workbook_lang(raw: Mapping[str, RawTable]) -> str | None:
    """The language the workbook says it is written in (its marker sheet), if any."""
    meta = raw.get(META_SHEET)
    for row in meta.rows if meta else []:
        if len(row) >= 2 and str(row[0]).strip() == "lang" and str(row[1]).strip() in LANGS:
            return str(row[1]).strip()
    return None


@dataclass
class _Rows:
    """A coordinator sheet as read: rows by column key, their lines, the headers."""

    sheet: Sheet
    file: str
    rows: list[dict[str, object]]
    lines: list[int]
    headers: dict[str, str]  # column key -> the header as the file writes it


def _read_sheets(raw: Mapping[str, RawTable], problems: list[Problem]) -> dict[str, _Rows]:
    keys = _sheet_keys()
    out: dict[str, _Rows] = {}
    for name, table in raw.items():
        if name.startswith("_"):
            continue
        key = keys.get(norm(name))
        if key is None:
            problems.append(Problem.of(table.file, 0, "-", "wb_unknown_sheet", value=name))
            continue
        if key == README_KEY:
            continue
        if key in out:  # "Aktiviteter" and "Activities", or "activities" and "Activities "
            problems.append(
                Problem.of(table.file, 0, "-", "sheet_twice", value=name, other=out[key].file)
            )
            continue
        sheet = SHEET_BY_KEY[key]
        names = _col_keys(sheet)
        index: dict[str, int] = {}
        headers: dict[str, str] = {}
        for i, h in enumerate(table.header):
            if not h:
                continue
            k = names.get(norm(h))
            if k is None:
                problems.append(Problem.of(table.file, 1, h, "wb_unknown_column", sheet=name))
            elif k in index:
                problems.append(Problem.of(table.file, 1, h, "column_twice"))
            else:
                index[k], headers[k] = i, h
        rows, lines = [], []
        for j, cells in enumerate(table.rows):
            row = {k: (cells[i] if i < len(cells) else None) for k, i in index.items()}
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in row.values()):
                continue
            rows.append(row)
            lines.append(table.line(j))
        out[key] = _Rows(sheet, table.file, rows, lines, headers)
    if is_template(raw):
        _refuse_examples(out, problems)
    return out


def _refuse_examples(sheets: Mapping[str, _Rows], problems: list[Problem]) -> None:
    """In the template, a row that is still its example is refused at its row: importing
    the template as it came (or with an example left in) would add Gotland's action plan
    of 2009 again, as a second "Gotlands kommun". The coordinator's own rows pass."""
    examples = _example_rows()
    for key, rows in sheets.items():
        if key == "networks":  # shared: naming B7 as the example does is naming B7
            continue
        seen = examples.get(key, set())
        for row, line in zip(rows.rows, rows.lines, strict=True):
            if _row_sign(row) in seen:
                problems.append(Problem.of(rows.file, line, "-", "template_example"))


def _row_sign(row: Mapping[str, object]) -> tuple:
    """A row's filled-in cells, as text, without its id: what tells an example apart."""
    return tuple(
        sorted(
            (k, _cell_sign(v))
            for k, v in row.items()
            if k != ID and v is not None and str(v).strip() != ""
        )
    )


def _cell_sign(value: object) -> str:
    """A cell as written and as read back alike (a date written, a datetime read)."""
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return norm(cell_text(value))


@cache
def _example_rows() -> dict[str, set[tuple]]:
    """The template's example rows per sheet, in every language the template is made in."""
    found: dict[str, set[tuple]] = {}
    for lang in LANGS:
        for key, rows in sheet_rows(examples(), lang).items():
            cols = {c.key for c in SHEET_BY_KEY[key].cols}
            found.setdefault(key, set()).update(
                _row_sign({k: v for k, v in r.items() if k in cols}) for r in rows
            )
    return found


# ---------------------------------------------------------------- resolving names to ids


def cell_text(value: object) -> str | None:
    """A cell as text the way names and ids are read: stripped, a whole float without its
    ".0", None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _typed(value: object, type_: str, decimal: str | None, epoch: date) -> object:
    """A cell read as the checks will read it (`parse_cell`, the workbook's decimal mark and
    date system), or None when they will refuse it: the year an id and a strategy are
    chosen by is the year the row is stored under ("2.009" is 2009 in a Swedish workbook,
    a serial date counts from the workbook's epoch)."""
    from dashboard.model.contract import Column

    try:
        return parse_cell(value, Column("x", type_, ""), decimal, epoch=epoch)[0]  # type: ignore[arg-type]
    except CellError:
        return None


def _names_of(names: Mapping[str, list[str]], org: str) -> list[str]:
    """Organisation *org*'s names as written, each once (what a slip is compared with)."""
    return list(dict.fromkeys(names.get(org, ())))


def _closest(word: str, candidates: Sequence[str]) -> str:
    """The (at most three) candidates nearest *word*, ignoring case, as they are written."""
    shown: dict[str, str] = {}
    for c in candidates:
        if c:
            shown.setdefault(norm(c), str(c))
    found = difflib.get_close_matches(norm(word), list(shown), n=3, cutoff=0.5)
    if not found:
        found = sorted(shown)[:3]
    return ", ".join(shown[f] for f in found) if found else "–"


class Ids:
    """Ids already used in a table, so a derived id never takes another row's."""

    def __init__(self, used: set[str]) -> None:
        self.used = set(used)

    def take(self, wanted: str) -> str:
        cand, n = wanted, 2
        while cand in self.used:
            cand, n = f"{wanted}-{n}", n + 1
        self.used.add(cand)
        return cand


def new_activity_id(ids: Ids, org: str, year: object, title: str | None) -> str:
    """The id an activity without one is given: its organisation, year and title, not one
    of *ids*. The one rule: a form's save gives its new rows their ids by it before the
    import (`editing`), and they must be those the import would give."""
    return ids.take(f"{org}-{year if year is not None else 'x'}-{slug(title or 'x', 40)}")


def given_ids(rows: Sequence[Mapping[str, object]]) -> Ids:
    """The ids *rows* (a sheet's, as dicts) give (an exported workbook's hidden column):
    what a new row's derived id avoids.

    The live dataset's ids are not avoided: the workbook replaces those rows, and a row
    without an id must get the same derived id on every import of the same file.
    """
    return Ids({i for i in (cell_text(r.get(ID)) for r in rows) if i})


@dataclass
class _Index:
    """Names and numbers of what rows refer to, from the workbook and the live dataset."""

    orgs: dict[str, str]  # normalised name or id -> org_id
    org_names: dict[str, str]  # org_id -> name
    country: dict[str, str]
    strategies: dict[tuple[str, str], str]  # (org_id, normalised title or id) -> strategy_id
    strategy_span: dict[
        str, tuple[str, date | None, date | None, str]
    ]  # id -> org, from, to, title
    goals: dict[tuple[str, str], str]  # (strategy_id, normalised code) -> goal_id
    goal_codes: dict[str, list[str]]  # strategy_id -> codes in order
    networks: dict[str, str]
    projects: dict[tuple[str, str], str]
    indicators: dict[tuple[str, str], str]
    # org_id -> the titles, acronyms and names as written, for the hint of a slip (the keys
    # above are normalised and include ids, which no hint may show)
    project_names: dict[str, list[str]]
    indicator_names: dict[str, list[str]]


def _empty_index() -> _Index:
    return _Index({}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {}, {})


def _index_live(ix: _Index, live: Mapping[str, list[dict]]) -> None:
    for r in live.get("organisations", []):
        ix.orgs.setdefault(norm(r["name"]), r["org_id"])
        ix.orgs.setdefault(norm(r["org_id"]), r["org_id"])
        ix.org_names.setdefault(r["org_id"], r["name"])
        ix.country.setdefault(r["org_id"], r.get("country") or "")
    for r in live.get("strategies", []):
        ix.strategies.setdefault((r["org_id"], norm(r["title"])), r["strategy_id"])
        ix.strategies.setdefault((r["org_id"], norm(r["strategy_id"])), r["strategy_id"])
        ix.strategy_span.setdefault(
            r["strategy_id"], (r["org_id"], r.get("valid_from"), r.get("valid_to"), r["title"])
        )
    for r in live.get("goals", []):
        ix.goals.setdefault((r["strategy_id"], norm(r["code"])), r["goal_id"])
        ix.goal_codes.setdefault(r["strategy_id"], []).append(str(r["code"]))
    for r in live.get("networks", []):
        for k in (r["name"], r.get("acronym"), r["network_id"]):
            if k:
                ix.networks.setdefault(norm(k), r["network_id"])
    for r in live.get("projects", []):
        for k in (r["title"], r.get("acronym"), r["project_id"]):
            if k:
                ix.projects.setdefault((r["org_id"], norm(k)), r["project_id"])
        ix.project_names.setdefault(r["org_id"], []).extend(
            k for k in (r["title"], r.get("acronym")) if k
        )
    for r in live.get("indicators", []):
        for k in (r["name"], r["indicator_id"]):
            ix.indicators.setdefault((r["org_id"], norm(k)), r["indicator_id"])
        ix.indicator_names.setdefault(r["org_id"], []).append(r["name"])


class _Resolver:
    """Turns the coordinator's sheets into the contract's tables, reporting what it cannot."""

    def __init__(
        self,
        sheets: dict[str, _Rows],
        live: Mapping[str, list[dict]],
        problems: list[Problem],
        decimal: str | None = None,
        epoch: date = EXCEL_EPOCH,
    ) -> None:
        self.sheets = sheets
        self.decimal, self.epoch = decimal, epoch  # how the checks will read its cells
        self.live = live
        self.problems = problems
        self.ix = _empty_index()
        self._mine: dict[str, list[tuple[str, tuple]]] = {}
        self.out: dict[str, tuple[list[list[object]], list[int], list[str], dict[str, str]]] = {}
        self.own_orgs: set[str] = set()
        self.network_names: list[str] = []  # names and acronyms as written, for hints

    # -- helpers
    def typed(self, value: object, type_: str) -> object:
        """A cell as the checks will read it (`_typed`)."""
        return _typed(value, type_, self.decimal, self.epoch)

    def problem(self, rows: _Rows, line: int, col: str, key: str, **values: Any) -> None:
        self.problems.append(
            Problem.of(
                rows.file, line, rows.headers.get(col, col), key, table=rows.sheet.table, **values
            )
        )

    def emit(
        self,
        table: str,
        rows: _Rows,
        line: int,
        values: Mapping[str, object],
        labels: Mapping[str, str],
    ) -> None:
        cols = [c.name for c in TABLE_BY_NAME[table].input_columns]
        body, lines, files, labs = self.out.setdefault(table, ([], [], [], {}))
        body.append([values.get(c) for c in cols])
        lines.append(line)
        files.append(rows.file)
        labs.update(labels)

    def labels(self, rows: _Rows, extra: Mapping[str, str] = {}) -> dict[str, str]:
        out = {
            c.target: rows.headers[c.key]
            for c in rows.sheet.cols
            if c.target and c.key in rows.headers
        }
        for target, key in extra.items():
            if key in rows.headers:
                out[target] = rows.headers[key]
        if any(c.key == "organisation" for c in rows.sheet.cols):  # resolved to org_id
            out["org_id"] = rows.headers.get("organisation", "organisation")
        return out

    def live_ids(self, table: str, key: str) -> set[str]:
        return {r[key] for r in self.live.get(table, [])}

    def org(self, rows: _Rows, line: int, row: Mapping[str, object]) -> str | None:
        name = cell_text(row.get("organisation"))
        if name is None:
            # the workbook's own organisation; without an Organisation sheet, the dataset's
            known = self.own_orgs if self.own_orgs else set(self.ix.org_names)
            if len(known) == 1:
                return next(iter(known))
            self.problem(rows, line, "organisation", "wb_org_needed")
            return None
        found = self.ix.orgs.get(norm(name))
        if found is None:
            self.problem(
                rows,
                line,
                "organisation",
                "wb_unknown_name",
                value=name,
                closest=_closest(name, list(self.ix.org_names.values())),
            )
        return found

    def _strategies_of(self, org: str) -> list[tuple[str, tuple]]:
        """The organisation's strategies with their spans, found once per organisation
        (the index holds every organisation's: at 10M a scan per row took 0.18 s for an
        organisation-year of 6,843 activities)."""
        found = self._mine.get(org)
        if found is None:
            spans = self.ix.strategy_span.items()
            found = self._mine[org] = [(sid, span) for sid, span in spans if span[0] == org]
        return found

    def strategy(
        self, rows: _Rows, line: int, row: Mapping[str, object], org: str, year: int | None
    ) -> str | None:
        named = cell_text(row.get("strategy"))
        mine = self._strategies_of(org)
        if named is not None:
            found = self.ix.strategies.get((org, norm(named)))
            if found is None:
                self.problem(
                    rows,
                    line,
                    "strategy",
                    "wb_unknown_name",
                    value=named,
                    closest=_closest(named, [s[3] for _, s in mine]),
                )
            return found
        if len(mine) == 1:
            return mine[0][0]
        if year is not None:
            covering = [
                sid
                for sid, (_, lo, hi, _t) in mine
                if (lo is None or lo.year <= year) and (hi is None or hi.year >= year)
            ]
            if len(covering) == 1:
                return covering[0]
        if not mine:
            self.problem(
                rows, line, "strategy", "wb_no_strategy", org=self.ix.org_names.get(org, org)
            )
        else:
            self.problem(
                rows,
                line,
                "strategy",
                "wb_which_strategy",
                year=year if year else "–",
                titles="; ".join(s[3] for _, s in mine),
            )
        return None

    def goal_ids(
        self, rows: _Rows, line: int, col: str, value: object, strategy: str | None
    ) -> list[str]:
        if value is None or (isinstance(value, str) and not value.strip()):
            return []
        if isinstance(value, float) and not value.is_integer():
            self.problem(rows, line, col, "wb_goals_as_number", value=repr(value))
            return []
        if isinstance(value, date):
            self.problem(rows, line, col, "date_like_code", value=str(value)[:10])
            return []
        if strategy is None:
            return []
        text = cell_text(value) or ""
        codes_in_order = self.ix.goal_codes.get(strategy, [])
        if norm(text.strip("() .")) in ALL_WORDS:
            return [self.ix.goals[(strategy, norm(c))] for c in codes_in_order]

        def is_code(t: str) -> bool:
            return (strategy, norm(t)) in self.ix.goals

        out: list[str] = []
        whole = text.strip()
        if is_code(whole) and re.search(r"[,;\s]", whole):
            # "4,1" is a code of its own: unless the list reading names other goals too
            others = goal_tokens(whole)
            if len(others) > 1 and all(is_code(t) for t in others):
                self.problem(rows, line, col, "wb_ambiguous_goals", value=whole)
                return []
            return [self.ix.goals[(strategy, norm(whole))]]
        for token in goal_tokens(text, is_code):
            for w in self._expand(rows, line, col, token, strategy, codes_in_order):
                gid = self.ix.goals.get((strategy, norm(w)))
                if gid is None:
                    self.problem(
                        rows,
                        line,
                        col,
                        "wb_unknown_goal",
                        value=w,
                        strategy=self.ix.strategy_span.get(strategy, ("", None, None, strategy))[3],
                        codes=listed(codes_in_order),
                    )
                elif gid not in out:
                    out.append(gid)
        return out

    def _expand(
        self, rows: _Rows, line: int, col: str, token: str, strategy: str, codes: Sequence[str]
    ) -> list[str]:
        """One token of a goal list: a code, or a range "2-5" of the strategy's numbered
        goals (bounded by them: "1-100000000" names at most the strategy's goals; a range
        written backwards, "3-1", is refused, not read as nothing)."""
        if (strategy, norm(token)) in self.ix.goals:
            return [token]  # a code of its own, also one that looks like a range
        span = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", token)
        if not span:
            return [token]
        lo, hi = int(span[1]), int(span[2])
        if lo > hi:
            self.problem(rows, line, col, "wb_reversed_range", value=token, fixed=f"{hi}-{lo}")
            return []
        for end in (span[1], span[2]):
            if (strategy, norm(end)) not in self.ix.goals:
                return [end]  # reported as an unknown goal
        return [c for c in codes if c.isdigit() and lo <= int(c) <= hi]

    def one_goal(
        self, rows: _Rows, line: int, col: str, value: object, strategy: str | None
    ) -> str | None:
        """A column that holds one goal (an indicator's, an assessment's): a list is
        refused, never cut to its first goal."""
        found = self.goal_ids(rows, line, col, value, strategy)
        if len(found) > 1:
            self.problem(rows, line, col, "wb_one_goal", value=cell_text(value) or "")
            return None
        return found[0] if found else None

    def ref(
        self,
        rows: _Rows,
        line: int,
        col: str,
        found: str | None,
        name: str | None,
        candidates: Callable[[], Sequence[str]],
    ) -> str | None:
        """*found*, or a problem naming the closest of *candidates* when *name* was not found.
        The candidates are gathered only then: gathered for every row (an organisation's
        projects out of every organisation's), they made saving one activity of an
        organisation-year of 6,843 take 5.4 s more at 10M (2026-12-06)."""
        if name is not None and found is None:
            self.problem(
                rows, line, col, "wb_unknown_name", value=name, closest=_closest(name, candidates())
            )
        return found

    # -- sheets, in the order references need them
    def run(self) -> None:
        self.organisations()  # the workbook's own organisations first: they win over live ones
        _index_live(self.ix, self.live)
        for r in self.live.get("networks", []):
            self.network_names += [k for k in (r.get("acronym"), r["name"]) if k]
        self.strategies()
        self.goals()
        self.networks()
        self.projects()
        self.activities()
        self.memberships()
        self.indicators()
        self.indicator_values()
        self.assessments()

    def organisations(self) -> None:
        rows = self.sheets.get("organisation")
        if rows is None:
            return
        ids = given_ids(rows.rows)
        for row, line in zip(rows.rows, rows.lines, strict=True):
            name = cell_text(row.get("name"))
            oid = cell_text(row.get(ID)) or ids.take(slug(name or "x", 30))
            ids.used.add(oid)
            if name:
                self.ix.orgs[norm(name)] = oid
            self.ix.orgs[norm(oid)] = oid
            self.ix.org_names[oid] = name or oid
            self.own_orgs.add(oid)
            country = cell_text(row.get("country"))
            self.ix.country[oid] = country.upper() if country else ""
            self.emit(
                "organisations",
                rows,
                line,
                {**row, "org_id": oid, "kind": row.get("org_kind")},
                self.labels(rows),
            )

    def strategies(self) -> None:
        rows = self.sheets.get("strategies")
        if rows is None:
            return
        ids = given_ids(rows.rows)
        mine: set[str] = set()
        for row, line in zip(rows.rows, rows.lines, strict=True):
            org = self.org(rows, line, row)
            title = cell_text(row.get("strategy_title"))
            if org is None:
                continue
            if org not in mine:  # the sheet's strategies replace the organisation's live ones
                mine.add(org)
                for sid_, span_ in list(self.ix.strategy_span.items()):
                    if span_[0] == org:
                        del self.ix.strategy_span[sid_]
                self._mine.pop(org, None)
            sid = cell_text(row.get(ID)) or ids.take(f"{org}-{slug(title or 'strategi', 30)}")
            ids.used.add(sid)
            if title:
                self.ix.strategies[(org, norm(title))] = sid
            self.ix.strategies[(org, norm(sid))] = sid
            span = (
                org,
                self.typed(row.get("valid_from"), "date"),
                self.typed(row.get("valid_to"), "date"),
                title or sid,
            )
            self.ix.strategy_span[sid] = span  # type: ignore[assignment]
            self._mine.pop(org, None)  # its strategies found again from the sheet's
            self.ix.goal_codes[sid] = []
            self.emit(
                "strategies",
                rows,
                line,
                {**row, "strategy_id": sid, "org_id": org, "title": row.get("strategy_title")},
                self.labels(rows),
            )

    def goals(self) -> None:
        rows = self.sheets.get("goals")
        if rows is None:
            return
        placed: list[tuple[dict, int, str, str]] = []
        ids = given_ids(rows.rows)
        fresh: set[str] = set()
        for row, line in zip(rows.rows, rows.lines, strict=True):
            org = self.org(rows, line, row)
            if org is None:
                continue
            sid = self.strategy(rows, line, row, org, None)
            code = cell_text(row.get("number"))
            if sid is None:
                continue
            if sid not in fresh:  # the sheet's goals replace the live ones of the strategy
                fresh.add(sid)
                self.ix.goal_codes[sid] = []
                for k in [k for k in self.ix.goals if k[0] == sid]:
                    del self.ix.goals[k]
            gid = cell_text(row.get(ID)) or ids.take(f"{sid}-g{slug(code or 'x', 12)}")
            ids.used.add(gid)
            if code is not None and (sid, norm(code)) in self.ix.goals:
                # a second goal with the same number would take over every link to it
                self.problem(rows, line, "number", "wb_duplicate_goal", value=code)
                continue
            if code is not None:
                self.ix.goals[(sid, norm(code))] = gid
                if code not in self.ix.goal_codes[sid]:
                    self.ix.goal_codes[sid].append(code)
            placed.append((row, line, sid, gid))
        for row, line, sid, gid in placed:
            parent_code = cell_text(row.get("parent"))
            parent = None
            if parent_code is not None:
                parent = self.ix.goals.get((sid, norm(parent_code)))
                if parent is None:
                    self.problem(
                        rows,
                        line,
                        "parent",
                        "wb_unknown_goal",
                        value=parent_code,
                        strategy=self.ix.strategy_span[sid][3],
                        codes=listed(self.ix.goal_codes.get(sid, [])),
                    )
            self.emit(
                "goals",
                rows,
                line,
                {
                    **row,
                    "goal_id": gid,
                    "strategy_id": sid,
                    "code": row.get("number"),
                    "title": row.get("wording"),
                    "kind": row.get("goal_kind"),
                    "parent_goal_id": parent,
                },
                self.labels(rows, {"strategy_id": "strategy", "parent_goal_id": "parent"}),
            )

    def networks(self) -> None:
        rows = self.sheets.get("networks")
        if rows is None:
            return
        ids = given_ids(rows.rows)
        placed = []
        for row, line in zip(rows.rows, rows.lines, strict=True):
            name, acronym = cell_text(row.get("name")), cell_text(row.get("acronym"))
            nid = cell_text(row.get(ID)) or ids.take(slug(acronym or name or "x", 30))
            ids.used.add(nid)
            for k in (name, acronym, nid):
                if k:
                    self.ix.networks[norm(k)] = nid
            self.network_names += [k for k in (acronym, name) if k]
            placed.append((row, line, nid))
        names = [r["name"] for r in self.live.get("networks", [])] + [
            cell_text(r.get("name")) or "" for r in rows.rows
        ]
        for row, line, nid in placed:
            part = cell_text(row.get("part_of"))
            parent = self.ref(
                rows,
                line,
                "part_of",
                self.ix.networks.get(norm(part)) if part else None,
                part,
                lambda: names,
            )
            self.emit(
                "networks",
                rows,
                line,
                {
                    **row,
                    "network_id": nid,
                    "kind": row.get("network_kind"),
                    "parent_network_id": parent,
                },
                self.labels(rows, {"parent_network_id": "part_of"}),
            )

    def _network(self, rows: _Rows, line: int, row: Mapping[str, object]) -> str | None:
        name = cell_text(row.get("network"))
        if name is None:
            return None
        return self.ref(
            rows,
            line,
            "network",
            self.ix.networks.get(norm(name)),
            name,
            lambda: self.network_names,
        )

    def projects(self) -> None:
        rows = self.sheets.get("projects")
        if rows is None:
            return
        ids = given_ids(rows.rows)
        placed = []
        for row, line in zip(rows.rows, rows.lines, strict=True):
            org = self.org(rows, line, row)
            if org is None:
                continue
            title, acronym = cell_text(row.get("project_title")), cell_text(row.get("acronym"))
            pid = cell_text(row.get(ID)) or ids.take(f"{org}-{slug(acronym or title or 'x', 30)}")
            ids.used.add(pid)
            for k in (title, acronym, pid):
                if k:
                    self.ix.projects[(org, norm(k))] = pid
            self.ix.project_names.setdefault(org, []).extend(k for k in (title, acronym) if k)
            placed.append((row, line, org, pid))
        for row, line, org, pid in placed:
            start = self.typed(row.get("start_date"), "date")
            sid = (
                self.strategy(rows, line, row, org, start.year if isinstance(start, date) else None)
                if cell_text(row.get("goals"))
                else None
            )
            goals = self.goal_ids(rows, line, "goals", row.get("goals"), sid)
            self.emit(
                "projects",
                rows,
                line,
                {
                    **row,
                    "project_id": pid,
                    "org_id": org,
                    "title": row.get("project_title"),
                    "role": row.get("project_role"),
                    "status": row.get("project_status"),
                },
                self.labels(rows),
            )
            self.links("project_goals", "project_id", pid, goals, rows, line, row)

    def links(
        self,
        table: str,
        key: str,
        owner: str,
        goals: list[str],
        rows: _Rows,
        line: int,
        row: Mapping[str, object],
    ) -> None:
        """The goal links of one activity or project, with the row's own source unless the
        goals' source column says otherwise; problems point at the goals column."""
        source = (
            row.get("goals_source") if cell_text(row.get("goals_source")) else row.get("source")
        )
        labels = {
            "goal_id": rows.headers.get("goals", "goals"),
            "source": rows.headers.get("goals_source", "source"),
        }
        for g in goals:
            self.emit(table, rows, line, {key: owner, "goal_id": g, "source": source}, labels)

    def activities(self) -> None:
        rows = self.sheets.get("activities")
        if rows is None:
            return
        ids = given_ids(rows.rows)
        for row, line in zip(rows.rows, rows.lines, strict=True):
            org = self.org(rows, line, row)
            if org is None:
                continue
            year = self.typed(row.get("year"), "int")
            title = cell_text(row.get("activity_title"))
            aid = cell_text(row.get(ID)) or new_activity_id(ids, org, year, title)
            ids.used.add(aid)
            project = None
            pname = cell_text(row.get("project"))
            if pname is not None:
                project = self.ref(
                    rows, line, "project", self.ix.projects.get((org, norm(pname))), pname,
                    partial(_names_of, self.ix.project_names, org),
                )  # fmt: skip
            sid = (
                self.strategy(rows, line, row, org, year if isinstance(year, int) else None)
                if cell_text(row.get("goals"))
                else None
            )
            goals = self.goal_ids(rows, line, "goals", row.get("goals"), sid)
            self.emit(
                "activities",
                rows,
                line,
                {
                    **row,
                    "activity_id": aid,
                    "org_id": org,
                    "title": row.get("activity_title"),
                    "network_id": self._network(rows, line, row),
                    "project_id": project,
                    "status": row.get("activity_status"),
                },
                self.labels(rows, {"network_id": "network", "project_id": "project"}),
            )
            self.links("activity_goals", "activity_id", aid, goals, rows, line, row)

    def memberships(self) -> None:
        rows = self.sheets.get("memberships")
        if rows is None:
            return
        for row, line in zip(rows.rows, rows.lines, strict=True):
            org = self.org(rows, line, row)
            if org is None:
                continue
            self.emit(
                "memberships",
                rows,
                line,
                {
                    **row,
                    "org_id": org,
                    "network_id": self._network(rows, line, row),
                    "role": row.get("membership_role"),
                },
                self.labels(rows, {"network_id": "network"}),
            )

    def indicators(self) -> None:
        rows = self.sheets.get("indicators")
        if rows is None:
            return
        ids = given_ids(rows.rows)
        for row, line in zip(rows.rows, rows.lines, strict=True):
            org = self.org(rows, line, row)
            if org is None:
                continue
            name = cell_text(row.get("indicator_name"))
            iid = cell_text(row.get(ID)) or ids.take(f"{org}-{slug(name or 'x', 40)}")
            ids.used.add(iid)
            for k in (name, iid):
                if k:
                    self.ix.indicators[(org, norm(k))] = iid
            if name:
                self.ix.indicator_names.setdefault(org, []).append(name)
            goal = None
            if cell_text(row.get("goal")):
                by = self.typed(row.get("baseline_year"), "int")
                sid = self.strategy(rows, line, row, org, by if isinstance(by, int) else None)
                goal = self.one_goal(rows, line, "goal", row.get("goal"), sid)
            self.emit(
                "indicators",
                rows,
                line,
                {
                    **row,
                    "indicator_id": iid,
                    "org_id": org,
                    "name": row.get("indicator_name"),
                    "goal_id": goal,
                },
                self.labels(rows, {"goal_id": "goal"}),
            )

    def indicator_values(self) -> None:
        rows = self.sheets.get("indicator_values")
        if rows is None:
            return
        for row, line in zip(rows.rows, rows.lines, strict=True):
            org = self.org(rows, line, row)
            if org is None:
                continue
            name = cell_text(row.get("indicator"))
            iid = self.ref(
                rows,
                line,
                "indicator",
                self.ix.indicators.get((org, norm(name))) if name else None,
                name,
                partial(_names_of, self.ix.indicator_names, org),
            )
            self.emit(
                "indicator_values",
                rows,
                line,
                {**row, "indicator_id": iid},
                self.labels(rows, {"indicator_id": "indicator"}),
            )

    def assessments(self) -> None:
        rows = self.sheets.get("assessments")
        if rows is None:
            return
        for row, line in zip(rows.rows, rows.lines, strict=True):
            org = self.org(rows, line, row)
            if org is None:
                continue
            year = self.typed(row.get("year"), "int")
            sid = self.strategy(rows, line, row, org, year if isinstance(year, int) else None)
            goal = self.one_goal(rows, line, "goal", row.get("goal"), sid)
            self.emit(
                "goal_assessments",
                rows,
                line,
                {
                    **row,
                    "org_id": org,
                    "goal_id": goal,
                    "status": row.get("assessment_status"),
                },
                self.labels(rows, {"goal_id": "goal"}),
            )


def given_tables(sheets: Mapping[str, object]) -> set[str]:
    """The contract tables a coordinator workbook with these sheets replaces."""
    out = {SHEET_BY_KEY[k].table for k in sheets if k in SHEET_BY_KEY}
    if "activities" in out:
        out.add("activity_goals")
    if "projects" in out:
        out.add("project_goals")
    return out


@dataclass
class Converted:
    """A coordinator workbook as contract tables, and what it covers."""

    raw: dict[str, RawTable]
    labels: dict[str, dict[str, str]]
    orgs: set[str]  # organisations the workbook speaks for: their rows are replaced
    networks: set[str]


def to_contract(
    raw: Mapping[str, RawTable],
    problems: list[Problem],
    live: Mapping[str, list[dict]] | None = None,
) -> Converted:
    """The coordinator's sheets as the contract's tables (ids derived, names resolved)."""
    lang = workbook_lang(raw)
    decimal = language(lang).decimal if lang in LANGS else None
    epoch = next((r.epoch for r in raw.values()), RawTable("", [], []).epoch)  # one workbook
    sheets = _read_sheets(raw, problems)
    resolver = _Resolver(sheets, live or {}, problems, decimal, epoch)
    resolver.run()
    out: dict[str, RawTable] = {}
    labels: dict[str, dict[str, str]] = {}
    for table in sorted(given_tables(sheets)):
        body, lines, files, labs = resolver.out.get(table, ([], [], [], {}))
        cols = [c.name for c in TABLE_BY_NAME[table].input_columns]
        file = (
            files[0]
            if files
            else next((s.file for s in sheets.values() if s.sheet.table == table), table)
        )
        out[table] = RawTable(file, cols, body, decimal=decimal, lines=lines, epoch=epoch)
        labels[table] = labs
    orgs = {str(r[0]) for r in resolver.out.get("organisations", ([], [], [], {}))[0]}
    for table in (
        "activities",
        "projects",
        "strategies",
        "memberships",
        "indicators",
        "goal_assessments",
    ):
        body = resolver.out.get(table, ([], [], [], {}))[0]
        cols = [c.name for c in TABLE_BY_NAME[table].input_columns]
        if "org_id" in cols:
            i = cols.index("org_id")
            orgs |= {str(r[i]) for r in body if r[i]}
    # a goal names its organisation through its strategy (goals have no org_id to fill in)
    goal_cols = [c.name for c in TABLE_BY_NAME["goals"].input_columns]
    at = goal_cols.index("strategy_id")
    for r in resolver.out.get("goals", ([], [], [], {}))[0]:
        span = resolver.ix.strategy_span.get(str(r[at]))
        if span is not None:
            orgs.add(span[0])
    nets = {str(r[0]) for r in resolver.out.get("networks", ([], [], [], {}))[0]}
    return Converted(out, labels, orgs, nets)


def dataset_rows(
    folder: object,
    scope: Scope,
    orgs: Sequence[str] = (),
    years: Sequence[int] | None = None,
    tables: Sequence[str] | None = None,
    version: int | None = None,
) -> dict[str, list[dict[str, object]]]:
    """The tables of a dataset folder at snapshot *version* (None: the newest) as row
    dicts: of *orgs* (none: every organisation),
    narrowed to what *scope* may read (read with a filter on `org_id`, so a large dataset
    is not read whole); the tables with a year column only of *years* where given (a
    form of one year: at 10 million activities an organisation holds 121,406 activities,
    6,843 of them in a year); only *tables* where given (the others empty). The scope has
    no default: this reads the dataset."""
    from pathlib import Path

    from dashboard.storage import as_rows, read_tables

    if not isinstance(scope, Scope):
        raise ScopeMissing(f"dataset_rows needs the reader's Scope, not {scope!r}")
    if scope.limited:
        assert scope.orgs is not None
        orgs = scope.narrow(orgs) if orgs else tuple(sorted(scope.orgs))
        if not orgs:
            return {tb.name: [] for tb in TABLE_BY_NAME.values()}
    out: dict[str, list[dict[str, object]]] = {}
    folder = Path(str(folder))
    # every table of one snapshot ("which is the newest" asked once, not per table)
    wanted = [tb for tb in TABLE_BY_NAME.values() if tables is None or tb.name in tables]
    found = read_tables(folder, wanted, list(orgs) if orgs else None, version, years)
    for tb in TABLE_BY_NAME.values():
        data = found.get(tb.name)
        out[tb.name] = [] if data is None else as_rows(data)
    return only_orgs(out, list(orgs)) if orgs else out


def examples() -> dict[str, list[dict[str, object]]]:
    """Example rows for the template: Gotland's action plan 2009 from the shipped sample
    (its first six activities), as a coordinator would fill them in. The sample is the
    contract's CSV files, read and checked as an import reads them."""
    from dashboard.imports.checks import derive, validate
    from dashboard.imports.sources import read_path

    problems: list[Problem] = []
    raw = read_path(PROJECT_ROOT / "sample", problems)
    parsed = validate(raw, problems)
    assert not [p for p in problems if p.level == ERROR], problems  # the sample is clean
    derive(parsed)
    rows = only_orgs({n: p.rows for n, p in parsed.items()}, ["gotland"])
    rows["activities"] = rows["activities"][:6]
    kept = {r["activity_id"] for r in rows["activities"]}
    rows["activity_goals"] = [r for r in rows["activity_goals"] if r["activity_id"] in kept]
    return rows
