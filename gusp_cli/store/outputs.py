"""Writing a file the user names (``-o``, ``--output``, ``gusp init DOSSIER``): the one place deciding how.

A report or an export must never damage what the name designates. The decision depends on what
is there, followed through symbolic links:

- nothing yet, or a regular file: an atomic replace (:func:`gusp_cli.store.atomic.write_atomic`);
  a symbolic link to a regular file has its target replaced, never the link itself;
- a character device (``/dev/null``, a terminal), a named pipe, or the standard streams
  (``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N``): written in place, as a stream (replacing
  ``/dev/null`` by a regular file, as root, breaks the whole system);
- a directory, a socket or a block device: refused;
- a path inside a charter's data (``charter-data/`` next to a ``charte.yaml``) or inside a git
  directory (``.git/``): refused unless ``force``, naming the file (an export written over
  ``charter-data/quartiers/avion.yaml`` replaces the charter with JSON).

Every refusal is a French :class:`~gusp_cli.model.errors.GuspError` with exit code 2; nothing is
written.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from gusp_cli.model.errors import GuspError, os_reason
from gusp_cli.model.layout import CHARTER_FILE, DATA_DIR

STREAM_PATHS = ("/dev/stdout", "/dev/stderr", "/dev/fd/", "/proc/self/fd/")
"""Names of the process's own streams: written through the open descriptor, never replaced."""

FORCE_HINT = "--force"
"""The option that lets a write into protected places happen (shown in the refusal)."""


def write_output(target: str | Path, data: bytes, *, force: bool = False) -> None:
    """Write ``data`` to the file the user named, the safe way for what is there (module docstring).

    Raises :class:`GuspError` (exit 2) for a refused target or a failed write; a regular file that
    cannot be written is left as it was.
    """
    name = str(target)
    if _is_own_stream(name):
        _write_stream_descriptor(name, data)
        return
    path = Path(name)
    check_not_protected(path, force=force)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise GuspError(f"écriture impossible de {name} : {os_reason(exc)}", 2) from None
    if info is None:
        _check_parent(path)
    elif stat.S_ISCHR(info.st_mode) or stat.S_ISFIFO(info.st_mode):
        _write_in_place(path, data)
        return
    elif not stat.S_ISREG(info.st_mode):
        raise GuspError(f"écriture refusée : « {name} » est {file_kind(info.st_mode)}, pas un fichier ; "
                        "indiquez le nom d'un fichier à écrire", 2)
    from gusp_cli.store.atomic import write_atomic

    try:
        write_atomic(path, data)
    except GuspError as exc:
        raise GuspError(exc.message, 2) from None


def check_not_protected(path: Path, *, force: bool = False, what: str = "écriture") -> None:
    """Refuse (exit 2) a path inside a charter's ``charter-data/`` or a ``.git/`` folder, unless ``force``.

    The real path is checked (a link into ``charter-data/`` is refused too), and a folder that
    does not exist yet is judged by its parents.
    """
    if force:
        return
    reason = protected_reason(path)
    if reason is not None:
        raise GuspError(f"{what} refusée : {path} est {reason} ; choisissez un autre fichier (ou "
                        f"ajoutez {FORCE_HINT} si c'est voulu)", 2)


def protected_reason(path: Path) -> str | None:
    """Why ``path`` must not be written by a report or an export, or None."""
    real = Path(os.path.realpath(path))
    for folder in (real, *real.parents):
        if folder.name == ".git":
            return f"dans le dossier git {folder}"
        if folder.name == DATA_DIR and (folder / CHARTER_FILE).is_file():
            return f"dans les données de la charte ({folder})"
    return None


def _is_own_stream(name: str) -> bool:
    """True for ``/dev/stdout``, ``/dev/stderr``, ``/dev/fd/N`` and ``/proc/self/fd/N``."""
    if name in STREAM_PATHS[:2]:
        return True
    return name.startswith(STREAM_PATHS[2:]) and name.rsplit("/", 1)[1].isdigit()


def _write_stream_descriptor(name: str, data: bytes) -> None:
    """Write to one of the process's own descriptors, through Python's stream for stdout and stderr."""
    number = {"/dev/stdout": 1, "/dev/stderr": 2}.get(name)
    if number is None:
        number = int(name.rsplit("/", 1)[1])
    stream = {1: sys.stdout, 2: sys.stderr}.get(number)
    if stream is not None:
        stream.flush()
        binary = getattr(stream, "buffer", None)
        if binary is None or stream.isatty():  # a test capture; a terminal (its guard sees the text)
            stream.write(data.decode("utf-8", "replace"))
        else:
            binary.write(data)
            binary.flush()
        return
    try:
        _write_all(number, data)
    except OSError as exc:
        raise GuspError(f"écriture impossible dans {name} : {os_reason(exc)}", 2) from None


def _write_in_place(path: Path, data: bytes) -> None:
    """Write to a character device or a named pipe as a stream (opened without creating anything)."""
    try:
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise GuspError(f"écriture impossible dans {path} : {os_reason(exc)}", 2) from None
    try:
        _write_all(fd, data)
    except OSError as exc:
        raise GuspError(f"écriture impossible dans {path} : {os_reason(exc)}", 2) from None
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (``os.write`` may write less than asked)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _check_parent(path: Path) -> None:
    """A new file needs an existing folder."""
    parent = path.parent
    if not parent.is_dir():
        what = "n'existe pas" if not os.path.lexists(parent) else "n'est pas un dossier"
        raise GuspError(f"écriture impossible de {path} : le dossier {parent} {what}", 2)


def file_kind(mode: int) -> str:
    """What a file that is not a regular one is, in French: ``un dossier``, ``une socket``..."""
    if stat.S_ISDIR(mode):
        return "un dossier"
    if stat.S_ISSOCK(mode):
        return "une socket"
    if stat.S_ISBLK(mode):
        return "un périphérique bloc (disque)"
    if stat.S_ISFIFO(mode):
        return "un tube nommé"
    if stat.S_ISCHR(mode):
        return "un périphérique caractère"
    return "un fichier spécial"


