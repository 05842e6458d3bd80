"""Scaffolding a new charter repository (``gusp init``) for another agglomeration.

Minimal valid data marked as examples, with a French comment on each key (the optional meetings,
insertion and signalements files included, empty); JSON Schemas of that charter and ``yaml-language-server``
modelines for editors, and VS Code's recommendation of the YAML extension with the schema
association; a pre-commit configuration; CI examples for GitHub Actions and GitLab CI; a
``.gitignore``; then ``git init`` and a first commit. Pure core: the year is passed in, git runs
as a subprocess.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from gusp_cli.model.errors import GuspError, UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter

DEFAULT_NOM = "Agglomération exemple"
DEFAULT_PORTEUR = "agglo"
EXAMPLE_IDS = ("ville_exemple", "bailleur_exemple")
"""Actor ids of the example parties (a porteur cannot take them)."""
COMMIT_MESSAGE = "Création du dépôt de la charte (gusp init)"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")



def check_options(nom: str, porteur: str, type_porteur: str = "epci") -> None:
    """Refuse a blank or multi-line name, a porteur id that is not a lower-case slug and a kind of
    party that is not one of the vocabulary."""
    from gusp_cli.french.text import closest, fold
    from gusp_cli.model.vocabulary import TypeActeur

    kinds = [t.value for t in TypeActeur]
    if type_porteur not in kinds:
        near = closest(type_porteur, kinds)
        raise UsageError(f"--type-porteur : « {type_porteur} » inconnu ; choix possibles : "
                         f"{', '.join(dict.fromkeys(near + kinds))}")

    if not nom.strip() or any(ord(c) < 32 for c in nom):
        raise UsageError("--nom : nom vide ou sur plusieurs lignes")
    if not _ID.match(porteur):
        slug = re.sub(r"[^a-z0-9]+", "_", fold(porteur)).strip("_")
        hint = f" ; par exemple « {slug} »" if slug and _ID.match(slug) else ""
        raise UsageError(f"--porteur : identifiant « {porteur} » invalide (minuscules sans accents, "
                         f"chiffres et _, commençant par une lettre){hint}")
    if porteur in EXAMPLE_IDS:
        raise UsageError(f"--porteur : « {porteur} » est déjà l'identifiant d'un acteur d'exemple")


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _tfpb_axes() -> str:
    """The national framework's TFPB axes as YAML list items (id, numero, nom)."""
    from gusp_cli.model.tfpb import NATIONAL_AXES

    return "".join(f"  - id: {a.id}\n    numero: {a.numero}\n    nom: {_q(a.nom)}\n" for a in NATIONAL_AXES)


def data_texts(nom: str, porteur: str, annee: int, type_porteur: str = "epci") -> dict[str, str]:
    """The three data files, in the house style, marked as examples."""
    values = {"nom": _q(nom), "titre": _q(f"Charte de Gestion Urbaine et Sociale de Proximité — {nom}"),
              "porteur": porteur, "debut": annee, "fin": annee + 5, "echeance": _q(str(annee + 1)),
              "type_porteur": type_porteur, "axes_tfpb": _tfpb_axes()}
    return {
        "charter-data/charte.yaml": CHARTE.format(**values),
        "charter-data/acteurs.yaml": ACTEURS.format(**values),
        "charter-data/quartiers/exemple.yaml": QUARTIER.format(**values),
        "charter-data/reunions.yaml": REUNIONS.format(**values),
        "charter-data/insertion.yaml": INSERTION,
        "charter-data/signalements.yaml": SIGNALEMENTS,
        "charter-data/tfpb.yaml": TFPB,
    }


def scaffold_texts(nom: str, porteur: str, annee: int, type_porteur: str = "epci") -> dict[str, str]:
    """Every file of a new charter repository but the schemas: relative POSIX path -> content."""
    return {
        **data_texts(nom, porteur, annee, type_porteur),
        "README.md": README.format(nom=nom),
        ".gitignore": GITIGNORE,
        ".pre-commit-config.yaml": PRE_COMMIT,
        ".github/workflows/gusp.yml": GITHUB_WORKFLOW,
        ".github/workflows/gusp-site.yml": GITHUB_PAGES_WORKFLOW,
        ".gitlab-ci.yml": GITLAB_CI,
        ".vscode/extensions.json": VSCODE_EXTENSIONS,
        ".vscode/settings.json": vscode_settings(),
    }


@dataclass(frozen=True)
class Created:
    """The result of :func:`create_repository`."""

    root: Path
    files: list[str]
    commit: str
    """Short hash of the first commit."""
    fallback_identity: bool
    """True when no git identity was configured and ``gusp <gusp@localhost>`` signed the commit."""


FirstCommit = Callable[[Path, str], tuple[str, bool]]
"""``git init`` the folder, stage everything and commit with a message; return the short hash and
whether a fallback identity signed it (:func:`gusp_cli.history.git.first_commit`)."""


def create_repository(target: Path, nom: str = DEFAULT_NOM, porteur: str = DEFAULT_PORTEUR,
                      annee: int = 2025, *, commit: FirstCommit, type_porteur: str = "epci") -> Created:
    """Create a charter repository in ``target`` (absent or empty), valid and committed by ``commit``.

    Raises :class:`UsageError` for a non-empty target or bad options; on any failure after the
    first file is written (the commit included), what was created is removed.
    """
    check_options(nom, porteur, type_porteur)
    existed = _check_target(target)
    texts = scaffold_texts(nom, porteur, annee, type_porteur)
    try:
        _write(target, texts)
        schemas = _write_schemas(target, _check_valid(target))
        commit_id, fallback = commit(target, COMMIT_MESSAGE)
    except BaseException:
        _undo(target, existed)
        raise
    return Created(target, sorted([*texts, *schemas]), commit_id, fallback)


def _check_target(target: Path) -> bool:
    """Refuse a file, a non-empty folder or a place inside a charter's data or a ``.git`` folder;
    return whether the folder already existed."""
    from gusp_cli.store.outputs import check_not_protected

    check_not_protected(target, what="création")
    if target.exists() and not target.is_dir():
        raise UsageError(f"« {target} » existe et n'est pas un dossier")
    if target.is_dir():
        if any(target.iterdir()):
            raise UsageError(f"le dossier « {target} » n'est pas vide ; gusp init crée un nouveau "
                             "dépôt dans un dossier vide ou inexistant")
        return True
    return False


def _write(target: Path, texts: dict[str, str]) -> None:
    """Write every file (LF line endings, UTF-8)."""
    for relative, content in texts.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))


def _write_schemas(target: Path, charter: Charter) -> list[str]:
    """Write the charter's JSON Schemas with ``gusp schema``'s own writer; return their relative paths."""
    from gusp_cli.model.schema import SCHEMAS_DIR
    from gusp_cli.store.schema_files import write_schemas

    return [path.relative_to(target).as_posix() for path, _ in write_schemas(target / SCHEMAS_DIR, charter)]


def _check_valid(target: Path) -> Charter:
    """The scaffold must validate (anything else is a bug of gusp); return it loaded."""
    from gusp_cli.store.loader import load

    charter = load(target)
    if charter.problems:
        details = "; ".join(p.format() for p in charter.problems[:3])
        raise GuspError(f"erreur interne : la charte créée n'est pas valide ({details})", 70)
    return charter


def vscode_settings() -> str:
    """``.vscode/settings.json``: each schema tied to its files, and the house style of the YAML."""
    from gusp_cli.model.layout import DATA_DIR
    from gusp_cli.model.schema import KINDS, SCHEMAS_DIR

    settings = {
        "yaml.schemas": {f"./{SCHEMAS_DIR}/{k.filename}": [f"{DATA_DIR}/{k.file}"] for k in KINDS},
        "[yaml]": {"editor.insertSpaces": True, "editor.tabSize": 2, "files.encoding": "utf8",
                   "files.eol": "\n", "files.insertFinalNewline": True,
                   "files.trimTrailingWhitespace": True},
    }
    return json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


def _undo(target: Path, existed: bool) -> None:
    """Remove what :func:`create_repository` created (the folder itself if it made it)."""
    if not target.is_dir():
        return
    if not existed:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


# ----------------------------------------------------------------------------- file templates

CHARTE = """\
# yaml-language-server: $schema=../schemas/charte.schema.json
#
# La charte GUSP : titre, porteur, quartiers, partenaires, période et instances.
# Tout ce qui est marqué EXEMPLE est à remplacer par le contenu de votre charte signée.
# Après chaque modification : gusp validate

# Titre de la charte, tel qu'il figure sur le document signé.
titre: {titre}
# Identifiant (dans acteurs.yaml) de l'acteur qui porte la charte.
porteur: {porteur}
# Territoire couvert par la charte.
territoire: {nom}
# Quartiers, dans l'ordre de la charte ; chacun a son fichier quartiers/<id>.yaml.
# EXEMPLE : remplacez « exemple » par les identifiants de vos quartiers.
quartiers:
  - exemple
# Partenaires opérationnels nommés par la charte (identifiants d'acteurs.yaml).
partenaires:
  - {porteur}
  - ville_exemple
  - bailleur_exemple
# Période d'application : première et dernière année.
periode:
  debut: {debut}
  fin: {fin}
# Instances de gouvernance (comité de pilotage, comité technique...).
#   membres   : identifiants d'acteurs ou de rôles, ou texte libre
#   frequence : mensuelle, bimestrielle, trimestrielle, semestrielle ou annuelle
instances:
  - id: copil
    nom: Comité de pilotage
    membres:
      - {porteur}
      - ville
      - bailleur
    frequence: annuelle
# Axes des programmes TFPB des bailleurs (abattement de taxe foncière en quartier prioritaire),
# que nomment les lignes de tfpb.yaml : ceux du cadre national d'utilisation de l'abattement.
# Leur intitulé peut suivre la convention locale ; gardez les id, que tfpb.yaml emploie.
axes_tfpb:
{axes_tfpb}"""

ACTEURS = """\
# yaml-language-server: $schema=../schemas/acteurs.schema.json
#
# Registre des parties de la charte : les rôles et les acteurs.
# Tout ce qui est marqué EXEMPLE est à remplacer.

# Rôles : désignations génériques des tableaux d'actions (« Ville », « Bailleur »), rattachées
# dans chaque quartier à un acteur précis (clé « roles » du fichier du quartier).
roles:
  - id: ville
    nom: Ville
  - id: bailleur
    nom: Bailleur
# Acteurs : chaque organisme cité par la charte.
#   id     : identifiant court, minuscules sans accents, chiffres et _ (ex. bailleur_sud)
#   nom    : nom complet ; sigle : sigle éventuel (facultatif)
#   type   : epci, commune, bailleur, etat, association, promoteur, etablissement_public,
#            collectif ou autre
#   alias  : autres graphies rencontrées (facultatif)
# EXEMPLE : ville_exemple et bailleur_exemple sont à remplacer par vos acteurs.
acteurs:
  - id: {porteur}
    nom: {nom}
    type: {type_porteur}
  - id: ville_exemple
    nom: Ville exemple
    type: commune
  - id: bailleur_exemple
    nom: Bailleur exemple
    type: bailleur
"""

QUARTIER = """\
# yaml-language-server: $schema=../../schemas/quartier.schema.json
#
# EXEMPLE de quartier, à remplacer : renommez le fichier (quartiers/<id>.yaml), changez son id
# et la liste « quartiers » de charte.yaml.

# Identifiant du quartier : le nom du fichier sans .yaml.
id: exemple
# Nom affiché.
nom: Quartier exemple
# Commune du quartier.
commune: Commune exemple
# Rôles dans ce quartier : rôle du registre -> acteur qui le tient ici.
roles:
  ville: ville_exemple
  bailleur: bailleur_exemple
# Tableaux d'actions, dans l'ordre de la charte.
#   titre : intitulé du tableau tel qu'écrit
#   phase : actuelle, chantier ou post_chantier
# Chaque action : id stable jamais réutilisé (trois à cinq lettres, tiret, numéro), numéro dans
# le tableau, libellé, responsables (acteurs ou rôles), échéance telle qu'écrite (2026, Été 2026,
# 2026/2027...). Statut (a_faire, en_cours, realisee, abandonnee, reportee) et suivi daté
# s'ajoutent ensuite, sans jamais effacer l'historique.
tableaux:
  - titre: Gestion actuelle / Propreté
    phase: actuelle
    actions:
      - id: EXE-001
        numero: 1
        libelle: "EXEMPLE : tour de quartier mensuel avec les habitants"
        responsables:
          - ville
          - bailleur
        echeance: {echeance}
"""

REUNIONS = """\
# yaml-language-server: $schema=../schemas/reunions.schema.json
#
# Réunions des instances de gouvernance (charte.yaml, clé instances), tenues ou déjà fixées.
# gusp calendar les place parmi les réunions que le rythme de chaque instance prévoit, gusp agenda
# en reprend les décisions. Chaque réunion :
#   date         : AAAA-MM-JJ ; heure et heure_fin (14:30 ou 14h30) : facultatives
#   instance     : identifiant d'une instance de charte.yaml (copil)
#   quartiers    : identifiants des quartiers traités (absent : toute la charte)
#   objet        : objet de la réunion ; participants : acteurs, rôles ou structures (jamais le
#                  nom d'un habitant)
#   decisions    : décisions prises, chacune avec les actions qu'elle concerne
#   compte_rendu : lien vers le compte rendu
# EXEMPLE, à recopier sous « reunions: » (sans les # ni les crochets vides) :
#   - date: {debut}-03-12
#     heure: "14:30"
#     instance: copil
#     objet: Revue annuelle de gestion
#     decisions:
#       - texte: Échéance de EXE-001 repoussée d'un an
#         actions: [EXE-001]
# Les réunions, dans n'importe quel ordre.
reunions: []
"""

INSERTION = """\
# yaml-language-server: $schema=../schemas/insertion.schema.json
#
# Indicateurs des clauses d'insertion, un enregistrement par semestre, tels que transmis au
# délégué territorial de l'ANRU (gusp insertion). Effectifs agrégés seulement : jamais un nom,
# une date de naissance, une adresse ni aucune donnée qui identifierait une personne.
# EXEMPLE, à recopier sous « semestres: » (sans les # ni les crochets vides) :
#   - semestre: 2025-S2            # AAAA-S1 (janvier-juin) ou AAAA-S2 (juillet-décembre)
#     heures_travaux: 1200         # heures d'insertion dans les marchés de travaux
#     heures_gup: 350              # heures d'insertion dans les marchés de GUP
#     beneficiaires: 14
# Un enregistrement par semestre.
semestres: []
"""

SIGNALEMENTS = """\
# yaml-language-server: $schema=../schemas/signalements.schema.json
#
# La veille de terrain : les dysfonctionnements repérés sur les quartiers (dépôt sauvage, éclairage
# en panne, logement vacant squatté...), à enregistrer avec gusp signals add plutôt qu'à la main.
# Jamais de nom d'habitant, de téléphone ni de courriel : des lieux et des problèmes seulement.
# Chaque signalement :
#   id          : SIG-AAAA-NNNN, donné par gusp signals add, jamais réutilisé
#   date        : date du constat ; quartier (et secteur) ; lieu : rue, bâtiment, lieu
#   theme       : propreté, éclairage, tranquillité... ; description : ce qui a été constaté
#   source      : tour_de_quartier, diagnostic_en_marchant, comite_de_proximite, reunion,
#                 habitant, partenaire ou autre
#   responsable : acteur ou rôle (ville, bailleur) qui le traite
#   etat        : ouvert, transmis (à un autre dispositif), traite ou clos, comme le suivi le donne
# EXEMPLE, tel que gusp signals add exemple "Dépôt sauvage au pied de la borne" --lieu "rue des
# Écoles" --theme propreté --source tour_de_quartier --responsable bailleur l'écrit :
#   - id: SIG-2026-0001
#     date: 2026-03-12
#     quartier: exemple
#     lieu: rue des Écoles
#     theme: propreté
#     description: Dépôt sauvage au pied de la borne
#     source: tour_de_quartier
#     responsable: bailleur
#     etat: ouvert
# Suivi : gusp signals update, close, to-action.
signalements: []
"""

TFPB = """\
# yaml-language-server: $schema=../schemas/tfpb.schema.json
#
# Programmes d'actions TFPB des bailleurs : en contrepartie de l'abattement de taxe foncière en
# quartier prioritaire, chaque bailleur conduit un programme annuel, convenu avec l'État et l'EPCI,
# et en rend compte chaque année (gusp tfpb : prévu et valorisé par axe et par quartier). Un
# programme par bailleur et par année ; n'inscrivez que les montants du programme et du bilan.
# EXEMPLE, à recopier sous « programmes: » (sans les # ni les crochets vides) :
#   - bailleur: bailleur_exemple     # un acteur de type bailleur d'acteurs.yaml
#     annee: 2025
#     lignes:
#       - quartier: exemple
#         axe: sur_entretien          # un axe de axes_tfpb (charte.yaml)
#         libelle: Nettoyage renforcé des halls
#         actions: [EXE-001]          # les actions de la charte que la ligne sert (facultatif)
#         montant_prevu: 12000        # en euros
#         montant_valorise: 11500     # au bilan annuel ; absent tant qu'il n'est pas déclaré
#         quantite: 96                # facultatif, avec son unité
#         unite: passages
# Un programme par bailleur et par année, dans n'importe quel ordre.
programmes: []
"""

VSCODE_EXTENSIONS = """\
{
  "recommendations": ["redhat.vscode-yaml"]
}
"""

README = """\
# Charte GUSP — {nom}

Dépôt de la charte de Gestion Urbaine et Sociale de Proximité, tenue en YAML et pilotée avec
`gusp`. Créé avec `gusp init` : les contenus marqués EXEMPLE sont à remplacer.

- `charter-data/charte.yaml` : la charte (titre, porteur, quartiers, période, instances) ;
- `charter-data/acteurs.yaml` : le registre des acteurs et des rôles ;
- `charter-data/quartiers/<id>.yaml` : un fichier par quartier, avec ses tableaux d'actions ;
- `charter-data/reunions.yaml` : les réunions des instances ; `charter-data/insertion.yaml` :
  les indicateurs d'insertion par semestre ; `charter-data/signalements.yaml` : la veille de
  terrain (vides au départ) ;
- `schemas/` : les schémas JSON des fichiers, avec les identifiants de cette charte (complétion,
  aide et erreurs en français dans VS Code avec l'extension YAML de Red Hat, que `.vscode/`
  recommande, grâce à la ligne `# yaml-language-server` en tête de fichier). Après avoir ajouté
  un acteur, un rôle, un quartier, un secteur ou une instance : `gusp schema`.

Après chaque modification : `gusp validate`. Pour relire une proposition : `gusp diff`.
Contrôles avant commit : `pip install pre-commit && pre-commit install`.
Intégration continue : `.github/workflows/gusp.yml` (GitHub) ou `.gitlab-ci.yml` (GitLab).
Site des habitants et données ouvertes (`gusp publish`), publiés sur la branche par défaut :
`.github/workflows/gusp-site.yml` (GitHub Pages) ou le job `pages` de `.gitlab-ci.yml` (GitLab
Pages). Pour l'essayer sur son poste : `gusp publish -o site`, puis ouvrir `site/index.html`.
"""

GITIGNORE = """\
# Environnements Python et caches
.venv/
__pycache__/
*.pyc
# Éditeurs et systèmes
.DS_Store
Thumbs.db
*.swp
~$*
# Fichiers que les jobs d'intégration continue écrivent (gusp diff, gusp validate, publication)
gusp-diff.md
gl-code-quality-report.json
gusp-notes.json
gusp-curl.txt
gusp-gh.txt
.gitlab-ci-local/
# Journal d'une écriture de plusieurs fichiers (gusp import), le temps qu'elle dure
.gusp-ecriture.json*
# Le site que gusp publish écrit (sur le poste, ou public/ dans le job GitLab Pages)
/site/
/public/
"""

PRE_COMMIT = """\
# Contrôles avant chaque commit (https://pre-commit.com) :
#   pip install pre-commit && pre-commit install
# Les crochets appellent gusp installé dans l'environnement ; ils portent les mêmes noms que
# ceux du fichier .pre-commit-hooks.yaml de gusp, qu'on peut aussi utiliser directement :
#   - repo: <adresse git du dépôt de gusp>
#     rev: <étiquette de version>
#     hooks:
#       - id: gusp-validate
#       - id: gusp-fmt
#       - id: gusp-schema
repos:
  - repo: local
    hooks:
      - id: gusp-validate
        name: gusp validate
        entry: gusp validate
        language: system
        pass_filenames: false
        files: ^charter-data/
      - id: gusp-fmt
        name: gusp fmt --check
        entry: gusp fmt --check
        language: system
        pass_filenames: false
        files: ^charter-data/
      - id: gusp-schema
        name: gusp schema --check
        entry: gusp schema --check
        language: system
        pass_filenames: false
        files: ^(charter-data|schemas)/
"""

GITHUB_WORKFLOW = """\
# Contrôle de la charte GUSP à chaque pull request (et à chaque push sur main).
# À placer dans .github/workflows/ du dépôt de la charte.
#  - « gusp validate --format github » : chaque problème devient une annotation sur la ligne
#    fautive (10 erreurs et 10 avertissements au plus, les plus graves d'abord : GitHub n'en montre
#    pas davantage), et la liste complète va dans le résumé du job ;
#  - « gusp diff --format md » : la différence sémantique (actions ajoutées, supprimées, échéances
#    déplacées avec leur motif, statuts, auteurs...) va dans le résumé du job et dans UN
#    commentaire de la pull request, mis à jour à chaque push (repéré par « <!-- gusp diff --> »).
#    Un commentaire qui ne peut pas être publié (pull request venue d'un fork, dont le jeton est en
#    lecture seule ; droits insuffisants) ne fait jamais échouer le job : une ligne dit pourquoi.
# Installation de gusp : définissez la variable de dépôt GUSP_PIP_SPEC (Settings > Secrets and
# variables > Actions > Variables) : ce que pip installe, une version épinglée de gusp, par
# exemple une adresse git à une étiquette, git+https://<forge>/<groupe>/gusp.git@v0.2.0, ou
# l'adresse d'une roue publiée, https://<forge>/.../gusp_cli-0.2.0-py3-none-any.whl.
name: Charte GUSP

on:
  pull_request:
    paths: ["charter-data/**"]
  push:
    branches: [main]
    paths: ["charter-data/**"]

permissions:
  contents: read
  pull-requests: write

jobs:
  charte:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # tout l'historique : gusp diff compare deux révisions
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Installer gusp
        env:
          GUSP_PIP_SPEC: ${{ vars.GUSP_PIP_SPEC }}
        run: |
          if [ -z "$GUSP_PIP_SPEC" ]; then
            echo "::error title=gusp non installé::la variable GUSP_PIP_SPEC n'est pas définie : indiquez dans Settings > Secrets and variables > Actions > Variables la version de gusp à installer (git+https://<forge>/<groupe>/gusp.git@v0.2.0, ou l'adresse d'une roue gusp_cli-….whl)"
            exit 1
          fi
          python -m pip install "$GUSP_PIP_SPEC"
      - name: Valider la charte
        run: gusp validate --format github
      - name: Publier la différence sémantique
        if: github.event_name == 'pull_request'
        env:
          GH_TOKEN: ${{ github.token }}
          BASE_REF: ${{ github.base_ref }}
          PR_NUMBER: ${{ github.event.pull_request.number }}
          FORK: ${{ github.event.pull_request.head.repo.full_name != github.repository }}
        run: |
          gusp diff "origin/$BASE_REF" HEAD --format md > gusp-diff.md
          { echo; cat gusp-diff.md; } >> "$GITHUB_STEP_SUMMARY"
          if [ "$FORK" = "true" ]; then
            echo "::notice title=gusp diff::commentaire non publié : la pull request vient d'un fork, dont le jeton est en lecture seule ; la différence est dans le résumé du job"
            exit 0
          fi
          publish() {
            comments="repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments"
            id=$(gh api --paginate "$comments" --jq '.[] | select(.body | contains("<!-- gusp diff -->")) | .id' | head -n 1) || return 1
            if [ -n "$id" ]; then
              gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F body=@gusp-diff.md > /dev/null || return 1
            else
              gh api --method POST "$comments" -F body=@gusp-diff.md > /dev/null || return 1
            fi
          }
          if ! publish 2> gusp-gh.txt; then
            echo "::warning title=gusp diff::commentaire non publié : $(grep -m 1 . gusp-gh.txt || echo 'gh a échoué') ; la différence est dans le résumé du job"
          fi
"""

GITHUB_PAGES_WORKFLOW = """\
# Site des habitants de la charte GUSP, publié sur GitHub Pages à chaque push sur main, et chaque
# lundi matin : les retards se comptent au jour de la publication.
# À placer dans .github/workflows/ du dépôt de la charte, à côté du contrôle (gusp.yml).
#  - « gusp publish » écrit le site (une page par quartier et par action, la gouvernance, un fil
#    Atom des modifications tiré de l'historique git) et les données ouvertes (donnees/, un paquet
#    de données Frictionless). Seules les notes de suivi marquées public: true y figurent ; une
#    charte invalide n'est pas publiée (le site en ligne reste le précédent) ;
#  - le site est déployé sur GitHub Pages. À activer une fois : Settings > Pages > Build and
#    deployment > Source : « GitHub Actions ».
# Installation de gusp : la variable de dépôt GUSP_PIP_SPEC (Settings > Secrets and variables >
# Actions > Variables), la même que pour le contrôle : une version épinglée de gusp, par exemple
# git+https://<forge>/<groupe>/gusp.git@v0.2.0, ou l'adresse d'une roue gusp_cli-….whl.
name: Site de la charte GUSP

on:
  push:
    branches: [main]
    paths: ["charter-data/**", "templates/**"]
  schedule:
    - cron: "0 5 * * 1"
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  site:
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deploiement.outputs.page_url }}
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0  # tout l'historique : le fil Atom du site le lit
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Installer gusp
        env:
          GUSP_PIP_SPEC: ${{ vars.GUSP_PIP_SPEC }}
        run: |
          if [ -z "$GUSP_PIP_SPEC" ]; then
            echo "::error title=gusp non installé::la variable GUSP_PIP_SPEC n'est pas définie : indiquez dans Settings > Secrets and variables > Actions > Variables la version de gusp à installer (git+https://<forge>/<groupe>/gusp.git@v0.2.0, ou l'adresse d'une roue gusp_cli-….whl)"
            exit 1
          fi
          python -m pip install "$GUSP_PIP_SPEC"
      - uses: actions/configure-pages@v5
        id: pages
      - name: Publier le site
        env:
          SITE_URL: ${{ steps.pages.outputs.base_url }}
        run: gusp publish -o site --url "$SITE_URL/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site
      - uses: actions/deploy-pages@v4
        id: deploiement
"""

GITLAB_CI = """\
# Contrôle de la charte GUSP dans les merge requests (et sur la branche par défaut).
# À enregistrer sous le nom .gitlab-ci.yml à la racine du dépôt de la charte.
#  - « gusp validate --format gitlab » : un rapport Code Quality, qui montre chaque problème sur
#    sa ligne dans la merge request ; « gusp validate » le redit, avec fichier:ligne:colonne,
#    dans le journal du job, qui échoue si la charte est invalide ;
#  - « gusp diff --format md » : la différence sémantique, dans le journal, dans l'artefact
#    gusp-diff.md et dans UNE note de la merge request, mise à jour à chaque pipeline (repérée par
#    « <!-- gusp diff --> »). Une note qui ne peut pas être publiée ne fait jamais échouer le job :
#    une ligne dit pourquoi.
# Publication de la note : le jeton CI_JOB_TOKEN ne permet pas d'écrire une note. Créez un jeton
# d'accès de projet (Settings > Access tokens, rôle Reporter, portée « api ») et enregistrez-le
# dans la variable CI/CD masquée GUSP_GITLAB_TOKEN.
# Installation de gusp : définissez la variable CI/CD GUSP_PIP_SPEC (Settings > CI/CD >
# Variables) : ce que pip installe, une version épinglée de gusp, par exemple une adresse git à
# une étiquette, git+https://<forge>/<groupe>/gusp.git@v0.2.0, ou l'adresse d'une roue publiée,
# https://<forge>/.../gusp_cli-0.2.0-py3-none-any.whl.
# Site des habitants : sur la branche par défaut, le job « pages » publie l'avancement de la
# charte avec « gusp publish » (une page par quartier et par action, la gouvernance, un fil Atom
# des modifications tiré de l'historique git, les données ouvertes dans donnees/) sur GitLab
# Pages, à l'adresse que Deploy > Pages indique. Seules les notes de suivi marquées public: true
# y figurent. Les retards se comptent au jour de la publication : pour tenir le site à jour même
# sans commit, programmez un pipeline hebdomadaire sur la branche par défaut (Build > Pipeline
# schedules).
.gusp:
  image: python:3.12  # contient git et curl
  variables:
    GIT_DEPTH: "0"  # tout l'historique : gusp diff compare deux révisions, le fil Atom les lit
  before_script:
    - |
      if [ -z "$GUSP_PIP_SPEC" ]; then
        echo "gusp non installé : la variable CI/CD GUSP_PIP_SPEC n'est pas définie ; indiquez dans Settings > CI/CD > Variables la version de gusp à installer (git+https://<forge>/<groupe>/gusp.git@v0.2.0, ou l'adresse d'une roue gusp_cli-….whl)" >&2
        exit 1
      fi
    - python -m pip install "$GUSP_PIP_SPEC"

charte-gusp:
  extends: .gusp
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - gusp validate --format gitlab > gl-code-quality-report.json || [ $? -eq 1 ]
    - gusp validate --format text
    - |
      if [ -n "$CI_MERGE_REQUEST_IID" ]; then
        gusp diff "$CI_MERGE_REQUEST_DIFF_BASE_SHA" HEAD --format md > gusp-diff.md
        cat gusp-diff.md
        publish() {
          notes="$CI_API_V4_URL/projects/$CI_PROJECT_ID/merge_requests/$CI_MERGE_REQUEST_IID/notes"
          curl --fail --silent --show-error --header "PRIVATE-TOKEN: $GUSP_GITLAB_TOKEN" \\
            "$notes?per_page=100&sort=asc" > gusp-notes.json || return 1
          id=$(python -c 'import json; print(next((n["id"] for n in json.load(open("gusp-notes.json")) if "<!-- gusp diff -->" in n.get("body", "")), ""))') || return 1
          if [ -n "$id" ]; then set -- --request PUT "$notes/$id"; else set -- --request POST "$notes"; fi
          curl --fail --silent --show-error --header "PRIVATE-TOKEN: $GUSP_GITLAB_TOKEN" \\
            --data-urlencode "body@gusp-diff.md" "$@" > /dev/null || return 1
        }
        if [ -z "$GUSP_GITLAB_TOKEN" ]; then
          echo "gusp diff : note non publiée : la variable CI/CD GUSP_GITLAB_TOKEN n'est pas définie (jeton d'accès de projet, rôle Reporter, portée api) ; la différence est ci-dessus et dans l'artefact gusp-diff.md"
        elif ! publish 2> gusp-curl.txt; then
          echo "gusp diff : note non publiée : $(grep -m 1 . gusp-curl.txt || echo 'curl a échoué') ; la différence est ci-dessus et dans l'artefact gusp-diff.md"
        fi
      fi
  artifacts:
    when: always
    expose_as: "Différence sémantique de la charte"
    paths:
      - gusp-diff.md
    reports:
      codequality: gl-code-quality-report.json

pages:
  extends: .gusp
  stage: deploy  # après la validation (stage test) : une charte invalide n'est pas publiée
  rules:
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  script:
    - gusp publish -o public ${CI_PAGES_URL:+--url "$CI_PAGES_URL/"}
  artifacts:
    paths:
      - public
"""
