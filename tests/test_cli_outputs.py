"""Output contracts of the command line: every JSON / JSON Lines output validates against the schema `docparse
schema --what …` prints, JSON Lines is one record a line, CSV has a BOM and one row per record, SARIF 2.1.0."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from docparse.checks import load_all
from docparse.cli import app
from docparse.schemas import MODELS, json_schema

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
BC = str(SAMPLES / "bc_cchc_2025.txt")
FILES = [str(p) for p in sorted(SAMPLES.iterdir()) if p.suffix in (".txt", ".docx", ".pdf")]  # 8 samples


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


def validator(what: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json_schema(what), format_checker=jsonschema.FormatChecker())


def valid(what: str, record) -> None:
    errors = sorted(validator(what).iter_errors(record), key=lambda e: list(e.path))
    assert not errors, f"{what}: {errors[0].message} at {list(errors[0].path)}"


def lines(stdout: str) -> list[dict]:
    out = stdout.splitlines()
    assert out and all(ln.strip() for ln in out), "one record a line, no blank line"
    return [json.loads(ln) for ln in out]


def read_csv(text: str) -> list[dict]:
    assert text.startswith("\ufeff"), "CSV starts with a UTF-8 BOM for Excel"
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize("what", ["document", "finding", "ref", "task", "citation", "indicator", "check", "summary",
                                  "failed"])
def test_schema_command_prints_schema_with_id_and_version(runner, what):
    result = runner.invoke(app, ["schema", "--what", what])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$id"] == f"https://docparse.local/schema/{what}/1.0.json"
    assert schema["x-docparse-version"] == "1.0"
    assert schema == json_schema(what)


def test_schema_unknown_kind_is_a_usage_error(runner):
    result = runner.invoke(app, ["schema", "--what", "khong_co"])
    assert result.exit_code == 2
    assert set(MODELS) >= {"document", "finding", "ref", "task"}


def test_schema_rejects_a_wrong_record():
    bad = {"code": "x", "severity": "fatal", "message": "m"}
    assert list(validator("finding").iter_errors(bad))


def test_parse_json_one_and_several_validate(runner):
    one = runner.invoke(app, ["parse", BC])
    assert one.exit_code == 0, one.output
    valid("document", json.loads(one.stdout))
    several = runner.invoke(app, ["parse", "--no-text", *FILES])
    assert several.exit_code == 0, several.output
    docs = json.loads(several.stdout)
    assert len(docs) == len(FILES) == 8
    for doc in docs:
        assert "text" not in doc
        valid("document", doc)


def test_parse_jsonl_lines_validate(runner, tmp_path):
    missing = str(tmp_path / "khong_co.txt")
    result = runner.invoke(app, ["parse", "--format", "jsonl", BC, missing])
    assert result.exit_code == 2
    rows = lines(result.stdout)
    assert [("summary" in r, "failed" in r) for r in rows] == [(False, False), (False, True), (True, False)]
    valid("document", rows[0])
    valid("failed", rows[1])
    valid("summary", rows[2])


def test_check_json_and_jsonl_validate(runner):
    result = runner.invoke(app, ["check", "--format", "json", *FILES])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    valid("check", report)
    assert sum(report["summary"]["by_code"].values()) == len(report["findings"])
    result = runner.invoke(app, ["check", "--format", "jsonl", *FILES])
    rows = lines(result.stdout)
    for row in rows[:-1]:
        valid("finding", row)
    valid("summary", rows[-1])
    assert len(rows) - 1 == len(report["findings"])
    assert rows[:-1] == report["findings"] and rows[-1]["summary"] == report["summary"]  # streamed, same content
    assert result.exit_code == 1


def test_check_jsonl_streamed_with_a_baseline(runner, tmp_path):
    """jsonl is written finding by finding (corpus.iter_check); a baseline filters the stream and the summary
    counts what it left out, as the json report does."""
    base = tmp_path / "base.json"
    runner.invoke(app, ["check", "--write-baseline", str(base), BC])
    full = json.loads(runner.invoke(app, ["check", "--format", "json", *FILES]).stdout)
    known = json.loads(runner.invoke(app, ["check", "--format", "json", "--baseline", str(base), *FILES]).stdout)
    result = runner.invoke(app, ["check", "--format", "jsonl", "--baseline", str(base), *FILES])
    rows = lines(result.stdout)
    assert rows[:-1] == known["findings"] and rows[-1]["summary"] == known["summary"]
    suppressed = rows[-1]["summary"]["suppressed"]
    assert 0 < suppressed < len(full["findings"]) == len(rows) - 1 + suppressed


def test_refs_json_jsonl_csv(runner):
    as_json = json.loads(runner.invoke(app, ["refs", "--format", "json", *FILES]).stdout)
    result = runner.invoke(app, ["refs", "--format", "jsonl", *FILES])
    assert result.exit_code == 0, result.output
    rows = lines(result.stdout)
    assert rows == as_json and len(rows) > 1, "one cited document a line, not one array"
    for row in rows:
        valid("ref", row)
    result = runner.invoke(app, ["refs", "--format", "csv", *FILES])
    table = read_csv(result.stdout)
    assert len(table) == sum(len(r["mentions"]) for r in as_json)
    text = Path(BC).read_text(encoding="utf-8")
    for row in table:
        if row["document"] == BC:
            assert text[int(row["span_start"]):int(row["span_end"])] == row["text"]


def test_tasks_json_jsonl_csv(runner):
    path = str(SAMPLES / "kh_cds_2026.txt")
    as_json = json.loads(runner.invoke(app, ["tasks", path]).stdout)
    assert as_json
    for row in as_json:
        valid("task", row)
    result = runner.invoke(app, ["tasks", "--format", "jsonl", path])
    assert result.exit_code == 0, result.output
    assert lines(result.stdout) == as_json
    table = read_csv(runner.invoke(app, ["tasks", "--format", "csv", path]).stdout)
    assert [r["title"] for r in table] == [r["title"] for r in as_json]
    assert table[0]["span_start"] == str(as_json[0]["span"]["start"])


@pytest.mark.parametrize("what", ["citations", "indicators", "tasks"])
def test_export_rows_validate(runner, what):
    result = runner.invoke(app, ["export", "--what", what, "--format", "jsonl", *FILES])
    assert result.exit_code == 0, result.output
    rows = lines(result.stdout)
    assert rows
    for row in rows:
        valid(what[:-1], row)
    assert json.loads(runner.invoke(app, ["export", "--what", what, "--format", "json", *FILES]).stdout) == rows
    table = read_csv(runner.invoke(app, ["export", "--what", what, *FILES]).stdout)
    assert len(table) == len(rows)
    assert [r["text"] if "text" in r else r["title"] for r in table] == \
           [r["text"] if "text" in r else r["title"] for r in rows]


def test_export_findings_jsonl_and_csv(runner, tmp_path):
    result = runner.invoke(app, ["export", "--what", "findings", "--format", "jsonl", BC])
    assert result.exit_code == 0, result.output
    rows = lines(result.stdout)
    for row in rows:
        valid("finding", row)
    out = tmp_path / "f.csv"
    runner.invoke(app, ["export", "--what", "findings", "-o", str(out), BC])
    table = read_csv(out.read_text(encoding="utf-8"))
    assert [(r["code"], r["message"]) for r in table] == [(r["code"], r["message"]) for r in rows]
    assert table and all(r["line"].isdigit() for r in table if r["evidence_count"] != "0")  # lines read from the index


def test_check_csv_rows_match_json(runner):
    report = json.loads(runner.invoke(app, ["check", "--format", "json", BC]).stdout)
    result = runner.invoke(app, ["check", "--format", "csv", BC])
    assert result.exit_code == 1
    table = read_csv(result.stdout)
    assert [(r["code"], r["severity"], r["message"]) for r in table] == \
           [(f["code"], f["severity"], f["message"]) for f in report["findings"]]
    lines_of = Path(BC).read_text(encoding="utf-8").splitlines()
    for row, f in zip(table, report["findings"]):
        assert int(row["evidence_count"]) == len(f["spans"])
        first = f["spans"][0]["text"].split("\n")[0]
        assert first in lines_of[int(row["line"]) - 1]


def test_sarif_is_valid_2_1_0(runner):
    """Validated against pydantic-sarif, a model generated from the official sarif-schema-2.1.0.json (no package
    ships the schema file itself), and by hand: rules, levels, and each region pointing at its evidence."""
    sarif_model = pytest.importorskip("pydantic_sarif.model")
    report = json.loads(runner.invoke(app, ["check", "--format", "json", *FILES]).stdout)
    result = runner.invoke(app, ["check", "--format", "sarif", *FILES])
    assert result.exit_code == 1, result.output
    log = json.loads(result.stdout)
    sarif_model.StaticAnalysisResultsFormatSarifVersion210JsonSchema.model_validate(log)
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == set(load_all())
    results = run["results"]
    assert len(results) == len(report["findings"])
    level = {"error": "error", "warning": "warning", "info": "note"}
    regions = 0
    for res, f in zip(results, report["findings"]):
        assert res["ruleId"] == f["code"] and rules[res["ruleIndex"]]["id"] == f["code"]
        assert res["level"] == level[f["severity"]]
        assert res["message"]["text"] == f["message"]
        assert len(res["partialFingerprints"]["docparseFinding/v1"]) == 32
        for loc, ev in zip(res["locations"] + res.get("relatedLocations", []), f["spans"]):
            phys = loc["physicalLocation"]
            assert phys["artifactLocation"] == {"uri": Path(ev["document"]).as_uri()}  # absolute paths given
            region = phys.get("region")
            if ev["document"].endswith((".txt", ".md")):
                text = Path(ev["document"]).read_text(encoding="utf-8")
                line = text.split("\n")[region["startLine"] - 1]
                assert line[region["startColumn"] - 1:].startswith(ev["text"].split("\n")[0])
                assert text[region["charOffset"]:region["charOffset"] + region["charLength"]] == ev["text"]
                regions += 1
            else:
                assert region is None and loc["properties"]["span"] == ev["span"]
    assert regions > 10


def test_sarif_relative_paths_use_srcroot(runner, monkeypatch):
    monkeypatch.chdir(SAMPLES.parent)
    log = json.loads(runner.invoke(app, ["check", "--format", "sarif", "samples/bc_cchc_2025.txt"]).stdout)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == SAMPLES.parent.as_uri() + "/"
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "samples/bc_cchc_2025.txt", "uriBaseId": "SRCROOT"}
