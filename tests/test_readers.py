"""Readers: encodings, typed errors on bad input, and what the DOCX and PDF readers keep (cell grid, page lines,
page furniture)."""
from __future__ import annotations

import re

import pytest

import docparse
from docparse import (CorruptFileError, DocparseError, EmptyDocumentError, EncryptedPDFError, FileReadError,
                      ScannedPDFError, UnsupportedFormatError)

TEXT = ("ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH XANH\n"
        "Thực hiện Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh về việc đẩy mạnh chuyển đổi số;\n"
        "Sở báo cáo kết quả trước ngày 30/6/2025.\n")

# a letter that only Vietnamese uses: the reasons are sentences for Vietnamese readers
_VIET = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)


def assert_typed_error(exc: DocparseError, path) -> None:
    assert isinstance(exc, DocparseError)
    assert exc.path == str(path)
    assert isinstance(exc.reason, str) and exc.reason.strip()
    assert _VIET.search(exc.reason), f"reason is not a Vietnamese sentence: {exc.reason!r}"
    assert str(path) in str(exc), "the message must name the file"
    assert exc.code and exc.code != "error"


# --- encodings --------------------------------------------------------------------------------------------------

ENCODINGS = {
    "utf8": TEXT.encode("utf-8"),
    "utf8_bom": b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
    "utf16le_bom": b"\xff\xfe" + TEXT.encode("utf-16-le"),
    "utf16be_bom": b"\xfe\xff" + TEXT.encode("utf-16-be"),
}


@pytest.mark.parametrize("name", sorted(ENCODINGS))
def test_text_encodings_read_identically(tmp_path, name):
    path = tmp_path / f"{name}.txt"
    path.write_bytes(ENCODINGS[name])
    doc = docparse.parse(path)
    reference = docparse.parse_text(TEXT)
    assert doc.text == TEXT
    assert doc.format == "txt"
    assert doc.source == str(path)
    assert doc.sha256 == reference.sha256
    assert [c.model_dump() for c in doc.citations] == [c.model_dump() for c in reference.citations]
    assert [d.model_dump() for d in doc.dates] == [d.model_dump() for d in reference.dates]
    assert [c.code for c in doc.citations] == ["12/QĐ-UBND"]
    assert not [n for n in doc.notices if n.code.startswith("encoding.")]


def test_md_is_read_as_text(tmp_path):
    path = tmp_path / "note.md"
    path.write_text(TEXT, encoding="utf-8")
    doc = docparse.parse(path)
    assert doc.format == "md"
    assert doc.text == TEXT


# --- typed errors -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("content", [b"", b"   \n\n\t  \n"], ids=["empty", "whitespace"])
def test_empty_file(tmp_path, content):
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyDocumentError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


def test_unknown_extension(tmp_path):
    path = tmp_path / "report.xyz"
    path.write_text(TEXT, encoding="utf-8")
    with pytest.raises(UnsupportedFormatError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


def test_missing_file(tmp_path):
    path = tmp_path / "does_not_exist.txt"
    with pytest.raises(FileReadError) as info:
        docparse.parse(path)
    assert issubclass(FileReadError, DocparseError)
    assert_typed_error(info.value, path)
    assert "does_not_exist.txt" in str(info.value)


def test_directory_with_supported_suffix(tmp_path):
    path = tmp_path / "folder.txt"
    path.mkdir()
    with pytest.raises(FileReadError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


@pytest.mark.parametrize("name, content", [
    ("broken.pdf", b"%PDF-1.4 garbage"),  # a truncated PDF
    ("fake.pdf", "Đây không phải là tệp PDF.\n".encode("utf-8")),  # text named .pdf
    ("fake.docx", b"this is plain text, not a zip archive"),  # a DOCX that is not a zip
])
def test_damaged_binary_files(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CorruptFileError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


def test_zip_that_is_not_a_docx(tmp_path):
    import zipfile

    path = tmp_path / "archive.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "xin chào")
    with pytest.raises(CorruptFileError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


def test_pdf_without_text_layer(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    path = tmp_path / "scan.pdf"
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.output(str(path))
    with pytest.raises(ScannedPDFError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


def test_encrypted_pdf(tmp_path):
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    if not hasattr(pdf, "set_encryption"):
        pytest.skip("this fpdf2 cannot write encrypted PDFs")
    path = tmp_path / "locked.pdf"
    try:
        pdf.set_encryption(owner_password="chu-so-huu", user_password="x")
    except Exception as e:  # an fpdf2 built without the crypto backend
        pytest.skip(f"fpdf2 encryption unavailable: {e}")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Secret report")
    pdf.output(str(path))
    with pytest.raises(EncryptedPDFError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


def test_parse_text_rejects_bytes():
    with pytest.raises(TypeError):
        docparse.parse_text(TEXT.encode("utf-8"))


def test_generated_pdf_with_text_is_read(tmp_path):
    """A text PDF made here (not a sample) is read: text, one page, lines with geometry."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Report 12/QD-UBND")
    pdf.ln(10)
    pdf.cell(text="Deadline 30/6/2025")
    path = tmp_path / "plain.pdf"
    pdf.output(str(path))
    doc = docparse.parse(path)
    assert doc.format == "pdf"
    assert "Report 12/QD-UBND" in doc.text and "30/6/2025" in doc.text
    assert len(doc.pages) == 1
    assert [ln.text for ln in doc.pages[0].lines] == ["Report 12/QD-UBND", "Deadline 30/6/2025"]


# --- DOCX sample: the task table keeps its grid ------------------------------------------------------------------

def _task_table(doc):
    assert doc.tables, "kh_cds_2026.docx has a real Word table"
    return max(doc.tables, key=lambda t: t.n_rows)


def test_docx_table_shape(samples_dir, parsed):
    doc = parsed(samples_dir / "kh_cds_2026.docx")
    table = _task_table(doc)
    assert (table.n_rows, table.n_cols) == (14, 6)
    responsible = [c for c in table.cells if c.text == "Trách nhiệm thực hiện"]
    assert len(responsible) == 1, "a gridSpan cell is one cell, not one per grid column"
    assert responsible[0].col_span == 2
    assert (responsible[0].row, responsible[0].col) == (0, 2)
    texts = {c.text for c in table.cells}
    assert {"Chủ trì", "Phối hợp", "Sản phẩm", "Thời gian hoàn thành"} <= texts
    # the table's rows are tab-separated lines of the text
    assert doc.text[table.span.start:table.span.end].startswith("TT\tNhiệm vụ\tTrách nhiệm thực hiện\t")


def test_docx_table_cells_tile_the_grid(samples_dir, parsed):
    """Each grid position is covered by exactly one cell (row_span/col_span included), and merges are as built:
    TT merged over the two header rows, "Trách nhiệm thực hiện" one row high and two columns wide."""
    table = _task_table(parsed(samples_dir / "kh_cds_2026.docx"))
    covered: dict[tuple[int, int], str] = {}
    for c in table.cells:
        for r in range(c.row, c.row + c.row_span):
            for k in range(c.col, c.col + c.col_span):
                assert (r, k) not in covered, f"({r},{k}) covered by {covered[(r, k)]!r} and {c.text!r}"
                covered[(r, k)] = c.text
    missing = sorted({(r, k) for r in range(table.n_rows) for k in range(table.n_cols)} - set(covered))
    assert not missing, f"grid positions with no cell: {missing}"
    by_text = {c.text: c for c in table.cells}
    assert (by_text["TT"].row_span, by_text["TT"].col_span) == (2, 1)
    assert (by_text["Trách nhiệm thực hiện"].row_span, by_text["Trách nhiệm thực hiện"].col_span) == (1, 2)
    assert (by_text["Chủ trì"].row_span, by_text["Chủ trì"].col_span) == (1, 1)


def test_docx_task_rows_match_txt(samples_dir, parsed):
    """The body rows of the Word table read as the same tab-separated lines as the .txt sample's task rows."""
    txt = parsed(samples_dir / "kh_cds_2026.txt").text
    docx_lines = set(parsed(samples_dir / "kh_cds_2026.docx").text.splitlines())
    rows = [ln for ln in txt.splitlines() if ln.count("\t") == 5 and not ln.startswith("TT\t")]
    assert len(rows) == 12, "the .txt task table has 2 group rows and 10 task rows"
    missing = [r for r in rows if r not in docx_lines]
    assert not missing, f"{len(missing)} task row(s) not read from the docx, e.g. {missing[0]!r}"


# --- PDF samples: pages, lines, furniture -----------------------------------------------------------------------

RUNNING_HEADER = "Hệ thống Quản lý văn bản và điều hành tỉnh Hòa Bình Xanh — vbdh.hoabinhxanh.example"


@pytest.mark.parametrize("name,n_pages", [("bc_cchc_2025.pdf", 4), ("kh_cds_2026.pdf", 3)])
def test_pdf_pages_lines_and_furniture(samples_dir, parsed, name, n_pages):
    doc = parsed(samples_dir / name)
    assert doc.format == "pdf"
    assert [p.number for p in doc.pages] == list(range(1, n_pages + 1))
    for page in doc.pages:
        assert page.width and page.height and page.width < page.height, "A4 portrait"
        assert page.lines, f"page {page.number} has no lines"
        for ln in page.lines:
            assert ln.text.strip()
            assert 0 <= ln.x0 < ln.x1 <= page.width + 1
            assert 0 <= ln.y0 < ln.y1 <= page.height + 1
        # running header and "Trang N" footer are page furniture, kept aside
        assert f"Trang {page.number}" in [f.strip() for f in page.furniture]
        assert any("vbdh.hoabinhxanh.example" in f for f in page.furniture)
        for f in page.furniture:
            assert f.strip() not in [ln.text for ln in page.lines]
    assert "vbdh.hoabinhxanh.example" not in doc.text
    assert "Hệ thống Quản lý văn bản" not in doc.text
    assert not re.search(r"(?m)^\s*Trang\s+\d+\s*$", doc.text)
    # pages follow each other in the text
    for a, b in zip(doc.pages, doc.pages[1:]):
        assert a.span.end <= b.span.start


def test_pdf_sentence_across_page_break(samples_dir, parsed):
    """'chiếm tỷ lệ' ends page 1 and '99,2%; trễ hạn …' starts page 2: the furniture between them is gone."""
    doc = parsed(samples_dir / "bc_cchc_2025.pdf")
    flat = " ".join(doc.text.split())
    assert "chiếm tỷ lệ 99,2%" in flat


@pytest.mark.parametrize("stem", ["bc_cchc_2025", "kh_cds_2026"])
@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_binary_samples_cite_like_txt(samples_dir, parsed, stem, ext):
    """The .docx and .pdf renderings cite the same documents, with the same dates, as the .txt."""
    def key(doc):
        return sorted((c.doc_type or "", c.code or c.name or "", str(c.date), c.is_self) for c in doc.citations)

    assert key(parsed(samples_dir / f"{stem}.{ext}")) == key(parsed(samples_dir / f"{stem}.txt"))


@pytest.mark.parametrize("ext", ["docx", "pdf"])
def test_bc_binary_samples_date_like_txt(samples_dir, parsed, ext):
    def key(doc):
        return sorted((d.kind, str(d.start), str(d.end), d.valid) for d in doc.dates)

    assert key(parsed(samples_dir / f"bc_cchc_2025.{ext}")) == key(parsed(samples_dir / "bc_cchc_2025.txt"))


def test_kh_docx_dates_like_txt(samples_dir, parsed):
    def key(doc):
        return sorted((d.kind, str(d.start), str(d.end), d.valid) for d in doc.dates)

    assert key(parsed(samples_dir / "kh_cds_2026.docx")) == key(parsed(samples_dir / "kh_cds_2026.txt"))
