"""Laws cited by name linked to their number: reading whole names, the consistent index, the lexicon, and the corpus
link that lets a named mention join the coded ones (refs, citation.conflict). Fictional documents; the law names,
codes and dates are public facts."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest
from fictional import vb

import docparse
from docparse.corpus import Corpus
from docparse.identity import code_year
from docparse.laws import (
    LawEntry,
    LawIndex,
    coded_pairs,
    consistent_index,
    lexicon_index,
    name_before,
    name_key,
    plausible_code,
    read_name,
)
from docparse.lexicon import laws

ROOT = Path(__file__).resolve().parents[1]
LATE = "Thị trấn Mây, ngày 20 tháng 11 năm 2025"


def doc(body: str, source: str, ngay: str = LATE, so: str = "Số: 78/QĐ-UBND") -> docparse.Document:
    return docparse.parse_text(vb(body, so=so, ngay=ngay, loai="QUYẾT ĐỊNH\nVề việc giao nhiệm vụ\n\nQUYẾT ĐỊNH:"),
                               source=source)


def test_name_key_ignores_case_accents_and_punctuation():
    assert name_key("Luật Cán bộ, công chức") == name_key("luật cán bộ công chức") == "luat can bo cong chuc"
    assert name_key("Luật Tổ chức\n**Chính quyền** địa phương") == "luat to chuc chinh quyen dia phuong"


def test_coded_mention_teaches_name_code_date_and_amendment():
    d = doc("Căn cứ Luật Đất đai số 31/2024/QH15 ngày 18/01/2024;\n\nCăn cứ Luật Ban hành văn bản quy phạm pháp "
            "luật số 64/2025/QH15 được sửa đổi, bổ sung bởi Luật số 87/2025/QH15;\n\nĐiều 1. Giao nhiệm vụ.", "a.txt")
    pairs = {p[1]: p for p in coded_pairs(d)}
    assert pairs["31/2024/QH15"] == ("Luật Đất đai", "31/2024/QH15", "Luật", "2024-01-18", None)
    assert pairs["64/2025/QH15"][0] == "Luật Ban hành văn bản quy phạm pháp luật"
    assert pairs["64/2025/QH15"][4] == "87/2025/QH15"
    assert "87/2025/QH15" not in pairs  # "Luật số …" names no law


@pytest.mark.parametrize("text", [
    "Căn cứ Luật Quy hoạch, Luật Đầu tư số 57/2024/QH15;",  # the last of a list: the number may be the list's
    "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 43/2024/QH15;",  # the amending law's number
    "Căn cứ Luật Quảng cáo số 75/2025/QH15 ngày 16/6/2025 về sửa đổi, bổ sung một số điều;",
])
def test_no_name_learnt_where_the_number_may_be_another_laws(text):
    start = text.index("số ")
    assert name_before(text, start) is None


def test_index_keeps_only_consistent_pairs():
    pairs = ([("Luật Tổ chức chính quyền địa phương", "72/2025/QH15", "Luật", "2025-06-16", None)] * 12
             + [("Luật Tổ chức chính quyền địa phương", "75/2025/QH15", "Luật", None, None)]  # a stray typo
             + [("Luật Bảo vệ môi trường", "72/2020/QH14", "Luật", None, None),
                ("Luật Bảo vệ môi trường", "17/2020/QH14", "Luật", None, None)]  # one each: ambiguous
             + [("Luật Đất đai", "45/2013/QH13", "Luật", None, None),
                ("Luật Đất đai", "31/2024/QH15", "Luật", "2024-01-18", None)]  # old and new law: keyed by year
             + [("Luật Phí và lệ phí", "97/2025/QH13", "Luật", None, None)]  # 2025 is not in the 13th term
             + [("Luật Đầu tư", "61/2020/QH14", "Luật", "2020-06-17", None),
                ("Luật Đầu tư", "61/2020/QH14", "Luật", "2021-06-17", None)])  # one date falls in the code's year
    index = consistent_index(pairs)
    assert [e.code for e in index.by_key["luat to chuc chinh quyen dia phuong"]] == ["72/2025/QH15"]
    assert "luat bao ve moi truong" not in index.by_key
    assert sorted(e.code for e in index.by_key["luat dat dai"]) == ["31/2024/QH15", "45/2013/QH13"]
    assert "luat phi va le phi" not in index.by_key
    assert index.by_key["luat dau tu"][0].date == "2020-06-17"
    assert not plausible_code("13/2008/QH112") and plausible_code("02/2020/UBTVQH14")


def test_read_name_takes_the_whole_name_or_nothing():
    keys = frozenset({"luat dau tu", "luat dat dai", "luat khoa hoc cong nghe va doi moi sang tao"})
    assert read_name("Luật Đầu tư công năm 2024", 0, keys) is None  # a longer, unknown law
    got = read_name("Luật Khoa học, công nghệ\nvà đổi mới sáng tạo năm 2025;", 0, keys)
    assert (got.key, got.year) == ("luat khoa hoc cong nghe va doi moi sang tao", 2025)
    got = read_name("Luật Đất đai ngày 18 tháng 01 năm 2024 và Luật Nhà ở", 0, keys)
    assert (got.key, got.date) == ("luat dat dai", dt.date(2024, 1, 18))
    assert read_name("Luật Đất đai và chính sách", 0, keys) is None  # "và" + a word may continue a name


def test_lookup_needs_exactly_one_law():
    index = LawIndex({"luat dat dai": [LawEntry("Luật Đất đai", "45/2013/QH13", "Luật", "2013-11-29"),
                                       LawEntry("Luật Đất đai", "31/2024/QH15", "Luật", "2024-01-18")],
                      "luat du lieu": [LawEntry("Luật Dữ liệu", "60/2024/QH15", "Luật", "2024-11-30")]})
    assert index.lookup("luat dat dai", None, None, dt.date(2025, 11, 1)) is None  # old or new: not said
    assert index.lookup("luat dat dai", 2024, None, None).code == "31/2024/QH15"
    assert index.lookup("luat dat dai", None, dt.date(2013, 11, 29), None).code == "45/2013/QH13"
    assert index.lookup("luat dat dai", 2003, None, None) is None
    assert index.lookup("luat dat dai", None, dt.date(2013, 1, 18), None) is None  # the 2024 law's day: a slip
    assert index.lookup("luat du lieu", None, None, dt.date(2025, 3, 1)).code == "60/2024/QH15"
    assert index.lookup("luat du lieu", None, None, dt.date(2024, 6, 1)) is None  # cited before it was passed


def test_lexicon_is_consistent():
    seen: dict[tuple, str] = {}
    for e in laws():
        assert e["key"] == name_key(e["name"]) and e["source"] in ("corpus", "manual"), e
        assert e["doc_type"] == next(t for t in ("Bộ luật", "Pháp lệnh", "Hiến pháp", "Luật") if e["name"].startswith(t))
        if e["code"] is None:  # known by name only
            continue
        assert plausible_code(e["code"]), e
        assert e["date"] is None or e["date"][:4] == str(code_year(e["code"])), e
        assert seen.setdefault((e["key"], code_year(e["code"])), e["code"]) == e["code"] or e["date"], e
    assert lexicon_index().lookup("bo luat dan su", 2015, None, None).code == "91/2015/QH13"


CODED = ("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16/6/2025;\n\n"
         "Điều 1. Giao Phòng Nội vụ rà soát.")


def test_named_mention_links_and_joins_refs():
    named = doc("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n\n"
                "Điều 1. Giao Phòng Tư pháp rà soát.", "b.txt", so="Số: 79/QĐ-UBND")
    with Corpus() as c:
        c.add_many([doc(CODED, "a.txt"), named])
        assert c.link_names() == {"corpus": 1, "lexicon": 0}
        cited = [x for x in c.document("b.txt").citations if x.name]
        assert (cited[0].linked_code, cited[0].link_source) == ("72/2025/QH15", "corpus")
        group = next(r for r in c.refs() if r["key"]["number"] == "72")
        assert {m["document"] for m in group["mentions"]} == {"a.txt", "b.txt"}
        assert "Luật Tổ chức chính quyền địa phương" in group["forms"]
        assert [m.get("link_source") for m in group["mentions"] if m["document"] == "b.txt"] == ["corpus"]
        assert not [f for f in c.check() if f.code == "citation.conflict"]


def test_named_mention_with_another_date_is_a_conflict():
    wrong = doc("Căn cứ Luật Tổ chức chính quyền địa phương ngày 26 tháng 6 năm 2025;\n\n"
                "Điều 1. Giao Phòng Tư pháp rà soát.", "c.txt", so="Số: 80/QĐ-UBND")
    with Corpus() as c:
        c.add_many([doc(CODED, "a.txt"), wrong])
        found = [f for f in c.check() if f.code == "citation.conflict"]
    assert len(found) == 1 and "26/06/2025" in found[0].message and "16/06/2025" in found[0].message
    assert {e.document for e in found[0].spans} == {"a.txt", "c.txt"}


def test_amended_law_named_with_the_amending_laws_date_is_not_linked():
    amended = doc("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức chính quyền địa phương ngày 25 tháng 6 "
                  "năm 2025;\n\nĐiều 1. Giao Phòng Tư pháp rà soát.", "d.txt", so="Số: 81/QĐ-UBND")
    with Corpus() as c:
        c.add_many([doc(CODED, "a.txt"), amended])
        assert c.link_names()["corpus"] == 0
        assert not [f for f in c.check() if f.code == "citation.conflict"]


def test_lexicon_links_a_law_the_corpus_never_codes():
    d = doc("Căn cứ Bộ luật Dân sự ngày 24 tháng 11 năm 2015;\n\nĐiều 1. Giao Phòng Tư pháp rà soát.", "e.txt")
    with Corpus() as c:
        c.add_many([d])
        assert c.link_names() == {"corpus": 0, "lexicon": 1}
        assert c.document("e.txt").citations[0].linked_code == "91/2015/QH13"


def test_script_reproduces_the_committed_lexicon(corpus_dir):
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_laws_lexicon import build

    built = build([str(corpus_dir / p) for p in ("seeds", "public", "pool")])
    committed = json.loads((ROOT / "docparse" / "lexicon" / "laws.json").read_text(encoding="utf-8"))
    assert built == committed


# ---- laws read by name from the lexicon (docparse.laws.find_law_names, used by the citation extractor) ------------
def named(text: str) -> list:
    from docparse.extract.citations import find_citations
    from docparse.normalize import normalize

    return [c for c in find_citations(normalize(text)) if c.doc_type in ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh")]


def test_names_in_any_letter_case_report_the_lexicons_name():
    found = named("Căn cứ Luật ngân sách nhà nước; Bộ luật hình sự và Bộ Luật Dân sự; LUẬT THỦ ĐÔ;")
    assert [(c.doc_type, c.name) for c in found] == [
        ("Luật", "Luật Ngân sách nhà nước"), ("Bộ luật", "Bộ luật Hình sự"), ("Bộ luật", "Bộ luật Dân sự"),
        ("Luật", "Luật Thủ đô")]
    assert [c.text for c in found][:2] == ["Luật ngân sách nhà nước", "Bộ luật hình sự"]


def test_a_comma_or_va_inside_a_name_is_read_through():
    a, b, c = named("Theo Luật Thi đua, khen thưởng năm 2022, Luật Phòng, chống tham nhũng và Luật Phí và lệ phí.")
    assert (a.name, a.year, a.linked_code, a.link_source) == ("Luật Thi đua, khen thưởng", 2022, "06/2022/QH15",
                                                              "lexicon")
    assert (b.name, c.name) == ("Luật Phòng, chống tham nhũng", "Luật Phí và lệ phí")
    assert named("Thực hiện Luật Quản lý sử dụng tài sản công;")[0].name == "Luật Quản lý, sử dụng tài sản công"


def test_a_numbered_law_is_one_citation_carrying_its_name():
    found = named("Căn cứ Luật Quản lý, sử dụng tài sản công số 15/2017/QH14 ngày 21/6/2017;")
    assert len(found) == 1
    c = found[0]
    assert (c.code, c.subject, c.name, c.date) == ("15/2017/QH14", "Quản lý, sử dụng tài sản công",
                                                   "Luật Quản lý, sử dụng tài sản công", dt.date(2017, 6, 21))
    assert c.text.startswith("Luật Quản lý") and c.linked_code is None  # its code is written: nothing to link
    assert named("Căn cứ Bộ luật Lao động số 45/2019/QH14;")[0].doc_type == "Bộ luật"


def test_an_amending_law_is_one_citation_with_its_own_date_naming_its_targets():
    found = named("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền "
                  "địa phương ngày 22 tháng 11 năm 2019;")
    assert len(found) == 1
    c = found[0]
    assert c.name == ("Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền "
                      "địa phương")
    assert c.subject == c.name[len("Luật "):] and c.date == dt.date(2019, 11, 22)
    assert (c.linked_code, c.link_source) == ("47/2019/QH14", "lexicon")


def test_amending_law_with_targets_numbered_or_listed_after_its_own_number():
    own = named("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 31/2024/QH15, Luật Nhà ở số "
                "27/2023/QH15 và Luật Các tổ chức tín dụng số 32/2024/QH15;")
    assert [c.name for c in own if c.name] == ["Luật sửa đổi, bổ sung một số điều của Luật Đất đai, Luật Nhà ở và "
                                               "Luật Các tổ chức tín dụng"]
    assert [c.code for c in own if c.code] == ["31/2024/QH15", "27/2023/QH15", "32/2024/QH15"]
    first = named("Căn cứ Luật số 56/2024/QH15 ngày 29 tháng 11 năm 2024 về sửa đổi, bổ sung một số điều của Luật: "
                  "Chứng khoán, Kế toán, Quản lý, sử dụng tài sản công;")
    assert len(first) == 1 and first[0].code == "56/2024/QH15"
    assert first[0].name == ("Luật sửa đổi, bổ sung một số điều của Luật Chứng khoán, Luật Kế toán, Luật Quản lý, sử "
                             "dụng tài sản công")
    last = named("Căn cứ Luật sửa đổi bổ sung một số điều của Luật xây dựng số 62/2020/QH14;")
    assert [(c.code, c.name) for c in last] == [("62/2020/QH14", "Luật sửa đổi, bổ sung một số điều của Luật Xây "
                                                                 "dựng")]  # not the Luật Xây dựng's own number


def test_constitution_year_glued_and_a_following_decree():
    a, b = named("Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam; bảo đảm Hiến pháp năm 2013 được thi hành.")
    assert (a.name, a.year, b.name, b.year) == ("Hiến pháp", None, "Hiến pháp", 2013)
    glued = named("Căn cứ Luật Đất đai năm2024;")[0]
    assert (glued.name, glued.year, glued.linked_code) == ("Luật Đất đai", 2024, "31/2024/QH15")
    law = named("Căn cứ Pháp lệnh ưu đãi người có công với cách mạng và Nghị định số 55/2023/NĐ-CP;")[0]
    assert law.text == "Pháp lệnh ưu đãi người có công với cách mạng"


def test_abbreviations_expand_and_variants_stay_as_written():
    assert [c.name for c in named("Luật Thuế GTGT, Luật thuế TNDN và Luật Lao động")] == [
        "Luật Thuế giá trị gia tăng", "Luật Thuế thu nhập doanh nghiệp", "Luật Lao động"]


@pytest.mark.parametrize("text", ["Xử lý kỷ luật cán bộ, công chức theo quy định.",
                                  "Kỹ thuật theo quy định của pháp luật đường bộ.",
                                  "Đối chiếu quy luật giá cả thị trường."])
def test_law_in_general_or_discipline_is_no_law(text):
    assert named(text) == []


def test_a_law_named_inside_a_decrees_title_is_cited_too():
    found = named("Căn cứ Nghị định số 24/2024/NĐ-CP quy định chi tiết thi hành Luật Đấu thầu về lựa chọn nhà thầu;")
    assert [c.name for c in found] == ["Luật Đấu thầu"]


def test_lexicon_knows_recent_laws_and_their_amendments():
    index = lexicon_index()
    for key, year, code in [("luat dat dai", 2024, "31/2024/QH15"), ("luat thu do", 2024, "39/2024/QH15"),
                            ("luat du lieu", 2024, "60/2024/QH15"),
                            ("luat khoa hoc cong nghe va doi moi sang tao", 2025, "93/2025/QH15")]:
        assert index.lookup(key, year, None, None).code == code
    both = index.by_key["luat to chuc chinh quyen dia phuong"]
    assert {"65/2025/QH15", "72/2025/QH15"} <= {e.code for e in both}
    assert index.lookup("luat to chuc chinh quyen dia phuong", None, dt.date(2025, 6, 16), None).code == "72/2025/QH15"
    assert "43/2024/QH15" in next(e for e in index.by_key["luat dat dai"] if e.code == "31/2024/QH15").amended_by
    assert len(laws()) >= 300


def test_an_amending_law_of_a_law_the_lexicon_does_not_know():
    found = named("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Kinh doanh xổ số và Luật Đất đai ngày 12 tháng 6 "
                  "năm 2023;")  # a fictional amending law: its first target is in no lexicon
    assert [(c.name, c.date) for c in found] == [("Luật sửa đổi, bổ sung một số điều của Luật Kinh doanh xổ số và "
                                                  "Luật Đất đai", dt.date(2023, 6, 12))]


def test_type_word_hits_are_every_offset_of_the_three_words():
    """The offsets find_law_names and the citation layer start from (scanned from each word's rarest letter)."""
    from docparse.laws import type_word_hits

    low = "luật luậtluật pháp lệnh, hiến pháp; lệnhluật hiếnhiến thuật luậ t".lower()
    assert type_word_hits(low) == tuple([i for i in range(len(low)) if low.startswith(w, i)]
                                        for w in ("luật", "lệnh", "hiến"))
