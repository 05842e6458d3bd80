"""Finishing or undoing a write of several files whose process was killed (``store/transaction``).

:func:`recover` runs once per command, where the command finds the charter repository
(``cli/common``): without a journal it costs one ``stat`` and imports nothing more. With one
(:mod:`gusp_cli.store.journal`), whose writer is gone (same machine, process no longer running):

- when every file already has its new content, or the clean-up had begun, the write had gone
  through: the backups, temporary files, locks and journal are removed;
- otherwise every file gets its old content back (its backup renamed over it; a file the write
  created is removed), then the rest is removed.

A file changed since by someone else (neither its old nor its new content) is never overwritten:
it is left as it is, its old content kept, and the notice says so. A journal whose writer still
runs, or that was written on another machine, is left alone and reported. Locks are taken as an
edit takes them; the dead writer's own are taken over.
"""

from __future__ import annotations

import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from gusp_cli.model.errors import GuspError, os_reason
from gusp_cli.model.layout import JOURNAL_FILE

if TYPE_CHECKING:
    from gusp_cli.store import journal as jn


def recover(journal_dir: Path) -> str | None:
    """Finish or undo an interrupted :func:`~gusp_cli.store.transaction.write_all` whose process is
    gone (module docstring).

    Returns a French notice of what was done, or of why a journal was left alone (its writer runs,
    or runs on another machine); None when there is no journal (one ``stat``). A damaged journal,
    or an undo that fails, is a French :class:`GuspError` (exit 1). Running it twice is harmless.
    """
    try:
        os.stat(journal_dir / JOURNAL_FILE)
    except OSError:
        return None
    return _recover(Path(os.path.realpath(journal_dir)))


def _recover(root: Path) -> str | None:
    """The work of :func:`recover` once a journal is there."""
    import socket

    from gusp_cli.store import journal as jn

    path = jn.journal_path(root)
    record = jn.read(path, root)
    what = f"{record.label}, processus {record.pid}"
    if record.host != socket.gethostname():
        return (f"une écriture ({what}) commencée sur la machine {record.host} n'est pas terminée : son "
                f"journal {JOURNAL_FILE} est laissé tel quel ; lancez une commande gusp sur {record.host} "
                "pour la terminer ou l'annuler")
    if _writer_alive(record, path):
        return (f"une écriture est en cours dans ce dépôt ({what}) : la charte lue peut mêler des "
                "fichiers d'avant et d'après ; relancez la commande quand elle sera finie")
    from gusp_cli.store.atomic import release_locks

    held = _take_over(root, path, record)
    try:
        if not os.path.lexists(path):
            return None  # another command recovered it while this one waited for the lock
        return _finish_or_undo(root, jn.read(path, root), path)
    finally:
        release_locks(held)


def _writer_alive(record: jn.Journal, path: Path) -> bool:
    """True while the journal's process runs (in this process: while its write runs)."""
    if record.pid == os.getpid():
        from gusp_cli.store.journal import WRITING

        return path in WRITING
    try:
        os.kill(record.pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: another user's process, alive
        return True
    return True


def _take_over(root: Path, path: Path, record: jn.Journal) -> list[Path]:
    """Hold the journal's lock and the files' locks: the dead writer's are taken over, the others
    taken as usual (waiting for a running edit)."""
    from gusp_cli.store.atomic import lock_owner, lock_path, release_lock, release_locks, take_lock

    writer = (record.pid, record.host)
    held: list[Path] = []
    try:
        journal_lock = lock_path(path)
        if lock_owner(journal_lock) == writer:
            release_lock(journal_lock)
        held.append(take_lock(path))
        for name in record.locks:
            lock = root / name
            if lock_owner(lock) == writer:
                held.append(lock)
            else:
                held.append(take_lock(lock.with_name(lock.name.removesuffix(".lock"))))
    except GuspError as exc:
        release_locks(held)
        raise GuspError(f"une écriture interrompue ({record.label}) ne peut pas être terminée ni annulée "
                        f"pour l'instant : {exc.message}", 1) from None
    except BaseException:
        release_locks(held)
        raise
    return held


@dataclass(frozen=True)
class _Found:
    """One file of an interrupted write, as it is now."""

    entry: jn.Entry
    target: Path
    temp: Path
    backup: Path | None
    current: str | None
    """The SHA-256 of the target now; None when it does not exist."""


def _finish_or_undo(root: Path, record: jn.Journal, path: Path) -> str:
    """Clean up a write that had gone through, or undo one that had not; return the notice."""
    from gusp_cli.french.text import plural

    found = [_look(root, entry) for entry in record.entries]
    heading = f"une écriture interrompue ({record.label}, {plural(len(found), 'fichier')})"
    try:
        if _committed(found):
            _remove_work_files(found)
            message = (f"{heading} était allée à son terme : ses copies de sauvegarde et son journal ont "
                       "été retirés")
        else:
            message = f"{heading} a été annulée : {_undo(found)}"
        _fsync_folders(found, root)
        os.unlink(path)
    except OSError as exc:
        raise GuspError(f"{heading} n'a pas pu être terminée ni annulée : {os_reason(exc)} ; le journal "
                        f"{JOURNAL_FILE} est gardé : relancez une commande gusp une fois le problème "
                        "réglé", 1) from None
    return message


def _look(root: Path, entry: jn.Entry) -> _Found:
    """Where a journal's file and its work files are, and the target's digest now."""
    from gusp_cli.store.atomic import digest, read_regular

    target = root / entry.target
    try:
        current: str | None = digest(read_regular(target))
    except FileNotFoundError:
        current = None
    except OSError:
        current = "?"  # not a regular file any more, or unreadable: neither the old nor the new one
    return _Found(entry, target, target.with_name(entry.temp),
                  target.with_name(entry.backup) if entry.backup else None, current)


def _committed(found: list[_Found]) -> bool:
    """True when the write had gone through: every file has its new content, or the clean-up had
    begun (a backup is missing while its file no longer has its old content: backups are all made
    before the first rename, and removed only after the last)."""
    if all(f.current == f.entry.after for f in found):
        return True
    return any(f.backup is not None and not os.path.lexists(f.backup) and f.current != f.entry.before
               for f in found)


def _remove_work_files(found: list[_Found]) -> None:
    """Remove the temporary files and backups left."""
    for f in found:
        for leftover in (f.temp, f.backup):
            if leftover is not None:
                with suppress(FileNotFoundError):
                    os.unlink(leftover)


def _undo(found: list[_Found]) -> str:
    """Give every file its old content back; say what was done, file by file."""
    done: list[str] = []
    left: list[str] = []
    for f in found:
        with suppress(FileNotFoundError):
            os.unlink(f.temp)
        outcome = _undo_one(f)
        if outcome is not None:
            (done if outcome[0] else left).append(outcome[1])
    if not done and not left:
        return "aucun fichier n'avait encore été modifié"
    parts = [", ".join(done)] if done else []
    untouched = len(found) - len(done) - len(left)
    if untouched:
        parts.append("l'autre fichier n'avait pas été modifié" if untouched == 1
                     else f"les {untouched} autres n'avaient pas été modifiés")
    return " ; ".join(parts + left)


def _undo_one(f: _Found) -> tuple[bool, str] | None:
    """Restore one file: (True, what was done), (False, why it was left as it is: changed since by
    someone else), or None when it had not been touched."""
    entry, shown = f.entry, f.entry.target
    if f.current == entry.before:
        if f.backup is not None:
            with suppress(FileNotFoundError):
                os.unlink(f.backup)
        return None
    if entry.before is None:
        if f.current == entry.after:
            os.unlink(f.target)
            return True, f"{shown} retiré (il n'existait pas)"
        return False, f"{shown} a été créé depuis par quelqu'un d'autre : laissé tel quel"
    if f.backup is not None and f.current in (entry.after, None) and _holds(f.backup, entry.before):
        os.replace(f.backup, f.target)
        return True, f"{shown} rétabli"
    kept = f", sa version d'avant est gardée dans {f.backup.name}" if f.backup and f.backup.exists() else ""
    return False, f"{shown} a changé depuis l'écriture interrompue : laissé tel quel{kept}"


def _holds(path: Path, expected: str | None) -> bool:
    """True when ``path`` is a regular file with the SHA-256 ``expected``."""
    from gusp_cli.store.atomic import digest, read_regular

    try:
        return digest(read_regular(path)) == expected
    except OSError:
        return False


def _fsync_folders(found: list[_Found], root: Path) -> None:
    """Make the renames and removals durable."""
    from gusp_cli.store.atomic import fsync_directory

    for folder in sorted({f.target.parent for f in found} | {root}, key=str):
        fsync_directory(folder)
