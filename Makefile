PY ?= .venv/bin/python

.PHONY: model model-data model-eval

# The entity model in models/ner (see models/README.md); needs ../shared/corpus, CPU only, a few minutes.
model-data:
	$(PY) models/build_data.py labels
	$(PY) models/build_data.py docbins

model: model-data
	$(PY) models/train.py
	rm -rf models/ner && cp -r models/training/model-best models/ner
	$(PY) -m docparse.eval --ner model

model-eval:
	$(PY) -m docparse.eval --ner rules
	$(PY) -m docparse.eval --ner model
	$(PY) -m docparse.eval --assignments
