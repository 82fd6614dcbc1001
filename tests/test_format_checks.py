"""The thể thức checks (format.*, NĐ 30/2020/NĐ-CP): the drafts of samples/drafts (clean ones give nothing, each
variant its planted deviation), the rules one by one on short fictional texts, and the DOCX presentation reader.
All text is fictional (tỉnh names are real places, the bodies and people are not)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import docparse
from docparse.checks import check_document, load_all
from docparse.presentation import presentation_of

ROOT = Path(__file__).resolve().parents[1]
DRAFTS = ROOT / "samples" / "drafts"
EXPECTED = json.loads((DRAFTS / "expected.json").read_text(encoding="utf-8"))["expected"]


def doc_text(*, parent="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", issuer="SỞ NỘI VỤ", motto="Độc lập - Tự do - Hạnh phúc",
             number="Số: 12/KH-SNV", date="Nghệ An, ngày 10 tháng 3 năm 2026", title="KẾ HOẠCH\nTập huấn văn thư",
             body="1. Tổ chức 02 lớp tập huấn.\n2. Văn phòng Sở chủ trì thực hiện./.",
             cc="Nơi nhận:\n- Các phòng;\n- Lưu: VT, VP.", signer="KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC",
             name="Đào Văn Lực", top: str = "") -> str:
    head = "\n".join(x for x in (parent, issuer) if x)
    return (f"{top}{head}\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{motto + chr(10) if motto else ''}"
            f"---------------\n{number}\n{date}\n\n{title}\n-----------\n\n{body}\n\n{cc}\n\n{signer}\n\n{name}\n")


def found(text: str, prefix: str = "format."):
    return [f for f in docparse.check(docparse.parse_text(text)) if f.code.startswith(prefix)]


def codes(text: str) -> list[str]:
    return sorted(f.code for f in found(text))


# ---- the drafts ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(EXPECTED), ids=sorted(EXPECTED))
def test_draft(name):
    doc = docparse.parse(DRAFTS / name)
    findings = check_document(doc)
    expected = EXPECTED[name]
    if expected is None:
        assert findings == [], [f.message for f in findings]
        return
    assert expected in {f.code for f in findings}
    assert {f.code for f in findings} == {expected}, [f.message for f in findings]  # nothing else fires
    for f in findings:
        assert f.spans and f.data.get("rule"), f
        for e in f.spans:
            assert doc.text[e.span.start:e.span.end] == e.text


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith(".docx")))
def test_docx_given_as_bytes_gives_no_false_finding(name):
    """Bytes have no file to read the presentation from: the grids stay flattened, so fewer rules can judge, but none
    may fire wrongly."""
    doc = docparse.parse((DRAFTS / name).read_bytes())
    assert {f.code for f in check_document(doc)} <= {EXPECTED[name]} - {None}


def test_every_format_rule_has_a_draft():
    rules = {code for code in load_all() if code.startswith("format.")}
    assert rules == {c for c in EXPECTED.values() if c}


def test_drafts_are_what_the_script_writes(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_format_drafts.py"), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in DRAFTS.iterdir() if p.name != "README.md")
    for name in written:
        assert (tmp_path / name).read_bytes() == (DRAFTS / name).read_bytes(), name


# ---- rules on short texts ------------------------------------------------------------------------------------------

def test_clean_text_gives_nothing():
    assert codes(doc_text()) == []


def test_symbol_type_wrong_type_and_exact_case():
    [f] = found(doc_text(number="Số: 12/QĐ-SNV"), "format.symbol_type")
    assert f.severity == "error" and f.data["suggestion"] == "Số: 12/KH-SNV"
    [f] = found(doc_text(number="Số: 12/TTR-SNV", title="TỜ TRÌNH\nVề việc tập huấn văn thư"), "format.symbol_type")
    assert f.data["suggestion"] == "Số: 12/TTr-SNV"
    assert found(doc_text(number="Số: 12/TTr-SNV", title="TỜ TRÌNH\nVề việc tập huấn"), "format.symbol_type") == []


def test_cong_van_symbol_has_no_type_part():
    cv = {"parent": None, "issuer": "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "title": "Kính gửi: Các sở, ngành.",
          "signer": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"}
    [f] = found(doc_text(number="Số: 215/KH-UBND\nV/v tập huấn văn thư", **cv), "format.symbol_type")
    assert f.data["suggestion"] == "Số: 215/UBND-…"
    assert found(doc_text(number="Số: 215/UBND-VP\nV/v tập huấn văn thư", **cv), "format.symbol_type") == []
    tax = {**cv, "parent": "BỘ TÀI CHÍNH", "issuer": "CỤC THUẾ", "signer": "KT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG"}
    assert codes(doc_text(number="Số: 215/CT-CS\nV/v tập huấn văn thư", **tax)) == []  # CT: Cục Thuế, not Chỉ thị


def test_cited_document_type_against_its_symbol():
    body = "Thực hiện Kế hoạch số 31/QĐ-UBND ngày 20/01/2026 của Ủy ban nhân dân tỉnh, Sở thực hiện như sau./."
    [f] = found(doc_text(body=body), "format.cited_symbol_type")
    assert f.data["code"] == "31/QĐ-UBND" and "Kế hoạch số 31/QĐ-UBND" in f.spans[0].text
    party = "Thực hiện Kết luận số 15-KL/TU ngày 20/01/2026 của Ban Thường vụ Tỉnh ủy, Sở thực hiện./."
    assert found(doc_text(body=party), "format.cited_symbol_type") == []


def test_leading_zeros_of_number_and_date():
    [f] = found(doc_text(number="Số: 5/KH-SNV"), "format.number_zero")
    assert f.severity == "info" and f.data["suggestion"] == "Số: 05/KH-SNV"
    [f] = found(doc_text(date="Nghệ An, ngày 5 tháng 2 năm 2026"), "format.date_zero")
    assert f.data["suggestion"] == "ngày 05 tháng 02 năm 2026"
    assert found(doc_text(date="Nghệ An, ngày 05 tháng 3 năm 2026"), "format.date_zero") == []


def test_place_of_another_province_and_an_old_name_after_the_merger():
    [f] = found(doc_text(date="Hà Tĩnh, ngày 10 tháng 3 năm 2026"), "format.place_province")
    assert f.data["suggestion"] == "Nghệ An"
    tq = {"parent": "ỦY BAN NHÂN DÂN TỈNH TUYÊN QUANG"}
    [f] = found(doc_text(date="Hà Giang, ngày 05 tháng 8 năm 2025", **tq), "format.place_province")
    assert f.data["suggestion"] == "Tuyên Quang"
    assert found(doc_text(date="Tuyên Quang, ngày 05 tháng 8 năm 2025", **tq), "format.place_province") == []
    commune = {"parent": "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "issuer": "ỦY BAN NHÂN DÂN XÃ HƯNG NGUYÊN"}
    assert found(doc_text(date="Hưng Nguyên, ngày 10 tháng 3 năm 2026", **commune), "format.place_province") == []


def test_weekend_and_public_holiday_are_infos():
    [f] = found(doc_text(date="Nghệ An, ngày 02 tháng 9 năm 2025"), "format.date_holiday")
    assert f.severity == "info" and "Quốc khánh" in f.message
    [f] = found(doc_text(date="Nghệ An, ngày 07 tháng 3 năm 2026"), "format.date_holiday")
    assert "thứ Bảy" in f.message


def test_missing_components_in_an_authors_text():
    [f] = found(doc_text(motto=None), "format.missing_component")
    assert f.data["component"] == "tiêu ngữ" and f.data["suggestion"] == "Độc lập - Tự do - Hạnh phúc"
    [f] = found(doc_text(cc="Nơi nhận:\n- Các phòng."), "format.missing_component")
    assert f.data["component"] == "Lưu: VT"
    [f] = found(doc_text(parent=None), "format.missing_component")
    assert f.data["component"] == "tên cơ quan chủ quản trực tiếp"


def test_portal_copy_is_not_judged_for_missing_components():
    portal = "|\n|\n|\n" + doc_text(motto=None).replace("CỘNG HÒA", "|\n**CỘNG HÒA").replace("NAM\n", "NAM**\n|\n")
    assert found(portal, "format.missing_component") == []


def test_body_end_mark():
    [f] = found(doc_text(body="1. Văn phòng Sở chủ trì thực hiện."), "format.body_end")
    assert f.data["suggestion"].endswith("thực hiện./.")
    portal = "|\n|\n|\n" + doc_text(body="1. Văn phòng Sở chủ trì thực hiện.")
    assert found(portal, "format.body_end") == []  # a portal copy may have lost the mark
    [f] = found("|\n|\n|\n" + doc_text(body="1. Văn phòng Sở chủ trì thực hiện./"), "format.body_end")
    assert f.data["suggestion"].endswith("thực hiện./.")


def test_colon_after_so_noi_nhan_and_luu():
    [f] = found(doc_text(number="Số 12/KH-SNV"), "format.punctuation")
    assert f.data["suggestion"] == "Số: 12/KH-SNV"
    [f] = found(doc_text(cc="Nơi nhận\n- Các phòng;\n- Lưu: VT, VP."), "format.punctuation")
    assert f.data["suggestion"] == "Nơi nhận:"
    [f] = found(doc_text(cc="Nơi nhận:\n- Các phòng;\n- Lưu VT, VP."), "format.punctuation")
    assert f.data["suggestion"] == "Lưu: VT, VP."
    body = "1. Trả kết quả tại Bộ phận một cửa.\nNơi nhận kết quả\n2. Văn phòng Sở chủ trì thực hiện./."
    assert found(doc_text(body=body), "format.punctuation") == []  # the block's own label has its colon


def test_signer_block():
    [f] = found(doc_text(signer="KT. GIÁM ĐỐC\nGIÁM ĐỐC"), "format.signer_authority")
    assert f.data["problem"] == "kt_without_deputy"
    [f] = found(doc_text(signer="PHÓ GIÁM ĐỐC"), "format.signer_authority")
    assert f.data["problem"] == "deputy_without_kt" and f.data["suggestion"] == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    [f] = found(doc_text(signer="T/M ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", parent=None,
                         issuer="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", number="Số: 12/KH-UBND"), "format.signer_authority")
    assert f.data["problem"] == "prefix_form" and f.data["suggestion"] == "TM."
    [f] = found(doc_text(signer="TM. SỞ NỘI VỤ\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH", parent=None,
                         issuer="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", number="Số: 12/KH-UBND"), "format.signer_authority")
    assert f.data["problem"] == "tm_body"
    [f] = found(doc_text(signer="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"), "format.signer_authority")
    assert f.data["problem"] == "head_title"  # a Sở is headed by a Giám đốc
    assert found(doc_text(signer="TL. GIÁM ĐỐC\nCHÁNH VĂN PHÒNG"), "format.signer_authority") == []


def test_tm_follows_who_decides():
    qd = {"parent": None, "issuer": "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "number": "Số: 12/QĐ-UBND",
          "body": "Căn cứ Luật Tổ chức chính quyền địa phương;\n\nQUYẾT ĐỊNH:\nĐiều 1. Ban hành quy chế./."}
    collective = "QUYẾT ĐỊNH\nVề việc ban hành quy chế\nỦY BAN NHÂN DÂN TỈNH NGHỆ AN"
    chairman = "QUYẾT ĐỊNH\nVề việc ban hành quy chế\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NGHỆ AN"
    signer = "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
    [f] = found(doc_text(title=collective, signer=signer, **qd), "format.signer_authority")
    assert f.data["problem"] == "tm_missing" and f.data["suggestion"] == "TM. ỦY BAN NHÂN DÂN"
    assert found(doc_text(title=collective, signer="TM. ỦY BAN NHÂN DÂN\n" + signer, **qd)) == []
    assert found(doc_text(title=chairman, signer=signer, **qd)) == []
    [f] = found(doc_text(title=chairman, signer="TM. ỦY BAN NHÂN DÂN\n" + signer, **qd), "format.signer_authority")
    assert f.data["problem"] == "tm_extra"


def test_party_document_is_left_to_its_own_guidance():
    party = ("ĐẢNG BỘ TỈNH NGHỆ AN\nBAN THƯỜNG VỤ\n*\nĐẢNG CỘNG SẢN VIỆT NAM\nSố 12-KH/TU\n"
             "Nghệ An, ngày 5 tháng 2 năm 2026\n\nKẾ HOẠCH\nHọc tập nghị quyết\n\n1. Tổ chức học tập.\n\n"
             "Nơi nhận:\n- Các chi bộ.\n\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\n\nĐào Văn Lực\n")
    assert codes(party) == []


def test_format_findings_quote_their_rule():
    for f in found(doc_text(number="Số: 5/QĐ-SNV", date="Hà Tĩnh, ngày 5 tháng 3 năm 2026", motto=None)):
        assert "NĐ 30/2020/NĐ-CP" in f.data["rule"] or "Bộ luật Lao động" in f.data["rule"]
        assert "NĐ 30/2020" in load_all()[f.code].description or "Lao động" in load_all()[f.code].description


# ---- DOCX presentation ---------------------------------------------------------------------------------------------

def test_presentation_of_a_docx():
    doc = docparse.parse(DRAFTS / "kh_clean.docx")
    assert doc.presentation is None  # read on first use, from the file
    p = presentation_of(doc)
    assert doc.presentation is p
    assert (p.page_width_mm, p.page_height_mm) == (210.0, 297.0)
    assert (p.margin_top_mm, p.margin_bottom_mm, p.margin_left_mm, p.margin_right_mm) == (20.0, 20.0, 30.0, 15.0)
    assert p.page_number == "header" and not p.page_number_first_page
    texts = {doc.text[q.span.start:q.span.end]: q for q in p.paragraphs}
    motto = texts["Độc lập - Tự do - Hạnh phúc"]
    assert motto.bold is True and motto.sizes == [14.0] and motto.fonts == ["Times New Roman"] and motto.in_table
    assert texts["Nghệ An, ngày 05 tháng 02 năm 2026"].italic is True
    assert presentation_of(docparse.parse(ROOT / "samples" / "kh_cds_2026.txt")) is None
    assert presentation_of(docparse.parse((DRAFTS / "kh_clean.docx").read_bytes())) is None  # no file to read


def test_presentation_of_a_changed_file_is_not_read(tmp_path):
    path = tmp_path / "draft.docx"
    path.write_bytes((DRAFTS / "kh_clean.docx").read_bytes())
    doc = docparse.parse(path)
    path.write_bytes((DRAFTS / "cv_clean.docx").read_bytes())  # another text since it was parsed
    assert presentation_of(doc) is None
    path.write_bytes(b"not a zip")
    assert presentation_of(doc) is None


def test_docx_findings_point_at_the_component():
    doc = docparse.parse(DRAFTS / "kh_docx_style.docx")
    quoted = {f.data["component"]: f.spans[0].text for f in check_document(doc) if f.code == "format.docx_style"}
    assert quoted == {"Tiêu ngữ": "Độc lập - Tự do - Hạnh phúc",
                      "Địa danh và thời gian ban hành": "Nghệ An, ngày 05 tháng 02 năm 2026"}
