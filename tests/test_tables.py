"""The table reader's shortcuts answer exactly as the plain ways do (issue 17): pipe_grids' single split of the
lines against a line-by-line walk, the lower-cased header-word search against re's IGNORECASE for every code point,
bar_lines / pipe_regions on edge cases. Texts are fictional."""
from __future__ import annotations

import re
import sys

import pytest

from docparse.extract import tables
from docparse.extract.tables import Cell, Grid, bar_lines, find_grids, pipe_grids, pipe_regions

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_CI = dict(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


def _walk_grids(text: str, start: int, end: int) -> list[Grid]:
    """The reference: every line of [start, end) sliced from the text and stripped one by one."""
    grids, grid, row, cell, bars, blank_run, pos = [], None, [], [], 0, 0, start
    for line in text[start:end].split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        s = text[a:b].strip()
        if s == "|":
            if cell:
                words = " ".join(" ".join(text[x:y].split()) for x, y in cell).strip()
                row.append(Cell(words.strip("* ").strip(), cell[0][0], cell[-1][1]))
                cell = []
            elif bars and row:
                grid = grid or Grid("pipe", start=a)
                grid.rows.append(row)
                grid.end = b
                row = []
            bars, blank_run = bars + 1, 0
            continue
        if not s:
            blank_run += 1
            if blank_run >= 2 and grid is not None and not cell:
                grids.append(grid)
                grid, row, bars = None, [], 0
            continue
        blank_run = 0
        if bars:
            lead = len(text[a:b]) - len(text[a:b].lstrip())
            cell.append((a + lead, a + lead + len(s)))
        if len(cell) > 40:
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


_LINES = st.sampled_from(["|", " | ", "|\r", "\t|", "", "  ", "\r", "1", " Nhiệm vụ  A ", "**Chủ trì**", "x\u2003y",
                          " - a", "Sở Tài chính", "\u00a0Quý IV\u00a0"])


@settings(max_examples=400, **_CI)
@given(st.lists(_LINES, max_size=60), st.integers(0, 6), st.integers(0, 6))
def test_pipe_grids_answers_as_the_line_walk(lines, cut_start, cut_end):
    text = "\n".join(lines)
    start, end = min(cut_start, len(text)), max(min(cut_start, len(text)), len(text) - cut_end)
    assert pipe_grids(text, start, end) == _walk_grids(text, start, end)


def test_pipe_grids_reads_a_one_cell_per_line_table():
    text = "Bảng:\n|\nSTT\n|\nNhiệm vụ\n|\n|\n1\n|\n  Rà soát  **hồ sơ**\n  đất đai\n|\n|\n\n\nhết"
    grids = pipe_grids(text, 0, len(text))
    assert [[c.text for c in r] for r in grids[0].rows] == [["STT", "Nhiệm vụ"], ["1", "Rà soát **hồ sơ** đất đai"]]
    cell = grids[0].rows[1][1]
    assert text[cell.start:cell.end] == "Rà soát  **hồ sơ**\n  đất đai"


def _alphabet() -> str:
    words = "".join(rx.pattern for rx in (tables._TASK_HEAD, tables._PROCEDURE_HEAD, tables._TASK_COLUMNS))
    return "".join(sorted({ch for ch in re.sub(r"\\s|[()?:|+]", "", words)}))


def test_lowered_search_matches_ignorecase_for_every_code_point():
    """Where _folded lets a text through, each of its characters matches a pattern letter under IGNORECASE exactly
    when its lower() is that letter, and is whitespace exactly when its lower() is: so the lower-case patterns on
    the lowered text find what the IGNORECASE patterns find on the text."""
    letters = _alphabet()
    assert letters.islower() and len(letters) > 20
    everything = "".join(map(chr, range(sys.maxunicode + 1)))
    near = {m.group() for m in re.finditer("[" + re.escape(letters) + "]", everything, re.IGNORECASE)}
    for ch in everything:
        low = ch.lower()
        if low in letters and len(low) == 1:
            near.add(ch)
        if tables._folded(ch) is not None:
            assert ch.isspace() == low.isspace(), hex(ord(ch))
    for ch in near:
        if tables._folded(ch) is None:
            continue
        by_re = {c for c in letters if re.fullmatch(re.escape(c), ch, re.IGNORECASE)}
        assert by_re == ({ch.lower()} & set(letters)), hex(ord(ch))
    for odd in ("İ", "ı", "ſ"):
        assert tables._folded("Nhiệm vụ " + odd) is None


@pytest.mark.parametrize("head", ["NHIỆM VỤ | CHỦ TRÌ", "Nội\n dung công việc", "Trình  tự | Thời hạn", "TTHC",
                                  "nhiệm vụ chủ trì İ", "ſản phẩm", "thực hıện", "Kết quả"])
def test_says_as_ignorecase(head):
    low = tables._folded(head)
    for rx in (tables._TASK_HEAD, tables._PROCEDURE_HEAD, tables._TASK_COLUMNS):
        assert tables._says(rx, head, low) == (rx.search(head) is not None)


def test_bar_lines_of_equal_texts_and_ranges():
    a = "x\n|\ny\n |\t\nz"
    b = "".join(["x\n|\ny\n", " |\t\nz"])  # equal, not the same object: same answer
    first = bar_lines(a, 0, len(a))
    first.append((99, 100))  # a caller's change stays with the caller
    assert bar_lines(a, 0, len(a)) == [(2, 3), (6, 9)] == bar_lines(b, 0, len(b))
    c = "|\n|\nq\n"
    assert bar_lines(c, 0, len(c)) == [(0, 1), (2, 3)]
    assert bar_lines(c, 1, len(c)) == [(2, 3)]


def test_pipe_regions_answers_for_the_bars_given():
    bars = [(0, 1), (10, 11), (20, 21), (30, 31)]
    assert pipe_regions(bars, gap=2000) == [(0, 31)]
    bars.pop()  # changed in place: answered for the bars as they are now
    assert pipe_regions(bars, gap=2000) == []
    assert pipe_regions(bars + [(5000, 5001), (5002, 5003)], gap=400) == []


@settings(max_examples=300, **_CI)
@given(st.lists(st.tuples(st.integers(0, 3000), st.integers(0, 3)), max_size=40), st.sampled_from([0, 400, 2000]))
def test_pipe_regions_groups_as_a_walk_over_the_bars(steps, gap):
    bars, pos = [], 0
    for step, width in steps:
        pos += step
        bars.append((pos, pos + width))
        pos += width
    regions: list[list[int]] = []  # the reference: one stretch extended bar by bar
    for a, b in bars:
        if regions and a - 1 - regions[-1][1] <= gap:
            regions[-1][1:] = [b, regions[-1][2] + 1]
        else:
            regions.append([a, b, 1])
    assert pipe_regions(bars, gap) == [(a, b) for a, b, n in regions if n >= 4]


def test_find_grids_tab_layouts_need_a_tab():
    rows = "Nội dung\tChủ trì\tThời hạn\nRà soát\tSở Xây dựng\tQuý IV\nKiểm tra\tSở Y tế\t30/6\n"
    assert [g.layout for g in find_grids(rows, 0, len(rows))] == ["tab_rows"]
    assert find_grids(rows.replace("\t", " | "), 0, len(rows)) == []
