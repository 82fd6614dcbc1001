"""The spaCy pipeline component (first part of issue 6)."""
from __future__ import annotations

import docparse.spacy_component as sc

TEXT = ("Thực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2025 của Chủ tịch UBND tỉnh, đã tiếp nhận 1.250 hồ sơ, "
        "chiếm 98,5% kế hoạch; hoàn thành trước ngày 30/11/2025.")


def test_component_adds_spans_ents_and_document():
    nlp = sc.blank_vietnamese()
    nlp.add_pipe("docparse")
    doc = nlp(TEXT)
    labels = {(s.label_, s.text) for s in doc.spans["docparse"]}
    assert ("CITATION", "Quyết định số 12/QĐ-UBND ngày 05/01/2025 của Chủ tịch UBND tỉnh") in labels
    assert ("DATE", "trước ngày 30/11/2025") in labels
    assert ("INDICATOR", "98,5%") in labels
    assert doc.ents and all(e.label_ in ("CITATION", "DATE", "INDICATOR") for e in doc.ents)
    assert doc._.docparse.citations[0].code == "12/QĐ-UBND"


def test_component_works_with_pipe_over_many_texts():
    nlp = sc.blank_vietnamese()
    nlp.add_pipe("docparse", config={"set_ents": False})
    docs = list(nlp.pipe([TEXT, "Kế hoạch số 35/KH-UBND ngày 24/02/2025."] * 3))
    assert len(docs) == 6 and all(d._.docparse is not None for d in docs)
    assert not docs[0].ents
