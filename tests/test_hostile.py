"""Hostile files (tests/hostile.py) at a quarter of the benchmark's size, each parsed in a child process: it must end
parsed or with a typed DocparseError within 5 s per MB (2 s at least) and 500 MB of peak memory."""
from __future__ import annotations

import sys

import pytest

import hostile

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, /dev/zero and RLIMIT_AS are POSIX")
SCALE = 0.25


@pytest.mark.parametrize("case", hostile.CASES, ids=[c.name for c in hostile.CASES])
def test_hostile_file_within_budget(case, tmp_path):
    if case.needs:
        pytest.importorskip(case.needs)
    res = hostile.run_case(case, tmp_path, SCALE)
    assert res["ok"], (res["why"], res)
    assert res["outcome"] in ("parsed", "typed_error")


def test_the_verdict_fails_a_run_over_budget(tmp_path, monkeypatch):
    """A run over the memory limit is not ok (the harness can fail)."""
    monkeypatch.setattr(hostile, "MAX_MB", 1)
    res = hostile.run_case(hostile.Case("small", ".txt", lambda scale: "Số: 1/QĐ-UBND\n".encode()), tmp_path)
    assert res["outcome"] == "parsed" and not res["ok"] and "MB > 1 MB" in res["why"]
    assert hostile.budget_s(0) == hostile.FLOOR_S and hostile.budget_s(10_000_000) == 50.0
