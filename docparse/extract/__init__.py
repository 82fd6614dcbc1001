"""Extractors: each takes the normalised text (and the body region) and returns records with original spans."""
from .citations import find_citations
from .dates import extract_dates
from .header import extract_header
from .portal import detect as detect_portal
from .structure import extract_structure

__all__ = ["find_citations", "extract_dates", "extract_header", "detect_portal", "extract_structure"]
