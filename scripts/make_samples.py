#!/usr/bin/env python3
"""Turn the plain-text samples in ``samples/`` into .docx and .pdf files.

Produces, next to the text files:

* ``bc_cchc_2025.docx`` and ``kh_cds_2026.docx`` (python-docx): one Word paragraph per
  text line; tab-separated blocks become real Word tables.  A task table whose header has
  ``Chủ trì`` and ``Phối hợp`` side by side gets a two-row header in which
  "Trách nhiệm thực hiện" spans those two columns (merged cells) and the other header
  cells are merged vertically.
* ``bc_cchc_2025.pdf`` and ``kh_cds_2026.pdf`` (fpdf2, DejaVu Sans): A4, the NĐ 30/2020
  two-column header grid, a running header line and "Trang N" on every page (page
  furniture that a parser must drop), the task table drawn with cell borders, and the
  "Nơi nhận" list and signature block side by side.

The output is deterministic: fixed document metadata and creation dates, fixed ZIP entry
timestamps in the .docx files, fixed PDF file identifiers.

Usage::

    .venv/bin/python scripts/make_samples.py [--samples DIR] [--font PATH]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLES = ROOT / "samples"
DEFAULT_FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

# Which samples to convert, and the running-header text of their PDF pages.
TARGETS = {
    "bc_cchc_2025": "Hệ thống Quản lý văn bản và điều hành tỉnh Hòa Bình Xanh — vbdh.hoabinhxanh.example",
    "kh_cds_2026": "Hệ thống Quản lý văn bản và điều hành tỉnh Hòa Bình Xanh — vbdh.hoabinhxanh.example",
}

FIXED_DATE = datetime(2026, 1, 1, 0, 0, 0, tzinfo=timezone.utc)
ZIP_DATE = (2026, 1, 1, 0, 0, 0)

DATE_LINE = re.compile(r",\s*ngày\s+.*\bnăm\s+\d{4}\s*$")
SIGN_START = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s")
ROMAN_HEADING = re.compile(r"^[IVXLC]+\.\s")
ARABIC_HEADING = re.compile(r"^\d+\.\s")
RULE = re.compile(r"^[-_]{3,}$")


# --------------------------------------------------------------------------- model


@dataclass
class Block:
    """One piece of the body, in reading order."""

    kind: str  # "para", "title", "heading", "table", "closing", "appendix_start"
    lines: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)  # for tables
    recipients: list[str] = field(default_factory=list)  # for closing
    signer: list[str] = field(default_factory=list)  # for closing


@dataclass
class Doc:
    left_top: list[str]
    right_top: list[str]
    left_bottom: list[str]
    right_bottom: list[str]
    blocks: list[Block]


def _is_upper(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def parse_sample(text: str) -> Doc:
    """Split a sample text into the header grid and body blocks (knows only our own layout)."""
    text = unicodedata.normalize("NFC", text)
    lines = text.split("\n")
    # ---- header: everything up to and including the "…, ngày … năm YYYY" line
    end = next((i for i, ln in enumerate(lines) if DATE_LINE.search(ln)), None)
    if end is None:
        raise ValueError("sample has no '<place>, ngày … năm YYYY' line")
    head = lines[: end + 1]
    left_top: list[str] = []
    right_top: list[str] = []
    left_bottom: list[str] = []
    right_bottom: list[str] = []
    in_right = False
    for ln in head:
        if not ln.strip():
            continue
        if ln.startswith("CỘNG HÒA") or ln.startswith("CỘNG HOÀ"):
            in_right = True
        if DATE_LINE.search(ln):
            right_bottom.append(ln)
        elif ln.startswith("Số") or ln.startswith("V/v"):
            left_bottom.append(ln)
            in_right = False
        elif in_right:
            right_top.append(ln)
        else:
            left_top.append(ln)

    # ---- body
    body = lines[end + 1 :]
    blocks: list[Block] = []
    i = 0
    seen_title = False
    after_closing = False
    while i < len(body):
        ln = body[i]
        if not ln.strip():
            i += 1
            continue
        if "\t" in ln:
            rows = []
            while i < len(body) and "\t" in body[i]:
                rows.append(body[i].split("\t"))
                i += 1
            blocks.append(Block("table", rows=rows))
            continue
        if not seen_title and _is_upper(ln) and len(ln) < 40:
            # type name, then the trích yếu line(s) up to the next blank line
            title = [ln]
            i += 1
            while i < len(body) and body[i].strip():
                title.append(body[i])
                i += 1
            blocks.append(Block("title", lines=title))
            seen_title = True
            continue
        if ln.startswith("Nơi nhận"):
            recips = [ln]
            i += 1
            while i < len(body) and body[i].startswith("-"):
                recips.append(body[i])
                i += 1
            signer: list[str] = []
            while i < len(body) and (SIGN_START.match(body[i]) or (signer and _is_upper(body[i]))):
                signer.append(body[i])
                i += 1
            if i < len(body) and body[i].strip():  # the signer's name
                signer.append(body[i])
                i += 1
            blocks.append(Block("closing", recipients=recips, signer=signer))
            after_closing = True
            continue
        if after_closing:
            # an appendix or attached regulation: its title lines up to the first blank line
            title = []
            while i < len(body) and body[i].strip() and "\t" not in body[i]:
                title.append(body[i])
                i += 1
                if title[-1].startswith("("):  # "(Kèm theo …)" closes the appendix title
                    break
            blocks.append(Block("appendix_start", lines=title))
            after_closing = False
            continue
        if (ROMAN_HEADING.match(ln) and _is_upper(ln)) or (
            ARABIC_HEADING.match(ln) and len(ln) < 70 and not ln.rstrip().endswith((";", "."))
        ):
            blocks.append(Block("heading", lines=[ln]))
        elif ln.startswith(("Chương ", "Điều ")) and len(ln) < 90 and not ln.rstrip().endswith("."):
            blocks.append(Block("heading", lines=[ln]))
        elif _is_upper(ln) and len(ln) < 90:
            blocks.append(Block("heading", lines=[ln]))
        else:
            blocks.append(Block("para", lines=[ln]))
        i += 1
    return Doc(left_top, right_top, left_bottom, right_bottom, blocks)


def task_table_layout(header: list[str]) -> int | None:
    """Index of "Chủ trì" when it is directly followed by "Phối hợp", else None."""
    for k in range(len(header) - 1):
        if header[k].strip() == "Chủ trì" and header[k + 1].strip() == "Phối hợp":
            return k
    return None


# --------------------------------------------------------------------------- DOCX


def make_docx(doc: Doc, out: Path, title: str) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Mm, Pt

    d = Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.left_margin, sec.right_margin = Mm(30), Mm(15)
    sec.top_margin, sec.bottom_margin = Mm(20), Mm(20)
    normal = d.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)

    cp = d.core_properties
    cp.author = "docparse samples"
    cp.last_modified_by = "docparse samples"
    cp.title = title
    cp.created = FIXED_DATE.replace(tzinfo=None)
    cp.modified = FIXED_DATE.replace(tzinfo=None)
    cp.revision = 1

    def para(text: str, *, bold=False, italic=False, align=None, size=None):
        p = d.add_paragraph()
        r = p.add_run(text)
        r.bold = bold
        r.italic = italic
        if size:
            r.font.size = Pt(size)
        if align is not None:
            p.alignment = align
        return p

    C, J, R = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.RIGHT
    # Header as plain paragraphs, in the reading order of the NĐ 30 grid.
    for k, ln in enumerate(doc.left_top):
        para(ln, bold=(k == len([x for x in doc.left_top if not RULE.match(x)]) - 1 and not RULE.match(ln)))
    for k, ln in enumerate(doc.right_top):
        para(ln, bold=not RULE.match(ln))
    for ln in doc.left_bottom:
        para(ln)
    for ln in doc.right_bottom:
        para(ln, italic=True, align=R)

    for b in doc.blocks:
        if b.kind == "title":
            para(b.lines[0], bold=True, align=C, size=14)
            for ln in b.lines[1:]:
                para(ln, bold=True, align=C)
        elif b.kind == "heading":
            para(b.lines[0], bold=True)
        elif b.kind == "para":
            para(b.lines[0], align=J)
        elif b.kind == "table":
            _docx_table(d, b.rows, WD_TABLE_ALIGNMENT, Pt)
        elif b.kind == "closing":
            for k, ln in enumerate(b.recipients):
                para(ln, bold=(k == 0), italic=(k == 0), size=11)
            for k, ln in enumerate(b.signer):
                para(ln, bold=(k != len(b.signer) - 2 or len(b.signer) == 1), align=C)
        elif b.kind == "appendix_start":
            p = d.add_paragraph()
            p.add_run().add_break(WD_BREAK.PAGE)
            for k, ln in enumerate(b.lines):
                para(ln, bold=(k < len(b.lines) - 1 or not ln.startswith("(")),
                     italic=ln.startswith("("), align=C)

    buf = io.BytesIO()
    d.save(buf)
    out.write_bytes(_normalise_zip(buf.getvalue()))


def _docx_table(d, rows: list[list[str]], WD_TABLE_ALIGNMENT, Pt) -> None:
    header, data = rows[0], rows[1:]
    ncol = len(header)
    data = [r + [""] * (ncol - len(r)) for r in data]
    k = task_table_layout(header)
    nhead = 2 if k is not None else 1
    t = d.add_table(rows=nhead + len(data), cols=ncol)
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER

    def put(cell, text, bold=False):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = bold
        run.font.size = Pt(11)

    if k is None:
        for j, h in enumerate(header):
            put(t.cell(0, j), h, bold=True)
    else:
        for j, h in enumerate(header):
            if j == k:
                top = t.cell(0, k).merge(t.cell(0, k + 1))
                put(top, "Trách nhiệm thực hiện", bold=True)
                put(t.cell(1, k), header[k], bold=True)
                put(t.cell(1, k + 1), header[k + 1], bold=True)
            elif j == k + 1:
                continue
            else:
                merged = t.cell(0, j).merge(t.cell(1, j))
                put(merged, h, bold=True)
    for r, row in enumerate(data):
        group = row[0].strip().isdigit()
        for j, val in enumerate(row[:ncol]):
            put(t.cell(nhead + r, j), val, bold=group)
    # mark the header rows as repeating on each page
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    for r in range(nhead):
        trPr = t.rows[r]._tr.get_or_add_trPr()
        el = OxmlElement("w:tblHeader")
        el.set(qn("w:val"), "true")
        trPr.append(el)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a ZIP (docx) with fixed timestamps so the bytes do not depend on the clock."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# --------------------------------------------------------------------------- PDF


def make_pdf(doc: Doc, out: Path, font: Path, running_header: str, title: str) -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    font_dir = font.parent
    bold_path = font_dir / "DejaVuSans-Bold.ttf"
    italic_path = font_dir / "DejaVuSans-Oblique.ttf"

    class SamplePDF(FPDF):
        def header(self):
            self.set_font("DejaVu", "", 8)
            self.set_text_color(110, 110, 110)
            self.set_xy(self.l_margin, 8)
            self.cell(0, 4, running_header, align="C")
            self.set_draw_color(160, 160, 160)
            self.line(self.l_margin, 13, self.w - self.r_margin, 13)
            self.set_draw_color(0, 0, 0)
            self.set_text_color(0, 0, 0)
            self.set_xy(self.l_margin, 18)

        def footer(self):
            self.set_y(-12)
            self.set_font("DejaVu", "", 8)
            self.set_text_color(110, 110, 110)
            self.cell(0, 5, f"Trang {self.page_no()}", align="C")
            self.set_text_color(0, 0, 0)

    pdf = SamplePDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(25, 18, 15)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_font("DejaVu", "", str(font))
    has_b = bold_path.is_file()
    has_i = italic_path.is_file()
    pdf.add_font("DejaVu", "B", str(bold_path if has_b else font))
    pdf.add_font("DejaVu", "I", str(italic_path if has_i else font))
    pdf.set_title(title)
    pdf.set_author("docparse samples")
    pdf.set_creator("docparse scripts/make_samples.py")
    pdf.set_producer("docparse samples")
    pdf.set_creation_date(FIXED_DATE)
    fixed_id = hashlib.md5(out.name.encode()).hexdigest().upper()
    pdf.file_id = lambda: f"<{fixed_id}><{fixed_id}>"  # type: ignore[method-assign]

    pdf.add_page()
    body_w = pdf.w - pdf.l_margin - pdf.r_margin
    LH = 6.0

    # ---- NĐ 30 header grid
    lx, lw = pdf.l_margin - 8, 72
    rx, rw = lx + lw + 4, body_w - lw + 4
    y0 = pdf.get_y()

    def column(lines, x, w, y, size=10.5, style_of=lambda k, ln: ""):
        pdf.set_xy(x, y)
        for k, ln in enumerate(lines):
            if RULE.match(ln):
                cy = pdf.get_y() + 1.2
                half = 12 if len(ln) < 10 else 22
                pdf.line(x + w / 2 - half, cy, x + w / 2 + half, cy)
                pdf.set_xy(x, cy + 1.5)
                continue
            pdf.set_font("DejaVu", style_of(k, ln), size)
            pdf.set_x(x)
            pdf.multi_cell(w, 5, ln, align="C", new_x="LMARGIN", new_y="NEXT")
        return pdf.get_y()

    real_left = [ln for ln in doc.left_top if not RULE.match(ln)]
    ya = column(doc.left_top, lx, lw, y0,
                style_of=lambda k, ln: "B" if ln == real_left[-1] else "")
    yb = column(doc.right_top, rx, rw, y0, style_of=lambda k, ln: "B")
    y1 = max(ya, yb) + 2
    ya = column(doc.left_bottom, lx, lw, y1)
    yb = column(doc.right_bottom, rx, rw, y1, style_of=lambda k, ln: "I")
    pdf.set_xy(pdf.l_margin, max(ya, yb) + 6)

    def text(ln, style="", align="J", size=11.5, gap=1.5):
        pdf.set_font("DejaVu", style, size)
        pdf.set_x(pdf.l_margin)
        pdf.multi_cell(body_w, LH, ln, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    for b in doc.blocks:
        if b.kind == "title":
            text(b.lines[0], "B", "C", 13, 0.5)
            for ln in b.lines[1:]:
                text(ln, "B", "C", 11.5, 0)
            y = pdf.get_y() + 2.5
            pdf.line(pdf.w / 2 - 20, y, pdf.w / 2 + 20, y)
            pdf.ln(5)
        elif b.kind == "heading":
            text(b.lines[0], "B", "L")
        elif b.kind == "para":
            text(b.lines[0])
        elif b.kind == "table":
            _pdf_table(pdf, b.rows, FontFace)
            pdf.ln(3)
        elif b.kind == "closing":
            _pdf_closing(pdf, b, body_w)
        elif b.kind == "appendix_start":
            pdf.add_page()
            for ln in b.lines:
                text(ln, "I" if ln.startswith("(") else "B", "C", 11.5, 0.5)
            pdf.ln(4)

    pdf.output(str(out))


def _pdf_table(pdf, rows: list[list[str]], FontFace) -> None:
    header, data = rows[0], rows[1:]
    ncol = len(header)
    data = [r + [""] * (ncol - len(r)) for r in data]
    k = task_table_layout(header)
    widths = {6: (10, 52, 28, 28, 30, 22)}.get(ncol, tuple([1] * ncol))
    pdf.set_font("DejaVu", "", 9)
    head_style = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
    with pdf.table(
        col_widths=widths,
        width=pdf.w - pdf.l_margin - pdf.r_margin,
        num_heading_rows=2 if k is not None else 1,
        headings_style=head_style,
        line_height=4.6,
        text_align="LEFT",
        v_align="MIDDLE",
        borders_layout="ALL",
        first_row_as_headings=True,
    ) as table:
        if k is None:
            r = table.row()
            for h in header:
                r.cell(h, align="CENTER")
        else:
            r = table.row()
            for j, h in enumerate(header):
                if j == k:
                    r.cell("Trách nhiệm thực hiện", colspan=2, align="CENTER")
                elif j == k + 1:
                    continue
                else:
                    r.cell(h, rowspan=2, align="CENTER")
            r = table.row()
            r.cell(header[k], align="CENTER")
            r.cell(header[k + 1], align="CENTER")
        for row in data:
            group = row[0].strip().isdigit()
            r = table.row()
            for j, val in enumerate(row):
                style = FontFace(emphasis="BOLD") if group else None
                r.cell(val, align="CENTER" if j in (0, ncol - 1) else "LEFT", style=style)


def _pdf_closing(pdf, b: Block, body_w: float) -> None:
    """Nơi nhận on the left, signature block on the right, starting at the same height."""
    lw, gap = body_w * 0.48, body_w * 0.04
    rw = body_w - lw - gap
    need = max(len(b.recipients) * 4.5, len(b.signer) * 6 + 22) + 6
    if pdf.will_page_break(need):
        pdf.add_page()
    pdf.ln(3)
    y0 = pdf.get_y()
    x0 = pdf.l_margin
    for k, ln in enumerate(b.recipients):
        pdf.set_font("DejaVu", "B" if k == 0 else "", 9.5 if k == 0 else 8.5)
        pdf.set_x(x0)
        pdf.multi_cell(lw, 4.5, ln, align="L", new_x="LMARGIN", new_y="NEXT")
    ya = pdf.get_y()
    pdf.set_xy(x0 + lw + gap, y0)
    for k, ln in enumerate(b.signer):
        last = k == len(b.signer) - 1
        if last:
            pdf.set_xy(x0 + lw + gap, pdf.get_y() + 18)  # room for the signature
        pdf.set_font("DejaVu", "B", 11)
        pdf.set_x(x0 + lw + gap)
        pdf.multi_cell(rw, 6, ln, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_xy(pdf.l_margin, max(ya, pdf.get_y()) + 4)


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=Path, default=DEFAULT_SAMPLES, help="folder with the .txt samples")
    ap.add_argument("--font", type=Path, default=DEFAULT_FONT, help="DejaVu Sans TTF used for the PDFs")
    args = ap.parse_args(argv)

    if not args.font.is_file():
        print(
            f"error: font not found: {args.font}\n"
            "The PDF samples need the DejaVu Sans TrueType font (it covers Vietnamese).\n"
            "Install it (Debian/Ubuntu: apt-get install fonts-dejavu-core) or pass --font PATH.",
            file=sys.stderr,
        )
        return 2
    try:
        import docx  # noqa: F401
        import fpdf  # noqa: F401
    except ImportError as e:  # pragma: no cover
        print(f"error: {e}. Install python-docx and fpdf2 (pip install python-docx fpdf2).", file=sys.stderr)
        return 2

    for stem, running in TARGETS.items():
        src = args.samples / f"{stem}.txt"
        if not src.is_file():
            print(f"error: missing sample {src}", file=sys.stderr)
            return 1
        doc = parse_sample(src.read_text(encoding="utf-8"))
        title = " ".join(next(b for b in doc.blocks if b.kind == "title").lines)
        make_docx(doc, args.samples / f"{stem}.docx", title)
        make_pdf(doc, args.samples / f"{stem}.pdf", args.font, running, title)
        print(f"wrote {stem}.docx, {stem}.pdf")
    return 0


if __name__ == "__main__":
    sys.exit(main())
