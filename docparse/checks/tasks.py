"""Task checks: deadlines after the plan's period or already past when the document was signed, overdue or late
tasks, tasks without a lead, repeated tasks, skipped item numbers in a task table."""
from __future__ import annotations

import datetime as dt
import re

from rapidfuzz import fuzz

from ..extract.period import deadline_of, plan_period
from ..extract.ranges import Ranges
from ..safe import from_iso
from ..schema import Document, Task
from . import evidence, finding, register, vn_date
from .citations import doc_bound
from .structure import LETTERS, numbering_cut

_PAST_WORK = ("Báo cáo",)  # a report narrates work done: its past deadlines are task.overdue's question


def _last_day(end: dt.date) -> str:
    """The last day an exclusive end allows: "trước ngày 15/11/2025" ends 15/11, its last day is 14/11."""
    return vn_date(end - dt.timedelta(days=1))


def _label(t: Task) -> str:
    return f"Nhiệm vụ {t.index}" if t.index else f"Nhiệm vụ \"{' '.join(t.title.split())[:60]}\""


def _issued(doc: Document) -> dt.date | None:
    """The earliest day the document can be dated: its date, or the first of the month a draft leaves open."""
    h = doc.header
    if h.date:
        return h.date
    if h.date_partial and len(h.date_partial) == 7:
        return from_iso(h.date_partial)  # the first of the month; None for a month 00
    return None


# cue words before a deadline that no task record holds ("Thời gian hoàn thành: Trước ngày 15/11/2025" under a bullet)
_ASSIGN_CUE = re.compile(r"(?<!\w)(?:thời\s+(?:gian|hạn)|hạn|hoàn\s+thành|báo\s+cáo|gửi|giao|đề\s+nghị|"
                         r"yêu\s+cầu)(?!\w)")
# a day, month or year is a deadline only right after a completion word ("hoàn thành trong tháng 10/2025"), not in
# "lỗi phát sinh trong tháng 11/2025"
_LABEL = re.compile(r"(?:thời\s+(?:gian|hạn)(?:\s+(?:hoàn\s+thành|thực\s+hiện))?|hạn\s+hoàn\s+thành|hoàn\s+thành|xong)"
                    r"(?:\s+(?:trong|vào|trước))?\W{0,3}$")
_NARRATED = re.compile(r"(?<!\w)(?:đã|được|từng|trường\s+hợp)(?!\w)")  # past work, a quoted assignment, a legal case
_CLAUSE_END = re.compile(r"[.;!?](?:\s|$)|\n\s*\n|\n\s*[-+•*]")
_CONDITION_AFTER = re.compile(r"[^.;\n]{0,80}?(?<!\w)(?:thì|được|tiếp\s+tục)(?!\w)")  # "Hồ sơ gửi trước ngày … thì …"


def _task_deadline(doc: Document, t: Task):
    """The task's deadline when it is one: a table cell's date; in prose a "trước ngày …"/"chậm nhất …" deadline, or
    a day, month or year right after a completion word ("hoàn thành trong tháng 10/2025"). A bare year or month
    elsewhere in prose ("… Chương trình … đến năm 2030", "lỗi phát sinh trong tháng 11/2025") is a period spoken of."""
    d = deadline_of(doc, t.deadline)
    if d is None or t.source != "prose" or d.kind == "deadline":
        return d
    if d.kind == "range" or not _LABEL.search(doc.text[max(0, d.span.start - 40):d.span.start].lower()):
        return None
    return d


@register("task.deadline_outside_period", "warning", "Thời hạn của nhiệm vụ kết thúc sau kỳ của kế hoạch (kỳ đọc từ "
          "trích yếu: \"giai đoạn 2026 - 2030\", \"đến năm 2030\", \"năm 2026\"; năm tầm nhìn/định hướng không tính).")
def deadline_outside_period(doc: Document):
    """Only a deadline that ends after the period: a plan signed before its period starts may well set preparatory
    deadlines before it (and one already past at signing is task.deadline_before_document)."""
    period = plan_period(doc)
    if period is None:
        return
    for t in doc.tasks:
        d = _task_deadline(doc, t)
        if d is None or d.end <= period.end:
            continue
        yield finding("task.deadline_outside_period",
                      f"{_label(t)} có thời hạn \"{' '.join(d.text.split())}\" (đến hết {_last_day(d.end)}) "
                      f"kết thúc sau kỳ của kế hoạch \"{period.text}\" (đến hết {_last_day(period.end)}).",
                      doc, [evidence(doc, d.span), evidence(doc, period.span)], task=t.index,
                      deadline=d.end.isoformat(),
                      period=[period.start.isoformat() if period.start else None, period.end.isoformat()])


def _clause_before(text: str, pos: int) -> str:
    window = text[max(0, pos - 300):pos]
    cut = 0
    for m in _CLAUSE_END.finditer(window):
        cut = m.end()
    return window[cut:].lower()


def _untasked_deadlines(doc: Document):
    """Date mentions outside every task record that the words before them make a deadline set by this document."""
    held = Ranges((t.span.start, t.span.end) for t in doc.tasks)  # a task record decides for its own dates
    for d in doc.dates:
        if d.end is None or d.year_inferred or d.kind not in ("deadline", "date", "month"):
            continue
        if held.overlaps(d.span.start, d.span.start + 1):
            continue
        clause = _clause_before(doc.text, d.span.start)
        cue = _ASSIGN_CUE.search(clause) if d.kind == "deadline" else _LABEL.search(clause)
        if not cue or _NARRATED.search(clause) or _CONDITION_AFTER.match(doc.text, d.span.end):
            continue
        yield d


@register("task.deadline_before_document", "warning", "Nhiệm vụ được giao (chưa báo hoàn thành) có thời hạn đã qua "
          "trước ngày ban hành văn bản.")
def deadline_before_document(doc: Document):
    """A plan, notice, decision or công văn that assigns work whose deadline ended before its own date. Only a
    deadline with its year written ("trước ngày 15/11" may be a yearly one), and only tasks without a status, result
    or assigning-document column (tables following up earlier assignments are task.overdue's)."""
    issued = _issued(doc)
    if issued is None or doc.header.doc_type in _PAST_WORK:
        return
    for t in doc.tasks:
        if t.status is not None or t.result or t.assigning_document:
            continue  # a follow-up table of tasks set by earlier documents: their deadlines are the original ones
        d = _task_deadline(doc, t)
        if d is None or d.year_inferred or d.end > issued:
            continue
        yield finding("task.deadline_before_document",
                      f"{_label(t)} có thời hạn \"{' '.join(d.text.split())}\" (hết hạn {_last_day(d.end)}), "
                      f"trước ngày ban hành văn bản {vn_date(issued)}.", doc, [evidence(doc, d.span)], task=t.index,
                      deadline=d.end.isoformat(), document_date=issued.isoformat())
    for d in _untasked_deadlines(doc):
        if d.end <= issued:
            yield finding("task.deadline_before_document",
                          f"Thời hạn \"{' '.join(d.text.split())}\" (hết hạn {_last_day(d.end)}) của việc được "
                          f"giao đã qua trước ngày ban hành văn bản {vn_date(issued)}.", doc, [evidence(doc, d.span)],
                          task=None, deadline=d.end.isoformat(), document_date=issued.isoformat())


@register("task.overdue", "warning", "Nhiệm vụ chưa hoàn thành mà đã quá thời hạn tính đến ngày của văn bản.")
def overdue(doc: Document):
    bound = doc_bound(doc)
    if bound is None:
        return
    for t in doc.tasks:
        if t.status in ("in_progress", "not_started") and t.deadline and t.deadline.end and t.deadline.end <= bound:
            yield finding("task.overdue", f"Nhiệm vụ {t.index or ''} (hạn {t.deadline_text}) chưa hoàn thành tính đến "
                          f"ngày {vn_date(bound)}.", doc, [evidence(doc, t.span)], task=t.index,
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
                          f"ngày {vn_date(c.date)}, sau thời hạn.", doc, [evidence(doc, t.deadline.span), evidence(doc, c.span)],
                          task=t.index, deadline=t.deadline.end.isoformat(), evidence_date=c.date.isoformat())


@register("task.missing_lead", "warning", "Nhiệm vụ không có cơ quan chủ trì.")
def missing_lead(doc: Document):
    rows = [t for t in doc.tasks if t.source == "table"]
    tables_with_lead = {t.table for t in rows if t.lead}
    for t in rows:
        if not t.lead and t.table in tables_with_lead:
            yield finding("task.missing_lead", f"Nhiệm vụ {t.index or ''} \"{t.title[:80]}\" chưa có cơ quan chủ trì.", doc,
                          [evidence(doc, t.span)], task=t.index)


_DUP_WORDS = re.compile(r"\w+")
_WINDOW = 50


@register("task.duplicate", "warning", "Hai dòng gần như trùng nhau trong cùng một bảng nhiệm vụ.")
def duplicate(doc: Document):
    """Rows of one task table only (never across tables, never prose): the same table repeating a task is a slip,
    two tables (a plan's list and its appendix) repeating it is the design. Linear: rows are bucketed by table and
    by the first words of the title, and each row is compared with at most `_WINDOW` earlier rows of its bucket,
    O(n · _WINDOW) ratio computations for n rows."""
    buckets: dict[tuple, list[tuple[Task, str]]] = {}
    for t in doc.tasks:
        if t.source != "table" or len(t.title) < 25:
            continue
        words = _DUP_WORDS.findall(t.title.lower())
        key = " ".join(words)
        bucket = buckets.setdefault((t.table, tuple(words[:3])), [])
        for other, other_key in bucket[-_WINDOW:]:
            same_lead = not t.lead or not other.lead or t.lead == other.lead  # two leads is another question
            # plain edit ratio, not token-based: "… (1) CSDL về bảo hiểm" and "… (31) CSDL về doanh nghiệp" differ
            if same_lead and fuzz.ratio(key, other_key) >= 97:
                yield finding("task.duplicate", f"Nhiệm vụ {other.index or ''} và {t.index or ''} trong cùng một "
                              f"bảng gần như trùng nhau: \"{t.title[:70]}\".", doc,
                              [evidence(doc, other.span), evidence(doc, t.span)], tasks=[other.index, t.index],
                              table=t.table)
                break  # one finding per repeated row, against its first copy in the window
        bucket.append((t, key))


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
    """One wrong number is one finding: after a flagged pair, a number that follows on from the one before the
    outlier ("19, 22, 20" or "37, 37, 39") is not flagged again. An elided row or an appendix between two rows
    (`numbering_cut`) breaks the sequence."""
    prev: Task | None = None
    before: int | None = None  # the value before a flagged outlier
    for t in (t for t in doc.tasks if t.source == "table"):
        if prev is not None and prev.table == t.table and prev.group == t.group:
            a, b = _item_value(prev.index), _item_value(t.index)
            flag = (a and b and a[0] == b[0] and b[1] != a[1] + 1 and not (b[1] == 1 and a[1] > 1)
                    and not numbering_cut(doc.text, prev.span.start, t.span.start))
            if flag and before is not None and b[1] in (before + 1, before + 2):
                flag = False  # the previous finding already named this outlier
            before = a[1] if flag else None
        else:
            flag, before = False, None
        if flag:
            what = "bị lặp" if b[1] == a[1] else "bị nhảy cóc" if b[1] > a[1] else "bị đảo thứ tự"
            yield finding("structure.item_numbering", f"Số thứ tự nhiệm vụ {what}: \"{prev.index}\" rồi \"{t.index}\""
                          + (f" (mục {t.group})." if t.group else "."), doc,
                          [evidence(doc, prev.span), evidence(doc, t.span)], previous=prev.index, current=t.index)
        prev = t
