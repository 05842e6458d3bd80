"""Errors as values (``Problem``) and the one exception that aborts a command (``GuspError``).

Like beancount, the loader never stops at the first problem: it returns them all. A ``Problem``
carries the file and the path of the YAML node at fault; its line and column are resolved lazily
(only when problems exist, so a valid charter never pays for source positions).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from gusp_cli.model.source import SourcePos, display_path

YamlPath = tuple[str | int, ...]


class Severity(StrEnum):
    """How serious a problem is."""

    erreur = "erreur"
    avertissement = "avertissement"


@dataclass(slots=True)
class Problem:
    """A problem found in a charter repository."""

    severity: Severity
    rule: str
    message: str
    path: Path | None = None
    yaml_path: YamlPath = ()
    pos: SourcePos | None = None
    key: bool = False
    """Point at the key of ``yaml_path`` rather than at its value."""

    @property
    def is_error(self) -> bool:
        """True for an error, False for a warning."""
        return self.severity is Severity.erreur

    def location(self, base: Path | None = None, shown: Callable[[Path], str] | None = None) -> str:
        """Return ``file:line:col`` (or just the file) for display; ``shown`` displays a path (by
        default :func:`~gusp_cli.model.source.display_path` relative to ``base``)."""
        show = shown if shown is not None else (lambda path: display_path(path, base))
        if self.pos is not None:
            return f"{show(self.pos.path)}:{self.pos.line}:{self.pos.col}"
        if self.path is not None:
            return show(self.path)
        return "gusp"

    def format(self, base: Path | None = None, shown: Callable[[Path], str] | None = None) -> str:
        """Return the editor-clickable line ``path:line:col: erreur: message [rule]``."""
        return f"{self.location(base, shown)}: {self.severity.value}: {self.message} [{self.rule}]"


def error(rule: str, message: str, path: Path | None = None, yaml_path: YamlPath = (),
          *, pos: SourcePos | None = None, key: bool = False) -> Problem:
    """Build an error."""
    return Problem(Severity.erreur, rule, message, path, yaml_path, pos, key)


def warning(rule: str, message: str, path: Path | None = None, yaml_path: YamlPath = (),
            *, pos: SourcePos | None = None, key: bool = False) -> Problem:
    """Build a warning."""
    return Problem(Severity.avertissement, rule, message, path, yaml_path, pos, key)


_OS_REASONS = {
    "ENOENT": "fichier ou dossier introuvable",
    "EACCES": "droits insuffisants",
    "EPERM": "opération non permise",
    "EISDIR": "c'est un dossier, pas un fichier",
    "ENOTDIR": "un élément du chemin n'est pas un dossier",
    "ELOOP": "boucle de liens symboliques",
    "ENOSPC": "disque plein",
    "EDQUOT": "quota disque dépassé",
    "EROFS": "système de fichiers en lecture seule",
    "EIO": "erreur d'entrée/sortie",
    "ENAMETOOLONG": "nom de fichier trop long",
}


def os_reason(exc: OSError) -> str:
    """A file-system error in French (the one table every reader and writer uses)."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_REASONS.get(name) or f"erreur du système ({exc.strerror or type(exc).__name__})"


@dataclass
class GuspError(Exception):
    """A failure that aborts a command: a French message and the exit code to return."""

    message: str
    exit_code: int = 2
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


class UsageError(GuspError):
    """Bad arguments (an unknown quartier, a malformed date...): exit code 2."""
