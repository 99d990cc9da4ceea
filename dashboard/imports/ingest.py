"""The validated import: a CSV folder, a workbook or uploaded files in, a Parquet dataset out.

Every problem is collected (not just the first) and reported as
`file:row:column: message` in the user's language, rows numbered as a spreadsheet shows
them (the header is row 1), root causes first and repeats grouped. Nothing is written
unless the whole source is clean; then the dataset is published atomically
(`publish.publish`).

A source may hold every table or only some. The tables it holds replace the live ones;
the tables it does not hold are kept as they are, and every reference is checked
against the kept ones too. A table file with a header and no rows empties that table:
that is the way to ask for it. The outcome says per table what happened.

Two kinds of source are read: the 12-table contract (CSV files or sheets named after
the tables, with ids), and the coordinator's workbook (`dashboard.imports.workbook`: names and
goal numbers instead of ids, in Swedish, Danish or English), which is turned into the
contract's tables first, so both go through the same checks.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from dashboard.imports import partial, workbook
from dashboard.imports.checks import CellError, ParsedTable, derive, parse_cell, validate
from dashboard.imports.sources import (
    FormSheets,
    RawTable,
    read_csv_bytes,
    read_path,
    read_xlsx_bytes,
)
from dashboard.model import codes, sheets
from dashboard.model.access import Scope
from dashboard.model.contract import TABLE_BY_NAME, TABLES
from dashboard.model.problems import ERROR, ImportFailed, Problem
from dashboard.storage import (
    Change,
    LakeMoved,
    arrow_schema,
    as_rows,
    has_dataset,
    read_table,
    read_tables,
    row_counts,
    stamp_or_none,
    write_table,
)

__all__ = ["ImportFailed", "Outcome", "Problem", "check_source", "ingest"]

Progress = Callable[[float], None]


@dataclass
class Checked:
    """What checking a source found: the tables, every problem and warning, and which
    tables the source itself holds."""

    parsed: dict[str, ParsedTable]
    problems: list[Problem]
    warnings: list[Problem]
    given: tuple[str, ...]
    kind: str = "contract"  # or "coordinator"
    # a coordinator's workbook over a live dataset: the organisations it speaks for, whose
    # rows alone were checked and will be written (`dashboard.imports.partial`)
    scope: partial.Scope | None = None

    def source_rows(self) -> dict[str, int]:
        """Rows per table that the source itself gives (not the live rows kept beside them)."""
        out = {}
        for name in self.given:
            p = self.parsed.get(name)
            if p is not None:
                n = sum(1 for _, _, f in p.items() if not f.endswith(".parquet"))
                if n:
                    out[name] = n
        return out


@dataclass(frozen=True)
class TableOutcome:
    """What an import did to one table: replaced, kept, emptied or created."""

    table: str
    action: str
    before: int | None
    after: int


@dataclass
class Outcome:
    """An import's result: rows per table, and per table what happened."""

    counts: dict[str, int]
    tables: list[TableOutcome] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def __getitem__(self, name: str) -> int:
        return self.counts[name]


def _split(found: list[Problem]) -> tuple[list[Problem], list[Problem]]:
    errors = [p for p in found if p.level == ERROR]
    warnings = [p for p in found if p.level != ERROR]
    return errors, warnings


def _kept_tables(
    out: Path | None,
    given: Iterable[str],
    live: Mapping[str, list[dict]] | None = None,
    version: int | None = None,
) -> dict[str, ParsedTable]:
    """The tables a partial source leaves as they are at snapshot *version*, as parsed
    rows (taken from *live* where the caller has already read them)."""
    if out is None or not has_dataset(out):
        return {}
    kept: dict[str, ParsedTable] = {}
    given = set(given)
    for table in TABLES:
        if table.name in given:
            continue
        if live is not None and table.name in live:
            rows = live[table.name]
        else:
            data = read_table(out, table, version=version)
            if data is None:
                continue
            rows = as_rows(data)
        kept[table.name] = ParsedTable(
            table, f"{table.name}.parquet", rows, list(range(2, len(rows) + 2))
        )
    return kept


def _put(raw: dict[str, RawTable], name: str, table: RawTable, problems: list[Problem]) -> None:
    """Add a sheet or CSV file as the table *name*; a second one of the same table
    ("activities" and "Activities ", a.csv in two folders of a zip) is refused, never
    let to replace the first one's rows."""
    if name in raw:
        problems.append(
            Problem.of(table.file, 0, "-", "sheet_twice", value=table.file, other=raw[name].file)
        )
        return
    raw[name] = table


Source = Path | list[tuple[str, bytes]] | FormSheets
"""What an import reads: a folder or file on the server, uploaded files as (name, bytes),
or a form's rows already read as the workbook they stand for (`sources.read_form`)."""


def _read(files: Source, problems: list[Problem], progress: Progress | None) -> dict[str, RawTable]:
    if isinstance(files, Path):
        return read_path(files, problems)
    if isinstance(files, FormSheets):
        return dict(files.tables)
    raw: dict[str, RawTable] = {}
    for name, data in files:
        lower = name.lower()
        if lower.endswith((".xlsx", ".xlsm")):
            raw.update(read_xlsx_bytes(data, name, problems, progress))
        elif lower.endswith(".csv"):
            t = read_csv_bytes(data, name, problems)
            if t is not None:
                _put(raw, Path(name).stem, t, problems)
        else:
            problems.append(Problem.of(name, 0, "-", "wrong_kind"))
    return raw


def check(
    source: Source,
    out: Path | None = None,
    progress: Progress | None = None,
    reader: Scope | None = None,
    version: int | None = None,
    activity_ids: Collection[str] | None = None,
) -> Checked:
    """Read and validate a source (a path, or uploaded files as (name, bytes)) without
    writing; *out* is the live dataset whose tables a partial source keeps, read at
    snapshot *version* (None: the newest; an import checks at the snapshot it writes on).

    *reader* is who sees the answer: a workbook's names are resolved, and the closest
    matches suggested, among the rows of the organisations they may read only (networks,
    which every organisation shares, among all). None: the server's own command line.

    *activity_ids*: a save of the Activities form speaks for these activities of its year
    alone (those it changed, added or removed), not for the year (`partial.Scope.ids`); a
    source that is not a workbook of some years' activities is then refused as a mistake
    of the program (ValueError), for read as a year it would remove every other one."""
    found: list[Problem] = []
    reading = (lambda x: progress(0.7 * x)) if progress is not None else None
    raw = _read(source, found, reading)
    kind = "contract"
    labels: dict[str, dict[str, str]] = {}
    extra: dict[str, ParsedTable] = {}
    live: dict[str, list[dict]] | None = None
    scope: partial.Scope | None = None
    known: dict[tuple[str, str], set] | None = None
    if workbook.is_coordinator(raw):
        kind = "coordinator"
        small = partial.small_live(out, version) if out is not None and has_dataset(out) else {}
        names = small if reader is None or not reader.limited else readable_rows(small, reader)
        conv = workbook.to_contract(raw, found, names)
        raw, labels = conv.raw, conv.labels
        if small and conv.orgs and partial.ENABLED:  # only its organisations' rows
            assert out is not None
            scope = partial.scope(
                out,
                small,
                sorted(conv.orgs),
                _years_only(conv),
                version,
                tuple(conv.raw),
                activity_ids,
            )
            live = scope.rows
            known = partial.outside_refs(scope)
        else:
            live = _live_rows(out, version)
        extra = _out_of_scope(live, conv)
    if activity_ids is not None and scope is None:
        raise ValueError("some activities saved, but not as a scope of them: nothing written")
    else:
        tables: dict[str, RawTable] = {}
        aliases = codes.table_aliases()  # a table by its name or its name in a language
        for k, v in raw.items():
            if not k.startswith("_"):
                name = k.strip().lower()
                _put(tables, aliases.get(codes.normal(name), name), v, found)
        raw = tables
    given = tuple(t.name for t in TABLES if t.name in raw)
    if not raw and not found:
        where = str(source) if isinstance(source, Path) else "-"
        found.append(Problem.of(where, 0, "-", "nothing_to_import"))
    if progress is not None:
        progress(0.8)
    kept = _kept_tables(out, given, live, version)
    parsed = validate(raw, found, kept, labels, extra, known) if (raw or kept) else {}
    if scope is not None:
        assert out is not None
        partial.cross_checks(out, scope, parsed, found)
    if progress is not None:
        progress(1.0)
    errors, warnings = _split(found)
    return Checked(parsed, errors, warnings, given, kind, scope)


def readable_rows(small: Mapping[str, list[dict]], reader: Scope) -> dict[str, list[dict]]:
    """The rows of *small* that *reader* may read; every network (shared by everyone)."""
    assert reader.orgs is not None
    mine = sheets.only_orgs(small, sorted(reader.orgs))
    mine["networks"] = list(small.get("networks", []))
    return mine


def _live_rows(out: Path | None, version: int | None = None) -> dict[str, list[dict]]:
    if out is None or not has_dataset(out):
        return {}
    read = read_tables(out, TABLES, version=version)  # one snapshot, one transaction
    return {name: as_rows(data) for name, data in read.items() if data is not None}


def _out_of_scope(
    live: Mapping[str, list[dict]], conv: workbook.Converted
) -> dict[str, ParsedTable]:
    """The live rows a coordinator's workbook does not speak for, kept beside its rows.

    The workbook replaces its organisations' rows of the tables it holds; activities,
    indicator values and assessments only for the years it holds (a workbook of this
    year's activities leaves earlier years alone); networks, which organisations share,
    are added or updated by id and never removed.
    """
    orgs = conv.orgs
    years: dict[str, set[tuple[object, object]]] = {}
    for table, col_org in (("activities", "org_id"), ("goal_assessments", "org_id")):
        raw = conv.raw.get(table)
        if raw is None:
            continue
        i, j = raw.header.index(col_org), raw.header.index("year")
        years[table] = {(r[i], _year(r[j], raw.decimal)) for r in raw.rows}
    proj_org = {r["project_id"]: r["org_id"] for r in live.get("projects", [])}
    raw_iv = conv.raw.get("indicator_values")
    iv_years = set()
    if raw_iv is not None:
        i, j = raw_iv.header.index("indicator_id"), raw_iv.header.index("year")
        iv_years = {(r[i], _year(r[j], raw_iv.decimal)) for r in raw_iv.rows}
    act_years = years.get("activities", set())

    def keep(table: str, r: dict) -> bool:
        if table == "networks":
            return r["network_id"] not in conv.networks
        if table == "activities":
            return (r["org_id"], r["year"]) not in act_years
        if table == "activity_goals":
            return (r["org_id"], r["year"]) not in act_years
        if table == "goal_assessments":
            return (r["org_id"], r["year"]) not in years.get(table, set())
        if table == "indicator_values":  # the workbook speaks for each indicator-year it holds
            return (r["indicator_id"], r["year"]) not in iv_years
        if table == "project_goals":
            return proj_org.get(r["project_id"]) not in orgs
        return r.get("org_id") not in orgs

    out: dict[str, ParsedTable] = {}
    for spec in TABLES:
        if spec.name not in conv.raw or spec.name not in live:
            continue
        rows = [r for r in live[spec.name] if keep(spec.name, r)]
        if rows:
            out[spec.name] = ParsedTable(
                spec, f"{spec.name}.parquet", rows, list(range(2, len(rows) + 2))
            )
    return out


def _years_only(conv: workbook.Converted) -> list[int] | None:
    """The years a workbook that holds activities only (a save of the Activities form, a
    workbook of this year's activities) speaks for: it is then read, checked and written
    for those years of its organisations alone (`partial.Scope.years`). None for any
    other workbook, or when a year is not one the checks read (they refuse it)."""
    raw = conv.raw.get("activities")
    if raw is None or not set(conv.raw) <= partial.YEARLY_ONLY:
        return None
    j = raw.header.index("year")
    years = {_year(r[j] if j < len(r) else None, raw.decimal) for r in raw.rows}
    if not years or not all(isinstance(y, int) for y in years):
        return None
    return sorted(y for y in years if isinstance(y, int))


def _year(value: object, decimal: str | None) -> object:
    """A row's year as the checks read it (`parse_cell` on the year column, by the sheet's
    decimal mark): the years a workbook speaks for must be the years its rows are stored
    under, or a year written "2009,0" (2009 to the checks) replaced nothing and the
    workbook's rows were added beside the live ones. A year the checks refuse is kept as
    written: the import is refused at that cell anyway."""
    try:
        return parse_cell(value, _YEAR, decimal)[0]
    except CellError:
        return value


_YEAR = TABLE_BY_NAME["activities"].column("year")


def check_source(
    source: Path, out: Path | None = None
) -> tuple[dict[str, ParsedTable], list[Problem]]:
    """Read and validate a source without writing anything: (tables, problems)."""
    checked = check(source, out)
    return checked.parsed, checked.problems


def to_arrow(parsed: Mapping[str, ParsedTable]) -> dict[str, pa.Table]:
    """Arrow tables in the contract's schema, ready to be written."""
    out = {}
    for name, p in parsed.items():
        schema = arrow_schema(p.table)
        cols = {f.name: [r.get(f.name) for r in p.rows] for f in schema}
        out[name] = pa.table(cols, schema=schema)
    return out


def _outcomes(
    checked: Checked, before: Mapping[str, int | None], counts: Mapping[str, int]
) -> list[TableOutcome]:
    result = []
    for table in TABLES:
        name = table.name
        was, now = before.get(name), counts[name]
        if name in checked.given:
            action = (
                "emptied" if now == 0 and was else ("replaced" if was is not None else "created")
            )
        elif was is not None:
            action = "kept"
        else:
            action = "created"
        result.append(TableOutcome(name, action, was, now))
    return result


@dataclass(frozen=True)
class Replaces:
    """What a coordinator's workbook will do to one organisation's rows of one table (of
    one year, in a table kept by year)."""

    org: str
    table: str
    year: int | None
    before: int
    after: int


def preview(checked: Checked) -> list[Replaces]:
    """Per organisation the workbook speaks for, per table it holds and per year: its
    rows now and after the import (a coordinator's workbook replaces those organisations'
    rows, so a row that names another organisation by mistake replaces that one's year
    too). Empty for a whole-dataset import (it replaces every table)."""
    s = checked.scope
    if s is None:
        return []
    projects = {r["project_id"]: r["org_id"] for r in s.small.get("projects", [])}
    indicators = {r["indicator_id"]: r["org_id"] for r in s.small.get("indicators", [])}
    for name in ("projects", "indicators"):  # the workbook's own, new ones included
        for r in checked.parsed[name].rows if name in checked.parsed else []:
            (projects if name == "projects" else indicators)[r[f"{name[:-1]}_id"]] = r["org_id"]

    # goals and goal links get their organisation only when the import derives it
    strategies = {r["strategy_id"]: r["org_id"] for r in s.small.get("strategies", [])}
    strategies |= {
        r["strategy_id"]: r["org_id"]
        for r in (checked.parsed["strategies"].rows if "strategies" in checked.parsed else [])
    }
    acts = {  # of a workbook that gives activities (kept ones are read without ids)
        r["activity_id"]: r
        for r in (checked.parsed["activities"].rows if "activities" in checked.given else [])
    }
    act_org = {a: r["org_id"] for a, r in acts.items()}

    def whose(table: str, r: Mapping[str, object]) -> object:
        return partial.owner(table, r, projects, indicators, strategies, act_org)

    def counts(table: str, rows: Iterable[Mapping[str, object]]) -> dict[tuple, int]:
        found: dict[tuple, int] = {}
        for r in rows:
            org = whose(table, r)
            if org in s.orgs:
                year = r.get("year")
                if table == "activity_goals" and year is None:
                    year = acts.get(r.get("activity_id"), {}).get("year")
                key = (org, year)
                found[key] = found.get(key, 0) + 1
        return found

    out = []
    for table in checked.given:
        if table in partial.SHARED:
            continue
        before = counts(table, s.rows.get(table, []))
        after = counts(table, checked.parsed[table].rows if table in checked.parsed else [])
        for org, year in sorted(set(before) | set(after), key=lambda k: (k[0], k[1] or 0)):
            n, m = before.get((org, year), 0), after.get((org, year), 0)
            out.append(Replaces(str(org), table, year, n, m))
    return out


ONE: tuple[str, ...] = ("\x00one",)  # ingest(orgs=ONE): one organisation, or name them


@dataclass(frozen=True)
class TableName:
    """A table named in a message in the reader's language ("Aktiviteter")."""

    name: str

    def text(self, lang: str) -> str:
        from dashboard.model.codes import table_label

        return table_label(self.name, lang)


def org_names(checked: Checked) -> dict[str, str]:
    """Organisation id -> name, of the live dataset and of the file itself."""
    rows = [*(checked.scope.small.get("organisations", []) if checked.scope else [])]
    rows += checked.parsed["organisations"].rows if "organisations" in checked.parsed else []
    return {str(r["org_id"]): str(r.get("name") or r["org_id"]) for r in rows}


def _refuse_others(checked: Checked, orgs: Sequence[str] | None) -> None:
    """A coordinator's workbook that speaks for an organisation not asked for (*orgs*:
    `--orgs`, or those confirmed on the Data page or the uploader may change) is refused,
    per organisation, with how many of its rows it would replace. `ONE` (the command line
    without --orgs): a workbook that speaks for several organisations must name them.
    None: no limit (a program's own import, `--orgs all`)."""
    s = checked.scope
    if s is None or checked.kind != "coordinator" or orgs is None:
        return
    if tuple(orgs) == ONE:
        if len(s.orgs) <= 1:
            return
        orgs = ()
    names = org_names(checked)
    totals: dict[tuple[str, str], list[int]] = {}
    for r in preview(checked):
        if r.org not in orgs and (r.before or r.after):
            sums = totals.setdefault((r.org, r.table), [0, 0])
            sums[0] += r.before
            sums[1] += r.after
    for (org, table), (before, after) in totals.items():
        checked.problems.append(
            Problem.of(
                "-", 0, "-", "org_not_meant",
                org=names.get(org, org), part=TableName(table), before=before, after=after,
            )
        )  # fmt: skip


def ingest(
    source: Source,
    out: Path,
    progress: Progress | None = None,
    change: Change | None = None,
    orgs: Sequence[str] | None = None,
    reader: Scope | None = None,
    activity_ids: Collection[str] | None = None,
) -> Outcome:
    """Validate *source* and, only if it is clean, publish the dataset at *out*.

    Raises ImportFailed listing every problem; in that case nothing is written. *change*
    says who imports and why, for the history (default: the server's user). *orgs*: the
    organisations a coordinator's workbook may speak for (`_refuse_others`); *reader*:
    whose names it may use and be told of (`check`; None: the server's command line);
    *activity_ids*: the activities a form's save speaks for (`check`).
    """
    from dashboard.storage import check_out

    check_out(out)
    for attempt in range(READ_AGAIN):
        try:
            return _ingest_at(
                stamp_or_none(out), source, out, progress, change, orgs, reader, activity_ids
            )
        except LakeMoved:
            # another save came between the check and the write: checked again on the lake
            # as it is now (a form's save rebases its edit first: `editing.save`)
            if (change is not None and change.guard is not None) or attempt == READ_AGAIN - 1:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


READ_AGAIN = 4  # an import read and checked again this often when the lake moved meanwhile


def _ingest_at(
    at: int | None,
    source: Source,
    out: Path,
    progress: Progress | None,
    change: Change | None,
    orgs: Sequence[str] | None,
    reader: Scope | None,
    activity_ids: Collection[str] | None = None,
) -> Outcome:
    """`ingest` of a check made on the lake at snapshot *at*, written only if the lake is
    still at *at* under the lock (`publish(expect=at)`, else LakeMoved)."""
    from dashboard.storage import publish

    checked = check(source, out, progress, reader, at, activity_ids)
    _refuse_others(checked, orgs)
    if checked.problems:
        raise ImportFailed(checked.problems, checked.warnings)
    live = has_dataset(out)
    before = row_counts(out, TABLES, at) if live else {t.name: None for t in TABLES}
    scope = checked.scope
    derive(checked.parsed, None if scope is None else checked.given)  # what is written
    if scope is not None:  # only the given tables' rows of the organisations it speaks for
        given = checked.given
        tables = to_arrow({n: checked.parsed[n] for n in given})

        def write(staged: Path) -> dict[str, int]:
            assert scope is not None
            return partial.write(out, staged, scope, given, tables)

    else:
        tables = to_arrow(checked.parsed)

        def write(staged: Path) -> dict[str, int]:
            return {t.name: write_table(staged, t, tables[t.name]) for t in TABLES}

    name = ", ".join(n for n, _ in source) if isinstance(source, list) else source.name
    counts = publish(out, write, source=name, change=change, summaries=scope is None, expect=at)
    return Outcome(counts, _outcomes(checked, before, counts), checked.warnings)
