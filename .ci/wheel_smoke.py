"""Smoke test of docparse installed from its wheel, run by .ci/run in a fresh venv from a temporary directory (the
checkout is not on sys.path): spaCy finds the tokenizers and the component through the entry points, the model is
in the install, parse and check work, underthesea is not needed.

    python .ci/wheel_smoke.py SAMPLES_DIR"""
import importlib.util
import json
import subprocess
import sys
import tempfile
from pathlib import Path

SAMPLES = Path(sys.argv[1]).resolve()
TEXT = ("Giao Sở Tài chính chủ trì, phối hợp với Ủy ban nhân dân tỉnh Hòa Bình thực hiện Quyết định số "
        "12/QĐ-UBND ngày 05/01/2025, hoàn thành trước ngày 30/11/2025.")


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        sys.exit(1)


# 1. spaCy alone, docparse never imported by this script
import spacy  # noqa: E402

spec = importlib.util.find_spec("docparse")  # finds the installed package without running it
pkg = Path(spec.submodule_search_locations[0])
check("site-packages" in str(pkg) and "docparse" not in sys.modules, f"docparse from the wheel: {pkg}")
model_dir = pkg / "models" / "ner"
nlp = spacy.load(model_dir)
check({e.label_ for e in nlp(TEXT).ents} >= {"ORG"}, f"spacy.load({model_dir}) without importing docparse")
check(nlp.meta["name"] == "docparse_ner" and nlp.meta["license"] == "MIT", "model meta: vi_docparse_ner, MIT")
blank = spacy.blank("vi", config={"nlp": {"tokenizer": {"@tokenizers": "docparse.vi_tokenizer.v1"}}})
blank.add_pipe("docparse")
doc = blank(TEXT)
check({s.label_ for s in doc.spans["docparse"]} >= {"CITATION", "DATE"}, "add_pipe('docparse') from the entry point")
with tempfile.TemporaryDirectory() as tmp:
    blank.to_disk(tmp)
    out = subprocess.run([sys.executable, "-c", "import sys, spacy; nlp = spacy.load(sys.argv[1]); "
                          "print(len(nlp(sys.argv[2]).spans['docparse']))", tmp, TEXT],
                         capture_output=True, text=True)
    check(out.returncode == 0 and int(out.stdout) > 0, "a saved pipeline with the component reloads in a new Python")

# 2. the library
import docparse  # noqa: E402
from docparse import ner  # noqa: E402

check(ner.model_path() == model_dir and (pkg / "py.typed").exists(), "docparse.ner.model_path() and py.typed")
check(spacy.load(ner.model_path()).meta["version"] == docparse.__version__, "spacy.load(docparse.ner.model_path())")
docs = [docparse.parse(p) for p in sorted(SAMPLES.iterdir()) if p.suffix in (".txt", ".pdf", ".docx")]
check(len(docs) >= 3 and all(d.citations for d in docs), f"parse {len(docs)} samples (txt, pdf, docx)")
hybrid = docparse.parse(SAMPLES / "bc_cchc_2025.txt", entities="hybrid")
check(not any(n.code == "entities.no_model" for n in hybrid.notices), "entities='hybrid' uses the installed model")
check(isinstance(docparse.check(docs), list), "docparse.check")
check("underthesea" not in sys.modules and importlib.util.find_spec("underthesea") is None,
      "underthesea neither installed nor imported")
try:
    ner.underthesea_entities("Bộ Tài chính")
    check(False, "underthesea_entities without the extra")
except ner.MissingExtraError as exc:
    check("docparse[underthesea]" in str(exc), "a missing extra names itself")

# 3. the command line
cli = Path(sys.executable).parent / "docparse"
run = subprocess.run([cli, "parse", SAMPLES / "bc_cchc_2025.txt", "--entities", "model", "--strict", "--no-text"],
                     capture_output=True, text=True)
check(run.returncode == 0 and json.loads(run.stdout)["entities"], "docparse parse --entities model --strict")
run = subprocess.run([cli, "check", SAMPLES, "--format", "json"], capture_output=True, text=True)
check(run.returncode in (0, 1) and "findings" in json.loads(run.stdout), "docparse check samples")
print("wheel smoke test passed")
