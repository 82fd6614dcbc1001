"""Agencies, people and places by rules, and assignments in prose as Task(source="prose") (issue 6)."""
from __future__ import annotations

from pathlib import Path

import pytest

import docparse
from docparse.eval_nlp import evaluate_assignments, evaluate_ner
from tests.fictional import vb

GOLD = Path(__file__).parent / "gold"

BODY = """Để triển khai kịp thời, Ủy ban nhân dân huyện yêu cầu:
1. Giao Phòng Văn hóa và Thông tin chủ trì, phối hợp với Công an huyện, các xã, thị trấn rà soát các điểm
truy cập Internet công cộng, hoàn thành trước ngày 30/11/2025.
2. Phòng Tài chính - Kế hoạch: (1) cân đối kinh phí cho nhiệm vụ, hoàn thành trong tháng 12 năm 2025;
(2) hướng dẫn các xã lập dự toán năm 2026, nhiệm vụ thường xuyên.
3. Ủy ban nhân dân các xã, thị trấn:
- Tuyên truyền đến Nhân dân về dịch vụ công trực tuyến;
- Báo cáo kết quả về Ủy ban nhân dân huyện (qua Văn phòng HĐND và UBND huyện) trước ngày 15/12/2025.
Trong năm 2025, Phòng Nội vụ đã hoàn thành việc rà soát biên chế."""


def _prose(doc):
    return [t for t in doc.tasks if t.source == "prose"]


def test_prose_assignments_lead_coordinators_deadline():
    doc = docparse.parse_text(vb(BODY, loai="KẾ HOẠCH\nTriển khai dịch vụ công trực tuyến"))
    got = [(t.lead, t.deadline and (t.deadline.kind, str(t.deadline.end))) for t in _prose(doc)]
    assert got == [("Phòng Văn hóa và Thông tin", ("deadline", "2025-11-30")),
                   ("Phòng Tài chính - Kế hoạch", ("month", "2026-01-01")),
                   ("Phòng Tài chính - Kế hoạch", ("recurring", "None")),
                   ("Ủy ban nhân dân các xã, thị trấn", None),
                   ("Ủy ban nhân dân các xã, thị trấn", ("deadline", "2025-12-15"))]
    first = _prose(doc)[0]
    assert first.coordinators == ["Công an huyện", "các xã, thị trấn"]
    for t in _prose(doc):  # spans are the clause, without the blanks and separators around it
        s = doc.text[t.span.start:t.span.end]
        assert s == s.strip(" \n;") and t.title in " ".join(s.split())


def test_results_and_headers_are_not_assignments():
    doc = docparse.parse_text(vb("Phòng Nội vụ đã hoàn thành việc rà soát biên chế.\nSở Y tế: 12 cuộc kiểm tra."))
    assert _prose(doc) == []


def test_entities_by_rules():
    doc = docparse.parse_text(vb(BODY))
    ents = {(e.label, " ".join(e.text.split())) for e in doc.entities}
    assert ("ORG", "Phòng Văn hóa và Thông tin") in ents and ("ORG", "Công an huyện") in ents
    assert ("ORG", "Ủy ban nhân dân các xã, thị trấn") in ents and ("PER", "Lê Văn Sáng") in ents
    assert ("ORG", "ỦY BAN NHÂN DÂN HUYỆN SÔNG MÂY") in ents
    assert not any(lab == "ORG" and "77/BC-UBND" in t for lab, t in ents)  # the symbol's UBND is not an agency
    for e in doc.entities:
        assert doc.text[e.span.start:e.span.end] == e.text


def test_known_agency_is_canonicalised():
    doc = docparse.parse_text(vb("Giao Sở TT&TT chủ trì triển khai, hoàn thành trước ngày 30/11/2025."))
    t = _prose(doc)[0]
    assert t.lead == "Sở TT&TT" and t.lead_canonical == "Sở Thông tin và Truyền thông"


def test_assignment_gold_floor(corpus_dir):
    """Issue 6's bar: ≥ 85 % exact (lead and deadline) on public 16; measured 94 % (32/34), 95 % over 3 files."""
    result = evaluate_assignments(GOLD / "assignments", corpus_dir, docparse.parse)
    e = result["files"]["16_TB624-TB-VPCP_ketluan_BCD_KHCN"]
    assert e["exact"] / e["gold"] >= 0.85
    assert result["overall"]["exact"] / result["overall"]["gold"] >= 0.90


def test_entity_rules_on_heldout_gold(corpus_dir):
    def predict(path):
        doc = docparse.parse(path)
        return doc.text, [(e.label, e.span.start, e.span.end) for e in doc.entities]

    overall = evaluate_ner(GOLD / "ner", corpus_dir, predict)["overall"]
    assert overall["ORG"]["f1"] >= 0.90 and overall["all"]["f1"] >= 0.88


def test_model_on_heldout_gold(corpus_dir):
    """Issue 6's bar for the trained model alone: ORG F1 ≥ 90 % on documents never trained on (91.2 % measured)."""
    from docparse import ner

    if ner.model_path() is None:
        pytest.skip("no model in models/ner")

    def predict(path):
        text = path.read_text(encoding="utf-8")
        return text, [(e.label, e.span.start, e.span.end) for e in ner.model_entities(text)]

    overall = evaluate_ner(GOLD / "ner", corpus_dir, predict)["overall"]
    assert overall["ORG"]["f1"] >= 0.90 and overall["all"]["f1"] >= 0.90


def test_model_uses_lexicon_features():
    from docparse import ner

    nlp = ner.load_model()
    if nlp is None:
        pytest.skip("no model in models/ner")
    doc = nlp("Giao Sở Tài chính chủ trì.")
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == ner.LEXICON_TOKENIZER
    assert [t.tag_ for t in doc][:3] == ["O", "BH", "BD"]


@pytest.mark.parametrize("env", ["none"])
def test_no_model_means_rules(monkeypatch, env):
    from docparse import ner

    monkeypatch.setenv("DOCPARSE_MODEL", env)
    assert ner.model_path() is None and ner.load_model() is None and ner.model_entities("Sở Y tế") == []


def test_model_when_present():
    from docparse import ner

    if ner.model_path() is None:
        pytest.skip("no model in models/ner")
    ents = ner.model_entities("Giao Sở Tài chính chủ trì, phối hợp với Công an tỉnh Quảng Trị thực hiện.")
    assert ents and all(e.source == "model" and e.label in ("ORG", "PER", "LOC") for e in ents)
    assert any(e.label == "ORG" and "Sở Tài chính" in e.text for e in ents)


def test_entities_option_falls_back_to_rules_without_model(monkeypatch):
    monkeypatch.setenv("DOCPARSE_MODEL", "none")
    text = vb(BODY)
    rules = docparse.parse_text(text)
    hybrid = docparse.parse_text(text, entities="hybrid")
    assert [e.model_dump() for e in hybrid.entities] == [e.model_dump() for e in rules.entities]
    assert "entities.no_model" in {n.code for n in hybrid.notices}
    assert "entities.no_model" not in {n.code for n in rules.notices}
    with pytest.raises(ValueError):
        docparse.parse_text(text, entities="crf")


def test_entities_option_with_model(corpus_dir):
    from docparse import ner

    if ner.model_path() is None:
        pytest.skip("no model in models/ner")
    text = vb(BODY)
    hybrid = docparse.parse_text(text, entities="hybrid")
    rules = {(e.span.start, e.span.end) for e in docparse.parse_text(text).entities}
    assert rules <= {(e.span.start, e.span.end) for e in hybrid.entities}  # the model only adds
    assert all(e.source == "model" for e in hybrid.entities if (e.span.start, e.span.end) not in rules)
    first = _prose(hybrid)[0]  # coordinators normalised by the model, aligned with what is written
    assert first.coordinators_canonical[0] == "Công an huyện" and len(first.coordinators_canonical) == 2
    # assignments with the model asked about unknown clause openings still meet the bar on public 16
    result = evaluate_assignments(GOLD / "assignments", corpus_dir, lambda p: docparse.parse(p, entities="model"))
    e = result["files"]["16_TB624-TB-VPCP_ketluan_BCD_KHCN"]
    assert e["exact"] / e["gold"] >= 0.85


def test_lead_normalised_to_the_agency_it_names():
    from docparse.extract.entities import agency_in

    assert agency_in("Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với UBND cấp huyện") == \
        "Sở Lao động - Thương binh và Xã hội"
    assert agency_in("Bộ trưởng Bộ Tài chính") == "Bộ Tài chính"
    assert agency_in("Sở TT&TT") == "Sở Thông tin và Truyền thông"
    for generic in ("Văn phòng", "Các bộ, ngành, địa phương", "31/10/2025", "cơ quan thuộc Chính phủ"):
        assert agency_in(generic) is None
    doc = docparse.parse_text(vb("Giao Bộ trưởng Bộ Tài chính chủ trì thực hiện, hoàn thành trước ngày 30/11/2025."))
    assert _prose(doc)[0].lead == "Bộ trưởng Bộ Tài chính" and _prose(doc)[0].lead_canonical == "Bộ Tài chính"


def test_word_norm_tokenizer_keeps_syllables_and_adds_underthesea_words():
    import spacy

    from docparse import ner

    ner.register_tokenizer()
    text = "Giao Sở Giáo dục và Đào tạo chủ trì,\nphối hợp với Công an tỉnh."
    words = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": ner.WORD_TOKENIZER}}})(text)
    syllables = ner.blank_vietnamese()(text)
    assert [t.text for t in words] == [t.text for t in syllables]  # token edges unchanged
    norms = {t.text: t.norm_ for t in words}
    assert norms["dục"] == "giáo_dục_và_đào_tạo" and norms["trì"] == "chủ_trì" and norms["Giao"] == "giao"


def test_lexicon_tokenizer_tags_tokens_with_their_lexicon_classes():
    import spacy

    from docparse import ner

    ner.register_tokenizer()
    text = "Giao Sở Tài chính chủ trì, phối hợp với UBND các huyện và ông Nguyễn Văn An (tỉnh Quảng Trị)."
    tagged = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": ner.LEXICON_TOKENIZER}}})(text)
    assert [t.text for t in tagged] == [t.text for t in ner.blank_vietnamese()(text)]  # token edges unchanged
    tags = {t.text: t.tag_ for t in tagged}
    assert tags["Sở"] == "BH" and tags["Tài"] == "BD" and tags["chính"] == "D" and tags["UBND"] == "BH"
    assert tags["huyện"] == "BL" and tags["Quảng"] == "BP" and tags["Trị"] == "P" and tags["Nguyễn"] == "BS"
    assert tags["chủ"] == "BX" and tags["Giao"] == "O" and tags["("] == "O"


@pytest.mark.parametrize("text, name", [
    ("Giao Ủy ban nhân dân các\nphường, xã, đặc khu rà soát", "Ủy ban nhân dân các\nphường, xã, đặc khu"),
    ("phối hợp với Công an phường, xã, đặc khu rà soát", "Công an phường, xã, đặc khu"),
    ("gửi Ủy ban nhân dân tỉnh/thành phố trước ngày", "Ủy ban nhân dân tỉnh/thành phố"),
    ("Ban Thường vụ Thành ủy Cần Thơ chỉ đạo", "Ban Thường vụ Thành ủy Cần Thơ"),
    ("báo cáo Thường trực Hội đồng nhân dân tỉnh xem xét", "Hội đồng nhân dân tỉnh"),  # "Thường trực" as a title
    ("Ban Hệ thống Tài khoản quốc gia tổng hợp", "Ban Hệ thống Tài khoản quốc gia"),
])
def test_agency_names_with_lists_places_and_standing_bodies(text, name):
    assert ("ORG", name) in {(e.label, e.text) for e in docparse.parse_text(text).entities}


@pytest.mark.parametrize("issuer, parent, name", [
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", None, "Ủy ban nhân dân thành phố Hồ Chí Minh"),
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN", "Sở Giáo dục và Đào tạo"),
    ("UBND TỈNH QUẢNG NGÃI", None, "UBND tỉnh Quảng Ngãi"),
    ("VĂN PHÒNG", "BAN CHẤP HÀNH TRUNG ƯƠNG", "Văn phòng Ban Chấp hành Trung ương"),
    ("KHO BẠC NHÀ NƯỚC", None, "Kho bạc Nhà nước"),
    ("Bộ Tài chính", None, "Bộ Tài chính"),
    (None, "BỘ TÀI CHÍNH", None),
])
def test_issuer_name_is_recased_and_completed(issuer, parent, name):
    from docparse.extract.entities import issuer_name

    assert issuer_name(issuer, parent) == name


def test_header_issuer_and_coordinators_are_normalised():
    doc = docparse.parse_text(vb(BODY))
    assert doc.header.issuer_canonical == "Ủy ban nhân dân huyện Sông Mây"
    first = _prose(doc)[0]
    assert first.coordinators_canonical == ["Công an huyện", None]  # "các xã, thị trấn" names no agency
    for t in doc.tasks:
        assert len(t.coordinators_canonical) == len(t.coordinators)


@pytest.mark.parametrize("text, found", [
    ("Hợp tác xã Nông nghiệp Phú Điền ký hợp đồng", [("ORG", "Hợp tác xã Nông nghiệp Phú Điền")]),
    ("trụ sở tại số 5 đường Phan Chu Trinh, phường An Hội", [("LOC", "phường An Hội")]),  # a street, not a person
    ("Ban Chỉ đạo phòng, chống tội phạm tỉnh họp", [("ORG", "Ban Chỉ đạo phòng, chống tội phạm tỉnh")]),
    ("Sở Y tế phòng, chống dịch", [("ORG", "Sở Y tế")]),
    ("ỦY BAN NHÂN DÂN TỈNH MỸ KHƯƠNG\n", [("ORG", "ỦY BAN NHÂN DÂN TỈNH MỸ KHƯƠNG")]),
    ("Ủy ban nhân dân phường Ô Chợ Dừa", [("ORG", "Ủy ban nhân dân phường Ô Chợ Dừa")]),
    ("Căn cứ tình hình thực tế, triển khai KẾ HOẠCH CỦA TỈNH NĂM 2025", []),
])
def test_entity_rule_edges(text, found):
    assert [(e.label, e.text) for e in docparse.parse_text(text).entities] == found
