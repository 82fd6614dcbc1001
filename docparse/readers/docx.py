"""DOCX: python-docx opens the package; paragraphs and tables are read in document order. A table row becomes one
tab-separated line of the text (the same shape plain-text conversions give), and the table keeps its cell grid with
spans.

A DOCX is a zip: a few hundred kilobytes can unpack to gigabytes, or to millions of XML elements. The archive's
directory and every XML part are measured (streamed, never unpacked whole) before python-docx parses anything.
Tables are walked here in one pass over the rows rather than through python-docx's cell grid, whose merged-cell
lookups are quadratic and expand a cell's gridSpan into that many grid slots (a span of ten million, ten million).
"""
from __future__ import annotations

import io
import zipfile

from ..errors import CorruptFileError, EmptyDocumentError, ResourceLimitError
from ..schema import Cell, Span, Table
from .base import (
    MAX_DOCX_MEMBERS,
    MAX_DOCX_UNPACKED,
    MAX_DOCX_XML,
    MAX_XML_ELEMENTS,
    SourceText,
    limit,
    max_text_bytes,
    too_large_text,
)
from .txt import legacy_notice
from .vni import convert, legacy_encoding

MAX_GRID_COLS = 64  # Word allows 63 columns; a larger gridSpan is damage or an attack
_DOCTYPE = b"<!DOCTYPE"


def _check_archive(data: bytes, path: str | None) -> None:
    """ResourceLimitError when the archive would unpack past the limits; CorruptFileError for a DTD (which a
    DOCX never has: it is how entity-expansion bombs start). The sizes in the directory are read first; each XML
    part is then streamed, so a member that lies about its size is stopped at the limit too."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise CorruptFileError(path, f"DOCX bị hỏng hoặc không phải DOCX ({type(e).__name__})") from e
    max_unpacked = limit("MAX_DOCX_UNPACKED", MAX_DOCX_UNPACKED)
    max_xml = limit("MAX_DOCX_XML", MAX_DOCX_XML)
    max_elements = limit("MAX_XML_ELEMENTS", MAX_XML_ELEMENTS)
    with zf:
        members = zf.infolist()
        if len(members) > limit("MAX_DOCX_MEMBERS", MAX_DOCX_MEMBERS):
            raise ResourceLimitError(path, f"DOCX có quá nhiều thành phần ({len(members)} tệp trong gói)")
        xml = [m for m in members if m.filename.lower().endswith((".xml", ".rels"))]
        for total, cap in ((sum(m.file_size for m in members), max_unpacked), (sum(m.file_size for m in xml), max_xml)):
            if total > cap:
                raise ResourceLimitError(path, f"DOCX giải nén ra quá lớn ({total / 1e6:.0f} MB > {cap / 1e6:.0f} MB):"
                                               " có thể là bom nén")
        unpacked = elements = 0
        for m in xml:
            try:
                with zf.open(m) as f:
                    tail = b""
                    while chunk := f.read(1 << 20):
                        unpacked += len(chunk)
                        if unpacked > max_xml:
                            raise ResourceLimitError(path, "DOCX giải nén ra quá lớn so với kích thước khai báo: "
                                                           "có thể là bom nén")
                        elements += chunk.count(b"<")
                        if elements > max_elements:
                            raise ResourceLimitError(path, f"DOCX có quá nhiều phần tử XML (hơn {max_elements:,})"
                                                     .replace(",", "."))
                        if _DOCTYPE in tail + chunk[:len(_DOCTYPE)] or _DOCTYPE in chunk:
                            raise CorruptFileError(path, f"DOCX chứa khai báo DOCTYPE trong {m.filename}: "
                                                         "không phải tệp Word hợp lệ")
                        tail = chunk[-len(_DOCTYPE):]
            except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError,
                    RuntimeError) as e:  # a damaged member, an unknown compression, an encrypted member
                raise CorruptFileError(path, f"DOCX bị hỏng ({m.filename}: {type(e).__name__})") from e


def _int_attr(el, name: str, default: int, hi: int) -> int:
    """An integer attribute clamped to [0, hi]; the default when missing or not a number."""
    raw = el.get(name) if el is not None else None
    if raw is None:
        return default
    raw = raw.strip()
    return min(int(raw), hi) if raw.isascii() and raw.isdigit() and len(raw) < 12 else default


def read_docx(data: bytes, path: str | None = None) -> SourceText:
    _check_archive(data, path)
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise CorruptFileError(path, f"DOCX bị hỏng hoặc không phải DOCX ({type(e).__name__})") from e
    except Exception as e:  # python-docx raises PackageNotFoundError and lxml errors
        raise CorruptFileError(path, f"DOCX không đọc được ({type(e).__name__}: {str(e)[:120]})") from e

    body = document.element.find(qn("w:body"))
    if body is None:
        raise CorruptFileError(path, "DOCX không có phần thân văn bản (<w:body>)")
    names = _Names(qn)
    text, tables = _body_text(body, names, path)
    legacy = legacy_encoding(text)
    if legacy:  # set in a VNI or TCVN3 font: each paragraph and cell converted, so the spans hold
        names.convert = lambda t: convert(t, legacy)
        text, tables = _body_text(body, names, path)
    if not text.strip():
        raise EmptyDocumentError(path, "DOCX không có nội dung văn bản")
    src = SourceText(text=text, format="docx", path=path, tables=tables)
    if legacy:
        src.notices.append(legacy_notice(legacy))
    return src


def _body_text(body, names: _Names, path: str | None) -> tuple[str, list[Table]]:
    parts: list[str] = []
    pos = 0
    tables: list[Table] = []
    cap = max_text_bytes()
    for child in body.iterchildren():
        if pos > cap:  # each character is a byte or more: stop before building all of it
            raise too_large_text(path, cap)
        if child.tag == names.p:
            t = names.paragraph_text(child)
            parts.append(t + "\n")
            pos += len(t) + 1
        elif child.tag == names.tbl:
            pos = _table(child, names, parts, pos, tables)
    return "".join(parts), tables


class _Names:
    """Clark names of the WordprocessingML tags the reader looks at."""

    def __init__(self, qn):
        for tag in ("p", "tbl", "tr", "tc", "trPr", "tcPr", "gridBefore", "gridSpan", "vMerge", "val", "r",
                    "hyperlink", "t", "br", "type"):
            setattr(self, tag, qn(f"w:{tag}"))
        self.fixed = {qn("w:tab"): "\t", qn("w:ptab"): "\t", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
        self.convert = None  # a legacy-encoding converter for text set in a VNI or TCVN3 font

    def paragraph_text(self, p) -> str:
        """What python-docx's Paragraph.text gives (runs and hyperlinks' runs; tabs, breaks, no-break hyphens),
        read from the children directly: its per-paragraph XPath costs 12 µs, a minute on a million paragraphs."""
        out: list[str] = []
        for e in p:
            if e.tag == self.r:
                self._run(e, out)
            elif e.tag == self.hyperlink:
                for r in e:
                    if r.tag == self.r:
                        self._run(r, out)
        return self.convert("".join(out)) if self.convert else "".join(out)

    def _run(self, r, out: list[str]) -> None:
        for e in r:
            tag = e.tag
            if tag == self.t:
                out.append(e.text or "")
            elif tag == self.br:
                out.append("\n" if e.get(self.type, "textWrapping") == "textWrapping" else "")
            elif tag in self.fixed:
                out.append(self.fixed[tag])


def _table(tbl, n: _Names, parts: list[str], pos: int, tables: list[Table]) -> int:
    """One table: each row a tab-separated line. A cell spanning columns is written once; a cell merged down
    from the row above (vMerge "continue") writes an empty field per grid column and widens the first row's cell.
    `c` counts the row's grid slots from its first cell (gridBefore slots are not written)."""
    start = pos
    cells: list[Cell] = []
    n_cols = 0
    above: dict[int, tuple] = {}  # grid offset → (record, span) of the cell whose content fills it, previous row
    rows = [tr for tr in tbl.iterchildren(n.tr)]
    for r, tr in enumerate(rows):
        trpr = tr.find(n.trPr)
        offset = _int_attr(trpr.find(n.gridBefore) if trpr is not None else None, n.val, 0, MAX_GRID_COLS)
        here: dict[int, tuple] = {}
        c = 0
        first = True
        for tc in tr.iterchildren(n.tc):
            tcpr = tc.find(n.tcPr)
            span = max(1, _int_attr(tcpr.find(n.gridSpan) if tcpr is not None else None, n.val, 1, MAX_GRID_COLS))
            merge = tcpr.find(n.vMerge) if tcpr is not None else None
            root = above.get(offset) if merge is not None and merge.get(n.val, "continue") == "continue" else None
            if root is not None:  # a continuation: the cell above owns the content, and its width
                record, width = root
                record.row_span = max(record.row_span, r - record.row + 1)
                for _ in range(width):
                    if not first:
                        parts.append("\t")
                        pos += 1
                    first = False
                    c += 1
            else:
                text = " ".join(" ".join(t.split()) for p in tc.iterchildren(n.p) if (t := n.paragraph_text(p)).strip())
                if not first:
                    parts.append("\t")
                    pos += 1
                first = False
                record, width = Cell(row=r, col=c, text=text, span=Span(start=pos, end=pos + len(text))), span
                record.col_span = max(record.col_span, span)
                cells.append(record)
                parts.append(text)
                pos += len(text)
                c += span
            here[offset] = (record, width)
            offset += span  # the next cell starts after this one's own span, as Word lays out the grid
        n_cols = max(n_cols, c)
        parts.append("\n")
        pos += 1
        above = here
    tables.append(Table(n_rows=len(rows), n_cols=n_cols, cells=cells, span=Span(start=start, end=pos)))
    return pos
