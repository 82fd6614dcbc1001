"""The check engine: planted inconsistencies of the samples, clean documents, unit cases built with parse_text,
select/ignore and the registry."""
from __future__ import annotations

import datetime as dt
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest
from fictional import vb

import docparse
from docparse.checks import REGISTRY, load_all, selected
from docparse.identity import citation_key, document_id

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


# ---- helpers ------------------------------------------------------------------------------------------------------
QD = dict(so="Số: 88/QĐ-UBND", loai="QUYẾT ĐỊNH\nVề việc cử cán bộ tham gia lớp tập huấn\n\n"
          "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN SÔNG MÂY\n\nQUYẾT ĐỊNH:")
DRAFT = dict(so="Số:      /BC-UBND", ngay="Thị trấn Mây, ngày    tháng 7 năm 2025")


def parse(body: str, **kw) -> docparse.Document:
    return docparse.parse_text(vb(body, **kw))


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def of(findings, code: str) -> list:
    return [f for f in findings if f.code == code]


def squash(s: str) -> str:
    return " ".join(s.split())


def assert_evidence_exact(doc, findings):
    for f in findings:
        assert f.spans, f"{f.code} has no evidence"
        for e in f.spans:
            assert e.document == document_id(doc), (f.code, e.document)
            assert doc.text[e.span.start:e.span.end] == e.text, (f.code, e.span, e.text)


# ---- planted inconsistencies of bc_cchc_2025 (txt, docx, pdf) -----------------------------------------------------
@lru_cache(maxsize=None)
def _bc(fmt: str):
    doc = docparse.parse(SAMPLES / f"bc_cchc_2025.{fmt}")
    return doc, tuple(docparse.check(doc))


BC_FORMATS = ["txt", "docx", "pdf"]


@pytest.fixture(params=BC_FORMATS)
def bc(request):
    doc, findings = _bc(request.param)
    return doc, list(findings)


def test_bc_conflict_35_kh(bc):
    doc, fs = bc
    hits = [f for f in of(fs, "citation.conflict") if f.data.get("code") == "35/KH-UBND"]
    assert len(hits) == 1, codes(fs)
    f = hits[0]
    assert f.severity == "error"
    assert f.data["kind"] == "date"
    assert f.data["dates"] == ["2025-02-24", "2025-02-25"]
    texts = [squash(e.text) for e in f.spans]
    assert len(texts) == 2
    assert "35/KH-UBND ngày 24/02/2025" in texts[0]
    assert "35/KH-UBND ngày 25/02/2025" in texts[1]


def test_bc_duplicate_173(bc):
    doc, fs = bc
    hits = of(fs, "citation.duplicate")
    assert len(hits) == 1, codes(fs)
    f = hits[0]
    assert f.severity == "warning"
    assert f.data["code"] == "173/BC-VP"
    assert len(f.spans) == 2
    assert all("173/BC-VP ngày 14/02/2025" in squash(e.text) for e in f.spans)
    assert f.spans[0].span.start < f.spans[1].span.start


def test_bc_count_mismatch(bc):
    doc, fs = bc
    hits = of(fs, "citation.count_mismatch")
    assert len(hits) == 1, codes(fs)
    f = hits[0]
    assert f.severity == "warning"
    assert f.data["stated"] == 5
    assert f.data["listed_distinct"] == 4
    assert f.data["listed_mentions"] == 5
    assert squash(f.spans[0].text) == "05 báo cáo"
    listed = " ".join(squash(e.text) for e in f.spans[1:])
    for n in ("76/BC-VP", "173/BC-VP", "402/BC-VP", "655/BC-VP"):
        assert n in listed


def test_bc_invalid_date(bc):
    doc, fs = bc
    hits = of(fs, "date.invalid")
    assert len(hits) == 1, codes(fs)
    assert hits[0].severity == "error"
    assert "31/4/2025" in squash(hits[0].spans[0].text)


def test_bc_after_document_only_2750(bc):
    doc, fs = bc
    hits = of(fs, "citation.after_document")
    # the self-reference dated 16/12/2025 is a self_mismatch, not also an after_document
    assert len(hits) == 1, [f.message for f in hits]
    f = hits[0]
    assert f.severity == "error"
    assert f.data["code"] == "2750/QĐ-UBND"
    assert f.data["cited_date"] == "2025-12-22"
    assert f.data["document_date"] == "2025-12-15"
    assert "2750/QĐ-UBND ngày 22/12/2025" in squash(f.spans[0].text)


def test_bc_numbering_second_II(bc):
    doc, fs = bc
    hits = of(fs, "structure.numbering")
    # II repeated; the III that follows is not a second error
    assert len(hits) == 1, [f.message for f in hits]
    f = hits[0]
    assert f.severity == "warning"
    assert (f.data["previous"], f.data["current"], f.data["problem"]) == ("II", "II", "repeat")
    assert squash(f.spans[-1].text).startswith("II. ĐÁNH GIÁ CHUNG")


def test_bc_self_mismatch(bc):
    doc, fs = bc
    hits = of(fs, "citation.self_mismatch")
    assert len(hits) == 1, codes(fs)
    f = hits[0]
    assert f.severity == "error"
    assert f.data["date"] == ["2025-12-16", "2025-12-15"]
    assert "1234/BC-VP ngày 16/12/2025" in squash(f.spans[0].text)


def test_bc_evidence_spans_exact(bc):
    doc, fs = bc
    assert len(fs) >= 7
    assert_evidence_exact(doc, fs)


def test_bc_all_planted_codes_present(bc):
    doc, fs = bc
    expected = {"citation.conflict": "error", "citation.duplicate": "warning", "citation.count_mismatch": "warning",
                "date.invalid": "error", "citation.after_document": "error", "structure.numbering": "warning",
                "citation.self_mismatch": "error"}
    got = {f.code: f.severity for f in fs}
    for code, sev in expected.items():
        assert got.get(code) == sev, (code, got)


# ---- clean documents ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("names", [["qd_quyche.txt"], ["cv_dulieu.txt"], ["qd_quyche.txt", "cv_dulieu.txt"]],
                         ids=["qd", "cv", "pair"])
def test_clean_samples_have_no_error_or_warning(names):
    fs = docparse.check([str(SAMPLES / n) for n in names])
    bad = [(f.code, f.message) for f in fs if f.severity in ("error", "warning")]
    assert bad == []


def test_pair_resolves_2610():
    """cv_dulieu cites the decision of qd_quyche with its own date: resolved, and no conflict."""
    with docparse.Corpus() as corpus:
        report = corpus.add_many([SAMPLES / "qd_quyche.txt", SAMPLES / "cv_dulieu.txt"])
        assert not report.failed
        assert corpus.check(select=["citation.conflict"]) == []
        cv = corpus.document(str(SAMPLES / "cv_dulieu.txt"))
        c2610 = [c for c in cv.citations if c.code == "2610/QĐ-UBND"]
        assert c2610 and all(c.resolved_to == str(SAMPLES / "qd_quyche.txt") for c in c2610)


# ---- citation unit cases ------------------------------------------------------------------------------------------
def test_same_date_written_two_ways_is_not_a_conflict():
    doc = parse("Thực hiện Kế hoạch số 35/KH-UBND ngày 24/2/2023 của UBND huyện về chuyển đổi số.\n"
                "Theo Kế hoạch số 35/KH-UBND ngày 24/02/2023, các xã đã rà soát dữ liệu dân cư.")
    cs = [c for c in doc.citations if c.code == "35/KH-UBND"]
    assert len(cs) == 2 and {c.date.isoformat() for c in cs} == {"2023-02-24"}
    assert of(docparse.check(doc), "citation.conflict") == []


def test_same_number_in_two_years_is_not_a_conflict():
    doc = parse("Thực hiện Kế hoạch số 35/KH-UBND ngày 10/3/2023 của UBND huyện.\n"
                "Tiếp theo Kế hoạch số 35/KH-UBND ngày 12/3/2024 của UBND huyện, các xã đã triển khai.")
    assert [c.year for c in doc.citations if c.code == "35/KH-UBND"] == [2023, 2024]
    fs = docparse.check(doc)
    assert of(fs, "citation.conflict") == []
    assert of(fs, "citation.symbol_variant") == []


def test_different_symbols_same_number_are_different_documents():
    doc = parse("Thực hiện Công văn số 590/CAT-QLHC(Đ1) ngày 05/3/2025 của Công an tỉnh.\n"
                "Thực hiện Kế hoạch số 590/KH-TTT ngày 07/3/2025 của Trung tâm Truyền thông.")
    cs = [c for c in doc.citations if c.number == "590"]
    assert len(cs) == 2
    assert citation_key(cs[0]) != citation_key(cs[1])
    fs = docparse.check(doc)
    assert of(fs, "citation.conflict") == []
    assert of(fs, "citation.symbol_variant") == []


def test_type_conflict_same_code():
    doc = parse("Thực hiện Kế hoạch số 12/KH-UBND ngày 05/3/2025 của UBND huyện.\n"
                "Căn cứ Quyết định số 12/KH-UBND ngày 05/3/2025 của UBND huyện.")
    hits = of(docparse.check(doc), "citation.conflict")
    assert len(hits) == 1
    f = hits[0]
    assert f.severity == "error"
    assert f.data["kind"] == "type"
    assert sorted(f.data["doc_types"]) == ["Kế hoạch", "Quyết định"]
    assert_evidence_exact(doc, hits)


def test_citation_after_dated_header():
    doc = parse("Thực hiện Quyết định số 40/QĐ-UBND ngày 20/6/2025 của UBND huyện.")
    hits = of(docparse.check(doc), "citation.after_document")
    assert len(hits) == 1
    assert hits[0].severity == "error"
    assert hits[0].data["cited_date"] == "2025-06-20"
    assert_evidence_exact(doc, hits)


def test_citation_before_dated_header_is_fine():
    doc = parse("Thực hiện Quyết định số 40/QĐ-UBND ngày 09/6/2025 của UBND huyện.")
    assert doc.citations and doc.citations[0].code == "40/QĐ-UBND"
    assert of(docparse.check(doc), "citation.after_document") == []


def test_draft_header_same_month_is_fine():
    doc = parse("Thực hiện Quyết định số 40/QĐ-UBND ngày 20/7/2025 của UBND huyện.", **DRAFT)
    assert doc.header.date is None and doc.header.date_partial == "2025-07"
    assert [c.date.isoformat() for c in doc.citations] == ["2025-07-20"]
    assert of(docparse.check(doc), "citation.after_document") == []


def test_draft_header_next_month_is_flagged():
    doc = parse("Thực hiện Quyết định số 40/QĐ-UBND ngày 05/8/2025 của UBND huyện.", **DRAFT)
    hits = of(docparse.check(doc), "citation.after_document")
    assert len(hits) == 1
    assert hits[0].data["cited_date"] == "2025-08-05"
    assert_evidence_exact(doc, hits)


def test_draft_header_blanks_are_info():
    doc = parse("Thực hiện Quyết định số 40/QĐ-UBND ngày 20/7/2025 của UBND huyện.", **DRAFT)
    fs = docparse.check(doc)
    num, date = of(fs, "header.missing_number"), of(fs, "header.missing_date")
    assert len(num) == 1 and len(date) == 1
    assert num[0].severity == "info" and date[0].severity == "info"
    assert date[0].data["date_partial"] == "2025-07"
    assert not [f for f in fs if f.severity != "info"]
    for f in num + date:
        for e in f.spans:
            assert doc.text[e.span.start:e.span.end] == e.text


def test_dated_header_has_no_draft_info():
    doc = parse("Thực hiện Quyết định số 40/QĐ-UBND ngày 09/6/2025 của UBND huyện.")
    fs = docparse.check(doc)
    assert of(fs, "header.missing_number") == [] and of(fs, "header.missing_date") == []


def test_symbol_variant_in_one_document():
    doc = parse("Thực hiện Công văn số 12/UBND-TTHC ngày 05/3/2025 của UBND huyện.\n"
                "Theo Công văn số 12/UBND-TTHCC ngày 05/3/2025 của UBND huyện, các xã báo cáo kết quả.")
    hits = of(docparse.check(doc), "citation.symbol_variant")
    assert len(hits) == 1
    assert hits[0].severity == "warning"
    assert sorted(hits[0].data["codes"]) == ["12/UBND-TTHC", "12/UBND-TTHCC"]
    assert_evidence_exact(doc, hits)


def test_different_types_same_number_are_not_variants():
    doc = parse("Thực hiện Quyết định số 12/QĐ-UBND ngày 05/3/2025 của UBND huyện.\n"
                "Theo Kế hoạch số 12/KH-UBND ngày 06/3/2025 của UBND huyện.")
    assert {c.code for c in doc.citations} == {"12/QĐ-UBND", "12/KH-UBND"}
    fs = docparse.check(doc)
    assert of(fs, "citation.symbol_variant") == []
    assert of(fs, "citation.conflict") == []


def test_sequence_out_of_order_is_info():
    doc = parse("Thực hiện Quyết định số 10/QĐ-UBND ngày 20/3/2024 của UBND huyện.\n"
                "Căn cứ Quyết định số 50/QĐ-UBND ngày 05/1/2024 của UBND huyện.")
    hits = of(docparse.check(doc), "citation.sequence")
    assert len(hits) == 1
    f = hits[0]
    assert f.severity == "info"
    assert "sổ văn bản" in f.message and "dùng chung" in f.message
    assert f.data["year"] == 2024
    assert_evidence_exact(doc, hits)


def test_sequence_in_order_is_silent():
    doc = parse("Thực hiện Quyết định số 10/QĐ-UBND ngày 05/1/2024 của UBND huyện.\n"
                "Căn cứ Quyết định số 50/QĐ-UBND ngày 20/3/2024 của UBND huyện.")
    assert len(doc.citations) == 2
    assert of(docparse.check(doc), "citation.sequence") == []


# ---- structure ----------------------------------------------------------------------------------------------------
def _letters(letters) -> str:
    items = "\n".join(f"{l}) Nội dung công việc thứ {i + 1} đã hoàn thành đúng tiến độ;" for i, l in enumerate(letters))
    return f"I. KẾT QUẢ THỰC HIỆN\n1. Về công tác chỉ đạo, điều hành\n{items}\n2. Về công tác kiểm tra\nĐã kiểm tra 5 xã."


def _numbering(doc):
    return of(docparse.check(doc), "structure.numbering")


def test_letter_gap():
    doc = parse(_letters("abd"))
    hits = _numbering(doc)
    assert len(hits) == 1
    assert (hits[0].data["previous"], hits[0].data["current"], hits[0].data["problem"]) == ("b", "d", "gap")
    assert_evidence_exact(doc, hits)


def test_vietnamese_letter_order_is_fine():
    doc = parse(_letters(["a", "b", "c", "d", "đ", "e"]))
    assert [s.numbering for s in doc.iter_sections() if s.kind == "letter"] == ["a", "b", "c", "d", "đ", "e"]
    assert _numbering(doc) == []


def test_missing_d_stroke_is_a_gap():
    doc = parse(_letters("abcde"))
    hits = _numbering(doc)
    assert [(f.data["previous"], f.data["current"], f.data["problem"]) for f in hits] == [("d", "e", "gap")]


def test_roman_repeat():
    doc = parse("I. KẾT QUẢ ĐẠT ĐƯỢC\nCác xã hoàn thành kế hoạch.\nII. TỒN TẠI, HẠN CHẾ\nMột số xã còn chậm.\n"
                "II. PHƯƠNG HƯỚNG NHIỆM VỤ\nTiếp tục triển khai.")
    hits = _numbering(doc)
    assert len(hits) == 1
    assert (hits[0].data["previous"], hits[0].data["current"], hits[0].data["problem"]) == ("II", "II", "repeat")
    assert hits[0].severity == "warning"
    assert_evidence_exact(doc, hits)


def test_article_repeat():
    doc = parse("Điều 1. Cử cán bộ có tên trong danh sách kèm theo tham gia lớp tập huấn.\n"
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
                "Điều 2. Chánh Văn phòng và các cán bộ có tên tại Điều 1 chịu trách nhiệm thi hành.", **QD)
    hits = _numbering(doc)
    assert len(hits) == 1
    assert (hits[0].data["previous"], hits[0].data["current"], hits[0].data["problem"]) == ("Điều 2", "Điều 2",
                                                                                              "repeat")
    assert_evidence_exact(doc, hits)


def test_article_sequence_is_fine():
    doc = parse("Điều 1. Cử cán bộ có tên trong danh sách kèm theo tham gia lớp tập huấn.\n"
                "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
                "Điều 3. Chánh Văn phòng và các cán bộ có tên tại Điều 1 chịu trách nhiệm thi hành.", **QD)
    assert len([s for s in doc.iter_sections() if s.kind == "article"]) == 3
    assert _numbering(doc) == []


def test_attached_document_restart_without_chapters_is_fine():
    body = ("Điều 1. Ban hành kèm theo Quyết định này Quy định về quản lý nhà văn hóa thôn.\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
            "Điều 3. Chánh Văn phòng và Trưởng các phòng chịu trách nhiệm thi hành./.")
    text = vb(body, so="Số: 123/QĐ-UBND", ngay="Thị trấn Mây, ngày 05 tháng 3 năm 2025",
              loai="QUYẾT ĐỊNH\nVề việc ban hành Quy định quản lý nhà văn hóa thôn\n\nQUYẾT ĐỊNH:")
    text += ("\nQUY ĐỊNH\nVề quản lý nhà văn hóa thôn\n"
             "(Kèm theo Quyết định số 123/QĐ-UBND ngày 05/3/2025 của Chủ tịch UBND huyện)\n\n"
             "Điều 1. Phạm vi điều chỉnh\nQuy định này áp dụng cho các nhà văn hóa thôn.\n"
             "Điều 2. Trách nhiệm quản lý\nTrưởng thôn chịu trách nhiệm quản lý.\n")
    doc = docparse.parse_text(text)
    assert [c.is_self for c in doc.citations if c.code == "123/QĐ-UBND"] == [True]
    assert _numbering(doc) == []


def test_self_reference_with_wrong_number():
    text = vb("Điều 1. Ban hành kèm theo Quyết định này Quy định về quản lý nhà văn hóa thôn.\n"
              "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.",
              so="Số: 123/QĐ-UBND", ngay="Thị trấn Mây, ngày 05 tháng 3 năm 2025",
              loai="QUYẾT ĐỊNH\nVề việc ban hành Quy định quản lý nhà văn hóa thôn\n\nQUYẾT ĐỊNH:")
    text += ("\nQUY ĐỊNH\nVề quản lý nhà văn hóa thôn\n"
             "(Kèm theo Quyết định số 124/QĐ-UBND ngày 05/3/2025 của Chủ tịch UBND huyện)\n")
    doc = docparse.parse_text(text)
    hits = of(docparse.check(doc), "citation.self_mismatch")
    assert len(hits) == 1
    assert hits[0].data["number"] == ["124", "123"]


# ---- select / ignore / registry -----------------------------------------------------------------------------------
def test_select_family():
    doc, _ = _bc("txt")
    fs = docparse.check(doc, select=["citation"])
    assert fs
    assert all(f.code.startswith("citation.") for f in fs)
    assert "structure.numbering" not in codes(fs) and "date.invalid" not in codes(fs)


def test_select_family_star_and_single_code():
    doc, _ = _bc("txt")
    assert codes(docparse.check(doc, select=["citation.*"])) == codes(docparse.check(doc, select=["citation"]))
    only = docparse.check(doc, select=["citation.duplicate"])
    assert only and set(codes(only)) == {"citation.duplicate"}


def test_ignore_code():
    doc, full = _bc("txt")
    assert "structure.numbering" in codes(full)
    fs = docparse.check(doc, ignore=["structure.numbering"])
    assert "structure.numbering" not in codes(fs)
    assert sorted(codes(fs)) == sorted(c for c in codes(full) if c != "structure.numbering")


def test_ignore_family():
    doc, full = _bc("txt")
    fs = docparse.check(doc, ignore=["citation"])
    assert fs and not any(c.startswith("citation.") for c in codes(fs))
    assert "date.invalid" in codes(fs)


def test_selected_specs():
    assert {s.code for s in selected(select=["structure"])} == {"structure.numbering", "structure.item_numbering"}
    assert "citation.conflict" not in {s.code for s in selected(ignore=["citation.conflict"])}
    corpus_codes = {s.code for s in selected(scope="corpus")}
    assert "citation.conflict" in corpus_codes and "date.invalid" not in corpus_codes


def _vietnamese(s: str) -> bool:
    nfd = unicodedata.normalize("NFD", s)
    return "đ" in s.lower() or any(unicodedata.combining(ch) for ch in nfd)


def test_registry_codes_severity_and_description():
    specs = load_all()
    assert specs is REGISTRY
    expected = {"citation.conflict", "citation.duplicate", "citation.count_mismatch", "citation.after_document",
                "citation.self_mismatch", "citation.sequence", "citation.symbol_variant", "date.invalid",
                "header.missing_number", "header.missing_date", "structure.numbering"}
    assert expected <= set(specs)
    for code, spec in specs.items():
        assert spec.code == code
        assert spec.severity in ("error", "warning", "info"), code
        assert spec.description and _vietnamese(spec.description), code
        assert spec.document is not None or spec.corpus is not None, code


def test_registry_expected_severities():
    sev = {c: s.severity for c, s in load_all().items()}
    assert sev["citation.conflict"] == "error"
    assert sev["citation.after_document"] == "error"
    assert sev["citation.self_mismatch"] == "error"
    assert sev["date.invalid"] == "error"
    assert sev["citation.duplicate"] == "warning"
    assert sev["citation.count_mismatch"] == "warning"
    assert sev["citation.symbol_variant"] == "warning"
    assert sev["structure.numbering"] == "warning"
    assert sev["citation.sequence"] == "info"
    assert sev["header.missing_number"] == "info"
    assert sev["header.missing_date"] == "info"


ADOPTED = ("HỘI ĐỒNG NHÂN DÂN\nTỈNH AN HÒA\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
           "Số: 15/2025/NQ-HĐND\n\nNGHỊ QUYẾT\nVề mức hỗ trợ cán bộ thôn\n\n"
           "Căn cứ Nghị định số 33/2023/NĐ-CP ngày 10 tháng 6 năm 2023 của Chính phủ;\n"
           "Xét Tờ trình số 88/TTr-UBND ngày 20 tháng 7 năm 2025 của Ủy ban nhân dân tỉnh;\n\nQUYẾT NGHỊ:\n\n"
           "Điều 1. Mức hỗ trợ theo Tờ trình số 88/TTr-UBND ngày 20 tháng 7 năm 2025.\n\n"
           "Nghị quyết này đã được Hội đồng nhân dân tỉnh An Hòa khóa X, kỳ họp thứ 5 thông qua ngày 10 tháng 7 năm "
           "2025.\n")


def test_adoption_line_dates_a_resolution_without_a_date_line():
    doc = docparse.parse_text(ADOPTED)
    assert doc.header.date == dt.date(2025, 7, 10)
    assert doc.header.span.end < ADOPTED.index("Căn cứ")          # the header's span stays at the top
    date_field = next(fs.span for fs in doc.header.fields if fs.field == "date")
    assert doc.text[date_field.start:date_field.end] == "ngày 10 tháng 7 năm 2025"
    hits = of(docparse.check(doc), "citation.after_document")
    assert len(hits) == 1                                          # one finding for the two mentions of 88/TTr-UBND
    assert [e.text for e in hits[0].spans][-1] == "ngày 10 tháng 7 năm 2025"
    assert len(hits[0].spans) == 3
    assert "20/07/2025" in hits[0].message and "10/07/2025" in hits[0].message


ISSUED = ("ỦY BAN NHÂN DÂN\nTỈNH AN HÒA\n\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
          "Số: {number}/QĐ-UBND\n\nAn Hòa, ngày {day} tháng 11 năm 2025\n\nQUYẾT ĐỊNH\nVề việc ban hành Quy chế\n\n"
          "Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp.\n\nQUY CHẾ\n"
          "(Kèm theo Quyết định số: {ref}\nngày /11/2025 của Ủy ban nhân dân tỉnh An Hòa)\n")


def test_blank_self_reference_in_an_issued_document():
    doc = docparse.parse_text(ISSUED.format(number="512", day="20", ref="/QĐ-UBND"))
    hits = of(docparse.check(doc), "citation.self_blank")
    assert len(hits) == 1 and hits[0].severity == "warning"
    assert hits[0].data["blank"] == ["số", "ngày"] and "512/QĐ-UBND" in hits[0].message
    assert [e.text for e in hits[0].spans][-1] == "Số: 512/QĐ-UBND"
    filled = docparse.parse_text(ISSUED.format(number="512", day="20", ref="512/QĐ-UBND").replace("/11/2025",
                                                                                                "20/11/2025"))
    assert not of(docparse.check(filled), "citation.self_blank")
    draft = docparse.parse_text(ISSUED.format(number="  ", day="  ", ref="/QĐ-UBND"))  # a draft: blank everywhere
    assert not of(docparse.check(draft), "citation.self_blank")
