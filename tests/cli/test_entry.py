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
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if given is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = given
    done = subprocess.run([sys.executable, "-c", SHOW_PLUGINS], env=env, capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, check=False)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"{seen}\n", "")
