"""Build docparse/lexicon/laws.json: laws known by name and number, learnt from the coded law mentions of a corpus
that write the name right before the number ("Luật Đất đai số 31/2024/QH15 ngày 18/01/2024"), plus the few laws in
MANUAL (public facts, checked by hand). Only facts go in: names, codes, dates — never a sentence of the corpus.

    python scripts/make_laws_lexicon.py ../shared/corpus/seeds ../shared/corpus/public ../shared/corpus/pool

Only consistent pairs are kept (one code per name and year across all mentions; a date only when every dated
mention agrees). Running it again on the same corpus reproduces the file byte for byte.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docparse.errors import DocparseError  # noqa: E402
from docparse.laws import coded_pairs, consistent_index, name_key  # noqa: E402
from docparse.pipeline import build_document  # noqa: E402
from docparse.readers import read  # noqa: E402

OUT = ROOT / "docparse" / "lexicon" / "laws.json"
_SUFFIXES = {".md", ".txt", ".docx", ".doc", ".pdf", ".html", ".htm"}

# (name, code, type, ISO date): laws every Vietnamese official knows, added where the corpus cites them only by name
# or where an older law shares a newer one's name (so that a name without a year stays ambiguous).
MANUAL = [
    ("Luật Tổ chức chính quyền địa phương", "77/2015/QH13", "Luật", "2015-06-19"),
    ("Luật Tổ chức Chính phủ", "76/2015/QH13", "Luật", "2015-06-19"),
    ("Luật Ban hành văn bản quy phạm pháp luật", "80/2015/QH13", "Luật", "2015-06-22"),
    ("Luật Đất đai", "45/2013/QH13", "Luật", "2013-11-29"),
    ("Luật Ngân sách nhà nước", "83/2015/QH13", "Luật", "2015-06-25"),
    ("Bộ luật Dân sự", "91/2015/QH13", "Bộ luật", "2015-11-24"),
    ("Bộ luật Lao động", "45/2019/QH14", "Bộ luật", "2019-11-20"),
]


def _files(paths: list[str]) -> list[Path]:
    out = []
    for p in map(Path, paths):
        out.extend(sorted(f for f in p.rglob("*") if f.suffix.lower() in _SUFFIXES) if p.is_dir() else [p])
    return out


def build(paths: list[str]) -> dict:
    pairs = []
    for f in _files(paths):
        try:
            pairs.extend(coded_pairs(build_document(read(str(f)))))
        except DocparseError:
            continue
    index = consistent_index(pairs)
    laws = []
    for key, entries in index.by_key.items():
        for e in entries:
            laws.append({"key": key, "name": e.name, "code": e.code, "doc_type": e.doc_type, "date": e.date,
                         "source": "corpus", "amended_by": e.amended_by})
    known = {(x["key"], x["code"]) for x in laws}
    for name, code, doc_type, date in MANUAL:
        key = name_key(name)
        same = [x for x in laws if x["key"] == key and x["code"].split("/")[1] == code.split("/")[1]]
        if (key, code) in known or same:
            for x in same:  # the corpus knows it: fill a missing date, never override
                if x["code"] == code and not x["date"]:
                    x["date"], x["date_source"] = date, "manual"
            continue
        laws.append({"key": key, "name": name, "code": code, "doc_type": doc_type, "date": date, "source": "manual",
                     "amended_by": []})
    laws.sort(key=lambda x: (x["key"], x["code"]))
    return {"about": "Laws known by name and number: built by scripts/make_laws_lexicon.py from coded mentions that "
                     "write the name before the number (source corpus), plus public facts added by hand (manual; "
                     "date_source manual: a date the corpus did not give). amended_by is as the corpus writes it "
                     "(\"… được sửa đổi, bổ sung bởi Luật số …\"), not checked.",
            "laws": laws}


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    data = build(argv)
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data['laws'])} laws → {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
