"""Thể thức of the number and symbol (NĐ 30/2020 Phụ lục I mục II.3, Phụ lục III): the type part of the symbol is
the decree's abbreviation of the document's type, written in its exact case (QyĐ, CTr, TTr); a công văn's symbol
has no type part; a number below 10 takes a leading zero. Documents cited in the body are held to the same
abbreviations when the sentence names their type ("Kế hoạch số 12/QĐ-UBND"). Party documents (Hướng dẫn
36-HD/VPTW) and Party citations ("05-CT/TW") are left alone."""
from __future__ import annotations

import re

from ..schema import Document
from . import evidence, finding, register
from .format_scope import field_span, header_of, is_state, quote

# Phụ lục III (administrative types) and the legal normative types of NĐ 78/2025 whose symbol has a type part.
ABBR = {
    "Nghị quyết": "NQ", "Quyết định": "QĐ", "Chỉ thị": "CT", "Quy chế": "QC", "Quy định": "QyĐ", "Thông cáo": "TC",
    "Thông báo": "TB", "Hướng dẫn": "HD", "Chương trình": "CTr", "Kế hoạch": "KH", "Phương án": "PA",
    "Đề án": "ĐA", "Dự án": "DA", "Báo cáo": "BC", "Biên bản": "BB", "Tờ trình": "TTr", "Hợp đồng": "HĐ",
    "Công điện": "CĐ", "Bản ghi nhớ": "BGN", "Bản thỏa thuận": "BTT", "Giấy ủy quyền": "GUQ", "Giấy mời": "GM",
    "Giấy giới thiệu": "GGT", "Giấy nghỉ phép": "GNP", "Phiếu gửi": "PG", "Phiếu chuyển": "PC", "Phiếu báo": "PB",
    "Nghị định": "NĐ", "Thông tư": "TT", "Thông tư liên tịch": "TTLT", "Nghị quyết liên tịch": "NQLT",
}
_BY_ABBR = {v: k for k, v in ABBR.items()}
_FOLDED = {v.upper(): v for v in ABBR.values()}  # "TTR" → "TTr", "QYĐ" → "QyĐ"
_NOT_OWN = {"VBHN", "SY", "TrS", "SL"}  # a consolidated text or a copy: the symbol is not the document's type
_YEAR = re.compile(r"^(?:19|20)\d{2}/")
_PARTY_CODE = re.compile(r"^\d+[a-z]?-")
RULE_SYMBOL = ("NĐ 30/2020/NĐ-CP, Phụ lục I mục II.3 và Phụ lục III: ký hiệu gồm chữ viết tắt tên loại văn bản "
               "(viết đúng như Phụ lục III) và chữ viết tắt tên cơ quan ban hành; công văn không có phần tên loại")
RULE_ZERO_NUMBER = "NĐ 30/2020/NĐ-CP, Phụ lục I mục II.3.b: số của văn bản nhỏ hơn 10 phải ghi thêm số 0 phía trước"


def type_part(symbol: str) -> tuple[str, list[str]]:
    """("QĐ", ["QĐ", "UBND"]) for "QĐ-UBND", year dropped; ("", …) when the symbol has no hyphen."""
    parts = [p for p in _YEAR.sub("", symbol).split("-") if p]
    return (parts[0] if len(parts) > 1 else ""), parts


def _suggest(code: str, old: str, new: str) -> str:
    return re.sub(rf"(?<![^\d/]){re.escape(old)}(?=-)", new, code, count=1)


def _initials(name: str | None) -> str:
    """"CỤC THUẾ" → "CT": a body's own abbreviation may look like a type code (CT is also Chỉ thị)."""
    return "".join(w[0] for w in (name or "").upper().split() if w[0].isalpha())


def _cong_van(doc: Document, h, span):
    """A công văn's symbol is <issuer>-<unit>: a leading type code that is not the issuer's own initials names a
    type the document is not."""
    part, parts = type_part(h.symbol)
    first = part or (parts[0] if parts else "")
    if not part or first.upper() not in _FOLDED or first in _NOT_OWN:
        return
    if any(_initials(x).startswith(first.upper()) for x in (h.issuer, h.parent) if x):
        return
    written = quote(doc, span)
    other = _BY_ABBR[_FOLDED[first.upper()]]
    rest = "-".join(parts[1:])
    fixed = re.sub(rf"/{re.escape(first)}-{re.escape(rest)}", f"/{rest}-…", written, count=1)
    yield finding("format.symbol_type", "Công văn không có phần tên loại trong ký hiệu, nhưng ký hiệu mang "
                  f"\"{first}\" của {other}: ghi \"{fixed}\".", doc, [evidence(doc, span)], rule=RULE_SYMBOL,
                  written=written, suggestion=fixed, expected="", doc_type="Công văn")


@register("format.symbol_type", "error", "Chữ viết tắt tên loại trong ký hiệu văn bản không đúng loại văn bản hoặc "
          "không đúng cách viết của Phụ lục III NĐ 30/2020/NĐ-CP (QyĐ, CTr, TTr); công văn không có phần tên loại.")
def symbol_type(doc: Document):
    h = header_of(doc)
    if not is_state(doc) or not h.symbol:
        return
    span = field_span(h, "number")
    if span is None:
        return
    if h.doc_type == "Công văn" and h.doc_type_source == "vv":
        yield from _cong_van(doc, h, span)
        return
    if h.doc_type_source != "title" or h.doc_type not in ABBR:
        return
    part, _ = type_part(h.symbol)
    want = ABBR[h.doc_type]
    if part == want or part in _NOT_OWN or not part:
        return
    ev = [evidence(doc, span)]
    written = quote(doc, span)
    fixed = _suggest(written, part, want)
    data = {"rule": RULE_SYMBOL, "written": written, "suggestion": fixed, "expected": want, "doc_type": h.doc_type}
    if part.upper() == want.upper():
        yield finding("format.symbol_type", f"Ký hiệu viết \"{part}\"; Phụ lục III viết tắt {h.doc_type} là "
                      f"\"{want}\" (đúng chữ hoa, chữ thường): \"{fixed}\".", doc, ev, **data)
    elif part.upper() in _FOLDED:
        other = _BY_ABBR[_FOLDED[part.upper()]]
        yield finding("format.symbol_type", f"Văn bản là {h.doc_type} nhưng ký hiệu mang chữ viết tắt \"{part}\" "
                      f"của {other}; {h.doc_type} viết tắt là \"{want}\": \"{fixed}\".", doc, ev, **data)


@register("format.cited_symbol_type", "warning", "Văn bản được viện dẫn: tên loại nêu trong câu khác chữ viết tắt tên "
          "loại trong ký hiệu của nó (\"Kế hoạch số 12/QĐ-UBND\") (NĐ 30/2020/NĐ-CP, Phụ lục III).")
def cited_symbol_type(doc: Document):
    if not is_state(doc):
        return
    for c in doc.citations:
        if c.is_self or c.doc_type_source != "text" or not c.symbol or c.doc_type not in ABBR:
            continue
        if c.code and _PARTY_CODE.match(c.code) or "/" in _YEAR.sub("", c.symbol):
            continue  # a Party document ("05-CT/TW", "NQ/TW"): Hướng dẫn 36 has its own codes
        part, _ = type_part(c.symbol)
        want = ABBR[c.doc_type]
        if not part or part.upper() == want.upper() or part.upper() not in _FOLDED or part in _NOT_OWN:
            continue
        other = _BY_ABBR[_FOLDED[part.upper()]]
        yield finding("format.cited_symbol_type", f"Câu viện dẫn gọi văn bản {c.code} là {c.doc_type}, nhưng ký hiệu "
                      f"mang chữ viết tắt \"{part}\" của {other}: sai tên loại hoặc sai số ký hiệu.", doc,
                      [evidence(doc, c.span)], rule=RULE_SYMBOL, code=c.code, doc_type=c.doc_type, symbol_type=other)


_NUMBER = re.compile(r"Số\s*:?\s*(?P<n>\d+)(?=\s*/)")


@register("format.number_zero", "info", "Số văn bản nhỏ hơn 10 thiếu số 0 ở trước (\"Số: 5/KH-UBND\" → "
          "\"Số: 05/KH-UBND\") (NĐ 30/2020/NĐ-CP, Phụ lục I mục II.3).")
def number_zero(doc: Document):
    h = header_of(doc)
    if not is_state(doc) or not h.number or not h.number.isdigit() or int(h.number) >= 10 or len(h.number) > 1:
        return
    span = field_span(h, "number")
    if span is None or not _NUMBER.search(doc.text, span.start, span.end):
        return
    written = quote(doc, span)
    fixed = re.sub(r"(Số\s*:?\s*)(\d)(?=\s*/)", r"\g<1>0\2", written, count=1)
    yield finding("format.number_zero", f"Số văn bản \"{h.number}\" nhỏ hơn 10 phải ghi thêm số 0 ở trước: "
                  f"\"{fixed}\".", doc, [evidence(doc, span)], rule=RULE_ZERO_NUMBER, written=written, suggestion=fixed)
