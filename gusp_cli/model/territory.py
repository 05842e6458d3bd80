"""The charter-wide actions (``territoire.yaml``) seen as one more quartier: « Ensemble du territoire ».

A transversal action lives in a table of ``territoire.yaml``; the table covers the quartiers it
lists, or all of them. Queries, responsibilities, reports and exports treat the territory as a
first-class quartier whose id is :data:`TERRITORY_ID`. A role in its actions (``ville``,
``bailleur``) is filled by the parties ``territoire.yaml`` names for it, else by every party that
fills it in the quartiers the table covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

TERRITORY_ID = "territoire"
"""The id of the charter-wide actions (no quartier may take it)."""


def actor_ids(value: Any) -> list[str]:
    """The actor ids a role resolves to in a quartier: one id, or a list of them."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


class TerritoryView:
    """``territoire.yaml`` with the attributes of a quartier; one view per set of covered quartiers."""

    def __init__(self, territoire: Any, quartiers: Sequence[Any], covers: Sequence[str] = ()) -> None:
        self.territoire = territoire
        self.id = TERRITORY_ID
        self.nom = self.commune = territoire.nom
        self.titre = None
        self.alias = list(territoire.alias)
        self.programme = territoire.programme
        self.tableaux = territoire.tableaux
        self.secteurs: list[Any] = []
        self.contexte = self.diagnostic = self.participation = None
        self.chiffres_cles: list[Any] = []
        self.gestion_existante: list[Any] = []
        self.couvre = tuple(covers) or tuple(q.id for q in quartiers)
        """The quartiers covered: those of the table, or all of them."""
        self.key = f"{TERRITORY_ID}:{','.join(self.couvre)}"
        """Distinguishes two views (another coverage, other roles) in caches of names."""
        self.roles = _roles(territoire, [q for q in quartiers if q.id in self.couvre])
        self._quartiers = list(quartiers)
        self._views: dict[tuple[str, ...], TerritoryView] = {}

    def view_for(self, tableau: Any) -> TerritoryView:
        """The view of one table: the quartiers it covers and the roles resolved there."""
        covers = tuple(tableau.quartiers) if tableau.quartiers else ()
        if not covers or covers == self.couvre:
            return self
        view = self._views.get(covers)
        if view is None:
            view = self._views[covers] = TerritoryView(self.territoire, self._quartiers, covers)
        return view


def _roles(territoire: Any, covered: Sequence[Any]) -> dict[str, list[str]]:
    """Each role's actors: as ``territoire.yaml`` names them, else the union over the covered
    quartiers (in quartier order, without repetition)."""
    roles: dict[str, list[str]] = {}
    for quartier in covered:
        for role, value in quartier.roles.items():
            found = roles.setdefault(role, [])
            found += [a for a in actor_ids(value) if a not in found]
    roles.update({role: actor_ids(value) for role, value in territoire.roles.items()})
    return roles
