"""Actions as flat records: the stable JSON/CSV contract for scripts.

Contract fields (names never change): ``id``, ``quartier``, ``secteur``, ``theme``, ``tableau``,
``phase``, ``numero``, ``libelle``, ``responsables`` (ids), ``echeance`` (as written or null),
``echeance_date`` (ISO or null), ``statut`` (null when unreported). Extra fields follow; with a
reference date, the lateness: ``en_retard``, ``jours_de_retard``, ``retard_texte`` (« 7 ans 11
mois »), ``retard_groupe`` (``avec_suivi``: a real delay; ``a_renseigner``: past its échéance with
nothing recorded) and ``retard_regle`` (``echeance``, ``pas_mis_en_place``, ``sans_suivi``). Then the latest
follow-up, appended as the workbook shows it: ``dernier_suivi_date``, ``dernier_suivi_note``,
``dernier_suivi_auteur``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from gusp_cli.french.dates import STATUS_LABELS, delay_words
from gusp_cli.model.charter import Charter, Entry

JSON_VERSION = 1
"""Version of the JSON documents gusp writes (``version``, first key of each): it changes when a
field is renamed or removed, never when one is added. Each command's document is described by a
JSON Schema in ``schemas/sorties/`` (:mod:`gusp_cli.exchange.json_schemas`)."""

CONTRACT = ("id", "quartier", "secteur", "theme", "tableau", "phase", "numero", "libelle",
            "responsables", "echeance", "echeance_date", "statut")


def record(charter: Charter, entry: Entry, as_of: dt.date | None = None) -> dict[str, Any]:
    """Return the record of one action; with ``as_of``, add ``en_retard`` and ``jours_de_retard``."""
    action, quartier, tableau = entry.action, entry.quartier, entry.tableau
    sector = next((s for s in quartier.secteurs if s.id == tableau.secteur), None)
    data: dict[str, Any] = {
        "id": action.id,
        "quartier": quartier.id,
        "secteur": tableau.secteur,
        "theme": tableau.theme,
        "tableau": tableau.titre,
        "phase": tableau.phase,
        "numero": action.numero,
        "libelle": action.libelle,
        "responsables": list(action.responsables),
        "echeance": action.echeance,
        "echeance_date": entry.due.isoformat() if entry.due else None,
        "statut": action.statut.value if action.statut else None,
        "statut_libelle": STATUS_LABELS[action.statut.value if action.statut else None],
        "quartier_nom": quartier.nom,
        "phase_nom": charter.phase_name(tableau.phase) if tableau.phase else None,
        "secteur_nom": sector.nom if sector else None,
        "responsables_noms": [charter.party_name(p, quartier) for p in action.responsables],
        "date_realisation": action.date_realisation.isoformat() if action.date_realisation else None,
        "etiquettes": list(action.etiquettes),
        "frequence": action.frequence.value if action.frequence else None,
        **latest_follow_up(action),
        "pilote": action.pilote,
        "pilote_nom": charter.party_name(action.pilote, quartier) if action.pilote else None,
        "objectif": action.objectif or tableau.objectif,
        "public_cible": action.public_cible,
        "localisation": action.localisation,
        "cout_prevu": action.moyens.cout_prevu if action.moyens else None,
        "financements": [{"financeur": charter.party_name(f.financeur) if f.financeur in charter.actors
                          else f.financeur, "montant": f.montant}
                         for f in (action.moyens.financements if action.moyens else [])],
        "indicateurs": [indicator(i) for i in action.indicateurs],
    }
    if as_of is not None:
        data.update(lateness_fields(entry, as_of))
    return data


def indicator(item: Any) -> dict[str, Any]:
    """An indicator for the record: label, unit, target and its latest value with its date."""
    latest = max(item.valeurs, key=lambda v: v.date) if item.valeurs else None
    return {"libelle": item.libelle, "unite": item.unite, "cible": item.cible,
            "derniere_valeur": latest.valeur if latest else None,
            "date_derniere_valeur": latest.date.isoformat() if latest else None}


def lateness_fields(entry: Entry, as_of: dt.date) -> dict[str, Any]:
    """Whether, since when and why the action is late on ``as_of``, for the record."""
    late = entry.lateness(as_of)
    if late is None:
        return {"en_retard": False, "jours_de_retard": 0, "retard_texte": None, "retard_groupe": None,
                "retard_regle": None}
    return {"en_retard": True, "jours_de_retard": late.days(as_of),
            "retard_texte": delay_words(late.since, as_of),
            "retard_groupe": "avec_suivi" if entry.reported(as_of) else "a_renseigner",
            "retard_regle": late.rule}


def records(charter: Charter, entries: list[Entry], as_of: dt.date | None = None) -> list[dict[str, Any]]:
    """Records of several entries, in the given order."""
    return [record(charter, e, as_of) for e in entries]


def latest_follow_up(action: Any) -> dict[str, Any]:
    """The action's latest follow-up entry: its date, its note (or the amendment's motif), who."""
    last = action.suivi[-1] if action.suivi else None
    return {
        "dernier_suivi_date": last.date.isoformat() if last else None,
        "dernier_suivi_note": (last.note or last.motif) if last else None,
        "dernier_suivi_auteur": last.auteur if last else None,
    }


def suivi_record(entry: Any) -> dict[str, Any]:
    """A follow-up entry as written: empty keys left out, and ``public`` only when true (its
    default, false, is not written in the YAML either)."""
    data: dict[str, Any] = entry.model_dump(mode="json", exclude_none=True)
    if not data.get("public"):
        data.pop("public", None)
    return data


def document(**fields: Any) -> dict[str, Any]:
    """A JSON document as gusp writes it: ``version`` first, then ``fields`` in order."""
    return {"version": JSON_VERSION, **fields}
