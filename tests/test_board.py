"""The annual report for the board (issue #25): opened as its readers open it. The PDF's
text, its tags (PDF/UA-1: headings, tables with header cells, figures with alternative
text), its language and title, its first page drawn by pdftoppm; the Word document's
headings, tables and pictures with their alternative texts; a closed year's report read as
at closing; text from the data shown as text; the command line."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pikepdf
import pytest
from docx import Document as Word

from dashboard.imports import editing, rounds
from dashboard.imports.ingest import ingest
from dashboard.outputs import board
from dashboard.storage import history
from tests.conftest import SAMPLE_SOURCE
from tests.test_round import COORD, ORG, YEAR, _close, opened

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"
MARKUP = '*Fet* #text(red)[röd] ] _kursiv_ <b>x</b> $x$ @ref "citat"'


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("board") / "data"
    ingest(SAMPLE_SOURCE, folder)
    return folder


def structure(pdf: bytes) -> list[tuple[str, str]]:
    """The PDF's tagged structure: (tag, alternative text) in reading order."""
    found: list[tuple[str, str]] = []
    with pikepdf.open(io.BytesIO(pdf)) as doc:

        def walk(node: object) -> None:
            if isinstance(node, pikepdf.Dictionary):
                tag = node.get("/S")
                if tag is not None:
                    found.append((str(tag), str(node.get("/Alt") or "")))
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    for k in kids:
                        walk(k)
                elif kids is not None:
                    walk(kids)

        walk(doc.Root.StructTreeRoot)
    return found


def text_of(pdf: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:  # lines joined: a heading may wrap
        return " ".join(" ".join(p.extract_text() or "" for p in doc.pages).split())


def test_the_pdf_is_tagged_pdf_ua_in_swedish_with_every_part(out: Path) -> None:
    made = board.for_year(out, ORG, YEAR, "sv", "pdf")
    with pikepdf.open(io.BytesIO(made)) as doc:
        assert doc.Root.MarkInfo.Marked is True
        assert str(doc.Root.Lang) == "sv"
        meta = doc.open_metadata()
        assert meta.get("dc:title") == "Årsrapport 2010: internationellt arbete i Gotlands kommun"
        assert meta.get("pdfuaid:part") == "1"  # Typst checked PDF/UA-1 as it wrote it
        assert doc.Root.ViewerPreferences.DisplayDocTitle is True
    tags = structure(made)
    names = [t for t, _ in tags]
    assert names.count("/H1") == 1 and "/H2" in names and "/H3" in names
    assert "/Table" in names and "/TH" in names and "/TD" in names
    figures = [alt for t, alt in tags if t == "/Figure"]
    assert figures[0].startswith("Stapeldiagram, Indikatorernas status")
    assert "1: I fas 1" in figures[0]  # the chart's data said in words
    assert all(alt.strip() for alt in figures)
    text = text_of(made)
    for part in (
        "Sammanfattning",
        "Mål 1. att stärka Gotland som mötesplats",
        "Bedömning:",
        "Internationella möten och",  # an indicator (its cell wraps after "och")
        "Projekt som bidrar till mål 2",  # per goal, its projects
        "Nätverk: avgifter och vad de gav",
        "Projekt och EU-medfinansiering",
        "◇ illustrativ",
        "Året är inte stängt ännu",
    ):
        assert part in text, part
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "board.pdf").write_bytes(made)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "2", str(SCREENSHOTS / "board.pdf"),
         str(SCREENSHOTS / "board")],
        check=True,
    )  # fmt: skip
    pages = sorted(SCREENSHOTS.glob("board-*.png"))
    assert len(pages) == 2 and all(p.stat().st_size > 20_000 for p in pages)


def test_networks_and_eu_funding_are_charts_with_their_data_in_words(out: Path) -> None:
    """Slagelse 2012 pays a network's fee and has an EU co-financed project: the report
    draws both beside the status chart, each said in words in the user's language."""
    made = board.for_year(out, "slagelse", 2012, "da", "pdf")
    figures = [alt for t, alt in structure(made) if t == "/Figure"]
    assert len(figures) == 3, figures
    status, networks, funding = figures
    assert status.startswith("Søjlediagram, Indikatorernes status")
    assert networks.startswith("Punktdiagram, Omkostning over for bidrag.")
    assert "Dansk-svensk-polsk udviklingsnetværk: 25.000 kr., Aktiviteter" in networks
    assert funding.startswith("Søjlediagram, EU-medfinansiering pr. program og status.")
    assert "403.770 €" in funding and "Igangværende" in funding
    doc = Word(io.BytesIO(board.for_year(out, "slagelse", 2012, "sv", "docx")))
    pictures = [str(e.get("descr")) for e in doc.element.body.iter() if e.tag.endswith("}docPr")]
    assert [p.split(",")[0] for p in pictures] == ["Stapeldiagram", "Punktdiagram", "Stapeldiagram"]
    assert "403\xa0770 €" in pictures[2]  # Swedish groups with a no-break space


def test_without_a_browser_the_report_says_each_chart_in_words(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A server with no Chromium (a container built without it): the report is still
    written, both ways, each chart as its caption and its data in words, and the log names
    the missing browser; none of it is refused or half-written."""
    missing = tmp_path / "no-chromium"
    monkeypatch.setenv("BROWSER_PATH", str(missing))
    monkeypatch.setattr(board, "_started", [False])  # as in a process that drew nothing yet
    made = board.for_year(out, "slagelse", 2012, "da", "pdf")
    assert [t for t, _ in structure(made) if t == "/Figure"] == []
    text = text_of(made)
    assert "Indikatorernes status" in text
    assert "Dansk-svensk-polsk udviklingsnetværk: 25.000 kr., Aktiviteter" in text
    assert "403.770 €" in text
    assert str(missing) in caplog.text
    doc = Word(io.BytesIO(board.for_year(out, "slagelse", 2012, "sv", "docx")))
    assert len(doc.inline_shapes) == 0
    said = [p.text for p in doc.paragraphs if "Stapeldiagram" in p.text]
    assert len(said) == 2 and any("403\xa0770 €" in p for p in said), said


def test_the_report_draws_in_the_first_browser_found(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Debian's headless shell where it is installed, else its chromium; BROWSER_PATH, where
    set, wins."""
    shell, full = tmp_path / "chromium-headless-shell", tmp_path / "chromium"
    full.touch()
    monkeypatch.setattr(board, "BROWSERS", (shell, full))
    monkeypatch.setattr(board, "_started", [False])
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    import kaleido

    monkeypatch.setattr(kaleido, "start_sync_server", lambda **_: None)
    board._charts()
    assert os.environ["BROWSER_PATH"] == str(full)
    shell.touch()
    monkeypatch.setattr(board, "_started", [False])
    monkeypatch.delenv("BROWSER_PATH")
    board._charts()
    assert os.environ["BROWSER_PATH"] == str(shell)


def test_the_word_document_has_headings_tables_and_pictures_with_alt_text(out: Path) -> None:
    made = board.for_year(out, ORG, YEAR, "en", "docx")
    doc = Word(io.BytesIO(made))
    assert doc.core_properties.title == "Annual report 2010: international work of Gotlands kommun"
    assert doc.core_properties.language == "en"
    heads = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert heads[0] == ("Heading 1", "Annual report 2010: international work of Gotlands kommun")
    assert ("Heading 2", "Summary") in heads
    assert ("Heading 3", "Goal 1. att stärka Gotland som mötesplats") in heads
    assert doc.tables and all(t.rows[0]._tr.trPr.xpath("./w:tblHeader") for t in doc.tables)
    pictures = [e for e in doc.element.body.iter() if e.tag.endswith("}docPr")]
    assert pictures and str(pictures[0].get("descr")).startswith("Bar chart, Indicator status")
    kinds = {str(p.get("descr")).split(",")[0] for p in pictures}
    assert kinds <= {"Bar chart", "Scatter chart"}
    assert len(doc.inline_shapes) == len(pictures)


def test_text_from_the_data_is_text_in_both_documents(out: Path, tmp_path: Path) -> None:
    folder = tmp_path / "data"
    ingest(SAMPLE_SOURCE, folder)
    base = editing.load(folder, ORG, YEAR, "sv")
    edited = [dict(r) for r in base]
    edited[0]["activity_title"] = MARKUP
    editing.save(folder, ORG, YEAR, "sv", base, edited, COORD, "markup")
    text = text_of(board.for_year(folder, ORG, YEAR, "sv", "pdf"))
    # literally, not as Typst markup (its cell wraps after "_kursiv_")
    assert "*Fet* #text(red)[röd] ] _kursiv_" in text and '<b>x</b> $x$ @ref "citat"' in text
    cells = [c.text for t in Word(io.BytesIO(board.for_year(folder, ORG, YEAR, "sv", "docx")))
             .tables for r in t.rows for c in r.cells]  # fmt: skip
    assert MARKUP in cells


def test_a_closed_years_report_is_the_report_as_at_closing(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    ingest(SAMPLE_SOURCE, folder)
    opened(folder)
    _close(folder)
    closed_at = history.last_version(folder)
    before = text_of(board.for_year(folder, ORG, YEAR, "sv", "pdf"))
    assert "Året stängdes den" in before
    # a project spans years, so the closing does not lock it: its new title is live, but
    # the closed year's report still reads the snapshot it was closed on
    base = editing.load(folder, ORG, YEAR, "sv", "projects")
    edited = [dict(r) for r in base]
    old = edited[0]["project_title"]
    edited[0]["project_title"] = "Omdöpt efter stängningen"
    editing.save(folder, ORG, YEAR, "sv", base, edited, COORD, "", "projects")
    assert history.last_version(folder) > closed_at
    after = text_of(board.for_year(folder, ORG, YEAR, "sv", "pdf"))
    assert after == before
    assert "Omdöpt efter stängningen" not in after and str(old).split()[0] in after
    rounds.reopen_year(folder, ORG, YEAR, COORD, "projektets namn")
    reopened = text_of(board.for_year(folder, ORG, YEAR, "sv", "pdf"))
    assert "Omdöpt efter" in reopened and "Året är inte stängt ännu" in reopened


def test_the_command_line_writes_the_report(out: Path, tmp_path: Path, capsys) -> None:
    from dashboard.cli.commands import main

    pdf, docx = tmp_path / "r.pdf", tmp_path / "r.docx"
    args = ["report", "--data", str(out), "--org", ORG, "--year", str(YEAR), "--lang", "da"]
    assert main([*args, "--out", str(pdf)]) == 0
    assert pdf.read_bytes()[:5] == b"%PDF-" and "Sammenfatning" in text_of(pdf.read_bytes())
    assert main([*args, "--format", "docx", "--out", str(docx)]) == 0
    assert Word(str(docx)).core_properties.language == "da"
    assert main(["report", "--data", str(out), "--year", "2010", "--out", str(pdf)]) == 2
    assert "of one --org" in capsys.readouterr().err
    # no --year: the organisation's last year with something to assess, as --help says
    # (the compilation's and the Annual evaluation page's choice)
    assert main(["report", "--data", str(out), "--org", ORG, "--out", str(pdf)]) == 0
    said = capsys.readouterr().out
    assert f"report of {ORG} for 2013 " in said, said  # the sample's last year of Gotland
    assert main(["report", "--data", str(out), "--org", "nowhere", "--out", str(pdf)]) == 2
    assert "no organisation 'nowhere'" in capsys.readouterr().err
    assert main(["report", "--data", str(out), "--org", "nowhere", "--year", "2010",
                 "--out", str(pdf)]) == 2  # fmt: skip
