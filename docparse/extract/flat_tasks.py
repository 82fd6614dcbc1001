"""The worst case: a task table flattened by a PDF-to-text conversion into a stream of short lines, with no cell or
row marks at all. Rows are found from the TT numbers (1, 2, 3 … in sequence at a line start), and the lines of a
row are dealt to the columns in the header's order by what they look like: a reference opens the assigning
document, a line after one that closes it ("…của UBND tỉnh.") or an agency's name opens the agency, a date opens
the deadline, followed by the result's status words and a note.
"""
from __future__ import annotations

import re

from ..normalize import NormText
from ..schema import Citation, DateMention, Span, Task
from .entities import canonical_agency
from .tasks import _ROLE_RE, SpanIndex, _status, citation_codes

_HEADER_START = re.compile(r"TT\s+(?:Nhiệm|NHIỆM|Nội|NỘI)")  # literal-led ("S?TT" is not): a cheap scan
_ROW = re.compile(r"\n[ \t]*(\d{1,2})[ \t]+(\S[^\n]*)")
_DOC = re.compile(r"^(?:Công\s+văn|Kế\s+hoạch|Quyết\s+định|Chỉ\s+thị|Nghị\s+quyết|Nghị\s+định|Thông\s+báo|Văn\s+bản|"
                  r"Thông\s+tư)\s*:?\s*(?:số|\d)", re.IGNORECASE)  # "Thông báo lưu trú …" is a verb, not a document
_WITH_CODE = re.compile(r"^[^.;]*\bsố\s*\d+[a-z]?/")  # "HĐND tỉnh đã ban hành … số 11/2022/…" over a few lines
_DOC_ANY = re.compile(r"(?:Công\s+văn|Kế\s+hoạch|Quyết\s+định|Chỉ\s+thị|Nghị\s+quyết)\s+số")
_AGENCY = re.compile(r"^(?:Công\s+an|Các\s+sở|Sở\s|UBND|Ủy\s+ban|Văn\s+phòng|Ban\s|Bộ\s|Trung\s+tâm|Cơ\s+quan|Các\s+cơ\s+quan|"
                     r"HĐND|Thanh\s+tra)")
_DEADLINE = re.compile(r"^(\d{1,2}/\d{1,2}/\d{4})\s*(.*)$")
_STATUS_WORDS = re.compile(r"^(Đã\s+hoàn\s+thành|Đang\s+thực\s+hiện|Đang\s+triển\s+khai|Chưa\s+thực\s+hiện|"
                           r"Chưa\s+hoàn\s+thành)\s*(.*)$", re.IGNORECASE)
_INLINE_DEADLINE = re.compile(r"\s\d{1,2}/\d{1,2}/\d{4}\s+(?:Đã|Đang|Chưa)\s")
_TABLE_END = re.compile(r"^(?:Ghi\s+chú\s*:|Nơi\s+nhận|\*)")
_FURNITURE = re.compile(r"^\s*(?:\d{1,3}|https?://\S+|www\.\S+)\s*$")


def _header_roles(text: str, start: int) -> tuple[list[str], int] | None:
    window = " ".join(text[start:start + 400].split())
    found = []
    for role, rx in _ROLE_RE:
        m = rx.search(window)
        if m:
            found.append((m.start(), role))
    roles = [r for _, r in sorted(found)]
    if "title" not in roles or len(roles) < 4:
        return None
    end = text.find("Ghi chú", start, start + 600)
    return roles, (end + len("Ghi chú")) if end >= 0 else start + 200


def extract_flat_tasks(nt: NormText, start: int, end: int, citations: list[Citation], dates: list[DateMention],
                       table: int) -> list[Task]:
    text = nt.text
    m = _HEADER_START.search(text, start, end)
    if not m:
        return []
    at = m.start() - 1 if m.start() > start and text[m.start() - 1] == "S" else m.start()  # "STT Nhiệm vụ"
    head = _header_roles(text, at)
    if head is None:
        return []
    roles, body_start = head
    order = [r for r in roles if r not in ("index", "title")]
    rows, expected = [], 1
    for r in _ROW.finditer(text, body_start - 1, end):
        if int(r.group(1)) == expected:
            rows.append(r)
            expected += 1
    tasks = []
    dates, citations = SpanIndex(dates), SpanIndex(citations)
    for k, r in enumerate(rows):
        stop = rows[k + 1].start() if k + 1 < len(rows) else end
        cells: dict[str, list[tuple[int, int]]] = {"title": [(r.start(2), r.end(2))]}
        state, prev, resumed = "title", r.group(2), False
        pos = r.end()
        lines = []
        for line in text[pos:stop].split("\n"):
            if line.strip() and not _FURNITURE.match(line.strip()):
                lines.append((pos + len(line) - len(line.lstrip()), line.strip()))
            pos += len(line) + 1
        for n, (a, s) in enumerate(lines):
            ahead = " ".join(x for _, x in lines[n:n + 3])
            if _TABLE_END.match(s):
                break
            dl = _DEADLINE.match(s) if "deadline" not in cells else None
            if dl and dl.group(2) and not _STATUS_WORDS.match(dl.group(2)):
                dl = None  # "24/02/2023 của UBND tỉnh": a document's date, not the deadline cell
            inline = _INLINE_DEADLINE.search(s) if "deadline" not in cells and state in ("lead", "assigning_document") \
                else None
            if inline and not dl:
                cells.setdefault("lead", []).append((a, a + inline.start()))  # "Sở Nội vụ. 30/06/2023 Đã hoàn thành"
                a, s = a + inline.start() + 1, s[inline.start() + 1:]
                dl = _DEADLINE.match(s)
            if dl and "deadline" in order:
                cells.setdefault("deadline", []).append((a, a + len(dl.group(1))))
                rest = dl.group(2)
                st = _STATUS_WORDS.match(rest) if rest else None
                if st:
                    ra = a + s.index(st.group(1))
                    cells.setdefault("result", []).append((ra, ra + len(st.group(1))))
                    if st.group(2).strip():
                        na = a + s.index(st.group(2).strip())
                        cells.setdefault("note", []).append((na, na + len(st.group(2).strip())))
                state = "note"
            elif state == "note" and "note" not in cells and s[:1].islower():
                # after a page break the row's first cells go on in lower case: back to the title, in column order
                state, resumed = "title", True
                cells["title"].append((a, a + len(s)))
            elif state == "lead" and _DOC.match(s):
                state = "note"  # a document after the agency: the note column ("Quyết định số 1420/QĐ-UBND …")
                cells.setdefault(state, []).append((a, a + len(s)))
            elif state == "title" and (_DOC.match(s) or (s[:1].isupper() and _WITH_CODE.match(ahead)) or
                                       (resumed and _DOC_ANY.search(s))) and "assigning_document" in order:
                state = "assigning_document"
                cells.setdefault(state, []).append((a, a + len(s)))
            elif state == "assigning_document" and "lead" in order and (
                    prev.rstrip().endswith(".") or (_AGENCY.match(s) and not prev.rstrip().endswith(("của", "ngày")))):
                state = "lead"
                cells.setdefault(state, []).append((a, a + len(s)))
            else:
                cells.setdefault(state, []).append((a, a + len(s)))
            prev = s
        tasks.append(_task(nt, r, cells, citations, dates, table))
    return tasks


def _join(nt: NormText, parts: list[tuple[int, int]] | None) -> str | None:
    if not parts:
        return None
    return " ".join(" ".join(nt.text[a:b].split()) for a, b in parts).strip() or None


def _task(nt, r, cells, citations, dates, table) -> Task:
    lo = r.start(1)
    hi = max(b for parts in cells.values() for _, b in parts)
    s, e = nt.orig_span(lo, hi)
    deadline = None
    if cells.get("deadline"):
        ds, de = nt.orig_span(*cells["deadline"][0])
        deadline = next(iter(dates.within(ds, de)), None)
    result = _join(nt, cells.get("result"))
    lead = _join(nt, cells.get("lead"))
    return Task(table=table, index=r.group(1), title=_join(nt, cells["title"]) or "", lead=lead,
                lead_canonical=canonical_agency(lead), deadline_text=_join(nt, cells.get("deadline")), deadline=deadline,
                status=_status(result) if result or "result" in cells else "unknown", result=result,
                assigning_document=_join(nt, cells.get("assigning_document")), note=_join(nt, cells.get("note")),
                citations=citation_codes(citations, s, e),
                span=Span(start=s, end=e))
