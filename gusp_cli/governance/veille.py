"""The veille's ascent: which body an open signalement is due at, read from the bodies' rhythms.

``charte.yaml`` declares the bodies a signalement goes up while it stays open (``veille.instances``);
the deciding body (``instance_decisionnelle``, else the first body) comes last when the declaration
does not name it. An open signalement is due at the first body from the day it was seen (or
reopened); it goes up to the next one when it is still open one period of the body it is due at
later, plus a grace of half that period (:func:`gusp_cli.model.rhythm.after` and
:func:`~gusp_cli.model.rhythm.grace`: one month and fifteen days for a monthly body). A body without
rhythm ends the ascent there: nothing says when it has had its chance. A signalement relayed to
another arrangement (``transmis``), solved, or followed through the action created from it does not
go up. Nothing here reads the clock: the day is an argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gusp_cli.model.charter import Charter
from gusp_cli.model.rhythm import after, grace
from gusp_cli.model.signals import is_open, state_since

if TYPE_CHECKING:
    from gusp_cli.model.models import Instance


def ascent(charter: Charter) -> list[Instance]:
    """The bodies an open signalement goes up, in order (empty when the charter declares none)."""
    charte = charter.charte
    if charte is None or charte.veille is None:
        return []
    bodies = {i.id: i for i in charte.instances}
    chain = [bodies[b] for b in dict.fromkeys(charte.veille.instances) if b in bodies]
    deciding = charter.deciding_body
    if chain and deciding is not None and deciding not in chain:
        chain.append(deciding)
    return chain


@dataclass(frozen=True)
class Standing:
    """Where an open signalement stands in the ascent on a day."""

    signal: Any
    level: int
    """Index in :func:`ascent` of the body it is due at (0: the first one)."""
    body: Instance
    since: dt.date
    """The day it became due at that body."""
    next_at: dt.date | None
    """The day after which it goes up to the next body (None: the last one, or a body without rhythm)."""

    @property
    def escalated(self) -> bool:
        """True once it went past the first body: « à remonter »."""
        return self.level > 0

    def words(self, chain: list[Instance]) -> str:
        """« à examiner au comité de proximité », « à remonter au comité technique », « à porter
        devant le comité de pilotage » (the last body of the ascent)."""
        from gusp_cli.french.text import the, to_the

        if self.level == 0:
            return f"à examiner {to_the(self.body.nom)}"
        if self.level == len(chain) - 1 and self.level > 1:
            return f"à porter devant {the(self.body.nom)}"
        return f"à remonter {to_the(self.body.nom)}"


def standing(charter: Charter, signal: Any, day: dt.date, chain: list[Instance] | None = None
             ) -> Standing | None:
    """Which body ``signal`` is due at on ``day`` (None when it does not go up: not open, followed
    through an action, or a charter without ascent)."""
    chain = ascent(charter) if chain is None else chain
    if not chain or not is_open(signal) or signal.action is not None:
        return None
    since = state_since(signal)
    level = 0
    while level + 1 < len(chain):
        rhythm = chain[level].frequence
        if rhythm is None:
            return Standing(signal, level, chain[level], since, None)
        limit = after(since, rhythm) + grace(since, rhythm)
        if day <= limit:
            return Standing(signal, level, chain[level], since, limit)
        since, level = limit, level + 1
    return Standing(signal, level, chain[level], since, None)


def standings(charter: Charter, signals: list[Any], day: dt.date) -> list[Standing]:
    """The standing of each signalement that goes up, oldest first."""
    chain = ascent(charter)
    found = [s for signal in signals if (s := standing(charter, signal, day, chain)) is not None]
    return sorted(found, key=lambda s: (s.signal.date, s.signal.id))


def to_escalate(charter: Charter, signals: list[Any], day: dt.date) -> list[Standing]:
    """The open signalements past the first body on ``day`` (« à remonter »), oldest first."""
    return [s for s in standings(charter, signals, day) if s.escalated]


def due_at(charter: Charter, instance: Instance, signals: list[Any], day: dt.date) -> list[Standing] | None:
    """What a body's meeting on ``day`` reviews of the veille: for the first body of the ascent,
    every open signalement; for a later one, those due at it or beyond; None for a body outside
    the ascent."""
    chain = ascent(charter)
    if instance not in chain:
        return None
    level = chain.index(instance)
    return [s for s in standings(charter, signals, day) if s.level >= level]


# --------------------------------------------------------------------------- the agenda's section


@dataclass(frozen=True)
class Group:
    """Signalements gathered under one heading of an agenda: a quartier, or a party."""

    key: str
    """Quartier id, or actor id (``""``: no party named)."""
    nom: str
    items: list[Standing]


def agenda_groups(charter: Charter, instance: Instance, found: list[Standing]) -> list[Group]:
    """The first body of the ascent reviews the open signalements of its quartiers, by quartier; a
    later one those to escalate, by party (one a role fills for two actors is under both)."""
    from gusp_cli.track.signals import party_names, responsible_actors

    chain = ascent(charter)
    groups: dict[str, Group] = {}
    if chain and instance == chain[0]:
        for quartier in charter.quartiers:
            items = [s for s in found if s.signal.quartier == quartier.id]
            if items:
                groups[quartier.id] = Group(quartier.id, quartier.nom, items)
        return list(groups.values())
    for item in found:
        actors = responsible_actors(charter, item.signal)
        names = party_names(charter, item.signal)
        for key, name in zip(actors, names, strict=True) if actors else [("", "Responsable non désigné")]:
            groups.setdefault(key, Group(key, name, [])).items.append(item)
    return sorted(groups.values(), key=lambda g: (g.key == "", -len(g.items), g.nom))


def agenda_title(charter: Charter, instance: Instance, count: int) -> str:
    """« Signalements ouverts (3) » for the first body, « Signalements à remonter (1) » after it."""
    chain = ascent(charter)
    return f"Signalements {'ouverts' if chain and instance == chain[0] else 'à remonter'} ({count})"


def markdown_lines(charter: Charter, instance: Instance, found: list[Standing], date: dt.date) -> list[str]:
    """The veille section of an agenda in Markdown (heading levels 3 and below), every YAML text inert."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.french.markup import md_inert
    from gusp_cli.track.signals import party_names

    chain = ascent(charter)
    groups = agenda_groups(charter, instance, found)
    if not groups:
        return [f"Aucun signalement {'ouvert' if instance == chain[0] else 'à remonter'} au "
                f"{format_date(date)}."]
    lines: list[str] = []
    for group in groups:
        lines += [f"### {md_inert(group.nom)} ({len(group.items)})", ""]
        for item in group.items:
            signal = item.signal
            who = ", ".join(party_names(charter, signal)) or "responsable non désigné"
            place = charter.quartier(signal.quartier)
            lines.append(f"- **{signal.id}** ({md_inert(place.commune if place else signal.quartier)}, vu le "
                         f"{format_date(signal.date)}) {md_inert(signal.lieu)} — "
                         f"{md_inert(signal.description)} "
                         f"— thème {md_inert(signal.theme)}, {md_inert(who)}, "
                         f"{(date - signal.date).days} jours, "
                         f"{item.words(chain)}")
        lines.append("")
    return lines[:-1]
