"""The signalements of the veille in daily work: find one, select by filters, who deals with it.

What users type is matched loosely (a quartier's name, a party's acronym, « transmis »), as for
actions (:mod:`gusp_cli.track.matching`). Nothing here reads the clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from gusp_cli.french.text import closest, fold
from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import UsageError
from gusp_cli.model.vocabulary import EtatSignalement, SourceSignalement

_Word = TypeVar("_Word", bound=StrEnum)


def find_signal(charter: Charter, signal_id: str) -> Any:
    """The signalement ``signal_id`` designates (case-insensitive); UsageError naming the closest."""
    wanted = signal_id.strip().upper()
    for signal in charter.signals:
        if signal.id == wanted:
            return signal
    if charter.signalements is None:
        raise UsageError(f"signalement « {signal_id} » introuvable : aucun signalement enregistré "
                         "(charter-data/signalements.yaml absent ; gusp signals add pour en créer un)")
    near = closest(wanted, [s.id for s in charter.signals], n=3)
    hint = f" ; vouliez-vous dire {', '.join(near)} ?" if near else ""
    raise UsageError(f"signalement « {signal_id} » introuvable{hint}")


def match_state(value: str, option: str = "--etat") -> EtatSignalement:
    """The state ``value`` designates (« Transmis », « traité »); French usage error otherwise."""
    return _match_word(EtatSignalement, value, option)


def match_source(value: str) -> SourceSignalement:
    """The source ``value`` designates (« tour de quartier », « habitant »); usage error otherwise."""
    return _match_word(SourceSignalement, value, "--source")


def _match_word(vocabulary: type[_Word], value: str, option: str) -> _Word:
    """The member of a closed vocabulary ``value`` designates, accents, case, spaces and dashes
    aside; a French usage error listing the choices (the closest first) otherwise."""
    folded = fold(value).replace("-", "_").replace(" ", "_")
    for member in vocabulary:
        if folded == member.value:
            return member
    choices = [m.value for m in vocabulary]
    ordered = list(dict.fromkeys(closest(value, choices) + choices))
    raise UsageError(f"{option} : valeur « {value} » inconnue ; choix possibles : {', '.join(ordered)}")


def responsible_actors(charter: Charter, signal: Any) -> list[str]:
    """Who deals with a signalement, as actor ids (a role resolved in its quartier); its party as
    written when it resolves to no actor; empty when it names none."""
    if signal.responsable is None:
        return []
    quartier = charter.quartier(signal.quartier)
    found = charter.actor_ids(signal.responsable, quartier) if quartier is not None else []
    return found or [signal.responsable]


def party_names(charter: Charter, signal: Any) -> list[str]:
    """The display names of who deals with it (roles resolved), empty when nobody is named."""
    if signal.responsable is None:
        return []
    quartier = charter.quartier(signal.quartier)
    return [charter.party_name(a, quartier) for a in responsible_actors(charter, signal)]


def involves(charter: Charter, signal: Any, party: str) -> bool:
    """True when ``party`` (an actor or a role) deals with the signalement, roles resolved."""
    if signal.responsable is None:
        return False
    if party == signal.responsable:
        return True
    quartier = charter.quartier(signal.quartier)
    if quartier is None:
        return False
    actors = set(charter.actor_ids(signal.responsable, quartier))
    if party in charter.roles:
        return bool(actors & set(charter.actor_ids(party, quartier)))
    return party in actors


@dataclass
class SignalFilters:
    """What the user typed to narrow ``gusp signals list`` (resolved by :func:`select_signals`)."""

    quartier: str | None = None
    secteur: str | None = None
    responsable: str | None = None
    etat: str | None = None
    theme: str | None = None
    depuis: dt.date | None = None


def select_signals(charter: Charter, filters: SignalFilters) -> list[Any]:
    """The signalements passing every filter, in file order; an unknown value is a UsageError."""
    from gusp_cli.track.matching import match_party, match_quartier, match_secteur

    signals = list(charter.signals)
    if filters.quartier:
        quartier = match_quartier(charter, filters.quartier)
        signals = [s for s in signals if s.quartier == quartier]
    if filters.secteur:
        ids = {s.quartier for s in signals}
        pairs = match_secteur(charter, filters.secteur, ids)
        signals = [s for s in signals if (s.quartier, s.secteur) in pairs]
    if filters.responsable:
        party = match_party(charter, filters.responsable)
        signals = [s for s in signals if involves(charter, s, party)]
    if filters.etat:
        state = match_state(filters.etat)
        signals = [s for s in signals if s.etat is state]
    if filters.theme:
        wanted = fold(filters.theme)
        signals = [s for s in signals if wanted in fold(s.theme)]
    if filters.depuis is not None:
        since = filters.depuis
        signals = [s for s in signals if s.date >= since]
    return signals


def theme_key(theme: str) -> str:
    """What tells two themes apart (« Propreté » and « proprete » are one)."""
    return fold(theme)


ORIGIN, RELATED = "origine", "rattache"
"""How a signalement is linked to an action: the action was created from it, or deals with it."""


def signals_of_action(charter: Charter, entry: Any) -> list[tuple[Any, str]]:
    """The signalements linked to an action, with how (:data:`ORIGIN` first, then :data:`RELATED`):
    those it was created from (its ``signalements``, or naming it as their ``action``) and those
    that name it among their ``actions``."""
    origins = set(entry.action.signalements)
    linked = [(s, ORIGIN) for s in charter.signals if s.id in origins or s.action == entry.id]
    linked += [(s, RELATED) for s in charter.signals if entry.id in s.actions and (s, ORIGIN) not in linked]
    return linked
