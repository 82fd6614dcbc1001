"""Throughput of docparse on one core over the whole real corpus (seeds + public .txt and the pool's .md): full
`parse_text` MB/s (best / median, wall and CPU), references + dates alone, and in the same run two yardsticks on the
same text — a bare regex scan (one compiled pattern for code, date and number shapes) and a naive 30-line regex
extractor — so the ratios the speed issue (17) asks for come from one machine state. Also: peak memory per document
against its text size, the CPU share of each layer (cProfile), PDF reading (pages/s).

    python benchmarks/bench_parse.py [--corpus ../shared/corpus] [--repeat 5] [--json] [--profile] [--layer-cost]

The corpus is read into memory first so only parsing is timed. The machine is shared: CPU seconds
(time.process_time) are reported beside wall seconds and are the steadier figure.
"""
from __future__ import annotations

import argparse
import inspect
import json
import re
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docparse  # noqa: E402

# one pass, one pattern: the trigger shapes the parser looks for (code, date, number) — the floor of any regex design
BARE = re.compile(r"\d{1,5}/\d{4}/[A-ZĐ][A-ZĐ0-9-]*|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d[\d.,]*")


def naive_extract(text: str) -> dict:
    """A naive regex extractor (the yardstick the issue names): symbols, dates, amounts, headings, agencies."""
    out: dict = {"codes": [], "dates": [], "amounts": [], "headings": [], "orgs": []}
    for m in NAIVE["code"].finditer(text):
        out["codes"].append((m.group(1), m.group(2), m.group(3), m.span()))
    for m in NAIVE["date"].finditer(text):
        out["dates"].append((int(m.group(1)), int(m.group(2)), int(m.group(3)), m.span()))
    for m in NAIVE["amount"].finditer(text):
        out["amounts"].append((m.group(1).replace(".", ""), m.group(2).lower(), m.span()))
    for m in NAIVE["heading"].finditer(text):
        out["headings"].append((m.group(1), m.group(2), m.span()))
    for m in NAIVE["org"].finditer(text):
        out["orgs"].append((m.group(0), m.span()))
    return out


NAIVE = {
    "code": re.compile(r"(\d{1,5})/(\d{4})/([A-ZĐ][A-ZĐ0-9-]*)"),
    "date": re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.I),
    "amount": re.compile(r"(\d[\d.]*(?:,\d+)?)\s*(tỷ đồng|triệu đồng|đồng|%)", re.I),
    "heading": re.compile(r"^\s*(Chương|Điều|Mục|Phần)\s+([0-9IVXLC]+)", re.M),
    "org": re.compile(r"(?:Ủy ban nhân dân|UBND|Sở|Bộ)(?: [A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,5}"),
}


def corpus_texts(corpus: Path) -> tuple[list[str], str | None]:
    files = sorted(f for f in corpus.rglob("*") if f.suffix in (".txt", ".md") and f.name != "README.md") \
        if corpus.is_dir() else []
    if not files:
        return [f.read_text(encoding="utf-8") for f in sorted((ROOT / "samples").glob("*.txt"))], \
            "corpus not found; measured on samples/*.txt"
    return [f.read_text(encoding="utf-8", errors="replace") for f in files], None


def _timed(fn, texts: list[str], repeat: int) -> dict:
    for t in texts:  # warm caches (compiled regexes, lexicon)
        fn(t)
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        for t in texts:
            fn(t)
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    return {"best_s": round(min(wall), 4), "median_s": round(statistics.median(wall), 4),
            "mb_per_s_best": round(mb / min(wall), 2), "mb_per_s_median": round(mb / statistics.median(wall), 2),
            "mb_per_s_cpu_best": round(mb / min(cpu), 2), "mb_per_s_cpu_median": round(mb / statistics.median(cpu), 2)}


def bench_text(texts: list[str], repeat: int) -> dict:
    result = {"documents": len(texts), "bytes": sum(len(t.encode("utf-8")) for t in texts)}
    result["full"] = _timed(docparse.parse_text, texts, repeat)
    if "layers" in inspect.signature(docparse.parse_text).parameters:
        result["references_dates"] = _timed(lambda t: docparse.parse_text(t, layers={"citations", "dates"}),
                                            texts, repeat)
    result["bare_regex"] = _timed(lambda t: sum(1 for _ in BARE.finditer(t)), texts, repeat)
    result["naive_extractor"] = _timed(naive_extract, texts, repeat)
    full = result["full"]["mb_per_s_cpu_best"]
    result["ratio_bare_over_full"] = round(result["bare_regex"]["mb_per_s_cpu_best"] / full, 1)
    result["ratio_naive_over_full"] = round(result["naive_extractor"]["mb_per_s_cpu_best"] / full, 2)
    return result


def bench_memory(texts: list[str]) -> dict:
    """Peak traced Python memory while parsing each document alone, over its UTF-8 size."""
    ratios = []
    tracemalloc.start()
    for t in texts:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        docparse.parse_text(t)
        ratios.append((tracemalloc.get_traced_memory()[1] - base) / max(1, len(t.encode("utf-8"))))
    tracemalloc.stop()
    big = max(range(len(texts)), key=lambda i: len(texts[i]))
    return {"peak_per_byte_median": round(statistics.median(ratios), 1), "peak_per_byte_max": round(max(ratios), 1),
            "peak_per_byte_largest_doc": round(ratios[big], 1),
            "largest_doc_mb": round(len(texts[big].encode("utf-8")) / 1e6, 2)}


LAYER_OF = {  # module (under docparse/) whose functions count as the layer's CPU time
    "normalize": "normalize.py", "portal": "extract/portal.py", "header": "extract/header.py",
    "citations": "extract/citations.py", "laws": "laws.py", "identity": "identity.py", "dates": "extract/dates.py",
    "structure": "extract/structure.py", "stat_rows": "extract/stat_tables.py", "tables": "extract/tables.py",
    "indicators": "extract/indicators.py", "numbers": "extract/numbers.py", "procedures": "extract/procedures.py",
    "tasks": "extract/tasks.py", "matrix_tables": "extract/matrix_tables.py", "flat_tasks": "extract/flat_tasks.py",
    "entities": "extract/entities.py", "assignments": "extract/assignments.py", "period": "extract/period.py",
    "pydantic": "site-packages/pydantic", "pipeline": "pipeline.py"}


def bench_profile(texts: list[str]) -> dict:
    """CPU share per layer: each function's own time (C calls it makes, e.g. the regex engine, included) summed by
    the module it lives in."""
    import cProfile
    import pstats

    pr = cProfile.Profile()
    pr.enable()
    for t in texts:
        docparse.parse_text(t)
    pr.disable()
    stats = pstats.Stats(pr).stats  # {(file, line, name): (cc, nc, tt, ct, callers)}
    own: dict[tuple, float] = {k: v[2] for k, v in stats.items()}
    for key, (_, _, _, _, callers) in stats.items():
        if key[0] == "~":  # a C function: its time goes to its Python callers, split as recorded
            for caller, info in callers.items():
                own[caller] = own.get(caller, 0.0) + info[2]
            own[key] = 0.0
    total = sum(v for k, v in own.items())
    shares: dict[str, float] = {}
    for (file, _, _), t in own.items():
        layer = next((name for name, part in LAYER_OF.items() if part in file.replace("\\", "/")), "other")
        shares[layer] = shares.get(layer, 0.0) + t
    return {k: round(100 * v / total, 1) for k, v in sorted(shares.items(), key=lambda kv: -kv[1])}


def bench_layer_times(texts: list[str]) -> dict:
    """CPU seconds of each pipeline layer (the `guarded` call that runs it), without a profiler's overhead; the rest
    (record construction of the Document, mapping, notices) is "pipeline"."""
    from docparse import pipeline

    spent: dict[str, float] = {}
    real = pipeline.guarded

    def timed(layer, *args, **kwargs):
        t0 = time.process_time()
        try:
            return real(layer, *args, **kwargs)
        finally:
            spent[layer] = spent.get(layer, 0.0) + time.process_time() - t0

    pipeline.guarded = timed
    try:
        t0 = time.process_time()
        for t in texts:
            docparse.parse_text(t)
        total = time.process_time() - t0
    finally:
        pipeline.guarded = real
    spent["pipeline"] = total - sum(spent.values())
    return {k: round(v, 3) for k, v in sorted(spent.items(), key=lambda kv: -kv[1])}


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
        t0 = time.process_time()
        for t in texts:
            docparse.parse_text(t)
        return time.process_time() - t0

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
    ap.add_argument("--profile", action="store_true", help="CPU share per layer (one cProfile pass)")
    ap.add_argument("--layer-times", action="store_true", help="CPU seconds of each pipeline layer, then exit")
    ap.add_argument("--layer-cost", action="store_true", help="throughput with and without indicators, entities")
    args = ap.parse_args()
    result: dict = {"python": sys.version.split()[0]}
    texts, note = corpus_texts(args.corpus)
    if note:
        result["note"] = note
    if args.layer_times:
        spent = bench_layer_times(texts)
        print(f"CPU seconds per layer over {len(texts)} documents ({sum(spent.values()):.2f} s in all):")
        print(", ".join(f"{k} {v}" for k, v in spent.items()))
        return 0
    result["parse_text"] = bench_text(texts, args.repeat)
    result["memory"] = bench_memory(texts)
    if args.profile:
        result["cpu_share_pct"] = bench_profile(texts)
    if args.layer_cost:
        result["layer_cost"] = {layer: bench_layer_cost(texts, args.repeat, layer) for layer in LAYERS}
    pdfs = sorted((ROOT / "samples").glob("*.pdf"))
    if pdfs:
        result["pdf"] = bench_pdf(pdfs, max(1, args.repeat // 2))
    result["max_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    pt = result["parse_text"]
    print(f"corpus: {pt['documents']} documents, {pt['bytes'] / 1e6:.2f} MB (one core; CPU-time MB/s, wall in brackets)")
    for key, label in (("full", "parse_text full"), ("references_dates", "references + dates alone"),
                       ("bare_regex", "bare regex scan"), ("naive_extractor", "naive regex extractor")):
        if key in pt:
            r = pt[key]
            print(f"  {label}: {r['mb_per_s_cpu_best']} MB/s best, {r['mb_per_s_cpu_median']} median "
                  f"[wall {r['mb_per_s_best']} / {r['mb_per_s_median']}]")
    print(f"  bare regex is {pt['ratio_bare_over_full']}x, the naive extractor {pt['ratio_naive_over_full']}x "
          "the full parse")
    mem = result["memory"]
    print(f"peak traced memory per byte of text: median {mem['peak_per_byte_median']}x, max "
          f"{mem['peak_per_byte_max']}x, largest document ({mem['largest_doc_mb']} MB) {mem['peak_per_byte_largest_doc']}x")
    if "cpu_share_pct" in result:
        print("CPU share per layer: " + ", ".join(f"{k} {v}%" for k, v in result["cpu_share_pct"].items()))
    for layer, ic in result.get("layer_cost", {}).items():
        print(f"{layer} layer: {ic['mb_per_s_with']} MB/s with it, {ic['mb_per_s_without']} MB/s without: "
              f"throughput cut {ic['throughput_cut_pct']}%")
    if "pdf" in result:
        pd = result["pdf"]
        print(f"pdf: {pd['pages']} pages in {pd['seconds']} s = {pd['pages_per_s']} pages/s")
    print(f"max RSS {result['max_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
