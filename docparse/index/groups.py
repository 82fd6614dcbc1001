"""Incremental corpus checks on the SQLite index: a document written or removed marks the groups it belongs to as
dirty (the `dirty` table); a check recomputes only those groups with the group functions of
docparse.checks.corpus_checks and keeps every other group's stored findings. A changed document therefore costs the
groups it touches, not the corpus."""
from __future__ import annotations

import json
import sqlite3

from ..checks import corpus_checks as cc
from ..guard import guarded
from ..schema import Notice
from .store import insert_finding, transaction

_ROWS = ("SELECT c.doc, d.path, c.idx, c.number_key, c.symbol_key, c.year, c.date, c.doc_type, c.doc_type_source, "
         "c.code, c.start, c.\"end\", c.text, c.authority, c.authority_source, c.subject, c.linked_code "
         "FROM citations c JOIN documents d ON d.id = c.doc WHERE c.is_self = 0 AND c.number_key = ? "
         "AND c.symbol_key = ? AND c.authority = ?")
BATCH = 500
_HEADERS = ("SELECT id, path, number_key, symbol_key, year, date, doc_type, code, authority FROM documents "
            "WHERE number_key = ? AND symbol_key = ? AND authority = ?")


def groups_of(conn: sqlite3.Connection, doc: int) -> set[str]:
    """Every group document `doc` is part of: the identity groups of its citations and of its header, its issuer."""
    out = {cc.group_key("cite", n, s, a) for n, s, a in conn.execute(
        "SELECT number_key, symbol_key, authority FROM citations WHERE doc = ? AND is_self = 0 "
        "AND number_key IS NOT NULL AND authority IS NOT NULL", (doc,))}
    row = conn.execute("SELECT number_key, symbol_key, authority, issuer_key, plan_report FROM documents WHERE id = ?",
                       (doc,)).fetchone()
    if row and row[0] is not None and row[2] is not None:
        out.add(cc.group_key("cite", row[0], row[1], row[2]))
    if row and row[3] and row[4] not in (None, "null"):
        out.add(cc.group_key("issuer", row[3]))
    return out


def mark(conn: sqlite3.Connection, groups) -> None:
    conn.executemany("INSERT OR IGNORE INTO dirty VALUES (?)", [(g,) for g in groups])


def _replace(conn, grp: str, findings, paths_to_ids: dict[str, int]) -> None:
    conn.execute("DELETE FROM findings WHERE grp = ?", (grp,))
    for rank, f in findings:
        docs = tuple(paths_to_ids[e.document] for e in f.spans if e.document in paths_to_ids)
        insert_finding(conn, f.model_dump_json(), grp=grp, rank=rank, docs=docs)


def _identity(conn, grp: str, notices: list[Notice]) -> None:
    _, n, s, auth = grp.split(cc.SEP)
    rows = [cc.Row(*r) for r in conn.execute(_ROWS, (n, s, auth))]
    headers = [cc.HeaderRow(*h) for h in conn.execute(_HEADERS, (n, s, auth))]
    result = guarded("kiểm tra citation.conflict", notices, None, cc.identity_group, rows, headers)
    touched = {t for (t,) in conn.execute("SELECT DISTINCT target FROM entries WHERE grp = ?", (grp,))}
    conn.execute("DELETE FROM entries WHERE grp = ?", (grp,))
    conn.executemany("UPDATE citations SET resolved_doc = NULL WHERE doc = ? AND idx = ?",
                     [(r.order, r.idx) for r in rows])
    if result is not None:
        ids = {r.doc: r.order for r in rows} | {h.doc: h.order for h in headers}
        _replace(conn, grp, result.findings, ids)
        conn.executemany("INSERT INTO entries VALUES (?,?,?,?,?)",
                         [(grp, kind, target, rank, json.dumps(payload, ensure_ascii=False))
                          for kind, target, rank, payload in result.entries])
        conn.executemany("UPDATE citations SET resolved_doc = ? WHERE doc = ? AND idx = ?",
                         [(t, o, i) for o, i, t in result.resolved if t is not None])
        touched |= {t for _, t, _, _ in result.entries}
    else:
        conn.execute("DELETE FROM findings WHERE grp = ?", (grp,))
    conn.execute("DELETE FROM dirty WHERE grp = ?", (grp,))
    mark(conn, touched)  # the series and symbol groups fed by this one, done after every identity group


def _second_stage(conn, target: str, notices: list[Notice]) -> None:
    kind = target.split(cc.SEP, 1)[0]
    entries = [(rank, json.loads(p)) for rank, p in conn.execute(
        "SELECT rank, payload FROM entries WHERE kind = ? AND target = ?", (kind, target))]
    func, code = (cc.series_group, "citation.sequence") if kind == "series" else (cc.variant_group,
                                                                                  "citation.symbol_variant")
    findings = guarded(f"kiểm tra {code}", notices, [], func, target, entries)
    paths = {e.document for _, f in findings for e in f.spans}
    ids = dict(conn.execute(f"SELECT path, id FROM documents WHERE path IN ({','.join('?' * len(paths))})",
                            tuple(paths))) if paths else {}
    _replace(conn, target, findings, ids)
    conn.execute("DELETE FROM dirty WHERE grp = ?", (target,))


def _issuer(conn, grp: str, notices: list[Notice]) -> None:
    issuer = grp.split(cc.SEP, 1)[1]
    members = [cc.plan_or_report(p, w, t, c, json.loads(pr) if pr else None) for p, w, t, c, pr in conn.execute(
        "SELECT path, when_date, doc_type, code, plan_report FROM documents WHERE issuer_key = ?", (issuer,))]
    plans = [m for m in members if isinstance(m, cc.Plan)]
    reports = [m for m in members if isinstance(m, cc.Report)]
    findings = guarded("kiểm tra task.unreported", notices, [], cc.issuer_group, plans, reports)
    ids = dict(conn.execute("SELECT path, id FROM documents WHERE issuer_key = ?", (issuer,)))
    _replace(conn, grp, findings, ids)
    conn.execute("DELETE FROM dirty WHERE grp = ?", (grp,))


def recheck(conn: sqlite3.Connection, notices: list[Notice]) -> int:
    """Recompute every dirty group: identity groups first, then the series and symbol groups their entries feed,
    then issuers; returns how many. Groups are committed BATCH at a time, each with its removal from `dirty`: a
    killed check loses at most one batch, and the next check finds the rest still dirty."""
    done = 0
    for kind, func in (("cite", _identity), ("series", _second_stage), ("variant", _second_stage),
                       ("issuer", _issuer)):
        todo = [g for (g,) in conn.execute("SELECT grp FROM dirty WHERE grp >= ? AND grp < ? ORDER BY grp",
                                           (kind + cc.SEP, kind + chr(ord(cc.SEP) + 1)))]
        for i in range(0, len(todo), BATCH):
            with transaction(conn):
                for g in todo[i:i + BATCH]:
                    func(conn, g, notices)
        done += len(todo)
    return done
