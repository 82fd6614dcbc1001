"""Evidence in its surrounding text: a window of a few lines around each span, neighbouring windows merged, every
span highlighted. Only these windows go into the report (never a whole document), each stored once per finding."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from markupsafe import Markup, escape

BEFORE = 200  # characters of context wanted on each side; extended to whole lines, capped at MAX_SIDE
MAX_SIDE = 400
_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*){2,}")  # three or more line breaks: shown as one blank line


@dataclass
class Window:
    """A slice [start, end) of one document's text holding one or more pieces of evidence."""

    start: int
    end: int
    line: int = 1
    spans: list[tuple[int, int, int]] = field(default_factory=list)  # (evidence number, start, end); a negative
    # number marks a reference span (the header fields a finding compares with), highlighted apart and not numbered
    html: str = ""  # the highlighted window (markupsafe.Markup)


def bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The window around [start, end): from the line holding start-BEFORE to the line holding end+BEFORE, never more
    than MAX_SIDE characters on a side (then cut at a space)."""
    a = text.rfind("\n", 0, max(0, start - BEFORE)) + 1
    if start - a > MAX_SIDE:
        a = start - MAX_SIDE
        space = text.find(" ", a, start)
        a = space + 1 if space >= 0 else a
    b = text.find("\n", min(len(text), end + BEFORE))
    b = len(text) if b < 0 else b
    if b - end > MAX_SIDE:
        b = end + MAX_SIDE
        space = text.rfind(" ", end, b)
        b = space if space > end else b
    return a, b


def windows(text: str, spans: list[tuple[int, int, int]]) -> list[Window]:
    """Windows over `text` for the spans (evidence number, start, end), overlapping or touching windows merged."""
    out: list[Window] = []
    for n, s, e in sorted(spans, key=lambda x: (x[1], x[2])):
        s, e = max(0, min(s, len(text))), max(0, min(e, len(text)))
        a, b = bounds(text, s, e)
        if out and a <= out[-1].end:
            out[-1].end = max(out[-1].end, b)
        else:
            out.append(Window(a, b))
        out[-1].spans.append((n, s, e))
    line, pos = 1, 0
    for w in out:  # line numbers in one pass over the text
        line += text.count("\n", pos, w.start)
        pos = w.start
        w.line = line
        w.html = highlight(text, w)
    return out


def _plain(text: str) -> Markup:
    return escape(_BLANK_RUN.sub("\n\n", text))


def highlight(text: str, w: Window) -> Markup:
    """The window's text escaped, each evidence span in <mark data-ev="n …"> (overlapping spans share a mark that
    names all of them) and its number in a <sup> where it starts."""
    cuts = sorted({w.start, w.end, *(p for _, s, e in w.spans for p in (s, e))})
    starts: dict[int, list[int]] = {}
    for n, s, _ in w.spans:
        starts.setdefault(s, []).append(n)
    parts: list[str] = []
    for a, b in pairwise(cuts):
        for n in (n for n in starts.get(a, []) if n >= 0):
            parts.append(f'<sup class="evn">{n + 1}</sup>')
        covering = [n for n, s, e in w.spans if s <= a and b <= e and s < e]
        evidence = [n for n in covering if n >= 0]
        if evidence:
            parts.append(f'<mark data-ev="{" ".join(map(str, evidence))}">{escape(text[a:b])}</mark>')
        elif covering:  # a reference span (negative number): what the evidence is compared with
            parts.append(f'<mark class="ref">{escape(text[a:b])}</mark>')
        else:
            parts.append(str(_plain(text[a:b])))
    for n, s, e in w.spans:  # an empty span still shows where it is
        if s == e == w.end and n >= 0:
            parts.append(f'<sup class="evn">{n + 1}</sup>')
    prefix = "…" if w.start > 0 and text[w.start - 1] != "\n" else ""
    suffix = "…" if w.end < len(text) and text[w.end] != "\n" else ""
    return Markup(prefix + "".join(parts) + suffix)
