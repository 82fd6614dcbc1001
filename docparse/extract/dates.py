"""Dates and periods: a value plus a grain, periods as intervals with an exclusive end (Duckling's model).

All patterns run on the normalised text; candidates from every pattern are collected and the longest
non-overlapping ones kept, so "6 tháng đầu năm 2025" wins over its "năm 2025".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..normalize import NormText
from ..schema import DateMention, Span

I = re.IGNORECASE
YEAR = r"((?:19|20)\d{2})(?![\d/])"
ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}
Q = r"(IV|I{1,3}|[1-4])(?![\w])"

_VERBAL = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s*năm\s+" + YEAR, I)
_VERBAL_BLANK = re.compile(r"ngày[ \t_.…]*tháng\s+(\d{1,2})\s*,?\s*năm\s+" + YEAR, I)
_NUMERIC = re.compile(r"(?:ngày\s+)?(?<![\d/.,])(\d{1,2})[ \t]?([/.-])[ \t]?(\d{1,2})[ \t]?\2[ \t]?" + YEAR, I)
_BLANK_DAY_NUMERIC = re.compile(r"ngày[ \t_.…]*/[ \t]*(\d{1,2})[ \t]*/[ \t]*" + YEAR, I)
_DAY_RANGE = re.compile(r"ngày\s+(\d{1,2})\s*[-–]\s*(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*" + YEAR + r")?(?![\d/])", I)
_DAY_MONTH = re.compile(r"ngày\s+(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])", I)
_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|-|,?\s*năm)\s*" + YEAR, I)
_MONTH_BARE = re.compile(r"(?<![\d/.,])(?<!số )(\d{1,2})/" + YEAR, I)
_QUARTER = re.compile(r"quý\s+" + Q + r"((?:\s*(?:,|và|-|–|đến)\s*(?:quý\s+)?(?:IV|I{1,3}|[1-4])(?!\w))*)"
                      r"(?:\s*(?:/|-|,?\s*năm)\s*" + YEAR + ")?", I)
_HALF = re.compile(r"(?:(?:6|06|sáu)\s+tháng|nửa)\s+(đầu|cuối)\s+năm(?:\s+" + YEAR + ")?", I)
_YEAR_RANGE = re.compile(r"(giai\s+đoạn|thời\s+kỳ|nhiệm\s+kỳ|năm\s+học|niên\s+độ|từ\s+năm|năm)\s+(?:từ\s+)?((?:19|20)\d{2})"
                         r"\s*(?:-|–|—|đến(?:\s+năm)?)\s*" + YEAR, I)
_YEAR = re.compile(r"(?:năm|niên\s+độ)\s+" + YEAR, I)
_RECURRING_ANY = re.compile(r"(?<!\w)h[aằ]ng\s+(?:năm|quý|tháng|tuần|ngày)(?!\w)", I)
_RECURRING_CELL = re.compile(r"(?:^|(?<=\t)|(?<=\|))[ \t]*(thường\s+xuyên|định\s+kỳ|liên\s+tục)[ \t]*[.;]?[ \t]*(?=\t|\n|\||$)",
                             I | re.MULTILINE)

_DEADLINE_BEFORE = re.compile(r"(?:trước|hạn\s+chót|không\s+muộn\s+hơn)\s+$", I)
_DEADLINE_BEFORE_DAY = re.compile(r"(?:trước|hoàn\s+thành\s+trước)\s+$", I)
_DEADLINE_BY = re.compile(r"(?:chậm\s+nhất(?:\s+là|\s+vào)?|trước\s+hoặc\s+trong|hạn\s+chót\s+là)\s+$", I)
_RANGE_FROM = re.compile(r"từ\s+$", I)
_RANGE_TO = re.compile(r"^\s*(?:đến|tới|-|–)\s+", I)


@dataclass
class _Cand:
    start: int
    end: int
    kind: str
    begin: dt.date | None
    stop: dt.date | None
    grain: str | None
    valid: bool = True
    inferred: bool = False


def _date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _month_start(y: int, m: int) -> dt.date | None:
    return _date(y, m, 1) if 1 <= m <= 12 else None


def _add_months(d: dt.date, n: int) -> dt.date:
    k = d.month - 1 + n
    return dt.date(d.year + k // 12, k % 12 + 1, 1)


def _day(m: re.Match, d: str, mo: str, y: str | int | None, kind="date", inferred=False) -> _Cand:
    if y is None:
        return _Cand(m.start(), m.end(), kind, None, None, "day", True, True)
    value = _date(int(y), int(mo), int(d))
    if value is None:
        return _Cand(m.start(), m.end(), kind, None, None, "day", False, inferred)
    return _Cand(m.start(), m.end(), kind, value, value + dt.timedelta(days=1), "day", True, inferred)


def _month(m: re.Match, mo: str, y: str | int | None, inferred=False) -> _Cand | None:
    if y is None:
        return _Cand(m.start(), m.end(), "month", None, None, "month", True, True)
    start = _month_start(int(y), int(mo))
    if start is None:
        return None
    return _Cand(m.start(), m.end(), "month", start, _add_months(start, 1), "month", True, inferred)


def _quarters(m: re.Match, first: str, rest: str, y: str | int | None, inferred: bool) -> _Cand:
    qs = [ROMAN_Q[first.upper()]] + [ROMAN_Q[x.upper()] for x in re.findall(r"IV|I{1,3}|[1-4]", rest or "", I)]
    if y is None:
        return _Cand(m.start(), m.end(), "quarter", None, None, "quarter", True, True)
    y = int(y)
    start = dt.date(y, 3 * min(qs) - 2, 1)
    return _Cand(m.start(), m.end(), "quarter", start, _add_months(start, 3 * (max(qs) - min(qs) + 1)), "quarter",
                 True, inferred)


def _candidates(text: str, year: int | None) -> list[_Cand]:
    out: list[_Cand] = []
    add = out.append
    for m in _VERBAL.finditer(text):
        add(_day(m, m[1], m[2], m[3]))
    for m in _VERBAL_BLANK.finditer(text):
        c = _month(m, m[1], m[2])
        if c:
            add(c)
    for m in _NUMERIC.finditer(text):
        if m[2] == "." and not m[0].lower().startswith("ngày"):
            continue
        add(_day(m, m[1], m[3], m[4]))
    for m in _BLANK_DAY_NUMERIC.finditer(text):
        c = _month(m, m[1], m[2])
        if c:
            add(c)
    for m in _DAY_RANGE.finditer(text):
        y, inferred = (int(m[4]), False) if m[4] else (year, True)
        a, b = (_date(y, int(m[3]), int(m[1])), _date(y, int(m[3]), int(m[2]))) if y else (None, None)
        ok = y is None or (a is not None and b is not None and a <= b)
        add(_Cand(m.start(), m.end(), "range", a if ok else None, b + dt.timedelta(days=1) if ok and b else None,
                  "day", ok, inferred))
    for m in _DAY_MONTH.finditer(text):
        add(_day(m, m[1], m[2], year, inferred=True))
    for m in _MONTH.finditer(text):
        c = _month(m, m[1], m[2])
        if c:
            add(c)
    for m in _MONTH_BARE.finditer(text):
        c = _month(m, m[1], m[2])
        if c:
            add(c)
    for m in _QUARTER.finditer(text):
        add(_quarters(m, m[1], m[2], m[3] or year, m[3] is None))
    for m in _HALF.finditer(text):
        y = int(m[2]) if m[2] else year
        if y is None:
            add(_Cand(m.start(), m.end(), "half_year", None, None, "half_year", True, True))
            continue
        start = dt.date(y, 1 if m[1].lower() == "đầu" else 7, 1)
        add(_Cand(m.start(), m.end(), "half_year", start, _add_months(start, 6), "half_year", True, not m[2]))
    for m in _YEAR_RANGE.finditer(text):
        a, b = int(m[2]), int(m[3])
        if a <= b <= a + 50:
            add(_Cand(m.start(), m.end(), "range", dt.date(a, 1, 1), dt.date(b + 1, 1, 1), "year"))
    for m in _YEAR.finditer(text):
        y = int(m[1])
        add(_Cand(m.start(), m.end(), "year", dt.date(y, 1, 1), dt.date(y + 1, 1, 1), "year"))
    for rx in (_RECURRING_ANY, _RECURRING_CELL):
        for m in rx.finditer(text):
            s, e = m.span(1) if rx is _RECURRING_CELL else m.span()
            add(_Cand(s, e, "recurring", None, None, None))
    return out


def _select(cands: list[_Cand]) -> list[_Cand]:
    cands.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[_Cand] = []
    last_end = -1
    for c in cands:
        if c.start >= last_end:
            kept.append(c)
            last_end = c.end
        elif c.end - c.start > kept[-1].end - kept[-1].start and c.start >= (kept[-2].end if len(kept) > 1 else -1):
            kept[-1] = c
            last_end = c.end
    return kept


def _combine(text: str, cands: list[_Cand]) -> list[_Cand]:
    """Deadlines ("trước ngày X") and ranges ("từ X đến Y") from the cue words around plain dates."""
    out: list[_Cand] = []
    i = 0
    while i < len(cands):
        c = cands[i]
        before = text[max(0, c.start - 40):c.start]
        nxt = cands[i + 1] if i + 1 < len(cands) else None
        if (nxt and c.kind in ("date", "month", "year") and _RANGE_FROM.search(before)
                and _RANGE_TO.match(text[c.end:nxt.start]) and nxt.kind in ("date", "month", "year")):
            start = before.lower().rfind("từ")
            out.append(_Cand(c.start - (len(before) - start), nxt.end, "range", c.begin, nxt.stop,
                             c.grain, c.valid and nxt.valid, c.inferred or nxt.inferred))
            i += 2
            continue
        if c.kind in ("date", "month", "quarter", "half_year", "year"):
            cue = _DEADLINE_BY.search(before) or _DEADLINE_BEFORE.search(before)
            if cue:
                exclusive_end = c.stop if cue.re is _DEADLINE_BY else c.begin
                out.append(_Cand(c.start - (len(before) - cue.start()), c.end, "deadline", None, exclusive_end,
                                 c.grain, c.valid, c.inferred))
                i += 1
                continue
        out.append(c)
        i += 1
    return out


def extract_dates(nt: NormText, year: int | None = None, *, regions: list[tuple[int, int]] | None = None
                  ) -> list[DateMention]:
    """Dates in the normalised text, optionally restricted to `regions` (normalised offsets)."""
    text = nt.text
    cands = _combine(text, _select(_candidates(text, year)))
    out = []
    for c in cands:
        if regions and not any(a <= c.start and c.end <= b for a, b in regions):
            continue
        s, e = nt.orig_span(c.start, c.end)
        out.append(DateMention(kind=c.kind, start=c.begin, end=c.stop, grain=c.grain, valid=c.valid,
                               year_inferred=c.inferred, text=nt.original[s:e], span=Span(start=s, end=e)))
    return out


def parse_date_phrase(text: str) -> DateMention | None:
    """The first date mention in a short phrase ("ngày 24/02/2023"), used by other extractors."""
    from ..normalize import normalize

    found = extract_dates(normalize(text, strip_html=False))
    return found[0] if found else None
