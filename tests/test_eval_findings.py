"""The findings gold: judgements keyed by text survive a moved corpus; recall needs the right code near the
evidence. A fictional two-document corpus, written for this test."""
from __future__ import annotations

import json

import pytest

import docparse
from docparse.eval import main as eval_main
from docparse.eval_findings import finding_key, load_judged, precision, recall, to_judge

HEADER = ("ỦY BAN NHÂN DÂN\nTỈNH AN HÒA\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
          "Số: {n}/KH-UBND\n\nAn Hòa, ngày 10 tháng 3 năm 2025\n\nKẾ HOẠCH\n{title}\n\n")


@pytest.fixture()
def tiny(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "pool").mkdir(parents=True)
    (corpus / "pool" / "a.md").write_text(
        HEADER.format(n=12, title="Tổ chức hội nghị") + "I. MỤC ĐÍCH\nHội nghị họp ngày 31/4/2025 tại hội trường.\n",
        encoding="utf-8")
    (corpus / "pool" / "b.md").write_text(
        HEADER.format(n=13, title="Kiểm tra") + "I. MỤC ĐÍCH\nKiểm tra xong ngày 30/02/2025.\n", encoding="utf-8")
    gold = tmp_path / "findings"
    (gold / "recall" / "dev").mkdir(parents=True)
    return corpus, gold


def _findings(corpus):
    return [f for f in docparse.check(sorted(str(p) for p in (corpus / "pool").glob("*.md")))
            if f.code == "date.invalid"]


def test_precision_counts_only_judged_findings(tiny):
    corpus, gold = tiny
    fs = _findings(corpus)
    assert len(fs) == 2
    judged = {finding_key(fs[0], corpus): {"key": finding_key(fs[0], corpus), "verdict": "true", "reason": "x"}}
    (gold / "judged.jsonl").write_text(json.dumps(next(iter(judged.values()))) + "\n", encoding="utf-8")
    prec = precision(fs, load_judged(gold), corpus)
    assert prec["per"]["date.invalid"] == {"findings": 2, "judged": 1, "true": 1}
    assert prec["unjudged"] == [finding_key(fs[1], corpus)]
    rows = to_judge(fs, load_judged(gold), corpus, warnings_per_code=5)
    assert [r["key"] for r in rows] == [finding_key(fs[1], corpus)]  # errors: every unjudged one
    assert "30/02/2025" in rows[0]["context"][0]


def test_key_does_not_depend_on_where_the_corpus_lies(tiny, tmp_path):
    corpus, _ = tiny
    key = finding_key(_findings(corpus)[0], corpus)
    assert str(tmp_path) not in key and "pool/a.md" in key


def test_recall_needs_the_expected_code_near_the_evidence(tiny):
    corpus, gold = tiny
    (gold / "recall" / "dev" / "a.json").write_text(json.dumps({
        "document": "pool/a.md", "split": "dev", "read_in_full": True, "inconsistencies": [
            {"evidence": "31/4/2025", "codes": ["date.invalid"], "description": "no 31 April"},
            {"evidence": "31/4/2025", "codes": ["citation.conflict"], "description": "wrong code on purpose"},
            {"evidence": "Tổ chức hội nghị", "codes": [], "description": "no check for this"}]}), encoding="utf-8")
    rec = recall(_findings(corpus), gold, corpus)["dev"]
    assert (rec["documents"], rec["items"], rec["in_scope"], rec["found"]) == (1, 3, 2, 1)
    assert (rec["high_in_scope"], rec["high_in_scope_found"]) == (2, 1)
    assert len(rec["missed"]) == 2


def test_eval_command_prints_both_measures(tiny, capsys):
    corpus, gold = tiny
    assert eval_main(["--findings", "--gold", str(gold), "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert "date.invalid" in out and "unjudged error/warning findings: 2" in out


def test_eval_without_gold_says_what_is_missing(tmp_path, capsys):
    (tmp_path / "corpus").mkdir()
    assert eval_main(["--findings", "--gold", str(tmp_path / "nogold"), "--corpus", str(tmp_path / "corpus")]) == 2
    assert "--gold" in capsys.readouterr().err
