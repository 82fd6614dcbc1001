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

_ROW_COLUMNS = ("c.doc, d.path, c.idx, c.number_key, c.symbol_key, c.year, c.date, c.doc_type, c.doc_type_source, "
                "c.code, c.start, c.\"end\", c.text, c.authority, c.authority_source, c.subject, c.linked_code, "
                "c.date_own, c.resolved_doc")
_HEADER_COLUMNS = "d.id, d.path, d.number_key, d.symbol_key, d.year, d.date, d.doc_type, d.code, d.authority"
BATCH = 500
# the rows and headers of BATCH groups in two queries (not two per group): the wanted keys joined to the indexes
_WANT = "WITH want(n, s, a) AS (VALUES {values}) "
_ROWS = (_WANT + f"SELECT {_ROW_COLUMNS} FROM want CROSS JOIN citations c ON c.number_key = want.n AND "
         "c.symbol_key = want.s AND c.authority = want.a JOIN documents d ON d.id = c.doc WHERE c.is_self = 0")
_HEADERS = (_WANT + f"SELECT {_HEADER_COLUMNS} FROM want CROSS JOIN documents d ON d.number_key = want.n AND "
            "d.symbol_key = want.s AND d.authority = want.a")


def _member_kind(doc_type: str | None, plan_report: str | None) -> str | None:
    """"plan", "report" or None: what a document is to task.unreported (index.rows stores a payload only for a plan
    with tasks or a report)."""
    if plan_report in (None, "null"):
        return None
    return "plan" if doc_type in cc.PLANS else "report"


def groups_of(conn: sqlite3.Connection, doc: int) -> set[str]:
    """Every group document `doc` is part of: the identity groups of its citations and of its header, and the plan
    groups of the plan it is or of the plans it cites as a report."""
    cited = conn.execute("SELECT number_key, symbol_key, authority, doc_type FROM citations WHERE doc = ? AND "
                         "is_self = 0 AND number_key IS NOT NULL AND authority IS NOT NULL", (doc,)).fetchall()
    out = {cc.group_key("cite", n, s, a) for n, s, a, _ in cited}
    row = conn.execute("SELECT number_key, symbol_key, authority, doc_type, plan_report FROM documents WHERE id = ?",
                       (doc,)).fetchone()
    if row and row[0] is not None and row[2] is not None:
        out.add(cc.group_key("cite", row[0], row[1], row[2]))
    kind = _member_kind(row[3], row[4]) if row else None
    if kind:
        out |= cc.plan_group_keys(kind == "plan", row[:3], cited)
    return out


# what a group function reads of one document (besides its id and path): the same values before and after a change
# leave the group's findings as they are
_INPUT_SQL = ("SELECT idx, number_key, symbol_key, authority, year, date, doc_type, doc_type_source, code, start, "
              "\"end\", text, authority_source, subject, linked_code, date_own, resolved_doc FROM citations "
              "WHERE doc = ? AND is_self = 0 AND number_key IS NOT NULL AND authority IS NOT NULL ORDER BY idx")


def _inputs(cites, header: tuple, member: tuple) -> dict[str, list]:
    """member: (issuer_key, when_date, doc_type, code, plan_report), what a plan group reads of a plan or report."""
    out: dict[str, list] = {}
    for c in cites:  # (idx, n, s, a, year, date, type, type source, code, start, end, text, source, subject, linked,
        out.setdefault(cc.group_key("cite", c[1], c[2], c[3]), []).append(c[:16])  # date_own)
    n, s, a = header[0], header[1], header[6]
    if n is not None and a is not None:
        out.setdefault(cc.group_key("cite", n, s, a), []).append(("header", *header))
    kind = _member_kind(member[2], member[4])
    if kind:
        for g in cc.plan_group_keys(kind == "plan", (n, s, a), ((c[1], c[2], c[3], c[6]) for c in cites)):
            out.setdefault(g, []).append((kind, *member))
    return out


def stored_inputs(conn: sqlite3.Connection, doc: int) -> tuple[dict[str, list], dict[int, int | None]]:
    """What each group of document `doc` reads of it, as indexed; and the resolution of each of its citations."""
    cites = conn.execute(_INPUT_SQL, (doc,)).fetchall()
    h = conn.execute("SELECT number_key, symbol_key, year, date, doc_type, code, authority, issuer_key, when_date, "
                     "plan_report FROM documents WHERE id = ?", (doc,)).fetchone()
    return _inputs(cites, h[:7], (h[7], h[8], h[4], h[5], h[9])), {c[0]: c[16] for c in cites}


def prepared_inputs(prep: dict) -> dict[str, list]:
    """The same of a prepared document (index.rows.prepare), before it is written: its names are not linked yet."""
    cites = [(r[0], r[1], r[2], r[13], r[3], r[4], r[5], r[6], r[7], r[10], r[11], r[12], r[14], r[17], r[15], r[18])
             for r in prep["citations"] if not r[9] and r[1] is not None and r[13] is not None]
    h = prep["header"]
    header = (h["number_key"], h["symbol_key"], h["year"], h["date"], h["doc_type"], h["code"], h["authority"])
    return _inputs(cites, header, (h["issuer_key"], h["when_date"], h["doc_type"], h["code"], prep["plan_report"]))


def mark(conn: sqlite3.Connection, groups) -> None:
    conn.executemany("INSERT OR IGNORE INTO dirty VALUES (?)", [(g,) for g in groups])


def _replace(conn, grp: str, findings, paths_to_ids: dict[str, int], had: bool = True) -> None:
    if had:  # the group's stored findings (a group that had none costs no DELETE)
        conn.execute("DELETE FROM findings WHERE grp = ?", (grp,))
    for rank, f in findings:
        docs = tuple(paths_to_ids[e.document] for e in f.spans if e.document in paths_to_ids)
        insert_finding(conn, f.model_dump_json(), grp=grp, rank=rank, docs=docs)


def _identity_batch(conn, groups: list[str]) -> dict[str, tuple[list, list, set]]:
    """{group: (its citation rows, its headers, its stored entries)} of the identity groups `groups`, read in three
    queries."""
    keys = [tuple(g.split(cc.SEP)[1:]) for g in groups]
    values = ",".join("(?,?,?)" for _ in keys)
    params = [x for k in keys for x in k]
    out: dict[tuple, tuple[list, list, set]] = {k: ([], [], set()) for k in keys}
    for r in conn.execute(_ROWS.format(values=values), params):
        out[(r[3], r[4], r[13])][0].append(r)
    for h in conn.execute(_HEADERS.format(values=values), params):
        out[(h[2], h[3], h[8])][1].append(h)
    by_group = {g: out[k] for g, k in zip(groups, keys)}
    for g, *entry in conn.execute(f"SELECT grp, kind, target, rank, payload FROM entries WHERE grp IN "
                                  f"({','.join('?' * len(groups))})", groups):
        by_group[g][2].add(tuple(entry))
    return by_group


def _identity(conn, grp: str, notices: list[Notice], fetched: tuple[list, list, set], had: bool) -> None:
    raw = fetched[0]
    rows = [cc.Row(*r[:-1]) for r in raw]
    headers = [cc.HeaderRow(*h) for h in fetched[1]]
    result = guarded("kiểm tra citation.conflict", notices, None, cc.identity_group, rows, headers)
    old = fetched[2]
    resolved = {(o, i): t for o, i, t in result.resolved} if result is not None else {}
    conn.executemany("UPDATE citations SET resolved_doc = ? WHERE doc = ? AND idx = ?",  # only what changed
                     [(resolved.get((r[0], r[2])), r[0], r[2]) for r in raw
                      if resolved.get((r[0], r[2])) != r[-1]])
    if result is not None:
        ids = {r.doc: r.order for r in rows} | {h.doc: h.order for h in headers}
        _replace(conn, grp, result.findings, ids, had)
    elif had:
        conn.execute("DELETE FROM findings WHERE grp = ?", (grp,))
    new = {(kind, target, rank, json.dumps(payload, ensure_ascii=False))
           for kind, target, rank, payload in (result.entries if result is not None else ())}
    if new != old:  # only the series and symbol groups whose entries changed are recomputed (after every identity
        conn.execute("DELETE FROM entries WHERE grp = ?", (grp,))  # group)
        conn.executemany("INSERT INTO entries VALUES (?,?,?,?,?)", [(grp, *e) for e in sorted(new)])
        mark(conn, {e[1] for e in new ^ old})


def _entries_batch(conn, targets: list[str]) -> dict[str, list]:
    """{target: its entries [(rank, payload)]} of the series or symbol groups `targets`, in one query."""
    out: dict[str, list] = {t: [] for t in targets}
    kind = targets[0].split(cc.SEP, 1)[0]
    for target, rank, p in conn.execute(
            f"SELECT target, rank, payload FROM entries WHERE kind = ? AND target IN ({','.join('?' * len(targets))})",
            (kind, *targets)):
        out[target].append((rank, json.loads(p)))
    return out


def _second_stage(conn, target: str, notices: list[Notice], entries: list, had: bool) -> None:
    kind = target.split(cc.SEP, 1)[0]
    func, code = (cc.series_group, "citation.sequence") if kind == "series" else (cc.variant_group,
                                                                                  "citation.symbol_variant")
    findings = guarded(f"kiểm tra {code}", notices, [], func, target, entries)
    paths = {e.document for _, f in findings for e in f.spans}
    ids = dict(conn.execute(f"SELECT path, id FROM documents WHERE path IN ({','.join('?' * len(paths))})",
                            tuple(paths))) if paths else {}
    _replace(conn, target, findings, ids, had)


_PLAN_HEADERS = ("SELECT id, path, when_date, doc_type, code, issuer_key, plan_report FROM documents WHERE "
                 "number_key = ? AND symbol_key = ? AND authority = ? AND plan_report != 'null'")
_PLAN_REPORTS = ("SELECT path, when_date, doc_type, code, issuer_key, plan_report FROM documents WHERE doc_type = "
                 "'Báo cáo' AND plan_report != 'null' AND id IN (SELECT doc FROM citations WHERE number_key = ? AND "
                 f"symbol_key = ? AND authority = ? AND is_self = 0 AND doc_type IN ({','.join('?' * len(cc.PLANS))}))")


def _plan(conn, grp: str, notices: list[Notice], _, had: bool) -> None:
    """A plan's group: the plan (its header) and the reports that cite it; the reports are read only for a plan."""
    key = tuple(grp.split(cc.SEP)[1:])
    heads = conn.execute(_PLAN_HEADERS, key).fetchall()
    plans = [m for m in (cc.plan_or_report(*h[1:6], json.loads(h[6])) for h in heads) if isinstance(m, cc.Plan)]
    reports = [m for m in (cc.plan_or_report(*r[:5], json.loads(r[5]))
                           for r in conn.execute(_PLAN_REPORTS, (*key, *cc.PLANS))) if isinstance(m, cc.Report)] \
        if plans else []
    findings = guarded("kiểm tra task.unreported", notices, [], cc.plan_group, plans, reports)
    _replace(conn, grp, findings, {h[1]: h[0] for h in heads}, had)


def recheck(conn: sqlite3.Connection, notices: list[Notice]) -> int:
    """Recompute every dirty group: identity groups first, then the series and symbol groups their entries feed,
    then plans; returns how many. Groups are committed BATCH at a time, each with its removal from `dirty`: a
    killed check loses at most one batch, and the next check finds the rest still dirty."""
    done = 0
    for kind, func, fetch in (("cite", _identity, _identity_batch), ("series", _second_stage, _entries_batch),
                              ("variant", _second_stage, _entries_batch), ("plan", _plan, None)):
        todo = [g for (g,) in conn.execute("SELECT grp FROM dirty WHERE grp >= ? AND grp < ? ORDER BY grp",
                                           (kind + cc.SEP, kind + chr(ord(cc.SEP) + 1)))]
        for i in range(0, len(todo), BATCH):
            with transaction(conn):
                batch = todo[i:i + BATCH]
                fetched = fetch(conn, batch) if fetch else {}
                had = {g for (g,) in conn.execute(f"SELECT DISTINCT grp FROM findings WHERE grp IN "
                                                  f"({','.join('?' * len(batch))})", batch)}
                for g in batch:
                    func(conn, g, notices, fetched.get(g), g in had)
                conn.executemany("DELETE FROM dirty WHERE grp = ?", [(g,) for g in batch])
        done += len(todo)
    return done
