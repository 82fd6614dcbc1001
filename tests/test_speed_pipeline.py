"""Issue 17, round 2 (pipeline, assignments, records): the cheaper paths say exactly what the plain ones said.

- A record assigned a field it was not built with moves to the shared set of names that has that field too (a set
  per assigned record held a sixth of a parsed document); what pydantic reports for it stays that of a record with a
  set of its own.
- The assignment item markers are read one at a time (a long document's Match objects are never all held), in the
  order the sorted list of line and inline markers had.
- An item that only names an agency is told without asking _lead first (it finds a lead only where a verb is).
- Assignments read deadlines from the dates' and citations' normalised spans the pipeline mapped for the indicators;
  mapped again by extract_assignments itself they give the same tasks.
"""
from __future__ import annotations

import random
import re
from operator import methodcaller

import pytest
from pydantic import BaseModel, ConfigDict

import docparse
from docparse.extract import assignments as A
from docparse.normalize import normalize
from docparse.schema import _SHARED_FIELDS, Citation, Span, Task, _FieldsSet
from tests.fictional import vb


class _PlainCitation(BaseModel):
    """Citation's fields, without the shared sets: what pydantic itself does on assignment."""

    model_config = ConfigDict(extra="forbid")
    text: str
    span: dict
    is_self: bool = False
    authority: str | None = None


def test_an_assigned_record_moves_to_the_shared_set_that_has_the_name():
    a = Citation(text="12/QĐ-UBND", span=Span(start=0, end=10))
    b = Citation(text="13/QĐ-UBND", span=Span(start=20, end=30))
    c = Citation(text="14/QĐ-UBND", span=Span(start=40, end=50))
    plain = _PlainCitation(text="12/QĐ-UBND", span={"start": 0, "end": 10})
    a.is_self, c.is_self, plain.is_self = True, True, True
    assert type(a.__pydantic_fields_set__) is _FieldsSet
    assert a.__pydantic_fields_set__ is c.__pydantic_fields_set__  # one set for every record assigned alike
    assert a.model_fields_set == plain.model_fields_set == {"text", "span", "is_self"}
    assert b.model_fields_set == {"text", "span"}  # the set it shared before is untouched
    a.authority = "TTg"
    assert a.model_fields_set == {"text", "span", "is_self", "authority"}
    assert c.model_fields_set == {"text", "span", "is_self"}
    assert a.model_dump(exclude_unset=True) == {"text": "12/QĐ-UBND", "span": {"start": 0, "end": 10},
                                                "is_self": True, "authority": "TTg"}
    for key, shared in _SHARED_FIELDS.items():  # no shared set ever gained a name
        assert set(shared) == set(key)


def test_an_unknown_attribute_still_fails_and_adds_no_name():
    a = Citation(text="12/QĐ-UBND", span=Span(start=0, end=10))
    with pytest.raises(ValueError):
        a.not_a_field = 1
    assert a.model_fields_set == {"text", "span"}


def test_the_parse_shares_the_sets_of_assigned_records():
    doc = docparse.parse_text(vb("Căn cứ Quyết định số 12/2024/QĐ-UBND ngày 05/3/2024 và Quyết định số "
                                 "13/2024/QĐ-UBND ngày 06/3/2024;\n1. Giao Phòng Nội vụ chủ trì, phối hợp với Phòng "
                                 "Tài chính rà soát hồ sơ, hoàn thành trước ngày 30/9/2025.\n"))
    assert len(doc.citations) >= 2 and doc.tasks
    sets = {id(c.__pydantic_fields_set__) for c in doc.citations}
    assert len(sets) == 1 and "is_self" in doc.citations[0].model_fields_set  # _mark_self assigned every one
    assert all(type(t.__pydantic_fields_set__) is _FieldsSet for t in doc.tasks)  # and the agencies every task


# ---- the markers, one at a time ----------------------------------------------------------------------------------
_PIECES = ["\n", "\n", "\n\n", " ", "\t", "1.", "2.3.", "a)", "-", "+", "Điều 3.", "IV.", "(1)", "(12)", "(", ")",
           " x", "Bộ", "|", "1", ".", ":", "; ", "b", "(2) ", "Giao ", "\n(3)"]


def _sorted_marks(text: str, start: int, end: int) -> list:
    """The reading before: every line marker in a list, the inline ones added, the whole sorted."""
    found = list(A._line_marks(text, start, end))
    return sorted(found + list(A._INLINE_MARK.finditer(text, start, end)), key=methodcaller("start", 1))


def test_streamed_markers_are_the_sorted_list_of_line_and_inline_ones():
    rng = random.Random(172)
    with_inline = 0
    for _ in range(20000):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 20)))
        start = 0 if rng.random() < 0.5 else rng.randint(0, len(text))
        end = len(text) if rng.random() < 0.5 else rng.randint(start, len(text))
        streamed = A._marks(text, start, end)
        assert not isinstance(streamed, list)  # a generator: nothing held
        got = [(m.start(1), m.end(), m.lastgroup) for m in streamed]
        want = [(m.start(1), m.end(), m.lastgroup) for m in _sorted_marks(text, start, end)]
        assert got == want, (text, start, end)
        with_inline += any(kind == "inline" for *_, kind in want)
    assert with_inline > 1000  # the merge was exercised


# ---- normalised spans given or mapped --------------------------------------------------------------------------
_PROSE = ("**Điều 1.** Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát kinh phí, hoàn thành trước ngày "
          "15/10/2025 (theo Quyết định số 21/2025/QĐ-UBND ngày 02/01/2025).\n"
          "**Điều 2.** Sở Y tế triển khai kế hoạch tiêm chủng trong tháng 11/2025; báo cáo kết quả trước ngày "
          "30/11/2025.\n")


def test_assignments_read_the_same_tasks_from_given_or_mapped_spans():
    doc = docparse.parse_text(vb(_PROSE, loai="QUYẾT ĐỊNH\nVề việc giao nhiệm vụ"))
    nt = normalize(doc.text)
    assert nt.text != doc.text  # the markup is gone: the offsets differ, the mapping matters
    prose = [t for t in doc.tasks if t.source == "prose"]
    assert len(prose) == 2 and all(t.deadline for t in prose)
    cites = [(c.span.start, c.span.end) for c in doc.citations]
    at = nt.to_norms([p for r in [*doc.citations, *doc.dates] for p in (r.span.start, r.span.end)])
    pairs = list(zip(at[::2], at[1::2]))
    args = (nt, 0, len(nt.text), doc.entities, doc.dates, cites, [], doc.sections)
    mapped = A.extract_assignments(*args)
    given = A.extract_assignments(*args, norm_dates=pairs[len(cites):], norm_citations=pairs[:len(cites)])
    assert [t.model_dump() for t in given] == [t.model_dump() for t in mapped]
    assert [(t.lead, t.deadline_text) for t in given] == [(t.lead, t.deadline_text) for t in prose]
    assert all(isinstance(t, Task) for t in given)



# ---- _only_lead without _lead ----------------------------------------------------------------------------------
_LEAD_PIECES = ["Sở Y tế", "Bộ Tài chính", "Các sở", "các ngành", "Giao ", "Chủ tịch ", "Giám đốc ", " chủ trì", " rà soát",
                " tổ chức", " chịu trách nhiệm trước", " thực hiện", ": ", ", ", " và ", " (VTV)", " đã", " x", "\n\n",
                " ", "là ", "Trên đây", "; ", "Công an tỉnh", " hàng năm"]


def _orgs_in(text: str) -> dict[int, int]:
    orgs = {}
    for name in ("Sở Y tế", "Bộ Tài chính", "Công an tỉnh"):
        k = text.find(name)
        while k >= 0:
            orgs[k] = k + len(name)
            k = text.find(name, k + 1)
    return orgs


def _only_lead_before(text, body, stop, orgs):
    lead = A._lead(text, body, stop, orgs)
    if lead or not A._lead_words(text, body, stop, orgs) or A._VERB.search(text, body, stop):
        return False
    b = A._agency_end(text, body, stop, orgs)
    rest = re.sub(r"\([^()]*\)", "", text[b:stop]) if b else text[body:stop]
    return len(A._clean(rest)) <= 15 and "\n\n" not in text[body:stop].strip()


def test_only_lead_answers_as_it_did_with_lead_asked_first():
    rng = random.Random(3)
    yes = 0
    for _ in range(20000):
        text = "".join(rng.choice(_LEAD_PIECES) for _ in range(rng.randint(1, 7)))
        body = rng.choice([0, 0, rng.randint(0, len(text))])
        stop = rng.choice([len(text), rng.randint(body, len(text))])
        orgs = _orgs_in(text)
        want = _only_lead_before(text, body, stop, orgs)
        assert A._only_lead(text, body, stop, orgs) == want, (text, body, stop)
        yes += want
    assert yes > 500
