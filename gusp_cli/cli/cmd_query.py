"""Daily query commands: overdue, upcoming, actions, export."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.cli.app import app
from gusp_cli.cli.common import AsOfOpt, CharterOpt, ForceOpt, check_choice, load_valid, parse_as_of

if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter, Entry
    from gusp_cli.track.queries import Filters, Selection

FORMATS = ("table", "json", "csv", "md")

QuartierOpt = Annotated[str | None, typer.Option("--quartier", "-q", help="Quartier (lens, liévin, "
                                                 "avion, république... sans tenir compte des accents).")]
SecteurOpt = Annotated[str | None, typer.Option("--secteur", "-s", help="Secteur (cité jardin, "
                                                "bourdonnais...).")]
ThemeOpt = Annotated[str | None, typer.Option("--theme", "-t", help="Thème (mot contenu : déchets, "
                                              "stationnement...).")]
PhaseOpt = Annotated[str | None, typer.Option("--phase", "-p", help="Phase : actuelle, chantier ou "
                                              "post_chantier.")]
ResponsableOpt = Annotated[str | None, typer.Option("--responsable", "-r", help="Partie responsable "
                                                    "(call, ville, bailleur, maisons et cités...).")]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Sortie : table, json, csv ou md.")]
SepOpt = Annotated[str, typer.Option("--separateur", help="Séparateur CSV (« ; » pour Excel "
                                     "français, « , » sinon).")]

CSV_COLUMNS = ("id", "quartier", "secteur", "theme", "tableau", "phase", "numero", "libelle",
               "responsables", "responsables_noms", "echeance", "echeance_date", "statut",
               "statut_libelle", "date_realisation", "en_retard", "jours_de_retard")


def _filters(quartier: str | None, secteur: str | None, theme: str | None, phase: str | None,
             responsable: str | None, statut: str | None = None, search: str | None = None) -> Filters:
    from gusp_cli.track.queries import Filters

    return Filters(quartier, secteur, theme, phase, responsable, statut, search)


def _query(charter_path: object, filters: Filters, as_of: str | None, fmt: str
           ) -> tuple[dt.date, Charter, list[Entry], str]:
    """Check the format and date, then select: the as-of date, charter, entries and scope label."""
    check_choice("--format", fmt, FORMATS)
    day = parse_as_of(as_of)
    return (day, *_select(charter_path, filters, day))


def _select(charter_path: object, filters: Filters, as_of: dt.date) -> tuple[Charter, list[Entry], str]:
    """Load, resolve filters, select; return the charter, the entries and a scope label."""
    from gusp_cli.track.queries import resolve_filters, select

    charter = load_valid(charter_path, as_of)  # type: ignore[arg-type]
    selection = resolve_filters(charter, filters)
    entries = select(charter, selection)
    return charter, entries, _scope(charter, selection, filters)


def _scope(charter: Charter, selection: Selection, filters: Filters) -> str:
    """What the selection covers, in words: ``Lens, secteur Cité Jardin, phase chantier``."""
    from gusp_cli.french.dates import PHASE_LABELS, STATUS_LABELS

    parts = []
    if filters.quartier:
        parts += [q.commune for q in charter.quartiers if q.id in selection.quartiers]
    if selection.secteurs is not None:
        names = {s.id: s.nom for q in charter.quartiers for s in q.secteurs}
        parts.append("secteur " + " / ".join(sorted({names[sid] for _, sid in selection.secteurs})))
    if filters.theme:
        parts.append(f"thème « {filters.theme} »")
    if selection.phase:
        parts.append(PHASE_LABELS[selection.phase])
    if selection.party:
        only = charter.quartier(next(iter(selection.quartiers))) if len(selection.quartiers) == 1 else None
        parts.append(f"responsable {charter.party_name(selection.party, only)}")
    if selection.statut:
        parts.append(f"statut {STATUS_LABELS[selection.statut]}")
    if filters.search:
        parts.append(f"recherche « {filters.search} »")
    return ", ".join(parts) or "toute la charte"


def _emit(charter: Charter, entries: list[Entry], fmt: str, as_of: dt.date, separator: str,
          title: str, *, delay: bool = False, due_in: bool = False) -> None:
    """Print entries in the chosen format (table grouped by quartier)."""
    from gusp_cli.exchange import formats
    from gusp_cli.track import records

    rows = records.records(charter, entries, as_of) if fmt != "table" else []
    if fmt == "json":
        typer.echo(formats.to_json(rows))
    elif fmt == "csv":
        typer.echo(formats.to_csv(rows, CSV_COLUMNS, separator), nl=False)
    elif fmt == "md":
        typer.echo(_markdown(charter, entries, rows, title, delay))
    else:
        from gusp_cli.cli.render import entries_table

        groups: dict[str, list[Entry]] = {}
        for entry in entries:
            groups.setdefault(entry.quartier.id, []).append(entry)
        for quartier in charter.quartiers:
            if quartier.id in groups:
                entries_table(charter, groups[quartier.id], as_of, f"{title} — {quartier.nom}", delay, due_in)


def _markdown(charter: Charter, entries: list[Entry], rows: list[dict[str, object]], title: str,
              delay: bool) -> str:
    """GFM: a heading and a table per quartier."""
    from gusp_cli.exchange.formats import to_markdown
    from gusp_cli.french.markup import md_inert

    last = ["jours_de_retard"] if delay else ["statut_libelle"]
    columns = ["id", "libelle", "responsables_noms", "echeance", *last]
    headers = ["Id", "Action", "Responsables", "Échéance"] + (["Retard (j)"] if delay else ["Statut"])
    parts = []
    for quartier in charter.quartiers:
        group = [r for r, e in zip(rows, entries, strict=True) if e.quartier.id == quartier.id]
        if group:
            parts.append(f"### {md_inert(title)} — {md_inert(quartier.nom)}\n\n"
                         f"{to_markdown(group, columns, headers)}\n")
    return "\n".join(parts)


def _closing(charter: Charter, selected: list[Entry], shown: list[Entry], what: str, scope: str) -> str:
    """``37 actions en retard sur 39 — Avion (dont 37 sans statut renseigné)``."""
    from gusp_cli.french.text import plural

    no_status = sum(1 for e in shown if e.action.statut is None)
    count = plural(len(shown), "action")
    return f"{count} {what} sur {len(selected)} — {scope} (dont {no_status} sans statut renseigné)"


@app.command("overdue")
def overdue_command(
    quartier: QuartierOpt = None, secteur: SecteurOpt = None, theme: ThemeOpt = None,
    phase: PhaseOpt = None, responsable: ResponsableOpt = None,
    sans_echeance: Annotated[bool, typer.Option("--sans-echeance", help="Lister plutôt les actions "
                                                "sans échéance (jamais « en retard »).")] = False,
    as_of: AsOfOpt = None, format: FormatOpt = "table", separateur: SepOpt = ";",
    charter: CharterOpt = None,
) -> None:
    """Actions en retard : échéance dépassée et statut ni « realisee » ni « abandonnee »."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.track.queries import overdue, without_echeance

    filters = _filters(quartier, secteur, theme, phase, responsable)
    day, loaded, selected, scope = _query(charter, filters, as_of, format)
    if sans_echeance:
        shown, what, title = without_echeance(selected), "sans échéance", "Actions sans échéance"
    else:
        shown, what, title = overdue(selected, day), "en retard", f"En retard au {format_date(day)}"
    if not shown and format == "table":
        typer.echo(f"Aucune action {what} au {format_date(day)} ({scope}, {len(selected)} actions).")
        return
    _emit(loaded, shown, format, day, separateur, title, delay=not sans_echeance)
    if format in ("table", "md"):
        typer.echo(("\n" if format == "md" else "") + _closing(loaded, selected, shown, what, scope))


@app.command("upcoming")
def upcoming_command(
    within: Annotated[int, typer.Option("--within", "-w", min=0, max=36_500, help="Horizon en jours.")] = 90,
    quartier: QuartierOpt = None, secteur: SecteurOpt = None, theme: ThemeOpt = None,
    phase: PhaseOpt = None, responsable: ResponsableOpt = None,
    as_of: AsOfOpt = None, format: FormatOpt = "table", separateur: SepOpt = ";",
    charter: CharterOpt = None,
) -> None:
    """Actions arrivant à échéance dans les N prochains jours (ouvertes seulement)."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.track.queries import upcoming

    filters = _filters(quartier, secteur, theme, phase, responsable)
    day, loaded, selected, scope = _query(charter, filters, as_of, format)
    shown = upcoming(selected, day, within)
    horizon = format_date(day + dt.timedelta(days=within))
    if not shown and format == "table":
        typer.echo(f"Aucune action à échéance entre le {format_date(day)} et le {horizon} ({scope}).")
        return
    _emit(loaded, shown, format, day, separateur, f"À échéance d'ici le {horizon}", due_in=True)
    if format in ("table", "md"):
        typer.echo(_closing(loaded, selected, shown, f"à échéance d'ici le {horizon}", scope))


@app.command("actions")
def actions_command(
    quartier: QuartierOpt = None, secteur: SecteurOpt = None, theme: ThemeOpt = None,
    phase: PhaseOpt = None, responsable: ResponsableOpt = None,
    statut: Annotated[str | None, typer.Option("--statut", help="a_faire, en_cours, realisee, "
                                               "abandonnee, reportee ou non_renseigne.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-S", help="Mots cherchés dans l'action "
                                               "(sans tenir compte des accents).")] = None,
    as_of: AsOfOpt = None, format: FormatOpt = "table", separateur: SepOpt = ";",
    charter: CharterOpt = None,
) -> None:
    """Lister et chercher les actions (filtres combinables)."""
    filters = _filters(quartier, secteur, theme, phase, responsable, statut, search)
    day, loaded, selected, scope = _query(charter, filters, as_of, format)
    if not selected and format == "table":
        typer.echo(f"Aucune action ne correspond ({scope}).")
        return
    _emit(loaded, selected, format, day, separateur, "Actions")
    if format in ("table", "md"):
        from gusp_cli.french.text import plural

        typer.echo(f"{plural(len(selected), 'action')} sur {len(loaded.entries)} — {scope}")


@app.command("export")
def export_command(
    format: Annotated[str, typer.Option("--format", "-f", help="json, csv, xlsx (classeur de suivi "
                                        "pour les partenaires, avec -o) ou ics (échéances et "
                                        "réunions).")] = "json",
    output: Annotated[str | None, typer.Option("--output", "-o", help="Fichier de sortie "
                                               "(défaut : sortie standard).")] = None,
    quartier: QuartierOpt = None, responsable: ResponsableOpt = None,
    as_of: AsOfOpt = None, separateur: SepOpt = ";", force: ForceOpt = False,
    charter: CharterOpt = None,
) -> None:
    """Exporter les actions : JSON ou CSV (contrat stable), classeur Excel, calendrier iCalendar."""
    from gusp_cli.exchange import formats
    from gusp_cli.track import records

    check_choice("--format", format, ("json", "csv", "xlsx", "ics"))
    day = parse_as_of(as_of)
    loaded, selected, _ = _select(charter, _filters(quartier, None, None, None, responsable), day)
    if format in ("xlsx", "ics"):
        from gusp_cli.cli import cmd_exchange
        from gusp_cli.track.queries import resolve_filters

        if format == "xlsx":
            return cmd_exchange.export_xlsx(loaded, selected, output, day, force=force)
        sel = resolve_filters(loaded, _filters(quartier, None, None, None, responsable))
        return cmd_exchange.export_ics(loaded, selected, output, day,
                                       next(iter(sel.quartiers)) if quartier else None, sel.party,
                                       force=force)
    rows = records.records(loaded, selected, day)
    text = formats.to_json(rows) + "\n" if format == "json" else formats.to_csv(rows, CSV_COLUMNS, separateur)
    if output is None:
        typer.echo(text, nl=False)
        return
    from gusp_cli.cli.common import write_output

    write_output(output, text.encode("utf-8"), force=force)
    typer.echo(f"{len(rows)} actions exportées dans {output}", err=True)
