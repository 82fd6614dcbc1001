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

# Patterns run on the lower-cased normalised text and are tried only where a cheap literal trigger occurs
# ("ngày", "tháng", "quý", "quí", "năm", "/" …): scanning 15 regexes over every position would cost ten times more.
YEAR = r"((?:19|20)\d{2})(?![\d/])"
ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
Q = r"(iv|i{1,3}|[1-4])(?!\w)"

_VERBAL = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s*năm\s+" + YEAR)
_VERBAL_BLANK = re.compile(r"ngày[ \t_.…]*tháng\s+(\d{1,2})\s*,?\s*năm\s+" + YEAR)
_NUMERIC = re.compile(r"(\d{1,2})[ \t]?([/.-])[ \t]?(\d{1,2})[ \t]?\2[ \t]?" + YEAR)
_NGAY_NUMERIC = re.compile(r"ngày\s+(\d{1,2})[ \t]?([/.-])[ \t]?(\d{1,2})[ \t]?\2[ \t]?" + YEAR)
_BLANK_DAY_NUMERIC = re.compile(r"ngày[ \t_.…]*/[ \t]*(\d{1,2})[ \t]*/[ \t]*" + YEAR)
_DAY_RANGE = re.compile(r"ngày\s+(\d{1,2})\s*[-–]\s*(\d{1,2})\s*/\s*(\d{1,2})(?:\s*/\s*" + YEAR + r")?(?![\d/])")
_VERBAL_NO_YEAR = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?!\d)(?!\s*,?\s*năm\s+\d)")
_DAY_MONTH = re.compile(r"ngày\s+(\d{1,2})\s*/\s*(\d{1,2})(?![\d/])")
_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|-|,?\s*năm)\s*" + YEAR)
_MONTH_BARE = re.compile(r"(\d{1,2})/" + YEAR)
_QUARTER = re.compile(r"qu[ýí]\s+" + Q + r"((?:\s*(?:,|và|-|–|đến)\s*(?:qu[ýí]\s+)?(?:iv|i{1,3}|[1-4])(?!\w)){0,6})"
                      r"(?:\s*(?:/|-|,?\s*năm)\s*" + YEAR + ")?")
_HALF = re.compile(r"(?:(?:6|06|sáu)\s+tháng|nửa)\s+(đầu|cuối)\s+năm(?:\s+" + YEAR + ")?")
_YEAR_RANGE = re.compile(r"(?:giai\s+đoạn|thời\s+kỳ|nhiệm\s+kỳ|năm\s+học|niên\s+độ|từ\s+năm|năm)\s+(?:từ\s+)?((?:19|20)\d{2})"
                         r"\s*(?:-|–|—|đến(?:\s+năm)?)\s*" + YEAR)
_YEAR = re.compile(r"(?:năm|niên\s+độ)\s+" + YEAR)
_RECURRING_ANY = re.compile(r"h[aàằ]ng\s+(?:năm|quý|tháng|tuần|ngày)(?!\w)")
_RECURRING_CELL = re.compile(r"(?:thường\s+xuyên|định\s+kỳ|liên\s+tục)")

_DEADLINE_BEFORE = re.compile(r"(?:trước|hạn\s+chót|không\s+muộn\s+hơn)\s+$")
_DEADLINE_BY = re.compile(r"(?:chậm\s+nhất(?:\s+là|\s+vào)?|trước\s+hoặc\s+trong|hạn\s+chót\s+là|hạn\s+cuối(?:\s+là)?)\s+$")
_RANGE_FROM = re.compile(r"từ\s+$")
_RANGE_TO = re.compile(r"\s*(?:đến|tới|-|–)\s*")
_UNTIL_NOW = re.compile(r"\s*(?:(?:đến|tới)\s+(?:nay|hiện\s+nay)|trở\s+đi|trở\s+về\s+sau)(?!\w)")
_TRIGGERS = re.compile(r"ngày|tháng|quý|năm|nửa|giai|thời|nhiệm|niên|từ|h[aằ]ng|thường|định|liên|/")


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
    qs = [ROMAN_Q[first]] + [ROMAN_Q[x] for x in re.findall(r"iv|i{1,3}|[1-4]", rest or "")]
    if y is None:
        return _Cand(m.start(), m.end(), "quarter", None, None, "quarter", True, True)
    y = int(y)
    start = dt.date(y, 3 * min(qs) - 2, 1)
    return _Cand(m.start(), m.end(), "quarter", start, _add_months(start, 3 * (max(qs) - min(qs) + 1)), "quarter",
                 True, inferred)


_WORDS = {w: re.compile(re.escape(w)) for w in
          ("ngày", "tháng", "quý", "quí", "năm", "nửa", "giai đoạn", "thời kỳ", "nhiệm kỳ", "niên độ", "từ năm", "hằng",
           "hàng", "thường xuyên", "định kỳ", "liên tục", "/")}
_SIX_BEFORE = re.compile(r"(?:6|06|sáu)\s+$")


def lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _candidates(low: str, year: int | None) -> list[_Cand]:
    out: list[_Cand] = []
    add = out.append

    def hits(word):
        return (m.start() for m in _WORDS[word].finditer(low))

    for p in hits("ngày"):
        if m := _VERBAL.match(low, p):
            add(_day(m, m[1], m[2], m[3]))
        elif m := _VERBAL_NO_YEAR.match(low, p):
            add(_day(m, m[1], m[2], year, inferred=True))
        if m := _NGAY_NUMERIC.match(low, p):
            add(_day(m, m[1], m[3], m[4]))
        if m := _VERBAL_BLANK.match(low, p):
            if c := _month(m, m[1], m[2]):
                add(c)
        if m := _BLANK_DAY_NUMERIC.match(low, p):
            if c := _month(m, m[1], m[2]):
                add(c)
        if m := _DAY_RANGE.match(low, p):
            y, inferred = (int(m[4]), False) if m[4] else (year, True)
            a, b = (_date(y, int(m[3]), int(m[1])), _date(y, int(m[3]), int(m[2]))) if y else (None, None)
            ok = y is None or (a is not None and b is not None and a <= b)
            add(_Cand(m.start(), m.end(), "range", a if ok else None, b + dt.timedelta(days=1) if ok and b else None,
                      "day", ok, inferred))
        elif m := _DAY_MONTH.match(low, p):
            add(_day(m, m[1], m[2], year, inferred=True))
    for p in hits("/"):
        j = p - 1 if p and low[p - 1] in " \t" else p
        k = j
        while k > 0 and low[k - 1].isdigit() and j - k < 3:
            k -= 1
        if not 1 <= j - k <= 2 or (k > 0 and low[k - 1] in "0123456789/.,"):
            continue
        if m := _NUMERIC.match(low, k):
            if m[2] == "/":
                add(_day(m, m[1], m[3], m[4]))
        elif (m := _MONTH_BARE.match(low, k)) and not low[max(0, k - 3):k] == "số ":
            if c := _month(m, m[1], m[2]):
                add(c)
    for p in hits("tháng"):
        if m := _MONTH.match(low, p):
            if c := _month(m, m[1], m[2]):
                add(c)
        if six := _SIX_BEFORE.search(low, max(0, p - 6), p):
            if m := _HALF.match(low, six.start()):
                add(_half(m, year))
    for p in hits("nửa"):
        if m := _HALF.match(low, p):
            add(_half(m, year))
    for word in ("quý", "quí"):
        for p in hits(word):
            if m := _QUARTER.match(low, p):
                add(_quarters(m, m[1], m[2], m[3] or year, m[3] is None))
    for word in ("năm", "giai đoạn", "thời kỳ", "nhiệm kỳ", "niên độ", "từ năm"):
        for p in hits(word):
            if m := _YEAR_RANGE.match(low, p):
                a, b = int(m[1]), int(m[2])
                if a <= b <= a + 50:
                    add(_Cand(m.start(), m.end(), "range", dt.date(a, 1, 1), dt.date(b + 1, 1, 1), "year"))
            elif word in ("năm", "niên độ") and (m := _YEAR.match(low, p)):
                y = int(m[1])
                add(_Cand(m.start(), m.end(), "year", dt.date(y, 1, 1), dt.date(y + 1, 1, 1), "year"))
    for word in ("hằng", "hàng"):
        for p in hits(word):
            if (m := _RECURRING_ANY.match(low, p)) and (p == 0 or not low[p - 1].isalnum()):
                add(_Cand(m.start(), m.end(), "recurring", None, None, None))
    for word in ("thường xuyên", "định kỳ", "liên tục"):
        for p in hits(word):
            if (m := _RECURRING_CELL.match(low, p)) and _is_cell(low, m.start(), m.end()):
                add(_Cand(m.start(), m.end(), "recurring", None, None, None))
    return out


def _half(m: re.Match, year: int | None) -> _Cand:
    y = int(m[2]) if m[2] else year
    if y is None:
        return _Cand(m.start(), m.end(), "half_year", None, None, "half_year", True, True)
    start = dt.date(y, 1 if m[1] == "đầu" else 7, 1)
    return _Cand(m.start(), m.end(), "half_year", start, _add_months(start, 6), "half_year", True, not m[2])


def _is_cell(low: str, a: int, b: int) -> bool:
    """A table cell of its own: only blanks between it and a tab, a "|" or the line's ends."""
    i = a
    while i > 0 and low[i - 1] in " \t":
        if low[i - 1] == "\t":
            break
        i -= 1
    if i > 0 and low[i - 1] not in "\n\t|":
        return False
    j = b
    while j < len(low) and low[j] in " .;":
        j += 1
    return j == len(low) or low[j] in "\n\t|\r"


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
        if c.kind in ("date", "month", "year") and _RANGE_FROM.search(before):
            start = c.start - (len(before) - before.rfind("từ"))
            if nxt and nxt.kind in ("date", "month", "year") and _RANGE_TO.fullmatch(text, c.end, nxt.start):
                ok = c.valid and nxt.valid and (c.begin is None or nxt.stop is None or c.begin < nxt.stop)
                out.append(_Cand(start, nxt.end, "range", c.begin if ok else None, nxt.stop if ok else None, c.grain,
                                 ok, c.inferred or nxt.inferred))
                i += 2
                continue
            if until := _UNTIL_NOW.match(text, c.end):
                out.append(_Cand(start, until.end(), "range", c.begin, None, c.grain, c.valid, c.inferred))
                i += 1
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


def extract_dates(nt: NormText, year: int | None = None, *, regions: list[tuple[int, int]] | None = None,
                  low: str | None = None) -> list[DateMention]:
    """Dates in the normalised text, optionally restricted to `regions` (normalised offsets)."""
    low = low if low is not None else lower_same_length(nt.text)
    cands = _combine(low, _select(_candidates(low, year)))
    out = []
    for c in cands:
        if regions and not any(a <= c.start and c.end <= b for a, b in regions):
            continue
        s, e = nt.orig_span(c.start, c.end)
        out.append(DateMention.model_construct(kind=c.kind, start=c.begin, end=c.stop, grain=c.grain, valid=c.valid,
                               year_inferred=c.inferred, text=nt.original[s:e], span=Span.model_construct(start=s, end=e)))
    return out


def date_of_phrase(phrase: str) -> tuple[dt.date | None, bool]:
    """(date, valid) of a short "ngày 24/02/2023" / "ngày 24 tháng 2 năm 2023" phrase; (None, True) if it has no day."""
    low = " ".join(phrase.lower().split())
    m = _VERBAL.match(low) or _NGAY_NUMERIC.match(low)
    if not m:
        return None, True
    d, mo, y = (m[1], m[2], m[3]) if m.re is _VERBAL else (m[1], m[3], m[4])
    value = _date(int(y), int(mo), int(d))
    return value, value is not None
