"""What a manager reads carries no internal id and no stored code: every page in Swedish,
on the sample and on a generated dataset, with and without filters.

The text is gathered from everything Streamlit draws (titles, Markdown, captions, notices,
metrics, tabs, expanders), from every visible column of every table, and from every text a
Plotly chart shows (titles, axis ticks and titles, legend names, labels, hover texts). An id
is any key of the dataset (org_id, goal_id, network_id, ...) found as a whole word; a stored
code is a code of a coded column whose Swedish word differs from it, found as a whole cell,
a whole chart label or part of one, or (codes with an underscore) anywhere.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.app.pages import PAGES_DIR
from dashboard.i18n import LANGS
from dashboard.model import codes
from dashboard.model.access import Scope
from dashboard.outputs.export import dialect
from tests.conftest import ROOT
from tests.helpers import ALL_PAGES, open_table_tabs, read_rows, stored

APP = str(ROOT / "streamlit_app.py")

ID_COLUMNS = {
    "organisations": "org_id",
    "strategies": "strategy_id",
    "goals": "goal_id",
    "networks": "network_id",
    "projects": "project_id",
    "activities": "activity_id",
    "indicators": "indicator_id",
}
# Keys of a Plotly trace or layout whose strings the reader sees.
SHOWN_KEYS = {
    "text",
    "hovertext",
    "labels",
    "name",
    "x",
    "y",
    "customdata",
    "ticktext",
    "header",
    "cells",
    "values",
    "legendgrouptitle",
}
WORD = re.compile(r"[\w.\-]+")


def dataset_ids(folder: Path) -> set[str]:
    ids: set[str] = set()
    for table, col in ID_COLUMNS.items():
        ids |= {str(r[col]) for r in read_rows(folder, table)}
    return ids


def stored_codes(lang: str = "sv") -> set[str]:
    """Codes a reader of *lang* must never see: their word in *lang* is something else (in
    English "days" is the word as well as the code)."""
    out = set()
    for domain, values in codes.DOMAINS.items():
        for code in values:
            words = {codes.label(domain, c, lang).lower() for c in values}
            if (
                codes.label(domain, code, lang).lower() != code.lower()
                and code.lower() not in words
            ):
                out.add(code)
    return out


def _strings(value: object, shown: bool = False) -> Iterator[str]:
    """Every string a Plotly spec shows: values under SHOWN_KEYS and every title's text."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("ids", "parents", "uid", "meta", "legendgroup", "hovertemplate"):
                continue  # internal references, not drawn as text
            if k == "title" or k == "annotations" or (k == "text" and shown):
                yield from _strings(v, True)
            else:
                yield from _strings(v, shown or k in SHOWN_KEYS)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, shown)
    elif isinstance(value, str) and shown:
        yield value


def page_texts(at: AppTest) -> Iterator[tuple[str, str]]:
    """(where, text) for everything the page shows a reader."""
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning"):
        for e in getattr(at, kind):
            yield kind, str(e.value)
    for kind in ("error", "success"):
        for e in getattr(at, kind):
            yield kind, str(e.value)
    for m in at.metric:
        yield "metric", f"{m.label} {m.value}"
    for tab in at.tabs:
        yield "tab", str(tab.label)
    for ex in at.expander:
        yield "expander", str(ex.label)
    for box in (*at.selectbox, *at.multiselect):
        yield "filter", " | ".join(str(o) for o in box.options)
    for chart in at.get("plotly_chart"):
        spec = json.loads(chart.proto.spec)
        for s in _strings(spec):
            yield "chart", s


def table_cells(at: AppTest) -> Iterator[tuple[str, str]]:
    """(column, cell) for every visible cell of every table. Each table is read once:
    AppTest's `.value` decodes the table's Arrow bytes on every access (asked per column,
    it was 13 s of this file's 34)."""
    for d in at.dataframe:
        config = json.loads(d.proto.columns) if d.proto.columns else {}
        frame = d.value
        for col in frame.columns:
            if config.get(str(col), {}).get("hidden"):
                continue
            for v in frame[col]:
                if isinstance(v, str):
                    yield str(col), v


@functools.cache
def key_prefixes() -> frozenset[str]:
    """The first parts of the catalogue's dotted keys ("code", "round", "col", ...)."""
    from babel.messages import pofile

    from dashboard.i18n import LOCALE_DIR

    with (LOCALE_DIR / "en" / "LC_MESSAGES" / "malbild.po").open("rb") as fh:
        return frozenset(str(m.id).split(".")[0] for m in pofile.read_po(fh) if "." in str(m.id))


KEY = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")
FILE_ENDINGS = {"csv", "xlsx", "zip", "pdf", "docx", "png", "json", "toml", "sql", "md", "txt"}


def catalogue_keys(words: set[str], prefixes: frozenset[str]) -> set[str]:
    """Words that read as a catalogue key a text was missing for ("code.round_state.open":
    `t` gives the key back when the catalogue lacks it); a file's name ("data.csv") is none."""
    return {
        w
        for w in words
        if KEY.match(w)
        and w.split(".")[0] in prefixes
        and not (w.count(".") == 1 and w.split(".")[1] in FILE_ENDINGS)
    }


def offences(at: AppTest, ids: set[str], stored: set[str]) -> list[tuple[str, str, str]]:
    found = []
    underscored = {c for c in stored if "_" in c}
    prefixes = key_prefixes()
    for where, text in page_texts(at):
        words = set(WORD.findall(text))
        parts = {p.strip() for p in re.split(r" · |, |\(|\)", text)}
        for bad in (words & ids) | (words & underscored) | catalogue_keys(words, prefixes):
            found.append((where, bad, text[:120]))
        if where == "chart":
            for bad in parts & stored:
                found.append((where, bad, text[:120]))
    for col, cell in table_cells(at):
        words = set(WORD.findall(cell))
        keys = catalogue_keys(words, prefixes)
        for bad in (words & ids) | (words & underscored) | ({cell.strip()} & stored) | keys:
            found.append((f"table:{col}", bad, cell[:120]))
    return found


def visit(folder: Path, monkeypatch: pytest.MonkeyPatch, params: list[dict[str, str]]) -> list:
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(folder))
    ids, stored = dataset_ids(folder), stored_codes()
    found = []
    for p in params:
        at = AppTest.from_file(APP, default_timeout=90)
        for k, v in {"lang": "sv", **p}.items():
            at.query_params[k] = v
        at.run()
        for page in ALL_PAGES:
            at.switch_page(f"dashboard/app/pages/{page}.py").run()
            assert not at.exception, (page, p, at.exception)
            found += [(page, str(p), *o) for o in offences(at, ids, stored)]
            open_table_tabs(at, "sv")  # the charts' tables too
            assert not at.exception, (page, p, at.exception)
            found += [(page, str(p), *o) for o in offences(at, ids, stored)]
    return found


def test_the_checker_finds_an_id_and_a_code() -> None:
    """The check itself: it flags the very things issue #11 found on the pages."""
    ids = {"alvsbyn", "gotland-2009-01"}
    stored = {"running", "lead_partner"}

    class Fake:
        title = header = subheader = caption = info = warning = error = success = ()
        metric = tabs = expander = selectbox = multiselect = dataframe = ()
        markdown = (type("M", (), {"value": "Mål: alvsbyn · M2 och lead_partner"})(),)

        def get(self, kind: str) -> list:
            spec = {"data": [{"x": ["running", "Beviljat"], "ids": ["gotland-2009-01"]}]}
            return [type("C", (), {"proto": type("P", (), {"spec": json.dumps(spec)})()})()]

    found = {(w, bad) for w, bad, _ in offences(Fake(), ids, stored)}  # type: ignore[arg-type]
    assert found == {("markdown", "alvsbyn"), ("markdown", "lead_partner"), ("chart", "running")}
    # and a text the catalogue lacked, shown as its key (the Round page's choice of a part)
    Fake.selectbox = (type("S", (), {"options": ["Tekniska (code.round_state.open)"]})(),)
    found = {(w, bad) for w, bad, _ in offences(Fake(), set(), set())}  # type: ignore[arg-type]
    assert ("filter", "code.round_state.open") in found


def test_no_id_or_stored_code_on_any_page_of_the_sample(sample_dir: Path, monkeypatch) -> None:
    params = [
        {},
        {"org": "gotland", "year": "2009"},
        {"org": "slagelse,vkl,gavle", "goal": "slagelse-t1,gavle-m1"},
        {"org": "alvsbyn,gotland", "from": "2019", "to": "2024"},
    ]
    assert visit(sample_dir, monkeypatch, params) == []


def test_no_id_or_stored_code_on_any_page_of_a_generated_dataset(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch
) -> None:
    from dashboard.storage import synth

    out = tmp_path_factory.mktemp("synth-readable") / "data"
    synth.generate(3_000, out, seed=11)
    orgs = stored(out, "organisations")["org_id"]
    two = ",".join(str(o) for o in orgs.to_pylist()[:2])
    assert visit(out, monkeypatch, [{}, {"org": two, "from": "2015", "to": "2020"}]) == []


def column_names() -> set[str]:
    """Every column name a query returns (what a header must never read as)."""
    import re as _re

    from dashboard.sql.queries import QUERY_DIR

    out: set[str] = set()
    for path in QUERY_DIR.glob("*.sql"):
        m = _re.search(r"^-- columns: (.*)$", path.read_text(encoding="utf-8"), _re.M)
        if m:
            out |= {c.strip() for c in m.group(1).split(",")}
    return out


def file_offences(
    name: str, df, ids: set[str], stored: set[str], lang: str = "sv"
) -> list[tuple[str, str, str]]:
    """What a Swedish or Danish file must not hold: an id, a stored code, a query's own
    column name as a header (`networks`), an English word of the browser walk's list, a
    share written with more digits than the page shows."""
    from tests.test_browser_walk import english_words

    found = []
    underscored = {c for c in stored if "_" in c}
    raw_names = column_names() - {"source"}  # "source" is no word a header shows
    for col in df.columns:
        header = str(col).lstrip("\ufeff")
        if header in raw_names:
            found.append((f"{name}:{col}", "header", header))
        for bad in english_words(header, lang):
            found.append((f"{name}:{col}", bad, header))
        for v in df[col]:
            if isinstance(v, str):
                words = set(WORD.findall(v))
                for bad in (words & ids) | (words & underscored) | ({v.strip()} & stored):
                    found.append((f"{name}:{col}", bad, v[:120]))
                for bad in english_words(v, lang):
                    found.append((f"{name}:{col}", bad, v[:120]))
            elif isinstance(v, float) and v == v and len(repr(v).split(".")[-1]) > 6:
                found.append((f"{name}:{col}", "digits", repr(v)))
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_no_id_or_stored_code_in_any_download_or_the_annual_workbook(
    sample_dir: Path, monkeypatch, lang: str
) -> None:
    """Every CSV a page offers (as the button would write it) and the annual compilation
    (workbook and zip), in every language of the registry on the sample, with the language's
    headers and separator."""
    import io
    import zipfile

    import pandas as pd

    from dashboard.i18n import t
    from dashboard.model.filters import Filters
    from dashboard.outputs import report
    from dashboard.storage.engine import Database

    got: dict[str, pd.DataFrame] = {}
    monkeypatch.setattr(
        "dashboard.app.downloads.download",
        lambda view, what, frame, key, slug=None: got.update({key: frame()}),
    )
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
    ids, stored = dataset_ids(sample_dir), stored_codes(lang)
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    for page in ALL_PAGES:
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
    assert len(got) >= 20
    found = []
    for key, df in got.items():
        found += file_offences(key, df, ids, stored, lang)
    # the Activities page's own download, as its button writes it
    from dashboard.app.pages import activities
    from dashboard.model.view import View

    names = Database(sample_dir).df("organisations")
    view = View(
        lang,
        Filters(),
        dict(zip(names["org_id"], names["name"], strict=True)),
        scope=Scope.everything(),
    )
    sep = dialect(lang)[0]
    csv = pd.read_csv(io.BytesIO(activities.whole_selection(view, None)), sep=sep, dtype=str)
    header = [t(f"col.{c}", lang) for c in activities.COLUMNS]
    assert [c.lstrip("\ufeff") for c in csv.columns] == header  # the table's own headers
    assert len(csv) == 98
    found += file_offences("activities", csv, ids, stored, lang)
    comp = report.compile_year(Database(sample_dir), Filters(("slagelse", "vkl")), lang)
    assert comp is not None
    for name, df in pd.read_excel(io.BytesIO(comp.xlsx(lang)), sheet_name=None).items():
        found += file_offences(f"xlsx:{name}", df, ids, stored, lang)
    with zipfile.ZipFile(io.BytesIO(comp.zip(lang))) as zf:
        for name in zf.namelist():
            df = pd.read_csv(zf.open(name), sep=sep, dtype=str, encoding="utf-8-sig")
            found += file_offences(f"zip:{name}", df, ids, stored, lang)
    assert found == []


def test_every_download_is_named_after_what_it_holds_uniquely_on_its_page(
    sample_dir: Path, monkeypatch
) -> None:
    """On every page (Swedish, Slagelse 2011-2013, a goal chosen), no two downloads share a
    file name, and every name is Swedish (no 'all', 'allyears' or a goal's id); the
    Evaluation's files say the year they hold (2013), and the roll-up's file is the roll-up."""
    import io

    import pandas as pd

    from dashboard.i18n import t

    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
    at = AppTest.from_file(APP, default_timeout=90)
    link = {"lang": "sv", "org": "slagelse", "from": "2011", "to": "2013", "goal": "slagelse-t2"}
    for k, v in link.items():
        at.query_params[k] = v
    at.run()
    for page in ALL_PAGES:
        at.switch_page(f"dashboard/app/pages/{page}.py").run()
        assert not at.exception, page
        offered = at.session_state["_offered"]
        names = [name for name, _ in offered.values()]
        assert len(names) == len(set(names)), (page, sorted(names))
        for name in names:
            assert not re.search(r"_all_|allyears|goal-|slagelse-t2", name), (page, name)
        if page == "evaluation":
            csvs = [n for n in names if n.endswith(".csv")]
            assert csvs and all("_2013" in n or "_alla-ar" in n for n in csvs), csvs
            name, build = offered["dl-eval-rollup"]
            df = pd.read_csv(io.BytesIO(build()), sep=";", encoding="utf-8-sig")
            assert t("col.verdict", "sv") in df.columns and t("col.name", "sv") not in df.columns


def test_no_page_hands_a_download_a_lambda() -> None:
    """A lambda reads its variables when the button is clicked, not when it is drawn: the
    Evaluation once offered the roll-up's button with the indicator list, because the page
    reused the name `shown`. Downloads take a bound `functools.partial` instead."""
    import ast

    found = []
    for path in sorted((PAGES_DIR).glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("download", "table_with_download", "chart_with_table")
                and any(
                    isinstance(a, ast.Lambda)
                    for a in [*node.args, *(k.value for k in node.keywords)]
                )
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []
