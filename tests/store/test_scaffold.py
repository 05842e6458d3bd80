"""``gusp init`` (gusp_cli.store.scaffold), the pre-commit hooks and the CI examples, run for real."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from gusp_cli.history.git import first_commit
from gusp_cli.model.errors import GuspError
from gusp_cli.store import scaffold
from tests.conftest import ROOT
from tests.scripted_git import git, git_env

BIN = Path(sys.executable).parent
Gusp = Callable[..., tuple[int, str, str]]


def _create(target: Path, **options: Any) -> scaffold.Created:
    """Scaffold ``target`` and commit it with git, as ``gusp init`` does."""
    return scaffold.create_repository(target, commit=first_commit, **options)


@pytest.fixture(autouse=True)
def _reproducible_git(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A fixed identity and no user or system git config, as in CI."""
    for key, value in git_env().items():
        if key.startswith("GIT_"):
            monkeypatch.setenv(key, value)
    yield


def read_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- gusp init


def test_init_creates_a_valid_committed_repository(gusp: Gusp, tmp_path: Path) -> None:
    target = tmp_path / "charte-test"
    code, out, err = gusp("init", str(target), "--nom", "Communauté d'agglomération du Test",
                          "--porteur", "ca_test")
    assert (code, err) == (0, "")
    head = git(target, "rev-parse", "--short", "HEAD")
    assert out.splitlines()[0] == f"Dépôt de charte créé dans {target} (branche main, commit {head}) :"
    files = sorted(p.relative_to(target).as_posix() for p in target.rglob("*")
                   if p.is_file() and ".git" not in p.relative_to(target).parts)
    assert files == [
        ".github/workflows/gusp-site.yml", ".github/workflows/gusp.yml", ".gitignore", ".gitlab-ci.yml",
        ".pre-commit-config.yaml",
        ".vscode/extensions.json", ".vscode/settings.json", "README.md", "charter-data/acteurs.yaml",
        "charter-data/charte.yaml", "charter-data/insertion.yaml", "charter-data/quartiers/exemple.yaml",
        "charter-data/reunions.yaml", "charter-data/signalements.yaml", "charter-data/tfpb.yaml",
        "schemas/acteurs.schema.json", "schemas/charte.schema.json", "schemas/insertion.schema.json",
        "schemas/quartier.schema.json", "schemas/reunions.schema.json", "schemas/revue.schema.json",
        "schemas/signalements.schema.json", "schemas/territoire.schema.json", "schemas/tfpb.schema.json"]
    assert [f"  {f}" for f in files] == out.splitlines()[1:25]
    assert git(target, "log", "--format=%s") == "Création du dépôt de la charte (gusp init)"
    assert git(target, "branch", "--show-current") == "main"
    assert git(target, "status", "--porcelain") == ""
    code, out, _ = gusp("validate", "--charter", str(target))
    assert code == 0 and out == "1 quartier, 1 action, 0 erreur, 0 avertissement\n"
    code, _, _ = gusp("validate", "--strict", "--charter", str(target))
    assert code == 0
    charte = read_yaml(target / "charter-data/charte.yaml")
    assert (charte["porteur"], charte["territoire"]) == ("ca_test", "Communauté d'agglomération du Test")
    assert read_yaml(target / "charter-data/acteurs.yaml")["acteurs"][0]["nom"] == (
        "Communauté d'agglomération du Test")


def test_the_journal_of_a_write_is_ignored_by_git_here_and_in_a_new_repository(tmp_path: Path) -> None:
    from gusp_cli.model.layout import JOURNAL_FILE

    target = tmp_path / "charte"
    _create(target, annee=2026)
    names = [JOURNAL_FILE, f"{JOURNAL_FILE}.lock", f"{JOURNAL_FILE}.tmp"]
    for name in names:
        (target / name).write_text("{}", encoding="utf-8")
    assert git(target, "status", "--porcelain") == ""
    ignored = subprocess.run(["git", "-C", str(ROOT), "check-ignore", *names], capture_output=True, text=True)
    assert ignored.stdout.split() == names


def test_init_data_is_in_house_style_and_schemas_are_current(gusp: Gusp, tmp_path: Path) -> None:
    target = tmp_path / "charte"
    _create(target, annee=2026)
    assert gusp("fmt", "--check", "--charter", str(target))[0] == 0
    assert gusp("schema", "--check", "--charter", str(target))[0] == 0


def test_init_files_carry_modelines_and_comment_every_key(tmp_path: Path) -> None:
    from gusp_cli.model.schema import SCHEMAS_DIR, modeline

    target = tmp_path / "charte"
    _create(target, annee=2026)
    for path in sorted((target / "charter-data").rglob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0] == modeline(path, target / SCHEMAS_DIR)
        assert (path.parent / lines[0].split("$schema=")[1]).resolve().is_file()
        for number, line in enumerate(lines):
            if re.match(r"^[a-z_]+:", line):
                assert lines[number - 1].startswith("#"), f"{path.name}: clé sans commentaire : {line}"
        assert "EXEMPLE" in path.read_text(encoding="utf-8")


def test_init_year_sets_the_period_and_the_deadline(tmp_path: Path) -> None:
    target = tmp_path / "charte"
    _create(target, annee=2031)
    assert read_yaml(target / "charter-data/charte.yaml")["periode"] == {"debut": 2031, "fin": 2036}
    action = read_yaml(target / "charter-data/quartiers/exemple.yaml")["tableaux"][0]["actions"][0]
    assert action["echeance"] == "2032"


def test_init_starts_the_example_period_today(gusp: Gusp, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUSP_TODAY", "2030-06-01")
    target = tmp_path / "charte"
    assert gusp("init", str(target))[0] == 0
    assert read_yaml(target / "charter-data/charte.yaml")["periode"] == {"debut": 2030, "fin": 2035}


def test_init_accepts_an_existing_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "vide"
    target.mkdir()
    created = _create(target, annee=2026)
    assert created.commit == git(target, "rev-parse", "--short", "HEAD")
    assert not created.fallback_identity


def test_init_refuses_a_non_empty_folder(gusp: Gusp, tmp_path: Path) -> None:
    target = tmp_path / "occupe"
    target.mkdir()
    (target / "notes.txt").write_text("à garder\n", encoding="utf-8")
    code, out, err = gusp("init", str(target))
    assert (code, out) == (2, "")
    assert err == (f"gusp : erreur : le dossier « {target} » n'est pas vide ; gusp init crée un nouveau "
                   "dépôt dans un dossier vide ou inexistant\n")
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert (target / "notes.txt").read_text(encoding="utf-8") == "à garder\n"
    code, _, err = gusp("init", str(target / "notes.txt"))
    assert code == 2 and "n'est pas un dossier" in err


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--porteur", "CA Lens", "--porteur : identifiant « CA Lens » invalide (minuscules sans accents, "
     "chiffres et _, commençant par une lettre) ; par exemple « ca_lens »"),
    ("--porteur", "ville_exemple", "--porteur : « ville_exemple » est déjà l'identifiant d'un acteur "
     "d'exemple"),
    ("--nom", "  ", "--nom : nom vide ou sur plusieurs lignes"),
    ("--nom", "Ligne 1\nLigne 2", "--nom : nom vide ou sur plusieurs lignes"),
])
def test_init_refuses_bad_options(gusp: Gusp, tmp_path: Path, option: str, value: str, message: str) -> None:
    target = tmp_path / "charte"
    code, _, err = gusp("init", str(target), option, value)
    assert (code, err) == (2, f"gusp : erreur : {message}\n")
    assert not target.exists()


def test_init_without_git_identity_uses_a_fallback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    target = tmp_path / "charte"
    if subprocess.run(["git", "var", "GIT_AUTHOR_IDENT"], capture_output=True, check=False,
                      cwd=tmp_path).returncode == 0:
        pytest.skip("git devine une identité sur cette machine (nom d'hôte avec domaine)")
    created = _create(target, annee=2026)
    assert created.fallback_identity
    assert git(target, "log", "--format=%an <%ae>") == "gusp <gusp@localhost>"


def test_init_without_git_creates_nothing(gusp: Gusp, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "sans-git"))
    target = tmp_path / "charte"
    code, _, err = gusp("init", str(target))
    assert code == 2 and err.startswith("gusp : erreur : git introuvable")
    assert not target.exists()


def test_a_failing_commit_removes_what_was_created(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "gitconfig"
    config.write_text("[commit]\n\tgpgsign = true\n[gpg]\n\tprogram = false\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    target = tmp_path / "vide"
    target.mkdir()
    with pytest.raises(GuspError) as failed:
        _create(target, annee=2026)
    assert failed.value.exit_code == 2 and failed.value.message.startswith("git commit a échoué : ")
    assert failed.value.message.endswith("; rien n'a été créé")
    assert target.is_dir() and list(target.iterdir()) == []
    with pytest.raises(GuspError):
        _create(tmp_path / "neuf", annee=2026)
    assert not (tmp_path / "neuf").exists()


# ----------------------------------------------------------------------------- pre-commit


def test_pre_commit_hooks_run_gusp_on_a_scaffolded_repository(gusp: Gusp, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    hooks = read_yaml(ROOT / ".pre-commit-hooks.yaml")
    assert [h["id"] for h in hooks] == ["gusp-validate", "gusp-fmt", "gusp-schema"]
    target = tmp_path / "charte"
    _create(target, annee=2026)
    monkeypatch.chdir(target)
    for hook in hooks:
        assert hook["language"] == "python" and hook["pass_filenames"] is False
        assert re.search(hook["files"], "charter-data/quartiers/exemple.yaml")
        assert not re.search(hook["files"], "README.md")
        command = shlex.split(hook["entry"])
        assert command[0] == "gusp"
        code, _, err = gusp(*command[1:])
        assert code == 0, (hook["id"], err)
    assert [shlex.split(h["entry"]) for h in hooks] == [["gusp", "validate"], ["gusp", "fmt", "--check"],
                                                        ["gusp", "schema", "--check"]]
    # A party added to the registry makes the schemas stale: the hook says so.
    registry = target / "charter-data" / "acteurs.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "  - id: asso_exemple\n    nom: Asso\n"
                        "    type: association\n", encoding="utf-8")
    code, out, _ = gusp("schema", "--check")
    assert code == 1 and "à régénérer : schemas/quartier.schema.json" in out


def test_scaffold_pre_commit_config_mirrors_the_hooks(tmp_path: Path) -> None:
    hooks = {h["id"]: h for h in read_yaml(ROOT / ".pre-commit-hooks.yaml")}
    target = tmp_path / "charte"
    _create(target, annee=2026)
    [repo] = read_yaml(target / ".pre-commit-config.yaml")["repos"]
    assert repo["repo"] == "local"
    for hook in repo["hooks"]:
        reference = hooks[hook["id"]]
        assert {k: hook[k] for k in ("name", "entry", "pass_filenames", "files")} == {
            k: reference[k] for k in ("name", "entry", "pass_filenames", "files")}
        assert hook["language"] == "system"
