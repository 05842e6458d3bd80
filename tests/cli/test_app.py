"""The CLI wiring: every command is known to the lazy registry, in the module that defines it."""

from __future__ import annotations

import importlib

from gusp_cli.cli.app import COMMAND_MODULES, PANELS, _register, app
from tests.conftest import CALL


def test_registry_lists_exactly_the_registered_commands() -> None:
    _register()
    assert {info.name for info in [*app.registered_commands, *app.registered_groups]} == set(COMMAND_MODULES)


def test_each_command_lives_in_its_module() -> None:
    _register()
    for info in app.registered_commands:
        module = importlib.import_module(f"gusp_cli.cli.{COMMAND_MODULES[str(info.name)]}")
        assert info.callback is not None and info.callback.__module__ == module.__name__
    for group in app.registered_groups:  # a command with subcommands (gusp signals add...)
        module = importlib.import_module(f"gusp_cli.cli.{COMMAND_MODULES[str(group.name)]}")
        assert group.typer_instance is not None
        assert {c.callback.__module__ for c in group.typer_instance.registered_commands if c.callback} == {
            module.__name__}


def test_every_command_is_in_a_help_panel() -> None:
    assert {name for _, names in PANELS for name in names} == set(COMMAND_MODULES)


def test_a_run_builds_only_the_command_it_invokes_and_leaves_the_registry_as_it_was(
        gusp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import typer

    built: list[set[str]] = []
    real = typer.main.get_command

    def spy(typer_app: typer.Typer) -> object:
        command = real(typer_app)
        built.append(set(getattr(command, "commands", {})))
        return command

    monkeypatch.setattr(typer.main, "get_command", spy)
    _register()
    before = list(app.registered_commands), list(app.registered_groups)
    monkeypatch.chdir(CALL)
    assert gusp("overdue", "--quartier", "avion", "--as-of", "2026-11-25")[0] == 0
    assert gusp("upcoming", "--as-of", "2026-11-25")[0] == 0
    assert gusp("signals", "list")[0] == 0  # a group
    assert gusp("overdue", "--help")[0] == 0  # help: every command
    assert built == [{"overdue"}, {"upcoming"}, {"signals"}, set(COMMAND_MODULES)]
    assert (app.registered_commands, app.registered_groups) == before


def test_unknown_command_is_a_french_usage_error(gusp) -> None:
    code, out, err = gusp("frobnicate")
    assert code == 2 and out == ""
    assert err.splitlines()[0] == "gusp : erreur : commande inconnue : frobnicate"


def test_a_piped_query_imports_nothing_heavy() -> None:
    # (ruamel.yaml.main, which holds the C parser, imports its own round-trip classes: not listed.)
    import subprocess
    import sys

    code = ("import io, sys; from gusp_cli.cli.app import run; out = sys.stdout; sys.stdout = io.StringIO(); "
            "run(['overdue', '--quartier', 'avion', '--as-of', '2026-11-25']); sys.stdout = out; "
            "heavy = ('jinja2', 'openpyxl', 'rich.table', "
            "'rich.markdown', 'markdown_it', 'gusp_cli.store.roundtrip', 'gusp_cli.history.diff', "
            "'gusp_cli.reports.review'); "
            "print(sorted(m for m in heavy if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=CALL,
                          env={"GUSP_NO_CACHE": "1", "PATH": "/usr/bin:/bin"}, check=True)
    assert done.stdout.strip() == "[]"


def test_a_warm_piped_query_imports_neither_pydantic_nor_the_yaml_parser(tmp_path) -> None:  # type: ignore[no-untyped-def]
    # The first run validates and fills the cache; the second reads validated values and the rules'
    # verdict from it, and typer's option coercion goes through gusp_cli.cli.coercion.
    import subprocess
    import sys

    code = ("import io, sys; from gusp_cli.cli.app import run; out = sys.stdout; sys.stdout = io.StringIO(); "
            "code = run(['overdue', '--quartier', 'avion', '--as-of', '2026-11-25']); sys.stdout = out; "
            "from gusp_cli.model import echeance; "
            "print(code, sorted({m.split('.')[0] for m in sys.modules} "
            "& {'pydantic', 'ruamel', 'rich', 'json', 'csv'}), echeance._patterns.cache_info().currsize)")
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=CALL, env=env,
                           check=True).stdout.strip() for _ in range(2)]
    assert runs[0].startswith("0 ") and "pydantic" in runs[0]
    assert runs[1] == "0 [] 0"  # nor the export formats' json and csv; no échéance parsed, none compiled


def test_the_console_script_exits_with_the_code_and_the_whole_output(gusp, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # entry.exit_now ends the process without tearing the interpreter down: nothing may be lost.
    import subprocess
    import sys

    monkeypatch.chdir(CALL)
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    for args, code in ((["overdue", "--as-of", "2026-11-25"], 0), (["show", "NOPE-999"], 2)):
        done = subprocess.run([sys.executable, "-m", "gusp_cli", *args], capture_output=True, text=True,
                              cwd=CALL, env=env, check=False)
        assert (done.returncode, done.stdout, done.stderr) == gusp(*args)
        assert done.returncode == code and (done.stdout if code == 0 else done.stderr).endswith("\n")


def test_today_is_read_in_one_place_and_can_be_fixed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    import pytest

    from gusp_cli.cli.common import today
    from gusp_cli.model.errors import UsageError

    monkeypatch.delenv("GUSP_TODAY", raising=False)
    assert today() == dt.date.today()
    monkeypatch.setenv("GUSP_TODAY", "2025-12-31")
    assert today() == dt.date(2025, 12, 31)
    monkeypatch.setenv("GUSP_TODAY", "31/12/2025")
    with pytest.raises(UsageError, match="GUSP_TODAY : date invalide « 31/12/2025 » "):
        today()


def test_an_eof_error_inside_a_command_is_a_bug_not_an_interruption(gusp, monkeypatch) -> None:
    """typer turns any EOFError into Abort (« interrompu », 130): a corrupt cache entry once did."""
    import gusp_cli.cli.cmd_query as cmd_query

    def broken(*args: object, **kwargs: object) -> object:
        raise EOFError("marshal data too short")

    monkeypatch.chdir(CALL)
    monkeypatch.setattr(cmd_query, "load_view", broken)
    code, out, err = gusp("overdue", "--as-of", "2026-11-25")
    assert (code, out) == (70, "")
    # (typer prints an empty line on stderr before its Abort: not gusp's to remove)
    assert err.lstrip("\n").startswith("gusp : erreur : erreur interne (EOFError: marshal data too short)")


def test_a_keyboard_interrupt_is_still_an_interruption(gusp, monkeypatch) -> None:
    import gusp_cli.cli.cmd_query as cmd_query

    def interrupted(*args: object, **kwargs: object) -> object:
        raise KeyboardInterrupt

    monkeypatch.chdir(CALL)
    monkeypatch.setattr(cmd_query, "load_view", interrupted)
    assert gusp("overdue", "--as-of", "2026-11-25")[0] == 130
