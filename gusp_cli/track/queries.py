"""The project lead's daily questions, as pure functions of a charter and a reference date.

Nothing here reads the clock: the as-of date is always an argument, so every answer is
reproducible (``--as-of``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import itemgetter

from gusp_cli.french.text import fold
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.track.matching import (
    NO_STATUS,
    match_party,
    match_phase,
    match_quartier,
    match_secteur,
    match_statut,
    match_theme,
)


@dataclass
class Filters:
    """What the user typed to narrow a query (loose names; resolved by :func:`resolve_filters`)."""

    quartier: str | None = None
    secteur: str | None = None
    theme: str | None = None
    phase: str | None = None
    responsable: str | None = None
    statut: str | None = None
    search: str | None = None
    pilote: str | None = None


@dataclass
class Selection:
    """Resolved filters: ids and folded strings, ready to test entries."""

    quartiers: set[str] = field(default_factory=set)
    secteurs: set[tuple[str, str]] | None = None
    themes: set[str] | None = None
    phase: str | None = None
    party: str | None = None
    statut: str | None = None
    words: list[str] = field(default_factory=list)
    pilot: str | None = None


def resolve_filters(charter: Charter, filters: Filters) -> Selection:
    """Resolve loose names to ids; raise a French ``UsageError`` for an unknown value."""
    all_ids = {q.id for q in charter.quartiers}
    quartiers = {match_quartier(charter, filters.quartier)} if filters.quartier else all_ids
    selection = Selection(quartiers=quartiers)
    if filters.secteur:
        selection.secteurs = match_secteur(charter, filters.secteur, quartiers)
    if filters.theme:
        selection.themes = match_theme(charter, filters.theme, quartiers)
    if filters.phase:
        selection.phase = match_phase(charter, filters.phase)
    if filters.responsable:
        selection.party = match_party(charter, filters.responsable)
    if filters.pilote:
        selection.pilot = match_party(charter, filters.pilote, "--pilote")
    if filters.statut:
        selection.statut = match_statut(filters.statut, "--statut", allow_unreported=True)
    if filters.search:
        selection.words = fold(filters.search).split()
    return selection


def involves(charter: Charter, entry: Entry, party: str) -> bool:
    """True when ``party`` is responsible for the entry. An actor: named, or filling one of its
    roles there. A role: named, or whoever fills that role there named directly."""
    return _among(charter, entry, party, entry.action.responsables)


def leads(charter: Charter, entry: Entry, party: str) -> bool:
    """True when ``party`` (an actor or a role, as in :func:`involves`) is the entry's pilot."""
    pilote = entry.action.pilote
    return pilote is not None and _among(charter, entry, party, [pilote])


def _among(charter: Charter, entry: Entry, party: str, parties: list[str]) -> bool:
    """Whether ``party`` stands among ``parties`` of the entry, roles resolved in its quartier."""
    if party in parties:
        return True
    actors = {a for p in parties for a in charter.actor_ids(p, entry.quartier)}
    if party in charter.roles:
        return any(a in actors for a in charter.actor_ids(party, entry.quartier))
    return party in actors


def matches(charter: Charter, entry: Entry, sel: Selection) -> bool:
    """True when the entry passes every resolved filter."""
    if entry.quartier.id not in sel.quartiers:
        return False
    if sel.secteurs is not None and (entry.quartier.id, entry.tableau.secteur or "") not in sel.secteurs:
        return False
    if sel.themes is not None and fold(entry.tableau.theme or "") not in sel.themes:
        return False
    if sel.phase is not None and entry.tableau.phase != sel.phase:
        return False
    if sel.party is not None and not involves(charter, entry, sel.party):
        return False
    if sel.pilot is not None and not leads(charter, entry, sel.pilot):
        return False
    if sel.statut is not None and status_key(entry) != sel.statut:
        return False
    return not sel.words or all(w in searchable(charter, entry) for w in sel.words)


def searchable(charter: Charter, entry: Entry) -> str:
    """Folded text an entry is searched in: id, label, table, theme, parties, échéance, notes."""
    parts = [entry.id, entry.action.libelle, entry.tableau.titre, entry.tableau.theme or "",
             entry.action.echeance or "", entry.quartier.nom,
             *(charter.party_name(p, entry.quartier) for p in entry.action.responsables),
             *(s.note or "" for s in entry.action.suivi)]
    return fold(" ".join(parts))


def status_key(entry: Entry) -> str:
    """The status value, or ``non_renseigne``."""
    return entry.action.statut.value if entry.action.statut else NO_STATUS


def select(charter: Charter, sel: Selection) -> list[Entry]:
    """Entries passing the filters, in document order."""
    chosen = [q.id for q in charter.quartiers if q.id in sel.quartiers]
    if not _filters_entries(sel):  # only quartiers: whole lists, no test per action
        return [e for quartier_id in chosen for e in charter.entries_of(quartier_id)]
    return [e for quartier_id in chosen for e in charter.entries_of(quartier_id) if matches(charter, e, sel)]


def _filters_entries(sel: Selection) -> bool:
    """True when the selection tests more than the quartier of each entry."""
    return (sel.secteurs is not None or sel.themes is not None or sel.phase is not None
            or sel.party is not None or sel.pilot is not None or sel.statut is not None or bool(sel.words))


def overdue(entries: Iterable[Entry], as_of: dt.date) -> list[Entry]:
    """Entries late on ``as_of`` (:mod:`gusp_cli.model.lateness`), the most late first (then
    document order). Only an ongoing action can be late before its échéance (silent once in place)."""
    keyed = [(found.since, e.index, e) for e in entries
             if _may_be_late(e, as_of) and (found := e.lateness(as_of)) is not None]
    keyed.sort(key=_first_two)
    return [e for _, _, e in keyed]


_first_two = itemgetter(0, 1)


def _may_be_late(entry: Entry, as_of: dt.date) -> bool:
    """A cheap test first: past its due date, ongoing, or with a continuous échéance."""
    due = entry.due
    if due is None:
        return entry.action.echeance is not None  # a continuous échéance (or an invalid one)
    return due < as_of or entry.action.frequence is not None


def split_reported(late: list[Entry], as_of: dt.date) -> tuple[list[Entry], list[Entry]]:
    """Late entries in two groups, order kept: real delays (a status or a follow-up is recorded)
    first, then the actions past their échéance with nothing recorded (« à renseigner »)."""
    reported: list[Entry] = []
    to_fill: list[Entry] = []
    for entry in late:
        (reported if entry.reported(as_of) else to_fill).append(entry)
    return reported, to_fill


def upcoming(entries: Iterable[Entry], as_of: dt.date, within: int) -> list[Entry]:
    """Open entries falling due from ``as_of`` to ``as_of + within`` days, soonest first."""
    horizon = as_of + dt.timedelta(days=within)
    soon = [e for e in entries if e.is_open and e.due is not None and as_of <= e.due <= horizon]
    return sorted(soon, key=lambda e: (e.due or as_of, e.index))


def without_echeance(entries: Iterable[Entry]) -> list[Entry]:
    """Entries with no échéance (never overdue), in document order."""
    return [e for e in entries if e.action.echeance is None]
