"""The laws-by-name scorer on a small fictional corpus and gold: matching within a line, by name or by an amending
law's targets, one-to-one; false positives on annotated documents, those without a gold mention included."""
from __future__ import annotations

import json
from pathlib import Path

from docparse.eval_laws import Predicted, evaluate, norm, score_file

DOC_A = """ỦY BAN NHÂN DÂN XÃ MÂY
Số: 12/QĐ-UBND

QUYẾT ĐỊNH
Về việc giao nhiệm vụ

Căn cứ Luật ngân sách nhà nước;
Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức ngày 25 tháng 11 năm 2019;
Căn cứ Luật Đất đai số 31/2024/QH15;
Căn cứ Bộ luật Dân sự;

QUYẾT ĐỊNH:
Điều 1. Giao Phòng Kinh tế thực hiện.
"""
DOC_B = """ỦY BAN NHÂN DÂN XÃ GIÓ
Số: 13/TB-UBND

THÔNG BÁO
Về lịch họp

Căn cứ Luật Thủ đô năm 2024, họp vào thứ Hai.
"""


def _gold(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    (corpus / "pool").mkdir(parents=True)
    (corpus / "pool" / "aaaa000000000001.md").write_text(DOC_A, encoding="utf-8")
    (corpus / "pool" / "bbbb000000000002.md").write_text(DOC_B, encoding="utf-8")
    gold = tmp_path / "laws"
    gold.mkdir()
    rows = [
        {"file": "pool/aaaa000000000001.md", "line": 7, "surface": "Luật ngân sách nhà nước",
         "name": "Luật Ngân sách nhà nước", "year": None, "code": None, "lower_case": True},
        {"file": "pool/aaaa000000000001.md", "line": 8, "surface": "…", "year": 2019, "code": None,
         "name": "Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức, Luật Viên chức",
         "amends": ["Luật Cán bộ, công chức", "Luật Viên chức"], "lower_case": False},
        {"file": "pool/aaaa000000000001.md", "line": 9, "surface": "Luật Đất đai", "name": "Luật Đất đai",
         "year": 2024, "code": "31/2024/QH15", "lower_case": False},
        {"file": "pool/aaaa000000000001.md", "line": 10, "surface": "Bộ luật Dân sự", "name": "Bộ luật Dân sự",
         "year": 2015, "code": None, "lower_case": False},  # the year is wrong on purpose: scored, not matched on
    ]
    (gold / "dev.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    (gold / "README.md").write_text("## Documents\ndev (2): pool/ aaaa000000000001 (4), bbbb000000000002 (0).\n",
                                    encoding="utf-8")
    return corpus


def test_scores_names_targets_years_and_a_document_without_gold(tmp_path):
    corpus = _gold(tmp_path)
    r = evaluate(tmp_path / "laws" / "dev.jsonl", corpus)
    assert r["documents"] == 2
    # 4 gold mentions found (the amending law by its targets, whatever its connector); "Luật Thủ đô" in the
    # document annotated with no mention is a false positive
    assert (r["tp"], r["fp"], r["fn"]) == (4, 1, 0)
    assert r["files"]["pool/bbbb000000000002.md"]["extra"][0].startswith("7: Luật Thủ đô")
    assert r["lower_case_recall"] == 1.0
    assert r["year_accuracy"] == 0.75 and r["code_accuracy"] == 1.0


def test_one_to_one_within_a_line_and_targets_inside_an_amending_title_are_ignored():
    gold = [{"line": 5, "name": "Luật Đất đai"},
            {"line": 9, "end_line": 10, "name": "Luật sửa đổi, bổ sung một số điều của Luật Nhà ở",
             "amends": ["Luật Nhà ở"]}]
    pred = [Predicted(4, "Luật đất đai", None, None, frozenset(), ""),  # one line above: matches
            Predicted(5, "Luật Đất đai", None, None, frozenset(), ""),  # the same law again: gold used once
            Predicted(10, "Luật Nhà ở", None, None, frozenset(), ""),  # the target inside the title: ignored
            Predicted(12, "Luật Đất đai", None, None, frozenset(), "")]  # two lines below the title: no match
    r = score_file(gold, pred)
    assert (r["tp"], r["fp"], r["fn"]) == (1, 2, 1)
    assert norm(" Luật  ĐẤT đai ") == "luật đất đai"
