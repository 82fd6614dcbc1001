"""Thể thức of the place-and-date line (NĐ 30/2020 Phụ lục I mục II.4): the place is the province (for a provincial
body) of the issuing body, by its name after the 2025 mergers for a document dated from 01/07/2025; days below 10
and months 1 and 2 take a leading zero; a date that falls on a weekend or a public holiday is noted (info), as an
office rarely issues documents then."""
from __future__ import annotations

import re
from functools import lru_cache

from ..identity import issuer_place, merger_day
from ..lexicon import provinces
from ..normalize import fold
from ..schema import Document, Span
from . import evidence, finding, register, vn_date
from .format_scope import field_span, header_of, is_state, quote

RULE_DATE = ("NĐ 30/2020/NĐ-CP, Phụ lục I mục II.4.b: ngày, tháng, năm ban hành viết đầy đủ; số chỉ ngày nhỏ hơn "
             "10 và tháng 1, 2 phải ghi thêm số 0 ở trước")
RULE_PLACE = ("NĐ 30/2020/NĐ-CP, Phụ lục I mục II.4.a: địa danh ghi trên văn bản của cơ quan cấp tỉnh là tên của "
              "tỉnh, thành phố trực thuộc trung ương nơi cơ quan ban hành văn bản đóng trụ sở")
_DATE = re.compile(r"ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})")
_LEVEL = re.compile(r"^(?:tinh|thanh pho|tp\.?)\s+")


@lru_cache(maxsize=1)
def _province_names() -> dict[str, dict]:
    return {" ".join(fold(name).replace("-", " ").split()): info for name, info in provinces().items()}


def province_named(place: str) -> dict | None:
    """The province a place line names as a whole ("Hà Nội", "Thành phố Hồ Chí Minh", "TP. Huế"); None for any
    other place, a commune's or a name that only contains a province's ("Hòa Bình Xanh")."""
    key = _LEVEL.sub("", " ".join(fold(place).replace("-", " ").split()))
    return _province_names().get(key)


_PLACE_HEAD = re.compile(r"(?:^|\n)[ \t*_|#]*(?P<w>[A-ZĐÀ-Ỹ][^\W\d_]*(?:[ \t]+[^\W\d_]+){0,3})[ \t]*\n[ \t]*$")


def full_place(doc: Document, span: Span) -> tuple[str, Span]:
    """The place as written: a portal copy breaks lines inside it ("*Thành phố Hồ" / "Chí Minh, ngày …"), and the
    extractor keeps only the last line's part; the words alone on the line above are put back."""
    m = _PLACE_HEAD.search(doc.text, max(0, span.start - 40), span.start)
    if m and m.end() == span.start:
        span = Span(start=m.start("w"), end=span.end)
    return quote(doc, span), span


_COMMUNE = re.compile(r"\b(?:XÃ|PHƯỜNG|THỊ TRẤN|ĐẶC KHU|HUYỆN|QUẬN|THỊ XÃ)\b")


@register("format.date_zero", "info", "Ngày dưới 10 hoặc tháng 1, 2 thiếu số 0 ở trước (\"ngày 5 tháng 1\" → "
          "\"ngày 05 tháng 01\") (NĐ 30/2020/NĐ-CP, Phụ lục I mục II.4).")
def date_zero(doc: Document):
    h = header_of(doc)
    span = field_span(h, "date")
    if not is_state(doc) or span is None or field_span(h, "place") is None:
        return
    m = _DATE.search(doc.text, span.start, span.end)
    if m is None:
        return
    day, month = m.group("d"), m.group("m")
    fixed_day = day if len(day) == 2 or int(day) >= 10 else f"0{day}"
    fixed_month = month if len(month) == 2 or int(month) >= 3 else f"0{month}"
    if (fixed_day, fixed_month) == (day, month):
        return
    written = " ".join(m.group().split())
    suggestion = f"ngày {fixed_day} tháng {fixed_month} năm {m.group('y')}"
    yield finding("format.date_zero", f"\"{written}\": ngày dưới 10 và tháng 1, 2 phải có số 0 ở trước "
                  f"(\"{suggestion}\").", doc, [evidence(doc, span)], rule=RULE_DATE, written=written,
                  suggestion=suggestion)


@register("format.place_province", "warning", "Địa danh ở dòng ngày tháng không phải tỉnh, thành phố của cơ quan ban "
          "hành (hoặc là tên tỉnh cũ trong văn bản ban hành sau khi hợp nhất, từ 01/07/2025) (NĐ 30/2020/NĐ-CP, "
          "Phụ lục I mục II.4).")
def place_province(doc: Document):
    h = header_of(doc)
    span = field_span(h, "place")
    if not is_state(doc) or span is None or not h.issuer:
        return
    text = " ".join(x for x in (h.parent, h.issuer) if x)
    if _COMMUNE.search(text.upper()):
        return  # a commune-level body writes the commune's own name
    home, _ = issuer_place(h)
    written, span = full_place(doc, span)
    where = province_named(written)
    if home is None or where is None:
        return
    after = bool(h.date and h.date >= merger_day())
    if where["new"] != home["new"]:
        yield finding("format.place_province", f"Địa danh \"{written}\" không thuộc tỉnh, thành phố của cơ quan ban "
                      f"hành ({home['new'] if after else home['name']}).", doc, [evidence(doc, span)], rule=RULE_PLACE,
                      written=written, suggestion=home["new"] if after else home["name"])
    elif after and where["merged"] and where["name"] != where["new"]:
        yield finding("format.place_province", f"Địa danh \"{written}\" là tên tỉnh cũ; văn bản ngày {vn_date(h.date)} "
                      f"(sau khi hợp nhất) ghi \"{where['new']}\".", doc, [evidence(doc, span)], rule=RULE_PLACE,
                      written=written, suggestion=where["new"])


@lru_cache(maxsize=64)
def _holidays(year: int):
    import holidays

    return holidays.country_holidays("VN", years=year, language="vi")


_WEEKDAY = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@register("format.date_holiday", "info", "Ngày ban hành rơi vào thứ Bảy, Chủ nhật hoặc ngày lễ, Tết (Bộ luật Lao động "
          "2019, Điều 112): nên xem lại ngày ghi trên văn bản.")
def date_holiday(doc: Document):
    h = header_of(doc)
    span = field_span(h, "date")
    if not is_state(doc) or span is None or h.date is None or field_span(h, "place") is None:
        return
    name = _holidays(h.date.year).get(h.date)
    if name is None and h.date.weekday() < 5:
        return
    what = name or _WEEKDAY[h.date.weekday()]
    yield finding("format.date_holiday", f"Ngày ban hành {vn_date(h.date)} là {what}.", doc, [evidence(doc, span)],
                  rule="Ngày nghỉ hằng tuần và ngày lễ, Tết theo Bộ luật Lao động 2019 (Điều 111, 112)",
                  day=what)
