"""Writing a folder of files the user names (``gusp publish -o DOSSIER``): all or none.

The files are written into a new hidden folder beside the target (``.NAME.gusp-XXXX``, on the same
file system), then put in its place by one rename (an exchange of the two folders where Linux
offers it, ``renameat2``): a reader sees the old folder or the new one, never half of each. A
failure, a full disk or an interruption (SIGTERM, ^C) removes the new folder and leaves the target
as it was.

The target may be:

- absent: created (its parent must exist);
- an empty folder, or a folder this command wrote before: its marker file (``marker``) lists the
  files it wrote, and the folder holds nothing else: replaced;
- anything else is refused, naming what is there and how to choose: a file, a folder with other
  files, or a place inside a charter's ``charter-data/`` or a ``.git/`` folder (never, even forced:
  a site is never data). A symbolic link to a folder has its target replaced, never the link.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path, PurePosixPath

from gusp_cli.model.errors import GuspError, os_reason
from gusp_cli.store.outputs import protected_reason

MAX_LISTED = 3
"""Foreign files a refusal names (then how many more)."""


def write_folder(target: str | Path, files: Mapping[str, bytes], *, marker: str, command: str) -> None:
    """Write ``files`` (relative POSIX path -> content) as the folder ``target``, all or none
    (module docstring). ``marker`` names the list of written files the folder gets, ``command``
    the command that writes it (in refusals). Raises :class:`GuspError` (exit 2)."""
    name = str(target)
    real = Path(os.path.realpath(name))
    reason = protected_reason(real)
    if reason is not None:
        raise GuspError(f"écriture refusée : {name} est {reason} ; choisissez un dossier hors de la charte "
                        f"(par exemple {command} -o site)", 2)
    _check_paths(files, marker)
    _check_target(name, real, marker, command)
    parent = real.parent
    if not parent.is_dir():
        raise GuspError(f"écriture impossible de {name} : le dossier {parent} n'existe pas", 2)
    listing = "".join(f"{path}\n" for path in sorted(files))
    content = {**files, marker: f"# Fichiers écrits par {command} ; ce dossier est remplacé en entier à "
                                f"chaque publication.\n{listing}".encode()}
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{real.name}.gusp-", dir=parent))
    except OSError as exc:
        raise GuspError(f"écriture impossible de {name} : {os_reason(exc)}", 2) from None
    try:
        _fill(staging, content)
        previous = _swap(staging, real)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise GuspError(f"écriture impossible de {name} : {os_reason(exc)} ; rien n'a été changé",
                        2) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)
    _fsync_directory(parent)


def _check_paths(files: Mapping[str, bytes], marker: str) -> None:
    """Every path is relative, inside the folder, and not the marker (a bug otherwise)."""
    for path in files:
        pure = PurePosixPath(path)
        if pure.is_absolute() or ".." in pure.parts or not pure.parts or path == marker or "\\" in path:
            raise ValueError(f"chemin de fichier impossible dans un dossier écrit : {path!r}")


def _check_target(name: str, real: Path, marker: str, command: str) -> None:
    """Refuse a target that is not absent, empty, or a folder ``command`` wrote (module docstring)."""
    if not os.path.lexists(real):
        return
    if not real.is_dir():
        raise GuspError(f"écriture refusée : « {name} » n'est pas un dossier ; indiquez un dossier à créer "
                        f"ou un site déjà publié par {command}", 2)
    present = _files_in(real)
    if not present:
        return
    listed = _listed(real / marker)
    if listed is None:
        raise GuspError(f"écriture refusée : le dossier « {name} » n'est pas vide et n'a pas été écrit par "
                        f"{command} (pas de fichier {marker}) ; choisissez un dossier nouveau ou vide "
                        f"({command} -o site), ou videz celui-ci", 2)
    foreign = sorted(present - listed - {marker})
    if foreign:
        shown = ", ".join(f"« {f} »" for f in foreign[:MAX_LISTED])
        more = f" et {len(foreign) - MAX_LISTED} autres" if len(foreign) > MAX_LISTED else ""
        raise GuspError(f"écriture refusée : le dossier « {name} » contient des fichiers que {command} n'a "
                        f"pas écrits ({shown}{more}) et qui seraient perdus ; déplacez-les, ou choisissez un "
                        "autre dossier", 2)


def _files_in(folder: Path) -> set[str]:
    """Every file (or link, or special file) under ``folder``, as a relative POSIX path."""
    found: set[str] = set()
    for top, dirs, names in os.walk(folder):
        base = Path(top).relative_to(folder)
        found.update((base / n).as_posix() for n in names)
        found.update((base / d).as_posix() for d in dirs if os.path.islink(Path(top) / d))
    return found


def _listed(path: Path) -> set[str] | None:
    """The files a marker lists (None when there is no readable marker)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return {line for line in text.splitlines() if line and not line.startswith("#")}


def _fill(staging: Path, files: Mapping[str, bytes]) -> None:
    """Write every file under the staging folder, with the permissions a new folder would get.

    Paths are joined as strings and each folder is made once (a site of 50,000 actions has as
    many folders: ``pathlib`` per file would cost more than the writes)."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(staging, 0o777 & ~mask)
    root = os.fspath(staging)
    made: set[str] = set()
    for path, data in files.items():
        folder = path.rpartition("/")[0]
        if folder and folder not in made:
            os.makedirs(f"{root}/{folder}", exist_ok=True)
            parts = folder.split("/")
            made.update("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))
        with open(f"{root}/{path}", "xb") as handle:
            handle.write(data)


def _swap(staging: Path, real: Path) -> Path | None:
    """Put ``staging`` in place of ``real``; return where the previous folder now is (None when there
    was none), for the caller to remove."""
    if not os.path.lexists(real):
        os.rename(staging, real)
        return None
    if _exchange(staging, real):
        return staging
    aside = Path(f"{staging}-ancien")
    os.rename(real, aside)
    try:
        os.rename(staging, real)
    except OSError:
        os.rename(aside, real)
        raise
    return aside


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two folders atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False where it is not
    available, so the caller renames in two steps."""
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return bool(done == 0)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable (best effort: some file systems refuse to sync a folder)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
