"""Scoring laws cited by name against hand-written gold (tests/gold/laws/{dev,heldout}.jsonl, format and matching
rule in tests/gold/laws/README.md).

    python -m docparse.eval_laws [--gold tests/gold/laws/dev.jsonl] [--corpus ../shared/corpus] [--json] [-v]

A prediction is a citation of a Luật, Bộ luật, Hiến pháp or Pháp lệnh that carries a name (named, or coded with its
name read before the number). It matches a gold mention of the same file whose lines are within one line of it and
whose name is the same (NFC, casefold, one space), or, for an amending law, whose targets are the same. Matching is
one-to-one, greedy in line order. A prediction on an annotated document that matches nothing is a false positive,
except a target named inside a gold amending law's title.

The gold also holds names a legal portal writes around a copied document (its summary above, its captions below);
those are the portal's words, not the document's citations, which are read in the body only. `outside_body` counts
them, and `recall_body` is the recall on the mentions in the document's own text.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .extract import detect_portal
from .laws import find_law_names
from .normalize import normalize
from .pipeline import parse

LAW_TYPES = frozenset({"Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh"})


def norm(name: str | None) -> str:
    return " ".join(unicodedata.normalize("NFC", name or "").casefold().replace("*", " ").split())


@dataclass
class Predicted:
    line: int
    name: str
    year: int | None
    code: str | None
    amends: frozenset[str]
    text: str


def amends_of(name: str) -> frozenset[str]:
    """The targets an amending law's name lists (empty for any other law)."""
    found = find_law_names(name)
    return frozenset(norm(t) for t in found[0].amends) if found and found[0].start == 0 else frozenset()


def predictions(doc) -> list[Predicted]:
    out = []
    for c in doc.citations:
        if c.is_self or not c.name or c.doc_type not in LAW_TYPES:
            continue
        line = doc.text.count("\n", 0, c.span.start) + 1
        out.append(Predicted(line, c.name, c.year, c.code, amends_of(c.name), c.text))
    return out


def score_file(gold: list[dict], pred: list[Predicted]) -> dict:
    """tp, fp, fn and the pairs for one document's gold mentions and predictions."""
    used: set[int] = set()
    pairs, missed = [], []
    for g in sorted(gold, key=lambda g: g["line"]):
        lo, hi = g["line"] - 1, g.get("end_line", g["line"]) + 1
        g_amends = frozenset(norm(t) for t in g.get("amends", ()))
        hit = next((i for i, p in sorted(enumerate(pred), key=lambda ip: ip[1].line) if i not in used
                    and lo <= p.line <= hi and (norm(p.name) == norm(g["name"]) or (g_amends and p.amends == g_amends))),
                   None)
        if hit is None:
            missed.append(g)
        else:
            used.add(hit)
            pairs.append((g, pred[hit]))
    extra = []
    for i, p in enumerate(pred):
        if i in used:
            continue
        if any(norm(p.name) in {norm(t) for t in g.get("amends", ())}
               and g["line"] <= p.line <= g.get("end_line", g["line"]) for g in gold):
            continue  # a target named inside the amending law's title: neither right nor wrong
        extra.append(p)
    return {"tp": len(pairs), "fp": len(extra), "fn": len(missed), "pairs": pairs, "missed": missed, "extra": extra}


def _code(code: str | None) -> str | None:
    return "".join(code.replace("*", "").split()) if code else None


def evaluate(gold_path: Path, corpus: Path) -> dict:
    by_file: dict[str, list[dict]] = {}
    for line in gold_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            g = json.loads(line)
            by_file.setdefault(g["file"], []).append(g)
    for f in _annotated_files(gold_path):
        by_file.setdefault(f, [])
    tp = fp = fn = year_ok = code_ok = lower_tp = lower_n = outside = outside_missed = 0
    files = {}
    for name, gold in sorted(by_file.items()):
        src = corpus / name
        if not src.exists():
            continue
        doc = parse(src)
        r = score_file(gold, predictions(doc))
        tp, fp, fn = tp + r["tp"], fp + r["fp"], fn + r["fn"]
        first, last = _body_lines(doc.text)
        out_of_body = [g for g in gold if not first <= g["line"] <= last]
        outside += len(out_of_body)
        outside_missed += sum(1 for g in r["missed"] if not first <= g["line"] <= last)
        year_ok += sum(g.get("year") == p.year for g, p in r["pairs"])
        code_ok += sum(_code(g.get("code")) == _code(p.code) for g, p in r["pairs"])
        lower_n += sum(bool(g.get("lower_case")) for g in gold)
        lower_tp += sum(bool(g.get("lower_case")) for g, _ in r["pairs"])
        files[name] = {"tp": r["tp"], "fp": r["fp"], "fn": r["fn"],
                       "missed": [f"{g['line']}: {g['name']}" for g in r["missed"]],
                       "extra": [f"{p.line}: {p.name} ← {' '.join(p.text.split())[:120]}" for p in r["extra"]],
                       "wrong_year": [f"{g['line']}: {g['name']} gold {g.get('year')} got {p.year}"
                                      for g, p in r["pairs"] if g.get("year") != p.year],
                       "wrong_code": [f"{g['line']}: {g['name']} gold {g.get('code')} got {p.code}"
                                      for g, p in r["pairs"] if _code(g.get("code")) != _code(p.code)]}
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    body_n = tp + fn - outside
    return {"gold": str(gold_path), "documents": len(files), "tp": tp, "fp": fp, "fn": fn,
            "precision": precision, "recall": recall, "outside_body": outside,
            "recall_body": (tp - (outside - outside_missed)) / body_n if body_n else 1.0,
            "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
            "year_accuracy": year_ok / tp if tp else 1.0, "code_accuracy": code_ok / tp if tp else 1.0,
            "lower_case_recall": lower_tp / lower_n if lower_n else 1.0, "lower_case_n": lower_n, "files": files}


def _body_lines(text: str) -> tuple[int, int]:
    """First and last line (1-based) of the document's own text inside a portal copy (all lines otherwise)."""
    norm_text = normalize(text).text
    layout = detect_portal(norm_text)
    return norm_text.count("\n", 0, layout.body_start) + 1, norm_text.count("\n", 0, layout.body_end) + 1


def _annotated_files(gold_path: Path) -> list[str]:
    """Every document annotated in the gold's set, those with no mention included (every prediction there is a
    false positive): the "## Documents" list of the README next to the gold ("dev (30): seeds/000_….txt (1),
    pool/ 001c610b2efdcf0c (20), …"), the paragraph that starts with the gold file's stem."""
    readme = gold_path.parent / "README.md"
    if not readme.exists():
        return []
    text = readme.read_text(encoding="utf-8")
    para = re.search(r"^" + re.escape(gold_path.stem) + r" \(\d+\):(.*?)(?:\n\n|\Z)", text, re.M | re.S)
    out, folder = [], ""
    for m in re.finditer(r"(?:(seeds|public|pool)/\s*)?([\w.\-]+)\s*\(\d+\)", para.group(1) if para else ""):
        folder = m.group(1) or folder
        name = m.group(2) if "." in m.group(2) else m.group(2) + ".md"
        out.append(f"{folder}/{name}")
    return out


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(prog="python -m docparse.eval_laws", description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=here / "tests" / "gold" / "laws" / "dev.jsonl")
    ap.add_argument("--corpus", type=Path, default=here.parent / "shared" / "corpus")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    r = evaluate(args.gold, args.corpus)
    if args.json:
        print(json.dumps(r, ensure_ascii=False, indent=1))
        return 0
    print(f"{r['gold']}: {r['documents']} documents, {r['tp'] + r['fn']} gold mentions, {r['tp'] + r['fp']} predicted")
    print(f"  precision {r['precision']:.1%}  recall {r['recall']:.1%}  F1 {r['f1']:.1%}  "
          f"(tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")
    print(f"  recall on the documents' own text {r['recall_body']:.1%} ({r['outside_body']} gold mentions are in a "
          "portal's summary or captions around the document)")
    print(f"  lower-case recall {r['lower_case_recall']:.1%} of {r['lower_case_n']}; on matched pairs: year "
          f"{r['year_accuracy']:.1%}, code {r['code_accuracy']:.1%}")
    if args.verbose:
        for name, f in r["files"].items():
            lines = [*(f"    missed  {x}" for x in f["missed"]), *(f"    extra   {x}" for x in f["extra"]),
                     *(f"    year    {x}" for x in f["wrong_year"]), *(f"    code    {x}" for x in f["wrong_code"])]
            if lines:
                print(f"  {name}")
                print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
