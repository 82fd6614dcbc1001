"""A draft's blanks: informational, so a reviewer sees them before signing."""
from __future__ import annotations

from ..schema import Document
from . import evidence, finding, register, vn_date


def _field(doc: Document, name: str):
    return [evidence(doc, fs.span) for fs in doc.header.fields if fs.field == name]


@register("header.missing_number", "info", "Số văn bản còn để trống (bản dự thảo).")
def missing_number(doc: Document):
    h = doc.header
    if h.source == "body" and h.symbol and not h.number:
        yield finding("header.missing_number", f"Số văn bản để trống: \"…/{h.symbol}\" (bản dự thảo?).", doc,
                      _field(doc, "number"), symbol=h.symbol)


@register("header.missing_date", "info", "Ngày ban hành còn để trống (bản dự thảo).")
def missing_date(doc: Document):
    h = doc.header
    if h.source == "body" and not h.date and h.date_partial and h.date_valid:
        yield finding("header.missing_date", f"Ngày ban hành để trống, chỉ có tháng {vn_date(h.date_partial)} (bản dự thảo?).",
                      doc, _field(doc, "date"), date_partial=h.date_partial)
