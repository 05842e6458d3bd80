"""The governance page of the published site: the bodies, their rhythm, the meetings held.

A meeting is published by its date, its body and the quartiers it dealt with: never its
participants, decisions or minutes. Insertion is published by its cumulated aggregates against
each objective: never a semester's record (profiles, companies, comments).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gusp_cli.french.dates import format_date, format_number
from gusp_cli.governance.calendar import body_statuses
from gusp_cli.governance.insertion import attainment, objectives
from gusp_cli.model.charter import Charter
from gusp_cli.model.rhythm import LABELS as RHYTHMS


@dataclass(frozen=True)
class InstancePage:
    """A body of the charter and where it stands."""

    id: str
    nom: str
    rythme: str
    membres: list[str]
    description: str | None
    derniere: str
    """« 12 mars 2026 », or « aucune réunion consignée »."""
    retard: str | None
    """« aucune réunion consignée depuis le 12 mars 2025 (en retard depuis le …) », or None."""
    prochaine: str | None
    """The next meeting already fixed, when one is."""


@dataclass(frozen=True)
class ReunionPage:
    """A meeting: date, body, quartiers."""

    date: dt.date
    instance: str
    quartiers: str
    """« Centre, Gare », or « toute la charte »."""


@dataclass(frozen=True)
class InsertionPage:
    """An insertion objective and what the records add up to."""

    objectif: str
    texte: str | None
    heures: str | None
    """« 12 400 heures d'insertion (2019-S1 à 2025-S2) », None without records."""
    taux: str
    """« 8,2 % des heures », or why it cannot be computed."""


@dataclass(frozen=True)
class Gouvernance:
    """The governance page."""

    instances: list[InstancePage]
    tenues: list[ReunionPage]
    """Meetings held up to the day, newest first."""
    prevues: list[ReunionPage]
    """Meetings already fixed after the day."""
    insertion: list[InsertionPage]
    semestres: int
    """Semester records the insertion figures add up."""


def bodies(charter: Charter, day: dt.date) -> list[InstancePage]:
    """Each body, its rhythm and members, its last meeting and whether it is late."""
    out = []
    for status in body_statuses(charter, day):
        body = status.instance
        late = None
        if status.en_retard and status.limite is not None:
            since = (f"depuis le {format_date(status.derniere.date)}" if status.derniere
                     else "depuis le début de la charte")
            late = f"aucune réunion consignée {since} : en retard depuis le {format_date(status.limite)}"
        out.append(InstancePage(
            body.id, body.nom, RHYTHMS[body.frequence] if body.frequence else "sans rythme fixé",
            [charter.party_name(m) for m in body.membres],
            " ".join(body.description.split()) if body.description else None,
            format_date(status.derniere.date) if status.derniere else "aucune réunion consignée",
            late, format_date(status.programmee.date) if status.programmee else None))
    return out


def meetings(charter: Charter, day: dt.date) -> tuple[list[ReunionPage], list[ReunionPage]]:
    """The meetings recorded: held up to ``day`` (newest first), and fixed after it (soonest first)."""
    names = {i.id: i.nom for i in charter.charte.instances} if charter.charte else {}
    quartiers = {q.id: q.nom for q in charter.quartiers}
    rows = [ReunionPage(r.date, names.get(r.instance, r.instance),
                        ", ".join(quartiers.get(q, q) for q in r.quartiers) or "toute la charte")
            for r in sorted(charter.reunions, key=lambda r: (r.date, r.instance))]
    held = [r for r in rows if r.date <= day]
    return held[::-1], [r for r in rows if r.date > day]


def insertion(charter: Charter) -> tuple[list[InsertionPage], int]:
    """Each insertion objective with the cumulated hours and rate of the records seen on the day."""
    records = sorted(charter.insertion.semestres, key=lambda r: r.semestre) if charter.insertion else []
    out = []
    for objective in objectives(charter.charte):
        reached = attainment(objective, records)
        heures = None
        if records:
            first, last = records[0].semestre, records[-1].semestre
            span = f"{first} à {last}" if first != last else first
            heures = f"{format_number(reached.heures)} heures d’insertion ({span})"
        if not records:
            taux = "aucun semestre transmis"
        elif reached.taux is None:
            taux = ("taux non calculable : heures totales des marchés non renseignées pour "
                    + ", ".join(reached.sans_base))
        else:
            taux = f"{format_number(round(reached.taux, 1))} % des heures"
        out.append(InsertionPage(objective.label, objective.texte, heures, taux))
    return out, len(records)


def governance(charter: Charter, day: dt.date) -> Gouvernance:
    """The governance page's content."""
    held, fixed = meetings(charter, day)
    lines, count = insertion(charter)
    return Gouvernance(bodies(charter, day), held, fixed, lines, count)
