"""Statistical appendix forms (Biểu mẫu …: STT | Chỉ tiêu | Đơn vị tính | Số liệu | Ghi chú) as rows.

Rows arrive as tab-separated lines (plain-text conversions, and DOCX/PDF tables, which the readers render the same
way). Column roles come from the header row when there is one; a column's number convention is decided from its
unambiguous cells, so "123,747" in a column that also holds "1.234" reads as Vietnamese, in one that holds "99.95%"
as English.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from ..normalize import NormText
from ..schema import Span, StatRow
from .numbers import parse_number

_ROW = re.compile(r"\n[ \t]*(\d{1,2}(?:\.\d{1,2}){0,4})\.?[ \t]*\t([^\n]*)")  # a literal first: cheap scan
_FORM = re.compile(r"(?:Biểu\s+mẫu|BIỂU\s+MẪU|Biểu\s+số|Mẫu\s+số)\b")
_HEADER = re.compile(r"Đơn\s+vị\s+tính|ĐVT|Số\s+liệu", re.IGNORECASE)
_CODED = re.compile(r"=\s*\d")  # "Có = 1; Không = 0": the value is a code, not a measure
_PERCENT = re.compile(r"%\s*$")
_DEFAULT = {"label": 0, "unit": 1, "value": 2, "note": 3}


def _roles(header: str) -> dict[str, int]:
    """Column index (after the STT column) of each role, from the header cells."""
    cells = [c.strip().lower() for c in header.split("\t")][1:]
    roles: dict[str, int] = {}
    for i, c in enumerate(cells):
        if "đơn vị" in c or c == "đvt":
            roles["unit"] = i
        elif "số liệu" in c or "kết quả" in c or "giá trị" in c:
            roles["value"] = i
        elif "ghi chú" in c:
            roles["note"] = i
        elif "chỉ tiêu" in c or "nội dung" in c:
            roles["label"] = i
    return {**_DEFAULT, **roles} if "value" in roles else dict(_DEFAULT)


def extract_stat_rows(nt: NormText, start: int, end: int) -> tuple[list[StatRow], list[tuple[int, int]]]:
    """Rows and the cleaned-text ranges they cover (indicator extraction leaves those to the rows)."""
    text = nt.text
    if "\t" not in text[start:end]:
        return [], []
    matches = list(_ROW.finditer(text, max(0, start - 1), end))
    if not matches:
        return [], []
    start = max(start, text.rfind("\n\n", start, matches[0].start()))  # headers and form titles sit just above
    forms = [m.start() for m in _FORM.finditer(text, start, end)]
    header_at, headers = [], []  # line starts (in text order) and lines of the header rows
    for m in _HEADER.finditer(text, start, end):
        a = text.rfind("\n", 0, m.start()) + 1
        b = text.find("\n", m.end())
        line = text[a:b if b >= 0 else len(text)]
        if "\t" in line:
            header_at.append(a)
            headers.append(line)
    raw = []
    for m in matches:  # the forms and the header row before each row, found by bisection: linear in rows and forms
        form = bisect_left(forms, m.start())
        h = bisect_left(header_at, m.start()) - 1
        header = headers[h] if h >= 0 else None
        roles = _roles(header) if header else _DEFAULT
        cells = [c.strip() for c in m.group(2).split("\t")]
        get = lambda role: cells[roles[role]] if roles[role] < len(cells) else ""  # noqa: E731
        note = get("note") or None
        # a note in the last cell is prose ("120 nhiệm vụ … đang chờ xác nhận"): the row covers only the cells before it
        cover_end = m.end(2) - len(m.group(2).rsplit("\t", 1)[-1]) if note and roles["note"] == len(cells) - 1 \
            else m.end()
        raw.append((m, form, get("label"), get("unit") or None, get("value"), note, cover_end))
    rows, covered = [], []
    conventions = _column_conventions(raw)
    for m, form, label, unit, value_text, note, cover_end in raw:
        if not label:
            continue
        value = None
        percent = bool(_PERCENT.search(value_text)) or (unit or "").strip() == "%"
        ambiguous = malformed = False
        decimals = 0
        number = value_text.rstrip("% ").strip()
        if number and re.fullmatch(r"[\d.,]+", number):
            integer = not percent and not _CODED.search(unit or "")
            p = parse_number(number, conventions.get(form), expect_integer=integer)
            value, ambiguous, malformed, decimals = p.value, p.ambiguous, p.malformed, p.decimals
        s, e = nt.orig_span(m.start(1), m.end())
        rows.append(StatRow(form=form, code=m.group(1), label=" ".join(label.split()), unit=unit, value=value,
                            value_text=value_text or None, percent=percent, decimals=decimals, ambiguous=ambiguous,
                            malformed=malformed, note=note, span=Span(start=s, end=e)))
        covered.append((m.start(), cover_end))
    return rows, covered


def _column_conventions(raw) -> dict[int, str]:
    """Per form, the convention its value column shows unambiguously (None when it shows none)."""
    votes: dict[int, Counter] = {}
    for _, form, _, unit, value_text, _, _ in raw:
        number = value_text.rstrip("% ").strip()
        if number and re.fullmatch(r"[\d.,]+", number):
            p = parse_number(number)
            if p.convention and not p.ambiguous and not p.malformed:
                votes.setdefault(form, Counter())[p.convention] += 1
    return {f: c.most_common(1)[0][0] for f, c in votes.items() if len(c) == 1 or c.most_common(2)[0][1] >
            c.most_common(2)[1][1]}
