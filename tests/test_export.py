"""docparse.export (rows, CSV, DataFrame) and docparse.baseline (keys stable across re-parses)."""
from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

import docparse
from docparse import baseline, export

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
BC = SAMPLES / "bc_cchc_2025.txt"
KH = SAMPLES / "kh_cds_2026.txt"


def test_to_records_plain_dicts_with_document():
    doc = docparse.parse(BC)
    rows = export.to_records(doc, "citations")
    assert len(rows) == len(doc.citations)
    assert rows[0]["document"] == str(BC)
    assert doc.text[rows[0]["span"]["start"]:rows[0]["span"]["end"]] == rows[0]["text"]
    assert export.to_records([BC, KH], "tasks") == export.to_records([docparse.parse(BC), docparse.parse(KH)], "tasks")
    assert len(export.to_records([KH], "tasks")) == len(docparse.parse(KH).tasks)


def test_to_records_findings_checks_together():
    rows = export.to_records([BC], "findings")
    assert rows == [f.model_dump(mode="json") for f in docparse.check([docparse.parse(BC)])]
    assert {"code", "severity", "message", "spans"} <= set(rows[0])


def test_unknown_kind():
    with pytest.raises(ValueError, match="citations"):
        export.to_records([BC], "khong_co")


def test_to_dataframe_flat_columns():
    pd = pytest.importorskip("pandas")
    frame = export.to_dataframe([BC, KH], what="indicators")
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == export.columns("indicators")
    assert len(frame) == len(docparse.parse(BC).indicators) + len(docparse.parse(KH).indicators)
    tasks = export.to_dataframe([KH], what="tasks")
    assert {"deadline_start", "deadline_end", "span_start", "span_end"} <= set(tasks.columns)
    assert isinstance(tasks["coordinators"].iloc[0], list)
    findings = export.to_dataframe([BC], what="findings")
    assert set(findings["severity"]) <= {"error", "warning", "info"} and len(findings) >= 5


def test_to_dataframe_without_pandas_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas now raises ImportError
    with pytest.raises(export.MissingDependencyError, match=r"docparse\[dataframe\]"):
        export.to_dataframe([BC])


def test_csv_has_bom_and_joins_lists():
    out = io.StringIO()
    n = export.write_csv((export.flatten(r) for r in export.to_records([KH], "tasks")), export.columns("tasks"), out)
    text = out.getvalue()
    assert text.startswith("\ufeffdocument,source,table,")
    assert n == len(docparse.parse(KH).tasks)
    assert text.count("\r\n") >= n + 1


def test_line_index():
    idx = export.LineIndex("ab\ncd\n\nef")
    assert [idx.position(i) for i in (0, 1, 3, 6, 7, 8)] == [(1, 1), (1, 2), (2, 1), (3, 1), (4, 1), (4, 2)]


def test_baseline_key_ignores_offsets_message_and_folder(tmp_path):
    text = BC.read_text(encoding="utf-8")
    before = docparse.check([docparse.parse(BC)])
    moved = tmp_path / "other" / BC.name
    moved.parent.mkdir()
    moved.write_text("\n\n\n" + text, encoding="utf-8")
    after = docparse.check([docparse.parse(moved)])
    assert [baseline.fingerprint(f) for f in before] == [baseline.fingerprint(f) for f in after]
    assert [f.spans[0].span.start for f in before] != [f.spans[0].span.start for f in after]
    path = tmp_path / "b.json"
    baseline.write(path, before)
    reworded = [f.model_copy(update={"message": "khác"}) for f in after]
    left, suppressed = baseline.new_findings(reworded, baseline.read(path))
    assert left == [] and suppressed == len(before)
    # an accepted finding matches once: the same finding twice is one new finding
    left, suppressed = baseline.new_findings(after + after[:1], baseline.read(path))
    assert left == after[:1] and suppressed == len(after)
