"""Legal-portal wrappers around a document converted to Markdown: the copyright banner and metadata table above
the real header, the summary and "Văn bản liên quan" trailer below the signature. Their numbers and dates are
the portal's, not the document's references, so extraction runs only on the body between them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_BANNER_END = re.compile(r"^\s*Đang tải văn bản\.*\s*$", re.MULTILINE)
_META_LABEL = re.compile(r"^[\s|*#]*([^\W\d_][^:|\n]{1,30}):[\s*]*$")
_NATIONAL = re.compile(r"C[ỘO]NG\s+H[ÒOÀ]A\s+X[ÃA]\s+H[ỘO]I|Đ[ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM", re.IGNORECASE)
_TRAILER = re.compile(r"^\s*(?:Văn bản này chưa cập nhật nội dung Tiếng Anh|#+\s*Văn bản liên quan|#+\s*Lược đồ)\s*$",
                      re.MULTILINE)
_TRAILER_WORDS = ("Văn bản này chưa cập nhật nội dung Tiếng Anh", "Văn bản liên quan", "Lược đồ")  # what _TRAILER holds
_TRAILER_SUMMARY = re.compile(r"^[^\n|]{10,400}\b(?:ban hành|do [^\n]+ban hành)\s*$", re.IGNORECASE)


def _line_search(rx: re.Pattern, text: str, words: tuple[str, ...], start: int, end: int) -> re.Match | None:
    """rx.search(text, start, end) for a MULTILINE rx made of ^, blanks, "#" marks (or none), one of `words`, then
    the rest of its line. A pattern opened by ^ is tried at every position (and at each line start of a blank run,
    over the whole run); here str.find goes to each occurrence of a word and rx is tried at most twice before it:
    at the first line start from which only blanks and the last run of "#" lead to the word, and at the first one
    after that run (every line start in either range gives the same answer). The blanks before two occurrences
    never overlap (a word is not blank), so the first match found is the leftmost."""
    pos = start
    nxt = [text.find(w, pos, end) for w in words]  # each word's next occurrence, found again once passed
    while True:
        hits = [p for p in nxt if p >= 0]
        if not hits:
            return None
        q = min(hits)
        s = q
        while s > pos and (text[s - 1].isspace() or text[s - 1] == "#"):
            s -= 1
        mark = text.rfind("#", s, q)  # the last "#" before the word
        ranges = [(s, q)]
        if mark >= 0:
            run = mark
            while run > s and text[run - 1] == "#":
                run -= 1
            ranges = [(max(s, text.rfind("#", s, run) + 1), run), (mark + 1, q)]
        for a, b in ranges:
            line = a if a == 0 or text[a - 1] == "\n" else text.find("\n", a, b) + 1
            if 0 < line <= b or line == a:
                m = rx.match(text, line, end)
                if m:
                    return m
        pos = q + 1
        nxt = [text.find(w, pos, end) if 0 <= p < pos else p for w, p in zip(words, nxt)]


@dataclass
class PortalLayout:
    body_start: int = 0
    body_end: int = 0
    metadata: dict[str, tuple[str, int, int]] = field(default_factory=dict)  # label → (value, start, end)


def detect(text: str) -> PortalLayout:
    layout = PortalLayout(0, len(text))
    banner = _line_search(_BANNER_END, text, ("Đang tải văn bản",), 0, 20000)
    if not banner:
        return layout
    pos = banner.end()
    label = None
    meta_end = pos
    for m in re.finditer(r"[^\n]*\n?", text[pos:pos + 6000]):
        line = m.group(0)
        a = pos + m.start()
        stripped = line.strip().strip("|*# ").strip()
        if not stripped:
            continue
        lm = _META_LABEL.match(line)
        if lm and len(lm.group(1).split()) <= 5:
            label = " ".join(lm.group(1).strip("* ").split())
            meta_end = a + len(line)
            continue
        if label is not None:
            lead = len(line) - len(line.lstrip(" |*"))
            layout.metadata[label] = (stripped, a + lead, a + lead + len(stripped))
            meta_end = a + len(line)
            last = label
            label = None
            if last.lower().startswith("tình trạng"):
                break
            continue
        break
    layout.body_start = meta_end
    nat = _NATIONAL.search(text, meta_end, meta_end + 8000)
    if nat:
        pipes = [m.start() for m in re.finditer(r"^\s*\|\s*$", text[meta_end:nat.start()], re.MULTILINE)]
        if len(pipes) >= 2:
            layout.body_start = meta_end + pipes[-2]
        elif pipes:
            layout.body_start = meta_end + pipes[-1]
    trailer = _line_search(_TRAILER, text, _TRAILER_WORDS, layout.body_start, len(text))
    if trailer:
        end = trailer.start()
        for _ in range(3):
            prev_nl = text.rfind("\n", 0, max(0, end - 1))
            line = text[prev_nl + 1:end].strip()
            if _TRAILER_SUMMARY.match(line):
                end = prev_nl + 1
            else:
                break
        layout.body_end = end
    return layout
