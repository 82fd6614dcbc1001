"""The header block (NĐ 30/2020 Phụ lục I): bodies, number and symbol, place and date, type and trích yếu,
Kính gửi; and the closing block: signer and Nơi nhận. Plain-text renderings interleave the two header columns,
so fields are found by their own shape, not by position."""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import count

from .. import lexicon
from ..normalize import NormText, canonical
from ..safe import make_date
from ..schema import FieldSpan, Header, Notice, Signer, Span, trusted_records
from .citations import _SYMBOL, type_from_symbol
from .portal import PortalLayout

I = re.IGNORECASE
M = re.MULTILINE

_NUMBER = re.compile(r"^[ \t|*#]*Số\s*(?:hiệu)?\s*:?[ \t]*(?:\n[ \t|*]*)?(?:(?P<pnum>\d{1,5})-(?P<psym>[A-ZĐ][A-Za-zĐđ]{0,5}/[A-ZĐ][A-Za-zĐđ0-9]{0,12})"
                     r"|(?P<num>\d{0,6}[a-zA-Z]?)[ \t._…]*/[ \t]*(?:(?P<year>(?:19|20)\d{2})/)?(?P<sym>" + _SYMBOL + "))", M)
_PLACE_DATE = re.compile(r"(?<![^\W\d_])(?P<place>[^\W\d_](?:[^\W\d_]*[ \t]*\n[ \t]*(?=(?-i:[a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệđìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ])))?(?:[^\W\d_]|[.\-]| (?! )){1,45}?),\s*ngày(?P<d>\s+\d{1,2}|[ \t_.…]*)\s+tháng\s+(?P<m>\d{1,2})\s*,?"
                         r"\s*năm\s+(?P<y>\d{4})", I)
_NATIONAL = re.compile(r"C[ỘO]NG\s+H[ÒOÀ]A\s+X[ÃA]\s+H[ỘO]I\s+CH[ỦU]\s+NGH[ĨI]A\s+VI[ỆE]T\s+NAM|"
                       r"Đ[ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM", I)
_MOTTO = re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc", I)
_RULE = re.compile(r"^[\s\-_=–—.*|#]*$")
_URGENCY = re.compile(r"^(?:HỎA TỐC|THƯỢNG KHẨN|KHẨN|MẬT|TỐI MẬT|DỰ THẢO|BẢN SAO)\b")
_CONTINUATION = re.compile(r"^(?:TỈNH|THÀNH PHỐ|HUYỆN|XÃ|PHƯỜNG|QUẬN|THỊ XÃ|PHỦ|TRUNG ƯƠNG|VIỆT NAM|NAM|NỘI|MINH)\b")
_DANGLING = re.compile(r"(?:\b(?:NHÂN|BAN|ỦY|VÀ|CỦA|HỒ CHÍ|HÀ)|[&,])\s*$")
# what a _PLACE_DATE match holds: a line without it is not tried at each of its positions
_PLACE_DATE_CUE = re.compile(r",\s*ngày", I)
_VV = re.compile(r"^[ \t|*]*V/v\s*:?\s*(?P<vv>.+)$", M | I)
_TRAILING_RULE = re.compile(r"[\s\-_=–—*]{3,}$")
_NATIONAL_PART = re.compile(r"^(?:CỘNG|CHỦ NGHĨA|HÒA XÃ|XÃ HỘI)")
_KINH_GUI = re.compile(r"(?:Đồng\s+)?Kính\s+gửi\s*:?", I)
# the same pattern for searching: opened by a character class ("Đ", "K" and their case-insensitive forms, the Kelvin
# sign included) so the regex engine skips to those letters; case-insensitive only inside, as a global flag would
# make it try every position
_KINH_GUI_SEARCH = re.compile(r"[ĐđKk\u212a](?:(?<=[Đđ])(?i:ồng\s+Kính)|(?<=[Kk\u212a])(?i:ính))(?i:\s+gửi\s*:?)")
_BODY_CUE = re.compile(r"^(?:Căn cứ|Thực hiện|Theo|Trên cơ sở|Xét|Để|Nhằm|Ngày|Hội nghị|Sau khi|Qua|Tiếp theo|Trong|Hiện nay|"
                       r"Nhận được|Tổng cục|Bộ |Sở |Ủy ban|UBND|Văn phòng|Năm|Thời gian|I\.|1\.|Phần|PHẦN|Chương|CHƯƠNG|"
                       r"Điều|Kính gửi)")
_NOI_NHAN = re.compile(r"(?:Nơi|NƠI|nơi)\s+(?:nhận|NHẬN)[ _*]*:?")
_AUTHORITY = re.compile(r"^[ \t|*]*(?P<auth>TM|KT|TL|TUQ|Q|T/M|K/T|T/L)\.?\s+(?P<rest>[A-ZĐÀ-Ỹ][^\n]*)$", M)
_AUTHORITY_FIRST = ("T", "K", "Q")  # what an _AUTHORITY line opens with after its table marks (" |*")
_NAME_FIRST = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ")  # _NAME_WORD's
_NAME_WORD = re.compile(r"^[A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ][a-zàáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệđìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]*$")


_COLUMN_GAP = re.compile(r"(?:[^\t ]| (?!  ))+")


def _lines(text: str, start: int, end: int):
    """(start, end, stripped_content) for each line in [start, end); a tab splits a line into its columns, as
    PDF rows and plain-text renderings put the two header columns side by side. The range is split a block of about
    2 000 characters at a time (one C call each, 1.6x faster than a find per line; most callers stop early)."""
    pos = start
    while pos < end:
        cut = text.find("\n", min(pos + 2000, end), end)
        cut = end if cut < 0 else cut  # the block ends before a line break, or at `end`
        pieces = text[pos:cut].split("\n")
        if not pieces[-1] and cut == end:
            pieces.pop()  # the range ends with a line break: no line starts at `end`
        for line in pieces:
            stop = pos + len(line)
            if "\t" not in line and ("   " not in line or "   " not in line.strip()):
                yield pos, stop, line.strip(" |*#_")
            else:
                for cell in _COLUMN_GAP.finditer(line):
                    if cell.group().strip(" |*#_"):
                        yield pos + cell.start(), pos + cell.end(), cell.group().strip(" |*#_")
            pos = stop + 1


@lru_cache(maxsize=8192)
def _is_caps(s: str) -> bool:
    """Mostly capitals (a body's name, a title, a signer's title); a few lower-case letters are tolerated.
    Memoised: the closing block asks again about the same lines while it walks back from each name."""
    if s.upper() == s:
        return sum(map(str.isalpha, s)) >= 2  # two letters in all (two among the first four implies it)
    if len(s) > 90 or s[:1].islower():
        return False
    return sum(map(str.islower, s)) <= 0.15 * sum(map(str.isalpha, s))


@lru_cache(maxsize=8192)
def _is_name(s: str) -> bool:
    words = s.split(None, 6)  # a seventh piece means more than six words: a long line is not split whole
    return 2 <= len(words) <= 6 and all(_NAME_WORD.match(w) for w in words)


_OI_LOW, _OI_UP = re.compile("ơi"), re.compile("ƠI")  # literal patterns: re's fastest search


def _noi_nhan_starts(text: str, start: int, end: int):
    """Where "Nơi", "nơi" or "NƠI" (what _NOI_NHAN opens with) starts in [start, end), in order: searches for the
    rarer "ơi" and "ƠI" (a regex opened by "N|n" stops at every "n"); "ƠI" is looked for only up to the next "ơi",
    so a caller that stops at the first good one has not scanned the whole text for it."""
    pos = start + 1
    low = _OI_LOW.search(text, pos, end)
    while True:
        if low and low.start() < pos:
            low = _OI_LOW.search(text, pos, end)
        up = _OI_UP.search(text, pos, low.start() if low else end)
        if up:
            q = up.start()
            if text[q - 1] == "N":
                yield q - 1
        elif low:
            q = low.start()
            if text[q - 1] in "Nn":
                yield q - 1
        else:
            return
        pos = q + 1


def _number_search(text: str, start: int, end: int) -> re.Match | None:
    """_NUMBER.search(text, start, end), tried only at the line start before each "Số" (see _vv_search)."""
    q = text.find("Số", start, end)
    while q >= 0:
        s = q
        while s > start and text[s - 1] in " \t|*#":
            s -= 1
        if s == 0 or text[s - 1] == "\n":
            m = _NUMBER.match(text, s, end)
            if m:
                return m
        q = text.find("Số", q + 1, end)
    return None


def _vv_search(text: str, start: int, end: int) -> re.Match | None:
    """_VV.search(text, start, end), tried only where "V/v" follows the start of a line and table marks: a
    line-anchored pattern is otherwise tried at every position. The match, if any, starts at that line start."""
    q = text.find("/", start + 1, end)
    while q >= 0:
        if text[q - 1] in "Vv" and text[q + 1:q + 2] in ("V", "v"):
            s = q - 1
            while s > start and text[s - 1] in " \t|*":
                s -= 1
            if s >= start and (s == 0 or text[s - 1] == "\n"):
                m = _VV.match(text, s, end)
                if m:
                    return m
        q = text.find("/", q + 1, end)
    return None


class _Fields:
    def __init__(self, nt: NormText):
        self.nt = nt
        self.spans: list[FieldSpan] = []

    def add(self, name: str, a: int, b: int) -> Span:
        s, e = self.nt.orig_span(a, b)
        record, = trusted_records(FieldSpan, [{"field": name, "span": {"start": s, "end": e}}])  # the parser's own
        self.spans.append(record)
        return record.span


def extract_header(nt: NormText, layout: PortalLayout) -> tuple[Header, list[Notice]]:
    text = nt.text
    b0, b1 = layout.body_start, layout.body_end
    head_end = min(b1, b0 + 6000)
    f = _Fields(nt)
    h = Header()
    notices: list[Notice] = []

    title_line = _find_title_line(text, b0, head_end)
    pd = _place_date(text, b0, head_end)
    if title_line:
        zone_end = title_line[0]
    else:  # a công văn: the bodies sit above "Số:"/V/v and the date line, never below "Kính gửi"
        zone_end = min(head_end, b0 + 1500)
        if pd:
            line_end = text.find("\n", pd.end(), head_end)
            zone_end = min(zone_end, line_end if line_end >= 0 else head_end)
        kg0 = _KINH_GUI_SEARCH.search(text, b0, zone_end)
        if kg0:
            zone_end = kg0.start()
    found_any = False

    nm = _number_search(text, b0, zone_end if title_line else head_end)
    if nm:
        found_any = True
        if nm.group("pnum"):
            h.number, h.symbol = nm.group("pnum"), nm.group("psym")
            h.code = f"{h.number}-{h.symbol}"
        else:
            h.number = nm.group("num") or None
            h.symbol = re.sub(r"\s+", "", nm.group("sym"))
            h.year = int(nm.group("year")) if nm.group("year") else None
            h.code = f"{h.number or ''}/{nm.group('year') + '/' if h.year else ''}{h.symbol}"
        f.add("number", nm.start(), nm.end())

    if pd and (not title_line or pd.start() < title_line[1] + 400):
        found_any = True
        h.place = " ".join(pd.group("place").split()).strip(" *|")
        f.add("place", pd.start("place"), pd.end("place"))
        day = pd.group("d").strip(" \t\n_.…")  # a draft leaves the day as dots or underscores
        y, mo = int(pd.group("y")), int(pd.group("m"))
        if day:
            h.date = make_date(y, mo, day)
            if h.date is None:
                h.date_valid = False
                h.date_partial = f"{y:04d}-{mo:02d}-{int(day):02d}"
        else:
            h.date_partial = f"{y:04d}-{mo:02d}"
            h.date_valid = make_date(y, mo) is not None
        f.add("date", pd.start("d") - 4, pd.end())

    if title_line:
        found_any = True
        h.doc_type, h.doc_type_source = title_line[2], "title"
        f.add("doc_type", title_line[0], title_line[1])
        title = _title_after(text, title_line[1], head_end)
        if title:
            h.title = title[0]
            f.add("title", title[1], title[2])
    vv = _vv_search(text, b0, head_end)
    if vv:
        vv_text, vv_end = _continue_lines(text, vv.start("vv"), head_end)
        h.subject_vv = vv_text
        f.add("subject_vv", vv.start("vv"), vv_end)
        if not h.doc_type:
            h.doc_type, h.doc_type_source = "Công văn", "vv"
    if not h.doc_type and h.symbol:
        t = type_from_symbol(h.symbol, h.symbol.split("/")[0] if "/" in h.symbol and "-" not in h.symbol else None)
        h.doc_type, h.doc_type_source = (t, "symbol") if t else ("Công văn", "symbol")

    national = _NATIONAL.search(text, b0, zone_end + 200)
    found_any = found_any or bool(national)
    parent, issuer = _bodies(text, b0, zone_end, f)
    h.parent, h.issuer = parent, issuer

    kg = _KINH_GUI_SEARCH.search(text, b0, min(b1, (title_line[1] if title_line else b0) + 3000))
    if kg:
        h.recipients = _recipients(text, kg.end(), b1, f)

    h.signer, h.cc = _closing(text, b0, b1, f, nt)
    h.fields = f.spans

    if found_any:
        h.source = "body"
    elif layout.metadata:
        h.source = "portal"
        notices.append(Notice(code="header.not_found", message="Thân văn bản không có phần đầu (quốc hiệu, số, ngày); "
                              "dùng bảng thông tin của cổng pháp luật."))
    else:
        notices.append(Notice(code="header.not_found", message="Không tìm thấy phần đầu văn bản (quốc hiệu, số, ngày)."))
    _fill_from_portal(h, layout, nt)

    if h.source != "none":
        if h.number is None and h.symbol:
            notices.append(Notice(code="header.missing_number", message="Số văn bản để trống (bản dự thảo?).",
                                  span=_field(h, "number")))
        if h.date is None and h.date_partial and h.date_valid:
            notices.append(Notice(code="header.missing_date", message="Ngày ban hành để trống (bản dự thảo?).",
                                  span=_field(h, "date")))
        if not h.date_valid:
            notices.append(Notice(code="date.invalid", message=f"Ngày ban hành không tồn tại: {h.date_partial}.",
                                  span=_field(h, "date")))
    spans = [fs.span for fs in h.fields if fs.field in ("number", "date", "doc_type", "title", "subject_vv", "issuer",
                                                         "parent", "place")]
    if spans:
        h.span = Span(start=min(s.start for s in spans), end=max(s.end for s in spans))
    if h.date is None and not h.date_partial:
        _adoption_date(h, text, max(b0, b1 - 5000), b1, f)
    return h, notices


# "Luật/Nghị quyết này đã được Quốc hội … thông qua ngày 16 tháng 6 năm 2025": a law or resolution of an elected
# body has no place-and-date line; its date is the day it was adopted, written at its end.
_ADOPTED = re.compile(r"(?:Luật|Bộ luật|Pháp lệnh|Nghị quyết|Hiến pháp)\s+này\s+(?:đã\s+)?được\s[^.\n]{0,200}?"
                      r"thông\s+qua\s+(?:vào\s+)?(?P<when>ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4}))")


def _adoption_date(h: Header, text: str, start: int, end: int, f: "_Fields") -> None:
    """The adoption line sets the date of a document whose header has none; it is a header field ("date") but
    does not widen the header's span, which stays at the top of the document."""
    m = None
    for m in _ADOPTED.finditer(text, start, end):
        pass  # the last one: an earlier one may quote another resolution
    if m is None:
        return
    h.date = make_date(m.group("y"), m.group("m"), m.group("d"))
    if h.date is None:
        return
    f.add("date", m.start("when"), m.end())
    h.fields = f.spans


_PLACE_DATE_TRIGGER = re.compile(r",\s*ngày")


def _place_date(text: str, start: int, end: int) -> re.Match | None:
    """_PLACE_DATE tried back from each ", ngày" (a literal, so the scan is cheap)."""
    for t in _PLACE_DATE_TRIGGER.finditer(text, start, end):
        line_start = text.rfind("\n", start, t.start())
        line_start = text.rfind("\n", start, line_start) if line_start > start else line_start
        for p in range(max(start, line_start + 1, t.start() - 120), t.start()):
            m = _PLACE_DATE.match(text, p, end)
            if m:
                return m
    return None


def _field(h: Header, name: str) -> Span | None:
    return next((fs.span for fs in h.fields if fs.field == name), None)


def _find_title_line(text: str, start: int, end: int):
    titles = lexicon.title_lines()
    for a, b, s in _lines(text, start, end):
        if not s or len(s) > 40 or not _is_caps(s):
            continue
        key = _title_key(s)
        if key in titles:
            lead = text[a:b].find(s[:3])
            return a + max(lead, 0), b, titles[key]
    return None


@lru_cache(maxsize=4096)
def _title_key(s: str) -> str:
    """A short capitalised line as the lexicon's title lines are keyed ("QUYẾT  ĐỊNH" → "QUYẾT ĐỊNH")."""
    return " ".join(canonical(s).upper().split())


def _title_after(text: str, pos: int, end: int):
    parts, first, last = [], None, None
    caps_mode = None
    for a, b, s in _lines(text, pos + 1, end):
        if not s:
            if parts:
                break
            continue
        if _RULE.match(text[a:b]) or _BODY_CUE.match(s) or len(parts) >= 8:
            break
        caps = _is_caps(s)
        if caps_mode is None:
            caps_mode = caps
        elif caps_mode and not caps:
            break
        lead = text[a:b].find(s[:3])
        first = a + max(lead, 0) if first is None else first
        last = a + max(lead, 0) + len(s)
        parts.append(s)
    if not parts:
        return None
    return " ".join(" ".join(parts).split()), first, last


def _continue_lines(text: str, pos: int, end: int) -> tuple[str, int]:
    parts, stop = [], pos
    for a, b, s in _lines(text, pos, end):
        if not s or _RULE.match(text[a:b]) or (parts and (_KINH_GUI.match(s) or _NATIONAL.search(s) or _MOTTO.search(s)
                                                        or _PLACE_DATE_CUE.search(s) and _PLACE_DATE.search(s))):
            break
        parts.append(s)
        stop = b
        if len(parts) >= 5:
            break
    return " ".join(" ".join(parts).split()), stop


def _bodies(text: str, start: int, end: int, f: _Fields) -> tuple[str | None, str | None]:
    groups: list[list] = []
    national = [m.span() for rx in (_NATIONAL, _MOTTO) for m in rx.finditer(text, start, end)]
    for a, b, s in _lines(text, start, end):
        if s and (s[-1].isspace() or s[-1] in "-_=–—*"):  # only then can the rule at its end match
            s = _TRAILING_RULE.sub("", s)
        s = s.strip(" *")
        if any(a < ne and ns < b for ns, ne in national) or "/" in s:
            continue
        if (not s or _RULE.match(text[a:b]) or not _is_caps(s) or _NATIONAL.search(s) or _MOTTO.search(s)
                or s.upper().startswith(("SỐ", "V/V")) or _URGENCY.match(s)
                or _PLACE_DATE_CUE.search(s) and _PLACE_DATE.search(s)):
            continue
        if len(s) > 80 or _NATIONAL_PART.match(s):
            continue
        lead = text[a:b].find(s[:3])
        item = [s, a + max(lead, 0), a + max(lead, 0) + len(s)]
        if groups and (_CONTINUATION.match(s) or _DANGLING.search(groups[-1][0]) or len(s.split(None, 1)) == 1
                       or len(groups[-1][0].split(None, 1)) == 1):  # "VĂN" / "PHÒNG CHÍNH PHỦ" is one name
            g = groups[-1]
            g[0], g[2] = f"{g[0]} {s}", item[2]
        else:
            groups.append(item)
    if not groups:
        return None, None
    issuer = groups[-1]
    f.add("issuer", issuer[1], issuer[2])
    parent = None
    if len(groups) >= 2:
        parent = groups[0]
        f.add("parent", parent[1], parent[2])
    return (" ".join(parent[0].split()) if parent else None), " ".join(issuer[0].split())


def _recipients(text: str, pos: int, end: int, f: _Fields) -> list[str]:
    out: list[str] = []
    nl = text.find("\n", pos)
    inline = text[pos:nl if nl > 0 else end].strip(" \t*|")
    first = last = None
    if inline and not inline.startswith("-"):
        parts, stop = [inline], nl if nl >= 0 else len(text)
        for a, b, s in _lines(text, stop + 1, min(end, stop + 600)):
            if not s or s.startswith("-") or _BODY_CUE.match(s) or s[0].isdigit():
                break
            parts.append(s)
            stop = b
        joined = " ".join(" ".join(parts).split())
        out = [p.strip(" .;") for p in joined.split(";") if p.strip(" .;")]
        first, last = pos, stop
    else:
        for a, b, s in _lines(text, pos, min(end, pos + 3000)):
            if not s:
                if out:
                    break
                continue
            if not s.startswith("-") and not s.startswith("+"):
                if out and not _BODY_CUE.match(s) and not s[0].isdigit() and not out[-1].endswith((";", ".")):
                    out[-1] = f"{out[-1]} {s}"
                    last = b
                    continue
                break
            out.append(s.lstrip("-+ ").strip())
            first = a if first is None else first
            last = b
        out = [o.rstrip(" ;.") for o in out if o.strip(" ;.")]
    if out and first is not None:
        f.add("recipients", first, last)
    return out


def _closing(text: str, b0: int, b1: int, f: _Fields, nt: NormText):
    nn = None
    for p in _noi_nhan_starts(text, b0, b1):
        m = _NOI_NHAN.match(text, p, b1)
        if m is None:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        if not text[line_start:m.start()].strip(" \t|*_"):
            nn = m
            break
    cc: list[str] = []
    if nn:
        first = last = None
        for a, b, s in _lines(text, nn.end(), min(b1, nn.end() + 3000)):
            if not s:
                continue
            if s.startswith(("-", "+")):
                item = s.lstrip("-+ ").rstrip(" ;.")
                cc.append(item)
                first = a if first is None else first
                last = b
                if item.lower().startswith("lưu"):
                    break
            elif cc and not _is_caps(s) and not _is_name(s) and not cc[-1].lower().startswith("lưu"):
                cc[-1] = f"{cc[-1]} {s.rstrip(' ;.')}"
                last = b
            elif _is_caps(s) or s[:1] in _AUTHORITY_FIRST and _AUTHORITY.match(s):
                continue  # the signature column, interleaved with the list in PDF and plain-text renderings
            else:
                break
        if first is not None:
            f.add("cc", first, last)
        zone = (max(b0, nn.start() - 1500), min(b1, nn.end() + 2500))
    else:
        zone = (max(b0, b1 - 2500), b1)
    return _signer(text, zone, f, nt), cc


def _signer(text: str, zone: tuple[int, int], f: _Fields, nt: NormText) -> Signer | None:
    """The signer's name, titles and authority in the closing zone. The zone's non-empty lines are read only as far
    as the search goes (the name is mostly found a few lines below the authority line, far before the zone's end)."""
    found = (ln for ln in _lines(text, *zone) if ln[2])
    lines: list[tuple[int, int, str]] = []

    def line(i: int) -> tuple[int, int, str] | None:
        """The zone's i-th non-empty line, None past the last."""
        while len(lines) <= i:
            nxt = next(found, None)
            if nxt is None:
                return None
            lines.append(nxt)
        return lines[i]

    auth_idx = None
    for i in count():
        ln = line(i)
        if ln is None:
            break
        a, b, s = ln
        if s[:1] in _AUTHORITY_FIRST and _AUTHORITY.match(text[a:b]) and _is_caps(s):
            auth_idx = i
            break
    start_idx = auth_idx if auth_idx is not None else 0
    for i in count(start_idx):
        ln = line(i)
        if ln is None:
            break
        a, b, s = ln
        if s[0] not in _NAME_FIRST and not s[0].isspace():
            continue  # its first word is no name's (_NAME_WORD), alone or with the next line
        cand, end_b = s, b
        if len(s.split(None, 1)) == 1 and (after := line(i + 1)) is not None and _is_name(f"{s} {after[2]}"):
            cand, end_b = f"{s} {after[2]}", after[1]
        if not _is_name(cand) or s.startswith(("-", "+")):
            continue
        titles = []
        j = i - 1
        while j >= start_idx and len(titles) < 5 and i - j < 12:
            if lines[j][2].startswith(("-", "+")) or lines[j][2].lower().startswith("nơi nhận"):
                j -= 1  # a Nơi nhận item interleaved with the signature column
                continue
            if not _is_caps(lines[j][2]):
                break
            titles.insert(0, lines[j][2])
            j -= 1
        if not titles:
            continue
        authority = body = None
        if auth_idx is not None and auth_idx >= j + 1 and auth_idx <= i:
            am = _AUTHORITY.match(text[lines[auth_idx][0]:lines[auth_idx][1]])
            authority = am.group("auth").replace("/", "") + "."
            body = am.group("rest").strip(" *|")
            titles = [t for t in titles if t != lines[auth_idx][2]]
        elif titles and _AUTHORITY.match(titles[0]):
            am = _AUTHORITY.match(titles[0])
            authority, body = am.group("auth").replace("/", "") + ".", am.group("rest").strip(" *|")
            titles = titles[1:]
        lead = text[a:b].find(s[:2])
        span_start = lines[j + 1][0] if j + 1 < i else a + max(lead, 0)
        s0, e0 = nt.orig_span(span_start, end_b)
        name_span = f.add("signer", a + max(lead, 0), end_b)
        title = " ".join(" ".join(titles).split()) or None
        return Signer(authority=authority, authority_body=" ".join(body.split()) if body else None, title=title,
                      name=" ".join(cand.split()), span=Span(start=s0, end=max(e0, name_span.end)))
    return None


def _fill_from_portal(h: Header, layout: PortalLayout, nt: NormText) -> None:
    meta = layout.metadata
    if not meta:
        return
    f = _Fields(nt)
    if "Số hiệu" in meta and h.number is None and h.symbol is None:
        value, a, b = meta["Số hiệu"]
        m = re.match(r"^(\d+[a-z]?)[/-](.+)$", value.strip())
        if m:
            h.number, h.symbol, h.code = m.group(1), m.group(2), value.strip()
            f.add("number", a, b)
    if "Ngày ban hành" in meta and h.date is None and h.date_partial is None:
        value, a, b = meta["Ngày ban hành"]
        m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", value.strip())
        if m:
            h.date = make_date(m.group(3), m.group(2), m.group(1))
            if h.date:
                f.add("date", a, b)
    if "Loại văn bản" in meta and h.doc_type is None:
        value, a, b = meta["Loại văn bản"]
        h.doc_type, h.doc_type_source = value.strip(), "portal"
        f.add("doc_type", a, b)
    if "Nơi ban hành" in meta and h.issuer is None:
        value, a, b = meta["Nơi ban hành"]
        h.issuer = value.strip()
        f.add("issuer", a, b)
    if h.signer is None and "Người ký" in meta:
        value, a, b = meta["Người ký"]
        s, e = nt.orig_span(a, b)
        h.signer = Signer(name=value.strip(), span=Span(start=s, end=e))
        f.add("signer", a, b)
    for fs in f.spans:
        fs.field = f"{fs.field}@portal"
    h.fields.extend(f.spans)
