"""parse() takes a path, bytes or a binary file object, and the same input gives the same Document whichever way it
comes (docparse.readers.inputs)."""
from __future__ import annotations

import io
import zipfile

import pytest
from conftest import SAMPLES_DIR
from fictional import vb

import docparse
from docparse import EmptyDocumentError, FileTooLargeError, UnsupportedFormatError
from docparse.errors import CorruptFileError, NotTextError
from docparse.readers.inputs import format_of

SAMPLES = [SAMPLES_DIR / "bc_cchc_2025.txt", SAMPLES_DIR / "bc_cchc_2025.pdf", SAMPLES_DIR / "bc_cchc_2025.docx"]


def _without_source(doc: docparse.Document) -> dict:
    return doc.model_dump(mode="json", exclude={"source"})


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.suffix)
def test_bytes_and_file_objects_give_the_document_of_the_path(path):
    from_path = docparse.parse(path)
    data = path.read_bytes()
    assert docparse.parse(data, name=str(path)) == from_path
    with open(path, "rb") as f:  # an open file names itself
        assert docparse.parse(f) == from_path
    fmt = path.suffix[1:]
    for doc in (docparse.parse(data), docparse.parse(io.BytesIO(data), format=fmt),
                docparse.parse(bytearray(data), name="upload" + path.suffix), docparse.parse(memoryview(data))):
        assert doc.format == fmt
        assert _without_source(doc) == _without_source(from_path)
    assert docparse.parse(data).source is None
    assert docparse.parse(data, name="báo cáo" + path.suffix).source == "báo cáo" + path.suffix
    assert from_path.citations and from_path.header.number  # the sample is a real document, not an empty record


def test_markdown_name_and_hint_set_the_format():
    data = vb("Nội dung chính của báo cáo.").encode()
    assert docparse.parse(data, name="a.md").format == "md"
    assert docparse.parse(data, format="md").format == "md"
    assert docparse.parse(data, name="a.TXT").format == "txt"


def test_format_hint_wins_over_the_name():
    data = vb("Nội dung chính của báo cáo.").encode()
    assert docparse.parse(data, name="scan.pdf", format="txt").header.number == "77"
    with pytest.raises(CorruptFileError) as info:
        docparse.parse(data, name="a.txt", format="pdf")
    assert info.value.path == "a.txt"


def test_content_decides_as_for_a_path():
    pdf, docx = SAMPLES[1].read_bytes(), SAMPLES[2].read_bytes()
    assert format_of(pdf) == "pdf" and format_of(b"\n  " + pdf) == "pdf"
    assert format_of(docx) == "docx" and format_of(docx, "sai-ten.txt") == "docx"  # a misnamed file
    assert format_of("Số: 1/BC-UBND".encode()) == "txt" and format_of(b"# a", "a.md") == "md"
    assert docparse.parse(pdf, name="sai-ten.txt").format == "pdf"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "không phải DOCX")
    with pytest.raises(UnsupportedFormatError) as info:
        docparse.parse(buf.getvalue())
    assert info.value.path == "<bytes>"


@pytest.mark.parametrize("data, kwargs, error, path", [
    (b"\x00\x01" * 100, {}, NotTextError, "<bytes>"),
    (b"\x00\x01" * 100, {"name": "x.txt"}, NotTextError, "x.txt"),
    (b"   \n", {"name": "rong.txt"}, EmptyDocumentError, "rong.txt"),
    (b"abc", {"name": "bang.xls"}, UnsupportedFormatError, "bang.xls"),
    (b"abc", {"format": "xlsx"}, UnsupportedFormatError, "<bytes>"),
    (b"%PDF-1.4 hong", {}, CorruptFileError, "<bytes>"),
    (b"PK\x03\x04hong", {"name": "h.docx"}, CorruptFileError, "h.docx"),
])
def test_bad_bytes_raise_a_docparse_error_naming_the_input(data, kwargs, error, path):
    with pytest.raises(error) as info:
        docparse.parse(data, **kwargs)
    assert info.value.path == path
    assert info.value.reason  # a Vietnamese sentence for people


def test_size_limit_applies_to_bytes_and_streams():
    with pytest.raises(FileTooLargeError):
        docparse.parse(b"x" * 101, name="a.txt", max_bytes=100)

    class Endless(io.RawIOBase):  # a stream that never ends must cost only the limit
        def readable(self):
            return True

        def readinto(self, b):
            b[:] = b"a " * (len(b) // 2) + b"a" * (len(b) % 2)
            return len(b)

    with pytest.raises(FileTooLargeError) as info:
        docparse.parse(Endless(), name="vo-tan.txt", max_bytes=1000)
    assert info.value.path == "vo-tan.txt"


def test_wrong_argument_types_raise_type_error():
    with pytest.raises(TypeError, match="binary"):
        docparse.parse(io.StringIO("văn bản"))
    with pytest.raises(TypeError):
        docparse.parse(3)
    with pytest.raises(TypeError):
        docparse.parse(SAMPLES[0], name="x.txt")
