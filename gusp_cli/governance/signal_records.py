"""Signalements as flat records: the JSON/CSV of ``gusp signals list`` and of the agenda's veille.

Field names never change (a field may be added): ``id``, ``date``, ``quartier``, ``secteur``,
``lieu``, ``theme``, ``description``, ``source``, ``responsable``, ``etat``; then names in French,
where it was relayed, the actions it is linked to, how long it has been open, and where it stands
in the ascent of the bodies (:mod:`gusp_cli.governance.veille`) on the reference date.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from gusp_cli.governance.veille import Standing, ascent, standing
from gusp_cli.model.charter import Charter
from gusp_cli.model.signals import SOURCE_LABELS, STATE_LABELS, resolved_on, transmitted_to
from gusp_cli.track.signals import party_names, responsible_actors

if TYPE_CHECKING:
    from gusp_cli.model.models import Instance

CSV_COLUMNS = ("id", "date", "quartier", "secteur", "lieu", "theme", "description", "source", "responsable",
               "responsable_noms", "etat", "etat_libelle", "transmis_a", "action", "actions", "jours",
               "niveau", "instance", "remontee", "dernier_suivi_date", "dernier_suivi_note")
"""The columns of ``gusp signals list --format csv``."""


def record(charter: Charter, signal: Any, day: dt.date, chain: list[Instance] | None = None
           ) -> dict[str, Any]:
    """The record of one signalement on ``day``."""
    chain = ascent(charter) if chain is None else chain
    quartier = charter.quartier(signal.quartier)
    sector = next((s for s in quartier.secteurs if s.id == signal.secteur), None) if quartier else None
    found = standing(charter, signal, day, chain)
    solved = resolved_on(signal)
    last = signal.suivi[-1] if signal.suivi else None
    return {
        "id": signal.id, "date": signal.date.isoformat(), "quartier": signal.quartier,
        "secteur": signal.secteur, "lieu": signal.lieu, "theme": signal.theme,
        "description": signal.description, "source": signal.source.value, "responsable": signal.responsable,
        "etat": signal.etat.value,
        "quartier_nom": quartier.nom if quartier else signal.quartier,
        "secteur_nom": sector.nom if sector else None,
        "source_libelle": SOURCE_LABELS[signal.source],
        "responsable_acteurs": responsible_actors(charter, signal),
        "responsable_noms": party_names(charter, signal),
        "etat_libelle": STATE_LABELS[signal.etat],
        "transmis_a": transmitted_to(signal),
        "actions": list(signal.actions), "action": signal.action,
        "resolu_le": solved.isoformat() if solved else None,
        "jours": ((solved or day) - signal.date).days,
        **escalation(found, chain),
        "dernier_suivi_date": last.date.isoformat() if last else None,
        "dernier_suivi_note": last.note if last else None,
        "suivi": [e.model_dump(mode="json", exclude_none=True) for e in signal.suivi],
    }


def escalation(found: Standing | None, chain: list[Instance]) -> dict[str, Any]:
    """Where it stands in the ascent: level, body, since when, in words, when it goes up next."""
    if found is None:
        return {"niveau": None, "instance": None, "instance_nom": None, "remontee": None,
                "a_remonter": False, "depuis": None, "remonte_apres": None}
    return {"niveau": found.level, "instance": found.body.id, "instance_nom": found.body.nom,
            "remontee": found.words(chain), "a_remonter": found.escalated,
            "depuis": found.since.isoformat(),
            "remonte_apres": found.next_at.isoformat() if found.next_at else None}


def records(charter: Charter, signals: list[Any], day: dt.date) -> list[dict[str, Any]]:
    """The records of several signalements, in the given order."""
    chain = ascent(charter)
    return [record(charter, s, day, chain) for s in signals]


def csv_row(row: dict[str, Any]) -> dict[str, Any]:
    """A record as a CSV row: lists joined, the latest note kept."""
    flat = dict(row)
    flat["responsable_noms"] = ", ".join(row["responsable_noms"])
    flat["actions"] = ", ".join(row["actions"])
    return flat
