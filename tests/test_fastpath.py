"""The records the pipeline builds are the records validation would build: a Document read back through
`Document.model_validate` (the path for input from outside) equals the parsed one, field for field, for every sample
and format. Guards any construction shortcut in the extractors (issue 17) against wrong types or missing fields."""
from __future__ import annotations

import docparse
from docparse.schema import Document


def test_validated_equals_parsed(sample_file):
    doc = docparse.parse(sample_file)
    assert Document.model_validate(doc.model_dump()) == doc
    assert Document.model_validate_json(doc.model_dump_json()) == doc


def test_validated_equals_parsed_on_partial_layers(sample_file):
    doc = docparse.parse(sample_file, layers={"citations", "dates"})
    assert Document.model_validate(doc.model_dump()) == doc


def test_batch_offset_mapping_matches_normtext():
    """extract/spans.py maps many offsets in one pass; its answers are NormText.orig_span / to_norm's, on texts whose
    normalisation deletes markup, decodes entities, splits glued words and leaves some untouched (identity map)."""
    import random

    from docparse.extract.spans import orig_spans, to_norms
    from docparse.normalize import NormText, normalize

    texts = ["", "a", "Báo cáo số 12/BC-UBND ngày 05/3/2025 của UBND huyện Sông Mây.",
             "**Số:** 12 /QĐ- UBND ngày5/3/2024, *Sở Nội vụ*\u00ad chủ trì; số63/2014/NĐ-CP",
             "<p>Điều 1.&nbsp;Phạm&amp;vi</p><td>x</td>\n**Điều 2.** Hiệu lực" * 3]
    rnd = random.Random(17)
    for text in texts:
        for nt in (normalize(text), NormText.identity(text), normalize(text, strip_html=True)):
            n = len(nt.text)
            ranges = [(rnd.randint(0, n + 2), rnd.randint(-1, n + 2)) for _ in range(200)] + [(0, 0), (0, n), (n, n)]
            assert orig_spans(nt, ranges) == [nt.orig_span(a, b) for a, b in ranges]
            offsets = [rnd.randint(-1, len(nt.original) + 2) for _ in range(200)]
            assert to_norms(nt, offsets) == [nt.to_norm(o) for o in offsets]
    assert len(normalize(texts[3]).ns) > 1  # the rewrites did change the map, so the general path was tested


def test_number_cue_on_lowercased_window_matches_the_case_insensitive_regex(monkeypatch):
    """numbers._cue searches a lower-cased window without IGNORECASE; forcing every window through _CUE itself gives
    the same cue at every position, capitalised document names ("Kế hoạch 12" vs "đạt kế hoạch 95") included."""
    from docparse.extract import numbers

    texts = ["Theo Kế hoạch 12 và kế hoạch số 3, đạt kế hoạch 95%; KẾ HOẠCH 7", "ngày 5 tháng 6 năm 2025, quý 2",
             "khoản 1, 2 và 3 Điều 4; Đề án 06, ĐỀ ÁN 06; giai đoạn 2021-2025; Có = 1", "Tổ dân phố 3, xóm 9"]
    fast = [[numbers._cue(t, s) for s in range(len(t) + 1)] for t in texts]

    class AlwaysDocname:
        def search(self, *args):
            return type("M", (), {"lastgroup": "docname"})()

    monkeypatch.setattr(numbers, "_CUE_LOWER", AlwaysDocname())
    slow = [[numbers._cue(t, s) for s in range(len(t) + 1)] for t in texts]
    assert fast == slow
    assert {"docname", "doc", "day", "month", "year", "quarter", "na", "coded", "yrange"} <= {c for f in fast for c in f}


_MAPPED = ["", "*", "***", "a*", "*a**b*", "Số: 12/QĐ-UBND",
           "**Số:** 12 /QĐ- UBND ngày5/3/2024, *Sở Nội vụ*\u00ad chủ trì; số63/2014/NĐ-CP",
           "<p>Điều 1.&nbsp;Phạm&amp;vi</p><td>x</td>\n**Điều 2.** Hiệu lực"]


def test_orig_span_is_orig_start_and_orig_end():
    """NormText.orig_span inlines orig_start / orig_end; every range of every map answers as the two do."""
    from docparse.normalize import NormText, normalize

    for text in _MAPPED:
        for nt in (normalize(text), NormText.identity(text), normalize(text, strip_html=True)):
            n = len(nt.text)
            for a in range(n + 2):
                for b in range(a - 1, n + 2):
                    want = (nt.orig_start(a), nt.orig_start(a)) if b <= a else (nt.orig_start(a), nt.orig_end(b - 1))
                    assert nt.orig_span(a, b) == want, (text, a, b)


def test_delete_char_equals_delete():
    """NormText.delete_char (str.split) leaves the text and the map that delete (re.split) leaves, on the identity
    map and on one a rewrite already changed."""
    from docparse.normalize import _STARS_RE, NormText, normalize

    def state(nt):
        return nt.text, nt.ns, nt.os, nt.nl, nt.ol, nt.cp

    for text in _MAPPED + ["a**b***c", "**", "x\n*y*\n"]:
        starts = [NormText.identity(text), normalize(text.replace("*", "")), normalize("&amp;" + text, strip_html=True)]
        for nt in starts:
            fast, slow = NormText(**vars(nt)), NormText(**vars(nt))
            fast.delete_char("*", _STARS_RE)
            slow.delete(_STARS_RE)
            assert state(fast) == state(slow), text
            assert "*" not in fast.text


def test_code_space_scan_equals_the_plain_pattern():
    """The stray-space repair scans for the "/" before a code; its matches are the look-behind pattern's own,
    including a year's "/" inside a match already taken."""
    from docparse.normalize import _CODE_SPACE, _CODE_SPACE_RE

    texts = ["12/QĐ - UBND", "78/2021/NĐ -CP và 5/2020/TT- BTC", "x/QĐ - UB", "12/2021/NĐ - CP", "/QĐ - UBND",
             "Số 3/KH -UBND;4/KH - SYT 7 /QĐ - UB 2025/ND - CP", "1/A - BC/D - EF", ""]
    for t in texts:
        fast = [(m.span(), m.groups()) for m in _CODE_SPACE.finditer(t)]
        assert fast == [(m.span(), m.groups()) for m in _CODE_SPACE_RE.finditer(t)], t
    assert [m.group(0) for m in _CODE_SPACE.finditer(texts[1])] == ["2021/NĐ -CP", "2020/TT- BTC"]


def test_to_int_fast_path_answers_as_the_general_rule():
    """safe.to_int reads plain ASCII digits at once; every other value goes the long way, with the same answers."""
    from docparse import safe

    def rule(v):
        if isinstance(v, bool) or not isinstance(v, (int, str)):
            return None
        if isinstance(v, int):
            return v
        s = v.strip()
        return int(s) if s and len(s) <= 40 and s.isdigit() and all(c.isdecimal() for c in s) else None

    values = ["0", "07", "2025", " 12 ", "12\n", "1" * 40, "1" * 41, "", " ", "-3", "+3", "1.5", "1_000", "²", "٣",
              "０１", "12a", True, False, 0, -4, 3.0, None, b"12", ["1"]]
    assert [safe.to_int(v) for v in values] == [rule(v) for v in values]
    assert safe.to_int("1_000") is None and safe.to_int("-3") is None
