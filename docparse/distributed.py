"""docparse on a Dask cluster (`pip install docparse[dask]`; also importable as `docparse.dask`): a bag of paths
parsed on the workers, the records written as partitioned Parquet (pyarrow), and the corpus checks run as a shuffle
by identity key with the same group functions as the SQLite index (docparse.checks.corpus_checks), so both give the
same findings.

    from dask.distributed import Client, LocalCluster
    with LocalCluster(n_workers=4) as cluster, Client(cluster) as client:
        result = docparse.dask.check(paths, client, parquet="out/")

The steps: parse each path (docparse.index.rows.prepare, as the index does); the coded law mentions gathered to
build the law-name index, which every worker then uses to link the laws cited by name; mentions and headers
shuffled by (number, symbol, authority) → identity_group; its entries shuffled by series and by number →
series_group, variant_group; each plan and the reports citing it shuffled by the plan's identity → plan_group.
"""
from __future__ import annotations

import json
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


@dataclass
class DaskResult:
    """What a distributed check returns: the parsed paths, the failed ones with their error, and the findings."""

    parsed: list[str] = field(default_factory=list)
    failed: list[tuple[str, DocparseError]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    internal: list[tuple[str, list[str]]] = field(default_factory=list)


_INTEGERS = {"order", "year", "idx", "is_self", "start", "end"}


def _schema(columns: list[str]):
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in _INTEGERS else pa.string()) for c in columns])


def _parse(item: tuple[int, str]) -> dict:
    from .corpus import read_and_prepare

    order, path = item
    status, payload, _ = (*read_and_prepare(path), None)[:3]
    if status != "ok":
        return {"order": order, "path": path, "failed": payload}
    return {"order": order, "path": path, "prep": payload}


def _slim(r: dict) -> dict:
    """A parsed document without its compressed Document (most of its bytes): what the checks read after the law
    links and the Parquet rows are made."""
    return {**r, "prep": {k: v for k, v in r["prep"].items() if k != "record"}}


def _document_row(r: dict) -> dict:
    h = r["prep"]["header"]
    return {"order": r["order"], "path": r["path"], "sha": r["prep"]["sha"], "record": r["prep"]["record"],
            **{k: h[k] for k in DOCUMENT_COLUMNS if k in h}}


def _link(r: dict, index) -> list[dict]:
    """The citation rows of one parsed document, its laws cited by name linked with the corpus's law index."""
    from .identity import citation_authority, citation_key
    from .laws import link
    from .schema import Document

    prep = r["prep"]
    rows = [dict(zip(CITATION_COLUMNS[2:], (*c[:-1],))) for c in prep["citations"]]
    doc = None
    for row in rows:
        if row["code"] or not row["name"] or row["is_self"]:
            continue
        doc = doc or Document.model_validate_json(prep["record"])
        c = doc.citations[row["idx"]]
        got = link(c, doc.text, index, doc.header.date)
        if got is None:
            row.update(number_key=None, symbol_key=None, authority=None, authority_source="unknown", linked_code=None,
                       link_source=None)
            continue
        law, written = got
        coded = c.model_copy(update={"code": law.code, "number": law.code.split("/")[0],
                                     "symbol": law.code.rsplit("/", 1)[1]})
        k = citation_key(coded)
        authority, source = citation_authority(coded, doc.header)
        row.update(number_key=k[0], symbol_key=k[1], year=law.year, code=law.code, name=written, authority=authority,
                   authority_source=source, linked_code=law.code,
                   link_source="corpus" if law.source == "corpus" else "lexicon")
    return [{"order": r["order"], "path": r["path"], **row} for row in rows]


def _tagged(rows: list[dict], r: dict) -> list[tuple]:
    """("m", Row) per groupable mention and ("h", HeaderRow) for the header, keyed by identity."""
    out = []
    for x in rows:
        if not x["is_self"] and x["number_key"] is not None and x["authority"] is not None:
            out.append(("m", cc.Row(x["order"], x["path"], x["idx"], x["number_key"], x["symbol_key"], x["year"],
                                    x["date"], x["doc_type"], x["doc_type_source"], x["code"], x["start"], x["end"],
                                    x["text"], x["authority"], x["authority_source"], x["subject"], x["linked_code"])))
    h = r["prep"]["header"]
    if h["number_key"] is not None and h["authority"] is not None:
        out.append(("h", cc.HeaderRow(r["order"], r["path"], h["number_key"], h["symbol_key"], h["year"], h["date"],
                                      h["doc_type"], h["code"], h["authority"])))
    return out


def _identity_key(item: tuple) -> str:
    x = item[1]
    return cc.group_key("cite", x.number_key, x.symbol_key, x.authority)


def _identity(group: tuple[str, list]) -> list:
    _, items = group
    result = cc.identity_group([x for t, x in items if t == "m"], [x for t, x in items if t == "h"])
    return [("finding", rank, f.model_dump_json()) for rank, f in result.findings] + [
        ("entry", kind, target, rank, payload) for kind, target, rank, payload in result.entries]


def _second(group: tuple[str, list]) -> list:
    target, items = group
    func = cc.series_group if target.startswith("series") else cc.variant_group
    return [(rank, f.model_dump_json()) for rank, f in func(target, [(rank, payload) for rank, payload in items])]


def _plan_members(x: tuple[dict, list[dict]]) -> list[tuple[str, object]]:
    """(plan group, Plan or Report) for each plan group a parsed document is part of (index.groups.groups_of)."""
    r, rows = x
    h = r["prep"]["header"]
    m = cc.plan_or_report(r["path"], h["when_date"], h["doc_type"], h["code"], h["issuer_key"],
                          json.loads(r["prep"]["plan_report"]))
    if m is None:
        return []
    cited = ((c["number_key"], c["symbol_key"], c["authority"], c["doc_type"]) for c in rows if not c["is_self"])
    keys = cc.plan_group_keys(isinstance(m, cc.Plan), (h["number_key"], h["symbol_key"], h["authority"]), cited)
    return [(k, m) for k in sorted(keys)]


def _plan(group: tuple[str, list]) -> list:
    _, members = group
    plans = [m for _, m in members if isinstance(m, cc.Plan)]
    reports = [m for _, m in members if isinstance(m, cc.Report)]
    return [(rank, f.model_dump_json()) for rank, f in cc.plan_group(plans, reports)] if plans else []


def check(paths: list[str], client, *, parquet: str | Path | None = None, select=None, ignore=None,
          npartitions: int | None = None) -> DaskResult:
    """Parse `paths` on the cluster of `client`, write Parquet under `parquet` (documents/, citations/) when given,
    and return the findings of every selected check, ordered as Corpus.check orders them."""
    import dask.bag as db

    from .checks import selected, sort_findings
    from .laws import consistent_index, lexicon_index
    from .parallel import unpack_error

    paths = [str(p) for p in paths]
    n = npartitions or max(1, min(len(paths), 4 * max(1, len(client.scheduler_info().get("workers", {}))) * 4))
    parsed = db.from_sequence(list(enumerate(paths)), npartitions=n).map(_parse).persist()
    failures = parsed.filter(lambda r: "failed" in r).map(lambda r: (r["order"], r["path"], r["failed"])).compute()
    seen = sorted(parsed.filter(lambda r: "prep" in r).map(lambda r: (r["order"], r["prep"]["sha"], r["path"]))
                  .compute())
    keep: dict[int, str] = {}  # as the index: one document per content, in its first place, named by its last path
    first: dict[str, int] = {}
    for order, sha, path in seen:
        keep[first.setdefault(sha, order)] = path
    internal = parsed.filter(lambda r: "prep" in r and r["prep"]["internal"]) \
        .map(lambda r: (r["order"], r["path"], r["prep"]["internal"])).compute()
    keep_future = client.scatter(keep, broadcast=True)
    ok = parsed.map(lambda r, k: {**r, "path": k[r["order"]]} if r["order"] in k else None, keep_future) \
        .filter(bool).persist()
    pairs = ok.map(lambda r: (r["order"], json.loads(r["prep"]["law_pairs"]))).compute()
    index = consistent_index([tuple(p) for _, ps in sorted(pairs) for p in ps]).merged(lexicon_index())
    index_future = client.scatter(index, broadcast=True)
    linked = ok.map(lambda r, idx: (_slim(r), _link(r, idx)), index_future).persist()
    if parquet is not None:
        out = Path(parquet)
        ok.map(_document_row).to_dataframe(meta={c: object for c in DOCUMENT_COLUMNS}).to_parquet(
            str(out / "documents"), engine="pyarrow", write_index=False, schema=_schema(DOCUMENT_COLUMNS))
    ok = linked.map(lambda x: x[0])
    del parsed  # with the first `ok`: the workers drop the compressed Documents once `linked` holds what is read
    if parquet is not None:
        linked.map(lambda x: x[1]).flatten().to_dataframe(meta={c: object for c in CITATION_COLUMNS}).to_parquet(
            str(out / "citations"), engine="pyarrow", write_index=False, schema=_schema(CITATION_COLUMNS))
    first = linked.map(lambda x: _tagged(x[1], x[0])).flatten().groupby(_identity_key, shuffle="tasks") \
        .map(_identity).flatten().persist()
    stage1 = [x[1:] for x in first.filter(lambda x: x[0] == "finding").compute()]
    stage2 = first.filter(lambda x: x[0] == "entry").map(lambda x: (x[2], (x[3], x[4]))) \
        .groupby(lambda x: x[0], shuffle="tasks").map(lambda g: (g[0], [v for _, v in g[1]])).map(_second) \
        .flatten().compute()
    plans = linked.map(_plan_members).flatten().groupby(lambda x: x[0], shuffle="tasks").map(_plan).flatten() \
        .compute()
    docs = ok.map(lambda r: (r["path"], r["order"], r["prep"]["findings"], r["prep"]["source"])).compute()
    doc_codes = {s.code for s in selected(select, ignore, "document")}
    findings = [_renamed(Finding.model_validate_json(f), source, path) for path, _, fs, source in sorted(docs)
                for f in fs]
    findings = [f for f in findings if f.code in doc_codes]
    by_code: dict[str, list] = {}
    for rank, f in sorted(stage1 + stage2 + plans):
        got = Finding.model_validate_json(f)
        by_code.setdefault(got.code, []).append(got)
    for spec in selected(select, ignore, "corpus"):
        findings.extend(by_code.get(spec.code, []))
    return DaskResult(parsed=[path for _, _, path in seen],
                      failed=[(path, unpack_error(err)) for _, path, err in sorted(failures)],
                      findings=sort_findings(findings), internal=[(p, i) for _, p, i in sorted(internal)])


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

    def __len__(self) -> int:
        return len(self.result.parsed)

    def close(self) -> None:
        self._docs.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
