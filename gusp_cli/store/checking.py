"""The cross-record rules of one load, quartier by quartier, reusing what an earlier load found.

A speed-only mechanism: the problems are exactly those of :func:`gusp_cli.model.rules.run_rules`, in
the same order (``tests/store/test_checking.py`` holds them equal, edit after edit).

The rules are in two kinds (:mod:`gusp_cli.model.rules`). What the per-quartier rules find in a
quartier depends only on its file and on the *context*: ``charte.yaml``, ``acteurs.yaml`` and
``signalements.yaml``. So a quartier whose file has the same content hash, in the same context, as
in an earlier load keeps that load's problems (its *part*), when they hold for this load's reference
date. Parts come from, in this order:

1. the verdict kept for these exact files (:mod:`gusp_cli.store.verdict`): every part, and the
   charter-wide rules' problems too;
2. the charter loaded before (``load(base=...)``: an edit checked before it is written), which
   keeps its :class:`Checks` in ``charter.checks``;
3. the latest verdict kept for this repository (the command after a ``git pull`` or a hand edit
   that changed one quartier).

The charter-wide rules run on every load that does not take a whole verdict: they go over the
registry, the meetings, the signalements, the TFPB lines and the action ids, never over every
action. The territory's view (``territoire.yaml``) resolves its roles over every quartier: its part
is never reused. Without the cache (no content hashes) nothing is reused.

The reference date: a part is run against a :class:`~gusp_cli.store.verdict.Horizon`; its problems
then hold for every date from the horizon's bound on, and a verdict keeps each part's bound. A part
whose rules use the date otherwise is run again with the load's date, and makes the verdict
uncacheable, as before.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import Problem
from gusp_cli.model.layout import CHARTER_FILE, REGISTRY_FILE, SIGNALS_FILE, data_dir
from gusp_cli.model.rules import Found, assemble, charter_wide, in_quartier
from gusp_cli.store.sources import relative_posix
from gusp_cli.store.verdict import Horizon, decode_found, encode_found

PartKey = tuple[str, str]
"""A quartier's file (relative, POSIX) and its content hash."""


@dataclass
class Part:
    """What some rules found: the per-quartier rules in one quartier, or the charter-wide rules."""

    key: PartKey | None
    """The quartier's file and content (None: the charter-wide rules, the territory, a file without hash)."""
    found: Found
    """The problems for the load's reference date."""
    since: dt.date | None
    """``found`` holds for every reference date from this one on (None: for the load's date only)."""
    kept: tuple[dt.date, Found] | None
    """What a verdict keeps: the earliest date the horizon's problems hold for, and those problems
    (None: the rules used the date otherwise than by comparing it, not cacheable)."""
    stored: tuple[bytes, int] | None = None
    """``kept``'s problems as a verdict stored them, and how many lacked a position then: a part
    taken from a verdict is written again as it was read, unless positions were found since."""

    def on(self, today: dt.date | None, checked_on: dt.date | None) -> Part | None:
        """This part as it holds for ``today``, when it knows the problems for that date
        (``checked_on``: the date it was found for; both None for a load without date)."""
        if (today is None) != (checked_on is None):
            return None
        if today == checked_on or (self.since is not None and today is not None and self.since <= today):
            return self
        if self.kept is not None and today is not None and self.kept[0] <= today:
            return Part(self.key, self.kept[1], self.kept[0], self.kept, self.stored)
        return None


@dataclass
class Checks:
    """The problems of the cross-record rules of one load, part by part."""

    today: dt.date | None
    """The reference date they were found for."""
    context: str | None
    """The content hashes of the context files (None: unknown, nothing can be reused)."""
    wide: Part
    parts: list[Part]
    """One per quartier of the charter, in its order."""
    ran: list[str] = field(default_factory=list)
    """What this load ran (``charte`` for the charter-wide rules, a quartier's id), for tests."""

    def problems(self) -> list[Problem]:
        """Every problem, in the order of :func:`gusp_cli.model.rules.run_rules`."""
        return assemble(self.wide.found, [part.found for part in self.parts])

    def verdict(self) -> tuple[str, Any] | None:
        """The bound and the payload a verdict keeps, or None when a part is not cacheable."""
        everything = [self.wide, *self.parts]
        if any(part.kept is None for part in everything):
            return None
        bound = max(part.kept[0] for part in everything if part.kept is not None)
        return bound.isoformat(), self._payload

    def _payload(self, root: Path) -> Any:
        """The verdict as plain values (problems with the positions found by then), each part's
        problems as one marshal blob: a part read from a verdict is not encoded again."""
        parts = [(list(part.key) if part.key is not None else None, *_encoded(part, root))
                 for part in self.parts]
        return (self.context, _encoded(self.wide, root), parts)


def _encoded(part: Part, root: Path) -> tuple[str, bytes]:
    """A cacheable part as a verdict keeps it: its bound and its problems' blob (a part read from a
    verdict, with no position found since, as it was read). Raises ValueError for a problem outside
    ``root``."""
    assert part.kept is not None
    if part.stored is not None and part.stored[1] == _unlocated(part.kept[1]):
        return part.kept[0].isoformat(), part.stored[0]
    return part.kept[0].isoformat(), marshal.dumps(encode_found(part.kept[1], root))


class Earlier:
    """The parts earlier loads found, by quartier file and content, in the same context, that hold
    for this load's reference date."""

    def __init__(self, today: dt.date | None, context: str | None) -> None:
        self.today, self.context = today, context
        self._sources: list[Callable[[PartKey], Part | None]] = []

    def add_checks(self, checks: Any) -> None:
        """The parts of a charter loaded before (``charter.checks``)."""
        if not isinstance(checks, Checks) or checks.context != self.context or self.context is None:
            return
        parts = {part.key: part for part in checks.parts if part.key is not None}

        def find(key: PartKey) -> Part | None:
            part = parts.get(key)
            return part.on(self.today, checks.today) if part is not None else None

        self._sources.append(find)

    def add_verdict(self, stored: Any, root: Path) -> None:
        """The parts of a verdict kept in the cache (an entry of another shape is ignored)."""
        try:
            context, _, parts = stored
            by_key = {(str(key[0]), str(key[1])): (bound, encoded) for key, bound, encoded in parts if key}
        except (TypeError, ValueError, IndexError):
            return
        if context != self.context or self.context is None:
            return
        paths: dict[str, Path] = {}

        def find(key: PartKey) -> Part | None:
            entry = by_key.get(key)
            if entry is None:
                return None
            try:
                part = _stored_part(key, entry[0], entry[1], root, paths)
            except (TypeError, ValueError, KeyError, EOFError):
                return None
            return part if self.today is None or part.since is None or part.since <= self.today else None

        self._sources.append(find)

    def find(self, key: PartKey | None) -> Part | None:
        """The part an earlier load found for this quartier's file and content, if it holds."""
        if key is None:
            return None
        for source in self._sources:
            found = source(key)
            if found is not None:
                return found
        return None


def context_of(charter: Charter) -> str | None:
    """The content hashes of ``charte.yaml``, ``acteurs.yaml`` and ``signalements.yaml`` (``-`` when
    absent), or None when one of them has none (no cache, or the file did not validate)."""
    folder = data_dir(charter.root)
    keys = []
    for name in (CHARTER_FILE, REGISTRY_FILE, SIGNALS_FILE):
        known = charter.sources.get(folder / name)
        if known is None:
            if name == SIGNALS_FILE and charter.signalements is None and not charter.signals_broken:
                keys.append("-")
                continue
            return None
        keys.append(known[0])
    return "\0".join(keys)


def part_keys(charter: Charter) -> list[PartKey | None]:
    """The key of each quartier's part (None for the territory, or a file without hash). Two
    quartiers of the same id share the entries of the first: then nothing is reused."""
    ids = Counter(q.id for q in charter.quartiers)
    keys: list[PartKey | None] = []
    for quartier in charter.quartiers:
        path = charter.files[quartier.id]
        known = charter.sources.get(path)
        if (ids[quartier.id] > 1 or charter.is_territory(quartier) or known is None
                or known[1] is not quartier):
            keys.append(None)
            continue
        keys.append((relative_posix(path, charter.root), known[0]))
    return keys


def from_verdict(charter: Charter, today: dt.date | None, stored: Any) -> Checks | None:
    """The checks a verdict for these exact files keeps, when they hold for ``today`` (parts whose
    bound is later are run again); None for an entry of another shape."""
    try:
        _, (wide_bound, wide_encoded), parts = stored
        if len(parts) != len(charter.quartiers):
            return None
        paths: dict[str, Path] = {}
        keys = part_keys(charter)
        decoded = [_stored_part(key, bound, blob, charter.root, paths)
                   for key, (_, bound, blob) in zip(keys, parts, strict=True)]
        wide = _stored_part(None, wide_bound, wide_encoded, charter.root, paths)
    except (TypeError, ValueError, KeyError, IndexError, EOFError):
        return None
    checks = Checks(today, context_of(charter), wide, [])
    if today is not None and wide.since is not None and wide.since > today:
        checks.wide = _run_wide(charter, today)
        checks.ran.append("charte")
    for quartier, key, part in zip(charter.quartiers, keys, decoded, strict=True):
        if today is None or (part.since is not None and part.since <= today):
            checks.parts.append(part)
        else:  # a reference date before a date of the charter: run again
            checks.parts.append(_run_quartier(charter, quartier, key, today))
            checks.ran.append(quartier.id)
    return checks


def check(charter: Charter, today: dt.date | None, earlier: Earlier) -> Checks:
    """Run the charter-wide rules, and the per-quartier rules on each quartier ``earlier`` does not
    know in this context."""
    checks = Checks(today, earlier.context, _run_wide(charter, today), [], ["charte"])
    for quartier, key in zip(charter.quartiers, part_keys(charter), strict=True):
        part = earlier.find(key)
        if part is None:
            part = _run_quartier(charter, quartier, key, today)
            checks.ran.append(quartier.id)
        checks.parts.append(part)
    return checks


def parts_as_stored(charter: Charter, today: dt.date | None) -> Any:
    """The per-quartier rules run on each quartier of ``charter``, as a verdict stores their parts
    (what :meth:`Earlier.add_verdict` reads), for a load that checks these quartiers among others:
    the forked helper of a cold load (:mod:`~gusp_cli.store.forked`). None without a context; a part
    that is not cacheable is left to the load."""
    context = context_of(charter)
    if context is None:
        return None
    parts: list[Any] = []
    for quartier, key in zip(charter.quartiers, part_keys(charter), strict=True):
        if key is None:
            continue
        part = _run_quartier(charter, quartier, key, today)
        if part.kept is not None:
            with suppress(ValueError):  # a problem outside the repository: left to the load
                parts.append((list(key), *_encoded(part, charter.root)))
    return (context, None, parts)


def _stored_part(key: PartKey | None, bound: str, blob: bytes, root: Path, paths: dict[str, Path]) -> Part:
    """A part taken from a verdict (its bound, its problems' blob): they hold from their bound on.
    Raises ValueError, TypeError, KeyError or EOFError for an entry of another shape."""
    if not isinstance(blob, bytes):
        raise TypeError("blob")
    since = dt.date.fromisoformat(bound)
    found = decode_found(marshal.loads(blob), root, paths)
    return Part(key, found, since, (since, found), (blob, _unlocated(found)))


def _unlocated(found: Found) -> int:
    """How many problems lack their line and column."""
    return sum(p.pos is None and p.path is not None for problems in found.values() for p in problems)


def _run_wide(charter: Charter, today: dt.date | None) -> Part:
    """Run the charter-wide rules."""
    return _run(partial(charter_wide, charter), None, today)


def _run_quartier(charter: Charter, quartier: Any, key: PartKey | None, today: dt.date | None) -> Part:
    """Run the per-quartier rules on one quartier."""
    return _run(partial(in_quartier, charter, quartier), key, today)


def _run(rules: Callable[[Any], Found], key: PartKey | None, today: dt.date | None) -> Part:
    """Run some rules against a horizon; again against ``today`` when the horizon's problems do not
    hold for it (a date of the charter after it, or the date used otherwise)."""
    horizon = Horizon()
    found = rules(horizon if today is not None else None)
    kept = (horizon.bound, found) if horizon.exact else None
    if today is None or (horizon.exact and horizon.bound <= today):
        return Part(key, found, horizon.bound, kept)
    return Part(key, rules(today), None, kept)
