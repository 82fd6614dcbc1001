"""Lexicon data (document types, abbreviations) loaded once from JSON beside this file."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    return json.loads(resources.files(__name__).joinpath(name).read_text(encoding="utf-8"))


def doc_types() -> list[dict]:
    return load("doc_types.json")["types"]


def title_lines() -> dict[str, str]:
    return load("doc_types.json")["title_lines"]


@lru_cache(maxsize=None)
def abbr_to_type() -> dict[str, str]:
    """Type code in a symbol ("QĐ" in "380/QĐ-UBND") → canonical type name; keys are upper-cased."""
    out = {}
    for t in doc_types():
        for a in t["abbr"]:
            out.setdefault(a.upper(), t["name"])
    return out
