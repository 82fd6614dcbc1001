"""DOCX through python-docx: paragraphs and tables in document order. A table row becomes one tab-separated
line of the text (the same shape plain-text conversions give), and the table keeps its cell grid with spans."""
from __future__ import annotations

import io
import zipfile

from ..errors import CorruptFileError, EmptyDocumentError
from ..schema import Cell, Span, Table
from .base import SourceText


def _cell_text(cell) -> str:
    return " ".join(" ".join(p.text.split()) for p in cell.paragraphs if p.text.strip())


def read_docx(data: bytes, path: str | None = None) -> SourceText:
    try:
        import docx
        from docx.oxml.ns import qn
        from docx.table import Table as DocxTable
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise CorruptFileError(path, f"DOCX bị hỏng hoặc không phải DOCX ({type(e).__name__})") from e
    except Exception as e:  # python-docx raises PackageNotFoundError and lxml errors
        raise CorruptFileError(path, f"DOCX không đọc được ({type(e).__name__}: {str(e)[:120]})") from e

    parts: list[str] = []
    pos = 0
    tables: list[Table] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            t = Paragraph(child, document).text
            parts.append(t + "\n")
            pos += len(t) + 1
        elif child.tag == qn("w:tbl"):
            table = DocxTable(child, document)
            start = pos
            seen: dict = {}  # keyed by the <w:tc> element itself: id() values are reused once python-docx drops proxies
            cells: list[Cell] = []
            n_cols = 0
            for r, row in enumerate(table.rows):
                row_cells = row.cells
                n_cols = max(n_cols, len(row_cells))
                first = True
                for c, cell in enumerate(row_cells):
                    key = cell._tc
                    if key in seen:
                        known = seen[key]
                        if known.row == r:
                            known.col_span = max(known.col_span, c - known.col + 1)
                            continue
                        known.row_span = max(known.row_span, r - known.row + 1)
                        text = ""
                    else:
                        text = _cell_text(cell)
                    if not first:
                        parts.append("\t")
                        pos += 1
                    first = False
                    if key not in seen:
                        record = Cell(row=r, col=c, text=text, span=Span(start=pos, end=pos + len(text)))
                        seen[key] = record
                        cells.append(record)
                    parts.append(text)
                    pos += len(text)
                parts.append("\n")
                pos += 1
            tables.append(Table(n_rows=len(table.rows), n_cols=n_cols, cells=cells, span=Span(start=start, end=pos)))
    text = "".join(parts)
    if not text.strip():
        raise EmptyDocumentError(path, "DOCX không có nội dung văn bản")
    return SourceText(text=text, format="docx", path=path, tables=tables)
