"""Is an action late on a day, since when, and by which rule.

* A done or abandoned action is never late; an action without échéance neither.
* A one-off action is late the day after its échéance (rule ``echeance``).
* An ongoing action (``frequence``) must be *in place* by its échéance: with no status, ``a_faire``
  or ``reportee`` (past its new échéance) it is late the day after (rule ``pas_mis_en_place``).
  Once in place (``en_cours``) it is late only when no follow-up entry (a status or a note)
  covers its last period and half a period more (rule ``sans_suivi``): the delay then runs from
  the end of the period the last follow-up covered (from the échéance when there is none).

Nothing here reads the clock: the day is an argument.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from gusp_cli.model.rhythm import after, grace
from gusp_cli.model.vocabulary import Statut

CLOSED = frozenset({Statut.realisee, Statut.abandonnee})
"""Statuses after which an action can no longer be late."""

ECHEANCE, NOT_IN_PLACE, NO_FOLLOW_UP = "echeance", "pas_mis_en_place", "sans_suivi"
RULE_LABELS = {ECHEANCE: "échéance dépassée", NOT_IN_PLACE: "pas mis en place",
               NO_FOLLOW_UP: "sans suivi"}
"""Each rule in words (``sans suivi`` is followed by « depuis … » in reports)."""


@dataclass(frozen=True)
class Late:
    """Why and since when an action is late."""

    rule: str
    """``echeance``, ``pas_mis_en_place`` or ``sans_suivi``."""
    since: dt.date
    """The day the delay runs from (the action was due, or its last period ended)."""
    last_follow_up: dt.date | None = None
    """For ``sans_suivi``: the date of the latest follow-up entry (None when there is none)."""

    def days(self, day: dt.date) -> int:
        """Days of delay on ``day``."""
        return (day - self.since).days


def late(action: Any, due: dt.date | None, day: dt.date) -> Late | None:
    """Whether ``action`` (due on ``due``) is late on ``day``: the reason, or None."""
    if action.statut in CLOSED or due is None:
        return None
    if action.frequence is None:
        return Late(ECHEANCE, due) if due < day else None
    if action.statut is not Statut.en_cours:
        return Late(NOT_IN_PLACE, due) if due < day else None
    last = last_follow_up(action, day)
    covered_until = after(last or due, action.frequence)
    if day <= covered_until + grace(covered_until, action.frequence):
        return None
    return Late(NO_FOLLOW_UP, covered_until, last)


def last_follow_up(action: Any, day: dt.date) -> dt.date | None:
    """The date of the latest entry on or before ``day`` that reports progress (a status or a
    note; an amendment alone is not follow-up)."""
    for entry in reversed(action.suivi):
        if entry.date <= day and (entry.statut is not None or entry.note):
            found: dt.date = entry.date
            return found
    return None
