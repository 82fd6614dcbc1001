PY ?= .venv/bin/python

.PHONY: model model-data model-eval model-package

# The entity model, shipped in the wheel as docparse/models/ner (see models/README.md); needs ../shared/corpus,
# CPU only, about 10 minutes. finalize.py writes its meta.json (held-out scores) and strips machine paths.
model-data:
	$(PY) models/build_data.py labels
	$(PY) models/build_data.py docbins

model: model-data
	$(PY) models/train.py
	$(PY) models/finalize.py models/training/model-best docparse/models/ner
	$(PY) -m docparse.eval --ner model

model-eval:
	$(PY) -m docparse.eval --ner rules
	$(PY) -m docparse.eval --ner model
	$(PY) -m docparse.eval --assignments

# The shipped model also as its own spaCy package, loadable by name: spacy.load("vi_docparse_ner"), or
# DOCPARSE_MODEL=vi_docparse_ner for docparse. Needs `pip install build`; the wheel lands in dist/vi_docparse_ner-*/dist.
model-package:
	$(PY) -m spacy package docparse/models/ner dist --build wheel --force
