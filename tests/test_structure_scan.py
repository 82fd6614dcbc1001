"""The section reader's shortcuts answer as the plain ways do (issue 17): the heading scan that jumps over tables and
quoted blocks finds the matches a full scan keeps, the table-cell test that skips its walk after an empty line, the
ASCII test for English headings. Texts are fictional, built from short made-up lines."""
from __future__ import annotations

import re

import pytest

from docparse.extract import structure as S
from docparse.normalize import normalize

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CI = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])

_LINES = st.sampled_from([
    "Điều 3. Phạm vi", "Điều", "4.", "Chương", "II", "IV.", "KINH PHÍ", "1. Mục tiêu", "1.2. Nội dung", "a) Rà soát",
    "- Sở Tài chính", "+ Quận Hồng Mai", "(1) Báo cáo", "|", " | ", "", " ", "“Điều 5. Sửa đổi", "Khoản 2.”",
    "“Lời dẫn", "\"Điều 6. Bổ sung", "hết.\"", "Article 1. Scope of this", "1. Scope and the", "trong", "Mẫu số",
    "01. Tờ khai", "PHỤ LỤC", "Phụ lục số 2", "\tcột", "C. LĨNH VỰC", "văn bản thường,"])


def _texts():
    return st.lists(_LINES, max_size=50).map("\n".join)


@settings(max_examples=500, **_CI)
@given(_texts(), st.integers(0, 12))
def test_jumping_scan_keeps_the_matches_of_a_full_scan(text, cut):
    start, end = min(cut, len(text)), len(text)
    zone_end = S._Outside(text, start, end).zone_end
    scan_from = start - 1 if start > 0 and text[start - 1] == "\n" else start
    full = [m.span() for m in S._HEADING.finditer(text, scan_from, end) if not zone_end(m.start() + 1)]
    assert [m.span() for m in S._headings(text, scan_from, end, zone_end)] == full


def _walks(text: str, a: int, b: int, lo: int, hi: int) -> bool:
    return S._reaches_bar(text, a - 1, lo, -1) and S._reaches_bar(text, b, hi, 1)


@settings(max_examples=300, **_CI)
@given(_texts(), st.integers(0, 12))
def test_table_cell_test_answers_as_both_walks(text, cut):
    lo, hi = min(cut, len(text)), len(text)
    for m in re.finditer(r"(?<=\n)[^\n]*", text):
        if m.start() >= lo:
            assert S._is_table_cell(text, m.start(), m.end(), lo, hi) == _walks(text, m.start(), m.end(), lo, hi)


@pytest.mark.parametrize("title", ["Scope of this Decision", "Phạm vi of the", "  the  ", "Điều chỉnh", "", "THE END",
                                   "Quy định chung", "A and B", "Vietnam’s plan"])
def test_english_title_test(title):
    t = title.strip()
    vietnamese = re.search(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", t, re.I)
    plain = bool(t) and not vietnamese and len(S._ENGLISH_WORDS.findall(t)) >= 1 and all(c.isascii() for c in t)
    assert S._is_english(title) == plain


def _walked_blocks(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """The reference: from every opening quote, walk its window mark by mark (or search it for a straight close)."""
    blocks, pos = [], start
    while m := S._OPEN_QUOTE.search(text, max(pos - 1, 0), end):
        a = m.end() - 1
        stop, close = min(end, a + limit), -1
        if text[a] == "“":
            depth = 0
            for q in S._QUOTE_MARK.finditer(text, a, stop):
                depth += 1 if q.group() == "“" else -1
                if depth == 0:
                    close = q.end()
                    break
        else:
            c = S._ASCII_CLOSE.search(text, a + 1, stop)
            close = c.start() + 1 if c else -1
        if close < 0:
            close = text.find("\n", a, end)
            close = end if close < 0 else close
        blocks.append((a, close))
        pos = close + 1
    return blocks


_QUOTES = st.lists(st.sampled_from(["“", "”", "\"", "\n", "\n“", "\n\"", " ", ".", ";", "*", "Điều 1", "x"]), max_size=80)


@settings(max_examples=500, **_CI)
@given(_QUOTES, st.integers(1, 40), st.integers(0, 5))
def test_quoted_blocks_close_where_the_walk_closes(parts, limit, cut):
    text = "".join(parts)
    start, end = min(cut, len(text)), len(text)
    saved = S._QUOTE_LIMIT
    S._QUOTE_LIMIT = limit  # a short window, so closes cut by its end are exercised too
    try:
        assert S._quoted_blocks(text, start, end) == _walked_blocks(text, start, end, limit)
    finally:
        S._QUOTE_LIMIT = saved


def test_unbalanced_quotes_stay_linear():
    text = "\n“Điều 1. sửa “khoản ”a" * 20000  # every line opens a quote that never closes
    blocks = S._quoted_blocks(text, 0, len(text))
    assert len(blocks) == 20000 and blocks[0] == (1, text.index("\n", 1))


@settings(max_examples=200, **_CI)
@given(_texts())
def test_tree_keeps_every_span_inside_the_text(text):
    nt = normalize(text)
    stack = list(S.extract_structure(nt, 0, len(nt.text)))
    while stack:
        node = stack.pop()
        assert 0 <= node.span.start <= node.span.end <= len(text)
        assert all(child.level > node.level for child in node.children)
        stack.extend(node.children)
