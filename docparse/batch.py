"""Batches: every input ends as parsed or failed, one bad input never stops the others, and the exit code says which.

An input fails with its DocparseError (unreadable, corrupt, too large, …) or, for a bug, with an InternalError that
keeps the original exception's class and traceback. A parsed document whose extractor or check failed inside the
per-layer guard (an "internal.error" notice) is kept, and counted as an internal error too.

Exit codes, highest first: 3 an internal error (a bug in docparse), 2 an input that could not be read or a usage
error, 1 error-severity findings, 0 none of these. An internal error is never reported as findings.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .errors import DocparseError, FileReadError, InternalError
from .guard import TIME_EXCEEDED
from .schema import Document, Notice

SUFFIXES = (".txt", ".md", ".pdf", ".docx")
NOT_DOCUMENTS = ("README", "CHANGELOG", "LICENSE")  # a folder's own notes are not documents
INTERNAL = "internal"
EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


class EmptyFolderError(FileReadError):
    """A folder given as input that holds no document docparse reads: nothing to do is not a success."""

    code = "empty_folder"


def expand(paths: list[str]) -> tuple[list[str], list[DocparseError]]:
    """Files to read, in order (folders recursively, sorted); each folder with nothing to read is an error."""
    files: list[str] = []
    empty: list[DocparseError] = []
    for p in paths:
        if p != "-" and Path(p).is_dir():
            found = [str(f) for f in sorted(Path(p).rglob("*")) if f.suffix.lower() in SUFFIXES and f.is_file()
                     and not f.name.upper().startswith(NOT_DOCUMENTS)]
            if not found:
                empty.append(EmptyFolderError(p, "thư mục không có văn bản nào để đọc (.txt, .md, .pdf, .docx)"))
            files.extend(found)
        else:
            files.append(p)
    return files, empty


def as_failure(path: str, exc: BaseException) -> DocparseError:
    """The typed error an input failed with: its own DocparseError, an OSError as unreadable, anything else a bug."""
    if isinstance(exc, DocparseError):
        return exc
    if isinstance(exc, OSError):
        return FileReadError(path, f"không đọc được tệp ({exc.strerror or exc})")
    return InternalError(path, exc)


def internal_notices(doc: Document) -> list[Notice]:
    return [n for n in doc.notices if n.code.startswith(INTERNAL)]


def failure_record(path: str, err: DocparseError) -> dict:
    """A failed input as JSON: class, stable code, Vietnamese message (and the exception class of a bug)."""
    out = {"path": path, "error": type(err).__name__, "code": err.code, "message": err.reason}
    if isinstance(err, InternalError):
        out["exception"] = err.exc_type
    return out


@dataclass
class Batch:
    """What happened to each input of one command: failures in order, and the internal errors that did not cost the
    input (an extractor or a check that failed inside the guard of a parsed document)."""

    failed: list[tuple[str, DocparseError]] = field(default_factory=list)
    internal: list[str] = field(default_factory=list)  # one line per failed layer: "where: message"
    parsed: int = 0

    def fail(self, path: str, err: DocparseError) -> None:
        self.failed.append((path, err))

    def note_internal(self, where: str, notices: list[Notice]) -> None:
        """Checks that failed or ran out of time; other notices of the checks (a capped list of findings) are not bugs."""
        self.internal.extend(f"{where}: {n.message}" for n in notices if n.code.startswith(INTERNAL)
                             or n.code == TIME_EXCEEDED)

    @property
    def bugs(self) -> int:
        """Internal errors of every kind: inputs lost to a bug, and failed layers inside parsed inputs."""
        return len(self.internal) + sum(isinstance(e, InternalError) for _, e in self.failed)

    def exit_code(self, error_findings: bool = False) -> int:
        if self.bugs:
            return EXIT_INTERNAL
        if self.failed:
            return EXIT_INPUT
        return EXIT_FINDINGS if error_findings else EXIT_OK

    def summary(self) -> dict:
        return {"documents": self.parsed, "failed": [failure_record(p, e) for p, e in self.failed],
                "internal_errors": self.internal}


def load(path: str, entities: str = "rules") -> Document:
    """One input: a file, or "-" for stdin (bytes decoded like a .txt file)."""
    from .pipeline import build_document, parse

    if path == "-":
        from .readers.base import read_stream
        from .readers.txt import read_txt_bytes

        src = read_txt_bytes(read_stream(sys.stdin.buffer), "<stdin>")  # bounded: an endless pipe stops at the limit
        src.format = "text"
        return build_document(src, entities)
    return parse(path, entities=entities)


def load_packed(task: tuple[str, str]) -> tuple:
    """In a worker: ("ok", the Document as JSON) or ("failed", packed error); never raises."""
    from .parallel import pack_error

    path, entities = task
    try:
        return "ok", load(path, entities).model_dump_json()
    except Exception as exc:  # noqa: BLE001 - every input ends as parsed or failed, never lost
        return "failed", pack_error(path, exc)


def documents(batch: Batch, paths: list[str], entities: str = "rules", *, on_failure=None, jobs: int = 1,
              progress=None) -> Iterator[Document]:
    """Parsed documents of the inputs, in order; each failure goes to `batch` (and `on_failure(path, err)`, for a
    stream). With jobs > 1 the inputs are parsed in that many processes (stdin here), at most a few per process
    ahead of the consumer. `progress(path, ok)` after each input. Only an interrupt (Ctrl-C) stops the batch."""
    from .parallel import ordered_map, unpack_error

    files, empty = expand(paths)
    for err in empty:
        batch.fail(err.path, err)
        if on_failure:
            on_failure(err.path, err)
    if jobs <= 1 or len(files) < 2:
        results = ((p, None) for p in files)
    else:
        results = ordered_map(load_packed, files, jobs, needs_work=lambda p: p != "-", arg=lambda p: (p, entities))
    for path, result in results:
        name = "<stdin>" if path == "-" else path
        try:
            if result is None:
                doc = load(path, entities)
            elif result[0] == "ok":
                doc = Document.model_validate_json(result[1])
            else:
                raise unpack_error(result[1])
        except Exception as exc:  # noqa: BLE001 - every input ends as parsed or failed, never lost
            err = as_failure(name, exc)
            batch.fail(name, err)
            if on_failure:
                on_failure(name, err)
            if progress:
                progress(name, False)
            continue
        batch.parsed += 1
        batch.note_internal(path, internal_notices(doc))
        if progress:
            progress(name, True)
        yield doc
