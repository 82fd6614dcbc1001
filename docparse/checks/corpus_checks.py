"""Checks across a corpus: the same document cited with different dates by different documents, or cited with a
date its own header contradicts, near-identical symbols, series out of order.

A cited document is (number, symbol, year, authority): a local number (QĐ-UBND, NQ-HĐND …) of one province says
nothing about another province's, so mentions are compared only within one known authority, and every finding says
which authority it assumed and why. A header is evidence only for the mentions of its own authority.

Plan against report: each task of a plan is looked for, with rapidfuzz, in the later reports of the same issuer.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from typing import NamedTuple

from rapidfuzz import fuzz, process

from ..identity import authority_phrase, document_id, find_province, merger_day, national_series, weakest_source
from ..lexicon import new_governments_from
from ..normalize import fold
from ..safe import from_iso
from ..schema import Document, Evidence, Span
from . import finding, register, vn_date
from .citations import date_is_own, series_out_of_order, symbol_variants


class Mention(NamedTuple):
    doc: str
    date: str | None
    doc_type: str | None
    type_source: str | None
    code: str | None
    span: Span
    text: str
    authority: str
    authority_source: str
    subject: str | None


def _era(authority: str, year: int | None, date: str | None) -> str:
    """A merged province's 2025 numbers come from two registers: the old province's until the new government
    started, the new one's after. "" where that cannot split a series."""
    if year != merger_day().year:
        return ""
    info = find_province(authority)
    if not info or not info["merged"] or not date or len(date) < 10:
        return ""
    return "old" if date < new_governments_from() else "new"


def _mentions(corpus) -> dict[tuple, list[Mention]]:
    """(number, symbol, year, authority) → mentions, for coded citations whose authority is known. A mention of
    unknown authority joins nothing: it cannot be told apart from another province's document."""
    rows = list(corpus.conn.execute(
        "SELECT doc_id, number_key, symbol_key, year, date, doc_type, doc_type_source, code, start, \"end\", text, "
        "authority, authority_source, subject FROM citations WHERE number_key IS NOT NULL AND is_self = 0 "
        "AND authority IS NOT NULL"))
    years: dict[tuple, set] = defaultdict(set)
    for r in rows:
        if r[3]:
            years[(r[1], r[2], r[11])].add(r[3])
    by_key: dict[tuple, list[Mention]] = defaultdict(list)
    for doc_id, n, s, y, date, doc_type, source, code, a, b, text, auth, auth_source, subject in rows:
        ys = years[(n, s, auth)]
        y = y or (next(iter(ys)) if len(ys) == 1 else None)
        date = date if date_is_own(text, code) else None
        by_key[(n, s, y, auth)].append(Mention(doc_id, date, doc_type, source, code, Span(start=a, end=b), text,
                                               auth, auth_source, subject))
    return by_key


def _headers(corpus):
    return {(n, s, y, auth): (doc_id, date, doc_type, code) for doc_id, n, s, y, date, doc_type, code, auth in
            corpus.conn.execute("SELECT id, number_key, symbol_key, year, date, doc_type, code, authority "
                                "FROM documents WHERE number_key IS NOT NULL AND authority IS NOT NULL")}


def _different_subjects(ms: list[Mention]) -> bool:
    """Mentions giving different dates whose subjects ("về …") clearly differ are two documents behind one mistyped
    number ("225/2025/NĐ-CP … về xác định các dân tộc …" is 255/2025), not one document cited with two dates."""
    by_date: dict[str, str] = {}
    for m in ms:
        if m.date and m.subject and len(m.subject) >= 15:
            by_date.setdefault(m.date, fold(m.subject))
    subjects = list(by_date.values())
    return any(fuzz.token_set_ratio(a, b) < 60 for i, a in enumerate(subjects) for b in subjects[i + 1:])


def _who(ms: list[Mention]) -> tuple[str, str, str]:
    """(authority, weakest source, phrase for the message) of one group of mentions."""
    source = weakest_source({m.authority_source for m in ms})
    return ms[0].authority, source, authority_phrase(ms[0].authority, source)


@register("citation.conflict", "error", "Cùng một văn bản được viện dẫn với ngày ban hành hoặc loại văn bản khác nhau.",
          scope="corpus")
def conflict_across(corpus):
    headers = _headers(corpus)
    for key, all_ms in _mentions(corpus).items():
        eras: dict[str, list[Mention]] = defaultdict(list)
        for m in all_ms:
            eras[_era(key[3], key[2], m.date)].append(m)
        if "" in eras and len(eras) > 1:
            continue  # undated 2025 mentions of a merged province: which register they name is unknown
        for ms in eras.values():
            yield from _conflicts(key, ms, headers)


def _conflicts(key, ms: list[Mention], headers):
    header = headers.get(key) or headers.get((key[0], key[1], None, key[3]))
    if header and _era(key[3], key[2], header[1]) != _era(key[3], key[2], ms[0].date):
        header = None
    authority, source, who = _who(ms)
    by_date: dict[str, Mention] = {}
    for m in ms:
        if m.date:
            by_date.setdefault(m.date, m)
    docs = {m.doc for m in ms if m.date}  # every citing document that gives a date, not only the first per date
    code = ms[0].code
    if header and header[2]:
        typed = [m for m in ms if m.type_source == "text" and m.doc_type not in (None, "Văn bản", "Công văn", header[2])
                 and m.doc != header[0]]
        if typed:
            yield finding(
                "citation.conflict",
                f"Văn bản {header[3]} {who} là {header[2]} theo phần đầu của chính nó ({header[0]}), nhưng được viện "
                "dẫn là " + ", ".join(f"{m.doc_type} (trong {m.doc})" for m in typed) + ".", None,
                [Evidence(document=m.doc, span=m.span, text=m.text) for m in typed],
                code=header[3], header_document=header[0], header_type=header[2],
                cited_types=sorted({m.doc_type for m in typed}), kind="header_type", authority=authority,
                authority_source=source)
    if header and header[1] and len(header[1]) == 10:
        seen_docs: set = set()
        wrong = [m for m in ms if m.date and m.date != header[1] and m.doc != header[0]
                 and not (m.doc in seen_docs or seen_docs.add(m.doc))]
        if wrong:
            yield finding(
                "citation.conflict",
                f"Văn bản {header[3]} {who} tự ghi ngày {vn_date(header[1])} ở phần đầu ({header[0]}), nhưng được viện "
                "dẫn là ngày " + ", ".join(f"{vn_date(m.date)} (trong {m.doc})" for m in wrong) + ". Phần đầu của chính "
                "văn bản, cùng cơ quan ban hành, là bằng chứng mạnh nhất.", None,
                [Evidence(document=m.doc, span=m.span, text=m.text) for m in wrong],
                code=header[3], header_document=header[0], header_date=header[1],
                cited_dates=sorted({m.date for m in wrong}), kind="header_date", authority=authority,
                authority_source=source)
        return
    if len(by_date) > 1 and len(docs) > 1 and not _different_subjects(ms):
        dates = sorted(by_date)
        per_doc: dict[tuple, Mention] = {}  # every citing document, once, with the date it gives
        for m in ms:
            if m.date:
                per_doc.setdefault((m.doc, m.date), m)
        yield finding("citation.conflict",
                      f"Văn bản {code} {who} được các văn bản khác nhau viện dẫn với ngày khác nhau: "
                      + "; ".join(f"{vn_date(d)} (trong {', '.join(sorted({k[0] for k in per_doc if k[1] == d}))})"
                                  for d in dates) + ".", None,
                      [Evidence(document=m.doc, span=m.span, text=m.text) for m in per_doc.values()],
                      code=code, dates=dates, kind="date", authority=authority, authority_source=source)


@register("citation.symbol_variant", "warning", "Cùng số, cùng năm nhưng ký hiệu gần giống nhau: có thể gõ sai.",
          scope="corpus")
def symbol_variant_across(corpus):
    mentions = _mentions(corpus)
    first = {k: ms[0] for k, ms in mentions.items()}
    for a, b in symbol_variants(first):
        ma, mb = first[a], first[b]
        if ma.doc == mb.doc:
            continue  # same document: reported by the document check
        _, source, who = _who([ma, mb])
        yield finding("citation.symbol_variant",
                      f"{ma.code} (trong {ma.doc}) và {mb.code} (trong {mb.doc}), {who}: cùng số, cùng năm, ký hiệu "
                      "chỉ khác một ký tự dễ nhầm — có phải cùng một văn bản bị gõ sai?", None,
                      [Evidence(document=ma.doc, span=ma.span, text=ma.text),
                       Evidence(document=mb.doc, span=mb.span, text=mb.text)],
                      codes=[ma.code, mb.code], authority=ma.authority, authority_source=source)


@register("citation.sequence", "info", "Trong cùng một sổ văn bản và năm, số lớn hơn lại có ngày sớm hơn.",
          scope="corpus")
def sequence_across(corpus):
    series: dict[tuple, dict[str, tuple]] = defaultdict(dict)
    for (n, s, y, auth), ms in _mentions(corpus).items():
        dated = [m for m in ms if m.date and len(m.date) == 10]
        if dated and y:  # the type joins the series: Luật and Nghị quyết of Quốc hội share "2025/QH15"
            series[(s, y, auth, dated[0].doc_type)].setdefault(n, (n, dt.date.fromisoformat(dated[0].date), dated[0]))
    for (s, y, auth, _), docs in series.items():
        if len({p[2].doc for p in docs.values()}) < 2 or not national_series(s):
            continue  # one citing document: the document check covers it; local registers are not comparable here
        for (n1, d1, m1), (n2, d2, m2) in list(series_out_of_order(list(docs.values())))[:3]:
            if m1.doc == m2.doc:
                continue
            _, source, who = _who([m1, m2])
            yield finding("citation.sequence",
                          f"Ký hiệu {m1.code.split('/', 1)[-1]} năm {y} {who}: số {m2.code} ngày "
                          f"{d2.strftime('%d/%m/%Y')} lại sớm hơn số {m1.code} ngày {d1.strftime('%d/%m/%Y')} (viện dẫn "
                          "trong các văn bản khác nhau). Có thể là sai sót, hoặc hai sổ văn bản dùng chung ký hiệu.",
                          None, [Evidence(document=m1.doc, span=m1.span, text=m1.text),
                                 Evidence(document=m2.doc, span=m2.span, text=m2.text)], year=y,
                          authority=auth, authority_source=source)


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
        return from_iso(h.date_partial[:7])  # None for a month 00 or a year 0000
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
