"""Agencies (ORG), people (PER) and places (LOC) found by rules: a lexicon of head words, ministry domains, places
and surnames, compiled into trie regexes, and a short forward scan that extends a head into its name
("Cục" → "Cục Điều tra chống buôn lậu"). These are both the fallback when no model is installed and the weak
labels the model in models/ is trained from.

Vietnamese capitalises only the first syllable of each word of a name ("Bộ Giáo dục và Đào tạo"), so the scan
takes lower-case syllables after a capitalised one, at most six in a row, and stops at verbs and function words
("Sở Nội vụ chủ trì" ends before "chủ")."""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz, process

from .. import lexicon
from ..normalize import NormText, canonical, normalize
from ..schema import Entity, trusted_records
from .spans import orig_spans

_LOWER = "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz"
_UPPER = UPPER = _LOWER.upper()
_CAP = re.compile(f"[{_UPPER}][{_LOWER}{_UPPER}]*(?:&[{_UPPER}]+)*")
_LOW = re.compile(f"[{_LOWER}]+")
_ACRONYM = re.compile(f"[ ]*([{_UPPER}]{{2,}}(?:&[{_UPPER}]+)?|[{_UPPER}]{{1,3}}&[{_UPPER}]{{1,3}})(?![\\w&])")
_PLACE_SEP = "(?:[ ]?\\n[ ]*|[ ]{1,2}|[ ]?[-–][ ]?)"
_PLACE_NAME = re.compile(f"(?:[{_UPPER}][{_LOWER}]*(?:{_PLACE_SEP}[{_UPPER}][{_LOWER}]*){{0,3}}"
                         f"|[{_UPPER}]{{2,}}(?:{_PLACE_SEP}[{_UPPER}]+){{0,3}})(?![\\w&])")  # "Ô Chợ Dừa", "MỸ KHƯƠNG"
_NOT_PLACE = frozenset({"năm", "giai", "nhiệm", "kỳ", "đợt", "lần", "sửa"})  # "… CỦA TỈNH NĂM 2025", "TỈNH GIAI ĐOẠN …"
_AUTHORITY = frozenset({"KT", "TM", "TL", "TUQ", "Q", "T/M", "K/T", "T/L"})  # "TM. ỦY BAN NHÂN DÂN", not part of a name
_SEASONS = frozenset({"Hè", "Mùa", "Đông", "Xuân", "Thu", "Chiêm", "Lúa"})  # "Vụ Đông Xuân" is a crop season
_UNDER_CENTRE = re.compile(r"(?i)[ ]*\n?[ ]*trực[ ]*\n?[ ]*thuộc[ ]*\n?[ ]*[Tt]rung[ ]*\n?[ ]*ương(?!\w)")
# a line that opens with one of these starts a task, not the rest of a wrapped name ("…Cầu Treo Mây↵Phối hợp …")
_LINE_VERB = re.compile(r"(?i)(?:phối hợp|chủ trì|thực hiện|tổ chức|tuyên truyền|kiểm tra|áp dụng|triển khai|xây dựng|"
                        r"tham mưu|chỉ đạo|hướng dẫn|theo dõi|báo cáo|rà soát|tăng cường|đẩy mạnh|tiếp tục|cấp|giao)(?!\w)")
# _TOKEN's lead-in followed by a capital: what the first token of a name needs (see _name_end)
_CAP_NEXT = re.compile(f"[ ]{{0,2}}(?:\\n[ ]*)?[{_UPPER}]")
_TOKEN = re.compile(r"[ ]{0,2}(?:\n[ ]*)?([^\s,;:.()\[\]\"“”'’!?]+|[,.;:()])")

_COLUMN_GAP = re.compile(r"\S[ ]{4,}\S")  # two header columns side by side in a text rendering

# the motto under the country's name is not an agency or a place
_MOTTO = re.compile(r"Độc\s+lập\s*[-–]\s*Tự\s+do\s*[-–]\s*Hạnh\s+phúc")


def trie_pattern(phrases) -> str:
    """One regex alternation for many literal phrases, factored as a trie so a position is tried in one pass;
    a space inside a phrase matches spaces and up to two line breaks (PDF text puts a blank line in a name)."""
    trie: dict = {}
    for p in phrases:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node) -> str:
        alts, end = [], False
        for ch, child in sorted(node.items()):
            if ch == "":
                end = True
                continue
            piece = r"[ ]*(?:\n[ ]*){0,2}" if ch == " " else re.escape(ch)
            alts.append(piece + build(child))
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


def _variants(words) -> list[str]:
    return sorted({v for w in words for v in (w, w.upper())})


@lru_cache(maxsize=1)
def _lex() -> dict:
    lx = lexicon.load("entities.json")
    head_words = [*lx["strong_heads"], *lx["ministry_heads"], *lx["standalone"]]
    heads = _variants(head_words) + lx["weak_heads"]  # an all-caps "HỘI", "VIỆN" is a motto or a banner, not a head
    return {
        "heads": re.compile(rf"({trie_pattern(heads)})(?![\w&-])"),
        "domain": re.compile(rf"[ ]*\n?[ ]*({trie_pattern(lx['domains'])})(?!\w)", re.IGNORECASE),
        "level": re.compile(
            rf"[ ]*\n?[ ]*(?:(?:các|cấp)(?:[ ]+|[ ]*\n[ ]*))?({trie_pattern(_variants(lx['levels']))})(?!\w)"),
        "place_level": re.compile(rf"({trie_pattern(lx['place_levels'])})(?:(?<=\.)|(?!\w))[ ]*\n?[ ]*(?=[{_UPPER}])"),
        "place": re.compile(rf"({trie_pattern(_variants(lx['places']))})(?!\w)"),
        "person": re.compile(rf"({trie_pattern(lx['surnames'])})(?=[ ]+[{_UPPER}])"),
        # what a match of "level" / of "place", _UNDER_CENTRE or _PLACE_NAME can open with: a position whose
        # character is not among them is refused without trying the patterns (most calls of _level_end, _place_end)
        "level_first": frozenset(" \nc" + "".join(w[0] for w in _variants(lx["levels"]))),
        "place_first": frozenset(" \ntT" + _UPPER + "".join(w[0] for w in _variants(lx["places"]))),
        "strong": frozenset(lx["strong_heads"]) | {h.upper() for h in lx["strong_heads"]},
        "ministry": frozenset(lx["ministry_heads"]) | {h.upper() for h in lx["ministry_heads"]},
        "standalone": frozenset(lx["standalone"]) | {h.upper() for h in lx["standalone"]},
        "stop": frozenset(lx["name_stop"]),  # lower-case syllables that never continue a name
        "pairs": frozenset(lx["name_pairs"] + lx["name_comma_pairs"]),  # "Ban Nghiên cứu Phát triển": a stop word
        "comma_pairs": frozenset(lx["name_comma_pairs"]),  # that does continue a name; "phòng, chống" inside one
        "alone_ok": frozenset({"Ủy ban nhân dân", "Uỷ ban nhân dân", "UBND", "Hội đồng nhân dân", "HĐND",
                               "ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "HỘI ĐỒNG NHÂN DÂN"}),
    }


def _at_word_start(rx: re.Pattern, text: str, start: int, end: int, also: str = "") -> list[re.Match]:
    """rx's matches that start a word, left to right. The check is done here, not as a leading look-behind in the
    pattern, because a look-behind keeps the regex engine from skipping ahead on the first characters (4× slower).
    A match inside a word sends the scan on from the next character (a match may start inside the one refused);
    otherwise the scan goes on after the match, as finditer does (the patterns never match empty): one finditer
    per run of word-start matches instead of one search per match."""
    out = []
    pos = start
    while True:
        for m in rx.finditer(text, pos, end):
            k = m.start()
            if k > 0:
                c = text[k - 1]
                if c.isalnum() or c == "_" or c in also:
                    pos = k + 1
                    break
            out.append(m)
        else:
            return out


def _squash(s: str) -> str:
    return " ".join(s.split())


def plain_name(s: str) -> str:
    """A name as one line, without Markdown stars ("**Bộ Y\ntế**" → "Bộ Y tế")."""
    return _squash(s.replace("*", ""))


def _name_end(text: str, pos: int, limit: int) -> int:
    """End of the capitalised name that starts at `pos` (or `pos` itself when none does). The cheap tests of each
    token come first: this runs for every weak head, tens of thousands of times per corpus pass."""
    lx = _lex()
    end, low_run, prev_ok, prev = pos, 0, False, ""
    i = pos
    while i < limit:
        m = _TOKEN.match(text, i)
        if not m:
            break
        tok = m.group(1)
        t0, t1 = m.span(1)
        gap_break = t0 > end and "\n" in text[end:t0]
        if tok in _AUTHORITY or (gap_break and (_short_line(text, end) or _LINE_VERB.match(text, t0))):
            break  # a name wraps only at the end of a long (hard-wrapped) line, not after a heading or a bullet
        if tok[0] in _UPPER and _CAP.fullmatch(tok):
            if end > pos and text[end:t0].strip() == "và" and _starts_agency(text, t0, limit):
                break  # "Sở Y tế và Sở Tài chính": a head after "và" starts another agency
            end, low_run, prev_ok, i, prev = t1, 0, True, t1, tok
            continue
        if low_run and end > pos and tok.isdigit():  # "Ban Chỉ đạo 389", not "Bộ KH&CN 78"
            end, i, prev = t1, t1, tok
            continue
        if prev_ok and low_run < 6 and end > pos and _LOW.fullmatch(tok) and (
                tok not in lx["stop"] or f"{prev.lower()} {tok}" in lx["pairs"]):
            end, low_run, i, prev = t1, low_run + 1, t1, tok
            continue
        if tok == "," and low_run and end > pos:
            nxt = _TOKEN.match(text, t1)
            if nxt and f"{prev.lower()} {nxt.group(1)}" in lx["comma_pairs"]:
                i = t1
                continue
        if tok in ("và", "-", "–") and end > pos and not gap_break:
            nxt = _TOKEN.match(text, t1)
            if nxt and _CAP.fullmatch(nxt.group(1)) and not _starts_agency(text, nxt.start(1), limit):
                i = t1
                prev_ok = False
                continue
        break
    return end


def _place_end(text: str, pos: int, limit: int) -> int:
    """End of a place name at `pos`: capitalised syllables on one line ("Quảng Trị", "Bà Rịa - Vũng Tàu"), cut
    after a known place when one opens it ("TỈNH ĐỒNG NAI GIAI ĐOẠN" → "ĐỒNG NAI")."""
    if text[pos:pos + 1] not in _lex()["place_first"]:
        return pos
    known = _lex()["place"].match(text, pos, limit)
    if known:
        return known.end()
    if _UNDER_CENTRE.match(text, pos, limit):
        return pos
    m = _PLACE_NAME.match(text, pos, limit)
    if not m or m.group(0).split()[0] in _AUTHORITY:
        return pos
    first = m.group(0).split()[0]
    caps_stop = first.isupper() and len(first) > 1 and first.lower() in _lex()["stop"]  # "TỈNH VỀ …", not "Từ Liêm"
    return pos if first.lower() in _NOT_PLACE or caps_stop else m.end()


def _starts_agency(text: str, pos: int, limit: int) -> bool:
    h = _lex()["heads"].match(text, pos, limit)
    return h is not None and _org_end(text, h, limit) is not None


def _short_line(text: str, pos: int) -> bool:
    return pos - (text.rfind("\n", 0, pos) + 1) < 60


# compiled here rather than looked up in re's cache at each of tens of thousands of calls
_LEVEL_LIST = re.compile(r"[ ]*\n?[ ]*(?:các|cấp)")
_LEVEL_LIST_S = re.compile(r"\s*(?:các|cấp)")
_LEVEL_SEP = re.compile(r"(?:,[ ]*\n?|/)?[ ]*(?:và[ ]+)?")
_SPACES = re.compile(r"[ ]*")
_SPACE_BREAK = re.compile(r"[ ]*\n?[ ]*")


def _level_end(text: str, pos: int, limit: int, lists: bool = False) -> int:
    """Past "tỉnh", "các huyện, thị xã", "cấp xã", "tỉnh Quảng Trị" after an agency head, or `pos`."""
    lx = _lex()
    if text[pos:pos + 1] not in lx["level_first"]:
        return pos
    m = lx["level"].match(text, pos, limit)
    if not m:
        return pos
    end = m.end()
    # "các huyện, thị xã, thành phố" is a list of levels; "huyện, các xã" is two things
    while lists or _LEVEL_LIST.match(m.group(0)):
        more = _LEVEL_SEP.match(text[end:end + 8])  # "tỉnh/thành phố", a wrapped list
        nxt = lx["level"].match(text, end + more.end(), limit) if more else None
        if not nxt or more.end() == 0 or _LEVEL_LIST_S.match(nxt.group(0)):
            break
        end = nxt.end()
    tail = _UNDER_CENTRE.match(text, end, limit)  # "các tỉnh, thành phố trực thuộc Trung ương"
    if tail:
        return tail.end()
    gap = _SPACES.match(text[end:end + 8]).end()
    return max(end, _place_end(text, end + gap, limit))


# what _org_end does after a head that is not a ministry's: stands alone, strong (may take a level), weak (needs a name)
_STANDALONE, _STRONG, _WEAK = range(3)


@lru_cache(maxsize=4096)
def _head_kind(raw: str) -> tuple[bool, int, bool, int, bool]:
    """What _org_end asks of a matched head (as written, spaces and line breaks included): is it "Vụ"; does a
    domain follow it (2: a ministry's, 1: "Phòng"); is it in capitals; its kind otherwise and that kind's flag (a
    standalone "… ủy", a strong head that may stand alone). Memoised: the same few heads recur tens of thousands of
    times."""
    lx = _lex()
    head = _squash(raw)
    ministry = 2 if head in lx["ministry"] or head.capitalize() in lx["ministry"] else \
        1 if head in ("Phòng", "PHÒNG") else 0
    if head in lx["standalone"] and head not in lx["strong"]:
        kind, flag = _STANDALONE, head[-2:] in ("ủy", "uỷ", "ỦY", "UỶ")
    elif head in lx["strong"]:
        kind, flag = _STRONG, head in lx["alone_ok"]
    else:
        kind, flag = _WEAK, False
    return head == "Vụ", ministry, head.isupper(), kind, flag


def _org_end(text: str, m: re.Match, limit: int) -> int | None:
    lx = _lex()
    is_vu, ministry, upper, kind, flag = _head_kind(m.group(1))
    end = m.end()
    if is_vu and text[end:end + 8].split()[:1] and text[end:end + 8].split()[0] in _SEASONS:
        return None
    if ministry:
        d = lx["domain"].match(text, end, limit)
        if d:
            return _level_end(text, d.end(), limit)
        if ministry == 2:  # "Bộ KH&CN", "Sở GTVT"; "Bộ trưởng", "BỘ TRƯỞNG" are titles
            a = _ACRONYM.match(text, end, limit)
            return _level_end(text, a.end(), limit) if a and not upper else None
    if kind == _STANDALONE:
        if flag and text[end:end + 1] == " ":  # "Thành ủy Cần Thơ"
            place = lx["place"].match(text, end + 1, limit)
            return place.end() if place else end
        return end
    if kind == _STRONG:
        after = _level_end(text, end, limit, lists=True)
        if after > end:
            return after
        nxt = _name_end(text, end, limit)
        if nxt > end:
            return _level_end(text, nxt, limit)
        return end if flag else None
    if not _CAP_NEXT.match(text, end):  # no end bound, as _name_end's _TOKEN.match
        return None  # no capitalised word follows: _name_end would stop at once (most weak heads)
    nxt = _name_end(text, end, limit)
    if nxt > end:  # "Văn phòng UBND tỉnh", "Cục Điều tra chống buôn lậu"
        inner = lx["heads"].match(text, _SPACE_BREAK.match(text[end:end + 4]).end() + end, limit)
        if inner:
            inner_end = _org_end(text, inner, limit)
            if inner_end:
                return inner_end
        return _level_end(text, nxt, limit)
    return None


def _orgs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    pos = start
    for m in _at_word_start(_lex()["heads"], text, start, end, "/&.-"):
        k = m.start()
        if k < pos:
            continue
        stop = _org_end(text, m, end)
        if stop:
            if text[stop - 1] in " \n-–":
                stop = _trim(text, k, stop)
            out.append((k, stop))
            pos = stop
    return out


def _trim(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1] in " \n-–":
        b -= 1
    return b


def _places(text: str, start: int, end: int) -> list[tuple[int, int]]:
    lx = _lex()
    out = []
    for m in _at_word_start(lx["place_level"], text, start, end):
        after = m.end()
        stop = _place_end(text, after, end)
        if stop > after:
            out.append((m.start(), _trim(text, m.start(), stop)))
    out += [m.span() for m in _at_word_start(lx["place"], text, start, end)]
    return out


_STREET = re.compile(r"(?:(?:số|Số)\s+|^|\n)\d+[A-Za-z]?(?:/\d+)?\s*$|(?:đường|phố|Đường|Phố)\s+$")


def _people(text: str, start: int, end: int):
    """A surname and one to three more capitalised syllables ("Nguyễn Văn An", "Tô Lâm"). A two-syllable name may
    wrap onto the next line ("Bùi Thanh↵Sơn"); a name after "số 2" or "đường" is a street."""
    street_end = -1
    for m in _at_word_start(_lex()["person"], text, start, end):
        if m.start() < street_end:
            continue  # "Chu Trinh" inside the street name "đường Phan Chu Trinh"
        b, n, wrapped = m.end(), 1, False
        while n < 4:
            t = _TOKEN.match(text, b)
            if not t or not _CAP.fullmatch(t.group(1)) or t.group(1).isupper() and len(t.group(1)) > 1 and \
                    not text[m.start():m.end()].isupper():
                break
            if "\n" in text[b:t.start(1)]:
                if n != 2 or wrapped or _LINE_VERB.match(text, t.start(1)):
                    break
                wrapped = True
            b, n = t.end(), n + 1
        if _STREET.search(text, max(start, m.start() - 12), m.start()):
            street_end = b
        elif n >= 2 and not (wrapped and n != 3):
            yield m.start(), b


# far above any real document (the most in the corpus is about 1 200): text made of nothing but agency names would
# otherwise cost about 155 MB per MB; the pipeline reports the cut (entities.truncated)
MAX_ENTITIES = 20_000


def find_entities(nt: NormText, start: int = 0, end: int | None = None, header=None,
                  exclude: list[tuple[int, int]] = ()) -> list[Entity]:
    """ORG, then LOC, then PER spans that do not overlap an earlier one or an `exclude` range (normalised
    offsets: citations, whose "UBND" is part of a symbol). The header's issuer/parent, place and signer come first."""
    text = nt.text
    end = len(text) if end is None else end
    mask = bytearray(len(text) + 1)
    out: list[tuple[int, int, str]] = []

    def take(a: int, b: int, label: str) -> None:
        if b > a and mask.find(1, a, b) == -1:
            out.append((a, b, label))
            mask[a:b] = b"\x01" * (b - a)

    for a, b in [*exclude, *((m.start(), m.end()) for m in _MOTTO.finditer(text, start, end))]:
        mask[a:b] = b"\x01" * (b - a)

    if header is not None:
        for f in header.fields:
            label = {"issuer": "ORG", "parent": "ORG", "place": "LOC", "signer": "PER"}.get(f.field)
            if label == "PER" and header.signer and header.signer.name:  # the block's span holds titles too
                a = nt.original.find(header.signer.name, f.span.start, f.span.end)
                if a >= 0:
                    take(nt.to_norm(a), nt.to_norm(a + len(header.signer.name)), label)
            elif label and not _COLUMN_GAP.search(nt.original, f.span.start, f.span.end):
                take(nt.to_norm(f.span.start), nt.to_norm(f.span.end), label)  # not across the motto's column
    for label, found in (("ORG", _orgs), ("LOC", _places), ("PER", _people)):
        for a, b in found(text, start, end):
            if b > a and mask.find(1, a, b) == -1:  # take(), inlined for the thousands of candidates
                out.append((a, b, label))
                mask[a:b] = b"\x01" * (b - a)
    kept = sorted(out)[:MAX_ENTITIES]
    original = nt.original
    return _records([(label, original[s:e], s, e, _org_canonical(text[a:b]) if label == "ORG" else None)
                     for (a, b, label), (s, e) in zip(kept, orig_spans(nt, [(a, b) for a, b, _ in kept]))])


@lru_cache(maxsize=8192)
def _org_canonical(written: str) -> str | None:
    """canonical_agency of an ORG as the text writes it (line breaks and all), memoised on that spelling."""
    return canonical_agency(_squash(written))


def _records(rows: list[tuple[str, str, int, int, str | None]]) -> list[Entity]:
    """Entity records of (label, text, start, end, canonical) rows this module built itself, made without validating
    them again (schema.trusted_records): the most numerous record, tens of thousands a corpus pass."""
    return trusted_records(Entity, [{"label": label, "text": surface, "canonical": canonical,
                                     "span": {"start": s, "end": e}} for label, surface, s, e, canonical in rows])


@lru_cache(maxsize=1)
def _agency_choices() -> dict[str, str]:
    table = {}
    for a in lexicon.load("agencies.json")["agencies"]:
        for name in [a["name"], *a["aliases"]]:
            table[canonical(name).lower()] = a["name"]
    return table


@lru_cache(maxsize=1)
def _agency_keys() -> list[str]:
    return list(_agency_choices())


@lru_cache(maxsize=4096)
def canonical_agency(name: str | None) -> str | None:
    """The lexicon's name for an agency ("Sở TT&TT" → "Sở Thông tin và Truyền thông"); None when unknown or generic."""
    if not name:
        return None
    key = canonical(name).lower().strip(" .;,")
    choices = _agency_choices()
    if key in choices:
        return choices[key]
    hit = process.extractOne(key, _agency_keys(), scorer=fuzz.ratio, score_cutoff=92)
    return choices[hit[0]] if hit else None


@lru_cache(maxsize=4096)
def agency_in(cell: str) -> str | None:
    """The agency a lead cell names, normalised: "Sở Lao động - Thương binh và Xã hội chủ trì, phối hợp với …" →
    "Sở Lao động - Thương binh và Xã hội"; the lexicon's canonical name when it knows it; None for "Văn phòng",
    "Các bộ, ngành" or a date. The ORG entities of find_entities(normalize(cell)) in order, without the places,
    people and records it would make too: agencies are taken first there, so only the motto can refuse one."""
    nt = normalize(cell)
    text = nt.text
    mottos = [m.span() for m in _MOTTO.finditer(text)]
    for a, b in _orgs(text, 0, len(text)):
        if b <= a or any(ms < b and a < me for ms, me in mottos):
            continue
        (s, e), = orig_spans(nt, [(a, b)])
        if _OPENS_CELL.fullmatch(nt.original[:s]):
            return _org_canonical(text[a:b]) or plain_name(nt.original[s:e])
    return None


# what may precede the agency in a lead cell: nothing, a title, or the verb of the assignment
_OPENS_CELL = re.compile(r"[\W_]*(?:(?:Giao|Đề nghị|Bộ trưởng|Thủ trưởng|Chủ tịch|Giám đốc|Trưởng)\s+)?")


@lru_cache(maxsize=1)
def _feature_patterns() -> list[tuple[str, re.Pattern]]:
    """Places and surnames as the rules find them; heads in capitals too ("VĂN PHÒNG"), domains, levels and
    name-ending words without the context the rules ask for."""
    lx, rules = lexicon.load("entities.json"), _lex()
    heads = [*lx["strong_heads"], *lx["ministry_heads"], *lx["standalone"], *lx["weak_heads"]]
    return [("H", re.compile(rf"{trie_pattern(_variants(heads))}(?![\w&-])")),
            ("D", re.compile(rf"{trie_pattern(lx['domains'])}(?!\w)", re.IGNORECASE)),
            ("L", re.compile(rf"{trie_pattern(_variants(lx['levels']))}(?!\w)")),
            ("P", rules["place"]), ("S", rules["person"]),
            ("X", re.compile(rf"{trie_pattern(lx['name_stop'])}(?!\w)"))]


_SYLLABLE = re.compile(r"[^\s,;:()\[\]\"“”]+")


def lexicon_classes(text: str) -> dict[int, str]:
    """Start offset of each syllable the lexicon knows → its classes ("BH", "D", "L+P", ...): features for the
    statistical model (ner.LexiconTags), from the same data as the rules."""
    marks: dict[int, set[str]] = {}
    for cls, rx in _feature_patterns():
        for m in _at_word_start(rx, text, 0, len(text)):
            for i, s in enumerate(_SYLLABLE.finditer(text, m.start(), m.end())):
                marks.setdefault(s.start(), set()).add(("B" if i == 0 else "") + cls)
    return {k: "+".join(sorted(v)) for k, v in marks.items()}


@lru_cache(maxsize=1)
def _casings() -> tuple[re.Pattern, dict[str, str]]:
    """Lower-case phrase → its written form, for every name the lexicon spells: heads, bodies, domains, places."""
    lx = lexicon.load("entities.json")
    names = [*lx["strong_heads"], *lx["weak_heads"], *lx["standalone"], *lx["domains"], *lx["places"],
             *(a["name"] for a in lexicon.load("agencies.json")["agencies"]), "Hồ Chí Minh"]
    table: dict[str, str] = {}
    for n in names:
        key, old = n.lower(), table.get(n.lower(), "")
        if not old or old.isupper() or n != n.upper() and sum(c.isupper() for c in n) > sum(c.isupper() for c in old):
            table[key] = n  # "Kho bạc Nhà nước" over "Kho bạc nhà nước"; an acronym ("UBND") only when nothing else
    return re.compile(rf"{trie_pattern(table)}(?!\w)"), table


# a place the lexicon does not know, at the end of a name after its level word: "huyện sông mây" → "huyện Sông Mây"
_PLACE_AFTER_LEVEL = re.compile(r"(?<!\w)((?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn|đặc khu) )"
                                r"([^\W\d_A-ZĐ][^\W\d_]*(?: [^\W\d_]+){0,3})$")


def _written(table: dict[str, str], key: str) -> str:
    """The table's spelling of a matched phrase; the pattern lets a phrase's spaces be missing ("ỦYBAN NHÂN DÂN",
    "SỞTÀI CHÍNH" after PDF-to-text), so a glued match is looked up without its spaces."""
    if key in table:
        return table[key]
    glued = key.replace(" ", "")
    return next((v for k, v in table.items() if k.replace(" ", "") == glued), key)


def recase_agency(name: str | None) -> str | None:
    """An agency name as running text writes it: "ỦY BAN NHÂN DÂN TỈNH NGHỆ AN" → "Ủy ban nhân dân tỉnh Nghệ An",
    "SỞ GIÁO DỤC VÀ ĐÀO TẠO" → "Sở Giáo dục và Đào tạo"; a name already in mixed case is kept. The lexicon's
    canonical name when it knows the agency."""
    if not name:
        return None
    s = plain_name(name)
    if s.isupper():
        rx, table = _casings()
        low = s.lower()
        parts, pos = [], 0
        for m in _at_word_start(rx, low, 0, len(low)):
            parts += [low[pos:m.start()], _written(table, _squash(m.group(0)))]
            pos = m.end()
        s = "".join(parts) + low[pos:]
        s = _PLACE_AFTER_LEVEL.sub(lambda m: m.group(1) + m.group(2).title(), s[:1].upper() + s[1:])
    return canonical_agency(s) or s


def issuer_name(issuer: str | None, parent: str | None) -> str | None:
    """The issuing body's name for indexing: recased, and completed by its parent when the header gives only a
    bare unit ("VĂN PHÒNG" under "BAN CHẤP HÀNH TRUNG ƯƠNG" → "Văn phòng Ban Chấp hành Trung ương")."""
    name = recase_agency(issuer)
    if name and parent and name in lexicon.load("entities.json")["weak_heads"]:
        name = f"{name} {recase_agency(parent)}"
    return name
