"""The human text report of `docparse check`: document text printed as written (never rich markup), every piece of
evidence listed (collapsed with a count), dd/mm/yyyy dates and inclusive ends, a summary per code, a baseline of
accepted findings, and exit code 3 (not 1) when the report itself fails."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import docparse
import docparse.render
from docparse.cli import app

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
BC = SAMPLES / "bc_cchc_2025.txt"

# A fictional report whose headings hold markup-like text; "II." twice gives a structure.numbering finding whose
# evidence is those headings.
MARKUP_DOC = """UỶ BAN NHÂN DÂN TỈNH AN BÌNH
Số: 12/BC-UBND
An Bình, ngày 10 tháng 11 năm 2025

BÁO CÁO
Kết quả thử nghiệm

I. MỤC TIÊU
Nội dung.
II. NHIỆM VỤ [/x] thử :100: điểm
Nội dung.
II. KẾT QUẢ [b]đậm[/b] [red]đỏ
Nội dung.
"""


def cv(number: int, day: str) -> str:
    return (f"UBND TỈNH AN BÌNH\nSố: {number}/UBND-VP\nAn Bình, ngày 10 tháng 11 năm 2025\n\nV/v thử nghiệm\n\n"
            f"Thực hiện Nghị quyết số 71/NQ-CP ngày {day}/4/2025 của Chính phủ, Ủy ban nhân dân tỉnh đề nghị các sở "
            "thực hiện.\n")


@pytest.fixture(scope="module")
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def markup_file(tmp_path) -> Path:
    path = tmp_path / "bc [b]x :100: [red].txt"  # a file name cannot hold "/"
    path.write_text(MARKUP_DOC, encoding="utf-8")
    return path


@pytest.fixture
def thirteen(tmp_path) -> Path:
    """13 letters citing one resolution: 12 with one date, the last with another (one conflict, 13 evidence)."""
    folder = tmp_path / "cv"
    folder.mkdir()
    for i in range(13):
        (folder / f"cv_{i:02d}.txt").write_text(cv(100 + i, "02" if i == 12 else "01"), encoding="utf-8")
    return folder


def test_document_text_is_not_markup(runner, markup_file):
    result = runner.invoke(app, ["check", "--select", "structure", str(markup_file)])
    assert result.exit_code == 0, result.output  # a warning only
    out = result.stdout
    for token in ("[/x]", ":100:", "[b]đậm[/b]", "[red]đỏ"):  # the evidence column wraps at spaces
        assert token in out, token
    assert "💯" not in out
    assert "bc [b]x :100: [red].txt" in out  # the table title (the file name) too
    assert "structure.numbering" in out


def test_all_evidence_collapsed_with_count_and_shown_with_flag(runner, thirteen):
    result = runner.invoke(app, ["check", "--select", "citation.conflict", str(thirteen)])
    assert result.exit_code == 1, result.output
    assert len(re.findall(r"cv_\d\d\.txt:\d+", result.stdout)) == 10
    assert "… và 3 bằng chứng khác" in result.stdout
    result = runner.invoke(app, ["check", "--all-evidence", "--select", "citation.conflict", str(thirteen)])
    assert "bằng chứng khác" not in result.stdout
    for i in range(13):
        assert f"cv_{i:02d}.txt:" in result.stdout


def test_summary_per_code(runner):
    result = runner.invoke(app, ["check", str(BC)])
    data = json.loads(runner.invoke(app, ["check", "--format", "json", str(BC)]).stdout)
    assert "Tổng hợp theo mã kiểm tra" in result.stdout
    table = result.stdout.split("Tổng hợp theo mã kiểm tra")[1]
    for code, n in data["summary"]["by_code"].items():
        row = next(ln for ln in table.splitlines() if f" {code} " in ln)
        assert f" {n} " in row, row


def test_dates_in_human_text_are_vietnamese_with_inclusive_end(runner, tmp_path):
    path = tmp_path / "kh.txt"
    path.write_text("Báo cáo kết quả quý III/2025 gửi trước ngày 30/11/2025; kế hoạch năm 2026.\n", encoding="utf-8")
    result = runner.invoke(app, ["parse", "--format", "text", str(path)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "01/07/2025 – 30/09/2025" in out
    assert "01/01/2026 – 31/12/2026" in out
    assert "đến hết 29/11/2025" in out
    assert "2025-10-01" not in out and "2027-01-01" not in out
    data = json.loads(runner.invoke(app, ["parse", str(path)]).stdout)
    quarter = next(d for d in data["dates"] if d["kind"] == "quarter")
    assert (quarter["start"], quarter["end"]) == ("2025-07-01", "2025-10-01")  # JSON keeps ISO, exclusive end


def test_refs_text_dates_are_vietnamese(runner):
    result = runner.invoke(app, ["refs", *map(str, SAMPLES.glob("*.txt"))])
    assert "24/02/2025" in result.stdout and "2025-02-24" not in result.stdout


def test_report_crash_is_exit_3_not_findings(runner, monkeypatch):
    def broken(*a, **kw):
        raise RuntimeError("hỏng")

    monkeypatch.setattr(docparse.render, "findings_text", broken)
    result = runner.invoke(app, ["check", str(BC)])
    assert result.exit_code == 3
    assert "InternalError/RuntimeError" in result.stderr


def test_baseline_write_then_only_new_findings(runner, tmp_path):
    doc = tmp_path / "bc.txt"
    shutil.copy(BC, doc)
    base = tmp_path / "baseline.json"
    first = runner.invoke(app, ["check", "--format", "json", "--write-baseline", str(base), str(doc)])
    assert first.exit_code == 0, first.output  # writing a baseline accepts the findings
    n = len(json.loads(first.stdout)["findings"])
    assert n >= 5 and len(json.loads(base.read_text(encoding="utf-8"))["findings"]) == n

    again = runner.invoke(app, ["check", "--baseline", str(base), str(doc)])
    assert again.exit_code == 0, again.output
    assert f"{n} phát hiện đã có trong baseline" in again.stdout

    # the file edited above the findings: every offset moves, the findings are still the accepted ones; a new
    # conflicting citation is the only finding reported
    text = doc.read_text(encoding="utf-8")
    doc.write_text("\n\n" + text + "\nTheo Kế hoạch số 77/KH-UBND ngày 01/6/2025 và Kế hoạch số 77/KH-UBND ngày "
                   "02/6/2025 của UBND tỉnh.\n", encoding="utf-8")
    after = runner.invoke(app, ["check", "--format", "json", "--baseline", str(base), str(doc)])
    data = json.loads(after.stdout)
    assert after.exit_code == 1, after.output
    assert [f["code"] for f in data["findings"]] == ["citation.conflict"]
    assert "77/KH-UBND" in data["findings"][0]["message"]
    assert data["summary"]["suppressed"] == n


def test_baseline_unreadable_is_input_error(runner, tmp_path):
    bad = tmp_path / "b.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    result = runner.invoke(app, ["check", "--baseline", str(bad), str(BC)])
    assert result.exit_code == 2
    assert "baseline" in result.stderr
    result = runner.invoke(app, ["check", "--baseline", str(tmp_path / "khong_co.json"), str(BC)])
    assert result.exit_code == 2


def test_draft_month_in_message_is_vietnamese():
    draft = ("ỦY BAN NHÂN DÂN\nTỈNH AN BÌNH\nSố:      /BC-UBND\nAn Bình, ngày      tháng 7 năm 2025\n\nBÁO CÁO\n"
             "Thử nghiệm\n\nNội dung.\n")
    findings = docparse.check(docparse.parse_text(draft), select=["header.missing_date"])
    assert [f.message for f in findings] == ["Ngày ban hành để trống, chỉ có tháng 07/2025 (bản dự thảo?)."]
    assert findings[0].data == {"date_partial": "2025-07"}  # the record keeps ISO
