"""Indicators in running text: every figure with what it measures.

The number layer (numbers.find_amounts) finds and reads the figures; this module names them. A label is built from
the clause the figure closes: "đã giải quyết khoảng 29.781 hồ sơ" → "hồ sơ đã giải quyết"; a percentage that only
says "chiếm tỷ lệ 99,5%" borrows the label of the count it is a share of ("tỷ lệ hồ sơ trước hạn, đúng hạn").
"""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache, partial

from pydantic import TypeAdapter

from ..normalize import NormText
from ..safe import div
from ..schema import Indicator
from .matrix_tables import read_matrix_tables
from .numbers import DOCUMENT, MONEY_SLASH, Amount, find_amounts
from .ranges import Ranges

_QUALIFIER = re.compile(r"(?:^|\s)(ước\s+đạt|ước\s+khoảng|khoảng|xấp\s+xỉ|gần|trên|dưới|tối\s+thiểu|tối\s+đa|ít\s+nhất|"
                        r"đạt|hơn|gần\s+gấp|gấp)\s*$", re.IGNORECASE)
_QUALIFIER_LAST = re.compile(r"[tgỉniuap]", re.IGNORECASE)  # the last letter of each qualifier: a cheap first test
# a line break ends a clause only where a paragraph or a list item starts: hard-wrapped text (PDF, portal copies)
# breaks lines inside sentences ("Thuế thu↵nhập cá nhân ước vượt 14,55%")
_CLAUSE_MARKS = r"[;:(\t]|[,.]\s|\n[ \t*]*\n|\n(?=[ \t*]*(?:[-+•]|\d{1,2}(?:\.\d{1,2})*\.\s|[a-zđ]\)\s|[|]))"
_CLAUSE_WORDS = r"\btrong\s+đó\b|\bgồm\b|\bbao\s+gồm\b|\bvới\b"
# A greedy prefix ends at the last clause boundary of the window in one match call: `(?s:.*)(?:MARKS|WORDS)`, case
# folded. _clause_cut makes that call in two parts: the marks without IGNORECASE (which makes re fold every character
# it compares; "[a-zđ]" folded is the set below), and the words, searched only after the last mark. No mark and no
# word can start at the same character, so the last boundary is the later of the two.
_LAST_MARK = re.compile(r"(?s:.*)(" + _CLAUSE_MARKS.replace("[a-zđ]", "[a-zA-ZđĐ\u0130\u0131\u017f\u212a]") + ")")
_LAST_WORD = re.compile(r"(?s:.*)(?:" + _CLAUSE_WORDS + ")", re.IGNORECASE)


def _clause_cut(window: str) -> int:
    """Where the last clause boundary of `window` ends (`(?s:.*)(?:MARKS|WORDS)`, case folded), -1 without one."""
    mark = _LAST_MARK.match(window)
    word = _LAST_WORD.match(window, mark.start(1) + 1) if mark else _LAST_WORD.match(window)
    return word.end() if word else mark.end() if mark else -1


_DROP_WORDS = re.compile(r"^(?:và|với|đã|được|là|có|còn|chỉ|thì|đạt|chiếm|cụ\s+thể|như\s+sau|trong\s+đó|tổng\s+số|"
                         r"tổng|số|toàn\s+tỉnh|toàn\s+bộ|đến\s+nay|hiện\s+nay|hiện|năm\s+\d{4})\s+", re.IGNORECASE)
_TRAILING_WORDS = re.compile(r"\s+(?:ước\s+đạt|đạt|ước|có|và|với|là|được|đã|gồm|khoảng|tổng\s+cộng|của|cho|tại|"
                             r"ước\s+vượt|vượt|bằng|khoảng\s+từ|từ)$",
                             re.IGNORECASE)
_AFTER_STOP = re.compile(r"[,.;:()\n\t|]|\s(?:và|của|với|đạt|chiếm|trong\s+đó|so\s+với|tăng|giảm)\s")
_WEAK = re.compile(r"^(?:cấp\s+(?:tỉnh|huyện|xã)|toàn\s+tỉnh|trong\s+đó|có|gồm|với)?$", re.IGNORECASE)
_RATE = re.compile(r"(tỷ\s+lệ|tỉ\s+lệ)\s+([^,.;:()%\d]{3,80}?)(?=\s+(?:cấp\s+(?:tỉnh|huyện|xã)|toàn\s+tỉnh|đạt|là|chiếm)\b)",
                   re.IGNORECASE)
_SHARE_WORDS = re.compile(r"(?:chiếm(?:\s+tỷ\s+lệ|\s+tỉ\s+lệ)?|đạt(?:\s+tỷ\s+lệ|\s+tỉ\s+lệ)?|tỷ\s+lệ|tỉ\s+lệ|bằng)\s*$",
                          re.IGNORECASE)
_SCOPE = re.compile(r"cấp\s+(tỉnh|huyện|xã)", re.IGNORECASE)
_MEASURES = frozenset("ngày giờ phút ha km km2 m2 m tấn kg lít lần điểm mw kwh".split()) | {"ngày làm việc"}
# one step of a per-unit ("/trường", "/100km", "/km2"); a second word is taken only when the two make a known noun
_PER_STEP = re.compile(r"[ \t]*/[ \t]*(?:(?P<n>\d+)[ \t]*)?(?P<w>[^\W\d_]+\d?)"
                       r"(?:\s+(?P<w2>[^\W\d_]+))?(?:\s+(?P<w3>[^\W\d_]+))?")
_PER_NOUNS = frozenset({"đơn vị", "đơn vị tính", "di tích", "hộ gia đình", "hợp tác xã", "cơ quan", "doanh nghiệp",
                        "học sinh", "lao động", "dự án", "hồ sơ", "văn bản", "người dân", "năm học", "phụ nữ", "bé gái",
                        "bé trai", "trẻ em", "hội nghị", "dân số", "giáo viên", "sinh viên", "bác sĩ", "giường bệnh",
                        "công trình", "thủ tục", "dịch vụ", "cán bộ", "công chức", "viên chức", "đơn vị hành chính"})
_MONEY_UNITS = {"đồng": 1, "vnđ": 1, "vnd": 1, "nghìn đồng": 10**3, "ngàn đồng": 10**3, "triệu đồng": 10**6,
                "tỷ đồng": 10**9, "tỉ đồng": 10**9}
_COMPARED_WITH = re.compile(r"[^.;\n%]{0,40}?\d[\d.,]*[ \t]*%[ \t]*(kế\s+hoạch|dự\s+toán|chỉ\s+tiêu|cùng\s+kỳ)",
                            re.IGNORECASE)
# a figure that opens its sentence: after ". ", a bullet at the start of a line, or a new paragraph (not a wrapped line)
_OPENS = re.compile(r"(?:[.:;][ \t*]*|(?:^|\n)[ \t]*[-+•*]+[ \t]*|(?:^|\n[ \t*]*\n)[ \t*]*)\Z")
_COMPARATIVE = re.compile(r"(?:ước\s+)?(?:vượt|tăng|giảm|bằng|đạt)", re.IGNORECASE)
_PERIODS = frozenset(["tháng", "năm", "quý", "tuần"])
_MAX_LABEL_WORDS = 12




def _clause_before(text: str, start: int) -> str:
    lo = max(0, start - 160)
    window = text[lo:start]
    if lo > 0 and text[lo - 1].isalnum() and (sp := window.find(" ")) >= 0:
        window = window[sp + 1:]  # never start inside a word
    cut = _clause_cut(window)
    return window[cut:] if cut >= 0 else window


_LIST_MARK = re.compile(r"^(?:\(?\d{1,2}\)|[a-zđ]\)|\d{1,2}\.)\s+")


@lru_cache(maxsize=8192)
def _clean(words: str) -> str:
    """The words of a label without markup, list marks, leading and trailing filler words; memoised: the same clause
    text recurs across a document's figures."""
    s = " ".join(words.replace("*", " ").split()).strip(" ,.;:-–()+")
    s = _LIST_MARK.sub("", s)  # "(8) Tỷ lệ …", "1) Tỷ trọng …"
    if _DROP_WORDS.match(s + " "):
        s += " "  # a drop word left alone ("Toàn tỉnh có") goes too
    prev = None
    while s != prev:
        prev = s
        s = _DROP_WORDS.sub("", s)
        s = _TRAILING_WORDS.sub("", s).strip(" ,.;:-–()+")
    return s


@lru_cache(maxsize=4096)
def _unit_words(unit: str) -> re.Pattern:
    """A unit's words with any space between them, compiled once per unit (re's own cache of 512 patterns is
    shared with the whole process and was recompiling these)."""
    return re.compile(r"\s*" + r"\s+".join(map(re.escape, unit.split())), re.IGNORECASE)


_SPACES = re.compile(r"\s*")


def _unit_lead(window: str, unit: str) -> int:
    """Where `_unit_words(unit).match(window)` ends, -1 where it fails. The unit was read from this very text, so its
    words are nearly always there as written: that is checked literally, and only a miss asks the regex (compiling
    one pattern per unit costs more than the whole search)."""
    pos = _SPACES.match(window).end()
    for k, word in enumerate(unit.split()):
        if k:
            gap = _SPACES.match(window, pos).end()
            if gap == pos:
                break
            pos = gap
        if not window.startswith(word, pos):
            break
        pos += len(word)
    else:
        return pos
    m = _unit_words(unit).match(window)
    return m.end() if m else -1


def _clause_after(text: str, end: int, unit: str | None) -> str:
    """The words that follow the figure and its unit, up to the clause's end ("289 TTHC mới ban hành")."""
    window = text[end:end + 120]
    if unit:  # the unit may wrap onto the next line ("10 dự\nán"): its words, any space between them
        lead = _unit_lead(window, unit)
        if lead >= 0:
            window = window[lead:]
    stop = _AFTER_STOP.search(window)
    words = (window[: stop.start()] if stop else window).split()[:6]
    return _clean(" ".join(words))


_DIGIT = re.compile(r"\d")
_EARLIER_FIGURE = re.compile(r"(?s:.*)(?:\d[ \t]*%|(?<![\d.,])(?!(?:19|20)\d\d(?!\d))\d[\d.,]*(?=[ \t]+[^\W\d_]))")


_COLON_BEFORE = re.compile(r"[:][ \t*]*\Z")


def _last_visible(text: str, end: int) -> str:
    """The last character of `text[:end].rstrip()` ("" if none), without copying the text before `end`: a copy per
    figure made a document of such figures quadratic."""
    k = end
    while k > 0 and text[k - 1].isspace():
        k -= 1
    return text[k - 1] if k else ""


def _opens(text: str, start: int) -> bool:
    return _OPENS.search(text, max(0, start - 8), start) is not None


_DOTS = re.compile(r"\.+")


def _no_period(text: str, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] is free of "." once every "..." is taken out (`"." not in t.replace("...", "")`), without
    copying the span: a run of dots leaves one exactly when its length is not a multiple of three."""
    i = text.find(".", lo, hi)
    while i >= 0:
        j = _DOTS.match(text, i, hi).end()
        if (j - i) % 3:
            return False
        i = text.find(".", j, hi)
    return True


def _describe(text: str, a: Amount) -> tuple[str | None, str | None]:
    """(qualifier, descriptor): the words of the clause before the figure, qualifier split off. An earlier percentage
    or count in the clause ends the previous figure's words ("công nghiệp chiếm 24,23% và dịch vụ chiếm 36,49%",
    "10 dự án đang triển khai và 22 dự án …"); a year does not."""
    before = _clause_before(text, a.start)
    prior = _EARLIER_FIGURE.match(before) if _DIGIT.search(before) else None  # most clauses hold no other figure
    if prior:  # the earlier figure's own words run up to the last "và": only what follows names this one
        before = before[prior.end():]
        joint = before.rfind(" và ")
        before = before[joint + 4:] if joint >= 0 else before
    last = before.rstrip()[-1:]
    q = _QUALIFIER.search(before) if last and _QUALIFIER_LAST.fullmatch(last) else None
    qualifier = " ".join(q.group(1).lower().split()) if q else None
    desc = before[: q.start()] if q else before
    return qualifier, _clean(desc)


def _per_unit(text: str, pos: int) -> tuple[str, int]:
    """"/100 km/xã" after a unit, spaced one way ("1 điểm/1000người/km2" → "/1000 người/km2"), and where it ends."""
    out = []
    while (m := _PER_STEP.match(text, pos)):
        words, pos = [m.group("w")], m.end("w")
        for extra in ("w2", "w3"):
            if m.group(extra) and " ".join([*words, m.group(extra)]).lower() in _PER_NOUNS:
                words.append(m.group(extra))
                pos = m.end(extra)
        out.append("/" + (f"{m.group('n')} " if m.group("n") else "") + " ".join(words))
    return "".join(out), pos


def _kind(a: Amount) -> str | None:
    if a.kind == "ratio":
        return "ratio"
    if a.kind == "percent":
        return "percent"
    if a.kind == "money":
        return "money"
    if not a.unit_text or a.unit_text.lower() in _PERIODS:
        return None  # "6 tháng", "3 năm": a period, not a figure
    unit = a.unit_text.lower()
    if unit in _MEASURES or unit.split()[0] in _MEASURES or (a.value is not None and not float(a.value).is_integer()):
        return "quantity"  # a measure, or a fraction of something: not a count of items
    return "count"


def _label(kind: str, unit: str | None, desc: str, after: Callable[[], str], previous_label: str | None,
           rate: str | None, opens: Callable[[], bool] = bool) -> str | None:
    """`after` (the words after the figure) and `opens` (whether the figure opens its sentence) are asked only where
    the label needs them: most labels are the words before the figure."""
    words = desc.split()
    if len(words) > _MAX_LABEL_WORDS:
        desc = " ".join(words[-_MAX_LABEL_WORDS:])
    if kind == "percent":
        share = _SHARE_WORDS.search(desc)
        core = desc[: share.start()].strip() if share else desc
        if _COMPARATIVE.fullmatch(core) and previous_label:
            return f"{previous_label} ({core.lower()})"  # "… 500 tỷ đồng, vượt 58,73%": how far the amount goes
        scope = core if _SCOPE.fullmatch(core or "x") else None
        if rate and (not core or scope):
            return f"tỷ lệ {rate}" + (f" ({scope})" if scope else "")
        if not core and previous_label:
            return f"tỷ lệ {previous_label}"
        if not core and opens() and (words_after := after()) and not words_after[0].isdigit():
            return f"tỷ lệ {words_after}"  # "+ 100% TTHC đủ điều kiện …": the share opens its sentence
        return core or None
    if kind in ("count", "quantity", "ratio") and unit:
        if _WEAK.match(desc) and (words_after := after()):
            desc = words_after
        if unit.lower() in desc.lower():
            return desc
        return f"{unit} {desc}".strip() if desc else unit
    return desc or None


_BLANKS = [" " * n for n in range(512)]  # a table line blanked: one shared string per length, not a new one each


# far above any real document (the most in the corpus is about 1 000): each costs ~60 µs and a pydantic record, so a
# megabyte of "50% 50% …" would cost 16 s and 600 MB; the pipeline reports the cut (indicators.truncated)
MAX_INDICATORS = 20_000


def extract_indicators(nt: NormText, *, regions: list[tuple[int, int]], exclude: list[tuple[int, int]],
                       tables: list[tuple[int, int]] = ()) -> list[Indicator]:
    """Figures of the prose, then of the statistical matrix tables. `tables` (cleaned-text ranges of "|" grids) are
    blanked before the prose scan: their cells are read as rows, tasks and matrix figures (matrix_tables), and
    scanning thousands of unit-less table numbers costs more than the rest."""
    text = nt.text
    matrix, notes = read_matrix_tables(nt, tables) if tables else ([], [])
    if tables:
        pieces, pos = [], 0
        for a, b in _minus(sorted(tables), notes):  # a matrix table's notes are prose ("07 TTHC không đủ …")
            if a < pos:
                a = pos
            pieces.append(text[pos:a])
            pieces.append("\n".join([_BLANKS[n] if n < 512 else " " * n for n in map(len, text[a:b].split("\n"))]))
            pos = max(pos, b)
        pieces.append(text[pos:])
        text = "".join(pieces)
    inside, taken = Ranges(regions), Ranges(exclude)
    out: list[dict] = []  # validated at the end in one call (see _INDICATORS)
    previous: dict | None = None
    prev_end = -1
    # numbers outside the regions or inside a reference or date are never kept: find_amounts reads them only as
    # convention evidence
    within = Ranges(_minus_all(inside, taken))
    for a in find_amounts(text, DOCUMENT, within=within, bare=False):
        if len(out) >= MAX_INDICATORS:
            break
        if not inside.contains(a.start, a.end) or taken.overlaps(a.start, a.end):
            continue
        kind = _kind(a)
        if kind is None:
            continue
        qualifier, desc = _describe(text, a)
        value = a.value
        if kind == "count" and a.unit_text and (scale := _MONEY_UNITS.get(a.unit_text.lower())) and value is not None:
            kind, value = "money", value * scale  # "433.000.000.000 đồng", "27.535 tỷ đồng"
        if kind == "money" and not desc and (colon := _COLON_BEFORE.search(text, max(0, a.start - 6), a.start)):
            # "- Thuê dịch vụ tin nhắn: 50.000.000 đồng/năm"
            end = colon.start()
            if _last_visible(text, end) == ")":  # "Chi đầu tư (sau khi có Quyết định …): 138.557 triệu đồng"
                end = text.rfind("(", max(0, end - 300), end)
            desc = _clean(_clause_before(text, end))
        unit = "%" if kind == "percent" else (a.currency or "VND") if kind == "money" else a.unit_text
        after_at, after_unit = a.end, a.unit_text
        if kind in ("count", "quantity") and unit and unit in text[a.end:a.end + 40]:
            per, per_end = _per_unit(text, text.find(unit, a.end, a.end + 40) + len(unit))  # "0,1 điểm/trường"
            if per:
                unit, after_at, after_unit = unit + per, per_end, None
        same_sentence = previous is not None and _no_period(text, prev_end, a.start)
        rate = None
        if kind == "percent":
            lo = max(0, a.start - 300)  # never further back: a long line without ". " would make this quadratic
            sentence_start = max(text.rfind(". ", lo, a.start), text.rfind("\n", lo, a.start), a.start - 300)
            for rate in _RATE.finditer(text, max(0, sentence_start), a.start):
                pass
            rate = _clean(rate.group(2)) if rate else None
        compared = kind == "money" and same_sentence and previous["kind"] == "money" \
            and MONEY_SLASH.search(text, max(0, a.start - 12), a.start)
        if compared:  # "5.817 tỷ đồng/5.937 tỷ đồng, đạt 97,97% kế hoạch": the second amount is what it is measured by
            basis = _COMPARED_WITH.match(text, a.end)
            label = f"{' '.join(basis.group(1).lower().split())} ({previous['label']})" \
                if basis and previous["label"] else previous["label"]
        else:
            label = _label(kind, unit, desc,
                           partial(_clause_after, text, after_at, None if kind == "percent" else after_unit),
                           previous["label"] if same_sentence and previous["kind"] != "percent" else None, rate,
                           partial(_opens, text, a.start))
        if kind == "ratio" and a.denominator:  # a malformed numerator ("6.2/1") has no value, nor has the ratio
            value = round(q, 4) if (q := div(a.value, a.denominator)) is not None else None
        lo = max(0, a.start - 160)
        # "cấp" in any case is in the lower-cased window wherever _SCOPE matches, and "ấ" or "Ấ" wherever "cấp" is
        # there: most windows need no search, nor a lower-cased copy
        scope = _SCOPE.search(text, lo, a.start) \
            if (text.find("ấ", lo, a.start) >= 0 or text.find("Ấ", lo, a.start) >= 0) \
            and "cấp" in text[lo:a.start].lower() else None
        s, e = nt.orig_span(a.start, a.end)
        ind = {"kind": kind, "value": value, "numerator": a.value if kind == "ratio" else None,
               "denominator": a.denominator if kind == "ratio" else None, "unit": unit, "qualifier": qualifier,
               "label": label, "scope": f"cấp {scope.group(1).lower()}" if scope else None, "decimals": a.decimals,
               "ambiguous": a.ambiguous, "malformed": a.malformed, "note": a.note, "text": nt.original[s:e],
               "span": {"start": s, "end": e}}
        out.append(ind)
        if not compared:  # a share that follows ("đạt 97,97%") is the share of the first amount
            previous, prev_end = ind, a.end
    out = _INDICATORS.validate_python(out)
    if matrix:
        inside_orig = Ranges([nt.orig_span(a, b) for a, b in regions])
        out = sorted(out + [i for i in matrix if inside_orig.contains(i.span.start, i.span.end)],
                     key=lambda i: i.span.start)
    return out


# the prose figures as one list of dicts validated in one call: faster than a record (and its Span) at a time
_INDICATORS = TypeAdapter(list[Indicator])


def _minus(ranges: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """`ranges` (sorted) less the `holes` (sorted, each inside one range)."""
    if not holes:
        return ranges
    out, h = [], 0
    for a, b in ranges:
        while h < len(holes) and holes[h][0] < b:
            ha, hb = holes[h]
            if ha >= a:
                out.append((a, ha))
                a = max(a, hb)
            h += 1
        out.append((a, b))
    return [(a, b) for a, b in out if b > a]


def _minus_all(ranges: Ranges, holes: Ranges) -> list[tuple[int, int]]:
    """The merged `ranges` less every one of the merged `holes` (which may overlap several ranges or none)."""
    out, h, hs, he = [], 0, holes.starts, holes.ends
    for a, b in zip(ranges.starts, ranges.ends):
        while h < len(hs) and he[h] <= a:
            h += 1
        k = h
        while k < len(hs) and hs[k] < b:
            if hs[k] > a:
                out.append((a, hs[k]))
            a = max(a, he[k])
            k += 1
        if a < b:
            out.append((a, b))
    return out
