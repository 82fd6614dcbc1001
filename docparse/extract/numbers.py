"""Numbers for indicators: Vietnamese and English digit grouping, scale words, currency, ratios, spelled amounts.

Vietnamese writes 160.674 (dot groups thousands) and 99,95 (comma is the decimal sign); files converted through
English tools come back as 123,747 and 99.95%. A string like "160.674" is valid in both conventions, so the reading
is decided per number: first by grouping validity, then by what the number counts (a count is an integer), then by
unambiguous neighbours in the same table column or paragraph, then by the document's dominant convention. What is
still undecided is returned with `ambiguous=True` rather than guessed silently.

`find_amounts` scans with one compiled regex whose branches all start with a digit, so re skips the prose in C; the
Python work is per number, never per character.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from decimal import Decimal

from ..safe import div
from .ranges import Ranges

I = re.IGNORECASE

VI, EN = "vi", "en"
DOCUMENT = "document"  # find_amounts: the convention of the whole text, computed when a number needs one

_N = r"\d+(?:[.,]\d+)*"
_NUMBER_RE = re.compile(_N)
_MAX_DIGITS = 40  # longer digit strings are identifiers or noise (and int() refuses very long ones)
_SIGN_RE = re.compile(r"[\s\u00a0]*[-+\u2212]?[\s\u00a0]*")

# One scan over the text. Branch order matters at a given start: dates, document codes, phone numbers and procedure
# codes are recognised (and dropped) before the plain number branch can take their first digits. The first digit is
# taken by the leading [0-9] (a character set first lets re skip to the next digit in its fast search loop); each
# branch reads on from the second character, and a look-behind checks the first one where a branch needs it. The
# "num" group therefore lacks the first digit: the number is text[m.start():m.end("num")]. The leading digit runs of
# the date, code and procedure branches are possessive: giving a digit back leaves a digit where each of them needs a
# separator, a letter or a slash, so backtracking there could never succeed.
_SCAN = re.compile(
    r"[0-9](?:"
    r"(?P<date>\d?+[ \t]?(?P<ds>[./-])[ \t]?\d{1,2}[ \t]?(?P=ds)[ \t]?(?:19|20)\d{2}(?!\d)"
    r"|(?:(?<=1)9|(?<=2)0)\d{2}-\d{1,2}-\d{1,2}(?!\d))"
    r"|(?P<code>\d{0,5}+[a-zđ]?(?:[ \t]?/[ \t]?\d{1,6}){0,3}[ \t]?/[ \t]?[A-ZĐ]"
    r"|\d{0,4}+[a-z]?-[A-ZĐ][A-Za-zĐđ]{0,5}/)"
    r"|(?<=0)(?P<phone>\d{2,3}(?:[ .\-]?\d){6,8}(?!\d)|\d{1,3}\)[ .]?\d{3,4}[ .\-]?\d{3,4}(?!\d))"
    r"|(?P<proc>\d{0,2}+\.\d{6}(?:\.\d+)*(?!\d))"
    r"|(?P<num>\d*(?:[.,]\d+)*)(?:[ \t]?/[ \t]?(?P<den>" + _N + r"))?)"
)

# Every group after "num" belongs to its branch, so m.lastindex (the last group closed) tells that branch from the
# others without a lookup by name.
_NUM_GROUP = _SCAN.groupindex["num"]
assert _NUM_GROUP == max(_SCAN.groupindex.values()) - 1

# Words right before a number that make it a year, a day, a month, an ordinal, a section, a place or a document
# number: one regex, searched once per number in a short window that ends at the number. Cues end at the number, so
# at most one of them matches there (the leftmost start wins when two overlap, and those overlaps agree).
_GAP = r"[\s*_:]*"
# The cue words, one list per kind (regex alternatives, lower case): _CUE and _CUE_FIND are built from them.
_CUE_WORDS = {
    "day": r"ngày|hôm", "month": r"tháng", "quarter": r"qu[ýí]",
    "year": r"năm(?:\s+học)?|giai\s+đoạn|thời\s+kỳ|nhiệm\s+kỳ|niên\s+độ|niên\s+kh[oó]á?|tầm\s+nhìn(?:\s+đến)?|kỳ",
    "when": r"từ|đến(?:\s+hết)?|tới|hết|trước|sau|vào|hạn|đêm|sáng|chiều|tối",
}
_DOC_WORDS = (r"đề\s+án|quyết\s+định|nghị\s+quyết|nghị\s+định|chỉ\s+thị|kế\s+hoạch|công\s+văn|thông\s+báo|thông\s+tư"
              r"|báo\s+cáo|tờ\s+trình|công\s+điện|kết\s+luận|chương\s+trình|luật|văn\s+bản|hướng\s+dẫn|quy\s+định"
              r"|quy\s+chế|dự\s+án|pháp\s+lệnh")
# "Đề án 06", "Nghị quyết 57": a document named by its number; capitalised only, so "đạt kế hoạch 95%" stays.
_DOCNAME_WORDS = (r"Đề\s+án|ĐỀ\s+ÁN|Quyết\s+định|Nghị\s+quyết|Nghị\s+định|Chỉ\s+thị|Kế\s+hoạch|Công\s+văn"
                  r"|Thông\s+báo|Thông\s+tư|Báo\s+cáo|Tờ\s+trình|Công\s+điện|Kết\s+luận|Chương\s+trình|Luật|Văn\s+bản"
                  r"|Dự\s+án|Pháp\s+lệnh")
_NA_WORDS = (r"thứ|điều|khoản|điểm|mục|chương|phần|phụ\s+lục|biểu(?:\s+mẫu)?|mẫu(?:\s+số)?|tiết|trang|tập|quyển"
             r"|bước|khóa|khoá|quận|phường|khu\s+phố|tổ(?:\s+dân\s+phố)?|ấp|thôn|khóm|xóm|khu|lô|đường|quốc\s+lộ"
             r"|tỉnh\s+lộ|stt|số\s+thứ\s+tự|phiên\s+bản|version|địa\s+chỉ\s*:?\s*số|số\s+nhà")
_DOC_SUFFIX = r"\s+số"
# "khoản 1, 2", "Phụ lục số 2.1 và 2.2"
_NA_SUFFIX = r"(?:\s+số)?" + _GAP + r"(?:[\d.]+[\s*_]*(?:,|và|hoặc|-|–)[\s*_]*)*"
_CUE_SIGNS = (r"|(?P<coded>=[ \t]*)"  # "Có = 1; Không = 0": coded answers
              r"|(?P<yrange>(?:19|20)\d{2}\s*(?:[-–—]|đến)\s*)"
              r"|(?P<drange>\d[ \t]?[-–][ \t]?))\Z")
_CUE = re.compile(
    r"(?:(?<!\w)(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _CUE_WORDS.items())
    + r"|(?P<doc>(?:" + _DOC_WORDS + ")" + _DOC_SUFFIX + ")"
    + r"|(?P<docname>(?-i:" + _DOCNAME_WORDS + "))"
    + r"|(?P<na>(?:" + _NA_WORDS + ")" + _NA_SUFFIX + "))" + _GAP + _CUE_SIGNS, I)


def _cue_find() -> re.Pattern:
    """The language of _CUE_LOWER with the word alternatives grouped by their first letter and no named groups: re
    tries a handful of branches at each word start instead of all sixty. Whether some cue ends at the number from a
    given start does not depend on the order of the alternatives, so the leftmost start found is _CUE_LOWER's; the
    kind is then read by matching _CUE_LOWER there."""
    alternatives = [(w, "") for v in _CUE_WORDS.values() for w in v.split("|")]
    alternatives += [(w, _DOC_SUFFIX) for w in _DOC_WORDS.split("|")]
    alternatives += [(w.lower(), "") for w in _DOCNAME_WORDS.split("|")]
    alternatives += [(w, _NA_SUFFIX) for w in _NA_WORDS.split("|")]
    by_first: dict[str, list[str]] = {}
    for w, suffix in alternatives:
        assert w[0].isalpha() and w[0].islower(), w  # a literal first letter
        by_first.setdefault(w[0], []).append(w[1:] + suffix)
    words = "|".join(f"{c}(?:{'|'.join(rests)})" for c, rests in by_first.items())
    return re.compile(r"(?:(?<!\w)(?:" + words + ")" + _GAP + re.sub(r"\(\?P<\w+>", "(?:", _CUE_SIGNS))
_YEAR_RANGE_AFTER = re.compile(r"\s*(?:[-–—]|đến)\s*(?:năm\s+)?(?:19|20)\d{2}(?!\d)", I)


def _lower_cue(rx: re.Pattern) -> re.Pattern:
    """_CUE for a lower-cased window: the same pattern without IGNORECASE, which makes re compare every character
    through case folding (twice as slow); the case-sensitive "docname" branch is lower-cased too, so a window where
    it matches is asked again with _CUE itself."""
    src = rx.pattern
    a = src.index("(?-i:")
    b = src.index(")", a)
    return re.compile(src[:a] + "(?:" + src[a + 5:b].lower() + src[b:])


_CUE_LOWER = _lower_cue(_CUE)
_CUE_FIND = _cue_find()
_CUE_SKIP = frozenset(" \t\r\n*_:\u00a0")
_CUE_END = frozenset(",=-–—")
# The last word of every cue above (and of the "và"/"hoặc" lists), checked before the regex is searched.
_CUE_LAST_WORDS = frozenset(
    "ngày hôm tháng quý quí năm học đoạn kỳ độ khóa khoá kho nhìn từ đến tới hết trước sau vào hạn đêm sáng chiều tối "
    "nhà số án định quyết thị hoạch văn báo tư trình luận luật bản lệnh chế dẫn thứ điều khoản điểm mục chương phần lục "
    "biểu mẫu tiết trang tập quyển bước quận phường phố tổ ấp thôn khóm xóm khu lô đường lộ stt tự version và hoặc "
    "đề quy nghị chỉ kế công thông tờ kết chương dự pháp".split())
# One-word cues that end no cue of another kind: when one of them, as a whole word, is all that precedes the number
# (and the gap), the leftmost cue that ends at the number is of its kind, so the regex search is not needed.
_CUE_OF_LAST_WORD = {w: kind for kind, words in (
    ("day", ("ngày", "hôm")), ("month", ("tháng",)), ("quarter", ("quý", "quí")), ("year", ("năm", "kỳ")),
    ("when", ("từ", "tới", "hết", "trước", "sau", "vào", "hạn", "đêm", "sáng", "chiều", "tối")),
    ("na", ("thứ", "điều", "khoản", "điểm", "mục", "chương", "phần", "biểu", "mẫu", "tiết", "trang", "tập", "quyển",
            "bước", "quận", "phường", "tổ", "ấp", "thôn", "khóm", "xóm", "khu", "lô", "đường", "stt", "version")))
    for w in words}
# A section number at the start of a line: "1.", "3.1.2.", "3.1<tab>", a row number "1<tab>" or "1)".
_LINE_PREFIX = re.compile(r"[ \t#*_>]*")
_LINE_PREFIX_CHARS = frozenset(" \t#*_>\n")
_SECTION_SHAPE = re.compile(r"\d{1,3}(?:\.\d{1,3})*")
# A table rendered one cell per line between "|" lines: a row code is a cell followed by a label cell.
_CELL_THEN_LABEL = re.compile(r"[*_ \t]*\r?\n[ \t]*\|[ \t]*\r?\n(?:[ \t*_]*\r?\n[ \t]*\|[ \t]*\r?\n){0,3}[ \t*_]*[^\W\d_]")

# What follows a number.
_PERCENT = re.compile(r"[ \u00a0]?%|[ \u00a0]+phần\s+trăm(?!\w)", I)
_PERCENT_RANGE = re.compile(r"[ \u00a0]?[-–][ \u00a0]?\d+(?:[.,]\d+)?[ \u00a0]?%")
_SCALE = re.compile(
    r"[ \u00a0]*(?P<w>(?:ngh[ìi]n|ng[àa]n)[ \u00a0]+t[ỷỉ]|ngh[ìi]n|ng[àa]n|triệu(?![ \u00a0]+(?:tập|chứng|phú)(?!\w))"
    r"|t[ỷỉ](?![ \u00a0]+(?:lệ|trọng|số|giá)(?!\w)))(?!\w)", I)
_SCALES = {"nghìn": 10**3, "nghin": 10**3, "ngàn": 10**3, "ngan": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_DONG_COMPOUNDS = (r"chí|bộ|thời|ý|bào|hồ|loạt|đội|nghiệp|phục|hành|minh|chủ|nhất|dạng|đều|bằng|tâm|tình|cấp|khởi"
                   r"|hương|môn|ruộng|lúa|cỏ|thuận|lòng|sức|tiền|phạm|sở\s+hữu")
_CURRENCY = re.compile(
    r"[ \u00a0]*(?:(?P<vnd>đồng(?![ \u00a0]+(?:" + _DONG_COMPOUNDS + r")(?!\w))|vnđ|vnd|₫|đ)"
    r"|(?P<usd>usd|đô\s+la(?:\s+mỹ)?|\$))(?!\w)", I)
_GLUED_UNIT = re.compile(r"(?:km2|km²|km|m2|m²|m3|m³|ha|kg|mm|cm|m|g|MW|kW|kWh|GB|MB|TB|Mbps|ml)(?!\w)")
_TIME_AFTER = re.compile(r":\d")
_ENUMERATION = re.compile(r"\d{1,2}(?:,\d{1,2}){2,}")  # "số thứ tự 2,3,4", "khoản 1,2,3": a list, not one number
_SPELLED_AFTER = re.compile(r"[ \u00a0*_]*\(\s*bằng\s+chữ\s*:?\s*(?P<w>[^()\n]{1,300})\)", I)
# Characters after a number that no percent sign, scale word, currency or range can start with ("" is the text's
# end); of them, those that no unit word can follow either (a line break can: "10 dự\nán").
_NO_SUFFIX = frozenset("\r\n\t,.;:()[]{}\"'“”‘’/|!?<>")
_NO_UNIT = (_NO_SUFFIX - {"\r", "\n"}) | {""}
_SPELLED_START = frozenset(" \u00a0*_(")  # what "(Bằng chữ: …)" can start with after an amount
# The first character after the spaces of each of _PERCENT, _SCALE, _CURRENCY and _PERCENT_RANGE: where this fails
# none of them can match (a number followed by a word: "15 hồ sơ").
_SUFFIX_START = re.compile(r"[ \u00a0]*[%pntđvu₫$\-–]", I)
_UNIT_GAP = re.compile(r"[ \u00a0*_]*(?:\r?\n[ \u00a0*_]*)?")
_UNIT_WORDS = re.compile(r"[^\W\d_]\w*(?:[ \u00a0]+[^\W\d_]\w*){0,5}")
MONEY_SLASH = re.compile(r"(?:đồng|vnđ|vnd|₫)[ \t]*/[ \t]*\Z", I)  # "… tỷ đồng/": an amount follows, not a code
_UNIT_WRAP = re.compile(r"[ \u00a0]*\r?\n[ \u00a0]*([^\W\d_]\w*)")
_YEAR_AFTER = re.compile(r"[ \t]*,?[ \t]*năm[ \t]+(?:19|20)\d{2}(?!\d)", I)
_DAY_RANGE_AFTER = re.compile(r"[ \t]?[-–][ \t]?\d{1,2}[ \t]?/[ \t]?\d{1,2}(?![\d.,]?\d)")
_SIX_MONTHS = re.compile(r"[ \u00a0]+tháng\s+(?:đầu|cuối)\s+năm(?!\w)", I)
_NEWLINE = re.compile(r"\n")
_BLANK_LINE = re.compile(r"\n[ \t\r\u00a0]*\n")

_UNITS = [
    "thủ tục hành chính", "dịch vụ công trực tuyến toàn trình", "dịch vụ công trực tuyến một phần",
    "dịch vụ công trực tuyến", "dịch vụ công", "hồ sơ", "công chức, viên chức", "công chức", "viên chức", "cán bộ",
    "người", "lượt người", "lượt khách", "lượt", "doanh nghiệp", "hợp tác xã", "dự án", "văn bản", "quyết định",
    "cuộc", "lớp", "xã", "huyện", "hộ gia đình", "hộ", "cơ quan", "đơn vị", "thủ tục", "tthc", "dvc", "dvctt",
    "pakn", "htx", "xã, phường", "tổ chức, cá nhân", "tin, bài, video, ảnh", "tin, bài", "liên hiệp hợp tác xã",
    "tài khoản", "trường hợp", "vụ", "đối tượng", "thành viên", "học sinh", "biên chế", "phản ánh",
    "kiến nghị", "phản ánh, kiến nghị", "phản ánh kiến nghị", "lần", "đợt", "nhiệm vụ", "mô hình", "giao dịch", "tin",
    "bài", "tin nhắn", "sở, ngành", "cấp chính quyền", "ngày", "ngày làm việc", "tháng", "năm", "giờ", "phút", "ha",
    "km", "tấn", "kg", "lao động", "giấy phép", "chỉ tiêu", "điểm cầu", "trang", "máy", "camera", "đồng chí",
]
_UNIT_INDEX: dict[str, list[tuple[str, ...]]] = {}
for _u in sorted(_UNITS, key=lambda u: -len(u.split())):
    _w = tuple(_u.replace(",", " ,").split())
    _UNIT_INDEX.setdefault(_w[0], []).append(_w)
# Nouns whose amounts are measures, not counts of items: a decimal is normal there.
_MEASURE_UNITS = frozenset("ngày tháng năm giờ phút ha km tấn kg lần".split())
_UNIT_STOP = frozenset(
    "của và trong tại đạt so với được đã là trên cho theo từ đến thì có này đó do về khi để nhằm gồm như còn chưa đang "
    "sẽ bị chiếm tăng giảm vượt bằng hoặc hay mà nhưng ước khoảng thuộc trở lên xuống ở nên cũng vào qua tới đều "
    "hơn gần trước sau".split())


@dataclass(slots=True)
class ParsedNumber:
    value: int | float | None
    convention: str | None  # "vi" | "en" | None when both conventions read the same (no separator)
    ambiguous: bool = False
    malformed: bool = False
    decimals: int = 0
    alternative: int | float | None = None  # the other convention's reading, when there is one
    note: str | None = None  # Vietnamese, for the reviewer


@dataclass(slots=True)
class Amount:
    start: int
    end: int
    raw: str  # text[start:end]: the number with its %, scale word and currency
    value: int | float | None  # after scale words; a ratio's numerator
    kind: str  # "number" | "percent" | "money" | "ratio"
    convention: str | None = None
    ambiguous: bool = False
    malformed: bool = False
    decimals: int = 0
    scale: int = 1
    percent: bool = False
    currency: str | None = None
    unit_text: str | None = None
    denominator: int | float | None = None
    spelled: int | None = None  # the "(Bằng chữ: …)" that follows, as a number
    note: str | None = None

    @property
    def ratio(self) -> float | None:
        return div(self.value, self.denominator)


# --- one number ------------------------------------------------------------------------------------------------

def _grouped(s: str, sep: str) -> bool:
    """Valid thousands grouping: a head of 1-3 digits (no leading zero) then groups of exactly 3."""
    parts = s.split(sep)
    head = parts[0]
    if not 1 <= len(head) <= 3 or (head[0] == "0"):
        return False
    return all(len(p) == 3 for p in parts[1:])


def _reading(s: str, group: str, point: str) -> tuple[Decimal, int, bool] | None:
    """(value, decimals, grouped) of `s` read with `group` as thousands separator and `point` as decimal sign."""
    if s.count(point) > 1:
        return None
    whole, _, frac = s.partition(point)
    if frac and group in frac:
        return None
    grouped = group in whole
    if grouped and not _grouped(whole, group):
        return None
    digits = whole.replace(group, "")
    return Decimal(digits + "." + frac if frac else digits), len(frac), grouped


def _number(d: Decimal, decimals: int) -> int | float:
    return int(d) if decimals == 0 else float(d)


def _msg_ambiguous(s: str, a, b) -> str:
    return f"Số \"{s}\" không rõ quy ước: đọc là {_fmt(a)} (kiểu Việt) hay {_fmt(b)} (kiểu Anh)"


def _fmt(v) -> str:
    return "?" if v is None else (f"{v:,}".replace(",", " ") if isinstance(v, int) else repr(v))


def _parse(s: str, convention: str | None, expect_integer: bool) -> tuple[ParsedNumber, Decimal | None]:
    if s.isdigit():
        return ParsedNumber(int(s), None), None
    vi = _reading(s, ".", ",")
    en = _reading(s, ",", ".")
    if vi is None and en is None:
        return ParsedNumber(None, convention, malformed=True, note=f"Số \"{s}\" sai quy tắc nhóm chữ số"), None
    if vi is not None and en is not None:
        # One separator, 1-3 digits before it, exactly 3 after: "160.674", "123,747".
        vi_int, en_int = vi[1] == 0, en[1] == 0
        if convention in (VI, EN):
            pick, other = (vi, en) if convention == VI else (en, vi)
            p = _result(s, convention, pick, other, expect_integer)
            return p, pick[0]
        if expect_integer and vi_int != en_int:
            conv, pick, other = (VI, vi, en) if vi_int else (EN, en, vi)
            return _result(s, conv, pick, other, expect_integer), pick[0]
        p = _result(s, VI, vi, en, expect_integer)
        p.ambiguous = True
        p.note = _msg_ambiguous(s, p.value, p.alternative)
        return p, vi[0]
    if vi is not None:
        return _result(s, VI, vi, None, expect_integer), vi[0]
    # Only the English reading is valid.
    if en[2] or convention == EN:
        return _result(s, EN, en, None, expect_integer), en[0]
    # A bare decimal point ("158.55"): fine in English, broken grouping in Vietnamese.
    alt = _number(en[0], en[1])
    if convention == VI or expect_integer:
        return ParsedNumber(None, VI if convention == VI else None, malformed=True, decimals=en[1], alternative=alt,
                            note=f"Số \"{s}\" sai quy tắc nhóm chữ số kiểu Việt (dấu chấm chỉ dùng để nhóm 3 chữ số)"), None
    return ParsedNumber(alt, EN, ambiguous=True, decimals=en[1],
                        note=f"Số \"{s}\" dùng dấu chấm thập phân kiểu Anh, có thể là số đếm viết sai"), en[0]


def _result(s: str, conv: str, pick, other, expect_integer: bool) -> ParsedNumber:
    value = _number(pick[0], pick[1])
    alt = _number(other[0], other[1]) if other is not None else None
    if expect_integer and pick[1]:
        return ParsedNumber(None, conv, malformed=True, decimals=pick[1], alternative=value,
                            note=f"Số \"{s}\" không phải số nguyên")
    return ParsedNumber(value, conv, decimals=pick[1], alternative=alt)


def parse_number(s: str, convention: str | None = None, expect_integer: bool = False) -> ParsedNumber:
    """One number string, read with Vietnamese or English separators.

    `convention` ("vi"/"en") settles strings valid in both ("160.674", "123,747"); without it Vietnamese is used and
    `ambiguous` is set. `expect_integer` says the string is a count: then the integer reading wins, and a string
    with no integer reading is malformed. A trailing "%" and a leading sign are accepted.
    """
    t = s.strip()
    percent = t.endswith("%")
    t = t.rstrip("%").rstrip()
    m = _SIGN_RE.match(t)
    body = t[m.end():]
    if len(body) > _MAX_DIGITS or not _NUMBER_RE.fullmatch(body):
        return ParsedNumber(None, convention, malformed=True, note=f"\"{s}\" không phải là số")
    if percent and convention is None and _dot_decimal(body):
        convention = EN  # "99.95%": a percentage is never a grouped count
    p, _ = _parse(body, convention, expect_integer)
    if "-" in m.group() or "\u2212" in m.group():
        p.value = -p.value if p.value is not None else None
        p.alternative = -p.alternative if p.alternative is not None else None
    return p


def _evidence(tok: str, percent: bool) -> str | None:
    """The convention a number proves on its own: "99,5", "1.234.567", "1.234,5" → vi; "1,234,567", "99.5%" → en."""
    if tok.isdigit():
        return None
    dots, commas = tok.count("."), tok.count(",")
    if commas and not dots:
        if commas > 1:
            return EN if _grouped(tok, ",") else None
        head, tail = tok.split(",")
        if len(tail) != 3 or not _grouped(head + ",000", ","):
            return VI
        return None
    if dots and not commas:
        if dots > 1:
            return VI if _grouped(tok, ".") else None
        head, tail = tok.split(".")
        if percent and len(tail) != 3:
            return EN
        return None
    if tok.rfind(",") > tok.rfind("."):
        return VI if _reading(tok, ".", ",") else None
    return EN if _reading(tok, ",", ".") else None


def dominant_convention(text: str) -> str | None:
    """The convention that the document's unambiguous numbers use; None with no evidence or a tie."""
    vi = en = 0
    for m in _SEP_NUMBER.finditer(text):
        s = m.start()
        if s and (text[s - 1].isalpha() or text[s - 1] in "/_=@\\"):
            continue
        e = _evidence(m.group(1), bool(m.group(2)))
        if e == VI:
            vi += 1
        elif e == EN:
            en += 1
    return VI if vi > en else EN if en > vi else None


# digit-led (the look-behind follows the first digit) so re skips the prose in C; possessive: no backtracking
_SEP_NUMBER = re.compile(r"(\d(?<!\d\d)\d*+(?:[.,]\d++)+)([ \u00a0]?%)?")


# --- numbers in running text ----------------------------------------------------------------------------------

@dataclass(slots=True)
class _Cand:
    amount: Amount
    tok: str
    den: str | None
    expect_int: bool
    unsure: bool  # the reading depends on a convention hint
    evidence: str | None


def _cue(text: str, s: int) -> str | None:
    """Which cue word ends right before the number at `s` (see _CUE), if any."""
    p = s - 1
    while p >= 0 and s - p < 8 and text[p] in _CUE_SKIP:
        p -= 1
    if p < 0:
        return None
    c = text[p]
    if c.isalpha():
        q = _word_start(text, p)
        word = text[q:p + 1].lower()
        if word not in _CUE_LAST_WORDS:
            return None  # the word before is no cue: most numbers in running text
        kind = _CUE_OF_LAST_WORD.get(word)
        if kind is not None and (q == 0 or not (text[q - 1].isalnum() or text[q - 1] == "_")):
            return kind  # the look-behind (?<!\w) of the cue holds at the word
    elif c not in _CUE_END:
        return None  # most table cells and list items: nothing to look for
    lo = max(0, s - 40)
    k = lo - 1 if lo else 0  # one character more: the look-behind at the window's start
    low = text[k:s].lower()
    if len(low) == s - k:  # lower() keeps every Vietnamese letter one character
        m = _CUE_FIND.search(low, lo - k)
        if m is None:
            return None
        m = _CUE_LOWER.search(low, m.start())  # the match at that start: the same language has none before it
        if m is not None and m.lastgroup != "docname":
            return m.lastgroup
    m = _CUE.search(text, lo, s)
    return m.lastgroup if m else None


def _word_start(text: str, p: int) -> int:
    """Where the letters that end at text[p] start, 13 letters back at most. Most words have a space before them,
    found in one step; the walk letter by letter is the rule."""
    sp = text.rfind(" ", max(0, p - 12), p)
    if sp >= 0 and text[sp + 1:p + 1].isalpha():
        return sp + 1  # the walk would stop there too: a letter at every step, then the space
    q = p
    while q > 0 and p - q < 12 and text[q - 1].isalpha():
        q -= 1
    return q


def _at_line_start(text: str, s: int) -> bool:
    if s:  # most numbers: a word or a sign right before them, or a space after one
        c = text[s - 1]
        if c == "\n":
            return True
        if c not in _LINE_PREFIX_CHARS or (s > 1 and text[s - 2] not in _LINE_PREFIX_CHARS):
            return False
    k = text.rfind("\n", max(0, s - 12), s)
    if k < 0 and s > 12:
        return False
    return _LINE_PREFIX.fullmatch(text, k + 1, s) is not None


def _is_section(text: str, s: int, e: int, tok: str) -> bool:
    """'1.', '3.1.2.', '3.1 Tên mục', '1)' or a row number before a tab, at the start of a line."""
    if not _at_line_start(text, s) or not _SECTION_SHAPE.fullmatch(tok):
        return False
    nxt = text[e:e + 2]
    if nxt[:1] in ("\t", ")"):
        return True
    if _CELL_THEN_LABEL.match(text, e) and all(len(g) <= 2 for g in tok.split(".")[1:]):
        return True
    if nxt[:1] == "." and (len(nxt) == 1 or not nxt[1].isdigit()):
        return True
    if "." in tok and all(len(g) <= 2 for g in tok.split(".")):
        return tok.count(".") > 1 or (nxt[:1] == " " and text[e + 1:e + 2].isalpha() and not _SCALE.match(text, e))
    return False


def _valid_day_month(d: str, m: str) -> bool:
    return d.isdigit() and m.isdigit() and 1 <= int(d) <= 31 and 1 <= int(m) <= 12


def _is_year(tok: str) -> bool:
    return len(tok) == 4 and tok.isdigit() and 1900 <= int(tok) <= 2100


def _skip_single(text: str, s: int, e: int, tok: str) -> bool:
    """A lone number that is a year, a day/month/quarter, an ordinal, a document or place number (sections:
    _is_section, asked first by _candidate)."""
    cue = _cue(text, s)
    if _is_year(tok) and (cue in ("year", "when", "yrange") or _YEAR_RANGE_AFTER.match(text, e)):
        return True
    if not tok.isdigit():
        if _SECTION_SHAPE.fullmatch(tok):
            if tok.count(".") > 1 and all(len(g) <= 2 for g in tok.split(".")):
                return True  # "7.2.1": a section reference anywhere
            if cue == "na":
                return True  # "điểm 1.1", "Phụ lục 02.1"
    else:
        n = int(tok)
        if cue in _NOT_AMOUNT or (cue == "day" and n <= 31) or (cue == "month" and n <= 12) \
                or (cue == "quarter" and n <= 4):
            return True
        if n <= 12 and _SIX_MONTHS.match(text, e):
            return True
        if n <= 31 and _DAY_RANGE_AFTER.match(text, e):
            return True
    return False


_NOT_AMOUNT = frozenset(("na", "doc", "docname", "coded"))


def _skip_pair(text: str, s: int, e: int, a: str, b: str) -> bool:
    """An a/b that is a date, a month/year or a document number rather than a ratio."""
    if _is_year(b) and a.isdigit():
        return True  # "12/2024" month/year; "41/2022" a document number with its year
    cue = _cue(text, s)
    if _valid_day_month(a, b) and (cue in ("day", "month", "when", "drange") or _YEAR_AFTER.match(text, e)):
        return True  # "ngày 14/7", "trước 30/11", "25-26/12", "14/7 năm 2025"
    return a.isdigit() and cue in _NOT_AMOUNT


def _glued_before(text: str, s: int) -> bool:
    if s == 0:
        return False
    c = text[s - 1]
    if c == "/" and MONEY_SLASH.search(text, max(0, s - 12), s):
        return False  # "5.817 tỷ đồng/5.937 tỷ đồng": done against planned, two amounts
    if c.isalpha() or c in "/_=@\\#&":
        return True
    if c in "-.,:" and s >= 2:
        p = text[s - 2]
        return p.isalpha() or (c == ":" and p.isdigit())
    return False


def _known_acronym(words: str) -> bool:
    first = words.split(None, 1)[0]
    return first.isupper() and len(first) > 1 and (first.lower(),) in _UNIT_INDEX.get(first.lower(), ())


def _unit_after(text: str, e: int) -> tuple[str | None, bool]:
    """The 1-4 words after a number, and whether they are a known counted noun ("hồ sơ", "TTHC" …)."""
    g = _UNIT_GAP.match(text, e)
    m = _UNIT_WORDS.match(text, g.end())
    if not m or ("\n" in g.group() and not m.group()[0].islower() and not _known_acronym(m.group())):
        return None, False  # across a line break only a wrapped sentence goes on, in lower case or with "HTX", "TTHC"
    words = m.group().split()
    low = [w.lower() for w in words]
    # "phản ánh, kiến nghị", "công chức, viên chức": a known unit with a comma inside, tried before its first part
    # (only where the first word is one such unit's first word)
    comma = _UNIT_COMMA.match(text, g.end()) if _UNIT_COMMA_FIRST.fullmatch(words[0]) else None
    if comma:
        return comma.group(), True
    # a known unit may wrap onto the next line when that line goes on in lower case: "10 dự\nán"
    known = _UNIT_INDEX.get(low[0])
    if known:  # the wrapped line is read only where a known unit starts with the first word
        wrap = _UNIT_WRAP.match(text, m.end())
        tail = [wrap.group(1)] if wrap and wrap.group(1)[0].islower() else []
        all_words = words + tail
        all_low = tuple(low + [t.lower() for t in tail])
        for cand in known:
            if all_low[:len(cand)] == cand and "," not in cand:
                return " ".join(all_words[:len(cand)]), True
    out = []
    for w, lw in zip(words, low):
        if lw in _UNIT_STOP or len(out) == 4:
            break
        out.append(w)
    return " ".join(out) or None, False


_UNIT_COMMA = re.compile("|".join(re.escape(u) for u in sorted(_UNITS, key=len, reverse=True) if "," in u) + r"(?!\w)",
                         I)  # longest first: "tin, bài, video, ảnh" before "tin, bài"
_UNIT_COMMA_FIRST = re.compile("|".join(sorted({re.escape(u.split(",")[0].split()[0]) for u in _UNITS if "," in u})), I)


def _dec_value(d: Decimal, scale: int) -> int | float:
    v = d * scale
    return int(v) if v == v.to_integral_value() else float(v)


def _candidate(text: str, s: int, e: int, tok: str, den: str | None) -> _Cand | None:
    """The amount that the number `tok` (with its denominator `den`) at text[s:e] reads as, or None."""
    if den is None and _is_section(text, s, e, tok):
        return None  # first: numbered lines are common, and no cue need be looked for
    c = text[e] if e < len(text) else ""
    glued_unit = c.isalpha() and _GLUED_UNIT.match(text, e) is not None
    if c:  # what follows: the tests that need no window (their order does not change the answer)
        if c == ":" and _TIME_AFTER.match(text, e):
            return None
        if c.isalpha() and c not in "đĐ₫" and not glued_unit:
            return None
        if c in "đĐ" and not _CURRENCY.match(text, e):
            return None
    if len(tok) > _MAX_DIGITS or (den is not None and len(den) > _MAX_DIGITS) or _glued_before(text, s):
        return None  # an identifier or noise, not a quantity
    if den is not None:
        if _skip_pair(text, s, e, tok, den):
            return None
        if text[e:e + 3].lstrip(" \t")[:1] == "/":
            return None  # a/b/c that is neither a date nor a code
    else:
        if _skip_single(text, s, e, tok) or ("," in tok and _ENUMERATION.fullmatch(tok)):
            return None
    raw_end = e
    percent = False
    scale = 1
    currency = None
    if not c or c in _NO_SUFFIX or not _SUFFIX_START.match(text, e):
        unit, known = (None, False) if c in _NO_UNIT else _unit_after(text, e)
    else:
        pm = _PERCENT.match(text, e)
        if pm:
            percent, raw_end = True, pm.end()
        else:
            sm = _SCALE.match(text, e)
            if sm:
                w = sm.group("w").lower().split()
                scale = _SCALES.get(w[0], 1) * (10**9 if len(w) > 1 else 1)
                raw_end = sm.end()
            cm = _CURRENCY.match(text, raw_end)
            if cm:
                currency = "VND" if cm.group("vnd") else "USD"
                raw_end = cm.end()
            elif den is None and _PERCENT_RANGE.match(text, e):
                percent = True
        unit, known = (None, False) if currency or (percent and raw_end == e) else _unit_after(text, raw_end)
    counted = known and unit.split()[0].lower() not in _MEASURE_UNITS
    # A count is an integer: that settles "160.674 hồ sơ" and makes "158.55 hồ sơ" malformed.
    expect_int = scale == 1 and not percent and (den is not None or currency == "VND" or counted)
    # A decimal point with a scale word, a percent sign or a unit of measure is an informal decimal ("2.5 triệu",
    # "99.95%", "4.5 ngày", "0.25mm"): never a count with broken grouping.
    measure = (known and not counted) or glued_unit
    hint = EN if (percent or scale > 1 or measure) and _dot_decimal(tok) else None
    kind = "ratio" if den is not None else "percent" if percent else "money" if currency else "number"
    digits = tok.isdigit()
    if digits:  # what _parse and _set_value give for digits alone, without their records
        unsure = False
        amount = Amount(s, raw_end, text[s:raw_end], int(tok) * scale, kind, None, False, False, 0, scale, percent,
                        currency, unit)
    else:
        p, d = _parse(tok, hint, expect_int)
        unsure = p.ambiguous
        amount = Amount(s, raw_end, text[s:raw_end], None, kind, p.convention, p.ambiguous, p.malformed, p.decimals,
                        scale, percent, currency, unit, note=p.note)
        _set_value(amount, p, d)
    if den is not None:
        q, dd = _parse(den, None, expect_int)
        amount.denominator = None if q.value is None else _dec_value(dd, scale) if dd is not None else q.value * scale
        amount.malformed = amount.malformed or q.malformed
        unsure = unsure or q.ambiguous
        amount.ambiguous = unsure
    sp = _SPELLED_AFTER.match(text, raw_end) if text[raw_end:raw_end + 1] in _SPELLED_START else None
    if sp:
        amount.spelled = spelled_amount(sp.group("w"))
    evidence = _evidence(tok, percent) if not digits else None
    return _Cand(amount, tok, den, expect_int, unsure, evidence)


def _dot_decimal(tok: str) -> bool:
    return "," not in tok and tok.count(".") == 1 and len(tok) - tok.index(".") - 1 != 3


def _set_value(a: Amount, p: ParsedNumber, d: Decimal | None) -> None:
    if p.value is None:
        a.value = None
    elif d is None:
        a.value = p.value * a.scale
    else:
        a.value = _dec_value(d, a.scale)


def _resolve(text: str, cands: list[_Cand], convention: str | None, kept: list[_Cand]) -> None:
    """Settle the `kept` numbers valid in both conventions (the others are not returned: they need no reading) from
    the evidence of all `cands`: local (same table column, else same paragraph), then the document. A reading taken
    from a mixed document stays `ambiguous`."""
    unsure = [c for c in kept if c.unsure]
    if not unsure:
        return
    if convention == DOCUMENT:
        convention = dominant_convention(text)
    vi = sum(1 for c in cands if c.evidence == VI)
    en = sum(1 for c in cands if c.evidence == EN)
    if convention in (VI, EN):
        doc, firm = convention, True
    else:
        doc = VI if vi > en else EN if en > vi else None
        firm = doc is not None and (vi == 0 or en == 0)
    local: dict[tuple, set[str]] = {}
    key = None
    if not firm and vi and en:
        # Neighbours first: the same table column, else the same paragraph; then the same kind of region
        # (tab tables or running text) over the whole document.
        nl = [m.start() for m in _NEWLINE.finditer(text)]
        blanks = [m.end() for m in _BLANK_LINE.finditer(text)]

        last = [-1, 0, 0]  # line, position, tabs before it: columns are counted on from the previous number

        def key(pos: int) -> tuple:
            para = bisect_right(blanks, pos)
            li = bisect_right(nl, pos)
            ls = nl[li - 1] + 1 if li else 0
            le = nl[li] if li < len(nl) else len(text)
            if text.find("\t", ls, le) < 0:
                return ("p", para)
            if last[0] == li and last[1] <= pos:
                col = last[2] + text.count("\t", last[1], pos)
            else:
                col = text.count("\t", ls, pos)
            last[:] = [li, pos, col]
            return ("t", para, col)

        for c in cands:
            if c.evidence:
                k = key(c.amount.start)
                local.setdefault(k, set()).add(c.evidence)
                local.setdefault(k[0], set()).add(c.evidence)
    for c in unsure:
        a = c.amount
        k = key(a.start) if key else ("p",)
        seen = local.get(k, set())
        if len(seen) != 1:
            seen = local.get(k[0], set())
        if len(seen) == 1:
            conv, still = next(iter(seen)), False
        elif doc is not None:
            conv, still = doc, not firm
        else:
            continue
        p, d = _parse(c.tok, conv, c.expect_int)
        a.convention, a.malformed, a.decimals = p.convention, p.malformed, p.decimals
        a.ambiguous = still
        a.note = p.note if p.malformed else (_msg_ambiguous(c.tok, p.value, p.alternative) if still else None)
        _set_value(a, p, d)
        if c.den is not None:
            q, dd = _parse(c.den, conv, c.expect_int)
            a.denominator = None if q.value is None else _dec_value(dd, a.scale) if dd is not None else q.value * a.scale
            a.malformed = a.malformed or q.malformed


def find_amounts(text: str, convention: str | None = None, skip: Ranges | None = None,
                 within: Ranges | None = None, bare: bool = True) -> list[Amount]:
    """Every number mention that can be an indicator, in order, with offsets into `text`.

    Years, dates, document codes and numbers, section numbers, procedure codes (1.009645), phone numbers, ordinals
    and named documents ("Đề án 06") are left out. `convention` ("vi"/"en") overrides the convention the numbers of
    `text` show; DOCUMENT asks for dominant_convention(text), computed only when a number needs a convention.
    `skip` (a Ranges) holds spans already read as something else, such as dates and references: nothing is read there.
    `within` (a Ranges) holds the spans where the caller keeps amounts: a number that no range holds is left out of
    the result and read only when it can be convention evidence for the others (it has a separator).
    `bare=False` leaves out the bare numbers too: those with no percent sign, currency, denominator or unit word
    after them ("Điều 5.", "(12)"), which say nothing on their own. Most numbers of a document are such, and one
    with no separator is dropped from the character after it, before any other test.
    """
    cands, kept = [], []
    w_starts, w_ends = (within.starts, within.ends) if within is not None else (None, None)
    num_group, bisect, candidate, no_unit = _NUM_GROUP, bisect_right, _candidate, _NO_UNIT  # locals: once per number
    for m in _SCAN.finditer(text):
        last = m.lastindex
        if last < num_group:
            continue  # a date, a code, a phone number or a procedure code
        s, e = m.span()
        tok = text[s:m.end(num_group)]
        digits = tok.isdigit()
        if digits and not bare and last == num_group and text[e:e + 1] in no_unit:
            continue  # nothing after it can make it more than a bare number, nor is it evidence
        if skip is not None and skip.overlaps(s, e):
            continue
        if w_starts is None:
            keep = True
        else:  # within.contains(s, e), inline
            i = bisect(w_starts, s) - 1
            keep = i >= 0 and e <= w_ends[i]
        if digits and not keep:
            continue  # no separator: no evidence for the others
        c = candidate(text, s, e, tok, m.group(last) if last > num_group else None)
        if c is not None:
            cands.append(c)
            if keep and (bare or c.amount.kind != "number" or c.amount.unit_text):
                kept.append(c)
    _resolve(text, cands, convention, kept)
    return [c.amount for c in kept]


# --- spelled-out amounts --------------------------------------------------------------------------------------

_DIGIT_WORDS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "nhăm": 5,
                "sáu": 6, "bảy": 7, "bẩy": 7, "tám": 8, "chín": 9}
_SCALE_WORDS = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9, "tỉ": 10**9}
_NUMBER_WORDS = frozenset(_DIGIT_WORDS) | frozenset(_SCALE_WORDS) | {"mười", "mươi", "trăm", "linh", "lẻ"}
_WORD = re.compile(r"[^\W\d_]+|[^\s,;.]")
_BANG_CHU = re.compile(r"bằng\s+chữ\s*:?", I)


def spelled_amount(text: str) -> int | None:
    """The integer that Vietnamese number words spell ("Ba nghìn bảy trăm chín mươi tỷ đồng" → 3 790 000 000 000).

    Reads the first run of number words (after "Bằng chữ:" when present); commas between groups are allowed.
    None when there is no number word.
    """
    bc = _BANG_CHU.search(text)
    words = _WORD.findall(text[bc.end():] if bc else text)
    total = 0  # closed groups, already multiplied by their scale
    group = 0  # hundreds and tens of the open group
    digit: int | None = None  # a digit word not yet placed
    started = False
    for raw in words:
        w = raw.lower()
        if w not in _NUMBER_WORDS:
            if started:
                break
            continue
        started = True
        if w in _DIGIT_WORDS:
            if digit is not None:
                return None  # "hai ba": not a number
            digit = _DIGIT_WORDS[w]
        elif w == "mươi":
            group += (digit if digit is not None else 1) * 10
            digit = None
        elif w == "mười":
            group += 10
        elif w == "trăm":
            group += (digit if digit is not None else 1) * 100
            digit = None
        elif w in ("linh", "lẻ"):
            pass
        else:
            n = group + (digit or 0)
            if n == 0 and digit is None and total == 0:
                n = 1  # "nghìn đồng": a bare scale word
            scale = _SCALE_WORDS[w]
            low = total % scale  # smaller groups already closed join this scale: "ba nghìn … tỷ"
            total = total - low + (low + n) * scale
            group, digit = 0, None
    if not started:
        return None
    return total + group + (digit or 0)


__all__ = ["DOCUMENT", "Amount", "ParsedNumber", "dominant_convention", "find_amounts", "parse_number", "spelled_amount"]
