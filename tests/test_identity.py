"""Identity with an issuing authority: a local number (QĐ-UBND, NQ-HĐND …) is one province's, never another's;
resolution stays within one authority; symbol variants only within one register; look-alike letters repaired.
All documents here are fictional; only place names and codes are real facts."""
from __future__ import annotations

import sqlite3

import pytest

import docparse
from docparse.corpus import Corpus
from docparse.identity import find_province, issuer_part, national_series, symbol_key, symbol_parts
from docparse.lexicon import load, provinces

TITLE = "BÁO CÁO\nTình hình thực hiện nhiệm vụ năm 2025"


def vb_tinh(body: str, province: str, *, so: str = "Số: 77/BC-UBND", day: str = "ngày 10 tháng 11 năm 2025",
            issuer: str = "ỦY BAN NHÂN DÂN", title: str = TITLE) -> str:
    """A fictional document of a province's body, in the NĐ 30/2020 layout."""
    kind = "THÀNH PHỐ" if province in ("Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Cần Thơ") else "TỈNH"
    return (f"{issuer}\n{kind} {province.upper()}\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\n---------------\n"
            f"{so}\n{province}, {day}\n\n{title}\n\n{body}\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
            "CHỦ TỊCH\nTrần Văn Bình\n")


def vb_bo(body: str, *, so: str = "Số: 15/BTC-QLN", day: str = "ngày 10 tháng 11 năm 2025") -> str:
    return ("BỘ TÀI CHÍNH\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            f"---------------\n{so}\nHà Nội, {day}\n\nV/v hướng dẫn thực hiện\n\nKính gửi: Các địa phương.\n\n"
            f"{body}\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễn Văn An\n")


def parse(text: str, source: str) -> docparse.Document:
    return docparse.parse_text(text, source=source)


def check(*docs, select=None):
    with Corpus() as corpus:
        corpus.add_many(docs)
        return corpus.check(select=select), {d: corpus.document(d) for d in corpus.ids()}


def of(findings, code):
    return [f for f in findings if f.code == code]


# ---- the province lexicon ----------------------------------------------------------------------------------------
def test_lexicon_has_34_new_and_63_old_units():
    data = load("provinces.json")
    assert len(data["new"]) == 34
    olds = [o for info in data["new"].values() for o in info["from"]]
    assert len(olds) == len(set(olds)) == 63
    assert sum(info["kind"] == "thành phố" for info in data["new"].values()) == 6
    for old in olds:
        assert provinces()[old]["new"] in data["new"]


@pytest.mark.parametrize("text,name,new", [
    ("UBND tỉnh Bình Phước", "Bình Phước", "Đồng Nai"),
    ("Ủy ban nhân dân TP.HCM", "Hồ Chí Minh", "Hồ Chí Minh"),
    ("HĐND tỉnh Thừa Thiên Huế", "Thừa Thiên Huế", "Huế"),
    ("UBND TỈNH BÀ RỊA - VŨNG TÀU", "Bà Rịa - Vũng Tàu", "Hồ Chí Minh"),
    ("ủy ban nhân dân tinh dak lak", "Đắk Lắk", "Đắk Lắk"),
    ("UBND tỉnh Hà Nam", "Hà Nam", "Ninh Bình"),
])
def test_find_province(text, name, new):
    info = find_province(text)
    assert info and info["name"] == name and info["new"] == new


def test_find_province_none():
    assert find_province("Bộ Tài chính") is None and find_province(None) is None


# ---- symbol parts -------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("symbol,parts,national", [
    ("QĐ-UBND", ("QD", "UBND"), False), ("2022/NĐ-CP", ("ND", "CP"), True), ("NQ/TW", ("NQ", "TW"), True),
    ("CTr/TU", ("CTR", "TU"), False), ("VPCP-KSTT", ("", "VPCP"), True), ("QĐ-BNN-KHCN", ("QD", "BNN"), True),
    ("TTr-STC", ("TTR", "STC"), False), ("2025/QH15", ("", "QH15"), True), ("QĐ-BQLKKT", ("QD", "BQLKKT"), False),
])
def test_symbol_parts_and_series(symbol, parts, national):
    k = symbol_key(symbol)
    assert symbol_parts(k) == parts and issuer_part(k) == parts[1]
    assert national_series(k) is national


def test_ampersand_is_no_part_of_identity():
    assert symbol_key("QĐ-BVHTT&DL") == symbol_key("QĐ-BVHTTDL")


# ---- authority of a citation --------------------------------------------------------------------------------------
def test_authority_from_the_citation_issuer():
    d = parse(vb_tinh("Thực hiện Quyết định số 25/2025/QĐ-UBND ngày 18/3/2025 của Ủy ban nhân dân tỉnh Bình Phước "
                      "về quản lý chợ, các xã đã triển khai.", "Đồng Nai"), "a.txt")
    c = d.citations[0]
    assert (c.authority, c.authority_source) == ("UBND tỉnh Bình Phước", "citation")


def test_authority_inferred_from_the_citing_document():
    d = parse(vb_tinh("Thực hiện Kế hoạch số 12/KH-UBND ngày 20/8/2025, các xã đã triển khai.", "Nghệ An"), "a.txt")
    c = d.citations[0]
    assert (c.authority, c.authority_source) == ("UBND tỉnh Nghệ An", "citing_document")


def test_authority_of_a_merged_province_before_the_merger_is_left_open():
    d = parse(vb_tinh("Thực hiện Quyết định số 9/2019/QĐ-UBND ngày 20/8/2019, các xã đã triển khai.", "Đồng Nai"),
              "a.txt")
    c = d.citations[0]
    assert c.authority_source == "citing_document"
    assert c.authority.startswith("UBND tỉnh Đồng Nai") and "Bình Phước" in c.authority


def test_national_series_authority_is_the_symbol():
    d = parse(vb_tinh("Căn cứ Thông tư số 09/2025/TT-BCT ngày 01/02/2025 của Bộ Công Thương.", "Nghệ An"), "a.txt")
    assert (d.citations[0].authority, d.citations[0].authority_source) == ("BCT", "symbol")


def test_ministry_citing_a_local_code_has_unknown_authority():
    d = parse(vb_bo("Theo Quyết định số 25/2025/QĐ-UBND ngày 18/3/2025, địa phương đã báo cáo."), "bo.txt")
    assert (d.citations[0].authority, d.citations[0].authority_source) == (None, "unknown")


# ---- cross-document conflicts ---------------------------------------------------------------------------------------
def _cite(province: str, date: str, source: str, issuer: str = "", so: str = "Số: 77/BC-UBND"):
    return parse(vb_tinh(f"Thực hiện Quyết định số 25/2025/QĐ-UBND ngày {date}{issuer} về quản lý chợ, các xã đã "
                         "triển khai đầy đủ.", province, so=so), source)


def test_two_provinces_same_local_code_different_dates_no_conflict():
    a = _cite("Nghệ An", "18/3/2025", "a.txt", " của Ủy ban nhân dân tỉnh Nghệ An")
    b = _cite("Hà Tĩnh", "09/4/2025", "b.txt", " của Ủy ban nhân dân tỉnh Hà Tĩnh")
    c = _cite("Lạng Sơn", "11/4/2025", "c.txt")  # inferred: Lạng Sơn's own
    fs, _ = check(a, b, c)
    assert of(fs, "citation.conflict") == []


def test_same_province_same_local_code_different_dates_is_a_conflict():
    a = _cite("Nghệ An", "18/3/2025", "a.txt", " của Ủy ban nhân dân tỉnh Nghệ An")
    b = _cite("Nghệ An", "19/3/2025", "b.txt", so="Số: 78/BC-UBND")
    fs, docs = check(a, b)
    hits = of(fs, "citation.conflict")
    assert len(hits) == 1
    f = hits[0]
    assert f.data["authority"] == "UBND tỉnh Nghệ An"
    assert f.data["authority_source"] == "citing_document"  # the weaker of the two mentions' sources
    assert "của UBND tỉnh Nghệ An (suy ra từ cơ quan ban hành văn bản viện dẫn)" in f.message
    assert "bằng chứng mạnh nhất" not in f.message
    for e in f.spans:
        assert docs[e.document].text[e.span.start:e.span.end] == e.text


def test_unknown_authority_is_never_matched():
    a = _cite("Nghệ An", "18/3/2025", "a.txt")
    bo = parse(vb_bo("Theo Quyết định số 25/2025/QĐ-UBND ngày 20/3/2025, địa phương đã báo cáo."), "bo.txt")
    fs, docs = check(a, bo)
    assert of(fs, "citation.conflict") == []
    assert all(c.resolved_to is None for c in docs["bo.txt"].citations)


def test_2025_code_of_a_merged_province_across_the_new_government_is_two_documents():
    a = _cite("Đồng Nai", "18/3/2025", "a.txt", " của Ủy ban nhân dân tỉnh Đồng Nai")
    b = _cite("Đồng Nai", "15/8/2025", "b.txt", " của Ủy ban nhân dân tỉnh Đồng Nai", so="Số: 78/BC-UBND")
    fs, _ = check(a, b)
    assert of(fs, "citation.conflict") == []


def _decision(province: str, source: str, day: str = "ngày 20 tháng 11 năm 2025", number: str = "80"):
    return parse(vb_tinh("Điều 1. Ban hành Quy chế quản lý chợ trên địa bàn tỉnh.\n"
                         "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.", province,
                         so=f"Số: {number}/2025/QĐ-UBND", day=day,
                         title="QUYẾT ĐỊNH\nVề việc ban hành Quy chế quản lý chợ\n\nQUYẾT ĐỊNH:"), source)


def _cites_80(province: str, date: str, source: str):
    return parse(vb_tinh(f"Thực hiện Quyết định số 80/2025/QĐ-UBND ngày {date} về quản lý chợ, các xã đã triển khai.",
                         province, day="ngày 28 tháng 11 năm 2025"), source)


def test_header_is_evidence_only_for_its_own_authority():
    header = _decision("Hà Tĩnh", "qd.txt")
    other = _cites_80("Bắc Ninh", "22/11/2025", "bn.txt")
    fs, docs = check(header, other)
    assert of(fs, "citation.conflict") == []
    assert docs["bn.txt"].citations[0].resolved_to is None

    same = _cites_80("Hà Tĩnh", "22/11/2025", "ht.txt")
    fs, docs = check(header, same)
    hits = of(fs, "citation.conflict")
    assert len(hits) == 1 and hits[0].data["kind"] == "header_date"
    assert hits[0].data["authority"] == "UBND tỉnh Hà Tĩnh"
    assert "bằng chứng mạnh nhất" in hits[0].message and "UBND tỉnh Hà Tĩnh" in hits[0].message


def test_resolution_within_one_authority():
    ht, bn = _decision("Hà Tĩnh", "ht_qd.txt"), _decision("Bắc Ninh", "bn_qd.txt")
    cite = _cites_80("Hà Tĩnh", "20/11/2025", "ht_bc.txt")
    fs, docs = check(ht, bn, cite)
    assert docs["ht_bc.txt"].citations[0].resolved_to == "ht_qd.txt"
    assert of(fs, "citation.conflict") == []


def test_self_citation_never_resolves_to_another_document():
    own = parse(vb_tinh("Điều 1. Ban hành Quy chế kèm theo Quyết định này.\nĐiều 2. Hiệu lực kể từ ngày ký.\n\n"
                        "QUY CHẾ\n(Kèm theo Quyết định số 80/2025/QĐ-UBND ngày 22/11/2025 của UBND tỉnh)\n"
                        "Điều 1. Phạm vi điều chỉnh.", "Bắc Ninh", so="Số: 80/2025/QĐ-UBND",
                        day="ngày 22 tháng 11 năm 2025",
                        title="QUYẾT ĐỊNH\nVề việc ban hành Quy chế\n\nQUYẾT ĐỊNH:"), "bn.txt")
    other = _decision("Hà Tĩnh", "ht.txt")
    _, docs = check(own, other)
    selfs = [c for c in docs["bn.txt"].citations if c.is_self]
    assert selfs and all(c.resolved_to in (None, "bn.txt") for c in selfs)


def test_refs_rows_carry_the_authority():
    a = _cite("Nghệ An", "18/3/2025", "a.txt")
    b = _cite("Hà Tĩnh", "09/4/2025", "b.txt")
    with Corpus() as corpus:
        corpus.add_many([a, b])
        rows = [r for r in corpus.refs() if r["key"]["number"] == "25"]
    assert sorted(r["key"]["authority"] for r in rows) == ["UBND tỉnh Hà Tĩnh", "UBND tỉnh Nghệ An"]
    assert all(r["key"]["authority_source"] == "citing_document" for r in rows)
    assert all(m["authority"] for r in rows for m in r["mentions"])


def test_an_index_of_another_version_is_rebuilt(tmp_path):
    db = tmp_path / "old.sqlite"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, content_sha TEXT NOT NULL, record BLOB NOT NULL)")
    conn.execute("INSERT INTO documents VALUES ('x', 'y', x'00')")
    conn.commit()
    conn.close()
    with Corpus(db) as corpus:
        assert len(corpus) == 0
        corpus.add(_cite("Nghệ An", "18/3/2025", "a.txt"))
        assert corpus.ids() == ["a.txt"]
    with Corpus(db) as again:
        assert again.ids() == ["a.txt"]


# ---- symbol variants ------------------------------------------------------------------------------------------------
def test_two_ministries_are_not_a_variant():
    a = parse(vb_tinh("Căn cứ Thông tư số 09/2025/TT-BCT ngày 01/02/2025 của Bộ Công Thương.", "Nghệ An"), "a.txt")
    b = parse(vb_tinh("Căn cứ Thông tư số 09/2025/TT-BTP ngày 03/02/2025 của Bộ Tư pháp.", "Hà Tĩnh"), "b.txt")
    both = parse(vb_tinh("Căn cứ Thông tư số 09/2025/TT-BCT ngày 01/02/2025 của Bộ Công Thương; Thông tư số "
                         "09/2025/TT-BTP ngày 03/02/2025 của Bộ Tư pháp.", "Cao Bằng"), "c.txt")
    fs, _ = check(a, b, both)
    assert of(fs, "citation.symbol_variant") == []


def test_a_lookalike_slip_in_one_register_is_a_variant():
    d = parse(vb_tinh("Căn cứ Nghị quyết số 11/2025/NQ-HĐND ngày 07/7/2025 của HĐND tỉnh Nghệ An; thực hiện Nghị "
                      "quyết số 11/2025/NO-HĐND ngày 07/7/2025 của HĐND tỉnh Nghệ An.", "Nghệ An"), "a.txt")
    fs = docparse.check(d)
    hits = of(fs, "citation.symbol_variant")
    assert len(hits) == 1 and hits[0].data["authority"] == "HĐND tỉnh Nghệ An"
    assert sorted(hits[0].data["codes"]) == ["11/2025/NO-HĐND", "11/2025/NQ-HĐND"]


def test_nd_and_nq_of_one_body_are_two_documents_not_a_variant():
    d = parse(vb_tinh("Căn cứ Nghị định số 15/2025/NĐ-CP ngày 07/2/2025 của Chính phủ; Nghị quyết số 15/2025/NQ-CP "
                      "ngày 10/2/2025 của Chính phủ.", "Nghệ An"), "a.txt")
    assert of(docparse.check(d), "citation.symbol_variant") == []


def test_same_local_code_of_two_named_provinces_is_no_variant_nor_conflict():
    d = parse(vb_tinh("Căn cứ Quyết định số 25/2025/QĐ-UBND ngày 18/3/2025 của UBND tỉnh Bình Phước và Quyết định "
                      "số 25/2025/QĐ-UBND ngày 09/4/2025 của UBND tỉnh Đồng Nai.", "Đồng Nai"), "a.txt")
    fs = docparse.check(d)
    assert of(fs, "citation.conflict") == [] and of(fs, "citation.symbol_variant") == []


# ---- look-alike letters -------------------------------------------------------------------------------------------
def test_cyrillic_lookalike_in_a_code_is_repaired_and_reported():
    body = "Căn cứ Nghị định số 137/2020/NĐ-С\u0420 ngày 27/11/2020 của Chính phủ; Москва không đổi."
    d = parse(vb_tinh(body, "Nghệ An"), "a.txt")
    c = next(c for c in d.citations if c.number == "137")
    assert c.code == "137/2020/NĐ-CP" and c.authority == "CP"
    assert d.text[c.span.start:c.span.end] == c.text and "\u0420" in c.text
    notes = [n for n in d.notices if n.code == "text.lookalike_repaired"]
    assert len(notes) == 1 and d.text[notes[0].span.start:notes[0].span.end] == "137/2020/NĐ-С\u0420"
    assert "Москва" in d.text


def test_stray_space_in_a_code_is_repaired_and_reported():
    d = parse(vb_tinh("Căn cứ Nghị định số 78/2021/NĐ -CP ngày 01/8/2021 của Chính phủ.", "Nghệ An"), "a.txt")
    c = next(c for c in d.citations if c.number == "78")
    assert c.code == "78/2021/NĐ-CP" and d.text[c.span.start:c.span.end] == c.text
    assert [n.code for n in d.notices if n.code == "text.code_space_repaired"]


# ---- year in the code against the date ----------------------------------------------------------------------------
def test_year_mismatch_true_case():
    d = parse(vb_tinh("Thực hiện Quyết định số 46/2002/QĐ-UBND ngày 12/09/2022 của UBND tỉnh Nghệ An, các xã đã "
                      "triển khai; Quyết định số 46/2002/QĐ-UBND\nngày 12/09/2022 được áp dụng.", "Nghệ An"), "a.txt")
    hits = of(docparse.check(d), "citation.year_mismatch")
    assert len(hits) == 1 and hits[0].severity == "error"
    assert hits[0].data["code_year"] == 2002 and hits[0].data["date"] == "2022-09-12" and len(hits[0].spans) == 2
    assert "12/09/2022" in hits[0].message


@pytest.mark.parametrize("body", [
    "Căn cứ Nghị định số 46/2022/NĐ-CP ngày 12/09/2022 của Chính phủ.",
    "Thực hiện Kế hoạch số 46/KH-UBND ngày 12/09/2022 của UBND tỉnh.",
    "Thực hiện Luật số 12/2020/QH14\nNgày 28 tháng 11 năm 2025, tại trụ sở, Hội nghị đã thảo luận.",
    "Căn cứ Nghị định số 12/2020/NĐ-CP của Chính phủ được sửa đổi bởi Nghị định số 10/2022/NĐ-CP ngày 05/3/2022.",
])
def test_year_mismatch_false_cases(body):
    d = parse(vb_tinh(body, "Nghệ An"), "a.txt")
    assert of(docparse.check(d), "citation.year_mismatch") == []


def test_year_mismatch_in_the_header():
    d = parse(vb_tinh("Điều 1. Ban hành Quy chế.\nĐiều 2. Hiệu lực kể từ ngày ký.", "Nghệ An",
                      so="Số: 12/2024/QĐ-UBND", day="ngày 05 tháng 3 năm 2025",
                      title="QUYẾT ĐỊNH\nVề việc ban hành Quy chế\n\nQUYẾT ĐỊNH:"), "a.txt")
    hits = of(docparse.check(d), "citation.year_mismatch")
    assert len(hits) == 1 and hits[0].data["where"] == "header"


def _commune(name: str, body: str, source: str) -> docparse.Document:
    text = (f"ỦY BAN NHÂN DÂN\nXÃ {name.upper()}\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\n---------------\nSố: 40/BC-UBND\n"
            f"{name}, ngày 10 tháng 11 năm 2025\n\n{TITLE}\n\n{body}\n\nNơi nhận:\n- Lưu: VT.\nCHỦ TỊCH\nLê Văn Sáng\n")
    return parse(text, source)


def test_a_commune_citing_a_bare_local_code_means_its_own_ubnd():
    a = _commune("Tân Mây", "Thực hiện Quyết định số 12/QĐ-UBND ngày 03/10/2025, các thôn đã triển khai.", "a.txt")
    b = _commune("Đồi Mây", "Thực hiện Quyết định số 12/QĐ-UBND ngày 07/10/2025, các thôn đã triển khai.", "b.txt")
    assert a.citations[0].authority == "UBND xã Tân Mây"
    fs, _ = check(a, b)
    assert of(fs, "citation.conflict") == []


def test_a_commune_citing_the_province_without_its_name_is_unknown():
    a = _commune("Tân Mây", "Thực hiện Quyết định số 12/QĐ-UBND ngày 03/10/2025 của UBND tỉnh, các thôn đã triển "
                 "khai.", "a.txt")
    assert (a.citations[0].authority, a.citations[0].authority_source) == (None, "unknown")


@pytest.mark.parametrize("text, expected", [
    ("UBND xã Hòa Bình, huyện Tân Lạc, tỉnh Bắc Ninh", "Bắc Ninh"),  # the commune shares a province's name
    ("Ủy ban nhân dân phường Bình Định", None),                       # a ward, no province named
    ("Hà Nội", "Hà Nội"),
    ("UBND tỉnh Bình Phước", "Bình Phước"),
])
def test_province_is_the_one_after_its_level_word(text, expected):
    found = find_province(text)
    assert (found and found["name"]) == expected


def test_assembly_laws_and_resolutions_are_two_series():
    """Luật 55/2010/QH12 and Nghị quyết 55/2010/QH12 are two documents: no conflict between their dates."""
    a = docparse.parse_text("Căn cứ Luật An toàn thực phẩm số 55/2010/QH12 ngày 17/6/2010;\n")
    b = docparse.parse_text("Căn cứ Nghị quyết số 55/2010/QH12 ngày 24/11/2010 của Quốc hội;\n")
    c = docparse.parse_text("Căn cứ Nghị quyết số 55/2010/QH12 ngày 25/11/2010 của Quốc hội;\n")
    from docparse.identity import citation_key
    ka, kb, kc = (citation_key(d.citations[0]) for d in (a, b, c))
    assert ka != kb and kb == kc and symbol_parts(kb[1]) == ("", "QH12")
    codes = {f.code for f in docparse.check([a, b])}
    assert "citation.conflict" not in codes
    assert "citation.conflict" in {f.code for f in docparse.check([b, c])}
