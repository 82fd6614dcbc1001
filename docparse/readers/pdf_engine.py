"""Which library reads PDFs: "pdfminer" (pdfminer.six, the default, pure Python) or "pdfium" (pypdfium2, the
`fast-pdf` extra: the same lines and geometry at several times the pages per second, readers/pdf_pdfium.py).

The engine comes from `parse(..., pdf_engine=)`, the CLI's `--pdf-engine` (through DOCPARSE_PDF_ENGINE, so worker
processes read PDFs the same way), or DOCPARSE_PDF_ENGINE; an unknown value in the environment means the default.
"""
from __future__ import annotations

import contextlib
import os
from contextvars import ContextVar

from .base import SourceText

ENGINES = ("pdfminer", "pdfium")
DEFAULT = "pdfminer"

_engine: ContextVar[str | None] = ContextVar("docparse_pdf_engine", default=None)


def check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise ValueError(f"pdf_engine phải là một trong {', '.join(ENGINES)}, không phải {engine!r}")
    return engine


def pdf_engine() -> str:
    """The engine in force: the innermost `using_pdf_engine`, else DOCPARSE_PDF_ENGINE, else pdfminer."""
    engine = _engine.get() or os.environ.get("DOCPARSE_PDF_ENGINE", "").strip().lower() or DEFAULT
    return engine if engine in ENGINES else DEFAULT


@contextlib.contextmanager
def using_pdf_engine(engine: str | None):
    """Readers called inside use this engine (None: leave the engine in force)."""
    token = _engine.set(check_engine(engine)) if engine is not None else None
    try:
        yield
    finally:
        if token is not None:
            _engine.reset(token)


def read_any_pdf(data: bytes, path: str | None = None) -> SourceText:
    """The PDF read by the engine in force."""
    if pdf_engine() == "pdfium":
        from .pdf_pdfium import read_pdf_pdfium

        return read_pdf_pdfium(data, path)
    from .pdf import read_pdf

    return read_pdf(data, path)
