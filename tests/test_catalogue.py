"""The text catalogues: one per language, every key in each, none twice, none unused."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from dashboard.i18n import LANGS, LOCALE_DIR, TEXTS

ROOT = Path(__file__).resolve().parent.parent
CODE = [*sorted((ROOT / "dashboard").rglob("*.py")), ROOT / "streamlit_app.py"]


def po(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "malbild.po"


def msgids(lang: str) -> list[str]:
    return re.findall(r'^msgid "(.+)"$', po(lang).read_text("utf-8"), re.MULTILINE)


def test_every_key_is_in_every_language() -> None:
    keys = set(TEXTS)
    for lang in LANGS:
        assert set(msgids(lang)) == keys, lang
        missing = [k for k, v in TEXTS.items() if not v.get(lang, "").strip()]
        assert missing == [], (lang, missing[:10])


def test_no_key_is_defined_twice() -> None:
    for lang in LANGS:
        ids = msgids(lang)
        assert len(ids) == len(set(ids)), lang


def test_placeholders_are_the_same_in_every_language() -> None:
    def fields(text: str) -> set[str]:
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for key, texts in TEXTS.items():
        assert len({frozenset(fields(texts[lang])) for lang in LANGS}) == 1, key


def test_no_text_lives_in_python() -> None:
    """Texts a manager reads are in the catalogues, not in dictionaries in the code."""
    for path in CODE:
        found = re.findall(r'"sv":\s*"[^"]{12,}', path.read_text("utf-8"))
        assert found == [], (path.name, found[:3])


def test_no_key_is_unused() -> None:
    code = "\n".join(p.read_text("utf-8") for p in CODE)
    # keys built from a prefix and a value: f"col.{c}", f"code.{domain}.{code}", ...
    prefixes = set(re.findall(r"f[\"']([a-z0-9_]+(?:\.[a-z0-9_]+)*\.)\{", code))
    prefixes |= set(re.findall(r"[\"']([a-z0-9_]+(?:\.[a-z0-9_]+)*\.)[\"']\s*\+", code))
    unused = [
        k
        for k in TEXTS
        if not (k.endswith(".one") and k.removesuffix(".one") in TEXTS)  # i18n.tn's form for 1
        and f'"{k}"' not in code
        and f"'{k}'" not in code
        and not any(k.startswith(p) for p in prefixes)
    ]
    assert unused == []


def test_one_and_many_read_as_the_language_writes_them() -> None:
    from dashboard.i18n import tn

    assert tn("activities.count", 1, "sv", n="1") == "1 aktivitet"
    assert tn("activities.count", 2, "sv", n="2") == "2 aktiviteter"
    assert tn("cli.table.created", 1, "da", table="x", before="–", after="1") == "x: ny (1 række)"
    assert tn("cli.failed", 3, "en", n="3") == "3 problems; nothing was written."


def test_the_framework_words_put_in_the_language_are_streamlits_own() -> None:
    """The English words of Streamlit's own that the pages put in the language
    (`shell.FRAMEWORK_NAMES`, `FRAMEWORK_PREFIXES`, the uploader's and the select list's
    words) are each in the
    installed Streamlit's frontend: a word Streamlit renames would otherwise stay English
    unseen. The accessibility statement quotes none of them as English any more (it once
    quoted "Drag and drop file here" while the uploader said "Upload")."""
    import streamlit

    from dashboard.app.shell import FRAMEWORK_NAMES, FRAMEWORK_PREFIXES, FRAMEWORK_TEXTS

    bundle = Path(streamlit.__file__).parent / "static" / "static" / "js"
    frontend = "\n".join(
        p.read_text(encoding="utf-8", errors="replace") for p in bundle.glob("*.js")
    )
    words = [*FRAMEWORK_NAMES, *FRAMEWORK_TEXTS, *FRAMEWORK_PREFIXES]
    assert [w for w in words if w not in frontend] == []
    for lang in LANGS:
        statement = TEXTS["a11y.gaps.text"][lang]
        assert not [w for w in words if f'"{w}' in statement], (lang, statement)


# counts whose number is never one: a limit, a selection over the limit, a verb after it
NEVER_ONE = {
    "data.workbook.too_big": "shown only above the limit of activities",
    "goals.hierarchy.too_many": "the chart's limit",
    "projects.target.more": "the chart's limit",
    "mail.missing": "a verb follows the number",
    "round.mine.missing": "a verb follows the number",
}


def test_a_count_of_one_reads_in_the_singular() -> None:
    """A Swedish text that puts a plural after a counted number ("{n} varningar") has its
    form for one (`KEY.one`, which `i18n.tn` takes), unless its number is never one: "1
    varningar", "… och 1 rader till" and "1 rader i 1 tabeller" were once shown."""
    from dashboard.i18n import tn

    plural = re.compile(r"\{(n|rows|tables)\} (\w+)")
    flagged = [
        k
        for k, v in TEXTS.items()
        if not k.endswith(".one")
        and f"{k}.one" not in TEXTS
        and k not in NEVER_ONE
        and (m := plural.search(v["sv"]))
        and re.search(r"(er|ar|or|na|da|ta|ade)$", m.group(2))
    ]
    assert flagged == []
    # "problem(s)" in English and Danish: each text of a number of problems has its one
    problems = [
        k
        for k, v in TEXTS.items()
        if not k.endswith(".one")
        and re.search(r"\{n\} (more )?problem", v["en"])
        and f"{k}.one" not in TEXTS
    ]
    assert problems == []
    assert "(s)" not in tn("edit.refused", 1, "en", n="1")
    # and no text leaves the number to the reader: "problem(s)", "problem(er)", "goal(s)"
    hedged = [k for k, v in TEXTS.items() if "(s)" in v["en"] or "(er)" in v["da"]]
    assert hedged == []
    assert tn("problem.more_rows", 1, "sv", n="1", rows="3") == (
        "… och 1 rad till med samma problem (rad 3)"
    )
    assert tn("data.upload.warnings", 1, "da", n="1").startswith("1 advarsel ")
    assert tn("history.kind.removed", 1, "sv", n="1") == "1 borttagen"
    assert tn("projects.no_amounts", 1, "en", n="1").startswith("1 secured project has")
    rows, tables = tn("count.rows", 1, "sv", n="1"), tn("count.tables", 1, "sv", n="1")
    from dashboard.i18n import t

    assert t("data.upload.ok", "sv", rows=rows, tables=tables) == (
        "Inga problem: 1 rad i 1 tabell kan importeras."
    )


def test_a_code_without_a_word_is_refused_not_shown_as_its_key() -> None:
    """`codes.label` of a code its domain lacks raises: a page that would have shown
    "code.round_state.open" fails in the tests that draw it instead."""
    from dashboard.model import codes

    assert codes.label("round_state", "open", "sv") == "Inte klarmarkerad"
    with pytest.raises(KeyError, match="no code of round_state"):
        codes.label("round_state", "opened", "sv")
