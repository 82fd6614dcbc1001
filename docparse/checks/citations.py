"""Citation checks inside one document: the same document cited two ways, listed twice, counted wrong, dated
after the citing document, a self-reference that disagrees with the header, series out of order."""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from rapidfuzz.distance import Levenshtein

from ..identity import citation_key, code_year, symbol_parts, type_codes
from ..safe import month_end
from ..schema import Citation, Document, Span
from . import evidence, finding, register, vn_date


def doc_bound(doc: Document) -> dt.date | None:
    """The latest day the document can be dated: its date, or the end of the month a draft leaves open."""
    h = doc.header
    if h.date:
        return h.date
    if h.date_partial and len(h.date_partial) == 7:
        return month_end(*h.date_partial.split("-"))  # None for a month 00
    return None


def same_document_groups(citations: list[Citation]) -> dict[tuple, list[Citation]]:
    """Mentions grouped by (number, symbol, year, authority); a mention with no year joins the only year its key has.
    Inside one document a local code means one register unless its mentions name different places ("… của UBND
    tỉnh A" and "… của UBND tỉnh B"): then each named place is a group, and mentions naming none stand apart."""
    by_key: dict[tuple, list[Citation]] = defaultdict(list)
    for c in citations:
        k = citation_key(c)
        if k and not c.is_self:
            by_key[k].append(c)
    groups: dict[tuple, list[Citation]] = {}
    for k, cs in by_key.items():
        years = {c.year for c in cs if c.year}
        named = {c.authority for c in cs if c.authority_source == "citation"}
        for c in cs:
            y = c.year or (next(iter(years)) if len(years) == 1 else None)
            if len(named) > 1:
                auth = c.authority if c.authority_source == "citation" else None
            else:
                auth = next(iter(named)) if named else cs[0].authority
            groups.setdefault((*k, y, auth), []).append(c)
    return groups


@register("citation.conflict", "error", "Cùng một văn bản được viện dẫn với ngày ban hành hoặc loại văn bản khác nhau.")
def conflict(doc: Document):
    for (num, sym, year, _), cs in same_document_groups(doc.citations).items():
        dated = {}
        for c in cs:
            if c.date and date_is_own(c.text, c.code):
                dated.setdefault(c.date, c)
        if len(dated) > 1:
            dates = sorted(dated)
            yield finding("citation.conflict",
                          f"Văn bản {cs[0].code} được viện dẫn với {len(dates)} ngày khác nhau: "
                          + ", ".join(vn_date(d) for d in dates) + ".",
                          doc, [evidence(doc, dated[d].span) for d in dates],
                          code=cs[0].code, dates=[d.isoformat() for d in dates], kind="date",
                          authority=cs[0].authority, authority_source=cs[0].authority_source)
        types = {}
        for c in cs:
            if c.doc_type_source == "text" and c.doc_type not in (None, "Văn bản", "Công văn"):
                types.setdefault(c.doc_type, c)
        if len(types) > 1:
            yield finding("citation.conflict",
                          f"Văn bản {cs[0].code} được gọi bằng {len(types)} loại khác nhau: {', '.join(types)}.",
                          doc, [evidence(doc, c.span) for c in types.values()], code=cs[0].code,
                          doc_types=list(types), kind="type")


def _lists(doc: Document) -> list[list[Citation]]:
    """Mentions listed one after another (Citation.group), in order."""
    lists: dict[int, list[Citation]] = defaultdict(list)
    for c in doc.citations:
        lists[c.group].append(c)
    return list(lists.values())


@register("citation.duplicate", "warning", "Một văn bản được liệt kê hai lần trong cùng một danh sách.")
def duplicate(doc: Document):
    for cs in _lists(doc):
        seen: dict[tuple, Citation] = {}
        for c in cs:
            k = citation_key(c)
            if not k:
                continue
            key = (*k, c.date)
            if key in seen:
                yield finding("citation.duplicate",
                              f"Văn bản {c.code}{' ngày ' + vn_date(c.date) if c.date else ''} được liệt kê hai lần "
                              "trong cùng một danh sách.", doc, [evidence(doc, seen[key].span), evidence(doc, c.span)],
                              code=c.code, date=c.date.isoformat() if c.date else None)
            else:
                seen[key] = c


_NUMBER_WORDS = {"hai": 2, "ba": 3, "bốn": 4, "tư": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_COUNT = re.compile(r"(?<![\w/.,])(\d{1,3}|hai|ba|bốn|sáu|bảy|tám|chín|mười)\s+(văn\s+bản|báo\s+cáo|kế\s+hoạch|quyết\s+định|"
                    r"công\s+văn|nghị\s+quyết|nghị\s+định|thông\s+báo|chỉ\s+thị|thông\s+tư|tờ\s+trình|hướng\s+dẫn)"
                    r"(?![\w])[^.;\d]{0,150}$", re.IGNORECASE)


@register("citation.count_mismatch", "warning", "Số lượng văn bản nêu trong câu khác số văn bản được liệt kê.")
def count_mismatch(doc: Document):
    for cs in _lists(doc):
        if len(cs) < 2:
            continue
        start = cs[0].span.start
        window = doc.text[max(0, start - 220):start]
        m = _COUNT.search(window)
        if not m:
            continue
        word = m.group(1).lower()
        stated = int(word) if word.isdigit() else _NUMBER_WORDS[word]
        distinct = {citation_key(c) or (c.name, c.year) for c in cs}
        if stated != len(distinct):
            a = start - len(window) + m.start()
            count_span = Span(start=a, end=a + len(m.group(1)) + 1 + len(m.group(2)))
            yield finding("citation.count_mismatch",
                          f"Câu nêu {stated} {m.group(2)} nhưng liệt kê {len(distinct)} văn bản khác nhau "
                          f"({len(cs)} lần nhắc).", doc, [evidence(doc, count_span)] + [evidence(doc, c.span) for c in cs],
                          stated=stated, listed_distinct=len(distinct), listed_mentions=len(cs))


@register("citation.after_document", "error", "Văn bản được viện dẫn có ngày ban hành sau ngày của chính văn bản.")
def after_document(doc: Document):
    """One finding per cited document and date, with every mention and the document's own date as evidence."""
    bound = doc_bound(doc)
    if bound is None:
        return
    late: dict[tuple, list[Citation]] = defaultdict(list)
    for c in doc.citations:
        if c.date and not c.is_self and c.date > bound:
            late[(c.code or c.name, c.date)].append(c)
    own = [evidence(doc, fs.span) for fs in doc.header.fields if fs.field == "date"][:1]
    for (code, date), cs in late.items():
        c = cs[0]
        yield finding("citation.after_document",
                      f"{c.doc_type or 'Văn bản'} {code} ngày {vn_date(date)} được viện dẫn trong văn bản "
                      f"ngày {vn_date(doc.header.date or doc.header.date_partial)}: "
                      "văn bản được viện dẫn không thể ban hành sau.", doc, [evidence(doc, x.span) for x in cs] + own,
                      code=c.code, cited_date=date.isoformat(), document_date=bound.isoformat())


@register("citation.self_mismatch", "error", "Phần tự dẫn chiếu (\"Kèm theo …\") không khớp số hoặc ngày của phần đầu.")
def self_mismatch(doc: Document):
    """One finding per distinct disagreement, with every self-reference that shows it."""
    h = doc.header
    found: dict[tuple, list[Citation]] = defaultdict(list)
    for c in doc.citations:
        if not c.is_self:
            continue
        problems = {}
        if h.number and c.number and c.number.lstrip("0") != h.number.lstrip("0"):
            problems["number"] = (c.number, h.number)
        if h.date and c.date and c.date != h.date:
            problems["date"] = (c.date.isoformat(), h.date.isoformat())
        if h.date_partial and c.date and c.date.strftime("%Y-%m") != h.date_partial[:7]:
            problems["date"] = (c.date.isoformat(), h.date_partial)
        if h.date and c.date_partial and h.date.strftime("%Y-%m") != c.date_partial:
            problems["date"] = (c.date_partial, h.date.isoformat())
        if problems:
            found[tuple(sorted(problems.items()))].append(c)
    for problems, cs in found.items():
        what = "; ".join(f"số {a} ≠ {b}" if k == "number" else f"ngày {vn_date(a)} ≠ {vn_date(b)}"
                         for k, (a, b) in problems) + " ở phần đầu"
        fields = {k for k, _ in problems}
        spans = [evidence(doc, c.span) for c in cs] + [evidence(doc, fs.span) for fs in h.fields if fs.field in fields]
        yield finding("citation.self_mismatch", f"Phần tự dẫn chiếu không khớp với phần đầu văn bản: {what}.", doc,
                      spans, **{k: list(v) for k, v in problems})


_BLANK_DAY = re.compile(r"[\s*_]*,?[\s*_]*ngày[\s_.…*]*(?:tháng|/)", re.I)


@register("citation.self_blank", "warning",
          "Văn bản đã có số và ngày ban hành nhưng phần tự dẫn chiếu (\"Kèm theo … số … ngày …\") còn để trống số hoặc "
          "ngày (Nghị định 30/2020/NĐ-CP: phụ lục ghi số, ký hiệu, ngày của văn bản kèm theo).")
def self_blank(doc: Document):
    """A draft leaves its own number blank everywhere (header.missing_number says so); an issued document whose
    appendix still reads "Kèm theo Quyết định số /QĐ-UBND ngày /11/2025" was not completed when numbered. One
    finding per document, every blank self-reference as evidence."""
    h = doc.header
    if not h.number or not h.date:
        return
    blanks = []
    for c in doc.citations:
        if not c.is_self or c.doc_type != h.doc_type:
            continue
        missing = (["số"] if c.number is None else []) + \
            (["ngày"] if c.date is None and (c.date_partial or _BLANK_DAY.match(doc.text, c.span.end, c.span.end + 40))
             else [])
        if missing:
            blanks.append((c, missing))
    if blanks:
        what = sorted({m for _, ms in blanks for m in ms}, reverse=True)
        yield finding("citation.self_blank",
                      f"Văn bản số {h.code} ngày {vn_date(h.date)} nhưng {len(blanks)} chỗ tự dẫn chiếu còn để trống "
                      f"{' và '.join(what)}.", doc,
                      [evidence(doc, c.span) for c, _ in blanks] +
                      [evidence(doc, fs.span) for fs in h.fields if fs.field == "number"],
                      blank=what, places=len(blanks))


def _num(n: str) -> int | None:
    m = re.match(r"\d+", n)
    return int(m.group()) if m else None


def series_out_of_order(items: list[tuple[str, dt.date, object]]):
    """Pairs (lower number, later date) within one series: items are (number_key, date, payload)."""
    ordered = sorted((x for x in items if _num(x[0]) is not None), key=lambda x: _num(x[0]))
    for i, (n1, d1, p1) in enumerate(ordered):
        for n2, d2, p2 in ordered[i + 1:]:
            if _num(n2) > _num(n1) and d2 < d1:
                yield (n1, d1, p1), (n2, d2, p2)


@register("citation.sequence", "info", "Trong cùng một sổ văn bản và năm, số lớn hơn lại có ngày sớm hơn.")
def sequence(doc: Document):
    series: dict[tuple, dict[str, tuple]] = defaultdict(dict)
    for (num, sym, year, auth), cs in same_document_groups(doc.citations).items():
        dated = [c for c in cs if c.date]
        if dated and year:  # the type joins the series: Luật and Nghị quyết of Quốc hội share "2025/QH15"
            series[(sym, year, auth, dated[0].doc_type)].setdefault(num, (num, dated[0].date, dated[0]))
    for (sym, year, _, _), docs in series.items():
        for (n1, d1, c1), (n2, d2, c2) in list(series_out_of_order(list(docs.values())))[:3]:
            yield finding("citation.sequence",
                          f"Ký hiệu {c1.symbol} năm {year}: số {c2.number} ngày {vn_date(d2)} lại sớm hơn số {c1.number} "
                          f"ngày {vn_date(d1)}. Có thể là sai sót, hoặc hai sổ văn bản khác nhau dùng chung ký hiệu "
                          "(ví dụ Chủ tịch UBND và UBND tỉnh).", doc, [evidence(doc, c1.span), evidence(doc, c2.span)],
                          symbol=c1.symbol, year=year)


# Characters a typist or an OCR pass confuses (Đ/D is folded already in symbol keys).
_LOOKALIKE_PAIRS = {frozenset(p) for p in ("O0", "OQ", "OD", "QD", "I1", "IL", "1L", "B8", "S5", "Z2", "G6", "UV",
                                           "CG", "EF", "PR")}


_YEAR = re.compile(r"^(?:19|20)\d{2}/")


def plausible_typo(a: str, b: str) -> bool:
    """Two symbol keys of one register that are one slip apart: the same issuing part, and a type part that differs
    by a stray hyphen or by one look-alike character giving a code that is no document type; for a công văn (no
    type part), units one edit apart. Issuing parts are never fuzzy-matched: TT-BCT and TT-BTP are two ministries."""
    if a == b:
        return False
    (ta, ia), (tb, ib) = symbol_parts(a), symbol_parts(b)
    if a.replace("-", "") == b.replace("-", ""):
        return True
    if ia != ib or not ia:
        return False
    if not ta and not tb:  # công văn: one register per body, so one number is one letter; units one slip apart
        return Levenshtein.distance(_YEAR.sub("", a), _YEAR.sub("", b)) == 1
    if len(ta) != len(tb) or a.replace(ta, tb, 1) != b:
        return False
    diff = [(x, y) for x, y in zip(ta, tb) if x != y]
    known = type_codes()
    return len(diff) == 1 and frozenset(diff[0]) in _LOOKALIKE_PAIRS and (ta in known) != (tb in known)


def symbol_variants(keys: dict[tuple, object]):
    """Pairs of keys (number, symbol, year, authority) with the same number, year and authority whose symbols are
    one slip apart (plausible_typo)."""
    by_num: dict[tuple, list] = defaultdict(list)
    for k in keys:
        by_num[(k[0], k[2], k[3])].append(k)
    for (_, _, auth), ks in by_num.items():
        if auth is None:
            continue  # an unknown register cannot be compared with anything
        for i, a in enumerate(ks):
            for b in ks[i + 1:]:
                if plausible_typo(a[1], b[1]):
                    yield a, b


@register("citation.symbol_variant", "warning", "Cùng số, cùng năm nhưng ký hiệu gần giống nhau: có thể gõ sai.")
def symbol_variant(doc: Document):
    first: dict[tuple, Citation] = {}
    for key, cs in same_document_groups(doc.citations).items():
        first.setdefault(key, cs[0])
    for a, b in symbol_variants(first):
        ca, cb = first[a], first[b]
        yield finding("citation.symbol_variant",
                      f"{ca.code} và {cb.code} ({ca.authority}): cùng số, cùng năm, ký hiệu chỉ khác một ký tự dễ nhầm — "
                      "có phải cùng một văn bản bị gõ sai?", doc, [evidence(doc, ca.span), evidence(doc, cb.span)],
                      codes=[ca.code, cb.code], authority=ca.authority, authority_source=ca.authority_source)


@register("citation.year_mismatch", "error", "Năm ghi trong số ký hiệu (46/2002/QĐ-UBND) khác năm của ngày ban hành "
                                             "ghi liền sau nó.")
def year_mismatch(doc: Document):
    h = doc.header
    if h.year and h.date and h.date_valid and h.year != h.date.year:
        spans = [evidence(doc, fs.span) for fs in h.fields if fs.field in ("number", "date")]
        if len(spans) == 2:
            yield finding("citation.year_mismatch",
                          f"Số ký hiệu {h.code} ở phần đầu mang năm {h.year} nhưng văn bản ghi ngày {vn_date(h.date)}.",
                          doc, spans, code=h.code, code_year=h.year, date=h.date.isoformat(), where="header")
    wrong: dict[tuple, list[Citation]] = defaultdict(list)  # one finding per (code, date), every place it is written
    for c in doc.citations:
        y = code_year(c.code)
        if y and c.date and c.date_valid and c.date.year != y and _date_follows_code(c):
            wrong[(citation_key(c), c.date)].append(c)
    for cs in wrong.values():
        c, y = cs[0], code_year(cs[0].code)
        yield finding("citation.year_mismatch",
                      f"{c.doc_type or 'Văn bản'} {c.code} mang năm {y} trong số ký hiệu nhưng được ghi ngày "
                      f"{vn_date(c.date)}" + (f" ({len(cs)} lần)" if len(cs) > 1 else "") + ": năm trong số ký hiệu phải "
                      "là năm ban hành.", doc, [evidence(doc, x.span) for x in cs],
                      code=c.code, code_year=y, date=c.date.isoformat(), where="citation")


_CODE_THEN_DATE = re.compile(r"^[\s,]*(?:được\s+)?(?:ban\s+hành\s+)?(?:vào\s+)?ngày\b", re.IGNORECASE)


def _after_code(text: str, code: str | None) -> str | None:
    """What the citation's text holds after its code, markup dropped; None when the code cannot be found."""
    compact = re.sub(r"\s+", "", text)
    at = compact.find(code or "\0")
    if at < 0:
        return None
    i, seen, target = 0, 0, at + len(code)  # walk the text to the code's end, skipping the spaces compact dropped
    while i < len(text) and seen < target:
        if not text[i].isspace():
            seen += 1
        i += 1
    return text[i:].replace("*", "").replace("_", "")


_NEW_SENTENCE_DATE = re.compile(r"^[ \t]*\n\s*Ngày\b")


def date_is_own(text: str, code: str | None) -> bool:
    """False when the date only looks attached: "… Nghị quyết số 66-NQ/TW⏎Ngày 28 tháng 11 năm 2025, tại …" opens a
    new sentence (a capitalised "Ngày" on the next line) and dates something else."""
    rest = _after_code(text, code)
    return rest is None or not _NEW_SENTENCE_DATE.match(rest)


def _date_follows_code(c: Citation) -> bool:
    """The date is the citation's own: written right after its code ("46/2002/QĐ-UBND ngày 12/9/2022"), not after
    an issuer or another reference, nor opening the next sentence."""
    rest = _after_code(c.text, c.code)
    return rest is not None and bool(_CODE_THEN_DATE.match(rest)) and not _NEW_SENTENCE_DATE.match(rest)
