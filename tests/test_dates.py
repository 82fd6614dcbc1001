"""Dates and periods: value + grain, intervals with an exclusive end (rules from tests/gold/README.md)."""
from __future__ import annotations

import datetime as dt

import pytest

import docparse
from docparse import parse_text


def D(s: str | None) -> dt.date | None:
    return dt.date.fromisoformat(s) if s else None


def dates(text: str):
    doc = parse_text(text)
    for d in doc.dates:
        assert doc.text[d.span.start:d.span.end] == d.text
    return doc.dates


def one(text: str):
    found = dates(text)
    assert len(found) == 1, [(d.kind, d.text) for d in found]
    return found[0]


CASES = [
    # id, sentence, surface that must be in the mention's text, kind, start, end, grain
    ("day", "Hội nghị tổng kết được tổ chức ngày 14/7/2025 tại tỉnh.", "14/7/2025", "date", "2025-07-14",
     "2025-07-15", "day"),
    ("day_bare", "Hạn nộp hồ sơ: 14/7/2025.", "14/7/2025", "date", "2025-07-14", "2025-07-15", "day"),
    ("day_verbal", "Kế hoạch được ký ngày 12 tháng 12 năm 2024 tại Sở.", "12 tháng 12 năm 2024", "date",
     "2024-12-12", "2024-12-13", "day"),
    ("month", "Sở tổ chức kiểm tra trong tháng 7/2025 tại các xã.", "7/2025", "month", "2025-07-01", "2025-08-01",
     "month"),
    ("month_capital", "Thời gian hoàn thành: Tháng 12/2026.", "12/2026", "month", "2026-12-01", "2027-01-01",
     "month"),
    ("month_verbal", "Sơ kết vào tháng 8 năm 2025.", "tháng 8 năm 2025", "month", "2025-08-01", "2025-09-01", "month"),
    ("quarter", "Hoàn thành việc số hóa trong Quý III/2025.", "Quý III/2025", "quarter", "2025-07-01",
     "2025-10-01", "quarter"),
    ("quarter_arabic", "Hoàn thành trong quý 1/2026.", "quý 1/2026", "quarter", "2026-01-01", "2026-04-01",
     "quarter"),
    ("quarters", "Triển khai thí điểm trong Quý III và IV/2025.", "Quý III và IV/2025", "range", "2025-07-01",
     "2026-01-01", "quarter"),
    ("quarter_next_year", "Diễn tập hoàn thành Quý I/2027.", "Quý I/2027", "quarter", "2027-01-01", "2027-04-01",
     "quarter"),
    ("quarters_across_years", "Khảo sát hiện trạng: Quý IV/2025- Quý II/2026.", "Quý IV/2025- Quý II/2026", "range",
     "2025-10-01", "2026-07-01", "quarter"),
    ("months_across_years", "Thời gian: tháng 11/2025 - tháng 02/2026.", "tháng 11/2025 - tháng 02/2026", "range",
     "2025-11-01", "2026-03-01", "month"),
    ("half_first", "Báo cáo kết quả 6 tháng đầu năm 2025 của Sở.", "6 tháng đầu năm 2025", "half_year",
     "2025-01-01", "2025-07-01", "half_year"),
    ("half_second_words", "Nhiệm vụ trọng tâm sáu tháng cuối năm 2025 gồm ba nội dung.", "sáu tháng cuối năm 2025",
     "half_year", "2025-07-01", "2026-01-01", "half_year"),
    ("range_years", "Kế hoạch phát triển giai đoạn 2021-2025 của tỉnh.", "giai đoạn 2021-2025", "range",
     "2021-01-01", "2026-01-01", "year"),
    ("range_years_en_dash", "Kế hoạch phát triển giai đoạn 2021–2025 của tỉnh.", "giai đoạn 2021–2025", "range",
     "2021-01-01", "2026-01-01", "year"),
    ("range_school_year", "Tuyển sinh năm học 2026 - 2027 theo kế hoạch.", "2026 - 2027", "range", "2026-01-01",
     "2028-01-01", "year"),
    ("year", "Tổng kết công tác năm 2024 của ngành.", "năm 2024", "year", "2024-01-01", "2025-01-01", "year"),
    ("deadline_before", "Các đơn vị gửi báo cáo trước ngày 30/11/2025.", "30/11/2025", "deadline", None,
     "2025-11-30", "day"),
    ("deadline_by", "Các đơn vị gửi báo cáo chậm nhất ngày 15/12/2025.", "15/12/2025", "deadline", None,
     "2025-12-16", "day"),
    ("deadline_before_or_on", "Nộp hồ sơ trước hoặc trong ngày 10/12/2025.", "10/12/2025", "deadline", None,
     "2025-12-11", "day"),
    ("deadline_without_ngay", "Hoàn thành trước 15/12/2025.", "15/12/2025", "deadline", None, "2025-12-15", "day"),
    ("leap_day", "Hội nghị diễn ra ngày 29/02/2024.", "29/02/2024", "date", "2024-02-29", "2024-03-01", "day"),
    ("range_days", "Kiểm tra từ ngày 01/7/2025 đến ngày 31/12/2025 tại các xã.", "01/7/2025", "range", "2025-07-01",
     "2026-01-01", "day"),
]


@pytest.mark.parametrize("text,surface,kind,start,end,grain", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_date_mention(text, surface, kind, start, end, grain):
    d = one(text)
    assert surface in d.text
    assert d.kind == kind
    assert (d.start, d.end) == (D(start), D(end))
    assert d.grain == grain
    assert d.valid is True
    assert d.year_inferred is False


def test_bulleted_months_are_not_a_range():
    ds = dates("Lộ trình: tháng 11/2025\n- Tháng 02/2026: nghiệm thu.")
    assert [(d.kind, str(d.end)) for d in ds] == [("month", "2025-12-01"), ("month", "2026-03-01")]


def test_deadline_text_includes_cue():
    d = one("Các đơn vị gửi báo cáo trước ngày 30/11/2025.")
    assert d.text.lower().startswith("trước")


@pytest.mark.parametrize("text,surface", [
    ("Cuộc họp dự kiến ngày 29/02/2023.", "29/02/2023"),
    ("Cuộc họp dự kiến ngày 31/4/2024.", "31/4/2024"),
    ("Cuộc họp dự kiến ngày 31 tháng 4 năm 2024.", "31 tháng 4 năm 2024"),
], ids=["feb29_non_leap", "april31", "april31_verbal"])
def test_impossible_date_kept_invalid(text, surface):
    d = one(text)
    assert surface in d.text
    assert d.kind == "date"
    assert d.valid is False
    assert d.start is None and d.end is None


@pytest.mark.parametrize("cell", ["Thường xuyên", "Thường xuyên.", "Hằng năm"])
def test_recurring_table_cell(cell):
    text = ("TT\tNhiệm vụ\tChủ trì\tThời gian hoàn thành\n"
            f"1\tCập nhật dữ liệu dân cư\tCông an tỉnh\t{cell}\n")
    found = [d for d in dates(text) if d.kind == "recurring"]
    assert len(found) == 1
    d = found[0]
    assert cell.rstrip(".") in d.text
    assert d.start is None and d.end is None


@pytest.mark.parametrize("phrase", ["Hằng năm", "hàng tháng", "Hằng quý"])
def test_recurring_in_prose(phrase):
    found = dates(f"{phrase}, các đơn vị báo cáo kết quả về Sở Nội vụ.")
    assert [(d.kind, d.start, d.end) for d in found] == [("recurring", None, None)]


@pytest.mark.parametrize("text", ["Kiểm tra từ ngày 31/12/2025 đến ngày 01/01/2025.",
                                  "Kiểm tra từ tháng 11/2025 đến tháng 2/2025."], ids=["days", "months"])
def test_reversed_range_is_not_a_valid_interval(text):
    for d in dates(text):
        if d.valid and d.start is not None and d.end is not None:
            assert d.start < d.end, (d.kind, d.start, d.end, d.text)


def test_blank_day_is_a_month():
    d = one("Báo cáo dự thảo, ngày      tháng 7 năm 2025.")
    assert d.kind == "month"
    assert (d.start, d.end) == (D("2025-07-01"), D("2025-08-01"))


@pytest.mark.parametrize("text", [
    "Căn cứ Nghị định số 104/2022/NĐ-CP của Chính phủ.",
    "Tiếp tục triển khai Đề án 06 của Chính phủ.",
    "Tỉnh đạt 23/25 chỉ tiêu, giải quyết thủ tục 1.009645 đúng hạn.",
    "Dân số toàn tỉnh là 2025 người ở xã đảo.",
], ids=["year_in_code", "programme", "ratio", "bare_number"])
def test_not_dates(text):
    assert dates(text) == []


def test_longest_match_wins():
    """'6 tháng đầu năm 2025' is one half-year, not also a 'năm 2025'."""
    found = dates("Kết quả 6 tháng đầu năm 2025 và Quý III/2025.")
    assert [d.kind for d in found] == ["half_year", "quarter"]


def test_year_inferred_from_the_document_date():
    text = ("Số: 15/KH-UBND\nHòa Bình Xanh, ngày 05 tháng 3 năm 2025\n\nKẾ HOẠCH\nKiểm tra công vụ\n\n"
            "Các đơn vị báo cáo trước ngày 01/6 và tổng kết trong quý IV.\n")
    found = [d for d in dates(text) if d.year_inferred]
    assert len(found) == 2, [(d.kind, d.text) for d in dates(text)]
    deadline = next(d for d in found if d.kind == "deadline")
    assert deadline.end == D("2025-06-01")
    quarter = next(d for d in found if d.kind == "quarter")
    assert (quarter.start, quarter.end) == (D("2025-10-01"), D("2026-01-01"))


def test_dates_in_order_of_appearance():
    found = dates("Ngày 05/3/2025 khởi động; Quý II/2025 triển khai; trước ngày 30/11/2025 báo cáo; năm 2026 "
                  "nhân rộng.")
    assert [d.kind for d in found] == ["date", "quarter", "deadline", "year"]
    assert [d.span.start for d in found] == sorted(d.span.start for d in found)


# --- the sample plan has dates of every kind (samples/README.md) -------------------------------------------------

@pytest.mark.parametrize("kind,start,end", [
    ("quarter", "2026-07-01", "2026-10-01"),      # Quý III/2026
    ("half_year", "2026-01-01", "2026-07-01"),    # 6 tháng đầu năm 2026
    ("range", "2026-01-01", "2031-01-01"),        # giai đoạn 2026-2030
    ("month", "2026-07-01", "2026-08-01"),        # tháng 7/2026
    ("month", "2026-12-01", "2027-01-01"),        # Tháng 12/2026
    ("deadline", None, "2026-11-30"),             # trước ngày 30/11/2026
    ("recurring", None, None),                    # Thường xuyên
    ("quarter", "2027-01-01", "2027-04-01"),      # Quý I/2027 (the planted deadline outside the period)
    ("date", "2026-01-20", "2026-01-21"),         # the header date
])
def test_sample_kh_date_kinds(samples_dir, parsed, kind, start, end):
    doc = parsed(samples_dir / "kh_cds_2026.txt")
    assert (kind, D(start), D(end)) in {(d.kind, d.start, d.end) for d in doc.dates}


def test_sample_bc_invalid_date(samples_dir, parsed):
    doc = parsed(samples_dir / "bc_cchc_2025.txt")
    bad = [d for d in doc.dates if not d.valid]
    assert len(bad) == 1
    assert "31/4/2025" in bad[0].text
    assert bad[0].start is None and bad[0].end is None


def test_sample_cv_deadlines(samples_dir, parsed):
    doc = parsed(samples_dir / "cv_dulieu.txt")
    ends = sorted(d.end for d in doc.dates if d.kind == "deadline")
    # trước ngày 15/12, chậm nhất ngày 20/12 (inclusive → 21/12), trước ngày 08/12, trước ngày 10/12
    assert ends == [D("2025-12-08"), D("2025-12-10"), D("2025-12-15"), D("2025-12-21")]


@pytest.mark.parametrize("text", ["ngày 09/6/20205", "ngày 20/11/20225", "ngày 9 tháng 6 năm 20205"])
def test_garbled_five_digit_year_is_an_invalid_date(text):
    doc = docparse.parse_text(f"Căn cứ Quyết định số 15/QĐ-UBND {text} của Ủy ban nhân dân tỉnh.")
    assert [(d.text, d.valid, d.start) for d in doc.dates] == [(text, False, None)]
    assert [f.code for f in docparse.check(doc) if f.code == "date.invalid"] == ["date.invalid"]


def test_bare_days_listed_after_a_deadline_share_its_cue():
    doc = parse_text("Các đơn vị báo cáo trước ngày 01/6 và 15/11 hằng năm về Sở.\n"
                     "Ngày 10/12/2025\nHà Nội, ngày 10 tháng 12 năm 2025")
    found = [(d.kind, d.end, d.year_inferred) for d in doc.dates if d.kind == "deadline"]
    assert found == [("deadline", D("2025-06-01"), True), ("deadline", D("2025-11-15"), True)]
    second = next(d for d in doc.dates if d.text == "15/11")
    assert doc.text[second.span.start:second.span.end] == "15/11"


def test_bare_day_needs_a_ngay_date_before_it():
    assert [d for d in dates("Tỷ lệ đạt 15/11 chỉ tiêu và 3/4 số xã.") if d.grain == "day"] == []


@pytest.mark.parametrize("cell,n", [
    ("Thường xuyên, hằng năm", 2),
    ("Theo tiến độ của Bộ và thường xuyên", 1),
], ids=["two_recurring", "after_va"])
def test_recurring_joined_in_a_cell(cell, n):
    text = ("TT\tNhiệm vụ\tChủ trì\tThời gian hoàn thành\n"
            f"1\tCập nhật dữ liệu dân cư\tCông an tỉnh\t{cell}\n")
    assert len([d for d in dates(text) if d.kind == "recurring"]) == n


def test_recurring_word_ending_a_wrapped_prose_line_is_not_a_cell():
    text = "Bảo đảm hệ thống hoạt động thông suốt, ổn định, liên tục\ntrong suốt thời gian vận hành."
    assert [d for d in dates(text) if d.kind == "recurring"] == []


# ---- the scans of the dates layer (issue 17) find what the plain patterns find -------------------------------------
_STRESS = ("ngày 12 tháng 5 năm 2025, ngàyngày 3/4/2025; tháng 6/2025 và 6 tháng đầu năm 2025, nửa cuối năm 2024;\n"
           "năm 2023 - 2025, năm năm 2024, niên độ 2024, niên  độ 2023-2024; hằng năm, hàng tháng, hang ngay, hằng  quý;\n"
           "Thường xuyên | định  kỳ | liên tục; giai\n đoạn 2021-2025, giai đoạn giai đoạn 2026, thời kỳ 2020, "
           "nhiệm   kỳ 2021-2026, thời\tkỳ từ năm 2019, địnhkỳ, kỳ 2020, tháng tháng 7/2025, quý II/2025.\n")


def test_patterns_started_at_a_rarer_letter_match_where_the_plain_ones_do():
    """A pattern compiled by _from_letter ("ngày" searched from its "à") finds the same matches as the plain one."""
    import re

    from docparse.extract import dates as D

    low = (_STRESS + _STRESS.upper() + _STRESS.replace(" ", "  ")).lower()
    shifted = [D._NGAY_SCAN, D._MONTH, D._HALF, D._NAM, D._NIEN_DO, D._THUONG_XUYEN, D._LIEN_TUC]
    found = 0
    for rx in shifted:
        m = re.match(r"(.)\(\?<=([^)]*)\)(.*)", rx.pattern, re.S)
        plain, k = re.compile(m[2] + m[3]), len(m[2]) - 1
        assert [(x.start() - k, x.end()) for x in rx.finditer(low)] == [x.span() for x in plain.finditer(low)]
        found += len(plain.findall(low))
    plain = re.compile(r"h[ằàa]ng\s+(?:năm|quý|tháng|tuần|ngày)(?!\w)")
    assert [(x.start() - 3, x.end()) for x in D._RECURRING_ANY.finditer(low)] == [x.span() for x in plain.finditer(low)]
    assert found > 30


def test_two_word_triggers_found_from_their_second_word_match_where_the_plain_patterns_do():
    """"giai đoạn", "thời kỳ", "nhiệm kỳ", "định kỳ" are looked for from "đoạn" and "kỳ", blanks between."""
    from docparse.extract import dates as D

    low = (_STRESS * 3).lower()
    ky = [m.start() - 1 for m in D._KY.finditer(low)]
    doan = [m.start() - 2 for m in D._DOAN.finditer(low)]
    for rx, seconds, first in ((D._PERIOD_WORDS[0], doan, "giai"), (D._PERIOD_WORDS[1], ky, "thời"),
                               (D._PERIOD_WORDS[2], ky, "nhiệm"), (D._RECURRING_CELL[1], ky, "định")):
        fast = [(p, m.span()) for p, m in D._matches_at(rx, low, D._starts_before(low, seconds, first))]
        assert fast == [(m.start(), m.span()) for m in rx.finditer(low)]
        assert fast, first
