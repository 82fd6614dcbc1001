"""Checking a corpus of N generated documents: parse + index (in memory) + all checks. benchmarks/bench_index.py
measures the on-disk index, peak memory, re-checks and parallel efficiency.

    python benchmarks/bench_check.py [-n 1000] [--jobs 1] [--json]
    python benchmarks/bench_check.py --unreported 100 200 400 800

Documents are made by varying the bundled samples (samples/*.txt): every document number is shifted, so the corpus
holds N distinct documents with many shared citations (and the samples' planted inconsistencies).

--unreported: the worst case of task.unreported, one issuer with N documents (half plans of 15 tasks, half reports
of 40 sentences, each report citing 3 of the plans) whose tasks are never reported: sentences drawn from the samples'
words, so no title matches and every title is compared with every text of the reports that cite its plan. The cost
follows the citations (N x 3), not the square of the issuer's documents.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from docparse.corpus import Corpus  # noqa: E402

_HEADER_NUMBER = re.compile(r"^(Số:\s*)(\d+)", re.MULTILINE)


def generate(out: Path, n: int, seed: int = 1) -> list[Path]:
    rng = random.Random(seed)
    bases = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples").glob("*.txt"))]
    paths = []
    for i in range(n):
        text = bases[i % len(bases)]
        text = _HEADER_NUMBER.sub(lambda m: f"{m.group(1)}{int(m.group(2)) + 10 * i + 1}", text, count=1)
        # vary some cited numbers so the index holds many distinct cited documents
        text = re.sub(r"số (\d+)/", lambda m: f"số {int(m.group(1)) + rng.choice((0, 0, 0, i))}/", text)
        p = out / f"doc_{i:05d}.txt"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    return paths


def unreported_worst(n: int, seed: int = 1):
    """The plan groups ([plan], the reports citing it) of one issuer, n documents, nothing reported: see --unreported."""
    from docparse.checks.corpus_checks import Plan, Report

    rng = random.Random(seed)
    words = sorted({w for p in sorted((ROOT / "samples").glob("*.txt"))
                    for w in re.findall(r"[^\W\d_]{2,}", p.read_text(encoding="utf-8").lower())})

    def sentence(lo: int, hi: int) -> str:
        return " ".join(rng.choice(words) for _ in range(rng.randint(lo, hi)))

    def day() -> str:
        return f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    plans = [Plan(f"kh_{i}.txt", "2025-01-01", "Kế hoạch", f"{i}/KH-UBND", "ubnd",
                  [[str(j + 1), sentence(6, 20), 0, 10, "x"] for j in range(15)]) for i in range(n // 2)]
    groups: dict[str, list] = {p.doc: [] for p in plans}  # the plan's group: the reports that cite it
    for i in range(n - n // 2):
        report = Report(f"bc_{i}.txt", day(), "ubnd", [sentence(5, 40) for _ in range(40)])
        for p in rng.sample(plans, min(3, len(plans))):
            groups[p.doc].append(report)
    return [([p], groups[p.doc]) for p in plans]


def bench_unreported(sizes: list[int]):
    """One result per size, as soon as it is measured."""
    from docparse.checks.corpus_checks import plan_group

    for n in sizes:
        groups = unreported_worst(n)
        t0 = time.process_time()
        found = sum(len(plan_group(plans, reports)) for plans, reports in groups)
        yield {"documents": n, "titles": sum(len(p.tasks) for plans, _ in groups for p in plans),
               "texts": len({(r.doc, c) for _, reports in groups for r in reports for c in r.candidates}),
               "findings": found, "cpu_s": round(time.process_time() - t0, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--jobs", type=int, default=1, help="processes that parse (Corpus.add_many)")
    ap.add_argument("--unreported", type=int, nargs="+", metavar="N",
                    help="time task.unreported's worst case (one issuer, nothing reported) at these sizes")
    args = ap.parse_args()
    if args.unreported:
        for r in bench_unreported(args.unreported):
            print(json.dumps(r) if args.json else
                  f"task.unreported, {r['documents']} documents of one issuer ({r['titles']} task titles, "
                  f"{r['texts']} report texts, {r['findings']} unreported): {r['cpu_s']} s CPU", flush=True)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        paths = generate(Path(tmp), args.n)
        size = sum(p.stat().st_size for p in paths)
        t0 = time.perf_counter()
        with Corpus() as corpus:
            report = corpus.add_many(paths, jobs=args.jobs)
            t1 = time.perf_counter()
            findings = corpus.check()
            t2 = time.perf_counter()
    result = {"documents": len(report.parsed), "failed": len(report.failed), "mb": round(size / 1e6, 2),
              "parse_index_s": round(t1 - t0, 2), "check_s": round(t2 - t1, 2), "total_s": round(t2 - t0, 2),
              "findings": len(findings), "errors": sum(f.severity == "error" for f in findings)}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['documents']} documents ({result['mb']} MB): parse+index {result['parse_index_s']} s, "
              f"checks {result['check_s']} s, total {result['total_s']} s; {result['findings']} findings "
              f"({result['errors']} errors)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
