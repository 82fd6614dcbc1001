"""The two PDF engines (issue 17): pdfminer.six (default) and pypdfium2 (`docparse[fast-pdf]`) give the same lines,
geometry, tables and furniture, the same typed errors, and are chosen by parse(pdf_engine=), DOCPARSE_PDF_ENGINE or
the CLI's --pdf-engine. Tests of the pdfium engine skip without pypdfium2; the samples' PDFs and PDFs made here."""
from __future__ import annotations

import json
import sys

import pytest
from typer.testing import CliRunner

import docparse
from docparse import CorruptFileError, EncryptedPDFError, ScannedPDFError
from docparse.errors import ResourceLimitError
from docparse.readers import pdf as pdfminer_reader
from docparse.readers.pdf_engine import pdf_engine, using_pdf_engine

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
SAMPLE_PDFS = ["bc_cchc_2025.pdf", "kh_cds_2026.pdf"]


def _pdfium():
    pytest.importorskip("pypdfium2")
    from docparse.readers import pdf_pdfium

    return pdf_pdfium


def _same_source(a, b, tolerance: float = 0.5) -> None:
    """Same text, lines, furniture, tables and notices; line boxes within `tolerance` points."""
    assert a.text == b.text
    assert [t.model_dump() for t in a.tables] == [t.model_dump() for t in b.tables]
    assert [n.code for n in a.notices] == [n.code for n in b.notices]
    assert len(a.pages) == len(b.pages)
    for pa, pb in zip(a.pages, b.pages):
        assert (pa.number, pa.span, pa.furniture) == (pb.number, pb.span, pb.furniture)
        assert abs(pa.width - pb.width) < 0.01 and abs(pa.height - pb.height) < 0.01
        assert [(ln.text, ln.span) for ln in pa.lines] == [(ln.text, ln.span) for ln in pb.lines]
        for la, lb in zip(pa.lines, pb.lines):
            far = max(abs(la.x0 - lb.x0), abs(la.x1 - lb.x1), abs(la.y0 - lb.y0), abs(la.y1 - lb.y1))
            assert far <= tolerance, (la, lb)


def _letter_pdf(path, pages: int = 2):
    """A short fictional letter with a running header, a page footer and a ruled table, made with fpdf2."""
    fpdf = pytest.importorskip("fpdf")
    import os

    if not os.path.isfile(FONT):
        pytest.skip(f"font {FONT} not installed")

    class Letter(fpdf.FPDF):
        def header(self):
            self.set_font("S", size=8)
            self.cell(0, 5, "Cổng văn bản thử nghiệm — vbdh.example", align="C")
            self.ln(8)

        def footer(self):
            self.set_y(-12)
            self.set_font("S", size=8)
            self.cell(0, 5, f"Trang {self.page_no()}", align="C")

    pdf = Letter()
    pdf.add_font("S", "", FONT)
    for k in range(pages):
        pdf.add_page()
        pdf.set_font("S", size=12)
        pdf.cell(90, 6, "UBND TỈNH HOA MAI")
        pdf.cell(90, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", new_x="LMARGIN", new_y="NEXT")
        pdf.cell(90, 6, f"Số: {12 + k}/KH-UBND")
        pdf.cell(90, 6, "Hoa Mai, ngày 05 tháng 3 năm 2026", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        pdf.multi_cell(0, 6, "Căn cứ Nghị định số 63/2014/NĐ-CP ngày 26/6/2014 của Chính phủ; giao Sở Tài chính "
                             "hoàn thành trước ngày 30/6/2026 báo cáo kết quả thực hiện.")
        with pdf.table(col_widths=(15, 85, 60), first_row_as_headings=False) as table:
            for row in [("TT", "Nhiệm vụ", "Thời hạn"), ("1", "Rà soát hồ sơ", "30/6/2026"),
                        ("2", "Tổng hợp báo cáo", "31/12/2026")]:
                table.row(row)
    pdf.output(str(path))
    return path


# --- choosing the engine ----------------------------------------------------------------------------------------

def test_engine_default_environment_and_argument(monkeypatch):
    monkeypatch.delenv("DOCPARSE_PDF_ENGINE", raising=False)
    assert pdf_engine() == "pdfminer"
    monkeypatch.setenv("DOCPARSE_PDF_ENGINE", "pdfium")
    assert pdf_engine() == "pdfium"
    with using_pdf_engine("pdfminer"):
        assert pdf_engine() == "pdfminer"
    monkeypatch.setenv("DOCPARSE_PDF_ENGINE", "khac")
    assert pdf_engine() == "pdfminer"
    with pytest.raises(ValueError), using_pdf_engine("pdfbox"):
        pass


def test_parse_uses_the_engine_asked_for(samples_dir, monkeypatch):
    pdf_pdfium = _pdfium()
    calls = []
    real = pdf_pdfium.read_pdf_pdfium
    monkeypatch.setattr(pdf_pdfium, "read_pdf_pdfium", lambda data, path=None: calls.append(path) or real(data, path))
    docparse.parse(samples_dir / "bc_cchc_2025.pdf")
    assert calls == []
    docparse.parse(samples_dir / "bc_cchc_2025.pdf", pdf_engine="pdfium")
    docparse.parse((samples_dir / "bc_cchc_2025.pdf").read_bytes(), pdf_engine="pdfium")
    assert calls == [str(samples_dir / "bc_cchc_2025.pdf"), "<bytes>"]


def test_missing_pypdfium2_is_a_typed_error(samples_dir, monkeypatch):
    from docparse.readers.pdf_pdfium import PDFEngineUnavailableError

    monkeypatch.setitem(sys.modules, "pypdfium2", None)  # import pypdfium2 now raises ImportError
    path = samples_dir / "kh_cds_2026.pdf"
    with pytest.raises(PDFEngineUnavailableError) as info:
        docparse.parse(path, pdf_engine="pdfium")
    assert isinstance(info.value, docparse.DocparseError) and info.value.path == str(path)
    assert "pip install 'docparse[fast-pdf]'" in info.value.reason and "thư viện" in info.value.reason
    assert docparse.parse(path).format == "pdf"  # the default engine does not need it


def test_cli_pdf_engine_option(samples_dir, monkeypatch):
    from docparse.cli import app

    _pdfium()
    monkeypatch.delenv("DOCPARSE_PDF_ENGINE", raising=False)
    runner = CliRunner()
    path = str(samples_dir / "kh_cds_2026.pdf")
    default = runner.invoke(app, ["parse", path, "--format", "json"])
    fast = runner.invoke(app, ["parse", path, "--format", "json", "--pdf-engine", "pdfium"])
    assert default.exit_code == 0 and fast.exit_code == 0, fast.output
    a, b = json.loads(default.output), json.loads(fast.output)
    assert {k: v for k, v in a.items() if k != "pages"} == {k: v for k, v in b.items() if k != "pages"}
    bad = runner.invoke(app, ["parse", path, "--pdf-engine", "pdfbox"])
    assert bad.exit_code == 2 and "pdfminer hoặc pdfium" in bad.output


# --- the same SourceText ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", SAMPLE_PDFS)
def test_pdfium_reads_the_samples_as_pdfminer_does(samples_dir, name):
    pdf_pdfium = _pdfium()
    data = (samples_dir / name).read_bytes()
    _same_source(pdfminer_reader.read_pdf(data, name), pdf_pdfium.read_pdf_pdfium(data, name))


@pytest.mark.parametrize("name", SAMPLE_PDFS)
def test_pdfium_documents_equal_pdfminer_documents(samples_dir, name):
    _pdfium()
    a = docparse.parse(samples_dir / name)
    b = docparse.parse(samples_dir / name, pdf_engine="pdfium")
    assert a.model_dump(exclude={"pages"}) == b.model_dump(exclude={"pages"})


@pytest.mark.parametrize("rotation", [90, 180, 270])
@pytest.mark.parametrize("name", SAMPLE_PDFS)
def test_pdfium_reads_turned_pages_as_pdfminer_does(samples_dir, tmp_path, name, rotation):
    """/Rotate on pages whose content is upright: the same text, lines and tables as pdfminer (at 90 and 270 the same
    characters stacked one per line, as pdfminer reads them; upside down, PDFium gives the word spaces as generated
    ones: the gaps stand for them, right to left); the furniture is the same lines, in another order at 180."""
    pdf_pdfium = _pdfium()
    import pypdfium2

    doc = pypdfium2.PdfDocument(samples_dir / name)
    for page in doc:
        page.set_rotation(rotation)
    doc.save(tmp_path / name)
    doc.close()
    data = (tmp_path / name).read_bytes()
    a, b = pdfminer_reader.read_pdf(data, name), pdf_pdfium.read_pdf_pdfium(data, name)
    assert a.text == b.text and (rotation != 180 or " về " in b.text)
    assert [t.model_dump() for t in a.tables] == [t.model_dump() for t in b.tables]
    for pa, pb in zip(a.pages, b.pages, strict=True):
        assert (pa.width, pa.height) == (pb.width, pb.height)
        assert [(ln.text, ln.span) for ln in pa.lines] == [(ln.text, ln.span) for ln in pb.lines]
        assert sorted(pa.furniture) == sorted(pb.furniture)


def test_pdfium_made_pdf_with_table_and_furniture(tmp_path):
    pdf_pdfium = _pdfium()
    data = _letter_pdf(tmp_path / "thu.pdf").read_bytes()
    a, b = pdfminer_reader.read_pdf(data, "thu.pdf"), pdf_pdfium.read_pdf_pdfium(data, "thu.pdf")
    _same_source(a, b)
    assert [t.n_cols for t in b.tables] == [3, 3]
    assert {"Cổng văn bản thử nghiệm — vbdh.example", "Trang 2"} <= {f.strip() for f in b.pages[1].furniture}
    assert "63/2014/NĐ-CP" in b.text


def test_pdfium_words_placed_without_space_glyphs(tmp_path):
    """Words drawn one by one 0.05 em apart without a space character, as justified text has ("cứ" then "Nghị":
    PDFium's box of "ứ" is its glyph's, past its advance; the reader takes the advance, as pdfminer)."""
    pdf_pdfium = _pdfium()
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_font("S", "", FONT)
    pdf.set_font("S", size=12)
    pdf.add_page()
    x = 20.0
    words = "Căn cứ Nghị định số 63/2014/NĐ-CP ngày 26/6/2014 của Chính phủ".split()
    for word in words:
        pdf.text(x, 30, word)
        x += pdf.get_string_width(word) + 12 * 0.3528 * 0.05
    data = bytes(pdf.output())
    assert pdf_pdfium.read_pdf_pdfium(data).text.split() == words


def test_pdfium_leaves_out_text_inside_a_form_like_pdfminer():
    """Text drawn by a form XObject: pdfminer keeps it in a figure the reader skips; PDFium's text page has it, and
    the pdfium reader leaves it out too."""
    pdf_pdfium = _pdfium()
    fpdf = pytest.importorskip("fpdf")
    import io

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    inner, outer = fpdf.FPDF(), fpdf.FPDF()
    for pdf, line, y in ((inner, "Dong chu trong form", 40), (outer, "Quyet dinh so 12/QD-UBND", 20)):
        pdf.add_page()
        pdf.set_font("helvetica", size=12)
        pdf.text(20, y, line)
    src, dst = pdfium.PdfDocument(bytes(inner.output())), pdfium.PdfDocument(bytes(outer.output()))
    page = dst[0]
    raw.FPDFPage_InsertObject(page.raw, raw.FPDF_NewFormObjectFromXObject(raw.FPDF_NewXObjectFromPage(dst.raw,
                                                                                                      src.raw, 0)))
    raw.FPDFPage_GenerateContent(page.raw)
    buf = io.BytesIO()
    dst.save(buf)
    data = buf.getvalue()
    assert "trong form" in dst[0].get_textpage().get_text_range()
    expected = "Quyet dinh so 12/QD-UBND\n\n"
    assert pdfminer_reader.read_pdf(data).text == pdf_pdfium.read_pdf_pdfium(data).text == expected


def test_box_clustering_changes_nothing_on_the_samples(samples_dir, monkeypatch):
    """The default reader skips pdfminer's box clustering (BOXES_FLOW None): same output as with it."""
    for name in SAMPLE_PDFS:
        data = (samples_dir / name).read_bytes()
        fast = pdfminer_reader.read_pdf(data, name)
        monkeypatch.setattr(pdfminer_reader, "BOXES_FLOW", 0.5)
        clustered = pdfminer_reader.read_pdf(data, name)
        monkeypatch.setattr(pdfminer_reader, "BOXES_FLOW", None)
        _same_source(fast, clustered, tolerance=0.0)


# --- the same errors --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data,error", [(b"%PDF-1.4 garbage", CorruptFileError),
                                        ("Không phải PDF.\n".encode(), CorruptFileError)])
def test_pdfium_bad_files(tmp_path, data, error):
    _pdfium()
    path = tmp_path / "hong.pdf"
    path.write_bytes(data)
    with pytest.raises(error) as info:
        docparse.parse(path, pdf_engine="pdfium")
    assert info.value.path == str(path) and str(path) in str(info.value)


def test_pdfium_encrypted_and_scanned(tmp_path, monkeypatch):
    _pdfium()
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.output(str(tmp_path / "trang.pdf"))
    monkeypatch.setenv("DOCPARSE_OCR", "never")
    with pytest.raises(ScannedPDFError):
        docparse.parse(tmp_path / "trang.pdf", pdf_engine="pdfium")
    pdf = fpdf.FPDF()
    try:
        pdf.set_encryption(owner_password="chu-so-huu", user_password="x")
    except Exception as e:  # noqa: BLE001  # an fpdf2 without the crypto backend
        pytest.skip(f"fpdf2 encryption unavailable: {e}")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Bao cao mat")
    pdf.output(str(tmp_path / "khoa.pdf"))
    with pytest.raises(EncryptedPDFError) as info:
        docparse.parse(tmp_path / "khoa.pdf", pdf_engine="pdfium")
    assert info.value.path == str(tmp_path / "khoa.pdf")


def _title_then_crowded(path, fill):
    """A PDF made with fpdf: a page holding a title, then a page `fill(pdf)` crowds with small text."""
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 20, "Quyet dinh so 12/QD-UBND")
    pdf.add_page()
    pdf.set_font("helvetica", size=5)
    fill(pdf)
    pdf.output(str(path))
    return path


def test_pdfium_dense_page_is_left_out_like_pdfminer(tmp_path, monkeypatch):
    _pdfium()
    path = _title_then_crowded(tmp_path / "day.pdf", lambda pdf: pdf.text(5, 10, "muc " * 400))
    monkeypatch.setattr(pdfminer_reader, "MAX_PAGE_CHARS", 1000)
    doc = docparse.parse(path, pdf_engine="pdfium")
    assert "12/QD-UBND" in doc.text and "muc" not in doc.text
    assert [n.code for n in doc.notices if n.code.startswith("pdf.")] == ["pdf.page_too_dense"]
    monkeypatch.setattr(pdfminer_reader, "MAX_PAGE_CHARS", 10)
    with pytest.raises(ResourceLimitError):
        docparse.parse(path, pdf_engine="pdfium")


def test_pdfium_leaves_a_stream_of_many_text_operators_to_pdfminer(tmp_path, monkeypatch):
    _pdfium()

    def fill(pdf):
        for i in range(300):
            pdf.text(5 + i % 30 * 6, 10 + i // 30 * 20, f"muc{i}")

    path = _title_then_crowded(tmp_path / "nhieu.pdf", fill)
    monkeypatch.setattr(pdfminer_reader, "MAX_PAGE_CHARS", 200)  # 300 Tj > 200: pdfminer cuts the page
    doc = docparse.parse(path, pdf_engine="pdfium")
    assert {"pdf.engine_fallback", "pdf.page_too_dense"} <= {n.code for n in doc.notices}


@pytest.mark.parametrize("name", ["pdf_many_boxes", "pdf_stream_bomb"])
def test_pdfium_hostile_pdfs_within_budget(tmp_path, monkeypatch, name):
    """tests/hostile.py's PDFs, read by the pdfium engine in a child process (it inherits the environment)."""
    _pdfium()
    import hostile

    case = next(c for c in hostile.CASES if c.name == name)
    if case.needs:
        pytest.importorskip(case.needs)
    monkeypatch.setenv("DOCPARSE_PDF_ENGINE", "pdfium")
    res = hostile.run_case(case, tmp_path, 0.25)
    assert res["ok"], (res["why"], res)
    assert res["outcome"] in ("parsed", "typed_error")
