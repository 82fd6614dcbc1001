"""Rule-based entities (extract/entities.py) on short fictional text, and the word-start scan the speed work of
issue 17 rewrote: it must yield the matches the search-per-candidate loop it replaced yielded."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docparse.extract import entities as ent
from docparse.normalize import normalize

TEXT = ("Sở Y tế tỉnh Sông Mây phối hợp với Ủy ban nhân dân huyện Hòa Bình Xanh và Bộ Tài chính.\n"
        "Giao Văn phòng UBND tỉnh chủ trì; ông Nguyễn Văn An, Giám đốc Sở, báo cáo Thành ủy Cần Thơ trước ngày 30/6.\n"
        "Vụ Đông Xuân năm nay; đường Phan Chu Trinh, thành phố Huế.")


def test_agencies_people_places_in_running_text():
    found = [(e.label, e.text, e.canonical) for e in ent.find_entities(normalize(TEXT))]
    assert found == [("ORG", "Sở Y tế tỉnh Sông Mây", None),
                     ("ORG", "Ủy ban nhân dân huyện Hòa Bình", None),  # a known province ends the place
                     ("ORG", "Bộ Tài chính", "Bộ Tài chính"),
                     ("ORG", "Văn phòng UBND tỉnh", "Văn phòng UBND tỉnh"),
                     ("PER", "Nguyễn Văn An", None),
                     ("ORG", "Thành ủy Cần Thơ", None),
                     ("LOC", "thành phố Huế", None)]  # "Vụ Đông Xuân" is a season, "Phan Chu Trinh" a street


def test_entity_spans_point_at_their_text():
    for e in ent.find_entities(normalize(TEXT)):
        assert TEXT[e.span.start:e.span.end] == e.text


def _word_starts_by_search(rx, text, start, end, also=""):
    """The scan as it was: one rx.search per candidate."""
    pos = start
    while True:
        m = rx.search(text, pos, end)
        if m is None:
            return
        k = m.start()
        if k > 0 and (text[k - 1].isalnum() or text[k - 1] == "_" or text[k - 1] in also):
            pos = k + 1
            continue
        yield m
        pos = max(m.end(), k + 1)


_FRAGMENTS = ["Sở", "Bộ", "Ban", "Ủy ban nhân dân", "UBND", "ỦY BAN NHÂN DÂN", "Chính phủ", "Văn phòng", "tỉnh", "thành phố",
              "thị xã", "xã", "TP.", "Tỉnh", "Quảng Trị", "Hà Nội", "Nguyễn", "Lê", "Văn", "An", "Sông Mây", "x", "X", "1",
              "_", "/", "&", ".", "-", " ", " ", "  ", "\n", "Cục", "Thuế", "Y tế", "phường", "Bến Tre", "BẾN TRE"]


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join), st.integers(0, 30), st.integers(0, 300))
def test_word_start_scan_matches_the_search_loop(text, start, width):
    end = min(len(text), start + width)
    lx = ent._lex()
    for key, also in (("heads", "/&.-"), ("place_level", ""), ("place", ""), ("person", "")):
        got = [m.span() for m in ent._at_word_start(lx[key], text, start, end, also)]
        assert got == [m.span() for m in _word_starts_by_search(lx[key], text, start, end, also)], key


@pytest.mark.parametrize("written, kind", [("Sở", (False, 2, False, ent._WEAK, False)),
                                           ("BỘ", (False, 2, True, ent._WEAK, False)),
                                           ("Phòng", (False, 1, False, ent._WEAK, False)),
                                           ("Vụ", (True, 0, False, ent._WEAK, False)),
                                           ("Ủy ban\nnhân dân", (False, 0, False, ent._STRONG, True)),
                                           ("Chính phủ", (False, 0, False, ent._STANDALONE, False))])
def test_head_kind(written, kind):
    assert ent._head_kind(written) == kind


@settings(max_examples=300, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_FRAGMENTS + ["phối hợp", "chủ trì", "và", ",", "Điều tra", "chống"]), max_size=30)
       .map("".join), st.integers(0, 60), st.integers(0, 80))
def test_no_capital_ahead_means_no_name(text, pos, width):
    """_org_end skips _name_end where _CAP_NEXT does not match; _name_end must then end where it starts."""
    pos = min(pos, len(text))
    if not ent._CAP_NEXT.match(text, pos):
        assert ent._name_end(text, pos, min(len(text), pos + width)) == pos
