"""Loading a charter repository: read every file, validate, check, collect every problem.

Like beancount's loader, it never stops at the first problem: a file that fails to parse is
reported and the others are still read and checked. :func:`load` reads as the story of a load:

1. find the files (:class:`~gusp_cli.store.sources.Sources`: the disk, a git revision, overrides);
2. for each file: is its content known (:class:`~gusp_cli.store.known.Known`)? take the known
   model; else read, parse and validate it (an action that fails validation is left out and
   reported, the rest of its quartier is kept: :func:`~gusp_cli.store.validation.validate_keeping`);
3. run the cross-record rules, or take their verdict kept for these exact files; a quartier whose
   file an earlier load already checked in the same context keeps its problems, so an edit, or a
   ``git pull`` that changed one quartier, runs them on that quartier only
   (:mod:`~gusp_cli.store.checking`);
4. give each problem its line and column (only the files that have problems are parsed again);
5. a :class:`~gusp_cli.model.charter.Charter` with its problems.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import suppress
from pathlib import Path
from typing import Any

from gusp_cli.model.charter import Charter, Dropped
from gusp_cli.model.errors import Problem, error, warning
from gusp_cli.model.layout import (
    CHARTER_FILE,
    INSERTION_FILE,
    MEETINGS_FILE,
    QUARTIERS_DIR,
    REGISTRY_FILE,
    REVIEWS_DIR,
    SIGNALS_FILE,
    TERRITORY_FILE,
    TFPB_FILE,
    data_dir,
    quartier_file,
)
from gusp_cli.model.rules import SIGNALS_KEYS, personal_data
from gusp_cli.model.source import SourcePos
from gusp_cli.store import forked
from gusp_cli.store.cache import active
from gusp_cli.store.known import Known
from gusp_cli.store.plainyaml import locate, locator, read_values
from gusp_cli.store.sources import Overrides, Sources, Texts, relative_posix
from gusp_cli.store.yamlio import Parsed

__all__ = ["Overrides", "Texts", "load"]


def load(root: Path, *, today: dt.date | None = None, texts: Texts | None = None,
         locate_warnings: bool = True, base: Charter | None = None) -> Charter:
    """Load the charter repository at ``root``; problems are collected in ``charter.problems``.

    ``today`` is the reference date for the rules that depend on it (follow-up dates in the
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
        return _load(Sources(root, texts), today, locate_warnings, base)
    finally:
        if collecting:
            gc.freeze()  # what was loaded lives until the command ends: never rescan it
            gc.enable()


def _load(sources: Sources, today: dt.date | None, locate_warnings: bool, base: Charter | None) -> Charter:
    """The story of a load (see the module's docstring)."""
    known = Known(active(), sources, base)
    charter = Charter(root=sources.root)
    reading = _Reading(charter, sources, known, today)
    folder = data_dir(sources.root)
    charter.charte = reading.model(folder / CHARTER_FILE, "Charte")
    charter.registre = reading.model(folder / REGISTRY_FILE, "Registre")
    reading.quartiers()
    if base is not None:
        charter.adopt_entries(base)
    reading.optional_records()
    if charter.charte is not None and charter.registre is not None:
        charter.problems.extend(_cross_record_problems(charter, today, known, reading, base))
    located = charter.problems if locate_warnings else [p for p in charter.problems if p.is_error]
    _resolve_positions(located, reading.parsed)
    reading.keep_verdict()
    known.save()
    return charter


_VALUES_READ_AFTER = frozenset({"Signalements", "RegistreInsertion"})
"""Kinds whose parsed values are read once validated (:meth:`_Reading._personal_keys`)."""


class _Reading:
    """The files of one load: for each, a known model, or read, parse and validate.

    It keeps what the positions of problems and the verdict need: every file's parse result and
    the listing of every file read with its content hash.
    """

    def __init__(self, charter: Charter, sources: Sources, known: Known, today: dt.date | None) -> None:
        self.charter, self.sources, self.known, self.today = charter, sources, known, today
        self.parsed: dict[Path, Parsed] = {}
        self.listing: list[str] | None = [] if known.cache is not None else None
        """``relative path``, ``content key`` pairs, flattened (None: not cacheable)."""
        self.dues: dict[Path, list[int]] = {}
        """Due date (ordinal, 0 for none) of each action of each quartier file known before."""
        self.ids: dict[Path, list[str]] = {}
        """Id of each action of each quartier file known before (the id index needs no action)."""
        self.helped: forked.Helped = {}
        """What the helper of a cold load read (:mod:`~gusp_cli.store.forked`), until its file is met."""
        self.helper_parts: Any = None
        """The per-quartier rules' parts the helper found in its quartiers, as a verdict holds them."""
        self.own_parts: Any = None
        """The same for the quartiers read here, found while the helper was still reading."""
        self.positions: dict[Path, list[list[int]]] = {}
        """For a quartier whose invalid actions were left out: per table, each kept action's index."""
        self.verdict: tuple[str, Any, list[Problem], int | None] | None = None
        """The verdict to keep once positions are resolved: key, checks (:class:`~gusp_cli.store.
        checking.Checks`), problems and, for a verdict read from the cache, how many of them
        lacked their position (None: a new one)."""

    def model(self, path: Path, kind: str) -> Any:
        """One file as model ``kind``: its known model, else read, parsed and validated (or None)."""
        key = self.known.unchanged(path)  # the index vouches for the content: not even read
        found = self.known.model(path, kind, key) if key else None
        model, raw = None, None
        if found is None:
            raw, read_key, problem = self.known.read(path)
            if raw is None:
                self._unreadable(path, problem)
                return None
            if read_key != key:
                key, found = read_key, self.known.model(path, kind, read_key)
            if found is None:
                model = self._parse_and_validate(path, kind, raw, key)
        if self.listing is not None:
            self.listing += [relative_posix(path, self.charter.root), key or ""]
        if found is not None:
            model = found.model
            # positions, when a problem needs them: the helper's, else read again from the disk, or
            # from these bytes
            helped = self.helped.pop(str(path), None)
            root = helped[1] if helped is not None and helped[0] == key else None
            self.parsed[path] = Parsed(path, root=root, cached=True,
                                       raw=None if self.sources.on_disk(path) else raw)
            if found.dues is not None:
                self.dues[path] = found.dues
            if found.ids is not None:
                self.ids[path] = found.ids
        if model is not None and key and path not in self.positions:  # a partial model is not reused
            self.charter.sources[path] = (key, model)
        return model

    def _unreadable(self, path: Path, problem: Problem | None) -> None:
        """Record a file that cannot be read (no verdict can be kept for this repository)."""
        result = Parsed(path, problems=[problem] if problem is not None else [])
        self.parsed[path] = result
        self.charter.problems.extend(result.problems)
        self.listing = None

    def _parse_and_validate(self, path: Path, kind: str, raw: bytes, key: str) -> Any:
        """Parse the bytes (or take their known values), then validate them as ``kind``."""
        values = self.known.values(path, kind, key)
        result = Parsed(path, data=values, cached=True) if values is not None else read_values(raw, path)
        self.parsed[path] = result
        self.charter.problems.extend(result.problems)
        if not result.ok:
            return None
        if not result.cached and not result.problems:
            self.known.keep_values(path, kind, key, result.data)
        instance = self._validate(path, kind, result.data, key)
        if kind not in _VALUES_READ_AFTER:
            result.data = None  # validated: only the positions are needed from here on (memory)
        return instance

    def _validate(self, path: Path, kind: str, data: Any, key: str) -> Any:
        """Validate plain values as model ``kind``; a clean result is kept for the next loads."""
        if not isinstance(data, dict):
            shape = "une liste" if isinstance(data, list) else "une valeur simple"
            self.charter.problems.append(error("schema", "le document doit être une table (clé: valeur), "
                                               f"pas {shape}", path, ()))
            return None
        from gusp_cli.model import models
        from gusp_cli.store.validation import validate_keeping

        instance, problems, left_out = validate_keeping(getattr(models, kind), data, path)
        self.charter.problems.extend(problems)
        if left_out:
            self._leave_out(path, data, left_out)
        elif instance is not None and not problems:
            kept = self.known.keep_model(path, kind, key, instance)
            if kept is not None:  # what a warm load would have: the pydantic model is let go
                instance = kept.model
                if kept.dues is not None and kind in ("Quartier", "Territoire"):
                    self.dues[path] = kept.dues
                if kept.ids is not None and kind in ("Quartier", "Territoire"):
                    self.ids[path] = kept.ids
        return instance

    def _leave_out(self, path: Path, data: dict[str, Any], left_out: list[tuple[int, int]]) -> None:
        """Record the actions left out of a quartier, and where its kept actions are in the file."""
        positions = []
        for t, table in enumerate(data.get("tableaux") or []):
            actions = table.get("actions") if isinstance(table, dict) else None
            count = len(actions) if isinstance(actions, list) else 0
            positions.append([a for a in range(count) if (t, a) not in left_out])
        self.positions[path] = positions
        for t, a in left_out:
            raw = data["tableaux"][t]["actions"][a]
            action_id = raw.get("id") if isinstance(raw, dict) else None
            self.charter.dropped.append(Dropped(path, ("tableaux", t, "actions", a),
                                                action_id if isinstance(action_id, str) else None))

    def quartiers(self) -> None:
        """Load every quartier ``charte.yaml`` lists; warn about the files it does not list."""
        charter = self.charter
        listed = charter.charte.quartiers if charter.charte else []
        folder = quartier_file(charter.root, "-").parent  # one join per file, not three
        paths = [folder / f"{quartier_id}.yaml" for quartier_id in listed]
        present = [path for path in paths if self.sources.exists(path)]
        helper = forked.start(self.known, present, "Quartier", self._check_in_helper)
        try:
            helper = self._read_listed(listed, paths, set(present), helper)
        except BaseException:  # an error or a ^C while reading: the helper is not left behind
            if helper is not None:
                helper.abandon()
            raise
        if helper is not None:  # pragma: no cover - its first file is always met; never leave it running
            helper.join()
        if charter.charte is not None:
            self._warn_unlisted(set(listed))
        self._territory()

    def _read_listed(self, listed: list[str], paths: list[Path], there: set[Path],
                     helper: forked.Helper | None) -> forked.Helper | None:
        """Read each quartier listed, meeting the helper's files at its first one; the helper when
        it was not met (None once joined)."""
        charter = self.charter
        for index, (quartier_id, path) in enumerate(zip(listed, paths, strict=True)):
            if helper is not None and path == helper.first:
                self.own_parts = self._parts_aside()
                self.helped, self.helper_parts, helper = helper.join(), helper.then, None
            if path not in there:
                charter.problems.append(error(
                    "fichier_manquant", f"quartier « {quartier_id} » listé mais fichier "
                    f"{QUARTIERS_DIR}/{quartier_id}.yaml introuvable", data_dir(charter.root) / CHARTER_FILE,
                    ("quartiers", index)))
                continue
            quartier = self.model(path, "Quartier")
            if quartier is None:
                continue
            if quartier.id != quartier_id:
                charter.problems.append(error("quartier_id", f"l'id « {quartier.id} » ne correspond pas "
                                              f"au nom du fichier ({quartier_id}.yaml)", path, ("id",)))
            charter.add_quartier(quartier, path, self.dues.get(path), self.positions.get(path),
                                 self.ids.get(path))
        return helper

    def _check_in_helper(self, kept: list[tuple[Path, str, Any]]) -> Any:
        """In the forked helper, once it has read its quartiers: :meth:`_parts_of` them."""
        return self._parts_of([(path, key, known.model, known.dues, known.ids) for path, key, known in kept])

    def _parts_aside(self) -> Any:
        """While the helper still reads: :meth:`_parts_of` the quartiers read so far (a partial one,
        whose invalid actions were left out, has no part to reuse)."""
        charter, found = self.charter, []
        for quartier in charter.quartiers:
            path = charter.files[quartier.id]
            known = charter.sources.get(path)
            if known is not None and known[1] is quartier:
                found.append((path, known[0], quartier, self.dues.get(path), self.ids.get(path)))
        return self._parts_of(found)

    def _parts_of(self, quartiers: list[tuple[Path, str, Any, list[int] | None, list[str] | None]]) -> Any:
        """The per-quartier rules on these quartiers (file, content hash, model, due dates, ids), in a
        charter of their own whose context is read aside (``signalements.yaml`` read here too; the
        load reads it again at its place, for its problems), as a verdict holds their parts."""
        from gusp_cli.store.checking import parts_as_stored

        charter = self.charter
        aside = Charter(root=charter.root, charte=charter.charte, registre=charter.registre)
        folder = data_dir(charter.root)
        for context in (folder / CHARTER_FILE, folder / REGISTRY_FILE):
            if context in charter.sources:
                aside.sources[context] = charter.sources[context]
        for path, key, model, dues, ids in quartiers:
            if model.id not in aside.files:  # two quartiers of one id: the load checks them itself
                aside.add_quartier(model, path, dues, ids=ids)
                aside.sources[path] = (key, model)
        _Reading(aside, self.sources, self.known, self.today)._signals()
        return parts_as_stored(aside, self.today)

    def _territory(self) -> None:
        """Load ``territoire.yaml``, the charter-wide actions, when it exists: its view comes last."""
        from gusp_cli.model.territory import TerritoryView

        path = data_dir(self.charter.root) / TERRITORY_FILE
        if not self.sources.is_file(path):
            return
        territoire = self.model(path, "Territoire")
        if territoire is not None:
            self.charter.territoire = territoire
            view: Any = TerritoryView(territoire, list(self.charter.quartiers))  # a quartier's attributes
            self.charter.add_quartier(view, path, self.dues.get(path), ids=self.ids.get(path))

    def _warn_unlisted(self, listed: set[str]) -> None:
        """Warn about quartier files that ``charte.yaml`` does not list (they are not loaded)."""
        for path in sorted(p for p in self.sources.quartier_files() if p.stem not in listed):
            self.charter.problems.append(warning(
                "quartier_non_liste", f"fichier {path.name} ignoré : « {path.stem} » n'est pas "
                "listé dans charte.yaml (clé quartiers)", path, pos=SourcePos(path, 1, 1)))

    def optional_records(self) -> None:
        """Load ``reunions.yaml``, ``tfpb.yaml``, ``insertion.yaml`` and ``signalements.yaml`` when they
        exist."""
        charter, folder = self.charter, data_dir(self.charter.root)
        path = folder / MEETINGS_FILE
        if self.sources.is_file(path):
            meetings = self.model(path, "Reunions")
            charter.reunions = list(meetings.reunions) if meetings is not None else []
        path = folder / TFPB_FILE
        if self.sources.is_file(path):
            charter.tfpb = self.model(path, "RegistreTfpb")
        start = len(charter.problems)
        if self._signals():
            self._personal_keys(folder / SIGNALS_FILE, start, SIGNALS_KEYS)
        self._reviews()
        path = folder / INSERTION_FILE
        if not self.sources.is_file(path):
            return
        start = len(charter.problems)
        charter.insertion = self.model(path, "RegistreInsertion")
        self._personal_keys(path, start)

    def _signals(self) -> bool:
        """Load ``signalements.yaml`` when it exists (True then)."""
        charter = self.charter
        path = data_dir(charter.root) / SIGNALS_FILE
        if not self.sources.is_file(path):
            return False
        signals = self.model(path, "Signalements")
        charter.signalements = list(signals.signalements) if signals is not None else []
        charter.signals_broken = signals is None
        return True

    def _personal_keys(self, path: Path, start: int, *reason: str) -> None:
        """Refuse the keys of ``path`` that would identify a person (read from its parsed values: a
        cached model has none, its file validated); their own message replaces the generic « clé
        inconnue » among the problems found since ``start``."""
        parsed = self.parsed.get(path)
        flagged = personal_data(parsed.data, path, (), *reason) if parsed is not None else []
        if flagged:
            charter = self.charter
            at = {p.yaml_path for p in flagged}
            kept = [p for p in charter.problems[start:] if not (p.rule == "schema" and p.yaml_path in at)]
            charter.problems[start:] = kept + flagged

    def _reviews(self) -> None:
        """Load ``revues/AAAA.yaml``, one per reviewed year; warn about a file not named by a year."""
        charter = self.charter
        for path in sorted(self.sources.review_files()):
            if not (path.stem.isdigit() and len(path.stem) == 4):
                charter.problems.append(warning(
                    "revue_mal_nommee", f"fichier {REVIEWS_DIR}/{path.name} ignoré : il se nomme par "
                    f"l'année revue ({REVIEWS_DIR}/2026.yaml)", path, pos=SourcePos(path, 1, 1)))
                continue
            revue = self.model(path, "RevueAnnuelle")
            if revue is not None:
                charter.revues[int(path.stem)] = revue

    def keep_verdict(self) -> None:
        """Keep the rules' verdict with the positions found so far (warnings may be located later).

        A verdict read from the cache is stored again only when this load found more positions.
        """
        if self.verdict is None:
            return
        key, checks, problems, unlocated = self.verdict
        kept = checks.verdict()
        if kept is not None and (unlocated is None or _unlocated(problems) < unlocated):
            bound, payload = kept
            self.known.keep_verdict(key, bound, payload, dated=checks.today is not None)


def _cross_record_problems(charter: Charter, today: dt.date | None, known: Known,
                           reading: _Reading, base: Charter | None) -> list[Problem]:
    """The cross-record rules' problems: their kept verdict when every file is unchanged, else the
    rules run again, on the quartiers no earlier load checked (:mod:`~gusp_cli.store.checking`):
    the charter loaded before (``base``), else this repository's latest verdict, knows the others."""
    from gusp_cli.store import checking

    stored = None
    if reading.listing is not None and not any(p.is_error for p in charter.problems):
        stored = known.verdict(reading.listing, today is not None)
    entry = stored[1] if stored is not None else None
    checks = None
    if isinstance(entry, tuple) and len(entry) == 2:
        with suppress(TypeError, ValueError):  # an entry of another shape: run the rules
            checks = checking.from_verdict(charter, today, entry[1])
    found = checks is not None
    if found and stored is not None:
        known.taken_verdict(stored[0], today is not None)
    if checks is None:
        earlier = checking.Earlier(today, checking.context_of(charter))
        for parts in (reading.own_parts, reading.helper_parts):
            if parts is not None:
                earlier.add_verdict(parts, charter.root)
        if base is not None and base.checks is not None:
            earlier.add_checks(base.checks)
        else:
            earlier.add_verdict(known.recent_verdict(today is not None), charter.root)
        checks = checking.check(charter, today, earlier)
    charter.checks = checks
    problems = checks.problems()
    if stored is not None and (not found or _unlocated(problems)):  # kept once positions are known
        reading.verdict = (stored[0], checks, problems, _unlocated(problems) if found else None)
    return problems


def _unlocated(problems: list[Problem]) -> int:
    """How many problems still lack their line and column."""
    return sum(p.pos is None and p.path is not None for p in problems)


def _resolve_positions(problems: list[Problem], parsed: dict[Path, Parsed]) -> None:
    """Give each problem that has a YAML path its line and column, from the node tree."""
    for problem in problems:
        if problem.pos is not None or problem.path is None:
            continue
        source = parsed.get(problem.path)
        root = locator(source) if source is not None else None
        if root is None:
            continue
        problem.pos = locate(root, problem.path, problem.yaml_path, key=problem.key)
