"""What a resident may see of an action's follow-up: the one place the privacy rule lives.

- A status set on a date, an amendment (the field that changed, its former value, its motif) and
  an action added by amendment are public: they are the charter's own life, decided by its bodies.
- A note is public only when its entry says ``public: true``. Otherwise the entry is published as
  « mise à jour le … »: its date, without the text.
- The entry's ``auteur`` (often a person) is never published.

Nothing else of a follow-up entry exists. The other private records (meetings' participants,
decisions and minutes, deliberations' attendance, insertion records below the aggregate, the
veille's signalements: places, descriptions, notes) are never read by the pages: each page names
what it shows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

STATUT, AVENANT, AJOUT, NOTE, MISE_A_JOUR = "statut", "avenant", "ajout", "note", "mise_a_jour"
NATURES = (STATUT, AVENANT, AJOUT, NOTE, MISE_A_JOUR)
"""What a public entry records: a status, an amendment, an action added, a public note, an update
whose note is not public (or that has none)."""
FOLLOWED = ("echeance", "libelle")
"""Amended fields whose new value is shown (the former one is recorded in the entry)."""


@dataclass(frozen=True)
class PublicEntry:
    """A follow-up entry as the public sees it."""

    rang: int
    """Its position in the action's follow-up, from 1 (oldest first)."""
    date: dt.date
    nature: str
    """One of :data:`NATURES`."""
    statut: str | None = None
    """Status value set on that date (``en_cours``...)."""
    champ: str | None = None
    """For an amendment: the field that changed."""
    ancienne_valeur: str | None = None
    nouvelle_valeur: str | None = None
    """For an amended échéance or label: the value it took (the next amendment's former value, or
    the action's value on the day the charter is seen)."""
    motif: str | None = None
    note: str | None = None
    """The note, only when the entry is marked ``public: true``."""


def nature_of(entry: Any) -> str:
    """What an entry records, for the public (:data:`NATURES`)."""
    if entry.champ == "action":
        return AJOUT
    if entry.champ is not None:
        return AVENANT
    if entry.statut is not None:
        return STATUT
    return NOTE if entry.note and entry.public else MISE_A_JOUR


def public_entries(action: Any) -> list[PublicEntry]:
    """The public view of an action's follow-up, oldest first (see the module docstring)."""
    entries = list(action.suivi)
    out = []
    for rang, entry in enumerate(entries, 1):
        champ = entry.champ if entry.champ != "action" else None
        out.append(PublicEntry(
            rang=rang, date=entry.date, nature=nature_of(entry),
            statut=entry.statut.value if entry.statut is not None else None,
            champ=champ, ancienne_valeur=entry.ancienne_valeur if champ else None,
            nouvelle_valeur=_new_value(action, entries, rang - 1) if champ in FOLLOWED else None,
            motif=entry.motif, note=entry.note if entry.note and entry.public else None))
    return out


def _new_value(action: Any, entries: list[Any], index: int) -> str | None:
    """The value an amended field took: the former value of the next amendment of that field, or
    the action's current value."""
    champ = entries[index].champ
    for later in entries[index + 1:]:
        if later.champ == champ:
            value: str | None = later.ancienne_valeur
            return value
    current = getattr(action, champ, None)
    return None if current is None else str(current)


def last_update(action: Any) -> dt.date | None:
    """The date of the latest follow-up entry (public or not: the date always is)."""
    return max((e.date for e in action.suivi), default=None)
