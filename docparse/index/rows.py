"""One parsed Document as the rows the index stores: computed where the document was parsed (a worker process), so
the process that writes the index only inserts, and a re-check never re-reads or re-validates a Document.

`prepare(doc)` also runs the document checks and collects what the corpus checks need later without the document:
the coded law mentions (law-name linking), and the tasks of a plan or the sentences of a report (task.unreported).
"""
from __future__ import annotations

import json
from typing import Any

from ..identity import citation_key, document_id, header_authority, header_key, header_year
from ..schema import Document, Finding, Notice


def _iso(d) -> str | None:
    return d.isoformat() if d else None


def citation_rows(doc: Document, own: tuple | None) -> list[tuple]:
    """(idx, number_key, symbol_key, year, date, doc_type, doc_type_source, code, name, is_self, start, end, text,
    authority, authority_source, linked_code, link_source, subject, date_own, self_resolved) per citation; date_own:
    the date written is the cited document's own (checks.citations.date_is_own), computed once here so a re-check of
    a large group does not run it on every mention again."""
    from ..checks.citations import date_is_own

    rows = []
    for i, c in enumerate(doc.citations):
        k = citation_key(c)
        rows.append((i, k[0] if k else None, k[1] if k else None, c.year, _iso(c.date), c.doc_type,
                     c.doc_type_source, c.code, c.name, int(c.is_self), c.span.start, c.span.end, c.text, c.authority,
                     c.authority_source, None, None, c.subject, int(date_is_own(c.text, c.code)),
                     int(bool(c.is_self and k and own and k == own))))
    return rows


def _plan_report(doc: Document) -> dict | None:
    """What task.unreported needs of a plan (its tasks) or of a report (the texts a task may be reported in)."""
    from ..checks.corpus_checks import PLANS, report_candidates

    h = doc.header
    if h.doc_type in PLANS and doc.tasks:
        return {"plan": [[t.index, t.title, t.span.start, t.span.end, doc.text[t.span.start:t.span.end]]
                         for t in doc.tasks]}
    if h.doc_type == "Báo cáo":
        return {"report": report_candidates(doc)}
    return None


def prepare(doc: Document) -> dict[str, Any]:
    """Everything the index stores about one document, as plain (picklable) values."""
    from ..checks import check_document
    from ..checks.corpus_checks import issuer_key, when
    from ..laws import coded_pairs

    h = doc.header
    key = header_key(h)
    authority, source = header_authority(h)
    failed: list[Notice] = []
    findings: list[Finding] = check_document(doc, notices=failed)
    w = when(doc)
    return {
        "sha": doc.sha256, "source": document_id(doc), "record": doc.model_dump_json(),
        "header": {"format": doc.format, "doc_type": h.doc_type, "number": h.number, "symbol": h.symbol,
                   "code": h.code, "year": header_year(h), "date": _iso(h.date) or h.date_partial,
                   "issuer": h.issuer_canonical or h.issuer, "number_key": key[0] if key else None,
                   "symbol_key": key[1] if key else None, "authority": authority, "authority_source": source,
                   "issuer_key": issuer_key(doc), "when_date": _iso(w), "title": h.title},
        "citations": citation_rows(doc, key),
        "has_names": int(any(c.name and not c.code and not c.is_self for c in doc.citations)),
        "dates": [(i, d.kind, _iso(d.start), _iso(d.end), d.grain, int(d.valid), d.text, d.span.start, d.span.end)
                  for i, d in enumerate(doc.dates)],
        "indicators": [(i, x.kind, x.value, x.numerator, x.denominator, x.unit, x.qualifier, x.label, x.scope, x.text,
                        x.span.start, x.span.end) for i, x in enumerate(doc.indicators)],
        "tasks": [(i, t.table, t.group, t.index, t.title, t.lead, t.lead_canonical, "; ".join(t.coordinators),
                   t.product, t.deadline_text, _iso(t.deadline.start) if t.deadline else None,
                   _iso(t.deadline.end) if t.deadline else None, t.status, t.result, t.span.start, t.span.end)
                  for i, t in enumerate(doc.tasks)],
        "entities": [(i, e.label, e.text, e.canonical, e.source, e.span.start, e.span.end)
                     for i, e in enumerate(doc.entities)],
        "findings": [f.model_dump_json() for f in findings],
        "check_notices": json.dumps([n.model_dump(mode="json") for n in failed], ensure_ascii=False),
        "law_pairs": json.dumps(coded_pairs(doc), ensure_ascii=False),
        "plan_report": json.dumps(_plan_report(doc), ensure_ascii=False),
        "internal": [n.message for n in doc.notices if n.code.startswith("internal")],
    }
