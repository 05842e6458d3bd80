"""Who is responsible for what: the parties × quartiers matrix and the pre-COPIL checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from gusp_cli.model.charter import Charter, Entry, short_name
from gusp_cli.model.vocabulary import Statut

if TYPE_CHECKING:
    from gusp_cli.model.models import Acteur


@dataclass
class Counts:
    """Action counts for one party (in one quartier or overall)."""

    total: int = 0
    ouvertes: int = 0
    en_retard: int = 0
    realisees: int = 0
    sans_statut: int = 0
    conjointes: int = 0
    """Actions shared with at least one other party."""
    pilotees: int = 0
    """Actions the party leads (its ``pilote``)."""

    def add(self, entry: Entry, as_of: dt.date, leads: bool = False, shared: bool = False) -> None:
        """Count one entry (``leads``: the party is its pilot; ``shared``: other parties share it)."""
        self.total += 1
        self.pilotees += leads
        self.ouvertes += entry.is_open
        self.en_retard += entry.is_overdue(as_of)
        self.realisees += entry.action.statut is Statut.realisee
        self.sans_statut += entry.action.statut is None
        self.conjointes += shared


@dataclass
class PartyRow:
    """One party's line of the matrix."""

    party: str
    """Actor id (roles resolved in each quartier), or the raw id when it does not resolve."""
    nom: str
    identifie: bool
    par_quartier: dict[str, Counts] = field(default_factory=dict)
    total: Counts = field(default_factory=Counts)


@dataclass
class Matrix:
    """The responsibilities matrix with the checks a project lead needs before a COPIL."""

    quartiers: list[str]
    rows: list[PartyRow]
    non_identifiees: list[Entry]
    """Actions with at least one party not identified yet."""
    absents: list[Acteur]
    """Registry actors responsible for no action."""

    def most_overdue(self, n: int = 5) -> list[PartyRow]:
        """The parties carrying the most overdue actions (those with none are left out)."""
        ranked = sorted((r for r in self.rows if r.total.en_retard), key=lambda r: -r.total.en_retard)
        return ranked[:n]


def resolved_parties(charter: Charter, entry: Entry) -> list[str]:
    """The entry's parties as actor ids (a role resolved in its quartier to the one or several
    actors that fill it), without duplicates; an id that resolves to no actor stays as it is."""
    out: list[str] = []
    for party in entry.action.responsables:
        for key in charter.actor_ids(party, entry.quartier) or [party]:
            if key not in out:
                out.append(key)
    return out


def pilots(charter: Charter, entry: Entry) -> list[str]:
    """The actor ids that lead the entry (its pilot resolved), empty when it names none."""
    pilote = entry.action.pilote
    return (charter.actor_ids(pilote, entry.quartier) or [pilote]) if pilote else []


def build_matrix(charter: Charter, entries: Iterable[Entry], as_of: dt.date) -> Matrix:
    """Count every selected entry once for each of its parties, per quartier and overall."""
    entries = list(entries)
    rows: dict[str, PartyRow] = {}
    quartiers: list[str] = []
    for entry in entries:
        if entry.quartier.id not in quartiers:
            quartiers.append(entry.quartier.id)
        leading = pilots(charter, entry)
        parties = resolved_parties(charter, entry)
        for party in parties:
            row = rows.get(party) or rows.setdefault(party, _new_row(charter, party))
            row.par_quartier.setdefault(entry.quartier.id, Counts()).add(entry, as_of, party in leading,
                                                                       len(parties) > 1)
            row.total.add(entry, as_of, party in leading, len(parties) > 1)
    ordered = sorted(rows.values(), key=lambda r: (-r.total.total, r.nom))
    unidentified = [e for e in entries if any(not rows[p].identifie for p in resolved_parties(charter, e))]
    used = set(rows)
    used_anywhere = {p for e in charter.entries for p in resolved_parties(charter, e)}
    absent = [a for a in charter.actors.values() if a.id not in used_anywhere and a.id not in used]
    return Matrix(quartiers, ordered, unidentified, absent)


def _new_row(charter: Charter, party: str) -> PartyRow:
    """A matrix row for an actor id (or an unresolved id)."""
    actor = charter.actors.get(party)
    if actor is None:
        return PartyRow(party, charter.party_name(party), True)
    return PartyRow(party, short_name(actor), actor.identifie)
