"""docparse as a spaCy pipeline component: `nlp.add_pipe("docparse")` on a blank Vietnamese pipeline adds the
records as spans (`doc.spans["docparse"]`, labelled CITATION, DATE, INDICATOR, TASK, ORG, PER, LOC), the
non-overlapping ones except TASK as `doc.ents`, and the whole Document as `doc._.docparse`.

The factory is declared as a `spacy_factories` entry point (and the tokenizers as `spacy_tokenizers`), so spaCy
finds it without an import: `nlp.add_pipe("docparse")` and `spacy.load` of a saved pipeline work in a fresh
interpreter. spaCy is imported here only, so `import docparse` stays light. (spaCy's own "vi" tokenizer needs pyvi:
use docparse's, as below, or `spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})`.)

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "docparse.vi_tokenizer.v1"}}})
    nlp.add_pipe("docparse")          # or: nlp = docparse.spacy_component.blank_vietnamese()
    doc = nlp("Thực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2025 …")
    docs = list(nlp.pipe(texts, n_process=2))

How the Document travels with the Doc. spaCy serialises `doc.user_data` (where `doc._.*` values live) with msgpack
in `Doc.to_bytes`, which `nlp.pipe(n_process=…)` uses to send each doc back from the worker processes and `DocBin`
uses to store it; msgpack cannot encode a pydantic model ("can not serialize 'Document' object"). So the component
stores a JSON-able dict, `doc._.docparse_data` (`Document.model_dump(mode="json")`, without the full text when it
is the Doc's own text), and `doc._.docparse` is a getter that validates it back into a Document on first access and
caches the result for that Doc (the setter takes a Document or a dict). The dict costs about 3–4 % of parse time; it
needs no global msgpack hooks, and it survives `to_bytes`/`from_bytes`, pickling, `n_process` and `DocBin`.

`to_doc`, `to_docbin` and `render_html` turn already parsed Documents into Docs, a DocBin (`docparse export-spacy`)
and a displaCy page (`docparse render`).
"""
from __future__ import annotations

import html
import warnings
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.util import filter_spans

from .ner import blank_vietnamese  # the model's tokenizer: spans of the component and the model agree
from .pipeline import parse_text
from .schema import Document

SPAN_KEY = "docparse"
LABELS = ("CITATION", "DATE", "INDICATOR", "TASK", "ORG", "PER", "LOC")
ENT_LABELS = tuple(label for label in LABELS if label != "TASK")
LABEL_NAMES = {  # for the legend of `render`
    "CITATION": "viện dẫn văn bản",
    "DATE": "ngày tháng, thời hạn",
    "INDICATOR": "số liệu, chỉ tiêu",
    "TASK": "nhiệm vụ",
    "ORG": "cơ quan, tổ chức",
    "PER": "người",
    "LOC": "địa danh",
}
COLORS = {
    "CITATION": "#7aecec",
    "DATE": "#bfe1d9",
    "INDICATOR": "#feca74",
    "TASK": "#e4e7d2",
    "ORG": "#aa9cfc",
    "PER": "#ff9561",
    "LOC": "#ff8197",
}

# Document records → span labels; `entities` carry their own label (ORG, PER, LOC).
_FIELDS = (("citations", "CITATION"), ("dates", "DATE"), ("indicators", "INDICATOR"), ("tasks", "TASK"),
           ("entities", None))

_CACHE: weakref.WeakKeyDictionary[Doc, tuple[Any, Document]] = weakref.WeakKeyDictionary()


def _get_document(doc: Doc) -> Document | None:
    data = doc._.docparse_data
    if data is None:
        return None
    cached = _CACHE.get(doc)
    if cached is not None and cached[0] is data:
        return cached[1]
    record = Document.model_validate(data if "text" in data else {**data, "text": doc.text})
    _CACHE[doc] = (data, record)
    return record


def _set_document(doc: Doc, value: Document | Mapping[str, Any] | None) -> None:
    if value is None:
        doc._.docparse_data = None
        _CACHE.pop(doc, None)
        return
    record = value if isinstance(value, Document) else Document.model_validate(value)
    data = record.model_dump(mode="json", exclude={"text"} if record.text == doc.text else None)
    doc._.docparse_data = data
    _CACHE[doc] = (data, record)


# force=True: a reload of this module (or an older registration) must not leave a `docparse` default attribute.
Doc.set_extension("docparse_data", default=None, force=True)
Doc.set_extension("docparse", getter=_get_document, setter=_set_document, force=True)



def record_spans(record: Document) -> Iterator[tuple[str, int, int]]:
    """(label, start, end) for every record of the Document that is shown as a span, offsets into record.text."""
    for field, label in _FIELDS:
        for r in getattr(record, field, None) or ():
            if r.span.end > r.span.start:
                yield (label or r.label), r.span.start, r.span.end


def set_spans(doc: Doc, record: Document, span_key: str = SPAN_KEY, set_ents: bool = True) -> Doc:
    """Add the Document's records to `doc` (whose text must be record.text) as `doc.spans[span_key]`, each widened
    to whole tokens; with set_ents, also `doc.ents`: the spans except TASK, longest (then earliest) first where
    they overlap, as spacy.util.filter_spans chooses. Whitespace at either edge of a record is left out: a Doc keeps
    a single space as the previous token's `whitespace_`, so no span can start or end on it."""
    spans = []
    text = doc.text
    for label, start, end in record_spans(record):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is not None and len(span):
            spans.append(span)
    spans.sort(key=lambda s: (s.start, -s.end, LABELS.index(s.label_) if s.label_ in LABELS else len(LABELS)))
    doc.spans[span_key] = spans
    if set_ents:
        doc.ents = filter_spans([s for s in spans if s.label_ in ENT_LABELS])
    return doc


class DocparseComponent:
    """`entities`: "rules" (default), "model" or "hybrid" — how ORG/PER/LOC are found (see docparse.parse_text)."""

    def __init__(self, nlp: Language, name: str, span_key: str = SPAN_KEY, set_ents: bool = True,
                 entities: str = "rules"):
        self.name, self.span_key, self.set_ents, self.entities = name, span_key, set_ents, entities

    def __call__(self, doc: Doc) -> Doc:
        record = parse_text(doc.text, entities=self.entities)
        doc._.docparse = record
        return set_spans(doc, record, self.span_key, self.set_ents)


@Language.factory("docparse", default_config={"span_key": SPAN_KEY, "set_ents": True, "entities": "rules"})
def make_docparse(nlp: Language, name: str, span_key: str, set_ents: bool, entities: str) -> DocparseComponent:
    return DocparseComponent(nlp, name, span_key, set_ents, entities)


def to_doc(record: Document, nlp: Language | None = None, span_key: str = SPAN_KEY) -> Doc:
    """A Doc of an already parsed Document (from a file: PDF and DOCX too), tokenised by `nlp` (default:
    blank_vietnamese()), with its spans, ents and `doc._.docparse`; no re-parsing."""
    nlp = nlp or blank_vietnamese()
    doc = nlp.make_doc(record.text)
    doc._.docparse = record
    return set_spans(doc, record, span_key)


def to_docbin(records: Iterable[Document], nlp: Language | None = None, span_key: str = SPAN_KEY) -> DocBin:
    """A DocBin (store_user_data=True) of the Documents: text, `doc.spans[span_key]`, `doc.ents`, and the Document
    itself as `doc._.docparse_data`. Read it back with
    `DocBin().from_disk(path).get_docs(blank_vietnamese().vocab)` (after importing this module, `doc._.docparse`
    gives the Document)."""
    nlp = nlp or blank_vietnamese()
    docbin = DocBin(store_user_data=True)
    for record in records:
        docbin.add(to_doc(record, nlp, span_key))
    return docbin


def label_counts(docs: Iterable[Doc], span_key: str = SPAN_KEY) -> Counter:
    """How many spans of each label the docs carry in `doc.spans[span_key]`."""
    counts: Counter = Counter()
    for doc in docs:
        counts.update(s.label_ for s in doc.spans.get(span_key, []))
    return counts


def format_counts(counts: Counter, labels: Iterable[str] = LABELS) -> str:
    """"CITATION 12, DATE 30, …": each of `labels` in order (zeros too), then any other label counted."""
    labels = list(labels)
    labels += sorted(set(counts) - set(labels))
    return ", ".join(f"{label} {counts.get(label, 0)}" for label in labels)


_PARA, _GLUE = "\u2029", "\u2063"  # paragraph separator, invisible separator: markers for render_html


def _title(doc: Doc) -> str:
    record = doc._.docparse
    if record is None:
        return "Văn bản"
    kind = " ".join(x for x in (record.header.doc_type, record.header.code) if x) or "Văn bản"
    return f"{kind} — {record.source}" if record.source else kind


def render_html(docs: Iterable[Doc], style: str = "span", span_key: str = SPAN_KEY,
                title: str = "docparse: nhãn trên văn bản") -> str:
    """A standalone HTML page (displaCy) showing the labels on each doc's text, with a Vietnamese title and legend.
    style="span" shows every span of `doc.spans[span_key]`, overlapping ones stacked (citations with their dates,
    tasks with their deadlines); style="ent" shows `doc.ents` only, highlighted inline. Line breaks are kept."""
    from spacy import displacy

    if style not in ("span", "ent"):
        raise ValueError(f"style must be 'span' or 'ent', not {style!r}")
    options = {"colors": COLORS, "spans_key": span_key}
    parsed = []
    with warnings.catch_warnings():  # displaCy warns (W006/W117) about docs with nothing to show; not an error here
        warnings.simplefilter("ignore", UserWarning)
        for doc in docs:
            data = (displacy.parse_spans if style == "span" else displacy.parse_ents)(doc, options)
            data["title"] = html.escape(_title(doc))
            if style == "span":
                # the span renderer writes every token followed by a space, which folds line breaks away and
                # detaches punctuation ("tỉnh ,"): mark line breaks (U+2029) and tokens glued to the next one
                # (U+2063), and fix both below
                data["tokens"] = [_PARA * t.text.count("\n") if t.is_space and "\n" in t.text
                                  else t.text if t.whitespace_ or t.is_space else t.text + _GLUE for t in doc]
            parsed.append(data)
        markup = displacy.render(parsed, style=style, page=True, manual=True, options=options, jupyter=False)
    if style == "span":
        markup = markup.replace(_PARA + " ", "<br>").replace(_PARA, "<br>")
        markup = markup.replace(_GLUE + " ", "").replace(_GLUE, "")
    legend = " ".join(
        f'<span style="background: {COLORS[label]}; padding: 0.2em 0.5em; border-radius: 0.3em; margin-right: 0.5em">'
        f"<b>{label}</b> {LABEL_NAMES[label]}</span>" for label in (LABELS if style == "span" else ENT_LABELS))
    header = f'<h1 style="margin-top: 0">{html.escape(title)}</h1>\n<p style="line-height: 2.2">{legend}</p>\n'
    markup = markup.replace("<title>displaCy</title>", f"<title>{html.escape(title)}</title>", 1)
    markup = markup.replace("<head>", '<head>\n        <meta charset="utf-8">', 1)
    body_at = markup.find(">", markup.find("<body")) + 1
    return markup[:body_at] + header + markup[body_at:]


__all__ = ["COLORS", "ENT_LABELS", "LABELS", "SPAN_KEY", "DocparseComponent", "blank_vietnamese", "format_counts",
           "label_counts", "record_spans", "render_html", "set_spans", "to_doc", "to_docbin"]
