"""Identity of a cited document, eyecite-style: equality by normalised fields, not by surface.

Numbers restart every 1 January, so a document is (number, symbol, year, authority). Symbols are compared case-blind,
with Đ/D confusions and stray spaces removed; a number's leading zeros do not count (0204 = 204). The authority is the
register the number was taken from: a nation-wide series names it in the symbol (QĐ-TTg, TT-BTC, NQ/TW); a local one
(QĐ-UBND, NQ-HĐND, TTr-STC, CT/TU …) restarts in every province and commune, so its authority is resolved from the
citation's own issuer ("… của UBND tỉnh Đồng Nai"), else from the citing document's issuer, else it stays unknown.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from .lexicon import abbr_to_type, new_governments_from, provinces
from .normalize import fold
from .schema import Citation, Document, Header

_SPACES = re.compile(r"\s+")


# the pure functions of a symbol or a name below are memoised: a document repeats the same few symbols and issuers,
# and the citation layer asks for every one of them (a few µs each, thousands of times per corpus)
@lru_cache(maxsize=4096)
def symbol_key(symbol: str | None) -> str:
    if not symbol:
        return ""
    s = unicodedata.normalize("NFC", symbol).upper()
    s = s.replace("Đ", "D").replace("Ð", "D").replace("–", "-").replace("—", "-").replace("&", "")
    return _SPACES.sub("", s)


def number_key(number: str | None) -> str:
    if not number:
        return ""
    n = number.strip().lower()
    return n.lstrip("0") or "0"


_YEAR_IN_CODE = re.compile(r"/((?:19|20)\d{2})/")


def code_year(code: str | None) -> int | None:
    """The year written inside a code: 46/2002/QĐ-UBND → 2002."""
    m = _YEAR_IN_CODE.search(code or "")
    return int(m.group(1)) if m else None


_ASSEMBLY = re.compile(r"^(?:UBTV)?QH\d*$")
_STATUTES = frozenset({"Luật", "Bộ luật", "Hiến pháp", "Pháp lệnh"})


def _series(doc_type: str | None, symbol_k: str) -> str:
    """Quốc hội numbers its laws and its resolutions apart, with the same symbol: Luật 55/2010/QH12 (an toàn thực
    phẩm) and Nghị quyết 55/2010/QH12 (thuế sử dụng đất nông nghiệp) are two documents. Their keys carry the kind
    ("L:", "NQ:"); an untyped mention of such a code joins neither."""
    if not _ASSEMBLY.match(symbol_k.rsplit("/", 1)[-1]):
        return symbol_k
    kind = "L" if doc_type in _STATUTES else "NQ" if doc_type == "Nghị quyết" else "?"
    return f"{kind}:{symbol_k}"


def citation_key(c: Citation) -> tuple[str, str] | None:
    """(number, symbol) of a coded citation; None for laws cited by name or blank-number drafts. A code with its
    year ("15/2025/QĐ-TTg", a normative document) belongs to another series than one without ("15/QĐ-TTg"), so
    the year stays in the symbol key: "2025/QD-TTG"."""
    if not c.code or not c.number or not c.symbol:
        return None
    return _citation_key(c.number, c.code, c.symbol, c.doc_type)


@lru_cache(maxsize=4096)
def _citation_key(number: str, code: str, symbol: str, doc_type: str | None) -> tuple[str, str]:
    m = _YEAR_IN_CODE.search(code)
    return number_key(number), _series(doc_type, (f"{m.group(1)}/" if m else "") + symbol_key(symbol))


def header_key(h: Header) -> tuple[str, str] | None:
    if not h.number or not h.symbol:
        return None
    return number_key(h.number), _series(h.doc_type, (f"{h.year}/" if h.year else "") + symbol_key(h.symbol))


def header_year(h: Header) -> int | None:
    if h.year:
        return h.year
    if h.date:
        return h.date.year
    return int(h.date_partial[:4]) if h.date_partial else None


def document_id(doc: Document) -> str:
    return doc.source or f"<text:{doc.sha256[:12]}>"


# ---- the parts of a symbol --------------------------------------------------------------------------------------
_YEAR_PREFIX = re.compile(r"^(?:[A-Z?]+:)?(?:(?:19|20)\d{2}/)?")  # a series kind ("L:", see _series) and a year


@lru_cache(maxsize=None)
def type_codes() -> frozenset[str]:
    return frozenset(symbol_key(a) for a in abbr_to_type()) | {"TTR", "CV", "QDI", "CTR", "TTLT", "VBHN"}


@lru_cache(maxsize=4096)
def symbol_parts(symbol_k: str) -> tuple[str, str]:
    """(type part, issuing part) of a symbol key: "QD-UBND" → ("QD", "UBND"); "2022/ND-CP" → ("ND", "CP");
    Party "NQ/TW" → ("NQ", "TW"); a công văn "UBND-VX" → ("", "UBND"); "QD-BNN-KHCN" → ("QD", "BNN")."""
    s = _YEAR_PREFIX.sub("", symbol_k)
    if "/" in s:  # Party: type/body, the body last
        head, body = s.rsplit("/", 1)
        return head.split("-")[-1], body.split("-")[0]
    parts = [p for p in s.split("-") if p]
    if not parts:
        return "", ""
    if len(parts) > 1 and parts[0] in type_codes():
        return parts[0], parts[1]
    if len(parts) > 1 and _is_body(parts[1]) and not _is_body(parts[0]) and len(parts[0]) <= 3:
        return parts[0], parts[1]  # a misspelt type ("NO-HĐND"): the body still comes second
    return ("", parts[0]) if len(parts) > 1 or parts[0] not in type_codes() else (parts[0], "")


def _is_body(part: str) -> bool:
    return part in ("UBND", "UB", "HDND") or bool(_NATIONAL.match(part))


def type_part(symbol_k: str) -> str:
    """"QD-UBND" → "QD"; "2022/ND-CP" → "ND"; Party "NQ/TW" → "NQ"."""
    return symbol_parts(symbol_k)[0]


def issuer_part(symbol_k: str) -> str:
    """"QD-TTG" → "TTG"; "2022/ND-CP" → "CP"; "NQ/TW" → "TW"; "VPCP-KSTT" → "VPCP"."""
    return symbol_parts(symbol_k)[1]


# Issuers whose numbering is nation-wide; local ones (UBND, HĐND, Tỉnh ủy …) restart in every province.
_NATIONAL = re.compile(r"^(?:TTG|CP|VPCP|QH\d*|UBTVQH\d*|VPQH|TW|VPTW|BCT?TW|UBKTTW|NHNN|TTCP|KTNN|TANDTC|VKSNDTC|"
                       r"CTN|HDTP|TCHQ|CHQ|TCT|B(?!QL|CD$|TG)[A-Z]{1,8}(?<!TU)(?<!HU))$")  # not a province's Ban quản lý, BCĐ, BTGTU


@lru_cache(maxsize=4096)
def national_series(symbol_k: str) -> bool:
    return bool(_NATIONAL.match(issuer_part(symbol_k)))


# ---- places -----------------------------------------------------------------------------------------------------
@lru_cache(maxsize=None)
def _province_index() -> tuple[re.Pattern, dict[str, dict]]:
    index = {fold(name).replace("-", " "): info for name, info in provinces().items()}
    index = {" ".join(k.split()): v for k, v in index.items()}
    names = sorted(index, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(" + "|".join(re.escape(n) for n in names) + r")(?![a-z0-9])"), index


@lru_cache(maxsize=4096)
def find_province(text: str | None) -> dict | None:
    """The province a text names ("UBND tỉnh Bình Phước", "TP.HCM"), as its lexicon entry; None when none."""
    if not text:
        return None
    pattern, index = _province_index()
    folded = " ".join(fold(text).replace("-", " ").split())
    fallback = None
    for m in pattern.finditer(folded):
        before = folded[max(0, m.start() - 12):m.start()]
        if _PROVINCE_WORD.search(before):
            return index[m.group(1)]  # "tỉnh Hòa Bình", "thành phố Huế": the province itself
        if fallback is None and not _COMMUNE_WORD.search(before):
            fallback = index[m.group(1)]  # a bare name ("Hà Nội"), not a commune's ("xã Hòa Bình")
    return fallback


# the word before a name: a province's level, or a lower unit whose name may be a province's ("xã Hòa Bình")
_PROVINCE_WORD = re.compile(r"(?:^|\s)(?:tinh|thanh pho|tp\.?)\s*$")
_COMMUNE_WORD = re.compile(r"(?:^|\s)(?:xa|phuong|thi tran|thi xa|huyen|quan|dac khu|thon|ap|ban)\s*$")


def _unit(info: dict) -> dict:
    """An old province keeps its name when it was merged with others (its register was its own); a province left
    whole keeps one name across the merger (Thừa Thiên Huế → thành phố Huế)."""
    return info if info["merged"] else provinces()[info["new"]]


def _place(info: dict) -> str:
    """"tỉnh Bình Phước", "thành phố Huế"."""
    unit = _unit(info)
    return f"{unit['kind']} {unit['name']}"


_SUB_UNIT = re.compile(r"\b((?i:xã|phường|thị trấn|đặc khu|huyện|quận|thị xã|thành phố))\s+"
                       r"((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÍÌỈĨỊÚÙỦŨỤÝÉÈ][\w'’]*\s?){1,4})")
_LOCAL_BODY = re.compile(r"ủy ban nhân dân|ubnd|hội đồng nhân dân|hđnd|tỉnh ủy|thành ủy|\bsở\b|\btỉnh\b|thành phố|"
                         r"\bxã\b|phường|đảng ủy", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _sub_unit(text: str | None) -> str | None:
    """"xã Tân Lập" from "UBND xã Tân Lập"; a "thành phố" that is a province is no sub-unit."""
    if not text:
        return None
    for m in _SUB_UNIT.finditer(unicodedata.normalize("NFC", text)):
        name = " ".join(m.group(2).split())
        if m.group(1).lower() == "thành phố" and find_province(name):
            continue
        return f"{' '.join(m.group(1).lower().split())} {name}"
    return None


_LEVEL_BODIES = {"UBND", "UB", "HDND", "CTUBND", "CT", "DU"}  # bodies a commune has too


def _label(issuer: str, info: dict | None) -> str:
    if issuer in ("UBND", "UB"):
        return "UBND"
    if issuer == "HDND":
        return "HĐND"
    if issuer in ("CTUBND", "CT"):
        return "Chủ tịch UBND"
    if issuer == "TU":
        return "Thành ủy" if info and _unit(info)["kind"] == "thành phố" else "Tỉnh ủy"
    return issuer


def _authority(issuer: str, info: dict | None, sub: str | None) -> str | None:
    if info is None and sub is None:
        return None
    label = _label(issuer, info)
    where = _place(info) if info else ""
    if sub and issuer in _LEVEL_BODIES:
        return f"{label} {sub}" + (f", {where}" if where else "")
    if issuer == "TU" and info:
        return f"{label} {_unit(info)['name']}"  # "Tỉnh ủy Cao Bằng", "Thành ủy Hà Nội"
    return f"{label} {where}" if where else None


def issuer_place(h: Header) -> tuple[dict | None, str | None]:
    """The province (and commune, when the issuer is one) of a document's issuing body; (None, None) for a central
    body: a ministry's place "Hà Nội" says nothing about whose UBND it cites."""
    text = " ".join(x for x in (h.issuer, h.parent, h.issuer_canonical) if x)
    info = find_province(text)
    if info is None and _LOCAL_BODY.search(text) and not re.search(r"\bbộ\b|chính phủ|trung ương", text, re.I):
        info = find_province(h.place) if h.place and len(h.place.split()) >= 2 else None
    sub = _sub_unit(h.issuer_canonical or h.issuer and h.issuer.title())
    return info, sub


def header_authority(h: Header) -> tuple[str | None, str]:
    """The register of a document's own number: its symbol's series, or its issuer's place for a local series."""
    key = header_key(h)
    if not key:
        return None, "unknown"
    issuer = issuer_part(key[1])
    if national_series(key[1]):
        return issuer, "symbol"
    info, sub = issuer_place(h)
    auth = _authority(issuer, info, sub)
    return (auth, "header") if auth else (None, "unknown")


_LEVEL_WORD = re.compile(r"\b(xã|phường|thị trấn|đặc khu|huyện|quận|thị xã)\b", re.IGNORECASE)


def citation_authority(c: Citation, citing: Header, place: tuple[dict | None, str | None] | None = None
                       ) -> tuple[str | None, str]:
    """(authority, source) of a citation: "symbol" for a nation-wide series; "citation" when the citation names its
    issuer's place; "citing_document" when it is taken from the citing document's issuer (a Nghệ An decision citing
    "Quyết định số 12/QĐ-UBND" means Nghệ An's UBND, a commune's means that commune's); "unknown" otherwise."""
    key = citation_key(c)
    if not key:
        return None, "unknown"
    issuer = issuer_part(key[1])
    if national_series(key[1]):
        return issuer, "symbol"
    home, home_sub = place or issuer_place(citing)  # `place`: issuer_place(citing), computed once per document
    level = None
    if c.issuer:
        info, sub = find_province(c.issuer), _sub_unit(c.issuer)
        if info or sub:
            auth = _authority(issuer, info or (home if sub else None), sub)
            if auth:
                return auth, "citation"
        if not _LOCAL_BODY.search(c.issuer):
            return None, "unknown"  # a body named without a place (a committee, a ministry's unit): no guess
        m = _LEVEL_WORD.search(c.issuer)  # "của UBND huyện": the citing document's own district, if it is one
        level = m.group(1).lower() if m else "tỉnh"
    sub = home_sub if home_sub and (level is None or home_sub.startswith(level)) else None
    if level and level != "tỉnh" and sub is None:
        return None, "unknown"  # another commune or district than the citing document's: which one is not said
    auth = _authority(issuer, home, sub)
    if auth and home and sub is None and home["merged"] and _after_merger(citing) and not _after_merger_cited(c):
        olds = [n for n, i in provinces().items() if i["new"] == home["new"] and i["name"] == n]
        auth += " (trước hợp nhất: một trong " + ", ".join(olds) + ")"
    return (auth, "citing_document") if auth else (None, "unknown")


def merger_day() -> dt.date:
    return dt.date.fromisoformat(new_governments_from())


def _after_merger(h: Header) -> bool:
    return bool(h.date and h.date >= merger_day())


def _after_merger_cited(c: Citation) -> bool:
    if c.date:
        return c.date >= merger_day()
    return bool(c.year and c.year > merger_day().year)


def straddles_merger(authority: str | None, a: str | None, b: str | None) -> bool:
    """Two ISO dates on either side of the day the merged provinces' new governments started: one local number can
    then name two documents (the old province's and the new one's)."""
    if not authority or not a or not b or len(a) < 10 or len(b) < 10:
        return False
    info = find_province(authority)
    day = new_governments_from()
    return bool(info and info["merged"]) and (a < day) != (b < day)


_SOURCE_PHRASES = {
    "symbol": "theo ký hiệu văn bản",
    "citation": "theo cơ quan ban hành nêu trong câu viện dẫn",
    "header": "theo phần đầu văn bản",
    "citing_document": "suy ra từ cơ quan ban hành văn bản viện dẫn",
}
_STRENGTH = {"symbol": 3, "header": 3, "citation": 2, "citing_document": 1, "unknown": 0}


def weakest_source(sources) -> str:
    return min(sources, key=lambda s: _STRENGTH.get(s, 0))


_NATIONAL_NAMES = {
    "CP": "Chính phủ", "TTG": "Thủ tướng Chính phủ", "VPCP": "Văn phòng Chính phủ", "TW": "Trung ương Đảng",
    "VPTW": "Văn phòng Trung ương Đảng", "VPQH": "Văn phòng Quốc hội", "CTN": "Chủ tịch nước", "NHNN": "Ngân hàng Nhà nước",
    "TTCP": "Thanh tra Chính phủ", "KTNN": "Kiểm toán Nhà nước", "TANDTC": "Tòa án nhân dân tối cao",
    "VKSNDTC": "Viện kiểm sát nhân dân tối cao", "TCHQ": "Tổng cục Hải quan", "CHQ": "Cục Hải quan", "BTC": "Bộ Tài chính",
    "BCT": "Bộ Công Thương", "BTP": "Bộ Tư pháp", "BNV": "Bộ Nội vụ", "BYT": "Bộ Y tế", "BXD": "Bộ Xây dựng",
    "BQP": "Bộ Quốc phòng", "BCA": "Bộ Công an", "BNG": "Bộ Ngoại giao", "BGDDT": "Bộ Giáo dục và Đào tạo",
    "BKHCN": "Bộ Khoa học và Công nghệ", "BVHTTDL": "Bộ Văn hóa, Thể thao và Du lịch",
    "BNNMT": "Bộ Nông nghiệp và Môi trường", "BDTTG": "Bộ Dân tộc và Tôn giáo",
    "BTTTT": "Bộ Thông tin và Truyền thông", "BKHDT": "Bộ Kế hoạch và Đầu tư",
    "BLDTBXH": "Bộ Lao động - Thương binh và Xã hội", "BGTVT": "Bộ Giao thông vận tải",
    "BTNMT": "Bộ Tài nguyên và Môi trường", "BNNPTNT": "Bộ Nông nghiệp và Phát triển nông thôn",
}
_QH = re.compile(r"^(UBTVQH|QH)(\d+)$")


def authority_name(authority: str) -> str:
    """A series code spelt out for a reader: "QH15" → "Quốc hội khóa 15"; a local authority is already a name."""
    m = _QH.match(authority)
    if m:
        return f"{'Ủy ban Thường vụ Quốc hội' if m.group(1) == 'UBTVQH' else 'Quốc hội'} khóa {m.group(2)}"
    return _NATIONAL_NAMES.get(authority, authority)


def authority_phrase(authority: str | None, source: str) -> str:
    """"của UBND tỉnh Đồng Nai (theo cơ quan ban hành nêu trong câu viện dẫn)" for a finding's message."""
    if not authority:
        return "(không xác định được cơ quan ban hành)"
    return f"của {authority_name(authority)} ({_SOURCE_PHRASES.get(source, source)})"


def set_authorities(doc_citations: list[Citation], header: Header) -> None:
    """Fill Citation.authority for every citation of a document; a self-citation takes the document's own."""
    own, place = header_authority(header), issuer_place(header)
    for c in doc_citations:
        if c.is_self:
            c.authority, c.authority_source = own if own[0] else (None, "unknown")
        else:
            c.authority, c.authority_source = citation_authority(c, header, place)
