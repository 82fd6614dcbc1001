"""Any input `parse()` takes — a path, bytes, or a binary file object — as one `SourceText`, so a web service can
parse an upload from memory without writing a file.

Bytes and streams have no path, so the reader is chosen by the `format` hint ("txt", "md", "pdf", "docx", …), else
as for a file: by what the content plainly is (readers.detect: "%PDF", a ZIP holding word/document.xml …), else by
the extension of `name`; anything else is read as text (which refuses binary data with NotTextError). Errors name
`name`, or "<bytes>".
"""
from __future__ import annotations

import os
from pathlib import Path, PurePath
from typing import BinaryIO, Union

from ..errors import FileTooLargeError, UnsupportedFormatError
from . import READERS, read
from .base import SourceText, too_large
from .base import max_bytes as _max_bytes
from .detect import detect_format

Input = Union[str, Path, bytes, bytearray, memoryview, BinaryIO]
BYTES_NAME = "<bytes>"


def read_input(source: Input, *, name: str | None = None, format: str | None = None,
               max_bytes: int | None = None) -> SourceText:
    """A path is read as a file (`name` and `format` do not apply); bytes and binary streams are read in memory,
    at most `max_bytes` (default DOCPARSE_MAX_BYTES). TypeError for anything else (a str stream, a number)."""
    if isinstance(source, (str, os.PathLike)):
        if name is not None or format is not None:
            raise TypeError("parse(path): name= and format= apply only to bytes or a file object")
        return read(source, max_bytes=max_bytes)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        label = name or BYTES_NAME
        cap = _max_bytes(max_bytes)
        if len(data) > cap:
            raise too_large(label, len(data), cap)
    elif callable(getattr(source, "read", None)):
        if name is None:
            own = getattr(source, "name", None)  # an open file knows its path: the Document then equals parse(path)
            name = own if isinstance(own, str) and not own.startswith("<") else None
        label = name or BYTES_NAME
        data = _read_binary(source, label, _max_bytes(max_bytes))
    else:
        raise TypeError(f"parse() takes a path, bytes or a binary file object, not {type(source).__name__}")
    return read_data(data, name=name, format=format)


def read_data(data: bytes, *, name: str | None = None, format: str | None = None) -> SourceText:
    """`data` read by the reader its format picks (see the module docstring); `source` of the Document is `name`."""
    label = name or BYTES_NAME
    fmt = _format_of(data, name, format, label)
    reader = next(r for f, r in READERS.values() if f == fmt)
    src = reader(data, label)
    src.format = fmt
    src.path = name
    return src


def format_of(data: bytes, name: str | None = None, hint: str | None = None) -> str:
    """The format `read_data` reads `data` as: the hint, else what the content plainly is (detect_format: a PDF, a
    DOCX, a .doc …, whatever its name says, as for a path), else `name`'s extension, else text. UnsupportedFormatError
    (naming `name`) for a hint or an extension no reader has, or an archive no reader knows."""
    return _format_of(data, name, hint, name or BYTES_NAME)


def _format_of(data: bytes, name: str | None, hint: str | None, label: str) -> str:
    known = {f for f, _ in READERS.values()}
    if hint is not None:
        fmt = hint.lower().lstrip(".")
        if fmt not in known:
            raise UnsupportedFormatError(label, f"định dạng '{hint}' không được hỗ trợ (chỉ đọc "
                                                f"{', '.join(sorted(known))})")
        return fmt
    suffix = PurePath(name).suffix.lower() if name else ""
    if suffix and suffix not in READERS:
        raise UnsupportedFormatError(label, f"định dạng '{suffix}' không được hỗ trợ "
                                            f"(chỉ đọc {', '.join(sorted(READERS))})")
    content = detect_format(data)
    if content:
        return content
    if suffix:
        return READERS[suffix][0]
    if data[:4] == b"PK\x03\x04":
        raise UnsupportedFormatError(label, "tệp nén ZIP không phải DOCX hay ODT, không đọc được")
    return "txt"


def _read_binary(stream, label: str, cap: int) -> bytes:
    """At most `cap` bytes: FileTooLargeError as soon as one more arrives, so an endless stream costs the limit."""
    chunks, size = [], 0
    while chunk := stream.read(min(1 << 20, cap + 1 - size)):
        if not isinstance(chunk, (bytes, bytearray)):
            raise TypeError("parse() takes a binary file object (open(path, 'rb')), not a text stream")
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            raise FileTooLargeError(label, f"dữ liệu vào vượt quá {cap / 1e6:.1f} MB; giới hạn đặt bằng "
                                           "DOCPARSE_MAX_BYTES")
    return b"".join(chunks)
