"""Typed errors: every failure names the file and the cause, so a batch can report it and go on."""
from __future__ import annotations


class DocparseError(Exception):
    """Base class. `path` is the file (or "<text>"), `reason` a Vietnamese sentence for people."""

    code = "error"

    def __init__(self, path: str | None, reason: str):
        self.path = path or "<text>"
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFormatError(DocparseError):
    code = "unsupported_format"


class FileReadError(DocparseError):
    code = "unreadable"


class FileTooLargeError(DocparseError):
    code = "too_large"


class EmptyDocumentError(DocparseError):
    code = "empty"


class CorruptFileError(DocparseError):
    code = "corrupt"


class EncryptedPDFError(DocparseError):
    code = "encrypted"


class ScannedPDFError(DocparseError):
    code = "no_text_layer"
