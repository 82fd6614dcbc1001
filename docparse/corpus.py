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

from .errors import DocparseError, IndexFileError
from .identity import (citation_authority, citation_key, document_id, header_authority, header_key, header_year,
                       straddles_merger,
                       weakest_source)
from .laws import coded_pairs, consistent_index, lexicon_index, link
from .pipeline import build_document
from .readers import read, read_bytes
from .schema import Document, Finding, Notice

_VERSION = 4  # PRAGMA user_version; an index written by another version is rebuilt, never misread
_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, content_sha TEXT NOT NULL, doc_type TEXT, number_key TEXT, symbol_key TEXT, year INTEGER,
  date TEXT, code TEXT, authority TEXT, authority_source TEXT, record BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS citations (
  doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL, number_key TEXT,
  symbol_key TEXT, year INTEGER, date TEXT, doc_type TEXT, doc_type_source TEXT, code TEXT, name TEXT,
  is_self INTEGER, start INTEGER, "end" INTEGER, text TEXT, authority TEXT, authority_source TEXT,
  linked_code TEXT, link_source TEXT, subject TEXT, PRIMARY KEY (doc_id, idx));
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


def _open_index(path: str) -> sqlite3.Connection:
    """The index, created or upgraded; IndexFileError naming the file when it is not SQLite, damaged, another
    program's database (never overwritten), or not writable."""
    on_disk = path != ":memory:" and not path.startswith("file:")
    if on_disk and os.path.exists(path) and not os.path.isfile(path):
        raise IndexFileError(path, "không phải tệp chỉ mục (là thư mục hoặc tệp đặc biệt)")
    if on_disk and os.path.exists(path) and not os.access(path, os.R_OK | os.W_OK):
        raise IndexFileError(path, "không có quyền đọc/ghi tệp chỉ mục")
    conn = None
    try:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA foreign_keys = ON")
        if on_disk and os.path.getsize(path) and conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("database disk image is malformed")
        if conn.execute("PRAGMA user_version").fetchone()[0] != _VERSION:
            others = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                                 "AND name NOT LIKE 'sqlite_%'")} - {"documents", "citations"}
            if others:
                raise IndexFileError(path, "tệp SQLite này không phải chỉ mục của docparse (có bảng "
                                           f"{', '.join(sorted(others)[:5])}); không ghi đè")
            conn.executescript("DROP TABLE IF EXISTS citations; DROP TABLE IF EXISTS documents;")
            conn.execute(f"PRAGMA user_version = {_VERSION}")
        conn.executescript(_SCHEMA)
        for table, columns in _COLUMNS.items():  # a same-named table of another shape is not ours either
            conn.execute(f"SELECT {columns} FROM {table} LIMIT 0")
        return conn
    except sqlite3.Error as e:
        if conn is not None:
            conn.close()
        raise IndexFileError(path, f"không dùng được tệp chỉ mục SQLite ({type(e).__name__}: {e})") from e
    except IndexFileError:
        conn.close()
        raise


_COLUMNS = {"documents": "id, content_sha, doc_type, number_key, symbol_key, year, date, code, authority, "
                         "authority_source, record",
            "citations": 'doc_id, idx, number_key, symbol_key, year, date, doc_type, doc_type_source, code, name, '
                         'is_self, start, "end", text, authority, authority_source, linked_code, link_source, subject'}


def _failure(name: str, exc: Exception) -> DocparseError:
    """The typed failure of one input; an index that cannot be written names the index."""
    from .batch import as_failure

    if isinstance(exc, sqlite3.Error):
        return IndexFileError(name, f"không ghi được vào chỉ mục ({type(exc).__name__}: {exc})")
    return as_failure(name, exc)


class Corpus:
    """`Corpus()` lives in memory; `Corpus("index.sqlite")` persists between runs."""

    def __init__(self, db: str | Path = ":memory:"):
        self.path = str(db)
        self._cache: dict[str, Document] = {}
        self.notices: list[Notice] = []  # an "internal.error" per check that failed (docparse.guard)
        self.conn = _open_index(self.path)

    # ---- adding -------------------------------------------------------------------------------------------
    def add(self, item: str | Path | Document) -> str:
        """Add a file or a parsed Document; returns "added", "unchanged" or "replaced"."""
        if isinstance(item, Document):
            doc, sha = item, item.sha256
        else:
            path = os.path.normpath(str(item))  # "./a.txt", "x/../a.txt" and "a.txt" are one entry
            # read within the size limit (FileTooLargeError past it), never a whole huge file just to hash it
            sha = hashlib.sha256(read_bytes(Path(path))).hexdigest() if Path(path).is_file() else ""
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
            except Exception as e:  # noqa: BLE001 - a bug in one input (InternalError) never stops the others
                report.failed.append((name, _failure(name, e)))
                if not isinstance(item, Document):
                    self._forget(os.path.normpath(name))
                continue
            getattr(report, status).append(name)
        self.conn.commit()
        return report

    def _forget(self, doc_id: str) -> None:
        """A file that failed this time leaves the index: checks never run on an older reading of it."""
        try:
            with self.conn:
                self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
        except sqlite3.Error:
            pass
        self._cache.pop(doc_id, None)

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
                             int(c.is_self), c.span.start, c.span.end, c.text, c.authority, c.authority_source,
                             None, None, c.subject))
            self.conn.executemany("INSERT INTO citations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
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
        self.link_names()
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

    def link_names(self) -> dict[str, int]:
        """Link every law cited by name only to the code its name (and year or date) picks out, from the coded
        mentions of the same name anywhere in the corpus or from the laws lexicon (docparse.laws). A linked mention
        takes its law's key and authority in the citations table (`code` holds the linked code, `name` the whole
        name as written, `linked_code` and `link_source` say it was linked), so it is grouped and compared with the
        coded mentions. Every call recomputes every link (documents may have been added). Returns how many were
        linked, by source."""
        docs = [(document_id(d), d) for d in self.documents()]
        index = consistent_index([p for _, d in docs for p in coded_pairs(d)]).merged(lexicon_index())
        counts = {"corpus": 0, "lexicon": 0}
        rows = []
        for doc_id, doc in docs:
            for i, c in enumerate(doc.citations):
                if c.code or not c.name or c.is_self:
                    continue
                got = link(c, doc.text, index, doc.header.date)
                if got is None:
                    c.linked_code = c.link_source = c.authority = None
                    c.authority_source = "unknown"
                    rows.append((None, None, c.year, None, c.name, None, "unknown", None, None, doc_id, i))
                    continue
                law, written = got
                c.linked_code, c.link_source = law.code, "corpus" if law.source == "corpus" else "lexicon"
                counts[c.link_source] += 1
                coded = c.model_copy(update={"code": law.code, "number": law.code.split("/")[0],
                                             "symbol": law.code.rsplit("/", 1)[1]})
                k = citation_key(coded)
                c.authority, c.authority_source = citation_authority(coded, doc.header)
                rows.append((k[0], k[1], law.year, law.code, written, c.authority, c.authority_source, law.code,
                             c.link_source, doc_id, i))
        with self.conn:
            self.conn.executemany("UPDATE citations SET number_key=?, symbol_key=?, year=?, code=?, name=?, "
                                  "authority=?, authority_source=?, linked_code=?, link_source=? "
                                  "WHERE doc_id=? AND idx=?", rows)
        return counts

    def refs(self) -> list[dict]:
        """Every cited document with all the places and forms it is cited in, keyed by (number, symbol, year,
        authority): one local code of two provinces is two rows; a mention whose authority is unknown is grouped
        only with the mentions of its own citing document. A law cited by name joins its coded mentions when its
        name is linked (`link_source` on the mention)."""
        self.link_names()
        groups: dict[tuple, dict] = {}
        rows = list(self.conn.execute(
            "SELECT doc_id, number_key, symbol_key, year, date, doc_type, code, name, start, \"end\", text, is_self, "
            "authority, authority_source, link_source FROM citations ORDER BY doc_id, idx"))
        years: dict[tuple, set] = {}
        for r in rows:
            if r[1] and r[3]:
                years.setdefault((r[1], r[2], r[12] or r[0]), set()).add(r[3])
        for doc_id, n, s, y, date, doc_type, code, name, a, b, text, is_self, auth, source, linked in rows:
            only = years.get((n, s, auth or doc_id), set())
            y = y or (next(iter(only)) if len(only) == 1 else None)  # an undated mention joins the only year
            key = (n, s, y, auth or f"?{doc_id}") if n else ("", (name or "").lower(), y, "")
            g = groups.setdefault(key, {"key": {"number": n, "symbol": s, "year": y, "name": name, "authority": auth},
                                        "doc_types": set(), "dates": set(), "forms": set(), "sources": set(),
                                        "mentions": []})
            g["doc_types"].add(doc_type)
            if date:
                g["dates"].add(date)
            g["forms"].add(name if linked else code or name)  # a linked mention shows the name it was written with
            g["key"]["name"] = g["key"]["name"] or name
            g["sources"].add(source or "unknown")
            g["mentions"].append({"document": doc_id, "span": {"start": a, "end": b}, "text": text, "date": date,
                                  "is_self": bool(is_self), "authority": auth, "authority_source": source,
                                  **({"linked_code": code, "link_source": linked} if linked else {})})
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
        from .checks import check_document, collect, selected, sort_findings
        from .guard import guarded

        focus_ids = set(focus) if focus is not None else None
        self.resolve()
        findings: list[Finding] = []
        for doc_id in self.ids():
            if focus_ids is None or doc_id in focus_ids:
                doc = self.document(doc_id)
                failed: list[Notice] = []
                findings.extend(check_document(doc, select, ignore, notices=failed))
                doc.notices.extend(failed)
                self.notices.extend(Notice(code=n.code, message=f"{doc_id}: {n.message}") for n in failed)
        for spec in selected(select, ignore, "corpus"):
            for f in guarded(f"kiểm tra {spec.code}", self.notices, [], collect, spec.corpus, self):
                if focus_ids is None or any(e.document in focus_ids for e in f.spans):
                    findings.append(f)
        return sort_findings(findings)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
