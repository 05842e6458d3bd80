"""What earlier loads already know about a file, asked from this one place.

A speed-only mechanism: a load that asks nothing here (cache off) reads, parses and validates
every file and gets the same charter. What is known comes from three places:

- the *file index* (:mod:`gusp_cli.store.fileindex`): the content hash of a file whose status has
  not changed, so it is not even read;
- the *charter loaded before* (an edit checked before it is written): the model of a file whose
  content has not changed;
- the *cache* (:mod:`gusp_cli.store.cache`), by content hash: validated models (rebuilt by
  :mod:`gusp_cli.store.frozen`) with their actions' due dates and ids, parsed plain values, and
  the cross-record rules' verdict (:mod:`gusp_cli.store.verdict`), by the exact files, and the
  latest one kept for the repository (whose unchanged quartiers :mod:`gusp_cli.store.checking` reuses).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gusp_cli.model.charter import Charter, action_ids, due_ordinals
from gusp_cli.model.errors import Problem
from gusp_cli.store.cache import ParseCache
from gusp_cli.store.fileindex import FileIndex, status
from gusp_cli.store.sources import Sources, relative_posix

CACHED_MODELS: dict[str, frozenset[str]] = {
    "Charte": frozenset(), "Registre": frozenset(), "Quartier": frozenset({"tableaux"}),
    "Territoire": frozenset({"tableaux"}), "Reunions": frozenset(), "Signalements": frozenset(),
    "RegistreTfpb": frozenset(),
}
"""Models kept validated in the cache, with their fields rebuilt only on first use.

``insertion.yaml`` is not: its personal-data rule reads the parsed values themselves. ``signalements.
yaml`` is: a file whose keys would identify a person does not validate (unknown keys), so it is
never kept, and the rule on its free text runs on the model."""

_WITH_ACTIONS = ("Quartier", "Territoire")
"""The kinds of files whose actions' due dates and ids are kept with their model."""


@dataclass
class KnownModel:
    """A validated model known for a file's content, and its actions' due dates when stored."""

    model: Any
    dues: list[int] | None = None
    """Due date of each action (ordinal, 0 for none) of a quartier; None when not known."""
    ids: list[str] | None = None
    """Id of each action of a quartier, in the same order; None when not known."""


class Known:
    """What the index, the charter loaded before and the cache know, for one load."""

    def __init__(self, cache: ParseCache | None, sources: Sources, base: Charter | None) -> None:
        self.cache, self.sources, self.base = cache, sources, base
        on_disk = cache is not None and sources.touches_disk
        self.index = FileIndex(cache, str(sources.root)) if cache is not None and on_disk else None
        self._in_memory: dict[Path, str] = {}
        """Content hashes of files held in memory, worked out before they are read."""
        self._vouched: dict[Path, str | None] = {}
        """What the index said of each file asked (the loader and its helper's split both ask)."""

    def unchanged(self, path: Path) -> str | None:
        """The content hash of a file the index knows unchanged (it is then not read), or None.

        Only a file read once (through :meth:`Sources.read`, which refuses links out of the
        repository) is indexed; a link put in its place later has another status, so it is read.
        """
        if self.index is None or not self.sources.on_disk(path):
            return None
        if path not in self._vouched:
            self._vouched[path] = self.index.known(self._relative(path), str(path))
        return self._vouched[path]

    def read(self, path: Path) -> tuple[bytes | None, str, Problem | None]:
        """Read the file; return its bytes, its content hash ("" with no cache) and any problem.

        A file read from the disk is recorded in the index unless it changed while being read.
        """
        before = status(str(path)) if self.index is not None and self.sources.on_disk(path) else None
        raw, problem = self.sources.read(path)
        if raw is None or self.cache is None:
            return raw, "", problem
        key = self._in_memory.pop(path, None) or self.cache.key(raw)
        if self.index is not None and before is not None and before[0] == len(raw):
            self.index.record(self._relative(path), str(path), key, before)
        return raw, key, None

    def in_memory_key(self, path: Path) -> str | None:
        """The content hash of a file held in memory (a git revision's blob), kept for :meth:`read`
        so that it is worked out once; None for a file on disk, a missing one, or without cache."""
        if self.cache is None or self.sources.on_disk(path):
            return None
        raw, _ = self.sources.read(path)
        if raw is None:
            return None
        key = self._in_memory[path] = self.cache.key(raw)
        return key

    def model(self, path: Path, kind: str, key: str) -> KnownModel | None:
        """The validated model of this content: from the charter loaded before, else the cache."""
        if not key:
            return None
        return self._from_base(path, kind, key) or self._from_cache(path, kind, key)

    def _from_base(self, path: Path, kind: str, key: str) -> KnownModel | None:
        prior = self.base.sources.get(path) if self.base is not None else None
        if prior is None or prior[0] != key:
            return None
        assert self.base is not None
        model = prior[1]
        # by its kind, not by its ``tableaux``: asking a cached model for them would rebuild them
        quartier_id = getattr(model, "id", None) if kind in _WITH_ACTIONS else None
        if quartier_id not in self.base.counts:
            return KnownModel(model)
        return KnownModel(model, self.base.dues_of(quartier_id), self.base.ids_of(quartier_id))

    def _from_cache(self, path: Path, kind: str, key: str) -> KnownModel | None:
        if self.cache is None or kind not in CACHED_MODELS:
            return None
        stored = self.cache.get(self._model_key(kind, key))
        if stored is None:
            return None
        from gusp_cli.store.frozen import decode as rebuild
        from gusp_cli.store.frozen import unpack_layouts

        try:
            packed, encoded, dues, ids = stored
            if not isinstance(packed, bytes) or not isinstance(dues, list) or not isinstance(ids, list):
                raise TypeError("dues")
            return KnownModel(rebuild(encoded, kind, unpack_layouts(packed)), dues, ids)
        except (TypeError, ValueError, KeyError, EOFError):
            return None  # an entry of another shape: parse and validate again

    def has_model(self, kind: str, key: str) -> bool:
        """Whether the cache holds a validated model of this content (not read: it may turn out
        corrupt, and is then parsed again where it is read)."""
        return self.cache is not None and bool(key) and self.cache.has(self._model_key(kind, key))

    def _model_key(self, kind: str, key: str) -> str:
        assert self.cache is not None
        return self.cache.derived("valide", kind, key)

    def values(self, path: Path, kind: str, key: str) -> Any:
        """The plain values parsed before from this content (None when not known)."""
        if not self._keeps(path, key) or kind in CACHED_MODELS or self.cache is None:
            return None  # a kept model needs no values besides
        return self.cache.get(key)

    def keep_values(self, path: Path, kind: str, key: str, data: Any) -> None:
        """Remember the plain values of a file that parsed cleanly, unless its model will be kept."""
        if self._keeps(path, key) and kind not in CACHED_MODELS:
            assert self.cache is not None
            self.cache.put(key, data)

    def keep_model(self, path: Path, kind: str, key: str, model: Any, *, rebuild: bool = True
                   ) -> KnownModel | None:
        """Remember the model of a file read and validated without any problem; return what the next
        loads will rebuild from it (the same values as light records, in a fraction of the memory),
        or, without ``rebuild``, ``model`` itself with its due dates and ids."""
        if not self._keeps(path, key) or kind not in CACHED_MODELS:
            return None
        from gusp_cli.store.frozen import decode, describe, encode, pack_layouts

        assert self.cache is not None
        layouts = describe(type(model), CACHED_MODELS[kind])
        actions = kind in _WITH_ACTIONS
        dues, ids = (due_ordinals(model), action_ids(model)) if actions else ([], [])
        encoded = encode(model, layouts)
        self.cache.put(self._model_key(kind, key), (pack_layouts(layouts), encoded, dues, ids))
        return KnownModel(decode(encoded, kind, layouts) if rebuild else model, dues, ids)

    def _keeps(self, path: Path, key: str) -> bool:
        """Whether what is learnt of this file can be kept: the cache is on and the content known.

        Entries are keyed by content alone, so a file of a git revision (``gusp diff``, ``gusp
        log``) shares them with the working tree's file of the same bytes: a diff parses only the
        blobs that differ from what was loaded before."""
        return self.cache is not None and bool(key)

    def verdict(self, listing: list[str], dated: bool) -> tuple[str, Any] | None:
        """The key of the rules' verdict for this listing of files and hashes, and what is stored."""
        if self.cache is None:
            return None
        key = self.cache.derived("verdict", "date" if dated else "sans date", *listing)
        return key, self.cache.get(key)

    def recent_verdict(self, dated: bool) -> Any:
        """What the latest verdict kept for this repository's files on disk holds (None: none)."""
        if self.cache is None or not self.sources.touches_disk:
            return None
        key = self.cache.get(self._recent_key(dated))
        stored = self.cache.get(key) if isinstance(key, str) else None
        return stored[1] if isinstance(stored, tuple) and len(stored) == 2 else None

    def keep_verdict(self, key: str, bound: str, payload: Callable[[Path], Any], dated: bool) -> None:
        """Store the rules' verdict, holding from ``bound`` on (``payload``: the problems with the
        positions found, from :class:`gusp_cli.store.checking.Checks`); for files on disk, it
        becomes this repository's latest verdict."""
        if self.cache is None:
            return
        with suppress(ValueError):  # a problem outside the repository: not cacheable
            self.cache.put(key, (bound, payload(self.sources.root)))
            if self.sources.touches_disk:
                self.cache.put(self._recent_key(dated), key)

    def taken_verdict(self, key: str, dated: bool) -> None:
        """A verdict taken from the cache becomes this repository's latest, for files on disk."""
        if self.cache is None or not self.sources.touches_disk:
            return
        recent = self._recent_key(dated)
        if self.cache.get(recent) != key:
            self.cache.put(recent, key)

    def _recent_key(self, dated: bool) -> str:
        assert self.cache is not None
        return self.cache.derived("verdict recent", "date" if dated else "sans date",
                                  os.path.realpath(self.sources.root))

    def save(self) -> None:
        """Write the file index if this load learnt something new."""
        if self.index is not None:
            self.index.save()

    def _relative(self, path: Path) -> str:
        return relative_posix(path, self.sources.root)
