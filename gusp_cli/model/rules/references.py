"""Rules on identity and references: ids are unique, every id named somewhere is known.

Actors, roles, sectors and quartiers are declared once; an action, a quartier's roles and
``charte.yaml`` name only what the registry and the quartier declare. The rules that take a
``quartier`` run on one quartier at a time (:data:`gusp_cli.model.rules.QUARTIER_RULES`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

from gusp_cli.french.text import suggestion
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.errors import Problem, error, warning
from gusp_cli.model.layout import CHARTER_FILE, REGISTRY_FILE, data_dir
from gusp_cli.model.territory import TERRITORY_ID, actor_ids

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gusp_cli.model.models import Acteur, Quartier


def duplicate_ids(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """An action id must be unique across the charter (read from the ids alone: only the entries
    of a duplicate and of its first occurrence are built)."""
    lists = [(quartier.id, charter.ids_of(quartier.id)) for quartier in charter.quartiers]
    count = sum(len(ids) for _, ids in lists)
    if len(set().union(*(ids for _, ids in lists))) == count:
        return  # no id twice (the usual case, answered without a loop over every action)
    first: dict[str, tuple[str, int]] = {}
    for quartier_id, ids in lists:
        for place, action_id in enumerate(ids):
            seen = first.get(action_id)
            if seen is None:
                first[action_id] = (quartier_id, place)
                continue
            entry: Entry = charter.entries_of(quartier_id)[place]
            other: Entry = charter.entries_of(seen[0])[seen[1]]
            yield error("id_duplique", f"identifiant « {entry.id} » déjà utilisé "
                        f"(quartier {other.quartier.id}, tableau « {other.tableau.titre} »)",
                        entry.file, (*entry.yaml_path, "id"))


def registry_ids(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """Actor and role ids are unique."""
    if charter.registre is not None:
        reg = data_dir(charter.root) / REGISTRY_FILE
        for key, items in (("acteurs", charter.registre.acteurs), ("roles", charter.registre.roles)):
            yield from _duplicates([x.id for x in items], reg, key)


def sector_ids(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """A quartier's sector ids are unique."""
    yield from _duplicates([s.id for s in quartier.secteurs], charter.files[quartier.id], "secteurs")


def listed_quartier_ids(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """The quartier ids ``charte.yaml`` lists are unique."""
    if charter.charte is not None:
        yield from _duplicates(charter.charte.quartiers, data_dir(charter.root) / CHARTER_FILE,
                               "quartiers", scalar=True)


def _duplicates(ids: list[str], file, key: str, scalar: bool = False) -> Iterator[Problem]:  # type: ignore[no-untyped-def]
    """Report the second and later occurrences of each id."""
    seen: Counter[str] = Counter()
    for i, item in enumerate(ids):
        seen[item] += 1
        if seen[item] > 1:
            path = (key, i) if scalar else (key, i, "id")
            yield error("id_duplique", f"identifiant « {item} » en double dans « {key} »", file, path)


def charter_references(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """The porteur, partners and deliberating bodies of ``charte.yaml`` are known actors."""
    if charter.charte is None or charter.registre is None:
        return
    file = data_dir(charter.root) / CHARTER_FILE
    refs: list[tuple[str, tuple[str | int, ...]]] = [(charter.charte.porteur, ("porteur",))]
    refs += [(p, ("partenaires", i)) for i, p in enumerate(charter.charte.partenaires)]
    refs += [(d.organisme, ("deliberations", i, "organisme"))
             for i, d in enumerate(charter.charte.deliberations)]
    for actor, path in refs:
        if actor not in charter.actors:
            yield error("acteur_inconnu", f"acteur « {actor} » inconnu"
                        f"{suggestion(actor, charter.actors)}", file, path)


def role_targets(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """A quartier's (or the territory's) roles name known roles and point at known actors."""
    if charter.is_territory(quartier):
        if charter.territoire is None or quartier is not charter.quartiers[-1]:
            return  # only the territory's own view (the last quartier) has the territory's roles
        roles = charter.territoire.roles
    else:
        roles = quartier.roles
    file = charter.files[quartier.id]
    for role, value in roles.items():
        if role not in charter.roles:
            yield error("role_inconnu", f"rôle « {role} » absent du registre"
                        f"{suggestion(role, charter.roles)}", file, ("roles", role), key=True)
        several = not isinstance(value, str)
        for i, actor in enumerate(actor_ids(value)):
            if actor not in charter.actors:
                yield error("acteur_inconnu", f"acteur « {actor} » inconnu"
                            f"{suggestion(actor, charter.actors)}", file,
                            ("roles", role, i) if several else ("roles", role))


def unknown_parties(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """Every responsible party is an actor of the registry or a role resolved in the quartier."""
    known = [*charter.actors, *charter.roles]
    for entry in charter.entries_of(quartier.id):
        for i, party in enumerate(entry.action.responsables):
            path = (*entry.yaml_path, "responsables", i)
            if party in charter.roles:
                if party not in entry.quartier.roles:
                    yield error("role_non_resolu", f"rôle « {party} » non défini pour le quartier "
                                f"« {entry.quartier.id} » (ajoutez-le sous « roles »)", entry.file, path)
            elif party not in charter.actors:
                yield error("acteur_inconnu", f"acteur « {party} » inconnu{suggestion(party, known)}",
                            entry.file, path)


def sectors(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """A table's sector is one of its quartier's sectors."""
    known = [s.id for s in quartier.secteurs]
    for t, tableau in enumerate(quartier.tableaux):
        if tableau.secteur is not None and tableau.secteur not in known:
            yield error("secteur_inconnu", f"secteur « {tableau.secteur} » inconnu"
                        f"{suggestion(tableau.secteur, known)}", charter.files[quartier.id],
                        ("tableaux", t, "secteur"))


def unidentified_parties(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """A party not identified yet (e.g. future developers) is a warning on each of its actions."""
    resolved: dict[tuple[str, int], Acteur | None] = {}  # a quartier names few parties, many times
    for entry in charter.entries_of(quartier.id):
        for i, party in enumerate(entry.action.responsables):
            key = (party, id(entry.quartier))
            if key not in resolved:
                resolved[key] = charter.resolve(party, entry.quartier)
            actor = resolved[key]
            if actor is not None and not actor.identifie:
                yield warning("partie_non_identifiee", f"action {entry.id} : responsable "
                              f"« {actor.nom} » non encore identifié", entry.file,
                              (*entry.yaml_path, "responsables", i))


def territory_coverage(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """A charter-wide table covers known quartiers."""
    if charter.territoire is None:
        return
    known = [q.id for q in charter.quartiers if not charter.is_territory(q)]
    file = charter.files[TERRITORY_ID]
    for t, tableau in enumerate(charter.territoire.tableaux):
        for i, quartier in enumerate(tableau.quartiers):
            if quartier not in known:
                yield error("quartier_inconnu", f"quartier « {quartier} » inconnu"
                            f"{suggestion(quartier, known)}", file, ("tableaux", t, "quartiers", i))


def deciding_body(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """The body named to decide on the review's points is one of the charter's bodies."""
    charte = charter.charte
    if charte is None or charte.instance_decisionnelle is None:
        return
    bodies = [i.id for i in charte.instances]
    if charte.instance_decisionnelle not in bodies:
        yield error("instance_inconnue", f"instance « {charte.instance_decisionnelle} » inconnue"
                    f"{suggestion(charte.instance_decisionnelle, bodies)} (instances : "
                    f"{', '.join(bodies) or 'aucune'})", data_dir(charter.root) / CHARTER_FILE,
                    ("instance_decisionnelle",))


def evaluation_grid(charter: Charter, quartier: Quartier, today: dt.date | None) -> Iterator[Problem]:
    """An action's evaluation fills only the dimensions of the charter's grid, with their kind."""
    from gusp_cli.model.evaluation import BUILT_IN, grid, kind_error

    dimensions: dict[str, Any] | None = None
    for entry in charter.entries_of(quartier.id):
        evaluation = entry.action.evaluation
        if evaluation is None:
            continue
        if dimensions is None:
            dimensions = {d.id: d for d in grid(charter)}
        where = (*entry.yaml_path, "evaluation")
        for key in BUILT_IN:
            if getattr(evaluation, key) is not None and key not in dimensions:
                yield warning("evaluation_hors_grille", f"action {entry.id} : « {key} » n'est pas une "
                              f"dimension de la grille d'évaluation de la charte ({', '.join(dimensions)})",
                              entry.file, (*where, key))
        for key, value in evaluation.autres.items():
            dimension = dimensions.get(key)
            if dimension is None:
                yield error("evaluation_hors_grille", f"action {entry.id} : dimension « {key} » inconnue"
                            f"{suggestion(key, dimensions)} (grille d'évaluation : {', '.join(dimensions)})",
                            entry.file, (*where, "autres", key), key=True)
            elif (problem := kind_error(dimension, value)) is not None:
                yield error("evaluation_hors_grille", f"action {entry.id} : {problem}", entry.file,
                            (*where, "autres", key))
