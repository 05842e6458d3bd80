"""A copy of the CALL charter as a project lead has it before a COPIL: a git history with a change
of responsible party (LIE-010), statuses with notes and authors, two insertion semesters, a COPIL
whose decisions name actions, and the year's ``revues/2026.yaml``."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import CASES

INSERTION = """# yaml-language-server: $schema=../schemas/insertion.schema.json
premier_semestre: 2025-S2
semestres:
  - semestre: 2025-S2
    heures_travaux: 1200
    heures_gup: 460
    heures_marches_gup: 4000
    modalites:
      embauche_directe: 700
      interim: 960
    beneficiaires: 11
  - semestre: 2026-S1
    heures_travaux: 900
    heures_gup: 405
    heures_marches_gup: 4500
    beneficiaires: 9
"""
MEETINGS = """reunions:
  - date: 2026-03-20
    instance: copil
    objet: COPIL annuel GUSP
    decisions:
      - texte: "Propreté : la CALL confie le suivi de LIE-010 à la ville et au bailleur"
        actions: [LIE-010, AVI-005]
"""
WORDS = """# yaml-language-server: $schema=../../schemas/revue.schema.json
seance:
  date: 2026-12-10
  heure: "14:30"
  lieu: "Hôtel communautaire, salle du conseil"
faits_marquants:
  - "Ouverture de la nouvelle maison du projet en septembre 2026."
  - "Premier semestre d'insertion transmis à l'ANRU dans les délais."
perspectives:
  - "Relancer les groupes de travail thématiques dès janvier 2027."
quartiers:
  avion:
    - "Les équipes d'El Fouad passent désormais deux fois par semaine."
"""
AVI_005_BEFORE = '''        responsables: [bailleur, el_fouad]
        echeance: "2018"
'''
AVI_005_AFTER = '''        responsables: [bailleur, el_fouad]
        echeance: "2018"
        statut: en_cours
        suivi:
          - date: 2026-09-15
            statut: en_cours
            note: "2 passages par semaine"
            auteur: el_fouad
'''
LIE_010_BEFORE = '''        responsables: [ville, call, bailleur]
        echeance: "2024"
'''
LIE_010_AFTER = '''        responsables: [ville, bailleur]
        echeance: "2024"
        suivi:
          - date: 2026-03-20
            champ: responsables
            ancienne_valeur: "ville, call, bailleur"
            motif: "décision du COPIL du 20 mars 2026"
'''


def _git(root: Path, *args: str, date: str | None = None) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update({"GIT_AUTHOR_NAME": "Chef de projet", "GIT_AUTHOR_EMAIL": "cp@exemple.fr",
                "GIT_COMMITTER_NAME": "Chef de projet", "GIT_COMMITTER_EMAIL": "cp@exemple.fr",
                "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull})
    if date:
        env.update(GIT_AUTHOR_DATE=f"{date}T12:00:00", GIT_COMMITTER_DATE=f"{date}T12:00:00")
    subprocess.run(["git", "-C", str(root), "-c", "commit.gpgsign=false", *args], check=True,
                   capture_output=True, env=env)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def build(target: Path) -> Path:
    """The case in ``target`` (created): the charter committed at the end of 2025, the 2026 work
    committed in April and November 2026."""
    shutil.copytree(CASES / "call" / "charter-data", target / "charter-data")
    data = target / "charter-data"
    _git(target, "init", "-q", "-b", "main")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "Charte signée", date="2025-12-01")
    _replace(data / "quartiers" / "lievin.yaml", LIE_010_BEFORE, LIE_010_AFTER)
    (data / "reunions.yaml").write_text(MEETINGS, encoding="utf-8")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "COPIL de mars : LIE-010 à la ville et au bailleur", date="2026-04-01")
    _replace(data / "quartiers" / "avion.yaml", AVI_005_BEFORE, AVI_005_AFTER)
    (data / "insertion.yaml").write_text(INSERTION, encoding="utf-8")
    (data / "revues").mkdir()
    (data / "revues" / "2026.yaml").write_text(WORDS, encoding="utf-8")
    _git(target, "add", "-A")
    _git(target, "commit", "-q", "-m", "Suivi de l'automne, insertion, revue 2026", date="2026-11-20")
    return target
