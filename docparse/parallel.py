"""Parallel batches: inputs parsed in worker processes, results handed back in input order with a bounded number in
flight (a stream of any length in constant memory), and a progress bar on stderr when it is a terminal.

Workers return plain values (prepared rows, or a Document as JSON text): pickling a Document measured slower than
its JSON and validating it again (benchmarks/bench_index.py). Failures travel packed (class, path, reason), since a
DocparseError does not survive pickling."""
from __future__ import annotations

import importlib
import os
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Callable, Iterable, Iterator, TypeVar

from .errors import DocparseError, InternalError

T = TypeVar("T")
CHUNK = 4
IN_FLIGHT = 4  # chunks per worker


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def pack_error(path: str, exc: BaseException) -> tuple:
    from .batch import as_failure

    err = as_failure(path, exc)
    return (type(err).__module__, type(err).__qualname__, err.path, err.reason, getattr(err, "exc_type", None),
            getattr(err, "traceback", None))


def unpack_error(packed: tuple) -> DocparseError:
    module, name, path, reason, exc_type, tb = packed
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        cls = DocparseError
    err = cls.__new__(cls)
    DocparseError.__init__(err, path, reason)
    if isinstance(err, InternalError) or exc_type is not None:
        err.exc_type, err.traceback = exc_type, tb or ""
    return err


def _context():
    """fork where there is one: workers start warm (the parser already imported) and scripts without a main module
    work. A forked worker never uses the parent's SQLite connection and leaves through os._exit, never closing it."""
    import multiprocessing

    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)


def _run(func: Callable, args: list) -> list:
    return [func(a) for a in args]


def ordered_map(func: Callable, items: Iterable[T], jobs: int = 1, *, needs_work: Callable[[T], bool] | None = None,
                arg: Callable[[T], object] | None = None, chunk: int = CHUNK) -> Iterator[tuple[T, object]]:
    """(item, func(arg(item))) for each item in order; an item for which `needs_work` is false passes through with
    None, without a worker. With jobs > 1 the work runs in processes, at most IN_FLIGHT chunks per worker ahead of
    the consumer."""
    needs_work = needs_work or (lambda _: True)
    arg = arg or (lambda x: x)
    if jobs <= 1:
        for item in items:
            yield item, func(arg(item)) if needs_work(item) else None
        return
    it = iter(items)
    window: deque = deque()
    with ProcessPoolExecutor(jobs, mp_context=_context()) as pool:
        while True:
            block = list(islice(it, chunk))
            if block:
                todo = [arg(x) for x in block if needs_work(x)]
                window.append((block, pool.submit(_run, func, todo) if todo else None))
            while window and (not block or len(window) > IN_FLIGHT * jobs):
                done, future = window.popleft()
                results = iter(future.result() if future else ())
                for x in done:
                    yield x, next(results) if needs_work(x) else None
            if not block and not window:
                return


class Progress:
    """A rich progress bar on stderr (documents/s, failures so far, ETA), only when stderr is a terminal."""

    def __init__(self, total: int | None, label: str = "docparse", enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.failed = self.done = 0
        self.start = time.monotonic()
        self._bar = None
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

            self._bar = Bar(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("{task.fields[rate]} văn bản/s"), TextColumn("[red]{task.fields[failed]} lỗi"),
                            TextColumn("còn"), TimeRemainingColumn(), console=Console(stderr=True), transient=False)
            self._task = self._bar.add_task(label, total=total, rate="0.0", failed=0)
            self._bar.start()

    def __call__(self, name: str, ok: bool) -> None:
        self.done += 1
        self.failed += not ok
        if self._bar is not None:
            rate = self.done / max(time.monotonic() - self.start, 1e-6)
            self._bar.update(self._task, advance=1, rate=f"{rate:.1f}", failed=self.failed)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
