"""Writing a charter file safely: a lock, an atomic replace, and a check that nobody else wrote it.

The sequence is the one git uses for its index:

1. take ``<file>.lock`` with ``O_CREAT | O_EXCL`` (refused when it exists: another edit is running,
   or one was interrupted);
2. write the new content to a temporary file in the same directory, ``fsync`` it, give it the
   original file's mode;
3. right before the replace, read the file again and compare its SHA-256 with the one taken when it
   was read: refuse when it changed (an editor saved it meanwhile);
4. ``os.replace`` the temporary file over the original (atomic on POSIX and Windows), then
   ``fsync`` the directory so the rename itself is durable.

Any failure before step 4 leaves the original file untouched and removes the temporary file.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from gusp_cli.model.errors import GuspError, os_reason

LOCK_SUFFIX = ".lock"
TEMP_SUFFIX = ".tmp"


def digest(data: bytes) -> str:
    """Return the SHA-256 of ``data`` in hexadecimal."""
    return hashlib.sha256(data).hexdigest()


def lock_path(path: Path) -> Path:
    """Return the lock file of ``path`` (``lens.yaml`` -> ``lens.yaml.lock``)."""
    return path.with_name(path.name + LOCK_SUFFIX)


@contextmanager
def file_lock(path: Path) -> Iterator[Path]:
    """Hold ``<path>.lock`` for the duration of the block; refuse (exit 1) when it already exists."""
    lock = lock_path(path)
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        raise GuspError(f"{lock} existe : une autre modification de {path.name} est en cours, ou une "
                        "précédente a été interrompue. Si aucune commande gusp ne tourne, supprimez "
                        "ce fichier puis relancez.", 1) from None
    except OSError as exc:
        raise GuspError(f"impossible de créer le verrou {lock} : {_reason(exc)}", 1) from None
    try:
        with suppress(OSError):
            os.write(fd, f"{os.getpid()}\n".encode())
    finally:
        os.close(fd)
    try:
        yield lock
    finally:
        with suppress(FileNotFoundError):
            os.unlink(lock)


def read_bytes(path: Path) -> bytes:
    """Read a whole file; a file-system error becomes a French :class:`GuspError` (exit 1)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise GuspError(f"lecture de {path} impossible : {_reason(exc)}", 1) from None


def write_atomic(path: Path, data: bytes, *, expected_digest: str | None = None) -> None:
    """Replace the content of ``path`` with ``data`` atomically.

    With ``expected_digest``, refuse (exit 1, nothing written) when the file on disk no longer has
    that SHA-256. A symbolic link is followed: its target is replaced, the link stays. The file's
    permission bits are kept (a new file gets the default ones).
    """
    target = path.resolve()
    mode = _mode_of(target)
    if target.exists() and not mode & 0o222:
        raise GuspError(f"{path} est en lecture seule : rien n'a été écrit (rendez-le modifiable, "
                        f"par exemple chmod u+w {shlex.quote(str(path))})", 1)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=TEMP_SUFFIX, dir=target.parent)
    except OSError as exc:
        raise GuspError(f"écriture de {path} impossible : {_reason(exc)} ; le fichier d'origine est "
                        "intact", 1) from None
    temp = Path(temp_name)
    try:
        try:
            _write_all(fd, data)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        if expected_digest is not None:
            _check_unchanged(target, expected_digest)
        os.replace(temp, target)
    except BaseException as exc:
        with suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise GuspError(f"écriture de {path} impossible : {_reason(exc)} ; le fichier d'origine est "
                            "intact", 1) from None
        raise
    _fsync_directory(target.parent)


def _mode_of(target: Path) -> int:
    """Permission bits of the existing file, or the default ones (0o666 minus the umask)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte (``os.write`` may write less than asked)."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _check_unchanged(target: Path, expected: str) -> None:
    """Refuse when the file on disk is no longer the one that was read."""
    try:
        current = digest(target.read_bytes())
    except FileNotFoundError:
        current = ""
    if current != expected:
        raise GuspError(f"{target} a été modifié sur le disque pendant l'opération (par un éditeur ?) : "
                        "rien n'a été écrit ; relancez la commande.", 1)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable; silently skipped where directories cannot be opened (Windows)."""
    if os.name != "posix":  # pragma: no cover - POSIX only
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems refuse fsync on a directory (EINVAL): the data is written
        pass
    finally:
        os.close(fd)


def _reason(exc: OSError) -> str:
    """Translate a file-system error into French."""
    return os_reason(exc)
