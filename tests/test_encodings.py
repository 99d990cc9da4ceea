"""Legacy 8-bit encodings (issue #21): a CSV file that is not UTF-8 is read in the encoding
its own text gives evidence for, Windows-1252, Mac Roman or ISO-8859-15, or refused; never
read in the wrong one ("nätverksträffar" as "nŠtverkstrŠffar", € as ¤)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.imports.ingest import check
from dashboard.imports.sources import LEGACY, decode
from tests.conftest import SAMPLE_SOURCE

TEXTS = [
    "id;titel\n1;Nätverksträffar i Växjö\n",
    "id;titel\n1;Möte med ÅLAND och ÖSTERSJÖN\n",
    "id;titel;kostnad\n1;Kostnad 50 € för fika;50\n",
    "id;titel\n1;Rådhus i Køge, Ærø og Næstved\n",
    "id;titel\n1;CAFÉ OCH BRÖD\n",
    "id;titel\n1;Übung in Göteborg – ”utbyte”…\n",
    "id;titel\n1;Šiauliai och Kaunas, vänorter\n",
]


def _encodable(text: str, enc: str) -> bool:
    try:
        text.encode(enc)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize(
    ("text", "enc"), [(t, e) for t in TEXTS for e in LEGACY if _encodable(t, e)]
)
def test_a_legacy_file_is_read_right_or_refused_never_wrong(text: str, enc: str) -> None:
    problems: list = []
    found = decode(text.encode(enc), "f.csv", problems)
    assert found is None or found[0] == text, (enc, found)
    assert found is not None or problems  # a refusal says why


@pytest.mark.parametrize("enc", list(LEGACY))
def test_every_sample_file_in_every_legacy_encoding_reads_as_written(
    enc: str,
) -> None:
    """The sample's own CSV files (Swedish and Danish documents), saved in each encoding."""
    read = 0
    for path in sorted(Path(SAMPLE_SOURCE).glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        if not _encodable(text, enc) or text.isascii():
            continue
        problems: list = []
        found = decode(text.encode(enc), path.name, problems)
        assert found is not None and found[0] == text, (path.name, enc, problems)
        read += 1
    assert read >= 5


def test_the_euro_of_iso_8859_15_is_a_euro() -> None:
    text = "id;titel\n1;Avgift 200 € per år\n"
    found = decode(text.encode("iso8859_15"), "f.csv", [])
    assert found is not None and "€" in found[0] and "¤" not in found[0]


def test_text_that_decides_nothing_is_refused() -> None:
    problems: list = []
    assert decode(bytes([0x3B, 0xAD, 0xAE, 0x0A]) * 3, "f.csv", problems) is None
    assert problems and problems[0].key in ("unknown_encoding", "ambiguous_encoding")


def test_a_byte_order_mark_inside_a_file_never_ends_up_in_a_value(tmp_path: Path) -> None:
    """Two files joined: the second's byte-order mark is no character of an id."""
    import shutil

    src = tmp_path / "src"
    shutil.copytree(SAMPLE_SOURCE, src)
    orgs = (src / "organisations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    orgs[1] = "\ufeff" + orgs[1]
    (src / "organisations.csv").write_text("".join(orgs), encoding="utf-8")
    checked = check(src)
    ids = [r["org_id"] for r in checked.parsed["organisations"].rows]
    assert all("\ufeff" not in str(i) for i in ids) and not checked.problems
