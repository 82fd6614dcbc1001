"""The section tree: Phần/Chương/Mục/Điều, I./II., 1./1.1., a)/b)/đ), "-"/"+" bullets, Phụ lục.

Each node keeps its numbering as written so checks can find repeated or skipped numbers. Lines that are a
single table cell ("|" lines around them) or a tab-separated table row are not headings.
"""
from __future__ import annotations

import re

from ..normalize import NormText
from ..schema import Section, Span

I = re.IGNORECASE
_ROMAN = r"[IVXLC]{1,7}"
_PATTERNS: list[tuple[str, re.Pattern, int]] = [
    ("appendix", re.compile(r"^(?P<num>(?:PHỤ LỤC|Phụ lục)(?:\s+(?:số\s+)?(?:" + _ROMAN + r"|\d{1,2}[a-z]?))?)\b[.:\-–]?\s*(?P<title>.*)$"), 0),
    ("part", re.compile(r"^(?P<num>(?:PHẦN|Phần)\s+(?:" + _ROMAN + r"|\d{1,2}|THỨ\s+\w+|thứ\s+\w+))\b[.:\-–]?\s*(?P<title>.*)$"), 1),
    ("chapter", re.compile(r"^(?P<num>(?:CHƯƠNG|Chương)\s+(?:" + _ROMAN + r"|\d{1,2}))\b[.:\-–]?\s*(?P<title>.*)$"), 2),
    ("mục", re.compile(r"^(?P<num>(?:MỤC|Mục)\s+\d{1,2})\b[.:\-–]?\s*(?P<title>.*)$"), 3),
    ("article", re.compile(r"^(?P<num>Điều\s+\d{1,3}[a-z]?)\s*[.:]\s*(?P<title>.*)$"), 4),
    ("roman", re.compile(r"^(?P<num>" + _ROMAN + r")\s*[.\-–/]\s+(?P<title>\S.*)$"), 5),
    ("arabic", re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(?P<title>[^\W\d].*)$"), 6),
    ("letter", re.compile(r"^(?P<num>[a-zđ])\)\s+(?P<title>\S.*)$"), 12),
    ("bullet", re.compile(r"^(?P<num>[-+•])\s*(?P<title>\S.*)$"), 13),
]
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
    for cand in _CANDIDATE.finditer(text, start, end):
        line_start = cand.start()
        line_end = text.find("\n", line_start, end)
        line_end = end if line_end < 0 else line_end
        raw = text[line_start:line_end]
        s = raw.strip(" \t#")
        if not s or "\t" in raw.strip():
            continue
        for kind, rx, base in _PATTERNS:
            m = rx.match(s)
            if not m:
                continue
            if _is_single_cell(text, line_start, line_end, start, end):
                break
            num = " ".join(m.group("num").split())
            if kind == "roman" and not _ROMAN_OK.match(num):
                break
            if kind == "arabic" and not re.match(r"^\d{1,2}\.", s):
                break
            node_start = line_start + max(raw.find(s[:2]), 0)
            title = m.group("title").strip()
            if kind == "bullet":
                title = title[:160]
            s0, e0 = nt.orig_span(node_start, node_start + len(s))
            node = Section(kind=kind, numbering=num, title=title, level=_level(kind, num, base),
                           span=Span(start=s0, end=e0))
            while stack and stack[-1].level >= node.level:
                stack.pop()
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
            break
    return roots


def _is_single_cell(text: str, a: int, b: int, lo: int, hi: int) -> bool:
    """A line between two "|" lines is a table cell rendered one per line, not a heading."""
    return _neighbour(text, a, lo, -1) == "|" and _neighbour(text, b, hi, 1) == "|"


def _neighbour(text: str, pos: int, bound: int, step: int) -> str:
    for _ in range(4):
        if step < 0:
            if pos <= bound:
                return ""
            prev = text.rfind("\n", bound, pos - 1)
            line, pos = text[prev + 1:pos - 1], prev + 1
        else:
            if pos >= bound:
                return ""
            nxt = text.find("\n", pos + 1, bound)
            nxt = bound if nxt < 0 else nxt
            line, pos = text[pos + 1:nxt], nxt
        if line.strip():
            return line.strip()
    return ""
