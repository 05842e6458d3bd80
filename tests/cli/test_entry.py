"""The console script's entry point: what it sets before a command runs."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

SHOW_PLUGINS = """
import os
from gusp_cli.cli import entry
entry.run = lambda args: print(os.environ.get("PYDANTIC_DISABLE_PLUGINS")) or 0
entry.main()
"""
"""``main`` with a command that prints the pydantic plugins switch it ran with."""


@pytest.mark.parametrize(("given", "seen"), [(None, "__all__"), ("logfire", "logfire"), ("", "")])
def test_pydantic_plugins_are_off_unless_the_user_says_otherwise(given: str | None, seen: str) -> None:
    assert _main_with(SHOW_PLUGINS, given) == (0, f"{seen}\n", "")


def _main_with(code: str, plugins: str | None) -> tuple[int, str, str]:
    """Run ``code`` in a new interpreter, ``PYDANTIC_DISABLE_PLUGINS`` set to ``plugins`` (None:
    unset); its exit code, stdout and stderr."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if plugins is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = plugins
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)
    return done.returncode, done.stdout, done.stderr


VALIDATE_AND_SHOW = """
import sys
from gusp_cli.cli import entry
def run(args):
    from gusp_cli.model.models import Suivi
    Suivi.model_validate({"date": "2026-01-05", "statut": "en_cours"})
    loader = sys.modules["pydantic.plugin._loader"]
    print("importlib.metadata" in sys.modules, loader.get_plugins is entry._no_plugins)
    return 0
entry.run = run
entry.main()
"""
"""``main`` with a command that builds a validator, then tells whether pydantic's plugin discovery
was imported and whether its loader is gusp's answer."""


@pytest.mark.parametrize(("given", "seen"), [(None, "False True"), ("1", "False True"),
                                             ("logfire", "True False")])
def test_pydantic_plugin_loader_is_not_imported_when_plugins_are_off(given: str | None, seen: str) -> None:
    assert _main_with(VALIDATE_AND_SHOW, given) == (0, f"{seen}\n", "")


def test_plugin_loader_is_left_alone_once_pydantic_imported_it() -> None:
    from gusp_cli.cli.entry import PLUGIN_LOADER, skip_plugin_loader

    __import__(PLUGIN_LOADER)
    real = sys.modules[PLUGIN_LOADER]
    assert skip_plugin_loader({"PYDANTIC_DISABLE_PLUGINS": "__all__"}) is False
    assert sys.modules[PLUGIN_LOADER] is real


def test_an_interrupt_while_gusp_starts_ends_with_130_without_a_traceback() -> None:
    code = ("from gusp_cli.cli import entry\n"
            "def run(args):\n    raise KeyboardInterrupt\n"
            "entry.run = run\nentry.main()\n")
    assert _main_with(code, None) == (130, "", "")
