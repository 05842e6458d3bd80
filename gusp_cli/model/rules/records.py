"""Rules on the optional records: meetings (``reunions.yaml``) and insertion (``insertion.yaml``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gusp_cli.french.text import suggestion
from gusp_cli.model.charter import Charter
from gusp_cli.model.errors import Problem, YamlPath, error, warning
from gusp_cli.model.layout import INSERTION_FILE, MEETINGS_FILE, data_dir

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gusp_cli.model.models import Reunion


def meetings(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
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
        yield from _times(meeting, file, where)
        if today and meeting.date > today and (meeting.decisions or meeting.compte_rendu):
            yield error("date_future", f"réunion du {meeting.date}, dans le futur (aujourd'hui : {today}) : "
                        "elle ne peut pas encore avoir de décisions ni de compte rendu", file,
                        (*where, "date"))
        key = (meeting.instance, meeting.date, tuple(sorted(meeting.quartiers)))
        if key in seen:
            yield warning("reunion_dupliquee", f"réunion « {meeting.instance} » du {meeting.date} déjà "
                          f"enregistrée (réunion n° {seen[key] + 1} du fichier)", file, (*where, "date"))
        seen.setdefault(key, i)


def _times(meeting: Reunion, file: Path, where: YamlPath) -> Iterator[Problem]:
    """An end time needs a start time, and comes after it."""
    from gusp_cli.french.dates import parse_time

    if meeting.heure_fin is None:
        return
    if meeting.heure is None:
        yield error("heure_incoherente", f"réunion du {meeting.date} : heure_fin sans heure de début "
                    "(ajoutez heure)", file, (*where, "heure_fin"))
    elif parse_time(meeting.heure_fin) <= parse_time(meeting.heure):
        yield error("heure_incoherente", f"réunion du {meeting.date} : heure_fin {meeting.heure_fin} "
                    f"n'est pas après heure {meeting.heure}", file, (*where, "heure_fin"))


def insertion_semesters(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
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
        if today and semester.start > today:
            yield error("date_future", f"semestre {text} pas encore commencé (aujourd'hui : {today})",
                        file, path)
        yield from _sent(charter.insertion.semestres[int(path[1])], semester, today, file, path[:2])


def _sent(record: Any, semester: Any, today: dt.date | None, file: Path, at: YamlPath) -> Iterator[Problem]:
    """The date a semester's indicators were sent: not before the semester began, not in the future."""
    sent = record.transmis_le
    if sent is None:
        return
    if sent < semester.start:
        yield error("insertion_incoherente", f"{record.semestre} : transmis le {sent}, avant le début du "
                    "semestre", file, (*at, "transmis_le"))
    if today and sent > today:
        yield error("date_future", f"{record.semestre} : transmis le {sent}, dans le futur (aujourd'hui : "
                    f"{today})", file, (*at, "transmis_le"))


def insertion_figures(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
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


INSERTION_KEYS = ("insertion.yaml ne contient que des effectifs agrégés (jamais de nom, prénom, date de "
                  "naissance, adresse ni coordonnées)")
"""Why ``insertion.yaml`` keeps no key that would identify a person."""
SIGNALS_KEYS = ("signalements.yaml décrit des lieux et des dysfonctionnements, jamais des personnes (ni nom "
                "d'habitant, ni téléphone, ni courriel)")
"""Why ``signalements.yaml`` keeps no key that would identify a person."""


def personal_data(data: object, path: Path, at: YamlPath = (), reason: str = INSERTION_KEYS) -> list[Problem]:
    """Keys that would identify a person, anywhere in raw data (``insertion.yaml``: aggregates only;
    ``signalements.yaml``: places and problems); ``reason`` says why the file keeps none."""
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
                               f"pourrait identifier une personne ; {reason}", path, here, key=True))
        else:
            found.extend(personal_data(value, path, here, reason))
    return found


def insertion_comments(charter: Charter, today: dt.date | None) -> Iterator[Problem]:
    """An insertion record's comment holds no e-mail, phone number nor « M. Dupont »."""
    if charter.insertion is None:
        return
    from gusp_cli.model.privacy import INSERTION_REASON, personal_data_in, refusal

    file = data_dir(charter.root) / INSERTION_FILE
    for i, record in enumerate(charter.insertion.semestres):
        kinds = personal_data_in(record.commentaire) if record.commentaire else []
        if kinds:
            refused = refusal(kinds, "commentaire", INSERTION_REASON)
            yield error("donnees_personnelles", f"{record.semestre} : {refused}",
                        file, ("semestres", i, "commentaire"))
