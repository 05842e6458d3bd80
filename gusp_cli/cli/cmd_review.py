"""``gusp review``: the annual management review in Markdown, HTML, Word or PDF, from Jinja templates.

Markdown and HTML are the templates' output; Word (python-docx) and PDF (WeasyPrint) are laid out
from the HTML, so every format holds the same chapters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import AsOfOpt, CharterOpt, ForceOpt, check_choice, load_view, parse_as_of

FORMATS = ("md", "html", "docx", "pdf")
TEMPLATES = {"md": "review.md.j2", "html": "review.html.j2", "docx": "review.html.j2",
             "pdf": "review.html.j2"}
EXTENSIONS = {".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx",
              ".pdf": "pdf"}
"""The format each extension of ``-o`` stands for."""
BINARY = frozenset({"docx", "pdf"})
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
        "--format", "-f", help="md, html, docx ou pdf (défaut : d'après l'extension de -o, sinon md).",
        show_default=False)] = None,
    output: Annotated[str | None, typer.Option(
        "--output", "-o", help="Fichier de sortie : .md, .html, .docx ou .pdf (défaut : sortie "
        "standard ; obligatoire pour le HTML, le Word et le PDF vers un terminal).",
        show_default=False)] = None,
    templates: Annotated[Path | None, typer.Option(
        "--templates", help="Dossier de gabarits prioritaire (avant le dossier templates/ de la "
        "charte et les gabarits de gusp).", show_default=False)] = None,
    force: ForceOpt = False,
    charter: CharterOpt = None,
) -> None:
    """Revue annuelle de gestion : synthèse, décisions, retards, évaluation, insertion, gouvernance.

    En Markdown, HTML, Word (.docx, à retoucher dans Word ou LibreOffice) ou PDF (à envoyer). Le
    fichier facultatif charter-data/revues/AAAA.yaml y ajoute la date et le lieu de la séance, les
    faits marquants, les perspectives et des paragraphes par quartier.
    """
    from gusp_cli.reports.review import build_review
    from gusp_cli.reports.templating import render, search_path
    from gusp_cli.track.queries import Filters, resolve_filters

    fmt = _format(format, output)
    day = parse_as_of(as_of)
    reviewed = _check_year(year, day)
    if fmt != "md" and output is None:
        _refuse_on_terminal(fmt)
    loaded = load_view(charter, day)
    _check_period(loaded, reviewed)
    selection = resolve_filters(loaded, Filters(quartier=quartier))
    folders = search_path(loaded.root, templates)
    revue = build_review(loaded, day, reviewed, selection.quartiers)
    with _time_limit(RENDER_SECONDS):
        text = render(TEMPLATES[fmt], {"r": revue}, folders)
    data = _laid_out(fmt, text, revue)
    if output is None:
        _to_stdout(data)
    else:
        from gusp_cli.cli.common import write_output

        write_output(output, data, force=force)
        typer.echo(f"Revue {reviewed} écrite dans {output} ({fmt.upper()}, {len(data) // 1024 + 1} Ko)",
                   err=True)
        if revue.mots_absents:
            typer.echo(f"{revue.fichier_mots} pourrait y ajouter : {' ; '.join(revue.mots_absents)}",
                       err=True)


def _laid_out(fmt: str, text: str, revue: object) -> bytes:
    """The bytes of the review: the templates' text, or the HTML laid out as Word or PDF."""
    if fmt == "docx":
        from gusp_cli.reports.word import html_to_docx

        year = getattr(revue, "annee", "")
        return html_to_docx(text, title=f"Revue annuelle de gestion {year}",
                            footer=f"Revue annuelle de gestion {year}")
    if fmt == "pdf":
        from gusp_cli.reports.pdf import html_to_pdf

        return html_to_pdf(text)
    return text.encode("utf-8")


def _to_stdout(data: bytes) -> None:
    """Write the review to the standard output (bytes as they are)."""
    import sys

    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


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


def _format(option: str | None, output: str | None) -> str:
    """The format: ``--format``, else ``-o``'s extension, else ``md``. Without ``--format`` an
    extension that names no format is refused; with it, an extension that names another format."""
    from gusp_cli.model.errors import UsageError

    chosen = check_choice("--format", option, FORMATS) if option else None
    suffix = Path(output).suffix.lower() if output else ""
    known = ", ".join(EXTENSIONS)
    if suffix and suffix not in EXTENSIONS and not chosen:
        raise UsageError(f"-o : extension « {suffix} » inconnue pour une revue ; extensions possibles : "
                         f"{known} (ou indiquez --format)")
    implied = EXTENSIONS.get(suffix)
    if chosen and implied and chosen != implied:
        raise UsageError(f"--format {chosen} et -o {output} se contredisent : le fichier {suffix} "
                         f"serait écrit en {chosen} ; indiquez l'un ou l'autre")
    return chosen or implied or "md"


def _check_period(charter: object, year: int) -> None:
    """The reviewed year lies within the charter's period."""
    from gusp_cli.model.errors import UsageError

    charte = getattr(charter, "charte", None)
    if charte is None:
        return
    first, last = charte.periode.debut, charte.periode.fin
    if not first <= year <= last:
        raise UsageError(f"--year : l'année {year} est hors de la période de la charte ({first}–{last})")


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


def _refuse_on_terminal(fmt: str) -> None:
    """HTML, Word and PDF go to a file, or to stdout only when it is piped or redirected."""
    import sys

    from gusp_cli.model.errors import UsageError

    if sys.stdout.isatty():
        kind = {"html": "HTML", "docx": "Word", "pdf": "PDF"}[fmt]
        raise UsageError(f"la revue {kind} ne s'affiche pas dans un terminal : indiquez un fichier "
                         f"avec -o revue.{fmt} (ou redirigez la sortie : > revue.{fmt})")
