"""Legacy Vietnamese encodings converted to Unicode: VNI (a base letter followed by mark bytes, "ngaøy") and TCVN3
(one byte per letter), from tables generated from authoritative converters (scripts/make_vni_table.py: GNU recode;
scripts/make_tcvn3_table.py: glibc iconv).

Text from a plain file is seen as Latin-1 characters (one per byte). Text from a DOCX or PDF set in a legacy font
(VNI-Times, .VnTime) arrives as Windows-1252 characters instead: `legacy_chars` maps those back to their bytes first.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Windows-1252 characters of bytes 0x80-0x9F, back to the Latin-1 character of the byte (TCVN3 puts letters there)
_CP1252_TO_BYTE = {ord(bytes([b]).decode("cp1252")): chr(b) for b in range(0x80, 0xA0)
                   if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}


def legacy_chars(text: str) -> str:
    """Text decoded as Windows-1252 → the same bytes as Latin-1 characters (what the tables are keyed on)."""
    return text.translate(_CP1252_TO_BYTE)


@lru_cache(maxsize=1)
def _vni():
    from .. import lexicon

    table = lexicon.load("vni.json")["sequences"]
    keys = sorted(table, key=len, reverse=True)  # "oâ" (ô) before a lone "â" could match anything shorter
    return table, re.compile("|".join(map(re.escape, keys)))


def from_vni(text: str) -> str:
    """VNI text (Latin-1 or Windows-1252 characters) → Unicode NFC."""
    table, pattern = _vni()
    return unicodedata.normalize("NFC", pattern.sub(lambda m: table[m.group()], legacy_chars(text)))


@lru_cache(maxsize=1)
def _tcvn3() -> dict[int, str]:
    from .. import lexicon

    return {int(k, 16): v for k, v in lexicon.load("tcvn3.json")["bytes"].items()}


def from_tcvn3(text: str) -> str:
    """TCVN3 text (Latin-1 or Windows-1252 characters) → Unicode NFC."""
    return unicodedata.normalize("NFC", legacy_chars(text).translate(_tcvn3()))


# Letters only Vietnamese Unicode text has (none is in Latin-1 or Windows-1252, so a legacy text cannot fake them)
_VIET = "ăđơưạảấầậếềệịọỏốồộớờợụủứừựắằặẩẫểễỉĩổỗởỡửữỳỷỹỵũ"
_HIGH = re.compile("[\x80-\xff]")


def viet_ratio(text: str) -> float:
    sample = text[:50000]
    return sum(map(sample.count, _VIET)) / (len(sample) or 1)


def vni_like(text: str) -> bool:
    """Whether the high characters of `text` (Latin-1/Windows-1252) are VNI's: in VNI nearly every one is part of a
    letter's sequence ("aø", "ôù") or a one-byte letter ("ñ" for đ), about 100 % on real text; TCVN3 text, one byte
    per marked letter, has far fewer of its bytes in such places (under half)."""
    sample = legacy_chars(text[:65536])
    high = len(_HIGH.findall(sample))
    if high < 20:
        return False
    covered = sum(len(_HIGH.findall(m.group())) for m in _vni()[1].finditer(sample))
    return covered > 0.8 * high


_WORD = re.compile(r"\S*[A-Za-z\x01-\x08\x11-\x17\x80-\xff]\S*")
_MARKED = re.compile("[\x01-\x08\x11-\x17\x80-\xff]")


def _marked_word_share(chars: str) -> float:
    """Share of the words with a legacy byte (TCVN3 puts capitals on some control bytes): 64 % or more in every
    corpus document converted to TCVN3, 25 % in a French sentence with an accent in every other word."""
    words = _WORD.findall(chars)
    return sum(1 for w in words if _MARKED.search(w)) / (len(words) or 1)


def legacy_encoding(text: str) -> str | None:
    """"vni" or "tcvn3" when `text` (Latin-1/Windows-1252 characters) is Vietnamese in that encoding: 40 % of its
    words hold a legacy byte, and converting it gives at least 2 % Vietnamese-only letters and twice as many as the
    text has as it is; else None."""
    if viet_ratio(text) > 0.01:
        return None  # already Unicode Vietnamese
    chars = legacy_chars(text[:65536])
    if any(ch > "\xff" for ch in chars):
        return None  # a character no legacy font writes (a Unicode quote or dash is fine: cp1252 has them)
    if _marked_word_share(chars) < 0.4:
        return None  # a Western text with a few accents ("café"), not a Vietnamese one
    vni = vni_like(chars)
    converted = from_vni(chars) if vni else from_tcvn3(chars)
    ratio = viet_ratio(converted)
    if ratio > 0.02 and ratio > 2 * viet_ratio(chars):
        return "vni" if vni else "tcvn3"
    return None


def convert(text: str, encoding: str) -> str:
    return from_vni(text) if encoding == "vni" else from_tcvn3(text)
