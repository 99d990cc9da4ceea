"""The registries are the truth: every page, language, column kind and edited column that
the app, the tests and the benchmarks read is one record, and the record says what the
thing really does.

- pages (`dashboard.app.pages.PAGES`): each page, run, reads the queries and offers the
  files its record names, its title is in every catalogue, and every check that keeps
  pages readable, accessible and scoped walks the registry (none keeps a list of its own);
- languages (`dashboard.i18n.languages.LANGUAGES`): each has its catalogue, its rules
  taken from Babel, and the file tests run for each;
- column kinds (`dashboard.model.contract.COLUMN_KINDS`): a column name has one kind in
  every table, every number or date a query returns has a kind, and the formatter's lists
  are the registry's;
- the columns a form edits are the sheet's (`editing.Part.columns`), and every contract
  column survives a save in the browser and a workbook's round trip unchanged.
"""

from __future__ import annotations

import ast
import contextlib
import io
import shutil
from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import PROJECT_ROOT
from dashboard.app.pages import PAGES, SHELL_READS
from dashboard.i18n import LANGS, TEXTS, fmt_money
from dashboard.i18n.languages import LANGUAGES, language
from dashboard.model import codes, contract, sheets
from dashboard.model.access import Grant, Person, Scope
from dashboard.model.filters import Filters
from dashboard.outputs.export import dialect
from tests.helpers import AUTH

APP = str(PROJECT_ROOT / "streamlit_app.py")

# ---------------------------------------------------------------- pages


@pytest.fixture(scope="module")
def page_runs(sample_dir: Path) -> dict[str, dict[str, set[str]]]:
    """Every registered page, run as its reader would open it, with no filter and with one
    organisation, year and goal: the queries each ran and the files each offered."""
    import dashboard.app.data as data

    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    current = ["shell"]
    check = data._check_narrowable

    def record(name: str, allowed: Scope) -> None:
        seen[current[0]]["reads"].add(name)
        check(name, allowed)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
        mp.setattr(data, "_check_narrowable", record)
        for params in ({}, {"org": "gotland", "year": "2009", "goal": "gotland-2009-g1"}):
            current[0] = "shell"  # the first run opens the default page
            at = AppTest.from_file(APP, default_timeout=120)
            for k, v in params.items():
                at.query_params[k] = v
            at.run()
            for page in PAGES:
                current[0] = page.name
                at.switch_page(page.path).run()
                assert not at.exception, (page.name, at.exception)
                state = at.session_state  # AppTest's session state has no .get
                offered = state["_offered"] if "_offered" in state else {}  # noqa: SIM401
                seen[page.name]["downloads"] |= {k.removeprefix("dl-") for k in offered}
        _signed_in_runs(mp, sample_dir, seen, current)
    return seen


ROLES_ACCESS = """
read = "own"

[[grant]]
email = "ka@gotland.se"
org = "gotland"
role = "coordinator"

[[grant]]
email = "ka@gotland.se"
org = "gavle"
role = "reporter"
"""


def _signed_in_runs(
    mp: pytest.MonkeyPatch, sample_dir: Path, seen: dict, current: list[str]
) -> None:
    """The pages whose record is a signed-in person's (`Page.signed_in`), run as a
    coordinator of Gotland and a reporter of Gävle, with 2012 open in both, on a copy of
    the sample; what a visitor's run of them recorded is replaced."""
    from datetime import date

    from dashboard.imports import rounds
    from dashboard.model.access import Policy, load

    pages = [p for p in PAGES if p.signed_in]
    if not pages:
        return
    folder = sample_dir.parent.parent / f"{sample_dir.parent.name}-roles"
    if not folder.exists():
        shutil.copytree(sample_dir.parent, folder)
    access = folder / "access.toml"
    access.write_text(ROLES_ACCESS, encoding="utf-8")
    live = folder / sample_dir.name
    policy: Policy = load(access)
    admin = Person("Admin", "admin@example.org", (Grant("*", "admin", email="a@x"),), False)
    for org in ("gotland", "gavle"):
        with contextlib.suppress(rounds.RoundRefused):  # opened by an earlier run
            rounds.open_year(live, org, 2012, date(2013, 2, 15), admin, policy)
    mp.setenv("DASHBOARD_DATA_DIR", str(live))
    mp.setenv("DASHBOARD_ACCESS_FILE", str(access))
    for page in pages:
        seen[page.name] = defaultdict(set)
    for params in ({}, {"org": "gotland"}):
        at = AppTest.from_file(APP, default_timeout=120)
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": "ka@gotland.se", "email_verified": True}
        for k, v in params.items():
            at.query_params[k] = v
        current[0] = "shell"  # the first run opens the default page
        at.run()
        for page in pages:
            current[0] = page.name
            at.switch_page(page.path).run()
            assert not at.exception, (page.name, at.exception)
            state = at.session_state
            offered = state["_offered"] if "_offered" in state else {}  # noqa: SIM401
            seen[page.name]["downloads"] |= {k.removeprefix("dl-") for k in offered}


def test_every_page_reads_what_its_record_says(page_runs) -> None:
    for page in PAGES:
        ran = page_runs[page.name]["reads"] - set(SHELL_READS)
        assert ran == set(page.reads) - set(SHELL_READS), page.name


def test_every_page_offers_the_files_its_record_says(page_runs) -> None:
    for page in PAGES:
        assert page_runs[page.name]["downloads"] == set(page.downloads), page.name


def test_every_page_has_its_module_and_title_in_every_language() -> None:
    for page in PAGES:
        tree = ast.parse(page.file.read_text(encoding="utf-8"))
        assert "render" in {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        for lang in LANGS:
            assert lang in TEXTS.get(page.title_key, {}), (page.name, lang)
    assert len({p.name for p in PAGES}) == len(PAGES)
    assert [p.name for p in PAGES if p.default] == ["overview"]


# the checks that keep every page readable, accessible and within the reader's scope, and
# the benchmarks: each walks the registry, none a list of pages of its own
WALKERS = (
    "tests/test_readable_everywhere.py",
    "tests/test_scope_walk.py",
    "tests/test_browser_walk.py",
    "tests/test_charts_accessible.py",
    "tests/test_store.py",
    "benchmarks/run.py",
    "benchmarks/reruns.py",
)


@pytest.mark.parametrize("path", WALKERS)
def test_every_page_check_walks_the_registry(path: str) -> None:
    source = (PROJECT_ROOT / path).read_text(encoding="utf-8")
    assert "ALL_PAGES" in source or "dashboard.app.pages import" in source, path
    names = {p.name for p in PAGES}
    for node in ast.walk(ast.parse(source)):  # no tuple of page names written out
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and len(node.elts) > 2:
            words = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            # a deliberate few pages is a choice; most of them is a list that can fall behind
            assert len([w for w in words if w in names]) <= len(names) // 2, (path, words)


# ---------------------------------------------------------------- languages


def test_every_language_has_its_catalogue_and_every_text() -> None:
    from dashboard.i18n import LOCALE_DIR

    for lang in LANGS:
        assert (LOCALE_DIR / lang / "LC_MESSAGES" / "malbild.po").is_file(), lang
    missing = {lang: [k for k, v in TEXTS.items() if lang not in v] for lang in LANGS}
    assert {lang: keys[:5] for lang, keys in missing.items() if keys} == {}


def test_every_language_takes_its_rules_from_babel() -> None:
    from babel.numbers import format_decimal

    for lang in LANGUAGES:
        assert set(lang.chain) <= set(LANGS) and lang.chain[0] == lang.code
        assert lang.name and lang.name == TEXTS.get("lang.name", {}).get(lang.code, lang.name)
        written = format_decimal(1234.5, locale=lang.code)  # "1 234,5" / "1,234.5" / "1.234,5"
        assert written[-2] == lang.decimal and lang.group in written.replace("\u202f", " ")
        sep, point = dialect(lang.code)
        assert sep != point and point == lang.decimal
        assert lang.plotly_separators[0] == lang.decimal
        money = fmt_money(1234, lang.home_currency or "EUR", lang.code)
        assert ("1" in money) and money != "1234"
    assert language("xx").code == LANGS[0]  # an unknown code: the default language's record


# ---------------------------------------------------------------- column kinds


def test_a_column_name_has_one_kind_in_every_table() -> None:
    kinds: dict[str, set[str]] = defaultdict(set)
    for table in contract.TABLES:
        for col in table.columns:
            kinds[col.name].add(col.kind)
    assert {n: k for n, k in kinds.items() if len(k) > 1} == {}


def test_the_formatters_lists_are_the_registrys() -> None:
    for kind, names in (
        ("date", codes.DATE_COLUMNS),
        ("money", codes.MONEY_COLUMNS),
        ("share", codes.SHARE_COLUMNS),
        ("year", codes.YEAR_COLUMNS),
        ("count", codes.COUNT_COLUMNS),
    ):
        assert names == contract.columns_of(kind)
    for (table, column), domain in codes.COLUMN_DOMAIN.items():
        assert contract.TABLE_BY_NAME[table].column(column).kind == "coded"
        assert domain in codes.DOMAINS
    for sheet in sheets.SHEETS:  # a sheet's drop-down is its contract column's domain
        for col in sheet.cols:
            if col.target:
                target = contract.TABLE_BY_NAME[sheet.table].column(col.target)
                assert col.domain == target.domain, (sheet.key, col.key)


def test_every_number_or_date_a_query_returns_has_a_kind(sample_db) -> None:
    from dashboard.sql.queries import load_query, params_for, query_names
    from tests.helpers import ALL

    unknown = set()
    for name in query_names():
        query = load_query(name)
        extra = {"search": None, "limit": None, "offset": 0, "goal_id": None, "org": None}
        extra["year"] = 2012  # the yearly round's queries
        df = sample_db.df(name, params_for(name, ALL, **extra))
        for col in query.columns:
            if col not in df or col.endswith("_id") or col in ("lat", "lon"):
                continue
            numeric = pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(
                df[col]
            )
            if (numeric or "date" in str(df[col].dtype)) and contract.kind_of(col) is None:
                unknown.add(f"{name}.{col}")
    assert unknown == set()


# ---------------------------------------------------------------- the columns a form keeps

ADMIN = Person("Ada", "ada@example.se", (Grant("*", "admin"),), True)


def test_a_forms_columns_are_its_sheets() -> None:
    from dashboard.imports.editing import FIXED, PARTS

    for part in PARTS.values():
        sheet = sheets.SHEET_BY_KEY[part.sheet]
        assert part.columns == tuple(c.key for c in sheet.cols if c.key not in (*FIXED, *part.key))


def test_every_contract_column_is_in_a_sheet() -> None:
    """A column a user fills in is a column of the coordinator's workbook (by its target,
    or resolved from a name), so the workbook, the forms and the import all carry it."""
    resolved = {"org_id", "strategy_id", "goal_id", "network_id", "project_id", "indicator_id"}
    resolved |= {"activity_id", "parent_goal_id", "parent_network_id", "source"}
    for table in contract.TABLES:
        targets = {c.target for s in sheets.SHEETS if s.table == table.name for c in s.cols}
        for col in table.input_columns:
            if col.name in resolved or table.name in ("activity_goals", "project_goals"):
                continue
            assert col.name in targets, (table.name, col.name)


def _tables(folder: Path) -> dict[str, list[dict]]:
    """Every row of every contract table (not the summaries) of a dataset folder."""
    from tests.helpers import read_rows

    return {t.name: read_rows(folder, t.name) for t in contract.TABLES}


def test_every_contract_column_survives_a_workbook_round_trip(
    sample_dir: Path, tmp_path: Path
) -> None:
    """The whole sample as the coordinator's workbook (each row's id in its hidden column),
    imported into an empty dataset: every row of every table comes back, every column."""
    from dashboard.imports.ingest import ingest
    from dashboard.imports.workbook import dataset_rows
    from dashboard.outputs.workbook import workbook_bytes

    for lang in LANGS:
        book = workbook_bytes(dataset_rows(sample_dir, Scope.everything()), lang)
        out = tmp_path / lang / "data"
        ingest([("workbook.xlsx", book)], out)
        before, after = _tables(sample_dir), _tables(out)
        for name, rows in before.items():
            key = contract.TABLE_BY_NAME[name].key
            order = lambda r, key=key: tuple(str(r[k]) for k in key)  # noqa: E731
            assert sorted(after[name], key=order) == sorted(rows, key=order), (lang, name)


def test_every_contract_column_survives_a_save_in_the_browser(
    sample_dir: Path, tmp_path: Path
) -> None:
    """Every part a form edits, saved unchanged by a coordinator: no row of any table
    changes, no column is emptied (a form once kept only the columns it showed)."""
    from dashboard.imports import editing

    out = tmp_path / "data"
    shutil.copytree(sample_dir, out)
    before = _tables(out)
    for name, part in editing.PARTS.items():
        year = 2013 if part.per_year else 0
        org = "vkl" if name != "activities" else "gotland"
        year = 2010 if name == "activities" else year
        rows = editing.load(out, org, year, "sv", name)
        if not rows:
            continue
        try:
            editing.save(out, org, year, "sv", rows, [dict(r) for r in rows], ADMIN, "", name)
        except editing.LastRowOfYear:
            continue
    assert _tables(out) == before


def test_the_numbers_a_csv_holds_read_back(sample_db) -> None:
    """Money, shares and years in a language's CSV read back as the numbers they are."""
    from dashboard.outputs.export import frame_to_csv

    df = pd.DataFrame({"cost": [1234.5], "eu_rate": [0.667], "year": [2024]})
    for lang in LANGS:
        sep, point = dialect(lang)
        text = frame_to_csv(df, lang).decode("utf-8-sig")
        back = pd.read_csv(io.StringIO(text), sep=sep, decimal=point)
        assert back.iloc[0].tolist() == [1234.5, 0.667, 2024], lang
    assert Filters()  # the registry tests run on the sample's own values
