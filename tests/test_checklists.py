"""The README's checklists, followed literally in a copy of the project.

A newcomer adds, by the README's steps and nothing else: a contract column
(`activities.partner_country`) to a dataset already written under the older contract, a
query (activities per partner country), a chart of it, a page ("Partners") that shows it,
and a language (Norwegian bokmål). Each step below is the README's text, word for word
(`test_the_readme_checklists_are_the_ones_this_test_follows`), with what doing it means in
the copy. Then, in the copy:

- the older dataset, its history included, reads, upgrades (recorded) and takes a save, an
  undo and a restore across the change, and the new column survives a save in the browser
  and a workbook's round trip;
- the layering, registry and catalogue tests run there, so the new page is visited by every
  page check, the new language has every text and passes every file test, and the new
  column has its kind and its sheet.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dashboard import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
LOCALE = "dashboard/i18n/locale"

# ---------------------------------------------------------------- editing the copy


def insert_after(root: Path, rel: str, anchor: str, text: str) -> None:
    """Put *text* after the first line of *rel* that holds *anchor*."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if anchor in line)
    lines[at + 1 : at + 1] = text.rstrip("\n").split("\n")
    path.write_text("\n".join(lines), encoding="utf-8")


def write(root: Path, rel: str, text: str) -> None:
    (root / rel).parent.mkdir(parents=True, exist_ok=True)
    (root / rel).write_text(text, encoding="utf-8")


def add_texts(root: Path, texts: dict[str, str], langs: tuple[str, ...] | None = None) -> None:
    """Add messages to every catalogue of the copy (in this test, one wording for all)."""
    from babel.messages import pofile

    for po in sorted((root / LOCALE).glob("*/LC_MESSAGES/malbild.po")):
        lang = po.parent.parent.name
        if langs is not None and lang not in langs:
            continue
        with po.open("rb") as fh:
            catalog = pofile.read_po(fh, locale=lang)
        for key, text in texts.items():
            catalog.add(key, f"{text} ({lang})" if lang != "en" else text)
        with po.open("wb") as fh:
            pofile.write_po(fh, catalog, width=100, sort_output=True)


def run(root: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root), "DASHBOARD_DATA_DIR": str(root / "data")}
    proc = subprocess.run(
        [sys.executable, *args], cwd=root, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert proc.returncode == 0, (args, proc.stdout[-3000:], proc.stderr[-3000:])
    return proc


# ---------------------------------------------------------------- the steps

QUERY_SQL = """-- partner_countries: how many of the selection's activities have each main partner
-- country (none: activities without one).
-- params: org, year_from, year_to
-- columns: partner_country, activities
select a.partner_country, count(*) as activities
from activities a
where ($org is null or a.org_id = any($org))
  and ($year_from is null or a.year >= $year_from)
  and ($year_to is null or a.year <= $year_to)
group by a.partner_country
order by activities desc, a.partner_country
"""

FIGURES = '''"""Figures of the partners: activities per main partner country. Pure builders."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import style


def partner_bar(df: pd.DataFrame, labels: Mapping[str, str], separators: str) -> go.Figure:
    """Activities per main partner country, one bar each."""
    fig = go.Figure(
        go.Bar(
            x=df["activities"],
            y=[str(c) if c else "–" for c in df["partner_country"]],
            orientation="h",
            marker_color=style.OKABE_ITO[0],
            name=labels["activities"],
        )
    )
    return style.layout(fig, labels["title"], separators)
'''

PAGE = '''"""Partners: the selection's activities per main partner country."""

from __future__ import annotations

from functools import partial

import streamlit as st

from dashboard.app import chart_panel, data
from dashboard.charts import partner_figures
from dashboard.i18n import plotly_separators
from dashboard.model.view import View


def render(view: View) -> None:
    """The chart of activities per partner country, its table and its file."""
    st.title(view.t("page.partners"))
    frame = data.query("partner_countries", view.filters)
    labels = {"title": view.t("partners.title"), "activities": view.t("col.activities")}
    fig = partial(partner_figures.partner_bar, frame, labels, plotly_separators(view.lang))
    chart_panel.chart_with_table(view, fig, frame, "partners", "partners")


if __name__ == "__main__":  # run as a page by st.navigation
    from dashboard.app.shell import run_page

    run_page(render)
'''

Step = tuple[str, Callable[[Path], None]]


def _contract_doc_and_data(root: Path) -> None:
    run(root, "-m", "dashboard", "contract", "--out", "docs/data-contract.md")
    run(root, "-m", "dashboard", "ingest", "sample", "--out", "data")  # what make data runs


def _nb_catalogue(root: Path) -> None:
    """A translator's work, stood in for by the Danish wording (a neighbouring language)."""
    target = root / LOCALE / "nb" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(root / LOCALE / "da" / "LC_MESSAGES" / "malbild.po", target / "malbild.po")
    text = (target / "malbild.po").read_text(encoding="utf-8")
    (target / "malbild.po").write_text(text.replace("Language: da", "Language: nb"), "utf-8")


CHECKLISTS: dict[str, list[Step]] = {
    "contract column": [
        (
            "Add the `Column` to its table in `dashboard/model/contract.py` (its type, whether "
            "required, `allowed` and `domain` for a coded column, `money` or `year` for those "
            "kinds).",
            lambda r: insert_after(
                r,
                "dashboard/model/contract.py",
                'Column("department", "str", "Department or office responsible."),',
                '            Column("partner_country", "str", "Main partner\'s country.",'
                " allowed=COUNTRIES),",
            ),
        ),
        (
            "Add a `Migration` with the next version and an `AddColumn` step to `MIGRATIONS` "
            "in `dashboard/model/migrations.py`, so every older dataset and kept version reads "
            "with the column (its default, or empty).",
            lambda r: insert_after(
                r,
                "dashboard/model/migrations.py",
                'Migration(1, "the 12-table contract of Målbild 0.1"),',
                '    Migration(2, "activities.partner_country added",'
                ' (AddColumn("activities", "partner_country"),)),',
            ),
        ),
        (
            "Add a `Col` for it to the table's sheet in `SHEETS` in "
            "`dashboard/model/sheets.py`, so the workbook, the forms and the import carry it.",
            lambda r: insert_after(
                r,
                "dashboard/model/sheets.py",
                'Col("department", "department", width=20),',
                '            Col("partner_country", "partner_country", width=10),',
            ),
        ),
        (
            "Add `col.NAME`, `wb.col.NAME` and `wb.note.NAME` to every catalogue.",
            lambda r: add_texts(
                r,
                {
                    "col.partner_country": "Partner country",
                    "wb.col.partner_country": "Partner country",
                    "wb.note.partner_country": "The main partner's country, as a code (DK).",
                },
            ),
        ),
        (
            "Run `python -m dashboard contract --out docs/data-contract.md`, and `make data` "
            "for the sample.",
            _contract_doc_and_data,
        ),
    ],
    "query": [
        (
            "Write `queries/NAME.sql`: a first comment line saying what it answers, "
            "`-- params:` with the `$names` it binds, `-- columns:` with what it returns; "
            "filter with bound `$params` (`$org`, `$year_from`, `$year_to`, `$goal`), never "
            "text pasted into SQL.",
            lambda r: write(r, "queries/partner_countries.sql", QUERY_SQL),
        ),
        (
            "Give every number or date it computes a kind: a contract column keeps its own; a "
            "new name gets one line in `RESULT_KINDS` in `dashboard/model/contract.py`.",
            lambda r: None,  # `activities` is a count already; partner_country is the contract's
        ),
        (
            "Give every column it returns a header: `col.NAME` in every catalogue "
            "`dashboard/i18n/locale/LANG/LC_MESSAGES/malbild.po`.",
            lambda r: None,  # col.partner_country came with the column, col.activities is there
        ),
    ],
    "chart": [
        (
            "Write a pure builder `def NAME(df, labels, separators) -> go.Figure` in the "
            "`dashboard/charts/TOPIC_figures.py` of its topic, taking colours from "
            "`dashboard/charts/style.py` and finishing with `style.layout(fig, title, "
            "separators)`.",
            lambda r: write(r, "dashboard/charts/partner_figures.py", FIGURES),
        ),
        (
            "Show it on its page with `chart_panel.chart_with_table(view, "
            "partial(TOPIC_figures.NAME, frame, labels, plotly_separators(view.lang)), frame, "
            '"WHAT", "KEY")`: its table, its CSV and the inert text come with it.',
            lambda r: None,  # the page below does, in its render
        ),
        (
            'Name its file: `file.WHAT` in every catalogue, and add `"KEY"` to the `downloads` '
            "of its page's record in `PAGES`.",
            lambda r: add_texts(r, {"file.partners": "partner_countries"}),
        ),
    ],
    "page": [
        (
            "Write `dashboard/app/pages/NAME.py` with `render(view: View) -> None`, which lays "
            "out sections only: reads through `data.query`, charts through "
            "`chart_panel.chart_with_table`, tables through `grids.table_with_download`; end "
            'it with the other pages\' footer: `if __name__ == "__main__":`, then `from '
            "dashboard.app.shell import run_page` and `run_page(render)`.",
            lambda r: write(r, "dashboard/app/pages/partners.py", PAGE),
        ),
        (
            'Register it: one `Page("NAME", "page.NAME", ":material/ICON:", reads=(...), '
            "downloads=(...), charts=True)` in `PAGES` in `dashboard/app/pages/__init__.py`.",
            lambda r: insert_after(
                r,
                "dashboard/app/pages/__init__.py",
                'Page("history", "page.history"',
                '    Page("partners", "page.partners", ":material/public:",'
                ' reads=("partner_countries",), downloads=("partners",), charts=True),',
            ),
        ),
        (
            "Add `page.NAME` and the page's other texts to every catalogue.",
            lambda r: add_texts(r, {"page.partners": "Partners", "partners.title": "Partners"}),
        ),
    ],
    "language": [
        (
            "Add its record to `LANGUAGES` in `dashboard/i18n/languages.py`: "
            '`Language("CODE", "Name in itself", (fallbacks,), "HOME CURRENCY")`.',
            lambda r: insert_after(
                r,
                "dashboard/i18n/languages.py",
                'Language("da", "Dansk"',
                '    Language("nb", "Norsk bokmål", ("da", "sv", "en"), "NOK"),',
            ),
        ),
        (
            "Copy a catalogue to `dashboard/i18n/locale/CODE/LC_MESSAGES/malbild.po` and "
            "translate every message (the code words `code.*` and the workbook's `wb.*` "
            "included: the import reads the new words at once).",
            _nb_catalogue,
        ),
    ],
}


def readme_steps(name: str) -> list[str]:
    """The numbered steps of the README's checklist *name*, as one line each."""
    text = README.read_text(encoding="utf-8")
    block = text.split(f"<!-- checklist: {name} -->", 1)[1].split("<!-- /checklist -->", 1)[0]
    return [re.sub(r"^\d+\.\s+", "", line) for line in block.strip().splitlines()]


def test_the_readme_checklists_are_the_ones_this_test_follows() -> None:
    for name, steps in CHECKLISTS.items():
        assert readme_steps(name) == [text for text, _ in steps], name


# ---------------------------------------------------------------- the copy

BEFORE = """
import sys
from pathlib import Path
from dashboard.imports import editing
from dashboard.model.access import Grant, Person

out = Path("data")
ada = Person("Ada", "ada@example.se", (Grant("*", "admin"),), True)
rows = editing.load(out, "gotland", 2010, "sv")
edited = [dict(r) for r in rows]
edited[0]["activity_title"] = "Rättad före ändringen"
editing.save(out, "gotland", 2010, "sv", rows, edited, ada, "before the change")
"""

AFTER = """
import io
from pathlib import Path

from dashboard.imports import editing, undo
from dashboard.imports.ingest import ingest
from dashboard.imports.workbook import dataset_rows
from dashboard.model.access import Grant, Person, Scope
from dashboard.model.contract import TABLE_BY_NAME
from dashboard.outputs.workbook import workbook_bytes
from dashboard.storage import entries, read_table
from dashboard.storage.engine import Database
from dashboard.sql.queries import params_for
from dashboard.model.filters import Filters

out = Path("data")
ada = Person("Ada", "ada@example.se", (Grant("*", "admin"),), True)
acts = TABLE_BY_NAME["activities"]
log = entries(out)
actions = [e.action for e in log]
# the older dataset: built, saved, then upgraded (recorded) by the first write, make data
assert actions[:4] == ["import", "save", "upgrade", "import"], actions
assert "partner_country" in log[2].comment, log[2].comment
# the version saved before the change reads in today's shape
old = read_table(out, acts, version=2)
assert "partner_country" in old.column_names
assert set(old.column("partner_country").to_pylist()) == {None}
assert "Rättad före ändringen" in old.column("title").to_pylist()
# a save in the browser sets it, and it is stored
rows = editing.load(out, "gotland", 2010, "sv")
edited = [dict(r) for r in rows]
edited[0]["partner_country"] = "DK"
editing.save(out, "gotland", 2010, "sv", rows, edited, ada, "a partner")
saved = entries(out)[-1].version
now = read_table(out, acts).to_pylist()
assert sum(r["partner_country"] == "DK" for r in now) == 1
# the query and the page's numbers see it
db = Database(out)
found = db.df("partner_countries", params_for("partner_countries", Filters(("gotland",))))
assert "DK" in found["partner_country"].tolist()
db.close()
# a workbook's round trip keeps it (every language)
for lang in ("sv", "nb"):
    book = workbook_bytes(dataset_rows(out, Scope.everything(), ["gotland"]), lang)
    copy = Path(f"roundtrip-{lang}")
    ingest([("book.xlsx", book)], copy)
    back = read_table(copy, acts).to_pylist()
    assert sum(r["partner_country"] == "DK" for r in back) == 1, lang
# undo the save: the column is empty again, the rest as it was
undo.undo(out, saved, ada, "undo")
assert not [r for r in read_table(out, acts).to_pylist() if r["partner_country"]]
# restore the version saved under the older contract
undo.restore(out, 2, ada, entries(out)[-1].version, "restore")
back = read_table(out, acts)
assert "Rättad före ändringen" in back.column("title").to_pylist()
assert set(back.column("partner_country").to_pylist()) == {None}
print("ok", [e.action for e in entries(out)])
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project (what git tracks), with a dataset of today's contract built
    from the sample and one save recorded: the deployed state before the change."""
    root = tmp_path_factory.mktemp("checklists") / "malbild"
    found = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
    )
    if found.returncode == 0:
        listed = found.stdout.split("\n")
    else:  # not a checkout (an unpacked archive): the tree without what is built or local
        skip = {".git", ".venv", "data", "test-output", ".mypy_cache", ".ruff_cache"}
        listed = [
            str(p.relative_to(PROJECT_ROOT))
            for p in PROJECT_ROOT.rglob("*")
            if p.is_file()
            and not skip & set(p.relative_to(PROJECT_ROOT).parts)
            and "__pycache__" not in p.parts
        ]
    for rel in listed:
        if rel and not rel.startswith("data/") and (PROJECT_ROOT / rel).is_file():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(PROJECT_ROOT / rel, root / rel)
    run(root, "-m", "dashboard", "ingest", "sample", "--out", "data")
    run(root, "-c", BEFORE)
    return root


def test_the_checklists_give_a_working_fully_checked_addition(project: Path) -> None:
    for name in ("contract column", "query", "chart", "page", "language"):
        for _, action in CHECKLISTS[name]:
            action(project)
    done = run(project, "-c", AFTER)
    assert done.stdout.startswith("ok"), done.stdout
    checks = [
        "tests/test_layers.py",
        "tests/test_registries.py",
        "tests/test_catalogue.py",
        "tests/test_i18n_numbers.py",
    ]
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *checks],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-4000:]
    passed = re.search(r"(\d+) passed", proc.stdout)
    assert passed and int(passed.group(1)) >= 40, proc.stdout[-500:]  # every check ran there
    # the new page, language and column were really there to be checked
    from_copy = (project / "dashboard/i18n/languages.py").read_text(encoding="utf-8")
    assert '"nb"' in from_copy and (project / "dashboard/app/pages/partners.py").is_file()
