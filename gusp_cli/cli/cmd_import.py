"""``gusp import FICHIER... | DOSSIER``: the partners' workbooks and CSVs read back, three-way."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import CharterOpt, today
from gusp_cli.model.errors import UsageError

if TYPE_CHECKING:
    from gusp_cli.exchange.importing import BookPlan, Plan
    from gusp_cli.model.charter import Charter
    from gusp_cli.track.edits import Change

SKIPPED_PREFIXES = ("~$", ".")
"""Files of a folder that are not returned workbooks: Excel's lock files, hidden files."""


@app.command("import")
def import_command(
    files: Annotated[list[Path], typer.Argument(metavar="FICHIER...", help="Classeurs .xlsx (de gusp export "
                                                "--format xlsx), fichiers .csv (colonnes id, statut, et "
                                                "facultativement date et note), ou le dossier qui les "
                                                "contient.", show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Montrer ce qui serait appliqué, "
                                          "classeur par classeur (et qui n'a pas répondu), sans rien "
                                          "écrire.")] = False,
    garder: Annotated[str | None, typer.Option("--garder", help="Régler les conflits : partenaire (le statut "
                                               "du classeur) ou charte (celui de la charte).",
                                               metavar="partenaire|charte", show_default=False)] = None,
    auteur: Annotated[str | None, typer.Option("--auteur", "-a", help="Partie qui a rapporté le suivi "
                                               "(défaut : la partie du classeur).", metavar="PARTIE",
                                               show_default=False)] = None,
    charter: CharterOpt = None,
) -> None:
    """Relire statuts, notes et évaluations d'un classeur ou d'un CSV rempli par un partenaire.

    Seules les colonnes jaunes sont lues : Statut, Date, Note, et les cases de la grille
    d'évaluation de la charte. Un classeur de gusp export garde ce qu'il montrait à l'export :
    une case que le partenaire n'a pas touchée ne remplace jamais une valeur plus récente ; une
    case changée des deux côtés est un conflit, signalé avec les trois valeurs et non appliqué
    (--garder partenaire|charte pour le régler). Une valeur qui ne convient pas (« peut-être »
    pour oui/non, un coût négatif) est signalée avec sa feuille et sa cellule.

    Lignes supprimées, lignes ajoutées et colonnes en lecture seule modifiées sont signalées,
    avec ce qu'il faut faire. Chaque entrée du suivi nomme qui l'a rapportée (la partie du
    classeur, ou --auteur).

    Les changements acceptés sont écrits comme par gusp status et gusp evaluation set, tous les
    fichiers ou aucun.

    Code de sortie : 0 tout est appliqué (ou rien à faire), 1 des conflits, des lignes à voir ou
    une écriture refusée, 2 usage ou fichier illisible.
    """
    from gusp_cli.cli.common import charter_root
    from gusp_cli.exchange.evaluation_import import evaluation_headers
    from gusp_cli.exchange.importing import CHARTER, PARTNER, apply, plan_import
    from gusp_cli.exchange.reading import read_book
    from gusp_cli.store.loader import load
    from gusp_cli.track.matching import match_party

    if garder is not None and garder not in (PARTNER, CHARTER):
        raise UsageError(f"--garder : « {garder} » ; choix possibles : {PARTNER}, {CHARTER}")
    day = today()
    loaded = load(charter_root(charter, write=True).root, today=day)
    paths, folders = expand(files)
    headers = evaluation_headers(loaded)
    books = [read_book(path, headers) for path in paths]
    who = match_party(loaded, auteur) if auteur else None
    plan = plan_import(loaded, books, day, keep=garder, auteur=who)
    for book in plan.books:
        show_book(loaded, book)
    if len(plan.books) > 1 or folders:
        show_campaign(loaded, plan, folders)
    if plan.updates or plan.signal_updates or plan.evaluation_updates:
        changes = apply(loaded, plan.updates, day, write=not dry_run, signal_updates=plan.signal_updates,
                        evaluation_updates=plan.evaluation_updates)
        _show_changes(loaded, changes, dry_run)
    elif dry_run:
        typer.echo("--dry-run : rien n'a été écrit.")
    raise typer.Exit(1 if plan.blocking else 0)


def expand(files: list[Path]) -> tuple[list[Path], list[Path]]:
    """The files to read (a folder gives its ``.xlsx`` and ``.csv``, sorted) and the folders given."""
    paths: list[Path] = []
    folders: list[Path] = []
    for given in files:
        if given.is_dir():
            folders.append(given)
            found = sorted(p for p in given.iterdir() if p.suffix.lower() in (".xlsx", ".csv")
                           and not p.name.startswith(SKIPPED_PREFIXES) and p.is_file())
            if not found:
                raise UsageError(f"{given} : aucun classeur .xlsx ni fichier .csv dans ce dossier")
            paths += found
        else:
            paths.append(given)
    return list(dict.fromkeys(paths)), folders


def show_book(charter: Charter, plan: BookPlan) -> None:
    """One file: whose, what it asks for, its conflicts and what to look at."""
    from gusp_cli.french.dates import STATUS_LABELS, format_date
    from gusp_cli.french.text import plural

    evaluations = ""
    if plan.evaluation_updates or plan.evaluation_conflicts:
        evaluations = (f", {plural(len(plan.evaluation_updates), 'évaluation')} à appliquer, "
                       f"{plural(len(plan.open_evaluation_conflicts), 'conflit')} d'évaluation")
    typer.echo(f"{plan.book.path.name} — {_whose(charter, plan)} : {plural(plan.rows, 'ligne')}, "
               f"{plan.state} ({plan.touched} sur {plan.rows}) — {plural(len(plan.updates), 'modification')} "
               f"à appliquer, {plural(len(plan.open_conflicts), 'conflit')}{evaluations}, "
               f"{len(plan.notices)} à voir")
    for warning in plan.book.warnings:
        typer.echo(f"  attention : {warning}")
    for update in plan.updates:
        parts = []
        if update.statut is not None:
            before = STATUS_LABELS[update.current.value if update.current else None]
            parts.append(f"statut : {before} → {STATUS_LABELS[update.statut.value]}")
        if update.note:
            parts.append(f"note : « {update.note} »")
        typer.echo(f"  {update.entry.id}  {' ; '.join(parts)} (au {format_date(update.date)})"
                   f"{_settled(update.settled)}")
    if plan.conflicts:
        typer.echo("  Conflits (le partenaire et la charte ont changé le statut depuis l'export) :")
        for c in plan.conflicts:
            typer.echo(f"    {c.entry.id}  {c.where} : exporté « {STATUS_LABELS[c.exported]} », classeur "
                       f"« {STATUS_LABELS[c.partner]} », charte « {STATUS_LABELS[c.charter]} » ({c.since}) — "
                       f"{_state(c.kept)}")
    _show_evaluations(plan)
    _show_signals(plan)
    if plan.notices:
        typer.echo("  À voir (non appliqué) :")
        for notice in plan.notices:
            typer.echo(f"    {notice.action_id}  {notice.where} : {notice.reason}")


def _state(kept: str | None) -> str:
    """What became of a conflict: the side ``--garder`` kept, or not applied."""
    return f"réglé : {kept}" if kept else "non appliqué ; --garder partenaire ou charte"


def _settled(settled: object) -> str:
    """The mark of an update that settles a conflict (``--garder partenaire``)."""
    return " (conflit réglé : partenaire)" if settled else ""


def _show_evaluations(plan: BookPlan) -> None:
    """The evaluation cells to apply and their conflicts."""
    from gusp_cli.model.evaluation import grid, value_of
    from gusp_cli.track.evaluation_edits import change_text

    dimensions = {d.id: d for d in grid(plan.charter)}
    for update in plan.evaluation_updates:
        current = update.entry.action.evaluation
        parts = [change_text(dimensions[d], value_of(current, d), v) for d, v in update.values.items()]
        typer.echo(f"  {update.entry.id}  évaluation : {' ; '.join(parts)}{_settled(update.settled)}")
    if plan.evaluation_conflicts:
        typer.echo("  Conflits sur l'évaluation (la case a changé des deux côtés depuis l'export) :")
        for c in plan.evaluation_conflicts:
            typer.echo(f"    {c.entry.id}  {c.where} : {c.text()} — {_state(c.kept)}")


def _show_signals(plan: BookPlan) -> None:
    """The signalements' entries to apply and their conflicts."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.model.signals import STATE_LABELS
    from gusp_cli.model.vocabulary import EtatSignalement

    def label(value: str | None) -> str:
        return STATE_LABELS[EtatSignalement(value)] if value else "—"

    for update in plan.signal_updates:
        before = label(update.signal.etat.value)
        parts = [f"état : {before} → {label(update.etat.value)}"] if update.etat else []
        parts += [f"transmis à « {update.vers} »"] if update.vers else []
        parts += [f"note : « {update.note} »"] if update.note else []
        typer.echo(f"  {update.signal.id}  {' ; '.join(parts)} (au {format_date(update.date)})"
                   f"{_settled(update.settled)}")
    if plan.signal_conflicts:
        typer.echo("  Conflits sur les signalements (l'état a changé des deux côtés depuis l'export) :")
        for c in plan.signal_conflicts:
            typer.echo(f"    {c.signal.id}  {c.where} : exporté « {label(c.exported)} », classeur "
                       f"« {label(c.partner)} », charte « {label(c.charter)} » — {_state(c.kept)}")


def _whose(charter: Charter, plan: BookPlan) -> str:
    """« Bailleur du Sud, exporté le 1er septembre 2026 (révision 3f2c1ab) » or « sans base d'export »."""
    from gusp_cli.french.dates import format_date

    base = plan.book.base
    if base is None:
        return "sans base d'export"
    name = charter.party_name(plan.party) if plan.party else "toute la charte"
    revision = f" (révision {base.revision})" if base.revision else ""
    return f"{name}, exporté le {format_date(base.date)}{revision}"


def show_campaign(charter: Charter, plan: Plan, folders: list[Path]) -> None:
    """The campaign at a glance: each file's state, and the parties no workbook came back from."""
    from gusp_cli.exchange.campaign import party_books
    from gusp_cli.french.text import plural

    typer.echo(f"\nCampagne : {plural(len(plan.books), 'fichier')} lus")
    for book in plan.books:
        who = charter.party_name(book.party) if book.party else "—"
        conflicts = len(book.open_conflicts) + len(book.open_evaluation_conflicts)
        typer.echo(f"  {book.book.path.name:<32} {who:<28} {book.state:<17} {len(book.updates):>3} modif. "
                   f"{len(book.evaluation_updates):>3} éval. {conflicts:>3} conflit(s) "
                   f"{len(book.notices):>3} à voir")
    if folders:
        answered = {b.party for b in plan.books if b.party}
        missing = [b for b in party_books(charter, charter.entries).books if b.party not in answered]
        if missing:
            typer.echo("  Sans classeur renvoyé dans " + ", ".join(str(f) for f in folders) + " : "
                       + ", ".join(f"{b.name} ({b.filename})" for b in missing))
        else:
            typer.echo("  Chaque partie a renvoyé son classeur.")


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
