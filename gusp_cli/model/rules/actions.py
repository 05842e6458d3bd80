"""Rules on each action's own fields: numbering, échéance, completion and follow-up dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from itertools import pairwise

from gusp_cli.model.charter import Charter
from gusp_cli.model.echeance import EcheanceError, parse_echeance
from gusp_cli.model.errors import Problem, error, warning
from gusp_cli.model.vocabulary import Statut


def numbering(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """Within a table, actions are numbered 1, 2, 3... without gap or duplicate (by their place in
    the file: an action left out because it is invalid leaves no gap)."""
    for quartier in charter.quartiers:
        flagged: set[object] = set()
        for entry in charter.entries_of(quartier.id):
            table, place = entry.yaml_path[1], int(entry.yaml_path[3]) + 1
            if entry.action.numero != place and table not in flagged:
                flagged.add(table)
                yield error("numerotation", f"action n° {entry.action.numero} à la position {place} du "
                            f"tableau « {entry.tableau.titre} » (attendu n° {place})", entry.file,
                            (*entry.yaml_path, "numero"))


def echeances(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """An échéance follows the grammar; a missing one is a warning."""
    for entry in charter.entries:
        text = entry.action.echeance
        if text is None:
            yield warning("echeance_absente", f"action {entry.id} sans échéance", entry.file,
                          entry.yaml_path)
            continue
        try:
            parse_echeance(text)
        except EcheanceError as exc:
            yield error("echeance_invalide", str(exc), entry.file, (*entry.yaml_path, "echeance"))


def completion(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """A completed action has a completion date, not in the future."""
    for entry in charter.entries:
        action = entry.action
        if action.statut is Statut.realisee and action.date_realisation is None:
            yield error("realisee_sans_date", f"action {entry.id} « realisee » sans date_realisation",
                        entry.file, (*entry.yaml_path, "statut"))
        if as_of and action.date_realisation and action.date_realisation > as_of:
            yield error("date_future", f"date_realisation {action.date_realisation} postérieure "
                        f"à la date de référence {as_of}", entry.file,
                        (*entry.yaml_path, "date_realisation"))


def follow_up(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """Follow-up entries are in date order and not in the future of the as-of date."""
    for entry in charter.entries:
        suivi = entry.action.suivi
        for i, (before, after) in enumerate(pairwise(suivi), start=1):
            if after.date < before.date:
                yield error("suivi_desordonne", f"suivi de {entry.id} : {after.date} est antérieur à "
                            f"l'entrée précédente ({before.date})", entry.file,
                            (*entry.yaml_path, "suivi", i, "date"))
        for i, item in enumerate(suivi):
            if as_of and item.date > as_of:
                yield error("date_future", f"suivi de {entry.id} daté du {item.date}, postérieur à la "
                            f"date de référence {as_of}", entry.file, (*entry.yaml_path, "suivi", i, "date"))
