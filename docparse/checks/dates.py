"""Dates that cannot exist (31/4, 29/02 of a common year): kept by the extractor, reported here."""
from __future__ import annotations

from ..schema import Document
from . import evidence, finding, register


@register("date.invalid", "error", "Ngày tháng không tồn tại (ví dụ 31/4/2024, 29/02/2023).")
def invalid(doc: Document):
    for d in doc.dates:
        if not d.valid:
            yield finding("date.invalid", f"Ngày không tồn tại hoặc khoảng thời gian ngược: \"{' '.join(d.text.split())}\".",
                          doc, [evidence(doc, d.span)], text=" ".join(d.text.split()), kind=d.kind)
