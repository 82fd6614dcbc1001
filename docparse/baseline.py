"""Accepted findings (a baseline), so a reviewer or a CI job sees only new ones.

A finding is keyed by its code, the name of its document and the text of its evidence (each with its document's
name), never by offsets or the message wording: an edit elsewhere in the file, a re-parse or a reworded message
keeps it matched. Names are file names without their folder, so the baseline still matches from another working
directory. The file is JSON: {"docparse_baseline": 1, "findings": [{"code", "document", "evidence": [...],
"message"}]}; the message is there for the person reading it, and is not part of the key.
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

from .errors import FileReadError
from .schema import Finding

FORMAT_VERSION = 1


class BaselineError(FileReadError):
    """A --baseline file that cannot be read or is not a docparse baseline."""

    code = "baseline"


def _name(path: str | None) -> str:
    return (path or "").replace("\\", "/").rsplit("/", 1)[-1]


def _text(s: str) -> str:
    return " ".join(s.split())


def entry(f: Finding) -> dict:
    return {"code": f.code, "document": _name(f.document),
            "evidence": sorted(({"document": _name(e.document), "text": _text(e.text)} for e in f.spans),
                               key=lambda e: (e["document"], e["text"])),
            "message": f.message}


def _key(e: dict) -> str:
    ev = sorted((_name(x.get("document")), _text(x.get("text", ""))) for x in e.get("evidence", []))
    return json.dumps([e.get("code"), _name(e.get("document")), ev], ensure_ascii=False)


def fingerprint(f: Finding) -> str:
    """A stable hash of the baseline key (SARIF partialFingerprints)."""
    return hashlib.sha256(_key(entry(f)).encode("utf-8")).hexdigest()[:32]


def write(path: Path, findings: Iterable[Finding]) -> int:
    """Every finding into a baseline file, written entry by entry; returns how many."""
    writer = Writer(path)
    try:
        for f in findings:
            writer.add(f)
    except BaseException:
        writer.discard()
        raise
    return writer.close()


class Writer:
    """A baseline written while the findings pass by (`check --write-baseline` streams them to its report too):
    entries go to a temporary file beside `path`, which replaces `path` only when `close()` is called, so an
    interrupted run leaves the old baseline as it was."""

    def __init__(self, path: Path):
        from .export import _HOLE, JsonListWriter

        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self._out = open(self._tmp, "w", encoding="utf-8")  # noqa: SIM115 - closed by close() or discard()
        self._list = JsonListWriter({"docparse_baseline": FORMAT_VERSION, "findings": [_HOLE]}, self._out)

    def add(self, f: Finding) -> None:
        self._list.add(entry(f))

    def tee(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """The findings, each added on its way through."""
        for f in findings:
            self.add(f)
            yield f

    def close(self) -> int:
        """The file written whole: returns how many findings it holds."""
        count = self._list.close()
        self._out.write("\n")
        self._out.close()
        os.replace(self._tmp, self.path)
        return count

    def discard(self) -> None:
        if not self._out.closed:
            self._out.close()
            os.unlink(self._tmp)


def read(path: Path) -> Counter:
    """The accepted keys, with how many times each was accepted (two identical findings need two entries)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(str(path), f"không đọc được tệp baseline ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise BaselineError(str(path), f"tệp baseline không phải JSON hợp lệ ({exc})") from exc
    if not isinstance(data, dict) or data.get("docparse_baseline") != FORMAT_VERSION \
            or not isinstance(data.get("findings"), list) \
            or not all(isinstance(e, dict) and isinstance(e.get("evidence", []), list) for e in data["findings"]):
        raise BaselineError(str(path), "không phải tệp baseline của docparse (tạo bằng --write-baseline)")
    return Counter(_key(e) for e in data["findings"])


def new_findings(findings: Iterable[Finding], accepted: Counter) -> tuple[list[Finding], int]:
    """The findings the baseline does not list, and how many were left out."""
    suppressed = Counter()
    out = list(iter_new(findings, accepted, suppressed))
    return out, suppressed["suppressed"]


def iter_new(findings: Iterable[Finding], accepted: Counter, counts: Counter):
    """new_findings one at a time (a stream of findings stays a stream); counts["suppressed"] says how many were
    left out so far."""
    left = Counter(accepted)
    for f in findings:
        k = _key(entry(f))
        if left[k] > 0:
            left[k] -= 1
            counts["suppressed"] += 1
        else:
            yield f
