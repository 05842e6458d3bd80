"""Daily query commands: overdue, upcoming, actions, export."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.cli import completion
from gusp_cli.cli.app import app
from gusp_cli.cli.common import (
    AsOfOpt,
    CharterOpt,
    ForceOpt,
    SeparateurOpt,
    check_choice,
    load_view,
    parse_as_of,
)
from gusp_cli.model.errors import UsageError

if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter, Entry
    from gusp_cli.track.queries import Filters, Selection

FORMATS = ("table", "json", "csv", "md")

QuartierOpt = Annotated[str | None, typer.Option("--quartier", "-q", help="Quartier : id, nom, commune ou "
                                                 "alias, sans tenir compte des accents ; territoire pour "
                                                 "les actions transversales.",
                                                 autocompletion=completion.quartiers)]
SecteurOpt = Annotated[str | None, typer.Option("--secteur", "-s", help="Secteur : id ou mots de son nom.")]
ThemeOpt = Annotated[str | None, typer.Option("--theme", "-t", help="Thème (mot contenu : déchets, "
                                              "stationnement...).")]
PhaseOpt = Annotated[str | None, typer.Option("--phase", "-p", help="Phase déclarée par la charte (par "
                                              "défaut : actuelle, chantier ou post_chantier).")]
ResponsableOpt = Annotated[str | None, typer.Option("--responsable", "-r", help="Partie responsable : un "
                                                    "acteur (id, nom, sigle, alias) ou un rôle (ville, "
                                                    "bailleur...) : qui le tient dans le quartier.",
                                                    autocompletion=completion.parties)]
PiloteOpt = Annotated[str | None, typer.Option("--pilote", help="Partie qui pilote l'action (acteur ou "
                                               "rôle, comme --responsable).",
                                               autocompletion=completion.parties)]
FormatOpt = Annotated[str, typer.Option("--format", "-f", help="Sortie : table, json, csv ou md.")]

CSV_COLUMNS = ("id", "quartier", "secteur", "theme", "tableau", "phase", "numero", "libelle",
               "responsables", "responsables_noms", "echeance", "echeance_date", "statut",
               "statut_libelle", "date_realisation", "en_retard", "jours_de_retard", "frequence",
               "retard_texte", "retard_groupe", "retard_regle", "dernier_suivi_date", "dernier_suivi_note",
               "dernier_suivi_auteur", "pilote_nom", "objectif", "public_cible", "localisation", "cout_prevu")
COLLECT_HINT = ("Pour recueillir les statuts manquants auprès des partenaires : gusp export --format xlsx "
                "--par-partie -o campagne/ (un classeur par partie), à faire remplir, puis gusp import "
                "campagne/.")


def _filters(quartier: str | None, secteur: str | None, theme: str | None, phase: str | None,
             responsable: str | None, statut: str | None = None, search: str | None = None,
             pilote: str | None = None) -> Filters:
    from gusp_cli.track.queries import Filters

    return Filters(quartier, secteur, theme, phase, responsable, statut, search, pilote)


def _query(charter_path: object, filters: Filters, as_of: str | None, fmt: str
           ) -> tuple[dt.date, Charter, list[Entry], str]:
    """Check the format and date, then select: the as-of date, charter, entries and scope label."""
    from gusp_cli.track.queries import select

    day, charter, selection, scope = _prepare(charter_path, filters, as_of, fmt)
    return day, charter, select(charter, selection), scope


def _prepare(charter_path: object, filters: Filters, as_of: str | None, fmt: str
             ) -> tuple[dt.date, Charter, Selection, str]:
    """Check the format and date, load, resolve the filters: the as-of date, charter, selection and
    scope label."""
    check_choice("--format", fmt, FORMATS)
    day = parse_as_of(as_of)
    return (day, *_resolve(charter_path, filters, day))


def _select(charter_path: object, filters: Filters, as_of: dt.date) -> tuple[Charter, list[Entry], str]:
    """Load, resolve filters, select; return the charter, the entries and a scope label."""
    from gusp_cli.track.queries import select

    charter, selection, scope = _resolve(charter_path, filters, as_of)
    return charter, select(charter, selection), scope


def _resolve(charter_path: object, filters: Filters, as_of: dt.date) -> tuple[Charter, Selection, str]:
    """Load and resolve the filters; return the charter, the selection and a scope label."""
    from gusp_cli.track.queries import resolve_filters

    charter = load_view(charter_path, as_of)  # type: ignore[arg-type]
    selection = resolve_filters(charter, filters)
    return charter, selection, _scope(charter, selection, filters)


def _scope(charter: Charter, selection: Selection, filters: Filters) -> str:
    """What the selection covers, in words: ``Centre, secteur de la Gare, phase chantier``."""
    from gusp_cli.french.dates import STATUS_LABELS

    parts = []
    if filters.quartier:
        parts += [q.commune for q in charter.quartiers if q.id in selection.quartiers]
    if selection.secteurs is not None:
        names = {s.id: s.nom for q in charter.quartiers for s in q.secteurs}
        parts.append("secteur " + " / ".join(sorted({names[sid] for _, sid in selection.secteurs})))
    if filters.theme:
        parts.append(f"thème « {filters.theme} »")
    if selection.phase:
        parts.append(charter.phase_name(selection.phase))
    only = charter.quartier(next(iter(selection.quartiers))) if len(selection.quartiers) == 1 else None
    if selection.party:
        parts.append(f"responsable {charter.party_name(selection.party, only)}")
    if selection.pilot:
        parts.append(f"pilote {charter.party_name(selection.pilot, only)}")
    if selection.statut:
        parts.append(f"statut {STATUS_LABELS[selection.statut]}")
    if filters.search:
        parts.append(f"recherche « {filters.search} »")
    return ", ".join(parts) or "toute la charte"


def _emit(charter: Charter, entries: list[Entry], fmt: str, as_of: dt.date, separator: str,
          title: str, *, delay: bool = False, due_in: bool = False, status: bool = False) -> None:
    """Print entries in the chosen format (table grouped by quartier). A table imports neither the
    records nor the export formats (json, csv): a query on a terminal or a pipe does not pay them."""
    if fmt == "table":
        from gusp_cli.cli.render import entries_tables

        entries_tables(charter, _by_quartier(charter, entries, title), as_of, delay, due_in, status)
        return
    from gusp_cli.exchange import formats
    from gusp_cli.track import records

    rows = records.records(charter, entries, as_of)
    if fmt == "json":
        typer.echo(formats.to_json(actions_document(rows, as_of)))
    elif fmt == "csv":
        typer.echo(formats.to_csv(rows, CSV_COLUMNS, separator), nl=False)
    else:
        typer.echo(_markdown(charter, entries, rows, title, delay, status, as_of))


def _by_quartier(charter: Charter, entries: list[Entry], title: str) -> list[tuple[str | None, list[Entry]]]:
    """The entries in one table per quartier, titled, in the charter's order."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.quartier.id, []).append(entry)
    return [(f"{title} — {quartier.nom}", groups[quartier.id]) for quartier in charter.quartiers
            if quartier.id in groups]


def actions_document(rows: list[dict[str, object]], as_of: dt.date) -> dict[str, object]:
    """The JSON of a list of actions: version, reference date, the records."""
    from gusp_cli.track.records import document

    return document(date_reference=as_of.isoformat(), actions=rows)


def _markdown(charter: Charter, entries: list[Entry], rows: list[dict[str, object]], title: str,
              delay: bool, status: bool = False, as_of: dt.date | None = None) -> str:
    """GFM: a heading and a table per quartier."""
    from gusp_cli.exchange.formats import to_markdown
    from gusp_cli.french.markup import md_inert
    from gusp_cli.track.delays import delay_text

    if delay and as_of is not None:
        for row, entry in zip(rows, entries, strict=True):
            row["retard_cellule"] = delay_text(entry, as_of)
    last = (["statut_libelle"] if status else []) + (["retard_cellule"] if delay else [])
    columns = ["id", "libelle", "responsables_noms", "echeance", *(last or ["statut_libelle"])]
    headers = ["Id", "Action", "Responsables", "Échéance", *(["Statut"] if status or not delay else []),
               *(["Retard"] if delay else [])]
    parts = []
    for quartier in charter.quartiers:
        group = [r for r, e in zip(rows, entries, strict=True) if e.quartier.id == quartier.id]
        if group:
            parts.append(f"### {md_inert(title)} — {md_inert(quartier.nom)}\n\n"
                         f"{to_markdown(group, columns, headers)}\n")
    return "\n".join(parts)


def _closing(charter: Charter, selected: list[Entry], shown: list[Entry], what: str, scope: str) -> str:
    """``3 actions à échéance ... sur 175 — toute la charte (dont 3 sans statut renseigné)``."""
    from gusp_cli.french.text import plural

    no_status = sum(1 for e in shown if e.action.statut is None)
    count = plural(len(shown), "action")
    return f"{count} {what} sur {len(selected)} — {scope} (dont {no_status} sans statut renseigné)"


def _late_closing(selected: int, reported: int, to_fill: int, scope: str) -> str:
    """``37 actions en retard sur 37 — Centre : 0 retard avec un suivi, 37 à renseigner (...)``,
    then how to collect the missing statuses when some are missing (from the counts of actions
    selected, late with something recorded, late with nothing recorded)."""
    from gusp_cli.french.text import plural

    line = (f"{plural(reported + to_fill, 'action')} en retard sur {selected} — {scope} : "
            f"{plural(reported, 'retard')} avec un statut ou un suivi consigné, "
            f"{to_fill} à renseigner (échéance passée, rien de consigné)")
    return line + ("\n" + COLLECT_HINT if to_fill else "")


@app.command("overdue")
def overdue_command(
    quartier: QuartierOpt = None, secteur: SecteurOpt = None, theme: ThemeOpt = None,
    phase: PhaseOpt = None, responsable: ResponsableOpt = None, pilote: PiloteOpt = None,
    sans_echeance: Annotated[bool, typer.Option("--sans-echeance", help="Lister plutôt les actions "
                                                "sans échéance (jamais « en retard »).")] = False,
    as_of: AsOfOpt = None, format: FormatOpt = "table", separateur: SeparateurOpt = ";",
    charter: CharterOpt = None,
) -> None:
    """Actions en retard : échéance dépassée et statut ni « realisee » ni « abandonnee »."""
    from gusp_cli.french.text import plural
    from gusp_cli.track.queries import overdue, select, split_reported, without_echeance

    filters = _filters(quartier, secteur, theme, phase, responsable, pilote=pilote)
    day, loaded, selection, scope = _prepare(charter, filters, as_of, format)
    if format == "table" and not sans_echeance and not sys.stdout.isatty() and _overdue_on_two_cores(
            loaded, selection, filters, day, scope):
        return
    selected = select(loaded, selection)
    if sans_echeance:
        shown = without_echeance(selected)
        if not shown and format == "table":
            typer.echo(f"Aucune action sans échéance ({scope}, {plural(len(selected), 'action')}).")
            return
        _emit(loaded, shown, format, day, separateur, "Actions sans échéance")
        if format in ("table", "md"):
            typer.echo(("\n" if format == "md" else "") + _closing(loaded, selected, shown, "sans échéance",
                                                                    scope))
        return
    reported, to_fill = split_reported(overdue(selected, day), day)
    if not reported and not to_fill and format == "table":
        _nothing_late(loaded, filters, day, scope, len(selected))
        return
    if format in ("json", "csv"):
        _emit(loaded, reported + to_fill, format, day, separateur, "", delay=True)
        return
    if reported:
        _emit(loaded, reported, format, day, separateur, _late_title(day), delay=True, status=True)
    if to_fill:
        _emit(loaded, to_fill, format, day, separateur, _to_fill_title(day), delay=True)
    typer.echo(("\n" if format == "md" else "") + _late_closing(len(selected), len(reported), len(to_fill),
                                                                scope))
    _veille_line(loaded, filters, day)


def _late_title(day: dt.date) -> str:
    """The title of the late actions with something recorded."""
    from gusp_cli.french.dates import format_date

    return f"En retard au {format_date(day)}"


def _to_fill_title(day: dt.date) -> str:
    """The title of the late actions with nothing recorded."""
    from gusp_cli.french.dates import format_date

    return f"À renseigner au {format_date(day)} : rien de consigné"


def _overdue_on_two_cores(loaded: Charter, selection: Selection, filters: Filters, day: dt.date,
                       scope: str) -> bool:
    """``gusp overdue`` as plain tables on two cores (:mod:`gusp_cli.cli.both_ends`), when it has
    enough actions to gain from it; False when it has not (nothing printed: the caller runs it)."""
    from gusp_cli.cli.both_ends import from_both_ends, joined

    encoding = _byte_encoding()
    results = from_both_ends(loaded, selection, lambda run: _overdue_texts(loaded, run, day, encoding))
    if results is None:
        return False
    selected, reported, to_fill, late_text, to_fill_text = joined(results)
    if not reported and not to_fill:
        _nothing_late(loaded, filters, day, scope, selected)
        return True
    _write_encoded(late_text + to_fill_text)  # as render.entries_tables writes them
    typer.echo(_late_closing(selected, reported, to_fill, scope))
    _veille_line(loaded, filters, day)
    return True


_STATELESS_CODECS = frozenset({"utf-8", "ascii", "iso8859-1", "iso8859-15", "cp1252"})
"""Codecs whose text can be encoded piece by piece into the bytes of the whole: no byte-order mark
(``utf-8-sig``, ``utf-16`` write one per call), no shift sequence."""


def _byte_encoding() -> tuple[str, str] | None:
    """The output stream's codec and error handler when the runs' texts can be encoded one by one
    (:data:`_STATELESS_CODECS`) and written to the stream's bytes, else None: they then stay text,
    and the stream encodes them."""
    import codecs

    if getattr(sys.stdout, "buffer", None) is None:
        return None
    try:
        name = codecs.lookup(sys.stdout.encoding or "utf-8").name
    except LookupError:
        return None
    return (name, sys.stdout.errors or "strict") if name in _STATELESS_CODECS else None


def _overdue_texts(charter: Charter, selection: Selection, day: dt.date,
                   encoding: tuple[str, str] | None) -> tuple[int, int, int, bytes | str, bytes | str]:
    """For the quartiers of ``selection``: how many actions it holds, how many are late with and
    without anything recorded, and the plain text of both groups' tables, encoded as the output
    stream encodes when ``encoding`` (its codec and error handler) is given. Bytes cross from the
    process aside without being decoded, and are written without being encoded again."""
    from gusp_cli.cli.render import plain_tables
    from gusp_cli.track.queries import overdue, select, split_reported

    selected = select(charter, selection)
    reported, to_fill = split_reported(overdue(selected, day), day)
    late = plain_tables(charter, _by_quartier(charter, reported, _late_title(day)), day, True, False, True)
    unfilled = plain_tables(charter, _by_quartier(charter, to_fill, _to_fill_title(day)), day, True)
    if encoding is None:
        return len(selected), len(reported), len(to_fill), late, unfilled
    return len(selected), len(reported), len(to_fill), late.encode(*encoding), unfilled.encode(*encoding)


def _write_encoded(data: bytes | str) -> None:
    """Text as it is; bytes already encoded as the output stream encodes them (:func:`_byte_encoding`)
    written to its bytes, after what the stream holds."""
    if isinstance(data, str):
        sys.stdout.write(data)
        return
    sys.stdout.flush()
    sys.stdout.buffer.write(data)


def _nothing_late(charter: Charter, filters: Filters, day: dt.date, scope: str, selected: int) -> None:
    """« Aucune action en retard au … (scope, N actions). », then the veille's line."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.french.text import plural

    typer.echo(f"Aucune action en retard au {format_date(day)} ({scope}, {plural(selected, 'action')}).")
    _veille_line(charter, filters, day)


def _veille_line(charter: Charter, filters: Filters, day: dt.date) -> None:
    """« 2 signalements à remonter (…) » when open signalements of the quartier and party asked went
    past the first body of the veille's ascent (nothing when none did)."""
    if not charter.signals:
        return
    from gusp_cli.french.text import of_the, plural
    from gusp_cli.governance.veille import ascent, to_escalate
    from gusp_cli.track.signals import SignalFilters, select_signals

    chosen = select_signals(charter, SignalFilters(filters.quartier, None, filters.responsable))
    count = len(to_escalate(charter, chosen, day))
    if count:
        first, then = ascent(charter)[:2]
        still = "ouverts" if count > 1 else "ouvert"
        typer.echo(f"{plural(count, 'signalement')} à remonter (encore {still} "
                   f"après la période {of_the(first.nom)} : gusp agenda {then.id}, gusp signals list "
                   "--a-remonter)")


@app.command("upcoming")
def upcoming_command(
    within: Annotated[int, typer.Option("--within", "-w", min=0, max=36_500, help="Horizon en jours.")] = 90,
    quartier: QuartierOpt = None, secteur: SecteurOpt = None, theme: ThemeOpt = None,
    phase: PhaseOpt = None, responsable: ResponsableOpt = None, pilote: PiloteOpt = None,
    as_of: AsOfOpt = None, format: FormatOpt = "table", separateur: SeparateurOpt = ";",
    charter: CharterOpt = None,
) -> None:
    """Actions arrivant à échéance dans les N prochains jours (ouvertes seulement)."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.track.queries import upcoming

    filters = _filters(quartier, secteur, theme, phase, responsable, pilote=pilote)
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
    phase: PhaseOpt = None, responsable: ResponsableOpt = None, pilote: PiloteOpt = None,
    statut: Annotated[str | None, typer.Option("--statut", help="a_faire, en_cours, realisee, "
                                               "abandonnee, reportee ou non_renseigne.",
                                               autocompletion=completion.filter_statuses)] = None,
    search: Annotated[str | None, typer.Option("--search", "-S", help="Mots cherchés dans l'action "
                                               "(sans tenir compte des accents).")] = None,
    as_of: AsOfOpt = None, format: FormatOpt = "table", separateur: SeparateurOpt = ";",
    charter: CharterOpt = None,
) -> None:
    """Lister et chercher les actions (filtres combinables)."""
    filters = _filters(quartier, secteur, theme, phase, responsable, statut, search, pilote)
    day, loaded, selected, scope = _query(charter, filters, as_of, format)
    if not selected and format == "table":
        typer.echo(f"Aucune action ne correspond ({scope}).")
        return
    _emit(loaded, selected, format, day, separateur, "Actions")
    if format in ("table", "md"):
        from gusp_cli.french.text import plural

        typer.echo(f"{plural(len(selected), 'action')} sur {len(loaded.entries)} — {scope}")


def _return_date(value: str | None, day: dt.date) -> dt.date | None:
    """``--retour``: a date not before the export's."""
    if value is None:
        return None
    try:
        date = dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--retour : date invalide « {value} » (attendu AAAA-MM-JJ)") from None
    if date < day:
        raise UsageError(f"--retour : le {value} précède la date de l'export ({day.isoformat()})")
    return date


@app.command("export")
def export_command(
    format: Annotated[str, typer.Option("--format", "-f", help="json, csv, xlsx (classeur de suivi "
                                        "pour les partenaires, avec -o) ou ics (échéances et "
                                        "réunions).")] = "json",
    output: Annotated[str | None, typer.Option("--output", "-o", help="Fichier de sortie "
                                               "(défaut : sortie standard).")] = None,
    quartier: QuartierOpt = None, responsable: ResponsableOpt = None,
    as_of: AsOfOpt = None, separateur: SeparateurOpt = ";", force: ForceOpt = False,
    rappel: Annotated[str | None, typer.Option("--rappel", help="Avec ics : un rappel avant chaque "
                                               "événement (7j, 2h, 30min).", show_default=False)] = None,
    par_partie: Annotated[bool, typer.Option("--par-partie", help="Avec xlsx : un classeur par partie "
                                             "responsable (rôles résolus), dans le dossier -o DOSSIER.")
                          ] = False,
    retour: Annotated[str | None, typer.Option("--retour", help="Avec xlsx : date de retour des classeurs "
                                               "AAAA-MM-JJ (défaut : 15 jours avant la prochaine réunion "
                                               "de l'instance de décision).", metavar="DATE",
                                               show_default=False)] = None,
    charter: CharterOpt = None,
) -> None:
    """Exporter les actions : JSON ou CSV (contrat stable), classeur Excel, calendrier iCalendar.

    Avec --format xlsx --par-partie -o DOSSIER : un classeur par partie responsable (statut,
    note et évaluation de ses actions, selon la grille de la charte), à faire remplir puis
    relire avec gusp import DOSSIER."""
    from gusp_cli.exchange import formats
    from gusp_cli.track import records

    check_choice("--format", format, ("json", "csv", "xlsx", "ics"))
    day = parse_as_of(as_of)
    loaded, selected, _ = _select(charter, _filters(quartier, None, None, None, responsable), day)
    if format in ("xlsx", "ics"):
        from gusp_cli.cli import cmd_exchange
        from gusp_cli.track.queries import resolve_filters

        if format == "xlsx":
            return cmd_exchange.export_xlsx(loaded, selected, output, day, per_party=par_partie,
                                            retour=_return_date(retour, day), force=force)
        sel = resolve_filters(loaded, _filters(quartier, None, None, None, responsable))
        return cmd_exchange.export_ics(loaded, selected, output, day,
                                       next(iter(sel.quartiers)) if quartier else None, sel.party,
                                       cmd_exchange.alarm(rappel), force=force)
    if par_partie or retour:
        raise UsageError("--par-partie et --retour vont avec --format xlsx")
    rows = records.records(loaded, selected, day)
    if format == "json":
        text = formats.to_json(actions_document(rows, day)) + "\n"
    else:
        text = formats.to_csv(rows, CSV_COLUMNS, separateur)
    if output is None:
        typer.echo(text, nl=False)
        return
    from gusp_cli.cli.common import write_output

    write_output(output, text.encode("utf-8"), force=force)
    from gusp_cli.french.text import agree, plural

    typer.echo(f"{plural(len(rows), 'action')} {agree(len(rows), 'exportée')} dans {output}", err=True)
