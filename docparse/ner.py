"""The statistical entity model (models/ner, trained by `make model`) and the tokenizer it was trained with.

spaCy is imported only when a model is asked for, so `import docparse` stays light; without a model (a plain
`pip install` of the package, or DOCPARSE_MODEL=none) every caller falls back to the rules of extract/entities.py."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from .schema import Entity, Span

TOKENIZER = "docparse.vi_tokenizer.v1"
WORD_TOKENIZER = "docparse.vi_word_tokenizer.v1"
LEXICON_TOKENIZER = "docparse.vi_lexicon_tokenizer.v1"
DEFAULT_MODEL = Path(__file__).resolve().parent.parent / "models" / "ner"


def register_tokenizer() -> None:
    """Whitespace-separated syllables with spaCy's default prefix and suffix rules, so "tỉnh," gives "tỉnh" + ","
    and entity edges fall on token edges. The only infixes are a comma between letters ("bộ,ngành") and a footnote
    mark's bracket ("tế[3]"), and a closing "./." is one suffix, so a symbol such as "06/CT-UBND" stays one token.
    Registered under TOKENIZER for the training config and for loading the model."""
    import spacy
    from spacy.lang.punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    if TOKENIZER in spacy.registry.tokenizers:
        return

    def syllables(nlp):
        infixes = [r"(?<=[^\W\d_]),(?=[^\W\d_])", r"(?<=[^\s\[])\[(?=\d)", r"\)(?=\[)"]  # "kê)[1]"
        return Tokenizer(nlp.vocab, prefix_search=compile_prefix_regex(TOKENIZER_PREFIXES).search,
                         suffix_search=compile_suffix_regex([r"\./\.", *TOKENIZER_SUFFIXES]).search,  # "Ủy ban./."
                         infix_finditer=compile_infix_regex(infixes).finditer)

    @spacy.registry.tokenizers(TOKENIZER)
    def create_tokenizer():
        return syllables

    @spacy.registry.tokenizers(WORD_TOKENIZER)
    def create_word_tokenizer():
        return lambda nlp: WordNorms(syllables(nlp))

    @spacy.registry.tokenizers(LEXICON_TOKENIZER)
    def create_lexicon_tokenizer():
        return lambda nlp: LexiconTags(syllables(nlp))


class _Features:
    """The syllable tokenizer plus one token attribute set from the text (a feature the model embeds); token
    edges unchanged, serialisation delegated to the syllable tokenizer."""

    def __init__(self, base):
        self.base = base

    def __call__(self, text: str):
        doc = self.base(text)
        self.annotate(text, doc)
        return doc

    def to_disk(self, path, **kwargs):
        self.base.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs):
        self.base.from_disk(path, **kwargs)
        return self

    def to_bytes(self, **kwargs):
        return self.base.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self.base.from_bytes(data, **kwargs)
        return self


class WordNorms(_Features):
    """Each token's NORM set to the underthesea word it belongs to ("Giáo", "dục", "và", "Đào", "tạo" →
    "giáo_dục_và_đào_tạo"): word segmentation as a feature of the model. underthesea runs at about 0.1 MB/s, so
    this is for experiments on the model path only."""

    @staticmethod
    def annotate(text, doc) -> None:
        spans = _word_spans(text)
        j = 0
        for tok in doc:
            while j < len(spans) and spans[j][1] <= tok.idx:
                j += 1
            if j < len(spans) and spans[j][0] <= tok.idx < spans[j][1] and not tok.is_space:
                tok.norm_ = spans[j][2]


class LexiconTags(_Features):
    """Each token's TAG set to the lexicon classes that cover it — gazetteer features, as classic NER systems
    use: H agency head ("Sở", "Ủy ban nhân dân"), D ministry domain ("Tài chính"), L level word ("tỉnh", "cấp
    xã"), P known place, S surname before a capitalised syllable, X a word that ends names (verbs, prepositions);
    "B" marks a match's first token. The model still decides every span from these and the words around them;
    the classes come from docparse/lexicon/entities.json, the same data the rules use."""

    @staticmethod
    def annotate(text, doc) -> None:
        from .extract.entities import lexicon_classes

        marks = lexicon_classes(text)
        for tok in doc:
            if not tok.is_space:
                tok.tag_ = marks.get(tok.idx, "O")


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, norm) of every multi-syllable word underthesea finds, line by line, in text order."""
    from underthesea import word_tokenize

    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        base, pos = pos, pos + len(line)
        if " " not in line.strip() or len(line) > 5000:
            continue
        cursor = 0
        for word in word_tokenize(line):
            k = line.find(word, cursor)
            if k < 0:
                continue
            cursor = k + len(word)
            if " " in word:
                out.append((base + k, base + cursor, "_".join(word.lower().split())))
    return out


def model_path() -> Path | None:
    """DOCPARSE_MODEL (a directory, or "none" to disable), else models/ner beside the package when it exists."""
    env = os.environ.get("DOCPARSE_MODEL")
    if env:
        return None if env.lower() in ("none", "0", "off") else Path(env)
    return DEFAULT_MODEL if (DEFAULT_MODEL / "meta.json").exists() else None


@lru_cache(maxsize=2)
def _load(path: str):
    import spacy

    register_tokenizer()
    return spacy.load(path)


def load_model():
    """The trained spaCy pipeline, loaded once, or None when no model is installed."""
    path = model_path()
    return _load(str(path)) if path is not None and (path / "meta.json").exists() else None


def blank_vietnamese():
    """A blank "vi" pipeline with the model's tokenizer (no pyvi)."""
    import spacy

    register_tokenizer()
    return spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})


def opening_orgs(texts: list[str], nlp=None, within: int = 0) -> list[tuple[int, str] | None]:
    """For each text, (end, text) of the first ORG the model finds starting at most `within` characters in (room
    for a title word such as "Bộ trưởng"), else None; one batch."""
    nlp = nlp or load_model()
    out: list[tuple[int, str] | None] = []
    for doc in nlp.pipe(texts, batch_size=64):
        first = next((e for e in doc.ents if e.label_ == "ORG" and e.start_char <= within), None)
        out.append((first.end_char, first.text) if first else None)
    return out


def model_entities(text: str, nlp=None) -> list[Entity]:
    """Entities the model finds in `text` (offsets into `text`)."""
    nlp = nlp or load_model()
    if nlp is None:
        return []
    doc = nlp(text)
    return [Entity(label=e.label_, text=e.text, source="model", span=Span(start=e.start_char, end=e.end_char))
            for e in doc.ents if e.label_ in ("ORG", "PER", "LOC")]


def underthesea_entities(text: str) -> list[Entity]:
    """underthesea's CRF NER (PER, LOC, ORG), line by line, with its tokens found back in `text` for offsets. Slow
    (word segmentation first): for evaluation and for short texts such as a signature block, never the hot path."""
    from underthesea import ner

    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        base, pos = pos, pos + len(line)
        if not line.strip() or len(line) > 2000:
            continue
        cursor, current = 0, None
        for token, _, _, tag in ner(line.replace("*", " ")):
            k = line.find(token, cursor)
            if k < 0:
                current = None
                continue
            cursor = k + len(token)
            label = tag[2:] if tag != "O" else None
            if tag.startswith("B-") or (label and (current is None or current[0] != label)):
                current = [label, base + k, base + cursor]
                out.append(current)
            elif tag.startswith("I-") and current is not None:
                current[2] = base + cursor
            else:
                current = None
    return [Entity(label=lab, text=text[a:b], source="model", span=Span(start=a, end=b))
            for lab, a, b in out if lab in ("ORG", "PER", "LOC")]

