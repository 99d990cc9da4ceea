"""The interface languages: one record per language, the one list every part reads.

A language is its code, its name written in itself, the languages a missing text falls
back to, and the currency it writes with its own sign. Everything else a language decides
(the decimal mark, digit grouping, where the currency sign goes, the CSV separator Excel
expects, Plotly's separators) is taken from Babel's data for the code, so a language added
here is written right everywhere without a rule of its own in any module.

To add a language: add its record to `LANGUAGES`, and its catalogue
`dashboard/i18n/locale/CODE/LC_MESSAGES/malbild.po` with every key (README, "Adding a
language"). The tests then check it like the others: every text, every placeholder, every
file a page offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale
from babel.numbers import get_decimal_symbol, get_group_symbol


@dataclass(frozen=True)
class Language:
    """An interface language."""

    code: str  # ISO 639-1, as Babel and the browser name it ("sv")
    name: str  # in itself, as the language menu shows it ("Svenska")
    fallback: tuple[str, ...]  # where a missing text is looked for next, in order
    home_currency: str | None = None  # written with the language's own sign ("kr")

    @property
    def decimal(self) -> str:
        """The decimal mark ("," in Swedish)."""
        return str(get_decimal_symbol(self.code))

    @property
    def group(self) -> str:
        """The digit-grouping mark (a no-break space in Swedish, "." in Danish)."""
        return str(get_group_symbol(self.code))

    @property
    def csv_separator(self) -> str:
        """The list separator Excel expects in this language's settings: ";" where the
        decimal mark is a comma (so "7,5" stays one cell), "," elsewhere."""
        return ";" if self.decimal == "," else ","

    @property
    def plotly_separators(self) -> str:
        """Plotly's `separators`: the decimal mark, then the thousands mark (a space where
        the language groups with a space of any width)."""
        group = " " if self.group.isspace() or self.group == "\u202f" else self.group
        return self.decimal + group

    @property
    def sign_first(self) -> bool:
        """Whether the currency sign comes before the amount ("€527,044" in English)."""
        return _currency_pattern(self.code).lstrip().startswith("¤")

    @property
    def chain(self) -> tuple[str, ...]:
        """The language and then its fallbacks: where a text is looked for, in order."""
        return (self.code, *(c for c in self.fallback if c != self.code))


@cache
def _currency_pattern(code: str) -> str:
    return str(Locale.parse(code).currency_formats["standard"].pattern)


LANGUAGES: tuple[Language, ...] = (
    Language("sv", "Svenska", ("en",), "SEK"),
    Language("en", "English", ("sv",)),
    Language("da", "Dansk", ("sv", "en"), "DKK"),
)
DEFAULT_LANG = LANGUAGES[0].code  # the interface's language when the browser's is not one
LANGUAGE_BY_CODE = {lang.code: lang for lang in LANGUAGES}
LANGS = tuple(LANGUAGE_BY_CODE)


def language(code: str) -> Language:
    """The record of *code*; the default language's for a code that is none of ours."""
    return LANGUAGE_BY_CODE.get(code) or LANGUAGE_BY_CODE[DEFAULT_LANG]
