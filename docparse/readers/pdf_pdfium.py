"""PDF through pypdfium2 (the `fast-pdf` extra), for people with many PDFs: PDFium, in C, interprets the pages and
this module groups its characters into lines by pdfminer's own rule (char_margin 2.0, line_overlap 0.5, a space
where two characters are more than WORD_MARGIN apart), so the lines, and all readers/pdf.py builds from them (reading
order, ruled tables, running headers and footers dropped, scanned pages OCR'd or refused), are those of the default
engine. Several times the pages per second of pdfminer.six (benchmarks/bench_pdf.py).

Like pdfminer: text drawn inside a form XObject is left out (pdfminer keeps it in a figure the reader skips), ruled
cells are the closed axis-aligned four-point paths, a page's coordinates start at its MediaBox corner, turned by
/Rotate. A character's box is, as pdfminer's, its advance (from the font's widths) by one font size, from the
descent its font descriptor declares; characters are taken upright (text turned inside a page is rare).

PDFium builds every object of a page before anything can be counted, so a file with a content stream of more text
operators than MAX_PAGE_CHARS is read by pdfminer, which stops a page at that many characters.
"""
from __future__ import annotations

import ctypes
import functools
import re

from ..errors import CorruptFileError, DocparseError, EncryptedPDFError
from ..schema import Notice

# the pdfminer reader's limits are read from its module at call time: a test or a batch may change them
from . import pdf as pdfminer_reader
from .base import SourceText
from .ocr import PDFIUM_LOCK
from .pdf import ENCRYPTED, WORD_MARGIN, _is_scan, assemble, check_pdf

CHAR_MARGIN = 2.0  # pdfminer's LAParams defaults, as readers/pdf.py uses them
LINE_OVERLAP = 0.5
MAX_FORM_DEPTH = 8
INSTALL = "pip install 'docparse[fast-pdf]'"


class PDFEngineUnavailableError(DocparseError):
    """The pdfium engine was asked for and pypdfium2 is not installed."""

    code = "pdf_engine_unavailable"


def _pdfium(path: str | None):
    try:
        import pypdfium2
        import pypdfium2.raw
    except ImportError as e:
        raise PDFEngineUnavailableError(path, f"đọc PDF bằng pdfium cần thư viện pypdfium2, chưa được cài: {INSTALL}"
                                              " (hoặc dùng --pdf-engine pdfminer)") from e
    return pypdfium2, pypdfium2.raw


def read_pdf_pdfium(data: bytes, path: str | None = None) -> SourceText:
    """The PDF read by PDFium: the same SourceText contract and errors as readers.pdf.read_pdf."""
    pdfium, raw = _pdfium(path)
    if check_pdf(data, path) > pdfminer_reader.MAX_PAGE_CHARS:
        src = pdfminer_reader.read_pdf(data, path)
        src.notices.append(Notice(code="pdf.engine_fallback", message="PDF có luồng nội dung quá nhiều lệnh vẽ "
                                  "chữ cho pdfium; đã đọc bằng pdfminer (giới hạn ký tự từng trang)."))
        return src
    pages_raw, scanned, skipped = [], [], []
    descents = _declared_descents(data)
    with PDFIUM_LOCK:  # PDFium is not thread-safe; `docparse serve` parses in worker threads
        try:
            doc = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as e:
            raise _open_error(e, path) from e
        try:
            for i in range(min(len(doc), pdfminer_reader.MAX_PAGES)):
                page = doc[i]
                try:
                    w, h, lines, boxes, image_area = _page(page, raw, i + 1, skipped, descents)
                finally:
                    page.close()
                pages_raw.append((w, h, lines, boxes))
                scanned.append(_is_scan(w, h, lines, image_area))
        except Exception as e:  # PdfiumError, or anything else a damaged file leads to: never a crash
            raise CorruptFileError(path, f"PDF bị hỏng, không đọc được (pdfium, {type(e).__name__}: "
                                         f"{str(e)[:120]})") from e
        finally:
            doc.close()
    return assemble(data, path, pages_raw, scanned, skipped)


def _open_error(e: Exception, path: str | None) -> DocparseError:
    text = str(e).lower()
    if "password" in text or "security" in text:
        return EncryptedPDFError(path, ENCRYPTED)
    return CorruptFileError(path, f"PDF bị hỏng, không đọc được (pdfium: {str(e)[:120]})")


def _page(page, raw, number: int, skipped: list[int], descents: dict[bytes, float]):
    """(width, height, lines, cell boxes, image area) of one page, in pdfminer's coordinates (but from the CropBox
    where a page has one smaller than its MediaBox)."""
    left, bottom, right, top = page.get_bbox()  # the MediaBox, inherited (get_mediabox is not), within the CropBox
    rotation = page.get_rotation() % 360
    to_page = _rotation(rotation, left, bottom, right, top)
    w, h = round(right - left, 4), round(top - bottom, 4)  # PDFium's floats are 32-bit: 595.28 as 595.280029…
    w, h = (h, w) if rotation in (90, 270) else (w, h)
    boxes, image_area, form_text, top_text = _graphics(page.raw, raw, to_page)
    textpage = page.get_textpage()
    try:
        n = textpage.count_chars()
        if n > pdfminer_reader.MAX_PAGE_CHARS:
            skipped.append(number)
            lines = []
        else:
            plain = rotation == 0 and left == 0 and bottom == 0
            lines = _lines(textpage, raw, n, None if plain else to_page, top_text if form_text else None, descents,
                           rotation == 180)
    finally:
        textpage.close()
    return w, h, lines, boxes, image_area


def _rotation(rotation: int, x0: float, y0: float, x1: float, y1: float):
    """pdfminer's page transform (PDFPageInterpreter.process_page): the MediaBox corner to 0, then /Rotate."""
    if rotation == 90:
        return lambda x, y: (y - y0, x1 - x)
    if rotation == 180:
        return lambda x, y: (x1 - x, y1 - y)
    if rotation == 270:
        return lambda x, y: (y1 - y, x - x0)
    return lambda x, y: (x - x0, y - y0)


def _lines(textpage, raw, n: int, to_page, keep_objects: set[int] | None,
           descents: dict[bytes, float], flipped: bool = False) -> list[tuple]:
    """pdfminer's LTLayoutContainer.group_objects over PDFium's characters: a line is a run of consecutive
    characters each aligned with the one before (vertical overlap over LINE_OVERLAP of the lower, gap under
    CHAR_MARGIN widths of the wider); a space goes in where a character starts more than WORD_MARGIN of its size
    after the one before ends. (text, x0, y0, x1, y1) per line with text, as readers/pdf.py's _page_lines gives.
    `to_page` None: the page is not turned and starts at 0, 0. `flipped`: turned upside down, it runs right to left:
    PDFium gives its word spaces as generated ones (skipped below) where pdfminer sees the space glyphs, so the gap
    stands for them in both directions."""
    tp = ctypes.cast(textpage.raw, ctypes.c_void_p).value
    text = textpage.get_text_range()
    if len(text) != n:  # characters outside the BMP come back as two UTF-16 units: ask one by one
        text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i)) for i in range(n))
    generated, text_object, origin, font_size = _calls(raw)
    box = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    ox_ref, oy_ref = ctypes.byref(ox), ctypes.byref(oy)
    fonts: dict[int | None, tuple] = {}  # text object -> (descent, font, font address, size)
    widths: dict[tuple, float] = {}  # (font address, character, size) -> advance
    lines: list[tuple] = []
    chars: list[str] = []
    lx0 = ly0 = lx1 = ly1 = px0 = py0 = px1 = py1 = 0.0
    started, p_key = False, None  # a character before this one; its text object
    for i in range(n):
        ch = text[i]
        if ch in _MAY_BE_GENERATED and generated(tp, i):  # PDFium's own spaces, line breaks
            continue
        key = text_object(tp, i)
        if keep_objects is not None and key not in keep_objects:
            continue
        font = fonts.get(key)
        if font is None:  # one font, size and matrix per text object
            font = fonts[key] = (*_font(raw, key, descents), font_size(tp, i))
        origin(tp, i, ox_ref, oy_ref)
        size = font[3]
        width = widths.get((font[2], ch, size))
        if width is None:
            raw.FPDFText_GetLooseCharBox(textpage.raw, i, box)
            width = widths[font[2], ch, size] = _advance(raw, font[1], ch, size, box.right - box.left)
        x0 = ox.value
        y0 = oy.value + font[0] * size  # pdfminer's LTChar: from the descent, one font size high
        x1, y1 = x0 + width, y0 + size
        if to_page is not None:
            (ax, ay), (bx, by) = to_page(x0, y0), to_page(x1, y1)
            x0, x1 = (ax, bx) if ax <= bx else (bx, ax)
            y0, y1 = (ay, by) if ay <= by else (by, ay)
        if started:  # (conditional expressions rather than min/max: cheaper, once per character)
            overlap = (py1 if py1 < y1 else y1) - (py0 if py0 > y0 else y0)
            if x0 <= px1 and px0 <= x1:
                gap = 0.0
            else:
                gap = min(abs(px0 - x1), abs(px1 - x0))
            # PDFium keeps one space of a run: the rest of the run, which pdfminer sees, bridged the gap
            if (y0 <= py1 and py0 <= y1 and min(py1 - py0, y1 - y0) * LINE_OVERLAP < overlap
                    and (gap < max(px1 - px0, x1 - x0) * CHAR_MARGIN or key == p_key and chars[-1] == " ")):
                margin = WORD_MARGIN * max(x1 - x0, y1 - y0)
                if px1 < x0 - margin or flipped and x1 < px0 - margin:
                    chars.append(" ")
                chars.append(ch)
                lx0, ly0 = (lx0 if lx0 < x0 else x0), (ly0 if ly0 < y0 else y0)
                lx1, ly1 = (lx1 if lx1 > x1 else x1), (ly1 if ly1 > y1 else y1)
                px0, py0, px1, py1, p_key = x0, y0, x1, y1, key
                continue
            _flush(lines, chars, lx0, ly0, lx1, ly1)
        chars = [ch]
        lx0, ly0, lx1, ly1 = px0, py0, px1, py1 = x0, y0, x1, y1
        started, p_key = True, key
    if started:
        _flush(lines, chars, lx0, ly0, lx1, ly1)
    return lines


@functools.cache
def _calls(raw) -> tuple:
    """The per-character PDFium calls, declared on plain addresses: pypdfium2's typed pointers cost a Python-level
    cast per character to compare or hash (a third of the reading time)."""
    def plain(fn, restype, *argtypes):
        return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(fn, ctypes.c_void_p).value)

    vp, i32, dp = ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_double)
    return (plain(raw.FPDFText_IsGenerated, i32, vp, i32), plain(raw.FPDFText_GetTextObject, vp, vp, i32),
            plain(raw.FPDFText_GetCharOrigin, i32, vp, i32, dp, dp),
            plain(raw.FPDFText_GetFontSize, ctypes.c_double, vp, i32))


_MAY_BE_GENERATED = frozenset(" \r\n\x02\ufffe")
_DESCRIPTOR = re.compile(rb"/Type\s*/FontDescriptor\b")
_FONT_NAME = re.compile(rb"/FontName\s*/([^\s/<>\[\]()]+)")
_DESCENT = re.compile(rb"/Descent\s+(-?\d*\.?\d+)")


def _declared_descents(data: bytes) -> dict[bytes, float]:
    """/Descent of each font descriptor written plainly in the file, by font name without its subset tag, in ems:
    pdfminer's character boxes start there (0 when a descriptor says 0, as LibreOffice's do; PDFium then takes the
    font's own)."""
    out: dict[bytes, float] = {}
    for m in _DESCRIPTOR.finditer(data):
        start = max(data.rfind(b"obj", max(0, m.start() - 2048), m.start()), m.start() - 2048, 0)
        end = data.find(b"endobj", m.end(), m.end() + 2048)
        body = data[start:end if end >= 0 else m.end() + 2048]
        name, descent = _FONT_NAME.search(body), _DESCENT.search(body)
        if name:
            value = float(descent.group(1)) if descent else 0.0
            tag, plus, rest = name.group(1).partition(b"+")
            out[rest if plus and len(tag) == 6 else name.group(1)] = -abs(value) / 1000  # PDFium drops "ABCDEF+"
    return out


def _font(raw, obj: int | None, descents: dict[bytes, float]) -> tuple:
    """(descent in ems, font, font address) of a text object (its address): the descent pdfminer gives it, the one its
    descriptor declares, else PDFium's."""
    font = raw.FPDFTextObj_GetFont(ctypes.cast(obj, raw.FPDFTextObj_GetFont.argtypes[0])) if obj else None
    if not font:
        return 0.0, None, None
    address = ctypes.cast(font, ctypes.c_void_p).value
    name_of = getattr(raw, "FPDFFont_GetBaseFontName", None) or getattr(raw, "FPDFFont_GetFontName", None)  # older
    size = name_of(font, None, 0) if name_of else 0
    if size > 1:
        buf = ctypes.create_string_buffer(size)
        name_of(font, buf, size)
        declared = descents.get(buf.value.partition(b"+")[2] or buf.value)
        if declared is not None:
            return declared, font, address
    value = ctypes.c_float()
    return (value.value if raw.FPDFFont_GetDescent(font, ctypes.c_float(1.0), value) else 0.0), font, address


def _advance(raw, font, ch: str, size: float, loose: float) -> float:
    """A character's advance, as pdfminer takes it from the font's widths (/W, /Widths): PDFium's box may be the
    glyph's, wider (the horn of ư). PDFium's box width where the font does not answer or answers far from it."""
    width = ctypes.c_float()
    if font and len(ch) == 1 and raw.FPDFFont_GetGlyphWidth(font, ord(ch), ctypes.c_float(size), width) \
            and 0 < width.value and abs(width.value - loose) <= 0.25 * size:
        return width.value
    return loose


_HYPHENS = {0x02: "-", 0xFFFE: "-"}  # PDFium's marks for a hyphen that ends a line


def _flush(lines: list, chars: list[str], x0: float, y0: float, x1: float, y1: float) -> None:
    t = "".join(chars).translate(_HYPHENS).strip()
    if t:
        lines.append((t, x0, y0, x1, y1))


def _graphics(page, raw, to_page):
    """Cell boxes (sorted, rounded as readers/pdf.py rounds them), the area of the pictures, whether a form holds
    text, and the addresses of the page's own text objects (the only text pdfminer puts in lines)."""
    boxes: set[tuple] = set()
    area = [0.0]
    form_text = [False]
    top_text: set[int] = set()
    matrix = raw.FS_MATRIX()
    fl, fb, fr, ft = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.c_float(), ctypes.c_float()

    def walk(count, get, outer, depth):
        for k in range(count):
            obj = get(k)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind == raw.FPDF_PAGEOBJ_TEXT:
                if depth:
                    form_text[0] = True
                else:
                    top_text.add(ctypes.cast(obj, ctypes.c_void_p).value)
            elif kind == raw.FPDF_PAGEOBJ_IMAGE:
                if raw.FPDFPageObj_GetBounds(obj, fl, fb, fr, ft):
                    (x0, y0, x1, y1) = _rect(outer, fl.value, fb.value, fr.value, ft.value)
                    area[0] += (x1 - x0) * (y1 - y0)
            elif kind == raw.FPDF_PAGEOBJ_PATH:
                if raw.FPDFPageObj_GetMatrix(obj, matrix):
                    m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                    for rect in _path_rects(obj, raw, m, px, py):
                        x0, y0, x1, y1 = _turned(to_page, rect)
                        if x1 - x0 > 4 and y1 - y0 > 4:
                            boxes.add((round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1)))
            elif kind == raw.FPDF_PAGEOBJ_FORM and depth < MAX_FORM_DEPTH and raw.FPDFPageObj_GetMatrix(obj, matrix):
                m = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
                walk(raw.FPDFFormObj_CountObjects(obj), lambda j, o=obj: raw.FPDFFormObj_GetObject(o, j), m, depth + 1)

    walk(raw.FPDFPage_CountObjects(page), lambda k: raw.FPDFPage_GetObject(page, k), (1, 0, 0, 1, 0, 0), 0)
    return sorted(boxes), area[0], form_text[0], top_text


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying `inner`, then `outer` (PDF order: [a b c d e f])."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: tuple, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _rect(m: tuple, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
    pts = [_apply(m, x, y) for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1))]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs), max(ys)


def _turned(to_page, rect: tuple) -> tuple[float, float, float, float]:
    (ax, ay), (bx, by) = to_page(rect[0], rect[1]), to_page(rect[2], rect[3])
    return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)


def _path_rects(obj, raw, m: tuple, px, py):
    """The rectangles pdfminer would make of this path (converter.paint_path): each subpath that is "m l l l h" or
    "m l l l l" (a redundant "l" before "h" dropped), closed, with axis-aligned sides after the transform."""
    n = raw.FPDFPath_CountSegments(obj)
    if n < 4:
        return
    subpaths: list[tuple[str, list]] = []
    shape, pts = "", []
    for j in range(n):
        seg = raw.FPDFPath_GetPathSegment(obj, j)
        kind = raw.FPDFPathSegment_GetType(seg)
        raw.FPDFPathSegment_GetPoint(seg, px, py)
        op = "m" if kind == raw.FPDF_SEGMENT_MOVETO else "l" if kind == raw.FPDF_SEGMENT_LINETO else "c"
        if op == "m" and shape:
            subpaths.append((shape, pts))
            shape, pts = "", []
        shape += op
        pts.append(_apply(m, px.value, py.value))
        if raw.FPDFPathSegment_GetClose(seg):
            shape += "h"
            pts.append(pts[0])
    if shape:
        subpaths.append((shape, pts))
    for shape, pts in subpaths:
        if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
            shape = shape[:-2] + "h"
            pts = pts[:-2] + pts[-1:]
        if shape not in ("mlllh", "mllll"):
            continue
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or \
            (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if last == pts[0] and square:
            yield min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2)
