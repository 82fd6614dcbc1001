"""PDF through pdfminer.six: lines in reading order with their geometry; rows of a table keep their cells
tab-separated; running headers, footers and page numbers repeated on pages are dropped from the text."""
from __future__ import annotations

import io
import re
from collections import Counter

from ..errors import CorruptFileError, EmptyDocumentError, EncryptedPDFError, ScannedPDFError
from ..schema import Line, Page, Span
from .base import SourceText

MAX_PAGES = 3000
_BAND = 0.08
_PAGE_NUMBER = re.compile(r"^(?:Trang\s*)?\d{1,4}(?:\s*(?:/|trên|of)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$", re.IGNORECASE)


def _furniture_key(s: str) -> str:
    return re.sub(r"\d+", "#", " ".join(s.split()).lower())


def _page_lines(layout):
    """Text lines and the cell boxes (rectangles) drawn on the page."""
    from pdfminer.layout import LTRect, LTTextContainer, LTTextLine

    out, boxes = [], []

    def walk(obj):
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
    return out, sorted(set(boxes))


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


def read_pdf(data: bytes, path: str | None = None) -> SourceText:
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise CorruptFileError(path, "không phải tệp PDF hợp lệ (thiếu phần đầu %PDF)")
    pages_raw = []
    try:
        for i, layout in enumerate(extract_pages(io.BytesIO(data), laparams=LAParams(line_margin=0.3))):
            if i >= MAX_PAGES:
                break
            lines, boxes = _page_lines(layout)
            pages_raw.append((layout.width, layout.height, lines, boxes))
    except (PDFPasswordIncorrect, PDFEncryptionError) as e:
        raise EncryptedPDFError(path, "PDF được mã hóa/đặt mật khẩu, không đọc được nội dung") from e
    except Exception as e:  # pdfminer raises many unrelated types on damaged files
        name = type(e).__name__
        if "Encrypt" in name or "Password" in name:
            raise EncryptedPDFError(path, "PDF được mã hóa/đặt mật khẩu, không đọc được nội dung") from e
        raise CorruptFileError(path, f"PDF bị hỏng, không đọc được ({name}: {str(e)[:120]})") from e
    if not pages_raw:
        raise EmptyDocumentError(path, "PDF không có trang nào")
    if not any(lines for _, _, lines, _ in pages_raw):
        raise ScannedPDFError(path, f"PDF có {len(pages_raw)} trang nhưng không có lớp văn bản (có thể là bản scan); "
                                    "cần nhận dạng ký tự (OCR) trước")

    band_counts: Counter = Counter()
    for w, h, lines, _ in pages_raw:
        keys = {_furniture_key(t) for t, x0, y0, x1, y1 in lines if y0 > h * (1 - _BAND) or y1 < h * _BAND}
        band_counts.update(keys)
    repeated = {k for k, c in band_counts.items() if c >= 2 and c >= 0.5 * len(pages_raw)}

    parts: list[str] = []
    pos = 0
    pages: list[Page] = []
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
        for row in _rows(kept):
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
        pages.append(Page(number=number, width=w, height=h, span=Span(start=page_start, end=pos),
                          lines=page_lines, furniture=furniture))
        parts.append("\n")
        pos += 1
    src = SourceText(text="".join(parts), format="pdf", path=path, pages=pages)
    return src
