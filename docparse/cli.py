"""Command line: thin wrappers over the public API. Every input ends as parsed or failed and the batch goes on; exit
codes (see docparse.batch): 3 internal error, 2 unreadable input or usage, 1 error findings, 0 otherwise."""
from __future__ import annotations

import json
import os
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .batch import EXIT_INPUT, EXIT_INTERNAL, Batch, documents, expand, failure_record
from .errors import DocparseError, InternalError
from .render import summary
from .schema import Document

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="docparse: đọc văn bản hành chính Việt Nam thành dữ liệu có cấu trúc.")
_debug = False


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit(0)


def _set_debug(value: bool) -> None:
    """--debug: a bug's traceback is printed, and the per-layer guard lets it through (DOCPARSE_STRICT)."""
    global _debug
    if value:
        _debug = True
        os.environ["DOCPARSE_STRICT"] = "1"


DEBUG = typer.Option(False, "--debug", callback=_set_debug, expose_value=False,
                     help="in traceback của lỗi nội bộ (dừng bước bị lỗi thay vì bỏ qua)")
_jobs: int | None = None  # --jobs: processes that parse (None: the cores)
_prune = False  # --prune: files gone from the indexed folders leave the --db index


def _set_jobs(value: Optional[int]) -> None:
    global _jobs
    if value is not None and value < 1:
        raise typer.BadParameter("--jobs phải từ 1 trở lên")
    _jobs = value


def _set_prune(value: bool) -> None:
    global _prune
    _prune = value


JOBS = typer.Option(None, "--jobs", "-j", callback=_set_jobs, expose_value=False,
                    help="số tiến trình phân tích song song (mặc định: số lõi CPU)")
PRUNE = typer.Option(False, "--prune", callback=_set_prune, expose_value=False,
                     help="với --db: xoá khỏi chỉ mục các tệp không còn trong các thư mục đã nêu")


def _set_ocr(value: Optional[str]) -> None:
    """--ocr: through the environment, so worker processes (-j) read PDFs the same way (docparse.readers.ocr)."""
    if value is not None:
        if value not in ("auto", "force", "never"):
            raise typer.BadParameter("--ocr phải là auto, force hoặc never")
        os.environ["DOCPARSE_OCR"] = value


OCR = typer.Option(None, "--ocr", callback=_set_ocr, expose_value=False,
                   help="auto (mặc định: nhận dạng ký tự các trang PDF là ảnh quét) | force (mọi trang) | never")


def _set_pdf_engine(value: Optional[str]) -> None:
    """--pdf-engine: through the environment, so worker processes (-j) read PDFs the same way."""
    if value is not None:
        if value not in ("pdfminer", "pdfium"):
            raise typer.BadParameter("--pdf-engine phải là pdfminer hoặc pdfium")
        os.environ["DOCPARSE_PDF_ENGINE"] = value


PDF_ENGINE = typer.Option(None, "--pdf-engine", callback=_set_pdf_engine, expose_value=False,
                          help="pdfminer (mặc định) | pdfium: đọc PDF nhanh hơn, cần gói tùy chọn fast-pdf")


_dask: str | None = None  # check --dask ADDRESS|local


def _set_dask(value: Optional[str]) -> None:
    global _dask
    _dask = value


DASK = typer.Option(None, "--dask", callback=_set_dask, expose_value=False,
                    help="chạy trên cụm Dask: địa chỉ scheduler (tcp://…) hoặc local (cần docparse[dask])")


def _dask_corpus(files: List[str]):
    """The findings of a Dask run, shaped like a Corpus for the report; exit 2 when Dask is missing or
    unreachable."""
    try:
        from .distributed import DaskCorpus

        return DaskCorpus(files, _dask, workers=_n_jobs())
    except ImportError:
        typer.echo("docparse: lỗi: --dask cần cài thêm: pip install 'docparse[dask]'", err=True)
    except OSError as exc:
        typer.echo(f"docparse: lỗi: không kết nối được cụm Dask {_dask} ({exc})", err=True)
    raise typer.Exit(EXIT_INPUT)


def _progress(total: int | None):
    """A progress bar on stderr when it is a terminal (docparse.parallel.Progress), silence otherwise."""
    from .parallel import Progress

    return Progress(total)


def _n_jobs() -> int:
    from .parallel import default_jobs

    return _jobs or default_jobs()


@app.callback()
def _main(_v: bool = typer.Option(False, "--version", callback=_version, is_eager=True, expose_value=False,
                                  help="in phiên bản"),
          _d: bool = DEBUG) -> None:
    """docparse: đọc văn bản hành chính Việt Nam thành dữ liệu có cấu trúc."""


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


class Entities(str, Enum):
    rules = "rules"
    model = "model"
    hybrid = "hybrid"


def _report_failure(path: str, err: DocparseError) -> None:
    """One line on stderr per failed input: file, message, error class; a bug's traceback under --debug."""
    kind = f"{type(err).__name__}/{err.exc_type}" if isinstance(err, InternalError) else type(err).__name__
    typer.echo(f"docparse: lỗi: {path}: {err.reason} [{kind}]", err=True)
    if _debug and isinstance(err, InternalError):
        typer.echo(err.traceback, err=True)


def _report_internal(batch: Batch) -> None:
    """The layers that failed inside parsed documents or checks (a failed input was reported when it failed)."""
    for line in batch.internal:
        typer.echo(f"docparse: lỗi nội bộ: {line}", err=True)


class _Inputs:
    """Parsed documents of the given paths, in order; each failure is reported on stderr and kept in `batch`."""

    def __init__(self, paths: List[str], entities: str = "rules", on_failure=None):
        self.paths, self.entities, self.batch = paths, entities, Batch()
        self.on_failure = on_failure or _report_failure

    def __iter__(self):
        with _progress(len(expand(self.paths)[0])) as progress:
            for doc in documents(self.batch, self.paths, self.entities, on_failure=self.on_failure, jobs=_n_jobs(),
                                 progress=progress):
                yield doc
        _report_internal(self.batch)

    @property
    def failed(self) -> int:
        return len(self.batch.failed)

    def exit(self) -> typer.Exit:
        return typer.Exit(self.batch.exit_code())


def _require_model(entities: Entities, strict: bool) -> None:
    """--entities model|hybrid without a model: an error with --strict (exit 2); otherwise one warning line on
    stderr (each document also carries the entities.no_model notice) instead of the library's Python warning."""
    if entities is Entities.rules:
        return
    import warnings

    from .ner import ModelMissingWarning, has_model, missing_model_message

    if has_model():
        return
    if strict:
        typer.echo(f"docparse: lỗi: {missing_model_message()} (--strict)", err=True)
        raise typer.Exit(EXIT_INPUT)
    typer.echo(f"docparse: cảnh báo: {missing_model_message()}; dùng quy tắc", err=True)
    warnings.filterwarnings("ignore", category=ModelMissingWarning)


@app.command("parse")
def parse_cmd(paths: List[str] = typer.Argument(..., help="tệp .txt/.md/.pdf/.docx, thư mục, hoặc - (stdin)"),
              fmt: Format = typer.Option(Format.json, "--format", "-f", help="json | jsonl | text"),
              no_text: bool = typer.Option(False, "--no-text", help="bỏ trường text (toàn văn) khỏi JSON"),
              entities: Entities = typer.Option(Entities.rules, "--entities",
                                                help="rules (nhanh) | model | hybrid: dùng mô hình nhận dạng thực thể"),
              strict: bool = typer.Option(False, "--strict", help="báo lỗi (mã 2) thay vì dùng quy tắc khi "
                                                                  "--entities model|hybrid mà không có mô hình"),
              layers: Optional[str] = typer.Option(None, "--layers", help="chỉ chạy các lớp này (và lớp chúng cần), "
                                                   "vd. citations,dates; mặc định: tất cả"),
              _j: Optional[int] = JOBS, _o: Optional[str] = OCR,
              _e: Optional[str] = PDF_ENGINE, _d: bool = DEBUG) -> None:
    """Phân tích văn bản và in kết quả (JSON cho máy, text cho người đọc). Mỗi văn bản được in ngay khi xong."""
    _require_model(entities, strict)
    if layers is not None:  # through the environment, so worker processes (-j) run the same layers
        from .pipeline import resolve_layers
        try:
            resolve_layers(layers)
        except ValueError as exc:
            typer.echo(f"docparse: lỗi: --layers: {exc}", err=True)
            raise typer.Exit(EXIT_INPUT)
        os.environ["DOCPARSE_LAYERS"] = layers
    single = fmt is Format.json and len(paths) == 1 and (paths[0] == "-" or not Path(paths[0]).is_dir())

    def failed(path: str, err: DocparseError) -> None:
        _report_failure(path, err)
        if fmt is Format.jsonl:
            typer.echo(json.dumps({"source": path, "failed": failure_record(path, err)}, ensure_ascii=False))

    def text_of(doc: Document) -> str:
        if fmt is Format.text:
            return summary(doc)
        data = doc.model_dump(mode="json", exclude={"text"} if no_text else None)
        out = json.dumps(data, ensure_ascii=False, indent=None if fmt is Format.jsonl else 2)
        out.encode("utf-8")  # a lone surrogate would stop the stream half-way through a line
        return out

    inputs = _Inputs(paths, entities.value, on_failure=failed)
    first = True
    try:
        for doc in inputs:
            try:
                out = text_of(doc)
            except Exception as exc:  # noqa: BLE001 - a document that cannot be written is that input's failure
                inputs.batch.parsed -= 1
                inputs.batch.fail(doc.source or "<text>", InternalError(doc.source, exc))
                failed(doc.source or "<text>", inputs.batch.failed[-1][1])
                continue
            if fmt is Format.json and not single:  # an array written one document at a time: nothing done is lost
                out = ("[\n" if first else ",\n") + out
            typer.echo(out, nl=fmt is not Format.json or single)
            first = False
    except KeyboardInterrupt:
        typer.echo("docparse: bị ngắt (Ctrl-C); các văn bản đã xong vẫn được in", err=True)
        raise typer.Exit(130)
    finally:
        if fmt is Format.json and not single:
            typer.echo("[]" if first else "\n]")
        elif fmt is Format.jsonl:
            typer.echo(json.dumps({"summary": inputs.batch.summary()}, ensure_ascii=False))
    raise inputs.exit()


def _indexed(paths: List[str], db: Optional[Path]):
    """The inputs added to an index (in memory or --db): every failure reported and kept in the batch, the notices
    of layers that failed inside parsed documents too. An unusable --db file ends the command (exit 2)."""
    from .corpus import Corpus

    files, empty = expand(paths)
    batch = Batch()
    for err in empty:
        batch.fail(err.path, err)
        _report_failure(err.path, err)
    if _dask:  # check --dask: parsed and checked on a Dask cluster (docparse.distributed)
        corpus = _dask_corpus(files)
        report = corpus.result
    else:
        try:
            corpus = Corpus(db or ":memory:")
        except DocparseError as err:  # not SQLite, damaged, another program's database
            _report_failure(err.path, err)
            raise typer.Exit(EXIT_INPUT)
        with _progress(len(files)) as progress:
            report = corpus.add_many(files, jobs=_n_jobs(), progress=progress)
    if db and _prune and not _dask:
        report.pruned = corpus.prune(p for p in paths if Path(p).is_dir())
    for name, err in report.failed:
        batch.fail(name, err)
        _report_failure(name, err)
    batch.parsed = len(report.parsed)
    for name, messages in report.internal:
        batch.internal.extend(f"{name}: {m}" for m in messages)
    return corpus, report, batch


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    sarif = "sarif"


@app.command("check")
def check_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
              fmt: CheckFormat = typer.Option(CheckFormat.text, "--format", "-f",
                                              help="text (báo cáo cho người) | json | jsonl | csv (UTF-8 có BOM) | "
                                                   "sarif (SARIF 2.1.0)"),
              baseline: Optional[Path] = typer.Option(None, "--baseline",
                                                      help="bỏ qua các phát hiện đã chấp nhận trong tệp này"),
              write_baseline: Optional[Path] = typer.Option(None, "--write-baseline",
                                                            help="ghi mọi phát hiện hiện có vào tệp baseline này "
                                                                 "(mã thoát 0 nếu không có lỗi đầu vào/nội bộ)"),
              all_evidence: bool = typer.Option(False, "--all-evidence",
                                                help="báo cáo text: in hết bằng chứng (mặc định rút gọn sau 10)"),
              db: Optional[Path] = typer.Option(None, "--db", help="tệp SQLite lưu chỉ mục (mặc định: trong bộ nhớ)"),
              select: List[str] = typer.Option([], "--select", "-s", help="chỉ chạy các mã kiểm tra này (vd citation)"),
              ignore: List[str] = typer.Option([], "--ignore", "-i", help="bỏ qua các mã kiểm tra này"),
              only_given: bool = typer.Option(True, "--only-given/--all",
                                              help="chỉ báo lỗi liên quan tới các tệp đã nêu (khi dùng --db)"),
              _j: Optional[int] = JOBS, _p: bool = PRUNE, _k: Optional[str] = DASK, _o: Optional[str] = OCR,
              _e: Optional[str] = PDF_ENGINE, _d: bool = DEBUG) -> None:
    """Kiểm tra mâu thuẫn trong từng văn bản và giữa các văn bản. Mã thoát: 0 không có lỗi, 1 có lỗi, 2 lỗi đầu vào,
    3 lỗi nội bộ của docparse."""
    from .checks import load_all

    unknown = [c for c in select + ignore if not any(k == c or k.startswith(c.rstrip(".*") + ".") for k in load_all())]
    if unknown:
        typer.echo(f"docparse: lỗi: mã kiểm tra không tồn tại: {', '.join(unknown)}", err=True)
        raise typer.Exit(EXIT_INPUT)
    from . import baseline as bl

    try:
        accepted = bl.read(baseline) if baseline else None
    except bl.BaselineError as err:
        _report_failure(err.path, err)
        raise typer.Exit(EXIT_INPUT)
    corpus, report, batch = _indexed(paths, db)
    with corpus:
        focus = report.parsed if (db and only_given) else None
        try:
            writer = bl.Writer(write_baseline) if write_baseline else None
        except OSError as exc:
            err = bl.BaselineError(str(write_baseline), f"không ghi được tệp baseline ({exc.strerror or exc})")
            _report_failure(err.path, err)
            raise typer.Exit(EXIT_INPUT)

        def checked():  # a stream: a corpus's findings are never all held (a Dask run gives a list)
            try:
                yield from getattr(corpus, "iter_check", corpus.check)(select=select or None, ignore=ignore or None,
                                                                       focus=focus)
            except Exception as exc:  # noqa: BLE001 - only with --debug: the guard lets a check's bug through
                raise InternalError(str(db or "<check>"), exc) from exc

        counts: Counter = Counter()
        findings = writer.tee(checked()) if writer else checked()
        if accepted is not None:
            findings = bl.iter_new(findings, accepted, counts)

        def checked_all() -> tuple[dict, Optional[int]]:  # every finding read: the batch summary, the suppressed
            batch.note_internal("kiểm tra", getattr(corpus, "notices", []))
            _report_internal(batch)
            if writer:
                typer.echo(f"Đã ghi baseline {write_baseline}: {writer.close()} phát hiện", err=True)
            return batch.summary(), (counts["suppressed"] if accepted is not None else None)

        try:
            errors = _write_findings(fmt, findings, corpus, checked_all, None if all_evidence else 10)
        except InternalError as err:  # a check failed (only with --debug)
            _report_failure(err.path, err)
            raise typer.Exit(EXIT_INTERNAL)
        except Exception as exc:  # noqa: BLE001 - a report that fails is docparse's bug (3), not findings (1)
            err = InternalError("<báo cáo>", exc)
            _report_failure(err.path, err)
            raise typer.Exit(EXIT_INTERNAL)
        finally:
            if writer:
                writer.discard()  # an interrupted run leaves the former baseline
    raise typer.Exit(batch.exit_code(not write_baseline and errors > 0))


def _write_findings(fmt: CheckFormat, findings, corpus, checked_all, evidence_limit: Optional[int]) -> int:
    """The findings of `check` in the chosen format, read once from a stream and never all held: JSON Lines, CSV
    and SARIF written as they come, JSON and text from a FindingSpool on disk (JSON's summary comes first; text
    groups by document). Of the documents, only the line starts of those used last are kept (export.LineCache).
    `checked_all()`, called once every finding is read and before any summary, gives (batch summary, suppressed).
    Returns the number of error findings."""
    import sys

    from . import export
    from .checks import load_all
    from .render import FindingSpool, Tally, findings_text, write_findings_json

    lines = export.LineCache(corpus.source)  # line starts only, of the documents used last (KeyError: unknown)
    out = sys.stdout
    if fmt in (CheckFormat.text, CheckFormat.json):
        with FindingSpool(findings) as spool:
            batch, suppressed = checked_all()
            if fmt is CheckFormat.text:
                findings_text(spool, batch, len(corpus), lines, evidence_limit=evidence_limit, suppressed=suppressed)
            else:
                write_findings_json(spool, batch, out, suppressed)
            return spool.tally.of("error")
    tally = Tally()
    counted = (tally.add(f) or f for f in findings)
    if fmt is CheckFormat.csv:
        export.write_csv(export.finding_rows(counted, lines=lines), export.columns("findings"), out)
    elif fmt is CheckFormat.sarif:
        export.write_sarif(counted, load_all(), __version__, out, lines)
        out.write("\n")
    else:  # JSON Lines: a finding a line, then the summary line
        export.write_jsonl((f.model_dump(mode="json") for f in counted), out)
    batch, suppressed = checked_all()
    if fmt is CheckFormat.jsonl:
        out.write(json.dumps({"summary": tally.summary(batch, suppressed)}, ensure_ascii=False) + "\n")
    out.flush()
    return tally.of("error")


class RowFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


@app.command("refs")
def refs_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
             fmt: RowFormat = typer.Option(RowFormat.text, "--format", "-f",
                                           help="text | json | jsonl (một văn bản được viện dẫn mỗi dòng) | csv "
                                                "(UTF-8 có BOM, mỗi lần viện dẫn một dòng)"),
             db: Optional[Path] = typer.Option(None, "--db"),
             _j: Optional[int] = JOBS, _p: bool = PRUNE,
             _d: bool = DEBUG) -> None:
    """Liệt kê từng văn bản được viện dẫn, với mọi nơi và mọi cách nó được viện dẫn."""
    from .render import refs_text

    corpus, _, batch = _indexed(paths, db)
    with corpus:
        refs = corpus.refs()
    _report_internal(batch)
    if not refs and batch.failed:  # nothing was read: the errors above say why, an empty table says nothing
        raise typer.Exit(batch.exit_code())
    if fmt is RowFormat.text:  # the assumed authority beside the code: one local code of two provinces is two rows
        from .identity import authority_name

        refs_text([{**r, "forms": [" / ".join(r["forms"]) + (f" — {authority_name(r['key']['authority'])}"
                                                              if r["key"].get("authority") else "")]}
                   if r["forms"] else r for r in refs])
    elif fmt is RowFormat.json:
        typer.echo(json.dumps(refs, ensure_ascii=False, indent=2))
    else:
        import sys

        from . import export

        if fmt is RowFormat.jsonl:
            export.write_jsonl(refs, sys.stdout)
        else:
            export.write_csv(export.ref_rows(refs), export.REF_COLUMNS, sys.stdout)
    raise typer.Exit(batch.exit_code())


class TaskFormat(str, Enum):
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


def _write_rows(rows, fmt: TaskFormat, cols: List[str], output: Optional[Path]) -> None:
    """Rows to a file or stdout, one at a time: a JSON array, JSON Lines or CSV with a BOM (Excel)."""
    import contextlib
    import sys

    from . import export

    with contextlib.ExitStack() as stack:
        out = stack.enter_context(output.open("w", encoding="utf-8", newline="")) if output else sys.stdout
        if fmt is TaskFormat.csv:
            export.write_csv((export.flatten(r) for r in rows), cols, out)
        elif fmt is TaskFormat.jsonl:
            export.write_jsonl(rows, out)
        else:
            out.write("[")
            for i, row in enumerate(rows):
                out.write(("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False, indent=2))
            out.write("\n]\n")


@app.command("tasks")
def tasks_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
              fmt: TaskFormat = typer.Option(TaskFormat.json, "--format", "-f",
                                             help="json | jsonl | csv (UTF-8 có BOM, mở được bằng Excel)"),
              output: Optional[Path] = typer.Option(None, "--output", "-o", help="ghi ra tệp thay vì màn hình"),
              _j: Optional[int] = JOBS,
              _d: bool = DEBUG) -> None:
    """Trích các bảng nhiệm vụ (TT | Nhiệm vụ | Chủ trì | Phối hợp | … | Thời hạn) thành danh sách nhiệm vụ."""
    from . import export

    inputs = _Inputs(paths)
    _write_rows((row for doc in inputs for row in export.document_records(doc, "tasks")), fmt,
                export.columns("tasks"), output)
    raise inputs.exit()


class ExportWhat(str, Enum):
    citations = "citations"
    indicators = "indicators"
    tasks = "tasks"
    findings = "findings"


@app.command("export")
def export_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
               what: ExportWhat = typer.Option(ExportWhat.citations, "--what", "-w",
                                               help="citations | indicators | tasks | findings"),
               fmt: TaskFormat = typer.Option(TaskFormat.csv, "--format", "-f",
                                              help="csv (UTF-8 có BOM) | jsonl | json"),
               output: Optional[Path] = typer.Option(None, "--output", "-o", help="ghi ra tệp thay vì màn hình"),
               _d: bool = DEBUG) -> None:
    """Xuất bảng dữ liệu: viện dẫn, số liệu, nhiệm vụ (từng văn bản, ghi dần) hoặc phát hiện (kiểm tra cả tập)."""
    from . import export

    if what is ExportWhat.findings:
        corpus, _, batch = _indexed(paths, None)
        with corpus:  # the findings streamed as the index yields them; of the documents, only recent line starts
            findings = corpus.iter_check()
            rows = (export.finding_rows(findings, lines=export.LineCache(corpus.source)) if fmt is TaskFormat.csv
                    else (f.model_dump(mode="json") for f in findings))
            _write_rows(rows, fmt, export.columns("findings"), output)
            batch.note_internal("kiểm tra", getattr(corpus, "notices", []))
            _report_internal(batch)
        raise typer.Exit(batch.exit_code())
    inputs = _Inputs(paths)
    _write_rows((row for doc in inputs for row in export.document_records(doc, what.value)), fmt,
                export.columns(what.value), output)
    raise inputs.exit()


@app.command("export-spacy")
def export_spacy_cmd(paths: List[str] = typer.Argument(..., help="tệp .txt/.md/.pdf/.docx, thư mục, hoặc - (stdin)"),
                     output: Path = typer.Option(..., "--output", "-o", help="tệp DocBin cần ghi, vd corpus.spacy"),
                     _d: bool = DEBUG) -> None:
    """Xuất văn bản thành DocBin của spaCy (doc.spans["docparse"], doc.ents, bản ghi Document) để gán nhãn, huấn luyện."""
    from . import spacy_component as dsc

    nlp = dsc.blank_vietnamese()
    inputs = _Inputs(paths)
    docbin = dsc.to_docbin(inputs, nlp)
    if not len(docbin) and inputs.failed:
        typer.echo(f"docparse: lỗi: không đọc được văn bản nào; không ghi {output}", err=True)
        raise inputs.exit()
    output.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(output)
    counts = dsc.label_counts(docbin.get_docs(nlp.vocab))
    failed = f"; {inputs.failed} tệp lỗi" if inputs.failed else ""
    typer.echo(f"Đã ghi {output}: {len(docbin)} văn bản, {sum(counts.values())} nhãn ({dsc.format_counts(counts)}){failed}")
    raise inputs.exit()


class RenderStyle(str, Enum):
    span = "span"
    ent = "ent"


@app.command("render")
def render_cmd(paths: List[str] = typer.Argument(..., help="tệp .txt/.md/.pdf/.docx, thư mục, hoặc - (stdin)"),
               output: Path = typer.Option(..., "--output", "-o", help="tệp HTML cần ghi, vd out.html"),
               style: RenderStyle = typer.Option(RenderStyle.span, "--style",
                                                 help="span: mọi nhãn, kể cả chồng nhau | ent: chỉ doc.ents"),
               _d: bool = DEBUG) -> None:
    """Hiển thị các nhãn (viện dẫn, ngày, số liệu, nhiệm vụ, cơ quan…) trên văn bản bằng displaCy, ghi ra tệp HTML."""
    from . import spacy_component as dsc

    nlp = dsc.blank_vietnamese()
    inputs = _Inputs(paths)
    docs = [dsc.to_doc(record, nlp) for record in inputs]
    if not docs and inputs.failed:
        typer.echo(f"docparse: lỗi: không đọc được văn bản nào; không ghi {output}", err=True)
        raise inputs.exit()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(dsc.render_html(docs, style=style.value), encoding="utf-8")
    if style is RenderStyle.ent:
        counts, labels = Counter(e.label_ for doc in docs for e in doc.ents), dsc.ENT_LABELS
    else:
        counts, labels = dsc.label_counts(docs), dsc.LABELS
    failed = f"; {inputs.failed} tệp lỗi" if inputs.failed else ""
    typer.echo(f"Đã ghi {output}: {len(docs)} văn bản, {sum(counts.values())} nhãn "
               f"({dsc.format_counts(counts, labels)}){failed}")
    raise inputs.exit()


@app.command("checks")
def checks_cmd() -> None:
    """Liệt kê các kiểm tra: mã, mức độ, mô tả."""
    from .checks import load_all

    for spec in sorted(load_all().values(), key=lambda s: s.code):
        scope = "+".join(x for x in ("document", "corpus") if getattr(spec, x))
        typer.echo(f"{spec.code:28} {spec.severity:8} {scope:16} {spec.description}")


class SchemaWhat(str, Enum):
    document = "document"
    finding = "finding"
    ref = "ref"
    task = "task"
    citation = "citation"
    indicator = "indicator"
    check = "check"
    summary = "summary"
    failed = "failed"


@app.command("schema")
def schema_cmd(what: SchemaWhat = typer.Option(SchemaWhat.document, "--what", "-w",
                                               help="document | finding | ref | task | citation | indicator | check "
                                                    "(kết quả check --format json) | summary, failed (dòng JSONL)")) -> None:
    """In JSON Schema (draft 2020-12, có $id và phiên bản) của một loại bản ghi mà docparse xuất ra."""
    from .schemas import json_schema

    typer.echo(json.dumps(json_schema(what.value), ensure_ascii=False, indent=2))


@app.command("eval")
def eval_cmd(gold: Optional[Path] = typer.Option(None, help="thư mục gold (mặc định tests/gold)"),
             corpus: Optional[Path] = typer.Option(None, help="thư mục corpus (mặc định ../shared/corpus)"),
             verbose: bool = typer.Option(False, "--verbose", "-v"),
             what: str = typer.Option("references", "--what",
                                      help="references | indicators | tasks | assignments | findings | ner-rules | "
                                           "ner-model | ner-hybrid | ner-underthesea"),
             dev: bool = typer.Option(False, "--dev", help="với ner-*: đo trên bộ dev (tests/gold/ner-dev) thay vì "
                                                           "bộ held-out")) -> None:
    """Đo độ chính xác (P/R/F1) so với chú giải chuẩn."""
    from .eval import main as eval_main

    argv = {"indicators": ["--indicators"], "tasks": ["--tasks"], "assignments": ["--assignments"],
            "findings": ["--findings"]}.get(what, [])
    if what.startswith("ner-"):
        argv = ["--ner", what[4:]] + (["--ner-set", "ner-dev"] if dev else [])
    if gold:
        argv += ["--gold", str(gold)]
    if corpus:
        argv += ["--corpus", str(corpus)]
    if verbose:
        argv.append("-v")
    raise typer.Exit(eval_main(argv))


@app.command("version")
def version_cmd() -> None:
    """In phiên bản."""
    typer.echo(__version__)


@app.command("serve")
def serve_cmd(host: str = typer.Option("127.0.0.1", "--host", help="địa chỉ lắng nghe"),
              port: int = typer.Option(8000, "--port", help="cổng"),
              db: Optional[Path] = typer.Option(None, "--db", help="tệp SQLite chỉ mục: bật /v1/documents, "
                                                                   "/v1/citations, /v1/findings"),
              max_upload_mb: float = typer.Option(20.0, "--max-upload-mb", help="giới hạn dữ liệu mỗi yêu cầu (MB)"),
              timeout: float = typer.Option(60.0, "--timeout", help="thời gian tối đa mỗi yêu cầu (giây)"),
              _d: bool = DEBUG) -> None:
    """Chạy HTTP API (FastAPI + uvicorn, phần mở rộng server của docparse). Tài liệu API: /docs, /openapi.json."""
    try:
        import uvicorn

        from .server import create_app
    except ImportError as exc:
        typer.echo(f"docparse: lỗi: thiếu {exc.name}; cài bằng: pip install 'docparse[server]'", err=True)
        raise typer.Exit(EXIT_INPUT)
    try:
        api = create_app(db, max_upload_bytes=int(max_upload_mb * 1e6), timeout_s=timeout)
    except DocparseError as err:  # an --db file that cannot be an index
        _report_failure(err.path, err)
        raise typer.Exit(EXIT_INPUT)
    uvicorn.run(api, host=host, port=port, log_level="info")


@app.command("report")
def report_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
               output: Path = typer.Option(..., "--output", "-o", help="tệp HTML cần ghi, vd report.html"),
               select: List[str] = typer.Option([], "--select", "-s", help="chỉ chạy các mã kiểm tra này"),
               ignore: List[str] = typer.Option([], "--ignore", "-i", help="bỏ qua các mã kiểm tra này"),
               title: Optional[str] = typer.Option(None, "--title", help="tiêu đề báo cáo"),
               _j: Optional[int] = JOBS,
               _d: bool = DEBUG) -> None:
    """Ghi báo cáo rà soát HTML tự chứa (mở được khi không có mạng): tổng quan, từng phát hiện với bằng chứng trong
    ngữ cảnh, thẻ từng văn bản với viện dẫn, nhiệm vụ, tỷ lệ. Mã thoát: 0 đã ghi, 2 lỗi đầu vào, 3 lỗi nội bộ."""
    from .checks import load_all, selected
    from .report import write_report

    unknown = [c for c in select + ignore if not any(k == c or k.startswith(c.rstrip(".*") + ".") for k in load_all())]
    if unknown:
        typer.echo(f"docparse: lỗi: mã kiểm tra không tồn tại: {', '.join(unknown)}", err=True)
        raise typer.Exit(EXIT_INPUT)
    corpus, _, batch = _indexed(paths, None)
    with corpus:
        try:
            findings = corpus.check(select=select or None, ignore=ignore or None)
            batch.note_internal("kiểm tra", getattr(corpus, "notices", []))
            docs = list(corpus.documents())
            size = write_report(output, docs, findings, title=title,
                                checked=[s.code for s in selected(select or None, ignore or None)],
                                failed=[(path, err.reason) for path, err in batch.failed],
                                problems=list(batch.internal))
        except OSError as exc:  # the output cannot be written
            typer.echo(f"docparse: lỗi: không ghi được {output}: {exc.strerror or exc}", err=True)
            raise typer.Exit(EXIT_INPUT)
        except Exception as exc:  # noqa: BLE001 - docparse's bug (3), never mistaken for an input error
            err = InternalError("<báo cáo>", exc)
            _report_failure(err.path, err)
            raise typer.Exit(EXIT_INTERNAL)
    _report_internal(batch)
    typer.echo(f"Đã ghi {output}: {len(docs)} văn bản, {len(findings)} phát hiện, {size / 1e6:.1f} MB", err=True)
    raise typer.Exit(batch.exit_code())


def main() -> None:
    app()


if __name__ == "__main__":
    main()
