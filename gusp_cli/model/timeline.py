"""The living charter in time: an action as it stood on a date.

A charter is a living record: follow-up entries are added, deadlines moved, parties changed, and
each change is kept in the action's dated ``suivi``. Replaying the charter at a date *D* means:

* follow-up entries dated after *D* are not there, nor a completion date after *D*;
* the status on *D* is the one set by the latest entry dated on or before *D*; when no entry ever
  sets a status, it is the recorded ``statut`` (nothing says when it was set);
* amendments dated after *D* are undone: the échéance, label and parties take back the former value
  each amendment kept (``champ`` / ``ancienne_valeur``), latest first;
* an action added by an amendment dated after *D* (``champ: action``) is not there;
* a meeting dated after *D* is only planned: its decisions and minutes are not there;
* an insertion record counts from the day it was sent (``transmis_le``), else from the end of its
  semester.

An action with nothing dated after *D* is returned as it is (the same object): replaying at today
changes nothing, and costs one look at each action's entries.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gusp_cli.model.vocabulary import Statut

if TYPE_CHECKING:
    from gusp_cli.model.models import Action, RegistreInsertion, Reunion, Suivi

AMENDABLE = ("echeance", "libelle", "responsables")
"""The fields an amendment changes, keeping the former value in the action's ``suivi``."""
ADDED = "action"
"""The ``champ`` of the entry that records an action added by amendment."""


class ActionOn:
    """An action as it stood on a date: the recorded action, with the fields that changed since."""

    __slots__ = ("_action", "date_realisation", "echeance", "libelle", "responsables", "statut", "suivi")

    def __init__(self, action: Any, changes: dict[str, Any]) -> None:
        self._action = action
        for name in ActionOn.__slots__[1:]:
            setattr(self, name, changes[name] if name in changes else getattr(action, name))

    def __getattr__(self, name: str) -> Any:
        """Every other field, as recorded."""
        return getattr(self._action, name)

    @property
    def recorded(self) -> Any:
        """The action as recorded in the file."""
        return self._action


def added_after(action: Action, day: dt.date) -> bool:
    """True when the action was added by an amendment dated after ``day``."""
    return any(e.champ == ADDED and e.date > day for e in action.suivi)


def action_on(action: Action, day: dt.date) -> Any:
    """The action as it stood on ``day`` (the same object when nothing is dated after it)."""
    suivi = action.suivi
    done = action.date_realisation
    # entries are in date order (rule ``suivi_desordonne``): the last one is the latest
    if (not suivi or suivi[-1].date <= day) and (done is None or done <= day):
        return action
    kept = [e for e in suivi if e.date <= day]
    later = [e for e in reversed(suivi) if e.date > day]
    changes: dict[str, Any] = {"suivi": kept, "statut": status_on(action, kept)}
    for entry in later:  # latest first: the earliest amendment after ``day`` has the last word
        if entry.champ in AMENDABLE:
            changes[entry.champ] = former_value(entry)
    if done is not None and done > day:
        changes["date_realisation"] = None
    return ActionOn(action, changes)


def status_on(action: Action, kept: list[Suivi]) -> Statut | None:
    """The status set by the latest of ``kept`` entries that sets one; the recorded status when no
    entry of the action ever sets one; else none (not reported yet on that day)."""
    for entry in reversed(kept):
        if entry.statut is not None:
            return entry.statut
    if any(e.statut is not None for e in action.suivi):
        return None
    return action.statut


def former_value(entry: Suivi) -> Any:
    """The value an amendment replaced, as the field holds it (a list of parties for
    ``responsables``, None for a field that was empty)."""
    old = entry.ancienne_valeur
    if entry.champ == "responsables":
        return [part.strip() for part in old.split(",") if part.strip()] if old else []
    return old


def current_status(suivi: list[Suivi], recorded: Statut | None) -> Statut | None:
    """The status an action's entries make current: the latest-dated one that sets a status
    (the recorded status when none does)."""
    for entry in reversed(suivi):
        if entry.statut is not None:
            return entry.statut
    return recorded


class MeetingOn:
    """A meeting dated after the day a charter is seen on: planned, with no decisions nor minutes."""

    __slots__ = ("_meeting", "compte_rendu", "decisions")

    def __init__(self, meeting: Any) -> None:
        self._meeting, self.compte_rendu = meeting, None
        self.decisions: list[Any] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._meeting, name)


def meetings_on(meetings: list[Reunion], day: dt.date) -> list[Any]:
    """The meetings as known on ``day``: held ones as recorded, later ones only planned."""
    return [m if m.date <= day or not (m.decisions or m.compte_rendu) else MeetingOn(m) for m in meetings]


def insertion_on(records: RegistreInsertion | None, day: dt.date) -> Any:
    """The insertion records sent by ``day`` (``transmis_le``, else the end of the semester)."""
    if records is None:
        return None
    from gusp_cli.model.insertion_records import SemesterError, parse_semester

    kept = []
    for record in records.semestres:
        sent = record.transmis_le
        if sent is None:
            try:
                sent = parse_semester(record.semestre).end
            except SemesterError:
                continue
        if sent <= day:
            kept.append(record)
    if len(kept) == len(records.semestres):
        return records
    return InsertionOn(records, kept)


class InsertionOn:
    """The insertion records as known on a day: the semesters sent by then."""

    __slots__ = ("_records", "semestres")

    def __init__(self, records: Any, semestres: list[Any]) -> None:
        self._records, self.semestres = records, semestres

    def __getattr__(self, name: str) -> Any:
        return getattr(self._records, name)
