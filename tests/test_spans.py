"""Every span points into `Document.text` (the text as read), and citations and dates quote their evidence exactly.

Runs over every corpus document (skipped when ../shared/corpus is absent), every sample (.txt/.docx/.pdf) and a
few hand-made texts with the damage normalisation has to see through. Parsing every corpus file here is also the
"never crash" test.
"""
from __future__ import annotations

import unicodedata

import pytest

import docparse
from docparse import Document

UNBOUNDED_OK = ("recurring", "deadline")


def span_problems(doc: Document) -> list[str]:
    n = len(doc.text)
    problems: list[str] = []

    def check(what: str, span, text: str | None = None) -> None:
        if span is None:
            return
        if not (0 <= span.start <= span.end <= n):
            problems.append(f"{what}: span {span.start}..{span.end} outside 0..{n}")
            return
        if text is not None and doc.text[span.start:span.end] != text:
            problems.append(f"{what}: text {text!r} != doc.text[span] {doc.text[span.start:span.end]!r}")

    for i, c in enumerate(doc.citations):
        check(f"citation[{i}] {c.code or c.name}", c.span, c.text)
        if c.span.end <= c.span.start or not c.text.strip():
            problems.append(f"citation[{i}] {c.code or c.name}: empty span/text {c.span}")
    for i, d in enumerate(doc.dates):
        check(f"date[{i}] {d.text!r}", d.span, d.text)
        if d.span.end <= d.span.start:
            problems.append(f"date[{i}] {d.text!r}: empty span")
        if d.valid and d.start is None and d.end is None and d.kind not in UNBOUNDED_OK and not d.year_inferred:
            problems.append(f"date[{i}] {d.text!r}: valid {d.kind} with neither start nor end")
        if d.valid and d.start is not None and d.end is not None and not d.start < d.end:
            problems.append(f"date[{i}] {d.text!r}: valid interval with start {d.start} >= exclusive end {d.end}")
    for s in doc.iter_sections():
        check(f"section {s.kind} {s.numbering!r}", s.span)
    h = doc.header
    check("header", h.span)
    for fs in h.fields:
        check(f"header.fields[{fs.field}]", fs.span)
    if h.signer is not None:
        check("header.signer", h.signer.span)
    for note in doc.notices:
        check(f"notice {note.code}", note.span)
    for t, table in enumerate(doc.tables):
        check(f"table[{t}]", table.span)
        for cell in table.cells:
            check(f"table[{t}] cell ({cell.row},{cell.col})", cell.span, cell.text)
            if not (table.span.start <= cell.span.start and cell.span.end <= table.span.end):
                problems.append(f"table[{t}] cell ({cell.row},{cell.col}) span outside the table's span")
    for page in doc.pages:
        check(f"page {page.number}", page.span)
        for ln in page.lines:
            check(f"page {page.number} line {ln.text[:30]!r}", ln.span, ln.text)
            if not (page.span.start <= ln.span.start and ln.span.end <= page.span.end):
                problems.append(f"page {page.number} line {ln.text[:30]!r} outside its page's span")
    return problems


def assert_spans_ok(doc: Document) -> None:
    problems = span_problems(doc)
    assert not problems, f"{len(problems)} span problem(s) in {doc.source}:\n" + "\n".join(problems[:40])


def test_corpus_file_spans(corpus_file):
    doc = docparse.parse(corpus_file)
    assert isinstance(doc, Document)
    assert doc.text.strip()
    assert_spans_ok(doc)


def test_sample_file_spans(sample_file, parsed):
    doc = parsed(sample_file)
    assert doc.format == sample_file.suffix.lstrip(".")
    # the samples are full documents: an empty result would make the span checks vacuous
    assert doc.citations and doc.dates
    assert_spans_ok(doc)


def test_corpus_has_records_to_check(corpus_files, parsed):
    """Guard against the span test passing vacuously: the corpus as a whole yields many records."""
    docs = [parsed(p) for p in corpus_files]
    assert sum(len(d.citations) for d in docs) > 200
    assert sum(len(d.dates) for d in docs) > 300
    assert sum(1 for d in docs for _ in d.iter_sections()) > 100


HANDMADE = {
    "crlf": "Căn cứ Quyết định số 12/QĐ-UBND ngày 05/3/2025 của UBND tỉnh;\r\nThực hiện Kế hoạch số 7/KH-SYT "
            "ngày 10/01/2025.\r\n",
    "nfd": unicodedata.normalize("NFD", "Thực hiện Quyết định số 98/QĐ-UBND ngày 14 tháng 7 năm 2025 của Ủy ban "
                                        "nhân dân tỉnh, hoàn thành trong Quý III/2025."),
    "markup": "Theo **Công văn số 45/UBND-KT** ngày *02/6/2025* của <b>UBND tỉnh</b>, trước ngày 30/6/2025.",
    "line_breaks": "Thực hiện Quyết định số 1420/QĐ-\nUBND ngày 15/8/2025 và Công văn số\n3967/STC-ĐKKD ngày\n"
                   "20/11/2025 của Sở Tài chính.",
    "lookalikes": "Căn cứ Công văn số 77/UBND-\u00d0T ngày 03/4/2025;\u00a0báo cáo 6 tháng đầu năm 2025\u200b.",
    "bom_tabs": "\ufeffTT\tNhiệm vụ\tThời gian\n1\tRà soát hồ sơ theo Kế hoạch số 5/KH-VP\tThường xuyên\n"
                "2\tTổng hợp báo cáo\tTháng 12/2025\n",
    "new_tones": "Uỷ ban nhân dân tỉnh thực hiện Quyết định số 3/QĐ-UBND; hoà giải cơ sở giai đoạn 2021–2025.",
}


@pytest.mark.parametrize("name", sorted(HANDMADE))
def test_handmade_spans(name):
    doc = docparse.parse_text(HANDMADE[name], source=name)
    assert doc.text == HANDMADE[name], "Document.text must be the text as given, not the normalised text"
    assert doc.citations, "each hand-made text cites at least one document"
    assert doc.dates, "each hand-made text has at least one date"
    assert_spans_ok(doc)
