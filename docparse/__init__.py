"""docparse: Vietnamese administrative documents → validated records with spans.

    >>> import docparse
    >>> doc = docparse.parse("samples/bc_cchc_2025.txt")
    >>> [c.code for c in doc.citations][:3]
"""
from .errors import (CorruptFileError, DocparseError, EmptyDocumentError, EncryptedPDFError, FileReadError,
                     FileTooLargeError, ScannedPDFError, UnsupportedFormatError)
from .pipeline import parse, parse_text
from .schema import Citation, DateMention, Document, Header, Notice, Section, Signer, Span

__version__ = "0.1.0"
__all__ = ["parse", "parse_text", "Document", "Header", "Citation", "DateMention", "Section", "Signer", "Span",
           "Notice", "DocparseError", "UnsupportedFormatError", "FileReadError", "FileTooLargeError",
           "EmptyDocumentError", "CorruptFileError", "EncryptedPDFError", "ScannedPDFError"]
