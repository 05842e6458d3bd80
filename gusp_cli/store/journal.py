"""The journal of a write of several files (:mod:`gusp_cli.store.transaction`): its format on disk.

While :func:`~gusp_cli.store.transaction.write_all` runs, ``.gusp-ecriture.json`` at the repository
root says who writes (process id and machine), what (the label: « import du suivi »), which locks
it holds, and for each file: where its new content waits (the temporary file), where its old
content is kept (the backup, a hard link beside it), and the SHA-256 of both contents. That is
enough for a later command to finish or undo the write when its process was killed.

The journal is written durably before the first file is touched: a temporary file, ``fsync``, a
hard link to its name (which never replaces another journal), ``fsync`` of the folder.

Reading one is reading untrusted input (a damaged disk, a file committed by anyone): every field
is checked, every path must stay inside the repository and outside ``.git/``, temporary and backup
names must be gusp's own, and a journal that fails a check is a French error (exit 1), never acted
upon.
"""

from __future__ import annotations

import json
import os
import re
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from gusp_cli.model.errors import GuspError, os_reason
from gusp_cli.model.layout import JOURNAL_FILE

VERSION = 1
MAX_BYTES = 4 * 1024 * 1024
"""A journal lists a few files: anything bigger is not one of gusp's."""
TEMP_SUFFIX = ".gusp-nouveau"
BACKUP_SUFFIX = ".gusp-avant"
LOCK_SUFFIX = ".lock"
_DIGEST = re.compile(r"[0-9a-f]{64}")
_PID_LIMIT = 2**31
_ENTRY_KEYS = frozenset({"cible", "temporaire", "sauvegarde", "empreinte_avant", "empreinte_apres"})
_KEYS = frozenset({"version", "processus", "machine", "operation", "verrous", "fichiers"})

WRITING: set[Path] = set()
"""The journals whose write runs in this process: its process id is alive, yet one of them may be a
write that gave up (an undo that failed), for :func:`~gusp_cli.store.recovery.recover` to finish."""


@dataclass(frozen=True)
class Entry:
    """One file of the write, as the journal records it (paths relative to the repository root)."""

    target: str
    """The file replaced, relative to the root, in POSIX form (``charter-data/quartiers/centre.yaml``)."""
    temp: str
    """The name of its new content's temporary file, in the target's folder."""
    backup: str | None
    """The name of the hard link keeping its old content, in the target's folder; None for a new file."""
    before: str | None
    """The SHA-256 of the content that was read; None for a new file (it did not exist)."""
    after: str
    """The SHA-256 of the new content."""


@dataclass(frozen=True)
class Journal:
    """A write of several files in progress."""

    pid: int
    host: str
    label: str
    locks: tuple[str, ...]
    """The lock files the writer holds, relative to the root."""
    entries: tuple[Entry, ...]


def journal_path(root: Path) -> Path:
    """The journal of the repository at ``root``."""
    return root / JOURNAL_FILE


def work_names(target: Path, pid: int) -> tuple[str, str]:
    """The temporary and backup names of ``target`` for the process ``pid`` (hidden, beside it)."""
    stem = f".{target.name}.{pid}"
    return stem + TEMP_SUFFIX, stem + BACKUP_SUFFIX


def relative(root: Path, path: Path) -> str:
    """``path`` relative to ``root``, in POSIX form (ValueError when it is outside)."""
    return path.relative_to(root).as_posix()


def encode(journal: Journal) -> bytes:
    """The journal as UTF-8 JSON (French keys, like every document gusp writes)."""
    document = {
        "version": VERSION, "processus": journal.pid, "machine": journal.host,
        "operation": journal.label, "verrous": list(journal.locks),
        "fichiers": [{"cible": e.target, "temporaire": e.temp, "sauvegarde": e.backup,
                      "empreinte_avant": e.before, "empreinte_apres": e.after}
                     for e in journal.entries],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def write(journal: Journal, path: Path) -> None:
    """Write the journal durably at ``path``, which must not exist (``OSError`` otherwise).

    A failure leaves no journal and no temporary file (``.gusp-ecriture.json.tmp``) when it can be
    removed.
    """
    from gusp_cli.store.atomic import fsync_directory, write_fully

    temp = path.with_name(path.name + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        try:
            write_fully(fd, encode(journal))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(temp, path)
    finally:
        with suppress(OSError):
            os.unlink(temp)
    fsync_directory(path.parent)


def read(path: Path, root: Path) -> Journal:
    """Read and check the journal at ``path``; a damaged or foreign one is a French error (exit 1)."""
    shown = relative(root, path) if path.is_relative_to(root) else str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _unusable(shown, path, f"lecture impossible : {os_reason(exc)}") from None
    if len(data) > MAX_BYTES:
        raise _unusable(shown, path, f"plus de {MAX_BYTES} octets")
    try:
        return _parse(json.loads(data.decode("utf-8")), root)
    except UnicodeDecodeError:
        raise _unusable(shown, path, "ce n'est pas du texte UTF-8") from None
    except json.JSONDecodeError as exc:
        raise _unusable(shown, path, f"JSON invalide ligne {exc.lineno}, colonne {exc.colno}") from None
    except _Invalid as exc:
        raise _unusable(shown, path, str(exc)) from None


class _Invalid(ValueError):
    """A journal field that is not what gusp writes."""


def _unusable(shown: str, path: Path, why: str) -> GuspError:
    """The refusal of a journal gusp cannot act on, with what to do by hand."""
    return GuspError(
        f"{shown} : journal d'écriture inutilisable ({why}). Une écriture de plusieurs fichiers par gusp "
        "a pu être interrompue ; gusp n'y touche pas. Vérifiez les fichiers de la charte (git status, "
        "git diff), rétablissez-les si besoin (git checkout -- FICHIER), retirez les fichiers cachés "
        f"*{TEMP_SUFFIX}, *{BACKUP_SUFFIX} et les verrous *{LOCK_SUFFIX} laissés à côté d'eux, puis "
        f"supprimez ce journal ({path}).", 1)


def _parse(document: object, root: Path) -> Journal:
    """Check every field of the decoded JSON (raises :class:`_Invalid`)."""
    if not isinstance(document, dict) or set(document) != _KEYS:
        raise _Invalid(f"clés attendues : {', '.join(sorted(_KEYS))}")
    if document["version"] != VERSION:
        raise _Invalid(f"version {document['version']!r} inconnue (attendu {VERSION})")
    pid = document["processus"]
    if not isinstance(pid, int) or isinstance(pid, bool) or not 0 < pid < _PID_LIMIT:
        raise _Invalid(f"processus {pid!r} : un numéro de processus est attendu")
    host, label, locks, files = (document[k] for k in ("machine", "operation", "verrous", "fichiers"))
    if not isinstance(host, str) or not host or not isinstance(label, str):
        raise _Invalid("machine et operation doivent être des textes")
    if not isinstance(locks, list) or not isinstance(files, list) or not files:
        raise _Invalid("verrous et fichiers doivent être des listes (fichiers non vide)")
    entries = tuple(_entry(root, item) for item in files)
    if len({e.target for e in entries}) != len(entries):
        raise _Invalid("un même fichier est cité deux fois")
    return Journal(pid, host, label, tuple(_lock(root, lock) for lock in locks), entries)


def _entry(root: Path, item: object) -> Entry:
    """One element of ``fichiers``."""
    if not isinstance(item, dict) or set(item) != _ENTRY_KEYS:
        raise _Invalid(f"chaque fichier doit avoir les clés {', '.join(sorted(_ENTRY_KEYS))}")
    target = _inside(root, item["cible"])
    before, after = item["empreinte_avant"], item["empreinte_apres"]
    if not _is_digest(after) or (before is not None and not _is_digest(before)):
        raise _Invalid(f"{target} : empreinte SHA-256 invalide")
    backup = item["sauvegarde"]
    if (backup is None) != (before is None):
        raise _Invalid(f"{target} : une sauvegarde va avec une empreinte d'avant, et seulement elle")
    _work_name(target, item["temporaire"], TEMP_SUFFIX)
    if backup is not None:
        _work_name(target, backup, BACKUP_SUFFIX)
    return Entry(target, item["temporaire"], backup, before, after)


def _is_digest(value: object) -> bool:
    """True for a SHA-256 in lowercase hexadecimal."""
    return isinstance(value, str) and _DIGEST.fullmatch(value) is not None


def _lock(root: Path, value: object) -> str:
    """A lock file of the repository (``….lock``)."""
    lock = _inside(root, value)
    if not lock.endswith(LOCK_SUFFIX):
        raise _Invalid(f"verrou « {lock} » : un fichier *{LOCK_SUFFIX} est attendu")
    return lock


def _work_name(target: str, value: object, suffix: str) -> None:
    """A temporary or backup name gusp makes for ``target`` (:func:`work_names`)."""
    name = PurePosixPath(target).name
    if (not isinstance(value, str) or not value.startswith(f".{name}.") or not value.endswith(suffix)
            or not value[len(name) + 2:-len(suffix)].isdigit()):
        raise _Invalid(f"{target} : nom de fichier de travail « {value} » qui n'est pas de gusp")


def _inside(root: Path, value: object) -> str:
    """A path relative to the root that stays inside it, really (links resolved), and out of ``.git``."""
    if not isinstance(value, str) or not value or "\\" in value or "\x00" in value:
        raise _Invalid(f"chemin {value!r} invalide")
    parts = PurePosixPath(value).parts
    if PurePosixPath(value).is_absolute() or any(p in ("..", ".", ".git") for p in parts):
        raise _Invalid(f"chemin « {value} » hors du dépôt")
    real = Path(os.path.realpath(root / value))
    if not real.is_relative_to(root) or ".git" in real.relative_to(root).parts:
        raise _Invalid(f"chemin « {value} » hors du dépôt (lien symbolique)")
    return value
