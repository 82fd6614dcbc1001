"""A cross-document index in SQLite: documents (with their parsed record) and every coded citation, so checks can
compare how different documents cite the same document and resolve citations to documents in the corpus.

Re-adding an unchanged file (same bytes) is skipped; a changed file replaces its old records.
"""
from __future__ import annotations

import hashlib
import os
import sqlite3
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from .errors import DocparseError
from .identity import (citation_key, document_id, header_authority, header_key, header_year, straddles_merger,
                       weakest_source)
from .pipeline import build_document
from .readers import read
from .schema import Document, Finding

_VERSION = 2  # PRAGMA user_version; an index written by another version is rebuilt, never misread
_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, content_sha TEXT NOT NULL, doc_type TEXT, number_key TEXT, symbol_key TEXT, year INTEGER,
  date TEXT, code TEXT, authority TEXT, authority_source TEXT, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS citations (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL, number_key TEXT,
  symbol_key TEXT, year INTEGER, date TEXT, doc_type TEXT, doc_type_source TEXT, code TEXT, name TEXT,
  is_self INTEGER, start INTEGER, "end" INTEGER, text TEXT, authority TEXT, authority_source TEXT,
  PRIMARY KEY (doc_id, idx));
CREATE INDEX IF NOT EXISTS citations_key ON citations(number_key, symbol_key);
CREATE INDEX IF NOT EXISTS documents_key ON documents(number_key, symbol_key);
"""


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    failed: list[tuple[str, DocparseError]] = field(default_factory=list)

    @property
    def parsed(self) -> list[str]:
        return self.added + self.unchanged + self.replaced


class Corpus:
    """`Corpus()` lives in memory; `Corpus("index.sqlite")` persists between runs."""

    def __init__(self, db: str | Path = ":memory:"):
        self.path = str(db)
        self.conn = sqlite3.connect(self.path)
        self.conn.execute("PRAGMA foreign_keys = ON")
        if self.conn.execute("PRAGMA user_version").fetchone()[0] != _VERSION:
            self.conn.executescript("DROP TABLE IF EXISTS citations; DROP TABLE IF EXISTS documents;")
            self.conn.execute(f"PRAGMA user_version = {_VERSION}")
        self.conn.executescript(_SCHEMA)
        self._cache: dict[str, Document] = {}

    # ---- adding -------------------------------------------------------------------------------------------
    def add(self, item: str | Path | Document) -> str:
        """Add a file or a parsed Document; returns "added", "unchanged" or "replaced"."""
        if isinstance(item, Document):
            doc, sha = item, item.sha256
        else:
            path = os.path.normpath(str(item))  # "./a.txt", "x/../a.txt" and "a.txt" are one entry
            sha = hashlib.sha256(Path(path).read_bytes()).hexdigest() if Path(path).is_file() else ""
            known = self.conn.execute("SELECT content_sha FROM documents WHERE id = ?", (path,)).fetchone()
            if known and known[0] == sha:
                return "unchanged"
            doc = build_document(read(path))
        doc_id = document_id(doc)
        old = self.conn.execute("SELECT content_sha FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if old and old[0] == sha:
            self._cache[doc_id] = doc
            return "unchanged"
        self._store(doc_id, sha, doc)
        return "replaced" if old else "added"

    def add_many(self, items: Iterable[str | Path | Document]) -> AddReport:
        """Add everything; an input that cannot be read is reported in `failed`, never lost."""
        report = AddReport()
        for item in items:
            name = document_id(item) if isinstance(item, Document) else str(item)
            try:
                status = self.add(item)
            except DocparseError as e:
                report.failed.append((name, e))
                continue
            except OSError as e:
                report.failed.append((name, DocparseError(name, f"không đọc được tệp ({e})")))
                continue
            getattr(report, status).append(name)
        self.conn.commit()
        return report

    def _store(self, doc_id: str, sha: str, doc: Document) -> None:
        h = doc.header
        key = header_key(h)
        authority, source = header_authority(h)
        with self.conn:
            self.conn.execute("DELETE FROM citations WHERE doc_id = ?", (doc_id,))
            self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            self.conn.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (doc_id, sha, h.doc_type, key[0] if key else None, key[1] if key else None, header_year(h),
                 h.date.isoformat() if h.date else h.date_partial, h.code, authority, source,
                 zlib.compress(doc.model_dump_json().encode("utf-8"), 3)))
            rows = []
            for i, c in enumerate(doc.citations):
                k = citation_key(c)
                rows.append((doc_id, i, k[0] if k else None, k[1] if k else None, c.year,
                             c.date.isoformat() if c.date else None, c.doc_type, c.doc_type_source, c.code, c.name,
                             int(c.is_self), c.span.start, c.span.end, c.text, c.authority, c.authority_source))
            self.conn.executemany("INSERT INTO citations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
        self._cache[doc_id] = doc

    # ---- reading ------------------------------------------------------------------------------------------
    def ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY id")]

    def document(self, doc_id: str) -> Document:
        if doc_id not in self._cache:
            row = self.conn.execute("SELECT record FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise KeyError(doc_id)
            self._cache[doc_id] = Document.model_validate_json(zlib.decompress(row[0]))
        return self._cache[doc_id]

    def documents(self) -> Iterator[Document]:
        for doc_id in self.ids():
            yield self.document(doc_id)

    def __len__(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    # ---- resolution and references -----------------------------------------------------------------------
    def resolve(self) -> int:
        """Point each citation at the corpus document it names: same number, symbol, year and authority (a local
        number of another province, or of an unknown one, is another document). A self-citation resolves to its own
        document or to nothing. Returns how many citations resolved to another document."""
        targets: dict[tuple, list[tuple[str, int | None, str | None]]] = {}
        for doc_id, n, s, y, date, auth in self.conn.execute(
                "SELECT id, number_key, symbol_key, year, date, authority FROM documents "
                "WHERE number_key IS NOT NULL AND authority IS NOT NULL"):
            targets.setdefault((n, s, auth), []).append((doc_id, y, date))
        resolved = 0
        for doc in self.documents():
            me = document_id(doc)
            own = header_key(doc.header)
            for c in doc.citations:
                k = citation_key(c)
                if c.is_self:
                    c.resolved_to = me if k and own and k == own else None
                    continue
                cands = [d for d, y, date in targets.get((*k, c.authority), []) if d != me
                         and (c.year is None or y is None or y == c.year)
                         and not straddles_merger(c.authority, c.date.isoformat() if c.date else None, date)
                         ] if k and c.authority else []
                c.resolved_to = cands[0] if len(cands) == 1 else None
                resolved += c.resolved_to is not None
        return resolved

    def refs(self) -> list[dict]:
        """Every cited document with all the places and forms it is cited in, keyed by (number, symbol, year,
        authority): one local code of two provinces is two rows; a mention whose authority is unknown is grouped
        only with the mentions of its own citing document."""
        groups: dict[tuple, dict] = {}
        rows = list(self.conn.execute(
            "SELECT doc_id, number_key, symbol_key, year, date, doc_type, code, name, start, \"end\", text, is_self, "
            "authority, authority_source FROM citations ORDER BY doc_id, idx"))
        years: dict[tuple, set] = {}
        for r in rows:
            if r[1] and r[3]:
                years.setdefault((r[1], r[2], r[12] or r[0]), set()).add(r[3])
        for doc_id, n, s, y, date, doc_type, code, name, a, b, text, is_self, auth, source in rows:
            only = years.get((n, s, auth or doc_id), set())
            y = y or (next(iter(only)) if len(only) == 1 else None)  # an undated mention joins the only year
            key = (n, s, y, auth or f"?{doc_id}") if n else ("", (name or "").lower(), y, "")
            g = groups.setdefault(key, {"key": {"number": n, "symbol": s, "year": y, "name": name, "authority": auth},
                                        "doc_types": set(), "dates": set(), "forms": set(), "sources": set(),
                                        "mentions": []})
            g["doc_types"].add(doc_type)
            if date:
                g["dates"].add(date)
            g["forms"].add(code or name)
            g["sources"].add(source or "unknown")
            g["mentions"].append({"document": doc_id, "span": {"start": a, "end": b}, "text": text, "date": date,
                                  "is_self": bool(is_self), "authority": auth, "authority_source": source})
        in_corpus = {(n, s, y, auth): d for d, n, s, y, auth in self.conn.execute(
            "SELECT id, number_key, symbol_key, year, authority FROM documents "
            "WHERE number_key IS NOT NULL AND authority IS NOT NULL")}
        out = []
        for key, g in sorted(groups.items(), key=lambda kv: (-len(kv[1]["mentions"]), str(kv[0]))):
            sources = g.pop("sources")
            g["key"]["authority_source"] = weakest_source(sources) if g["key"]["number"] else None
            out.append({**g, "doc_types": sorted(t for t in g["doc_types"] if t), "dates": sorted(g["dates"]),
                        "forms": sorted(f for f in g["forms"] if f), "in_corpus": in_corpus.get(key)})
        return out

    # ---- checking -----------------------------------------------------------------------------------------
    def check(self, select=None, ignore=None, focus: Iterable[str] | None = None) -> list[Finding]:
        """Document checks on every document (or only `focus`) and corpus checks across all of them."""
        from .checks import check_document, selected, sort_findings

        focus_ids = set(focus) if focus is not None else None
        self.resolve()
        findings: list[Finding] = []
        for doc_id in self.ids():
            if focus_ids is None or doc_id in focus_ids:
                findings.extend(check_document(self.document(doc_id), select, ignore))
        for spec in selected(select, ignore, "corpus"):
            for f in spec.corpus(self):
                if focus_ids is None or any(e.document in focus_ids for e in f.spans):
                    findings.append(f)
        return sort_findings(findings)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
