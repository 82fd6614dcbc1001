"""Section numbering: among siblings of one kind, each number follows the previous one (I, II, III; 1, 2, 3;
a) b) c) d) đ) e) g) … in Vietnamese letter order). A repeat or a gap is reported; the first number of a run is
not judged, since a list may legitimately continue from elsewhere."""
from __future__ import annotations

from collections import defaultdict

from ..schema import Document, Section
from . import evidence, finding, register

LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def roman_value(s: str) -> int:
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


def ordinal(node: Section) -> int | None:
    n = node.numbering
    if node.kind == "roman":
        return roman_value(n)
    if node.kind == "arabic":
        last = n.rstrip(".").split(".")[-1]
        return int(last) if last.isdigit() else None
    if node.kind == "letter":
        return LETTERS.index(n) + 1 if n in LETTERS else None
    if node.kind == "upper":
        return ord(n) - ord("A") + 1
    if node.kind in ("article", "part", "chapter", "mục"):
        tail = n.split()[-1]
        if tail.isdigit():
            return int(tail)
        return roman_value(tail) if all(ch in _ROMAN for ch in tail) else None
    return None


def _runs(siblings: list[Section]):
    """Consecutive siblings of one kind (and, for 1.1-style numbers, one depth)."""
    groups: dict[tuple, list[Section]] = defaultdict(list)
    for s in siblings:
        if s.kind in ("bullet", "appendix"):
            continue
        depth = s.numbering.count(".") if s.kind == "arabic" else 0
        groups[(s.kind, depth)].append(s)
    return groups.values()


@register("structure.numbering", "warning", "Số thứ tự đề mục bị lặp hoặc bị nhảy cóc.")
def numbering(doc: Document):
    stack = [doc.sections]
    while stack:
        siblings = stack.pop()
        for run in _runs(siblings):
            for prev, cur in zip(run, run[1:]):
                a, b = ordinal(prev), ordinal(cur)
                if a is None or b is None or b == a + 1 or (b == 1 and a > 1):
                    continue  # a run that starts again at 1 (an attached document, a new list) is not an error
                what = "bị lặp" if b == a else ("bị nhảy cóc" if b > a else "bị đảo thứ tự")
                label = {"letter": "điểm", "roman": "mục", "arabic": "mục", "article": "điều"}.get(cur.kind, "đề mục")
                yield finding("structure.numbering",
                              f"Số thứ tự {label} {what}: \"{prev.numbering}\" rồi \"{cur.numbering}\".", doc,
                              [evidence(doc, prev.span), evidence(doc, cur.span)],
                              previous=prev.numbering, current=cur.numbering, kind=cur.kind,
                              problem="repeat" if b == a else ("gap" if b > a else "order"))
        stack.extend(s.children for s in siblings if s.children)
