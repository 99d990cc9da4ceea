"""Command line: ingest, template, query (and the tools built on them)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from dashboard.i18n import LANGS
from dashboard.model.access import Scope
from dashboard.storage import CATALOG_ENV, data_dir, data_location

if TYPE_CHECKING:
    from dashboard.imports.ingest import Outcome
    from dashboard.storage import Change


def dataset_path(text: str) -> Path:
    """The dataset a command names: a folder, or the configured shared dataset when *text*
    is its data path (`DASHBOARD_DATA_DIR=s3://…` with `DASHBOARD_CATALOG`)."""
    if "://" in text:
        if text.rstrip("/") == data_location().rstrip("/") and os.environ.get(CATALOG_ENV):
            return data_dir()
        raise SystemExit(
            f"error: {text} is a data path in an object store: set DASHBOARD_DATA_DIR to it "
            f"and {CATALOG_ENV} to the shared catalog (postgres:…), see the README"
        )
    return Path(text)


def _ingest_bounded(source: Path, out: Path, change: Change, orgs: Sequence[str] | None) -> Outcome:
    """Import *source* into *out*. One file within the upload limit (20 MB) is checked and
    imported in a child process with the Data page's limits of time and memory
    (`uploads.in_child`: 60 s, 1.5 GB), so a file that would take more is refused with a
    clear message; a folder, or a national dataset beyond the limit, runs here."""
    from dashboard.imports import uploads
    from dashboard.imports.ingest import Outcome, ingest

    limit = uploads.max_upload_mb() * 1024 * 1024
    if source.is_file() and source.stat().st_size <= limit:
        done = uploads.in_child(
            "import", source.name, source.read_bytes(), out, Scope.everything(),
            who=change.who, orgs=None if orgs is None else tuple(orgs), comment=change.comment,
        )  # fmt: skip
        assert isinstance(done, Outcome)
        return done
    return ingest(source, out, change=change, orgs=orgs)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from dashboard.i18n import fmt_int, t, tn
    from dashboard.imports.ingest import ONE, ImportFailed
    from dashboard.model.problems import report
    from dashboard.storage import Change, default_who

    lang = args.lang
    change = Change(
        who=args.who or default_who(), action="import", comment=args.comment or "", person=None
    )
    try:
        orgs: Sequence[str] | None = ONE  # a workbook of several must name them
        if args.orgs:
            orgs = None if args.orgs.strip() == "all" else args.orgs.split(",")
            orgs = orgs if orgs is None else [o.strip() for o in orgs if o.strip()]
        outcome = _ingest_bounded(Path(args.source), dataset_path(args.out), change, orgs)
    except ImportFailed as exc:
        for line in report(exc.problems, lang, limit=args.max_problems):
            print(line, file=sys.stderr)
        for line in report(exc.warnings, lang, limit=args.max_problems):
            print(t("cli.warning", lang, line=line), file=sys.stderr)
        n = len(exc.problems)
        print(tn("cli.failed", n, lang, n=fmt_int(n, lang)), file=sys.stderr)
        return 1
    for line in report(outcome.warnings, lang, limit=args.max_problems):
        print(t("cli.warning", lang, line=line), file=sys.stderr)
    for tb in outcome.tables:
        before = "–" if tb.before is None else fmt_int(tb.before, lang)
        print(
            tn(
                f"cli.table.{tb.action}",
                tb.after,
                lang,
                table=tb.table,
                before=before,
                after=fmt_int(tb.after, lang),
            )
        )
    total = sum(outcome.counts.values())
    print(tn("cli.imported", total, lang, n=fmt_int(total, lang), out=args.out))
    return 0


def _cmd_template(args: argparse.Namespace) -> int:
    from dashboard.imports.workbook import examples
    from dashboard.outputs.template import write_template
    from dashboard.outputs.workbook import template_bytes

    out = Path(args.out)
    if out.suffix.lower() == ".xlsx" and not args.contract:
        out.write_bytes(template_bytes(args.lang, examples()))
        print(f"wrote the coordinator's workbook ({args.lang}) to {out}")
        return 0
    write_template(out, args.lang)
    print(f"wrote the 12-table template ({args.lang}) to {out}")
    return 0


def _unknown_orgs(folder: Path, given: Sequence[str] | None) -> list[str]:
    """The organisation ids of *given* the dataset does not hold: a typing slip is said,
    not answered with an empty file (`export`, `query`)."""
    from dashboard.model.contract import TABLE_BY_NAME
    from dashboard.storage import read_table

    if not given:
        return []
    orgs = read_table(folder, TABLE_BY_NAME["organisations"])
    known = set(orgs.column("org_id").to_pylist()) if orgs is not None else set()
    return [o for o in given if o not in known]


def _cmd_export(args: argparse.Namespace) -> int:
    from dashboard.imports.workbook import dataset_rows
    from dashboard.outputs.workbook import workbook_bytes
    from dashboard.storage import Database, DatasetError

    if Path(args.out).suffix.lower() != ".xlsx":
        print("error: --out must name an .xlsx workbook", file=sys.stderr)
        return 2
    folder = dataset_path(args.data) if args.data else data_dir()
    try:
        Database(folder).close()  # the same checks as the dashboard: a readable dataset
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    unknown = _unknown_orgs(folder, args.org)
    if unknown:
        print(f"error: unknown organisation(s) {', '.join(unknown)}", file=sys.stderr)
        return 2
    rows = dataset_rows(folder, Scope.everything(), tuple(args.org or ()))  # the server's
    if args.contract:  # the 12 tables with their ids: for another system, or an audit
        from dashboard.outputs.template import template_xlsx

        Path(args.out).write_bytes(template_xlsx(args.lang, rows))
    else:
        Path(args.out).write_bytes(workbook_bytes(rows, args.lang))
    print(f"wrote {sum(len(v) for v in rows.values())} rows to {args.out}")
    return 0


def _cmd_contract(args: argparse.Namespace) -> int:
    from dashboard.outputs.template import contract_markdown

    text = contract_markdown()
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


def _cmd_query(args: argparse.Namespace) -> int:
    from dashboard.model.filters import Filters
    from dashboard.outputs.export import csv_chunks
    from dashboard.sql.queries import QueryError, load_query, params_for
    from dashboard.storage import Database, DatasetError

    if args.year is not None and (args.year_from is not None or args.year_to is not None):
        print("give either --year or --from/--to", file=sys.stderr)
        return 2
    year_from = args.year if args.year is not None else args.year_from
    year_to = args.year if args.year is not None else args.year_to
    if year_from is not None and year_to is not None and year_from > year_to:
        print(f"error: --from {year_from} is after --to {year_to}", file=sys.stderr)
        return 2
    filters = Filters(tuple(args.org or ()), year_from, year_to, tuple(args.goal or ()))
    try:
        query = load_query(args.name)
        extra = {"search": args.search, "limit": None, "offset": 0}
        db = Database(dataset_path(args.data) if args.data else data_dir())
        unknown = _unknown_orgs(db.folder, args.org)
        if unknown:
            print(f"error: unknown organisation(s) {', '.join(unknown)}", file=sys.stderr)
            return 2
        params = params_for(query.name, filters, **extra)
        out = sys.stdout.buffer
        shape = None
        if args.readable:  # the download's headers and words: the same function as the app's
            from dashboard.model import codes
            from dashboard.model.view import View
            from dashboard.outputs.readable import for_download

            names = db.df("organisations")
            orgs = dict(zip(names["org_id"], names["name"], strict=True))
            view = View(args.lang, filters, orgs)
            coded = codes.QUERY_CODES.get(query.name)
            shape = lambda df: for_download(view, df, coded)  # noqa: E731
        found = db.batches(query.name, params)
        for chunk in csv_chunks(found, list(query.columns), args.lang, shape):
            out.write(chunk)
        out.flush()
    except (QueryError, DatasetError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _cmd_remind(args: argparse.Namespace) -> int:
    """The yearly round's weekly digests (`outputs.reminders`): printed with --dry-run,
    else sent through the SMTP server the settings name."""
    from dashboard.model.access import policy
    from dashboard.outputs import reminders

    today = args.today or date.today()
    url = args.url or os.environ.get("DASHBOARD_URL", "").strip() or "http://localhost:8501"
    rules = policy()
    folder = dataset_path(args.data) if args.data else data_dir()
    mails = reminders.digests(folder, rules, today, url)
    passed = reminders.unaddressed(rules)
    if passed:
        print(f"{passed} grant(s) by claim name no address and get no reminder", file=sys.stderr)
    if args.dry_run:
        for m in mails:
            print(f"To: {m.to}\nSubject: {m.subject}\n\n{m.body}\n{'-' * 72}")
        print(f"{len(mails)} reminder(s), not sent (--dry-run)")
        return 0
    smtp = reminders.Smtp.from_env()
    if smtp is None:
        print("error: set DASHBOARD_SMTP_HOST (or use --dry-run)", file=sys.stderr)
        return 2
    if not mails:  # no open year asks anything of anyone: the mail server is not called
        print("0 reminder(s): nothing is due")
        return 0
    try:
        sent = reminders.send(mails, smtp)
    except reminders.SendFailed as exc:
        print(
            f"error: the mail server {smtp.host}:{smtp.port} did not take the reminders "
            f"({exc}); {exc.sent} of {len(mails)} were sent before it",
            file=sys.stderr,
        )
        return 2
    print(f"{sent} reminder(s) sent through {smtp.host}:{smtp.port}")
    return 0


def _board_report(args: argparse.Namespace, out: Path, fmt: str) -> int:
    """The annual report for the board (`outputs.board`) of one organisation and year."""
    from dashboard.outputs import board

    if len(args.org or ()) != 1:
        print("error: the report for the board is of one --org (and one --year)", file=sys.stderr)
        return 2
    try:
        folder = dataset_path(args.data) if args.data else data_dir()
        year = args.year
        if year is None:  # as --help says: the organisation's last year to assess
            year = board.last_year(folder, args.org[0])
            if year is None:
                raise LookupError(f"{args.org[0]} has no year with something to assess")
        made = board.for_year(folder, args.org[0], year, args.lang, fmt)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out.write_bytes(made)
    print(f"wrote the annual report of {args.org[0]} for {year} to {out} ({len(made)} bytes)")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from dashboard.model.filters import Filters
    from dashboard.outputs.report import write_report
    from dashboard.storage import Database, DatasetError

    out = Path(args.out)
    fmt = args.format or out.suffix.lower().lstrip(".")
    if fmt in ("pdf", "docx"):
        return _board_report(args, out, fmt)
    if out.suffix.lower() not in (".xlsx", ".zip"):
        print("--out must name an .xlsx workbook (or a .zip of CSV files)", file=sys.stderr)
        return 2
    filters = Filters(tuple(args.org or ()), args.year, args.year, tuple(args.goal or ()))
    try:
        db = Database(dataset_path(args.data) if args.data else data_dir())
        known = set(db.df("organisations")["org_id"])
        unknown = [o for o in filters.orgs if o not in known]
        if unknown:
            print(
                f"error: unknown organisation(s) {', '.join(unknown)}; known: "
                + ", ".join(sorted(known)),
                file=sys.stderr,
            )
            return 2
        comp = write_report(db, filters, args.lang, out)
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if comp is None:
        print("error: the selection has no year with data", file=sys.stderr)
        return 2
    print(
        f"wrote the annual compilation for {comp.year} to {out}: "
        + ", ".join(f"{k} {len(v)}" for k, v in comp.frames.items())
    )
    return 0


def _cmd_synth(args: argparse.Namespace) -> int:
    import time

    from dashboard.storage import generate

    if args.activities < 0:
        print("--activities cannot be negative", file=sys.stderr)
        return 2
    started = time.perf_counter()
    counts = generate(args.activities, Path(args.out), seed=args.seed)
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    print(
        f"generated {total} rows into {args.out} in {elapsed:.1f} s: "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )
    return 0


def _cmd_history(args: argparse.Namespace) -> int:
    import csv

    from dashboard.storage import iter_csv_rows, prune

    out = dataset_path(args.data)
    if args.prune is not None:
        gone = prune(out, args.prune)
        print(f"expired {len(gone)} snapshot(s); the record keeps every change")
        return 0
    from dashboard.outputs.export import neutralise

    # a comment or a name from the sign-in ("=HYPERLINK(…)") stays text in a spreadsheet,
    # as in every CSV the app writes (`export.neutralise`)
    writer = csv.writer(sys.stdout, lineterminator="\n")
    for row in iter_csv_rows(out, args.org, args.limit):
        writer.writerow([neutralise(v) if isinstance(v, str) else v for v in row])
    return 0


def _cmd_restore(args: argparse.Namespace) -> int:
    from dashboard.storage import Change, default_who, restore

    try:
        version = restore(
            dataset_path(args.data),
            args.version,
            Change(
                who=args.who or default_who(),
                action="restore",
                comment=args.comment or "",
                person=None,
            ),
        )
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"version {args.version} restored as version {version}")
    return 0


def _cmd_upgrade(args: argparse.Namespace) -> int:
    from dashboard.storage import upgrade

    version = upgrade(dataset_path(args.data), args.who or "")
    if version is None:
        print("the dataset is already in today's contract; nothing to do")
    else:
        print(f"the dataset is upgraded to today's contract as version {version}")
    return 0


def _cmd_has_dataset(args: argparse.Namespace) -> int:
    from dashboard.storage import DatasetError, has_dataset

    try:
        found = has_dataset(dataset_path(args.data) if args.data else data_dir())
    except DatasetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0 if found else 1


def _cmd_migrate(args: argparse.Namespace) -> int:
    from dashboard.storage import migrate

    try:
        made = migrate(Path(args.old), dataset_path(args.out))
    except (LookupError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"{len(made)} version(s) of {args.old} are now snapshots of the lake at {args.out}; "
        f"{args.old} is left as it was"
    )
    return 0


def _server_admin(who: str | None) -> object:
    """Whoever runs the command line on the server: an administrator of every
    organisation (they can read and replace the dataset's files anyway)."""
    from dashboard.model.access import Grant, Person
    from dashboard.storage import default_who

    # recorded as given (`--who "Karin <ka@exempelby.se>"` or a plain name), not as an address
    return Person(who or default_who(), "", (Grant("*", "admin"),), True)


def _cmd_undo(args: argparse.Namespace) -> int:
    from dashboard.imports import undo
    from dashboard.model.problems import ImportFailed

    person = _server_admin(args.who)
    try:
        version = undo.undo(dataset_path(args.data), args.version, person, args.comment or "")  # type: ignore[arg-type]
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except undo.UndoConflict as exc:
        print(f"error: later changes touched {len(exc.rows)} of the same rows:", file=sys.stderr)
        for table, key, _ in exc.rows[:40]:
            print(f"  {table} {key}", file=sys.stderr)
        return 1
    except ImportFailed as exc:
        for p in exc.problems[: args.max_problems]:
            print(p.line(args.lang), file=sys.stderr)
        return 1
    print(f"the change of version {args.version} undone as version {version}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, exposed for tests and --help."""
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="validate a CSV folder or .xlsx and replace a dataset")
    p.add_argument(
        "source",
        help="folder of CSV files (one per table), one CSV file, the 12-table workbook or the "
        "coordinator's workbook (.xlsx)",
    )
    p.add_argument(
        "--out",
        default=data_location(),
        help="dataset folder to update, or an object store's s3://bucket/prefix",
    )
    p.add_argument("--lang", default="en", choices=LANGS, help="language of messages")
    p.add_argument(
        "--max-problems", type=int, default=40, help="problem groups printed at most (default 40)"
    )
    p.add_argument("--who", help="who imports, for the history (default: the server's user)")
    p.add_argument("--comment", help="why, for the history")
    p.add_argument(
        "--orgs",
        help="a coordinator's workbook: the organisation ids whose rows it may replace "
        "(comma-separated, or 'all'); required when it speaks for more than one",
    )
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("history", help="print the record of changes as CSV, newest first")
    p.add_argument("--data", default=str(data_dir()), help="dataset folder")
    p.add_argument("--org", help="only changes that touched this organisation (its id)")
    p.add_argument("--limit", type=_at_least_one, help="at most this many changes")
    p.add_argument("--prune", type=_at_least_one, metavar="KEEP",
                   help="remove all but the newest KEEP versions' files (the record itself "
                   "is kept)")  # fmt: skip
    p.set_defaults(func=_cmd_history)

    p = sub.add_parser("restore", help="publish an earlier version again, as a new version")
    p.add_argument("version", type=int, help="the version to restore (see history)")
    p.add_argument("--data", default=str(data_dir()), help="dataset folder")
    p.add_argument("--who", help="who restores, for the history (default: the server's user)")
    p.add_argument("--comment", help="why, for the history")
    p.set_defaults(func=_cmd_restore)

    p = sub.add_parser(
        "upgrade",
        help="publish a dataset of an older contract in today's, recorded in the history "
        "(every write does this first; the app reads older datasets as they are)",
    )
    p.add_argument("--data", default=str(data_dir()), help="dataset folder")
    p.add_argument("--who", help="who upgrades, for the history (default: Målbild)")
    p.set_defaults(func=_cmd_upgrade)

    p = sub.add_parser(
        "has-dataset",
        help="exit 0 when the dataset holds the contract's tables, 1 when there is none yet "
        "(the container's first start imports the sample then)",
    )
    p.add_argument("--data", help="dataset folder (default: DASHBOARD_DATA_DIR or data/)")
    p.set_defaults(func=_cmd_has_dataset)

    p = sub.add_parser(
        "migrate",
        help="move a dataset of the folder layout (before DuckLake), its history included, "
        "into a new lake: every kept version a snapshot with its author and time",
    )
    p.add_argument("old", help="the dataset folder of the folder layout (its .history beside it)")
    p.add_argument("--out", required=True, help="a new dataset folder (or the configured lake)")
    p.set_defaults(func=_cmd_migrate)

    p = sub.add_parser(
        "undo", help="take back one change (its rows only; later changes stay), as a new version"
    )
    p.add_argument("version", type=int, help="the version whose change to undo (see history)")
    p.add_argument("--data", default=str(data_dir()), help="dataset folder")
    p.add_argument("--who", help="who undoes, for the history (default: the server's user)")
    p.add_argument("--comment", help="why, for the history")
    p.add_argument("--lang", default="en", choices=LANGS, help="language of messages")
    p.add_argument("--max-problems", type=int, default=40, help="problems printed at most")
    p.set_defaults(func=_cmd_undo)

    p = sub.add_parser("template", help="write the coordinator's workbook or the 12-table template")
    p.add_argument(
        "--out",
        required=True,
        help="PATH.xlsx: the coordinator's workbook; PATH.zip or a folder: the 12 CSV files",
    )
    p.add_argument("--lang", default="sv", choices=LANGS, help="language of sheets")
    p.add_argument("--contract", action="store_true", help="the 12-table workbook with ids")
    p.set_defaults(func=_cmd_template)

    p = sub.add_parser("export", help="write the dataset as the coordinator's workbook")
    p.add_argument("--out", required=True, help="PATH.xlsx")
    p.add_argument(
        "--contract",
        action="store_true",
        help="the contract's 12 tables with their ids (the 12-table template filled in; "
        "it imports back as the same rows)",
    )
    p.add_argument("--org", action="append", help="organisation id (repeatable; default: all)")
    p.add_argument("--lang", default="sv", choices=LANGS, help="language of sheets")
    p.add_argument("--data", help="dataset folder (default: DASHBOARD_DATA_DIR or data/)")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("contract", help="print the data contract as Markdown")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(func=_cmd_contract)

    p = sub.add_parser("query", help="run a query from queries/ and print CSV")
    p.add_argument("name", help="query name, e.g. goal_coverage")
    p.add_argument("--org", action="append", help="organisation id (repeatable)")
    p.add_argument("--year", type=int, help="a single year")
    p.add_argument("--from", dest="year_from", type=int, help="first year of a range")
    p.add_argument("--to", dest="year_to", type=int, help="last year of a range")
    p.add_argument("--goal", action="append", help="goal id (repeatable)")
    p.add_argument("--search", help="part of the title (activities)")
    p.add_argument(
        "--lang",
        default="en",
        choices=LANGS,
        help="CSV dialect: en = comma and decimal point; sv/da = ';' and decimal comma",
    )
    p.add_argument(
        "--readable",
        action="store_true",
        help="the download's headers and values (names, words in --lang) instead of the "
        "query's machine columns",
    )
    p.add_argument("--data", help="dataset folder (default: DASHBOARD_DATA_DIR or data/)")
    p.set_defaults(func=_cmd_query)

    p = sub.add_parser(
        "report",
        help="write the annual compilation (.xlsx, .zip) or the board's report (.pdf, .docx)",
    )
    p.add_argument(
        "--format",
        choices=("xlsx", "zip", "pdf", "docx"),
        help="what to write (default: by the suffix of --out); pdf and docx: the annual "
        "report for the board, of one --org and --year (a closed year's as at closing)",
    )
    p.add_argument("--org", action="append", help="organisation id (repeatable; default: all)")
    p.add_argument(
        "--year", type=int, help="year evaluated (default: the last with something to assess)"
    )
    p.add_argument("--goal", action="append", help="goal id (repeatable)")
    p.add_argument("--out", required=True, help="PATH.xlsx, PATH.zip, PATH.pdf or PATH.docx")
    p.add_argument(
        "--lang",
        default="sv",
        choices=LANGS,
        help="language of sheet names, headers and statuses (and the CSV dialect)",
    )
    p.add_argument("--data", help="dataset folder (default: DASHBOARD_DATA_DIR or data/)")
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "remind", help="send the yearly round's weekly reminders (run it from a scheduler)"
    )
    p.add_argument("--data", help="dataset folder (default: DASHBOARD_DATA_DIR or data/)")
    p.add_argument(
        "--today", type=_day, help="the day to remind as of (YYYY-MM-DD; default: today)"
    )
    p.add_argument("--url", help="the dashboard's address for the links (default: DASHBOARD_URL)")
    p.add_argument("--dry-run", action="store_true", help="print the mails instead of sending")
    p.set_defaults(func=_cmd_remind)

    p = sub.add_parser("synth", help="write a synthetic dataset (for benchmarks and demos)")
    p.add_argument("--activities", type=int, required=True, help="number of activities")
    p.add_argument("--out", required=True, help="dataset folder to replace")
    p.add_argument("--seed", type=int, default=0, help="random seed (same seed, same data)")
    p.set_defaults(func=_cmd_synth)
    return parser


def _at_least_one(text: str) -> int:
    """A count given on the command line that must be 1 or more (`--limit`, `--prune`:
    keeping 0 versions would leave no dataset)."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is no whole number of 1 or more")
    return n


def _day(text: str) -> date:
    """A day given on the command line, or argparse's usage message saying what it is not."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is no day written YYYY-MM-DD") from None


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code. A dataset that cannot be read or
    written (missing, damaged, a store or catalog that does not answer, a full disk, a
    read-only folder) or a server setting that is wrong (`dashboard.settings`) is said in one
    line, without a traceback, with exit code 2."""
    from dashboard.settings import SettingError
    from dashboard.storage import CommitConflict, DatasetError

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (DatasetError, SettingError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except CommitConflict as exc:
        print(f"error: other writes kept coming first; try again ({exc})", file=sys.stderr)
    except OSError as exc:
        print(f"error: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr)
    return 2
