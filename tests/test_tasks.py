"""Task tables → Task records, task checks, and `docparse tasks` (issue 4)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import docparse
from docparse.cli import app
from docparse.extract import tasks as T
from docparse.extract.tasks import canonical_agency

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def rows(doc):
    """The task-table rows (prose assignments are tested in test_assignments.py)."""
    return [t for t in doc.tasks if t.source == "table"]


@pytest.mark.parametrize("name", ["kh_cds_2026.txt", "kh_cds_2026.docx", "kh_cds_2026.pdf"])
def test_sample_task_table(name):
    doc = docparse.parse(SAMPLES / name)
    assert len(rows(doc)) == 10
    first = rows(doc)[0]
    assert first.index == "a)" and first.lead == "Phòng Chuyển đổi số" and first.coordinators == ["Văn phòng Sở"]
    assert first.deadline.kind == "quarter" and str(first.deadline.end) == "2026-07-01"
    assert first.group and "Chuyển đổi số" in first.group
    recurring = [t for t in rows(doc) if t.deadline_text == "Thường xuyên"]
    assert recurring and recurring[0].deadline.kind == "recurring"
    for t in rows(doc):
        assert 0 <= t.span.start < t.span.end <= len(doc.text)
        if t.deadline is not None:
            assert doc.text[t.deadline.span.start:t.deadline.span.end] == t.deadline.text


@pytest.mark.parametrize("other", ["kh_cds_2026.docx", "kh_cds_2026.pdf"])
def test_docx_pdf_and_txt_agree_cell_for_cell(other):
    """The PDF's ruled table is rebuilt from its cell boxes (wrapped cells whole, the header repeated on the next
    page skipped); the DOCX table from its grid with a two-row merged header."""
    a = rows(docparse.parse(SAMPLES / "kh_cds_2026.txt"))
    b = rows(docparse.parse(SAMPLES / other))
    keys = ("index", "title", "lead", "coordinators", "product", "deadline_text")
    assert [[getattr(t, k) for k in keys] for t in a] == [[getattr(t, k) for k in keys] for t in b]


def test_planted_task_findings():
    codes = [(f.code, f.data.get("task") or f.data.get("current")) for f in
             docparse.check(docparse.parse(SAMPLES / "kh_cds_2026.txt"))]
    assert ("structure.item_numbering", "e)") in codes           # đ) is skipped
    assert any(c == "task.deadline_outside_period" for c, _ in codes)  # Quý I/2027 in a plan for 2026


STATUS_TABLE = ("UBND TỈNH A\nVĂN PHÒNG\nSố: 5/BC-VP\nHà Nam, ngày 20 tháng 6 năm 2023\n\nBÁO CÁO\nKết quả\n\n"
                "TT\tNhiệm vụ được giao\tCơ quan thực hiện\tThời hạn hoàn thành\tKết quả thực hiện\n"
                "1\tBan hành kế hoạch số hóa hồ sơ\tSở Nội vụ\t31/3/2023\tĐã hoàn thành (Kế hoạch số 12/KH-UBND "
                "ngày 24/4/2023)\n"
                "2\tTriển khai kho dữ liệu dùng chung\tSở TT&TT\t30/4/2023\tĐang thực hiện\n"
                "3\tTriển khai kho dữ liệu dùng chung\t\t30/9/2023\tChưa thực hiện\n")


def test_status_overdue_late_missing_lead_duplicate():
    doc = docparse.parse_text(STATUS_TABLE)
    assert [t.status for t in rows(doc)] == ["done", "in_progress", "not_started"]
    assert rows(doc)[1].lead_canonical == "Sở Thông tin và Truyền thông"
    assert rows(doc)[0].citations == ["12/KH-UBND"]
    codes = {(f.code, f.data.get("task") or tuple(f.data.get("tasks", ()))) for f in docparse.check(doc)}
    assert ("task.completed_late", "1") in codes      # evidence dated 24/4 after the 31/3 deadline
    assert ("task.overdue", "2") in codes             # not done, deadline before the report's date
    assert ("task.overdue", "3") not in codes         # deadline still ahead
    assert ("task.missing_lead", "3") in codes
    assert ("task.duplicate", ("2", "3")) in codes


def test_canonical_agency():
    assert canonical_agency("Sở KH&CN") == "Sở Khoa học và Công nghệ"
    assert canonical_agency("Văn phòng Ủy ban nhân dân tỉnh") == "Văn phòng UBND tỉnh"
    assert canonical_agency("UBND cấp huyện") is None   # generic: stays as written


def test_tasks_cli_csv_has_bom_and_rows(tmp_path):
    out = tmp_path / "tasks.csv"
    result = CliRunner().invoke(app, ["tasks", str(SAMPLES / "kh_cds_2026.txt"), "--format", "csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = [r for r in csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))) if r["source"] == "table"]
    assert len(table) == 10 and table[0]["lead"] == "Phòng Chuyển đổi số" and table[0]["deadline_end"] == "2026-07-01"


def test_flattened_stream_rows(corpus_dir):
    """Seed 001's appendix: a PDF table flattened to one short line per cell fragment, rows rebuilt from TT numbers."""
    doc = docparse.parse(corpus_dir / "seeds" / "001_df491c8ab02e75b2.txt")
    assert [t.index for t in rows(doc)] == [str(i) for i in range(1, 13)]
    first = rows(doc)[0]
    assert first.deadline is not None and str(first.deadline.start) == "2023-03-31" and first.status == "done"
    assert "1328/UBND-TTHC" in (first.assigning_document or "")
    codes = [(f.code, f.data.get("task")) for f in docparse.check(doc)]
    assert ("task.completed_late", "1") in codes      # Chỉ thị 29-CT/TU of 24/4/2023 after the 31/3/2023 deadline


def test_tasks_gold_floors(corpus_dir):
    from docparse.eval import evaluate_tasks

    files = evaluate_tasks(Path(__file__).parent / "gold" / "tasks", corpus_dir)["files"]
    for name in ("001_df491c8ab02e75b2", "003_a311bfe48dd07fee", "01_KH980-UBND_NgheAn_phongthudansu",
                 "16_TB624-TB-VPCP_ketluan_BCD_KHCN"):
        e = files[name]
        assert e["rows_found"] == e["rows_gold"] == e["rows_pred"], name
        assert e["cells_ok"] / e["cells"] >= 0.97, name
        assert e["deadlines_ok"] == e["deadlines"], name


PLAN_12 = ("UBND TỈNH A\nSỞ Y TẾ\nSố: 12/KH-SYT\nHà Nam, ngày 05 tháng 01 năm 2025\n\nKẾ HOẠCH\nNăm 2025\n\n"
           "TT\tNhiệm vụ\tChủ trì\tThời hạn\n1\tXây dựng cơ sở dữ liệu hồ sơ sức khỏe điện tử\tPhòng Nghiệp vụ\tQuý II/2025\n"
           "2\tTổ chức tập huấn kỹ năng số cho viên chức y tế\tVăn phòng Sở\tQuý III/2025\n")


def _report(number: int, cites: str, issuer: str = "SỞ Y TẾ", day: str = "20 tháng 6 năm 2025") -> docparse.Document:
    return docparse.parse_text(
        f"UBND TỈNH A\n{issuer}\nSố: {number}/BC-SYT\nHà Nam, ngày {day}\n\nBÁO CÁO\nSáu tháng\n\n"
        f"Thực hiện {cites}, báo cáo như sau:\n"
        "1. Đã xây dựng xong cơ sở dữ liệu hồ sơ sức khỏe điện tử cho người dân.\n", source=f"bc_{number}.txt")


def _unreported(*docs) -> list:
    return [f for f in docparse.check(list(docs)) if f.code == "task.unreported"]


def test_plan_task_unreported_in_later_report_citing_it():
    plan = docparse.parse_text(PLAN_12, source="plan.txt")
    found = _unreported(plan, _report(40, "Kế hoạch số 12/KH-SYT ngày 05/01/2025 của Sở Y tế"))
    assert [f.data["task"] for f in found] == ["2"] and found[0].severity == "info"
    assert found[0].data["reports"] == ["bc_40.txt"] and "1 báo cáo" in found[0].message
    # without a later report of the same issuer that cites the plan nothing can be said
    assert not _unreported(plan)
    assert not _unreported(plan, _report(41, "Kế hoạch số 15/KH-SYT ngày 05/01/2025 của Sở Y tế"))
    assert not _unreported(plan, _report(42, "Kế hoạch số 12/KH-SYT ngày 05/01/2025 của Sở Y tế",
                                         day="02 tháng 01 năm 2025"))
    assert not _unreported(plan, _report(43, "Kế hoạch số 12/KH-SYT ngày 05/01/2025 của Sở Y tế",
                                         issuer="SỞ TÀI CHÍNH"))


def test_plan_task_unreported_same_on_disk_index_after_changes(tmp_path):
    """The plan group follows edits: a report that stops citing the plan, or that starts mentioning the task."""
    from docparse.corpus import Corpus

    (tmp_path / "plan.txt").write_text(PLAN_12, encoding="utf-8")
    report = tmp_path / "bc.txt"
    report.write_text(_report(40, "Kế hoạch số 12/KH-SYT ngày 05/01/2025 của Sở Y tế").text, encoding="utf-8")
    db = tmp_path / "i.sqlite"

    def tasks() -> list:
        with Corpus(db) as c:
            c.add_many([tmp_path / "plan.txt", report])
            return [f.data["task"] for f in c.check() if f.code == "task.unreported"]

    assert tasks() == ["2"]
    report.write_text(report.read_text(encoding="utf-8") + "2. Đã tổ chức tập huấn kỹ năng số cho viên chức y tế.\n",
                      encoding="utf-8")
    assert tasks() == []
    report.write_text(_report(40, "Kế hoạch số 13/KH-SYT ngày 05/01/2025 của Sở Y tế").text, encoding="utf-8")
    assert tasks() == []
    report.write_text(_report(40, "Kế hoạch số 12/KH-SYT ngày 05/01/2025 của Sở Y tế").text, encoding="utf-8")
    assert tasks() == ["2"]


def _numbered_table(indices: list[str]) -> str:
    head = STATUS_TABLE.split("TT\t")[0] + "TT\tNhiệm vụ được giao\tCơ quan thực hiện\tThời hạn hoàn thành\n"
    topics = ["số hóa hồ sơ", "kho dữ liệu", "tập huấn cán bộ", "kiểm tra định kỳ", "tổng kết năm", "cổng dịch vụ"]
    return head + "".join(f"{i}\tTriển khai {t} của Sở\tSở Nội vụ\t31/12/2023\n" for i, t in zip(indices, topics))


@pytest.mark.parametrize("indices, expected", [
    (["1", "2", "3", "4", "5"], []),
    (["1", "2", "5", "3", "4"], [("2", "5")]),      # one row out of place: one finding, not a gap and a reversal
    (["1", "2", "2", "4", "5"], [("2", "2")]),      # 3 written as 2: one finding
    (["1", "2", "4", "5", "6"], [("2", "4")]),      # a real gap
])
def test_item_numbering_one_finding_per_wrong_number(indices, expected):
    fs = [f for f in docparse.check(docparse.parse_text(_numbered_table(indices)))
          if f.code == "structure.item_numbering"]
    assert [(f.data["previous"], f.data["current"]) for f in fs] == expected


def test_index_cells_are_read_only_when_they_open_like_one():
    """_is_index skips the re-spacing of a cell whose first character cannot open "tt", "stt" or "số tt" in any case
    (issue 17): every character whose lower case opens with a match of "s" or "t" is let through."""
    st = re.compile("[st]", re.IGNORECASE)
    assert {chr(i) for i in range(0x110000) if st.match(chr(i).lower()[:1])} <= T._INDEX_FIRST
    assert [T._is_index(c) for c in ("STT", " tt ", "Số\n TT", "\tStt", "TT.", "Nội dung", "", "sttx")] == \
        [True, True, True, True, False, False, False, False]


def test_header_roles_first_free_role_per_column():
    assert T._roles(["STT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành", "Nhiệm vụ"]) == \
        {0: "index", 1: "title", 2: "lead", 3: "coordinators", 4: "deadline"}
    # a lone "Tiến độ" column is the deadline; a cell read again (cached) answers the same
    assert T._roles(["TT", "Nội dung", "Tiến độ"]) == T._roles(["TT", "Nội dung", "Tiến độ"]) == \
        {0: "index", 1: "title", 2: "deadline"}


def test_wrapped_line_of_a_tab_table_continues_the_task_above():
    """A tab-separated row without an index whose title goes on in lower case is the next visual line of the row
    above: its cells extend that task's fields (the rows are dicts until one validation, issue 17)."""
    text = ("KẾ HOẠCH\nTriển khai nhiệm vụ năm 2026\n\n"
            "TT\tNhiệm vụ\tChủ trì\tPhối hợp\tThời hạn\tSản phẩm\tGhi chú\n"
            "1\tXây dựng kế hoạch chuyển đổi số\tSở Nội vụ\tSở Tài chính\tQuý II/2026\tKế hoạch\t\n"
            "\tcủa tỉnh năm 2026\tvà Văn phòng\tcác sở, ngành\t\tđược ban hành\tgấp\n"
            "2\tRà soát thủ tục hành chính\tSở Tư pháp\t\t30/6/2026\tBáo cáo\t\n")
    first, second = rows(docparse.parse_text(text))
    assert first.title == "Xây dựng kế hoạch chuyển đổi số của tỉnh năm 2026"
    assert (first.lead, first.coordinators, first.product, first.note) == \
        ("Sở Nội vụ và Văn phòng", ["Sở Tài chính", "các sở, ngành"], "Kế hoạch được ban hành", "gấp")
    assert first.lead_canonical == canonical_agency("Sở Nội vụ")  # read from the first line's lead
    assert (second.index, second.title, second.coordinators, second.note) == ("2", "Rà soát thủ tục hành chính", [], None)
