"""Options and helpers shared by the commands: the charter, the as-of date, output formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.model.errors import GuspError, UsageError

if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter

CharterOpt = Annotated[
    Path | None,
    typer.Option("--charter", "-C", help="Dépôt de charte (dossier contenant charter-data/). "
                 "Défaut : $GUSP_CHARTER, sinon le dossier courant ou un parent.",
                 show_default=False),
]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Écrire même dans charter-data/ ou .git/ (refusé sinon : un export "
                 "écrit par erreur sur un fichier de la charte la remplacerait)."),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Date de référence AAAA-MM-JJ (défaut : aujourd'hui).",
                 show_default=False),
]


def parse_as_of(value: str | None) -> dt.date:
    """Parse ``--as-of`` (default: today, the only place the clock is read)."""
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of : date invalide « {value} » (attendu AAAA-MM-JJ, "
                         "une date qui existe)") from None


def check_choice(option: str, value: str, choices: tuple[str, ...]) -> str:
    """Refuse a value outside ``choices`` with a French message (closest choices first)."""
    from gusp_cli.french.text import closest

    if value in choices:
        return value
    near = closest(value, choices)
    ordered = near + [c for c in choices if c not in near]
    raise UsageError(f"{option} : valeur « {value} » inconnue ; choix possibles : {', '.join(ordered)}")


_KEPT: list[object] = []
"""What the running command loaded: freed with the process (:func:`gusp_cli.cli.entry.exit_now`)."""


def keep_until_exit(value: object) -> None:
    """Keep ``value`` alive until the process ends, not just until the command returns.

    Freeing a large charter object by object when a command returns costs tens of milliseconds
    that the process's exit does not (the next in-process run frees it: :func:`release`).
    """
    _KEPT.append(value)


def release() -> None:
    """Let what earlier commands kept be freed (a caller running several commands in one process)."""
    _KEPT.clear()


def load_kept(charter_path: Path | None, as_of: dt.date | None = None) -> Charter:
    """Load the charter for one command, whatever its problems (only errors get positions).

    The command then builds entries, records and rows that all live until it ends: the cyclic
    garbage collector is left off, as during the load (it would only rescan them: 360 ms of 860
    measured for ``gusp overdue`` on 50,000 actions), and the charter is freed with the process.
    """
    import gc

    from gusp_cli.store.loader import load
    from gusp_cli.store.repository import find_repository

    gc.disable()
    charter = load(find_repository(charter_path), as_of=as_of, locate_warnings=False)
    keep_until_exit(charter)
    return charter


def load_valid(charter_path: Path | None, as_of: dt.date | None = None) -> Charter:
    """Load the charter for a query: stop with exit 1 and the first problems when it is invalid."""
    charter = load_kept(charter_path, as_of)
    if not charter.ok:
        errors = charter.errors
        lines = "\n".join(p.format() for p in errors[:5])
        more = f"\n... et {len(errors) - 5} autre(s)" if len(errors) > 5 else ""
        raise GuspError(f"la charte contient des erreurs ; corrigez-les (gusp validate) :\n"
                         f"{lines}{more}", 1)
    return charter


def write_output(target: str | Path, data: bytes, *, force: bool = False) -> None:
    """Write a report or export file the user named (``-o``): see :mod:`gusp_cli.store.outputs`.

    A regular file is replaced atomically, a device or a pipe written in place; a folder, a socket,
    or a file inside ``charter-data/`` or ``.git/`` (unless ``force``) is refused (exit 2).
    """
    from gusp_cli.store.outputs import write_output as write

    write(target, data, force=force)
