"""Turn a trained pipeline into the shipped model: a complete meta.json and a config.cfg without the build machine's
paths. Called by `make model`; the held-out scores are measured here, so the card and meta.json cannot disagree.

    python models/finalize.py [SRC] [DEST]   # default: models/training/model-best → docparse/models/ner
"""
import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from thinc.api import Config  # noqa: E402

from docparse import __version__  # noqa: E402
from docparse.eval_nlp import evaluate_ner  # noqa: E402
from docparse.ner import model_entities  # noqa: E402

GOLD, CORPUS = ROOT / "tests" / "gold" / "ner", ROOT.parent / "shared" / "corpus"

META = {
    "name": "docparse_ner",  # spaCy's package name is lang + "_" + name: vi_docparse_ner
    "version": __version__,
    "spacy_version": ">=3.8.0,<3.9.0",  # spaCy keeps pipelines compatible within a minor version
    "description": "Agencies (ORG), people (PER) and places (LOC) in Vietnamese administrative documents: CNN "
                   "tok2vec + transition-based NER over syllables tagged with docparse's lexicon classes "
                   "(tokenizer docparse.vi_lexicon_tokenizer.v1, installed with docparse). No vectors. Card: "
                   "models/README.md of the docparse repository.",
    "author": "docparse",
    "email": "",
    "url": "",
    "license": "MIT",
    # its tokenizer and lexicon features come from docparse: a separate package (`make model-package`) needs it
    "requirements": [f"docparse>={__version__},<{__version__.split('.')[0]}.{int(__version__.split('.')[1]) + 1}"],
    "sources": [
        {"name": "docparse corpus (15 Vietnamese administrative documents, 4 docparse samples)",
         "license": "official documents; their texts are not shipped (labels kept as offsets only)",
         "url": "", "author": "Vietnamese public bodies"},
        {"name": "62 fictional administrative texts written for docparse (models/texts)", "license": "MIT",
         "url": "", "author": "docparse"},
        {"name": "labels: hand-made on 7 documents (tests/gold/ner-train), weak labels from docparse's rules",
         "license": "MIT", "url": "", "author": "docparse"},
    ],
}


def heldout_scores(model_dir: Path) -> dict:
    """spaCy's `performance` keys, measured as the card reports them: exact spans on the held-out documents."""
    import spacy

    nlp = spacy.load(model_dir)

    def predict(path):
        text = path.read_text(encoding="utf-8")
        return text, [(e.label, e.span.start, e.span.end) for e in model_entities(text, nlp)]

    overall = evaluate_ner(GOLD, CORPUS, predict)["overall"]
    if not overall["all"]["gold"]:
        raise SystemExit(f"no held-out documents found in {CORPUS}: the scores cannot be measured")
    r4 = lambda x: round(x, 4)  # noqa: E731
    return {"ents_p": r4(overall["all"]["p"]), "ents_r": r4(overall["all"]["r"]), "ents_f": r4(overall["all"]["f1"]),
            "ents_per_type": {lab: {"p": r4(v["p"]), "r": r4(v["r"]), "f": r4(v["f1"])}
                              for lab, v in overall.items() if lab != "all"}}


def finalize(src: Path, dest: Path) -> None:
    if src.resolve() != dest.resolve():
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest)
    cfg = Config().from_disk(dest / "config.cfg", interpolate=False)
    cfg["paths"]["train"] = cfg["paths"]["dev"] = None  # training data is not shipped; spaCy's default is null
    cfg.to_disk(dest / "config.cfg")
    meta = json.loads((dest / "meta.json").read_text(encoding="utf-8"))
    dev = meta.pop("performance", {})
    meta.update(META)
    meta["performance"] = heldout_scores(dest)
    meta["performance_note"] = ("exact spans on 4 held-out documents annotated by hand (tests/gold/ner), "
                                "`python -m docparse.eval --ner model`; performance_dev: spaCy's scores on the "
                                "dev documents that chose the checkpoint")
    meta["performance_dev"] = meta.get("performance_dev") or {k: v for k, v in dev.items() if not k.endswith("loss")}
    (dest / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{dest}: {meta['lang']}_{meta['name']} {meta['version']}, held-out "
          f"F1 {meta['performance']['ents_f']:.1%}")


if __name__ == "__main__":
    args = sys.argv[1:]
    finalize(Path(args[0]) if args else ROOT / "models" / "training" / "model-best",
             Path(args[1]) if len(args) > 1 else ROOT / "docparse" / "models" / "ner")
