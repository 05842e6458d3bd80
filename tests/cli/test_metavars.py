"""``--help`` names what to type in French (DATE, TEXTE, CHEMIN), never a Python type."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from gusp_cli.cli.app import COMMAND_MODULES

Run = Callable[..., tuple[int, str, str]]
PYTHON_TYPES = re.compile(r"<(str|bool|int|float|path|list\[[^\]]*\]|file|text|[a-z_]+ range)>")


@pytest.mark.parametrize("command", [[], *([name] for name in sorted(COMMAND_MODULES))],
                         ids=lambda c: " ".join(c) or "gusp")
def test_help_shows_french_metavars_only(command: list[str], gusp: Run,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    code, out, err = gusp(*command, "--help")
    assert code == 0 and err == ""
    assert PYTHON_TYPES.findall(out) == []


def test_options_say_what_value_they_take(gusp: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "160")
    assert re.search(r"--as-of\s+DATE\b", gusp("overdue", "--help")[1])
    out = gusp("amend", "--help")[1]
    assert re.search(r"--date\s+-d\s+DATE\b", out) and re.search(r"--charter\s+-C\s+CHEMIN\b", out)
    assert re.search(r"--motif\s+-m\s+TEXTE\b", out) and re.search(r"--responsable\s+-r\s+PARTIE\b", out)
    assert re.search(r"--dry-run\s+-n\s+Afficher", out)  # a flag takes no value: nothing shown
    out = gusp("schema", "--help")[1]
    assert re.search(r"--output\s+-o\s+DOSSIER\b", out)  # an option's own metavar wins
