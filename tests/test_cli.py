"""The command line (typer app): parse / schema / version, exit codes and output formats."""
from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

import docparse
from docparse.cli import app


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def jsonl_documents(stdout: str) -> list[dict]:
    """The document lines of `parse --format jsonl` (each failure is a {"source", "failed"} line and the last line is
    {"summary": …})."""
    rows = [json.loads(ln) for ln in stdout.splitlines() if ln.strip()]
    assert "summary" in rows[-1], "the last line is the summary"
    return [r for r in rows[:-1] if "failed" not in r]


def test_parse_json_equals_api(runner, samples_dir):
    path = samples_dir / "bc_cchc_2025.txt"
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == docparse.parse(path).model_dump(mode="json")
    assert data["header"]["number"] == "1234"


def test_parse_json_validates_as_document(runner, samples_dir):
    result = runner.invoke(app, ["parse", str(samples_dir / "kh_cds_2026.docx")])
    assert result.exit_code == 0, result.output
    doc = docparse.Document.model_validate_json(result.stdout)
    assert doc.format == "docx"
    assert doc.header.code == "45/KH-STTTT"


def test_parse_jsonl_two_files(runner, samples_dir):
    paths = [samples_dir / "bc_cchc_2025.txt", samples_dir / "cv_dulieu.txt"]
    result = runner.invoke(app, ["parse", "--format", "jsonl", *map(str, paths)])
    assert result.exit_code == 0, result.output
    docs = jsonl_documents(result.stdout)
    assert len(docs) == 2
    assert [d["source"] for d in docs] == [str(p) for p in paths]
    assert [d["header"]["code"] for d in docs] == ["1234/BC-VP", "4085/UBND-KT"]


def test_parse_several_files_json_is_a_list(runner, samples_dir):
    paths = [samples_dir / "qd_quyche.txt", samples_dir / "cv_dulieu.txt"]
    result = runner.invoke(app, ["parse", *map(str, paths)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 2


def test_parse_text_format(runner, samples_dir):
    result = runner.invoke(app, ["parse", "--format", "text", str(samples_dir / "bc_cchc_2025.txt")])
    assert result.exit_code == 0, result.output
    assert "Báo cáo" in result.stdout
    assert "1234/BC-VP" in result.stdout
    assert "15/12/2025" in result.stdout
    with pytest.raises(json.JSONDecodeError):
        json.loads(result.stdout)


def test_no_text_option(runner, samples_dir):
    result = runner.invoke(app, ["parse", "--no-text", str(samples_dir / "cv_dulieu.txt")])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "text" not in data
    assert data["header"]["number"] == "4085"


def test_missing_file_exit_2(runner, tmp_path):
    missing = tmp_path / "khong_co_tep.txt"
    result = runner.invoke(app, ["parse", str(missing)])
    assert result.exit_code == 2
    assert "khong_co_tep.txt" in result.output
    errors = [ln for ln in result.output.splitlines() if "khong_co_tep.txt" in ln]
    assert len(errors) == 1, "one line per failed file"
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name,content", [("hong.pdf", b"%PDF-1.4 garbage"), ("rong.txt", b""),
                                          ("la.xyz", b"abc")])
def test_bad_inputs_exit_2(runner, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(app, ["parse", str(path)])
    assert result.exit_code == 2
    assert name in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_one_bad_file_does_not_stop_the_batch(runner, samples_dir, tmp_path):
    good = samples_dir / "cv_dulieu.txt"
    missing = tmp_path / "mat.txt"
    result = runner.invoke(app, ["parse", "--format", "jsonl", str(good), str(missing)])
    assert result.exit_code == 2
    assert "mat.txt" in result.output
    assert [d["header"]["code"] for d in jsonl_documents(result.stdout)] == ["4085/UBND-KT"]
    rows = [json.loads(ln) for ln in result.stdout.splitlines()]
    assert rows[1] == {"source": str(missing), "failed": {"path": str(missing), "error": "FileReadError",
                                                          "code": "unreadable", "message": rows[1]["failed"]["message"]}}
    assert rows[-1]["summary"]["documents"] == 1 and len(rows[-1]["summary"]["failed"]) == 1


def test_stdin(runner):
    text = "Theo Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh.\n"
    result = runner.invoke(app, ["parse", "-"], input=text.encode("utf-8"))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["text"] == text
    assert [c["code"] for c in data["citations"]] == ["12/QĐ-UBND"]
    assert data["citations"][0]["date"] == "2025-03-05"


def test_stdin_utf16_bom(runner):
    text = "Thực hiện Kế hoạch số 7/KH-SYT ngày 10/01/2025.\n"
    result = runner.invoke(app, ["parse", "-"], input=b"\xff\xfe" + text.encode("utf-16-le"))
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["text"] == text


def test_schema(runner):
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert "properties" in schema
    assert {"text", "header", "citations", "dates", "sections", "notices"} <= set(schema["properties"])
    assert schema["$id"] == "https://docparse.local/schema/document/1.0.json"
    assert schema["properties"] == docparse.Document.model_json_schema(mode="serialization")["properties"]


def test_folder_argument(runner, samples_dir, tmp_path):
    folder = tmp_path / "hoso"
    (folder / "con").mkdir(parents=True)
    shutil.copy(samples_dir / "cv_dulieu.txt", folder / "a.txt")
    shutil.copy(samples_dir / "kh_cds_2026.docx", folder / "con" / "b.docx")
    (folder / "bo_qua.xyz").write_text("không phải văn bản", encoding="utf-8")
    result = runner.invoke(app, ["parse", "--format", "jsonl", str(folder)])
    assert result.exit_code == 0, result.output
    docs = jsonl_documents(result.stdout)
    assert sorted(d["source"] for d in docs) == sorted([str(folder / "a.txt"), str(folder / "con" / "b.docx")])


def test_folder_argument_json_is_a_list(runner, samples_dir, tmp_path):
    folder = tmp_path / "mot"
    folder.mkdir()
    shutil.copy(samples_dir / "qd_quyche.txt", folder / "qd.txt")
    result = runner.invoke(app, ["parse", str(folder)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert isinstance(data, list) and [d["header"]["code"] for d in data] == ["2610/QĐ-UBND"]


def test_samples_folder(runner, samples_dir):
    result = runner.invoke(app, ["parse", "--format", "jsonl", "--no-text", str(samples_dir)])
    assert result.exit_code == 0, result.output
    sources = sorted(d["source"] for d in jsonl_documents(result.stdout))
    expected = sorted(str(p) for p in samples_dir.rglob("*") if p.suffix.lower() in (".txt", ".md", ".pdf", ".docx")
                      and not p.name.upper().startswith("README"))  # a folder's README is not a document
    assert sources == expected


def test_version(runner):
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == docparse.__version__


def test_eval_entities_on_the_dev_set(runner, corpus_dir):
    result = runner.invoke(app, ["eval", "--what", "ner-rules", "--dev", "--corpus", str(corpus_dir)])
    assert result.exit_code == 0, result.output
    assert "05_KH165" in result.output and "10_CT06" not in result.output  # dev documents, not the held-out ones
    held = runner.invoke(app, ["eval", "--what", "ner-rules", "--corpus", str(corpus_dir)])
    assert "10_CT06" in held.output and "05_KH165" not in held.output
