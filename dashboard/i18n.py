"""Interface texts in Swedish, English and Danish, and numbers and dates formatted for each.

Data texts (goal titles, activity titles) are never translated: they stay as the
documents wrote them. A missing Danish text falls back to Swedish, then English.
"""

from __future__ import annotations

import math
from datetime import date

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, format_percent

LANGS = ("sv", "en", "da")
DEFAULT_LANG = "sv"
LANG_NAMES = {"sv": "Svenska", "en": "English", "da": "Dansk"}
_FALLBACK = {"da": ("da", "sv", "en"), "sv": ("sv", "en"), "en": ("en", "sv")}

TEXTS: dict[str, dict[str, str]] = {
    # app shell
    "app.title": {"sv": "Målbild", "en": "Målbild", "da": "Målbild"},
    "app.tagline": {
        "sv": "Uppföljning av den internationella strategin",
        "en": "Follow-up of the international strategy",
        "da": "Opfølgning af den internationale strategi",
    },
    "page.overview": {"sv": "Översikt", "en": "Overview", "da": "Overblik"},
    "page.goals": {"sv": "Mål", "en": "Goals", "da": "Mål"},
    "page.activities": {"sv": "Aktiviteter", "en": "Activities", "da": "Aktiviteter"},
    "page.networks": {"sv": "Nätverk", "en": "Networks", "da": "Netværk"},
    "page.projects": {"sv": "Projekt", "en": "Projects", "da": "Projekter"},
    "page.evaluation": {
        "sv": "Årlig utvärdering",
        "en": "Annual evaluation",
        "da": "Årlig evaluering",
    },
    "page.data": {"sv": "Data", "en": "Data", "da": "Data"},
    "filter.header": {"sv": "Urval", "en": "Selection", "da": "Udvalg"},
    "filter.language": {"sv": "Språk", "en": "Language", "da": "Sprog"},
    "filter.orgs": {"sv": "Organisation", "en": "Organisation", "da": "Organisation"},
    "filter.orgs.help": {
        "sv": "En eller flera. Tomt = alla.",
        "en": "One or several. Empty = all.",
        "da": "En eller flere. Tom = alle.",
    },
    "filter.years": {"sv": "År", "en": "Years", "da": "År"},
    "filter.years.help": {
        "sv": "Dra ihop reglagen till samma år för ett enskilt år.",
        "en": "Drag both handles to the same year for a single year.",
        "da": "Træk begge håndtag til samme år for et enkelt år.",
    },
    "filter.goals": {"sv": "Mål", "en": "Goal", "da": "Mål"},
    "filter.goals.help": {
        "sv": "Smalnar av alla vyer till det som tjänar valda mål. Tomt = alla.",
        "en": "Narrows every view to what serves the chosen goals. Empty = all.",
        "da": "Indsnævrer alle visninger til det, der tjener de valgte mål. Tom = alle.",
    },
    "filter.all": {"sv": "Alla", "en": "All", "da": "Alle"},
    "filter.link": {
        "sv": "Länken i adressfältet återger exakt denna vy.",
        "en": "The link in the address bar reproduces exactly this view.",
        "da": "Linket i adresselinjen gengiver præcis denne visning.",
    },
    "notice.unknown_org": {
        "sv": "Okänd organisation i länken ignorerades: {value}",
        "en": "Unknown organisation in the link was ignored: {value}",
        "da": "Ukendt organisation i linket blev ignoreret: {value}",
    },
    "notice.unknown_goal": {
        "sv": "Målet {value} hör inte till valda organisationer och ignorerades.",
        "en": "Goal {value} does not belong to the selected organisations and was ignored.",
        "da": "Målet {value} hører ikke til de valgte organisationer og blev ignoreret.",
    },
    "notice.bad_year": {
        "sv": "Året {value} finns inte i data ({lo}–{hi}); alla år visas.",
        "en": "Year {value} is not in the data ({lo}–{hi}); showing all years.",
        "da": "Året {value} findes ikke i data ({lo}–{hi}); alle år vises.",
    },
    "notice.bad_lang": {
        "sv": "Okänt språk i länken: {value}",
        "en": "Unknown language in the link: {value}",
        "da": "Ukendt sprog i linket: {value}",
    },
    "error.dataset": {
        "sv": "Datasetet kan inte läsas. {detail}",
        "en": "The dataset cannot be read. {detail}",
        "da": "Datasættet kan ikke læses. {detail}",
    },
    "error.page": {
        "sv": "Något gick fel när sidan skulle visas. Felet är loggat på servern; "
        "försök med ett annat urval eller kontakta den som driver tjänsten.",
        "en": "Something went wrong while showing this page. The error is logged on the "
        "server; try another selection or contact whoever runs the service.",
        "da": "Noget gik galt, da siden skulle vises. Fejlen er logget på serveren; "
        "prøv et andet udvalg eller kontakt den, der driver tjenesten.",
    },
    "empty": {
        "sv": "Inget att visa för detta urval.",
        "en": "Nothing to show for this selection.",
        "da": "Intet at vise for dette udvalg.",
    },
    "table.page": {
        "sv": "Sida (av {pages})",
        "en": "Page (of {pages})",
        "da": "Side (af {pages})",
    },
    "table.rows": {
        "sv": "Rad {first}–{last} av {total}. Hämta CSV-filen för alla rader.",
        "en": "Rows {first}–{last} of {total}. Download the CSV for every row.",
        "da": "Række {first}–{last} af {total}. Hent CSV-filen for alle rækker.",
    },
    "chart.capped": {
        "sv": "Diagrammet visar de första {n} av {total}; tabellen och CSV-filen har alla. "
        "Välj färre organisationer eller år för att se resten.",
        "en": "The chart shows the first {n} of {total}; the table and the CSV have them all. "
        "Choose fewer organisations or years to see the rest.",
        "da": "Diagrammet viser de første {n} af {total}; tabellen og CSV-filen har dem alle. "
        "Vælg færre organisationer eller år for at se resten.",
    },
    "loading": {"sv": "Hämtar data …", "en": "Loading data …", "da": "Henter data …"},
    "tab.chart": {"sv": "Diagram", "en": "Chart", "da": "Diagram"},
    "tab.table": {"sv": "Tabell", "en": "Table", "da": "Tabel"},
    "download": {"sv": "Ladda ner CSV", "en": "Download CSV", "da": "Download CSV"},
    "download.help": {
        "sv": "UTF-8, semikolon och decimalkomma: öppnas direkt i Excel.",
        "en": "UTF-8, comma-separated with decimal points: opens directly in Excel.",
        "da": "UTF-8, semikolon og decimalkomma: åbnes direkte i Excel.",
    },
    "illustrative.note": {
        "sv": "Rader märkta ◇ är illustrativa: de finns inte i något källdokument.",
        "en": "Rows marked ◇ are illustrative: they are not taken from any source document.",
        "da": "Rækker mærket ◇ er illustrative: de stammer ikke fra et kildedokument.",
    },
    "illustrative.share": {
        "sv": "{n} av {total} rader är illustrativa (◇).",
        "en": "{n} of {total} rows are illustrative (◇).",
        "da": "{n} af {total} rækker er illustrative (◇).",
    },
    "source": {"sv": "Källa", "en": "Source", "da": "Kilde"},
    "source.document": {"sv": "Dokument", "en": "Document", "da": "Dokument"},
    "source.illustrative": {"sv": "◇ illustrativ", "en": "◇ illustrative", "da": "◇ illustrativ"},
    # overview
    "overview.title": {"sv": "Översikt", "en": "Overview", "da": "Overblik"},
    "overview.delta": {
        "sv": "Förändring mot {prev}",
        "en": "Change against {prev}",
        "da": "Ændring i forhold til {prev}",
    },
    "overview.no_delta": {
        "sv": "Ingen jämförelse: urvalet har inga data för perioden före.",
        "en": "No comparison: the selection has no data for the period before.",
        "da": "Ingen sammenligning: udvalget har ingen data for perioden før.",
    },
    "metric.activities": {"sv": "Aktiviteter", "en": "Activities", "da": "Aktiviteter"},
    "metric.goals_served": {"sv": "Mål som tjänas", "en": "Goals served", "da": "Mål der tjenes"},
    "metric.goals_of": {"sv": "{x} av {y} mål", "en": "{x} of {y} goals", "da": "{x} af {y} mål"},
    "metric.projects": {
        "sv": "Pågående projekt",
        "en": "Projects running",
        "da": "Igangværende projekter",
    },
    "metric.eu_funding": {
        "sv": "Beviljade EU-medel",
        "en": "EU funding secured",
        "da": "Bevilgede EU-midler",
    },
    "metric.networks": {
        "sv": "Nätverk med medlemskap",
        "en": "Networks with membership",
        "da": "Netværk med medlemskab",
    },
    "metric.none": {"sv": "inga", "en": "none", "da": "ingen"},
    "chart.coverage": {
        "sv": "Aktiviteter per mål (luckor = mål utan aktivitet)",
        "en": "Activities per goal (gaps = goals with no activity)",
        "da": "Aktiviteter pr. mål (huller = mål uden aktivitet)",
    },
    "chart.per_year": {
        "sv": "Aktiviteter per år",
        "en": "Activities per year",
        "da": "Aktiviteter pr. år",
    },
    "axis.goal": {"sv": "Mål", "en": "Goal", "da": "Mål"},
    "axis.activities": {
        "sv": "Antal aktiviteter",
        "en": "Number of activities",
        "da": "Antal aktiviteter",
    },
    "axis.year": {"sv": "År", "en": "Year", "da": "År"},
    "axis.org": {"sv": "Organisation", "en": "Organisation", "da": "Organisation"},
    "legend.served": {"sv": "Tjänas", "en": "Served", "da": "Tjenes"},
    "legend.gap": {
        "sv": "Lucka: ingen aktivitet",
        "en": "Gap: no activity",
        "da": "Hul: ingen aktivitet",
    },
    # goals
    "goals.title": {
        "sv": "Mål och aktiviteter",
        "en": "Goals and activities",
        "da": "Mål og aktiviteter",
    },
    "goals.matrix": {
        "sv": "Vilka mål varje aktivitet tjänar",
        "en": "Which goals each activity serves",
        "da": "Hvilke mål hver aktivitet tjener",
    },
    "goals.matrix.help": {
        "sv": "En rad per aktivitet, en kolumn per mål; ● = aktiviteten tjänar målet.",
        "en": "One row per activity, one column per goal; ● = the activity serves the goal.",
        "da": "En række pr. aktivitet, en kolonne pr. mål; ● = aktiviteten tjener målet.",
    },
    "goals.gaps": {
        "sv": "Mål som ingen aktivitet i urvalet tjänar: {codes}",
        "en": "Goals no activity in the selection serves: {codes}",
        "da": "Mål som ingen aktivitet i udvalget tjener: {codes}",
    },
    "goals.no_gaps": {
        "sv": "Varje mål i urvalet tjänas av minst en aktivitet.",
        "en": "Every goal in the selection is served by at least one activity.",
        "da": "Hvert mål i udvalget tjenes af mindst én aktivitet.",
    },
    "goals.hierarchy": {
        "sv": "Strategi, mål och aktiviteter",
        "en": "Strategy, goals and activities",
        "da": "Strategi, mål og aktiviteter",
    },
    "goals.pick": {"sv": "Välj ett mål", "en": "Choose a goal", "da": "Vælg et mål"},
    "goals.serving_activities": {
        "sv": "Aktiviteter som tjänar målet",
        "en": "Activities serving the goal",
        "da": "Aktiviteter der tjener målet",
    },
    "goals.serving_projects": {
        "sv": "Projekt som tjänar målet",
        "en": "Projects serving the goal",
        "da": "Projekter der tjener målet",
    },
    "goals.matrix.too_many": {
        "sv": "Matrisen visar de första {n} av {total} aktiviteterna; "
        "smalna av urvalet för att se alla.",
        "en": "The matrix shows the first {n} of {total} activities; "
        "narrow the selection to see all.",
        "da": "Matricen viser de første {n} af {total} aktiviteter; "
        "indsnævr udvalget for at se alle.",
    },
    # activities
    "activities.title": {"sv": "Aktiviteter", "en": "Activities", "da": "Aktiviteter"},
    "activities.search": {"sv": "Sök i titel", "en": "Search title", "da": "Søg i titel"},
    "activities.count": {
        "sv": "{n} aktiviteter",
        "en": "{n} activities",
        "da": "{n} aktiviteter",
    },
    "activities.page": {"sv": "Sida", "en": "Page", "da": "Side"},
    "activities.page_of": {
        "sv": "Sida {page} av {pages}",
        "en": "Page {page} of {pages}",
        "da": "Side {page} af {pages}",
    },
    # columns
    "col.org_id": {"sv": "Organisation", "en": "Organisation", "da": "Organisation"},
    "col.year": {"sv": "År", "en": "Year", "da": "År"},
    "col.activity_id": {"sv": "Id", "en": "Id", "da": "Id"},
    "col.title": {"sv": "Titel", "en": "Title", "da": "Titel"},
    "col.activity_title": {"sv": "Aktivitet", "en": "Activity", "da": "Aktivitet"},
    "col.department": {"sv": "Förvaltning", "en": "Department", "da": "Forvaltning"},
    "col.activity_type": {"sv": "Typ", "en": "Type", "da": "Type"},
    "col.network": {"sv": "Nätverk", "en": "Network", "da": "Netværk"},
    "col.project": {"sv": "Projekt", "en": "Project", "da": "Projekt"},
    "col.status": {"sv": "Status", "en": "Status", "da": "Status"},
    "col.cost": {"sv": "Kostnad", "en": "Cost", "da": "Omkostning"},
    "col.currency": {"sv": "Valuta", "en": "Currency", "da": "Valuta"},
    "col.goal_codes": {"sv": "Mål", "en": "Goals", "da": "Mål"},
    "col.goal_titles": {"sv": "Målens lydelse", "en": "Goal wording", "da": "Målenes ordlyd"},
    "col.source": {"sv": "Källa", "en": "Source", "da": "Kilde"},
    "col.goal_code": {"sv": "Mål", "en": "Goal", "da": "Mål"},
    "col.goal_title": {"sv": "Lydelse", "en": "Wording", "da": "Ordlyd"},
    "col.goal_kind": {"sv": "Slag", "en": "Kind", "da": "Type"},
    "col.activities": {"sv": "Aktiviteter", "en": "Activities", "da": "Aktiviteter"},
    "col.projects": {"sv": "Projekt", "en": "Projects", "da": "Projekter"},
    "col.acronym": {"sv": "Förkortning", "en": "Acronym", "da": "Forkortelse"},
    "col.programme": {"sv": "Program", "en": "Programme", "da": "Program"},
    "col.role": {"sv": "Roll", "en": "Role", "da": "Rolle"},
    "col.start_date": {"sv": "Start", "en": "Start", "da": "Start"},
    "col.end_date": {"sv": "Slut", "en": "End", "da": "Slut"},
    "col.total_budget": {"sv": "Total budget", "en": "Total budget", "da": "Samlet budget"},
    "col.eu_funding": {"sv": "EU-medel", "en": "EU funding", "da": "EU-midler"},
    "col.own_funding": {"sv": "Egen finansiering", "en": "Own funding", "da": "Egenfinansiering"},
    "col.eu_rate": {"sv": "EU-andel", "en": "EU share", "da": "EU-andel"},
    # columns the Networks, Projects, Evaluation and Data pages show
    "col.actual": {
        "sv": "Utfall (beräknat)",
        "en": "Actual (computed)",
        "da": "Resultat (beregnet)",
    },
    "col.annual_fee": {"sv": "Årsavgift", "en": "Annual fee", "da": "Årskontingent"},
    "col.as_of_year": {"sv": "Läge år", "en": "As of", "da": "Status år"},
    "col.assessed_by": {"sv": "Bedömd av", "en": "Assessed by", "da": "Vurderet af"},
    "col.assessment_comment": {
        "sv": "Ledningens kommentar",
        "en": "Managers' comment",
        "da": "Ledelsens kommentar",
    },
    "col.assessment_status": {
        "sv": "Ledningens bedömning",
        "en": "Managers' verdict",
        "da": "Ledelsens vurdering",
    },
    "col.at_risk": {"sv": "Risk", "en": "At risk", "da": "I risiko"},
    "col.baseline": {"sv": "Basvärde", "en": "Baseline", "da": "Basisværdi"},
    "col.baseline_year": {"sv": "Basår", "en": "Baseline year", "da": "Basisår"},
    "col.check": {"sv": "Kontroll", "en": "Check", "da": "Kontrol"},
    "col.column": {"sv": "Kolumn", "en": "Column", "da": "Kolonne"},
    "col.comment": {"sv": "Kommentar", "en": "Comment", "da": "Kommentar"},
    "col.country": {"sv": "Land", "en": "Country", "da": "Land"},
    "col.deadline": {"sv": "Målår", "en": "Deadline", "da": "Målår"},
    "col.definition": {"sv": "Definition", "en": "Definition", "da": "Definition"},
    "col.direction": {"sv": "Riktning", "en": "Direction", "da": "Retning"},
    "col.document_pct": {
        "sv": "Från dokument (%)",
        "en": "From documents (%)",
        "da": "Fra dokumenter (%)",
    },
    "col.document_rows": {"sv": "Från dokument", "en": "From documents", "da": "Fra dokumenter"},
    "col.example_ids": {"sv": "Exempel (id)", "en": "Examples (id)", "da": "Eksempler (id)"},
    "col.fees": {"sv": "Avgifter", "en": "Fees", "da": "Kontingenter"},
    "col.file": {"sv": "Fil", "en": "File", "da": "Fil"},
    "col.goal_id": {"sv": "Mål-id", "en": "Goal id", "da": "Mål-id"},
    "col.goals_served": {"sv": "Mål som tjänas", "en": "Goals served", "da": "Mål der tjenes"},
    "col.illustrative_pct": {
        "sv": "Illustrativa (%)",
        "en": "Illustrative (%)",
        "da": "Illustrative (%)",
    },
    "col.illustrative_rows": {"sv": "Illustrativa", "en": "Illustrative", "da": "Illustrative"},
    "col.indicator_id": {"sv": "Indikator-id", "en": "Indicator id", "da": "Indikator-id"},
    "col.indicators": {"sv": "Indikatorer", "en": "Indicators", "da": "Indikatorer"},
    "col.item": {"sv": "Punkt", "en": "Point", "da": "Punkt"},
    "col.items": {"sv": "Antal", "en": "Count", "da": "Antal"},
    "col.kind": {"sv": "Slag", "en": "Kind", "da": "Type"},
    "col.lat": {"sv": "Latitud", "en": "Latitude", "da": "Breddegrad"},
    "col.level": {"sv": "Nivå", "en": "Level", "da": "Niveau"},
    "col.lon": {"sv": "Longitud", "en": "Longitude", "da": "Længdegrad"},
    "col.member_years": {"sv": "Medlemsår", "en": "Member years", "da": "Medlemsår"},
    "col.members": {"sv": "Medlemmar", "en": "Members", "da": "Medlemmer"},
    "col.message": {"sv": "Problem", "en": "Problem", "da": "Problem"},
    "col.modified": {"sv": "Filen ändrad", "en": "File modified", "da": "Filen ændret"},
    "col.name": {"sv": "Namn", "en": "Name", "da": "Navn"},
    "col.network_id": {"sv": "Nätverks-id", "en": "Network id", "da": "Netværks-id"},
    "col.not_assessable": {
        "sv": "Kan inte bedömas",
        "en": "Cannot be assessed",
        "da": "Kan ikke vurderes",
    },
    "col.off_track": {"sv": "Ur fas", "en": "Off track", "da": "Ikke på sporet"},
    "col.on_track": {"sv": "I fas", "en": "On track", "da": "På sporet"},
    "col.other_costs": {"sv": "Övriga kostnader", "en": "Other costs", "da": "Andre omkostninger"},
    "col.parent_network": {"sv": "Del av", "en": "Part of", "da": "Del af"},
    "col.parent_network_id": {
        "sv": "Överordnat nätverk (id)",
        "en": "Parent network (id)",
        "da": "Overordnet netværk (id)",
    },
    "col.path": {"sv": "Struktur", "en": "Structure", "da": "Struktur"},
    "col.progress": {"sv": "Andel av målet", "en": "Progress", "da": "Andel af målet"},
    "col.project_id": {"sv": "Projekt-id", "en": "Project id", "da": "Projekt-id"},
    "col.reached": {"sv": "Nådda", "en": "Reached", "da": "Nået"},
    "col.row": {"sv": "Rad", "en": "Row", "da": "Række"},
    "col.row_count": {"sv": "Rader", "en": "Rows", "da": "Rækker"},
    "col.since_year": {"sv": "Från år", "en": "Since", "da": "Fra år"},
    "col.table_name": {"sv": "Tabell", "en": "Table", "da": "Tabel"},
    "col.target": {"sv": "Målvärde", "en": "Target", "da": "Målværdi"},
    "col.undated": {"sv": "Utan startdatum", "en": "Without start date", "da": "Uden startdato"},
    "col.unit": {"sv": "Enhet", "en": "Unit", "da": "Enhed"},
    "col.until_year": {"sv": "Till år", "en": "Until", "da": "Til år"},
    "col.value_source": {"sv": "Värdets källa", "en": "Value source", "da": "Værdiens kilde"},
    "col.verdict": {
        "sv": "Beräknad bedömning",
        "en": "Computed verdict",
        "da": "Beregnet vurdering",
    },
    "col.without_role": {
        "sv": "Projekt utan roll",
        "en": "Projects without role",
        "da": "Projekter uden rolle",
    },
    # download file names (ASCII, no spaces)
    "file.activities": {"sv": "aktiviteter", "en": "activities", "da": "aktiviteter"},
    "file.coverage": {"sv": "maltackning", "en": "goal_coverage", "da": "maldaekning"},
    "file.per_year": {
        "sv": "aktiviteter_per_ar",
        "en": "activities_per_year",
        "da": "aktiviteter_pr_ar",
    },
    "file.metrics": {"sv": "nyckeltal", "en": "key_figures", "da": "noegletal"},
    "file.matrix": {
        "sv": "mal_aktivitet_matris",
        "en": "goal_activity_matrix",
        "da": "mal_aktivitet_matrix",
    },
    "file.goal_activities": {
        "sv": "aktiviteter_for_mal",
        "en": "activities_for_goal",
        "da": "aktiviteter_for_mal",
    },
    "file.goal_projects": {
        "sv": "projekt_for_mal",
        "en": "projects_for_goal",
        "da": "projekter_for_mal",
    },
    # goal kinds and statuses
    "kind.vision": {"sv": "vision", "en": "vision", "da": "vision"},
    "kind.purpose": {"sv": "syfte", "en": "purpose", "da": "formål"},
    "kind.goal": {"sv": "mål", "en": "goal", "da": "mål"},
    "kind.priority_area": {
        "sv": "prioriterat område",
        "en": "priority area",
        "da": "prioriteret område",
    },
    "kind.focus_area": {"sv": "insatsområde", "en": "focus area", "da": "indsatsområde"},
    "kind.target": {"sv": "mätbart mål", "en": "target", "da": "måltal"},
}


def register(texts: dict[str, dict[str, str]]) -> None:
    """Add a page's own texts (called when the page module is imported)."""
    TEXTS.update(texts)


def t(key: str, lang: str, **values: object) -> str:
    """The text for *key* in *lang*, with ``{placeholders}`` filled in."""
    entry = TEXTS.get(key)
    if entry is None:
        return key
    for candidate in _FALLBACK.get(lang, (lang, "en")):
        if candidate in entry:
            return entry[candidate].format(**values) if values else entry[candidate]
    return key


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def fmt_int(value: object, lang: str) -> str:
    """A whole number with the language's digit grouping (1 234 / 1,234 / 1.234)."""
    if _missing(value):
        return "–"
    return format_decimal(int(value), locale=lang)  # type: ignore[call-overload]


def fmt_num(value: object, lang: str, digits: int = 1) -> str:
    """A number with at most *digits* decimals, in the language's format."""
    if _missing(value):
        return "–"
    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    return format_decimal(float(value), format=pattern, locale=lang)  # type: ignore[arg-type]


def fmt_money(value: object, currency: str | None, lang: str) -> str:
    """An amount with its currency, without decimals (527 044 €)."""
    if _missing(value):
        return "–"
    if not currency:
        return fmt_num(value, lang, 0)
    return format_currency(
        float(value),  # type: ignore[arg-type]
        currency,
        format="#,##0 ¤" if lang != "en" else "¤#,##0",
        locale=lang,
        currency_digits=False,
    )


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


def plotly_separators(lang: str) -> str:
    """Plotly's `separators` (decimal mark, then thousands) for the language."""
    return {"sv": ", ", "da": ",.", "en": ".,"}.get(lang, ".,")


def pick_language(locale: str | None) -> str:
    """The interface language for a browser locale (sv-SE -> sv); Swedish if unknown."""
    if locale:
        code = locale.replace("_", "-").split("-")[0].lower()
        if code in LANGS:
            return code
    return DEFAULT_LANG
