"""PDF through pdfminer.six: lines in reading order with their geometry; rows of a table keep their cells
tab-separated; running headers, footers and page numbers repeated on pages are dropped from the text."""
from __future__ import annotations

import io
import re
import zlib
from collections import Counter

from ..errors import (
    CorruptFileError,
    EmptyDocumentError,
    EncryptedPDFError,
    ResourceLimitError,
    ScannedPDFError,
)
from ..schema import Cell, Line, Notice, Page, Span, Table
from .base import SourceText, limit
from .ocr import ocr_mode, ocr_pages
from .ocr_repair import repair

MAX_PAGES = 3000
# pdfminer inserts a space between two characters of a line further apart than this share of their width (0.1 by
# default). PDFs that place each word without a space glyph, with gaps of 0.03-0.3 em (justified or kerned text),
# came out with 10 % of their words glued at 0.1 ("số63", "CPngày"), none from 0.06 em up at 0.03 and 5 in 2 300
# at 0.03-0.08 em; no word was split on the samples' PDFs nor on PDFs LibreOffice exported from the samples' DOCX.
WORD_MARGIN = 0.03
_BAND = 0.08
_PAGE_NUMBER = re.compile(r"^(?:Trang\s*)?\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.IGNORECASE)


def _furniture_key(s: str) -> str:
    return re.sub(r"\d+", "#", " ".join(s.split()).lower())


def _page_lines(layout):
    """Text lines and the cell boxes (rectangles) drawn on the page."""
    from pdfminer.layout import LTImage, LTRect, LTTextContainer, LTTextLine

    out, boxes, images = [], [], []

    def walk(obj):
        if isinstance(obj, LTImage):
            images.append(obj.width * obj.height)
            return
        if isinstance(obj, LTTextLine):
            t = obj.get_text().strip()
            if t:
                out.append((t, obj.x0, obj.y0, obj.x1, obj.y1))
            return
        if isinstance(obj, LTRect):
            if obj.width > 4 and obj.height > 4:
                boxes.append((round(obj.x0, 1), round(obj.y0, 1), round(obj.x1, 1), round(obj.y1, 1)))
            return
        if isinstance(obj, LTTextContainer) or hasattr(obj, "__iter__"):
            try:
                for child in obj:
                    walk(child)
            except TypeError:
                pass

    walk(layout)
    return out, sorted(set(boxes)), sum(images)


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _table_rows(lines, boxes):
    """Ruled tables: each text line goes to the cell box holding its centre; each row of boxes becomes one pseudo
    line "cell\tcell\t…" aligned on the table's column slots, so wrapped cells come back whole."""
    if len(boxes) < 4:
        return lines, []
    area = lambda b: (b[2] - b[0]) * (b[3] - b[1])  # noqa: E731
    inside: dict[tuple, list] = {}
    rest = []
    for ln in lines:
        cx, cy = (ln[1] + ln[3]) / 2, (ln[2] + ln[4]) / 2
        holders = [b for b in boxes if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]]
        if holders:
            inside.setdefault(min(holders, key=area), []).append(ln)
        else:
            rest.append(ln)
    cells = [b for b in boxes if not any(o != b and b[0] <= o[0] and o[2] <= b[2] and b[1] <= o[1] and o[3] <= b[3]
                                         for o in boxes)]  # drop frames that enclose other boxes
    slots = _cluster([b[0] for b in cells])
    pseudo = []
    for top in _cluster([b[3] for b in cells], 2.0)[::-1]:
        row_boxes = [b for b in cells if abs(b[3] - top) <= 2.0]
        texts = [""] * len(slots)
        for b in row_boxes:
            col = min(range(len(slots)), key=lambda i: abs(slots[i] - b[0]))
            parts = sorted(inside.get(b, []), key=lambda l: (-l[4], l[1]))
            texts[col] = " ".join(" ".join(p[0].split()) for p in parts)
        if any(texts):
            bottom = min(b[1] for b in row_boxes)
            pseudo.append(("\t".join(texts), min(b[0] for b in row_boxes), bottom, max(b[2] for b in row_boxes), top))
    return rest, pseudo


def _table(grid: list[tuple[int, str]], page: int) -> Table:
    """A ruled table of one page, from its rows as written to the text: cells and spans as the DOCX reader gives."""
    cells = []
    for r, (at, line) in enumerate(grid):
        for c, text in enumerate(line.split("\t")):
            cells.append(Cell(row=r, col=c, text=text, span=Span(start=at, end=at + len(text))))
            at += len(text) + 1
    start, (last, line) = grid[0][0], grid[-1]
    return Table(n_rows=len(grid), n_cols=max(line.count("\t") + 1 for _, line in grid), cells=cells, page=page,
                 span=Span(start=start, end=last + len(line) + 1))


def _rows(lines, tol: float = 3.0):
    """Group lines whose vertical centres agree into rows, top to bottom, cells left to right."""
    lines = sorted(lines, key=lambda l: (-(l[2] + l[4]) / 2, l[1]))
    rows: list[list] = []
    for ln in lines:
        cy = (ln[2] + ln[4]) / 2
        if rows and abs(rows[-1][0] - cy) <= tol:
            rows[-1][1].append(ln)
        else:
            rows.append([cy, [ln]])
    return [sorted(r[1], key=lambda l: l[1]) for r in rows]


# pdfminer orders a page's text boxes by clustering every pair of them (boxes_flow): time and memory grow with the
# square of the boxes (42 s and 640 MB for 2 000 fragments), and it took 11 % of the reading time of ordinary
# documents. This reader sorts the lines by their position itself (_rows), so the clustering is skipped (None:
# pdfminer's plain top-to-bottom box order, which furniture keeps); the lines are the same, as they are grouped
# before the boxes. Same output on 107 PDFs; a test sets it to 0.5 to show it.
BOXES_FLOW: float | None = None
# Grouping characters into lines searches each one's neighbours: on a page crowded with overlapping text it costs
# 10 s for 170 000 characters. A dense real page has under 10 000; a page past this limit is left out, with a notice.
MAX_PAGE_CHARS = 60_000


def _pages(fp, laparams, skipped: list[int]):
    """pdfminer's extract_pages, with the text of pages of more than MAX_PAGE_CHARS characters left out (their
    numbers appended to `skipped`)."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage

    class TooDense(Exception):
        pass

    class Aggregator(PDFPageAggregator):
        chars = 0

        def begin_page(self, page, ctm):
            self.chars = 0
            super().begin_page(page, ctm)

        def render_char(self, *args, **kwargs):
            self.chars += 1
            if self.chars > MAX_PAGE_CHARS:  # stop interpreting the page now: its operators may run to millions
                raise TooDense
            return super().render_char(*args, **kwargs)

        def drop_text(self, page):
            """The page as far as it was drawn, without its characters."""
            if self._stack:
                self.cur_item, self._stack = self._stack[0], []
            self.cur_item._objs = [o for o in self.cur_item._objs if not isinstance(o, LTChar)]
            skipped.append(self.pageno)  # pdfminer counts pages from 1
            self.end_page(page)

    manager = PDFResourceManager(caching=True)
    device = Aggregator(manager, laparams=laparams)
    interpreter = PDFPageInterpreter(manager, device)
    for page in PDFPage.get_pages(fp, caching=True):
        try:
            interpreter.process_page(page)
        except TooDense:
            device.drop_text(page)
        yield device.get_result()


# pdfminer inflates a content stream whole before reading it: 200 KB can unpack to 300 MB of text operators. The
# streams it will inflate (all but pictures) are measured first, streamed, without keeping what they unpack to.
MAX_PDF_INFLATED = 128 * 1024 * 1024
_STREAM = re.compile(rb"(?<!end)stream\r?\n")


def _check_streams(data: bytes, path: str | None) -> int:
    """ResourceLimitError past MAX_PDF_INFLATED; else the most text-showing operators (Tj, TJ) one stream holds,
    for readers/pdf_pdfium.py (PDFium builds all the objects of a page before anything can be counted)."""
    total = most = 0
    cap = limit("MAX_PDF_INFLATED", MAX_PDF_INFLATED)
    for m in _STREAM.finditer(data):
        head = data[max(0, data.rfind(b"obj", max(0, m.start() - 65536), m.start())):m.start()]
        if b"/Image" in head:
            continue
        end = data.find(b"endstream", m.end())
        end = end if end >= 0 else len(data)
        if b"/FlateDecode" not in head and b"/Fl " not in head and b"/Fl]" not in head:
            most = max(most, data.count(b"Tj", m.end(), end) + data.count(b"TJ", m.end(), end))
            continue
        body = data[m.end():end]
        inflater = zlib.decompressobj()
        ops = 0
        try:
            while body and total <= cap and not inflater.eof:
                out = inflater.decompress(body, 1 << 20)
                if not out and len(inflater.unconsumed_tail) == len(body):
                    break  # no progress: truncated data
                total += len(out)
                ops += out.count(b"Tj") + out.count(b"TJ")
                body = inflater.unconsumed_tail
        except zlib.error:
            continue  # damaged, or another filter first: pdfminer decides
        most = max(most, ops)
        if total > cap:
            raise ResourceLimitError(path, f"PDF có luồng nén giải nén ra quá lớn (hơn {cap / 1e6:.0f} MB): "
                                           "có thể là bom nén")
    return most


def _laparams():
    from pdfminer.layout import LAParams

    return LAParams(line_margin=0.3, word_margin=WORD_MARGIN, boxes_flow=BOXES_FLOW)


def read_pdf(data: bytes, path: str | None = None) -> SourceText:
    """The PDF read by pdfminer.six, the default engine (readers/pdf_engine.py chooses)."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    check_pdf(data, path)
    pages_raw, skipped, scanned = [], [], []
    try:
        for i, layout in enumerate(_pages(io.BytesIO(data), _laparams(), skipped)):
            if i >= MAX_PAGES:
                break
            lines, boxes, image_area = _page_lines(layout)
            pages_raw.append((layout.width, layout.height, lines, boxes))
            scanned.append(_is_scan(layout.width, layout.height, lines, image_area))
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise EncryptedPDFError(path, ENCRYPTED) from e
    except Exception as e:  # pdfminer raises many unrelated types on damaged files
        name = type(e).__name__
        if "Encrypt" in name or "Password" in name:
            raise EncryptedPDFError(path, ENCRYPTED) from e
        raise CorruptFileError(path, f"PDF bị hỏng, không đọc được ({name}: {str(e)[:120]})") from e
    return assemble(data, path, pages_raw, scanned, skipped)


ENCRYPTED = "PDF được mã hóa/đặt mật khẩu, không đọc được nội dung"


def check_pdf(data: bytes, path: str | None) -> int:
    """What every engine checks before it parses: the %PDF header, and no compression bomb (_check_streams, whose
    count of text operators it returns)."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorruptFileError(path, "không phải tệp PDF hợp lệ (thiếu phần đầu %PDF)")
    return _check_streams(data, path)


def assemble(data: bytes, path: str | None, pages_raw: list, scanned: list[bool], skipped: list[int]) -> SourceText:
    """The SourceText of a PDF from its pages as an engine read them — (width, height, lines as (text, x0, y0, x1,
    y1) in PDF points, cell boxes) — whether each is a scan, and the pages left out as too dense: scans OCR'd or
    refused, ruled tables, running headers and footers dropped, lines in reading order."""
    if not pages_raw:
        raise EmptyDocumentError(path, "PDF không có trang nào")
    if not any(lines for _, _, lines, _ in pages_raw) and skipped:
        raise ResourceLimitError(path, "mọi trang có chữ của PDF đều quá nhiều ký tự (hơn "
                                       f"{MAX_PAGE_CHARS:,} một trang)".replace(",", "."))
    mode = ocr_mode()
    todo = [i for i, scan in enumerate(scanned) if mode == "force" or scan and mode == "auto"]
    notices: list[Notice] = []
    repairs: list[tuple[int, str, str]] = []
    if todo:
        notices += _ocr(data, path, todo, pages_raw, repairs)
    elif not any(lines for _, _, lines, _ in pages_raw):
        hint = "cần nhận dạng ký tự (OCR): dùng --ocr auto hoặc parse(..., ocr='auto')" if mode == "never" else \
            "cần nhận dạng ký tự (OCR) trước"
        raise ScannedPDFError(path, f"PDF có {len(pages_raw)} trang nhưng không có lớp văn bản (có thể là bản scan); "
                                    + hint)
    elif any(scanned):
        pages = ", ".join(str(i + 1) for i, scan in enumerate(scanned) if scan)
        notices.append(Notice(code="pdf.scanned_pages", message=f"Trang {pages} là ảnh quét, không có lớp văn bản; "
                                                                "đã bỏ qua vì OCR bị tắt (--ocr never)."))
    if not any(lines for _, _, lines, _ in pages_raw):
        raise EmptyDocumentError(path, f"PDF có {len(pages_raw)} trang nhưng OCR không nhận dạng được chữ nào")

    band_counts: Counter = Counter()
    for w, h, lines, _ in pages_raw:
        keys = {_furniture_key(t) for t, x0, y0, x1, y1 in lines if y0 > h * (1 - _BAND) or y1 < h * _BAND}
        band_counts.update(keys)
    repeated = {k for k, c in band_counts.items() if c >= 2 and c >= 0.5 * len(pages_raw)}

    parts: list[str] = []
    pos = 0
    pages: list[Page] = []
    tables: list[Table] = []
    for number, (w, h, lines, boxes) in enumerate(pages_raw, 1):
        lines, table_rows = _table_rows(lines, boxes)
        kept, furniture = list(table_rows), []
        for ln in lines:
            t, x0, y0, x1, y1 = ln
            in_band = y0 > h * (1 - _BAND) or y1 < h * _BAND
            if in_band and (_furniture_key(t) in repeated or _PAGE_NUMBER.match(t.strip())):
                furniture.append(t)
            else:
                kept.append(ln)
        page_start = pos
        page_lines: list[Line] = []
        pseudo = {id(r) for r in table_rows}
        grid: list[tuple[int, str]] = []  # the current table's rows: (offset, "cell\tcell")
        for row in _rows(kept):
            if len(row) == 1 and id(row[0]) in pseudo:
                grid.append((pos, row[0][0]))
            elif grid:
                tables.append(_table(grid, number))
                grid = []
            for k, (t, x0, y0, x1, y1) in enumerate(row):
                t = t if "\t" in t else " ".join(t.split())
                if k:
                    parts.append("\t")
                    pos += 1
                page_lines.append(Line(text=t, x0=x0, y0=y0, x1=x1, y1=y1, span=Span(start=pos, end=pos + len(t))))
                parts.append(t)
                pos += len(t)
            parts.append("\n")
            pos += 1
        if grid:
            tables.append(_table(grid, number))
        pages.append(Page(number=number, width=w, height=h, span=Span(start=page_start, end=pos),
                          lines=page_lines, furniture=furniture))
        parts.append("\n")
        pos += 1
    src = SourceText(text="".join(parts), format="pdf", path=path, pages=pages, tables=tables, notices=notices)
    _repair_notices(src, repairs)
    if skipped:
        limit = f"{MAX_PAGE_CHARS:,}".replace(",", ".")
        src.notices.append(Notice(code="pdf.page_too_dense", message=f"Bỏ qua nội dung trang "
                                  f"{', '.join(map(str, skipped))}: quá nhiều ký tự trên một trang (hơn {limit})."))
    return src


# A page is a scan when it has (almost) no text and an image covers a good part of it. A scan with a stamp or a
# page number in text, or a text-layer watermark, is still a scan.
_SCAN_MAX_CHARS = 30
_SCAN_MIN_IMAGE_SHARE = 0.3


def _is_scan(width: float, height: float, lines, image_area: float) -> bool:
    chars = sum(len(t) for t, *_ in lines)
    return chars < _SCAN_MAX_CHARS and image_area >= _SCAN_MIN_IMAGE_SHARE * width * height


def _ocr(data: bytes, path: str | None, todo: list[int], pages_raw: list, repairs: list) -> list[Notice]:
    """Replaces the lines of the pages `todo` by their OCR'd lines (repaired: readers/ocr_repair.py); the notice
    says which pages and their mean word confidence."""
    found = ocr_pages(data, todo, path)
    confidences, failed = [], []
    for i in todo:
        page = found[i]
        if page.error:
            failed.append(f"{i + 1} ({page.error})")
        lines = []
        for t, x0, y0, x1, y1 in page.lines:
            t, done = repair(t)
            repairs.extend((i, before, after) for before, after in done)
            lines.append((t, x0, y0, x1, y1))
        w, h, _, _ = pages_raw[i]
        pages_raw[i] = (w, h, lines, [])
        confidences += page.confidences
    mean = f"{sum(confidences) / len(confidences):.0f} %" if confidences else "không có chữ"
    notices = [Notice(code="pdf.ocr", message=f"Đã nhận dạng ký tự (OCR tesseract, tiếng Việt) trang "
                                              f"{', '.join(str(i + 1) for i in todo)}; độ tin cậy trung bình {mean}.")]
    if failed:
        notices.append(Notice(code="pdf.ocr_failed", message=f"OCR không đọc được trang {'; '.join(failed)}."))
    return notices


def _repair_notices(src: SourceText, repairs: list[tuple[int, str, str]]) -> None:
    """One notice per repair, its span on the repaired text: the first occurrence on its page that no earlier
    repair claimed (repairs of one line are listed by kind, not by position)."""
    claimed: set[int] = set()
    for i, before, after in repairs:
        page = src.pages[i] if i < len(src.pages) else None
        lo, hi = (page.span.start, page.span.end) if page else (0, len(src.text))
        start = src.text.find(after, lo, hi)
        while start >= 0 and start in claimed:
            start = src.text.find(after, start + 1, hi)
        span = None
        if start >= 0:
            claimed.add(start)
            span = Span(start=start, end=start + len(after))
        src.notices.append(Notice(code="ocr.repair", message=f"Sửa lỗi nhận dạng ký tự trang {i + 1}: "
                                                             f"'{before}' → '{after}'.", span=span))
