"""The HTTP API under a real uvicorn process on 127.0.0.1: latency of parse and check, then a bounded load test.

    python benchmarks/bench_api.py [--sequential 40] [--requests 400] [--concurrency 8] [--rounds 3]
                                   [--kinds txt,pdf,docx,check] [--json]

1. Latency (one request at a time): POST /v1/parse of a sample (.txt, .pdf, .docx) and POST /v1/check of two
   samples, p50 and p95 in ms.
2. Load: `--requests` requests (parse of each sample and check, in turn) from `--concurrency` threads, `--rounds`
   times, with /v1/health polled alongside (the event loop must keep answering while workers parse). Errors must be
   0 and the server's resident memory flat: RSS after warm-up and after each round.
"""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT / "samples"
PARSE = [SAMPLES / "bc_cchc_2025.txt", SAMPLES / "bc_cchc_2025.pdf", SAMPLES / "bc_cchc_2025.docx"]
CHECK = [SAMPLES / "bc_cchc_2025.txt", SAMPLES / "kh_cds_2026.txt"]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "docparse.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not answer /v1/health in 60 s")


def requests_of(kind: str):
    if kind == "check":
        return "/v1/check", [("files", (p.name, p.read_bytes())) for p in CHECK]
    path = PARSE[["txt", "pdf", "docx"].index(kind)]
    return "/v1/parse", {"file": (path.name, path.read_bytes())}


def timed(client: httpx.Client, kind: str) -> tuple[float, int]:
    url, files = requests_of(kind)
    t = time.perf_counter()
    r = client.post(url, files=files)
    return (time.perf_counter() - t) * 1000, r.status_code


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


KINDS = ("txt", "pdf", "docx", "check")


def latency(base: str, n: int, kinds) -> dict:
    out = {}
    with httpx.Client(base_url=base, timeout=120) as c:
        for kind in kinds:
            timed(c, kind)  # warm-up: imports, caches
            runs = [timed(c, kind) for _ in range(n)]
            if any(s != 200 for _, s in runs):
                raise SystemExit(f"{kind}: HTTP {sorted({s for _, s in runs})}")
            ms = [t for t, _ in runs]
            direct = [direct_ms(kind) for _ in range(n)]  # the same work in this process, at the same moment
            out[kind] = {"p50_ms": round(pct(ms, 50), 1), "p95_ms": round(pct(ms, 95), 1),
                         "in_process_p50_ms": round(pct(direct, 50), 1)}
    return out


def direct_ms(kind: str) -> float:
    """docparse.parse (or docparse.check) of the same bytes without HTTP: what the API adds is the difference."""
    import docparse

    t = time.perf_counter()
    if kind == "check":
        docparse.check([docparse.parse(p.read_bytes(), name=p.name) for p in CHECK])
    else:
        path = PARSE[["txt", "pdf", "docx"].index(kind)]
        docparse.parse(path.read_bytes(), name=path.name)
    return (time.perf_counter() - t) * 1000


def load(base: str, total: int, concurrency: int, kinds) -> dict:
    statuses: list[int] = []
    ms: list[float] = []
    health: list[float] = []
    done = threading.Event()
    local = threading.local()

    def one(i: int) -> None:
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=base, timeout=120)
        try:
            t, status = timed(local.client, kinds[i % len(kinds)])
        except httpx.HTTPError:
            t, status = 0.0, -1
        ms.append(t)
        statuses.append(status)

    def poll_health() -> None:
        with httpx.Client(base_url=base, timeout=30) as c:
            while not done.is_set():
                t = time.perf_counter()
                c.get("/v1/health")
                health.append((time.perf_counter() - t) * 1000)
                time.sleep(0.05)

    poller = threading.Thread(target=poll_health)
    poller.start()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(total)))
    wall = time.perf_counter() - t0
    done.set()
    poller.join()
    return {"requests": total, "concurrency": concurrency, "errors": sum(s != 200 for s in statuses),
            "wall_s": round(wall, 1), "throughput_rps": round(total / wall, 1),
            "p50_ms": round(pct(ms, 50), 1), "p95_ms": round(pct(ms, 95), 1),
            "health_p50_ms": round(pct(health, 50), 1), "health_p95_ms": round(pct(health, 95), 1),
            "health_max_ms": round(max(health), 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sequential", type=int, default=40, help="requests per kind for the latency figures")
    ap.add_argument("--requests", type=int, default=400, help="requests per load round")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--rounds", type=int, default=3, help="load rounds (memory must level off)")
    ap.add_argument("--kinds", default=",".join(KINDS), help="requests to time and mix: txt,pdf,docx,check")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    kinds = [k for k in args.kinds.split(",") if k in KINDS]
    port = free_port()
    proc = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        result = {"latency": latency(base, args.sequential, kinds)}
        result["rss_mb"] = {"after_warmup": round(rss_mb(proc.pid), 1)}
        for round_ in range(1, args.rounds + 1):
            result[f"load_{round_}"] = load(base, args.requests, args.concurrency, kinds)
            result["rss_mb"][f"after_load_{round_}"] = round(rss_mb(proc.pid), 1)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print("latency, one request at a time (ms):")
    for kind, v in result["latency"].items():
        label = "check (2 files)" if kind == "check" else f"parse {kind}"
        print(f"  {label:16} p50 {v['p50_ms']:7.1f}  p95 {v['p95_ms']:7.1f}   (in process, no HTTP: p50 "
              f"{v['in_process_p50_ms']:7.1f})")
    for round_ in range(1, args.rounds + 1):
        r = result[f"load_{round_}"]
        print(f"load round {round_}: {r['requests']} requests, concurrency {r['concurrency']}: errors {r['errors']}, "
              f"{r['wall_s']} s, {r['throughput_rps']} req/s, p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms; "
              f"/v1/health meanwhile p50 {r['health_p50_ms']} ms, p95 {r['health_p95_ms']} ms, "
              f"max {r['health_max_ms']} ms")
    print("server RSS (MB): " + ", ".join(f"{k} {v}" for k, v in result["rss_mb"].items()))
    errors = sum(result[f"load_{i}"]["errors"] for i in range(1, args.rounds + 1))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
