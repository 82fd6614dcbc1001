"""OCR of scanned PDF pages (readers/ocr.py, readers/ocr_repair.py). The one test that runs tesseract uses a
two-page PDF made here: a text page and a scanned page of fictional text; it skips when tesseract, its Vietnamese
data or pypdfium2 is absent."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

import docparse
from docparse.errors import ScannedPDFError
from docparse.readers import ocr
from docparse.readers.ocr_repair import repair

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")


def _tesseract_reason() -> str | None:
    exe = shutil.which("tesseract")
    if exe is None:
        return "tesseract not installed (apt-get install tesseract-ocr tesseract-ocr-vie)"
    langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, check=False).stdout.split()
    if "vie" not in langs:
        return "tesseract lacks Vietnamese data (apt-get install tesseract-ocr-vie)"
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return "pypdfium2 not installed (pip install 'docparse[ocr]')"
    if not FONT.is_file():
        return f"font {FONT} not installed (fonts-dejavu-core)"
    return None


SCAN_LINES = ["ỦY BAN NHÂN DÂN TỈNH SÔNG MÂY", "Số: 45/QĐ-UBND", "Căn cứ Quyết định số 12/QĐ-UBND ngày",
              "05/01/2025 của Ủy ban nhân dân tỉnh về việc lập kế hoạch;", "Tỷ lệ hồ sơ đúng hạn đạt 98%."]


def _mixed_pdf() -> bytes:
    """Page 1 with a text layer, page 2 an image only (the fictional lines drawn at 300 dpi)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("L", (2480, 3508), 255)  # A4 at 300 dpi
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), 50)
    for k, line in enumerate(SCAN_LINES):
        draw.text((250, 300 + 90 * k), line, font=font, fill=0)
    png = io.BytesIO()
    img.save(png, format="PNG")
    pdf = FPDF(format="A4")
    pdf.add_font("Serif", "", str(FONT))
    pdf.set_font("Serif", size=13)
    pdf.add_page()
    pdf.multi_cell(0, 7, "Trang đầu có lớp chữ: Kế hoạch số 9/KH-UBND ngày 02/3/2025 của Ủy ban nhân dân tỉnh.")
    pdf.add_page()
    pdf.image(png, x=0, y=0, w=210, h=297)
    return bytes(pdf.output())


@pytest.fixture(scope="module")
def mixed_pdf() -> bytes:
    reason = _tesseract_reason()
    if reason:
        pytest.skip(reason)
    return _mixed_pdf()


def test_scanned_page_of_a_mixed_pdf_is_recognised_page_by_page(mixed_pdf):
    doc = docparse.parse(mixed_pdf, format="pdf")
    codes = {c.code for c in doc.citations}
    assert {"9/KH-UBND", "12/QĐ-UBND"} <= codes  # page 1 from its text layer, page 2 by OCR
    cited = next(c for c in doc.citations if c.code == "12/QĐ-UBND")
    assert str(cited.date) == "2025-01-05"
    assert doc.text[cited.span.start:cited.span.end].startswith("Quyết định số 12/QĐ-UBND")
    assert [p.number for p in doc.pages] == [1, 2]
    page2 = doc.pages[1]
    assert any("Số: 45/QĐ-UBND" in line.text for line in page2.lines)
    first = page2.lines[0]
    assert 0 < first.x0 < first.x1 < page2.width and first.y0 < first.y1 <= page2.height
    assert page2.lines[0].y0 > page2.lines[-1].y0  # lines top to bottom, y upwards as in any PDF page
    notice = next(n for n in doc.notices if n.code == "pdf.ocr")
    assert "trang 2;" in notice.message and "%" in notice.message
    assert any(i.value == 98 for i in doc.indicators)


def test_ocr_never_leaves_the_scanned_page_out_with_a_notice(mixed_pdf):
    doc = docparse.parse(mixed_pdf, format="pdf", ocr="never")
    assert "12/QĐ-UBND" not in {c.code for c in doc.citations}
    assert any(n.code == "pdf.scanned_pages" and "Trang 2" in n.message for n in doc.notices)


def _scan_only_pdf() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (200, 280), 255).save(buf, format="PDF", resolution=24)
    return buf.getvalue()


def test_missing_tesseract_says_what_to_install(monkeypatch):
    pytest.importorskip("pypdfium2", reason="pypdfium2 not installed (pip install 'docparse[ocr]')")
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None)
    with pytest.raises(ocr.OCRUnavailableError) as err:
        docparse.parse(_scan_only_pdf(), name="quet.pdf")
    assert isinstance(err.value, ScannedPDFError) and err.value.path == "quet.pdf"
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in err.value.reason
    assert "docparse[ocr]" in err.value.reason


def test_ocr_never_on_a_scan_raises_with_a_hint():
    with pytest.raises(ScannedPDFError) as err:
        docparse.parse(_scan_only_pdf(), name="quet.pdf", ocr="never")
    assert "--ocr auto" in err.value.reason


def test_unknown_ocr_mode_is_refused():
    with pytest.raises(ValueError):
        docparse.parse(_scan_only_pdf(), format="pdf", ocr="sometimes")


@pytest.mark.parametrize("line, fixed", [
    ("Số: l2/QD-UBND ngày l8/ll/2O25", "Số: 12/QĐ-UBND ngày 18/11/2025"),
    ("Nghị định số 6O/2025/ND-CP ngày 18/112025", "Nghị định số 60/2025/NĐ-CP ngày 18/11/2025"),
    ("theo 12QĐ-UBND và 45QD-UBND", "theo 12/QĐ-UBND và 45/QĐ-UBND"),
    ("Quyết định số 7/QĐÐ-UBND", "Quyết định số 7/QĐ-UBND"),
    ("ðường Ðiện Biên", "đường Điện Biên"),
    ("Nghị quyết số 3/2025/UBTVQHI15 ngày", "Nghị quyết số 3/2025/UBTVQH15 ngày"),
])
def test_usual_ocr_confusions_in_codes_and_dates_are_repaired(line, fixed):
    repaired, done = repair(line)
    assert repaired == fixed and done


@pytest.mark.parametrize("line", ["III.10 Nội dung", "Ủy ban ND tỉnh; HDND xã", "I/QĐ", "Điều 1. Quy định",
                                  "năm 2025, lúc 10 giờ", "Luật số 5/2024/QH15", "QHIA"])
def test_text_without_confusions_is_left_alone(line):
    assert repair(line) == (line, [])


TSV_HEAD = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"


def _tsv(*words: tuple[int, str, float]) -> str:
    """tesseract's TSV for words (line number, text, confidence) laid out left to right."""
    return TSV_HEAD + "".join(f"5\t1\t1\t1\t{line}\t{k}\t{100 + 120 * k}\t{100 * line}\t100\t40\t{conf}\t{text}\n"
                              for k, (line, text, conf) in enumerate(words))


def test_a_short_unsure_line_is_read_again_alone(monkeypatch):
    """A short line tesseract was unsure of is read again from its crop (--psm 13); the surer reading is kept, a
    long line or a sure one is left as it was."""
    from PIL import Image

    calls = []

    def fake(exe, png, langs, dpi, psm=""):
        calls.append(psm)
        if psm == "13":
            return _tsv((1, "2025;", 88.0)), None
        return _tsv((1, "Căn", 95.0), (1, "cứ", 96.0), (2, "°1ẠP1o", 6.0), (2, "nai", 40.0), (3, "năm", 20.0),
                    (3, "ngày", 30.0), (3, "tháng", 25.0), (3, "của", 28.0)), None

    monkeypatch.setattr(ocr, "_tesseract", fake)
    page = ocr._recognise("tesseract", Image.new("L", (1200, 600), 255), "vie", 300, 288.0, 144.0)
    assert [line[0] for line in page.lines] == ["Căn cứ", "2025;", "ngày"]  # the long line: words under 30 dropped
    assert calls == ["", "13"]


def test_a_reading_no_surer_is_not_kept(monkeypatch):
    from PIL import Image

    def fake(exe, png, langs, dpi, psm=""):
        return (_tsv((1, "Sô", 45.0)) if psm == "13" else _tsv((1, "Số:", 40.0))), None

    monkeypatch.setattr(ocr, "_tesseract", fake)
    page = ocr._recognise("tesseract", Image.new("L", (600, 300), 255), "vie", 300, 144.0, 72.0)
    assert [line[0] for line in page.lines] == ["Số:"]


def test_an_unsure_word_shaped_like_a_code_or_date_is_kept(monkeypatch):
    """Words under the confidence floor are dropped as specks, not one shaped like a code or date: the repairs
    mend it ("12/QĐÐĐ-UBND" read at 28 %)."""
    from PIL import Image

    def fake(exe, png, langs, dpi, psm=""):
        return _tsv((1, "Quyết", 95.0), (1, "định", 96.0), (1, "số", 93.0), (1, "12/QĐÐĐ-UBND", 28.0),
                    (1, "ngày", 95.0), (1, "5/1/2025", 20.0), (1, "~ÉÄ", 12.0)), None

    monkeypatch.setattr(ocr, "_tesseract", fake)
    page = ocr._recognise("tesseract", Image.new("L", (1200, 300), 255), "vie", 300, 288.0, 72.0)
    assert [line[0] for line in page.lines] == ["Quyết định số 12/QĐÐĐ-UBND ngày 5/1/2025"]


def test_repairs_of_ocr_lines_are_notices_with_spans(monkeypatch):
    """The recognised lines (a stand-in for tesseract here) are repaired, each repair a notice on its text."""
    from docparse.readers import pdf as pdf_reader

    def fake(data, numbers, path):
        page = ocr.OcrPage(width=200 * 72 / 24, height=280 * 72 / 24, confidences=[90.0, 80.0])
        page.lines = [("Căn cứ Quyết định số l2/QD-UBND ngày 05/01/2O25 của tỉnh", 50, 700, 500, 712)]
        return {n: page for n in numbers}

    monkeypatch.setattr(pdf_reader, "ocr_pages", fake)
    doc = docparse.parse(_scan_only_pdf(), format="pdf")
    assert [c.code for c in doc.citations] == ["12/QĐ-UBND"] and str(doc.citations[0].date) == "2025-01-05"
    repairs = [n for n in doc.notices if n.code == "ocr.repair"]
    assert {doc.text[n.span.start:n.span.end] for n in repairs} == {"12", "QĐ", "05/01/2025"}
    assert any("độ tin cậy trung bình 85 %" in n.message for n in doc.notices if n.code == "pdf.ocr")


def test_cli_ocr_option_reaches_the_reader(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from docparse.cli import app

    monkeypatch.setenv("DOCPARSE_OCR", "auto")  # restored (unset) afterwards: the CLI sets it for its workers
    scan = tmp_path / "quet.pdf"
    scan.write_bytes(_scan_only_pdf())
    result = CliRunner().invoke(app, ["parse", "--ocr", "never", str(scan)])
    assert result.exit_code != 0 and "--ocr auto" in result.output
    assert CliRunner().invoke(app, ["parse", "--ocr", "sometimes", str(scan)]).exit_code == 2
