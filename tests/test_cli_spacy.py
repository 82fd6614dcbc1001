"""`docparse export-spacy` (a DocBin) and `docparse render` (displaCy HTML) on fictional documents."""
from __future__ import annotations

import re

import pytest
from fictional import vb
from spacy.tokens import DocBin
from typer.testing import CliRunner

import docparse
import docparse.spacy_component as sc
from docparse.cli import app

BODY = ("Thực hiện Kế hoạch số 35/KH-UBND ngày 24/02/2025 của UBND huyện, Phòng Nội vụ đã tiếp nhận 1.250 hồ sơ, "
        "đạt 98,5%; hoàn thành trước ngày 30/11/2025.")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def report(tmp_path):
    path = tmp_path / "bc_song_may.txt"
    path.write_text(vb(BODY), encoding="utf-8")
    return path


def test_export_spacy_writes_a_docbin(runner, tmp_path, report, samples_dir):
    plan = samples_dir / "kh_cds_2026.txt"
    out = tmp_path / "out" / "corpus.spacy"
    result = runner.invoke(app, ["export-spacy", str(report), str(plan), "-o", str(out)])
    assert result.exit_code == 0, result.output
    line = result.stdout.strip()
    assert "\n" not in line and "2 văn bản" in line and "CITATION" in line and "TASK" in line
    docs = list(DocBin().from_disk(out).get_docs(sc.blank_vietnamese().vocab))
    assert len(docs) == 2
    for doc, path in zip(docs, (report, plan)):
        record = docparse.parse(path)
        expected = sc.to_doc(record)
        assert doc.text == record.text
        assert [(s.label_, s.start_char, s.end_char) for s in doc.spans["docparse"]] == \
               [(s.label_, s.start_char, s.end_char) for s in expected.spans["docparse"]]
        assert [(e.label_, e.text) for e in doc.ents] == [(e.label_, e.text) for e in expected.ents]
        assert doc._.docparse == record
    assert ("CITATION", "Kế hoạch số 35/KH-UBND ngày 24/02/2025 của UBND huyện") in {(e.label_, e.text) for e in docs[0].ents}
    n = sum(len(d.spans["docparse"]) for d in docs)
    assert f"{n} nhãn" in line


def test_export_spacy_folder_and_failed_input(runner, tmp_path, report):
    missing = tmp_path / "khong_co.txt"
    out = tmp_path / "corpus.spacy"
    result = runner.invoke(app, ["export-spacy", str(tmp_path), str(missing), "-o", str(out)])
    assert result.exit_code == 2
    assert "khong_co.txt" in result.stderr and "Traceback" not in result.output
    assert "1 văn bản" in result.stdout and "1 tệp lỗi" in result.stdout
    assert len(DocBin().from_disk(out)) == 1, "the readable input is still written"


def test_export_spacy_nothing_readable(runner, tmp_path):
    out = tmp_path / "corpus.spacy"
    result = runner.invoke(app, ["export-spacy", str(tmp_path / "khong_co.txt"), "-o", str(out)])
    assert result.exit_code == 2 and not out.exists()


@pytest.mark.parametrize("style", ["span", "ent"])
def test_render_writes_html(runner, tmp_path, report, style):
    out = tmp_path / "out.html"
    result = runner.invoke(app, ["render", str(report), "-o", str(out), "--style", style])
    assert result.exit_code == 0, result.output
    assert "Đã ghi" in result.stdout and "1 văn bản" in result.stdout
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert "<title>docparse: nhãn trên văn bản</title>" in page
    for label in ("CITATION", "DATE", "INDICATOR"):
        assert label in page
    # the text without tags and labels; the span style writes each token of a span in its own box ("98,5" "%")
    visible = " ".join(w for w in re.sub(r"<[^>]+>", " ", page).split() if w not in sc.LABELS)
    for text in ("35/KH-UBND", "98,5", "30/11/2025", "Phòng Nội vụ", "Lê Văn Sáng"):
        assert text in visible
    assert "Báo cáo 77/BC-UBND" in page, "the document's title"


def test_render_shows_tasks_and_reports_bad_input(runner, tmp_path, samples_dir):
    out = tmp_path / "plan.html"
    result = runner.invoke(app, ["render", str(samples_dir / "kh_cds_2026.txt"), str(tmp_path / "mat.txt"),
                                 "-o", str(out)])
    assert result.exit_code == 2
    assert "mat.txt" in result.stderr
    page = out.read_text(encoding="utf-8")
    assert "TASK" in page and "Kế hoạch 45/KH-STTTT" in page
