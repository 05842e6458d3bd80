"""Finding the charter from the CLI: the repository, else the embedded charter, read-only."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.store import repository

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def outside(tmp_path: Path, embedded_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder, no $GUSP_CHARTER, and the pinned CALL charter as the embedded one."""
    here = tmp_path / "ailleurs"
    here.mkdir()
    monkeypatch.chdir(here)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    monkeypatch.setattr(repository, "embedded_repository", lambda: embedded_copy)
    return here


def _notice(here: Path) -> str:
    return (f"gusp : aucune charte trouvée dans {here.resolve()} ni ses parents ; la charte embarquée "
            "(Communauté d’Agglomération de Lens-Liévin) répond, en lecture seule : gusp init DOSSIER "
            "pour créer la vôtre\n")


def test_outside_any_repository_the_embedded_charter_answers_with_a_notice(outside: Path, gusp: Run) -> None:
    code, out, err = gusp("overdue", "--quartier", "avion", "--as-of", "2026-11-25")
    assert code == 0 and err == _notice(outside)
    assert out.startswith("À renseigner au 25 novembre 2026 : rien de consigné — Avion – République\n")
    code, out, err = gusp("validate")
    assert code == 0 and err == _notice(outside) and "175 actions" in out


@pytest.mark.parametrize("args", [("status", "AVI-001", "en_cours"),
                                  ("amend", "AVI-001", "--echeance", "2027", "--motif", "COPIL"),
                                  ("add", "-q", "avion", "-t", "1", "-l", "Nouvelle", "-r", "ville"),
                                  ("fmt",), ("import", "suivi.csv")],
                         ids=lambda a: a[0])
def test_edits_against_the_embedded_charter_are_refused_with_the_same_explanation(
        outside: Path, embedded_copy: Path, gusp: Run, args: tuple[str, ...]) -> None:
    (outside / "suivi.csv").write_text("id;statut\nAVI-001;en_cours\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in embedded_copy.rglob("*") if p.is_file()}
    code, out, err = gusp(*args)
    assert (code, out) == (2, "")
    assert err == "gusp : erreur : modification refusée : " + _notice(outside)[len("gusp : "):]
    assert {p: p.read_bytes() for p in embedded_copy.rglob("*") if p.is_file()} == before


def test_an_explicit_path_never_falls_back(outside: Path, gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    assert gusp("overdue", "--charter", "absent") == (2, "", "gusp : erreur : --charter : « absent » "
                                                             "n'existe pas\n")
    monkeypatch.setenv("GUSP_CHARTER", str(outside))
    code, _, err = gusp("overdue")
    assert code == 2 and err.startswith("gusp : erreur : GUSP_CHARTER : ")


def test_history_needs_a_repository_of_ones_own(outside: Path, gusp: Run) -> None:
    code, _, err = gusp("log", "AVI-001")
    assert code == 2 and err.startswith("gusp : erreur : aucune charte trouvée dans ")


def test_without_an_embedded_charter_the_search_fails_as_before(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gusp: Run) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)
    monkeypatch.setattr(repository, "embedded_repository", lambda: None)
    code, _, err = gusp("overdue")
    assert code == 2 and "aucune charte trouvée" in err and "--charter CHEMIN" in err


def test_the_embedded_charter_of_this_checkout_is_its_own_charter_data() -> None:
    root = repository.embedded_repository()
    assert root is not None and (root / "charter-data" / "charte.yaml").is_file()
