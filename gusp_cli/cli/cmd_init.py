"""``gusp init DOSSIER``: create a new charter repository, valid and committed."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import today


def shell_path(path: Path) -> str:
    """A path as it must be typed in a shell: quoted, and never read as an option (``./-x``)."""
    text = str(path)
    return shlex.quote(f"./{text}" if text.startswith("-") else text)


@app.command("init")
def init_command(
    directory: Annotated[Path, typer.Argument(metavar="DOSSIER", help="Dossier du nouveau dépôt "
                                              "(inexistant ou vide).", show_default=False)],
    nom: Annotated[str, typer.Option("--nom", help="Nom de l'agglomération ou du territoire de "
                                     "la charte.")] = "Agglomération exemple",
    porteur: Annotated[str, typer.Option("--porteur", help="Identifiant de l'acteur porteur "
                                         "(minuscules, chiffres et _).")] = "agglo",
    type_porteur: Annotated[str, typer.Option("--type-porteur", help="Nature du porteur : epci, commune, "
                                              "bailleur, etat, association, etablissement_public, "
                                              "autre...")] = "epci",
) -> None:
    """Créer le dépôt d'une nouvelle charte : données d'exemple valides, schémas, CI, git.

    Crée charter-data/ (charte, acteurs, un quartier d'exemple commentés), schemas/, la
    configuration pre-commit, des exemples de CI GitHub et GitLab, un .gitignore, puis
    « git init » et un premier commit. gusp validate passe immédiatement sur le résultat.
    La période d'exemple commence cette année ($GUSP_TODAY la fixe).
    """
    from gusp_cli.history.git import first_commit, require_git
    from gusp_cli.store.scaffold import create_repository

    year = today().year
    require_git()
    created = create_repository(directory, nom, porteur, year, commit=first_commit,
                                type_porteur=type_porteur)
    typer.echo(f"Dépôt de charte créé dans {directory} (branche main, commit {created.commit}) :")
    typer.echo("\n".join(f"  {name}" for name in created.files))
    if created.fallback_identity:
        typer.echo("Aucune identité git configurée : le premier commit est signé "
                   "« gusp <gusp@localhost> ». Configurez la vôtre : git config --global user.name "
                   "\"Prénom Nom\" ; git config --global user.email adresse@exemple.fr")
    typer.echo("\nÉtapes suivantes :\n"
               f"  cd {shell_path(directory)}\n"
               "  gusp validate\n"
               "  remplacez les contenus marqués EXEMPLE dans charter-data/, puis commitez.")
