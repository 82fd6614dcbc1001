"""Procedure-step tables (quy trình nội bộ: "Bước | Bộ phận | Nội dung công việc | Thời gian") → Procedure records,
and the regions of tables that are not task tables (those and lists of administrative procedures, "Mã TTHC | Tên
thủ tục hành chính | Căn cứ pháp lý"), so that the task reader leaves them alone.

A grid is cut into segments at every header row (a "|" export glues the end of one table, the next procedure's
heading and its header into one row). A segment is a procedure when its header names a step or content column and a
time column and most of its time cells are durations ("0,5 ngày làm việc", "04 giờ", "1/2 ngày"). Durations keep
the unit written; for sums, 8 working hours make 1 working day, and "ngày" in a step table counts as a working day
(these tables use both words for one unit). The procedure's stated total comes from a total row ("Tổng thời gian …
| 15 ngày") or, failing that, from the heading text just before the table ("Tổng thời gian thực hiện: 10 ngày làm
việc", "Thời hạn giải quyết: Không quá 33 ngày"), the latter an upper bound.
"""
from __future__ import annotations

import re
from functools import lru_cache

from pydantic import TypeAdapter

from ..normalize import NormText, canonical
from ..schema import Procedure, Span
from .tables import Cell, Grid, procedure_grids
from .tasks import _is_header as _is_task_header

_STEP = re.compile(r"^(?:s?tt|số\s*tt|bước(?:\s+thực\s+hiện)?|các\s+bước|thứ\s+tự(?:\s+(?:công\s+việc|thực\s+hiện))?)$")
_DURATION_HEAD = re.compile(r"thời\s+(?:gian|hạn)")
_UNIT_HEAD = re.compile(r"bộ\s+phận|trách\s+nhiệm|đơn\s+vị|người\s+thực\s+hiện|cơ\s+quan|phân\s+công|chủ\s+thể")
_CONTENT_HEAD = re.compile(r"nội\s+dung|trình\s+tự|công\s+việc")
_LIST_HEAD = re.compile(r"tên\s+(?:thủ\s+tục|tthc)|mã\s+(?:số\s+)?(?:thủ\s+tục|tthc|hồ\s+sơ)|số\s+hồ\s+sơ|"
                        r"căn\s+cứ\s+pháp\s+lý")
_TTHC_CODE = re.compile(r"^\d\.\d{6}(?:\.[\w.]+)?$")

_NUM = r"(\d{1,3}(?:[,.]\d{1,2})?|\d\s*/\s*\d)"
_UNIT = r"(ngày\s+làm\s+việc|ngày|giờ\s+làm\s+việc|giờ)"
# a cell that is only a duration: "0,5 ngày làm việc", "04 giờ", "01 (một) ngày", "02 ngày." (a note in brackets may
# follow)
_DURATION_CELL = re.compile(rf"^(?:khoảng\s+)?{_NUM}\s*(?:\([^)]{{1,20}}\)\s*)?{_UNIT}\s*\.?\s*(?:\([^)]*\))?\.?$",
                            re.I)
_BARE_NUMBER = re.compile(rf"^{_NUM}\s*\.?$")
_NOT_COUNTED = re.compile(r"^(?:không\s+tính(?:\s+thời\s+gian)?|(?:trong\s+)?giờ\s+hành\s+chính)\b", re.I)
_HEADER_UNIT = re.compile(r"\(\s*" + _UNIT + r"\s*\)|tính\s+(?:theo|bằng)\s+" + _UNIT, re.I)
_TOTAL_LABEL = re.compile(r"^\W*(?:tổng\s+(?:cộng|thời\s+gia[in]|số\s+thời\s+gian)|cộng)\b", re.I)
_TOTAL_TEXT = re.compile(
    r"(?:(tổng)\s+thời\s+gia[in](?:\s+(?:giải\s+quyết|thực\s+hiện|xử\s+lý))?(?:\s+(?:TTHC|thủ\s+tục\s+hành\s+chính))?"
    r"|thời\s+(?:hạn|gian)\s+giải\s+quyết(?:\s+(?:TTHC|thủ\s+tục\s+hành\s+chính|hồ\s+sơ))?)"
    rf"[\s*]*:?[\s*]*(không\s+quá\s+|tối\s+đa\s+)?{_NUM}\s*(?:\([^)]{{1,20}}\)\s*)?{_UNIT}", re.I)
_PARALLEL = re.compile(r"đồng\s+thời|song\s+song|cùng\s+lúc|trường\s+hợp", re.I)  # in a time or total cell
_BRANCH = re.compile(r"^\W*(?:[a-zđ]\)\s*)?(?:trường\s+hợp|đối\s+với\s+trường\s+hợp)", re.I)  # a step of one case
_UNITS = {"ngày làm việc": "working_day", "ngày": "day", "giờ làm việc": "hour", "giờ": "hour"}
HOURS_PER_DAY = 8  # a working day is 8 working hours


@lru_cache(maxsize=4096)
def parse_duration(text: str, default_unit: str | None = None) -> tuple[float, str] | None:
    """(amount, unit) of a cell that holds only a duration; unit is "working_day", "day" or "hour". A bare number
    takes `default_unit` (the header's "(ngày làm việc)"). Cached: a table repeats its durations."""
    t = " ".join(text.split()).strip("* ")
    m = _DURATION_CELL.match(t)
    if m:
        return _amount(m.group(1)), _UNITS[" ".join(m.group(2).lower().split())]
    m = _BARE_NUMBER.match(t)
    if m and default_unit:
        return _amount(m.group(1)), default_unit
    return None


def _amount(num: str) -> float:
    num = num.replace(" ", "")
    if "/" in num:
        a, b = num.split("/")
        return int(a) / int(b) if int(b) else 0.0
    return float(num.replace(",", "."))


def in_days(amount: float, unit: str) -> float:
    return amount / HOURS_PER_DAY if unit == "hour" else amount


@lru_cache(maxsize=8192)
def _role(name: str) -> str | None:
    """The column a header cell names: step, duration, unit, content, other (None for no header cell). Asked of every
    cell while looking for header rows, and cell texts repeat (a third are new): cached."""
    if not name or len(name) > 120:
        return None
    h = " ".join(canonical(name).lower().split()).strip("*: ")
    if _STEP.match(h):
        return "step"
    if len(h) > 80:
        return None
    for role, rx in (("duration", _DURATION_HEAD), ("unit", _UNIT_HEAD), ("content", _CONTENT_HEAD)):
        if rx.search(h):
            return role
    return "other" if h else None


def _header_kind(texts: list[str]) -> str | None:
    """"procedure", "list" or None for a row read as a header."""
    if not texts or len(texts) > 16 or any(len(t) > 90 for t in texts):
        return None
    low = [" ".join(canonical(t).lower().split()) for t in texts]
    if any(_LIST_HEAD.search(t) for t in low) and _STEP.match(low[0].strip("*: ")):
        return "list"
    if len(texts) > 9:
        return None
    roles = [_role(t) for t in texts]
    if roles[0] in ("step", "content") and "duration" in roles and "content" in roles and (
            "unit" in roles or "step" in roles):
        return "procedure"
    return None


def _split_row(row: list[Cell]) -> tuple[list[Cell], list[Cell], str | None]:
    """(cells before a header, the header, its kind): a row glued to the next table's header is cut there."""
    texts = [c.text for c in row]
    roles = list(map(_role, texts))
    if "step" not in roles and "content" not in roles:  # a header opens with its step or content column
        return row, [], None
    for k, role in enumerate(roles):
        if role not in ("step", "content"):
            continue
        kind = _header_kind(texts[k:])
        if kind:
            return row[:k], row[k:], kind
        if k and _is_task_header(texts[k:]):
            return row[:k], row[k:], "other"
    return row, [], None


def _is_step_cell(text: str, default_unit: str | None) -> bool:
    return bool(parse_duration(text, default_unit) or _NOT_COUNTED.match(text))


class _Segment:
    def __init__(self, kind: str, header: list[Cell], heading: tuple[int, int]):
        self.kind, self.header, self.heading = kind, header, heading
        self.rows: list[list[Cell]] = []
        self.total: Cell | None = None
        self.total_label: Cell | None = None


def _segments(grid: Grid, before: int) -> list[_Segment]:
    """The grid's rows grouped under their headers; `before` is where the text before the grid may start."""
    segs: list[_Segment] = []
    cur: _Segment | None = None
    mark = before
    for row in grid.rows:
        prefix, header, kind = _split_row(row)
        if not header:
            if cur is not None:
                cur.rows.append(row)
            continue
        if cur is not None and prefix:
            if (cur.rows and len(cur.rows[-1]) == 1 and _TOTAL_LABEL.match(cur.rows[-1][0].text)
                    and _is_step_cell(prefix[0].text, None)):  # the total's label and value split over two rows
                cur.total_label, cur.total, prefix = cur.rows.pop()[0], prefix[0], prefix[1:]
            elif _TOTAL_LABEL.match(prefix[0].text) and len(prefix) > 1:
                value = prefix[1] if _is_step_cell(prefix[1].text, None) else None
                cur.total_label, cur.total, prefix = prefix[0], value, prefix[2:]
            else:
                last = max((i for i, c in enumerate(prefix[:len(cur.header)])
                            if _is_step_cell(c.text, None)), default=-1)
                if last >= 0:
                    cur.rows.append(prefix[:last + 1])
                    prefix = prefix[last + 1:]
        if cur is not None and cur.rows:
            mark = max(mark, max(c.end for r in cur.rows for c in r))
        if cur is not None and cur.total is not None:
            mark = max(mark, cur.total.end)
        start = prefix[0].start if prefix else header[0].start
        cur = _Segment(kind, header, (max(mark, start - 800) if not prefix else start, header[0].start))
        segs.append(cur)
        mark = header[-1].end
    return segs


def _columns(header: list[Cell]) -> tuple[dict[str, int], str | None]:
    cols: dict[str, int] = {}
    unit = None
    for i, c in enumerate(header):
        r = _role(c.text)
        if r and r != "other" and r not in cols:
            cols[r] = i
        if r == "duration":
            m = _HEADER_UNIT.search(" ".join(c.text.lower().split()))
            if m:
                unit = _UNITS[" ".join((m.group(1) or m.group(2)).split())]
    return cols, unit


def _aligned(row: list[Cell], width: int, at: int, default_unit: str | None) -> list[Cell | None]:
    """A row with fewer cells than the header lost cells to merged (rowspan) ones: shift it so that its duration
    cell lands in the time column `at`, keeping a step number in the first column."""
    if len(row) >= width:
        return list(row[:width])
    found = next((i for i, c in enumerate(row) if _is_step_cell(c.text, default_unit)), None)
    shift = at - found if found is not None else 0  # no time cell: the empty cells at the end were dropped
    if shift <= 0:
        return list(row) + [None] * (width - len(row))
    if row and _STEP_INDEX.match(row[0].text):
        return ([row[0]] + [None] * shift + list(row[1:]) + [None] * width)[:width]
    return ([None] * shift + list(row) + [None] * width)[:width]


_STEP_INDEX = re.compile(r"^(?:bước\s*)?(?:b\s*)?\d{1,2}(?:\.\d{1,2})*\.?$", re.I)


def _total(nt: NormText, seg: _Segment, default_unit: str | None) -> tuple[str, float, str, str, Span] | None:
    """(text, amount, unit, bound, span) of the stated total; None when none or when the heading states two."""
    if seg.total_label is not None:  # a total row: its value or nothing (never the heading's)
        parsed = parse_duration(seg.total.text, default_unit) if seg.total is not None else None
        if parsed and not _PARALLEL.search(seg.total_label.text):
            s, e = nt.orig_span(seg.total.start, seg.total.end)
            return seg.total.text, parsed[0], parsed[1], "exact", Span(start=s, end=e)
        return None
    a, b = seg.heading
    found = list(_TOTAL_TEXT.finditer(nt.text, a, b))
    if not found or len({(_amount(m.group(3)), m.group(4).lower()) for m in found}) > 1:
        return None
    m = found[-1]
    bound = "exact" if m.group(1) and not m.group(2) else "at_most"
    s, e = nt.orig_span(m.start(), m.end())
    unit = _UNITS[" ".join(m.group(4).lower().split())]
    return " ".join(m.group(0).split()).replace("*", ""), _amount(m.group(3)), unit, bound, Span(start=s, end=e)


def _name(nt: NormText, seg: _Segment) -> str | None:
    """The heading nearest above the table: a numbered line ("2. Cấp lại giấy …", "Điều 23. …") or one naming a
    procedure ("Quy trình số 05", "Thủ tục …"), up to the line that states the time or opens the table."""
    a, b = seg.heading
    for start in reversed([m.start(1) for m in _HEADING.finditer(nt.text, a, b)]):
        stop = _NAME_STOP.search(nt.text, start, b)
        name = " ".join(nt.text[start:stop.start() if stop else b].replace("*", " ").split()).strip(" :.-")
        if name and not _GENERIC.match(name):
            return name[:200]
    return None


_HEADING = re.compile(r"^[ \t*]*((?:\d{1,2}(?:\.\d{1,2})*\.?|[a-zđ]\)|Điều\s+\d+\.?)[ \t*]+\S|"
                      r"(?:quy\s+trình|thủ\s+tục)\s+\S)", re.I | re.M)
_GENERIC = re.compile(r"^(?:\S+\s+)?(?:trình\s+tự|thời\s+(?:hạn|gian)|cách\s+thức|quy\s+trình\s+thực\s+hiện)", re.I)
_NAME_STOP = re.compile(r"\n[ \t]*(?:\||-|\+|\*?\s*(?:tổng\s+)?thời\s+(?:gian|hạn)|"
                        r"(?:\d{1,2}\.|[a-zđ]\))\s+(?:thời|trình))",
                        re.I)


def _procedure(nt: NormText, seg: _Segment, table: int) -> dict | None:
    """The fields of a Procedure (its steps as dicts too), for _PROCEDURES."""
    cols, default_unit = _columns(seg.header)
    width = len(seg.header)
    if "duration" not in cols:
        return None
    header_words = {c.text for c in seg.header}
    name = _name(nt, seg)
    steps: list[dict] = []
    durations = filled = 0
    branches = False
    last_total = None  # how many steps were read when the first total row came
    row_total = None  # the last total row: the grand total when a table also has subtotals
    cut = False
    for row in seg.rows:
        texts = [c.text for c in row if c.text]
        if not texts or all(t in header_words for t in texts):
            continue
        if row_total is not None and row_total[1] is None and len(texts) == 1 and _is_step_cell(texts[0], default_unit):
            row_total = (row_total[0], next(c for c in row if c.text))  # the value on the row below its label
            continue
        if _TOTAL_LABEL.match(texts[0]):
            if steps and last_total is None:
                last_total = len(steps)
            value = next((c for c in row[1:] if c.text), None)
            row_total = (row[0], value if value is not None and _is_step_cell(value.text, default_unit) else None)
            continue
        if len(texts) == 1 and not _is_step_cell(texts[0], default_unit):
            cut = bool(steps)  # "a) Trường hợp …": if steps follow, they are another case, not further steps
            continue
        branches = branches or cut
        cells = _aligned(row, width, cols["duration"], default_unit)
        get = {r: cells[i] for r, i in cols.items() if i < len(cells)}
        dur = get.get("duration")
        dur_text = dur.text if dur is not None and dur.text else None
        parsed = parse_duration(dur_text, default_unit) if dur_text else None
        if dur_text:
            filled += 1
            durations += bool(parsed or _NOT_COUNTED.match(dur_text))
        lo = min(c.start for c in row if c.text)
        hi = max(c.end for c in row if c.text)
        s, e = nt.orig_span(lo, hi)
        step = get.get("step")
        content = get.get("content")
        unit = get.get("unit")
        steps.append({
            "procedure": name, "table": table, "step": step.text if step is not None and step.text else None,
            "unit": unit.text if unit is not None and unit.text else None,
            "content": content.text if content is not None else "", "duration_text": dur_text,
            "duration": parsed[0] if parsed else None, "duration_unit": parsed[1] if parsed else None,
            "counted": not (dur_text and _NOT_COUNTED.match(dur_text)), "span": {"start": s, "end": e}})
    if len(steps) < 2 or filled == 0 or durations * 2 < filled:
        return None  # a time column of dates and quarters: a task table after all
    if seg.total_label is None and row_total is not None:
        seg.total_label, seg.total = row_total
    total = _total(nt, seg, default_unit)
    indices = [st["step"] for st in steps if st["step"]]
    doubtful = []
    if branches:
        doubtful.append("các trường hợp khác nhau")
    if any(_BRANCH.match(st["content"] or "") or _BRANCH.match(st["step"] or "") for st in steps):
        doubtful.append("các trường hợp khác nhau")
    if any(_PARALLEL.search(st["duration_text"] or "") for st in steps):
        doubtful.append("bước thực hiện đồng thời")
    if len(indices) != len(set(indices)) or any("." in i.strip(".") for i in indices):
        doubtful.append("bước lặp hoặc bước con")
    if last_total is not None and last_total < len(steps):
        doubtful.append("tổng thời gian từng phần")  # "Tổng … ở cấp xã" with the province's steps below
    if any(st["counted"] and st["duration"] is None for st in steps):
        doubtful.append("bước có thời gian không phải là số")
    lo = min(c.start for c in seg.header)
    last = steps[-1]["span"]["end"]
    s, _ = nt.orig_span(lo, lo)
    return {"name": name, "table": table, "steps": steps,
            "total_text": total[0] if total else None, "total": total[1] if total else None,
            "total_unit": total[2] if total else None, "total_bound": total[3] if total else None,
            "total_span": total[4] if total else None, "doubts": doubtful,
            "span": {"start": s, "end": max(last, total[4].end if total and total[3] == "exact" else last)}}


def extract_procedures(nt: NormText, grids: list[Grid], bars: list[tuple[int, int]]
                       ) -> tuple[list[Procedure], list[tuple[int, int]]]:
    """The procedures of the document, and the regions (cleaned offsets) of its procedure and TTHC-list tables,
    which hold no tasks. `grids` are find_grids' (the task reader's); the "|" regions they leave out are read here
    too when they look like procedures (`bars` from bar_lines). One pass over the rows of each grid."""
    grids = sorted(grids + procedure_grids(nt.text, bars, grids), key=lambda g: g.start)
    procedures: list[dict] = []  # validated at the end in one call (see _PROCEDURES)
    regions: list[tuple[int, int]] = []
    prev_end = 0
    for grid in grids:
        segs = _segments(grid, max(prev_end, grid.start - 800))
        prev_end = grid.end
        for k, seg in enumerate(segs):
            end = segs[k + 1].heading[1] if k + 1 < len(segs) else grid.end
            if seg.kind == "list":
                regions.append((seg.header[0].start, end))
            elif seg.kind == "procedure":
                proc = _procedure(nt, seg, len(procedures))
                if proc is not None:
                    procedures.append(proc)
                    regions.append((seg.header[0].start, end))
        for row in grid.rows:  # a list without its header row: rows holding a TTHC code
            if any(map(_TTHC_CODE.match, [c.text for c in row])):
                regions.append((min(c.start for c in row), max(c.end for c in row)))
    return _PROCEDURES.validate_python(procedures), regions


# the procedures with their steps as one list of dicts validated in one call: faster than a record at a time
_PROCEDURES = TypeAdapter(list[Procedure])
