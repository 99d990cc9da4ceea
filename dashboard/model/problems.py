"""What an import, an upload or (later) an edit found wrong: located, keyed, in any language.

A `Problem` names the file (or sheet), the row as the spreadsheet shows it (the header
is row 1), the column, and a message key with its values; the text is looked up in the
catalogue when it is shown, so the same problem reads in Swedish on the Data page and in
English in a script's log. `report` puts the root causes first, groups repeats and caps
what is printed: one unknown goal referenced from 1,442 rows is one line, not 1,442.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from dashboard.i18n import fmt_int, t, tn
from dashboard.model.contract import TABLES

ERROR = "error"
WARNING = "warning"

# Problems about a whole file or its header come before row problems; tables in the
# contract's order (organisations first), since a bad goal row causes unknown-goal
# problems in every table that refers to it.
_TABLE_ORDER = {tb.name: i for i, tb in enumerate(TABLES)}


def _values(values: Mapping[str, object]) -> tuple[tuple[str, object], ...]:
    return tuple(sorted(values.items()))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the source, located as precisely as we can."""

    file: str
    row: int
    column: str
    key: str
    values: tuple[tuple[str, object], ...] = field(default=())
    level: str = ERROR
    table: str = ""

    @classmethod
    def of(
        cls,
        file: str,
        row: int,
        column: str,
        key: str,
        /,
        level: str = ERROR,
        table: str = "",
        **values: object,
    ) -> Problem:
        """A problem with its message key and the values the message names."""
        return cls(file, row, column, key, _values(values), level, table)

    def text(self, lang: str = "en") -> str:
        """The message in *lang*, numbers as the language writes them."""
        shown = {k: _show(v, lang) for k, v in self.values}
        return t(f"problem.{self.key}", lang, **shown)

    @property
    def message(self) -> str:
        """The English message (the command line's default)."""
        return self.text("en")

    def line(self, lang: str = "en") -> str:
        """`file:row:column: message`, as the command line prints it."""
        return f"{self.file}:{self.row}:{self.column}: {self.text(lang)}"

    def __str__(self) -> str:
        return self.line("en")

    def sort_key(self) -> tuple:
        """Whole files and headers first (a file that cannot be read at all, whatever row it
        stopped at: the unknown ids it leaves in other tables follow from it), then tables
        in the contract's order, then rows."""
        return (
            0 if self.row <= 1 or self.column == "-" else 1,
            _TABLE_ORDER.get(self.table, len(_TABLE_ORDER)),
            self.file,
            self.row,
            self.column,
            self.key,
        )


def _show(value: object, lang: str) -> object:
    """A value as the message shows it: whole numbers grouped, other numbers as written."""
    if isinstance(value, bool):
        return value
    if hasattr(value, "text") and callable(value.text):  # words listed in the language
        return value.text(lang)
    if isinstance(value, int):
        return fmt_int(value, lang) if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return _show(int(value), lang)
        from dashboard.i18n import fmt_num

        return fmt_num(value, lang, 6)
    return value


class ImportFailed(Exception):
    """Raised with every problem found; nothing has been written."""

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()):
        self.problems = sorted(problems, key=Problem.sort_key)
        self.warnings = sorted(warnings, key=Problem.sort_key)
        super().__init__(f"{len(self.problems)} problem(s) in the import")


@dataclass(frozen=True)
class Group:
    """Problems with the same file, column and message: the first row, and how many more."""

    first: Problem
    rows: tuple[int, ...]

    def line(self, lang: str) -> str:
        """The first problem, then '… and N more rows with the same problem (rows …)'."""
        return self.first.line(lang) + self.more(lang)

    def more(self, lang: str) -> str:
        """' … and N more rows with the same problem (rows …)', or '' for one row: the
        printed line's ending and the Data page's message column alike."""
        more = len(self.rows) - 1
        if not more:
            return ""
        shown = ", ".join(str(r) for r in self.rows[1:6]) + (", …" if more > 5 else "")
        return " " + tn("problem.more_rows", more, lang, n=fmt_int(more, lang), rows=shown)


def group(problems: Iterable[Problem]) -> list[Group]:
    """Repeats of one message (same file, column, key and values) folded into one group,
    root causes first (see Problem.sort_key)."""
    groups: dict[tuple, list[Problem]] = {}
    for p in sorted(problems, key=Problem.sort_key):
        groups.setdefault((p.file, p.column, p.key, p.values, p.level), []).append(p)
    out = [Group(ps[0], tuple(p.row for p in ps)) for ps in groups.values()]
    return sorted(out, key=lambda g: g.first.sort_key())


def report(problems: Iterable[Problem], lang: str, limit: int = 40) -> list[str]:
    """Lines to print: grouped, causes first, at most *limit* groups and a line saying how
    many were left out."""
    groups = group(problems)
    lines = [g.line(lang) for g in groups[:limit]]
    if len(groups) > limit:
        rest = sum(len(g.rows) for g in groups[limit:])
        lines.append(tn("problem.more_groups", rest, lang, n=fmt_int(rest, lang)))
    return lines
