"""The journal of a write of several files (gusp_cli.store.journal): written durably, read as untrusted."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from gusp_cli.model.errors import GuspError
from gusp_cli.store import journal as jn

AFTER = "a" * 64
BEFORE = "b" * 64


def _journal(root: Path) -> jn.Journal:
    target = root / "charter-data" / "quartiers" / "centre.yaml"
    temp, backup = jn.work_names(target, 4242)
    new_temp = jn.work_names(target.with_name("nord.yaml"), 4242)[0]
    return jn.Journal(4242, "poste", "import du suivi", ("charter-data/quartiers/centre.yaml.lock",),
                      (jn.Entry("charter-data/quartiers/centre.yaml", temp, backup, BEFORE, AFTER),
                       jn.Entry("charter-data/quartiers/nord.yaml", new_temp, None, None, AFTER)))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "charter-data" / "quartiers").mkdir(parents=True)
    return tmp_path.resolve()


def test_a_journal_is_read_back_as_written_and_leaves_no_temporary_file(root: Path) -> None:
    journal = _journal(root)
    path = jn.journal_path(root)
    jn.write(journal, path)
    assert jn.read(path, root) == journal
    assert sorted(p.name for p in root.iterdir()) == [".gusp-ecriture.json", "charter-data"]
    assert json.loads(path.read_text(encoding="utf-8"))["fichiers"][1]["sauvegarde"] is None


def test_a_journal_never_replaces_another(root: Path) -> None:
    path = jn.journal_path(root)
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(FileExistsError):
        jn.write(_journal(root), path)
    assert path.read_text(encoding="utf-8") == "{}"
    assert not path.with_name(path.name + ".tmp").exists()


def test_a_failed_write_leaves_no_journal(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(*args: Any) -> Any:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OSError):
        jn.write(_journal(root), jn.journal_path(root))
    assert sorted(p.name for p in root.iterdir()) == ["charter-data"]


def _damaged(root: Path, change: Any) -> str:
    document = json.loads(jn.encode(_journal(root)))
    change(document)
    path = jn.journal_path(root)
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(GuspError) as info:
        jn.read(path, root)
    assert info.value.exit_code == 1
    prefix = ".gusp-ecriture.json : journal d'écriture inutilisable ("
    assert info.value.message.startswith(prefix)
    return info.value.message[len(prefix):].split("). Une écriture", 1)[0]


def test_every_field_is_checked(root: Path) -> None:
    assert _damaged(root, lambda d: d.update(processus=True)) == (
        "processus True : un numéro de processus est attendu")
    assert _damaged(root, lambda d: d.pop("machine")).startswith("clés attendues : fichiers, machine")
    assert _damaged(root, lambda d: d.update(fichiers=[])) == ("verrous et fichiers doivent être des listes "
                                                               "(fichiers non vide)")
    assert _damaged(root, lambda d: d["fichiers"][1].update(sauvegarde=".nord.yaml.1.gusp-avant")) == (
        "charter-data/quartiers/nord.yaml : une sauvegarde va avec une empreinte d'avant, et seulement elle")
    assert _damaged(root, lambda d: d["fichiers"].append(d["fichiers"][0])) == (
        "un même fichier est cité deux fois")
    assert _damaged(root, lambda d: d.update(verrous=["charter-data/charte.yaml"])) == (
        "verrou « charter-data/charte.yaml » : un fichier *.lock est attendu")


@pytest.mark.parametrize("target", ["/etc/passwd", "../dehors.yaml", "charter-data/../../x", ".git/config",
                                    "charter-data\\quartiers\\centre.yaml", ""])
def test_a_path_outside_the_repository_is_refused(root: Path, target: str) -> None:
    reason = _damaged(root, lambda d: d["fichiers"][0].update(cible=target))
    assert "hors du dépôt" in reason or "invalide" in reason


def test_a_link_out_of_the_repository_is_refused(root: Path,
                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("ailleurs")
    (root / "charter-data" / "lien").symlink_to(elsewhere)
    reason = _damaged(root, lambda d: d["fichiers"][0].update(cible="charter-data/lien/centre.yaml"))
    assert reason == "chemin « charter-data/lien/centre.yaml » hors du dépôt (lien symbolique)"


@pytest.mark.parametrize("name", ["centre.yaml", ".centre.yaml.4242.gusp-avant", ".autre.yaml.1.gusp-nouveau",
                                  ".centre.yaml.x.gusp-nouveau", "../.centre.yaml.1.gusp-nouveau"])
def test_a_temporary_name_that_is_not_gusps_is_refused(root: Path, name: str) -> None:
    reason = _damaged(root, lambda d: d["fichiers"][0].update(temporaire=name))
    assert reason.endswith("qui n'est pas de gusp")


def test_an_oversized_journal_is_refused_without_parsing(root: Path) -> None:
    path = jn.journal_path(root)
    path.write_bytes(b" " * (jn.MAX_BYTES + 1))
    with pytest.raises(GuspError) as info:
        jn.read(path, root)
    assert f"plus de {jn.MAX_BYTES} octets" in info.value.message
