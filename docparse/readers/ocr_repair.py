"""Repairs of the usual OCR confusions in document codes and dates, applied to OCR'd lines only: letters read for
digits inside numbers ("l8/ll/2025" → "18/11/2025", "2O25" → "2025"), D read for Đ in type abbreviations
("QD-UBND" → "QĐ-UBND"), and a "/" lost between the parts of a code or a date ("632025/NĐ-CP" is left alone: it is
ambiguous; "18/112025" → "18/11/2025", "12QĐ-UBND" → "12/QĐ-UBND"). Each repair is returned so the reader can
record it as a notice."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

# a run of digits and look-alike letters with a separator, holding at least one digit: "l8/ll/2025", "2O25"
_NUMERIC = re.compile(r"(?<![\w])(?=[\dOolI|]*\d)[\dOolI|]+(?:[/.][\dOolI|]+)+(?![\w])|(?<![\w])(?=[\dOo]*\d)"
                      r"[\dOo]{4}(?![\w])")
# what a repaired run must then be: a date, a number/year of a code, or a year ("III.10", a heading, is none)
_PLAUSIBLE = re.compile(r"\d{1,5}(?:/\d{1,4}){1,2}|\d{1,2}\.\d{1,2}\.(?:19|20)\d\d|(?:19|20)\d\d")
# the number of a code: "l2/QĐ-UBND", "6O/2025/NĐ-CP"
_CODE_NUMBER = re.compile(r"(?<![\w/])(?=[\dOolI|]*\d)[\dOolI|]{1,5}(?=/(?:(?:19|20)\d\d/)?[A-ZĐ])")
_DIGIT_LIKE = str.maketrans({"O": "0", "o": "0", "l": "1", "I": "1", "|": "1"})
# a date whose last "/" was lost: "18/112025"
_DATE_NO_SLASH = re.compile(r"(?<![\d/])(0?[1-9]|[12]\d|3[01])/(0?[1-9]|1[0-2])((?:19|20)\d\d)(?!\d)")


@lru_cache(maxsize=1)
def _abbr():
    """Type abbreviations (a set), the D-forms OCR gives for those with Đ ("QD" for "QĐ") where that form is no
    abbreviation itself, and the patterns for the type of a code and for a number whose "/" was lost."""
    from .. import lexicon

    abbrs = frozenset(a for t in lexicon.doc_types() for a in t["abbr"])
    d_forms = {a.replace("Đ", "D"): a for a in abbrs if "Đ" in a and a.replace("Đ", "D") not in abbrs}
    every = "|".join(sorted(map(re.escape, abbrs | set(d_forms)), key=len, reverse=True))
    # the type after "số/" or a year: "12/QD-UBND", "63/2025/ND-CP", "12/QĐĐĐ-UBND"
    code_type = re.compile(r"(?<=\d/)[A-ZĐ][A-Za-zĐ]{0,7}(?=-[A-ZĐ])")
    lost_slash = re.compile(rf"(?<![\w/])(\d{{1,5}})({every})(?=-[A-ZĐ])")
    return abbrs, d_forms, code_type, lost_slash


def _abbr_fixed(written: str) -> str:
    """The abbreviation OCR meant: Đ read more than once ("QĐĐ"), or read as D ("QD"); else `written`."""
    abbrs, d_forms, _, _ = _abbr()
    if written in abbrs:
        return written
    single = re.sub("Đ{2,}", "Đ", written)
    return single if single in abbrs else d_forms.get(single, written)


# the National Assembly's term after "QH" in an issuer is two digits; an I or l read before them is a speck
# ("UBTVQHI15" → "UBTVQH15"): "QH" + letter + two digits is no issuer
_QH_TERM = re.compile(r"(?<![a-zđ\d])QH[Il|](\d\d)(?!\w)")
_ETH = re.compile("[Ðð]")  # Icelandic eth, which tesseract gives for Đ/đ: Vietnamese never writes it


def _plausible_digits(m: re.Match) -> str | None:
    fixed = m.group().translate(_DIGIT_LIKE)
    return fixed if sum(c.isdigit() for c in m.group()) >= 2 and _PLAUSIBLE.fullmatch(fixed) else None


def _all_digits(m: re.Match) -> str | None:
    fixed = m.group().translate(_DIGIT_LIKE)
    return fixed if fixed.isdigit() else None


@lru_cache(maxsize=1)
def _repairs() -> list[tuple[re.Pattern, Callable[[re.Match], str | None]]]:
    """(pattern, fix) in the order they apply; a fix returns the repaired text, or None to leave the match alone."""
    _, _, code_type, lost_slash = _abbr()
    return [(_ETH, lambda m: "Đ" if m.group() == "Ð" else "đ"),
            (_QH_TERM, lambda m: f"QH{m.group(1)}"),
            (_NUMERIC, _plausible_digits),
            (_CODE_NUMBER, _all_digits),
            (_DATE_NO_SLASH, lambda m: f"{m.group(1)}/{m.group(2)}/{m.group(3)}"),
            (code_type, lambda m: _abbr_fixed(m.group())),
            (lost_slash, lambda m: f"{m.group(1)}/{_abbr_fixed(m.group(2))}")]


def repair(line: str) -> tuple[str, list[tuple[str, str]]]:
    """(repaired line, [(before, after)] for each repair)."""
    done: list[tuple[str, str]] = []

    def apply(fix):
        def sub(m: re.Match) -> str:
            fixed = fix(m)
            if fixed is None or fixed == m.group():
                return m.group()
            done.append((m.group(), fixed))
            return fixed
        return sub

    for pattern, fix in _repairs():
        line = pattern.sub(apply(fix), line)
    return line, done
