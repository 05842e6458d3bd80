"""Exchange with partners: ``gusp import`` (a workbook or CSV read back) and the XLSX/ICS exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import CharterOpt, today

if TYPE_CHECKING:
    from gusp_cli.exchange.importing import Plan
    from gusp_cli.governance.calendar import Meeting
    from gusp_cli.model.charter import Charter, Entry
    from gusp_cli.track.edits import Change


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(metavar="FICHIER", help="Classeur .xlsx (de gusp export "
                                         "--format xlsx) ou fichier .csv (colonnes id, statut, et "
                                         "facultativement date et note).", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Montrer les changements lus sans "
                                          "rien écrire.")] = False,
    charter: CharterOpt = None,
) -> None:
    """Relire statuts et notes d'un classeur ou d'un CSV rempli par un partenaire.

    Seules les colonnes de suivi sont lues : Statut, Date, Note.

    Une ligne à l'identifiant inconnu, ou qui modifie une colonne en lecture seule
    (libellé, échéance, responsables...), est signalée et n'est pas appliquée.

    Les changements acceptés sont écrits comme par gusp status : une entrée datée dans le
    suivi (une ligne sans date prend celle du jour), rangée à sa date, seules les lignes de
    l'action changent.

    Code de sortie : 0 tout est appliqué (ou rien à faire), 1 des lignes refusées
    ou écriture refusée, 2 usage ou fichier illisible.
    """
    from gusp_cli.cli.common import charter_root
    from gusp_cli.exchange.importing import apply, plan_import, read_rows
    from gusp_cli.store.loader import load

    day = today()
    loaded = load(charter_root(charter, write=True).root, today=day)
    plan = plan_import(loaded, read_rows(file), day)
    _show_plan(file, plan, day)
    if plan.updates:
        changes = apply(loaded, plan.updates, day, write=not dry_run)
        _show_changes(loaded, changes, dry_run)
    raise typer.Exit(1 if plan.refused else 0)


def _show_plan(file: Path, plan: Plan, day: dt.date) -> None:
    """The semantic diff: one line per update, then the refused rows."""
    from gusp_cli.french.dates import STATUS_LABELS, format_date
    from gusp_cli.french.text import plural

    refused = len(plan.refused)
    typer.echo(f"{file.name} : {plural(plan.rows, 'ligne')} {'lues' if plan.rows > 1 else 'lue'} au "
               f"{format_date(day)} — {plural(len(plan.updates), 'modification')} à appliquer, "
               f"{plan.unchanged} sans changement, {plural(refused, 'ligne')} "
               f"{'refusées' if refused > 1 else 'refusée'}")
    for update in plan.updates:
        parts = []
        if update.statut is not None:
            before = STATUS_LABELS[update.current.value if update.current else None]
            parts.append(f"statut : {before} → {STATUS_LABELS[update.statut.value]}")
        if update.note:
            parts.append(f"note : « {update.note} »")
        typer.echo(f"  {update.entry.id}  {' ; '.join(parts)} (au {format_date(update.date)})")
    if plan.refused:
        typer.echo("Lignes non appliquées :")
        for refusal in plan.refused:
            typer.echo(f"  {refusal.action_id}  {refusal.where} : {refusal.reason}")


def _show_changes(charter: Charter, written: list[Change], dry_run: bool) -> None:
    """What was (or would be) written, file by file, and the git command to record it."""
    from gusp_cli.cli.cmd_edit import echo_change_details, git_command
    from gusp_cli.model.source import display_path

    for change in written:
        verb = "serait modifié" if dry_run else "modifié"
        typer.echo(f"{display_path(change.path)} {verb} :")
        echo_change_details(change)
    if dry_run:
        typer.echo("--dry-run : rien n'a été écrit.")
        return
    message = written[0].message if len(written) == 1 else "gusp: import du suivi"
    typer.echo("Pour l'enregistrer dans git :")
    typer.echo(f"  {git_command(charter.root, [c.path for c in written], message)}")


# --------------------------------------------------------------------------- exports


def export_xlsx(charter: Charter, entries: list[Entry], output: str | None, day: dt.date, *,
                force: bool = False) -> None:
    """``gusp export --format xlsx``: the follow-up workbook (``-o`` required)."""
    from gusp_cli.cli.common import write_output
    from gusp_cli.exchange.xlsx import actions_workbook
    from gusp_cli.model.errors import UsageError

    if output is None:
        raise UsageError("--format xlsx : indiquez le fichier à écrire avec -o FICHIER.xlsx")
    write_output(output, actions_workbook(charter, entries, day), force=force)
    quartiers = len({e.quartier.id for e in entries})
    from gusp_cli.french.text import agree, plural

    typer.echo(f"{plural(len(entries), 'action')} {agree(len(entries), 'exportée')} dans {output} "
               f"({plural(quartiers, 'feuille')} de quartier et une synthèse)", err=True)


RappelOpt = Annotated[str | None, typer.Option("--rappel", help="Avec ics : un rappel avant chaque "
                                              "événement (7j, 2h, 30min).", show_default=False)]


def alarm(value: str | None) -> dt.timedelta | None:
    """``--rappel 7j`` as a duration (None without it); a French usage error otherwise."""
    if value is None:
        return None
    from gusp_cli.french.dates import parse_delay
    from gusp_cli.model.errors import UsageError

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
    return party in members or any(q.roles.get(m) == party for q in charter.quartiers for m in members)


def emit_text(text: str, output: str | None, what: str, *, force: bool = False) -> None:
    """Print ``text`` or write it to ``output`` (UTF-8, as is: the ICS keeps its CRLF)."""
    if output is None:
        typer.echo(text, nl=False)
        return
    from gusp_cli.cli.common import write_output

    write_output(output, text.encode("utf-8"), force=force)
    typer.echo(f"{what} dans {output}", err=True)
