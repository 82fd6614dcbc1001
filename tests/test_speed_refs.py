"""Speed rewrites of the reference and normalisation scans (issue 17) give what the plain versions give, on generated
text: the substring pre-filters before the patterns around a law's type word, and the two scans that tell whether a
doubled word can be there."""
from __future__ import annotations

import datetime as dt
import random

from docparse import laws
from docparse.extract.dates import lower_same_length
from docparse.normalize import _DOUBLED_AT, _DOUBLED_HINTS, normalize

_PIECES = ["Luật", "luật", "LUẬT", "Bộ luật", "bộ  luật", "Bộ\nluật", "pháp luật", "Pháp luật", "kỷ luật", "Kỷ luật",
           "quy luật", "QUY LUẬT", "Pháp lệnh", "pháp lệnh", "mệnh lệnh", "Hiến pháp", "hiến pháp", "HIẾN PHÁP",
           "Đất đai", "Doanh nghiệp", "thuật", "số 12/2024/QH15", "năm 2024", ",", ";", ".", "\n", " ", "  ", "bộ",
           "Bộ", "pháp", "quy", "kỷ", "xbộ", "phápluật", "ngày", "và", "của", "İ", "\u212aỷ", "KỶ", "QUY", "ſ"]


def _plain_trigger_starts(text: str, low: str) -> list[int]:
    """laws._trigger_starts as written before the pre-filters: every pattern tried at every hit."""
    starts = set()
    for word, found in zip(laws._HIT_WORDS, laws.type_word_hits(low)):
        before = laws._BO_BEFORE if word == "luật" else laws._PHAP_BEFORE if word == "lệnh" else None
        for i in found:
            head = before.search(low, max(0, i - 10), i) if before else None
            p = head.start() if head else i
            if (head or word != "lệnh") and not laws._GENERAL.search(text, max(0, p - 8), p) \
                    and laws._TRIGGER.match(text, p):
                starts.add(p)
    return sorted(starts)


def _texts(seed: int, n: int, pieces: list[str], size: int = 60):
    rng = random.Random(seed)
    for _ in range(n):
        yield "".join(rng.choice(pieces) + rng.choice(["", " ", " ", "\n"]) for _ in range(rng.randint(1, size)))


def test_trigger_starts_equal_plain_version():
    n_found = 0
    for text in _texts(17, 3000, _PIECES):
        low = lower_same_length(text)
        got = laws._trigger_starts(text, low)
        assert got == _plain_trigger_starts(text, low), text
        n_found += len(got)
    assert n_found > 1000  # the generated texts do hold type words


def test_general_before_equals_the_pattern():
    for text in _texts(18, 2000, _PIECES, 20):
        low = lower_same_length(text)
        for p in range(len(text) + 1):
            assert laws._general_before(text, low, p) == \
                (laws._GENERAL.search(text, max(0, p - 8), p) is not None), (text, p)


def test_doubled_word_scans_equal_the_substring_tests():
    pieces = ["ngày", "Ngày", "số", "Số", "ngày ngày", "số số", " ", "\n", "  ", "12", "ngà", "y", "s", "ố", "tháng"]
    hits = 0
    for text in _texts(19, 5000, pieces, 12):
        fast = any(rx.search(text) for rx in _DOUBLED_AT)
        assert fast == any(h in text for h in _DOUBLED_HINTS), text
        hits += fast
    assert 100 < hits < 5000


def test_doubled_word_still_repaired():
    nt = normalize("Theo Quyết định số số 12/QĐ-UBND ngày\nngày 5/3/2025 của tỉnh.")
    assert "số số" not in nt.text and "ngày\nngày" not in nt.text
    assert any(n.code == "text.doubled_word_repaired" for n in nt.notices)


# ---- records made without validation (schema.trusted_records) -----------------------------------------------------
_REF_PIECES = ["Căn cứ", "Luật Đất đai", "năm 2024", "Nghị định số 12/2024/NĐ-CP", "ngày 05/3/2024",
               "ngày 5 tháng 3 năm 2024", "của Chính phủ", "về việc quản lý", "Quyết định 1234/QĐ-UBND",
               "Thông tư 03/2025/TT-BTC", "số 45/KH-UBND", "và", ",", ";", ".", "\n", "quý II/2025", "tháng 7/2025",
               "trước ngày 30/6/2025", "hằng năm", "giai đoạn 2021 - 2025", "Kèm theo Báo cáo số:     /BC-VP",
               "ngày    /6/2025", "ngày 31/02/2025", "năm 20255", "Chỉ thị 05-CT/TU", "khoản 2 Điều 3", "mẫu số 01/TK",
               "các Nghị quyết của Quốc hội:", "số 55/2010/QH12", "Bộ luật Lao động", "Hiến pháp năm 2013",
               "từ ngày 01/7/2025 đến ngày 31/12/2025", "6 tháng đầu năm 2025", "Thường xuyên"]


def _compare_with_validation(monkeypatch) -> list[int]:
    """Every trusted_records call of the two layers also validated, record against record."""
    from docparse import schema
    from docparse.extract import citations, dates

    real = schema.trusted_records
    seen = []

    def checked(model, rows):
        want = [model.__pydantic_validator__.validate_python(row) for row in rows]  # first: rows become records
        got = real(model, rows)
        assert [g.model_dump_json() for g in got] == [w.model_dump_json() for w in want]
        for g, w in zip(got, want):
            assert list(g.__dict__) == list(w.__dict__) and g == w and repr(g) == repr(w)
            assert [type(v) for v in g.__dict__.values()] == [type(v) for v in w.__dict__.values()]
            assert g.__pydantic_fields_set__ is w.__pydantic_fields_set__
            assert g.span.__pydantic_fields_set__ is w.span.__pydantic_fields_set__
            assert (g.__pydantic_extra__, g.__pydantic_private__) == (w.__pydantic_extra__, w.__pydantic_private__)
        seen.append(len(rows))
        return got

    monkeypatch.setattr(citations, "trusted_records", checked)
    monkeypatch.setattr(dates, "trusted_records", checked)
    return seen


def test_trusted_records_equal_validated_ones(monkeypatch):
    import docparse

    seen = _compare_with_validation(monkeypatch)
    for text in _texts(20, 150, _REF_PIECES, 40):
        doc = docparse.parse_text(text, layers={"citations", "dates"})
        for c in doc.citations:  # assignments after construction behave as on a validated record
            c.resolved_to = "x"
            assert "resolved_to" in c.model_fields_set
    assert sum(seen) > 1000


def test_trusted_records_keep_the_schema_order_and_defaults():
    from docparse.schema import trusted_records
    from docparse.schema import Citation, DateMention, Span

    row = {"code": "12/QĐ-UBND", "doc_type": "Quyết định", "text": "x", "span": {"start": 3, "end": 4}}
    want = Citation.model_validate(row)
    got, = trusted_records(Citation, [row])
    assert list(got.__dict__) == list(Citation.model_fields) == list(want.__dict__)
    assert got.model_dump_json() == want.model_dump_json() and got.model_fields_set == {"code", "doc_type", "text",
                                                                                        "span"}
    whole = {"kind": "year", "start": dt.date(2025, 1, 1), "end": dt.date(2026, 1, 1), "grain": "year", "valid": True,
             "year_inferred": False, "text": "năm 2025", "span": {"start": 0, "end": 8}}
    want = DateMention.model_validate(whole)
    got, = trusted_records(DateMention, [whole])  # every field in order: the row becomes the record's dict
    assert got == want and got.model_dump_json() == want.model_dump_json() and type(got.span) is Span
    assert trusted_records(Citation, []) == []


def _plain_is_caption(text: str, start: int, code_end: int) -> bool:
    """citations._is_caption as written before it stopped at the line's start and 600 characters on."""
    from docparse.extract import citations

    line = text.rfind("\n", 0, start) + 1
    if text[line:start].strip(" \t#*") or "số" in text[start:code_end].lower():
        return False
    end = text.find("\n", code_end)
    end = len(text) if end < 0 else end
    return end - code_end < 600 and citations._CAPTION_END.search(text, max(code_end, end - 170), end) is not None


def test_caption_test_equals_plain_version():
    from docparse.extract.citations import _is_caption

    rng = random.Random(21)
    before = ["", " ", "\t", "#", "## ", "*", "**", "\n", "x", "Căn cứ ", " \n ", "\n#\t"]
    after = [" quy định về thuế do Bộ trưởng Bộ Tài chính ban hành", " do UBND tỉnh ban hành", " số 5", "; theo",
             " do ", " ban hành", "\n", "", " " * 250, " " * 300, "a" * 650, " " * 540 + " do UBND tỉnh ban hành\nsau", "x do y ban hành**", " do Sở ban  hành \t"]
    captions = 0
    for _ in range(4000):
        head = "".join(rng.choice(before) for _ in range(rng.randint(0, 4)))
        code = rng.choice(["Thông tư 110/2025/TT-BTC", "Quyết định số 12/QĐ-UBND", "Nghị định 5/2024/NĐ-CP"])
        tail = "".join(rng.choice(after) for _ in range(rng.randint(0, 4)))
        text = head + code + tail
        start, code_end = len(head), len(head) + len(code)
        got = _is_caption(text, start, code_end)
        assert got == _plain_is_caption(text, start, code_end), text
        captions += got
    assert 100 < captions < 4000


def test_region_tests_equal_plain_version():
    from docparse.extract.citations import _inside, _overlaps

    rng = random.Random(22)
    for _ in range(20000):
        spans = [tuple(sorted((rng.randint(0, 40), rng.randint(0, 40)))) for _ in range(rng.randint(0, 3))]
        spans = spans if spans or rng.random() < 0.5 else None
        a = rng.randint(0, 40)
        b = a + rng.randint(0, 8)
        assert _inside(a, b, spans) == (not spans or any(s <= a and b <= e for s, e in spans))
        assert _overlaps(a, b, spans) == (bool(spans) and any(a < e and s < b for s, e in spans))


def _plain_relation(text: str, start: int, low: str | None = None) -> str | None:
    """citations._relation as written with two loops over finditer."""
    from docparse.extract import citations as C

    a = max(0, start - 90)
    window, rx = (text[a:start], C._RELATION_RE) if low is None or "ſ" in low[a:start] or "ı" in low[a:start] \
        else (low[a:start], C._RELATION_LOW)
    cut = None
    for cut in C._CLAUSE_BREAK.finditer(window):
        pass
    if cut:
        window = window[cut.end():]
    found = None
    for found in rx.finditer(window):
        pass
    return " ".join(found.group(1).lower().split()) if found else None


def test_relation_equals_plain_version():
    from docparse.extract.citations import _relation

    pieces = ["Căn cứ", "căn  cứ", "CĂN CỨ", "theo", "kèm theo", "Kèm\ntheo", "thực hiện", "tại", "xtại", "; ", ". ",
              ".", "\n\n", "\n- ", "\n+", "\n", " ", ":", "!", "?", "Nghị định", "số", "và", "ſửa đổi", "bổ ſung",
              "hướng dẫn", "ı", "theoQĐ"]
    answers = set()
    for text in _texts(23, 3000, pieces, 30):
        low = lower_same_length(text)
        for start in range(0, len(text) + 1, 7):
            got = _relation(text, start, low)
            assert got == _plain_relation(text, start, low), (text, start)
            assert _relation(text, start) == _plain_relation(text, start)
            answers.add(got)
    assert len(answers) > 8


def test_loose_codes_equal_plain_version(monkeypatch):
    import re

    from docparse.extract import citations as C

    pieces = ["Nghị định số", "số", "Công văn số", "111-HĐBT", "1025-CVHQ", "12²-AB", "²-AB", "3-", "-QĐ", "QĐ-UBND",
              "108 TC/HCVX", "Thông tư", "29-CT/TU", "x12-AB", "1234567-AB", "٣-AB", " ", "\n", ",", "số 5-NQ/TW",
              "12-ab", "7-Đ"]
    n_found = 0
    for text in _texts(24, 3000, pieces, 14):
        spaced: list[int] = []
        codes = [m for m in C._code_matches(text, spaced) if C._plausible(m)]
        taken = [(m.start(), m.end()) for m in codes]
        got = [(m.start(), m.end()) for m in C._loose_codes(text, taken, list(spaced))]
        with monkeypatch.context() as mp:
            mp.setattr(C, "_LOOSE_HYPHEN", re.compile(r"-(?=[A-ZĐ])"))  # every hyphen before a capital
            want = [(m.start(), m.end()) for m in C._loose_codes(text, taken, list(spaced))]
        assert got == want, text
        n_found += len(got)
    assert n_found > 300


def test_type_word_hits_equal_plain_search():
    import re

    for text in _texts(25, 2000, _PIECES + ["luậtluật", "lệnhhiến", "LUẬT", "t", "ậ", "uật"], 30):
        low = lower_same_length(text)
        assert laws.type_word_hits(low) == tuple([m.start() for m in re.finditer(w, low)] for w in laws._HIT_WORDS)
