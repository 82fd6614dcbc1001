"""The checks on the whole corpus against the hand-judged findings (tests/gold/findings): floors that must hold.

A change that adds findings nobody judged fails here until they are judged (`python -m docparse.eval --findings
--to-judge FILE`); a change that turns judged-true findings off, or brings back judged-false ones, fails the floors.
Skips without ../shared/corpus."""
from __future__ import annotations

import pytest

from docparse.eval_findings import evaluate_findings

ERROR_PRECISION = 0.95
WARNING_PRECISION = 0.85
MAX_UNJUDGED = 0.10          # share of error/warning findings without a judgement
DEV_RECALL_HIGH = 0.80       # high-confidence items with a check code, dev documents


@pytest.fixture(scope="module")
def measured(gold_dir, corpus_dir):
    return evaluate_findings(gold_dir / "findings", corpus_dir)


def test_error_and_warning_precision(measured):
    prec, _, findings = measured
    per = prec["per"]
    severity = {f.code: f.severity for f in findings}
    low = {code: c for code, c in per.items() if not code.startswith("severity:") and severity.get(code) != "info"
           and c.get("judged", 0) >= 3
           and c.get("true", 0) / c["judged"] < (ERROR_PRECISION if severity[code] == "error" else WARNING_PRECISION)}
    assert not low, low
    errors = per.get("severity:error", {})
    assert errors.get("true", 0) >= ERROR_PRECISION * errors.get("judged", 0)


def test_findings_are_judged(measured):
    prec, _, findings = measured
    shown = [f for f in findings if f.severity != "info"]
    assert len(prec["unjudged"]) <= MAX_UNJUDGED * len(shown), prec["unjudged"][:10]


def test_dev_recall_on_documents_read_in_full(measured):
    _, rec, _ = measured
    dev = rec["dev"]
    assert dev["documents"] >= 15
    in_scope_high = dev["high_in_scope"]
    assert dev["high_in_scope_found"] >= DEV_RECALL_HIGH * in_scope_high, dev["missed"]
