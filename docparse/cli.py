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
from .batch import EXIT_INPUT, EXIT_INTERNAL, Batch, documents, expand, failure_record, internal_notices
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
        for doc in documents(self.batch, self.paths, self.entities, on_failure=self.on_failure):
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
              _d: bool = DEBUG) -> None:
    """Phân tích văn bản và in kết quả (JSON cho máy, text cho người đọc). Mỗi văn bản được in ngay khi xong."""
    _require_model(entities, strict)
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
    try:
        corpus = Corpus(db or ":memory:")
    except DocparseError as err:  # not SQLite, damaged, another program's database
        _report_failure(err.path, err)
        raise typer.Exit(EXIT_INPUT)
    report = corpus.add_many(files)
    for name, err in report.failed:
        batch.fail(name, err)
        _report_failure(name, err)
    batch.parsed = len(report.parsed)
    for name in report.parsed:
        try:
            batch.note_internal(name, internal_notices(corpus.document(os.path.normpath(name))))
        except KeyError:  # indexed under another id (a Document's source): its notices are checked with it
            pass
    return corpus, report, batch


@app.command("check")
def check_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
              fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (báo cáo cho người) | json | jsonl"),
              db: Optional[Path] = typer.Option(None, "--db", help="tệp SQLite lưu chỉ mục (mặc định: trong bộ nhớ)"),
              select: List[str] = typer.Option([], "--select", "-s", help="chỉ chạy các mã kiểm tra này (vd citation)"),
              ignore: List[str] = typer.Option([], "--ignore", "-i", help="bỏ qua các mã kiểm tra này"),
              only_given: bool = typer.Option(True, "--only-given/--all",
                                              help="chỉ báo lỗi liên quan tới các tệp đã nêu (khi dùng --db)"),
              _d: bool = DEBUG) -> None:
    """Kiểm tra mâu thuẫn trong từng văn bản và giữa các văn bản. Mã thoát: 0 không có lỗi, 1 có lỗi, 2 lỗi đầu vào,
    3 lỗi nội bộ của docparse."""
    from .checks import load_all
    from .render import findings_json, findings_text

    unknown = [c for c in select + ignore if not any(k == c or k.startswith(c.rstrip(".*") + ".") for k in load_all())]
    if unknown:
        typer.echo(f"docparse: lỗi: mã kiểm tra không tồn tại: {', '.join(unknown)}", err=True)
        raise typer.Exit(EXIT_INPUT)
    corpus, report, batch = _indexed(paths, db)
    with corpus:
        focus = report.parsed if (db and only_given) else None
        try:
            findings = corpus.check(select=select or None, ignore=ignore or None, focus=focus)
        except Exception as exc:  # noqa: BLE001 - only with --debug: the guard lets a check's bug through
            err = InternalError(str(db or "<check>"), exc)
            _report_failure(err.path, err)
            raise typer.Exit(EXIT_INTERNAL)
        batch.note_internal("kiểm tra", getattr(corpus, "notices", []))
        _report_internal(batch)
        if fmt is Format.text:
            findings_text(findings, batch.summary(), len(corpus), lambda doc_id: corpus.document(doc_id).text)
        else:
            typer.echo(findings_json(findings, batch.summary(), fmt is Format.jsonl))
    raise typer.Exit(batch.exit_code(any(f.severity == "error" for f in findings)))


@app.command("refs")
def refs_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
             fmt: Format = typer.Option(Format.text, "--format", "-f"),
             db: Optional[Path] = typer.Option(None, "--db"),
             _d: bool = DEBUG) -> None:
    """Liệt kê từng văn bản được viện dẫn, với mọi nơi và mọi cách nó được viện dẫn."""
    from .render import refs_text

    corpus, _, batch = _indexed(paths, db)
    with corpus:
        refs = corpus.refs()
    _report_internal(batch)
    if not refs and batch.failed:  # nothing was read: the errors above say why, an empty table says nothing
        raise typer.Exit(batch.exit_code())
    if fmt is Format.text:  # the assumed authority beside the code: one local code of two provinces is two rows
        from .identity import authority_name

        refs_text([{**r, "forms": [" / ".join(r["forms"]) + (f" — {authority_name(r['key']['authority'])}"
                                                              if r["key"].get("authority") else "")]}
                   if r["forms"] else r for r in refs])
    else:
        typer.echo(json.dumps(refs, ensure_ascii=False, indent=None if fmt is Format.jsonl else 2))
    raise typer.Exit(batch.exit_code())


class TaskFormat(str, Enum):
    json = "json"
    csv = "csv"


TASK_COLUMNS = ["source", "table", "group", "index", "title", "lead", "lead_canonical", "coordinators",
                "coordinators_canonical", "product", "deadline_text", "deadline_start", "deadline_end", "status",
                "result", "assigning_document", "note", "citations", "span_start", "span_end"]


@app.command("tasks")
def tasks_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
              fmt: TaskFormat = typer.Option(TaskFormat.json, "--format", "-f", help="json | csv (UTF-8 có BOM, mở được bằng Excel)"),
              output: Optional[Path] = typer.Option(None, "--output", "-o", help="ghi ra tệp thay vì màn hình"),
              _d: bool = DEBUG) -> None:
    """Trích các bảng nhiệm vụ (TT | Nhiệm vụ | Chủ trì | Phối hợp | … | Thời hạn) thành danh sách nhiệm vụ."""
    import csv
    import io

    inputs = _Inputs(paths)
    rows = [(doc.source, t) for doc in inputs for t in doc.tasks]
    if fmt is TaskFormat.json:
        text = json.dumps([{"document": src, **t.model_dump(mode="json")} for src, t in rows], ensure_ascii=False,
                          indent=2)
    else:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["document"] + TASK_COLUMNS)
        for src, t in rows:
            d = t.deadline
            w.writerow([src, t.source, t.table, t.group, t.index, t.title, t.lead, t.lead_canonical,
                        "; ".join(t.coordinators), "; ".join(c or "" for c in t.coordinators_canonical), t.product,
                        t.deadline_text, d.start if d else None, d.end if d else None, t.status, t.result,
                        t.assigning_document, t.note,
                        "; ".join(t.citations), t.span.start, t.span.end])
        text = "\ufeff" + buf.getvalue()
    if output:
        output.write_text(text, encoding="utf-8", newline="")
    else:
        typer.echo(text, nl=fmt is TaskFormat.json)
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


@app.command("schema")
def schema_cmd() -> None:
    """In JSON Schema của bản ghi Document."""
    typer.echo(json.dumps(Document.model_json_schema(), ensure_ascii=False, indent=2))


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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
