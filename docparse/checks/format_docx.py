"""Presentation of a DOCX draft (NĐ 30/2020 Điều 5 and Phụ lục I): A4 paper, margins, Times New Roman, the size and
weight of each component of the header and closing block, and page numbers in the top margin from page 2. Only a
.docx carries these facts (Document.presentation, read from the file by docparse.presentation); plain text, Markdown
and PDF copies
get the textual format rules only, as their descriptions say."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..presentation import presentation_of
from ..schema import Document, ParagraphStyle, Span
from . import evidence, finding, register
from .format_scope import field_span, header_of, is_state
from .format_signer import caps

DOCX_ONLY = " Chỉ áp dụng cho tệp .docx (bản .txt, .md, .pdf không mang thông tin trình bày)."
RULE_PAGE = ("NĐ 30/2020/NĐ-CP, Phụ lục I mục I.2-3: khổ giấy A4 (210 mm x 297 mm); lề trên 20-25 mm, lề dưới "
             "20-25 mm, lề trái 30-35 mm, lề phải 15-20 mm")
RULE_FONT = "NĐ 30/2020/NĐ-CP, Phụ lục I mục I.1: phông chữ tiếng Việt Times New Roman, bộ mã Unicode (TCVN 6909:2001)"
RULE_PAGE_NUMBER = ("NĐ 30/2020/NĐ-CP, Phụ lục I mục I.5: số trang đánh bằng chữ số Ả Rập, cỡ 13-14, đặt canh giữa "
                    "trong phần lề trên, không hiển thị số trang thứ nhất")
_MARGINS = (("margin_top_mm", "lề trên", 20, 25), ("margin_bottom_mm", "lề dưới", 20, 25),
            ("margin_left_mm", "lề trái", 30, 35), ("margin_right_mm", "lề phải", 15, 20))
_TOLERANCE_MM = 0.5
_NATIONAL = re.compile(r"C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM", re.IGNORECASE)
_MOTTO = re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc", re.IGNORECASE)
_NOI_NHAN = re.compile(r"Nơi\s+nhận\s*:?", re.IGNORECASE)


def _anchor(doc: Document) -> list:
    """Page setup has no text of its own: the evidence is the document's first line."""
    end = doc.text.find("\n")
    end = len(doc.text) if end < 0 else end
    return [evidence(doc, Span(start=0, end=min(end, 120)))] if end > 0 else []


@register("format.docx_page", "warning", "Khổ giấy không phải A4 hoặc lề trang ngoài khoảng quy định "
          "(NĐ 30/2020/NĐ-CP, Phụ lục I)." + DOCX_ONLY)
def docx_page(doc: Document):
    p = presentation_of(doc)
    if p is None or not is_state(doc):
        return
    w, h = p.page_width_mm, p.page_height_mm
    if w and h and not (abs(min(w, h) - 210) <= 1.5 and abs(max(w, h) - 297) <= 1.5):
        yield finding("format.docx_page", f"Khổ giấy {w:g} x {h:g} mm, không phải A4 (210 x 297 mm).", doc,
                      _anchor(doc), rule=RULE_PAGE, written=f"{w:g} x {h:g} mm", suggestion="A4 (210 x 297 mm)")
    for name, label, lo, hi in _MARGINS:
        value = getattr(p, name)
        if value is not None and not (lo - _TOLERANCE_MM <= value <= hi + _TOLERANCE_MM):
            yield finding("format.docx_page", f"{label.capitalize()} {value:g} mm, ngoài khoảng {lo}-{hi} mm.", doc,
                          _anchor(doc), rule=RULE_PAGE, component=label, written=f"{value:g} mm",
                          suggestion=f"{lo}-{hi} mm")


def _is_tnr(font: str) -> bool:
    return " ".join(font.lower().split()) == "times new roman"


@register("format.docx_font", "warning", "Văn bản dùng phông chữ khác Times New Roman (NĐ 30/2020/NĐ-CP, Phụ lục I)."
          + DOCX_ONLY)
def docx_font(doc: Document):
    p = presentation_of(doc)
    if p is None or not is_state(doc):
        return
    by_font: dict[str, list[ParagraphStyle]] = {}
    for para in p.paragraphs:
        for font in para.fonts:
            if not _is_tnr(font):
                by_font.setdefault(font, []).append(para)
    for font, paras in by_font.items():
        shown = "phông của chủ đề (theme)" if font == "(theme)" else f"phông {font}"
        yield finding("format.docx_font", f"{len(paras)} đoạn dùng {shown}; văn bản phải dùng Times New Roman.", doc,
                      [evidence(doc, q.span) for q in paras[:3]], rule=RULE_FONT, written=font, count=len(paras),
                      suggestion="Times New Roman")


@dataclass(frozen=True)
class Look:
    """What Phụ lục I prescribes for one component: a size range, and bold / italic when it says so."""

    label: str
    lo: float
    hi: float
    bold: bool | None
    italic: bool | None

    def describe(self) -> str:
        size = f"cỡ {self.lo:g}" if self.lo == self.hi else f"cỡ {self.lo:g}-{self.hi:g}"
        parts = [size]
        if self.bold is not None:
            parts.append("in đậm" if self.bold else "không in đậm")
        if self.italic is not None:
            parts.append("in nghiêng" if self.italic else "kiểu chữ đứng")
        return ", ".join(parts)


LOOKS = {
    "national": Look("Quốc hiệu", 12, 13, True, False),
    "motto": Look("Tiêu ngữ", 13, 14, True, False),
    "parent": Look("Tên cơ quan chủ quản", 12, 13, False, False),
    "issuer": Look("Tên cơ quan ban hành", 12, 13, True, False),
    "number": Look("Số, ký hiệu", 13, 13, None, False),
    "date": Look("Địa danh và thời gian ban hành", 13, 14, None, True),
    "doc_type": Look("Tên loại văn bản", 13, 14, True, False),
    "title": Look("Trích yếu nội dung", 13, 14, True, False),
    "subject_vv": Look("Trích yếu công văn (V/v)", 12, 13, None, False),
    "signer_title": Look("Quyền hạn, chức vụ người ký", 13, 14, True, False),
    "signer_name": Look("Họ tên người ký", 13, 14, True, False),
    "noi_nhan": Look("Từ \"Nơi nhận\"", 12, 12, True, True),
    "cc": Look("Danh sách nơi nhận", 11, 11, None, False),
}
RULE_LOOK = "NĐ 30/2020/NĐ-CP, Phụ lục I mục II (kiểu chữ, cỡ chữ của từng thành phần thể thức)"


def _component_spans(doc: Document) -> list[tuple[str, Span]]:
    h = header_of(doc)
    out: list[tuple[str, Span]] = []
    head_end = h.span.end + 300 if h.span else 3000
    for key, rx in (("national", _NATIONAL), ("motto", _MOTTO)):
        m = rx.search(doc.text, 0, head_end)
        if m:
            out.append((key, Span(start=m.start(), end=m.end())))
    for key in ("parent", "issuer", "number", "doc_type", "title", "subject_vv"):
        span = field_span(h, key)
        if span is not None:
            out.append((key, span))
    place, date = field_span(h, "place"), field_span(h, "date")
    if date is not None:
        out.append(("date", Span(start=min(date.start, place.start if place else date.start), end=date.end)))
    if h.signer is not None and field_span(h, "signer") is not None:
        name = field_span(h, "signer")
        out.append(("signer_name", name))
        if h.signer.span.start < name.start:
            out.append(("signer_title", Span(start=h.signer.span.start, end=name.start)))
    cc = field_span(h, "cc")
    if cc is not None:
        m = None
        for m in _NOI_NHAN.finditer(doc.text, max(0, cc.start - 200), cc.start):
            pass
        if m:
            out.append(("noi_nhan", Span(start=m.start(), end=m.end())))
        out.append(("cc", cc))
    return out


def _overlapping(paras: list[ParagraphStyle], span: Span) -> list[ParagraphStyle]:
    return [q for q in paras if q.span.start < span.end and span.start < q.span.end]


def _deviations(look: Look, paras: list[ParagraphStyle]) -> list[str]:
    out = []
    sizes = sorted({s for q in paras for s in q.sizes})
    wrong = [s for s in sizes if not look.lo <= s <= look.hi]
    if wrong:
        out.append("cỡ " + ", ".join(f"{s:g}" for s in sizes))
    bold = {q.bold for q in paras}
    if look.bold is True and (False in bold or None in bold):
        out.append("không in đậm" if bold == {False} else "in đậm không hết")
    elif look.bold is False and (True in bold or None in bold):
        out.append("in đậm")
    italic = {q.italic for q in paras}
    if look.italic is True and (False in italic or None in italic):
        out.append("không in nghiêng" if italic == {False} else "in nghiêng không hết")
    elif look.italic is False and (True in italic or None in italic):
        out.append("in nghiêng")
    return out


@register("format.docx_style", "info", "Cỡ chữ, chữ đậm hoặc nghiêng của một thành phần thể thức không đúng Phụ lục I "
          "NĐ 30/2020/NĐ-CP (quốc hiệu, tiêu ngữ, tên cơ quan, số ký hiệu, ngày tháng, tên loại, trích yếu, nội dung, "
          "chữ ký, nơi nhận)." + DOCX_ONLY)
def docx_style(doc: Document):
    p = presentation_of(doc)
    if p is None or not is_state(doc):
        return
    paras = [q for q in p.paragraphs if q.sizes or q.bold is not None]
    for key, span in _component_spans(doc):
        look = LOOKS[key]
        mine = [q for q in _overlapping(paras, span) if q.span.end - q.span.start <= 4 * (span.end - span.start) + 40]
        if key == "signer_title":  # the Nơi nhận column may lie inside the span: only the capital lines
            mine = [q for q in mine if caps(doc.text[q.span.start:q.span.end])
                    and not doc.text[q.span.start:q.span.end].lstrip().startswith(("-", "+"))]
        if not mine:
            continue
        wrong = _deviations(look, mine)
        if wrong:
            yield finding("format.docx_style", f"{look.label}: {', '.join(wrong)}; quy định {look.describe()}.", doc,
                          [evidence(doc, span)], rule=RULE_LOOK, component=look.label, written=", ".join(wrong),
                          suggestion=look.describe())
    yield from _body(doc, paras)


def _body(doc: Document, paras: list[ParagraphStyle]):
    """Body paragraphs (outside tables, between the trích yếu and the closing block) outside cỡ 13-14."""
    h = header_of(doc)
    start = h.span.end if h.span else 0
    ends = [s.start for s in (field_span(h, "cc"), field_span(h, "signer")) if s is not None]
    m = _NOI_NHAN.search(doc.text, start)
    if m:
        ends.append(m.start())
    end = min(ends) if ends else len(doc.text)
    wrong = [q for q in paras if not q.in_table and start <= q.span.start < end and q.sizes
             and any(not 13 <= s <= 14 for s in q.sizes)]
    if wrong:
        sizes = sorted({s for q in wrong for s in q.sizes if not 13 <= s <= 14})
        yield finding("format.docx_style", f"Nội dung: {len(wrong)} đoạn cỡ {', '.join(f'{s:g}' for s in sizes)}; "
                      "quy định cỡ 13-14.", doc, [evidence(doc, q.span) for q in wrong[:3]], rule=RULE_LOOK,
                      component="Nội dung", count=len(wrong), suggestion="cỡ 13-14")


_ONE_PAGE_CHARS = 3000  # an A4 page in cỡ 13-14 holds about 2 500-3 000 characters


@register("format.docx_page_number", "info", "Số trang: phải đặt ở lề trên, không hiển thị ở trang thứ nhất; văn bản "
          "nhiều trang phải đánh số trang (NĐ 30/2020/NĐ-CP, Phụ lục I)." + DOCX_ONLY)
def docx_page_number(doc: Document):
    p = presentation_of(doc)
    if p is None or not is_state(doc):
        return
    if p.page_number == "none":
        if len(doc.text) > _ONE_PAGE_CHARS:
            yield finding("format.docx_page_number", "Văn bản dài hơn một trang nhưng không đánh số trang.", doc,
                          _anchor(doc), rule=RULE_PAGE_NUMBER, suggestion="trường PAGE canh giữa ở đầu trang, "
                          "ẩn ở trang đầu (Different First Page)")
        return
    if p.page_number == "footer":
        yield finding("format.docx_page_number", "Số trang đặt ở chân trang; quy định đặt canh giữa trong lề trên.",
                      doc, _anchor(doc), rule=RULE_PAGE_NUMBER, written="chân trang", suggestion="đầu trang (lề trên)")
    if p.page_number_first_page:
        yield finding("format.docx_page_number", "Số trang hiển thị cả ở trang thứ nhất; quy định không hiển thị số "
                      "trang thứ nhất.", doc, _anchor(doc), rule=RULE_PAGE_NUMBER, written="hiện ở trang 1",
                      suggestion="chọn \"Different First Page\" cho phần đầu trang")
