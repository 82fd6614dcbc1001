"""Offsets mapped once per batch: NormText.orig_spans and NormText.to_norms (one call per layer instead of one
NormText.orig_span / to_norm call per record), kept here under their old names for the extractors that import them.
tests/test_fastpath.py checks they answer as the per-record methods do."""
from __future__ import annotations

from ..normalize import NormText


def orig_spans(nt: NormText, ranges) -> list[tuple[int, int]]:
    """[nt.orig_span(a, b) for a, b in ranges], in one pass."""
    return nt.orig_spans(ranges)


def to_norms(nt: NormText, offsets) -> list[int]:
    """[nt.to_norm(o) for o in offsets], in one pass."""
    return nt.to_norms(offsets)
