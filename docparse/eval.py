"""Evaluation against hand-written gold annotations (tests/gold/*.json, format in tests/gold/README.md).

    python -m docparse.eval [--gold tests/gold] [--corpus ../shared/corpus] [--json] [--verbose]

Prints precision / recall / F1 per field for references and dates, and header fields exact-match, per file and
overall. Matching is on multisets of normalised keys, so order and spans do not matter here (spans are tested
separately).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from pathlib import Path

from .normalize import canonical, fold
from .pipeline import parse

HEADER_FIELDS = ["doc_type", "number", "symbol", "date", "place", "issuer", "parent", "signer"]
CITATION_KEYS = {
    "code": lambda c: (_code(c),),
    "doc_type+code": lambda c: (c["doc_type"], _code(c)),
    "code+date": lambda c: (_code(c), c["date"]),
    "doc_type+code+date": lambda c: (c["doc_type"], _code(c), c["date"]),
}


def _code(c: dict) -> str:
    if c.get("code"):
        return re.sub(r"\s+", "", canonical(c["code"])).upper()
    return "LAW:" + fold(c.get("name") or "")


def _citation_dicts(doc) -> list[dict]:
    out = []
    for c in doc.citations:
        name = None
        if c.name:
            name = c.name
        out.append({"doc_type": c.doc_type, "code": c.code, "name": name,
                    "date": c.date.isoformat() if c.date else c.date_partial, "is_self": c.is_self})
    return out


def _date_key(d: dict):
    return (d.get("start"), d.get("end"))


def _unmatched(items: list[dict], left: Counter, key) -> list[str]:
    out = []
    for d in items:
        k = key(d)
        if left[k] > 0:
            left[k] -= 1
            out.append(f"{d['text']} {k}")
    return out


def _prf(pred: Counter, gold: Counter) -> tuple[int, int, int]:
    tp = sum((pred & gold).values())
    return tp, sum(pred.values()), sum(gold.values())


def _f1(tp: int, np_: int, ng: int) -> tuple[float, float, float]:
    p = tp / np_ if np_ else 1.0
    r = tp / ng if ng else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _header_value(doc, name: str):
    h = doc.header
    if name == "date":
        return h.date.isoformat() if h.date else h.date_partial
    if name == "signer":
        return h.signer.name if h.signer else None
    return getattr(h, name)


def _same(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return " ".join(canonical(str(a)).split()).upper() == " ".join(canonical(str(b)).split()).upper()


def _gold_documents(gold_dir: Path, corpus_dir: Path):
    """(gold file, gold, parsed document) for each gold file whose corpus document is present."""
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        src = corpus_dir / gold["file"]
        if src.exists():
            yield gold_path, gold, parse(src)


def evaluate(gold_dir: Path, corpus_dir: Path, verbose: bool = False) -> dict:
    totals: dict[str, list[int]] = {k: [0, 0, 0] for k in list(CITATION_KEYS) + ["dates", "dates+kind"]}
    header_ok: Counter = Counter()
    header_n: Counter = Counter()
    files = {}
    for gold_path, gold, doc in _gold_documents(gold_dir, corpus_dir):
        pred_c = _citation_dicts(doc)
        entry: dict = {"citations": {}, "dates": {}, "header": {}}
        for key, fn in CITATION_KEYS.items():
            p, g = Counter(map(fn, pred_c)), Counter(map(fn, gold.get("citations", [])))
            tp, np_, ng = _prf(p, g)
            for i, v in enumerate((tp, np_, ng)):
                totals[key][i] += v
            entry["citations"][key] = _f1(tp, np_, ng)
            if verbose and key == "doc_type+code+date":
                entry["missing"] = sorted(map(str, (g - p).elements()))
                entry["extra"] = sorted(map(str, (p - g).elements()))
        pred_d = [{"start": d.start.isoformat() if d.start else None, "end": d.end.isoformat() if d.end else None,
                   "kind": d.kind, "text": d.text} for d in doc.dates]
        gold_d = gold.get("dates", [])
        for key, fn in (("dates", _date_key), ("dates+kind", lambda d: (_date_key(d), d.get("kind")))):
            p, g = Counter(map(fn, pred_d)), Counter(map(fn, gold_d))
            tp, np_, ng = _prf(p, g)
            for i, v in enumerate((tp, np_, ng)):
                totals[key][i] += v
            entry["dates"][key] = _f1(tp, np_, ng)
            if verbose and key == "dates":
                missing = g - p
                extra = p - g
                entry["dates_missing"] = _unmatched(gold_d, missing, fn)
                entry["dates_extra"] = _unmatched(pred_d, extra, fn)
        for name in HEADER_FIELDS:
            if name not in gold.get("header", {}):
                continue
            ok = _same(_header_value(doc, name), gold["header"][name])
            header_n[name] += 1
            header_ok[name] += ok
            entry["header"][name] = ok if ok else f"{_header_value(doc, name)!r} ≠ {gold['header'][name]!r}"
        files[gold_path.stem] = entry
    overall = {k: _f1(*v) for k, v in totals.items()}
    return {"files": files, "overall": overall, "counts": totals,
            "header": {k: (header_ok[k], header_n[k]) for k in header_n}}


def _print(result: dict, verbose: bool) -> None:
    print(f"{'file':34} {'cit P':>6} {'cit R':>6} {'cit F1':>6} {'date F1':>7}  header")
    for name, e in result["files"].items():
        p, r, f = e["citations"]["doc_type+code+date"]
        df = e["dates"]["dates"][2]
        bad = [f"{k}: {v}" for k, v in e["header"].items() if v is not True]
        print(f"{name[:34]:34} {p:6.1%} {r:6.1%} {f:6.1%} {df:7.1%}  {'ok' if not bad else '; '.join(bad)}")
        if verbose:
            for k in ("missing", "extra", "dates_missing", "dates_extra"):
                if e.get(k):
                    print(f"    {k}: {e[k]}")
    print("\noverall (micro):")
    for k, (p, r, f) in result["overall"].items():
        tp, np_, ng = result["counts"][k]
        print(f"  {k:22} P {p:6.1%}  R {r:6.1%}  F1 {f:6.1%}   (tp {tp}, predicted {np_}, gold {ng})")
    print("header fields exact:")
    for k, (ok, n) in result["header"].items():
        print(f"  {k:10} {ok}/{n}")


def _num_key(v) -> float | None:
    return None if v is None else round(float(v), 4)


def _unit_key(u: str | None) -> str:
    """Units compare without case and punctuation: "phản ánh, kiến nghị" = "phản ánh kiến nghị"."""
    return " ".join(canonical(u or "").lower().replace("*", "").replace(",", " ").split())


def evaluate_indicators(gold_dir: Path, corpus_dir: Path, verbose: bool = False) -> dict:
    """P/R/F1 on (value, kind, unit) of indicators and on (code, value) of statistical rows."""
    keys = {"value+kind+unit": lambda d: (_num_key(d["value"]), d["kind"], _unit_key(d.get("unit"))),
            "value+kind": lambda d: (_num_key(d["value"]), d["kind"]),
            "value": lambda d: (_num_key(d["value"]),)}
    totals = {k: [0, 0, 0] for k in list(keys) + ["table code+value", "labels judged equal"]}
    files = {}
    for gold_path, gold, doc in _gold_documents(gold_dir, corpus_dir):
        skip = [(r["first_line"], r["last_line"]) for r in gold.get("table_regions", [])]

        def line_of(span) -> int:
            return doc.text.count("\n", 0, span.start) + 1

        pred = [{"value": i.value, "kind": i.kind, "unit": i.unit, "label": i.label, "text": i.text}
                for i in doc.indicators if not any(a <= line_of(i.span) <= b for a, b in skip)]
        entry = {}
        for name, fn in keys.items():
            p, g = Counter(map(fn, pred)), Counter(map(fn, gold.get("indicators", [])))
            tp, np_, ng = _prf(p, g)
            for i, v in enumerate((tp, np_, ng)):
                totals[name][i] += v
            entry[name] = _f1(tp, np_, ng)
            if verbose and name == "value+kind+unit":
                entry["missing"] = [str(k) for k in (g - p).elements()]
                entry["extra"] = [str(k) for k in (p - g).elements()]
        rows_p = Counter((r.code, _num_key(r.value)) for r in doc.stat_rows if r.value is not None)
        rows_g = Counter((r["code"], _num_key(r.get("value"))) for r in gold.get("tables", []) if r.get("value") is not None)
        tp, np_, ng = _prf(rows_p, rows_g)
        for i, v in enumerate((tp, np_, ng)):
            totals["table code+value"][i] += v
        entry["table code+value"] = _f1(tp, np_, ng)
        from rapidfuzz import fuzz

        gold_by_value: dict = {}
        for g in gold.get("indicators", []):
            gold_by_value.setdefault(keys["value+kind+unit"](g), []).append(g.get("label") or "")
        same = judged = 0
        for p in pred:
            labels = gold_by_value.get(keys["value+kind+unit"](p))
            if labels:
                judged += 1
                same += max(fuzz.token_set_ratio(p["label"] or "", lab) for lab in labels) >= 80
        totals["labels judged equal"][0] += same
        totals["labels judged equal"][1] += judged
        totals["labels judged equal"][2] += judged
        files[gold_path.stem] = entry
    return {"files": files, "overall": {k: _f1(*v) for k, v in totals.items()}, "counts": totals}


_TASK_FIELDS = ["index", "title", "lead", "coordinators", "product", "deadline_text", "result", "assigning_document",
                "note"]


def _cell_norm(v) -> str:
    if isinstance(v, list):
        v = "; ".join(v)
    s = " ".join(canonical(str(v or "")).replace("*", "").split()).strip(" .;").lower()
    return re.sub(r"(?<=\S)-\s+", "-", s)  # "35/KH-\nUBND" is one code, however a cell was collapsed


def _pair_rows(pred: list, gold: list[dict]):
    """Gold rows paired with predicted rows: by the title's digest where it matches, else in order among the rows
    left (a row whose title differs is still compared cell by cell)."""
    by_title: dict[str, list[int]] = {}
    for k, t in enumerate(pred):
        by_title.setdefault(cell_digest(t.title), []).append(k)
    used: set[int] = set()
    pairs = []
    for g in gold:
        ks = [k for k in by_title.get(g["title"], []) if k not in used]
        pairs.append([ks[0] if ks else None, g])
        if ks:
            used.add(ks[0])
    free = iter(k for k in range(len(pred)) if k not in used)
    for p in pairs:
        if p[0] is None:
            p[0] = next(free, None)
    return [(pred[k] if k is not None else None, g) for k, g in pairs]


def cell_digest(v) -> str:
    """What the task gold stores for a cell: a digest of its normalised text, so the gold carries no document text."""
    import hashlib

    return hashlib.sha1(_cell_norm(v).encode("utf-8")).hexdigest()[:16]


def evaluate_tasks(gold_dir: Path, corpus_dir: Path, verbose: bool = False) -> dict:
    """Rows found, cells exact (after whitespace normalisation) and deadlines read right, per file."""

    files, tot = {}, {"rows_gold": 0, "rows_found": 0, "rows_pred": 0, "cells": 0, "cells_ok": 0, "deadlines": 0,
                      "deadlines_ok": 0}
    for gold_path, gold, doc in _gold_documents(gold_dir, corpus_dir):
        stop = gold.get("stopped_at_line")
        pred = [t for t in doc.tasks if t.source == "table" and (not stop or doc.text.count("\n", 0, t.span.start) + 1 < stop)]
        e = {"rows_gold": len(gold["tasks"]), "rows_found": 0, "rows_pred": len(pred), "cells": 0, "cells_ok": 0,
             "deadlines": 0, "deadlines_ok": 0, "bad_cells": []}
        for t, g in _pair_rows(pred, gold["tasks"]):
            if t is None:
                e["bad_cells"].append(f"row not found: {g.get('index')} (line {g.get('line')})")
                continue
            e["rows_found"] += 1
            for f in _TASK_FIELDS:
                if f not in g:
                    continue
                ok = (g[f] == (getattr(t, f) or None)) if f == "index" else g[f] == cell_digest(getattr(t, f))
                e["cells"] += 1
                e["cells_ok"] += ok
                if not ok and verbose:
                    e["bad_cells"].append(f"{g.get('index')} {f}: {str(getattr(t, f))[:60]!r}")
            gd = g.get("deadline")
            if gd:
                e["deadlines"] += 1
                pd = t.deadline
                ok = pd is not None and (str(pd.start) if pd.start else None) == gd.get("start") and \
                    (str(pd.end) if pd.end else None) == gd.get("end")
                e["deadlines_ok"] += ok
                if not ok and verbose:
                    e["bad_cells"].append(f"{g.get('index')} deadline: {pd and (pd.kind, pd.start, pd.end)} ≠ {gd}")
        files[gold_path.stem] = e
        for k in tot:
            tot[k] += e[k]
    return {"files": files, "overall": tot}


def _main_nlp(args) -> int:
    from .eval_nlp import evaluate_assignments, evaluate_ner

    if args.assignments:
        result = evaluate_assignments(args.gold / "assignments", args.corpus, parse, args.verbose)
        for name, e in list(result["files"].items()) + [("overall", result["overall"])]:
            n = e["gold"] or 1
            print(f"{name[:34]:34} found {e['found']}/{e['gold']} (predicted {e['pred']}, extra {e['extra']}), "
                  f"lead {e['lead_ok'] / n:.1%}, deadline {e['deadline_ok'] / n:.1%}, exact {e['exact'] / n:.1%}")
            for note in e.get("notes", []) if args.verbose else []:
                print("    " + note)
        return 0
    from .ner import load_model, model_entities, underthesea_entities

    if args.ner in ("model", "hybrid") and load_model() is None:
        print("không có mô hình trong docparse/models/ner (chạy: make model)", file=sys.stderr)
        return 2

    def predict(path):
        if args.ner in ("rules", "hybrid"):
            doc = parse(path, entities=args.ner)
            return doc.text, [(e.label, e.span.start, e.span.end) for e in doc.entities]
        text = path.read_text(encoding="utf-8")
        found = model_entities(text) if args.ner == "model" else underthesea_entities(text)
        return text, [(e.label, e.span.start, e.span.end) for e in found]
    result = evaluate_ner(args.gold / args.ner_set, args.corpus, predict, args.verbose)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for name, per in list(result["files"].items()) + [("overall", result["overall"])]:
        print(f"{name[:34]:34} " + "  ".join(f"{lab} P {v['p']:.1%} R {v['r']:.1%} F1 {v['f1']:.1%} ({v['gold']})"
                                             for lab, v in per.items()))
        for kind in ("missed", "extra"):
            if args.verbose and name in result["errors"]:
                print(f"    {kind}: " + " | ".join(result["errors"][name][kind]))
    return 0


def _main_findings(args) -> int:
    from .eval_findings import evaluate_findings, load_judged, print_report, to_judge

    gold = args.gold if args.gold.name == "findings" else args.gold / "findings"
    prec, rec, findings = evaluate_findings(gold, args.corpus)
    if args.to_judge:
        rows = to_judge(findings, load_judged(gold), args.corpus, args.per_code)
        args.to_judge.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{len(rows)} findings to judge → {args.to_judge}")
    if args.json:
        print(json.dumps({"precision": prec, "recall": rec}, ensure_ascii=False, indent=2))
    else:
        print_report(prec, rec)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m docparse.eval", description=__doc__.splitlines()[0])
    here = Path(__file__).resolve().parent.parent
    ap.add_argument("--gold", type=Path, default=here / "tests" / "gold")
    ap.add_argument("--corpus", type=Path, default=here.parent / "shared" / "corpus")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--verbose", "-v", action="store_true")
    ap.add_argument("--indicators", action="store_true", help="evaluate indicators (tests/gold/indicators)")
    ap.add_argument("--tasks", action="store_true", help="evaluate task rows (tests/gold/tasks)")
    ap.add_argument("--ner", choices=["rules", "model", "hybrid", "underthesea"],
                    help="evaluate entities (tests/gold/ner): rules, the model in docparse/models/ner, both, or "
                         "underthesea's NER")
    ap.add_argument("--ner-set", choices=["ner", "ner-dev"], default="ner",
                    help="entity gold: ner = the held-out documents (reported), ner-dev = the dev documents (for "
                         "choosing between models; never trained on)")
    ap.add_argument("--assignments", action="store_true", help="evaluate prose assignments (tests/gold/assignments)")
    ap.add_argument("--findings", action="store_true",
                    help="precision per check code and recall of the checks on the whole corpus (tests/gold/findings)")
    ap.add_argument("--to-judge", type=Path, metavar="FILE",
                    help="with --findings: write the unjudged errors and a sample of each warning code (JSON lines, "
                         "with context) to FILE for judging by hand")
    ap.add_argument("--per-code", type=int, default=25, help="with --to-judge: warnings sampled per code")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"không tìm thấy thư mục corpus: {args.corpus}", file=sys.stderr)
        return 2
    if not args.gold.is_dir():  # an installed docparse has no tests/gold: evaluation runs in a checkout
        print(f"không tìm thấy thư mục chú giải chuẩn (gold): {args.gold}; chạy trong bản sao mã nguồn của docparse "
              "hoặc chỉ ra bằng --gold", file=sys.stderr)
        return 2
    if args.ner or args.assignments:
        return _main_nlp(args)
    if args.findings:
        return _main_findings(args)
    if args.tasks:
        gold = args.gold if args.gold.name == "tasks" else args.gold / "tasks"
        result = evaluate_tasks(gold, args.corpus, args.verbose)
        for name, e in list(result["files"].items()) + [("overall", result["overall"])]:
            print(f"{name[:34]:34} rows {e['rows_found']}/{e['rows_gold']} (predicted {e['rows_pred']}), "
                  f"cells exact {e['cells_ok']}/{e['cells']} = {e['cells_ok'] / (e['cells'] or 1):.1%}, "
                  f"deadlines {e['deadlines_ok']}/{e['deadlines']}")
            for b in e.get("bad_cells", [])[:40] if args.verbose else []:
                print("    " + b)
        return 0
    if args.indicators:
        gold = args.gold if args.gold.name == "indicators" else args.gold / "indicators"
        result = evaluate_indicators(gold, args.corpus, args.verbose)
        if args.json:
            print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
            return 0
        for name, e in result["files"].items():
            print(name, {k: f"{v[2]:.1%}" for k, v in e.items() if isinstance(v, tuple)})
            if args.verbose:
                print("   missing:", e.get("missing"))
                print("   extra:  ", e.get("extra"))
        for k, (p, r, f) in result["overall"].items():
            tp, np_, ng = result["counts"][k]
            print(f"  {k:22} P {p:6.1%}  R {r:6.1%}  F1 {f:6.1%}   (tp {tp}, predicted {np_}, gold {ng})")
        return 0
    result = evaluate(args.gold, args.corpus, args.verbose)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    else:
        _print(result, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
