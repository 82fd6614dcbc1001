"""The SQLite index: a killed run leaves a usable index that a rerun completes, two writers at once, one document
under two path spellings, stale records re-parsed, pruning, incremental re-checks equal to a fresh check, and the
queryable tables."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fictional import vb

import docparse
from docparse.corpus import Corpus

ROOT = Path(__file__).resolve().parents[1]


def _reports(folder: Path, n: int, start: int = 0) -> list[Path]:
    """n fictional reports citing one decision with two dates (a citation.conflict) and a numbered series."""
    paths = []
    for i in range(start, start + n):
        day = 5 + i % 2
        body = (f"Thực hiện Quyết định số 123/QĐ-UBND ngày {day:02d}/3/2025 của UBND huyện về chuyển đổi số và "
                f"Kế hoạch số {40 + i}/KH-UBND ngày {1 + i % 27:02d}/4/2025 của UBND huyện, các xã đã triển khai. "
                f"Căn cứ Nghị định số {100 + i}/2025/NĐ-CP ngày {1 + (7 * i) % 28:02d}/{1 + i % 12:02d}/2025 "
                "của Chính phủ.")
        p = folder / f"bc_{i:03d}.txt"
        p.write_text(vb(body, so=f"Số: {200 + i}/BC-UBND"), encoding="utf-8")
        paths.append(p)
    return paths


def _rows(db) -> dict:
    with Corpus(db) as c:
        conn = c.conn
        return {"documents": sorted(conn.execute("SELECT sha, path, record FROM documents")),
                "citations": sorted(conn.execute("SELECT d.sha, c.idx, c.code, c.authority FROM citations c "
                                                 "JOIN documents d ON d.id = c.doc")),
                "findings": sorted(conn.execute("SELECT d.sha, f.code, f.message FROM findings f "
                                                "JOIN documents d ON d.id = f.doc"))}


def _keys(findings):
    return [(f.code, f.document, f.message, [(e.document, e.span.start, e.text) for e in f.spans]) for f in findings]


def _index_in_subprocess(db: Path, folder: Path) -> subprocess.Popen:
    code = ("import sys; from docparse.batch import expand; from docparse.corpus import Corpus; "
            "c = Corpus(sys.argv[1]); r = c.add_many(expand([sys.argv[2]])[0]); "
            "sys.exit(1 if r.failed else 0)")
    return subprocess.Popen([sys.executable, "-c", code, str(db), str(folder)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_killed_run_leaves_a_usable_index_and_a_rerun_completes_it(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = _reports(folder, 40)
    db = tmp_path / "idx.sqlite"
    proc = _index_in_subprocess(db, folder)
    deadline = time.monotonic() + 60
    seen = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                import sqlite3

                with sqlite3.connect(db, timeout=5) as conn:
                    seen = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            except sqlite3.Error:
                seen = 0
        if seen >= 3:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with Corpus(db) as c:  # opens: no damage, a prefix of the documents
        assert 3 <= len(c) < len(paths)
        report = c.add_many(paths)  # the rerun finishes the job
        assert not report.failed and len(report.unchanged) == len(c.ids()) - len(report.added)
        assert len(c) == len(paths)
        resumed = _keys(c.check())
    clean = tmp_path / "clean.sqlite"
    with Corpus(clean) as c:
        c.add_many(paths)
        assert _keys(c.check()) == resumed
    assert _rows(db) == _rows(clean)


def test_two_writers_at_once(tmp_path):
    folder_a, folder_b = tmp_path / "a", tmp_path / "b"
    folder_a.mkdir()
    folder_b.mkdir()
    paths = _reports(folder_a, 12) + _reports(folder_b, 12, start=12)
    db = tmp_path / "idx.sqlite"
    procs = [_index_in_subprocess(db, folder_a), _index_in_subprocess(db, folder_b)]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    with Corpus(db) as c:
        assert sorted(c.ids()) == sorted(str(p) for p in paths)
        assert len(c.check(select=["citation.conflict"])) == 1


def test_absolute_and_relative_paths_are_one_document_and_the_same_findings(tmp_path, monkeypatch):
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = _reports(folder, 6)
    monkeypatch.chdir(tmp_path)
    relative = [os.path.join("docs", p.name) for p in paths]
    with Corpus() as fresh:
        fresh.add_many(relative)
        expected = _keys(fresh.check())
    with Corpus(tmp_path / "idx.sqlite") as c:
        c.add_many([str(p) for p in paths])
        assert _keys(c.check()) != expected  # named by their absolute paths
        report = c.add_many(relative)
        assert report.unchanged == relative
        assert len(c) == len(paths) and c.conn.execute("SELECT COUNT(*) FROM paths").fetchone()[0] == len(paths)
        assert _keys(c.check()) == expected


def test_a_record_of_another_docparse_version_is_parsed_again(tmp_path, monkeypatch):
    import docparse.corpus as corpus_module

    path = _reports(tmp_path, 1)[0]
    db = tmp_path / "idx.sqlite"
    monkeypatch.setattr(corpus_module, "__version__", "0.0.1")
    with Corpus(db) as c:
        assert c.add(path) == "added"
    monkeypatch.undo()
    with Corpus(db) as c:
        assert c.conn.execute("SELECT docparse_version FROM documents").fetchone()[0] == "0.0.1"
        assert c.add(path) == "replaced"
        assert c.conn.execute("SELECT docparse_version FROM documents").fetchall() == [(docparse.__version__,)]
        assert c.add(path) == "unchanged"


def test_prune_removes_files_gone_from_the_folder(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = _reports(folder, 3)
    with Corpus(tmp_path / "idx.sqlite") as c:
        c.add_many(paths)
        assert len(c.check(select=["citation.conflict"])) == 1
        paths[1].unlink()  # the only document citing 123/QĐ-UBND with 06/3/2025
        assert c.prune([tmp_path / "elsewhere"]) == [] and len(c) == 3
        assert c.prune([folder]) == [str(paths[1])]
        assert sorted(c.ids()) == [str(paths[0]), str(paths[2])]
        assert c.check(select=["citation.conflict"]) == []
        assert c.conn.execute("SELECT COUNT(*) FROM citations c LEFT JOIN documents d ON d.id = c.doc "
                              "WHERE d.id IS NULL").fetchone()[0] == 0


def test_incremental_recheck_equals_a_fresh_check_and_touches_few_groups(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = _reports(folder, 20)
    with Corpus(tmp_path / "idx.sqlite") as c:
        c.add_many(paths)
        c.check()
        total = c.conn.execute("SELECT COUNT(DISTINCT grp) FROM entries").fetchone()[0]
        paths[4].write_text(vb("Thực hiện Quyết định số 123/QĐ-UBND ngày 07/3/2025 của UBND huyện về chuyển đổi "
                               "số, các xã đã triển khai.", so="Số: 204/BC-UBND"), encoding="utf-8")
        assert c.add(paths[4]) == "replaced"
        assert c.update() <= 12 < total  # the old and new groups of one document, not the corpus
        incremental = _keys(c.check())
    with Corpus() as fresh:
        fresh.add_many(paths)
        assert _keys(fresh.check()) == incremental
    assert any("07/03/2025" in k[2] for k in incremental)


def test_tables_answer_questions_in_sql(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = _reports(folder, 3)
    with Corpus(tmp_path / "idx.sqlite") as c:
        c.add_many(paths)
        c.check()
        citing = c.conn.execute("SELECT DISTINCT d.path FROM citations c JOIN documents d ON d.id = c.doc "
                                "WHERE c.code = '123/QĐ-UBND' ORDER BY d.path").fetchall()
        assert [r[0] for r in citing] == [str(p) for p in paths]
        assert c.conn.execute("SELECT COUNT(*) FROM findings WHERE code = 'citation.conflict'").fetchone()[0] == 1
        assert c.conn.execute("SELECT COUNT(*) FROM dates").fetchone()[0] > 0
        stored = c.document(str(paths[0]))
        assert stored.model_dump(exclude={"citations"}) == docparse.parse(paths[0]).model_dump(exclude={"citations"})
        assert stored.citations[0].resolved_to is None


@pytest.mark.parametrize("jobs", [1, 2])
def test_add_many_with_jobs_keeps_input_order_and_failures(tmp_path, jobs):
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = _reports(folder, 5)
    bad = tmp_path / "bang.xyz"
    bad.write_text("không phải văn bản", encoding="utf-8")
    items = [paths[0], bad, *paths[1:]]
    with Corpus() as c:
        seen = []
        report = c.add_many(items, jobs=jobs, progress=lambda name, ok: seen.append((name, ok)))
        assert report.added == [str(p) for p in paths]
        assert [n for n, _ in report.failed] == [str(bad)]
        assert type(report.failed[0][1]).__name__ == "UnsupportedFormatError" and report.failed[0][1].reason
        assert seen == [(str(p), p != bad) for p in items]
        assert c.conn.execute("SELECT path FROM documents ORDER BY id").fetchall() == [(str(p),) for p in paths]


def test_a_document_changed_outside_its_citations_keeps_the_series_findings_naming_it(tmp_path):
    """Its identity groups feed the series the same entries as before, yet the series findings naming it were
    removed with its old record: they must come back (the series group is recomputed)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = _reports(folder, 20)
    with Corpus(tmp_path / "idx.sqlite") as c:
        c.add_many(paths)
        named = {e.document for f in c.check() if f.code == "citation.sequence" for e in f.spans}
        target = next(p for p in paths if str(p) in named or os.path.normpath(str(p)) in named)
        target.write_text(target.read_text(encoding="utf-8") + "\nGhi chú: bản sửa lần hai.\n", encoding="utf-8")
        assert c.add(target) == "replaced"
        incremental = _keys(c.check())
    with Corpus() as fresh:
        fresh.add_many(paths)
        assert _keys(fresh.check()) == incremental
    assert any(k[0] == "citation.sequence" and str(target) in {e[0] for e in k[3]} for k in incremental)


def test_an_edit_away_from_citations_keeps_their_groups_and_equals_a_fresh_check(tmp_path):
    """A changed file whose citations and header read the same (text added after them) re-checks none of its identity
    groups and keeps its citations' resolutions; an edit that moves its citations re-checks their groups. Both give
    the findings of a fresh index."""
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = _reports(folder, 20)
    paths.append(folder / "kh_040.txt")  # a plan the first report cites: that citation resolves to it
    paths[-1].write_text(vb("Triển khai chuyển đổi số.", so="Số: 40/KH-UBND", ngay="Thị trấn Mây, ngày 01 tháng 4 "
                            "năm 2025", loai="KẾ HOẠCH\nChuyển đổi số"), encoding="utf-8")

    def resolved(c):
        return c.conn.execute("SELECT doc, idx, resolved_doc FROM citations WHERE resolved_doc IS NOT NULL "
                              "AND resolved_doc != doc ORDER BY doc, idx").fetchall()

    def fresh_keys():
        with Corpus() as fresh:
            fresh.add_many(paths)
            return _keys(fresh.check())

    with Corpus(tmp_path / "idx.sqlite") as c:
        c.add_many(paths)
        c.check()
        before = resolved(c)
        target = paths[0]
        target.write_text(target.read_text(encoding="utf-8") + "\nGhi chú: bản sửa.\n", encoding="utf-8")
        assert c.add(target) == "replaced"
        assert c.conn.execute("SELECT COUNT(*) FROM dirty WHERE grp LIKE 'cite%'").fetchone()[0] == 0
        assert _keys(c.check()) == fresh_keys()
        assert resolved(c) == before
        target.write_text("\n" + target.read_text(encoding="utf-8"), encoding="utf-8")  # every span moves by one
        assert c.add(target) == "replaced"
        assert c.conn.execute("SELECT COUNT(*) FROM dirty WHERE grp LIKE 'cite%'").fetchone()[0] >= 3
        assert _keys(c.check()) == fresh_keys()
        assert resolved(c) == before
    assert before and any(doc == 1 for doc, _, _ in before)


@pytest.mark.parametrize("focus", [False, True])
def test_streamed_check_gives_the_findings_of_a_sort_of_them_all(tmp_path, focus):
    """iter_check reads the findings back in sort_findings order from SQL: the same list as collecting every
    document and corpus finding and sorting them (ties in the order they were found)."""
    from docparse.checks import selected, sort_findings

    folder = tmp_path / "docs"
    folder.mkdir()
    paths = _reports(folder, 24)
    with Corpus(tmp_path / "idx.sqlite") as c:
        c.add_many(paths)
        chosen = [str(paths[3]), str(paths[10])] if focus else None
        got = list(c.iter_check(focus=chosen))
        doc_codes = {s.code for s in selected(None, None, "document")}
        everything = [f for _, f in c.document_findings(chosen) if f.code in doc_codes]
        c._focus = chosen
        everything += [f for s in selected(None, None, "corpus") for f in s.corpus(c)
                       if chosen is None or any(e.document in chosen for e in f.spans)]
        c._focus = None
    assert _keys(got) == _keys(sort_findings(everything))
    assert len({f.severity for f in got}) >= 2 and "citation.conflict" in {f.code for f in got}
    assert focus or "citation.sequence" in {f.code for f in got}
