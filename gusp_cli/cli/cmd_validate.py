"""``gusp validate``: check a charter repository and report every problem with its position."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import CharterOpt, check_choice, today

FORMATS = ("text", "json", "github", "gitlab")
WORKSPACES = {"github": "GITHUB_WORKSPACE", "gitlab": "CI_PROJECT_DIR"}
"""The variable naming the checkout a CI runner reports paths against."""


@app.command("validate")
def validate_command(
    charter: CharterOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : text, json, github "
                                        "(annotations GitHub Actions et résumé de l'étape) ou gitlab "
                                        "(rapport Code Quality des merge requests).")] = "text",
    strict: Annotated[bool, typer.Option("--strict", help="Échouer aussi sur les avertissements.")] = False,
) -> None:
    """Valider la charte : chaque problème avec fichier:ligne:colonne, puis un résumé.

    Les dates (suivi, réalisation, réunions) sont jugées par rapport à aujourd'hui.
    Avec --format github, les chemins partent de la racine du dépôt ($GITHUB_WORKSPACE), les
    annotations s'arrêtent où GitHub les arrête (10 erreurs et 10 avertissements par étape, les
    plus graves d'abord, puis leur nombre) et la liste complète va dans $GITHUB_STEP_SUMMARY.
    Avec --format gitlab, un rapport Code Quality (JSON) dont les chemins partent de
    $CI_PROJECT_DIR. Code de sortie : 0 charte valide, 1 erreurs (ou avertissements avec
    --strict), 2 usage.
    """
    from gusp_cli.cli.common import announce, charter_root
    from gusp_cli.reports import problems
    from gusp_cli.store.loader import load

    check_choice("--format", format, FORMATS)
    found = charter_root(charter)
    loaded = load(found.root, today=today())
    announce(found, loaded)
    base = workspace(format, found.root)
    renderers = {"text": problems.render_text, "json": problems.render_json,
                 "github": problems.render_github, "gitlab": problems.render_gitlab}
    output = renderers[format](loaded, base)
    if output:
        typer.echo(output)
    if format == "github":
        append_step_summary(problems.render_summary(loaded, base))
    if format != "json":
        typer.echo(problems.summary(loaded), err=format in WORKSPACES)
    failed = not loaded.ok or (strict and bool(loaded.warnings))
    raise typer.Exit(1 if failed else 0)


def workspace(format: str, root: Path) -> Path | None:
    """The folder a format's paths start from: a CI runner's checkout when it holds the charter,
    else the charter repository's root; None (the working directory) for text and JSON."""
    if format not in WORKSPACES:
        return None
    checkout = os.environ.get(WORKSPACES[format])
    if checkout:
        folder = Path(checkout).resolve()
        if folder == root.resolve() or folder in root.resolve().parents:
            return folder
    return root


def append_step_summary(text: str) -> None:
    """Append ``text`` to the file GitHub shows as the step's summary, when the runner names one.

    A summary that cannot be written is said on stderr; it never fails the validation.
    """
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if not target:
        return
    from gusp_cli.model.errors import os_reason

    try:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        typer.echo(f"gusp : résumé de l'étape non écrit dans {target} : {os_reason(exc)}", err=True)
