"""Precision and recall of the checks, measured against findings judged by hand (tests/gold/findings).

Two golds, both keyed by text, never by offsets, so they survive changes of the parser:
- `*judged.jsonl` (`judged.jsonl`, `format_judged.jsonl`, …): findings of `docparse check` on the whole corpus,
  each judged true or false with a reason. A finding is keyed by its code, its document and its evidence texts
  (whitespace folded); a finding whose key has no judgement is reported as unjudged, never guessed.
- `recall/<split>/*.json`: documents read in full before looking at docparse's output, with every inconsistency
  the reader saw (evidence text and the check codes that should report it). An inconsistency is found when a
  finding of one of those codes has evidence within `NEAR` characters of the evidence text.
`dev` documents may be tuned on; `heldout` ones are only reported.
"""
from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

from .schema import Finding

NEAR = 200
_WS = re.compile(r"\s+")


def _fold(text: str, limit: int = 160) -> str:
    return _WS.sub(" ", text.replace("*", "")).strip()[:limit]


def rel_path(path: str | None, corpus: Path) -> str | None:
    """'../shared/corpus/pool/x.md' → 'pool/x.md' (the gold never depends on where the corpus lies)."""
    if path is None:
        return None
    p = Path(path)
    try:
        return p.resolve().relative_to(corpus.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


def finding_key(f: Finding | dict, corpus: Path) -> str:
    f = f if isinstance(f, dict) else f.model_dump(mode="json")
    ev = sorted({(rel_path(e["document"], corpus) or "", _fold(e["text"], 120)) for e in f["spans"]})
    return json.dumps([f["code"], rel_path(f["document"], corpus), ev], ensure_ascii=False)


def load_judged(gold: Path) -> dict[str, dict]:
    """Every `*judged.jsonl` of the folder (one file per family of checks or per judging round)."""
    rows = (json.loads(line) for path in sorted(gold.glob("*judged.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return {r["key"]: r for r in rows}


def corpus_paths(corpus: Path) -> list[str]:
    return sorted(str(p) for d in ("seeds", "public", "pool") for p in (corpus / d).glob("*")
                  if p.suffix in (".txt", ".md"))


def precision(findings: list[Finding], judged: dict[str, dict], corpus: Path) -> dict:
    """Per code and per severity: findings, judged, true; precision over the judged ones."""
    per: dict[str, Counter] = defaultdict(Counter)
    unjudged: list[str] = []
    for f in findings:
        row = judged.get(finding_key(f, corpus))
        for name in (f.code, f"severity:{f.severity}"):
            per[name]["findings"] += 1
            if row is not None:
                per[name]["judged"] += 1
                per[name]["true"] += row["verdict"] == "true"
        if row is None and f.severity != "info":
            unjudged.append(finding_key(f, corpus))
    return {"per": {k: dict(v) for k, v in sorted(per.items())}, "unjudged": unjudged}


def _locate(text: str, evidence: str) -> tuple[int, int] | None:
    i = text.find(evidence)
    if i < 0:  # tolerate folded whitespace in the gold
        m = re.search(r"\s+".join(map(re.escape, evidence.split())), text)
        return (m.start(), m.end()) if m else None
    return i, i + len(evidence)


def recall(findings: list[Finding], gold: Path, corpus: Path) -> dict:
    """Per split: inconsistencies read by hand, how many a finding of an expected code points at."""
    by_doc: dict[str, list[Finding]] = defaultdict(list)
    for f in findings:
        for e in f.spans:
            by_doc[rel_path(e.document, corpus) or ""].append(f)
    out: dict[str, dict] = {}
    for path in sorted((gold / "recall").glob("*/*.json")):
        g = json.loads(path.read_text(encoding="utf-8"))
        split = out.setdefault(g["split"], {"documents": 0, "items": 0, "in_scope": 0, "found": 0, "high": 0,
                                            "high_found": 0, "high_in_scope": 0, "high_in_scope_found": 0,
                                            "missed": []})
        split["documents"] += 1
        text = (corpus / g["document"]).read_text(encoding="utf-8")
        for item in g["inconsistencies"]:
            split["items"] += 1
            codes = set(item.get("codes") or [])
            split["in_scope"] += bool(codes)
            where = _locate(text, item["evidence"])
            hit = where is not None and any(
                f.code in codes and any(rel_path(e.document, corpus) == g["document"]
                                        and e.span.start < where[1] + NEAR and e.span.end > where[0] - NEAR
                                        for e in f.spans)
                for f in by_doc[g["document"]])
            high = item.get("confidence", "high") == "high"
            split["high"] += high
            split["high_in_scope"] += high and bool(codes)
            if hit:
                split["found"] += 1
                split["high_found"] += high
                split["high_in_scope_found"] += high
            else:
                split["missed"].append(f"{g['document']}: {sorted(codes) or '-'} {item.get('confidence', 'high')} "
                                       f"{_fold(item['evidence'], 80)!r}"
                                       + ("" if where else " (evidence not in text)"))
    return out


def to_judge(findings: list[Finding], judged: dict[str, dict], corpus: Path, warnings_per_code: int,
             seed: int = 11) -> list[dict]:
    """Every unjudged error, and a random sample of each warning code's unjudged findings, with the text around
    each evidence span, for a person to judge."""
    todo = [f for f in findings if f.severity != "info" and finding_key(f, corpus) not in judged]
    rng = random.Random(seed)
    by_code: dict[str, list[Finding]] = defaultdict(list)
    for f in todo:
        by_code[f.code].append(f)
    picked = []
    for code, fs in sorted(by_code.items()):
        picked += fs if fs[0].severity == "error" else rng.sample(fs, min(warnings_per_code, len(fs)))
    rows = []
    for f in picked:
        context = []
        for e in f.spans[:6]:
            try:
                text = Path(e.document).read_text(encoding="utf-8") if e.document else ""
            except OSError:
                text = ""
            context.append(text[max(0, e.span.start - 300):e.span.end + 300])
        rows.append({"key": finding_key(f, corpus), "code": f.code, "severity": f.severity, "message": f.message,
                     "document": rel_path(f.document, corpus),
                     "evidence": [{"document": rel_path(e.document, corpus), "start": e.span.start,
                                   "text": e.text} for e in f.spans],
                     "context": context})
    return rows


def print_report(prec: dict, rec: dict) -> None:
    print("Precision (judged by hand; tests/gold/findings/judged.jsonl)")
    for name, c in prec["per"].items():
        j = c.get("judged", 0)
        p = f"{c.get('true', 0) / j:6.1%}" if j else "     –"
        print(f"  {name:34} P {p}  true {c.get('true', 0):4}/{j:<4} judged of {c['findings']:5} findings")
    print(f"  unjudged error/warning findings: {len(prec['unjudged'])}")
    print("Recall (documents read in full; tests/gold/findings/recall)")
    for split, s in sorted(rec.items()):
        print(f"  {split:8} {s['documents']} documents, {s['items']} inconsistencies: found {s['found']} = "
              f"{s['found'] / (s['items'] or 1):.1%}; with a check code {s['found']}/{s['in_scope']} = "
              f"{s['found'] / (s['in_scope'] or 1):.1%}; high confidence {s['high_found']}/{s['high']} = "
              f"{s['high_found'] / (s['high'] or 1):.1%}; high confidence with a check code "
              f"{s['high_in_scope_found']}/{s['high_in_scope']} = "
              f"{s['high_in_scope_found'] / (s['high_in_scope'] or 1):.1%}")
        for m in s["missed"]:
            print("      missed: " + m)


def evaluate_findings(gold: Path, corpus: Path) -> tuple[dict, dict, list[Finding]]:
    from . import check

    findings = check(corpus_paths(corpus))
    return precision(findings, load_judged(gold), corpus), recall(findings, gold, corpus), findings
