"""HTTP API (`docparse serve`, FastAPI): parse and check uploads (JSON, or the HTML review report), and with an index
(--db) add documents to it, read them back, ask which documents cite a given document, and list findings.

Uploads are parsed from memory (docparse.parse on bytes): nothing is written but the spool files of the multipart
parser, in the system's temp dir, and nothing is read from disk by a name a client gave. Parsing is CPU-bound, so it
runs in worker threads (at most `workers` at a time) while the event loop keeps answering; a request that takes longer
than `timeout_s` gets 504 (its thread still ends within the document's time budget, docparse.guard). The index is one
SQLite connection used from one thread only, so its calls are serialised. Every error is JSON, {"error": {"class",
"code", "message" (Vietnamese), "file"}}: 4xx for bad input, 500 only for a bug.

    uvicorn "docparse.server:create_app" --factory      # or: docparse serve --db index.sqlite
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
import re
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from functools import partial
from http import HTTPStatus
from pathlib import Path
from typing import Callable, List, Optional, TypeVar

import anyio
from fastapi import FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from . import __version__
from .batch import as_failure, failure_record
from .errors import DocparseError, FileTooLargeError, IndexFileError, InternalError, UnsupportedFormatError
from .schema import Document, Finding


class CheckResult(BaseModel):
    """What `docparse check --format json` prints: the findings, and what happened to each input."""

    findings: List[Finding]
    summary: dict = Field(description="documents, failed (path, error, code, message), internal_errors, errors, "
                                      "warnings, infos")


MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # a whole request: the files and the multipart framing
TIMEOUT_S = 60.0
MAX_FILES = 100  # uploads in one /v1/check or /v1/documents request
T = TypeVar("T")
log = logging.getLogger("docparse.server")

# else a DocparseError is 422; the index file failing is the server's problem, not the request's
_STATUS = {UnsupportedFormatError: 415, FileTooLargeError: 413, InternalError: 500, IndexFileError: 503}


def create_app(db: str | Path | None = None, *, max_upload_bytes: int = MAX_UPLOAD_BYTES, timeout_s: float = TIMEOUT_S,
               workers: int | None = None, max_files: int = MAX_FILES) -> FastAPI:
    """The API; `db`: a SQLite index file (docparse.corpus.Corpus) for the /v1/documents, /v1/citations and
    /v1/findings endpoints, which are absent without it. IndexFileError when the file cannot be an index."""
    index = _Index(db) if db is not None else None
    limiter = anyio.CapacityLimiter(workers or min(4, os.cpu_count() or 1))

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        if index is not None:
            index.close()

    app = FastAPI(title="docparse", version=__version__, openapi_url="/openapi.json", lifespan=lifespan,
                  description="Đọc văn bản hành chính Việt Nam (.txt, .md, .pdf, .docx) thành dữ liệu có cấu trúc và "
                              "kiểm tra mâu thuẫn giữa các văn bản.")
    app.add_middleware(_BodyLimit, limit=max_upload_bytes)
    _error_handlers(app)

    async def work(func: Callable[..., T], *args) -> T:
        """`func(*args)` in a worker thread, or 504 past the time limit (the event loop never waits on it)."""
        try:
            with anyio.fail_after(timeout_s):
                return await anyio.to_thread.run_sync(partial(func, *args), abandon_on_cancel=True, limiter=limiter)
        except TimeoutError:
            raise HTTPException(504, f"xử lý quá thời gian cho phép ({timeout_s:g} giây)") from None

    @app.get("/v1/health")
    async def health() -> dict:
        """Sống hay không; phiên bản; số văn bản trong chỉ mục (khi có --db)."""
        out = {"status": "ok", "version": __version__, "index": index is not None}
        if index is not None:
            out["documents"] = await index.call(len, timeout_s)
        return out

    @app.post("/v1/parse", responses=_ERRORS, response_model=Document)
    async def parse(file: UploadFile = File(..., description="tệp .txt, .md, .pdf hoặc .docx"),
                    no_text: bool = Query(False, description="bỏ trường text (toàn văn)")) -> Response:
        """Phân tích một tệp; trả về Document (như `docparse parse --format json`)."""
        data, name = await _upload(file)
        doc = await work(_parse, data, name)
        return _json(doc.model_dump_json(exclude={"text"} if no_text else None))

    @app.post("/v1/check", responses=_ERRORS, response_model=CheckResult)
    async def check(files: List[UploadFile] = File(..., description="các tệp, trường `files` lặp lại"),
                    select: List[str] = Query([], description="chỉ chạy các mã kiểm tra này"),
                    ignore: List[str] = Query([], description="bỏ qua các mã kiểm tra này")) -> Response:
        """Kiểm tra mâu thuẫn trong và giữa các tệp tải lên (như `docparse check --format json`): {"findings",
        "summary"}; một tệp không đọc được nằm trong summary.failed, các tệp khác vẫn được kiểm tra."""
        _known_codes(select + ignore)
        uploads = [await _upload(f) for f in _at_most(files, max_files)]
        return _json(await work(_check, uploads, select or None, ignore or None))

    if has_report():
        @app.post("/v1/report", response_class=HTMLResponse, responses=_ERRORS)
        async def report(files: List[UploadFile] = File(..., description="các tệp, trường `files` lặp lại"),
                         select: List[str] = Query([]), ignore: List[str] = Query([])) -> HTMLResponse:
            """Báo cáo rà soát HTML (một trang, không cần mạng) của các tệp tải lên, như `docparse report`."""
            _known_codes(select + ignore)
            uploads = [await _upload(f) for f in _at_most(files, max_files)]
            return HTMLResponse(await work(_check, uploads, select or None, ignore or None, _report_html))

    if index is not None:
        _index_routes(app, index, work, timeout_s, max_files)
    return app


def has_report() -> bool:
    """Whether docparse.report (the HTML review report and its template engine) can be imported."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("docparse.report", "jinja2"))


# ---- index ----------------------------------------------------------------------------------------------------------
class _Index:
    """The Corpus of `db`, opened, used and closed on one thread of its own (a SQLite connection belongs to the
    thread that opened it), so calls are serialised in arrival order."""

    def __init__(self, db: str | Path):
        from .corpus import Corpus

        self.executor = ThreadPoolExecutor(1, thread_name_prefix="docparse-index")
        try:
            self.corpus = self.executor.submit(Corpus, str(db)).result()  # IndexFileError here, before serving
        except BaseException:
            self.executor.shutdown()
            raise

    def close(self) -> None:
        self.executor.submit(self.corpus.close).result()
        self.executor.shutdown()

    async def call(self, func: Callable[..., T], timeout_s: float, *args) -> T:
        future = self.executor.submit(func, self.corpus, *args)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), timeout_s)
        except asyncio.TimeoutError:
            raise HTTPException(504, f"chỉ mục bận quá thời gian cho phép ({timeout_s:g} giây)") from None


def _index_routes(app: FastAPI, index: _Index, work, timeout_s: float, max_files: int) -> None:
    @app.post("/v1/documents", responses=_ERRORS)
    async def add_documents(files: List[UploadFile] = File(..., description="các tệp, trường `files` lặp lại")
                            ) -> dict:
        """Thêm các tệp vào chỉ mục (mã văn bản = tên tệp; tải lại cùng tên thì thay bản cũ)."""
        out: dict[str, list] = {"added": [], "replaced": [], "unchanged": [], "failed": []}
        for file in _at_most(files, max_files):
            data, name = await _upload(file)
            try:
                doc = await work(_parse, data, name)
            except DocparseError as err:
                out["failed"].append(failure_record(name, err))
                continue
            out[await index.call(lambda c, d: c.add(d), timeout_s, doc)].append(name)
        return out

    @app.get("/v1/documents")
    async def list_documents() -> dict:
        """Mã các văn bản trong chỉ mục."""
        return {"documents": await index.call(lambda c: c.ids(), timeout_s)}

    @app.get("/v1/documents/{doc_id:path}", responses=_ERRORS, response_model=Document)
    async def get_document(doc_id: str, no_text: bool = Query(False)) -> Response:
        """Một văn bản trong chỉ mục (Document)."""
        try:
            doc = await index.call(lambda c: c.document(doc_id), timeout_s)
        except KeyError:
            raise HTTPException(404, f"không có văn bản '{doc_id}' trong chỉ mục") from None
        return _json(doc.model_dump_json(exclude={"text"} if no_text else None))

    @app.get("/v1/citations", responses=_ERRORS)
    async def citations(code: str = Query(..., description="số/ký hiệu, vd 12/QĐ-UBND hoặc 15/2025/QĐ-TTg"),
                        authority: Optional[str] = Query(None, description="cơ quan ban hành, vd UBND tỉnh Đồng Nai "
                                                                           "(cần cho số hiệu của địa phương)"),
                        year: Optional[int] = Query(None, description="năm ban hành, khi số hiệu không ghi năm")
                        ) -> dict:
        """Những văn bản nào viện dẫn văn bản có số hiệu này (của cơ quan này): so theo số, ký hiệu, năm và cơ quan
        như khi kiểm tra (docparse.identity)."""
        query = citation_query(code, authority)
        refs = await index.call(lambda c: c.refs(), timeout_s)
        return {"query": {**query, "year": year}, **match_refs(refs, query, year)}

    @app.get("/v1/findings", responses=_ERRORS, response_model=CheckResult)
    async def findings(select: List[str] = Query([]), ignore: List[str] = Query([]),
                       document: List[str] = Query([], description="chỉ các lỗi liên quan tới các văn bản này")
                       ) -> Response:
        """Kiểm tra toàn bộ chỉ mục (như `docparse check --db … --format json`)."""
        _known_codes(select + ignore)

        def run(c):
            from .render import findings_json

            found = c.check(select=select or None, ignore=ignore or None, focus=document or None)
            summary = {"documents": len(c), "failed": [], "internal_errors": [n.message for n in c.notices]}
            c.notices.clear()
            return findings_json(found, summary)

        return _json(await index.call(run, timeout_s))

    if has_report():
        @app.get("/v1/report", response_class=HTMLResponse, responses=_ERRORS)
        async def index_report(select: List[str] = Query([]), ignore: List[str] = Query([])) -> HTMLResponse:
            """Báo cáo rà soát HTML của toàn bộ chỉ mục."""
            _known_codes(select + ignore)

            def run(c):
                from .report import build_report

                found = c.check(select=select or None, ignore=ignore or None)
                problems = [n.message for n in c.notices]
                c.notices.clear()
                return build_report(list(c.documents()), found, problems=problems)

            return HTMLResponse(await index.call(run, timeout_s))


def citation_query(code: str, authority: str | None) -> dict:
    """The identity key of a cited document, as the index stores it: `code` read with the citation extractor's own
    grammar (12/QĐ-UBND, 15/2025/QĐ-TTg, 18-NQ/TW), and the authority `authority` names, read the way a citation's
    own issuer is ("Ủy ban nhân dân tỉnh Bình Phước" → "UBND tỉnh Bình Phước"); a nation-wide series takes its
    authority from the symbol."""
    import unicodedata

    from .extract.citations import CODE_RE
    from .identity import citation_authority, citation_key
    from .schema import Citation, Header, Span

    code = "".join(unicodedata.normalize("NFC", code).split()).rstrip(".")
    m = CODE_RE.fullmatch(code)
    if m is None:
        raise HTTPException(422, f"số hiệu '{code}' không hợp lệ; cần dạng số/ký hiệu, vd 12/QĐ-UBND, "
                                 "15/2025/QĐ-TTg, 18-NQ/TW")
    if m.group("pnum"):
        number, symbol, year = m.group("pnum"), f"{m.group('ptype')}/{m.group('pbody')}", None
    else:
        number, symbol, year = m.group("num"), m.group("sym"), int(m.group("year")) if m.group("year") else None
    c = Citation(code=code, number=number, symbol=symbol, year=year, issuer=authority, text=code,
                 span=Span(start=0, end=len(code)))
    key = citation_key(c)
    auth, source = citation_authority(c, Header())
    if authority and auth is None:
        raise HTTPException(422, f"không xác định được cơ quan '{authority}'; nêu cả địa danh, vd UBND tỉnh Đồng Nai")
    return {"code": code, "number": key[0], "symbol": key[1], "authority": auth, "authority_source": source}


def match_refs(refs: list[dict], query: dict, year: int | None = None) -> dict:
    """The groups of Corpus.refs() for the queried document: every authority's (and year's) when none was asked.
    A group whose authority is a merged province's "(trước hợp nhất: một trong A, B)" matches the new province and
    each of A and B, marked "authority_match": "one_of_merged" (the number may be either old province's)."""
    groups = []
    for g in refs:
        key = g["key"]
        if key["number"] != query["number"] or key["symbol"] != query["symbol"] or year not in (None, key["year"]):
            continue
        how = "any" if query["authority"] is None else _same_register(key["authority"], query["authority"])
        if how:
            groups.append({**g, "authority_match": how})
    citing = sorted({m["document"] for g in groups for m in g["mentions"] if not m["is_self"]})
    return {"documents": citing, "groups": groups}


_MERGED = re.compile(r"^(.*) \(trước hợp nhất: một trong (.*)\)$")


def _same_register(authority: str | None, asked: str) -> str | None:
    if authority == asked:
        return "exact"
    m = _MERGED.match(authority or "")
    if not m:
        return None
    from .identity import find_province

    base, olds = m.group(1), [o.strip() for o in m.group(2).split(",")]
    info = find_province(base)
    names = {base} | ({base.replace(info["name"], old) for old in olds} if info else set())
    return "one_of_merged" if asked in names else None


# ---- parsing ----------------------------------------------------------------------------------------------------
def _parse(data: bytes, name: str) -> Document:
    """The upload's Document, named after the upload. The bytes go in without the name (only its format), so that
    no layer can take the client's name for a path on this machine and open it; the name is set afterwards."""
    from .pipeline import parse
    from .readers.inputs import BYTES_NAME, format_of

    try:
        doc = parse(data, format=format_of(data, name))
        doc.source = name
        return doc
    except DocparseError as err:
        if err.path in (BYTES_NAME, "<text>"):
            err.path = name
        raise
    except Exception as exc:  # noqa: BLE001 - a bug: 500 with the class, and the traceback in the server log
        log.exception("docparse: lỗi nội bộ khi đọc %s", name)
        raise InternalError(name, exc) from exc


def _findings_json(corpus, findings, batch) -> str:
    from .render import findings_json

    return findings_json(findings, batch.summary())


def _report_html(corpus, findings, batch) -> str:
    from .report import build_report

    return build_report(list(corpus.documents()), findings, failed=[(p, e.reason) for p, e in batch.failed],
                        problems=batch.internal)


def _check(uploads: list[tuple[bytes, str]], select, ignore, render=_findings_json) -> str:
    """The files checked together in memory, rendered: by default what `docparse check --format json` prints."""
    from .batch import Batch
    from .corpus import Corpus

    batch = Batch()
    seen: dict[str, int] = {}
    with Corpus() as corpus:
        for data, name in uploads:
            seen[name] = seen.get(name, 0) + 1
            try:
                doc = _parse(data, name)
                if seen[name] > 1:
                    doc.source = f"{name}#{seen[name]}"  # two uploads of one name stay two documents
                corpus.add(doc)
                batch.parsed += 1
            except Exception as exc:  # noqa: BLE001 - every file ends as parsed or failed, like the CLI
                batch.fail(name, as_failure(name, exc))
        findings = corpus.check(select=select, ignore=ignore)
        batch.note_internal("kiểm tra", corpus.notices)
        return render(corpus, findings, batch)


async def _upload(file: UploadFile) -> tuple[bytes, str]:
    name = os.path.basename(file.filename or "") or "<upload>"  # a client's path is no path here
    try:
        return await file.read(), name
    finally:
        await file.close()


def _at_most(files: list[UploadFile], most: int) -> list[UploadFile]:
    if len(files) > most:
        raise HTTPException(413, f"quá nhiều tệp trong một yêu cầu ({len(files)} > {most})")
    return files


def _known_codes(codes: list[str]) -> None:
    """422 for a check code (or prefix) that no check has, as `docparse check --select` refuses it."""
    from .checks import load_all

    unknown = [c for c in codes if not any(k == c or k.startswith(c.rstrip(".*") + ".") for k in load_all())]
    if unknown:
        raise HTTPException(422, f"mã kiểm tra không tồn tại: {', '.join(unknown)}")


def _json(body: str) -> Response:
    return Response(content=body, media_type="application/json")


# ---- limits and errors ----------------------------------------------------------------------------------------------
class _BodyLimit:
    """413 for a request body over `limit` bytes: at once from Content-Length, else as soon as the bytes received
    pass it (a chunked upload), before the multipart parser spools any more of it."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length", b"")
        if length.isdigit() and int(length) > self.limit:
            return await _too_large(self.limit)(scope, receive, send)
        received = 0

        async def limited():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise HTTPException(413, _too_large_message(self.limit))
            return message

        await self.app(scope, limited, send)


def _too_large_message(limit: int) -> str:
    size = f"{limit / 1e6:.1f} MB" if limit >= 100_000 else f"{limit} byte"
    return f"dữ liệu tải lên quá lớn (hơn {size} mỗi yêu cầu); giới hạn đặt bằng --max-upload-mb"


def _too_large(limit: int) -> JSONResponse:
    return _error(413, "FileTooLargeError", FileTooLargeError.code, _too_large_message(limit), None)


def _error(status: int, cls: str, code: str, message: str, file: str | None, **extra) -> JSONResponse:
    return JSONResponse({"error": {"class": cls, "code": code, "message": message, "file": file, **extra}},
                        status_code=status)


_HTTP = {404: ("NotFoundError", "not_found"), 405: ("MethodNotAllowedError", "method_not_allowed"),
         413: ("FileTooLargeError", FileTooLargeError.code), 422: ("InvalidRequestError", "invalid_request"),
         504: ("RequestTimeoutError", "timeout")}
_PHRASES = {404: "không có đường dẫn này", 405: "phương thức không được hỗ trợ ở đường dẫn này"}
_ERRORS = {status: {"description": desc, "content": {"application/json": {"example": {"error": {
    "class": cls, "code": code, "message": "…", "file": "a.pdf"}}}}}
    for status, desc, cls, code in ((413, "tệp quá lớn", "FileTooLargeError", "too_large"),
                                    (415, "định dạng không hỗ trợ", "UnsupportedFormatError", "unsupported_format"),
                                    (422, "tệp không đọc được (mã hóa, hỏng, rỗng…) hoặc yêu cầu sai",
                                     "EncryptedPDFError", "encrypted"),
                                    (504, "quá thời gian", "RequestTimeoutError", "timeout"))}


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DocparseError)
    async def docparse_error(request: Request, err: DocparseError) -> JSONResponse:
        status = next((s for cls, s in _STATUS.items() if isinstance(err, cls)), 422)
        extra = {"exception": err.exc_type} if isinstance(err, InternalError) else {}
        return _error(status, type(err).__name__, err.code, err.reason, err.path, **extra)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> JSONResponse:
        cls, code = _HTTP.get(err.status_code, ("HTTPError", f"http_{err.status_code}"))
        default = err.detail == HTTPStatus(err.status_code).phrase  # raised by the router, not by docparse
        message = _PHRASES.get(err.status_code, str(err.detail)) if default else str(err.detail)
        return _error(err.status_code, cls, code, message, None)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, err: RequestValidationError) -> JSONResponse:
        fields = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) or "?" for e in err.errors())
        details = json.loads(json.dumps(err.errors(), default=str))  # inputs may hold bytes
        return _error(422, "RequestValidationError", "invalid_request",
                      f"yêu cầu không hợp lệ (thiếu hoặc sai trường: {fields})", None, details=details)

    @app.exception_handler(Exception)
    async def bug(request: Request, err: Exception) -> JSONResponse:
        log.exception("docparse: lỗi nội bộ ở %s", request.url.path)
        return _error(500, "InternalError", InternalError.code, f"lỗi nội bộ của docparse ({type(err).__name__}); "
                                                                "hãy báo lỗi", None, exception=type(err).__name__)


__all__ = ["create_app", "citation_query", "match_refs", "MAX_UPLOAD_BYTES", "TIMEOUT_S"]
