from __future__ import annotations

from dataclasses import dataclass, field

from ..schema import Notice, Page, Table

MAX_BYTES = 64 * 1024 * 1024


@dataclass
class SourceText:
    text: str
    format: str = "text"
    path: str | None = None
    pages: list[Page] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
