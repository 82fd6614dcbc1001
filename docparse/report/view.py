"""What the report shows, computed in Python: document cards, findings with their evidence windows and compared
values, and the per-document data (citations, tasks, ratios) that the page renders lazily when a card is opened."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from markupsafe import Markup

from ..checks import SEVERITY_ORDER, vn_date
from ..checks.arithmetic import _close, _decimals, _ratio_pairs
from ..checks.citations import doc_bound
from ..identity import authority_name, authority_phrase, document_id
from ..schema import Citation, Document, Finding, Task
from .context import Window, windows

SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}
STATUS_VI = {"done": "đã hoàn thành", "in_progress": "đang thực hiện", "not_started": "chưa thực hiện",
             "unknown": "chưa rõ"}
_ISO = re.compile(r"^\d{4}-\d{2}(?:-\d{2})?$")
TASK_TITLE_MAX = 300

# Finding.data keys as a reader sees them; a key missing here is shown as written
DATA_LABELS = {
    "code": "Số ký hiệu", "codes": "Các số ký hiệu", "dates": "Các ngày được ghi", "date": "Ngày",
    "kind": "Loại mâu thuẫn", "doc_types": "Các loại văn bản được ghi", "cited_types": "Loại văn bản khi viện dẫn",
    "code_year": "Năm trong số ký hiệu", "where": "Vị trí", "cited_date": "Ngày của văn bản được viện dẫn",
    "document_date": "Ngày của văn bản", "stated": "Giá trị văn bản ghi", "computed": "Giá trị tính lại",
    "numerator": "Tử số", "denominator": "Mẫu số", "row": "Dòng", "text": "Nội dung", "task": "Nhiệm vụ",
    "deadline": "Hạn cuối", "period": "Kỳ kế hoạch", "status": "Trạng thái", "evidence_date": "Ngày văn bản làm bằng chứng",
    "previous": "Số trước", "current": "Số sau", "problem": "Vấn đề", "blank": "Phần để trống",
    "places": "Số chỗ", "symbol": "Ký hiệu", "year": "Năm", "date_partial": "Ngày (chỉ có tháng)",
    "header_document": "Văn bản gốc trong bộ", "header_type": "Loại ở phần đầu văn bản gốc",
    "header_date": "Ngày ở phần đầu văn bản gốc", "listed_distinct": "Số văn bản khác nhau liệt kê",
    "listed_mentions": "Số lần liệt kê", "steps_total": "Tổng các bước", "stated_total": "Tổng văn bản ghi",
    "unit": "Đơn vị", "bound": "Loại tổng", "procedure": "Quy trình", "text_value": "Giá trị trong văn bản",
    "table_value": "Giá trị trong phụ lục", "plan": "Kế hoạch", "reports": "Các báo cáo sau",
    "cited_dates": "Các ngày khi viện dẫn", "component": "Thành phần", "count": "Số lượng", "day": "Ngày",
    "doc_type": "Loại văn bản", "expected": "Cần viết", "parts": "Các thành phần", "rule": "Quy định",
    "suggestion": "Gợi ý sửa", "symbol_type": "Loại trong ký hiệu", "table": "Bảng", "tasks": "Các nhiệm vụ",
    "total": "Tổng", "written": "Đang viết",
}
_EXCLUSIVE_END = {"deadline"}  # ISO exclusive ends (Duckling style): a reader sees the last day
_VALUE_VI = {"date": "ngày", "type": "loại văn bản", "header_type": "loại văn bản (so với văn bản gốc)",
             "header_date": "ngày (so với văn bản gốc)", "repeat": "lặp số", "skip": "nhảy số", "reverse": "ngược thứ tự",
             "citation": "câu viện dẫn", "header": "phần đầu văn bản", "exact": "tổng đúng bằng", "at_most": "tối đa",
             "roman": "số La Mã", "arabic": "số Ả Rập", "letter": "chữ cái"}


def vn_value(value: Any, exclusive_end: bool = False) -> str:
    """A data value for a reader: ISO dates as dd/mm/yyyy (an exclusive end as its last day), lists joined."""
    if isinstance(value, (list, tuple)):
        return "; ".join(vn_value(v, exclusive_end) for v in value) or "—"
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, float):  # Vietnamese convention: 8.640,5
        whole, _, frac = f"{value:,.4f}".rstrip("0").partition(".")
        return whole.replace(",", ".") + ("," + frac if frac else "")
    if isinstance(value, str) and _ISO.match(value):
        if exclusive_end and len(value) == 10:
            return vn_date(dt.date.fromisoformat(value) - dt.timedelta(days=1))
        return vn_date(value)
    return _VALUE_VI.get(value, str(value)) if isinstance(value, str) else str(value)


def doc_date(doc: Document) -> str:
    h = doc.header
    if h.date:
        return vn_date(h.date)
    return vn_date(h.date_partial) if h.date_partial else "—"


def doc_label(doc: Document) -> str:
    """"Quyết định 471/QĐ-UBND ngày 28/11/2025", or the file name when the header has neither type nor number."""
    h = doc.header
    head = " ".join(x for x in (h.doc_type, h.code) if x)
    name = PurePath(doc.source).name if doc.source else document_id(doc)
    if not head:
        return name
    return head + (f" ngày {doc_date(doc)}" if (h.date or h.date_partial) else "")


@dataclass
class Card:
    idx: int
    doc_id: str
    name: str
    label: str
    doc_type: str
    code: str
    date: str
    issuer: str
    signer: str
    title: str
    counts: dict[str, int]
    findings: Counter = field(default_factory=Counter)


def card(idx: int, doc: Document) -> Card:
    h = doc.header
    s = h.signer
    signer = " ".join(x for x in ((s.authority or ""), s.authority_body or "", s.title or "") if x).strip() if s else ""
    signer = (signer + (" — " if signer and s and s.name else "") + (s.name or "" if s else "")) or "—"
    issuer = h.issuer_canonical or " / ".join(x for x in (h.parent, h.issuer) if x) or "—"
    return Card(idx, document_id(doc), PurePath(doc.source).name if doc.source else document_id(doc), doc_label(doc),
                h.doc_type or "—", h.code or ("(để trống)" if h.symbol else "—"), doc_date(doc), issuer, signer,
                " ".join((h.title or h.subject_vv or "").split()),
                {"citations": len(doc.citations), "tasks": len(doc.tasks), "ratios": _n_ratios(doc)})


def _n_ratios(doc: Document) -> int:
    return sum(1 for i in doc.indicators if i.kind == "ratio" and i.denominator and i.numerator is not None)


@dataclass
class EvidenceGroup:
    """The evidence of one finding that lies in one document."""

    doc_idx: int | None
    name: str
    label: str
    windows: list[Window]
    links: list[tuple[int, str]]  # (card index, label) of corpus documents the evidence cites
    loose: list[tuple[int, str]]  # evidence whose document is not in the report: (number, text)
    reference: bool = False  # the compared document's header, not evidence


@dataclass
class FindingView:
    code: str
    severity: str
    message: str
    docs: list[int]
    groups: list[EvidenceGroup]
    values: list[tuple[str, str | Markup]]
    authority: str | None
    n_evidence: int


class Index:
    """Documents by id, with each citation's target card for links."""

    def __init__(self, docs: list[Document]):
        self.docs = docs
        self.by_id = {document_id(d): i for i, d in enumerate(docs)}
        self.cards = [card(i, d) for i, d in enumerate(docs)]

    def target(self, c: Citation) -> int | None:
        return self.by_id.get(c.resolved_to) if c.resolved_to else None


def finding_view(f: Finding, index: Index) -> FindingView:
    order: list[str | None] = []
    spans: dict[str | None, list[tuple[int, int, int]]] = {}
    loose: dict[str | None, list[tuple[int, str]]] = {}
    for n, e in enumerate(f.spans):
        key = e.document if e.document is not None else f.document
        if key not in spans:
            order.append(key)
            spans[key], loose[key] = [], []
        if key in index.by_id:
            spans[key].append((n, e.span.start, e.span.end))
        else:
            loose[key].append((n, e.text))
    groups = []
    for key in order:
        i = index.by_id.get(key)
        doc = index.docs[i] if i is not None else None
        links = []
        if doc is not None:
            for c in doc.citations:
                t = index.target(c)
                if t is not None and t != i and (t, index.cards[t].label) not in links and any(
                        s <= c.span.start < e or c.span.start <= s < c.span.end for _, s, e in spans[key]):
                    links.append((t, index.cards[t].label))
        groups.append(EvidenceGroup(i, index.cards[i].name if i is not None else (key or "—"),
                                    index.cards[i].label if i is not None else "",
                                    windows(doc.text, spans[key]) if doc is not None else [], links, loose[key]))
    ref = index.by_id.get(f.data.get("header_document")) if isinstance(f.data.get("header_document"), str) else None
    if ref is not None and all(g.doc_idx != ref for g in groups):
        groups.append(header_group(ref, index))
    values = []
    for k, v in f.data.items():
        if k in ("authority", "authority_source") or v is None or v == [] or v == "":
            continue
        if k in ("header_document", "plan", "reports") and isinstance(v, (str, list)):
            values.append((DATA_LABELS.get(k, k), _doc_links(v, index)))
            continue
        values.append((DATA_LABELS.get(k, k), vn_value(v, exclusive_end=k in _EXCLUSIVE_END)))
    authority = None
    if "authority" in f.data or "authority_source" in f.data:
        authority = authority_phrase(f.data.get("authority"), f.data.get("authority_source") or "unknown")
    docs = sorted({g.doc_idx for g in groups if g.doc_idx is not None} | (
        {index.by_id[f.document]} if f.document in index.by_id else set()))
    return FindingView(f.code, f.severity, f.message, docs, groups, values, authority, len(f.spans))


def header_group(i: int, index: Index) -> EvidenceGroup:
    """The header of the document a finding compares the evidence with (its number and date fields marked as a
    reference), shown beside the evidence."""
    doc = index.docs[i]
    spans = [(-1, fs.span.start, fs.span.end) for fs in doc.header.fields if fs.field in ("number", "date", "doc_type")]
    return EvidenceGroup(i, index.cards[i].name, index.cards[i].label, windows(doc.text, spans) if spans else [], [],
                         [], reference=True)


def _doc_links(value: str | list[str], index: Index) -> Markup:
    from markupsafe import escape

    ids = [value] if isinstance(value, str) else value
    out = []
    for d in ids:
        i = index.by_id.get(d)
        out.append(Markup('<a href="#doc-{}">{}</a>').format(i, index.cards[i].label) if i is not None else escape(d))
    return Markup("; ").join(out)


# ---- lazy per-document data (JSON) ------------------------------------------------------------------------------
def _iso_last_day(task: Task) -> str | None:
    d = task.deadline
    if d is None or d.end is None:
        return None
    return (d.end - dt.timedelta(days=1)).isoformat()


def _short(s: str | None, limit: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def doc_payload(doc: Document, index: Index) -> dict:
    """Compact rows (arrays, not objects: the whole corpus is thousands of rows) for the lazy sections."""
    bound = doc_bound(doc)
    cites: dict[tuple, list] = {}
    for c in doc.citations:
        t = index.target(c)
        name = c.code or c.name or ""
        label = (name if c.doc_type and name.lower().startswith(c.doc_type.lower())
                 else " ".join(x for x in (c.doc_type, name) if x)) or _short(c.text, 80)
        auth = authority_name(c.authority) if c.authority else ""
        key = (label, vn_value(c.date.isoformat()) if c.date else (vn_value(c.date_partial) if c.date_partial else ""),
               auth, c.authority_source or "", -1 if t is None else t, int(c.is_self), c.linked_code or "")
        row = cites.setdefault(key, [label, key[1], [], *key[2:], 0])
        if c.relation and c.relation not in row[2]:
            row[2].append(c.relation)
        row[-1] += 1
    tasks = []
    for t in doc.tasks:
        last = _iso_last_day(t)
        overdue = bool(t.status in ("in_progress", "not_started") and t.deadline and t.deadline.end and bound
                       and t.deadline.end <= bound)
        tasks.append([t.index or "", _short(t.title, TASK_TITLE_MAX), t.lead_canonical or t.lead or "",
                      "; ".join(t.coordinators), _short(t.deadline_text, 80), last, t.status or "", int(overdue),
                      t.source])
    ratios = []
    paired = {}
    for r, p, how in _ratio_pairs(doc):
        share = r.numerator / r.denominator * 100
        computed = share if how == "share" else share - 100 if how == "tăng" else 100 - share
        paired[id(r)] = (p, how, computed)
    for r in doc.indicators:
        if r.kind != "ratio" or not r.denominator or r.numerator is None:
            continue
        p, how, computed = paired.get(id(r), (None, "share", r.numerator / r.denominator * 100))
        ok = None if p is None or p.value is None else int(_close(p.value, computed, _decimals(p)))
        ratios.append([_short(r.text, 80), _short(r.label, 100), vn_value(float(r.numerator)),
                       vn_value(float(r.denominator)), vn_value(round(computed, 2)) + "%",
                       _short(p.text, 40) if p is not None else "", how, ok])
    return {"l": index.cards[index.by_id[document_id(doc)]].label,
            "d": bound.isoformat() if bound else None,
            "c": [[*r[:2], ", ".join(r[2]), *r[3:]] for r in cites.values()], "t": tasks, "r": ratios}


def summary_rows(findings: list[FindingView], specs, checked: set[str] | None):
    """One row per registered check: code, severity, description, count, whether it ran."""
    counts = Counter(f.code for f in findings)
    rows = []
    for spec in sorted(specs, key=lambda s: (SEVERITY_ORDER.get(s.severity, 9), s.code)):
        rows.append({"code": spec.code, "severity": spec.severity, "description": spec.description,
                     "count": counts.get(spec.code, 0), "ran": checked is None or spec.code in checked})
    known = {s.code for s in specs}
    for code, n in sorted(counts.items()):  # a finding whose code the registry does not know still counts
        if code not in known:
            sev = next(f.severity for f in findings if f.code == code)
            rows.append({"code": code, "severity": sev, "description": "", "count": n, "ran": True})
    return rows
