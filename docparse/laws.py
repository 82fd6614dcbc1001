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
        if year is not None:
            fits = [e for e in entries if e.year == year]
        else:
            fits = entries if len({e.code for e in entries}) == 1 else []
            if fits and cited_on and fits[0].date and fits[0].date > cited_on.isoformat():
                fits = []  # the law was passed after the citing document: an older law of that name is meant
            if fits and cited_on and not fits[0].date and (fits[0].year or 0) > cited_on.year:
                fits = []
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
        got = name_before(doc.text, c.span.start)
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
