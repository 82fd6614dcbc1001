"""How a DOCX file looks, for the thể thức checks (NĐ 30/2020 Phụ lục I: A4, margins, Times New Roman, the size
and weight of each component, page numbers from page 2): page setup of the first section, the page-number field of
the headers and footers, and each paragraph's effective font, size, bold and italic. Read on first use (by the
format.* checks) from the .docx file the Document was parsed from, so that parsing costs nothing more and a
Document parsed from bytes equals the one parsed from the file.

Word resolves a run's look through the run, its character style, the paragraph style and its base styles, then
the document defaults; python-docx exposes each level but does not resolve them, so this module does. Each
paragraph gets the span of its text in Document.text: the DOCX reader writes body paragraphs one per line and a
table row's cells tab-separated (a cell's paragraphs joined by spaces), in document order, so a forward search
finds each one."""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

from .errors import DocparseError
from .schema import Document, ParagraphStyle, Presentation, Span

_EMU_PER_MM = 36000
_SEARCH_SLACK = 512  # a paragraph lies within this many characters after the previous one (separators, a cell)


def presentation_of(doc: Document) -> Presentation | None:
    """Document.presentation, read on first use from the .docx file at Document.source and kept on the Document
    (as Corpus.check sets Citation.resolved_to). None for any other format, for a DOCX given as bytes (no file to
    read) and when the file's text is no longer the Document's (the file changed since it was parsed)."""
    if doc.presentation is not None or doc.format != "docx" or not doc.source:
        return doc.presentation
    path = Path(doc.source)
    if path.suffix.lower() != ".docx" or not path.is_file():
        return None
    from .readers import read_bytes
    from .readers.docx import read_docx

    try:
        data = read_bytes(path)
        src = read_docx(data, str(path))  # the reader's checks (zip bomb, DTD) and its text, to match the Document's
    except DocparseError:
        return None  # the file became unreadable since it was parsed: nothing to say about its look
    if hashlib.sha256(src.text.encode("utf-8", "surrogatepass")).hexdigest() != doc.sha256:
        return None
    doc.presentation = read_presentation(data, doc.text)
    return doc.presentation


def read_presentation(data: bytes, text: str) -> Presentation:
    """The presentation facts of a DOCX (`data`, already checked by docparse.readers.docx) whose text, as the DOCX
    reader gives it, is `text`."""
    import docx
    from docx.oxml.ns import qn

    from .readers.docx import (
        _Names,  # the reader's own paragraph text, so that the spans match its text
    )

    document = docx.Document(io.BytesIO(data))
    resolver = _Resolver(document, qn)
    names = _Names(qn)
    out = Presentation()
    if document.sections:
        sec = document.sections[0]
        for name in ("page_width", "page_height", "top_margin", "bottom_margin", "left_margin", "right_margin"):
            value = getattr(sec, name)
            if value is not None:
                field = {"page_width": "page_width_mm", "page_height": "page_height_mm"}.get(
                    name, f"margin_{name.split('_')[0]}_mm")
                setattr(out, field, round(value / _EMU_PER_MM, 1))
        out.page_number, out.page_number_first_page = _page_numbers(document, qn)
    body = document.element.find(qn("w:body"))
    pos = 0
    for child in body.iterchildren() if body is not None else ():
        if child.tag == qn("w:p"):
            raw = names.paragraph_text(child)
            pos = _add(out, resolver, child, raw, text, pos, False)
            pos += 1 if raw else 0
        elif child.tag == qn("w:tbl"):  # a cell's own paragraphs, as the reader writes them (no nested table)
            for tr in child.iterchildren(qn("w:tr")):
                for tc in tr.iterchildren(qn("w:tc")):
                    for p in tc.iterchildren(qn("w:p")):
                        raw = " ".join(names.paragraph_text(p).split())
                        pos = _add(out, resolver, p, raw, text, pos, True)
    return out


def _add(out: Presentation, resolver: _Resolver, p, raw: str, text: str, pos: int, in_table: bool) -> int:
    if not raw.strip():
        return pos
    at = text.find(raw, pos, pos + len(raw) + _SEARCH_SLACK)
    if at < 0:
        return pos  # not where the reader put it: left out rather than matched far away
    fonts, sizes, bolds, italics = [], [], [], []
    for r, run_text in resolver.runs(p):
        if not run_text.strip():
            continue
        font, size, bold, italic = resolver.run_style(p, r)
        if font not in fonts:
            fonts.append(font)
        if size is not None and size not in sizes:
            sizes.append(size)
        bolds.append(bold)
        italics.append(italic)
    out.paragraphs.append(ParagraphStyle(
        fonts=[f for f in fonts if f], sizes=sizes, bold=_all(bolds), italic=_all(italics), in_table=in_table,
        span=Span(start=at, end=at + len(raw))))
    return at + len(raw)


def _all(flags: list[bool]) -> bool | None:
    if not flags:
        return None
    return True if all(flags) else False if not any(flags) else None


class _Resolver:
    """Effective run properties: run → character style → paragraph style chain → document defaults."""

    def __init__(self, document, qn):
        self.qn = qn
        self.styles = {s.get(qn("w:styleId")): s for s in document.styles.element.iter(qn("w:style"))}
        defaults = document.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        self.default_rpr = rpr
        self.theme = _theme_fonts(document)
        self.default_para_style = next((s.get(qn("w:styleId")) for s in self.styles.values()
                                        if s.get(qn("w:type")) == "paragraph" and s.get(qn("w:default")) == "1"), None)

    def runs(self, p):
        qn = self.qn
        for r in p.iter(qn("w:r")):
            yield r, "".join(t.text or "" for t in r.iter(qn("w:t")))

    def _chain(self, style_id: str | None):
        seen = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            rpr = style.find(self.qn("w:rPr"))
            if rpr is not None:
                yield rpr
            based = style.find(self.qn("w:basedOn"))
            style_id = based.get(self.qn("w:val")) if based is not None else None

    def run_style(self, p, r) -> tuple[str | None, float | None, bool, bool]:
        qn = self.qn
        levels = []
        rpr = r.find(qn("w:rPr"))
        if rpr is not None:
            levels.append(rpr)
            rstyle = rpr.find(qn("w:rStyle"))
            if rstyle is not None:
                levels.extend(self._chain(rstyle.get(qn("w:val"))))
        ppr = p.find(qn("w:pPr"))
        pstyle = ppr.find(qn("w:pStyle")) if ppr is not None else None
        levels.extend(self._chain(pstyle.get(qn("w:val")) if pstyle is not None else self.default_para_style))
        if self.default_rpr is not None:
            levels.append(self.default_rpr)
        return self._font(levels), self._size(levels), self._toggle(levels, "w:b"), self._toggle(levels, "w:i")

    def _font(self, levels) -> str | None:
        qn = self.qn
        for rpr in levels:
            fonts = rpr.find(qn("w:rFonts"))
            if fonts is None:
                continue
            name = fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:ascii"))
            if name:
                return name
            theme = fonts.get(qn("w:hAnsiTheme")) or fonts.get(qn("w:asciiTheme"))
            if theme:
                return self.theme.get("major" if theme.startswith("major") else "minor") or "(theme)"
        return None

    def _size(self, levels) -> float | None:
        qn = self.qn
        for rpr in levels:
            sz = rpr.find(qn("w:sz"))
            if sz is not None:
                raw = (sz.get(qn("w:val")) or "").strip()
                if raw.isdigit() and len(raw) < 6:
                    return int(raw) / 2
        return 10.0  # Word's size when nothing sets one

    def _toggle(self, levels, tag: str) -> bool:
        qn = self.qn
        for rpr in levels:
            el = rpr.find(qn(tag))
            if el is not None:
                return (el.get(qn("w:val")) or "true").lower() not in ("0", "false", "off")
        return False


def _theme_fonts(document) -> dict[str, str]:
    """{"minor": …, "major": …}: the Latin typefaces of the document's theme, which a run names by "minorHAnsi" or
    "majorHAnsi" instead of a font. Empty when the theme cannot be read."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    try:
        blob = document.part.part_related_by(RT.THEME).blob
        root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False))
    except (KeyError, ValueError, etree.XMLSyntaxError):
        return {}
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    out = {}
    for kind in ("minor", "major"):
        latin = root.find(f".//a:{kind}Font/a:latin", ns)
        if latin is not None and latin.get("typeface"):
            out[kind] = latin.get("typeface")
    return out


def _page_numbers(document, qn) -> tuple[str, bool]:
    """Where the first section's PAGE field is ("header", "footer", "none") and whether page 1 shows it (no
    "different first page", or a first-page header or footer with the field)."""
    sect = document.sections[0]._sectPr
    title_pg = sect.find(qn("w:titlePg"))
    title_page = title_pg is not None and (title_pg.get(qn("w:val")) or "true").lower() not in ("0", "false", "off")
    where, first = "none", False
    for kind in ("header", "footer"):
        for ref in sect.iterchildren(qn(f"w:{kind}Reference")):
            part = document.part.related_parts.get(ref.get(qn("r:id")))
            if part is None or not _has_page_field(part.element, qn):
                continue
            which = ref.get(qn("w:type")) or "default"
            if which == "first" and not title_page:
                continue  # a first-page header Word does not use
            where = kind if where == "none" else where
            first = first or which == "first" or (which == "default" and not title_page)
    return where, first


def _has_page_field(element, qn) -> bool:
    for instr in element.iter(qn("w:instrText")):
        if "PAGE" in (instr.text or "").upper().split():
            return True
    for simple in element.iter(qn("w:fldSimple")):
        if "PAGE" in (simple.get(qn("w:instr")) or "").upper().split():
            return True
    return False
