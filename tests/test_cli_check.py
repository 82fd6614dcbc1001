"""The `check`, `refs` and `checks` commands: exit codes, text and JSON output, select, failures, folders, --db."""
from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import docparse.corpus
from docparse.checks import load_all
from docparse.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
BC = str(SAMPLES / "bc_cchc_2025.txt")
QD = str(SAMPLES / "qd_quyche.txt")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run_json(runner, *args):
    result = runner.invoke(app, ["check", "--format", "json", *args])
    return result, json.loads(result.stdout)


def test_check_clean_document_exit_0(runner):
    result = runner.invoke(app, ["check", QD])
    assert result.exit_code == 0, result.output
    assert "LỖI" not in result.stdout
    assert "0 lỗi" in result.stdout


def test_check_errors_exit_1_text_report(runner):
    result = runner.invoke(app, ["check", BC])
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "citation.conflict" in out
    assert "LỖI" in out
    for code in ("citation.duplicate", "date.invalid", "structure.numbering", "citation.self_mismatch",
                 "arithmetic.ratio_mismatch"):
        assert code in out
    summary = run_json(runner, BC)[1]["summary"]  # the text report counts what the JSON lists
    assert summary["errors"] >= 5
    assert f"{summary['errors']} lỗi, {summary['warnings']} cảnh báo, {summary['infos']} thông tin" in out


def test_check_json(runner):
    result, data = run_json(runner, BC)
    assert result.exit_code == 1, result.output
    s = data["summary"]
    assert s["errors"] >= 1
    assert s["documents"] == 1 and s["failed"] == []
    fs = data["findings"]
    assert s["errors"] == sum(f["severity"] == "error" for f in fs)
    assert s["warnings"] == sum(f["severity"] == "warning" for f in fs)
    text = Path(BC).read_text(encoding="utf-8")
    for f in fs:
        for key in ("code", "severity", "message", "spans"):
            assert key in f, (key, f)
        assert f["severity"] in ("error", "warning", "info")
        assert f["message"]
        assert f["spans"]
        for e in f["spans"]:
            assert text[e["span"]["start"]:e["span"]["end"]] == e["text"]
    assert "citation.conflict" in {f["code"] for f in fs}


def test_check_json_clean_exit_0(runner):
    result, data = run_json(runner, QD)
    assert result.exit_code == 0, result.output
    assert data["summary"]["errors"] == 0 and data["summary"]["warnings"] == 0


def test_check_select_one_code(runner):
    result, data = run_json(runner, "--select", "citation.duplicate", BC)
    assert data["findings"], result.output
    assert {f["code"] for f in data["findings"]} == {"citation.duplicate"}
    assert result.exit_code == 0  # a warning only: no error left


def test_check_ignore_code(runner):
    result, data = run_json(runner, "--ignore", "structure.numbering", BC)
    codes = {f["code"] for f in data["findings"]}
    assert "structure.numbering" not in codes and "citation.conflict" in codes


def test_check_unknown_select_exit_2(runner):
    result = runner.invoke(app, ["check", "--select", "citation.khong_co", BC])
    assert result.exit_code == 2
    assert "citation.khong_co" in result.stderr


def test_check_missing_file_exit_2_good_file_still_reported(runner, tmp_path):
    missing = str(tmp_path / "khong_co.txt")
    result = runner.invoke(app, ["check", BC, missing])
    assert result.exit_code == 2
    assert missing in result.stderr
    assert "citation.conflict" in result.stdout


def test_check_missing_file_json_lists_failure(runner, tmp_path):
    missing = str(tmp_path / "khong_co.txt")
    result, data = run_json(runner, BC, missing)
    assert result.exit_code == 2
    assert [f["path"] for f in data["summary"]["failed"]] == [missing]
    assert data["summary"]["documents"] == 1
    assert "citation.conflict" in {f["code"] for f in data["findings"]}


def test_check_folder_skips_readme(runner, tmp_path):
    folder = tmp_path / "vanban"
    (folder / "con").mkdir(parents=True)
    shutil.copy(BC, folder / "bc.txt")
    shutil.copy(QD, folder / "con" / "qd.txt")
    # a README that would be flagged if it were checked
    (folder / "README.md").write_text("Ghi chú: báo cáo gửi ngày 31/4/2025; xem Kế hoạch số 5/KH-UBND ngày 02/3/2025 "
                                      "và Kế hoạch số 5/KH-UBND ngày 03/3/2025.\n", encoding="utf-8")
    result, data = run_json(runner, str(folder))
    assert result.exit_code == 1, result.output
    assert data["summary"]["documents"] == 2
    assert data["summary"]["failed"] == []
    docs = {e["document"] for f in data["findings"] for e in f["spans"]} | {f["document"] for f in data["findings"]}
    assert str(folder / "bc.txt") in docs
    assert not any(d and d.endswith("README.md") for d in docs)


def test_check_samples_folder_counts_every_document(runner):
    expected = [p for p in SAMPLES.rglob("*") if p.suffix in (".txt", ".md", ".docx", ".pdf")
                and not p.name.upper().startswith("README")]
    result, data = run_json(runner, str(SAMPLES))
    assert result.exit_code == 1
    assert data["summary"]["documents"] == len(expected)
    assert not any("README" in (f["document"] or "") for f in data["findings"])


def test_check_db_twice(runner, tmp_path, monkeypatch):
    src = tmp_path / "bc.txt"
    shutil.copy(BC, src)
    db = tmp_path / "idx.sqlite"
    calls = []
    real = docparse.corpus.build_document

    def counting(source):
        calls.append(source.path)
        return real(source)

    monkeypatch.setattr(docparse.corpus, "build_document", counting)
    r1, d1 = run_json(runner, "--jobs", "1", "--db", str(db), str(src))  # parsed in this process: counted
    assert r1.exit_code == 1, r1.output
    assert calls == [str(src)]
    sha1 = sqlite3.connect(db).execute("SELECT sha FROM documents WHERE path = ?", (str(src),)).fetchone()
    assert sha1 is not None

    r2, d2 = run_json(runner, "--jobs", "1", "--db", str(db), str(src))
    assert r2.exit_code == 1, r2.output
    assert calls == [str(src)], "an unchanged file must not be parsed again"
    assert d2["findings"] == d1["findings"]
    assert d2["summary"] == d1["summary"]
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1
    assert con.execute("SELECT sha FROM documents WHERE path = ?", (str(src),)).fetchone() == sha1


def test_check_db_text_twice(runner, tmp_path):
    db = tmp_path / "idx.sqlite"
    outs = [runner.invoke(app, ["check", "--db", str(db), BC]) for _ in range(2)]
    assert [r.exit_code for r in outs] == [1, 1]
    assert outs[0].stdout == outs[1].stdout
    assert "citation.conflict" in outs[1].stdout


def test_refs_samples(runner):
    result = runner.invoke(app, ["refs", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert "35/KH-UBND" in result.stdout
    assert "2610/QĐ-UBND" in result.stdout


def test_refs_json(runner):
    result = runner.invoke(app, ["refs", "--format", "json", str(SAMPLES)])
    assert result.exit_code == 0, result.output
    refs = json.loads(result.stdout)
    r35 = [r for r in refs if "35/KH-UBND" in r["forms"]]
    assert len(r35) == 1
    assert r35[0]["dates"] == ["2025-02-24", "2025-02-25"]


def test_checks_lists_all_codes(runner):
    result = runner.invoke(app, ["checks"])
    assert result.exit_code == 0, result.output
    rows = {}
    for line in result.stdout.splitlines():
        parts = line.split()
        if parts:
            rows[parts[0]] = parts
    specs = load_all()
    assert set(rows) == set(specs)
    for code, spec in specs.items():
        assert rows[code][1] == spec.severity
        assert spec.description in result.stdout
