"""Laws cited by name, linked to their number: "Luật Tổ chức chính quyền địa phương" ↔ 72/2025/QH15.

A law is often cited by name only ("Luật Đất đai năm 2024"); such a mention has no code, so it cannot be compared
with the coded mentions of the same law. The names are learnt from coded mentions that write the name right before
the number ("Luật Đất đai số 31/2024/QH15 ngày 18/01/2024") and from a committed lexicon (laws.json, built by
scripts/make_laws_lexicon.py). A name is trusted only when it is read whole: bounded by its type word on the left and
by "số" (coded side) or a word that cannot continue a name (named side), so a cut name ("Luật Quản lý" of "Luật Quản
lý, sử dụng tài sản công") never links. A name whose year does not pick exactly one code is ambiguous and stays
unlinked.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .identity import code_year
from .normalize import fold
from .schema import Citation, Document

_WORD = re.compile(r"[^\W_]+")
_NAME_SEP = re.compile(r"^[\s*_,\-–]*$")  # what may stand between two words of one name


@lru_cache(maxsize=8192)
def name_key(name: str) -> str:
    """Accent-, case- and punctuation-blind key: "Luật Cán bộ, công chức" → "luat can bo cong chuc"."""
    return " ".join(_WORD.findall(fold(name)))


# ---- the coded side: "Luật Đất đai số 31/2024/QH15" -------------------------------------------------------------
_TYPE_WORD = re.compile(r"(?<![^\W\d_])(?:Bộ\s+[Ll]uật|Luật|Pháp\s+lệnh|Hiến\s+pháp)(?![^\W\d_])")
_NAME_TAIL = re.compile(r"(?P<name>(?:[\s*_]+[^\W\d_][^\W\d_\-]*(?:-[^\W\d_]+)?,?){1,16}?)"
                        r"(?:[\s*_,]+năm\s+(?P<year>(?:19|20)\d{2}))?[\s*_,]*$")
_CLAUSE_START = re.compile(r"[;.|:]\s|\n\s*\n|\n\s*[-+•]|[Cc]ăn\s+cứ|\(")
_AMENDING = re.compile(r"sửa\s+đổi|bổ\s+sung|bãi\s+bỏ|thay\s+thế|hợp\s+nhất", re.IGNORECASE)
_ENUMERATED = re.compile(r"(?:,|\bvà|\bhoặc)[\s*_]*$")
_NUMBER_WORD = re.compile(r"^[\s*_]*(?:số|No\.?)\s*:?", re.IGNORECASE)
_ABOUT_AMENDING = re.compile(r"[^;\n]*?\bvề\s+(?:việc\s+)?sửa\s+đổi", re.IGNORECASE)
_NAME_LAST_WORD = re.compile(r"(luật)(?=[\s*_]+số)")
_NOT_NAME_WORD = frozenset("số năm ngày này nêu trên đó các những".split())


def name_before(text: str, start: int) -> tuple[str, str, int | None] | None:
    """(law type, name as written, year) of a coded law citation whose text starts at `start` with "số …" and is
    preceded by the law's name ("Căn cứ Luật Đất đai số …"); None when the name is not there or not whole: part of an
    enumeration ("Luật A, Luật B số …") or of an amending law ("Luật sửa đổi, bổ sung … của Luật A số …"), where the
    number may be another law's."""
    head = _NAME_LAST_WORD.match(text, start, start + 40)  # "… quy phạm pháp luật số …": "luật" ends the name
    end = head.end(1) if head else start
    if not _NUMBER_WORD.match(text[end:end + 12]):
        return None
    window = text[max(0, end - 240):end]
    types = list(_TYPE_WORD.finditer(window))
    if not types:
        return None
    t = types[-1]
    m = _NAME_TAIL.fullmatch(window, t.end())
    if not m:
        return None
    words = _WORD.findall(m.group("name"))
    if len(words) < 1 or words[0][0].islower() or any(w.lower() in _NOT_NAME_WORD for w in words):
        return None
    before = window[:t.start()]
    starts = list(_CLAUSE_START.finditer(before))
    clause = before[starts[-1].end():] if starts else before
    if _AMENDING.search(clause) or _ENUMERATED.search(clause):
        return None
    if _ABOUT_AMENDING.match(text, start, min(len(text), start + 200)):
        return None  # "Luật Quảng cáo số … về sửa đổi, bổ sung …": the number is the amending law's
    law_type = " ".join(t.group().split()).replace("Bộ Luật", "Bộ luật")
    name = f"{law_type} {' '.join(m.group('name').replace('*', ' ').replace('_', ' ').split()).rstrip(',')}"
    return law_type, name, int(m.group("year")) if m.group("year") else None


# ---- the named side: the longest known name read from the text ----------------------------------------------------
_BOUNDARY = frozenset(fold(w) for w in (  # words that cannot continue a law's name
    "số năm ngày được đã của về tại theo hiện sửa hướng có thì là trong với cho các này do khi mà từ đến thuộc hoặc "
    "đối như nên để luật điều khoản chương mới cũ sẽ đang cũng vẫn phải").split())
_AFTER_AND = frozenset(fold(w) for w in "luật bộ các nghị thông quyết pháp hiến chỉ những".split())
_HARD_STOP = re.compile(r"[;.:()\[\]|\"“”]|\n\s*\n")
_DATE_AFTER = re.compile(r"[\s*_,]*(?:(?:ban\s+hành\s+)?ngày\s+(?P<d>\d{1,2})\s*(?:tháng\s+|/\s*|-\s*)"
                         r"(?P<m>\d{1,2})\s*(?:,?\s*năm\s+|/\s*|-\s*)(?P<y>(?:19|20)\d{2})"
                         r"|(?:năm\s+)?(?P<year>(?:19|20)\d{2}))(?!\d)", re.IGNORECASE)


@dataclass(frozen=True)
class NameRead:
    key: str
    end: int  # offset in the text just after the name
    year: int | None
    date: dt.date | None


def read_name(text: str, start: int, keys: frozenset[str] | set[str], max_words: int = 20) -> NameRead | None:
    """The longest name of `keys` written at `start` ("Luật Tổ chức⏎chính quyền địa phương …"), when what follows
    cannot continue it (a comma or a word that continues a longer, unknown name — "Luật Đầu tư công" — is no match);
    with the year or date written right after it."""
    tokens: list[tuple[str, int, int]] = []  # (folded word, start, end); the last one only shows what follows
    for m in _WORD.finditer(text, start, min(len(text), start + 400)):
        tokens.append((fold(m.group()), m.start(), m.end()))
        if len(tokens) > max_words or len(tokens) > 1 and not _NAME_SEP.match(text[tokens[-2][2]:m.start()]):
            break
    best = None
    for k in range(2, len(tokens) + 1):
        if not _NAME_SEP.match(text[tokens[k - 2][2]:tokens[k - 1][1]]):
            break
        if " ".join(t[0] for t in tokens[:k]) in keys:
            best = k
    if best is None or not _ends_name(text, tokens, best):
        return None
    end = tokens[best - 1][2]
    year = date = None
    m = _DATE_AFTER.match(text, end)
    if m:
        if m.group("y"):
            try:
                date = dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
            except ValueError:
                date = None
            year = int(m.group("y"))
        else:
            year = int(m.group("year"))
    return NameRead(" ".join(t[0] for t in tokens[:best]), end, year, date)


def _ends_name(text: str, tokens: list, k: int) -> bool:
    if k >= len(tokens):
        return True
    sep = text[tokens[k - 1][2]:tokens[k][1]]
    if _HARD_STOP.search(sep) or not _NAME_SEP.match(sep):
        return True
    word = tokens[k][0]
    if word.isdigit():
        return len(word) == 4  # "Luật Đất đai 2024"
    if "," in sep or "-" in sep or "–" in sep:  # "Luật Khoa học, công nghệ …": a comma may continue the name
        return word in _AFTER_AND
    if word == "va":  # "Luật Đất đai và Luật Nhà ở" ends it; "Luật Phòng cháy và chữa cháy" may not
        return k + 1 < len(tokens) and tokens[k + 1][0] in _AFTER_AND
    return word in _BOUNDARY


# ---- the index: name (+ year) → code --------------------------------------------------------------------------
@dataclass
class LawEntry:
    name: str
    code: str
    doc_type: str
    date: str | None = None
    source: str = "corpus"
    amended_by: list[str] = field(default_factory=list)

    @property
    def year(self) -> int | None:
        return code_year(self.code)


@dataclass
class LawIndex:
    """Name key → the laws of that name (an old and a new law share one name; their years tell them apart)."""

    by_key: dict[str, list[LawEntry]] = field(default_factory=dict)

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(self.by_key)

    def merged(self, other: "LawIndex") -> "LawIndex":
        """Both indexes together; one code known to both keeps this index's entry (and other's date if it has none)."""
        out = {k: list(v) for k, v in self.by_key.items()}
        for k, entries in other.by_key.items():
            mine = {e.code: e for e in out.get(k, [])}
            for e in entries:
                if e.code in mine:
                    if not mine[e.code].date and e.date:
                        mine[e.code].date = e.date
                else:
                    out.setdefault(k, []).append(e)
        return LawIndex(out)

    def lookup(self, key: str, year: int | None, date: dt.date | None, cited_on: dt.date | None
               ) -> LawEntry | None:
        """The one law a name picks: with a year (or a date) the law of that year; without, the only law of that
        name, and only if it existed when the citing document was signed. None when nothing or several fit."""
        year = year or (date.year if date else None)
        entries = self.by_key.get(key, [])
        same_day = [e for e in entries if date and e.date == date.isoformat()]
        if same_day:  # two laws of one name in one year (65/2025/QH15, 72/2025/QH15): the day tells them apart
            fits = same_day
        elif year is not None:
            fits = [e for e in entries if e.year == year]
        else:
            fits = entries if len({e.code for e in entries}) == 1 else []
            if fits and cited_on and fits[0].date and fits[0].date > cited_on.isoformat():
                fits = []  # the law was passed after the citing document: an older law of that name is meant
            if fits and cited_on and not fits[0].date and (fits[0].year or 0) > cited_on.year:
                fits = []
        if date and len({e.code for e in fits}) > 1:  # two laws that year: the one of that month ("26/6" for 16/6)
            fits = [e for e in fits if e.date and e.date[:7] == date.isoformat()[:7]] or fits
        if date and len(fits) == 1 and fits[0].date and fits[0].date != date.isoformat() and any(
                e.date and e.date[4:] == date.isoformat()[4:] for e in entries if e is not fits[0]):
            return None  # "ngày 19/02/2015": the day of the 2025 law of that name, with a slip in the year
        codes = {e.code for e in fits}
        return fits[0] if len(codes) == 1 else None


def consistent_index(pairs: list[tuple[str, str, str, str | None, str | None]], source: str = "corpus") -> LawIndex:
    """An index from (name as written, code, law type, ISO date or None, amended-by code or None), one per coded
    mention. A (name, year) written with two codes is ambiguous and left out, unless one code outnumbers the others
    tenfold (a stray typo among many mentions is a finding, not an ambiguity). A code whose year does not fall in
    its legislature's term (97/2025/QH13) is a typo and learns nothing. A code's date is kept when its dated
    mentions agree, or when exactly one of the dates they give falls in the code's year."""
    counts: dict[tuple[str, int | None], Counter] = defaultdict(Counter)
    spellings: dict[tuple[str, str], Counter] = defaultdict(Counter)
    dates: dict[str, set[str]] = defaultdict(set)
    types: dict[str, Counter] = defaultdict(Counter)
    amended: dict[str, set[str]] = defaultdict(set)
    for name, code, law_type, date, amended_by in pairs:
        if not plausible_code(code):
            continue
        key = name_key(name)
        counts[(key, code_year(code))][code] += 1
        spellings[(key, code)][name] += 1
        types[code][law_type] += 1
        if date:
            dates[code].add(date)
        if amended_by and plausible_code(amended_by):
            amended[code].add(amended_by)
    out: dict[str, list[LawEntry]] = defaultdict(list)
    for (key, _), codes in sorted(counts.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        (code, n), *rest = codes.most_common()
        if rest and n < 10 * sum(k for _, k in rest):
            continue
        ds = dates.get(code, set())
        if len(ds) > 1:
            ds = {d for d in ds if d[:4] == str(code_year(code))}
        out[key].append(LawEntry(name=spellings[(key, code)].most_common(1)[0][0], code=code,
                                 doc_type=types[code].most_common(1)[0][0],
                                 date=next(iter(ds)) if len(ds) == 1 else None, source=source,
                                 amended_by=sorted(amended.get(code, ()))))
    return LawIndex(dict(out))


_TERMS = {10: 1997, 11: 2002, 12: 2007, 13: 2011, 14: 2016, 15: 2021, 16: 2026}  # first year of each legislature
_LAW_CODE = re.compile(r"^\d+/((?:19|20)\d{2})/(?:UBTVQH|QH)(\d+)$")


def plausible_code(code: str) -> bool:
    """A law or ordinance code whose year lies in its legislature's term: 72/2025/QH15 yes, 97/2025/QH13 no."""
    m = _LAW_CODE.match(code.upper())
    if not m or int(m.group(2)) not in _TERMS:
        return False
    year, term = int(m.group(1)), int(m.group(2))
    return _TERMS[term] <= year <= _TERMS.get(term + 1, _TERMS[term] + 5)


_AMENDED_BY = re.compile(r"[\s*_,]*(?:đã\s+)?được\s+sửa\s+đổi,?\s*bổ\s+sung(?:\s+một\s+số\s+điều)?"
                         r"\s+(?:bởi|tại|theo)\s+Luật\s+số\s+(?P<code>\d+/(?:19|20)\d{2}/(?:QH|UBTVQH)\d+)")


def coded_pairs(doc: Document) -> list[tuple[str, str, str, str | None, str | None]]:
    """(name, code, law type, ISO date, amended-by code) of every coded law mention of a document that writes the
    law's name right before its number."""
    out = []
    for c in doc.citations:
        if c.is_self or not c.code or not c.symbol or not re.search(r"(?:^|-)(?:UBTV)?QH\d+$", c.symbol.upper()):
            continue
        so = re.search(r"(?:số|Số|SỐ)[\s:]*" + re.escape(c.number or c.code), c.text)
        got = name_before(doc.text, c.span.start + (so.start() if so else 0))
        if not got:
            continue
        law_type, name, year = got
        if year and year != code_year(c.code):
            continue  # "Luật X năm 2013 số …/2024/…": name and number disagree, learn nothing
        m = _AMENDED_BY.match(doc.text, c.span.end)
        out.append((name, c.code, law_type, c.date.isoformat() if c.date else None, m.group("code") if m else None))
    return out


@lru_cache(maxsize=None)
def lexicon_index() -> LawIndex:
    from .lexicon import laws

    out: dict[str, list[LawEntry]] = defaultdict(list)
    for e in laws():
        if not e["code"]:
            continue  # known by name only: recognised in a text, never linked
        out[e["key"]].append(LawEntry(name=e["name"], code=e["code"], doc_type=e["doc_type"], date=e.get("date"),
                                      source="lexicon", amended_by=list(e.get("amended_by", []))))
    return LawIndex(dict(out))


def amended_object(text: str, start: int) -> bool:
    """The name at `start` is what an amending law amends ("Luật sửa đổi, bổ sung một số điều của Luật X …"): in
    the same clause, before it, an amending verb."""
    before = text[max(0, start - 200):start]
    starts = list(_CLAUSE_START.finditer(before))
    return bool(_AMENDING.search(before[starts[-1].end():] if starts else before))


def link(c: Citation, text: str, index: LawIndex, cited_on: dt.date | None) -> tuple[LawEntry, str] | None:
    """(the law a name-only citation names, its whole name as written), or None."""
    if c.code or not c.name or c.is_self:
        return None
    got = read_name(text, c.span.start, index.keys)
    if not got or (c.date and got.date != c.date) or (c.year and got.year != c.year):
        return None  # the extractor read another year or date than the one after the whole name: leave it
    if (got.year or got.date) and amended_object(text, c.span.start):
        return None  # "Luật sửa đổi, bổ sung … của Luật X ngày …": the date is the amending law's
    law = index.lookup(got.key, got.year, got.date, cited_on)
    return (law, " ".join(text[c.span.start:got.end].replace("*", " ").replace("_", " ").split())) if law else None


# ---- finding laws by name in a text: one word trie over the lexicon's names, tried where a type word starts ---------
_TRIGGER = re.compile(r"(?<![^\W_])(?:bộ\s+luật|luật|pháp\s+lệnh|hiến\s+pháp)(?![^\W_])", re.IGNORECASE)
_GAP = r"[\s,\-–]+"  # between two words of a name: blanks, line breaks, a comma or a dash
_WORD_END = r"(?![^\W_])"
_TYPES = {"bộ luật": "Bộ luật", "luật": "Luật", "pháp lệnh": "Pháp lệnh", "hiến pháp": "Hiến pháp"}
_AMEND_HEAD = re.compile(r"(?P<type>bộ\s+luật|luật|pháp\s+lệnh)\s*,?\s+(?:về\s+)?(?P<verb>sửa\s+đổi(?:\s*,?\s*bổ\s+sung)?"
                         r"|bổ\s+sung)(?P<scope>\s*,?\s+(?:một\s+số\s+điều|(?:các\s+)?điều\s+[\d,\s]+(?:và\s+\d+\s+)?))?"
                         r"\s*,?\s+(?:(?:của|đối\s+với)\s+)?(?:các\s+)?", re.IGNORECASE)
_AFTER_CODE_AMENDS = re.compile(r"[\s,]*(?:(?:ban\s+hành\s+)?ngày\s+\d{1,2}(?:\s*/\s*\d{1,2}\s*/\s*|\s+tháng\s+\d{1,2}\s*,?"
                                r"\s*năm\s+)(?:19|20)\d{2}[\s,]*)?(?:về\s+(?:việc\s+)?)?(?=sửa\s+đổi|bổ\s+sung)",
                                re.IGNORECASE)
_TARGET_JOIN = re.compile(r"[ \t]*(?P<sep>,|;)?[ \t\n]*(?P<and>và[ \t\n]+)?", re.IGNORECASE)
_N_LAWS = re.compile(r"\d{1,3}\s+(?:luật|bộ\s+luật)(?:\s+có\s+liên\s+quan\s+(?:đến|tới)\s+[^\W\d_]+(?:\s+[^\W\d_]+)?"
                     r"|\s+khác)?", re.IGNORECASE)
_TARGET_CODE = re.compile(r"[ \t]*,?[ \t\n]*(?:số[ \t]*:?[ \t]*)?\d{1,4}/(?:19|20)\d{2}/[A-ZĐ\-]*QH\d*")
_CODE_AFTER = re.compile(r"[\s,(]{0,4}(?:(?i:số)[ \t]*:?\s*)?(?P<code>\d{1,4}/(?:19|20)\d{2}/[A-ZĐ\-]*[QO]H\d*)")
_TIME_AFTER = re.compile(
    r"(?:\s*\(\s*sửa\s+đổi\s*\))?[\s,]{0,6}(?:(?:được\s+)?(?:ban\s+hành\s+)?(?P<date>ngày\s+\d{1,2}\s*(?:/\s*\d{1,2}\s*/\s*"
    r"|-\s*\d{1,2}\s*-\s*|\s+tháng\s+\d{1,2}\s*,?\s*năm\s+)(?:19|20)\d{2})|năm\s*(?P<year>(?:19|20)\d{2})"
    r"|(?P<bare>(?:19|20)\d{2}))(?![\d/])", re.IGNORECASE)
_CONSTITUTION = re.compile(r"Hiến\s+pháp(?:\s+nước\s+Cộng\s+hòa\s+xã\s+hội\s+chủ\s+nghĩa\s+Việt\s+Nam)?", re.IGNORECASE)
_BO_BEFORE = re.compile(r"(?<![^\W_])bộ\s+$")  # "bộ " before "luật"
_PHAP_BEFORE = re.compile(r"(?<![^\W_])pháp\s+$")  # "pháp " before "lệnh"
_GENERAL = re.compile(r"(?<![^\W_])(?:pháp|kỷ|quy)\s+$", re.IGNORECASE)  # pháp luật, kỷ luật, quy luật


@dataclass(frozen=True)
class LawMention:
    """A law named in a text: [start, end) covers the name and the date or year written right after it; when the
    name is followed by its number, `code_at` is where the number starts (the coded reference then carries the
    name)."""
    start: int
    end: int
    law_type: str  # Luật, Bộ luật, Pháp lệnh, Hiến pháp
    name: str  # the lexicon's name (an abbreviation expanded, a comma restored); for an amending law, built from
    #            its targets' names
    key: str  # name_key of the law it names
    date_text: str | None = None
    year: int | None = None
    code_at: int | None = None  # where the number written right after the name starts
    amends: tuple[str, ...] = ()


def _words(name: str) -> list[str]:
    return [w for w in re.split(r"[\s,\-–]+", " ".join(name.split()).lower()) if w]


def _trie_regex(names: list[str]) -> str:
    """One alternation over many names, factored word by word so the longest name is tried in one pass; between two
    words, blanks, one line break or a comma."""
    trie: dict = {}
    for n in names:
        node = trie
        for w in _words(n):
            node = node.setdefault(w, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = []
        for w in sorted((w for w in node if w), key=len, reverse=True):
            child = node[w]
            tail = "" if set(child) <= {""} else "(?:" + _GAP + build(child) + ")" + ("?" if "" in child else "")
            alts.append(re.escape(w) + tail + (_WORD_END if "" in child else ""))  # a gap ends inner words
        return "(?:" + "|".join(alts) + ")"
    return build(trie)


@lru_cache(maxsize=None)
def _names() -> tuple[dict[str, str], dict[str, str]]:
    """(key → the name to report, key → the key of the law it names): lexicon names report themselves; an alias
    ("Luật Thuế GTGT") reports its law's name, except a variant that is a title on its own ("Luật Lao động" for
    the Bộ luật Lao động), which reports itself."""
    from .lexicon import load
    from .normalize import canonical

    data = load("laws.json")
    report = {e["key"]: "Hiến pháp" if e["name"].startswith("Hiến pháp") else canonical(e["name"]) for e in data["laws"]}
    law = {k: k for k in report}
    variants = set(data.get("variants", ()))
    for alias, name in data.get("aliases", {}).items():
        k = name_key(alias)
        law[k] = name_key(name)
        report[k] = canonical(alias) if alias in variants else canonical(name)
    return report, law


@lru_cache(maxsize=None)
def _name_regex() -> tuple[re.Pattern, re.Pattern]:
    """(a whole name with its type word, the rest of a Luật's name without "Luật")."""
    from .lexicon import load
    from .normalize import canonical

    data = load("laws.json")
    names = {canonical(e["name"]) for e in data["laws"]} | {canonical(a) for a in data.get("aliases", {})}
    tails: dict[str, set[str]] = defaultdict(set)
    for n in names:
        for t in ("Bộ luật", "Luật", "Pháp lệnh", "Hiến pháp"):
            if n.startswith(t + " "):
                tails[t].add(n[len(t) + 1:])
    parts = [r"(?P<t%d>%s)%s(?P<n%d>%s)" % (i, r"\s+".join(t.lower().split()), _GAP, i, _trie_regex(sorted(ns)))
             for i, (t, ns) in enumerate(sorted(tails.items())) if ns]
    return (re.compile("|".join(parts), re.IGNORECASE),
            re.compile(_trie_regex(sorted(tails["Luật"])), re.IGNORECASE))


def canonical_key(key: str) -> str:
    """The lexicon key a written name stands for: an alias ("Luật Thuế GTGT") gives its law's key."""
    return _names()[1].get(key, key)


def _one_line(s: str) -> str:
    return " ".join(s.replace("_", " ").split()).rstrip(" ,-–")


def _read_known(text: str, p: int) -> tuple[str, str, str, int] | None:
    """(law type, name to report, law key, end) of the longest lexicon name starting at p."""
    m = _name_regex()[0].match(text, p)
    if not m:
        return None
    k = name_key(m.group())
    report, law = _names()
    if k not in report:
        return None
    group = "t" + m.lastgroup[1:]  # the type word of the alternative that matched: its name group closes last
    return _TYPES[" ".join(m.group(group).lower().split())], report[k], law[k], m.end()


def _with_time(text: str, m: LawMention) -> LawMention:
    """The mention with the number, date or year written right after its name."""
    c = _CODE_AFTER.match(text, m.end)
    if c:
        return LawMention(m.start, m.end, m.law_type, m.name, m.key, code_at=c.start("code"), amends=m.amends)
    t = _TIME_AFTER.match(text, m.end)
    if not t:
        return m
    if t.group("date"):
        return LawMention(m.start, t.end(), m.law_type, m.name, m.key, date_text=t.group("date"), amends=m.amends)
    year = int(t.group("year") or t.group("bare"))
    return LawMention(m.start, t.end(), m.law_type, m.name, m.key, year=year, amends=m.amends)


def read_targets(text: str, pos: int) -> tuple[list[str], list[str], int]:
    """(target names, the connector written before each, end) of the laws an amending law lists from `pos`:
    "Luật A, Luật B và Luật C", "Luật: A, B, C", "37 luật có liên quan đến quy hoạch"; the targets' own numbers
    ("Luật Đất đai số 31/2024/QH15, Luật Nhà ở số …") are read over; one number after the last target that the
    lexicon does not know as that law's is the amending law's own, and ends the list."""
    targets: list[str] = []
    joins: list[str] = []
    codes: list[tuple[int, int, str] | None] = []
    bare = False  # "Luật: Chứng khoán, Kế toán, …": names without their type word
    colon = re.match(r"luật\s*:\s*", text[pos:pos + 12], re.IGNORECASE)
    if colon:
        pos, bare = pos + colon.end(), True
    join = ""
    while True:
        got = _read_known(text, pos)
        if got:
            targets.append(got[1])
            pos = got[3]
        elif bare and (t := _name_regex()[1].match(text, pos)):
            k = name_key("Luật " + t.group())
            targets.append(_names()[0].get(k, _one_line("Luật " + t.group())))
            pos = t.end()
        elif (u := _unknown_law(text, pos)) is not None:
            targets.append(u[0])
            pos = u[1]
        else:
            n = _N_LAWS.match(text, pos)
            if not n:
                break
            targets.append(_one_line(n.group()))
            pos = n.end()
        joins.append(join)
        c = _TARGET_CODE.match(text, pos)
        codes.append((pos, c.end(), re.sub(r"^\D+", "", c.group())) if c else None)
        if c:
            pos = c.end()
        j = _TARGET_JOIN.match(text, pos)
        if not j.group("sep") and not j.group("and"):
            break
        join = " và " if j.group("and") else ", "
        pos = j.end()
    own = [c for c in codes if c]
    if len(own) == 1 and codes[-1] and not any(e.code == own[0][2] for e in lexicon_index().by_key.get(
            canonical_key(name_key(targets[-1])), [])):
        pos = own[0][0]  # the one number after the last target is not that law's: it is the amending law's own
    return targets, joins, pos


_UNKNOWN_HEAD = re.compile(r"(?P<type>bộ\s+luật|luật|pháp\s+lệnh)[ \t\n]+(?=\w)", re.IGNORECASE)
_UNKNOWN_WORD = re.compile(r"[ \t]*\n?[ \t]*([^\W\d_]+)")
_NUMBER_NEXT = re.compile(r"\s*:?\s*\d")
_NOT_IN_NAME = frozenset("ngày năm và của được đã tại theo để thì có là hiện trong với cho các này do khi từ đến "
                         "đối như sửa luật".split())


def _unknown_law(text: str, pos: int) -> tuple[str, int] | None:
    """(name as written, end) of a target the lexicon does not know: a type word, then a capitalised word and the
    words after it up to one that cannot be in a name ("số", "ngày", "và" …) or a punctuation mark."""
    h = _UNKNOWN_HEAD.match(text, pos)
    if not h or not text[h.end()].isupper():
        return None
    end, n = h.end(), 0
    while n < 12 and (w := _UNKNOWN_WORD.match(text, end)) and w.group(1).lower() not in _NOT_IN_NAME:
        end, n = w.end(), n + 1
        if w.group(1).lower() == "số" and _NUMBER_NEXT.match(text, end):
            end, n = w.start(1), n - 1  # "số 12/…": the number, not "xổ số"
            break
    if not n:
        return None
    return f"{_TYPES[' '.join(h.group('type').lower().split())]} {_one_line(text[h.end():end])}", end


def _amending_name(law_type: str, targets: list[str], joins: list[str]) -> str:
    return f"{law_type} sửa đổi, bổ sung một số điều của " + "".join(j + t for j, t in zip(joins, targets))


def _amending(text: str, p: int) -> LawMention | None:
    """"Luật sửa đổi, bổ sung một số điều của Luật A và Luật B …": one mention, the amending law, naming its
    targets; None when no target is read."""
    h = _AMEND_HEAD.match(text, p)
    if not h:
        return None
    targets, joins, pos = read_targets(text, h.end())
    if not targets:
        return None
    law_type = _TYPES[" ".join(h.group("type").lower().split())]
    name = _amending_name(law_type, targets, joins)
    return LawMention(p, pos, law_type, name, name_key(name), amends=tuple(targets))


def amending_after_code(text: str, end: int, law_type: str = "Luật") -> LawMention | None:
    """"Luật số 56/2024/QH15 ngày … về sửa đổi, bổ sung một số điều của Luật: …" (the number first): the amending
    law's name read after its code (`end`), or None."""
    a = _AFTER_CODE_AMENDS.match(text, end, min(len(text), end + 80))
    if not a:
        return None
    h = re.compile(r"(?P<verb>sửa\s+đổi(?:\s*,?\s*bổ\s+sung)?|bổ\s+sung)(?:\s*,?\s+(?:một\s+số\s+điều|(?:các\s+)?điều\s+"
                   r"[\d,\s]+))?\s*,?\s+(?:(?:của|đối\s+với)\s+)?(?:các\s+)?", re.IGNORECASE).match(text, a.end())
    if not h:
        return None
    targets, joins, pos = read_targets(text, h.end())
    if not targets:
        return None
    name = _amending_name(law_type, targets, joins)
    return LawMention(a.end(), pos, law_type, name, name_key(name), amends=tuple(targets))


_HIT_WORDS = ("luật", "lệnh", "hiến")
# each word found from its rarest letter, the ones before it checked behind: re skips the text in its one-letter loop
_HITS = tuple((re.compile(w[k] + "(?<=" + w[:k + 1] + ")" + w[k + 1:]), k) for w, k in zip(_HIT_WORDS, (2, 1, 2)))


def type_word_hits(low: str) -> tuple[list[int], ...]:
    """Offsets of "luật", "lệnh" and "hiến" in the lower-cased text (several times faster than a case-blind regex
    scan of the text); computed once per text and shared by find_law_names and the citation layer's law patterns."""
    return tuple([m.start() - k for m in rx.finditer(low)] for rx, k in _HITS)


def _trigger_starts(text: str, low: str | None = None, hits: tuple[list[int], ...] | None = None) -> list[int]:
    """Where a type word (Luật, Bộ luật, Pháp lệnh, Hiến pháp) starts: found in the lower-cased text (`low`, `hits`:
    text.lower() and type_word_hits(low) when the caller has them), then checked with _TRIGGER."""
    low = text.lower() if low is None else low
    if len(low) != len(text):  # a letter whose lower case is longer ("İ"): scan the text itself
        return [t.start() for t in _TRIGGER.finditer(text)]
    starts = set()
    find = low.find  # the patterns before a word are tried only where their word is written (a substring test)
    for word, found in zip(_HIT_WORDS, hits or type_word_hits(low)):
        before, head_word = (_BO_BEFORE, "bộ") if word == "luật" else (_PHAP_BEFORE, "pháp") if word == "lệnh" \
            else (None, "")
        for i in found:
            head = before.search(low, max(0, i - 10), i) if before and find(head_word, max(0, i - 10), i) >= 0 \
                else None
            p = head.start() if head else i
            if (head or word != "lệnh") and not _general_before(text, low, p) and _TRIGGER.match(text, p):
                starts.add(p)  # "pháp luật", "kỷ luật": find_law_names would pass them over
    return sorted(starts)


def _general_before(text: str, low: str, p: int) -> bool:
    """_GENERAL.search(text, p - 8, p), tried only when one of its words is in low[p - 8:p] (`low`: text lower-cased,
    of the same length; none of these letters has a case-blind twin that lower() would not make)."""
    a = max(0, p - 8)
    find = low.find
    if find("pháp", a, p) < 0 and find("kỷ", a, p) < 0 and find("quy", a, p) < 0:
        return False
    return _GENERAL.search(text, a, p) is not None


def find_law_names(text: str, low: str | None = None, hits: tuple[list[int], ...] | None = None
                   ) -> list[LawMention]:
    """Every law named in `text` that the lexicon knows, in any letter case, whole (a comma or "và" inside the name is
    read through), with the date or year written after it; amending laws as one mention naming their targets;
    "Hiến pháp" with or without its full name and year. `low`, `hits`: see _trigger_starts."""
    out: list[LawMention] = []
    last = -1
    for p in _trigger_starts(text, low, hits):
        if p < last or _GENERAL.search(text, max(0, p - 8), p):
            continue  # "pháp luật đường bộ", "kỷ luật cán bộ, công chức": law in general or discipline, not a law
        m = _amending(text, p)
        if m is None:
            got = _read_known(text, p)
            if got:
                law_type, name, key, end = got
                m = LawMention(p, end, law_type, name, key)
            elif text[p] in "Hh" and text[p + 1:p + 4].lower() == "iến" and (p == 0 or text[p] == "H"):
                c = _CONSTITUTION.match(text, p)
                if c:
                    m = LawMention(p, c.end(), "Hiến pháp", "Hiến pháp", "hien phap")
        if m is None:
            continue
        m = _with_time(text, m)
        out.append(m)
        last = m.end
    return out


def lexicon_link(m: LawMention) -> LawEntry | None:
    """The lexicon's law a mention names: with a year or a date, the law of that name passed that year (and on that
    day, when a date is written); without either, nothing (which law of that name is meant depends on the citing
    document's date: Corpus.link_names links those, knowing it and the corpus's own coded mentions)."""
    if not (m.year or m.date_text):
        return None
    date = None
    if m.date_text:
        d = re.findall(r"\d+", m.date_text)
        try:
            date = dt.date(int(d[-1]), int(d[-2]), int(d[-3]))
        except (ValueError, IndexError):
            return None
    law = lexicon_index().lookup(m.key, m.year, date, None)
    if law and date and law.date and law.date != date.isoformat():
        return None  # a date that is not the law's: the text's date stands, nothing is linked
    return law
