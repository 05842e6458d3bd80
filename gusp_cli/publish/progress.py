"""Where an action stands for a resident, in five words, and the bars that count them.

The categories (:data:`ETATS`) follow the house rules (« Une charte vivante » in the README):

- ``realisee`` and ``abandonnee``: closed;
- ``en_retard``: late on the day (:meth:`~gusp_cli.model.charter.Entry.lateness`) with a status or a
  follow-up recorded: a real delay;
- ``a_renseigner``: past its échéance with nothing recorded: nobody has said where it stands;
- ``en_cours``: in progress and on time;
- ``a_venir``: not started, or postponed, and not late yet (an action without échéance too).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from gusp_cli.model.charter import Entry
from gusp_cli.model.vocabulary import Statut

ETATS: tuple[tuple[str, str], ...] = (
    ("realisee", "réalisées"),
    ("en_cours", "en cours, dans les délais"),
    ("en_retard", "en retard"),
    ("a_renseigner", "non renseignées après l’échéance"),
    ("a_venir", "à venir"),
    ("abandonnee", "abandonnées"),
)
"""Each category and its words (plural: bars count actions), in the bars' order."""
ETAT_SINGULIER = {"realisee": "réalisée", "en_cours": "en cours, dans les délais", "en_retard": "en retard",
                  "a_renseigner": "non renseignée après l’échéance", "a_venir": "à venir",
                  "abandonnee": "abandonnée"}
"""Each category said of one action."""


def etat(entry: Entry, day: dt.date) -> str:
    """The category of an action on ``day`` (module docstring)."""
    statut = entry.action.statut
    if statut is Statut.realisee:
        return "realisee"
    if statut is Statut.abandonnee:
        return "abandonnee"
    if entry.is_overdue(day):
        return "en_retard" if entry.reported(day) else "a_renseigner"
    return "en_cours" if statut is Statut.en_cours else "a_venir"


@dataclass(frozen=True)
class Segment:
    """One category of a bar."""

    cle: str
    libelle: str
    nombre: int
    largeur: str
    """Its width in the bar, as CSS (``12.5%``)."""

    @property
    def mots(self) -> str:
        """Its words agreed with its count (« 1 réalisée », « 2 réalisées »)."""
        return self.libelle if self.nombre > 1 else ETAT_SINGULIER[self.cle]


@dataclass(frozen=True)
class Barre:
    """The actions of a set by category: the bar and its legend."""

    total: int
    segments: list[Segment]
    """Every category, in :data:`ETATS` order (those counting nothing included: the legend says 0)."""

    @property
    def visibles(self) -> list[Segment]:
        """The categories that count at least one action (the bar's segments)."""
        return [s for s in self.segments if s.nombre]

    def nombre(self, cle: str) -> int:
        """How many actions are in one category."""
        return next((s.nombre for s in self.segments if s.cle == cle), 0)


def barre(entries: Iterable[Entry], day: dt.date) -> Barre:
    """Count ``entries`` by category on ``day``."""
    counts = Counter(etat(e, day) for e in entries)
    total = sum(counts.values())
    segments = [Segment(cle, libelle, counts[cle], _width(counts[cle], total)) for cle, libelle in ETATS]
    return Barre(total, segments)


def _width(part: int, total: int) -> str:
    """A share as a CSS width with at most three decimals (stable text: the output is reproducible)."""
    if not total:
        return "0%"
    text = f"{100 * part / total:.3f}".rstrip("0").rstrip(".")
    return f"{text}%"
