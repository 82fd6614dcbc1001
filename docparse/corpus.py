"""A cross-document index in SQLite (docparse.index): documents keyed by the hash of their content (a file's
bytes; a Document's name and text), each with every path it was seen at, so one file indexed under two spellings
is one document; a record written by another docparse version or Document schema is re-parsed; a changed file replaces
its old record, and `prune` drops files gone from the indexed folders. Checks read the stored rows, never the whole
corpus: the document checks ran when the document was parsed, and the corpus checks recompute only the groups a
changed document touches (docparse.index.groups).
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__
from .errors import DocparseError, IndexFileError
from .identity import citation_authority, citation_key, document_id
from .index import groups as _groups
from .index.rows import prepare
from .pipeline import build_document
from .readers import read, read_bytes
from .index.store import (VERSION as _VERSION, get_meta, insert_document, open_index, set_meta, transaction,
                          unpack_record)
from .schema import SCHEMA_VERSION, Citation, Document, Finding, Header, Notice

__all__ = ["AddReport", "Corpus", "_VERSION"]


@dataclass
class AddReport:
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    failed: list[tuple[str, DocparseError]] = field(default_factory=list)
    internal: list[tuple[str, list[str]]] = field(default_factory=list)  # (input, messages of failed layers)
    pruned: list[str] = field(default_factory=list)

    @property
    def parsed(self) -> list[str]:
        return self.added + self.unchanged + self.replaced


def _open_index(path: str) -> sqlite3.Connection:  # kept for callers of the former module-level helper
    return open_index(path)


def _failure(name: str, exc: Exception) -> DocparseError:
    """The typed failure of one input; an index that cannot be written names the index."""
    from .batch import as_failure

    if isinstance(exc, sqlite3.Error):
        return IndexFileError(name, f"không ghi được vào chỉ mục ({type(exc).__name__}: {exc})")
    return as_failure(name, exc)


def read_and_prepare(path: str) -> tuple:
    """In a worker: ("ok", prepared rows, stat of the bytes) or ("failed", packed error). Never raises."""
    from .parallel import pack_error

    try:
        data = read_bytes(Path(path))  # within the size limit (FileTooLargeError past it)
        st = os.stat(path)
        doc = build_document(read(path))
        prep = prepare(doc)
        prep["sha"] = hashlib.sha256(data).hexdigest()  # the file's bytes: two .docx of one text, formatted
        return "ok", prep, (st.st_size, st.st_mtime_ns, prep["sha"])  # differently, are two documents
    except Exception as exc:  # noqa: BLE001 - every input ends as parsed or failed
        return "failed", pack_error(path, exc)


class Corpus:
    """`Corpus()` lives in memory; `Corpus("index.sqlite")` persists between runs (and may be written by two
    processes at once)."""

    def __init__(self, db: str | Path = ":memory:"):
        self.path = str(db)
        self.notices: list[Notice] = []  # an "internal.error" per check that failed (docparse.guard)
        self.conn = open_index(self.path)
        self._docs: OrderedDict[int, Document] = OrderedDict()  # a few recently read Documents, never the corpus
        self._focus: list[str] | None = None  # the documents the running check reports on

    # ---- adding -------------------------------------------------------------------------------------------
    def add(self, item: str | Path | Document) -> str:
        """Add a file or a parsed Document; returns "added", "unchanged" or "replaced"."""
        if isinstance(item, Document):
            prep = prepare(item)  # a Document has no file: its name is part of it (an upload under two names is two)
            prep["sha"] = "doc:" + hashlib.sha256(f"{document_id(item)}\0{item.sha256}".encode()).hexdigest()
            item.notices.extend(Notice(**n) for n in json.loads(prep["check_notices"]))  # a check that failed
            return self._write(prep, document_id(item), None)
        given = os.path.normpath(str(item))  # "./a.txt", "x/../a.txt" and "a.txt" are one entry
        if self._known(given):
            return "unchanged"
        status, payload, stat = read_and_prepare(given)
        if status == "failed":
            from .parallel import unpack_error

            raise unpack_error(payload)
        return self._write(payload, given, stat)

    def add_many(self, items: Iterable[str | Path | Document], jobs: int = 1,
                 progress: Callable[[str, bool], None] | None = None) -> AddReport:
        """Add everything, parsing files in `jobs` processes (written here in input order, one transaction each);
        an input that cannot be read is reported in `failed`, never lost. `progress(name, ok)` after each input."""
        from .parallel import ordered_map, unpack_error

        report = AddReport()

        def tasks():
            for item in items:
                if isinstance(item, Document):
                    yield document_id(item), item, None
                    continue
                given = os.path.normpath(str(item))
                try:
                    known = self._known(given)
                except Exception as e:  # noqa: BLE001
                    yield str(item), None, ("failed", e)
                    continue
                yield str(item), given, "unchanged" if known else None

        for (name, what, state), result in ordered_map(read_and_prepare, tasks(), jobs, needs_work=_needs_work,
                                                       arg=lambda task: task[1]):
            try:
                if state == "unchanged":
                    status = "unchanged"
                elif isinstance(state, tuple):
                    raise state[1]
                elif isinstance(what, Document):
                    status = self.add(what)
                    report.internal.append((name, [n.message for n in what.notices if n.code.startswith("internal")]))
                else:
                    if result[0] == "failed":
                        raise unpack_error(result[1])
                    status = self._write(result[1], what, result[2])
                    report.internal.append((name, result[1]["internal"]))
            except Exception as e:  # noqa: BLE001 - a bug in one input (InternalError) never stops the others
                report.failed.append((name, _failure(name, e)))
                if not isinstance(what, Document) and what is not None:
                    self._forget(what)
                if progress:
                    progress(name, False)
                continue
            getattr(report, status).append(name)
            if progress:
                progress(name, True)
        return report

    def _known(self, given: str) -> bool:
        """The file at `given` is indexed with the same size and time, by this docparse and schema: nothing to do
        but to remember the spelling it was given with (findings name it)."""
        real = os.path.realpath(given)
        row = self.conn.execute(
            "SELECT p.doc, p.size, p.mtime_ns, d.docparse_version, d.schema_version, d.path FROM paths p "
            "JOIN documents d ON d.id = p.doc WHERE p.path = ?", (real,)).fetchone()
        if row is None or row[3] != __version__ or row[4] != SCHEMA_VERSION:
            return False
        try:
            st = os.stat(real)
        except OSError:
            return False
        if (st.st_size, st.st_mtime_ns) != (row[1], row[2]):
            return False
        if row[5] != given:
            with transaction(self.conn):
                self._rename(row[0], given)
                self.conn.execute("UPDATE paths SET given = ? WHERE path = ?", (given, real))
        return True

    def _rename(self, doc: int, path: str) -> None:
        _groups.mark(self.conn, _groups.groups_of(self.conn, doc))
        self.conn.execute("UPDATE documents SET path = ? WHERE id = ?", (path, doc))
        self._docs.pop(doc, None)

    def _delete(self, doc: int, laws_changed: bool = True, keep: frozenset[str] = frozenset()) -> None:
        """Remove a document; the groups it was part of are marked for a re-check, except those in `keep` (its
        replacement gives them the same input: their findings stay)."""
        _groups.mark(self.conn, _groups.groups_of(self.conn, doc) - keep)
        if laws_changed and self.conn.execute("SELECT law_pairs FROM documents WHERE id = ?",
                                              (doc,)).fetchone()[0] not in ("[]", None):
            set_meta(self.conn, "laws_dirty", "1")
        kept = json.dumps(sorted(keep))
        _groups.mark(self.conn, [g for (g,) in self.conn.execute(  # a series or symbol finding naming it: its group is
            "SELECT DISTINCT grp FROM findings WHERE id IN (SELECT finding FROM finding_documents WHERE doc = ?) "
            "AND grp IS NOT NULL AND grp NOT IN (SELECT value FROM json_each(?))", (doc, kept))])  # recomputed, even
        self.conn.execute("DELETE FROM findings WHERE id IN (SELECT finding FROM finding_documents WHERE doc = ?) "
                          "AND grp IS NOT NULL AND grp NOT IN (SELECT value FROM json_each(?))", (doc, kept))
        # when the entries feeding it come back unchanged
        self.conn.execute("DELETE FROM documents WHERE id = ?", (doc,))
        self._docs.pop(doc, None)

    def _write(self, prep: dict, given: str, stat: tuple | None) -> str:
        """One document: all its rows in one transaction (a killed run loses at most this one)."""
        real = os.path.realpath(given) if stat else None
        with transaction(self.conn):
            known = self.conn.execute("SELECT id, docparse_version, schema_version, path, law_pairs FROM documents "
                                      "WHERE sha = ?", (prep["sha"],)).fetchone()
            before = self.conn.execute("SELECT doc FROM paths WHERE path = ?", (real,)).fetchone() if real else None
            if known is None and not stat:  # a Document under a name already indexed with other text replaces it
                before = self.conn.execute("SELECT id FROM documents WHERE path = ? AND from_file = 0",
                                           (given,)).fetchone()
            status, reuse, old_pairs, keep, resolved = "added", None, None, frozenset(), {}
            if known and (known[1], known[2]) == (__version__, SCHEMA_VERSION):
                doc, status = known[0], "unchanged"
                if known[3] != given:
                    self._rename(doc, given)
            else:
                if known:  # written by another docparse or schema: parsed again, in its place
                    self._delete(known[0])
                    status, reuse = "replaced", known[0]
                elif before and not self.conn.execute("SELECT 1 FROM paths WHERE doc = ? AND path != ? LIMIT 1",
                                                      (before[0], real)).fetchone():
                    old_pairs, old_path = self.conn.execute("SELECT law_pairs, path FROM documents WHERE id = ?",
                                                            (before[0],)).fetchone()
                    keep, resolved = self._same_inputs(before[0], prep) if old_path == given else (frozenset(), {})
                    self._delete(before[0], laws_changed=old_pairs != prep["law_pairs"], keep=keep)  # the file's old
                    status, reuse, before = "replaced", before[0], None  # text: the new one takes its place
                doc = insert_document(self.conn, prep, given, stat is not None, __version__, SCHEMA_VERSION, reuse)
                _groups.mark(self.conn, _groups.groups_of(self.conn, doc) - keep)
                self.conn.executemany("UPDATE citations SET resolved_doc = ? WHERE doc = ? AND idx = ?",
                                      [(target, doc, idx) for idx, target in resolved.items()])
                if prep["law_pairs"] != "[]" and prep["law_pairs"] != (known[4] if known else old_pairs):
                    set_meta(self.conn, "laws_dirty", "1")
            if stat:
                self.conn.execute("INSERT OR REPLACE INTO paths VALUES (?,?,?,?,?,?)", (real, doc, given, *stat))
            if before and before[0] != doc:
                status = "replaced"
                if not self.conn.execute("SELECT 1 FROM paths WHERE doc = ? LIMIT 1", (before[0],)).fetchone():
                    self._delete(before[0])
        return status

    def _same_inputs(self, old: int, prep: dict) -> tuple[frozenset[str], dict[int, int | None]]:
        """The groups to which a file's new text gives exactly what its old text gave (an edit away from its
        citations and header): their findings and its citations' resolutions in them are kept, not recomputed.
        Returns those groups and {citation index: resolved document} to restore."""
        old_inputs, resolved = _groups.stored_inputs(self.conn, old)
        new_inputs = _groups.prepared_inputs(prep)
        keep = frozenset(g for g, rows in old_inputs.items() if new_inputs.get(g) == rows)
        rows = {r[0] for g in keep if g.startswith("cite" + _groups.cc.SEP) for r in old_inputs[g] if r[0] != "header"}
        return keep, {idx: resolved[idx] for idx in rows}

    def _forget(self, given: str) -> None:
        """A file that failed this time leaves the index: checks never run on an older reading of it."""
        try:
            real = os.path.realpath(given)
            with transaction(self.conn):
                row = self.conn.execute("SELECT doc FROM paths WHERE path = ?", (real,)).fetchone()
                if row:
                    self.conn.execute("DELETE FROM paths WHERE path = ?", (real,))
                    if not self.conn.execute("SELECT 1 FROM paths WHERE doc = ? LIMIT 1", (row[0],)).fetchone():
                        self._delete(row[0])
        except sqlite3.Error:
            pass

    def prune(self, folders: Iterable[str | Path]) -> list[str]:
        """Remove the files under `folders` that no longer exist (and the documents left with no file); returns
        the paths removed."""
        gone = []
        for folder in folders:
            root = os.path.realpath(str(folder)).rstrip(os.sep) + os.sep
            for real, given in self.conn.execute("SELECT path, given FROM paths WHERE substr(path, 1, ?) = ?",
                                                 (len(root), root)).fetchall():
                if not os.path.exists(real):
                    self._forget(real)
                    gone.append(given)
        return gone

    # ---- reading ------------------------------------------------------------------------------------------
    def ids(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT path FROM documents ORDER BY path")]

    def _id_of(self, doc_id: str) -> int:
        row = (self.conn.execute("SELECT id FROM documents WHERE path = ? ORDER BY id DESC", (doc_id,)).fetchone()
               or self.conn.execute("SELECT doc FROM paths WHERE path = ? OR given = ?",
                                    (os.path.realpath(doc_id), doc_id)).fetchone()
               or self.conn.execute("SELECT id FROM documents WHERE sha = ?", (doc_id,)).fetchone())
        if row is None:
            raise KeyError(doc_id)
        return row[0]

    def document(self, doc_id: str) -> Document:
        """The stored Document (by the path findings name, any path it was seen at, or its hash): the record as
        parsed, with this corpus's links, authorities and resolutions of its citations."""
        key = self._id_of(doc_id)
        if key in self._docs:
            self._docs.move_to_end(key)
            return self._docs[key]
        path, record, linked = self.conn.execute("SELECT path, record, linked FROM documents WHERE id = ?",
                                                 (key,)).fetchone()
        doc = Document.model_validate_json(unpack_record(record))
        doc.source = path
        rows = self.conn.execute(
            "SELECT c.idx, c.authority, c.authority_source, c.linked_code, c.link_source, r.path FROM citations c "
            "LEFT JOIN documents r ON r.id = c.resolved_doc WHERE c.doc = ?", (key,))
        for idx, auth, source, linked_code, link_source, resolved in rows:
            c = doc.citations[idx]
            c.resolved_to = resolved
            if linked and not c.code and c.name and not c.is_self:
                c.authority, c.authority_source, c.linked_code, c.link_source = auth, source, linked_code, link_source
        self._docs[key] = doc
        if len(self._docs) > 64:
            self._docs.popitem(last=False)
        return doc

    def source(self, doc_id: str) -> tuple[str, str]:
        """(text, format) of a stored document, read from its record without building the Document: what a report
        needs to place the evidence of a finding (lines), several times cheaper than document()."""
        key = self._id_of(doc_id)
        if key in self._docs:
            doc = self._docs[key]
            return doc.text, doc.format
        (record,) = self.conn.execute("SELECT record FROM documents WHERE id = ?", (key,)).fetchone()
        data = json.loads(unpack_record(record))
        return data["text"], data["format"]

    def documents(self) -> Iterator[Document]:
        for doc_id in self.ids():
            yield self.document(doc_id)

    def __len__(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    # ---- links, resolution and references ----------------------------------------------------------------
    def link_names(self) -> dict[str, int]:
        """Link every law cited by name only to the code its name (and year or date) picks out, from the coded
        mentions of the same name anywhere in the corpus or from the laws lexicon (docparse.laws). A linked mention
        takes its law's key and authority in the citations table (`code` holds the linked code, `name` the whole
        name as written, `linked_code` and `link_source` say it was linked), so it is grouped and compared with the
        coded mentions. Only documents not linked yet are linked, unless the law index changed: then every document
        citing a law by name is linked again. Returns how many are linked, by source."""
        self._link_pending()
        return {source: n for source, n in self.conn.execute(
            "SELECT link_source, COUNT(*) FROM citations WHERE link_source IS NOT NULL GROUP BY link_source")} | {
            s: 0 for s in ("corpus", "lexicon") if not self.conn.execute(
                "SELECT 1 FROM citations WHERE link_source = ? LIMIT 1", (s,)).fetchone()}

    def _link_pending(self) -> None:
        """link_names without the counts: only the documents not linked yet (all of them when the law index
        changed), found through a partial index, so an update after one change reads no other document."""
        from .laws import consistent_index, lexicon_index

        index, changed = None, get_meta(self.conn, "laws_dirty") != "0"
        if changed:
            pairs = [tuple(p) for (lp,) in self.conn.execute("SELECT law_pairs FROM documents WHERE law_pairs != '[]' "
                                                             "ORDER BY id") for p in json.loads(lp)]
            index = consistent_index(pairs).merged(lexicon_index())
            blob = pickle.dumps(sorted(index.by_key.items()))
            fingerprint = hashlib.sha256(blob).hexdigest()
            relink_all = fingerprint != get_meta(self.conn, "law_index")
            with transaction(self.conn):
                set_meta(self.conn, "law_index", fingerprint)
                set_meta(self.conn, "law_index_data", blob.hex())
                set_meta(self.conn, "laws_dirty", "0")
        else:
            relink_all = False
        todo = [r[0] for r in self.conn.execute(
            "SELECT id FROM documents WHERE has_names = 1" + ("" if relink_all else " AND linked = 0"))]
        if todo and index is None:
            from .laws import LawIndex

            data = get_meta(self.conn, "law_index_data")
            index = (LawIndex(dict(pickle.loads(bytes.fromhex(data)))) if data
                     else consistent_index([]).merged(lexicon_index()))
        for doc in todo:
            self._link(doc, index)
        self.conn.execute("UPDATE documents SET linked = 1 WHERE linked = 0 AND has_names = 0")

    def _link(self, key: int, index) -> None:
        from .laws import link

        record = json.loads(unpack_record(self.conn.execute("SELECT record FROM documents WHERE id = ?",
                                                            (key,)).fetchone()[0]))
        header = Header.model_validate(record["header"])  # only what linking reads, not the whole Document
        rows = []
        for i, data in enumerate(record["citations"]):
            if data.get("code") or not data.get("name") or data.get("is_self"):
                continue
            c = Citation.model_validate(data)
            got = link(c, record["text"], index, header.date)
            if got is None:
                rows.append((None, None, c.year, None, c.name, None, "unknown", None, None, key, i))
                continue
            law, written = got
            source = "corpus" if law.source == "corpus" else "lexicon"
            coded = c.model_copy(update={"code": law.code, "number": law.code.split("/")[0],
                                         "symbol": law.code.rsplit("/", 1)[1]})
            k = citation_key(coded)
            authority, auth_source = citation_authority(coded, header)
            rows.append((k[0], k[1], law.year, law.code, written, authority, auth_source, law.code, source, key, i))
        with transaction(self.conn):
            old = {r[0]: r[1:] for r in self.conn.execute(
                "SELECT idx, number_key, symbol_key, year, code, name, authority, authority_source, linked_code, "
                "link_source FROM citations WHERE doc = ?", (key,))}
            for r in rows:  # a mention that joins or leaves a group changes that group
                before = old.get(r[-1])
                if before != r[:9]:
                    _groups.mark(self.conn, {_groups.cc.group_key("cite", k[0], k[1], k[5])
                                             for k in (before, r) if k and k[0] is not None and k[5] is not None})
            self.conn.executemany("UPDATE citations SET number_key=?, symbol_key=?, year=?, code=?, name=?, "
                                  "authority=?, authority_source=?, linked_code=?, link_source=? "
                                  "WHERE doc=? AND idx=?", rows)
            self.conn.execute("UPDATE documents SET linked = 1 WHERE id = ?", (key,))
        self._docs.pop(key, None)

    def update(self) -> int:
        """Links, then every group a change touched: after this the stored findings and resolutions are current.
        Returns how many groups were recomputed."""
        self._link_pending()
        return _groups.recheck(self.conn, self.notices)

    def resolve(self) -> int:
        """Point each citation at the corpus document it names: same number, symbol, year and authority (a local
        number of another province, or of an unknown one, is another document). A self-citation resolves to its own
        document or to nothing. Returns how many citations resolved to another document."""
        self.update()
        return self.conn.execute("SELECT COUNT(*) FROM citations WHERE resolved_doc IS NOT NULL AND is_self = 0 "
                                 "AND resolved_doc != doc").fetchone()[0]

    def refs(self) -> list[dict]:
        """Every cited document with all the places and forms it is cited in, keyed by (number, symbol, year,
        authority): one local code of two provinces is two rows; a mention whose authority is unknown is grouped
        only with the mentions of its own citing document. A law cited by name joins its coded mentions when its
        name is linked (`link_source` on the mention)."""
        from .identity import weakest_source

        self.link_names()
        groups: dict[tuple, dict] = {}
        rows = list(self.conn.execute(
            "SELECT d.path, c.number_key, c.symbol_key, c.year, c.date, c.doc_type, c.code, c.name, c.start, "
            "c.\"end\", c.text, c.is_self, c.authority, c.authority_source, c.link_source FROM citations c "
            "JOIN documents d ON d.id = c.doc ORDER BY d.path, c.idx"))
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
            "SELECT path, number_key, symbol_key, year, authority FROM documents "
            "WHERE number_key IS NOT NULL AND authority IS NOT NULL ORDER BY id")}
        out = []
        for key, g in sorted(groups.items(), key=lambda kv: (-len(kv[1]["mentions"]), str(kv[0]))):
            sources = g.pop("sources")
            g["key"]["authority_source"] = weakest_source(sources) if g["key"]["number"] else None
            out.append({**g, "doc_types": sorted(t for t in g["doc_types"] if t), "dates": sorted(g["dates"]),
                        "forms": sorted(f for f in g["forms"] if f), "in_corpus": in_corpus.get(key)})
        return out

    # ---- checking -----------------------------------------------------------------------------------------
    def corpus_findings(self, code: str | None = None, focus: Iterable[str] | None = None) -> list[Finding]:
        """The stored findings of the corpus checks (current after `update()`), in the order they were found; only
        those naming a `focus` document (default: the focus of the check running now)."""
        focus = self._focus if focus is None else focus
        sql = "SELECT f.finding FROM findings f WHERE f.grp IS NOT NULL"
        args: list = []
        if code:
            sql += " AND f.code = ?"
            args.append(code)
        if focus is not None:
            sql += (" AND f.id IN (SELECT fd.finding FROM finding_documents fd JOIN documents d ON d.id = fd.doc "
                    "WHERE d.path IN (SELECT value FROM json_each(?)))")
            args.append(json.dumps(list(focus)))
        return [Finding.model_validate_json(f) for (f,) in self.conn.execute(sql + " ORDER BY f.rank, f.id", args)]

    def document_findings(self, focus: Iterable[str] | None = None) -> Iterator[tuple[str, Finding, list[Notice]]]:
        """(path, finding) of the document checks, stored when each document was parsed, named by its path now."""
        sql = "SELECT d.path, f.finding FROM findings f JOIN documents d ON d.id = f.doc WHERE f.grp IS NULL"
        args: list = []
        if focus is not None:
            sql += " AND d.path IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(list(focus)))
        for path, data in self.conn.execute(sql + " ORDER BY d.path, f.id", args):
            f = Finding.model_validate_json(data)
            old = f.document
            f.document = path
            for e in f.spans:
                if e.document == old:
                    e.document = path
            yield path, f

    def check(self, select=None, ignore=None, focus: Iterable[str] | None = None) -> list[Finding]:
        """Document checks on every document (or only `focus`) and corpus checks across all of them."""
        return list(self.iter_check(select, ignore, focus))

    def iter_check(self, select=None, ignore=None, focus: Iterable[str] | None = None) -> Iterator[Finding]:
        """`check`, one finding at a time, in the same order (checks.sort_findings), read from the index in that
        order: a corpus's findings (at 100 000 documents, ten times the memory of their 120 MB of JSON) are never
        all held."""
        import heapq

        from .checks import SEVERITY_ORDER, collect, selected, sort_findings
        from .guard import guarded

        focus = [os.path.normpath(f) if not f.startswith("<") else f for f in focus] if focus is not None else None
        self.update()
        doc_codes = [s.code for s in selected(select, ignore, "document")]
        sql = "SELECT path, check_notices FROM documents WHERE check_notices != '[]'"
        for path, notices in self.conn.execute(sql + " ORDER BY path"):
            if focus is None or path in focus:
                self.notices.extend(Notice(code=n["code"], message=f"{path}: {n['message']}")
                                    for n in json.loads(notices))
        stored, others = [], []  # the built-in corpus checks read the groups just recomputed, in order, from SQL
        self._focus = focus
        try:  # any other registered corpus check runs here, guarded
            for spec in selected(select, ignore, "corpus"):
                if getattr(spec.corpus, "__module__", None) == _STORED_CHECKS:
                    stored.append(spec.code)
                    continue
                others.extend(f for f in guarded(f"kiểm tra {spec.code}", self.notices, [], collect, spec.corpus, self)
                              if focus is None or any(e.document in focus for e in f.spans))
        finally:
            self._focus = None

        def key(f: Finding) -> tuple:
            return SEVERITY_ORDER[f.severity], f.document or "", f.code, f.spans[0].span.start if f.spans else -1

        yield from heapq.merge(self._document_findings_sorted(doc_codes, focus),
                               self._corpus_findings_sorted(stored, focus), sort_findings(others), key=key)

    _ORDER = ("CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, {doc}f.code, "
              "coalesce(json_extract(f.finding, '$.spans[0].span.start'), -1), {tie}")

    def _document_findings_sorted(self, codes: list[str], focus: list[str] | None) -> Iterator[Finding]:
        """The stored document findings of `codes`, in sort_findings order (ties: document_findings order)."""
        sql = ("SELECT d.path, f.finding FROM findings f JOIN documents d ON d.id = f.doc WHERE f.grp IS NULL "
               "AND f.code IN (SELECT value FROM json_each(?))")
        args: list = [json.dumps(codes)]
        if focus is not None:
            sql += " AND d.path IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(focus))
        for path, data in self.conn.execute(sql + " ORDER BY " + self._ORDER.format(doc="d.path, ", tie="f.id"),
                                            args):
            f = Finding.model_validate_json(data)
            old, f.document = f.document, path
            for e in f.spans:
                if e.document == old:
                    e.document = path
            yield f

    def _corpus_findings_sorted(self, codes: list[str], focus: list[str] | None) -> Iterator[Finding]:
        """The stored findings of the built-in corpus checks `codes`, in sort_findings order (ties: their rank)."""
        sql = "SELECT f.finding FROM findings f WHERE f.grp IS NOT NULL AND f.code IN (SELECT value FROM json_each(?))"
        args: list = [json.dumps(codes)]
        if focus is not None:
            sql += (" AND f.id IN (SELECT fd.finding FROM finding_documents fd JOIN documents d ON d.id = fd.doc "
                    "WHERE d.path IN (SELECT value FROM json_each(?)))")
            args.append(json.dumps(focus))
        for (data,) in self.conn.execute(sql + " ORDER BY " + self._ORDER.format(doc="", tie="f.rank, f.id"), args):
            f = Finding.model_validate_json(data)
            if focus is None or any(e.document in focus for e in f.spans):
                yield f

    def close(self) -> None:
        self.conn.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


_STORED_CHECKS = "docparse.checks.corpus_checks"  # its corpus checks read the findings the groups stored


def _needs_work(task) -> bool:
    """Only files not already indexed are sent to a worker."""
    _, what, state = task
    return state is None and what is not None and not isinstance(what, Document)
