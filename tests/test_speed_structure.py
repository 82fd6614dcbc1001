"""The speed shortcuts of the section tree and the table readers answer as the plain ways do (issue 17): the heading
scan's first-character test, sections built without validation, quotation marks found with str.find, STT cells found
from the "|" before them, the table-cell walk skipped where no "|" is near above. Texts are fictional, built from
short made-up lines."""
from __future__ import annotations

import pickle
import re

import pytest

from docparse.extract import matrix_tables as M
from docparse.extract import structure as S
from docparse.normalize import normalize
from docparse.schema import Section

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CI = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])

# line openings next to each branch of _HEADING and just off it
_HEADING_LINES = st.sampled_from([
    "Điều 3. Phạm vi", "Điều", "Đi", "Đ", "4.", "12.3 Nội dung", "1.2. Mục", "Chương", "CHƯƠNG II", "Chương 5", "Ch",
    "Cơ quan", "II", "IV.", "IV -", "I/ Mở", "XI. KẾT", "L. LĨNH", "C. LĨNH VỰC", "C.", "KINH PHÍ", "Mục 2", "MỤC 1",
    "Mẫu", "PHỤ LỤC", "Phụ lục số 2", "Phần I", "PHẦN THỨ HAI", "Ph", "P. QUẢN", "a) Rà soát", "a. Lý do", "đ) Khác",
    "b.", "ab) x", "(1) Báo cáo", "(12) Hết", "(a) x", "- Sở Tài chính", "-- x", "+ Quận", "• Mục", "# Điều 4.",
    "## 2. Nội", "  a) thụt", "\tb) tab", "|", "", " ", "văn bản thường,", "1", "A. BỘ", "Z.", "٣. Số", "x) y"])


def _plain_heading() -> re.Pattern:
    assert S._OPENS in S._HEADING.pattern
    return re.compile(S._HEADING.pattern.replace(S._OPENS, ""))


@settings(max_examples=500, **_CI)
@given(st.lists(_HEADING_LINES, max_size=40).map("\n".join), st.integers(0, 8))
def test_first_character_test_keeps_every_heading(text, cut):
    plain = _plain_heading()
    text = "\n" + text
    start = min(cut, len(text))
    found = [(m.span(), m.lastgroup) for m in S._HEADING.finditer(text, start)]
    assert found == [(m.span(), m.lastgroup) for m in plain.finditer(text, start)]
    for line in text.split("\n"):  # _next_line asks of one line
        a, b = S._HEADING.match("\n" + line), plain.match("\n" + line)
        assert (a and (a.span(), a.lastgroup)) == (b and (b.span(), b.lastgroup))


@pytest.mark.parametrize("kind,numbering,title,level,start,end", [
    ("arabic", "1", "Mục tiêu", 6, 0, 2), ("article", "Điều 4", "", 4, 10, 17), ("bullet", "-", "x" * 160, 15, 5, 5),
    ("roman", "IV", "KINH PHÍ", 5, 100, 120), ("mục", "Mục 2", "Quy định", 3, 7, 9)])
def test_section_built_without_validation_is_the_validated_record(kind, numbering, title, level, start, end):
    fields = {"kind": kind, "numbering": numbering, "title": title, "level": level,
              "span": {"start": start, "end": end}}
    fast, checked = S._section(kind, numbering, title, level, start, end), Section.model_validate(fields)
    assert fast == checked
    assert fast.model_dump_json() == checked.model_dump_json()
    assert fast.__pydantic_fields_set__ == checked.__pydantic_fields_set__
    assert fast.span.__pydantic_fields_set__ == checked.span.__pydantic_fields_set__
    assert pickle.loads(pickle.dumps(fast)) == checked and fast.model_copy(deep=True) == checked
    other = S._section(kind, numbering, title, level, start, end)
    fast.children.append(other)  # each record its own list of children
    assert other.children == [] and len(fast.children) == 1
    assert Section.model_validate(fast.model_dump()) == fast
    other.title = "Tiêu đề khác"  # an assignment changes that record only, as on validated records
    assert fast.title == title and other.title == "Tiêu đề khác"


def test_tree_of_a_document_is_the_validated_tree():
    text = "Chương I\nĐiều 1. Phạm vi\n1. Mục tiêu\na) Rà soát\n- Sở Tài chính\n2. Nội dung\nĐiều 2. Hiệu lực\n"
    roots = S.extract_structure(normalize(text), 0, len(text))
    dumped = [r.model_dump() for r in roots]
    assert [Section.model_validate(d).model_dump() for d in dumped] == dumped
    assert [Section.model_validate(d) for d in dumped] == roots


_QUOTE_PARTS = st.lists(st.sampled_from(["“", "”", "\"", "\n", "\n“", "\n\"", "\n  “", "\n#*_\"", " ", "\t", "#", "*",
                                         "_", ".", "Điều 1", "x", "\nx", "x“", "-\""]), max_size=80).map("".join)


@settings(max_examples=500, **_CI)
@given(_QUOTE_PARTS, st.integers(0, 6), st.integers(0, 6))
def test_openings_are_the_open_quote_matches(text, cut_start, cut_end):
    start = min(cut_start, len(text))
    end = max(start, len(text) - cut_end)
    lines, opens = S._openings(text, start, end)
    lo = max(start - 1, 0)
    assert [(n, q) for n, q in zip(lines, opens) if n >= lo] == \
        [(m.start(), m.end() - 1) for m in S._OPEN_QUOTE.finditer(text, lo, end)]


def _curly_closes_by_regex(text: str, start: int, end: int) -> dict[int, int]:
    closes, open_marks, count = {}, [], 0
    for q in S._QUOTE_MARK.finditer(text, start, end):
        if q.group() == "“":
            count += 1
            open_marks.append((q.start(), count))
        else:
            count -= 1
            while open_marks and open_marks[-1][1] > count:
                closes[open_marks.pop()[0]] = q.start()
    return closes


@settings(max_examples=500, **_CI)
@given(_QUOTE_PARTS, st.integers(0, 6))
def test_curly_closes_as_the_regex_walk(text, cut):
    start = min(cut, len(text))
    assert S._curly_closes(text, start, len(text)) == _curly_closes_by_regex(text, start, len(text))


def test_openings_stay_linear_on_runs_of_markup():
    text = ("\n" + "*" * 50 + "“x") * 20000  # every mark walks back over its own run only
    lines, opens = S._openings(text, 0, len(text))
    assert len(opens) == 20000 and text[opens[-1]] == "“" and text[lines[-1]] == "\n"


_STT_LINES = st.sampled_from(["|", " | ", "|\t", "STT", "stt", "sTT", "TT", "Số TT", "Số  thứ tự", "*STT*", " * STT ",
                              "STT x", "x", "", "  ", "1", "Nội dung", "Số\nTT", "T"])


@settings(max_examples=500, **_CI)
@given(st.lists(_STT_LINES, max_size=40).map("\n".join), st.integers(0, 30), st.integers(0, 5))
def test_stt_cells_found_from_their_bar_as_by_the_word_scan(text, cut_start, cut_end):
    a = min(cut_start, len(text))
    b = max(a, len(text) - cut_end)
    words = [bar.start() + 1 for m in M._STT_WORD.finditer(text, a, b)
             if (bar := M._BAR_BEFORE.search(text, max(0, m.start() - 12), m.start()))]
    assert M._stt_starts(text, a, b) == words


_CELL_LINES = st.sampled_from(["|", " | ", "|\u2003", "\u00a0|", "", " ", "1. Mục tiêu", "a) Rà soát", "- Sở Tài chính",
                               "Điều 2. Hiệu lực", "văn bản thường", "Nội dung", "x | y", "2.", "(1) Báo cáo"])


def _always_near(self, pos):
    return True


@settings(max_examples=400, **_CI)
@given(st.lists(st.tuples(_CELL_LINES, st.integers(1, 16)), max_size=30), st.integers(0, 6))
def test_bar_above_skips_only_walks_that_find_nothing(runs, cut):
    """Runs of up to 16 equal lines: a "|" more or less than 12 lines above a heading, with or without empty lines."""
    text = "\n".join(line for line, n in runs for _ in range(n))
    nt = normalize(text)
    start = min(cut, len(nt.text))
    fast = [r.model_dump() for r in S.extract_structure(nt, start, len(nt.text))]
    saved = S._BarAbove.near
    S._BarAbove.near = _always_near  # every walk is made
    try:
        assert [r.model_dump() for r in S.extract_structure(nt, start, len(nt.text))] == fast
    finally:
        S._BarAbove.near = saved


def test_bar_above_reads_the_text_once():
    text = "|\n" + "dòng\n" * 200000
    above = S._BarAbove(text)
    answers = [above.near(pos) for pos in range(2, len(text), 5)]
    assert answers[0] and not answers[-1] and above.bar == 0
