"""Plain text and Markdown: decode, and say when the text is damaged or in a legacy Vietnamese encoding."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..errors import EmptyDocumentError
from ..schema import Notice
from .base import SourceText

# Characters that TCVN3 (.VnTime) text shows when read as Latin-1/cp1252 and that Vietnamese Unicode never uses.
_TCVN3 = re.compile(r"[µ¸¶·¹¨»¾¼½Æ©ÇÊËÌÎÏ×ØÜÝÞ¬®§ßñÖÕ]")
_VNI = re.compile(r"[aeiouyAEIOUY][øùûõïòóôñöâ]")


# Letters only Vietnamese Unicode text has (none of them is in Latin-1, so mojibake cannot fake them).
_COMMON_VIET = "ăđơưạảấầậếềệịọỏốồộớờợụủứừựắằặẩẫểễỉĩổỗởỡửữỳỷỹỵũ"


@lru_cache(maxsize=1)
def _tcvn3_table() -> dict[int, str]:
    from .. import lexicon

    return {int(k, 16): v for k, v in lexicon.load("tcvn3.json")["bytes"].items()}


def from_tcvn3(latin1_text: str) -> str:
    """TCVN3 bytes (seen as Latin-1 characters) → Unicode NFC."""
    return unicodedata.normalize("NFC", latin1_text.translate(_tcvn3_table()))


def _viet_ratio(text: str) -> float:
    sample = text[:50000]
    return sum(map(sample.count, _COMMON_VIET)) / (len(sample) or 1)


def decode(data: bytes) -> tuple[str, str]:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16"
    if len(data) >= 4 and data[:200].count(b"\x00") > len(data[:200]) // 4:
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(enc, errors="replace"), enc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    tcvn3 = from_tcvn3(data.decode("latin-1"))
    try:
        cp = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        cp = data.decode("latin-1")
    if _viet_ratio(tcvn3) > 2 * _viet_ratio(cp) and _viet_ratio(tcvn3) > 0.02:
        return tcvn3, "tcvn3"
    return cp, "cp1258"


def diagnose(text: str) -> list[Notice]:
    """Warnings about text that cannot be trusted: legacy encodings, replacement characters, lost diacritics."""
    notices = []
    sample = text[:200000]
    bad = sample.count("\ufffd")
    if bad > 5:
        notices.append(Notice(code="encoding.replacement_chars",
                              message=f"Văn bản có {bad} ký tự lỗi (U+FFFD): mã hóa bị hỏng."))
    head = sample[:5000]
    if sum(map(head.count, "ươđạếốộờệ")) > 0.01 * len(head):
        return notices  # healthy Vietnamese text: the costlier tests below cannot fire
    viet = sum(map(sample.count, _COMMON_VIET))
    letters = sum(map(str.isalpha, sample)) or 1
    if len(_TCVN3.findall(sample)) > max(20, letters * 0.01) and viet < letters * 0.02:
        notices.append(Notice(code="encoding.legacy_tcvn3",
                              message="Văn bản có vẻ dùng bảng mã TCVN3 (ABC) cũ, hiển thị sai dấu; cần chuyển sang Unicode."))
    elif len(_VNI.findall(sample)) > 50 and viet < letters * 0.02:
        notices.append(Notice(code="encoding.legacy_vni",
                              message="Văn bản có vẻ dùng bảng mã VNI cũ, hiển thị sai dấu; cần chuyển sang Unicode."))
    words = re.findall(r"[^\W\d_]+", sample)
    if len(words) > 200:
        singles = sum(1 for w in words if len(w) == 1) / len(words)
        if singles > 0.25 and viet < letters * 0.03:
            notices.append(Notice(code="encoding.damaged",
                                  message=f"Văn bản bị mất phần lớn chữ có dấu ({singles:.0%} từ chỉ còn một chữ cái); "
                                          "kết quả trích xuất không đầy đủ."))
    return notices


def read_txt_bytes(data: bytes, path: str | None = None) -> SourceText:
    text, encoding = decode(data)
    if not text.strip():
        raise EmptyDocumentError(path, "tệp rỗng, không có nội dung")
    src = SourceText(text=text, format="txt", path=path)
    if encoding == "tcvn3":
        src.notices.append(Notice(code="encoding.legacy_tcvn3",
                                  message="Tệp dùng bảng mã TCVN3 (ABC) cũ; đã chuyển sang Unicode để trích xuất."))
    elif encoding == "cp1258":
        src.notices.append(Notice(code="encoding.not_utf8",
                                  message="Tệp không phải UTF-8; đã đọc theo Windows-1258, có thể sai dấu."))
    src.notices.extend(diagnose(text))
    return src
