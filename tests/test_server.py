"""The HTTP API (docparse.server): each endpoint and each kind of error through FastAPI's TestClient, and once
through a real uvicorn process on 127.0.0.1 started by `docparse serve` (always stopped, in a finally)."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
from conftest import REPO_ROOT, SAMPLES_DIR
from typer.testing import CliRunner

pytest.importorskip("fastapi", reason="fastapi is not installed (pip install 'docparse[server]')")
pytest.importorskip("multipart", reason="python-multipart is not installed (pip install 'docparse[server]')")
pytest.importorskip("httpx", reason="httpx is not installed (the test extra): TestClient needs it")
from fastapi.testclient import TestClient  # noqa: E402

import docparse  # noqa: E402
from docparse.cli import app as cli  # noqa: E402
from docparse.errors import IndexFileError  # noqa: E402
from docparse.server import create_app  # noqa: E402

TXT, PDF, DOCX = (SAMPLES_DIR / f"bc_cchc_2025.{ext}" for ext in ("txt", "pdf", "docx"))


def provincial(province: str, number: str, body: str) -> str:
    """A fictional plan of a provincial UBND (the plans and people are made up; the provinces are real places)."""
    return (f"ỦY BAN NHÂN DÂN\nTỈNH {province.upper()}\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "Độc lập - Tự do - Hạnh phúc\n---------------\n"
            f"Số: {number}\n{province}, ngày 10 tháng 6 năm 2025\n\nKẾ HOẠCH\nTriển khai công việc năm 2025\n\n"
            f"{body}\n\nNơi nhận:\n- Lưu: VT.\nCHỦ TỊCH\nLê Văn Sáng\n")


CITES_DONG_NAI = provincial("Đồng Nai", "40/KH-UBND", "Căn cứ Quyết định số 12/QĐ-UBND ngày 05/3/2025 của UBND tỉnh "
                                                      "Đồng Nai về việc giao chỉ tiêu, Ủy ban nhân dân tỉnh ban hành "
                                                      "kế hoạch.")
CITES_CAO_BANG = provincial("Cao Bằng", "41/KH-UBND", "Căn cứ Quyết định số 12/QĐ-UBND ngày 07/4/2025 của UBND tỉnh "
                                                      "Cao Bằng về việc giao chỉ tiêu, Ủy ban nhân dân tỉnh ban hành "
                                                      "kế hoạch.")
# the same decision cited with two dates: the citation checks report it
CONFLICT_A = provincial("Đồng Nai", "50/KH-UBND", "Căn cứ Quyết định số 30/QĐ-UBND ngày 05/3/2025 của UBND tỉnh "
                                                  "Đồng Nai về việc giao chỉ tiêu.")
CONFLICT_B = provincial("Đồng Nai", "51/KH-UBND", "Căn cứ Quyết định số 30/QĐ-UBND ngày 09/3/2025 của UBND tỉnh "
                                                  "Đồng Nai về việc giao chỉ tiêu.")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def error_of(response, status: int, cls: str) -> dict:
    assert response.status_code == status, response.text
    err = response.json()["error"]
    assert err["class"] == cls and err["message"] and err["code"]
    return err


# ---- parse -------------------------------------------------------------------------------------------------------
def test_health_and_openapi(client):
    assert client.get("/v1/health").json() == {"status": "ok", "version": docparse.__version__, "index": False}
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert {"/v1/health", "/v1/parse", "/v1/check"} <= set(paths)
    assert {"Document", "Finding", "CheckResult"} <= set(spec["components"]["schemas"])  # the contracts are in it
    assert "/v1/documents" not in paths  # the index endpoints need --db


def test_parse_returns_what_the_cli_prints_for_one_file(client):
    r = client.post("/v1/parse", files={"file": (TXT.name, TXT.read_bytes(), "text/plain")})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    api = r.json()
    printed = CliRunner().invoke(cli, ["parse", str(TXT), "--format", "json"])
    assert printed.exit_code == 0
    cli_doc = json.loads(printed.stdout)
    assert api["source"] == TXT.name and cli_doc["source"] == str(TXT)  # the upload's name, never a server path
    assert {**api, "source": None} == {**cli_doc, "source": None}


@pytest.mark.parametrize("path", [PDF, DOCX], ids=lambda p: p.suffix)
def test_parse_pdf_and_docx_uploads(client, path):
    r = client.post("/v1/parse", files={"file": (path.name, path.read_bytes())}, params={"no_text": True})
    assert r.status_code == 200
    doc = r.json()
    assert doc["format"] == path.suffix[1:] and "text" not in doc
    assert doc["header"] == docparse.parse(path).header.model_dump(mode="json")


@pytest.mark.parametrize("name, data, status, cls", [
    ("bang.xls", b"abc", 415, "UnsupportedFormatError"),
    ("rong.txt", b"   ", 422, "EmptyDocumentError"),
    ("hong.pdf", b"%PDF-1.4 hong", 422, "CorruptFileError"),
    ("nhi-phan.txt", b"\x00\x01" * 100, 422, "NotTextError"),
])
def test_bad_uploads_are_4xx_json_errors_naming_the_file(client, name, data, status, cls):
    err = error_of(client.post("/v1/parse", files={"file": (name, data)}), status, cls)
    assert err["file"] == name


def test_encrypted_pdf_is_422(client, tmp_path):
    fpdf = pytest.importorskip("fpdf", reason="fpdf2 is not installed")
    pdf = fpdf.FPDF()
    try:
        pdf.set_encryption(owner_password="chu-so-huu", user_password="x")
    except Exception as e:  # noqa: BLE001 - an fpdf2 built without the crypto backend
        pytest.skip(f"fpdf2 encryption unavailable: {e}")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Secret report")
    err = error_of(client.post("/v1/parse", files={"file": ("khoa.pdf", bytes(pdf.output()))}), 422,
                   "EncryptedPDFError")
    assert err["file"] == "khoa.pdf"


def test_the_server_never_opens_a_file_named_by_the_client(client, tmp_path, monkeypatch):
    import docparse.readers

    opened = []

    def no_files(*args, **kwargs):  # a layer's guard may swallow an exception: the call is recorded too
        opened.append(args)
        raise AssertionError(f"the server read a file: {args}")

    monkeypatch.setattr(docparse.readers, "read_bytes", no_files)
    monkeypatch.chdir(tmp_path)
    for path in (TXT, PDF, DOCX):
        (tmp_path / path.name).write_bytes(b"not the upload")  # a file of the same name where the server runs
        r = client.post("/v1/parse", files={"file": (path.name, path.read_bytes())})
        assert r.status_code == 200, r.text
        assert r.json()["source"] == path.name and "Số" in r.json()["text"]
    assert opened == []


def test_client_paths_are_cut_to_the_file_name(client):
    r = client.post("/v1/parse", files={"file": ("../../etc/bc.txt", TXT.read_bytes())})
    assert r.json()["source"] == "bc.txt"


def test_request_errors(client):
    assert error_of(client.post("/v1/parse"), 422, "RequestValidationError")["details"]
    error_of(client.get("/v1/khong-co"), 404, "NotFoundError")
    error_of(client.get("/v1/parse"), 405, "MethodNotAllowedError")


def test_upload_limit_is_413_with_and_without_content_length():
    with TestClient(create_app(max_upload_bytes=2000)) as c:
        assert c.post("/v1/parse", files={"file": ("a.txt", CITES_DONG_NAI.encode()[:1500])}).status_code == 200
        error_of(c.post("/v1/parse", files={"file": ("a.txt", b"a " * 2000)}), 413, "FileTooLargeError")

        def chunked():  # no Content-Length: the limit is counted as the body arrives
            yield b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n'
            for _ in range(10):
                yield b"a " * 500
            yield b"\r\n--b--\r\n"

        r = c.post("/v1/parse", content=chunked(), headers={"content-type": "multipart/form-data; boundary=b"})
        error_of(r, 413, "FileTooLargeError")


def test_time_limit_is_504(monkeypatch):
    import docparse.pipeline

    monkeypatch.setattr(docparse.pipeline, "parse", lambda *a, **k: time.sleep(1.5))
    with TestClient(create_app(timeout_s=0.2)) as c:
        error_of(c.post("/v1/parse", files={"file": ("a.txt", b"abc")}), 504, "RequestTimeoutError")


def test_a_bug_is_500_naming_the_exception(monkeypatch):
    import docparse.pipeline

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(docparse.pipeline, "parse", broken)
    with TestClient(create_app()) as c:
        err = error_of(c.post("/v1/parse", files={"file": ("a.txt", b"abc")}), 500, "InternalError")
    assert err["exception"] == "RuntimeError" and err["file"] == "a.txt"


def test_a_bug_outside_parsing_is_500_json_too(monkeypatch):
    import docparse.server

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(docparse.server, "_check", broken)
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        r = c.post("/v1/check", files=[("files", ("a.txt", CONFLICT_A.encode()))])
    assert error_of(r, 500, "InternalError")["exception"] == "ZeroDivisionError"


# ---- check -------------------------------------------------------------------------------------------------------
def test_check_returns_what_the_cli_prints(client, tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(CONFLICT_A, encoding="utf-8")
    (tmp_path / "b.txt").write_text(CONFLICT_B, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # the CLI then names the documents a.txt and b.txt, as the uploads are named
    printed = CliRunner().invoke(cli, ["check", "a.txt", "b.txt", "--format", "json"])
    r = client.post("/v1/check", files=[("files", ("a.txt", CONFLICT_A.encode())),
                                        ("files", ("b.txt", CONFLICT_B.encode()))])
    assert r.status_code == 200
    assert r.json() == json.loads(printed.stdout)
    assert any({e["document"] for e in f["spans"]} == {"a.txt", "b.txt"} for f in r.json()["findings"])


def test_check_reports_a_bad_file_and_checks_the_others(client):
    r = client.post("/v1/check", files=[("files", ("a.txt", CONFLICT_A.encode())),
                                        ("files", ("a.txt", CONFLICT_B.encode())),  # one name twice: two documents
                                        ("files", ("hong.pdf", b"%PDF-1.4 hong"))],
                    params={"select": "citation"})
    assert r.status_code == 200
    summary = r.json()["summary"]
    assert summary["documents"] == 2
    assert [(f["path"], f["error"]) for f in summary["failed"]] == [("hong.pdf", "CorruptFileError")]
    assert {e["document"] for f in r.json()["findings"] for e in f["spans"]} == {"a.txt", "a.txt#2"}
    assert all(f["code"].startswith("citation") for f in r.json()["findings"])


def test_check_needs_files_and_known_codes(client):
    error_of(client.post("/v1/check"), 422, "RequestValidationError")
    r = client.post("/v1/check", files=[("files", ("a.txt", CONFLICT_A.encode()))], params={"select": "khong.co"})
    assert "khong.co" in error_of(r, 422, "InvalidRequestError")["message"]


def test_report_of_uploads_is_one_html_page(client):
    from docparse.server import has_report

    if not has_report():
        pytest.skip("docparse.report is not available: the report endpoints are absent")
    r = client.post("/v1/report", files=[("files", ("a.txt", CONFLICT_A.encode())),
                                         ("files", ("b.txt", CONFLICT_B.encode())),
                                         ("files", ("hong.pdf", b"%PDF-1.4 hong"))])
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    assert page.lstrip().lower().startswith("<!doctype html") and "a.txt" in page and "b.txt" in page
    assert "hong.pdf" in page  # the file that could not be read is named
    assert "30/QĐ-UBND" in page  # the conflicting citation's evidence


# ---- with an index ---------------------------------------------------------------------------------------------
def test_index_endpoints(tmp_path):
    db = tmp_path / "index.sqlite"
    uploads = [("files", ("dong-nai.txt", CITES_DONG_NAI.encode())),
               ("files", ("cao-bang.txt", CITES_CAO_BANG.encode())),
               ("files", ("rong.txt", b""))]
    with TestClient(create_app(db)) as c:
        added = c.post("/v1/documents", files=uploads).json()
        assert added["added"] == ["dong-nai.txt", "cao-bang.txt"]
        assert [(f["path"], f["error"]) for f in added["failed"]] == [("rong.txt", "EmptyDocumentError")]
        assert c.post("/v1/documents", files=uploads[:1]).json()["unchanged"] == ["dong-nai.txt"]
        edited = CITES_CAO_BANG.replace("07/4/2025", "08/4/2025").encode()
        assert c.post("/v1/documents", files=[("files", ("cao-bang.txt", edited))]).json()["replaced"] == [
            "cao-bang.txt"]
        assert c.post("/v1/documents", files=[("files", ("cao-bang.txt", CITES_CAO_BANG.encode()))]).json()[
            "replaced"] == ["cao-bang.txt"]
        assert c.get("/v1/health").json()["documents"] == 2
        assert {"/v1/documents", "/v1/citations", "/v1/findings"} <= set(c.get("/openapi.json").json()["paths"])
    with TestClient(create_app(db)) as c:  # the index persists
        assert c.get("/v1/documents").json() == {"documents": ["cao-bang.txt", "dong-nai.txt"]}
        doc = c.get("/v1/documents/dong-nai.txt").json()
        assert doc["header"]["number"] == "40" and doc["text"] == CITES_DONG_NAI
        error_of(c.get("/v1/documents/khong-co.txt"), 404, "NotFoundError")

        r = c.get("/v1/citations", params={"code": "12/QĐ-UBND", "authority": "Ủy ban nhân dân tỉnh Đồng Nai"}).json()
        assert r["query"]["authority"] == "UBND tỉnh Đồng Nai"
        assert r["documents"] == ["dong-nai.txt"]
        assert [m["text"] for g in r["groups"] for m in g["mentions"]] == [
            "Quyết định số 12/QĐ-UBND ngày 05/3/2025 của UBND tỉnh Đồng Nai"]
        both = c.get("/v1/citations", params={"code": "12/QD-UBND"}).json()  # no authority: every province's
        assert both["documents"] == ["cao-bang.txt", "dong-nai.txt"]
        assert sorted(g["key"]["authority"] for g in both["groups"]) == ["UBND tỉnh Cao Bằng", "UBND tỉnh Đồng Nai"]
        assert c.get("/v1/citations", params={"code": "12/QĐ-UBND", "year": 2024}).json()["documents"] == []
        assert c.get("/v1/citations", params={"code": "13/QĐ-UBND"}).json()["documents"] == []
        error_of(c.get("/v1/citations", params={"code": "12"}), 422, "InvalidRequestError")

        found = c.get("/v1/findings").json()
        assert found["summary"]["documents"] == 2 and isinstance(found["findings"], list)
        from docparse.server import has_report

        if has_report():
            page = c.get("/v1/report")
            assert page.status_code == 200 and "dong-nai.txt" in page.text and "cao-bang.txt" in page.text


@pytest.mark.parametrize("code, authority, key", [
    ("18-NQ/TW", None, ("18", "NQ/TW", "TW", "symbol")),  # a party resolution: number-type/body
    ("15/2025/QĐ-TTg", None, ("15", "2025/QD-TTG", "TTG", "symbol")),  # the year stays in a normative symbol
    ("012 / QĐ-UBND", "Ủy ban nhân dân tỉnh Bình Phước", ("12", "QD-UBND", "UBND tỉnh Bình Phước", "citation")),
    ("12/QĐ-UBND", "UBND xã Tân Lập, tỉnh Đồng Nai", ("12", "QD-UBND", "UBND xã Tân Lập, tỉnh Đồng Nai", "citation")),
    ("12/QĐ-UBND", None, ("12", "QD-UBND", None, "unknown")),
])
def test_citation_query_reads_codes_and_authorities_as_the_index_stores_them(code, authority, key):
    from docparse.server import citation_query

    q = citation_query(code, authority)
    assert (q["number"], q["symbol"], q["authority"], q["authority_source"]) == key


def test_citations_of_a_merged_province_match_the_new_and_each_old_province(tmp_path):
    after_merger = provincial("Quảng Ngãi", "60/KH-UBND", "Căn cứ Quyết định số 34/2023/QĐ-UBND ngày 24/8/2023 của "
                                                          "Ủy ban nhân dân tỉnh về việc giao chỉ tiêu.").replace(
        "10 tháng 6 năm 2025", "10 tháng 9 năm 2025")
    with TestClient(create_app(tmp_path / "index.sqlite")) as c:
        c.post("/v1/documents", files=[("files", ("qn.txt", after_merger.encode()))])
        for asked, found in (("UBND tỉnh Quảng Ngãi", ["qn.txt"]), ("UBND tỉnh Kon Tum", ["qn.txt"]),
                             ("UBND tỉnh Gia Lai", [])):
            r = c.get("/v1/citations", params={"code": "34/2023/QĐ-UBND", "authority": asked}).json()
            assert r["documents"] == found, asked
            assert all(g["authority_match"] == "one_of_merged" for g in r["groups"])


def test_index_endpoints_after_a_conflict_list_findings(tmp_path):
    with TestClient(create_app(tmp_path / "index.sqlite")) as c:
        c.post("/v1/documents", files=[("files", ("a.txt", CONFLICT_A.encode())),
                                       ("files", ("b.txt", CONFLICT_B.encode()))])
        found = c.get("/v1/findings", params={"select": "citation"}).json()["findings"]
        assert found and all(f["code"].startswith("citation") for f in found)
        only_a = c.get("/v1/findings", params={"select": "citation", "document": "a.txt"}).json()["findings"]
        assert only_a and all(any(e["document"] == "a.txt" for e in f["spans"]) for f in only_a)


def test_a_file_that_is_no_index_is_refused_before_serving(tmp_path):
    bad = tmp_path / "index.sqlite"
    bad.write_text("không phải SQLite", encoding="utf-8")
    with pytest.raises(IndexFileError):
        create_app(bad)
    out = CliRunner().invoke(cli, ["serve", "--db", str(bad)])  # exits before listening
    assert out.exit_code == 2 and "IndexFileError" in out.stderr


# ---- a real server -----------------------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_real_uvicorn_process_serves_and_shuts_down(tmp_path):
    pytest.importorskip("uvicorn", reason="uvicorn is not installed (pip install 'docparse[server]')")
    import httpx

    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "docparse.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
                             "--db", str(tmp_path / "index.sqlite")], cwd=tmp_path, stdout=log,
                            stderr=subprocess.STDOUT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            try:
                if httpx.get(f"{base}/v1/health", timeout=1).json()["status"] == "ok":
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not answer /v1/health"
            time.sleep(0.2)
        with httpx.Client(base_url=base, timeout=60) as c:
            doc = c.post("/v1/parse", files={"file": (PDF.name, PDF.read_bytes())}).json()
            assert doc["format"] == "pdf" and doc["source"] == PDF.name
            checked = c.post("/v1/check", files=[("files", ("a.txt", CONFLICT_A.encode())),
                                                 ("files", ("b.txt", CONFLICT_B.encode()))]).json()
            assert checked["summary"]["documents"] == 2 and checked["findings"]
            assert c.post("/v1/documents", files=[("files", ("dong-nai.txt", CITES_DONG_NAI.encode()))]).json()[
                "added"] == ["dong-nai.txt"]
            assert c.get("/v1/citations", params={"code": "12/QĐ-UBND", "authority": "UBND tỉnh Đồng Nai"}).json()[
                "documents"] == ["dong-nai.txt"]
            assert c.get("/openapi.json").json()["info"]["title"] == "docparse"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        assert b"Application shutdown complete" in (tmp_path / "server.log").read_bytes()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["index.sqlite", "server.log"]  # no file of its own
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        log.close()
