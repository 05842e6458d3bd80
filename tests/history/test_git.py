"""A shallow clone (``git clone --depth``) never gives a wrong answer silently: what its truncated
history cannot tell is refused with exit 3 and the way to fetch the rest (issue 14)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from gusp_cli.history.git import EXIT_TRUNCATED, GitRepo
from tests.scripted_git import NEW_ACTION, QUARTIER, build_history, commit_all, edit, git

Run = Callable[..., tuple[int, str, str]]
AS_OF = "2026-11-25"
HOW_TO = ("récupérez l'historique complet : git fetch --unshallow (en CI : fetch-depth: 0 pour "
          "actions/checkout sur GitHub, variable GIT_DEPTH: 0 sur GitLab)")


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """The scripted history on main, then a branch whose commit adds CEN-006 (created inside a
    depth-2 clone of that branch, which has no main: the CI checkout of a pull request)."""
    root = tmp_path / "origine"
    build_history(root)
    git(root, "checkout", "-q", "-b", "feature")
    edit(root, QUARTIER, "  - titre: Gestion post chantier",
         NEW_ACTION.replace("CEN-005", "CEN-006").replace("numero: 3", "numero: 4").rstrip("\n")
         + "\n  - titre: Gestion post chantier")
    commit_all(root, "Add CEN-006", 6)
    return root


def _clone(origin: Path, target: Path, depth: int, branch: str) -> Path:
    subprocess.run(["git", "clone", "-q", f"--depth={depth}", "--branch", branch, f"file://{origin}",
                    str(target)], check=True, capture_output=True)
    return target


@pytest.fixture
def shallow(origin: Path, tmp_path: Path) -> Path:
    return _clone(origin, tmp_path / "superficiel", 2, "feature")


def test_a_shallow_clone_is_detected(origin: Path, shallow: Path) -> None:
    assert GitRepo.open(shallow).shallow and not GitRepo.open(origin).shallow
    assert GitRepo.open(shallow).grafted() == {git(shallow, "rev-parse", "HEAD~1")}
    assert GitRepo.open(origin).grafted() == frozenset()


@pytest.mark.parametrize("args", [("diff",), ("diff", "--format", "md"), ("diff", "--format", "json"),
                                  ("diff", "HEAD~3"), ("diff", "HEAD~3", "HEAD")], ids=" ".join)
def test_diff_refuses_what_the_truncated_history_cannot_tell(shallow: Path, gusp: Run,
                                                             args: tuple[str, ...]) -> None:
    code, out, err = gusp(*args, "--charter", str(shallow))
    assert (code, out) == (EXIT_TRUNCATED, "")
    assert err.startswith("gusp : erreur : historique git tronqué (clone superficiel, git clone --depth) : ")
    assert err.rstrip("\n").endswith(HOW_TO)


def test_diff_between_two_commits_the_clone_has_is_exact(shallow: Path, gusp: Run) -> None:
    code, out, err = gusp("diff", "HEAD~1", "HEAD", "--format", "text", "--charter", str(shallow))
    assert (code, err) == (0, "")
    assert "+ CEN-006" in out


def test_diff_from_a_merge_base_the_clone_has_is_exact(origin: Path, tmp_path: Path, gusp: Run) -> None:
    clone = _clone(origin, tmp_path / "main", 2, "main")
    edit(clone, QUARTIER, '        echeance: "2026"\n', '        echeance: "2027"\n')
    code, out, err = gusp("diff", "--format", "text", "--charter", str(clone))
    assert (code, err) == (0, "")
    assert "~ CEN-001 : échéance 2026 → 2027" in out


def test_log_refuses_an_action_whose_history_starts_before_the_clone(shallow: Path, gusp: Run) -> None:
    for action in ("CEN-001", "CEN-005", "CEN-004"):
        code, out, err = gusp("log", action, "--charter", str(shallow))
        assert (code, out) == (EXIT_TRUNCATED, ""), action
        assert f"l'historique de {action} commence avant le premier commit récupéré" in err


def test_log_of_an_action_created_inside_the_clone_is_complete(shallow: Path, gusp: Run) -> None:
    code, out, err = gusp("log", "CEN-006", "--charter", str(shallow))
    assert (code, err) == (0, "")
    assert "création dans « Gestion actuelle / Propreté (secteur gare) »" in out


def test_add_refuses_to_pick_an_id_it_cannot_prove_unused(shallow: Path, gusp: Run) -> None:
    before = (shallow / QUARTIER).read_bytes()
    code, out, err = gusp("add", "-q", "centre", "-t", "1", "-l", "Nouvelle action", "-r", "ville",
                          "--charter", str(shallow))
    assert (code, out) == (EXIT_TRUNCATED, "")
    assert "gusp add ne peut pas prouver qu'un identifiant n'a jamais servi" in err
    assert (shallow / QUARTIER).read_bytes() == before


def test_show_and_review_say_the_history_is_truncated(shallow: Path, gusp: Run) -> None:
    code, out, _ = gusp("show", "CEN-001", "--as-of", AS_OF, "--charter", str(shallow))
    assert code == 0 and "  Historique git : historique git tronqué" in out
    code, out, _ = gusp("review", "--as-of", AS_OF, "--year", "2025", "--charter", str(shallow))
    assert code == 0 and "Historique git indisponible\xa0: historique git tronqué" in out


def test_once_unshallowed_every_command_answers(origin: Path, shallow: Path, gusp: Run) -> None:
    git(shallow, "fetch", "-q", "--unshallow")
    assert gusp("diff", "HEAD~3", "--charter", str(shallow))[0] == 0
    assert gusp("log", "CEN-001", "--charter", str(shallow))[0] == 0
    code, out, _ = gusp("add", "-q", "centre", "-t", "1", "-l", "Nouvelle action", "-r", "ville", "-n",
                        "--charter", str(shallow))
    assert code == 0 and "CEN-007" in out  # CEN-004, removed, is never given again
