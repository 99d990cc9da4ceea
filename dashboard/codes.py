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
from functools import cache

from dashboard import contract
from dashboard.i18n import LANGS, t

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
        "lead_partner": ("lead partner", "huvudpartner", "ledande partner", "leadpartner"),
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
}

# Which domain each coded contract column uses.
COLUMN_DOMAIN: dict[tuple[str, str], str] = {
    ("organisations", "kind"): "org_kind",
    ("goals", "kind"): "goal_kind",
    ("networks", "kind"): "network_kind",
    ("projects", "role"): "project_role",
    ("projects", "status"): "project_status",
    ("activities", "status"): "activity_status",
    ("memberships", "role"): "membership_role",
    ("indicators", "direction"): "direction",
    ("goal_assessments", "status"): "assessment_status",
}


def normal(text: str) -> str:
    """A word compared without case, accents of other scripts kept (å ä ö æ ø stay)."""
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = text.replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", text)


def label(domain: str, code: str, lang: str) -> str:
    """A code's word in *lang* (the interface's text)."""
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


def currency(text: str, country: str | None) -> str | None:
    """The ISO 4217 code for what was written (SEK, sek, €, kr in a Swedish organisation),
    or None when it cannot be decided."""
    word = text.strip()
    low = word.lower()
    if low in KRONA_WORDS:
        return KRONA_BY_COUNTRY.get(country or "")
    if low in CURRENCY_WORDS:
        return CURRENCY_WORDS[low]
    if re.fullmatch(r"[A-Za-z]{3}", word):
        return word.upper()
    return None
