"""Command line: thin wrappers over the public API. Exit 0 on success, 2 when an input could not be read."""
from __future__ import annotations

import json
import sys
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


def _load(path: str) -> Document:
    if path == "-":
        data = sys.stdin.buffer.read()
        from .readers.txt import read_txt_bytes
        from .pipeline import build_document

        src = read_txt_bytes(data, "<stdin>")
        src.format = "text"
        return build_document(src)
    return parse(path)


def _expand(paths: List[str]) -> List[str]:
    out = []
    for p in paths:
        if p != "-" and Path(p).is_dir():
            out.extend(str(f) for f in sorted(Path(p).rglob("*")) if f.suffix.lower() in (".txt", ".md", ".pdf", ".docx"))
        else:
            out.append(p)
    return out


@app.command("parse")
def parse_cmd(paths: List[str] = typer.Argument(..., help="tệp .txt/.md/.pdf/.docx, thư mục, hoặc - (stdin)"),
              fmt: Format = typer.Option(Format.json, "--format", "-f", help="json | jsonl | text"),
              no_text: bool = typer.Option(False, "--no-text", help="bỏ trường text (toàn văn) khỏi JSON")) -> None:
    """Phân tích văn bản và in kết quả (JSON cho máy, text cho người đọc)."""
    failed = 0
    docs = []
    for path in _expand(paths):
        try:
            doc = _load(path)
        except DocparseError as e:
            failed += 1
            typer.echo(f"docparse: lỗi: {e.path}: {e.reason}", err=True)
            continue
        except OSError as e:
            failed += 1
            typer.echo(f"docparse: lỗi: {path}: {e}", err=True)
            continue
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
    raise typer.Exit(2 if failed else 0)


@app.command("schema")
def schema_cmd() -> None:
    """In JSON Schema của bản ghi Document."""
    typer.echo(json.dumps(Document.model_json_schema(), ensure_ascii=False, indent=2))


@app.command("eval")
def eval_cmd(gold: Optional[Path] = typer.Option(None, help="thư mục gold (mặc định tests/gold)"),
             corpus: Optional[Path] = typer.Option(None, help="thư mục corpus (mặc định ../shared/corpus)"),
             verbose: bool = typer.Option(False, "--verbose", "-v")) -> None:
    """Đo độ chính xác (P/R/F1) so với chú giải chuẩn."""
    from .eval import main as eval_main

    argv = []
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
