"""Command line: thin wrappers over the public API. Exit 0 on success, 2 when an input could not be read."""
from __future__ import annotations

import json
import sys
from collections import Counter
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from . import __version__
from .errors import DocparseError
from .pipeline import parse
from .render import summary
from .schema import Document

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="docparse: đọc văn bản hành chính Việt Nam thành dữ liệu có cấu trúc.")


class Format(str, Enum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


class Entities(str, Enum):
    rules = "rules"
    model = "model"
    hybrid = "hybrid"


def _load(path: str, entities: str = "rules") -> Document:
    if path == "-":
        data = sys.stdin.buffer.read()
        from .readers.txt import read_txt_bytes
        from .pipeline import build_document

        src = read_txt_bytes(data, "<stdin>")
        src.format = "text"
        return build_document(src, entities)
    return parse(path, entities=entities)


class _Inputs:
    """Parsed documents of the given paths, in order; each unreadable input is reported on stderr and counted."""

    def __init__(self, paths: List[str], entities: str = "rules"):
        self.paths = paths
        self.failed = 0
        self.entities = entities

    def __iter__(self):
        for path in _expand(self.paths):
            try:
                yield _load(path, self.entities)
            except DocparseError as e:
                self.failed += 1
                typer.echo(f"docparse: lỗi: {e.path}: {e.reason}", err=True)
            except OSError as e:
                self.failed += 1
                typer.echo(f"docparse: lỗi: {path}: {e}", err=True)


def _expand(paths: List[str]) -> List[str]:
    out = []
    for p in paths:
        if p != "-" and Path(p).is_dir():
            out.extend(str(f) for f in sorted(Path(p).rglob("*")) if f.suffix.lower() in (".txt", ".md", ".pdf", ".docx")
                       and f.is_file() and not f.name.upper().startswith(("README", "CHANGELOG", "LICENSE")))
        else:
            out.append(p)
    return out


@app.command("parse")
def parse_cmd(paths: List[str] = typer.Argument(..., help="tệp .txt/.md/.pdf/.docx, thư mục, hoặc - (stdin)"),
              fmt: Format = typer.Option(Format.json, "--format", "-f", help="json | jsonl | text"),
              no_text: bool = typer.Option(False, "--no-text", help="bỏ trường text (toàn văn) khỏi JSON"),
              entities: Entities = typer.Option(Entities.rules, "--entities",
                                                help="rules (nhanh) | model | hybrid: dùng mô hình trong models/ner")
              ) -> None:
    """Phân tích văn bản và in kết quả (JSON cho máy, text cho người đọc)."""
    docs = []
    inputs = _Inputs(paths, entities.value)
    for doc in inputs:
        data = doc.model_dump(mode="json", exclude={"text"} if no_text else None)
        if fmt is Format.jsonl:
            typer.echo(json.dumps(data, ensure_ascii=False))
        elif fmt is Format.text:
            typer.echo(summary(doc))
        else:
            docs.append(data)
    if fmt is Format.json and docs:
        typer.echo(json.dumps(docs[0] if len(docs) == 1 and len(paths) == 1 and not Path(paths[0]).is_dir() else docs,
                              ensure_ascii=False, indent=2))
    raise typer.Exit(2 if inputs.failed else 0)


@app.command("check")
def check_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
              fmt: Format = typer.Option(Format.text, "--format", "-f", help="text (báo cáo cho người) | json | jsonl"),
              db: Optional[Path] = typer.Option(None, "--db", help="tệp SQLite lưu chỉ mục (mặc định: trong bộ nhớ)"),
              select: List[str] = typer.Option([], "--select", "-s", help="chỉ chạy các mã kiểm tra này (vd citation)"),
              ignore: List[str] = typer.Option([], "--ignore", "-i", help="bỏ qua các mã kiểm tra này"),
              only_given: bool = typer.Option(True, "--only-given/--all",
                                              help="chỉ báo lỗi liên quan tới các tệp đã nêu (khi dùng --db)")) -> None:
    """Kiểm tra mâu thuẫn trong từng văn bản và giữa các văn bản. Mã thoát: 0 không có lỗi, 1 có lỗi, 2 lỗi đầu vào."""
    from .checks import load_all
    from .corpus import Corpus
    from .render import findings_json, findings_text

    unknown = [c for c in select + ignore if not any(k == c or k.startswith(c.rstrip(".*") + ".") for k in load_all())]
    if unknown:
        typer.echo(f"docparse: lỗi: mã kiểm tra không tồn tại: {', '.join(unknown)}", err=True)
        raise typer.Exit(2)
    files = _expand(paths)
    with Corpus(db or ":memory:") as corpus:
        report = corpus.add_many(files)
        for name, err in report.failed:
            typer.echo(f"docparse: lỗi: {name}: {err.reason}", err=True)
        focus = report.parsed if (db and only_given) else None
        findings = corpus.check(select=select or None, ignore=ignore or None, focus=focus)
        if fmt is Format.text:
            findings_text(findings, report, len(corpus), lambda doc_id: corpus.document(doc_id).text)
        else:
            typer.echo(findings_json(findings, report, fmt is Format.jsonl))
    if report.failed:
        raise typer.Exit(2)
    raise typer.Exit(1 if any(f.severity == "error" for f in findings) else 0)


@app.command("refs")
def refs_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
             fmt: Format = typer.Option(Format.text, "--format", "-f"),
             db: Optional[Path] = typer.Option(None, "--db")) -> None:
    """Liệt kê từng văn bản được viện dẫn, với mọi nơi và mọi cách nó được viện dẫn."""
    from .corpus import Corpus
    from .render import refs_text

    with Corpus(db or ":memory:") as corpus:
        report = corpus.add_many(_expand(paths))
        for name, err in report.failed:
            typer.echo(f"docparse: lỗi: {name}: {err.reason}", err=True)
        refs = corpus.refs()
    if fmt is Format.text:  # the assumed authority beside the code: one local code of two provinces is two rows
        from .identity import authority_name

        refs_text([{**r, "forms": [" / ".join(r["forms"]) + (f" — {authority_name(r['key']['authority'])}"
                                                              if r["key"].get("authority") else "")]}
                   if r["forms"] else r for r in refs])
    else:
        typer.echo(json.dumps(refs, ensure_ascii=False, indent=None if fmt is Format.jsonl else 2))
    raise typer.Exit(2 if report.failed else 0)


class TaskFormat(str, Enum):
    json = "json"
    csv = "csv"


TASK_COLUMNS = ["source", "table", "group", "index", "title", "lead", "lead_canonical", "coordinators",
                "coordinators_canonical", "product", "deadline_text", "deadline_start", "deadline_end", "status",
                "result", "assigning_document", "note", "citations", "span_start", "span_end"]


@app.command("tasks")
def tasks_cmd(paths: List[str] = typer.Argument(..., help="tệp hoặc thư mục (đệ quy)"),
              fmt: TaskFormat = typer.Option(TaskFormat.json, "--format", "-f", help="json | csv (UTF-8 có BOM, mở được bằng Excel)"),
              output: Optional[Path] = typer.Option(None, "--output", "-o", help="ghi ra tệp thay vì màn hình")) -> None:
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
    raise typer.Exit(2 if inputs.failed else 0)


@app.command("export-spacy")
def export_spacy_cmd(paths: List[str] = typer.Argument(..., help="tệp .txt/.md/.pdf/.docx, thư mục, hoặc - (stdin)"),
                     output: Path = typer.Option(..., "--output", "-o", help="tệp DocBin cần ghi, vd corpus.spacy")) -> None:
    """Xuất văn bản thành DocBin của spaCy (doc.spans["docparse"], doc.ents, bản ghi Document) để gán nhãn, huấn luyện."""
    from . import spacy_component as dsc

    nlp = dsc.blank_vietnamese()
    inputs = _Inputs(paths)
    docbin = dsc.to_docbin(inputs, nlp)
    if not len(docbin) and inputs.failed:
        typer.echo(f"docparse: lỗi: không đọc được văn bản nào; không ghi {output}", err=True)
        raise typer.Exit(2)
    output.parent.mkdir(parents=True, exist_ok=True)
    docbin.to_disk(output)
    counts = dsc.label_counts(docbin.get_docs(nlp.vocab))
    failed = f"; {inputs.failed} tệp lỗi" if inputs.failed else ""
    typer.echo(f"Đã ghi {output}: {len(docbin)} văn bản, {sum(counts.values())} nhãn ({dsc.format_counts(counts)}){failed}")
    raise typer.Exit(2 if inputs.failed else 0)


class RenderStyle(str, Enum):
    span = "span"
    ent = "ent"


@app.command("render")
def render_cmd(paths: List[str] = typer.Argument(..., help="tệp .txt/.md/.pdf/.docx, thư mục, hoặc - (stdin)"),
               output: Path = typer.Option(..., "--output", "-o", help="tệp HTML cần ghi, vd out.html"),
               style: RenderStyle = typer.Option(RenderStyle.span, "--style",
                                                 help="span: mọi nhãn, kể cả chồng nhau | ent: chỉ doc.ents")) -> None:
    """Hiển thị các nhãn (viện dẫn, ngày, số liệu, nhiệm vụ, cơ quan…) trên văn bản bằng displaCy, ghi ra tệp HTML."""
    from . import spacy_component as dsc

    nlp = dsc.blank_vietnamese()
    inputs = _Inputs(paths)
    docs = [dsc.to_doc(record, nlp) for record in inputs]
    if not docs and inputs.failed:
        typer.echo(f"docparse: lỗi: không đọc được văn bản nào; không ghi {output}", err=True)
        raise typer.Exit(2)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(dsc.render_html(docs, style=style.value), encoding="utf-8")
    if style is RenderStyle.ent:
        counts, labels = Counter(e.label_ for doc in docs for e in doc.ents), dsc.ENT_LABELS
    else:
        counts, labels = dsc.label_counts(docs), dsc.LABELS
    failed = f"; {inputs.failed} tệp lỗi" if inputs.failed else ""
    typer.echo(f"Đã ghi {output}: {len(docs)} văn bản, {sum(counts.values())} nhãn "
               f"({dsc.format_counts(counts, labels)}){failed}")
    raise typer.Exit(2 if inputs.failed else 0)


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
