"""The components of an administrative document (NĐ 30/2020 Điều 8 and Phụ lục I): present, and in the order of the
layout grid. Missing components are not judged on a legal portal's copy (Markdown, or Markdown saved as .txt): the
portal drops or truncates the closing block and at times the header, so there "missing" would mostly describe the
portal. The order of the components is judged on every copy, as the text keeps it; the closing mark "./." on a
portal copy only when it is written wrong."""
from __future__ import annotations

import re

from ..presentation import presentation_of
from ..schema import Document, Span
from . import evidence, finding, register
from .format_scope import field_span, head_text, header_of, is_elected_body, is_state, portal_copy

_NATIONAL = re.compile(r"C[ỘO]NG\s+H(?:ÒA|OÀ|OA)\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM", re.IGNORECASE)
_MOTTO = re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc", re.IGNORECASE)
_NOI_NHAN = re.compile(r"^[ \t|*_]*(?:Nơi|NƠI)\s+(?:nhận|NHẬN)", re.MULTILINE)
_NEEDS_PARENT = re.compile(r"^(?:SỞ|CỤC|CHI CỤC|TỔNG CỤC|VỤ|PHÒNG|TRUNG TÂM|BAN QUẢN LÝ|VĂN PHÒNG(?! (?:CHÍNH PHỦ|QUỐC "
                           r"HỘI|CHỦ TỊCH NƯỚC|TRUNG ƯƠNG)))\b")
RULE_COMPONENTS = ("NĐ 30/2020/NĐ-CP, Điều 8 khoản 1 và Phụ lục I: quốc hiệu và tiêu ngữ; tên cơ quan ban hành "
                   "(và cơ quan chủ quản trực tiếp, nếu có); số, ký hiệu; địa danh và thời gian ban hành; tên loại và "
                   "trích yếu nội dung; nội dung; chức vụ, họ tên và chữ ký của người có thẩm quyền; nơi nhận")
RULE_LUU = "NĐ 30/2020/NĐ-CP, Phụ lục I mục II.9: nơi nhận kết thúc bằng \"- Lưu: VT, …\" (bản lưu tại Văn thư)"
RULE_END = "NĐ 30/2020/NĐ-CP, Phụ lục I mục II.6: phần nội dung kết thúc bằng dấu chấm và gạch chéo \"./.\""


_GRID_GAP = re.compile(r"\t| {3,}")


def _closing_intact(doc: Document) -> bool:
    """Whether the closing grid (Nơi nhận beside the signature) survived as lines of its own: always in a DOCX read
    from its file (its tables are read paragraph by paragraph), in plain text when the signer's title and name stand
    on lines of their own. A conversion that flattens the grid writes "CHỦ TỊCH     Nguyễn Văn A" on one line and
    often loses the Nơi nhận cell; there a missing Nơi nhận says nothing."""
    if presentation_of(doc) is not None:
        return True
    s = header_of(doc).signer
    if s is None or field_span(header_of(doc), "signer") is None:
        return False
    block = doc.text[s.span.start:s.span.end]
    return "\n" in block.strip() and not _GRID_GAP.search(block)


def _missing(doc: Document) -> list[tuple[str, str | None]]:
    """(component, the form to write) for each mandatory component the text lacks. A row of the header grid is
    judged only when one of its cells is there: a conversion that lost the whole row (a text box, a dropped table)
    is no evidence against the document."""
    h = header_of(doc)
    head = head_text(doc, 4000)
    out: list[tuple[str, str | None]] = []
    national, motto, issuer = bool(_NATIONAL.search(head)), bool(_MOTTO.search(head)), field_span(h, "issuer")
    if national or motto or issuer:
        if not national:
            out.append(("quốc hiệu", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
        if not motto:
            out.append(("tiêu ngữ", "Độc lập - Tự do - Hạnh phúc"))
        if not issuer:
            out.append(("tên cơ quan ban hành", None))
        elif not h.parent and _NEEDS_PARENT.match(h.issuer or ""):
            out.append(("tên cơ quan chủ quản trực tiếp", None))
    number, date = field_span(h, "number"), field_span(h, "date")
    if number or date:
        if not number:
            out.append(("số, ký hiệu", "Số: …/…-…"))
        if not date:
            out.append(("địa danh và thời gian ban hành", "<Địa danh>, ngày … tháng … năm …"))
        elif not field_span(h, "place"):
            out.append(("địa danh", "<Địa danh>, ngày … tháng … năm …"))
    if not (national or issuer or number):
        return out
    if h.doc_type == "Công văn":
        if not field_span(h, "subject_vv"):
            out.append(("trích yếu (V/v …)", "V/v …"))
    elif not field_span(h, "doc_type"):
        out.append(("tên loại văn bản", None))
    elif not field_span(h, "title"):
        out.append(("trích yếu nội dung", None))
    if presentation_of(doc) is not None and not field_span(h, "signer"):
        out.append(("chức vụ, họ tên người ký", None))
    if _closing_intact(doc) and not h.cc and not _NOI_NHAN.search(doc.text):
        out.append(("nơi nhận", "Nơi nhận: … - Lưu: VT, …"))
    return out


@register("format.missing_component", "warning", "Thiếu thành phần thể thức bắt buộc của văn bản hành chính "
          "(NĐ 30/2020/NĐ-CP, Điều 8, Phụ lục I). Không xét bản sao của cổng pháp luật (Markdown), vốn làm mất bố "
          "cục; khối chữ ký và nơi nhận chỉ xét khi bố cục của chúng còn nguyên.")
def missing_component(doc: Document):
    h = header_of(doc)
    if not is_state(doc) or portal_copy(doc) or is_elected_body(h):
        return
    if doc.format == "docx" and presentation_of(doc) is None:
        return  # a DOCX given as bytes: its grids are flattened into lines, no evidence of a missing part
    anchor = h.span or Span(start=0, end=min(len(doc.text), 80))
    for component, form in _missing(doc):
        data = {"rule": RULE_COMPONENTS, "component": component}
        if form:
            data["suggestion"] = form
        yield finding("format.missing_component", f"Thiếu {component}.", doc, [evidence(doc, anchor)], **data)
    span = field_span(h, "cc")
    if h.cc and span is not None and not h.cc[-1].lower().startswith("lưu") and _closing_intact(doc) \
            and doc.text[span.end:].strip():
        yield finding("format.missing_component", "Nơi nhận không kết thúc bằng \"- Lưu: VT, …\".", doc,
                      [evidence(doc, span)], rule=RULE_LUU, component="Lưu: VT", suggestion="- Lưu: VT, …")


_BODY_END = re.compile(r"\./\.|\.\s*/\s*\.")
_LAST_SENTENCE = re.compile(r"[^\s|*_>#]")
_MALFORMED_END = re.compile(r"(?:\./|/\.|\.//|//\.|\./\.\.)[\s*_]*$")


def _body_end(doc: Document) -> int | None:
    """Where the body stops: the "Nơi nhận" line or the signer block, whichever comes first after the title."""
    h = header_of(doc)
    start = h.span.end if h.span else 0
    nn = _NOI_NHAN.search(doc.text, start)
    ends = [nn.start()] if nn else []
    if h.signer is not None and field_span(h, "signer") is not None and h.signer.span.start > start:
        ends.append(h.signer.span.start)
    return min(ends) if ends else None


@register("format.body_end", "info", "Phần nội dung không kết thúc bằng \"./.\" (NĐ 30/2020/NĐ-CP, Phụ lục I).")
def body_end(doc: Document):
    h = header_of(doc)
    if not is_state(doc) or is_elected_body(h) or h.doc_type in ("Luật", "Bộ luật", "Pháp lệnh"):
        return
    end = _body_end(doc)
    if end is None:
        return
    window = doc.text[max(0, end - 2500):end]
    if _BODY_END.search(window):
        return
    tail = window.rstrip(" \t\n|*_>#")
    cut = max(tail.rfind("\n", 0, len(tail) - 1), 0)
    last = tail[cut:].strip(" \t\n|*_>#")
    if not last or not _LAST_SENTENCE.search(last):
        return
    if portal_copy(doc) and not _MALFORMED_END.search(last):
        return  # portal copies are seen to drop the mark; only a mark written wrong ("./", "/.") is the document's
    a = max(0, end - 2500) + tail.rfind(last)
    span = Span(start=a, end=a + len(last))
    fixed = re.sub(r"[.;:/]*$", "", last) + "./."
    yield finding("format.body_end", "Phần nội dung không kết thúc bằng dấu \"./.\".", doc, [evidence(doc, span)],
                  rule=RULE_END, written=last[-60:], suggestion=fixed[-60:])


_SO_NO_COLON = re.compile(r"[ \t|*#_]*(Số)(?![ \t]*:)(?=[ \t]*\d)")
_NOI_NHAN_NO_COLON = re.compile(r"[ \t|*_]*((?:Nơi|NƠI)\s+(?:nhận|NHẬN))(?=[ \t*_]*(?:\n|$|-))")  # the list follows
_LUU_NO_COLON = re.compile(r"(?:^|(?<=[\s;.]))[ \t|*_]*[-+][ \t]*(Lưu)(?![ \t]*:)[ \t]+(?=VT|Văn thư|VP)",
                           re.MULTILINE)  # a DOCX cell's items run on one line
RULE_MARKS = ("NĐ 30/2020/NĐ-CP, Phụ lục I: \"Số\", \"Nơi nhận\" và \"Lưu\" có dấu hai chấm (\"Số: 15/QĐ-BNV\", "
              "\"Nơi nhận:\", \"- Lưu: VT, …\")")


@register("format.punctuation", "info", "Thiếu dấu hai chấm sau \"Số\", \"Nơi nhận\" hoặc \"Lưu\" (NĐ 30/2020/NĐ-CP, "
          "Phụ lục I).")
def punctuation(doc: Document):
    h = header_of(doc)
    if not is_state(doc):
        return
    marks = []
    number = field_span(h, "number")
    if number is not None:
        marks.append(_SO_NO_COLON.match(doc.text, number.start, number.end))
    start = h.span.end if h.span else 0
    first = _NOI_NHAN.search(doc.text, start)  # the block's own label, not a later "Nơi nhận kết quả"
    if first is not None:
        marks.append(_NOI_NHAN_NO_COLON.match(doc.text, first.start()))
    cc = field_span(h, "cc")
    if cc is not None:
        marks.append(_LUU_NO_COLON.search(doc.text, max(0, cc.start - 2), cc.end))
    for m in marks:
        if m is None:
            continue
        word = " ".join(m.group(1).split())
        line_end = doc.text.find("\n", m.end(1))
        line_end = len(doc.text) if line_end < 0 else line_end
        span = Span(start=m.start(1), end=max(m.end(1), min(line_end, m.start(1) + 80)))
        written = " ".join(doc.text[span.start:span.end].replace("*", "").split()).rstrip(" |")
        fixed = written.replace(word, f"{word}:", 1)
        yield finding("format.punctuation", f"\"{word}\" thiếu dấu hai chấm: \"{fixed}\".", doc, [evidence(doc, span)],
                      rule=RULE_MARKS, written=written, suggestion=fixed)


@register("format.component_order", "warning", "Các thành phần thể thức không đúng thứ tự: số, ký hiệu và ngày "
          "tháng ở phần đầu, trên tên loại văn bản; chữ ký và nơi nhận sau phần nội dung (NĐ 30/2020/NĐ-CP, "
          "Phụ lục I).")
def component_order(doc: Document):
    h = header_of(doc)
    if not is_state(doc):
        return
    title = field_span(h, "doc_type")
    signer = field_span(h, "signer")
    if title is None or field_span(h, "place") is None or is_elected_body(h):
        return  # a law or resolution of an elected body is dated at its end, by the day it was adopted
    for name, label in (("number", "Số, ký hiệu"), ("date", "Địa danh và ngày tháng")):
        span = field_span(h, name)
        if span is not None and span.start > title.end and (signer is None or span.start < signer.start):
            yield finding("format.component_order", f"{label} nằm dưới tên loại văn bản; theo Phụ lục I phải ở phần "
                          "đầu văn bản, trên tên loại.", doc, [evidence(doc, span), evidence(doc, title)],
                          rule="NĐ 30/2020/NĐ-CP, Phụ lục I mục I (sơ đồ bố trí các thành phần thể thức)",
                          component=label)
    if signer is not None and signer.start < title.start:
        yield finding("format.component_order", "Chữ ký đứng trước tên loại văn bản.", doc,
                      [evidence(doc, signer), evidence(doc, title)],
                      rule="NĐ 30/2020/NĐ-CP, Phụ lục I mục I (sơ đồ bố trí các thành phần thể thức)",
                      component="chữ ký")
