"""The section tree: Phần/Chương/Mục/Điều, I./II. (also split over two lines, "IV.\nKINH PHÍ"), 1./1.1., a)/a.,
(1)/(2), "-"/"+" bullets, Phụ lục.

Each node keeps its numbering as written so checks can find repeated or skipped numbers. Not the document's own
outline, so left out: lines inside a table (a single cell between "|" lines, a one-cell-per-line table region, a
tab-separated row), text quoted from another document (an amending decision quotes whole articles), an English
translation appended to the text, a number wrapped after "Mẫu số" / "Article", a "Chương 5" named mid-sentence.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain, repeat

from ..normalize import NormText
from ..schema import Section, trusted_records
from .spans import orig_spans
from .tables import bar_lines, pipe_regions

_ROMAN = r"[IVXLC]{1,7}"
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # "Điều\n1." and "Chương\nI": conversions wrap headings after the keyword
# What the branches below can open with, tested first: a line of prose or a "|" line fails here in one test instead of
# in each of the eleven branches (re tries them one by one at every line start)
_OPENS = r"(?=[\d(\-+•]|[a-zđ][).]|[PC][Hh]|M[Ụụ]|Đi|[IVXLC][IVXLC \t.\-–/]|[A-Z]\.)"
_HEADING = re.compile(
    r"\n[ \t#]*" + _OPENS + "(?:"
    r"(?P<appendix>(?:PHỤ LỤC|Phụ lục)(?:" + _GAP + r"(?:số[ \t]+)?(?:" + _ROMAN + r"|\d{1,2}[a-z]?))?)\b[.:\-–]?"
    r"|(?P<part>(?:PHẦN|Phần)" + _GAP + r"(?:" + _ROMAN + r"|\d{1,2}|THỨ[ \t]+\w+|thứ[ \t]+\w+))\b[.:\-–]?"
    r"|(?P<chapter>(?:CHƯƠNG|Chương)" + _GAP + r"(?:" + _ROMAN + r"|\d{1,2}))\b[.:\-–]?"
    r"|(?P<muc>(?:MỤC|Mục)" + _GAP + r"\d{1,2})\b[.:\-–]?"
    r"|(?P<article>Điều" + _GAP + r"\d{1,3}[a-z]?)[ \t]*[.:]"
    r"|(?P<roman>" + _ROMAN + r")[ \t]*[.\-–/](?=[ \t]+\S|[ \t]*\n[ \t#]*[A-ZĐÀ-Ỹ]{2})"  # "IV.\nKINH PHÍ": split bold
    r"|(?P<arabic>\d{1,2}\.(?:\d{1,2}\.)*(?:\d{1,2}(?![\d.]))?)(?=[ \t]+[^\W\d]|(?<=\.)[ \t]*\n[ \t#]*[^\W\d])"
    r"|(?P<upper>[A-Z])\.(?=[ \t]+[A-ZĐÀ-Ỹ]{2})"
    r"|(?P<letter>[a-zđ])(?:\)(?=[ \t]*\S)|\.(?=[ \t]+[A-ZĐ]))"  # "a)" and "a. Lý do"
    r"|(?P<paren>\(\d{1,2}\))(?=[ \t]+[A-ZĐÀ-Ỹ])"  # an item opens with a capital; "(7) và (8)." is prose
    r"|(?P<bullet>[-+•])(?![-_=*]{2})(?=[ \t]*\S)"
    r")")  # starts with a literal newline: re's prefix search finds line starts in C
_BASE = {"appendix": 0, "part": 1, "chapter": 2, "muc": 3, "article": 4, "upper": 4, "roman": 5, "arabic": 6,
         "letter": 12, "paren": 13, "bullet": 14}
_KIND = {"muc": "mục", "paren": "arabic"}  # "(1)" lists keep their parentheses in `numbering`
_ROMAN_OK = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")
_CAPITALS_AFTER = re.compile(r"\.[ \t]+[A-ZĐÀ-Ỹ]{2}")


@lru_cache(maxsize=4096)
def _numbered(group: str, raw: str) -> tuple[str, str, int, tuple, int | None]:
    """(kind, numbering, level, signature, value) of a heading's number as matched: few distinct ones, all cached."""
    kind = _KIND.get(group, group)
    num = " ".join(raw.rstrip(".").split()) if group in _DOTTED else " ".join(raw.split())
    level = _BASE[group]
    if kind == "arabic":
        level += num.count(".")
    elif kind == "bullet":
        level += 1 if num == "+" else 0
    return kind, num, level, _signature(kind, num), _value(kind, num)


def extract_structure(nt: NormText, start: int, end: int, bars: list[tuple[int, int]] | None = None) -> list[Section]:
    """The section tree of the body [start, end). `bars`: tables.bar_lines of the same range, when the caller has
    them."""
    text = nt.text
    roots: list[Section] = []
    stack: list[tuple[Section, tuple, int | None, int]] = []  # open nodes: (node, signature, value, level)
    scan_from = start - 1 if start > 0 and text[start - 1] == "\n" else start
    head = "\n" + text[start:min(end, start + 200)] if scan_from == start else None
    zone_end = _Outside(text, start, end, bars).zone_end
    matches = zip(_headings(text, scan_from, end, zone_end), repeat(0))  # (match, shift), outside the zones
    if head is not None and (first := _HEADING.match(head)) and not zone_end(start):
        matches = chain([(first, start - 1)], matches)
    bar_above = _BarAbove(text)
    found = []  # (kind, numbering, title, level, signature, value) of each heading, in order
    ranges = []  # its normalised (start, end)
    # the tests cheapest first: each only rejects, so their order does not change the result
    for m, shift in matches:
        group = m.lastgroup
        num_start, num_end = m.span(group)
        raw = m.group(group)
        if group == "roman" and not _ROMAN_OK.match(raw):
            if num_end - num_start != 1 or not _CAPITALS_AFTER.match(text, num_end + shift):
                continue
            group = "upper"  # "C. LĨNH VỰC …" between "B." and "D." is a letter, not a hundred
        line_start, head_end = m.span()
        line_start += shift + 1
        head_end += shift
        line_end = text.find("\n", head_end, end)
        if line_end < 0:
            line_end = end
        rest = text[head_end:line_end]
        if "\t" in rest or (group in _NUMBER_KINDS and _continues_line(text, line_start, start)) \
                or (group in _KEYWORD_KINDS and _mid_sentence(text, line_start, start)):
            continue
        title = rest.strip()
        if title:
            below = None
            if title.isascii() and _ENGLISH_WORDS.search(title):  # _is_english(title): the title is stripped
                continue
        else:
            below = _next_line(text, line_end, end)
            if _is_english(below):
                continue
        # _is_table_cell, past its two quick answers (an empty line above or below) and when a "|" is near above
        if (line_start < 2 or text[line_start - 2] != "\n") and line_end + 1 < end and text[line_end + 1] != "\n" \
                and bar_above.near(line_start - 1) and _is_table_cell(text, line_start, line_end, start, end):
            continue
        kind, num, level, sig, value = _numbered(group, raw)
        if not title:
            if kind in _TITLE_BELOW:
                title = below
        elif kind == "bullet":
            title = title[:160]
        content_end = head_end + len(rest.rstrip())
        if title and kind == "roman" and not rest.strip():  # "IV.\nKINH PHÍ": the evidence shows the title too
            content_end = max(content_end, text.find(title, line_end, end) + len(title))
        found.append((kind, num, title, level, sig, value))
        ranges.append((num_start + shift, max(content_end, num_end + shift)))
    spans = orig_spans(nt, ranges)  # mapped to the original text in one pass
    for (kind, num, title, level, sig, value), (s0, e0) in zip(found, spans):
        level = _place(level, sig, value, stack)  # the final level, known before the record is built
        node = _section(kind, num, title, level, s0, e0)
        (stack[-1][0].children if stack else roots).append(node)
        stack.append((node, sig, value, level))
    return roots


def _section(kind: str, numbering: str, title: str, level: int, start: int, end: int) -> Section:
    """The Section validation would make of these values, the parser's own (schema.trusted_records)."""
    node, = trusted_records(Section, [{"kind": kind, "numbering": numbering, "title": title, "level": level,
                                       "span": {"start": start, "end": end}}])
    return node


_DOTTED = frozenset(("arabic", "roman", "upper"))
_NUMBER_KINDS = frozenset(("arabic", "paren"))
_TITLE_BELOW = frozenset(("article", "chapter", "part", "mục", "appendix", "arabic", "roman"))


def _place(level: int, sig: tuple, value: int | None, stack: list[tuple[Section, tuple, int | None, int]]) -> int:
    """The level of a new node, leaving on `stack` (open nodes with their signature, value and level) the nodes above
    it, its parent last. The next number of a list still open above is its sibling, whatever lies between ("7." …
    "a." … "8."); a list restarting at its first number below an item of another kind is nested there, even against
    the usual order ("7." → "a." → "1.", "2." → "b."); otherwise the kind's usual level decides."""
    if value is not None:
        for j in range(len(stack) - 1, -1, -1):
            entry = stack[j]
            if entry[2] == value - 1 and entry[1] == sig:
                del stack[j:]
                return entry[3]
        if value == 1 and stack and stack[-1][1] != sig and level < stack[-1][3] \
                and any(entry[1] == sig for entry in stack):
            return stack[-1][3] + 1
    while stack and stack[-1][3] >= level:
        stack.pop()
    return level


_LETTER_ORDER = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _signature(kind: str, numbering: str) -> tuple:
    if kind == "arabic":
        return ("arabic", -1 if numbering.startswith("(") else numbering.count("."))
    return (kind,)


def _value(kind: str, numbering: str) -> int | None:
    """The position of a list item in its list (1 for "1.", "a)", "(1)", "I."); None for bullets and keywords."""
    n = numbering.strip("()")
    if kind == "arabic":
        last = n.split(".")[-1]
        return int(last) if last.isdigit() else None
    if kind == "letter":
        return _LETTER_ORDER.index(n) + 1 if n in _LETTER_ORDER else None
    if kind == "roman":
        total = 0
        for i, ch in enumerate(n):
            v = _ROMAN_VALUE[ch]
            total += -v if i + 1 < len(n) and _ROMAN_VALUE[n[i + 1]] > v else v
        return total
    return None


_OPEN_QUOTE = re.compile(r"\n[ \t#*_]*[“\"]")  # a quoted block's first line, as _openings finds it
_QUOTE_LEAD = frozenset(" \t#*_")
_QUOTE_MARK = re.compile(r"[“”]")  # the marks _curly_closes counts
_ASCII_CLOSE = re.compile(r"\"[ \t*_]*[.;,:]*[ \t*_]*(?:\n|$)")
# literal-led (the look-behind follows "Article") so re skips the text in C: 20× faster than a leading look-behind
_ENGLISH_START = re.compile(r"Article(?<!\wArticle)[ \t]*\n?[ \t]*\d{1,3}[ \t]*[.:]")
_QUOTE_LIMIT = 60_000


class _Outside:
    """Stretches of the body whose numbering is not the document's own outline: blocks quoted from another
    document (an amending decision quotes whole articles: "“Điều 13. …”"), one-cell-per-line tables, and an English
    translation appended after the Vietnamese text. Built once per document; `skip` asks in order of position."""

    def __init__(self, text: str, start: int, end: int, bars: list[tuple[int, int]] | None = None):
        bars = bar_lines(text, start, end) if bars is None else bars
        zones = [(a, b) for a, b in pipe_regions(bars, gap=2000)]
        zones += _quoted_blocks(text, start, end)
        english = _ENGLISH_START.search(text, start, end)
        if english:
            zones.append((english.start(), end))
        zones.sort()
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in zones:  # merged: nested and overlapping zones make one stretch
            if self.ends and a <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], b)
            else:
                self.starts.append(a)
                self.ends.append(b)

    def zone_end(self, pos: int) -> int:
        """The end of the stretch holding `pos`; 0 when no zone does."""
        i = bisect_right(self.starts, pos) - 1
        return self.ends[i] if i >= 0 and self.ends[i] > pos else 0


def _headings(text: str, pos: int, end: int, zone_end) -> Iterator[re.Match]:
    """The _HEADING matches of [pos, end) whose line starts outside the zones, in order. At the first match inside a
    stretch the scan goes on from the stretch's end, which gives the matches of a full scan: no match of a heading
    consumes the last character of a stretch (a "|" line's, a closing quote, a quoted line's; a newline there and
    the scan just goes on), so none found inside reaches past it."""
    while True:
        for m in _HEADING.finditer(text, pos, end):
            stop = zone_end(m.start() + 1)
            if not stop:
                yield m
            elif text[stop - 1] != "\n":
                pos = stop
                break
        else:
            return


def _quoted_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A line opening with a quotation mark starts a quoted block; it ends where the quotes balance again (“ ”),
    or, for a straight quote, at the next straight quote that ends a line; in either case within _QUOTE_LIMIT.
    Each close is looked up, not searched for again from every opening: text of nothing but unbalanced quotes made
    the old search scan the same window once per line."""
    blocks = []
    pos = start
    curly: dict[int, int] | None = None
    straight = None  # the first straight close at or after `straight_from`, of a scan to `end`
    straight_from = end + 1
    lines, opens = _openings(text, start, end)  # _OPEN_QUOTE's matches are those whose newline is at or after pos - 1
    k = 0
    while True:
        k = bisect_left(lines, max(pos - 1, 0), k)
        if k == len(lines):
            return blocks
        a = opens[k]
        stop = min(end, a + _QUOTE_LIMIT)
        close = -1
        if text[a] == "“":
            if curly is None:
                curly = _curly_closes(text, start, end)
            at = curly.get(a, end)
            close = at + 1 if at < stop else -1
        elif text[stop - 1] in _STRAIGHT_TAIL:  # a close cut short by the window's end could match: search the window
            c = _ASCII_CLOSE.search(text, a + 1, stop)
            close = c.start() + 1 if c else -1
        else:  # no close ends at the window's edge, so the window's first close is the text's first one after a
            if straight_from > a + 1 or (straight is not None and straight.start() < a + 1):
                straight, straight_from = _ASCII_CLOSE.search(text, a + 1, end), a + 1
            close = straight.start() + 1 if straight is not None and straight.start() < stop else -1
        if close < 0:  # unbalanced: the quote covers its own line only
            close = text.find("\n", a, end)
            close = end if close < 0 else close
        blocks.append((a, close))
        pos = close + 1


def _openings(text: str, start: int, end: int) -> tuple[list[int], list[int]]:
    """(newline, quotation mark) of each line that opens with a quotation mark after _QUOTE_LEAD characters only, by
    position: the marks of [start, end) are found with str.find (a text has a hundred times more lines than marks, and
    re's scan for a class is slower than find's for one character) and each is checked to open its line. A walk back
    from a mark never passes the mark before it, so the walks stay linear."""
    marks = sorted(_find_all(text, "“", start, end) + _find_all(text, "\"", start, end))
    lines, opens = [], []
    for q in marks:
        i = q - 1
        while i >= 0 and text[i] in _QUOTE_LEAD:
            i -= 1
        if i >= 0 and text[i] == "\n":
            lines.append(i)
            opens.append(q)
    return lines, opens


def _find_all(text: str, ch: str, start: int, end: int) -> list[int]:
    """Every position of the character `ch` in [start, end): str.find, far faster than re's scan for a class."""
    found = []
    i = text.find(ch, start, end)
    while i >= 0:
        found.append(i)
        i = text.find(ch, i + 1, end)
    return found


_STRAIGHT_TAIL = frozenset('"' + " \t*_.;,:")  # what a straight close may hold before its line end


def _curly_closes(text: str, start: int, end: int) -> dict[int, int]:
    """For each “ of [start, end), the ” where the quotes opened from it balance again (a running count of “ minus ”
    falls back below its value there), in one pass with a stack of the “ still open."""
    closes = {}
    open_marks: list[tuple[int, int]] = []  # (position, count after it), counts rising
    count = 0
    marks = sorted([(q, 1) for q in _find_all(text, "“", start, end)]
                   + [(q, -1) for q in _find_all(text, "”", start, end)])  # the _QUOTE_MARK matches, in order
    for q, step in marks:
        count += step
        if step > 0:
            open_marks.append((q, count))
        else:
            while open_marks and open_marks[-1][1] > count:
                closes[open_marks.pop()[0]] = q
    return closes


_NUMBER_WORD_END = re.compile(r"(?<!\w)(?:số|Số|SỐ|Mẫu|MẪU|mẫu|Điều|điều|khoản|Khoản|điểm|Biểu|biểu|Phụ lục|PHỤ LỤC|"
                              r"Chương|CHƯƠNG|Phần|PHẦN|Mục|Article|Section|No\.)[ \t*_]*$")


_KEYWORD_KINDS = ("chapter", "part", "muc", "article")


def _mid_sentence(text: str, line_start: int, lo: int) -> bool:
    """"… được trình bày trong\nChương 5 (…)": the line before ends mid-sentence, so this is a reference."""
    i = line_start - 2
    while i >= lo and text[i] in " \t*_":
        i -= 1
    return i >= lo and (text[i].islower() or text[i] == ",")


def _continues_line(text: str, line_start: int, lo: int) -> bool:
    """"Mẫu số\n01. …", "Article\n1. …", "khoản\n2. …": a number wrapped onto its own line is not a heading."""
    if line_start - 1 <= lo or text[line_start - 2] == "\n":  # no line before, or an empty one
        return False
    prev_start = text.rfind("\n", lo, line_start - 1) + 1
    prev = text[prev_start:line_start - 1]
    return bool(prev.strip()) and bool(_NUMBER_WORD_END.search(prev))


_ENGLISH_WORDS = re.compile(r"\b(?:the|of|and|for|shall|this|is|are|to|in|with|by|on|from|into|be|which|that)\b",
                            re.IGNORECASE)


def _is_english(title: str) -> bool:
    """A heading of an English translation ("1. Scope and regulated entities"): all ASCII (so no Vietnamese letter)
    and at least one English function word."""
    t = title.strip()
    return t.isascii() and _ENGLISH_WORDS.search(t) is not None


def _is_table_cell(text: str, a: int, b: int, lo: int, hi: int) -> bool:
    """Inside a table rendered one cell per line: a "|" line both above and below, with no blank line between (a
    cell may wrap over several lines and hold its own numbered list). An empty line next to it answers at once."""
    if (a >= 2 and text[a - 2] == "\n") or b + 1 >= hi or text[b + 1] == "\n":
        return False
    return _reaches_bar(text, a - 1, lo, -1) and _reaches_bar(text, b, hi, 1)


class _BarAbove:
    """Whether a "|" lies in the 12 lines above a position, asked at rising positions: when none does, _reaches_bar
    going up cannot meet a "|" line, so _is_table_cell need not walk (a text without empty lines made it walk 12
    lines up from most headings). The last "|" and the newlines after it are counted on from the last position asked,
    so the whole text is read once."""

    def __init__(self, text: str):
        self.text = text
        self.at = 0  # the last position asked: "|" and newlines before it are counted
        self.bar = -1  # the last "|" before `at`
        self.newlines = 0  # newlines between that "|" and `at`

    def near(self, pos: int) -> bool:
        text = self.text
        if pos < self.at:  # not asked in order: no answer, let the walk decide
            return True
        bar = text.rfind("|", self.at, pos)
        if bar >= 0:
            self.bar, self.newlines = bar, text.count("\n", bar, pos)
        elif self.bar >= 0:
            self.newlines += text.count("\n", self.at, pos)
        self.at = pos
        return self.bar >= 0 and self.newlines < _WALK_LINES


_WALK_LINES = 12  # how many lines _reaches_bar reads at most


def _reaches_bar(text: str, pos: int, bound: int, step: int, limit: int = _WALK_LINES) -> bool:
    for _ in range(limit):
        if (step < 0 and pos <= bound) or (step > 0 and pos >= bound):
            return False
        if step < 0:
            start = text.rfind("\n", bound, pos) + 1
            line, pos = text[start:pos].strip(), start - 1
        else:
            nxt = text.find("\n", pos + 1, bound)
            nxt = bound if nxt < 0 else nxt
            line, pos = text[pos + 1:nxt].strip(), nxt
        if line == "|":
            return True
        if not line:
            return False
    return False


def _next_line(text: str, pos: int, end: int) -> str:
    """The title of a heading whose own line holds only its number ("Điều 4." then the title below)."""
    nxt = text.find("\n", pos + 1, end)
    line = text[pos + 1:end if nxt < 0 else nxt].strip(" \t#")
    return line if line and not _HEADING.match("\n" + line) else ""
