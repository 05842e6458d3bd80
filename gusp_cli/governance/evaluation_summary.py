"""The charter's evaluation table summed up: per quartier and overall, what is filled and what it says.

Pure functions of a loaded charter (``gusp evaluation`` and the annual review both read them):

- per dimension of the charter's grid (:mod:`gusp_cli.model.evaluation`), the actions whose cell
  is filled out of all of them (« 3 renseignées sur 41 »), and for a yes/no dimension the yes, no
  and unknown counts, for an amount or a number the sum of what is recorded;
- the actions deployed;
- the cost: the recorded ``evaluation.cout`` and, for the actions without one, the amounts spent
  on the TFPB lines linked to them (:class:`~gusp_cli.governance.tfpb.CostIndex`), each line
  counted once; a sum of nothing is None, never 0;
- the actions whose evaluation is missing, per responsible party (roles resolved in each
  quartier): what to ask whom.

An action's cost counts as known when TFPB lines give it (it is a recorded figure, named with its
source); it is still never estimated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from gusp_cli.governance.tfpb import CostIndex
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.evaluation import Dimension, grid, value_of
from gusp_cli.model.vocabulary import TypeDimension

COST = "cout"
"""The dimension the TFPB programmes can fill."""


@dataclass(frozen=True)
class DimensionSummary:
    """One dimension of the grid over a set of actions."""

    dimension: Dimension
    renseignees: int
    """Actions whose cell is filled (for the cost: recorded or from TFPB)."""
    total: int
    oui: int = 0
    non: int = 0
    somme: float | None = None
    """For an amount or a number: the sum of the recorded values (None when none is)."""
    depuis_tfpb: int = 0
    """For the cost: actions whose cost comes from TFPB lines, not from their evaluation."""

    @property
    def inconnu(self) -> int:
        """For a yes/no dimension: the actions not reported."""
        return self.total - self.oui - self.non

    @property
    def text(self) -> str:
        """« 3 renseignées sur 41 »."""
        from gusp_cli.french.text import agree

        return f"{self.renseignees} {agree(self.renseignees, 'renseignée')} sur {self.total}"


@dataclass(frozen=True)
class Summary:
    """The evaluation of one set of actions (a quartier, or the whole charter)."""

    id: str
    nom: str
    total: int
    dimensions: list[DimensionSummary]
    deployees: list[str]
    """Ids of the actions recorded as deployed, in charter order."""
    completes: int
    """Actions whose every dimension is filled."""
    cout_enregistre: float | None
    """Sum of the recorded ``evaluation.cout`` (None when none is recorded)."""
    cout_tfpb: float | None
    """Amounts spent on the TFPB lines linked to the actions without a recorded cost, each line once."""

    @property
    def cout_total(self) -> float | None:
        """Recorded plus TFPB (None when neither is known)."""
        known = [c for c in (self.cout_enregistre, self.cout_tfpb) if c is not None]
        return sum(known) if known else None

    def of(self, dimension_id: str) -> DimensionSummary | None:
        """The summary of one dimension (None when the grid has no such dimension)."""
        return next((d for d in self.dimensions if d.dimension.id == dimension_id), None)


@dataclass(frozen=True)
class EvaluationSummary:
    """Per quartier (in charter order) and overall."""

    grille: list[Dimension]
    quartiers: list[Summary]
    ensemble: Summary


def summarize(charter: Charter, entries: Sequence[Entry], section_id: str, nom: str,
              costs: CostIndex | None = None) -> Summary:
    """The evaluation of ``entries``; ``costs`` built once by the caller for several sections.

    Only the actions that record an evaluation or are served by a TFPB line can fill a cell: the
    others are counted in the totals and nowhere else (most actions of a charter at first).
    """
    costs = costs if costs is not None else CostIndex(charter, charter.day)
    dimensions = grid(charter)
    evaluated = [e for e in entries if e.action.evaluation is not None or costs.linked(e.id)]
    summaries = [_dimension(d, evaluated, len(entries), costs) for d in dimensions]
    recorded = [e.action.evaluation.cout for e in evaluated
                if e.action.evaluation is not None and e.action.evaluation.cout is not None]
    complete = len(entries) if not dimensions else \
        sum(1 for e in evaluated if not missing_dimensions(e, dimensions, costs))
    return Summary(section_id, nom, len(entries), summaries,
                   [e.id for e in evaluated if value_of(e.action.evaluation, "deployee") is True],
                   complete, sum(recorded) if recorded else None, costs.tfpb_total(evaluated))


def _dimension(dimension: Dimension, entries: Sequence[Entry], total: int,
               costs: CostIndex) -> DimensionSummary:
    """One dimension over ``entries`` (those that can fill it) out of ``total`` actions."""
    values = [value_of(e.action.evaluation, dimension.id) for e in entries]
    filled = sum(1 for v in values if v is not None)
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    amount = sum(numbers) if numbers and dimension.type in (TypeDimension.montant, TypeDimension.nombre) \
        else None
    from_tfpb = 0
    if dimension.id == COST:
        from_tfpb = sum(1 for e, v in zip(entries, values, strict=True)
                        if v is None and costs.cost(e).origine == "tfpb")
    return DimensionSummary(dimension, filled + from_tfpb, total, sum(1 for v in values if v is True),
                            sum(1 for v in values if v is False), amount, from_tfpb)


def missing_dimensions(entry: Entry, dimensions: Iterable[Dimension], costs: CostIndex) -> list[Dimension]:
    """The dimensions an action's evaluation leaves blank (a cost from TFPB counts as filled)."""
    out = []
    for d in dimensions:
        if value_of(entry.action.evaluation, d.id) is not None:
            continue
        if d.id == COST and costs.cost(entry).montant is not None:
            continue
        out.append(d)
    return out


def evaluation_summary(charter: Charter, quartiers: Iterable[str] | None = None,
                       day: dt.date | None = None) -> EvaluationSummary:
    """The evaluation per quartier (the selected ids, all when None) and over them all."""
    costs = CostIndex(charter, day if day is not None else charter.day)
    selected = set(quartiers) if quartiers is not None else None
    sections, chosen = [], []
    for quartier in charter.quartiers:
        if selected is not None and quartier.id not in selected:
            continue
        entries = charter.entries_of(quartier.id)
        chosen += entries
        sections.append(summarize(charter, entries, quartier.id, quartier.nom, costs))
    whole = summarize(charter, chosen, "ensemble", "Ensemble de la charte", costs)
    return EvaluationSummary(grid(charter), sections, whole)


# --------------------------------------------------------------------------- to fill in


@dataclass(frozen=True)
class Missing:
    """An action whose evaluation is incomplete, and the dimensions left blank."""

    entry: Entry
    dimensions: list[Dimension]


@dataclass
class PartyToFill:
    """A party and the actions it is responsible for whose evaluation is incomplete."""

    partie: str
    nom: str
    actions: list[Missing] = field(default_factory=list)


def to_fill_by_party(charter: Charter, entries: Iterable[Entry],
                     day: dt.date | None = None) -> list[PartyToFill]:
    """Per responsible party (actors, roles resolved; an unresolved id as it is), the actions whose
    evaluation misses a dimension, in charter order; parties by decreasing count, then name."""
    from gusp_cli.track.responsibilities import resolved_parties

    costs = CostIndex(charter, day if day is not None else charter.day)
    dimensions = grid(charter)
    parties: dict[str, PartyToFill] = {}
    for entry in entries:
        blank = missing_dimensions(entry, dimensions, costs)
        if not blank:
            continue
        for party in resolved_parties(charter, entry):
            row = parties.get(party)
            if row is None:
                row = parties[party] = PartyToFill(party, charter.party_name(party, entry.quartier))
            row.actions.append(Missing(entry, blank))
    return sorted(parties.values(), key=lambda p: (-len(p.actions), p.nom))
