"""Offset-preserving normalisation: the cleaned text is what extractors match on, the map leads back to the text
as read, and records quote the original surface."""
from __future__ import annotations

import re
import unicodedata

import pytest

import docparse
from docparse.normalize import canonical, fold, normalize

NFD_DECISION = unicodedata.normalize("NFD", "Quyết định số 12/QĐ-UBND")

CASES = [
    # (id, input, expected cleaned text)
    ("nfd", NFD_DECISION, "Quyết định số 12/QĐ-UBND"),
    ("eth_lookalike", "Công văn số 45/UBND-\u00d0T của Sở \u00d0ầu tư", "Công văn số 45/UBND-ĐT của Sở Đầu tư"),
    ("african_d", "Sở K\u0189CN", "Sở KĐCN"),
    ("bold", "Theo **Quyết định** số 7/QĐ-UBND", "Theo Quyết định số 7/QĐ-UBND"),
    ("italic_html", "Theo <i>Quyết định</i> số 7/QĐ-UBND", "Theo Quyết định số 7/QĐ-UBND"),
    ("hyphen_break", "Quyết định số 1420/QĐ-\nUBND ngày 15/8/2025", "Quyết định số 1420/QĐ-UBND ngày 15/8/2025"),
    ("slash_break", "Nghị định số 45/\n2017/NĐ-CP", "Nghị định số 45/2017/NĐ-CP"),
    ("tones", "Uỷ ban nhân dân; hoà giải; thuỷ lợi; khoẻ mạnh", "Ủy ban nhân dân; hòa giải; thủy lợi; khỏe mạnh"),
    ("nbsp_zwsp", "Quyết\u00a0định\u200b số 3/QĐ-UBND", "Quyết định số 3/QĐ-UBND"),
    ("soft_hyphen", "chuyển đổi\u00ad số", "chuyển đổi số"),
    ("glued_code", "Nghị định số63/2014/NĐ-CPngày 15/5/2014", "Nghị định số 63/2014/NĐ-CP ngày 15/5/2014"),
    ("glued_dates", "Luật Đất đai năm2024; ngày 09tháng 5 năm 2025của Bộ; tháng12",
     "Luật Đất đai năm 2024; ngày 09 tháng 5 năm 2025 của Bộ; tháng 12"),
    ("glued_ttg", "Quyết định số 7/QĐ-TTgvề việc", "Quyết định số 7/QĐ-TTg về việc"),
    ("glued_va", "Tờ trình số 1/TTr-CP vàĐề án số 2/ĐA-CP", "Tờ trình số 1/TTr-CP và Đề án số 2/ĐA-CP"),
    ("doubled", "ngày ngày 09 tháng 9 năm 2025; Nghị định số số\n12/2025/NĐ-CP",
     "ngày 09 tháng 9 năm 2025; Nghị định số\n12/2025/NĐ-CP"),
]


@pytest.mark.parametrize("text,expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_cleaned_text(text, expected):
    nt = normalize(text)
    assert nt.text == expected
    assert unicodedata.is_normalized("NFC", nt.text)
    assert nt.original == text


def char_ranges(nt) -> list[tuple[int, int]]:
    """Original [start, end) of each cleaned character (nt.starts[i]/nt.ends[i] in the array form of the map;
    orig_span(i, i + 1) works whatever the map's internal layout)."""
    return [tuple(nt.orig_span(i, i + 1)) for i in range(len(nt.text))]


@pytest.mark.parametrize("text", [c[1] for c in CASES], ids=[c[0] for c in CASES])
def test_offset_map(text):
    nt = normalize(text)
    ranges = char_ranges(nt)
    for i, (a, b) in enumerate(ranges):
        assert 0 <= a < b <= len(text), f"char {i} {nt.text[i]!r} maps to empty/out-of-range {a}..{b}"
        assert nt.original[a:b]
    # the map runs forwards
    assert [a for a, _ in ranges] == sorted(a for a, _ in ranges)
    assert [b for _, b in ranges] == sorted(b for _, b in ranges)
    # every original character outside the cleaned text's reach was really removed (markup, invisible marks,
    # a line break inside a code), never a letter or digit
    covered = set()
    for a, b in ranges:
        covered.update(range(a, b))
    for m in re.finditer(r"<[^<>]*>", text):
        covered.update(range(m.start(), m.end()))
    dropped = "".join(text[j] for j in range(len(text)) if j not in covered)
    assert not any(ch.isalnum() for ch in dropped), f"letters/digits lost from the map: {dropped!r}"


def test_unchanged_text_is_identity():
    text = "Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh."
    nt = normalize(text)
    assert nt.text == text
    assert char_ranges(nt) == [(i, i + 1) for i in range(len(text))]


def test_map_skips_removed_markup():
    text = "Theo **Quyết định** số 7"
    nt = normalize(text)
    assert nt.text == "Theo Quyết định số 7"
    ranges = char_ranges(nt)
    q = nt.text.index("Q")
    assert text[ranges[q][0]:ranges[q][1]] == "Q"
    assert ranges[q][0] == text.index("Q")
    seven = nt.text.index("7")
    assert ranges[seven] == (text.index("7"), text.index("7") + 1)


def test_orig_span_maps_a_cleaned_range_back():
    text = "Theo **Quyết định** số 1420/QĐ-\nUBND ngày 15/8/2025"
    nt = normalize(text)
    i = nt.text.index("1420/QĐ-UBND")
    s, e = nt.orig_span(i, i + len("1420/QĐ-UBND"))
    assert text[s:e] == "1420/QĐ-\nUBND"


@pytest.mark.parametrize("word", ["Quỹ", "quý", "hoàng", "khuyến", "Thuyết", "hoạch", "Hòa", "Ủy"])
def test_tones_left_alone_where_not_a_final_pair(word):
    """'qu' + y is consonant + vowel; 'oà'/'uy' followed by more letters is not syllable-final; old style stays."""
    assert normalize(word).text == word


def test_single_newlines_inside_prose_are_kept():
    text = "Dòng thứ nhất\nDòng thứ hai - 2025\n"
    assert normalize(text).text == text


def test_canonical_and_fold():
    assert canonical("  Uỷ  ban \u00d0ồng   Tháp ") == "Ủy ban Đồng Tháp"
    assert fold("Ủy ban Đồng Tháp") == fold("uy ban dong thap") == "uy ban dong thap"


# --- records quote the original surface ------------------------------------------------------------------------

@pytest.mark.parametrize("text,surface", [
    ("Thực hiện **Quyết định số 1420/QĐ-**\n**UBND** của tỉnh.", "1420/QĐ-**\n**UBND"),
    ("Thực hiện Quyết định số 1420/QĐ-\nUBND ngày 15/8/2025 của tỉnh.", "1420/QĐ-\nUBND"),
    ("Thực hiện <i>Quyết định</i> số 1420/QĐ-UBND của tỉnh.", "Quyết định</i> số 1420/QĐ-UBND"),
    ("Thực hiện Quyết định số 1420/QĐ-\n   UBND của tỉnh.", "1420/QĐ-\n   UBND"),
], ids=["bold_and_break", "break", "html", "break_indent"])
def test_citation_quotes_original_surface(text, surface):
    doc = docparse.parse_text(text)
    assert len(doc.citations) == 1
    c = doc.citations[0]
    assert c.code == "1420/QĐ-UBND"
    assert c.doc_type == "Quyết định"
    assert surface in c.text
    assert doc.text[c.span.start:c.span.end] == c.text


def test_citation_in_nfd_text():
    text = unicodedata.normalize("NFD", "Căn cứ Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh;")
    doc = docparse.parse_text(text)
    assert [c.code for c in doc.citations] == ["12/QĐ-UBND"]
    c = doc.citations[0]
    assert unicodedata.is_normalized("NFC", c.code)
    assert c.doc_type == "Quyết định"
    assert c.date is not None and c.date.isoformat() == "2025-03-05"
    assert doc.text[c.span.start:c.span.end] == c.text
    assert unicodedata.normalize("NFC", c.text).startswith("Quyết định số 12/QĐ-UBND")


def test_citation_with_lookalike_d():
    text = "Theo Công văn số 45/UBND-\u00d0T ngày 02/6/2025 của Ủy ban nhân dân tỉnh."
    doc = docparse.parse_text(text)
    assert [c.code for c in doc.citations] == ["45/UBND-ĐT"]
    assert "\u00d0" in doc.citations[0].text


def test_date_under_markup_keeps_original_text():
    text = "Hoàn thành trước ngày **30/6/2025**."
    doc = docparse.parse_text(text)
    assert len(doc.dates) == 1
    d = doc.dates[0]
    assert d.kind == "deadline" and d.end.isoformat() == "2025-06-30"
    assert doc.text[d.span.start:d.span.end] == d.text
    assert "30/6/2025" in d.text


# --- glued and doubled words ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Đơn đề nghị xác định mã số số 01/CV của công ty",  # "mã số" then its "số"
    "Tỷ lệ số số hóa hồ sơ; nền tảng số số lượng người dùng",  # no number follows
    "Trong năm năm học tới; 3 ngày làm việc; ứng dụng VNeID và iPhone",
    "Phường Tân An và Phú Thứ; Quyết định số 7/QĐ-UBND ngày 1/2/2025",
], ids=["ma_so", "no_number", "ordinary", "already_clean"])
def test_no_repair_where_words_are_right(text):
    nt = normalize(text)
    assert nt.text == text
    assert not nt.notices


def test_one_notice_per_kind_of_repair_with_its_count():
    text = "Căn cứ Nghị định số63/2014/NĐ-CPngày 15/5/2014 và Luật năm2020; ngày ngày 09 tháng 9 năm 2025."
    nt = normalize(text)
    by_code = {n.code: n for n in nt.notices}
    assert sorted(by_code) == ["text.doubled_word_repaired", "text.glued_words_repaired"]
    glued = by_code["text.glued_words_repaired"]
    assert "3 chỗ" in glued.message
    assert text[glued.span.start:glued.span.end] == "số63"
    assert '"số63" → "số 63"' in glued.message
    assert "1 chỗ" in by_code["text.doubled_word_repaired"].message


def test_records_over_repaired_words_quote_the_original():
    text = "Căn cứ Nghị định số63/2014/NĐ-CPngày 15/5/2014 của Chính phủ; họp ngày ngày 09 tháng 9 năm 2025."
    doc = docparse.parse_text(text)
    c = doc.citations[0]
    assert (c.code, c.date.isoformat()) == ("63/2014/NĐ-CP", "2014-05-15")
    assert c.text == "Nghị định số63/2014/NĐ-CPngày 15/5/2014 của Chính phủ"
    days = [d for d in doc.dates if d.start and d.start.isoformat() == "2025-09-09"]
    assert [d.text for d in days] == ["ngày ngày 09 tháng 9 năm 2025"]
    for r in [*doc.citations, *doc.dates, *doc.notices]:
        assert r.span is None or doc.text[r.span.start:r.span.end]


# The fast paths of normalize answer as the plain patterns do: tone pairs from one literal-first scan per first letter,
# glued-word candidates from one scan (docparse.normalize._glued_candidates), checked on texts made of the pieces where
# they could differ: the glued words, digits of other scripts and beyond the Basic Multilingual Plane, capitals.
_PIECES = ["số", "Số", "SỐ", "ngày", "NGÀY", "tháng", "THÁNG", "năm", "NĂM", "và", "của", "về", "tại", "g", "G", "M",
           "Y", "à", "a", "ố", "0", "7", "\u0663", "\U0001d7ce", "\uff10", "Đ", "A", "QĐ", "-", "/", "12/", "2024/", " ",
           "\n", "oà", "uý", "Oà", "UỶ", "q", "é", "_", "UBND", "CP", "hoà", "khoẻ"]


def _pieced_texts():
    import random

    rnd = random.Random(17)
    return ["".join(rnd.choice(_PIECES) for _ in range(rnd.randint(2, 16))) for _ in range(3000)]


def test_tone_scan_by_first_letter_is_the_pattern():
    from docparse.normalize import _TONE_PAIR_RE, _retone, _tone

    for text in _pieced_texts():
        assert _retone(text) == _TONE_PAIR_RE.sub(_tone, text), text


def test_glued_candidates_hold_every_match_before_and_after_the_letter_repairs():
    from docparse.normalize import _GLUED_LETTER_RE, _GLUED_NEXT_RE, _glued_candidates

    for text in _pieced_texts():
        letters, nexts = _glued_candidates(text)
        found = [m.start() for m in _GLUED_LETTER_RE.finditer(text)]
        assert set(found) <= set(letters), text
        # whichever letters get their space, the next-word matches of the repaired text are candidates, shifted
        for repaired_at in (found, found[::2]):
            repaired = "".join(c + (" " if i in repaired_at else "") for i, c in enumerate(text))
            shifted = {p + sum(1 for i in repaired_at if i < p) for p in nexts}
            assert {m.start() for m in _GLUED_NEXT_RE.finditer(repaired)} <= shifted, text


@pytest.mark.parametrize("piece", [1, 2, 5, 64, 1 << 15])
def test_lower_text_is_str_lower(piece):
    from docparse.normalize import lower_text

    text = "Điều 1. QUYẾT ĐỊNH\nΟΔΟΣ ΣΑΣ Σ\nİ hoà ĐẮK LẮK\n\nΣ" * 3  # Greek final sigma and a two-character lower case
    assert lower_text(text, piece) == text.lower()
