"""Procedure-step tables → Procedure records (not tasks), the duration-sum check, TTHC lists left out of tasks, and
task.duplicate within one table only. All text here is fictional."""
from __future__ import annotations

import pytest

import docparse
from docparse.extract.procedures import in_days, parse_duration

HEAD = ("ỦY BAN NHÂN DÂN TỈNH A\nSố: 7/QĐ-UBND\nThành phố B, ngày 02 tháng 3 năm 2026\n\nQUYẾT ĐỊNH\n"
        "Phê duyệt quy trình nội bộ\n\n")


def table_tab(total: str, last: str = "01 ngày") -> str:
    return (HEAD + "1. Thủ tục cấp phép biển quảng cáo thử nghiệm\n"
            f"Tổng thời gian thực hiện: {total}\n"
            "Bước\tBộ phận\tNội dung công việc\tThời gian\n"
            "Bước 1\tBộ phận một cửa\tTiếp nhận hồ sơ và chuyển phòng\t0,5 ngày làm việc\n"
            "Bước 2\tPhòng Kế hoạch\tXem xét hồ sơ, dự thảo văn bản\t04 giờ làm việc\n"
            "Bước 3\tLãnh đạo Sở\tKý duyệt văn bản\t1/2 ngày\n"
            f"Bước 4\tVăn thư\tVào sổ, đóng dấu, phát hành\t{last}\n"
            "Bước 5\tBộ phận một cửa\tTrả kết quả cho người nộp\tKhông tính thời gian\n\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n")


def sums(doc):
    return [f for f in docparse.check(doc) if f.code == "procedure.duration_sum"]


@pytest.mark.parametrize("text,amount,unit", [("0,5 ngày làm việc", 0.5, "working_day"), ("01 ngày", 1, "day"),
                                              ("04 giờ làm việc", 4, "hour"), ("02 giờ", 2, "hour"),
                                              ("1/2 ngày", 0.5, "day"), ("**03 ngày**", 3, "day")])
def test_parse_duration(text, amount, unit):
    assert parse_duration(text) == (amount, unit)


def test_not_durations():
    for text in ("Theo quy định", "Không quá 05 ngày kể từ ngày nhận hồ sơ", "Quý IV/2026", "30/6/2026", "2026"):
        assert parse_duration(text) is None
    assert parse_duration("2", "working_day") == (2, "working_day")  # a bare number under "(ngày làm việc)"
    assert in_days(4, "hour") == 0.5 and in_days(2, "working_day") == 2


def test_tab_procedure_is_steps_not_tasks():
    doc = docparse.parse_text(table_tab("2,5 ngày làm việc"))
    assert not [t for t in doc.tasks if t.source == "table"]
    (proc,) = doc.procedures
    assert [s.step for s in proc.steps] == ["Bước 1", "Bước 2", "Bước 3", "Bước 4", "Bước 5"]
    assert proc.steps[1].duration == 4 and proc.steps[1].duration_unit == "hour"
    assert proc.steps[0].unit == "Bộ phận một cửa" and proc.steps[2].content == "Ký duyệt văn bản"
    assert proc.steps[4].counted is False
    assert proc.total == 2.5 and proc.total_unit == "working_day" and proc.total_bound == "exact"
    assert proc.name and "biển quảng cáo" in proc.name
    for s in proc.steps:
        assert s.span.start < s.span.end and s.content in doc.text[s.span.start:s.span.end]
    assert doc.text[proc.total_span.start:proc.total_span.end].endswith("2,5 ngày làm việc")
    assert not sums(doc)  # 0,5 + 04 giờ (0,5) + 1/2 + 1 = 2,5


def test_duration_sum_mismatch_and_match():
    # 0,5 + 04 giờ (0,5) + 1/2 + 2 = 3,5 ngày làm việc
    wrong = sums(docparse.parse_text(table_tab("04 ngày làm việc", last="02 ngày")))
    assert len(wrong) == 1
    msg = wrong[0].message
    assert "3,5" in msg and "04 ngày làm việc" in msg and "Bước 2: 04 giờ làm việc" in msg
    assert not sums(docparse.parse_text(table_tab("3,5 ngày làm việc", last="02 ngày")))


def test_upper_bound_only_breaks_when_steps_take_longer():
    text = table_tab("x").replace("Tổng thời gian thực hiện: x", "Thời hạn giải quyết: Không quá 10 ngày làm việc")
    doc = docparse.parse_text(text)
    assert doc.procedures[0].total_bound == "at_most" and not sums(doc)
    text = table_tab("x", last="12 ngày").replace("Tổng thời gian thực hiện: x",
                                                  "Thời hạn giải quyết: Không quá 10 ngày làm việc")
    assert len(sums(docparse.parse_text(text))) == 1


def test_doubtful_steps_are_not_summed():
    parallel = table_tab("09 ngày làm việc").replace("\t1/2 ngày\n", "\t1/2 ngày (song song với Bước 2)\n")
    assert docparse.parse_text(parallel).procedures[0].doubts and not sums(docparse.parse_text(parallel))
    by_law = table_tab("09 ngày làm việc", last="Theo quy định")
    doc = docparse.parse_text(by_law)
    assert doc.procedures[0].steps[3].duration is None and not sums(doc)


PORTAL = (HEAD + "Điều 3. Cấp giấy xác nhận thử nghiệm\n1. Thời hạn giải quyết: 02 ngày làm việc.\n2. Trình tự\n"
          "|\n**TT**\n|\n**Bộ phận**\n|\n**Nội dung\ncông việc**\n|\n**Thời gian**\n|\n|\n"
          "1\n|\nBộ phận một cửa\n|\nTiếp nhận hồ sơ,\nchuyển phòng chuyên môn\n|\n0,5 ngày\n|\n|\n"
          "2\n|\nPhòng chuyên môn\n|\nThẩm định hồ sơ\n|\n01 ngày\n|\n|\n"
          "3\n|\nLãnh đạo Sở\n|\nKý giấy xác nhận\n|\n02 giờ\n|\n|\n"
          "**Tổng thời gian giải quyết**\n|\n**02 ngày**\n|\n|\n\n\n"
          "Điều 4. Quyết định này có hiệu lực kể từ ngày ký.\n")


def test_portal_one_cell_per_line_with_total_row():
    doc = docparse.parse_text(PORTAL)
    assert not [t for t in doc.tasks if t.source == "table"]
    (proc,) = doc.procedures
    assert [(s.step, s.duration, s.duration_unit) for s in proc.steps] == [
        ("1", 0.5, "day"), ("2", 1, "day"), ("3", 2, "hour")]
    assert proc.steps[0].content == "Tiếp nhận hồ sơ, chuyển phòng chuyên môn"
    assert proc.total == 2 and proc.total_bound == "exact"  # the total row wins over the heading
    (f,) = sums(doc)  # 0,5 + 1 + 2 giờ = 1,75
    assert "1,75" in f.message and "02 ngày" in f.message


TTHC_LIST = (HEAD + "Điều 1. Công bố danh mục\n"
             "STT\tMã TTHC\tTên thủ tục hành chính\tThời hạn giải quyết\tCăn cứ pháp lý\n"
             "1\t1.001234\tCấp giấy phép thử nghiệm cho cơ sở mẫu\t10 ngày làm việc\tNghị định số 1/2025/NĐ-CP\n"
             "2\t2.002345\tGia hạn giấy phép thử nghiệm cho cơ sở mẫu\t05 ngày làm việc\tNghị định số 1/2025/NĐ-CP\n"
             "3\t1.003456\tThu hồi giấy phép thử nghiệm của cơ sở mẫu\t05 ngày làm việc\tNghị định số 1/2025/NĐ-CP\n\n"
             "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n")


def test_tthc_list_is_neither_tasks_nor_steps():
    doc = docparse.parse_text(TTHC_LIST)
    assert not [t for t in doc.tasks if t.source == "table"]
    assert not doc.procedures


TASKS = ("TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tThời gian hoàn thành\n"
         "1\tXây dựng cơ sở dữ liệu cây xanh đô thị thử nghiệm\tSở Xây dựng\tQuý II/2026\n"
         "2\tTập huấn kỹ năng số cho cán bộ cấp xã mẫu\tSở Nội vụ\tQuý III/2026\n"
         "{third}")
PLAN_HEAD = ("ỦY BAN NHÂN DÂN TỈNH A\nSố: 9/KH-UBND\nThành phố B, ngày 02 tháng 3 năm 2026\n\nKẾ HOẠCH\n"
             "Chuyển đổi số năm 2026\n\n")


def duplicates(doc):
    return [f for f in docparse.check(doc) if f.code == "task.duplicate"]


def test_duplicate_row_in_one_task_table():
    third = "3\tXây dựng cơ sở dữ liệu cây xanh đô thị thử nghiệm\tSở Xây dựng\tQuý IV/2026\n"
    doc = docparse.parse_text(PLAN_HEAD + TASKS.format(third=third))
    assert len([t for t in doc.tasks if t.source == "table"]) == 3 and not doc.procedures
    (f,) = duplicates(doc)
    assert f.data["tasks"] == ["1", "3"]


def test_same_row_in_two_tables_is_not_a_duplicate():
    table = TASKS.format(third="")
    doc = docparse.parse_text(PLAN_HEAD + "I. Nhiệm vụ năm 2026\n" + table + "\nII. Phụ lục chi tiết\nCác nhiệm vụ "
                              "được giao cụ thể như sau.\n" + table)
    tables = {t.table for t in doc.tasks if t.source == "table"}
    assert len(tables) == 2
    assert not duplicates(doc)


def test_corpus_procedure_decisions(corpus_doc):
    """Real internal-procedure decisions: steps become procedures, not task rows; their step sums agree with the
    stated totals (facts checked by hand: a 15-day procedure of 8 steps, a 33-day one)."""
    lang_son = corpus_doc("public/08_QD2487-UBND_LangSon_quytrinh_TTHC.txt")
    assert not [t for t in lang_son.tasks if t.source == "table"]
    first = lang_son.procedures[0]
    assert len(first.steps) == 8 and first.total == 15 and first.total_bound == "exact"
    assert sum(s.duration for s in first.steps if s.counted) == 15
    dong_thap = corpus_doc("pool/5a80798bbf985e87.md")
    assert not [t for t in dong_thap.tasks if t.source == "table"]  # 485 procedure rows were read as tasks
    assert len(dong_thap.procedures) > 50
    assert not [f for f in docparse.check(dong_thap) if f.code in ("task.duplicate", "procedure.duration_sum")]
