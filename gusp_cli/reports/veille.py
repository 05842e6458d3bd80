"""The veille section of the annual review, one per quartier: what the field problems of the year
became, by theme and by party, how long they took to solve, and the oldest still open.

Counts over the reviewed period (1 January to 31 December, or to the as-of date when earlier):

* *reçus*: signalements seen in the period;
* *transmis*, *traités*, *clos*: signalements whose follow-up sets that state in the period
  (each counted once per state, whenever it was seen);
* *encore ouverts*: signalements open at the end of the period, whenever they were seen;
* the median time to solve: from the day seen to the day solved (``traite`` or ``clos``), over
  those solved in the period;
* the oldest open ones, with where they stand in the ascent of the bodies on the last day.

Pure core: plain dataclasses for the templates (``templates/partials/veille.*.j2``); nothing here
reads the clock or imports Jinja.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from gusp_cli.model.charter import Charter
from gusp_cli.model.signals import is_open, resolved_on, signal_on
from gusp_cli.model.vocabulary import EtatSignalement

OLDEST = 5
"""How many of the oldest open signalements a quartier's section lists."""


@dataclass(frozen=True)
class LigneVeille:
    """One row of a count table: a theme, or a party."""

    libelle: str
    recus: int
    transmis: int
    traites: int
    clos: int
    ouverts: int


@dataclass(frozen=True)
class SignalementOuvert:
    """An open signalement as the review lists it."""

    id: str
    date: dt.date
    lieu: str
    theme: str
    description: str
    responsable: str
    """Who deals with it (roles resolved), « non désigné » when nobody is named."""
    jours: int
    """Days open at the end of the period."""
    suite: str
    """« à remonter au comité technique », « suivi par l'action ABC-042 »..."""


@dataclass
class Veille:
    """The veille of one quartier over the reviewed period."""

    present: bool
    """False when the charter keeps no ``signalements.yaml`` (the section says how to start one)."""
    fin: dt.date
    """Last day of the period (the counts of open ones are at that day)."""
    recus: int = 0
    transmis: int = 0
    traites: int = 0
    clos: int = 0
    ouverts: int = 0
    par_theme: list[LigneVeille] = field(default_factory=list)
    par_partie: list[LigneVeille] = field(default_factory=list)
    delai_median: float | None = None
    """Median days from seen to solved, over the signalements solved in the period (None: none)."""
    resolus: int = 0
    """How many signalements the median is taken over."""
    plus_anciens: list[SignalementOuvert] = field(default_factory=list)
    remontee: list[str] = field(default_factory=list)
    """Names of the bodies of the ascent, in order (empty: the charter declares none)."""

    @property
    def vide(self) -> bool:
        """True when nothing of the quartier's veille falls in the period."""
        return not (self.recus or self.transmis or self.traites or self.clos or self.ouverts)


def build_veille(charter: Charter, quartier_id: str, debut: dt.date, fin: dt.date) -> Veille:
    """The veille of ``quartier_id`` from ``debut`` to ``fin`` (the charter seen on the as-of day)."""
    from gusp_cli.governance.veille import ascent

    chain = [body.nom for body in ascent(charter)]
    if charter.signalements is None:
        return Veille(False, fin, remontee=chain)
    mine = (signal_on(x, fin) for x in charter.signals if x.quartier == quartier_id)
    seen = [s for s in mine if s is not None]
    rows = _counts(seen, debut, fin)
    veille = Veille(True, fin, *_totals(rows), remontee=chain)
    veille.par_theme = _by(rows, lambda s: [s.theme])
    veille.par_partie = _by(rows, lambda s: _parties(charter, s))
    solved = [(on - s.date).days for s in seen if (on := resolved_on(s)) is not None and debut <= on <= fin]
    if solved:
        from statistics import median

        veille.delai_median, veille.resolus = float(median(solved)), len(solved)
    veille.plus_anciens = _oldest(charter, [s for s in seen if is_open(s)], fin)
    return veille


_Row = tuple[Any, tuple[bool, bool, bool, bool, bool]]
"""A signalement and whether it was received, transmitted, treated, closed in the period, open at its end."""


def _counts(signals: list[Any], debut: dt.date, fin: dt.date) -> list[_Row]:
    """What each signalement counts for in the period (those counting for nothing left out)."""
    rows = []
    for signal in signals:
        set_in = {e.etat for e in signal.suivi if e.etat is not None and debut <= e.date <= fin}
        flags = (debut <= signal.date <= fin, EtatSignalement.transmis in set_in,
                 EtatSignalement.traite in set_in, EtatSignalement.clos in set_in, is_open(signal))
        if any(flags):
            rows.append((signal, flags))
    return rows


def _totals(rows: Iterable[_Row]) -> tuple[int, int, int, int, int]:
    """The five counts of a set of rows."""
    sums = [0, 0, 0, 0, 0]
    for _, flags in rows:
        for i, flag in enumerate(flags):
            sums[i] += flag
    return sums[0], sums[1], sums[2], sums[3], sums[4]


def _by(rows: list[_Row], keys: Callable[[Any], list[str]]) -> list[LigneVeille]:
    """Count rows per key (a theme as first written, a party name), most received first."""
    from gusp_cli.track.signals import theme_key

    groups: dict[str, tuple[str, list[_Row]]] = {}
    for row in rows:
        for name in keys(row[0]):
            groups.setdefault(theme_key(name), (name, []))[1].append(row)
    lines = [LigneVeille(name, *_totals(items)) for name, items in groups.values()]
    return sorted(lines, key=lambda r: (-r.recus, -r.ouverts, theme_key(r.libelle)))


def _parties(charter: Charter, signal: Any) -> list[str]:
    """Who deals with a signalement, by name (each actor a role resolves to); « non désigné »."""
    from gusp_cli.track.signals import party_names

    return party_names(charter, signal) or ["Responsable non désigné"]


def _oldest(charter: Charter, opened: list[Any], fin: dt.date) -> list[SignalementOuvert]:
    """The oldest open signalements at ``fin``, with what comes next for each."""
    from gusp_cli.governance.veille import ascent, standing

    chain = ascent(charter)
    out = []
    for signal in sorted(opened, key=lambda s: (s.date, s.id))[:OLDEST]:
        found = standing(charter, signal, fin, chain)
        suite = (found.words(chain) if found is not None else
                 f"suivi par l'action {signal.action}" if signal.action else "ouvert")
        out.append(SignalementOuvert(signal.id, signal.date, signal.lieu, signal.theme, signal.description,
                                     ", ".join(_parties(charter, signal)), (fin - signal.date).days, suite))
    return out

