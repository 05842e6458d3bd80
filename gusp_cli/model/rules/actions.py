"""Rules on each action's own fields and place: numbering, phase, objective, pilot, échéance,
completion, follow-up and indicator dates.

Each runs on one quartier (:data:`gusp_cli.model.rules.QUARTIER_RULES`): what it finds there depends on
that quartier's file and on ``charte.yaml`` alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import pairwise

from gusp_cli.french.text import suggestion
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.echeance import EcheanceError, parse_echeance
from gusp_cli.model.errors import Problem, YamlPath, error, warning
from gusp_cli.model.vocabulary import Statut

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gusp_cli.model.models import Quartier


def numbering(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """Within a table, integer numbers run 1, 2, 3... without gap or duplicate (by their place in
    the file: an action left out because it is invalid leaves no gap); a table numbered by axis
    and objective (``1.2``, ``1.2.3``) has each number once."""
    tables: dict[object, list[Entry]] = {}
    for entry in charter.entries_of(quartier.id):
        tables.setdefault(entry.yaml_path[1], []).append(entry)
    for entries in tables.values():
        if any(isinstance(e.action.numero, str) for e in entries):
            yield from _unique_numbers(entries)
            continue
        for entry in entries:
            place = int(entry.yaml_path[3]) + 1
            if entry.action.numero != place:
                yield error("numerotation", f"action n° {entry.action.numero} à la position {place} "
                            f"du tableau « {entry.tableau.titre} » (attendu n° {place})", entry.file,
                            (*entry.yaml_path, "numero"))
                break


def _unique_numbers(entries: list[Entry]) -> Iterator[Problem]:
    """Each number once in a table numbered by text (``1.2``)."""
    seen: dict[str, int] = {}
    for entry in entries:
        number, place = str(entry.action.numero), int(entry.yaml_path[3]) + 1
        if number in seen:
            yield error("numerotation", f"action n° {number} en double dans le tableau "
                        f"« {entry.tableau.titre} » (déjà à la position {seen[number]})", entry.file,
                        (*entry.yaml_path, "numero"))
        seen.setdefault(number, place)


def phases(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """A table's phase is one the charter declares (the three default ones when it declares none);
    a charter that declares an empty list of phases has tables without phase."""
    declared = [pid for pid, _ in charter.phases]
    file = charter.files[quartier.id]
    for t, tableau in enumerate(quartier.tableaux):
        where = ("tableaux", t, "phase")
        if tableau.phase is None and declared:
            yield error("phase_inconnue", f"tableau « {tableau.titre} » sans phase (phases de la "
                        f"charte : {', '.join(declared)})", file, ("tableaux", t))
        elif tableau.phase is not None and tableau.phase not in declared:
            known = (f"phases de la charte : {', '.join(declared)}" if declared else
                     "la charte ne déclare pas de phases (phases: [] dans charte.yaml)")
            yield error("phase_inconnue", f"phase « {tableau.phase} » inconnue"
                        f"{suggestion(tableau.phase, declared)} ({known})", file, where)


def objectives(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """A table's or an action's objective is one of the objectives declared under ``axes``."""
    known = [o.id for axe in (charter.charte.axes if charter.charte else []) for o in axe.objectifs]
    file = charter.files[quartier.id]
    for t, tableau in enumerate(quartier.tableaux):
        places: list[tuple[YamlPath, str | None]] = [(("tableaux", t, "objectif"), tableau.objectif)]
        places += [(("tableaux", t, "actions", a, "objectif"), action.objectif)
                   for a, action in enumerate(tableau.actions)]
        for where, objectif in places:
            if objectif is not None and objectif not in known:
                yield error("objectif_inconnu", f"objectif « {objectif} » inconnu"
                            f"{suggestion(objectif, known)} (objectifs déclarés sous axes dans "
                            f"charte.yaml : {', '.join(known) or 'aucun'})", file, where)


def pilots(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """An action's pilot is one of its responsible parties."""
    for entry in charter.entries_of(quartier.id):
        pilote = entry.action.pilote
        if pilote is not None and pilote not in entry.action.responsables:
            yield error("pilote_non_responsable", f"action {entry.id} : le pilote « {pilote} » n'est pas "
                        f"parmi ses responsables ({', '.join(entry.action.responsables)}) ; ajoutez-le à "
                        "responsables", entry.file, (*entry.yaml_path, "pilote"))


def indicator_dates(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """An indicator's values are not dated in the future."""
    if not today:
        return
    for entry in charter.entries_of(quartier.id):
        for i, indicateur in enumerate(entry.action.indicateurs):
            for j, valeur in enumerate(indicateur.valeurs):
                if valeur.date > today:
                    yield error("date_future", f"indicateur « {indicateur.libelle} » de {entry.id} : valeur "
                                f"datée du {valeur.date}, dans le futur (aujourd'hui : {today})", entry.file,
                                (*entry.yaml_path, "indicateurs", i, "valeurs", j, "date"))


def echeances(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """An échéance follows the grammar; a missing one is a warning."""
    for entry in charter.entries_of(quartier.id):
        text = entry.action.echeance
        if text is None:
            yield warning("echeance_absente", f"action {entry.id} sans échéance", entry.file,
                          entry.yaml_path)
            continue
        try:
            parse_echeance(text)
        except EcheanceError as exc:
            yield error("echeance_invalide", str(exc), entry.file, (*entry.yaml_path, "echeance"))


def completion(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """A completed action has a completion date, not in the future."""
    for entry in charter.entries_of(quartier.id):
        action = entry.action
        if action.statut is Statut.realisee and action.date_realisation is None:
            yield error("realisee_sans_date", f"action {entry.id} « realisee » sans date_realisation",
                        entry.file, (*entry.yaml_path, "statut"))
        if today and action.date_realisation and action.date_realisation > today:
            yield error("date_future", f"date_realisation {action.date_realisation} dans le futur "
                        f"(aujourd'hui : {today})", entry.file,
                        (*entry.yaml_path, "date_realisation"))


def follow_up(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """Follow-up entries are in date order and not in the future (judged against the real today)."""
    for entry in charter.entries_of(quartier.id):
        suivi = entry.action.suivi
        for i, (before, after) in enumerate(pairwise(suivi), start=1):
            if after.date < before.date:
                yield error("suivi_desordonne", f"suivi de {entry.id} : {after.date} est antérieur à "
                            f"l'entrée précédente ({before.date})", entry.file,
                            (*entry.yaml_path, "suivi", i, "date"))
        for i, item in enumerate(suivi):
            if today and item.date > today:
                yield error("date_future", f"suivi de {entry.id} daté du {item.date}, dans le futur "
                            f"(aujourd'hui : {today})", entry.file, (*entry.yaml_path, "suivi", i, "date"))
