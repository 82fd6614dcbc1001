"""Which thể thức rules apply to a document (shared by the `format_*` check families; registers nothing).

NĐ 30/2020/NĐ-CP governs the administrative documents of state bodies. Party documents follow Hướng dẫn
36-HD/VPTW (their own header "ĐẢNG CỘNG SẢN VIỆT NAM", symbol "12-NQ/TU", prefixes T/M, K/T), so state rules are
never applied to them. Laws and resolutions of Quốc hội and its Standing Committee have no place-and-date line
(they are dated by their adoption) and no Nơi nhận."""
from __future__ import annotations

import re
from bisect import bisect_right

from ..presentation import presentation_of
from ..schema import Document, Header, Span

_PARTY = re.compile(r"Đ[ẢA]NG\s+C[ỘO]NG\s+S[ẢA]N\s+VI[ỆE]T\s+NAM", re.IGNORECASE)
_PARTY_CODE = re.compile(r"^\d+[a-z]?-[A-ZĐ]")  # "57-NQ/TW"
_PARTY_SYMBOL = re.compile(r"^[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ]")  # "NQ/TW", "QĐi/TW"
_ELECTED = re.compile(r"/(?:QH|UBTVQH)\d*$|^(?:QH|UBTVQH)\d*$")


_DOCX_HEADERS: dict[str, Header] = {}


def header_of(doc: Document) -> Header:
    """The document's header, for a DOCX read again from its paragraphs one per line. The DOCX reader writes a table
    row as one line, a cell's paragraphs joined by spaces, so the header and closing grids (two-column tables in
    real drafts) run together there ("ỦY BAN NHÂN DÂN TỈNH … SỞ NỘI VỤ", the signer's title and name on one line);
    Document.presentation keeps each paragraph's span, so the header extractor is run on the paragraphs as lines
    and its spans are mapped back into Document.text."""
    p = presentation_of(doc)
    if doc.format != "docx" or p is None or not p.paragraphs:
        return doc.header
    key = f"{doc.sha256}:{hash(tuple(q.span.start for q in p.paragraphs))}"
    cached = _DOCX_HEADERS.get(key)
    if cached is not None:
        return cached
    from ..extract import extract_header
    from ..extract.portal import PortalLayout
    from ..normalize import normalize

    lines, offsets, pos = [], [], 0
    for para in p.paragraphs:
        lines.append(doc.text[para.span.start:para.span.end])
        offsets.append(pos)
        pos += len(lines[-1]) + 1
    layout_text = "\n".join(lines)
    nt = normalize(layout_text)
    header, _ = extract_header(nt, PortalLayout(0, len(nt.text)))

    def back(span: Span) -> Span:
        i = max(0, bisect_right(offsets, span.start) - 1)
        j = max(0, bisect_right(offsets, max(span.start, span.end - 1)) - 1)
        a = p.paragraphs[i].span.start + min(span.start - offsets[i], len(lines[i]))
        b = p.paragraphs[j].span.start + min(span.end - offsets[j], len(lines[j]))
        return Span(start=a, end=max(a, b))

    for fs in header.fields:
        fs.span = back(fs.span)
    if header.signer is not None:
        header.signer.span = back(header.signer.span)
    if header.span is not None:
        header.span = back(header.span)
    if len(_DOCX_HEADERS) > 64:
        _DOCX_HEADERS.clear()
    _DOCX_HEADERS[key] = header
    return header


def text_lines(doc: Document, start: int, end: int, above: int = 0) -> list[str]:
    """The lines of Document.text[start:end], with up to `above` lines before it; for a DOCX the paragraphs (a table
    cell's paragraphs are one line of Document.text, but each is a line of the layout)."""
    p = presentation_of(doc)
    if doc.format == "docx" and p is not None and p.paragraphs:
        idx = [i for i, q in enumerate(p.paragraphs) if q.span.start < end and start < q.span.end]
        if idx:
            first = max(0, idx[0] - above)
            return [doc.text[q.span.start:q.span.end] for q in p.paragraphs[first:idx[-1] + 1]]
    lines = doc.text[max(0, start - 300 * above):start].split("\n")[:-1][-above:] if above else []
    return lines + doc.text[start:end].split("\n")


def field_span(h: Header, name: str) -> Span | None:
    """The first span of a header field read from the document's own text (not from a portal's info table)."""
    return next((fs.span for fs in h.fields if fs.field == name), None)


def head_text(doc: Document, size: int = 3000) -> str:
    h = header_of(doc)
    start = h.span.start if h.span else 0
    return doc.text[max(0, start - 1500):start + size]


def is_party(doc: Document) -> bool:
    """A Party document: a Party code ("57-NQ/TW", "NQ/TW") or "ĐẢNG CỘNG SẢN VIỆT NAM" in the header zone, above
    the type line (a state document's body may name the Party)."""
    h = header_of(doc)
    if h.code and _PARTY_CODE.match(h.code) or h.symbol and _PARTY_SYMBOL.match(h.symbol):
        return True
    title, number = field_span(h, "doc_type"), field_span(h, "number")
    end = title.start if title else number.end + 300 if number else 1500
    return bool(_PARTY.search(doc.text, 0, min(end, len(doc.text))))


_STATE: dict[tuple[str, str, str | None], bool] = {}


def is_state(doc: Document) -> bool:
    """A state document whose header was read from its own text: NĐ 30/2020 rules apply (asked by every rule,
    answered once per document)."""
    key = (doc.sha256, doc.format, doc.source)
    if key not in _STATE:
        if len(_STATE) > 256:
            _STATE.clear()
        _STATE[key] = header_of(doc).source == "body" and not is_party(doc)
    return _STATE[key]


def is_elected_body(h: Header) -> bool:
    """Quốc hội and its Standing Committee: laws and resolutions with no place-and-date line, no Nơi nhận."""
    return bool(h.symbol and _ELECTED.search(h.symbol)) or bool(
        h.issuer and re.match(r"^(?:QUỐC HỘI|ỦY BAN THƯỜNG VỤ QUỐC HỘI)\b", h.issuer))


_LONE_PIPE = re.compile(r"^\|[ \t]*$", re.MULTILINE)


def portal_copy(doc: Document) -> bool:
    """A legal portal's copy (Markdown, or Markdown saved as .txt): table cells flattened into lone "|" lines and
    "**" bold marks. Such copies drop or truncate parts of the layout (the Nơi nhận cell, at times the header)."""
    if doc.format == "md":
        return True
    head = doc.text[:8000]
    return len(_LONE_PIPE.findall(head)) >= 3 or head.count("**") >= 10


def quote(doc: Document, span: Span | None) -> str:
    return " ".join(doc.text[span.start:span.end].split()) if span else ""
