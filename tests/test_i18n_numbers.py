"""The fast number formatter writes exactly what Babel's format_decimal writes."""

from __future__ import annotations

import random

import pytest
from babel.numbers import format_decimal

from dashboard.i18n import LANGS, fmt_int, fmt_num

EDGES = [0, 0.0, -0.0, 1, -1, 0.05, 0.15, 0.25, 2.5, 3.5, -2.5, 999.95, 0.04999, 1e12, 10**15]


@pytest.mark.parametrize("lang", LANGS)
def test_numbers_as_babel_writes_them(lang: str) -> None:
    rnd = random.Random(7)
    floats = EDGES + [rnd.uniform(-1e7, 1e7) for _ in range(1500)]
    floats += [round(rnd.uniform(-100, 100), 3) for _ in range(1500)]
    for digits in (0, 1, 2):
        pattern = "#,##0" + ("." + "#" * digits if digits else "")
        for v in floats:
            assert fmt_num(v, lang, digits) == format_decimal(v, format=pattern, locale=lang), v
    for n in [0, 7, -3, 1234, -98765, 10**12] + [rnd.randint(-(10**9), 10**9) for _ in range(500)]:
        assert fmt_int(n, lang) == format_decimal(n, locale=lang), n
    assert fmt_int(None, lang) == fmt_num(float("nan"), lang) == "–"
