"""``gusp review``: the annual management review, in Markdown or HTML, from Jinja templates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import AsOfOpt, CharterOpt, ForceOpt, check_choice, load_view, parse_as_of

FORMATS = ("md", "html")
TEMPLATES = {"md": "review.md.j2", "html": "review.html.j2"}
RENDER_SECONDS = 60
"""Longest a review's templates may compute (the HTML review of 50,000 actions takes 4 s)."""


@app.command("review")
def review_command(
    year: Annotated[int | None, typer.Option(
        "--year", "-y", help="Année revue (défaut : l'année de la date de référence).",
        show_default=False)] = None,
    as_of: AsOfOpt = None,
    quartier: Annotated[str | None, typer.Option(
        "--quartier", "-q", help="Limiter la revue à un quartier (id, nom ou commune).")] = None,
    format: Annotated[str | None, typer.Option(
        "--format", "-f", help="md ou html (défaut : d'après l'extension de -o, sinon md).",
        show_default=False)] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Fichier de sortie (défaut : sortie standard ; obligatoire pour le "
        "HTML vers un terminal).", show_default=False)] = None,
    templates: Annotated[Path | None, typer.Option(
        "--templates", help="Dossier de gabarits prioritaire (avant le dossier templates/ de la "
        "charte et les gabarits de gusp).", show_default=False)] = None,
    force: ForceOpt = False,
    charter: CharterOpt = None,
) -> None:
    """Revue annuelle de gestion : synthèse, retards, évaluation, insertion, gouvernance."""
    from gusp_cli.reports.review import build_review
    from gusp_cli.reports.templating import render, search_path
    from gusp_cli.track.queries import Filters, resolve_filters

    fmt = check_choice("--format", format, FORMATS) if format else _format_from(output)
    day = parse_as_of(as_of)
    reviewed = _check_year(year, day)
    if fmt == "html" and output is None:
        _refuse_html_on_terminal()
    loaded = load_view(charter, day)
    selection = resolve_filters(loaded, Filters(quartier=quartier))
    folders = search_path(loaded.root, templates)
    revue = build_review(loaded, day, reviewed, selection.quartiers)
    with _time_limit(RENDER_SECONDS):
        text = render(TEMPLATES[fmt], {"r": revue}, folders)
    if output is None:
        typer.echo(text, nl=False)
        return
    from gusp_cli.cli.common import write_output

    data = text.encode("utf-8")
    write_output(output, data, force=force)
    typer.echo(f"Revue {reviewed} écrite dans {output} ({fmt.upper()}, {len(data) // 1024 + 1} Ko)",
               err=True)


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the templates after ``seconds`` of work (a template from a pull request can loop 10**10
    times without writing anything): a French error naming the template and line. Main thread and
    POSIX only; elsewhere the other bounds of the sandbox still hold."""
    import signal
    import threading

    from gusp_cli.reports.templating import TemplateLimit

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TemplateLimit(f"plus de {seconds:g} s de calcul")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _format_from(output: str | None) -> str:
    """``html`` for an ``-o`` ending in .html/.htm, else ``md``."""
    return "html" if output and Path(output).suffix.lower() in (".html", ".htm") else "md"


def _check_year(year: int | None, as_of: dt.date) -> int:
    """The reviewed year: defaults to the as-of year; a year after it cannot be reviewed."""
    from gusp_cli.model.errors import UsageError

    if year is None:
        return as_of.year
    if not 1990 <= year <= 2100:
        raise UsageError(f"--year : année « {year} » hors de la plage 1990–2100")
    if year > as_of.year:
        raise UsageError(f"--year : l'année {year} n'a pas commencé à la date de référence "
                         f"{as_of.isoformat()} ; indiquez --as-of")
    return year


def _refuse_html_on_terminal() -> None:
    """HTML goes to a file, or to stdout only when it is piped or redirected."""
    import sys

    from gusp_cli.model.errors import UsageError

    if sys.stdout.isatty():
        raise UsageError("la revue HTML ne s'affiche pas dans un terminal : indiquez un fichier "
                         "avec -o revue.html (ou redirigez la sortie : > revue.html)")
