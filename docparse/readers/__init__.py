"""Readers turn a file into one `SourceText`: the text every span points into, plus pages and tables."""
from __future__ import annotations

from pathlib import Path

from ..errors import FileReadError, FileTooLargeError, UnsupportedFormatError
from .base import MAX_BYTES, SourceText
from .docx import read_docx
from .pdf import read_pdf
from .txt import read_txt_bytes

READERS = {".txt": ("txt", read_txt_bytes), ".md": ("md", read_txt_bytes), ".text": ("txt", read_txt_bytes),
           ".pdf": ("pdf", read_pdf), ".docx": ("docx", read_docx)}


def read(path: str | Path, *, max_bytes: int = MAX_BYTES) -> SourceText:
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in READERS:
        raise UnsupportedFormatError(str(p), f"định dạng '{suffix or '(không có đuôi)'}' không được hỗ trợ "
                                             "(chỉ đọc .txt, .md, .pdf, .docx)")
    try:
        size = p.stat().st_size
    except OSError as e:
        raise FileReadError(str(p), f"không đọc được tệp ({e.strerror or e})") from e
    if size > max_bytes:
        raise FileTooLargeError(str(p), f"tệp quá lớn ({size / 1e6:.1f} MB > {max_bytes / 1e6:.0f} MB)")
    if p.is_dir():
        raise FileReadError(str(p), "đây là thư mục, không phải tệp")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise FileReadError(str(p), f"không đọc được tệp ({e.strerror or e})") from e
    fmt, reader = READERS[suffix]
    src = reader(data, str(p))
    src.format = fmt
    src.path = str(p)
    return src


__all__ = ["SourceText", "read", "read_txt_bytes", "read_pdf", "read_docx"]
