"""A cold load of many quartiers on two cores: a forked helper reads half of them.

Speed only, like the cache it fills. When a load finds many quartier files that no earlier load
vouched for (a fresh clone, CI, a new cache), reading them (parse, validate, encode for the cache)
is more than four fifths of the load (profile of a cold ``gusp validate`` at 500 quartiers), one
file at a time. The loader then forks one helper that reads the
second half of the files while it reads the first:

- the helper keeps each clean file's model in the cache, exactly as the loader would
  (:meth:`~gusp_cli.store.known.Known.keep_model`), and sends back, through a pipe, where each
  node of those files starts (:class:`~gusp_cli.store.plainyaml.Positions`), so that a problem
  the rules find later in one of them is located without parsing it again;
- then it runs what the loader asks of those files (the per-quartier rules, whose parts
  :mod:`~gusp_cli.store.checking` reuses as it reuses an earlier load's), and sends that too;
- a file that has any problem, or that the helper could not finish, is not sent: the loader reads
  it itself and reports it, as without a helper; nor is a file whose model the cache already
  holds (touched by a checkout, or a cache restored in CI): the loader takes it there;
- the loader then meets the helper's files as known ones (the cache answers), so every answer is
  the one of a load without a helper, by construction (``tests/store/test_forked.py`` compares
  them).

Only on a system that forks cheaply (Linux and the BSDs, not macOS or Windows), with two cores
free to this process and the cache on. Files on disk count when the file index does not vouch
for them; files held in memory (the blobs of a git revision, for ``gusp diff``, already read
whole), when the cache does not hold the model of their content.
"""

from __future__ import annotations

import marshal
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gusp_cli.store import aside
from gusp_cli.store.aside import Aside
from gusp_cli.store.known import Known, KnownModel
from gusp_cli.store.plainyaml import Positions, read_values

MIN_FILES = 8
"""Fewer unvouched quartier files than this are read in this process alone (measured at 10 files
of 100 actions: the helper neither gains nor loses, 0.30 → 0.29 s)."""

HELPER_SHARE = 50
"""The percentage of the files the helper reads: half, since the loader, meanwhile, runs the rules
on its own quartiers as the helper does on its (at 500 quartiers, the loader then waited 0.03 s for
the helper in the runs measured)."""

Helped = dict[str, tuple[str, Positions]]
"""What the helper read: by file path, its content key and its positions."""


Then = Callable[[list[tuple[Path, str, KnownModel]]], Any]
"""What the helper does next with the files it kept (path, content key, model with its due dates
and ids): its result, plain values :mod:`marshal` can send, comes back as :attr:`Helper.then`."""


class Helper:
    """A forked process reading ``paths``, and what it sends back once it has finished."""

    def __init__(self, aside: Aside, paths: list[Path]) -> None:
        self.aside, self.paths = aside, paths
        self.first = paths[0]
        self.then: Any = None
        """What the helper's next step gave (None: none, or it failed)."""

    def abandon(self) -> None:
        """Stop the helper: the load that started it failed or was interrupted."""
        self.aside.abandon()

    def join(self) -> Helped:
        """Wait for the helper; what it read (empty if it failed: the loader reads those files)."""
        finished, result = self.aside.result()
        if not finished:
            return {}
        try:
            sent, then = result
            self.then = marshal.loads(then)
            return {path: (key, _positions(stored)) for path, (key, *stored) in sent.items()}
        except (EOFError, ValueError, TypeError):
            self.then = None
            return {}


def start(known: Known, paths: list[Path], kind: str, then: Then | None = None) -> Helper | None:
    """Fork a helper reading the second half of ``paths`` when that pays off, else None.

    ``paths`` are the quartier files in the order the loader reads them; the ones the file index
    vouches for are not counted (their models are in the cache already). ``then`` runs in the
    helper once it has read them (an exception there only loses its result).
    """
    if known.cache is None or not aside.can_fork():
        return None
    unknown = [p for p in paths if not _vouched(known, p, kind)]
    if len(unknown) < MIN_FILES:
        return None
    theirs = unknown[len(unknown) - len(unknown) * HELPER_SHARE // 100:]
    started = aside.run_aside(lambda: _helper_work(known, theirs, kind, then))
    return None if started is None else Helper(started, theirs)


def _helper_work(known: Known, paths: list[Path], kind: str,
                 then: Then | None) -> tuple[dict[str, Any], bytes]:
    """What the helper does and sends back: what it read of ``paths``, then its next step's result
    as marshal data (that of None when marshal cannot send it: the loader then does that step)."""
    sent, kept = _read_all(known, paths, kind)
    try:
        return sent, marshal.dumps(_then(then, kept))
    except ValueError:
        return sent, marshal.dumps(None)


def _vouched(known: Known, path: Path, kind: str) -> bool:
    """Whether ``path`` needs no reading: on disk, the file index vouches for it; held in memory (a
    git revision), the cache holds the model of its content."""
    if known.sources.on_disk(path):
        return known.unchanged(path) is not None
    key = known.in_memory_key(path)
    return key is not None and known.has_model(kind, key)


def _read_all(known: Known, paths: list[Path], kind: str
              ) -> tuple[dict[str, Any], list[tuple[Path, str, KnownModel]]]:
    """Read, validate and keep each clean file; what to send back of each, and what was kept."""
    from gusp_cli.model import models
    from gusp_cli.store.validation import validate

    model = getattr(models, kind)
    sent: dict[str, Any] = {}
    kept: list[tuple[Path, str, KnownModel]] = []
    for path in paths:
        raw, key, _ = known.read(path)  # a revision's blob: its hash, worked out for the split
        if raw is None:
            continue
        if known.has_model(kind, key):
            continue  # known already (a touched file, a restored cache): the loader takes it there
        result = read_values(raw, path)
        positions = result.root
        if result.problems or not isinstance(result.data, dict) or not isinstance(positions, Positions):
            continue
        instance, problems = validate(model, result.data, path)
        if instance is None or problems:
            continue
        known_model = known.keep_model(path, kind, key, instance, rebuild=False)
        if known_model is None:
            continue
        sent[str(path)] = (key, positions.starts.tobytes(), positions.info, positions.lines.tobytes())
        kept.append((path, key, known_model))
    return sent, kept


def _then(then: Then | None, kept: list[tuple[Path, str, KnownModel]]) -> Any:
    """The next step's result, None when there is none or it fails (the loader then does it)."""
    if then is None or not kept:
        return None
    try:
        return then(kept)
    except Exception:  # speed only: the loader runs what the helper could not
        return None


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
