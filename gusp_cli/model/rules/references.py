"""Rules on identity and references: ids are unique, every id named somewhere is known.

Actors, roles, sectors and quartiers are declared once; an action, a quartier's roles and
``charte.yaml`` name only what the registry and the quartier declare.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

from gusp_cli.french.text import suggestion
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.errors import Problem, error, warning
from gusp_cli.model.layout import CHARTER_FILE, REGISTRY_FILE, data_dir


def duplicate_ids(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """An action id must be unique across the charter."""
    first: dict[str, Entry] = {}
    for entry in charter.entries:
        if entry.id in first:
            other = first[entry.id]
            yield error("id_duplique", f"identifiant « {entry.id} » déjà utilisé "
                        f"(quartier {other.quartier.id}, tableau « {other.tableau.titre} »)",
                        entry.file, (*entry.yaml_path, "id"))
        else:
            first[entry.id] = entry


def unique_ids_in_lists(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """Actor, role, sector and quartier ids are unique."""
    if charter.registre is not None:
        reg = data_dir(charter.root) / REGISTRY_FILE
        for key, items in (("acteurs", charter.registre.acteurs), ("roles", charter.registre.roles)):
            yield from _duplicates([x.id for x in items], reg, key)
    for quartier in charter.quartiers:
        yield from _duplicates([s.id for s in quartier.secteurs], charter.files[quartier.id], "secteurs")
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


def role_targets(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """A quartier's roles name known roles and point at known actors."""
    for quartier in charter.quartiers:
        file = charter.files[quartier.id]
        for role, actor in quartier.roles.items():
            if role not in charter.roles:
                yield error("role_inconnu", f"rôle « {role} » absent du registre"
                            f"{suggestion(role, charter.roles)}", file, ("roles", role), key=True)
            if actor not in charter.actors:
                yield error("acteur_inconnu", f"acteur « {actor} » inconnu"
                            f"{suggestion(actor, charter.actors)}", file, ("roles", role))


def unknown_parties(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """Every responsible party is an actor of the registry or a role resolved in the quartier."""
    known = [*charter.actors, *charter.roles]
    for entry in charter.entries:
        for i, party in enumerate(entry.action.responsables):
            path = (*entry.yaml_path, "responsables", i)
            if party in charter.roles:
                if party not in entry.quartier.roles:
                    yield error("role_non_resolu", f"rôle « {party} » non défini pour le quartier "
                                f"« {entry.quartier.id} » (ajoutez-le sous « roles »)", entry.file, path)
            elif party not in charter.actors:
                yield error("acteur_inconnu", f"acteur « {party} » inconnu{suggestion(party, known)}",
                            entry.file, path)


def sectors(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """A table's sector is one of its quartier's sectors."""
    for quartier in charter.quartiers:
        known = [s.id for s in quartier.secteurs]
        for t, tableau in enumerate(quartier.tableaux):
            if tableau.secteur is not None and tableau.secteur not in known:
                yield error("secteur_inconnu", f"secteur « {tableau.secteur} » inconnu"
                            f"{suggestion(tableau.secteur, known)}", charter.files[quartier.id],
                            ("tableaux", t, "secteur"))


def unidentified_parties(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """A party not identified yet (e.g. future developers) is a warning on each of its actions."""
    for entry in charter.entries:
        for i, party in enumerate(entry.action.responsables):
            actor = charter.resolve(party, entry.quartier)
            if actor is not None and not actor.identifie:
                yield warning("partie_non_identifiee", f"action {entry.id} : responsable "
                              f"« {actor.nom} » non encore identifié", entry.file,
                              (*entry.yaml_path, "responsables", i))
