"""The published JSON Schemas of gusp's ``--format json`` documents, one per command.

Scripts read gusp's JSON; these schemas say exactly what they get: every key, its type, what it
means, in French. Each document starts with ``version`` (:data:`gusp_cli.track.records.JSON_VERSION`);
objects refuse unknown keys, so that a field added to a command without its schema fails the test
that validates every command's real output against its schema (``tests/exchange/
test_json_schemas.py``), which also checks that ``schemas/sorties/`` holds exactly these files.
Draft-07, like the charter's schemas.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from gusp_cli.track.records import JSON_VERSION

DRAFT = "http://json-schema.org/draft-07/schema#"
FOLDER = "sorties"
"""Where the schemas are published, below ``schemas/``."""

Schema = dict[str, Any]


def _typed(kind: str | list[str], description: str, **more: Any) -> Schema:
    return {"type": kind, "description": description, **more}


def _kind(kind: str | list[str], **more: Any) -> Callable[[str], Schema]:
    """A maker of values of one JSON type, each with its French description."""
    return lambda description: _typed(kind, description, **more)


text, maybe_text = _kind("string"), _kind(["string", "null"])
integer, maybe_integer = _kind("integer"), _kind(["integer", "null"])
number, maybe_number = _kind("number"), _kind(["number", "null"])
boolean, maybe_boolean = _kind("boolean"), _kind(["boolean", "null"])
date, maybe_date = _kind("string", format="date"), _kind(["string", "null"], format="date")
"""Values of each type, and the same or null."""


def texts(description: str) -> Schema:
    """A list of texts."""
    return _typed("array", description, items={"type": "string"})


def listed(description: str, item: Schema) -> Schema:
    """A list of ``item``."""
    return _typed("array", description, items=item)


def table(description: str, properties: dict[str, Schema], optional: tuple[str, ...] = ()) -> Schema:
    """An object with exactly these keys (those in ``optional`` may be absent)."""
    return {"type": "object", "description": description, "properties": properties,
            "required": [k for k in properties if k not in optional], "additionalProperties": False}


def maybe(schema: Schema) -> Schema:
    """``schema``, or null."""
    return {"description": schema["description"], "anyOf": [schema, {"type": "null"}]}


# --------------------------------------------------------------------------- shared pieces

RECORD = table("Une action, selon le contrat JSON/CSV de gusp (noms stables).", {
    "id": text("Identifiant stable de l'action (ABC-042)."),
    "quartier": text("Identifiant du quartier (territoire : une action transversale)."),
    "secteur": maybe_text("Identifiant du secteur du tableau ; null : tout le quartier."),
    "theme": maybe_text("Bloc thématique du tableau, tel qu'écrit."),
    "tableau": text("Intitulé du tableau d'actions."),
    "phase": maybe_text("Identifiant de la phase du tableau (une phase de la charte) ; null : charte "
                        "sans phases."),
    "numero": _typed(["integer", "string"], "Numéro de l'action dans son tableau : un entier, ou un "
                     "numéro hiérarchique en texte (« 1.2.3 »)."),
    "libelle": text("Libellé de l'action."),
    "responsables": texts("Identifiants des parties responsables (acteurs ou rôles)."),
    "echeance": maybe_text("Échéance telle qu'écrite ; null : aucune."),
    "echeance_date": maybe_date("Date à laquelle l'action est due (fin de la période écrite) ; null : "
                                "sans échéance, ou échéance continue (en continu, chaque année…)."),
    "statut": _typed(["string", "null"], "Statut ; null : non renseigné.",
                     enum=["a_faire", "en_cours", "realisee", "abandonnee", "reportee", None]),
    "statut_libelle": text("Le statut en français (« non renseigné » quand il manque)."),
    "quartier_nom": text("Nom du quartier."),
    "phase_nom": maybe_text("Nom de la phase."),
    "secteur_nom": maybe_text("Nom du secteur."),
    "responsables_noms": texts("Noms des parties responsables, rôles résolus dans le quartier."),
    "date_realisation": maybe_date("Date de réalisation."),
    "etiquettes": texts("Étiquettes libres."),
    "frequence": maybe_text("Rythme d'une action continue (hebdomadaire... annuelle) ; null : action "
                            "ponctuelle."),
    "pilote": maybe_text("Identifiant de la partie qui pilote l'action (acteur ou rôle) ; null : aucune."),
    "pilote_nom": maybe_text("Nom du pilote, rôle résolu dans le quartier."),
    "objectif": maybe_text("Identifiant de l'objectif de la charte que sert l'action (le sien, sinon "
                           "celui de son tableau)."),
    "public_cible": maybe_text("Public visé."),
    "localisation": maybe_text("Où l'action a lieu."),
    "cout_prevu": maybe_number("Coût prévu, en euros."),
    "financements": listed("Financements de l'action.", table("Un financement.", {
        "financeur": text("Qui finance (nom d'un acteur du registre, ou le texte écrit)."),
        "montant": number("Montant, en euros."),
    })),
    "indicateurs": listed("Indicateurs de résultat.", table("Un indicateur, avec sa dernière valeur.", {
        "libelle": text("Ce qui est mesuré."),
        "unite": maybe_text("Unité."),
        "cible": _typed(["number", "string", "null"], "Valeur visée."),
        "derniere_valeur": _typed(["number", "string", "null"], "Dernière valeur consignée."),
        "date_derniere_valeur": maybe_date("Date de cette valeur."),
    })),
    "dernier_suivi_date": maybe_date("Date de la dernière entrée du suivi."),
    "dernier_suivi_note": maybe_text("Sa note (ou, pour un avenant, son motif)."),
    "dernier_suivi_auteur": maybe_text("Qui l'a rapportée."),
    "en_retard": boolean("En retard à la date de référence (échéance dépassée, ni réalisée ni abandonnée)."),
    "jours_de_retard": integer("Jours de retard à la date de référence (0 sinon)."),
    "retard_texte": maybe_text("Le retard en mots (« 7 ans 10 mois ») ; null : à l'heure."),
    "retard_groupe": _typed(["string", "null"], "avec_suivi : un vrai retard ; a_renseigner : échéance "
                            "passée, rien de consigné ; null : à l'heure.",
                            enum=["avec_suivi", "a_renseigner", None]),
    "retard_regle": _typed(["string", "null"], "Pourquoi elle est en retard : echeance (dépassée), "
                           "pas_mis_en_place (action continue pas encore en place), sans_suivi (suivi "
                           "muet au-delà d'une période) ; null : à l'heure.",
                           enum=["echeance", "pas_mis_en_place", "sans_suivi", None]),
})

SUIVI = table("Une entrée du suivi, telle qu'écrite (les clés vides sont omises).", {
    "date": date("Date de l'entrée."),
    "statut": text("Statut pris ce jour-là."),
    "note": text("Commentaire."),
    "motif": text("Raison d'un avenant."),
    "champ": text("Champ modifié par un avenant."),
    "ancienne_valeur": text("Ancienne valeur de ce champ."),
    "auteur": text("Qui l'a rapportée."),
    "public": boolean("true : la note peut paraître sur le site des habitants (gusp publish) ; absente : "
                      "elle n'y paraît pas."),
}, optional=("statut", "note", "motif", "champ", "ancienne_valeur", "auteur", "public"))

EVALUATION = table("Le tableau d'évaluation de l'action (les clés vides sont omises).", {
    "deployee": boolean("Action déployée."),
    "cout": number("Coût, en euros."),
    "clauses_insertion_respectees": boolean("Clauses d'insertion respectées."),
    "qualite_de_vie_amelioree": boolean("Amélioration de la qualité de vie validée."),
    "commentaire": text("Commentaire."),
    "autres": _typed("object", "Les autres cases de la grille d'évaluation de la charte : identifiant → "
                     "valeur."),
}, optional=("deployee", "cout", "clauses_insertion_respectees", "qualite_de_vie_amelioree", "commentaire",
             "autres"))

COST = table("Le coût de l'action et sa source (jamais estimé).", {
    "montant": maybe_number("Coût en euros : evaluation.cout s'il est enregistré, sinon les montants "
                            "valorisés des lignes TFPB liées ; null : inconnu."),
    "origine": _typed(["string", "null"], "evaluation, tfpb, ou null (inconnu).",
                      enum=["evaluation", "tfpb", None]),
    "source": maybe_text("D'où vient le coût (« TFPB Bailleur du Centre 2025 ») ; null : inconnu."),
    "lignes_tfpb": listed("Les lignes TFPB liées à l'action qui déclarent un montant valorisé.", table(
        "Une ligne TFPB.", {
            "bailleur": text("Nom du bailleur."), "annee": integer("Année du programme."),
            "libelle": text("Libellé de la ligne."),
            "montant_valorise": number("Montant valorisé, en euros."),
            "partagee_avec": texts("Les autres actions liées à la même ligne (son montant n'est pas "
                                   "réparti).")})),
})

TFPB_TOTAL = {
    "lignes": integer("Nombre de lignes."),
    "montant_prevu": maybe_number("Somme des montants prévus, en euros ; null : aucun n'est renseigné."),
    "montant_valorise": maybe_number("Somme des montants valorisés, en euros ; null : aucun n'est "
                                     "renseigné."),
    "taux_execution": maybe_number("Valorisé sur prévu, en %, arrondi au dixième ; null : non calculable."),
    "lignes_sans_montant_valorise": integer("Lignes dont le montant valorisé n'est pas encore déclaré."),
}

TFPB_LINE = table("Une ligne du programme.", {
    "quartier": text("Identifiant du quartier."), "axe": text("Identifiant de l'axe TFPB."),
    "libelle": text("Ce qui est fait."), "actions": texts("Actions de la charte que la ligne sert."),
    "montant_prevu": maybe_number("Montant prévu, en euros."),
    "montant_valorise": maybe_number("Montant valorisé, en euros ; null : pas encore déclaré."),
    "taux_execution": maybe_number("Valorisé sur prévu, en %."),
    "quantite": maybe_number("Quantité."), "unite": maybe_text("Unité de la quantité."),
    "note": maybe_text("Note de suivi."),
})

EVALUATION_SECTION = table("L'évaluation d'un quartier, ou de l'ensemble.", {
    "quartier": text("Identifiant du quartier (ensemble : toute la sélection)."), "nom": text("Son nom."),
    "actions": integer("Nombre d'actions."),
    "evaluations_completes": integer("Actions dont toutes les cases sont renseignées."),
    "actions_deployees": texts("Actions enregistrées comme déployées."),
    "cout_enregistre": maybe_number("Somme des evaluation.cout enregistrés ; null : aucun."),
    "cout_tfpb": maybe_number("Montants valorisés des lignes TFPB liées aux actions sans coût enregistré, "
                              "chaque ligne une fois ; null : aucun."),
    "cout_total": maybe_number("Enregistré plus TFPB ; null : ni l'un ni l'autre."),
    "cases": listed("Chaque case de la grille.", table("Une case de la grille sur ces actions.", {
        "case": text("Identifiant de la case."), "libelle": text("Son intitulé."),
        "type": text("oui_non, montant, nombre ou texte."),
        "renseignees": integer("Actions dont la case est renseignée (coût : enregistré ou par la TFPB)."),
        "total": integer("Nombre d'actions."),
        "oui": integer("Cases oui."), "non": integer("Cases non."),
        "inconnu": integer("Cases non renseignées."),
        "somme": maybe_number("Somme des valeurs enregistrées ; null : aucune."),
        "depuis_tfpb": integer("Actions dont le coût vient des lignes TFPB."),
    }, optional=("oui", "non", "inconnu", "somme", "depuis_tfpb"))),
})

CHANGE = table("Un champ modifié, avec la raison tirée du suivi.", {
    "champ": text("Le champ (clé YAML ; evaluation.cout pour un champ imbriqué)."),
    "libelle": text("Son nom en français."),
    "avant": maybe_text("Valeur avant (noms des parties pour les responsables)."),
    "apres": maybe_text("Valeur après."),
    "motif": maybe_text("Motif de l'entrée de suivi qui l'explique."),
    "note": maybe_text("Pour un statut : la note de l'entrée qui l'a posé."),
})

COUNTS = {key: integer(words) for key, words in (
    ("total", "Actions."), ("ouvertes", "Ni réalisées ni abandonnées."), ("en_retard", "En retard."),
    ("realisees", "Réalisées."), ("sans_statut", "Sans statut renseigné."),
    ("conjointes", "Partagées avec au moins une autre partie."),
    ("pilotees", "Actions dont la partie est le pilote."))}

ACTIONS = {"date_reference": date("Date de référence (--as-of)."),
           "actions": listed("Les actions, dans l'ordre de la charte (ou du retard).", RECORD)}


def envelope(title: str, description: str, properties: dict[str, Schema]) -> Schema:
    """The schema of one command's document: ``version`` first, then ``properties``."""
    body = table(description, {"version": _typed("integer", "Version du format (change quand un champ est "
                                                 "renommé ou retiré, jamais quand un champ s'ajoute).",
                                                 const=JSON_VERSION), **properties})
    return {"$schema": DRAFT, "title": title, **body}


def _body(schema: Schema) -> Schema:
    """A command's schema as a branch of another (without ``$schema`` and ``title``)."""
    return {k: v for k, v in schema.items() if k not in ("$schema", "title")}


# --------------------------------------------------------------------------- the commands

MATRIX = envelope("gusp responsibilities --format json", "La matrice parties × quartiers.", {
    "quartiers": texts("Identifiants des quartiers de la sélection."),
    "parties": listed("Une ligne par partie, rôles résolus par quartier.", table("Une partie.", {
        "id": text("Identifiant de l'acteur (ou du rôle non résolu)."),
        "nom": text("Nom."),
        "identifie": boolean("false pour une partie pas encore identifiée."),
        "total": table("Ses actions, tous quartiers.", COUNTS),
        "par_quartier": {"type": "object", "description": "Ses actions par quartier.",
                         "additionalProperties": table("Ses actions dans ce quartier.", COUNTS)},
    })),
    "actions_partie_non_identifiee": texts("Actions dont une partie n'est pas encore identifiée."),
    "parties_sans_action": texts("Acteurs du registre responsables d'aucune action."),
    "plus_de_retards": texts("Parties portant le plus d'actions en retard."),
})

SIGNAL_SUIVI = table("Une entrée du suivi d'un signalement, telle qu'écrite (les clés vides sont omises).", {
    "date": date("Date de l'entrée."),
    "etat": text("État pris ce jour-là."),
    "vers": text("Pour transmis : le dispositif qui le reçoit."),
    "note": text("Commentaire."),
    "action": text("Action à laquelle l'entrée le rattache."),
    "auteur": text("Qui l'a rapportée."),
}, optional=("etat", "vers", "note", "action", "auteur"))

SIGNAL = table("Un signalement de la veille, selon le contrat JSON/CSV de gusp (noms stables).", {
    "id": text("Identifiant stable (SIG-2026-0001)."),
    "date": date("Date du constat."),
    "quartier": text("Identifiant du quartier."),
    "secteur": maybe_text("Identifiant du secteur ; null : non précisé."),
    "lieu": text("Où, tel qu'écrit."),
    "theme": text("Thème, tel qu'écrit."),
    "description": text("Ce qui a été constaté."),
    "source": _typed("string", "Comment il a été connu.", enum=["tour_de_quartier", "diagnostic_en_marchant",
                                                               "comite_de_proximite", "reunion", "habitant",
                                                               "partenaire", "autre"]),
    "responsable": maybe_text("Partie qui le traite (acteur ou rôle) ; null : non désignée."),
    "etat": _typed("string", "État à la date de référence.", enum=["ouvert", "transmis", "traite", "clos"]),
    "quartier_nom": text("Nom du quartier."),
    "secteur_nom": maybe_text("Nom du secteur."),
    "source_libelle": text("La source en français."),
    "responsable_acteurs": texts("Les acteurs qui le traitent (un rôle résolu dans le quartier)."),
    "responsable_noms": texts("Leurs noms."),
    "etat_libelle": text("L'état en français."),
    "transmis_a": maybe_text("Pour transmis : le dispositif qui le reçoit."),
    "actions": texts("Actions existantes auxquelles il se rattache."),
    "action": maybe_text("Action créée à partir de lui (gusp signals to-action)."),
    "resolu_le": maybe_date("Jour où il a été résolu (traité ou clos) ; null : pas résolu."),
    "jours": integer("Jours depuis le constat (jusqu'à sa résolution, ou la date de référence)."),
    "niveau": maybe_integer("Rang, dans la remontée des instances, de celle qui doit s'en saisir (0 : la "
                            "première) ; null : il ne remonte pas (pas ouvert, suivi par une action, "
                            "ou charte "
                            "sans remontée)."),
    "instance": maybe_text("Identifiant de cette instance."),
    "instance_nom": maybe_text("Son nom."),
    "remontee": maybe_text("Ce qui l'attend, en mots (« à remonter au comité technique »)."),
    "a_remonter": boolean("true quand il est encore ouvert après la période de la première instance."),
    "depuis": maybe_date("Jour où il est arrivé à cette instance."),
    "remonte_apres": maybe_date("Jour après lequel il remonte à l'instance suivante ; null : la dernière, ou "
                                "une instance sans rythme."),
    "dernier_suivi_date": maybe_date("Date de la dernière entrée du suivi."),
    "dernier_suivi_note": maybe_text("Sa note."),
    "suivi": listed("Entrées du suivi, de la plus ancienne à la plus récente.", SIGNAL_SUIVI),
})

SIDE = table("Une révision comparée.", {
    "revision": text("Ce qui la désigne (révision tapée, branche, « arbre de travail »)."),
    "commit": maybe_text("Son commit ; null : l'arbre de travail."),
    "libelle": text("Comment gusp la nomme."),
})

ACTOR = table("Un acteur du registre.", {
    "id": text("Identifiant."), "nom": text("Nom."), "sigle": maybe_text("Sigle."), "type": text("Nature."),
})

DIFF_ACTION = table("Une action ajoutée, supprimée ou modifiée.", {
    "id": text("Identifiant."),
    "nature": _typed("string", "Ce qui lui est arrivé.", enum=["ajoutee", "supprimee", "modifiee"]),
    "quartier": text("Identifiant du quartier."),
    "tableau": text("Tableau (avec l'identifiant de son secteur)."),
    "numero": integer("Numéro dans le tableau."),
    "libelle": text("Libellé."),
    "responsables": texts("Identifiants des parties responsables."),
    "responsables_noms": texts("Leurs noms, rôles résolus."),
    "auteurs": texts("Qui a fait le changement : auteurs du suivi, puis des commits."),
    "echeance": maybe_text("Échéance telle qu'écrite."),
    "statut": maybe_text("Statut."),
    "changements": listed("Champs modifiés.", CHANGE),
    "suivis_ajoutes": listed("Entrées de suivi ajoutées.", SUIVI),
    "suivis_supprimes": listed("Entrées de suivi retirées.", SUIVI),
})

SCHEMAS: dict[str, Schema] = {
    "overdue": envelope("gusp overdue --format json", "Les actions en retard à la date de référence.",
                        ACTIONS),
    "upcoming": envelope("gusp upcoming --format json", "Les actions ouvertes arrivant à échéance.", ACTIONS),
    "actions": envelope("gusp actions --format json", "Les actions qui passent les filtres.", ACTIONS),
    "export": envelope("gusp export --format json", "Toutes les actions de la sélection, dans l'ordre de la "
                       "charte.", ACTIONS),
    "show": envelope("gusp show --format json", "Tout sur une action.", {
        "date_reference": date("Date de référence (--as-of)."),
        **{k: v for k, v in RECORD["properties"].items()},
        "suivi": listed("Entrées du suivi, de la plus ancienne à la plus récente.", SUIVI),
        "evaluation": maybe(EVALUATION),
        "cout": COST,
        "moyens": maybe(table("Les moyens de l'action, tels qu'écrits (les clés vides sont omises).", {
            "cout_prevu": number("Coût prévu, en euros."),
            "financements": listed("Financements.", table("Un financement, tel qu'écrit.", {
                "financeur": text("Identifiant d'un acteur, ou le texte écrit."),
                "montant": number("Montant, en euros."),
            })),
            "moyens_humains": text("Moyens humains."),
        }, optional=("cout_prevu", "financements", "moyens_humains"))),
        "indicateurs": listed("Indicateurs de résultat, avec toutes leurs valeurs datées.", table(
            "Un indicateur, tel qu'écrit (les clés vides sont omises).", {
                "libelle": text("Ce qui est mesuré."),
                "unite": text("Unité."),
                "cible": _typed(["number", "string"], "Valeur visée."),
                "valeurs": listed("Valeurs datées.", table("Une valeur.", {
                    "date": date("Date de la mesure."),
                    "valeur": _typed(["number", "string"], "La valeur."),
                    "note": text("Commentaire."),
                }, optional=("note",))),
            }, optional=("unite", "cible"))),
        "signalements": listed("Signalements de la veille liés à l'action.", table("Un signalement lié.", {
            "id": text("Identifiant."),
            "lien": _typed("string", "origine : l'action a été créée à partir de lui ; rattache : il la "
                           "nomme "
                           "parmi ses actions.", enum=["origine", "rattache"]),
            "date": date("Date du constat."), "lieu": text("Lieu."), "description": text("Description."),
            "etat": text("État à la date de référence."),
        })),
    }),
    "responsibilities": {"$schema": DRAFT, "title": "gusp responsibilities --format json",
                         "description": "La matrice parties × quartiers ; avec --acteur, les actions de "
                                        "cette partie.",
                         "anyOf": [_body(MATRIX), _body(envelope("", "Les actions d'une partie.", ACTIONS))]},
    "validate": envelope("gusp validate --format json", "Les problèmes de la charte et les totaux.", {
        "valide": boolean("true quand la charte n'a aucune erreur (avertissements permis)."),
        "quartiers": integer("Quartiers lus."), "actions": integer("Actions lues."),
        "erreurs": integer("Erreurs."), "avertissements": integer("Avertissements."),
        "problemes": listed("Chaque problème, les erreurs d'abord.", table("Un problème.", {
            "fichier": maybe_text("Fichier en cause (depuis le dossier courant)."),
            "ligne": maybe_integer("Ligne."), "colonne": maybe_integer("Colonne."),
            "gravite": _typed("string", "Gravité.", enum=["erreur", "avertissement"]),
            "regle": text("Identifiant de la règle (acteur_inconnu...)."),
            "message": text("Le message, en français."),
        })),
    }),
    "diff": envelope("gusp diff --format json", "La différence sémantique de la charte entre deux "
                     "révisions.", {
        "base": SIDE, "cible": SIDE,
        "resume": table("Les totaux.", {k: integer(k.replace("_", " ")) for k in (
            "actions_ajoutees", "actions_supprimees", "actions_modifiees", "statuts_modifies",
            "echeances_modifiees", "suivis_ajoutes", "acteurs_ajoutes", "acteurs_supprimes",
            "acteurs_modifies", "quartiers_ajoutes", "quartiers_supprimes", "tableaux_ajoutes",
            "tableaux_supprimes")}),
        "quartiers": listed("Les quartiers touchés.", table("Un quartier.", {
            "id": text("Identifiant."), "nom": text("Nom."),
            "nature": _typed("string", "Ce qui lui est arrivé.", enum=["ajoute", "supprime", "modifie"]),
            "tableaux_ajoutes": texts("Tableaux ajoutés."),
            "tableaux_supprimes": texts("Tableaux supprimés."),
            "rubriques_modifiees": texts("Autres clés du fichier modifiées."),
            "actions": listed("Actions ajoutées, modifiées, supprimées.", DIFF_ACTION),
        })),
        "acteurs": table("Le registre.", {"ajoutes": listed("Acteurs ajoutés.", ACTOR),
                                          "supprimes": listed("Acteurs supprimés.", ACTOR),
                                          "modifies": listed("Acteurs modifiés.", ACTOR)}),
        "charte": table("charte.yaml.", {"rubriques_modifiees": texts("Clés modifiées.")}),
        "remarques": texts("Remarques sur la comparaison."),
    }),
    "log": envelope("gusp log --format json", "L'historique git d'une action, du plus récent au plus "
                    "ancien.", {
        "action": text("Identifiant de l'action."),
        "commits": listed("Les commits qui l'ont changée.", table("Un commit.", {
            "commit": text("Hash."), "commit_court": text("Hash court."), "date": text("Date ISO 8601."),
            "auteur": text("Auteur."), "courriel": text("Son courriel."), "sujet": text("Sujet du commit."),
            "nature": _typed("string", "Ce qu'il a fait à l'action.",
                             enum=["creation", "modification", "suppression", "illisible"]),
            "quartier": maybe_text("Quartier de l'action."), "tableau": maybe_text("Son tableau."),
            "changements": listed("Champs modifiés.", CHANGE),
            "suivis_ajoutes": listed("Entrées de suivi ajoutées.", SUIVI),
        })),
    }),
    "calendar": envelope("gusp calendar --format json", "Les réunions de la période et l'état des "
                         "instances.", {
        "date_reference": date("Date de référence (--as-of)."),
        "du": date("Premier jour de la période."), "au": date("Dernier jour."),
        "reunions": listed("Réunions enregistrées et prévues, par date.", table("Une réunion.", {
            "date": date("Date (indicative pour une réunion prévue)."),
            "instance": text("Identifiant de l'instance."), "instance_nom": text("Son nom."),
            "periode": maybe_text("Période de son rythme (2026, 2026-T1, 2026-01...) ; null : instance "
                                  "sans rythme fixé."),
            "periode_libelle": maybe_text("La période en français."),
            "etat": _typed("string", "tenue, programmee, prevue, a_tenir ou non_tenue.",
                           enum=["tenue", "programmee", "prevue", "a_tenir", "non_tenue"]),
            "etat_libelle": text("L'état en français."),
            "identifiant": text("Identifiant stable dans la charte (base de l'UID iCalendar)."),
            "heure": maybe_text("Heure de début, telle qu'écrite."), "heure_fin": maybe_text("Heure de fin."),
            "quartiers": texts("Quartiers traités."), "objet": maybe_text("Objet."),
            "decisions": listed("Décisions prises.", table("Une décision.", {
                "texte": text("La décision."), "actions": texts("Actions concernées.")})),
            "compte_rendu": maybe_text("Lien vers le compte rendu."),
        })),
        "instances": listed("Chaque instance à la date de référence.", table("Une instance.", {
            "id": text("Identifiant."), "nom": text("Nom."),
            "frequence": maybe_text("Rythme ; null : sans rythme fixé."),
            "en_retard": boolean("Sa dernière réunion date de plus d'une période + 15 jours."),
            "jours_de_retard": integer("Jours de retard (0 sinon)."),
            "derniere_reunion": maybe_date("Dernière réunion tenue."),
            "reference": date("Dernière réunion tenue, sinon début de la charte."),
            "limite": maybe_date("Date après laquelle elle est en retard ; null : sans rythme fixé."),
            "periodes_sans_reunion": integer("Périodes achevées sans réunion depuis la dernière."),
            "prochaine_programmee": maybe_date("Prochaine réunion déjà fixée."),
        })),
    }),
    "agenda": envelope("gusp agenda --format json", "Le projet d'ordre du jour de la prochaine réunion.", {
        "instance": text("Identifiant de l'instance."), "instance_nom": text("Son nom."),
        "date": date("Date de la réunion."), "origine": text("D'où vient cette date."),
        "suivante": date("Date de la réunion suivante."),
        "derniere_reunion": maybe_date("Dernière réunion tenue."),
        "membres": texts("Membres, rôles résolus."), "quartiers": texts("Quartiers retenus (vide : tous)."),
        "decisions": listed("Décisions précédentes dont des actions restent ouvertes.", table(
            "Une décision.", {"reunion": date("Date de la réunion."), "texte": text("La décision."),
                              "actions_ouvertes": texts("Ses actions encore ouvertes.")})),
        **{key: listed(words, table("Une partie et ses actions.", {
            "partie": text("Identifiant de l'acteur."), "nom": text("Son nom."),
            "actions": listed("Ses actions, au jour de la réunion.", RECORD)}))
           for key, words in (("en_retard", "Actions en retard au jour de la réunion, par partie."),
                              ("a_echeance", "Actions à échéance avant la réunion suivante, par partie."))},
        "signalements": {"description": "Pour une instance de la veille : les signalements qu'elle examine "
                                        "(la première : les ouverts, par quartier ; les suivantes : ceux à "
                                        "remonter, par partie) ; null : instance hors de la veille.",
                         "anyOf": [listed("Les groupes.", table("Un quartier ou une partie.", {
                             "groupe": maybe_text("Identifiant du quartier ou de l'acteur ; null : "
                                                  "responsable "
                                                  "non désigné."),
                             "nom": text("Son nom."),
                             "signalements": listed("Ses signalements, au jour de la réunion.", SIGNAL)})),
                                   {"type": "null"}]},
    }),
    "signals": envelope("gusp signals list --format json", "Les signalements de la veille qui passent les "
                        "filtres.", {
        "date_reference": date("Date de référence (--as-of)."),
        "signalements": listed("Les signalements, dans l'ordre du fichier.", SIGNAL),
    }),
    "insertion": envelope("gusp insertion --format json", "Les indicateurs d'insertion face aux objectifs.", {
        "date_reference": date("Date de référence (--as-of)."),
        "semestre": maybe_text("Semestre montré (AAAA-S1 ou AAAA-S2)."),
        "semestre_renseigne": boolean("Ce semestre est enregistré."),
        "cumul_de": maybe_text("Premier semestre du cumul."),
        "fichier_present": boolean("charter-data/insertion.yaml existe."),
        "semestres_enregistres": integer("Semestres enregistrés."),
        "indicateurs": listed("Les indicateurs du semestre et cumulés.", table("Un indicateur.", {
            "rubrique": text("Rubrique."), "indicateur": text("Indicateur."), "unite": text("Unité."),
            "semestre": maybe_number("Valeur du semestre."), "part_semestre": maybe_number("Part, en %."),
            "cumul": maybe_number("Valeur cumulée."), "part_cumul": maybe_number("Part cumulée, en %.")})),
        "objectifs": listed("Chaque objectif, mesuré sur le semestre et sur le cumul.", table(
            "Un objectif.", {
            "perimetre": text("travaux, gup ou ensemble."), "pourcentage": number("Objectif, en %."),
            "texte": maybe_text("L'objectif tel qu'écrit."),
            **{scope: table(f"Mesure sur {words}.", {
                "heures_insertion": number("Heures d'insertion."),
                "heures_marches": maybe_number("Heures des marchés (null : pas toutes renseignées)."),
                "taux": maybe_number("Taux, en % (null : non calculable)."),
                "atteint": maybe_boolean("Objectif atteint (null : non calculable)."),
                "semestres_sans_heures_marches": texts("Semestres sans heures de marchés.")})
               for scope, words in (("semestre", "le semestre"), ("cumul", "le cumul"))},
        })),
        "semestres_attendus": texts("Semestres dus jusqu'au dernier achevé."),
        "semestres_manquants": texts("Semestres dus non enregistrés."),
        "indicateurs_charte": texts("Indicateurs à transmettre, selon la charte."),
    }),
    "tfpb": envelope("gusp tfpb --format json", "Les programmes TFPB d'une année : prévu et valorisé.", {
        "date_reference": date("Date de référence (--as-of)."),
        "annee": integer("Année des programmes."),
        "fichier_present": boolean("charter-data/tfpb.yaml existe."),
        "programmes": listed("Un programme par bailleur.", table("Le programme d'un bailleur.", {
            "bailleur": text("Identifiant du bailleur."), "nom": text("Son nom."),
            "convention": maybe_text("La convention qu'il met en œuvre."), "note": maybe_text("Commentaire."),
            "lignes": listed("Ses lignes (filtrées par --quartier).", TFPB_LINE),
            "total": table("Ses totaux.", TFPB_TOTAL)})),
        "par_axe": listed("Chaque axe TFPB de la charte.", table("Les totaux d'un axe.", {
            "axe": text("Identifiant de l'axe."), "numero": maybe_integer("Son numéro."),
            "nom": text("Son nom."),
            **TFPB_TOTAL})),
        "par_quartier": listed("Chaque quartier.", table("Les totaux d'un quartier.", {
            "quartier": text("Identifiant du quartier."), "nom": text("Son nom."), **TFPB_TOTAL})),
        "total": table("Les totaux de la sélection.", TFPB_TOTAL),
        "sans_programme": texts("Bailleurs de la charte sans programme enregistré pour l'année."),
        "annees_enregistrees": _typed("array", "Années pour lesquelles tfpb.yaml a un programme.",
                                      items={"type": "integer"}),
    }),
    "evaluation": envelope("gusp evaluation --format json",
                           "Le tableau d'évaluation de la charte, par quartier.", {
        "date_reference": date("Date de référence (--as-of)."),
        "grille": listed("La grille d'évaluation de la charte.", table("Une case.", {
            "case": text("Identifiant."), "libelle": text("Intitulé."), "type": text("Type de valeur.")})),
        "quartiers": listed("Chaque quartier sélectionné.", EVALUATION_SECTION),
        "ensemble": EVALUATION_SECTION,
        "a_renseigner": listed("Par partie responsable, les actions dont l'évaluation est incomplète.", table(
            "Une action à renseigner pour une partie.", {
                "partie": text("Identifiant de la partie (acteur ; un rôle non résolu tel quel)."),
                "nom": text("Son nom."), "action": text("Identifiant de l'action."),
                "quartier": text("Identifiant du quartier."), "libelle": text("Libellé de l'action."),
                "cases_manquantes": text("Les cases non renseignées, séparées par des virgules.")})),
    }),
}
"""Each command's document (``who`` is ``responsibilities``)."""


def render(name: str) -> str:
    """The schema of one command as published (2-space JSON, UTF-8, final newline)."""
    return json.dumps(SCHEMAS[name], indent=2, ensure_ascii=False) + "\n"
