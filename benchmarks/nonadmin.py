"""Non-administrative Vietnamese pages (tests/nonadmin_pages.py: news, sport, recipes, shops, forums, finance…,
generated offline) through parse_text + check, with the per-layer guard strict: reports pages tried, crashes grouped
by where they are raised (each with a shortened repro), and the slowest page.

    python benchmarks/nonadmin.py [--pages 2400] [--seed 0] [--json out.json]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fuzz_strategies import minimise, parse_and_check, signature  # noqa: E402
from nonadmin_pages import dictionary_words, pages  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2400)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    crashes: dict[str, dict] = {}
    parse_and_check("Số: 1/QĐ-UBND\nđạt 50%")  # warm: lexicons and compiled patterns are not a page's cost
    worst, total_bytes, start = (0.0, -1), 0, time.monotonic()
    for i, text in enumerate(pages(args.pages, args.seed)):
        t0 = time.perf_counter()
        try:
            parse_and_check(text)
        except Exception as e:  # noqa: BLE001
            c = crashes.setdefault(signature(e), {"count": 0, "pages": [], "first": text})
            c["count"] += 1
            c["pages"].append(i)
        dt = time.perf_counter() - t0
        worst = max(worst, (dt, i))
        total_bytes += len(text.encode("utf-8"))
    seconds = time.monotonic() - start
    for sig, c in crashes.items():
        c["minimal"] = minimise(c["first"], sig, budget=1500)
    print(f"pages: {args.pages} ({total_bytes / 1e6:.1f} MB, dictionary words: {len(dictionary_words())}) in "
          f"{seconds:.1f} s; slowest page #{worst[1]} {worst[0]:.3f} s")
    print(f"crash kinds: {len(crashes)}, crashing pages: {sum(c['count'] for c in crashes.values())}")
    for sig, c in sorted(crashes.items(), key=lambda kv: -kv[1]["count"]):
        print(f"  {c['count']:5d}  {sig}  (pages {c['pages'][:5]})")
        print(f"         repro: docparse.check(docparse.parse_text({c['minimal']!r}))")
    if args.json:
        args.json.write_text(json.dumps({"pages": args.pages, "seconds": round(seconds, 1), "crashes": crashes},
                                        ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
