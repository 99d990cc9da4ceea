"""CSV for Excel: compared byte for byte."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.outputs.export import frame_to_csv, neutralise

FRAME = pd.DataFrame(
    {
        "title": ['=HYPERLINK("x")', "+46 8", "-minus", "@sum", "\tTab", "Plain, with comma"],
        "cost": [1250.5, None, 3.0, 0.25, -4.0, 1e6],
        "year": [2009, 2010, 2011, 2012, 2013, 2014],
        "day": [date(2009, 1, 2)] * 6,
    }
)


def test_english_csv_bytes() -> None:
    assert frame_to_csv(FRAME, "en") == (
        "\ufefftitle,cost,year,day\r\n"
        '"\'=HYPERLINK(""x"")",1250.5,2009,2009-01-02\r\n'
        "'+46 8,,2010,2009-01-02\r\n"
        "'-minus,3,2011,2009-01-02\r\n"
        "'@sum,0.25,2012,2009-01-02\r\n"
        "'\tTab,-4,2013,2009-01-02\r\n"
        '"Plain, with comma",1000000,2014,2009-01-02\r\n'
    ).encode("utf-8")


def test_swedish_csv_uses_semicolons_and_decimal_commas() -> None:
    text = frame_to_csv(FRAME.iloc[[0, 3, 5]], "sv").decode("utf-8")
    assert text == (
        "\ufefftitle;cost;year;day\r\n"
        '"\'=HYPERLINK(""x"")";1250,5;2009;2009-01-02\r\n'
        "'@sum;0,25;2012;2009-01-02\r\n"
        "Plain, with comma;1000000;2014;2009-01-02\r\n"
    )
    assert frame_to_csv(FRAME, "da") == frame_to_csv(FRAME, "sv")


def test_numbers_are_not_neutralised_but_text_is() -> None:
    assert neutralise("-5") == "'-5"
    assert neutralise("\rx") == "'\rx"
    assert neutralise("Almedalen") == "Almedalen"
    assert "'-4" not in frame_to_csv(FRAME, "en").decode()
