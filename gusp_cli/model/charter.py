"""A loaded charter: the validated models, the flat list of actions and party resolution.

The models are pydantic instances, or the read-only records of :mod:`gusp_cli.store.frozen` when they
come from the cache: both have the same attributes, and nothing here tells them apart.

:meth:`Charter.on` gives the charter as it stood on a day (:mod:`gusp_cli.model.timeline`): its
entries are built, one quartier at a time, from the actions as they stood then.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gusp_cli.model.echeance import Echeance, EcheanceError, parse_echeance
from gusp_cli.model.errors import Problem, YamlPath
from gusp_cli.model.lateness import CLOSED, Late, late, late_continuous
from gusp_cli.model.territory import TERRITORY_ID, actor_ids
from gusp_cli.model.timeline import action_on, added_after

if TYPE_CHECKING:
    from gusp_cli.model.models import (
        Acteur,
        Action,
        Charte,
        Instance,
        Quartier,
        Registre,
        RegistreInsertion,
        RegistreTfpb,
        Reunion,
        RevueAnnuelle,
        Role,
        Signalement,
        Tableau,
        Territoire,
    )

__all__ = ["CLOSED", "DEFAULT_PHASES", "ActionIndex", "Charter", "Entry", "action_ids", "due_ordinals",
           "short_name"]

DEFAULT_PHASES: tuple[tuple[str, str], ...] = (
    ("actuelle", "gestion actuelle"), ("chantier", "phase chantier"), ("post_chantier", "post-chantier"))
"""The phases of a charter that declares none: (id, name)."""

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
    start: dt.date | None = None
    """First day of the charter's period: a continuous échéance is due to be in place from it."""
    _due: object = field(default=_UNKNOWN, init=False, repr=False)
    _late: tuple[dt.date, Late | None] | None = field(default=None, init=False, repr=False)

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
    def continuous(self) -> Echeance | None:
        """The parsed échéance when it is continuous (« en continu », « chaque année »), else None."""
        text = self.action.echeance
        if text is None or self.due is not None:
            return None
        return _continuous(text)

    @property
    def is_open(self) -> bool:
        """True unless the action is done or abandoned."""
        return self.action.statut not in CLOSED

    def lateness(self, day: dt.date) -> Late | None:
        """Why and since when the action is late on ``day`` (:mod:`gusp_cli.model.lateness`), or None."""
        known = self._late
        if known is not None and known[0] == day:
            return known[1]
        found, action = None, self.action
        if action.statut not in CLOSED:
            due = self.due
            continuous = None if due is not None or action.echeance is None else _continuous(action.echeance)
            found = (late(action, due, day) if continuous is None
                     else late_continuous(action, self.start, continuous.rythme, day))
        self._late = (day, found)
        return found

    def is_overdue(self, day: dt.date) -> bool:
        """True when the action is late on ``day``."""
        return self.lateness(day) is not None

    def days_late(self, day: dt.date) -> int:
        """Days of delay on ``day`` for a late action; otherwise the days since the due date
        (negative before it, 0 without a due date)."""
        found = self.lateness(day)
        if found is not None:
            return found.days(day)
        return (day - self.due).days if self.due is not None else 0

    def reported(self, day: dt.date) -> bool:
        """True when something was recorded of the action's progress by ``day``: a status, or a
        follow-up entry with a status or a note (an amendment alone reports no progress)."""
        return self.action.statut is not None or any(
            e.date <= day and (e.statut is not None or e.note) for e in self.action.suivi)


def _continuous(text: str) -> Echeance | None:
    """The parsed échéance when it is a continuous one."""
    try:
        parsed = parse_echeance(text)
    except EcheanceError:
        return None
    return parsed if parsed.continu else None


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


def action_ids(quartier: Quartier) -> list[str]:
    """The id of each action of ``quartier``, in document order (as :func:`due_ordinals`)."""
    return [action.id for tableau in quartier.tableaux for action in tableau.actions]


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
    revues: dict[int, RevueAnnuelle] = field(default_factory=dict)
    """The project lead's words for each year's review (``revues/AAAA.yaml``), by year."""
    tfpb: RegistreTfpb | None = None
    """The landlords' TFPB programmes of ``tfpb.yaml`` (None when the file is absent); they carry no
    dates, so :meth:`on` keeps them as recorded."""
    territoire: Territoire | None = None
    """The charter-wide actions of ``territoire.yaml`` (None when the file is absent); its view
    is the last of :attr:`quartiers`."""
    day: dt.date | None = None
    """The day this charter is seen on (:meth:`on`); None: as recorded in the files."""
    dropped: list[Dropped] = field(default_factory=list)
    """Actions left out because they failed validation (:class:`Dropped`)."""
    signalements: list[Signalement] | None = None
    """The field problems of ``signalements.yaml`` (:mod:`gusp_cli.model.signals`); None when the
    file is absent."""
    signals_broken: bool = False
    """True when ``signalements.yaml`` exists but does not load or validate (its errors say why)."""

    sources: dict[Path, tuple[str, object]] = field(default_factory=dict, repr=False)
    """File -> (content hash, model) of each file validated, when the cache computed hashes."""
    checks: Any = field(default=None, repr=False)
    """What the cross-record rules found, part by part, for a later load to reuse
    (:class:`gusp_cli.store.checking.Checks`; None when they did not run)."""
    _entries: dict[str, list[Entry]] = field(default_factory=dict, repr=False)
    _dues: dict[str, list[int]] = field(default_factory=dict, repr=False)
    _names: dict[tuple[str, str | None], str] = field(default_factory=dict, repr=False)
    _joined: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False)
    _positions: dict[str, list[list[int]]] = field(default_factory=dict, repr=False)
    _ids: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _start_index: tuple[int, dict[str, tuple[int, Quartier]]] | None = field(default=None, repr=False)

    def add_quartier(self, quartier: Quartier, path: Path, dues: list[int] | None = None,
                     positions: list[list[int]] | None = None, ids: list[str] | None = None) -> None:
        """Add a loaded quartier; ``dues``, when known without reading its actions (from the cache):
        the due date of each action as an ordinal, 0 for none (see :func:`due_ordinals`);
        ``positions``, when actions were dropped: per table, each kept action's index in the file;
        ``ids``, when known without reading its actions: each action's id (see :func:`action_ids`)."""
        if quartier.id not in self.files and ids is not None:  # a second quartier of that id: its own
            self._ids[quartier.id] = ids  # actions are never the ones entries_of gives for the id
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

    def ids_of(self, quartier_id: str) -> list[str]:
        """The ids of :meth:`entries_of`'s actions, in the same order, without building them when
        they are known (the cache keeps them with the quartier's model)."""
        ids = self._ids.get(quartier_id)
        if ids is not None:
            return ids
        built = self._entries.get(quartier_id)
        quartier = None if built is not None or self.day is not None else self.quartier(quartier_id)
        if quartier is not None:
            ids = action_ids(quartier)
        else:
            ids = [entry.id for entry in self.entries_of(quartier_id)]
        if self.day is None:
            self._ids[quartier_id] = ids
        return ids

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

    def action_count(self) -> int:
        """How many entries there are (``len(self.entries)``), counted without building them when
        the charter is not seen on a day and no two quartiers share an id."""
        if self.day is not None or "entries" in self.__dict__ or len(self._starts()) != len(self.quartiers):
            return len(self.entries)
        return sum(self.counts[quartier.id] for quartier in self.quartiers)

    def entries_of(self, quartier_id: str) -> list[Entry]:
        """The actions of one quartier, in document order (built on first use: a query on one
        quartier never rebuilds the others' actions)."""
        built = self._entries.get(quartier_id)
        if built is not None:
            return built
        found = self._starts().get(quartier_id)
        if found is None:
            return []
        start, quartier = found
        path, built, index, day = self.files[quartier_id], [], start, self.day
        begins = dt.date(self.charte.periode.debut, 1, 1) if self.charte is not None else None
        dues = self._dues.get(quartier_id) or ()
        known = len(dues)
        positions = self._positions.get(quartier_id)
        territory = quartier.id == TERRITORY_ID
        append = built.append
        for t, tableau in enumerate(quartier.tableaux):
            place = quartier.view_for(tableau) if territory else quartier  # type: ignore[attr-defined]
            at_of = positions[t] if positions is not None else None
            for a, action in enumerate(tableau.actions):
                seen = action if day is None else action_on(action, day)
                if seen is not action and added_after(action, day):  # type: ignore[arg-type]
                    index += 1
                    continue  # added by an amendment after that day: not there yet
                at = at_of[a] if at_of is not None else a  # its place in the file
                entry = Entry(place, tableau, seen, path, ("tableaux", t, "actions", at), index, begins)
                if seen is action and index - start < known:  # cached: not parsed
                    entry._due = _date_of(dues[index - start])
                append(entry)
                index += 1
        self._entries[quartier_id] = built
        return built

    def _starts(self) -> dict[str, tuple[int, Quartier]]:
        """Each quartier id -> the index of its first action in the whole charter, and the quartier
        (the first of that id), kept while no quartier is added."""
        kept = self._start_index
        if kept is not None and kept[0] == len(self.quartiers):
            return kept[1]
        starts: dict[str, tuple[int, Quartier]] = {}
        start = 0
        for quartier in self.quartiers:
            starts.setdefault(quartier.id, (start, quartier))
            start += self.counts[quartier.id]
        self._start_index = (len(self.quartiers), starts)
        return starts

    def on(self, day: dt.date) -> Charter:
        """The charter as it stood on ``day`` (:mod:`gusp_cli.model.timeline`): later follow-up,
        completion dates and amendments undone, actions added later absent, meetings dated later
        only planned (no decisions nor minutes yet), insertion records not yet sent left out,
        signalements seen later absent and their later follow-up undone (:mod:`gusp_cli.model.signals`)."""
        from gusp_cli.model.signals import signals_on
        from gusp_cli.model.timeline import insertion_on, meetings_on

        signals = signals_on(self.signalements, day) if self.signalements is not None else None
        return Charter(root=self.root, charte=self.charte, registre=self.registre, quartiers=self.quartiers,
                       problems=self.problems, files=self.files, counts=self.counts,
                       reunions=meetings_on(self.reunions, day), insertion=insertion_on(self.insertion, day),
                       revues=self.revues, tfpb=self.tfpb,
                       territoire=self.territoire, day=day, dropped=self.dropped, signalements=signals,
                       signals_broken=self.signals_broken, sources=self.sources, _dues=self._dues,
                       _positions=self._positions)

    @property
    def signals(self) -> list[Signalement]:
        """The signalements (empty when ``signalements.yaml`` is absent)."""
        return self.signalements or []

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
        listed = [q for q in self.quartiers if not self.is_territory(q)]  # territoire.yaml is not listed
        return (self.charte is not None and self.registre is not None
                and len(listed) == len(self.charte.quartiers))

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
    def by_id(self) -> Mapping[str, Entry]:
        """Entries by action id (the first one when an id is duplicated), in document order.

        On the charter as recorded, an :class:`ActionIndex`: finding one action builds the
        entries of its quartier only."""
        if self.day is None:
            return ActionIndex(self)
        result: dict[str, Entry] = {}
        for entry in self.entries:
            result.setdefault(entry.id, entry)
        return result

    def quartier(self, quartier_id: str) -> Quartier | None:
        """Return the quartier with this id (the territory's view for ``territoire``); the first one
        when an id is duplicated. A lookup, not a scan: a site of 50,000 actions asks 100,000 times."""
        index = self.__dict__.get("_quartier_index")
        if index is None or index[0] is not self.quartiers or index[1] != len(self.quartiers):
            by_id: dict[str, Quartier] = {}
            for quartier in self.quartiers:
                by_id.setdefault(quartier.id, quartier)
            index = self.__dict__["_quartier_index"] = (self.quartiers, len(self.quartiers), by_id)
        return index[2].get(quartier_id)

    @cached_property
    def phases(self) -> list[tuple[str, str]]:
        """The phases the tables are organised by, in order: (id, name); empty when the charter
        declares none."""
        declared = self.charte.phases if self.charte is not None else None
        if declared is None:
            return list(DEFAULT_PHASES)
        def rank(item: tuple[int, Any]) -> tuple[int, int]:
            position, phase = item
            return (phase.ordre if phase.ordre is not None else position, position)

        return [(phase.id, phase.nom) for _, phase in sorted(enumerate(declared), key=rank)]

    def phase_name(self, phase_id: str | None) -> str:
        """The display name of a phase id (« phase chantier »), « — » for none."""
        if phase_id is None:
            return "—"
        return next((name for pid, name in self.phases if pid == phase_id), phase_id)

    def actor_ids(self, party: str, quartier: Quartier) -> list[str]:
        """The actors a party id stands for in a quartier: itself for an actor, the one or several
        actors that fill a role there, none for an unknown id or a role not filled there."""
        if party in quartier.roles:
            return actor_ids(quartier.roles[party])
        return [party] if party in self.actors else []

    def resolve_all(self, party: str, quartier: Quartier) -> list[Acteur]:
        """The actors a party id stands for in a quartier (see :meth:`actor_ids`)."""
        return [self.actors[a] for a in self.actor_ids(party, quartier) if a in self.actors]

    def resolve(self, party: str, quartier: Quartier) -> Acteur | None:
        """The one actor a party id stands for in a quartier (None when unknown or several)."""
        found = self.resolve_all(party, quartier)
        return found[0] if len(found) == 1 else None

    def responsible_actors(self, entry: Entry) -> list[str]:
        """Every actor responsible for an action, roles resolved in its quartier, in order."""
        out: list[str] = []
        for party in entry.action.responsables:
            out += [a for a in self.actor_ids(party, entry.quartier) if a not in out]
        return out

    def party_name(self, party: str, quartier: Quartier | None = None) -> str:
        """Display name of a party id: the actor's short name (the names of the actors that fill a
        role, when several do), or the role's, or the id."""
        key = (party, _key(quartier))
        name = self._names.get(key)
        if name is None:
            name = self._names[key] = self._party_name(party, quartier)
        return name

    def party_names(self, parties: list[str], quartier: Quartier, separator: str) -> str:
        """The display names of several parties of one quartier, joined by ``separator``."""
        which = _key(quartier)
        key = (which or "", separator, *parties)
        names = self._joined.get(key)
        if names is None:
            known = self._names
            names = self._joined[key] = separator.join(
                [known.get((p, which)) or self.party_name(p, quartier) for p in parties])
        return names

    def _party_name(self, party: str, quartier: Quartier | None) -> str:
        """Body of :meth:`party_name` (whose results are kept: tables print thousands of them)."""
        actors = self.resolve_all(party, quartier) if quartier is not None else (
            [self.actors[party]] if party in self.actors else [])
        if actors:
            return ", ".join(short_name(a) for a in actors)
        role = self.roles.get(party)
        return role.nom if role else party

    @property
    def deciding_body(self) -> Instance | None:
        """The body that decides on the review's points: ``instance_decisionnelle``, else the first
        body; None for a charter without bodies."""
        if self.charte is None or not self.charte.instances:
            return None
        wanted = self.charte.instance_decisionnelle
        return next((i for i in self.charte.instances if i.id == wanted), self.charte.instances[0])

    def is_territory(self, quartier: Quartier) -> bool:
        """True for the view of the charter-wide actions."""
        return quartier.id == TERRITORY_ID


class ActionIndex(Mapping[str, Entry]):
    """A charter's entries by action id, built from the ids alone: an entry is built when it is
    asked for, with the others of its quartier only (:meth:`Charter.entries_of`)."""

    _SCANS = 4
    """Lookups answered by scanning the ids before the index by id is built (an edit asks one)."""

    def __init__(self, charter: Charter) -> None:
        self._charter = charter
        self._index: dict[str, tuple[str, int]] | None = None
        self._scans = 0
        self._order: list[str] | None = None

    @property
    def _where(self) -> dict[str, tuple[str, int]]:
        """Action id -> (quartier id, its place among the quartier's entries), the first one kept:
        filled from the last action back, so that the first overwrites the others."""
        if self._index is None:
            self._index = {}
            for quartier in reversed(self._charter.quartiers):
                ids = self._charter.ids_of(quartier.id)
                self._index.update(zip(reversed(ids), zip(repeat(quartier.id), range(len(ids) - 1, -1, -1)),
                                       strict=True))
        return self._index

    def _find(self, action_id: object) -> tuple[str, int] | None:
        """Where the first action of this id is (None: no action has it)."""
        if not isinstance(action_id, str):
            return None
        if self._index is None and self._scans < self._SCANS:
            self._scans += 1
            for quartier in self._charter.quartiers:
                ids = self._charter.ids_of(quartier.id)
                if action_id in ids:
                    return quartier.id, ids.index(action_id)
            return None
        return self._where.get(action_id)

    def __getitem__(self, action_id: str) -> Entry:
        """The entry of ``action_id`` (KeyError when no action has it)."""
        found = self._find(action_id)
        if found is None:
            raise KeyError(action_id)
        return self._charter.entries_of(found[0])[found[1]]

    def __contains__(self, action_id: object) -> bool:
        """True when an action has this id (nothing is built)."""
        return self._find(action_id) is not None

    def __iter__(self) -> Iterator[str]:
        """The ids, in document order (of their first action)."""
        if self._order is None:
            every = chain.from_iterable(self._charter.ids_of(q.id) for q in self._charter.quartiers)
            self._order = list(dict.fromkeys(every))
        return iter(self._order)

    def __len__(self) -> int:
        """How many distinct ids."""
        return len(self._where)


def _key(quartier: Quartier | None) -> str | None:
    """What tells quartiers apart in name caches (two territory views differ by their coverage)."""
    return None if quartier is None else getattr(quartier, "key", quartier.id)


def short_name(actor: Acteur) -> str:
    """The actor's name, or its acronym when the name is long (``DDTM``)."""
    return actor.sigle if actor.sigle and len(actor.nom) > 30 else actor.nom
