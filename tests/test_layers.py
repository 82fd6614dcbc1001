"""Layers on demand (issue 17): `parse_text(..., layers=...)`, `docparse parse --layers` run only what is asked and
what it reads from, and what they return is what the full parse returns for those layers."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import docparse
from docparse.cli import app
from docparse.pipeline import LAYERS, resolve_layers

from tests.fictional import vb

TEXT = vb("I. KẾT QUẢ\n1. Thực hiện Quyết định số 12/2024/QĐ-UBND ngày 05/3/2024 của UBND huyện, Phòng Nội vụ "
          "đã tổ chức 14 lớp tập huấn cho 1.250 lượt cán bộ, đạt 95% kế hoạch.\n"
          "2. Giao Phòng Tài chính - Kế hoạch chủ trì, phối hợp với Văn phòng HĐND và UBND huyện rà soát kinh phí, "
          "hoàn thành trước ngày 30/9/2025.\n")


@pytest.fixture(scope="module")
def full():
    return docparse.parse_text(TEXT)


def test_references_and_dates_alone_match_the_full_parse(full):
    part = docparse.parse_text(TEXT, layers={"citations", "dates"})
    assert full.citations and full.dates and full.sections and full.entities and full.indicators
    assert part.citations == full.citations and part.dates == full.dates
    assert part.header == full.header and part.text == full.text
    assert (part.sections, part.entities, part.indicators, part.tasks, part.stat_rows) == ([], [], [], [], [])


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_alone_gives_its_full_result(full, layer):
    part = docparse.parse_text(TEXT, layers=layer)
    ran = resolve_layers({layer})
    fields = {"citations": "citations", "dates": "dates", "structure": "sections", "stat_rows": "stat_rows",
              "indicators": "indicators", "procedures": "procedures", "entities": "entities"}
    for name, fld in fields.items():
        assert getattr(part, fld) == (getattr(full, fld) if name in ran else [])
    if "assignments" in ran:
        assert part.tasks == full.tasks


def test_dependencies_are_closed():
    assert resolve_layers({"assignments"}) >= {"assignments", "entities", "dates", "citations", "structure", "tasks",
                                               "tables", "procedures"}
    assert resolve_layers("citations, dates") == {"citations", "dates"}
    assert resolve_layers(None) == set(LAYERS)
    assert resolve_layers(()) == set()


def test_unknown_layer_is_refused():
    with pytest.raises(ValueError, match="bogus"):
        docparse.parse_text(TEXT, layers={"citations", "bogus"})


def test_environment_default(monkeypatch, full):
    monkeypatch.setenv("DOCPARSE_LAYERS", "dates")
    doc = docparse.parse_text(TEXT)
    assert doc.dates == full.dates and doc.citations == [] and doc.sections == []


def test_cli_layers(tmp_path, monkeypatch, full):
    monkeypatch.setenv("DOCPARSE_LAYERS", "")  # the option sets it for worker processes; restored after the test
    path = tmp_path / "bc.txt"
    path.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(app, ["parse", str(path), "--layers", "citations,dates"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["citations"]) == len(full.citations) and len(data["dates"]) == len(full.dates)
    assert data["sections"] == [] and data["entities"] == []
    bad = CliRunner().invoke(app, ["parse", str(path), "--layers", "citations,bogus"])
    assert bad.exit_code == 2 and "bogus" in bad.output
