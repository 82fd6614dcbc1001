"""Agencies, people and places by rules, and assignments in prose as Task(source="prose") (issue 6)."""
from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

import docparse
from docparse.eval_nlp import evaluate_assignments, evaluate_ner
from docparse.extract import assignments as A
from docparse.extract.ranges import Ranges
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
        pytest.skip("no model in docparse/models/ner")

    def predict(path):
        text = path.read_text(encoding="utf-8")
        return text, [(e.label, e.span.start, e.span.end) for e in ner.model_entities(text)]

    overall = evaluate_ner(GOLD / "ner", corpus_dir, predict)["overall"]
    assert overall["ORG"]["f1"] >= 0.90 and overall["all"]["f1"] >= 0.90


def test_model_uses_lexicon_features():
    from docparse import ner

    nlp = ner.load_model()
    if nlp is None:
        pytest.skip("no model in docparse/models/ner")
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
        pytest.skip("no model in docparse/models/ner")
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
        pytest.skip("no model in docparse/models/ner")
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


DECISION = """Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;
Theo đề nghị của Trưởng phòng Nội vụ huyện tại Tờ trình số 12/TTr-PNV ngày 02 tháng 6 năm 2025.
Ủy ban nhân dân huyện ban hành Quyết định quy định quản lý bến đò trên địa bàn huyện Sông Mây.
Điều 1. Ban hành kèm theo Quyết định này Quy định quản lý bến đò trên địa bàn huyện.
Điều 2. Tổ chức thực hiện
1. Giao Phòng Kinh tế chủ trì, phối hợp với Công an huyện kiểm tra các bến đò, hoàn thành trước ngày 30/9/2025.
2. Phòng Tài chính - Kế hoạch có trách nhiệm bố trí kinh phí kiểm tra.
Điều 3. Quyết định này có hiệu lực kể từ ngày ký.
Điều 4. Chánh Văn phòng HĐND và UBND huyện; Trưởng phòng Kinh tế; Chủ tịch Ủy ban nhân dân các xã, thị trấn
và các tổ chức, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này./."""


def test_enacting_formula_and_execution_clause_are_not_assignments():
    doc = docparse.parse_text(vb(DECISION, so="Số: 15/2025/QĐ-UBND", loai="QUYẾT ĐỊNH\nQuy định quản lý bến đò"))
    got = [(t.lead, t.deadline and str(t.deadline.end)) for t in _prose(doc)]
    assert got == [("Phòng Kinh tế", "2025-09-30"), ("Phòng Tài chính - Kế hoạch", None)]


def test_execution_clause_with_a_task_after_it_is_kept():
    body = ("Điều 3. Tổ chức thực hiện\nỦy ban nhân dân các xã, thị trấn có trách nhiệm tổ chức thi hành Nghị quyết "
            "này; rà soát, sắp xếp các tổ dân phố, hoàn thành trước ngày 31/12/2025.")
    doc = docparse.parse_text(vb(body, loai="NGHỊ QUYẾT\nSắp xếp tổ dân phố"))
    assert [t.lead for t in _prose(doc)] == ["Ủy ban nhân dân các xã, thị trấn"]


def test_an_article_that_delegates_is_not_an_enacting_formula():
    body = ("Điều 1. Phạm vi điều chỉnh\nQuy định này quy định việc quản lý bến đò.\n"
            "Điều 2. Trách nhiệm\nPhòng Kinh tế ban hành Kế hoạch kiểm tra bến đò hằng quý.")
    doc = docparse.parse_text(vb(body, loai="QUYẾT ĐỊNH\nQuy định quản lý bến đò"))
    assert [t.lead for t in _prose(doc)] == ["Phòng Kinh tế"]


REPORT = """I. KẾT QUẢ THỰC HIỆN
1. Công tác chỉ đạo
Ủy ban nhân dân huyện đã tham mưu ban hành Kế hoạch số 20/KH-UBND, giao nhiệm vụ cụ thể cho các phòng.
Phòng Văn hóa và Thông tin tiếp tục triển khai tuyên truyền về chuyển đổi số trên địa bàn.
2. Tình hình thực hiện
Công an huyện:
- Đã kiểm tra 12 điểm truy cập Internet công cộng.
II. NHIỆM VỤ THỜI GIAN TỚI
1. Giao Phòng Văn hóa và Thông tin chủ trì tổ chức Ngày Chuyển đổi số, hoàn thành trước ngày 10/10/2025.
2. Công an huyện:
- Đã phối hợp kiểm tra các điểm truy cập Internet công cộng.
- Kiểm tra các điểm truy cập Internet công cộng trong quý IV năm 2025."""


def test_report_narration_is_not_an_assignment():
    doc = docparse.parse_text(vb(REPORT))
    got = [(t.lead, t.title[:28]) for t in _prose(doc)]
    assert got == [("Phòng Văn hóa và Thông tin", "chủ trì tổ chức Ngày Chuyển "),
                   ("Công an huyện", "Kiểm tra các điểm truy cập I")]


def test_scope_article_and_closing_paragraph_are_not_assignments():
    body = ("Điều 2. Đối tượng áp dụng\nCác cơ quan, tổ chức, cá nhân có liên quan đến quản lý bến đò.\n"
            "Điều 3. Tổ chức thực hiện\n1. Phòng Kinh tế:\n- Kiểm tra các bến đò hằng quý.\n\n"
            "Trên đây là Kế hoạch của Ủy ban nhân dân huyện; đề nghị các cơ quan, đơn vị triển khai thực hiện.")
    doc = docparse.parse_text(vb(body, loai="KẾ HOẠCH\nQuản lý bến đò"))
    assert [t.lead for t in _prose(doc)] == ["Phòng Kinh tế"]


def test_precision_sample_from_the_pool(corpus_dir):
    """Issue 11: ≥ 90 % of prose assignments are real. The judged sample (tests/gold/assignments/
    precision_sample.jsonl, drawn at random from the pool's output and read by hand) must keep its precision, and
    the real ones must still be found."""
    rows = [json.loads(line) for line in (GOLD / "assignments" / "precision_sample.jsonl").open(encoding="utf-8")]
    found: dict[str, list[str]] = {}
    for name in sorted({r["document"] for r in rows}):
        path = corpus_dir / name
        if path.exists():
            doc = docparse.parse(path)
            found[name] = [doc.text[t.span.start:t.span.end] for t in _prose(doc)]
    kept = [r for r in rows if r["document"] in found
            and any(s.startswith(r["evidence"].rstrip("…")) for s in found[r["document"]])]
    real = [r for r in rows if r["document"] in found and r["verdict"] == "real"]
    assert len(real) >= 90
    assert sum(r["verdict"] == "real" for r in kept) >= 0.95 * len(real)
    assert sum(r["verdict"] == "real" for r in kept) >= 0.90 * len(kept)


def test_chiu_trach_nhiem_is_a_verb_but_accountability_is_not_a_task():
    body = ("Điều 3. Tổ chức thực hiện\n1. Phòng Tư pháp chịu trách nhiệm đăng tải danh mục thủ tục trên trang tin "
            "của huyện.\n2. Trưởng phòng Nội vụ chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân huyện về việc "
            "thẩm định hồ sơ.")
    doc = docparse.parse_text(vb(body, loai="QUYẾT ĐỊNH\nCông bố thủ tục"))
    assert [t.lead for t in _prose(doc)] == ["Phòng Tư pháp"]


# ---- issue 17: the faster scans read exactly what the patterns they replace read ----------------------------------
# The item markers as one multiline pattern (the reading before issue 17): every marker, in order.
_ONE_PATTERN_MARKS = re.compile(
    r"(?m)^[ \t]*(?:(?P<num>\d{1,2}(?:\.\d{1,2})*)\.(?![\d/])|(?P<letter>[a-zđ])\)|(?P<bullet>[-+•]))"
    r"(?:[ \t]+|[ \t]*\n(?=[ \t]*[^\W\d_]))"
    r"|^[ \t]*(?P<article>Điều[ \t]*\n?[ \t]*\d{1,3}[a-z]?|[IVX]{1,5})[ \t]*[.:](?![\d/])[ \t]*(?:\n[ \t]*)?"
    r"|\((?P<inline>\d{1,2})\)[ \t]*|\n[ \t]*\n(?=[ \t]*[^\s|])")
_PIECES = ["\n", "\n", "\n\n", " ", "\t", "1.", "2.3.", "12.", "a)", "đ)", "-", "+", "•", "Điều", "Điều 3.", "Điều\n4:",
           "IV.", "V:", "(1)", "(12)", " x", "Bộ", "|", "1", ".", ":", "/", "b", "X", "(", ")", "Nơi nhận", "Điều 1.",
           " 1", "*", "thường xuyên", "nhiệm vụ", ";", "đã", "Đang", "xđã", "phối hợp", "PHỐI HỢP", "Phối hợp chặt chẽ",
           "với", "p", "٣.", "q)"]


def _soup(rng: random.Random) -> tuple[str, int, int]:
    text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 14)))
    start = 0 if rng.random() < 0.5 else rng.randint(0, len(text))
    end = len(text) if rng.random() < 0.5 else rng.randint(start, len(text))
    return text, start, end


def _reference_items(text, start, end, skip):
    bounds = [(start, start, 0)]
    for m in _ONE_PATTERN_MARKS.finditer(text, start, end):
        depth = (m.group("num").count(".") + 1 if m.group("num") else
                 next((d for k, d in (("article", 0), ("letter", 3), ("inline", 4), ("bullet", 5)) if m.group(k)), 6))
        bounds.append((m.start() + m.group(0).startswith("\n"), m.end(), depth))
    tables = Ranges(skip)
    return [(mark, body, stop, depth) for (mark, body, depth), stop in zip(bounds, [b[0] for b in bounds[1:]] + [end])
            if stop > body and not tables.overlaps(body, body + 1)]


def test_item_markers_are_those_of_the_one_pattern_reading():
    rng = random.Random(17)
    for _ in range(20000):
        text, start, end = _soup(rng)
        skip = [(a, rng.randint(a, len(text))) for a in (rng.randint(0, len(text)) for _ in range(rng.randint(0, 2)))]
        assert A._items(text, start, end, skip) == _reference_items(text, start, end, skip), (text, start, end, skip)


def test_literal_led_searches_find_what_the_anchored_patterns_find():
    closing, first_article = re.compile(r"(?m)^[^\w\n]*Nơi nhận[ \t]*:"), re.compile(r"(?m)^[ \t]*Điều\s+1[ \t]*[.:]")
    recurring = re.compile(r"(?:nhiệm vụ\s+)?thường\s+xuyên(?=\s*[.;]|\s*$)")
    past = re.compile(r"(?<!\w)(?:đã|Đã|đang|Đang)(?!\w)")
    coordination = re.compile(r"(?<!\w)phối hợp(?:\s+chặt chẽ)?(?:\s+với)?\s+", re.IGNORECASE)
    rng = random.Random(6)
    for _ in range(20000):
        text, start, end = _soup(rng)
        for rx, new in ((closing, A._CLOSING), (first_article, A._FIRST_ARTICLE)):
            m = rx.search(text, start, end)
            assert A._line_search(*new, text, start, end) == (m and m.start()), (text, start, end)
        m = recurring.search(text, start, end)
        assert A._recurring(text, start, end) == (m and m.span()), (text, start, end)
        assert bool(A._PAST.search(text, start, end)) == bool(past.search(text, start, end)), (text, start, end)
        m, n = coordination.search(text, start, end), A._COORD.search(text, start, end)
        assert (m and m.span()) == (n and n.span()), (text, start, end)


def test_an_agency_is_only_looked_for_where_an_opening_word_or_an_org_is():
    """_may_open is the cheap test before _lead and _lead_words: wherever they find an agency, it says yes."""
    words = [*A._INTRO_WORDS, *A._TITLE_WORDS, "Các", "các", "Bộ", "Sở", "các bộ", "Các sở", "đồng chí", " ", "  ",
             "Tài chính", "Phòng Y tế", ",", " và ", "(VTV)", ": ", "chủ trì", "thực hiện", "đã", "x", "Trên đây"]
    rng = random.Random(3)
    for _ in range(4000):
        text = "".join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        orgs = {}
        for _ in range(rng.randint(0, 3)):
            a = rng.randint(0, len(text))
            orgs[a] = rng.randint(a, len(text))
        for pos in range(len(text) + 1):
            if A._lead(text, pos, len(text), orgs) or A._lead_words(text, pos, len(text), orgs):
                assert A._may_open(text, pos, orgs), (text, pos, orgs)


def test_quiet_titles_open_with_one_of_their_letters():
    letters = re.compile("[pđgnmkthb]", re.IGNORECASE)  # the first letters of _QUIET_TITLE's words
    assert {chr(i) for i in range(0x110000) if letters.match(chr(i))} <= A._QUIET_FIRST
    assert A._QUIET_TITLE.match("Kết quả thực hiện") and A._QUIET_TITLE.match("phạm vi điều chỉnh").lastgroup == "scope"
