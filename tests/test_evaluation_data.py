"""The Annual evaluation and Data pages: their queries against the mini fixture (answers
worked out by hand from tests/fixtures/mini/*.csv), the pages through AppTest on the
sample, the annual compilation (workbook and zip), the upload check and `report` CLI."""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from dashboard.app.pages import PAGES_DIR
from dashboard.cli import main
from dashboard.imports import uploads
from dashboard.imports.ingest import ImportFailed, check_source
from dashboard.model import verdicts
from dashboard.model.access import Scope
from dashboard.model.filters import Filters
from dashboard.outputs import datainfo, report
from dashboard.outputs.template import template_xlsx, template_zip
from dashboard.settings import SettingError
from dashboard.sql.queries import params_for
from dashboard.storage.engine import Database
from tests.conftest import ROOT, SAMPLE_SOURCE
from tests.helpers import ALL, clean, run

A_2019 = Filters(("a",), 2019, 2019)
A_2020 = Filters(("a",), 2020, 2020)


# ---------------------------------------------------------------- queries on the mini fixture


def test_evaluation_indicators_2019(mini_db: Database) -> None:
    rows = run(mini_db, "evaluation_indicators", A_2019)
    assert clean(
        rows, "indicator_id", "year", "baseline", "target", "actual", "progress", "status"
    ) == [
        # ia, higher, baseline 0: actual 2 meets target 2
        ("ia", 2019, 0.0, 2.0, 2.0, 1.0, "reached"),
        # ib, lower, baseline 100: (80-100)/(50-100) = 0.4 -> at risk, not reached (80 > 50)
        ("ib", 2019, 100.0, 50.0, 80.0, 0.4, "at_risk"),
    ]
    # the managers' verdict of the indicator's goal for the year sits beside it:
    # goal_assessments has a,a1,2019,achieved,"Went well"; nothing for a2
    assert clean(rows, "goal_code", "assessment_status", "assessment_comment") == [
        ("1", "achieved", "Went well"),
        ("2", None, None),
    ]
    assert clean(rows, "unit", "definition", "source") == [
        ("projects", "Projects running", "fixture"),
        ("tonnes_co2", "Emissions", "fixture"),
    ]


def test_evaluation_2020_without_an_actual_uses_the_latest_reported(mini_db: Database) -> None:
    rows = run(mini_db, "evaluation_indicators", A_2020)
    cols = ("indicator_id", "target", "actual", "actual_year", "progress", "status")
    assert clean(rows, *cols) == [
        ("ia", 4.0, 3.0, 2020, 0.75, "on_track"),  # (3-0)/(4-0) = 0.75, the on-track bound
        # ib,2020,40, has no actual: measured against 2019's 80, said so by actual_year;
        # lower is better: (80-100)/(40-100) = 1/3 -> off track
        ("ib", 40.0, 80.0, 2019, pytest.approx(1 / 3), "off_track"),
    ]


def test_evaluation_indicators_year_without_values_keeps_every_indicator(mini_db) -> None:
    # a's strategy applies 2019-2020: in 2021 (after it) and 2018 (before it) its goals and
    # their indicators are not evaluated; b's strategy (from 2020, until replaced) is
    rows = run(mini_db, "evaluation_indicators", Filters(("a",), 2018, 2018))
    assert rows == []
    rows = run(mini_db, "evaluation_indicators", Filters(("a",), 2021, 2021))
    assert rows == []
    rows = run(mini_db, "evaluation_indicators", Filters(("a",), 2019, 2019))
    assert clean(rows, "indicator_id", "year", "status") == [
        ("ia", 2019, "reached"),
        ("ib", 2019, "at_risk"),
    ]


def test_evaluation_year_defaults_to_the_last_year_with_data(mini_db: Database) -> None:
    # no year chosen: activities, indicator values and project ends all stop in 2020
    assert {r["year"] for r in run(mini_db, "evaluation_indicators")} == {2020}
    assert {r["year"] for r in run(mini_db, "evaluation_rollup")} == {2020}
    # a range is evaluated at its last year (year_to)
    rows = run(mini_db, "evaluation_indicators", Filters(("a",), 2019, 2020))
    assert clean(rows, "year", "status") == [(2020, "on_track"), (2020, "off_track")]


def test_evaluation_rollup_2019(mini_db: Database) -> None:
    rows = run(mini_db, "evaluation_rollup", A_2019)
    cols = ("goal_id", "activities", "projects", "indicators", "reached", "at_risk", "verdict")
    assert clean(rows, *cols) == [
        ("a1", 2, 1, 1, 1, 0, "reached"),  # a-01, a-02; pa1 runs 2019-2020; ia reached
        ("a2", 1, 1, 1, 0, 1, "at_risk"),  # a-01; pa1; ib at risk
        ("a3", 0, 0, 0, 0, 0, "uncovered"),  # nothing: stands out
    ]
    assert clean(rows, "assessment_status", "assessment_comment", "assessed_by") == [
        ("achieved", "Went well", "Office"),
        (None, None, None),
        (None, None, None),
    ]


def test_evaluation_rollup_2020_and_all_orgs(mini_db: Database) -> None:
    rows = run(mini_db, "evaluation_rollup", Filters(year_from=2020, year_to=2020))
    cols = ("goal_id", "activities", "projects", "on_track", "not_assessable", "verdict")
    assert clean(rows, *cols) == [
        ("a1", 0, 1, 1, 0, "on_track"),  # no 2020 activity serves a1, but ia is on track
        # a-03; ib has no actual for 2020: judged on 2019's 80, off track, as the indicator
        # table says (the roll-up once judged it on 2020 alone and called it not assessable)
        ("a2", 1, 1, 0, 0, "off_track"),
        ("a3", 0, 0, 0, 0, "uncovered"),
        # b-01 serves b1; pb1 is only 'applied', so it does not count; no indicator
        ("b1", 1, 0, 0, 0, "not_assessable"),
    ]


def test_evaluation_rollup_goal_filter(mini_db: Database) -> None:
    rows = run(mini_db, "evaluation_rollup", Filters(("a",), 2019, 2019, ("a2",)))
    assert clean(rows, "goal_id", "activities", "indicators", "verdict") == [
        ("a2", 1, 1, "at_risk")
    ]


def test_evaluation_assessments(mini_db: Database) -> None:
    rows = run(mini_db, "evaluation_assessments", A_2019)
    assert clean(rows, "goal_code", "year", "status", "comment", "assessed_by") == [
        ("1", 2019, "achieved", "Went well", "Office")
    ]
    assert run(mini_db, "evaluation_assessments", A_2020) == []


def test_report_goal_activities_keeps_goals_without_activity(mini_db: Database) -> None:
    rows = run(mini_db, "report_goal_activities", A_2019)
    assert clean(rows, "goal_id", "activity_id", "network", "cost") == [
        ("a1", "a-01", "Network One", 100.0),
        ("a1", "a-02", None, None),
        ("a2", "a-01", "Network One", 100.0),  # a-01 serves goals 1 and 2
        ("a3", None, None, None),  # the gap keeps one empty row
    ]


def test_data_tables_rows_and_sources(mini_db: Database) -> None:
    rows = {r["table_name"]: r for r in run(mini_db, "data_tables")}
    assert list(rows) == [
        "organisations",
        "strategies",
        "goals",
        "networks",
        "memberships",
        "projects",
        "activities",
        "activity_goals",
        "project_goals",
        "indicators",
        "indicator_values",
        "goal_assessments",
    ]
    # activities.csv: five rows, a-04 is 'illustrative', the rest 'fixture'
    a = rows["activities"]
    assert (a["row_count"], a["document_rows"], a["illustrative_rows"]) == (5, 4, 1)
    assert (a["document_pct"], a["illustrative_pct"]) == (80.0, 20.0)
    # goals take their strategy's source; links with an empty source their activity's
    assert rows["goals"]["document_rows"] == 4
    assert rows["activity_goals"]["document_rows"] == 5
    assert rows["goal_assessments"]["row_count"] == 1


def test_data_quality_checks(mini_db: Database) -> None:
    def check(name: str, f: Filters = ALL) -> tuple:
        return clean(run(mini_db, f"data_{name}", f), "items", "examples")[0]

    # examples by name, never by id: an activity by title and year, a goal by its
    # organisation's name and number, a project by acronym
    assert check("activities_without_goal") == (1, "Nothing linked (2020)")  # a-04: no links
    assert check("goals_without_activity") == (1, "Alfa kommun 3")  # a3
    assert check("projects_without_budget") == (1, "BA")  # pb1: no total_budget
    assert check("projects_without_budget", Filters(("a",))) == (0, None)
    assert check("indicators_without_target") == (0, None)  # ia and ib both have targets


# ---------------------------------------------------------------- the pages through AppTest

APP = ROOT / "streamlit_app.py"
ROUTER = """
import streamlit as st
from dashboard.app import grids, shell
from dashboard.app.pages import PAGES

view = shell.start()
st.navigation([shell.page(p, view) for p in PAGES if p.name in ("evaluation", "data")]).run()
"""


def _app_script(tmp_path: Path) -> Path:
    """The real app when every page it routes to exists; else (while other pages are still
    being written) a router of the same shell with just these two pages."""
    pages = re.findall(r'shell\.page\("(\w+)"', APP.read_text(encoding="utf-8"))
    if all((PAGES_DIR / f"{p}.py").is_file() for p in pages):
        return APP
    script = tmp_path / "router.py"
    script.write_text(ROUTER, encoding="utf-8")
    return script


def _page(script: Path, name: str) -> str:
    return os.path.relpath(PAGES_DIR / f"{name}.py", script.parent)


@pytest.fixture
def open_page(sample_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Open a page over the sample with URL parameters; returns the AppTest after running.

    The page is chosen before the first run, as a link to it would: AppTest (Streamlit
    1.67) loses a range select_slider's value on every rerun after the first, so tests
    set years through the link and change the other filters through widgets.
    """
    monkeypatch.setenv("DASHBOARD_DATA_DIR", str(sample_dir))
    monkeypatch.delenv("DASHBOARD_ALLOW_IMPORT", raising=False)
    script = _app_script(tmp_path)

    def make(page: str, **params: str) -> AppTest:
        at = AppTest.from_file(str(script), default_timeout=60)
        for k, v in params.items():
            at.query_params[k] = v
        at.switch_page(_page(script, page)).run()
        assert not at.exception, at.exception
        return at

    return make


ALIASES = {"computed_status": "status"}  # the page labels its status column so


def _raw_names(shown: list[str], wanted: tuple[str, ...], lang: str) -> list[str]:
    """Map a table's translated headers back to column names (grids.show_table translates)."""
    import dashboard.app.pages.data
    import dashboard.app.pages.evaluation  # noqa: F401  (registers the pages' texts)
    from dashboard.i18n import TEXTS, t

    out = []
    for name in shown:
        label = str(name).rstrip()
        cands = [
            ALIASES.get(k.rsplit("col.", 1)[1], k.rsplit("col.", 1)[1])
            for k in TEXTS
            if "col." in k and t(k, lang) == label
        ]
        pick = [c for c in cands if c in wanted] or cands or [label]
        out.append(pick[0] if pick[0] not in out else label)
    return out


def frame(at: AppTest, *columns: str) -> pd.DataFrame:
    """The first table shown that has all *columns* (AppTest tables carry no key)."""
    lang = at.query_params.get("lang", "sv")
    lang = lang[0] if isinstance(lang, list) else lang
    for d in at.dataframe:
        df = d.value.copy()
        df.columns = _raw_names(list(df.columns), columns, lang)
        if set(columns) <= set(df.columns):
            return df
    raise AssertionError(f"no table with columns {columns}")


ROLLUP = ("goal_code", "activities", "verdict", "assessment_comment")
INDICATORS = ("name", "definition", "status")
ASSESSMENTS = ("goal_code", "comment", "assessed_by")


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [e.value for kind in (at.info, at.warning, at.success, at.error) for e in kind]
    return "\n".join(parts)


def test_both_pages_render_in_swedish_and_english(open_page) -> None:
    for lang in ("sv", "en"):
        for page in ("evaluation", "data"):
            at = open_page(page, lang=lang)
            assert not at.error, (lang, page, [e.value for e in at.error])
            assert len(at.main.title) == 1
    at = open_page("evaluation", lang="sv", org="slagelse", year="2013")
    assert at.main.title[0].value == "Årlig utvärdering 2013"
    assert "Så beräknas en indikators status" in _texts(at)  # the rule is on the page
    at = open_page("data", lang="en")
    assert at.main.title[0].value == "Data"
    assert "The loaded dataset" in [s.value for s in at.header]


def test_evaluation_shows_verdicts_gaps_and_the_managers_verdict(open_page) -> None:
    at = open_page("evaluation", lang="en", org="slagelse", year="2013")
    rollup = frame(at, *ROLLUP)
    assert rollup["goal_code"].tolist() == ["1", "2", "3", "T1", "T2", "T3"]
    # focus area 3 has two projects but no activity and no indicator in 2013
    assert rollup["verdict"].tolist()[2] == "⊘ No activity or indicator"
    assert rollup["assessment_status"].tolist()[4] == "✔ Achieved"  # T2, the managers' own
    warnings = [w.value for w in at.warning]
    assert "⊘ These goals have no activity and no indicator in 2013 – 3. Oplevelse/turisme" in [
        w.replace("\\", "") for w in warnings
    ]
    indicators = frame(at, *INDICATORS)
    assert len(indicators) == 4
    # 2013's targets are measured against what was last reported (2012), in words and with
    # a symbol; the lead-partner target is due in 2014, so 2013 has none to assess
    assert dict(zip(indicators["name"], indicators["status"], strict=True)) == {
        "Projekter med Slagelse Kommune som lead partner": "○ Cannot be assessed",
        "Yderligere projekter med Slagelse Kommune som partner": "● On track",  # 3 of 4
        "Egenfinansiering i partnerprojekter": "▲ At risk",  # 61,000 of 90,000
        "EU-konsulenter finansieret af de internationale projekter": "▲ At risk",  # 1 of 2
    }
    assessments = frame(at, *ASSESSMENTS)
    assert assessments["goal_code"].tolist() == ["1", "T2", "T3"]


def test_evaluation_follows_the_filters(open_page) -> None:
    at = open_page("evaluation", lang="en", org="gotland", year="2009")
    assert at.main.title[0].value == "Annual evaluation 2009"
    first = frame(at, *ROLLUP)
    assert first["verdict"].tolist()[0] == "✔ Reached"  # 18 meetings against a target of 16
    assert first["activities"].tolist() == ["6", "5", "7", "7", "4", "7", "4"]  # shown as text
    at.multiselect(key="f_goals").set_value(["gotland-2009-g5"]).run()
    rollup = frame(at, *ROLLUP)
    assert rollup["goal_code"].tolist() == ["5"]
    assert rollup["activities"].tolist() == ["4"]  # bullets 08, 09, 10, 16
    assert rollup["assessment_status"].tolist() == ["▲ At risk"]
    assert any(i.value == "The selection has no indicators." for i in at.info)


def test_evaluation_of_a_range_takes_its_last_year(open_page) -> None:
    at = open_page("evaluation", lang="en", org="gotland", **{"from": "2010", "to": "2012"})
    assert at.main.title[0].value == "Annual evaluation 2012"
    assert any("the evaluation covers the last of them, 2012" in i.value for i in at.info)
    indicators = frame(at, *INDICATORS)
    # 2012: target 22, actual 21, baseline 14: (21-14)/(22-14) = 0.875 -> on track
    assert indicators["status"].tolist() == ["● On track"]
    assert indicators["progress"].tolist() == ["87.5 %"]


def test_evaluation_without_a_year_uses_the_last_year_with_data(open_page) -> None:
    at = open_page("evaluation", lang="sv", org="gotland")
    assert at.main.title[0].value == "Årlig utvärdering 2013"
    assert any("gäller 2013, det senaste året med något att bedöma" in i.value for i in at.info)


def test_data_page_shows_tables_quality_and_follows_the_org_filter(open_page) -> None:
    at = open_page("data", lang="en")
    tables = frame(at, "table_name", "row_count")
    assert tables["row_count"].tolist()[:3] == ["5", "5", "48"]  # counts, as counts are written
    assert "modified" not in tables  # a checkout's file times say nothing of the data
    # when it was imported, in the organisation's zone and the language's way, and from what
    assert any(
        re.search(r"Imported \w{3} \d{1,2}, \d{4} \d{1,2}\\?:\d\d\s[AP]M from the sample", c.value)
        for c in at.caption
    ), [c.value for c in at.caption]
    quality = frame(at, "check", "items")
    # all organisations (no duplicates)
    assert quality["items"].tolist() == ["0", "8", "9", "0", "0"]
    assert any(w.value.startswith("Goals with no activity in any year: 8") for w in at.warning)
    at.selectbox(key="f_org").set_value("gotland").run()
    # Gotland's B7 projects
    assert frame(at, "check", "items")["items"].tolist() == ["0", "0", "4", "0", "0"]


def test_data_page_without_allow_import_says_it_is_off(open_page) -> None:
    at = open_page("data", lang="en")
    assert any("An administrator imports" in i.value for i in at.info)
    assert not any("python -m" in i.value for i in at.info)  # no command lines for managers
    assert not [b for b in at.button if b.key == "data-replace"]


def test_data_page_with_allow_import_drops_the_hint(open_page, monkeypatch) -> None:
    monkeypatch.setenv("DASHBOARD_ALLOW_IMPORT", "1")
    at = open_page("data", lang="en")
    assert not any("An administrator imports" in i.value for i in at.info)


# ---------------------------------------------------------------- the annual compilation


def test_compilation_parts_hold_the_rows_of_the_year(sample_db: Database) -> None:
    comp = report.compile_year(sample_db, Filters(("gotland",), 2009, 2009), "en")
    assert comp is not None and comp.year == 2009
    f = Filters(("gotland",), 2009, 2009)
    expected = {p.name: len(sample_db.df(p.query, params_for(p.query, f))) for p in report.PARTS}
    assert {k: len(v) for k, v in comp.frames.items()} == expected
    assert expected["goals"] == 7
    assert expected["goal_activities"] == 6 + 5 + 7 + 7 + 4 + 7 + 4  # no goal left empty
    assert expected["indicators"] == 1
    assert expected["assessments"] == 5
    assert comp.orgs == "Gotlands kommun"
    assert comp.slug == "gotland_2009"


def test_workbook_has_every_sheet_formatted_for_reading(sample_db: Database) -> None:
    comp = report.compile_year(sample_db, Filters(("slagelse",), 2013, 2013), "sv")
    assert comp is not None
    wb = load_workbook(io.BytesIO(comp.xlsx("sv")))
    names = [report.sheet_name(p.name, "sv") for p in report.PARTS]
    assert wb.sheetnames == ["Om", *names]
    assert names == [
        "Mål",
        "Aktiviteter per mål",
        "Nätverk",
        "Projekt",
        "Indikatorer",
        "Bedömningar",
    ]
    for part, name in zip(report.PARTS, names, strict=True):
        ws = wb[name]
        assert ws.max_row == len(comp.frames[part.name]) + 1, name
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
    goals = wb["Mål"]
    header = [c.value for c in goals[1]]
    assert header[:3] == ["Organisation", "Mål", "Lydelse"]  # no ids in a manager's file
    verdict = header.index("Beräknad bedömning") + 1
    assert goals.cell(4, verdict).value == "Ingen aktivitet eller indikator"  # focus area 3
    assert isinstance(goals.cell(2, header.index("Aktiviteter") + 1).value, int)
    about = {r[0]: r[1] for r in wb["Om"].iter_rows(values_only=True) if r and r[0]}
    assert about["År"] == 2013  # a number, as a year in Excel
    indicators = wb["Indikatorer"]
    head = [c.value for c in indicators[1]]
    year_col = head.index("Utfallets år") + 1
    assert indicators.cell(2, year_col).number_format == "0"  # 2013, never "2 013"
    share = indicators.cell(3, head.index("Andel av målet") + 1).value
    assert share == round(share, 3)  # as the page shows it (67,8 %), not 0.6777...
    projects = wb["Projekt"]
    head = [c.value for c in projects[1]]
    ends = [projects.cell(r, head.index("Slut") + 1) for r in range(2, projects.max_row + 1)]
    dated = [c for c in ends if c.value is not None]  # InterLoc ends 2013-12-31
    assert [c.value.date() for c in dated] == [date(2013, 12, 31)]
    assert all(c.is_date and c.number_format == "yyyy-mm-dd" for c in dated)
    budget = [
        projects.cell(r, head.index("Total budget") + 1).value
        for r in range(2, projects.max_row + 1)
    ]
    assert 527044 in budget  # InterLoc's budget, a number, not text
    assert projects.column_dimensions["C"].width > 10
    about = wb["Om"]
    assert about["A1"].value == "Årssammanställning av den internationella strategin 2013"
    assert about["B3"].value == "Slagelse Kommune"


def test_workbook_never_stores_a_formula(mini_db: Database) -> None:
    comp = report.compile_year(mini_db, A_2019, "en")
    assert comp is not None
    ws = load_workbook(io.BytesIO(comp.xlsx("en")))["Activities per goal"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == "=cmd formula"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_zip_holds_one_csv_per_part_in_the_view_language(mini_db: Database) -> None:
    comp = report.compile_year(mini_db, A_2019, "sv")
    assert comp is not None
    with zipfile.ZipFile(io.BytesIO(comp.zip("sv"))) as zf:
        names = zf.namelist()
        assert names == [
            "mal_a_2019.csv",
            "aktiviteter_per_mal_a_2019.csv",
            "natverk_a_2019.csv",
            "projekt_a_2019.csv",
            "indikatorer_a_2019.csv",
            "bedomningar_a_2019.csv",
        ]
        goals = zf.read("mal_a_2019.csv").decode("utf-8")
        indicators = zf.read("indikatorer_a_2019.csv").decode("utf-8")
    lines = goals.splitlines()
    # the workbook's headers and words, as every download: names, not ids or codes
    assert lines[0].startswith("\ufeffOrganisation;Mål;Lydelse;Slag;År;")
    assert "goal_id" not in lines[0] and "Mål-id" not in lines[0]
    assert len(lines) == 1 + 3
    assert lines[1].startswith("Alfa kommun;1;Stärka mötesplatsen;Mål;2019;")
    assert lines[3].split(";")[13] == verdicts.status_label("uncovered", "sv", False)
    assert ";0,4;Risk;" in indicators  # decimal comma in Swedish, the status in words
    assert "at_risk" not in indicators


def test_cli_report_writes_the_workbook(mini_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "rapport.xlsx"
    args = ["--data", str(mini_dir), "--org", "a", "--year", "2019", "--lang", "en"]
    code = main(["report", *args, "--out", str(out)])
    assert code == 0
    assert "wrote the annual compilation for 2019" in capsys.readouterr().out
    wb = load_workbook(out)
    assert wb.sheetnames[1:] == [
        "Goals",
        "Activities per goal",
        "Networks",
        "Projects",
        "Indicators",
        "Assessments",
    ]
    assert wb["Goals"].max_row == 1 + 3
    assert wb["Indicators"].max_row == 1 + 2
    assert wb["Assessments"].max_row == 1 + 1
    assert main(["report", "--data", str(mini_dir), "--org", "zz", "--out", str(out)]) == 2
    assert "unknown organisation(s) zz" in capsys.readouterr().err
    assert main(["report", "--data", str(mini_dir), "--out", str(tmp_path / "x.txt")]) == 2


def test_cli_report_without_year_takes_the_last_year(mini_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.zip"
    assert main(["report", "--data", str(mini_dir), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as zf:
        assert "goal_coverage" not in "".join(zf.namelist())
        assert all(n.endswith("_alla_2020.csv") for n in zf.namelist())  # in Swedish


# ---------------------------------------------------------------- the Data page's helpers


def _sample_files() -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(SAMPLE_SOURCE.glob("*.csv"))}


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_upload_with_errors_lists_every_problem(tmp_path: Path) -> None:
    files = _sample_files()
    acts = files["activities.csv"].decode("utf-8").splitlines()
    # row 2 gets a negative cost and an unknown organisation; row 3 a year out of range
    head = acts[0].split(",")
    row2 = acts[1].split(",")
    row2[head.index("org_id")] = "nowhere"
    acts[1] = ",".join(row2)
    acts[2] = acts[2].replace(",2009,", ",1800,", 1)
    files["activities.csv"] = ("\n".join(acts) + "\n").encode("utf-8")
    files["goals.csv"] = files["goals.csv"] + b"gotland-2009-g1,gotland-2009,9,dup,goal,\n"
    result = uploads.check_upload("sample.zip", _zip(files), None, Scope.everything())
    # the same problems the command-line import finds in the same files
    folder = tmp_path / "src"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    _, expected = check_source(folder)
    assert len(expected) >= 4
    assert [str(p) for p in result.problems] == [str(p) for p in expected]
    frame = result.frame("en")
    assert list(frame.columns) == ["file", "row", "column", "message"]
    assert ("activities.csv", 2, "org_id") in [tuple(r)[:3] for r in frame.itertuples(index=False)]
    # the same problems in Swedish for the Data page
    assert "okänt org_id 'nowhere'" in " ".join(result.frame("sv")["message"])


def test_clean_upload_counts_rows_and_xlsx_template_is_empty() -> None:
    result = uploads.check_upload("sample.zip", _zip(_sample_files()), None, Scope.everything())
    assert result.ok and not result.problems
    assert result.rows["activities"] == 98 and result.rows["goals"] == 48
    empty = uploads.check_upload("mall.xlsx", template_xlsx(), None, Scope.everything())
    assert not empty.ok  # the template has headers only
    with zipfile.ZipFile(io.BytesIO(template_zip())) as zf:
        assert "Activities.csv" in zf.namelist()  # the template in the page's language


def test_upload_of_another_kind_or_too_large_is_refused(monkeypatch) -> None:
    assert (
        uploads.check_upload("notes.txt", b"x", None, Scope.everything()).problems[0].key
        == "wrong_kind"
    )
    monkeypatch.setenv("DASHBOARD_UPLOAD_MB", "1")
    big = uploads.check_upload("big.csv", b"x" * (1024 * 1024 + 1), None, Scope.everything())
    assert [p.text("sv") for p in big.problems] == [
        "filen är större än 1 MB; dela upp den eller be den som driver tjänsten"
    ]


def test_import_upload_replaces_a_dataset(tmp_path: Path) -> None:
    out = tmp_path / "data"
    outcome = uploads.import_upload("sample.zip", _zip(_sample_files()), out)
    assert outcome.counts["activities"] == 98
    assert Database(out).df("organisations").shape[0] == 5
    broken = _sample_files()
    broken["projects.csv"] = broken["projects.csv"].replace(b",527044,", b",-1,")
    with pytest.raises(ImportFailed):
        uploads.import_upload("broken.zip", _zip(broken), out)
    assert Database(out).df("organisations").shape[0] == 5  # nothing was written


def test_quality_table_and_file_dates(sample_db: Database, sample_dir: Path) -> None:
    results = {
        c: sample_db.df(f"data_{c}", params_for(f"data_{c}", ALL)) for c in datainfo.QUALITY_CHECKS
    }
    table = datainfo.quality_table(results, "sv")
    assert table["check"].tolist()[0] == "Aktiviteter som inte tjänar något mål"
    assert table["items"].tolist() == [0, 8, 9, 0, 0]
    assert table["examples"].tolist()[0] == ""
    assert datainfo.source_label("sample", "sv") == "exempeldata som följer med Målbild"
    assert datainfo.source_label("/srv/in/sample/", "da").startswith("eksempeldata")
    assert datainfo.source_label("gavle_2025.xlsx", "sv") == "gavle_2025.xlsx"


def test_times_are_shown_in_the_organisations_zone(monkeypatch) -> None:
    from dashboard.i18n import fmt_time

    # stored in UTC; shown in Stockholm's time by default, winter and summer
    assert fmt_time("2026-12-01T10:05:00+00:00", "sv") == "1 dec. 2026 11:05"
    assert fmt_time("2026-07-01T10:05:00+00:00", "sv") == "1 juli 2026 12:05"
    assert fmt_time("2026-12-01T23:30:00+00:00", "da") == "2. dec. 2026 00.30"  # the next day
    from dashboard.i18n import local_day

    assert local_day("2026-12-01T23:30:00+00:00") == "2026-12-02"  # the History's periods too
    monkeypatch.setenv("DASHBOARD_TIME_ZONE", "Atlantic/Reykjavik")
    assert fmt_time("2026-12-01T10:05:00+00:00", "en") == "Dec 1, 2026 10:05\u202fAM"
    # a name of no zone is refused by name, not shown in Stockholm's hours (tests/test_settings)
    monkeypatch.setenv("DASHBOARD_TIME_ZONE", "Nowhere/Else")
    with pytest.raises(SettingError, match="DASHBOARD_TIME_ZONE"):
        fmt_time("2026-12-01T10:05:00+00:00", "sv")
    monkeypatch.delenv("DASHBOARD_TIME_ZONE")
    assert fmt_time("2026-12-01T10:05:00", "sv") == "1 dec. 2026 11:05"  # no zone: UTC


def test_status_labels_never_rely_on_colour() -> None:
    assert verdicts.status_label("not_assessable", "en") == "○ Cannot be assessed"
    assert verdicts.status_label("at_risk", "sv") == "▲ Risk"
    assert verdicts.status_label("uncovered", "da") == "⊘ Ingen aktivitet eller indikator"
    assert verdicts.status_label(None, "en") == ""


def test_gaps_and_disagreements_name_the_goals(mini_db: Database) -> None:
    rollup = mini_db.df("evaluation_rollup", params_for("evaluation_rollup", ALL))
    # two organisations: the organisation's name says whose; number and wording say which
    assert verdicts.uncovered(rollup, {"a": "Kommun A"}) == ["Kommun A · 3. Kulturutbyte"]
    one = mini_db.df("evaluation_rollup", params_for("evaluation_rollup", A_2019))
    assert verdicts.uncovered(one) == ["3. Kulturutbyte"]
    assert verdicts.disagreements(one) == []  # a1: computed 'reached', managers 'achieved'
    one.loc[0, "assessment_status"] = "at_risk"
    assert verdicts.disagreements(one) == ["1. Stärka mötesplatsen"]


def test_figures_draw_target_dashed_and_gaps_marked(mini_db: Database) -> None:
    from dashboard.charts import evaluation_figures

    trend = mini_db.df("indicator_status", params_for("indicator_status", Filters(("a",))))
    base = mini_db.df("evaluation_indicators", params_for("evaluation_indicators", A_2019))
    labels = {"title": "t", "actual": "A", "target": "T", "baseline": "B", "year": "Y"}
    fig = evaluation_figures.indicator_trends(trend, base, labels, ".,", {"ia": 2019, "ib": 2019})
    by_name = {}
    for tr in fig.data:
        by_name.setdefault(tr.name, []).append(tr)
    assert len(by_name["A"]) == 2 and len(by_name["T"]) == 2  # one panel per indicator
    assert all(tr.line.dash == "dash" for tr in by_name["T"])
    assert by_name["A"][1].y == (80.0,)  # ib has no actual for 2020: no point drawn
    assert [tr.x for tr in by_name["B"]] == [(2018,), (2018,)]  # the baselines
    rollup = mini_db.df("evaluation_rollup", params_for("evaluation_rollup", A_2019))
    status = {s: s for s in evaluation_figures.STATUS_ORDER}
    fig = evaluation_figures.indicator_status_bar(
        rollup, {"title": "t", "x": "x", "y": "y", "gap": "G", **status}, ".,"
    )
    gap = next(tr for tr in fig.data if tr.name == "G")
    assert gap.y == ("3",) and gap.x == (0,)


def test_count_axes_have_whole_numbers(sample_db: Database) -> None:
    from dashboard.charts import goal_figures

    labels = {"title": "t", "x": "x", "y": "y", "served": "s", "gap": "g"}
    cov = sample_db.df("goal_coverage", params_for("goal_coverage", Filters(("alvsbyn",))))
    fig = goal_figures.coverage_bar(cov, labels, ".,")
    assert fig.layout.yaxis.tickformat == ",d" and fig.layout.yaxis.dtick == 1
    per_year = sample_db.df(
        "activities_per_year", params_for("activities_per_year", Filters(("gavle",)))
    )
    fig = goal_figures.per_year_bar(per_year, labels, ".,", {})
    assert fig.layout.yaxis.tickformat == ",d"


def test_evaluation_opens_on_the_last_year_with_something_to_assess(open_page) -> None:
    # Älvsbyn's projects run to 2024, but nothing can be assessed after 2022
    at = open_page("evaluation", lang="en", org="alvsbyn")
    assert not at.exception
    assert at.title[0].value == "Annual evaluation 2022"
    note = " ".join(i.value for i in at.info)
    assert "covers 2022, the last year with something to assess" in note
    assert "project end dates do not count" in note
