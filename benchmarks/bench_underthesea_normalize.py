"""underthesea's text_normalize against docparse's normalisation (NFC, Đ look-alikes, tone placement), word by
word over the corpus and the samples: where they disagree, and how fast each is. Issue 6 asked whether underthesea
adds value for tone/Unicode normalisation.

    python benchmarks/bench_underthesea_normalize.py [CORPUS_DIR]"""
from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docparse.normalize import normalize

_WORD = re.compile(r"[^\W\d_]+")


def main() -> None:
    from underthesea import text_normalize

    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    paths = sorted(corpus.glob("*/*.txt")) + sorted((ROOT / "samples").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    size = sum(len(t.encode()) for t in texts) / 1e6
    t0 = time.perf_counter()
    for t in texts:
        normalize(t)
    ours_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for t in texts:
        for line in t.splitlines():
            text_normalize(line)
    theirs_s = time.perf_counter() - t0
    words = Counter(w for t in texts for w in _WORD.findall(t))
    changed, differ = Counter(), []
    for w, n in words.items():
        ours, theirs = normalize(w).text, text_normalize(w)
        if ours != w or theirs != w:
            changed["ours" if ours != w else "theirs only"] += n
        if ours != theirs:
            differ.append((n, w, ours, theirs))
    print(f"{len(paths)} files, {size:.2f} MB, {sum(words.values())} words ({len(words)} distinct)")
    print(f"docparse normalize: {size / ours_s:.2f} MB/s; underthesea text_normalize (line by line): "
          f"{size / theirs_s:.2f} MB/s")
    print(f"words changed by docparse: {changed['ours']}; changed only by underthesea: {changed['theirs only']}")
    print(f"distinct words where the two disagree: {len(differ)} ({sum(n for n, *_ in differ)} occurrences)")
    # the same words decomposed (NFD, as some PDF and Mac tools write them): both should give back the clean word
    nfd = {w: unicodedata.normalize("NFD", w) for w in words}
    bad_ours = sum(1 for w in words if normalize(nfd[w]).text != normalize(w).text)
    bad_theirs = sum(1 for w in words if text_normalize(nfd[w]) != text_normalize(w))
    print(f"NFD copies of the {len(words)} distinct words not restored: docparse {bad_ours}, underthesea {bad_theirs}")
    for n, w, ours, theirs in sorted(differ, reverse=True)[:25]:
        nfc = "NFC" if unicodedata.is_normalized("NFC", w) else "not NFC"
        print(f"  {n:5}  {w!r} ({nfc}) → docparse {ours!r}, underthesea {theirs!r}")


if __name__ == "__main__":
    main()
