"""A cold load of many quartiers on two cores: a forked helper reads half of them.

Speed only, like the cache it fills. When a load finds many quartier files that no earlier load
vouched for (a fresh clone, CI, a new cache), reading them (parse, validate, encode for the cache)
is nine tenths of the load, one file at a time. The loader then forks one helper that reads the
second half of the files while it reads the first:

- the helper keeps each clean file's model in the cache, exactly as the loader would
  (:meth:`~gusp_cli.store.known.Known.keep_model`), and sends back, through a pipe, where each
  node of those files starts (:class:`~gusp_cli.store.plainyaml.Positions`), so that a problem
  the rules find later in one of them is located without parsing it again;
- a file that has any problem, or that the helper could not finish, is not sent: the loader reads
  it itself and reports it, as without a helper;
- the loader then meets the helper's files as known ones (the cache answers), so every answer is
  the one of a load without a helper, by construction (``tests/store/test_forked.py`` compares
  them).

Only on a system that forks cheaply (Linux and the BSDs, not macOS or Windows), with two cores
free to this process, the cache on, and every file read from the disk (a git revision's bytes
come through another process's pipe).
"""

from __future__ import annotations

import marshal
import os
import sys
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gusp_cli.store.known import Known
from gusp_cli.store.plainyaml import Positions, read_values

MIN_FILES = 8
"""Fewer unvouched quartier files than this are read in this process alone."""

Helped = dict[str, tuple[str, Positions]]
"""What the helper read: by file path, its content key and its positions."""


class Helper:
    """A forked process reading ``paths``, and what it sends back once it has finished."""

    def __init__(self, pid: int, reader: int, paths: list[Path]) -> None:
        self.pid, self.reader, self.paths = pid, reader, paths
        self.first = paths[0]

    def join(self) -> Helped:
        """Wait for the helper; what it read (empty if it failed: the loader reads those files)."""
        chunks = list(_chunks(self.reader))
        os.close(self.reader)
        try:
            _, code = os.waitpid(self.pid, 0)
        except ChildProcessError:  # pragma: no cover - reaped elsewhere
            code = 1
        if code != 0:
            return {}
        try:
            sent = marshal.loads(b"".join(chunks))
            return {path: (key, _positions(stored)) for path, (key, *stored) in sent.items()}
        except (EOFError, ValueError, TypeError):
            return {}


def cores() -> int:
    """The cores this process may run on."""
    getter = getattr(os, "sched_getaffinity", None)
    return len(getter(0)) if getter is not None else (os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether forking is cheap and safe here: not on macOS (its system libraries refuse a fork),
    not in a process running threads (a lock one of them holds would stay held in the helper)."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        return False
    return hasattr(os, "fork") and sys.platform != "darwin" and cores() >= 2


def start(known: Known, paths: list[Path], kind: str) -> Helper | None:
    """Fork a helper reading the second half of ``paths`` when that pays off, else None.

    ``paths`` are the quartier files in the order the loader reads them; the ones the file index
    vouches for are not counted (their models are in the cache already).
    """
    cache = known.cache
    if cache is None or not known.sources.from_disk_only or not can_fork():
        return None
    unknown = [p for p in paths if known.unchanged(p) is None]
    if len(unknown) < MIN_FILES:
        return None
    theirs = unknown[len(unknown) // 2:]
    reader, writer = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:  # pragma: no cover - the helper process; its work is checked through the loader
        os.close(reader)
        code = 1
        try:
            _send(writer, _read_all(known, theirs, kind))
            code = 0
        finally:
            os._exit(code)  # no cleanup of the parent's: no atexit, no buffered output flushed
    os.close(writer)
    return Helper(pid, reader, theirs)


def _read_all(known: Known, paths: list[Path], kind: str) -> dict[str, Any]:
    """Read, validate and keep each clean file; what to send back of each."""
    from gusp_cli.model import models
    from gusp_cli.store.validation import validate

    model = getattr(models, kind)
    cache = known.cache
    assert cache is not None
    sent: dict[str, Any] = {}
    for path in paths:
        raw, _ = known.sources.read(path)
        if raw is None:
            continue
        key = cache.key(raw)
        result = read_values(raw, path)
        positions = result.root
        if result.problems or not isinstance(result.data, dict) or not isinstance(positions, Positions):
            continue
        instance, problems = validate(model, result.data, path)
        if instance is None or problems or known.keep_model(path, kind, key, instance, rebuild=False) is None:
            continue
        sent[str(path)] = (key, positions.starts.tobytes(), positions.info, positions.lines.tobytes())
    return sent


def _send(writer: int, sent: dict[str, Any]) -> None:
    """Write everything to the pipe, then close it."""
    with os.fdopen(writer, "wb") as pipe:
        pipe.write(marshal.dumps(sent))


def _chunks(reader: int) -> Iterator[bytes]:
    """Everything the helper writes, until it closes the pipe."""
    while True:
        chunk = os.read(reader, 1 << 20)
        if not chunk:
            return
        yield chunk


def _positions(stored: list[Any]) -> Positions:
    """The positions sent as bytes and a list."""
    starts, info, lines = stored
    if not isinstance(info, list):
        raise TypeError("info")
    found = Positions.__new__(Positions)
    found.starts, found.info, found.lines = array("i"), info, array("i")
    found.starts.frombytes(starts)
    found.lines.frombytes(lines)
    return found
