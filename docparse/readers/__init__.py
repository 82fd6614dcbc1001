"""Readers turn a file into one `SourceText`: the text every span points into, plus pages and tables.

Only regular files are read, and never more than the size limit: a FIFO would block forever and a link to
/dev/zero would never end, so the kind of file is checked before it is opened, and again on the open descriptor."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from ..errors import FileReadError, NotRegularFileError, UnsupportedFormatError
from .base import (MAX_BYTES, MAX_TEXT_BYTES, SourceText, check_text, check_text_size, max_bytes, read_stream,
                   too_large)
from .detect import detect_format
from .doc import read_doc, read_odt, read_rtf
from .docx import read_docx
from .pdf import read_pdf
from .pdf_engine import read_any_pdf
from .txt import read_txt_bytes

READERS = {".txt": ("txt", read_txt_bytes), ".md": ("md", read_txt_bytes), ".text": ("txt", read_txt_bytes),
           ".pdf": ("pdf", read_any_pdf), ".docx": ("docx", read_docx), ".doc": ("doc", read_doc),
           ".rtf": ("rtf", read_rtf), ".odt": ("odt", read_odt)}


def read(path: str | Path, *, max_bytes: int | None = None) -> SourceText:
    """The file's text; a DocparseError subclass naming the file for anything it cannot or must not read. The
    content decides over the extension when it is plainly another format (a .docx saved as .doc)."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in READERS:
        raise UnsupportedFormatError(str(p), f"định dạng '{suffix or '(không có đuôi)'}' không được hỗ trợ "
                                             "(chỉ đọc .txt, .md, .pdf, .docx, .doc, .rtf, .odt)")
    data = read_bytes(p, max_bytes)
    content = detect_format(data)
    fmt, reader = READERS[f".{content}" if content else suffix]
    src = reader(data, str(p))
    src.format = fmt
    src.path = str(p)
    return src


def read_bytes(p: Path, cap: int | None = None) -> bytes:
    cap = _max_bytes(cap)
    try:
        st = p.stat()  # follows links: a link to /dev/zero is a character device here
    except OSError as e:
        raise FileReadError(str(p), f"không đọc được tệp ({e.strerror or e})") from e
    _regular(p, st)
    if st.st_size > cap:
        raise too_large(str(p), st.st_size, cap)
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as e:
        raise FileReadError(str(p), f"không đọc được tệp ({e.strerror or e})") from e
    try:
        _regular(p, os.fstat(fd))  # it may have been swapped for a FIFO since the stat
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(cap + 1)  # a file that grew since the stat still stops at the limit
    except OSError as e:
        raise FileReadError(str(p), f"không đọc được tệp ({e.strerror or e})") from e
    finally:
        os.close(fd)
    if len(data) > cap:
        raise too_large(str(p), len(data), cap)
    return data


def _regular(p: Path, st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise FileReadError(str(p), "đây là thư mục, không phải tệp")
    if not stat.S_ISREG(st.st_mode):
        kind = "ống dẫn (FIFO)" if stat.S_ISFIFO(st.st_mode) else "thiết bị" if stat.S_ISCHR(st.st_mode) or \
            stat.S_ISBLK(st.st_mode) else "socket" if stat.S_ISSOCK(st.st_mode) else "tệp đặc biệt"
        raise NotRegularFileError(str(p), f"không phải tệp thường mà là {kind}; chỉ đọc tệp thường")


_max_bytes = max_bytes


__all__ = ["SourceText", "read", "read_bytes", "read_stream", "read_txt_bytes", "read_pdf", "read_any_pdf",
           "read_docx", "check_text", "check_text_size", "MAX_BYTES", "MAX_TEXT_BYTES"]
