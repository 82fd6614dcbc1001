"""Speed rewrites of the entity, header and agency-cell paths (issue 17) give what the plain versions give, on
generated text: the first-character pre-checks of _level_end and _place_end, agency_in without the full entity
pass, the signer search that reads the closing zone lazily, and records made without validation."""
from __future__ import annotations

import pickle
import random

from docparse.extract import entities as ent
from docparse.extract import header as hdr
from docparse.normalize import normalize
from docparse.schema import Entity, FieldSpan, Span

_PIECES = ["Sở", "Bộ", "Ban", "Ủy ban nhân dân", "UBND", "ỦY BAN NHÂN DÂN", "Chính phủ", "Văn phòng", "tỉnh", "thành phố",
           "các huyện", "cấp xã", "thị xã", "xã", "TP.", "Tỉnh", "TỈNH", "Quảng Trị", "Hà Nội", "Sông Mây", "BẾN TRE",
           "Nguyễn", "Văn", "An", "Lê", "Thị", "trực thuộc Trung ương", "trực\nthuộc", "TRỰC THUỘC", "Tài chính", "Y tế",
           "chủ trì", "phối hợp", "và", ",", ";", ".", "-", "/", "(", "1", "2025", "x", "Xa", "năm", "NĂM", "GIAI ĐOẠN",
           "Cục", "Thuế", "Phòng", "Nội vụ", "Trung tâm", "Phục vụ", "hành chính công", "KT", "TM.", "Giám đốc"]


def _texts(seed: int, n: int, pieces: list[str], size: int = 30):
    rng = random.Random(seed)
    for _ in range(n):
        yield "".join(rng.choice(pieces) + rng.choice(["", " ", " ", " ", "  ", "\n", " \n"])
                      for _ in range(rng.randint(1, size)))


# --- the plain versions (as written before the pre-checks) ---------------------------------------------------------

def _plain_place_end(text: str, pos: int, limit: int) -> int:
    known = ent._lex()["place"].match(text, pos, limit)
    if known:
        return known.end()
    if ent._UNDER_CENTRE.match(text, pos, limit):
        return pos
    m = ent._PLACE_NAME.match(text, pos, limit)
    if not m or m.group(0).split()[0] in ent._AUTHORITY:
        return pos
    first = m.group(0).split()[0]
    caps_stop = first.isupper() and len(first) > 1 and first.lower() in ent._lex()["stop"]
    return pos if first.lower() in ent._NOT_PLACE or caps_stop else m.end()


def _plain_level_end(text: str, pos: int, limit: int, lists: bool = False) -> int:
    lx = ent._lex()
    m = lx["level"].match(text, pos, limit)
    if not m:
        return pos
    end = m.end()
    while lists or ent._LEVEL_LIST.match(m.group(0)):
        more = ent._LEVEL_SEP.match(text[end:end + 8])
        nxt = lx["level"].match(text, end + more.end(), limit) if more else None
        if not nxt or more.end() == 0 or ent._LEVEL_LIST_S.match(nxt.group(0)):
            break
        end = nxt.end()
    tail = ent._UNDER_CENTRE.match(text, end, limit)
    if tail:
        return tail.end()
    gap = ent._SPACES.match(text[end:end + 8]).end()
    return max(end, _plain_place_end(text, end + gap, limit))


def _plain_agency_in(cell: str) -> str | None:
    for e in ent.find_entities(normalize(cell)):
        if e.label == "ORG" and ent._OPENS_CELL.fullmatch(cell[:e.span.start]):
            return e.canonical or ent.plain_name(e.text)
    return None


def test_level_and_place_ends_equal_plain_versions():
    for text in _texts(17, 1500, _PIECES):
        for pos in range(len(text) + 1):
            for limit in (len(text), min(len(text), pos + 7)):
                assert ent._place_end(text, pos, limit) == _plain_place_end(text, pos, limit), (text, pos)
                for lists in (False, True):
                    assert ent._level_end(text, pos, limit, lists) == _plain_level_end(text, pos, limit, lists)


def test_under_centre_opens_only_as_the_precheck_says():
    """_UNDER_CENTRE is case-insensitive: no other character than the pre-check's may open it."""
    first = ent._lex()["place_first"]
    for code in list(range(0xD800)) + list(range(0xE000, 0x10000)):
        c = chr(code)
        if c not in first:
            assert not ent._UNDER_CENTRE.match(c + "rực thuộc Trung ương"), hex(code)
            assert not ent._UNDER_CENTRE.match(c + "RỰC THUỘC TRUNG ƯƠNG"), hex(code)


def test_agency_in_equals_the_full_entity_pass():
    cells = list(_texts(5, 2500, _PIECES + ["Độc lập - Tự do - Hạnh phúc", "Giao", "Đề nghị", "Bộ trưởng", "- "], 12))
    found = 0
    for cell in cells:
        got = ent.agency_in.__wrapped__(cell)
        assert got == _plain_agency_in(cell), cell
        found += got is not None
    assert found > 150  # many generated cells do open with an agency


def _record(label, text, s, e, canonical):
    return Entity.model_validate({"label": label, "text": text, "span": {"start": s, "end": e}, "canonical": canonical})


def test_records_equal_validated_ones():
    rows = [("ORG", "Sở Y tế", 0, 7, "Sở Y tế"), ("LOC", "tỉnh Sông Mây", 10, 23, None), ("PER", "Lê An", 30, 35, None)]
    for fast, slow in zip(ent._records(rows), [_record(*r) for r in rows]):
        assert type(fast) is Entity and type(fast.span) is Span
        assert fast == slow and fast.model_dump() == slow.model_dump()
        assert fast.model_dump_json() == slow.model_dump_json()
        assert fast.model_dump(exclude_unset=True) == slow.model_dump(exclude_unset=True)
        assert fast.__pydantic_fields_set__ is slow.__pydantic_fields_set__
        assert fast.span.__pydantic_fields_set__ is slow.span.__pydantic_fields_set__
        assert pickle.loads(pickle.dumps(fast)) == slow
        assert fast.model_copy() == slow and Entity.model_validate(fast.model_dump()) == slow
        fast.canonical, slow.canonical = "X", "X"  # an assignment moves both to the same names-given set
        assert fast == slow and fast.__pydantic_fields_set__ == slow.__pydantic_fields_set__


def test_field_spans_equal_validated_ones():
    nt = normalize("Số: 12/QĐ-UBND\nHà Nội, ngày 1 tháng 2 năm 2025")
    fields = hdr._Fields(nt)
    span = fields.add("number", 0, 15)
    slow = FieldSpan(field="number", span=Span(start=0, end=15))
    fast = fields.spans[0]
    assert fast.span is span and fast == slow and fast.model_dump_json() == slow.model_dump_json()
    assert fast.__pydantic_fields_set__ is slow.__pydantic_fields_set__
    assert fast.model_dump(exclude_unset=True) == slow.model_dump(exclude_unset=True)
    fast.field, slow.field = "number@portal", "number@portal"
    assert fast == slow


def test_name_first_is_name_word_first_class():
    for code in list(range(0xD800)) + list(range(0xE000, 0x10000)):
        c = chr(code)
        assert (c in hdr._NAME_FIRST) == bool(hdr._NAME_WORD.match(c)), hex(code)


def _plain_is_name(s: str) -> bool:
    words = s.split()
    return 2 <= len(words) <= 6 and all(hdr._NAME_WORD.match(w) for w in words)


def _plain_signer(text, zone, f, nt):
    """header._signer as written before the lazy line list and the first-letter test."""
    lines = [ln for ln in hdr._lines(text, *zone) if ln[2]]
    auth_idx = None
    for i, (a, b, s) in enumerate(lines):
        if s[:1] in hdr._AUTHORITY_FIRST and hdr._AUTHORITY.match(text[a:b]) and hdr._is_caps(s):
            auth_idx = i
            break
    start_idx = auth_idx if auth_idx is not None else 0
    for i in range(start_idx, len(lines)):
        a, b, s = lines[i]
        cand, end_b = s, b
        if len(s.split()) == 1 and i + 1 < len(lines) and _plain_is_name(f"{s} {lines[i + 1][2]}"):
            cand, end_b = f"{s} {lines[i + 1][2]}", lines[i + 1][1]
        if not _plain_is_name(cand) or s.startswith(("-", "+")):
            continue
        titles = []
        j = i - 1
        while j >= start_idx and len(titles) < 5 and i - j < 12:
            if lines[j][2].startswith(("-", "+")) or lines[j][2].lower().startswith("nơi nhận"):
                j -= 1
                continue
            if not hdr._is_caps(lines[j][2]):
                break
            titles.insert(0, lines[j][2])
            j -= 1
        if not titles:
            continue
        authority = body = None
        if auth_idx is not None and auth_idx >= j + 1 and auth_idx <= i:
            am = hdr._AUTHORITY.match(text[lines[auth_idx][0]:lines[auth_idx][1]])
            authority = am.group("auth").replace("/", "") + "."
            body = am.group("rest").strip(" *|")
            titles = [t for t in titles if t != lines[auth_idx][2]]
        elif titles and hdr._AUTHORITY.match(titles[0]):
            am = hdr._AUTHORITY.match(titles[0])
            authority, body = am.group("auth").replace("/", "") + ".", am.group("rest").strip(" *|")
            titles = titles[1:]
        lead = text[a:b].find(s[:2])
        span_start = lines[j + 1][0] if j + 1 < i else a + max(lead, 0)
        s0, e0 = nt.orig_span(span_start, end_b)
        name_span = f.add("signer", a + max(lead, 0), end_b)
        title = " ".join(" ".join(titles).split()) or None
        return hdr.Signer(authority=authority, authority_body=" ".join(body.split()) if body else None, title=title,
                          name=" ".join(cand.split()), span=Span(start=s0, end=max(e0, name_span.end)))
    return None


_CLOSING = ["Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "CHỦ TỊCH",
            "Nguyễn Văn An", "Lê Thị", "Bình", "Trần Văn Ba Bốn Năm Sáu Bảy", "(Đã ký)", "GIÁM ĐỐC", "Sở Tài chính",
            "\tTrần Văn Hai", "\u00a0Lê Văn Ba", "Đỗ", "| Phạm Thị Tư |", "a b", "1. Mục", "+ Ghi chú", "x" * 80]


def test_signer_equals_plain_version():
    rng = random.Random(3)
    found = 0
    for _ in range(3000):
        text = "\n".join(rng.choice(_CLOSING) + rng.choice(["", " ", "   ", "\t"]) for _ in range(rng.randint(1, 25)))
        nt = normalize(text)
        zone = (0, len(nt.text))
        plain_fields, fields = hdr._Fields(nt), hdr._Fields(nt)
        plain = _plain_signer(nt.text, zone, plain_fields, nt)
        signer = hdr._signer(nt.text, zone, fields, nt)
        assert (signer and signer.model_dump()) == (plain and plain.model_dump()), text
        assert [fs.model_dump() for fs in fields.spans] == [fs.model_dump() for fs in plain_fields.spans]
        found += signer is not None
        for s in text.split("\n"):
            assert hdr._is_name(s) == _plain_is_name(s)
    assert found > 500
