"""The layers are packages, and each imports only the layers below it.

Every import is read from the source (also those inside functions, which hide cycles
from Python but not from a reader), so a new module is checked the day it is added:
- a layer imports only the layers its package's docstring allows (`ALLOWED`);
- outside `dashboard.storage` the storage is reached through its façade, the package
  itself, never a module inside it, so a change of engine is a change behind it;
- only the app imports Streamlit, only `dashboard.storage.engine` imports DuckDB;
- the pages import no storage, no imports and no SQL, and cache nothing of their own;
- no two modules import each other, directly or round a longer cycle;
- no translation with values reaches a Streamlit call that reads Markdown unescaped.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dashboard import PROJECT_ROOT

PACKAGE = PROJECT_ROOT / "dashboard"

#: lowest first; each layer and what it may import (besides itself and `dashboard`)
ALLOWED: dict[str, set[str]] = {
    "settings": set(),
    "i18n": {"settings"},
    "model": {"i18n", "settings"},
    "sql": {"model", "i18n", "settings"},
    "storage": {"sql", "model", "i18n", "settings"},
    "charts": {"model", "i18n", "settings"},
    "outputs": {"charts", "storage", "sql", "model", "i18n", "settings"},
    "imports": {"outputs", "charts", "storage", "sql", "model", "i18n", "settings"},
    "app": {"outputs", "charts", "imports", "storage", "sql", "model", "i18n", "settings"},
    "cli": {"outputs", "charts", "imports", "storage", "sql", "model", "i18n", "settings"},
}
PAGES_MAY_NOT = {"storage", "imports", "sql"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PROJECT_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(source: str) -> Iterator[tuple[str, int]]:
    """Every module *source* imports (`from a import b` counts `a.b` when that is a module)."""
    known = modules()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module:
            assert node.level == 0, f"line {node.lineno}: a relative import"
            submodules = [f"{node.module}.{a.name}" for a in node.names]
            submodules = [m for m in submodules if m in known]
            if len(submodules) < len(node.names):  # names defined in the module itself
                yield node.module, node.lineno
            for m in submodules:
                yield m, node.lineno


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "dashboard" and parts[1] in ALLOWED else None


def test_every_module_is_in_a_layer() -> None:
    loose = [m for m in modules() if m not in ("dashboard", "dashboard.__main__")]
    assert [m for m in loose if layer_of(m) is None] == []


def sources() -> dict[str, str]:
    return {name: path.read_text(encoding="utf-8") for name, path in modules().items()}


def violations(extra: dict[str, str] | None = None) -> list[str]:
    """Every import across a line; *extra*: more modules (name -> source), for the probe."""
    found = []
    for name, text in {**sources(), **(extra or {})}.items():
        layer = layer_of(name)
        where = name
        for target, line in imports_of(text):
            top = target.split(".")[0]
            if top == "streamlit" and layer != "app":
                found.append(f"{where}:{line}: Streamlit outside the app")
            if top == "duckdb" and name != "dashboard.storage.engine":
                found.append(f"{where}:{line}: DuckDB outside dashboard.storage.engine")
            if top != "dashboard" or layer is None:
                continue
            other = layer_of(target)
            if other is None or other == layer:
                continue
            if other not in ALLOWED[layer]:
                found.append(f"{where}:{line}: {layer} may not import {target}")
            elif other == "storage" and target != "dashboard.storage":
                found.append(f"{where}:{line}: {target} past the storage façade")
            if name.startswith("dashboard.app.pages") and other in PAGES_MAY_NOT:
                found.append(f"{where}:{line}: a page imports {target}")
        if name.startswith("dashboard.app.pages") and (
            "cache_data" in text or "cache_resource" in text
        ):
            found.append(f"{where}: a page keeps a cache of its own")
    return found


def test_each_layer_imports_only_what_it_may() -> None:
    assert violations() == []


def cycles(texts: dict[str, str] | None = None) -> list[list[str]]:
    """Strongly connected groups of modules (Tarjan), every import counted."""
    known = modules()
    graph = {
        m: sorted({t for t, _ in imports_of(text) if t in known and t not in (m, "dashboard")})
        for m, text in (texts or sources()).items()
    }
    # a package's __init__ re-exporting its own modules is not a cycle of the layers
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_cycles() -> None:
    assert cycles() == []


@pytest.mark.parametrize(
    ("layer", "target", "why"),
    [
        ("model", "dashboard.app.ui", "may not import"),
        ("outputs", "dashboard.storage.dataset", "past the storage façade"),
        ("app.pages", "dashboard.imports.editing", "a page imports"),
    ],
)
def test_the_check_would_see_a_wrong_import(layer: str, target: str, why: str) -> None:
    """The rule is not vacuous: a module importing across the line is reported."""
    probe = f"dashboard.{layer}._probe"
    source = f"import streamlit\n\n\ndef later():\n    import {target}\n"
    found = violations({probe: source})
    assert any(why in v and v.startswith(probe) for v in found), found
    if layer != "app.pages":
        assert any("Streamlit outside the app" in v and v.startswith(probe) for v in found)


def test_the_check_would_see_a_cycle() -> None:
    """Two modules importing each other inside functions are a cycle all the same."""
    texts = sources()
    texts["dashboard.model.codes"] += "\n\ndef f():\n    import dashboard.model.view\n"
    texts["dashboard.model.view"] += "\n\ndef g():\n    import dashboard.model.codes\n"
    assert ["dashboard.model.codes", "dashboard.model.view"] in cycles(texts)


def unchecked_imports(texts: dict[str, str] | None = None) -> list[str]:
    """Imports of our code that mypy reads as Any without a word: a module pyproject.toml
    lists with `follow_imports = "skip"` (libraries' insides, skipped to keep the type check
    short) may not be imported by us, or our calls into it would go unchecked."""
    import tomllib
    from fnmatch import fnmatch

    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    skipped = [
        pattern
        for override in config["tool"]["mypy"]["overrides"]
        if override.get("follow_imports") == "skip"
        for pattern in override["module"]
    ]
    return [
        f"{name}:{line}: {target} (skipped by mypy as {pattern})"
        for name, text in (texts or sources()).items()
        for target, line in imports_of(text)
        for pattern in skipped
        if fnmatch(target, pattern) or f"{target}.*" == pattern
    ]


def test_mypy_skips_nothing_our_code_imports() -> None:
    assert unchecked_imports() == []
    probe = {"dashboard.app._probe": "def f():\n    import altair\n    import PIL.Image\n"}
    assert len(unchecked_imports(probe)) == 2  # the check would see one


def test_the_readmes_layout_is_the_tree() -> None:
    """Every module is in the README's layout block, and everything the block names is there."""
    from fnmatch import fnmatch

    text = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## How the code is laid out", 1)[1]
    block = section.split("```", 2)[1]
    listed = [line.split()[0] for line in block.splitlines() if line[:1].strip()]

    def only_a_docstring(path: Path) -> bool:  # a layer's __init__: its rule, in the table
        body = ast.parse(path.read_text(encoding="utf-8")).body
        return len(body) == 1 and isinstance(body[0], ast.Expr)

    files = [
        str(p.relative_to(PROJECT_ROOT))
        for p in sorted(PACKAGE.rglob("*.py"))
        if not (p.name == "__init__.py" and only_a_docstring(p))
    ]
    unlisted = [f for f in files if not any(fnmatch(f, pattern) for pattern in listed)]
    assert unlisted == []
    missing = [p for p in listed if not list(PROJECT_ROOT.glob(p.rstrip("/")))]
    assert missing == []


# Streamlit calls that read Markdown in their text (the body, the label, a help or progress
# text): a value from the data or a link must reach them escaped (`safe.md`)
MARKDOWN_CALLS = {
    "markdown", "caption", "info", "warning", "error", "success", "toast", "title", "header",
    "subheader", "metric", "write", "expander", "tabs", "popover", "status", "spinner",
    "button", "download_button", "form_submit_button", "link_button", "page_link", "checkbox",
    "toggle", "radio", "selectbox", "multiselect", "select_slider", "slider", "text_input",
    "text_area", "number_input", "date_input", "time_input", "file_uploader", "progress",
}  # fmt: skip
MARKDOWN_ARGS = {"label", "body", "help", "text"}


def unescaped_translations(source: str) -> Iterator[tuple[int, str]]:
    """(line, call) for each translation with values (`view.t(key, x=...)`, `tn(...)`) or
    f-string with values inside a Markdown-reading call: such values are written as they
    are, so one from the data draws its link, picture or colour. `view.md` and `view.mdn`
    escape a translation's values, `safe.md` any other value. A name counts as safe when
    every value its function assigns to it is (`shown = safe.md(label)`)."""
    tree = ast.parse(source)
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, FUNCTIONS))]
    for scope in scopes:
        safe = _SafeValues(_assigned(scope))
        for node in _own_nodes(scope):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in MARKDOWN_CALLS
            ):
                continue
            texts = node.args[:1] + [k.value for k in node.keywords if k.arg in MARKDOWN_ARGS]
            for text in texts:
                for bad in _unescaped(text, safe):
                    yield node.lineno, ast.unparse(bad)[:80]


FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def _own_nodes(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of *scope*, not those of the functions inside it (each is its own)."""
    for child in ast.iter_child_nodes(scope):
        if not isinstance(child, FUNCTIONS):
            yield child
            yield from _own_nodes(child)


def _assigned(scope: ast.AST) -> dict[str, list[ast.expr]]:
    """Every value *scope* assigns to each of its names (a name assigned by unpacking or a
    loop, whose values are not known one by one, gets an unknown one)."""
    found: dict[str, list[ast.expr]] = {}
    for node in _own_nodes(scope):
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            pairs = [(t, node.value) for t in targets]
        elif isinstance(node, ast.For | ast.comprehension | ast.withitem | ast.NamedExpr):
            target = node.optional_vars if isinstance(node, ast.withitem) else node.target
            value = node.value if isinstance(node, ast.NamedExpr) else ast.Name("?")
            pairs = [(target, value)] if target is not None else []
        else:
            continue
        for target, value in pairs:
            if isinstance(target, ast.Name):
                found.setdefault(target.id, []).append(value)
            else:  # `lo, hi = pair`
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        found.setdefault(name.id, []).append(ast.Name("?"))
    return found


def _unescaped(text: ast.AST, safe: _SafeValues) -> Iterator[ast.AST]:
    """The translations and f-strings in *text* writing a value as it is; what `md`/`mdn`
    escape, and a translation's key (`view.t(f"a11y.{section}")`), are not looked into."""
    if isinstance(text, ast.Call) and _called(text) in ("md", "mdn"):
        return
    if isinstance(text, ast.Call) and _called(text) in ("t", "tn"):
        if not all(safe(k.value) for k in text.keywords):
            yield text
        for arg in text.args[1:]:
            yield from _unescaped(arg, safe)
        return
    if isinstance(text, ast.JoinedStr):  # f"{label}: {problem}"
        parts = [p.value for p in text.values if isinstance(p, ast.FormattedValue)]
        if not all(safe(v) for v in parts):
            yield text
            return
    for child in ast.iter_child_nodes(text):
        yield from _unescaped(child, safe)


# values that are text of the app's own or already escaped: a number, amount, share, date or
# time as the language writes it, a translation, a table's name in the language, an escaped
# value (`safe.md`)
SAFE_VALUES = {"fmt_int", "fmt_num", "fmt_money", "fmt_pct", "fmt_date", "fmt_time", "md", "t"}
SAFE_VALUES |= {"tn", "mdn", "table_label", "fmt_typed"}


def _called(node: ast.AST) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return node.func.id if isinstance(node.func, ast.Name) else None


@dataclass
class _SafeValues:
    """Whether a value is a constant, a formatted number or date, a translation, an
    escaped value, or put together of those (`a if c else ""`, an f-string, `a + b`, a
    name every assignment of which is); `**{k: safe.md(v) ...}` counts by its values."""

    assigned: dict[str, list[ast.expr]]
    looking: set[str] = field(default_factory=set)

    def __call__(self, value: ast.expr) -> bool:
        if isinstance(value, ast.Constant):
            return True
        if isinstance(value, ast.DictComp):
            return self(value.value)
        if isinstance(value, ast.IfExp):
            return self(value.body) and self(value.orelse)
        if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
            return self(value.left) and self(value.right)
        if isinstance(value, ast.JoinedStr):
            return all(self(p.value) for p in value.values if isinstance(p, ast.FormattedValue))
        if isinstance(value, ast.Name) and value.id in self.assigned:
            if value.id in self.looking:  # `x = x + ...`: as safe as its other values
                return True
            self.looking.add(value.id)
            try:
                return all(self(v) for v in self.assigned[value.id])
            finally:
                self.looking.discard(value.id)
        return _called(value) in SAFE_VALUES


def test_no_value_reaches_markdown_unescaped() -> None:
    """Every page and app module writes translations with values into Markdown through
    `view.md`/`view.mdn` (a name, a code or a comment from the data, escaped), so a new
    page cannot draw the data's markup by forgetting it: the Evaluation's note, the Round
    page's headings and a returned part's comment once did (2026-12-07)."""
    found = [
        f"{path.relative_to(PROJECT_ROOT)}:{line}: {call}"
        for path in sorted((PACKAGE / "app").rglob("*.py"))
        for line, call in unescaped_translations(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "use view.md / view.mdn (values escaped) for these:\n" + "\n".join(found)


def test_the_markdown_check_would_see_a_value_written_as_it_is() -> None:
    bad = 'st.info(view.t("round.mine.returned", comment=row["comment"]))'
    assert [line for line, _ in unescaped_translations(bad)] == [1]
    good = 'st.info(view.md("round.mine.returned", comment=row["comment"]))'
    assert list(unescaped_translations(good)) == []
    assert list(unescaped_translations('st.info(view.t("loading"))')) == []
    assert [line for line, _ in unescaped_translations('st.error(f"{label}: {problem}")')] == [1]
    assert list(unescaped_translations('st.error(f"{safe.md(label)}: {md(problem)}")')) == []
