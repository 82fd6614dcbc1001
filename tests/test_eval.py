"""Accuracy against the gold annotations (tests/gold) on the corpus: floors that must not regress.

The floors are below the targets on purpose; raise them as the parser improves."""
from __future__ import annotations

import json
import shutil

import pytest

import docparse
from docparse.eval import evaluate

REFERENCES_F1_FLOOR = 0.95   # doc_type + code + date
DATES_F1_FLOOR = 0.93        # (start, end)


@pytest.fixture(scope="module")
def result(gold_dir, corpus_dir):
    return evaluate(gold_dir, corpus_dir)


def test_every_gold_file_was_evaluated(result, gold_dir, corpus_dir):
    gold_files = sorted(gold_dir.glob("*.json"))
    missing = [p.name for p in gold_files
               if not (corpus_dir / json.loads(p.read_text(encoding="utf-8"))["file"]).exists()]
    assert not missing, f"gold files whose corpus document is absent: {missing}"
    assert sorted(result["files"]) == [p.stem for p in gold_files]


def test_overall_values_are_f1_triples(result):
    for key in ("doc_type+code+date", "code", "dates", "dates+kind"):
        p, r, f = result["overall"][key]
        assert 0.0 <= p <= 1.0 and 0.0 <= r <= 1.0 and 0.0 <= f <= 1.0
        assert f == pytest.approx(2 * p * r / (p + r) if p + r else 0.0)


def test_references_f1_floor(result):
    p, r, f = result["overall"]["doc_type+code+date"]
    assert f >= REFERENCES_F1_FLOOR, f"references (doc_type+code+date) F1 {f:.3f} (P {p:.3f}, R {r:.3f})"


def test_dates_f1_floor(result):
    p, r, f = result["overall"]["dates"]
    assert f >= DATES_F1_FLOOR, f"dates F1 {f:.3f} (P {p:.3f}, R {r:.3f})"


def test_evaluate_scores_perfect_predictions_as_one(tmp_path, samples_dir):
    """The evaluator itself: gold written from docparse's own output scores 1.0 everywhere."""
    corpus = tmp_path / "corpus"
    (corpus / "s").mkdir(parents=True)
    gold = tmp_path / "gold"
    gold.mkdir()
    for name in ("bc_cchc_2025.txt", "cv_dulieu.txt"):
        shutil.copy(samples_dir / name, corpus / "s" / name)
        doc = docparse.parse(corpus / "s" / name)
        h = doc.header
        entry = {
            "file": f"s/{name}",
            "header": {"doc_type": h.doc_type, "number": h.number, "symbol": h.symbol,
                       "date": h.date.isoformat() if h.date else h.date_partial, "place": h.place,
                       "issuer": h.issuer, "parent": h.parent, "signer": h.signer.name if h.signer else None},
            "citations": [{"doc_type": c.doc_type, "code": c.code, "name": c.name,
                           "date": c.date.isoformat() if c.date else getattr(c, "date_partial", None), "is_self": c.is_self}
                          for c in doc.citations],
            "dates": [{"text": d.text, "kind": d.kind, "start": d.start.isoformat() if d.start else None,
                       "end": d.end.isoformat() if d.end else None, "grain": d.grain} for d in doc.dates],
        }
        (gold / f"{name[:-4]}.json").write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
    res = evaluate(gold, corpus)
    assert sorted(res["files"]) == ["bc_cchc_2025", "cv_dulieu"]
    for key, (p, r, f) in res["overall"].items():
        assert (p, r, f) == (1.0, 1.0, 1.0), key
    for name, (ok, n) in res["header"].items():
        assert ok == n, name


def test_evaluate_penalises_a_wrong_date(tmp_path, samples_dir):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(samples_dir / "cv_dulieu.txt", corpus / "cv.txt")
    doc = docparse.parse(corpus / "cv.txt")
    cits = [{"doc_type": c.doc_type, "code": c.code, "name": c.name,
             "date": c.date.isoformat() if c.date else getattr(c, "date_partial", None), "is_self": c.is_self} for c in doc.citations]
    assert cits
    cits[0]["date"] = "1999-01-01"
    (gold / "cv.json").write_text(json.dumps({"file": "cv.txt", "citations": cits, "dates": []}), encoding="utf-8")
    res = evaluate(gold, corpus)
    n = len(cits)
    assert res["overall"]["code"][2] == 1.0
    assert res["overall"]["doc_type+code+date"][2] == pytest.approx((n - 1) / n)
