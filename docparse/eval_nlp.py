"""Evaluation of the NLP layer (issue 6) against hand-made gold: entities (tests/gold/ner, offsets into the corpus
file) and prose assignments (tests/gold/assignments). Called from `python -m docparse.eval --ner|--assignments`."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .normalize import canonical

LABELS = ("ORG", "PER", "LOC")


def _trimmed(text: str, a: int, b: int) -> tuple[int, int]:
    """Span edges off spaces and Markdown stars, so "**Bộ Y tế**" and "Bộ Y tế" are the same mention."""
    while a < b and text[a] in " \t\n*":
        a += 1
    while b > a and text[b - 1] in " \t\n*":
        b -= 1
    return a, b


def _prf(tp: int, np_: int, ng: int) -> dict:
    p, r = tp / np_ if np_ else 0.0, tp / ng if ng else 0.0
    return {"tp": tp, "pred": np_, "gold": ng, "p": p, "r": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def evaluate_ner(gold_dir: Path, corpus_dir: Path, predict, verbose: bool = False) -> dict:
    """Exact-span P/R/F1 per label. `predict(path) -> (text, [(label, start, end), …])`."""
    counts = {lab: Counter() for lab in LABELS}
    files, errors = {}, {}
    for gp in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        path = corpus_dir / gold["file"]
        if not path.exists():
            continue
        text, spans = predict(path)
        g = {(e["label"], *_trimmed(text, e["start"], e["end"])) for e in gold["entities"]}
        p = {(lab, *_trimmed(text, a, b)) for lab, a, b in spans}
        per = {}
        for lab in LABELS:
            gl, pl = {x for x in g if x[0] == lab}, {x for x in p if x[0] == lab}
            c = Counter(tp=len(gl & pl), pred=len(pl), gold=len(gl))
            counts[lab].update(c)
            per[lab] = _prf(c["tp"], c["pred"], c["gold"])
        files[gp.stem] = per
        if verbose:
            show = lambda xs: sorted(f"{lab}:{' '.join(text[a:b].split())}" for lab, a, b in xs)  # noqa: E731
            errors[gp.stem] = {"missed": show(g - p), "extra": show(p - g)}
    overall = {lab: _prf(c["tp"], c["pred"], c["gold"]) for lab, c in counts.items()}
    total = sum(counts.values(), Counter())
    overall["all"] = _prf(total["tp"], total["pred"], total["gold"])
    return {"files": files, "overall": overall, "errors": errors}


def _lead_key(s: str | None) -> str:
    s = " ".join(canonical(s or "").replace("*", "").split()).strip(" :,;.").lower()
    return s


def evaluate_assignments(gold_dir: Path, corpus_dir: Path, parse, verbose: bool = False) -> dict:
    """Gold clauses found (same line), lead exact (case-insensitive), deadline exact (kind aside: start and end),
    and both at once — the issue's "exact"."""
    files, tot = {}, Counter()
    for gp in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        path = corpus_dir / gold["file"]
        if not path.exists():
            continue
        doc = parse(path)
        pred = [t for t in doc.tasks if t.source == "prose"]
        by_line = {}
        for t in pred:
            by_line.setdefault(doc.text.count("\n", 0, t.span.start) + 1, []).append(t)
        e, notes = Counter(gold=len(gold["assignments"]), pred=len(pred)), []
        for g in gold["assignments"]:
            cands = by_line.get(g["line"], [])
            if not cands:
                notes.append(f"line {g['line']}: not found ({g['lead']})")
                continue
            t = cands.pop(0)
            e["found"] += 1
            lead_ok = _lead_key(t.lead) == _lead_key(g["lead"])
            gd, pd = g.get("deadline"), t.deadline
            dl_ok = (gd is None and pd is None) or (gd is not None and pd is not None and
                                                     (str(pd.start) if pd.start else None) == gd["start"] and
                                                     (str(pd.end) if pd.end else None) == gd["end"])
            e["lead_ok"] += lead_ok
            e["deadline_ok"] += dl_ok
            e["exact"] += lead_ok and dl_ok
            if not (lead_ok and dl_ok):
                notes.append(f"line {g['line']}: lead {t.lead!r} vs {g['lead']!r}; deadline "
                             f"{pd and (pd.kind, str(pd.start), str(pd.end))} vs {gd and (gd['kind'], gd['start'], gd['end'])}")
        e["extra"] = sum(len(v) for v in by_line.values())
        if verbose:
            notes += [f"line {ln}: extra ({t.lead})" for ln, ts in sorted(by_line.items()) for t in ts]
        files[gp.stem] = {**e, "notes": notes}
        tot.update(e)
    return {"files": files, "overall": dict(tot)}
