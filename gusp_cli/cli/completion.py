"""Shell completion: the scripts (``gusp --show-completion bash``) and what each value completes to.

Completion itself is typer's (``_GUSP_COMPLETE=complete_bash`` with ``COMP_WORDS`` and
``COMP_CWORD``; zsh, fish and PowerShell through ``_TYPER_COMPLETE_ARGS``): :func:`run` answers it
before anything else runs, never from the help cache. gusp declares its own ``--show-completion
SHELL`` and ``--install-completion SHELL`` (typer's ignore a shell named after them, guess one with
shellingham, and speak English).

The values complete from the charter: action ids, quartiers, parties (actors and roles),
statuses and bodies, signalement ids, states and sources. The charter is loaded through the
cache, so a warm completion imports
neither pydantic nor ruamel; a completion never prints an error (the shell would show it while
the user types): anything that goes wrong completes to nothing.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter

PROG = "gusp"
COMPLETE_VAR = "_GUSP_COMPLETE"
SHELLS = ("bash", "zsh", "fish", "powershell", "pwsh")

Items = list[tuple[str, str]]


def requested(environ: os._Environ[str] | dict[str, str]) -> str | None:
    """The completion instruction (``complete_bash``, ``source_zsh``...) when the shell asks for one."""
    return environ.get(COMPLETE_VAR) or None


def run(command: Any, instruction: str) -> int:
    """Answer the shell's completion request with typer's machinery; return the exit code."""
    from typer._completion_classes import completion_init
    from typer.completion import shell_complete

    completion_init()  # typer registers its shells' classes only when it adds its own options
    return shell_complete(command, {}, PROG, COMPLETE_VAR, instruction)


# --------------------------------------------------------------------------- the scripts


def _shell(value: str) -> str:
    """The shell a ``--show-completion`` value names; a French usage error for any other."""
    from gusp_cli.model.errors import UsageError

    if value not in SHELLS:
        raise UsageError(f"shell « {value} » inconnu ; choix possibles : {', '.join(SHELLS)}")
    return value


def show(ctx: Any, param: Any, value: str | None) -> None:
    """``--show-completion [SHELL]``: print the completion script, to install by hand."""
    if value is None or ctx.resilient_parsing:
        return
    import typer
    from typer._completion_shared import get_completion_script

    typer.echo(get_completion_script(prog_name=PROG, complete_var=COMPLETE_VAR, shell=_shell(value)))
    raise typer.Exit()


def install(ctx: Any, param: Any, value: str | None) -> None:
    """``--install-completion [SHELL]``: install the script for the user (``~/.bashrc``...)."""
    if value is None or ctx.resilient_parsing:
        return
    import typer
    from typer._completion_shared import install as install_script

    shell, path = install_script(shell=_shell(value), prog_name=PROG, complete_var=COMPLETE_VAR)
    typer.echo(f"complétion {shell} installée dans {path} ; elle prendra effet dans un nouveau terminal")
    raise typer.Exit()


# --------------------------------------------------------------------------- the values


def _charter(ctx: Any) -> Charter | None:
    """The charter the command line designates (``--charter`` if already typed), from the cache."""
    from gusp_cli.store.cache import ParseCache, activate, default_directory
    from gusp_cli.store.loader import load
    from gusp_cli.store.repository import find_charter

    if os.environ.get("GUSP_NO_CACHE", "") in ("", "0"):
        activate(ParseCache(default_directory(os.environ)))
    found = find_charter(ctx.params.get("charter") if ctx is not None else None)
    return load(found.root, locate_warnings=False)


def _typed(items: Items, incomplete: str) -> Items:
    """Ids in the case the user types them: ``av`` completes to ``avi-001`` (gusp takes both)."""
    if incomplete and incomplete == incomplete.lower():
        return [(value.lower(), help_) for value, help_ in items]
    return items


def _quietly(build: Any) -> Any:
    """A completion callback that completes to nothing rather than fail."""
    def callback(ctx: Any, incomplete: str) -> Items:
        try:
            return list(build(ctx, incomplete))
        except Exception:  # a completion must never print an error into the shell
            return []

    callback.__name__ = build.__name__
    callback.__doc__ = build.__doc__
    return callback


@_quietly
def action_ids(ctx: Any, incomplete: str) -> Items:
    """Action ids (``ABC-042``), each with its label."""
    charter = _charter(ctx)
    assert charter is not None
    return _typed([(e.id, e.action.libelle[:70]) for e in charter.entries], incomplete)


@_quietly
def quartiers(ctx: Any, incomplete: str) -> Items:
    """Quartier ids, each with its name."""
    charter = _charter(ctx)
    assert charter is not None
    return [(q.id, q.nom) for q in charter.quartiers]


@_quietly
def parties(ctx: Any, incomplete: str) -> Items:
    """Actor and role ids, each with its name."""
    charter = _charter(ctx)
    assert charter is not None
    return [(a.id, a.nom) for a in charter.actors.values()] + [(r.id, r.nom) for r in charter.roles.values()]


@_quietly
def bodies(ctx: Any, incomplete: str) -> Items:
    """Governance body ids, each with its name."""
    charter = _charter(ctx)
    assert charter is not None
    return [(i.id, i.nom) for i in charter.charte.instances] if charter.charte else []


@_quietly
def statuses(ctx: Any, incomplete: str) -> Items:
    """The statuses an action can take."""
    from gusp_cli.french.dates import STATUS_LABELS
    from gusp_cli.model.vocabulary import Statut

    return [(s.value, STATUS_LABELS[s.value]) for s in Statut]


@_quietly
def filter_statuses(ctx: Any, incomplete: str) -> Items:
    """The statuses a query filters on, « non renseigné » included."""
    from gusp_cli.french.dates import STATUS_LABELS
    from gusp_cli.model.vocabulary import Statut
    from gusp_cli.track.matching import NO_STATUS

    return [(s, STATUS_LABELS[s]) for s in [*(s.value for s in Statut), NO_STATUS]]


@_quietly
def signal_ids(ctx: Any, incomplete: str) -> Items:
    """Signalement ids (``SIG-2026-0001``), each with its place and state."""
    charter = _charter(ctx)
    assert charter is not None
    return _typed([(s.id, f"{s.lieu[:50]} ({s.etat.value})") for s in charter.signals], incomplete)


@_quietly
def signal_states(ctx: Any, incomplete: str) -> Items:
    """The states a signalement can take."""
    from gusp_cli.model.signals import STATE_LABELS

    return [(state.value, label) for state, label in STATE_LABELS.items()]


@_quietly
def signal_sources(ctx: Any, incomplete: str) -> Items:
    """How a field problem came to be known."""
    from gusp_cli.model.signals import SOURCE_LABELS

    return [(source.value, label) for source, label in SOURCE_LABELS.items()]
