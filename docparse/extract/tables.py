"""Table rows from the shapes conversions leave in text, as lists of cells with their (cleaned-text) offsets.

- "pipe": one cell per line between "|" lines, two "|" lines in a row end a table row (portal Markdown);
- "cell lines": one cell per line, each starting with a tab, rows separated by blank lines (seed-style exports);
  a line without the tab continues the cell above;
- "tab rows": one row per line, cells separated by tabs (DOCX and PDF tables as the readers render them).
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field


@dataclass
class Cell:
    text: str
    start: int
    end: int


@dataclass
class Grid:
    layout: str
    rows: list[list[Cell]] = field(default_factory=list)
    start: int = 0
    end: int = 0


def _lines(text: str, start: int, end: int):
    pos = start
    for line in text[start:end].split("\n"):
        yield pos, pos + len(line)
        pos += len(line) + 1


def _cell(text: str, parts: list[tuple[int, int]]) -> Cell:
    a, b = parts[0][0], parts[-1][1]
    words = " ".join(" ".join(text[s:e].split()) for s, e in parts).strip()
    return Cell(words.strip("* ").strip(), a, b)


def pipe_grids(text: str, start: int, end: int) -> list[Grid]:
    """One walk over the lines of [start, end), split once; a cell's lines are kept as (start, stripped text)."""
    grids: list[Grid] = []
    grid: Grid | None = None
    row: list[Cell] = []
    cell: list[tuple[int, str]] = []
    bars = 0
    blank_run = 0
    pos = start
    for line in text[start:end].split("\n"):
        a = pos
        pos += len(line) + 1
        s = line.strip()
        if s == "|":
            if cell:
                row.append(_pipe_cell(cell))
                cell = []
            elif bars and row:  # "|" right after "|": the row ends
                if grid is None:
                    grid = Grid("pipe", start=a)
                grid.rows.append(row)
                grid.end = a + len(line)
                row = []
            bars += 1
            blank_run = 0
            continue
        if not s:
            blank_run += 1
            if blank_run >= 2 and grid is not None and not cell:
                grids.append(grid)
                grid, row, bars = None, [], 0
            continue
        blank_run = 0
        if bars:
            # pipe-only lines after the "|" belong to a cell; a big gap of prose without bars ends the grid
            cell.append((a + len(line) - len(line.lstrip()) if line[0].isspace() else a, s))
        if len(cell) > 40:  # prose, not a cell
            cell, row, bars = [], [], 0
            if grid is not None:
                grids.append(grid)
                grid = None
    if grid is not None:
        if row:
            grid.rows.append(row)
            grid.end = max(grid.end, row[-1].end)
        grids.append(grid)
    return [g for g in grids if len(g.rows) >= 2]


def _pipe_cell(parts: list[tuple[int, str]]) -> Cell:
    """The cell of pipe_grids' lines (start, stripped text): _cell's text and span, without re-reading the text."""
    if len(parts) == 1:
        at, s = parts[0]
        return Cell(" ".join(s.split()).strip("* ").strip(), at, at + len(s))
    words = " ".join(" ".join([s for _, s in parts]).split())  # each part is stripped and not empty: same spacing
    return Cell(words.strip("* ").strip(), parts[0][0], parts[-1][0] + len(parts[-1][1]))


def cell_line_grids(text: str, start: int, end: int) -> list[Grid]:
    grids: list[Grid] = []
    grid: Grid | None = None
    block: list[tuple[int, list[tuple[int, int]]]] = []  # (line start, parts of the cell's text)

    def close_block() -> None:
        nonlocal grid
        if len(block) >= 2:
            row = [_cell(text, parts) if parts else Cell("", at, at) for at, parts in block]
            grid = grid or Grid("cell_lines", start=block[0][0])
            grid.rows.append(row)
            grid.end = max(c.end for c in row)
        block.clear()

    for a, b in _lines(text, start, end):
        raw = text[a:b]
        content = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        if raw.startswith("\t"):
            block.append((a + lead, [(a + lead, a + lead + len(content))] if content else []))
        elif content and block:
            block[-1][1].append((a + lead, a + lead + len(content)))  # continues the cell above
        elif not content:
            close_block()
        else:
            close_block()
            if grid is not None:
                grids.append(grid)
                grid = None
    close_block()
    if grid is not None:
        grids.append(grid)
    return [g for g in grids if len(g.rows) >= 2]


def tab_row_grids(text: str, start: int, end: int) -> list[Grid]:
    grids: list[Grid] = []
    grid: Grid | None = None
    for a, b in _lines(text, start, end):
        raw = text[a:b]
        if "\t" in raw.strip() and not raw.startswith("\t\t\t\t"):
            cells, pos = [], a
            for part in raw.split("\t"):
                lead = len(part) - len(part.lstrip())
                cells.append(Cell(" ".join(part.split()).strip("* "), pos + lead, pos + lead + len(part.strip())))
                pos += len(part) + 1
            grid = grid or Grid("tab_rows", start=a)
            grid.rows.append(cells)
            grid.end = b
        elif raw.strip() or grid is None:
            if grid is not None:
                grids.append(grid)
                grid = None
    if grid is not None:
        grids.append(grid)
    return [g for g in grids if len(g.rows) >= 2]


_TAB_IN_LINE = re.compile(r"\t(?<=\S\t)")  # tab-led, so re skips to the next tab in C
_FIRST_BAR = re.compile(r"[ \t]*\|[ \t]*\n")
_BAR_LINE = re.compile(r"\n([ \t]*\|[ \t]*)(?=\n)")
_TASK_HEAD = re.compile(r"nhiệm\s+vụ|nội\s+dung|công\s+việc", re.IGNORECASE)
_PROCEDURE_HEAD = re.compile(r"trình\s+tự|thứ\s+tự\s+công\s+việc|các\s+bước|tthc|thủ\s+tục\s+hành\s+chính",
                             re.IGNORECASE)
_TASK_COLUMNS = re.compile(r"chủ\s+trì|thực\s+hiện|thời\s+(?:hạn|gian)|kết\s+quả|sản\s+phẩm", re.IGNORECASE)
# The same words in lower case, searched in a lower-cased head: twice as fast as IGNORECASE and the same answer
# wherever str.lower and re's case-insensitive matching agree, which `_folded` checks (tests/test_tables.py proves it
# for every code point).
_LOWER = {rx: re.compile(rx.pattern) for rx in (_TASK_HEAD, _PROCEDURE_HEAD, _TASK_COLUMNS)}


def _folded(head: str) -> str | None:
    """head.lower(), or None where a lower-case search of it could answer otherwise than the IGNORECASE pattern on
    head: a character that lower() lengthens ("İ") or that re matches to "i"/"s" but lower() keeps ("ı", "ſ")."""
    low = head.lower()
    return None if len(low) != len(head) or "ı" in low or "ſ" in low else low


def _says(rx: re.Pattern, head: str, low: str | None) -> bool:
    return (rx.search(head) if low is None else _LOWER[rx].search(low)) is not None


def bar_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Every "|" line in [start, end), found with one literal-led scan; pipe_regions groups them."""
    bars = [(start, start + 1)] if _FIRST_BAR.match(text, start) else []  # a bar on the first line has no newline
    bars += [m.span(1) for m in _BAR_LINE.finditer(text, max(0, start - 1), end)]
    return bars


def pipe_regions(bars: list[tuple[int, int]], gap: int = 400) -> list[tuple[int, int]]:
    """Stretches of text where "|" lines recur (one-cell-per-line tables); `gap` is how far apart two bars may be and
    still belong to one stretch."""
    cuts = [i for i, (a, _), (_, b) in zip(range(1, len(bars)), bars[1:], bars) if a - 1 - b > gap]
    edges = [0, *cuts, len(bars)]  # a stretch runs from one cut to the next
    return [(bars[s][0], bars[e - 1][1]) for s, e in zip(edges, edges[1:]) if e - s >= 4]


def find_grids(text: str, start: int, end: int, bars: list[tuple[int, int]] | None = None) -> list[Grid]:
    """Every table-like region, whatever its layout, in text order. Pipe regions are read cell by cell only when
    their words say they may be a task table or a form; the line walks are Python, the region scan is not.
    `bars` (from bar_lines) saves a second scan when the caller needs them too."""
    grids = []
    if bars is None:
        bars = bar_lines(text, start, end)
    for a, b in pipe_regions(bars, gap=2000):  # long cells: bars can be far apart inside a table
        head = text[a:a + 1500]  # a task table says what it is in its header row
        low = _folded(head)
        if _says(_TASK_HEAD, head, low) and _says(_TASK_COLUMNS, head, low):
            grids.extend(pipe_grids(text, a, b))
    taken = _Taken((g.start, g.end) for g in grids)
    more = []
    if text.find("\t", start, end) >= 0:  # both other layouts need a tab
        more = cell_line_grids(text, start, end) if text.count("\n\t", start, end) >= 6 else []
        if _TAB_IN_LINE.search(text, start + 1, end):  # from start + 1: a tab first in the body has nothing before it
            more += tab_row_grids(text, start, end)
    for g in more:
        if not taken.overlaps(g.start, g.end):
            grids.append(g)
            taken.add(g.start, g.end)
    return sorted(grids, key=lambda g: g.start)


class _Taken:
    """Ranges kept sorted, for "does [a, b) overlap one of them" in a bisect rather than a pass over all (a document
    of many small tab-row tables made that quadratic). Exact while the ranges do not overlap each other, which holds
    for grids (a range is added only when it overlaps none); otherwise it falls back to the pass."""

    def __init__(self, ranges):
        self.ranges = sorted(ranges)
        self.disjoint = all(p[1] <= q[0] for p, q in zip(self.ranges, self.ranges[1:]))

    def overlaps(self, a: int, b: int) -> bool:
        if not self.disjoint:
            return any(a < e and s < b for s, e in self.ranges)
        i = bisect_left(self.ranges, (b,))  # the ranges before i start before b; of those the last ends last
        return i > 0 and self.ranges[i - 1][1] > a

    def add(self, a: int, b: int) -> None:
        insort(self.ranges, (a, b))


def procedure_grids(text: str, bars: list[tuple[int, int]], grids: list[Grid]) -> list[Grid]:
    """Pipe regions find_grids leaves unread whose header words say they may hold procedure steps or a list of
    administrative procedures ("Trình tự | Trách nhiệm thực hiện | Thời gian", "Tên TTHC"). Kept apart from
    find_grids: their grids are read for procedures only, so they change neither tasks nor the prose around them."""
    taken = [(g.start, g.end) for g in grids]
    out = []
    for a, b in pipe_regions(bars, gap=2000):
        if any(a < e and s < b for s, e in taken):
            continue
        head = text[a:a + 1500]
        low = _folded(head)
        if _says(_PROCEDURE_HEAD, head, low) and _says(_TASK_COLUMNS, head, low):
            out.extend(pipe_grids(text, a, b))
    return out
