"""A loaded charter: the validated models, the flat list of actions and party resolution.

The models are pydantic instances, or the read-only records of :mod:`gusp_cli.store.frozen` when they
come from the cache: both have the same attributes, and nothing here tells them apart.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from gusp_cli.model.echeance import EcheanceError, parse_echeance
from gusp_cli.model.errors import Problem, YamlPath
from gusp_cli.model.vocabulary import Statut

if TYPE_CHECKING:
    from gusp_cli.model.models import (
        Acteur,
        Action,
        Charte,
        Quartier,
        Registre,
        RegistreInsertion,
        Reunion,
        Role,
        Tableau,
    )

CLOSED = frozenset({Statut.realisee, Statut.abandonnee})
"""Statuses after which an action can no longer be late."""


_UNKNOWN = object()
"""A due date not computed yet."""


@dataclass(eq=False, slots=True)
class Entry:
    """One action with its place in the charter."""

    quartier: Quartier
    tableau: Tableau
    action: Action
    file: Path
    yaml_path: YamlPath
    index: int
    """Position in document order across the whole charter."""
    _due: object = field(default=_UNKNOWN, init=False, repr=False)

    @property
    def id(self) -> str:
        """The action's stable id."""
        return self.action.id

    @property
    def due(self) -> dt.date | None:
        """Date by which the action is due, from its échéance (None when absent or invalid)."""
        due = self._due
        if due is _UNKNOWN:
            due = self._due = _due_date(self.action.echeance)
        return due  # type: ignore[return-value]

    @property
    def is_open(self) -> bool:
        """True unless the action is done or abandoned."""
        return self.action.statut not in CLOSED

    def days_late(self, as_of: dt.date) -> int:
        """Days between the due date and ``as_of`` (positive when late, 0 without a due date)."""
        return (as_of - self.due).days if self.due is not None else 0

    def is_overdue(self, as_of: dt.date) -> bool:
        """True when open and due strictly before ``as_of``."""
        return self.is_open and self.due is not None and self.due < as_of


def _due_date(echeance: str | None) -> dt.date | None:
    """The date an échéance falls due (None when absent or invalid)."""
    try:
        return _DUE_DATES[echeance]
    except KeyError:
        pass
    try:
        due: dt.date | None = parse_echeance(echeance).date if echeance is not None else None
    except EcheanceError:
        due = None
    if len(_DUE_DATES) < 100_000:
        _DUE_DATES[echeance] = due
    return due


_DUE_DATES: dict[str | None, dt.date | None] = {}
"""Due date by échéance text: a national repository writes the same few hundred échéances."""


def due_ordinals(quartier: Quartier) -> list[int]:
    """The due date of each action of ``quartier`` as an ordinal (0 for none), in document order."""
    return [due.toordinal() if (due := _due_date(action.echeance)) is not None else 0
            for tableau in quartier.tableaux for action in tableau.actions]


def _date_of(ordinal: int) -> dt.date | None:
    """The date of an ordinal of :func:`due_ordinals` (0: None)."""
    if not ordinal:
        return None
    date = _DATES.get(ordinal)
    if date is None:
        date = _DATES[ordinal] = dt.date.fromordinal(ordinal)
    return date


_DATES: dict[int, dt.date] = {}


@dataclass(frozen=True)
class Dropped:
    """An action left out of a quartier because it failed validation (its error is reported; the
    rest of its file is loaded: one typo does not hide a quartier)."""

    file: Path
    yaml_path: YamlPath
    """Where it is in its file (``tableaux``, t, ``actions``, a)."""
    action_id: str | None
    """Its id as written, when it is a text."""


@dataclass
class Charter:
    """A charter repository as loaded: models, entries, problems."""

    root: Path
    charte: Charte | None = None
    registre: Registre | None = None
    quartiers: list[Quartier] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    """Quartier id -> its YAML file."""
    counts: dict[str, int] = field(default_factory=dict)
    """Quartier id -> its number of actions."""
    reunions: list[Reunion] = field(default_factory=list)
    """Governance meetings recorded in ``reunions.yaml`` (empty when the file is absent)."""
    insertion: RegistreInsertion | None = None
    """Semester insertion records of ``insertion.yaml`` (None when the file is absent)."""
    dropped: list[Dropped] = field(default_factory=list)
    """Actions left out because they failed validation (:class:`Dropped`)."""

    sources: dict[Path, tuple[str, object]] = field(default_factory=dict, repr=False)
    """File -> (content hash, model) of each file validated, when the cache computed hashes."""
    _entries: dict[str, list[Entry]] = field(default_factory=dict, repr=False)
    _dues: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _names: dict[tuple[str, str | None], str] = field(default_factory=dict, repr=False)
    _joined: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False)
    _positions: dict[str, list[list[int]]] = field(default_factory=dict, repr=False)

    def add_quartier(self, quartier: Quartier, path: Path, dues: list[int] | None = None,
                     positions: list[list[int]] | None = None) -> None:
        """Add a loaded quartier; ``dues``, when known without reading its actions (from the cache):
        the due date of each action as an ordinal, 0 for none (see :func:`due_ordinals`);
        ``positions``, when actions were dropped: per table, each kept action's index in the file."""
        self.quartiers.append(quartier)
        self.files[quartier.id] = path
        if positions is not None:
            self._positions[quartier.id] = positions
        if dues is None:
            self.counts[quartier.id] = sum(len(t.actions) for t in quartier.tableaux)
        else:
            self.counts[quartier.id] = len(dues)
            self._dues[quartier.id] = dues

    def dues_of(self, quartier_id: str) -> list[int]:
        """The due date ordinals of a quartier's actions (0 for none), in document order."""
        dues = self._dues.get(quartier_id)
        if dues is None:
            dues = [e.due.toordinal() if e.due else 0 for e in self.entries_of(quartier_id)]
        return dues

    def adopt_entries(self, base: Charter) -> None:
        """Reuse the entries ``base`` built for the same quartier objects at the same place."""
        before, start = {}, 0
        for quartier in base.quartiers:
            before[quartier.id] = (start, quartier)
            start += base.counts[quartier.id]
        start = 0
        for quartier in self.quartiers:
            prior = before.get(quartier.id)
            built = base._entries.get(quartier.id)
            if prior is not None and prior[0] == start and prior[1] is quartier and built is not None:
                self._entries[quartier.id] = built
            start += self.counts[quartier.id]

    @cached_property
    def entries(self) -> list[Entry]:
        """Every action with its place, in document order."""
        return [entry for quartier in self.quartiers for entry in self.entries_of(quartier.id)]

    def entries_of(self, quartier_id: str) -> list[Entry]:
        """The actions of one quartier, in document order (built on first use: a query on one
        quartier never rebuilds the others' actions)."""
        built = self._entries.get(quartier_id)
        if built is not None:
            return built
        start, quartier = 0, None
        for candidate in self.quartiers:
            if candidate.id == quartier_id:
                quartier = candidate
                break
            start += self.counts[candidate.id]
        if quartier is None:
            return []
        path, built, index = self.files[quartier_id], [], start
        positions = self._positions.get(quartier_id)
        for t, tableau in enumerate(quartier.tableaux):
            for a, action in enumerate(tableau.actions):
                at = positions[t][a] if positions is not None else a  # its place in the file
                built.append(Entry(quartier, tableau, action, path, ("tableaux", t, "actions", at), index))
                index += 1
        dues = self._dues.get(quartier_id)
        if dues is not None and len(dues) == len(built):  # from the cache: no échéance parsed again
            for entry, ordinal in zip(built, dues, strict=True):
                entry._due = _date_of(ordinal)
        self._entries[quartier_id] = built
        return built

    @property
    def dropped_ids(self) -> set[str]:
        """The ids of the actions left out because they failed validation."""
        return {d.action_id for d in self.dropped if d.action_id is not None}

    @property
    def ok(self) -> bool:
        """True when no error was found (warnings allowed)."""
        return not any(p.is_error for p in self.problems)

    @property
    def complete(self) -> bool:
        """True when every file could be read and validated, so the cross-record rules all ran."""
        return (self.charte is not None and self.registre is not None
                and len(self.quartiers) == len(self.charte.quartiers))

    @property
    def errors(self) -> list[Problem]:
        """The errors."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """The warnings."""
        return [p for p in self.problems if not p.is_error]

    @cached_property
    def actors(self) -> dict[str, Acteur]:
        """Registry actors by id."""
        return {a.id: a for a in self.registre.acteurs} if self.registre else {}

    @cached_property
    def roles(self) -> dict[str, Role]:
        """Registry roles by id."""
        return {r.id: r for r in self.registre.roles} if self.registre else {}

    @cached_property
    def by_id(self) -> dict[str, Entry]:
        """Entries by action id (the first one when an id is duplicated)."""
        result: dict[str, Entry] = {}
        for entry in self.entries:
            result.setdefault(entry.id, entry)
        return result

    def quartier(self, quartier_id: str) -> Quartier | None:
        """Return the quartier with this id."""
        return next((q for q in self.quartiers if q.id == quartier_id), None)

    def resolve(self, party: str, quartier: Quartier) -> Acteur | None:
        """Resolve an actor or role id in a quartier to its actor (None when unknown)."""
        if party in quartier.roles:
            return self.actors.get(quartier.roles[party])
        return self.actors.get(party)

    def party_name(self, party: str, quartier: Quartier | None = None) -> str:
        """Display name of a party id: the actor's short name, or the role's, or the id."""
        key = (party, quartier.id if quartier is not None else None)
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = self._party_name(party, quartier)
        return name

    def party_names(self, parties: list[str], quartier: Quartier, separator: str) -> str:
        """The display names of several parties of one quartier, joined by ``separator``."""
        key = (quartier.id, separator, *parties)
        names = self._joined.get(key)
        if names is None:
            names = self._joined[key] = separator.join([self.party_name(p, quartier) for p in parties])
        return names

    def _party_name(self, party: str, quartier: Quartier | None) -> str:
        """Body of :meth:`party_name` (whose results are kept: tables print thousands of them)."""
        actor = self.resolve(party, quartier) if quartier is not None else self.actors.get(party)
        if actor is not None:
            return short_name(actor)
        role = self.roles.get(party)
        return role.nom if role else party


def short_name(actor: Acteur) -> str:
    """The actor's name, or its acronym when the name is long (``CALL``)."""
    return actor.sigle if actor.sigle and len(actor.nom) > 30 else actor.nom
