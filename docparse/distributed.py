"""docparse on a Dask cluster (`pip install docparse[dask]`; also importable as `docparse.dask`): a bag of paths
parsed on the workers, the records written as partitioned Parquet (pyarrow), and the corpus checks run as a shuffle
by identity key with the same group functions as the SQLite index (docparse.checks.corpus_checks), so both give the
same findings.

    from dask.distributed import Client, LocalCluster
    with LocalCluster(n_workers=4) as cluster, Client(cluster) as client:
        result = docparse.dask.check(paths, client, parquet="out/")

The steps: parse each chunk of paths (docparse.index.rows.prepare, as the index does), keeping on its worker only
what the corpus checks read, each document's share compressed (the Document records go to a Parquet staging file when
Parquet is wanted); the identities of the documents and their coded law mentions gathered to pick one document per
content and to build the law-name index, which every worker then uses to link the laws cited by name; then, in one
computation, each chunk's mentions and headers, packed by (number, symbol, authority), shuffled → identity_group; its
entries shuffled by series and by number → series_group, variant_group; each plan and the reports citing it shuffled
by the plan's identity → plan_group. A worker holds the compressed inputs of its chunks not yet linked and the packed
partitions being shuffled, never the parsed corpus.
"""
from __future__ import annotations

import json
import math
import pickle
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .checks import corpus_checks as cc
from .errors import DocparseError
from .schema import Finding

DOCUMENT_COLUMNS = ["order", "path", "sha", "format", "doc_type", "number", "symbol", "code", "year", "date", "issuer",
                    "title", "number_key", "symbol_key", "authority", "authority_source", "issuer_key", "when_date",
                    "record"]
CITATION_COLUMNS = ["order", "path", "idx", "number_key", "symbol_key", "year", "date", "doc_type", "doc_type_source",
                    "code", "name", "is_self", "start", "end", "text", "authority", "authority_source", "linked_code",
                    "link_source", "subject"]
# the other record tables, as the SQLite index has them (index.rows.prepare gives each row after "order", "path")
RECORD_COLUMNS = {
    "dates": ["order", "path", "idx", "kind", "start_date", "end_date", "grain", "valid", "text", "start", "end"],
    "indicators": ["order", "path", "idx", "kind", "value", "numerator", "denominator", "unit", "qualifier", "label",
                   "scope", "text", "start", "end"],
    "tasks": ["order", "path", "idx", "task_table", "task_group", "task_index", "title", "lead", "lead_canonical",
              "coordinators", "product", "deadline_text", "deadline_start", "deadline_end", "status", "result",
              "start", "end"],
    "entities": ["order", "path", "idx", "label", "text", "canonical", "source", "start", "end"]}
_ROW_FIELDS = CITATION_COLUMNS[2:] + ["date_own"]  # index.rows.citation_rows, without the last (self_resolved)
CHUNK = 250  # documents per partition at most: what a worker decompresses, links and writes at once
ROW_GROUP = 16  # staged document rows (each with its whole record) held before they are written
STAGING = "_staging_documents"  # under the Parquet folder while the run lasts (a leading "_": readers skip it)


@dataclass
class DaskResult:
    """What a distributed check returns: the parsed paths, the failed ones with their error, and the findings."""

    parsed: list[str] = field(default_factory=list)
    failed: list[tuple[str, DocparseError]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    internal: list[tuple[str, list[str]]] = field(default_factory=list)


_INTEGERS = {"order", "year", "idx", "is_self", "start", "end", "valid", "task_table"}
_FLOATS = {"value", "numerator", "denominator"}


def _schema(columns: list[str]):
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in _INTEGERS else pa.float64() if c in _FLOATS else pa.string())
                      for c in columns])


def _write(rows: list[dict], columns: list[str], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist([{c: r.get(c) for c in columns} for r in rows], schema=_schema(columns)),
                   str(path))


def _link_job(prep: dict) -> tuple | None:
    """What linking the laws cited by name reads of a document (as Corpus._link): its header, its text and those
    citations; None when it cites no law by name only."""
    if not prep["has_names"]:
        return None
    record = json.loads(prep["record"])
    named = {i: c for i, c in enumerate(record["citations"])
             if not c.get("code") and c.get("name") and not c.get("is_self")}
    return record["header"], record["text"], named


def _parse_chunk(chunk: tuple[int, list[tuple[int, str]]], staging: str | None) -> tuple:
    """(chunk number, [(order, path, sha, packed error, internal notices, law pairs)] of every path, Parquet staging
    file or None, the check inputs of every parsed document, each compressed as soon as it is parsed). The staging
    file holds the document rows (with the whole record) as parsed, written a few at a time, to be written under their
    final name once the corpus is known."""
    from .corpus import read_and_prepare

    number, items = chunk
    metas, kept, rows = [], [], []
    records: dict[str, list[tuple]] = {t: [] for t in RECORD_COLUMNS}
    target = str(Path(staging) / f"part.{number}.parquet") if staging is not None else None
    writer = None
    try:
        for order, path in items:
            status, prep = read_and_prepare(path)[:2]
            if status != "ok":
                metas.append((order, path, None, prep, [], []))
                continue
            metas.append((order, path, prep["sha"], None, prep["internal"], json.loads(prep["law_pairs"])))
            kept.append(_pack((order, prep["header"], prep["citations"], prep["findings"], prep["source"],
                               prep["plan_report"], _link_job(prep))))
            if target is not None:
                for table, got in records.items():
                    got.extend((order, path, *r) for r in prep[table])
                rows.append(_document_row(order, path, prep))
                if len(rows) == ROW_GROUP:
                    writer = _append(writer, rows, target)
                    rows = []
            del prep
        if target is not None:
            writer = _append(writer, rows, target)
            for table, got in records.items():
                _write([dict(zip(RECORD_COLUMNS[table], r)) for r in got], RECORD_COLUMNS[table],
                       _staged(target, table))
    finally:
        if writer is not None:
            writer.close()
    return number, metas, target, kept


def _append(writer, rows: list[dict], target: str):
    """`rows` written to the staging file `target` as one row group (the file is made by the first call)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _schema(DOCUMENT_COLUMNS)
    if writer is None:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        writer = pq.ParquetWriter(target, schema)
    writer.write_table(pa.Table.from_pylist(rows, schema=schema))
    return writer


def _document_row(order: int, path: str, prep: dict) -> dict:
    h = prep["header"]
    return {"order": order, "path": path, "sha": prep["sha"], "record": prep["record"],
            **{k: h[k] for k in DOCUMENT_COLUMNS if k in h}}


def _link(order: int, path: str, citations: list[tuple], job: tuple | None, index) -> list[dict]:
    """The citation rows of one parsed document, its laws cited by name linked with the corpus's law index."""
    rows = [dict(zip(_ROW_FIELDS, c)) for c in citations]
    if job is not None:
        from .identity import citation_authority, citation_key
        from .laws import link
        from .schema import Citation, Header

        header, text, named = job
        header = Header.model_validate(header)
        for row in rows:
            if row["idx"] not in named:
                continue
            c = Citation.model_validate(named[row["idx"]])
            got = link(c, text, index, header.date)
            if got is None:
                row.update(number_key=None, symbol_key=None, authority=None, authority_source="unknown",
                           linked_code=None, link_source=None)
                continue
            law, written = got
            coded = c.model_copy(update={"code": law.code, "number": law.code.split("/")[0],
                                         "symbol": law.code.rsplit("/", 1)[1]})
            k = citation_key(coded)
            authority, source = citation_authority(coded, header)
            row.update(number_key=k[0], symbol_key=k[1], year=law.year, code=law.code, name=written,
                       authority=authority, authority_source=source, linked_code=law.code,
                       link_source="corpus" if law.source == "corpus" else "lexicon")
    return [{"order": order, "path": path, **row} for row in rows]


def _tagged(rows: list[dict], order: int, path: str, h: dict) -> list[tuple]:
    """("m", Row) per groupable mention and ("h", HeaderRow) for the header, keyed by identity."""
    out = []
    for x in rows:
        if not x["is_self"] and x["number_key"] is not None and x["authority"] is not None:
            out.append(("m", cc.Row(order, path, x["idx"], x["number_key"], x["symbol_key"], x["year"], x["date"],
                                    x["doc_type"], x["doc_type_source"], x["code"], x["start"], x["end"], x["text"],
                                    x["authority"], x["authority_source"], x["subject"], x["linked_code"],
                                    x["date_own"])))
    if h["number_key"] is not None and h["authority"] is not None:
        out.append(("h", cc.HeaderRow(order, path, h["number_key"], h["symbol_key"], h["year"], h["date"],
                                      h["doc_type"], h["code"], h["authority"])))
    return out


def _plan_members(path: str, h: dict, plan_report: str, rows: list[dict]) -> list[tuple]:
    """(plan group, Plan or Report) for each plan group a document is part of (index.groups.groups_of)."""
    m = cc.plan_or_report(path, h["when_date"], h["doc_type"], h["code"], h["issuer_key"], json.loads(plan_report))
    if m is None:
        return []
    cited = ((c["number_key"], c["symbol_key"], c["authority"], c["doc_type"]) for c in rows if not c["is_self"])
    keys = cc.plan_group_keys(isinstance(m, cc.Plan), (h["number_key"], h["symbol_key"], h["authority"]), cited)
    return [(k, m) for k in sorted(keys)]


def _inputs(parsed: tuple, keep: dict[int, str], index, out: str | None) -> list[tuple]:
    """One chunk, after the corpus is known: the documents kept (one per content, named by its last path), their
    laws linked, their Parquet rows written; returns what the checks shuffle and gather, packed by group so a shuffle
    moves and holds a few compressed lists: ("i", identity group, [("m"/"h", row)]), ("p", plan group, [member]) and
    ("f", [(path, order, i, finding, source)]) for the document checks' findings."""
    number, _, staging, kept = parsed
    out_rows, groups, members, findings_out = [], {}, {}, []
    for blob in kept:
        order, header, citations, findings, source, plan_report, job = _unpack(blob)
        path = keep.get(order)
        if path is None:
            continue
        rows = _link(order, path, citations, job, index)
        if out is not None:
            out_rows.extend(rows)
        for item in _tagged(rows, order, path, header):
            groups.setdefault(_identity_key(item), []).append(item)
        for key, m in _plan_members(path, header, plan_report, rows):
            members.setdefault(key, []).append(m)
        findings_out.extend((path, order, i, f, source) for i, f in enumerate(findings))
    if out is not None:
        _write(out_rows, CITATION_COLUMNS, Path(out) / "citations" / f"part.{number}.parquet")
        _kept(staging, DOCUMENT_COLUMNS, keep, Path(out) / "documents" / f"part.{number}.parquet")
        for table, columns in RECORD_COLUMNS.items():
            _kept(_staged(staging, table), columns, keep, Path(out) / table / f"part.{number}.parquet")
    return [("i", k, _pack(v)) for k, v in groups.items()] + [("p", k, _pack(v)) for k, v in members.items()] + [
        ("f", _pack(findings_out))]


def _pack(value) -> bytes:
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def _unpack(blob: bytes):
    return pickle.loads(zlib.decompress(blob))


def _staged(target: str, table: str) -> Path:
    """The staging file of one chunk's rows of a record table, beside its document rows'."""
    path = Path(target)
    return path.with_name(f"{path.stem}.{table}.parquet")


def _kept(staging: str | Path, columns: list[str], keep: dict[int, str], target: Path) -> None:
    """The staged rows of one chunk (documents or one record table), those of the documents kept, under their final
    path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(staging, schema=_schema(columns))
    table = table.filter(pa.array([o in keep for o in table.column("order").to_pylist()], type=pa.bool_()))
    paths = pa.array([keep[o] for o in table.column("order").to_pylist()], type=pa.string())
    table = table.set_column(columns.index("path"), "path", paths)
    target.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, str(target))


def _identity_key(item: tuple) -> str:
    x = item[1]
    return cc.group_key("cite", x.number_key, x.symbol_key, x.authority)


def _identity(group: tuple[str, list]) -> list:
    items = [x for _, _, blob in group[1] for x in _unpack(blob)]
    result = cc.identity_group([x for t, x in items if t == "m"], [x for t, x in items if t == "h"])
    return [("finding", rank, f.model_dump_json()) for rank, f in result.findings] + [
        ("entry", kind, target, rank, payload) for kind, target, rank, payload in result.entries]


def _second(group: tuple[str, list]) -> list:
    target, items = group
    func = cc.series_group if target.startswith("series") else cc.variant_group
    return [(rank, f.model_dump_json()) for rank, f in func(target, [(x[3], x[4]) for x in items])]


def _plan(group: tuple[str, list]) -> list:
    members = [m for _, _, blob in group[1] for m in _unpack(blob)]
    plans = [m for m in members if isinstance(m, cc.Plan)]
    reports = [m for m in members if isinstance(m, cc.Report)]
    return [(rank, f.model_dump_json()) for rank, f in cc.plan_group(plans, reports)] if plans else []


def check(paths: list[str], client, *, parquet: str | Path | None = None, select=None, ignore=None,
          npartitions: int | None = None) -> DaskResult:
    """Parse `paths` on the cluster of `client`, write Parquet under `parquet` (documents/, citations/, dates/,
    indicators/, tasks/, entities/: the SQLite index's tables) when given,
    and return the findings of every selected check, ordered as Corpus.check orders them."""
    import shutil

    from .checks import selected, sort_findings
    from .parallel import unpack_error

    paths = [str(p) for p in paths]
    if not paths:
        return DaskResult()
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    n = min(len(paths), npartitions or max(16 * workers, math.ceil(len(paths) / CHUNK)))
    size = math.ceil(len(paths) / n)
    items = list(enumerate(paths))
    chunks = [(i, items[start:start + size]) for i, start in enumerate(range(0, len(items), size))]
    out = Path(parquet) if parquet is not None else None
    staging = str(out / STAGING) if out is not None else None
    try:
        seen, failures, internal, (stage1, stage2, plans, docs) = _run(client, chunks, out, staging)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    doc_codes = {s.code for s in selected(select, ignore, "document")}
    findings = [f for f in (_renamed(Finding.model_validate_json(f), source, path)
                            for path, _, _, f, source in sorted(docs)) if f.code in doc_codes]
    del docs
    by_code: dict[str, list] = {}
    for rank, f in sorted(stage1 + stage2 + plans):
        got = Finding.model_validate_json(f)
        by_code.setdefault(got.code, []).append(got)
    for spec in selected(select, ignore, "corpus"):
        findings.extend(by_code.get(spec.code, []))
    return DaskResult(parsed=[path for _, _, path in seen],
                      failed=[(path, unpack_error(err)) for _, path, err in failures],
                      findings=sort_findings(findings), internal=[(p, i) for _, p, i in internal])


def _run(client, chunks: list, out: Path | None, staging: str | None) -> tuple:
    """The graph of a check: the chunks parsed and kept (compressed) on the workers; what the main process needs to
    pick the documents and build the law index; then every later step in one computation, so each chunk is
    decompressed and linked once, and dropped (as every partition) once its consumers have read it. Returns the
    parsed (order, sha, path), the failures, the internal notices and the four lists of findings."""
    import dask.bag as db

    from .laws import consistent_index, lexicon_index

    parsed = client.persist(db.from_sequence(chunks, npartitions=len(chunks)).map(_parse_chunk, staging))
    metas = sorted(client.compute(parsed.map(lambda x: x[1]).flatten(), sync=True))
    failures = [(order, path, err) for order, path, _, err, _, _ in metas if err is not None]
    seen = [(order, sha, path) for order, path, sha, err, _, _ in metas if err is None]
    internal = [(order, path, notes) for order, path, _, err, notes, _ in metas if err is None and notes]
    keep: dict[int, str] = {}  # as the index: one document per content, in its first place, named by its last path
    first: dict[str, int] = {}
    for order, sha, path in seen:
        keep[first.setdefault(sha, order)] = path
    index = consistent_index([tuple(p) for order, _, _, _, _, pairs in metas if order in keep for p in pairs]) \
        .merged(lexicon_index())
    del metas
    # a list: each as one object (a dict given to scatter is scattered item by item, one future per document)
    keep_future, index_future = client.scatter([keep, index], broadcast=True)
    inputs = parsed.map(_inputs, keep_future, index_future, str(out) if out is not None else None).flatten()
    identity = inputs.filter(lambda x: x[0] == "i").groupby(lambda x: x[1], shuffle="tasks").map(_identity).flatten()
    stage1 = identity.filter(lambda x: x[0] == "finding").map(lambda x: x[1:])
    stage2 = identity.filter(lambda x: x[0] == "entry").groupby(lambda x: x[2], shuffle="tasks").map(_second) \
        .flatten()
    plans = inputs.filter(lambda x: x[0] == "p").groupby(lambda x: x[1], shuffle="tasks").map(_plan).flatten()
    docs = inputs.filter(lambda x: x[0] == "f").map(lambda x: x[1])
    futures = client.compute([stage1, stage2, plans, docs])
    del parsed, inputs, identity, stage1, stage2, plans, docs  # each chunk is dropped once its inputs are made
    stage1, stage2, plans, docs = client.gather(futures)
    return seen, failures, internal, (stage1, stage2, plans, [x for blob in docs for x in _unpack(blob)])


def _renamed(f: Finding, source: str, path: str) -> Finding:
    """A document check's finding named by the path its document is known by (the last of identical files)."""
    if source != path:
        f.document = path if f.document == source else f.document
        for e in f.spans:
            e.document = path if e.document == source else e.document
    return f


class DaskCorpus:
    """What `docparse check --dask ADDRESS` needs of a corpus, from one distributed run: the findings (filtered
    by --select/--ignore here), the failures, and a document's text for the report (read again where it is shown).
    ADDRESS "local" starts a LocalCluster of `workers` processes on this machine."""

    def __init__(self, paths: list[str], address: str, workers: int = 1):
        from dask.distributed import Client, LocalCluster

        self.notices: list = []
        self._docs: dict = {}
        if address == "local":
            with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                self.result = check(paths, client)
        else:
            with Client(address) as client:
                self.result = check(paths, client)
        self._parsed = set(self.result.parsed)

    def check(self, select=None, ignore=None, focus=None) -> list[Finding]:
        from .checks import selected

        codes = {s.code for s in selected(select, ignore)}
        return [f for f in self.result.findings if f.code in codes
                and (focus is None or f.document in focus or any(e.document in focus for e in f.spans))]

    def document(self, doc_id: str):
        from .pipeline import parse

        if doc_id not in self._docs:
            self._docs[doc_id] = parse(doc_id)
        return self._docs[doc_id]

    def source(self, doc_id: str) -> tuple[str, str]:
        """(text, format) of a checked document (what the check output places evidence with: Corpus.source), from
        the document parsed again and not kept; KeyError for a name that was not checked."""
        if doc_id not in self._parsed:
            raise KeyError(doc_id)
        doc = self._docs.get(doc_id) or self.document(doc_id)
        self._docs.pop(doc_id, None)
        return doc.text, doc.format

    def __len__(self) -> int:
        return len(self.result.parsed)

    def close(self) -> None:
        self._docs.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
