"""Throughput of docparse on one core: parse_text over the real corpus (MB/s), PDF reading (pages/s), peak memory.

    python benchmarks/bench_parse.py [--corpus ../shared/corpus] [--repeat 5] [--json]

The corpus is read into memory first so only parsing is timed. PDFs are the bundled samples (scripts/make_samples.py)
repeated; pages/s counts the whole parse (pdfminer layout analysis dominates).
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docparse  # noqa: E402


def bench_text(texts: list[str], repeat: int) -> dict:
    size = sum(len(t.encode("utf-8")) for t in texts)
    for t in texts:  # warm caches (compiled regexes, lexicon)
        docparse.parse_text(t)
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for t in texts:
            docparse.parse_text(t)
        runs.append(time.perf_counter() - t0)
    best, median = min(runs), statistics.median(runs)
    tracemalloc.start()
    for t in texts:
        docparse.parse_text(t)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return {"documents": len(texts), "bytes": size, "best_s": round(best, 4), "median_s": round(median, 4),
            "mb_per_s_best": round(size / 1e6 / best, 2), "mb_per_s_median": round(size / 1e6 / median, 2),
            "docs_per_s_median": round(len(texts) / median, 1), "peak_traced_mb": round(peak / 1e6, 1)}


def bench_indicator_cost(texts: list[str], repeat: int) -> dict:
    """Issue 3's budget: how much the indicator layer (indicators + statistical rows) cuts parse_text throughput.
    Runs with and without it are interleaved and the best of each is kept, so drift of the machine cancels out."""
    from docparse import pipeline

    size = sum(len(t.encode("utf-8")) for t in texts)
    real = pipeline.extract_indicators, pipeline.extract_stat_rows

    def timed() -> float:
        t0 = time.perf_counter()
        for t in texts:
            docparse.parse_text(t)
        return time.perf_counter() - t0

    with_layer, without = [], []
    try:
        for _ in range(max(3, repeat)):
            pipeline.extract_indicators, pipeline.extract_stat_rows = real
            with_layer.append(timed())
            pipeline.extract_indicators = lambda *a, **k: []
            pipeline.extract_stat_rows = lambda *a, **k: ([], [])
            without.append(timed())
    finally:
        pipeline.extract_indicators, pipeline.extract_stat_rows = real
    full, core = size / 1e6 / min(with_layer), size / 1e6 / min(without)
    return {"mb_per_s_with": round(full, 2), "mb_per_s_without": round(core, 2),
            "throughput_cut_pct": round(100 * (1 - full / core), 1)}


def bench_pdf(pdfs: list[Path], repeat: int) -> dict:
    pages = 0
    t0 = time.perf_counter()
    for _ in range(repeat):
        for p in pdfs:
            pages += len(docparse.parse(p).pages)
    dt = time.perf_counter() - t0
    return {"files": len(pdfs) * repeat, "pages": pages, "seconds": round(dt, 3), "pages_per_s": round(pages / dt, 2)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result: dict = {"python": sys.version.split()[0]}
    files = sorted(args.corpus.rglob("*.txt")) if args.corpus.is_dir() else []
    if not files:
        files = sorted((ROOT / "samples").glob("*.txt"))
        result["note"] = "corpus not found; measured on samples/*.txt"
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    result["parse_text"] = bench_text(texts, args.repeat)
    result["indicator_cost"] = bench_indicator_cost(texts, args.repeat)
    pdfs = sorted((ROOT / "samples").glob("*.pdf"))
    if pdfs:
        result["pdf"] = bench_pdf(pdfs, max(1, args.repeat // 2))
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        pt = result["parse_text"]
        print(f"parse_text: {pt['documents']} documents, {pt['bytes'] / 1e6:.2f} MB: "
              f"{pt['mb_per_s_median']} MB/s median ({pt['mb_per_s_best']} best), {pt['docs_per_s_median']} docs/s, "
              f"peak traced {pt['peak_traced_mb']} MB")
        ic = result["indicator_cost"]
        print(f"indicator layer: {ic['mb_per_s_with']} MB/s with it, {ic['mb_per_s_without']} MB/s without: "
              f"throughput cut {ic['throughput_cut_pct']}%")
        if "pdf" in result:
            pd = result["pdf"]
            print(f"pdf: {pd['pages']} pages in {pd['seconds']} s = {pd['pages_per_s']} pages/s")
        print(f"max RSS {result['max_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
