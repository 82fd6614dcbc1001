"""Identity of a cited document, eyecite-style: equality by normalised fields, not by surface.

Numbers restart every 1 January, so a document is (number, symbol, year). Symbols are compared case-blind, with
Đ/D confusions and stray spaces removed; a number's leading zeros do not count (0204 = 204).
"""
from __future__ import annotations

import re
import unicodedata

from .schema import Citation, Document, Header

_SPACES = re.compile(r"\s+")


def symbol_key(symbol: str | None) -> str:
    if not symbol:
        return ""
    s = unicodedata.normalize("NFC", symbol).upper()
    s = s.replace("Đ", "D").replace("Ð", "D").replace("–", "-").replace("—", "-")
    return _SPACES.sub("", s)


def number_key(number: str | None) -> str:
    if not number:
        return ""
    n = number.strip().lower()
    return n.lstrip("0") or "0"


_YEAR_IN_CODE = re.compile(r"/((?:19|20)\d{2})/")


def citation_key(c: Citation) -> tuple[str, str] | None:
    """(number, symbol) of a coded citation; None for laws cited by name or blank-number drafts. A code with its
    year ("15/2025/QĐ-TTg", a normative document) belongs to another series than one without ("15/QĐ-TTg"), so
    the year stays in the symbol key: "2025/QD-TTG"."""
    if not c.code or not c.number or not c.symbol:
        return None
    m = _YEAR_IN_CODE.search(c.code)
    return number_key(c.number), (f"{m.group(1)}/" if m else "") + symbol_key(c.symbol)


def header_key(h: Header) -> tuple[str, str] | None:
    if not h.number or not h.symbol:
        return None
    return number_key(h.number), (f"{h.year}/" if h.year else "") + symbol_key(h.symbol)


def header_year(h: Header) -> int | None:
    if h.year:
        return h.year
    if h.date:
        return h.date.year
    return int(h.date_partial[:4]) if h.date_partial else None


def document_id(doc: Document) -> str:
    return doc.source or f"<text:{doc.sha256[:12]}>"


def type_part(symbol_k: str) -> str:
    """"QD-UBND" → "QD"; "2022/ND-CP" → "ND"; Party "NQ/TW" → "NQ"."""
    return re.split(r"[-/]", _YEAR_PREFIX.sub("", symbol_k), maxsplit=1)[0]


def issuer_part(symbol_k: str) -> str:
    """"QD-TTG" → "TTG"; "2022/ND-CP" → "CP"; "NQ/TW" → "TW"."""
    return re.split(r"[-/]", _YEAR_PREFIX.sub("", symbol_k))[-1]


_YEAR_PREFIX = re.compile(r"^(?:19|20)\d{2}/")
# Issuers whose numbering is nation-wide; local ones (UBND, HĐND, Tỉnh ủy …) restart in every province.
_NATIONAL = re.compile(r"^(?:TTG|CP|VPCP|QH\d*|UBTVQH\d*|TW|VPTW|NHNN|TTCP|KTNN|TANDTC|VKSNDTC|B[A-Z]{1,8})$")


def national_series(symbol_k: str) -> bool:
    return bool(_NATIONAL.match(issuer_part(symbol_k)))
