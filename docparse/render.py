"""A readable Vietnamese summary of a Document, for a person at a terminal."""
from __future__ import annotations

from .schema import Document

_KIND = {"date": "ngày", "month": "tháng", "quarter": "quý", "half_year": "6 tháng", "year": "năm",
         "range": "khoảng", "deadline": "hạn", "recurring": "định kỳ"}


def _one_line(s: str, width: int = 110) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def summary(doc: Document) -> str:
    h = doc.header
    out = [f"== {doc.source or '<văn bản>'} ==",
           f"Loại: {h.doc_type or '?'}   Số: {h.code or '(trống)'}   "
           f"Ngày: {h.date.strftime('%d/%m/%Y') if h.date else (h.date_partial or '?')}   Nơi: {h.place or '?'}"]
    if h.parent or h.issuer:
        out.append(f"Cơ quan: {' / '.join(x for x in (h.parent, h.issuer) if x)}")
    if h.title or h.subject_vv:
        out.append(f"Trích yếu: {_one_line(h.title or h.subject_vv or '')}")
    if h.recipients:
        out.append(f"Kính gửi: {_one_line('; '.join(h.recipients))}")
    if h.signer:
        s = h.signer
        out.append(f"Người ký: {' '.join(x for x in (s.authority, s.authority_body, s.title) if x)} — {s.name or '?'}")
    if h.source != "body":
        out.append(f"(Phần đầu lấy từ: {h.source})")
    out.append(f"\nVăn bản được viện dẫn ({len(doc.citations)}):")
    for c in doc.citations:
        ref = c.code or c.name or "?"
        date = c.date.strftime("%d/%m/%Y") if c.date else "—"
        flags = " [chính văn bản này]" if c.is_self else ""
        out.append(f"  - {c.doc_type or '?'} {ref}  ngày {date}{flags}"
                   + (f"  ({c.relation})" if c.relation else "") + (f"  của {c.issuer}" if c.issuer else ""))
    out.append(f"\nNgày tháng, thời hạn ({len(doc.dates)}):")
    for d in doc.dates[:60]:
        rng = f"{d.start or '…'} → {d.end or '…'}" if d.valid else "KHÔNG HỢP LỆ"
        out.append(f"  - {_KIND[d.kind]:8} {_one_line(d.text, 40):40} {rng}")
    if len(doc.dates) > 60:
        out.append(f"  … và {len(doc.dates) - 60} mục khác")
    heads = [s for s in doc.iter_sections() if s.kind not in ("bullet", "letter")]
    out.append(f"\nMục lục ({len(heads)} đề mục):")
    for s in heads[:40]:
        out.append(f"  {'  ' * min(s.level, 8)}{s.numbering} {_one_line(s.title, 80)}")
    if doc.notices:
        out.append("\nLưu ý:")
        out.extend(f"  - [{n.code}] {n.message}" for n in doc.notices)
    return "\n".join(out)
