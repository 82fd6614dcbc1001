"""Dates and periods: a value plus a grain, periods as intervals with an exclusive end (Duckling's model).

All patterns run on the normalised text; candidates from every pattern are collected and the longest
non-overlapping ones kept, so "6 tháng đầu năm 2025" wins over its "năm 2025".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..normalize import NormText
from ..safe import add_days, add_months, make_date
from ..schema import DateMention

# Patterns run on the lower-cased normalised text and are tried only where a cheap literal trigger occurs
# ("ngày", "tháng", "quý", "quí", "năm", "/" …): scanning 15 regexes over every position would cost ten times more.
YEAR = r"((?:19|20)\d{2})(?![\d/])"
ROMAN_Q = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
Q = r"(iv|i{1,3}|[1-4])(?!\w)"

# Every pattern starts with a literal ("ngày", "tháng", "năm", "/" …) so re's prefix search skips the text in C.
_NGAY = re.compile(
    r"ngày(?:"
    r"\s+(?P<vd>\d{1,2})\s+tháng\s+(?P<vm>\d{1,2})(?!\s*,?\s*năm\s+\d{5})(?:\s*,?\s*năm\s+(?P<vy>(?:19|20)\d{2})(?![\d/]))?(?!\d)"
    r"|\s+(?P<nd>\d{1,2})[ \t]?(?P<sep>[/.-])[ \t]?(?P<nm>\d{1,2})[ \t]?(?P=sep)[ \t]?(?P<ny>(?:19|20)\d{2})(?![\d/])"
    r"|\s+(?P<rd1>\d{1,2})\s*[-–]\s*(?P<rd2>\d{1,2})\s*/\s*(?P<rm>\d{1,2})(?:\s*/\s*(?P<ry>(?:19|20)\d{2}))?(?![\d/])"
    r"|\s+(?P<dd>\d{1,2})\s*/\s*(?P<dm>\d{1,2})(?![\d/])"
    r"|[ \t_.…]*tháng\s+(?P<bm>\d{1,2})\s*,?\s*năm\s+(?P<by>(?:19|20)\d{2})(?![\d/])"
    r"|[ \t_.…]*/[ \t]*(?P<bnm>\d{1,2})[ \t]*/[ \t]*(?P<bny>(?:19|20)\d{2})(?![\d/])"
    # a garbled year ("ngày 20/11/20225", "ngày 9 tháng 6 năm 20205"): a date that cannot exist, kept as invalid
    r"|\s+\d{1,2}(?:[ \t]?[/.-][ \t]?\d{1,2}[ \t]?[/.-][ \t]?|\s+tháng\s+\d{1,2}\s*,?\s*năm\s+)(?P<gy>(?:19|20)\d{3,4})"
    r"(?![\d/])"
    r")")
_SLASH_YEAR = re.compile(r"/[ \t]?(?:(?P<m>\d{1,2})[ \t]?/[ \t]?)?(?P<y>(?:19|20)\d{2})(?![\d/])")
_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*(?:/|-|,?\s*năm)\s*" + YEAR)
_HALF_AFTER = re.compile(r"tháng\s+(đầu|cuối)\s+năm(?:\s+" + YEAR + ")?")
_HALF = re.compile(r"nửa\s+(đầu|cuối)\s+năm(?:\s+" + YEAR + ")?")
_QUARTER = re.compile(r"qu[ýí]\s+" + Q + r"((?:\s*(?:,|và|-|–|đến)\s*(?:qu[ýí]\s+)?(?:iv|i{1,3}|[1-4])(?!\w)){0,6})"
                      r"(?:\s*(?:/|-|,?\s*năm)\s*" + YEAR + ")?")
_NAM = re.compile(r"năm\s+(?:học\s+)?(?:từ\s+)?((?:19|20)\d{2})(?:\s*(?:-|–|—|đến(?:\s+năm)?)\s*((?:19|20)\d{2}))?(?![\d/])")
_PERIOD_WORDS = [re.compile(w + r"\s+(?:từ\s+)?(?:năm\s+)?((?:19|20)\d{2})(?:\s*(?:-|–|—|đến(?:\s+năm)?)\s*((?:19|20)\d{2}))?"
                            r"(?![\d/])") for w in (r"giai\s+đoạn", r"thời\s+kỳ", r"nhiệm\s+kỳ", r"niên\s+độ")]
_RECURRING_ANY = [re.compile(w + r"\s+(?:năm|quý|tháng|tuần|ngày)(?!\w)") for w in ("hằng", "hàng", "hang")]
_RECURRING_CELL = [re.compile(w) for w in (r"thường\s+xuyên", r"định\s+kỳ", r"liên\s+tục")]
# a cell may join a recurring word with another one or with a cue it follows: "Thường xuyên, hằng năm", "Theo tiến độ
# … và thường xuyên"
_CELL_JOIN_BEFORE = re.compile(r"(?:,|\svà|\shoặc)[ \t]*$")
_CELL_JOIN_AFTER = re.compile(r"[ \t]*[,;][ \t]*(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần|ngày)[ .;]*(?:[\n\t|\r]|$)")
# a bare day joined to a "ngày" date: "trước ngày 01/6 và 15/11 hằng năm", "ngày 05/3, 05/6 và 05/9"
_AND_DAY = re.compile(r"[ \t]*(?:,|và|hoặc)[ \t]*(\d{1,2})[ \t]?/[ \t]?(\d{1,2})(?![\d/])")
_SIX_BEFORE = re.compile(r"(?:6|06|sáu)\s+$")

_DEADLINE_BEFORE = re.compile(r"(?:trước|hạn\s+chót|không\s+muộn\s+hơn)\s+$")
_DEADLINE_BY = re.compile(r"(?:chậm\s+nhất(?:\s+là|\s+vào)?|trước\s+hoặc\s+trong|hạn\s+chót\s+là|hạn\s+cuối(?:\s+là)?)\s+$")
_DEADLINE_HINT = re.compile(r"trước|chậm|hạn|muộn")
_RANGE_FROM = re.compile(r"từ\s+$")
_RANGE_TO = re.compile(r"\s*(?:đến|tới|-|–)\s*")
_SPAN_TO = re.compile(r"[ \t]*(?:đến|tới|-|–)\s*")  # on the first one's line: "…/2025\n- Tháng 12/2025" is a list
_UNTIL_NOW = re.compile(r"\s*(?:(?:đến|tới)\s+(?:nay|hiện\s+nay)|trở\s+đi|trở\s+về\s+sau)(?!\w)")


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
    joined: bool = False  # a bare day listed after a "ngày" date: it takes that date's cue ("trước", "chậm nhất")


# every date is built through docparse.safe: a year 0000, a month 0 or a day past the year 9999 gives None, never
# an exception (a document dated "năm 0000" lends that year to its "quý II")
_date = make_date
_month_start = make_date
_add_months = add_months


def _day(m: re.Match, d: str, mo: str, y: str | int | None, kind="date", inferred=False) -> _Cand:
    if y is None:
        return _Cand(m.start(), m.end(), kind, None, None, "day", True, True)
    value = _date(y, mo, d)
    if value is None:
        return _Cand(m.start(), m.end(), kind, None, None, "day", False, inferred)
    return _Cand(m.start(), m.end(), kind, value, add_days(value, 1), "day", True, inferred)


def _month(m: re.Match, mo: str, y: str | int | None, inferred=False) -> _Cand | None:
    if y is None:
        return _Cand(m.start(), m.end(), "month", None, None, "month", True, True)
    start = _month_start(y, mo)
    if start is None:
        return None
    return _Cand(m.start(), m.end(), "month", start, _add_months(start, 1), "month", True, inferred)


def _quarters(m: re.Match, first: str, rest: str, y: str | int | None, inferred: bool) -> _Cand:
    qs = [ROMAN_Q[first]] + [ROMAN_Q[x] for x in re.findall(r"iv|i{1,3}|[1-4]", rest or "")]
    kind = "quarter" if len(set(qs)) == 1 else "range"  # "Quý III và IV/2025" spans two quarters
    if y is None:
        return _Cand(m.start(), m.end(), kind, None, None, "quarter", True, True)
    start = make_date(y, 3 * min(qs) - 2, 1)
    return _Cand(m.start(), m.end(), kind, start, _add_months(start, 3 * (max(qs) - min(qs) + 1)), "quarter",
                 True, inferred)


def lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _candidates(low: str, year: int | None) -> list[_Cand]:
    out: list[_Cand] = []
    add = out.append
    for m in _NGAY.finditer(low):
        if m["vd"]:
            add(_day(m, m["vd"], m["vm"], m["vy"]) if m["vy"] else _day(m, m["vd"], m["vm"], year, inferred=True))
        elif m["nd"]:
            add(_day(m, m["nd"], m["nm"], m["ny"]))
        elif m["rd1"]:
            y, inferred = (int(m["ry"]), False) if m["ry"] else (year, True)
            a, b = (_date(y, m["rm"], m["rd1"]), _date(y, m["rm"], m["rd2"])) if y else (None, None)
            ok = y is None or (a is not None and b is not None and a <= b)
            add(_Cand(m.start(), m.end(), "range", a if ok else None, add_days(b, 1) if ok and b else None,
                      "day", ok, inferred))
        elif m["dd"]:
            add(_day(m, m["dd"], m["dm"], year, inferred=True))
            _joined_days(low, m.end(), year, add)
        elif m["gy"]:
            add(_Cand(m.start(), m.end(), "date", None, None, "day", False))
        elif (c := _month(m, m["bm"] or m["bnm"], m["by"] or m["bny"])):
            add(c)
    for m in _SLASH_YEAR.finditer(low):
        k = m.start()
        j = k - 1 if k and low[k - 1] in " \t" else k
        i = j
        while i > 0 and low[i - 1].isdigit() and j - i < 3:
            i -= 1
        if not 1 <= j - i <= 2 or (i > 0 and low[i - 1] in "0123456789/.,") or low[max(0, i - 5):i].endswith("ngày "):
            continue
        if m["m"]:
            add(_day_at(i, m.end(), low[i:j], m["m"], m["y"]))
        elif not low[max(0, i - 3):i] == "số " and (c := _month_at(i, m.end(), low[i:j], m["y"])):
            add(c)
    for m in _MONTH.finditer(low):
        if c := _month(m, m[1], m[2]):
            add(c)
    for m in _HALF_AFTER.finditer(low):
        if six := _SIX_BEFORE.search(low, max(0, m.start() - 6), m.start()):
            add(_half(six.start(), m, year))
    for m in _HALF.finditer(low):
        add(_half(m.start(), m, year))
    for m in _QUARTER.finditer(low):
        add(_quarters(m, m[1], m[2], m[3] or year, m[3] is None))
    for rx in [_NAM] + _PERIOD_WORDS:
        for m in rx.finditer(low):
            a = int(m[1])
            if m[2]:
                b = int(m[2])
                if a <= b <= a + 50:
                    add(_Cand(m.start(), m.end(), "range", make_date(a, 1, 1), make_date(b + 1, 1, 1), "year"))
            elif rx is _NAM or rx is _PERIOD_WORDS[-1]:
                add(_Cand(m.start(), m.end(), "year", make_date(a, 1, 1), make_date(a + 1, 1, 1), "year"))
    for rx in _RECURRING_ANY:
        for m in rx.finditer(low):
            if m.start() == 0 or not low[m.start() - 1].isalnum():
                add(_Cand(m.start(), m.end(), "recurring", None, None, None))
    for rx in _RECURRING_CELL:
        for m in rx.finditer(low):
            if _is_cell(low, m.start(), m.end()):
                add(_Cand(m.start(), m.end(), "recurring", None, None, None))
    return out


def _joined_days(low: str, pos: int, year: int | None, add) -> None:
    """The bare "dd/mm" days listed after a "ngày dd/mm" date, in the same year (the document's)."""
    while m := _AND_DAY.match(low, pos):
        c = _day(m, m[1], m[2], year, inferred=True)
        c.start = m.start(1)
        c.joined = True
        add(c)
        pos = m.end()


def _day_at(a: int, b: int, d: str, mo: str, y: str) -> _Cand:
    value = _date(y, mo, d)
    if value is None:
        return _Cand(a, b, "date", None, None, "day", False)
    return _Cand(a, b, "date", value, add_days(value, 1), "day")


def _month_at(a: int, b: int, mo: str, y: str) -> _Cand | None:
    start = _month_start(y, mo)
    return _Cand(a, b, "month", start, _add_months(start, 1), "month") if start else None


def _half(begin: int, m: re.Match, year: int | None) -> _Cand:
    y = int(m[2]) if m[2] else year
    if y is None:
        return _Cand(begin, m.end(), "half_year", None, None, "half_year", True, True)
    start = make_date(y, 1 if m[1] == "đầu" else 7, 1)
    return _Cand(begin, m.end(), "half_year", start, _add_months(start, 6), "half_year", True, not m[2])


def _is_cell(low: str, a: int, b: int) -> bool:
    """A table cell of its own (only blanks between it and a tab, a "|" or the line's ends), or one that ends a cell
    after "và"/"," ("Theo tiến độ … và thường xuyên") or starts one before another recurring word ("Thường xuyên, hằng
    năm")."""
    j = b
    while j < len(low) and low[j] in " .;":
        j += 1
    ends = j == len(low) or low[j] in "\n\t|\r"
    i = a
    while i > 0 and low[i - 1] in " \t":
        if low[i - 1] == "\t":
            break
        i -= 1
    if i == 0 or low[i - 1] in "\n\t|":
        return ends or _CELL_JOIN_AFTER.match(low, b) is not None
    if not ends or not _CELL_JOIN_BEFORE.search(low, max(0, a - 8), a):
        return False
    cell = max(low.rfind("\t", 0, a), low.rfind("|", 0, a))
    return cell >= 0 and "\n" not in low[cell:a] and a - cell < 200  # a short cell, not the end of a wrapped line


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
        if c.kind in ("date", "month", "year") and "từ" in before and _RANGE_FROM.search(before):
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
        if c.kind in ("quarter", "month") and nxt and nxt.kind == c.kind and not (c.inferred or nxt.inferred) \
                and c.begin and nxt.stop and c.begin < nxt.stop and _SPAN_TO.fullmatch(text, c.end, nxt.start):
            out.append(_Cand(c.start, nxt.end, "range", c.begin, nxt.stop, c.grain))  # "Quý IV/2025 - Quý II/2026"
            i += 2
            continue
        if c.kind in ("date", "month", "quarter", "half_year", "year"):
            cue = (_DEADLINE_BY.search(before) or _DEADLINE_BEFORE.search(before)) if _DEADLINE_HINT.search(before) \
                else None
            if cue:
                exclusive_end = c.stop if cue.re is _DEADLINE_BY else c.begin
                out.append(_Cand(c.start - (len(before) - cue.start()), c.end, "deadline", None, exclusive_end,
                                 c.grain, c.valid, c.inferred))
                i += 1
                while i < len(cands) and cands[i].joined:  # "trước ngày 01/6 và 15/11": both are deadlines
                    j = cands[i]
                    out.append(_Cand(j.start, j.end, "deadline", None, j.stop if cue.re is _DEADLINE_BY else j.begin,
                                     j.grain, j.valid, j.inferred))
                    i += 1
                continue
        out.append(c)
        i += 1
    return out


# far above any real document (the most in the corpus is under 300): a record costs about 2.5 KB, and a megabyte of
# "ngày 5/7/2025 " holds 66 000 of them; the pipeline reports the cut (dates.truncated)
MAX_DATES = 20_000


def extract_dates(nt: NormText, year: int | None = None, *, regions: list[tuple[int, int]] | None = None,
                  low: str | None = None) -> list[DateMention]:
    """Dates in the normalised text, optionally restricted to `regions` (normalised offsets)."""
    low = low if low is not None else lower_same_length(nt.text)
    cands = _combine(low, _select(_candidates(low, year)))
    out = []
    for c in cands:
        if len(out) >= MAX_DATES:
            break
        if regions and not any(a <= c.start and c.end <= b for a, b in regions):
            continue
        s, e = nt.orig_span(c.start, c.end)
        out.append(DateMention(kind=c.kind, start=c.begin, end=c.stop, grain=c.grain, valid=c.valid,
                               year_inferred=c.inferred, text=nt.original[s:e], span={"start": s, "end": e}))
    return out


def date_of_phrase(phrase: str) -> tuple[dt.date | None, bool]:
    """(date, valid) of a short "ngày 24/02/2023" / "ngày 24 tháng 2 năm 2023" phrase; (None, True) if it has no day."""
    m = _NGAY.match(" ".join(phrase.lower().split()))
    if not m or not (m["vy"] or m["ny"]):
        return None, True
    d, mo, y = (m["vd"], m["vm"], m["vy"]) if m["vy"] else (m["nd"], m["nm"], m["ny"])
    value = _date(y, mo, d)
    return value, value is not None
