"""Governance commands: ``calendar`` (planned and recorded meetings, late bodies) and ``agenda``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import AsOfOpt, CharterOpt, ForceOpt, check_choice, load_valid, parse_as_of
from gusp_cli.model.errors import UsageError

if TYPE_CHECKING:
    from gusp_cli.governance.calendar import BodyStatus, Meeting
    from gusp_cli.model.charter import Charter

PERIOD_WORDS = {1: ("mois", "mois"), 2: ("bimestre", "bimestres"), 3: ("trimestre", "trimestres"),
                6: ("semestre", "semestres"), 12: ("année", "années")}


def _date(option: str, value: str | None) -> dt.date | None:
    """Parse an optional date option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} : date invalide « {value} » (attendu AAAA-MM-JJ)") from None


@app.command("calendar")
def calendar_command(
    start: Annotated[str | None, typer.Option("--from", help="Début AAAA-MM-JJ (défaut : 1er janvier de "
                                              "l'année de --as-of).", show_default=False)] = None,
    end: Annotated[str | None, typer.Option("--to", help="Fin AAAA-MM-JJ (défaut : 31 décembre de la "
                                            "même année).", show_default=False)] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : table ou ics.")] = "table",
    output: Annotated[str | None, typer.Option("--output", "-o", help="Fichier de sortie (défaut : "
                                               "sortie standard).", show_default=False)] = None,
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    charter: CharterOpt = None,
) -> None:
    """Calendrier des instances : réunions prévues par leur rythme et réunions enregistrées.

    Une période sans réunion enregistrée (charter-data/reunions.yaml) reçoit une
    réunion prévue, à une date indicative : le dernier jour ouvré du premier mois.

    Une instance est en retard quand sa dernière réunion tenue date de plus d'une
    période (+ 15 jours), ou quand aucune n'est enregistrée depuis le début de la charte.
    """
    from gusp_cli.governance.calendar import body_statuses, calendar

    check_choice("--format", format, ("table", "ics"))
    day = parse_as_of(as_of)
    first = _date("--from", start) or dt.date(day.year, 1, 1)
    last = _date("--to", end) or dt.date(first.year, 12, 31)
    if last < first:
        raise UsageError(f"--to ({last}) est antérieure à --from ({first})")
    loaded = load_valid(charter, day)
    if format == "ics":
        from gusp_cli.cli.cmd_exchange import calendar_for, emit_text
        from gusp_cli.exchange.ics import meeting_events, render

        events = meeting_events(loaded, calendar_for(loaded, first, last, day, None, None))
        emit_text(render(events, day, f"Gouvernance — {loaded.charte.titre if loaded.charte else ''}"),
                  output, f"{len(events)} réunions", force=force)
        return
    items = calendar(loaded, first, last, day)
    _print_calendar(loaded, items, first, last)
    if not loaded.reunions:
        typer.echo("Aucune réunion enregistrée dans la charte (charter-data/reunions.yaml absent ou vide).")
    _print_statuses(body_statuses(loaded, day), day)


def _print_calendar(charter: Charter, items: list[Meeting], first: dt.date, last: dt.date) -> None:
    """The meetings as a table."""
    import sys

    from rich import box
    from rich.table import Table

    from gusp_cli.cli.render import cells, console
    from gusp_cli.french.dates import format_date
    from gusp_cli.governance.calendar import KIND_LABELS

    title = f"Gouvernance du {format_date(first)} au {format_date(last)}"
    if not items:
        typer.echo(f"{title} : aucune réunion (hors de la période de la charte ?).")
        return
    table = Table(title=title, box=box.SIMPLE_HEAVY if sys.stdout.isatty() else box.ASCII2,
                  title_justify="left")
    details = any(not i.planned for i in items)
    for name in ("Date", "Instance", "Période", "État", *(["Précisions"] if details else [])):
        table.add_column(name, overflow="fold", no_wrap=name in ("Date",))
    for item in items:
        row = [format_date(item.date), item.instance.nom, item.period.label, KIND_LABELS[item.kind]]
        table.add_row(*cells(*row, *([_details(charter, item)] if details else [])))
    console().print(table)
    planned = sum(1 for i in items if i.planned)
    typer.echo(f"{len(items)} réunion(s) : {len(items) - planned} enregistrée(s), {planned} tirée(s) du "
               "rythme (date indicative : dernier jour ouvré du premier mois de la période).")


def _details(charter: Charter, item: Meeting) -> str:
    """Quartiers, subject, minutes and decisions count of a recorded meeting."""
    reunion = item.reunion
    if reunion is None:
        return ""
    parts = [reunion.objet or ""]
    names = [q.commune for q in charter.quartiers if q.id in reunion.quartiers]
    parts += [", ".join(names)] if names else []
    parts += [f"{len(reunion.decisions)} décision(s)"] if reunion.decisions else []
    parts += [f"CR : {reunion.compte_rendu}"] if reunion.compte_rendu else []
    return " — ".join(p for p in parts if p)


def _print_statuses(statuses: list[BodyStatus], day: dt.date) -> None:
    """One line per body: late or up to date."""
    from gusp_cli.french.dates import format_date

    late = [s for s in statuses if s.en_retard]
    typer.echo(f"\nInstances au {format_date(day)} : {len(late)} en retard sur {len(statuses)}")
    for status in statuses:
        typer.echo(_status_line(status))


def _status_line(status: BodyStatus) -> str:
    """``EN RETARD  Comité technique (trimestrielle) : ...``."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.governance.calendar import MONTHS

    singular, plural_word = PERIOD_WORDS[MONTHS[status.instance.frequence]]
    missed = status.periodes_sans_reunion
    parts = [f"dernière réunion le {format_date(status.derniere.date)}" if status.derniere else
             f"aucune réunion enregistrée depuis le début de la charte ({format_date(status.reference)})"]
    if missed:
        parts.append(f"{missed} {singular if missed == 1 else plural_word} sans réunion")
    if status.en_retard:
        parts.append(f"en retard depuis le {format_date(status.limite)}")
    else:
        parts.append(f"prochaine réunion attendue au plus tard le {format_date(status.limite)}")
    if status.programmee:
        parts.append(f"prochaine réunion programmée le {format_date(status.programmee.date)}")
    flag = "EN RETARD" if status.en_retard else "à jour   "
    return f"  {flag}  {status.instance.nom} ({status.instance.frequence.value}) : {' ; '.join(parts)}"


@app.command("agenda")
def agenda_command(
    body: Annotated[str, typer.Argument(metavar="INSTANCE", help="Instance (copil, comité technique, "
                                        "proximité... sans tenir compte des accents).", show_default=False)],
    date: Annotated[str | None, typer.Option("--date", "-d", help="Date de la réunion AAAA-MM-JJ (défaut : "
                                             "la prochaine réunion programmée ou prévue).",
                                             show_default=False)] = None,
    quartier: Annotated[str | None, typer.Option("--quartier", "-q", help="Limiter aux actions d'un "
                                                 "quartier.", show_default=False)] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Fichier Markdown à écrire (défaut : "
                                               "sortie standard).", show_default=False)] = None,
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    charter: CharterOpt = None,
) -> None:
    """Projet d'ordre du jour (Markdown) de la prochaine réunion d'une instance.

    Suite des décisions précédentes dont les actions sont encore ouvertes ;
    actions en retard à la date de la réunion ;
    actions à échéance avant la réunion suivante.

    Les actions sont regroupées par partie (rôles résolus dans chaque quartier).
    """
    from gusp_cli.governance.agenda import build_agenda, match_instance, to_markdown
    from gusp_cli.track.matching import match_quartier

    day = parse_as_of(as_of)
    loaded = load_valid(charter, day)
    instance = match_instance(loaded, body)
    entries = loaded.entries
    scope: list[str] = []
    if quartier:
        qid = match_quartier(loaded, quartier)
        entries = [e for e in entries if e.quartier.id == qid]
        scope = [q.nom for q in loaded.quartiers if q.id == qid]
    agenda = build_agenda(loaded, instance, day, _date("--date", date), entries, scope)
    text = to_markdown(loaded, agenda)
    if output is None:
        typer.echo(text, nl=False)
        return
    from gusp_cli.cli.common import write_output

    write_output(output, text.encode("utf-8"), force=force)
    typer.echo(f"ordre du jour écrit dans {output}", err=True)
