"""The section tree: Phần/Chương/Mục/Điều, I./II. (also split over two lines, "IV.\nKINH PHÍ"), 1./1.1., a)/a.,
(1)/(2), "-"/"+" bullets, Phụ lục.

Each node keeps its numbering as written so checks can find repeated or skipped numbers. Not the document's own
outline, so left out: lines inside a table (a single cell between "|" lines, a one-cell-per-line table region, a
tab-separated row), text quoted from another document (an amending decision quotes whole articles), an English
translation appended to the text, a number wrapped after "Mẫu số" / "Article", a "Chương 5" named mid-sentence.
"""
from __future__ import annotations

import re
from bisect import bisect_right

from ..normalize import NormText
from ..schema import Section
from .spans import orig_spans
from .tables import bar_lines, pipe_regions

_ROMAN = r"[IVXLC]{1,7}"
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # "Điều\n1." and "Chương\nI": conversions wrap headings after the keyword
_HEADING = re.compile(
    r"\n[ \t#]*(?:"
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


def _level(kind: str, numbering: str, base: int) -> int:
    if kind == "arabic":
        return base + numbering.count(".")
    if kind == "bullet":
        return base + (1 if numbering == "+" else 0)
    return base


def extract_structure(nt: NormText, start: int, end: int) -> list[Section]:
    text = nt.text
    roots: list[Section] = []
    stack: list[Section] = []
    scan_from = start - 1 if start > 0 and text[start - 1] == "\n" else start
    head = "\n" + text[start:min(end, start + 200)] if scan_from == start else None
    matches = list(_HEADING.finditer(text, scan_from, end))
    if head is not None and (first := _HEADING.match(head)):
        matches.insert(0, (first, start - 1))
    outside = _Outside(text, start, end)
    found = []  # (kind, numbering, title, level, normalised start, end) of each heading, in order
    for item in matches:
        m, shift = item if isinstance(item, tuple) else (item, 0)
        group = m.lastgroup
        raw_num = m.group(group)
        num_start, num_end = m.start(group) + shift, m.end(group) + shift  # before `group` may become "upper"
        num = " ".join(raw_num.rstrip(".").split()) if group in ("arabic", "roman", "upper") else " ".join(raw_num.split())
        if group == "roman" and not _ROMAN_OK.match(num):
            if len(num) != 1 or not _CAPITALS_AFTER.match(text, num_end):
                continue
            group = "upper"  # "C. LĨNH VỰC …" between "B." and "D." is a letter, not a hundred
        line_start = m.start() + shift + 1
        node_start = num_start
        line_end = text.find("\n", m.end() + shift, end)
        line_end = end if line_end < 0 else line_end
        rest = text[m.end() + shift:line_end]
        if "\t" in rest or _is_table_cell(text, line_start, line_end, start, end) or outside.skip(line_start) \
                or (group in ("arabic", "paren") and _continues_line(text, line_start, start)) \
                or (group in _KEYWORD_KINDS and _mid_sentence(text, line_start, start)) \
                or _is_english(rest if rest.strip() else _next_line(text, line_end, end)):
            continue
        kind = _KIND.get(group, group)
        title = rest.strip()
        if not title and kind in ("article", "chapter", "part", "mục", "appendix", "arabic", "roman"):
            title = _next_line(text, line_end, end)
        if kind == "bullet":
            title = title[:160]
        content_end = m.end() + shift + len(rest.rstrip())
        if title and not rest.strip() and kind == "roman":  # "IV.\nKINH PHÍ": the evidence shows the title too
            content_end = max(content_end, text.find(title, line_end, end) + len(title))
        found.append((kind, num, title, _level(kind, num, _BASE[group]), node_start, max(content_end, num_end)))
    spans = orig_spans(nt, [(a, b) for *_, a, b in found])  # mapped to the original text in one pass
    for (kind, num, title, level, _, _), (s0, e0) in zip(found, spans):
        _place(Section(kind=kind, numbering=num, title=title, level=level, span={"start": s0, "end": e0}), stack, roots)
    return roots


def _place(node: Section, stack: list[Section], roots: list[Section]) -> None:
    """Hang `node` in the tree. The next number of a list still open above is its sibling, whatever lies between
    ("7." … "a." … "8."); a list restarting at its first number below an item of another kind is nested there, even
    against the usual order ("7." → "a." → "1.", "2." → "b."); otherwise the kind's usual level decides."""
    sig, value = _signature(node), _value(node)
    if value is not None:
        for j in range(len(stack) - 1, -1, -1):
            if _signature(stack[j]) == sig and _value(stack[j]) == value - 1:
                node.level = stack[j].level
                del stack[j:]
                (stack[-1].children if stack else roots).append(node)
                stack.append(node)
                return
        if value == 1 and stack and _signature(stack[-1]) != sig and node.level < stack[-1].level \
                and any(_signature(s) == sig for s in stack):
            node.level = stack[-1].level + 1
            stack[-1].children.append(node)
            stack.append(node)
            return
    while stack and stack[-1].level >= node.level:
        stack.pop()
    (stack[-1].children if stack else roots).append(node)
    stack.append(node)


_LETTER_ORDER = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
_ROMAN_VALUE = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def _signature(node: Section) -> tuple:
    n = node.numbering
    if node.kind == "arabic":
        return ("arabic", -1 if n.startswith("(") else n.count("."))
    return (node.kind,)


def _value(node: Section) -> int | None:
    """The position of a list item in its list (1 for "1.", "a)", "(1)", "I."); None for bullets and keywords."""
    n = node.numbering.strip("()")
    if node.kind == "arabic":
        last = n.split(".")[-1]
        return int(last) if last.isdigit() else None
    if node.kind == "letter":
        return _LETTER_ORDER.index(n) + 1 if n in _LETTER_ORDER else None
    if node.kind == "roman":
        total = 0
        for i, ch in enumerate(n):
            v = _ROMAN_VALUE[ch]
            total += -v if i + 1 < len(n) and _ROMAN_VALUE[n[i + 1]] > v else v
        return total
    return None


_OPEN_QUOTE = re.compile(r"\n[ \t#*_]*[“\"]")
_QUOTE_MARK = re.compile(r"[“”]")
_ASCII_CLOSE = re.compile(r"\"[ \t*_]*[.;,:]*[ \t*_]*(?:\n|$)")
# literal-led (the look-behind follows "Article") so re skips the text in C: 20× faster than a leading look-behind
_ENGLISH_START = re.compile(r"Article(?<!\wArticle)[ \t]*\n?[ \t]*\d{1,3}[ \t]*[.:]")
_QUOTE_LIMIT = 60_000


class _Outside:
    """Stretches of the body whose numbering is not the document's own outline: blocks quoted from another
    document (an amending decision quotes whole articles: "“Điều 13. …”"), one-cell-per-line tables, and an English
    translation appended after the Vietnamese text. Built once per document; `skip` asks in order of position."""

    def __init__(self, text: str, start: int, end: int):
        zones = [(a, b) for a, b in pipe_regions(bar_lines(text, start, end), gap=2000)]
        zones += _quoted_blocks(text, start, end)
        english = _ENGLISH_START.search(text, start, end)
        if english:
            zones.append((english.start(), end))
        zones.sort()
        self.starts = [a for a, _ in zones]
        self.ends = [b for _, b in zones]
        for i in range(1, len(self.ends)):  # running maximum: nested zones answer for the enclosing one
            self.ends[i] = max(self.ends[i], self.ends[i - 1])

    def skip(self, pos: int) -> bool:
        i = bisect_right(self.starts, pos) - 1
        return i >= 0 and self.ends[i] > pos


def _quoted_blocks(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A line opening with a quotation mark starts a quoted block; it ends where the quotes balance again (“ ”),
    or, for a straight quote, at the next straight quote that ends a line."""
    blocks = []
    pos = start
    while True:
        m = _OPEN_QUOTE.search(text, max(pos - 1, 0), end)
        if not m:
            return blocks
        a = m.end() - 1
        stop = min(end, a + _QUOTE_LIMIT)
        close = -1
        if text[a] == "“":
            depth = 0
            for q in _QUOTE_MARK.finditer(text, a, stop):
                depth += 1 if q.group() == "“" else -1
                if depth == 0:
                    close = q.end()
                    break
        else:
            c = _ASCII_CLOSE.search(text, a + 1, stop)
            close = c.start() + 1 if c else -1
        if close < 0:  # unbalanced: the quote covers its own line only
            close = text.find("\n", a, end)
            close = end if close < 0 else close
        blocks.append((a, close))
        pos = close + 1


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
    if line_start - 1 <= lo:
        return False
    prev_start = text.rfind("\n", lo, line_start - 1) + 1
    prev = text[prev_start:line_start - 1]
    return bool(prev.strip()) and bool(_NUMBER_WORD_END.search(prev))


_ENGLISH_WORDS = re.compile(r"\b(?:the|of|and|for|shall|this|is|are|to|in|with|by|on|from|into|be|which|that)\b",
                            re.IGNORECASE)
_VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.IGNORECASE)


def _is_english(title: str) -> bool:
    """A heading of an English translation ("1. Scope and regulated entities")."""
    t = title.strip()
    return bool(t) and not _VIETNAMESE.search(t) and len(_ENGLISH_WORDS.findall(t)) >= 1 \
        and sum(ch.isascii() for ch in t) == len(t)


def _is_table_cell(text: str, a: int, b: int, lo: int, hi: int) -> bool:
    """Inside a table rendered one cell per line: a "|" line both above and below, with no blank line between (a
    cell may wrap over several lines and hold its own numbered list)."""
    return _reaches_bar(text, a - 1, lo, -1) and _reaches_bar(text, b, hi, 1)


def _reaches_bar(text: str, pos: int, bound: int, step: int, limit: int = 12) -> bool:
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
