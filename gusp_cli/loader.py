"""Loading a charter repository: read every file, validate, check, collect every problem.

Like beancount's loader, it never stops at the first problem: a file that fails to parse is
reported and the others are still read and checked. Source positions are resolved at the end,
only for the files that have problems.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Mapping
from contextlib import suppress
from pathlib import Path
from typing import Any

from gusp_cli.cache import ParseCache, active
from gusp_cli.charter import Charter, due_ordinals
from gusp_cli.checks import run_checks
from gusp_cli.errors import Problem, error, warning
from gusp_cli.fileindex import open_index
from gusp_cli.repository import CHARTER_FILE, DATA_DIR, QUARTIERS_DIR, REGISTRY_FILE, data_dir, quartier_file
from gusp_cli.source import SourcePos
from gusp_cli.yamlio import Parsed, decode, node_tree, parse_bytes, parse_text, position_of, read_bounded

Texts = Mapping[Path, str | bytes]
"""File contents held in memory, by path (a git revision): a path it lacks is a missing file."""


class Overrides(dict[Path, str | bytes]):
    """In-memory contents of a few files (an edit not written yet); the others come from the disk."""


def _from_disk(path: Path, texts: Texts | None) -> bool:
    """True when ``path`` is read from the disk rather than from ``texts``."""
    return texts is None or (isinstance(texts, Overrides) and path not in texts)


def _exists(path: Path, texts: Texts | None) -> bool:
    """Whether ``path`` exists (lexists on disk: a folder or a loop is read and reported as such)."""
    return os.path.lexists(path) if _from_disk(path, texts) else path in texts  # type: ignore[operator]


def _is_file(path: Path, texts: Texts | None) -> bool:
    """Whether an optional file is present."""
    return path.is_file() if _from_disk(path, texts) else path in texts  # type: ignore[operator]


def load(root: Path, *, as_of: dt.date | None = None, texts: Texts | None = None,
         locate_warnings: bool = True, base: Charter | None = None) -> Charter:
    """Load the charter repository at ``root``; problems are collected in ``charter.problems``.

    ``as_of`` is the reference date for the rules that depend on it (follow-up dates in the
    future); without it those rules are skipped. The clock is never read here. With ``texts``
    the files are read from that mapping (paths below ``root``) instead of the disk; a path it
    lacks is a missing file, unless ``texts`` is an :class:`Overrides` (then it is read from
    disk). Without ``locate_warnings`` only errors get their line and column
    (a query on a valid charter then never re-reads a file that the parse cache answered for).
    ``base``, a charter loaded before from the same repository (an edit checked before it is
    written): its models and entries are reused for the files whose content has not changed.
    """
    # Loading allocates millions of small containers and frees none: the cyclic garbage collector
    # would only rescan them (measured: 57 % of the load time on 50,000 actions).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(root, as_of, texts, locate_warnings, base)
    finally:
        if collecting:
            gc.freeze()  # what was loaded lives until the command ends: never rescan it
            gc.enable()


def _load(root: Path, as_of: dt.date | None, texts: Texts | None, locate_warnings: bool,
          base: Charter | None) -> Charter:
    """Body of :func:`load`."""
    charter = Charter(root=root)
    reader = _Reader(charter, texts, base)
    folder = data_dir(root)
    charter.charte = reader.model(folder / CHARTER_FILE, "Charte")
    charter.registre = reader.model(folder / REGISTRY_FILE, "Registre")
    for index, quartier_id in enumerate(charter.charte.quartiers if charter.charte else []):
        path = quartier_file(root, quartier_id)
        if not _exists(path, texts):
            charter.problems.append(error(
                "fichier_manquant", f"quartier « {quartier_id} » listé mais fichier "
                f"{QUARTIERS_DIR}/{quartier_id}.yaml introuvable", folder / CHARTER_FILE,
                ("quartiers", index)))
            continue
        _load_quartier(charter, quartier_id, reader)
    if base is not None:
        charter.adopt_entries(base)
    _warn_unlisted(charter, texts)
    _load_records(charter, reader)
    if charter.charte is not None and charter.registre is not None:
        charter.problems.extend(_checked(charter, as_of, reader))
    located = charter.problems if locate_warnings else [p for p in charter.problems if p.is_error]
    _resolve_positions(located, reader.parsed)
    _store_verdict(reader, charter.root)
    if reader.index is not None:
        reader.index.save()
    return charter


def _store_verdict(reader: _Reader, root: Path) -> None:
    """Store the rules' verdict with the positions found so far (warnings may be located later).

    A verdict read from the cache is stored again only when this load found more positions.
    """
    if reader.verdict is None or reader.cache is None:
        return
    from gusp_cli import verdict

    key, bound, problems, unlocated = reader.verdict
    if unlocated is not None and _unlocated(problems) >= unlocated:
        return
    with suppress(ValueError):  # a problem outside the repository: not cacheable
        reader.cache.put(key, (bound, verdict.encode(problems, root)))


def _unlocated(problems: list[Problem]) -> int:
    """How many problems still lack their line and column."""
    return sum(p.pos is None and p.path is not None for p in problems)


class _Reader:
    """Reads the files of one load: bytes, then cached model, or parse and validate.

    It keeps what the positions of problems and the verdict cache need: every file's parse
    result and the listing of every file read with its content hash.
    """

    def __init__(self, charter: Charter, texts: Texts | None, base: Charter | None) -> None:
        self.charter, self.texts, self.base = charter, texts, base
        self.root, self.problems = charter.root, charter.problems
        self.cache: ParseCache | None = active()
        on_disk = texts is None or isinstance(texts, Overrides)
        self.index = open_index(self.cache, charter.root) if on_disk else None
        self.parsed: dict[Path, Parsed] = {}
        self.listing: list[str] | None = [] if self.cache is not None else None
        """``relative path``, ``content key`` pairs, flattened (None: not cacheable)."""
        self.dues: dict[Path, list[int]] = {}
        """Due date (ordinal, 0 for none) of each action of each quartier file read from the cache."""
        self.verdict: tuple[str, str, list[Problem], int | None] | None = None
        """The verdict to store once positions are resolved: key, bound, problems and, for a
        verdict read from the cache, how many of them lacked their position (None: a new one)."""

    def model(self, path: Path, name: str) -> Any:
        """Read and validate one file as model ``name``; record its problems; the model or None."""
        relative = path.relative_to(self.root).as_posix()
        raw, key = None, self._known_key(path, relative)
        if key is None:
            raw, key = self._hashed(path, relative)
            if raw is None:
                return None
        if self.listing is not None:
            self.listing += [relative, key]
        model = self._reused(path, key) or self._cached(path, name, key)
        if model is None:
            if raw is None:  # indexed as unchanged, yet its validated values are not in the cache
                raw, key = self._hashed(path, relative)
                if raw is None:
                    return None
                if self.listing is not None:
                    self.listing[-1] = key
            model = self._read(path, name, raw, key)
        if model is not None and key:
            self.charter.sources[path] = (key, model)
        return model

    def _known_key(self, path: Path, relative: str) -> str | None:
        """The content hash of a file the index knows unchanged (it is then not read), or None.

        Only a file read once (through :meth:`_raw`, which refuses links out of the repository)
        is indexed; a link put in its place later has another status, so it is read, and refused.
        """
        if self.index is None or not _from_disk(path, self.texts):
            return None
        return self.index.known(relative, str(path))

    def _hashed(self, path: Path, relative: str) -> tuple[bytes | None, str]:
        """The file's bytes and content hash (recorded in the index), or None."""
        from gusp_cli.fileindex import status

        before = status(str(path)) if self.index is not None and _from_disk(path, self.texts) else None
        raw = self._raw(path)
        if raw is None or self.cache is None:
            return raw, ""
        key = self.cache.key(raw)
        if self.index is not None and before is not None and before[0] == len(raw):
            self.index.record(relative, str(path), key, before)
        return raw, key

    def _reused(self, path: Path, key: str) -> Any:
        """The model of the base charter for a file whose content has not changed, or None."""
        prior = self.base.sources.get(path) if self.base is not None and key else None
        if prior is None or prior[0] != key:
            return None
        assert self.base is not None
        model = prior[1]
        self.parsed[path] = Parsed(path, cached=True)  # positions: read again from the disk
        quartier_id = getattr(model, "id", None) if hasattr(model, "tableaux") else None
        if quartier_id in self.base.counts:
            self.dues[path] = self.base.dues_of(quartier_id)
        return model

    def _read(self, path: Path, name: str, raw: bytes, key: str) -> Any:
        """Parse then validate the file's bytes."""
        on_disk = _from_disk(path, self.texts)
        # a model kept validated in the cache needs no parsed values stored besides
        result = (parse_bytes(raw, path, key or None, store=name not in _CACHED_MODELS) if on_disk
                  else _parse_text(raw, path))
        self.parsed[path] = result
        self.problems.extend(result.problems)
        if not result.ok:
            return None
        return self._validate(path, name, result, key)

    def _raw(self, path: Path) -> bytes | None:
        """The file's bytes, or None with its problem recorded."""
        if not _from_disk(path, self.texts):
            content = self.texts[path] if self.texts is not None and path in self.texts else None
            if content is None:
                self._fail(Parsed(path, problems=[error("fichier_illisible", "fichier introuvable", path)]))
                return None
            return content.encode() if isinstance(content, str) else content
        escape = _escapes_repository(path)
        if escape:
            self._fail(Parsed(path, problems=[error(
                "lien_exterieur", f"lien symbolique vers {escape}, hors du dépôt de charte : refusé "
                "(copiez le fichier dans le dépôt)", path)]))
            return None
        raw, problem = read_bounded(path)
        if raw is None:
            self._fail(Parsed(path, problems=[problem] if problem is not None else []))
        return raw

    def _fail(self, result: Parsed) -> None:
        """Record an unreadable file (no verdict can be cached for this repository)."""
        self.parsed[result.path] = result
        self.problems.extend(result.problems)
        self.listing = None

    def _cached(self, path: Path, name: str, key: str) -> Any:
        """The validated model stored for this content (only for files read from the disk)."""
        if self.cache is None or not _from_disk(path, self.texts) or name not in _CACHED_MODELS:
            return None
        stored = self.cache.get(self.cache.derived("valide", name, key))
        if stored is None:
            return None
        from gusp_cli.frozen import decode as rebuild

        try:
            layouts, encoded, dues = stored
            if not isinstance(dues, list):
                raise TypeError("dues")
            model = rebuild(encoded, name, layouts)
        except (TypeError, ValueError, KeyError):
            return None  # an entry of another shape: parse and validate again
        self.parsed[path] = Parsed(path, cached=True)
        self.dues[path] = dues
        return model

    def _validate(self, path: Path, name: str, result: Parsed, key: str) -> Any:
        """Validate parsed values as model ``name``; store a clean result in the cache."""
        if not isinstance(result.data, dict):
            kind = "une liste" if isinstance(result.data, list) else "une valeur simple"
            self.problems.append(error("schema", f"le document doit être une table (clé: valeur), "
                                       f"pas {kind}", path, ()))
            return None
        from gusp_cli import models
        from gusp_cli.validation import validate

        model = getattr(models, name)
        instance, schema_problems = validate(model, result.data, path)
        self.problems.extend(schema_problems)
        if instance is not None and not schema_problems and name in _CACHED_MODELS and (
                self.cache is not None and _from_disk(path, self.texts)):
            self._store(name, key, instance)
        return instance

    def _store(self, name: str, key: str, instance: Any) -> None:
        """Keep a validated model in the cache, encoded (see :mod:`gusp_cli.frozen`)."""
        from gusp_cli.frozen import describe, encode

        assert self.cache is not None
        layouts = describe(type(instance), _CACHED_MODELS[name])
        dues = due_ordinals(instance) if name == "Quartier" else []
        self.cache.put(self.cache.derived("valide", name, key), (layouts, encode(instance, layouts), dues))


_CACHED_MODELS: dict[str, frozenset[str]] = {
    "Charte": frozenset(), "Registre": frozenset(), "Quartier": frozenset({"tableaux"}),
    "Reunions": frozenset(),
}
"""Models kept validated in the cache, with their fields rebuilt only on first use.

``insertion.yaml`` is not: its personal-data rule reads the parsed values themselves."""


def _parse_text(raw: bytes, path: Path) -> Parsed:
    """Parse bytes held in memory (never cached: positions could not be found again on disk)."""
    text, problems = decode(raw, path)
    return parse_text(text, path) if text is not None else Parsed(path, problems=problems)


def _checked(charter: Charter, as_of: dt.date | None, reader: _Reader) -> list[Problem]:
    """The cross-record rules' problems: from the verdict cache when every file is unchanged."""
    if reader.cache is None or reader.listing is None or any(p.is_error for p in charter.problems):
        return run_checks(charter, as_of)
    from gusp_cli import verdict

    key = reader.cache.derived("verdict", "date" if as_of else "sans date", *reader.listing)
    stored = reader.cache.get(key)
    if isinstance(stored, tuple) and len(stored) == 2:
        bound, encoded = stored
        with suppress(TypeError, ValueError):  # an entry of another shape: run the rules
            if as_of is None or dt.date.fromisoformat(bound) <= as_of:
                problems = verdict.decode(encoded, charter.root)
                if _unlocated(problems):
                    reader.verdict = (key, bound, problems, _unlocated(problems))
                return problems
            return run_checks(charter, as_of)  # a reference date before a date of the charter
    horizon = verdict.Horizon()
    problems = run_checks(charter, horizon if as_of else None)
    if horizon.exact:  # stored once their positions are known (see _load)
        reader.verdict = (key, horizon.bound.isoformat(), problems, None)
    if as_of is None or (horizon.exact and horizon.bound <= as_of):
        return problems
    return run_checks(charter, as_of)


def _escapes_repository(path: Path) -> str | None:
    """The real path of a file that a symbolic link takes out of its repository, else None.

    A pull request must not make ``gusp`` read (and quote in its messages) a file elsewhere on the
    machine that runs it.
    """
    folder = next((p for p in path.parents if p.name == DATA_DIR), None)
    if folder is None or not os.path.lexists(path):
        return None
    below = [path, *path.parents[:len(path.parents) - len(folder.parents)]]  # the file .. charter-data
    if not any(os.path.islink(p) for p in below):
        return None  # no link below the repository's root: the file is inside it
    real, root = os.path.realpath(path), os.path.realpath(folder.parent)
    return None if real == root or real.startswith(root + os.sep) else real


def _load_records(charter: Charter, reader: _Reader) -> None:
    """Load the optional ``reunions.yaml`` and ``insertion.yaml`` when they exist."""
    from gusp_cli.checks import personal_data
    from gusp_cli.repository import INSERTION_FILE, MEETINGS_FILE

    base = data_dir(charter.root)
    path = base / MEETINGS_FILE
    if _is_file(path, reader.texts):
        meetings = reader.model(path, "Reunions")
        charter.reunions = list(meetings.reunions) if meetings is not None else []
    path = base / INSERTION_FILE
    if not _is_file(path, reader.texts):
        return
    start = len(charter.problems)
    charter.insertion = reader.model(path, "RegistreInsertion")
    flagged = personal_data(reader.parsed[path].data, path)
    if flagged:  # their own message replaces the generic « clé inconnue »
        at = {p.yaml_path for p in flagged}
        kept = [p for p in charter.problems[start:] if not (p.rule == "schema" and p.yaml_path in at)]
        charter.problems[start:] = kept + flagged


def _load_quartier(charter: Charter, quartier_id: str, reader: _Reader) -> None:
    """Load one quartier file; its entries are built when first asked for."""
    path = quartier_file(charter.root, quartier_id)
    quartier = reader.model(path, "Quartier")
    if quartier is None:
        return
    if quartier.id != quartier_id:
        charter.problems.append(error("quartier_id", f"l'id « {quartier.id} » ne correspond pas au "
                                      f"nom du fichier ({quartier_id}.yaml)", path, ("id",)))
    charter.add_quartier(quartier, path, reader.dues.get(path))


def _warn_unlisted(charter: Charter, texts: Texts | None = None) -> None:
    """Warn about quartier files that ``charte.yaml`` does not list (they are not loaded)."""
    folder = data_dir(charter.root) / QUARTIERS_DIR
    listed = set(charter.charte.quartiers) if charter.charte else set()
    in_memory = texts is not None and not isinstance(texts, Overrides)
    if charter.charte is None or (not in_memory and not folder.is_dir()):
        return
    files = set(folder.glob("*.yaml")) if not in_memory else set()
    files |= {p for p in texts or () if p.parent == folder and p.suffix == ".yaml"}
    for path in sorted(files):
        if path.stem not in listed:
            charter.problems.append(warning("quartier_non_liste", f"fichier {path.name} ignoré : "
                                            f"« {path.stem} » n'est pas listé dans charte.yaml "
                                            "(clé quartiers)", path, pos=SourcePos(path, 1, 1)))


def _resolve_positions(problems: list[Problem], parsed: dict[Path, Parsed]) -> None:
    """Give each problem that has a YAML path its line and column, from the node tree."""
    for problem in problems:
        if problem.pos is not None or problem.path is None:
            continue
        source = parsed.get(problem.path)
        root = node_tree(source) if source is not None else None
        if root is None:
            continue
        problem.pos = position_of(root, problem.path, problem.yaml_path, key=problem.key)
