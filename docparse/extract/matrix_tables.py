"""Statistical matrix tables: one row per entity (bộ, tỉnh …), one column per measure, read as Indicator records.

Appendices of national reports ("STT | Bộ, cơ quan | Đơn giản hóa TTHC | Bãi bỏ TTHC | … | Tỷ lệ", one row per
ministry or province, often under a two-level header) are neither prose nor coded forms (stat_tables), and the prose
scan blanks every "|" table. Here a cell becomes an indicator only when its column's header says what is counted
(TTHC, ĐKKD, văn bản, luật … from the number layer's unit list) or that it is a share (Tỷ lệ, %). STT, year, code,
date and note columns give nothing, and neither do tables whose headers name nothing countable (task tables),
tables with a per-row "Đơn vị tính" column (forms) or money columns (budget tables), nor tables whose header cannot
be matched to the number of value columns of their rows. Only the one-cell-per-line "|" layout is read
(tables.pipe_grids), and only in regions that hold an STT header cell, so the cost stays with the tables.
"""
from __future__ import annotations

import re
from collections import Counter

from ..normalize import NormText
from ..schema import Indicator
from .numbers import _UNITS, ParsedNumber, parse_number
from .tables import Cell, pipe_grids

_I = re.IGNORECASE
# an STT header cell, found by its word (a C scan that skips to "S"/"T") then checked to be a whole cell
_STT_WORD = re.compile(r"(?:[Ss][Tt][Tt]|TT|Số\s+TT|Số\s+thứ\s+tự)[ \t*]*\n[ \t]*\|")
# the same cell with the "|" line before it: a region where this is not found has no STT header cell; re finds the
# literal "|" that leads it much faster than the word
_STT_CELL = re.compile(r"\|[ \t]*\n[ \t*]*(?:[Ss][Tt][Tt]|TT|Số\s+TT|Số\s+thứ\s+tự)[ \t*]*\n[ \t]*\|")
_BAR_BEFORE = re.compile(r"\n[ \t]*\|[ \t]*\n[ \t*]*\Z")
# a "|" then, on the next line, an STT cell (_STT_WORD): the match ends where the word starts
_STT_AFTER_BAR = re.compile(r"\|[ \t]*\n[ \t*]*(?=" + _STT_WORD.pattern + ")")
_STT = re.compile(r"(?:STT|TT|Số\s+TT|Số\s+thứ\s+tự)", _I)
_ROW_NO = re.compile(r"(?:[IVXLC]+|\d{1,3}(?:\.\d{1,3})*|[a-zđ])[.)]?")
# a value cell: "1.806", "94,29", "99.4%", "3(1)" (a footnote mark); "-", "x" or nothing: a column with no value
_VALUE = re.compile(r"(?P<n>[-+]?\d[\d.,]*(?:[ \t]*%)?)(?:[ \t]*\(\d{1,2}\))?")
_PLACEHOLDER = frozenset(["", "-", "–", "—", "x", "X"])
_PERCENT = re.compile(r"t[ỷỉ]\s+lệ|%", _I)
_SKIP_COLUMN = re.compile(r"(?:stt|tt|số\s+tt|số\s+thứ\s+tự|mã|số\s+hiệu|ký\s+hiệu|năm|ngày|thời\s+(?:gian|hạn|điểm)|"
                          r"ghi\s+chú|đơn\s+vị\s+tính|đvt|tên)\b|(?:19|20)\d{2}$", _I)
_NOTE = re.compile(r"ghi\s+chú", _I)
# tables that are forms (a unit per row) or budgets: not this module's
_SKIP_TABLE = re.compile(r"đơn\s+vị\s+tính|\bđvt\b|đồng\b|kinh\s+phí|dự\s+toán|ngân\s+sách|đơn\s+giá|thành\s+tiền", _I)
_MONEY_TITLE = re.compile(r"đơn\s+vị(?:\s+tính)?\s*:[^\n]{0,20}đồng", _I)
_SCOPE = re.compile(r"cấp\s+(tỉnh|huyện|xã)", _I)
# counted nouns a column header may name: the number layer's units less places, measures and time
_NOT_COUNTED = frozenset(["xã", "huyện", "cơ quan", "đơn vị", "xã, phường", "sở, ngành", "cấp chính quyền", "chỉ tiêu",
                          "trang", "ngày", "ngày làm việc", "tháng", "năm", "giờ", "phút", "ha", "km", "tấn", "kg"])
_COUNTED = sorted({u for u in _UNITS if u not in _NOT_COUNTED} | {
    "đkkd", "điều kiện kinh doanh", "vbqppl", "văn bản quy phạm pháp luật", "luật", "nghị định", "nghị quyết",
    "thông tư", "thông tư liên tịch", "chỉ thị", "ttlt"}, key=len, reverse=True)
_UNIT = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in _COUNTED) + r")(?!\w)", _I)
_LEAD = re.compile(r"(?:tổng\s+)?(?:số\s+(?:lượng\s+)?)?(?:các\s+)?", _I)
_ACRONYM = re.compile(r"[A-ZĐ]{2,}")
_MAX_GROUP_WORDS = 16
_HEADER_CHARS = 2500  # longest header read (from the STT cell to the first value cell)
_VALUE_LINE = re.compile(r"\n[ \t*]*(?:[-+]?\d[\d.,]*[ \t]*%?(?:[ \t]*\(\d{1,2}\))?|[-–—xX])[ \t*]*\n")
_PROBE_CHARS = 3000  # the header and first rows, read before the whole table
_PLAIN = {str(i): ParsedNumber(i, None) for i in range(1000)}  # most cells: no separator, nothing to decide


def _is_value(c: Cell) -> bool:
    return c.text in _PLACEHOLDER or _VALUE.fullmatch(c.text) is not None


def _split(row: list[Cell]) -> tuple[list[Cell], list[Cell], list[Cell]]:
    """(label cells, value cells, what follows): a row number counts as a label when a label follows it."""
    i = 0
    if len(row) > 1 and _ROW_NO.fullmatch(row[0].text) and not _is_value(row[1]):
        i = 1
    while i < len(row) and not _is_value(row[i]):
        i += 1
    j = i
    while j < len(row) and _is_value(row[j]):
        j += 1
    return row[:i], row[i:j], row[j:]


def _unit_of(header: str) -> tuple[str | None, bool, int]:
    """(first counted noun, whether the header opens with it — "Tổng số TTHC …", "Luật" —, distinct nouns named)."""
    found = [m for m in _UNIT.finditer(header)]
    if not found:
        return None, False, 0
    m = found[0]
    unit = " ".join(m.group().split())
    unit = unit if _ACRONYM.fullmatch(unit) else unit.lower()
    strong = _LEAD.match(header).end() == m.start()
    return unit, strong, len({" ".join(f.group().lower().split()) for f in found})


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s[:2] != s[:2].upper() else s


def _columns(top: list[Cell], lower: list[list[Cell]], k: int, n: int) -> list[tuple[str, str | None, int]] | None:
    """(leaf header, group header, group number) of each of the n value columns, or None when the header does not
    account for them. Two levels at most: a parent over several leaves spans them, the others span both rows."""
    parents = [c.text for c in top[k:]]
    while parents and _NOTE.match(parents[-1]):
        parents.pop()
    if not lower:
        return [(p, None, -1) for p in parents] if len(parents) == n else None
    if len(lower) > 1:
        return None
    leaves = [c.text for c in lower[0]]
    while leaves and _NOTE.match(leaves[-1]):
        leaves.pop()
    g = len(parents) + len(leaves) - n
    if not 1 <= g <= min(len(parents), len(leaves)):
        return [(leaf, None, -1) for leaf in leaves] if len(leaves) == n and not parents else None
    groups = [i for i, p in enumerate(parents) if not _PERCENT.search(p)][:g]
    if len(groups) < g:
        groups = list(range(g))
    size, extra = divmod(len(leaves), g)
    out, pos = [], 0
    for i, p in enumerate(parents):
        if i in groups:
            take = size + (extra if i == groups[-1] else 0)
            out.extend((leaf, p, i) for leaf in leaves[pos:pos + take])
            pos += take
        else:
            out.append((p, None, -1))
    return out if len(out) == n else None


def _column_kinds(cols: list[tuple[str, str | None, int]]) -> list[tuple[str, str] | None]:
    """(kind, unit) of each column, None for a column that holds no indicator. The unit is the counted noun the
    leaf opens with, else the one its group opens with (when the group names one noun only), else one a sibling
    opens with ("Đã tích hợp DVCTT" among "Tổng số TTHC …"), else the first the leaf or its group names."""
    info = []
    for leaf, group, gi in cols:
        lu, ls, _ = _unit_of(leaf)
        gu, gs, gn = _unit_of(group) if group else (None, False, 0)
        info.append((leaf, group, gi, lu, ls, gu, gs and gn == 1))
    out: list[tuple[str, str] | None] = []
    for leaf, group, gi, lu, ls, gu, gstrong in info:
        if _SKIP_COLUMN.match(leaf):
            out.append(None)
            continue
        if _PERCENT.search(leaf) or (group and _PERCENT.search(group) and not lu):
            out.append(("percent", "%"))
            continue
        sibling = next((x[3] for x in info if gi >= 0 and x[2] == gi and x[4]), None)
        unit = (lu if ls else None) or (gu if gstrong else None) or sibling or lu or gu
        out.append(("count", unit) if unit else None)
    return out


def _tables(rows: list[list[Cell]]):
    """Split a grid's rows at each STT header cell: (header rows, data rows) per table. What precedes the STT cell
    in its row ends the table before (a last row glued to the next table's title)."""
    current = None
    for row in rows:
        at = next((k for k, c in enumerate(row) if _STT.fullmatch(c.text)), None)
        if at is not None:
            if current is not None and at:
                current[1].append(row[:at])
            if current is not None:
                yield current
            current = ([row[at:]], [])
        elif current is not None:
            if not current[1] and len(row) > 1 and not any(_is_value(c) for c in row):
                current[0].append(row)  # a header row
            else:
                current[1].append(row)
    if current is not None:
        yield current


def _data_rows(rows: list[list[Cell]], n: int):
    """(labels, values, what follows) of the rows that fill the n value columns. A row cut in two by an empty cell
    (the "|" layout cannot tell an empty cell from a row end) is joined again; a row without its leading labels
    (row-spanned cells) borrows them from the row above."""
    parts = [_split(r) for r in rows if len(r) > 1 or (r and _is_value(r[0]))]
    i = 0
    prev: list[Cell] = []
    while i < len(parts):
        labels, values, rest = parts[i]
        i += 1
        if labels and 0 < len(values) < n and i < len(parts) and not parts[i][0]:
            more = parts[i][1]
            if len(values) + len(more) + 1 == n:
                values, rest = values + [None] + more, parts[i][2]
                i += 1
            elif len(values) + len(more) == n:
                values, rest = values + more, parts[i][2]
                i += 1
        if len(values) != n or not labels:
            continue
        if len(labels) < len(prev):
            labels = prev[:len(prev) - len(labels)] + labels
        prev = labels
        yield labels, values, rest


def _names(labels: list[Cell]) -> tuple[str, str]:
    """(entity, sub-row label) of a row: ("Bộ Công an", "đã thực thi"); row numbers dropped."""
    names = [c.text for c in labels if c.text and not _ROW_NO.fullmatch(c.text)]
    return (names[0], " – ".join(_lower_first(x) for x in names[1:])) if names else ("", "")


def _measure(leaf: str, group: str | None) -> str:
    """"đơn giản hóa TTHC – TTHC, ĐKKD đã chủ động cắt giảm …": the column's headers, leaf first."""
    words = (group or "").split()
    group = " ".join(words[:_MAX_GROUP_WORDS]) + (" …" if len(words) > _MAX_GROUP_WORDS else "")
    leaf, group = _lower_first(leaf), _lower_first(group)
    return f"{leaf} – {group}" if leaf and group and leaf.lower() != group.lower() else leaf or group


def _label(entity: str, sub: str, measure: str) -> str:
    if sub and not measure.lower().startswith(sub.lower()):  # "tổng" row under a "tổng" column: once
        measure = f"{sub} – {measure}"
    return f"{measure} ({entity})" if entity else measure


def read_matrix_tables(nt: NormText, regions: list[tuple[int, int]], convention: str | None = None
                       ) -> tuple[list[Indicator], list[tuple[int, int]]]:
    """Indicators of the matrix tables in `regions` (cleaned-text ranges of "|" tables), in text order, and the
    cleaned-text ranges of their "Ghi chú" cells, which are prose ("07 TTHC không đủ điều kiện …"). Each table runs
    from its STT header cell to the next; its header and first rows are read first, the rest only when they show a
    matrix with a counted column."""
    text = nt.text
    out: list[Indicator] = []
    notes: list[tuple[int, int]] = []
    for a, b in regions:
        if not _STT_CELL.search(text, max(0, a - 12), b):
            continue
        starts = _stt_starts(text, a, b)
        for i, s in enumerate(starts):
            e = starts[i + 1] if i + 1 < len(starts) else b
            # the header: up to the first value cell; it must name a counted noun and no money, per-row unit or budget
            first = _VALUE_LINE.search(text, s, min(e, s + _HEADER_CHARS))
            if first is None or not _UNIT.search(text, s, first.start()) or \
                    _SKIP_TABLE.search(text, s, first.start()) or _MONEY_TITLE.search(text, max(0, s - 300), s):
                continue
            probe = e - s > 2 * _PROBE_CHARS  # a long table: its header and first rows decide whether to read on
            table = _table(text, s, s + _PROBE_CHARS if probe else e)
            layout = _layout(*table) if table else None
            if layout is None:
                continue
            if probe:
                table = _table(text, s, e)
            out.extend(_read(nt, table[1], layout, convention, notes))
    return out, notes


def _stt_starts(text: str, a: int, b: int) -> list[int]:
    """Where the "|" line before each STT header cell of [a, b) starts: for each _STT_WORD match of [a, b), the
    _BAR_BEFORE match in the 12 characters before it. The cells are found from the "|" before them (_STT_AFTER_BAR,
    literal-led: a scan for the words themselves tests every "S" and "T" of the text); a word's bar lies within 12
    characters, so the scan starts 12 characters early."""
    starts = []
    for m in _STT_AFTER_BAR.finditer(text, max(0, a - 12), b):
        w = m.end()
        if w >= a and (bar := _BAR_BEFORE.search(text, max(0, w - 12), w)):
            starts.append(bar.start() + 1)
    return starts


def _table(text: str, s: int, e: int) -> tuple[list[list[Cell]], list[list[Cell]]] | None:
    rows = [row for g in pipe_grids(text, s, e) for row in g.rows]
    return next(_tables(rows), None)


def _layout(header: list[list[Cell]], body: list[list[Cell]]):
    """(value columns, their (kind, unit), column count, whether a "Ghi chú" column follows), or None when the table
    is not a matrix of counted figures."""
    top = header[0]
    split = [_split(r) for r in body]
    counts = Counter(len(v) for lab, v, _ in split if lab and v)
    if not counts:
        return None
    n, full = counts.most_common(1)[0]
    if full < 2:
        return None
    k = max((len(lab) for lab, v, _ in split if len(v) == n and lab and _ROW_NO.fullmatch(lab[0].text)), default=0) \
        or max(len(lab) for lab, v, _ in split if len(v) == n and lab)
    cols = _columns(top, header[1:], k, n)
    if cols is None:
        return None
    kinds = _column_kinds(cols)
    if not any(kd and kd[0] == "count" for kd in kinds):
        return None
    note = bool(_NOTE.match(top[-1].text) or (len(header) > 1 and _NOTE.match(header[-1][-1].text)))
    return cols, kinds, n, note


def _read(nt: NormText, body: list[list[Cell]], layout, convention: str | None, notes: list[tuple[int, int]]
          ) -> list[Indicator]:
    text, original = nt.text, nt.original
    cols, kinds, n, note = layout
    rows = list(_data_rows(body, n))
    if note:
        notes.extend((c.start, c.end) for _, _, rest in rows for c in rest[:1] if c.text)
    measures = [_measure(leaf, group) for leaf, group, _ in cols]
    scopes = [f"cấp {m.group(1).lower()}" if (m := _SCOPE.search(leaf)) else None for leaf, _, _ in cols]
    memo: dict[str, tuple] = {}
    parsed = [[_number(text, c, memo) for c in values] for _, values, _ in rows]
    conventions = _column_conventions(parsed, n, convention)
    found: list[Indicator] = []
    for (labels, _, _), cells in zip(rows, parsed):
        entity, sub = _names(labels)
        for j, cell in enumerate(cells):
            if cell is None or kinds[j] is None:
                continue
            kind, unit = kinds[j]
            a, b, number, p = cell
            if kind == "count" and number.endswith("%"):
                continue  # a share in a count column: the header does not say what it is
            if p.ambiguous or (conventions[j] and p.convention and p.convention != conventions[j]) or \
                    (kind == "count" and p.decimals):
                p = parse_number(number, conventions[j], expect_integer=kind == "count")
            if p.value is None or p.malformed:
                continue
            s, e = nt.orig_span(a, b)
            found.append(_new_indicator({
                "kind": kind, "value": p.value, "unit": unit, "label": _label(entity, sub, measures[j]),
                "scope": scopes[j], "decimals": p.decimals, "ambiguous": p.ambiguous,
                "note": p.note if p.ambiguous else None, "text": original[s:e], "span": {"start": s, "end": e}}))
    return found


# the model's own validator on a dict: the record Indicator(**fields) builds, without __init__'s keyword handling
_new_indicator = Indicator.__pydantic_validator__.validate_python


def _number(text: str, c: Cell | None, memo: dict[str, tuple]):
    """(start, end, number text, reading without hints) of a value cell; None for a placeholder."""
    if c is None or c.text in _PLACEHOLDER:
        return None
    known = memo.get(c.text)
    if known is None or not text.startswith(c.text, c.start):
        m = _VALUE.search(text, c.start, c.end)
        number = m.group("n")
        known = (m.start("n") - c.start, m.end("n") - c.start, number, _PLAIN.get(number) or parse_number(number))
        if text.startswith(c.text, c.start):
            memo[c.text] = known
    a, b, number, p = known
    return c.start + a, c.start + b, number, p


def _column_conventions(parsed, n: int, default: str | None) -> list[str | None]:
    """Per column, the convention its unambiguous cells show ("94,29" → vi, "99.4%" → en), else `default` (None: a
    cell valid in both conventions is read Vietnamese and marked ambiguous; a count still takes its integer reading)."""
    votes = [Counter() for _ in range(n)]
    for cells in parsed:
        for j, c in enumerate(cells):
            if c is not None and c[3].convention and not c[3].ambiguous and not c[3].malformed:
                votes[j][c[3].convention] += 1
    return [v.most_common(1)[0][0] if len(v) == 1 else default for v in votes]
