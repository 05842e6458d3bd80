"""Shell completion: the scripts, and what action ids, quartiers, parties, statuses and bodies
complete to, fast (from the cache) and never from the help cache."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CALL

Run = Callable[..., tuple[int, str, str]]
BIN = Path(sys.executable).parent


def _complete(gusp: Run, monkeypatch: pytest.MonkeyPatch, line: str) -> tuple[int, list[str], str]:
    """What bash gets for ``line`` (the word under the cursor is the last, maybe empty)."""
    words = line.split(" ")
    monkeypatch.setenv("_GUSP_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", line)
    monkeypatch.setenv("COMP_CWORD", str(len(words) - 1))
    code, out, err = gusp()
    return code, out.split(), err


@pytest.fixture
def at_call(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(CALL)
    monkeypatch.delenv("GUSP_CHARTER", raising=False)


def test_show_completion_prints_the_script_of_the_shell_named(gusp: Run) -> None:
    code, out, err = gusp("--show-completion", "bash")
    assert (code, err) == (0, "")
    assert "_GUSP_COMPLETE=complete_bash $1" in out and out.rstrip().endswith(
        "complete -o default -F _gusp_completion gusp")
    code, out, _ = gusp("--show-completion", "zsh")
    assert code == 0 and out.startswith("#compdef gusp") and "_GUSP_COMPLETE=complete_zsh" in out
    code, out, err = gusp("--show-completion", "tcsh")
    assert (code, out) == (2, "")
    assert err == ("gusp : erreur : shell « tcsh » inconnu ; choix possibles : bash, zsh, fish, powershell, "
                   "pwsh\n")


def test_install_completion_writes_the_script_for_the_user(gusp: Run, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    code, out, _ = gusp("--install-completion", "bash")
    script = tmp_path / ".bash_completions" / "gusp.sh"
    assert code == 0 and out == f"complétion bash installée dans {script} ; elle prendra effet dans un " \
                                "nouveau terminal\n"
    assert "complete -o default -F _gusp_completion gusp" in script.read_text(encoding="utf-8")
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text(encoding="utf-8")


def test_action_ids_complete_from_the_charter(gusp: Run, monkeypatch: pytest.MonkeyPatch,
                                             at_call: None) -> None:
    code, words, err = _complete(gusp, monkeypatch, "gusp show AV")
    assert (code, err) == (0, "")
    assert words == [f"AVI-{n:03d}" for n in range(1, 38)]
    assert _complete(gusp, monkeypatch, "gusp status LEN-04")[1] == [f"LEN-04{n}" for n in range(10)]
    assert _complete(gusp, monkeypatch, "gusp log lie-01")[1][:2] == ["lie-010", "lie-011"]  # as typed


@pytest.mark.parametrize(("line", "expected"), [
    ("gusp overdue -q ", ["lens", "lievin", "avion"]),
    ("gusp who --acteur maison", ["maisons_et_cites", "maison_des_projets"]),
    ("gusp overdue --responsable bai", ["bailleur"]),
    ("gusp status LEN-042 ", ["a_faire", "en_cours", "realisee", "abandonnee", "reportee"]),
    ("gusp actions --statut non", ["non_renseigne"]),
    ("gusp agenda comite", ["comite_technique", "comite_de_proximite"]),
    ("gusp ov", ["overdue"]),
])
def test_values_complete_from_the_charter(gusp: Run, monkeypatch: pytest.MonkeyPatch, at_call: None,
                                          line: str, expected: list[str]) -> None:
    assert _complete(gusp, monkeypatch, line)[1] == expected


def test_a_broken_charter_completes_to_nothing_and_says_nothing(
        gusp: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "charter-data").mkdir()
    (tmp_path / "charter-data" / "charte.yaml").write_text("titre: [\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _complete(gusp, monkeypatch, "gusp show AV") == (0, [], "")


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GUSP_CHARTER", "GUSP_NO_CACHE")}
    return {**env, "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "PATH": os.pathsep.join([str(BIN), env["PATH"]])}


def test_bash_completes_with_the_script_gusp_shows(tmp_path: Path) -> None:
    script = ('eval "$(gusp --show-completion bash)"; COMP_WORDS=(gusp show AVI-03); COMP_CWORD=2; '
              '_gusp_completion gusp; printf "%s\\n" "${COMPREPLY[@]}"; complete -p gusp')
    done = subprocess.run(["bash", "--norc", "-c", script], cwd=CALL, env=_environment(tmp_path),
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [*(f"AVI-03{n}" for n in range(8)),
                                        "complete -o default -F _gusp_completion gusp"]


def test_a_warm_completion_is_fast_and_never_the_cached_help(tmp_path: Path) -> None:
    # `gusp` alone shows (and caches) the help; a completion with no argument either must not get it.
    # Warm, it loads the charter from the cache: neither pydantic nor ruamel is imported.
    env = _environment(tmp_path)
    for _ in range(2):
        help_run = subprocess.run([str(BIN / "gusp")], cwd=CALL, env=env, capture_output=True, text=True)
        assert help_run.returncode == 0 and "Usage" in help_run.stdout
    probe = ("import sys; from gusp_cli.cli.entry import run; code = run(sys.argv[1:]); "
             "print(sorted(m for m in ('pydantic', 'ruamel.yaml', 'rich') if m in sys.modules), "
             "file=sys.stderr); sys.exit(code)")
    complete = {**env, "_GUSP_COMPLETE": "complete_bash", "COMP_WORDS": "gusp show AVI-00", "COMP_CWORD": "2"}
    runs = [subprocess.run([sys.executable, "-c", probe], cwd=CALL, env=complete, capture_output=True,
                           text=True, check=False) for _ in range(2)]
    assert all(r.returncode == 0 and r.stdout.split() == [f"AVI-00{n}" for n in range(1, 10)] for r in runs)
    assert runs[1].stderr == "[]\n", runs[1].stderr
    commands = {**env, "_GUSP_COMPLETE": "complete_bash", "COMP_WORDS": "gusp ", "COMP_CWORD": "1"}
    listed = subprocess.run([str(BIN / "gusp")], cwd=CALL, env=commands, capture_output=True, text=True)
    assert "Usage" not in listed.stdout and {"overdue", "show", "init"} <= set(listed.stdout.split())
