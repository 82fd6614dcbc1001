"""The statistical entity model and the tokenizer it was trained with.

The model (spaCy pipeline "vi_docparse_ner", built by `make model`, card in models/README.md) is package data of
docparse, installed at docparse/models/ner: it reads tokens tagged from docparse's own lexicon, so it only works
with the docparse it was trained with, and shipping both in one wheel keeps them matched. spaCy is imported only
when a model is asked for, so `import docparse` stays light; without a model (DOCPARSE_MODEL=none, or a build
without it) callers fall back to the rules of extract/entities.py with a notice and a ModelMissingWarning."""
from __future__ import annotations

import os
import warnings
from functools import lru_cache
from pathlib import Path

from .schema import Entity, Span

TOKENIZER = "docparse.vi_tokenizer.v1"
WORD_TOKENIZER = "docparse.vi_word_tokenizer.v1"
LEXICON_TOKENIZER = "docparse.vi_lexicon_tokenizer.v1"
MODEL_NAME = "vi_docparse_ner"  # lang + "_" + meta.json's name, as spaCy names packaged pipelines
DEFAULT_MODEL = Path(__file__).resolve().parent / "models" / "ner"
UNDERTHESEA_EXTRA = "pip install 'docparse[underthesea]'"


class ModelMissingWarning(UserWarning):
    """The entity model was asked for (entities="model" or "hybrid") and is not there: the rules are used."""


class MissingExtraError(ImportError):
    """A path that needs an optional dependency (an extra of the docparse package) that is not installed."""


def _underthesea():
    """underthesea, an optional dependency (extra "underthesea"): only evaluation and model experiments use it."""
    try:
        import underthesea
    except ImportError as exc:
        raise MissingExtraError(f"Cần gói underthesea cho bước này; cài bằng: {UNDERTHESEA_EXTRA}") from exc
    return underthesea


def _syllables(nlp):
    """Whitespace-separated syllables with spaCy's default prefix and suffix rules, so "tỉnh," gives "tỉnh" + ","
    and entity edges fall on token edges. The only infixes are a comma between letters ("bộ,ngành") and a footnote
    mark's bracket ("tế[3]"), and a closing "./." is one suffix, so a symbol such as "06/CT-UBND" stays one token."""
    from spacy.lang.punctuation import TOKENIZER_PREFIXES, TOKENIZER_SUFFIXES
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    infixes = [r"(?<=[^\W\d_]),(?=[^\W\d_])", r"(?<=[^\s\[])\[(?=\d)", r"\)(?=\[)"]  # "kê)[1]"
    return Tokenizer(nlp.vocab, prefix_search=compile_prefix_regex(TOKENIZER_PREFIXES).search,
                     suffix_search=compile_suffix_regex([r"\./\.", *TOKENIZER_SUFFIXES]).search,  # "Ủy ban./."
                     infix_finditer=compile_infix_regex(infixes).finditer)


# The registered functions of TOKENIZER, WORD_TOKENIZER and LEXICON_TOKENIZER. pyproject.toml declares them as
# `spacy_tokenizers` entry points, so spaCy finds them by name in any interpreter (spacy.load of the model or of a
# saved pipeline, a training config) without importing docparse first.
def create_tokenizer():
    return _syllables


def create_word_tokenizer():
    return lambda nlp: WordNorms(_syllables(nlp))


def create_lexicon_tokenizer():
    return lambda nlp: LexiconTags(_syllables(nlp))


def register_tokenizer() -> None:
    """Register the tokenizers in spaCy's registry by hand: only needed where docparse is not installed (its entry
    points then are not there), e.g. a checkout put on sys.path."""
    import spacy

    for name, func in ((TOKENIZER, create_tokenizer), (WORD_TOKENIZER, create_word_tokenizer),
                       (LEXICON_TOKENIZER, create_lexicon_tokenizer)):
        if name not in spacy.registry.tokenizers:
            spacy.registry.tokenizers.register(name, func=func)


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
    word_tokenize = _underthesea().word_tokenize

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
    """Where the entity model is: DOCPARSE_MODEL (a directory, the name of an installed spaCy package such as
    vi_docparse_ner from `make model-package`, or "none" to disable), else the model installed with docparse
    (docparse/models/ner), else None. `spacy.load(docparse.ner.model_path())` loads it in any interpreter: its
    tokenizer is found through docparse's entry points."""
    env = os.environ.get("DOCPARSE_MODEL")
    if env:
        if env.lower() in ("none", "0", "off"):
            return None
        return _package_model(env) or Path(env)
    return DEFAULT_MODEL if (DEFAULT_MODEL / "meta.json").exists() else None


def _package_model(name: str) -> Path | None:
    """The data directory of an installed spaCy pipeline package (`<name>/<name>-<version>/`), found without
    importing it; None when `name` is not such a package."""
    import importlib.util

    if not name.isidentifier():
        return None
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    for root in (spec.submodule_search_locations or []) if spec else []:
        found = sorted(p.parent for p in Path(root).glob(f"{name}-*/meta.json"))
        if found:
            return found[-1]
    return None


def has_model() -> bool:
    path = model_path()
    return path is not None and (path / "meta.json").exists()


def missing_model_message() -> str:
    """Why no model is used, in Vietnamese, for the warning and for `docparse parse --strict`."""
    env = os.environ.get("DOCPARSE_MODEL")
    if env and env.lower() in ("none", "0", "off"):
        return f"mô hình nhận dạng thực thể bị tắt (DOCPARSE_MODEL={env})"
    return f"không có mô hình nhận dạng thực thể {MODEL_NAME} ({env or DEFAULT_MODEL})"


@lru_cache(maxsize=2)
def _load(path: str):
    import spacy

    register_tokenizer()  # a checkout on sys.path without an install has no entry points
    return spacy.load(path)


def load_model(warn: bool = True):
    """The trained spaCy pipeline, loaded once, or None when no model is installed (with a ModelMissingWarning
    when `warn`, since the caller asked for the model and gets the rules)."""
    if has_model():
        return _load(str(model_path()))
    if warn:
        warnings.warn(missing_model_message() + "; dùng quy tắc", ModelMissingWarning, stacklevel=2)
    return None


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
    ner = _underthesea().ner

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

