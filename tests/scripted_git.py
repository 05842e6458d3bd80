"""Charter repositories with a scripted git history, for the tests of diff, log, add and init."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from tests.conftest import CASES

QUARTIER = Path("charter-data/quartiers/centre.yaml")
REGISTRY = Path("charter-data/acteurs.yaml")

NEW_ACTION = """      - id: CEN-005
        numero: 3
        libelle: "Nettoyage | balayage des abords"
        responsables: [asso_centre]
        echeance: "2025"
"""
NEW_PARTY = """  - id: asso_centre
    nom: Association du Centre
    type: association
"""


def git_env(day: int = 1) -> dict[str, str]:
    """A reproducible git environment: fixed identity and dates, no user or system config."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    stamp = f"2025-0{day}-15T10:00:00+01:00" if day < 10 else f"2025-{day}-15T10:00:00+01:00"
    env.update({
        "GIT_AUTHOR_NAME": "Alice Martin", "GIT_AUTHOR_EMAIL": "alice@example.org",
        "GIT_COMMITTER_NAME": "Alice Martin", "GIT_COMMITTER_EMAIL": "alice@example.org",
        "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp,
        "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull,
    })
    return env


def git(root: Path, *args: str, day: int = 1) -> str:
    """Run git in ``root`` with the reproducible environment; return stdout."""
    done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                          check=True, env=git_env(day))
    return done.stdout.strip()


def commit_all(root: Path, message: str, day: int) -> str:
    """Stage everything and commit; return the short hash."""
    git(root, "add", "-A", day=day)
    git(root, "commit", "-q", "-m", message, day=day)
    return git(root, "rev-parse", "--short", "HEAD")


def edit(root: Path, relative: Path, old: str, new: str) -> None:
    """Replace one exact passage of a file (it must occur once)."""
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def build_history(root: Path) -> dict[str, str]:
    """Copy the base charter into ``root`` and commit a scripted history; return the hashes.

    1. the base charter; 2. CEN-005 added (and its party); 3. CEN-001's deadline moved with a
    motif; 4. CEN-005 started; 5. CEN-004 removed.
    """
    shutil.copytree(CASES / "base", root)
    git(root, "-c", "init.defaultBranch=main", "init", "-q")
    commits = {"initial": commit_all(root, "Initial charter", 1)}
    edit(root, REGISTRY, "  - id: futurs_promoteurs\n", NEW_PARTY + "  - id: futurs_promoteurs\n")
    edit(root, QUARTIER, "  - titre: Gestion post chantier", NEW_ACTION.rstrip("\n") + "\n"
         "  - titre: Gestion post chantier")
    commits["ajout"] = commit_all(root, "Add CEN-005", 2)
    edit(root, QUARTIER, '        echeance: "2021"\n', '        echeance: "2026"\n'
         "        suivi:\n          - date: 2025-03-01\n            champ: echeance\n"
         '            ancienne_valeur: "2021"\n            motif: Retard du chantier de la gare\n')
    commits["echeance"] = commit_all(root, "Move CEN-001 deadline", 3)
    edit(root, QUARTIER, '        echeance: "2025"\n', '        echeance: "2025"\n'
         "        statut: en_cours\n        suivi:\n          - date: 2025-04-02\n"
         "            statut: en_cours\n            note: Premier passage fait\n")
    commits["statut"] = commit_all(root, "Start CEN-005", 4)
    edit(root, QUARTIER, '      - id: CEN-004\n        numero: 2\n        libelle: "Sensibilisation au tri"\n'
         '        responsables: [agglo]\n        echeance: "2030"\n', "")
    commits["suppression"] = commit_all(root, "Remove CEN-004", 5)
    return commits
