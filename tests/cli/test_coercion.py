"""Text, path and flag options are converted without pydantic, exactly as typer would."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pytest
import typer

from gusp_cli.cli import coercion


def _app(seen: dict[str, object]) -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def cmd(name: str, where: Annotated[Path | None, typer.Option()] = None,
            flag: bool = False, count: int = 1) -> None:
        seen.update(name=name, where=where, flag=flag, count=count)

    @app.command()
    def other() -> None:
        """A second command, so that the first is a subcommand of a group."""

    return app


def _run(args: list[str], *, install: bool) -> dict[str, object]:
    seen: dict[str, object] = {}
    command = typer.main.get_command(_app(seen))
    if install:
        coercion.install(command)
    command.main(args=args, standalone_mode=False)
    return seen


def test_values_are_the_ones_typer_gives() -> None:
    for args in (["cmd", "Avion"], ["cmd", "é", "--where", "a/b", "--flag", "--count", "3"]):
        assert _run(args, install=True) == _run(args, install=False)
    got = _run(["cmd", "x", "--where", "dossier"], install=True)
    assert type(got["where"]) is type(Path("dossier")) and got["where"] == Path("dossier")


def test_text_path_flag_and_number_parameters_are_replaced() -> None:
    command = typer.main.get_command(_app({}))
    coercion.install(command)
    params = {p.name: p for p in command.commands["cmd"].params}  # type: ignore[attr-defined]
    assert {name for name, p in params.items() if p._runtime_param is not None} == {
        "name", "where", "flag", "count"}


@pytest.mark.parametrize(("value", "message"), [
    ("abc", "« abc » n'est pas un nombre entier"), ("1e3", "« 1e3 » n'est pas un nombre entier"),
    ("", "«  » n'est pas un nombre entier"), ("2.5", "« 2.5 » n'est pas un nombre entier"),
    ("-5", "-5 est trop petit (au moins 0)"), ("100001", "100001 est trop grand (au plus 100000)"),
    ("99999999999999999999", "« 99999999999999999999 » est hors limites (au plus 100000)"),
])
def test_a_bad_number_gets_a_french_message(value: str, message: str) -> None:
    """pydantic's English (« Input should be a valid integer ») never reaches the user."""
    from typer._click import exceptions

    from gusp_cli.cli.app import _usage_message

    app = typer.Typer()

    @app.command()
    def cmd(within: Annotated[int, typer.Option("--within", min=0, max=100_000)] = 90) -> None:
        """Only the option."""

    command = typer.main.get_command(app)
    coercion.install(command)
    with pytest.raises(exceptions.BadParameter) as caught:
        command.main(args=["--within", value], standalone_mode=False)
    assert _usage_message(caught.value) == f"valeur invalide pour --within : {message}"


def test_a_good_number_is_kept() -> None:
    assert _run(["cmd", "x", "--count", " 12 "], install=True)["count"] == 12
    assert _run(["cmd", "x", "--count", "+3"], install=True)["count"] == 3
