"""A readable Vietnamese summary of a Document, for a person at a terminal."""
from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

from .checks import vn_date
from .schema import Document

_KIND = {"date": "ngày", "month": "tháng", "quarter": "quý", "half_year": "6 tháng", "year": "năm",
         "range": "khoảng", "deadline": "hạn", "recurring": "định kỳ",
         "condition": "điều kiện"}


_STATUS = {"done": "đã hoàn thành", "in_progress": "đang thực hiện", "not_started": "chưa thực hiện",
           "unknown": "chưa rõ"}


def period_text(start, end) -> str:
    """A period for a person: dd/mm/yyyy with the inclusive last day (the records keep ISO and an exclusive end):
    "01/07/2025 – 30/09/2025", one day "05/12/2025", a deadline "đến hết 29/11/2025", an open start "từ …"."""
    last = end - dt.timedelta(days=1) if end else None
    if start and last:
        return vn_date(start) if start >= last else f"{vn_date(start)} – {vn_date(last)}"
    if last:
        return f"đến hết {vn_date(last)}"
    return f"từ {vn_date(start)}" if start else "(không có mốc ngày)"


def _one_line(s: str, width: int = 110) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def summary(doc: Document) -> str:
    h = doc.header
    out = [f"== {doc.source or '<văn bản>'} ==",
           f"Loại: {h.doc_type or '?'}   Số: {h.code or '(trống)'}   "
           f"Ngày: {h.date.strftime('%d/%m/%Y') if h.date else (h.date_partial or '?')}   Nơi: {h.place or '?'}"]
    if h.parent or h.issuer:
        out.append(f"Cơ quan: {' / '.join(x for x in (h.parent, h.issuer) if x)}")
    if h.title or h.subject_vv:
        out.append(f"Trích yếu: {_one_line(h.title or h.subject_vv or '')}")
    if h.recipients:
        out.append(f"Kính gửi: {_one_line('; '.join(h.recipients))}")
    if h.signer:
        s = h.signer
        out.append(f"Người ký: {' '.join(x for x in (s.authority, s.authority_body, s.title) if x)} — {s.name or '?'}")
    if h.source != "body":
        out.append(f"(Phần đầu lấy từ: {h.source})")
    out.append(f"\nVăn bản được viện dẫn ({len(doc.citations)}):")
    for c in doc.citations:
        # a law's name holds its type already ("Luật Đất đai"): "Luật Luật Đất đai" would print it twice
        ref = (f"{c.name} số {c.code}" if c.name else f"{c.doc_type or '?'} {c.code}") if c.code else c.name or \
            f"{c.doc_type or '?'} ?"
        date = c.date.strftime("%d/%m/%Y") if c.date else "—"
        flags = " [chính văn bản này]" if c.is_self else ""
        out.append(f"  - {ref}  ngày {date}{flags}"
                   + (f"  ({c.relation})" if c.relation else "") + (f"  của {c.issuer}" if c.issuer else ""))
    out.append(f"\nNgày tháng, thời hạn ({len(doc.dates)}):")
    for d in doc.dates[:60]:
        rng = period_text(d.start, d.end) if d.valid else "KHÔNG HỢP LỆ"
        out.append(f"  - {_KIND[d.kind]:8} {_one_line(d.text, 40):40} {rng}")
    if len(doc.dates) > 60:
        out.append(f"  … và {len(doc.dates) - 60} mục khác")
    if doc.indicators:
        out.append(f"\nSố liệu trong văn bản ({len(doc.indicators)}):")
        for i in doc.indicators[:40]:
            out.append(f"  - {_one_line(i.label or '?', 60):60} {i.qualifier + ' ' if i.qualifier else ''}"
                       f"{_one_line(i.text, 30)}" + (" [mơ hồ]" if i.ambiguous else "") + (" [sai quy cách]" if i.malformed
                                                                                           else ""))
        if len(doc.indicators) > 40:
            out.append(f"  … và {len(doc.indicators) - 40} số liệu khác")
    if doc.stat_rows:
        out.append(f"\nBiểu số liệu ({len(doc.stat_rows)} dòng):")
        for r in doc.stat_rows[:40]:
            out.append(f"  {r.code:8} {_one_line(r.label, 60):60} {r.value_text or '—':>12} {r.unit or ''}")
    for source, heading in (("table", "Nhiệm vụ trong bảng"), ("prose", "Nhiệm vụ giao trong văn bản")):
        tasks = [t for t in doc.tasks if t.source == source]
        if tasks:
            out.append(f"\n{heading} ({len(tasks)}):")
        for t in tasks[:30]:
            status = f" [{_STATUS[t.status]}]" if t.status else ""
            out.append(f"  {t.index or '-':5} {_one_line(t.title, 60):60} | {_one_line(t.lead or '?', 30):30} | "
                       f"{_one_line(t.deadline_text or '—', 30)}{status}")
        if len(tasks) > 30:
            out.append(f"  … và {len(tasks) - 30} nhiệm vụ khác")
    orgs: dict[str, int] = {}
    for e in doc.entities:
        if e.label == "ORG":
            name = e.canonical or _one_line(e.text.replace("*", ""), 60)
            orgs[name] = orgs.get(name, 0) + 1
    if orgs:
        top = sorted(orgs.items(), key=lambda kv: -kv[1])[:15]
        out.append(f"\nCơ quan, tổ chức được nhắc đến ({len(orgs)}): " + "; ".join(f"{k} ({v})" for k, v in top)
                   + (" …" if len(orgs) > 15 else ""))
    heads = [s for s in doc.iter_sections() if s.kind not in ("bullet", "letter")]
    out.append(f"\nMục lục ({len(heads)} đề mục):")
    for s in heads[:40]:
        out.append(f"  {'  ' * min(s.level, 8)}{s.numbering} {_one_line(s.title, 80)}")
    if doc.notices:
        out.append("\nLưu ý:")
        out.extend(f"  - [{n.code}] {n.message}" for n in doc.notices)
    return "\n".join(out)


_SEVERITY_VI = {"error": "LỖI", "warning": "CẢNH BÁO", "info": "THÔNG TIN"}
_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


class Tally:
    """What the summaries count of a stream of findings, kept instead of the findings: how many of each code and
    severity."""

    def __init__(self, findings=()):
        self.counts: Counter = Counter()
        for f in findings:
            self.add(f)

    def add(self, f) -> None:
        self.counts[f.code, f.severity] += 1

    def of(self, severity: str) -> int:
        return sum(n for (_, sev), n in self.counts.items() if sev == severity)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self, batch: dict, suppressed: int | None = None) -> dict:
        """`batch` (docparse.batch.Batch.summary()) with the findings counted by severity and by code;
        `suppressed`: how many findings a --baseline left out."""
        by_code: Counter = Counter()
        for (code, _), n in self.counts.items():
            by_code[code] += n
        out = {**batch, "errors": self.of("error"), "warnings": self.of("warning"), "infos": self.of("info"),
               "by_code": dict(sorted(by_code.items()))}
        if suppressed is not None:
            out["suppressed"] = suppressed
        return out


def findings_summary(findings, batch: dict, suppressed: int | None = None) -> dict:
    """`batch` (docparse.batch.Batch.summary()) with the findings counted by severity and by code; `suppressed`:
    how many findings a --baseline left out."""
    return Tally(findings).summary(batch, suppressed)


def findings_json(findings, batch: dict, lines: bool = False, suppressed: int | None = None) -> str:
    """`batch`: docparse.batch.Batch.summary() (documents, failed inputs with class and message, internal errors).
    JSON Lines: one finding a line, then one {"summary": …} line. For a corpus, `write_findings_json` writes the
    same JSON text without holding the findings."""
    import json

    data = [f.model_dump(mode="json") for f in findings]
    summary = findings_summary(findings, batch, suppressed)
    if lines:
        return "\n".join(json.dumps(d, ensure_ascii=False) for d in [*data, {"summary": summary}])
    return json.dumps({"summary": summary, "findings": data}, ensure_ascii=False, indent=2)


def write_findings_json(spool: FindingSpool, batch: dict, out, suppressed: int | None = None) -> None:
    """findings_json(…) + "\n", with the findings read back one at a time from a FindingSpool (the summary, which
    counts them, comes first)."""
    from .export import _HOLE, json_list

    json_list({"summary": spool.tally.summary(batch, suppressed), "findings": [_HOLE]}, spool, out,
              lambda f: f.model_dump(mode="json"))
    out.write("\n")


class FindingSpool:
    """A stream of findings read once into a temporary SQLite file (deleted on close), with what the summaries
    count: the JSON report (whose summary, first, counts them) and the text report (a table per document, in the
    order documents first appear, while findings come ordered by severity first) then hold one finding, or one
    document's findings, at a time instead of a whole corpus's."""

    def __init__(self, findings):
        import pickle
        import sqlite3

        self.tally = Tally()
        self._groups: dict[str, int] = {}  # the text report's table (document, or several) -> its place
        self._sizes: Counter = Counter()  # findings in each
        self._docs: dict = {}  # a document named by findings or evidence -> a number, for the per-code sets
        self.documents_per_code: dict[tuple[str, str], set[int]] = {}
        self._db = sqlite3.connect("")  # "" : a private temporary file
        self._db.execute("CREATE TABLE f (grp INTEGER, finding BLOB)")  # rowid: the order they came in
        rows = ((self._add(f), pickle.dumps(f, pickle.HIGHEST_PROTOCOL)) for f in findings)
        self._db.executemany("INSERT INTO f VALUES (?, ?)", rows)

    def _add(self, f) -> int:
        self.tally.add(f)
        docs = self.documents_per_code.setdefault((f.code, f.severity), set())
        names = [e.document for e in f.spans] + ([f.document] if f.document else [])
        docs.update(self._docs.setdefault(name, len(self._docs)) for name in names)
        grp = self._groups.setdefault(f.document or "(nhiều văn bản)", len(self._groups))
        self._sizes[grp] += 1
        return grp

    def __iter__(self):
        """The findings in the order they came."""
        import pickle

        for (data,) in self._db.execute("SELECT finding FROM f ORDER BY rowid"):
            yield pickle.loads(data)

    def by_document(self):
        """(table title, how many findings, an iterator over them in their order) in the order each title first
        came; each iterator is read to its end before the next title comes."""
        import pickle

        self._db.execute("CREATE INDEX IF NOT EXISTS by_grp ON f (grp)")  # ties in an index: by rowid
        titles = list(self._groups)
        rows = self._db.execute("SELECT grp, finding FROM f ORDER BY grp, rowid")
        for grp, group in itertools.groupby(rows, key=lambda r: r[0]):
            yield titles[grp], self._sizes[grp], (pickle.loads(data) for _, data in group)

    def close(self) -> None:
        self._db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _console():
    """Document text is never read as rich markup or emoji codes ("[b]", "[/x]", ":100:" print as written)."""
    import sys

    from rich.console import Console

    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 140, markup=False, emoji=False,
                   highlight=False)


EVIDENCE_LIMIT = 10
TABLE_ROWS = 500  # rich lays a table out whole (~40 KB a row): more findings of one document, more tables


def _evidence(f, lines_of, limit: int | None):
    from rich.text import Text

    shown = f.spans if limit is None else f.spans[:limit]
    out = Text()
    for i, e in enumerate(shown):
        if i:
            out.append("\n")
        out.append(f"{_where(e, lines_of)}: ", style="dim")
        out.append(f"«{_one_line(e.text, 70)}»")
    if len(f.spans) > len(shown):
        out.append(f"\n… và {len(f.spans) - len(shown)} bằng chứng khác (--all-evidence để xem hết)", style="italic")
    return out


def findings_text(findings, batch: dict, n_docs: int, lines_of, *, evidence_limit: int | None = EVIDENCE_LIMIT,
                  suppressed: int | None = None) -> None:
    """A rich table per document: severity, code, message, and each piece of evidence with its line (beyond
    `evidence_limit`, a count; None shows all); a document with more than TABLE_ROWS findings gets several tables,
    titled "… (phần k/n)". Then the findings per code. Text from the documents is printed as it is (rich.text.Text,
    never markup). `batch`: docparse.batch.Batch.summary(). `findings`: a list, or a FindingSpool (at most
    TABLE_ROWS findings held at a time). `lines_of(document)`: its export.LineIndex (an export.LineCache), None
    when unknown."""
    from rich.table import Table
    from rich.text import Text

    if not isinstance(findings, FindingSpool):
        with FindingSpool(findings) as spool:
            return findings_text(spool, batch, n_docs, lines_of, evidence_limit=evidence_limit, suppressed=suppressed)
    console = _console()
    for doc, n, fs in findings.by_document():
        parts = -(-n // TABLE_ROWS)
        for part in range(1, parts + 1):
            title = doc if parts == 1 else f"{doc} (phần {part}/{parts})"
            table = Table(title=Text(title), title_justify="left", show_lines=True, expand=True)
            table.add_column("Mức", no_wrap=True)
            table.add_column("Mã", no_wrap=True)
            table.add_column("Nội dung", ratio=3, overflow="fold")  # a long file name wraps, its line number stays
            table.add_column("Bằng chứng", ratio=2, overflow="fold")
            for f in itertools.islice(fs, TABLE_ROWS):
                table.add_row(Text(_SEVERITY_VI[f.severity], style=_SEVERITY_STYLE[f.severity]), Text(f.code),
                              Text(f.message), _evidence(f, lines_of, evidence_limit))
            console.print(table)
    tally = findings.tally
    if tally.total:
        table = Table(title="Tổng hợp theo mã kiểm tra", title_justify="left")
        table.add_column("Mã")
        table.add_column("Mức")
        table.add_column("Số phát hiện", justify="right")
        table.add_column("Số văn bản", justify="right")
        for (code, sev), n in sorted(tally.counts.items(), key=lambda kv: (SEVERITY_RANK[kv[0][1]], kv[0][0])):
            docs = findings.documents_per_code[code, sev]
            table.add_row(code, Text(_SEVERITY_VI[sev], style=_SEVERITY_STYLE[sev]), str(n), str(len(docs)))
        console.print(table)
    errors, warnings = tally.of("error"), tally.of("warning")
    internal = len(batch["internal_errors"]) + sum(f["error"] == "InternalError" for f in batch["failed"])
    console.print(f"Đã kiểm tra {batch['documents']} văn bản (chỉ mục có {n_docs}); {len(batch['failed'])} không đọc "
                  f"được; {errors} lỗi, {warnings} cảnh báo, {tally.total - errors - warnings} thông tin"
                  + (f"; {suppressed} phát hiện đã có trong baseline nên không hiện" if suppressed else "")
                  + (f"; {internal} lỗi nội bộ của docparse." if internal else "."))


SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}


def _where(e, lines_of) -> str:
    """'file:line' of a piece of evidence (line counted in the text as read; `lines_of(document)`: its
    export.LineIndex, None when unknown)."""
    name = e.document or ""
    index = lines_of(name)
    short = name.rsplit("/", 1)[-1]
    return f"{short}:{index.position(e.span.start)[0]}" if index is not None and index.size else \
        f"{short}@{e.span.start}"


def refs_text(refs) -> None:
    from rich.table import Table

    table = Table(title="Văn bản được viện dẫn", show_lines=False, expand=True)
    table.add_column("Văn bản")
    table.add_column("Loại")
    table.add_column("Ngày")
    table.add_column("Số lần", justify="right")
    table.add_column("Trong corpus")
    table.add_column("Viện dẫn tại")
    for r in refs:
        k = r["key"]
        name = " / ".join(r["forms"]) or k.get("name") or "?"
        places = sorted({m["document"].rsplit("/", 1)[-1] for m in r["mentions"]})
        table.add_row(name, ", ".join(r["doc_types"]), ", ".join(map(vn_date, r["dates"])) or "—", str(len(r["mentions"])),
                      (r["in_corpus"] or "").rsplit("/", 1)[-1], ", ".join(places[:4]) + (" …" if len(places) > 4 else ""))
    _console().print(table)
