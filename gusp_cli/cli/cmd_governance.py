"""Governance commands: ``calendar`` (planned and recorded meetings, late bodies) and ``agenda``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.cli import completion
from gusp_cli.cli.app import app
from gusp_cli.cli.cmd_exchange import RappelOpt
from gusp_cli.cli.common import AsOfOpt, CharterOpt, ForceOpt, check_choice, load_view, parse_as_of
from gusp_cli.model.errors import UsageError

if TYPE_CHECKING:
    from gusp_cli.governance.agenda import Agenda, PartyGroup
    from gusp_cli.governance.calendar import BodyStatus, Meeting
    from gusp_cli.model.charter import Charter

PERIOD_WORDS = {"hebdomadaire": ("semaine", "semaines"), "bimensuelle": ("quinzaine", "quinzaines"),
                "mensuelle": ("mois", "mois"), "bimestrielle": ("bimestre", "bimestres"),
                "trimestrielle": ("trimestre", "trimestres"), "semestrielle": ("semestre", "semestres"),
                "annuelle": ("année", "années")}


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
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : table, ics (calendrier) ou "
                                        "json.")] = "table",
    output: Annotated[str | None, typer.Option("--output", "-o", help="Fichier de sortie (défaut : "
                                               "sortie standard).", show_default=False)] = None,
    rappel: RappelOpt = None,
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

    check_choice("--format", format, ("table", "ics", "json"))
    day = parse_as_of(as_of)
    first = _date("--from", start) or dt.date(day.year, 1, 1)
    last = _date("--to", end) or dt.date(first.year, 12, 31)
    if last < first:
        raise UsageError(f"--to ({last}) est antérieure à --from ({first})")
    loaded = load_view(charter, day)
    if format == "ics":
        from gusp_cli.cli.cmd_exchange import alarm, calendar_for, emit_text
        from gusp_cli.exchange.ics import meeting_events, render
        from gusp_cli.french.dates import format_date
        from gusp_cli.french.text import agree, plural

        meetings, past = calendar_for(loaded, first, last, day, None, None)
        events = meeting_events(loaded, meetings)
        name = f"Gouvernance — {loaded.charte.titre if loaded.charte else ''}"
        emit_text(render(events, day, name, alarm(rappel)), output,
                  f"{plural(len(events), 'réunion')} {agree(len(events), 'écrite')}", force=force)
        if past:
            typer.echo(f"{plural(past, 'réunion prévue', 'réunions prévues')} avant le {format_date(day)} "
                       f"{agree(past, 'non exportée')} : une réunion passée n'entre au calendrier que "
                       "si charter-data/reunions.yaml l'enregistre (date et instance)", err=True)
        return
    items = calendar(loaded, first, last, day)
    if format == "json":
        from gusp_cli.exchange.formats import to_json

        typer.echo(to_json(calendar_document(loaded, items, body_statuses(loaded, day), first, last, day)))
        return
    _print_calendar(loaded, items, first, last)
    if not loaded.reunions:
        typer.echo("Aucune réunion enregistrée dans la charte (charter-data/reunions.yaml absent ou vide).")
    _print_statuses(body_statuses(loaded, day), day)


def calendar_document(charter: Charter, items: list[Meeting], statuses: list[BodyStatus], first: dt.date,
                      last: dt.date, day: dt.date) -> dict[str, object]:
    """``gusp calendar --format json``: the meetings of the period and where each body stands."""
    from gusp_cli.governance.calendar import KIND_LABELS
    from gusp_cli.track.records import document

    def iso(date: dt.date | None) -> str | None:
        return date.isoformat() if date else None

    meetings = [{
        "date": m.date.isoformat(), "instance": m.instance.id, "instance_nom": m.instance.nom,
        "periode": m.period.key if m.period else None,
        "periode_libelle": m.period.label if m.period else None, "etat": m.kind,
        "etat_libelle": KIND_LABELS[m.kind], "identifiant": m.uid,
        "heure": m.reunion.heure if m.reunion else None,
        "heure_fin": m.reunion.heure_fin if m.reunion else None,
        "quartiers": list(m.reunion.quartiers) if m.reunion else [],
        "objet": m.reunion.objet if m.reunion else None,
        "decisions": [{"texte": d.texte, "actions": list(d.actions)} for d in m.reunion.decisions]
        if m.reunion else [],
        "compte_rendu": m.reunion.compte_rendu if m.reunion else None,
    } for m in items]
    bodies = [{
        "id": s.instance.id, "nom": s.instance.nom,
        "frequence": s.instance.frequence.value if s.instance.frequence else None,
        "en_retard": s.en_retard,
        "jours_de_retard": s.jours_de_retard,
        "derniere_reunion": iso(s.derniere.date if s.derniere else None),
        "reference": s.reference.isoformat(), "limite": iso(s.limite),
        "periodes_sans_reunion": s.periodes_sans_reunion,
        "prochaine_programmee": iso(s.programmee.date if s.programmee else None),
    } for s in statuses]
    return document(date_reference=day.isoformat(), du=first.isoformat(), au=last.isoformat(),
                    reunions=meetings, instances=bodies)


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
        row = [format_date(item.date), item.instance.nom, item.period_label, KIND_LABELS[item.kind]]
        table.add_row(*cells(*row, *([_details(charter, item)] if details else [])))
    console().print(table)
    planned = sum(1 for i in items if i.planned)
    from gusp_cli.french.text import agree, plural

    held = len(items) - planned
    typer.echo(f"{plural(len(items), 'réunion')} : {held} {agree(held, 'enregistrée')}, {planned} "
               f"{agree(planned, 'tirée')} du "
               "rythme (date indicative : dernier jour ouvré du premier mois de la période).")


def _details(charter: Charter, item: Meeting) -> str:
    """Quartiers, subject, minutes and decisions count of a recorded meeting."""
    from gusp_cli.french.text import plural

    reunion = item.reunion
    if reunion is None:
        return ""
    parts = [reunion.objet or ""]
    names = [q.commune for q in charter.quartiers if q.id in reunion.quartiers]
    parts += [", ".join(names)] if names else []
    parts += [plural(len(reunion.decisions), "décision")] if reunion.decisions else []
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
    if status.instance.frequence is None or status.limite is None:
        last = (f"dernière réunion le {format_date(status.derniere.date)}" if status.derniere
                else "aucune réunion enregistrée")
        return f"  sans rythme  {status.instance.nom} (sans rythme fixé) : {last}"
    singular, plural_word = PERIOD_WORDS[status.instance.frequence.value]
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
    body: Annotated[str, typer.Argument(metavar="INSTANCE", help="Instance : id ou mots de son nom, "
                                        "sans tenir compte des accents.", show_default=False,
                                        autocompletion=completion.bodies)],
    date: Annotated[str | None, typer.Option("--date", "-d", help="Date de la réunion AAAA-MM-JJ (défaut : "
                                             "la prochaine réunion programmée ou prévue).",
                                             show_default=False)] = None,
    quartier: Annotated[str | None, typer.Option("--quartier", "-q", help="Limiter aux actions d'un "
                                                 "quartier.", show_default=False,
                                                 autocompletion=completion.quartiers)] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Fichier à écrire (défaut : "
                                               "sortie standard).", show_default=False)] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : md (Markdown) ou json.")] = "md",
    force: ForceOpt = False,
    as_of: AsOfOpt = None,
    charter: CharterOpt = None,
) -> None:
    """Projet d'ordre du jour (Markdown) de la prochaine réunion d'une instance.

    Suite des décisions précédentes dont les actions sont encore ouvertes ;
    actions en retard à la date de la réunion ;
    actions à échéance avant la réunion suivante.

    Les actions sont regroupées par partie (rôles résolus dans chaque quartier).

    Pour une instance de la veille (charte.yaml, clé veille) : la première examine les
    signalements ouverts de ses quartiers ; les suivantes, ceux restés ouverts au-delà de la
    période de la précédente (« à remonter »), par partie.
    """
    from gusp_cli.governance.agenda import build_agenda, match_instance, to_markdown
    from gusp_cli.track.matching import match_quartier

    check_choice("--format", format, ("md", "json"))
    day = parse_as_of(as_of)
    loaded = load_view(charter, day)
    instance = match_instance(loaded, body)
    entries, signals = loaded.entries, loaded.signals
    scope: list[str] = []
    if quartier:
        qid = match_quartier(loaded, quartier)
        entries = [e for e in entries if e.quartier.id == qid]
        signals = [s for s in signals if s.quartier == qid]
        scope = [q.nom for q in loaded.quartiers if q.id == qid]
    agenda = build_agenda(loaded, instance, day, _date("--date", date), entries, scope, signals)
    if format == "json":
        from gusp_cli.exchange.formats import to_json

        text = to_json(agenda_document(loaded, agenda)) + "\n"
    else:
        text = to_markdown(loaded, agenda)
    if output is None:
        typer.echo(text, nl=False)
        return
    from gusp_cli.cli.common import write_output

    write_output(output, text.encode("utf-8"), force=force)
    typer.echo(f"ordre du jour écrit dans {output}", err=True)


def agenda_document(charter: Charter, agenda: Agenda) -> dict[str, object]:
    """``gusp agenda --format json``: the meeting, the pending decisions, the actions by party."""
    from gusp_cli.track.records import document, record

    def groups(found: list[PartyGroup]) -> list[dict[str, object]]:
        return [{"partie": g.party, "nom": g.nom,
                 "actions": [record(charter, e, agenda.date) for e in g.entries]} for g in found]

    return document(
        instance=agenda.instance.id, instance_nom=agenda.instance.nom, date=agenda.date.isoformat(),
        origine=agenda.origine, suivante=agenda.suivante.isoformat(),
        derniere_reunion=agenda.derniere.date.isoformat() if agenda.derniere else None,
        membres=agenda.membres, quartiers=agenda.quartiers,
        decisions=[{"reunion": p.reunion.date.isoformat(), "texte": p.decision.texte,
                    "actions_ouvertes": [e.id for e in p.ouvertes]} for p in agenda.decisions],
        en_retard=groups(agenda.en_retard), a_echeance=groups(agenda.a_echeance),
        signalements=_veille_groups(charter, agenda))


def _veille_groups(charter: Charter, agenda: Agenda) -> list[dict[str, object]] | None:
    """The signalements the meeting reviews, grouped as the Markdown shows them (None: a body
    outside the veille's ascent)."""
    if agenda.veille is None:
        return None
    from gusp_cli.governance.signal_records import record
    from gusp_cli.governance.veille import agenda_groups, ascent

    chain = ascent(charter)
    return [{"groupe": g.key or None, "nom": g.nom,
             "signalements": [record(charter, s.signal, agenda.date, chain) for s in g.items]}
            for g in agenda_groups(charter, agenda.instance, agenda.veille)]
