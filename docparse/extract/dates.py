"""Dates and periods: a value plus a grain, periods as intervals with an exclusive end (Duckling's model).

All patterns run on the normalised text; candidates from every pattern are collected and the longest
non-overlapping ones kept, so "6 tháng đầu năm 2025" wins over its "năm 2025".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from ..normalize import NormText, lower_text
from ..safe import add_days, add_months, make_date
from ..schema import DateMention, trusted_records
from .spans import orig_spans

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


def _from_letter(src: str, k: int) -> re.Pattern:
    """`src`, whose first k + 1 characters are literal letters, compiled to start at its (k+1)-th letter ("ngày" at
    its "à", "năm" at its "ă"), the letters before it checked behind: re then skips the text in its tight one-letter
    loop, to a rarer letter — about twice as fast as a search for the whole word from its frequent first letter. A
    match starts k characters before what re reports. finditer still sees the same matches: none of these patterns'
    matches ends with the first letters of its trigger word, so no match can begin inside the one before it."""
    return re.compile(src[k] + "(?<=" + src[:k + 1] + ")" + src[k + 1:] if k else src)


_NGAY_SCAN = _from_letter(_NGAY.pattern, 2)
_SLASH_YEAR = re.compile(r"/[ \t]?(?:(?P<m>\d{1,2})[ \t]?/[ \t]?)?(?P<y>(?:19|20)\d{2})(?![\d/])")
# "tháng 7/2025" (a month) and "[6] tháng đầu năm 2025" (a half year): one scan, the letter after "tháng" tells which
_MONTH = _from_letter(r"tháng\s+(?:(?P<mo>\d{1,2})\s*(?:/|-|,?\s*năm)\s*(?P<my>(?:19|20)\d{2})(?![\d/])"
                      r"|(?P<half>đầu|cuối)\s+năm(?:\s+(?P<hy>(?:19|20)\d{2})(?![\d/]))?)", 2)
_HALF = _from_letter(r"nửa\s+(đầu|cuối)\s+năm(?:\s+" + YEAR + ")?", 1)
_QUARTER = re.compile(r"q(?=u[ýí])u[ýí]\s+" + Q + r"((?:\s*(?:,|và|-|–|đến)\s*(?:qu[ýí]\s+)?(?:iv|i{1,3}|[1-4])(?!\w)){0,6})"
                      r"(?:\s*(?:/|-|,?\s*năm)\s*" + YEAR + ")?")
_NAM = _from_letter(r"năm\s+(?:học\s+)?(?:từ\s+)?((?:19|20)\d{2})(?:\s*(?:-|–|—|đến(?:\s+năm)?)\s*((?:19|20)\d{2}))?(?![\d/])", 1)
# "giai đoạn", "thời kỳ", "nhiệm kỳ", "niên độ" + years; "thường xuyên", "định kỳ", "liên tục" (recurring, in a cell):
# matched where they start, found from a rare letter — "kỳ" (three of them) and "đoạn" from theirs, see _starts_before
_PERIOD_WORDS = [re.compile(w + r"\s+(?:từ\s+)?(?:năm\s+)?((?:19|20)\d{2})(?:\s*(?:-|–|—|đến(?:\s+năm)?)\s*((?:19|20)\d{2}))?"
                            r"(?![\d/])") for w in (r"giai\s+đoạn", r"thời\s+kỳ", r"nhiệm\s+kỳ", r"niên\s+độ")]
_NIEN_DO = _from_letter(_PERIOD_WORDS[3].pattern, 2)
_RECURRING_CELL = [re.compile(w) for w in (r"thường\s+xuyên", r"định\s+kỳ", r"liên\s+tục")]
_THUONG_XUYEN, _LIEN_TUC = _from_letter(_RECURRING_CELL[0].pattern, 2), _from_letter(_RECURRING_CELL[2].pattern, 2)
_KY, _DOAN = re.compile("ỳ(?<=kỳ)"), re.compile("ạ(?<=đoạ)n")
# "hằng năm", "hàng tháng", "hang ngay" …: one scan, from the "g" (the word is checked behind it, and starts three
# letters before; the letter after its "h" tells the spelling)
_RECURRING_ANY = re.compile(r"g(?<=h[ằàa]ng)\s+(?:năm|quý|tháng|tuần|ngày)(?!\w)")
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


@dataclass(slots=True)
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
# an exception (a document dated "năm 0000" lends that year to its "quý II"); the same few days recur in a document,
# so the pure constructors are memoised (typed: make_date(True, …) is None, make_date(1, …) is not)
_date = lru_cache(maxsize=4096, typed=True)(make_date)
_month_start = _date
_add_months = lru_cache(maxsize=1024)(add_months)
_add_days = lru_cache(maxsize=4096)(add_days)


def _day(a: int, b: int, d: str, mo: str, y: str | int | None, kind="date", inferred=False) -> _Cand:
    if y is None:
        return _Cand(a, b, kind, None, None, "day", True, True)
    value = _date(y, mo, d)
    if value is None:
        return _Cand(a, b, kind, None, None, "day", False, inferred)
    return _Cand(a, b, kind, value, _add_days(value, 1), "day", True, inferred)


def _month(a: int, b: int, mo: str, y: str | int | None, inferred=False) -> _Cand | None:
    if y is None:
        return _Cand(a, b, "month", None, None, "month", True, True)
    start = _month_start(y, mo)
    if start is None:
        return None
    return _Cand(a, b, "month", start, _add_months(start, 1), "month", True, inferred)


_ROMAN_RE = re.compile(r"iv|i{1,3}|[1-4]")


def _quarters(m: re.Match, first: str, rest: str, y: str | int | None, inferred: bool) -> _Cand:
    qs = [ROMAN_Q[first]] + ([ROMAN_Q[x] for x in _ROMAN_RE.findall(rest)] if rest else [])
    kind = "quarter" if len(set(qs)) == 1 else "range"  # "Quý III và IV/2025" spans two quarters
    if y is None:
        return _Cand(m.start(), m.end(), kind, None, None, "quarter", True, True)
    start = _date(y, 3 * min(qs) - 2, 1)
    return _Cand(m.start(), m.end(), kind, start, _add_months(start, 3 * (max(qs) - min(qs) + 1)), "quarter",
                 True, inferred)


def lower_same_length(text: str) -> str:
    """text.lower() where that keeps the length (made in pieces: normalize.lower_text), else letter by letter keeping
    those whose lower case is longer ("İ")."""
    low = lower_text(text)
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _candidates(low: str, year: int | None) -> list[_Cand]:
    out: list[_Cand] = []
    add = out.append
    for m in _NGAY_SCAN.finditer(low):
        a, b = m.start() - 2, m.end()
        if m["vd"]:
            add(_day(a, b, m["vd"], m["vm"], m["vy"]) if m["vy"] else _day(a, b, m["vd"], m["vm"], year, inferred=True))
        elif m["nd"]:
            add(_day(a, b, m["nd"], m["nm"], m["ny"]))
        elif m["rd1"]:
            y, inferred = (int(m["ry"]), False) if m["ry"] else (year, True)
            x, z = (_date(y, m["rm"], m["rd1"]), _date(y, m["rm"], m["rd2"])) if y else (None, None)
            ok = y is None or (x is not None and z is not None and x <= z)
            add(_Cand(a, b, "range", x if ok else None, _add_days(z, 1) if ok and z else None, "day", ok, inferred))
        elif m["dd"]:
            add(_day(a, b, m["dd"], m["dm"], year, inferred=True))
            _joined_days(low, b, year, add)
        elif m["gy"]:
            add(_Cand(a, b, "date", None, None, "day", False))
        elif (c := _month(a, b, m["bm"] or m["bnm"], m["by"] or m["bny"])):
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
    halves = []
    for m in _MONTH.finditer(low):
        if m["mo"]:
            if c := _month(m.start() - 2, m.end(), m["mo"], m["my"]):
                add(c)
        elif six := _SIX_BEFORE.search(low, max(0, m.start() - 8), m.start() - 2):
            halves.append(_half(six.start(), m.end(), m["half"], m["hy"], year))
    out.extend(halves)
    for m in _HALF.finditer(low):
        add(_half(m.start() - 1, m.end(), m[1], m[2], year))
    for m in _QUARTER.finditer(low):
        add(_quarters(m, m[1], m[2], m[3] or year, m[3] is None))
    for m in _NAM.finditer(low):
        _years(m.start() - 1, m, True, add)
    ky = [m.start() - 1 for m in _KY.finditer(low)]
    periods = [_matches_at(_PERIOD_WORDS[0], low, _starts_before(low, [m.start() - 2 for m in _DOAN.finditer(low)],
                                                                 "giai")),
               _matches_at(_PERIOD_WORDS[1], low, _starts_before(low, ky, "thời")),
               _matches_at(_PERIOD_WORDS[2], low, _starts_before(low, ky, "nhiệm")),
               [(m.start() - 2, m) for m in _NIEN_DO.finditer(low)]]
    for i, found in enumerate(periods):
        for a, m in found:
            _years(a, m, i == 3, add)
    spellings: dict[str, list] = {"ằ": [], "à": [], "a": []}
    for m in _RECURRING_ANY.finditer(low):
        spellings[low[m.start() - 2]].append(m)
    for found in spellings.values():  # in the order the three spellings were once scanned
        for m in found:
            a = m.start() - 3
            if a == 0 or not low[a - 1].isalnum():
                add(_Cand(a, m.end(), "recurring", None, None, None))
    for found in ([(m.start() - 2, m) for m in _THUONG_XUYEN.finditer(low)],
                  _matches_at(_RECURRING_CELL[1], low, _starts_before(low, ky, "định")),
                  [(m.start() - 2, m) for m in _LIEN_TUC.finditer(low)]):
        for a, m in found:
            if _is_cell(low, a, m.end()):
                add(_Cand(a, m.end(), "recurring", None, None, None))
    return out


def _starts_before(low: str, seconds: list[int], first: str) -> list[int]:
    """Where `first` starts when it stands before one of the `seconds` (offsets of a second word), blanks between."""
    out = []
    for j in seconds:
        i = j
        while i > 0 and low[i - 1].isspace():
            i -= 1
        if i < j and i >= len(first) and low.startswith(first, i - len(first)):
            out.append(i - len(first))
    return out


def _matches_at(rx: re.Pattern, low: str, starts: list[int]) -> list[tuple[int, re.Match]]:
    """(start, match) of rx.finditer(low), for a pattern that can only match at one of `starts` (in order)."""
    out = []
    last = 0
    for p in starts:
        if p >= last and (m := rx.match(low, p)):
            out.append((p, m))
            last = m.end()
    return out


def _years(a: int, m: re.Match, single: bool, add) -> None:
    """A year ("năm 2025", when `single`) or a range of years ("giai đoạn 2021 - 2025")."""
    x = int(m[1])
    if m[2]:
        z = int(m[2])
        if x <= z <= x + 50:
            add(_Cand(a, m.end(), "range", _date(x, 1, 1), _date(z + 1, 1, 1), "year"))
    elif single:
        add(_Cand(a, m.end(), "year", _date(x, 1, 1), _date(x + 1, 1, 1), "year"))


def _joined_days(low: str, pos: int, year: int | None, add) -> None:
    """The bare "dd/mm" days listed after a "ngày dd/mm" date, in the same year (the document's)."""
    while m := _AND_DAY.match(low, pos):
        c = _day(m.start(1), m.end(), m[1], m[2], year, inferred=True)
        c.joined = True
        add(c)
        pos = m.end()


def _day_at(a: int, b: int, d: str, mo: str, y: str) -> _Cand:
    value = _date(y, mo, d)
    if value is None:
        return _Cand(a, b, "date", None, None, "day", False)
    return _Cand(a, b, "date", value, _add_days(value, 1), "day")


def _month_at(a: int, b: int, mo: str, y: str) -> _Cand | None:
    start = _month_start(y, mo)
    return _Cand(a, b, "month", start, _add_months(start, 1), "month") if start else None


def _half(begin: int, end: int, which: str, written: str | None, year: int | None) -> _Cand:
    """"[6 tháng | nửa] đầu/cuối năm [2025]": `written` the year when it is there, else the document's `year`."""
    y = int(written) if written else year
    if y is None:
        return _Cand(begin, end, "half_year", None, None, "half_year", True, True)
    start = _date(y, 1 if which == "đầu" else 7, 1)
    return _Cand(begin, end, "half_year", start, _add_months(start, 6), "half_year", True, not written)


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
    if regions:
        if len(regions) == 1:
            (x, z), = regions
            cands = [c for c in cands if x <= c.start and c.end <= z]
        else:
            cands = [c for c in cands if any(x <= c.start and c.end <= z for x, z in regions)]
    cands = cands[:MAX_DATES]
    original = nt.original
    return trusted_records(DateMention, [  # the records validation would make of these rows, made directly
        {"kind": c.kind, "start": c.begin, "end": c.stop, "grain": c.grain, "valid": c.valid,
         "year_inferred": c.inferred, "text": original[s:e], "span": {"start": s, "end": e}}
        for c, (s, e) in zip(cands, orig_spans(nt, [(c.start, c.end) for c in cands]))])


@lru_cache(maxsize=1024)
def date_of_phrase(phrase: str) -> tuple[dt.date | None, bool]:
    """(date, valid) of a short "ngày 24/02/2023" / "ngày 24 tháng 2 năm 2023" phrase; (None, True) if it has no day."""
    m = _NGAY.match(" ".join(phrase.lower().split()))
    if not m or not (m["vy"] or m["ny"]):
        return None, True
    d, mo, y = (m["vd"], m["vm"], m["vy"]) if m["vy"] else (m["nd"], m["nm"], m["ny"])
    value = _date(y, mo, d)
    return value, value is not None
