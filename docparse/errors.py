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


class NotRegularFileError(FileReadError):
    """A FIFO, a device, a socket, or a link to one: reading it could block forever or never end."""

    code = "not_regular_file"


class NotTextError(DocparseError):
    """Bytes named .txt/.md that are no text in any encoding docparse reads (binary data)."""

    code = "not_text"


class ResourceLimitError(FileTooLargeError):
    """A file inside the limits on disk that would exceed them once unpacked (a DOCX bomb, millions of elements)."""

    code = "resource_limit"


class IndexFileError(DocparseError):
    """The --db index cannot be used: not SQLite, damaged, not docparse's, or not writable."""

    code = "index_unusable"


class InternalError(DocparseError):
    """A bug, not bad input: an exception other than a DocparseError while reading or parsing one input. A batch
    records it as that input's failure and goes on; `exc_type` and `traceback` say where it came from."""

    code = "internal"

    def __init__(self, path: str | None, exc: BaseException):
        import traceback

        self.exc_type = type(exc).__name__
        self.traceback = "".join(traceback.format_exception(exc))
        detail = str(exc)[:300]
        super().__init__(path, f"lỗi nội bộ của docparse ({self.exc_type}{': ' + detail if detail else ''}); "
                               "hãy báo lỗi kèm tệp này")
