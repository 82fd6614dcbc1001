"""Throughput of the entity model path on one core: the model alone (nlp.pipe over whole documents, its lexicon
features included), and parse_text with entities="model" and "hybrid" against the default rules.

    python benchmarks/bench_model.py [--corpus ../shared/corpus] [--repeat 3] [--json]"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docparse  # noqa: E402
from docparse.ner import load_model  # noqa: E402


def _timed(fn, texts: list[str], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(texts)
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    nlp = load_model()
    if nlp is None:
        print("không có mô hình trong docparse/models/ner (chạy: make model)", file=sys.stderr)
        return 2
    files = sorted(args.corpus.rglob("*.txt")) if args.corpus.is_dir() else sorted((ROOT / "samples").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    runs = {
        "model_alone": lambda ts: list(nlp.pipe(ts, batch_size=8)),
        "lexicon_features": lambda ts: [nlp.tokenizer(t) for t in ts],
        **{f"parse_text_{kind}": (lambda kind: lambda ts: [docparse.parse_text(t, entities=kind) for t in ts])(kind)
           for kind in ("rules", "model", "hybrid")},
    }
    for fn in runs.values():  # warm up: model weights, compiled regexes
        fn(texts[:2])
    result = {"documents": len(texts), "mb": round(mb, 3)}
    for name, fn in runs.items():
        s = _timed(fn, texts, args.repeat if "hybrid" not in name and name != "model_alone" else 1)
        result[name] = {"seconds": round(s, 2), "mb_per_s": round(mb / s, 3), "docs_per_s": round(len(texts) / s, 1)}
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['documents']} documents, {mb:.2f} MB, one core")
        for name in runs:
            r = result[name]
            print(f"{name:22} {r['mb_per_s']:7.3f} MB/s  {r['docs_per_s']:6.1f} docs/s  ({r['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
