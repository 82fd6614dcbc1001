"""The corpus index at scale: parse + index + check of N generated documents, time and peak memory; an incremental
re-check after one document changes; parallel efficiency with 1 and J processes.

    python benchmarks/bench_index.py -n 1000 10000 [--jobs 1 2] [--dask 2] [--bases samples|corpus|both] [--json]
    python benchmarks/bench_index.py --one FOLDER INDEX 2   # one run on a folder kept (100 000 documents: generate())
    python benchmarks/bench_index.py --again FOLDER INDEX   # that index read back (streamed) and re-checked

Documents are made by varying the bundled samples and, when it is present, the corpus (../shared/corpus): each copy
gets its own header number, shifted cited numbers and dates, and one of several issuing provinces, so the index
holds N distinct documents in many identity groups and series (and the samples' planted inconsistencies). Each run
is a fresh process, so its peak memory (ru_maxrss, workers counted apart) is its own.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
sys.path.insert(0, str(ROOT))

_HEADER_NUMBER = re.compile(r"^(Số:\s*)(\d+)", re.MULTILINE)
_CITED_NUMBER = re.compile(r"(số )(\d+)(/)")
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(20\d\d)\b")
_PROVINCE = re.compile(r"\b(tỉnh|TỈNH) (Hòa Bình Xanh|HÒA BÌNH XANH)")
PROVINCES = ["Hòa Bình Xanh", "Lào Cai", "Tuyên Quang", "Thái Nguyên", "Phú Thọ", "Quảng Ninh", "Gia Lai", "Đắk Lắk",
             "Khánh Hòa", "Lâm Đồng", "Đồng Nai", "Tây Ninh", "An Giang", "Cà Mau", "Vĩnh Long", "Đồng Tháp"]


def bases(which: str) -> list[tuple[str, str]]:
    out = []
    if which in ("samples", "both"):
        out += [(p.suffix, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "samples").glob("*.txt"))]
    if which in ("corpus", "both") and CORPUS.is_dir():
        out += [(p.suffix, p.read_text(encoding="utf-8")) for folder in ("seeds", "public", "pool")
                for p in sorted((CORPUS / folder).glob("*")) if p.suffix in (".txt", ".md")]
    return out


def vary(text: str, i: int, rng: random.Random) -> str:
    text = _HEADER_NUMBER.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + 10 * i + 1}", text, count=1)
    text = _CITED_NUMBER.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + rng.choice((0, 0, 0, i % 97))}{m.group(3)}",
                             text)
    shift = rng.choice((0, 0, 1, 2))
    text = _DATE.sub(lambda m: f"{min(28, int(m.group(1)) + shift)}/{m.group(2)}/{m.group(3)}", text)
    province = PROVINCES[i % len(PROVINCES)]
    return _PROVINCE.sub(lambda m: f"{m.group(1)} {province if m.group(1) == 'tỉnh' else province.upper()}", text)


def generate(out: Path, n: int, which: str = "both", seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    texts = bases(which)
    paths = []
    for i in range(n):
        suffix, text = texts[i % len(texts)]
        folder = out / f"{i // 1000:04d}"
        folder.mkdir(exist_ok=True)
        p = folder / f"doc_{i:06d}{suffix}"
        p.write_text(vary(text, i, rng), encoding="utf-8")
        paths.append(p)
    return paths


def _peak_mb(who) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # KiB on Linux


def fingerprint(findings, counted: list | None = None) -> str:
    """One hash of every finding (code, document, message, evidence): equal hashes, equal findings. Streamed (the
    hash of json.dumps of the whole list, one finding at a time); `counted` gets the number of findings."""
    import hashlib

    h = hashlib.sha256(b"[")
    n = 0
    for f in findings:
        row = (f.code, f.document, f.message, [(e.document, e.span.start, e.span.end, e.text) for e in f.spans])
        h.update((", " if n else "").encode() + json.dumps(row, ensure_ascii=False).encode())
        n += 1
    h.update(b"]")
    if counted is not None:
        counted.append(n)
    return h.hexdigest()[:16]


def dask_run(folder: Path, workers: int) -> dict:
    """The same corpus checked on a LocalCluster of `workers` processes (docparse.dask), records to Parquet."""
    from dask.distributed import Client, LocalCluster

    import docparse.dask
    from docparse.batch import expand

    paths = expand([str(folder)])[0]
    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        t1 = time.perf_counter()
        before = client.run(_usage)
        cpu1 = time.process_time()
        result = docparse.dask.check(paths, client, parquet=folder.parent / f"parquet-{workers}-{os.getpid()}")
        t2 = time.perf_counter()
        cpu2 = time.process_time()
        worker_mb = max(w.get("metrics", {}).get("memory", 0) for w in client.scheduler_info()["workers"].values())
        after = client.run(_usage)
    return {"documents": len(paths), "dask_workers": workers, "cluster_start_s": round(t1 - t0, 2),
            "total_s": round(t2 - t1, 2), "findings": len(result.findings), "findings_sha": fingerprint(result.findings),
            "main_cpu_s": round(cpu2 - cpu1, 2),
            "worker_cpu_s": round(sum(after[w][0] - before[w][0] for w in after), 2),
            "peak_mb_main": _peak_mb(resource.RUSAGE_SELF), "peak_mb_worker": max(a[1] for a in after.values()),
            "worker_mb_at_end": round(worker_mb / 2**20, 1), "failed": len(result.failed)}


def _usage() -> tuple[float, float]:
    """In a Dask worker: its CPU seconds so far and its peak resident memory (MB)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime, round(r.ru_maxrss / 1024, 1)


def recheck(corpus, target: Path) -> dict:
    """Two edits of one document, each followed by its re-check (update + check of that document): a note added at
    its end (its citations and header read the same: their groups are kept) and a line added at its top (every span
    moves: each group it is part of is recomputed). Wall and CPU seconds, groups recomputed."""
    out = {}
    for name, edit in (("end", lambda t: t + "\nGhi chú: đã sửa.\n"), ("top", lambda t: "\n" + t)):
        target.write_text(edit(target.read_text(encoding="utf-8")), encoding="utf-8")
        t3 = time.perf_counter()
        status = corpus.add(target)
        t4, c4 = time.perf_counter(), time.process_time()
        groups = corpus.update()
        again = corpus.check(focus=[str(target)])
        out.update({f"reparse_s_{name}": round(t4 - t3, 3), f"recheck_s_{name}": round(time.perf_counter() - t4, 3),
                    f"recheck_cpu_s_{name}": round(time.process_time() - c4, 3), f"recheck_groups_{name}": groups,
                    f"recheck_status_{name}": status, f"recheck_findings_{name}": len(again)})
    return out


def one_run(folder: Path, db: Path, jobs: int, change: bool) -> dict:
    """Index every file under `folder` into `db` with `jobs` processes, check, and (with `change`) edit one
    document and check again."""
    from docparse.batch import expand
    from docparse.corpus import Corpus

    paths = expand([str(folder)])[0]
    out: dict = {"documents": len(paths), "jobs": jobs}
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    with Corpus(db) as corpus:
        report = corpus.add_many(paths, jobs=jobs)
        t1 = time.perf_counter()
        counted: list = []
        sha = fingerprint(corpus.iter_check(), counted)  # streamed: the findings are never all held
        t2 = time.perf_counter()
        cpu1 = time.process_time()
        out.update(failed=len(report.failed), parse_index_s=round(t1 - t0, 2), check_s=round(t2 - t1, 2),
                   total_s=round(t2 - t0, 2), findings=counted[0], main_cpu_s=round(cpu1 - cpu0, 2),
                   findings_sha=sha)
        if change:
            out.update(recheck(corpus, Path(paths[len(paths) // 2])))
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    out.update(peak_mb_main=_peak_mb(resource.RUSAGE_SELF), peak_mb_worker=_peak_mb(resource.RUSAGE_CHILDREN),
               worker_cpu_s=round(children.ru_utime + children.ru_stime, 2), db_mb=round(db.stat().st_size / 1e6, 1))
    return out


def again(folder: Path, db: Path) -> dict:
    """The index of a former run: every finding read back (streamed), then the two re-checks."""
    from docparse.batch import expand
    from docparse.corpus import Corpus

    paths = expand([str(folder)])[0]
    with Corpus(db) as corpus:
        t0, c0 = time.perf_counter(), time.process_time()
        counted: list = []
        sha = fingerprint(corpus.iter_check(), counted)
        out = {"documents": len(corpus), "findings": counted[0], "findings_sha": sha,
               "check_s": round(time.perf_counter() - t0, 2), "check_cpu_s": round(time.process_time() - c0, 2),
               "peak_mb_check": _peak_mb(resource.RUSAGE_SELF)}
        out.update(recheck(corpus, Path(paths[len(paths) // 2 + 1])))
    out["peak_mb"] = _peak_mb(resource.RUSAGE_SELF)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, nargs="+", default=[1000])
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--bases", choices=("samples", "corpus", "both"), default="both")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--dask", type=int, default=0, metavar="WORKERS",
                    help="also check on a Dask LocalCluster of this many workers (pip install 'docparse[dask]')")
    ap.add_argument("--one", nargs=3, metavar=("FOLDER", "DB", "JOBS"),
                    help="one run: index FOLDER into DB with JOBS processes, check, re-check (prints JSON)")
    ap.add_argument("--one-dask", nargs=2, metavar=("FOLDER", "WORKERS"), help=argparse.SUPPRESS)
    ap.add_argument("--again", nargs=2, metavar=("FOLDER", "DB"),
                    help="an index built before (by --one): check it again, streamed, and time the re-checks")
    args = ap.parse_args()
    if args.one:
        print(json.dumps(one_run(Path(args.one[0]), Path(args.one[1]), int(args.one[2]), change=True)))
        return 0
    if args.again:
        print(json.dumps(again(Path(args.again[0]), Path(args.again[1]))))
        return 0
    if args.one_dask:
        print(json.dumps(dask_run(Path(args.one_dask[0]), int(args.one_dask[1]))))
        return 0
    results = []
    for n in args.n:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "docs"
            folder.mkdir()
            generate(folder, n, args.bases)
            dask = None
            if args.dask:  # first: each index run below edits one document at its end
                got = subprocess.run([sys.executable, __file__, "--one-dask", str(folder), str(args.dask)],
                                     capture_output=True, text=True, check=True)
                dask = json.loads(got.stdout.strip().splitlines()[-1])
                dask["load_avg"] = round(os.getloadavg()[0], 2)
                results.append(dask)
                if not args.json:
                    print(f"n={dask['documents']} dask workers={args.dask}: {dask['total_s']} s (cluster start "
                          f"{dask['cluster_start_s']} s; CPU {dask['main_cpu_s']} s + workers {dask['worker_cpu_s']} s)"
                          f", {dask['findings']} findings; peak {dask['peak_mb_main']} MB here, "
                          f"{dask['peak_mb_worker']} MB per worker ({dask['worker_mb_at_end']} MB at the end); "
                          f"load {dask['load_avg']}", flush=True)
            for jobs in args.jobs:
                db = Path(tmp) / f"index-{jobs}.sqlite"
                got = subprocess.run([sys.executable, __file__, "--one", str(folder), str(db), str(jobs)],
                                     capture_output=True, text=True, check=True)
                r = json.loads(got.stdout.strip().splitlines()[-1])
                r["load_avg"] = round(os.getloadavg()[0], 2)
                results.append(r)
                if dask and jobs == args.jobs[0]:
                    r["same_findings_as_dask"] = dask["findings_sha"] == r["findings_sha"]
                if not args.json:
                    print(f"n={r['documents']} jobs={jobs}: parse+index {r['parse_index_s']} s, check {r['check_s']} s, "
                          f"total {r['total_s']} s (CPU {r['main_cpu_s']} s + workers {r['worker_cpu_s']} s), "
                          f"{r['findings']} findings; peak {r['peak_mb_main']} MB "
                          f"(workers {r['peak_mb_worker']} MB); re-check after one change: note at the end "
                          f"{r['recheck_s_end']} s ({r['recheck_groups_end']} groups), line at the top "
                          f"{r['recheck_s_top']} s ({r['recheck_groups_top']} groups) (+ parse {r['reparse_s_top']} s)"
                          f"; index {r['db_mb']} MB; load {r['load_avg']}"
                          + (f"; same findings as Dask: {r['same_findings_as_dask']}" if "same_findings_as_dask" in r
                             else ""), flush=True)
            base = next((r for r in results if r["documents"] == n and r.get("jobs") == 1), None)
            for r in results:
                if base and r["documents"] == n and r.get("jobs", 0) > 1:
                    r["efficiency"] = round(base["total_s"] / (r["total_s"] * r["jobs"]), 2)
                    r["cpu_overhead"] = round((r["main_cpu_s"] + r["worker_cpu_s"]) / base["main_cpu_s"], 2)
                    if not args.json:
                        print(f"  parallel efficiency (wall, parse+index+check) 1→{r['jobs']}: {r['efficiency']}; "
                              f"CPU spent vs 1 process: ×{r['cpu_overhead']} (load {r['load_avg']})")
    if args.json:
        print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
