"""The veille de terrain as a project lead lives it, on a scratch git repository of the CALL charter.

A tour de quartier in Avion records three field problems; one is relayed to the CLSPD, one is
closed with a note, one stays open. Fifty days after the tour, the open one is past the comité de
proximité's month and its grace: the comité technique's agenda lists it, ``overdue`` counts it,
and the review's veille section counts 3 received, 1 closed, 1 transmitted, 1 open. Then the
refusals (personal data, nothing written) and an action created from a signalement.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CALL
from tests.scripted_git import commit_all, git

Run = Callable[..., tuple[int, str, str]]
SIGNALS = Path("charter-data/signalements.yaml")
TOUR = "2026-10-06"
"""The day of the tour de quartier; the 25th of November is fifty days later."""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The pinned CALL charter in a scratch git repository, the working directory."""
    root = tmp_path / "call"
    shutil.copytree(CALL / "charter-data", root / "charter-data")
    git(root, "-c", "init.defaultBranch=main", "init", "-q")
    commit_all(root, "Charte signée", 1)
    monkeypatch.chdir(root)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    return root


def _tour(gusp: Run, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Steps 1 to 3: the tour's three signalements, one transmitted, one closed; their ids."""
    monkeypatch.setenv("GUSP_TODAY", TOUR)
    seen = [("Dépôt sauvage au pied de la borne d'apport volontaire", "rue Jean Jaurès", "propreté",
             "bailleur"),
            ("Éclairage public en panne sur toute la rue", "rue Paul Éluard", "éclairage", "ville"),
            ("Logement vacant squatté, nuisances le soir", "résidence Cité Blanche", "tranquillité", "ville")]
    ids = []
    for description, lieu, theme, party in seen:
        code, out, err = gusp("signals", "add", "avion", description, "--lieu", lieu, "--theme", theme,
                              "--source", "tour de quartier", "--responsable", party, "--auteur",
                              "Chef de projet")
        assert code == 0, err
        ids.append(out.strip())
    assert ids == ["SIG-2026-0001", "SIG-2026-0002", "SIG-2026-0003"]
    monkeypatch.setenv("GUSP_TODAY", "2026-10-09")
    code, _, err = gusp("signals", "update", ids[2], "--etat", "transmis", "--vers", "CLSPD",
                        "--note", "Problème de tranquillité : relayé au CLSPD")
    assert code == 0, err
    monkeypatch.setenv("GUSP_TODAY", "2026-10-20")
    code, _, err = gusp("signals", "close", ids[1], "--note",
                        "Candélabres réparés par les services techniques")
    assert code == 0, err
    monkeypatch.setenv("GUSP_TODAY", "2026-11-25")
    return ids


def test_a_tour_de_quartier_then_fifty_days(repo: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _tour(gusp, monkeypatch)
    assert gusp("validate")[0] == 0

    # Forty days after the tour, the open one is still within the comité de proximité's month and grace.
    code, out, _ = gusp("agenda", "comite_technique", "--as-of", "2026-11-15")
    assert code == 0
    assert "## 4. Signalements à remonter (0)" in out and ids[0] not in out
    code, out, _ = gusp("agenda", "comite_de_proximite", "--as-of", "2026-11-15")
    assert "## 4. Signalements ouverts (1)" in out and f"**{ids[0]}**" in out
    assert ids[1] not in out and ids[2] not in out

    # Fifty days after: à remonter au comité technique, by party.
    code, out, _ = gusp("agenda", "comite_technique")
    assert code == 0
    section = out.split("## 4. Signalements à remonter (1)", 1)[1].split("## 5. Questions diverses")[0]
    assert "### Pas-de-Calais Habitat (1)" in section
    assert f"**{ids[0]}** (Avion, vu le 6 octobre 2026)" in section
    assert "50 jours, à remonter au comité technique" in section
    assert ids[1] not in section and ids[2] not in section

    _, out, _ = gusp("overdue", "--quartier", "avion")
    assert out.splitlines()[-1].startswith("1 signalement à remonter (encore ouvert après la période du "
                                           "comité de proximité : gusp agenda comite_technique")
    _, out, _ = gusp("overdue", "--quartier", "lens")
    assert "signalement" not in out

    code, out, err = gusp("review", "--year", "2026", "--quartier", "avion")
    assert code == 0, err
    veille = out.split("### Veille de terrain", 1)[1].split("\n### ", 1)[0]
    assert ("En 2026\u00a0: **3 reçus**, 1 transmis à un autre dispositif, 0 traité, 1 clos\u00a0; "
            "**1 encore ouvert** au 25 novembre 2026.") in veille
    assert "Délai médian de résolution\u00a0: 14 jours (sur 1 signalement résolu dans l’année)." in veille
    assert f"**{ids[0]}** (vu le 6 octobre 2026, 50 jours)" in veille
    assert "à remonter au comité technique" in veille

    code, out, _ = gusp("signals", "list", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)["signalements"]}
    assert [rows[i]["etat"] for i in ids] == ["ouvert", "clos", "transmis"]
    assert rows[ids[2]]["transmis_a"] == "CLSPD" and rows[ids[1]]["resolu_le"] == "2026-10-20"
    assert rows[ids[0]]["a_remonter"] is True and rows[ids[0]]["instance"] == "comite_technique"


def test_the_follow_up_is_replayed_at_a_past_date(repo: Path, gusp: Run,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _tour(gusp, monkeypatch)
    _, out, _ = gusp("signals", "list", "--as-of", "2026-10-15", "--format", "json")
    rows = {r["id"]: r for r in json.loads(out)["signalements"]}
    assert [rows[i]["etat"] for i in ids] == ["ouvert", "ouvert", "transmis"]
    _, out, _ = gusp("signals", "list", "--as-of", "2026-10-05", "--format", "json")
    assert json.loads(out)["signalements"] == []


@pytest.mark.parametrize("description", [
    "Dépôt sauvage signalé par l'habitante, joignable au 06 12 34 56 78",
    "Dépôt sauvage, contact : jean.dupont@example.org",
    "Dépôt sauvage devant chez M. Dupont",
])
def test_personal_data_is_refused_and_nothing_is_written(repo: Path, gusp: Run,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         description: str) -> None:
    ids = _tour(gusp, monkeypatch)
    before = (repo / SIGNALS).read_bytes()
    code, out, err = gusp("signals", "add", "avion", description, "--lieu", "rue Jean Jaurès", "--theme",
                          "propreté", "--source", "habitant")
    assert (code, out) == (1, "")
    assert "modification refusée" in err and "donnée personnelle refusée : « description » contient" in err
    assert "jamais des personnes" in err and "[donnees_personnelles]" in err
    assert "56 78" not in err and "example.org" not in err and "Dupont" not in err  # never repeated
    assert (repo / SIGNALS).read_bytes() == before
    code, _, err = gusp("signals", "update", ids[0], "--note", "Rappeler Mme Martin au 0612345678")
    assert code == 1 and "« note » contient un numéro de téléphone et une civilité suivie d'un nom" in err
    assert (repo / SIGNALS).read_bytes() == before
    assert git(repo, "status", "--porcelain") == "?? charter-data/signalements.yaml"


def test_personal_data_refused_before_the_file_exists(repo: Path, gusp: Run) -> None:
    code, _, err = gusp("signals", "add", "avion", "Voir avec le locataire (marie@example.fr)", "--lieu",
                          "rue A", "--theme", "propreté", "--source", "habitant")
    assert code == 1 and "une adresse électronique" in err
    assert not (repo / SIGNALS).exists() and git(repo, "status", "--porcelain") == ""


def test_to_action_creates_a_valid_action_that_names_the_signalement(repo: Path, gusp: Run,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    ids = _tour(gusp, monkeypatch)
    commit_all(repo, "Tour de quartier", 2)
    code, out, err = gusp("signals", "to-action", ids[0], "--tableau", "1", "--libelle",
                          "Résorber les dépôts sauvages aux bornes d'apport volontaire", "--echeance", "2027")
    assert code == 0, err
    new_id = out.strip()
    assert new_id.startswith("AVI-")
    assert "charter-data/quartiers/avion.yaml modifié" in err
    assert "charter-data/signalements.yaml modifié" in err
    code, out, err = gusp("validate")
    assert code == 0, out
    code, out, _ = gusp("show", new_id)
    assert f"Issue de      : {ids[0]} — Dépôt sauvage au pied de la borne d'apport volontaire" in out
    document = json.loads(gusp("show", new_id, "--format", "json")[1])
    assert document["signalements"] == [{"id": ids[0], "lien": "origine", "date": TOUR,
                                         "lieu": "rue Jean Jaurès",
                                         "description": "Dépôt sauvage au pied de la borne d'apport "
                                                        "volontaire",
                                         "etat": "ouvert"}]
    row = json.loads(gusp("signals", "list", "--format", "json")[1])["signalements"][0]
    assert row["action"] == new_id and row["a_remonter"] is False  # followed through the action now
    assert "signalements: [SIG-2026-0001]" in (repo / "charter-data/quartiers/avion.yaml").read_text()
    code, _, err = gusp("signals", "to-action", ids[0], "--tableau", "1")
    assert code == 2 and f"a déjà donné lieu à l'action {new_id}" in err


def test_an_id_removed_from_the_file_is_never_given_again(repo: Path, gusp: Run,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    _tour(gusp, monkeypatch)
    commit_all(repo, "Tour de quartier", 2)
    (repo / SIGNALS).write_text("signalements: []\n", encoding="utf-8")
    commit_all(repo, "Purge", 3)
    code, out, _ = gusp("signals", "add", "avion", "Tags sur le mur du gymnase", "--lieu", "gymnase",
                        "--theme",
                        "propreté", "--source", "partenaire")
    assert (code, out) == (0, "SIG-2026-0004\n")
