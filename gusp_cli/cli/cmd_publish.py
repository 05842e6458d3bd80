"""``gusp publish``: the charter's progress as a static website and an open-data package."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import AsOfOpt, CharterOpt, check_choice, load_view, parse_as_of
from gusp_cli.model.errors import UsageError

RENDER_SECONDS = 600
"""Longest the site's templates may compute (50,000 action pages take about 15 s)."""


@app.command("publish")
def publish_command(
    output: Annotated[str, typer.Option(
        "--output", "-o", help="Dossier du site : à créer, vide, ou un site déjà publié par gusp publish "
        "(remplacé en entier).", metavar="DOSSIER", show_default=False)],
    as_of: AsOfOpt = None,
    url: Annotated[str | None, typer.Option(
        "--url", help="Adresse où le site sera servi (https://…/) : liens absolus dans le fil Atom et le "
        "paquet de données (défaut : liens relatifs).", metavar="URL", show_default=False)] = None,
    licence: Annotated[str, typer.Option(
        "--licence", help="Licence des données ouvertes : etalab-2.0 (Licence Ouverte 2.0), ODbL-1.0, "
        "CC-BY-4.0 ou CC0-1.0.", metavar="LICENCE")] = "etalab-2.0",
    templates: Annotated[Path | None, typer.Option(
        "--templates", help="Dossier de gabarits prioritaire (avant le dossier templates/ de la charte et "
        "les gabarits de gusp).", metavar="DOSSIER", show_default=False)] = None,
    charter: CharterOpt = None,
) -> None:
    """Publier l'avancement de la charte : site statique pour les habitants et données ouvertes.

    Le dossier reçoit une page d'accueil, une page par quartier et par action, la gouvernance, une
    page qui explique les chiffres, un fil Atom des modifications (tiré de git) et, dans donnees/,
    un paquet de données Frictionless (CSV UTF-8). Les notes de suivi n'y figurent que marquées
    public: true ; participants, présences et détail de l'insertion jamais. Le dossier est écrit
    en entier ou pas du tout. Code de sortie : 0 publié, 1 charte invalide, 2 usage.
    """
    from gusp_cli.cli.cmd_review import _time_limit
    from gusp_cli.cli.common import charter_root
    from gusp_cli.publish.feed import Feed
    from gusp_cli.publish.paths import MARKER
    from gusp_cli.publish.site import LICENCES, build_site
    from gusp_cli.reports.templating import Renderer, search_path
    from gusp_cli.store.folders import write_folder

    if not output.strip():
        raise UsageError("-o : indiquez le dossier du site (par exemple gusp publish -o site)")
    chosen = LICENCES[check_choice("--licence", licence, tuple(LICENCES))]
    base_url = _check_url(url)
    day = parse_as_of(as_of)
    loaded = load_view(charter, day)
    renderer = Renderer(search_path(loaded.root, templates))
    embedded = charter_root(charter).embedded
    feed = Feed(raison="la charte embarquée n’a pas d’historique git") if embedded else None
    with _time_limit(RENDER_SECONDS):
        site = build_site(loaded, day, renderer, licence=chosen, base_url=base_url, feed=feed)
    write_folder(output, site.files, marker=MARKER, command="gusp publish")
    _report(output, site, day)


def _check_url(url: str | None) -> str | None:
    """The site's address: an http(s) URL without spaces, ending with ``/``."""
    if url is None:
        return None
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
        raise UsageError(f"--url : adresse invalide « {url} » (attendu https://exemple.fr/charte/)")
    return url if url.endswith("/") else url + "/"


def _report(output: str, site: object, day: object) -> None:
    """Say what was written, in one line (and why the feed is empty, when it is)."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.french.markup import terminal_text
    from gusp_cli.french.text import plural
    from gusp_cli.publish.site import Site

    assert isinstance(site, Site)
    tables = sum(1 for path in site.files if path.startswith("donnees/") and path.endswith(".csv"))
    line = (f"Site publié dans {terminal_text(output)} au {format_date(day)} : "  # type: ignore[arg-type]
            f"{plural(site.pages, 'page')} ({plural(site.quartiers, 'quartier')}, "
            f"{plural(site.actions, 'action')}), données ouvertes dans donnees/ "
            f"({plural(tables, 'fichier CSV', 'fichiers CSV')}), fil Atom : "
            f"{plural(site.changes, 'modification')}")
    if site.feed_reason:
        line += f" ({site.feed_reason})"
    typer.echo(line, err=True)
