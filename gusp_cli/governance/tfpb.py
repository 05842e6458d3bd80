"""The landlords' TFPB programmes: the yearly report and the cost they give the charter's actions.

A programme (``tfpb.yaml``) is one landlord's lines for one year, each with an amount planned and
an amount spent (« valorisé »). The report sums them per axis, per quartier and overall, with the
rate of execution (spent / planned) where both are known; a sum over lines none of which records
an amount is None, never a made-up 0.

An action's cost (:func:`action_cost`) is its ``evaluation.cout`` when recorded; otherwise, when
TFPB lines link to it, the amounts spent on those lines, each with its source (« TFPB Bailleur du
Centre 2025 »). A line linked to several actions is not split between them (that would be an
estimate): each of them shows the whole line, marked as shared, and totals count it once.

Nothing here reads the clock: the as-of day is an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from gusp_cli.model.charter import Charter, Entry, short_name
from gusp_cli.model.tfpb import TfpbAxis, axes, source_label

# --------------------------------------------------------------------------- lines and totals


@dataclass(frozen=True)
class Line:
    """A programme line with what it belongs to, names resolved."""

    index: tuple[int, int]
    """(programme, line) positions in ``tfpb.yaml``: tells two identical lines apart."""
    bailleur: str
    bailleur_nom: str
    annee: int
    quartier: str
    quartier_nom: str
    axe: str
    axe_nom: str
    libelle: str
    actions: tuple[str, ...]
    prevu: float | None
    valorise: float | None
    quantite: float | None
    unite: str | None
    note: str | None

    @property
    def taux(self) -> float | None:
        """Spent over planned, in percent (None unless both are known and planned is not 0)."""
        return rate(self.prevu, self.valorise)


def rate(planned: float | None, spent: float | None) -> float | None:
    """``spent / planned`` in percent; None when either is unknown or nothing was planned."""
    if planned is None or spent is None or planned == 0:
        return None
    return spent / planned * 100


@dataclass(frozen=True)
class Total:
    """Sums over some lines; an amount no line records is None."""

    lignes: int
    prevu: float | None
    valorise: float | None
    sans_valorise: int
    """Lines whose spent amount is not reported yet."""

    @property
    def taux(self) -> float | None:
        """Rate of execution, in percent."""
        return rate(self.prevu, self.valorise)

    @property
    def taux_arrondi(self) -> float | None:
        """The rate rounded to 0.1 (reports show « 94,3 % »)."""
        found = self.taux
        return None if found is None else round(found, 1)


def total(lines: Iterable[Line]) -> Total:
    """The sums of ``lines``."""
    lines = list(lines)
    planned = [x.prevu for x in lines if x.prevu is not None]
    spent = [x.valorise for x in lines if x.valorise is not None]
    return Total(len(lines), sum(planned) if planned else None, sum(spent) if spent else None,
                 sum(1 for x in lines if x.valorise is None))


def programme_lines(charter: Charter) -> list[Line]:
    """Every line of ``tfpb.yaml``, in file order, with names resolved."""
    if charter.tfpb is None:
        return []
    names = {a.id: a.nom for a in axes(charter)}
    out = []
    for p, programme in enumerate(charter.tfpb.programmes):
        actor = charter.actors.get(programme.bailleur)
        landlord = short_name(actor) if actor is not None else programme.bailleur
        for n, line in enumerate(programme.lignes):
            quartier = charter.quartier(line.quartier)
            out.append(Line((p, n), programme.bailleur, landlord, programme.annee, line.quartier,
                            quartier.nom if quartier is not None else line.quartier, line.axe,
                            names.get(line.axe, line.axe), line.libelle, tuple(line.actions),
                            line.montant_prevu, line.montant_valorise, line.quantite, line.unite, line.note))
    return out


# --------------------------------------------------------------------------- the yearly report


@dataclass(frozen=True)
class Programme:
    """One landlord's programme of the year, with its totals."""

    bailleur: str
    nom: str
    convention: str | None
    note: str | None
    lignes: list[Line]
    total: Total


@dataclass(frozen=True)
class AxisTotal:
    """The sums of one axis (every axis of the charter is listed, lines or not)."""

    axe: TfpbAxis
    total: Total


@dataclass(frozen=True)
class QuartierTotal:
    """The sums of one quartier."""

    id: str
    nom: str
    total: Total


@dataclass
class Report:
    """``gusp tfpb``: the programmes of a year, their totals per axis, per quartier and overall."""

    annee: int
    as_of: dt.date
    fichier_present: bool
    programmes: list[Programme]
    par_axe: list[AxisTotal]
    par_quartier: list[QuartierTotal]
    total: Total
    sans_programme: list[str] = field(default_factory=list)
    """Names of the charter's landlords (selected) with no programme recorded for the year."""
    annees: list[int] = field(default_factory=list)
    """Every year ``tfpb.yaml`` holds a programme for (to say where to look when the year is empty)."""
    modele: list[str] = field(default_factory=list)
    """Without ``tfpb.yaml``: the YAML lines of a first programme, with this charter's own landlord,
    quartier and axis ids, amounts left for the landlord to give."""

    @property
    def lignes(self) -> list[Line]:
        """Every line of the selected programmes."""
        return [line for programme in self.programmes for line in programme.lignes]


def build_report(charter: Charter, annee: int, as_of: dt.date, *, bailleur: str | None = None,
                 quartier: str | None = None) -> Report:
    """The report of ``annee``, for one landlord and one quartier when given (ids)."""
    every = programme_lines(charter)
    lines = [x for x in every if x.annee == annee and (bailleur is None or x.bailleur == bailleur)
             and (quartier is None or x.quartier == quartier)]
    programmes = []
    for p, programme in enumerate(charter.tfpb.programmes if charter.tfpb else []):
        if programme.annee != annee or (bailleur is not None and programme.bailleur != bailleur):
            continue
        own = [x for x in lines if x.index[0] == p]
        if quartier is not None and not own:
            continue  # a programme with no line in the selected quartier
        name = landlord_name(charter, programme.bailleur)
        programmes.append(Programme(programme.bailleur, name, programme.convention, programme.note, own,
                                    total(own)))
    by_axis = [AxisTotal(axis, total(x for x in lines if x.axe == axis.id)) for axis in axes(charter)]
    listed = [q for q in (charter.charte.quartiers if charter.charte else []) if quartier in (None, q)
              and (bailleur is None or bailleur in landlords(charter, q)
                   or any(x.quartier == q for x in lines))]
    by_quartier = [QuartierTotal(q, _quartier_name(charter, q), total(x for x in lines if x.quartier == q))
                   for q in listed]
    recorded = {p.bailleur for p in programmes}
    missing = [landlord_name(charter, b) for b in landlords(charter, quartier)
               if b not in recorded and bailleur in (None, b)]
    return Report(annee, as_of, charter.tfpb is not None, programmes, by_axis, by_quartier, total(lines),
                  missing, sorted({x.annee for x in every} | _years(charter)),
                  [] if charter.tfpb is not None else starter(charter, annee, bailleur, quartier))


def starter(charter: Charter, annee: int, bailleur: str | None = None,
            quartier: str | None = None) -> list[str]:
    """The YAML of a first ``tfpb.yaml``: one programme of one of the charter's landlords, in one of
    its quartiers, on its first axis; the amounts are the landlord's to give, so they are named,
    never filled."""
    quartiers = [quartier] if quartier else list(charter.charte.quartiers if charter.charte else [])
    found = [b for q in quartiers for b in landlords(charter, q)]
    who = bailleur or (found[0] if found else "ID_DU_BAILLEUR")
    where = next((q for q in quartiers if who in landlords(charter, q)), quartiers[0] if quartiers
                 else "ID_DU_QUARTIER")
    first = axes(charter)[0].id if axes(charter) else "ID_DE_L_AXE"
    return ["programmes:", f"  - bailleur: {who}", f"    annee: {annee}", "    lignes:",
            f"      - quartier: {where}", f"        axe: {first}", "        libelle: LIBELLÉ DE LA LIGNE",
            "        montant_prevu: MONTANT_EN_EUROS", "        montant_valorise: MONTANT_AU_BILAN"]


def _years(charter: Charter) -> set[int]:
    """Years of the programmes, lines or not."""
    return {p.annee for p in charter.tfpb.programmes} if charter.tfpb else set()


def landlord_name(charter: Charter, bailleur: str) -> str:
    """A landlord's display name (its short name, or the id when it is not in the registry)."""
    actor = charter.actors.get(bailleur)
    return short_name(actor) if actor is not None else bailleur


def _quartier_name(charter: Charter, quartier_id: str) -> str:
    """A quartier's display name."""
    found = charter.quartier(quartier_id)
    return found.nom if found is not None else quartier_id


def landlords(charter: Charter, quartier: str | None = None) -> list[str]:
    """The landlords a TFPB programme is expected of: the actors of type ``bailleur`` that fill a
    role in a quartier (the one given, else any), in registry order."""
    from gusp_cli.model.territory import actor_ids

    filling: set[str] = set()
    for q in charter.quartiers:
        if quartier is None or q.id == quartier:
            for value in q.roles.values():
                filling.update(actor_ids(value))
    return [a.id for a in charter.actors.values() if a.type == "bailleur" and a.id in filling]


# --------------------------------------------------------------------------- costs


@dataclass(frozen=True)
class CostSource:
    """One TFPB line an action's cost comes from."""

    bailleur_nom: str
    annee: int
    montant: float
    libelle: str
    partagee_avec: tuple[str, ...] = ()
    """The other actions the same line is linked to (its amount is not split)."""

    @property
    def label(self) -> str:
        """``TFPB Bailleur du Centre 2025``."""
        return source_label(self.bailleur_nom, self.annee)


@dataclass(frozen=True)
class ActionCost:
    """An action's cost and where it comes from; ``montant`` None: not known (never estimated)."""

    montant: float | None
    origine: str | None
    """``evaluation`` (recorded), ``tfpb`` (from the programmes) or None."""
    sources: tuple[CostSource, ...] = ()

    @property
    def source(self) -> str:
        """« évaluation de l'action », « TFPB Bailleur du Centre 2025 », « TFPB Bailleur 2024, 2025 »."""
        if self.origine == "evaluation":
            return "évaluation de l'action"
        by_landlord: dict[str, list[int]] = {}
        for s in self.sources:
            years = by_landlord.setdefault(s.bailleur_nom, [])
            if s.annee not in years:
                years.append(s.annee)
        return " ; ".join(f"TFPB {name} {', '.join(map(str, sorted(years)))}"
                          for name, years in by_landlord.items())


@dataclass(frozen=True)
class _Linked:
    """A spent amount of a line, with the line's identity."""

    key: tuple[int, int]
    source: CostSource


class CostIndex:
    """The TFPB lines each action is linked to (built once for a charter, read for many actions)."""

    def __init__(self, charter: Charter, day: dt.date | None = None) -> None:
        self._by_action: dict[str, list[_Linked]] = {}
        for line in programme_lines(charter):
            if line.valorise is None or (day is not None and line.annee > day.year):
                continue
            for action_id in line.actions:
                others = tuple(a for a in line.actions if a != action_id)
                source = CostSource(line.bailleur_nom, line.annee, line.valorise, line.libelle, others)
                self._by_action.setdefault(action_id, []).append(_Linked(line.index, source))

    def linked(self, action_id: str) -> bool:
        """Whether some TFPB line with a spent amount serves the action."""
        return action_id in self._by_action

    def cost(self, entry: Entry) -> ActionCost:
        """The action's cost: recorded, else from TFPB, else unknown."""
        evaluation = entry.action.evaluation
        if evaluation is not None and evaluation.cout is not None:
            return ActionCost(evaluation.cout, "evaluation")
        linked = sorted(self._by_action.get(entry.id, []), key=lambda x: (x.source.annee, x.key))
        if not linked:
            return ActionCost(None, None)
        return ActionCost(sum(x.source.montant for x in linked), "tfpb", tuple(x.source for x in linked))

    def tfpb_total(self, entries: Iterable[Entry]) -> float | None:
        """The TFPB spent amounts of the entries without a recorded cost, each line counted once
        (None when no such entry is linked to a line with an amount)."""
        seen: dict[tuple[int, int], float] = {}
        for entry in entries:
            evaluation = entry.action.evaluation
            if evaluation is not None and evaluation.cout is not None:
                continue
            for linked in self._by_action.get(entry.id, []):
                seen[linked.key] = linked.source.montant
        return sum(seen.values()) if seen else None


def action_cost(charter: Charter, entry: Entry, day: dt.date | None = None) -> ActionCost:
    """One action's cost (see :class:`CostIndex` to look up many)."""
    return CostIndex(charter, day).cost(entry)
