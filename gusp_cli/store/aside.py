"""A function run aside, in a forked process on a second core, and its result sent back.

Speed only. The cold load (:mod:`gusp_cli.store.forked`) reads half of many new files this way,
and a long piped ``gusp overdue`` does some of its quartiers this way (:mod:`gusp_cli.cli.both_ends`).
The caller always has a way to do the work itself: when forking is not cheap and safe here
(:func:`can_fork`), or when the process aside fails, it does exactly that, so an answer never
depends on the helper.

The result is sent as :mod:`marshal` data (plain values: str, bytes, numbers, tuples, lists,
dicts): written into a file in memory (Linux's ``memfd``), then its length through a pipe; where
there is no such file, through the pipe after its length. A pipe holds 64 KiB: a result of
2.5 MB sent through it took 4.5 ms, its copy from the file 1.6 ms (measured). A result whose
every byte arrived is the answer, and the caller does not wait for the process to end: its end
is not free (the system takes back the pages it wrote), so it is reaped later, once it has ended
(:func:`reap`). It ends with :func:`os._exit`: nothing of the caller's runs in it on the way out
(no exit handler, no buffered output flushed).
"""

from __future__ import annotations

import marshal
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any


class Aside:
    """A forked process running a function, and what it sends back once it has finished."""

    def __init__(self, pid: int, reader: int, memory: int | None) -> None:
        self.pid, self.reader, self.memory = pid, reader, memory

    def result(self) -> tuple[bool, Any]:
        """Wait for the result; (True, its function's result), or (False, None) if it failed (an
        exception, a result marshal cannot send, a process killed: not every byte arrived)."""
        try:
            data = b"".join(_chunks(self.reader))
            if self.memory is not None and len(data) == _LENGTH:
                size = int.from_bytes(data, "little")
                data += os.pread(self.memory, size, 0) if size == os.fstat(self.memory).st_size else b""
        finally:
            self._let_go()
        if len(data) < _LENGTH or int.from_bytes(data[:_LENGTH], "little") != len(data) - _LENGTH:
            return False, None
        try:
            return True, marshal.loads(memoryview(data)[_LENGTH:])
        except (EOFError, ValueError, TypeError):
            return False, None


    def abandon(self) -> None:
        """Stop a process aside whose result is no longer wanted (its caller failed, or was
        interrupted): killed, its descriptors closed, reaped once it has ended. Nothing is done
        once its result was read: the process may have been reaped, and its number reused."""
        import signal

        if self.reader < 0:
            return
        try:  # noqa: SIM105 - contextlib for one call
            os.kill(self.pid, signal.SIGKILL)
        except OSError:  # ended already
            pass
        self._let_go()

    def _let_go(self) -> None:
        """Close the descriptors and hand the process to :func:`reap` (once)."""
        if self.reader < 0:
            return
        for fd in (self.reader, self.memory):
            if fd is not None:
                os.close(fd)
        self.reader, self.memory = -1, None
        _ENDING.append(self.pid)
        reap()


_LENGTH = 8
"""Bytes of the length sent before the result."""

_ENDING: list[int] = []
"""Processes aside whose result was read, not yet reaped."""


def reap(wait: bool = False) -> None:
    """Reap the processes aside that have ended since their result was read (all of them, waiting
    for each, when ``wait``). Called with each new process aside and after each result: in a
    long-lived process, only the last one may stay a zombie (it is still ending when its result is
    read), until the next call or the process's end."""
    for pid in list(_ENDING):
        try:
            done, _ = os.waitpid(pid, 0 if wait else os.WNOHANG)
        except ChildProcessError:  # reaped elsewhere
            done = pid
        if done:
            _ENDING.remove(pid)


def run_aside(work: Callable[[], Any]) -> Aside | None:
    """Start ``work`` in a forked process when forking is cheap and safe here, else None.

    ``work`` returns plain values :mod:`marshal` can send; an exception in it, or a result marshal
    cannot send, makes :meth:`Aside.result` report a failure.
    """
    reap()
    if not can_fork():
        return None
    memory = _memory_file()
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (reader, writer, memory):
            if fd is not None:
                os.close(fd)
        return None
    if pid == 0:  # pragma: no cover - the process aside; its work is checked through its callers
        os.close(reader)
        code = 1
        try:
            _send(marshal.dumps(work()), writer, memory)
            code = 0
        finally:
            os._exit(code)  # no cleanup of the parent's: no atexit, no buffered output flushed
    os.close(writer)
    return Aside(pid, reader, memory)


def _memory_file() -> int | None:
    """A new file in memory (Linux), else None: the result then goes through the pipe."""
    create = getattr(os, "memfd_create", None)
    if create is None:
        return None
    try:
        return int(create("gusp-aside", getattr(os, "MFD_CLOEXEC", 0)))
    except OSError:
        return None


def _send(blob: bytes, writer: int, memory: int | None) -> None:
    """The result's length through the pipe, the result in the file in memory or after it."""
    if memory is not None:
        _write_all(memory, blob)
        _write_all(writer, len(blob).to_bytes(_LENGTH, "little"))
    else:
        _write_all(writer, len(blob).to_bytes(_LENGTH, "little"))
        _write_all(writer, blob)
    os.close(writer)


def _write_all(fd: int, data: bytes) -> None:
    """Every byte of ``data`` written to ``fd``."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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
