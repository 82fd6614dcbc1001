"""The check engine: a registry of checks, each with a stable code, a severity and a Vietnamese description.

A document check takes one Document and yields Findings; a corpus check takes a `docparse.corpus.Corpus`. Checks
live one family per module and register themselves on import (spaCy-style registered components), so a new family
plugs in by adding a module to `_FAMILIES`.
"""
from __future__ import annotations

import datetime as dt
import importlib
import itertools
from dataclasses import dataclass
from typing import Callable, Iterable, Literal

from ..guard import guarded
from ..identity import document_id
from ..schema import Document, Evidence, Finding, Notice, Span

Scope = Literal["document", "corpus"]


@dataclass
class CheckSpec:
    """One code; it may have a document-level function, a corpus-level one, or both (citation.conflict)."""

    code: str
    severity: str
    description: str
    document: Callable | None = None
    corpus: Callable | None = None


REGISTRY: dict[str, CheckSpec] = {}
_FAMILIES = ("citations", "dates", "header", "structure", "arithmetic", "tasks", "procedures", "corpus_checks",
             "format_symbol", "format_date", "format_components", "format_signer", "format_docx")
_loaded = False


def register(code: str, severity: str, description: str, scope: Scope = "document"):
    def deco(func):
        spec = REGISTRY.setdefault(code, CheckSpec(code, severity, description))
        setattr(spec, scope, func)
        return func

    return deco


def load_all() -> dict[str, CheckSpec]:
    global _loaded
    if not _loaded:
        for fam in _FAMILIES:
            importlib.import_module(f"{__name__}.{fam}")
        _loaded = True
    return REGISTRY


def vn_date(value: dt.date | str | None) -> str:
    """A date as messages write it: a date or ISO string "2025-12-16" → "16/12/2025"; a partial "2025-11" →
    "11/2025"; None → "?"."""
    if value is None or value == "":
        return "?"
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return "/".join(reversed(value.split("-")))


def evidence(doc: Document, span: Span) -> Evidence:
    return Evidence(document=document_id(doc), span=span, text=doc.text[span.start:span.end])


def finding(check: str, message: str, doc: Document | None, spans: Iterable[Evidence] = (), **data) -> Finding:
    spec = REGISTRY[check]
    return Finding(code=check, severity=spec.severity, message=message,
                   document=document_id(doc) if doc is not None else None, spans=list(spans), data=data)


def selected(select: Iterable[str] | None = None, ignore: Iterable[str] | None = None,
             scope: Scope | None = None) -> list[CheckSpec]:
    """Checks chosen by code; a trailing ".*" or a family prefix ("citation") selects a whole family."""
    specs = load_all().values()

    def match(code: str, patterns: list[str]) -> bool:
        return any(code == p or code.startswith(p.rstrip("*").rstrip(".") + ".") for p in patterns)

    sel = [p for p in (select or []) if p]
    ign = [p for p in (ignore or []) if p]
    return [s for s in specs if (scope is None or getattr(s, scope) is not None) and (not sel or match(s.code, sel))
            and not match(s.code, ign)]


def check_document(doc: Document, select=None, ignore=None, notices: list[Notice] | None = None) -> list[Finding]:
    """Findings of every selected check. A check that fails unexpectedly adds an "internal.error" notice (to
    `notices`, or else to the document's own) and the other checks still run."""
    sink = doc.notices if notices is None else notices
    out: list[Finding] = []
    for spec in selected(select, ignore, "document"):
        found = guarded(f"kiểm tra {spec.code}", sink, [], collect, spec.document, doc, MAX_PER_DOCUMENT + 1)
        if len(found) > MAX_PER_DOCUMENT:
            del found[MAX_PER_DOCUMENT:]
            sink.append(Notice(code="findings.truncated",
                               message=f"Kiểm tra {spec.code} dừng ở {MAX_PER_DOCUMENT} phát hiện trong văn bản này; "
                                       "các phát hiện sau không được liệt kê."))
        out.extend(found)
    return out


MAX_PER_DOCUMENT = 500  # findings of one check in one document: past this a reviewer reads a pattern, not findings


def collect(check: Callable, subject, limit: int | None = None) -> list[Finding]:
    """A check may be a generator: it fails while it is drained, and stops being drained at `limit`."""
    return list(itertools.islice(check(subject), limit))


SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.document or "", f.code,
                                           f.spans[0].span.start if f.spans else -1))
