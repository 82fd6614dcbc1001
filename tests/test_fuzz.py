"""Property-based fuzzing, short run for CI: text built from Vietnamese administrative fragments (impossible and
partial dates, year 0000, malformed decimals, ratios, table rows, glued words, control characters) must parse and
check without any exception but a DocparseError, with every span inside the text. The long run is
benchmarks/fuzz.py; the fragments live in tests/fuzz_strategies.py."""
from __future__ import annotations

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from fuzz_strategies import (DATE_WORDS, INDICATOR, PERIODS, documents, encoded_documents,  # noqa: E402
                             parse_and_check, read_and_check)

_CI = dict(deadline=None, derandomize=True, database=None,
           suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=300, **_CI)
@given(documents())
def test_documents_never_crash(text):
    parse_and_check(text)


@settings(max_examples=100, **_CI)
@given(DATE_WORDS, PERIODS, INDICATOR)
def test_header_date_period_indicator(date_line, period, indicator):
    """A dated report (the date line can be impossible or partial) that names a period and an indicator."""
    parse_and_check(f"ỦY BAN NHÂN DÂN\nTỈNH SÔNG MÂY\nSố: 5/BC-UBND\nSông Mây, {date_line}\nBÁO CÁO\n"
                    f"Kết quả {period}\n{indicator}\n")


@settings(max_examples=150, **_CI)
@given(encoded_documents())
def test_damaged_and_legacy_txt_bytes_never_crash(data):
    """The same documents as .txt bytes in UTF-8/16, cp1258, TCVN3, cp1252, damaged (flipped, inserted, cut)."""
    read_and_check(data)


@pytest.mark.parametrize("text", [
    "Tỷ lệ đạt 6.2/1 hồ sơ.",  # ratio with a malformed decimal
    "đã giải quyết 158.55/200 hồ sơ",
    "Sông Mây, ngày … tháng 7 năm 2025",  # a draft's dotted blank day
    "ỦYBAN NHÂN DÂN\nSỞTÀI CHÍNH\nSố: 1/QĐ-STC",  # glued issuer after PDF-to-text
    "Số: 2/BC-UBND\nSông Mây, ngày 05 tháng 01 năm 0000\nBÁO CÁO\nKết quả quý II và 6 tháng đầu năm",
    "Số: 3/BC-UBND\nSông Mây, ngày 05 tháng 0 năm 2025\nBÁO CÁO\nKết quả quý II",
    "50% " * 2000,
    "Số: 1/QĐ-UBND\nđạt 50% \ud800",  # a lone surrogate (a str from surrogateescape or JSON "\ud800")
])
def test_known_crash_shapes(text):
    """One line each for the crash shapes issue 12 lists, so a regression names its cause."""
    parse_and_check(text)
