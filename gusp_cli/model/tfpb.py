"""The TFPB axes a charter's landlord programmes are written on: declared, or the national ones.

In exchange for the abatement of the property tax on their buildings in priority neighbourhoods
(TFPB), social landlords run a yearly action programme, agreed with the State and the EPCI and
reported on each year, axis by axis. A charter declares the axes in ``charte.yaml``
(``axes_tfpb``: its wording wins); without them, they are the eight axes of the national framework
for the use of the abatement (:data:`NATIONAL_AXES`), which ``gusp init`` writes out so that a
charter can adjust their wording without a change of code. No I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class TfpbAxis:
    """An axis: its id, its name, its number in the framework (None when it has none)."""

    id: str
    nom: str
    numero: int | None = None

    @property
    def label(self) -> str:
        """``3. Sur-entretien`` (the name alone without a number)."""
        return f"{self.numero}. {self.nom}" if self.numero is not None else self.nom


NATIONAL_AXES = (
    TfpbAxis("presence_proximite", "Renforcement de la présence du personnel de proximité", 1),
    TfpbAxis("formation_proximite", "Formation et soutien des personnels de proximité", 2),
    TfpbAxis("sur_entretien", "Sur-entretien", 3),
    TfpbAxis("dechets_encombrants", "Gestion des déchets, encombrants et épaves", 4),
    TfpbAxis("tranquillite", "Tranquillité résidentielle", 5),
    TfpbAxis("concertation", "Concertation et sensibilisation des locataires", 6),
    TfpbAxis("animation_lien_social", "Animation, lien social, vivre ensemble", 7),
    TfpbAxis("petits_travaux", "Petits travaux d'amélioration de la qualité de service", 8),
)
"""The eight axes of the national framework for the use of the TFPB abatement."""


def axes(charter: Any) -> list[TfpbAxis]:
    """The charter's TFPB axes, in its order: ``axes_tfpb`` when declared, else the national ones."""
    declared = charter.charte.axes_tfpb if charter.charte is not None else None
    if declared is None:
        return list(NATIONAL_AXES)
    return [TfpbAxis(a.id, a.nom, a.numero) for a in declared]


def source_label(bailleur: str, annee: int) -> str:
    """Where a cost comes from: ``TFPB Bailleur du Centre 2025``."""
    return f"TFPB {bailleur} {annee}"
