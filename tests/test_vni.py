"""Legacy encodings converted to Unicode (readers/vni.py): VNI and TCVN3, in plain files and in DOCX set in a
legacy font. The round trip through GNU recode (the table's source) runs where recode is installed."""
from __future__ import annotations

import io
import shutil
import subprocess

import pytest

import docparse
from docparse import lexicon
from docparse.readers.vni import from_tcvn3, from_vni, legacy_encoding

SENTENCE = ("Ủy ban nhân dân tỉnh Sông Mây ban hành Quyết định số 12/QĐ-UBND ngày 05/01/2025 về việc giao nhiệm vụ "
            "cho các sở, ngành; đồng thời yêu cầu Sở Nội vụ hướng dẫn, kiểm tra, tổng hợp kết quả. ")


def _vni_bytes(text: str) -> bytes:
    """Unicode → VNI with the table reversed (the recode test below checks the table itself)."""
    reverse = {v: k for k, v in lexicon.load("vni.json")["sequences"].items()}
    return "".join(reverse.get(ch, ch) for ch in text).encode("latin-1")


def _tcvn3_bytes(text: str) -> bytes:
    reverse = {v: int(k, 16) for k, v in lexicon.load("tcvn3.json")["bytes"].items() if len(v) == 1}
    return b"".join(bytes([reverse[ch]]) if ch in reverse else ch.encode("latin-1") for ch in text)


def test_vni_sequences_known_from_vni_fonts():
    assert from_vni("Ngaøy 05 thaùng 01 naêm 2025") == "Ngày 05 tháng 01 năm 2025"
    assert from_vni("UÛY BAN NHAÂN DAÂN TÆNH") == "ỦY BAN NHÂN DÂN TỈNH"
    assert from_vni("Ñoäc laäp - Töï do - Haïnh phuùc") == "Độc lập - Tự do - Hạnh phúc"


def test_vni_file_is_converted_with_a_notice(tmp_path):
    p = tmp_path / "vni.txt"
    p.write_bytes(_vni_bytes(SENTENCE * 3))
    doc = docparse.parse(p)
    assert doc.text == SENTENCE * 3
    assert "encoding.legacy_vni" in [n.code for n in doc.notices]
    assert [c.code for c in doc.citations] == ["12/QĐ-UBND"] * 3


def test_tcvn3_and_vni_are_told_apart():
    assert legacy_encoding(_vni_bytes(SENTENCE).decode("latin-1")) == "vni"
    assert legacy_encoding(_tcvn3_bytes(SENTENCE).decode("latin-1")) == "tcvn3"
    assert legacy_encoding(SENTENCE) is None
    assert legacy_encoding("Plain English text, with café and naïve words. " * 5) is None


def _docx(paragraph: str, cell: str) -> bytes:
    docx = pytest.importorskip("docx")
    d = docx.Document()
    d.add_paragraph(paragraph)
    t = d.add_table(rows=1, cols=2)
    t.cell(0, 0).text, t.cell(0, 1).text = "1", cell
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("encode, code", [(_vni_bytes, "encoding.legacy_vni"), (_tcvn3_bytes, "encoding.legacy_tcvn3")])
def test_docx_in_a_legacy_font_is_converted_paragraphs_and_cells(encode, code):
    """A DOCX set in VNI-Times or .VnTime holds the bytes as Windows-1252 characters."""
    cell = "Sở Tài chính chủ trì, hoàn thành trước ngày 30/6/2025"
    data = _docx(encode(SENTENCE * 2).decode("cp1252"), encode(cell).decode("cp1252"))
    doc = docparse.parse(data, format="docx")
    assert doc.text.startswith(SENTENCE * 2)
    assert code in [n.code for n in doc.notices]
    (table,) = doc.tables
    got = table.cells[1]
    assert got.text == cell and doc.text[got.span.start:got.span.end] == cell


def test_tcvn3_from_windows_1252_characters():
    assert from_tcvn3(_tcvn3_bytes("Ủy ban").decode("cp1252", errors="replace")) == from_tcvn3(
        _tcvn3_bytes("Ủy ban").decode("latin-1"))


@pytest.mark.skipif(shutil.which("recode") is None, reason="GNU recode not installed (apt-get install recode)")
def test_round_trip_through_recode_restores_every_character():
    letters = sorted(set(lexicon.load("vni.json")["sequences"].values()))
    text = SENTENCE + " ".join(letters) + "\n"
    vni = subprocess.run(["recode", "utf8..VNI"], input=text.encode(), capture_output=True, check=True).stdout
    assert from_vni(vni.decode("latin-1")) == text
