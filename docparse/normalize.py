"""Offset-preserving normalisation.

Extractors match on a cleaned text (NFC, one Đ, one tone placement, no markup, references re-joined across line
breaks) but every record must point into the text as read. Each step rewrites the text with `_rewrite`, which
carries, for every output character, the [start, end) range of original characters it came from.
"""
from __future__ import annotations

import html
import re
import unicodedata
from array import array
from dataclasses import dataclass
from typing import Callable

_COMBINING = re.compile(r"[^\u0300-\u036f][\u0300-\u036f]+")
_LOOKALIKES = {"\u00d0": "Đ", "\u0189": "Đ", "\u00f0": "đ", "\u0256": "đ", "\u00a0": " ", "\u2007": " ",
               "\u202f": " ", "\u3000": " ", "\u2010": "-", "\u2011": "-", "\ufeff": "", "\u200b": "",
               "\u200c": "", "\u200d": "", "\u00ad": "", "\u2060": ""}
_LOOKALIKE_RE = re.compile("[" + "".join(_LOOKALIKES) + "]")

# Markdown emphasis and inline HTML left over from conversions. A lone "*" (footnote mark, Party asterisk) goes too:
# it never carries meaning for extraction.
_MARKUP_RE = re.compile(r"\*+|</?(?:i|b|u|em|strong|sup|sub|span|p|br|font|a)\b[^<>]{0,200}>", re.IGNORECASE)
_HTML_BLOCK_RE = re.compile(r"<!--.*?-->|<(style|script|xml)\b.*?</\1\s*>|<!\[.*?\]>|<[a-zA-Z/!][^<>]{0,2000}>",
                            re.IGNORECASE | re.DOTALL)
_ENTITY_RE = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});")

# A reference or date broken by a hard line break: "1420/QĐ-\nUBND", "29-\nCT/TU", "45/\n2017/NĐ-CP".
_HYPHEN_BREAK_RE = re.compile(r"(?<=[A-Za-zĐđ0-9])-[ \t]*\r?\n[ \t\r\n]*(?=[A-ZĐ0-9])")
_SLASH_BREAK_RE = re.compile(r"(?<=\d)/[ \t]*\r?\n[ \t\r\n]*(?=[A-ZĐ0-9])")

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
_TONE_PAIR_RE = re.compile("(?<![qQ])(" + "|".join(sorted(_TONE_MAP, key=len, reverse=True)) + r")(?![^\W\d_])")


@dataclass
class NormText:
    """`text` is the cleaned text; `starts[i]`/`ends[i]` the original range of its i-th character."""

    original: str
    text: str
    starts: array
    ends: array

    @classmethod
    def identity(cls, text: str) -> "NormText":
        n = len(text)
        return cls(text, text, array("l", range(n)), array("l", range(1, n + 1)))

    def orig_span(self, start: int, end: int) -> tuple[int, int]:
        """Original [start, end) of the cleaned range [start, end)."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else len(self.original)
            return pos, pos
        return self.starts[start], self.ends[end - 1]

    def rewrite(self, pattern: re.Pattern, repl: Callable[[re.Match], str]) -> None:
        _rewrite(self, pattern, repl)


def _rewrite(nt: NormText, pattern: re.Pattern, repl: Callable[[re.Match], str]) -> None:
    text, starts, ends = nt.text, nt.starts, nt.ends
    pieces: list[str] = []
    new_starts = array("l")
    new_ends = array("l")
    pos = 0
    changed = False
    for m in pattern.finditer(text):
        a, b = m.span()
        r = repl(m)
        if r == m.group(0):
            continue
        changed = True
        pieces.append(text[pos:a])
        new_starts.extend(starts[pos:a])
        new_ends.extend(ends[pos:a])
        if r:
            pieces.append(r)
            if len(r) == b - a:
                new_starts.extend(starts[a:b])
                new_ends.extend(ends[a:b])
            else:
                lo = starts[a] if b > a else (starts[a] if a < len(starts) else len(nt.original))
                hi = ends[b - 1] if b > a else lo
                new_starts.extend([lo] * len(r))
                new_ends.extend([hi] * len(r))
        pos = b
    if not changed:
        return
    pieces.append(text[pos:])
    new_starts.extend(starts[pos:])
    new_ends.extend(ends[pos:])
    nt.text = "".join(pieces)
    nt.starts, nt.ends = new_starts, new_ends


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
    nt.rewrite(_LOOKALIKE_RE, lambda m: _LOOKALIKES[m.group(0)])
    nt.rewrite(_MARKUP_RE, lambda m: "")
    nt.rewrite(_TONE_PAIR_RE, lambda m: _TONE_MAP[m.group(0)])
    nt.rewrite(_HYPHEN_BREAK_RE, lambda m: "-")
    nt.rewrite(_SLASH_BREAK_RE, lambda m: "/")
    return nt


def canonical(s: str) -> str:
    """The matching form of a short string: NFC, one Đ, old-style tones, single spaces."""
    nt = normalize(s, strip_html=False)
    return " ".join(nt.text.split())


def fold(s: str) -> str:
    """Accent- and case-insensitive key (đ → d) for lookups that must survive damaged diacritics."""
    s = unicodedata.normalize("NFD", canonical(s).lower()).replace("đ", "d")
    return "".join(c for c in s if not unicodedata.combining(c))
