"""Queries: one SQL file a query in `queries/`, loaded by name and checked.

Each file starts with a comment header: what it answers, `-- params:` (the `$names` it
binds) and `-- columns:` (what it returns). The declared parameters are checked against
the ones the SQL uses when the file is read and against the ones given when it runs, so a
query can neither miss a filter nor receive one it ignores. Pure: no DuckDB here; the
engine (`dashboard.storage`) runs what this module hands it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from dashboard import PROJECT_ROOT
from dashboard.model.filters import Filters

QUERY_DIR = PROJECT_ROOT / "queries"
MACRO_DIR = QUERY_DIR / "macros"  # shared parts of queries, created on every connection
SUMMARY_DIR = QUERY_DIR / "summaries"  # how the import builds each summary table
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_HEADER = re.compile(r"^--\s*(params|columns):\s*(.*)$", re.IGNORECASE)


class QueryError(Exception):
    """An unknown query, or parameters that do not match what the query declares."""


@dataclass(frozen=True)
class Query:
    """A SQL file: its text, the parameters it declares and the columns it returns."""

    name: str
    sql: str
    params: tuple[str, ...]
    columns: tuple[str, ...]
    doc: str


def _split_names(text: str) -> tuple[str, ...]:
    text = text.strip()
    if text.lower() in ("", "none", "-"):
        return ()
    return tuple(p.strip().split(" ")[0] for p in text.split(",") if p.strip())


def parse_query(name: str, sql: str) -> Query:
    """Read a query's comment header and check declared parameters against used ones."""
    declared: tuple[str, ...] | None = None
    columns: tuple[str, ...] = ()
    doc: list[str] = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            if line.strip():
                break
            continue
        m = _HEADER.match(line)
        if m and m.group(1).lower() == "params":
            declared = _split_names(m.group(2))
        elif m:
            columns = _split_names(m.group(2))
        else:
            doc.append(line.lstrip("-").strip())
    if declared is None:
        raise QueryError(f"query {name!r} has no '-- params:' header line")
    body = "\n".join(ln for ln in sql.splitlines() if not ln.lstrip().startswith("--"))
    used = set(_PARAM.findall(body))
    if used != set(declared):
        raise QueryError(f"query {name!r} declares {sorted(declared)} but uses {sorted(used)}")
    if not columns:
        raise QueryError(f"query {name!r} has no '-- columns:' header line")
    return Query(name, sql, declared, columns, " ".join(d for d in doc if d))


def query_names() -> list[str]:
    """Names of every query in `queries/`."""
    return sorted(p.stem for p in QUERY_DIR.glob("*.sql"))


@cache
def load_query(name: str) -> Query:
    """The query called *name*; raises QueryError for an unknown name."""
    if not re.fullmatch(r"[a-z0-9_]+", name) or not (QUERY_DIR / f"{name}.sql").is_file():
        raise QueryError(f"unknown query {name!r}; known: {', '.join(query_names())}")
    return parse_query(name, (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8"))


def params_for(name: str, filters: Filters, **extra: Any) -> dict[str, Any]:
    """The parameters query *name* declares, taken from the filters and *extra*."""
    declared = load_query(name).params
    values = {**filters.params(), **extra}
    return {p: values[p] for p in declared if p in values}


def bind(query: Query, params: Mapping[str, Any]) -> dict[str, Any]:
    """Check *params* against the query's declaration; returns them as DuckDB binds them."""
    missing = [p for p in query.params if p not in params]
    extra = [p for p in params if p not in query.params]
    if missing:
        raise QueryError(f"query {query.name!r} needs parameter(s) {', '.join(missing)}")
    if extra:
        raise QueryError(f"query {query.name!r} does not declare parameter(s) {', '.join(extra)}")
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items()}
