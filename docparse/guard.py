"""One failing extractor or check must not cost the whole document: each layer runs under a guard that turns an
unexpected exception into an "internal.error" notice naming the layer, and the layer's result falls back to empty.

A DocparseError (bad input, a limit reached) still propagates: it is the answer for the whole input. Set
DOCPARSE_STRICT=1 to let every exception through, with its traceback (tests and --debug use it).

A document also has a time budget (DOCPARSE_TIME_BUDGET seconds, default 60; 0 turns it off): the layer running when
it runs out is stopped (a timer signal, on the main thread of a POSIX process) and the layers after it are skipped,
each reported with a "time.budget_exceeded" notice; what was read before stays. A regular expression running inside
the C engine is stopped when it returns.
"""
from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
import traceback
from typing import Callable, Iterator, TypeVar

from .errors import DocparseError
from .schema import Notice

INTERNAL_ERROR = "internal.error"
TIME_EXCEEDED = "time.budget_exceeded"
T = TypeVar("T")


class _State(threading.local):
    """Per thread (a server parses documents in worker threads): the monotonic time the current document must be
    done by, and how many guarded layers run now (the timer stops a layer only while one runs; between layers the
    next guard sees the deadline). Only the main thread has a timer; other threads check the deadline between
    layers."""
    deadline: float | None = None
    in_layer: int = 0


_state = _State()


class LayerTimeout(Exception):
    """Raised inside a layer by the timer when the document's time budget runs out."""


def time_budget_s() -> float:
    try:
        return max(0.0, float(os.environ.get("DOCPARSE_TIME_BUDGET", "60")))
    except ValueError:
        return 60.0


def _on_timer(signum, frame):
    if _state.in_layer:
        raise LayerTimeout()


@contextlib.contextmanager
def time_budget(seconds: float | None = None) -> Iterator[None]:
    """Layers run inside get `seconds` (default time_budget_s()) in all; nested budgets keep the outer one."""
    seconds = time_budget_s() if seconds is None else seconds
    if not seconds or _state.deadline is not None:
        yield
        return
    timer = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    old = signal.signal(signal.SIGALRM, _on_timer) if timer else None
    _state.deadline = time.monotonic() + seconds
    try:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old)
        _state.deadline = None


def _timeout_notice(layer: str) -> Notice:
    return Notice(code=TIME_EXCEEDED, message=f"Bước {layer} bị dừng hoặc bỏ qua: văn bản đã dùng hết thời gian cho "
                                              f"phép ({time_budget_s():g} giây, DOCPARSE_TIME_BUDGET).")


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
    deadline = _state.deadline
    if deadline is not None and time.monotonic() > deadline:
        notices.append(_timeout_notice(layer))
        return default
    _state.in_layer += 1
    try:
        return func(*args, **kwargs)
    except DocparseError:
        raise
    except LayerTimeout:
        notices.append(_timeout_notice(layer))
        return default
    except Exception as exc:  # noqa: BLE001 — the point of the guard
        if strict():
            raise
        notices.append(internal_notice(layer, exc))
        return default
    finally:
        _state.in_layer -= 1
