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
_FIRST = set("0123456789-+•PCMĐIVXL")
_ROMAN_OK = re.compile(r"^(?:X{0,3})(?:IX|IV|V?I{0,3})$")


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
    raw_lines = text[start:end].split("\n")
    stripped = [r.strip(" \t#") for r in raw_lines]
    prev = ""
    a = start
    for idx, raw in enumerate(raw_lines):
        line_start, a = a, a + len(raw) + 1
        s = stripped[idx]
        if not s:
            continue
        prev_s, prev = prev, s
        if not (s[0] in _FIRST or (len(s) > 1 and s[1] == ")")):
            continue
        if "\t" in raw.strip() or (prev_s == "|" and _next_nonblank(stripped, idx) == "|"):
            continue
        for kind, rx, base in _PATTERNS:
            m = rx.match(s)
            if not m:
                continue
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


def _next_nonblank(stripped: list[str], idx: int) -> str:
    for s in stripped[idx + 1: idx + 4]:
        if s:
            return s
    return ""
