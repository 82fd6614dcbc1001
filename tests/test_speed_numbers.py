"""The shortcuts of the number and indicator layers give what the plain code they replace gives, on generated text.

Each test builds the plain version (the regex or loop as it was written before the shortcut) and compares the two
on random strings drawn from the characters the shortcut depends on, plus a few fictional sentences.
"""
from __future__ import annotations

import dataclasses
import random
import re

import docparse
from docparse.extract import indicators, numbers
from docparse.extract.numbers import find_amounts

_SENTENCES = [
    "Đã tiếp nhận 1.250 hồ sơ, trong đó 98,5% đúng hạn; giải quyết 37 TTHC và 12 dự\nán.",
    "Điều 5. Khoản 2, 3 và 4; (12) Năm 2025: 6 tháng; 7.2.1 Mục tiêu 15 tỷ đồng/20 tỷ đồng, đạt 75% kế hoạch.",
    "1. Tổng số 450 lượt người;\n2. Có 17 xã, phường.\n3.1 Tỷ lệ 99.5% - 100%; 3,5 triệu đồng; 12/5",
    "Toàn tỉnh có 1.234.567 lượt... và 12 đơn vị.... Cấp tỉnh 35%, cấp xã 60 %; Bằng chữ: năm triệu đồng",
]


def _random_texts(alphabet: str, n: int, length: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randrange(length))) for _ in range(n)]


def test_clause_cut_is_the_one_case_folded_match():
    """_clause_cut (marks without IGNORECASE, then the words after the last mark) ends where the one greedy,
    case-folded match of every boundary ends."""
    plain = re.compile(r"(?s:.*)(?:" + indicators._CLAUSE_MARKS + "|" + indicators._CLAUSE_WORDS + ")", re.IGNORECASE)
    words = ["trong đó", "TRONG ĐÓ", "Trong\nđó", "gồm", "Gồm", "bao gồm", "với", "Với", "vớiX", "xgồm", "a) ",
             "B) ", "\u212a) ", "ſ) ", "- ", "1.2. ", "|", ", ", ". ", ";", ":", "(", "\t", "\n\n", "\n", "\n \n"]
    rnd = random.Random(11)
    texts = [" ".join(rnd.choice(words + ["x", "số", "12", "đạt"]) for _ in range(rnd.randrange(12)))
             for _ in range(4000)]
    texts += _random_texts("ab đóĐÓgồmvới trong,.;:(\t\n-|1)", 4000, 40, 12) + _SENTENCES
    for t in texts:
        m = plain.match(t)
        assert indicators._clause_cut(t) == (m.end() if m else -1), repr(t)


def test_no_period_is_the_plain_test():
    """_no_period(text, lo, hi) is `"." not in text[lo:hi].replace("...", "")` without the copy."""
    for t in _random_texts("..a. b", 3000, 30, 13):
        for lo in range(0, len(t) + 1, 3):
            for hi in range(lo, len(t) + 1, 2):
                assert indicators._no_period(t, lo, hi) == ("." not in t[lo:hi].replace("...", "")), (t, lo, hi)


def test_last_visible_is_the_plain_strip():
    """_last_visible(text, end) is the last character of text[:end].rstrip(), without the copy."""
    for t in _random_texts(") \t\n\u00a0a\u2003", 2000, 20, 16):
        for end in range(len(t) + 1):
            assert indicators._last_visible(t, end) == t[:end].rstrip()[-1:], (t, end)


def test_word_start_is_the_letter_walk():
    """_word_start finds the same start as walking back letter by letter (13 letters at most)."""
    def walk(text: str, p: int) -> int:
        q = p
        while q > 0 and p - q < 12 and text[q - 1].isalpha():
            q -= 1
        return q

    alphabet = "a ăđ ²_1 ." + "x" * 6
    for t in _random_texts(alphabet, 3000, 40, 14) + ["năm", " năm", "xnăm", "²năm", "abcdefghijklmnopq r"]:
        for p in range(len(t)):
            if t[p].isalpha():
                assert numbers._word_start(t, p) == walk(t, p), (t, p)


def test_suffix_start_holds_every_first_character_of_the_suffix_patterns():
    """Where _SUFFIX_START fails, none of _PERCENT, _SCALE, _CURRENCY, _PERCENT_RANGE can match: each of them, after
    its spaces, starts with one of these characters, case folded as re folds them."""
    firsts = "%pntđvu₫$-–"
    for rx in (numbers._PERCENT, numbers._SCALE, numbers._CURRENCY, numbers._PERCENT_RANGE):
        for c in "abcdefghijklmnoqrsvwxyzđ0123456789(%$₫-–\u212a\u017f":
            for text in (c + "ồng x", " " + c + "ỷ x", c + "hần trăm", c + " 5%", c + "sd"):
                if rx.match(text):
                    assert numbers._SUFFIX_START.match(text), (rx.pattern, text)
    any_first = re.compile("|".join(map(re.escape, firsts)), re.IGNORECASE)  # each character as re folds it alone
    for cp in range(0x20000):  # case pairs of Latin letters lie in the first two planes
        if any_first.fullmatch(chr(cp)):
            assert numbers._SUFFIX_START.match(chr(cp)), hex(cp)


def test_bare_false_keeps_what_a_full_call_keeps_but_bare_numbers():
    """find_amounts(bare=False) is find_amounts() less the numbers with no percent, currency, denominator or unit
    word; its readings (conventions settled from the same evidence) are the same."""
    alphabet = "0123456789..,, %/\n\t;:()x hồ sơ đồng tỷ "
    texts = _random_texts(alphabet, 3000, 60, 15) + _SENTENCES
    for text in texts:
        full = [dataclasses.astuple(a) for a in find_amounts(text)
                if a.kind != "number" or a.unit_text]
        assert [dataclasses.astuple(a) for a in find_amounts(text, bare=False)] == full, repr(text)


def test_indicators_of_fictional_report_unchanged_by_the_shortcuts():
    """A fictional report: labels, qualifiers, scopes and units as the layer gave them before the shortcuts (the
    shares label themselves from the count before them, the second amount from the first; the later look-ups that
    the shortcuts make lazy: words after the figure, the sentence opening, the scope)."""
    text = ("BÁO CÁO\nKết quả năm 2025\n\nI. KẾT QUẢ\n"
            "1. Tổng số hồ sơ tiếp nhận 1.250 hồ sơ, đã giải quyết 1.200 hồ sơ, đạt tỷ lệ 96%.\n"
            "2. Cấp xã có khoảng 35 TTHC; thu ngân sách 5.817 tỷ đồng/5.937 tỷ đồng, đạt 97,97% kế hoạch.\n")
    doc = docparse.parse_text(text)
    got = [(i.kind, i.value, i.unit, i.qualifier, i.label, i.scope) for i in doc.indicators]
    assert got == [("count", 1250, "hồ sơ", None, "hồ sơ tiếp nhận", None),
                   ("count", 1200, "hồ sơ", None, "hồ sơ giải quyết", None),
                   ("percent", 96, "%", None, "tỷ lệ hồ sơ giải quyết", None),
                   ("count", 35, "TTHC", "khoảng", "TTHC Cấp xã", "cấp xã"),
                   ("money", 5_817_000_000_000, "VND", None, "thu ngân sách", "cấp xã"),
                   ("money", 5_937_000_000_000, "VND", None, "kế hoạch (thu ngân sách)", "cấp xã"),
                   ("percent", 97.97, "%", "đạt", None, "cấp xã")]


def test_stat_rows_take_the_form_and_header_before_them():
    """Each row belongs to the forms counted before it and reads its cells by the last header row above it (found by
    bisection, not by a walk over every form and header for every row)."""
    from docparse.extract.stat_tables import extract_stat_rows
    from docparse.normalize import normalize

    def form(n: int, header: str, rows: str) -> str:
        return f"\n\nBiểu mẫu số {n}\n{header}\n{rows}"

    text = ("BÁO CÁO\n" + form(1, "STT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú", "1.\tHồ sơ nhận\tHồ sơ\t120\t\n")
            + form(2, "STT\tSố liệu\tChỉ tiêu\tĐơn vị tính", "1.\t45\tCuộc họp\tCuộc\n2.\t7\tĐoàn\tĐoàn\n")
            + form(3, "STT\tNội dung\tĐVT\tKết quả", "1.\tVăn bản\tVăn bản\t9\n") + "\n")
    nt = normalize(text)
    rows, covered = extract_stat_rows(nt, 0, len(nt.text))
    assert [(r.form, r.code, r.label, r.unit, r.value) for r in rows] == [
        (1, "1", "Hồ sơ nhận", "Hồ sơ", 120), (2, "1", "Cuộc họp", "Cuộc", 45), (2, "2", "Đoàn", "Đoàn", 7),
        (3, "1", "Văn bản", "Văn bản", 9)]
    assert len(covered) == 4
