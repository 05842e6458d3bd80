"""Exports for partners: the follow-up workbooks (``--format xlsx``, ``--par-partie``) and the ICS
calendar; ``gusp import`` reads the workbooks back (:mod:`gusp_cli.cli.cmd_import`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.model.errors import UsageError

if TYPE_CHECKING:
    from gusp_cli.exchange.workbook import Export
    from gusp_cli.governance.calendar import Meeting
    from gusp_cli.model.charter import Charter, Entry


# --------------------------------------------------------------------------- exports


def export_xlsx(charter: Charter, entries: list[Entry], output: str | None, day: dt.date, *,
                per_party: bool = False, retour: dt.date | None = None, force: bool = False) -> None:
    """``gusp export --format xlsx``: the follow-up workbook (``-o`` required), or with
    ``--par-partie`` one workbook per responsible party in the folder ``-o`` names."""
    from gusp_cli.exchange.workbook import follow_up_workbook
    from gusp_cli.french.text import agree, plural

    if output is None:
        raise UsageError("--format xlsx : indiquez le fichier à écrire avec -o FICHIER.xlsx (ou, avec "
                         "--par-partie, le dossier des classeurs : -o DOSSIER)")
    export = export_identity(charter, day, retour)
    if per_party:
        export_per_party(charter, entries, Path(output), export, force=force)
        return
    from gusp_cli.cli.common import write_output
    from gusp_cli.exchange.signal_sheet import workbook_signals

    signals = workbook_signals(charter, day, {e.quartier.id for e in entries}, None)
    write_output(output, follow_up_workbook(charter, entries, export, signals), force=force)
    quartiers = len({e.quartier.id for e in entries})
    also = f", {plural(len(signals), 'signalement')} de la veille" if signals else ""
    typer.echo(f"{plural(len(entries), 'action')} {agree(len(entries), 'exportée')} dans {output} "
               f"({plural(quartiers, 'feuille')} de quartier et un mode d'emploi{also})", err=True)


def export_identity(charter: Charter, day: dt.date, retour: dt.date | None) -> Export:
    """Whose, when and from which revision a workbook is exported, and by when it comes back."""
    from gusp_cli.exchange.campaign import return_by
    from gusp_cli.exchange.workbook import Export, charter_identity
    from gusp_cli.history.git import revision

    motif = None
    if retour is None:
        retour, motif = return_by(charter, day)
    titre = charter.charte.titre if charter.charte else "Charte GUSP"
    return Export(day, charter_identity(charter), titre, revision=revision(charter.root), retour=retour,
                  retour_motif=motif)


def export_per_party(charter: Charter, entries: list[Entry], folder: Path, export: Export, *,
                     force: bool) -> None:
    """One workbook per party in ``folder``, all written or none."""
    from dataclasses import replace

    from gusp_cli.exchange.campaign import party_books
    from gusp_cli.exchange.signal_sheet import workbook_signals
    from gusp_cli.exchange.workbook import follow_up_workbook
    from gusp_cli.french.text import plural
    from gusp_cli.store.transaction import Replacement, write_all

    campaign = party_books(charter, entries)
    if not campaign.books:
        raise UsageError("--par-partie : aucune partie identifiée n'est responsable des actions choisies")
    _prepare_folder(folder, force=force)
    writes, carried = [], {}
    quartiers = {e.quartier.id for e in entries}
    for book in campaign.books:
        own = replace(export, partie=book.party, partie_nom=book.name)
        target = folder / book.filename
        carried[book.party] = workbook_signals(charter, export.date, quartiers, book.party)
        writes.append(Replacement(target, follow_up_workbook(charter, book.entries, own, carried[book.party]),
                                  _existing_digest(target, force)))
    write_all(writes, journal_dir=folder, label="export par partie")
    typer.echo(f"{plural(len(writes), 'classeur')} dans {folder} :", err=True)
    for book in campaign.books:
        signals = carried[book.party]
        also = f", {plural(len(signals), 'signalement')}" if signals else ""
        typer.echo(f"  {book.filename}  {book.name} : {plural(len(book.entries), 'action')}{also}", err=True)
    for party, why in campaign.left_out:
        typer.echo(f"  (pas de classeur pour « {party} » : {why})", err=True)
    typer.echo("Une fois remplis et renvoyés : gusp import DOSSIER (--dry-run pour voir qui a répondu).",
               err=True)


def _prepare_folder(folder: Path, *, force: bool) -> None:
    """The workbooks' folder: created when missing, never inside the charter's data or git."""
    from gusp_cli.store.outputs import check_not_protected

    check_not_protected(folder, force=force)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--par-partie : {folder} n'est pas un dossier : indiquez le dossier des classeurs "
                         "avec -o DOSSIER")
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        from gusp_cli.model.errors import os_reason

        raise UsageError(f"--par-partie : création du dossier {folder} impossible "
                         f"({os_reason(exc)})") from None


def _existing_digest(path: Path, force: bool) -> str | None:
    """None for a new file; the digest of an existing workbook replaced with ``--force``; a refusal
    otherwise (a partner's returned workbook may carry that name)."""
    if not path.exists():
        return None
    if not force:
        raise UsageError(f"{path} existe déjà (un classeur renvoyé ?) : rien n'a été écrit ; choisissez "
                         "un autre dossier, ou --force pour remplacer les classeurs de même nom")
    from gusp_cli.store.atomic import digest

    return digest(path.read_bytes())


RappelOpt = Annotated[str | None, typer.Option("--rappel", help="Avec ics : un rappel avant chaque "
                                              "événement (7j, 2h, 30min).", show_default=False)]


def alarm(value: str | None) -> dt.timedelta | None:
    """``--rappel 7j`` as a duration (None without it); a French usage error otherwise."""
    if value is None:
        return None
    from gusp_cli.french.dates import parse_delay

    try:
        return parse_delay(value)
    except ValueError as exc:
        raise UsageError(f"--rappel : {exc}") from None


def export_ics(charter: Charter, entries: list[Entry], output: str | None, day: dt.date,
               quartier: str | None, party: str | None, reminder: dt.timedelta | None = None, *,
               force: bool = False) -> None:
    """``gusp export --format ics``: deadlines of open actions and the meetings ahead."""
    from gusp_cli.exchange.ics import action_events, meeting_events, render
    from gusp_cli.french.text import plural
    from gusp_cli.governance.calendar import charter_span

    start, end = charter_span(charter)
    first = min([start, *(r.date for r in charter.reunions)])
    meetings, _ = calendar_for(charter, first, max(end, day), day, quartier, party)
    events = action_events(charter, entries, day) + meeting_events(charter, meetings)
    name = charter.charte.titre if charter.charte else "Charte GUSP"
    emit_text(render(events, day, name, reminder), output, f"{plural(len(events), 'événement')} "
              f"{'écrits' if len(events) > 1 else 'écrit'}", force=force)


def calendar_for(charter: Charter, start: dt.date, end: dt.date, day: dt.date, quartier: str | None,
                 party: str | None) -> tuple[list[Meeting], int]:
    """Calendar items worth a calendar event (recorded meetings, planned ones ahead), filtered,
    and how many planned meetings were left out for lying before ``day`` (never held, or not
    recorded: a past meeting is exported only once ``reunions.yaml`` records it).

    ``quartier`` keeps meetings about that quartier (and those about the whole charter); ``party``
    (an actor or role id) keeps the bodies it is a member of, directly or through a role.
    """
    from gusp_cli.governance.calendar import PREVUE, calendar

    every = calendar(charter, start, end, day)
    items = [m for m in every if not m.planned or m.kind == PREVUE]
    past = len(every) - len(items)
    if quartier is not None:
        items = [m for m in items if m.reunion is None or not m.reunion.quartiers
                 or quartier in m.reunion.quartiers]
    if party is not None:
        items = [m for m in items if _member(charter, m.instance.membres, party)]
    return items, past


def _member(charter: Charter, members: list[str], party: str) -> bool:
    """True when ``party`` is one of ``members``, or what one of them resolves to in some quartier."""
    return party in members or any(party in charter.actor_ids(m, q)
                                   for q in charter.quartiers for m in members)


def emit_text(text: str, output: str | None, what: str, *, force: bool = False) -> None:
    """Print ``text`` or write it to ``output`` (UTF-8, as is: the ICS keeps its CRLF)."""
    if output is None:
        typer.echo(text, nl=False)
        return
    from gusp_cli.cli.common import write_output

    write_output(output, text.encode("utf-8"), force=force)
    typer.echo(f"{what} dans {output}", err=True)
