"""Full-output snapshot of the parser, for refactors that must not change any record (speed work, issue 17).

    python scripts/output_snapshot.py write SNAP.jsonl [--corpus ../shared/corpus]
    python scripts/output_snapshot.py compare SNAP.jsonl [--show FILE:LAYER]

`write` parses every document of the corpus (.txt, .md) and every bundled sample (.txt, .docx, .pdf) and stores, per
document, the full `model_dump(mode="json")` of each layer. `compare` parses again and reports, per layer, how many
documents differ and which, so a diff points to the layer (and its owner) that changed; `--show` prints the first
differing records of one document's layer. Exit status 1 when anything differs.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import docparse  # noqa: E402

SKIP = {"source"}  # where the file was read from, not what was parsed


def inputs(corpus: Path) -> list[Path]:
    files = sorted(f for f in corpus.rglob("*") if f.suffix in (".txt", ".md") and f.name != "README.md") \
        if corpus.is_dir() else []
    return files + sorted(f for f in (ROOT / "samples").rglob("*") if f.suffix in (".txt", ".docx", ".pdf"))


def layers(path: Path) -> dict:
    doc = docparse.parse(path)
    dumped = doc.model_dump(mode="json")
    return {k: v for k, v in dumped.items() if k not in SKIP}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("action", choices=["write", "compare"])
    ap.add_argument("snapshot", type=Path)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--show", help="FILE:LAYER — print the differing records of one document's layer")
    args = ap.parse_args()
    files = inputs(args.corpus)
    key = {f: str(f.relative_to(args.corpus) if f.is_relative_to(args.corpus) else f.relative_to(ROOT)) for f in files}
    if args.action == "write":
        with args.snapshot.open("w", encoding="utf-8") as out:
            for f in files:
                out.write(json.dumps({"file": key[f], "layers": layers(f)}, ensure_ascii=False) + "\n")
        print(f"{len(files)} documents written to {args.snapshot}")
        return 0
    old = {}
    with args.snapshot.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            old[row["file"]] = row["layers"]
    differ: dict[str, list[str]] = defaultdict(list)
    missing = [k for k in old if k not in key.values()]
    for f in files:
        name = key[f]
        if name not in old:
            differ["(new document)"].append(name)
            continue
        new = layers(f)
        for layer in sorted(set(new) | set(old[name])):
            if new.get(layer) != old[name].get(layer):
                differ[layer].append(name)
                if args.show == f"{name}:{layer}":
                    _show(old[name].get(layer), new.get(layer))
    for name in missing:
        differ["(document gone)"].append(name)
    if not differ:
        print(f"identical: {len(files)} documents, every layer")
        return 0
    for layer, names in sorted(differ.items()):
        print(f"{layer}: {len(names)} documents differ, e.g. {', '.join(names[:4])}")
    return 1


def _show(old, new) -> None:
    if isinstance(old, list) and isinstance(new, list):
        shown = 0
        for i in range(max(len(old), len(new))):
            a = old[i] if i < len(old) else None
            b = new[i] if i < len(new) else None
            if a != b and shown < 5:
                print(f"  [{i}] before: {json.dumps(a, ensure_ascii=False)[:600]}")
                print(f"  [{i}] after:  {json.dumps(b, ensure_ascii=False)[:600]}")
                shown += 1
        print(f"  lengths before/after: {len(old)} / {len(new)}")
    else:
        print(f"  before: {json.dumps(old, ensure_ascii=False)[:1500]}")
        print(f"  after:  {json.dumps(new, ensure_ascii=False)[:1500]}")


if __name__ == "__main__":
    sys.exit(main())
