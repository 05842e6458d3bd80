"""``gusp schema``: write the JSON Schemas editors use to complete and check the YAML files."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import CharterOpt, ForceOpt


@app.command("schema")
def schema_command(
    output: Annotated[Path | None, typer.Option("--output", "-o", metavar="DOSSIER",
                                                help="Dossier où écrire les schémas (défaut : schemas/ "
                                                "du dépôt de charte).", show_default=False)] = None,
    check: Annotated[bool, typer.Option("--check", help="Ne rien écrire ; échouer (code 1) si un schéma "
                                        "manque ou n'est plus à jour des modèles.")] = False,
    force: ForceOpt = False,
    charter: CharterOpt = None,
) -> None:
    """Écrire les schémas JSON des fichiers de la charte, pour les éditeurs (VS Code...).

    Générés depuis les modèles de gusp et les identifiants de la charte (acteurs, rôles,
    quartiers, secteurs, instances), ils permettent à VS Code (extension YAML) et aux autres
    éditeurs de compléter les clés et les valeurs, d'en afficher la description en français et
    de signaler les erreurs pendant la saisie. Chaque fichier YAML les désigne par une ligne de
    tête : « # yaml-language-server: $schema=../schemas/charte.schema.json ». À relancer quand
    un acteur, un rôle, un quartier, un secteur ou une instance change (--check le dit).
    """
    from gusp_cli.cli.common import announce, charter_root
    from gusp_cli.model.schema import SCHEMAS_DIR
    from gusp_cli.model.source import display_path
    from gusp_cli.store.loader import load
    from gusp_cli.store.schema_files import stale_schemas, write_schemas

    found = charter_root(charter, write=output is None and not check)
    loaded = load(found.root)
    announce(found, loaded)
    directory = output if output is not None else found.root / SCHEMAS_DIR
    if check:
        stale = stale_schemas(directory, loaded)
        for path in stale:
            typer.echo(f"à régénérer : {display_path(path)}")
        if stale:
            typer.echo("lancez : gusp schema" + (f" -o {shlex.quote(str(output))}" if output is not None
                                                 else ""), err=True)
        raise typer.Exit(1 if stale else 0)
    if directory.exists() and not directory.is_dir():
        from gusp_cli.model.errors import UsageError

        raise UsageError(f"--output : « {directory} » existe et n'est pas un dossier")
    from gusp_cli.store.outputs import check_not_protected

    check_not_protected(directory, force=force)
    for path, changed in write_schemas(directory, loaded):
        typer.echo(f"{'écrit' if changed else 'inchangé'} : {display_path(path)}")
