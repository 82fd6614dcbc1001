"""The header block (NĐ 30/2020 layout) and the closing block (signer, Nơi nhận), on short texts written for these
tests, on the samples (values from samples/README.md) and on a few corpus documents."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docparse import parse_text
from docparse.extract import header as header_mod
from docparse.extract import portal as portal_mod


def D(s: str) -> dt.date:
    return dt.date.fromisoformat(s)


PLAN = """UBND TỈNH HÒA BÌNH XANH
SỞ Y TẾ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 12/KH-SYT
Hòa Bình Xanh, ngày 05 tháng 3 năm 2025

KẾ HOẠCH
Tiêm chủng mở rộng năm 2025

Thực hiện Quyết định số 88/QĐ-UBND ngày 10/01/2025 của Ủy ban nhân dân tỉnh, Sở Y tế ban hành kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Bảo đảm trẻ em trong độ tuổi được tiêm đủ liều.
II. NHIỆM VỤ
1. Rà soát đối tượng tiêm chủng trước ngày 30/4/2025./.

Nơi nhận:
- Như trên;
- UBND tỉnh;
- Lưu: VT.
KT. GIÁM ĐỐC
PHÓ GIÁM ĐỐC


Trần Thị Bình
"""

LETTER = """ỦY BAN NHÂN DÂN
TỈNH HÒA BÌNH XANH
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 501/UBND-KT
V/v báo cáo tình hình giải ngân vốn đầu tư công
Hòa Bình Xanh, ngày 02 tháng 6 năm 2025

Kính gửi:
- Sở Tài chính;
- Sở Xây dựng.

Ủy ban nhân dân tỉnh đề nghị các Sở báo cáo tình hình giải ngân trước ngày 15/6/2025./.

Nơi nhận:
- Như trên;
- Lưu: VT, KT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH


Nguyễn Văn An
"""


def field_text(doc, name: str) -> str:
    fs = next(fs for fs in doc.header.fields if fs.field == name)
    return doc.text[fs.span.start:fs.span.end]


def test_plan_header():
    doc = parse_text(PLAN)
    h = doc.header
    assert h.source == "body"
    assert (h.doc_type, h.doc_type_source) == ("Kế hoạch", "title")
    assert (h.number, h.symbol, h.code) == ("12", "KH-SYT", "12/KH-SYT")
    assert h.date == D("2025-03-05")
    assert h.date_partial is None and h.date_valid
    assert h.parent == "UBND TỈNH HÒA BÌNH XANH"
    assert h.issuer == "SỞ Y TẾ"
    assert h.title == "Tiêm chủng mở rộng năm 2025"
    assert h.subject_vv is None
    assert not [n for n in doc.notices if n.code.startswith("header.")]


def test_plan_header_place():
    h = parse_text(PLAN).header
    assert h.place == "Hòa Bình Xanh"


def test_place_wrapped_over_two_lines():
    """A place name wrapped by a hard line break ("Thành" / "phố Hồ Chí Minh") is joined, but the line above a
    place that starts with a capital (the 'Số:' line) is never part of it."""
    h = parse_text("Số: 12/UBND-KT\nThành\nphố Hồ Chí Minh, ngày 05 tháng 3 năm 2025\n").header
    assert h.place == "Thành phố Hồ Chí Minh"
    h = parse_text("Số: 12/UBND-KT\nHà Nội, ngày 05 tháng 3 năm 2025\n").header
    assert h.place == "Hà Nội"


def test_header_field_spans_point_at_their_text():
    doc = parse_text(PLAN)
    assert field_text(doc, "number").startswith("Số: 12/KH-SYT")
    assert "05 tháng 3 năm 2025" in field_text(doc, "date")
    assert field_text(doc, "doc_type") == "KẾ HOẠCH"
    assert field_text(doc, "title") == "Tiêm chủng mở rộng năm 2025"
    assert field_text(doc, "issuer") == "SỞ Y TẾ"
    assert field_text(doc, "parent") == "UBND TỈNH HÒA BÌNH XANH"


def test_own_number_is_not_a_citation():
    doc = parse_text(PLAN)
    assert [c.code for c in doc.citations] == ["88/QĐ-UBND"]


def test_signer_and_cc():
    h = parse_text(PLAN).header
    s = h.signer
    assert s is not None
    assert s.authority == "KT."
    assert s.authority_body == "GIÁM ĐỐC"
    assert s.title == "PHÓ GIÁM ĐỐC"
    assert s.name == "Trần Thị Bình"
    assert [c.rstrip(" ;.") for c in h.cc] == ["Như trên", "UBND tỉnh", "Lưu: VT"]


def test_signer_span_covers_the_block():
    doc = parse_text(PLAN)
    block = doc.text[doc.header.signer.span.start:doc.header.signer.span.end]
    assert "PHÓ GIÁM ĐỐC" in block and block.rstrip().endswith("Trần Thị Bình")


GRID_TAB = ("UBND TỈNH HÒA BÌNH XANH\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "SỞ Y TẾ\tĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 12/KH-SYT\tHòa Bình Xanh, ngày 05 tháng 3 năm 2025\n"
            "KẾ HOẠCH\nTiêm chủng mở rộng năm 2025\n"
            "Thực hiện Quyết định số 88/QĐ-UBND ngày 10/01/2025 của Ủy ban nhân dân tỉnh.\n")
GRID_SPACES = GRID_TAB.replace("\t", "        ")


def test_two_column_header_with_tabs():
    """The header grid written row by row, the columns separated by a tab (as the PDF reader renders it)."""
    doc = parse_text(GRID_TAB)
    h = doc.header
    assert (h.doc_type, h.number, h.symbol, h.date) == ("Kế hoạch", "12", "KH-SYT", D("2025-03-05"))
    assert h.place == "Hòa Bình Xanh"
    assert (h.parent, h.issuer) == ("UBND TỈNH HÒA BÌNH XANH", "SỞ Y TẾ")
    assert h.title == "Tiêm chủng mở rộng năm 2025"
    assert [c.code for c in doc.citations] == ["88/QĐ-UBND"]


def test_two_column_header_with_spaces_core_fields():
    h = parse_text(GRID_SPACES).header
    assert (h.doc_type, h.number, h.symbol, h.date) == ("Kế hoạch", "12", "KH-SYT", D("2025-03-05"))


def test_two_column_header_with_spaces_place_and_bodies():
    h = parse_text(GRID_SPACES).header
    assert h.place == "Hòa Bình Xanh"
    assert (h.parent, h.issuer) == ("UBND TỈNH HÒA BÌNH XANH", "SỞ Y TẾ")


def test_number_with_space_before_slash():
    h = parse_text(PLAN.replace("Số: 12/KH-SYT", "Số: 3058 /BC-VP").replace("KẾ HOẠCH", "BÁO CÁO")).header
    assert (h.number, h.symbol, h.code) == ("3058", "BC-VP", "3058/BC-VP")
    assert h.doc_type == "Báo cáo"


def test_normative_number_with_year():
    h = parse_text(PLAN.replace("Số: 12/KH-SYT", "Số: 48/2025/NQ-HĐND").replace("KẾ HOẠCH", "NGHỊ QUYẾT")).header
    assert (h.number, h.symbol, h.doc_type) == ("48", "NQ-HĐND", "Nghị quyết")
    assert h.code == "48/2025/NQ-HĐND"


def test_blank_number_in_a_draft():
    doc = parse_text(PLAN.replace("Số: 12/KH-SYT", "Số:        /BC-TTT").replace("KẾ HOẠCH", "BÁO CÁO"))
    h = doc.header
    assert h.number is None
    assert h.symbol == "BC-TTT"
    codes = [n.code for n in doc.notices]
    assert "header.missing_number" in codes
    note = next(n for n in doc.notices if n.code == "header.missing_number")
    assert note.message.strip()


def test_blank_day_in_a_draft():
    doc = parse_text(PLAN.replace("ngày 05 tháng 3 năm 2025", "ngày      tháng 7 năm 2025"))
    h = doc.header
    assert h.date is None
    assert h.date_partial == "2025-07"
    assert "header.missing_date" in [n.code for n in doc.notices]


def test_impossible_header_date():
    doc = parse_text(PLAN.replace("ngày 05 tháng 3 năm 2025", "ngày 31 tháng 4 năm 2025"))
    h = doc.header
    assert h.date is None
    assert h.date_valid is False
    assert "date.invalid" in [n.code for n in doc.notices]


def test_cong_van_header():
    doc = parse_text(LETTER)
    h = doc.header
    assert (h.doc_type, h.doc_type_source) == ("Công văn", "vv")
    assert (h.number, h.symbol) == ("501", "UBND-KT")
    assert h.date == D("2025-06-02")
    assert h.subject_vv == "báo cáo tình hình giải ngân vốn đầu tư công"
    assert h.title is None
    assert h.recipients == ["Sở Tài chính", "Sở Xây dựng"]
    assert h.signer is not None and h.signer.name == "Nguyễn Văn An"
    assert (h.signer.authority, h.signer.title) == ("KT.", "PHÓ CHỦ TỊCH")
    assert [c.rstrip(" ;.") for c in h.cc] == ["Như trên", "Lưu: VT, KT"]


def test_cong_van_place():
    """The V/v line right above the date line is not part of the place."""
    assert parse_text(LETTER).header.place == "Hòa Bình Xanh"


def test_cong_van_issuer():
    h = parse_text(LETTER).header
    assert h.issuer == "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH XANH"
    assert h.parent is None


def test_inline_recipient():
    doc = parse_text(LETTER.replace("Kính gửi:\n- Sở Tài chính;\n- Sở Xây dựng.", "Kính gửi: Sở Tài chính."))
    assert doc.header.recipients == ["Sở Tài chính"]


def test_signer_block_tm_kt():
    text = PLAN.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\n\nTrần Thị Bình",
                        "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nLê Văn Cường")
    s = parse_text(text).header.signer
    assert s is not None
    assert s.name == "Lê Văn Cường"
    assert s.authority in ("TM.", "KT.")
    assert "PHÓ CHỦ TỊCH" in (s.title or "")


def test_signer_without_authority():
    text = PLAN.replace("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "GIÁM ĐỐC")
    s = parse_text(text).header.signer
    assert s is not None
    assert (s.authority, s.title, s.name) == (None, "GIÁM ĐỐC", "Trần Thị Bình")


def test_party_header():
    text = ("ĐẢNG CỘNG SẢN VIỆT NAM\n\nBAN CHẤP HÀNH TRUNG ƯƠNG\nVĂN PHÒNG\n*\nSố 07-KL/VPTW\n"
            "Hà Nội, ngày 10 tháng 10 năm 2025\n\nKẾT LUẬN\ncủa Văn phòng về công tác lưu trữ\n\n"
            "Thực hiện Quy định số 66-QĐ/TW của Bộ Chính trị, Văn phòng kết luận như sau:\n")
    doc = parse_text(text)
    h = doc.header
    assert h.doc_type == "Kết luận"
    assert (h.number, h.symbol) == ("07", "KL/VPTW")
    assert h.date == D("2025-10-10")
    assert h.place == "Hà Nội"
    assert (h.parent, h.issuer) == ("BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG")
    assert [c.code for c in doc.citations] == ["66-QĐ/TW"]


def test_no_header():
    doc = parse_text("Ghi chú làm việc: rà soát Quyết định số 5/QĐ-UBND trong tháng 7/2025.\n")
    assert doc.header.source == "none"
    assert "header.not_found" in [n.code for n in doc.notices]
    assert [c.code for c in doc.citations] == ["5/QĐ-UBND"]


# --- samples ----------------------------------------------------------------------------------------------------

SAMPLES = {
    "bc_cchc_2025.txt": dict(doc_type="Báo cáo", number="1234", symbol="BC-VP", date="2025-12-15",
                             parent="UBND TỈNH HÒA BÌNH XANH", issuer="VĂN PHÒNG UBND TỈNH",
                             signer=("KT.", "PHÓ CHÁNH VĂN PHÒNG", "Đỗ Minh Khôi")),
    "kh_cds_2026.txt": dict(doc_type="Kế hoạch", number="45", symbol="KH-STTTT", date="2026-01-20",
                            parent="UBND TỈNH HÒA BÌNH XANH", issuer="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
                            signer=("KT.", "PHÓ GIÁM ĐỐC", "Phan Quốc Bảo")),
    "qd_quyche.txt": dict(doc_type="Quyết định", number="2610", symbol="QĐ-UBND", date="2025-11-28",
                          parent=None, issuer="ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH XANH",
                          signer=(None, None, "Vũ Thanh Tùng")),
    "cv_dulieu.txt": dict(doc_type="Công văn", number="4085", symbol="UBND-KT", date="2025-12-01",
                          parent=None, issuer="ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH XANH",
                          signer=("KT.", "PHÓ CHỦ TỊCH", "Nguyễn Hữu Phước")),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_header(samples_dir, parsed, name):
    exp = SAMPLES[name]
    doc = parsed(samples_dir / name)
    h = doc.header
    assert h.source == "body"
    assert h.doc_type == exp["doc_type"]
    assert (h.number, h.symbol) == (exp["number"], exp["symbol"])
    assert h.date == D(exp["date"])
    assert h.parent == exp["parent"]
    assert h.issuer == exp["issuer"]
    authority, title, name_ = exp["signer"]
    assert h.signer is not None and h.signer.name == name_
    if authority:
        assert h.signer.authority == authority
    if title:
        assert h.signer.title == title
    assert h.cc and h.cc[-1].lower().startswith("lưu")
    assert not [n for n in doc.notices if n.code.startswith("header.")]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_place(samples_dir, parsed, name):
    assert parsed(samples_dir / name).header.place == "Hòa Bình Xanh"


def test_sample_cv_subject_and_recipients(samples_dir, parsed):
    h = parsed(samples_dir / "cv_dulieu.txt").header
    assert h.subject_vv.startswith("rà soát, làm sạch dữ liệu đăng ký hộ kinh doanh")
    assert len(h.recipients) == 5
    assert h.recipients[0] == "Sở Tài chính"
    assert h.recipients[-1] == "Ủy ban nhân dân các xã, phường"


def test_sample_bc_titles(samples_dir, parsed):
    h = parsed(samples_dir / "bc_cchc_2025.txt").header
    assert h.title == "Kết quả thực hiện công tác cải cách hành chính năm 2025"
    assert h.recipients == ["Ủy ban nhân dân tỉnh Hòa Bình Xanh"]


@pytest.mark.parametrize("stem", ["bc_cchc_2025", "kh_cds_2026"])
@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_binary_sample_header_core(samples_dir, parsed, stem, ext):
    """Type, number, symbol and date read the same from every rendering."""
    ref = parsed(samples_dir / f"{stem}.txt").header
    h = parsed(samples_dir / f"{stem}.{ext}").header
    assert (h.doc_type, h.number, h.symbol, h.date, h.title) == (ref.doc_type, ref.number, ref.symbol, ref.date,
                                                                  ref.title)


@pytest.mark.parametrize("stem", ["bc_cchc_2025", "kh_cds_2026"])
def test_pdf_sample_header_bodies_and_signer(samples_dir, parsed, stem):
    """The PDF header is a real two-column grid and the signature block sits beside 'Nơi nhận:'."""
    ref = parsed(samples_dir / f"{stem}.txt").header
    h = parsed(samples_dir / f"{stem}.pdf").header
    assert (h.parent, h.issuer, h.place) == (ref.parent, ref.issuer, ref.place)
    assert h.signer is not None and h.signer.name == ref.signer.name


# --- corpus -----------------------------------------------------------------------------------------------------

def test_corpus_seed_004_header(corpus_doc):
    doc = corpus_doc("seeds/004_bb37e80757a25429.txt")
    assert doc.header.number == "3058"
    assert doc.header.symbol == "BC-VP"
    assert doc.header.date == D("2024-12-12")
    assert doc.header.doc_type == "Báo cáo"


def test_corpus_seed_000_draft(corpus_doc):
    doc = corpus_doc("seeds/000_1980becd5c019c83.txt")
    assert doc.header.number is None
    assert doc.header.date_partial == "2025-07"
    codes = {n.code for n in doc.notices}
    assert {"header.missing_number", "header.missing_date"} <= codes


def test_corpus_public_13_header_from_portal(corpus_doc):
    doc = corpus_doc("public/13_CV17809-BTC-CTK_BoTaiChinh.txt")
    assert doc.header.source == "portal"
    assert "header.not_found" in [n.code for n in doc.notices]
    assert doc.header.number == "17809"
    assert any(fs.field.endswith("@portal") for fs in doc.header.fields)
    portal = [fs.span for fs in doc.header.fields if fs.field.endswith("@portal")]
    for c in doc.citations:
        assert not any(c.span.start < sp.end and sp.start < c.span.end for sp in portal), \
            f"the portal's metadata is not a citation: {c.text!r}"
    # the appendix's "(Kèm theo Công văn số 17809/BTC-CTK …)" is a self-reference
    assert all(c.is_self for c in doc.citations if c.code == "17809/BTC-CTK")


def test_corpus_public_20_damaged_encoding(corpus_doc):
    doc = corpus_doc("public/20_CV1123-TCT-CS_2014_degraded_encoding.html.txt")
    assert any(n.code.startswith("encoding.") for n in doc.notices)
    assert all(n.message.strip() for n in doc.notices)


# ---- the search shortcuts (issue 17) answer as the patterns they stand for -------------------------------------------
# Each shortcut finds a rare literal first and tries the pattern only there; on text made of the fragments that make
# the patterns match or nearly match, it must give the same match as the pattern searched at every position.

_FRAGMENTS = ["V/v", "v/V", "V/v:", " V/v trả lời", "V/", "/v", "Số", "Số:", "Số hiệu:", "số", " 12/QĐ-UBND", "15/2025/TT-BYT",
              "12-NQ/TW", " /KH-SYT", "Nơi nhận", "NƠI NHẬN", "nơi nhận:", "Nơi", "nơi", "NƠI", "ơi", "ƠI", "Nơi  nhận",
              "Kính gửi", "Đồng kính gửi", "KÍNH GỬI:", "kính  gửi", "\u212aính gửi", "Kính", "gửi", "Đồng", "Đang tải văn bản",
              "Đang tải văn bản...", "Văn bản liên quan", "## Văn bản liên quan", "Lược đồ", "# Lược đồ",
              "Văn bản này chưa cập nhật nội dung Tiếng Anh", "\n", "\n", "\n", " ", "  ", "\t", "|", "*", "#", "_", "-",
              "x", "Sở Y tế", "ngày 5"]
_TEXTS = st.lists(st.sampled_from(_FRAGMENTS), max_size=40).map("".join)
_FUZZ = {"deadline": None, "derandomize": True, "database": None, "suppress_health_check": [HealthCheck.too_slow]}


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.span() == b.span()
                                         and a.groupdict() == b.groupdict())


@settings(max_examples=400, **_FUZZ)
@given(_TEXTS, st.integers(0, 60), st.integers(0, 400))
def test_header_search_shortcuts_agree_with_their_patterns(text, start, width):
    start = min(start, len(text))
    end = min(len(text), start + width)
    h = header_mod
    assert _same(h._vv_search(text, start, end), h._VV.search(text, start, end))
    assert _same(h._number_search(text, start, end), h._NUMBER.search(text, start, end))
    assert _same(h._KINH_GUI_SEARCH.search(text, start, end), h._KINH_GUI.search(text, start, end))
    found = [m.span() for p in h._noi_nhan_starts(text, start, end) if (m := h._NOI_NHAN.match(text, p, end))]
    assert found == [m.span() for m in h._NOI_NHAN.finditer(text, start, end)]


@settings(max_examples=300, **_FUZZ)
@given(_TEXTS, st.integers(0, 60), st.integers(0, 400))
def test_portal_line_search_agrees_with_its_patterns(text, start, width):
    start = min(start, len(text))
    end = min(len(text), start + width)
    p = portal_mod
    assert _same(p._line_search(p._BANNER_END, text, ("Đang tải văn bản",), start, end),
                 p._BANNER_END.search(text, start, end))
    assert _same(p._line_search(p._TRAILER, text, p._TRAILER_WORDS, start, len(text)), p._TRAILER.search(text, start))


def _lines_by_find(text, start, end):
    """The header's line reader as it was before it split the range at once: one str.find per line."""
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line = text[pos:stop]
        if "\t" not in line and "   " not in line.strip():
            yield pos, stop, line.strip(" |*#_")
        else:
            for cell in header_mod._COLUMN_GAP.finditer(line):
                if cell.group().strip(" |*#_"):
                    yield pos + cell.start(), pos + cell.end(), cell.group().strip(" |*#_")
        pos = stop + 1


@settings(max_examples=300, **_FUZZ)
@given(_TEXTS, st.integers(0, 60), st.integers(0, 400))
def test_line_reader_keeps_offsets_and_columns(text, start, width):
    end = min(len(text), start + width)
    assert list(header_mod._lines(text, start, end)) == list(_lines_by_find(text, start, end))


@pytest.mark.parametrize("s, caps", [("SỞ Y TẾ", True), ("UBND", True), ("A", False), ("A1", False), ("12/QĐ", True),
                                     ("Sở Y tế", False), ("ỦY BAN NHÂN DÂN TỈNH Sông", True), ("CHỦ TỊCH Ủy ban", False), ("nơi nhận", False), ("", False)])
def test_is_caps(s, caps):
    assert header_mod._is_caps(s) is caps
