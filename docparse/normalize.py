"""Offset-preserving normalisation.

Extractors match on a cleaned text (NFC, one Đ, one tone placement, no markup, references re-joined across line
breaks) but every record must point into the text as read. Each step rewrites the text with `_rewrite`, which
carries, for every output character, the [start, end) range of original characters it came from.
"""
from __future__ import annotations

import html
import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, compress
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
# the same matches as _TONE_PAIR_RE.finditer, from one pattern per first letter: a pattern that opens with a literal
# is scanned in C twice as fast as one opening with a class (two matches never overlap: a second letter is no o/u)
_TONE_PAIR_BY_FIRST = tuple(re.compile(first + "[" + _TONE_SECOND + r"](?<![qQ]..)(?![^\W\d_])") for first in "oOuU")


def _tone(m: re.Match) -> str:
    return _TONE_MAP.get(m.group(0), m.group(0))


def _retone(text: str) -> str:
    """_TONE_PAIR_RE.sub(_tone, text)."""
    found = sorted((m.start(), m.group(0)) for p in _TONE_PAIR_BY_FIRST for m in p.finditer(text))
    if not found:
        return text
    pieces, pos = [], 0
    for a, pair in found:
        pieces.append(text[pos:a])
        pieces.append(_TONE_MAP.get(pair, pair))
        pos = a + 2
    pieces.append(text[pos:])
    return "".join(pieces)


# Letters of other scripts that look like Latin capitals, and fullwidth forms, typed inside a code ("NĐ-CР" with a
# Cyrillic Р, "BТС"): mapped one to one, so the offset map does not change. Only tokens that also hold a Latin
# letter or digit are touched: a word written in Cyrillic stays as it is.
_LOOKALIKE = dict(zip("АВСЕНІЈКМОРЅТХУаесорхуіјѕΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABCEHIJKMOPSTXYaecopxyijsABEZHIKMNOPTYX"))
_LOOKALIKE.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
_LOOKALIKE_CLASS = "".join(_LOOKALIKE).replace("-", "").replace("]", "").replace("\\", "").replace("^", "")
_LOOKALIKE_RE = re.compile("[A-Za-z0-9ĐđÐ/&.\\-" + _LOOKALIKE_CLASS + "]*[" + _LOOKALIKE_CLASS + "][A-Za-z0-9ĐđÐ/&.\\-"
                           + _LOOKALIKE_CLASS + "]*")
_LOOKALIKE_ANY = re.compile("[" + re.escape("".join(_LOOKALIKE)) + "]")  # one scan instead of one per letter
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9Đđ]")
# any character the same-length, invisible or look-alike steps act on: one scan tells the three steps whether they
# have anything to do (neither of the first two makes a character of the others)
_RARE_RE = re.compile("[" + re.escape("".join(_LOOKALIKE) + "".join(_SAME_LENGTH) + _INVISIBLE) + "]")
# A stray space around the hyphen of a code: "78/2021/NĐ -CP", "12/QĐ - UBND".
_CODE_SPACE_BODY = r"((?:(?:19|20)\d{2}/)?[A-ZĐ][A-Za-zĐđ]{0,5})(?: +- *| *- +)([A-ZĐ]{2,}\b)"
_CODE_SPACE_RE = re.compile(r"(?<=\d/)" + _CODE_SPACE_BODY)
# where it can match: the "/" before it, found as a literal (a pattern opening with a look-behind runs the engine at
# every position, 16× slower on the corpus)
_CODE_SPACE_AT = re.compile(r"/(?<=\d/)(?=" + _CODE_SPACE_BODY + ")")


class _Anchored:
    """`pattern.finditer` answered from a cheap scan for where a match can start: `at` finds a literal one character
    before each possible start, `pattern` is matched right after it; the matches are those of `pattern.finditer`."""

    def __init__(self, pattern: re.Pattern, at: re.Pattern):
        self.pattern, self.at = pattern, at

    def finditer(self, text: str):
        end = 0
        for hint in self.at.finditer(text):
            if hint.end() < end:
                continue
            m = self.pattern.match(text, hint.end())
            if m:
                end = m.end()
                yield m


_CODE_SPACE = _Anchored(_CODE_SPACE_RE, _CODE_SPACE_AT)


# Words glued together by PDF extraction, each repaired by one inserted space (the cleaned space maps onto the glued
# word, so spans still point into the original): a number word before its digits ("số63/2014", "năm2020",
# "tháng12"), a date word or "của" after digits ("09tháng", "27/6/2025của"), a word after a code's capital letters
# ("381/ĐA-CPngày"), "và"/"của" before a capital ("vàĐề án"). Only places where no Vietnamese word can be read.
# Two scans find them, each starting with a character class so re runs in C: a letter that ends one of those words
# right before a digit or a capital, and a digit or capital right before one of the words after; the word itself
# and its boundary are checked in Python, on the few matches.
_BEFORE_DIGIT_WORDS = ("số", "Số", "SỐ", "ngày", "Ngày", "NGÀY", "tháng", "Tháng", "THÁNG", "năm", "Năm", "NĂM")
_BEFORE_CAPITAL_WORDS = ("và", "của")
_GLUED_LETTER_RE = re.compile(r"[ốỐyYgGmMàa](?=[\dA-ZĐ])")
_GLUED_NEXT_RE = re.compile(r"[0-9A-ZĐg](?=(?:ngày|tháng|năm|của|về|và|tại)(?![^\W\d_]))")
_AFTER_DIGIT_WORDS = ("ngày", "tháng", "năm", "của")
# Where either can match, in one scan opening with a class of what follows a glued letter (digits of any script,
# capitals), far rarer than the letters themselves: the characters _GLUED_LETTER_RE's look-ahead accepts (every
# decimal digit of the Basic Multilingual Plane, any character beyond it, checked again in Python) with a glued letter
# before, or _GLUED_NEXT_RE's characters but "g" with a word after; the "g" ones come from a scan of their own.
_NEXT_WORDS = ("ngày", "tháng", "năm", "của", "về", "và", "tại")
_GLUED_AT_RE = re.compile("[0-9A-ZĐ" + "".join(chr(c) for c in range(0x80, 0x10000) if chr(c).isdecimal())
                          + "\U00010000-\U0010ffff](?:(?<=[ốỐyYgGmMàa].)|(?=" + "|".join(_NEXT_WORDS) + "))")
_GLUED_G_RE = re.compile("g(?=" + "|".join(_NEXT_WORDS) + ")")
_CODE_TAIL_RE = re.compile(r"(?<![\w/])\d{1,6}/(?:(?:19|20)\d{2}/)?[A-ZĐ][A-ZĐ0-9&]*(?:-(?:TTg|[A-ZĐ][A-ZĐ0-9&]*))*$")
# A word written twice before a number ("ngày ngày 09 tháng 9", "Nghị định số số 12/…"); "mã số số 01/CV" (the
# code number, then its "số") is not doubled. The pair becomes one word mapped onto both, so no letter leaves the map.
_GLUE_WORDS = "|".join(_BEFORE_DIGIT_WORDS)
_DOUBLED_RE = re.compile(r"(" + _GLUE_WORDS + r")\s+(" + _GLUE_WORDS + r")(?=\s*\d)")
_DOUBLED_HINTS = ("ngày ngày", "số số", "số\nsố", "ngày\nngày")  # the scan runs where one of these is (the corpus's)
# whether one of them is there, in two scans from a rarer letter (half the time of four substring tests)
_DOUBLED_AT = (re.compile("ố(?<=số)[ \n]số"), re.compile("à(?<=ngà)y[ \n]ngày"))


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
        """Original [start, end) of the cleaned range [start, end): orig_start and orig_end inlined (one call per
        record of every layer)."""
        ns, os_, cp = self.ns, self.os, self.cp
        if start >= len(self.text):
            s = len(self.original)
        else:
            k = bisect_right(ns, start) - 1
            k = k if k > 0 else 0
            s = os_[k] + (start - ns[k]) if cp[k] else os_[k]
        if end <= start:
            return s, s
        i = end - 1
        k = bisect_right(ns, i) - 1
        k = k if k > 0 else 0
        return s, os_[k] + (i - ns[k]) + 1 if cp[k] else os_[k] + self.ol[k]

    def orig_spans(self, ranges) -> list[tuple[int, int]]:
        """[self.orig_span(a, b) for a, b in ranges], in one pass (a layer maps all its records at once)."""
        n_text, n_orig = len(self.text), len(self.original)
        if _is_identity(self) and n_orig == n_text:
            return [(s, s) if b <= a else (s, b) for a, b in ranges for s in (a if a < n_text else n_orig,)]
        ns, os_, ol, cp = self.ns, self.os, self.ol, self.cp
        out = []
        for a, b in ranges:
            if a >= n_text:
                s = n_orig
            else:
                k = bisect_right(ns, a) - 1
                k = k if k > 0 else 0
                s = os_[k] + (a - ns[k]) if cp[k] else os_[k]
            if b <= a:
                out.append((s, s))
                continue
            i = b - 1
            k = bisect_right(ns, i) - 1
            k = k if k > 0 else 0
            out.append((s, os_[k] + (i - ns[k]) + 1 if cp[k] else os_[k] + ol[k]))
        return out

    def to_norms(self, offsets) -> list[int]:
        """[self.to_norm(o) for o in offsets], in one pass."""
        if _is_identity(self) and len(self.original) == len(self.text):
            n = len(self.text)
            return [o if 0 <= o <= n else (0 if o < 0 else n) for o in offsets]
        ns, os_, nl, cp = self.ns, self.os, self.nl, self.cp
        out = []
        for o in offsets:
            k = bisect_right(os_, o) - 1
            k = k if k > 0 else 0
            if cp[k]:
                d = o - os_[k]
                out.append(ns[k] + (0 if d < 0 else d if d < nl[k] else nl[k]))
            else:
                out.append(ns[k] + (0 if o <= os_[k] else nl[k]))
        return out

    def to_norm(self, orig: int) -> int:
        """The first cleaned position whose original start is at or after `orig`."""
        k = max(0, bisect_right(self.os, orig) - 1)
        if self.cp[k]:
            return self.ns[k] + min(max(orig - self.os[k], 0), self.nl[k])
        return self.ns[k] + (0 if orig <= self.os[k] else self.nl[k])

    def delete(self, pattern: re.Pattern) -> None:
        """Remove every match (markup); the cheap path when the map is still the identity."""
        if not _is_identity(self):
            _delete_matches(self, pattern)
            return
        parts = _captured(pattern).split(self.text)
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

    def delete_char(self, ch: str, pattern: re.Pattern) -> None:
        """delete(pattern) where pattern matches the runs of the one character `ch` ("*"): on the identity map
        str.split finds them, four times faster than re.split."""
        if not _is_identity(self):
            _delete_matches(self, pattern)
            return
        pieces = self.text.split(ch)
        if len(pieces) == 1:
            return
        lens = list(map(len, pieces))
        kept = list(filter(None, pieces))
        if not kept:
            kept, os_, nl = [""], [len(self.text)], [0]
        else:
            os_ = list(compress(accumulate([n + 1 for n in lens], initial=0), lens))
            nl = list(filter(None, lens))
        ns = list(accumulate(nl, initial=0))
        ns.pop()
        self.text = "".join(kept)
        self.os, self.ns, self.nl, self.ol, self.cp = os_, ns, nl, list(nl), [True] * len(kept)

    def rewrite(self, pattern: re.Pattern, repl: Callable[[re.Match], str], *, same_length: bool = False) -> None:
        if same_length:
            self.text = pattern.sub(repl, self.text)
        else:
            _rewrite(self, pattern, repl)


def lower_text(text: str, piece: int = 2048) -> str:
    """text.lower(), made a piece of about `piece` characters at a time: str.lower holds 12 bytes per character of its
    input while it works, ten times the UTF-8 size of Vietnamese text (the largest transient of a parse when done on
    the whole document); in pieces it holds three times. Pieces end right after a space or "\n", which are neither
    cased nor case-ignorable, so no lower-casing looks across them (a final sigma looks across letters and
    case-ignorable characters only) and the result is text.lower() exactly."""
    n = len(text)
    if n <= piece:
        return text.lower()
    parts, start, find = [], 0, text.find
    while start < n:
        stop = start + piece
        end = find(" ", stop)
        newline = find("\n", stop, end if end >= 0 else n)
        end = newline if newline >= 0 else end
        end = n if end < 0 else end + 1
        parts.append(text[start:end].lower())
        start = end
    return "".join(parts)


@lru_cache(maxsize=32)
def _captured(pattern: re.Pattern) -> re.Pattern:
    """The pattern as one group, so re.split keeps what it removes (compiled once, not on every delete)."""
    return re.compile("(" + pattern.pattern + ")", pattern.flags)


def _is_identity(nt: NormText) -> bool:
    return len(nt.ns) == 1 and nt.cp[0] and nt.ns[0] == 0 and nt.os[0] == 0 and nt.nl[0] == len(nt.text)


def _rewrite(nt: NormText, pattern: re.Pattern, repl: Callable[[re.Match], str], at=None) -> None:
    """Replace each match of `pattern` by repl(match), carrying the map. `at`: positions (ascending) holding every
    place a match can start; the matches are then those of pattern.finditer, found by pattern.match there."""
    matches = pattern.finditer(nt.text) if at is None else _matches_at(pattern, nt.text, at)
    _apply(nt, ((m.start(), m.end(), r) for m in matches if (r := repl(m)) != m.group(0)))


def _delete_matches(nt: NormText, pattern: re.Pattern) -> None:
    """_rewrite(nt, pattern, lambda m: "") without a call per match."""
    _apply(nt, ((a, b, "") for a, b in map(re.Match.span, pattern.finditer(nt.text)) if b > a))


def _apply(nt: NormText, edits) -> None:
    """Replace text[a:b] by r for each (a, b, r) of `edits` (ascending, not overlapping), carrying the map: the kept
    stretches keep theirs, each replacement maps as a whole onto the original range of what it replaces."""
    text, ons, oos, onl, ool, ocp = nt.text, nt.ns, nt.os, nt.nl, nt.ol, nt.cp
    nseg = len(ons)
    pieces: list[str] = []
    ns: list[int] = []
    os_: list[int] = []
    nl: list[int] = []
    ol: list[int] = []
    cp: list[bool] = []
    pos = 0  # in the current text
    out = 0  # in the new text
    k = 0  # current segment index
    changed = False
    for a, b, r in chain(edits, ((len(text), None, None),)):  # the last one carries the rest
        if b is None and not changed:
            return
        pieces.append(text[pos:a])
        while k < nseg and ons[k] + onl[k] <= pos:  # the map of current [pos, a), copied to the new text at `out`
            k += 1
        j = k
        while j < nseg and ons[j] < a:
            start = ons[j]
            end = start + onl[j]
            lo = start if start > pos else pos
            hi = end if end < a else a
            if hi > lo:
                ns.append(out + lo - pos)
                nl.append(hi - lo)
                cp.append(ocp[j])
                if ocp[j]:
                    os_.append(oos[j] + lo - start)
                    ol.append(hi - lo)
                else:
                    os_.append(oos[j])
                    ol.append(ool[j])
            j += 1
        out += a - pos
        if b is None:
            break
        changed = True
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
    if not ns:
        ns, os_, nl, ol, cp = [0], [len(nt.original)], [0], [0], [True]
    nt.text = "".join(pieces)
    nt.ns, nt.os, nt.nl, nt.ol, nt.cp = ns, os_, nl, ol, cp


def _matches_at(pattern: re.Pattern, text: str, starts):
    """pattern.finditer(text) for a pattern that never matches the empty string, when every match starts at one of
    `starts` (ascending)."""
    end = 0
    for i in starts:
        if i >= end:
            m = pattern.match(text, i)
            if m:
                end = m.end()
                yield m


def _glued_candidates(text: str) -> tuple[list[int], list[int]]:
    """Where _GLUED_LETTER_RE can match in `text`, and where _GLUED_NEXT_RE can once those repairs are made, before
    the shift: a repair inserts a space before a digit or capital, never between the digit, capital or "g" of
    _GLUED_NEXT_RE and its lower-case word nor inside the word, so that pattern's candidates are the places found now,
    each moved by the spaces inserted before it (and matched again on the repaired text)."""
    letters, nexts = [], []
    for m in _GLUED_AT_RE.finditer(text):
        p = m.start()
        c = text[p]
        if p and text[p - 1] in "ốỐyYgGmMàa" and (c in _UPPER_ASCII_D or c.isdecimal()):
            letters.append(p - 1)
        if (c in _UPPER_ASCII_D or "0" <= c <= "9") and text.startswith(_NEXT_WORDS, p + 1):
            nexts.append(p)
    if "g" in text:
        nexts.extend(m.start() for m in _GLUED_G_RE.finditer(text))
        nexts.sort()
    return letters, nexts


_UPPER_ASCII_D = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ")


def looks_like_html(text: str) -> bool:
    if "<" not in text[:5000]:
        return False  # every mark below opens with "<"
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
    rare = _RARE_RE.search(nt.text) is not None  # the next three steps have nothing to do in most texts
    if rare and any(c in nt.text for c in _SAME_LENGTH):  # str.__contains__ is far cheaper than a class scan
        nt.rewrite(_SAME_LENGTH_RE, lambda m: _SAME_LENGTH[m.group(0)], same_length=True)
    if rare and any(c in nt.text for c in _INVISIBLE):
        nt.delete(_INVISIBLE_RE)
    _repair_codes(nt, lookalikes=rare)
    if "*" in nt.text:
        nt.delete_char("*", _STARS_RE)
    if "<" in nt.text:
        nt.delete(_TAG_RE)
    _repair_words(nt)
    nt.text = _retone(nt.text)  # _TONE_PAIR_RE, one same-length rewrite
    nt.rewrite(_HYPHEN_BREAK_RE, lambda m: "-")
    nt.rewrite(_SLASH_BREAK_RE, lambda m: "/")
    return nt


def _repair_codes(nt: NormText, lookalikes: bool = True) -> None:
    """Look-alike letters and stray spaces inside codes, repaired so one code is not read as two, each reported as a
    notice with its span in the original text. `lookalikes`: False when the text is known to hold none."""
    if lookalikes and _LOOKALIKE_ANY.search(nt.text):
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
        nt.rewrite(_CODE_SPACE, space)


def _repair_words(nt: NormText) -> None:
    """Glued and doubled words (see _GLUED_* and _DOUBLED_RE), each kind reported once with its count and the span of
    its first repair."""
    def repair(pattern: re.Pattern, fix: Callable[[re.Match], str], found: list, at=None, changed=None) -> None:
        def repl(m: re.Match) -> str:
            new = fix(m)
            if new != m.group(0):
                a, b = m.span()
                if not found:  # the notice quotes the whole glued token: "số63", "CPngày"
                    t = m.string
                    s, e = a, b
                    while s > 0 and t[s - 1].isalnum():
                        s -= 1
                    while e < len(t) and t[e].isalnum():
                        e += 1
                    found.append(nt.orig_span(s, e))
                    found.append((t[s:e], t[s:a] + new + t[b:e]))
                found.append(None)
                if changed is not None:
                    changed.append(a)
            return new
        if at is None:
            nt.rewrite(pattern, repl)
        else:
            _rewrite(nt, pattern, repl, at)

    def report(found: list, code: str, what: str) -> None:
        if found:
            (a, b), (old, new) = found[0], found[1]
            nt.notices.append(Notice(code=code, span=Span(start=a, end=b),
                                     message=f"{what}: {len(found) - 2} chỗ (đầu tiên \"{' '.join(old.split())}\" → "
                                             f"\"{' '.join(new.split())}\")."))

    def letter(m: re.Match) -> str:
        text, end = m.string, m.end()
        for w in _BEFORE_DIGIT_WORDS if text[end].isdigit() else _BEFORE_CAPITAL_WORDS:
            k = end - len(w)
            if text.startswith(w, k) and (k == 0 or not (text[k - 1].isalpha() or text[k - 1] == "_")):
                return m.group(0) + " "
        return m.group(0)

    def next_word(m: re.Match) -> str:
        text, end = m.string, m.end()
        ok = text.startswith(_AFTER_DIGIT_WORDS, end) if m.group(0).isdigit() else \
            _CODE_TAIL_RE.search(text, max(0, end - 40), end) is not None
        return m.group(0) + " " if ok else m.group(0)

    def doubled(m: re.Match) -> str:
        a = m.start()
        if m.group(1).lower() != m.group(2).lower() or (a and (m.string[a - 1].isalpha() or m.string[a - 1] == "_")):
            return m.group(0)
        prior = m.string[max(0, a - 4):a]
        return m.group(0) if m.group(1).lower() == "số" and prior.rstrip().lower().endswith("mã") else m.group(2)

    glued: list = []
    doubled_found: list = []
    letters, nexts = _glued_candidates(nt.text)
    inserted: list[int] = []  # where a letter got its space, ascending
    repair(_GLUED_LETTER_RE, letter, glued, letters, inserted)
    if nexts:
        repair(_GLUED_NEXT_RE, next_word, glued, [p + bisect_left(inserted, p) for p in nexts])
    if any(rx.search(nt.text) for rx in _DOUBLED_AT):  # a test costs far less than the scan
        repair(_DOUBLED_RE, doubled, doubled_found)
    report(glued, "text.glued_words_repaired", "Chữ dính liền được tách")
    report(doubled_found, "text.doubled_word_repaired", "Chữ lặp hai lần được bỏ bớt")


@lru_cache(maxsize=16384)  # a few thousand distinct words and names, each asked for many times
def canonical(s: str) -> str:
    """The matching form of a short string: NFC, one Đ, old-style tones, no markup, single spaces."""
    s = unicodedata.normalize("NFC", s)
    s = _SAME_LENGTH_RE.sub(lambda m: _SAME_LENGTH[m.group(0)], s)
    s = _STARS_RE.sub("", _INVISIBLE_RE.sub("", s))
    return " ".join(_TONE_PAIR_RE.sub(_tone, s).split())


@lru_cache(maxsize=16384)
def fold(s: str) -> str:
    """Accent- and case-insensitive key (đ → d) for lookups that must survive damaged diacritics."""
    s = unicodedata.normalize("NFD", canonical(s).lower()).replace("đ", "d")
    return "".join(c for c in s if not unicodedata.combining(c))
