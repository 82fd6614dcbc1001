"""Throughput of docparse on one core: parse_text over the real corpus (MB/s), what the indicator layer and the
entity + assignment layer each cost, PDF reading (pages/s), peak memory.

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


LAYERS = {  # pipeline functions to switch off, and what they return when off
    "indicators": {"extract_indicators": lambda *a, **k: [], "extract_stat_rows": lambda *a, **k: ([], [])},
    "entities_assignments": {"find_entities": lambda *a, **k: [], "extract_assignments": lambda *a, **k: []},
}


def bench_layer_cost(texts: list[str], repeat: int, layer: str) -> dict:
    """How much one layer cuts parse_text throughput (issue 3's budget for the indicator layer is 30 %). Runs with
    and without it are interleaved and the best of each is kept, so drift of the machine cancels out."""
    from docparse import pipeline

    size = sum(len(t.encode("utf-8")) for t in texts)
    off = LAYERS[layer]
    real = {name: getattr(pipeline, name) for name in off}

    def timed() -> float:
        t0 = time.perf_counter()
        for t in texts:
            docparse.parse_text(t)
        return time.perf_counter() - t0

    with_layer, without = [], []
    try:
        for _ in range(max(3, repeat)):
            for name, fn in real.items():
                setattr(pipeline, name, fn)
            with_layer.append(timed())
            for name, fn in off.items():
                setattr(pipeline, name, fn)
            without.append(timed())
    finally:
        for name, fn in real.items():
            setattr(pipeline, name, fn)
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
    result["layer_cost"] = {layer: bench_layer_cost(texts, args.repeat, layer) for layer in LAYERS}
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
        for layer, ic in result["layer_cost"].items():
            print(f"{layer} layer: {ic['mb_per_s_with']} MB/s with it, {ic['mb_per_s_without']} MB/s without: "
                  f"throughput cut {ic['throughput_cut_pct']}%")
        if "pdf" in result:
            pd = result["pdf"]
            print(f"pdf: {pd['pages']} pages in {pd['seconds']} s = {pd['pages_per_s']} pages/s")
        print(f"max RSS {result['max_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
