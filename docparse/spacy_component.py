"""docparse as a spaCy pipeline component: `nlp.add_pipe("docparse")` on a blank Vietnamese pipeline adds the
records as spans (`doc.spans["docparse"]`, labelled CITATION, DATE, INDICATOR, TASK), the non-overlapping ones as
`doc.ents`, and the whole Document as `doc._.docparse`.

Importing this module registers the factory; spaCy is imported here only, so `import docparse` stays light.

    import spacy, docparse.spacy_component
    nlp = docparse.spacy_component.blank_vietnamese()
    nlp.add_pipe("docparse")
    doc = nlp("Thực hiện Quyết định số 12/QĐ-UBND ngày 05/01/2025 …")
"""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import filter_spans

from .pipeline import parse_text

SPAN_KEY = "docparse"

if not Doc.has_extension("docparse"):
    Doc.set_extension("docparse", default=None)


def blank_vietnamese() -> Language:
    """A blank "vi" pipeline that needs no pyvi: syllables split on spaces, and punctuation split off with spaCy's
    default prefix/suffix rules, so "tỉnh," gives "tỉnh" + "," and spans end on words."""
    from spacy.lang.punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_prefix_regex, compile_suffix_regex

    nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
    nlp.tokenizer = Tokenizer(nlp.vocab, prefix_search=compile_prefix_regex(TOKENIZER_PREFIXES).search,
                              suffix_search=compile_suffix_regex(TOKENIZER_SUFFIXES).search)
    return nlp


class DocparseComponent:
    def __init__(self, nlp: Language, name: str, span_key: str = SPAN_KEY, set_ents: bool = True):
        self.name, self.span_key, self.set_ents = name, span_key, set_ents

    def __call__(self, doc: Doc) -> Doc:
        record = parse_text(doc.text)
        doc._.docparse = record
        spans = []
        for label, items in (("CITATION", record.citations), ("DATE", record.dates),
                             ("INDICATOR", record.indicators), ("TASK", record.tasks)):
            for r in items:
                span = doc.char_span(r.span.start, r.span.end, label=label, alignment_mode="expand")
                if span is not None:
                    spans.append(span)
        doc.spans[self.span_key] = spans
        if self.set_ents:
            doc.ents = filter_spans([s for s in spans if s.label_ != "TASK"])
        return doc


@Language.factory("docparse", default_config={"span_key": SPAN_KEY, "set_ents": True})
def make_docparse(nlp: Language, name: str, span_key: str, set_ents: bool) -> DocparseComponent:
    return DocparseComponent(nlp, name, span_key, set_ents)


__all__ = ["blank_vietnamese", "DocparseComponent", "SPAN_KEY"]
