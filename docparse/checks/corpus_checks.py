"""Checks across a corpus: the same document cited with different dates by different documents, or cited with a
date its own header contradicts, near-identical symbols, series out of order.

Every check is a function of one group, so the corpus never has to be held at once and the same functions run on
SQLite (docparse.corpus) and on Dask (docparse.distributed): `identity_group` takes the mentions and headers of one
cited document's (number, symbol, authority) and returns its findings, its resolved citations and the entries the
second-stage groups need; `series_group` (one register's series: citation.sequence) and `variant_group` (one number
of one register: citation.symbol_variant) take those entries; `plan_group` takes a plan and the reports that cite
it (task.unreported). Each finding carries a rank (where its group first appears in the corpus) so both paths
list findings in one order.

A cited document is (number, symbol, year, authority): a local number (QĐ-UBND, NQ-HĐND …) of one province says
nothing about another province's, so mentions are compared only within one known authority, and every finding says
which authority it assumed and why. A header is evidence only for the mentions of its own authority.

Plan against report: each task of a plan is looked for, with rapidfuzz, in the later reports of the same issuer
that cite the plan.
"""
from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import Iterable, NamedTuple

from pydantic import TypeAdapter
from rapidfuzz import fuzz, process

from ..identity import authority_phrase, find_province, merger_day, national_series, weakest_source
from ..lexicon import new_governments_from
from ..normalize import fold
from ..safe import from_iso
from ..schema import Document, Evidence, Span
from . import finding, register, vn_date
from .candidates import CUTOFF, TextIndex
from .citations import _num, date_is_own, symbol_variants


class Mention(NamedTuple):
    doc: str
    date: str | None
    doc_type: str | None
    type_source: str | None
    code: str | None
    pos: tuple[int, int]  # (start, end): the Span is made only for the mentions a finding shows (`span`)
    text: str
    authority: str
    authority_source: str
    subject: str | None
    order: int = 0  # the citing document's place in the corpus

    @property
    def span(self) -> Span:
        return Span.model_construct(start=self.pos[0], end=self.pos[1])

    def dump(self) -> list:
        return [*self[:5], list(self.pos), *self[6:]]

    @classmethod
    def load(cls, values: list) -> "Mention":
        return cls(*values[:5], (values[5][0], values[5][1]), *values[6:])


def _evidence(m: Mention) -> Evidence:
    return Evidence.model_construct(document=m.doc, span=m.span, text=m.text)


_EVIDENCES = TypeAdapter(list[Evidence])


def _evidences(ms: Iterable[Mention]) -> list[Evidence]:
    """The evidence of many mentions, validated at once (a group's finding may show thousands)."""
    return _EVIDENCES.validate_python([{"document": m.doc, "span": {"start": m.pos[0], "end": m.pos[1]},
                                        "text": m.text} for m in ms])


def _era(authority: str, year: int | None, date: str | None) -> str:
    """A merged province's 2025 numbers come from two registers: the old province's until the new government
    started, the new one's after. "" where that cannot split a series."""
    if year != merger_day().year:
        return ""
    if not _merged(authority) or not date or len(date) < 10:
        return ""
    return "old" if date < new_governments_from() else "new"


@lru_cache(maxsize=4096)
def _merged(authority: str) -> bool:
    info = find_province(authority)
    return bool(info and info["merged"])


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
                _evidences(typed),
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
                _evidences(wrong),
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
                      _evidences(per_doc.values()),
                      code=code, dates=dates, kind="date", authority=authority, authority_source=source)




# ---- the rows a group is made of (SQLite rows or Parquet records, same order of fields) ----------------------------
class Row(NamedTuple):
    """One coded citation with a known authority: (number_key, symbol_key, authority) is its identity group."""

    order: int
    doc: str
    idx: int
    number_key: str
    symbol_key: str
    year: int | None
    date: str | None
    doc_type: str | None
    type_source: str | None
    code: str | None
    start: int
    end: int
    text: str
    authority: str
    authority_source: str | None
    subject: str | None
    linked_code: str | None
    date_own: int | None = None  # date_is_own(text, code) when the index stored it; None: computed here


class HeaderRow(NamedTuple):
    """The header of a corpus document with a number and a known authority."""

    order: int
    doc: str
    number_key: str
    symbol_key: str
    year: int | None
    date: str | None
    doc_type: str | None
    code: str | None
    authority: str


ROW_COLUMNS = Row._fields
HEADER_COLUMNS = HeaderRow._fields
SEP = "\x1f"
CHECK_ORDER = {"citation.conflict": 0, "citation.symbol_variant": 1, "citation.sequence": 2, "task.unreported": 3}


def group_key(kind: str, *parts) -> str:
    return SEP.join((kind, *("" if p is None else str(p) for p in parts)))


def rank(code: str, *parts) -> str:
    """Sort key of a corpus finding: check order, then where its group first appears, then its order in the group."""
    return f"{CHECK_ORDER[code]:02d}" + SEP + SEP.join(f"{p:012d}" if isinstance(p, int) else str(p) for p in parts)


@dataclass
class GroupResult:
    findings: list[tuple[str, object]] = field(default_factory=list)  # (rank, Finding)
    resolved: list[tuple[int, int, int | None]] = field(default_factory=list)  # (order, idx, target order or None)
    entries: list[tuple[str, str, str, list]] = field(default_factory=list)  # (kind, target group, rank, payload)


def identity_group(rows: Iterable[Row], headers: Iterable[HeaderRow]) -> GroupResult:
    """One (number, symbol, authority): conflicting dates or types (citation.conflict), each citation resolved to the
    corpus document it names, and the entries of the series and symbol-variant groups."""
    from ..identity import straddles_merger

    rows = sorted(rows, key=lambda r: (r.order, r.idx))
    headers = sorted(headers, key=lambda h: h.order)
    out = GroupResult()
    years = {r.year for r in rows if r.year}
    by_key: dict[tuple, list[Mention]] = {}
    first: dict[tuple, tuple[int, int]] = {}
    for r in rows:  # an undated mention joins the only year its key has
        y = r.year or (next(iter(years)) if len(years) == 1 else None)
        date = r.date if r.date and (date_is_own(r.text, r.code) if r.date_own is None else r.date_own) else None
        key = (r.number_key, r.symbol_key, y, r.authority)
        by_key.setdefault(key, []).append(Mention(r.doc, date, r.doc_type, r.type_source, r.code,
                                                  (r.start, r.end), r.text, r.authority,
                                                  r.authority_source, r.subject, r.order))
        first.setdefault(key, (r.order, r.idx))
    by_header = {(h.number_key, h.symbol_key, h.year, h.authority): (h.doc, h.date, h.doc_type, h.code)
                 for h in headers}
    for key, all_ms in by_key.items():
        eras: dict[str, list[Mention]] = defaultdict(list)
        for m in all_ms:
            eras[_era(key[3], key[2], m.date)].append(m)
        if not ("" in eras and len(eras) > 1):  # undated 2025 mentions of a merged province: register unknown
            got = [f for ms in eras.values() for f in _conflicts(key, ms, by_header)]
            out.findings.extend((rank("citation.conflict", *first[key], i), f) for i, f in enumerate(got))
        n, s, y, auth = key
        ms = all_ms
        out.entries.append(("variant", group_key("variant", n, y, auth), rank("citation.symbol_variant", *first[key]),
                            [list(key), ms[0].dump()]))
        dated = [m for m in ms if m.date and len(m.date) == 10]
        if dated and y:  # the type joins the series: Luật and Nghị quyết of Quốc hội share "2025/QH15"
            out.entries.append(("series", group_key("series", s, y, auth, dated[0].doc_type),
                                rank("citation.sequence", *first[key]), [n, dated[0].date, dated[0].dump()]))
    for r in rows:  # a name linked to a law (linked_code) is not resolved to a document
        if r.linked_code:
            continue
        cands = [h.order for h in headers if h.order != r.order and (r.year is None or h.year is None
                                                                     or h.year == r.year)
                 and not straddles_merger(r.authority, r.date, h.date)]
        out.resolved.append((r.order, r.idx, cands[0] if len(cands) == 1 else None))
    return out


def out_of_order(items: list[tuple[str, dt.date, object]]):
    """Pairs (lower number, later date) within one series, in the order of citations.series_out_of_order, without
    comparing every pair: a number is paired only when a later date exists after it (suffix minimum)."""
    ordered = sorted((x for x in items if _num(x[0]) is not None), key=lambda x: _num(x[0]))
    nums = [_num(x[0]) for x in ordered]
    suffix_min = [dt.date.max] * (len(ordered) + 1)
    for i in range(len(ordered) - 1, -1, -1):
        suffix_min[i] = min(ordered[i][1], suffix_min[i + 1])
    for i, (n1, d1, p1) in enumerate(ordered):
        j0 = bisect.bisect_right(nums, nums[i])
        if suffix_min[j0] >= d1:
            continue
        for n2, d2, p2 in ordered[j0:]:
            if d2 < d1:
                yield (n1, d1, p1), (n2, d2, p2)


def series_group(target: str, entries: Iterable[tuple[str, list]]) -> list[tuple[str, object]]:
    """One register's series (symbol, year, authority, type): a higher number dated earlier (citation.sequence)."""
    entries = sorted(entries, key=lambda e: e[0])
    if not entries:
        return []
    _, s, y, auth, _ = target.split(SEP)
    docs: dict[str, tuple] = {}
    for _, (n, date, m) in entries:
        docs.setdefault(n, (n, dt.date.fromisoformat(date), Mention.load(m)))
    if len({p[2].doc for p in docs.values()}) < 2 or not national_series(s):
        return []  # one citing document: the document check covers it; local registers are not comparable here
    out = []
    for i, ((n1, d1, m1), (n2, d2, m2)) in enumerate(islice(out_of_order(list(docs.values())), 3)):
        if m1.doc == m2.doc:
            continue
        _, source, who = _who([m1, m2])
        out.append((entries[0][0] + SEP + f"{i:06d}", finding(
            "citation.sequence",
            f"Ký hiệu {m1.code.split('/', 1)[-1]} năm {y} {who}: số {m2.code} ngày "
            f"{d2.strftime('%d/%m/%Y')} lại sớm hơn số {m1.code} ngày {d1.strftime('%d/%m/%Y')} (viện dẫn "
            "trong các văn bản khác nhau). Có thể là sai sót, hoặc hai sổ văn bản dùng chung ký hiệu.",
            None, [_evidence(m1), _evidence(m2)], year=int(y),
            authority=auth, authority_source=source)))
    return out


def variant_group(target: str, entries: Iterable[tuple[str, list]]) -> list[tuple[str, object]]:
    """One number of one register in one year: symbols one slip apart (citation.symbol_variant)."""
    entries = sorted(entries, key=lambda e: e[0])
    first = {tuple(k): Mention.load(m) for _, (k, m) in entries}
    out = []
    for i, (a, b) in enumerate(symbol_variants(first)):
        ma, mb = first[a], first[b]
        if ma.doc == mb.doc:
            continue  # same document: reported by the document check
        _, source, who = _who([ma, mb])
        out.append((entries[0][0] + SEP + f"{i:06d}", finding(
            "citation.symbol_variant",
            f"{ma.code} (trong {ma.doc}) và {mb.code} (trong {mb.doc}), {who}: cùng số, cùng năm, ký hiệu "
            "chỉ khác một ký tự dễ nhầm — có phải cùng một văn bản bị gõ sai?", None,
            [_evidence(ma), _evidence(mb)],
            codes=[ma.code, mb.code], authority=ma.authority, authority_source=source)))
    return out


# ---- task.unreported ---------------------------------------------------------------------------------------------
PLANS = ("Kế hoạch", "Chương trình", "Đề án", "Phương án")  # the documents whose tasks are looked for
_SENTENCE = re.compile(r"(?<=[.;:])\s+|\n\s*[-+•]\s*|\n\s*\n")
_CHUNK = 256


def issuer_key(doc: Document) -> str | None:
    """Who issued the document: its issuing body, else the agency part of its symbol (KH-TTT → TTT)."""
    h = doc.header
    if h.issuer:
        return fold(h.issuer_canonical or h.issuer)
    if h.symbol and "-" in h.symbol:
        return fold(h.symbol.split("-", 1)[1])
    return None


def when(doc: Document):
    h = doc.header
    if h.date:
        return h.date
    if h.date_partial and len(h.date_partial) >= 7:
        return from_iso(h.date_partial[:7])  # None for a month 00 or a year 0000
    return None


def report_candidates(doc: Document) -> list[str]:
    """Where a report may mention a task: its task titles and the sentences of its body."""
    body = doc.text[doc.header.span.end if doc.header.span else 0:]
    return [t.title for t in doc.tasks] + [s for s in _SENTENCE.split(body) if 20 <= len(s) <= 600]


class Plan(NamedTuple):
    doc: str
    when: str  # ISO date
    doc_type: str
    code: str | None
    issuer: str | None
    tasks: list  # [index, title, start, end, text]


class Report(NamedTuple):
    doc: str
    when: str
    issuer: str | None
    candidates: list[str]


def reports_on(plan: Plan, reports: Iterable[Report]) -> list[Report]:
    """The reports that can say whether the plan's tasks were done: issued by the plan's own issuer after it (the
    group already holds only reports that cite the plan)."""
    return sorted((r for r in reports if plan.issuer and r.issuer == plan.issuer and r.when > plan.when),
                  key=lambda r: r.doc)


def plan_group(plans: Iterable[Plan], reports: Iterable[Report]) -> list[tuple[str, object]]:
    """One plan's identity group (its header, and the reports that cite it): each task of the plan looked for
    (rapidfuzz token_set_ratio ≥ 80) in the tasks and sentences of the later reports of the same issuer that cite it.
    A report that does not cite the plan is not read: the claim stays one a reviewer can check ("the report on this
    plan does not mention this task"), and the work grows with the citations, not with the square of an issuer's
    documents. Each distinct title is compared once with the distinct report texts that can match it
    (checks.candidates)."""
    reports = list(reports)
    out = []
    for plan in sorted(plans, key=lambda p: p.doc):
        later = reports_on(plan, reports)
        if not later:
            continue  # no report on the plan: nothing can be said
        texts = sorted({c for r in later for c in r.candidates})
        text_index = TextIndex(texts)
        reported: dict[str, bool] = {}
        for i, (index, title, start, end, text) in enumerate(plan.tasks):
            if title not in reported:
                cands = [texts[j] for j in text_index.candidates(title)]
                reported[title] = any(  # in chunks: most reported titles stop at the first
                    process.extractOne(title, cands[k:k + _CHUNK], scorer=fuzz.token_set_ratio, score_cutoff=CUTOFF)
                    for k in range(0, len(cands), _CHUNK))
            if reported[title]:
                continue
            kind = plan.doc_type.lower() if plan.doc_type else "văn bản"
            out.append((rank("task.unreported", plan.doc, f"{i:06d}"), finding(
                "task.unreported", f"Nhiệm vụ {index or ''} \"{title[:90]}\" của {plan.doc_type} {plan.code or ''} "
                f"chưa thấy trong {len(later)} báo cáo sau đó của cùng cơ quan có viện dẫn {kind} này.",
                None, [Evidence(document=plan.doc, span=Span(start=start, end=end), text=text)],
                task=index, plan=plan.doc, reports=[r.doc for r in later])))
    return out


def plan_or_report(path: str, when_date: str | None, doc_type: str | None, code: str | None, issuer: str | None,
                   payload: dict | None) -> Plan | Report | None:
    if not payload or not when_date:
        return None
    if "plan" in payload:
        return Plan(path, when_date, doc_type, code, issuer, payload["plan"])
    return Report(path, when_date, issuer, payload["report"])


def plan_group_keys(is_plan: bool, own: tuple, cited: Iterable[tuple]) -> set[str]:
    """The plan groups (task.unreported) of a plan or a report: a plan's own (number, symbol, authority), each plan a
    report cites ((number, symbol, authority, cited type) per citation that is not its own number)."""
    if is_plan:
        return {group_key("plan", *own)} if None not in own else set()
    return {group_key("plan", n, s, a) for n, s, a, t in cited if t in PLANS and None not in (n, s, a)}


# ---- the registry: `docparse checks`, --select/--ignore; the corpus computes every group (Corpus.check) ----------
@register("citation.conflict", "error", "Cùng một văn bản được viện dẫn với ngày ban hành hoặc loại văn bản khác nhau.",
          scope="corpus")
def conflict_across(corpus):
    return corpus.corpus_findings("citation.conflict")


@register("citation.symbol_variant", "warning", "Cùng số, cùng năm nhưng ký hiệu gần giống nhau: có thể gõ sai.",
          scope="corpus")
def symbol_variant_across(corpus):
    return corpus.corpus_findings("citation.symbol_variant")


@register("citation.sequence", "info", "Trong cùng một sổ văn bản và năm, số lớn hơn lại có ngày sớm hơn.",
          scope="corpus")
def sequence_across(corpus):
    return corpus.corpus_findings("citation.sequence")


@register("task.unreported", "info",
          "Nhiệm vụ của một kế hoạch chưa thấy được nhắc tới trong các báo cáo sau đó của cùng cơ quan có viện dẫn kế hoạch.", scope="corpus")
def unreported(corpus):
    return corpus.corpus_findings("task.unreported")
