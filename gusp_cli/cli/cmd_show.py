"""``gusp show ID`` and ``gusp responsibilities`` (alias ``gusp who``)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from gusp_cli.cli import completion
from gusp_cli.cli.app import app
from gusp_cli.cli.common import AsOfOpt, CharterOpt, check_choice, load_view, parse_as_of

if TYPE_CHECKING:
    from gusp_cli.model.charter import Charter, Entry
    from gusp_cli.track.responsibilities import Matrix


@app.command("show")
def show_command(
    action_id: Annotated[str, typer.Argument(metavar="ID", help="Identifiant de l'action (ABC-042).",
                                             autocompletion=completion.action_ids)],
    as_of: AsOfOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : text ou json.")] = "text",
    charter: CharterOpt = None,
) -> None:
    """Tout sur une action : place dans la charte, responsables, échéance, statut, suivi, historique git."""
    from gusp_cli.exchange.formats import to_json
    from gusp_cli.track.records import document, record, suivi_record

    check_choice("--format", format, ("text", "json"))
    day = parse_as_of(as_of)
    loaded = load_view(charter, day)
    entry = find_entry(loaded, action_id)
    if format == "json":
        data = record(loaded, entry, day)
        data["suivi"] = [suivi_record(s) for s in entry.action.suivi]
        data["evaluation"] = (entry.action.evaluation.model_dump(mode="json", exclude_none=True)
                              if entry.action.evaluation else None)
        data["moyens"] = (entry.action.moyens.model_dump(mode="json", exclude_none=True)
                          if entry.action.moyens else None)
        data["indicateurs"] = [i.model_dump(mode="json", exclude_none=True)
                               for i in entry.action.indicateurs]
        data["cout"] = _cost_json(loaded, entry)
        data["signalements"] = _signal_records(loaded, entry)
        typer.echo(to_json(document(date_reference=day.isoformat(), **data)))
        return
    from gusp_cli.french.markup import terminal_text

    typer.echo(terminal_text("\n".join(describe(loaded, entry, day))))  # labels, commit subjects, authors


def find_entry(charter: Charter, action_id: str) -> Entry:
    """Return the entry with this id (case-insensitive), or a French error with close ids."""
    import re

    from gusp_cli.french.text import closest
    from gusp_cli.model.errors import UsageError

    wanted = action_id.strip().upper()
    padded = re.match(r"^([A-Z]{2,5})-?(\d{1,2})$", wanted)
    if padded:
        wanted = f"{padded.group(1)}-{int(padded.group(2)):03d}"
    if wanted in charter.by_id:
        return charter.by_id[wanted]
    near = closest(wanted, list(charter.by_id), n=3)
    hint = f" ; proches : {', '.join(near)}" if near else ""
    raise UsageError(f"action « {action_id} » introuvable{hint}")


def describe(charter: Charter, entry: Entry, as_of: dt.date) -> list[str]:
    """The lines of ``gusp show``."""
    action = entry.action
    lines = [f"{action.id} — {action.libelle}", "", *_place_lines(charter, entry),
             *_party_lines(charter, entry), *_time_lines(entry, as_of),
             *_fiche_lines(charter, entry), *_signal_lines(charter, entry), *_suivi_lines(charter, entry)]
    return lines + _evaluation_lines(charter, entry) + _history_lines(charter, entry)


def _place_lines(charter: Charter, entry: Entry) -> list[str]:
    """Where the action stands in the charter: quartier, sector, theme, table, phase, objective
    (a line the charter does not fill is left out)."""
    from gusp_cli.track.fiche import objective_of

    quartier, tableau, action = entry.quartier, entry.tableau, entry.action
    sector = next((s.nom for s in quartier.secteurs if s.id == tableau.secteur), None)
    lines = [f"  Quartier      : {quartier.nom}"]
    if sector:
        lines.append(f"  Secteur       : {sector}")
    if tableau.theme:
        lines.append(f"  Thème         : {tableau.theme}")
    lines.append(f"  Tableau       : {tableau.titre} (n° {action.numero})")
    if tableau.phase:
        lines.append(f"  Phase         : {charter.phase_name(tableau.phase)}")
    place = objective_of(charter, entry)
    if place is not None:
        lines.append(f"  Objectif      : {place.objectif_label} ({place.axe_label})")
    return lines


def _party_lines(charter: Charter, entry: Entry) -> list[str]:
    """The responsible parties, roles resolved (several actors when several fill a role), the pilot
    first when there is one."""
    quartier, action = entry.quartier, entry.action
    lines = []
    for party in sorted(action.responsables, key=lambda p: p != action.pilote):
        actors = charter.resolve_all(party, quartier)
        name = ", ".join(a.nom for a in actors) if actors else charter.party_name(party, quartier)
        role = f" (rôle « {party} »)" if party in quartier.roles else ""
        label = ("Pilote" if party == action.pilote else "Associé") if action.pilote else "Responsable"
        lines.append(f"  {label:<13} : {name}{role}")
    return lines


def _time_lines(entry: Entry, as_of: dt.date) -> list[str]:
    """Échéance, rhythm, status and, when late, by how much and why."""
    from gusp_cli.french.dates import STATUS_LABELS, delay_words, format_date
    from gusp_cli.track.delays import delay_reason

    action = entry.action
    if action.echeance is None:
        lines = ["  Échéance      : aucune"]
    elif entry.continuous is not None:
        lines = [f"  Échéance      : {action.echeance} (action continue, en place dès le début de la "
                 "charte)"]
    else:
        due = format_date(entry.due) if entry.due else "non reconnue"
        what = "à mettre en place le" if action.frequence else "due le"
        lines = [f"  Échéance      : {action.echeance} ({what} {due})"]
    if action.frequence:
        from gusp_cli.model.rhythm import LABELS

        how = "suivie à ce rythme" if entry.continuous is not None else \
            "en place à l'échéance, puis suivie à ce rythme"
        lines.append(f"  Rythme        : {LABELS[action.frequence]} (action continue : {how})")
    status = STATUS_LABELS[action.statut.value if action.statut else None]
    if action.date_realisation:
        status += f" le {format_date(action.date_realisation)}"
    lines.append(f"  Statut        : {status}")
    late = entry.lateness(as_of)
    if late is not None:
        why = [r for r in (delay_reason(entry, as_of),
                           None if entry.reported(as_of) else "rien de consigné : à renseigner") if r]
        lines.append(f"  En retard     : {delay_words(late.since, as_of)} au {format_date(as_of)}"
                     + (f" ({' ; '.join(why)})" if why else ""))
    return lines


def _fiche_lines(charter: Charter, entry: Entry) -> list[str]:
    """The fiche-action fields, when the charter records them: public, place, means, indicators."""
    from gusp_cli.track.fiche import indicator_text, means_lines

    action = entry.action
    lines = []
    if action.public_cible:
        lines.append(f"  Public cible  : {action.public_cible}")
    if action.localisation:
        lines.append(f"  Localisation  : {action.localisation}")
    means = means_lines(charter, entry)
    if means:
        lines += ["", "  Moyens :", *(f"    {label} : {text}" for label, text in means)]
    if action.indicateurs:
        lines += ["", "  Indicateurs :", *(f"    {indicator_text(i)}" for i in action.indicateurs)]
    return lines


def _signal_lines(charter: Charter, entry: Entry) -> list[str]:
    """The signalements of the veille the action comes from or deals with."""
    from gusp_cli.french.dates import format_date
    from gusp_cli.model.signals import STATE_LABELS
    from gusp_cli.track.signals import ORIGIN, signals_of_action

    lines = []
    for signal, link in signals_of_action(charter, entry):
        label = "Issue de" if link == ORIGIN else "Signalement"
        lines.append(f"  {label:<13} : {signal.id} — {signal.description} ({signal.lieu}, vu le "
                     f"{format_date(signal.date)}, {STATE_LABELS[signal.etat]})")
    return lines


def _signal_records(charter: Charter, entry: Entry) -> list[dict[str, object]]:
    """``gusp show --format json``: the signalements linked to the action, and how."""
    from gusp_cli.track.signals import signals_of_action

    return [{"id": s.id, "lien": link, "date": s.date.isoformat(), "lieu": s.lieu,
             "description": s.description,
             "etat": s.etat.value} for s, link in signals_of_action(charter, entry)]


CHANGED_FIELD = {"echeance": "échéance modifiée", "libelle": "libellé modifié",
                 "responsables": "responsables modifiés", "action": "action ajoutée à la charte"}
"""How an amended field is told in the follow-up timeline."""


def _suivi_lines(charter: Charter, entry: Entry) -> list[str]:
    """The follow-up timeline."""
    from gusp_cli.french.dates import STATUS_LABELS, format_date

    if not entry.action.suivi:
        return ["", "  Suivi : aucune entrée"]
    lines = ["", "  Suivi :"]
    for item in entry.action.suivi:
        parts = [STATUS_LABELS[item.statut.value]] if item.statut else []
        if item.champ == "action":
            parts.append(CHANGED_FIELD["action"])
        elif item.champ:
            changed = CHANGED_FIELD.get(item.champ, f"{item.champ} modifié")
            parts.append(f"{changed} (ancienne valeur : {item.ancienne_valeur or '—'})")
        parts += [p for p in (item.motif and f"motif : {item.motif}", item.note) if p]
        who = f" (rapporté par {charter.party_name(item.auteur)})" if item.auteur else ""
        lines.append(f"    {format_date(item.date)} — {' ; '.join(parts) or '—'}{who}")
    return lines


def _evaluation_lines(charter: Charter, entry: Entry) -> list[str]:
    """The action's evaluation on the charter's grid (« — » where nothing is reported); its cost
    with its source, from TFPB lines when the evaluation records none."""
    from gusp_cli.governance.tfpb import action_cost
    from gusp_cli.model.evaluation import grid, value_of
    from gusp_cli.reports.templating import dimension, euros

    dimensions = grid(charter)
    ev = entry.action.evaluation
    cost = action_cost(charter, entry, charter.day)
    tfpb = [f"    {s.annee} {s.bailleur_nom} — {s.libelle} : {euros(s.montant)} valorisés"
            + (f" (ligne partagée avec {', '.join(s.partagee_avec)})" if s.partagee_avec else "")
            for s in cost.sources]
    if not dimensions:
        return []
    if ev is None and cost.origine is None:
        return ["", "  Évaluation : non renseignée"]
    lines = ["", "  Évaluation :" if ev is not None else "  Évaluation : non renseignée"]
    for d in dimensions:
        shown = dimension(value_of(ev, d.id), d.type) or "—"
        if d.id == "cout" and cost.origine == "tfpb":
            shown = f"{euros(cost.montant)} — source : {cost.source}"
        if ev is not None or d.id == "cout":
            lines.append(f"    {d.libelle} : {shown}")
    if ev is not None and ev.commentaire:
        lines.append(f"    Commentaire : {ev.commentaire}")
    if tfpb:
        lines += ["  Programmes TFPB liés :", *tfpb]
    return lines


def _cost_json(charter: Charter, entry: Entry) -> dict[str, object]:
    """The action's cost and its source for ``--format json``."""
    from gusp_cli.governance.tfpb import action_cost

    cost = action_cost(charter, entry, charter.day)
    return {"montant": cost.montant, "origine": cost.origine,
            "source": cost.source if cost.origine else None,
            "lignes_tfpb": [{"bailleur": s.bailleur_nom, "annee": s.annee, "libelle": s.libelle,
                             "montant_valorise": s.montant, "partagee_avec": list(s.partagee_avec)}
                            for s in cost.sources]}


def _history_lines(charter: Charter, entry: Entry) -> list[str]:
    """Commits that changed the action, when the charter is a git repository."""
    try:
        from gusp_cli.history.log import action_history
    except ImportError:
        return []
    from gusp_cli.history.git import TruncatedHistory

    try:
        changes = action_history(charter.root, entry.id)
    except TruncatedHistory as exc:  # say it: an incomplete history read as complete misleads
        return ["", f"  Historique git : {exc.message}"]
    except Exception:  # history is a bonus here: never let it break `show`
        return []
    if not changes:
        return []
    lines = ["", "  Historique git :"]
    for change in changes:
        lines.append(f"    {change}")
    return lines


@app.command("responsibilities")
def responsibilities_command(
    quartier: Annotated[str | None, typer.Option("--quartier", "-q", help="Quartier.",
                                                 autocompletion=completion.quartiers)] = None,
    acteur: Annotated[str | None, typer.Option(
        "--acteur", "-a", help="Partie : liste ses actions (un rôle comme « bailleur » est résolu "
        "par quartier).", autocompletion=completion.parties)] = None,
    as_of: AsOfOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="Sortie : table, json ou md.")] = "table",
    charter: CharterOpt = None,
) -> None:
    """Qui est responsable de quoi : matrice parties × quartiers, points à vérifier avant décision."""
    from gusp_cli.track.queries import Filters, resolve_filters, select
    from gusp_cli.track.responsibilities import build_matrix

    check_choice("--format", format, ("table", "json", "md"))
    day = parse_as_of(as_of)
    loaded = load_view(charter, day)
    if acteur:  # resolved here so that an unknown party is reported against --acteur
        from gusp_cli.track.matching import match_party

        acteur = match_party(loaded, acteur, "--acteur")
    selection = resolve_filters(loaded, Filters(quartier=quartier, responsable=acteur))
    entries = select(loaded, selection)
    if acteur:
        from gusp_cli.cli.cmd_query import _emit

        fmt = "table" if format == "table" else ("json" if format == "json" else "md")
        if not entries and fmt != "json":
            typer.echo(f"Aucune action pour « {acteur} » dans cette sélection.")
            return
        party = selection.party or acteur
        scope = loaded.quartier(next(iter(selection.quartiers))) if quartier else None
        name = loaded.party_name(party, scope)
        if not any(e.action.pilote for e in entries):
            _emit(loaded, entries, fmt, day, ";", f"Actions de {name}")
            return
        from gusp_cli.track.queries import leads

        led = [e for e in entries if leads(loaded, e, party)]
        several = len(loaded.actor_ids(party, scope)) > 1 if scope is not None else party in loaded.roles
        associated = f"Actions où {name} {'sont associés' if several else 'est associé'}"
        for group, title in ((led, f"Actions pilotées par {name}"),
                             ([e for e in entries if e not in led], associated)):
            if group:
                _emit(loaded, group, fmt, day, ";", title)
        return
    matrix = build_matrix(loaded, entries, day)
    if format == "json":
        typer.echo(_matrix_json(loaded, matrix))
    elif format == "md":
        typer.echo("\n".join(_matrix_lines(loaded, matrix, markdown=True)))
    else:
        import sys

        lines = _matrix_lines(loaded, matrix, markdown=False)
        if sys.stdout.isatty():
            _matrix_table(loaded, matrix)
            lines = lines[len(matrix.rows) + 2:]
        else:  # piped: the plain table, one party a line, never squeezed to a terminal's width
            typer.echo("Responsabilités (actions par partie ; rôles résolus par quartier)")
        typer.echo("\n".join(lines))


app.command("who", help="Alias de « responsibilities ».")(responsibilities_command)


def _matrix_json(charter: Charter, matrix: Matrix) -> str:
    """The matrix as JSON."""
    from dataclasses import asdict

    from gusp_cli.exchange.formats import to_json
    from gusp_cli.track.records import document

    return to_json(document(**{
        "quartiers": matrix.quartiers,
        "parties": [{"id": r.party, "nom": r.nom, "identifie": r.identifie, "total": asdict(r.total),
                     "par_quartier": {q: asdict(c) for q, c in r.par_quartier.items()}} for r in matrix.rows],
        "actions_partie_non_identifiee": [e.id for e in matrix.non_identifiees],
        "parties_sans_action": [a.id for a in matrix.absents],
        "plus_de_retards": [r.party for r in matrix.most_overdue()],
    }))


def _matrix_cells(charter: Charter, matrix: Matrix) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the matrix."""
    names = {q.id: q.commune for q in charter.quartiers}
    piloted = any(row.total.pilotees for row in matrix.rows)
    head = ["Partie"] + [names[q] for q in matrix.quartiers] + ["Total", "Ouvertes", "En retard",
                                                                  "Réalisées", "Sans statut", "Conjointes"]
    head += ["Pilotées"] if piloted else []
    rows = []
    for row in matrix.rows:
        cells = [row.nom + ("" if row.identifie else " (non identifiée)")]
        cells += [str(row.par_quartier[q].total) if q in row.par_quartier else "" for q in matrix.quartiers]
        t = row.total
        counts = (t.total, t.ouvertes, t.en_retard, t.realisees, t.sans_statut, t.conjointes)
        cells += [str(v) for v in counts] + ([str(t.pilotees)] if piloted else [])
        rows.append(cells)
    return head, rows


def _matrix_table(charter: Charter, matrix: Matrix) -> None:
    """Print the matrix with rich."""
    from rich.table import Table

    from gusp_cli.cli.render import _box, console
    from gusp_cli.cli.render import cells as visible

    head, rows = _matrix_cells(charter, matrix)
    table = Table(title="Responsabilités (actions par partie ; rôles résolus par quartier)", box=_box(),
                  title_justify="left")
    for i, name in enumerate(head):
        table.add_column(name, justify="left" if i == 0 else "right", no_wrap=i > 0,
                         min_width=18 if i == 0 else None)
    for cells in rows:
        table.add_row(*visible(*cells))
    console().print(table)


def _matrix_lines(charter: Charter, matrix: Matrix, markdown: bool) -> list[str]:
    """Matrix table (GFM, also readable in a terminal) and the pre-COPIL checks."""
    from gusp_cli.french.markup import md_inert

    head, rows = _matrix_cells(charter, matrix)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(md_inert(c) for c in cells) + " |" for cells in rows]
    bullet = "- " if markdown else "  • "
    body = charter.deciding_body
    title = f"Points à vérifier avant la prochaine réunion ({body.nom})" if body else "Points à vérifier"
    lines += ["", f"### {title}" if markdown else f"{title} :"]
    unidentified = ", ".join(e.id for e in matrix.non_identifiees) or "aucune"
    lines.append(f"{bullet}actions dont une partie n'est pas encore identifiée : {unidentified}")
    absent = ", ".join(a.sigle or a.nom for a in matrix.absents) or "aucune"
    lines.append(f"{bullet}parties du registre sans aucune action : {absent}")
    top = ", ".join(f"{r.nom} ({r.total.en_retard})" for r in matrix.most_overdue()) or "aucune"
    lines.append(f"{bullet}parties portant le plus d'actions en retard : {top}")
    lines.append(f"{bullet}« Conjointes » : actions partagées avec au moins une autre partie "
                 "(comptées pour chacune).")
    if any(r.total.pilotees for r in matrix.rows):
        lines.append(f"{bullet}« Pilotées » : actions dont la partie est le pilote ; les autres parties y "
                     "sont associées.")
    return lines
