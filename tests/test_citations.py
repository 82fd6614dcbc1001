"""References to other documents, on short texts written for these tests (rules from tests/gold/README.md)."""
from __future__ import annotations

import datetime as dt

import pytest

import docparse
from docparse import parse_text


def cites(text: str):
    doc = parse_text(text)
    for c in doc.citations:
        assert doc.text[c.span.start:c.span.end] == c.text
    return doc.citations


def one(text: str):
    found = cites(text)
    assert len(found) == 1, [c.code or c.name for c in found]
    return found[0]


def D(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


def test_date_of_the_next_reference_is_not_taken():
    found = cites("Thực hiện Quyết định số 1015/QĐ-TTg (Công văn số 87/UBND-TTHC ngày 04/01/2024), "
                  "Sở rà soát lại các thủ tục.")
    assert [c.code for c in found] == ["1015/QĐ-TTg", "87/UBND-TTHC"]
    qd, cv = found
    assert qd.doc_type == "Quyết định" and qd.date is None
    assert cv.doc_type == "Công văn" and cv.date == D("2024-01-04")


def test_enumeration_takes_the_type_of_the_list():
    found = cites("Tổ chức thực hiện các Nghị quyết: số 11/2022/NQ-HĐND ngày 07/7/2022, số 12/2022/NQ-HĐND "
                  "ngày 07/7/2022 của Hội đồng nhân dân tỉnh.")
    assert [c.code for c in found] == ["11/2022/NQ-HĐND", "12/2022/NQ-HĐND"]
    for c in found:
        assert c.doc_type == "Nghị quyết"
        assert c.year == 2022
        assert c.date == D("2022-07-07")
    assert found[1].doc_type_source in ("enumeration", "symbol", "text")


def test_enumeration_with_trailing_year_has_no_date():
    found = cites("Sở đã hoàn thành Kế hoạch số 16/KH-UBND, số 78/KH-UBND năm 2025 của Ủy ban nhân dân tỉnh.")
    assert [c.code for c in found] == ["16/KH-UBND", "78/KH-UBND"]
    for c in found:
        assert c.doc_type == "Kế hoạch"
        assert c.year == 2025
        assert c.date is None


def test_enumeration_of_reports_without_type_word():
    found = cites("Văn phòng đã gửi các Báo cáo số 21/BC-VP ngày 10/01/2025, số 55/BC-VP ngày 12/3/2025 "
                  "và số 90/BC-VP ngày 02/5/2025.")
    assert [(c.doc_type, c.code, c.date) for c in found] == [
        ("Báo cáo", "21/BC-VP", D("2025-01-10")), ("Báo cáo", "55/BC-VP", D("2025-03-12")),
        ("Báo cáo", "90/BC-VP", D("2025-05-02"))]


@pytest.mark.parametrize("text,code,number,doc_type", [
    ("Quán triệt Nghị quyết số 18-NQ/TW của Ban Chấp hành Trung ương.", "18-NQ/TW", "18", "Nghị quyết"),
    ("Thực hiện Kết luận số 07-KL/VPTW của Văn phòng.", "07-KL/VPTW", "07", "Kết luận"),
    ("Căn cứ Kế hoạch số 519a/KH-TTT của Thanh tra tỉnh.", "519a/KH-TTT", "519a", "Kế hoạch"),
    ("Căn cứ Kế hoạch số 0204/KH-UBND của UBND tỉnh.", "0204/KH-UBND", "0204", "Kế hoạch"),
    ("Theo Công văn số 590/CAT-QLHC(Đ1) của Công an tỉnh.", "590/CAT-QLHC(Đ1)", "590", "Công văn"),
    ("Theo Công văn số 11554/VPCP-V.I của Văn phòng Chính phủ.", "11554/VPCP-V.I", "11554", "Công văn"),
    ("Theo Công văn số 15972/SXD-QLN& TTBĐS của Sở Xây dựng.", "15972/SXD-QLN&TTBĐS", "15972", "Công văn"),
    ("Căn cứ Nghị quyết số 66.7/2025/NQ-CP của Chính phủ.", "66.7/2025/NQ-CP", "66.7", "Nghị quyết"),
    ("Căn cứ Thông tư số 01/2023/TT-VPCP của Văn phòng Chính phủ.", "01/2023/TT-VPCP", "01", "Thông tư"),
    ("Thực hiện Công văn số 3058 /UBND-KT của tỉnh.", "3058/UBND-KT", "3058", "Công văn"),
], ids=["party_nq", "party_kl", "letter_suffix", "leading_zero", "paren", "dot", "ampersand_space", "decimal",
        "year_in_code", "space_before_slash"])
def test_code_shapes(text, code, number, doc_type):
    c = one(text)
    assert c.code == code
    assert c.number == number
    assert c.doc_type == doc_type
    assert " " not in c.code


def test_code_parts():
    c = one("Căn cứ Nghị định số 30/2020/NĐ-CP của Chính phủ về công tác văn thư.")
    assert (c.number, c.year, c.symbol, c.code) == ("30", 2020, "NĐ-CP", "30/2020/NĐ-CP")
    party = one("Thực hiện Chỉ thị số 29-CT/TU của Tỉnh ủy.")
    assert (party.number, party.code, party.doc_type) == ("29", "29-CT/TU", "Chỉ thị")


def test_sequence_number_is_not_a_year():
    """No year appears in a non-normative symbol: 2023/KH-UBND is sequence number 2023."""
    c = one("Thực hiện Kế hoạch số 2023/KH-UBND của Ủy ban nhân dân tỉnh.")
    assert c.number == "2023" and c.code == "2023/KH-UBND"
    assert c.year is None and c.date is None


def test_issuer_between_code_and_date():
    c = one("Triển khai Quyết định số 411/QĐ-TTg của Thủ tướng Chính phủ ngày 31/3/2022 về phát triển kinh tế số.")
    assert c.code == "411/QĐ-TTg"
    assert c.date == D("2022-03-31")
    assert c.issuer == "Thủ tướng Chính phủ"


def test_issuer_after_date():
    c = one("Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa;")
    assert (c.date, c.issuer) == (D("2018-04-23"), "Chính phủ")


@pytest.mark.parametrize("text,doc_type", [
    ("Sở đã ban hành văn bản số 123/UBND-KT để hướng dẫn.", "Công văn"),
    ("Sở đã thực hiện QĐ số 5/QĐ-UBND của tỉnh.", "Quyết định"),
    ("Sở đã nhận Thông báo kết luận số 22/TB-UBND ngày 03/02/2025.", "Thông báo"),
    ("Sở đã gửi Tờ trình số 318/TTr-SKHCN ngày 14/11/2025.", "Tờ trình"),
    ("Theo văn bản số 40/QĐ-UBND của tỉnh.", "Quyết định"),
    ("Bộ đã có Thông tư liên tịch số 03/2016/TTLT-BTC-BNV về kinh phí.", "Thông tư liên tịch"),
    ("Thực hiện Công điện số 220/CĐ-TTg của Thủ tướng.", "Công điện"),
], ids=["van_ban", "abbr_QD", "thong_bao_ket_luan", "to_trinh", "van_ban_symbol_type", "ttlt", "cong_dien"])
def test_doc_type(text, doc_type):
    assert one(text).doc_type == doc_type


def test_bare_code_takes_type_from_symbol():
    c = one("Thực hiện số 77/QĐ-UBND ngày 10/02/2025 của tỉnh.")
    assert c.doc_type == "Quyết định"
    assert c.doc_type_source == "symbol"


def test_law_by_name_and_year():
    c = one("Căn cứ Luật Đất đai năm 2024;")
    assert c.doc_type == "Luật"
    assert c.code is None and c.number is None
    assert c.name == "Luật Đất đai"
    assert c.year == 2024
    assert c.date is None
    assert c.relation == "căn cứ"


def test_law_by_name_and_date():
    c = one("Căn cứ Luật Giao dịch điện tử ngày 22 tháng 6 năm 2023;")
    assert c.doc_type == "Luật"
    assert c.code is None
    assert c.name == "Luật Giao dịch điện tử"
    assert c.date == D("2023-06-22")
    assert c.year == 2023


def test_law_with_number():
    c = one("Căn cứ Luật số 45/2019/QH14 ngày 13/6/2019.")
    assert (c.doc_type, c.code, c.date) == ("Luật", "45/2019/QH14", D("2019-06-13"))


@pytest.mark.parametrize("text", [
    "Cán bộ đã giải quyết thủ tục 1.009645 trên Cổng dịch vụ công.",
    "Tỉnh đạt 23/25 chỉ tiêu của năm.",
    "Cuộc họp diễn ra ngày 12/3/2024 tại hội trường.",
    "Tiếp tục thực hiện Đề án 06 của Chính phủ.",
    "Tỷ lệ hồ sơ đúng hạn là 8.640/9.600 hồ sơ.",
    "Quy định tại khoản 1 Điều 4 của Quy chế này.",
], ids=["procedure_code", "ratio", "date", "programme_name", "ratio_grouped", "pinpoint_alone"])
def test_not_citations(text):
    assert cites(text) == []


def test_relation_and_subject():
    c = one("Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;")
    assert c.relation == "căn cứ"
    assert c.subject == "công tác văn thư"
    c = one("Thực hiện Quyết định số 77/QĐ-UBND ngày 10/02/2025 của Ủy ban nhân dân tỉnh về việc ban hành quy chế "
            "làm việc;")
    assert c.relation == "thực hiện"
    assert c.subject == "ban hành quy chế làm việc"


def test_pinpoint_belongs_to_the_following_reference():
    c = one("Theo quy định tại khoản 1 Điều 4 Nghị định số 123/2020/NĐ-CP của Chính phủ.")
    assert c.code == "123/2020/NĐ-CP"
    assert c.pinpoint == "khoản 1 Điều 4"


def test_code_broken_across_lines():
    found = cites("Thực hiện Quyết định số 1420/QĐ-\nUBND ngày 15/8/2025 và Công văn số\n3967/STC-ĐKKD "
                  "ngày 20/11/2025 của Sở Tài chính.")
    assert [(c.doc_type, c.code, c.date) for c in found] == [
        ("Quyết định", "1420/QĐ-UBND", D("2025-08-15")), ("Công văn", "3967/STC-ĐKKD", D("2025-11-20"))]


def test_markup_is_removed_from_code():
    c = one("Thực hiện **Kế hoạch số 35/KH-UBND** ngày 24/02/2025 của UBND tỉnh.")
    assert c.code == "35/KH-UBND"
    assert c.date == D("2025-02-24")


def test_invalid_date_on_citation():
    c = one("Theo Quyết định số 19/QĐ-UBND ngày 31/4/2024 của Ủy ban nhân dân tỉnh.")
    assert c.date is None
    assert c.date_valid is False


def test_citations_in_order_of_appearance():
    found = cites("Căn cứ Luật Dữ liệu ngày 30 tháng 11 năm 2024; Nghị định số 47/2024/NĐ-CP ngày 09/5/2024 của "
                  "Chính phủ; Quyết định số 5/QĐ-UBND ngày 02/01/2025 của UBND tỉnh.")
    assert [c.code or c.name for c in found] == ["Luật Dữ liệu", "47/2024/NĐ-CP", "5/QĐ-UBND"]
    assert [c.span.start for c in found] == sorted(c.span.start for c in found)


HEADER_BC = """UBND TỈNH HÒA BÌNH XANH
VĂN PHÒNG UBND TỈNH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 3058/BC-VP
Hòa Bình Xanh, ngày 12 tháng 12 năm 2024

BÁO CÁO
Tình hình xử lý văn bản điện tử năm 2024

Thực hiện Kế hoạch số 21/KH-UBND ngày 15/01/2024 của UBND tỉnh, Văn phòng báo cáo như sau:
I. KẾT QUẢ
1. Văn phòng đã tiếp nhận 4.200 văn bản điện tử.

PHỤ LỤC
(Kèm theo Báo cáo số 3058/BC-VP ngày 12/12/2024 của Văn phòng)
"""


def test_self_reference():
    doc = parse_text(HEADER_BC)
    assert doc.header.code == "3058/BC-VP"
    by_code = {c.code: c for c in doc.citations}
    assert set(by_code) == {"21/KH-UBND", "3058/BC-VP"}, "the header's own 'Số:' line is not a citation"
    me = by_code["3058/BC-VP"]
    assert me.is_self is True
    assert me.doc_type == "Báo cáo"
    assert me.date == D("2024-12-12")
    assert by_code["21/KH-UBND"].is_self is False


def test_appendix_attribution_with_other_number_is_a_self_reference():
    """"(Kèm theo Báo cáo số 2990/BC-VP …)" heading an appendix of report 3058/BC-VP names the report itself with a
    wrong number: it is a self-reference, so citation.self_mismatch can report the number."""
    import docparse

    doc = parse_text(HEADER_BC.replace("(Kèm theo Báo cáo số 3058/BC-VP", "(Kèm theo Báo cáo số 2990/BC-VP"))
    other = next(c for c in doc.citations if c.code == "2990/BC-VP")
    assert other.is_self is True
    found = [f for f in docparse.check(doc) if f.code == "citation.self_mismatch"]
    assert found and found[0].data["number"] == ["2990", "3058"]


def test_same_symbol_other_number_in_running_text_is_not_self():
    doc = parse_text(HEADER_BC + "\nNội dung đã nêu tại Báo cáo số 2990/BC-VP ngày 01/11/2024 của Văn phòng.\n")
    other = next(c for c in doc.citations if c.code == "2990/BC-VP")
    assert other.is_self is False


def test_blank_self_reference_in_a_draft():
    doc = parse_text(HEADER_BC.replace("Số: 3058/BC-VP", "Số:        /BC-VP")
                     .replace("Báo cáo số 3058/BC-VP ngày 12/12/2024", "Báo cáo số:      /BC-VP ngày     /12/2024"))
    assert doc.header.number is None
    selfs = [c for c in doc.citations if c.is_self]
    assert len(selfs) == 1
    assert selfs[0].symbol == "BC-VP" and selfs[0].number is None


# --- samples (samples/README.md) --------------------------------------------------------------------------------

def test_sample_cv_line_broken_codes(samples_dir, parsed):
    doc = parsed(samples_dir / "cv_dulieu.txt")
    got = {(c.doc_type, c.code, c.date) for c in doc.citations}
    assert ("Quyết định", "1420/QĐ-UBND", D("2025-08-15")) in got
    assert ("Công văn", "3967/STC-ĐKKD", D("2025-11-20")) in got
    assert ("Quyết định", "2610/QĐ-UBND", D("2025-11-28")) in got
    assert not any(c.code == "4085/UBND-KT" for c in doc.citations), "own number is not a citation"


def test_sample_bc_citations(samples_dir, parsed):
    doc = parsed(samples_dir / "bc_cchc_2025.txt")
    cs = doc.citations
    plan35 = sorted(c.date for c in cs if c.code == "35/KH-UBND")
    assert plan35 == [D("2025-02-24"), D("2025-02-25")], "cited twice, with two different dates"
    enum = [c for c in cs if c.symbol == "BC-VP" and not c.is_self]
    assert [c.number for c in enum] == ["76", "173", "402", "173", "655"]
    assert all(c.doc_type == "Báo cáo" for c in enum)
    party = next(c for c in cs if c.code == "18-NQ/TW")
    assert party.doc_type == "Nghị quyết" and party.number == "18"
    assert any(c.code == "61/2018/NĐ-CP" and c.doc_type == "Nghị định" for c in cs)
    assert any(c.code == "01/2023/TT-VPCP" and c.doc_type == "Thông tư" for c in cs)
    law = [c for c in cs if c.doc_type == "Luật"]
    assert law and all(c.code is None and c.name and c.date for c in law)
    selfs = [c for c in cs if c.is_self]
    assert [(c.code, c.date) for c in selfs] == [("1234/BC-VP", D("2025-12-16"))]
    assert not any(c.code == "1234/BC-VP" and not c.is_self for c in cs)


def test_sample_qd_laws_and_self(samples_dir, parsed):
    doc = parsed(samples_dir / "qd_quyche.txt")
    laws = {c.name: c.date for c in doc.citations if c.doc_type == "Luật"}
    assert laws == {"Luật Tổ chức chính quyền địa phương": D("2025-02-19"),
                    "Luật Giao dịch điện tử": D("2023-06-22"), "Luật Dữ liệu": D("2024-11-30")}
    assert any(c.code == "318/TTr-SKHCN" and c.doc_type == "Tờ trình" and c.date == D("2025-11-14")
               for c in doc.citations)
    assert any(c.code == "1785/QĐ-UBND" and c.date == D("2021-08-16") for c in doc.citations)
    selfs = [c for c in doc.citations if c.is_self]
    assert [(c.code, c.date) for c in selfs] == [("2610/QĐ-UBND", D("2025-11-28"))]


def test_sample_kh_latest_citation(samples_dir, parsed):
    doc = parsed(samples_dir / "kh_cds_2026.txt")
    assert any(c.code == "214/KH-UBND" and c.date == D("2025-12-26") for c in doc.citations)
    assert all(c.date is None or c.date < D("2026-01-20") for c in doc.citations)


def test_parse_text_source_is_kept():
    doc = docparse.parse_text("Theo Quyết định số 5/QĐ-UBND.", source="ghi-chu")
    assert doc.source == "ghi-chu"
    assert doc.format == "text"


def test_garbled_year_is_not_the_reference_date():
    """"ngày 09/6/20205": the first four digits of a five-digit year are not a date of the reference (they would
    report a false year mismatch)."""
    doc = docparse.parse_text("Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09/6/20205 của Chính phủ;\n")
    assert [(c.code, c.date) for c in doc.citations] == [("118/2025/NĐ-CP", None)]
    assert not [f for f in docparse.check(doc) if f.code == "citation.year_mismatch"]


# --- damaged and old-style codes (issue 14) ---------------------------------------------------------------------

@pytest.mark.parametrize("text,doc_type,code,number,year,symbol,date", [
    ("Căn cứ Thông tư số 49/2025TT-BCT ngày 05/3/2025 của Bộ Công Thương;", "Thông tư", "49/2025TT-BCT", "49", 2025,
     "TT-BCT", "2025-03-05"),
    ("Căn cứ Thông tư liên tịch số 12/2016/TTLT/BTC-BCA ngày 22 tháng 6 năm 2016;", "Thông tư liên tịch",
     "12/2016/TTLT/BTC-BCA", "12", 2016, "TTLT/BTC-BCA", "2016-06-22"),
    ("Theo Thông tư số 108 TC/HCVX ngày 01/02/1995 của Bộ Tài chính;", "Thông tư", "108TC/HCVX", "108", 1995,
     "TC/HCVX", "1995-02-01"),
    ("Căn cứ Nghị định 111-HĐBT ngày 02/4/1991 của Hội đồng Bộ trưởng;", "Nghị định", "111-HĐBT", "111", 1991,
     "HĐBT", "1991-04-02"),
    ("Căn cứ Nghị định 31/CP ngày 03/5/1996 của Chính phủ;", "Nghị định", "31/CP", "31", 1996, "CP", "1996-05-03"),
    ("Trả lời công văn số 1025-CVHQ ngày 10/10/2025 của Công ty;", "Công văn", "1025-CVHQ", "1025", 2025, "CVHQ",
     "2025-10-10"),
    ("Căn cứ Nghị định số63/2014/NĐ-CPngày 15/5/2014 của Chính phủ;", "Nghị định", "63/2014/NĐ-CP", "63", 2014,
     "NĐ-CP", "2014-05-15"),
    ("Căn cứ Nghị định số 12/2010/NĐ-CP ngày ngày 08 tháng 6 năm 2010 của Chính phủ;", "Nghị định", "12/2010/NĐ-CP",
     "12", 2010, "NĐ-CP", "2010-06-08"),
], ids=["no_slash_after_year", "second_slash", "space_before_symbol", "hyphen_only", "old_cp_without_so",
        "hyphen_only_cong_van", "glued", "doubled_ngay"])
def test_damaged_and_old_codes(text, doc_type, code, number, year, symbol, date):
    c = one(text)
    assert (c.doc_type, c.code, c.number, c.year, c.symbol) == (doc_type, code, number, year, symbol)
    assert c.date == D(date)


@pytest.mark.parametrize("text", [
    "Triển khai Đề án 06/CP về phát triển ứng dụng dữ liệu dân cư.",  # a programme's name, not a code
    "Trong khoảng 12 TC/HCVX người tham gia.",  # a space form needs "số" or a type word before it
    "Diện tích 2021-HĐ đã giao.",  # a hyphen form likewise
])
def test_loose_codes_need_so_or_a_normative_type(text):
    assert cites(text) == []


# --- forms and templates are not documents ----------------------------------------------------------------------

def test_form_numbers_are_forms_not_citations():
    text = ("Doanh nghiệp kê khai theo mẫu số 04/GTGT, 05/GTGT và Mẫu số 01/ĐKT-TCT ban hành kèm theo Thông tư số "
            "80/2021/TT-BTC ngày 29/9/2021 của Bộ Tài chính; báo cáo theo Biểu số 05-PA.")
    doc = parse_text(text)
    assert [c.code for c in doc.citations] == ["80/2021/TT-BTC"]
    assert [(f.kind, f.code) for f in doc.forms] == [("mẫu", "04/GTGT"), ("mẫu", "05/GTGT"), ("mẫu", "01/ĐKT-TCT"),
                                                     ("biểu", "05-PA")]
    for f in doc.forms:
        assert doc.text[f.span.start:f.span.end] == f.text
    assert doc.forms[0].text == "mẫu số 04/GTGT"


def test_portal_caption_under_the_signature_is_not_a_citation():
    text = ("Căn cứ Thông tư số 7/2024/TT-BTC ngày 01/02/2024 của Bộ Tài chính;\n"
            "Nơi nhận:\n- Lưu: VT.\n|\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn A\n|\n"
            "Thông tư 9/2025/TT-BTC quy định mức thu phí thẩm định do Bộ trưởng Bộ Tài chính ban hành\n|\n")
    assert [c.code for c in cites(text)] == ["7/2024/TT-BTC"]


def test_a_cited_title_line_with_so_stays_a_citation():
    text = "Bãi bỏ các văn bản sau:\nQuyết định số 15/2021/QĐ-UBND ngày 08/7/2021 của UBND tỉnh về ban hành\n"
    assert [c.code for c in cites(text)] == ["15/2021/QĐ-UBND"]


# --- overlap tests against the references found so far (issue 17: a bisect, not a pass over all) ---------------

def test_placed_returns_every_reference_that_touches_a_range():
    """_Placed.near is a superset of the plain pass's closed-range overlap test, after adds and after moves that
    lengthen a reference or pull its start back; the references it returns stay in start order."""
    import random

    from docparse.extract.citations import _Found, _Placed

    rnd = random.Random(17)
    found = []
    for _ in range(300):
        a = rnd.randint(0, 5000)
        found.append(_Found(a, a + rnd.randint(0, 80), a, a + 5, {}))
    placed = _Placed(found[:150])
    for f in found[150:]:
        placed.add(f)
    for f in rnd.sample(found, 40):
        placed.move(f, f.start - rnd.randint(0, 300), f.end + rnd.randint(0, 400))
    assert placed.starts == sorted(f.start for f in found) == [f.start for f in placed.items]
    for _ in range(500):
        a = rnd.randint(-100, 5500)
        b = a + rnd.randint(0, 60)
        near = placed.near(a, b)
        assert {id(f) for f in found if f.start <= b and a <= f.end} <= {id(f) for f in near}


def test_a_law_name_before_its_number_and_a_blank_self_reference_among_many_codes():
    """The overlap tests decide on the references nearby only: a law's name read before its number joins that
    citation, a blank self-reference far from it stays, and each code of a long list is one citation."""
    codes = [f"{k}/QĐ-UBND" for k in range(1, 400)]
    text = ("Căn cứ Luật Đất đai số 31/2024/QH15 ngày 18/01/2024;\n" + "Bãi bỏ các Quyết định số "
            + ", ".join(codes) + ".\nKèm theo Báo cáo số:      /BC-UBND ngày 02/3/2025.\n")
    doc = parse_text(text)
    assert [c.code for c in doc.citations[1:-1]] == codes
    law = doc.citations[0]
    assert (law.code, law.doc_type, law.date) == ("31/2024/QH15", "Luật", dt.date(2024, 1, 18))
    assert law.text.startswith("Luật Đất đai số 31/2024/QH15")
    assert doc.citations[-1].is_self and doc.citations[-1].symbol == "BC-UBND"


def test_list_head_types_every_bare_item_of_its_sentence():
    """"các Nghị quyết của Quốc hội: số A … về …; số B …": both are Nghị quyết (the symbol alone says Luật), and a
    new sentence or basis ends the list."""
    doc = docparse.parse_text("Căn cứ các Nghị quyết của Quốc hội: số 55/2010/QH12 ngày 24/11/2010 về miễn thuế; "
                              "số 28/2016/QH14 ngày 11/11/2016 về sửa đổi Nghị quyết số 55/2010/QH12; "
                              "số 107/2020/QH14 ngày 10/6/2020.\nCăn cứ số 15/2012/QH13 ngày 20/6/2012;\n")
    assert [(c.code, c.doc_type) for c in doc.citations] == [
        ("55/2010/QH12", "Nghị quyết"), ("28/2016/QH14", "Nghị quyết"), ("55/2010/QH12", "Nghị quyết"),
        ("107/2020/QH14", "Nghị quyết"), ("15/2012/QH13", "Luật")]


# ---- the fast paths of the citation layer (issue 17) read the same as the plain scans they replace -----------------
def test_clause_break_written_from_one_class_ends_where_the_plain_alternation_does():
    """_CLAUSE_BREAK starts with one character class so re can skip to it; every short string of the characters that
    matter gives the same matches as "[;.:!?]\\s|\\n\\s*\\n|\\n\\s*[-+]"."""
    import itertools
    import re

    from docparse.extract.citations import _CLAUSE_BREAK

    plain = re.compile(r"[;.:!?]\s|\n\s*\n|\n\s*[-+]")
    for n in range(1, 6):
        for chars in itertools.product(";.\n -+a", repeat=n):
            s = "".join(chars)
            assert [m.span() for m in _CLAUSE_BREAK.finditer(s)] == [m.span() for m in plain.finditer(s)], repr(s)


@pytest.mark.parametrize("window", [
    "Căn cứ khoản 2 Điều 5 và điểm a khoản 1 Điều 7 của",  # words from a list, then "của"
    "theo quy định chi tiết tại khoản 3 Điều 12",
    "KHOẢN 1 ĐIỀU 4",  # capitals
    "điểm b, khoản 2 Điều 3 Phụ lục II tại",
    "chi tiết tiết kiệm Mục 2",
    "Khoản 1 Đıều 4",  # a dotless ı: re's IGNORECASE reads it as i, lower() keeps it
    "không có gì",
])
def test_pinpoint_tried_at_its_words_equals_the_plain_search(window):
    from docparse.extract.citations import _PINPOINT, _pinpoint

    plain = _PINPOINT.search(window)
    fast = _pinpoint(window)
    assert (fast.span() if fast else None) == (plain.span() if plain else None)


@pytest.mark.parametrize("text", [
    "Căn cứ Luật Đất đai năm 2024, pháp luật về đất đai, Bộ luật Dân sự ngày 24/11/2015 và Hiến pháp năm 2013;\n"
    "thực hiện Pháp lệnh Chi phí tố tụng ngày 10/12/2024; Bộ Luật Lao động năm 2019; kỹ thuật, quy luật thị trường.",
    "CĂN CỨ LUẬT TỔ CHỨC CHÍNH QUYỀN ĐỊA PHƯƠNG NGÀY 16/6/2025; căn cứ hİến pháp năm 2013.",  # "İ" lower()s to 2 letters
])
def test_references_read_the_same_with_the_lower_cased_text_given_or_not(text):
    """find_references may be handed the lower-cased text the dates layer uses (`low`): same records either way, also
    for a text holding the one letter whose lower case is longer ("İ")."""
    from docparse.extract.citations import find_references
    from docparse.extract.dates import lower_same_length
    from docparse.normalize import normalize

    nt = normalize(text)
    alone = find_references(nt)
    shared = find_references(nt, low=lower_same_length(nt.text))
    assert [c.model_dump() for c in alone[0]] == [c.model_dump() for c in shared[0]]
    assert alone[0], "the texts cite laws"


def test_codes_are_found_after_dates_and_other_slashes():
    """Only the slashes a code can have (a capital, or a year and then "/" or the symbol, after them) are visited; a
    date, "V/v" or "và/hoặc" right before a code does not hide it, and the old spaced form is still read."""
    doc = parse_text("Ngày 12/5/2025 V/v và/hoặc 12/QĐ-UBND; Nghị định số 05/2025/NĐ-CP; Thông tư 49/2025TT-BCT; "
                     "Thông tư số 108 TC/HCVX; Quyết định số 15/2024/QĐ-UBND.")
    assert [c.code for c in doc.citations] == ["12/QĐ-UBND", "05/2025/NĐ-CP", "49/2025TT-BCT", "108TC/HCVX",
                                               "15/2024/QĐ-UBND"]
