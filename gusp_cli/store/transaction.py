"""Writing several files all or nothing, even under ``kill -9`` (``gusp import`` and its kin).

:func:`write_all` does for a set of files what :mod:`gusp_cli.store.atomic` does for one:

1. take the journal's lock, then every file's lock (``<file>.lock``, the one ``gusp status`` takes;
   for a symbolic link, the link's and its target's), in the order of their names, so that two
   runs never deadlock; each lock is waited for as :func:`~gusp_cli.store.atomic.file_lock` does;
2. check every file before writing any: an existing file is a regular file (links followed), can
   be written (its mode, its folder), and is still the one that was read (its SHA-256); a new file
   does not exist yet and its folder does;
3. write the journal (:mod:`gusp_cli.store.journal`), durably: from here on, a killed process is
   recovered by :func:`recover`;
4. write each new content to a temporary file beside its target, ``fsync`` it, give it the
   original's mode;
5. hard-link each existing file to its backup name (its old content, for free; a copy where the
   file system has no hard links), ``fsync`` the folders;
6. check every file again, then rename each temporary file over its target, ``fsync`` the folders;
7. remove the backups, the journal, the locks.

A failure before the last rename undoes what was done: each replaced file gets its backup back (a
new file is removed), the temporary files and the journal are removed, and the error says that no
file was changed. When the undo itself fails, the error names the files not restored, and the
journal and the locks stay for :func:`recover` to finish. A failure after the last rename (the
clean-up) is not one: every file is written; the journal stays and :func:`recover` removes what is
left.

:func:`recover` (:mod:`gusp_cli.store.recovery`), which every command runs when it finds the
repository, finishes or undoes a write whose process was killed.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from gusp_cli.model.errors import GuspError, os_reason
from gusp_cli.model.layout import JOURNAL_FILE
from gusp_cli.store import journal as jn
from gusp_cli.store.atomic import (
    digest,
    file_mode,
    fsync_directory,
    lock_path,
    read_regular,
    release_locks,
    take_lock,
    write_fully,
)
from gusp_cli.store.recovery import recover

__all__ = ["Replacement", "recover", "write_all"]


@dataclass(frozen=True)
class Replacement:
    """One file of a :func:`write_all`."""
    path: Path
    """The file to write; a symbolic link is followed: its target is replaced, never the link."""
    data: bytes
    """The new content."""
    expected_digest: str | None
    """The SHA-256 (hexadecimal) of the bytes that were read; None for a new file, which must not
    exist yet."""


# --------------------------------------------------------------------------- write_all


@dataclass(frozen=True)
class _File:
    """One file of a write, resolved."""
    shown: str
    """The name the user knows, relative to the repository root."""
    given: Path
    target: Path
    temp: Path
    backup: Path | None
    data: bytes
    before: str | None
    after: str


@dataclass
class _Progress:
    """What a write has done so far: what to undo, what to remove."""
    journal: bool = False
    temps: list[Path] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    renamed: list[_File] = field(default_factory=list)
    keep: bool = False
    """The journal and the locks must stay for :func:`recover`."""


class _Failed(Exception):
    """A file-system operation of the write failed: what it was, and why (in French)."""

    def __init__(self, what: str, reason: str) -> None:
        super().__init__(what)
        self.what, self.reason = what, reason


class _Refused(Exception):
    """The second check found a file changed or created meanwhile."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems)
        self.problems = problems


def write_all(replacements: Sequence[Replacement], *, journal_dir: Path, label: str) -> None:
    """Write every file or none (module docstring), even if the process is killed meanwhile.

    ``journal_dir`` is the repository root (every file must be inside it); ``label`` names the
    operation in messages (« import du suivi »). A refusal or a failure is a French
    :class:`GuspError` (exit 1) that names the file and says what was changed: nothing, unless it
    says otherwise.
    """
    if not replacements:
        return
    import socket

    root = Path(os.path.realpath(journal_dir))
    files = _plan(replacements, root, label)
    locks = _lock_order(files)
    record = jn.Journal(os.getpid(), socket.gethostname(), label,
                        tuple(jn.relative(root, lock_path(p)) for p in locks),
                        tuple(jn.Entry(jn.relative(root, f.target), f.temp.name,
                                       f.backup.name if f.backup else None, f.before, f.after)
                              for f in files))
    path = jn.journal_path(root)
    homeless = [problem for f in files if (problem := _folder_problem(f)) is not None]
    if homeless:  # said before a lock is taken in a folder that cannot hold it
        raise GuspError(_refusal(label, homeless), 1)
    held = _lock_all(path, locks, label)
    progress = _Progress()
    jn.WRITING.add(path)
    try:
        if os.path.lexists(path):
            raise GuspError(f"{label} : aucun fichier n'a été modifié, car une écriture précédente n'est "
                            f"pas terminée ({JOURNAL_FILE}) : relancez la commande, gusp la terminera "
                            "d'abord", 1)
        problems = _problems(files)
        if problems:
            raise GuspError(_refusal(label, problems), 1)
        _apply(files, record, path, label, progress)
    finally:
        jn.WRITING.discard(path)
        if not progress.keep:
            release_locks(held)


def _plan(replacements: Sequence[Replacement], root: Path, label: str) -> list[_File]:
    """Resolve each file; refuse one outside the repository, or named twice."""
    files: list[_File] = []
    seen: dict[Path, str] = {}
    for replacement in replacements:
        given = Path(os.path.abspath(replacement.path))
        target = Path(os.path.realpath(replacement.path))
        shown = _shown(root, given)
        if not given.is_relative_to(root) or not target.is_relative_to(root):
            raise GuspError(f"{label} : aucun fichier n'a été modifié, car {shown} est hors du dépôt "
                            f"{root}", 1)
        if target in seen:
            raise GuspError(f"{label} : aucun fichier n'a été modifié, car {seen[target]} et {shown} sont "
                            "le même fichier", 1)
        seen[target] = shown
        temp, backup = jn.work_names(target, os.getpid())
        existing = replacement.expected_digest is not None
        files.append(_File(shown, given, target, target.with_name(temp),
                           target.with_name(backup) if existing else None, replacement.data,
                           replacement.expected_digest, digest(replacement.data)))
    return files


def _shown(root: Path, path: Path) -> str:
    """``path`` relative to the repository root when it is inside (as git shows it)."""
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _lock_order(files: list[_File]) -> list[Path]:
    """The files whose lock is taken, sorted: a link's name and its target's, once each."""
    return sorted({p for f in files for p in (f.given, f.target)}, key=str)


def _lock_all(journal: Path, paths: list[Path], label: str) -> list[Path]:
    """Take the journal's lock, then each file's; on a refusal, release those taken (exit 1)."""
    held: list[Path] = []
    try:
        for path in (journal, *paths):
            held.append(take_lock(path))
    except GuspError as exc:
        release_locks(held)
        raise GuspError(f"{label} : aucun fichier n'a été modifié, car {exc.message}", 1) from None
    except BaseException:
        release_locks(held)
        raise
    return held


def _problems(files: list[_File]) -> list[str]:
    """Why each file that cannot be written cannot be (empty when all can)."""
    return [problem for f in files if (problem := _problem(f)) is not None]


def _problem(f: _File) -> str | None:
    """Why ``f`` cannot be written as planned, or None."""
    if f.before is None:
        if os.path.lexists(f.target):
            return f"{f.shown} existe déjà (il n'existait pas quand la commande a lu la charte)"
        return _folder_problem(f)
    info = _stat(f.target, f.shown, f"{f.shown} n'existe plus (supprimé depuis sa lecture ?)")
    if isinstance(info, str):
        return info
    if not stat.S_ISREG(info.st_mode):
        from gusp_cli.store.outputs import file_kind

        return f"{f.shown} est {file_kind(info.st_mode)}, pas un fichier ordinaire"
    if not info.st_mode & 0o222:
        import shlex

        from gusp_cli.model.source import display_path

        return (f"{f.shown} est en lecture seule (rendez-le modifiable : chmod u+w "
                f"{shlex.quote(display_path(f.given))})")
    if not os.access(f.target, os.W_OK):
        return f"{f.shown} n'est pas modifiable (droits insuffisants ou système de fichiers en lecture seule)"
    return _folder_problem(f) or _content_problem(f)


def _folder_problem(f: _File) -> str | None:
    """Why the folder of ``f`` cannot receive its new content, or None."""
    folder = f.target.parent
    info = _stat(folder, f"le dossier de {f.shown}", f"le dossier de {f.shown} n'existe pas")
    if isinstance(info, str):
        return info
    if not stat.S_ISDIR(info.st_mode):
        return f"le chemin de {f.shown} passe par un fichier qui n'est pas un dossier"
    if not info.st_mode & 0o222 or not os.access(folder, os.W_OK | os.X_OK):
        return (f"le dossier de {f.shown} ({folder}) n'est pas modifiable : lecture seule ou droits "
                "insuffisants")
    return None


def _stat(path: Path, shown: str, missing: str) -> os.stat_result | str:
    """The status of ``path`` (links followed), or why there is none: ``missing``, or a French reason."""
    try:
        return os.stat(path)
    except FileNotFoundError:
        return missing
    except OSError as exc:
        return f"{shown} est inaccessible : {os_reason(exc)}"


def _content_problem(f: _File) -> str | None:
    """Refuse a file that is no longer the one that was read."""
    try:
        current = digest(read_regular(f.target))
    except OSError as exc:
        return f"lecture de {f.shown} impossible : {os_reason(exc)}"
    if current != f.before:
        return (f"{f.shown} a été modifié sur le disque depuis sa lecture (par un éditeur ?) : relancez "
                "la commande")
    return None


def _refusal(label: str, problems: list[str]) -> str:
    """``import : aucun fichier n'a été modifié, car …`` (one reason, or a list)."""
    if len(problems) == 1:
        return f"{label} : aucun fichier n'a été modifié, car {problems[0]}"
    return f"{label} : aucun fichier n'a été modifié, car :\n" + "\n".join(f"  - {p}" for p in problems)


@contextmanager
def _step(what: str) -> Iterator[None]:
    """Turn a file-system error into :class:`_Failed` naming the step."""
    try:
        yield
    except OSError as exc:
        raise _Failed(what, os_reason(exc)) from None


def _apply(files: list[_File], record: jn.Journal, path: Path, label: str, progress: _Progress) -> None:
    """Steps 3 to 7 (module docstring); any failure before the last rename is undone."""
    folders = sorted({f.target.parent for f in files}, key=str)
    try:
        with _step(f"écriture du journal {JOURNAL_FILE} impossible"):
            jn.write(record, path)
        progress.journal = True
        for f in files:
            with _step(f"écriture de {f.shown} impossible"):
                _write_temp(f, progress)
        for f in files:
            with _step(f"copie de sauvegarde de {f.shown} impossible"):
                _keep_backup(f, progress)
        for folder in folders:
            fsync_directory(folder)
        problems = _problems(files)
        if problems:
            raise _Refused(problems)
        for f in files:
            with _step(f"remplacement de {f.shown} impossible"):
                os.replace(f.temp, f.target)
            progress.renamed.append(f)
    except BaseException as exc:
        _abort(exc, files, path, label, progress)
        raise
    for folder in folders:
        fsync_directory(folder)
    _clean_up(path, progress)


def _write_temp(f: _File, progress: _Progress) -> None:
    """The new content in a temporary file beside the target, durable, with the original's mode."""
    mode = file_mode(f.target)
    fd = os.open(f.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    progress.temps.append(f.temp)
    try:
        write_fully(fd, f.data)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        os.fsync(fd)
    finally:
        os.close(fd)


_NO_HARD_LINKS = frozenset({"EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK", "ENOSYS"})
"""``link`` errors of a file system without hard links (FAT, some network shares): a copy then."""


def _keep_backup(f: _File, progress: _Progress) -> None:
    """Keep the old content of an existing target under its backup name: a hard link, else a copy."""
    import errno

    if f.backup is None:
        return
    try:
        os.link(f.target, f.backup)
    except OSError as exc:
        if errno.errorcode.get(exc.errno or 0) not in _NO_HARD_LINKS:
            raise
        _copy(f.target, f.backup, progress)
    else:
        progress.backups.append(f.backup)


def _copy(source: Path, backup: Path, progress: _Progress) -> None:
    """A durable copy of ``source`` (same bytes, same mode)."""
    data = read_regular(source)
    fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, file_mode(source))
    progress.backups.append(backup)
    try:
        write_fully(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _abort(exc: BaseException, files: list[_File], path: Path, label: str, progress: _Progress) -> None:
    """Undo a write that failed before its last rename, then raise its French error.

    Anything but a file-system failure or a refusal (^C, SIGTERM) is undone the same way and then
    goes on (the caller re-raises it).
    """
    unrestored = _roll_back(progress)
    if unrestored:
        progress.keep = True
    elif progress.journal:
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass
        except OSError:
            progress.keep = True  # every file is as it was: recover() will only remove the journal
    if isinstance(exc, _Refused):
        cause = "un fichier a changé pendant l'écriture : " + "; ".join(exc.problems)
    elif isinstance(exc, _Failed):
        cause = f"{exc.what} ({exc.reason})"
    else:
        return
    raise GuspError(_failure(label, cause, progress.renamed, unrestored), 1) from None


def _roll_back(progress: _Progress) -> list[tuple[_File, str]]:
    """Give each replaced file its old content back (remove a new one), remove the temporary files
    and unused backups; return the files that could not be restored, with the reason."""
    unrestored: list[tuple[_File, str]] = []
    for f in reversed(progress.renamed):
        try:
            if f.backup is None:
                os.unlink(f.target)
            else:
                os.replace(f.backup, f.target)
        except OSError as exc:
            unrestored.append((f, os_reason(exc)))
    kept = {f.backup for f, _ in unrestored}
    for leftover in (*progress.temps, *(b for b in progress.backups if b not in kept)):
        with suppress(OSError):
            os.unlink(leftover)
    for folder in sorted({p.parent for p in progress.temps}, key=str):
        fsync_directory(folder)
    return unrestored


def _failure(label: str, cause: str, renamed: list[_File], unrestored: list[tuple[_File, str]]) -> str:
    """The French error of a failed write, true to what is on disk after the undo."""
    from gusp_cli.french.text import agree

    failed = {f.shown for f, _ in unrestored}
    said = ""
    for new, done, undone in ((False, "remplacé", "rétabli"), (True, "créé", "retiré")):
        names = [f.shown for f in renamed if f.shown not in failed and (f.backup is None) == new]
        if names:
            n = len(names)
            said += (f"{_names(names)}, déjà {agree(n, done)}, {agree(n, 'a', 'ont')} été "
                     f"{agree(n, undone)} ; ")
    if not unrestored:
        return f"{label} : {cause} ; {said}aucun fichier n'a été modifié"
    which = "; ".join(f"{f.shown} ({why})" for f, why in unrestored)
    return (f"{label} : {cause} ; {said}l'annulation a échoué pour {which} : "
            f"{agree(len(unrestored), 'il garde son', 'ils gardent leur')} nouveau contenu. "
            f"Le journal {JOURNAL_FILE} est gardé : la prochaine commande gusp lancée dans ce dépôt "
            f"(gusp validate) {agree(len(unrestored), 'le', 'les')} rétablira ; les autres fichiers "
            "sont intacts.")


def _names(names: list[str]) -> str:
    """``a``, ``a et b``, ``a, b et c``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} et {names[-1]}"


def _clean_up(path: Path, progress: _Progress) -> None:
    """Remove the backups, then the journal; one that cannot be removed is left with the journal and
    the locks, for :func:`recover` (every file is written already)."""
    try:
        for backup in progress.backups:
            os.unlink(backup)
        os.unlink(path)
    except OSError:
        progress.keep = True
        return
    fsync_directory(path.parent)


