"""The charter's evaluation grid: which dimensions each action is evaluated on, and their values.

A charter declares its grid in ``charte.yaml`` (``grille_evaluation``); without it, the grid is the
default four dimensions (deployed, cost, insertion clauses, quality of life), kept as the fields
of :class:`~gusp_cli.model.models.Evaluation`.
A declared dimension that is not one of those four is recorded under ``evaluation.autres``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gusp_cli.model.vocabulary import TypeDimension

BUILT_IN = ("deployee", "cout", "clauses_insertion_respectees", "qualite_de_vie_amelioree")
"""The dimensions that are fields of an action's ``evaluation``."""


@dataclass(frozen=True)
class Dimension:
    """A dimension of the grid."""

    id: str
    libelle: str
    type: TypeDimension


DEFAULT_GRID = (
    Dimension("deployee", "Déployée", TypeDimension.oui_non),
    Dimension("cout", "Coût", TypeDimension.montant),
    Dimension("clauses_insertion_respectees", "Clauses d’insertion respectées", TypeDimension.oui_non),
    Dimension("qualite_de_vie_amelioree", "Amélioration de la qualité de vie validée", TypeDimension.oui_non),
)
"""The grid of a charter that declares none."""


def grid(charter: Any) -> list[Dimension]:
    """The charter's grid, in its order."""
    declared = charter.charte.grille_evaluation if charter.charte is not None else None
    if declared is None:
        return list(DEFAULT_GRID)
    return [Dimension(d.id, d.libelle, d.type) for d in declared]


def value_of(evaluation: Any, dimension: str) -> Any:
    """The value an action's evaluation records for a dimension (None when not reported)."""
    if evaluation is None:
        return None
    if dimension in BUILT_IN:
        return getattr(evaluation, dimension)
    return evaluation.autres.get(dimension)


def kind_error(dimension: Dimension, value: Any) -> str | None:
    """Why ``value`` does not fit the dimension's kind, in French; None when it fits."""
    kind = dimension.type
    fits = {
        TypeDimension.oui_non: isinstance(value, bool),
        TypeDimension.montant: isinstance(value, int | float) and not isinstance(value, bool) and value >= 0,
        TypeDimension.nombre: isinstance(value, int | float) and not isinstance(value, bool),
        TypeDimension.texte: isinstance(value, str),
    }[kind]
    if fits:
        return None
    expected = {TypeDimension.oui_non: "true ou false", TypeDimension.montant: "un montant en euros, positif",
                TypeDimension.nombre: "un nombre", TypeDimension.texte: "un texte"}[kind]
    return f"« {dimension.id} » attend {expected} (reçu {value!r})"
