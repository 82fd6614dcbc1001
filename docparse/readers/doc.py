"""Legacy Word 97-2003 (.doc) through antiword; RTF and OpenDocument (.odt), and .doc where antiword is missing,
converted to DOCX by LibreOffice headless and read by the DOCX reader.

Measured on .doc files LibreOffice wrote from .docx files: antiword takes 6 ms a file against 4 s for LibreOffice,
gives the same records, and keeps tables LibreOffice's own .doc import drops (a table written by python-docx comes
back as one paragraph); LibreOffice is also a far heavier install. antiword's DocBook output (-x db) keeps paragraphs,
table rows and cells apart: rows become tab-separated lines and a Table, as the DOCX reader makes them.
Each LibreOffice call uses its own profile in a temporary folder, so conversions may run side by side.
"""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import CorruptFileError, DocparseError, EmptyDocumentError
from ..schema import Cell, Notice, Span, Table
from .base import SourceText
from .docx import read_docx

CONVERT_TIMEOUT_S = 180
NAMES = {"doc": "Word 97-2003 (.doc)", "rtf": "RTF", "odt": "OpenDocument (.odt)"}


class ConverterMissingError(DocparseError):
    """Reading this format needs a program that is not installed."""

    code = "converter_missing"


def _office() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_office(data: bytes, path: str | None, kind: str) -> SourceText:
    """`data` (a .doc, .rtf or .odt file) through LibreOffice to DOCX, read as DOCX."""
    exe = _office()
    if exe is None:
        raise ConverterMissingError(path, f"đọc tệp {NAMES[kind]} cần LibreOffice (chương trình soffice): "
                                          "apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory(prefix="docparse-office-") as tmp:
        src = Path(tmp) / f"input.{kind}"
        src.write_bytes(data)
        cmd = [exe, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", tmp, str(src)]
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as e:
            raise CorruptFileError(path, f"LibreOffice không chuyển xong tệp {NAMES[kind]} sau {CONVERT_TIMEOUT_S} "
                                         "giây") from e
        out = Path(tmp) / "input.docx"
        if not out.is_file() or out.stat().st_size == 0:
            detail = run.stderr.decode("utf-8", "replace").strip()[-160:]
            raise CorruptFileError(path, f"LibreOffice không đọc được tệp {NAMES[kind]} (tệp hỏng hoặc sai định dạng)"
                                         + (f": {detail}" if detail else ""))
        result = read_docx(out.read_bytes(), path)
    result.notices.insert(0, Notice(code="reader.converted", message=f"Tệp {NAMES[kind]} đã được LibreOffice chuyển "
                                                                     "sang DOCX để đọc."))
    return result


def read_doc(data: bytes, path: str | None = None) -> SourceText:
    exe = shutil.which("antiword")
    if exe is None:
        if _office() is None:
            raise ConverterMissingError(path, "đọc tệp Word 97-2003 (.doc) cần antiword (apt-get install antiword) "
                                              "hoặc LibreOffice (apt-get install libreoffice-writer-nogui)")
        return read_office(data, path, "doc")
    with tempfile.NamedTemporaryFile(suffix=".doc") as f:
        f.write(data)
        f.flush()
        try:
            run = subprocess.run([exe, "-x", "db", f.name], capture_output=True,
                                 timeout=CONVERT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired as e:
            raise CorruptFileError(path, f"antiword không đọc xong tệp .doc sau {CONVERT_TIMEOUT_S} giây") from e
    if run.returncode != 0:
        detail = run.stderr.decode("utf-8", "replace").strip()[-160:]
        raise CorruptFileError(path, "antiword không đọc được tệp .doc (tệp hỏng, được mã hóa hoặc không phải Word "
                                     f"97-2003){': ' + detail if detail else ''}")
    src = _from_antiword(run.stdout, path)
    if not src.text.strip():
        raise EmptyDocumentError(path, "tệp .doc không có nội dung văn bản")
    return src


def _from_antiword(out: bytes, path: str | None) -> SourceText:
    """antiword's DocBook: each paragraph a line, each table row a tab-separated line (a cell's paragraphs joined
    by spaces) and the table a Table, as the DOCX reader makes them."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=True)
    try:
        root = etree.fromstring(out, parser)
    except etree.XMLSyntaxError as e:
        raise CorruptFileError(path, f"antiword trả về nội dung không đọc được ({e})") from e
    if root is None:
        raise EmptyDocumentError(path, "tệp .doc không có nội dung văn bản")
    parts: list[str] = []
    tables: list[Table] = []
    pos = 0

    def add(text: str) -> None:
        nonlocal pos
        parts.append(text + "\n")
        pos += len(text) + 1

    def walk(el) -> None:
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in ("bookinfo", "colspec") or tag == "title" and el is root:
                continue
            if tag in ("informaltable", "table"):
                start, cells, rows = pos, [], list(child.iter("row"))
                for r, row in enumerate(rows):
                    texts = [" ".join("".join(entry.itertext()).split()) for entry in row.iter("entry")]
                    at = pos
                    for c, text in enumerate(texts):
                        cells.append(Cell(row=r, col=c, text=text, span=Span(start=at, end=at + len(text))))
                        at += len(text) + 1
                    add("\t".join(texts))
                tables.append(Table(n_rows=len(rows), n_cols=max((len(list(r.iter("entry"))) for r in rows), default=0),
                                    cells=cells, span=Span(start=start, end=pos)))
            elif tag in ("para", "title", "simpara") and next(child.iter("informaltable", "table"), None) is None:
                text = " ".join("".join(child.itertext()).split())
                if text:
                    add(text)
            else:
                walk(child)

    walk(root)
    src = SourceText(text="".join(parts), format="doc", path=path, tables=tables)
    src.notices.append(Notice(code="reader.converted", message="Tệp Word 97-2003 (.doc) được đọc bằng antiword."))
    return src


def read_rtf(data: bytes, path: str | None = None) -> SourceText:
    return read_office(data, path, "rtf")


def read_odt(data: bytes, path: str | None = None) -> SourceText:
    return read_office(data, path, "odt")
