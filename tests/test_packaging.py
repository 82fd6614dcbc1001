"""Packaging and ecosystem conventions (issue 13): spaCy entry points, the model shipped in the package with a
complete meta.json, typed package, licence, honest dependencies and extras. `.ci/run` also installs the built wheel
in a fresh venv and runs `.ci/wheel_smoke.py` outside the checkout."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
import warnings
from importlib.metadata import entry_points
from pathlib import Path

import pytest
from conftest import REPO_ROOT, SAMPLES_DIR
from fictional import vb
from typer.testing import CliRunner

import docparse
from docparse import ner
from docparse.cli import app

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
TEXT = ("Giao Sở Tài chính chủ trì, phối hợp với Ủy ban nhân dân tỉnh Hòa Bình thực hiện Quyết định số 12/QĐ-UBND "
        "ngày 05/01/2025, hoàn thành trước ngày 30/11/2025.")
VI_TOKENIZER = {"nlp": {"tokenizer": {"@tokenizers": ner.TOKENIZER}}}


def fresh_python(code: str, *args: str) -> str:
    """Run `code` in a new interpreter that never imports docparse itself (spaCy must find it by entry point),
    from a directory outside the checkout; returns stdout, fails with stderr."""
    code = "import sys\nassert 'docparse' not in sys.modules\n" + code
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=Path("/"))
    assert out.returncode == 0, out.stderr[-2000:]
    return out.stdout


def test_entry_points_are_installed_for_the_component_and_every_tokenizer():
    factories = {ep.name: ep.value for ep in entry_points(group="spacy_factories")}
    tokenizers = {ep.name: ep.value for ep in entry_points(group="spacy_tokenizers")}
    assert factories.get("docparse") == "docparse.spacy_component:make_docparse"
    source = (REPO_ROOT / "docparse" / "ner.py").read_text(encoding="utf-8")
    registered = set(re.findall(r'"(docparse\.[a-z_]+\.v\d+)"', source))
    assert registered == {ner.TOKENIZER, ner.WORD_TOKENIZER, ner.LEXICON_TOKENIZER}
    assert registered <= set(tokenizers), "run `pip install -e .` again after changing the entry points"


def test_model_loads_with_spacy_in_a_fresh_interpreter():
    out = fresh_python("import spacy\nnlp = spacy.load(sys.argv[1])\n"
                       "print(nlp.meta['lang'] + '_' + nlp.meta['name'], [e.label_ for e in nlp(sys.argv[2]).ents])",
                       str(ner.model_path()), TEXT)
    assert out.startswith(ner.MODEL_NAME + " ") and "'ORG'" in out


def test_component_is_added_without_importing_docparse():
    out = fresh_python("import spacy\nfor config in ({'nlp': {'tokenizer': {'@tokenizers': sys.argv[2]}}}, "
                       "{'nlp': {'tokenizer': {'use_pyvi': False}}}):\n"
                       "    nlp = spacy.blank('vi', config=config)\n    nlp.add_pipe('docparse')\n"
                       "    doc = nlp(sys.argv[1])\n"
                       "    print(sorted({s.label_ for s in doc.spans['docparse']}), doc._.docparse.dates[0].text)",
                       TEXT, ner.TOKENIZER)
    lines = out.splitlines()
    assert len(lines) == 2 and all("'CITATION'" in x and "'DATE'" in x and "05/01/2025" in x for x in lines)


def test_saved_pipeline_with_the_component_reloads_in_a_fresh_interpreter(tmp_path):
    import spacy

    nlp = spacy.blank("vi", config=VI_TOKENIZER)
    nlp.add_pipe("docparse", config={"span_key": "vb"})
    nlp.to_disk(tmp_path / "pipe")
    out = fresh_python("import spacy\nnlp = spacy.load(sys.argv[1])\ndoc = nlp(sys.argv[2])\n"
                       "print(nlp.pipe_names, len(doc.spans['vb']), doc._.docparse.citations[0].code)",
                       str(tmp_path / "pipe"), TEXT)
    assert out.split()[0] == "['docparse']" and int(out.split()[1]) >= 3 and out.split()[2] == "12/QĐ-UBND"


def test_model_is_package_data_found_by_model_path(monkeypatch):
    monkeypatch.delenv("DOCPARSE_MODEL", raising=False)
    path = ner.model_path()
    assert path == Path(docparse.__file__).resolve().parent / "models" / "ner" and (path / "meta.json").exists()
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["docparse"]
    package = Path(docparse.__file__).parent
    shipped = {p for g in globs for p in package.glob(g) if p.is_file()}
    files = {p for p in path.rglob("*") if p.is_file()}
    assert files and files <= shipped, f"not in the wheel: {sorted(map(str, files - shipped))}"
    assert package / "py.typed" in shipped


def test_model_meta_is_complete_and_matches_the_card():
    meta = json.loads((ner.model_path() / "meta.json").read_text(encoding="utf-8"))
    assert f"{meta['lang']}_{meta['name']}" == ner.MODEL_NAME and meta["version"] == docparse.__version__
    assert meta["license"] == PYPROJECT["project"]["license"] == "MIT"
    assert meta["description"] and meta["author"] and meta["sources"] and all(s["name"] for s in meta["sources"])
    per_type = meta["performance"]["ents_per_type"]
    assert set(per_type) == {"ORG", "PER", "LOC"}
    card = (REPO_ROOT / "models" / "README.md").read_text(encoding="utf-8")
    row = re.search(r"\| \*\*model\*\*[^|]*\| ([\d.]+) / ([\d.]+) / \*\*([\d.]+)\*\* \| ([\d.]+) \| ([\d.]+) \|", card)
    assert row, "the card's results table has a model row"
    org_p, org_r, org_f, per_f, loc_f = (float(x) / 100 for x in row.groups())
    assert abs(per_type["ORG"]["p"] - org_p) < 6e-4 and abs(per_type["ORG"]["r"] - org_r) < 6e-4
    assert abs(per_type["ORG"]["f"] - org_f) < 6e-4 and abs(per_type["PER"]["f"] - per_f) < 6e-4
    assert abs(per_type["LOC"]["f"] - loc_f) < 6e-4


def test_model_config_has_no_machine_paths():
    config = (ner.model_path() / "config.cfg").read_text(encoding="utf-8")
    assert not re.search(r'"(/|[A-Za-z]:\\)|/work/|/root/|/tmp/|/home/', config)


def test_spacy_bound_is_the_minor_the_model_was_trained_with():
    import spacy

    meta = json.loads((ner.model_path() / "meta.json").read_text(encoding="utf-8"))
    lo, hi = re.fullmatch(r">=(\d+\.\d+)\.0,<(\d+\.\d+)\.0", meta["spacy_version"]).groups()
    assert f"spacy>={lo},<{hi}" in PYPROJECT["project"]["dependencies"]
    assert spacy.__version__.startswith(lo + "."), "the tests run the spaCy minor the model declares"


def test_license_file_urls_and_typed_marker():
    assert "MIT License" in (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert PYPROJECT["project"]["license-files"] == ["LICENSE"]
    for url in PYPROJECT["project"]["urls"].values():
        assert url.startswith("https://") or (REPO_ROOT / url).exists()
    assert (REPO_ROOT / "docparse" / "py.typed").exists()


def test_underthesea_is_an_extra_used_on_no_default_path():
    deps = PYPROJECT["project"]["dependencies"]
    assert not any(d.startswith("underthesea") for d in deps)
    assert any(d.startswith("underthesea") for d in PYPROJECT["project"]["optional-dependencies"]["underthesea"])
    code = ("import sys, docparse, docparse.cli, docparse.spacy_component\n"
            "docs = [docparse.parse(p, entities='hybrid') for p in sys.argv[1:]]\ndocparse.check(docs)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'underthesea'))")
    out = subprocess.run([sys.executable, "-c", code, *map(str, sorted(SAMPLES_DIR.glob("*.txt")))],
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_missing_underthesea_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "underthesea", None)  # import fails as when it is not installed
    for call in (lambda: ner.underthesea_entities("Bộ Tài chính"), lambda: ner._word_spans("Giáo dục và Đào tạo")):
        with pytest.raises(ner.MissingExtraError, match=re.escape("docparse[underthesea]")):
            call()


def test_missing_model_warns_and_notes(monkeypatch):
    monkeypatch.setenv("DOCPARSE_MODEL", "none")
    with pytest.warns(ner.ModelMissingWarning, match="DOCPARSE_MODEL=none"):
        doc = docparse.parse_text(vb(TEXT), entities="model")
    assert [n.code for n in doc.notices].count("entities.no_model") == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        docparse.parse_text(vb(TEXT))  # the rules: no model asked for, no warning


@pytest.mark.parametrize("strict", [False, True])
def test_cli_missing_model_warns_on_stderr_or_fails_with_strict(monkeypatch, tmp_path, strict):
    monkeypatch.setenv("DOCPARSE_MODEL", str(tmp_path / "nowhere"))
    path = tmp_path / "kh.txt"
    path.write_text(vb(TEXT), encoding="utf-8")
    args = ["parse", str(path), "--entities", "hybrid"] + (["--strict"] if strict else [])
    result = CliRunner().invoke(app, args)
    stderr = result.stderr
    assert "nowhere" in stderr and ner.MODEL_NAME in stderr
    if strict:
        assert result.exit_code == 2 and "--strict" in stderr and not result.stdout.strip()
    else:
        assert result.exit_code == 0 and "cảnh báo" in stderr
        assert any(n["code"] == "entities.no_model" for n in json.loads(result.stdout)["notices"])


def test_cli_strict_passes_when_the_model_is_there(monkeypatch, tmp_path):
    monkeypatch.delenv("DOCPARSE_MODEL", raising=False)
    path = tmp_path / "kh.txt"
    path.write_text(vb(TEXT), encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", str(path), "--entities", "model", "--strict", "--no-text"])
    assert result.exit_code == 0 and not result.stderr
    assert not any(n["code"] == "entities.no_model" for n in json.loads(result.stdout)["notices"])


def test_docparse_model_may_name_an_installed_spacy_package(monkeypatch, tmp_path):
    """`make model-package` builds vi_docparse_ner (spaCy's layout: <name>/<name>-<version>/meta.json)."""
    data = tmp_path / "vi_fake_ner" / "vi_fake_ner-1.2.0"
    data.mkdir(parents=True)
    (data.parent / "__init__.py").write_text("", encoding="utf-8")
    (data / "meta.json").write_text("{}", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("DOCPARSE_MODEL", "vi_fake_ner")
    assert ner.model_path() == data and ner.has_model()
    monkeypatch.setenv("DOCPARSE_MODEL", "vi_not_installed_ner")
    assert ner.model_path() == Path("vi_not_installed_ner") and not ner.has_model()
