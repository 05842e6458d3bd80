"""Writing a file the user names: regular files replaced atomically, devices and pipes written in
place, folders, sockets and block devices refused, charter data and git folders protected."""

from __future__ import annotations

import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from gusp_cli.model.errors import GuspError
from gusp_cli.store.outputs import protected_reason, write_output

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def _mode(path: Path) -> int:
    return stat.S_IFMT(os.lstat(path).st_mode)


def test_a_new_file_is_written(tmp_path: Path) -> None:
    write_output(tmp_path / "actions.json", b"[]\n")
    assert (tmp_path / "actions.json").read_bytes() == b"[]\n"


def test_a_regular_file_is_replaced_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "actions.csv"
    target.write_bytes(b"old")
    target.chmod(0o600)
    write_output(target, b"new")
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_symlink_to_a_regular_file_replaces_the_target_never_the_link(tmp_path: Path) -> None:
    real = tmp_path / "vrai.json"
    real.write_bytes(b"old")
    link = tmp_path / "lien.json"
    link.symlink_to(real)
    write_output(link, b"new")
    assert _mode(link) == stat.S_IFLNK and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="tubes nommés : POSIX")
def test_a_named_pipe_is_written_in_place_as_a_stream(tmp_path: Path) -> None:
    fifo = tmp_path / "tube"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_output(fifo, b"id;statut\r\n")
    reader.join(timeout=10)
    assert received == [b"id;statut\r\n"]
    assert _mode(fifo) == stat.S_IFIFO


@pytest.mark.skipif(not ROOT, reason="mknod d'un périphérique : root seulement")
def test_a_character_device_is_written_in_place_and_stays_a_device(tmp_path: Path) -> None:
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the same device as /dev/null
    write_output(null, b"x" * 100_000)
    assert _mode(null) == stat.S_IFCHR
    link = tmp_path / "vers-null"
    link.symlink_to(null)
    write_output(link, b"x")
    assert _mode(link) == stat.S_IFLNK and _mode(null) == stat.S_IFCHR


@pytest.mark.skipif(ROOT, reason="sans root, /dev/null ne peut pas être remplacé de toute façon")
def test_a_link_to_dev_null_is_written_in_place(tmp_path: Path) -> None:
    link = tmp_path / "vers-null"
    link.symlink_to(os.devnull)
    write_output(link, b"x")
    assert _mode(Path(os.devnull)) == stat.S_IFCHR


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="/dev/full absent")
def test_a_full_device_is_a_french_error() -> None:
    with pytest.raises(GuspError) as info:
        write_output("/dev/full", b"x")
    assert info.value.exit_code == 2 and "disque plein" in info.value.message
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_dev_stdout_goes_through_the_standard_output(capsys: pytest.CaptureFixture[str]) -> None:
    write_output("/dev/stdout", "é;à\n".encode())
    assert capsys.readouterr().out == "é;à\n"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GuspError) as info:
        write_output(tmp_path, b"x")
    assert info.value.exit_code == 2
    assert info.value.message == (f"écriture refusée : « {tmp_path} » est un dossier, pas un fichier ; "
                                  "indiquez le nom d'un fichier à écrire")


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="sockets Unix")
def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        with pytest.raises(GuspError, match="est une socket, pas un fichier"):
            write_output(path, b"x")
    finally:
        server.close()
    assert _mode(path) == stat.S_IFSOCK


@pytest.mark.skipif(not ROOT, reason="mknod d'un périphérique : root seulement")
def test_a_block_device_is_refused(tmp_path: Path) -> None:
    disk = tmp_path / "disque"
    os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 200))
    with pytest.raises(GuspError, match="périphérique bloc"):
        write_output(disk, b"x")
    assert _mode(disk) == stat.S_IFBLK


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(GuspError) as info:
        write_output(tmp_path / "absent" / "x.json", b"x")
    assert info.value.exit_code == 2
    assert f"le dossier {tmp_path / 'absent'} n'existe pas" in info.value.message


def _charter(root: Path) -> Path:
    (root / "charter-data" / "quartiers").mkdir(parents=True)
    (root / "charter-data" / "charte.yaml").write_text("titre: x\n", encoding="utf-8")
    (root / ".git" / "hooks").mkdir(parents=True)
    return root


@pytest.mark.parametrize("relative", ["charter-data/quartiers/avion.yaml", "charter-data/export.json",
                                      ".git/hooks/pre-commit", ".git/config"])
def test_charter_data_and_git_folders_are_protected_unless_forced(tmp_path: Path, relative: str) -> None:
    root = _charter(tmp_path)
    target = root / relative
    target.write_bytes(b"original")
    with pytest.raises(GuspError) as info:
        write_output(target, b"[]")
    assert info.value.exit_code == 2
    assert str(target) in info.value.message and "--force" in info.value.message
    assert target.read_bytes() == b"original"
    write_output(target, b"[]", force=True)
    assert target.read_bytes() == b"[]"


def test_a_link_into_charter_data_is_protected(tmp_path: Path) -> None:
    root = _charter(tmp_path / "depot")
    (root / "charter-data" / "quartiers" / "avion.yaml").write_bytes(b"original")
    link = tmp_path / "export.json"
    link.symlink_to(root / "charter-data" / "quartiers" / "avion.yaml")
    with pytest.raises(GuspError, match="dans les données de la charte"):
        write_output(link, b"[]")


def test_a_folder_named_charter_data_without_a_charter_is_not_protected(tmp_path: Path) -> None:
    (tmp_path / "charter-data").mkdir()
    assert protected_reason(tmp_path / "charter-data" / "x.json") is None
    assert protected_reason(tmp_path / "rapport.html") is None
