"""The SQLite file: tables a person can query (README, "Querying the index"), opened so that a killed run leaves a
usable index (WAL, one transaction per document) and two processes can write at once (busy timeout, BEGIN
IMMEDIATE: the second writer waits instead of failing)."""
from __future__ import annotations

import os
import sqlite3
import time
import zlib

from ..errors import IndexFileError

VERSION = 7  # PRAGMA user_version; an index written by another version is rebuilt, never misread
BUSY_MS = 60_000
CHECKED_UP_TO = 256 * 2**20  # a larger index is not read whole at every open (quick_check: ~3 s a GB)


def pack_record(record_json: str) -> bytes:
    """The whole Document, zlib-compressed (a fifth of the JSON): the tables hold what is queried."""
    return zlib.compress(record_json.encode("utf-8"), 1)


def unpack_record(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS documents (
  id INTEGER PRIMARY KEY, sha TEXT NOT NULL UNIQUE, path TEXT NOT NULL, from_file INTEGER NOT NULL,
  docparse_version TEXT NOT NULL, schema_version TEXT NOT NULL, format TEXT, doc_type TEXT, number TEXT, symbol TEXT,
  code TEXT, year INTEGER, date TEXT, issuer TEXT, title TEXT, number_key TEXT, symbol_key TEXT, authority TEXT,
  authority_source TEXT, issuer_key TEXT, when_date TEXT, has_names INTEGER NOT NULL, linked INTEGER NOT NULL,
  law_pairs TEXT, plan_report TEXT, check_notices TEXT, record BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS documents_key ON documents(number_key, symbol_key, authority);
CREATE INDEX IF NOT EXISTS documents_path ON documents(path);
CREATE INDEX IF NOT EXISTS documents_unlinked ON documents(has_names) WHERE linked = 0;
CREATE INDEX IF NOT EXISTS documents_notices ON documents(path) WHERE check_notices != '[]';
CREATE TABLE IF NOT EXISTS paths (
  path TEXT PRIMARY KEY, doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, given TEXT NOT NULL,
  size INTEGER, mtime_ns INTEGER, bytes_sha TEXT);
CREATE INDEX IF NOT EXISTS paths_doc ON paths(doc);
CREATE TABLE IF NOT EXISTS citations (
  doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL, number_key TEXT,
  symbol_key TEXT, year INTEGER, date TEXT, doc_type TEXT, doc_type_source TEXT, code TEXT, name TEXT,
  is_self INTEGER, start INTEGER, "end" INTEGER, text TEXT, authority TEXT, authority_source TEXT,
  linked_code TEXT, link_source TEXT, subject TEXT, resolved_doc INTEGER, date_own INTEGER, PRIMARY KEY (doc, idx));
CREATE INDEX IF NOT EXISTS citations_key ON citations(number_key, symbol_key, authority);
CREATE INDEX IF NOT EXISTS citations_code ON citations(code);
CREATE INDEX IF NOT EXISTS citations_linked ON citations(link_source) WHERE link_source IS NOT NULL;
CREATE TABLE IF NOT EXISTS dates (
  doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL, kind TEXT, start_date TEXT,
  end_date TEXT, grain TEXT, valid INTEGER, text TEXT, start INTEGER, "end" INTEGER, PRIMARY KEY (doc, idx));
CREATE TABLE IF NOT EXISTS indicators (
  doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL, kind TEXT, value REAL,
  numerator REAL, denominator REAL, unit TEXT, qualifier TEXT, label TEXT, scope TEXT, text TEXT, start INTEGER,
  "end" INTEGER, PRIMARY KEY (doc, idx));
CREATE TABLE IF NOT EXISTS tasks (
  doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL, task_table INTEGER,
  task_group TEXT, task_index TEXT, title TEXT, lead TEXT, lead_canonical TEXT, coordinators TEXT, product TEXT,
  deadline_text TEXT, deadline_start TEXT, deadline_end TEXT, status TEXT, result TEXT, start INTEGER, "end" INTEGER,
  PRIMARY KEY (doc, idx));
CREATE INDEX IF NOT EXISTS tasks_lead ON tasks(lead_canonical);
CREATE TABLE IF NOT EXISTS entities (
  doc INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE, idx INTEGER NOT NULL, label TEXT, text TEXT,
  canonical TEXT, source TEXT, start INTEGER, "end" INTEGER, PRIMARY KEY (doc, idx));
CREATE TABLE IF NOT EXISTS findings (
  id INTEGER PRIMARY KEY, doc INTEGER REFERENCES documents(id) ON DELETE CASCADE, grp TEXT, code TEXT NOT NULL,
  severity TEXT NOT NULL, message TEXT NOT NULL, rank TEXT, finding TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS findings_doc ON findings(doc);
CREATE INDEX IF NOT EXISTS findings_grp ON findings(grp);
CREATE TABLE IF NOT EXISTS finding_documents (
  finding INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE, doc INTEGER NOT NULL,
  PRIMARY KEY (doc, finding));
CREATE TABLE IF NOT EXISTS entries (
  grp TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL, rank TEXT NOT NULL, payload TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS entries_grp ON entries(grp);
CREATE INDEX IF NOT EXISTS entries_target ON entries(kind, target);
CREATE TABLE IF NOT EXISTS dirty (grp TEXT PRIMARY KEY);
"""
TABLES = ("meta", "documents", "paths", "citations", "dates", "indicators", "tasks", "entities", "findings",
          "finding_documents", "entries", "dirty")
OLD_TABLES = ("documents", "citations")  # what an index of version 1-4 holds: dropped, then rebuilt


def _set_wal(conn: sqlite3.Connection) -> None:
    """PRAGMA journal_mode = WAL. Switching a new file to WAL needs it to itself for a moment, and SQLite answers
    "database is locked" at once, without waiting out the busy timeout, when a second process opens the same new
    index at that moment: retried until the busy timeout has passed."""
    deadline = time.monotonic() + BUSY_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as e:
            if "locked" not in str(e) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def open_index(path: str) -> sqlite3.Connection:
    """The index, created or upgraded; IndexFileError naming the file when it is not SQLite, damaged, another
    program's database (never overwritten), or not writable."""
    on_disk = path != ":memory:" and not path.startswith("file:")
    if on_disk and os.path.exists(path) and not os.path.isfile(path):
        raise IndexFileError(path, "không phải tệp chỉ mục (là thư mục hoặc tệp đặc biệt)")
    if on_disk and os.path.exists(path) and not os.access(path, os.R_OK | os.W_OK):
        raise IndexFileError(path, "không có quyền đọc/ghi tệp chỉ mục")
    conn = None
    try:
        conn = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)  # transactions are explicit
        conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        if on_disk and 0 < os.path.getsize(path) <= CHECKED_UP_TO and \
                conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise sqlite3.DatabaseError("database disk image is malformed")
        if on_disk:
            _set_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL: a commit survives a killed process, no fsync each
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] != VERSION:
                names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                                                    "AND name NOT LIKE 'sqlite_%'")}
                others = names - set(TABLES) - set(OLD_TABLES)
                if others:
                    raise IndexFileError(path, "tệp SQLite này không phải chỉ mục của docparse (có bảng "
                                               f"{', '.join(sorted(others)[:5])}); không ghi đè")
                conn.execute("PRAGMA foreign_keys = OFF")
                for table in reversed(TABLES):
                    conn.execute(f"DROP TABLE IF EXISTS {table}")
                conn.execute(f"PRAGMA user_version = {VERSION}")
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("SELECT id, sha, path, record, linked FROM documents LIMIT 0")  # a same-named table of another
        conn.execute("SELECT doc, idx, resolved_doc FROM citations LIMIT 0")  # shape is not ours either
        return conn
    except sqlite3.Error as e:
        if conn is not None:
            conn.close()
        raise IndexFileError(path, f"không dùng được tệp chỉ mục SQLite ({type(e).__name__}: {e})") from e
    except IndexFileError:
        conn.close()
        raise


class transaction:
    """BEGIN IMMEDIATE … COMMIT (ROLLBACK on any error): one document, all its rows or none."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self):
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, *_):
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")


def get_meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return row[0] if row else None


def set_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))


def insert_document(conn: sqlite3.Connection, prep: dict, path: str, from_file: bool, version: str,
                    schema_version: str, doc_id: int | None = None) -> int:
    """The rows of one prepared document (docparse.index.rows.prepare); returns its id (`doc_id`, the id of the
    record it replaces, keeps its place in the corpus order). Inside a transaction."""
    h = prep["header"]
    cur = conn.execute(
        "INSERT INTO documents (id, sha, path, from_file, docparse_version, schema_version, format, doc_type, number, "
        "symbol, code, year, date, issuer, title, number_key, symbol_key, authority, authority_source, issuer_key, "
        "when_date, has_names, linked, law_pairs, plan_report, check_notices, record) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0,?,?,?,?)",
        (doc_id, prep["sha"], path, int(from_file), version, schema_version, h["format"], h["doc_type"], h["number"],
         h["symbol"], h["code"], h["year"], h["date"], h["issuer"], h["title"], h["number_key"], h["symbol_key"],
         h["authority"], h["authority_source"], h["issuer_key"], h["when_date"], prep["has_names"],
         prep["law_pairs"], prep["plan_report"], prep["check_notices"], pack_record(prep["record"])))
    doc = cur.lastrowid
    conn.executemany("INSERT INTO citations VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     [(doc, *r[:-2], doc if r[-1] else None, r[-2]) for r in prep["citations"]])
    for table, width in (("dates", 9), ("indicators", 12), ("tasks", 16), ("entities", 7)):
        conn.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * (width + 1))})",
                         [(doc, *r) for r in prep[table]])
    for f in prep["findings"]:
        insert_finding(conn, f, doc=doc)
    return doc


def insert_finding(conn: sqlite3.Connection, finding_json: str, *, doc: int | None = None, grp: str | None = None,
                   rank: str | None = None, docs: tuple[int, ...] = ()) -> None:
    import json

    f = json.loads(finding_json)
    cur = conn.execute("INSERT INTO findings (doc, grp, code, severity, message, rank, finding) VALUES (?,?,?,?,?,?,?)",
                       (doc, grp, f["code"], f["severity"], f["message"], rank, finding_json))
    conn.executemany("INSERT OR IGNORE INTO finding_documents VALUES (?, ?)",
                     [(cur.lastrowid, d) for d in sorted(set(docs) | ({doc} if doc is not None else set()))])
