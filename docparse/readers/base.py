"""What every reader returns, and the limits every entry point shares (so no input costs unbounded time or memory).

Limits are read from the environment at call time, so a batch or a test can change them without code:
DOCPARSE_MAX_BYTES (default 64 MiB) bounds a file or stdin as bytes; DOCPARSE_MAX_TEXT_BYTES (8 MiB) the text
parsed from any of them, a string given to parse_text included; DOCPARSE_MAX_DOCX_UNPACKED, _MAX_DOCX_XML,
_MAX_DOCX_MEMBERS and _MAX_XML_ELEMENTS what a small archive may unpack to; DOCPARSE_MAX_PDF_INFLATED what the
compressed streams of a PDF may (readers/pdf.py, which also bounds the characters and text boxes of a page).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field

from ..errors import FileTooLargeError, NotTextError
from ..schema import Notice, Page, Table

MAX_BYTES = 64 * 1024 * 1024  # one input as bytes: a file on disk (a PDF or DOCX holds images too) or stdin
# the text to parse, as UTF-8. Ordinary text costs about 0.5 s and 25 MB of memory per MB, text dense with records
# (one sentence with a citation, a date and two figures, repeated) 75 MB per MB: 8 MiB stays near the 500 MB budget
# for such text, and is ten times the largest document of the corpus
MAX_TEXT_BYTES = 8 * 1024 * 1024
MAX_DOCX_UNPACKED = 256 * 1024 * 1024  # all members of a DOCX archive (pictures included), decompressed
MAX_DOCX_XML = 64 * 1024 * 1024  # its XML parts, decompressed: lxml holds them as a tree of about 6× the size
MAX_DOCX_MEMBERS = 10_000
MAX_XML_ELEMENTS = 2_000_000  # tags ("<", closing ones included) in the XML parts of a DOCX


def limit(name: str, default: int) -> int:
    """An integer limit from the environment (DOCPARSE_<NAME>), or the default when unset or not a number."""
    raw = os.environ.get(f"DOCPARSE_{name}", "").strip().replace("_", "")
    return int(raw) if raw.isascii() and raw.isdigit() and int(raw) > 0 else default


def max_bytes(value: int | None = None) -> int:
    return value if value is not None else limit("MAX_BYTES", MAX_BYTES)


def too_large(path: str | None, size: int, cap: int, what: str = "tệp") -> FileTooLargeError:
    return FileTooLargeError(path, f"{what} quá lớn ({_mb(size)} > {_mb(cap)}); giới hạn đặt bằng DOCPARSE_MAX_BYTES")


def _mb(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n} byte"


def max_text_bytes(value: int | None = None) -> int:
    return value if value is not None else limit("MAX_TEXT_BYTES", MAX_TEXT_BYTES)


_SURROGATE = re.compile("[\ud800-\udfff]")


def check_text(text: str, path: str | None = None, cap: int | None = None) -> None:
    """What every text must be before it is parsed: within the size limit, and Unicode that UTF-8 can write (a
    lone surrogate, from surrogateescape or a JSON "\\ud800", cannot be stored or exported): NotTextError."""
    check_text_size(text, path, cap)
    bad = _SURROGATE.search(text)
    if bad:
        raise NotTextError(path, f"văn bản chứa ký tự không hợp lệ (nửa cặp UTF-16 U+{ord(bad.group()):04X} ở vị trí "
                                 f"{bad.start()}); không thể ghi ra UTF-8")


def check_text_size(text: str, path: str | None = None, cap: int | None = None) -> None:
    """FileTooLargeError when the UTF-8 form of `text` is over the text limit, without encoding it when the
    length alone decides (a character takes 1 to 4 bytes)."""
    cap = max_text_bytes(cap)
    n = len(text)
    if n <= cap // 4:
        return
    if n > cap or len(text.encode("utf-8", "surrogatepass")) > cap:
        raise too_large_text(path, cap)


def too_large_text(path: str | None, cap: int) -> FileTooLargeError:
    return FileTooLargeError(path, f"văn bản quá lớn (hơn {_mb(cap)} khi mã hóa UTF-8); "
                                   "giới hạn đặt bằng DOCPARSE_MAX_TEXT_BYTES")


def text_bytes_cap() -> int:
    """The most bytes a text file may have: any encoding docparse reads takes at least half the bytes of the
    UTF-8 it decodes to (UTF-16), so more than twice the text limit is too large before decoding."""
    return min(max_bytes(), 2 * max_text_bytes())


def read_stream(stream, path: str = "<stdin>", cap: int | None = None) -> bytes:
    """At most `cap` bytes (default: the text-file cap) of a binary stream such as stdin: FileTooLargeError as
    soon as one more arrives, so an endless pipe costs at most the limit, never all it can send."""
    cap = cap if cap is not None else text_bytes_cap()
    chunks, size = [], 0
    while True:
        chunk = stream.read(min(1 << 20, cap + 1 - size))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        size += len(chunk)
        if size > cap:
            raise FileTooLargeError(path, f"dữ liệu vào vượt quá {_mb(cap)}; giới hạn đặt bằng DOCPARSE_MAX_TEXT_BYTES "
                                          "(gấp đôi) và DOCPARSE_MAX_BYTES")


@dataclass
class SourceText:
    text: str
    format: str = "text"
    path: str | None = None
    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
