"""Rules on the optional records: meetings (``reunions.yaml``) and insertion (``insertion.yaml``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from gusp_cli.french.text import suggestion
from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import Problem, YamlPath, error, warning
from gusp_cli.model.layout import INSERTION_FILE, MEETINGS_FILE, data_dir


def meetings(charter: Charter, as_of: dt.date | None) -> Iterator[Problem]:
    """A meeting names a known body and quartiers; its decisions name known actions."""
    file = data_dir(charter.root) / MEETINGS_FILE
    bodies = [i.id for i in charter.charte.instances] if charter.charte else []
    listed = set(charter.charte.quartiers) if charter.charte else set()
    # A quartier listed whose file does not load, or an action left out as invalid, has its own
    # error already: no « inconnu » on top of it (and no action can be called unknown then).
    unloaded = any(q not in charter.files for q in listed)
    left_out = charter.dropped_ids
    seen: dict[tuple[str, dt.date, tuple[str, ...]], int] = {}
    for i, meeting in enumerate(charter.reunions):
        where = ("reunions", i)
        if meeting.instance not in bodies:
            yield error("instance_inconnue", f"instance « {meeting.instance} » inconnue"
                        f"{suggestion(meeting.instance, bodies)} (instances de charte.yaml : "
                        f"{', '.join(bodies) or 'aucune'})", file, (*where, "instance"))
        for j, quartier in enumerate(meeting.quartiers):
            if charter.quartier(quartier) is None and quartier not in listed:
                yield error("quartier_inconnu", f"quartier « {quartier} » inconnu"
                            f"{suggestion(quartier, [q.id for q in charter.quartiers])}", file,
                            (*where, "quartiers", j))
        for j, decision in enumerate(meeting.decisions):
            for k, action_id in enumerate(decision.actions):
                if action_id not in charter.by_id and action_id not in left_out and not unloaded:
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
    from gusp_cli.model.insertion_records import SEMESTER_FORM, SemesterError, parse_semester

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
    from gusp_cli.model.insertion_records import inconsistencies

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

    from gusp_cli.french.text import fold

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
