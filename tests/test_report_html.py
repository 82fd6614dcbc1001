"""The HTML review report (issue 15, part 1): escaping, every evidence highlighted in context, filter attributes,
citation links, task status and overdue rows, the lazy per-document data, the CLI command."""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

import docparse
from docparse.cli import app
from docparse.report import build_report, check_documents, json_for_script
from docparse.schema import Evidence, Finding, Span

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
HOSTILE = "<script>alert(1)</script> [/b] [b]đậm <img src=x onerror=\"window.__xss=1\"> &amp; </script>"

DECISION = ("THỦ TƯỚNG CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "---------------\nSố: 12/QĐ-TTg\nHà Nội, ngày 05 tháng 3 năm 2025\n\nQUYẾT ĐỊNH\n"
            "Về việc thử nghiệm kho dữ liệu mây\n\nĐiều 1. Phê duyệt thử nghiệm kho dữ liệu mây./.\n\nNơi nhận:\n"
            "- Như Điều 1;\n- Lưu: VT.\nTHỦ TƯỚNG\nTrần Văn Gió\n")


def report_text(body: str, so: str, ngay: str) -> str:
    """A fictional báo cáo of huyện Sông Mây (which does not exist)."""
    return ("ỦY BAN NHÂN DÂN\nHUYỆN SÔNG MÂY\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            f"---------------\n{so}\n{ngay}\n\nBÁO CÁO\nTình hình thực hiện kho dữ liệu mây\n\n{body}\n\nNơi nhận:\n"
            "- UBND tỉnh;\n- Lưu: VT.\nCHỦ TỊCH\nLê Văn Sáng\n")


FILLER = "Nội dung khác của báo cáo.\n" * 20
FAR_AWAY = "Đoạn văn này nằm rất xa mọi bằng chứng nên không được chép vào báo cáo."
REPORT_B = report_text(
    "Thực hiện Quyết định số 12/QĐ-TTg ngày 05/3/2025 của Thủ tướng Chính phủ, huyện báo cáo như sau.\n"
    "Có 45/50 xã đã kết nối, đạt 90%.\nCó 30/40 trường đã kết nối, đạt 70%.\n"
    f"Ngày kiểm tra là ngày 31/4/2025 {HOSTILE}\n\n" + FILLER + f"{FAR_AWAY}\n" + FILLER +
    "TT\tNhiệm vụ được giao\tCơ quan thực hiện\tThời hạn hoàn thành\tKết quả thực hiện\n"
    "1\tLắp đặt máy chủ mây\tPhòng Văn hóa\t31/3/2025\tĐã hoàn thành\n"
    "2\tĐào tạo cán bộ dùng kho mây\tPhòng Nội vụ\t30/4/2025\tĐang thực hiện\n"
    "3\tKiểm thử kho mây\tPhòng Nội vụ\t30/9/2025\tChưa thực hiện./.", "Số: 77/BC-UBND", "Sông Mây, ngày 10 tháng 6 năm 2025")
REPORT_C = report_text("Căn cứ Quyết định số 12/QĐ-TTg ngày 06/3/2025 của Thủ tướng Chính phủ về kho dữ liệu mây./.",
                       "Số: 78/BC-UBND", "Sông Mây, ngày 12 tháng 6 năm 2025")


def fictional_docs():
    docs = [docparse.parse_text(t) for t in (DECISION, REPORT_B, REPORT_C)]
    for i, d in enumerate(docs):
        d.source = f"fic/{'abc'[i]}.txt"
    return docs


def span_of(doc, needle: str, nth: int = 0) -> Evidence:
    start = -1
    for _ in range(nth + 1):
        start = doc.text.index(needle, start + 1)
    return Evidence(document=doc.source, span=Span(start=start, end=start + len(needle)), text=needle)


def planted(docs) -> list[Finding]:
    """Findings made by hand: one across two documents (side by side) and one with overlapping spans."""
    _, b, c = docs
    return [Finding(code="citation.conflict", severity="error", message="Quyết định 12/QĐ-TTg: ngày khác nhau.",
                    spans=[span_of(b, "Quyết định số 12/QĐ-TTg ngày 05/3/2025"),
                           span_of(c, "Quyết định số 12/QĐ-TTg ngày 06/3/2025")],
                    data={"code": "12/QĐ-TTg", "dates": ["2025-03-05", "2025-03-06"], "kind": "date",
                          "authority": "TTG", "authority_source": "symbol"}),
            Finding(code="structure.numbering", severity="warning", message="Mục bị lặp.", document=b.source,
                    spans=[span_of(b, "45/50 xã đã kết nối"), span_of(b, "xã đã kết nối, đạt 90%"),
                           span_of(b, HOSTILE)], data={"previous": "I", "current": "I", "problem": "repeat"}),
            Finding(code="citation.self_blank", severity="warning", message="Văn bản ngoài bộ.", document="khac.txt",
                    spans=[Evidence(document="khac.txt", span=Span(start=0, end=9), text="<b>số</b>")])]


class Page(HTMLParser):
    """The findings of a report page: attributes of each <li class="finding"> and the text of its marks by evidence
    number; option values of the filters; the JSON data block."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.findings: list[dict] = []
        self.options: dict[str, list[str]] = {}
        self._mark: list[int] | None = None
        self._select: str | None = None
        self._json = False
        self.data_text = ""
        self.feed(html)
        self.data = json.loads(self.data_text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li" and "finding" in (a.get("class") or "").split():
            self.findings.append({**a, "marks": {}})
        elif tag == "mark":
            self._mark = [int(n) for n in (a.get("data-ev") or "").split()]  # none: a reference mark
        elif tag == "select":
            self._select = a["id"]
            self.options[self._select] = []
        elif tag == "option" and self._select:
            self.options[self._select].append(a["value"])
        elif tag == "script" and a.get("id") == "report-data":
            self._json = True

    def handle_endtag(self, tag):
        if tag == "mark":
            self._mark = None
        elif tag == "select":
            self._select = None
        elif tag == "script":
            self._json = False

    def handle_data(self, data):
        if self._mark is not None:
            for n in self._mark:
                self.findings[-1]["marks"][n] = self.findings[-1]["marks"].get(n, "") + data
        if self._json:
            self.data_text += data


def assert_every_evidence(page: Page, findings: list[Finding]) -> None:
    """Each finding's every non-empty evidence span is highlighted whole, in its own finding, in order."""
    from docparse.checks import sort_findings

    ordered = sort_findings(findings)
    assert len(page.findings) == len(ordered)
    for got, f in zip(page.findings, ordered):
        assert got["data-code"] == f.code and got["data-severity"] == f.severity
        for n, e in enumerate(f.spans):
            if e.span.end > e.span.start:
                assert got["marks"].get(n) == e.text, (f.code, n)


def fictional_report(title: str | None = None):
    """The three fictional documents checked as a corpus (citations resolved), with the planted findings added."""
    docs, findings = check_documents(fictional_docs())
    findings = findings + planted(docs)
    return docs, findings, build_report(docs, findings, title=title)


@pytest.fixture(scope="module")
def fictional():
    docs, findings, html = fictional_report("Thử <nghiệm>")
    return docs, findings, html, Page(html)


def test_hostile_text_is_escaped(fictional):
    _, _, html, page = fictional
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [/b] [b]đậm &lt;img src=x" in html  # shown as written
    assert "&amp;amp;" in html                      # "&amp;" in the text stays visible as such
    assert html.count("</script>") == 2             # the data block and the code: nothing closes them early
    assert "<title>Thử &lt;nghiệm&gt;</title>" in html
    assert any(HOSTILE in m for f in page.findings for m in f["marks"].values())
    assert "&lt;b&gt;số&lt;/b&gt;" in html          # evidence of a document outside the report: its own text, escaped


def test_every_evidence_highlighted(fictional):
    _, findings, _, page = fictional
    assert {f.code for f in findings} >= {"date.invalid", "task.overdue", "arithmetic.ratio_mismatch"}
    assert_every_evidence(page, findings)
    overlapping = next(f for f in page.findings if f["data-code"] == "structure.numbering")
    assert overlapping["marks"][0] == "45/50 xã đã kết nối" and overlapping["marks"][1] == "xã đã kết nối, đạt 90%"


def test_filter_attributes_and_options(fictional):
    docs, findings, _, page = fictional
    assert sorted(set(page.options["f-code"]) - {""}) == sorted({f.code for f in findings})
    assert set(page.options["f-severity"]) == {"", "error", "warning", "info"}
    doc_options = set(page.options["f-doc"]) - {""}
    for f in page.findings:
        assert f["data-severity"] in ("error", "warning", "info")
        ids = f["data-docs"].split()
        assert set(ids) <= doc_options and all(0 <= int(i) < len(docs) for i in ids)
    side = next(f for f in page.findings if f["data-code"] == "citation.conflict" and f["data-docs"] == "1 2")
    assert side is not None


def test_side_by_side_values_and_authority(fictional):
    html = fictional[2]
    block = html[html.index('data-docs="1 2"'):]
    block = block[:block.index("</li>")]
    assert 'class="evidence side"' in block and block.count('class="evdoc"') == 2
    assert "12/QĐ-TTg" in block and "05/03/2025; 06/03/2025" in block          # values compared, dd/mm/yyyy
    assert "Thủ tướng Chính phủ (theo ký hiệu văn bản)" in block              # the assumed authority
    assert block.count('href="#doc-0"') == 2   # both pieces of evidence cite the decision, which is in the report


def test_only_context_windows_are_embedded(fictional):
    html = fictional[2]
    assert FAR_AWAY not in html                     # text far from every evidence is not copied
    assert "Trần Văn Gió" in html                   # the signer on the decision's card


def test_lazy_document_data(fictional):
    decision, report, _ = fictional[3].data["docs"]
    assert decision["l"] == "Quyết định 12/QĐ-TTg ngày 05/03/2025"
    cited = [c for c in report["c"] if c[0] == "Quyết định 12/QĐ-TTg"]
    assert cited and cited[0][5] == 0               # resolved to the decision's card
    status = {t[0]: (t[6], t[7], t[5]) for t in report["t"]}
    assert status["1"] == ("done", 0, "2025-03-31")
    assert status["2"] == ("in_progress", 1, "2025-04-30")    # overdue on 10/06/2025
    assert status["3"] == ("not_started", 0, "2025-09-30")    # still ahead
    assert report["d"] == "2025-06-10"
    ratios = {r[0]: r[7] for r in report["r"]}
    assert ratios == {"45/50": 1, "30/40": 0}        # 90% checks out, 70% does not (75%)


def test_json_block_cannot_close_its_script():
    text = json_for_script({"x": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"x": "</script><!-- & \u2028"}


def test_report_without_findings_runs_the_checks():
    docs = fictional_docs()
    html = build_report(docs)                        # findings=None: checked here, citations resolved
    page = Page(html)
    assert {f["data-code"] for f in page.findings} >= {"date.invalid", "task.overdue"}
    assert_every_evidence(page, check_documents(fictional_docs())[1])


def test_samples_report_every_evidence():
    docs, findings = check_documents(sorted(str(p) for p in SAMPLES.glob("*.txt")))
    page = Page(build_report(docs, findings))
    assert findings and len(page.data["docs"]) == len(docs)
    assert_every_evidence(page, findings)


def test_cli_report(tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", str(SAMPLES / "bc_cchc_2025.txt"), str(SAMPLES / "kh_cds_2026.txt"),
                                      str(tmp_path / "missing.txt"), "-o", str(out), "--title", "Mẫu"])
    assert result.exit_code == 2, result.output     # one unreadable input: reported, the report is still written
    html = out.read_text(encoding="utf-8")
    assert "<title>Mẫu</title>" in html and "missing.txt" in html and "tệp không đọc được" in html
    assert len(Page(html).data["docs"]) == 2


def test_cli_report_unknown_check(tmp_path):
    result = CliRunner().invoke(app, ["report", str(SAMPLES / "qd_quyche.txt"), "-o", str(tmp_path / "r.html"),
                                      "--select", "khong.co"])
    assert result.exit_code == 2 and not (tmp_path / "r.html").exists()


def test_whole_corpus_every_evidence(corpus_dir, parsed):
    files = sorted(p for p in corpus_dir.rglob("*") if p.suffix in (".txt", ".md"))
    docs, findings = check_documents([parsed(p) for p in files])
    page = Page(build_report(docs, findings))
    assert_every_evidence(page, findings)
    assert re.search(r"\d", page.findings[0]["data-docs"])


def test_header_compared_beside_the_evidence(fictional):
    """A citation disagreeing with the cited document's own header: that header is shown beside the citation, its
    number and date marked as the reference (not numbered as evidence)."""
    html, page = fictional[2], fictional[3]
    against = [f for f in page.findings if f["data-code"] == "citation.conflict" and f["data-docs"] == "0 2"]
    assert len(against) == 1 and list(against[0]["marks"]) == [0]
    block = html[html.index('data-docs="0 2"'):]
    block = block[:block.index("</li>")]
    assert 'class="evidence side"' in block and 'class="evdoc ref"' in block
    assert '<mark class="ref">Số: 12/QĐ-TTg</mark>' in block and '<mark class="ref">ngày 05 tháng 3 năm 2025</mark>' in block
