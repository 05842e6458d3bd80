"""A loaded charter: the validated models, the flat list of actions and party resolution."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from gusp_cli.echeance import EcheanceError, parse_echeance
from gusp_cli.errors import Problem, YamlPath
from gusp_cli.models import Acteur, Action, Charte, Quartier, Registre, Role, Statut, Tableau

if TYPE_CHECKING:
    from gusp_cli.models import RegistreInsertion, Reunion

CLOSED = frozenset({Statut.realisee, Statut.abandonnee})
"""Statuses after which an action can no longer be late."""


@dataclass(eq=False)
class Entry:
    """One action with its place in the charter."""

    quartier: Quartier
    tableau: Tableau
    action: Action
    file: Path
    yaml_path: YamlPath
    index: int
    """Position in document order across the whole charter."""

    @property
    def id(self) -> str:
        """The action's stable id."""
        return self.action.id

    @cached_property
    def due(self) -> dt.date | None:
        """Date by which the action is due, from its échéance (None when absent or invalid)."""
        if self.action.echeance is None:
            return None
        try:
            return parse_echeance(self.action.echeance).date
        except EcheanceError:
            return None

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


@dataclass
class Charter:
    """A charter repository as loaded: models, entries, problems."""

    root: Path
    charte: Charte | None = None
    registre: Registre | None = None
    quartiers: list[Quartier] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    files: dict[str, Path] = field(default_factory=dict)
    """Quartier id -> its YAML file."""
    reunions: list[Reunion] = field(default_factory=list)
    """Governance meetings recorded in ``reunions.yaml`` (empty when the file is absent)."""
    insertion: RegistreInsertion | None = None
    """Semester insertion records of ``insertion.yaml`` (None when the file is absent)."""

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
        actor = self.resolve(party, quartier) if quartier is not None else self.actors.get(party)
        if actor is not None:
            return short_name(actor)
        role = self.roles.get(party)
        return role.nom if role else party


def short_name(actor: Acteur) -> str:
    """The actor's name, or its acronym when the name is long (``CALL``)."""
    return actor.sigle if actor.sigle and len(actor.nom) > 30 else actor.nom
