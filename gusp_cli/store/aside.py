"""A function run aside, in a forked process on a second core, and its result sent back.

Speed only. The cold load (:mod:`gusp_cli.store.forked`) reads half of many new files this way,
and a long piped ``gusp overdue`` does some of its quartiers this way (:mod:`gusp_cli.cli.both_ends`).
The caller always has a way to do the work itself: when forking is not cheap and safe here
(:func:`can_fork`), or when the process aside fails, it does exactly that, so an answer never
depends on the helper.

The result travels through a pipe as :mod:`marshal` data (plain values: str, bytes, numbers,
tuples, lists, dicts). The process aside ends with :func:`os._exit`: nothing of the caller's runs
in it on the way out (no exit handler, no buffered output flushed).
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any


class Aside:
    """A forked process running a function, and what it sends back once it has finished."""

    def __init__(self, pid: int, reader: int) -> None:
        self.pid, self.reader = pid, reader

    def result(self) -> tuple[bool, Any]:
        """Wait for the process; (True, its function's result), or (False, None) if it failed."""
        chunks = list(_chunks(self.reader))
        os.close(self.reader)
        try:
            _, code = os.waitpid(self.pid, 0)
        except ChildProcessError:  # pragma: no cover - reaped elsewhere
            code = 1
        if code != 0:
            return False, None
        try:
            return True, marshal.loads(b"".join(chunks))
        except (EOFError, ValueError, TypeError):
            return False, None


def run_aside(work: Callable[[], Any]) -> Aside | None:
    """Start ``work`` in a forked process when forking is cheap and safe here, else None.

    ``work`` returns plain values :mod:`marshal` can send; an exception in it, or a result marshal
    cannot send, makes :meth:`Aside.result` report a failure.
    """
    if not can_fork():
        return None
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # pragma: no cover - the process aside; its work is checked through its callers
        os.close(reader)
        code = 1
        try:
            blob = marshal.dumps(work())
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(blob)
            code = 0
        finally:
            os._exit(code)  # no cleanup of the parent's: no atexit, no buffered output flushed
    os.close(writer)
    return Aside(pid, reader)


def cores() -> int:
    """The cores this process may run on."""
    getter = getattr(os, "sched_getaffinity", None)
    return len(getter(0)) if getter is not None else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether forking is cheap and safe here: two cores, not on macOS (its system libraries refuse
    a fork), not in a process running threads (a lock one of them holds would stay held aside)."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return False
    return hasattr(os, "fork") and sys.platform != "darwin" and cores() >= 2 and _one_thread()


def _one_thread() -> bool:
    """No other thread in this process, even one a native library started (Linux's ``/proc`` lists
    them; elsewhere the Python threads checked above are all that can be seen)."""
    try:
        return len(os.listdir("/proc/self/task")) <= 1
    except OSError:
        return True


def _chunks(reader: int) -> Iterator[bytes]:
    """Everything the process aside writes, until it closes the pipe."""
    while True:
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return
        yield chunk
