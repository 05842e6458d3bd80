"""The charter as open data: a Frictionless Data Package (``donnees/``) of UTF-8 CSV files.

Each resource has its Table Schema (fields described in French, primary and foreign keys); the
package names its licence (Licence Ouverte 2.0 by default), its producer (the charter's owner) and
the date of the data; ``schema/`` holds a copy of each Table Schema, for others to adopt. The CSV
files follow the open-data convention (UTF-8 without BOM, ``,``, CRLF, a header line); the
Excel-French CSV stays ``gusp export``'s job. A text a spreadsheet would run as a formula gets a
``'`` before it (:func:`gusp_cli.french.markup.cell_inert`), as in every export of gusp.

Only what the site shows is here: public follow-up (:mod:`gusp_cli.publish.public`), meetings by
date, body and quartiers.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from gusp_cli.french.dates import STATUS_LABELS
from gusp_cli.french.markup import cell_inert
from gusp_cli.model.charter import Charter, Entry
from gusp_cli.model.vocabulary import Frequence, Statut, TypeActeur
from gusp_cli.publish import paths
from gusp_cli.publish.pages import Licence
from gusp_cli.publish.progress import ETAT_SINGULIER, ETATS, barre, etat
from gusp_cli.publish.public import NATURES, last_update, public_entries

FORMULA_NOTE = ("Un texte qui commencerait par =, +, - ou @ est précédé d'une apostrophe, pour qu'un tableur "
                "ne l'exécute pas comme une formule.")


@dataclass(frozen=True)
class Champ:
    """A field of a Table Schema."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: Sequence[str] = ()
    pattern: str | None = None

    def descriptor(self) -> dict[str, Any]:
        """The field as Table Schema writes it."""
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass
class Ressource:
    """A table of the package: its schema and its rows."""

    name: str
    title: str
    description: str
    fields: list[Champ]
    primary_key: list[str]
    foreign_keys: list[tuple[list[str], str, list[str]]] = field(default_factory=list)
    """(fields, resource, its fields)."""
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def path(self) -> str:
        """``actions.csv``."""
        return f"{self.name}.csv"

    def schema(self) -> dict[str, Any]:
        """Its Table Schema."""
        out: dict[str, Any] = {"fields": [f.descriptor() for f in self.fields], "missingValues": [""],
                               "primaryKey": self.primary_key}
        if self.foreign_keys:
            out["foreignKeys"] = [{"fields": mine, "reference": {"resource": other, "fields": theirs}}
                                  for mine, other, theirs in self.foreign_keys]
        return out

    def csv(self) -> bytes:
        """The CSV file: UTF-8, ``,``, CRLF, a header line."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow([f.name for f in self.fields])
        kinds = [(f.name, f.type) for f in self.fields]
        for row in self.rows:
            writer.writerow([_cell(row.get(name), kind) for name, kind in kinds])
        return buffer.getvalue().encode("utf-8")


def _cell(value: Any, kind: str) -> str:
    """A value as the Table Schema type reads it; empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return cell_inert(text) if kind == "string" else text


ID_PATTERN = r"[a-z][a-z0-9_]*"
ACTION_PATTERN = r"[A-Z]{2,5}-[0-9]{3,}"
STATUTS = [s.value for s in Statut]
COUNT_COLUMNS = {"realisee": "realisees", "abandonnee": "abandonnees"}
"""The column counting a category, when it is not the category's key (« realisees »)."""
COUNTS = [("actions", "Nombre d'actions.")] + [
    (COUNT_COLUMNS.get(cle, cle),
     f"Actions {libelle} à la date des données." if cle != "a_renseigner"
     else "Actions dont l'échéance est passée sans que rien ne soit consigné, à la date des données.")
    for cle, libelle in ETATS]


# ----------------------------------------------------------------------------- the resources


def quartiers(charter: Charter, day: dt.date) -> Ressource:
    """One row per quartier (and the charter-wide actions), with its counts on the day."""
    fields = [Champ("id", "string", "Identifiant du quartier (territoire : les actions transversales).",
                    True, pattern=ID_PATTERN),
              Champ("nom", "string", "Nom du quartier, comme la charte l'écrit.", True),
              Champ("commune", "string", "Commune."),
              Champ("territoire", "boolean", "true pour les actions transversales (ensemble du territoire).",
                    True)]
    fields += [Champ(name, "integer", text, True) for name, text in COUNTS]
    rows = []
    for quartier in charter.quartiers:
        counts = barre(charter.entries_of(quartier.id), day)
        row: dict[str, Any] = {"id": quartier.id, "nom": quartier.nom, "commune": quartier.commune,
                               "territoire": charter.is_territory(quartier), "actions": counts.total}
        for (cle, _), (name, _) in zip(ETATS, COUNTS[1:], strict=True):
            row[name] = counts.nombre(cle)
        rows.append(row)
    return Ressource("quartiers", "Quartiers", "Les quartiers de la charte et l'avancement de leurs actions.",
                     fields, ["id"], rows=rows)


def acteurs(charter: Charter) -> Ressource:
    """The registry of parties."""
    fields = [Champ("id", "string", "Identifiant de la partie.", True, pattern=ID_PATTERN),
              Champ("nom", "string", "Nom.", True),
              Champ("sigle", "string", "Sigle."),
              Champ("type", "string", "Nature de la partie.", True, enum=[t.value for t in TypeActeur]),
              Champ("identifie", "boolean", "false pour une partie pas encore identifiée (futurs "
                    "promoteurs…).", True)]
    rows = [{"id": a.id, "nom": a.nom, "sigle": a.sigle, "type": a.type.value, "identifie": a.identifie}
            for a in charter.actors.values()]
    return Ressource("acteurs", "Parties", "Les parties de la charte (collectivités, bailleurs, "
                     "associations…).", fields, ["id"], rows=rows)


def instances(charter: Charter) -> Ressource:
    """The governance bodies."""
    fields = [Champ("id", "string", "Identifiant de l'instance.", True, pattern=ID_PATTERN),
              Champ("nom", "string", "Nom.", True),
              Champ("rythme", "string", "Rythme des réunions ; vide : sans rythme fixé.",
                    enum=[f.value for f in Frequence])]
    assert charter.charte is not None
    rows = [{"id": i.id, "nom": i.nom, "rythme": i.frequence.value if i.frequence else None}
            for i in charter.charte.instances]
    return Ressource("instances", "Instances", "Les instances de gouvernance de la charte.", fields, ["id"],
                     rows=rows)


def action_fields() -> list[Champ]:
    """The fields of ``actions.csv``."""
    return [
        Champ("id", "string", "Identifiant stable de l'action, jamais réutilisé.", True,
              pattern=ACTION_PATTERN),
        Champ("quartier", "string", "Quartier (identifiant, voir quartiers.csv).", True, pattern=ID_PATTERN),
        Champ("tableau", "string", "Tableau d'actions, comme la charte le titre.", True),
        Champ("phase", "string", "Phase du tableau (identifiant) ; vide pour une charte sans phases."),
        Champ("phase_nom", "string", "Phase du tableau, en clair."),
        Champ("secteur", "string", "Secteur du quartier que couvre le tableau (nom) ; vide : tout le "
              "quartier."),
        Champ("theme", "string", "Thème sous lequel se range le tableau."),
        Champ("numero", "string", "Numéro de l'action dans son tableau (1, ou 1.2.3).", True),
        Champ("libelle", "string", "Libellé de l'action, dans les mots de la charte.", True),
        Champ("responsables", "string", "Parties responsables, par leur nom, séparées par « ; » (le détail "
              "par partie : responsables.csv)."),
        Champ("echeance", "string", "Échéance telle que la charte l'écrit."),
        Champ("echeance_date", "date", "Date à laquelle l'action est due (fin de la période écrite) ; vide : "
              "sans échéance ou action continue."),
        Champ("frequence", "string", "Rythme d'une action continue.", enum=[f.value for f in Frequence]),
        Champ("statut", "string", "Statut consigné ; vide : non renseigné.", enum=STATUTS),
        Champ("statut_libelle", "string", "Statut, en clair.", True),
        Champ("date_realisation", "date", "Date de réalisation."),
        Champ("etat", "string", "Où en est l'action à la date des données : realisee, en_cours (dans les "
              "délais), en_retard (un statut ou un suivi est consigné), a_renseigner (échéance passée, "
              "rien de consigné), a_venir, abandonnee.", True, enum=[cle for cle, _ in ETATS]),
        Champ("etat_libelle", "string", "État, en clair.", True),
        Champ("en_retard_depuis", "date", "Date depuis laquelle l'action est en retard (due, ou fin de la "
              "dernière période suivie pour une action continue) ; vide : à l'heure."),
        Champ("derniere_mise_a_jour", "date", "Date de la dernière entrée de son suivi."),
        Champ("page", "string", "Page de l'action sur le site, relative à sa racine.", True),
    ]


def action_row(charter: Charter, entry: Entry, day: dt.date) -> dict[str, Any]:
    """One row of ``actions.csv``."""
    action, tableau = entry.action, entry.tableau
    late = entry.lateness(day)
    category = etat(entry, day)
    secteur = next((s.nom for s in entry.quartier.secteurs if s.id == tableau.secteur), tableau.secteur)
    quartier = charter.quartier(entry.quartier.id) or entry.quartier
    return {
        "id": action.id, "quartier": quartier.id, "tableau": tableau.titre, "phase": tableau.phase,
        "phase_nom": charter.phase_name(tableau.phase) if tableau.phase else None, "secteur": secteur,
        "theme": tableau.theme, "numero": action.numero, "libelle": action.libelle,
        "responsables": charter.party_names(list(action.responsables), entry.quartier, "; "),
        "echeance": action.echeance, "echeance_date": entry.due,
        "frequence": action.frequence.value if action.frequence else None,
        "statut": action.statut.value if action.statut else None,
        "statut_libelle": STATUS_LABELS[action.statut.value if action.statut else None],
        "date_realisation": action.date_realisation, "etat": category,
        "etat_libelle": ETAT_SINGULIER[category],
        "en_retard_depuis": late.since if late else None, "derniere_mise_a_jour": last_update(action),
        "page": paths.action_path(action.id).removesuffix("index.html"),
    }


def actions(charter: Charter, day: dt.date) -> Ressource:
    """One row per action, in the charter's order."""
    return Ressource("actions", "Actions", "Les actions numérotées de la charte et où elles en sont.",
                     action_fields(), ["id"], [(["quartier"], "quartiers", ["id"])],
                     [action_row(charter, e, day) for e in charter.entries])


def responsables(charter: Charter) -> Ressource:
    """One row per action and responsible party (roles resolved in the action's quartier)."""
    fields = [Champ("action", "string", "Action (voir actions.csv).", True, pattern=ACTION_PATTERN),
              Champ("acteur", "string", "Partie responsable (voir acteurs.csv).", True, pattern=ID_PATTERN),
              Champ("au_titre_de", "string", "Le rôle par lequel la charte la nomme (ville, bailleur…) ; "
                    "vide : nommée directement.", pattern=ID_PATTERN),
              Champ("pilote", "boolean", "true pour la partie qui pilote l'action.", True)]
    rows = []
    for entry in charter.entries:
        seen: set[str] = set()
        for party in entry.action.responsables:
            for actor in charter.actor_ids(party, entry.quartier):
                if actor in seen or actor not in charter.actors:
                    continue
                seen.add(actor)
                rows.append({"action": entry.id, "acteur": actor,
                             "au_titre_de": party if party != actor else None,
                             "pilote": party == entry.action.pilote})
    return Ressource("responsables", "Responsables", "Qui est responsable de chaque action.", fields,
                     ["action", "acteur"], [(["action"], "actions", ["id"]), (["acteur"], "acteurs", ["id"])],
                     rows)


def suivi(charter: Charter) -> Ressource:
    """The public follow-up of every action (notes only when marked public)."""
    fields = [Champ("action", "string", "Action (voir actions.csv).", True, pattern=ACTION_PATTERN),
              Champ("rang", "integer", "Rang de l'entrée dans le suivi de l'action, de la plus ancienne "
                    "(1) à la plus récente.", True),
              Champ("date", "date", "Date de l'entrée.", True),
              Champ("nature", "string", "Ce que l'entrée consigne : statut, avenant (un champ modifié), "
                    "ajout (action ajoutée à la charte), note (note publique), mise_a_jour (note non "
                    "publiée).", True, enum=list(NATURES)),
              Champ("statut", "string", "Statut pris ce jour-là.", enum=STATUTS),
              Champ("champ", "string", "Pour un avenant : le champ modifié (echeance, libelle, "
                    "responsables)."),
              Champ("ancienne_valeur", "string", "Pour un avenant : l'ancienne valeur."),
              Champ("nouvelle_valeur", "string", "Pour une échéance ou un libellé modifiés : la nouvelle "
                    "valeur."),
              Champ("motif", "string", "Raison de l'avenant."),
              Champ("note", "string", "La note, quand elle est publique (public: true dans le suivi) ; "
                    "les autres ne sont pas publiées.")]
    rows = [{"action": entry.id, "rang": item.rang, "date": item.date, "nature": item.nature,
             "statut": item.statut, "champ": item.champ, "ancienne_valeur": item.ancienne_valeur,
             "nouvelle_valeur": item.nouvelle_valeur, "motif": item.motif, "note": item.note}
            for entry in charter.entries for item in public_entries(entry.action)]
    return Ressource("suivi", "Suivi", "Le suivi public des actions : statuts, avenants et notes publiques.",
                     fields, ["action", "rang"], [(["action"], "actions", ["id"])], rows)


def reunions(charter: Charter, day: dt.date) -> Ressource:
    """The recorded meetings: date, body and quartiers (never the participants)."""
    fields = [Champ("numero", "integer", "Numéro de la réunion, dans l'ordre des dates.", True),
              Champ("date", "date", "Date de la réunion.", True),
              Champ("instance", "string", "Instance (voir instances.csv).", True, pattern=ID_PATTERN),
              Champ("quartiers", "string", "Quartiers traités (identifiants séparés par des espaces) ; "
                    "vide : toute la charte."),
              Champ("tenue", "boolean", "true pour une réunion tenue à la date des données, false pour une "
                    "réunion déjà fixée.", True)]
    meetings = sorted(charter.reunions, key=lambda r: (r.date, r.instance, tuple(r.quartiers)))
    rows = [{"numero": n, "date": r.date, "instance": r.instance, "quartiers": " ".join(r.quartiers) or None,
             "tenue": r.date <= day} for n, r in enumerate(meetings, 1)]
    return Ressource("reunions", "Réunions", "Les réunions des instances consignées : date, instance et "
                     "quartiers.", fields, ["numero"], [(["instance"], "instances", ["id"])], rows)


def resources(charter: Charter, day: dt.date) -> list[Ressource]:
    """Every resource of the package, referenced ones first."""
    return [quartiers(charter, day), acteurs(charter), instances(charter), actions(charter, day),
            responsables(charter), suivi(charter), reunions(charter, day)]


# ----------------------------------------------------------------------------- the package


def package_name(charter: Charter) -> str:
    """``gusp-agglo-2019``: lower-case letters, digits, ``-``, ``_``, ``.`` only."""
    assert charter.charte is not None
    name = f"gusp-{charter.charte.porteur}-{charter.charte.periode.debut}".lower()
    return re.sub(r"[^a-z0-9._-]+", "-", name)


@dataclass
class Paquet:
    """The data package: its resources (for the data page) and its files."""

    ressources: list[Ressource]
    files: dict[str, bytes]
    """By path inside ``donnees/``: the CSV files, ``datapackage.json``, ``schema/<resource>.json``."""


def package(charter: Charter, day: dt.date, licence: Licence, producer: str,
            base_url: str | None = None) -> Paquet:
    """The data package of the charter seen on ``day``."""
    assert charter.charte is not None
    out: dict[str, bytes] = {}
    described = []
    tables = resources(charter, day)
    for resource in tables:
        data = resource.csv()
        out[resource.path] = data
        schema = resource.schema()
        out[f"schema/{resource.name}.json"] = _json(schema)
        described.append({"name": resource.name, "path": resource.path, "profile": "tabular-data-resource",
                          "title": resource.title, "description": resource.description, "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "bytes": len(data),
                          "hash": "sha256:" + hashlib.sha256(data).hexdigest(), "schema": schema})
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package", "name": package_name(charter),
        "title": charter.charte.titre,
        "description": (f"Les actions de la charte de gestion urbaine et sociale de proximité, leur suivi "
                        f"public et ses réunions, au {day.isoformat()}. {FORMULA_NOTE}"),
        "keywords": ["GUSP", "gestion urbaine et sociale de proximité", "politique de la ville",
                     "renouvellement urbain"],
        "licenses": [{"name": licence.id, "path": licence.url, "title": licence.titre}],
        "contributors": [{"title": producer, "role": "publisher"}],
        "date_des_donnees": day.isoformat(),
    }
    if base_url:
        descriptor["homepage"] = base_url.rstrip("/") + "/"
    descriptor["resources"] = described
    out["datapackage.json"] = _json(descriptor)
    return Paquet(tables, out)


def _json(value: Any) -> bytes:
    """Stable JSON: UTF-8, two-space indent, a final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
