"""OCR for PDF pages without a text layer (scans): each page is rendered with pypdfium2 and recognised by the
tesseract program in Vietnamese; the words come back as lines with their geometry in PDF points, so a scanned page
goes through the same layout, furniture and table steps as a text page (readers/pdf.py).

tesseract is run as a program (one process per page, one thread each, pages in parallel) rather than through a
wrapper: its own threads fight each other on a loaded machine (28 s a page against 5 s single-threaded).
The mode (`auto`: pages without text; `force`: every page; `never`) comes from `parse(..., ocr=)`, the CLI's
`--ocr`, or DOCPARSE_OCR; the resolution from DOCPARSE_OCR_DPI (300), the languages from DOCPARSE_OCR_LANG
(LANGS: Vietnamese alone; "vie+eng" reads a few short lines of digits better but loses more Vietnamese words:
reference F1 0.900 against 0.925 on 300-dpi scans, benchmarks/bench_ocr.py). A short line tesseract is unsure of
is read again alone from its crop (a lone "2025;" or "Số:" was garbled on the whole page), and an unsure word
shaped like a code or a date is kept for the repairs (readers/ocr_repair.py) rather than dropped as a speck.
"""
from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache

from ..errors import ScannedPDFError
from .base import limit

MODES = ("auto", "force", "never")
# PDFium is not thread-safe and `docparse serve` parses in threads: every call into it, here and in the pdfium reader
# (readers/pdf_pdfium.py), holds this lock; reentrant, as a reader holding it may come here for its scanned pages
PDFIUM_LOCK = threading.RLock()
DPI = 300
LANGS = "vie"
# tesseract's page segmentation: automatic. On bench_ocr.py's 300-dpi pages --psm 6 (one block) ran the header's two
# columns together, the document's own number became a citation (reference F1 0.871 against 0.949); --psm 4 and
# "-c preserve_interword_spaces=1" changed no reference
PSM = "3"
MIN_CONFIDENCE = 30  # words tesseract is less sure of are dropped (DOCPARSE_OCR_MIN_CONFIDENCE); see bench_ocr.py
# a line of at most RETRY_MAX_WORDS words with a mean confidence under RETRY_CONFIDENCE is read again alone; the
# new reading is kept when its confidence is RETRY_GAIN higher; at most RETRY_MAX_LINES lines a page. With the
# code-shaped words kept (_recognise), reference F1 on 300-dpi scans went from 0.949/0.953 to 0.974/0.989
# (bench_ocr.py, dev/held-out pages) at about the same pages/s
RETRY_MAX_WORDS = 3
RETRY_CONFIDENCE = 60
RETRY_GAIN = 10
RETRY_MAX_LINES = 12
PAGE_TIMEOUT_S = 180
MAX_PIXELS = 40_000_000  # of one rendered page (A4 at 300 dpi: 8.7 million), so a huge page cannot take gigabytes
INSTALL = ("cài gói tùy chọn OCR: pip install 'docparse[ocr]', và chương trình tesseract với dữ liệu tiếng Việt: "
           "apt-get install tesseract-ocr tesseract-ocr-vie")

_mode: ContextVar[str | None] = ContextVar("docparse_ocr_mode", default=None)


class OCRUnavailableError(ScannedPDFError):
    """A page needs OCR and the OCR extra, the tesseract program or its Vietnamese data is missing."""

    code = "ocr_unavailable"


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"ocr phải là một trong {', '.join(MODES)}, không phải {mode!r}")
    return mode


def ocr_mode() -> str:
    """The mode in force: the innermost `using_ocr`, else DOCPARSE_OCR, else "auto"."""
    mode = _mode.get() or os.environ.get("DOCPARSE_OCR", "").strip().lower() or "auto"
    return mode if mode in MODES else "auto"


@contextlib.contextmanager
def using_ocr(mode: str | None):
    """Readers called inside see this mode (None: leave the mode in force)."""
    token = _mode.set(check_mode(mode)) if mode is not None else None
    try:
        yield
    finally:
        if token is not None:
            _mode.reset(token)


@dataclass
class OcrPage:
    width: float  # PDF points, as pdfminer gives them
    height: float
    lines: list[tuple[str, float, float, float, float]] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)  # one per word
    error: str | None = None


@lru_cache(maxsize=1)
def _languages(exe: str) -> frozenset[str]:
    r = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30, check=False)
    return frozenset(line.strip() for line in (r.stdout + r.stderr).splitlines()[1:])


def _tools(path: str | None):
    """(pypdfium2, tesseract executable), or OCRUnavailableError saying exactly what is missing."""
    try:
        import pypdfium2
    except ImportError as e:
        raise OCRUnavailableError(path, f"PDF có trang là ảnh quét, cần OCR nhưng thiếu thư viện pypdfium2; {INSTALL}") \
            from e
    exe = shutil.which("tesseract")
    if exe is None:
        raise OCRUnavailableError(path, f"PDF có trang là ảnh quét, cần OCR nhưng không có chương trình tesseract; "
                                        f"{INSTALL}")
    missing = [lang for lang in _langs().split("+") if lang not in _languages(exe)]
    if missing:
        packages = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        raise OCRUnavailableError(path, f"PDF có trang là ảnh quét, cần OCR nhưng tesseract thiếu dữ liệu ngôn ngữ "
                                        f"{'+'.join(missing)}; apt-get install {packages}")
    return pypdfium2, exe


def _langs() -> str:
    return os.environ.get("DOCPARSE_OCR_LANG", "").strip() or LANGS


def ocr_pages(data: bytes, numbers: list[int], path: str | None) -> dict[int, OcrPage]:
    """The pages `numbers` (0-based) of the PDF `data`, recognised. A page tesseract fails on comes back empty with
    its `error`; missing tools raise OCRUnavailableError."""
    pdfium, exe = _tools(path)
    dpi = limit("OCR_DPI", DPI)
    out: dict[int, OcrPage] = {}
    with PDFIUM_LOCK:
        doc = pdfium.PdfDocument(data)
    try:
        workers = max(1, min(4, os.cpu_count() or 1, len(numbers)))
        with ThreadPoolExecutor(workers) as pool:
            futures = {}
            for n in numbers:  # pdfium is not thread-safe: render under the lock, recognise in the pool
                with PDFIUM_LOCK:
                    page = doc[n]
                    width, height = page.get_size()
                    # a page drawn huge (a poster, or a hostile 200-inch page) is rendered at a lower resolution
                    page_dpi = int(min(dpi, 72 * (MAX_PIXELS / max(width * height, 1.0)) ** 0.5)) or 1
                    image = page.render(scale=page_dpi / 72, grayscale=True).to_pil()
                    page.close()
                futures[n] = pool.submit(_recognise, exe, image, _langs(), page_dpi, width, height)
            for n, future in futures.items():
                out[n] = future.result()
    finally:
        with PDFIUM_LOCK:
            doc.close()
    return out


def _png(image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def _tesseract(exe: str, png: bytes, langs: str, dpi: int, psm: str = "") -> tuple[str, str | None]:
    """tesseract's TSV for one page image. The resolution is given: estimated from a PNG without one, it came out
    475 dpi for a 300-dpi page, and short lines ("Số:") were then taken for noise and dropped."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        r = subprocess.run([exe, "stdin", "stdout", "-l", langs, "--psm", psm or PSM, "--dpi", str(dpi), "tsv"],
                           input=png, capture_output=True, timeout=PAGE_TIMEOUT_S, env=env, check=False)
    except subprocess.TimeoutExpired:
        return "", f"quá {PAGE_TIMEOUT_S} giây"
    if r.returncode != 0:
        return "", r.stderr.decode("utf-8", "replace").strip()[-200:] or f"mã lỗi {r.returncode}"
    return r.stdout.decode("utf-8", "replace"), None


_CODE_OR_DATE = re.compile(r"\d/\w|\w/\d")
Word = tuple[str, float, float, float, float, float]  # text, left, top, width, height (pixels), confidence


def _lines(tsv: str) -> list[list[Word]]:
    """tesseract's words grouped by (block, paragraph, line), in reading order."""
    lines: dict[tuple, list[Word]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        try:
            left, top, w, h, conf = (float(row[k]) for k in ("left", "top", "width", "height", "conf"))
        except (TypeError, ValueError, KeyError):
            continue
        lines.setdefault((row["block_num"], row["par_num"], row["line_num"]), []).append((text, left, top, w, h, conf))
    return list(lines.values())


def _mean(words: list[Word]) -> float:
    return sum(max(w[5], 0.0) for w in words) / len(words)


def _retried(exe: str, image, langs: str, dpi: int, words: list[Word]) -> list[Word]:
    """A short line tesseract was unsure of ("2025;" read "°1ẠP1o nai", a lone "Số:" read as specks), read again
    alone as one raw line (--psm 13) from its crop; the new reading is kept when tesseract is surer of it."""
    left = min(w[1] for w in words)
    top = min(w[2] for w in words)
    right = max(w[1] + w[3] for w in words)
    bottom = max(w[2] + w[4] for w in words)
    pad = max(4, int((bottom - top) / 2))
    x0, y0 = max(0, int(left) - pad), max(0, int(top) - pad)
    crop = image.crop((x0, y0, min(image.width, int(right) + pad), min(image.height, int(bottom) + pad)))
    tsv, error = _tesseract(exe, _png(crop), langs, dpi, psm="13")
    again = [w for line in _lines(tsv) for w in line] if not error else []
    if not again or _mean(again) <= _mean(words) + RETRY_GAIN:
        return words
    return [(t, x + x0, y + y0, w, h, c) for t, x, y, w, h, c in again]


def _recognise(exe: str, image, langs: str, dpi: int, width: float, height: float) -> OcrPage:
    """One page: recognised whole (page segmentation PSM), short unsure lines read again (_retried), words below
    the confidence floor dropped, boxes from pixels (top-left origin) to points."""
    tsv, error = _tesseract(exe, _png(image), langs, dpi)
    page = OcrPage(width=width, height=height, error=error)
    scale = 72 / dpi
    min_conf = limit("OCR_MIN_CONFIDENCE", MIN_CONFIDENCE)
    retries = RETRY_MAX_LINES
    for words in _lines(tsv):
        if retries and len(words) <= RETRY_MAX_WORDS and _mean(words) < RETRY_CONFIDENCE:
            retries -= 1
            words = _retried(exe, image, langs, dpi, words)
        page.confidences += [w[5] for w in words if w[5] >= 0]
        # specks, stamps and table rulings read as letters ("š", "~ÉÄ", "TS 9 l '9") are dropped, not a word
        # shaped like a code or a date ("12/QĐÐĐ-UBND" at 28 %: ocr_repair.py mends it)
        words = [w for w in words if w[5] < 0 or w[5] >= min_conf or _CODE_OR_DATE.search(w[0])]
        if not words:
            continue
        x0 = min(w[1] for w in words) * scale
        x1 = max(w[1] + w[3] for w in words) * scale
        top = min(w[2] for w in words) * scale
        bottom = max(w[2] + w[4] for w in words) * scale
        page.lines.append((" ".join(w[0] for w in words), x0, height - bottom, x1, height - top))
    return page
