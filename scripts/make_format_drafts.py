#!/usr/bin/env python3
"""Write the thể thức drafts in ``samples/drafts/``: two fictional drafts that follow NĐ 30/2020/NĐ-CP (a Kế hoạch of
a Sở and a Công văn of an Ủy ban nhân dân), each as .txt and .docx, and one variant per format rule with that rule's
deviation planted. The tests (tests/test_format_checks.py) expect the clean drafts to give no finding at all and each
variant to give its rule's finding.

Text drafts: one line per line of the layout, the header grid row by row, Nơi nhận before the signature block.
DOCX drafts: the header and the closing block as two-column borderless tables (as offices lay them out), Times New
Roman, the sizes and weights of Phụ lục I, A4 with margins 20/20/30/15 mm, a PAGE field centred in the header and
hidden on page 1. Deterministic: fixed core properties and ZIP timestamps.

Usage::

    .venv/bin/python scripts/make_format_drafts.py [--out samples/drafts]
"""
from __future__ import annotations

import argparse
import copy
import io
import json
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from make_samples import _normalise_zip  # the same fixed-timestamp ZIP rewrite as the samples

ROOT = Path(__file__).resolve().parent.parent
FIXED_DATE = datetime(2026, 1, 1, 0, 0, 0)


@dataclass
class Draft:
    parent: str | None
    issuer: str
    number: str
    date_line: str
    doc_type: str | None  # None for a công văn
    title: list[str]
    vv: str | None
    kinh_gui: list[str]
    body: list[str]
    cc: list[str]
    signer: list[str]  # prefixes and titles, capitals
    name: str
    national: str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str | None = "Độc lập - Tự do - Hạnh phúc"
    date_after_title: bool = False
    # DOCX presentation
    font: str = "Times New Roman"
    body_font: str | None = None
    page_mm: tuple[float, float] = (210, 297)
    margins_mm: tuple[float, float, float, float] = (20, 20, 30, 15)  # top, bottom, left, right
    motto_bold: bool = True
    date_italic: bool = True
    page_number: str = "header"  # header, footer, none
    number_on_first_page: bool = False


_BODY_KH = [
    ("Căn cứ Quyết định số 120/QĐ-UBND ngày 12/01/2026 của Ủy ban nhân dân tỉnh Nghệ An về việc giao nhiệm vụ "
     "bồi dưỡng công chức năm 2026;"),
    ("Thực hiện Kế hoạch số 31/KH-UBND ngày 20/01/2026 của Ủy ban nhân dân tỉnh về bồi dưỡng kỹ năng số cho công "
     "chức, Sở Nội vụ ban hành Kế hoạch bồi dưỡng kỹ năng số năm 2026 như sau:"),
    "I. MỤC ĐÍCH, YÊU CẦU",
    "1. Nâng cao kỹ năng sử dụng các hệ thống thông tin dùng chung cho công chức của Sở.",
    "2. Bảo đảm mỗi công chức được bồi dưỡng ít nhất một lần trong năm.",
    "II. NỘI DUNG",
    "1. Tổ chức 04 lớp bồi dưỡng về quản lý văn bản điện tử và chữ ký số.",
    "2. Tổ chức 02 buổi hướng dẫn khai thác cơ sở dữ liệu cán bộ, công chức.",
    "III. TỔ CHỨC THỰC HIỆN",
    "1. Văn phòng Sở chủ trì, phối hợp với các phòng chuyên môn xây dựng chương trình bồi dưỡng.",
    "2. Các phòng chuyên môn cử công chức tham gia đầy đủ các lớp bồi dưỡng.",
    ("Trong quá trình thực hiện, nếu có vướng mắc, các đơn vị phản ánh về Văn phòng Sở để tổng hợp, báo cáo Giám "
     "đốc Sở xem xét, quyết định./."),
]

_BODY_CV = [
    ("Thực hiện Kế hoạch số 31/KH-UBND ngày 20/01/2026 của Ủy ban nhân dân tỉnh về bồi dưỡng kỹ năng số cho công "
     "chức, Ủy ban nhân dân tỉnh đề nghị các sở, ban, ngành thực hiện các nội dung sau:"),
    "1. Rà soát danh sách công chức chưa được bồi dưỡng kỹ năng số trong năm 2025.",
    "2. Gửi danh sách về Sở Nội vụ trước ngày 31/3/2026 để tổng hợp.",
    "Đề nghị các cơ quan, đơn vị quan tâm, phối hợp thực hiện./.",
]


def base_kh() -> Draft:
    return Draft(
        parent="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", issuer="SỞ NỘI VỤ", number="Số: 45/KH-SNV",
        date_line="Nghệ An, ngày 05 tháng 02 năm 2026", doc_type="KẾ HOẠCH",
        title=["Bồi dưỡng kỹ năng số cho công chức Sở Nội vụ năm 2026"], vv=None, kinh_gui=[],
        body=list(_BODY_KH),
        cc=["Nơi nhận:", "- UBND tỉnh (để báo cáo);", "- Giám đốc, các Phó Giám đốc Sở;", "- Các phòng chuyên môn;",
            "- Lưu: VT, VP."],
        signer=["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"], name="Trần Minh Khoa")


def base_cv() -> Draft:
    return Draft(
        parent=None, issuer="ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", number="Số: 215/UBND-KGVX",
        date_line="Nghệ An, ngày 12 tháng 3 năm 2026", doc_type=None, title=[],
        vv="V/v rà soát công chức chưa được bồi dưỡng kỹ năng số", kinh_gui=[
            "Kính gửi:", "- Các sở, ban, ngành cấp tỉnh;", "- Ủy ban nhân dân các xã, phường."],
        body=list(_BODY_CV),
        cc=["Nơi nhận:", "- Như trên;", "- Chủ tịch, các Phó Chủ tịch UBND tỉnh;", "- Lưu: VT, KGVX."],
        signer=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], name="Lê Thị Hạnh")


def _swap(lines: list[str], old: str, new: str) -> list[str]:
    out = [ln.replace(old, new) for ln in lines]
    assert out != lines, old
    return out


# One variant per rule: (file stem, base, change, the finding code it must give).
VARIANTS = {
    "kh_symbol_type": (base_kh, lambda d: replace(d, number="Số: 45/QĐ-SNV"), "format.symbol_type"),
    "kh_cited_symbol_type": (base_kh, lambda d: replace(d, body=_swap(d.body, "Kế hoạch số 31/KH-UBND",
                                                                       "Kế hoạch số 31/QĐ-UBND")),
                             "format.cited_symbol_type"),
    "kh_number_zero": (base_kh, lambda d: replace(d, number="Số: 5/KH-SNV"), "format.number_zero"),
    "kh_date_zero": (base_kh, lambda d: replace(d, date_line="Nghệ An, ngày 5 tháng 2 năm 2026"), "format.date_zero"),
    "kh_place_province": (base_kh, lambda d: replace(d, date_line="Hà Tĩnh, ngày 05 tháng 02 năm 2026"),
                          "format.place_province"),
    "kh_date_holiday": (base_kh, lambda d: replace(d, date_line="Nghệ An, ngày 07 tháng 02 năm 2026"),
                        "format.date_holiday"),
    "kh_missing_motto": (base_kh, lambda d: replace(d, motto=None), "format.missing_component"),
    "kh_missing_luu": (base_kh, lambda d: replace(d, cc=d.cc[:-1]), "format.missing_component"),
    "kh_body_end": (base_kh, lambda d: replace(d, body=_swap(d.body, "quyết định./.", "quyết định.")),
                    "format.body_end"),
    "kh_punctuation": (base_kh, lambda d: replace(d, cc=[*d.cc[:-1], "- Lưu VT, VP."]), "format.punctuation"),
    "kh_component_order": (base_kh, lambda d: replace(d, date_after_title=True), "format.component_order"),
    "kh_signer_authority": (base_kh, lambda d: replace(d, signer=["PHÓ GIÁM ĐỐC"]), "format.signer_authority"),
    "cv_signer_tm_body": (base_cv, lambda d: replace(d, signer=["TM. SỞ NỘI VỤ", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
                          "format.signer_authority"),
    "cv_symbol_type": (base_cv, lambda d: replace(d, number="Số: 215/KH-UBND"), "format.symbol_type"),
    "cv_missing_vv": (base_cv, lambda d: replace(d, vv=None), "format.missing_component"),
    # DOCX only
    "kh_docx_page": (base_kh, lambda d: replace(d, page_mm=(215.9, 279.4), margins_mm=(20, 20, 20, 15)),
                     "format.docx_page"),
    "kh_docx_font": (base_kh, lambda d: replace(d, body_font="Arial"), "format.docx_font"),
    "kh_docx_style": (base_kh, lambda d: replace(d, motto_bold=False, date_italic=False), "format.docx_style"),
    "kh_docx_page_number": (base_kh, lambda d: replace(d, page_number="footer", number_on_first_page=True),
                            "format.docx_page_number"),
}
DOCX_ONLY = {k for k in VARIANTS if "_docx_" in k}


# ----------------------------------------------------------------------------------------------------------- text
def text_lines(d: Draft) -> list[str]:
    out = [x for x in (d.parent, d.issuer) if x] + ["-------", d.national]
    out += ([d.motto] if d.motto else []) + ["---------------", d.number]
    if d.vv:
        out.append(d.vv)
    if not d.date_after_title:
        out.append(d.date_line)
    out.append("")
    if d.doc_type:
        out += [d.doc_type, *d.title, "-----------"]
    if d.date_after_title:
        out.append(d.date_line)
    out += ([""] + d.kinh_gui if d.kinh_gui else []) + [""] + d.body + [""] + d.cc + [""] + d.signer + ["", d.name]
    return out


def write_text(d: Draft, path: Path) -> None:
    path.write_text("\n".join(text_lines(d)) + "\n", encoding="utf-8")


# ----------------------------------------------------------------------------------------------------------- DOCX
def write_docx(d: Draft, path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(d.page_mm[0]), Mm(d.page_mm[1])
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = (Mm(x) for x in d.margins_mm)
    normal = doc.styles["Normal"]
    normal.font.name = d.font
    normal.element.rPr.rFonts.set(qn("w:hAnsi"), d.font)
    normal.font.size = Pt(14)
    cp = doc.core_properties
    cp.author = cp.last_modified_by = "docparse format drafts"
    cp.created = cp.modified = FIXED_DATE
    cp.revision = 1
    C, J, L = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT

    def run(p, text, *, size, bold=False, italic=False, font=None):
        r = p.add_run(text)
        r.font.size, r.bold, r.italic = Pt(size), bold, italic
        if font:
            r.font.name = font
        return r

    def para(container, text, *, size, bold=False, italic=False, align=None, font=None, first=False):
        p = container.paragraphs[0] if first else container.add_paragraph()
        run(p, text, size=size, bold=bold, italic=italic, font=font)
        if align is not None:
            p.alignment = align
        return p

    def grid(rows: int):
        t = doc.add_table(rows=rows, cols=2)
        return t

    head = grid(2)
    left, right = head.cell(0, 0), head.cell(0, 1)
    first = True
    if d.parent:
        para(left, d.parent, size=13, align=C, first=True)
        first = False
    para(left, d.issuer, size=13, bold=True, align=C, first=first)
    para(left, "-------", size=13, align=C)
    para(right, d.national, size=13, bold=True, align=C, first=True)
    if d.motto:
        para(right, d.motto, size=14, bold=d.motto_bold, align=C)
    para(right, "---------------", size=13, align=C)
    para(head.cell(1, 0), d.number, size=13, align=C, first=True)
    if d.vv:
        para(head.cell(1, 0), d.vv, size=12, align=C)
    if not d.date_after_title:
        para(head.cell(1, 1), d.date_line, size=14, italic=d.date_italic, align=C, first=True)
    if d.doc_type:
        para(doc, d.doc_type, size=14, bold=True, align=C)
        for ln in d.title:
            para(doc, ln, size=14, bold=True, align=C)
        para(doc, "-----------", size=14, align=C)
    if d.date_after_title:
        para(doc, d.date_line, size=14, italic=d.date_italic, align=C)
    for ln in d.kinh_gui:
        para(doc, ln, size=14, align=L)
    for ln in d.body:
        para(doc, ln, size=14, align=J, font=d.body_font)
    close = grid(1)
    para(close.cell(0, 0), d.cc[0], size=12, bold=True, italic=True, first=True)
    for ln in d.cc[1:]:
        para(close.cell(0, 0), ln, size=11)
    sig = close.cell(0, 1)
    for k, ln in enumerate(d.signer):
        para(sig, ln, size=14, bold=True, align=C, first=k == 0)
    para(sig, d.name, size=14, bold=True, align=C)
    _page_number(doc, sec, d, qn, OxmlElement, Pt, C)
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_normalise_zip(buf.getvalue()))


def _page_number(doc, sec, d: Draft, qn, OxmlElement, Pt, C) -> None:
    """A PAGE field centred in the header (or footer); "Different First Page" hides it on page 1."""
    if d.page_number == "none":
        return
    sec.different_first_page_header_footer = not d.number_on_first_page
    part = sec.header if d.page_number == "header" else sec.footer
    p = part.paragraphs[0]
    p.alignment = C
    r = p.add_run()
    r.font.size = Pt(14)
    for tag, text in (("w:fldChar", "begin"), ("w:instrText", "PAGE"), ("w:fldChar", "separate"),
                      ("w:t", "2"), ("w:fldChar", "end")):
        el = OxmlElement(tag)
        if tag == "w:fldChar":
            el.set(qn("w:fldCharType"), text)
        else:
            el.text = text
            if tag == "w:instrText":
                el.set(qn("xml:space"), "preserve")
        r._r.append(el)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "samples" / "drafts")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for stem, make in (("kh_clean", base_kh), ("cv_clean", base_cv)):
        write_text(make(), args.out / f"{stem}.txt")
        write_docx(make(), args.out / f"{stem}.docx")
    expected = {"kh_clean.txt": None, "kh_clean.docx": None, "cv_clean.txt": None, "cv_clean.docx": None}
    for stem, (make, change, code) in VARIANTS.items():
        d = change(copy.deepcopy(make()))
        if stem not in DOCX_ONLY:
            write_text(d, args.out / f"{stem}.txt")
            expected[f"{stem}.txt"] = code
        write_docx(d, args.out / f"{stem}.docx")
        expected[f"{stem}.docx"] = code
    (args.out / "expected.json").write_text(json.dumps(
        {"about": "file → the one format.* code its planted deviation must give (null: a clean draft, no finding)",
         "expected": expected}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(list(args.out.iterdir()))} files in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
