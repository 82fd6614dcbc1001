"""HTML review report of findings: one self-contained page (inline CSS, JS and data; no network) in Vietnamese.

The findings and their evidence windows are rendered here (Jinja2, autoescaped); the per-document sections
(citations, tasks, ratios) travel as compact JSON and are rendered by the page only when a card is opened, so a
400-document corpus stays a few MB and opens at once. No document's full text is embedded.

    >>> from docparse.report import build_report
    >>> html = build_report(docs, findings)          # docs: Documents; findings: docparse.check(docs)
"""
from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from ..checks import SEVERITY_ORDER, load_all, sort_findings
from ..schema import Document, Finding
from .view import SEVERITY_VI, Index, doc_payload, finding_view, summary_rows

__all__ = ["build_report", "check_documents", "write_report"]


@lru_cache(maxsize=1)
def _env() -> Environment:
    return Environment(loader=PackageLoader("docparse.report", "templates"), autoescape=select_autoescape(["j2", "html"]),
                       trim_blocks=True, lstrip_blocks=True)


def _asset(name: str) -> str:
    return resources.files("docparse.report").joinpath("assets", name).read_text(encoding="utf-8")


def json_for_script(data) -> str:
    """JSON safe inside <script type="application/json">: no "<", ">" or "&" can close the element or open a
    comment; the page reads it with JSON.parse."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def check_documents(items: Iterable[Document | str], *, select=None, ignore=None) -> tuple[list[Document], list[Finding]]:
    """Documents (or paths) checked together as one corpus in memory: the documents as the corpus returns them (with
    `Citation.resolved_to` set to the documents of the set they cite) and the findings."""
    from ..corpus import Corpus

    with Corpus() as corpus:
        added = corpus.add_many(items)
        if added.failed:
            raise added.failed[0][1]
        findings = corpus.check(select=select, ignore=ignore)
        return list(corpus.documents()), findings


def build_report(docs: Iterable[Document], findings: list[Finding] | None = None, *, title: str | None = None,
                 checked: Iterable[str] | None = None, failed: Iterable[tuple[str, str]] = (),
                 problems: Iterable[str] = (), generated: dt.datetime | None = None) -> str:
    """The report page as a string.

    `docs`: the parsed documents. `findings`: their findings; None checks the documents here (`check_documents`), which
    also resolves their citations to one another. Documents taken from a `Corpus` after `Corpus.check()` have their
    citations resolved (`Citation.resolved_to`): those are what the page links. `checked`: the codes that ran
    (default: every registered check); `failed`: (input, reason) of inputs that could not be read; `problems`:
    internal errors to show (a check that failed is named, so a reader knows what was not checked)."""
    docs = list(docs)
    if findings is None:
        docs, findings = check_documents(docs)
    index = Index(docs)
    views = [finding_view(f, index) for f in sort_findings(list(findings))]
    for v in views:
        for i in v.docs:
            index.cards[i].findings[v.severity] += 1
    checked_set = set(checked) if checked is not None else None
    by_sev = Counter(v.severity for v in views)
    data = {"docs": [doc_payload(d, index) for d in docs], "severity": SEVERITY_VI}
    doc_options = sorted({i for v in views for i in v.docs}, key=lambda i: index.cards[i].label)
    codes = Counter(v.code for v in views)
    page = _env().get_template("report.html.j2").render(
        title=title or "Báo cáo rà soát văn bản",
        generated=(generated or dt.datetime.now()).strftime("%d/%m/%Y %H:%M"),
        cards=index.cards, findings=views, failed=list(failed), problems=list(problems),
        severities=[(s, SEVERITY_VI[s], by_sev.get(s, 0)) for s in sorted(SEVERITY_VI, key=SEVERITY_ORDER.get)],
        rows=summary_rows(views, load_all().values(), checked_set), codes=sorted(codes.items()),
        doc_options=doc_options, types=Counter(c.doc_type for c in index.cards).most_common(),
        css=_asset("report.css"), js=_asset("report.js"), data=json_for_script(data), severity_vi=SEVERITY_VI)
    return page


def write_report(path, docs: Iterable[Document], findings: list[Finding] | None = None, **options) -> int:
    """Write the page to `path` (UTF-8); returns its size in bytes."""
    from pathlib import Path

    raw = build_report(docs, findings, **options).encode("utf-8")
    Path(path).write_bytes(raw)
    return len(raw)
