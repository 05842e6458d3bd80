"""Options and helpers shared by the commands: the charter, the as-of date, output formats."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.model.errors import GuspError, UsageError

if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter
    from gusp_cli.store.repository import Found

CharterOpt = Annotated[
    Path | None,
    typer.Option("--charter", "-C", help="Dépôt de charte (dossier contenant charter-data/). "
                 "Défaut : $GUSP_CHARTER, sinon le dossier courant ou un parent, sinon la charte "
                 "embarquée (lecture seule).",
                 show_default=False),
]
ForceOpt = Annotated[
    bool,
    typer.Option("--force", help="Écrire même dans charter-data/ ou .git/ (refusé sinon : un export "
                 "écrit par erreur sur un fichier de la charte la remplacerait)."),
]
SeparateurOpt = Annotated[
    str, typer.Option("--separateur", help="Séparateur CSV (« ; » pour Excel français, « , » sinon)."),
]
XlsxOutputOpt = Annotated[
    str | None,
    typer.Option("--output", "-o", help="Fichier de sortie (obligatoire pour xlsx).", show_default=False),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Voir la charte telle qu'elle était à cette date AAAA-MM-JJ : suivi, "
                 "réunions et avenants postérieurs écartés (défaut : aujourd'hui).",
                 metavar="DATE", show_default=False),
]

TODAY_VAR = "GUSP_TODAY"
"""Fixes today's date (AAAA-MM-JJ), for reproducible runs: tests, a CI job replayed later."""


def today() -> dt.date:
    """Today's date: the only place the clock is read (``$GUSP_TODAY`` overrides it)."""
    import os

    fixed = os.environ.get(TODAY_VAR)
    if not fixed:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(fixed)
    except ValueError:
        raise UsageError(f"{TODAY_VAR} : date invalide « {fixed} » (attendu AAAA-MM-JJ)") from None


def parse_as_of(value: str | None) -> dt.date:
    """Parse ``--as-of`` (default: today)."""
    if value is None:
        return today()
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


def charter_root(charter_path: Path | None, *, write: bool = False) -> Found:
    """Where the command's charter is: the repository found, else the embedded charter.

    A command that writes into the repository (``write``) refuses the embedded charter, with
    the explanation the read-only commands print as a notice (:func:`announce`).
    """
    from gusp_cli.store.repository import find_charter

    found = find_charter(charter_path)
    if found.embedded and write:
        from gusp_cli.store.loader import load

        raise GuspError(f"modification refusée : {embedded_explanation(found, load(found.root))}", 2)
    if not found.embedded:
        recover_interrupted(found.root)
    return found


def repository_root(charter_path: Path | None) -> Path:
    """The charter repository for a command that reads its git history (no embedded charter)."""
    from gusp_cli.store.repository import find_repository

    root = find_repository(charter_path)
    recover_interrupted(root)
    return root


def recover_interrupted(root: Path) -> None:
    """Finish or undo a write of several files that a killed command left in the repository, and say
    so on stderr (:mod:`gusp_cli.store.recovery`).

    Without a journal it costs one ``lstat`` and imports nothing: every read command goes through here.
    """
    import os

    from gusp_cli.model.layout import JOURNAL_FILE

    if not os.path.lexists(root / JOURNAL_FILE):
        return
    from gusp_cli.store.recovery import recover

    notice = recover(root)
    if notice is not None:
        from gusp_cli.french.markup import terminal_text

        typer.echo(f"gusp : {terminal_text(notice)}", err=True)


def embedded_explanation(found: Found, charter: Charter) -> str:
    """``aucune charte trouvée dans /tmp ni ses parents ; la charte embarquée (…) répond…``."""
    what = (charter.charte.territoire or charter.charte.titre) if charter.charte else "charte embarquée"
    return (f"aucune charte trouvée dans {found.searched} ni ses parents ; la charte embarquée ({what}) "
            "répond, en lecture seule : gusp init DOSSIER pour créer la vôtre")


def announce(found: Found, charter: Charter) -> None:
    """Say on stderr, in one line, that the answer comes from the embedded charter."""
    if found.embedded:
        typer.echo(f"gusp : {embedded_explanation(found, charter)}", err=True)


def load_kept(charter_path: Path | None, *, write: bool = False) -> Charter:
    """Load the charter for one command, whatever its problems (only errors get positions); the
    rules on dates are judged against today.

    The command then builds entries, records and rows that all live until it ends: the cyclic
    garbage collector is left off, as during the load (it would only rescan them: 360 ms of 860
    measured for ``gusp overdue`` on 50,000 actions), and the charter is freed with the process.
    Outside any repository the embedded charter answers, with a notice (refused for ``write``).
    """
    import gc

    from gusp_cli.store.loader import load

    found = charter_root(charter_path, write=write)
    gc.disable()
    charter = load(found.root, today=today(), locate_warnings=False)
    keep_until_exit(charter)
    announce(found, charter)
    return charter


def load_valid(charter_path: Path | None) -> Charter:
    """Load the charter for a query: stop with exit 1 and the first problems when it is invalid."""
    charter = load_kept(charter_path)
    if not charter.ok:
        errors = charter.errors
        lines = "\n".join(p.format() for p in errors[:5])
        more = f"\n... et {len(errors) - 5} autre(s)" if len(errors) > 5 else ""
        raise GuspError(f"la charte contient des erreurs ; corrigez-les (gusp validate) :\n"
                         f"{lines}{more}", 1)
    return charter


def load_view(charter_path: Path | None, day: dt.date) -> Charter:
    """The valid charter as it stood on ``day`` (``--as-of``), for a query or a report; a day years
    before the charter's period (``--as-of 1970-01-01``) is refused, naming the period."""
    from gusp_cli.model.period import implausible

    charter = load_valid(charter_path)
    reason = implausible(charter.charte, day)
    if reason is not None:
        raise UsageError(f"--as-of : {reason}")
    return charter.on(day)


def write_output(target: str | Path, data: bytes, *, force: bool = False) -> None:
    """Write a report or export file the user named (``-o``): see :mod:`gusp_cli.store.outputs`.

    A regular file is replaced atomically, a device or a pipe written in place; a folder, a socket,
    or a file inside ``charter-data/`` or ``.git/`` (unless ``force``) is refused (exit 2).
    """
    from gusp_cli.store.outputs import write_output as write

    write(target, data, force=force)
