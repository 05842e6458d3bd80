"""French descriptions of the models and their fields, shown by editors (hover, completion).

The models' docstrings (:mod:`gusp_cli.model.models`) document the code in English; a partner
hovering a key in VS Code reads these instead, through the JSON Schemas (:mod:`gusp_cli.model.schema`).
Keys are the model class names, then the field names (the YAML keys); values are plain French
text (no reStructuredText: hovers show it as Markdown). ``tests/model/test_schema.py`` checks that
every field of every model has one, and that none describes a field that no longer exists.
"""

from __future__ import annotations

MODELS: dict[str, str] = {
    "Suivi": "Une entrée datée du suivi d'une action.",
    "Evaluation": "Le tableau d'évaluation de la charte pour une action ; vide : non renseigné.",
    "Action": "Une action numérotée d'un tableau d'actions.",
    "Tableau": "Un tableau d'actions du programme d'un quartier.",
    "ChiffreCle": "Un chiffre de contexte du quartier.",
    "Secteur": "Un secteur géographique du quartier.",
    "DiagnosticThematique": "Un thème du diagnostic thématique.",
    "Diagnostic": "Le diagnostic du quartier (atouts, faiblesses, opportunités, menaces, thèmes).",
    "LigneGestion": "Une ligne d'un tableau de gestion existante.",
    "TableauGestion": "Un tableau descriptif de la gestion existante (pas des actions numérotées).",
    "Participation": "Les modalités de participation des habitants.",
    "Quartier": "Un quartier en renouvellement urbain : contexte, diagnostic et programme d'actions.",
    "Role": "Un rôle des tableaux d'actions (Ville, Bailleur), rattaché à un acteur dans chaque quartier.",
    "Acteur": "Une partie de la charte.",
    "Registre": "Le registre des parties (acteurs.yaml).",
    "Periode": "Une période, en années.",
    "DateCle": "Un fait daté de la charte.",
    "Deliberation": "La délibération d'un partenaire approuvant la charte.",
    "Pilier": "Un pilier du contrat de ville et les objectifs de la GUSP qui en relèvent.",
    "Instance": "Une instance de gouvernance.",
    "PhaseMiseEnOeuvre": "Une phase opérationnelle de la mise en œuvre de la charte.",
    "ObjectifInsertion": "Un objectif d'insertion : une part des heures travaillées sur un périmètre.",
    "Insertion": "L'objectif des clauses d'insertion et les indicateurs transmis à l'ANRU.",
    "Charte": "La charte elle-même (charte.yaml).",
    "Decision": "Une décision prise en réunion.",
    "Reunion": "Une réunion d'une instance, tenue (ou déjà fixée, si elle est datée après aujourd'hui).",
    "Reunions": "Les réunions des instances (reunions.yaml, facultatif).",
    "SeanceRevue": "La séance de l'instance de décision (le comité de pilotage) où la revue est présentée.",
    "RevueAnnuelle": "Les mots du chef de projet pour la revue d'une année (revues/AAAA.yaml, facultatif).",
    "ModalitesInsertion": "Comment les heures d'insertion du semestre ont été réalisées, en heures.",
    "EntrepriseAttributaire": "Des entreprises attributaires d'une taille et d'un secteur (effectifs, "
                              "jamais de noms).",
    "ProfilBeneficiaires": "Le profil des bénéficiaires du semestre : effectifs seulement.",
    "SituationBeneficiaires": "La situation des bénéficiaires quelques mois après leur insertion : "
                              "effectifs seulement.",
    "SemestreInsertion": "Les indicateurs d'insertion d'un semestre, tels que transmis à l'ANRU : "
                         "agrégats seulement.",
    "RegistreInsertion": "Les indicateurs d'insertion par semestre (insertion.yaml, facultatif).",
    "ValeurIndicateur": "Une valeur datée d'un indicateur de résultat.",
    "Indicateur": "Un indicateur de résultat d'une fiche action : ce qui est mesuré, sa cible, ses valeurs "
                  "dans le temps.",
    "Financement": "Une ligne de financement des moyens d'une action.",
    "Moyens": "Les moyens d'une fiche action : coût prévu, financements, moyens humains.",
    "Territoire": "Les actions transversales de la charte (territoire.yaml, facultatif) : des tableaux "
                  "comme ceux d'un quartier, « Ensemble du territoire ».",
    "PhaseDeclaree": "Une phase du projet selon laquelle la charte range ses tableaux d'actions.",
    "Objectif": "Un objectif opérationnel, sous un axe.",
    "Axe": "Un axe stratégique de la charte et les objectifs qui en relèvent.",
    "DimensionEvaluation": "Une case du tableau d'évaluation de la charte.",
    "Veille": "Comment les signalements de terrain (signalements.yaml) remontent les instances tant "
              "qu'ils restent ouverts.",
    "SuiviSignalement": "Une entrée datée du suivi d'un signalement.",
    "Signalement": "Un dysfonctionnement repéré sur un quartier (dépôt sauvage, éclairage en panne…) : "
                   "la veille de terrain. Jamais de nom d'habitant, de téléphone ni de courriel.",
    "Signalements": "Les signalements de la veille de terrain (signalements.yaml, facultatif).",
    "AxeTfpb": "Un axe d'utilisation de l'abattement de TFPB des bailleurs en quartier prioritaire.",
    "LigneTfpb": "Une ligne du programme TFPB d'un bailleur : ce qu'il fait dans un quartier, sur un axe.",
    "ProgrammeTfpb": "Le programme d'actions TFPB d'un bailleur pour une année.",
    "RegistreTfpb": "Les programmes TFPB des bailleurs (tfpb.yaml, facultatif).",
}
"""What each model (a YAML table) is."""

VOCABULARIES: dict[str, tuple[str, str]] = {
    "Phase": ("phase", "Phase du projet de renouvellement urbain d'un tableau d'actions."),
    "Statut": ("statut", "Statut d'avancement d'une action ; absent : non renseigné."),
    "TypeActeur": ("type d'acteur", "Nature d'une partie."),
    "Frequence": ("fréquence", "Un rythme : celui des réunions d'une instance, ou d'une action continue "
                               "(du plus court au plus long)."),
    "PerimetreInsertion": ("périmètre", "Heures sur lesquelles un objectif d'insertion se mesure."),
    "TypeDimension": ("type de case", "Ce qu'une case du tableau d'évaluation reçoit : oui_non, montant, "
                                      "nombre ou texte."),
    "EtatSignalement": ("état", "Où en est un signalement : ouvert, transmis (à un autre dispositif), "
                                "traite (traité par la partie responsable) ou clos."),
    "SourceSignalement": ("source", "Comment le dysfonctionnement a été connu : tour_de_quartier, "
                                    "diagnostic_en_marchant, comite_de_proximite, reunion, habitant, "
                                    "partenaire ou autre."),
}
"""Each closed vocabulary (:mod:`gusp_cli.model.vocabulary`): the word for its value, what it is."""

FIELDS: dict[str, dict[str, str]] = {
    "Suivi": {
        "date": "Date de l'événement (AAAA-MM-JJ).",
        "statut": "Statut pris ce jour-là, si l'entrée le change.",
        "note": "Commentaire libre.",
        "motif": "Raison d'un avenant (échéance repoussée, libellé changé…).",
        "champ": "Pour un avenant : le champ modifié (echeance, libelle ou responsables), ou action pour "
                 "une action ajoutée par avenant (elle n'existait pas avant cette date).",
        "ancienne_valeur": "Pour un avenant : l'ancienne valeur, telle qu'écrite.",
        "auteur": "Qui a rapporté l'information (une personne ou l'identifiant d'un acteur).",
        "public": "true : la note peut être publiée sur le site des habitants (gusp publish) ; sinon "
                  "le site dit seulement « mise à jour le … », sans le texte (défaut : false).",
    },
    "Evaluation": {
        "deployee": "L'action a été déployée sur le quartier (true ou false).",
        "cout": "Coût de l'opération, en euros.",
        "clauses_insertion_respectees": "Les clauses d'insertion ont été respectées (true ou false).",
        "qualite_de_vie_amelioree": "L'amélioration de la qualité de vie des habitants est validée "
                                    "(true ou false).",
        "commentaire": "Commentaire libre sur l'évaluation.",
        "autres": "Les cases de la grille d'évaluation de la charte (grille_evaluation) qui ne sont pas "
                  "parmi les quatre ci-dessus : identifiant de la case → valeur.",
    },
    "Action": {
        "id": "Identifiant stable, unique dans la charte, jamais réutilisé (par exemple ABC-042).",
        "numero": "Numéro de l'action dans son tableau, comme dans la charte : un entier (3) ou un "
                  "numéro hiérarchique en texte (\"1.2.3\") ; unique dans son tableau.",
        "libelle": "Libellé de l'action, dans les mots de la charte.",
        "responsables": "Parties responsables : identifiants d'acteurs (acteurs.yaml) ou de rôles "
                        "(ville, bailleur), résolus dans le quartier.",
        "echeance": "Échéance telle qu'écrite dans la charte : 2023, 2023/2024, Été 2022, T2 2025, "
                    "1er trimestre 2017, S1 2025, 2e semestre 2016, fin 2017, début 2018, juin 2025, "
                    "2025-06-30 ou 30/06/2025 ; pour une action continue (frequence), la date à laquelle "
                    "elle doit être en place ; en continu, continuellement, tout au long de l'année ou "
                    "chaque année pour une action continue sans date (en place dès le début de la charte).",
        "frequence": "Rythme d'un dispositif continu (une permanence, une collecte…), seulement quand la "
                     "charte en énonce un : une fois en place, l'action reste à l'heure tant que le suivi "
                     "garde ce rythme.",
        "statut": "Statut actuel : a_faire, en_cours, realisee, abandonnee ou reportee ; absent : "
                  "non renseigné (jamais déduit).",
        "date_realisation": "Date de réalisation (AAAA-MM-JJ), obligatoire quand le statut est realisee.",
        "suivi": "Entrées datées du suivi, de la plus ancienne à la plus récente.",
        "evaluation": "Évaluation : déployée, coût, clauses d'insertion, qualité de vie.",
        "etiquettes": "Étiquettes libres (par exemple tfpb).",
        "pilote": "La partie qui pilote l'action (un des responsables, acteur ou rôle) ; les autres y sont "
                  "associées.",
        "objectif": "L'objectif de la charte (sous ses axes) que sert l'action, s'il diffère de celui de "
                    "son tableau.",
        "public_cible": "Le public visé, tel qu'écrit dans la fiche action.",
        "localisation": "Où l'action a lieu, tel qu'écrit.",
        "indicateurs": "Indicateurs de résultat : libellé, unité, cible et valeurs datées.",
        "moyens": "Moyens : coût prévu, financements (financeur, montant), moyens humains.",
        "signalements": "Identifiants des signalements (signalements.yaml) dont l'action est issue (gusp "
                        "signals to-action) ; chacun nomme l'action en retour.",
    },
    "Tableau": {
        "titre": "Intitulé du tableau, tel qu'écrit dans la charte.",
        "phase": "Phase du tableau, parmi celles de la charte (phases de charte.yaml ; par défaut "
                 "actuelle, chantier ou post_chantier) ; absente pour une charte sans phases.",
        "objectif": "L'objectif de la charte (sous ses axes) que servent les actions du tableau.",
        "quartiers": "Dans territoire.yaml : les quartiers que couvre le tableau (absent : tous).",
        "secteur": "Identifiant du secteur (liste secteurs du quartier) ; absent quand le tableau couvre "
                   "tout le quartier.",
        "theme": "Bloc thématique sous lequel se trouve le tableau, tel qu'écrit.",
        "actions": "Actions numérotées, dans l'ordre de la charte.",
    },
    "ChiffreCle": {
        "libelle": "Ce qui est mesuré, dans les mots de la charte.",
        "valeur": "La valeur (un nombre, ou un texte quand la charte ne donne pas un nombre simple).",
        "unite": "Unité (habitants, %, €…).",
        "annee": "Année du chiffre, quand elle est indiquée.",
        "perimetre": "Périmètre du chiffre, quand ce n'est pas tout le quartier.",
    },
    "Secteur": {
        "id": "Identifiant, unique dans le quartier (minuscules, chiffres et _).",
        "nom": "Nom.",
        "titre": "Intitulé tel qu'écrit dans le programme de la charte, s'il y en a un.",
        "description": "Ce que la charte dit du secteur.",
    },
    "DiagnosticThematique": {
        "titre": "Intitulé du thème, tel qu'écrit.",
        "texte": "Le texte du diagnostic.",
    },
    "Diagnostic": {
        "forces": "Atouts.",
        "faiblesses": "Faiblesses.",
        "opportunites": "Opportunités.",
        "menaces": "Menaces.",
        "thematiques": "Diagnostics thématiques.",
    },
    "LigneGestion": {
        "rubrique": "Intitulé de la ligne (colonne de gauche).",
        "description": "Dispositif existant (colonne de droite).",
    },
    "TableauGestion": {
        "titre": "Intitulé, tel qu'écrit.",
        "axe": "Axe de gestion du tableau (proximité, technique, sociale, insertion).",
        "lignes": "Lignes du tableau.",
    },
    "Participation": {
        "texte": "Introduction.",
        "modalites": "Modalités et rendez-vous prévus, un par élément, tels qu'écrits.",
    },
    "Quartier": {
        "id": "Identifiant du quartier ; c'est aussi le nom du fichier (quartiers/<id>.yaml).",
        "nom": "Nom affiché.",
        "titre": "Intitulé tel qu'écrit dans la charte.",
        "commune": "Commune.",
        "alias": "Autres noms sous lesquels on désigne le quartier (comparés sans accents ni majuscules).",
        "roles": "Les rôles dans ce quartier : rôle du registre → acteur qui le tient ici, ou liste des "
                 "acteurs quand plusieurs le tiennent (bailleur: [bailleur_a, bailleur_b]).",
        "contexte": "Présentation du quartier et de son contexte.",
        "chiffres_cles": "Chiffres clés du contexte.",
        "secteurs": "Secteurs géographiques.",
        "diagnostic": "Diagnostic actuel.",
        "gestion_existante": "Tableaux descriptifs de la gestion existante.",
        "programme": "Introduction du programme d'actions.",
        "tableaux": "Tableaux d'actions, dans l'ordre de la charte.",
        "participation": "Modalités de participation des habitants.",
    },
    "Role": {
        "id": "Identifiant du rôle (minuscules, chiffres et _).",
        "nom": "Nom affiché (Ville, Bailleur).",
        "description": "Ce que le rôle désigne.",
    },
    "Acteur": {
        "id": "Identifiant : le nom en minuscules sans accents, mots liés par _ (bailleur_du_sud).",
        "nom": "Nom complet.",
        "sigle": "Sigle (CCAS, DDTM).",
        "type": "Nature de la partie : epci, commune, bailleur, etat, association, promoteur, "
                "etablissement_public, collectif ou autre.",
        "alias": "Autres graphies rencontrées dans la charte ou tapées par les utilisateurs.",
        "identifie": "false pour une partie pas encore identifiée (futurs promoteurs…).",
        "description": "Rôle dans la charte, tel qu'énoncé.",
    },
    "Registre": {
        "roles": "Rôles, rattachés à un acteur dans chaque quartier.",
        "acteurs": "Les parties.",
    },
    "Periode": {
        "debut": "Première année.",
        "fin": "Dernière année.",
    },
    "DateCle": {
        "id": "Identifiant.",
        "libelle": "Ce qui s'est passé, dans les mots de la charte.",
        "date": "La date (AAAA-MM-JJ), quand la charte la donne.",
    },
    "Deliberation": {
        "organisme": "Identifiant de l'acteur qui délibère.",
        "instance": "Instance délibérante (conseil d'administration…).",
        "date": "Date de la délibération, quand elle est indiquée.",
        "objet": "Objet.",
        "decisions": "Ce que les membres ont décidé, tel qu'écrit.",
        "vote": "Résultat du vote, tel qu'écrit.",
        "non_participants": "Membres qui n'ont pris part ni au débat ni au vote.",
        "excuses": "Membres excusés (et pouvoirs), tels qu'écrits.",
        "references": "Autres délibérations ou conventions citées, telles qu'écrites.",
    },
    "Pilier": {
        "titre": "Le pilier, tel qu'écrit.",
        "objectifs": "Les objectifs, tels qu'écrits.",
    },
    "Instance": {
        "id": "Identifiant (copil, comite_technique…).",
        "nom": "Nom.",
        "membres": "Membres : identifiants d'acteurs ou de rôles, ou texte pour ceux qui ne sont pas au "
                   "registre.",
        "frequence": "Rythme des réunions : hebdomadaire, bimensuelle, mensuelle, bimestrielle, "
                     "trimestrielle, semestrielle ou annuelle ; absent : sans rythme fixé (ni prévue, "
                     "ni en retard).",
        "description": "Rôle et fonctionnement, tels qu'écrits.",
    },
    "PhaseMiseEnOeuvre": {
        "nom": "Nom.",
        "description": "Ce qu'elle couvre, tel qu'écrit.",
    },
    "ObjectifInsertion": {
        "perimetre": "travaux (marchés de travaux), gup (marchés de GUP) ou ensemble (les deux).",
        "pourcentage": "Part des heures travaillées sur ce périmètre à réaliser en insertion, en pour cent.",
        "texte": "L'objectif tel qu'écrit, quand la charte le formule.",
    },
    "Insertion": {
        "objectif_pourcentage": "Objectif, en pour cent.",
        "objectif_texte": "L'objectif tel qu'écrit.",
        "frequence_rapport": "Rythme de transmission des indicateurs.",
        "destinataire": "Qui les reçoit.",
        "indicateurs": "Les indicateurs, tels qu'écrits.",
        "texte": "Autres dispositions, telles qu'écrites.",
        "objectifs": "Objectifs par périmètre (facultatif) ; sans eux, objectif_pourcentage vaut pour "
                     "toutes les heures.",
    },
    "Charte": {
        "titre": "Titre.",
        "porteur": "Identifiant de l'acteur qui porte la charte.",
        "territoire": "Territoire.",
        "quartiers": "Identifiants des quartiers, dans l'ordre de la charte ; chacun a son fichier "
                     "quartiers/<id>.yaml.",
        "partenaires": "Identifiants des partenaires opérationnels nommés par la charte.",
        "periode": "Période d'application.",
        "duree": "Clause de durée, telle qu'écrite.",
        "dates": "Dates clés.",
        "deliberations": "Délibérations des partenaires approuvant la charte.",
        "preambule": "Préambule (résumé ou texte).",
        "piliers": "Piliers du contrat de ville et objectifs de la GUSP.",
        "domaines": "Domaines couverts par la GUSP.",
        "enjeux": "Les enjeux, tels qu'écrits.",
        "pilotage": "Dispositif de pilotage, tel qu'écrit (chef de projet…).",
        "instances": "Instances de gouvernance.",
        "phases_mise_en_oeuvre": "Phases opérationnelles.",
        "insertion": "Objectifs d'insertion et indicateurs à transmettre.",
        "evaluation": "Dimensions d'évaluation du tableau de suivi.",
        "suivi_evaluation": "Clause de suivi et d'évaluation, telle qu'écrite.",
        "instance_decisionnelle": "L'instance à qui la revue de gestion soumet ses points (par défaut, "
                                  "la première instance).",
        "veille": "Comment les signalements de terrain (signalements.yaml) remontent les instances ; "
                  "absent : ils sont enregistrés et suivis, jamais remontés.",
        "phases": "Les phases selon lesquelles les tableaux sont rangés (id, nom, ordre) ; absent : "
                  "actuelle, chantier, post_chantier ; liste vide : une charte sans phases.",
        "axes": "Axes stratégiques et leurs objectifs, que tableaux et actions peuvent servir.",
        "grille_evaluation": "Les cases du tableau d'évaluation (id, libelle, type) ; absent : déployée, "
                             "coût, clauses d'insertion, qualité de vie.",
        "axes_tfpb": "Les axes des programmes TFPB des bailleurs (tfpb.yaml) : id, nom, numéro ; absent : "
                     "les huit axes du cadre national d'utilisation de l'abattement.",
    },
    "ValeurIndicateur": {
        "date": "Date de la mesure (AAAA-MM-JJ).",
        "valeur": "La valeur mesurée (un nombre, ou un texte).",
        "note": "Commentaire sur la mesure.",
    },
    "Indicateur": {
        "libelle": "Ce qui est mesuré.",
        "unite": "Unité (%, t, logements…).",
        "cible": "La valeur visée.",
        "valeurs": "Valeurs datées, de la plus ancienne à la plus récente.",
    },
    "Financement": {
        "financeur": "Qui finance : identifiant d'un acteur du registre, ou texte (TFPB, droit commun…).",
        "montant": "Montant, en euros.",
    },
    "Moyens": {
        "cout_prevu": "Coût prévu, en euros.",
        "financements": "Les financements (financeur, montant).",
        "moyens_humains": "Les moyens humains, tels qu'écrits.",
    },
    "Territoire": {
        "nom": "Nom affiché (« Ensemble du territoire »).",
        "alias": "Autres noms sous lesquels on désigne les actions transversales.",
        "roles": "Les rôles pour les actions transversales : rôle → acteur(s) ; absent, un rôle vaut "
                 "toutes les parties qui le tiennent dans les quartiers couverts.",
        "programme": "Introduction des actions transversales.",
        "tableaux": "Tableaux d'actions transversales ; chacun peut lister les quartiers qu'il couvre.",
    },
    "PhaseDeclaree": {
        "id": "Identifiant, tel que les tableaux l'écrivent (phase: chantier).",
        "nom": "Nom affiché dans les rapports.",
        "ordre": "Rang dans les rapports (par défaut : l'ordre de la déclaration).",
    },
    "Objectif": {
        "id": "Identifiant, tel que tableaux et actions l'écrivent (objectif: ob_1_2).",
        "nom": "Intitulé.",
        "numero": "Numéro dans la charte (1.2).",
        "description": "Ce qu'il couvre, tel qu'écrit.",
    },
    "Axe": {
        "id": "Identifiant.",
        "nom": "Intitulé.",
        "numero": "Numéro dans la charte (1).",
        "objectifs": "Les objectifs de l'axe.",
    },
    "AxeTfpb": {
        "id": "Identifiant de l'axe, tel que les lignes de tfpb.yaml l'écrivent (axe: sur_entretien).",
        "nom": "Intitulé de l'axe, tel que le cadre national ou la charte l'écrit.",
        "numero": "Son numéro dans le cadre (1 à 8 dans le cadre national), s'il en a un.",
    },
    "LigneTfpb": {
        "quartier": "Identifiant du quartier (liste quartiers de charte.yaml).",
        "axe": "Identifiant de l'axe TFPB (axes_tfpb de charte.yaml, ou du cadre national).",
        "libelle": "Ce qui est fait, dans les mots du programme.",
        "actions": "Identifiants des actions de la charte que la ligne sert (ABC-042), s'il y en a.",
        "montant_prevu": "Montant prévu au programme, en euros.",
        "montant_valorise": "Montant valorisé au bilan annuel, en euros ; absent : pas encore déclaré.",
        "quantite": "Une quantité, quand le programme en compte une (2 ETP, 48 passages...).",
        "unite": "Unité de la quantité (ETP, passages, heures).",
        "note": "Note de suivi.",
    },
    "ProgrammeTfpb": {
        "bailleur": "Identifiant du bailleur (un acteur de type bailleur d'acteurs.yaml).",
        "annee": "Année du programme.",
        "convention": "La convention qu'il met en œuvre, telle qu'écrite (avenant à la convention "
                      "d'utilisation de l'abattement de TFPB du …).",
        "note": "Commentaire sur l'ensemble du programme.",
        "lignes": "Lignes du programme.",
    },
    "RegistreTfpb": {
        "programmes": "Un programme par bailleur et par année, dans n'importe quel ordre.",
    },
    "DimensionEvaluation": {
        "id": "Identifiant de la case ; deployee, cout, clauses_insertion_respectees et "
              "qualite_de_vie_amelioree sont les champs d'evaluation, les autres vont sous "
              "evaluation.autres.",
        "libelle": "Intitulé de la colonne dans la revue.",
        "type": "Ce que la case reçoit : oui_non, montant, nombre ou texte.",
    },
    "Decision": {
        "texte": "La décision, dans les mots du compte rendu.",
        "actions": "Identifiants des actions qu'elle concerne (ABC-042), par exemple une échéance "
                   "repoussée par le COPIL.",
    },
    "Reunion": {
        "date": "Date de la réunion (AAAA-MM-JJ).",
        "heure": "Heure de début, heure de Paris (14:30 ou 14h30), quand elle est fixée ; sans elle, "
                 "la réunion occupe la journée dans les calendriers.",
        "heure_fin": "Heure de fin (16:00 ou 16h), quand elle est connue ; demande heure.",
        "instance": "Identifiant de l'instance (une des instances de charte.yaml).",
        "quartiers": "Identifiants des quartiers traités ; vide pour toute la charte.",
        "objet": "Objet ou titre, quand la réunion en avait un.",
        "participants": "Participants : identifiants d'acteurs ou de rôles, ou texte (une structure, "
                        "une fonction ; jamais le nom d'un habitant).",
        "decisions": "Décisions prises.",
        "compte_rendu": "Lien vers le compte rendu (adresse web ou chemin dans le dépôt).",
    },
    "Reunions": {
        "reunions": "Les réunions, dans n'importe quel ordre.",
    },
    "SeanceRevue": {
        "date": "Date de la séance (AAAA-MM-JJ).",
        "heure": "Heure de début (14:30 ou 14h30), si elle est fixée.",
        "lieu": "Lieu de la séance (« Hôtel communautaire, salle du conseil »).",
    },
    "RevueAnnuelle": {
        "seance": "La séance de l'instance de décision où la revue est présentée : affichée en couverture.",
        "faits_marquants": "Les faits marquants de l'année, un paragraphe chacun.",
        "perspectives": "Les perspectives pour l'année suivante, un paragraphe chacune.",
        "quartiers": "Des paragraphes libres par identifiant de quartier (territoire pour les actions "
                     "transversales), en tête du chapitre du quartier.",
    },
    "ModalitesInsertion": {
        "embauche_directe": "Embauche directe.",
        "interim": "Intérim (y compris entreprises de travail temporaire d'insertion).",
        "alternance": "Alternance.",
        "formation": "Formation.",
        "autre": "Autres modalités.",
    },
    "EntrepriseAttributaire": {
        "taille": "Tranche d'effectif (moins de 10 salariés, 10 à 49…).",
        "secteur": "Secteur d'activité (BTP, propreté…).",
        "nombre": "Nombre d'entreprises.",
    },
    "ProfilBeneficiaires": {
        "femmes": "Femmes.",
        "hommes": "Hommes.",
        "moins_26": "Moins de 26 ans.",
        "de_26_a_49": "De 26 à 49 ans.",
        "plus_50": "50 ans et plus.",
        "residents_qpv": "Résidents d'un quartier prioritaire de la politique de la ville (QPV).",
    },
    "SituationBeneficiaires": {
        "emploi_durable": "En emploi durable (CDI, CDD de 6 mois ou plus).",
        "emploi_temporaire": "En emploi temporaire (CDD de moins de 6 mois, intérim).",
        "formation": "En formation.",
        "sans_emploi": "En recherche d'emploi ou sans activité.",
        "inconnue": "Situation inconnue.",
    },
    "SemestreInsertion": {
        "semestre": "Semestre : AAAA-S1 (janvier à juin) ou AAAA-S2 (juillet à décembre).",
        "heures_travaux": "Heures d'insertion travaillées dans les marchés de travaux.",
        "heures_gup": "Heures d'insertion travaillées dans les marchés de GUP.",
        "heures_marches_travaux": "Toutes les heures travaillées dans les marchés de travaux (la base "
                                  "d'un objectif en pourcentage).",
        "heures_marches_gup": "Toutes les heures travaillées dans les marchés de GUP (la base d'un "
                              "objectif en pourcentage).",
        "modalites": "Comment les heures d'insertion ont été réalisées, en heures.",
        "entreprises": "Entreprises attributaires, par taille et secteur.",
        "beneficiaires": "Nombre de bénéficiaires.",
        "profil": "Leur profil (sexe, tranche d'âge, résidence en QPV).",
        "situation_6_mois": "Leur situation 6 mois après leur insertion.",
        "situation_12_mois": "Leur situation 12 mois après leur insertion.",
        "commentaire": "Commentaire libre (jamais un nom).",
        "transmis_le": "Date d'envoi des indicateurs au délégué territorial de l'ANRU : l'enregistrement "
                       "compte à partir de ce jour quand la charte est revue à une date passée (sans elle, "
                       "à partir de la fin du semestre).",
    },
    "RegistreInsertion": {
        "premier_semestre": "Premier semestre dû (défaut : le premier semestre de la période de la charte).",
        "semestres": "Un enregistrement par semestre.",
    },
    "Veille": {
        "instances": "Les instances que remonte un signalement resté ouvert, dans l'ordre (identifiants "
                     "des instances) : la première examine les signalements ouverts de ses quartiers ; "
                     "chaque suivante reçoit ceux encore ouverts une période de la précédente (et un délai "
                     "de grâce d'une demi-période) plus tard ; après la dernière, l'instance "
                     "décisionnelle. Une instance sans rythme arrête la remontée.",
        "texte": "Ce que la charte dit de la veille, tel qu'écrit.",
    },
    "SuiviSignalement": {
        "date": "Date de l'événement (AAAA-MM-JJ).",
        "etat": "État pris ce jour-là, si l'entrée le change : ouvert, transmis, traite ou clos.",
        "vers": "Pour transmis : le dispositif qui le reçoit (CLSPD, un service de la ville…).",
        "note": "Commentaire libre (jamais de nom d'habitant, de téléphone ni de courriel).",
        "action": "L'action à laquelle l'entrée rattache le signalement : créée à partir de lui, ou qui "
                  "le traite.",
        "auteur": "Qui a rapporté l'information (une personne ou l'identifiant d'un acteur).",
    },
    "Signalement": {
        "id": "Identifiant stable, unique, jamais réutilisé : SIG, l'année du constat, un numéro "
              "(SIG-2026-0001).",
        "date": "Date du constat (AAAA-MM-JJ).",
        "quartier": "Identifiant du quartier.",
        "secteur": "Identifiant du secteur (liste secteurs du quartier), quand il est connu.",
        "lieu": "Où : une rue, un bâtiment, un lieu, tel qu'écrit.",
        "theme": "Thème (propreté, éclairage, tranquillité…), tel qu'écrit.",
        "description": "Ce qui a été constaté (jamais de nom d'habitant, de téléphone ni de courriel).",
        "source": "Comment il a été connu : tour_de_quartier, diagnostic_en_marchant, comite_de_proximite, "
                  "reunion, habitant, partenaire ou autre.",
        "responsable": "La partie qui le traite : un identifiant d'acteur, ou un rôle (ville, bailleur) "
                       "résolu dans le quartier.",
        "etat": "État actuel : celui que pose la dernière entrée datée du suivi (ouvert quand aucune n'en "
                "pose).",
        "actions": "Identifiants des actions existantes auxquelles il se rattache (une action qui le traite, "
                   "une action sous laquelle il revient).",
        "action": "Identifiant de l'action créée à partir de lui (gusp signals to-action), qui le nomme en "
                  "retour.",
        "suivi": "Entrées datées du suivi, de la plus ancienne à la plus récente.",
    },
    "Signalements": {
        "signalements": "Un enregistrement par dysfonctionnement repéré, du plus ancien au plus récent.",
    },
}
"""What each field (YAML key) holds, by model."""
