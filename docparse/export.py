"""Records as rows for other tools: plain dicts, JSON Lines, CSV (UTF-8 with BOM, so Excel reads the diacritics),
SARIF 2.1.0 for findings (code review tools show them on the file), and a pandas DataFrame (the optional extra
`dataframe`). Rows are written as they are made, so a large corpus is never held as text in memory: of the
documents, only the line starts of the most recently used are kept (LineCache).

Dates stay ISO and periods keep their exclusive `end` here, as in the JSON records; only the human text reports
write dd/mm/yyyy.
"""
from __future__ import annotations

import bisect
import csv
import json
import os
from array import array
from collections import OrderedDict
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
_HOLE = "\ue000docparse:items\ue000"  # marks where a streamed list goes in a JSON skeleton


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
    """Line and column (1-based, in code points) of offsets into one text, by bisection over the line starts, kept
    as 4-byte integers (a few hundred bytes a document, where its text takes tens of kilobytes). `format`: the
    document's (SARIF gives regions for txt and md only); `size`: the text's length."""

    def __init__(self, text: str, fmt: str | None = None):
        starts = array("I", [0])
        at = text.find("\n")
        while at != -1:
            starts.append(at + 1)
            at = text.find("\n", at + 1)
        self.starts, self.format, self.size = starts, fmt, len(text)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


class LineCache:
    """LineIndex of documents by name, read through `source_of(name) -> (text, format)` (None for a name it raises
    KeyError for); the most recently used are kept up to `budget` line starts in all (32 MB: some 12 000 documents
    of 670 lines). Findings come by severity, then document, and a corpus check's evidence points into other
    documents: a wide cache of small indexes reads each text from the index about once, without keeping the texts."""

    def __init__(self, source_of: Callable[[str], tuple[str, str | None]], budget: int = 8_000_000):
        self.source_of, self.budget, self.held = source_of, budget, 0
        self._cache: OrderedDict[str, LineIndex | None] = OrderedDict()

    def __call__(self, name: str | None) -> LineIndex | None:
        if name is None:
            return None
        if name in self._cache:
            self._cache.move_to_end(name)
            return self._cache[name]
        try:
            index: LineIndex | None = LineIndex(*self.source_of(name))
        except KeyError:
            index = None
        self._cache[name] = index
        self.held += self._size(index)
        while self.held > self.budget and len(self._cache) > 1:
            self.held -= self._size(self._cache.popitem(last=False)[1])
        return index

    @staticmethod
    def _size(index: LineIndex | None) -> int:
        return 1 + (len(index.starts) if index is not None else 0)


def finding_rows(findings: Iterable[Finding], text_of: Callable[[str], str] | None = None, *,
                 lines: LineCache | None = None) -> Iterator[dict]:
    """A finding a row: its first evidence's line, and every piece of evidence as "file:line «text»". Lines from
    `lines`, or else from the texts `text_of` gives."""
    if lines is None:
        lines = LineCache(lambda name: (text_of(name), None)) if text_of is not None else lambda name: None
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


class JsonListWriter:
    """`json.dumps(skeleton, ensure_ascii=False, indent=2)` written to `out` with the one list holding [_HOLE] filled
    item by item (`add`), then finished by `close()`: the text of the whole object without holding the list."""

    def __init__(self, skeleton: dict, out: TextIO):
        text = json.dumps(skeleton, ensure_ascii=False, indent=2)
        at = text.index(json.dumps(_HOLE, ensure_ascii=False))
        start = text.rindex("[", 0, at)
        self.out, self.count = out, 0
        self._indent = text[start + 2:at]  # "[\n" then the items' indent
        self._tail = text[text.index("]", at):]
        out.write(text[:start + 1])

    def add(self, item: Any) -> None:
        # a newline inside JSON text is always escaped: every raw one starts a line of this item
        self.out.write(("," if self.count else "") + "\n" + self._indent
                       + json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n" + self._indent))
        self.count += 1

    def close(self) -> int:
        """The rest of the object written; returns the number of items."""
        self.out.write(("\n" + self._indent[:-2] if self.count else "") + self._tail)
        return self.count


def json_list(skeleton: dict, items: Iterable[Any], out: TextIO, dump: Callable[[Any], Any] = lambda x: x) -> int:
    """JsonListWriter over `items` (each passed through `dump`); returns the number of items."""
    writer = JsonListWriter(skeleton, out)
    for item in items:
        writer.add(dump(item))
    return writer.close()


def sarif(findings: Iterable[Finding], specs: dict, version: str,
          source_of: Callable[[str], tuple[str, str]] | None = None) -> dict:
    """A SARIF 2.1.0 log: one run, the check registry as rules, a result per finding at its first evidence (the
    others as related locations). A region (line/column in code points, char offset) is given only for a .txt or
    .md file, whose text docparse read as it is; for PDF and DOCX the offsets are into the extracted text, so they
    go in the result's properties instead. `source_of(document)` gives (text, format) of a document, KeyError when
    unknown. `write_sarif` writes the same log as text without holding the results."""
    lines = LineCache(source_of) if source_of is not None else None
    return _sarif_log(specs, version, list(sarif_results(findings, specs, lines)))


def write_sarif(findings: Iterable[Finding], specs: dict, version: str, out: TextIO,
                lines: LineCache | None = None) -> int:
    """`json.dumps(sarif(…), ensure_ascii=False, indent=2)` written result by result (`lines`: a LineCache over
    the documents' texts and formats); returns how many."""
    return json_list(_sarif_log(specs, version, [_HOLE]), sarif_results(findings, specs, lines), out)


def _sarif_log(specs: dict, version: str, results: list) -> dict:
    rules = sorted(specs.values(), key=lambda s: s.code)
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "docparse", "version": version, "rules": [
            {"id": s.code, "shortDescription": {"text": s.description},
             "defaultConfiguration": {"level": _SARIF_LEVEL[s.severity]},
             "properties": {"scope": [x for x in ("document", "corpus") if getattr(s, x)]}} for s in rules]}},
        "originalUriBaseIds": {"SRCROOT": {"uri": Path.cwd().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": results}]}


def sarif_results(findings: Iterable[Finding], specs: dict, lines: LineCache | None = None) -> Iterator[dict]:
    """The SARIF result of each finding, one at a time (see `sarif`)."""
    rule_index = {code: i for i, code in enumerate(sorted(s.code for s in specs.values()))}

    def location(e, i: int | None = None) -> dict:
        index = lines(e.document) if lines is not None else None
        if index is not None and index.format not in ("txt", "md"):
            index = None
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
        yield result
