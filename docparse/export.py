"""Records as rows for other tools: plain dicts, JSON Lines, CSV (UTF-8 with BOM, so Excel reads the diacritics),
SARIF 2.1.0 for findings (code review tools show them on the file), and a pandas DataFrame (the optional extra
`dataframe`). Rows are written as they are made, so a large corpus is never held as text in memory.

Dates stay ISO and periods keep their exclusive `end` here, as in the JSON records; only the human text reports
write dd/mm/yyyy.
"""
from __future__ import annotations

import bisect
import csv
import json
import os
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO
from urllib.parse import quote

from .baseline import fingerprint
from .identity import document_id
from .schema import Citation, Document, Finding, Indicator, Task

KINDS = ("citations", "indicators", "tasks", "findings")
_MODELS = {"citations": Citation, "indicators": Indicator, "tasks": Task}
_PAIRS = ("span", "deadline")  # nested {start, end} records written as two columns
FINDING_COLUMNS = ["code", "severity", "document", "message", "line", "evidence_count", "evidence", "data"]
REF_COLUMNS = ["number", "symbol", "year", "name", "authority", "authority_source", "forms", "doc_types", "dates",
               "in_corpus", "document", "text", "date", "is_self", "mention_authority", "mention_authority_source",
               "linked_code", "link_source", "span_start", "span_end"]
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"  # a name for tools; nothing is fetched
_SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


class MissingDependencyError(ImportError):
    """An optional capability whose package is not installed."""


def columns(what: str) -> list[str]:
    """CSV columns of one kind of row, in the record's field order ("document" first)."""
    if what == "findings":
        return list(FINDING_COLUMNS)
    out = ["document"]
    for name in _MODELS[what].model_fields:
        out.extend([f"{name}_start", f"{name}_end"] if name in _PAIRS else [name])
    return out


def _check_kind(what: str) -> None:
    if what not in KINDS:
        raise ValueError(f"what must be one of {', '.join(KINDS)}, not {what!r}")


def document_records(doc: Document, what: str) -> Iterator[dict]:
    """The rows of one document (citations, indicators or tasks), each with the document it comes from."""
    name = document_id(doc)
    for item in getattr(doc, what):
        yield {"document": name, **item.model_dump(mode="json")}


def flatten(row: dict, joined: bool = True) -> dict:
    """One level: a span or a period becomes <name>_start/<name>_end; lists are joined with "; " (or kept, for a
    DataFrame); a dict becomes JSON text."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in _PAIRS:
            value = value or {}
            out[f"{key}_start"], out[f"{key}_end"] = value.get("start"), value.get("end")
        elif isinstance(value, list) and joined:
            out[key] = "; ".join("" if v is None else str(v) for v in value)
        elif isinstance(value, dict):
            out[key] = json.dumps(value, ensure_ascii=False)
        else:
            out[key] = value
    return out


class LineIndex:
    """Line and column (1-based, in code points) of offsets into one text, by bisection over the line starts."""

    def __init__(self, text: str):
        self.starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _lines(text_of: Callable[[str], str] | None) -> Callable[[str | None], LineIndex | None]:
    cache: dict[str, LineIndex | None] = {}

    def get(name: str | None) -> LineIndex | None:
        if name is None or text_of is None:
            return None
        if name not in cache:
            try:
                cache[name] = LineIndex(text_of(name))
            except KeyError:
                cache[name] = None
        return cache[name]

    return get


def finding_rows(findings: Iterable[Finding], text_of: Callable[[str], str] | None = None) -> Iterator[dict]:
    """A finding a row: its first evidence's line, and every piece of evidence as "file:line «text»"."""
    lines = _lines(text_of)
    for f in findings:
        where = []
        for e in f.spans:
            index = lines(e.document)
            short = (e.document or "").rsplit("/", 1)[-1]
            loc = f"{short}:{index.position(e.span.start)[0]}" if index else f"{short}@{e.span.start}"
            where.append(f"{loc} «{' '.join(e.text.split())}»")
        first = f.spans[0] if f.spans else None
        index = lines(first.document) if first else None
        yield {"code": f.code, "severity": f.severity, "document": f.document, "message": f.message,
               "line": index.position(first.span.start)[0] if index else None, "evidence_count": len(f.spans),
               "evidence": " | ".join(where), "data": json.dumps(f.data, ensure_ascii=False)}


def ref_rows(refs: Iterable[dict]) -> Iterator[dict]:
    """`Corpus.refs()` flattened: one row per mention, with the cited document's key beside it."""
    for r in refs:
        k = r["key"]
        for m in r["mentions"]:
            yield {"number": k.get("number"), "symbol": k.get("symbol"), "year": k.get("year"), "name": k.get("name"),
                   "authority": k.get("authority"), "authority_source": k.get("authority_source"),
                   "forms": "; ".join(r["forms"]), "doc_types": "; ".join(r["doc_types"]),
                   "dates": "; ".join(r["dates"]), "in_corpus": r.get("in_corpus"), "document": m["document"],
                   "text": m["text"], "date": m.get("date"), "is_self": m.get("is_self"),
                   "mention_authority": m.get("authority"), "mention_authority_source": m.get("authority_source"),
                   "linked_code": m.get("linked_code"), "link_source": m.get("link_source"),
                   "span_start": m["span"]["start"], "span_end": m["span"]["end"]}


def write_csv(rows: Iterable[dict], cols: list[str], out: TextIO) -> int:
    """CSV with a UTF-8 BOM and a header row, written row by row; returns the number of rows."""
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=cols, extrasaction="raise", lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for row in rows:
        writer.writerow(row)
        n += 1
    return n


def write_jsonl(rows: Iterable[dict], out: TextIO) -> int:
    """One JSON record a line; returns the number of lines."""
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        n += 1
    return n


def _documents(docs: Iterable[Document | str | os.PathLike] | Document) -> Iterator[Document]:
    from .pipeline import parse

    for item in [docs] if isinstance(docs, Document) else docs:
        yield item if isinstance(item, Document) else parse(item)


def to_records(docs, what: str = "citations") -> list[dict]:
    """Rows as plain dicts (no pandas needed): `docs` is a Document, or Documents and/or paths (parsed one at a time;
    an unreadable path raises its DocparseError). "findings" checks the documents together as a corpus."""
    _check_kind(what)
    if what == "findings":
        from . import check

        items = list(_documents(docs))
        return [f.model_dump(mode="json") for f in check(items)]
    return [row for doc in _documents(docs) for row in document_records(doc, what)]


def to_dataframe(docs, what: str = "citations"):
    """A pandas DataFrame of the rows, one level deep (span → span_start/span_end; lists kept as lists). Needs the
    extra `dataframe` (pip install 'docparse[dataframe]')."""
    try:
        import pandas as pd
    except ImportError as exc:
        raise MissingDependencyError("to_dataframe cần gói pandas: pip install 'docparse[dataframe]' "
                                     "(hoặc dùng docparse.export.to_records, không cần pandas)") from exc
    _check_kind(what)
    rows = [flatten(r, joined=False) for r in to_records(docs, what)]
    cols = None
    if what != "findings":
        cols = columns(what)
    elif rows:
        cols = list(rows[0])
    return pd.DataFrame(rows, columns=cols)


def _uri(path: str) -> tuple[str, str | None]:
    """The artifact URI of a document path: relative paths against the %SRCROOT% base (the working directory)."""
    p = Path(path)
    if p.is_absolute():
        return p.as_uri(), None
    return quote(p.as_posix()), "SRCROOT"


def sarif(findings: Iterable[Finding], specs: dict, version: str,
          source_of: Callable[[str], tuple[str, str]] | None = None) -> dict:
    """A SARIF 2.1.0 log: one run, the check registry as rules, a result per finding at its first evidence (the
    others as related locations). A region (line/column in code points, char offset) is given only for a .txt or
    .md file, whose text docparse read as it is; for PDF and DOCX the offsets are into the extracted text, so they
    go in the result's properties instead. `source_of(document)` gives (text, format) of a document, KeyError when
    unknown."""
    rules = sorted(specs.values(), key=lambda s: s.code)
    rule_index = {s.code: i for i, s in enumerate(rules)}
    indexes: dict[str, LineIndex | None] = {}

    def lines_of(name: str | None) -> LineIndex | None:
        if name is None or source_of is None:
            return None
        if name not in indexes:
            try:
                text, fmt = source_of(name)
            except KeyError:
                text, fmt = "", None
            indexes[name] = LineIndex(text) if fmt in ("txt", "md") else None
        return indexes[name]

    def location(e, i: int | None = None) -> dict:
        index = lines_of(e.document)
        uri, base = _uri(e.document or "")
        artifact = {"uri": uri, **({"uriBaseId": base} if base else {})}
        phys: dict[str, Any] = {"artifactLocation": artifact}
        if index is not None:
            (l1, c1), (l2, c2) = index.position(e.span.start), index.position(e.span.end)
            phys["region"] = {"startLine": l1, "startColumn": c1, "endLine": l2, "endColumn": c2,
                              "charOffset": e.span.start, "charLength": e.span.end - e.span.start,
                              "snippet": {"text": e.text}}
        out: dict[str, Any] = {"physicalLocation": phys}
        if i is not None:
            out["id"] = i
            out["message"] = {"text": e.text}
        if index is None:
            out["properties"] = {"span": {"start": e.span.start, "end": e.span.end}, "text": e.text}
        return out

    results = []
    for f in findings:
        result: dict[str, Any] = {"ruleId": f.code, "level": _SARIF_LEVEL[f.severity], "message": {"text": f.message}}
        if f.code in rule_index:
            result["ruleIndex"] = rule_index[f.code]
        if f.spans:
            result["locations"] = [location(f.spans[0])]
            if len(f.spans) > 1:
                result["relatedLocations"] = [location(e, i) for i, e in enumerate(f.spans[1:], 1)]
        elif f.document:
            uri, base = _uri(f.document)
            result["locations"] = [{"physicalLocation": {"artifactLocation": {
                "uri": uri, **({"uriBaseId": base} if base else {})}}}]
        result["partialFingerprints"] = {"docparseFinding/v1": fingerprint(f)}
        if f.data:
            result["properties"] = {"data": f.data}
        results.append(result)
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "docparse", "version": version, "rules": [
            {"id": s.code, "shortDescription": {"text": s.description},
             "defaultConfiguration": {"level": _SARIF_LEVEL[s.severity]},
             "properties": {"scope": [x for x in ("document", "corpus") if getattr(s, x)]}} for s in rules]}},
        "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results}]}
