"""The SQLite corpus: persistence, cross-document conflicts, the header as strongest evidence, resolution,
add_many failures and refs()."""
from __future__ import annotations

from pathlib import Path

import pytest
from fictional import vb

import docparse
from docparse.corpus import AddReport, Corpus
from docparse.errors import DocparseError, UnsupportedFormatError

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def doc(body: str, source: str, **kw) -> docparse.Document:
    return docparse.parse_text(vb(body, **kw), source=source)


QD_123 = dict(so="Số: 123/QĐ-UBND", ngay="Thị trấn Mây, ngày 05 tháng 3 năm 2025",
              loai="QUYẾT ĐỊNH\nVề việc phê duyệt Kế hoạch chuyển đổi số năm 2025\n\nQUYẾT ĐỊNH:")


def cites_123(date: str, source: str, number: str = "78") -> docparse.Document:
    return doc(f"Thực hiện Quyết định số 123/QĐ-UBND ngày {date} của UBND huyện về chuyển đổi số, "
               "các xã đã triển khai đầy đủ.", source, so=f"Số: {number}/BC-UBND")


def decision_123() -> docparse.Document:
    return doc("Điều 1. Phê duyệt Kế hoạch chuyển đổi số năm 2025 của huyện.\n"
               "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", "qd123.txt", **QD_123)


def conflicts(findings):
    return [f for f in findings if f.code == "citation.conflict"]


def assert_evidence_in_corpus(corpus, findings):
    for f in findings:
        for e in f.spans:
            assert e.document in corpus.ids(), e.document
            assert corpus.document(e.document).text[e.span.start:e.span.end] == e.text


# ---- persistence --------------------------------------------------------------------------------------------------
def _cited_codes(corpus, doc_id):
    return sorted(r[0] for r in corpus.conn.execute(
        "SELECT c.code FROM citations c JOIN documents d ON d.id = c.doc WHERE d.path = ?", (doc_id,)))


def test_persistence_add_unchanged_replaced_reopen(tmp_path):
    path = tmp_path / "bc.txt"
    path.write_text(vb("Thực hiện Kế hoạch số 35/KH-UBND ngày 10/3/2025 của UBND huyện, các xã đã triển khai."),
                    encoding="utf-8")
    db = tmp_path / "idx.sqlite"
    doc_id = str(path)

    corpus = Corpus(db)
    assert corpus.add(path) == "added"
    assert corpus.add(path) == "unchanged"
    assert corpus.add(str(path)) == "unchanged"
    assert len(corpus) == 1 and corpus.ids() == [doc_id]
    assert _cited_codes(corpus, doc_id) == ["35/KH-UBND"]

    path.write_text(vb("Thực hiện Kế hoạch số 36/KH-UBND ngày 11/3/2025 của UBND huyện.\n"
                       "Theo Công văn số 9/UBND-VP ngày 12/3/2025 của UBND huyện, các xã báo cáo kết quả."),
                    encoding="utf-8")
    assert corpus.add(path) == "replaced"
    assert len(corpus) == 1
    assert _cited_codes(corpus, doc_id) == ["36/KH-UBND", "9/UBND-VP"]
    forms = {f for r in corpus.refs() for f in r["forms"]}
    assert "35/KH-UBND" not in forms and {"36/KH-UBND", "9/UBND-VP"} <= forms
    corpus.close()

    with Corpus(db) as again:
        assert len(again) == 1
        assert again.ids() == [doc_id]
        stored = again.document(doc_id)
        assert stored == docparse.parse(path)
        assert [c.code for c in stored.citations] == ["36/KH-UBND", "9/UBND-VP"]
        assert _cited_codes(again, doc_id) == ["36/KH-UBND", "9/UBND-VP"]
        assert again.add(path) == "unchanged"
        with pytest.raises(KeyError):
            again.document(str(tmp_path / "nope.txt"))


def test_add_many_reports_statuses(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(vb("Thực hiện Kế hoạch số 35/KH-UBND ngày 10/3/2025 của UBND huyện."), encoding="utf-8")
    b.write_text(vb("Thực hiện Kế hoạch số 36/KH-UBND ngày 11/3/2025 của UBND huyện.", so="Số: 78/BC-UBND"),
                 encoding="utf-8")
    with Corpus(tmp_path / "idx.sqlite") as corpus:
        r1 = corpus.add_many([a, b])
        assert r1.added == [str(a), str(b)] and not r1.unchanged and not r1.replaced and not r1.failed
        b.write_text(vb("Thực hiện Kế hoạch số 37/KH-UBND ngày 12/3/2025 của UBND huyện.", so="Số: 78/BC-UBND"),
                     encoding="utf-8")
        r2 = corpus.add_many([a, b])
        assert r2.unchanged == [str(a)] and r2.replaced == [str(b)] and not r2.added
        assert set(r2.parsed) == {str(a), str(b)}


def test_one_file_under_two_path_spellings_is_one_entry(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(vb("Thực hiện Kế hoạch số 35/KH-UBND ngày 10/3/2025 của UBND huyện."), encoding="utf-8")
    with Corpus() as corpus:
        assert corpus.add(a) == "added"
        assert corpus.add(f"{tmp_path}/./sub/../a.txt") == "unchanged"
        assert corpus.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 1


# ---- add_many failures --------------------------------------------------------------------------------------------
def test_add_many_collects_failures_and_adds_good_files(tmp_path):
    bad_ext = tmp_path / "bang_tinh.xyz"
    bad_ext.write_text("không phải văn bản", encoding="utf-8")
    missing = tmp_path / "khong_co.txt"
    good = [SAMPLES / "qd_quyche.txt", SAMPLES / "cv_dulieu.txt"]
    with Corpus() as corpus:
        report = corpus.add_many([good[0], missing, bad_ext, good[1]])
        assert isinstance(report, AddReport)
        assert report.added == [str(good[0]), str(good[1])]
        failed = dict(report.failed)
        assert set(failed) == {str(missing), str(bad_ext)}
        for name, err in report.failed:
            assert isinstance(err, DocparseError)
            assert err.reason
            assert Path(err.path).name == Path(name).name
        assert isinstance(failed[str(bad_ext)], UnsupportedFormatError)
        assert len(corpus) == 2
        assert set(corpus.ids()) == {str(p) for p in good}


# ---- cross-document conflicts -------------------------------------------------------------------------------------
def test_cross_document_date_conflict():
    a, b = cites_123("05/3/2025", "a.txt", "78"), cites_123("06/3/2025", "b.txt", "79")
    assert a.citations[0].date.isoformat() == "2025-03-05" and b.citations[0].date.isoformat() == "2025-03-06"
    with Corpus() as corpus:
        corpus.add_many([a, b])
        hits = conflicts(corpus.check())
        assert len(hits) == 1
        f = hits[0]
        assert f.severity == "error"
        assert f.data["kind"] == "date"
        assert f.data["dates"] == ["2025-03-05", "2025-03-06"]
        assert {e.document for e in f.spans} == {"a.txt", "b.txt"}
        assert len({e.document for e in f.spans}) == len(f.spans) == 2
        assert all("123/QĐ-UBND" in e.text for e in f.spans)
        assert_evidence_in_corpus(corpus, hits)


def test_cross_document_same_date_is_not_a_conflict():
    a, b = cites_123("05/3/2025", "a.txt", "78"), cites_123("05/03/2025", "b.txt", "79")
    assert conflicts(docparse.check([a, b])) == []


def test_cross_document_via_api():
    a, b = cites_123("05/3/2025", "a.txt", "78"), cites_123("06/3/2025", "b.txt", "79")
    hits = conflicts(docparse.check([a, b]))
    assert len(hits) == 1 and {e.document for e in hits[0].spans} == {"a.txt", "b.txt"}


def test_header_is_strongest_evidence():
    a, b, c = cites_123("05/3/2025", "a.txt", "78"), cites_123("06/3/2025", "b.txt", "79"), decision_123()
    assert c.header.code == "123/QĐ-UBND" and c.header.date.isoformat() == "2025-03-05"
    with Corpus() as corpus:
        corpus.add_many([a, b, c])
        hits = conflicts(corpus.check())
        assert len(hits) == 1, [h.message for h in hits]
        f = hits[0]
        assert f.severity == "error"
        assert f.data["kind"] == "header_date"
        assert f.data["header_date"] == "2025-03-05"
        assert f.data["header_document"] == "qd123.txt"
        assert f.data["cited_dates"] == ["2025-03-06"]
        # only the citation that disagrees with the header is evidence
        assert [e.document for e in f.spans] == ["b.txt"]
        assert "06/3/2025" in f.spans[0].text
        assert "05/03/2025" in f.message and "06/03/2025" in f.message
        assert_evidence_in_corpus(corpus, hits)


def test_resolve_points_citations_at_the_header_document():
    a, b, c = cites_123("05/3/2025", "a.txt", "78"), cites_123("06/3/2025", "b.txt", "79"), decision_123()
    with Corpus() as corpus:
        corpus.add_many([a, b, c])
        n = corpus.resolve()
        assert n >= 2
        for doc_id in ("a.txt", "b.txt"):
            cs = [x for x in corpus.document(doc_id).citations if x.code == "123/QĐ-UBND"]
            assert cs and all(x.resolved_to == "qd123.txt" for x in cs)
        assert all(x.resolved_to != "qd123.txt" for x in corpus.document("qd123.txt").citations)
        refs = [r for r in corpus.refs() if r["key"]["number"] == "123"]
        assert len(refs) == 1 and refs[0]["in_corpus"] == "qd123.txt"


def test_resolve_without_target_leaves_none():
    a = cites_123("05/3/2025", "a.txt", "78")
    with Corpus() as corpus:
        corpus.add(a)
        assert corpus.resolve() == 0
        assert all(x.resolved_to is None for x in corpus.document("a.txt").citations)


def test_focus_limits_findings_to_given_documents():
    a, b = cites_123("05/3/2025", "a.txt", "78"), cites_123("06/3/2025", "b.txt", "79")
    other = doc("I. KẾT QUẢ\nĐã hoàn thành.\nII. TỒN TẠI\nCòn chậm.\nII. NHIỆM VỤ\nTiếp tục.", "z.txt",
                so="Số: 90/BC-UBND")
    with Corpus() as corpus:
        corpus.add_many([a, b, other])
        all_codes = [f.code for f in corpus.check()]
        assert "structure.numbering" in all_codes and "citation.conflict" in all_codes
        focused = corpus.check(focus=["a.txt"])
        codes = [f.code for f in focused]
        assert "citation.conflict" in codes and "structure.numbering" not in codes
        assert all(f.document in (None, "a.txt") for f in focused)
        assert corpus.check(focus=["z.txt"], select=["citation"]) == []


@pytest.mark.parametrize("with_header", [True, False], ids=["header_date", "date"])
def test_every_document_with_the_wrong_date_is_reported(with_header):
    first = decision_123() if with_header else cites_123("05/3/2025", "a.txt", "78")
    b, d = cites_123("06/3/2025", "b.txt", "79"), cites_123("06/3/2025", "d.txt", "80")
    with Corpus() as corpus:
        corpus.add_many([first, b, d])
        hits = conflicts(corpus.check(focus=["d.txt"]))
        assert hits, "d.txt cites 123/QĐ-UBND with a date the corpus contradicts"
        assert any(e.document == "d.txt" for f in hits for e in f.spans)


# ---- refs -----------------------------------------------------------------------------------------------------------
def test_refs_groups_one_document_across_documents():
    a = cites_123("05/3/2025", "a.txt", "78")
    b = doc("Căn cứ Quyết định số 0123/QD-UBND ngày 05/3/2025 của UBND huyện, Phòng Văn hóa báo cáo như sau.",
            "b.txt", so="Số: 79/BC-UBND")
    c = cites_123("06/3/2025", "c.txt", "80")
    other = doc("Thực hiện Kế hoạch số 35/KH-UBND ngày 10/3/2025 của UBND huyện.", "e.txt", so="Số: 81/BC-UBND")
    with Corpus() as corpus:
        corpus.add_many([a, b, c, other])
        refs = corpus.refs()
        g = [r for r in refs if r["key"]["number"] == "123"]
        assert len(g) == 1, [r["key"] for r in refs]
        g = g[0]
        assert g["key"]["year"] == 2025
        assert sorted(m["document"] for m in g["mentions"]) == ["a.txt", "b.txt", "c.txt"]
        assert set(g["forms"]) == {"123/QĐ-UBND", "0123/QD-UBND"}
        assert g["dates"] == ["2025-03-05", "2025-03-06"]
        assert g["doc_types"] == ["Quyết định"]
        assert g["in_corpus"] is None
        for m in g["mentions"]:
            assert corpus.document(m["document"]).text[m["span"]["start"]:m["span"]["end"]] == m["text"]
        k35 = [r for r in refs if r["key"]["number"] == "35"]
        assert len(k35) == 1 and [m["document"] for m in k35[0]["mentions"]] == ["e.txt"]
        # most-cited first
        assert refs[0] is not None and len(refs[0]["mentions"]) == max(len(r["mentions"]) for r in refs)


def test_refs_over_samples_lists_35_kh_with_both_dates():
    with Corpus() as corpus:
        corpus.add_many([SAMPLES / "bc_cchc_2025.txt", SAMPLES / "qd_quyche.txt", SAMPLES / "cv_dulieu.txt"])
        refs = corpus.refs()
        r35 = [r for r in refs if "35/KH-UBND" in r["forms"]]
        assert len(r35) == 1
        assert r35[0]["dates"] == ["2025-02-24", "2025-02-25"]
        r2610 = [r for r in refs if "2610/QĐ-UBND" in r["forms"]]
        assert len(r2610) == 1 and r2610[0]["in_corpus"] == str(SAMPLES / "qd_quyche.txt")
        assert {m["document"] for m in r2610[0]["mentions"]} == {str(SAMPLES / "qd_quyche.txt"),
                                                                  str(SAMPLES / "cv_dulieu.txt")}


def test_refs_joins_undated_mention_to_the_only_year():
    a = cites_123("05/3/2025", "a.txt", "78")
    y = doc("Theo Quyết định số 123/QĐ-UBND của UBND huyện, các xã đã triển khai.", "y.txt", so="Số: 81/BC-UBND")
    assert [c.code for c in y.citations] == ["123/QĐ-UBND"] and y.citations[0].year is None
    with Corpus() as corpus:
        corpus.add_many([a, y])
        g = [r for r in corpus.refs() if r["key"]["number"] == "123"]
        assert len(g) == 1
        assert sorted(m["document"] for m in g[0]["mentions"]) == ["a.txt", "y.txt"]


@pytest.mark.parametrize("second_subject, expected", [
    ("quy định chi tiết một số điều của Luật Đấu thầu về lựa chọn nhà thầu", 1),   # same subject: a conflict
    ("về xác định các thôn đặc biệt khó khăn vùng đồng bào dân tộc thiểu số", 0),  # another decree, mistyped number
])
def test_different_subjects_are_two_documents_behind_one_number(second_subject, expected):
    first = doc("Căn cứ Nghị định số 214/2025/NĐ-CP ngày 04/8/2025 của Chính phủ quy định chi tiết một số điều "
                "của Luật Đấu thầu về lựa chọn nhà thầu;", "a.txt")
    second = doc(f"Căn cứ Nghị định số 214/2025/NĐ-CP ngày 29/9/2025 của Chính phủ {second_subject};", "b.txt",
                 so="Số: 90/BC-UBND")
    assert len(conflicts(docparse.check([first, second]))) == expected


def test_source_is_the_stored_documents_text_and_format(tmp_path):
    """Corpus.source (what reports read to place evidence) gives document()'s text and format, from disk and from
    the cache, without building the Document."""
    paths = [SAMPLES / "bc_cchc_2025.docx", SAMPLES / "qd_quyche.txt"]
    with Corpus(tmp_path / "i.sqlite") as c:
        c.add_many(paths)
        got = [c.source(str(p)) for p in paths]
        docs = [c.document(str(p)) for p in paths]
        assert got == [(d.text, d.format) for d in docs] and [g[1] for g in got] == ["docx", "txt"]
        assert [c.source(str(p)) for p in paths] == got  # now from the documents cached by document()
        with pytest.raises(KeyError):
            c.source("khong_co.txt")
