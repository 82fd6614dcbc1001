"""Plain text and Markdown: decode, and say when the text is damaged or in a legacy Vietnamese encoding."""
from __future__ import annotations

import re
import unicodedata

from ..errors import EmptyDocumentError, FileTooLargeError, NotTextError
from ..schema import Notice, Span
from .base import SourceText, text_bytes_cap
from .vni import convert, from_tcvn3, legacy_encoding, viet_ratio  # noqa: F401 (from_tcvn3: API)

# Characters that TCVN3 (.VnTime) text shows when read as Latin-1/cp1252 and that Vietnamese Unicode never uses.
_TCVN3 = re.compile(r"[µ¸¶·¹¨»¾¼½Æ©ÇÊËÌÎÏ×ØÜÝÞ¬®§ßñÖÕ]")
_VNI = re.compile(r"[aeiouyAEIOUY][øùûõïòóôñöâ]")


# Letters only Vietnamese Unicode text has (none of them is in Latin-1, so mojibake cannot fake them).
_WORD = re.compile(r"[^\W\d_]+")
_ONE_LETTER_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_](?![^\W\d_])")  # a _WORD of one letter
_COMMON_VIET = "ăđơưạảấầậếềệịọỏốồộớờợụủứừựắằặẩẫểễỉĩổỗởỡửữỳỷỹỵũ"


def legacy_notice(encoding: str) -> Notice:
    """Says a legacy file was converted (the codes stay those diagnose() gives text it cannot convert)."""
    name = "TCVN3 (ABC)" if encoding == "tcvn3" else "VNI"
    return Notice(code=f"encoding.legacy_{encoding}", message=f"Tệp dùng bảng mã {name} cũ; đã chuyển sang Unicode "
                                                              "để trích xuất.")


# Bytes no text file holds: C0 controls other than tab, newlines and form feed, and DEL. TCVN3 puts capital
# letters on 01, 02, 04-06 and 11-17, so those are not counted.
_BINARY_BYTES = bytes([0, 3, 7, 8, 0x0E, 0x0F, 0x10, *range(0x18, 0x20), 0x7F])
_BINARY_SHARE = 0.01  # of the first 64 KiB; real text has none
_BAD_UTF8_SHARE = 0.02  # bad bytes per valid non-ASCII letter below which a file is UTF-8 with damage


def _looks_binary(data: bytes) -> bool:
    """Control bytes text never has, or hardly a blank: Vietnamese puts a space after every syllable or two."""
    sample = data[:65536]
    if len(sample) - len(sample.translate(None, _BINARY_BYTES)) > _BINARY_SHARE * len(sample) or b"\x00" in sample:
        return True
    return len(sample) >= 64 and len(sample) - len(sample.translate(None, b" \t\n\r")) < 0.03 * len(sample)


def _implausible_share(text: str) -> float:
    """Share of characters no Vietnamese text has: controls, unassigned, private-use and surrogate code points,
    and scripts far from Latin (what binary data turns into when read as UTF-16)."""
    sample = text[:20000]
    bad = sum(1 for ch in sample if (o := ord(ch)) > 0x24F and not (0x300 <= o <= 0x36F or 0x1E00 <= o <= 0x20CF
                                                                     or 0x2100 <= o <= 0x2BFF or o == 0xFEFF)
              or unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs") and ch not in "\t\n\r\f\v")
    return bad / (len(sample) or 1)


def _utf8_with_damage(data: bytes) -> tuple[str, int, int] | None:
    """(text, bad bytes, offset of the first) when `data` is UTF-8 but for a few bad bytes (one flipped byte, a
    file cut inside a character); None when the bad bytes are too many for that: another encoding."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())  # an U+FFFD already in the file is not damage
    letters = len(text) - len(text.encode("ascii", "ignore")) - bad  # valid non-ASCII characters
    if bad <= 0 or bad > max(2, _BAD_UTF8_SHARE * letters):
        return None
    try:
        data.decode("utf-8")
        first = -1
    except UnicodeDecodeError as e:
        first = e.start
    return text, bad, first


def decode(data: bytes, path: str | None = None) -> tuple[str, str, list[Notice]]:
    """(text, encoding, notices). NotTextError for binary data, which no encoding turns into text."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "utf-16", []
    if len(data) >= 4 and data[:200].count(b"\x00") > len(data[:200]) // 4:
        enc = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        text = data.decode(enc, errors="replace")
        if _implausible_share(text) > 0.1:
            raise NotTextError(path, "tệp không phải văn bản (dữ liệu nhị phân), không đọc được")
        return text, enc, []
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    if _looks_binary(data):
        raise NotTextError(path, "tệp không phải văn bản (dữ liệu nhị phân), không đọc được")
    damaged = _utf8_with_damage(data)
    if damaged:
        text, bad, first = damaged
        return text, "utf-8", [Notice(code="encoding.invalid_utf8",
                                      message=f"Tệp UTF-8 có {bad} chỗ lỗi mã hóa (chỗ đầu tiên ở byte {first}); "
                                              "đã thay bằng ký tự U+FFFD, phần còn lại đọc bình thường.",
                                      span=_span_of_first(text))]
    latin1 = data.decode("latin-1")
    legacy = legacy_encoding(latin1)
    try:
        cp = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        cp = latin1
    if legacy and viet_ratio(convert(latin1, legacy)) > 2 * viet_ratio(cp):
        return convert(latin1, legacy), legacy, []
    return cp, "cp1258", []


def _vni_like(data: bytes) -> bool:
    """VNI writes an accent as a byte after its vowel ("ngaøy"); TCVN3 writes the accented vowel as one byte, so
    far fewer of its high bytes follow a vowel (at most 20 % on real text, against about 90 % for VNI)."""
    sample = data[:65536]
    high = after_vowel = 0
    for prev, b in zip(sample, sample[1:]):
        if b >= 0x80:
            high += 1
            after_vowel += prev in _ASCII_VOWELS
    return high >= 20 and after_vowel > 0.6 * high


_ASCII_VOWELS = frozenset(b"aeiouyAEIOUY")


def _span_of_first(text: str) -> Span | None:
    i = text.find("\ufffd")
    return Span(start=i, end=i + 1) if i >= 0 else None


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
    vni_like = _vni_like(sample.encode("latin-1", "replace"))
    if sum(map(bool, _TCVN3.finditer(sample))) > max(20, letters * 0.01) and viet < letters * 0.02 and not vni_like:
        notices.append(Notice(code="encoding.legacy_tcvn3",
                              message="Văn bản có vẻ dùng bảng mã TCVN3 (ABC) cũ, hiển thị sai dấu; cần chuyển sang Unicode."))
    elif (sum(map(bool, _VNI.finditer(sample))) > 50 or vni_like) and viet < letters * 0.02:
        notices.append(Notice(code="encoding.legacy_vni",
                              message="Văn bản có vẻ dùng bảng mã VNI cũ, hiển thị sai dấu; cần chuyển sang Unicode."))
    words = sum(map(bool, _WORD.finditer(sample)))  # counted, not listed: a list of every word costs 8x the text
    if words > 200:
        singles = sum(map(bool, _ONE_LETTER_WORD.finditer(sample))) / words
        if singles > 0.25 and viet < letters * 0.03:
            notices.append(Notice(code="encoding.damaged",
                                  message=f"Văn bản bị mất phần lớn chữ có dấu ({singles:.0%} từ chỉ còn một chữ cái); "
                                          "kết quả trích xuất không đầy đủ."))
    return notices


def read_txt_bytes(data: bytes, path: str | None = None) -> SourceText:
    if len(data) > (cap := text_bytes_cap()):  # too large before decoding: decoding would cost it all again
        raise FileTooLargeError(path, f"tệp văn bản quá lớn ({len(data) / 1e6:.1f} MB > {cap / 1e6:.1f} MB); "
                                      "giới hạn đặt bằng DOCPARSE_MAX_TEXT_BYTES")
    text, encoding, notices = decode(data, path)
    if not text.strip():
        raise EmptyDocumentError(path, "tệp rỗng, không có nội dung")
    src = SourceText(text=text, format="txt", path=path, notices=notices)
    if encoding in ("tcvn3", "vni"):
        src.notices.append(legacy_notice(encoding))
    elif encoding == "cp1258":
        src.notices.append(Notice(code="encoding.not_utf8",
                                  message="Tệp không phải UTF-8; đã đọc theo Windows-1258, có thể sai dấu."))
    reported = {n.code for n in notices}
    src.notices.extend(n for n in diagnose(text) if not (n.code == "encoding.replacement_chars"
                                                         and "encoding.invalid_utf8" in reported))
    return src
