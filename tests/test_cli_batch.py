"""Batches: every input ends as parsed or failed, the batch goes on, and the exit code says which (3 internal error,
2 unreadable input or usage, 1 error findings, 0 otherwise). Bugs are simulated by patching one step to raise."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import docparse
import docparse.corpus
import docparse.pipeline
from docparse import cli
from docparse.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
GOOD = str(SAMPLES / "cv_dulieu.txt")
QD = str(SAMPLES / "qd_quyche.txt")
BC = str(SAMPLES / "bc_cchc_2025.txt")  # has error findings


@pytest.fixture
def runner(monkeypatch) -> CliRunner:
    monkeypatch.setenv("DOCPARSE_STRICT", "0")  # restored after the test, also when --debug set it
    monkeypatch.setattr(cli, "_debug", False)
    return CliRunner()


@pytest.fixture
def buggy(monkeypatch, tmp_path):
    """A file whose parsing hits a bug (a RuntimeError outside any guarded layer)."""
    path = tmp_path / "loi.txt"
    path.write_text("Công văn số 9/UBND-VP ngày 02/01/2025 về việc thử.\n", encoding="utf-8")
    real = docparse.pipeline.parse

    def parse(p, **kw):
        if str(p) == str(path):
            raise RuntimeError("hỏng giả lập")
        return real(p, **kw)

    def build(src, *a, **kw):  # the index (check, refs) builds from the reader's text
        if src.path == str(path):
            raise RuntimeError("hỏng giả lập")
        return real_build(src, *a, **kw)

    real_build = docparse.corpus.build_document
    monkeypatch.setattr(docparse.pipeline, "parse", parse)
    monkeypatch.setattr(docparse.corpus, "build_document", build)
    return str(path)


def test_internal_error_is_reported_and_the_batch_goes_on(runner, buggy):
    result = runner.invoke(app, ["parse", "--format", "jsonl", GOOD, buggy, QD])
    assert result.exit_code == 3, result.output
    rows = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert [r.get("header", {}).get("code") for r in rows if "header" in r] == ["4085/UBND-KT", "2610/QĐ-UBND"]
    failed = [r["failed"] for r in rows if "failed" in r]
    assert failed == [{"path": buggy, "error": "InternalError", "code": "internal", "exception": "RuntimeError",
                       "message": failed[0]["message"]}]
    assert "RuntimeError" in failed[0]["message"]
    assert rows[-1]["summary"]["documents"] == 2
    assert buggy in result.stderr and "InternalError/RuntimeError" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_prints_the_traceback(runner, buggy):
    result = runner.invoke(app, ["parse", "--debug", "--format", "jsonl", buggy, GOOD])
    assert result.exit_code == 3
    assert "Traceback" in result.stderr and "hỏng giả lập" in result.stderr
    assert "4085/UBND-KT" in result.stdout


def test_json_array_keeps_the_documents_parsed(runner, buggy, tmp_path):
    missing = str(tmp_path / "khong_co.txt")
    result = runner.invoke(app, ["parse", "--no-text", GOOD, missing, buggy, QD])
    assert result.exit_code == 3  # an internal error outranks an unreadable input
    data = json.loads(result.stdout)
    assert [d["header"]["code"] for d in data] == ["4085/UBND-KT", "2610/QĐ-UBND"]


def test_json_array_of_failures_only_is_empty(runner, tmp_path):
    result = runner.invoke(app, ["parse", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    assert result.exit_code == 2
    assert json.loads(result.stdout) == []


def test_a_failed_layer_keeps_the_document_and_exits_3(runner, monkeypatch):
    def broken(*a, **kw):
        raise ZeroDivisionError("chia cho 0")

    monkeypatch.setattr(docparse.pipeline, "extract_indicators", broken)
    result = runner.invoke(app, ["parse", "--format", "jsonl", GOOD])
    assert result.exit_code == 3, result.output
    doc = json.loads(result.stdout.splitlines()[0])
    assert doc["header"]["code"] == "4085/UBND-KT"
    assert any(n["code"].startswith("internal") for n in doc["notices"])
    assert "lỗi nội bộ" in result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["summary"]["internal_errors"]


def test_check_exit_codes_in_order(runner, buggy, tmp_path):
    missing = str(tmp_path / "khong_co.txt")
    assert runner.invoke(app, ["check", QD]).exit_code == 0
    assert runner.invoke(app, ["check", BC]).exit_code == 1
    assert runner.invoke(app, ["check", BC, missing]).exit_code == 2  # unreadable outranks findings
    result = runner.invoke(app, ["check", "--format", "json", BC, missing, buggy])
    assert result.exit_code == 3
    summary = json.loads(result.stdout)["summary"]
    assert summary["documents"] == 1 and summary["errors"] >= 1
    assert [(f["path"], f["error"]) for f in summary["failed"]] == [(missing, "FileReadError"),
                                                                    (buggy, "InternalError")]


def test_check_jsonl_ends_with_the_summary(runner, tmp_path):
    missing = str(tmp_path / "khong_co.txt")
    result = runner.invoke(app, ["check", "--format", "jsonl", BC, missing])
    rows = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert all("code" in r for r in rows[:-1]) and rows[:-1]
    assert rows[-1]["summary"]["failed"][0]["path"] == missing


def test_check_db_rerun_does_not_die_at_the_same_file(runner, tmp_path, monkeypatch):
    """A file that hits a bug is recorded as failed, the rest is indexed, and a rerun gets as far again."""
    folder = tmp_path / "vanban"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(f"Kế hoạch số {ord(name[0])}/KH-UBND ngày 05/01/2025.\n", encoding="utf-8")
    db = str(tmp_path / "chimuc.sqlite")
    assert runner.invoke(app, ["check", "--db", db, str(folder)]).exit_code == 0
    real = docparse.corpus.build_document

    def build(src, *a, **kw):
        if src.path.endswith("b.txt"):
            raise KeyError("sởtài chính")
        return real(src, *a, **kw)

    monkeypatch.setattr(docparse.corpus, "build_document", build)
    (folder / "b.txt").write_text("Kế hoạch số 7/KH-UBND ngày 06/01/2025 (sửa).\n", encoding="utf-8")
    for _ in range(2):
        result = runner.invoke(app, ["check", "--db", db, "--format", "json", str(folder)])
        assert result.exit_code == 3, result.output
        summary = json.loads(result.stdout)["summary"]
        assert summary["documents"] == 2
        assert [(Path(f["path"]).name, f["exception"]) for f in summary["failed"]] == [("b.txt", "KeyError")]
    with docparse.Corpus(db) as corpus:  # the failed file's older reading left the index
        assert sorted(Path(i).name for i in corpus.ids()) == ["a.txt", "c.txt"]


def test_check_db_rerun_and_prune(runner, tmp_path):
    """A rerun on an unchanged folder reports what the first run reported; --prune drops a deleted file and the
    findings it caused."""
    folder = tmp_path / "vanban"
    folder.mkdir()
    for name, day in (("a.txt", 5), ("b.txt", 6), ("c.txt", 5)):
        (folder / name).write_text(f"Số: {ord(name[0])}/BC-UBND\nThực hiện Quyết định số 123/QĐ-UBND ngày "
                                   f"{day:02d}/3/2025 của UBND huyện Sông Mây, các xã đã triển khai.\n",
                                   encoding="utf-8")
    db = str(tmp_path / "chimuc.sqlite")
    args = ["check", "--db", db, "--format", "json", "--select", "citation.conflict", str(folder)]
    first = runner.invoke(app, args)
    again = runner.invoke(app, [*args, "--jobs", "1"])
    assert first.exit_code == again.exit_code == 1
    assert json.loads(first.stdout) == json.loads(again.stdout)
    (folder / "b.txt").unlink()
    kept = runner.invoke(app, [*args, "--all"])  # without --prune the deleted file stays indexed
    assert json.loads(kept.stdout)["findings"]
    pruned = runner.invoke(app, [*args, "--all", "--prune"])
    assert pruned.exit_code == 0, pruned.output
    assert json.loads(pruned.stdout)["findings"] == []
    with docparse.Corpus(db) as corpus:
        assert sorted(Path(i).name for i in corpus.ids()) == ["a.txt", "c.txt"]


def test_version_option(runner):
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == docparse.__version__


@pytest.mark.parametrize("command", [["parse"], ["check"], ["refs"], ["tasks"]])
def test_empty_folder_says_nothing_to_read(runner, tmp_path, command):
    folder = tmp_path / "rong"
    folder.mkdir()
    (folder / "ghi_chu.xyz").write_text("không phải văn bản", encoding="utf-8")
    result = runner.invoke(app, [*command, str(folder)])
    assert result.exit_code == 2, result.output
    assert "không có văn bản nào để đọc" in result.stderr and str(folder) in result.stderr


def test_a_document_that_cannot_be_written_is_that_inputs_failure(runner, monkeypatch):
    """A lone surrogate in a parsed text cannot be written as UTF-8: that input fails, the stream goes on."""
    real = docparse.pipeline.parse

    def parse(p, **kw):
        doc = real(p, **kw)
        if str(p) == QD:  # parse_text refuses such text now; a record built another way may still hold one
            doc.text += "\ud800"
        return doc

    monkeypatch.setattr(docparse.pipeline, "parse", parse)
    result = runner.invoke(app, ["parse", QD, GOOD])
    assert result.exit_code == 3
    assert [d["header"]["code"] for d in json.loads(result.stdout)] == ["4085/UBND-KT"]
    assert QD in result.stderr and "InternalError" in result.stderr
