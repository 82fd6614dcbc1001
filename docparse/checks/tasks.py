"""Task checks: deadlines outside the plan's period, overdue or late tasks, tasks without a lead, repeated tasks,
skipped item numbers in a task table."""
from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import fuzz

from ..extract.dates import extract_dates
from ..normalize import normalize
from ..schema import Document, Task
from . import evidence, finding, register
from .citations import doc_bound
from .structure import LETTERS

_PERIOD_KINDS = ("half_year", "year", "quarter", "range", "month")


def plan_period(doc: Document) -> tuple[dt.date, dt.date, str] | None:
    """The period a plan covers, from its trích yếu ("… sáu tháng cuối năm 2025")."""
    title = doc.header.title or ""
    year = doc.header.date.year if doc.header.date else None
    for d in extract_dates(normalize(title), year):
        if d.kind in _PERIOD_KINDS and d.start and d.end:
            return d.start, d.end, " ".join(d.text.split())
    return None


def _fmt(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else "?"


@register("task.deadline_outside_period", "warning", "Thời hạn của nhiệm vụ nằm ngoài khoảng thời gian của kế hoạch.")
def deadline_outside_period(doc: Document):
    period = plan_period(doc) if doc.header.doc_type in ("Kế hoạch", "Chương trình", "Đề án", "Phương án") else None
    if period is None:
        return
    start, end, text = period
    for t in doc.tasks:
        d = t.deadline
        if d is None or d.end is None:
            continue
        begin = d.start or d.end - dt.timedelta(days=1)
        if d.end > end or begin < start:
            yield finding("task.deadline_outside_period",
                          f"Nhiệm vụ {t.index or ''} có thời hạn \"{t.deadline_text}\" nằm ngoài kỳ của kế hoạch ({text}).",
                          doc, [evidence(doc, d.span)], task=t.index, deadline=d.end.isoformat(),
                          period=[start.isoformat(), end.isoformat()])


@register("task.overdue", "warning", "Nhiệm vụ chưa hoàn thành mà đã quá thời hạn tính đến ngày của văn bản.")
def overdue(doc: Document):
    bound = doc_bound(doc)
    if bound is None:
        return
    for t in doc.tasks:
        if t.status in ("in_progress", "not_started") and t.deadline and t.deadline.end and t.deadline.end <= bound:
            yield finding("task.overdue", f"Nhiệm vụ {t.index or ''} (hạn {t.deadline_text}) chưa hoàn thành tính đến "
                          f"ngày {_fmt(bound)}.", doc, [evidence(doc, t.span)], task=t.index,
                          deadline=t.deadline.end.isoformat(), status=t.status)


_EVIDENCE_DATE = re.compile(r"ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}")


@register("task.completed_late", "warning", "Nhiệm vụ báo là đã hoàn thành nhưng văn bản làm bằng chứng có ngày sau thời hạn.")
def completed_late(doc: Document):
    for t in doc.tasks:
        if t.status != "done" or not t.deadline or not t.deadline.end:
            continue
        said = " ".join(x for x in (t.result, t.note) if x).replace(" ", "")  # the evidence sits in either column
        late = [c for c in doc.citations if c.date and c.date >= t.deadline.end and c.code
                and t.span.start <= c.span.start and c.span.end <= t.span.end and c.code in said]
        if late:
            c = late[0]
            yield finding("task.completed_late",
                          f"Nhiệm vụ {t.index or ''} hạn {t.deadline_text} được báo đã hoàn thành bằng {c.doc_type} {c.code} "
                          f"ngày {_fmt(c.date)}, sau thời hạn.", doc, [evidence(doc, t.deadline.span), evidence(doc, c.span)],
                          task=t.index, deadline=t.deadline.end.isoformat(), evidence_date=c.date.isoformat())


@register("task.missing_lead", "warning", "Nhiệm vụ không có cơ quan chủ trì.")
def missing_lead(doc: Document):
    rows = [t for t in doc.tasks if t.source == "table"]
    tables_with_lead = {t.table for t in rows if t.lead}
    for t in rows:
        if not t.lead and t.table in tables_with_lead:
            yield finding("task.missing_lead", f"Nhiệm vụ {t.index or ''} \"{t.title[:80]}\" chưa có cơ quan chủ trì.", doc,
                          [evidence(doc, t.span)], task=t.index)


@register("task.duplicate", "warning", "Hai nhiệm vụ gần như trùng nhau trong cùng văn bản.")
def duplicate(doc: Document):
    tasks = [t for t in doc.tasks if len(t.title) >= 25 and t.source == "table"]
    buckets: dict[tuple, list[Task]] = {}
    for t in tasks:  # near-identical titles share their first words: compare within such buckets only
        buckets.setdefault(tuple(t.title.lower().split()[:3]), []).append(t)
    pairs = ((a, b) for bucket in buckets.values() for i, a in enumerate(bucket) for b in bucket[i + 1:i + 200])
    for a, b in pairs:
        same_lead = not a.lead or not b.lead or a.lead == b.lead  # two leads for one task is another question
        # plain edit ratio, not token-based: "… (1) CSDL về bảo hiểm" and "… (31) CSDL về doanh nghiệp" differ
        if same_lead and fuzz.ratio(a.title.lower(), b.title.lower()) >= 97:
            yield finding("task.duplicate", f"Nhiệm vụ {a.index or ''} và {b.index or ''} gần như trùng nhau: "
                          f"\"{a.title[:70]}\".", doc, [evidence(doc, a.span), evidence(doc, b.span)],
                          tasks=[a.index, b.index])


def _item_value(index: str | None) -> tuple[str, int] | None:
    if not index:
        return None
    s = index.strip().rstrip(".)")
    if s.isdigit():
        return "number", int(s)
    if s in LETTERS:
        return "letter", LETTERS.index(s) + 1
    return None


@register("structure.item_numbering", "warning", "Số thứ tự trong bảng nhiệm vụ bị lặp hoặc nhảy cóc.")
def item_numbering(doc: Document):
    prev: Task | None = None
    for t in (t for t in doc.tasks if t.source == "table"):
        if prev is not None and prev.table == t.table and prev.group == t.group:
            a, b = _item_value(prev.index), _item_value(t.index)
            if a and b and a[0] == b[0] and b[1] != a[1] + 1 and not (b[1] == 1 and a[1] > 1):
                what = "bị lặp" if b[1] == a[1] else "bị nhảy cóc" if b[1] > a[1] else "bị đảo thứ tự"
                yield finding("structure.item_numbering", f"Số thứ tự nhiệm vụ {what}: \"{prev.index}\" rồi \"{t.index}\""
                              + (f" (mục {t.group})." if t.group else "."), doc,
                              [evidence(doc, prev.span), evidence(doc, t.span)], previous=prev.index, current=t.index)
        prev = t
