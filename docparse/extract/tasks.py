"""Task tables → Task records: find the header of a grid, give each column a role from its words, then read the rows.

A heading row (only a TT and a title: "I", "2. Cải cách thể chế") becomes the group of the rows below it; a row
without TT continues the task above (wrapped cells in PDF renderings).
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left
from functools import lru_cache
from operator import attrgetter

from pydantic import TypeAdapter

from ..normalize import NormText, canonical
from ..schema import Citation, DateMention, Span, Task
from .entities import canonical_agency
from .ranges import Ranges
from .tables import Cell, Grid

# role → header words; the first match wins, so specific phrases come before general ones
_ROLES = [
    ("index", r"^(?:s?tt|số\s+tt)$"),
    ("progress", r"^tiến\s+độ$"),
    ("assigning_document", r"văn\s+bản\s+giao"),
    ("deadline", r"thời\s+(?:gian|hạn)|tiến\s+độ|hạn\s+hoàn\s+thành"),
    ("result", r"kết\s+quả\s+thực\s+hiện|tình\s+hình\s+thực\s+hiện|kết\s+quả\s+triển\s+khai|tiến\s+độ\s+thực\s+hiện"),
    ("coordinators", r"phối\s+hợp"),
    ("lead", r"chủ\s+trì|cơ\s+quan\s+thực\s+hiện|đơn\s+vị\s+thực\s+hiện|cơ\s+quan\s+chịu\s+trách\s+nhiệm"),
    ("product", r"sản\s+phẩm|kết\s+quả\s+đầu\s+ra"),
    ("note", r"ghi\s+chú"),
    ("title", r"nhiệm\s+vụ|nội\s+dung|công\s+việc|tên\s+nhiệm\s+vụ"),
]
_ROLE_RE = [(r, re.compile(p, re.IGNORECASE)) for r, p in _ROLES]
_INDEX = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[a-zđ]\)|[IVXL]{1,5}\.?)$")
_ROMAN = re.compile(r"^[IVXL]{1,5}\.?$")
_STATUS = [("done", re.compile(r"đã\s+hoàn\s+thành|hoàn\s+thành\s+(?:đúng|trước)\s+hạn|đã\s+(?:ban\s+hành|thực\s+hiện|triển\s+khai)",
                               re.I)),
           ("not_started", re.compile(r"chưa\s+(?:thực\s+hiện|triển\s+khai|hoàn\s+thành|ban\s+hành)", re.I)),
           ("in_progress", re.compile(r"đang\s+(?:thực\s+hiện|triển\s+khai|xây\s+dựng|hoàn\s+thiện|trình)", re.I))]
_CONDITION = re.compile(r"^\s*(?:sau\s+khi|khi\s+có|theo\s+(?:tiến\s+độ|yêu\s+cầu|hướng\s+dẫn|kế\s+hoạch|lộ\s+trình|quy\s+định))",
                        re.IGNORECASE)
_BARE_YEAR = re.compile(r"^\s*(?:năm\s+)?((?:19|20)\d{2})(?:\s*[-–]\s*((?:19|20)\d{2}))?\s*$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\S")
_SPLIT = re.compile(r"\s*;\s*|\s*\n\s*")


@lru_cache(maxsize=1024)
def _cell_roles(cell: str) -> tuple[str, ...]:
    """Every role whose words the cell holds, in _ROLES order (a header's cells are read again for each row tried
    and for each table of a document)."""
    h = " ".join(canonical(cell).lower().split())
    return tuple(role for role, rx in _ROLE_RE if rx.search(h))


def _roles(header: list[str]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for i, h in enumerate(header):
        for role in _cell_roles(h):  # the first one no earlier column has taken
            if role not in roles.values():
                roles[i] = role
                break
    if "progress" in roles.values() and "deadline" not in roles.values():  # a lone "Tiến độ" column is the deadline
        roles = {i: "deadline" if r == "progress" else r for i, r in roles.items()}
    return roles


def _merge_header(top: list[str], sub: list[str]) -> list[str]:
    """A two-row header ("Trách nhiệm thực hiện" over "Chủ trì | Phối hợp"): sub-headers replace their parent.
    Rows aligned on the same columns (PDF tables) merge cell by cell; rows where the spanning cell appears once
    (DOCX, text) are walked in step."""
    if len(top) == len(sub):
        return [b or a for a, b in zip(top, sub)]
    out, j, i = [], 0, 0
    while i < len(sub):
        if sub[i]:
            while i < len(sub) and sub[i]:
                out.append(sub[i])
                i += 1
            j += 1
        else:
            out.append(top[j] if j < len(top) else "")
            i += 1
            j += 1
    return out


def _header(grid: Grid) -> tuple[int, list[str]] | None:
    """(index of the first data row, column names) when the grid has a task-table header."""
    for k, row in enumerate(grid.rows[:4]):
        names = [c.text for c in row]
        tt = next((i for i, n in enumerate(names) if _is_index(n)), 0)
        names = names[tt:]  # cells glued before "TT" belong to what preceded the table
        roles = _roles(names)
        if "title" in roles.values() and ({"lead", "deadline", "result"} & set(roles.values())):
            nxt = [c.text for c in grid.rows[k + 1]] if k + 1 < len(grid.rows) else []
            sub_roles = _roles(nxt)
            if nxt and {"lead", "coordinators"} & set(sub_roles.values()) and not any(_INDEX.match(t) for t in nxt[:1]
                                                                                      if t):
                return k + 2, _merge_header(names, nxt)
            return k + 1, names
        if "title" in roles.values() and k + 1 < len(grid.rows):
            nxt = [c.text for c in grid.rows[k + 1]]
            merged = _merge_header(names, nxt)
            if {"lead", "coordinators"} & set(_roles(merged).values()):
                return k + 2, merged
    return None


def _status(result: str | None) -> str:
    if not result:
        return "unknown"
    for status, rx in _STATUS:
        if rx.search(result):
            return status
    return "unknown"


class SpanIndex:
    """Records sorted by span start, looked up by range in O(log n): a table of 20 000 rows must not rescan every
    date or citation of the document for each row."""

    def __init__(self, records):
        self.records = sorted(records, key=attrgetter("span.start"))
        self.starts = [r.span.start for r in self.records]

    def within(self, start: int, end: int) -> list:
        i = bisect_left(self.starts, start)
        out = []
        while i < len(self.records) and self.starts[i] < end:
            if self.records[i].span.end <= end:
                out.append(self.records[i])
            i += 1
        return out


def citation_codes(index: SpanIndex, start: int, end: int) -> list[str]:
    return [c.code or c.name or "" for c in index.within(start, end)]


def _deadline(nt: NormText, cell: Cell, dates: SpanIndex) -> DateMention | None:
    if not cell.text:
        return None
    if _CONDITION.match(cell.text):  # "Sau khi có hướng dẫn …": a condition, not a date
        s, e = nt.orig_span(cell.start, cell.end)
        return DateMention(kind="condition", text=nt.original[s:e], span=Span(start=s, end=e))
    s, e = nt.orig_span(cell.start, cell.end)
    found = dates.within(s, e)  # the document's dates, already read
    if found:
        return found[0]
    bare = _BARE_YEAR.match(cell.text)
    if bare:  # a deadline cell holding only "2025" (or "2026 - 2030") means the year(s)
        y1 = int(bare.group(1))
        y2 = int(bare.group(2)) if bare.group(2) else y1
        if y1 <= y2 <= y1 + 50:
            s, e = nt.orig_span(cell.start, cell.end)
            return DateMention(kind="year" if y1 == y2 else "range", start=dt.date(y1, 1, 1), end=dt.date(y2 + 1, 1, 1),
                               grain="year", text=nt.original[s:e], span=Span(start=s, end=e))
    return None


def extract_tasks(nt: NormText, grids: list[Grid], citations: list[Citation], dates: list[DateMention],
                  exclude: list[tuple[int, int]] = ()) -> list[Task]:
    """`exclude`: regions (cleaned offsets) of tables that are not task tables (procedure steps, lists of
    administrative procedures); no row starting there is a task."""
    tasks: list[dict] = []  # validated at the end in one call (see _TASKS)
    exclude = Ranges(exclude)
    table_no = 0
    indexed = False  # dates and citations are indexed at the first task table (most documents have none)
    for grid in grids:
        head = _header(grid)
        if head is None:
            continue
        if not indexed:
            dates, citations, indexed = SpanIndex(dates), SpanIndex(citations), True
        first, names = head
        roles = _roles(names)
        if "title" not in roles.values():
            continue
        col = {role: i for i, role in roles.items()}
        group = None
        header_words = {c.text for r in grid.rows[:first] for c in r if c.text}
        for row, is_header in _table_rows(grid.rows[first:], len(names)):
            texts = [c.text for c in row if c.text]
            if not is_header and texts and exclude.contains(*_first(row)):
                continue  # a row of a procedure or TTHC-list table
            if texts and all(t in header_words for t in texts):
                continue  # the header repeated on the next page
            if is_header:
                # another table's header inside the same "|" region (Phụ lục I, then Phụ lục II): its columns rule
                again = _roles([c.text for c in row])
                roles, col, group = again, {role: i for i, role in again.items()}, None
                header_words, table_no = set(texts), table_no + 1
                continue
            cells = {role: row[i] if i < len(row) else None for role, i in col.items()}
            index = cells.get("index").text if cells.get("index") else None
            title_cell = cells.get("title")
            title = title_cell.text if title_cell else ""
            others = [c for r, c in cells.items() if r not in ("index", "title") and c is not None and c.text]
            if not title and not others:
                continue
            if index and _ROMAN.match(index) or (index and not others and title):
                group = f"{index} {title}".strip() if not _ROMAN.match(index or "") else f"{index}. {title}".strip()
                continue
            if (not index and tasks and tasks[-1]["table"] == table_no and grid.layout == "tab_rows"
                    and (not title or title[:1].islower())):
                _continue(tasks[-1], cells)  # a visual line of a wrapped row: the cells continue the task above
                continue
            if not title:
                continue
            if not index and not cells.get("lead") or (not index and _NUMBERED.match(title) and len(title) < 80
                                                       and not (cells.get("lead") and cells["lead"].text)):
                group = title  # "5.1 Thương mại": a numbered heading row inside the table
                continue
            lo = min(c.start for c in row if c.text)
            hi = max(c.end for c in row if c.text)
            s, e = nt.orig_span(lo, hi)
            lead = cells["lead"].text if cells.get("lead") and cells["lead"].text else None
            coord = cells.get("coordinators")
            result = cells["result"].text if cells.get("result") and cells["result"].text else None
            progress = cells["progress"].text if cells.get("progress") and cells["progress"].text else None
            deadline_cell = cells.get("deadline")
            tasks.append({
                "table": table_no, "group": group, "index": index or None, "title": title, "lead": lead,
                "lead_canonical": canonical_agency(lead),
                "coordinators": [p for p in _SPLIT.split(coord.text) if p] if coord and coord.text else [],
                "product": cells["product"].text if cells.get("product") and cells["product"].text else None,
                "deadline_text": deadline_cell.text if deadline_cell and deadline_cell.text else None,
                "deadline": _deadline(nt, deadline_cell, dates) if deadline_cell else None,
                "status": _status(progress or result) if {"result", "progress"} & set(col) else None,
                "result": result,
                "assigning_document": cells["assigning_document"].text if cells.get("assigning_document") else None,
                "note": cells["note"].text if cells.get("note") and cells["note"].text else None,
                "citations": citation_codes(citations, s, e),
                "span": {"start": s, "end": e}})
        table_no += 1
    return _TASKS.validate_python(tasks)


# the rows as one list of dicts validated in one call: faster than a record (and its Span) at a time
_TASKS = TypeAdapter(list[Task])


def _first(row: list[Cell]) -> tuple[int, int]:
    start = next(c.start for c in row if c.text)
    return start, start + 1


_TITLE_CELL = re.compile(r"^[^a-zà-ỹđ]{12}")


def _is_index(text: str) -> bool:
    """The cell names the index column ("STT", "TT", "Số TT"). Only a cell opening with one of the letters that match
    "s" or "t" (or with a space) can: most cells are answered without lowering and re-spacing their text."""
    if text[:1] not in _INDEX_FIRST and not text[:1].isspace():
        return False
    return _ROLE_RE[0][1].match(" ".join(text.lower().split())) is not None


_INDEX_FIRST = frozenset("sStTſ")


def _is_header(texts: list[str]) -> bool:
    """A header row inside a table: it opens with "STT"/"TT" and names a title column and a lead/deadline/result."""
    if not texts or not _is_index(texts[0]):
        return False
    roles = set(_roles(texts).values())
    return "title" in roles and bool({"lead", "deadline", "result"} & roles)


def _split_headers(rows: list[list[Cell]]):
    """A row that runs into the next table's header ("… | 30/09/2025 | PHỤ LỤC II … | STT | Tên nhiệm vụ | …", the
    "|" export glues them): the row, then the header on its own."""
    for row in rows:
        k = next((i for i, c in enumerate(row) if i and _is_index(c.text) and _is_header([c.text for c in row[i:]])),
                 None)  # (_is_header's own first test, before the list is built)
        if k is not None:
            yield [c for c in row[:k] if not _TITLE_CELL.match(c.text)]  # the appendix title between them is not a cell
            yield row[k:]
        else:
            yield row


def _table_rows(rows: list[list[Cell]], width: int):
    """(row, is it a header): the data rows, each run between two headers mended with its own table's width."""
    run: list[list[Cell]] = []
    for row in _split_headers(rows):
        if _is_header([c.text for c in row if c.text]):
            yield from ((r, False) for r in _mend_split_rows(run, width))
            yield row, True
            run, width = [], len(row)
        else:
            run.append(row)
    yield from ((r, False) for r in _mend_split_rows(run, width))


def _mend_split_rows(rows: list[list[Cell]], width: int) -> list[list[Cell]]:
    """A stray blank line inside a row of a cell-per-line export splits it in two short rows: join them back when
    together they make exactly one row. A row boundary lost in conversion glues two rows into one over-long row:
    cut it where a TT cell starts the last `width` cells."""
    out: list[list[Cell]] = []
    for row in _cut_glued_rows(rows, width):
        if out and len(out[-1]) < width and len(row) < width and len(out[-1]) + len(row) == width:
            out[-1] = out[-1] + row
        else:
            out.append(list(row))
    return out


def _cut_glued_rows(rows: list[list[Cell]], width: int):
    for row in rows:
        if len(row) >= 3 and len(row[0].text) > 20 and not _INDEX.match(row[0].text) and _INDEX.match(row[1].text):
            yield row[:1]  # a heading row ("Nhiệm vụ giao … chỉ đạo") glued in front of the next numbered row
            row = row[1:]
        while len(row) > width:
            k = len(row) - width
            cut = next((i for i in range(k, min(len(row), k + 2)) if _INDEX.match(row[i].text)), None)
            if cut is None:
                break
            yield [c for c in row[:cut] if c.text] if cut > width else row[:cut]
            row = row[cut:]
        yield row


def _continue(task: dict, cells: dict[str, Cell | None]) -> None:
    """Adds a wrapped row's cells to the fields of the task above (a dict, not yet validated)."""
    for role in ("title", "product", "result", "note", "lead"):
        c = cells.get(role)
        if c is not None and c.text:
            old = task[role]
            task[role] = f"{old} {c.text}".strip() if old else c.text
    if cells.get("coordinators") and cells["coordinators"].text:
        task["coordinators"].extend(p for p in _SPLIT.split(cells["coordinators"].text) if p)
