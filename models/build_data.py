"""Training data for the entity model: weak labels from docparse's rules (extract/entities.py) over the corpus, the
samples and the fictional texts of models/texts, replaced by hand-made labels where a training document has them
(tests/gold/ner-train); the hand-made dev gold (tests/gold/ner-dev) to choose checkpoints and runs; the hand-made
held-out gold (tests/gold/ner) as the evaluation set.

    python models/build_data.py labels   # re-derive models/data/weak.jsonl from the rules (offsets only)
    python models/build_data.py docbins  # models/corpus/{train,dev,heldout}.spacy from the JSONL + the texts

The JSONL files hold offsets, labels and the text's SHA-256, never the text: the corpus stays in ../shared and
the DocBins are rebuilt from it (they are not committed)."""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
DATA = ROOT / "models" / "data"
OUT = Path(os.environ.get("DOCPARSE_CORPUS_OUT", ROOT / "models" / "corpus"))
# documents never trained on: the held-out gold (tests/gold/ner) and the damaged 20
HELDOUT = {"10_CT06-UBND_QuangTri_lanchiemrung", "12_CV11554-VPCP-VI_chongbuonlau", "17_KL07-KL-VPTW_VanphongTW",
           "18_HD5155-SGDDT_TPHCM_TTHTCD", "20_CV1123-TCT-CS_2014_degraded_encoding.html"}
# model selection, never trained on: checkpoints and runs chosen by their hand-made gold (tests/gold/ner-dev)
DEV = {"05_KH165-UBND_CanTho_danso", "11_CV4085-UBND-DT_TPHCM_dulieu_sonha", "13_CV17809-BTC-CTK_BoTaiChinh",
       "19_NQ57-NQ-HDND_PhuYen_2016_dutoan_NS"}
CHUNK = 1500
# augmented copies of each training piece, with its entities swapped for others of the same label
COPIES = int(os.environ.get("DOCPARSE_COPIES", 2))


def _sources():
    for p in sorted(CORPUS.glob("*/*.txt")):
        if p.stem not in HELDOUT:
            yield f"corpus/{p.relative_to(CORPUS)}", p
    for p in sorted((ROOT / "samples").glob("*.txt")):
        yield f"samples/{p.name}", p
    for p in sorted((ROOT / "models" / "texts").glob("*.txt")):  # fictional texts written for the model
        yield f"texts/{p.name}", p


def _resolve(name: str) -> Path:
    kind, rest = name.split("/", 1)
    return {"corpus": CORPUS, "samples": ROOT / "samples", "texts": ROOT / "models" / "texts"}[kind] / rest


def build_labels() -> None:
    sys.path.insert(0, str(ROOT))
    import docparse

    DATA.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(DATA / "weak.jsonl", "w", encoding="utf-8") as out:
        for name, path in _sources():
            doc = docparse.parse(path)
            ents = [[e.span.start, e.span.end, e.label] for e in doc.entities]
            n += len(ents)
            out.write(json.dumps({"file": name, "sha256": doc.sha256, "entities": ents}, ensure_ascii=False) + "\n")
    print(f"weak.jsonl: {n} entities")


def _chunks(text: str, ents: list[tuple[int, int, str]]):
    """Pieces of about CHUNK characters cut at line ends outside every entity, so a batch is not one whole file."""
    inside = bytearray(len(text) + 1)
    for a, b, _ in ents:
        inside[a:b] = b"\x01" * (b - a)
    start = 0
    while start < len(text):
        cut = text.find("\n", start + CHUNK)
        while cut != -1 and inside[cut]:
            cut = text.find("\n", cut + 1)
        end = len(text) if cut == -1 else cut + 1
        yield start, end, [(a - start, b - start, lab) for a, b, lab in ents if a >= start and b <= end]
        start = end


def _augment(items, seed: int = 13):
    """Entity swapping: each training text again, COPIES times, with every entity replaced by another surface form
    of its label taken from the training labels (and, for places and people, from the lexicon). The model then
    learns names from their shape and context rather than by heart — 2 700 labels are few."""
    import random

    sys.path.insert(0, str(ROOT))
    from docparse import lexicon

    rng = random.Random(seed)
    pools: dict[str, set] = {"ORG": set(), "PER": set(), "LOC": set()}
    for text, ents in items:
        for a, b, lab in ents:
            pools[lab].add(text[a:b])
    lx = lexicon.load("entities.json")
    pools["LOC"] |= {f"{lv} {p}" for p in lx["places"][:70] for lv in ("tỉnh", "thành phố")}
    given = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thanh Hà", "Hữu Khang", "Ngọc Lan", "Đức Minh"]
    pools["PER"] |= {f"{s} {g}" for s in lx["surnames"][:30] for g in given}
    pools = {k: sorted(v) for k, v in pools.items()}
    out = []
    for text, ents in items:
        for _ in range(COPIES):
            pieces, new, pos = [], [], 0
            for a, b, lab in sorted(ents):
                pieces.append(text[pos:a])
                start = sum(len(p) for p in pieces)
                name = rng.choice(pools[lab])
                pieces.append(name)
                new.append((start, start + len(name), lab))
                pos = b
            pieces.append(text[pos:])
            out.append(("".join(pieces), new))
    return out


def _docbin(items, nlp):
    from spacy.tokens import DocBin

    db, dropped = DocBin(), 0
    for text, ents in items:
        for a, b, spans in _chunks(text, ents):
            doc = nlp.make_doc(text[a:b])
            out = []
            for s, e, lab in spans:
                span = doc.char_span(s, e, label=lab, alignment_mode="expand")
                if span is None or any(span.start < o.end and o.start < span.end for o in out):
                    dropped += 1
                    continue
                out.append(span)
            doc.ents = out
            db.add(doc)
    return db, dropped


def _gold(name: str) -> dict[str, tuple[str, list]]:
    """Corpus path ("public/05_….txt") → (text, entities) for each document of tests/gold/<name> whose text is
    in the corpus."""
    out = {}
    for gp in sorted((ROOT / "tests" / "gold" / name).glob("*.json")):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        path = CORPUS / gold["file"]
        if path.exists():
            out[gold["file"]] = (path.read_text(encoding="utf-8"),
                                 [(e["start"], e["end"], e["label"]) for e in gold["entities"]])
    return out


def build_docbins() -> None:
    sys.path.insert(0, str(ROOT))
    from docparse.ner import blank_vietnamese

    nlp = blank_vietnamese()
    train, dev = [], []
    hand = _gold("ner-train")  # training documents labelled by hand replace their weak labels
    for line in (DATA / "weak.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        path = _resolve(rec["file"])
        if not path.exists():
            continue
        text = path.read_bytes().decode("utf-8-sig")
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != rec["sha256"]:
            print(f"bỏ qua {rec['file']}: nội dung đã thay đổi", file=sys.stderr)
            continue
        ents = hand.get(rec["file"].removeprefix("corpus/"), (text, [tuple(e) for e in rec["entities"]]))[1]
        (dev if Path(rec["file"]).stem in DEV else train).append((text, ents))
    dev = list(_gold("ner-dev").values()) or dev  # the hand-made dev gold when present, else the weak labels
    held = list(_gold("ner").values())
    OUT.mkdir(parents=True, exist_ok=True)
    for name, items in (("train", train + _augment(train)), ("dev", dev), ("heldout", held)):
        db, dropped = _docbin(items, nlp)
        db.to_disk(OUT / f"{name}.spacy")
        print(f"{name}.spacy: {len(items)} documents, {len(db)} pieces, {dropped} spans not on token edges")


if __name__ == "__main__":
    {"labels": build_labels, "docbins": build_docbins}[sys.argv[1] if len(sys.argv) > 1 else "docbins"]()
