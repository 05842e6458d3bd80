"""``gusp evaluation`` and ``gusp evaluation set``; ``gusp show`` names an action's TFPB cost."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

Run = Callable[..., tuple[int, str, str]]
DAY = ("--as-of", "2026-11-25")


def test_show_gives_the_tfpb_cost_with_its_source(tfpb_copy: Path, gusp: Run,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tfpb_copy)
    code, out, _ = gusp("show", "AVI-005", *DAY)
    assert code == 0
    assert "Coût : 84\u202f250,50\u202f€ — source : TFPB Pas-de-Calais Habitat 2024, 2025" in out
    assert ("2025 Pas-de-Calais Habitat — Équipes de propreté de l'association El Fouad : "
            "45\u202f250,50\u202f€") in out
    code, out, _ = gusp("show", "AVI-005", "-f", "json", *DAY)
    cost = json.loads(out)["cout"]
    assert (cost["montant"], cost["origine"], cost["source"]) == (84250.5, "tfpb",
                                                                  "TFPB Pas-de-Calais Habitat 2024, 2025")


def test_set_then_the_counts_match_the_data(tfpb_copy: Path, gusp: Run,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tfpb_copy)
    code, out, err = gusp("evaluation", "set", "AVI-006", "--deployee", "oui", "--cout", "12 500",
                          "--insertion", "oui", "--qualite-de-vie", "non", "--note", "Talus posés")
    assert code == 0, err
    assert "AVI-006 : Coût non renseigné → 12\u202f500\u202f€" in out
    code, out, err = gusp("evaluation", "set", "avi-007", "--deployee", "non")
    assert code == 0, err
    code, out, _ = gusp("evaluation", "-q", "avion", "-f", "json", *DAY)
    assert code == 0
    from tests.exchange.test_json_schemas import _valid

    document = _valid("evaluation", out)
    avion = document["quartiers"][0]
    cells = {c["case"]: c for c in avion["cases"]}
    assert (cells["deployee"]["oui"], cells["deployee"]["non"], cells["deployee"]["renseignees"]) == (1, 1, 2)
    assert cells["cout"]["renseignees"] == 2 and cells["cout"]["depuis_tfpb"] == 1
    assert cells["clauses_insertion_respectees"]["oui"] == 1
    assert cells["qualite_de_vie_amelioree"]["non"] == 1
    assert (avion["cout_enregistre"], avion["cout_tfpb"], avion["cout_total"]) == (12500, 84250.5, 96750.5)
    assert avion["actions_deployees"] == ["AVI-006"]
    code, out, _ = gusp("evaluation", "-q", "avion", *DAY)
    assert "Déployée : 2 renseignées sur " in out
    assert "Coût total : 96\u202f750,50\u202f€" in out


def test_to_fill_lists_actions_per_party(tfpb_copy: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tfpb_copy)
    code, out, _ = gusp("evaluation", "--a-renseigner", "-q", "lens", *DAY)
    assert code == 0
    assert "Maisons et Cités — " in out and "[manque : " in out
    assert "LEN-005  " in out  # its cost from TFPB, the other cells still blank


def test_set_is_refused_cleanly(embedded_copy: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(embedded_copy)
    before = {p: p.read_bytes() for p in (embedded_copy / "charter-data").rglob("*.yaml")}
    for args, words in ((("set", "AVI-005", "--cout", "-3"), "négatif"),
                        (("set", "AVI-005", "--cout", "12.500"), "--cout : montant « 12.500 » ambigu"),
                        (("set", "AVI-005", "--deployee", "peut-être"), "attendu oui, non"),
                        (("set", "AVI-999", "--deployee", "oui"), "introuvable"),
                        (("set",), "ID"), (("sset", "AVI-005"), "sous-commande inconnue"),
                        (("--cout", "5"), "seulement avec"), (("set", "AVI-005"), "rien à enregistrer"),
                        (("set", "AVI-005", "--valeur", "x=1"), "--valeur")):
        code, _, err = gusp("evaluation", *args)
        assert code == 2, (args, err)
        assert words in err, (args, err)
    assert before == {p: p.read_bytes() for p in (embedded_copy / "charter-data").rglob("*.yaml")}
