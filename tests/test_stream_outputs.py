"""`docparse check` reads a corpus's findings once, as a stream, and never holds them all: every output format is
the same text as the list-based writers give (findings_json, json.dumps of export.sarif, baseline entries), the
text report still groups a document's findings in one table, and document texts are kept only as line starts of
the documents used last. Texts are fictional or the project's samples."""
from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import docparse
import docparse.corpus
import docparse.render
from docparse import baseline, cli, export
from docparse.checks import load_all
from docparse.cli import CheckFormat, app
from docparse.render import FindingSpool, Tally, findings_json, findings_summary, write_findings_json
from docparse.schema import Finding

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
TXT = [str(p) for p in sorted(SAMPLES.rglob("*.txt"))]  # 21 documents, 25 findings of every severity


@pytest.fixture(scope="module")
def sample_findings() -> list[Finding]:
    findings = docparse.check([docparse.parse(p) for p in TXT])
    assert len(findings) > 20 and {f.severity for f in findings} == {"error", "warning", "info"}
    return findings


def finding(doc: str | None, severity: str, code: str, evidence: list[tuple[str | None, int]]) -> Finding:
    return Finding.model_validate({"code": code, "severity": severity, "message": f"Thông báo {code}", "document": doc,
                                   "spans": [{"document": d, "span": {"start": s, "end": s + 2}, "text": "ab"}
                                             for d, s in evidence]})


class Once:
    """An iterator that fails the test if it is iterated a second time."""

    def __init__(self, items):
        self.items, self.used, self.done = items, False, False

    def __iter__(self):
        assert not self.used, "the findings were read twice"
        self.used = True
        yield from self.items
        self.done = True


@pytest.mark.parametrize("skeleton", [{"a": 1, "items": ["HOLE"], "z": {"k": [1, 2]}},
                                      {"runs": [{"tool": {"x": "y"}, "results": ["HOLE"]}]},
                                      {"items": ["HOLE"]}])
@pytest.mark.parametrize("items", [[], [{"t": "dòng 1\ndòng 2 \"trích\" [x]", "n": [1, {"m": None}]}, 3, "s", []]])
def test_json_list_is_json_dumps_of_the_whole(skeleton, items):
    whole = json.loads(json.dumps(skeleton).replace('["HOLE"]', json.dumps(items)))
    marked = json.loads(json.dumps(skeleton).replace('"HOLE"', json.dumps(export._HOLE)))
    out = io.StringIO()
    assert export.json_list(marked, iter(items), out) == len(items)
    assert out.getvalue() == json.dumps(whole, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("suppressed", [None, 3])
def test_json_report_from_a_spool_is_findings_json(sample_findings, suppressed):
    batch = {"documents": 4, "failed": [], "internal_errors": ["x: hỏng"]}
    for findings in (sample_findings, []):
        out = io.StringIO()
        with FindingSpool(Once(findings)) as spool:
            write_findings_json(spool, batch, out, suppressed)
            assert list(spool) == findings
        assert out.getvalue() == findings_json(findings, batch, suppressed=suppressed) + "\n"


def test_tally_counts_as_findings_summary(sample_findings):
    batch = {"documents": 4, "failed": [], "internal_errors": []}
    tally = Tally(sample_findings)
    assert tally.summary(batch, 2) == findings_summary(sample_findings, batch, 2)
    assert tally.total == len(sample_findings)
    assert tally.of("error") == sum(f.severity == "error" for f in sample_findings) > 0


def test_streamed_sarif_is_the_sarif_log(sample_findings):
    texts = {p: (Path(p).read_text(encoding="utf-8"), "txt") for p in TXT}

    def source_of(name: str):
        return texts[name]

    for findings in (sample_findings, []):
        out = io.StringIO()
        n = export.write_sarif(Once(findings), load_all(), "1.0", out, export.LineCache(source_of, budget=50))
        assert n == len(findings)
        assert out.getvalue() == json.dumps(export.sarif(findings, load_all(), "1.0", source_of), ensure_ascii=False,
                                            indent=2)
        assert ('"region"' in out.getvalue()) == bool(findings)


def test_line_cache_keeps_a_budget_of_line_starts_and_answers_as_the_text():
    texts = {f"d{i}": "dòng\n" * (i + 1) + "cuối" for i in range(50)}
    loads: Counter = Counter()

    def source_of(name: str):
        loads[name] += 1
        return texts[name], "md"

    cache = export.LineCache(source_of, budget=100)
    for name, text in texts.items():
        index = cache(name)
        assert index.format == "md" and index.size == len(text)
        for offset in (0, 3, 5, len(text) - 1, len(text)):
            assert index.position(offset)[0] == text.count("\n", 0, offset) + 1
    assert cache.held <= 100 + 51 and len(cache._cache) < 50  # the oldest went
    assert cache("d49") is not None and loads["d49"] == 1  # the newest stayed
    assert cache("d0") is not None and loads["d0"] == 2  # read again
    assert cache("khong-co") is None and cache(None) is None


def test_spool_groups_a_document_across_severities_in_first_seen_order():
    found = [finding("b.txt", "error", "x.one", [("b.txt", 5)]),
             finding("a.txt", "error", "x.one", [("a.txt", 1), ("c.txt", 9)]),
             finding(None, "warning", "x.two", [("a.txt", 2), ("b.txt", 3)]),
             finding("b.txt", "info", "x.three", [("b.txt", 7)]),
             finding("a.txt", "info", "x.three", [])]
    with FindingSpool(iter(found)) as spool:
        groups = [(title, n, [f.code for f in fs]) for title, n, fs in spool.by_document()]
        assert groups == [("b.txt", 2, ["x.one", "x.three"]), ("a.txt", 2, ["x.one", "x.three"]),
                          ("(nhiều văn bản)", 1, ["x.two"])]
        assert {k: len(v) for k, v in spool.documents_per_code.items()} == \
               {("x.one", "error"): 3, ("x.two", "warning"): 2, ("x.three", "info"): 2}
        assert list(spool) == found


def test_text_report_one_table_per_document(sample_findings, capsys):
    texts = {p: (Path(p).read_text(encoding="utf-8"), "txt") for p in TXT}
    lines = export.LineCache(texts.__getitem__)
    docparse.render.findings_text(Once(sample_findings), {"documents": 4, "failed": [], "internal_errors": []}, 4,
                                  lines)
    out = capsys.readouterr().out
    titled = [p for p in TXT if any(f.document == p for f in sample_findings)]
    assert titled and all(out.count(p) == 1 for p in titled)  # errors, warnings and infos of a document: one table
    assert "Tổng hợp theo mã kiểm tra" in out and out.rstrip().endswith(".")


def test_text_report_splits_a_long_table_in_parts(monkeypatch, capsys):
    monkeypatch.setattr(docparse.render, "TABLE_ROWS", 2)
    found = [finding(None, "error", f"x.c{i}", [("a.txt", i)]) for i in range(5)] + \
        [finding("b.txt", "warning", "x.w", [("b.txt", 1)])] * 2
    docparse.render.findings_text(iter(found), {"documents": 2, "failed": [], "internal_errors": []}, 2,
                                  lambda name: None)
    out = capsys.readouterr().out
    titles = [line.strip() for line in out.splitlines() if line.strip().startswith(("(nhiều", "b.txt"))]
    assert titles == ["(nhiều văn bản) (phần 1/3)", "(nhiều văn bản) (phần 2/3)", "(nhiều văn bản) (phần 3/3)",
                      "b.txt"]
    assert [f"x.c{i}" in out for i in range(5)] == [True] * 5
    assert "5 lỗi, 2 cảnh báo, 0 thông tin" in out


class FakeCorpus:
    """What check_cmd needs of a corpus without `iter_check` (a Dask run): a list of findings."""

    def __init__(self, findings):
        self.findings, self.notices = findings, []
        self.texts = {p: Path(p).read_text(encoding="utf-8") for p in TXT}

    def check(self, select=None, ignore=None, focus=None):
        return list(self.findings)

    def source(self, name: str):
        return self.texts[name], "txt"

    def __len__(self):
        return len(TXT)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


@pytest.mark.parametrize("fmt", list(CheckFormat))
def test_write_findings_reads_the_stream_once_then_summarises(sample_findings, fmt, capsys):
    corpus = FakeCorpus(sample_findings)
    calls = []
    stream = Once(sample_findings)

    def checked_all():
        calls.append(stream.done)
        return {"documents": 4, "failed": [], "internal_errors": []}, None

    errors = cli._write_findings(fmt, stream, corpus, checked_all, 10)
    assert calls == [True]  # once, after every finding was read
    assert errors == sum(f.severity == "error" for f in sample_findings)
    assert capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv", "sarif"])
def test_check_without_iter_check_gives_the_same_output(fmt, monkeypatch, sample_findings):
    """A corpus that only lists its findings (check --dask) is written like the SQLite index's stream."""
    runner = CliRunner()
    expected = runner.invoke(app, ["check", "--format", fmt, *TXT])
    real = cli._indexed

    def indexed(paths, db):
        corpus, report, batch = real(paths, db)
        fake = FakeCorpus(corpus.check())
        fake.document = corpus.document
        return fake, report, batch

    monkeypatch.setattr(cli, "_indexed", indexed)
    result = runner.invoke(app, ["check", "--format", fmt, *TXT])
    assert result.exit_code == expected.exit_code == 1
    assert result.stdout == expected.stdout


def test_baseline_written_as_a_stream_is_the_whole_file(sample_findings, tmp_path):
    for findings in (sample_findings, []):
        path = tmp_path / "sub" / "base.json"
        assert baseline.write(path, Once(findings)) == len(findings)
        assert path.read_text(encoding="utf-8") == json.dumps(
            {"docparse_baseline": baseline.FORMAT_VERSION, "findings": [baseline.entry(f) for f in findings]},
            ensure_ascii=False, indent=2) + "\n"
        assert sorted(p.name for p in path.parent.iterdir()) == ["base.json"]


@pytest.mark.parametrize("fmt", ["text", "csv"])
def test_check_failing_mid_stream_keeps_the_former_baseline(tmp_path, monkeypatch, fmt):
    base = tmp_path / "base.json"
    base.write_text("cũ", encoding="utf-8")
    real = docparse.corpus.Corpus.iter_check

    def failing(self, *a, **kw):
        yield next(iter(real(self, *a, **kw)))
        raise RuntimeError("hỏng")

    monkeypatch.setattr(docparse.corpus.Corpus, "iter_check", failing)
    result = CliRunner().invoke(app, ["check", "--format", fmt, "--write-baseline", str(base), *TXT])
    assert result.exit_code == 3 and "<check>: " in result.stderr and "InternalError/RuntimeError" in result.stderr
    assert base.read_text(encoding="utf-8") == "cũ"
    assert [p.name for p in tmp_path.iterdir()] == ["base.json"]  # no temporary file left


def test_unwritable_write_baseline_is_an_input_error(tmp_path):
    blocker = tmp_path / "tep"
    blocker.write_text("x", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--write-baseline", str(blocker / "base.json"), TXT[0]])
    assert result.exit_code == 2
    assert "không ghi được tệp baseline" in result.stderr and "BaselineError" in result.stderr
