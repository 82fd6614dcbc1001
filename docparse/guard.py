"""One failing extractor or check must not cost the whole document: each layer runs under a guard that turns an
unexpected exception into an "internal.error" notice naming the layer, and the layer's result falls back to empty.

A DocparseError (bad input, a limit reached) still propagates: it is the answer for the whole input. Set
DOCPARSE_STRICT=1 to let every exception through, with its traceback (tests and --debug use it).
"""
from __future__ import annotations

import os
import traceback
from typing import Callable, TypeVar

from .errors import DocparseError
from .schema import Notice

INTERNAL_ERROR = "internal.error"
T = TypeVar("T")


def strict() -> bool:
    return os.environ.get("DOCPARSE_STRICT", "") not in ("", "0")


def internal_notice(layer: str, exc: BaseException) -> Notice:
    """A Vietnamese notice naming the layer, the exception and the line of docparse that raised it."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "docparse" in f.filename.replace("\\", "/")]
    where = ""
    if frames:
        f = frames[-1]
        path = f.filename.replace("\\", "/")
        where = f" tại {path[path.rfind('docparse/'):]}:{f.lineno}"
    detail = str(exc)[:200]
    return Notice(code=INTERNAL_ERROR,
                  message=f"Lỗi nội bộ ở bước {layer}: {type(exc).__name__}{': ' + detail if detail else ''}{where}; "
                          "bước này bị bỏ qua, phần còn lại vẫn được xử lý.")


def guarded(layer: str, notices: list[Notice], default: T, func: Callable[..., T], *args, **kwargs) -> T:
    """func(*args, **kwargs), or `default` with a notice appended to `notices` when it raises anything but a
    DocparseError."""
    try:
        return func(*args, **kwargs)
    except DocparseError:
        raise
    except Exception as exc:  # noqa: BLE001 — the point of the guard
        if strict():
            raise
        notices.append(internal_notice(layer, exc))
        return default
