"""Text, path and flag options are converted without pydantic, exactly as typer would."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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


def test_only_text_path_and_flag_parameters_are_replaced() -> None:
    command = typer.main.get_command(_app({}))
    coercion.install(command)
    params = {p.name: p for p in command.commands["cmd"].params}  # type: ignore[attr-defined]
    assert {name for name, p in params.items() if p._runtime_param is not None} == {"name", "where", "flag"}
    assert params["count"]._runtime_param is None  # typer's own (pydantic) coercion, built on use
