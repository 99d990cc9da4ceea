"""A synthetic dataset in the data contract, for benchmarks and demos.

`generate(n_activities, out, seed)` writes about 300 Swedish and Danish municipalities,
regions and associations with one strategy each, ~60 networks, memberships, projects,
indicators, assessments and exactly *n_activities* activities spread over 1996-2025,
each serving 1 to 4 goals of its own organisation's strategy.

The dataset goes through the same layout as the import (`dataset.write_table`,
`publish.publish` for the summary tables, the manifest and the swap). The two big
tables, activities and activity_goals, are never held whole: they are generated with numpy
one organisation at a time, in the contract's sort order, and appended to the Parquet
files in full row groups of `dataset.ROW_GROUP_SIZE` rows. Generating ten million
activities takes well under a gigabyte; building the summaries afterwards is capped at 1
GB of DuckDB memory (1.5 GB peak for the process, 19 s in all).

The same seed always gives the same files: every organisation's activities come from
their own random stream, so the output does not depend on how the work is chunked, and
every table but activities, activity_goals, projects and project_goals is the same for
any number of activities.
"""

from __future__ import annotations

import contextlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.model.contract import (
    ACTIVITY_STATUSES,
    ASSESSMENT_STATUSES,
    TABLE_BY_NAME,
    TABLES,
    Table,
)
from dashboard.storage.dataset import (
    ROW_GROUP_SIZE,
    arrow_schema,
    table_path,
    write_table,
)

SOURCE = "synthetic"
FIRST_YEAR = 1996
LAST_YEAR = 2025
N_YEARS = LAST_YEAR - FIRST_YEAR + 1
TODAY = np.datetime64("2025-06-30")  # "now" for project statuses, fixed for determinism
CHUNK_ROWS = 1 << 18  # activities generated before a write is handed to the writer
MAX_GOALS = 12
_LINKS_P = (0.35, 0.35, 0.2, 0.1)  # share of activities serving 1, 2, 3, 4 goals

# ---------------------------------------------------------------- vocabulary

_SE_ANCHORS = (
    (59.33, 18.07), (57.71, 11.97), (55.60, 13.00), (59.86, 17.64), (59.61, 16.55),
    (59.27, 15.21), (58.41, 15.62), (56.05, 12.69), (57.78, 14.16), (58.59, 16.18),
    (55.70, 13.19), (63.83, 20.26), (60.67, 17.14), (57.72, 12.94), (59.37, 16.51),
    (59.20, 17.63), (59.40, 13.50), (56.88, 14.81), (56.67, 12.86), (62.39, 17.31),
    (65.58, 22.15), (63.18, 14.64), (56.66, 16.36), (57.64, 18.30), (67.86, 20.23),
    (60.61, 15.63), (56.03, 14.16), (56.16, 15.59), (64.75, 20.95), (58.28, 12.29),
)  # fmt: skip
_DK_ANCHORS = (
    (55.68, 12.57), (56.16, 10.21), (55.40, 10.39), (57.05, 9.92), (55.48, 8.45),
    (56.46, 10.04), (55.49, 9.47), (55.86, 9.85), (55.71, 9.54), (55.64, 12.08),
    (56.14, 8.97), (56.17, 9.55), (55.23, 11.76), (55.40, 11.35), (56.45, 9.40),
    (55.72, 11.71), (57.46, 9.98), (55.06, 10.61), (54.91, 9.79), (55.10, 14.70),
    (57.44, 10.54), (56.96, 8.69),
)  # fmt: skip
_SE_REGIONS = (
    ("Region Stockholm", 59.33, 18.07), ("Region Uppsala", 59.86, 17.64),
    ("Region Sörmland", 58.75, 17.01), ("Region Östergötland", 58.41, 15.62),
    ("Region Jönköpings län", 57.78, 14.16), ("Region Kronoberg", 56.88, 14.81),
    ("Region Kalmar län", 56.66, 16.36), ("Region Gotland", 57.64, 18.30),
    ("Region Blekinge", 56.16, 15.59), ("Region Skåne", 56.03, 14.16),
    ("Region Halland", 56.67, 12.86), ("Västra Götalandsregionen", 58.38, 12.32),
    ("Region Värmland", 59.40, 13.50), ("Region Örebro län", 59.27, 15.21),
    ("Region Västmanland", 59.61, 16.55), ("Region Dalarna", 60.61, 15.63),
    ("Region Gävleborg", 60.67, 17.14), ("Region Västernorrland", 62.63, 17.94),
    ("Region Jämtland Härjedalen", 63.18, 14.64), ("Region Västerbotten", 63.83, 20.26),
    ("Region Norrbotten", 65.58, 22.15),
)  # fmt: skip
_DK_REGIONS = (
    ("Region Hovedstaden", 55.93, 12.31), ("Region Sjælland", 55.43, 11.56),
    ("Region Syddanmark", 55.71, 9.54), ("Region Midtjylland", 56.45, 9.40),
    ("Region Nordjylland", 57.05, 9.92),
)  # fmt: skip
_SE_ASSOCIATIONS = (
    ("Kommunförbundet Skåne", 55.60, 13.00), ("Göteborgsregionen", 57.71, 11.97),
    ("Storsthlm", 59.33, 18.07), ("Kommunförbundet Västernorrland", 62.63, 17.94),
)  # fmt: skip
_DK_ASSOCIATIONS = (
    ("KL – Kommunernes Landsforening", 55.68, 12.57), ("Danske Regioner", 55.68, 12.57),
    ("Business Region North Denmark", 57.05, 9.92), ("Business Region Aarhus", 56.16, 10.21),
    ("KKR Syddanmark", 55.40, 10.39),
)  # fmt: skip
_SE_PRE = (
    "Al", "Berg", "Ek", "Fal", "Gran", "Hag", "Hol", "Kal", "Kvarn", "Lind", "Ljung", "Mal",
    "Norr", "Ny", "Öst", "Sand", "Sjö", "Ska", "Sol", "Stor", "Sund", "Tall", "Väst", "Vik",
    "Åker", "Ör", "Björk", "Fors", "Hede", "Mor",
)  # fmt: skip
_SE_SUF = (
    "by", "köping", "vik", "ås", "hamn", "torp", "sund", "berga", "holm", "stad", "näs",
    "fors", "dal", "ö", "lunda", "hult",
)  # fmt: skip
_DK_PRE = (
    "Ag", "Bal", "Eg", "Fre", "Gel", "Hald", "Hol", "Kal", "Lem", "Lyng", "Mari", "Ny",
    "Ring", "Ros", "Sten", "Tor", "Ul", "Ves", "Vor", "Øster", "Sønder", "Nør", "Hvid",
    "Bjerg", "Skov",
)  # fmt: skip
_DK_SUF = (
    "bæk", "rup", "sted", "lev", "havn", "borg", "ager", "ing", "købing", "skov", "holm",
    "lund", "by", "strup", "bjerg",
)  # fmt: skip

# id | name | acronym | kind | parent | country | lat | lon | only members from this country
_NETWORK_TEXT = """
cpmr | Conference of Peripheral Maritime Regions | CPMR | organisation | | FR | 48.11 | -1.68 |
cpmr-bsc | CPMR Baltic Sea Commission | BSC | network | cpmr | INT | | |
cpmr-ic | CPMR Islands Commission | IC | network | cpmr | INT | | |
cpmr-nsc | CPMR North Sea Commission | NSC | network | cpmr | INT | | |
ubc | Union of the Baltic Cities | UBC | network | | PL | 54.35 | 18.65 |
ubc-culture | UBC Cultural Cities Commission | | network | ubc | INT | | |
ubc-sust | UBC Sustainable Cities Commission | | network | ubc | FI | 60.45 | 22.27 |
eurocities | Eurocities | | network | | BE | 50.85 | 4.35 |
eurocities-cult | Eurocities Culture Forum | | network | eurocities | EU | | |
eurocities-env | Eurocities Environment Forum | | network | eurocities | EU | | |
cemr | Council of European Municipalities and Regions | CEMR | organisation | | BE | 50.84 | 4.37 |
aer | Assembly of European Regions | AER | organisation | | BE | 50.84 | 4.38 |
b7 | B7 Baltic Islands Network | B7 | network | | INT | | |
bsssc | Baltic Sea States Subregional Co-operation | BSSSC | network | | INT | | |
euroregion-baltic | Euroregion Baltic | ERB | network | | PL | 54.16 | 19.40 |
greater-cph | Greater Copenhagen | | network | | DK | 55.68 | 12.57 |
icld | Internationellt centrum för lokal demokrati | ICLD | organisation | | SE | 57.64 | 18.30 | SE
sekom | Sveriges Ekokommuner | Sekom | network | | SE | 59.33 | 18.07 | SE
covenant | Covenant of Mayors | | network | | EU | 50.84 | 4.36 |
energy-cities | Energy Cities | | network | | FR | 47.24 | 6.02 |
iclei | ICLEI Europe | ICLEI | organisation | | DE | 47.99 | 7.85 |
eurotowns | EUROTOWNS | | network | | EU | | |
baltmet | Baltic Metropoles Network | BaltMet | network | | INT | | |
errin | European Regions Research and Innovation Network | ERRIN | network | | BE | 50.84 | 4.37 |
barents | Barents Regional Council | BRC | network | | NO | 69.73 | 30.05 |
kl-eu | KL:s EU-kontor | | office | | BE | 50.84 | 4.37 | DK
office-sthlm | Stockholmsregionens Europakontor | | office | | BE | 50.84 | 4.37 | SE
office-south-se | Sydsvenska Europakontoret | | office | | BE | 50.84 | 4.37 | SE
office-west-se | Västsvenska Brysselkontoret | | office | | BE | 50.84 | 4.37 | SE
office-mid-se | Mellersta Norrland Europakontor | | office | | BE | 50.84 | 4.37 | SE
office-north-se | North Sweden European Office | | office | | BE | 50.84 | 4.37 | SE
office-central-dk | Central Denmark EU Office | | office | | BE | 50.84 | 4.37 | DK
office-south-dk | South Denmark European Office | | office | | BE | 50.84 | 4.37 | DK
office-cph | Copenhagen EU Office | | office | | BE | 50.84 | 4.37 | DK
office-north-dk | North Denmark EU Office | | office | | BE | 50.84 | 4.37 | DK
office-zealand | Zealand Denmark EU Office | | office | | BE | 50.84 | 4.37 | DK
twin-tartu | Tartu | | twin_town | | EE | 58.38 | 26.72 |
twin-parnu | Pärnu | | twin_town | | EE | 58.38 | 24.50 |
twin-riga | Riga | | twin_town | | LV | 56.95 | 24.11 |
twin-liepaja | Liepāja | | twin_town | | LV | 56.51 | 21.01 |
twin-klaipeda | Klaipėda | | twin_town | | LT | 55.71 | 21.13 |
twin-kaunas | Kaunas | | twin_town | | LT | 54.90 | 23.90 |
twin-gdynia | Gdynia | | twin_town | | PL | 54.52 | 18.53 |
twin-szczecin | Szczecin | | twin_town | | PL | 53.43 | 14.55 |
twin-turku | Turku | | twin_town | | FI | 60.45 | 22.27 |
twin-tampere | Tampere | | twin_town | | FI | 61.50 | 23.76 |
twin-vaasa | Vaasa | | twin_town | | FI | 63.10 | 21.62 |
twin-bergen | Bergen | | twin_town | | NO | 60.39 | 5.32 |
twin-tromso | Tromsø | | twin_town | | NO | 69.65 | 18.96 |
twin-stavanger | Stavanger | | twin_town | | NO | 58.97 | 5.73 |
twin-akureyri | Akureyri | | twin_town | | IS | 65.68 | -18.09 |
twin-kiel | Kiel | | twin_town | | DE | 54.32 | 10.14 |
twin-rostock | Rostock | | twin_town | | DE | 54.09 | 12.10 |
twin-lubeck | Lübeck | | twin_town | | DE | 53.87 | 10.69 |
twin-flensburg | Flensburg | | twin_town | | DE | 54.79 | 9.44 |
partner-arusha | Arusha City Council | | partner | | TZ | -3.37 | 36.68 |
partner-mwanza | Mwanza City Council | | partner | | TZ | -2.52 | 32.90 |
partner-zanzibar | Zanzibar Municipal Council | | partner | | TZ | -6.17 | 39.20 |
partner-pune | Pune Municipal Corporation | | partner | | IN | 18.52 | 73.86 |
partner-kochi | Kochi Municipal Corporation | | partner | | IN | 9.93 | 76.27 |
"""
_NETWORKS: tuple[tuple[Any, ...], ...] = tuple(
    tuple(f.strip() or None for f in line.split("|")) for line in _NETWORK_TEXT.strip().splitlines()
)
_NET_KIND_WEIGHT = {"network": 3, "organisation": 3, "office": 4, "twin_town": 1, "partner": 0.4}

_GOAL_TITLES = {
    "SE": (
        "Stärka samarbetet i Östersjöregionen", "Attraktiv plats att bo, verka och besöka",
        "Hållbar tillväxt och fler jobb", "Ökad kunskap om EU i organisationen",
        "Fler EU-finansierade projekt", "Ungas internationella erfarenheter",
        "Klimatomställning genom samarbete", "Kulturutbyte och besöksnäring",
        "Demokrati och lokal självstyrelse", "Innovation och forskning", "Kompetensförsörjning",
        "Integration och inkludering", "Hållbara transporter", "Levande landsbygd och skärgård",
        "Digital omställning", "Påverka EU:s politik", "Vänortssamarbete med verkliga resultat",
        "Trygg och säker kommun", "Jämställdhet", "Folkhälsa", "Cirkulär ekonomi",
        "Stark näringslivsprofil internationellt", "Lärande genom omvärldsbevakning",
        "Internationell rekrytering",
    ),
    "DK": (
        "Styrket samarbejde i Østersøregionen", "Attraktivt sted at bo, arbejde og besøge",
        "Bæredygtig vækst og flere job", "Øget EU-viden i organisationen",
        "Flere EU-finansierede projekter", "Unges internationale erfaringer",
        "Grøn omstilling gennem samarbejde", "Kulturudveksling og turisme",
        "Demokrati og lokalt selvstyre", "Innovation og forskning", "Kvalificeret arbejdskraft",
        "Integration og inklusion", "Bæredygtig transport", "Levende landdistrikter og øer",
        "Digital omstilling", "Indflydelse på EU's politik", "Venskabsbysamarbejde med resultater",
        "Tryg kommune", "Ligestilling", "Folkesundhed", "Cirkulær økonomi",
        "Stærk erhvervsprofil internationalt", "Læring gennem omverdensanalyse",
        "International rekruttering",
    ),
}  # fmt: skip
_TARGET_TITLES = {
    "SE": (
        "Minst fem nya EU-projekt per år", "Alla gymnasieskolor har ett utbyte",
        "Halverade utsläpp från tjänsteresor", "Tio procent fler besökare från utlandet",
        "Två aktiva vänortsprojekt", "Hälften av förvaltningarna söker EU-medel",
    ),
    "DK": (
        "Mindst fem nye EU-projekter om året", "Alle gymnasier har en udveksling",
        "Halveret udledning fra tjenesterejser", "Ti procent flere udenlandske besøgende",
        "To aktive venskabsbyprojekter", "Halvdelen af forvaltningerne søger EU-midler",
    ),
}  # fmt: skip
_STRATEGY_TITLES = {
    "SE": ("Internationell strategi", "Strategi för internationellt arbete",
           "Riktlinjer för internationellt arbete", "Program för internationella relationer"),
    "DK": ("International strategi", "Strategi for internationalt samarbejde",
           "International politik", "Strategi for internationale relationer"),
}  # fmt: skip
_DEPARTMENTS = {
    "SE": ("Internationella enheten", "Kommunledningskontoret", "Näringslivsenheten",
           "Kultur- och fritidsförvaltningen", "Utbildningsförvaltningen", "Miljöförvaltningen",
           "Socialförvaltningen", "Samhällsbyggnadsförvaltningen"),
    "DK": ("International afdeling", "Borgmesterens afdeling", "Erhverv og Turisme",
           "Kultur og Fritid", "Børn og Unge", "Teknik og Miljø", "Social og Sundhed",
           "Plan og Udvikling"),
}  # fmt: skip
ACTIVITY_TYPES = ("meeting", "visit", "conference", "project", "network", "exchange", "training")
_TYPE_P = (0.25, 0.15, 0.12, 0.18, 0.15, 0.08, 0.07)
_TYPE_WORDS = {
    "SE": ("Möte om", "Studiebesök:", "Konferens om", "Projektarbete:", "Nätverksmöte om",
           "Utbyte:", "Utbildning i"),
    "DK": ("Møde om", "Studietur:", "Konference om", "Projektarbejde:", "Netværksmøde om",
           "Udveksling:", "Uddannelse i"),
}  # fmt: skip
_TOPICS = {
    "SE": ("klimatanpassning", "hållbar turism", "EU:s sammanhållningspolitik", "ungdomsutbyte",
           "havsplanering", "digitalisering", "kulturarv", "cirkulär ekonomi", "energi",
           "integration", "lokal demokrati", "kollektivtrafik", "blå ekonomi", "folkhälsa",
           "skolsamarbete", "innovation", "landsbygdsutveckling", "civilt försvar",
           "vattenförvaltning", "näringslivsfrämjande"),
    "DK": ("klimatilpasning", "bæredygtig turisme", "EU's samhørighedspolitik",
           "ungdomsudveksling", "havplanlægning", "digitalisering", "kulturarv",
           "cirkulær økonomi", "energi", "integration", "lokaldemokrati", "kollektiv trafik",
           "blå økonomi", "folkesundhed", "skolesamarbejde", "innovation", "landdistriktsudvikling",
           "beredskab", "vandforvaltning", "erhvervsfremme"),
}  # fmt: skip
_PROGRAMMES = (
    # (name, EU-funded, share of projects)
    ("Interreg Baltic Sea Region", True, 0.14), ("Interreg Öresund-Kattegat-Skagerrak", True, 0.12),
    ("Interreg North Sea", True, 0.08), ("Interreg Europe", True, 0.08),
    ("Interreg Deutschland-Danmark", True, 0.05), ("Interreg Central Baltic", True, 0.06),
    ("Interreg Aurora", True, 0.03), ("Erasmus+", True, 0.14), ("Horizon Europe", True, 0.04),
    ("LIFE", True, 0.04), ("Creative Europe", True, 0.03), ("CERV", True, 0.03),
    ("ICLD", False, 0.07), ("Nordplus", False, 0.05), ("Egen finansiering", False, 0.04),
)  # fmt: skip
_PROJECT_ADJ = ("Green", "Smart", "Blue", "Circular", "Inclusive", "Resilient", "Digital",
                "Sustainable", "Baltic", "Nordic", "Coastal", "Urban", "Rural", "Young",
                "Cultural")  # fmt: skip
_PROJECT_NOUN = ("Mobility", "Ports", "Energy", "Tourism", "Heritage", "Skills", "Innovation",
                 "Water", "Food", "Cities", "Islands", "Health", "Housing", "Enterprise",
                 "Democracy", "Welcome")  # fmt: skip
# Swedish name | Danish name | unit code (empty: the local currency) | direction | baseline range
_INDICATOR_TEXT = """
Antal internationella projekt | Antal internationale projekter | projects | higher | 2 | 10
Beviljad EU-finansiering | Bevilget EU-finansiering | EUR | higher | 100000 | 2000000
Andel skolor med utbyte | Andel skoler med udveksling | percent | higher | 10 | 40
Antal deltagare i utbyten | Antal deltagere i udvekslinger | participants | higher | 20 | 300
Utsläpp från tjänsteresor | Udledning fra tjenesterejser | tonnes_co2 | lower | 50 | 500
Antal aktiva nätverk | Antal aktive netværk | networks | higher | 2 | 8
Kostnad per projekt | Omkostning per projekt | | lower | 200000 | 900000
Antal studiebesök | Antal studiebesøg | visits | higher | 5 | 40
"""
_INDICATORS = tuple(
    tuple(f.strip() or None for f in line.split("|"))
    for line in _INDICATOR_TEXT.strip().splitlines()
)
_ASSESS_P = (0.2, 0.35, 0.2, 0.1, 0.15)
_COMMENTS = {
    "SE": ("Målet är uppnått.", "Arbetet går enligt plan.", "Risk att målet inte nås i tid.",
           "Målet nås inte med nuvarande insatser.", "Ingen bedömning gjord i år."),
    "DK": ("Målet er nået.", "Arbejdet følger planen.", "Risiko for at målet ikke nås.",
           "Målet nås ikke med den nuværende indsats.", "Ingen vurdering i år."),
}  # fmt: skip
_ASSESSORS = {
    "SE": ("Internationella enheten", "Kommunstyrelsen", "Internationella rådet"),
    "DK": ("International afdeling", "Økonomiudvalget", "Direktionen"),
}


# ---------------------------------------------------------------- streaming writer


class StreamWriter:
    """Append sorted chunks to one table's Parquet file, in full row groups.

    The file gets the same schema, compression and row-group cut as `write_table`
    (rows are buffered until a whole row group is available, so every group but the
    last holds exactly `ROW_GROUP_SIZE` rows). The caller must hand in chunks already
    in the table's `sort_by` order.
    """

    def __init__(self, folder: Path, table: Table):
        self.table = table
        self.schema = arrow_schema(table)
        self.names = [c.name for c in table.columns]
        self.folder = folder
        path = table_path(folder, table)
        self._writer = pq.ParquetWriter(
            path, self.schema, compression="zstd", write_statistics=True
        )
        self._pending: list[pa.Table] = []
        self._pending_rows = 0
        self.rows = 0

    def write(self, data: pa.Table) -> None:
        """Queue a chunk; writes every whole row group available so far."""
        data = data.select(self.names).cast(self.schema)
        self._pending.append(data)
        self._pending_rows += data.num_rows
        self.rows += data.num_rows
        if self._pending_rows >= ROW_GROUP_SIZE:
            buf = pa.concat_tables(self._pending)
            full = (buf.num_rows // ROW_GROUP_SIZE) * ROW_GROUP_SIZE
            self._writer.write_table(buf.slice(0, full), row_group_size=ROW_GROUP_SIZE)
            rest = buf.slice(full)
            self._pending = [rest] if rest.num_rows else []
            self._pending_rows = rest.num_rows

    def abort(self) -> None:
        """Close the file after a failure, dropping what is buffered."""
        self._pending = []
        self._writer.close()

    def close(self) -> int:
        """Write what is left and close the file; returns the number of rows."""
        if self._pending_rows:
            buf = pa.concat_tables(self._pending)
            self._writer.write_table(buf, row_group_size=ROW_GROUP_SIZE)
        elif self.rows == 0:
            self._writer.write_table(self.schema.empty_table())
        self._pending = []
        self._writer.close()
        return self.rows


# ---------------------------------------------------------------- helpers


def _rng(seed: int, *stream: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, *stream]))


def _fixed_ids(prefix: bytes, numbers: np.ndarray, width: int) -> np.ndarray:
    """Rows of bytes `prefix + zero-padded number`, as an (n, len) uint8 matrix."""
    n = len(numbers)
    out = np.empty((n, len(prefix) + width), dtype=np.uint8)
    out[:, : len(prefix)] = np.frombuffer(prefix, dtype=np.uint8)
    pow10 = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    out[:, len(prefix) :] = (numbers[:, None] // pow10) % 10 + 48
    return out


def _strings(matrix: np.ndarray) -> pa.Array:
    """A string array from an (n, width) uint8 matrix of ASCII ids, without Python objects."""
    n, width = matrix.shape
    if n * width >= 2**31:
        raise ValueError("chunk too large for one string array; lower CHUNK_ROWS")
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    data = np.ascontiguousarray(matrix).ravel()
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _take(values: pa.Array, idx: np.ndarray) -> pa.Array:
    """values[idx], null where idx < 0."""
    mask = idx < 0
    if mask.any():
        return values.take(pa.array(np.where(mask, 0, idx), mask=mask))
    return values.take(pa.array(idx))


def _weighted_pick(rng: np.random.Generator, weights: np.ndarray, k: np.ndarray) -> np.ndarray:
    """For each row, k[row] distinct column indices drawn by weight (Efraimidis-Spirakis).

    *weights* is (rows, m) with inf-free positive weights (0 for unavailable columns,
    which sort last); returns (rows, max k) indices, with -1 beyond each row's k.
    """
    with np.errstate(divide="ignore"):
        keys = rng.standard_exponential(weights.shape) / weights
    kmax = int(k.max()) if len(k) else 0
    order = np.argsort(keys, axis=1)[:, :kmax]
    order[np.arange(kmax)[None, :] >= k[:, None]] = -1
    return order


def _date(year: np.ndarray, month: np.ndarray, day: np.ndarray | int = 1) -> np.ndarray:
    months = ((year - 1970) * 12 + (month - 1)).astype("datetime64[M]")
    return months.astype("datetime64[D]") + (np.asarray(day) - 1)


# ---------------------------------------------------------------- the small tables


@dataclass
class _World:
    """Everything the activity generator needs to know about the small tables."""

    org_ids: list[str]
    lang: np.ndarray  # 0 = SE, 1 = DK
    n_goals: np.ndarray
    goal_off: np.ndarray  # goals of org o: goal_ids[goal_off[o]:goal_off[o + 1]]
    goal_ids: list[str]
    goal_weight: np.ndarray  # per goal, how often activities serve it
    mem_off: np.ndarray  # networks of org o: mem_net[mem_off[o]:mem_off[o + 1]]
    mem_net: np.ndarray
    network_ids: list[str]
    proj_off: np.ndarray  # projects running in cell o*N_YEARS+y: proj_cell_list[off[c]:off[c+1]]
    proj_cell_list: np.ndarray
    project_ids: list[str]
    tables: dict[str, pa.Table]


def _table(name: str, rows: dict[str, list]) -> pa.Table:
    schema = arrow_schema(TABLE_BY_NAME[name])
    n = len(next(iter(rows.values())))
    cols = {f.name: rows.get(f.name, [None] * n) for f in schema}
    return pa.table(cols, schema=schema)


def _organisations(rng: np.random.Generator) -> dict[str, list]:
    rows: dict[str, list] = {k: [] for k in ("org_id", "name", "kind", "country", "lat", "lon")}

    def place_names(pre: tuple, suf: tuple, n: int, word: str) -> list[str]:
        combos = [p + s for p in pre for s in suf]
        pick = rng.choice(len(combos), size=n, replace=False)
        return [f"{combos[i]} {word}" for i in pick]

    for country, n_mun, regions, assocs, anchors, pre, suf, word in (
        ("DK", 90, _DK_REGIONS, _DK_ASSOCIATIONS, _DK_ANCHORS, _DK_PRE, _DK_SUF, "Kommune"),
        ("SE", 175, _SE_REGIONS, _SE_ASSOCIATIONS, _SE_ANCHORS, _SE_PRE, _SE_SUF, "kommun"),
    ):
        entries: list[tuple[str, str, float, float]] = []
        names = place_names(pre, suf, n_mun, word)
        where = rng.integers(0, len(anchors), n_mun)
        jitter = rng.normal(0, 1, (n_mun, 2)) * (0.08, 0.14)
        for name, a, (dlat, dlon) in zip(names, where, jitter, strict=True):
            lat, lon = anchors[a]
            entries.append((name, "municipality", round(lat + dlat, 4), round(lon + dlon, 4)))
        entries += [(n, "region", lat, lon) for n, lat, lon in regions]
        entries += [(n, "association", lat, lon) for n, lat, lon in assocs]
        order = rng.permutation(len(entries))  # ids not in kind order
        for i, j in enumerate(order, start=1):
            name, kind, lat, lon = entries[j]
            rows["org_id"].append(f"{country.lower()}-{i:04d}")
            rows["name"].append(name)
            rows["kind"].append(kind)
            rows["country"].append(country)
            rows["lat"].append(lat)
            rows["lon"].append(lon)
    rows["source"] = [SOURCE] * len(rows["org_id"])
    return rows


def _build_world(n_activities: int, seed: int) -> tuple[_World, np.ndarray]:
    rng = _rng(seed, 0)
    orgs = _organisations(rng)
    org_ids = orgs["org_id"]  # "dk-..." before "se-...": already in sorted order
    n_org = len(org_ids)
    country = np.array(orgs["country"])
    lang = (country == "DK").astype(np.int64)
    kind = np.array(orgs["kind"])
    weight = rng.lognormal(0.0, 0.9, n_org) * np.where(
        kind == "region", 3.0, np.where(kind == "association", 0.5, 1.0)
    )
    adopted = rng.integers(1995, 2012, n_org)
    first_year = np.clip(adopted + 1, FIRST_YEAR, LAST_YEAR)

    # strategies and goals
    strategies: dict[str, list] = {
        k: [] for k in ("strategy_id", "org_id", "title", "adopted_on", "valid_from", "decided_by")
    }
    goals: dict[str, list] = {
        k: [] for k in ("goal_id", "strategy_id", "code", "title", "kind", "parent_goal_id")
    }
    n_goals = rng.integers(3, MAX_GOALS + 1, n_org)
    goal_weight_parts = []
    for o, org in enumerate(org_ids):
        c = str(country[o])
        a = int(adopted[o])
        sid = f"{org}-{a}"
        month, day = int(rng.integers(1, 13)), int(rng.integers(1, 29))
        strategies["strategy_id"].append(sid)
        strategies["org_id"].append(org)
        titles = _STRATEGY_TITLES[c]
        strategies["title"].append(f"{titles[int(rng.integers(len(titles)))]} {a}")
        strategies["adopted_on"].append(date(a, month, day))
        strategies["valid_from"].append(date(a + 1, 1, 1))
        body = {"SE": "RF" if kind[o] == "region" else "KF", "DK": "Byrådet"}[c]
        if c == "DK" and kind[o] == "region":
            body = "Regionsrådet"
        if kind[o] == "association":
            body = "Styrelsen" if c == "SE" else "Bestyrelsen"
        strategies["decided_by"].append(f"{body} § {int(rng.integers(1, 250))}")

        g = int(n_goals[o])
        n_targets = int(rng.integers(0, min(4, g - 3) + 1))
        main = str(rng.choice(["goal", "priority_area", "focus_area"]))
        first = str(rng.choice([main, "vision", "purpose"], p=[0.5, 0.3, 0.2]))
        picked = rng.choice(len(_GOAL_TITLES[c]), size=g, replace=False)
        target_titles = rng.choice(len(_TARGET_TITLES[c]), size=max(n_targets, 1), replace=False)
        for i in range(g):
            gid = f"{sid}-g{i + 1:02d}"
            goals["goal_id"].append(gid)
            goals["strategy_id"].append(sid)
            goals["code"].append(str(i + 1))
            if i >= g - n_targets:
                goals["kind"].append("target")
                goals["title"].append(_TARGET_TITLES[c][target_titles[i - (g - n_targets)]])
                parent = int(rng.integers(1, g - n_targets))
                goals["parent_goal_id"].append(f"{sid}-g{parent + 1:02d}")
            else:
                goals["kind"].append(first if i == 0 else main)
                goals["title"].append(_GOAL_TITLES[c][picked[i]])
                goals["parent_goal_id"].append(None)
        goal_weight_parts.append(rng.gamma(0.8, 1.0, g) + 0.02)
    goal_off = np.concatenate([[0], np.cumsum(n_goals)])
    goal_ids = goals["goal_id"]
    goals["org_id"] = [org_ids[o] for o in np.repeat(np.arange(n_org), n_goals)]
    strategies["source"] = [SOURCE] * n_org
    goals["source"] = [SOURCE] * len(goal_ids)

    # networks and memberships
    nets: dict[str, list] = {
        k: [] for k in ("network_id", "name", "acronym", "kind", "parent_network_id", "country")
    }
    nets["lat"], nets["lon"] = [], []
    for nid, name, acr, nkind, parent, ncountry, lat, lon, _home in _NETWORKS:
        lat_lon = (float(lat), float(lon)) if lat is not None else (None, None)
        for k, v in zip(nets, (nid, name, acr, nkind, parent, ncountry, *lat_lon), strict=True):
            nets[k].append(v)
    nets["source"] = [SOURCE] * len(_NETWORKS)
    network_ids = nets["network_id"]
    base_w = np.array([_NET_KIND_WEIGHT[n[3]] for n in _NETWORKS])
    home = np.array([n[8] or "" for n in _NETWORKS])
    net_kind = np.array([n[3] for n in _NETWORKS])
    mem: dict[str, list] = {
        k: [] for k in ("org_id", "network_id", "since_year", "until_year", "role", "annual_fee")
    }
    mem["currency"] = []
    mem_parts = []
    roles = ("member", "board", "chair", "secretariat", "partner", "service_partner")
    for o, org in enumerate(org_ids):
        c = str(country[o])
        w = base_w * ((home == "") | (home == c))
        m = int(rng.integers(2, 9))
        picked = np.sort(rng.choice(len(w), size=m, replace=False, p=w / w.sum()))
        mem_parts.append(picked)
        for j in picked:
            since = int(rng.integers(1990, 2022))
            until = None
            if rng.random() < 0.25:
                until = min(since + int(rng.integers(1, 13)), LAST_YEAR)
            mem["org_id"].append(org)
            mem["network_id"].append(network_ids[j])
            mem["since_year"].append(since)
            mem["until_year"].append(until)
            if net_kind[j] in ("twin_town", "partner"):
                mem["role"].append("partner")
                mem["annual_fee"].append(None)
                mem["currency"].append(None)
                continue
            mem["role"].append(roles[int(rng.choice(6, p=[0.7, 0.15, 0.04, 0.03, 0.03, 0.05]))])
            scale = 10.0 if net_kind[j] == "office" else 1.0
            if c == "SE":
                cur, fee = "SEK", rng.lognormal(np.log(40_000), 0.8)
            elif rng.random() < 0.5:
                cur, fee = "DKK", rng.lognormal(np.log(30_000), 0.8)
            else:
                cur, fee = "EUR", rng.lognormal(np.log(4_000), 0.8)
            mem["annual_fee"].append(float(round(fee * scale, -2)))
            mem["currency"].append(cur)
    mem["source"] = [SOURCE] * len(mem["org_id"])
    mem_off = np.concatenate([[0], np.cumsum([len(p) for p in mem_parts])])
    mem_net = np.concatenate(mem_parts).astype(np.int64)

    # activity counts per organisation and year (exact total)
    year_w = 1.0 + 0.08 * np.arange(N_YEARS)
    cell_w = weight[:, None] * year_w[None, :] * rng.gamma(5.0, 0.2, (n_org, N_YEARS))
    cell_w *= (FIRST_YEAR + np.arange(N_YEARS))[None, :] >= first_year[:, None]
    # separate streams below, so every table but activities and projects is the same for any N
    counts = (
        _rng(seed, 2)
        .multinomial(n_activities, (cell_w / cell_w.sum()).ravel())
        .reshape(cell_w.shape)
    )

    project_ids, proj_tables, proj_cells = _projects(
        _rng(seed, 3),
        n_activities,
        org_ids,
        country,
        weight,
        first_year,
        n_goals,
        goal_off,
        goal_ids,
    )
    # projects running in each (organisation, year) cell, for the activities to point at
    cell_order = np.lexsort((proj_cells[:, 1], proj_cells[:, 0]))
    proj_cells = proj_cells[cell_order]
    proj_off = np.concatenate(
        [[0], np.cumsum(np.bincount(proj_cells[:, 0], minlength=n_org * N_YEARS))]
    )

    tables = {
        "organisations": _table("organisations", orgs),
        "strategies": _table("strategies", strategies),
        "goals": _table("goals", goals),
        "networks": _table("networks", nets),
        "memberships": _table("memberships", mem),
        **proj_tables,
        **_indicators(_rng(seed, 4), org_ids, country, first_year, n_goals, goal_off, goal_ids),
    }
    world = _World(
        org_ids=org_ids,
        lang=lang,
        n_goals=n_goals,
        goal_off=goal_off,
        goal_ids=goal_ids,
        goal_weight=np.concatenate(goal_weight_parts),
        mem_off=mem_off,
        mem_net=mem_net,
        network_ids=network_ids,
        proj_off=proj_off,
        proj_cell_list=proj_cells[:, 1],
        project_ids=project_ids,
        tables=tables,
    )
    return world, counts


def _projects(
    rng: np.random.Generator,
    n_activities: int,
    org_ids: list[str],
    country: np.ndarray,
    weight: np.ndarray,
    first_year: np.ndarray,
    n_goals: np.ndarray,
    goal_off: np.ndarray,
    goal_ids: list[str],
) -> tuple[list[str], dict[str, pa.Table], np.ndarray]:
    """Projects and project_goals; also (cell, project, project) rows of running projects."""
    n_org = len(org_ids)
    total = max(20, n_activities // 300)
    per_org = rng.multinomial(total, np.sqrt(weight) / np.sqrt(weight).sum())
    org = np.repeat(np.arange(n_org), per_org)
    width = max(4, len(str(int(per_org.max()))))
    local = np.arange(total) - np.repeat(np.cumsum(per_org) - per_org, per_org) + 1
    project_ids = [f"{org_ids[o]}-p{n:0{width}d}" for o, n in zip(org, local, strict=True)]

    year_span = LAST_YEAR + 2 - first_year[org]  # up to one year ahead
    start_year = first_year[org] + np.floor(np.sqrt(rng.random(total)) * year_span).astype(
        np.int64
    )  # later years more likely
    start = _date(start_year, rng.integers(1, 13, total))
    months = rng.integers(12, 49, total)
    end_month = start.astype("datetime64[M]") + months
    end = end_month.astype("datetime64[D]") - 1
    end_year = end.astype("datetime64[Y]").astype(np.int64) + 1970

    prog_p = np.array([p[2] for p in _PROGRAMMES])
    prog = rng.choice(len(_PROGRAMMES), total, p=prog_p / prog_p.sum())
    eu_prog = np.array([p[1] for p in _PROGRAMMES])[prog]
    u = rng.random(total)
    status = np.where(
        start > TODAY,
        np.where(u < 0.5, "idea", "applied"),
        np.where(u < 0.12, "rejected", np.where(end < TODAY, "closed", "running")),
    )
    status = np.where((status == "running") & (start > TODAY - 90) & (u > 0.8), "granted", status)
    role = np.where(rng.random(total) < 0.3, "lead_partner", "partner")
    budget = rng.lognormal(np.log(2_000_000), 0.9, total) / np.where(eu_prog, 1.0, 4.0)
    budget = np.maximum(np.round(budget, -3), 1000.0)
    eu = np.floor(budget * rng.uniform(0.5, 0.85, total) / 100) * 100
    own_share = rng.uniform(0.2, 1.0, total)
    own = np.floor(np.where(eu_prog, budget - eu, budget * 0.6) * own_share / 100) * 100
    currency = np.where(eu_prog, "EUR", np.where(country[org] == "SE", "SEK", "DKK"))
    has_budget = status != "idea"
    adj = rng.integers(0, len(_PROJECT_ADJ), total)
    noun = rng.integers(0, len(_PROJECT_NOUN), total)

    rows: dict[str, list] = {
        "project_id": project_ids,
        "org_id": [org_ids[o] for o in org],
        "title": [f"{_PROJECT_ADJ[a]} {_PROJECT_NOUN[b]}" for a, b in zip(adj, noun, strict=True)],
        "acronym": [
            (_PROJECT_ADJ[a][:3] + _PROJECT_NOUN[b][:3]).upper()
            for a, b in zip(adj, noun, strict=True)
        ],
        "programme": [_PROGRAMMES[p][0] for p in prog],
        "role": role.tolist(),
        "status": status.tolist(),
        "start_date": pa.array(start),
        "end_date": pa.array(end),
        "total_budget": pa.array(budget, mask=~has_budget),
        "eu_funding": pa.array(eu, mask=~(has_budget & eu_prog)),
        "own_funding": pa.array(own, mask=~has_budget),
        "currency": currency.tolist(),
        "source": [SOURCE] * total,
    }
    projects = _table("projects", rows)

    # project_goals: 1-3 goals of the project's own strategy
    k = np.minimum(rng.choice([1, 2, 3], total, p=[0.4, 0.4, 0.2]), n_goals[org])
    avail = (np.arange(MAX_GOALS)[None, :] < n_goals[org][:, None]).astype(np.float64)
    picked = _weighted_pick(rng, avail, k)
    p_row, p_col = np.nonzero(picked >= 0)
    g = goal_off[org[p_row]] + picked[p_row, p_col]
    pg = _table(
        "project_goals",
        {
            "project_id": [project_ids[i] for i in p_row],
            "goal_id": [goal_ids[i] for i in g],
            "source": [SOURCE] * len(p_row),
        },
    )

    # (organisation-year cell, project, year) for projects activities can belong to
    active = np.isin(status, ("granted", "running", "closed"))
    y0 = np.clip(start_year, FIRST_YEAR, LAST_YEAR)
    y1 = np.clip(end_year, FIRST_YEAR, LAST_YEAR)
    span = np.where(active & (start_year <= LAST_YEAR), y1 - y0 + 1, 0)
    pid = np.repeat(np.arange(total), span)
    year = np.repeat(y0, span) + (np.arange(span.sum()) - np.repeat(np.cumsum(span) - span, span))
    cell = org[pid] * N_YEARS + (year - FIRST_YEAR)
    cells = np.stack([cell, pid, year], axis=1).astype(np.int64)
    return project_ids, {"projects": projects, "project_goals": pg}, cells


def _indicators(
    rng: np.random.Generator,
    org_ids: list[str],
    country: np.ndarray,
    first_year: np.ndarray,
    n_goals: np.ndarray,
    goal_off: np.ndarray,
    goal_ids: list[str],
) -> dict[str, pa.Table]:
    ind: dict[str, list] = {
        k: []
        for k in (
            "indicator_id",
            "org_id",
            "goal_id",
            "name",
            "unit",
            "direction",
            "baseline_year",
            "baseline",
            "definition",
        )
    }
    val: dict[str, list] = {k: [] for k in ("indicator_id", "year", "target", "actual")}
    ga: dict[str, list] = {
        k: [] for k in ("org_id", "goal_id", "year", "status", "comment", "assessed_by")
    }
    for o, org in enumerate(org_ids):
        c = str(country[o])
        li = 0 if c == "SE" else 1
        g = int(n_goals[o])
        for j, t in enumerate(rng.choice(len(_INDICATORS), int(rng.integers(2, 6)), False)):
            name_se, name_dk, unit, direction, lo_text, hi_text = _INDICATORS[t]
            lo, hi = float(lo_text), float(hi_text)
            iid = f"{org}-i{j + 1:02d}"
            base_year = int(rng.integers(max(int(first_year[o]), 2005), 2021))
            base = float(rng.uniform(lo, hi))
            digits = -3 if hi > 1000 else (1 if unit == "percent" else 0)
            ind["indicator_id"].append(iid)
            ind["org_id"].append(org)
            ind["goal_id"].append(goal_ids[int(goal_off[o]) + int(rng.integers(g))])
            ind["name"].append((name_se, name_dk)[li])
            ind["unit"].append(unit or ("SEK" if c == "SE" else "DKK"))
            ind["direction"].append(direction)
            ind["baseline_year"].append(base_year)
            ind["baseline"].append(round(base, digits))
            ind["definition"].append(
                ("Uppföljning ur årsredovisningen", "Opgjort i årsrapporten")[li]
            )
            step = rng.uniform(0.03, 0.1) * (1 if direction == "higher" else -1)
            years = np.arange(base_year + 1, LAST_YEAR + 1)
            t_years = years - base_year
            target = np.maximum(base * (1 + step * t_years), 0)
            actual = np.maximum(target * rng.normal(0.95, 0.15, len(years)), 0)
            if unit == "percent":
                target, actual = np.minimum(target, 100), np.minimum(actual, 100)
            report = rng.random(len(years)) < 0.92
            report[:-1] |= True  # only the latest year may lack an outcome
            for y, tv, av, r in zip(years, target, actual, report, strict=True):
                val["indicator_id"].append(iid)
                val["year"].append(int(y))
                val["target"].append(round(float(tv), digits))
                val["actual"].append(round(float(av), digits) if r else None)
        if rng.random() < 0.6:
            y_from = int(rng.integers(max(int(first_year[o]), 2016), 2024))
            for assessed in range(y_from, LAST_YEAR + 1):
                chosen = np.nonzero(rng.random(g) < 0.7)[0]
                status = rng.choice(len(ASSESSMENT_STATUSES), len(chosen), p=_ASSESS_P)
                for gi, s in zip(chosen, status, strict=True):
                    ga["org_id"].append(org)
                    ga["goal_id"].append(goal_ids[int(goal_off[o]) + int(gi)])
                    ga["year"].append(assessed)
                    ga["status"].append(ASSESSMENT_STATUSES[s])
                    ga["comment"].append(_COMMENTS[c][s])
                    ga["assessed_by"].append(_ASSESSORS[c][int(rng.integers(3))])
    ind["source"] = [SOURCE] * len(ind["indicator_id"])
    val["source"] = [SOURCE] * len(val["indicator_id"])
    ga["source"] = [SOURCE] * len(ga["org_id"])
    return {
        "indicators": _table("indicators", ind),
        "indicator_values": _table("indicator_values", val),
        "goal_assessments": _table("goal_assessments", ga),
    }


# ---------------------------------------------------------------- activities


@dataclass
class _Vocab:
    titles: pa.Array  # index lang * T * K + type * K + topic
    departments: pa.Array  # index lang * D + d
    types: pa.Array
    statuses: pa.Array
    currencies: pa.Array  # SEK, DKK
    org_ids: pa.Array
    goal_ids: pa.Array
    network_ids: pa.Array
    project_ids: pa.Array


def _vocab(world: _World) -> _Vocab:
    titles = [
        f"{_TYPE_WORDS[c][t]} {topic}"
        for c in ("SE", "DK")
        for t in range(len(ACTIVITY_TYPES))
        for topic in _TOPICS[c]
    ]
    return _Vocab(
        titles=pa.array(titles),
        departments=pa.array([d for c in ("SE", "DK") for d in _DEPARTMENTS[c]]),
        types=pa.array(ACTIVITY_TYPES),
        statuses=pa.array(ACTIVITY_STATUSES),
        currencies=pa.array(["SEK", "DKK"]),
        org_ids=pa.array(world.org_ids),
        goal_ids=pa.array(world.goal_ids),
        network_ids=pa.array(world.network_ids),
        project_ids=pa.array(world.project_ids),
    )


_PLANNED, _ONGOING, _DONE, _CANCELLED = (
    ACTIVITY_STATUSES.index(s) for s in ("planned", "ongoing", "done", "cancelled")
)
_T_PROJECT, _T_NETWORK = ACTIVITY_TYPES.index("project"), ACTIVITY_TYPES.index("network")


def _org_activities(
    world: _World, o: int, counts: np.ndarray, seed: int, id_width: int
) -> dict[str, np.ndarray]:
    """One organisation's activities and goal links as numpy arrays, in sort order."""
    rng = _rng(seed, 1, o)
    n = int(counts.sum())
    year_off = np.repeat(np.arange(N_YEARS), counts)
    lang = int(world.lang[o])
    n_topics = len(_TOPICS["SE"])
    n_dept = len(_DEPARTMENTS["SE"])

    ids = _fixed_ids(f"{world.org_ids[o]}-a".encode(), np.arange(1, n + 1), id_width)
    atype = rng.choice(len(ACTIVITY_TYPES), n, p=_TYPE_P)
    topic = rng.integers(0, n_topics, n)
    title = (lang * len(ACTIVITY_TYPES) + atype) * n_topics + topic
    dept_p = rng.dirichlet(np.ones(n_dept))
    dept = lang * n_dept + rng.choice(n_dept, n, p=dept_p)

    nets = world.mem_net[world.mem_off[o] : world.mem_off[o + 1]]
    p_net = np.where(atype == _T_NETWORK, 0.9, 0.12)
    net = np.where(rng.random(n) < p_net, nets[rng.integers(0, len(nets), n)], -1)

    cell = o * N_YEARS + year_off
    lo = world.proj_off[cell]
    cnt = world.proj_off[cell + 1] - lo
    p_proj = np.where(atype == _T_PROJECT, 0.85, 0.04)
    has_proj = (cnt > 0) & (rng.random(n) < p_proj)
    pick = lo + np.floor(rng.random(n) * cnt).astype(np.int64)
    if len(world.proj_cell_list):
        pick = np.minimum(pick, len(world.proj_cell_list) - 1)
        proj = np.where(has_proj, world.proj_cell_list[pick], -1)
    else:
        proj = np.full(n, -1, dtype=np.int64)

    u = rng.random(n)
    last = year_off == N_YEARS - 1
    status = np.where(
        last,
        np.select([u < 0.3, u < 0.8, u < 0.95], [_PLANNED, _ONGOING, _DONE], _CANCELLED),
        np.where(u < 0.93, _DONE, _CANCELLED),
    )
    has_cost = rng.random(n) < 0.75
    base = 15_000.0 if lang == 0 else 10_000.0
    cost = np.maximum(np.round(rng.lognormal(np.log(base), 1.0, n), -2), 100.0)

    g = int(world.n_goals[o])
    goff = int(world.goal_off[o])
    k = np.minimum(rng.choice([1, 2, 3, 4], n, p=_LINKS_P), g)
    picked = _weighted_pick(rng, np.broadcast_to(world.goal_weight[goff : goff + g], (n, g)), k)
    a_row, a_col = np.nonzero(picked >= 0)
    goal = picked[a_row, a_col]
    order = np.argsort((year_off[a_row] * 16 + goal).astype(np.uint16), kind="stable")
    a_row, goal = a_row[order], goal[order]

    return {
        "ids": ids,
        "org": np.full(n, o, dtype=np.int64),
        "year": FIRST_YEAR + year_off,
        "title": title,
        "dept": dept,
        "type": atype,
        "net": net,
        "proj": proj,
        "status": status,
        "cost": np.where(has_cost, cost, np.nan),
        "currency": np.where(has_cost, lang, -1),
        "link_row": a_row,
        "link_goal": goff + goal,
    }


def _chunk_tables(parts: list[dict[str, np.ndarray]], v: _Vocab) -> tuple[pa.Table, pa.Table]:
    """Activities and activity_goals tables of a run of organisations."""
    cat = {
        k: np.concatenate([p[k] for p in parts]) for k in parts[0] if k not in ("ids", "link_row")
    }
    ids = np.concatenate([p["ids"] for p in parts])
    starts = np.cumsum([0] + [len(p["org"]) for p in parts[:-1]])
    link_row = np.concatenate([p["link_row"] + s for p, s in zip(parts, starts, strict=True)])
    n = len(cat["org"])
    cost = cat["cost"]
    activities = pa.table(
        {
            "activity_id": _strings(ids),
            "org_id": _take(v.org_ids, cat["org"]),
            "year": pa.array(cat["year"]),
            "title": _take(v.titles, cat["title"]),
            "department": _take(v.departments, cat["dept"]),
            "activity_type": _take(v.types, cat["type"]),
            "network_id": _take(v.network_ids, cat["net"]),
            "project_id": _take(v.project_ids, cat["proj"]),
            "status": _take(v.statuses, cat["status"]),
            "cost": pa.array(cost, mask=np.isnan(cost)),
            "currency": _take(v.currencies, cat["currency"]),
            "source": pa.repeat(SOURCE, n),
        }
    )
    links = pa.table(
        {
            "activity_id": _strings(ids[link_row]),
            "goal_id": _take(v.goal_ids, cat["link_goal"]),
            "org_id": _take(v.org_ids, cat["org"][link_row]),
            "year": pa.array(cat["year"][link_row]),
            "source": pa.repeat(SOURCE, len(link_row)),
        }
    )
    return activities, links


def _stream_activities(
    world: _World, counts: np.ndarray, seed: int, folder: Path
) -> tuple[int, int]:
    """Generate and write activities and activity_goals; returns their row counts."""
    vocab = _vocab(world)
    id_width = max(7, len(str(int(counts.sum(axis=1).max()))))
    writers = (
        StreamWriter(folder, TABLE_BY_NAME["activities"]),
        StreamWriter(folder, TABLE_BY_NAME["activity_goals"]),
    )
    # This thread generates; two more encode and compress the two Parquet files, each
    # taking its chunks in order. pyarrow and most of numpy release the GIL, so both
    # cores stay busy. At most one chunk per file waits, which bounds the memory.
    pending: list[Future | None] = [None, None]

    def flush(parts: list[dict[str, np.ndarray]], pool: ThreadPoolExecutor) -> None:
        tables = _chunk_tables(parts, vocab)
        for i, (writer, data) in enumerate(zip(writers, tables, strict=True)):
            waiting = pending[i]
            if waiting is not None:
                waiting.result()
            pending[i] = pool.submit(writer.write, data)

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            parts: list[dict[str, np.ndarray]] = []
            rows = 0
            for o in range(len(world.org_ids)):
                n = int(counts[o].sum())
                if n == 0:
                    continue
                parts.append(_org_activities(world, o, counts[o], seed, id_width))
                rows += n
                if rows >= CHUNK_ROWS:
                    flush(parts, pool)
                    parts, rows = [], 0
            if parts:
                flush(parts, pool)
            for f in pending:
                if f is not None:
                    f.result()
        return writers[0].close(), writers[1].close()
    except BaseException:
        for w in writers:
            with contextlib.suppress(Exception):  # the original error is the one to report
                w.abort()
        raise


# ---------------------------------------------------------------- entry point


def generate(n_activities: int, out: Path, seed: int = 0) -> dict[str, int]:
    """Write a synthetic dataset with exactly *n_activities* activities to *out*.

    Returns the row count per table, in contract order.
    """
    if n_activities < 0:
        raise ValueError("the number of activities cannot be negative")
    from dashboard.storage.publishing import publish

    world, counts = _build_world(n_activities, seed)

    def write(staged: Path) -> dict[str, int]:
        written: dict[str, int] = {}
        for name, data in world.tables.items():
            written[name] = write_table(staged, TABLE_BY_NAME[name], data)
        n_acts, n_links = _stream_activities(world, counts, seed, staged)
        written["activities"], written["activity_goals"] = n_acts, n_links
        return {t.name: written[t.name] for t in TABLES}

    return publish(out, write, source=f"{SOURCE} (seed {seed})")
