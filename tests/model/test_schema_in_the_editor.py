"""The schemas as an editor shows them: yaml-language-server (VS Code's YAML extension), over stdio.

Skipped, with the reason, when node or the server is absent (``.ci/run`` installs both).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from gusp_cli.store.loader import load
from gusp_cli.store.schema_files import write_schemas
from tests.conftest import CALL
from tests.node_tools import YamlLanguageServer, missing_reason

REASON = missing_reason("yaml-language-server")
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


@pytest.fixture
def call_repo(tmp_path: Path) -> Path:
    """A copy of the CALL charter with the schemas ``gusp schema`` writes for it."""
    root = tmp_path / "call"
    shutil.copytree(CALL / "charter-data", root / "charter-data")
    write_schemas(root / "schemas", load(root))
    return root


@pytest.fixture
def server(tmp_path: Path) -> Iterator[YamlLanguageServer]:
    started = YamlLanguageServer(tmp_path)
    yield started
    started.close()


def _line_of(text: str, fragment: str) -> int:
    return text[:text.index(fragment)].count("\n") + 1


def test_the_editor_reports_in_french_an_unknown_actor_a_malformed_echeance_and_a_wrong_status(
        call_repo: Path, server: YamlLanguageServer) -> None:
    path = call_repo / "charter-data" / "quartiers" / "avion.yaml"
    text = path.read_text(encoding="utf-8")
    assert server.diagnostics(path) == []  # the charter as signed: nothing to flag
    text = text.replace("responsables: [bailleur, el_fouad]", "responsables: [bailleur, el_fuad]", 1)
    text = text.replace('echeance: "2018"', 'echeance: "T5 2027"', 1)
    text = text.replace("        numero: 2\n", "        numero: 2\n        statut: realise\n", 1)
    found = {(d.line, d.message) for d in server.diagnostics(path, text)}
    assert (_line_of(text, "el_fuad"), "partie inconnue : un identifiant d'acteur ou de rôle de acteurs.yaml "
            "est attendu (call, ville_de_lens, ville_de_lievin, ville_d_avion, maisons_et_cites, "
            "pas_de_calais_habitat, sia_habitat, prefet, ddtm, anru, delegue_territorial_anru, el_fouad, "
            "recup_tri, les_anges_gardins, apsa, main_forte, ccas, mission_locale, id_formation_plie, "
            "pole_emploi, association_3id, cara, centre_socio_culturel_flament, maison_des_projets, "
            "futurs_promoteurs, partenaires, ville, bailleur)") in found
    assert any(line == _line_of(text, "T5 2027") and message.startswith(
        "échéance non reconnue ; formes acceptées : une année (2023)") for line, message in found)
    assert (_line_of(text, "statut: realise"), "statut invalide ; valeurs possibles : a_faire, en_cours, "
            "realisee, abandonnee, reportee") in found
    assert len(found) == 3


def test_hover_shows_the_french_description(call_repo: Path, server: YamlLanguageServer) -> None:
    path = call_repo / "charter-data" / "quartiers" / "lens.yaml"
    text = path.read_text(encoding="utf-8")
    server.diagnostics(path)
    line = _line_of(text, "        echeance:")
    hover = server.hover(path, line, 10)
    assert hover.startswith("Échéance telle qu'écrite dans la charte : 2023, 2023/2024, Été 2022")
    assert "``" not in hover


def test_a_new_repository_is_checked_through_its_vscode_settings(tmp_path: Path) -> None:
    # gusp init's .vscode/settings.json ties each schema to its files: no modeline needed.
    from gusp_cli.history.git import first_commit
    from gusp_cli.store.scaffold import create_repository

    root = tmp_path / "charte"
    create_repository(root, annee=2026, commit=first_commit)
    settings = json.loads((root / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    schemas = {(root / target).resolve().as_uri(): globs
               for target, globs in settings["yaml.schemas"].items()}
    path = root / "charter-data" / "reunions.yaml"
    text = "reunions:\n  - date: 2026-03-12\n    heure: 25h\n    instance: copl\n"
    editor = YamlLanguageServer(root, schemas)
    try:
        found = {(d.line, d.message) for d in editor.diagnostics(path, text)}
    finally:
        editor.close()
    assert found == {
        (3, "heure invalide : 14:30 ou 14h30 (de 0:00 à 23:59)"),
        (4, "instance inconnue : un identifiant des instances de charte.yaml est attendu (copil)")}
