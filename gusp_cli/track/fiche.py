"""The fiche-action fields of an action told in French: its objective, public, place, means and
indicators, as ``gusp show`` and the review print them.

Every function returns nothing for a field the charter leaves out, so a charter that does not use
the fiche-action fields sees nothing of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gusp_cli.french.dates import format_date, format_euros, format_number
from gusp_cli.model.charter import Charter, Entry

if TYPE_CHECKING:
    from gusp_cli.model.models import Axe, Financement, Indicateur, Objectif


@dataclass(frozen=True)
class Place:
    """The axis and objective an action serves."""

    axe: Axe
    objectif: Objectif

    @property
    def axe_label(self) -> str:
        """« Axe 1 — Un cadre de vie propre et entretenu »."""
        number = f" {self.axe.numero}" if self.axe.numero else ""
        return f"Axe{number} — {self.axe.nom}"

    @property
    def objectif_label(self) -> str:
        """« 1.1 Réduire les dépôts sauvages »."""
        return f"{self.objectif.numero} {self.objectif.nom}" if self.objectif.numero else self.objectif.nom


def objective_of(charter: Charter, entry: Entry) -> Place | None:
    """The declared objective of an action (its own, else its table's), with its axis."""
    wanted = entry.action.objectif or entry.tableau.objectif
    if wanted is None or charter.charte is None:
        return None
    for axe in charter.charte.axes:
        for objectif in axe.objectifs:
            if objectif.id == wanted:
                return Place(axe, objectif)
    return None


def value_text(value: float | str) -> str:
    """A number in French (« 1 234,5 »), a text as it is."""
    return value if isinstance(value, str) else format_number(value)


def indicator_text(item: Indicateur) -> str:
    """« Taux de présence (%) : cible 80 ; 62 au 30 juin 2026 »."""
    unit = f" ({item.unite})" if item.unite else ""
    parts = [f"cible {value_text(item.cible)}" if item.cible is not None else "sans cible"]
    if item.valeurs:
        latest = max(item.valeurs, key=lambda v: v.date)
        parts.append(f"{value_text(latest.valeur)} au {format_date(latest.date)}")
    else:
        parts.append("aucune valeur consignée")
    return f"{item.libelle}{unit} : {' ; '.join(parts)}"


def funder_name(charter: Charter, funding: Financement) -> str:
    """The funder's name: a registered party's, else the text as written."""
    return charter.party_name(funding.financeur) if funding.financeur in charter.actors else funding.financeur


def funding_text(charter: Charter, funding: Financement) -> str:
    """« Rivebelle Métropole — 12 000 € »."""
    return f"{funder_name(charter, funding)} — {format_euros(funding.montant)}"


def means_lines(charter: Charter, entry: Entry) -> list[tuple[str, str]]:
    """The means as (label, text) pairs: planned cost, each funding, human means."""
    moyens = entry.action.moyens
    if moyens is None:
        return []
    lines = []
    if moyens.cout_prevu is not None:
        lines.append(("Coût prévu", format_euros(moyens.cout_prevu)))
    lines += [("Financement", funding_text(charter, f)) for f in moyens.financements]
    if moyens.moyens_humains:
        lines.append(("Moyens humains", moyens.moyens_humains))
    return lines


def has_fiche(entry: Entry) -> bool:
    """True when the action records any fiche-action field (public, place, means, indicators)."""
    action = entry.action
    return bool(action.public_cible or action.localisation or action.moyens or action.indicateurs)
