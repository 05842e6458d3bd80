"""Is an action late on a day, since when, and by which rule.

* A done or abandoned action is never late; an action without échéance neither.
* A one-off action is late the day after its échéance (rule ``echeance``).
* An action whose échéance is continuous (« en continu », « chaque année ») must be in place from
  the start of the charter's period, then is judged like an ongoing action at the rhythm of its
  ``frequence``, else the one the échéance implies (« chaque année »), else once a year.
* An ongoing action (``frequence``) must be *in place* by its échéance: with no status, ``a_faire``
  or ``reportee`` (past its new échéance) it is late the day after (rule ``pas_mis_en_place``).
  Once in place (``en_cours``) it is late only when no follow-up entry (a status or a note)
  covers its last period and half a period more (rule ``sans_suivi``): the delay then runs from
  the end of the period the last follow-up covered (from the échéance when there is none).

Nothing here reads the clock: the day is an argument.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from gusp_cli.model.rhythm import after, grace
from gusp_cli.model.vocabulary import Frequence, Statut

CLOSED = frozenset({Statut.realisee, Statut.abandonnee})
"""Statuses after which an action can no longer be late."""

ECHEANCE, NOT_IN_PLACE, NO_FOLLOW_UP = "echeance", "pas_mis_en_place", "sans_suivi"
RULE_LABELS = {ECHEANCE: "échéance dépassée", NOT_IN_PLACE: "pas mis en place",
               NO_FOLLOW_UP: "sans suivi"}
"""Each rule in words (``sans suivi`` is followed by « depuis … » in reports)."""


class Late(NamedTuple):
    """Why and since when an action is late (a named tuple: 30,000 are made for one listing, and
    a frozen dataclass took three times as long to build)."""

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


def late_continuous(action: Any, start: dt.date | None, implied: Frequence | None,
                    day: dt.date) -> Late | None:
    """Whether an action with a continuous échéance (« en continu ») is late on ``day``: it must be in
    place from the start of the charter's period (``start``), then followed at its rhythm (its
    ``frequence``, else the one its échéance implies, else once a year)."""
    if action.statut in CLOSED:
        return None
    if action.statut is not Statut.en_cours:
        return Late(NOT_IN_PLACE, start) if start is not None and start < day else None
    rhythm = action.frequence or implied or Frequence.annuelle
    last = last_follow_up(action, day)
    base = last or start
    if base is None:
        return None
    covered_until = after(base, rhythm)
    if day <= covered_until + grace(covered_until, rhythm):
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
