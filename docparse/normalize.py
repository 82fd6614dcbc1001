"""Offset-preserving normalisation.

Extractors match on a cleaned text (NFC, one Đ, one tone placement, no markup, references re-joined across line
breaks) but every record must point into the text as read. Each step rewrites the text with `_rewrite`, which
carries, for every output character, the [start, end) range of original characters it came from.
"""
from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable

from .schema import Notice, Span

_COMBINING = re.compile(r"[^\u0300-\u036f][\u0300-\u036f]+")
_SAME_LENGTH = {"\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ", "\u0256": "đ", "\u00a0": " ", "\u2007": " ",
                "\u202f": " ", "\u3000": " ", "\u2010": "-", "\u2011": "-"}
_SAME_LENGTH_RE = re.compile("[" + "".join(_SAME_LENGTH) + "]")
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u00ad\u2060"
_INVISIBLE_RE = re.compile("[" + _INVISIBLE + "]+")

# Markdown emphasis and inline HTML left over from conversions. A lone "*" (footnote mark, Party asterisk) goes too:
# it never carries meaning for extraction. Patterns start with a literal so the scan stays in C.
_STARS_RE = re.compile(r"\*+")
_TAG_RE = re.compile(r"</?(?:i|b|u|em|strong|sup|sub|span|p|br|font|a)\b[^<>]{0,200}>", re.IGNORECASE)
_HTML_BLOCK_RE = re.compile(r"<!--.*?-->|<(style|script|xml)\b.*?</\1\s*>|<!\[.*?\]>|<[a-zA-Z/!][^<>]{0,2000}>",
                            re.IGNORECASE | re.DOTALL)
_ENTITY_RE = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")

# A reference or date broken by a hard line break: "1420/QĐ-\nUBND", "29-\nCT/TU", "45/\n2017/NĐ-CP".
_HYPHEN_BREAK_RE = re.compile(r"-(?<=[A-Za-zĐđ0-9]-)[ \t]*\r?\n[ \t\r\n]*(?=[A-ZĐ0-9])")
_SLASH_BREAK_RE = re.compile(r"/(?<=\d/)[ \t]*\r?\n[ \t\r\n]*(?=[A-ZĐ0-9])")

# New-style tone placement on open "oa", "oe", "uy" syllables (hoà, khoẻ, thuỷ) → old style (hòa, khỏe, thủy), the
# form underthesea also outputs. Only syllable-final pairs differ, and "qu" + y is a consonant + vowel, not a pair.
_TONES = "\u0300\u0301\u0309\u0303\u0323"


def _build_tone_map() -> dict[str, str]:
    table = {}
    for first, seconds in (("oO", "aAeE"), ("uU", "yY")):
        for f in first:
            for s in seconds:
                for mark in _TONES:
                    new = f + unicodedata.normalize("NFC", s + mark)
                    old = unicodedata.normalize("NFC", f + mark) + s
                    table[new] = old
    return table


_TONE_MAP = _build_tone_map()
_TONE_SECOND = "".join(sorted({k[1] for k in _TONE_MAP}))
_TONE_PAIR_RE = re.compile("[oOuU][" + _TONE_SECOND + r"](?<![qQ]..)(?![^\W\d_])")


def _tone(m: re.Match) -> str:
    return _TONE_MAP.get(m.group(0), m.group(0))


# Letters of other scripts that look like Latin capitals, and fullwidth forms, typed inside a code ("NĐ-CР" with a
# Cyrillic Р, "BТС"): mapped one to one, so the offset map does not change. Only tokens that also hold a Latin
# letter or digit are touched: a word written in Cyrillic stays as it is.
_LOOKALIKE = dict(zip("АВСЕНІЈКМОРЅТХУаесорхуіјѕΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABCEHIJKMOPSTXYaecopxyijsABEZHIKMNOPTYX"))
_LOOKALIKE.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
_LOOKALIKE_CLASS = "".join(_LOOKALIKE).replace("-", "").replace("]", "").replace("\\", "").replace("^", "")
_LOOKALIKE_RE = re.compile("[A-Za-z0-9ĐđÐ/&.\\-" + _LOOKALIKE_CLASS + "]*[" + _LOOKALIKE_CLASS + "][A-Za-z0-9ĐđÐ/&.\\-"
                           + _LOOKALIKE_CLASS + "]*")
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9Đđ]")
# A stray space around the hyphen of a code: "78/2021/NĐ -CP", "12/QĐ - UBND".
_CODE_SPACE_RE = re.compile(r"(?<=\d/)((?:(?:19|20)\d{2}/)?[A-ZĐ][A-Za-zĐđ]{0,5})(?: +- *| *- +)([A-ZĐ]{2,}\b)")


@dataclass
class NormText:
    """`text` is the cleaned text; `orig_span` maps a range of it back to the original.

    The map is piecewise: segment k covers cleaned [ns[k], ns[k]+nl[k]) and came from original [os[k], os[k]+ol[k]).
    A "copy" segment maps character to character; a replacement maps each of its characters to the whole original
    range. Same-length rewrites (Đ look-alikes, tone placement) leave the map untouched, so the common case costs
    nothing but the text substitution."""

    original: str
    text: str
    ns: list[int]
    os: list[int]
    nl: list[int]
    ol: list[int]
    cp: list[bool]
    notices: list = field(default_factory=list)  # repairs a reviewer should know of (schema.Notice)

    @classmethod
    def identity(cls, text: str) -> "NormText":
        return cls(text, text, [0], [0], [len(text)], [len(text)], [True])

    def _seg(self, i: int) -> int:
        return max(0, bisect_right(self.ns, i) - 1)

    def orig_start(self, i: int) -> int:
        if i >= len(self.text):
            return len(self.original)
        k = self._seg(i)
        return self.os[k] + (i - self.ns[k]) if self.cp[k] else self.os[k]

    def orig_end(self, i: int) -> int:
        """Exclusive original end of cleaned character i."""
        k = self._seg(i)
        return self.os[k] + (i - self.ns[k]) + 1 if self.cp[k] else self.os[k] + self.ol[k]

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the cleaned range [start, end)."""
        if end <= start:
            pos = self.orig_start(start)
            return pos, pos
        return self.orig_start(start), self.orig_end(end - 1)

    def to_norm(self, orig: int) -> int:
        """The first cleaned position whose original start is at or after `orig`."""
        k = max(0, bisect_right(self.os, orig) - 1)
        if self.cp[k]:
            return self.ns[k] + min(max(orig - self.os[k], 0), self.nl[k])
        return self.ns[k] + (0 if orig <= self.os[k] else self.nl[k])

    def delete(self, pattern: re.Pattern) -> None:
        """Remove every match (markup); the cheap path when the map is still the identity."""
        if not _is_identity(self):
            _rewrite(self, pattern, lambda m: "")
            return
        parts = re.split("(" + pattern.pattern + ")", self.text, flags=pattern.flags)
        if len(parts) == 1:
            return
        kept, os_, ns = [], [], []
        pos = out = 0
        for i, part in enumerate(parts):  # even items are kept text, odd ones the deleted markup
            if i % 2 == 0 and part:
                kept.append(part)
                os_.append(pos)
                ns.append(out)
                out += len(part)
            pos += len(part)
        if not kept:
            kept, os_, ns = [""], [pos], [0]
        self.text = "".join(kept)
        self.os, self.ns = os_, ns
        self.nl = [len(k) for k in kept]
        self.ol = list(self.nl)
        self.cp = [True] * len(kept)

    def rewrite(self, pattern: re.Pattern, repl: Callable[[re.Match], str], *, same_length: bool = False) -> None:
        if same_length:
            self.text = pattern.sub(repl, self.text)
        else:
            _rewrite(self, pattern, repl)


def _is_identity(nt: NormText) -> bool:
    return len(nt.ns) == 1 and nt.cp[0] and nt.ns[0] == 0 and nt.os[0] == 0 and nt.nl[0] == len(nt.text)


def _rewrite(nt: NormText, pattern: re.Pattern, repl: Callable[[re.Match], str]) -> None:
    text = nt.text
    pieces: list[str] = []
    ns: list[int] = []
    os_: list[int] = []
    nl: list[int] = []
    ol: list[int] = []
    cp: list[bool] = []
    pos = 0  # in the current text
    out = 0  # in the new text
    k = 0  # current segment index

    def carry(a: int, b: int) -> None:
        """Copy the map of current [a, b) to the new text at `out`."""
        nonlocal k, out
        while k < len(nt.ns) and nt.ns[k] + nt.nl[k] <= a:
            k += 1
        j = k
        while j < len(nt.ns) and nt.ns[j] < b:
            lo, hi = max(nt.ns[j], a), min(nt.ns[j] + nt.nl[j], b)
            if hi > lo:
                ns.append(out + lo - a)
                nl.append(hi - lo)
                cp.append(nt.cp[j])
                if nt.cp[j]:
                    os_.append(nt.os[j] + lo - nt.ns[j])
                    ol.append(hi - lo)
                else:
                    os_.append(nt.os[j])
                    ol.append(nt.ol[j])
            j += 1
        out += b - a

    changed = False
    for m in pattern.finditer(text):
        a, b = m.span()
        r = repl(m)
        if r == m.group(0):
            continue
        changed = True
        pieces.append(text[pos:a])
        carry(pos, a)
        if r:
            lo = nt.orig_start(a)
            hi = nt.orig_end(b - 1) if b > a else lo
            pieces.append(r)
            ns.append(out)
            nl.append(len(r))
            os_.append(lo)
            ol.append(hi - lo)
            cp.append(False)
            out += len(r)
        pos = b
    if not changed:
        return
    pieces.append(text[pos:])
    carry(pos, len(text))
    if not ns:
        ns, os_, nl, ol, cp = [0], [len(nt.original)], [0], [0], [True]
    nt.text = "".join(pieces)
    nt.ns, nt.os, nt.nl, nt.ol, nt.cp = ns, os_, nl, ol, cp


def looks_like_html(text: str) -> bool:
    head = text[:5000].lower()
    return "<html" in head or head.count("<td") + head.count("<p") + head.count("<div") > 5


def _entity(m: re.Match) -> str:
    s = html.unescape(m.group(0))
    return " " if s == "\u00a0" else s


def normalize(text: str, *, strip_html: bool | None = None) -> NormText:
    nt = NormText.identity(text)
    if strip_html is None:
        strip_html = looks_like_html(text)
    if strip_html:
        nt.rewrite(_HTML_BLOCK_RE, lambda m: "\n" if m.group(0)[:3].lower() in ("<p ", "<p>", "<br", "<tr", "<di")
                   else " " if m.group(0)[:3].lower() in ("<td", "</t") else "")
        nt.rewrite(_ENTITY_RE, _entity)
    if not unicodedata.is_normalized("NFC", nt.text):
        nt.rewrite(_COMBINING, lambda m: unicodedata.normalize("NFC", m.group(0)))
    if any(c in nt.text for c in _SAME_LENGTH):  # str.__contains__ is far cheaper than a class scan
        nt.rewrite(_SAME_LENGTH_RE, lambda m: _SAME_LENGTH[m.group(0)], same_length=True)
    if any(c in nt.text for c in _INVISIBLE):
        nt.delete(_INVISIBLE_RE)
    _repair_codes(nt)
    if "*" in nt.text:
        nt.delete(_STARS_RE)
    if "<" in nt.text:
        nt.delete(_TAG_RE)
    nt.rewrite(_TONE_PAIR_RE, _tone, same_length=True)
    nt.rewrite(_HYPHEN_BREAK_RE, lambda m: "-")
    nt.rewrite(_SLASH_BREAK_RE, lambda m: "/")
    return nt


def _repair_codes(nt: NormText) -> None:
    """Look-alike letters and stray spaces inside codes, repaired so one code is not read as two, each reported as a
    notice with its span in the original text."""
    if any(c in nt.text for c in _LOOKALIKE):
        def lookalike(m: re.Match) -> str:
            token = m.group(0)
            fixed = "".join(_LOOKALIKE.get(c, c) for c in token)
            if not _LATIN_OR_DIGIT.search(token) or fixed == token:
                return token
            a, b = nt.orig_span(*m.span())
            nt.notices.append(Notice(code="text.lookalike_repaired", span=Span(start=a, end=b),
                                     message=f"Ký tự giống chữ Latinh nhưng thuộc bảng mã khác trong \"{token}\": "
                                             f"đọc là \"{fixed}\"."))
            return fixed
        nt.rewrite(_LOOKALIKE_RE, lookalike, same_length=True)
    if " -" in nt.text or "- " in nt.text:
        def space(m: re.Match) -> str:
            a, b = nt.orig_span(*m.span())
            fixed = f"{m.group(1)}-{m.group(2)}"
            nt.notices.append(Notice(code="text.code_space_repaired", span=Span(start=a, end=b),
                                     message=f"Dấu cách thừa trong ký hiệu \"{m.group(0)}\": đọc là \"{fixed}\"."))
            return fixed
        nt.rewrite(_CODE_SPACE_RE, space)


def canonical(s: str) -> str:
    """The matching form of a short string: NFC, one Đ, old-style tones, no markup, single spaces."""
    s = unicodedata.normalize("NFC", s)
    s = _SAME_LENGTH_RE.sub(lambda m: _SAME_LENGTH[m.group(0)], s)
    s = _STARS_RE.sub("", _INVISIBLE_RE.sub("", s))
    return " ".join(_TONE_PAIR_RE.sub(_tone, s).split())


def fold(s: str) -> str:
    """Accent- and case-insensitive key (đ → d) for lookups that must survive damaged diacritics."""
    s = unicodedata.normalize("NFD", canonical(s).lower()).replace("đ", "d")
    return "".join(c for c in s if not unicodedata.combining(c))
