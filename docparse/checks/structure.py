"""Section numbering: among siblings of one kind, each number follows the previous one (I, II, III; 1, 2, 3; (1),
(2); a) b) c) d) đ) e) g) … in Vietnamese letter order). A repeat (a duplicated section) or a gap is reported.

Not judged: the first number of a run and a run that starts again at its first value (a list may continue from
elsewhere, or a new list begins whose parent heading the outline did not catch); two siblings on either side of a
boundary where numbering legitimately restarts or is cut (an appendix or form, the "Nơi nhận" block, a portal's
elision "…" / "(đã lược bỏ)"); a gap whose missing numbers are written between the two (a heading the outline
could not read as one, such as a form's "1. Họ tên … 2. Giới tính" on one line)."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict

from ..schema import Document, Section
from . import evidence, finding, register

LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
# Capital section letters: A B C D E G … (Vietnamese order without Đ, the usual practice); a Latin F counts as G.
UPPER = "A B C D E G H I K L M N O P Q R S T U V X Y".split()
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ROMANS = "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX".split()
_MAX_GAP = 30  # a longer jump is a different list, not a skipped number

# Lines where numbering restarts or is cut: an appendix, a form, an attached regulation, the recipients block, an
# elision by the portal.
_BOUNDARY = re.compile(
    r"^[ \t#*_>]*(?:PHỤ[ \t]+LỤC|Phụ[ \t]+lục|MẪU[ \t]+SỐ|Mẫu[ \t]+số|Mẫu[ \t]+\d|BIỂU[ \t]+MẪU|Biểu[ \t]+mẫu"
    r"|Nơi[ \t]+nhận|NƠI[ \t]+NHẬN|\(?[ \t]*(?:Ban[ \t]+hành[ \t]+)?[Kk]èm[ \t]+theo"
    r"|[.…]{3,}[ \t*_.…]*$|…[ \t*_]*$|\[…\]|\[\.\.\.\]|\(…\)|\(\.\.\.\))"
    r"|\([ \t]*đã[ \t]+(?:được[ \t]+)?lược[ \t]+bỏ|Hãy đăng nhập",
    re.MULTILINE)


def numbering_cut(text: str, start: int, end: int) -> bool:
    """Whether numbering may restart or be cut between `start` and `end` (an appendix, a form, the recipients block,
    an elision "…" / "(đã lược bỏ)"); for any check that compares consecutive numbers."""
    return _BOUNDARY.search(text, start, end) is not None


def roman_value(s: str) -> int:
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


def _is_paren(node: Section) -> bool:
    return node.kind == "arabic" and node.numbering.startswith("(")


def ordinal(node: Section) -> int | None:
    n = node.numbering
    if node.kind == "roman":
        return roman_value(n)
    if _is_paren(node):
        inner = n.strip("()")
        return int(inner) if inner.isdigit() else None
    if node.kind == "arabic":
        last = n.rstrip(".").split(".")[-1]
        return int(last) if last.isdigit() else None
    if node.kind == "letter":
        return LETTERS.index(n) + 1 if n in LETTERS else None
    if node.kind == "upper":
        return UPPER.index(n) + 1 if n in UPPER else None
    if node.kind in ("article", "part", "chapter", "mục"):
        tail = n.split()[-1]
        if tail.isdigit():
            return int(tail)
        return roman_value(tail) if all(ch in _ROMAN for ch in tail) else None
    return None


def _runs(siblings: list[Section]):
    """Consecutive siblings of one kind (and, for 1.1-style numbers, one depth; "(1)" lists apart)."""
    groups: dict[tuple, list[Section]] = defaultdict(list)
    for s in siblings:
        if s.kind in ("bullet", "appendix"):
            continue
        depth = -1 if _is_paren(s) else s.numbering.count(".") if s.kind == "arabic" else 0
        groups[(s.kind, depth)].append(s)
    return groups.values()


def _marker(node: Section, value: int) -> re.Pattern | None:
    """How the number `value` of `node`'s list is written when it opens an item."""
    if _is_paren(node):
        return re.compile(rf"\({value}\)")
    if node.kind == "arabic":
        prefix = node.numbering.rstrip(".").rsplit(".", 1)[0] + "." if "." in node.numbering.rstrip(".") else ""
        # "… tiêu cực.2. Giao …": an item glued to the sentence before it still counts
        return re.compile(rf"(?:(?<![\w.,/])|(?<=[^\W\d]\.)){re.escape(prefix)}0?{value}\.(?!\d)")
    if node.kind == "letter" and value <= len(LETTERS):
        return re.compile(rf"(?<!\w){LETTERS[value - 1]}[).]")
    if node.kind == "roman" and value <= len(_ROMANS):
        return re.compile(rf"(?<![\w.]){_ROMANS[value - 1]}[ \t]*[.\-–/]")
    if node.kind == "upper" and value <= len(UPPER):
        return re.compile(rf"(?<!\w){UPPER[value - 1]}\.")
    if node.kind == "article":
        return re.compile(rf"Điều\s+{value}\b")
    return None


def _written_between(doc: Document, prev: Section, cur: Section, missing: range) -> bool:
    """Every skipped number appears as an item marker between the two: the outline missed it, the text did not."""
    between = doc.text[prev.span.start + 1:cur.span.start]  # the previous item's own line too: "1. Họ tên … 2. …"
    for v in missing:
        pat = _marker(cur, v)
        if pat is None or not pat.search(between):
            return False
    return True


_AMENDING = re.compile(r"(?:sửa\s+đổi|bổ\s+sung|thay\s+thế|thay\s+đổi)[^\n]{0,300}?như\s+sau", re.IGNORECASE)


_INSTRUCTION = re.compile(r"(?:sửa\s+đổi|bổ\s+sung|bãi\s+bỏ|thay\s+thế|thay\s+cụm|điều\s+chỉnh|hủy\s+bỏ|"
                          r"đính\s+chính)", re.IGNORECASE)  # the items are the amending document's own instructions


def _amends(doc: Document, parent: Section, first: Section) -> bool:
    """The parent item amends another text ("2. Sửa đổi, bổ sung điểm a, c khoản 1 Điều 3 như sau:")."""
    if parent.kind not in ("article", "arabic", "letter", "roman"):
        return False
    head = doc.text[parent.span.start:min(first.span.start, parent.span.start + 600)]
    return bool(_AMENDING.search(" ".join(head.split()))) and not _INSTRUCTION.match(first.title)


_LABEL = {"letter": "điểm", "roman": "mục", "arabic": "mục", "article": "điều"}


@register("structure.numbering", "warning", "Số thứ tự đề mục bị lặp (trùng mục) hoặc bị nhảy cóc.")
def numbering(doc: Document):
    cuts = [m.start() for m in _BOUNDARY.finditer(doc.text)]
    stack: list[tuple[Section | None, list[Section]]] = [(None, doc.sections)]
    while stack:
        parent, siblings = stack.pop()
        if parent is not None and _amends(doc, parent, siblings[0]):
            continue  # "Sửa đổi điểm a, c khoản 1 … như sau:": the items below are the amended text's own numbers
        for run in _runs(siblings):
            for prev, cur in zip(run, run[1:]):
                a, b = ordinal(prev), ordinal(cur)
                if a is None or b is None or b == a + 1 or b == 1 or abs(b - a) > _MAX_GAP:
                    continue  # a run that starts again at 1 (an attached document, a new list) is not an error
                if bisect_right(cuts, cur.span.start) > bisect_right(cuts, prev.span.start):
                    continue  # an appendix, a form, the recipients block or an elision lies between
                if b > a + 1 and _written_between(doc, prev, cur, range(a + 1, b)):
                    continue
                if b < a:
                    continue  # going back is a list the outline merged with another, not a numbering error
                what = "bị lặp (trùng số thứ tự)" if b == a else "bị nhảy cóc"
                if cur.kind == "letter" and prev.numbering == "d" and cur.numbering == "e":
                    what += " (thiếu điểm \"đ\" theo thứ tự chữ cái tiếng Việt)"
                label = _LABEL.get(cur.kind, "đề mục")
                yield finding("structure.numbering",
                              f"Số thứ tự {label} {what}: \"{prev.numbering}\" rồi \"{cur.numbering}\".", doc,
                              [evidence(doc, prev.span), evidence(doc, cur.span)],
                              previous=prev.numbering, current=cur.numbering, kind=cur.kind,
                              problem="repeat" if b == a else "gap")
        stack.extend((s, s.children) for s in siblings if s.children)
