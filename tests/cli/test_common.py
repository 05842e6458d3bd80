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


def test_a_read_without_a_write_journal_imports_no_recovery(tmp_path: Path) -> None:
    """Every command that finds the repository looks for an interrupted write: one lstat, no import."""
    import shutil
    import subprocess
    import sys

    from tests.conftest import CALL

    root = tmp_path / "charte"
    shutil.copytree(CALL, root)
    code = ("import sys; from gusp_cli.cli.app import run; "
            f"code = run(['actions', '--quartier', 'lens', '--charter', {str(root)!r}]); "
            "print(code, 'gusp_cli.store.recovery' in sys.modules, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().splitlines()[-1] == "0 False"


def test_a_notice_from_the_recovery_is_printed_once_on_stderr(tmp_path: Path, gusp: Run,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from gusp_cli.model.layout import JOURNAL_FILE
    from gusp_cli.store import recovery
    from tests.conftest import CALL

    root = tmp_path / "charte"
    shutil.copytree(CALL, root)
    (root / JOURNAL_FILE).write_text("{}", encoding="utf-8")
    seen: list[Path] = []

    def notice(where: Path) -> str:
        seen.append(where)
        (where / JOURNAL_FILE).unlink()
        return "une écriture interrompue (essai, 1 fichier) a été annulée : \x1b[2Jx.yaml rétabli"

    monkeypatch.setattr(recovery, "recover", notice)
    code, out, err = gusp("validate", "--charter", str(root))
    assert code == 0 and "3 quartiers" in out
    assert err == "gusp : une écriture interrompue (essai, 1 fichier) a été annulée : ␛[2Jx.yaml rétabli\n"
    assert seen == [root.resolve()]
