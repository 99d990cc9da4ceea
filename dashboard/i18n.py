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
    "dataset.missing": {
        "sv": "Det finns inget dataset ännu; den som driver tjänsten behöver importera ett.",
        "en": "There is no dataset yet; whoever runs the service needs to import one.",
        "da": "Der er intet datasæt endnu; den, der driver tjenesten, skal importere et.",
    },
    "dataset.lacks_files": {
        "sv": "Tabeller saknas i datasetet ({tables}); den som driver tjänsten behöver importera det igen.",
        "en": "Tables are missing from the dataset ({tables}); whoever runs the service needs to import it again.",
        "da": "Der mangler tabeller i datasættet ({tables}); den, der driver tjenesten, skal importere det igen.",
    },
    "dataset.lacks_columns": {
        "sv": "Tabellen {table} saknar kolumner; den som driver tjänsten behöver importera datasetet igen.",
        "en": "The table {table} lacks columns; whoever runs the service needs to import the dataset again.",
        "da": "Tabellen {table} mangler kolonner; den, der driver tjenesten, skal importere datasættet igen.",
    },
    "dataset.unreadable": {
        "sv": "En tabellfil är skadad eller borttagen ({tables}); den som driver tjänsten behöver importera datasetet igen. Sidan fungerar igen så snart filerna är lagade.",
        "en": "A table file is damaged or removed ({tables}); whoever runs the service needs to import the dataset again. The page works again as soon as the files are fixed.",
        "da": "En tabelfil er beskadiget eller fjernet ({tables}); den, der driver tjenesten, skal importere datasættet igen. Siden virker igen, så snart filerne er rettet.",
    },
    "notice.gone_org": {
        "sv": "Datasetet har ersatts och {value} finns inte längre; urvalet visar de andra.",
        "en": "The dataset was replaced and {value} is no longer in it; the selection shows the others.",
        "da": "Datasættet er erstattet, og {value} findes ikke længere; udvalget viser de andre.",
    },
    "notice.years_changed": {
        "sv": "Datasetet har ersatts och har nu åren {lo}–{hi}; årsurvalet har anpassats.",
        "en": "The dataset was replaced and now covers {lo}–{hi}; the years selected were adjusted.",
        "da": "Datasættet er erstattet og dækker nu {lo}–{hi}; de valgte år er tilpasset.",
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
        "sv": "Ingen aktivitet i urvalet tjänar dessa mål – {codes}",
        "en": "No activity in the selection serves these goals – {codes}",
        "da": "Ingen aktivitet i udvalget tjener disse mål – {codes}",
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


# ---- texts of the import, the coordinator's workbook and the stored codes
IMPORT_TEXTS: dict[str, dict[str, str]] = {
    "problem.bad_encoding": {
        "sv": "kan inte läsas som {enc}: byte {byte} på raden (byte {offset} i filen) är ogiltig; spara som 'CSV UTF-8'",
        "en": "cannot be read as {enc}: byte {byte} of this line (byte {offset} of the file) is not valid; save it as 'CSV UTF-8'",
        "da": "kan ikke læses som {enc}: byte {byte} på linjen (byte {offset} i filen) er ugyldig; gem som 'CSV UTF-8'",
    },
    "problem.mixed_encoding": {
        "sv": "teckenkodningen går inte att avgöra: UTF-8 fram till byte {byte} på raden (byte {offset} i filen), som inte är det; spara filen igen som 'CSV UTF-8'",
        "en": "the encoding cannot be decided: UTF-8 until byte {byte} of this line (byte {offset} of the file), which is not; save the file again as 'CSV UTF-8'",
        "da": "tegnkodningen kan ikke afgøres: UTF-8 indtil byte {byte} på linjen (byte {offset} i filen), som ikke er det; gem filen igen som 'CSV UTF-8'",
    },
    "problem.bad_csv": {
        "sv": "ingen läsbar CSV-fil ({reason})",
        "en": "not a readable CSV file ({reason})",
        "da": "ingen læsbar CSV-fil ({reason})",
    },
    "problem.empty_file": {
        "sv": "filen är tom: den behöver en rubrikrad",
        "en": "the file is empty: it needs a header row",
        "da": "filen er tom: den skal have en overskriftsrække",
    },
    "problem.merged_across": {
        "sv": "cellerna {ref} är sammanfogade över flera kolumner; dela upp dem (Start > Centrera över kolumner) och fyll i varje cell",
        "en": "cells {ref} are merged across columns; unmerge them (Home > Merge & Center) and fill in each cell",
        "da": "cellerne {ref} er flettet over flere kolonner; ophæv fletningen (Hjem > Flet og centrer) og udfyld hver celle",
    },
    "problem.merged_header": {
        "sv": "rubrikcellerna {ref} är sammanfogade; ge varje kolumn en egen rubrik",
        "en": "header cells {ref} are merged; give every column its own header",
        "da": "overskriftscellerne {ref} er flettet; giv hver kolonne sin egen overskrift",
    },
    "problem.merged_filled": {
        "sv": "cellerna {ref} är sammanfogade: värdet fylldes i på varje rad i området",
        "en": "cells {ref} are merged: the value was filled into every row of the range",
        "da": "cellerne {ref} er flettet: værdien blev udfyldt i hver række af området",
    },
    "problem.old_xls": {
        "sv": "en gammal .xls-arbetsbok; öppna den i Excel och spara som .xlsx",
        "en": "an old .xls workbook; open it in Excel and save it as .xlsx",
        "da": "en gammel .xls-projektmappe; åbn den i Excel og gem som .xlsx",
    },
    "problem.not_xlsx": {
        "sv": "ingen .xlsx-arbetsbok (filen är inget zip-arkiv); spara den från Excel som .xlsx",
        "en": "not an .xlsx workbook (the file is not a zip archive); save it from Excel as .xlsx",
        "da": "ingen .xlsx-projektmappe (filen er ikke et zip-arkiv); gem den fra Excel som .xlsx",
    },
    "problem.bad_xlsx": {
        "sv": "kan inte öppnas som .xlsx ({reason}); öppna den i Excel och spara den igen",
        "en": "cannot be opened as .xlsx ({reason}); open it in Excel and save it again",
        "da": "kan ikke åbnes som .xlsx ({reason}); åbn den i Excel og gem den igen",
    },
    "problem.bad_sheet": {
        "sv": "bladet kan inte läsas ({reason}); öppna arbetsboken i Excel och spara den igen",
        "en": "the sheet cannot be read ({reason}); open the workbook in Excel and save it again",
        "da": "arket kan ikke læses ({reason}); åbn projektmappen i Excel og gem den igen",
    },
    "problem.same_table_twice": {
        "sv": "innehåller samma tabell som {other}; behåll en av dem",
        "en": "holds the same table as {other}; keep one of them",
        "da": "indeholder samme tabel som {other}; behold én af dem",
    },
    "problem.no_csv": {
        "sv": "inga .csv-filer i mappen",
        "en": "no .csv files in this folder",
        "da": "ingen .csv-filer i mappen",
    },
    "problem.no_such_source": {
        "sv": "filen eller mappen finns inte",
        "en": "no such file or folder",
        "da": "filen eller mappen findes ikke",
    },
    "problem.wrong_kind": {
        "sv": "väntade en mapp med .csv-filer, en .csv-fil eller en .xlsx-arbetsbok",
        "en": "expected a folder of .csv files, a .csv file or an .xlsx workbook",
        "da": "forventede en mappe med .csv-filer, en .csv-fil eller en .xlsx-projektmappe",
    },
    "problem.excel_error": {
        "sv": "cellen innehåller Excels felvärde {value}; rätta formeln eller skriv in värdet",
        "en": "the cell holds Excel's error value {value}; correct the formula or type the value",
        "da": "cellen indeholder Excels fejlværdi {value}; ret formlen eller skriv værdien",
    },
    "problem.formula_without_value": {
        "sv": "en formel ({value}) som aldrig har räknats ut; öppna filen i Excel och spara den, eller skriv in värdet",
        "en": "a formula ({value}) that was never calculated; open the file in Excel and save it, or type the value",
        "da": "en formel ({value}), der aldrig er beregnet; åbn filen i Excel og gem den, eller skriv værdien",
    },
    "problem.not_finite": {
        "sv": "'{value}' är inget tal som kan lagras",
        "en": "'{value}' is not a number that can be stored",
        "da": "'{value}' er ikke et tal, der kan gemmes",
    },
    "problem.not_a_number": {
        "sv": "väntade ett tal, fick '{value}'",
        "en": "expected a number, got '{value}'",
        "da": "forventede et tal, fik '{value}'",
    },
    "problem.ambiguous_number": {
        "sv": "'{value}' läses som decimaltal på svenska men som tusental på engelska; skriv utan tusentalsavgränsare (1500 eller 1,5)",
        "en": "'{value}' reads as a decimal in Swedish and Danish but as thousands in English; write it without a thousands separator (1500 or 1,5)",
        "da": "'{value}' læses som decimaltal på dansk men som tusinder på engelsk; skriv uden tusindtalsseparator (1500 eller 1,5)",
    },
    "problem.year_in_date": {
        "sv": "{value} är ett år, inget datum; skriv datumet som {value}-01-01 (ÅÅÅÅ-MM-DD)",
        "en": "{value} is a year, not a date; write the date as {value}-01-01 (YYYY-MM-DD)",
        "da": "{value} er et år, ikke en dato; skriv datoen som {value}-01-01 (ÅÅÅÅ-MM-DD)",
    },
    "problem.bad_serial": {
        "sv": "{value} är inget Excel-datum mellan 1950 och 2100",
        "en": "{value} is not an Excel date between 1950 and 2100",
        "da": "{value} er ikke en Excel-dato mellem 1950 og 2100",
    },
    "problem.bad_date": {
        "sv": "väntade ett datum som ÅÅÅÅ-MM-DD (eller DD-MM-ÅÅÅÅ), fick '{value}'",
        "en": "expected a date as YYYY-MM-DD (or DD-MM-YYYY), got '{value}'",
        "da": "forventede en dato som ÅÅÅÅ-MM-DD (eller DD-MM-ÅÅÅÅ), fik '{value}'",
    },
    "problem.ambiguous_date": {
        "sv": "'{value}' kan läsas med dagen eller månaden först; skriv datumet som ÅÅÅÅ-MM-DD",
        "en": "'{value}' can be read day first or month first; write the date as YYYY-MM-DD",
        "da": "'{value}' kan læses med dagen eller måneden først; skriv datoen som ÅÅÅÅ-MM-DD",
    },
    "problem.date_out_of_range": {
        "sv": "datumet {value} ligger utanför {lo}-{hi}",
        "en": "the date {value} is outside {lo}-{hi}",
        "da": "datoen {value} ligger uden for {lo}-{hi}",
    },
    "problem.date_in_text": {
        "sv": "Excel har gjort om värdet till ett datum ({value}); formatera kolumnen som Text och skriv in värdet igen",
        "en": "Excel turned this into a date ({value}); format the column as Text and type the value again",
        "da": "Excel har lavet værdien om til en dato ({value}); formatér kolonnen som Tekst og skriv værdien igen",
    },
    "problem.bool_in_text": {
        "sv": "väntade text, fick sanningsvärdet {value}",
        "en": "expected text, got the truth value {value}",
        "da": "forventede tekst, fik sandhedsværdien {value}",
    },
    "problem.number_in_code": {
        "sv": "Excel har sparat koden som talet {value}; formatera kolumnen som Text och skriv in koden igen",
        "en": "Excel stored this code as the number {value}; format the column as Text and type the code again",
        "da": "Excel har gemt koden som tallet {value}; formatér kolonnen som Tekst og skriv koden igen",
    },
    "problem.date_like_code": {
        "sv": "'{value}' ser ut som ett datum som Excel har gjort av en kod som 1.2; formatera kolumnen som Text och skriv in koden igen",
        "en": "'{value}' looks like a date Excel made of a code such as 1.2; format the column as Text and type the code again",
        "da": "'{value}' ligner en dato, som Excel har lavet af en kode som 1.2; formatér kolonnen som Tekst og skriv koden igen",
    },
    "problem.not_allowed": {
        "sv": "'{value}' är inte tillåtet; använd något av {choices}",
        "en": "'{value}' is not allowed; use one of {choices}",
        "da": "'{value}' er ikke tilladt; brug en af {choices}",
    },
    "problem.not_whole": {
        "sv": "väntade ett heltal, fick '{value}'",
        "en": "expected a whole number, got '{value}'",
        "da": "forventede et heltal, fik '{value}'",
    },
    "problem.date_in_number": {
        "sv": "väntade ett tal, fick datumet {value}",
        "en": "expected a number, got the date {value}",
        "da": "forventede et tal, fik datoen {value}",
    },
    "problem.too_large": {
        "sv": "{value} är för stort för att lagras",
        "en": "{value} is too large to be stored",
        "da": "{value} er for stort til at blive gemt",
    },
    "problem.unknown_column": {
        "sv": "okänd kolumn; {name} har {known}",
        "en": "unknown column; {name} has {known}",
        "da": "ukendt kolonne; {name} har {known}",
    },
    "problem.column_twice": {
        "sv": "kolumnen finns två gånger",
        "en": "column appears twice",
        "da": "kolonnen findes to gange",
    },
    "problem.missing_column": {
        "sv": "obligatorisk kolumn saknas",
        "en": "required column is missing",
        "da": "obligatorisk kolonne mangler",
    },
    "problem.control_removed": {
        "sv": "styrtecken (t.ex. en radbrytning inklistrad från Word) togs bort ur texten",
        "en": "control characters (such as a line break pasted from Word) were removed from the text",
        "da": "styretegn (fx et linjeskift indsat fra Word) blev fjernet fra teksten",
    },
    "problem.required_empty": {
        "sv": "obligatoriskt värde saknas",
        "en": "required value is empty",
        "da": "obligatorisk værdi mangler",
    },
    "problem.year_range": {
        "sv": "året {value} ligger utanför {lo}-{hi}",
        "en": "year {value} is outside {lo}-{hi}",
        "da": "året {value} ligger uden for {lo}-{hi}",
    },
    "problem.negative": {
        "sv": "beloppet {value} är negativt",
        "en": "amount {value} is negative",
        "da": "beløbet {value} er negativt",
    },
    "problem.krona_without_country": {
        "sv": "'{value}' behöver organisationens land (SE, DK, NO) för att avgöra vilken krona; eller skriv SEK, DKK eller NOK",
        "en": "'{value}' needs the organisation's country (SE, DK, NO) to say which krona; or write SEK, DKK or NOK",
        "da": "'{value}' kræver organisationens land (SE, DK, NO) for at afgøre hvilken krone; eller skriv SEK, DKK eller NOK",
    },
    "problem.bad_currency": {
        "sv": "'{value}' är ingen ISO 4217-kod (EUR, SEK)",
        "en": "'{value}' is not an ISO 4217 code (EUR, SEK)",
        "da": "'{value}' er ikke en ISO 4217-kode (EUR, DKK)",
    },
    "problem.amount_needs_currency": {
        "sv": "ett belopp behöver sin valuta",
        "en": "an amount needs its currency",
        "da": "et beløb skal have sin valuta",
    },
    "problem.before": {
        "sv": "{value} är före {other} {other_value}",
        "en": "{value} is before {other} {other_value}",
        "da": "{value} er før {other} {other_value}",
    },
    "problem.eu_over_budget": {
        "sv": "EU-medlen {value} är mer än hela budgeten {total}",
        "en": "EU funding {value} exceeds total budget {total}",
        "da": "EU-midlerne {value} overstiger det samlede budget {total}",
    },
    "problem.own_over_budget": {
        "sv": "den egna finansieringen {value} är mer än hela budgeten {total}",
        "en": "own funding {value} exceeds total budget {total}",
        "da": "egenfinansieringen {value} overstiger det samlede budget {total}",
    },
    "problem.duplicate_key": {
        "sv": "dubblett ({ids}); första gången på rad {first}",
        "en": "duplicate key ({ids}); first on row {first}",
        "da": "dublet ({ids}); første gang i række {first}",
    },
    "problem.unknown_ref": {
        "sv": "okänt {what} '{value}' (finns inte i {target})",
        "en": "unknown {what} '{value}' (not in {target})",
        "da": "ukendt {what} '{value}' (findes ikke i {target})",
    },
    "problem.goal_of_other_org": {
        "sv": "målet '{goal}' hör till '{owner}', inte till '{org}'",
        "en": "goal '{goal}' belongs to '{owner}', not to '{org}'",
        "da": "målet '{goal}' hører til '{owner}', ikke til '{org}'",
    },
    "problem.parent_other_strategy": {
        "sv": "det överordnade målet '{value}' hör till en annan strategi",
        "en": "parent goal '{value}' belongs to another strategy",
        "da": "det overordnede mål '{value}' hører til en anden strategi",
    },
    "problem.own_ancestor": {
        "sv": "'{value}' är överordnad sig själv",
        "en": "'{value}' is its own ancestor",
        "da": "'{value}' er overordnet sig selv",
    },
    "problem.unknown_table": {
        "sv": "okänd tabell '{value}'; väntade en av {known}",
        "en": "unknown table '{value}'; expected one of {known}",
        "da": "ukendt tabel '{value}'; forventede en af {known}",
    },
    "problem.missing_table": {
        "sv": "obligatorisk tabell saknas",
        "en": "required table is missing",
        "da": "obligatorisk tabel mangler",
    },
    "problem.more_rows": {
        "sv": "… och {n} rader till med samma problem (rad {rows})",
        "en": "… and {n} more rows with the same problem (rows {rows})",
        "da": "… og {n} rækker mere med samme problem (række {rows})",
    },
    "problem.more_groups": {
        "sv": "… och {n} problem till som inte visas här; rätta dem ovan och kontrollera igen",
        "en": "… and {n} more problems not shown here; fix the ones above and check again",
        "da": "… og {n} problemer mere, som ikke vises her; ret dem ovenfor og kontrollér igen",
    },
    "problem.out_symlink": {
        "sv": "datasetmappen är en symbolisk länk (till {target}); ange den riktiga mappen som --out",
        "en": "the dataset folder is a symbolic link (to {target}); give the real folder as --out",
        "da": "datasætmappen er et symbolsk link (til {target}); angiv den rigtige mappe som --out",
    },
    "problem.out_not_folder": {
        "sv": "är en fil, ingen datasetmapp",
        "en": "is a file, not a dataset folder",
        "da": "er en fil, ikke en datasætmappe",
    },
    "problem.nothing_to_import": {
        "sv": "inget att importera: ingen tabell hittades",
        "en": "nothing to import: no table was found",
        "da": "intet at importere: ingen tabel blev fundet",
    },
    "problem.wb_unknown_sheet": {
        "sv": "okänt blad '{value}'; arbetsbokens blad heter som i mallen",
        "en": "unknown sheet '{value}'; the workbook's sheets are named as in the template",
        "da": "ukendt ark '{value}'; projektmappens ark hedder som i skabelonen",
    },
    "problem.wb_unknown_column": {
        "sv": "okänd kolumn i bladet {sheet}; använd mallens rubriker",
        "en": "unknown column in the sheet {sheet}; use the template's headers",
        "da": "ukendt kolonne i arket {sheet}; brug skabelonens overskrifter",
    },
    "problem.wb_org_needed": {
        "sv": "arbetsboken har flera organisationer: ange vilken",
        "en": "the workbook holds several organisations: say which one",
        "da": "projektmappen har flere organisationer: angiv hvilken",
    },
    "problem.wb_unknown_name": {
        "sv": "'{value}' matchar inget; närmast: {closest}",
        "en": "'{value}' matches nothing; closest: {closest}",
        "da": "'{value}' matcher intet; nærmest: {closest}",
    },
    "problem.wb_no_strategy": {
        "sv": "{org} har ingen strategi; lägg till den på bladet med strategier",
        "en": "{org} has no strategy; add it to the strategies sheet",
        "da": "{org} har ingen strategi; tilføj den på arket med strategier",
    },
    "problem.wb_which_strategy": {
        "sv": "flera strategier kan gälla ({year}): {titles}; ange en i kolumnen för strategi",
        "en": "several strategies could apply ({year}): {titles}; name one in the strategy column",
        "da": "flere strategier kan gælde ({year}): {titles}; angiv én i kolonnen for strategi",
    },
    "problem.wb_goals_as_number": {
        "sv": "Excel har sparat målen som talet {value} (1,4 i en talcell); formatera kolumnen som Text och skriv in dem igen",
        "en": "Excel stored the goals as the number {value} (1,4 typed in a number cell); format the column as Text and type them again",
        "da": "Excel har gemt målene som tallet {value} (1,4 i en talcelle); formatér kolonnen som Tekst og skriv dem igen",
    },
    "problem.wb_unknown_goal": {
        "sv": "mål {value} finns inte i {strategy}; dess mål är {closest}",
        "en": "goal {value} is not in {strategy}; its goals are {closest}",
        "da": "mål {value} findes ikke i {strategy}; dens mål er {closest}",
    },
    "wb.sheet.organisation": {"sv": "Organisation", "en": "Organisation", "da": "Organisation"},
    "wb.sheet.strategies": {"sv": "Strategier", "en": "Strategies", "da": "Strategier"},
    "wb.sheet.goals": {"sv": "Mål", "en": "Goals", "da": "Mål"},
    "wb.sheet.activities": {"sv": "Aktiviteter", "en": "Activities", "da": "Aktiviteter"},
    "wb.sheet.networks": {"sv": "Nätverk", "en": "Networks", "da": "Netværk"},
    "wb.sheet.memberships": {"sv": "Medlemskap", "en": "Memberships", "da": "Medlemskaber"},
    "wb.sheet.projects": {"sv": "Projekt", "en": "Projects", "da": "Projekter"},
    "wb.sheet.indicators": {"sv": "Indikatorer", "en": "Indicators", "da": "Indikatorer"},
    "wb.sheet.indicator_values": {
        "sv": "Indikatorvärden",
        "en": "Indicator values",
        "da": "Indikatorværdier",
    },
    "wb.sheet.assessments": {"sv": "Bedömningar", "en": "Assessments", "da": "Vurderinger"},
    "wb.sheet.readme": {"sv": "Läs mig", "en": "Read me", "da": "Læs mig"},
    "wb.col.name": {"sv": "Namn", "en": "Name", "da": "Navn"},
    "wb.note.name": {
        "sv": "Namnet som det skrivs, t.ex. Gotlands kommun.",
        "en": "The name as it is written, e.g. Gotlands kommun.",
        "da": "Navnet som det skrives, fx Slagelse Kommune.",
    },
    "wb.col.org_kind": {"sv": "Slag", "en": "Kind", "da": "Type"},
    "wb.note.org_kind": {
        "sv": "Kommun, region eller förbund.",
        "en": "Municipality, region or association.",
        "da": "Kommune, region eller forening.",
    },
    "wb.col.country": {"sv": "Land", "en": "Country", "da": "Land"},
    "wb.note.country": {
        "sv": "Landskod med två bokstäver: SE, DK, NO, FI; EU eller INT för internationella organ.",
        "en": "Two-letter country code: SE, DK, NO, FI; EU or INT for international bodies.",
        "da": "Landekode med to bogstaver: SE, DK, NO, FI; EU eller INT for internationale organer.",
    },
    "wb.col.lat": {"sv": "Latitud", "en": "Latitude", "da": "Breddegrad"},
    "wb.note.lat": {
        "sv": "Frivilligt: latitud för kartan (57,64).",
        "en": "Optional: latitude of the seat for the map (57.64).",
        "da": "Valgfrit: breddegrad til kortet (55,40).",
    },
    "wb.col.lon": {"sv": "Longitud", "en": "Longitude", "da": "Længdegrad"},
    "wb.note.lon": {
        "sv": "Frivilligt: longitud för kartan (18,30).",
        "en": "Optional: longitude of the seat for the map (18.30).",
        "da": "Valgfrit: længdegrad til kortet (11,35).",
    },
    "wb.col.source": {"sv": "Källa", "en": "Source", "da": "Kilde"},
    "wb.note.source": {
        "sv": "Var raden kommer ifrån: dokument och avsnitt, eller 'illustrative'.",
        "en": "Where the row comes from: the document and section, or 'illustrative'.",
        "da": "Hvor rækken kommer fra: dokument og afsnit, eller 'illustrative'.",
    },
    "wb.col.organisation": {"sv": "Organisation", "en": "Organisation", "da": "Organisation"},
    "wb.note.organisation": {
        "sv": "Organisationens namn som på bladet Organisation; kan lämnas tomt när arbetsboken har en organisation.",
        "en": "The organisation's name as on the Organisation sheet; may be left empty when the workbook has one organisation.",
        "da": "Organisationens navn som på arket Organisation; kan stå tomt, når projektmappen har én organisation.",
    },
    "wb.col.strategy_title": {"sv": "Titel", "en": "Title", "da": "Titel"},
    "wb.note.strategy_title": {
        "sv": "Strategins eller handlingsplanens titel som i dokumentet.",
        "en": "The strategy's or action plan's title as in the document.",
        "da": "Strategiens eller handlingsplanens titel som i dokumentet.",
    },
    "wb.col.adopted_on": {"sv": "Antagen", "en": "Adopted", "da": "Vedtaget"},
    "wb.note.adopted_on": {
        "sv": "Beslutsdatum (ÅÅÅÅ-MM-DD), om det är känt.",
        "en": "Date of the decision (YYYY-MM-DD), if known.",
        "da": "Beslutningsdato (ÅÅÅÅ-MM-DD), hvis den kendes.",
    },
    "wb.col.valid_from": {"sv": "Gäller från", "en": "Valid from", "da": "Gælder fra"},
    "wb.note.valid_from": {
        "sv": "Första dagen den gäller (ÅÅÅÅ-MM-DD).",
        "en": "First day it applies (YYYY-MM-DD).",
        "da": "Første dag den gælder (ÅÅÅÅ-MM-DD).",
    },
    "wb.col.valid_to": {"sv": "Gäller till", "en": "Valid to", "da": "Gælder til"},
    "wb.note.valid_to": {
        "sv": "Sista dagen den gäller; tomt tills den ersätts.",
        "en": "Last day it applies; empty until replaced.",
        "da": "Sidste dag den gælder; tom indtil den erstattes.",
    },
    "wb.col.decided_by": {"sv": "Beslutad av", "en": "Decided by", "da": "Besluttet af"},
    "wb.note.decided_by": {
        "sv": "Organ och paragraf, t.ex. KS § 130.",
        "en": "Body and paragraph, e.g. KS § 130.",
        "da": "Organ og paragraf, fx ØU § 130.",
    },
    "wb.col.strategy": {"sv": "Strategi", "en": "Strategy", "da": "Strategi"},
    "wb.note.strategy": {
        "sv": "Strategins titel; kan lämnas tomt när organisationen har en strategi, eller en som gäller radens år.",
        "en": "The strategy's title; may be left empty when the organisation has one strategy, or one valid in the row's year.",
        "da": "Strategiens titel; kan stå tom, når organisationen har én strategi, eller én der gælder i rækkens år.",
    },
    "wb.col.number": {"sv": "Nummer", "en": "Number", "da": "Nummer"},
    "wb.note.number": {
        "sv": "Målets nummer eller kod som i dokumentet (1, 2, S1). Formatera kolumnen som Text, annars gör Excel om 1.2 till ett datum.",
        "en": "The goal's number or code as the document gives it (1, 2, S1). Format the column as Text, or Excel turns 1.2 into a date.",
        "da": "Målets nummer eller kode som i dokumentet (1, 2, S1). Formatér kolonnen som Tekst, ellers laver Excel 1.2 om til en dato.",
    },
    "wb.col.wording": {"sv": "Lydelse", "en": "Wording", "da": "Ordlyd"},
    "wb.note.wording": {
        "sv": "Målet som dokumentet formulerar det.",
        "en": "The goal as the document words it.",
        "da": "Målet som dokumentet formulerer det.",
    },
    "wb.col.goal_kind": {"sv": "Slag", "en": "Kind", "da": "Type"},
    "wb.note.goal_kind": {
        "sv": "Vad dokumentet kallar det: mål, syfte, prioriterat område, insatsområde, mätbart mål eller vision.",
        "en": "What the document calls it: goal, purpose, priority area, focus area, target or vision.",
        "da": "Hvad dokumentet kalder det: mål, formål, prioriteret område, indsatsområde, måltal eller vision.",
    },
    "wb.col.parent": {"sv": "Del av mål", "en": "Part of goal", "da": "Del af mål"},
    "wb.note.parent": {
        "sv": "Frivilligt: numret på målet som detta hör till.",
        "en": "Optional: the number of the goal this one belongs under.",
        "da": "Valgfrit: nummeret på det mål, dette hører under.",
    },
    "wb.col.year": {"sv": "År", "en": "Year", "da": "År"},
    "wb.note.year": {
        "sv": "Året, t.ex. 2009.",
        "en": "The year, e.g. 2009.",
        "da": "Året, fx 2012.",
    },
    "wb.col.activity_title": {"sv": "Aktivitet", "en": "Activity", "da": "Aktivitet"},
    "wb.note.activity_title": {
        "sv": "Vad som gjordes eller planerades, som handlingsplanen eller rapporten skriver.",
        "en": "What was done or planned, as the action plan or report words it.",
        "da": "Hvad der blev gjort eller planlagt, som handlingsplanen eller rapporten skriver.",
    },
    "wb.col.department": {"sv": "Förvaltning", "en": "Department", "da": "Forvaltning"},
    "wb.note.department": {
        "sv": "Ansvarig förvaltning eller enhet.",
        "en": "The department or office responsible.",
        "da": "Ansvarlig forvaltning eller afdeling.",
    },
    "wb.col.activity_type": {"sv": "Typ", "en": "Type", "da": "Type"},
    "wb.note.activity_type": {
        "sv": "Frivilligt: möte, besök, projekt, nätverk, ...",
        "en": "Optional: meeting, visit, project, network, ...",
        "da": "Valgfrit: møde, besøg, projekt, netværk, ...",
    },
    "wb.col.network": {"sv": "Nätverk", "en": "Network", "da": "Netværk"},
    "wb.note.network": {
        "sv": "Frivilligt: nätverkets namn eller förkortning som på bladet Nätverk.",
        "en": "Optional: the network's name or acronym as on the Networks sheet.",
        "da": "Valgfrit: netværkets navn eller forkortelse som på arket Netværk.",
    },
    "wb.col.project": {"sv": "Projekt", "en": "Project", "da": "Projekt"},
    "wb.note.project": {
        "sv": "Frivilligt: projektets titel eller förkortning som på bladet Projekt.",
        "en": "Optional: the project's title or acronym as on the Projects sheet.",
        "da": "Valgfrit: projektets titel eller forkortelse som på arket Projekter.",
    },
    "wb.col.activity_status": {"sv": "Status", "en": "Status", "da": "Status"},
    "wb.note.activity_status": {
        "sv": "Planerad, pågår, genomförd eller inställd.",
        "en": "Planned, ongoing, done or cancelled.",
        "da": "Planlagt, igangværende, gennemført eller aflyst.",
    },
    "wb.col.cost": {"sv": "Kostnad", "en": "Cost", "da": "Omkostning"},
    "wb.note.cost": {
        "sv": "Frivilligt: vad det kostade organisationen, ett tal utan valuta.",
        "en": "Optional: what it cost the organisation, a number without currency.",
        "da": "Valgfrit: hvad det kostede organisationen, et tal uden valuta.",
    },
    "wb.col.currency": {"sv": "Valuta", "en": "Currency", "da": "Valuta"},
    "wb.note.currency": {
        "sv": "Valutan för radens belopp: kr (organisationens egen krona), SEK, DKK, EUR.",
        "en": "The currency of the amounts in the row: kr (the organisation's own krona), SEK, DKK, EUR.",
        "da": "Valutaen for rækkens beløb: kr (organisationens egen krone), DKK, SEK, EUR.",
    },
    "wb.col.goals": {"sv": "Mål", "en": "Goals", "da": "Mål"},
    "wb.note.goals": {
        "sv": "Numren på målen den tjänar, som handlingsplanen skriver dem: 1,4 eller 1, 2 3,6 eller samtliga. Formatera kolumnen som Text.",
        "en": "The goal numbers it serves, as the action plan writes them: 1,4 or 1, 2 3,6 or all. Format the column as Text.",
        "da": "Numrene på de mål den tjener, som handlingsplanen skriver dem: 1,4 eller 1, 2 3,6 eller alle. Formatér kolonnen som Tekst.",
    },
    "wb.col.goals_source": {
        "sv": "Målkopplingens källa",
        "en": "Goals' source",
        "da": "Målkoblingens kilde",
    },
    "wb.note.goals_source": {
        "sv": "Frivilligt: var kopplingen till målen kommer ifrån, om inte radens källa ('illustrative').",
        "en": "Optional: where the link to the goals comes from, when not the row's source ('illustrative').",
        "da": "Valgfrit: hvor koblingen til målene kommer fra, hvis ikke rækkens kilde ('illustrative').",
    },
    "wb.col.acronym": {"sv": "Förkortning", "en": "Acronym", "da": "Forkortelse"},
    "wb.note.acronym": {
        "sv": "Frivilligt kortnamn (CPMR, InterLoc).",
        "en": "Optional short name (CPMR, InterLoc).",
        "da": "Valgfrit kort navn (CPMR, InterLoc).",
    },
    "wb.col.network_kind": {"sv": "Slag", "en": "Kind", "da": "Type"},
    "wb.note.network_kind": {
        "sv": "Nätverk, organisation, vänort, partnerkommun eller kontor.",
        "en": "Network, organisation, twin town, partner municipality or office.",
        "da": "Netværk, organisation, venskabsby, partnerkommune eller kontor.",
    },
    "wb.col.part_of": {"sv": "Del av", "en": "Part of", "da": "Del af"},
    "wb.note.part_of": {
        "sv": "Frivilligt: nätverket som detta ingår i (Islands Commission ingår i CPMR).",
        "en": "Optional: the network this one is part of (Islands Commission is part of CPMR).",
        "da": "Valgfrit: det netværk, dette indgår i (Islands Commission indgår i CPMR).",
    },
    "wb.col.since_year": {"sv": "Medlem sedan", "en": "Member since", "da": "Medlem siden"},
    "wb.note.since_year": {
        "sv": "Första året som medlem.",
        "en": "First year of membership.",
        "da": "Første år som medlem.",
    },
    "wb.col.until_year": {"sv": "Medlem till", "en": "Member until", "da": "Medlem til"},
    "wb.note.until_year": {
        "sv": "Sista året som medlem; tomt så länge medlemskapet gäller.",
        "en": "Last year of membership; empty while still a member.",
        "da": "Sidste år som medlem; tom så længe medlemskabet gælder.",
    },
    "wb.col.membership_role": {"sv": "Roll", "en": "Role", "da": "Rolle"},
    "wb.note.membership_role": {
        "sv": "Medlem, styrelse, ordförande, sekretariat, partner eller tjänstepartner.",
        "en": "Member, board, chair, secretariat, partner or service partner.",
        "da": "Medlem, bestyrelse, formand, sekretariat, partner eller servicepartner.",
    },
    "wb.col.annual_fee": {"sv": "Årsavgift", "en": "Annual fee", "da": "Årskontingent"},
    "wb.note.annual_fee": {
        "sv": "Frivilligt: årsavgiften, ett tal; ange valutan bredvid.",
        "en": "Optional: the yearly fee, a number; give the currency beside it.",
        "da": "Valgfrit: årskontingentet, et tal; angiv valutaen ved siden af.",
    },
    "wb.col.project_title": {"sv": "Titel", "en": "Title", "da": "Titel"},
    "wb.note.project_title": {
        "sv": "Projektets titel som i dokumentet.",
        "en": "The project's title as in the document.",
        "da": "Projektets titel som i dokumentet.",
    },
    "wb.col.programme": {"sv": "Program", "en": "Programme", "da": "Program"},
    "wb.note.programme": {
        "sv": "Frivilligt: finansierande program (Interreg, ICLD, ...).",
        "en": "Optional: the funding programme (Interreg, ICLD, ...).",
        "da": "Valgfrit: finansierende program (Interreg, ICLD, ...).",
    },
    "wb.col.project_role": {"sv": "Roll", "en": "Role", "da": "Rolle"},
    "wb.note.project_role": {
        "sv": "Lead partner eller partner.",
        "en": "Lead partner or partner.",
        "da": "Lead partner eller partner.",
    },
    "wb.col.project_status": {"sv": "Status", "en": "Status", "da": "Status"},
    "wb.note.project_status": {
        "sv": "Idé, ansökt, beviljat, pågår, avslutat eller avslaget.",
        "en": "Idea, applied, granted, running, closed or rejected.",
        "da": "Idé, ansøgt, bevilget, igangværende, afsluttet eller afvist.",
    },
    "wb.col.start_date": {"sv": "Start", "en": "Start", "da": "Start"},
    "wb.note.start_date": {
        "sv": "Första dagen (ÅÅÅÅ-MM-DD).",
        "en": "First day (YYYY-MM-DD).",
        "da": "Første dag (ÅÅÅÅ-MM-DD).",
    },
    "wb.col.end_date": {"sv": "Slut", "en": "End", "da": "Slut"},
    "wb.note.end_date": {
        "sv": "Sista dagen (ÅÅÅÅ-MM-DD).",
        "en": "Last day (YYYY-MM-DD).",
        "da": "Sidste dag (ÅÅÅÅ-MM-DD).",
    },
    "wb.col.total_budget": {"sv": "Total budget", "en": "Total budget", "da": "Samlet budget"},
    "wb.note.total_budget": {
        "sv": "Projektets hela budget.",
        "en": "The whole budget of the project.",
        "da": "Projektets samlede budget.",
    },
    "wb.col.eu_funding": {"sv": "EU-medel", "en": "EU funding", "da": "EU-midler"},
    "wb.note.eu_funding": {
        "sv": "EU:s medfinansiering, högst hela budgeten.",
        "en": "EU co-financing, at most the total budget.",
        "da": "EU's medfinansiering, højst det samlede budget.",
    },
    "wb.col.own_funding": {
        "sv": "Egen finansiering",
        "en": "Own funding",
        "da": "Egenfinansiering",
    },
    "wb.note.own_funding": {
        "sv": "Organisationens egen finansiering.",
        "en": "The organisation's own financing.",
        "da": "Organisationens egenfinansiering.",
    },
    "wb.col.indicator_name": {"sv": "Indikator", "en": "Indicator", "da": "Indikator"},
    "wb.note.indicator_name": {
        "sv": "Indikatorns namn.",
        "en": "The indicator's name.",
        "da": "Indikatorens navn.",
    },
    "wb.col.goal": {"sv": "Mål", "en": "Goal", "da": "Mål"},
    "wb.note.goal": {
        "sv": "Numret på målet det gäller. Formatera kolumnen som Text.",
        "en": "The number of the goal it concerns. Format the column as Text.",
        "da": "Nummeret på det mål, det gælder. Formatér kolonnen som Tekst.",
    },
    "wb.col.unit": {"sv": "Enhet", "en": "Unit", "da": "Enhed"},
    "wb.note.unit": {
        "sv": "Värdenas enhet: projekt, EUR, %, möten ...",
        "en": "The unit of the values: projects, EUR, %, meetings ...",
        "da": "Værdiernes enhed: projekter, EUR, %, møder ...",
    },
    "wb.col.direction": {"sv": "Bättre när", "en": "Better when", "da": "Bedre når"},
    "wb.note.direction": {
        "sv": "Om högre eller lägre värden är bättre.",
        "en": "Whether higher or lower values are better.",
        "da": "Om højere eller lavere værdier er bedre.",
    },
    "wb.col.baseline_year": {"sv": "Basår", "en": "Baseline year", "da": "Basisår"},
    "wb.note.baseline_year": {
        "sv": "Frivilligt: basvärdets år.",
        "en": "Optional: the year of the baseline.",
        "da": "Valgfrit: basisværdiens år.",
    },
    "wb.col.baseline": {"sv": "Basvärde", "en": "Baseline", "da": "Basisværdi"},
    "wb.note.baseline": {
        "sv": "Frivilligt: värdet innan strategin började.",
        "en": "Optional: the value before the strategy started.",
        "da": "Valgfrit: værdien før strategien startede.",
    },
    "wb.col.definition": {"sv": "Definition", "en": "Definition", "da": "Definition"},
    "wb.note.definition": {
        "sv": "Hur den mäts.",
        "en": "How it is measured.",
        "da": "Hvordan den måles.",
    },
    "wb.col.indicator": {"sv": "Indikator", "en": "Indicator", "da": "Indikator"},
    "wb.note.indicator": {
        "sv": "Indikatorns namn som på bladet Indikatorer.",
        "en": "The indicator's name as on the Indicators sheet.",
        "da": "Indikatorens navn som på arket Indikatorer.",
    },
    "wb.col.target": {"sv": "Målvärde", "en": "Target", "da": "Målværdi"},
    "wb.note.target": {
        "sv": "Värdet som eftersträvas för året.",
        "en": "The value aimed at for the year.",
        "da": "Værdien der sigtes mod for året.",
    },
    "wb.col.actual": {"sv": "Utfall", "en": "Actual", "da": "Resultat"},
    "wb.note.actual": {
        "sv": "Värdet som nåddes under året.",
        "en": "The value reached in the year.",
        "da": "Værdien der blev nået i året.",
    },
    "wb.col.assessment_status": {"sv": "Bedömning", "en": "Verdict", "da": "Vurdering"},
    "wb.note.assessment_status": {
        "sv": "Uppnått, i fas, risk, ur fas eller ej bedömt.",
        "en": "Achieved, on track, at risk, off track or not assessed.",
        "da": "Opnået, på sporet, i risiko, ikke på sporet eller ikke vurderet.",
    },
    "wb.col.comment": {"sv": "Analys", "en": "Analysis", "da": "Analyse"},
    "wb.note.comment": {
        "sv": "Den skriftliga analysen av året.",
        "en": "The written analysis of the year.",
        "da": "Den skriftlige analyse af året.",
    },
    "wb.col.assessed_by": {"sv": "Bedömd av", "en": "Assessed by", "da": "Vurderet af"},
    "wb.note.assessed_by": {
        "sv": "Vem som gjorde bedömningen.",
        "en": "Who made the assessment.",
        "da": "Hvem der foretog vurderingen.",
    },
    "code.org_kind.municipality": {"sv": "Kommun", "en": "Municipality", "da": "Kommune"},
    "code.org_kind.region": {"sv": "Region", "en": "Region", "da": "Region"},
    "code.org_kind.association": {"sv": "Förbund", "en": "Association", "da": "Forening"},
    "code.goal_kind.vision": {"sv": "Vision", "en": "Vision", "da": "Vision"},
    "code.goal_kind.purpose": {"sv": "Syfte", "en": "Purpose", "da": "Formål"},
    "code.goal_kind.goal": {"sv": "Mål", "en": "Goal", "da": "Mål"},
    "code.goal_kind.priority_area": {
        "sv": "Prioriterat område",
        "en": "Priority area",
        "da": "Prioriteret område",
    },
    "code.goal_kind.focus_area": {"sv": "Insatsområde", "en": "Focus area", "da": "Indsatsområde"},
    "code.goal_kind.target": {"sv": "Mätbart mål", "en": "Target", "da": "Måltal"},
    "code.network_kind.network": {"sv": "Nätverk", "en": "Network", "da": "Netværk"},
    "code.network_kind.organisation": {
        "sv": "Organisation",
        "en": "Organisation",
        "da": "Organisation",
    },
    "code.network_kind.twin_town": {"sv": "Vänort", "en": "Twin town", "da": "Venskabsby"},
    "code.network_kind.partner": {
        "sv": "Partnerkommun",
        "en": "Partner municipality",
        "da": "Partnerkommune",
    },
    "code.network_kind.office": {"sv": "Kontor", "en": "Office", "da": "Kontor"},
    "code.project_role.lead_partner": {
        "sv": "Lead partner",
        "en": "Lead partner",
        "da": "Lead partner",
    },
    "code.project_role.partner": {"sv": "Partner", "en": "Partner", "da": "Partner"},
    "code.project_status.idea": {"sv": "Idé", "en": "Idea", "da": "Idé"},
    "code.project_status.applied": {"sv": "Ansökt", "en": "Applied", "da": "Ansøgt"},
    "code.project_status.granted": {"sv": "Beviljat", "en": "Granted", "da": "Bevilget"},
    "code.project_status.running": {"sv": "Pågår", "en": "Running", "da": "Igangværende"},
    "code.project_status.closed": {"sv": "Avslutat", "en": "Closed", "da": "Afsluttet"},
    "code.project_status.rejected": {"sv": "Avslaget", "en": "Rejected", "da": "Afvist"},
    "code.activity_status.planned": {"sv": "Planerad", "en": "Planned", "da": "Planlagt"},
    "code.activity_status.ongoing": {"sv": "Pågår", "en": "Ongoing", "da": "Igangværende"},
    "code.activity_status.done": {"sv": "Genomförd", "en": "Done", "da": "Gennemført"},
    "code.activity_status.cancelled": {"sv": "Inställd", "en": "Cancelled", "da": "Aflyst"},
    "code.membership_role.member": {"sv": "Medlem", "en": "Member", "da": "Medlem"},
    "code.membership_role.board": {"sv": "Styrelse", "en": "Board", "da": "Bestyrelse"},
    "code.membership_role.chair": {"sv": "Ordförande", "en": "Chair", "da": "Formand"},
    "code.membership_role.secretariat": {
        "sv": "Sekretariat",
        "en": "Secretariat",
        "da": "Sekretariat",
    },
    "code.membership_role.partner": {"sv": "Partner", "en": "Partner", "da": "Partner"},
    "code.membership_role.service_partner": {
        "sv": "Tjänstepartner",
        "en": "Service partner",
        "da": "Servicepartner",
    },
    "code.direction.higher": {
        "sv": "Högre är bättre",
        "en": "Higher is better",
        "da": "Højere er bedre",
    },
    "code.direction.lower": {
        "sv": "Lägre är bättre",
        "en": "Lower is better",
        "da": "Lavere er bedre",
    },
    "code.assessment_status.achieved": {"sv": "Uppnått", "en": "Achieved", "da": "Opnået"},
    "code.assessment_status.on_track": {"sv": "I fas", "en": "On track", "da": "På sporet"},
    "code.assessment_status.at_risk": {"sv": "Risk", "en": "At risk", "da": "I risiko"},
    "code.assessment_status.off_track": {"sv": "Ur fas", "en": "Off track", "da": "Ikke på sporet"},
    "code.assessment_status.not_assessed": {
        "sv": "Ej bedömt",
        "en": "Not assessed",
        "da": "Ikke vurderet",
    },
}
TEXTS.update(IMPORT_TEXTS)


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


TEXTS.update(
    {
        "cli.warning": {"sv": "varning: {line}", "en": "warning: {line}", "da": "advarsel: {line}"},
        "cli.failed": {
            "sv": "{n} problem; inget skrevs.",
            "en": "{n} problem(s); nothing was written.",
            "da": "{n} problem(er); intet blev skrevet.",
        },
        "cli.imported": {
            "sv": "{n} rader finns nu i {out}",
            "en": "{n} rows are now in {out}",
            "da": "{n} rækker er nu i {out}",
        },
        "cli.table.replaced": {
            "sv": "{table}: ersatt ({before} → {after} rader)",
            "en": "{table}: replaced ({before} → {after} rows)",
            "da": "{table}: erstattet ({before} → {after} rækker)",
        },
        "cli.table.kept": {
            "sv": "{table}: behölls ({after} rader; källan har inte tabellen)",
            "en": "{table}: kept ({after} rows; the source does not hold it)",
            "da": "{table}: beholdt ({after} rækker; kilden har ikke tabellen)",
        },
        "cli.table.emptied": {
            "sv": "{table}: tömd ({before} → 0 rader; källan har tabellen utan rader)",
            "en": "{table}: emptied ({before} → 0 rows; the source holds it without rows)",
            "da": "{table}: tømt ({before} → 0 rækker; kilden har tabellen uden rækker)",
        },
        "cli.table.created": {
            "sv": "{table}: ny ({after} rader)",
            "en": "{table}: created ({after} rows)",
            "da": "{table}: ny ({after} rækker)",
        },
    }
)

TEXTS.update(
    {
        "problem.upload_too_large": {
            "sv": "filen är större än {mb} MB; dela upp den eller be den som driver tjänsten",
            "en": "the file is larger than {mb} MB; split it or ask whoever runs the service",
            "da": "filen er større end {mb} MB; del den op eller spørg den, der driver tjenesten",
        },
        "problem.xml_forbidden": {
            "sv": "arbetsboken innehåller XML med DTD- eller entitetsdeklarationer, som aldrig "
            "läses (de kan spränga minnet eller hämta filer); spara den från Excel igen",
            "en": "the workbook holds XML with DTD or entity declarations, which are never "
            "read (they can exhaust memory or fetch files); save it from Excel again",
            "da": "projektmappen indeholder XML med DTD- eller entitetserklæringer, som aldrig "
            "læses (de kan opbruge hukommelsen eller hente filer); gem den fra Excel igen",
        },
        "problem.upload_too_slow": {
            "sv": "filen tog längre än {seconds} s att kontrollera och avbröts; dela upp den (t.ex. en arbetsbok per organisation)",
            "en": "checking the file took longer than {seconds} s and was stopped; split it (for example one workbook per organisation)",
            "da": "kontrollen af filen tog længere end {seconds} s og blev afbrudt; del den op (fx én projektmappe pr. organisation)",
        },
        "problem.upload_too_big_memory": {
            "sv": "filen behövde mer än {mb} MB minne och avbröts; dela upp den (t.ex. en arbetsbok per organisation)",
            "en": "the file needed more than {mb} MB of memory and was stopped; split it (for example one workbook per organisation)",
            "da": "filen krævede mere end {mb} MB hukommelse og blev afbrudt; del den op (fx én projektmappe pr. organisation)",
        },
        "problem.zip_too_large": {
            "sv": "zip-filen har för många eller för stora filer",
            "en": "the zip holds too many or too large files",
            "da": "zip-filen har for mange eller for store filer",
        },
    }
)

TEXTS.update(
    {
        "wb.list_error": {
            "sv": "Välj ett ord ur listan.",
            "en": "Choose a word from the list.",
            "da": "Vælg et ord fra listen.",
        },
        "wb.readme.title": {
            "sv": "Målbild: samordnarens arbetsbok",
            "en": "Målbild: the coordinator's workbook",
            "da": "Målbild: koordinatorens projektmappe",
        },
        "wb.readme.body": {
            "sv": "Fyll i ett blad per del: organisationen, strategin och dess mål, årets "
            "aktiviteter med de mål de tjänar (1,4), nätverk och medlemskap, projekt, "
            "indikatorer och deras värden, bedömningar.\nSkriv namn och målnummer, inga "
            "id:n; kodade kolumner har en lista, och ord på svenska, danska eller engelska "
            "godtas.\nEn rad som har ett id i den dolda första kolumnen behåller det id:t "
            "när du ändrar titeln.\nImportera med `python -m dashboard ingest FIL.xlsx` "
            "eller på sidan Data. Varje kolumn beskrivs nedan och i rubrikens kommentar.",
            "en": "Fill in one sheet per part: the organisation, the strategy and its goals, "
            "the year's activities with the goals they serve (1,4), networks and "
            "memberships, projects, indicators and their values, assessments.\nWrite names "
            "and goal numbers, no ids; coded columns have a list, and words in Swedish, "
            "Danish or English are accepted.\nA row with an id in the hidden first column "
            "keeps that id when you change its title.\nImport with `python -m dashboard "
            "ingest FILE.xlsx` or on the Data page. Every column is described below and in "
            "its header's comment.",
            "da": "Udfyld ét ark pr. del: organisationen, strategien og dens mål, årets "
            "aktiviteter med de mål, de tjener (1,4), netværk og medlemskaber, projekter, "
            "indikatorer og deres værdier, vurderinger.\nSkriv navne og målnumre, ingen "
            "id'er; kodede kolonner har en liste, og ord på dansk, svensk eller engelsk "
            "accepteres.\nEn række med et id i den skjulte første kolonne beholder det id, "
            "når du ændrer titlen.\nImportér med `python -m dashboard ingest FIL.xlsx` "
            "eller på siden Data. Hver kolonne er beskrevet nedenfor og i overskriftens "
            "kommentar.",
        },
        "wb.readme.sheet": {"sv": "Blad", "en": "Sheet", "da": "Ark"},
        "wb.readme.column": {"sv": "Kolumn", "en": "Column", "da": "Kolonne"},
        "wb.readme.note": {
            "sv": "Vad den ska innehålla",
            "en": "What it holds",
            "da": "Hvad den skal indeholde",
        },
        "wb.readme.words": {"sv": "Godtagna ord", "en": "Accepted words", "da": "Accepterede ord"},
    }
)
