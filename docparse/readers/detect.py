"""The format of a file from its content, so a file named wrongly (a .docx saved as .doc, a PDF without its
extension) still reaches the right reader."""
from __future__ import annotations

import io
import zipfile

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and other OLE2 compound files
_ODT = b"mimetypeapplication/vnd.oasis.opendocument.text"


def detect_format(data: bytes) -> str | None:
    """"pdf", "docx", "doc", "rtf" or "odt" when the content says so; None for anything else (text, or a damaged
    file the reader its extension picks should judge)."""
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF"):
        return "pdf"
    if head.startswith(_OLE2):
        return "doc"
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"PK\x03\x04"):
        if head[30:30 + len(_ODT)] == _ODT:
            return "odt"
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "word/document.xml" in names:
            return "docx"
        if "content.xml" in names and "mimetype" in names:
            return "odt"
    return None
