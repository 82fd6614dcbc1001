"""Legacy .doc, .rtf and .odt through LibreOffice (readers/doc.py), and formats told by content (readers/detect.py).
The conversion tests make their .doc/.odt from a small fictional .docx with LibreOffice and skip without it."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest

import docparse
from docparse.readers import doc as doc_reader
from docparse.readers.detect import detect_format

BODY = ["ỦY BAN NHÂN DÂN TỈNH SÔNG MÂY", "Số: 45/KH-UBND", "KẾ HOẠCH",
        "Căn cứ Quyết định số 12/QĐ-UBND ngày 05/01/2025 của Ủy ban nhân dân tỉnh."]


def _docx() -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    for line in BODY:
        d.add_paragraph(line)
    t = d.add_table(rows=2, cols=3)
    for c, text in enumerate(["TT", "Nhiệm vụ", "Thời hạn"]):
        t.cell(0, c).text = text
    for c, text in enumerate(["1", "Rà soát thủ tục hành chính", "30/6/2025"]):
        t.cell(1, c).text = text
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, Path]:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("LibreOffice not installed (apt-get install libreoffice-writer-nogui)")
    tmp = tmp_path_factory.mktemp("office")
    src = tmp / "kh.docx"
    src.write_bytes(_docx())
    for fmt in ("doc", "odt"):
        subprocess.run([exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--convert-to", fmt,
                        "--outdir", str(tmp), str(src)], capture_output=True, timeout=180, check=True)
    return {"docx": src, "doc": tmp / "kh.doc", "odt": tmp / "kh.odt"}


def _records(d):
    return ([(c.code, str(c.date)) for c in d.citations], d.header.symbol,
            [(t.n_rows, t.n_cols, [c.text for c in t.cells]) for t in d.tables])


@pytest.mark.parametrize("kind", ["doc", "odt"])
def test_legacy_word_file_gives_the_records_of_the_docx(converted, kind):
    if kind == "doc" and shutil.which("antiword") is None:
        pytest.skip("antiword not installed (apt-get install antiword)")
    got = docparse.parse(converted[kind])
    assert _records(got) == _records(docparse.parse(converted["docx"]))
    assert got.tables and got.tables[0].cells[4].text == "Rà soát thủ tục hành chính"
    assert any(n.code == "reader.converted" for n in got.notices)


FIXTURE = Path(__file__).parent / "data" / "kh_fictional.doc"  # _docx() saved as .doc by LibreOffice


def test_doc_fixture_reads_like_its_docx():
    """Runs without LibreOffice: the committed .doc of the fictional plan, through antiword."""
    if shutil.which("antiword") is None:
        pytest.skip("antiword not installed (apt-get install antiword)")
    got, want = docparse.parse(FIXTURE), docparse.parse(_docx(), format="docx")
    assert got.text == want.text and _records(got) == _records(want)
    (table,) = got.tables
    cell = table.cells[4]
    assert (cell.row, cell.col, cell.text) == (1, 1, "Rà soát thủ tục hành chính")
    assert got.text[cell.span.start:cell.span.end] == cell.text


def test_doc_text_is_the_docx_text(converted):
    if shutil.which("antiword") is None:
        pytest.skip("antiword not installed (apt-get install antiword)")
    assert docparse.parse(converted["doc"]).text == docparse.parse(converted["docx"]).text


def test_missing_converters_are_named(monkeypatch, tmp_path):
    monkeypatch.setattr(doc_reader.shutil, "which", lambda name: None)
    p = tmp_path / "cu.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(doc_reader.ConverterMissingError) as err:
        docparse.parse(p)
    assert err.value.path == str(p) and "antiword" in err.value.reason and "LibreOffice" in err.value.reason
    assert "apt-get install libreoffice-writer-nogui" in err.value.reason


def test_a_docx_named_doc_is_read_as_docx(tmp_path):
    p = tmp_path / "doi_ten.doc"
    p.write_bytes(_docx())
    doc = docparse.parse(p)
    assert doc.format == "docx" and "12/QĐ-UBND" in [c.code for c in doc.citations]


def test_formats_told_by_content():
    assert detect_format(b"%PDF-1.7\n") == "pdf"
    assert detect_format(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100) == "doc"
    assert detect_format(b"{\\rtf1\\ansi ...}") == "rtf"
    assert detect_format(_docx()) == "docx"
    assert detect_format("Số: 12/QĐ-UBND".encode()) is None
    assert detect_format(b"PK\x03\x04 damaged") is None
