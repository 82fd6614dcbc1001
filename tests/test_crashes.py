"""Every crash once found (issue 12), each on a small fictional input; the safe date/number constructors that make
that class of crash impossible; and the guard that turns an unexpected exception of one layer or check into an
"internal.error" notice — which must never fire on the corpus or the samples.

The crash tests run with DOCPARSE_STRICT=1, so the guard cannot hide a crash: each must be fixed at its cause."""
from __future__ import annotations

import datetime as dt
import os
import sqlite3
import zipfile
from io import BytesIO

import pytest

import docparse
from docparse import safe
from docparse.errors import CorruptFileError, DocparseError, IndexFileError
from docparse.guard import INTERNAL_ERROR

HEAD = "ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH XANH\nSố: 12/BC-UBND\nHòa Bình Xanh, ngày {d} tháng {m} năm {y}\nBÁO CÁO\n" \
       "Kết quả thực hiện nhiệm vụ\n"


@pytest.fixture
def strict(monkeypatch):
    monkeypatch.setenv("DOCPARSE_STRICT", "1")


def parse_and_check(text: str):
    doc = docparse.parse_text(text)
    findings = docparse.check(doc)
    assert not [n for n in doc.notices if n.code == INTERNAL_ERROR]
    return doc, findings


# --- the crashes, each at its cause -----------------------------------------------------------------------------

@pytest.mark.parametrize("figure", ["6.2/1", "158.55/200", "1.2.3/4"])
def test_ratio_with_malformed_numerator(strict, figure):
    doc, _ = parse_and_check(HEAD.format(d=5, m=7, y=2025) + f"Tỷ lệ hoàn thành đạt {figure} so với kế hoạch năm.\n")
    ratios = [i for i in doc.indicators if i.kind == "ratio"]
    assert all(i.value is None for i in ratios if i.numerator is None)


@pytest.mark.parametrize("blank", ["…", "...", "….", "___", " . . ."])
def test_draft_with_dotted_day(strict, blank):
    doc, _ = parse_and_check(HEAD.format(d=blank, m=7, y=2025).replace("Số: 12", "Số:     "))
    assert doc.header.date is None
    assert doc.header.date_partial == "2025-07"
    assert "header.missing_date" in [n.code for n in doc.notices]


@pytest.mark.parametrize("issuer, canonical", [("ỦYBAN NHÂN DÂN\nTỈNH AN GIANG", "Ủy ban nhân dân tỉnh An Giang"),
                                               ("SỞTÀI CHÍNH", "Sở Tài chính")])
def test_issuer_with_glued_words(strict, issuer, canonical):
    doc, _ = parse_and_check(HEAD.format(d=5, m=7, y=2025).replace("ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH XANH", issuer))
    assert doc.header.issuer_canonical == canonical


@pytest.mark.parametrize("period", ["quý II", "6 tháng đầu năm", "6 tháng cuối năm", "quý IV", "ngày 15/8",
                                    "tháng 12"])
@pytest.mark.parametrize("year", ["0000", "9999"])
def test_year_out_of_range_lends_no_year(strict, period, year):
    doc, _ = parse_and_check(HEAD.format(d=31 if year == "9999" else 5, m=12, y=year) +
                             f"Kết quả {period} như sau: hoàn thành trước ngày 31/12.\n")
    assert all(d.start is None or dt.MINYEAR <= d.start.year <= dt.MAXYEAR for d in doc.dates)


@pytest.mark.parametrize("day, month", [("5", "0"), ("…", "0"), ("…", "13"), ("31", "2"), ("5", "00")])
def test_check_on_a_report_dated_month_zero(strict, day, month):
    """The corpus checks (task.unreported, citation dates) read date_partial: a month 0 must read as no date."""
    plan = HEAD.format(d=5, m=1, y=2025).replace("BÁO CÁO", "KẾ HOẠCH").replace("BC-", "KH-") + \
        "1. Sở Y tế chủ trì triển khai phần mềm quản lý, hoàn thành trong quý II năm 2025.\n"
    report = HEAD.format(d=day, m=month, y=2025).replace("12/BC", "15/BC") + \
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 05/01/2025, Sở Y tế đã triển khai phần mềm quản lý.\n"
    docs = [docparse.parse_text(plan, source="kh.txt"), docparse.parse_text(report, source="bc.txt")]
    with docparse.Corpus() as corpus:
        for d in docs:
            corpus.add(d)
        corpus.check()
        assert corpus.notices == []
    assert not docs[1].header.date_valid
    assert "date.invalid" in [n.code for n in docs[1].notices]


def _docx_with(document_xml: bytes) -> bytes:
    import docx

    template = BytesIO()
    docx.Document().save(template)
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(template.getvalue())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for m in src.infolist():
            z.writestr(m.filename, document_xml if m.filename == "word/document.xml" else src.read(m))
    return out.getvalue()


W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_without_body(tmp_path):
    p = tmp_path / "khong_than.docx"
    p.write_bytes(_docx_with(f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}></w:document>'.encode()))
    with pytest.raises(CorruptFileError) as e:
        docparse.parse(p)
    assert str(p) in str(e.value) and "w:body" in e.value.reason


def test_docx_merged_cell_in_the_first_row(tmp_path):
    """A vMerge "continue" with no row above (python-docx raised ValueError) is a cell of its own."""
    p = tmp_path / "gop_o.docx"
    p.write_bytes(_docx_with(
        f'<w:document {W}><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>Sở Y tế</w:t>'
        '</w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Quý II/2025</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body>'
        '</w:document>'.encode()))
    doc = docparse.parse(p)
    assert doc.text == "Sở Y tế\tQuý II/2025\n"
    assert doc.tables[0].n_cols == 2


def test_lone_surrogate_is_not_text():
    """A str from surrogateescape or a JSON "\\ud800" cannot be written as UTF-8: refused, not a crash on export."""
    with pytest.raises(docparse.DocparseError) as e:
        docparse.parse_text("Số: 1/QĐ-UBND\nđạt 50% \ud800")
    assert e.value.code == "not_text"


# --- an unusable --db ------------------------------------------------------------------------------------------

def _assert_index_error(path, *words):
    with pytest.raises(IndexFileError) as e:
        docparse.Corpus(path)
    assert isinstance(e.value, DocparseError) and str(path) in str(e.value)
    for w in words:
        assert w in e.value.reason


def test_db_that_is_not_sqlite(tmp_path):
    p = tmp_path / "index.sqlite"
    p.write_bytes(b"Day khong phai tep SQLite, chi la van ban.\n" * 100)
    _assert_index_error(p, "SQLite")


def test_db_that_is_damaged(tmp_path):
    p = tmp_path / "index.sqlite"
    with docparse.Corpus(p) as corpus:
        corpus.add(docparse.parse_text(HEAD.format(d=5, m=7, y=2025), source="a.txt"))
    data = bytearray(p.read_bytes())
    data[4096:8192] = os.urandom(4096)  # a page of the tables, overwritten
    p.write_bytes(bytes(data))
    _assert_index_error(p)


def test_db_of_another_program_is_never_overwritten(tmp_path):
    p = tmp_path / "other.sqlite"
    with sqlite3.connect(p) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('Nguyễn Văn A')")
    _assert_index_error(p, "customers")
    with sqlite3.connect(p) as conn:
        assert conn.execute("SELECT name FROM customers").fetchall() == [("Nguyễn Văn A",)]


def test_db_with_a_same_named_table_of_another_shape(tmp_path):
    from docparse.corpus import _VERSION

    p = tmp_path / "other.sqlite"
    with sqlite3.connect(p) as conn:
        conn.execute("CREATE TABLE documents (x TEXT)")
        conn.execute(f"PRAGMA user_version = {_VERSION}")
    _assert_index_error(p)


def test_db_that_is_a_folder(tmp_path):
    _assert_index_error(tmp_path, "thư mục")


def test_db_of_an_older_docparse_is_rebuilt(tmp_path):
    p = tmp_path / "old.sqlite"
    with sqlite3.connect(p) as conn:
        conn.execute("CREATE TABLE documents (id TEXT)")
        conn.execute("PRAGMA user_version = 1")
    with docparse.Corpus(p) as corpus:
        assert corpus.add(docparse.parse_text(HEAD.format(d=5, m=7, y=2025), source="a.txt")) == "added"


# --- text that is not an administrative document ----------------------------------------------------------------

NEWS = [
    "Giá xăng RON 95 tăng 3,5% so với tuần trước, lên 23.450 đồng/lít; dầu diesel giảm 1,2%.",
    "Khoảng 2/3 số hộ dân ở vùng núi đã có điện lưới, tỷ lệ 6.2/1 giữa hộ có và chưa có nước sạch.",
    "Đội tuyển thắng 3-1, xếp thứ 3/63 đội; thủ môn cản phá 7/10 cú sút, tỷ lệ 0/0 ở hiệp phụ.",
    "Chỉ số giá tiêu dùng tháng 12/2025 tăng 0,3%; cả năm tăng 3,6%, dưới mục tiêu 4-4,5%.",
    "Điểm thi trung bình đạt 158.55/200, cao hơn năm trước 12,5/10 điểm thưởng; 1.5/0 là lỗi nhập liệu.",
    "Lúc 14h30 ngày 12/8, mưa lớn 150 mm/giờ; 1/2 số tuyến phố ngập, 30% trường cho học sinh nghỉ.",
    "Doanh thu quý II đạt 1.250,5 tỷ đồng, bằng 1/3 kế hoạch năm; 6 tháng đầu năm lãi 2,5/3,5 tỷ.",
    "Ca sĩ phát hành album thứ 5, 12 bài hát; 1.234.567 lượt xem sau 24 giờ, 99,9%/năm khán giả hài lòng.",
]


def test_news_like_text(strict):
    """Paragraphs of everyday Vietnamese news with figures, shares and fractions, in many orders."""
    import random

    rng = random.Random(12)
    for _ in range(60):
        text = "\n\n".join(rng.sample(NEWS, rng.randint(1, len(NEWS))))
        parse_and_check(rng.choice(["", "Tin tức\n", "BÁO CÁO\n", "Thời sự - "]) + text + "\n")


# --- safe constructors: no digits can make them raise -----------------------------------------------------------

DIGITS = ["", "0", "00", "0000", "1", "12", "13", "29", "30", "31", "32", "99", "9999", "10000", "1" * 45, "٣",
          "²", "-1", " 7 ", "…", "1.5", None, 7, 0, -3, 10 ** 50]


def test_make_date_never_raises():
    for y in DIGITS:
        for m in DIGITS:
            for d in DIGITS:
                value = safe.make_date(y, m, d)
                assert value is None or isinstance(value, dt.date)
    assert safe.make_date("2025", "2", "29") is None
    assert safe.make_date("2024", "02", "29") == dt.date(2024, 2, 29)
    assert safe.make_date(0, 7, 1) is None and safe.make_date(2025, 0, 1) is None


def test_date_arithmetic_at_the_ends_of_the_calendar():
    assert safe.add_days(dt.date.max, 1) is None
    assert safe.add_months(dt.date(9999, 12, 1), 1) is None
    assert safe.add_months(dt.date(2025, 12, 1), 1) == dt.date(2026, 1, 1)
    assert safe.month_end(2025, 2) == dt.date(2025, 2, 28)
    assert safe.month_end(9999, 12) is None and safe.month_end(2025, 0) is None
    assert safe.from_iso("2025-00") is None and safe.from_iso("0000-07-05") is None
    assert safe.from_iso("2025-07") == dt.date(2025, 7, 1) and safe.from_iso("x") is None


def test_numbers_never_raise():
    assert safe.div(None, 2) is None and safe.div(6, 0) is None and safe.div(6, None) is None
    assert safe.div(6, 4) == 1.5 and safe.div("1e308", "1e-308") is None
    assert safe.div(10 ** 400, 3) is None
    assert safe.to_int("²") is None and safe.to_int("٣") == 3 and safe.to_int("1" * 45) is None
    assert safe.to_float("nan") is None and safe.to_float("inf") is None and safe.to_float("1,5") is None


# --- the guard --------------------------------------------------------------------------------------------------

def test_guard_reports_a_failing_layer_and_keeps_the_rest(monkeypatch):
    import docparse.pipeline as pipeline

    def broken(*args, **kwargs):
        raise ZeroDivisionError("chia cho 0")

    monkeypatch.setattr(pipeline, "extract_indicators", broken)
    doc = docparse.parse_text(HEAD.format(d=5, m=7, y=2025) + "Đạt 95% kế hoạch theo Quyết định số 7/QĐ-UBND.\n")
    internal = [n for n in doc.notices if n.code == INTERNAL_ERROR]
    assert len(internal) == 1
    assert "indicators" in internal[0].message and "ZeroDivisionError" in internal[0].message
    assert doc.indicators == []
    assert doc.header.date == dt.date(2025, 7, 5) and [c.code for c in doc.citations] == ["7/QĐ-UBND"]


def test_guard_lets_a_docparse_error_through(monkeypatch):
    import docparse.pipeline as pipeline

    def refuse(*args, **kwargs):
        raise docparse.FileTooLargeError("x.txt", "quá lớn")

    monkeypatch.setattr(pipeline, "extract_dates", refuse)
    with pytest.raises(docparse.FileTooLargeError):
        docparse.parse_text(HEAD.format(d=5, m=7, y=2025))


def test_strict_mode_reraises(monkeypatch):
    import docparse.pipeline as pipeline

    monkeypatch.setattr(pipeline, "extract_structure", lambda *a, **k: 1 / 0)
    monkeypatch.setenv("DOCPARSE_STRICT", "1")
    with pytest.raises(ZeroDivisionError):
        docparse.parse_text(HEAD.format(d=5, m=7, y=2025))


def test_guard_around_checks(monkeypatch):
    from docparse.checks import REGISTRY, load_all

    load_all()
    doc_spec = REGISTRY["citation.self_mismatch"]
    corpus_spec = next(s for s in REGISTRY.values() if s.corpus is not None)

    def broken(subject):
        yield from ()
        raise KeyError("thiếu")

    monkeypatch.setattr(doc_spec, "document", broken)
    monkeypatch.setattr(corpus_spec, "corpus", broken)
    doc = docparse.parse_text(HEAD.format(d=5, m=7, y=2025) + "Số liệu ngày 31/4/2025 chưa đúng.\n")
    with docparse.Corpus() as corpus:
        corpus.add(doc)
        findings = corpus.check()
        messages = [n.message for n in corpus.notices]
    assert any(doc_spec.code in m and "KeyError" in m for m in messages)
    assert any(corpus_spec.code in m for m in messages)
    assert any(n.code == INTERNAL_ERROR and doc_spec.code in n.message for n in doc.notices)
    assert "date.invalid" in [f.code for f in findings], "the other checks still ran"


def _all_paths(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in (".txt", ".md", ".pdf", ".docx")
                  and not p.name.upper().startswith("README"))


@pytest.mark.parametrize("where", ["samples", "corpus"])
def test_guard_never_fires(where, samples_dir, request):
    """Every document parsed and checked together (the corpus checks included): no layer and no check failed."""
    folder = samples_dir if where == "samples" else request.getfixturevalue("corpus_dir")
    paths = _all_paths(folder)
    assert paths
    with docparse.Corpus() as corpus:
        for p in paths:
            corpus.add(p)
        corpus.check()
        assert corpus.notices == []
        fired = [(doc_id, n.message) for doc_id in corpus.ids() for n in corpus.document(doc_id).notices
                 if n.code.startswith("internal")]
    assert fired == []
