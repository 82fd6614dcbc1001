"""Pydantic records. Every record carries a `span` into `Document.text` (the text as read, before normalisation),
so `doc.text[r.span.start:r.span.end] == r.text` and a reviewer can always see the evidence."""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1.0"


class _FieldsSet(set):
    """pydantic's per-record `__pydantic_fields_set__` (the names given at construction), shared by every record of a
    class built with the same names: a set of 5 or more names takes 728 bytes, as much as the rest of a small record,
    and a document has one per record and per span. An assignment never adds a name to a shared set: before it
    would, the record moves to the shared set that has that name too (Record.__setattr__). Copies (model_copy, copy,
    pickle) get their own set from pydantic."""

    __slots__ = ()


_SHARED_FIELDS: dict[frozenset, _FieldsSet] = {}


def _shared(names: set[str]) -> _FieldsSet:
    key = frozenset(names)
    shared = _SHARED_FIELDS.get(key)
    if shared is None:
        shared = _SHARED_FIELDS.setdefault(key, _FieldsSet(key))
    return shared


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def model_post_init(self, context: Any, /) -> None:
        object.__setattr__(self, "__pydantic_fields_set__", _shared(self.__pydantic_fields_set__))

    def __setattr__(self, name: str, value: Any) -> None:
        names = self.__pydantic_fields_set__
        if type(names) is _FieldsSet and name not in names:
            # the shared set that has the name too (pydantic's own `add` then changes nothing): a set per record
            # assigned to (every citation's is_self, every task's canonical names) held a sixth of a document
            after = _AFTER.get((type(self), id(names), name))
            if after is None and name in type(self).__pydantic_fields__:
                after = _shared(names | {name})
                if _SHARED_FIELDS.get(frozenset(names)) is names:  # kept for good: its id stays its own
                    _AFTER[type(self), id(names), name] = after
            if after is not None:
                object.__setattr__(self, "__pydantic_fields_set__", after)
        super().__setattr__(name, value)


# (record class, id of a shared set, name) → the shared set with the name too: the move an assignment makes, found
# once (a set made, its frozenset hashed) and then looked up
_AFTER: dict[tuple[type, int, str], _FieldsSet] = {}


class Span(Record):
    start: int
    end: int


def trusted_records(model: type[Record], rows: list[dict]) -> list:
    """[model.model_validate(row) for row in rows] made without validating: for the records the parser builds from
    its own values (tens of thousands a corpus pass), where validation cost up to 40 % of a layer and pydantic's
    model_construct is slower still. The rows must be what validation would keep as is: every value already of its
    field's type (a date a datetime.date, a flag a bool), every row with the keys of the first, its "span" a dict of
    "start" then "end" (it becomes the Span's own dict). The records equal the validated ones, down to the JSON key
    order, the defaults and the shared set of the names given (tests/test_speed_refs.py and the layers' speed tests
    compare them); the one place that relies on pydantic's three per-record slots."""
    if not rows:
        return []
    key = (model, tuple(rows[0]))
    got = _TRUSTED.get(key)
    if got is None:
        got = _TRUSTED[key] = _trusted_marks(model, rows[0])
    defaults, factories, whole, names, extra, private = got
    s_names = _SPAN_NAMES
    new, put = object.__new__, object.__setattr__
    out = []
    for row in rows:
        span = new(Span)
        put(span, "__dict__", row["span"])
        put(span, "__pydantic_fields_set__", s_names)
        put(span, "__pydantic_extra__", None)
        put(span, "__pydantic_private__", None)
        if whole:  # every field, in the schema's order: the row itself becomes the record's dict
            values = row
        else:
            values = defaults.copy()  # the schema's order, with its defaults; the row's keys keep their places
            values.update(row)
            for name, factory in factories:
                values[name] = factory()
        values["span"] = span
        record = new(model)
        put(record, "__dict__", values)
        put(record, "__pydantic_fields_set__", names)
        put(record, "__pydantic_extra__", extra)
        put(record, "__pydantic_private__", private)
        out.append(record)
    return out


# (model, the rows' keys) → (every field with its default in the schema's order, the default factories of the fields
# not given, whether the rows hold every field in that order, and what pydantic leaves on a record validated from
# such a row besides its values)
_TRUSTED: dict[tuple, tuple] = {}


def _trusted_marks(model: type[Record], sample: dict) -> tuple:
    record = model.__pydantic_validator__.validate_python(sample)
    defaults, factories = {}, []
    for name, info in model.model_fields.items():
        defaults[name] = None if info.is_required() or info.default_factory else info.default
        if info.default_factory and name not in sample:
            factories.append((name, info.default_factory))
    whole = tuple(sample) == tuple(defaults) and not factories
    return (defaults, tuple(factories), whole, record.__pydantic_fields_set__, record.__pydantic_extra__,
            record.__pydantic_private__)


_SPAN_NAMES = Span(start=0, end=0).__pydantic_fields_set__


DateKind = Literal["date", "month", "quarter", "half_year", "year", "range", "deadline", "recurring", "condition"]
Grain = Literal["day", "month", "quarter", "half_year", "year"]


class DateMention(Record):
    """A date is a value plus a grain; a period is an interval with an exclusive `end` (Duckling style).
    A deadline ("trước ngày 30/11/2025") has only an `end`; a recurring one ("Thường xuyên") has neither."""

    kind: DateKind
    start: dt.date | None = None
    end: dt.date | None = None
    grain: Grain | None = None
    valid: bool = True
    year_inferred: bool = Field(False, description="the year was not written and was taken from the document date")
    text: str
    span: Span


class Citation(Record):
    """A mention of another document (or of the document itself, `is_self`)."""

    doc_type: str | None = Field(None, description="canonical type name, e.g. 'Quyết định'")
    doc_type_source: Literal["text", "symbol", "enumeration", "default"] | None = None
    number: str | None = None
    year: int | None = None
    symbol: str | None = None
    code: str | None = Field(None, description="number/symbol as written, without spaces and markup")
    date: dt.date | None = None
    date_partial: str | None = Field(None, description="'2023-06' when a draft leaves the day blank")
    date_valid: bool = True
    issuer: str | None = None
    subject: str | None = None
    name: str | None = Field(None, description="name of a law cited by name ('Luật Đất đai')")
    relation: str | None = Field(None, description="căn cứ, thực hiện, theo, thay thế, sửa đổi, bãi bỏ, kèm theo …")
    pinpoint: str | None = Field(None, description="'khoản 1 Điều 4' before the reference")
    is_self: bool = False
    group: int = Field(0, description="mentions listed one after another (an enumeration) share a group number")
    resolved_to: str | None = Field(None, description="the corpus document this cites, when it is in the corpus")
    linked_code: str | None = Field(None, description="for a law cited by name only: the code its name (and year or "
                                                      "date) picks out, e.g. '72/2025/QH15'")
    link_source: Literal["corpus", "lexicon"] | None = Field(
        None, description="where linked_code comes from: coded mentions of the same name in the corpus, or the "
                          "laws lexicon")
    authority: str | None = Field(None, description="the register the number belongs to: 'TTg', 'BTC' for a "
                                                    "nation-wide series, 'UBND tỉnh Đồng Nai' for a local one")
    authority_source: Literal["symbol", "citation", "citing_document", "header", "unknown"] | None = Field(
        None, description="where the authority comes from: the symbol, the citation's own issuer, the citing "
                          "document's issuer ('header' for a self-citation), or unknown")
    text: str
    span: Span


class FormRef(Record):
    """A form or template number written like a document code ("mẫu số 03/TNDN", "Biểu số 05-PA", "phụ lục số
    02/PL"): it names a form, not a document, so it is kept here and never listed among the citations. Plain numbers
    ("mẫu số 01") are not collected."""

    kind: str = Field(description="the word before the number, lower-case: 'mẫu', 'biểu', 'mẫu biểu', 'phụ lục', "
                                  "'tờ khai'")
    code: str = Field(description="as written, without spaces and markup: '03/TNDN', '05-PA'")
    text: str
    span: Span


class Indicator(Record):
    """A figure stated in the text: a count, a percentage, a ratio, an amount of money or another quantity."""

    kind: Literal["count", "percent", "ratio", "money", "quantity"]
    value: float | None = Field(None, description="after conventions and scale words; a ratio's value is num/den")
    numerator: float | None = None
    denominator: float | None = None
    unit: str | None = Field(None, description="the counted noun (hồ sơ, TTHC …), % or VND")
    qualifier: str | None = Field(None, description="khoảng, ước đạt, gần, trên, dưới, tối thiểu, tối đa, đạt, hơn")
    label: str | None = Field(None, description="what is measured, for a dashboard")
    scope: str | None = Field(None, description="cấp tỉnh / cấp huyện / cấp xã when the sentence says so")
    decimals: int = 0
    ambiguous: bool = False
    malformed: bool = False
    note: str | None = None
    text: str
    span: Span


class StatRow(Record):
    """A row of a statistical appendix form (STT | Chỉ tiêu | Đơn vị tính | Số liệu | Ghi chú)."""

    form: int = Field(0, description="which form (Biểu mẫu) of the document, in order")
    code: str = Field(description="hierarchical row code without the trailing dot: 3.1.2")
    label: str
    unit: str | None = None
    value: float | None = None
    value_text: str | None = None
    percent: bool = False
    decimals: int = 0
    ambiguous: bool = False
    malformed: bool = False
    note: str | None = None
    span: Span


TaskStatus = Literal["done", "in_progress", "not_started", "unknown"]


class Task(Record):
    """A row of a task table (or, later, an assignment clause in prose): who must do what by when."""

    source: Literal["table", "prose"] = "table"
    table: int = Field(0, description="which task table of the document, in order")
    group: str | None = Field(None, description="the heading row above, e.g. '3. Cải cách thủ tục hành chính'")
    index: str | None = Field(None, description="the TT cell: '1', 'a)'")
    title: str
    lead: str | None = Field(None, description="chủ trì as written")
    lead_canonical: str | None = Field(None, description="the agency's canonical name when it is recognised")
    coordinators: list[str] = Field(default_factory=list, description="phối hợp")
    coordinators_canonical: list[str | None] = Field(
        default_factory=list, description="the agency each coordinator names (canonical when known), aligned with "
                                          "coordinators; null for a collective such as 'các sở, ngành'")
    product: str | None = None
    deadline_text: str | None = None
    deadline: DateMention | None = None
    status: TaskStatus | None = Field(None, description="only when the table has a result/status column")
    result: str | None = None
    assigning_document: str | None = None
    note: str | None = None
    citations: list[str] = Field(default_factory=list, description="codes of the documents cited in the row")
    span: Span


DurationUnit = Literal["working_day", "day", "hour"]


class ProcedureStep(Record):
    """A row of a procedure-step table (quy trình nội bộ): who does what in how long. `duration` is in
    `duration_unit` as written (hours stay hours; 8 working hours make a working day when steps are summed)."""

    procedure: str | None = Field(None, description="name of the procedure when the heading gives it")
    table: int = Field(0, description="which procedure table of the document, in order")
    step: str | None = Field(None, description="the step cell as written: 'Bước 1', 'B2', '3'")
    unit: str | None = Field(None, description="bộ phận / trách nhiệm thực hiện")
    content: str = ""
    duration_text: str | None = None
    duration: float | None = Field(None, description="None when the time cell is not a number ('Theo quy định')")
    duration_unit: DurationUnit | None = None
    counted: bool = Field(True, description="False for a step the table does not count ('Không tính thời gian')")
    span: Span


class Procedure(Record):
    """A procedure-step table with the total time the document states for it."""

    name: str | None = None
    table: int = 0
    steps: list[ProcedureStep] = Field(default_factory=list)
    total_text: str | None = None
    total: float | None = None
    total_unit: DurationUnit | None = None
    total_bound: Literal["exact", "at_most"] | None = Field(
        None, description="'exact' for a total row or 'Tổng thời gian …', 'at_most' for 'Thời hạn giải quyết: "
                          "không quá …'")
    total_span: Span | None = None
    doubts: list[str] = Field(default_factory=list, description="why the steps cannot simply be added up")
    span: Span


class Entity(Record):
    """A named agency (ORG), person (PER) or place (LOC) mentioned in the text. `source` says which path found it:
    the agency lexicon and patterns ("rules") or the statistical model in models/ ("model")."""

    label: Literal["ORG", "PER", "LOC"]
    text: str
    canonical: str | None = Field(None, description="the agency's canonical name when the lexicon knows it")
    source: Literal["rules", "model"] = "rules"
    span: Span


class Signer(Record):
    authority: str | None = Field(None, description="TM., KT., TL., TUQ., Q. (or Party T/M, K/T, T/L)")
    authority_body: str | None = None
    title: str | None = None
    name: str | None = None
    span: Span


class FieldSpan(Record):
    field: str
    span: Span


class Header(Record):
    source: Literal["body", "portal", "none"] = "none"
    doc_type: str | None = None
    doc_type_source: Literal["title", "vv", "symbol", "portal"] | None = None
    parent: str | None = None
    issuer: str | None = None
    issuer_canonical: str | None = Field(None, description="the issuer as running text writes it, canonical when "
                                                           "the lexicon knows it: 'Ủy ban nhân dân tỉnh Nghệ An'")
    number: str | None = None
    year: int | None = Field(None, description="year inside a legal code: 48/2025/NQ-HĐND")
    symbol: str | None = None
    code: str | None = None
    place: str | None = None
    date: dt.date | None = None
    date_partial: str | None = Field(None, description="'2025-07' when the day is left blank in a draft")
    date_valid: bool = True
    title: str | None = None
    subject_vv: str | None = Field(None, description="the 'V/v' line of a công văn")
    recipients: list[str] = Field(default_factory=list, description="Kính gửi")
    signer: Signer | None = None
    cc: list[str] = Field(default_factory=list, description="Nơi nhận")
    fields: list[FieldSpan] = Field(default_factory=list, description="where each header field was read")
    span: Span | None = None


class Section(Record):
    kind: Literal["part", "chapter", "mục", "article", "upper", "roman", "arabic", "letter", "bullet", "appendix"]
    numbering: str
    title: str
    level: int
    span: Span
    children: list["Section"] = Field(default_factory=list)


class Notice(Record):
    """Something about the input a person should know (damaged encoding, no header, a draft …)."""

    code: str
    message: str
    span: Span | None = None


class Line(Record):
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    span: Span


class Page(Record):
    number: int
    width: float | None = None
    height: float | None = None
    span: Span
    lines: list[Line] = Field(default_factory=list)
    furniture: list[str] = Field(default_factory=list, description="running headers/footers dropped from the text")


class Cell(Record):
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    text: str
    span: Span


class Table(Record):
    n_rows: int
    n_cols: int
    cells: list[Cell]
    page: int | None = None
    span: Span


Severity = Literal["error", "warning", "info"]


class Evidence(Record):
    """One piece of evidence: a span of a document's text."""

    document: str | None = None
    span: Span
    text: str


class Finding(Record):
    """An inconsistency (or a note) found by a check; `code` is a stable English id, `message` Vietnamese."""

    code: str
    severity: Severity
    message: str
    document: str | None = None
    spans: list[Evidence] = Field(default_factory=list)
    data: dict[str, Any] = Field(default_factory=dict)


class ParagraphStyle(Record):
    """One DOCX paragraph's effective look (run, style chain and document defaults resolved): the fonts and sizes its
    runs use, and whether they are all bold / italic (None when mixed)."""

    fonts: list[str] = Field(default_factory=list, description="font names of the runs with text (a theme font by "
                                                               "the theme's typeface; '(theme)' when it is unreadable)")
    sizes: list[float] = Field(default_factory=list, description="point sizes of the runs with text")
    bold: bool | None = None
    italic: bool | None = None
    in_table: bool = False
    span: Span


class Presentation(Record):
    """Page and type of a DOCX file (NĐ 30/2020 Phụ lục I), read with python-docx from the file itself."""

    page_width_mm: float | None = None
    page_height_mm: float | None = None
    margin_top_mm: float | None = None
    margin_bottom_mm: float | None = None
    margin_left_mm: float | None = None
    margin_right_mm: float | None = None
    page_number: Literal["header", "footer", "none"] = "none"
    page_number_first_page: bool = Field(False, description="the page number is shown on page 1 too")
    paragraphs: list[ParagraphStyle] = Field(default_factory=list)


class Document(Record):
    schema_version: str = SCHEMA_VERSION
    source: str | None = None
    format: Literal["txt", "md", "pdf", "docx", "doc", "rtf", "odt", "text"] = "text"
    sha256: str
    text: str
    header: Header
    sections: list[Section] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    forms: list[FormRef] = Field(default_factory=list, description="form numbers written like codes: not citations")
    dates: list[DateMention] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    stat_rows: list[StatRow] = Field(default_factory=list)
    tasks: list[Task] = Field(default_factory=list)
    procedures: list[Procedure] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    pages: list[Page] = Field(default_factory=list)
    notices: list[Notice] = Field(default_factory=list)
    presentation: Presentation | None = Field(
        None, description="DOCX only: page setup and type, read from the file at `source` on first use by the "
                          "format.* checks (docparse.presentation.presentation_of)")

    def snippet(self, span: Span) -> str:
        return self.text[span.start : span.end]

    def iter_sections(self):
        stack = list(reversed(self.sections))
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))
