"""The spaCy pipeline component, DocBin export and displaCy rendering (issue 6, spaCy integration)."""
from __future__ import annotations

import pickle
import re
import subprocess
import sys

import pytest
from fictional import vb
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

import docparse
import docparse.spacy_component as sc
from docparse.schema import Entity, Span

TEXT = ("Thực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2025 của Chủ tịch UBND tỉnh, đã tiếp nhận 1.250 hồ sơ, "
        "chiếm 98,5% kế hoạch; hoàn thành trước ngày 30/11/2025.")

# three short fictional documents (huyện Sông Mây does not exist)
TEXTS = [
    vb("Thực hiện Kế hoạch số 35/KH-UBND ngày 24/02/2025 của UBND huyện, Phòng Nội vụ đã tiếp nhận 1.250 hồ sơ, "
       "đạt 98,5%; hoàn thành trước ngày 30/11/2025."),
    vb("Căn cứ Quyết định số 12/QĐ-UBND ngày 05/01/2025 của Chủ tịch UBND huyện Sông Mây; giao Phòng Tài chính - "
       "Kế hoạch chủ trì, báo cáo trước ngày 15/12/2025.", so="Số: 78/BC-UBND"),
    "Công văn số 301/UBND-VP ngày 02/10/2025 đề nghị các xã báo cáo kết quả trong Quý IV/2025.",
]


def _spans(doc):
    return [(s.label_, s.start_char, s.end_char) for s in doc.spans["docparse"]]


def _ents(doc):
    return [(e.label_, e.start_char, e.end_char) for e in doc.ents]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _visible(page: str) -> str:
    """The page's text without tags and span labels, whitespace collapsed."""
    words = re.sub(r"<[^>]+>", " ", page).split()
    return " ".join(w for w in words if w not in sc.LABELS)


def _with_entities(record: docparse.Document, items) -> docparse.Document:
    """The Document with Entity records (label, text) added at the first occurrence of each text."""
    entities = []
    for label, text in items:
        start = record.text.index(text)
        entities.append(Entity(label=label, text=text, span=Span(start=start, end=start + len(text))))
    return record.model_copy(update={"entities": entities})


@pytest.fixture(scope="module")
def nlp():
    nlp = sc.blank_vietnamese()
    nlp.add_pipe("docparse")
    return nlp


@pytest.fixture(scope="module")
def plan(samples_dir):
    """A fictional plan with a task table (TASK spans) and many dates and citations."""
    return docparse.parse(samples_dir / "kh_cds_2026.txt")


def test_component_adds_spans_ents_and_document(nlp):
    doc = nlp(TEXT)
    labels = {(s.label_, s.text) for s in doc.spans["docparse"]}
    assert ("CITATION", "Quyết định số 12/QĐ-UBND ngày 05/01/2025 của Chủ tịch UBND tỉnh") in labels
    assert ("DATE", "trước ngày 30/11/2025") in labels
    assert ("INDICATOR", "98,5%") in labels
    assert doc.ents and all(e.label_ in sc.ENT_LABELS for e in doc.ents)
    assert isinstance(doc._.docparse, docparse.Document)
    assert doc._.docparse.citations[0].code == "12/QĐ-UBND"
    assert doc._.docparse is doc._.docparse, "validated once, then cached"


def test_component_works_with_pipe_over_many_texts():
    nlp = sc.blank_vietnamese()
    nlp.add_pipe("docparse", config={"set_ents": False})
    docs = list(nlp.pipe([TEXT, "Kế hoạch số 35/KH-UBND ngày 24/02/2025."] * 3))
    assert len(docs) == 6 and all(d._.docparse is not None for d in docs)
    assert not docs[0].ents


def test_pipe_with_two_processes(nlp):
    """Workers send docs back with Doc.to_bytes (msgpack): the Document must travel as plain data."""
    single = [nlp(t) for t in TEXTS]
    multi = list(nlp.pipe(TEXTS, n_process=2, batch_size=1))
    assert [d.text for d in multi] == TEXTS
    for one, other, text in zip(single, multi, TEXTS):
        assert _spans(other) == _spans(one) and _spans(other)
        assert _ents(other) == _ents(one)
        assert isinstance(other._.docparse, docparse.Document)
        assert other._.docparse == docparse.parse_text(text)


def test_entities_become_spans_and_ents(nlp, monkeypatch):
    record = _with_entities(docparse.parse_text(TEXTS[0]), [
        ("LOC", "HUYỆN SÔNG MÂY"), ("ORG", "Phòng Nội vụ"), ("ORG", "UBND huyện"), ("PER", "Lê Văn Sáng")])
    monkeypatch.setattr(sc, "parse_text", lambda text, **kw: record)
    doc = nlp(TEXTS[0])
    spans = {(s.label_, s.text) for s in doc.spans["docparse"]}
    assert {("LOC", "HUYỆN SÔNG MÂY"), ("ORG", "Phòng Nội vụ"), ("ORG", "UBND huyện"), ("PER", "Lê Văn Sáng")} <= spans
    ents = {(e.label_, e.text) for e in doc.ents}
    assert {("LOC", "HUYỆN SÔNG MÂY"), ("ORG", "Phòng Nội vụ"), ("PER", "Lê Văn Sáng")} <= ents
    # "UBND huyện" lies inside the citation "Kế hoạch số 35/KH-UBND … của UBND huyện": the longer span wins
    assert ("ORG", "UBND huyện") not in ents
    assert any(label == "CITATION" and "của UBND huyện" in text for label, text in ents)
    assert doc._.docparse.entities == record.entities


def test_ents_are_the_non_overlapping_spans_without_tasks(plan):
    doc = sc.to_doc(plan)
    labels = {s.label_ for s in doc.spans["docparse"]}
    assert {"CITATION", "DATE", "TASK"} <= labels
    assert all(e.label_ != "TASK" for e in doc.ents)
    expected = filter_spans([s for s in doc.spans["docparse"] if s.label_ != "TASK"])
    assert _ents(doc) == [(s.label_, s.start_char, s.end_char) for s in expected]
    # overlapping spans stay in doc.spans: a task row contains its deadline
    task = next(s for s in doc.spans["docparse"] if s.label_ == "TASK")
    assert any(s.label_ == "DATE" and task.start <= s.start and s.end <= task.end for s in doc.spans["docparse"])


@pytest.mark.parametrize("which", ["plan", "fictional"])
def test_spans_cover_the_records_character_offsets(which, plan, nlp):
    doc = sc.to_doc(plan) if which == "plan" else nlp(TEXTS[1])
    record = doc._.docparse
    assert doc.text == record.text
    got = set(_spans(doc))
    records = list(sc.record_spans(record))
    assert records and len(got) <= len(records)
    for label, start, end in records:
        start, end = _trimmed(record.text, start, end)  # edge whitespace is left out (see the corpus test)
        span = doc.char_span(start, end, alignment_mode="expand")
        assert span is not None
        assert span.start_char <= start and span.end_char >= end, (label, record.text[start:end])
        assert (label, span.start_char, span.end_char) in got
        assert record.text[start:end] in span.text


def test_spans_cover_every_record_on_the_corpus(corpus_file, parsed):
    """Each record of a real document becomes one span (labels from the record) covering its characters, but for
    whitespace at its edges (a single space belongs to the previous token: no span can end on it)."""
    record = parsed(corpus_file)
    doc = sc.to_doc(record)
    got = set(_spans(doc))
    for label, start, end in sc.record_spans(record):
        start, end = _trimmed(record.text, start, end)
        if start == end:
            continue
        span = doc.char_span(start, end, alignment_mode="expand")
        assert span.start_char <= start and span.end_char >= end
        assert (label, span.start_char, span.end_char) in got
    assert all(e.label_ != "TASK" for e in doc.ents)


def test_whitespace_at_a_record_edge_is_left_out(nlp):
    text = "Giao Phòng Nội vụ chủ trì; hoàn thành trước ngày 30/11/2025. Hết."
    record = docparse.parse_text(text)
    start = text.index(" Phòng")
    padded = Entity(label="ORG", text=" Phòng Nội vụ ", span=Span(start=start, end=start + len(" Phòng Nội vụ ")))
    blank = Entity(label="LOC", text=" ", span=Span(start=start, end=start + 1))
    doc = sc.to_doc(record.model_copy(update={"entities": [padded, blank]}), nlp)
    assert [s.text for s in doc.spans["docparse"] if s.label_ in ("ORG", "LOC")] == ["Phòng Nội vụ"]


@pytest.mark.parametrize("text", ["", "   \n\t  \n"])
def test_empty_and_blank_text(nlp, text):
    doc = nlp(text)
    assert doc.text == text
    assert list(doc.spans["docparse"]) == [] and doc.ents == ()
    assert doc._.docparse.text == text
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert back._.docparse.text == text


def test_document_survives_bytes_and_pickle(nlp):
    doc = nlp(TEXTS[0])
    assert isinstance(doc._.docparse_data, dict) and "text" not in doc._.docparse_data, "text is the Doc's own"
    for back in (Doc(nlp.vocab).from_bytes(doc.to_bytes()), pickle.loads(pickle.dumps(doc))):
        assert back._.docparse == doc._.docparse
        assert _spans(back) == _spans(doc) and _ents(back) == _ents(doc)


def test_setter_takes_a_document_a_dict_or_none(nlp):
    doc = nlp.make_doc(TEXT)
    assert doc._.docparse is None
    record = docparse.parse_text(TEXT)
    doc._.docparse = record.model_dump(mode="json")
    assert doc._.docparse == record
    other = docparse.parse_text("Kế hoạch số 35/KH-UBND ngày 24/02/2025.")  # not the Doc's text: kept in full
    doc._.docparse = other
    assert doc._.docparse_data["text"] == other.text and doc._.docparse is other
    doc._.docparse = None
    assert doc._.docparse is None and doc._.docparse_data is None


def test_docbin_round_trip(tmp_path, plan):
    records = [docparse.parse_text(t) for t in TEXTS] + [_with_entities(plan, [("ORG", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG")])]
    originals = [sc.to_doc(r) for r in records]
    path = tmp_path / "corpus.spacy"
    sc.to_docbin(records).to_disk(path)
    docs = list(DocBin().from_disk(path).get_docs(sc.blank_vietnamese().vocab))
    assert len(docs) == len(records)
    for doc, original, record in zip(docs, originals, records):
        assert doc.text == record.text
        assert _spans(doc) == _spans(original) and _spans(doc)
        assert _ents(doc) == _ents(original) and doc.ents
        assert doc._.docparse == record
    assert ("ORG", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG") in {(e.label_, e.text) for e in docs[-1].ents}
    assert {"CITATION", "DATE", "TASK", "ORG"} <= set(sc.label_counts(docs))


def test_render_html_shows_overlapping_spans_and_line_breaks(plan):
    record = _with_entities(plan, [("ORG", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"), ("PER", "Phan Quốc Bảo")])
    page = sc.render_html([sc.to_doc(record)])
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page and 'lang="vi"' in page
    for label in sc.LABELS:
        assert label in page
    visible = _visible(page)  # the span style writes each token of a span in its own box, its label after the first
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in visible and "Phan Quốc Bảo" in visible
    assert "Kế hoạch 45/KH-STTTT" in page, "each document is titled with its type and code"
    assert "<br>" in page and "\u2029" not in page and "\u2063" not in page
    ent_page = sc.render_html([sc.to_doc(record)], style="ent")
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in ent_page and "nhiệm vụ" not in ent_page.split("<figure")[0]


def test_render_html_of_an_empty_doc(nlp):
    page = sc.render_html([nlp("")])
    assert "<figure" in page


def test_render_html_keeps_punctuation_and_line_breaks_of_plain_text(nlp):
    doc = nlp.make_doc("Số: 45/KH-STTTT, ngày 20/01/2026.\nDòng hai")
    doc.spans["docparse"] = []
    page = sc.render_html([doc])
    assert "Số: 45/KH-STTTT, ngày 20/01/2026.<br>Dòng hai" in page
    assert "Văn bản" in page, "a doc without a Document gets a generic title"


def test_import_docparse_does_not_import_spacy():
    code = "import sys, docparse, docparse.cli; print(sorted(m for m in sys.modules if m.split('.')[0] == 'spacy'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
