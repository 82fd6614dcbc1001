"""Dates and numbers built from digits found in text, which never raise.

Text can hold any digits: "ngày … tháng 0 năm 0000", "31/02", a year 9999 whose next month does not exist, a
malformed decimal that parses to nothing. Every constructor here answers None where `datetime.date`, `int` or a
division would raise, so an extractor or a check decides what a missing value means instead of crashing.
"""
from __future__ import annotations

import datetime as dt
import math

_MAX_INT_DIGITS = 40  # longer digit strings are identifiers or noise, never a day, a year or an amount


def to_int(value) -> int | None:
    """An int from an int or a string of digits (blanks around it allowed); None for anything else."""
    kind = type(value)
    if kind is str and value.isascii() and value.isdigit() and len(value) <= _MAX_INT_DIGITS:
        return int(value)  # the common case: plain ASCII digits, nothing to strip, nothing int() could refuse
    if kind is int:
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > _MAX_INT_DIGITS or not s.isdigit():
        return None
    try:
        return int(s)
    except ValueError:  # a digit int() does not take (superscripts count as digits for str.isdigit)
        return None


def to_float(value) -> float | None:
    """A finite float from a number or a decimal string with a dot; None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return f if math.isfinite(f) else None


def div(a, b) -> float | None:
    """a / b, or None when either is missing, b is zero or the result is not a finite number."""
    x, y = (v if isinstance(v, (int, float)) and not isinstance(v, bool) else to_float(v) for v in (a, b))
    if x is None or not y:
        return None
    try:
        q = x / y  # ints divide exactly rounded, as the plain operator would
    except (OverflowError, ZeroDivisionError):
        return None
    return q if math.isfinite(q) else None


def make_date(year, month, day=1) -> dt.date | None:
    """The date, or None when any part is missing, not digits, or out of range (month 0, 31/02, year 0000)."""
    y, m, d = to_int(year), to_int(month), to_int(day)
    if y is None or m is None or d is None or not (dt.MINYEAR <= y <= dt.MAXYEAR and 1 <= m <= 12 and 1 <= d <= 31):
        return None
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def add_days(d: dt.date | None, n: int) -> dt.date | None:
    if d is None:
        return None
    try:
        return d + dt.timedelta(days=n)
    except OverflowError:
        return None


def add_months(d: dt.date | None, n: int) -> dt.date | None:
    """The first day of the month `n` months after the month of `d`."""
    if d is None:
        return None
    k = d.month - 1 + n
    return make_date(d.year + k // 12, k % 12 + 1, 1)


def month_end(year, month) -> dt.date | None:
    """The last day of the month."""
    start = make_date(year, month, 1)
    return add_days(add_months(start, 1), -1) if start else None


def from_iso(value: str | None) -> dt.date | None:
    """"YYYY-MM-DD" → date; "YYYY-MM" → the first of the month; None for anything else (month 00 included)."""
    if not value or not isinstance(value, str):
        return None
    parts = value.split("-")
    if len(parts) == 2:
        parts.append("1")
    if len(parts) != 3:
        return None
    return make_date(*parts)
