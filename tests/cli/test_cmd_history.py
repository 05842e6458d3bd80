"""``gusp diff`` and ``gusp log`` through the CLI, on a real repository with a scripted history."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.scripted_git import QUARTIER, build_history, commit_all, edit

Gusp = Callable[..., tuple[int, str, str]]


def line_of(path: Path, text: str) -> int:
    """1-based number of the only line of ``path`` holding ``text``."""
    [number] = [i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line]
    return number


@pytest.fixture(autouse=True)
def _no_user_git_config(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    yield


@pytest.fixture
def scripted(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    root = tmp_path / "depot"
    return root, build_history(root)


EXPECTED_MD = """\
<!-- gusp diff -->
## Charte GUSP : modifications

Comparaison de **HEAD\\~4 ({initial})** à **HEAD ({suppression})**.

**Résumé :** 1 action ajoutée, 1 action supprimée, 1 action modifiée, 1 échéance modifiée, \
1 entrée de suivi ajoutée, 1 acteur ajouté.

### Centre – Quartier de la Gare — 1 ajoutée, 1 supprimée, 1 modifiée

**Actions ajoutées (1)**

| Action | Tableau | Libellé | Responsables | Échéance | Statut | Par |
|---|---|---|---|---|---|---|
| CEN-005 | Gestion actuelle / Propreté (secteur Secteur de la Gare), n° 3 | Nettoyage \\| balayage des \
abords | Association du Centre | 2025 | en cours | Alice Martin |

**Actions modifiées (1)**

| Action | Libellé | Modifications | Par |
|---|---|---|---|
| CEN-001 | Tour de quartier mensuel | échéance 2021 → 2026 (motif : Retard du chantier de la gare) | \
Alice Martin |

**Actions supprimées (1)**

| Action | Tableau | Libellé | Responsables | Échéance | Statut | Par |
|---|---|---|---|---|---|---|
| CEN-004 | Gestion post chantier / Propreté, n° 2 | Sensibilisation au tri | Agglomération de test | 2030 \
| — | Alice Martin |

### Registre des acteurs

- Ajouté : Association du Centre (asso_centre)

<sub>Généré par `gusp diff`.</sub>
"""

EXPECTED_TEXT = """\
Charte : HEAD~4 ({initial}) → HEAD ({suppression})
Résumé : 1 action ajoutée, 1 action supprimée, 1 action modifiée, 1 échéance modifiée, \
1 entrée de suivi ajoutée, 1 acteur ajouté

Centre – Quartier de la Gare (centre) : 1 ajoutée, 1 supprimée, 1 modifiée
  + CEN-005 [Gestion actuelle / Propreté (secteur Secteur de la Gare), n° 3] Nettoyage | balayage des abords \
— responsables : Association du Centre — échéance : 2025 — statut : en cours — par Alice Martin
  ~ CEN-001 : échéance 2021 → 2026 (motif : Retard du chantier de la gare) — par Alice Martin
  - CEN-004 [Gestion post chantier / Propreté, n° 2] Sensibilisation au tri — responsables : Agglomération \
de test — échéance : 2030 — par Alice Martin

Registre des acteurs :
  acteur ajouté : Association du Centre (asso_centre)
"""




def test_diff_markdown_is_exact(gusp: Gusp, scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    code, out, err = gusp("diff", "HEAD~4", "HEAD", "--charter", str(root))
    assert (code, err) == (0, "")
    assert out == EXPECTED_MD.format(**commits)


def test_diff_text_is_exact(gusp: Gusp, scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    code, out, _ = gusp("diff", "HEAD~4", "HEAD", "--format", "text", "--charter", str(root))
    assert code == 0
    assert out == EXPECTED_TEXT.format(**commits)


def test_diff_json_has_stable_keys(gusp: Gusp, scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    code, out, _ = gusp("diff", commits["ajout"], commits["statut"], "-f", "json", "--charter", str(root))
    assert code == 0
    document = json.loads(out)
    assert list(document) == ["version", "base", "cible", "resume", "quartiers", "acteurs", "charte",
                              "remarques"]
    assert document["base"]["revision"] == commits["ajout"]
    assert document["resume"]["statuts_modifies"] == 1 and document["resume"]["echeances_modifiees"] == 1
    actions = {a["id"]: a for a in document["quartiers"][0]["actions"]}
    assert list(actions) == ["CEN-001", "CEN-005"]
    assert actions["CEN-001"]["changements"] == [{
        "champ": "echeance", "libelle": "échéance", "avant": "2021", "apres": "2026",
        "motif": "Retard du chantier de la gare", "note": None}]
    assert actions["CEN-005"]["changements"] == [{
        "champ": "statut", "libelle": "statut", "avant": None, "apres": "en cours",
        "motif": None, "note": "Premier passage fait"}]
    assert actions["CEN-005"]["suivis_ajoutes"] == [
        {"date": "2025-04-02", "statut": "en_cours", "note": "Premier passage fait"}]
    assert document["acteurs"] == {"ajoutes": [], "supprimes": [], "modifies": []}


def test_diff_defaults_to_merge_base_and_working_tree(gusp: Gusp, scripted: tuple[Path, dict[str, str]],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root, commits = scripted
    edit(root, QUARTIER, 'echeance: "Été 2024"', 'echeance: "Été 2025"')
    monkeypatch.chdir(root)
    code, out, _ = gusp("diff")
    assert code == 0
    assert out.splitlines()[3] == (f"Comparaison de **{commits['suppression']} (merge-base de HEAD et "
                                   "main)** à **arbre de travail**.")
    assert "| CEN-002 | Ramassage des dépôts sauvages | échéance Été 2024 → Été 2025 | — |" in out


def test_diff_without_changes(gusp: Gusp, scripted: tuple[Path, dict[str, str]]) -> None:
    root, _ = scripted
    code, out, _ = gusp("diff", "--charter", str(root))
    assert code == 0
    assert out.splitlines()[-1] == "Aucune modification de la charte."
    code, out, _ = gusp("diff", "-f", "text", "--charter", str(root))
    assert out.splitlines()[1] == "Résumé : aucune modification"


def test_diff_errors(gusp: Gusp, scripted: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    root, _ = scripted
    code, out, err = gusp("diff", "v9.9", "--charter", str(root))
    assert (code, out) == (2, "")
    assert err.startswith("gusp : erreur : révision git inconnue « v9.9 »")
    code, _, err = gusp("diff", "-f", "html", "--charter", str(root))
    assert code == 2 and "--format : valeur « html » inconnue" in err
    import shutil

    plain = tmp_path / "hors_git"
    shutil.copytree(root, plain, ignore=shutil.ignore_patterns(".git"))
    code, _, err = gusp("diff", "--charter", str(plain))
    assert code == 2 and "n'est pas dans un dépôt git" in err
    assert "Traceback" not in err


def test_diff_reports_an_invalid_working_tree(gusp: Gusp, scripted: tuple[Path, dict[str, str]],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    root, _ = scripted
    edit(root, QUARTIER, '        echeance: "2026"\n', '        echeance: "2026"\n        statut: fini\n')
    line = line_of(root / QUARTIER, "statut: fini")
    monkeypatch.chdir(root)
    code, out, err = gusp("diff")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "gusp : erreur : la charte est invalide à la révision arbre de travail ; la comparaison est "
        "impossible :",
        f"charter-data/quartiers/centre.yaml:{line}:17: erreur: valeur « fini » invalide pour « statut » "
        "(valeurs possibles : a_faire, en_cours, realisee, abandonnee, reportee) [schema]",
    ]


def test_diff_reports_an_invalid_revision(gusp: Gusp, scripted: tuple[Path, dict[str, str]]) -> None:
    root, _ = scripted
    edit(root, QUARTIER, "responsables: [asso_centre]", "responsables: [asso_nord]")
    broken = commit_all(root, "Unknown party", 6)
    line = line_of(root / QUARTIER, "asso_nord")
    code, _, err = gusp("diff", "HEAD~1", "HEAD", "--charter", str(root))
    assert code == 1
    assert err.splitlines()[1:] == [
        f"HEAD:charter-data/quartiers/centre.yaml:{line}:24: erreur: acteur « asso_nord » inconnu — "
        "vouliez-vous dire « asso_centre » ? [acteur_inconnu]"]
    assert f"révision HEAD ({broken})" in err


EXPECTED_LOG = """\
Historique de CEN-001 — Tour de quartier mensuel (2 commits)

2025-03-15  {echeance}  Alice Martin
  Move CEN-001 deadline
  échéance 2021 → 2026 (motif : Retard du chantier de la gare)

2025-01-15  {initial}  Alice Martin
  Initial charter
  création dans « Gestion actuelle / Propreté (secteur gare) » (centre) : n° 1, libellé « Tour de \
quartier mensuel », responsables ville, agglo, échéance 2021
"""


def test_log_text_is_exact(gusp: Gusp, scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    code, out, err = gusp("log", "cen-1", "--charter", str(root))
    assert (code, err) == (0, "")
    assert out == EXPECTED_LOG.format(**commits)


def test_log_json(gusp: Gusp, scripted: tuple[Path, dict[str, str]]) -> None:
    root, commits = scripted
    code, out, _ = gusp("log", "CEN-004", "--format", "json", "--charter", str(root))
    assert code == 0
    document = json.loads(out)
    assert document["action"] == "CEN-004"
    assert [(c["commit_court"], c["nature"], c["sujet"]) for c in document["commits"]] == [
        (commits["suppression"], "suppression", "Remove CEN-004"),
        (commits["initial"], "creation", "Initial charter")]
    first = document["commits"][0]
    assert list(first) == ["commit", "commit_court", "date", "auteur", "courriel", "sujet", "nature",
                           "quartier", "tableau", "changements", "suivis_ajoutes"]
    assert (first["date"], first["auteur"], first["courriel"]) == (
        "2025-05-15T10:00:00+01:00", "Alice Martin", "alice@example.org")


def test_log_of_uncommitted_and_unknown_actions(gusp: Gusp, scripted: tuple[Path, dict[str, str]]) -> None:
    root, _ = scripted
    edit(root, QUARTIER, '      - id: CEN-005\n', '      - id: CEN-006\n')
    code, out, _ = gusp("log", "CEN-006", "--charter", str(root))
    assert code == 0
    assert out == ("CEN-006 : aucun commit ne la modifie encore (présente dans l'arbre de travail, "
                   "pas encore validée par un commit).\n")
    code, out, err = gusp("log", "CEN-010", "--charter", str(root))
    assert (code, out) == (2, "")
    assert err.startswith("gusp : erreur : action « CEN-010 » introuvable dans la charte et dans son "
                          "historique git ; proches : ")
