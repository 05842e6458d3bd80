"""The README documents every command: a row with its help text, and a section of its own."""

from __future__ import annotations

import inspect
import re

import pytest

from gusp_cli.cli.app import _register, app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, str]]:
    _register()
    out = []
    for info in app.registered_commands:
        doc = info.help or inspect.getdoc(info.callback) or ""
        out.append((str(info.name), doc.splitlines()[0]))
    for group in app.registered_groups:  # a command with subcommands (gusp signals add…)
        doc = group.help or (group.typer_instance.info.help if group.typer_instance else "") or ""
        out.append((str(group.name), str(doc).splitlines()[0]))
    return out


def _headings() -> list[str]:
    """Markdown headings outside code fences."""
    headings, fenced = [], False
    for line in README.splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and line.startswith("#"):
            headings.append(line)
    return headings


@pytest.mark.parametrize(("name", "summary"), _commands())
def test_command_has_its_help_in_the_summary_table(name: str, summary: str) -> None:
    assert f"| `gusp {name}` | {summary} |" in README


@pytest.mark.parametrize(("name", "summary"), _commands())
def test_command_has_a_section(name: str, summary: str) -> None:
    assert any(re.search(rf"`gusp {name}`", h) for h in _headings()), name


def test_readme_starts_with_the_two_setup_commands() -> None:
    first_block = README.split("```")[1]
    assert [line.split("#")[0].strip() for line in first_block.strip().splitlines()[1:]] == [
        "make run", "make test"]


def test_every_test_named_in_the_robustness_table_exists() -> None:
    # Names are `module.py::test`, `test`, `test[params]` or a prefix `test_*`.
    import re

    section = README.split("## Robustesse", 1)[1].split("\n## ", 1)[0]
    files = sorted((ROOT / "tests").rglob("test_*.py"))
    modules = {f.stem for f in files}
    defined = {m for f in files for m in re.findall(r"^def (test_\w+)", f.read_text(encoding="utf-8"), re.M)}
    named_files = re.findall(r"`([\w/]+\.py)::", section)
    assert [f for f in named_files if not (ROOT / "tests" / f).is_file()] == []
    named = [(name, star) for name, star in re.findall(r"\b(test_\w+)(\*?)", section) if name not in modules]
    missing = [name + star for name, star in named
               if not (any(d.startswith(name) for d in defined) if star else name in defined)]
    assert len(named) > 40 and missing == []


def test_the_readme_says_exactly_which_commands_take_as_of() -> None:
    import typer

    _register()
    group = typer.main.get_command(app)
    taking = {name for name, command in group.commands.items()  # type: ignore[attr-defined]
              if any("--as-of" in param.opts for param in command.params)}
    sentence = README.split("acceptent `--as-of AAAA-MM-JJ` (", 1)[1].split(")", 1)[0]
    assert set(re.findall(r"`(\w+)`", sentence)) == taking
