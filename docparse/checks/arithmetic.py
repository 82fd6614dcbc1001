"""Figures that must agree: a stated percentage and its own numerator/denominator, parts and their total ("trong
đó", table parents and children), the same figure in the body and in the appendix, numbers that break both
digit-grouping conventions.

Tolerance follows the stated precision: a percentage written with d decimals may differ from the computed one by
one unit of its last place (83% for 82,9% is fine; rounding down is common).
"""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..schema import Document, Indicator, StatRow
from . import evidence, finding, register

_TRONG_DO = re.compile(r"trong\s+đó", re.IGNORECASE)


def _pct(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


def _num(x: float) -> str:
    return f"{x:,.0f}".replace(",", ".") if float(x).is_integer() else f"{x}".replace(".", ",")


def _close(stated: float, computed: float, decimals: int) -> bool:
    return abs(stated - computed) <= 10 ** (-decimals) + 1e-9


def _same_sentence(doc: Document, a: int, b: int) -> bool:
    between = doc.text[a:b]
    return not re.search(r"[;\t|]|\.(?:\s|$)|\n\s*\n", between)


_SHARE = re.compile(r"chiếm|đạt|tương\s+ứng|bằng|=|\(", re.IGNORECASE)
_CHANGE = re.compile(r"(tăng|vượt|giảm)", re.IGNORECASE)
_BOUND_BEFORE = re.compile(r"(?:từ|dưới|trên|hơn|không\s+quá|tối\s+thiểu|tối\s+đa|ít\s+nhất)\s*$", re.IGNORECASE)
_BOUND_AFTER = re.compile(r"trở\s+lên|trở\s+xuống|trở\s+đi", re.IGNORECASE)
_THRESHOLD = {"dưới", "trên", "hơn", "tối thiểu", "tối đa", "ít nhất", "gấp", "gần gấp"}


def _ratio_pairs(doc: Document):
    """(ratio indicator, the percentage that states it, how: "share" | "tăng" | "giảm") in the same clause. A
    percentage that is a threshold ("06/34 địa phương đạt dưới 90%") states nothing about the ratio."""
    inds = doc.indicators
    for i, r in enumerate(inds):
        if r.kind != "ratio" or not r.denominator or r.numerator is None:  # "6.2/1": a malformed numerator
            continue
        for p in inds[i + 1:i + 3]:
            if p.kind != "percent" or p.span.start - r.span.end > 80 or not _same_sentence(doc, r.span.end, p.span.start):
                continue
            if p.qualifier in _THRESHOLD or _BOUND_BEFORE.search(doc.text, max(0, p.span.start - 14), p.span.start) \
                    or _BOUND_AFTER.search(doc.text[p.span.end:p.span.end + 40]):
                break
            between = doc.text[r.span.end:p.span.start]
            change = _CHANGE.search(between)
            if change:
                yield r, p, "giảm" if change.group(1).lower() == "giảm" else "tăng"
            elif _SHARE.search(between) or not between.strip():
                yield r, p, "share"
            break


def _decimals(ind) -> int:
    """Stated precision; trailing zeros add none ("99.20%" is 99,2 padded by a spreadsheet)."""
    frac = re.search(r"[.,](\d+)\s*%?\s*$", ind.text if hasattr(ind, "text") else "")
    return len(frac.group(1).rstrip("0")) if frac else 0


def _trong_do_groups(doc: Document):
    """(parent count, [part counts], [(part, percent)]) for "P …, trong đó a …, b …" in one clause."""
    inds = doc.indicators
    for i, parent in enumerate(inds):
        if parent.kind != "count" or parent.value is None:
            continue
        nxt = inds[i + 1] if i + 1 < len(inds) else None
        if nxt is None or not _TRONG_DO.search(doc.text[parent.span.end:nxt.span.start]) \
                or not _same_sentence(doc, parent.span.end, nxt.span.start):
            continue
        parts, shares = [], []
        limit = _parts_end(doc.text, parent.span.end, nxt.span.start)
        for ind in inds[i + 1:]:
            if ind.span.start >= limit or not _same_sentence(doc, parent.span.end, ind.span.start) \
                    or (parts and _NEW_TOTAL.search(doc.text, parts[-1].span.end, ind.span.start)):
                break
            if ind.kind == "count" and ind.unit == parent.unit:
                parts.append(ind)
            elif ind.kind == "percent" and parts:
                shares.append((parts[-1], ind))
            elif ind.kind not in ("percent", "count"):
                break
        if parts:
            yield parent, parts, shares


_NEW_TOTAL = re.compile(r"\b(?:nâng|tổng|lũy\s+kế|cộng\s+dồn|còn\s+lại|ngoài\s+ra)", re.IGNORECASE)


def _parts_end(text: str, after_parent: int, first_part: int) -> int:
    """Where the parts of a "trong đó" end: at the ")" that closes "(trong đó: …)", else with the clause. A figure
    after the parenthesis ("…), nâng tổng số … lên 188") is a new total, not a part."""
    between = text[after_parent:first_part]
    opened = between.rfind("(")
    if opened < 0 or ")" in between[opened:]:
        return len(text)
    close = text.find(")", first_part)
    return len(text) if close < 0 else close


@register("arithmetic.ratio_mismatch", "error", "Tỷ lệ phần trăm nêu ra không khớp với tử số và mẫu số của chính nó.")
def ratio_mismatch(doc: Document):
    for r, p, how in _ratio_pairs(doc):
        share = r.numerator / r.denominator * 100
        computed = share if how == "share" else share - 100 if how == "tăng" else 100 - share
        if p.value is not None and not _close(p.value, computed, _decimals(p)):
            said = "" if how == "share" else f" ({how} so với mẫu số)"
            yield finding("arithmetic.ratio_mismatch",
                          f"{r.text.strip()}{said} = {_pct(computed)}, nhưng văn bản ghi {p.text.strip()}.", doc,
                          [evidence(doc, r.span), evidence(doc, p.span)], numerator=r.numerator,
                          denominator=r.denominator, stated=p.value, computed=round(computed, 4))
    for parent, parts, shares in _trong_do_groups(doc):
        for part, p in shares:
            if not parent.value or p.value is None or part.value is None:
                continue
            computed = part.value / parent.value * 100
            if not _close(p.value, computed, _decimals(p)):
                yield finding("arithmetic.ratio_mismatch",
                              f"{_num(part.value)}/{_num(parent.value)} {parent.unit or ''} = {_pct(computed)}, nhưng "
                              f"văn bản ghi {p.text.strip()}.", doc,
                              [evidence(doc, parent.span), evidence(doc, part.span), evidence(doc, p.span)],
                              numerator=part.value, denominator=parent.value, stated=p.value,
                              computed=round(computed, 4))
    yield from _table_ratios(doc)


def _children(rows: list[StatRow], parent: StatRow) -> list[StatRow]:
    prefix = parent.code + "."
    return [r for r in rows if r.form == parent.form and r.code.startswith(prefix)
            and r.code.count(".") == parent.code.count(".") + 1]


def _table_ratios(doc: Document):
    rows = doc.stat_rows
    for parent in rows:
        if not parent.percent or parent.value_text is None:
            continue
        kids = [k for k in _children(rows, parent) if not k.percent and k.value_text]
        if len(kids) != 2:
            continue
        total, part = sorted(kids, key=lambda k: _literal(k) or 0, reverse=True)
        t, pv, stated = _literal(total), _literal(part), _literal(parent)
        if not t or pv is None or stated is None:
            continue
        computed = pv / t * 100
        if not _close(stated, computed, _row_decimals(parent)):
            yield finding("arithmetic.ratio_mismatch",
                          f"Dòng {parent.code} ghi {parent.value_text.strip()}, nhưng {part.code}/{total.code} = "
                          f"{part.value_text}/{total.value_text} = {_pct(computed)}"
                          + (" (số liệu viết sai quy cách)." if part.malformed or total.malformed else "."), doc,
                          [evidence(doc, parent.span), evidence(doc, part.span), evidence(doc, total.span)],
                          row=parent.code, stated=stated, computed=round(computed, 4))


def _row_decimals(row: StatRow) -> int:
    frac = re.search(r"[.,](\d+)\s*%?\s*$", row.value_text or "")
    return len(frac.group(1).rstrip("0")) if frac else 0


def _literal(row: StatRow) -> float | None:
    """The value as written: a malformed number is read literally (158.55), so the arithmetic shows the error."""
    if row.value is not None:
        return row.value
    if row.value_text:
        s = row.value_text.rstrip("% ").strip()
        if re.fullmatch(r"\d+\.\d+", s):
            return float(s)
        if re.fullmatch(r"\d+,\d+", s):
            return float(s.replace(",", "."))
    return None


@register("arithmetic.sum_mismatch", "warning", "Các thành phần không cộng lại bằng tổng.")
def sum_mismatch(doc: Document):
    for parent, parts, _ in _trong_do_groups(doc):
        if len(parts) < 2:
            if parts[0].value is not None and parts[0].value > parent.value:
                yield finding("arithmetic.sum_mismatch",
                              f"Phần \"{parts[0].text.strip()}\" lớn hơn tổng \"{parent.text.strip()}\".", doc,
                              [evidence(doc, parent.span), evidence(doc, parts[0].span)], total=parent.value,
                              parts=[parts[0].value])
            continue
        total = sum(p.value or 0 for p in parts)
        if total != parent.value:
            yield finding("arithmetic.sum_mismatch",
                          f"{' + '.join(_num(p.value) for p in parts)} = {_num(total)} {parent.unit or ''}, khác tổng "
                          f"{_num(parent.value)} nêu trước \"trong đó\".", doc,
                          [evidence(doc, parent.span)] + [evidence(doc, p.span) for p in parts],
                          total=parent.value, parts=[p.value for p in parts], computed=total)
    yield from _received_resolved_pending(doc)
    rows = doc.stat_rows
    for parent in rows:
        if parent.percent or parent.value is None or "=" in (parent.unit or ""):
            continue
        kids = _children(rows, parent)
        if len(kids) < 2 or any(k.value is None or k.percent or (k.unit or "").lower() != (parent.unit or "").lower()
                                for k in kids):
            continue
        total = sum(k.value for k in kids)
        if abs(total - parent.value) > 1e-6:
            yield finding("arithmetic.sum_mismatch",
                          f"Dòng {parent.code} ghi {_num(parent.value)}, nhưng tổng các dòng con "
                          f"{', '.join(k.code for k in kids)} là {_num(total)}.", doc,
                          [evidence(doc, parent.span)] + [evidence(doc, k.span) for k in kids],
                          row=parent.code, total=parent.value, computed=total)


_RECEIVED = re.compile(r"tiếp\s+nhận", re.IGNORECASE)
_PENDING = re.compile(r"(?:đang|chưa)\s+giải\s+quyết", re.IGNORECASE)
_RESOLVED = re.compile(r"(?<!đang )(?<!chưa )giải\s+quyết", re.IGNORECASE)


def _received_resolved_pending(doc: Document):
    """"tiếp nhận T …; đã giải quyết R …; đang giải quyết D" in one paragraph: T = R + D."""
    inds = [i for i in doc.indicators if i.kind == "count" and i.label and i.value is not None]
    for n, t in enumerate(inds):
        if not _RECEIVED.search(t.label):
            continue
        r = d = None
        for i in inds[n + 1:n + 12]:
            if i.unit != t.unit or "\n\n" in doc.text[t.span.end:i.span.start] or _RECEIVED.search(i.label):
                break
            if d is None and r is not None and _PENDING.search(i.label):
                d = i
                break
            if r is None and _RESOLVED.search(i.label) and not _PENDING.search(i.label):
                r = i
        if r is None or d is None or r.value + d.value == t.value:
            continue
        yield finding("arithmetic.sum_mismatch",
                      f"Tiếp nhận {_num(t.value)} {t.unit} nhưng đã giải quyết {_num(r.value)} + đang giải quyết "
                      f"{_num(d.value)} = {_num(r.value + d.value)}.", doc,
                      [evidence(doc, t.span), evidence(doc, r.span), evidence(doc, d.span)],
                      total=t.value, parts=[r.value, d.value], computed=r.value + d.value)


@register("number.malformed", "warning", "Con số viết sai quy cách phân nhóm chữ số (không đúng kiểu Việt lẫn kiểu Anh).")
def malformed(doc: Document):
    for r in doc.stat_rows:
        if r.malformed:
            yield finding("number.malformed", f"Dòng {r.code}: \"{r.value_text}\" không phải một con số hợp lệ "
                          "(nhóm chữ số sai quy cách).", doc, [evidence(doc, r.span)], row=r.code, text=r.value_text)
    for i in doc.indicators:
        if i.malformed:
            yield finding("number.malformed", f"\"{i.text.strip()}\" không phải một con số hợp lệ (nhóm chữ số sai "
                          "quy cách).", doc, [evidence(doc, i.span)], text=i.text)


@register("indicator.text_table_mismatch", "warning",
          "Cùng một chỉ tiêu được nêu trong thân văn bản và trong phụ lục với hai giá trị khác nhau.")
def text_table_mismatch(doc: Document):
    rows = [r for r in doc.stat_rows if r.value is not None and not r.percent and "=" not in (r.unit or "")]
    counts: list[Indicator] = [i for i in doc.indicators if i.kind == "count" and i.value is not None and i.label]
    counts = [i for i in counts if len(i.label.split()) >= 3]
    for r in rows:
        label = re.sub(r"^(?:tổng\s+)?số\s+(?:lượng\s+)?", "", r.label.lower())
        if len(label.split()) < 3:
            continue
        similar = [i for i in counts if fuzz.token_sort_ratio(label, i.label.lower()) >= 88]
        if not similar or any(i.value == r.value for i in similar):
            continue
        best = max(similar, key=lambda i: fuzz.token_sort_ratio(label, i.label.lower()))
        yield finding("indicator.text_table_mismatch",
                      f"\"{best.label}\" là {_num(best.value)} trong thân văn bản nhưng dòng {r.code} của phụ lục ghi "
                      f"{_num(r.value)}.", doc, [evidence(doc, best.span), evidence(doc, r.span)],
                      row=r.code, text_value=best.value, table_value=r.value)
