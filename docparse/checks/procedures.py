"""Procedure checks: the steps of an internal procedure add up to the total time the document states for it.

Only procedures read with confidence are summed: every counted step has a number, no step runs in parallel or
belongs to another case, and the total is a single figure. Hours count as 1/8 of a working day. A total stated as
an upper bound ("Thời hạn giải quyết: không quá 15 ngày") is broken only by steps that take longer; an exact total
(a "Tổng thời gian" row or line) by any difference.
"""
from __future__ import annotations

from ..extract.procedures import HOURS_PER_DAY, in_days
from ..schema import Document
from . import evidence, finding, register

_UNIT_WORDS = {"working_day": "ngày làm việc", "day": "ngày", "hour": "giờ"}


def _num(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",")


@register("procedure.duration_sum", "warning",
          "Tổng thời gian các bước của quy trình khác với tổng thời gian quy trình ghi.")
def duration_sum(doc: Document):
    for p in doc.procedures:
        if p.total is None or p.doubts or p.total_span is None:
            continue
        counted = [s for s in p.steps if s.counted and s.duration is not None]
        if len(counted) < 2:
            continue
        in_hours = p.total_unit == "hour"  # compare in the total's unit: hours stay hours
        scale = HOURS_PER_DAY if in_hours else 1
        total = p.total if in_hours else in_days(p.total, p.total_unit)
        steps = sum(in_days(s.duration, s.duration_unit) * scale for s in counted)
        if abs(steps - total) < 0.01 or (p.total_bound == "at_most" and steps < total):
            continue
        unit = "giờ" if in_hours else "ngày làm việc"
        listed = "; ".join(f"{s.step or '?'}: {s.duration_text}" for s in counted)
        name = f" \"{p.name[:90]}\"" if p.name else ""
        yield finding("procedure.duration_sum",
                      f"Quy trình{name}: các bước cộng lại {_num(steps)} {unit} ({listed}) nhưng văn bản ghi "
                      f"\"{p.total_text}\" ({_num(total)} {unit}).", doc,
                      [evidence(doc, p.total_span)] + [evidence(doc, s.span) for s in counted],
                      procedure=p.name, steps_total=round(steps, 4), stated_total=p.total, unit=unit,
                      bound=p.total_bound)
