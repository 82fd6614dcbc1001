"""Plan periods from the trích yếu, vision years, and the deadline checks (task.deadline_outside_period,
task.deadline_before_document). Fictional documents only (huyện Sông Mây does not exist)."""
from __future__ import annotations

import datetime as dt

from fictional import vb

import docparse
from docparse.extract.period import is_vision, plan_period

PLAN_NGAY = "Thị trấn Mây, ngày 20 tháng 11 năm 2025"
HEAD = "TT\tNội dung nhiệm vụ\tCơ quan chủ trì\tThời gian hoàn thành\n"


def plan(title: str, rows: str = "", body: str = "", ngay: str = PLAN_NGAY, so: str = "Số: 12/KH-UBND") -> str:
    return vb(f"I. NHIỆM VỤ\n\n{HEAD}{rows}\n{body}", so=so, ngay=ngay, loai=f"KẾ HOẠCH\n{title}")


def findings(text: str, code: str) -> list:
    return [f for f in docparse.check(docparse.parse_text(text)) if f.code == code]


# ---- periods -------------------------------------------------------------------------------------------------------
def test_period_with_vision_year_is_the_stage_not_the_vision():
    doc = docparse.parse_text(plan("Phát triển thư viện số huyện Sông Mây giai đoạn 2026 - 2030, "
                                   "tầm nhìn đến năm 2045"))
    p = plan_period(doc)
    assert (p.start, p.end) == (dt.date(2026, 1, 1), dt.date(2031, 1, 1))
    assert doc.text[p.span.start:p.span.end] == "giai đoạn 2026 - 2030"


def test_until_year_title_is_an_interval_ending_with_that_year():
    doc = docparse.parse_text(plan("LỘ TRÌNH ĐỔI MỚI THIẾT BỊ TRƯỜNG HỌC ĐẾN NĂM 2035 TRÊN ĐỊA BÀN HUYỆN SÔNG MÂY"))
    p = plan_period(doc)
    assert p.start is None and p.end == dt.date(2036, 1, 1) and p.text == "ĐẾN NĂM 2035"


def test_title_cut_before_its_years_still_gives_the_period():
    doc = docparse.parse_text(plan("PHÁT TRIỂN DU LỊCH CỘNG ĐỒNG HUYỆN SÔNG MÂY GIAI ĐOẠN\n2026 - 2030"))
    p = plan_period(doc)
    assert p is not None and p.end == dt.date(2031, 1, 1)


def test_no_period_for_a_review_plan_or_a_report():
    review = plan("Giám sát, đánh giá chương trình nước sạch nông thôn năm 2025")
    assert plan_period(docparse.parse_text(review)) is None
    report = vb("Nội dung.", loai="BÁO CÁO\nKết quả thực hiện nhiệm vụ năm 2025")
    assert plan_period(docparse.parse_text(report)) is None


def test_vision_words():
    assert is_vision("… giai đoạn 2026 - 2030, tầm nhìn đến năm 2045", len("… giai đoạn 2026 - 2030, tầm nhìn đến "))
    assert is_vision("chương trình định hướng đến năm 2050", len("chương trình định hướng đến "))
    assert not is_vision("hoàn thành đến năm 2030", len("hoàn thành đến "))


# ---- task.deadline_outside_period ----------------------------------------------------------------------------------
TITLE = "Phát triển thư viện số huyện Sông Mây giai đoạn 2026-2030, tầm nhìn đến năm 2045"


def test_deadline_inside_the_period_is_no_finding():
    text = plan(TITLE, "1\tSố hóa tài liệu địa chí của thư viện huyện\tPhòng Văn hóa\t2030\n")
    assert findings(text, "task.deadline_outside_period") == []


def test_deadline_after_the_period_is_a_finding():
    text = plan(TITLE, "1\tSố hóa tài liệu địa chí của thư viện huyện\tPhòng Văn hóa\t2032\n")
    hits = findings(text, "task.deadline_outside_period")
    assert len(hits) == 1 and hits[0].data["deadline"] == "2033-01-01"
    assert hits[0].data["period"] == ["2026-01-01", "2031-01-01"]
    assert "giai đoạn 2026-2030" in hits[0].message and "31/12/2032" in hits[0].message


def test_preparation_before_the_period_is_no_finding():
    """A plan signed in November 2025 for 2026-2030 may ask for an implementing plan in December 2025."""
    text = plan(TITLE, "1\tBan hành kế hoạch triển khai của các xã\tPhòng Văn hóa\tTháng 12/2025\n")
    assert findings(text, "task.deadline_outside_period") == []


def test_vision_year_in_a_prose_assignment_is_not_a_deadline():
    body = ("II. TỔ CHỨC THỰC HIỆN\n\n1. Phòng Văn hóa và Thông tin chủ trì triển khai Đề án thư viện số của tỉnh "
            "giai đoạn 2026 - 2030, tầm nhìn đến năm 2045.\n")
    text = plan("Phát triển thư viện số huyện Sông Mây đến năm 2030", body=body)
    assert findings(text, "task.deadline_outside_period") == []


# ---- task.deadline_before_document ---------------------------------------------------------------------------------
NOTICE = dict(so="Số: 31/TB-UBND", ngay="Thị trấn Mây, ngày 18 tháng 11 năm 2025",
              loai="THÔNG BÁO\nKết luận của Chủ tịch UBND huyện tại cuộc họp giao ban")


def test_deadline_already_passed_in_a_notice():
    body = ("1. Phòng Tài chính - Kế hoạch chủ trì rà soát danh mục công trình chậm tiến độ, báo cáo Chủ tịch "
            "UBND huyện trước ngày 15 tháng 11 năm 2025.\n")
    hits = findings(vb(body, **NOTICE), "task.deadline_before_document")
    assert len(hits) == 1
    f = hits[0]
    assert f.data["deadline"] == "2025-11-15" and f.data["document_date"] == "2025-11-18"
    assert "14/11/2025" in f.message and "18/11/2025" in f.message
    assert f.spans[0].text == "trước ngày 15 tháng 11 năm 2025"


def test_deadline_on_or_after_the_document_date_is_no_finding():
    body = ("1. Phòng Tài chính - Kế hoạch chủ trì rà soát danh mục công trình chậm tiến độ, báo cáo Chủ tịch "
            "UBND huyện trước ngày 19 tháng 11 năm 2025.\n")
    assert findings(vb(body, **NOTICE), "task.deadline_before_document") == []


def test_deadline_line_under_a_bullet_without_a_task_record():
    body = ("1. Ủy ban nhân dân các xã\n\n- Thành lập tổ kiểm kê tài sản cấp xã.\n\nThời gian hoàn thành: "
            "Trước ngày 10/11/2025.\n")
    hits = findings(vb(body, **NOTICE), "task.deadline_before_document")
    assert [h.spans[0].text for h in hits] == ["Trước ngày 10/11/2025"]


def test_narrated_past_assignment_and_yearly_deadline_are_no_finding():
    body = ("1. Chủ tịch UBND huyện đã chỉ đạo các xã hoàn thành cập nhật dữ liệu trước ngày 30 tháng 10 năm 2025.\n\n"
            "2. Phòng Nội vụ tổng hợp, báo cáo UBND huyện trước ngày 15/11 hằng năm.\n")
    assert findings(vb(body, **NOTICE), "task.deadline_before_document") == []


def test_transitional_provision_is_not_an_assignment():
    qd = dict(so="Số: 40/QĐ-UBND", ngay="Thị trấn Mây, ngày 18 tháng 11 năm 2025",
              loai="QUYẾT ĐỊNH\nBan hành quy trình giải quyết hồ sơ đất đai")
    body = "Điều 5. Hồ sơ gửi trước ngày 01/7/2025 thì tiếp tục giải quyết theo quy trình cũ.\n"
    assert findings(vb(body, **qd), "task.deadline_before_document") == []


def test_report_with_a_done_task_gives_nothing():
    text = ("UBND HUYỆN SÔNG MÂY\nVĂN PHÒNG\nSố: 5/BC-VP\nThị trấn Mây, ngày 20 tháng 11 năm 2025\n\nBÁO CÁO\n"
            "Kết quả thực hiện nhiệm vụ\n\n"
            "TT\tNhiệm vụ được giao\tCơ quan thực hiện\tThời hạn hoàn thành\tKết quả thực hiện\n"
            "1\tBan hành kế hoạch số hóa hồ sơ\tPhòng Nội vụ\t30/9/2025\tĐã hoàn thành\n")
    fs = docparse.check(docparse.parse_text(text))
    assert [f for f in fs if f.code.startswith("task.deadline") or f.code == "task.overdue"] == []
