"""docparse: Vietnamese administrative documents → validated records with spans.

    >>> import docparse
    >>> doc = docparse.parse("samples/bc_cchc_2025.txt")
    >>> [c.code for c in doc.citations][:3]
"""
from .errors import (CorruptFileError, DocparseError, EmptyDocumentError, EncryptedPDFError, FileReadError,
                     FileTooLargeError, ScannedPDFError, UnsupportedFormatError)
from .pipeline import parse, parse_text
from .schema import Citation, DateMention, Document, Evidence, Finding, Header, Notice, Section, Signer, Span


def check(docs, *, select=None, ignore=None) -> list[Finding]:
    """Findings for one Document, a list of Documents or of paths, checked together as a corpus (in memory).
    Paths that cannot be read raise their DocparseError; use Corpus.add_many to collect failures instead."""
    from .corpus import Corpus

    items = [docs] if isinstance(docs, Document) else list(docs)
    with Corpus() as corpus:
        for item in items:
            corpus.add(item)
        return corpus.check(select=select, ignore=ignore)


def __getattr__(name):  # Corpus is imported lazily: sqlite is not needed to parse
    if name == "Corpus":
        from .corpus import Corpus

        return Corpus
    raise AttributeError(name)


__version__ = "0.2.0"
__all__ = ["parse", "parse_text", "check", "Corpus", "Finding", "Evidence", "Document", "Header", "Citation",
           "DateMention", "Section", "Signer", "Span", "Notice", "DocparseError", "UnsupportedFormatError", "FileReadError", "FileTooLargeError",
           "EmptyDocumentError", "CorruptFileError", "EncryptedPDFError", "ScannedPDFError"]
