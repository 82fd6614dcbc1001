"""The Dask path (docparse.dask) finds what the SQLite index finds, on a LocalCluster of 2 workers, and writes the
records as Parquet. Skipped when the [dask] extra is not installed."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")
pytest.importorskip("pyarrow")

from dask.distributed import Client, LocalCluster  # noqa: E402

import docparse.dask  # noqa: E402
from docparse.batch import expand  # noqa: E402
from docparse.corpus import Corpus  # noqa: E402

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _keys(findings):
    return [(f.code, f.document, f.message, [(e.document, e.span.start, e.span.end, e.text) for e in f.spans], f.data)
            for f in findings]


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as c:
        yield c


def test_same_findings_as_the_sqlite_index_and_parquet_records(client, tmp_path):
    import pyarrow.parquet as pq

    bad = tmp_path / "x.xyz"
    bad.write_text("không phải văn bản", encoding="utf-8")
    copy = tmp_path / "ban_sao.txt"  # the same bytes as a sample: one document, named by its last path
    copy.write_bytes((SAMPLES / "bc_cchc_2025.txt").read_bytes())
    head = "UBND TỈNH A\nSỞ Y TẾ\nSố: {}\nHà Nam, ngày {} năm 2025\n\n{}\n\n"
    (tmp_path / "kh.txt").write_text(head.format("12/KH-SYT", "05 tháng 01", "KẾ HOẠCH") + (
        "TT\tNhiệm vụ\tChủ trì\tThời hạn\n1\tXây dựng cơ sở dữ liệu hồ sơ sức khỏe điện tử\tPhòng Nghiệp vụ\t"
        "Quý II/2025\n2\tTổ chức tập huấn kỹ năng số cho viên chức y tế\tVăn phòng Sở\tQuý III/2025\n"),
        encoding="utf-8")
    (tmp_path / "bc.txt").write_text(head.format("40/BC-SYT", "20 tháng 6", "BÁO CÁO") + (
        "Thực hiện Kế hoạch số 12/KH-SYT ngày 05/01/2025 của Sở Y tế, Sở báo cáo như sau:\n"
        "1. Đã xây dựng xong cơ sở dữ liệu hồ sơ sức khỏe điện tử.\n"), encoding="utf-8")
    paths = expand([str(SAMPLES)])[0] + [str(bad), str(copy), str(tmp_path / "kh.txt"), str(tmp_path / "bc.txt")]
    with Corpus() as corpus:
        report = corpus.add_many(paths)
        expected = corpus.check()
        n_citations = corpus.conn.execute("SELECT COUNT(*) FROM citations").fetchone()[0]
        n_records = {t: corpus.conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                     for t in docparse.dask.RECORD_COLUMNS}
    result = docparse.dask.check(paths, client, parquet=tmp_path / "pq")
    assert expected and _keys(result.findings) == _keys(expected)
    assert [f.data["task"] for f in expected if f.code == "task.unreported"] == ["2"]
    assert sorted(result.parsed) == sorted(report.parsed)  # the report lists them by status
    assert [(p, type(e)) for p, e in result.failed] == [(p, type(e)) for p, e in report.failed]
    assert any(f.document == str(copy) for f in result.findings)
    assert pq.read_table(tmp_path / "pq" / "documents").num_rows == len(report.parsed) - 1
    citations = pq.read_table(tmp_path / "pq" / "citations")
    assert citations.num_rows == n_citations and "authority" in citations.schema.names
    for table, n in n_records.items():  # the other record tables, as the index holds them
        assert n and pq.read_table(tmp_path / "pq" / table).num_rows == n, table
    dates = pq.read_table(tmp_path / "pq" / "dates").to_pylist()
    assert {r["path"] for r in dates} <= set(report.parsed) and all(r["start"] <= r["end"] for r in dates)
    assert sorted(x.name for x in (tmp_path / "pq").iterdir()) == sorted(  # no staging left
        ["citations", "documents", *docparse.dask.RECORD_COLUMNS])


def test_select_limits_the_checks(client):
    paths = expand([str(SAMPLES)])[0]
    result = docparse.dask.check(paths, client, select=["citation"])
    assert result.findings and all(f.code.startswith("citation.") for f in result.findings)


def test_findings_do_not_depend_on_how_the_paths_are_chunked(client):
    """One chunk (every identity group packed whole in it) and three (groups split across chunks, merged by the
    shuffle): the same findings in the same order."""
    paths = expand([str(SAMPLES)])[0]
    whole = docparse.dask.check(paths, client, npartitions=1)
    split = docparse.dask.check(paths, client, npartitions=3)
    assert whole.findings and _keys(whole.findings) == _keys(split.findings)
    assert whole.parsed == split.parsed


def test_check_dask_option_reports_what_the_index_reports(client, monkeypatch):
    import json

    from typer.testing import CliRunner

    from docparse import cli
    from docparse.cli import app

    monkeypatch.setenv("DOCPARSE_STRICT", "0")
    monkeypatch.setattr(cli, "_debug", False)
    runner = CliRunner()
    on_dask = runner.invoke(app, ["check", str(SAMPLES), "--format", "json", "--dask", client.scheduler.address])
    local = runner.invoke(app, ["check", str(SAMPLES), "--format", "json", "--jobs", "1"])
    assert on_dask.exit_code == local.exit_code == 1
    assert json.loads(on_dask.stdout) == json.loads(local.stdout)
