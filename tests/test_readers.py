"""Readers: encodings, typed errors on bad input, and what the DOCX and PDF readers keep (cell grid, page lines,
page furniture)."""
from __future__ import annotations

import re

import pytest

import docparse
from docparse import (CorruptFileError, DocparseError, EmptyDocumentError, EncryptedPDFError, FileReadError,
                      FileTooLargeError, ScannedPDFError, UnsupportedFormatError)
from docparse.errors import NotRegularFileError, NotTextError, ResourceLimitError

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


def test_pdf_ruled_tables_fill_document_tables(samples_dir, parsed):
    """The task table of the plan, one Table per page (its header repeats), cells pointing into the text."""
    doc = parsed(samples_dir / "kh_cds_2026.pdf")
    assert [t.page for t in doc.tables] == [1, 2] and all(t.n_cols == 6 for t in doc.tables)
    for table in doc.tables:
        assert [c.text for c in table.cells[:2]] == ["TT", "Nhiệm vụ"]
        for cell in table.cells:
            assert doc.text[cell.span.start:cell.span.end] == cell.text
        assert doc.text[table.span.start:table.span.end].count("\n") == table.n_rows


def test_pdf_words_placed_without_space_glyphs_stay_apart(tmp_path):
    """Words drawn one by one with small gaps (0.05 em, as justified text has) and no space character."""
    fpdf = pytest.importorskip("fpdf")
    font = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
    import os

    if not os.path.isfile(font):
        pytest.skip(f"font {font} not installed")
    pdf = fpdf.FPDF()
    pdf.add_font("S", "", font)
    pdf.set_font("S", size=12)
    pdf.add_page()
    x = 20.0
    for word in "Căn cứ Nghị định số 63/2014/NĐ-CP ngày 26/6/2014 của Chính phủ".split():
        pdf.text(x, 30, word)
        x += pdf.get_string_width(word) + 12 * 0.3528 * 0.05
    path = tmp_path / "words.pdf"
    pdf.output(str(path))
    doc = docparse.parse(path)
    assert doc.text.split() == "Căn cứ Nghị định số 63/2014/NĐ-CP ngày 26/6/2014 của Chính phủ".split()
    assert [c.code for c in doc.citations] == ["63/2014/NĐ-CP"]


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


# --- limits: only regular files, never more than the size limits (issue 12) -------------------------------------

def _refused_quickly(path, error):
    """The read must fail at once: a blocking open or an endless read would hit the alarm."""
    import signal

    signal.signal(signal.SIGALRM, lambda *a: (_ for _ in ()).throw(TimeoutError("blocked")))
    signal.alarm(5)
    try:
        with pytest.raises(error) as info:
            docparse.parse(path)
    finally:
        signal.alarm(0)
    assert_typed_error(info.value, path)


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_without_blocking(tmp_path):
    import os

    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    _refused_quickly(path, NotRegularFileError)


@pytest.mark.skipif(not __import__("os").path.exists("/dev/zero"), reason="no /dev/zero")
def test_link_to_an_endless_device_is_refused(tmp_path):
    path = tmp_path / "zero.txt"
    path.symlink_to("/dev/zero")
    _refused_quickly(path, NotRegularFileError)


def test_size_limits_on_every_entry_point(tmp_path, monkeypatch):
    from io import BytesIO

    from docparse.readers import read_stream

    path = tmp_path / "bc.txt"
    path.write_text(TEXT * 10, encoding="utf-8")
    with pytest.raises(FileTooLargeError) as info:
        docparse.parse(path, max_bytes=100)
    assert_typed_error(info.value, path)
    with pytest.raises(FileTooLargeError):
        docparse.parse_text(TEXT * 10, max_bytes=100)
    assert docparse.parse_text(TEXT * 10, max_bytes=10_000).citations
    with pytest.raises(FileTooLargeError):
        read_stream(BytesIO(TEXT.encode() * 10), cap=100)
    assert read_stream(BytesIO(TEXT.encode()), cap=10_000) == TEXT.encode()
    monkeypatch.setenv("DOCPARSE_MAX_TEXT_BYTES", "200")
    with pytest.raises(FileTooLargeError):
        docparse.parse_text(TEXT * 10)
    with pytest.raises(FileTooLargeError):
        docparse.parse(path)  # decoded text over the text limit, whatever the reader
    with pytest.raises(FileTooLargeError):
        read_stream(BytesIO(TEXT.encode() * 10))  # stdin: twice the text limit at most, before decoding
    monkeypatch.setenv("DOCPARSE_MAX_BYTES", "100")
    with pytest.raises(FileTooLargeError):
        docparse.parse(path)


# --- DOCX: bombs, DTDs, huge spans, and the text python-docx would give ----------------------------------------

_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx(document_xml: bytes) -> bytes:
    import io
    import zipfile

    import docx

    template = io.BytesIO()
    docx.Document().save(template)
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for m in src.infolist():
            z.writestr(m.filename, document_xml if m.filename == "word/document.xml" else src.read(m))
    return out.getvalue()


def _body(inner: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W}><w:body>{inner}</w:body></w:document>'.encode()


def test_docx_bomb_is_refused_from_its_directory(tmp_path, monkeypatch):
    path = tmp_path / "bom.docx"
    path.write_bytes(_docx(_body("<w:p><w:r><w:t>Nội dung</w:t></w:r></w:p>" * 20000)))
    assert path.stat().st_size < 60_000  # for 900 KB of XML
    monkeypatch.setenv("DOCPARSE_MAX_DOCX_XML", "200000")
    with pytest.raises(ResourceLimitError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)
    assert isinstance(info.value, FileTooLargeError)


def test_docx_member_that_lies_about_its_size(tmp_path):
    """The directory claims a tiny document.xml: the streamed read never takes more than was declared."""
    import struct

    data = bytearray(_docx(_body("<w:p><w:r><w:t>Nội dung</w:t></w:r></w:p>" * 5000)))
    name = b"word/document.xml"
    for sig, size_at in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = 0
        while (at := data.find(sig, at)) >= 0:
            name_at = at + (46 if sig == b"PK\x01\x02" else 30)
            if data[name_at:name_at + len(name)] == name:
                data[at + size_at:at + size_at + 4] = struct.pack("<I", 100)
            at += 4
    path = tmp_path / "gian_doi.docx"
    path.write_bytes(bytes(data))
    with pytest.raises(DocparseError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


def test_docx_with_too_many_elements(tmp_path, monkeypatch):
    path = tmp_path / "nhieu.docx"
    path.write_bytes(_docx(_body("<w:p/>" * 50000)))
    monkeypatch.setenv("DOCPARSE_MAX_XML_ELEMENTS", "20000")
    with pytest.raises(ResourceLimitError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


def test_docx_with_a_doctype_is_refused(tmp_path):
    path = tmp_path / "dtd.docx"
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
              + _body("<w:p><w:r><w:t>&lol2;</w:t></w:r></w:p>").split(b"?>", 1)[1])
    path.write_bytes(_docx(laughs))
    with pytest.raises(CorruptFileError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


def test_docx_huge_grid_span_is_bounded(tmp_path):
    import time

    row = ('<w:tr><w:tc><w:tcPr><w:gridSpan w:val="5000000"/></w:tcPr><w:p><w:r><w:t>Sở Y tế</w:t></w:r></w:p></w:tc>'
           '<w:tc><w:p><w:r><w:t>Quý II/2025</w:t></w:r></w:p></w:tc></w:tr>')
    path = tmp_path / "span.docx"
    path.write_bytes(_docx(_body("<w:p><w:r><w:t>Bảng</w:t></w:r></w:p><w:tbl>" + row * 300 + "</w:tbl>")))
    start = time.perf_counter()
    doc = docparse.parse(path)
    assert time.perf_counter() - start < 5
    table = doc.tables[0]
    assert table.n_rows == 300 and table.n_cols <= 65
    assert doc.text.count("Sở Y tế\tQuý II/2025\n") == 300


def test_docx_paragraph_text_is_python_docx_text(tmp_path):
    """The reader reads runs itself (python-docx's XPath per paragraph is too slow on a million of them): tabs,
    breaks, carriage returns, no-break hyphens and hyperlinks must come out exactly as python-docx gives them."""
    import io

    import docx

    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><w:document {_W} {rel}><w:body>'
           '<w:p><w:r><w:t xml:space="preserve">Điều 1. </w:t><w:tab/><w:t>Giao</w:t><w:br/><w:t>Sở</w:t></w:r>'
           '<w:r><w:br w:type="page"/><w:t>Y</w:t><w:noBreakHyphen/><w:t>tế</w:t><w:cr/><w:ptab/></w:r>'
           '<w:hyperlink r:id="rId99"><w:r><w:t>liên kết</w:t></w:r></w:hyperlink><w:r><w:t/></w:r></w:p>'
           '<w:p/><w:p><w:pPr/><w:r><w:rPr><w:b/></w:rPr><w:t>Đậm</w:t></w:r></w:p></w:body></w:document>')
    data = _docx(xml.encode())
    path = tmp_path / "runs.docx"
    path.write_bytes(data)
    expected = "".join(p.text + "\n" for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert docparse.parse(path).text == expected


# --- encodings: a few bad bytes are damage, not another encoding; binary is not text ---------------------------

def test_one_invalid_byte_keeps_utf8(tmp_path):
    data = TEXT.encode("utf-8")
    at = data.index("Quyết".encode())
    path = tmp_path / "hong.txt"
    path.write_bytes(data[:at] + b"\xff" + data[at:])
    doc = docparse.parse(path)
    codes = [n.code for n in doc.notices]
    assert "encoding.invalid_utf8" in codes and "encoding.legacy_tcvn3" not in codes and "encoding.not_utf8" not in codes
    notice = next(n for n in doc.notices if n.code == "encoding.invalid_utf8")
    assert f"byte {at}" in notice.message and "1 chỗ" in notice.message
    assert doc.text[notice.span.start] == "\ufffd"
    assert [c.code for c in doc.citations] == ["12/QĐ-UBND"]
    assert doc.text.startswith("ỦY BAN NHÂN DÂN")


def test_file_cut_inside_a_character(tmp_path):
    data = TEXT.encode("utf-8")
    cut = data.index("ố;".encode()) + 2  # inside the three bytes of "ố"
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut])
    doc = docparse.parse(path)
    assert [n.code for n in doc.notices if n.code.startswith("encoding.")] == ["encoding.invalid_utf8"]
    assert doc.text.startswith("ỦY BAN NHÂN DÂN") and doc.text.endswith("\ufffd")


@pytest.mark.parametrize("seed", range(5))
def test_random_binary_is_not_text(tmp_path, seed):
    import random

    rng = random.Random(seed)
    path = tmp_path / "rac.txt"
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4000)))
    with pytest.raises(NotTextError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)


def test_binary_with_nul_bytes_is_not_utf16(tmp_path):
    import random

    rng = random.Random(3)
    path = tmp_path / "rac.md"
    path.write_bytes(bytes(rng.randrange(256) if rng.random() < 0.5 else 0 for _ in range(4000)))
    with pytest.raises(NotTextError):
        docparse.parse(path)


# --- PDF: crowded pages ----------------------------------------------------------------------------------------

def _crowded_pdf(path, n: int, pages: int = 1):
    fpdf = pytest.importorskip("fpdf")
    import random

    rng = random.Random(1)
    pdf = fpdf.FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=5)
        for i in range(n):
            pdf.text(rng.uniform(5, 200), rng.uniform(5, 290), f"muc{i}")
    pdf.output(str(path))


@pytest.mark.parametrize("n", [40, 450])
def test_pdf_page_reads_the_same_lines_without_box_clustering(tmp_path, monkeypatch, n):
    """pdfminer's box clustering is quadratic (2 000 fragments: 42 s) and the reader skips it (BOXES_FLOW None): it
    orders the lines itself, so its lines are the same as with pdfminer's default clustering."""
    import docparse.readers.pdf as pdf_reader

    path = tmp_path / "crowded.pdf"
    _crowded_pdf(path, n)
    fallback = docparse.parse(path)
    monkeypatch.setattr(pdf_reader, "BOXES_FLOW", 0.5)
    clustered = docparse.parse(path)
    assert fallback.text == clustered.text
    assert [p.model_dump() for p in fallback.pages] == [p.model_dump() for p in clustered.pages]


def test_pdf_page_with_too_many_characters(tmp_path, monkeypatch):
    import docparse.readers.pdf as pdf_reader

    monkeypatch.setattr(pdf_reader, "MAX_PAGE_CHARS", 1000)
    path = tmp_path / "dense.pdf"
    _crowded_pdf(path, 300)
    with pytest.raises(ResourceLimitError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 20, "Quyet dinh so 12/QD-UBND")
    pdf.add_page()
    pdf.set_font("helvetica", size=5)
    for i in range(300):
        pdf.text(5 + i % 30 * 6, 10 + i // 30 * 20, f"muc{i}")
    mixed = tmp_path / "mixed.pdf"
    pdf.output(str(mixed))
    doc = docparse.parse(mixed)
    assert "12/QD-UBND" in doc.text and "muc1" not in doc.text
    assert [n.code for n in doc.notices if n.code.startswith("pdf.")] == ["pdf.page_too_dense"]


def test_pdf_stream_bomb_is_refused_before_pdfminer_inflates_it(tmp_path, monkeypatch):
    """A content stream of a few KB that inflates to megabytes of text operators: measured (streamed) first."""
    import zlib

    ops = b"BT /F1 12 Tf 72 712 Td (Ty le dat 50%) Tj ET\n" * 200_000  # 9 MB of operators
    stream = zlib.compress(ops, 9)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path = tmp_path / "bom.pdf"
    path.write_bytes(bytes(out))
    monkeypatch.setenv("DOCPARSE_MAX_PDF_INFLATED", "1000000")
    with pytest.raises(ResourceLimitError) as info:
        docparse.parse(path)
    assert_typed_error(info.value, path)
    monkeypatch.delenv("DOCPARSE_MAX_PDF_INFLATED")
    with pytest.raises(ResourceLimitError):  # under the inflate limit: the page is cut at MAX_PAGE_CHARS, at once
        docparse.parse(path)
