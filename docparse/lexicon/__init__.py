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


@lru_cache(maxsize=None)
def provinces() -> dict[str, dict]:
    """Every province name, old (63) and new (34), → {"name", "kind" (tỉnh / thành phố), "new" (the province it is
    part of after the 2025 merger), "merged" (the new province was formed from several old ones)}; variants
    ("TP.HCM", "Thừa Thiên - Huế") are keys too. Keys are the names as written; callers fold them."""
    data = load("provinces.json")
    cities = set(data["old_cities"])
    out: dict[str, dict] = {}
    for new, info in data["new"].items():
        merged = len(info["from"]) > 1
        for old in info["from"]:
            out[old] = {"name": old, "kind": "thành phố" if old in cities else "tỉnh", "new": new, "merged": merged}
        out[new] = {"name": new, "kind": info["kind"], "new": new, "merged": merged}
    for variant, name in data["variants"].items():
        out[variant] = out[name]
    return out


def new_governments_from() -> str:
    """ISO date from which the merged provinces' new governments issue documents (their registers restart)."""
    return load("provinces.json")["new_governments_from"]


def laws() -> list[dict]:
    """Laws known by name and number (laws.json, built by scripts/make_laws_lexicon.py): each {"key" (folded name),
    "name", "code", "doc_type", "date" (ISO or null), "source" ("corpus" or "manual"), "amended_by"}."""
    return load("laws.json")["laws"]
