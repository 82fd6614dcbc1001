"""Assignments written in prose ("Giao Sở X chủ trì, phối hợp với Y … hoàn thành trước ngày …", "a) Bộ X: (1) …;
(2) …") as Task records with source "prose".

The text outside tables is cut into items at their markers (1., 3.1., a), (1), -, +) and each item into clauses at
";", ":" and sentence ends. A clause that opens with an agency (an ORG entity, a title over one, or a collective
such as "Các bộ, ngành, địa phương") followed by an action verb starts an assignment; a clause without its own
subject continues the one before it. An item that only names an agency ("1. Ủy ban nhân dân các xã:", "a) Bộ Tài
chính:") is a head: the items under it inherit its lead."""
from __future__ import annotations

import re
from bisect import bisect_left

from ..normalize import NormText
from ..schema import DateMention, Entity, Span, Task
from .entities import UPPER, canonical_agency, plain_name, trie_pattern
from .ranges import Ranges

_MARK = re.compile(r"(?m)^[ \t]*(?:(?P<num>\d{1,2}(?:\.\d{1,2})*)\.(?![\d/])|(?P<letter>[a-zđ])\)|(?P<bullet>[-+•]))"
                   r"[ \t]+|\((?P<inline>\d{1,2})\)[ \t]*|\n[ \t]*\n(?=[ \t]*[^\s|])")
_CLAUSE_END = re.compile(rf";\s*|:\s+|\.\s+(?=[{UPPER}])")
_INTRO = re.compile(r"(?:Giao|giao|Đề nghị|đề nghị|Yêu cầu|yêu cầu|Trên cơ sở đó,|trên cơ sở đó,|Đồng thời,|đồng thời,)"
                    r"\s+")
_TITLE = re.compile(r"(?:Bộ trưởng|Thủ trưởng|Chủ tịch|Giám đốc|Chánh|Tổng Giám đốc|Trưởng ban|Trưởng)\s+")
_COLLECTIVE = re.compile(r"(?:Các|các)\s+(?:đồng chí|bộ|sở|ngành|địa phương|cơ quan|đơn vị|lực lượng|chủ rừng|tỉnh|"
                         r"huyện|xã|doanh nghiệp|ngân hàng|tổ chức|Bộ|Sở)(?!\w)")
_VERBS = ("chủ trì", "phối hợp", "khẩn trương", "rà soát", "thực hiện", "triển khai", "căn cứ", "tập trung", "xây dựng",
          "tham mưu", "chỉ đạo", "tăng cường", "tiếp tục", "có trách nhiệm", "quyết liệt", "liên tục", "ban hành",
          "trình", "hoàn thành", "hoàn thiện", "đăng ký", "nghiên cứu", "theo dõi", "phát huy", "hướng dẫn", "bố trí",
          "kiểm tra", "đôn đốc", "phải", "cần", "tổng hợp", "thẩm định", "báo cáo", "sửa đổi", "cân đối", "đẩy mạnh",
          "thành lập", "chủ động", "quán triệt", "nâng cao", "bảo đảm", "đảm bảo", "phân bổ", "tham gia", "cung cấp",
          "lãnh đạo", "tăng", "thực thi", "giải quyết", "rà", "xử lý", "công bố", "phát triển", "đề xuất", "trực tiếp",
          "nghiêm túc", "tuyên truyền", "phổ biến", "vận động", "cập nhật", "duy trì", "hỗ trợ", "giám sát", "đánh giá",
          "số hóa", "kịp thời", "khắc phục")
_NOUN_TO_CHUC = re.compile(r"\s+(?:chính trị|xã hội|đoàn thể|hội|kinh tế)(?!\w)")


class _Verbs:
    """The action verbs, as one trie regex (lower case and capitalised) with the word-boundary test done here: a
    leading look-behind or IGNORECASE would keep the engine from skipping ahead (10× slower on the corpus). "tổ chức"
    is a noun in "là tổ chức" and before "chính trị", "xã hội" …"""

    def __init__(self, verbs):
        forms = {f for v in [*verbs, "tổ chức"] for f in (v, v[0].upper() + v[1:])}
        self.rx = re.compile(f"(?:{trie_pattern(sorted(forms))})(?!\\w)")

    def _ok(self, text: str, m: re.Match) -> bool:
        k = m.start()
        if k and (text[k - 1].isalnum() or text[k - 1] == "_"):
            return False
        if m.group(0).lower().startswith("tổ"):
            return not (text[max(0, k - 3):k].lower() == "là " or _NOUN_TO_CHUC.match(text, m.end()))
        return True

    def search(self, text: str, pos: int, end: int | None = None):
        end = len(text) if end is None else end
        while True:
            m = self.rx.search(text, pos, end)
            if m is None or self._ok(text, m):
                return m
            pos = m.start() + 1

    def match(self, text: str, pos: int, end: int | None = None):
        m = self.rx.match(text, pos, len(text) if end is None else end)
        return m if m is not None and self._ok(text, m) else None


_VERB = _Verbs(_VERBS)
_NOT_TASK = re.compile(r"\s*(?:đã|đang|được|vẫn|chưa|có ý kiến|trân trọng|là|cũng)(?!\w)")
_GAP_STOP = re.compile(r"(?<!\w)(?:đã|đang|luôn|không|chưa|là|vẫn|sẽ|cũng|nhận|được(?!\s+giao))(?!\w)")
_FRAMING = re.compile(r"(?:như\s+sau|sau\s+đây|cụ\s+thể\s+như\s+sau)\s*$")
_LEAD_CUT = re.compile(r"\s(?:theo|căn cứ|được|trên cơ sở|tại|trong|về)(?!\w)")
_CLOSING = re.compile(r"(?m)^[^\w\n]*Nơi nhận[ \t]*:")
_YEARLY = re.compile(r"\s*h[àằ]ng\s+năm(?!\w)")
_APPOSITION = re.compile(r"\s+[-–]\s+(?:Phó|Trưởng|Chủ nhiệm|Ủy viên)")
_COORD = re.compile(r"(?<!\w)phối hợp(?:\s+chặt chẽ)?(?:\s+với)?\s+", re.IGNORECASE)
_RECURRING = re.compile(r"(?:nhiệm vụ\s+)?thường\s+xuyên(?=\s*[.;]|\s*$)")
_DONE_NEAR = re.compile(r"(?:hoàn thành|xong)\s+(?:trước|trong|vào)?\s*$")
_DONE = re.compile(r"(?:hoàn thành|xong)[^;.]{0,40}$")
_DEPTH = {"letter": 3, "inline": 4, "bullet": 5}


def _depth(m: re.Match) -> int:
    if m.group("num"):
        return m.group("num").count(".") + 1
    for k, d in _DEPTH.items():
        if m.group(k):
            return d
    return 6  # a paragraph after a blank line continues the item above it


def _items(text: str, start: int, end: int, skip: list[tuple[int, int]]):
    """(marker start, body start, body end, depth) for each item outside the skipped (table) ranges."""
    bounds = [(start, start, 0)] + [(m.start() + (1 if m.group(0).startswith("\n") else 0), m.end(), _depth(m))
                                    for m in _MARK.finditer(text, start, end)]
    tables = Ranges(skip)
    for k, (mark, body, depth) in enumerate(bounds):
        stop = bounds[k + 1][0] if k + 1 < len(bounds) else end
        if stop > body and not tables.overlaps(body, body + 1):
            yield mark, body, stop, depth


def _clauses(text: str, body: int, stop: int):
    """(start, end, ends with a colon, is the last one) of each clause of an item, cut at ";", ":" and sentence
    ends. A separator that closes the item makes its clause the last one (the empty rest still follows)."""
    seps = list(_CLAUSE_END.finditer(text, body, stop))
    pos = body
    for k, c in enumerate([*seps, None]):
        last = c is None or k == len(seps) - 1 and c.end() >= stop
        yield pos, (c.start() if c else stop), c is not None and text[c.start()] == ":", last
        pos = c.end() if c else stop


def _lead(text: str, pos: int, stop: int, orgs: dict[int, int]) -> tuple[int, int, int] | None:
    """(lead start, lead end, where the task's words start) for a clause at `pos`, or None when the clause does not
    open with an agency that is then given something to do."""
    m = _INTRO.match(text, pos, stop)
    a = m.end() if m else pos
    b = _agency_end(text, a, stop, orgs)
    if b is None:
        return None
    while True:  # joint leads: "Bộ Công an, Bộ Quốc phòng và …", "Đài Truyền hình Việt Nam (VTV)"
        j = re.match(r"\s*(?:,|và|;)\s*", text[b:stop])
        if j and b + j.end() in orgs:
            b = orgs[b + j.end()]
            continue
        p = re.match(r"\s*\([^()\n]{1,120}\)", text[b:stop])
        if p:
            b += p.end()
            continue
        break
    if _NOT_TASK.match(text, b, stop):
        return None
    colon = re.match(r"\s*:\s*", text[b:stop])
    if colon:  # "i) Các bộ, ngành, địa phương: rà soát …"
        verb = _VERB.match(text, b + colon.end(), stop)
        return (a, b, b + colon.end()) if verb else None
    verb = _VERB.search(text, b, stop)
    if not verb or (verb.start() - b > 80 and not _addressees(text[b:verb.start()], b, orgs)) or \
            _GAP_STOP.search(text, b, verb.start()) or _FRAMING.search(text, verb.start(), stop):
        return None  # "Thanh tra tỉnh luôn nhận …", "… đã …", "UBND tỉnh ban hành Kế hoạch như sau"
    cut = _LEAD_CUT.search(text, b, verb.start())
    end = cut.start() if cut else verb.start()
    ap = _APPOSITION.search(text, a, end)
    return a, (ap.start() if ap else end), verb.start()


def _clean(s: str) -> str:
    return plain_name(s).strip(" ,:;")


def _deadline(text: str, a: int, b: int, dates: list[tuple[int, int, DateMention]], cites: Ranges
              ) -> DateMention | None:
    lo = bisect_left(dates, (a,))  # `dates` are sorted by start; `cites` is a Ranges
    usable = [(s, d) for s, e, d in dates[lo:bisect_left(dates, (b,))] if e <= b and not cites.overlaps(s, s + 1)
              and d.kind in ("deadline", "date", "month", "quarter", "half_year", "year")]
    for near in (True, False):  # the date of "hoàn thành …" first, then any "trước ngày", then "trong tháng …"
        for s, d in usable:
            if (_DONE_NEAR if near else _DONE).search(text[max(a, s - 60):s]):
                return d
    for s, d in usable:
        if d.kind == "deadline":
            return d
    for s, d in usable:
        if re.search(r"(?:trong|trước|đạt|đến)\s*$", text[max(a, s - 12):s]):
            return d
    return None


def extract_assignments(nt: NormText, start: int, end: int, entities: list[Entity], dates: list[DateMention],
                        citation_spans: list[tuple[int, int]], skip: list[tuple[int, int]],
                        org_prefixes=None) -> list[Task]:
    """Assignments in the prose between `start` and `end` (normalised offsets); `skip` are table ranges.
    `org_prefixes(snippets) -> [length of an agency opening each snippet, or None]` (the model, when installed)
    is asked about clauses whose opening words the rules do not know as an agency."""
    text = nt.text
    orgs = {}
    for e in entities:
        if e.label == "ORG":
            orgs[nt.to_norm(e.span.start)] = nt.to_norm(e.span.end)
    if org_prefixes is not None:
        _ask_model(text, start, end, skip, orgs, org_prefixes)
    dated = sorted(((nt.to_norm(d.span.start), nt.to_norm(d.span.end), d) for d in dates), key=lambda x: x[0])
    cites = Ranges((nt.to_norm(a), nt.to_norm(b)) for a, b in citation_spans)
    starts = sorted(orgs)
    closing = _CLOSING.search(text, start, end)
    end = closing.start() if closing else end
    out: list[Task] = []
    heads: list[list] = []  # [depth, lead, mark, used] of the heads above the current item
    for mark, body, stop, depth in _items(text, start, end, skip):
        while heads and heads[-1][0] >= depth:
            heads.pop()
        found: list[list] = []  # [start, end, lead, task start]
        item_head = None  # "đ) Bộ Xây dựng: Khẩn trương …" — the agency before the colon
        for pos, c_end, colon, last in _clauses(text, body, stop):
            lead = _lead(text, pos, c_end, orgs) if c_end > pos else None
            if colon and last and not found:
                # "a) Bộ Tài chính:", "3. Bộ trưởng Bộ Tài chính … thực hiện một số nhiệm vụ sau:" — items follow
                plain = _lead_words(text, pos, c_end, orgs)
                if plain:
                    heads.append([depth, plain, mark, False])
                break
            words = _lead_words(text, pos, c_end, orgs) if colon and not found and not lead else None
            if words:
                item_head = words
                continue
            if lead:
                a, le, te = lead
                found.append([mark if pos == body else pos, c_end, _clean(text[a:le]), te])
            elif item_head and _VERB.match(text, pos, c_end):
                found.append([mark if not found else pos, c_end, item_head, pos])
                item_head = None
            elif found:
                found[-1][1] = c_end
            elif heads and _VERB.search(text, pos, min(c_end, pos + 60)):
                h = heads[-1]
                begin = h[2] if depth == 6 and not h[3] else mark  # "4. Công an tỉnh" ↵↵ "Chỉ đạo …"
                h[3] = True
                found.append([begin, c_end, h[1], pos])
        if not found and _only_lead(text, body, stop, orgs):
            heads.append([depth, _clean(text[body:stop]), mark, False])
        for a, b, lead, te in found:
            out.append(_task(nt, a, b, lead, te, dated, cites, orgs, starts))
    return out


_ADDRESSEE = re.compile(r"(?:và\s+)?(?:Bộ trưởng|Thủ trưởng|Chủ tịch|Giám đốc|cơ quan|thành phố|tỉnh|các|Ủy ban|UBND|"
                        r"Bộ|Sở|trực thuộc|trung ương|Trung ương)(?!\w)")


def _addressees(gap: str, offset: int, orgs: dict[int, int]) -> bool:
    """A long run of addressees before the verb ("Các đồng chí Bộ trưởng, Thủ trưởng cơ quan ngang bộ, …, Chủ
    tịch Ủy ban nhân dân các tỉnh …"): every comma-separated part opens with a title, an agency or a level."""
    pos = 0
    for part in re.split(r"(,\s*)", gap):
        p = part.strip()
        if p and p != "," and not _ADDRESSEE.match(p) and offset + pos + part.find(p) not in orgs:
            return False
        pos += len(part)
    return True


def _agency_end(text: str, a: int, stop: int, orgs: dict[int, int]) -> int | None:
    """End of the agency, title + agency or collective that opens the text at `a`, or None."""
    t = _TITLE.match(text, a, stop)
    b = t.end() if t else a
    if b in orgs:
        return orgs[b]
    c = _COLLECTIVE.match(text, b, stop)
    if c:
        return c.end()
    return b + 3 if t and text.startswith(("các", "Các"), b) else None


def _lead_words(text: str, pos: int, stop: int, orgs: dict[int, int]) -> str | None:
    """The agency a head item names, before its verbs: "Bộ trưởng Bộ Tài chính" in "3. Bộ trưởng Bộ Tài chính -
    Phó Trưởng ban … tập trung lãnh đạo … nhiệm vụ sau"."""
    m = _INTRO.match(text, pos, stop)
    a = m.end() if m else pos
    b = _agency_end(text, a, stop, orgs)
    if b is None:
        return None
    verb = _VERB.search(text, b, stop)
    end = verb.start() if verb else stop
    ap = _APPOSITION.search(text, a, end)
    end = ap.start() if ap else end
    rest = _clean(re.sub(r"\([^()]*\)", "", text[b:end]))
    return _clean(text[a:end]) if len(rest) <= 40 else None  # not "Ban Chỉ đạo … chỉ ra những hạn chế, bất cập"


# an unknown subject worth asking about: a capitalised word and, within the next three, another ("Trung tâm Dữ liệu")
_UNKNOWN_HEAD = re.compile(rf"[{UPPER}][^\W\d_]*(?:\s+[^\W\d_]+){{0,3}}\s+[{UPPER}][^\W\d_]*")


def _ask_model(text: str, start: int, end: int, skip, orgs: dict[int, int], org_prefixes) -> None:
    """Clause openings that look like a named subject (a capitalised word, a verb within 80 characters) but that
    no rule knows: the model says whether an agency opens them, and how long it is."""
    where = []
    for mark, body, stop, depth in _items(text, start, end, skip):
        for pos, c_end, _, _ in _clauses(text, body, stop):
            i = _INTRO.match(text, pos, c_end)
            a = i.end() if i else pos
            if (pos == body or i) and _agency_end(text, a, c_end, orgs) is None and \
                    _UNKNOWN_HEAD.match(text, a, c_end) and _VERB.search(text, a + 3, min(c_end, a + 80)):
                where.append(a)  # only where a subject is expected: an item's first clause, or after "Giao"
    for a, n in zip(where, org_prefixes([text[a:a + 100] for a in where])):
        if n:
            orgs[a] = a + n


def _only_lead(text: str, body: int, stop: int, orgs: dict[int, int]) -> bool:
    """An item that names an agency and nothing else ("4. Công an tỉnh", "5. Các chủ rừng là tổ chức (…)")."""
    lead = _lead(text, body, stop, orgs)
    if lead or not _lead_words(text, body, stop, orgs) or _VERB.search(text, body, stop):
        return False
    b = _agency_end(text, body, stop, orgs)
    rest = re.sub(r"\([^()]*\)", "", text[b:stop]) if b else text[body:stop]
    return len(_clean(rest)) <= 15 and "\n\n" not in text[body:stop].strip()


def _coordinators(text: str, a: int, b: int, orgs: dict[int, int], starts: list[int]) -> list[str]:
    """The agencies of "phối hợp (với) …", up to the next verb; `starts` are the ORG starts, sorted."""
    m = _COORD.search(text, a, min(b, a + 400))
    if not m:
        return []
    inside = starts[bisect_left(starts, m.end()):bisect_left(starts, b)]  # the agencies of this clause only
    verb = _VERB.search(text, m.end(), b)
    stop = verb.start() if verb else b
    for s in inside:  # a verb inside an agency's name does not end the list
        if s < stop < orgs[s]:
            verb = _VERB.search(text, orgs[s], b)
            stop = verb.start() if verb else b
    units, pos = [], m.end()
    while pos < stop:
        if pos in orgs and orgs[pos] <= stop:
            units.append(text[pos:orgs[pos]])
            pos = orgs[pos]
        else:
            nxt = next((x for x in inside if pos < x < stop), stop)
            units.extend(re.split(r"\s*(?:,|;|\svà\s)\s*", text[pos:nxt]))
            pos = nxt
    out: list[str] = []
    for u in (_clean(u) for u in units):
        if not u or u in ("và", "với"):
            continue
        if out and out[-1].lower().startswith("các ") and u[0].islower() and not u.startswith("các "):
            out[-1] += ", " + u  # "các bộ, ngành": nouns sharing one "các"
        else:
            out.append(u)
    return out


def _task(nt: NormText, a: int, b: int, lead: str, head_end: int, dated, cites, orgs, starts) -> Task:
    text = nt.text
    deadline = _deadline(text, a, b, dated, cites)
    if deadline is not None and deadline.kind == "deadline" and _YEARLY.match(nt.original, deadline.span.end):
        deadline = deadline.model_copy(update={"kind": "recurring", "end": None})  # "trước ngày 25/12 hàng năm"
    if deadline is None:
        r = _RECURRING.search(text, a, b)
        if r:
            s, e = nt.orig_span(r.start(), r.end())
            deadline = DateMention(kind="recurring", text=nt.original[s:e], span=Span(start=s, end=e))
    while b > a and text[b - 1] in " \t\n;,.:":
        b -= 1
    s, e = nt.orig_span(a, b)
    return Task(source="prose", title=_clean(text[head_end:b]) or _clean(text[a:b]), lead=lead,
                lead_canonical=canonical_agency(lead), coordinators=_coordinators(text, head_end - 1, b, orgs, starts),
                deadline_text=deadline.text if deadline else None, deadline=deadline, span=Span(start=s, end=e))

