"""Cross-record rules. Each is a small function returning problems; ``CHECKS`` lists them all.

Rule ids (shown as ``[rule]`` after each message) are stable: tests and CI filters rely on them.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path

from gusp_cli.charter import Charter, Entry
from gusp_cli.echeance import EcheanceError, parse_echeance
from gusp_cli.errors import Problem, YamlPath, error, warning
from gusp_cli.repository import CHARTER_FILE, INSERTION_FILE, MEETINGS_FILE, REGISTRY_FILE, data_dir
from gusp_cli.text import suggestion
from gusp_cli.vocabulary import Statut

Check = Callable[[Charter, "dt.date | None"], Iterator[Problem]]


def duplicate_ids(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
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


def unknown_parties(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
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


def role_targets(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
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


def numbering(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """Within a table, actions are numbered 1, 2, 3... without gap or duplicate."""
    for quartier in charter.quartiers:
        file = charter.files[quartier.id]
        for t, tableau in enumerate(quartier.tableaux):
            for a, action in enumerate(tableau.actions):
                if action.numero != a + 1:
                    yield error("numerotation", f"action n° {action.numero} à la position {a + 1} du "
                                f"tableau « {tableau.titre} » (attendu n° {a + 1})", file,
                                ("tableaux", t, "actions", a, "numero"))
                    break


def unique_ids_in_lists(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
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


def sectors(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """A table's sector is one of its quartier's sectors."""
    for quartier in charter.quartiers:
        known = [s.id for s in quartier.secteurs]
        for t, tableau in enumerate(quartier.tableaux):
            if tableau.secteur is not None and tableau.secteur not in known:
                yield error("secteur_inconnu", f"secteur « {tableau.secteur} » inconnu"
                            f"{suggestion(tableau.secteur, known)}", charter.files[quartier.id],
                            ("tableaux", t, "secteur"))


def charter_references(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
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


def unidentified_parties(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """A party not identified yet (e.g. future developers) is a warning on each of its actions."""
    for entry in charter.entries:
        for i, party in enumerate(entry.action.responsables):
            actor = charter.resolve(party, entry.quartier)
            if actor is not None and not actor.identifie:
                yield warning("partie_non_identifiee", f"action {entry.id} : responsable "
                              f"« {actor.nom} » non encore identifié", entry.file,
                              (*entry.yaml_path, "responsables", i))


def meetings(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """A meeting names a known body and quartiers; its decisions name known actions."""
    file = data_dir(charter.root) / MEETINGS_FILE
    bodies = [i.id for i in charter.charte.instances] if charter.charte else []
    seen: dict[tuple[str, dt.date, tuple[str, ...]], int] = {}
    for i, meeting in enumerate(charter.reunions):
        where = ("reunions", i)
        if meeting.instance not in bodies:
            yield error("instance_inconnue", f"instance « {meeting.instance} » inconnue"
                        f"{suggestion(meeting.instance, bodies)} (instances de charte.yaml : "
                        f"{', '.join(bodies) or 'aucune'})", file, (*where, "instance"))
        for j, quartier in enumerate(meeting.quartiers):
            if charter.quartier(quartier) is None:
                yield error("quartier_inconnu", f"quartier « {quartier} » inconnu"
                            f"{suggestion(quartier, [q.id for q in charter.quartiers])}", file,
                            (*where, "quartiers", j))
        for j, decision in enumerate(meeting.decisions):
            for k, action_id in enumerate(decision.actions):
                if action_id not in charter.by_id:
                    yield error("action_inconnue", f"décision de la réunion du {meeting.date} : action "
                                f"« {action_id} » inconnue{suggestion(action_id, charter.by_id)}", file,
                                (*where, "decisions", j, "actions", k))
        if as_of and meeting.date > as_of and (meeting.decisions or meeting.compte_rendu):
            yield error("date_future", f"réunion du {meeting.date}, postérieure à la date de référence "
                        f"{as_of} : elle ne peut pas encore avoir de décisions ni de compte rendu", file,
                        (*where, "date"))
        key = (meeting.instance, meeting.date, tuple(sorted(meeting.quartiers)))
        if key in seen:
            yield warning("reunion_dupliquee", f"réunion « {meeting.instance} » du {meeting.date} déjà "
                          f"enregistrée (réunion n° {seen[key] + 1} du fichier)", file, (*where, "date"))
        seen.setdefault(key, i)


def insertion_semesters(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """Semesters are written ``AAAA-S1``/``AAAA-S2``, once each, and have begun."""
    if charter.insertion is None:
        return
    from gusp_cli.insertion import SEMESTER_FORM, SemesterError, parse_semester

    file = data_dir(charter.root) / INSERTION_FILE
    texts: list[tuple[YamlPath, str]] = [(("semestres", i, "semestre"), r.semestre)
                                         for i, r in enumerate(charter.insertion.semestres)]
    if charter.insertion.premier_semestre is not None:
        texts.insert(0, (("premier_semestre",), charter.insertion.premier_semestre))
    seen: dict[object, int | str] = {}
    for path, text in texts:
        try:
            semester = parse_semester(text, strict=True)
        except SemesterError:
            yield error("semestre_invalide", f"semestre « {text} » invalide (forme attendue : "
                        f"{SEMESTER_FORM})", file, path)
            continue
        if path[0] != "semestres":
            continue
        if semester in seen:
            yield error("semestre_duplique", f"semestre {text} déjà renseigné (semestre n° "
                        f"{int(seen[semester]) + 1} du fichier)", file, path)
        seen.setdefault(semester, path[1])
        if as_of and semester.start > as_of:
            yield error("date_future", f"semestre {text} pas encore commencé à la date de référence "
                        f"{as_of}", file, path)


def insertion_figures(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """Insertion figures add up: parts never exceed their whole."""
    if charter.insertion is None:
        return
    from gusp_cli.insertion import inconsistencies

    file = data_dir(charter.root) / INSERTION_FILE
    for i, record in enumerate(charter.insertion.semestres):
        for path, message in inconsistencies(record):
            yield error("insertion_incoherente", f"{record.semestre} : {message}", file,
                        ("semestres", i, *path))


_PERSONAL_WORDS = ("naissance", "prenom", "adresse", "telephone", "courriel", "email", "securite_sociale",
                   "birth", "firstname", "lastname", "address", "phone")
_PERSONAL_TOKENS = frozenset({"nom", "noms", "nir", "tel", "mail", "secu", "portable", "identite",
                              "civilite", "name", "names"})


def personal_data(data: object, path: Path, at: YamlPath = ()) -> list[Problem]:
    """Keys that would identify a person, anywhere in raw ``insertion.yaml`` data (aggregates only)."""
    import re

    from gusp_cli.text import fold

    found: list[Problem] = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        here = (*at, key)
        folded = fold(str(key)) if isinstance(key, str) else ""
        tokens = set(re.split(r"[\s_.-]+", folded))
        if folded and (tokens & _PERSONAL_TOKENS or any(w in folded for w in _PERSONAL_WORDS)):
            found.append(error("donnees_personnelles", f"donnée personnelle refusée : la clé « {key} » "
                               "pourrait identifier une personne ; insertion.yaml ne contient que des "
                               "effectifs agrégés (jamais de nom, prénom, date de naissance, adresse ni "
                               "coordonnées)", path, here, key=True))
        else:
            found.extend(personal_data(value, path, here))
    return found


CHECKS: tuple[Check, ...] = (
    unique_ids_in_lists,
    duplicate_ids,
    charter_references,
    role_targets,
    unknown_parties,
    sectors,
    numbering,
    echeances,
    completion,
    follow_up,
    unidentified_parties,
    meetings,
    insertion_semesters,
    insertion_figures,
)
"""Every cross-record rule, in the order they run."""


def run_checks(charter: Charter, as_of: dt.date | None) -> list[Problem]:
    """Run every rule on a charter and return their problems."""
    return [problem for check in CHECKS for problem in check(charter, as_of)]
