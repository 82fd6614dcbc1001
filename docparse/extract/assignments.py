"""Assignments written in prose ("Giao Sở X chủ trì, phối hợp với Y … hoàn thành trước ngày …", "a) Bộ X: (1) …;
(2) …") as Task records with source "prose".

The text outside tables is cut into items at their markers (1., 3.1., a), (1), -, +) and each item into clauses at
";", ":" and sentence ends. A clause that opens with an agency (an ORG entity, a title over one, or a collective
such as "Các bộ, ngành, địa phương") followed by an action verb starts an assignment; a clause without its own
subject continues the one before it. An item that only names an agency ("1. Ủy ban nhân dân các xã:", "a) Bộ Tài
chính:") is a head: the items under it inherit its lead.

Not assignments, though they read like one: the enacting formula before the first article ("Ủy ban nhân dân tỉnh
ban hành Quyết định …"), the execution clause ("Chánh Văn phòng …, Giám đốc các Sở … chịu trách nhiệm thi hành
Quyết định này./." — a standard formula with no task of its own), past narration ("Sở X đã …"), the closing
paragraph of a plan ("Trên đây là Kế hoạch …"), and everything inside narrative sections of reports (Kết quả …,
Tình hình …, Đánh giá chung …, Tồn tại, hạn chế …) or scope articles (Phạm vi điều chỉnh, Đối tượng áp dụng)."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from itertools import chain
from operator import attrgetter, itemgetter

from pydantic import TypeAdapter

from ..normalize import NormText
from ..schema import DateMention, Entity, Section, Span, Task
from .entities import UPPER, canonical_agency, plain_name, trie_pattern
from .ranges import Ranges
from .spans import to_norms

# Item markers: a line-start mark ("1.", "3.1.", "a)", "-", "Điều 2.", "IV."), an inline "(1)", or a blank line (a
# paragraph). The line-start marks are matched after the "\n" that ends the line before (and with `_LINE_MARK` where
# a scan resumes at a line start): the scan is then led by one literal "\n", which the engine skips to instead of
# trying every branch at every position (4x faster); inline marks are a second scan. After the indent:
_LINE_MARKS = (r"(?:(?P<num>\d{1,2}(?:\.\d{1,2})*)\.(?![\d/])|(?P<letter>[a-zđ])\)|(?P<bullet>[-+•]))"
               r"(?:[ \t]+|[ \t]*\n(?=[ \t]*[^\W\d_]))"  # "11." ↵ "Đề nghị Ủy ban …:" (a wrapped heading)
               r"|(?P<article>Điều[ \t]*\n?[ \t]*\d{1,3}[a-z]?|[IVX]{1,5})"
               r"[ \t]*[.:](?![\d/])[ \t]*(?:\n[ \t]*)?")
# group 1 ("at", empty) is where the marker starts, after the "\n" that _MARK consumes; the group that closes last
# names the kind of marker ("at" alone: a blank line), see _DEPTH. The indent is read once, before the branches.
_LINE_MARK = re.compile(rf"(?P<at>)[ \t]*(?:{_LINE_MARKS})")
_MARK = re.compile(rf"\n(?P<at>)[ \t]*(?:\n(?=[ \t]*[^\s|])|{_LINE_MARKS})")  # led by one literal: the fastest scan
_LINE_FIRST = frozenset(" \t-+•ĐIVXabcdefghijklmnopqrstuvwxyzđ")  # what a _LINE_MARK can open with, or a digit
_INLINE_MARK = re.compile(r"(?P<at>)\((?P<inline>\d{1,2})\)[ \t]*")  # never overlaps them (no "(" in them, no "\n" here)
_CLAUSE_END = re.compile(rf";\s*|:\s+|\.\s+(?=[{UPPER}])")
_INTRO_WORDS = ("Giao", "giao", "Đề nghị", "đề nghị", "Yêu cầu", "yêu cầu", "Trên cơ sở đó,", "trên cơ sở đó,", "Đồng thời,",
                "đồng thời,")
_INTRO = re.compile(f"(?:{'|'.join(_INTRO_WORDS)})\\s+")
_TITLE_WORDS = ("Bộ trưởng", "Thủ trưởng", "Chủ tịch", "Giám đốc", "Chánh", "Tổng Giám đốc", "Trưởng ban", "Trưởng")
_TITLE = re.compile(f"(?:{'|'.join(_TITLE_WORDS)})\\s+")
_COLLECTIVE = re.compile(r"(?:Các|các)\s+(?:đồng chí|bộ|sở|ngành|địa phương|cơ quan|đơn vị|lực lượng|chủ rừng|tỉnh|"
                         r"huyện|xã|doanh nghiệp|ngân hàng|tổ chức|Bộ|Sở)(?!\w)")
_VERBS = ("chủ trì", "phối hợp", "khẩn trương", "rà soát", "thực hiện", "triển khai", "căn cứ", "tập trung", "xây dựng",
          "tham mưu", "chỉ đạo", "tăng cường", "tiếp tục", "có trách nhiệm", "quyết liệt", "liên tục", "ban hành",
          "trình", "hoàn thành", "hoàn thiện", "đăng ký", "nghiên cứu", "theo dõi", "phát huy", "hướng dẫn", "bố trí",
          "kiểm tra", "đôn đốc", "phải", "cần", "tổng hợp", "thẩm định", "báo cáo", "sửa đổi", "cân đối", "đẩy mạnh",
          "thành lập", "chủ động", "quán triệt", "nâng cao", "bảo đảm", "đảm bảo", "phân bổ", "tham gia", "cung cấp",
          "lãnh đạo", "tăng", "thực thi", "giải quyết", "rà", "xử lý", "công bố", "phát triển", "đề xuất", "trực tiếp",
          "nghiêm túc", "tuyên truyền", "phổ biến", "vận động", "cập nhật", "duy trì", "hỗ trợ", "giám sát", "đánh giá",
          "số hóa", "kịp thời", "khắc phục", "chịu trách nhiệm")
_ACCOUNTABLE = re.compile(r"\s+(?:trực\s+tiếp\s+|toàn\s+diện\s+|hoàn\s+toàn\s+)?(?:trước|về)(?!\w)")
_NOUN_TO_CHUC = re.compile(r"\s+(?:chính trị|xã hội|đoàn thể|hội|kinh tế)(?!\w)|,?\s+(?:và\s+)?cá\s+nhân(?!\w)")


class _Verbs:
    """The action verbs, as one trie regex (lower case and capitalised) with the word-boundary test done here: a
    leading look-behind or IGNORECASE would keep the engine from skipping ahead (10× slower on the corpus). "tổ chức"
    is a noun in "là tổ chức" and before "chính trị", "xã hội" …; "chịu trách nhiệm trước …" is accountability."""

    def __init__(self, verbs):
        forms = {f for v in [*verbs, "tổ chức"] for f in (v, v[0].upper() + v[1:])}
        self.rx = re.compile(f"(?:{trie_pattern(sorted(forms))})(?!\\w)")

    def _ok(self, text: str, m: re.Match) -> bool:
        k = m.start()
        if k and (text[k - 1].isalnum() or text[k - 1] == "_"):
            return False
        if m.group(0).lower().startswith("tổ"):
            return not (text[max(0, k - 3):k].lower() == "là " or _NOUN_TO_CHUC.match(text, m.end()))
        if m.group(0).lower().startswith("chịu"):  # accountable ("… trước pháp luật"), not a task
            return not _ACCOUNTABLE.match(text, m.end())
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
_LEAD_CUT = re.compile(r"\s(?:theo|căn cứ|được|trên cơ sở|tại|trong|về|chịu\s+trách\s+nhiệm)(?!\w)")
_CLOSING = (re.compile(r"Nơi nhận[ \t]*:"), re.compile(r"[^\w\n]*"))  # "^[^\w\n]*Nơi nhận[ \t]*:", see _line_search
_YEARLY = re.compile(r"\s*h[àằ]ng\s+năm(?!\w)")
_APPOSITION = re.compile(r"\s+[-–]\s+(?:Phó|Trưởng|Chủ nhiệm|Ủy viên)")
# "phối hợp (chặt chẽ) (với)", any case, at a word start: led by its first letter (a look-behind or a case-blind
# letter first would be tried at every position)
_COORD = re.compile(r"[pP](?<!\w.)(?i:hối hợp(?:\s+chặt chẽ)?(?:\s+với)?\s+)")
_RECURRING = re.compile(r"thường\s+xuyên(?=\s*[.;]|\s*$)")  # "(nhiệm vụ) thường xuyên": see _recurring
_DONE_NEAR = re.compile(r"(?:hoàn thành|xong)\s+(?:trước|trong|vào)?\s*$")
_DONE = re.compile(r"(?:hoàn thành|xong)[^;.]{0,40}$")
_DEPTH = {"article": 0, "letter": 3, "inline": 4, "bullet": 5, "at": 6}  # "num": its number of parts; "at": a blank line
_DOC_TYPE = (r"(?:Quyết định|Nghị quyết|Thông tư(?:\s+liên\s+tịch)?|Nghị định|Chỉ thị|Quy định|Quy chế|Kế hoạch|"
             r"Công điện|Lệnh|Luật|Pháp lệnh|quyết định|nghị quyết|thông tư|chỉ thị|công điện|kế hoạch|văn bản)"
             ).replace(" ", r"\s+")  # "Quyết⏎định này": conversions wrap lines anywhere
# the enacting formula: "<issuer> ban hành Quyết định …", before the first article or right after the "Căn cứ" lines
_ENACTING = re.compile(rf"ban\s+hành\s+{_DOC_TYPE}(?!\w)")
_FIRST_ARTICLE = (re.compile(r"Điều\s+1[ \t]*[.:]"), re.compile(r"[ \t]*"))  # "^[ \t]*Điều\s+1[ \t]*[.:]"
_PREAMBLE = re.compile(r"(?m)^[ \t]*(?:Căn\s+cứ|Theo\s+đề\s+nghị|Xét)(?!\w)")
# the execution clause: "… chịu trách nhiệm thi hành Quyết định này./." (ends its task: nothing but "./." after it)
_EXECUTION = re.compile(
    r"(?:thông\s+báo\s+để\s+[^.;]{1,120}?\s+biết(?:,?\s+thực\s+hiện)?"  # a notice's "… để … biết, thực hiện"
    r"|(?:chịu|có)\s+trách\s+nhiệm\s+(?:tổ\s+chức\s+)?(?:thi\s+hành|thực\s+hiện)"
    rf"|căn\s+cứ\s+{_DOC_TYPE}(?:\s+này)?\s+(?:để\s+)?thi\s+hành)"
    rf"(?:\s+(?:các\s+)?{_DOC_TYPE}(?:\s+(?:này|nói\s+trên))?)?(?:\s+kể\s+từ\s+ngày\s+ký)?(?!\w)")
_AFTER_EXECUTION = re.compile(r"[ \t]*(?:\.|\n|$)")  # the formula ends its sentence ("./.", then the signature)
_JOINER = re.compile(r"\s*(?:,|và|;)\s*")
_PAREN = re.compile(r"\s*\([^()\n]{1,120}\)")
_COLON = re.compile(r"\s*:\s*")
_PAST = re.compile(r"[đĐ](?<!\w.)(?:ã|ang)(?!\w)")  # "đã", "Đang" …: led by a character set, not a look-behind
_CLOSING_PARAGRAPH = re.compile(r"Trên\s+đây(?!\w)")  # matched where the text starts with "Trên"
# section titles whose content is narration or scope, never an assignment (reports' "II. KẾT QUẢ THỰC HIỆN")
_NARRATIVE_TITLE = re.compile(
    r"(?:những\s+|một\s+số\s+)?(?:kết\s+quả(?!\s*,?\s*(?:sản\s+phẩm|đầu\s+ra))|tình\s+hình|thực\s+trạng|"
    r"tồn\s+tại|hạn\s+chế|khó\s+khăn|nguyên\s+nhân|bối\s+cảnh|"
    r"đánh\s+giá(?=\s*(?:$|[,:.;]|chung|kết\s+quả|tình\s+hình|việc\s+thực\s+hiện|công\s+tác)))", re.IGNORECASE)
_SCOPE_TITLE = re.compile(r"(?:phạm\s+vi\s+điều\s+chỉnh|đối\s+tượng\s+áp\s+dụng|giải\s+thích\s+từ\s+ngữ)",
                          re.IGNORECASE)
_QUIET_TITLE = re.compile(rf"(?P<scope>{_SCOPE_TITLE.pattern})|{_NARRATIVE_TITLE.pattern}", re.IGNORECASE)  # one match
_QUIET_FIRST = frozenset("BGHKMNPTbghkmnptĐđ\u212a")  # what a _QUIET_TITLE match can open with (ignoring case)


def _marks(text: str, start: int, end: int) -> Iterator[re.Match]:
    """The item markers in [start, end), in order, as one multiline scan "^<line mark>|(<number>)|<blank line>" would
    find them (tests/test_assignments.py keeps that pattern), yielded as they are found: a long document's markers
    (a Match object each) are never all held at once. Inline "(1)" marks (rare) come from their own scan, merged in
    order (a line mark never starts where an inline one does)."""
    inline = list(_INLINE_MARK.finditer(text, start, end))
    if not inline:
        yield from _line_marks(text, start, end)
        return
    k, n = 0, len(inline)
    for m in _line_marks(text, start, end):
        at = m.start(1)
        while k < n and inline[k].start(1) < at:
            yield inline[k]
            k += 1
        yield m
    yield from inline[k:]


def _line_marks(text: str, start: int, end: int) -> Iterator[re.Match]:
    """The line-start markers. `_MARK` sees a line-start mark only after a "\n" it consumes, so where a marker ends
    with its line the next line is tried with `_LINE_MARK` (and the scan restarts after it when it holds a line
    end)."""
    pos, line, scan = start, _LINE_MARK.match, _MARK.finditer
    while True:
        m = line(text, pos, end) if pos == 0 or pos <= len(text) and text[pos - 1] == "\n" else None
        if m is not None:
            yield m
            pos = m.end()
            if text[pos - 1] == "\n":
                continue
        for m in scan(text, pos, end):
            yield m
            e = m.end()
            if text[e - 1] == "\n" and (text[e:e + 1] in _LINE_FIRST or text[e:e + 1].isdecimal()):
                after = line(text, e, end)
                if after is not None:
                    yield after
                    if text.find("\n", e, after.end()) >= 0:  # the scan goes on after it (trying the line first)
                        pos = after.end()
                        break
        else:
            break


def _items(text: str, start: int, end: int, skip: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """list(_iter_items(…))."""
    return list(_iter_items(text, start, end, skip))


def _iter_items(text: str, start: int, end: int,
                skip: list[tuple[int, int]]) -> Iterator[tuple[int, int, int, int]]:
    """(marker start, body start, body end, depth) for each item outside the skipped (table) ranges, in order, one
    at a time. Bodies come in order, so the tables are walked alongside instead of searched for each."""
    tables = Ranges(skip)
    t_starts, t_ends, t, n_tables = tables.starts, tables.ends, 0, len(tables.starts)
    depth_of = _DEPTH.get
    mark, body, prev = start, start, None  # the item being read: its marker's start, its body's start, its marker
    for m in chain(_marks(text, start, end), (None,)):
        stop = end if m is None else m.start(1)
        if stop > body:
            while t < n_tables and t_ends[t] <= body:
                t += 1
            if t == n_tables or t_starts[t] > body:  # the body is in no table
                if prev is None:
                    yield mark, body, stop, 0
                else:
                    kind = prev.lastgroup
                    yield mark, body, stop, prev.group("num").count(".") + 1 if kind == "num" else depth_of(kind, 6)
        if m is not None:
            mark, body, prev = stop, m.end(), m


def _line_search(tail: re.Pattern, lead: re.Pattern, text: str, start: int, end: int) -> int | None:
    """Where the first "^<lead><tail>" in [start, end) starts (multiline "^"), found by scanning for the literal
    that opens `tail` and checking the line before it (a "^"-led pattern is tried at every position)."""
    at, seen = None, 0  # the line start before the last match, and how far back "\n" was looked for (linear)
    for m in tail.finditer(text, start, end):
        nl = text.rfind("\n", seen, m.start())
        at = nl + 1 if nl >= 0 or at is None else at
        seen = m.start()
        if at >= start and lead.fullmatch(text, at, m.start()):
            return at
    return None


def _clauses(text: str, body: int, stop: int, seps: list[re.Match] | None = None):
    """(start, end, ends with a colon, is the last one) of each clause of an item, cut at ";", ":" and sentence
    ends (`seps`, when the caller has them already). A separator that closes the item makes its clause the last one
    (the empty rest still follows)."""
    if seps is None:
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
        j = _JOINER.match(text[b:stop])
        if j and b + j.end() in orgs:
            b = orgs[b + j.end()]
            continue
        p = _PAREN.match(text[b:stop])
        if p:
            b += p.end()
            continue
        break
    if _NOT_TASK.match(text, b, stop):
        return None
    colon = _COLON.match(text[b:stop])
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
                        sections: list[Section], org_prefixes=None, norm_dates: list[tuple[int, int]] | None = None,
                        norm_citations: list[tuple[int, int]] | None = None) -> list[Task]:
    """Assignments in the prose between `start` and `end` (normalised offsets); `skip` are table ranges.
    `org_prefixes(snippets) -> [length of an agency opening each snippet, or None]` (the model, when installed)
    is asked about clauses whose opening words the rules do not know as an agency. `sections`: the document's
    section tree (extract_structure), which tells narrative sections apart. `norm_dates`, `norm_citations`: the
    dates' and the citations' spans in normalised offsets, in their order, when the caller has them (the pipeline
    maps them once for the indicators), else mapped here."""
    text = nt.text
    org_entities = [e for e in entities if e.label == "ORG"]
    at = to_norms(nt, [*map(_SPAN_START, org_entities), *map(_SPAN_END, org_entities)])
    n = len(org_entities)
    orgs = dict(zip(at[:n], at[n:]))  # ORG start → end (normalised); the last one of a start wins
    del org_entities, at
    if org_prefixes is not None:
        _ask_model(text, start, end, skip, orgs, org_prefixes)
    context = None  # what _task needs besides, built for the first task (most documents have none)
    closing = _line_search(*_CLOSING, text, start, end)
    end = closing if closing is not None else end
    quiet = _quiet_ranges(nt, sections, end)
    article = _line_search(*_FIRST_ARTICLE, text, start, end)
    preamble_end = article if article is not None else start
    out: list[dict] = []  # validated at the end in one call (see _TASKS)
    heads: list[list] = []  # [depth, lead, mark, used] of the heads above the current item
    clause_ends, openers, n_text = _CLAUSE_END.finditer, _OPENERS.get, len(text)
    q_starts, q_ends, q, n_quiet = quiet.starts, quiet.ends, 0, len(quiet.starts)  # walked along the bodies
    for mark, body, stop, depth in _iter_items(text, start, end, skip):
        while heads and heads[-1][0] >= depth:
            heads.pop()
        while q < n_quiet and q_ends[q] <= body:
            q += 1
        if q < n_quiet and q_starts[q] <= body:  # in a quiet section
            continue
        if text.startswith("Trên", body) and _CLOSING_PARAGRAPH.match(text, body):  # "Trên đây là Kế hoạch …":
            heads.clear()  # the plan's tasks are over
            continue
        if depth == 0:
            body = _after_title(text, body, stop, orgs)
        if text.find(".", body, stop - 2) < 0 and text.find(":", body, stop) < 0 and text.find(";", body, stop) < 0:
            seps = []  # no separator can match: ":" and "." need a space after them, "." a capital too
        else:
            seps = list(clause_ends(text, body, stop))
        if not heads and body not in orgs and not (body < n_text and text.startswith(openers(text[body], ()), body)):
            for c in seps:  # _may_open at each clause start
                e = c.end()
                if e in orgs or e < n_text and text.startswith(openers(text[e], ()), e):
                    break
            else:
                continue  # no clause opens with an agency and no head is above: nothing here is (or heads) a task
        found: list[list] = []  # [start, end, lead, task start]
        item_head = None  # "đ) Bộ Xây dựng: Khẩn trương …" — the agency before the colon
        for pos, c_end, colon, last in _clauses(text, body, stop, seps):
            opens = _may_open(text, pos, orgs)  # else neither _lead nor _lead_words finds anything there
            lead = _lead(text, pos, c_end, orgs) if opens and c_end > pos else None
            if colon and last and not found:
                # "a) Bộ Tài chính:", "3. Bộ trưởng Bộ Tài chính … thực hiện một số nhiệm vụ sau:" — items follow
                plain = _lead_words(text, pos, c_end, orgs) if opens else None
                if plain:
                    heads.append([depth, plain, mark, False])
                break
            words = _lead_words(text, pos, c_end, orgs) if opens and colon and not found and not lead else None
            if words:
                item_head = words
                continue
            if lead:
                a, le, te = lead
                if not _is_enacting(text, a, te, pos, preamble_end):
                    found.append([mark if pos == body else pos, c_end, _clean(text[a:le]), te])
                elif not found:
                    break  # the formula's sentence runs on ("… năm 2026. Điều 1. …"): none of it is a task
            elif not found and _PAST.search(text, pos, min(c_end, pos + 12)):
                continue  # "- Đã tham mưu …" under a head: narration, not a task
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
        if not found and _may_open(text, body, orgs) and _only_lead(text, body, stop, orgs):
            heads.append([depth, _clean(text[body:stop]), mark, False])
        drop: set[int] = set()  # the execution clause, with the addressees before it ("Chánh Văn phòng …; Giám
        for k in range(len(found) - 1, -1, -1):  # đốc Sở Xây dựng …; Chủ tịch … chịu trách nhiệm thi hành …./.")
            a, b = found[k][0], found[k][1]
            if _is_execution(text, a, b) or k + 1 in drop and text[b:found[k + 1][0]].strip() == ";":
                drop.add(k)
        for k, (a, b, lead, te) in enumerate(found):
            if k not in drop:
                context = context or _task_context(nt, dates, citation_spans, orgs, norm_dates, norm_citations)
                out.append(_task(nt, a, b, lead, te, *context, orgs))
    return _TASKS.validate_python(out)


# the tasks as one list of dicts validated in one call: faster than a record (and its Span) at a time
_TASKS = TypeAdapter(list[Task])


_TITLE_LINE = re.compile(rf"[^\n;]{{1,80}}\n[ \t]*(?=[{UPPER}])")


def _after_title(text: str, body: int, stop: int, orgs: dict[int, int]) -> int:
    """Where an article's (or a roman section's) content starts: after its title line ("Điều 3. Trách nhiệm thi
    hành" ↵ "Sở Y tế …"), unless that line itself opens an assignment ("Điều 2. Giao Sở X chủ trì … với Sở" ↵)."""
    m = _TITLE_LINE.match(text, body, stop)
    if m is None or _INTRO.match(text, body):
        return body
    first = _CLAUSE_END.search(text, body, stop)
    end = first.start() if first else stop
    opens = _may_open(text, body, orgs) and (_lead(text, body, end, orgs) or _lead_words(text, body, end, orgs))
    return body if opens else m.end()


def _is_enacting(text: str, a: int, verb: int, pos: int, preamble_end: int) -> bool:
    """"Ủy ban nhân dân tỉnh ban hành Quyết định …" as the issuer's formula: no "Giao" before the agency, the verb
    "ban hành" + a document type right after it, and the clause before the first article (or, in a text without
    articles, right after the "Căn cứ …"/"Theo đề nghị …" lines)."""
    if a != pos or not _ENACTING.match(text, verb):
        return False
    return pos < preamble_end or _PREAMBLE.search(text, max(0, pos - 400), pos) is not None


def _is_execution(text: str, a: int, b: int) -> bool:
    """The execution clause ("Chánh Văn phòng …; Giám đốc Sở …; Chủ tịch … chịu trách nhiệm thi hành Quyết định
    này./.", "… căn cứ Quyết định thi hành./.") or a notice's "… thông báo để … biết, thực hiện./.": the formula and
    nothing of substance after it (only "./.", the signature block's bars). "… có trách nhiệm tổ chức thi hành
    Nghị quyết này; sắp xếp …" goes on with a task, and stays."""
    m = _EXECUTION.search(text, a, b)
    if m is None:
        return False
    return _AFTER_EXECUTION.match(text, m.end(), b) is not None and ";" not in text[m.end():b]


def _task_context(nt: NormText, dates: list[DateMention], citation_spans: list[tuple[int, int]],
                  orgs: dict[int, int], norm_dates: list[tuple[int, int]] | None = None,
                  norm_citations: list[tuple[int, int]] | None = None) -> tuple[list, Ranges, list[int]]:
    """(the dates as (normalised start, end, record) sorted by start, the citations' normalised ranges, the ORG
    starts sorted) for _task; the normalised spans are mapped here unless given."""
    if norm_dates is None:
        at = to_norms(nt, [p for d in dates for p in (d.span.start, d.span.end)])
        norm_dates = list(zip(at[::2], at[1::2]))
    dated = sorted([(a, b, d) for (a, b), d in zip(norm_dates, dates)], key=_FIRST)
    if norm_citations is None:
        at = to_norms(nt, [p for span in citation_spans for p in span])
        norm_citations = list(zip(at[::2], at[1::2]))
    return dated, Ranges(norm_citations), sorted(orgs)


_FIRST = itemgetter(0)
_SPAN_START, _SPAN_END = attrgetter("span.start"), attrgetter("span.end")


def _quiet_ranges(nt: NormText, roots: list[Section], end: int) -> Ranges:
    """Normalised ranges of the sections that narrate (Kết quả, Tình hình, Đánh giá chung …; not an article: an
    article "Đánh giá chất lượng …" of a regulation assigns) or define scope (Phạm vi điều chỉnh, Đối tượng áp
    dụng), each up to the next heading (in document order) of the same or a higher level, or up to `end`. One pass
    over the section tree; only the ends of the ranges found are mapped to normalised offsets."""
    out: list[int] = []  # original starts: of a quiet section, then of the heading that closes it
    open_at: tuple[int, int] | None = None  # (original start, level) of the quiet section being read
    quiet_title = _QUIET_TITLE.match
    stack = [iter(roots)]  # the tree in document order, without recursion (hostile input nests deep)
    while stack:
        for node in stack[-1]:
            if open_at is not None and node.level <= open_at[1]:
                out += (open_at[0], node.span.start)
                open_at = None
            if open_at is None and node.kind != "bullet":
                title = node.title.strip(" *#_")
                m = quiet_title(title) if title[:1] in _QUIET_FIRST else None
                if m is not None and (m.lastgroup == "scope" or node.kind != "article"):
                    open_at = (node.span.start, node.level)
            if node.children:
                stack.append(iter(node.children))
                break
        else:
            stack.pop()
    if open_at is not None:
        out.append(open_at[0])
    at = to_norms(nt, out) + [end]
    return Ranges(zip(at[::2], at[1::2]))


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


_OPENERS: dict[str, tuple[str, ...]] = {}  # what _INTRO, _TITLE or _COLLECTIVE can open with, by first character
for _w in (*_INTRO_WORDS, *_TITLE_WORDS, "Các", "các"):
    _OPENERS[_w[0]] = (*_OPENERS.get(_w[0], ()), _w)


def _may_open(text: str, pos: int, orgs: dict[int, int]) -> bool:
    """Whether the clause at `pos` may open with an agency (_agency_end, after an optional _INTRO): a cheap test
    that is true wherever _lead or _lead_words can be (an ORG starts there, or an opening word does)."""
    return pos in orgs or pos < len(text) and text.startswith(_OPENERS.get(text[pos], ()), pos)


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
    for mark, body, stop, depth in _iter_items(text, start, end, skip):
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
    """An item that names an agency and nothing else ("4. Công an tỉnh", "5. Các chủ rừng là tổ chức (…)").
    No verb at all comes first: _lead(text, body, stop, orgs) finds a lead only with a verb after it, so it need
    not be asked."""
    if _VERB.search(text, body, stop) or not _lead_words(text, body, stop, orgs):
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


def _recurring(text: str, a: int, b: int) -> tuple[int, int] | None:
    """(start, end) of the first "(nhiệm vụ) thường xuyên" closing a sentence in [a, b), as a pattern opening with
    an optional "nhiệm vụ" would find it, but scanned for its literal "thường" (an optional group first is tried at
    every position)."""
    m = _RECURRING.search(text, a, b)
    if m is None:
        return None
    k = m.start()
    while k > a and text[k - 1].isspace():
        k -= 1
    n = len("nhiệm vụ")
    if k < m.start() and k - n >= a and text.startswith("nhiệm vụ", k - n, k):
        return k - n, m.end()
    return m.start(), m.end()


def _task(nt: NormText, a: int, b: int, lead: str, head_end: int, dated, cites, starts, orgs) -> dict:
    """The fields of a Task, for _TASKS."""
    text = nt.text
    deadline = _deadline(text, a, b, dated, cites)
    if deadline is not None and deadline.kind == "deadline" and _YEARLY.match(nt.original, deadline.span.end):
        deadline = deadline.model_copy(update={"kind": "recurring", "end": None})  # "trước ngày 25/12 hàng năm"
    if deadline is None:
        r = _recurring(text, a, b)
        if r:
            s, e = nt.orig_span(*r)
            deadline = DateMention(kind="recurring", text=nt.original[s:e], span=Span(start=s, end=e))
    while b > a and text[b - 1] in " \t\n;,.:":
        b -= 1
    s, e = nt.orig_span(a, b)
    return {"source": "prose", "title": _clean(text[head_end:b]) or _clean(text[a:b]), "lead": lead,
            "lead_canonical": canonical_agency(lead), "coordinators": _coordinators(text, head_end - 1, b, orgs, starts),
            "deadline_text": deadline.text if deadline else None, "deadline": deadline, "span": {"start": s, "end": e}}

