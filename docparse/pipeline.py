"""read → normalise → extract, one way. Checks and export live elsewhere and take a finished Document."""
from __future__ import annotations

import hashlib
import os
from datetime import MAXYEAR, MINYEAR

from .extract import detect_portal, extract_dates, extract_header, extract_structure
from .extract.dates import MAX_DATES, lower_same_length
from .extract.citations import MAX_CITATIONS, find_references
from .extract.assignments import extract_assignments
from .extract.entities import MAX_ENTITIES, agency_in, canonical_agency, find_entities, issuer_name, plain_name
from .extract.indicators import MAX_INDICATORS, extract_indicators
from .extract.portal import PortalLayout
from .extract.ranges import Ranges
from .extract.spans import to_norms
from .extract.stat_tables import extract_stat_rows
from .extract.tables import bar_lines, find_grids, pipe_regions
from .extract.flat_tasks import extract_flat_tasks
from .extract.tasks import extract_tasks
from .extract.procedures import extract_procedures
from .ner import load_model, model_entities, opening_orgs
from .identity import set_authorities
from .guard import guarded, time_budget
from .normalize import NormText, normalize
from .readers import SourceText, check_text, check_text_size
from .readers.txt import diagnose
from .safe import to_int
from .schema import Document, Entity, Header, Notice


_FORMATS = frozenset(Document.model_fields["format"].annotation.__args__)  # what Document.format may say


def _is_self(c, header, text: str) -> bool:
    if c.is_self:
        return True
    if not header.symbol or not c.symbol or c.symbol.upper() != header.symbol.upper():
        return False
    if "(kèm theo" in text[max(0, c.span.start - 16):c.span.start].lower() and c.doc_type == header.doc_type:
        return True  # an appendix's "(Kèm theo Quyết định số …)" names its own document, even with a wrong number
    if header.number and c.number:
        if c.number.lstrip("0") != header.number.lstrip("0"):
            return False
        return not (header.date and c.date and c.year and header.date.year != c.year)
    return (c.relation or "") == "kèm theo"


def _mark_self(citations, header, text: str) -> None:
    for c in citations:
        c.is_self = _is_self(c, header, text)


def build_document(src: SourceText, entities: str = "rules", *, max_text_bytes: int | None = None,
                   layers=None) -> Document:
    """`entities`: "rules" (the default, fast), "model" (the model in docparse/models/ner, when installed, also asked
    about assignment clauses the rules cannot open and about lead and coordinator cells), or "hybrid" (as "model", and
    its entities join the rules' ones wherever the rules found nothing). Without a model, "model" and "hybrid" fall
    back to rules with a notice. The layers share the document's time budget (docparse.guard.time_budget).
    `layers`: see resolve_layers; the layers left out stay empty."""
    sha256 = _checked_sha256(src, max_text_bytes)
    with time_budget():
        return _build_document(src, entities, resolve_layers(layers), sha256)


def _checked_sha256(src: SourceText, max_text_bytes: int | None) -> str:
    """check_text's answer (FileTooLargeError past DOCPARSE_MAX_TEXT_BYTES, NotTextError for a lone surrogate) and
    the text's SHA-256 from one UTF-8 encoding, dropped at once (it would otherwise be made twice, and live at the
    end of the parse beside every record)."""
    check_text_size(src.text, src.path, max_text_bytes)
    try:
        data = src.text.encode("utf-8")  # fails only on a lone surrogate
    except UnicodeEncodeError:
        check_text(src.text, src.path, max_text_bytes)  # raises NotTextError naming it
        data = src.text.encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()


# what each layer reads from others; the header (and normalisation) always run
LAYERS = ("citations", "dates", "structure", "stat_rows", "tables", "indicators", "procedures", "tasks", "entities",
          "assignments")
NEEDS = {"indicators": ("citations", "dates", "stat_rows", "tables"), "procedures": ("tables",),
         "tasks": ("tables", "procedures", "citations", "dates"),
         "assignments": ("entities", "dates", "citations", "structure", "tasks")}


def resolve_layers(layers=None) -> frozenset[str]:
    """The layers to run: the ones asked for (a set of names from LAYERS, or one string "citations,dates") and the
    ones they read from (NEEDS). None: DOCPARSE_LAYERS when set (how `docparse parse --layers` reaches worker
    processes), else all. A partial Document suits the layers asked for, not docparse.check."""
    if layers is None:
        layers = os.environ.get("DOCPARSE_LAYERS") or LAYERS
    if isinstance(layers, str):
        layers = [name.strip() for name in layers.split(",") if name.strip()]
    unknown = sorted(set(layers) - set(LAYERS))
    if unknown:
        raise ValueError(f"không có lớp {', '.join(unknown)}; các lớp: {', '.join(LAYERS)}")
    todo, want = list(layers), set()
    while todo:
        name = todo.pop()
        if name not in want:
            want.add(name)
            todo.extend(NEEDS.get(name, ()))
    return frozenset(want)


def _build_document(src: SourceText, entities: str, want: frozenset[str], sha256: str) -> Document:
    text = src.text
    failed: list[Notice] = []  # an "internal.error" per layer that failed (its result falls back to empty), the cuts

    def run(layer, default, func, *args, **kwargs):
        return guarded(layer, failed, default, func, *args, **kwargs)

    def run_if(layer, default, func, *args, **kwargs):
        return guarded(layer, failed, default, func, *args, **kwargs) if layer in want else default

    nt = run("normalize", None, normalize, text) or NormText.identity(text)
    layout = run("portal", None, detect_portal, nt.text) or PortalLayout(0, len(nt.text))
    header, header_notices = run("header", (Header(), []), extract_header, nt, layout)
    header.issuer_canonical = run("issuer", None, issuer_name, header.issuer, header.parent)
    body = [(layout.body_start, layout.body_end)]
    exclude = []
    number_field = next((fs for fs in header.fields if fs.field == "number"), None)
    if number_field is not None:
        # the header's own "Số: …" is not a reference; map its original span back to normalised offsets
        exclude.append((nt.to_norm(number_field.span.start), nt.to_norm(number_field.span.end)))
    year = header.date.year if header.date else to_int(header.date_partial[:4]) if header.date_partial else None
    year = year if year and MINYEAR <= year <= MAXYEAR else None  # "năm 0000" lends no year to "quý II"
    # the lower case both layers match on, made once (and in pieces: a whole-text str.lower holds ten times the text)
    low = run("lower", None, lower_same_length, nt.text) if "citations" in want or "dates" in want else None
    citations, forms = run_if("citations", ([], []), find_references, nt, regions=body, exclude=exclude, low=low)
    if citations:
        run("citations", None, _mark_self, citations, header, text)
        run("authorities", None, set_authorities, citations, header)
    dates = run_if("dates", [], extract_dates, nt, year, regions=body, low=low)
    del low
    # the "|" lines: the section tree skips one-cell-per-line tables, the table readers read them
    bars = run("tables", [], bar_lines, nt.text, layout.body_start, layout.body_end) \
        if "structure" in want or "tables" in want else []
    sections = run_if("structure", [], extract_structure, nt, layout.body_start, layout.body_end, bars)
    stat_rows, row_ranges = run_if("stat_rows", ([], []), extract_stat_rows, nt, layout.body_start, layout.body_end)
    taken = []  # the citations' then the dates' spans in normalised offsets: what the numbers must not be read
    if "indicators" in want or "assignments" in want:  # from, and what assignments read deadlines from
        taken = to_norms(nt, [p for r in [*citations, *dates] for p in (r.span.start, r.span.end)])
        taken = list(zip(taken[::2], taken[1::2]))
    grids = run_if("tables", [], find_grids, nt.text, layout.body_start, layout.body_end, bars)
    pipe_tables = run_if("tables", [], pipe_regions, bars)
    indicators = run_if("indicators", [], extract_indicators, nt, regions=body, exclude=taken + row_ranges,
                     tables=pipe_tables)
    procedures, not_task_tables = run_if("procedures", ([], []), extract_procedures, nt, grids, bars)
    tasks = run_if("tasks", [], extract_tasks, nt, grids, citations, dates, not_task_tables)
    if not tasks and "tasks" in want:  # no table marks at all: try the flattened-stream reading
        tasks = run("flat_tasks", [], extract_flat_tasks, nt, layout.body_start, layout.body_end, citations, dates, 0)
    grids = [(g.start, g.end) for g in grids]  # all that is left to read of them (the table text goes: memory)
    del bars
    model, model_notices = _model(entities)
    # the portal's banner names agencies too
    kind, entities = entities, run_if("entities", [], find_entities, nt, header=header)
    for found, cap, code, what in ((citations, MAX_CITATIONS, "citations.truncated", "văn bản viện dẫn"),
                                   (dates, MAX_DATES, "dates.truncated", "mốc thời gian"),
                                   (indicators, MAX_INDICATORS, "indicators.truncated", "số liệu"),
                                   (entities, MAX_ENTITIES, "entities.truncated", "tên cơ quan, người, địa danh")):
        if len(found) >= cap:  # a cap far above real documents, against text made of nothing else
            failed.append(Notice(code=code, message=f"Văn bản có quá nhiều {what}; chỉ đọc {cap:,} {what} đầu tiên."
                                 .replace(",", ".")))
    if model is not None and kind == "hybrid" and "entities" in want:
        entities = _merge_entities(entities, run("entities", [], model_entities, text, model))
    if "assignments" in want:
        skip = grids + pipe_tables + \
            [(nt.to_norm(t.span.start), nt.to_norm(t.span.end)) for t in tasks]  # flattened tables have no grid
        prose_start = max(layout.body_start, nt.to_norm(header.span.end) if header.span else 0)
        tasks += run("assignments", [], extract_assignments, nt, prose_start, layout.body_end, entities, dates,
                     [(c.span.start, c.span.end) for c in citations], skip, sections,
                     org_prefixes=(lambda snippets: [o and o[0] for o in opening_orgs(snippets, model)])
                     if model else None, norm_dates=taken[len(citations):], norm_citations=taken[:len(citations)])
    notices = list(src.notices) + nt.notices + header_notices + model_notices
    del nt, taken, grids  # the cleaned text and its map are not needed for the Document: gone before what follows
    if tasks:
        run("agencies", None, _normalise_agencies, tasks, model)
    if src.format == "text":
        notices.extend(run("encoding", [], diagnose, text))
    notices.extend(failed)
    fmt = src.format if src.format in _FORMATS else "text"
    return Document(source=src.path, format=fmt, sha256=sha256, text=text,
                    header=header, sections=sections, citations=citations, forms=forms, dates=dates,
                    indicators=indicators, stat_rows=stat_rows, tasks=tasks, procedures=procedures, entities=entities, tables=src.tables,
                    pages=src.pages, notices=notices)


def _model(kind: str):
    if kind not in ("rules", "model", "hybrid"):
        raise ValueError(f"entities must be 'rules', 'model' or 'hybrid', not {kind!r}")
    if kind == "rules":
        return None, []
    model = load_model()
    if model is None:
        return None, [Notice(code="entities.no_model", message="Không có mô hình nhận dạng thực thể "
                             "(docparse/models/ner); dùng quy tắc.")]
    return model, []


def _normalise_agencies(tasks, model) -> None:
    """Each lead the lexicon does not know, and each coordinator, gets the agency it opens with: by rules, or by the
    model (one batch) when asked, the rules filling what the model leaves."""
    todo = [t for t in tasks if t.lead and not t.lead_canonical]
    cells = [t.lead for t in todo] + [c for t in tasks for c in t.coordinators]
    found = opening_orgs(cells, model, within=12) if model is not None and cells else [None] * len(cells)
    names = [(canonical_agency(plain_name(org[1])) or plain_name(org[1])) if org else agency_in(cell)
             for cell, org in zip(cells, found)]
    for t, name in zip(todo, names):
        t.lead_canonical = name
    rest = iter(names[len(todo):])
    for t in tasks:
        t.coordinators_canonical = [next(rest) for _ in t.coordinators]


def _merge_entities(rules: list[Entity], model: list[Entity]) -> list[Entity]:
    """The model's entities where no rule entity overlaps them (the rules are more precise; see models/README.md)."""
    taken = Ranges((e.span.start, e.span.end) for e in rules)
    extra = [e for e in model if not taken.overlaps(e.span.start, e.span.end)]
    return sorted(rules + extra, key=lambda e: e.span.start)


def parse_text(text: str, *, source: str | None = None, entities: str = "rules",
               max_bytes: int | None = None, layers=None) -> Document:
    """Parse a document given as a string (already decoded). `entities`: see build_document. A text over
    `max_bytes` of UTF-8 (default DOCPARSE_MAX_TEXT_BYTES, 8 MiB) raises FileTooLargeError. `layers`: only these
    (and what they need, see resolve_layers), e.g. {"citations", "dates"}."""
    if not isinstance(text, str):
        raise TypeError("parse_text() takes a str; use parse() for files or bytes")
    src = SourceText(text=text, format="text", path=source)
    return build_document(src, entities, max_text_bytes=max_bytes, layers=layers)


def parse(path, *, name: str | None = None, format: str | None = None, entities: str = "rules",
          max_bytes: int | None = None, layers=None, ocr: str | None = None,
          pdf_engine: str | None = None) -> Document:
    """Parse a .txt/.md, .pdf or .docx file: a path, bytes, or a binary file object. Bytes and file objects take
    their format from `format` ("txt", "md", "pdf", "docx"), else as a file does: from what their content plainly is,
    else from `name`'s extension (docparse.readers.inputs); `name` becomes the Document's source. Raises a
    DocparseError subclass naming the file (or "<bytes>") on bad input; an input over `max_bytes` (default
    DOCPARSE_MAX_BYTES, 64 MiB) FileTooLargeError.
    `layers`: see parse_text. `ocr`: "auto" (PDF pages without text are recognised), "force" (every page), "never";
    None: DOCPARSE_OCR, else "auto" (docparse.readers.ocr). `pdf_engine`: "pdfminer" or "pdfium" (docparse[fast-pdf]);
    None: DOCPARSE_PDF_ENGINE, else "pdfminer" (docparse.readers.pdf_engine)."""
    from .readers.inputs import read_input
    from .readers.ocr import using_ocr
    from .readers.pdf_engine import using_pdf_engine

    with using_ocr(ocr), using_pdf_engine(pdf_engine):
        src = read_input(path, name=name, format=format, max_bytes=max_bytes)
    return build_document(src, entities, layers=layers)
