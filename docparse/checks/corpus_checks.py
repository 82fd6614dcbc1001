"""Checks across a corpus: the same document cited with different dates by different documents, or cited with a
date its own header contradicts (the strongest evidence), near-identical symbols, series out of order.

Plan against report: each task of a plan is looked for, with rapidfuzz, in the later reports of the same issuer.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

import re

from rapidfuzz import fuzz, process

from ..identity import document_id, national_series
from ..normalize import fold
from ..schema import Document
from ..schema import Evidence, Span
from . import finding, register
from .citations import series_out_of_order, symbol_variants


def _mentions(corpus):
    """(number, symbol, year) → list of (doc_id, date, doc_type, source, code, span, text) for coded citations."""
    rows = corpus.conn.execute(
        "SELECT doc_id, number_key, symbol_key, year, date, doc_type, doc_type_source, code, start, \"end\", text "
        "FROM citations WHERE number_key IS NOT NULL AND is_self = 0")
    by_key: dict[tuple, list] = defaultdict(list)
    years: dict[tuple, set] = defaultdict(set)
    raw = list(rows)
    for r in raw:
        if r[3]:
            years[(r[1], r[2])].add(r[3])
    for doc_id, n, s, y, date, doc_type, source, code, a, b, text in raw:
        ys = years[(n, s)]
        y = y or (next(iter(ys)) if len(ys) == 1 else None)
        by_key[(n, s, y)].append((doc_id, date, doc_type, source, code, Span(start=a, end=b), text))
    return by_key


def _headers(corpus):
    return {(n, s, y): (doc_id, date, doc_type, code) for doc_id, n, s, y, date, doc_type, code in corpus.conn.execute(
        "SELECT id, number_key, symbol_key, year, date, doc_type, code FROM documents WHERE number_key IS NOT NULL")}


def _fmt(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if len(iso) == 10 else iso


@register("citation.conflict", "error", "Cùng một văn bản được viện dẫn với ngày ban hành hoặc loại văn bản khác nhau.",
          scope="corpus")
def conflict_across(corpus):
    headers = _headers(corpus)
    for key, ms in _mentions(corpus).items():
        header = headers.get(key) or headers.get((key[0], key[1], None))
        by_date: dict[str, tuple] = {}
        for m in ms:
            if m[1]:
                by_date.setdefault(m[1], m)
        docs = {m[0] for m in by_date.values()}
        code = ms[0][4]
        if header and header[2]:
            typed = [m for m in ms if m[3] == "text" and m[2] not in (None, "Văn bản", "Công văn", header[2])
                     and m[0] != header[0]]
            if typed:
                yield finding(
                    "citation.conflict",
                    f"Văn bản {header[3]} là {header[2]} theo phần đầu của chính nó, nhưng được viện dẫn là "
                    + ", ".join(f"{m[2]} (trong {m[0]})" for m in typed) + ".", None,
                    [Evidence(document=m[0], span=m[5], text=m[6]) for m in typed],
                    code=header[3], header_document=header[0], header_type=header[2],
                    cited_types=sorted({m[2] for m in typed}), kind="header_type")
        if header and header[1] and len(header[1]) == 10:
            seen_docs: set = set()
            wrong = [m for m in ms if m[1] and m[1] != header[1] and m[0] != header[0]
                     and not (m[0] in seen_docs or seen_docs.add(m[0]))]
            if wrong:
                yield finding(
                    "citation.conflict",
                    f"Văn bản {header[3]} tự ghi ngày {_fmt(header[1])} ở phần đầu, nhưng được viện dẫn là ngày "
                    + ", ".join(f"{_fmt(m[1])} (trong {m[0]})" for m in wrong) + ". Phần đầu của chính văn bản là "
                    "bằng chứng mạnh nhất.", None,
                    [Evidence(document=m[0], span=m[5], text=m[6]) for m in wrong],
                    code=header[3], header_document=header[0], header_date=header[1],
                    cited_dates=sorted({m[1] for m in wrong}), kind="header_date")
            continue
        if len(by_date) > 1 and len(docs) > 1:
            dates = sorted(by_date)
            per_doc = {}  # every citing document, once, with the date it gives
            for m in ms:
                if m[1]:
                    per_doc.setdefault((m[0], m[1]), m)
            yield finding("citation.conflict",
                          f"Văn bản {code} được các văn bản khác nhau viện dẫn với ngày khác nhau: "
                          + "; ".join(f"{_fmt(d)} (trong {', '.join(sorted({k[0] for k in per_doc if k[1] == d}))})"
                                      for d in dates) + ".", None,
                          [Evidence(document=m[0], span=m[5], text=m[6]) for m in per_doc.values()],
                          code=code, dates=dates, kind="date")


@register("citation.symbol_variant", "warning", "Cùng số, cùng năm nhưng ký hiệu gần giống nhau: có thể gõ sai.",
          scope="corpus")
def symbol_variant_across(corpus):
    mentions = _mentions(corpus)
    first = {k: ms[0] for k, ms in mentions.items()}
    for a, b in symbol_variants(first):
        ma, mb = first[a], first[b]
        if ma[0] == mb[0]:
            continue  # same document: reported by the document check
        yield finding("citation.symbol_variant",
                      f"{ma[4]} (trong {ma[0]}) và {mb[4]} (trong {mb[0]}): cùng số, ký hiệu gần giống nhau — có phải "
                      "cùng một văn bản bị gõ sai?", None,
                      [Evidence(document=ma[0], span=ma[5], text=ma[6]), Evidence(document=mb[0], span=mb[5], text=mb[6])],
                      codes=[ma[4], mb[4]])


@register("citation.sequence", "info", "Trong cùng một sổ văn bản và năm, số lớn hơn lại có ngày sớm hơn.",
          scope="corpus")
def sequence_across(corpus):
    series: dict[tuple, dict[str, tuple]] = defaultdict(dict)
    for (n, s, y), ms in _mentions(corpus).items():
        dated = [m for m in ms if m[1] and len(m[1]) == 10]
        if dated and y:  # the type joins the series: Luật and Nghị quyết of Quốc hội share "2025/QH15"
            series[(s, y, dated[0][2])].setdefault(n, (n, dt.date.fromisoformat(dated[0][1]), dated[0]))
    for (s, y, _), docs in series.items():
        if len({p[2][0] for p in docs.values()}) < 2 or not national_series(s):
            continue  # one citing document: the document check covers it; local series differ by province
        for (n1, d1, m1), (n2, d2, m2) in list(series_out_of_order(list(docs.values())))[:3]:
            if m1[0] == m2[0]:
                continue
            yield finding("citation.sequence",
                          f"Ký hiệu {m1[4].split('/', 1)[-1]} năm {y}: số {m2[4]} ngày {d2.strftime('%d/%m/%Y')} lại sớm "
                          f"hơn số {m1[4]} ngày {d1.strftime('%d/%m/%Y')} (viện dẫn trong các văn bản khác nhau). Có thể "
                          "là sai sót, hoặc hai sổ văn bản dùng chung ký hiệu.", None,
                          [Evidence(document=m1[0], span=m1[5], text=m1[6]),
                           Evidence(document=m2[0], span=m2[5], text=m2[6])], year=y)


_PLANS = ("Kế hoạch", "Chương trình", "Đề án", "Phương án")
_SENTENCE = re.compile(r"(?<=[.;:])\s+|\n\s*[-+•]\s*|\n\s*\n")


def _issuer_key(doc: Document) -> str | None:
    """Who issued the document: its issuing body, else the agency part of its symbol (KH-TTT → TTT)."""
    h = doc.header
    if h.issuer:
        return fold(h.issuer_canonical or h.issuer)
    if h.symbol and "-" in h.symbol:
        return fold(h.symbol.split("-", 1)[1])
    return None


def _when(doc: Document):
    h = doc.header
    if h.date:
        return h.date
    if h.date_partial and len(h.date_partial) >= 7:
        y, m = map(int, h.date_partial[:7].split("-"))
        return dt.date(y, m, 1)
    return None


@register("task.unreported", "info",
          "Nhiệm vụ của một kế hoạch chưa thấy được nhắc tới trong các báo cáo sau đó của cùng cơ quan.", scope="corpus")
def unreported(corpus):
    docs = list(corpus.documents())
    reports: dict[str, list[Document]] = {}
    for d in docs:
        if d.header.doc_type == "Báo cáo" and _issuer_key(d) and _when(d):
            reports.setdefault(_issuer_key(d), []).append(d)
    for plan in docs:
        if plan.header.doc_type not in _PLANS or not plan.tasks or not _issuer_key(plan) or not _when(plan):
            continue
        later = [r for r in reports.get(_issuer_key(plan), []) if _when(r) > _when(plan)]
        if not later:
            continue  # no report to compare with: nothing can be said
        candidates = [t.title for r in later for t in r.tasks]
        for r in later:
            body = r.text[r.header.span.end if r.header.span else 0:]
            candidates.extend(s for s in _SENTENCE.split(body) if 20 <= len(s) <= 600)
        for t in plan.tasks:
            hit = process.extractOne(t.title, candidates, scorer=fuzz.token_set_ratio, score_cutoff=80)
            if hit is None:
                yield finding("task.unreported",
                              f"Nhiệm vụ {t.index or ''} \"{t.title[:90]}\" của {plan.header.doc_type} "
                              f"{plan.header.code or ''} chưa thấy trong {len(later)} báo cáo sau đó của cùng cơ quan.",
                              None, [Evidence(document=document_id(plan), span=t.span, text=plan.text[t.span.start:
                                                                                                   t.span.end])],
                              task=t.index, plan=document_id(plan), reports=[document_id(r) for r in later])
