"""References to other documents.

Like eyecite: find every code-shaped token first (cheap, one compiled regex), then look around each one for what
belongs to it — the type words and pinpoint before it, the date, issuer and subject after it — stopping at the
next reference so a date is never taken from a neighbour. Laws cited by name and year are a second, small pass.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from .. import lexicon
from ..laws import amending_after_code, find_law_names, lexicon_link, type_word_hits
from ..normalize import NormText, canonical
from ..schema import Citation, FormRef, trusted_records
from .spans import orig_spans
from .dates import date_of_phrase

I = re.IGNORECASE

_SEG = r"[A-ZĐ][A-Za-zĐđ0-9]*(?:[.&][ ]?[A-ZĐ0-9][A-Za-zĐđ0-9]*)*(?:\([A-Za-zĐđ0-9]{1,8}\))?"
_SEG_TAIL = r"[A-ZĐ0-9][A-Za-zĐđ0-9]*(?:[.&][ ]?[A-ZĐ0-9][A-Za-zĐđ0-9]*)*(?:\([A-Za-zĐđ0-9]{1,8}\))?"
_SYMBOL = _SEG + r"(?:-[ ]?" + _SEG_TAIL + r")*"
_NUM = r"\d{1,6}[a-z]?(?:\.\d{1,3})?"
CODE_RE = re.compile(
    r"(?<![\w/.\-])(?:"
    r"(?P<pnum>\d{1,5}[a-z]?)-(?P<ptype>[A-ZĐ][A-Za-zĐđ]{0,5})/(?P<pbody>[A-ZĐ][A-Za-zĐđ0-9]{0,12})"
    # damaged: no slash after the year ("49/2025TT-BCT"), a second slash in a joint symbol ("88/2016/TTLT/BTC-BCA")
    r"|(?P<num>" + _NUM + r")[ \t]?/[ \t]?(?:(?P<year>(?:19|20)\d{2})(?:/|(?=[A-ZĐ]{2})))?(?P<sym>" + _SYMBOL
    + r"(?:/[A-ZĐ]{2,}[A-ZĐ0-9]*(?:-[A-ZĐ][A-ZĐ0-9]*)+)?)"
    r")(?![\w/])"
)
# Old codes without a slash ("Nghị định số 111-HĐBT", "Công văn số 1025-CVHQ") and with a space before the symbol
# ("Thông tư số 108 TC/HCVX"): read only right after "số" or a type word, where nothing else can stand.
_LOOSE_CODE_RE = re.compile(r"(?P<num>\d{1,5})(?:-(?P<hsym>[A-ZĐ][A-ZĐ0-9]{1,9}(?:-[A-ZĐ][A-ZĐ0-9]{0,9})*)"
                            r"(?![\w/\-])"
                            r"|[ ](?P<ssym>[A-ZĐ]{2,6}/[A-ZĐ][A-ZĐ0-9]{1,9}(?:-[A-ZĐ][A-ZĐ0-9]{0,9})*)(?![\w/\-]))")
# where to try it: a hyphen between a digit and a capital (a literal first, so re scans in C; the digit checked behind
# it: a code's own "QĐ-UBND" is no start, and _LOOSE_CODE_RE's \d{1,5} cannot reach a hyphen after another kind of
# digit); the spaced form is noted by _code_matches, which visits every "/" anyway
_LOOSE_HYPHEN = re.compile(r"-(?<=\d-)(?=[A-ZĐ])")
# Form and template numbers ("mẫu số 03/TNDN", "Biểu số 05-PA", "phụ lục số 02/PL"): not documents (Document.forms).
_FORM_BEFORE = re.compile(r"(?<!\w)(?P<kind>mẫu\s+biểu|biểu\s+mẫu|mẫu|biểu|phụ\s+lục|tờ\s+khai)(?:\s+số)?\s*:?\s*$", I)
# A legal portal's caption under the signature repeats the document's title: "Thông tư 110/2025/TT-BTC quy định …
# do Bộ trưởng Bộ Tài chính ban hành" alone on its line (no "số", no punctuation after) — not a citation.
_CAPTION_END = re.compile(r"\sdo\s[^;]{2,150}\sban\s+hành[ \t*]*$")
# A self-reference whose number is left blank in a draft: "Kèm theo Báo cáo số:        /BC-VP".
# (two literal scans: an alternation of literals makes re try every position, 2.5× slower on the corpus)
_KEM_THEO = (re.compile("èm theo"), re.compile("ÈM THEO"))
_KEM_THEO_LOW = re.compile("è(?=m theo)")
# The blank may run onto the next line ("số:⏎/KH-UBND") and a normative code keeps its year ("số /2025/QĐ-UBND").
BLANK_SELF_RE = re.compile(r"kèm\s+theo\s+(?P<type>[^\W\d_]+(?:\s+[^\W\d_]+){0,3}?)\s+số\s*:?[ \t._…*]*\n?[ \t._…*]*"
                           r"/(?:(?P<year>(?:19|20)\d{2})/)?(?P<sym>" + _SYMBOL + ")", I)

_DATE = (r"(?:ngày|ngay)\s+(?:\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d{2}|\d{1,2}\s+tháng\s+\d{1,2}\s*,?\s*năm\s+"
         r"(?:19|20)\d{2}|[ \t_.…]*/\s*\d{1,2}\s*/\s*(?:19|20)\d{2}|[ \t_.…]*tháng\s+\d{1,2}\s*,?\s*năm\s+(?:19|20)\d{2})"
         r"(?!\d)")  # "ngày 09/6/20205": a garbled year is no date of the reference
_AFTER_DATE = re.compile(r"\s*,?\s*(?:được\s+)?(?:ban\s+hành\s+)?(?P<date>" + _DATE + ")", I)
_STOP = (r"ngày\s+\d|về\s|V/v|quy\s+định|ban\s+hành|hướng\s+dẫn|phê\s+duyệt|sửa\s+đổi|triển\s+khai|thực\s+hiện|"
         r"và\s|tại\s|đối\s+với|trong\s|với\s|để\s|nhằm\s|đã\s|đến\s|theo\s")
_AFTER_ISSUER = re.compile(r"\s*,?\s*của\s+(?P<issuer>[^;:()\n\d\"“”]{2,110}?)(?=\s*(?:" + _STOP + r")|\s*[,;:.()\"“”]|\s*$)",
                           I)
_AFTER_YEAR = re.compile(r"\s*,?\s*năm\s+(?P<year>(?:19|20)\d{2})(?!\d)", I)
_SUBJECT = re.compile(r"\s*,?\s*(?P<cue>về\s+việc|về|V/v|v/v|ban\s+hành|phê\s+duyệt|quy\s+định|hướng\s+dẫn)\s+(?P<subj>.{3,})",
                      I | re.DOTALL)
_SUBJECT_END = re.compile(r";|\.(?=\s|$)|\)|\n\s*\n|\n\s*[-+|]|\t|:\s")
_RELATIONS = ["căn cứ", "thực hiện", "theo", "thay thế", "sửa đổi", "bổ sung", "bãi bỏ", "kèm theo", "triển khai",
              "hướng dẫn", "tại"]
_RELATION_RE = re.compile(r"(?<!\w)(" + "|".join(r"\s+".join(w.split()) for w in _RELATIONS) + r")(?!\w)", I)
# the same on the lower-cased text, case-sensitive: re then skips to the words' first letters instead of trying every
# position (the lower-cased text has the same word characters and blanks; "ſ" and "ı", which re's IGNORECASE reads as
# "s" and "i" but lower() keeps, send a window back to _RELATION_RE)
_RELATION_LOW = re.compile(_RELATION_RE.pattern)
# "[;.:!?]\s|\n\s*\n|\n\s*[-+]", written to start with one character class, which re skips to
_CLAUSE_BREAK = re.compile(r"[;.:!?\n](?:(?<=[;.:!?])\s|(?<=\n)(?:\s*\n|\s*[-+]))")
_PINPOINT = re.compile(r"((?:(?:điểm|khoản|Điều|Mục|Chương|Phần|Phụ\s+lục|tiết)\s+[\w.]+[\s,]*(?:và\s+|của\s+|tại\s+)?)+)$", I)
# where a pinpoint can start, on the lower-cased window (see _pinpoint)
_PIN_WORDS = re.compile(r"điểm|khoản|điều|mục|chương|phần|phụ\s+lục|tiết")


def _pinpoint(window: str) -> re.Match | None:
    """_PINPOINT.search(window), tried only where one of its words starts (three times faster than trying every
    position of the window case-blind); "ı", which re's IGNORECASE reads as "i" but lower() keeps, takes the plain
    search."""
    low = window.lower()
    if len(low) != len(window) or "ı" in window:
        return _PINPOINT.search(window)
    for k in _PIN_WORDS.finditer(low):
        m = _PINPOINT.match(window, k.start())
        if m:
            return m
    return None


_LIST_GAP = re.compile(r"[\s,;]*(?:(?:và|hoặc|cùng)\s+)?(?:các\s+)?", re.IGNORECASE)
_ENUM_GAP = re.compile(r"[\s,;]*(?:(?:và|hoặc|cùng)\s+)?(?:các\s+)?(?:số\s*:?\s*)?", I)
_LAW_TRIGGERS = [re.compile(w) for w in ("uật", "Hiến", "P(?=háp)")]  # "P" alone: re's faster one-letter loop
_LAW_NAME_RE = re.compile(r"(?P<type>Bộ\s+luật|Luật|Pháp\s+lệnh)\s+(?P<name>[A-ZĐÀ-Ỹ][^\W\d_]*(?:\s+[^\W\d_]+){1,9})")
_NAME_STOP = frozenset("và của về được đã tại theo để quy thì có là hiện sửa hướng trong với cho các năm ngày số này đó "
                       "nêu trên do khi nhưng mà từ đến thuộc phải không hoặc đối gồm như bị sẽ đang cũng vào nên "
                       "luật ban nhằm nhưng".split())
_TYPE_PAIRS = frozenset(["nghị định", "nghị quyết", "thông tư", "quyết định", "chỉ thị", "thông báo", "công văn",
                         "kế hoạch", "pháp lệnh", "báo cáo"])
_LAW_RE = re.compile(
    r"(?P<type>Bộ\s+luật|Luật|Hiến\s+pháp|Pháp\s+lệnh)\s+(?P<name>(?:(?!ngày|năm|số)[^\W\d_][\w\-]*\s+){0,14}?"
    r"(?:(?!ngày|năm|số)[^\W\d_][\w\-]*))?\s*(?:,\s*)?(?:(?P<date>ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s*,?\s*năm\s+(?:19|20)\d{2}"
    r"|ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*(?:19|20)\d{2})|năm\s+(?P<year>(?:19|20)\d{2}))(?!\d)")


@lru_cache(maxsize=None)
def _type_words() -> tuple[dict[str, list[str]], list[tuple[str, str]], dict[str, str]]:
    """(lower-case words by their last word, longest first), (case-sensitive abbreviations), word → type."""
    words: dict[str, str] = {}
    abbrs: dict[str, str] = {}
    for t in lexicon.doc_types():
        for w in t["words"]:
            if w.isupper():
                abbrs[w] = t["name"]
            else:
                words[canonical(w).lower()] = t["name"]
    by_last: dict[str, list[str]] = {}
    for w in sorted(words, key=len, reverse=True):
        by_last.setdefault(w.split()[-1], []).append(w)
    table = dict(words)
    table.update(abbrs)
    return by_last, sorted(abbrs.items(), key=lambda kv: len(kv[0]), reverse=True), table


@lru_cache(maxsize=None)
def _by_last_word() -> dict[str, list[tuple[str, int]]]:
    """_type_words()[0] with each word's number of words."""
    return {last: [(w, len(w.split())) for w in ws] for last, ws in _type_words()[0].items()}


_SO_TAIL = re.compile(r"(?<!\w)(?:số|Số|SỐ)(?:\s+hiệu)?\s*:?\s*$")


def _type_before(before: str) -> tuple[str, int] | None:
    """The type word ending `before` (after "số", ":" and blanks are set aside): (word, its start in `before`)."""
    words, abbrs, _ = _type_words()
    t = before.rstrip(" \t\n\r:")
    tail = t[-12:]
    so = _SO_TAIL.search(t, max(0, len(t) - 12)) if "ố" in tail or "Ố" in tail else None  # "số", "Số", "SỐ"
    if so:
        t = t[:so.start()].rstrip(" \t\n\r:")
    split = t[-40:].lower().split()
    if not split:
        return None
    low = " ".join(split)
    for w, n in _by_last_word().get(split[-1], ()):
        if low.endswith(w) and (len(low) == len(w) or not low[-len(w) - 1].isalpha()):
            start = _word_start(t, n)
            return t[start:], start
    if so:
        for a, _ in abbrs:
            if t.endswith(a) and (len(t) == len(a) or not t[-len(a) - 1].isalpha()):
                return a, len(t) - len(a)
    return None


def _word_start(t: str, n_words: int) -> int:
    """Start of the last `n_words` whitespace-separated words of t."""
    pos = len(t)
    for _ in range(n_words):
        while pos and t[pos - 1].isspace():  # t[:pos].rstrip(), without the copy
            pos -= 1
        cut = max(t.rfind(" ", 0, pos), t.rfind("\n", 0, pos), t.rfind("\t", 0, pos))
        pos = cut + 1
    while pos < len(t) and not t[pos].isalnum():
        pos += 1
    return pos


def _clean_code(s: str) -> str:
    return "".join(s.split()).rstrip(".")  # str.split and re's \s agree on what a blank is


@lru_cache(maxsize=4096)  # a few hundred distinct symbols, each asked for again and again
def type_from_symbol(symbol: str, party_type: str | None = None) -> str | None:
    """"QĐ-UBND" → Quyết định; "NĐ-CP" → Nghị định; "UBND-TTHC" (a công văn) → None."""
    first = party_type or re.split(r"[-/]", symbol)[0]
    first = re.sub(r"\(.*$", "", first)
    key = first.upper()
    table = lexicon.abbr_to_type()
    if key in table:
        return table[key]
    stripped = re.sub(r"\d+$", "", key)
    if stripped == "QH":
        return "Luật"
    return table.get(stripped) if stripped in ("NQ", "QĐ", "TT", "CT", "KH", "BC", "TB", "NĐ") else None


@lru_cache(maxsize=4096)
def _norm_type(word: str) -> str:
    words = _type_words()[2]
    key = " ".join(canonical(word).split())
    return words.get(key) or words.get(key.lower()) or word


# "các Nghị quyết của Quốc hội: số 55/2010/QH12 … về …; số 28/2016/QH14 …": a list head whose type every bare "số …"
# item of the same sentence takes, even with subjects between the items; a sentence or a basis ("Căn cứ") ends it.
_LIST_HEAD = re.compile(r"(?<!\w)các\s+(?P<type>Nghị\s+quyết|Quyết\s+định|Nghị\s+định|Thông\s+tư(?:\s+liên\s+tịch)?|"
                        r"Chỉ\s+thị|Kế\s+hoạch|Công\s+văn|Kết\s+luận|Thông\s+báo|Chương\s+trình|Hướng\s+dẫn|Luật)"
                        r"(?:\s+(?:của|do)\s+[^:;.\n*]{1,80}?)?\s*:", I)
# where _LIST_HEAD can start, on the lower-cased text: "các" (found from its "á") and the first word of a type
_LIST_HEAD_LOW = re.compile(r"á(?<=cá)c\s+(?:nghị|quyết|thông|chỉ|kế|công|chương|hướng|luật)")
_LIST_END = re.compile(r"\.\s|căn\s+cứ|\n\s*\n|;\s*\*|\*\s*\n", I)
_ITEM_START = re.compile(r"(?:[:;,]|\svà)\s*$")


def _list_heads(text: str, low: str | None) -> tuple[list[int], list[tuple[int, str]]]:
    """(ends, (end, type)) of the list heads of the text, in order. `low`: text.lower() when it keeps the length; the
    case-blind pattern is then tried only where "các" and a type's first word stand (_LIST_HEAD_LOW; a case-blind
    scan of the whole text costs 20x more)."""
    if low is None:  # a letter whose lower case is longer ("İ"): scan the text itself
        heads = [(m.end(), _norm_type(m.group("type"))) for m in _LIST_HEAD.finditer(text)]
        return [e for e, _ in heads], heads
    heads = []
    last = 0
    for c in _LIST_HEAD_LOW.finditer(low):
        i = c.start() - 1
        if i >= last and (m := _LIST_HEAD.match(text, i)):
            heads.append((m.end(), _norm_type(m.group("type"))))
            last = m.end()
    return [e for e, _ in heads], heads


def _listed_type(text: str, heads: tuple[list[int], list[tuple[int, str]]], start: int) -> str | None:
    """The type of the list head a bare "số …" item at `start` belongs to, if any."""
    ends, items = heads
    i = bisect_right(ends, start) - 1
    if i < 0 or start - ends[i] > 1500 or not _ITEM_START.search(text, max(ends[i] - 1, start - 8), start):
        return None
    return None if _LIST_END.search(text, ends[i], start) else items[i][1]


class _Found:
    __slots__ = ("start", "end", "code_start", "code_end", "data")

    def __init__(self, start, end, code_start, code_end, data):
        self.start, self.end, self.code_start, self.code_end, self.data = start, end, code_start, code_end, data


class _Placed:
    """The references found so far, kept by start, so "which of them may touch [a, b]" is a bisect rather than a pass
    over all of them (quadratic on a document citing thousands). A reference starts within `longest` of anything it
    overlaps; the callers test the exact condition on the few it returns. `move` keeps the order when a start or
    end changes (a law's name read before its number)."""
    __slots__ = ("items", "longest", "starts")

    def __init__(self, found=()):
        self.starts: list[int] = []
        self.items: list[_Found] = []
        self.longest = 0
        for f in found:
            self.add(f)

    def add(self, f: _Found) -> None:
        i = bisect_right(self.starts, f.start)
        self.starts.insert(i, f.start)
        self.items.insert(i, f)
        self.longest = max(self.longest, f.end - f.start)

    def near(self, a: int, b: int) -> list[_Found]:
        """Every reference that can touch the closed range [a, b]: those starting in [a - longest, b]."""
        return self.items[bisect_left(self.starts, a - self.longest):bisect_right(self.starts, b)]

    def move(self, f: _Found, start: int, end: int) -> None:
        i = bisect_left(self.starts, f.start)
        while self.items[i] is not f:
            i += 1
        del self.starts[i], self.items[i]
        f.start, f.end = start, end
        self.add(f)


def _relation(text: str, start: int, low: str | None = None) -> str | None:
    """The relation word ("căn cứ", "theo" …) last written before `start` in its clause. `low`: text.lower() when it
    keeps the length."""
    a = max(0, start - 90)
    rx = _RELATION_LOW
    if low is None:
        window, rx = text[a:start], _RELATION_RE
    else:
        window = low[a:start]
        if "ſ" in window or "ı" in window:
            window, rx = text[a:start], _RELATION_RE
    found = rx.findall(_CLAUSE_BREAK.split(window)[-1])  # after the last clause break, the last word's group 1
    return " ".join(found[-1].lower().split()) if found else None


def _scan_after(text: str, pos: int, limit: int, data: dict) -> int:
    """Date, issuer, trailing year and subject after a code; returns the new end of the citation. The patterns read
    text[pos:limit] in place (match with pos and endpos: the same as on the slice, they look at nothing before it)."""
    off = pos
    for _ in range(2):
        m = _AFTER_DATE.match(text, off, limit)
        if m and "date" not in data:
            data["date_text"] = m.group("date")
            off = m.end()
            continue
        m = _AFTER_ISSUER.match(text, off, limit)
        if m and "issuer" not in data:
            issuer = " ".join(m.group("issuer").split()).strip(" ,")
            if issuer and len(issuer.split()) <= 16:
                data["issuer"] = issuer
                off = m.end()
                continue
        break
    if "date_text" not in data:
        m = _AFTER_YEAR.match(text, off, limit)
        if m:
            data["trailing_year"] = int(m.group("year"))
            off = m.end()
    m = _SUBJECT.match(text, off, limit)
    if m:
        subj = m.group("subj")
        end = _SUBJECT_END.search(subj)
        subj = subj[: end.start()] if end else subj
        subj = subj[:400]
        cue = " ".join(m.group("cue").split())
        full = subj if cue.lower() in ("về", "về việc", "v/v") else f"{cue} {subj}"
        full = " ".join(full.split()).strip(" ,")
        if full:
            data["subject"] = full
    return off


# far above any real document (the most in the corpus is 225): a megabyte of nothing but codes ("12/QĐ-UBND ") would
# otherwise give 83 000 records and 460 MB; the pipeline reports the cut (citations.truncated)
MAX_CITATIONS = 20_000


class _Loose:
    """A _LOOSE_CODE_RE match seen through CODE_RE's group names."""
    __slots__ = ("m",)

    def __init__(self, m: re.Match):
        self.m = m

    def start(self) -> int:
        return self.m.start()

    def end(self) -> int:
        return self.m.end()

    def group(self, name):
        if name == 0:
            return self.m.group(0)
        if name == "num":
            return self.m.group("num")
        return self.m.group("hsym") or self.m.group("ssym") if name == "sym" else None


def _loose_codes(text: str, taken: list, spaced: list[int]) -> list[_Loose]:
    """Codes without a slash or with a space before the symbol, where "số" or a type word stands right before."""
    out = []
    last = -1
    for p in sorted([t.start() for t in _LOOSE_HYPHEN.finditer(text)] + spaced):
        k = p
        while k > 0 and text[k - 1].isdigit() and p - k < 5:
            k -= 1
        if k == p or k <= last or (k and (text[k - 1].isalnum() or text[k - 1] in "_/.-")):
            continue
        m = _LOOSE_CODE_RE.match(text, k)
        if not m:
            continue
        j = bisect_right(taken, (m.end(), m.end()))  # the slash codes, in order: only the one before can overlap
        if j and taken[j - 1][1] > m.start():
            continue
        last = m.end()
        before = text[max(0, m.start() - 60):m.start()]
        if _SO_TAIL.search(before.rstrip(" \t\n\r:"), max(0, len(before) - 14)) or _old_type(_type_before(before)):
            out.append(_Loose(m))
    return out


# the types whose old codes have no hyphen and may follow the type word without "số" ("Nghị định 31/CP"); "Đề án
# 06/CP" is a programme's name
_OLD_CODE_TYPES = frozenset(["Nghị định", "Nghị quyết", "Quyết định", "Chỉ thị", "Thông tư", "Thông tư liên tịch"])


def _old_type(tm: tuple[str, int] | None) -> bool:
    return tm is not None and _norm_type(tm[0]) in _OLD_CODE_TYPES


def find_citations(nt: NormText, *, regions: list[tuple[int, int]] | None = None,
                   exclude: list[tuple[int, int]] | None = None) -> list[Citation]:
    return find_references(nt, regions=regions, exclude=exclude)[0]


def find_references(nt: NormText, *, regions: list[tuple[int, int]] | None = None,
                    exclude: list[tuple[int, int]] | None = None, low: str | None = None
                    ) -> tuple[list[Citation], list[FormRef]]:
    """The citations, and the form numbers written like codes that are not citations (Document.forms). `low`:
    dates.lower_same_length(nt.text) when the caller has it (the dates layer lower-cases the same text)."""
    text = nt.text
    if low is None:
        low = text.lower()
        low = low if len(low) == len(text) else None  # None: a letter whose lower case is longer ("İ")
    elif "\u0130" in text:  # the one letter lower_same_length leaves as it is, to keep the length
        low = None
    spaced: list[int] = []
    codes = [m for m in _code_matches(text, spaced) if _plausible(m)]
    loose = _loose_codes(text, [(m.start(), m.end()) for m in codes], spaced)
    if loose:
        codes = sorted(codes + loose, key=lambda m: m.start())
    if regions or exclude:
        codes = [m for m in codes if _inside(m.start(), m.end(), regions) and not _overlaps(m.start(), m.end(), exclude)]
    codes = codes[:MAX_CITATIONS]
    found: list[_Found] = []
    forms: list[FormRef] = []
    form_end = -1
    starts = [m.start() for m in codes]
    types_before = [_type_before(text[max(0, a - 140):a]) for a in starts]
    n = len(codes)
    for i, m in enumerate(codes):
        g = m.group
        start = starts[i]
        if g("pnum"):
            data = {"number": g("pnum"), "symbol": f"{g('ptype')}/{g('pbody')}", "party_type": g("ptype")}
        else:
            data = {"number": g("num"), "symbol": _clean_code(g("sym"))}
            if g("year"):
                data["year"] = int(g("year"))
        data["code"] = _clean_code(g(0))
        tail = low[max(0, start - 30):start] if low is not None else text[max(0, start - 30):start].lower()
        form = _FORM_BEFORE.search(text, max(0, start - 30), start) if ("ẫu" in tail or "iểu" in tail
                                                                         or "lục" in tail or "khai" in tail) else None
        tm = types_before[i]
        if form or (form_end >= 0 and not tm and _ENUM_GAP.fullmatch(text, form_end, start)):
            kind = " ".join(form.group("kind").lower().split()) if form else forms[-1].kind
            a = form.start() if form else start
            s, e = nt.orig_span(a, m.end())
            forms.append(FormRef(kind=kind, code=data["code"], text=nt.original[s:e], span={"start": s, "end": e}))
            form_end = m.end()
            continue
        form_end = -1
        if not g("pnum") and not g("year") and "-" not in data["symbol"] and not _old_type(tm) \
                and not _SO_TAIL.search(text[max(0, start - 140):start].rstrip(" \t\n\r:"), max(0, min(start, 140) - 14)):
            continue
        base = max(0, start - 140)  # where the window _type_before read starts
        if tm and _is_caption(text, base + tm[1], m.end()):
            continue
        if tm:
            start = base + tm[1]
            data["type_word"] = tm[0]
            window = text[max(0, start - 120):start].rstrip()
            pin = _pinpoint(window) if ("khoản" in window or "Điều" in window or "điểm" in window
                                        or "Mục" in window or "Phụ lục" in window) else None
            if pin:
                data["pinpoint"] = " ".join(pin.group(1).split()).rstrip(" ,")
        else:
            sm = _SO_TAIL.search(text, max(0, start - 12), start)
            if sm:
                start = sm.start()
        if i + 1 < n:
            limit = starts[i + 1]
            if types_before[i + 1]:
                limit = max(m.end(), max(0, limit - 140) + types_before[i + 1][1])
        else:
            limit = len(text)
        end = _scan_after(text, m.end(), min(limit, m.end() + 600), data)
        found.append(_Found(start, end, starts[i], m.end(), data))
    placed = _Placed(found)
    for f in _blank_self(text, regions, exclude, placed, low):
        found.append(f)
        placed.add(f)
    found.extend(_laws(text, regions, exclude, placed, low))
    found.sort(key=lambda f: f.start)
    return _build(nt, found, low), forms


def _is_caption(text: str, start: int, code_end: int) -> bool:
    """A portal caption: the type word opens its line, the code follows it without "số", the line ends "do … ban
    hành"."""
    i = start  # back over the blanks and marks before the type word, to the line's start (not the paragraph's)
    while i and text[i - 1] in " \t#*":
        i -= 1
    if (i and text[i - 1] != "\n") or "số" in text[start:code_end].lower():
        return False
    end = text.find("\n", code_end, code_end + 600)  # no line break within 600: too long a line (or the text's end)
    end = len(text) if end < 0 else end
    return end - code_end < 600 and _CAPTION_END.search(text, max(code_end, end - 170), end) is not None


def _blank_self(text, regions, exclude, placed: _Placed, low: str | None):
    if low is None:
        starts = sorted([t.start() for rx in _KEM_THEO for t in rx.finditer(text)])
    else:  # one scan of the lower-cased text, from its rarer "è", for both spellings
        starts = [t.start() for t in _KEM_THEO_LOW.finditer(low) if text.startswith(("èm theo", "ÈM THEO"), t.start())]
    for t in starts:
        p = t - 1
        m = BLANK_SELF_RE.match(text, p) if p >= 0 and not (p and text[p - 1].isalnum()) else None
        if not m:
            continue
        if not _inside(m.start(), m.end(), regions) or _overlaps(m.start(), m.end(), exclude):
            continue
        if any(f.start <= m.end() and m.start() <= f.end for f in placed.near(m.start(), m.end())):
            continue
        type_start = m.start("type")
        year = m.group("year")
        code = (f"{year}/" if year else "") + _clean_code(m.group("sym"))
        data = {"number": None, "symbol": _clean_code(m.group("sym")), "code": "/" + code, "type_word": m.group("type"),
                "blank_self": True, **({"year": int(year)} if year else {})}
        end = _scan_after(text, m.end(), min(len(text), m.end() + 300), data)
        yield _Found(type_start, end, m.start("sym"), m.end(), data)


def _known_laws(text, regions, exclude, placed: _Placed, low, hits):
    """Laws the lexicon knows (docparse.laws), read whole in any letter case: a name right before its number names
    the coded reference (type word, subject, span from the name); any other is a reference by name, linked to the
    lexicon's number when its year (or date) picks one law. A law's name inside another reference's title ("… thi
    hành Luật Đấu thầu") is a reference of its own."""
    numbered: dict[int, _Found] = {}  # code start → the coded reference there (laws found below have no number)
    for f in list(placed.items):  # "Luật số 56/2024/QH15 … về sửa đổi, bổ sung một số điều của Luật: …": the number first
        if f.data.get("type_word") and f.data.get("symbol") and "QH" in f.data["symbol"].upper():
            m = amending_after_code(text, f.code_end, _norm_type(f.data["type_word"]))
            if m:
                f.data["name"], f.data["subject"] = m.name, m.name[len(m.law_type):].strip()
                placed.move(f, f.start, max(f.end, m.end))
        if f.data.get("number"):
            numbered.setdefault(f.code_start, f)
    for m in find_law_names(text, low, hits):
        if not _inside(m.start, m.end, regions) or _overlaps(m.start, m.end, exclude):
            continue
        subject = m.name[len(m.law_type):].strip()
        coded = numbered.get(m.code_at) if m.code_at is not None else None
        if coded is not None:
            placed.move(coded, min(coded.start, m.start), coded.end)
            coded.data["type_word"] = m.law_type
            coded.data.setdefault("subject", subject)
            coded.data.setdefault("name", m.name)
            pin = _pinpoint(text[max(0, m.start - 120):m.start].rstrip())
            if pin:
                coded.data["pinpoint"] = " ".join(pin.group(1).split()).rstrip(" ,")
            continue
        if any(f.start < m.end and m.start < f.end and not (m.amends and f.start >= m.start)
               and not (m.start >= f.code_end and not f.data.get("name")) for f in placed.near(m.start, m.end)):
            continue
        data = {"law_type": m.law_type, "name": m.name, "code": None, "number": None, "symbol": None}
        if m.amends:
            data["subject"] = subject
        if m.date_text:
            data["date_text"] = m.date_text
        elif m.year:
            data["year"] = m.year
        law = lexicon_link(m)
        if law:
            data["linked_code"], data["link_source"] = law.code, "lexicon"
        yield _Found(m.start, m.end, m.start, m.end, data)


def _laws(text, regions, exclude, placed: _Placed, low: str | None):
    hits = type_word_hits(low) if low is not None else None
    triggers = _law_starts(text, hits)
    for f in _known_laws(text, regions, exclude, placed, low, hits):
        placed.add(f)
        yield f
    for f in _laws_dated(text, regions, exclude, placed, triggers):
        placed.add(f)
        yield f
    for m in _law_matches(_LAW_NAME_RE, text, triggers):
        if (m.start() and text[m.start() - 1].isalnum()) or not _inside(m.start(), m.end(), regions) \
                or _overlaps(m.start(), m.end(), exclude) \
                or any(f.start < m.end() and m.start() < f.end for f in placed.near(m.start(), m.end())):
            continue
        words = m.group("name").split()
        keep = [words[0]]
        for i, w in enumerate(words[1:], 1):
            pair = f"{w} {words[i + 1]}".lower() if i + 1 < len(words) else ""
            if w.lower() in _NAME_STOP or pair in _TYPE_PAIRS:
                break
            keep.append(w)
        if len(keep) < 2:
            continue
        law_type = " ".join(m.group("type").split())
        end = m.start("name")
        for w in keep:
            end = text.index(w, end) + len(w)
        data = {"law_type": law_type, "name": f"{law_type} {' '.join(keep)}", "code": None, "number": None,
                "symbol": None}
        yield _Found(m.start(), end, m.start(), end, data)


def _law_starts(text: str, hits: tuple[list[int], ...] | None) -> list[int]:
    """Where a type word ("Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh", as written) may start, in order: each "Hiến" and
    "Pháp", and each "uật" after "L", or after "l" with "Bộ" before it ("pháp luật", "thuật" open nothing). From the
    offsets of "luật" and "hiến" in the lower-cased text when known, else by scanning the text."""
    if hits is None:
        triggers = sorted(t.start() for rx in _LAW_TRIGGERS for t in rx.finditer(text))
    else:
        triggers = sorted([i + 1 for i in hits[0] if text.startswith("uật", i + 1)]
                          + [i for i in hits[2] if text.startswith("Hiến", i)]
                          + [t.start() for t in _LAW_TRIGGERS[2].finditer(text)])
    out = []
    for p in triggers:
        if text[p] == "u":
            p -= 1
            back = text[max(0, p - 4):p]
            if back.rstrip().endswith("Bộ") and p - 4 >= 0:
                p = max(0, p - 4) + back.rfind("Bộ")
            elif p < 0 or text[p] != "L":
                continue
        out.append(p)
    return out


def _law_matches(rx: re.Pattern, text: str, starts: list[int]):
    """rx tried only where a type word may start (`starts`, see _law_starts)."""
    last = -1
    for p in starts:
        if p <= last:
            continue
        m = rx.match(text, p)
        if m:
            last = m.end()
            yield m


def _laws_dated(text, regions, exclude, placed: _Placed, triggers: list[int]):
    for m in _law_matches(_LAW_RE, text, triggers):
        if m.start() and text[m.start() - 1].isalnum():
            continue
        if not m.group("name") or not _inside(m.start(), m.end(), regions) or _overlaps(m.start(), m.end(), exclude):
            continue
        if any(f.start < m.end() and m.start() < f.end for f in placed.near(m.start(), m.end())):
            continue
        name = " ".join(m.group("name").split())
        if len(name) < 3 or name.lower().startswith(("này", "nêu", "trên", "sửa", "về")):
            continue
        law_type = " ".join(m.group("type").split())
        data = {"law_type": law_type, "name": f"{law_type} {name}", "code": None, "number": None,
                "symbol": None}
        if m.group("date"):
            data["date_text"] = m.group("date")
        else:
            data["year"] = int(m.group("year"))
        yield _Found(m.start(), m.end(), m.start(), m.end(), data)


# the slash of every code is followed by its symbol's capital, or by a year and then "/" or the symbol (CODE_RE; the
# spaced form of _LOOSE_CODE_RE too): the other slashes (dates, "V/v", "và/hoặc") are skipped in C
_CODE_SLASH = re.compile(r"/(?=[ \t]?(?:[A-ZĐ]|(?:19|20)\d\d(?:/|[A-ZĐ]{2})))")
_CODE_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZĐđ-.")


def _code_matches(text: str, spaced: list[int] | None = None):
    """CODE_RE tried only where a code's "/" can be (_CODE_SLASH): back up over the code's characters to where it could start. A run of
    capitals with no digit, right after "<digits> " ("108 TC/HCVX"), is noted in `spaced` (the space's offset) for
    _loose_codes."""
    last_end = -1
    for slash in _CODE_SLASH.finditer(text):
        p = slash.start()
        if p < last_end:
            continue
        j = p - 1 if p and text[p - 1] in " \t" else p
        k = j
        while k > 0 and text[k - 1] in _CODE_CHARS and j - k < 24:
            k -= 1
        if spaced is not None and k > 1 and text[k - 1] == " " and text[k - 2].isdigit() and k < j \
                and not text[k].isdigit():
            spaced.append(k - 1)
        while k < j and not text[k].isdigit():
            k += 1
        while k < j:
            m = CODE_RE.match(text, k)
            if m and m.end() > p:
                last_end = m.end()
                yield m
                break
            k += 1
            while k < j and not (text[k].isdigit() and not text[k - 1].isdigit()):
                k += 1


@lru_cache(maxsize=1024)
def _month_of_blank_day(phrase: str) -> str | None:
    """"ngày    /6/2023" or "ngày    tháng 6 năm 2023" (a draft's blank day) → "2023-06"."""
    m = re.search(r"(\d{1,2})\s*(?:/|năm|,\s*năm)\s*((?:19|20)\d{2})\s*$", phrase)
    if m and 1 <= int(m.group(1)) <= 12:
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    return None


def _plausible(m: re.Match) -> bool:
    if m.group("pnum"):
        return True
    return bool(m.group("year")) or sum(c.isupper() for c in m.group("sym")) >= 2  # the year first: most have one


def _inside(a: int, b: int, regions) -> bool:
    if not regions:
        return True
    for s, e in regions:  # a loop, not any() over a generator: called for every candidate, mostly with one region
        if s <= a and b <= e:
            return True
    return False


def _overlaps(a: int, b: int, spans) -> bool:
    if spans:
        for s, e in spans:
            if a < e and s < b:
                return True
    return False


def _build(nt: NormText, found: list[_Found], low: str | None) -> list[Citation]:
    """The records, made at the end from one list of dicts (spans.trusted_records: what validation would make)."""
    text = nt.text
    out: list[dict] = []
    prev: _Found | None = None
    prev_cit: dict | None = None
    chain: list[dict] = []
    group = -1
    heads = _list_heads(text, low)
    for f in found:
        d = f.data
        relation = _relation(text, f.start, low)
        if prev is None or _LIST_GAP.fullmatch(text, prev.end, f.start) is None:
            group += 1
        in_enum = prev is not None and "type_word" not in d and "law_type" not in d \
            and "law_type" not in prev.data \
            and _ENUM_GAP.fullmatch(text[prev.end:f.code_start]) is not None  # a named law: no list; the dict tests first
        if "law_type" in d:
            doc_type, source = _norm_type(d["law_type"]), "text"
        elif "type_word" in d:
            doc_type, source = _norm_type(d["type_word"]), "text"
            if doc_type == "Văn bản":
                doc_type = type_from_symbol(d["symbol"], d.get("party_type")) or "Công văn"
                source = "symbol"
        elif listed := _listed_type(text, heads, f.start):
            doc_type, source = listed, "enumeration"
            relation = relation or (prev_cit["relation"] if in_enum and prev_cit is not None else None)
        elif in_enum and prev_cit is not None:
            doc_type, source = prev_cit["doc_type"], "enumeration"
            relation = relation or prev_cit["relation"]
        else:
            sym_type = type_from_symbol(d["symbol"], d.get("party_type"))
            doc_type, source = (sym_type, "symbol") if sym_type else ("Công văn", "default")
        date_text = d.get("date_text")
        date, valid = date_of_phrase(date_text) if date_text else (None, True)
        partial = _month_of_blank_day(date_text) if date_text and date is None and valid else None
        cit = {"doc_type": doc_type, "doc_type_source": source, "number": d.get("number"),
               "year": d.get("year") or (date.year if date else None), "symbol": d.get("symbol"), "code": d.get("code"),
               "date": date, "date_partial": partial, "date_valid": valid, "issuer": d.get("issuer"),
               "subject": d.get("subject"), "name": d.get("name"), "relation": relation, "pinpoint": d.get("pinpoint"),
               "is_self": bool(d.get("blank_self")), "group": group, "linked_code": d.get("linked_code"),
               "link_source": d.get("link_source")}
        if in_enum:
            chain.append(cit)
        else:
            chain = [cit]
        if d.get("trailing_year"):
            for c in chain:
                if c["year"] is None and c["date"] is None:
                    c["year"] = d["trailing_year"]
        out.append(cit)
        prev, prev_cit = f, cit
    original = nt.original
    for cit, (s, e) in zip(out, orig_spans(nt, [(f.start, f.end) for f in found])):
        cit["text"], cit["span"] = original[s:e], {"start": s, "end": e}
    return trusted_records(Citation, out)
