"""Interface texts in every language of the registry (`languages.LANGUAGES`), and numbers
and dates formatted for each.

Every text lives in one gettext catalogue per language, `dashboard/i18n/locale/LANG/LC_MESSAGES/
malbild.po` (Babel reads them; a translator edits them with any PO editor, no Python), with
the text's key as msgid: `t("filter.orgs", "sv")`. Data texts (goal titles, activity
titles) are never translated: they stay as the documents wrote them. A missing text falls
back along the language's record (`Language.fallback`: Danish to Swedish, then English).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import (
    format_currency,
    format_percent,
    get_decimal_symbol,
    get_group_symbol,
)

from dashboard import settings
from dashboard.i18n.languages import DEFAULT_LANG, LANGS, language

LANG_NAMES = {code: language(code).name for code in LANGS}

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def _load() -> dict[str, dict[str, str]]:
    """Every text by key and language, read from the gettext catalogues in `locale/`
    (`LANG/LC_MESSAGES/malbild.po`, edited with any PO editor; msgid is the key)."""
    from babel.messages.pofile import read_po

    texts: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        with open(LOCALE_DIR / lang / "LC_MESSAGES" / "malbild.po", "rb") as fh:
            catalog = read_po(fh, locale=lang)
        for message in catalog:
            if message.id and message.string:
                texts.setdefault(str(message.id), {})[lang] = str(message.string)
    return texts


TEXTS: dict[str, dict[str, str]] = _load()


def t(key: str, lang: str, **values: object) -> str:
    """The text for *key* in *lang*, with ``{placeholders}`` filled in."""
    entry = TEXTS.get(key)
    if entry is None:
        return key
    for candidate in language(lang).chain if lang in LANGS else (lang, DEFAULT_LANG):
        if candidate in entry:
            return entry[candidate].format(**values) if values else entry[candidate]
    return key


def tn(key: str, count: int, lang: str, /, **values: object) -> str:
    """*key*'s text for *count* things: `KEY.one` for exactly one where the catalogue has
    it ("1 aktivitet", "1 rad"), else KEY ("{n} aktiviteter"). Swedish, Danish and English
    all have these two forms."""
    if count == 1 and f"{key}.one" in TEXTS:
        key = f"{key}.one"
    return t(key, lang, **values)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@cache
def _symbols(lang: str) -> tuple[str, str]:
    return get_group_symbol(lang), get_decimal_symbol(lang)


def _decimal(value: Decimal, lang: str, digits: int) -> str:
    """What Babel's format_decimal writes with the pattern "#,##0.##" (*digits* optional
    decimals, half-even rounding of the decimal value), written directly: a table formats
    thousands of cells a rerun, and Babel takes 12-30 µs a number where this takes 2.
    `tests/test_i18n_numbers.py` compares the two on thousands of values."""
    text = f"{value.quantize(Decimal(1).scaleb(-digits), ROUND_HALF_EVEN):,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    negative = text.startswith("-")
    group, point = _symbols(lang)
    text = text.lstrip("-").replace(",", "\0").replace(".", point).replace("\0", group)
    return "-" + text if negative else text


def fmt_int(value: object, lang: str) -> str:
    """A whole number with the language's digit grouping (1 234 / 1,234 / 1.234)."""
    if _missing(value):
        return "–"
    return _decimal(Decimal(int(value)), lang, 0)  # type: ignore[call-overload]


def fmt_num(value: object, lang: str, digits: int = 1) -> str:
    """A number with at most *digits* decimals, in the language's format."""
    if _missing(value):
        return "–"
    return _decimal(Decimal(str(float(value))), lang, digits)  # type: ignore[arg-type]


# The currency each language writes with its own sign ("kr", "kr.": `Language.home_currency`);
# the euro has its sign everywhere; every other currency is written with its ISO code, which
# reads the same in every language (a Swedish reader does not know "Dkr").


def fmt_money(value: object, currency: str | None, lang: str) -> str:
    """An amount with its currency, without decimals, as the language writes money:
    "14 260 000 kr" and "527 044 €" in Swedish, "SEK 14,260,000" and "€527,044" in English,
    "14.260.000 kr." in Danish."""
    if _missing(value):
        return "–"
    if not currency:
        return fmt_num(value, lang, 0)
    number = fmt_num(round(float(value)), lang, 0)  # type: ignore[arg-type]
    first = language(lang).sign_first
    if currency == "EUR" or language(lang).home_currency == currency:
        return format_currency(
            float(value),  # type: ignore[arg-type]
            currency,
            format="¤#,##0" if first else "#,##0 ¤",
            locale=lang,
            currency_digits=False,
        )
    return f"{currency}\u00a0{number}" if first else f"{number}\u00a0{currency}"


def fmt_pct(value: object, lang: str) -> str:
    """A share as a percentage with one decimal (76,6 %)."""
    if _missing(value):
        return "–"
    return format_percent(float(value), format="#,##0.0 %", locale=lang)  # type: ignore[arg-type]


def fmt_date(value: date | None, lang: str) -> str:
    """A date in the language's medium format (30 sep. 2019 / Sep 30, 2019)."""
    if value is None:
        return "–"
    return format_date(value, format="medium", locale=lang)


TIME_ZONE = "DASHBOARD_TIME_ZONE"  # the organisation's zone: Europe/Stockholm by default
DEFAULT_TIME_ZONE = "Europe/Stockholm"


def time_zone() -> ZoneInfo:
    """The zone times are shown in (`DASHBOARD_TIME_ZONE`, e.g. Europe/Copenhagen for a
    Danish municipality; Europe/Stockholm when unset; a name of no zone is refused,
    `settings.zone`). Times are stored in UTC."""
    return settings.zone(TIME_ZONE, DEFAULT_TIME_ZONE)


def fmt_time(value: datetime | str | None, lang: str) -> str:
    """A stored time (UTC, ISO) as the language writes it in the organisation's zone, its
    date as `fmt_date` writes dates: '3 dec. 2026 13:18' (sv), '3. dec. 2026 13.18' (da);
    as given when it is no time, '–'
    for none. A time without a zone is taken as UTC, as the record writes it."""
    if value is None or value == "":
        return "–"
    try:
        when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    local = when.astimezone(time_zone())
    return f"{format_date(local.date(), 'medium', locale=lang)} {format_time(local, 'short', locale=lang)}"


def local_day(value: str) -> str:
    """The day (YYYY-MM-DD) a stored UTC time falls on in the organisation's zone: a change
    at 23:30 UTC in winter was made the next day in Stockholm."""
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return value[:10]
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(time_zone()).date().isoformat()


def plotly_separators(lang: str) -> str:
    """Plotly's `separators` (decimal mark, then thousands) for the language."""
    return language(lang).plotly_separators


def pick_language(locale: str | None) -> str:
    """The interface language for a browser locale (sv-SE -> sv); Swedish if unknown."""
    if locale:
        code = locale.replace("_", "-").split("-")[0].lower()
        if code in LANGS:
            return code
    return DEFAULT_LANG


def decimal_symbol(lang: str) -> str:
    """The decimal mark *lang* writes ("," in Swedish and Danish, "." in English)."""
    return _symbols(lang)[1]


def fmt_typed(value: object, lang: str) -> str:
    """A stored number as a person would type it in *lang*: every digit kept, the
    language's decimal mark, no digit grouping ("7,5", "1500"); empty for none. What a
    form's field shows, and `checks.read_typed` reads back to the same value."""
    if _missing(value):
        return ""
    number = float(value)  # type: ignore[arg-type]
    text = str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    return text.replace(".", decimal_symbol(lang))
