"""JSON Schemas of every record the command line writes, so another system can validate what it receives.

Each schema has a stable `$id` of the form ``https://docparse.local/schema/<what>/<version>.json`` (the host is a
name, never fetched) and the version in ``x-docparse-version``; the version is `docparse.schema.SCHEMA_VERSION` and
changes when a record changes incompatibly. The schemas are generated from pydantic models: the records themselves
(Document, Finding) and, for the rows the commands build from them, small models below that only describe them.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .schema import SCHEMA_VERSION, Citation, Document, Finding, Indicator, Span, Task

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE = "https://docparse.local/schema"


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TaskRow(Task):
    """`docparse tasks` and `export --what tasks`: a task with the document it was read from."""

    document: str | None = Field(None, description="the source path of the document")


class CitationRow(Citation):
    """`export --what citations`: a citation with the document it was read from."""

    document: str | None = Field(None, description="the source path of the citing document")


class IndicatorRow(Indicator):
    """`export --what indicators`: a figure with the document it was read from."""

    document: str | None = Field(None, description="the source path of the document")


class RefKey(_Row):
    number: str | None = None
    symbol: str | None = None
    year: int | None = None
    name: str | None = None
    authority: str | None = None
    authority_source: str | None = None


class RefMention(_Row):
    document: str = Field(description="the citing document's id in the index")
    span: Span
    text: str
    date: str | None = Field(None, description="ISO date the mention gives")
    is_self: bool = False
    authority: str | None = None
    authority_source: str | None = None
    linked_code: str | None = None
    link_source: Literal["corpus", "lexicon"] | None = None


class RefRow(_Row):
    """`docparse refs`: one cited document with every place and form it is cited in."""

    key: RefKey
    doc_types: list[str]
    dates: list[str] = Field(description="ISO dates the mentions give, sorted")
    forms: list[str]
    mentions: list[RefMention]
    in_corpus: str | None = Field(None, description="id of the cited document when it is in the index")


class FailureRecord(_Row):
    """An input that could not be read: class, stable code, Vietnamese message (and the exception class of a bug)."""

    path: str
    error: str
    code: str
    message: str
    exception: str | None = None


class BatchSummary(_Row):
    documents: int
    failed: list[FailureRecord]
    internal_errors: list[str]


class CheckSummary(BatchSummary):
    errors: int
    warnings: int
    infos: int
    suppressed: int | None = Field(None, description="findings left out because --baseline lists them")
    by_code: dict[str, int] | None = Field(None, description="findings reported, per code")


class CheckReport(_Row):
    """`docparse check --format json`."""

    summary: CheckSummary
    findings: list[Finding]


class SummaryLine(_Row):
    """The last line of `parse --format jsonl` and `check --format jsonl`."""

    summary: CheckSummary | BatchSummary


class FailedLine(_Row):
    """A line of `parse --format jsonl` for an input that could not be read."""

    source: str
    failed: FailureRecord


MODELS: dict[str, type[BaseModel]] = {
    "document": Document, "finding": Finding, "ref": RefRow, "task": TaskRow, "citation": CitationRow,
    "indicator": IndicatorRow, "check": CheckReport, "summary": SummaryLine, "failed": FailedLine,
}


def schema_id(what: str) -> str:
    return f"{BASE}/{what}/{SCHEMA_VERSION}.json"


def json_schema(what: str = "document") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one kind of record; KeyError for an unknown kind."""
    body = MODELS[what].model_json_schema(mode="serialization")
    if what == "document":  # `parse --no-text` leaves the full text out
        body["required"] = [k for k in body["required"] if k != "text"]
    return {"$schema": DRAFT, "$id": schema_id(what), "x-docparse-version": SCHEMA_VERSION, **body}
