"""The signalements of the veille (``signalements.yaml``) as the model sees them: ids, the state
their follow-up gives, and a signalement as it stood on a day.

A signalement's state is the one set by its latest-dated follow-up entry that sets one (``ouvert``
when none does); the recorded ``etat`` must agree (a rule checks it). Replaying the charter at a
date *D* (:meth:`gusp_cli.model.charter.Charter.on`): a signalement seen after *D* is not there;
follow-up entries dated after *D* are not there, and the links to actions they made are undone.
No I/O, no clock.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gusp_cli.model.vocabulary import EtatSignalement, SourceSignalement

if TYPE_CHECKING:
    from gusp_cli.model.models import Signalement, SuiviSignalement

PREFIX = "SIG"
SIGNAL_ID = re.compile(rf"\b{PREFIX}-([0-9]{{4}})-([0-9]{{4,}})\b")
"""A signalement id: ``SIG-2026-0001`` (the year it was seen, a number within that year)."""

RESOLVED = frozenset({EtatSignalement.traite, EtatSignalement.clos})
"""States of a signalement that no longer needs anything (it is solved)."""

STATE_LABELS = {EtatSignalement.ouvert: "ouvert", EtatSignalement.transmis: "transmis",
                EtatSignalement.traite: "traité", EtatSignalement.clos: "clos"}
"""Each state in French."""
SOURCE_LABELS = {
    SourceSignalement.tour_de_quartier: "tour de quartier",
    SourceSignalement.diagnostic_en_marchant: "diagnostic en marchant",
    SourceSignalement.comite_de_proximite: "comité de proximité",
    SourceSignalement.reunion: "réunion",
    SourceSignalement.habitant: "habitant",
    SourceSignalement.partenaire: "partenaire",
    SourceSignalement.autre: "autre",
}
"""Each source in French."""


def next_signal_id(year: int, used: Iterable[str]) -> str:
    """A new id for a signalement seen in ``year``: one above the highest number ever used that
    year (``used``: the ids of the file and of its git history, so that a removed id is never
    given again)."""
    numbers = [m.group(2) for m in map(SIGNAL_ID.fullmatch, used) if m and int(m.group(1)) == year]
    width = max([4, *(len(n) for n in numbers)])
    return f"{PREFIX}-{year}-{max((int(n) for n in numbers), default=0) + 1:0{width}d}"


def latest_setting(suivi: Iterable[SuiviSignalement]) -> SuiviSignalement | None:
    """The latest-dated entry that sets a state (the last written among those of one day)."""
    found = None
    for entry in suivi:
        if entry.etat is not None and (found is None or entry.date >= found.date):
            found = entry
    return found


def state_of(suivi: Iterable[SuiviSignalement]) -> EtatSignalement:
    """The state a follow-up gives: its latest entry that sets one; ``ouvert`` when none does."""
    entry = latest_setting(suivi)
    return entry.etat if entry is not None and entry.etat is not None else EtatSignalement.ouvert


def transmitted_to(signal: Any) -> str | None:
    """Where a transmitted signalement was relayed (the ``vers`` of the entry that transmitted it)."""
    entry = latest_setting(signal.suivi)
    return entry.vers if entry is not None and entry.etat is EtatSignalement.transmis else None


def state_since(signal: Any) -> dt.date:
    """The date the signalement took its current state: ``traite`` then ``clos`` count as one
    solved run; its own date while it never changed."""
    def group(state: EtatSignalement) -> str:
        return "resolu" if state in RESOLVED else state.value

    since, current = signal.date, group(EtatSignalement.ouvert)
    for entry in sorted((e for e in signal.suivi if e.etat is not None), key=lambda e: e.date):
        if group(entry.etat) != current:
            since, current = entry.date, group(entry.etat)
    return since  # type: ignore[no-any-return]


def resolved_on(signal: Any) -> dt.date | None:
    """The date a solved signalement (``traite`` or ``clos``) was solved: the first entry of its
    latest run of solved states; None while it is not solved."""
    return state_since(signal) if signal.etat in RESOLVED else None


def is_open(signal: Any) -> bool:
    """True for a signalement still in the GUSP's hands (``ouvert``): neither relayed nor solved."""
    return bool(signal.etat is EtatSignalement.ouvert)


# --------------------------------------------------------------------------- in time


class SignalOn:
    """A signalement as it stood on a date: the recorded one, with its later follow-up undone."""

    __slots__ = ("_signal", "action", "actions", "etat", "suivi")

    def __init__(self, signal: Any, suivi: list[Any], action: str | None, actions: list[str]) -> None:
        self._signal = signal
        self.suivi, self.action, self.actions = suivi, action, actions
        self.etat = state_of(suivi)

    def __getattr__(self, name: str) -> Any:
        """Every other field, as recorded."""
        return getattr(self._signal, name)

    @property
    def recorded(self) -> Any:
        """The signalement as recorded in the file."""
        return self._signal


def signal_on(signal: Signalement, day: dt.date) -> Any:
    """The signalement as it stood on ``day`` (None when it was seen after it; itself when nothing
    of it is dated after it)."""
    if signal.date > day:
        return None
    later = [e for e in signal.suivi if e.date > day]
    if not later:
        return signal
    linked = {e.action for e in later if e.action is not None}
    kept = [e for e in signal.suivi if e.date <= day]
    still = {e.action for e in kept if e.action is not None}
    undone = linked - still
    return SignalOn(signal, kept, None if signal.action in undone else signal.action,
                    [a for a in signal.actions if a not in undone])


def signals_on(signals: list[Signalement], day: dt.date) -> list[Any]:
    """The signalements as they stood on ``day``, in file order."""
    return [seen for signal in signals if (seen := signal_on(signal, day)) is not None]
