"""Writing a charter file safely: a lock, an atomic replace, and a check that nobody else wrote it.

The sequence is the one git uses for its index:

1. take ``<file>.lock`` with ``O_CREAT | O_EXCL``; when it exists, another edit is running: wait
   for it a short, bounded time (:data:`LOCK_WAIT_SECONDS`), then refuse; a lock whose process is
   gone (an interrupted run on this machine) is refused at once, with the way to clear it;
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
import socket
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from gusp_cli.model.errors import GuspError, os_reason

LOCK_SUFFIX = ".lock"
TEMP_SUFFIX = ".tmp"
LOCK_WAIT_SECONDS = 10.0
"""How long an edit waits for another one on the same file (``GUSP_LOCK_TIMEOUT`` overrides it)."""
_FIRST_PAUSE, _LONGEST_PAUSE = 0.01, 0.25


def digest(data: bytes) -> str:
    """Return the SHA-256 of ``data`` in hexadecimal."""
    return hashlib.sha256(data).hexdigest()


def lock_path(path: Path) -> Path:
    """Return the lock file of ``path`` (``centre.yaml`` -> ``centre.yaml.lock``)."""
    return path.with_name(path.name + LOCK_SUFFIX)


@contextmanager
def file_lock(path: Path, wait: float | None = None) -> Iterator[Path]:
    """Hold ``<path>.lock`` for the duration of the block.

    When another gusp holds it, wait up to ``wait`` seconds (default :data:`LOCK_WAIT_SECONDS`, or
    ``GUSP_LOCK_TIMEOUT``), then refuse (exit 1); a lock left by a process that no longer runs on
    this machine is refused at once. The lock records the holder's process id and machine.
    """
    lock = take_lock(path, wait)
    try:
        yield lock
    finally:
        release_lock(lock)


def take_lock(path: Path, wait: float | None = None) -> Path:
    """Create ``<path>.lock`` (waiting as :func:`file_lock` does) and return it; the caller releases
    it with :func:`release_lock`, or leaves it for a recovery to take over (``store/transaction``)."""
    lock = lock_path(path)
    fd = _acquire(lock, path, _wait_seconds(wait))
    try:
        with suppress(OSError):
            os.write(fd, f"{os.getpid()}\n{socket.gethostname()}\n".encode())
    finally:
        os.close(fd)
    return lock


def release_lock(lock: Path) -> None:
    """Remove a lock taken by :func:`take_lock` (already gone: nothing to do)."""
    with suppress(FileNotFoundError):
        os.unlink(lock)


def release_locks(locks: list[Path]) -> None:
    """Remove several locks, the last taken first; one that cannot be removed stays (it names its
    process: :func:`file_lock` explains it to the next command)."""
    for lock in reversed(locks):
        with suppress(OSError):
            release_lock(lock)


def _wait_seconds(wait: float | None) -> float:
    """The bound on waiting for a lock: ``wait``, else ``GUSP_LOCK_TIMEOUT``, else the default."""
    if wait is not None:
        return wait
    try:
        return max(0.0, float(os.environ.get("GUSP_LOCK_TIMEOUT", LOCK_WAIT_SECONDS)))
    except ValueError:
        return LOCK_WAIT_SECONDS


def _acquire(lock: Path, path: Path, wait: float) -> int:
    """Create the lock file, pausing between attempts (10 ms, doubling up to 250 ms) for ``wait`` s."""
    import time

    waited, pause = 0.0, _FIRST_PAUSE
    while True:
        try:
            return os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _holder(lock)
            if holder is False or waited >= wait:
                raise _busy(lock, path, holder, waited) from None
        except OSError as exc:
            raise GuspError(f"impossible de créer le verrou {lock} : {_reason(exc)}", 1) from None
        time.sleep(pause)  # not a clock read: the bound is the sum of the pauses
        waited += pause
        pause = min(pause * 2, _LONGEST_PAUSE)


def lock_owner(lock: Path) -> tuple[int, str] | None:
    """The process id and machine a lock file names, or None (absent, unreadable, foreign content)."""
    try:
        lines = lock.read_text(encoding="utf-8", errors="replace").split()
    except OSError:
        return None
    if not lines or not lines[0].isdigit():
        return None
    return int(lines[0]), lines[1] if len(lines) > 1 else socket.gethostname()


def _holder(lock: Path) -> int | bool | None:
    """The process id holding ``lock`` when it runs on this machine, False when it is gone (a stale
    lock), None when it cannot be told (another machine, an unreadable or foreign lock file).

    A process gone leaves a stale lock only if the lock still names it: an edit releases its lock
    and ends in the same few milliseconds, between the moment this one read the lock and the moment
    it asked for the process (seen with eight edits of one file at once), and the lock is then gone
    or another's. The question is then asked again, after the usual pause.
    """
    owner = lock_owner(lock)
    if owner is None or owner[1] != socket.gethostname():
        return None
    pid = owner[0]
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False if lock_owner(lock) == owner else None
    except (PermissionError, OverflowError, OSError):
        return pid
    return pid


def _busy(lock: Path, path: Path, holder: int | bool | None, waited: float) -> GuspError:
    """The refusal of a lock that is held (or stale)."""
    if holder is False:
        return GuspError(f"{lock} existe : une modification précédente de {path.name} a été interrompue "
                         "(son processus ne tourne plus). Si aucune commande gusp ne tourne, supprimez "
                         f"ce fichier (rm {shlex.quote(str(lock))}) puis relancez.", 1)
    who = f" (processus {holder})" if isinstance(holder, int) and holder is not True else ""
    return GuspError(f"{lock} existe : une autre modification de {path.name} est en cours{who} ; "
                     f"attendu {waited:.0f} s sans qu'elle se termine. Relancez plus tard ; si aucune "
                     "commande gusp ne tourne, supprimez ce fichier puis relancez.", 1)


def read_bytes(path: Path) -> bytes:
    """Read a whole file; a file-system error becomes a French :class:`GuspError` (exit 1)."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise GuspError(f"lecture de {path} impossible : {_reason(exc)}", 1) from None


def read_regular(path: Path) -> bytes:
    """The bytes of a regular file; ``OSError`` for anything else (a named pipe is not waited on)."""
    import errno

    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        chunks = []
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, expected_digest: str | None = None) -> None:
    """Replace the content of ``path`` with ``data`` atomically.

    With ``expected_digest``, refuse (exit 1, nothing written) when the file on disk no longer has
    that SHA-256. A symbolic link is followed: its target is replaced, the link stays. The file's
    permission bits are kept (a new file gets the default ones).
    """
    target = path.resolve()
    mode = file_mode(target)
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
            write_fully(fd, data)
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
    fsync_directory(target.parent)


def file_mode(target: Path) -> int:
    """Permission bits of the existing file, or the default ones (0o666 minus the umask)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_fully(fd: int, data: bytes) -> None:
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


def fsync_directory(directory: Path) -> None:
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
