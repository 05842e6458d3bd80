"""A folder written all or none: new, empty or a previous site replaced; anything else refused."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from gusp_cli.model.errors import GuspError
from gusp_cli.store import folders
from gusp_cli.store.folders import write_folder
from tests.conftest import CASES

MARKER = ".gusp-site"
FILES = {"index.html": b"<p>accueil</p>\n", "actions/CEN-001/index.html": b"<p>action</p>\n",
         "donnees/actions.csv": b"id\r\nCEN-001\r\n"}


def write(target: Path, files: dict[str, bytes] = FILES) -> None:
    write_folder(target, files, marker=MARKER, command="gusp publish")


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".gusp-" in p.name)


def test_a_new_folder_gets_every_file_and_the_list_of_them(tmp_path: Path) -> None:
    write(tmp_path / "site")
    written = tree(tmp_path / "site")
    assert {k: v for k, v in written.items() if k != MARKER} == FILES
    assert written[MARKER].decode().splitlines()[1:] == sorted(FILES)
    assert leftovers(tmp_path) == []
    mode = (tmp_path / "site").stat().st_mode & 0o777
    assert mode == 0o777 & ~_umask()  # as mkdir would make it, not mkdtemp's 0o700


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_a_previous_site_is_replaced_whole(tmp_path: Path) -> None:
    write(tmp_path / "site")
    write(tmp_path / "site", {"index.html": b"<p>nouvelle</p>\n"})
    assert tree(tmp_path / "site") == {"index.html": b"<p>nouvelle</p>\n", MARKER: (
        b"# Fichiers \xc3\xa9crits par gusp publish ; ce dossier est remplac\xc3\xa9 en entier \xc3\xa0 "
        b"chaque publication.\nindex.html\n")}
    assert leftovers(tmp_path) == []


def test_the_two_step_rename_replaces_it_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "site")
    monkeypatch.setattr(folders, "_exchange", lambda first, second: False)
    write(tmp_path / "site", {"index.html": b"deux"})
    assert tree(tmp_path / "site")["index.html"] == b"deux"
    assert leftovers(tmp_path) == []


def test_an_empty_folder_is_used(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    write(tmp_path / "site")
    assert "index.html" in tree(tmp_path / "site")


def test_a_folder_with_other_files_is_refused_and_left_alone(tmp_path: Path) -> None:
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "rapport.odt").write_bytes(b"mon travail")
    with pytest.raises(GuspError) as refused:
        write(tmp_path / "documents")
    assert refused.value.exit_code == 2
    assert ("le dossier « " in refused.value.message and "n'a pas été écrit par gusp publish (pas de fichier "
            ".gusp-site) ; choisissez un dossier nouveau ou vide (gusp publish -o site), ou videz celui-ci"
            in refused.value.message)
    assert tree(tmp_path / "documents") == {"rapport.odt": b"mon travail"}
    assert leftovers(tmp_path) == []


def test_a_file_added_to_a_previous_site_is_never_lost(tmp_path: Path) -> None:
    write(tmp_path / "site")
    (tmp_path / "site" / "CNAME").write_text("charte.exemple.fr\n")
    with pytest.raises(GuspError) as refused:
        write(tmp_path / "site")
    assert "contient des fichiers que gusp publish n'a pas écrits (« CNAME ») et qui seraient perdus" in \
        refused.value.message
    assert (tmp_path / "site" / "CNAME").is_file()


def test_a_file_or_a_place_in_the_charter_is_refused(tmp_path: Path) -> None:
    (tmp_path / "fichier.html").write_text("x")
    with pytest.raises(GuspError, match="n'est pas un dossier"):
        write(tmp_path / "fichier.html")
    charter = tmp_path / "depot"
    shutil.copytree(CASES / "base", charter)
    for target in (charter / "charter-data" / "site", charter / "charter-data"):
        with pytest.raises(GuspError, match="dans les données de la charte"):
            write(target)
    assert not (charter / "charter-data" / "site").exists()


def test_a_missing_parent_is_a_french_error(tmp_path: Path) -> None:
    with pytest.raises(GuspError, match=r"le dossier .*absent.* n'existe pas"):
        write(tmp_path / "absent" / "site")


def test_a_failure_while_writing_leaves_the_previous_site(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "site")
    before = tree(tmp_path / "site")
    real_open = open
    calls = {"n": 0}

    def failing_open(path: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if "x" in mode:
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError(28, "No space left on device")
        return real_open(path, mode, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("builtins.open", failing_open)
    with pytest.raises(GuspError, match=r"disque plein.*rien n'a été changé"):
        write(tmp_path / "site", {"index.html": b"neuf", "autre.html": b"neuf"})
    assert tree(tmp_path / "site") == before
    assert leftovers(tmp_path) == []


def test_an_interruption_leaves_no_half_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(staging: Path, files: object) -> None:
        (staging / "index.html").write_text("à moitié")
        raise KeyboardInterrupt

    monkeypatch.setattr(folders, "_fill", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write(tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert leftovers(tmp_path) == []


def test_a_link_to_a_site_keeps_the_link(tmp_path: Path) -> None:
    write(tmp_path / "vrai")
    (tmp_path / "lien").symlink_to(tmp_path / "vrai")
    write(tmp_path / "lien", {"index.html": b"par le lien"})
    assert (tmp_path / "lien").is_symlink()
    assert (tmp_path / "vrai" / "index.html").read_bytes() == b"par le lien"


@pytest.mark.parametrize("path", ["/etc/passwd", "../dehors.html", "a/../../b", "", MARKER, "a\\b"])
def test_a_path_outside_the_folder_is_a_bug(tmp_path: Path, path: str) -> None:
    with pytest.raises(ValueError):
        write(tmp_path / "site", {path: b"x"})
    assert not (tmp_path / "site").exists()
