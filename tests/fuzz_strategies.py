"""Hypothesis strategies for fuzzing docparse with text that looks like Vietnamese administrative documents, and the
one property every input must hold: parse_text + check raise nothing but a DocparseError and every record's span
maps into the text. Shared by tests/test_fuzz.py (short, in CI) and benchmarks/fuzz.py (long).

Everything here is fictional fragments written for the fuzzer (huyện Sông Mây does not exist); the point is the
shapes that break parsers: impossible and partial dates, year 0000, malformed decimals, ratios, glued words after
PDF-to-text, table rows, control characters and long lines.
"""
from __future__ import annotations

import os
import traceback
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st
from pydantic import BaseModel

import docparse
from docparse.errors import DocparseError
from docparse.schema import Citation, DateMention, Entity, Evidence, Indicator, Span

# ---- atoms ---------------------------------------------------------------------------------------------------------
DOTS = st.sampled_from(["…", "...", "..", "….", "......", "", " ", "_", "__/__"])
SMALL = st.integers(min_value=0, max_value=40).map(str)
ANY_DIGITS = st.one_of(SMALL, st.sampled_from(["0", "00", "000", "0000", "99", "9999", "12345678901234567890"]),
                       st.text(alphabet="0123456789", min_size=1, max_size=12))
DAY = st.one_of(SMALL, DOTS, st.sampled_from(["01", "31", "29", "30", "32", "0"]))
MONTH = st.one_of(st.integers(0, 14).map(str), DOTS, st.sampled_from(["01", "02", "12", "00", "13"]))
YEAR = st.one_of(st.integers(2015, 2030).map(str), DOTS,
                 st.sampled_from(["0000", "0", "00", "1", "1900", "2100", "9999", "20255", "202"]), ANY_DIGITS)
ROMAN = st.sampled_from(["I", "II", "III", "IV", "V", "VI", "0", "5", "IIII", "X", ""])
TYPES = st.sampled_from(["QĐ", "KH", "BC", "CV", "TB", "NQ", "CT", "TTr", "HD", "QĐ-TTg", "NĐ-CP", "TT-BTC", "QH15",
                         "", "Q Đ", "qđ"])
ORGS = st.sampled_from(["UBND", "SYT", "STC", "UBND-VP", "UBND-KT", "SNV", "BCĐ", "HĐND", "VP", "", "UBND-"])
ISSUERS = st.sampled_from([
    "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "ỦYBAN NHÂN DÂN", "UBND", "SỞ TÀI CHÍNH", "SỞTÀI CHÍNH", "SỞ Y TẾ",
    "HUYỆN SÔNG MÂY", "TỈNH SÔNG MÂY", "XÃ BẾN ĐÁ", "BỘ NỘI VỤ", "BỘNỘI VỤ", "VĂN PHÒNG", "BAN CHỈ ĐẠO",
    "HỘI ĐỒNG NHÂN DÂN", "CHỦ TỊCH", "THỦ TƯỚNG CHÍNH PHỦ", "ỦY BAN NHÂN DÂN\nTỈNH", "SỞ\nTÀI CHÍNH"])
PLACES = st.sampled_from(["Sông Mây", "Bến Đá", "Hà Nội", "TP. Hồ Chí Minh", "", "Sông Mây,", "..."])
DOC_TYPES = st.sampled_from(["Quyết định", "Kế hoạch", "Báo cáo", "Công văn", "Thông báo", "Nghị quyết", "Chỉ thị",
                             "Tờ trình", "Luật", "Nghị định", "Thông tư", "Hướng dẫn", "QUYẾT ĐỊNH", "KẾ HOẠCH"])
NUMBER = st.one_of(
    st.integers(0, 10 ** 7).map(str),
    st.sampled_from(["6.2", "158.55", "1.234,5", "1,2,3", ".5", "5.", "1..2", ",,", "0,", "12,5", "3.000.000",
                     "1.2.3.4", "00,0", "1e5", "−5", "-0", "9" * 30, "0.0", "1 234", "٣", "½"]),
    st.builds(lambda a, s, b: f"{a}{s}{b}", st.integers(0, 999), st.sampled_from([".", ",", " ", ".."]),
              st.integers(0, 999)))
PERCENT = st.builds(lambda n, sp, s: f"{n}{sp}{s}", NUMBER, st.sampled_from(["", " ", "  "]),
                    st.sampled_from(["%", "%", " %", "phần trăm", "%%"]))
RATIO = st.builds(lambda a, b: f"{a}/{b}", NUMBER, NUMBER)
UNITS = st.sampled_from(["tỷ đồng", "triệu đồng", "hồ sơ", "người", "km", "ha", "lượt", "%", "", "đồng/người"])

# ---- fragments -----------------------------------------------------------------------------------------------------
DATE_WORDS = st.builds(lambda p, d, m, y: f"{p}ngày {d} tháng {m} năm {y}", st.sampled_from(["", "Sông Mây, ", ", "]),
                       DAY, MONTH, YEAR)
DATE_NUMERIC = st.builds(lambda d, s, m, t, y: f"ngày {d}{s}{m}{t}{y}", DAY, st.sampled_from(["/", "-", ".", " / "]),
                         MONTH, st.sampled_from(["/", "-", ".", ""]), YEAR)
PERIODS = st.one_of(
    st.builds(lambda q, y: f"quý {q} năm {y}", ROMAN, YEAR),
    st.builds(lambda q, y: f"Quý {q}/{y}", ROMAN, YEAR),
    st.builds(lambda n, y: f"{n} tháng đầu năm {y}", st.sampled_from(["6", "9", "3", "0", "13", "sáu"]), YEAR),
    st.builds(lambda m, y: f"tháng {m}/{y}", MONTH, YEAR),
    st.builds(lambda m, y: f"tháng {m} năm {y}", MONTH, YEAR),
    st.builds(lambda d, m: f"trước ngày {d}/{m}", DAY, MONTH),
    st.builds(lambda y: f"năm {y}", YEAR),
    st.builds(lambda a, b: f"giai đoạn {a} - {b}", YEAR, YEAR),
    st.builds(lambda a, b: f"từ ngày {a} đến ngày {b}", DAY, DAY))
NUMBER_LINE = st.builds(lambda s, n, t, o, y: f"Số:{s}{n}/{y}{t}-{o}", st.sampled_from(["", " ", "  "]),
                        st.one_of(ANY_DIGITS, DOTS), TYPES, ORGS, st.sampled_from(["", "2025/", "0000/", "/"]))
HEADER = st.builds(lambda a, b, n, d, t: "\n".join([a, b, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                     "Độc lập - Tự do - Hạnh phúc", n, d, t]),
                   ISSUERS, st.one_of(ISSUERS, PLACES), NUMBER_LINE, DATE_WORDS, DOC_TYPES)
CITATION = st.builds(lambda t, n, ty, o, d, i: f"{t} số {n}/{ty}-{o} {d} của {i}", DOC_TYPES,
                     st.one_of(ANY_DIGITS, DOTS), TYPES, ORGS, st.one_of(DATE_WORDS, DATE_NUMERIC), ISSUERS)
INDICATOR = st.one_of(
    st.builds(lambda w, p: f"Tỷ lệ {w} đạt {p}", st.sampled_from(["hồ sơ đúng hạn", "giải ngân", ""]), PERCENT),
    st.builds(lambda r, p: f"đạt {r} ({p})", RATIO, PERCENT),
    st.builds(lambda r: f"đã giải quyết {r} hồ sơ", RATIO),
    st.builds(lambda n, u, p: f"giải ngân {n} {u}, đạt {p} kế hoạch", NUMBER, UNITS, PERCENT),
    st.builds(lambda p, q: f"tăng {p} so với cùng kỳ, giảm {q}", PERCENT, PERCENT),
    st.builds(lambda a, b, c: f"{a}/{b} xã ({c})", NUMBER, NUMBER, PERCENT))
CELL = st.one_of(NUMBER, PERCENT, RATIO, DATE_NUMERIC, PERIODS, ISSUERS, st.text(max_size=12), DOTS)
TABLE_ROW = st.builds(lambda sep, cells, edge: (edge + sep.join(cells) + edge),
                      st.sampled_from(["|", " | ", "\t", "\t\t", "||"]), st.lists(CELL, min_size=1, max_size=8),
                      st.sampled_from(["", "|", "\t"]))
TABLE_HEAD = st.sampled_from(["TT | Nhiệm vụ | Chủ trì | Phối hợp | Thời hạn",
                              "STT\tChỉ tiêu\tĐơn vị\tKế hoạch\tThực hiện",
                              "| TT | Nội dung | Kết quả |", "|---|---|---|", "TT\tTên thủ tục\tThời gian"])
BULLET = st.builds(lambda b, t: f"{b}{t}",
                   st.sampled_from(["- ", "+ ", "• ", "a) ", "1. ", "I. ", "Điều 1. ", "Chương II", "1.1. ", "* ", "– ",
                                    "đ) ", "Mục 3. ", "Khoản ", ""]),
                   st.one_of(INDICATOR, CITATION, PERIODS, st.text(max_size=30)))
ASSIGNMENT = st.builds(lambda a, b, d: f"Giao {a} chủ trì, phối hợp với {b} thực hiện, hoàn thành {d}.",
                       ISSUERS, ISSUERS, st.one_of(PERIODS, DATE_WORDS, DATE_NUMERIC))
SIGNER = st.sampled_from(["KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nNguyễn Văn Mây", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH",
                          "Nơi nhận:\n- Như trên;\n- Lưu: VT.", "GIÁM ĐỐC\n(đã ký)", "KT.CHỦTỊCH"])
GLUED = st.builds(lambda a, b: a.replace(" ", "") + b, st.one_of(ISSUERS, DOC_TYPES, CITATION),
                  st.one_of(NUMBER, PERCENT))
WEIRD = st.one_of(
    st.text(max_size=40),  # any unicode
    st.text(alphabet=st.characters(codec="utf-8", categories=("Cc", "Cf", "Zl", "Zp", "Mn")), max_size=20),
    st.sampled_from(["\x00", "\ufeff", "\u200b", "\r", "\x0c", "\x1b[31m", "\ud800", "\U0001F600", "́", "\u0301ngày",
                     "<td>", "</w:p>", "&nbsp;", "\u00a0", "\u2028"]))
FRAGMENT = st.one_of(HEADER, NUMBER_LINE, DATE_WORDS, DATE_NUMERIC, PERIODS, PERCENT, RATIO, INDICATOR, CITATION,
                     TABLE_HEAD, TABLE_ROW, BULLET, ASSIGNMENT, SIGNER, GLUED, WEIRD, ISSUERS, DOC_TYPES)
SEPARATORS = ["\n", "\n", " ", "\t", "", "\r\n", "\n\n", ". ", "; ", ", "]
SEPARATOR = st.sampled_from(SEPARATORS)


@st.composite
def documents(draw, max_fragments: int = 25, max_repeat: int = 40) -> str:
    """A text of random fragments; sometimes one fragment repeated on one long line (quadratic scans show up)."""
    parts = draw(st.lists(st.tuples(FRAGMENT, SEPARATOR), min_size=1, max_size=max_fragments))
    text = "".join(f + s for f, s in parts)
    if draw(st.integers(0, 9)) == 0:
        frag, sep = draw(FRAGMENT), draw(st.sampled_from([" ", ", ", "\t", ""]))
        text += sep.join([frag] * draw(st.integers(2, max_repeat)))
    return text


@lru_cache(maxsize=1)
def _tcvn3_inverse() -> dict[str, int]:
    from docparse import lexicon

    return {v: int(k, 16) for k, v in lexicon.load("tcvn3.json")["bytes"].items() if len(v) == 1}


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "tcvn3":  # the legacy 8-bit Vietnamese encoding, as old files have it
        inverse = _tcvn3_inverse()
        return bytes(inverse.get(c, ord(c) if ord(c) < 128 else 63) for c in text)
    return text.encode(encoding, "replace" if encoding not in ("utf-16", "utf-16-le") else "surrogatepass")


@st.composite
def encoded_documents(draw) -> bytes:
    """A generated document as a .txt file's bytes: in one of the encodings docparse reads (or VNI-like cp1252),
    then damaged: bytes flipped, inserted or cut (also mid-character); sometimes plain random bytes."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(min_size=1, max_size=400))
    data = bytearray(_encode(draw(documents(max_fragments=12)),
                             draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1258",
                                                   "tcvn3", "cp1252", "latin-1"]))))
    for _ in range(draw(st.integers(0, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["flip", "insert", "cut"]))
        if edit == "flip":
            data[at] = draw(st.integers(0, 255))
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=4))
        else:
            del data[at:]
    return bytes(data)


# ---- the property --------------------------------------------------------------------------------------------------
_TEXT_EQUAL = (Citation, DateMention, Entity, Indicator)


def _walk(obj):
    """Every record reachable from a pydantic model (lists and nested models)."""
    stack = [obj]
    while stack:
        x = stack.pop()
        if isinstance(x, (list, tuple)):
            stack.extend(x)
        elif isinstance(x, BaseModel):
            yield x
            stack.extend(getattr(x, name) for name in type(x).model_fields)


def assert_spans(doc, findings, text: str) -> None:
    for rec in _walk(doc):
        if isinstance(rec, Span):
            assert 0 <= rec.start <= rec.end <= len(text), (type(rec).__name__, rec)
        elif isinstance(rec, _TEXT_EQUAL):
            assert text[rec.span.start:rec.span.end] == rec.text, (type(rec).__name__, rec.span, rec.text)
    for f in findings:
        for e in f.spans:
            assert isinstance(e, Evidence)
            assert 0 <= e.span.start <= e.span.end <= len(text), (f.code, e.span)
            assert text[e.span.start:e.span.end] == e.text, (f.code, e.span, e.text)


def read_and_check(data: bytes) -> None:
    """The property for bytes read as a .txt file (encoding detection, damage, legacy conversion included)."""
    from docparse.pipeline import build_document
    from docparse.readers.txt import read_txt_bytes

    with _strict():
        try:
            doc = build_document(read_txt_bytes(data, "<fuzz>"))
            findings = docparse.check(doc)
        except DocparseError:
            return
    assert not [n for n in doc.notices if n.code.startswith("internal")], doc.notices
    assert_spans(doc, findings, doc.text)


@contextmanager
def _strict():
    """The per-layer guard re-raises while the property runs (DOCPARSE_STRICT), so no exception hides in a notice."""
    before = os.environ.get("DOCPARSE_STRICT")
    os.environ["DOCPARSE_STRICT"] = "1"
    try:
        yield
    finally:
        if before is None:
            del os.environ["DOCPARSE_STRICT"]
        else:
            os.environ["DOCPARSE_STRICT"] = before


def parse_and_check(text: str) -> None:
    """The property: a DocparseError is an answer; any other exception, or a span off the text, is a bug. The
    per-layer guard (docparse.guard) is made strict while it runs, so a layer's exception is not hidden in a notice."""
    with _strict():
        try:
            doc = docparse.parse_text(text)
            findings = docparse.check(doc)
        except DocparseError:
            return
    assert not [n for n in doc.notices if n.code.startswith("internal")], doc.notices
    assert_spans(doc, findings, text)


# ---- crash bookkeeping for the long runs (benchmarks/fuzz.py, benchmarks/nonadmin.py) --------------------------
def signature(exc: BaseException) -> str:
    """Exception class and the innermost frame inside docparse (or the test's property for a span assertion)."""
    frames = traceback.extract_tb(exc.__traceback__)
    inner = [f for f in frames if "/docparse/" in f.filename] or frames[-1:]
    where = f"{Path(inner[-1].filename).name}:{inner[-1].lineno}" if inner else "?"
    return f"{type(exc).__name__} at {where}"


def crash_of(value, prop=parse_and_check) -> str | None:
    try:
        prop(value)
    except Exception as e:  # noqa: BLE001 - the fuzzer's job is to catch everything
        return signature(e)
    return None


def minimise(value, sig: str, budget: int = 3000, prop=parse_and_check):
    """The shortest text (or bytes) found that still crashes with this signature: delete chunks of lines, then of
    characters, halving the chunk size (delta debugging), at most `budget` runs of the property."""
    calls = 0
    join = "".join if isinstance(value, str) else (lambda parts: bytes(parts) if parts and isinstance(parts[0], int)
                                                   else b"".join(parts))

    def still(v) -> bool:
        nonlocal calls
        calls += 1
        return crash_of(v, prop) == sig

    for unit in ("lines", "chars"):
        parts = value.splitlines(keepends=True) if unit == "lines" else list(value)
        n = max(1, len(parts) // 2)
        while n >= 1 and calls < budget:
            i, changed = 0, False
            while i < len(parts) and calls < budget:
                trial = parts[:i] + parts[i + n:]
                if trial and still(join(trial)):
                    parts, changed = trial, True
                else:
                    i += n
            if not changed:
                n //= 2
        value = join(parts)
    return value
