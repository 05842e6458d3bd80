"""Rules on the landlords' TFPB programmes (``tfpb.yaml``) and the TFPB axes of ``charte.yaml``.

A programme is of a known landlord (an actor of type ``bailleur``), once per year; each line names
a quartier of the charter, a TFPB axis and actions that exist; amounts are never negative (the
models refuse them); an amount spent without an amount planned is a warning, and so is a line
whose action lies in another quartier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from gusp_cli.french.text import suggestion
from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import Problem, error, warning
from gusp_cli.model.layout import CHARTER_FILE, TFPB_FILE, data_dir
from gusp_cli.model.territory import TERRITORY_ID
from gusp_cli.model.tfpb import axes

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from gusp_cli.model.models import LigneTfpb


def tfpb_axes(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """The TFPB axes declared in ``charte.yaml`` have distinct ids."""
    declared = charter.charte.axes_tfpb if charter.charte is not None else None
    seen: dict[str, int] = {}
    for i, axis in enumerate(declared or []):
        if axis.id in seen:
            yield error("id_duplique", f"axe TFPB « {axis.id} » déjà déclaré (axe n° {seen[axis.id] + 1} de "
                        "axes_tfpb)", data_dir(charter.root) / CHARTER_FILE, ("axes_tfpb", i, "id"))
        seen.setdefault(axis.id, i)


def tfpb_programmes(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """A programme is of a known landlord, once per year, and its lines are consistent."""
    if charter.tfpb is None:
        return
    file = data_dir(charter.root) / TFPB_FILE
    landlords = [a.id for a in charter.actors.values() if a.type == "bailleur"]
    seen: dict[tuple[str, int], int] = {}
    for i, programme in enumerate(charter.tfpb.programmes):
        where = ("programmes", i)
        if programme.bailleur not in landlords:
            yield error("bailleur_inconnu", _unknown_landlord(charter, programme.bailleur, landlords), file,
                        (*where, "bailleur"))
        key = (programme.bailleur, programme.annee)
        if key in seen:
            yield error("programme_duplique", f"programme TFPB de « {programme.bailleur} » pour "
                        f"{programme.annee} déjà enregistré (programme n° {seen[key] + 1} du fichier) : "
                        "réunissez leurs lignes",
                        file, (*where, "annee"))
        seen.setdefault(key, i)
        if today is not None and programme.annee > today.year and any(
                line.montant_valorise is not None for line in programme.lignes):
            yield error("date_future", f"programme TFPB {programme.annee} : montants valorisés pour une "
                        f"année pas encore commencée (aujourd'hui : {today})", file, (*where, "annee"))
        for j, line in enumerate(programme.lignes):
            yield from _line(charter, line, file, (*where, "lignes", j))


def _unknown_landlord(charter: Charter, bailleur: str, landlords: list[str]) -> str:
    """« bailleur inconnu », or « not a landlord » for an actor of another type."""
    actor = charter.actors.get(bailleur)
    if actor is not None:
        return (f"« {bailleur} » ({actor.nom}) n'est pas un bailleur (type {actor.type} dans acteurs.yaml) ; "
                f"bailleurs : {', '.join(landlords) or 'aucun'}")
    return (f"bailleur « {bailleur} » inconnu{suggestion(bailleur, landlords)} (acteurs de type bailleur : "
            f"{', '.join(landlords) or 'aucun'})")


def _line(charter: Charter, line: LigneTfpb, file: Path, where: tuple[str | int, ...]) -> Iterator[Problem]:
    """One programme line: known quartier, axis and actions; spent needs planned."""
    listed = list(charter.charte.quartiers) if charter.charte is not None else []
    if line.quartier not in listed:
        yield error("quartier_inconnu", f"quartier « {line.quartier} » inconnu"
                    f"{suggestion(line.quartier, listed)} (quartiers de charte.yaml : "
                    f"{', '.join(listed) or 'aucun'})", file, (*where, "quartier"))
    known_axes = [a.id for a in axes(charter)]
    if line.axe not in known_axes:
        yield error("axe_tfpb_inconnu", f"axe TFPB « {line.axe} » inconnu{suggestion(line.axe, known_axes)} "
                    f"(axes : {', '.join(known_axes)})", file, (*where, "axe"))
    yield from _linked_actions(charter, line, file, where)
    if line.montant_valorise is not None and line.montant_prevu is None:
        yield warning("tfpb_sans_prevu", f"« {line.libelle} » : montant valorisé sans montant prévu (ajoutez "
                      "montant_prevu, le montant inscrit au programme)", file, (*where, "montant_valorise"))


def _linked_actions(charter: Charter, line: LigneTfpb, file: Path,
                    where: tuple[str | int, ...]) -> Iterator[Problem]:
    """Each linked action exists; one of another quartier is a warning (the line's quartier is
    likely mistyped)."""
    unloaded = charter.charte is not None and any(q not in charter.files for q in charter.charte.quartiers)
    left_out = charter.dropped_ids
    for k, action_id in enumerate(line.actions):
        entry = charter.by_id.get(action_id)
        if entry is None:
            if action_id not in left_out and not unloaded:
                yield error("action_inconnue", f"ligne TFPB « {line.libelle} » : action « {action_id} » "
                            f"inconnue{suggestion(action_id, charter.by_id)}", file, (*where, "actions", k))
        elif entry.quartier.id not in (line.quartier, TERRITORY_ID):
            yield warning("tfpb_autre_quartier", f"ligne TFPB du quartier « {line.quartier} » liée à "
                          f"{action_id}, action du quartier « {entry.quartier.id} »", file,
                          (*where, "actions", k))
