"""Stored codes and the words people write for them, in Swedish, Danish and English.

A coded column (a status, a kind, a role) stores one of the contract's codes. People
write the word of their language instead: "beviljat", "bevilget", "Granted". Each code's
label in each language is the interface's own text (`code.DOMAIN.CODE` in the catalogue,
so the import accepts exactly the words the dashboard shows), and `SYNONYMS` adds the
other words a coordinator is likely to type. Matching ignores case and extra spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache

import pandas as pd
from babel import Locale

from dashboard.i18n import LANGS, t
from dashboard.model import contract, rounds

DOMAINS: dict[str, tuple[str, ...]] = {
    "org_kind": contract.ORG_KINDS,
    "goal_kind": contract.GOAL_KINDS,
    "network_kind": contract.NETWORK_KINDS,
    "project_role": contract.PROJECT_ROLES,
    "project_status": contract.PROJECT_STATUSES,
    "activity_status": contract.ACTIVITY_STATUSES,
    "membership_role": contract.MEMBERSHIP_ROLES,
    "direction": contract.DIRECTIONS,
    "assessment_status": contract.ASSESSMENT_STATUSES,
    "activity_type": contract.ACTIVITY_TYPES,
    "unit": contract.UNITS,
    # the yearly round's: a part's state as the follow view shows it (and "open", a stored
    # part not marked ready, as a refusal names it), a step of its record
    "round_state": (*rounds.SHOWN_STATES, "open"),
    "round_event": contract.ROUND_EVENTS,
    "year_state": contract.ROUND_STATES,
}

# More words accepted for a code, beyond its label in each language and the code itself.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "org_kind": {
        "municipality": ("kommun", "kommune", "municipality", "kommunen"),
        "region": ("region", "regionen", "landsting", "county council"),
        "association": ("förbund", "kommunförbund", "forening", "sammanslutning", "association"),
    },
    "goal_kind": {
        "goal": ("mål", "goal", "strategiskt mål", "strategisk mål", "delmål"),
        "purpose": ("syfte", "formål", "purpose"),
        "priority_area": ("prioriterat område", "prioriteret område", "priority area"),
        "focus_area": ("insatsområde", "indsatsområde", "fokusområde", "focus area"),
        "target": ("mätbart mål", "måltal", "målsætning", "target", "measurable target"),
        "vision": ("vision",),
    },
    "network_kind": {
        "network": ("nätverk", "netværk", "network"),
        "organisation": ("organisation", "organization"),
        "twin_town": ("vänort", "vänstad", "venskabsby", "twin town", "sister city"),
        "partner": ("partner", "partnerkommun", "partnerkommune", "partner municipality"),
        "office": ("kontor", "office", "brysselkontor"),
    },
    "project_role": {
        "lead_partner": (
            "lead partner",
            "huvudpartner",
            "ledande partner",
            "leadpartner",
            "hovedpartner",
        ),
        "partner": ("partner", "projektpartner"),
    },
    "project_status": {
        "idea": ("idé", "ide", "idea"),
        "applied": ("ansökt", "ansøgt", "applied", "sökt", "søgt"),
        "granted": ("beviljat", "beviljad", "bevilget", "bevilliget", "granted", "approved"),
        "running": ("pågår", "pågående", "igangværende", "igang", "i gang", "running", "ongoing"),
        "closed": ("avslutat", "avslutad", "afsluttet", "closed", "finished", "completed"),
        "rejected": ("avslaget", "avslagen", "afvist", "afslået", "rejected", "refused"),
    },
    "activity_status": {
        "planned": ("planerad", "planerat", "planlagt", "planned"),
        "ongoing": ("pågår", "pågående", "igangværende", "i gang", "ongoing", "running"),
        "done": ("genomförd", "genomfört", "gennemført", "klar", "færdig", "done", "completed"),
        "cancelled": ("inställd", "inställt", "aflyst", "cancelled", "canceled"),
    },
    "membership_role": {
        "member": ("medlem", "member"),
        "board": ("styrelse", "styrelseledamot", "bestyrelse", "board"),
        "chair": ("ordförande", "ordförandeskap", "formand", "formandskab", "chair"),
        "secretariat": ("sekretariat", "secretariat"),
        "partner": ("partner",),
        "service_partner": ("tjänstepartner", "servicepartner", "service partner"),
    },
    "direction": {
        "higher": ("högre", "højere", "higher", "högre är bättre", "højere er bedre"),
        "lower": ("lägre", "lavere", "lower", "lägre är bättre", "lavere er bedre"),
    },
    "assessment_status": {
        "achieved": ("uppnått", "uppnådd", "nått", "opnået", "nået", "achieved", "reached"),
        "on_track": ("i fas", "på sporet", "on track"),
        "at_risk": ("risk", "i risk", "i risiko", "at risk"),
        "off_track": ("ur fas", "ikke på sporet", "off track"),
        "not_assessed": ("ej bedömt", "inte bedömt", "ikke vurderet", "not assessed"),
    },
    "activity_type": {
        "meeting": ("möte", "möten", "møde", "møder", "meeting", "sammanträde"),
        "visit": (
            "besök",
            "studiebesök",
            "besøg",
            "studiebesøg",
            "visit",
            "study visit",
            "studieresa",
            "studietur",
            "delegation",
        ),
        "conference": (
            "konferens",
            "konference",
            "conference",
            "online conference",
            "webbinarium",
            "webinar",
            "digital konferens",
            "onlinekonference",
        ),
        "seminar": ("seminarium", "seminarier", "seminar", "frukostseminarium"),
        "workshop": ("workshop", "workshops", "arbetsmöte"),
        "event": (
            "evenemang",
            "arrangemang",
            "arrangement",
            "event",
            "mässa",
            "messe",
            "fair",
            "festival",
        ),
        "training": ("utbildning", "kurs", "uddannelse", "kursus", "training", "course"),
        "exchange": ("utbyte", "udveksling", "exchange", "elevutbyte", "personalutbyte"),
        "project": ("projekt", "project", "projektarbete"),
        "application": ("ansökan", "projektansökan", "ansøgning", "application"),
        "network": (
            "nätverk",
            "nätverksarbete",
            "netværk",
            "netværksarbejde",
            "network",
            "network task",
            "nätverksuppdrag",
        ),
        "partnership": (
            "partnerskap",
            "partnerskab",
            "partnership",
            "vänort",
            "vänortsarbete",
            "venskabsby",
            "twin town",
        ),
        "business": (
            "näringsliv",
            "näringslivskontakter",
            "erhverv",
            "erhvervskontakter",
            "business",
            "business contacts",
        ),
        "policy": (
            "påverkan",
            "påverkansarbete",
            "policy",
            "policyarbete",
            "påvirkning",
            "påvirkningsarbejde",
            "lobbying",
            "advocacy",
        ),
        "planning": (
            "planering",
            "planlægning",
            "planning",
            "handlingsplan",
            "action plan",
            "strategiarbete",
        ),
        "action": ("åtgärd", "åtgärdspunkt", "indsats", "handling", "action", "action point"),
        "evaluation": ("utvärdering", "evaluering", "evaluation"),
        "follow_up": (
            "uppföljning",
            "opfølgning",
            "follow up",
            "follow-up",
            "rapportering",
            "reporting",
        ),
        "monitoring": (
            "omvärldsbevakning",
            "bevakning",
            "omverdensovervågning",
            "overvågning",
            "monitoring",
        ),
        "support": (
            "stöd",
            "stödfunktion",
            "støtte",
            "støttefunktion",
            "support",
            "support post",
            "support post task",
            "rådgivning",
            "advice",
        ),
        "other": ("annat", "övrigt", "andet", "øvrigt", "other"),
    },
    "unit": {
        "projects": ("projekt", "projekter", "antal projekt", "projects", "project"),
        "activities": ("aktiviteter", "aktivitet", "activities", "activity"),
        "meetings": ("möten", "møder", "meetings", "möte", "møde"),
        "visits": ("besök", "besøg", "visits", "studiebesök", "studiebesøg"),
        "contacts": ("kontakter", "contacts", "kontakt"),
        "participants": ("deltagare", "deltagere", "participants"),
        "persons": (
            "personer",
            "person",
            "persons",
            "people",
            "konsulter",
            "konsulenter",
            "consultants",
            "anställda",
            "ansatte",
            "employees",
        ),
        "networks": ("nätverk", "netværk", "networks"),
        "days": ("dagar", "dage", "days", "dag"),
        "tonnes_co2": ("ton co2", "ton koldioxid", "tonnes co2", "tons co2", "t co2", "ton"),
        "percent": ("%", "procent", "percent", "andel", "andel %", "pct"),
        "MSEK": ("mnkr", "mkr", "miljoner kronor", "msek", "mio sek"),
        "MDKK": ("mio. kr.", "mio kr", "millioner kroner", "mdkk", "mio dkk"),
        "MEUR": ("meur", "mio eur", "miljoner euro", "millioner euro", "million euro"),
        "EUR": ("euro", "€"),
    },
}

# Which domain each coded contract column uses (the contract's `Column.domain`).
COLUMN_DOMAIN: dict[tuple[str, str], str] = {
    (t.name, c.name): c.domain for t in contract.TABLES for c in t.columns if c.domain
}


# Stored codes whose column name says their domain, in any query's result.
CODED_COLUMNS: dict[str, str] = {
    "goal_kind": "goal_kind",
    "direction": "direction",
    "assessment_status": "assessment_status",
    "activity_type": "activity_type",
    "unit": "unit",
}

# The coded columns of a query's result whose name alone does not say the domain ('status'
# of what); the pages, the downloads, the annual workbook and `query --readable` all read
# them from here.
QUERY_CODES: dict[str, dict[str, str]] = {
    "activities": {"status": "activity_status"},
    "report_goal_activities": {"status": "activity_status"},
    "project_portfolio": {"role": "project_role", "status": "project_status"},
    "project_funding": {"status": "project_status"},
    "project_targets": {"role": "project_role"},
    "network_summary": {"kind": "network_kind", "role": "membership_role"},
    "network_membership_years": {"kind": "network_kind", "role": "membership_role"},
    "network_costs": {"kind": "network_kind"},
    "network_value": {"kind": "network_kind"},
    "network_hierarchy": {"kind": "network_kind"},
}


def labelled(df: pd.DataFrame, lang: str, coded: Mapping[str, str] | None = None) -> pd.DataFrame:
    """A copy of *df* whose stored codes read as words of *lang*: the columns of
    `CODED_COLUMNS` and those *coded* names (column -> domain). The one formatter of codes
    for tables, charts, CSV and XLSX; a value that is no code of its domain is kept."""
    out = df.copy()
    for col, domain in {**CODED_COLUMNS, **(coded or {})}.items():
        if col in out:
            known = set(DOMAINS[domain])
            out[col] = [label(domain, v, lang) if v in known else v for v in out[col]]
    return out


def readable(
    df: pd.DataFrame,
    lang: str,
    orgs: Mapping[str, str] | None = None,
    coded: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The rows as a manager reads them, on screen and in every file: organisations by name
    (org_id, and the networks' members, which the queries list as ids) and stored codes as
    words of *lang* (`labelled`). Numbers and dates stay values."""
    out = df.copy()
    if orgs and "org_id" in out:
        out["org_id"] = [orgs.get(v, v) if isinstance(v, str) else v for v in out["org_id"]]
    if orgs and "members" in out:
        out["members"] = [
            ", ".join(orgs.get(o, o) for o in v.split(", ")) if isinstance(v, str) else v
            for v in out["members"]
        ]
    if "country" in out:
        out["country"] = [
            country_name(v, lang) if isinstance(v, str) else v for v in out["country"]
        ]
    return labelled(out, lang, coded)


def country_name(code: str, lang: str) -> str:
    """A stored country code as the language names it (SE: Sverige, EU: Europeiska unionen,
    from Babel's territory names); INT, the contract's "international", in words."""
    if code == "INT":
        return t("country.international", lang)
    return str(_territories(lang).get(code, code))


@cache
def _territories(lang: str) -> Mapping[str, str]:
    """Babel's country names in *lang*, read once (they were parsed again for every cell)."""
    return dict(Locale.parse(lang).territories)


def table_label(table: str, lang: str) -> str:
    """A contract table's name in *lang* ("Aktiviteter"), as the Data page shows it."""
    text = t(f"contract.table.{table}", lang)
    return table if text.startswith("contract.table.") else text


# The kinds of result column, one list each, read by the screen's formatter (`grids`), the
# workbook (`report`) and every file (`for_file`), all taken from the contract's registry of
# kinds (`contract.COLUMN_KINDS`): a column is written as its kind everywhere.
DATE_COLUMNS = contract.columns_of("date")
MONEY_COLUMNS = contract.columns_of("money")
SHARE_COLUMNS = contract.columns_of("share")  # 0.667 is shown 66,7 %
YEAR_COLUMNS = contract.columns_of("year")
COUNT_COLUMNS = contract.columns_of("count")
SHARE_DIGITS = 3  # a share in a file as the page shows it: 0.667 (66,7 %), not 0.6666666666666666


def is_source(col: str) -> bool:
    """A column naming where a value comes from ('source', a value's 'value_source'): the
    invented ones read 'illustrative' in the language, on screen and in every file."""
    return col == "source" or col.endswith("_source")


def for_file(
    df: pd.DataFrame,
    lang: str,
    orgs: Mapping[str, str] | None = None,
    coded: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """The rows as a downloaded file holds them (`readable`, then dates without a time of
    day and the invented values' source in words): the one shape of every CSV and sheet."""
    out = readable(df, lang, orgs, coded)
    for c in out.columns:
        if c in DATE_COLUMNS:
            out[c] = [None if missing(v) else pd.Timestamp(v).date() for v in out[c]]
        elif is_source(str(c)):
            words = t("source.illustrative", lang)
            out[c] = [words if v == contract.ILLUSTRATIVE else v for v in out[c]]
        elif c in SHARE_COLUMNS and pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].round(SHARE_DIGITS)
    return out


def missing(value: object) -> bool:
    """A missing value (None, NaN, NA, NaT); lists and arrays are values."""
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values, not missing
        return False


def normal(text: str) -> str:
    """A word compared without case, accents of other scripts kept (å ä ö æ ø stay)."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = text.replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", text)


def label(domain: str, code: str, lang: str) -> str:
    """A code's word in *lang* (the interface's text). A code that is none of its domain's
    is refused, never shown as the catalogue's key: the Round page once offered parts as
    "Tekniska förvaltningen (code.round_state.open)", a stored state that had no word."""
    if code not in DOMAINS[domain]:
        raise KeyError(f"{code!r} is no code of {domain}")
    return t(f"code.{domain}.{code}", lang)


@cache
def _words(domain: str) -> dict[str, str]:
    """Every accepted word (normalised) of a domain mapped to its code."""
    out: dict[str, str] = {}
    for code in DOMAINS[domain]:
        words = {code, *SYNONYMS.get(domain, {}).get(code, ())}
        words |= {label(domain, code, lang) for lang in LANGS}
        for w in words:
            out.setdefault(normal(w), code)
    return out


def resolve(domain: str, text: str) -> str | None:
    """The code *text* stands for, or None when it is no word of the domain."""
    return _words(domain).get(normal(text))


def choices(domain: str, lang: str) -> list[str]:
    """The words to offer in *lang*, in the contract's order (a drop-down list)."""
    return [label(domain, c, lang) for c in DOMAINS[domain]]


# ---------------------------------------------------------------- currencies

CURRENCY_WORDS = {
    "€": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "euros": "EUR",
    "$": "USD",
    "£": "GBP",
}
# "kr" is the organisation's own krona or krone
KRONA_BY_COUNTRY = {"SE": "SEK", "DK": "DKK", "NO": "NOK", "IS": "ISK"}
KRONA_WORDS = ("kr", "kr.", "kronor", "kroner", "krona", "krone", "kronur")


# ISO 4217 codes that name no money an amount can be in: gold, silver, palladium, platinum,
# the bond-market units, "testing" and "no currency"
NOT_MONEY = frozenset({"XAU", "XAG", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XTS", "XXX"})


@cache
def iso_currencies() -> frozenset[str]:
    """The ISO 4217 codes an amount may be in: CLDR's list as Babel ships it (today's and
    withdrawn ones, so that an amount of 1998 in DEM or FIM is kept as written), less
    `NOT_MONEY`. A typing slip (SKE for SEK) matches none and is refused, never stored
    as a currency of its own that every money table would then sum apart."""
    from babel.numbers import list_currencies

    return frozenset(list_currencies()) - NOT_MONEY


def currency(text: str, country: str | None) -> str | None:
    """The ISO 4217 code for what was written (SEK, sek, €, kr in a Swedish organisation),
    or None when it cannot be decided or names no currency."""
    word = text.strip()
    low = word.lower()
    if low in KRONA_WORDS:
        return KRONA_BY_COUNTRY.get(country or "")
    if low in CURRENCY_WORDS:
        return CURRENCY_WORDS[low]
    if re.fullmatch(r"[A-Za-z]{3}", word) and word.upper() in iso_currencies():
        return word.upper()
    return None


# ---------------------------------------------------------------- contract names in words
# The 12-table template is written in the reader's language (`template.py`): its sheets and
# CSV files are named after the tables and its headers after the columns as the pages name
# them. The import reads a table or a column by its contract name or by its name in any of
# the languages, so a Danish template filled in comes back as the same rows.


@cache
def table_aliases() -> dict[str, str]:
    """Every name a contract table is read by (lower case): its own, and its name in each
    language ("aktiviteter", "aktiviteternas mål")."""
    out: dict[str, str] = {}
    for table in contract.TABLES:
        out[table.name] = table.name
        for lang in LANGS:
            out.setdefault(normal(table_label(table.name, lang)), table.name)
    return out


def column_label(col: str, lang: str) -> str:
    """A contract column's header in *lang* (as the pages name it), else its own name."""
    text = t(f"col.{col}", lang)
    return col if text.startswith("col.") else text


@cache
def column_aliases(table: str) -> dict[str, str]:
    """Every header a column of *table* is read by (lower case): its own name, and its
    header in each language; a header two of the table's columns share is read by neither."""
    columns = contract.TABLE_BY_NAME[table].columns
    out = {c.name.lower(): c.name for c in columns}
    taken: dict[str, set[str]] = {}
    for c in columns:
        for lang in LANGS:
            taken.setdefault(normal(column_label(c.name, lang)), set()).add(c.name)
    for header, names in taken.items():
        if len(names) == 1 and header not in out:
            out[header] = next(iter(names))
    return out
