"""``gusp validate``: check a charter repository and report every problem with its position."""

from __future__ import annotations

from typing import Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import AsOfOpt, CharterOpt, check_choice, parse_as_of

FORMATS = ("text", "json", "github")


@app.command("validate")
def validate_command(
    charter: CharterOpt = None,
    as_of: AsOfOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : text, json ou github "
                                        "(annotations GitHub Actions).")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Échouer aussi sur les avertissements.")] = False,
) -> None:
    """Valider la charte : chaque problème avec fichier:ligne:colonne, puis un résumé.

    Code de sortie : 0 charte valide, 1 erreurs (ou avertissements avec --strict), 2 usage.
    """
    from gusp_cli.cli.common import announce, charter_root
    from gusp_cli.reports.problems import render_github, render_json, render_text, summary
    from gusp_cli.store.loader import load

    check_choice("--format", format, FORMATS)
    found = charter_root(charter)
    loaded = load(found.root, as_of=parse_as_of(as_of))
    announce(found, loaded)
    renderers = {"text": render_text, "json": render_json, "github": render_github}
    output = renderers[format](loaded)
    if output:
        typer.echo(output)
    if format != "json":
        typer.echo(summary(loaded), err=format == "github")
    failed = not loaded.ok or (strict and bool(loaded.warnings))
    raise typer.Exit(1 if failed else 0)
