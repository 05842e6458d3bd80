"""The ``gusp`` application: command registration and the one place that maps errors to exit codes.

Exit codes: 0 success, 1 the charter is invalid (or ``--strict`` warnings), 2 usage error or
unreadable charter (also: a full disk, a closed stdout, a deleted working directory), 70 internal
error (a bug: reported in one line, never as a traceback unless ``GUSP_DEBUG=1``), 130 interrupted
(^C), 143 or 129 terminated (SIGTERM, SIGHUP: locks and temporary files are cleaned up first),
3 the git history needed is truncated (a shallow clone: ``history.git.TruncatedHistory``).
A closed pipe (``gusp actions | head -1``) ends quietly with 0, as git does.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import Any

import typer

from gusp_cli import __version__
from gusp_cli.cli import completion
from gusp_cli.model.errors import GuspError

app = typer.Typer(
    name="gusp",
    help="Piloter une charte de Gestion Urbaine et Sociale de Proximité (GUSP) tenue en YAML dans git.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="markdown",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"gusp {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Afficher la version et quitter."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Relire et revalider tous les fichiers sans le "
                                  "cache ($XDG_CACHE_HOME/gusp : fichiers lus, modèles validés, verdict "
                                  "des règles, aides ; aussi GUSP_NO_CACHE=1)."),
    install_completion: str | None = typer.Option(
        None, "--install-completion", metavar="SHELL", callback=completion.install, expose_value=False,
        is_eager=True, help="Installer pour SHELL (bash, zsh, fish, powershell ou pwsh) la complétion des "
        "commandes, des identifiants d'actions, des quartiers, des parties, des statuts et des instances."),
    show_completion: str | None = typer.Option(
        None, "--show-completion", metavar="SHELL", callback=completion.show, expose_value=False,
        is_eager=True, help="Afficher le script de complétion pour SHELL, à installer soi-même "
        "(eval \"$(gusp --show-completion bash)\" dans ~/.bashrc)."),
) -> None:
    """Piloter une charte de Gestion Urbaine et Sociale de Proximité (GUSP) tenue en YAML dans git."""
    from gusp_cli.store.cache import ParseCache, activate, default_directory

    disabled = no_cache or os.environ.get("GUSP_NO_CACHE", "") not in ("", "0")
    activate(None if disabled else ParseCache(default_directory(os.environ)))


PANELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Suivre la charte", ("overdue", "upcoming", "actions", "show", "responsibilities", "who")),
    ("Modifier la charte", ("status", "amend", "add", "fmt")),
    ("Relire et vérifier", ("validate", "diff", "log")),
    ("Rapports et gouvernance", ("review", "publish", "calendar", "agenda", "insertion", "tfpb",
                                 "evaluation")),
    ("Veille de terrain", ("signals",)),
    ("Échanger avec les partenaires", ("export", "import")),
    ("Dépôt de charte", ("init", "schema")),
)
"""Help panels of ``gusp --help``, in the order a project lead meets the commands."""


COMMAND_MODULES = {
    "overdue": "cmd_query", "upcoming": "cmd_query", "actions": "cmd_query", "export": "cmd_query",
    "show": "cmd_show", "responsibilities": "cmd_show", "who": "cmd_show",
    "status": "cmd_edit", "amend": "cmd_edit", "add": "cmd_edit", "fmt": "cmd_edit",
    "validate": "cmd_validate", "diff": "cmd_history", "log": "cmd_history",
    "review": "cmd_review", "publish": "cmd_publish", "calendar": "cmd_governance",
    "agenda": "cmd_governance",
    "insertion": "cmd_insertion", "import": "cmd_import", "init": "cmd_init", "schema": "cmd_schema",
    "signals": "cmd_signals", "tfpb": "cmd_tfpb", "evaluation": "cmd_evaluation",
}
"""Which module defines each command: a run imports only the one it needs (help imports all)."""


def _register(args: list[str] | None = None) -> None:
    """Import the command modules: only the invoked command's when it is known, else all of them."""
    import importlib

    name = _invoked(args or [])
    modules = [COMMAND_MODULES[name]] if name else sorted(set(COMMAND_MODULES.values()))
    for module in modules:
        importlib.import_module(f"gusp_cli.cli.{module}")
    order = [name for _, names in PANELS for name in names]

    def rank(info: Any) -> int:
        return order.index(info.name) if info.name in order else len(order)

    app.registered_commands.sort(key=rank)
    infos: list[Any] = [*app.registered_commands, *app.registered_groups]  # groups: gusp signals …
    for info in infos:
        info.rich_help_panel = next((panel for panel, names in PANELS if info.name in names), "Autres")


def _invoked(args: list[str]) -> str | None:
    """The command a run invokes when it is known and no help is asked, else None."""
    words = [a for a in args if not a.startswith("-")]
    if not words or words[0] not in COMMAND_MODULES or "--help" in args or "-h" in args:
        return None
    return words[0]


def _click_command(args: list[str], completing: bool) -> Any:
    """typer's click command for gusp, built with only the invoked command when it is known.

    Building a command's click parameters from its signature costs about a millisecond; a run
    needs only the one it invokes (``gusp overdue``: 5.7 → 2.1 ms). Help and a shell's completion
    request get every command. ``app`` itself is left as it was, for a later in-process run.
    """
    name = None if completing else _invoked(args)
    commands, groups = app.registered_commands, app.registered_groups
    if name is not None:  # a command or a group (gusp signals …), registered by _register
        app.registered_commands = [info for info in commands if info.name == name]
        app.registered_groups = [info for info in groups if info.name == name]
    try:
        return typer.main.get_command(app)
    finally:
        app.registered_commands, app.registered_groups = commands, groups


_FRENCH_HELP = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commandes",
    "ERRORS_PANEL_TITLE": "Erreur",
    "ABORTED_TEXT": "Interrompu.",
    "DEFAULT_STRING": "[défaut : {}]",
    "REQUIRED_LONG_STRING": "[obligatoire]",
    "ENVVAR_STRING": "[variable : {}]",
    "RICH_HELP": "Essayez [blue]'{command_path} {help_option}'[/] pour l'aide.",
}


def _frenchify(argv: list[str]) -> None:
    """Translate typer's built-in help strings, including every ``--help`` option text.

    typer's rich help module is heavy (rich.markdown): it is only touched when help is shown.
    """
    if argv and "--help" not in argv and "-h" not in argv:
        return
    from typer import rich_utils
    from typer._click import core

    from gusp_cli.cli import metavars

    metavars.install()
    for name, text in _FRENCH_HELP.items():
        setattr(rich_utils, name, text)
    original = core.Command.get_help_option
    if getattr(original, "_gusp_french", False):
        return

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original(self, ctx)
        if option is not None:
            option.help = "Afficher cette aide et quitter."
        return option

    get_help_option._gusp_french = True  # type: ignore[attr-defined]
    core.Command.get_help_option = get_help_option  # type: ignore[method-assign]


def _hint(exc: Any) -> str:
    """The parameter an error is about (``--as-of``, ``ID``...)."""
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    opts = getattr(param, "opts", None) or [param.name or ""]
    if param.param_type_name == "option":
        return " / ".join(opts)
    return str(getattr(param, "metavar", None) or param.name or "").upper()


def _usage_message(exc: Any) -> str:
    """French text for typer/click usage errors."""
    from typer._click import exceptions as ce

    if isinstance(exc, ce.NoSuchOption):
        extra = f" (vouliez-vous dire {', '.join(sorted(exc.possibilities))} ?)" if exc.possibilities else ""
        return f"option inconnue : {exc.option_name}{extra}"
    if isinstance(exc, ce.MissingParameter):
        return f"paramètre obligatoire manquant : {_hint(exc) or 'paramètre'}"
    if isinstance(exc, ce.BadParameter):
        hint = _hint(exc)
        return f"valeur invalide pour {hint} : {exc.message}" if hint else f"valeur invalide : {exc.message}"
    message = str(exc.format_message())
    if message.startswith("No such command"):
        return "commande inconnue : " + message.split("'")[1] if "'" in message else message
    if message.startswith("Got unexpected extra argument"):
        import re

        found = re.search(r"\(([^()]*)\)\s*$", message)
        words = found.group(1) if found else message
        return f"{'arguments' if ' ' in words.strip() else 'argument'} en trop : {words}"
    if message.startswith("Option") and "requires an argument" in message:
        return f"l'option {message.split()[1]} attend une valeur"
    return message


def main(argv: list[str] | None = None) -> None:
    """Run gusp and exit (``python -m gusp_cli``; the console script goes through ``cli.entry``)."""
    sys.exit(run(argv))


def run(argv: list[str] | None = None) -> int:
    """Run gusp with ``argv`` and return the exit code (errors are printed, never raised)."""
    from gusp_cli.cli import streams
    from gusp_cli.cli.common import release

    release()  # what a previous in-process run kept
    args = sys.argv[1:] if argv is None else argv
    from gusp_cli.cli.entry import is_help_request

    saved = streams.prepare(help_request=is_help_request(args))
    signals = _on_termination()
    try:
        return _run(args)
    finally:
        _restore_signals(signals)
        streams.restore(saved)


def _run(args: list[str]) -> int:
    """Run the command and map every way it can end to an exit code (see the module docstring)."""
    from typer._click import exceptions as ce

    from gusp_cli.cli import coercion, streams

    undecodable = _not_utf8(args)
    if undecodable is not None:
        _print_error(undecodable)
        return 2
    instruction = completion.requested(os.environ)
    _register(args)
    command = _click_command(args, completing=instruction is not None)
    coercion.install(command)
    if instruction is not None:  # the shell asks what to complete: nothing else runs
        return completion.run(command, instruction)
    _frenchify(args)
    collecting = gc.isenabled()  # queries and edits turn the cyclic collector off (common.load_kept)
    try:
        result = command.main(args=args, prog_name="gusp", standalone_mode=False)
        sys.stdout.flush()  # a full disk is known here, not at exit
    except GuspError as exc:
        _print_error(exc.message)
        return exc.exit_code
    except ce.NoArgsIsHelpError as exc:
        # Building the error rendered the help: rich printed it already (the message is then empty),
        # click's plain formatter returned it as the message. Print it once, as ``--help`` does.
        typer.echo(exc.message)
        return 0
    except ce.UsageError as exc:
        _print_error(_usage_message(exc))
        if exc.ctx is not None:
            typer.echo(f"Aide : {exc.ctx.command_path} --help", err=True)
        return 2
    except _Terminated as exc:
        _print_error(f"interrompu ({exc.name})")
        return exc.code
    except (KeyboardInterrupt, typer.Abort) as exc:
        if isinstance(exc.__cause__, EOFError):  # typer turns any EOFError into Abort: a bug, not ^C
            return _internal(exc.__cause__)
        _print_error("interrompu")
        return 130
    except SystemExit as exc:  # typer ends a write to a closed pipe with sys.exit(1)
        if streams.is_closed_pipe(exc):
            return _closed_pipe()
        raise
    except OSError as exc:
        if streams.is_closed_pipe(exc):
            return _closed_pipe()
        reason = streams.output_failure(exc)
        if reason is not None:
            _print_error(f"écriture de la sortie impossible : {reason}")
            return 2
        if _working_directory_missing():
            _print_error("le dossier courant n'existe plus (supprimé ou démonté) : placez-vous dans un "
                         "dossier existant (cd) ou indiquez la charte avec --charter CHEMIN_ABSOLU")
            return 2
        return _internal(exc)
    except Exception as exc:
        return _internal(exc)
    finally:
        if collecting:  # for a caller that runs gusp in its own process (tests)
            gc.freeze()  # what the command kept is not rescanned (80 ms on 50,000 actions)
            gc.enable()
    return result if isinstance(result, int) else 0


def _not_utf8(args: list[str]) -> str | None:
    """The French refusal of an argument that is not UTF-8 (Python keeps its bytes as lone
    surrogates: written to a charter, they would become escapes the reader refuses)."""
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as exc:
            code = ord(arg[exc.start])
            byte = f"0x{code - 0xDC00:02X}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"
            shown = os.fsencode(arg).decode("utf-8", "replace") if code >= 0xDC80 else arg.encode(
                "utf-8", "replace").decode("utf-8")
            return (f"argument « {shown} » : octet {byte} non UTF-8 (terminal ou script en Latin-1 ou "
                    "Windows-1252 ?) ; tapez-le en UTF-8")
    return None


def _internal(exc: BaseException) -> int:
    """A bug: one French line (the detail with ``GUSP_DEBUG=1``), exit 70."""
    if os.environ.get("GUSP_DEBUG"):
        raise exc
    _print_error(f"erreur interne ({type(exc).__name__}: {exc}) ; relancez avec GUSP_DEBUG=1 "
                 "pour le détail et signalez-la")
    return 70


def _closed_pipe() -> int:
    """The reader of stdout went away (``gusp actions | head -1``): end quietly, with success, as git."""
    from gusp_cli.cli import streams

    streams.silence_stdout()
    return 0


def _working_directory_missing() -> bool:
    """True when the working directory was deleted under gusp (``os.getcwd`` fails)."""
    try:
        os.getcwd()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    return False


class _Terminated(BaseException):
    """SIGTERM or SIGHUP: unwinds the command (locks released, temporary files removed)."""

    def __init__(self, name: str, code: int) -> None:
        super().__init__(name)
        self.name, self.code = name, code


def _on_termination() -> dict[int, Any]:
    """Turn SIGTERM and SIGHUP into :class:`_Terminated` while a command runs (main thread only)."""
    import signal

    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None:
            continue

        def handler(signum: int, frame: Any, name: str = name) -> None:
            raise _Terminated(name, 128 + signum)

        try:
            previous[number] = signal.signal(number, handler)
        except (ValueError, OSError):  # not the main thread: the default behaviour stays
            continue
    return previous


def _restore_signals(previous: dict[int, Any]) -> None:
    """Put back the signal handlers :func:`_on_termination` replaced."""
    import signal

    for number, handler in previous.items():
        try:
            signal.signal(number, handler)
        except (ValueError, OSError, TypeError):
            continue


def _print_error(message: str) -> None:
    """Print ``gusp : erreur : ...`` on stderr, every control character made visible (the message may
    quote an argument, a path, a commit); a stderr that cannot be written is given up silently."""
    from gusp_cli.french.markup import terminal_text

    with contextlib.suppress(OSError, ValueError):
        typer.echo(f"gusp : erreur : {terminal_text(message)}", err=True)
