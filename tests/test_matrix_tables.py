"""Statistical matrix tables (one row per unit, one column per measure) read into indicators (issue 3).

The tables are fictional (huyện Sông Mây does not exist), written in the one-cell-per-line "|" layout that portal
conversions leave: a "|" line after each cell, two "|" lines in a row end a table row, an empty cell leaves no line.
"""
from __future__ import annotations

from fictional import vb

import docparse
from docparse.extract.indicators import _minus


def pipe_table(rows: list[list[str]]) -> str:
    lines: list[str] = []
    for row in rows:
        lines.append("|")
        for cell in row:
            lines.extend([cell, "|"] if cell else ["|"])
    return "\n".join(lines) + "\n"


MATRIX = pipe_table([
    ["STT", "Đơn vị", "Kết quả cắt giảm, đơn giản hóa", "Số TTHC đã rà soát", "Tỷ lệ hoàn thành (%)", "Ghi chú"],
    ["Đơn giản hóa TTHC", "Bãi bỏ TTHC", "Cắt giảm ĐKKD"],
    ["1", "Xã Mây Hồng", "12", "3", "5", "1.250", "98,5"],
    ["2", "Xã Suối Ngọc", "7", "-", "2", "980", "100", "02 TTHC chờ công bố"],
    ["3", "Thị trấn Mây", "20", "1", "", "1.400", "97,25"],
    ["Tổng", "39", "4", "7", "3.630", "98,6"],
])


def _doc(table: str, before: str = "PHỤ LỤC\nKẾT QUẢ RÀ SOÁT THỦ TỤC HÀNH CHÍNH NĂM 2025\n\n"):
    return docparse.parse_text(vb("I. KẾT QUẢ\nHuyện đã rà soát các thủ tục hành chính.\n\n" + before + table))


def _table_figures(doc):
    start = doc.text.index("|\nSTT")
    return [i for i in doc.indicators if i.span.start > start]


def test_matrix_cells_become_indicators_with_unit_from_the_column_header():
    doc = _doc(MATRIX)
    got = {(i.text, i.kind, i.value, i.unit) for i in _table_figures(doc)}
    assert ("12", "count", 12, "TTHC") in got
    assert ("5", "count", 5, "ĐKKD") in got
    assert ("1.250", "count", 1250, "TTHC") in got  # the Vietnamese grouping of a count
    assert ("98,5", "percent", 98.5, "%") in got
    assert ("3.630", "count", 3630, "TTHC") in got
    assert ("97,25", "percent", 97.25, "%") in got
    # 4 rows × 5 columns, less the "-" and the empty cell; the row numbers 1, 2, 3 are not figures
    assert len([i for i in _table_figures(doc) if i.label and "(" in i.label]) == 18
    for i in doc.indicators:
        assert doc.text[i.span.start:i.span.end] == i.text


def test_labels_name_the_column_headers_and_the_row():
    doc = _doc(MATRIX)
    by_text = {(i.text, i.label) for i in _table_figures(doc)}
    assert ("12", "đơn giản hóa TTHC – kết quả cắt giảm, đơn giản hóa (Xã Mây Hồng)") in by_text
    assert ("980", "số TTHC đã rà soát (Xã Suối Ngọc)") in by_text
    assert ("98,6", "tỷ lệ hoàn thành (%) (Tổng)") in by_text


def test_a_row_cut_by_an_empty_cell_keeps_its_columns():
    doc = _doc(MATRIX)
    mây = [i for i in _table_figures(doc) if i.label and i.label.endswith("(Thị trấn Mây)")]
    assert [(i.text, i.unit) for i in mây] == [("20", "TTHC"), ("1", "TTHC"), ("1.400", "TTHC"), ("97,25", "%")]


def test_a_note_cell_is_read_as_prose():
    doc = _doc(MATRIX)
    note = [i for i in doc.indicators if i.text == "02"]
    assert len(note) == 1 and note[0].unit == "TTHC" and note[0].value == 2


def test_codes_years_dates_task_and_budget_tables_give_no_figures():
    codes = pipe_table([
        ["STT", "Tên thủ tục", "Mã TTHC", "Năm", "Số hồ sơ tiếp nhận"],
        ["1", "Cấp giấy phép xây dựng", "1.009645", "2024", "150"],
        ["2", "Đăng ký hộ kinh doanh", "2.000720", "2025", "1.024"],
    ])
    got = [(i.text, i.unit) for i in _table_figures(_doc(codes))]
    assert got == [("150", "hồ sơ"), ("1.024", "hồ sơ")]
    tasks = pipe_table([
        ["STT", "Nội dung nhiệm vụ", "Cơ quan chủ trì", "Văn bản giao", "Thời hạn"],
        ["1", "Rà soát 15 thủ tục", "Phòng Văn hóa", "12", "30/6/2025"],
        ["2", "Số hóa hồ sơ", "Văn phòng HĐND và UBND", "9", "2025"],
    ])
    assert _table_figures(_doc(tasks)) == []
    budget = pipe_table([
        ["STT", "Nội dung", "Số dự án", "Dự toán năm 2025"],
        ["1", "Giao thông", "4", "12.500"],
        ["2", "Thủy lợi", "2", "3.200"],
    ])
    assert _table_figures(_doc(budget)) == []
    money = pipe_table([
        ["STT", "Nội dung", "Số dự án", "Vốn bố trí"],
        ["1", "Giao thông", "4", "12.500"],
        ["2", "Thủy lợi", "2", "3.200"],
    ])
    assert _table_figures(_doc(money, before="Đơn vị tính: triệu đồng\n\n")) == []


def test_a_header_that_does_not_match_the_rows_gives_nothing():
    odd = pipe_table([
        ["STT", "Đơn vị", "Số TTHC", "Số hồ sơ"],
        ["1", "Xã Mây Hồng", "12", "3", "5"],
        ["2", "Xã Suối Ngọc", "7", "1", "2"],
    ])
    assert _table_figures(_doc(odd)) == []


def test_matrix_figures_raise_no_arithmetic_findings():
    codes = [f.code for f in docparse.check(_doc(MATRIX))]
    assert not [c for c in codes if c.startswith(("arithmetic", "number", "indicator"))]


def test_minus_cuts_holes_out_of_ranges():
    assert _minus([(0, 10), (20, 30)], [(2, 4), (6, 8), (25, 30)]) == [(0, 2), (4, 6), (8, 10), (20, 25)]
    assert _minus([(0, 10)], []) == [(0, 10)]


def test_regions_without_an_stt_cell_are_passed_over(monkeypatch):
    """read_matrix_tables looks for STT header cells only in the regions where the "|"-led cell pattern finds one;
    looking in every region reads the same figures, here and in a table with no STT column."""
    import re

    from docparse.extract import matrix_tables

    plain = pipe_table([["Đơn vị", "Số TTHC"], ["Xã Mây Hồng", "12"], ["Xã Suối Ngọc", "7"]])
    texts = [MATRIX, plain + "\n" + MATRIX, MATRIX.replace("STT", "Số TT", 1), plain]
    found = [[(i.text, i.value, i.label) for i in _doc(t).indicators] for t in texts]
    monkeypatch.setattr(matrix_tables, "_STT_CELL", re.compile(""))
    assert [[(i.text, i.value, i.label) for i in _doc(t).indicators] for t in texts] == found
    assert any(len(f) > 10 for f in found)
