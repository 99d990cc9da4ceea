"""The board's document: one organisation's year as an accessible PDF and as Word.

The document is built once as plain blocks (headings, paragraphs, tables, figures with
alternative text) from the annual compilation's own parts (`report.parts`, `for_reading`),
so its numbers are the Evaluation page's and the workbook's; then written two ways:

- **PDF** with Typst (the `typst` package: a compiler in a wheel, no TeX, no browser). The
  document goes to Typst as JSON data, never as markup, so a title with `#`, `*` or `]`
  from the data is text; Typst checks PDF/UA-1 as it writes (a figure without alternative
  text, a missing title or language is an error, not a silent gap) and tags every heading,
  paragraph, table (header cells as TH) and figure;
- **Word** with python-docx: headings as Word's Heading styles (the navigation pane and a
  screen reader's heading list), tables with their first row a repeated header, each chart
  a picture with its alternative text (`descr`), the document's title and language set.

Charts are the pages' own figure builders drawn by Plotly's Kaleido in Debian's Chromium
(`BROWSERS`, or `BROWSER_PATH`), with MathJax off and plotly.js from the installed package,
so nothing is fetched from the internet; one browser is kept per process (`_charts`). Where
no browser is installed the document is still written, each chart as its caption and its
data in words (the alternative text), and the log says which browser is missing. A closed year's
document is read from the snapshot the year was closed on: the same bytes of data, always.
"""

from __future__ import annotations

import io
import json
import logging
import math
import os
import shutil
import tempfile
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import evaluation_figures, network_figures, project_figures
from dashboard.i18n import fmt_date, fmt_int, fmt_money, fmt_num, fmt_pct, plotly_separators, t
from dashboard.model import codes, contract
from dashboard.model.filters import Filters
from dashboard.model.verdicts import status_label
from dashboard.outputs import chartpage, report
from dashboard.sql.queries import params_for
from dashboard.storage import Database, stamp

log = logging.getLogger(__name__)

# The browsers Kaleido may draw the charts in, the first found: Debian's headless shell (the
# same Blink as its chromium without the desktop browser: five charts 2.0 s against 2.6 s,
# 2026-12-07), else its chromium. BROWSER_PATH names another.
BROWSERS = (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))
# what a Debian machine needs for the report: `make run` and deploy/Dockerfile install these
DEBIAN_PACKAGES = ("chromium-headless-shell", "fonts-dejavu-core")
FONT = "DejaVu Sans"  # Debian's fonts-dejavu: every letter of sv, da and en, and more


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str
    lead: str = ""  # said first, in bold ("Bedömning:")


@dataclass(frozen=True)
class Table:
    caption: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    caption: str
    alt: str
    png: bytes = field(repr=False)


Block = Heading | Para | Table | Figure


@dataclass(frozen=True)
class Document:
    """What the board reads, in one language, ready to be written as PDF or Word."""

    title: str
    lang: str
    blocks: tuple[Block, ...]

    def text(self) -> str:
        """Every word of the document, for tests and search."""
        out = [self.title]
        for b in self.blocks:
            if isinstance(b, Heading | Para):
                out.append(f"{getattr(b, 'lead', '')} {b.text}".strip())
            elif isinstance(b, Table):
                out += [b.caption, " | ".join(b.headers)] + [" | ".join(r) for r in b.rows]
            else:
                out += [b.caption, b.alt]
        return "\n".join(out)


# ---------------------------------------------------------------- cells as the language writes


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def cell(col: str, value: object, row: Mapping[str, object], lang: str) -> str:
    """A value as the document prints it: by its column's kind, in *lang*."""
    if _missing(value):
        return "–"
    kind = contract.kind_of(col)
    if kind == "money":
        currency = row.get("currency")
        return fmt_money(value, None if _missing(currency) else str(currency), lang)
    if kind == "share":
        return fmt_pct(value, lang)
    if kind == "year":
        return str(int(value))  # type: ignore[call-overload]
    if kind == "date":
        return fmt_date(pd.Timestamp(value).date(), lang)
    if kind == "count":
        return fmt_int(value, lang)
    if isinstance(value, float):
        return fmt_num(value, lang)
    return " ".join(str(value).split())


def _table(caption: str, df: pd.DataFrame, cols: Sequence[str], lang: str) -> Table:
    heads = []
    for c in cols:
        text = t(f"col.{c}", lang)
        heads.append(c if text.startswith("col.") else text)
    rows = tuple(tuple(cell(c, r.get(c), r, lang) for c in cols) for r in df.to_dict("records"))
    return Table(caption, tuple(heads), rows)


# ---------------------------------------------------------------- what the document says


def build(
    db: Database,
    org: str,
    name: str,
    year: int,
    lang: str,
    closed: datetime | None = None,
    made: datetime | None = None,
) -> Document:
    """The document of *org* (called *name*) for *year* from *db* (a closed year's: the
    snapshot it was closed on, *closed* when), in *lang*."""
    filters = Filters((org,), year, year)
    plan = report.plan_for(db, filters)
    assert plan is not None
    raw = report.parts(db, plan)
    words = report.for_reading(raw, lang, {org: name})
    made = made or datetime.now(UTC)
    title = t("board.title", lang, year=str(year), org=name)
    blocks: list[Block] = [Heading(1, title)]
    state = (
        t("board.closed", lang, date=fmt_date(closed.date(), lang))
        if closed is not None
        else t("board.open", lang)
    )
    blocks.append(Para(t("board.intro", lang, date=fmt_date(made.date(), lang)) + " " + state))
    goals, rollup = words["goals"], raw["goals"]
    blocks += [Heading(2, t("board.summary", lang)), Para(t("board.summary.help", lang))]
    blocks.append(
        _table(
            t("board.summary.table", lang, year=str(year)),
            goals,
            ["goal_code", "goal_title", "activities", "indicators", "verdict", "assessment_status"],
            lang,
        )
    )
    if len(rollup):
        blocks.append(_status_chart(rollup, name, org, year, lang))
    blocks.append(Heading(2, t("board.goals", lang)))
    acts, inds, projects = words["goal_activities"], words["indicators"], words["projects"]
    for g in goals.to_dict("records"):
        code = str(g["goal_code"])
        blocks.append(Heading(3, t("board.goal", lang, code=code, title=str(g["goal_title"]))))
        verdict = str(g.get("assessment_status") or "") or t("board.not_assessed", lang)
        comment = "" if _missing(g.get("assessment_comment")) else str(g["assessment_comment"])
        blocks.append(Para(f"{verdict}. {comment}".strip(), t("board.assessment", lang)))
        blocks.append(Para(str(g.get("verdict") or "–"), t("board.computed", lang)))
        mine = acts.loc[(acts["goal_code"].astype(str) == code) & acts["activity_title"].notna()]
        if len(mine):
            blocks.append(
                _table(
                    t("board.goal.activities", lang, code=code),
                    mine,
                    ["activity_title", "department", "status", "source"],
                    lang,
                )
            )
        else:
            blocks.append(Para(t("board.goal.no_activities", lang)))
        serving = projects.loc[[code in _codes(c) for c in projects["goal_codes"]]]
        if len(serving):
            blocks.append(
                _table(
                    t("board.goal.projects", lang, code=code),
                    serving,
                    ["title", "programme", "role", "status"],
                    lang,
                )
            )
        theirs = inds.loc[inds["goal_code"].astype(str) == code]
        if len(theirs):
            blocks.append(
                _table(
                    t("board.goal.indicators", lang, code=code),
                    theirs,
                    ["name", "unit", "baseline", "target", "actual", "status", "value_source"],
                    lang,
                )
            )
    nets = words["networks"]
    blocks.append(Heading(2, t("board.networks", lang)))
    if len(nets):
        blocks.append(Para(t("board.networks.help", lang)))
        chart = _networks_chart(db, filters, lang)
        if chart is not None:
            blocks.append(chart)
        blocks.append(
            _table(
                t("board.networks", lang),
                nets,
                ["network", "role", "fees", "activities", "goals_served", "source"],
                lang,
            )
        )
    else:
        blocks.append(Para(t("board.none", lang)))
    blocks.append(Heading(2, t("board.projects", lang)))
    if len(projects):
        blocks.append(Para(t("board.projects.help", lang)))
        chart = _funding_chart(db, filters, lang)
        if chart is not None:
            blocks.append(chart)
        blocks.append(
            _table(
                t("board.projects", lang),
                projects,
                ["title", "programme", "role", "status", "total_budget", "eu_funding", "eu_rate"],
                lang,
            )
        )
    else:
        blocks.append(Para(t("board.none", lang)))
    blocks += [Heading(2, t("board.about", lang)), Para(t("board.illustrative", lang))]
    return Document(title, lang, tuple(blocks))


def _codes(listed: object) -> set[str]:
    """The goal codes a project's list names ("2, 3, 6")."""
    return set() if _missing(listed) else {c.strip() for c in str(listed).split(",")}


def _status_chart(rollup: pd.DataFrame, name: str, org: str, year: int, lang: str) -> Block:
    """The Evaluation page's chart of indicators per goal by status, as a picture with its
    data said in words (the alternative text a screen reader reads)."""
    labels = {s: status_label(s, lang) for s in evaluation_figures.STATUS_ORDER}
    title = t("evaluation.chart.status", lang, year=str(year))
    fig = evaluation_figures.indicator_status_bar(
        rollup,
        {
            "title": title,
            "x": t("evaluation.axis.indicators", lang),
            "y": t("axis.goal", lang),
            "gap": "⊘ " + t("evaluation.legend.gap", lang),
            **labels,
        },
        plotly_separators(lang),
        {org: name},
    )
    said = []
    words = {s: status_label(s, lang, symbol=False) for s in evaluation_figures.STATUS_ORDER}
    for r in rollup.to_dict("records"):
        counts = ", ".join(
            f"{words[s]} {fmt_int(r[s], lang)}" for s in evaluation_figures.STATUS_ORDER if r[s]
        )
        said.append(f"{r['goal_code']}: {counts or t('board.chart.none', lang)}")
    alt = t("board.chart.alt", lang, title=title) + " " + "; ".join(said) + "."
    return chart(title, alt, fig)


def _networks_chart(db: Database, filters: Filters, lang: str) -> Block | None:
    """The Networks page's cost against contribution for the organisation's year, its
    points said in words: fee, activities and goals served per network."""
    value = db.df("network_value", params_for("network_value", filters))
    if value.empty:
        return None
    kinds = {k: codes.label("network_kind", k, lang) for k in codes.DOMAINS["network_kind"]}
    title = t("networks.value", lang)
    fig = network_figures.cost_contribution(
        value,
        {
            "title": title,
            "x": t("networks.fees_axis", lang),
            "y": t("networks.activities", lang),
            "fees": t("networks.fees_axis", lang),
            "other_costs": t("col.other_costs", lang),
            "goals": t("networks.goals", lang),
            "members": t("networks.members", lang),
            "no_fee": t("networks.no_fee", lang),
            "log": t("networks.log", lang),
        },
        plotly_separators(lang),
        kinds,
        lang=lang,
    )
    said = []
    for r in value.to_dict("records"):
        fee = (
            fmt_money(r["fees"], str(r["currency"]), lang)
            if not _missing(r["fees"]) and not _missing(r["currency"])
            else t("networks.no_fee", lang)
        )
        said.append(
            f"{r['network']}: {fee}, {t('networks.activities', lang)} "
            f"{fmt_int(r['activities'], lang)}, {t('networks.goals', lang)} "
            f"{fmt_int(r['goals_served'], lang)}"
        )
    alt = t("board.chart.alt.networks", lang, title=title) + " " + "; ".join(said) + "."
    return chart(title, alt, fig, height=480)


def _funding_chart(db: Database, filters: Filters, lang: str) -> Block | None:
    """The Projects page's EU co-financing by programme and status (one panel per
    currency, never added across), said in words per programme."""
    funding = db.df("project_funding", params_for("project_funding", filters))
    rows = funding[funding["currency"].notna() & funding["eu_funding"].notna()]
    if rows.empty:
        return None
    statuses = {
        s: codes.label("project_status", s, lang) for s in project_figures.PROJECT_STATUS_ORDER
    }
    title = t("board.chart.eu_funding", lang)
    none = t("projects.no_programme", lang)
    fig = project_figures.funding_bars(
        funding,
        "eu_funding",
        {
            "title": title,
            "x": t("col.eu_funding", lang),
            "none": none,
            "projects": t("col.projects", lang),
        },
        plotly_separators(lang),
        statuses,
    )
    said = [
        f"{none if _missing(r['programme']) else r['programme']}, "
        f"{statuses.get(str(r['status']), str(r['status']))}: "
        f"{fmt_money(r['eu_funding'], str(r['currency']), lang)} "
        f"({t('col.projects', lang)} {fmt_int(r['projects'], lang)})"
        for r in rows.to_dict("records")
    ]
    alt = t("board.chart.alt.funding", lang, title=title) + " " + "; ".join(said) + "."
    return chart(title, alt, fig)


# ---------------------------------------------------------------- charts as pictures


class ChartsUnavailable(RuntimeError):
    """No browser to draw the charts in: install Debian's chromium-headless-shell (`make
    run` and the container image do) or set BROWSER_PATH to a Chromium or Chrome."""


_LOCK = threading.Lock()
_started = [False]


def _charts() -> None:
    """Kaleido's browser for this process, started once: Debian's Chromium, no MathJax
    (Kaleido would fetch it from a CDN), plotly.js from the installed package."""
    import kaleido

    if _started[0]:
        return
    # looked for at each report until one is found: a browser installed later is used
    # without a restart (nothing missing is written into BROWSER_PATH)
    path = os.environ.get("BROWSER_PATH") or next((str(b) for b in BROWSERS if b.exists()), "")
    if not path or not Path(path).exists():
        raise ChartsUnavailable(path or " or ".join(str(b) for b in BROWSERS))
    os.environ["BROWSER_PATH"] = path  # where Kaleido looks
    chartpage.mend()  # its page asked in the right context (see chartpage)
    kaleido.start_sync_server(mathjax=False, silence_warnings=True)
    _started[0] = True


def chart(title: str, alt: str, fig: go.Figure, height: int | None = None) -> Block:
    """*fig* as a figure with its picture and *alt*; where no browser is installed, as a
    paragraph of its *title* and its data in words (*alt*): the document is written, not
    refused, and the log says which browser it looked for."""
    try:
        return Figure(title, alt, png(fig, height=height))
    except ChartsUnavailable as exc:
        log.warning("the report's charts are written as text: no browser at %s", exc)
        return Para(alt, lead=title + ".")


def png(fig: go.Figure, width: int = 760, height: int | None = None) -> bytes:
    """*fig* as a PNG at twice its size (sharp on paper and on screen). Kaleido's page in
    the browser is sometimes asked before its scripts have loaded (on a busy machine:
    "kaleido_scopes is not defined"); the browser is then started again, up to
    DRAW_ATTEMPTS times, before the error is the caller's."""
    import kaleido

    opts = {"format": "png", "width": width, "height": height or fig.layout.height or 420}
    with _LOCK:
        for attempt in range(DRAW_ATTEMPTS):
            _charts()
            try:
                return bytes(kaleido.calc_fig_sync(fig, opts={**opts, "scale": 2}))
            except Exception:
                kaleido.stop_sync_server(silence_warnings=True)
                _started[0] = False
                if attempt == DRAW_ATTEMPTS - 1:
                    raise
    raise AssertionError("unreachable")  # pragma: no cover


DRAW_ATTEMPTS = 3


# ---------------------------------------------------------------- PDF (Typst, PDF/UA-1)

TEMPLATE = r"""
#let doc = json("doc.json")
#set document(title: doc.title, author: "Målbild")
#set text(lang: doc.lang, font: "FONT", size: 10pt)
#set page(paper: "a4", margin: (x: 2cm, y: 2.2cm), numbering: "1")
#set table(stroke: 0.5pt + luma(160), inset: 4pt, align: left)
#show table.cell.where(y: 0): set text(weight: "bold")
#show figure.where(kind: table): set figure.caption(position: top)
#for b in doc.blocks {
  if b.kind == "heading" {
    heading(level: b.level, b.text)
  } else if b.kind == "para" {
    if b.lead != "" { par([#strong(b.lead) #b.text]) } else { par(b.text) }
  } else if b.kind == "table" {
    figure(
      table(
        columns: b.headers.len(),
        table.header(..b.headers.map(h => [#h])),
        ..b.rows.flatten().map(c => [#c]),
      ),
      caption: b.caption,
      kind: table,
    )
  } else if b.kind == "figure" {
    figure(image(b.file, alt: b.alt, width: 100%), caption: b.caption)
  }
}
""".replace("FONT", FONT)


def pdf(doc: Document) -> bytes:
    """The document as tagged PDF, checked against PDF/UA-1 by Typst as it is written."""
    import typst

    folder = Path(tempfile.mkdtemp(prefix="malbild-report-"))
    try:
        blocks = []
        for i, b in enumerate(doc.blocks):
            if isinstance(b, Heading):
                blocks.append({"kind": "heading", "level": b.level, "text": b.text})
            elif isinstance(b, Para):
                blocks.append({"kind": "para", "text": b.text, "lead": b.lead})
            elif isinstance(b, Table):
                blocks.append(
                    {
                        "kind": "table",
                        "caption": b.caption,
                        "headers": list(b.headers),
                        "rows": [list(r) for r in b.rows],
                    }
                )
            else:
                file = f"figure-{i}.png"
                (folder / file).write_bytes(b.png)
                blocks.append({"kind": "figure", "file": file, "alt": b.alt, "caption": b.caption})
        data = {"title": doc.title, "lang": doc.lang, "blocks": blocks}
        (folder / "doc.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        (folder / "main.typ").write_text(TEMPLATE, encoding="utf-8")
        return bytes(
            typst.compile(
                str(folder / "main.typ"),
                root=str(folder),
                format="pdf",
                pdf_standards=["ua-1"],
                ignore_system_fonts=False,
            )
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------- Word (python-docx)


def docx(doc: Document) -> bytes:
    """The document as Word: Heading styles, tables with a repeated header row, pictures
    with their alternative text, title and language in the document's properties."""
    from docx import Document as Word
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    word = Word()
    word.core_properties.title = doc.title
    word.core_properties.author = "Målbild"
    word.core_properties.language = doc.lang
    styles = word.styles
    lang_tag = {"sv": "sv-SE", "da": "da-DK", "en": "en-GB"}.get(doc.lang, doc.lang)
    rpr = styles["Normal"].element.get_or_add_rPr()
    tag = OxmlElement("w:lang")
    tag.set(qn("w:val"), lang_tag)
    rpr.append(tag)
    figures = 0
    for b in doc.blocks:
        if isinstance(b, Heading):
            word.add_heading(b.text, level=b.level)
        elif isinstance(b, Para):
            p = word.add_paragraph()
            if b.lead:
                p.add_run(b.lead + " ").bold = True
            p.add_run(b.text)
        elif isinstance(b, Table):
            word.add_paragraph(b.caption, style="Caption")
            table = word.add_table(rows=1, cols=len(b.headers))
            table.style = "Table Grid"
            head = table.rows[0]
            trpr = head._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")
            repeat.set(qn("w:val"), "true")
            trpr.append(repeat)
            for c, text in zip(head.cells, b.headers, strict=True):
                c.text = ""
                c.paragraphs[0].add_run(text).bold = True
            for r in b.rows:
                cells = table.add_row().cells
                for c, text in zip(cells, r, strict=True):
                    c.text = text
        else:
            figures += 1
            word.add_picture(io.BytesIO(b.png), width=Cm(16))
            inline = word.paragraphs[-1].runs[-1]._r.xpath(".//wp:docPr")[0]
            inline.set("descr", b.alt)
            inline.set("title", b.caption)
            word.add_paragraph(b.caption, style="Caption")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def closed(db: Database, org: str, year: int) -> tuple[int, datetime] | None:
    """The snapshot *org*'s *year* was closed on, and when (None: not closed)."""
    found = db.df("rounds", params_for("rounds", Filters((org,))))
    hit = found.loc[(found["year"] == year) & (found["state"] == "closed")]
    if hit.empty:
        return None
    row = hit.iloc[0]
    return int(row["closed_snapshot"]), datetime.fromisoformat(str(row["changed_at"]))


def for_year(folder: Path, org: str, year: int, lang: str, fmt: str) -> bytes:
    """The report of *org* for *year* from the dataset at *folder*, as "pdf" or "docx": a
    closed year's as it was at closing (the snapshot the round keeps), else the newest."""
    db = Database(folder, snapshot=stamp(folder))
    try:
        name = _name_of(db, org)
        when = closed(db, org, year)
    finally:
        db.close()
    if when is not None:
        db = Database(folder, snapshot=when[0])
    else:
        db = Database(folder, snapshot=stamp(folder))
    try:
        doc = build(db, org, str(name), year, lang, when[1] if when else None)
    finally:
        db.close()
    return pdf(doc) if fmt == "pdf" else docx(doc)


def last_year(folder: Path, org: str) -> int | None:
    """The year a report of *org* is of when none is named: its own last year with
    something to assess, as the compilation and the Annual evaluation page choose it
    (`report.plan_for`); None when it has none. LookupError: no such organisation."""
    db = Database(folder, snapshot=stamp(folder))
    try:
        _name_of(db, org)
        plan = report.plan_for(db, Filters((org,)))
    finally:
        db.close()
    return None if plan is None else plan.year_of(org)


def _name_of(db: Database, org: str) -> str:
    """The organisation's name; LookupError when the dataset has no such organisation."""
    names = db.df("organisations", {})
    name = dict(zip(names["org_id"], names["name"], strict=True)).get(org)
    if name is None:
        raise LookupError(f"no organisation {org!r}")
    return str(name)


def file_name(org: str, year: int, lang: str, ext: str) -> str:
    """The document's file name: what, whose, which year (arsrapport_gotland_2010.pdf)."""
    return f"{t('file.board', lang)}_{org}_{year}.{ext}"
