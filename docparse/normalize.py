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
from functools import lru_cache
from itertools import accumulate, compress
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
_LOOKALIKE_ANY = re.compile("[" + re.escape("".join(_LOOKALIKE)) + "]")  # one scan instead of one per letter
_LATIN_OR_DIGIT = re.compile(r"[A-Za-z0-9Đđ]")
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
_CODE_TAIL_RE = re.compile(r"(?<![\w/])\d{1,6}/(?:(?:19|20)\d{2}/)?[A-ZĐ][A-ZĐ0-9&]*(?:-(?:TTg|[A-ZĐ][A-ZĐ0-9&]*))*$")
# A word written twice before a number ("ngày ngày 09 tháng 9", "Nghị định số số 12/…"); "mã số số 01/CV" (the
# code number, then its "số") is not doubled. The pair becomes one word mapped onto both, so no letter leaves the map.
_GLUE_WORDS = "|".join(_BEFORE_DIGIT_WORDS)
_DOUBLED_RE = re.compile(r"(" + _GLUE_WORDS + r")\s+(" + _GLUE_WORDS + r")(?=\s*\d)")
_DOUBLED_HINTS = ("ngày ngày", "số số", "số\nsố", "ngày\nngày")  # the scan runs where one of these is (the corpus's)


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
            _rewrite(self, pattern, lambda m: "")
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
            _rewrite(self, pattern, lambda m: "")
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


@lru_cache(maxsize=32)
def _captured(pattern: re.Pattern) -> re.Pattern:
    """The pattern as one group, so re.split keeps what it removes (compiled once, not on every delete)."""
    return re.compile("(" + pattern.pattern + ")", pattern.flags)


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
        nt.delete_char("*", _STARS_RE)
    if "<" in nt.text:
        nt.delete(_TAG_RE)
    _repair_words(nt)
    nt.rewrite(_TONE_PAIR_RE, _tone, same_length=True)
    nt.rewrite(_HYPHEN_BREAK_RE, lambda m: "-")
    nt.rewrite(_SLASH_BREAK_RE, lambda m: "/")
    return nt


def _repair_codes(nt: NormText) -> None:
    """Look-alike letters and stray spaces inside codes, repaired so one code is not read as two, each reported as a
    notice with its span in the original text."""
    if _LOOKALIKE_ANY.search(nt.text):
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
    def repair(pattern: re.Pattern, fix: Callable[[re.Match], str], found: list) -> None:
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
            return new
        nt.rewrite(pattern, repl)

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
    repair(_GLUED_LETTER_RE, letter, glued)
    repair(_GLUED_NEXT_RE, next_word, glued)
    if any(h in nt.text for h in _DOUBLED_HINTS):  # a plain substring test costs far less than a scan
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
