"""The signature block (NĐ 30/2020 Điều 13 and Phụ lục I mục II.7): "TM." before the collective body the signer acts
for, which is the issuing body, and only then (a Quyết định says who decides on the line above "Căn cứ": the Ủy ban
nhân dân, or its Chủ tịch in person); "KT." before the head's title, then a deputy's title; a deputy never signs without
"KT." (or "Q.", "TL.", "TUQ."); the head's title fits the issuing body (Chủ tịch for an Ủy ban nhân dân, Giám đốc for
a Sở …). Party documents (T/M, K/T, Hướng dẫn 36) and resolutions of elected bodies are not judged here."""
from __future__ import annotations

import re
import unicodedata

from ..schema import Document
from . import evidence, finding, register
from .format_scope import field_span, header_of, is_elected_body, is_state, text_lines

RULE_SIGNER = ("NĐ 30/2020/NĐ-CP, Điều 13 và Phụ lục I mục II.7.a: ký thay mặt tập thể ghi \"TM.\" trước tên tập "
               "thể; cấp phó ký thay người đứng đầu ghi \"KT.\" trước chức vụ của người đứng đầu, dưới là chức vụ "
               "của người ký; ký thừa lệnh ghi \"TL.\", thừa ủy quyền ghi \"TUQ.\"")
_AUTH = re.compile(r"(?<![^\W\d_])(TM|KT|TL|TUQ|Q)\s*\.\s*")
_AUTH_NO_DOT = re.compile(r"^(TM|KT|TL|TUQ)\s+(?=[A-ZĐÀ-Ỹ]{2})")  # "KT GIÁM ĐỐC": the prefix without its dot
_AUTH_PARTY = re.compile(r"^(T/M|K/T|T/L)\.?\s*(?=[A-ZĐÀ-Ỹ])")  # the Party's form (Hướng dẫn 36) in a state document
_DEPUTY = re.compile(r"(?:PHÓ\s+[A-ZĐÀ-Ỹ ,]+|THỨ\s+[A-ZĐÀ-Ỹ ]+)\s*$")
_TITLE = re.compile(r"\s(?:PHÓ\s+)?(?:CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|GIÁM ĐỐC|CỤC TRƯỞNG|CHÁNH VĂN PHÒNG|CHÁNH THANH TRA|"
                    r"CHỦ NHIỆM|TRƯỞNG BAN|TỔNG GIÁM ĐỐC|VIỆN TRƯỞNG|HIỆU TRƯỞNG|CHÁNH ÁN)\b")
_BODY_NAME = re.compile(r"^(?:ỦY BAN|HỘI ĐỒNG|BỘ|SỞ|CỤC|TỔNG CỤC|CHÍNH PHỦ|THỦ TƯỚNG|VĂN PHÒNG|BAN|TRUNG TÂM|"
                        r"THANH TRA|KIỂM TOÁN|NGÂN HÀNG)\b")
_MARKUP = re.compile(r"[*_|#]")
# The head of an issuing body, by how the body's name begins (after UBND / UỶ are spelt out).
_HEADS = (
    (re.compile(r"^ỦY BAN NHÂN DÂN\b"), ("CHỦ TỊCH",)),
    (re.compile(r"^HỘI ĐỒNG NHÂN DÂN\b"), ("CHỦ TỊCH",)),
    (re.compile(r"^CHÍNH PHỦ$"), ("THỦ TƯỚNG",)),
    (re.compile(r"^THỦ TƯỚNG CHÍNH PHỦ$"), ("THỦ TƯỚNG",)),
    (re.compile(r"^VĂN PHÒNG CHÍNH PHỦ$"), ("BỘ TRƯỞNG CHỦ NHIỆM", "BỘ TRƯỞNG", "CHỦ NHIỆM")),
    (re.compile(r"^BỘ\b"), ("BỘ TRƯỞNG",)),
    (re.compile(r"^SỞ\b"), ("GIÁM ĐỐC",)),
    (re.compile(r"^CỤC\b"), ("CỤC TRƯỞNG",)),
    (re.compile(r"^VĂN PHÒNG (?:ỦY BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|ĐOÀN)\b"), ("CHÁNH VĂN PHÒNG",)),
    (re.compile(r"^THANH TRA (?:TỈNH|THÀNH PHỐ)\b"), ("CHÁNH THANH TRA",)),
)


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFC", s).upper().replace("UỶ", "ỦY").replace("HOÀ", "HÒA")
    s = re.sub(r"\bUBND\b", "ỦY BAN NHÂN DÂN", s)
    s = re.sub(r"\bHĐND\b", "HỘI ĐỒNG NHÂN DÂN", s)
    return " ".join(s.replace(",", " ").split())


def caps(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def _block_lines(doc: Document, start: int, end: int) -> list[str]:
    """The block's lines, with the capital or prefix lines just above its start (a "TL. CỤC TRƯỞNG" the extractor
    left above the span), at most four."""
    lines = text_lines(doc, start, end, above=4)
    inside = text_lines(doc, start, end)
    before = lines[:len(lines) - len(inside)]
    above: list[str] = []
    for raw in reversed(before):
        line = _MARKUP.sub("", raw).strip()
        if not line:
            continue
        if not (_AUTH.match(line) or _AUTH_NO_DOT.match(line) or _AUTH_PARTY.match(line) or caps(line)) \
                or line.endswith((";", ".", ",")) and not _AUTH.fullmatch(line):
            break
        above.insert(0, line)
    return above + inside


def signer_parts(lines_in: list[str]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """([("TM", "ỦY BAN NHÂN DÂN"), ("KT", "CHỦ TỊCH PHÓ CHỦ TỊCH")], [(prefix as written, prefix)] for a prefix
    written without its dot or in the Party's form "T/M") from the
    block's capital lines; a Nơi nhận list interleaved with it and the signer's name are left out; ("", title) for
    a title with no prefix."""
    lines: list[str] = []
    undotted: list[tuple[str, str]] = []
    for raw in lines_in:
        line = _MARKUP.sub("", raw).strip()
        if not line:
            continue
        if line.startswith(("-", "+")) or line.lower().startswith("nơi nhận"):
            lines = []  # the recipients' column, interleaved: the signature starts after it
            continue
        bare = _AUTH_NO_DOT.match(line) or _AUTH_PARTY.match(line)
        if bare:
            prefix = bare.group(1).replace("/", "")
            undotted.append((bare.group(1), prefix))
            line = f"{prefix}. {line[bare.end():]}"
        if _AUTH.match(line) or (caps(line) and not line.endswith((";", ","))):
            lines.append(line)
        elif lines and not line.endswith((";", ",")):
            break  # the name
    joined = " ".join(lines)
    parts: list[tuple[str, str]] = []
    pos, prefix = 0, ""
    for m in _AUTH.finditer(joined):
        if joined[pos:m.start()].strip() or prefix:
            parts.append((prefix, _norm(joined[pos:m.start()])))
        prefix, pos = m.group(1), m.end()
    if joined[pos:].strip() or prefix:
        parts.append((prefix, _norm(joined[pos:])))
    return parts, undotted


# The line naming who decides, right above "Căn cứ": "ỦY BAN NHÂN DÂN TỈNH …" (the collective) or "CHỦ TỊCH ỦY BAN
# NHÂN DÂN TỈNH …" (its chairman, in person).
_DECIDER = re.compile(r"(CHỦ TỊCH )?(?:ỦY|UỶ) BAN NHÂN DÂN (?:TỈNH|THÀNH PHỐ|XÃ|PHƯỜNG|ĐẶC KHU) [A-ZĐÀ-Ỹ \-]{2,40}")
_BASIS = re.compile(r"^[ \t*_|#]*Căn[ \t]+cứ", re.MULTILINE)
_RULE_LINE = re.compile(r"^[-_=.–—\s]+$")


def decider(doc: Document, h) -> bool | None:
    """True when a Quyết định or Chỉ thị is issued by the Ủy ban nhân dân as a collective, False by its Chủ tịch in
    person, None when the line right above the first "Căn cứ" (one line, or two when it wraps) is not one of
    these."""
    title = field_span(h, "doc_type")
    if title is None or h.doc_type not in ("Quyết định", "Chỉ thị"):
        return None
    basis = _BASIS.search(doc.text, title.end, title.end + 2000)
    if basis is None:
        return None
    lines = [ln for ln in (_MARKUP.sub("", x).strip() for x in doc.text[title.end:basis.start()].split("\n"))
             if ln and not _RULE_LINE.match(ln)]
    for tail in (lines[-1:], lines[-2:]):
        m = _DECIDER.fullmatch(" ".join(" ".join(tail).split()))
        if m:
            return m.group(1) is None
    return None


def _expected_heads(issuer: str) -> tuple[str, ...] | None:
    name = _norm(issuer)
    return next((heads for rx, heads in _HEADS if rx.search(name)), None)


def _problems(parts: list[tuple[str, str]], issuer: str | None):
    """(problem id, message, suggestion or None) for each rule the block breaks."""
    prefixes = [p for p, _ in parts]
    last_prefix, last = parts[-1]
    deputy = _DEPUTY.search(last)
    if "KT" in prefixes:
        kt = dict(parts)["KT"]
        if not _DEPUTY.search(kt):
            yield ("kt_without_deputy", (f"\"KT. {kt}\": sau \"KT.\" và chức vụ của người đứng đầu phải là chức vụ "
                                         "của cấp phó ký thay."), None)
    elif deputy and deputy.start() == 0 and not {"Q", "TL", "TUQ"} & set(prefixes):
        head = last[len("PHÓ "):].strip() if last.startswith("PHÓ ") else "BỘ TRƯỞNG"
        yield ("deputy_without_kt", f"Cấp phó (\"{last}\") ký thay người đứng đầu phải ghi \"KT. {head}\" ở trên.",
               f"KT. {head}\n{last}")
        return  # the head's title is missing with the prefix: one finding says both
    if not issuer:
        return
    name = _norm(issuer)
    if not _BODY_NAME.match(name):
        return  # not a body's name (the extractor took another line): nothing to compare with
    if "TM" in prefixes:
        body = dict(parts)["TM"]
        title = _TITLE.search(" " + body)
        body = body[:title.start()].strip() if title else body
        if body and not (name.startswith(body) or body.startswith(name)):
            yield ("tm_body", f"\"TM. {body}\" không phải tên cơ quan ban hành (\"{name}\").", f"TM. {name}")
    heads = _expected_heads(issuer)
    if heads is None:
        return
    if {"TL", "TUQ"} & set(prefixes):
        head = next(t for p, t in parts if p in ("TL", "TUQ"))
    elif "KT" in prefixes:
        kt = dict(parts)["KT"]
        m = _DEPUTY.search(kt)
        head = kt[:m.start()].strip() if m else kt
    else:
        head = last[:deputy.start()].strip() if deputy and deputy.start() > 0 else last
        if "TM" in prefixes and last_prefix == "TM":
            return  # "TM. ỦY BAN NHÂN DÂN" with the title on the same line as the body: not separable
    if head and not any(head == h or head.startswith(h + " ") for h in heads):
        yield ("head_title", f"Chức vụ \"{head}\" không phải chức vụ người đứng đầu {name} ({' / '.join(heads)}).",
               None)


@register("format.signer_authority", "warning", "Khối chữ ký sai quyền hạn hoặc chức vụ: \"TM.\" phải đứng trước tên "
          "cơ quan ban hành, \"KT.\" phải kèm chức vụ cấp phó, cấp phó ký phải có \"KT.\", chức vụ người đứng đầu phải "
          "đúng với cơ quan ban hành (NĐ 30/2020/NĐ-CP, Điều 13, Phụ lục I mục II.7).")
def signer_authority(doc: Document):
    h = header_of(doc)
    if not is_state(doc) or is_elected_body(h) or h.signer is None or field_span(h, "signer") is None:
        return
    parts, undotted = signer_parts(_block_lines(doc, h.signer.span.start, h.signer.span.end))
    if not parts:
        return
    for written, prefix in undotted:
        how = "là cách ghi của văn bản Đảng" if "/" in written else "thiếu dấu chấm"
        yield finding("format.signer_authority", f"Quyền hạn ký \"{written}\" {how}: văn bản hành chính ghi "
                      f"\"{prefix}.\".", doc, [evidence(doc, h.signer.span)], rule=RULE_SIGNER, problem="prefix_form",
                      written=written, suggestion=f"{prefix}.")
    issuer = h.issuer
    if issuer and h.parent and _norm(h.parent) in ("VĂN PHÒNG", "VĂN"):
        issuer = f"{h.parent} {issuer}"  # "VĂN PHÒNG" / "CHÍNH PHỦ" read as two lines of the header
    collective, prefixes = decider(doc, h), {p for p, _ in parts}
    if collective and not prefixes & {"TM", "TL", "TUQ"}:
        yield finding("format.signer_authority", "Văn bản do Ủy ban nhân dân (tập thể) ban hành nhưng khối chữ ký thiếu "
                      "\"TM. ỦY BAN NHÂN DÂN\".", doc, [evidence(doc, h.signer.span)], rule=RULE_SIGNER,
                      problem="tm_missing", suggestion="TM. ỦY BAN NHÂN DÂN")
    elif collective is False and "TM" in prefixes:
        yield finding("format.signer_authority", "Chủ tịch Ủy ban nhân dân ban hành theo thẩm quyền cá nhân nhưng khối "
                      "chữ ký ghi \"TM.\" (thay mặt tập thể).", doc, [evidence(doc, h.signer.span)], rule=RULE_SIGNER,
                      problem="tm_extra", suggestion="bỏ \"TM. ỦY BAN NHÂN DÂN\"")
    for problem, message, suggestion in _problems(parts, issuer):
        data = {"rule": RULE_SIGNER, "problem": problem}
        if suggestion:
            data["suggestion"] = suggestion
        yield finding("format.signer_authority", message, doc, [evidence(doc, h.signer.span)], **data)
