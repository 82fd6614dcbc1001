"""Long fuzzing run: N generated administrative-looking texts (tests/fuzz_strategies.py) through parse_text + check.
Every exception other than a DocparseError, and every span off the text, is a crash; crashes are grouped by where
they are raised (exception class + innermost docparse frame), each group shrunk to a minimal repro. Reports inputs
tried, crashes, time (total, worst input, worst s/MB).

    python benchmarks/fuzz.py [--inputs 1000000] [--minutes 15] [--seed 0] [--engine hypothesis|recombine] [--json f]

One process, one core. Generation runs in chunks with fresh seeds so Hypothesis's memory stays flat. Drawing with
Hypothesis costs about twice the parse itself; `--engine recombine` draws 5 000 fragments once and then recombines
and mutates them with `random` (a mutation fuzzer on the same material), for about three times as many inputs.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from fuzz_strategies import (FRAGMENT, SEPARATORS, documents, encoded_documents, minimise,  # noqa: E402
                             parse_and_check, read_and_check, signature)

CHUNK = 5000


class _TimeUp(Exception):
    pass


def _size(value) -> int:
    return len(value) if isinstance(value, bytes) else len(value.encode("utf-8", "surrogatepass"))


def _retime(text, prop, times: int = 3) -> dict:
    """The best of a few runs of one slow input: a pause of a shared machine is not the parser's cost."""
    best = float("inf")
    for _ in range(times):
        t0 = time.perf_counter()
        try:
            prop(text)
        except Exception:  # noqa: BLE001 - timed either way
            pass
        best = min(best, time.perf_counter() - t0)
    size = _size(text)
    return {"seconds": round(best, 4), "chars": len(text), "s_per_mb": round(best / (size / 1e6), 1) if size else 0,
            "text": text if isinstance(text, str) else text.hex()}


_MUTATION_CHARS = "\x00\x0b\x0c\r\t\n\u00a0\u200b\ufeff\u0301\u0323\ud800…/.,%|-:0123456789ĐđÀàỦủ "


def fragment_pool(size: int, pool_seed: int) -> list[str]:
    """`size` fragments drawn by the Hypothesis strategies once; the recombine engine builds inputs from them."""
    pool: list[str] = []

    @settings(max_examples=size, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @seed(pool_seed)
    @given(FRAGMENT)
    def draw(fragment: str) -> None:
        pool.append(fragment)

    draw()
    return pool


def recombined(rnd: random.Random, pool: list[str]) -> str:
    """1–25 fragments with separators, sometimes one repeated on a long line, then 0–3 random edits (delete,
    duplicate or move a slice, insert a control/combining/odd character, change a digit)."""
    n = min(rnd.randint(1, 25), rnd.randint(1, 25))  # mostly short, like Hypothesis's lists
    text = "".join(rnd.choice(pool) + rnd.choice(SEPARATORS) for _ in range(n))
    if rnd.random() < 0.1:
        text += rnd.choice([" ", ", ", "\t", ""]).join([rnd.choice(pool)] * rnd.randint(2, 60))
    for _ in range(rnd.choice((0, 0, 1, 2, 3))):
        if not text:
            break
        i, j = sorted((rnd.randrange(len(text) + 1), rnd.randrange(len(text) + 1)))
        op = rnd.randrange(4)
        if op == 0:
            text = text[:i] + text[j:]
        elif op == 1:
            text = text[:j] + text[i:j] + text[j:]
        elif op == 2:
            text = text[:i] + rnd.choice(_MUTATION_CHARS) + text[i:]
        else:
            text = text[j:] + text[:i] + text[i:j]
    return text


def run(n_inputs: int, seconds: float, first_seed: int, engine: str = "hypothesis", target: str = "text") -> dict:
    """`target`: "text" (parse_text + check) or "bytes" (.txt bytes: encodings, damage; Hypothesis engine only)."""
    prop, strategy = (read_and_check, encoded_documents()) if target == "bytes" else (parse_and_check, documents())
    stats = {"inputs": 0, "bytes": 0, "crashes": {}, "engine": engine, "target": target}
    slow: list[tuple[float, str]] = []
    slow_rate: list[tuple[float, str]] = []
    parse_and_check("Số: 1/QĐ-UBND\nngày 05 tháng 01 năm 2025\nđạt 50%")  # warm: lexicons, compiled patterns
    start = time.monotonic()
    deadline = start + seconds

    def one(text: str) -> None:
        if time.monotonic() > deadline or stats["inputs"] >= n_inputs:
            raise _TimeUp
        t0 = time.perf_counter()
        sig = None
        try:
            prop(text)
        except Exception as e:  # noqa: BLE001
            sig = signature(e)
        dt = time.perf_counter() - t0
        size = _size(text)
        stats["inputs"] += 1
        stats["bytes"] += size
        slow.append((dt, text))
        if size >= 1000:  # s/MB means nothing on a ten-byte input (fixed costs)
            slow_rate.append((dt / (size / 1e6), text))
        if len(slow) > 64:  # keep the slowest few (a pause of the machine shows up here too: re-timed below)
            slow.sort(key=lambda x: -x[0])
            del slow[8:]
        if len(slow_rate) > 64:
            slow_rate.sort(key=lambda x: -x[0])
            del slow_rate[8:]
        if sig:
            c = stats["crashes"].setdefault(sig, {"count": 0, "first": text})
            c["count"] += 1

    chunk = 0
    pool = fragment_pool(5_000, first_seed) if engine == "recombine" else []
    while stats["inputs"] < n_inputs and time.monotonic() < deadline:
        try:
            if engine == "recombine" and target == "text":
                rnd = random.Random(first_seed * 7919 + chunk)
                for _ in range(CHUNK):
                    one(recombined(rnd, pool))
            else:
                settings(max_examples=min(CHUNK, n_inputs - stats["inputs"]), deadline=None, database=None,
                         phases=[Phase.generate], suppress_health_check=list(HealthCheck))(
                    seed(first_seed + chunk)(given(strategy)(one)))()
        except _TimeUp:
            break
        except Exception as e:  # noqa: BLE001 - a Hypothesis-level failure ends the chunk, not the run
            print(f"chunk {chunk}: {type(e).__name__}: {e}", file=sys.stderr)
        chunk += 1
        print(f"… {stats['inputs']} inputs, {len(stats['crashes'])} crash kinds, "
              f"{time.monotonic() - start:.0f} s", file=sys.stderr, flush=True)
    stats["seconds"] = round(time.monotonic() - start, 1)
    stats["slowest"] = [_retime(t, prop) for _, t in sorted(slow, key=lambda x: -x[0])[:5]]
    stats["slowest_per_mb"] = [_retime(t, prop) for _, t in sorted(slow_rate, key=lambda x: -x[0])[:5]]
    worst = max(stats["slowest"], key=lambda r: r["seconds"], default=None)
    stats["worst_s"], stats["worst_len"] = (worst["seconds"], worst["chars"]) if worst else (0.0, 0)
    stats["worst_s_per_mb"] = max((r["s_per_mb"] for r in stats["slowest_per_mb"]), default=0.0)
    stats["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return stats


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=1_000_000)
    ap.add_argument("--minutes", type=float, default=15.0, help="stop after this long even below --inputs")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--target", choices=["text", "bytes"], default="text",
                    help="text: parse_text + check; bytes: the same documents as damaged or legacy-encoded .txt bytes")
    ap.add_argument("--engine", choices=["hypothesis", "recombine"], default="hypothesis",
                    help="hypothesis: every input drawn by the strategies; recombine: fragments drawn once, then "
                         "recombined and mutated with random (about 3x more inputs per second)")
    ap.add_argument("--no-minimise", action="store_true", help="report the first crashing input of each kind as is")
    ap.add_argument("--json", type=Path, help="write the report (with the repro texts) to this file")
    args = ap.parse_args(argv)
    stats = run(args.inputs, args.minutes * 60, args.seed, args.engine, args.target)
    prop = read_and_check if args.target == "bytes" else parse_and_check
    for sig, c in stats["crashes"].items():
        c["minimal"] = c["first"] if args.no_minimise else minimise(c["first"], sig, prop=prop)
    print(f"inputs tried: {stats['inputs']} ({stats['bytes'] / 1e6:.1f} MB) in {stats['seconds']} s; "
          f"worst input {stats['worst_s']:.3f} s ({stats['worst_len']} chars); "
          f"worst {stats['worst_s_per_mb']:.1f} s/MB "
          f"on inputs ≥ 1 kB (slowest re-timed, best of 3); peak RSS {stats['peak_rss_mb']} MB")
    crashing = sum(c["count"] for c in stats["crashes"].values())
    print(f"crash kinds: {len(stats['crashes'])}, crashing inputs: {crashing}")
    for sig, c in sorted(stats["crashes"].items(), key=lambda kv: -kv[1]["count"]):
        print(f"  {c['count']:6d}  {sig}")
        call = ("docparse.pipeline.build_document(docparse.readers.txt.read_txt_bytes({!r}))"
                if args.target == "bytes" else "docparse.parse_text({!r})")
        print(f"          repro: docparse.check({call.format(c['minimal'])})")
    if args.json:
        for c in stats["crashes"].values():
            c["first"], c["minimal"] = (v if isinstance(v, str) else v.hex() for v in (c["first"], c["minimal"]))
        args.json.write_text(json.dumps(stats, indent=2), encoding="utf-8")  # ASCII: a repro may hold lone surrogates
    return 1 if stats["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
