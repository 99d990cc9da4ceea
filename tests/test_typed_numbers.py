"""Numbers people type (issue #21): read by the language they were written in, or refused;
never a digit group joined or a decimal mark dropped. In a form: the interface language
("7,5" is seven and a half in Swedish and Danish, never 75); in a file: the file's dialect.
A space or an apostrophe separates thousands only in whole groups of three."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import LANGS, decimal_symbol, fmt_typed
from dashboard.imports import editing
from dashboard.imports.checks import CellError, parse_number, read_typed
from dashboard.storage import history
from tests.conftest import ROOT
from tests.helpers import AUTH, as_read
from tests.test_edit_forms import out  # noqa: F401  (the fixture: the sample, Slagelse's roles)


@pytest.mark.parametrize(
    ("text", "decimal", "value"),
    [
        ("7,5", ",", 7.5),
        ("7.5", ",", 7.5),
        ("7,5", ".", 7.5),
        ("1 000", ",", 1000),
        ("1\u00a0000,25", ",", 1000.25),
        ("1\u202f234\u202f567", ",", 1234567),
        ("1'500", ".", 1500),
        ("1'000'000.5", ".", 1000000.5),
        ("1,500", ",", 1.5),
        ("1,500", ".", 1500),
        ("1.500", ",", 1500),
        ("−3,5", ",", -3.5),
        ("2009", ",", 2009),
    ],
)
def test_a_typed_number_is_read_as_its_language_writes_it(text, decimal, value) -> None:
    assert read_typed(text, decimal) == value


@pytest.mark.parametrize(
    "text",
    ["100 50", "1'5", "20 09", "1 00", "12 3456", "1 000'000", "1  000", "7,5,1", "abc", "1e999"],
)
def test_a_space_or_apostrophe_outside_groups_of_three_is_refused(text: str) -> None:
    """Typed in a form or written in a file: "100 50" is never 10050, "1'5" never 15."""
    for decimal in (",", ".", None):
        with pytest.raises(CellError):
            parse_number(text, decimal)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("9" * 400, "too_large"),
        ("9" * 5000, "too_large"),
        ("9" * 400 + ",5", "not_finite"),
        ("1e999", "not_finite"),
        ("-1e400", "not_finite"),
    ],
)
def test_a_number_past_any_amount_is_refused_not_a_crash(text: str, key: str) -> None:
    """Four hundred nines in a cell or a form field raised OverflowError (an int too large
    for a float) and five thousand Python's ValueError for long digit strings: refused as
    too large; past a float's range with a decimal mark or an exponent: "not a number that
    can be stored". The value is shortened in the message; in a form (whole or not) and in
    a file's number and year columns alike."""
    from dashboard.imports.checks import parse_cell
    from dashboard.model.contract import TABLE_BY_NAME

    for whole in (False, True):
        with pytest.raises(CellError) as typed:
            read_typed(text, ",", whole)
        assert typed.value.key == key and len(str(typed.value.values["value"])) <= 40
    for column in ("cost", "year"):
        col = TABLE_BY_NAME["activities"].column(column)
        with pytest.raises(CellError) as cell:
            parse_cell(text, col, ",", "activities")
        assert cell.value.key == key, column


def test_a_stored_number_survives_the_form_in_every_language() -> None:
    """What a field shows is read back to the same value, in every language."""
    values = [7.5, 0.1, 1500.0, 1234567.891, -2.25, 1e-7, 3.0, 99.99]
    for lang in LANGS:
        for v in values:
            shown = fmt_typed(v, lang)
            assert read_typed(shown, decimal_symbol(lang)) == v, (lang, v, shown)
    assert fmt_typed(7.5, "sv") == "7,5" and fmt_typed(7.5, "en") == "7.5"
    assert fmt_typed(None, "sv") == ""


def session(lang: str, year: int) -> AppTest:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.user = {
        "is_logged_in": True,
        "email": "rut@slagelse.dk",
        "email_verified": True,
        "name": "Rut",
    }
    at.query_params["lang"] = lang
    at.query_params["org"] = "slagelse"
    at.query_params["year"] = str(year)
    at.run()
    at.switch_page("dashboard/app/pages/evaluation.py").run()
    assert not at.exception, at.exception
    return at


def lead_actual(folder: Path) -> object:
    rows = editing.load(folder, "slagelse", 2014, "sv", "indicator_values")
    return next(r for r in rows if "lead partner" in str(r["indicator"]))["actual"]


@pytest.mark.parametrize(("lang", "typed"), [("sv", "7,5"), ("da", "7,5"), ("en", "7.5")])
def test_a_decimal_typed_in_the_evaluation_form_is_stored_as_meant(
    out: Path,  # noqa: F811
    lang: str,
    typed: str,
) -> None:
    at = session(lang, 2014)
    actual = next(w for w in at.text_input if "lead partner" in w.label and w.value == "")
    actual.input(typed)
    save = next(b for b in at.button if b.label in ("Spara", "Gem", "Save"))
    save.click().run()
    assert not at.exception, at.exception
    assert lead_actual(out) == 7.5


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("100 50", "mellanslag och apostrof får bara skilja tusental"),
        ("40 %", "skriv talet utan procenttecken, 40"),  # a percentage is its number
        ("3 000 kr", "skriv beloppet utan valuta, 3 000"),
    ],
)
def test_a_number_that_is_no_number_is_shown_at_its_field_and_nothing_is_saved(
    out: Path,  # noqa: F811
    typed: str,
    said: str,
) -> None:
    at = session("sv", 2014)
    actual = next(w for w in at.text_input if "lead partner" in w.label and w.value == "")
    label = actual.label
    actual.input(typed)
    next(b for b in at.button if b.label == "Spara").click().run()
    errors = [as_read(e.value) for e in at.error]
    assert any(e.startswith(label) and typed in e and said in e for e in errors), errors
    assert any(e.startswith("Inget sparades") for e in errors)
    assert lead_actual(out) is None
    assert [e.action for e in history.entries(out)] == ["import"]


def test_a_field_s_problem_writes_what_was_typed_as_text(out: Path) -> None:  # noqa: F811
    """The problem under a field quotes what was typed and names the field (an indicator's
    name from the data): both as text, so a link or a picture typed is not drawn."""
    at = session("sv", 2014)
    actual = next(w for w in at.text_input if "lead partner" in w.label and w.value == "")
    typed = "[7](https://example.org) ![x](https://example.org/x.png)"
    actual.input(typed)
    next(b for b in at.button if b.label == "Spara").click().run()
    shown = [e.value for e in at.error if as_read(e.value).startswith(actual.label)]
    assert shown and typed in as_read(shown[0]), [e.value for e in at.error]
    assert "](" not in shown[0] and "https://" not in shown[0]  # escaped: no link, no picture
    assert lead_actual(out) is None


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("31/02/2024", "no_such_date"),
        ("31.02.2024", "no_such_date"),
        ("2024-02-30", "no_such_date"),
        ("03/04/2024", "ambiguous_date"),
        ("03/04/24", "ambiguous_date"),
        ("31/12/2024", "2024-12-31"),
        ("12/31/2024", "2024-12-31"),
        ("05/05/2024", "2024-05-05"),
        ("31-12-2013", "2013-12-31"),
    ],
)
def test_a_date_is_read_when_it_names_one_day_and_said_why_when_not(
    text: str, outcome: str
) -> None:
    """31/02/2024 is no day at all (not an ambiguous one); a date only one reading makes a
    real day is that day; one two readings make different days is refused."""
    from datetime import date

    from dashboard.imports.checks import _parse_date

    try:
        assert _parse_date(text) == date.fromisoformat(outcome)
    except CellError as exc:
        assert exc.key == outcome


def test_an_implausible_value_waits_for_the_person_to_confirm_it(out: Path) -> None:  # noqa: F811
    """75 against a target of 3: shown as a warning, saved only once confirmed."""
    at = session("sv", 2014)
    actual = next(w for w in at.text_input if "lead partner" in w.label and w.value == "")
    actual.input("75")
    next(b for b in at.button if b.label == "Spara").click().run()
    assert not at.exception, at.exception
    assert any("75" in w.value and "långt utanför" in w.value for w in at.warning)
    assert lead_actual(out) is None  # nothing saved yet
    box = next(c for c in at.checkbox if c.label.startswith("Jag har läst varningen"))
    box.check().run()
    next(b for b in at.button if b.label == "Spara").click().run()
    assert not at.exception, at.exception
    assert lead_actual(out) == 75


def test_a_value_typed_stays_with_its_indicator_when_the_rows_move_meanwhile(
    out: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Rut types an actual for one indicator; before she presses Spara, the coordinator
    imports a new indicator that the year's list shows above it. Her value is saved for
    the indicator she typed it at, the new one gets none: the form's fields are keyed by
    the indicator, never by its place in the list (keyed by place, her value went to the
    new indicator)."""
    from dashboard.imports.ingest import ingest
    from tests.conftest import SAMPLE_SOURCE

    at = session("sv", 2014)
    actual = next(
        w
        for w in at.text_input
        if w.label.startswith("Yderligere projekter") and "Utfall" in w.label
    )
    actual.input("4")
    src = tmp_path / "meanwhile"
    src.mkdir()
    lines = (SAMPLE_SOURCE / "indicators.csv").read_text(encoding="utf-8").splitlines()
    lines.append("slagelse-aaa-new,slagelse,slagelse-t2,Aaa nyt indikator,projects,higher,,,,test")
    (src / "indicators.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ingest(src, out)
    next(b for b in at.button if b.label == "Spara").click().run()
    assert not at.exception, at.exception
    rows = editing.load(out, "slagelse", 2014, "sv", "indicator_values")
    by_id = {str(r["indicator_id"]): r["actual"] for r in rows}
    assert by_id.get("slagelse-partner-projects") == 4.0, by_id
    assert by_id.get("slagelse-aaa-new") is None, by_id


def test_a_fraction_in_a_whole_number_cell_is_named_as_the_language_writes_it() -> None:
    """A workbook's number cell 2021.5 in a year column: the message shows the number as the
    reader's language writes it ('2021.5', Python's repr, in every language before)."""
    from dashboard.imports.checks import parse_cell
    from dashboard.model.contract import TABLE_BY_NAME
    from dashboard.model.problems import Problem

    with pytest.raises(CellError) as cell:
        parse_cell(2021.5, TABLE_BY_NAME["activities"].column("year"), None, "activities")
    shown = {
        lang: Problem.of("a.xlsx", 2, "År", cell.value.key, **cell.value.values).text(lang)
        for lang in ("sv", "da", "en")
    }
    assert "021,5" in shown["sv"] and "021,5" in shown["da"] and "021.5" in shown["en"], shown


def test_a_name_from_the_data_in_a_fields_label_is_written_as_text(out: Path) -> None:  # noqa: F811
    """Streamlit reads Markdown in a field's label: an indicator's name there is escaped
    (`safe.md`), so a name holding a link or a picture shows as its characters."""
    from dashboard.model import safe

    names = [
        str(r["indicator"]) for r in editing.load(out, "slagelse", 2013, "sv", "indicator_values")
    ]
    marked = [n for n in names if safe.md(n) != n]
    assert marked, names  # the sample's names hold punctuation Markdown reads ("EU-...")
    at = session("sv", 2013)
    labels = [w.label for w in at.text_input]
    for name in marked:
        assert f"{safe.md(name)}: Utfall" in labels, (name, labels)
        assert f"{name}: Utfall" not in labels
