"""Hostile and degenerate inputs: parsing must finish (linearly) and every span must stay inside the text."""
from __future__ import annotations

import random

import pytest

import docparse

random.seed(7)
CASES = {
    "codes": "12/AB-CD " * 3000,
    "ngay": "ngày " * 6000,
    "place_date": "Hà Nội, ngày " * 2000,
    "stars": "*" * 30000,
    "tags": "<i>" * 10000,
    "slash_digits": "1/2/3/4/5/" * 3000,
    "quarters": "Quý I và II và III và " * 2000,
    "long_line": ("Quyết định số 12/QĐ-UBND của " + "x" * 50) * 500,
    "random": "".join(random.choice("aàđĐ/-.,:;0123456789 \n\tngàyQĐUBND|*") for _ in range(30000)),
    "blank_self": "Kèm theo Báo cáo số: " * 2000,
    "bullets": "- a\n" * 10000,
    "laws": "Luật Đất " * 4000,
    "nul_and_controls": "\x00\x01\x02Số: 12/QĐ-UBND\x0b\x0c ngày 31/4/2024\x7f",
    "only_whitespace_lines": "\n \n\t\n" * 5000,
    "html_soup": "<html><body>" + "<td>Công văn số 1/UBND-VP ngày 01/01/2024</td>" * 500,
    "agencies": "Sở Tài chính và " * 3000,
    "heads_only": "Bộ Ban Sở Cục " * 3000,
    # every clause an assignment with coordinators and a deadline: no step may compare each to every other
    "assignments": "(1) Giao Sở Y tế chủ trì, phối hợp với Công an tỉnh, Sở Tài chính thực hiện Quyết định số "
                   "12/QĐ-UBND ngày 05/01/2025, hoàn thành trước ngày 30/11/2025; " * 3000,
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_text_parses_with_valid_spans(name):
    text = CASES[name]
    doc = docparse.parse_text(text)
    for rec in list(doc.citations) + list(doc.dates) + list(doc.entities):
        assert 0 <= rec.span.start <= rec.span.end <= len(text)
        assert text[rec.span.start:rec.span.end] == rec.text
    for t in doc.tasks:
        assert 0 <= t.span.start <= t.span.end <= len(text)
    for s in doc.iter_sections():
        assert 0 <= s.span.start <= s.span.end <= len(text)


def test_counts_on_degenerate_inputs():
    assert len(docparse.parse_text(CASES["codes"]).citations) == 3000
    invalid = [d for d in docparse.parse_text(CASES["nul_and_controls"]).dates if not d.valid]
    assert invalid and invalid[0].text == "ngày 31/4/2024"


def test_binary_garbage_file(tmp_path):
    p = tmp_path / "garbage.txt"
    p.write_bytes(bytes(random.randrange(256) for _ in range(20000)))
    with pytest.raises(docparse.DocparseError) as e:  # binary is no legacy encoding: a typed error, not mojibake
        docparse.parse(p)
    assert e.value.code == "not_text" and "garbage.txt" in str(e.value)


def test_long_line_of_percentages_stays_linear():
    """Each percentage looked back for its sentence start to the beginning of the line (quadratic on one line)."""
    import time

    start = time.perf_counter()
    doc = docparse.parse_text("Tỷ lệ đạt " + "50% " * 40000)
    assert time.perf_counter() - start < 20
    assert len(doc.indicators) == 20000  # the cap, reported
    assert "indicators.truncated" in [n.code for n in doc.notices]


def test_too_large_file_is_refused(tmp_path):
    from docparse.readers import read

    p = tmp_path / "big.txt"
    p.write_text("a" * 2000, encoding="utf-8")
    with pytest.raises(docparse.FileTooLargeError) as e:
        read(p, max_bytes=1000)
    assert "big.txt" in str(e.value)


def _to_tcvn3(text: str) -> bytes:
    from docparse import lexicon

    inverse = {v: int(k, 16) for k, v in lexicon.load("tcvn3.json")["bytes"].items() if len(v) == 1}
    return bytes(inverse[c] if c in inverse else ord(c) for c in text)


def test_tcvn3_file_is_converted_and_reported(tmp_path):
    sentence = "Thực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2025 của Chủ tịch Ủy ban nhân dân tỉnh. " * 3
    p = tmp_path / "legacy.txt"
    p.write_bytes(_to_tcvn3(sentence))
    doc = docparse.parse(p)
    assert "encoding.legacy_tcvn3" in [n.code for n in doc.notices]
    assert doc.text.startswith("Thực hiện Quyết định")
    assert [c.code for c in doc.citations] == ["12/QĐ-UBND"] * 3


def test_tcvn3_mojibake_text_is_reported():
    sentence = "Cộng hòa xã hội chủ nghĩa Việt Nam. Quyết định số 12/QĐ-UBND của Chủ tịch Ủy ban nhân dân tỉnh. " * 4
    mojibake = _to_tcvn3(sentence).decode("latin-1")
    doc = docparse.parse_text(mojibake)
    assert "encoding.legacy_tcvn3" in [n.code for n in doc.notices]


@pytest.mark.parametrize("layout", ["pipe", "tab_rows", "cell_lines"])
def test_large_task_tables_stay_linear(layout):
    """3 000 task rows in each table layout: every row is read, and the checks run over them (no quadratic step)."""
    n = 3000
    if layout == "pipe":
        text = ("|\nTT\n|\nNhiệm vụ\n|\nChủ trì\n|\nThời hạn\n|\n|\n"
                + "".join(f"|\n{i}\n|\nViệc thứ {i} của kế hoạch\n|\nSở Y tế\n|\n30/11/2025\n|\n|\n" for i in range(1, n + 1)))
    elif layout == "tab_rows":
        text = "TT\tNhiệm vụ\tChủ trì\tThời hạn\n" + "".join(
            f"{i}\tViệc thứ {i} của kế hoạch\tSở Y tế\tQuý I/2026\n" for i in range(1, n + 1))
    else:
        text = "\tTT\n\tNhiệm vụ\n\tChủ trì\n\tThời hạn\n\n" + "".join(
            f"\t{i}\n\tViệc thứ {i} của kế hoạch\n\tSở Y tế\n\tTháng 12/2025\n\n" for i in range(1, n + 1))
    doc = docparse.parse_text(text)
    assert len(doc.tasks) == n
    assert all(t.deadline is not None for t in doc.tasks)
    docparse.check(doc)


def test_date_records_are_capped_and_the_cut_reported():
    doc = docparse.parse_text("ngày 5/7/2025 " * 21000)
    assert len(doc.dates) == 20000
    assert "dates.truncated" in [n.code for n in doc.notices]


def test_citation_and_entity_caps_are_reported(monkeypatch):
    """Text made of nothing but codes or agency names is cut at a cap far above real documents, and says so."""
    import docparse.extract.citations as citations_mod
    import docparse.extract.entities as entities_mod
    import docparse.pipeline as pipeline_mod

    for mod in (citations_mod, pipeline_mod):
        monkeypatch.setattr(mod, "MAX_CITATIONS", 5)
    for mod in (entities_mod, pipeline_mod):
        monkeypatch.setattr(mod, "MAX_ENTITIES", 4)
    doc = docparse.parse_text("Căn cứ Quyết định số 12/QĐ-UBND, Sở Tài chính, " * 12)
    assert len(doc.citations) == 5 and len(doc.entities) == 4
    assert {"citations.truncated", "entities.truncated"} <= {n.code for n in doc.notices}


def test_time_budget_stops_the_running_layer_and_skips_the_rest(monkeypatch):
    """A layer still running when the document's budget runs out is stopped, the layers after it are skipped; both
    are reported, and what was read before stays."""
    import time

    import docparse.pipeline as pipeline_mod

    def slow_structure(*args, **kwargs):
        time.sleep(5)  # interrupted by the timer
        return []

    monkeypatch.setenv("DOCPARSE_TIME_BUDGET", "0.3")
    monkeypatch.setattr(pipeline_mod, "extract_structure", slow_structure)
    t0 = time.monotonic()
    doc = docparse.parse_text("Căn cứ Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh.\n")
    assert time.monotonic() - t0 < 3
    assert [c.code for c in doc.citations] == ["12/QĐ-UBND"]      # read before the budget ran out
    stopped = [n for n in doc.notices if n.code == "time.budget_exceeded"]
    assert stopped and "structure" in stopped[0].message
    assert len(stopped) > 1                                        # later layers skipped, each said


def test_time_budget_zero_turns_it_off(monkeypatch):
    monkeypatch.setenv("DOCPARSE_TIME_BUDGET", "0")
    doc = docparse.parse_text("Căn cứ Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh.\n")
    assert not [n for n in doc.notices if n.code == "time.budget_exceeded"]


def test_time_budget_is_per_thread(monkeypatch):
    """A server parses in worker threads: one thread's spent budget must not cut another thread's document."""
    import threading

    import docparse.pipeline as pipeline_mod

    real_structure = pipeline_mod.extract_structure
    release = threading.Event()

    def structure(*args, **kwargs):
        if threading.current_thread().name == "slow":
            release.wait(3)  # holds its budget past the deadline; no timer off the main thread
        return real_structure(*args, **kwargs)

    monkeypatch.setenv("DOCPARSE_TIME_BUDGET", "0.3")
    monkeypatch.setattr(pipeline_mod, "extract_structure", structure)
    text = "Căn cứ Quyết định số 12/QĐ-UBND ngày 05/3/2025 của Ủy ban nhân dân tỉnh.\n"
    out = {}
    slow = threading.Thread(target=lambda: out.setdefault("slow", docparse.parse_text(text)), name="slow")
    slow.start()
    import time
    time.sleep(0.5)  # the slow thread is now past its deadline
    fast = threading.Thread(target=lambda: out.setdefault("fast", docparse.parse_text(text)), name="fast")
    fast.start()
    fast.join(10)
    release.set()
    slow.join(10)
    assert not [n for n in out["fast"].notices if n.code == "time.budget_exceeded"]
    assert [n for n in out["slow"].notices if n.code == "time.budget_exceeded"]


def test_findings_of_one_check_are_capped_per_document(monkeypatch, tmp_path):
    """Thousands of malformed numbers give a capped list and a notice, not thousands of findings; the cap is not a
    bug (exit 1 for error findings, not 3)."""
    import docparse.checks as checks_mod
    from typer.testing import CliRunner

    from docparse.cli import app

    monkeypatch.setattr(checks_mod, "MAX_PER_DOCUMENT", 5)
    doc = docparse.parse_text("Tổng số: " + " ".join(f"1.2345.{i:03d} hồ sơ;" for i in range(40)) + "\n")
    found = [f for f in docparse.check(doc) if f.code == "number.malformed"]
    assert len(found) == 5
    assert "findings.truncated" in {n.code for n in doc.notices}
    path = tmp_path / "many.txt"
    path.write_text(doc.text, encoding="utf-8")
    result = CliRunner().invoke(app, ["check", "--jobs", "1", str(path)])
    assert result.exit_code in (0, 1), result.output
