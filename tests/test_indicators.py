"""Indicators in prose, statistical rows, and the arithmetic checks over them (issue 3)."""
from __future__ import annotations

import pytest

import docparse

PROSE = ("UBND TỈNH HÒA BÌNH XANH\nVĂN PHÒNG\nSố: 12/BC-VP\nHòa Bình Xanh, ngày 05 tháng 12 năm 2025\n\nBÁO CÁO\n"
         "Kết quả năm 2025\n\n"
         "Trung tâm tiếp nhận khoảng 12.450 hồ sơ; đã giải quyết khoảng 12.100 hồ sơ, trong đó hồ sơ trước hạn, "
         "đúng hạn khoảng 12.000 hồ sơ, chiếm tỷ lệ 99,2%, trễ hạn khoảng 100 hồ sơ; đang giải quyết khoảng 350 hồ sơ. "
         "Đã cung cấp 1.380/1.780 dịch vụ công trực tuyến (chiếm 77,5%). Giá trị thanh toán trực tuyến đạt 87 tỷ đồng. "
         "Cử 03 công chức tham gia bồi dưỡng.\n")


def _ind(doc, text):
    return next(i for i in doc.indicators if i.text == text)


def test_prose_indicators_values_kinds_units():
    doc = docparse.parse_text(PROSE)
    got = {(i.text, i.kind, i.value, i.unit) for i in doc.indicators}
    assert ("12.450", "count", 12450, "hồ sơ") in got
    assert ("99,2%", "percent", 99.2, "%") in got
    assert ("87 tỷ đồng", "money", 87_000_000_000, "VND") in got
    assert ("03", "count", 3, "công chức") in got
    r = _ind(doc, "1.380/1.780")
    assert r.kind == "ratio" and r.numerator == 1380 and r.denominator == 1780 and r.value == pytest.approx(0.7753)
    # years, dates and document numbers are not indicators
    assert not any(i.text in ("2025", "12", "05") for i in doc.indicators)


@pytest.mark.parametrize("sentence, unit, label", [
    ("Mật độ dân số 1 điểm/1000người/km2;", "điểm/1000 người/km2", "điểm/1000 người/km2 Mật độ dân số"),
    ("Số km đường giao thông 0,1 điểm/100km;", "điểm/100 km", None),
    ("Đê điều bình quân 0,1 điểm/đơn vị tính;", "điểm/đơn vị tính", None),
    ("Thiên tai: 5 điểm/xã thường xuyên ảnh hưởng bão lụt.", "điểm/xã", "điểm/xã thường xuyên ảnh hưởng bão lụt"),
    ("Tổng tỷ suất sinh 2,1 con/phụ nữ.", "con/phụ nữ", None),
])
def test_per_units_are_spaced_one_way_and_not_repeated_in_the_label(sentence, unit, label):
    ind = docparse.parse_text(sentence + "\n").indicators[0]
    assert ind.unit == unit
    if label is not None:
        assert ind.label == label
    assert ind.label.count("/") == unit.count("/")  # the per-unit is not read again into the label


def test_done_against_planned_amounts_and_opening_shares():
    doc = docparse.parse_text("Chi thường xuyên thực hiện cả năm 5.817,196 tỷ đồng/5.937,440 tỷ đồng, đạt 97,97% "
                              "kế hoạch. Toàn tỉnh có 617\nHTX đang hoạt động.\n\n+ 100% TTHC đủ điều kiện được "
                              "cung cấp trực tuyến.\n- Tỷ lệ tiêu thụ vé số đạt trên\n99% nên thu vượt dự toán.\n")
    planned = _ind(doc, "5.937,440 tỷ đồng")
    assert planned.kind == "money" and planned.value == 5_937_440_000_000
    done = _ind(doc, "5.817,196 tỷ đồng")
    assert planned.label == f"kế hoạch ({done.label})"
    assert _ind(doc, "97,97%").label in (None, f"tỷ lệ {done.label}")  # the share of the first amount, never the plan
    htx = _ind(doc, "617")
    assert (htx.kind, htx.unit, htx.label) == ("count", "HTX", "HTX đang hoạt động")
    assert _ind(doc, "100%").label.startswith("tỷ lệ TTHC đủ điều kiện")
    assert _ind(doc, "99%").label != "tỷ lệ nên thu vượt dự toán"  # a wrapped line does not open a sentence


def test_labels_and_qualifiers_are_useful():
    doc = docparse.parse_text(PROSE)
    assert _ind(doc, "100").label == "hồ sơ trễ hạn" and _ind(doc, "100").qualifier == "khoảng"
    assert _ind(doc, "12.100").label == "hồ sơ đã giải quyết" or "giải quyết" in _ind(doc, "12.100").label
    assert "tiếp nhận" in _ind(doc, "12.450").label
    assert _ind(doc, "99,2%").label.startswith("tỷ lệ")


def test_spans_point_at_the_surface():
    doc = docparse.parse_text(PROSE.replace("12.450", "**12.450**"))
    for i in doc.indicators:
        assert doc.text[i.span.start:i.span.end] == i.text


def test_consistent_figures_pass_quietly():
    codes = [f.code for f in docparse.check(docparse.parse_text(PROSE))]
    assert not [c for c in codes if c.startswith(("arithmetic", "number", "indicator"))]


@pytest.mark.parametrize("old,new,code", [
    ("chiếm 77,5%", "chiếm 70,5%", "arithmetic.ratio_mismatch"),           # x/y (chiếm z%)
    ("chiếm tỷ lệ 99,2%", "chiếm tỷ lệ 95,2%", "arithmetic.ratio_mismatch"),  # share of the "trong đó" total
    ("trễ hạn khoảng 100 hồ sơ", "trễ hạn khoảng 150 hồ sơ", "arithmetic.sum_mismatch"),  # parts ≠ total
    ("đang giải quyết khoảng 350", "đang giải quyết khoảng 300", "arithmetic.sum_mismatch"),  # received ≠ resolved + pending
])
def test_planted_inconsistencies_are_found(old, new, code):
    findings = docparse.check(docparse.parse_text(PROSE.replace(old, new)))
    assert code in [f.code for f in findings]


def test_precision_tolerance():
    ok = PROSE.replace("chiếm 77,5%", "chiếm 78%")        # 77,53 rounds to 78 at 0 decimals
    assert "arithmetic.ratio_mismatch" not in [f.code for f in docparse.check(docparse.parse_text(ok))]
    bad = PROSE.replace("chiếm 77,5%", "chiếm 77,9%")     # one decimal: 77,53 is not 77,9
    assert "arithmetic.ratio_mismatch" in [f.code for f in docparse.check(docparse.parse_text(bad))]


def test_thresholds_and_growth_are_not_shares():
    text = ("Có 06/34 địa phương đạt dưới 90%. Thu ngân sách 12.375,3/10.200 triệu đồng, vượt 21,3% kế hoạch. "
            "Kiểm tra 3/8 phòng (bảo đảm tỷ lệ từ 30% số phòng trở lên).")
    assert not [f for f in docparse.check(docparse.parse_text(text)) if f.code == "arithmetic.ratio_mismatch"]
    wrong = text.replace("vượt 21,3%", "vượt 25,3%")
    assert [f for f in docparse.check(docparse.parse_text(wrong)) if f.code == "arithmetic.ratio_mismatch"]


FORM = ("Biểu mẫu 3\nKết quả giải quyết hồ sơ\nSTT\tChỉ tiêu\tĐơn vị tính\tSố liệu\tGhi chú\n"
        "1.\tTổng số thủ tục\tThủ tục\t2815\t\n"
        "1.1.\tThủ tục cấp tỉnh\tThủ tục\t2147\t\n"
        "1.2.\tThủ tục cấp huyện\tThủ tục\t467\t\n"
        "1.3.\tThủ tục cấp xã\tThủ tục\t201\t\n"
        "2.\tTỷ lệ hồ sơ đúng hạn\t%\t99.95%\t\n"
        "2.1.\tSố hồ sơ đã giải quyết\tHồ sơ\t123,747\t\n"
        "2.2.\tSố hồ sơ đúng hạn\tHồ sơ\t123,683\tghi chú\n")


def test_stat_rows_codes_values_conventions():
    doc = docparse.parse_text(FORM)
    rows = {r.code: r for r in doc.stat_rows}
    assert rows["1"].value == 2815 and rows["1.1"].unit == "Thủ tục"
    assert rows["2"].percent and rows["2"].value == pytest.approx(99.95)
    assert rows["2.1"].value == 123747 and rows["2.2"].note == "ghi chú"   # English grouping, a count
    for r in doc.stat_rows:
        assert doc.text[r.span.start:r.span.end].startswith(r.code)
    assert not [f for f in docparse.check(doc) if f.code.startswith("arithmetic")]


def test_figures_in_a_rows_note_are_prose_but_its_value_is_not():
    doc = docparse.parse_text(FORM.replace("ghi chú\n", "120 nhiệm vụ đã hoàn thành đang chờ xác nhận\n"))
    got = {(i.text, i.kind, i.unit) for i in doc.indicators}
    assert ("120", "count", "nhiệm vụ") in got
    assert not any(i.text in ("123,683", "2815") for i in doc.indicators)  # values stay with their rows
    assert "Hồ sơ" not in _ind(doc, "120").label  # the label does not reach back over the cells


def test_table_parent_children_and_percent_rows():
    sums = docparse.check(docparse.parse_text(FORM.replace("\t201\t", "\t202\t")))
    assert "arithmetic.sum_mismatch" in [f.code for f in sums]
    ratio = docparse.check(docparse.parse_text(FORM.replace("99.95%", "98.95%")))
    assert "arithmetic.ratio_mismatch" in [f.code for f in ratio]


def test_malformed_number_is_reported():
    doc = docparse.parse_text(FORM.replace("\t123,683\t", "\t123.68\t"))
    found = [f for f in docparse.check(doc) if f.code == "number.malformed"]
    assert found and "123.68" in found[0].message


def test_seed_004_passes_quietly_except_the_planted_row(corpus_dir):
    doc = docparse.parse(corpus_dir / "seeds" / "004_bb37e80757a25429.txt")
    found = [(f.code, f.data.get("row")) for f in docparse.check(doc)
             if f.code.startswith(("arithmetic", "number", "indicator"))]
    assert sorted(found) == [("arithmetic.ratio_mismatch", "6.3"), ("number.malformed", "6.3.2")]
    assert len(doc.stat_rows) >= 44


def test_indicator_gold_floor(corpus_dir):
    from pathlib import Path

    from docparse.eval import evaluate_indicators

    gold = Path(__file__).parent / "gold" / "indicators"
    result = evaluate_indicators(gold, corpus_dir)
    seed = result["files"]["004_bb37e80757a25429"]
    assert seed["value+kind"][2] >= 0.97 and seed["table code+value"][2] >= 0.98
    # floors that must not regress (prose indicators of a budget plan); table cells as indicators are not done yet
    assert result["files"]["03_KH0204-UBND_CaMau_taichinh_NSNN_2026-2028"]["value+kind"][2] >= 0.90


@pytest.mark.parametrize("sentence,figure,label", [
    ("Mục tiêu: (8) Tỷ lệ hộ kinh doanh dùng hóa đơn điện tử đạt tối thiểu 80%; (9) …", "80%",
     "Tỷ lệ hộ kinh doanh dùng hóa đơn điện tử"),                      # the list marker is not part of the label
    ("Huyện có 10 dự án đang triển khai và 22 dự án chưa khởi công.", "22", "dự án chưa khởi công"),
    ("- Thuê dịch vụ tin nhắn: 50.000.000 đồng/năm.", "50.000.000", "Thuê dịch vụ tin nhắn"),
    ("+ Chi đầu tư phát triển (sau khi có quyết định giao): 138.557 triệu đồng.", "138.557", "Chi đầu tư phát triển"),
    ("Thu từ hoạt động xuất nhập khẩu 500 tỷ đồng, vượt 58,73% so dự toán.", "58,73%",
     "Thu từ hoạt động xuất nhập khẩu (vượt)"),
    ("Thuế thu\nnhập cá nhân ước đạt 120 tỷ đồng.", "120 tỷ", "Thuế thu nhập cá nhân"),  # a wrapped line
])
def test_prose_labels(sentence, figure, label):
    doc = docparse.parse_text(sentence)
    ind = next(i for i in doc.indicators if i.text.startswith(figure))
    assert ind.label == label


# --- issue 11: the parts of a "trong đó" are the ones inside it -----------------------------------------------------

_STATIONS = ("UBND TỈNH HÒA BÌNH XANH\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 31/BC-SKHCN\n"
             "Hòa Bình Xanh, ngày 05 tháng 12 năm 2025\n\nBÁO CÁO\nHạ tầng số năm 2025\n\n"
             "+ Nâng cấp trạm phát sóng: 40 trạm\n(Trong đó: Mạng Sông: 10 trạm, Mạng Núi: 12 trạm, Mạng Mây: {c} trạm), "
             "nâng tổng số trạm\nthế hệ mới: 95 trạm.\n")


def test_trong_do_parts_stop_at_the_closing_parenthesis():
    doc = docparse.parse_text(_STATIONS.format(c=18))
    assert not [f for f in docparse.check(doc) if f.code == "arithmetic.sum_mismatch"]


def test_trong_do_wrong_parts_still_reported_without_the_later_total():
    doc = docparse.parse_text(_STATIONS.format(c=17))
    found = [f for f in docparse.check(doc) if f.code == "arithmetic.sum_mismatch"]
    assert len(found) == 1
    assert found[0].data["parts"] == [10, 12, 17] and found[0].data["total"] == 40


def test_regions_less_exclusions_hold_a_span_as_the_two_tests_do():
    """extract_indicators tells find_amounts where figures can be kept: the regions less the exclusions (_minus_all)
    hold a span exactly when the span is inside a region and overlaps no exclusion."""
    import random

    from docparse.extract.indicators import _minus_all
    from docparse.extract.ranges import Ranges

    rnd = random.Random(8)
    for _ in range(2000):
        inside = Ranges([(a, a + rnd.randrange(1, 30)) for a in (rnd.randrange(100) for _ in range(rnd.randrange(4)))])
        taken = Ranges([(a, a + rnd.randrange(0, 10)) for a in (rnd.randrange(100) for _ in range(rnd.randrange(6)))])
        within = Ranges(_minus_all(inside, taken))
        for s in range(0, 130, 3):
            for e in range(s + 1, s + 12, 2):
                assert within.contains(s, e) == (inside.contains(s, e) and not taken.overlaps(s, e)), (s, e)
