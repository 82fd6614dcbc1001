"""The period a plan covers, read from its title (trích yếu), and vision years that are neither period nor deadline.

Date mentions keep their surface value ("năm 2030" is the year 2030, as the gold labels it); what a year *means*
depends on the words before it: "đến năm 2030" is an interval that ends with 2030 (open start), "giai đoạn
2026 - 2030" runs from 2026 to 2030, and "tầm nhìn đến năm 2045" / "định hướng đến năm 2045" is a horizon, never a
plan's period nor a task's deadline.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..normalize import normalize
from ..schema import DateMention, Document, Span
from .dates import extract_dates, lower_same_length

_PERIOD_KINDS = ("range", "year", "half_year", "quarter", "month")
# the words right before a mention, on the lower-cased text
_VISION = re.compile(r"(?:tầm\s+nhìn|định\s+hướng)\s*(?:(?:đến|tới)\s*)?(?:(?:hết\s+)?năm\s*)?$")
_UNTIL = re.compile(r"(?:đến|tới)(?:\s+hết)?\s*$")
_AFTER_CODE = re.compile(r"(?:\d+/[\w./-]*|ngày\s+\d{1,2}[/.-]\d{1,2})\s*$")  # "… 29-CT/TU năm 2023": the code's year
# titles whose subject is a review of a period ("Giám sát, đánh giá … năm 2025"): their deadlines follow it
_REVIEW = re.compile(r"^\W*(?:(?:tổ\s+chức|thực\s+hiện|triển\s+khai)\s+)?(?:tổng\s+kết|sơ\s+kết|giám\s+sát|đánh\s+giá|"
                     r"kiểm\s+tra|thanh\s+tra)(?!\w)")
PLAN_TYPES = ("Kế hoạch", "Chương trình", "Đề án", "Phương án")
# a decision whose trích yếu issues or approves a plan carries its period ("Về việc ban hành Kế hoạch … năm 2026")
_ISSUES_PLAN = re.compile(r"^\W*(?:về\s+việc\s+)?(?:ban\s+hành|phê\s+duyệt)\s+(?:kế\s+hoạch|chương\s+trình|đề\s+án|"
                          r"phương\s+án)(?!\w)")
_TITLE_BLOCK = 600


@dataclass(frozen=True)
class Period:
    """[start, end) of a plan; `start` None for "đến năm 2030". `span` is the mention in Document.text."""

    start: dt.date | None
    end: dt.date
    text: str
    span: Span


def is_vision(text: str, start: int) -> bool:
    """Whether the date mention at `start` of `text` is a vision/orientation year ("tầm nhìn đến năm 2045")."""
    return bool(_VISION.search(lower_same_length(text[max(0, start - 30):start])))


def _title_region(doc: Document) -> tuple[int, int] | None:
    """The title's span, with the lines in capitals that follow it: the header stops a title at a line of digits
    ("… GIAI ĐOẠN⏎2026 - 2030")."""
    field = next((f for f in doc.header.fields if f.field == "title"), None)
    if field is None:
        return None
    a, b = field.span.start, field.span.end
    text = doc.text
    while b < len(text) and text[b] == "\n" and b - a < _TITLE_BLOCK:
        nl = text.find("\n", b + 1)
        line = text[b + 1:nl if nl != -1 else len(text)]
        if not line.strip() or any(c.islower() for c in line):
            break
        b = nl if nl != -1 else len(text)
    return a, b


def title_periods(doc: Document) -> list[Period]:
    """Every period the title names, vision years and the years of cited codes left out."""
    region = _title_region(doc)
    if region is None:
        return []
    a, b = region
    title = doc.text[a:b]
    if _REVIEW.match(lower_same_length(title)):
        return []
    year = doc.header.date.year if doc.header.date else None
    out = []
    low = lower_same_length(title)
    for d in extract_dates(normalize(title), year):
        if d.kind not in _PERIOD_KINDS or d.end is None:
            continue
        s = d.span.start
        before = low[max(0, s - 30):s]
        if _VISION.search(before) or _AFTER_CODE.search(before):
            continue
        until = _UNTIL.search(before) if d.kind == "year" else None
        if until:  # "đến năm 2030": the interval that ends with 2030
            s -= len(before) - until.start()
        out.append(Period(None if until else d.start, d.end, " ".join(title[s:d.span.end].split()),
                          Span(start=a + s, end=a + d.span.end)))
    return out


def plan_period(doc: Document) -> Period | None:
    """The period of a plan or programme (Kế hoạch, Chương trình, Đề án, Phương án, or a Quyết định issuing one) from
    its title; when the title names several (a plan for 2026 of a programme to 2030), the one that ends last, so
    that a deadline reported outside it lies outside every period the title names."""
    if doc.header.doc_type not in PLAN_TYPES and not (
            doc.header.doc_type == "Quyết định" and _ISSUES_PLAN.match(lower_same_length(doc.header.title or ""))):
        return None
    periods = title_periods(doc)
    if not periods:
        return None
    return max(periods, key=lambda p: (p.end, p.start is None))


def deadline_of(doc: Document, d: DateMention | None) -> DateMention | None:
    """A task's deadline when it is one: not a vision year, and with an end."""
    if d is None or d.end is None or d.kind in ("recurring", "condition"):
        return None
    return None if is_vision(doc.text, d.span.start) else d
