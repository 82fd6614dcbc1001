"""The section tree: Phần/Chương/Mục/Điều, I./II., 1./1.1., a)/b)/đ), "-"/"+" bullets, Phụ lục.

Each node keeps its numbering as written so checks can find repeated or skipped numbers. Lines that are a
single table cell ("|" lines around them) or a tab-separated table row are not headings.
"""
from __future__ import annotations

import re

from ..normalize import NormText
from ..schema import Section

_ROMAN = r"[IVXLC]{1,7}"
_GAP = r"(?:[ \t]+|[ \t]*\n[ \t]*)"  # "Điều\n1." and "Chương\nI": conversions wrap headings after the keyword
_HEADING = re.compile(
    r"\n[ \t#]*(?:"
    r"(?P<appendix>(?:PHỤ LỤC|Phụ lục)(?:" + _GAP + r"(?:số[ \t]+)?(?:" + _ROMAN + r"|\d{1,2}[a-z]?))?)\b[.:\-–]?"
    r"|(?P<part>(?:PHẦN|Phần)" + _GAP + r"(?:" + _ROMAN + r"|\d{1,2}|THỨ[ \t]+\w+|thứ[ \t]+\w+))\b[.:\-–]?"
    r"|(?P<chapter>(?:CHƯƠNG|Chương)" + _GAP + r"(?:" + _ROMAN + r"|\d{1,2}))\b[.:\-–]?"
    r"|(?P<muc>(?:MỤC|Mục)" + _GAP + r"\d{1,2})\b[.:\-–]?"
    r"|(?P<article>Điều" + _GAP + r"\d{1,3}[a-z]?)[ \t]*[.:]"
    r"|(?P<roman>" + _ROMAN + r")[ \t]*[.\-–/](?=[ \t]+\S)"
    r"|(?P<arabic>\d{1,2}\.(?:\d{1,2}\.)*(?:\d{1,2}(?![\d.]))?)(?=[ \t]+[^\W\d]|(?<=\.)[ \t]*\n[ \t#]*[^\W\d])"
    r"|(?P<upper>[A-Z])\.(?=[ \t]+[A-ZĐÀ-Ỹ]{2})"
    r"|(?P<letter>[a-zđ])\)(?=[ \t]*\S)"
    r"|(?P<bullet>[-+•])(?![-_=*]{2})(?=[ \t]*\S)"
    r")")  # starts with a literal newline: re's prefix search finds line starts in C
_BASE = {"appendix": 0, "part": 1, "chapter": 2, "muc": 3, "article": 4, "upper": 4, "roman": 5, "arabic": 6,
         "letter": 12, "bullet": 13}
_KIND = {"muc": "mục"}
_ROMAN_OK = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")


def _level(kind: str, numbering: str, base: int) -> int:
    if kind == "arabic":
        return base + numbering.count(".")
    if kind == "bullet":
        return base + (1 if numbering == "+" else 0)
    return base


_CANDIDATE = re.compile(r"^[ \t#]*(?:[-+•\d]|[a-zđ]\)|PHỤ|Phụ|PHẦN|Phần|CHƯƠNG|Chương|MỤC|Mục|Điều|[IVXL]+\s*[.\-–/])",
                        re.MULTILINE)


def extract_structure(nt: NormText, start: int, end: int) -> list[Section]:
    text = nt.text
    roots: list[Section] = []
    stack: list[Section] = []
    scan_from = start - 1 if start > 0 and text[start - 1] == "\n" else start
    head = "\n" + text[start:min(end, start + 200)] if scan_from == start else None
    matches = list(_HEADING.finditer(text, scan_from, end))
    if head is not None and (first := _HEADING.match(head)):
        matches.insert(0, (first, start - 1))
    for item in matches:
        m, shift = item if isinstance(item, tuple) else (item, 0)
        group = m.lastgroup
        raw_num = m.group(group)
        num = " ".join(raw_num.rstrip(".").split()) if group in ("arabic", "roman", "upper") else " ".join(raw_num.split())
        if group == "roman" and not _ROMAN_OK.match(num):
            continue
        line_start = m.start() + shift + 1
        node_start = m.start(group) + shift
        line_end = text.find("\n", m.end() + shift, end)
        line_end = end if line_end < 0 else line_end
        rest = text[m.end() + shift:line_end]
        if "\t" in rest or _is_table_cell(text, line_start, line_end, start, end):
            continue
        kind = _KIND.get(group, group)
        title = rest.strip()
        if not title and kind in ("article", "chapter", "part", "mục", "appendix", "arabic"):
            title = _next_line(text, line_end, end)
        if kind == "bullet":
            title = title[:160]
        content_end = m.end() + shift + len(rest.rstrip())
        s0, e0 = nt.orig_span(node_start, max(content_end, m.end(group) + shift))
        node = Section(kind=kind, numbering=num, title=title, level=_level(kind, num, _BASE[group]),
                       span={"start": s0, "end": e0})
        while stack and stack[-1].level >= node.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return roots


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
